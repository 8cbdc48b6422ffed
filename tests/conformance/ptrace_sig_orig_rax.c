/*
 * A signal a system call raises in its own thread is delivered as the call returns: the
 * tracer's signal-delivery stop shows the call's number in orig_rax (Linux keeps it until
 * the next entry into the kernel) and its result in rax: kill and tgkill of the caller, and
 * an rt_sigprocmask that unblocks a pending signal.
 */
#include "cf.h"
#include <signal.h>
#include <stddef.h>
#include <sys/ptrace.h>
#include <sys/user.h>
#include <sys/wait.h>

static void
child(void)
{
	ptrace(PTRACE_TRACEME, 0, 0, 0);
	raise(SIGSTOP);
	syscall(SYS_kill, getpid(), SIGUSR1);
	syscall(SYS_tgkill, getpid(), gettid(), SIGUSR2);
	/* a signal that cannot be delivered at once: blocked, then unblocked by the call */
	sigset_t s;
	sigemptyset(&s);
	sigaddset(&s, SIGURG);
	syscall(SYS_rt_sigprocmask, SIG_BLOCK, &s, NULL, 8);
	syscall(SYS_kill, getpid(), SIGURG);
	syscall(SYS_rt_sigprocmask, SIG_UNBLOCK, &s, NULL, 8);
	_exit(0);
}

static const char *
call_name(long nr)
{
	switch (nr) {
	case SYS_kill: return "kill";
	case SYS_tgkill: return "tgkill";
	case SYS_rt_sigprocmask: return "rt_sigprocmask";
	case -1: return "-1";
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
	waitpid(pid, &st, 0);
	printf("first stop: %s\n", WIFSTOPPED(st) ? sigabbrev_np(WSTOPSIG(st)) : "none");
	ptrace(PTRACE_CONT, pid, 0, 0);
	for (int i = 0; i < 3; i++) {
		if (waitpid(pid, &st, 0) != pid || !WIFSTOPPED(st))
			break;
		struct user_regs_struct r;
		ptrace(PTRACE_GETREGS, pid, 0, &r);
		printf("stop %s: orig_rax %s, rax %lld\n", sigabbrev_np(WSTOPSIG(st)),
		       call_name((long)r.orig_rax), (long long)r.rax);
		ptrace(PTRACE_CONT, pid, 0, 0); /* suppressed */
	}
	waitpid(pid, &st, 0);
	printf("end: %s %d\n", WIFEXITED(st) ? "exit" : "other", WIFEXITED(st) ? WEXITSTATUS(st) : st);
	return 0;
}
