/* read/write/pread/pwrite: counts, offsets, EOF, bad arguments. */
#include "cf.h"

int
main(void)
{
	char buf[64];

	cf_init();
	int fd = open("f", O_RDWR | O_CREAT, 0644);
	R("write 10", write(fd, "0123456789", 10));
	R("write 0", write(fd, "", 0));
	R("offset", lseek(fd, 0, SEEK_CUR));
	R("read at EOF", read(fd, buf, sizeof(buf)));
	lseek(fd, 2, SEEK_SET);
	memset(buf, 0, sizeof(buf));
	R("read 4", read(fd, buf, 4));
	printf("got: %s\n", buf);
	R("read 0", read(fd, buf, 0));
	memset(buf, 0, sizeof(buf));
	R("pread 3 @5", pread(fd, buf, 3, 5));
	printf("got: %s\n", buf);
	R("offset unchanged by pread", lseek(fd, 0, SEEK_CUR));
	R("pwrite 2 @8", pwrite(fd, "AB", 2, 8));
	R("offset unchanged by pwrite", lseek(fd, 0, SEEK_CUR));
	R("pread past EOF", pread(fd, buf, 4, 100));
	R("pread negative offset", pread(fd, buf, 4, -1));
	R("pwrite negative offset", pwrite(fd, "x", 1, -1));
	R("pwrite far", pwrite(fd, "Z", 1, 20));
	struct stat st;
	fstat(fd, &st);
	R("size after far pwrite", st.st_size);
	memset(buf, 'q', sizeof(buf));
	R("pread over hole", pread(fd, buf, 21, 0));
	for (int i = 0; i < 21; i++)
		printf("%02x", (unsigned char)buf[i]);
	printf("\n");
	close(fd);

	fd = open("f", O_WRONLY | O_APPEND);
	R("pwrite on O_APPEND", pwrite(fd, "Q", 1, 0));
	fstat(fd, &st);
	R("size after append pwrite", st.st_size);
	close(fd);

	R("read closed fd", read(fd, buf, 1));
	R("write -1 fd", write(-1, "x", 1));
	mkdir("d", 0755);
	fd = open("d", O_RDONLY);
	R("read directory", read(fd, buf, 1));
	R("pread directory", pread(fd, buf, 1, 0));
	close(fd);
	fd = open("f", O_RDONLY);
	R("pread huge count", pread(fd, buf, 3, 0));
	close(fd);
	return 0;
}
