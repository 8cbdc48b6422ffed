/* poll and epoll on /proc files: /proc/sys files are pollable (readable and writable), the
 * hostname and domainname files report a name change as EPOLLERR|EPOLLPRI once per open
 * file, other proc files cannot be added to an epoll set (EPERM). Runs in a UTS namespace of
 * its own natively, so the host's names never change (the sandbox is one). */
#include "cf.h"
#include <poll.h>
#include <sched.h>
#include <sys/epoll.h>

static void
show_poll(const char *label, int fd)
{
	struct pollfd p = { .fd = fd, .events = POLLIN | POLLOUT | POLLPRI };

	errno = 0;
	int r = poll(&p, 1, 0);
	printf("%s: %d revents %#x\n", label, r, r > 0 ? p.revents : 0);
}

static void
wait_one(const char *label, int ep)
{
	struct epoll_event ev = { 0 };

	errno = 0;
	int r = epoll_wait(ep, &ev, 1, 0);
	printf("%s: %d events %#x\n", label, r, r > 0 ? ev.events : 0);
}

int
main(void)
{
	struct epoll_event ev = { .events = 0 };
	char buf[80];
	ssize_t n;
	int r0;

	setvbuf(stdout, NULL, _IOLBF, 0);
	if (unshare(CLONE_NEWUTS) < 0 && errno != EPERM) {
		printf("unshare: %s\n", en(errno));
		return 1;
	}
	int h1 = open("/proc/sys/kernel/hostname", O_RDONLY);
	int h2 = open("/proc/sys/kernel/hostname", O_RDONLY);
	int d = open("/proc/sys/kernel/domainname", O_RDONLY);
	int vm = open("/proc/sys/vm/overcommit_memory", O_RDONLY);
	int st = open("/proc/self/status", O_RDONLY);
	int e1 = epoll_create1(0), e2 = epoll_create1(0), e3 = epoll_create1(0);

	OK("epoll add hostname 1", epoll_ctl(e1, EPOLL_CTL_ADD, h1, &ev));
	OK("epoll add hostname 2", epoll_ctl(e2, EPOLL_CTL_ADD, h2, &ev));
	OK("epoll add domainname", epoll_ctl(e3, EPOLL_CTL_ADD, d, &ev));
	ev.events = EPOLLIN;
	OK("epoll add overcommit_memory", epoll_ctl(e3, EPOLL_CTL_ADD, vm, &ev));
	OK("epoll add status", epoll_ctl(e3, EPOLL_CTL_ADD, st, &ev));
	wait_one("hostname before", e1);
	show_poll("poll overcommit_memory", vm);

	R("sethostname", sethostname("pollhost", 8));
	wait_one("hostname 1 after", e1);
	wait_one("hostname 1 again", e1);
	wait_one("hostname 2 after", e2);
	wait_one("domainname after sethostname", e3);
	show_poll("poll hostname 2 (reported)", h2);

	R("setdomainname", setdomainname("poll.example", 12));
	wait_one("hostname 1 after setdomainname", e1);
	ev.events = 0;
	epoll_ctl(e3, EPOLL_CTL_DEL, vm, &ev);
	wait_one("domainname after", e3);

	/* a write through /proc changes the name as sethostname does */
	int w = open("/proc/sys/kernel/hostname", O_WRONLY);
	R("write hostname", write(w, "viaproc\nrest", 12));
	close(w);
	/* strict writes: a second write continues at the file position */
	w = open("/proc/sys/kernel/domainname", O_WRONLY);
	R("write domainname part 1", write(w, "part", 4));
	R("write domainname part 2", write(w, "two", 3));
	close(w);
	r0 = open("/proc/sys/kernel/domainname", O_RDONLY);
	n = read(r0, buf, sizeof(buf) - 1);
	buf[n > 0 ? n : 0] = '\0';
	printf("domainname now: %s", buf);
	close(r0);
	wait_one("hostname 1 after write", e1);
	int r = open("/proc/sys/kernel/hostname", O_RDONLY);
	n = read(r, buf, sizeof(buf) - 1);
	buf[n > 0 ? n : 0] = '\0';
	printf("hostname now: %s", buf);
	show_poll("poll fresh open", r);
	return 0;
}
