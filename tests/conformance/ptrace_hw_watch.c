/*
 * Hardware watchpoints and breakpoints through ptrace (ptrace(2) PTRACE_POKEUSER of
 * u_debugreg, as gdb's `watch` and `hbreak` set them): DR0-3 take addresses, DR7 arms them;
 * a write to a watched word stops the tracee with SIGTRAP (si_code TRAP_HWBKPT) and DR6
 * names the register that hit; execution breakpoints stop before the instruction. Bad
 * values fail as Linux checks them: DR4/DR5, kernel addresses, a read-only watch type.
 */
#include "cf.h"
#include <signal.h>
#include <stddef.h>
#include <sys/ptrace.h>
#include <sys/user.h>
#include <sys/wait.h>

static volatile int watched;
static volatile int other;

static void __attribute__((noinline))
target_fn(void)
{
	other++;
}

#define DR(n) (offsetof(struct user, u_debugreg) + (n) * 8)

static long
poke(pid_t p, int n, unsigned long v)
{
	return ptrace(PTRACE_POKEUSER, p, DR(n), v);
}

static unsigned long
peek(pid_t p, int n)
{
	errno = 0;
	return (unsigned long)ptrace(PTRACE_PEEKUSER, p, DR(n), 0);
}

/* Runs the child to its next stop; prints the stop and, for SIGTRAP, the code and DR6. */
static int
cont_show(pid_t p, const char *label)
{
	int st;
	siginfo_t si;

	ptrace(PTRACE_CONT, p, 0, 0);
	waitpid(p, &st, 0);
	if (!WIFSTOPPED(st)) {
		printf("%s: ended %d\n", label, WIFEXITED(st) ? WEXITSTATUS(st) : -WTERMSIG(st));
		return -1;
	}
	memset(&si, 0, sizeof(si));
	ptrace(PTRACE_GETSIGINFO, p, 0, &si);
	unsigned long dr6 = peek(p, 6);
	printf("%s: stop %s code %d dr6 low bits %#lx watched %ld other %ld\n", label,
	       strsignal(WSTOPSIG(st)), WSTOPSIG(st) == SIGTRAP ? si.si_code : -1, dr6 & 0xf,
	       ptrace(PTRACE_PEEKDATA, p, (void *)&watched, 0) & 0xffffffff,
	       ptrace(PTRACE_PEEKDATA, p, (void *)&other, 0) & 0xffffffff);
	poke(p, 6, 0);
	return 0;
}

int
main(void)
{
	setvbuf(stdout, NULL, _IONBF, 0);
	pid_t p = fork();
	if (p == 0) {
		ptrace(PTRACE_TRACEME, 0, 0, 0);
		raise(SIGSTOP);
		watched = 1;
		other = 5;
		watched = 2;
		target_fn();
		_exit(0);
	}
	int st;
	waitpid(p, &st, 0);

	R("poke dr4", poke(p, 4, 0));
	R("poke dr0 kernel address", poke(p, 0, 0xffffffff81000000UL));
	R("poke dr0", poke(p, 0, (unsigned long)&watched));
	printf("peek dr0 is watched: %d\n", peek(p, 0) == (unsigned long)&watched);
	/* DR7: L0 enable, RW0 = 01 (write), LEN0 = 11 (4 bytes) */
	unsigned long dr7 = 1UL | (1UL << 16) | (3UL << 18);
	R("poke dr7 read-only type 10 (io)", poke(p, 7, 1UL | (2UL << 16) | (3UL << 18)));
	R("poke dr7 write watch", poke(p, 7, dr7));
	printf("peek dr7 same: %d\n", peek(p, 7) == dr7);
	cont_show(p, "first write");
	cont_show(p, "second write");
	/* now an execution breakpoint in DR1 on target_fn (RW1 = 00, LEN1 = 00) */
	R("poke dr1", poke(p, 1, (unsigned long)&target_fn));
	R("poke dr7 exec bp", poke(p, 7, (1UL << 2)));
	cont_show(p, "exec breakpoint");
	R("poke dr7 off", poke(p, 7, 0));
	cont_show(p, "to the end");
	return 0;
}
