/* /dev/full: writes fail with ENOSPC, reads return zeros. */
#include "cf.h"

int
main(void)
{
	unsigned char b[64];

	int fd = FD("open /dev/full", open("/dev/full", O_RDWR));
	R("write 1", write(fd, "x", 1));
	R("write 0", write(fd, "", 0));
	memset(b, 0xff, sizeof(b));
	R("read 64", read(fd, b, sizeof(b)));
	YN("zeros", b[0] == 0 && b[63] == 0);
	R("lseek", lseek(fd, 10, SEEK_SET));
	close(fd);
	FILE *f = fopen("/dev/full", "w");
	fputs("buffered", f);
	int r = fflush(f);
	printf("fflush: %d %s\n", r, r ? en(errno) : "");
	fclose(f);
	return 0;
}
