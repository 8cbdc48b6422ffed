/*
 * A tracer that resumes a syscall-exit stop with a signal (ptrace(2): the signal is sent
 * to the tracee, as gdb's `signal SIG` at a `catch syscall` stop does): the call is not run
 * again, the handler runs once, and the signal-delivery stop's rip is past the syscall
 * instruction. Also from a syscall-entry stop: the call runs once, then the signal comes.
 */
#include "cf.h"
#include <signal.h>
#include <sys/ptrace.h>
#include <sys/user.h>
#include <sys/wait.h>

static volatile int handled;

static void
on_usr1(int s)
{
	(void)s;
	handled++;
}

static void
run(int from_entry)
{
	pid_t p = fork();
	if (p == 0) {
		signal(SIGUSR1, on_usr1);
		ptrace(PTRACE_TRACEME, 0, 0, 0);
		raise(SIGSTOP);
		syscall(SYS_getppid);
		_exit(handled == 1 ? 0 : 10 + handled);
	}
	int st, entries = 0, exits = 0, sigstops = 0;
	unsigned long sys_rip = 0, sig_rip = 0;
	struct user_regs_struct r;
	waitpid(p, &st, 0);
	ptrace(PTRACE_SETOPTIONS, p, 0, PTRACE_O_TRACESYSGOOD);
	int sig = 0;
	for (;;) {
		ptrace(PTRACE_SYSCALL, p, 0, sig);
		sig = 0;
		if (waitpid(p, &st, 0) < 0 || !WIFSTOPPED(st))
			break;
		ptrace(PTRACE_GETREGS, p, 0, &r);
		if (WSTOPSIG(st) == (SIGTRAP | 0x80)) {
			if (r.orig_rax != SYS_getppid)
				continue;
			if (r.rax == (unsigned long)-ENOSYS) {
				entries++;
				sys_rip = r.rip;
				if (from_entry && entries == 1)
					sig = SIGUSR1;
			} else {
				exits++;
				if (!from_entry && exits == 1)
					sig = SIGUSR1;
			}
		} else {
			if (WSTOPSIG(st) == SIGUSR1) {
				sigstops++;
				sig_rip = r.rip;
			}
			sig = WSTOPSIG(st);
		}
	}
	printf("%s: getppid entries %d exits %d, SIGUSR1 stops %d, stop rip %s, child %s %d\n",
	       from_entry ? "from the entry stop" : "from the exit stop", entries, exits, sigstops,
	       sig_rip == sys_rip ? "at the syscall's end" : "elsewhere",
	       WIFEXITED(st) ? "exit" : "signal", WIFEXITED(st) ? WEXITSTATUS(st) : WTERMSIG(st));
}

int
main(void)
{
	setvbuf(stdout, NULL, _IONBF, 0);
	run(0);
	run(1);
	return 0;
}
