/* A tracer that exits: its tracees go on untraced (PTRACE_O_EXITKILL: they are killed),
 * the real parent reaps them as usual. The tracer is a sibling, not the parent. */
#include "cf.h"
#include <signal.h>
#include <sys/ptrace.h>
#include <sys/wait.h>

/* A child that waits for a byte on a pipe, then exits with code. */
static pid_t
waiter(int *wfd, int code)
{
	int p[2];
	if (pipe(p) < 0)
		exit(1);
	pid_t pid = fork();
	if (pid == 0) {
		close(p[1]);
		char c;
		ssize_t n = read(p[0], &c, 1);
		_exit(n == 1 ? code : 99);
	}
	close(p[0]);
	*wfd = p[1];
	return pid;
}

static void
show(const char *what, int st)
{
	if (WIFEXITED(st))
		printf("%s: exited %d\n", what, WEXITSTATUS(st));
	else if (WIFSIGNALED(st))
		printf("%s: killed %s\n", what, sigabbrev_np(WTERMSIG(st)));
	else
		printf("%s: %#x\n", what, st);
}

int
main(void)
{
	setvbuf(stdout, NULL, _IONBF, 0);
	int st, wfd;

	pid_t b = waiter(&wfd, 3);
	pid_t a = fork();
	if (a == 0) {
		/* the tracer: seize, interrupt, one syscall stop, then exit while it is held */
		int s, ok = ptrace(PTRACE_SEIZE, b, 0, PTRACE_O_TRACESYSGOOD) == 0;
		ok &= ptrace(PTRACE_INTERRUPT, b, 0, 0) == 0;
		ok &= waitpid(b, &s, __WALL) == b && s >> 8 == (SIGTRAP | PTRACE_EVENT_STOP << 8);
		_exit(ok ? 0 : 1);
	}
	waitpid(a, &st, 0);
	show("tracer", st);
	R("sibling no longer traced", ptrace(PTRACE_CONT, b, 0, 0));
	R("write", write(wfd, "x", 1));
	waitpid(b, &st, 0);
	show("former tracee", st);
	close(wfd);

	b = waiter(&wfd, 4);
	a = fork();
	if (a == 0)
		_exit(ptrace(PTRACE_SEIZE, b, 0, PTRACE_O_EXITKILL) == 0 ? 0 : 1);
	waitpid(a, &st, 0);
	show("tracer with EXITKILL", st);
	waitpid(b, &st, 0);
	show("its tracee", st);
	close(wfd);
	return 0;
}
