/*
 * Several signals pending while blocked, then a ppoll whose temporary mask unblocks them
 * all: ppoll fails with EINTR and every one of them is delivered (two standard signals and
 * two queued instances of a real-time one), none lost; the old mask is back after.
 */
#include "cf.h"
#include <poll.h>
#include <signal.h>

static char order[16];
static volatile int norder;

static void
on_sig(int sig)
{
	if (norder < (int)sizeof(order) - 1)
		order[norder++] = sig == SIGUSR1 ? '1' : sig == SIGUSR2 ? '2' : sig == SIGRTMIN ? 'R' : '?';
}

int
main(void)
{
	struct sigaction sa = { .sa_handler = on_sig };
	sigaction(SIGUSR1, &sa, NULL);
	sigaction(SIGUSR2, &sa, NULL);
	sigaction(SIGRTMIN, &sa, NULL);
	sigset_t block, none, cur;
	sigemptyset(&block);
	sigaddset(&block, SIGUSR1);
	sigaddset(&block, SIGUSR2);
	sigaddset(&block, SIGRTMIN);
	sigprocmask(SIG_BLOCK, &block, NULL);
	kill(getpid(), SIGUSR1);
	kill(getpid(), SIGUSR2);
	union sigval v = { .sival_int = 1 };
	sigqueue(getpid(), SIGRTMIN, v);
	sigqueue(getpid(), SIGRTMIN, v);

	int p[2];
	if (pipe(p) < 0)
		return 1;
	struct pollfd pfd = { .fd = p[0], .events = POLLIN };
	struct timespec ts = { 10, 0 };
	sigemptyset(&none);
	R("ppoll", ppoll(&pfd, 1, &ts, &none));
	order[norder] = 0;
	printf("handlers ran: %d (%s)\n", norder, order);
	sigprocmask(SIG_BLOCK, NULL, &cur);
	YN("mask back", sigismember(&cur, SIGUSR1) && sigismember(&cur, SIGUSR2) &&
	   sigismember(&cur, SIGRTMIN));
	sigset_t pend;
	sigpending(&pend);
	YN("nothing pending", !sigismember(&pend, SIGUSR1) && !sigismember(&pend, SIGUSR2) &&
	   !sigismember(&pend, SIGRTMIN));
	return 0;
}
