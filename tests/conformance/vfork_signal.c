/* A signal that arrives while a vfork parent waits for its child does not interrupt the
 * vfork (no EINTR, even without SA_RESTART), its handler still runs, and the parent's signal
 * mask is as before. */
#include "cf.h"
#include <signal.h>
#include <sys/wait.h>
#include <time.h>

static volatile int chld;

static void
on_chld(int sig, siginfo_t *si, void *ctx)
{
	(void)sig; (void)si; (void)ctx;
	chld++;
}

static void
nap(long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };
	while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
		;
}

int
main(void)
{
	struct sigaction sa = { .sa_sigaction = on_chld, .sa_flags = SA_SIGINFO };
	sigset_t before, after, none;
	int st;

	sigfillset(&sa.sa_mask);
	sigaction(SIGCHLD, &sa, NULL);
	sigemptyset(&none);
	sigaddset(&none, SIGUSR2);
	sigprocmask(SIG_SETMASK, &none, NULL);
	sigprocmask(SIG_SETMASK, NULL, &before);

	pid_t p1 = fork();
	if (p1 == 0) {
		nap(100);
		_exit(3);
	}
	errno = 0;
	pid_t p2 = vfork();
	if (p2 == 0) {
		nap(600);
		_exit(4);
	}
	int e = errno;
	if (p2 < 0)
		printf("vfork: -1 %s\n", en(e));
	else
		printf("vfork: child\n");
	sigprocmask(SIG_SETMASK, NULL, &after);
	int same = 1;
	for (int sig = 1; sig < 65; sig++)
		if (sig != 32 && sig != 33 && sigismember(&before, sig) != sigismember(&after, sig))
			same = 0;
	YN("mask as before", same);
	YN("  SIGUSR2 blocked", sigismember(&after, SIGUSR2) == 1);
	YN("  SIGCHLD not blocked", sigismember(&after, SIGCHLD) == 0);
	R("first child", waitpid(p1, &st, 0) == p1 && WIFEXITED(st) ? WEXITSTATUS(st) : -1);
	R("vfork child", p2 > 0 && waitpid(p2, &st, 0) == p2 && WIFEXITED(st) ? WEXITSTATUS(st) : -1);
	YN("SIGCHLD handled", chld >= 1);
	return 0;
}
