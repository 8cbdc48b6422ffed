/*
 * arch_prctl's dynamic XSTATE features (AMX): the supported and permitted feature masks
 * (the CPU's: the same on both sides of one machine), a bad address (EFAULT), permission
 * requests for an unknown, a static and the AMX tile-data feature, the guest (KVM) ones, and
 * the permitted mask in a forked child and an executed image.
 */
#include "cf.h"
#include <asm/prctl.h>
#include <stdint.h>
#include <sys/syscall.h>
#include <sys/wait.h>

#define XFEATURE_XTILEDATA 18

static void
masks(const char *who)
{
	static const struct { int code; const char *name; } gets[] = {
		{ ARCH_GET_XCOMP_SUPP, "supported" },
		{ ARCH_GET_XCOMP_PERM, "permitted" },
		{ ARCH_GET_XCOMP_GUEST_PERM, "guest permitted" },
	};
	char label[96];

	for (size_t i = 0; i < sizeof(gets) / sizeof(gets[0]); i++) {
		uint64_t m = 0;
		snprintf(label, sizeof(label), "%s: %s", who, gets[i].name);
		errno = 0;
		long r = syscall(SYS_arch_prctl, gets[i].code, &m);
		printf("%s: %ld %s %#llx\n", label, r, r ? en(errno) : "", (unsigned long long)m);
	}
}

int
main(int argc, char **argv)
{
	int st = -1;

	if (argc > 1) {
		masks("exec");
		return 0;
	}
	masks("start");
	R("supported, bad address", syscall(SYS_arch_prctl, ARCH_GET_XCOMP_SUPP, 8));
	R("permitted, bad address", syscall(SYS_arch_prctl, ARCH_GET_XCOMP_PERM, 8));
	R("request 99", syscall(SYS_arch_prctl, ARCH_REQ_XCOMP_PERM, 99));
	R("request 1 (SSE)", syscall(SYS_arch_prctl, ARCH_REQ_XCOMP_PERM, 1));
	R("request tile data", syscall(SYS_arch_prctl, ARCH_REQ_XCOMP_PERM, XFEATURE_XTILEDATA));
	R("guest request 99", syscall(SYS_arch_prctl, ARCH_REQ_XCOMP_GUEST_PERM, 99));
	R("guest request tile data",
	  syscall(SYS_arch_prctl, ARCH_REQ_XCOMP_GUEST_PERM, XFEATURE_XTILEDATA));
	masks("after requests");
	fflush(stdout);
	pid_t pid = fork();
	if (pid == 0) {
		masks("fork child");
		fflush(stdout);
		_exit(0);
	}
	waitpid(pid, &st, 0);
	R("fork child status", st);
	fflush(stdout);
	execl("/proc/self/exe", argv[0], "exec", (char *)NULL);
	printf("execl: %s\n", en(errno));
	return 1;
}
