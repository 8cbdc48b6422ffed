/*
 * The stub's seccomp filter, built with libseccomp once at startup and exported as BPF.
 * Passthrough calls (DESIGN.md: caller-only, no fd/path/pid) run natively; the argument
 * checks keep them away from the stub page. Everything else is SECCOMP_RET_TRACE, i.e. a
 * trip to the sentry. Foreign architectures (int 0x80, x32) kill the process.
 */
#include <linux/futex.h>
#include <asm/prctl.h>
#include <seccomp.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "platform/internal.h"
#include "platform/platform.h"
#include "sentry/util.h"

#define STUB_END (PLAT_STUB_ADDR + PLAT_STUB_SIZE)

/* Calls allowed without conditions. */
static const int pass_always[] = {
	SCMP_SYS(rt_sigreturn), SCMP_SYS(restart_syscall), SCMP_SYS(rt_sigprocmask), SCMP_SYS(rt_sigaction),
	SCMP_SYS(sigaltstack),
	SCMP_SYS(sched_yield), SCMP_SYS(nanosleep), SCMP_SYS(clock_nanosleep),
	SCMP_SYS(clock_gettime), SCMP_SYS(clock_getres), SCMP_SYS(gettimeofday),
	SCMP_SYS(getrandom), SCMP_SYS(rseq), SCMP_SYS(set_robust_list),
};

/*
 * madvise away from the stub page, except MADV_DONTFORK/MADV_DOFORK (10, 11), which decide
 * what fork copies and so must reach the sentry's records. mmap, munmap, mprotect and
 * mremap always come to the sentry: it places and records every mapping.
 */
static int
add_madvise(scmp_filter_ctx f)
{
	int err = 0;

	for (int low = 0; low < 2 && !err; low++) {
		struct scmp_arg_cmp advice = low ? SCMP_A2_32(SCMP_CMP_LT, MADV_DONTFORK)
						 : SCMP_A2_32(SCMP_CMP_GT, MADV_DOFORK);
		err = seccomp_rule_add(f, SCMP_ACT_ALLOW, SCMP_SYS(madvise), 3,
				       SCMP_A0(SCMP_CMP_LT, PLAT_PASS_LOW),
				       SCMP_A1(SCMP_CMP_LE, PLAT_PASS_LEN), advice);
		if (!err)
			err = seccomp_rule_add(f, SCMP_ACT_ALLOW, SCMP_SYS(madvise), 2,
					       SCMP_A0(SCMP_CMP_GE, STUB_END), advice);
	}
	return err;
}

static int
add_rules(scmp_filter_ctx f)
{
	int err = 0;

	for (size_t i = 0; i < ARRAY_SIZE(pass_always) && !err; i++)
		err = seccomp_rule_add(f, SCMP_ACT_ALLOW, pass_always[i], 0);
	if (!err)
		err = add_madvise(f);
	/* Process-private futexes only. */
	if (!err)
		err = seccomp_rule_add(f, SCMP_ACT_ALLOW, SCMP_SYS(futex), 1,
				       SCMP_A1(SCMP_CMP_MASKED_EQ, FUTEX_PRIVATE_FLAG,
					       FUTEX_PRIVATE_FLAG));
	if (!err)
		err = seccomp_rule_add(f, SCMP_ACT_ALLOW, SCMP_SYS(arch_prctl), 1,
				       SCMP_A0(SCMP_CMP_EQ, ARCH_SET_FS));
	return err;
}

/* libseccomp 2.5 exports BPF only to an fd: go through a pipe. */
static int
export_bpf(scmp_filter_ctx f, struct sock_fprog *out)
{
	int p[2];
	char *buf = xmalloc(65536);
	ssize_t n;
	int err;

	if (pipe(p) < 0) {
		free(buf);
		return -errno;
	}
	err = seccomp_export_bpf(f, p[1]);
	close(p[1]);
	n = err ? -1 : read(p[0], buf, 65536);
	close(p[0]);
	if (err || n <= 0 || n % sizeof(struct sock_filter)) {
		free(buf);
		return err ? err : -EIO;
	}
	out->len = n / sizeof(struct sock_filter);
	out->filter = (struct sock_filter *)buf;
	return 0;
}

int
stub_filter_build(struct sock_fprog *out)
{
	scmp_filter_ctx f = seccomp_init(SCMP_ACT_TRACE(0));
	int err;

	if (!f)
		return -ENOMEM;
	err = seccomp_attr_set(f, SCMP_FLTATR_ACT_BADARCH, SCMP_ACT_KILL_PROCESS);
	if (!err)
		err = add_rules(f);
	if (!err)
		err = export_bpf(f, out);
	seccomp_release(f);
	return err;
}
