/* Polling /proc/self/mountinfo and /proc/self/mounts: POLLERR | POLLPRI once after each
 * change of the mount tree (mount, remount, umount, move), with poll and epoll. Run as
 * root; natively in a mount namespace of its own. */
#include <poll.h>
#include <sched.h>
#include <sys/epoll.h>
#include <sys/mount.h>
#include "cf.h"

static void
check(const char *label, int fd)
{
	struct pollfd p = { fd, POLLPRI, 0 };
	int n = poll(&p, 1, 0);

	printf("%s: %d%s%s%s\n", label, n, p.revents & POLLIN ? " IN" : "",
	       p.revents & POLLPRI ? " PRI" : "", p.revents & POLLERR ? " ERR" : "");
}

int
main(void)
{
	cf_init();
	if (geteuid() != 0) {
		printf("not root: nothing to check\n");
		return 0;
	}
	if (unshare(CLONE_NEWNS) == 0)
		mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL);
	mkdir("m", 0755);
	mkdir("n", 0755);
	for (int k = 0; k < 2; k++) {
		const char *file = k ? "/proc/self/mounts" : "/proc/self/mountinfo";
		int fd = open(file, O_RDONLY);

		printf("%s\n", file);
		check("initially", fd);
		R("mount", mount("x", "m", "tmpfs", 0, NULL));
		check("after mount", fd);
		check("again", fd);
		R("remount ro", mount(NULL, "m", NULL, MS_REMOUNT | MS_RDONLY, NULL));
		check("after remount", fd);
		R("move", mount("m", "n", NULL, MS_MOVE, NULL));
		check("after move", fd);
		R("umount", umount("n"));
		R("umount again", umount("n"));
		check("after umount", fd);
		check("again", fd);

		int ep = epoll_create1(0);
		struct epoll_event ev = { .events = EPOLLPRI | EPOLLERR }, out;
		R("epoll_ctl", epoll_ctl(ep, EPOLL_CTL_ADD, fd, &ev));
		R("epoll_wait", epoll_wait(ep, &out, 1, 0));
		R("mount", mount("x", "m", "tmpfs", 0, NULL));
		R("epoll_wait after mount", epoll_wait(ep, &out, 1, 0));
		printf("events PRI %d ERR %d\n", !!(out.events & EPOLLPRI), !!(out.events & EPOLLERR));
		R("epoll_wait again", epoll_wait(ep, &out, 1, 0));
		R("umount", umount("m"));
		close(ep);
		close(fd);
	}
	return 0;
}
