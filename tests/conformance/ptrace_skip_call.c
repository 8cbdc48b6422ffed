/* A tracer skips a call at its syscall-entry stop by making the number one no ABI has (-2,
 * as proot does to emulate brk), sees ENOSYS at the exit stop, and sets the result the
 * tracee then gets; and with -1 (rax left as the tracer set it). */
#include "cf.h"
#include <signal.h>
#include <sys/ptrace.h>
#include <sys/user.h>
#include <sys/wait.h>

/* Runs the child to its next syscall stop (entry or exit). */
static int
next_stop(pid_t c, struct user_regs_struct *r)
{
	int st;
	if (ptrace(PTRACE_SYSCALL, c, 0, 0) < 0 || waitpid(c, &st, 0) != c || !WIFSTOPPED(st))
		return -1;
	return ptrace(PTRACE_GETREGS, c, 0, r) < 0 ? -1 : WSTOPSIG(st);
}

static void
skip(pid_t c, long nr, long with)
{
	struct user_regs_struct r;
	/* the child's getppid entry (its earlier calls, printf's writes, run on) */
	while (next_stop(c, &r) > 0 && !(r.orig_rax == SYS_getppid && (long)r.rax == -ENOSYS))
		;
	r.orig_rax = nr;
	if (nr == -1)
		r.rax = with; /* -1: the kernel leaves rax as it is */
	ptrace(PTRACE_SETREGS, c, 0, &r);
	printf("entry stop: skipped with %ld\n", nr);
	if (next_stop(c, &r) != (SIGTRAP | 0x80))
		printf("no exit stop\n");
	printf("exit stop: orig_rax %ld, rax %s\n", (long)r.orig_rax,
	       (long)r.rax == -ENOSYS ? "-ENOSYS" : (long)r.rax == with ? "as set" : "other");
	r.rax = with;
	ptrace(PTRACE_SETREGS, c, 0, &r);
}

int
main(void)
{
	cf_init();
	pid_t c = fork();
	if (c == 0) {
		ptrace(PTRACE_TRACEME, 0, 0, 0);
		raise(SIGSTOP);
		printf("child: getppid gave %ld\n", syscall(SYS_getppid));
		printf("child: getppid gave %ld\n", syscall(SYS_getppid));
		_exit(0);
	}
	int st;
	waitpid(c, &st, 0);
	ptrace(PTRACE_SETOPTIONS, c, 0, PTRACE_O_TRACESYSGOOD | PTRACE_O_EXITKILL);
	skip(c, -2, 4242);
	skip(c, -1, 77);
	ptrace(PTRACE_DETACH, c, 0, 0);
	waitpid(c, &st, 0);
	printf("child exit %d\n", WIFEXITED(st) ? WEXITSTATUS(st) : -1);
	return 0;
}
