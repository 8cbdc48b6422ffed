/* A tracer in a pid namespace of its own (a sandbox inside the sandbox is one: its sentry
 * traces its stubs from there) collects the exit of a traced thread that is gone by then:
 * wait4 gives the thread's number as the tracer knew it, then the process's exit. */
#include "cf.h"
#include <sched.h>
#include <signal.h>
#include <sys/ptrace.h>
#include <sys/wait.h>

static char stack[65536];

static int
thread_main(void *arg)
{
	(void)arg;
	syscall(SYS_exit, 0);
	return 0;
}

static void
tracee(void)
{
	ptrace(PTRACE_TRACEME, 0, 0, 0);
	raise(SIGSTOP);
	clone(thread_main, stack + sizeof(stack), CLONE_VM | CLONE_FS | CLONE_FILES |
	      CLONE_SIGHAND | CLONE_THREAD | CLONE_SYSVSEM | CLONE_PTRACE, NULL);
	usleep(200000); /* (the order of the two exits does not matter: both are checked) */
	syscall(SYS_exit_group, 7);
}

static void
tracer(void)
{
	pid_t c = fork(), thread = 0;
	int st;

	if (c == 0)
		tracee();
	waitpid(c, &st, 0);
	ptrace(PTRACE_SETOPTIONS, c, 0, PTRACE_O_EXITKILL);
	ptrace(PTRACE_CONT, c, 0, 0);
	for (int i = 0; i < 8; i++) {
		pid_t p = waitpid(-1, &st, __WALL);
		if (p <= 0) {
			printf("waitpid: %d %s\n", p, p < 0 ? en(errno) : "");
			break;
		}
		if (p != c && !thread)
			thread = p;
		cf_show_wait(p == c ? "process" : p == thread ? "thread" : "other", st);
		if (WIFSTOPPED(st))
			ptrace(PTRACE_CONT, p, 0, 0);
		else if (p == c)
			break;
	}
	printf("tracer pid in its namespace: %d\n", getpid());
}

int
main(void)
{
	cf_init();
	alarm(20);
	if (unshare(CLONE_NEWUSER | CLONE_NEWPID) < 0) {
		printf("unshare: %s\n", en(errno));
		return 0;
	}
	pid_t c = fork();
	if (c == 0) {
		tracer();
		_exit(0);
	}
	int st;
	waitpid(c, &st, 0);
	cf_show_wait("tracer", st);
	return 0;
}
