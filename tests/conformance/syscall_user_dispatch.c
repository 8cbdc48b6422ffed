/*
 * Syscall user dispatch (prctl PR_SET_SYSCALL_USER_DISPATCH): with the selector at BLOCK a
 * call from outside the allowed region is not run but turned into a thread-directed
 * SIGSYS (si_code SYS_USER_DISPATCH, si_syscall, si_arch, si_call_addr after the syscall
 * instruction, rax left holding the number); ALLOW, or a call from inside the region,
 * runs; the prctl's errors; a bad selector value or address ends the process; not kept
 * by fork's child or execve.
 */
#include "cf.h"
#include <linux/audit.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <ucontext.h>

#ifndef PR_SET_SYSCALL_USER_DISPATCH
#define PR_SET_SYSCALL_USER_DISPATCH 59
#define PR_SYS_DISPATCH_OFF 0
#define PR_SYS_DISPATCH_ON 1
#define SYSCALL_DISPATCH_FILTER_ALLOW 0
#define SYSCALL_DISPATCH_FILTER_BLOCK 1
#endif
#ifndef SYS_USER_DISPATCH
#define SYS_USER_DISPATCH 2
#endif

static volatile char sel = SYSCALL_DISPATCH_FILTER_ALLOW;
static volatile int hits, code, nr, arch, same_addr;
static volatile long rax;
static volatile uintptr_t call_addr;

static void
on_sigsys(int sig, siginfo_t *si, void *p)
{
	ucontext_t *uc = p;

	(void)sig;
	sel = SYSCALL_DISPATCH_FILTER_ALLOW; /* else rt_sigreturn itself is dispatched */
	hits++;
	code = si->si_code;
	nr = si->si_syscall;
	arch = si->si_arch == AUDIT_ARCH_X86_64;
	rax = uc->uc_mcontext.gregs[REG_RAX];
	same_addr = (uintptr_t)si->si_call_addr == (uintptr_t)uc->uc_mcontext.gregs[REG_RIP];
	uc->uc_mcontext.gregs[REG_RAX] = 4242; /* the emulated call's result */
}

/* One raw getpid-like call with the selector at BLOCK: its result and what the handler saw. */
static long
blocked_call(long number, long arg)
{
	long r;

	sel = SYSCALL_DISPATCH_FILTER_BLOCK;
	__asm__ volatile("syscall" : "=a"(r) : "0"(number), "D"(arg) : "rcx", "r11", "memory");
	sel = SYSCALL_DISPATCH_FILTER_ALLOW;
	return r;
}

static int
child_status(pid_t pid)
{
	int st = 0;

	waitpid(pid, &st, 0);
	if (WIFSIGNALED(st))
		printf("  child killed by %s\n", sigabbrev_np(WTERMSIG(st)));
	else
		printf("  child exited %d\n", WEXITSTATUS(st));
	return st;
}

/* A child that sets the selector to value, arms dispatch with selp and makes a call. */
static void
armed_child(const char *label, char value, volatile char *selp, bool mask_sigsys)
{
	pid_t pid = fork();

	if (pid == 0) {
		sigset_t m;
		sigemptyset(&m);
		sigaddset(&m, SIGSYS);
		if (mask_sigsys)
			sigprocmask(SIG_BLOCK, &m, NULL);
		sel = value;
		prctl(PR_SET_SYSCALL_USER_DISPATCH, PR_SYS_DISPATCH_ON, 0, 0, selp);
		syscall(SYS_getpid);
		_exit(0);
	}
	printf("%s:\n", label);
	child_status(pid);
}

int
main(int argc, char **argv)
{
	struct sigaction sa = { .sa_sigaction = on_sigsys, .sa_flags = SA_SIGINFO };
	int p[2];

	setvbuf(stdout, NULL, _IOLBF, 0);
	if (argc > 1) { /* after execve: is dispatch still on? */
		printf("exec'd: a call with the old selector's value runs: %s\n",
		       syscall(SYS_getpid) > 0 ? "yes" : "no");
		return 0;
	}
	sigaction(SIGSYS, &sa, NULL);

	R("mode 7", prctl(PR_SET_SYSCALL_USER_DISPATCH, 7, 0, 0, 0));
	R("inclusive, empty region", prctl(PR_SET_SYSCALL_USER_DISPATCH, 2, 4096, 0, &sel));
	R("inclusive, region wraps", prctl(PR_SET_SYSCALL_USER_DISPATCH, 2, -4096L, 8192, &sel));
	/* inclusive: only calls from [4096, 8192) would be dispatched */
	R("inclusive", prctl(PR_SET_SYSCALL_USER_DISPATCH, 2, 4096, 4096, &sel));
	YN("inclusive: blocked call from elsewhere runs", blocked_call(SYS_getpid, 0) > 0 && !hits);
	R("inclusive, all user space", prctl(PR_SET_SYSCALL_USER_DISPATCH, 2, 4096,
					     0x7ffffffff000L - 4096, &sel));
	long r = blocked_call(SYS_getpid, 0);
	printf("inclusive: blocked call inside: result %ld, hits %d\n", r, hits);
	hits = 0;
	R("off with an offset", prctl(PR_SET_SYSCALL_USER_DISPATCH, PR_SYS_DISPATCH_OFF, 1, 0, 0));
	R("off with a selector", prctl(PR_SET_SYSCALL_USER_DISPATCH, PR_SYS_DISPATCH_OFF, 0, 0, &sel));
	R("off", prctl(PR_SET_SYSCALL_USER_DISPATCH, PR_SYS_DISPATCH_OFF, 0, 0, 0));
	R("on, region wraps", prctl(PR_SET_SYSCALL_USER_DISPATCH, PR_SYS_DISPATCH_ON, -4096L, 8192, &sel));
	R("on, selector beyond user space", prctl(PR_SET_SYSCALL_USER_DISPATCH, PR_SYS_DISPATCH_ON,
						  0, 0, (char *)-4096L));

	/* no region: every call dispatched while the selector says BLOCK */
	R("on", prctl(PR_SET_SYSCALL_USER_DISPATCH, PR_SYS_DISPATCH_ON, 0, 0, &sel));
	YN("allowed call runs", getpid() > 0 && hits == 0);
	pipe(p);
	r = blocked_call(SYS_close, p[0]);
	printf("blocked close: result %ld, hits %d, code %d (SYS_USER_DISPATCH %s), nr is close %s, "
	       "arch %d, call addr is rip %d, rax was the number %s\n", r, hits, code,
	       code == SYS_USER_DISPATCH ? "yes" : "no", nr == SYS_close ? "yes" : "no", arch,
	       same_addr, rax == SYS_close ? "yes" : "no");
	YN("blocked close did not close", fcntl(p[0], F_GETFD) == 0);
	r = blocked_call(SYS_getpid, 0);
	printf("blocked getpid: result %ld, hits %d\n", r, hits);

	/* the region [offset, offset+len) around this function's syscall lets it run */
	R("on with the whole space but page 0 as region",
	  prctl(PR_SET_SYSCALL_USER_DISPATCH, PR_SYS_DISPATCH_ON, 4096, -8192L, &sel));
	r = blocked_call(SYS_getpid, 0);
	YN("blocked call from inside the region runs", r > 0 && hits == 2);
	R("on again", prctl(PR_SET_SYSCALL_USER_DISPATCH, PR_SYS_DISPATCH_ON, 0, 0, &sel));

	/* fork's child and an execve */
	pid_t pid = fork();
	if (pid == 0) {
		r = blocked_call(SYS_getpid, 0);
		prctl(PR_SET_SYSCALL_USER_DISPATCH, PR_SYS_DISPATCH_ON, 0, 0, &sel);
		if (r > 0 && blocked_call(SYS_getpid, 0) != 4242)
			_exit(2);
		_exit(r == 4242 ? 42 : r > 0 ? 0 : 1);
	}
	printf("fork's child, blocked call:\n");
	child_status(pid);
	pid = fork();
	if (pid == 0) {
		sel = SYSCALL_DISPATCH_FILTER_BLOCK;
		char *args[] = { argv[0], "x", NULL };
		syscall(SYS_execve, argv[0], args, environ);
		_exit(9);
	}
	printf("execve with the selector at BLOCK:\n");
	child_status(pid);

	/* selector values other than ALLOW and BLOCK, a selector that cannot be read, a SIGSYS
	 * that cannot be delivered; no selector: the handler's rt_sigreturn is dispatched too */
	armed_child("selector 7", 7, &sel, false);
	armed_child("unreadable selector", SYSCALL_DISPATCH_FILTER_ALLOW, (char *)8, false);
	armed_child("SIGSYS blocked", SYSCALL_DISPATCH_FILTER_BLOCK, &sel, true);
	armed_child("no selector", SYSCALL_DISPATCH_FILTER_ALLOW, NULL, false);
	R("off", prctl(PR_SET_SYSCALL_USER_DISPATCH, PR_SYS_DISPATCH_OFF, 0, 0, 0));
	r = blocked_call(SYS_getpid, 0);
	YN("off: blocked call runs", r > 0);
	return 0;
}
