/*
 * floor PROGRAM [ARGS...]: the bare mechanism the sandbox's ptrace platform uses, without the
 * sentry. The child installs a seccomp filter that returns SECCOMP_RET_TRACE for getppid and
 * allows everything else, then execs PROGRAM under PTRACE_TRACEME. At each seccomp stop the
 * tracer reads the registers, skips the call (orig_rax = -1), sets the result in rax, writes the
 * registers back and continues. That is one emulated syscall round trip with zero work done.
 */
#include <errno.h>
#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <signal.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/ptrace.h>
#include <sys/syscall.h>
#include <sys/user.h>
#include <sys/wait.h>
#include <unistd.h>

#define FLOOR_PPID 4242         /* what the traced getppid returns */

static int
install_filter(void)
{
	struct sock_filter insns[] = {
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, arch)),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, AUDIT_ARCH_X86_64, 1, 0),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr)),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, SYS_getppid, 0, 1),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_TRACE),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
	};
	struct sock_fprog prog = { .len = sizeof(insns) / sizeof(insns[0]), .filter = insns };

	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0)
		return -errno;
	if (syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, 0, &prog) < 0)
		return -errno;
	return 0;
}

static void __attribute__((noreturn))
child(char **argv)
{
	if (ptrace(PTRACE_TRACEME, 0, NULL, NULL) < 0) {
		perror("floor: PTRACE_TRACEME");
		_exit(125);
	}
	raise(SIGSTOP);         /* let the parent set the options before the filter exists */
	int err = install_filter();
	if (err) {
		fprintf(stderr, "floor: seccomp: %s\n", strerror(-err));
		_exit(125);
	}
	execv(argv[0], argv);
	fprintf(stderr, "floor: %s: %s\n", argv[0], strerror(errno));
	_exit(127);
}

/* Answers one seccomp stop: skip the call and return FLOOR_PPID. */
static int
answer(pid_t pid)
{
	struct user_regs_struct regs;

	if (ptrace(PTRACE_GETREGS, pid, NULL, &regs) < 0)
		return -errno;
	regs.orig_rax = -1;
	regs.rax = FLOOR_PPID;
	if (ptrace(PTRACE_SETREGS, pid, NULL, &regs) < 0)
		return -errno;
	return 0;
}

int
main(int argc, char **argv)
{
	int status, sig;
	pid_t pid;

	if (argc < 2) {
		fprintf(stderr, "usage: floor PROGRAM [ARGS...]\n");
		return 2;
	}
	pid = fork();
	if (pid < 0) {
		perror("floor: fork");
		return 125;
	}
	if (pid == 0)
		child(argv + 1);
	if (waitpid(pid, &status, 0) < 0 || !WIFSTOPPED(status)) {
		fprintf(stderr, "floor: child did not stop\n");
		return 125;
	}
	if (ptrace(PTRACE_SETOPTIONS, pid, NULL,
		   PTRACE_O_TRACESECCOMP | PTRACE_O_TRACEEXEC | PTRACE_O_EXITKILL) < 0) {
		perror("floor: PTRACE_SETOPTIONS");
		return 125;
	}
	sig = 0;
	for (;;) {
		if (ptrace(PTRACE_CONT, pid, NULL, (void *)(long)sig) < 0) {
			perror("floor: PTRACE_CONT");
			return 125;
		}
		sig = 0;
		if (waitpid(pid, &status, 0) < 0) {
			perror("floor: waitpid");
			return 125;
		}
		if (WIFEXITED(status))
			return WEXITSTATUS(status);
		if (WIFSIGNALED(status))
			return 128 + WTERMSIG(status);
		if (status >> 8 == (SIGTRAP | (PTRACE_EVENT_SECCOMP << 8))) {
			int err = answer(pid);
			if (err) {
				fprintf(stderr, "floor: registers: %s\n", strerror(-err));
				return 125;
			}
		} else if (status >> 8 == (SIGTRAP | (PTRACE_EVENT_EXEC << 8))) {
			continue;
		} else if (WSTOPSIG(status) != SIGTRAP) {
			sig = WSTOPSIG(status);  /* a real signal: deliver it */
		}
	}
}
