/* PTRACE_SINGLESTEP with a signal (gdb's "queue-signal" then "stepi"): Linux builds the
 * handler's frame and stops at once with SIGTRAP at the handler's first instruction
 * (signal_setup_done's ptrace_notify; a signal given there is dropped), the trap flag
 * clear there and not saved in the frame, so the program goes on normally once the
 * handler returns. A signal with no
 * handler that is ignored lets the one instruction run; a fatal one ends the tracee. */
#include "cf.h"
#include <signal.h>
#include <sys/ptrace.h>
#include <sys/user.h>
#include <sys/wait.h>

static volatile int handled;

static void
on_usr1(int sig)
{
	(void)sig;
	handled++;
}

extern char stop_here[], after_stop[];
__asm__(".text\n"
	".globl stop_here\n"
	"stop_here:\n"
	"	int3\n"
	".globl after_stop\n"
	"after_stop:\n"
	"	nop\n"
	"	nop\n"
	"	ret\n");

static void
stop_info(pid_t pid, const char *what, int st)
{
	struct user_regs_struct r;
	siginfo_t si;

	if (!WIFSTOPPED(st)) {
		if (WIFEXITED(st))
			printf("%s: exited %d\n", what, WEXITSTATUS(st));
		else
			printf("%s: killed by SIG%s\n", what, sigabbrev_np(WTERMSIG(st)));
		return;
	}
	memset(&si, 0, sizeof(si));
	ptrace(PTRACE_GETREGS, pid, 0, &r);
	ptrace(PTRACE_GETSIGINFO, pid, 0, &si);
	const char *where = r.rip == (unsigned long)on_usr1 ? "handler" :
			    r.rip == (unsigned long)after_stop ? "after_stop" :
			    r.rip == (unsigned long)after_stop + 1 ? "after_stop+1" : "elsewhere";
	printf("%s: SIG%s code %d at %s tf %d\n", what, sigabbrev_np(WSTOPSIG(st)),
	       si.si_code, where, (int)((r.eflags >> 8) & 1));
	if (si.si_code == SIGTRAP) /* ptrace_notify's: the tracee's own pid */
		YN("  si_pid is the tracee", si.si_pid == pid);
}

/* The child stops at the int3 in stop_here with the disposition disp for SIGUSR1. */
static pid_t
child(void (*disp)(int))
{
	pid_t pid = fork();
	if (pid == 0) {
		signal(SIGUSR1, disp);
		ptrace(PTRACE_TRACEME, 0, 0, 0);
		((void (*)(void))stop_here)();
		_exit(10 + handled); /* (the status says how often the handler ran) */
	}
	int st;
	waitpid(pid, &st, 0);
	stop_info(pid, "int3", st);
	return pid;
}

/* The request req with signal sig, then the stop (or end) it leads to. */
static void
resume(pid_t pid, int req, int sig, const char *label, const char *what)
{
	int st;

	R(label, ptrace(req, pid, 0, sig));
	waitpid(pid, &st, 0);
	stop_info(pid, what, st);
}

int
main(void)
{
	setvbuf(stdout, NULL, _IONBF, 0);

	printf("== handler\n");
	pid_t pid = child(on_usr1);
	resume(pid, PTRACE_SINGLESTEP, SIGUSR1, "singlestep SIGUSR1", "step");
	/* a signal given at that stop is dropped: the handler runs once (exit status 11) */
	resume(pid, PTRACE_SINGLESTEP, SIGUSR1, "singlestep SIGUSR1 again", "step in handler");
	/* the rest of the handler and the program run untraced by steps: no stray trap */
	resume(pid, PTRACE_CONT, 0, "cont", "end");

	printf("== ignored\n");
	pid = child(SIG_IGN);
	resume(pid, PTRACE_SINGLESTEP, SIGUSR1, "singlestep SIGUSR1", "step");
	resume(pid, PTRACE_CONT, 0, "cont", "end");

	printf("== default\n");
	pid = child(SIG_DFL);
	resume(pid, PTRACE_SINGLESTEP, SIGUSR1, "singlestep SIGUSR1", "step");
	return 0;
}
