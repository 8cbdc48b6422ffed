/* mmap of files without pages of their own: /dev/zero is anonymous memory (MAP_SHARED shared
 * with a child), the rest have no mmap method: ENODEV for devices, pipes, sockets, anon
 * inodes, /proc/<pid> and /sys files; EIO for /proc entries such as /proc/version. */
#include "cf.h"
#include <sys/mman.h>
#include <sys/wait.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
static void m(const char *label, int fd, int flags, int prot)
{
	errno = 0;
	void *p = mmap(NULL, 4096, prot, flags, fd, 0);
	if (p == MAP_FAILED) printf("%s: -1 %s\n", label, en(errno));
	else { printf("%s: ok\n", label); munmap(p, 4096); }
}
int main(void)
{
	int null = open("/dev/null", O_RDWR), zero = open("/dev/zero", O_RDWR), ur = open("/dev/urandom", O_RDONLY);
	int ps = open("/proc/self/status", O_RDONLY), pv = open("/proc/version", O_RDONLY), sys = open("/sys/devices/system/cpu/online", O_RDONLY);
	int p[2]; pipe(p); int ev = eventfd(0, 0); int sv[2]; socketpair(AF_UNIX, SOCK_STREAM, 0, sv);
	m("null private", null, MAP_PRIVATE, PROT_READ);
	m("null shared", null, MAP_SHARED, PROT_READ);
	m("zero private", zero, MAP_PRIVATE, PROT_READ|PROT_WRITE);
	m("zero shared", zero, MAP_SHARED, PROT_READ|PROT_WRITE);
	m("urandom", ur, MAP_PRIVATE, PROT_READ);
	m("proc status", ps, MAP_PRIVATE, PROT_READ);
	m("proc version", pv, MAP_PRIVATE, PROT_READ);
	m("sysfs", sys, MAP_PRIVATE, PROT_READ);
	m("pipe", p[0], MAP_PRIVATE, PROT_READ);
	m("eventfd", ev, MAP_PRIVATE, PROT_READ);
	m("socket", sv[0], MAP_PRIVATE, PROT_READ);
	int *z = mmap(NULL, 4096, PROT_READ|PROT_WRITE, MAP_SHARED, zero, 0);
	if (z != MAP_FAILED) {
		if (fork() == 0) { z[0] = 42; _exit(0); }
		wait(NULL);
		printf("zero shared seen by parent: %d\n", z[0]);
		int *z2 = mmap(NULL, 4096, PROT_READ|PROT_WRITE, MAP_PRIVATE, zero, 0);
		z2[0] = 1; printf("zero private: %d\n", z2[1]);
	}
	return 0;
}
