/*
 * Signals across execve: ignored signals stay ignored, handled ones go back to SIG_DFL, the
 * blocked mask stays; sigaction queries see what was set; a signal sent to a running process
 * by another one finds the handler it installed (the sentry keeps the dispositions).
 */
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

static volatile sig_atomic_t got;
static void on_usr1(int s) { got = s; }

static const char *
disp(int sig)
{
	struct sigaction sa;
	sigaction(sig, NULL, &sa);
	return sa.sa_handler == SIG_IGN ? "ignored" : sa.sa_handler == SIG_DFL ? "default" : "handled";
}

int
main(int argc, char **argv)
{
	if (argc > 1) {
		sigset_t cur;
		sigprocmask(SIG_SETMASK, NULL, &cur);
		printf("after exec: HUP %s, USR1 %s, TERM %s, USR2 blocked %d, INT blocked %d\n",
		       disp(SIGHUP), disp(SIGUSR1), disp(SIGTERM), sigismember(&cur, SIGUSR2),
		       sigismember(&cur, SIGINT));
		return 0;
	}
	signal(SIGHUP, SIG_IGN);
	signal(SIGUSR1, on_usr1);
	printf("before: HUP %s, USR1 %s, TERM %s\n", disp(SIGHUP), disp(SIGUSR1), disp(SIGTERM));
	printf("bad signal: %d, SIGKILL: %d\n", sigaction(65, &(struct sigaction){ 0 }, NULL),
	       sigaction(SIGKILL, &(struct sigaction){ .sa_handler = SIG_IGN }, NULL));
	/* a child signals us while we run (no syscall in flight) */
	pid_t parent = getpid(), c = fork();
	if (c == 0) {
		printf("child inherits: HUP %s, USR1 %s\n", disp(SIGHUP), disp(SIGUSR1));
		fflush(stdout);
		kill(parent, SIGUSR1);
		_exit(0);
	}
	for (volatile unsigned long i = 0; !got && i < 3000000000UL; i++)
		;
	waitpid(c, NULL, 0);
	printf("handler ran: %d\n", got == SIGUSR1);
	sigset_t m;
	sigemptyset(&m);
	sigaddset(&m, SIGUSR2);
	sigprocmask(SIG_BLOCK, &m, NULL);
	fflush(stdout);
	execl("/proc/self/exe", argv[0], "again", (char *)NULL);
	perror("execl");
	return 1;
}
