/* PTRACE_GETSIGMASK / SETSIGMASK at a stop: the tracee's blocked set, its size checked,
 * SIGKILL and SIGSTOP never blocked, the change seen by the tracee. */
#include "cf.h"
#include <signal.h>
#include <sys/ptrace.h>
#include <sys/wait.h>

int
main(void)
{
	setvbuf(stdout, NULL, _IONBF, 0);
	int p[2];
	if (pipe(p) < 0)
		return 1;
	pid_t c = fork();
	if (c == 0) {
		sigset_t s;
		sigemptyset(&s);
		sigaddset(&s, SIGUSR1);
		sigprocmask(SIG_BLOCK, &s, NULL);
		ptrace(PTRACE_TRACEME, 0, 0, 0);
		kill(getpid(), SIGSTOP); /* (raise would block every signal around it) */
		sigprocmask(SIG_BLOCK, NULL, &s);
		char r = '0' + sigismember(&s, SIGUSR2) + 2 * sigismember(&s, SIGUSR1);
		write(p[1], &r, 1);
		_exit(0);
	}
	int st;
	waitpid(c, &st, 0);
	unsigned long m = 0;
	R("getsigmask", ptrace(PTRACE_GETSIGMASK, c, 8, &m));
	printf("mask: %#lx\n", m);
	R("size 4", ptrace(PTRACE_GETSIGMASK, c, 4, &m));
	R("bad pointer", ptrace(PTRACE_GETSIGMASK, c, 8, (void *)8));
	m = (1UL << (SIGUSR2 - 1)) | (1UL << (SIGKILL - 1)) | (1UL << (SIGSTOP - 1));
	R("setsigmask", ptrace(PTRACE_SETSIGMASK, c, 8, &m));
	R("getsigmask", ptrace(PTRACE_GETSIGMASK, c, 8, &m));
	printf("mask: %#lx\n", m);
	R("cont", ptrace(PTRACE_CONT, c, 0, 0));
	char r = 0;
	read(p[0], &r, 1);
	printf("child: usr2 blocked %d, usr1 blocked %d\n", (r - '0') & 1, (r - '0') >> 1);
	waitpid(c, &st, 0);
	return 0;
}
