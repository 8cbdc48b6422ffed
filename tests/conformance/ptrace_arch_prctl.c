/* PTRACE_ARCH_PRCTL (gdbserver's thread_db asks it for a thread's FS base, gdb.server/
 * *.exp): ARCH_GET_FS and ARCH_GET_GS give the tracee's bases as PEEKUSER does, the SET
 * ones change them, a base past the user address space is EPERM, another option EINVAL,
 * a bad result address EFAULT. The sandbox had no such request (EIO). */
#include "cf.h"
#include <asm/prctl.h>
#include <signal.h>
#include <stddef.h>
#include <sys/ptrace.h>
#include <sys/user.h>
#include <sys/wait.h>

int
main(void)
{
	setvbuf(stdout, NULL, _IONBF, 0);
	int st;

	pid_t pid = fork();
	if (pid == 0) {
		ptrace(PTRACE_TRACEME, 0, 0, 0);
		raise(SIGSTOP);
		_exit(0);
	}
	waitpid(pid, &st, 0);
	unsigned long fs = 0, gs = 1, peek;
	R("ARCH_GET_FS", ptrace(PTRACE_ARCH_PRCTL, pid, &fs, ARCH_GET_FS));
	peek = ptrace(PTRACE_PEEKUSER, pid, offsetof(struct user_regs_struct, fs_base), 0);
	YN("  is the PEEKUSER fs_base, not 0", fs == peek && fs != 0);
	R("ARCH_GET_GS", ptrace(PTRACE_ARCH_PRCTL, pid, &gs, ARCH_GET_GS));
	printf("  gs base: %#lx\n", gs);
	R("ARCH_SET_GS", ptrace(PTRACE_ARCH_PRCTL, pid, 0x12345000UL, ARCH_SET_GS));
	R("ARCH_GET_GS", ptrace(PTRACE_ARCH_PRCTL, pid, &gs, ARCH_GET_GS));
	printf("  gs base: %#lx\n", gs);
	peek = ptrace(PTRACE_PEEKUSER, pid, offsetof(struct user_regs_struct, gs_base), 0);
	printf("  PEEKUSER gs_base: %#lx\n", peek);
	R("ARCH_SET_GS 0", ptrace(PTRACE_ARCH_PRCTL, pid, 0UL, ARCH_SET_GS));
	R("ARCH_SET_FS kernel address", ptrace(PTRACE_ARCH_PRCTL, pid, 0xffff800000000000UL, ARCH_SET_FS));
	R("ARCH_SET_FS same", ptrace(PTRACE_ARCH_PRCTL, pid, fs, ARCH_SET_FS));
	R("ARCH_GET_FS to a bad address", ptrace(PTRACE_ARCH_PRCTL, pid, 8UL, ARCH_GET_FS));
	R("option 0x1000", ptrace(PTRACE_ARCH_PRCTL, pid, &fs, 0x1000));
	R("cont", ptrace(PTRACE_CONT, pid, 0, 0));
	waitpid(pid, &st, 0);
	printf("end: %s %d\n", WIFEXITED(st) ? "exited" : "other", WEXITSTATUS(st));
	return 0;
}
