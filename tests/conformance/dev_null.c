/* /dev/null: writes succeed fully, reads return EOF, seeks return 0. */
#include "cf.h"

int
main(void)
{
	static char big[1 << 20];
	char b[16];

	int fd = FD("open /dev/null O_RDWR", open("/dev/null", O_RDWR));
	R("write 5", write(fd, "hello", 5));
	R("write 1MiB", write(fd, big, sizeof(big)));
	R("read", read(fd, b, sizeof(b)));
	R("pread", pread(fd, b, sizeof(b), 100));
	R("pwrite", pwrite(fd, "x", 1, 1000));
	R("lseek", lseek(fd, 500, SEEK_SET));
	R("lseek END", lseek(fd, 0, SEEK_END));
	R("write NULL len 0", write(fd, NULL, 0));
	R("read bad pointer", read(fd, (void *)1, 10));
	R("write bad pointer", write(fd, (void *)1, 10));
	close(fd);
	fd = open("/dev/null", O_WRONLY | O_CREAT | O_TRUNC, 0644);
	YN("O_CREAT|O_TRUNC on /dev/null opens", fd >= 0);
	struct stat st;
	fstat(fd, &st);
	YN("is char device", S_ISCHR(st.st_mode));
	printf("mode: %o\n", st.st_mode & 0777);
	return 0;
}
