/* close of descriptors no process can have (negative, 2^24 and up: EBADF), and the
 * register's upper half, which the kernel ignores (close takes an unsigned int): a high
 * bit there still closes the open descriptor in the low half. */
#include "cf.h"

static long
close64(unsigned long v)
{
	return syscall(SYS_close, v);
}

int
main(void)
{
	OK("close(-1)", close64(-1UL));
	OK("close(-2 as int)", close64(0xfffffffeUL));
	OK("close(1 << 24)", close64(1UL << 24));
	OK("close((1 << 24) - 1)", close64((1UL << 24) - 1));
	OK("close(1 << 30)", close64(1UL << 30));
	OK("close(INT_MAX)", close64(0x7fffffffUL));
	OK("close(1000)", close64(1000));
	int fd = open("/dev/null", O_RDONLY);
	OK("upper half set, an open fd below", close64((1UL << 32) | (unsigned)fd));
	OK("closed: F_GETFD", fcntl(fd, F_GETFD));
	fd = open("/dev/null", O_RDONLY);
	OK("upper half all ones, an open fd below", close64(0xffffffff00000000UL | (unsigned)fd));
	OK("closed: F_GETFD", fcntl(fd, F_GETFD));
	OK("upper half set, 1 << 24 below", close64((1UL << 40) | (1UL << 24)));
	return 0;
}
