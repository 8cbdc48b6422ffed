/* PTRACE_GETREGSET / SETREGSET of NT_X86_XSTATE: the whole XSAVE area, CPUID leaf 0xD's
 * size (11008 bytes with AMX: more than a page), read and written back; a
 * write of less than all of it is EFAULT, one with reserved header bits EINVAL (LTP's
 * ptrace07). gdb reads and writes the vector registers so. */
#include "cf.h"
#include <cpuid.h>
#include <elf.h>
#include <signal.h>
#include <stdint.h>
#include <sys/mman.h>
#include <sys/ptrace.h>
#include <sys/uio.h>
#include <sys/wait.h>

#ifndef NT_X86_XSTATE
#define NT_X86_XSTATE 0x202
#endif

#define AREA 65536

int
main(void)
{
	unsigned int eax, ebx = 0, ecx, edx;

	setvbuf(stdout, NULL, _IONBF, 0);
	/* AREA bytes with nothing mapped after them */
	uint64_t *area = mmap(NULL, 2 * AREA, PROT_READ | PROT_WRITE,
			      MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	munmap((char *)area + AREA, AREA);
	if (!__get_cpuid_count(0xd, 0, &eax, &ebx, &ecx, &edx) || !ebx) {
		printf("no xsave\n");
		return 0;
	}
	pid_t c = fork();
	if (c == 0) {
		ptrace(PTRACE_TRACEME, 0, 0, 0);
		kill(getpid(), SIGSTOP);
		_exit(7);
	}
	int st;
	waitpid(c, &st, 0);

	struct iovec iov = { area, AREA };
	R("get", ptrace(PTRACE_GETREGSET, c, NT_X86_XSTATE, &iov));
	printf("  iov_len is the cpuid size: %s\n", iov.iov_len == ebx ? "yes" : "no");
	size_t size = iov.iov_len;
	R("set whole", ptrace(PTRACE_SETREGSET, c, NT_X86_XSTATE, &iov));
	printf("  iov_len: %s\n", iov.iov_len == size ? "size" : "other");
	iov.iov_len = AREA;
	R("set longer", ptrace(PTRACE_SETREGSET, c, NT_X86_XSTATE, &iov));
	printf("  iov_len: %s\n", iov.iov_len == size ? "size" : "other");
	iov.iov_len = size - 8;
	R("set short", ptrace(PTRACE_SETREGSET, c, NT_X86_XSTATE, &iov));
	iov.iov_len = 512;
	R("set legacy part", ptrace(PTRACE_SETREGSET, c, NT_X86_XSTATE, &iov));

	/* a length past the end of the memory the set is in: only the set's size is read */
	uint64_t *tail = area + AREA / 8 - size / 8;
	memmove(tail, area, size);
	iov = (struct iovec){ tail, AREA };
	R("set at the end", ptrace(PTRACE_SETREGSET, c, NT_X86_XSTATE, &iov));

	iov = (struct iovec){ area, size };
	ptrace(PTRACE_GETREGSET, c, NT_X86_XSTATE, &iov);
	area[65] = -1; /* xstate_header.xcomp_bv: all bits */
	R("set reserved bits", ptrace(PTRACE_SETREGSET, c, NT_X86_XSTATE, &iov));

	R("cont", ptrace(PTRACE_CONT, c, 0, 0));
	waitpid(c, &st, 0);
	printf("exited %d\n", WIFEXITED(st) ? WEXITSTATUS(st) : -1);
	return 0;
}
