/*
 * ppoll, pselect6 and epoll_pwait with a temporary signal mask, ended by a signal: the handler
 * runs with the temporary mask (plus the signal itself), and after it returns the caller's
 * mask is back, as Linux's saved sigmask does; both when the signal arrives during the wait
 * and when it was already pending when the call began.
 */
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/select.h>
#include <unistd.h>

static volatile sig_atomic_t hits, usr1_in_handler, alrm_in_handler;

static void
h(int s)
{
	sigset_t m;
	sigprocmask(SIG_SETMASK, NULL, &m);
	usr1_in_handler = sigismember(&m, SIGUSR1);
	alrm_in_handler = sigismember(&m, SIGALRM);
	hits++;
}

static void
report(const char *what, int r)
{
	sigset_t cur;
	sigprocmask(SIG_SETMASK, NULL, &cur);
	printf("%s: %d %s, handler ran %d (USR1 blocked %d, ALRM blocked %d); after: ALRM %d USR2 %d USR1 %d\n",
	       what, r, r < 0 ? strerrorname_np(errno) : "", (int)hits, (int)usr1_in_handler,
	       (int)alrm_in_handler, sigismember(&cur, SIGALRM), sigismember(&cur, SIGUSR2),
	       sigismember(&cur, SIGUSR1));
	hits = 0;
}

int
main(void)
{
	int p[2];
	pipe(p);
	struct sigaction sa = { .sa_handler = h };
	sigaction(SIGALRM, &sa, NULL);
	sigset_t blk, tmp;
	sigemptyset(&blk);
	sigaddset(&blk, SIGALRM);
	sigaddset(&blk, SIGUSR2);
	sigprocmask(SIG_BLOCK, &blk, NULL);
	sigemptyset(&tmp);
	sigaddset(&tmp, SIGUSR1);

	struct pollfd pf = { p[0], POLLIN, 0 };
	ualarm(30000, 0);
	report("ppoll, signal while waiting", ppoll(&pf, 1, NULL, &tmp));
	raise(SIGALRM); /* pending: the temporary mask unblocks it at once */
	report("ppoll, signal already pending", ppoll(&pf, 1, NULL, &tmp));

	fd_set rd;
	FD_ZERO(&rd);
	FD_SET(p[0], &rd);
	ualarm(30000, 0);
	report("pselect, signal while waiting", pselect(p[0] + 1, &rd, NULL, NULL, NULL, &tmp));

	int ep = epoll_create1(0);
	struct epoll_event ev = { EPOLLIN, { .u64 = 1 } };
	epoll_ctl(ep, EPOLL_CTL_ADD, p[0], &ev);
	ualarm(30000, 0);
	report("epoll_pwait, signal while waiting", epoll_pwait(ep, &ev, 1, -1, &tmp));

	/* completed without a signal: the mask is back too */
	write(p[1], "x", 1);
	report("ppoll, data ready", ppoll(&pf, 1, NULL, &tmp));
	return 0;
}
