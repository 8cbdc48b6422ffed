/* Blocking on pipes and eventfds: a child's writes wake poll, epoll_wait and read; signals
 * end blocked calls with EINTR (poll, select, epoll_wait even with SA_RESTART) or restart
 * them (read, write with SA_RESTART); ppoll/pselect with a temporary signal mask. */
#include "cf.h"
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/select.h>
#include <sys/wait.h>

static int p[2];
static volatile int hits;
static char big[65536];

static void h_none(int s) { hits++; }
static void h_write(int s) { hits++; write(p[1], "Z", 1); }
static void h_drain(int s) { static char b[70000]; hits++; read(p[0], b, sizeof(b)); }

static void
on(void (*h)(int), int flags)
{
	struct sigaction sa = { 0 };
	sa.sa_handler = h;
	sa.sa_flags = flags;
	sigaction(SIGALRM, &sa, NULL);
}

#define B(label, expr) do { R(label, expr); printf("  handlers run: %d\n", hits); } while (0)

int
main(void)
{
	char b[16];
	uint64_t v;
	struct pollfd pf;

	R("pipe", pipe(p));
	pf = (struct pollfd){ p[0], POLLIN, 0 };

	on(h_none, 0);
	ualarm(50000, 0);
	B("read, no SA_RESTART", read(p[0], b, 1));
	on(h_write, SA_RESTART);
	ualarm(50000, 0);
	B("read, SA_RESTART, handler writes", read(p[0], b, 1));
	ualarm(50000, 0);
	B("poll, SA_RESTART", poll(&pf, 1, -1));
	B("poll after the handler wrote", poll(&pf, 1, 0));
	read(p[0], b, 1);

	fd_set rd;
	FD_ZERO(&rd);
	FD_SET(p[0], &rd);
	struct timeval tv = { 5, 0 };
	ualarm(50000, 0);
	B("select, SA_RESTART", select(p[0] + 1, &rd, NULL, NULL, &tv));
	read(p[0], b, 1);

	int ep = epoll_create1(0);
	struct epoll_event ev = { EPOLLIN, { .u64 = 7 } };
	epoll_ctl(ep, EPOLL_CTL_ADD, p[0], &ev);
	ualarm(50000, 0);
	B("epoll_wait, SA_RESTART", epoll_wait(ep, &ev, 1, -1));
	B("epoll_wait after", epoll_wait(ep, &ev, 1, -1));
	read(p[0], b, 1);

	/* a full pipe: the handler drains it and the restarted write goes through */
	fcntl(p[1], F_SETFL, O_NONBLOCK);
	write(p[1], big, sizeof(big));
	fcntl(p[1], F_SETFL, 0);
	on(h_drain, SA_RESTART);
	ualarm(50000, 0);
	B("write to a full pipe, restarted", write(p[1], big, 100));
	read(p[0], b, sizeof(b));
	read(p[0], big, 100 - sizeof(b));

	int efd = eventfd(0, 0);
	on(h_none, 0);
	ualarm(50000, 0);
	B("eventfd read, no SA_RESTART", read(efd, &v, 8));

	/* ppoll and pselect with a mask that unblocks SIGALRM */
	sigset_t blk, empty;
	sigemptyset(&blk);
	sigaddset(&blk, SIGALRM);
	sigemptyset(&empty);
	sigprocmask(SIG_BLOCK, &blk, NULL);
	ualarm(50000, 0);
	B("ppoll, mask unblocks SIGALRM", ppoll(&pf, 1, NULL, &empty));
	sigprocmask(SIG_BLOCK, &blk, NULL);
	ualarm(20000, 0);
	usleep(100000);
	B("pselect, SIGALRM already pending", pselect(p[0] + 1, &rd, NULL, NULL, NULL, &empty));
	sigprocmask(SIG_BLOCK, &blk, NULL);
	struct timespec ts = { 0, 20000000 };
	B("ppoll timeout with a mask", ppoll(&pf, 1, &ts, &empty));
	sigset_t cur;
	sigprocmask(SIG_BLOCK, NULL, &cur);
	YN("mask restored after the timeout", sigismember(&cur, SIGALRM));
	sigprocmask(SIG_UNBLOCK, &blk, NULL);

	/* another process wakes us */
	int q[2];
	R("pipe q", pipe(q));
	pid_t c = fork();
	if (c == 0) {
		close(p[0]);
		usleep(30000);
		write(p[1], "a", 1);
		usleep(30000);
		v = 3;
		write(efd, &v, 8);
		usleep(30000);
		write(q[1], "q", 1);
		usleep(30000);
		_exit(0);
	}
	close(p[1]);
	close(q[1]);
	pf = (struct pollfd){ p[0], POLLIN, 0 };
	R("poll woken by the child", poll(&pf, 1, -1));
	printf("revents: %#x\n", pf.revents);
	R("read", read(p[0], b, 1));
	R("eventfd read woken by the child", read(efd, &v, 8));
	printf("value: %llu\n", (unsigned long long)v);
	epoll_ctl(ep, EPOLL_CTL_DEL, p[0], NULL);
	ev = (struct epoll_event){ EPOLLIN, { .u64 = 9 } };
	epoll_ctl(ep, EPOLL_CTL_ADD, q[0], &ev);
	R("epoll_wait woken by the child", epoll_wait(ep, &ev, 1, -1));
	printf("data: %llu\n", (unsigned long long)ev.data.u64);
	R("read q", read(q[0], b, 1));
	R("read EOF when the child exits", read(p[0], b, 1));
	int st;
	R("waitpid", waitpid(c, &st, 0) == c);
	R("child status", WEXITSTATUS(st));
	return 0;
}
