/* A wait4 that a child's stop and continue woke (each with a SIGCHLD the parent ignores)
 * must still be interrupted by a signal with a handler (no SA_RESTART): EINTR. The ignored
 * SIGCHLDs must not push the handled signal out. Also: an ignored signal sent to a
 * blocked waiter leaves the wait alone. */
#include "cf.h"
#include <signal.h>
#include <sys/wait.h>

static volatile sig_atomic_t got;
static void on_usr1(int s) { (void)s; got++; }

static void
run(const char *label, int stopcont, int ignored_first)
{
	struct sigaction sa = { .sa_handler = on_usr1 };
	sigaction(SIGUSR1, &sa, NULL);
	signal(SIGURG, SIG_DFL);
	got = 0;
	pid_t a = fork();
	if (a == 0)
		for (;;)
			pause();
	pid_t parent = getpid();
	pid_t b = fork();
	if (b == 0) {
		cf_wait_sleeping(parent);
		if (stopcont) {
			kill(a, SIGSTOP);
			usleep(2000);
			kill(a, SIGCONT);
			usleep(2000);
		}
		if (ignored_first) {
			kill(parent, SIGURG); /* ignored by default: the wait goes on */
			usleep(2000);
		}
		kill(parent, SIGUSR1);
		_exit(0);
	}
	int st;
	errno = 0;
	pid_t r = wait4(a, &st, 0, NULL);
	printf("%s: wait4 %s, handler ran %d\n", label, r < 0 ? en(errno) : "returned", got);
	kill(a, SIGKILL);
	waitpid(a, NULL, 0);
	waitpid(b, NULL, 0);
}

int
main(void)
{
	setvbuf(stdout, NULL, _IONBF, 0);
	alarm(30); /* a wait that is never interrupted ends the program */
	run("plain", 0, 0);
	run("after stop/continue", 1, 0);
	run("after an ignored SIGURG", 0, 1);
	run("after both", 1, 1);
	return 0;
}
