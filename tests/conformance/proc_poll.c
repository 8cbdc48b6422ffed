/* poll and epoll on /proc files: those outside the pid directories (Linux proc_dir_entry
 * files) poll as always ready (DEFAULT_POLLMASK); the pid directories' files have no poll,
 * so epoll_ctl refuses them (EPERM) and poll reports them ready as any file. */
#include "cf.h"
#include <poll.h>
#include <sys/epoll.h>

int
main(void)
{
	static const char *const paths[] = {
		"/proc/filesystems", "/proc/cpuinfo", "/proc/meminfo", "/proc/version",
		"/proc/uptime", "/proc/sys/net/ipv4/tcp_sack", "/proc/self/status",
		"/proc/self/maps", "/proc/self/cmdline", "/proc/self/stat",
	};
	struct epoll_event out[16];
	int ep, added = 0;

	setvbuf(stdout, NULL, _IONBF, 0);
	ep = FD("epoll_create1", epoll_create1(0));
	for (size_t i = 0; i < sizeof(paths) / sizeof(paths[0]); i++) {
		int fd = open(paths[i], O_RDONLY);
		struct epoll_event ev = { .events = EPOLLIN | EPOLLOUT, .data.u32 = i };
		struct pollfd p = { .fd = fd, .events = POLLIN | POLLOUT | POLLPRI };
		char label[80];

		snprintf(label, sizeof(label), "%s epoll_ctl", paths[i]);
		errno = 0;
		int r = epoll_ctl(ep, EPOLL_CTL_ADD, fd, &ev);
		printf("%s: %s\n", label, r < 0 ? en(errno) : "ok");
		added += r == 0;
		r = poll(&p, 1, 0);
		printf("  poll %d revents %#x\n", r, p.revents);
	}
	int n = epoll_wait(ep, out, 16, 0);
	printf("epoll_wait: %d of %d added\n", n, added);
	for (int i = 0; i < n; i++)
		printf("  %s events %#x\n", paths[out[i].data.u32], out[i].events);
	return 0;
}
