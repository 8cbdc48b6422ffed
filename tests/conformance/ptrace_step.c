/* Breakpoints and single-stepping: an int3 in the code stops the tracee with SIGTRAP, each
 * PTRACE_SINGLESTEP runs one instruction, POKETEXT plants a breakpoint in read-only text,
 * the tracer puts the byte and rip back and lets the program finish. */
#include "cf.h"
#include <signal.h>
#include <sys/ptrace.h>
#include <sys/user.h>
#include <sys/wait.h>

extern int target(void);
extern char after_int3[], bp_here[];
__asm__(".text\n"
	".globl target\n"
	"target:\n"
	"	int3\n"
	".globl after_int3\n"
	"after_int3:\n"
	"	nop\n"
	"	nop\n"
	"	mov $1, %eax\n"
	".globl bp_here\n"
	"bp_here:\n"
	"	add $41, %eax\n"
	"	ret\n");

static const char *
code_name(int code)
{
	switch (code) {
	case SI_KERNEL: return "SI_KERNEL";
	case TRAP_BRKPT: return "TRAP_BRKPT";
	case TRAP_TRACE: return "TRAP_TRACE";
	case SI_USER: return "SI_USER";
	default: return "other";
	}
}

static void
stop_info(pid_t pid, const char *what, int st, unsigned long base)
{
	struct user_regs_struct r;
	siginfo_t si;
	memset(&si, 0, sizeof(si));
	ptrace(PTRACE_GETREGS, pid, 0, &r);
	ptrace(PTRACE_GETSIGINFO, pid, 0, &si);
	printf("%s: %s %s rip base+%ld tf %d\n", what,
	       WIFSTOPPED(st) ? sigabbrev_np(WSTOPSIG(st)) : "not stopped", code_name(si.si_code),
	       (long)(r.rip - base), (int)((r.eflags >> 8) & 1));
}

int
main(void)
{
	setvbuf(stdout, NULL, _IONBF, 0);
	unsigned long base = (unsigned long)target;
	int st;

	pid_t pid = fork();
	if (pid == 0) {
		ptrace(PTRACE_TRACEME, 0, 0, 0);
		int v = target();
		printf("child: target returned %d\n", v);
		_exit(0);
	}
	waitpid(pid, &st, 0);
	stop_info(pid, "int3", st, base);
	for (int i = 0; i < 3; i++) {
		R("singlestep", ptrace(PTRACE_SINGLESTEP, pid, 0, 0));
		waitpid(pid, &st, 0);
		stop_info(pid, "step", st, base);
	}
	errno = 0;
	long word = ptrace(PTRACE_PEEKTEXT, pid, bp_here, 0);
	printf("peek text: %s, first byte %#lx\n", en(errno), word & 0xff);
	R("poke breakpoint into read-only text", ptrace(PTRACE_POKETEXT, pid, bp_here,
							(word & ~0xffL) | 0xcc));
	R("cont", ptrace(PTRACE_CONT, pid, 0, 0));
	waitpid(pid, &st, 0);
	stop_info(pid, "breakpoint", st, base);
	struct user_regs_struct r;
	ptrace(PTRACE_GETREGS, pid, 0, &r);
	printf("rax at breakpoint: %lld\n", r.rax);
	R("restore text", ptrace(PTRACE_POKETEXT, pid, bp_here, word));
	r.rip = (unsigned long)bp_here;
	R("rip back", ptrace(PTRACE_SETREGS, pid, 0, &r));
	long c = ptrace(PTRACE_CONT, pid, 0, 0);
	waitpid(pid, &st, 0);
	R("cont", c);
	printf("end: %s %d\n", WIFEXITED(st) ? "exited" : "other", WEXITSTATUS(st));
	return 0;
}
