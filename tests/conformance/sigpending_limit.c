/*
 * RLIMIT_SIGPENDING: queued signals past the receiver's limit (0 here: how many the user
 * has queued elsewhere on a host is not known). A real-time signal sent with sigqueue or
 * tgkill is refused (EAGAIN), one from kill() goes (without its siginfo); a standard
 * signal always goes. Checked in a child (the limit is per process) and in a
 * child forked after the limit was set (it inherits it).
 */
#include "cf.h"
#include <signal.h>
#include <sys/resource.h>
#include <sys/wait.h>

static void
pending(const char *label)
{
	sigset_t set;

	sigpending(&set);
	printf("%s: RTMIN %s RTMIN+1 %s USR1 %s\n", label,
	       sigismember(&set, SIGRTMIN) ? "pending" : "-",
	       sigismember(&set, SIGRTMIN + 1) ? "pending" : "-",
	       sigismember(&set, SIGUSR1) ? "pending" : "-");
}

static void
sends(void)
{
	union sigval v = { .sival_int = 7 };

	OK("sigqueue RTMIN", sigqueue(getpid(), SIGRTMIN, v));
	OK("sigqueue RTMIN again", sigqueue(getpid(), SIGRTMIN, v));
	OK("tgkill RTMIN+1", syscall(SYS_tgkill, getpid(), gettid(), SIGRTMIN + 1));
	OK("sigqueue USR1", sigqueue(getpid(), SIGUSR1, v));
	pending("pending");
	OK("kill RTMIN", kill(getpid(), SIGRTMIN));
	pending("pending after kill");
	siginfo_t si;
	sigset_t set;
	struct timespec zero = { 0, 0 };
	sigemptyset(&set);
	sigaddset(&set, SIGRTMIN);
	int sig = sigtimedwait(&set, &si, &zero);
	printf("taken %s si_code %d si_pid %d si_uid %d\n", sig == SIGRTMIN ? "RTMIN" : "other",
	       si.si_code, (int)si.si_pid, (int)si.si_uid);
}

int
main(void)
{
	sigset_t block;
	pid_t pid;
	int st;

	setvbuf(stdout, NULL, _IONBF, 0);
	sigemptyset(&block);
	sigaddset(&block, SIGRTMIN);
	sigaddset(&block, SIGRTMIN + 1);
	sigaddset(&block, SIGUSR1);
	sigprocmask(SIG_BLOCK, &block, NULL);

	pid = fork();
	if (pid == 0) {
		struct rlimit rl = { 0, 0 };

		OK("setrlimit SIGPENDING 0", setrlimit(RLIMIT_SIGPENDING, &rl));
		sends();
		_exit(0);
	}
	waitpid(pid, &st, 0);
	pid = fork();
	if (pid == 0) {
		struct rlimit rl = { 0, 0 };

		OK("setrlimit SIGPENDING 0", setrlimit(RLIMIT_SIGPENDING, &rl));
		pid_t g = fork();
		if (g == 0) {
			printf("grandchild:\n");
			sends();
			_exit(0);
		}
		waitpid(g, &st, 0);
		_exit(0);
	}
	waitpid(pid, &st, 0);
	return 0;
}
