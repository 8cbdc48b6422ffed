/* /proc/sys/fs/lease-break-time: present with Linux's default (45 seconds) and writable by
 * root (opened for writing only: the native run must not change the host's value). */
#include "cf.h"

int
main(void)
{
	char buf[32] = "";
	int fd = open("/proc/sys/fs/lease-break-time", O_RDONLY);
	printf("open: %s\n", fd >= 0 ? "ok" : en(errno));
	ssize_t n = fd >= 0 ? read(fd, buf, sizeof(buf) - 1) : -1;
	printf("read: %zd %s", n, n > 0 ? buf : "\n");
	FD("open for writing", open("/proc/sys/fs/lease-break-time", O_WRONLY));
	return 0;
}
