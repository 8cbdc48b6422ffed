/* Run inside the sandbox (as its pid 1): what a guest tracer must not be able to do. Prints
 * one line per check, "ok ..." or "FAIL ...". */
#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <sys/ptrace.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <sys/user.h>
#include <sys/wait.h>
#include <unistd.h>

#include "platform/platform.h"
#define STUB PLAT_STUB_DEFAULT

static int fails;

static void
check(int ok, const char *what)
{
	printf("%s %s\n", ok ? "ok" : "FAIL", what);
	fails += !ok;
}

/* A child stopped at its first syscall-entry stop of getppid. */
static pid_t
traced_child(void)
{
	pid_t pid = fork();
	if (pid == 0) {
		ptrace(PTRACE_TRACEME, 0, 0, 0);
		raise(SIGSTOP);
		long r = syscall(SYS_getppid);
		_exit(r == getpid() ? 0 : r < 0 ? 100 + (int)-r % 100 : 99);
	}
	int st;
	waitpid(pid, &st, 0);
	for (int i = 0; i < 20; i++) {
		ptrace(PTRACE_SYSCALL, pid, 0, 0);
		waitpid(pid, &st, 0);
		struct user_regs_struct r;
		ptrace(PTRACE_GETREGS, pid, 0, &r);
		if (r.orig_rax == SYS_getppid && r.rax == (unsigned long long)-ENOSYS)
			break;
	}
	return pid;
}

static int
finish(pid_t pid)
{
	int st;
	ptrace(PTRACE_CONT, pid, 0, 0);
	waitpid(pid, &st, 0);
	while (WIFSTOPPED(st)) {
		ptrace(PTRACE_CONT, pid, 0, 0);
		waitpid(pid, &st, 0);
	}
	return st;
}

int
main(void)
{
	setvbuf(stdout, NULL, _IONBF, 0);
	/* 1. only guest tasks: every other pid is unknown */
	int bad = 0;
	for (int p = 2; p < 70000; p++) {
		errno = 0;
		if (ptrace(PTRACE_ATTACH, p, 0, 0) == 0 || errno != ESRCH)
			bad++;
	}
	check(bad == 0, "no pid outside the guest can be attached (ESRCH)");
	errno = 0;
	check(ptrace(PTRACE_ATTACH, getpid(), 0, 0) < 0 && errno == EPERM, "not itself");
	errno = 0;
	check(ptrace(PTRACE_SEIZE, 2, 0, 1L << 21) < 0 && errno == EPERM,
	      "PTRACE_O_SUSPEND_SECCOMP refused");

	/* 2. the stub region is neither shown nor written */
	pid_t pid = traced_child();
	errno = 0;
	long w = ptrace(PTRACE_PEEKTEXT, pid, STUB, 0);
	check(w == -1 && errno == EIO, "stub code not readable");
	errno = 0;
	check(ptrace(PTRACE_POKETEXT, pid, STUB, 0xccccccccccccccccUL) < 0 && errno == EIO,
	      "stub code not writable");
	check(ptrace(PTRACE_POKEDATA, pid, STUB + 0x1000, 0) < 0, "stub scratch not writable");
	check(ptrace(PTRACE_POKEDATA, pid, STUB + 0x1ffc, 0) < 0, "stub region end not writable");
	char buf[16];
	struct iovec l = { buf, 16 }, r = { (void *)STUB, 16 };
	check(syscall(SYS_process_vm_readv, pid, &l, 1, &r, 1, 0) < 0,
	      "process_vm_readv of the stub region fails");

	/* 3. registers: no 32-bit code segment, no kernel selectors */
	struct user_regs_struct regs, orig;
	ptrace(PTRACE_GETREGS, pid, 0, &orig);
	regs = orig;
	regs.cs = 0x23;
	errno = 0;
	check(ptrace(PTRACE_SETREGS, pid, 0, &regs) < 0 && errno == EIO, "cs 0x23 refused");
	regs = orig;
	regs.ss = 0x10;
	check(ptrace(PTRACE_SETREGS, pid, 0, &regs) < 0, "kernel ss refused");
	regs = orig;
	regs.fs_base = 0xffff800000000000UL;
	check(ptrace(PTRACE_SETREGS, pid, 0, &regs) < 0, "kernel fs_base refused");

	/* 4. a call changed at entry is the sentry's: getpid gives the virtual pid */
	regs = orig;
	regs.orig_rax = SYS_getpid;
	ptrace(PTRACE_SETREGS, pid, 0, &regs);
	int st = finish(pid);
	check(WIFEXITED(st) && WEXITSTATUS(st) == 0, "changed call ran in the sentry (virtual pid)");

	/* 5. changed into a denied call: the sandbox's refusal, not the host's call */
	pid = traced_child();
	ptrace(PTRACE_GETREGS, pid, 0, &regs);
	regs.orig_rax = SYS_kexec_load;
	ptrace(PTRACE_SETREGS, pid, 0, &regs);
	st = finish(pid);
	check(WIFEXITED(st) && WEXITSTATUS(st) == 100 + EPERM, "changed into kexec_load: EPERM");

	/* 6. changed into a compat (x32) call: the stub filter still kills it */
	pid = traced_child();
	ptrace(PTRACE_GETREGS, pid, 0, &regs);
	regs.orig_rax = 0x40000000UL | SYS_getpid;
	ptrace(PTRACE_SETREGS, pid, 0, &regs);
	st = finish(pid);
	check(WIFSIGNALED(st) || (WIFEXITED(st) && WEXITSTATUS(st) != 0),
	      "changed into an x32 call: not run");
	/* 7. registers written at PTRACE_EVENT_EXIT (inside exit_group, which the host has yet
	 * to run) do not become a call the sentry runs for the tracee */
	pid = fork();
	if (pid == 0) {
		ptrace(PTRACE_TRACEME, 0, 0, 0);
		raise(SIGSTOP);
		syscall(SYS_exit_group, 7);
		_exit(8);
	}
	waitpid(pid, &st, 0);
	ptrace(PTRACE_SETOPTIONS, pid, 0, PTRACE_O_TRACEEXIT);
	ptrace(PTRACE_CONT, pid, 0, 0);
	waitpid(pid, &st, 0);
	ptrace(PTRACE_GETREGS, pid, 0, &regs);
	regs.orig_rax = SYS_mmap;
	regs.rdi = STUB;
	regs.rsi = 0x2000;
	regs.rdx = 7;
	regs.r10 = 0x32; /* MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED */
	regs.r8 = -1;
	regs.r9 = 0;
	int set = ptrace(PTRACE_SETREGS, pid, 0, &regs);
	st = finish(pid);
	check((st >> 16) == 0 && set == 0 && WIFEXITED(st) && WEXITSTATUS(st) == 7,
	      "registers written at the exit event change nothing");
	printf("%s\n", fails ? "FAILED" : "PASSED");
	return fails != 0;
}
