/* PTRACE_GETREGSET / SETREGSET lengths: a length that is not a whole number of 8-byte
 * words is EINVAL (iov_len untouched), a longer one is cut to the set's size, 0 reads
 * nothing; an unknown set is EINVAL (strace's ptrace test walks the lengths one by one). */
#include "cf.h"
#include <elf.h>
#include <signal.h>
#include <sys/ptrace.h>
#include <sys/uio.h>
#include <sys/user.h>
#include <sys/wait.h>

static unsigned long regs[512];

static void
get(pid_t c, int type, const char *name, size_t len)
{
	struct iovec iov = { regs, len };
	char label[64];

	snprintf(label, sizeof(label), "get %s %zu", name, len);
	R(label, ptrace(PTRACE_GETREGSET, c, type, &iov));
	printf("  iov_len: %zu\n", iov.iov_len);
}

int
main(void)
{
	setvbuf(stdout, NULL, _IONBF, 0);
	pid_t c = fork();
	if (c == 0) {
		ptrace(PTRACE_TRACEME, 0, 0, 0);
		kill(getpid(), SIGSTOP);
		_exit(0);
	}
	int st;
	waitpid(c, &st, 0);
	size_t lens[] = { 0, 1, 7, 8, 215, 216, 217, 223, 224, 511, 512, 513, 520 };
	for (size_t i = 0; i < sizeof(lens) / sizeof(lens[0]); i++)
		get(c, NT_PRSTATUS, "prstatus", lens[i]);
	for (size_t i = 0; i < sizeof(lens) / sizeof(lens[0]); i++)
		if (lens[i] > 216)
			get(c, NT_PRFPREG, "fpregset", lens[i]);
	get(c, 0x7777, "unknown", 8);

	struct iovec iov = { regs, sizeof(struct user_regs_struct) };
	ptrace(PTRACE_GETREGSET, c, NT_PRSTATUS, &iov);
	iov.iov_len = 3;
	R("set prstatus 3", ptrace(PTRACE_SETREGSET, c, NT_PRSTATUS, &iov));
	printf("  iov_len: %zu\n", iov.iov_len);
	iov.iov_len = 300;
	R("set prstatus 300", ptrace(PTRACE_SETREGSET, c, NT_PRSTATUS, &iov));
	printf("  iov_len: %zu\n", iov.iov_len);
	R("cont", ptrace(PTRACE_CONT, c, 0, 0));
	waitpid(c, &st, 0);
	printf("exited %d\n", WIFEXITED(st) ? WEXITSTATUS(st) : -1);
	return 0;
}
