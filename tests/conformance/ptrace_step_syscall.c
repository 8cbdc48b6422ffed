/* PTRACE_SINGLESTEP over a syscall instruction (gdb's stepi over fork, gdb.base/
 * step-over-syscall.exp): Linux stops right after the call returns, at the next
 * instruction, with a SIGTRAP (TRAP_BRKPT, x86's user_single_step_report) before that
 * instruction runs, whether the call is one the sandbox lets the host run, answers from
 * a notification or traps, and after a fork event stop; the fork child does not inherit
 * the step (Linux copy_process clears the trap flag the kernel set). */
#include "cf.h"
#include <signal.h>
#include <sys/mman.h>
#include <sys/ptrace.h>
#include <sys/user.h>
#include <sys/wait.h>

/* Each call: load its number, then the syscall instruction, then a label after it. */
extern char call_yield[], after_yield[], call_ppid[], after_ppid[], call_mmap[],
	after_mmap[], call_fork[], after_fork[], calls_end[];
__asm__(".text\n"
	".globl calls\n"
	"calls:\n"
	"	int3\n"
	"	mov $24, %eax\n"	/* sched_yield */
	".globl call_yield\n"
	"call_yield:\n"
	"	syscall\n"
	".globl after_yield\n"
	"after_yield:\n"
	"	nop\n"
	"	mov $110, %eax\n"	/* getppid */
	".globl call_ppid\n"
	"call_ppid:\n"
	"	syscall\n"
	".globl after_ppid\n"
	"after_ppid:\n"
	"	nop\n"
	"	xor %edi, %edi\n"	/* mmap(NULL, 4096, PROT_READ, MAP_PRIVATE|MAP_ANONYMOUS, -1, 0) */
	"	mov $4096, %esi\n"
	"	mov $1, %edx\n"
	"	mov $0x22, %r10d\n"
	"	mov $-1, %r8\n"
	"	xor %r9d, %r9d\n"
	"	mov $9, %eax\n"
	".globl call_mmap\n"
	"call_mmap:\n"
	"	syscall\n"
	".globl after_mmap\n"
	"after_mmap:\n"
	"	nop\n"
	"	mov $57, %eax\n"	/* fork */
	".globl call_fork\n"
	"call_fork:\n"
	"	syscall\n"
	".globl after_fork\n"
	"after_fork:\n"
	"	test %eax, %eax\n"
	"	jnz 1f\n"
	"	mov $60, %eax\n"	/* the fork child: exit(7) */
	"	mov $7, %edi\n"
	"	syscall\n"
	"1:\n"
	".globl calls_end\n"
	"calls_end:\n"
	"	ret\n");
extern void calls(void);

/* rip as the nearest mark at or below it plus an offset */
static const char *
where(unsigned long rip)
{
	static const struct { char *at; const char *name; } marks[] = {
		{ call_yield, "call_yield" }, { after_yield, "after_yield" },
		{ call_ppid, "call_ppid" }, { after_ppid, "after_ppid" },
		{ call_mmap, "call_mmap" }, { after_mmap, "after_mmap" },
		{ call_fork, "call_fork" }, { after_fork, "after_fork" },
		{ calls_end, "calls_end" },
	};
	static char buf[64];
	int best = -1;

	for (int i = 0; i < (int)(sizeof(marks) / sizeof(marks[0])); i++)
		if (rip >= (unsigned long)marks[i].at &&
		    (best < 0 || marks[i].at > marks[best].at))
			best = i;
	if (best < 0 || rip - (unsigned long)marks[best].at > 64)
		return "elsewhere";
	if (rip == (unsigned long)marks[best].at)
		return marks[best].name;
	snprintf(buf, sizeof(buf), "%s+%lu", marks[best].name, rip - (unsigned long)marks[best].at);
	return buf;
}

static void
stop_info(pid_t pid, const char *what, int st)
{
	struct user_regs_struct r;
	siginfo_t si;

	if (!WIFSTOPPED(st)) {
		printf("%s: not stopped\n", what);
		return;
	}
	memset(&si, 0, sizeof(si));
	ptrace(PTRACE_GETREGS, pid, 0, &r);
	ptrace(PTRACE_GETSIGINFO, pid, 0, &si);
	printf("%s: SIG%s event %d code %d at %s", what, sigabbrev_np(WSTOPSIG(st)),
	       st >> 16, si.si_code, where(r.rip));
	if (WSTOPSIG(st) == SIGTRAP && !(st >> 16) && si.si_code == TRAP_BRKPT)
		printf(" si_addr is rip %s", si.si_addr == (void *)r.rip ? "yes" : "no");
	printf("\n");
}

/* Steps until rip is at stop (at most 20 steps), then steps once more: over the call. */
static void
step_over(pid_t pid, const char *name, char *call)
{
	struct user_regs_struct r;
	int st, n = 0;

	do {
		ptrace(PTRACE_SINGLESTEP, pid, 0, 0);
		waitpid(pid, &st, 0);
		ptrace(PTRACE_GETREGS, pid, 0, &r);
	} while (WIFSTOPPED(st) && r.rip != (unsigned long)call && ++n < 20);
	printf("%s: at the syscall instruction %s\n", name, r.rip == (unsigned long)call ? "yes" : "no");
	R("  singlestep", ptrace(PTRACE_SINGLESTEP, pid, 0, 0));
	waitpid(pid, &st, 0);
	stop_info(pid, "  stop", st);
	if (WIFSTOPPED(st) && (st >> 16) == PTRACE_EVENT_FORK) {
		unsigned long child;
		ptrace(PTRACE_GETEVENTMSG, pid, 0, &child);
		int cst;
		waitpid((pid_t)child, &cst, __WALL);
		R("  detach child", ptrace(PTRACE_DETACH, (pid_t)child, 0, 0));
		R("  singlestep", ptrace(PTRACE_SINGLESTEP, pid, 0, 0));
		waitpid(pid, &st, 0);
		stop_info(pid, "  stop", st);
	}
	ptrace(PTRACE_GETREGS, pid, 0, &r);
	if (call == call_mmap)
		YN("  mmap returned an address", r.rax < -4096UL && r.rax);
	else if (call == call_fork)
		YN("  fork returned a pid", (long)r.rax > 0);
	else
		printf("  rax: %s\n", (long)r.rax < 0 ? en((int)-r.rax) : "ok");
}

int
main(void)
{
	setvbuf(stdout, NULL, _IONBF, 0);
	int st;

	pid_t pid = fork();
	if (pid == 0) {
		ptrace(PTRACE_TRACEME, 0, 0, 0);
		calls();
		/* its fork child ran on untraced, without the trap flag (else SIGTRAP) */
		int cst;
		wait(&cst);
		_exit(WIFEXITED(cst) ? WEXITSTATUS(cst) : 100 + WTERMSIG(cst));
	}
	waitpid(pid, &st, 0);
	R("setoptions TRACEFORK", ptrace(PTRACE_SETOPTIONS, pid, 0, PTRACE_O_TRACEFORK));
	step_over(pid, "sched_yield", call_yield);
	step_over(pid, "getppid", call_ppid);
	step_over(pid, "mmap", call_mmap);
	step_over(pid, "fork", call_fork);
	/* on to the end (the fork child's SIGCHLD may stop it on the way) */
	int sig = 0;
	do {
		ptrace(PTRACE_CONT, pid, 0, sig);
		waitpid(pid, &st, 0);
		sig = WIFSTOPPED(st) && WSTOPSIG(st) != SIGTRAP ? WSTOPSIG(st) : 0;
	} while (WIFSTOPPED(st));
	printf("end: %s %d\n", WIFEXITED(st) ? "exited" : "other", WEXITSTATUS(st));
	return 0;
}
