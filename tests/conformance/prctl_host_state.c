/*
 * Settings the host kernel keeps for the guest's own process (the sandbox runs them there):
 * - PR_GET/SET_SPECULATION_CTRL: each control's state (what the CPU and the mitigations
 *   allow: the same on both sides of one machine), unknown controls (ENODEV), the argument
 *   checks, and what a disable or enable gives (ENXIO or EPERM where the mitigation is not
 *   under prctl control);
 * - PR_FUTEX_HASH (Linux 6.16): the private futex hash, none until a second thread (then
 *   the default size), the size set (a power of two, not 1; no flags), 0 for the global
 *   hash, after which it may not change (EBUSY); futexes work with each size;
 * - arch_prctl's dynamic XSTATE features (AMX): the supported and permitted feature masks,
 *   a bad address, permission requests for an unknown, a static and the AMX tile-data
 *   feature, and the guest (KVM) ones;
 * and what of them a forked child and an executed image have.
 */
#include "cf.h"
#include <asm/prctl.h>
#include <linux/futex.h>
#include <pthread.h>
#include <stdint.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>

#ifndef PR_FUTEX_HASH
#define PR_FUTEX_HASH 78
#endif
#define HASH_SET 1
#define HASH_GET 2
#define XFEATURE_XTILEDATA 18

static void
show(const char *who)
{
	static const char *const controls[] = { "store bypass", "indirect branch", "L1D flush",
						"control 3" };
	static const struct { int code; const char *name; } masks[] = {
		{ ARCH_GET_XCOMP_SUPP, "xcomp supported" },
		{ ARCH_GET_XCOMP_PERM, "xcomp permitted" },
		{ ARCH_GET_XCOMP_GUEST_PERM, "xcomp guest permitted" },
	};
	char label[96];

	for (int i = 0; i < 4; i++) {
		snprintf(label, sizeof(label), "%s: speculation %s", who, controls[i]);
		R(label, prctl(PR_GET_SPECULATION_CTRL, i, 0, 0, 0));
	}
	snprintf(label, sizeof(label), "%s: futex hash", who);
	R(label, prctl(PR_FUTEX_HASH, HASH_GET, 0, 0, 0));
	for (size_t i = 0; i < sizeof(masks) / sizeof(masks[0]); i++) {
		uint64_t m = 0;
		errno = 0;
		long r = syscall(SYS_arch_prctl, masks[i].code, &m);
		printf("%s: %s: %ld %s %#llx\n", who, masks[i].name, r, r ? en(errno) : "",
		       (unsigned long long)m);
	}
}

static void
speculation(void)
{
	R("spec get, arg3", prctl(PR_GET_SPECULATION_CTRL, 0, 1, 0, 0));
	R("spec get, arg5", prctl(PR_GET_SPECULATION_CTRL, 0, 0, 0, 1));
	R("spec set, arg4", prctl(PR_SET_SPECULATION_CTRL, 0, PR_SPEC_DISABLE, 1, 0));
	R("spec set control 3", prctl(PR_SET_SPECULATION_CTRL, 3, PR_SPEC_DISABLE, 0, 0));
	R("spec set store bypass 0", prctl(PR_SET_SPECULATION_CTRL, 0, 0, 0, 0));
	R("spec set store bypass 3", prctl(PR_SET_SPECULATION_CTRL, 0, 3, 0, 0));
	R("spec set store bypass disable",
	  prctl(PR_SET_SPECULATION_CTRL, 0, PR_SPEC_DISABLE, 0, 0));
	R("spec set store bypass enable", prctl(PR_SET_SPECULATION_CTRL, 0, PR_SPEC_ENABLE, 0, 0));
	R("spec set store bypass disable-noexec",
	  prctl(PR_SET_SPECULATION_CTRL, 0, PR_SPEC_DISABLE_NOEXEC, 0, 0));
	R("spec set indirect branch disable",
	  prctl(PR_SET_SPECULATION_CTRL, 1, PR_SPEC_DISABLE, 0, 0));
	R("spec set L1D flush enable", prctl(PR_SET_SPECULATION_CTRL, 2, PR_SPEC_ENABLE, 0, 0));
}

static void *
thread(void *arg)
{
	return arg;
}

/* a private futex wake with nobody waiting, and a wait on a changed word */
static void
use_futex(const char *label)
{
	int word = 1;
	char l[64];

	snprintf(l, sizeof(l), "%s: wake", label);
	R(l, syscall(SYS_futex, &word, FUTEX_WAKE_PRIVATE, 1, NULL, NULL, 0));
	snprintf(l, sizeof(l), "%s: wait, word changed", label);
	R(l, syscall(SYS_futex, &word, FUTEX_WAIT_PRIVATE, 0, NULL, NULL, 0));
}

static void
futex_hash(void)
{
	pthread_t th;

	R("hash get, arg3", prctl(PR_FUTEX_HASH, HASH_GET, 1, 0, 0));
	pthread_create(&th, NULL, thread, NULL);
	pthread_join(th, NULL);
	R("hash get after a thread", prctl(PR_FUTEX_HASH, HASH_GET, 0, 0, 0));
	R("hash set 3", prctl(PR_FUTEX_HASH, HASH_SET, 3, 0, 0));
	R("hash set 1", prctl(PR_FUTEX_HASH, HASH_SET, 1, 0, 0));
	R("hash set 8, arg4", prctl(PR_FUTEX_HASH, HASH_SET, 8, 1, 0));
	R("hash set 8", prctl(PR_FUTEX_HASH, HASH_SET, 8, 0, 0));
	R("hash get", prctl(PR_FUTEX_HASH, HASH_GET, 0, 0, 0));
	use_futex("8 slots");
	R("hash set 4096", prctl(PR_FUTEX_HASH, HASH_SET, 4096, 0, 0));
	R("hash get", prctl(PR_FUTEX_HASH, HASH_GET, 0, 0, 0));
	use_futex("4096 slots");
	R("hash set 0", prctl(PR_FUTEX_HASH, HASH_SET, 0, 0, 0));
	R("hash get", prctl(PR_FUTEX_HASH, HASH_GET, 0, 0, 0));
	use_futex("global hash");
	R("hash set 64", prctl(PR_FUTEX_HASH, HASH_SET, 64, 0, 0));
	R("hash op 3", prctl(PR_FUTEX_HASH, 3, 0, 0, 0));
}

static void
xcomp(void)
{
	R("xcomp supported, bad address", syscall(SYS_arch_prctl, ARCH_GET_XCOMP_SUPP, 8));
	R("xcomp permitted, bad address", syscall(SYS_arch_prctl, ARCH_GET_XCOMP_PERM, 8));
	R("xcomp request 99", syscall(SYS_arch_prctl, ARCH_REQ_XCOMP_PERM, 99));
	R("xcomp request 1 (SSE)", syscall(SYS_arch_prctl, ARCH_REQ_XCOMP_PERM, 1));
	R("xcomp request tile data",
	  syscall(SYS_arch_prctl, ARCH_REQ_XCOMP_PERM, XFEATURE_XTILEDATA));
	R("xcomp guest request 99", syscall(SYS_arch_prctl, ARCH_REQ_XCOMP_GUEST_PERM, 99));
	R("xcomp guest request tile data",
	  syscall(SYS_arch_prctl, ARCH_REQ_XCOMP_GUEST_PERM, XFEATURE_XTILEDATA));
}

int
main(int argc, char **argv)
{
	int st = -1;

	if (argc > 1) {
		show("exec");
		return 0;
	}
	show("start");
	speculation();
	futex_hash();
	xcomp();
	show("after the calls");
	fflush(stdout);
	pid_t pid = fork();
	if (pid == 0) {
		show("fork child");
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
