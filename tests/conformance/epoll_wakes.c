/* epoll among many idle files: a wake of one of them reaches a blocked epoll_wait (another
 * process writes), an epoll inside an epoll, poll on an epoll fd, two descriptors of one
 * file and two epolls watching one file each report, level-triggered items stay reported
 * until drained and edge-triggered ones come back with new data, a oneshot item rearmed
 * by EPOLL_CTL_MOD, an item whose file was closed, a socket whose peer went. */
#include "cf.h"
#include <poll.h>
#include <stdint.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/wait.h>

#define IDLE 3000

static int
add(int ep, int fd, unsigned events, unsigned long data)
{
	struct epoll_event e = { .events = events, .data.u64 = data };

	return epoll_ctl(ep, EPOLL_CTL_ADD, fd, &e);
}

/* A child that writes to fd after 100 ms (8 bytes: an eventfd's 1, or the start of a
 * pipe's); its pid. */
static pid_t
write_later(int fd)
{
	pid_t pid = fork();

	if (pid == 0) {
		uint64_t one = 1;
		usleep(100000);
		write(fd, &one, 8);
		_exit(0);
	}
	return pid;
}

/* "label: N d1 d2..." (the data of each reported item, sorted) */
static void
show(const char *label, int ep, int timeout)
{
	struct epoll_event ev[8];
	unsigned long d[8];
	int n = epoll_wait(ep, ev, 8, timeout);

	printf("%s: %d", label, n);
	for (int i = 0; i < n; i++)
		d[i] = ev[i].data.u64;
	for (int i = 0; i < n; i++)
		for (int j = i + 1; j < n; j++)
			if (d[j] < d[i]) {
				unsigned long x = d[i];
				d[i] = d[j];
				d[j] = x;
			}
	for (int i = 0; i < n; i++)
		printf(" %lu", d[i]);
	printf("\n");
}

int
main(void)
{
	struct rlimit rl;
	int ep = epoll_create1(0), p[2], q[2], sv[2];
	char c = 'x', buf[16];

	getrlimit(RLIMIT_NOFILE, &rl);
	if (rl.rlim_max < 2 * IDLE + 64) {
		printf("RLIMIT_NOFILE too low: skipped\n");
		return 0;
	}
	rl.rlim_cur = rl.rlim_max;
	setrlimit(RLIMIT_NOFILE, &rl);
	int bad = 0;
	for (int i = 0; i < IDLE; i++) {
		int s[2];
		if (socketpair(AF_UNIX, SOCK_STREAM, 0, s) || add(ep, s[0], EPOLLIN, 1000 + i))
			bad++;
		close(s[1]); /* (the peer gone: EPOLLHUP|EPOLLIN, reported) */
		if (i % 2 == 0)
			epoll_ctl(ep, EPOLL_CTL_DEL, s[0], NULL);
		close(s[0]); /* closing the last descriptor takes the item away */
	}
	printf("idle setup failures: %d\n", bad);
	show("all closed: nothing", ep, 0);
	static int idle[IDLE], idle_rd[IDLE];
	for (int i = 0; i < IDLE; i++) {
		int s[2];
		socketpair(AF_UNIX, SOCK_STREAM, 0, s);
		idle_rd[i] = s[0];
		idle[i] = s[1];
		add(ep, s[0], EPOLLIN, 10000 + i);
	}
	show("idle: nothing", ep, 0);
	write(idle[IDLE / 2], &c, 1);
	show("one of many written", ep, 0);
	show("level-triggered: again", ep, 0);
	read(idle_rd[IDLE / 2], buf, sizeof(buf));
	show("drained: nothing", ep, 0);
	write(idle[IDLE - 1], &c, 1);
	write(idle[0], &c, 1);
	show("two written", ep, 0);
	read(idle_rd[IDLE - 1], buf, sizeof(buf));
	read(idle_rd[0], buf, sizeof(buf));

	/* a blocked wait, woken by another process */
	pipe(p);
	add(ep, p[0], EPOLLIN | EPOLLET, 1);
	pid_t pid = write_later(p[1]);
	struct epoll_event ev[4];
	int n = epoll_wait(ep, ev, 4, 5000), got_pipe = 0;
	for (int i = 0; i < n; i++)
		got_pipe |= ev[i].data.u64 == 1;
	printf("blocked wait woken by a child's write: %s\n", got_pipe ? "yes" : "no");
	waitpid(pid, NULL, 0);
	int ep2 = epoll_create1(0);
	add(ep2, p[0], EPOLLIN | EPOLLET, 1);
	show("edge-triggered, data there when added", ep2, 0);
	show("edge-triggered, no new data", ep2, 0);
	write(p[1], &c, 1);
	show("edge-triggered, new data", ep2, 0);
	show("edge-triggered, once", ep2, 0);

	/* the same file under two descriptors, and in two epolls */
	pipe(q);
	int q2 = dup(q[0]), ep3 = epoll_create1(0);
	add(ep2, q[0], EPOLLIN, 2);
	add(ep2, q2, EPOLLIN, 3);
	add(ep3, q[0], EPOLLIN, 4);
	write(q[1], &c, 1);
	show("two descriptors of one pipe", ep2, 0);
	show("a second epoll on it", ep3, 0);
	read(q[0], buf, sizeof(buf));
	show("drained", ep2, 0);
	show("drained, second epoll", ep3, 0);

	/* an epoll in an epoll, and poll on an epoll fd, each blocked until a write */
	int outer = epoll_create1(0), inner = epoll_create1(0), e = eventfd(0, 0);
	add(inner, e, EPOLLIN, 5);
	add(outer, inner, EPOLLIN, 6);
	show("nested, idle", outer, 0);
	pid = write_later(e);
	show("nested, blocked until an eventfd write", outer, 5000);
	waitpid(pid, NULL, 0);
	uint64_t v;
	read(e, &v, 8);
	show("nested, drained", outer, 0);
	struct pollfd pf = { inner, POLLIN, 0 };
	pid = write_later(e);
	n = poll(&pf, 1, 5000);
	printf("poll on an epoll fd: %d %s\n", n, pf.revents & POLLIN ? "POLLIN" : "-");
	waitpid(pid, NULL, 0);
	read(e, &v, 8);

	/* oneshot, rearmed */
	int ep4 = epoll_create1(0), e2 = eventfd(1, 0);
	add(ep4, e2, EPOLLIN | EPOLLONESHOT, 7);
	show("oneshot", ep4, 0);
	show("oneshot, disabled", ep4, 0);
	struct epoll_event m = { .events = EPOLLIN | EPOLLONESHOT, .data.u64 = 8 };
	epoll_ctl(ep4, EPOLL_CTL_MOD, e2, &m);
	show("oneshot, rearmed", ep4, 0);

	/* a socket whose peer went: hang-up, reported at once */
	socketpair(AF_UNIX, SOCK_STREAM, 0, sv);
	add(ep4, sv[0], EPOLLRDHUP, 9);
	show("peer open", ep4, 0);
	close(sv[1]);
	show("peer closed", ep4, 0);
	return 0;
}
