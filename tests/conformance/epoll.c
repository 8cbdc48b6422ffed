/* epoll over pipes, eventfds and nested epoll: level- and edge-triggered, one-shot, data
 * round trip, epoll_ctl errors, close removes interest, timeouts, epoll_pwait2. */
#include "cf.h"
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <time.h>

static int
ewait(const char *label, int ep, int max, int ms)
{
	struct epoll_event ev[8];
	int n = epoll_wait(ep, ev, max, ms);
	unsigned long long data[8];
	unsigned evs[8];

	printf("%s: %d", label, n);
	if (n < 0) {
		printf(" %s\n", en(errno));
		return n;
	}
	/* sort by data so the order of ready items does not matter */
	for (int i = 0; i < n; i++) {
		data[i] = ev[i].data.u64;
		evs[i] = ev[i].events;
	}
	for (int i = 0; i < n; i++)
		for (int j = i + 1; j < n; j++)
			if (data[j] < data[i]) {
				unsigned long long d = data[i]; data[i] = data[j]; data[j] = d;
				unsigned e = evs[i]; evs[i] = evs[j]; evs[j] = e;
			}
	for (int i = 0; i < n; i++)
		printf(" [%llx %#x]", data[i], evs[i]);
	printf("\n");
	return n;
}

static int
add(int ep, int fd, unsigned events, uint64_t data)
{
	struct epoll_event ev = { .events = events, .data.u64 = data };
	return epoll_ctl(ep, EPOLL_CTL_ADD, fd, &ev);
}

static int
mod(int ep, int fd, unsigned events, uint64_t data)
{
	struct epoll_event ev = { .events = events, .data.u64 = data };
	return epoll_ctl(ep, EPOLL_CTL_MOD, fd, &ev);
}

int
main(void)
{
	int ep, p[2], q[2], efd, file;
	char buf[64];
	struct epoll_event ev = { EPOLLIN, { .u64 = 1 } };
	struct timespec t0, t1;

	cf_init();
	signal(SIGPIPE, SIG_IGN);
	ep = FD("epoll_create1", epoll_create1(EPOLL_CLOEXEC));
	R("F_GETFD", fcntl(ep, F_GETFD));
	R("epoll_create 0", epoll_create(0));
	R("epoll_create1 bad flags", epoll_create1(1));
	R("pipe", pipe(p));
	R("pipe q", pipe(q));
	efd = eventfd(0, EFD_NONBLOCK);
	file = open("f", O_RDWR | O_CREAT, 0644);

	/* errors */
	R("ADD regular file", add(ep, file, EPOLLIN, 9));
	R("ADD /dev/null", add(ep, open("/dev/null", O_RDONLY), EPOLLIN, 9));
	R("ADD epoll to itself", add(ep, ep, EPOLLIN, 9));
	R("ADD to non-epoll", add(p[0], q[0], EPOLLIN, 9));
	R("ADD bad fd", add(ep, 999, EPOLLIN, 9));
	R("ADD bad epfd", add(999, p[0], EPOLLIN, 9));
	R("ADD bad event pointer", epoll_ctl(ep, EPOLL_CTL_ADD, p[0], cf_unmapped()));
	R("MOD missing", mod(ep, p[0], EPOLLIN, 9));
	R("DEL missing", epoll_ctl(ep, EPOLL_CTL_DEL, p[0], NULL));
	R("bad op", epoll_ctl(ep, 99, p[0], &ev));
	R("EPOLLEXCLUSIVE with MOD", mod(ep, p[0], EPOLLIN | EPOLLEXCLUSIVE, 9));
	R("wait maxevents 0", epoll_wait(ep, &ev, 0, 0));
	R("wait on a pipe fd", epoll_wait(p[0], &ev, 1, 0));
	R("wait bad fd", epoll_wait(999, &ev, 1, 0));

	/* level-triggered */
	R("ADD pipe read end", add(ep, p[0], EPOLLIN, 0xa1));
	R("ADD again", add(ep, p[0], EPOLLIN, 0xa1));
	R("ADD pipe write end", add(ep, p[1], EPOLLOUT, 0xa2));
	R("ADD eventfd", add(ep, efd, EPOLLIN | EPOLLOUT, 0xa3));
	ewait("initial", ep, 8, 0);
	write(p[1], "hello", 5);
	ewait("after write", ep, 8, 0);
	ewait("still there (LT)", ep, 8, 0);
	R("maxevents 1", epoll_wait(ep, &ev, 1, 0));
	read(p[0], buf, sizeof(buf));
	R("DEL write end", epoll_ctl(ep, EPOLL_CTL_DEL, p[1], NULL));
	R("DEL eventfd", epoll_ctl(ep, EPOLL_CTL_DEL, efd, NULL));
	ewait("after read", ep, 8, 0);

	clock_gettime(CLOCK_MONOTONIC, &t0);
	ewait("50ms timeout", ep, 8, 50);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	YN("waited >= 45ms",
	   (t1.tv_sec - t0.tv_sec) * 1000 + (t1.tv_nsec - t0.tv_nsec) / 1000000 >= 45);
	struct timespec ts = { 0, 20000000 };
	R("epoll_pwait2 20ms", syscall(SYS_epoll_pwait2, ep, &ev, 1, &ts, NULL, 8));
	ts.tv_nsec = -1;
	R("epoll_pwait2 bad timespec", syscall(SYS_epoll_pwait2, ep, &ev, 1, &ts, NULL, 8));
	sigset_t ss;
	sigemptyset(&ss);
	R("epoll_pwait with mask", epoll_pwait(ep, &ev, 1, 1, &ss));

	/* edge-triggered */
	R("MOD to EPOLLET", mod(ep, p[0], EPOLLIN | EPOLLET, 0xb1));
	ewait("ET nothing", ep, 8, 0);
	write(p[1], "a", 1);
	ewait("ET first", ep, 8, 0);
	ewait("ET no new edge", ep, 8, 0);
	write(p[1], "b", 1);
	ewait("ET new write is a new edge", ep, 8, 0);
	ewait("ET quiet again", ep, 8, 0);
	R("MOD re-arms", mod(ep, p[0], EPOLLIN | EPOLLET, 0xb2));
	ewait("ET after MOD", ep, 8, 0);
	read(p[0], buf, sizeof(buf));

	/* one-shot */
	R("MOD ONESHOT", mod(ep, p[0], EPOLLIN | EPOLLONESHOT, 0xc1));
	write(p[1], "c", 1);
	ewait("oneshot fires", ep, 8, 0);
	ewait("oneshot disabled", ep, 8, 0);
	close(p[1]);
	ewait("disabled even for HUP", ep, 8, 0);
	R("MOD re-enables", mod(ep, p[0], EPOLLIN | EPOLLONESHOT, 0xc2));
	ewait("re-enabled: data and HUP", ep, 8, 0);
	read(p[0], buf, sizeof(buf));
	ewait("HUP only (EPOLLHUP always reported)", ep, 8, 0);
	R("MOD to no events", mod(ep, p[0], 0, 0xc3));
	ewait("still HUP", ep, 8, 0);

	/* close removes the interest, unless a dup keeps the file open */
	R("ADD q", add(ep, q[1], EPOLLOUT, 0xd1));
	int dupfd = dup(q[1]);
	close(q[1]);
	ewait("dup keeps it", ep, 8, 0);
	close(dupfd);
	close(p[0]);
	ewait("all closed: nothing", ep, 8, 0);
	R("DEL of closed fd", epoll_ctl(ep, EPOLL_CTL_DEL, q[1], NULL));

	/* eventfd, nested epoll */
	int inner = epoll_create1(0);
	R("ADD eventfd to inner", add(inner, efd, EPOLLIN, 0xe1));
	R("ADD inner to outer", add(ep, inner, EPOLLIN, 0xe2));
	R("ADD outer to inner (loop)", add(inner, ep, EPOLLIN, 0xe3));
	ewait("nested, nothing", ep, 8, 0);
	uint64_t one = 1;
	write(efd, &one, 8);
	ewait("nested ready", ep, 8, 0);
	ewait("inner ready", inner, 8, 0);
	struct pollfd pf = { ep, POLLIN, 0 };
	R("poll on epoll fd", poll(&pf, 1, 0));
	printf("revents: %#x\n", pf.revents);
	R("read epoll fd", read(ep, buf, 8));
	R("lseek epoll fd", lseek(ep, 0, SEEK_SET));
	return 0;
}
