/* sigwaitinfo/sigtimedwait for signals the caller does not block, with a handler: Linux
 * takes the signal from the queue for the call (it returns it, the handler does not run),
 * and the mask is the caller's again afterwards; a signal outside the set still runs its
 * handler and ends the wait with EINTR. An ignored signal the caller had not blocked is
 * dropped when sent, even while waited for. */
#include "cf.h"
#include <signal.h>
#include <sys/wait.h>
#include <time.h>

static volatile sig_atomic_t handled;

static void
on_sig(int sig)
{
	handled = sig;
}

/* a child that sends sig to the parent after a short while */
static pid_t
send_later(int sig)
{
	pid_t parent = getpid();
	pid_t pid = fork();
	if (pid == 0) {
		struct timespec ts = { 0, 100 * 1000 * 1000 };
		nanosleep(&ts, NULL);
		kill(parent, sig);
		_exit(0);
	}
	return pid;
}

static void
check_mask(const char *label)
{
	sigset_t cur;
	sigprocmask(SIG_SETMASK, NULL, &cur);
	printf("%s: USR1 blocked %s, USR2 blocked %s\n", label,
	       sigismember(&cur, SIGUSR1) ? "yes" : "no", sigismember(&cur, SIGUSR2) ? "yes" : "no");
}

int
main(void)
{
	cf_init();
	struct sigaction sa = { .sa_handler = on_sig };
	sigaction(SIGUSR1, &sa, NULL);
	sigaction(SIGUSR2, &sa, NULL);
	sigset_t set;
	sigemptyset(&set);
	sigaddset(&set, SIGUSR1);
	siginfo_t si = { 0 };

	pid_t c = send_later(SIGUSR1);
	errno = 0;
	int r = sigwaitinfo(&set, &si);
	printf("sigwaitinfo unblocked: %d %s, si_signo %d, from child %s, si_code SI_USER %s, handler ran %s\n",
	       r, r < 0 ? en(errno) : "", si.si_signo, si.si_pid == c ? "yes" : "no",
	       si.si_code == SI_USER ? "yes" : "no", handled ? "yes" : "no");
	waitpid(c, NULL, 0);
	check_mask("after sigwaitinfo");

	c = send_later(SIGUSR1);
	struct timespec ts = { 10, 0 };
	errno = 0;
	r = sigtimedwait(&set, NULL, &ts);
	printf("sigtimedwait unblocked, no info: %d %s, handler ran %s\n", r, r < 0 ? en(errno) : "",
	       handled ? "yes" : "no");
	waitpid(c, NULL, 0);

	/* a handled signal not waited for interrupts */
	c = send_later(SIGUSR2);
	errno = 0;
	r = sigtimedwait(&set, NULL, &ts);
	printf("other signal: %d %s, handler got USR2 %s\n", r, r < 0 ? en(errno) : "",
	       handled == SIGUSR2 ? "yes" : "no");
	waitpid(c, NULL, 0);
	check_mask("after interrupted wait");

	/* a timeout, then the signal goes to the handler as usual */
	handled = 0;
	ts.tv_sec = 0, ts.tv_nsec = 20 * 1000 * 1000;
	errno = 0;
	r = sigtimedwait(&set, NULL, &ts);
	printf("timeout: %d %s\n", r, r < 0 ? en(errno) : "");
	check_mask("after timeout");
	kill(getpid(), SIGUSR1);
	printf("handler after: %s\n", handled == SIGUSR1 ? "yes" : "no");

	/* ignored and not blocked: dropped when sent, so the wait times out; ignored but
	 * blocked: kept, and the wait takes it */
	sa.sa_handler = SIG_IGN;
	sigaction(SIGUSR1, &sa, NULL);
	ts.tv_sec = 0, ts.tv_nsec = 400 * 1000 * 1000;
	c = send_later(SIGUSR1);
	errno = 0;
	r = sigtimedwait(&set, NULL, &ts);
	printf("ignored, not blocked: %d %s\n", r, r < 0 ? en(errno) : "");
	waitpid(c, NULL, 0);
	sigprocmask(SIG_BLOCK, &set, NULL);
	c = send_later(SIGUSR1);
	ts.tv_sec = 10;
	errno = 0;
	r = sigtimedwait(&set, NULL, &ts);
	printf("ignored, blocked: %d %s\n", r, r < 0 ? en(errno) : "");
	waitpid(c, NULL, 0);
	return 0;
}
