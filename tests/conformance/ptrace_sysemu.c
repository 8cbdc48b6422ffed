/*
 * PTRACE_SYSEMU: every system call of the tracee stops at its entry (orig_rax the call,
 * rax -ENOSYS) and never runs; whatever rax the tracer leaves is its result. Calls the
 * sandbox runs itself (getppid, getpid, write) and one the host runs (sched_yield) alike;
 * a PTRACE_DETACH at an entry stop still skips that call. PTRACE_CONT afterwards runs
 * calls again.
 */
#include "cf.h"
#include <signal.h>
#include <stddef.h>
#include <sys/ptrace.h>
#include <sys/user.h>
#include <sys/wait.h>

#ifndef PTRACE_SYSEMU
#define PTRACE_SYSEMU 31
#endif

static void
child(void)
{
	ptrace(PTRACE_TRACEME, 0, 0, 0);
	raise(SIGSTOP);
	long r1 = syscall(SYS_getppid);
	long r2 = syscall(SYS_sched_yield);
	long r3 = syscall(SYS_write, 1, "never written\n", 14);
	long r4 = syscall(SYS_getpid);
	printf("child: results %ld %ld %ld %ld\n", r1, r2, r3, r4);
	fflush(stdout);
	_exit(0);
}

static const char *
call_name(long nr)
{
	switch (nr) {
	case SYS_getppid: return "getppid";
	case SYS_sched_yield: return "sched_yield";
	case SYS_write: return "write";
	case SYS_getpid: return "getpid";
	default: return "other";
	}
}

int
main(void)
{
	setvbuf(stdout, NULL, _IONBF, 0);
	pid_t pid = fork();
	if (pid == 0)
		child();
	int st;
	long detached = -2;
	waitpid(pid, &st, 0);
	printf("first stop: %s\n", WIFSTOPPED(st) ? sigabbrev_np(WSTOPSIG(st)) : "none");
	R("sysemu", ptrace(PTRACE_SYSEMU, pid, 0, 0));
	for (int i = 1; i <= 4; i++) {
		if (waitpid(pid, &st, 0) != pid || !WIFSTOPPED(st)) {
			printf("stop %d: none (%#x)\n", i, st);
			break;
		}
		struct user_regs_struct r;
		ptrace(PTRACE_GETREGS, pid, 0, &r);
		printf("stop %d: %s, orig_rax %s, rax %lld\n", i, sigabbrev_np(WSTOPSIG(st) & 0x7f),
		       call_name((long)r.orig_rax), (long long)r.rax);
		ptrace(PTRACE_POKEUSER, pid, offsetof(struct user_regs_struct, rax), 1000 + i);
		if (i < 4)
			R("sysemu", ptrace(PTRACE_SYSEMU, pid, 0, 0));
		else
			detached = ptrace(PTRACE_DETACH, pid, 0, 0);
	}
	waitpid(pid, &st, 0);
	printf("detach: %ld\n", detached); /* (after the child's line, whatever the order of runs) */
	printf("end: %s %d\n", WIFEXITED(st) ? "exit" : "other", WIFEXITED(st) ? WEXITSTATUS(st) : st);
	return 0;
}
