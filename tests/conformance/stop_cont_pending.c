/* A process stopped in a blocking read, sent another signal while stopped, then SIGCONT
 * (bash's `kill %1` on a stopped job: SIGTERM then SIGCONT; a shell's exit with stopped
 * jobs does the same): Linux takes the pending signal before the read is restarted, so a
 * fatal one ends it without the read taking data, and a handler without SA_RESTART makes
 * the read fail with EINTR. Data written meanwhile stays in the pipe. */
#include "cf.h"
#include <signal.h>
#include <sys/ioctl.h>
#include <sys/wait.h>

static void
on_usr1(int sig)
{
	(void)sig;
}

/* The child reads p[0] (with a SIGUSR1 handler of flags when handler is set) and exits
 * with what its read returned: 100 + bytes, or the errno. */
static void
one(const char *label, int stopsig, int sig, int handler, int flags)
{
	int p[2], st, left = -1;
	char buf[64];

	if (pipe(p) < 0)
		return;
	pid_t pid = fork();
	if (pid == 0) {
		if (handler) {
			struct sigaction sa = { .sa_handler = on_usr1, .sa_flags = flags };
			sigaction(SIGUSR1, &sa, NULL);
		}
		close(p[1]);
		ssize_t n = read(p[0], buf, sizeof(buf));
		_exit(n < 0 ? errno : 100 + (int)n);
	}
	usleep(100000); /* (in its read by now; if not, it meets the signals before it) */
	kill(pid, stopsig);
	YN(label, waitpid(pid, &st, WUNTRACED) == pid && WIFSTOPPED(st) &&
			  WSTOPSIG(st) == stopsig);
	kill(pid, sig);
	write(p[1], "data", 4);
	usleep(50000);
	kill(pid, SIGCONT);
	if (waitpid(pid, &st, 0) != pid)
		printf("  wait: %s\n", en(errno));
	else if (WIFSIGNALED(st))
		printf("  killed by %s\n", sigabbrev_np(WTERMSIG(st)));
	else if (WEXITSTATUS(st) >= 100)
		printf("  read %d bytes\n", WEXITSTATUS(st) - 100);
	else
		printf("  read failed: %s\n", en(WEXITSTATUS(st)));
	ioctl(p[0], FIONREAD, &left);
	printf("  left in the pipe: %d\n", left);
	close(p[0]);
	close(p[1]);
}

int
main(void)
{
	signal(SIGPIPE, SIG_IGN);
	one("SIGSTOP, SIGTERM, data, SIGCONT", SIGSTOP, SIGTERM, 0, 0);
	one("SIGTSTP, SIGTERM, data, SIGCONT", SIGTSTP, SIGTERM, 0, 0);
	one("SIGSTOP, SIGHUP, data, SIGCONT", SIGSTOP, SIGHUP, 0, 0);
	one("SIGSTOP, SIGUSR1 (handler), data, SIGCONT", SIGSTOP, SIGUSR1, 1, 0);
	one("SIGSTOP, SIGUSR1 (SA_RESTART handler), data, SIGCONT", SIGSTOP, SIGUSR1, 1,
	    SA_RESTART);
	one("SIGSTOP, data, SIGCONT", SIGSTOP, 0, 0, 0);
	return 0;
}
