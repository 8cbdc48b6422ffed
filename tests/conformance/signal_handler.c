/* sigaction handlers, sigprocmask blocking and pending, SA_RESTART-free EINTR from nanosleep. */
#include "cf.h"
#include <signal.h>

static volatile sig_atomic_t got;

static void
h(int s)
{
	got = s;
}

int
main(void)
{
	struct sigaction sa = { .sa_handler = h };
	R("sigaction USR1", sigaction(SIGUSR1, &sa, NULL));
	R("raise USR1", raise(SIGUSR1));
	printf("handler saw: %d\n", got);
	sigset_t set, pend;
	sigemptyset(&set);
	sigaddset(&set, SIGUSR1);
	got = 0;
	sigprocmask(SIG_BLOCK, &set, NULL);
	raise(SIGUSR1);
	sigpending(&pend);
	printf("pending while blocked: %d handler: %d\n", sigismember(&pend, SIGUSR1), got);
	sigprocmask(SIG_UNBLOCK, &set, NULL);
	printf("after unblock handler: %d\n", got);
	R("sigaction SIGKILL", sigaction(SIGKILL, &sa, NULL));
	R("sigaction bad signal", sigaction(99, &sa, NULL));
	return 0;
}
