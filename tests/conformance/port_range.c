/* Writes to /proc/sys/net/ipv4/ip_local_port_range as Linux's proc_dointvec takes them: two
 * numbers, one number (the low end alone; the high end stays), a reversed range, out of
 * range values. Natively this runs in a new network namespace (its own range); in the
 * sandbox the range is the sandbox's own either way. */
#include "cf.h"
#include <sched.h>

static void
show(int fd)
{
	char buf[64] = { 0 };

	R("read", pread(fd, buf, sizeof(buf) - 1, 0));
	printf("range: %s", buf);
}

int
main(void)
{
	setvbuf(stdout, NULL, _IONBF, 0);
	if (unshare(CLONE_NEWNET) < 0)
		(void)unshare(CLONE_NEWUSER | CLONE_NEWNET); /* not root natively */
	int fd = open("/proc/sys/net/ipv4/ip_local_port_range", O_RDWR);
	R("write two", pwrite(fd, "40100 40109", 11, 0));
	show(fd);
	R("write reversed", pwrite(fd, "40109 40100", 11, 0));
	R("write one", pwrite(fd, "40000", 5, 0));
	show(fd);
	R("write one above the high end", pwrite(fd, "40200\n", 6, 0));
	R("write 0 as the low end", pwrite(fd, "0 100", 5, 0));
	R("write a privileged low end", pwrite(fd, "1023 2000", 9, 0));
	R("write 1024 as the low end", pwrite(fd, "1024 2000", 9, 0));
	R("write 65536 as the high end", pwrite(fd, "1024 65536", 10, 0));
	R("write tab separated", pwrite(fd, "2000\t3000\n", 10, 0));
	show(fd);
	return 0;
}
