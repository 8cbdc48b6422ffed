/*
 * The stub's seccomp filter, built with libseccomp once at startup and exported as BPF.
 * Passthrough calls (DESIGN.md: caller-only, no fd/path/pid) run natively; the argument
 * checks keep them away from the stub page. Everything else is SECCOMP_RET_TRACE, i.e. a
 * trip to the sentry. Foreign architectures (int 0x80, x32) kill the process.
 */
#include <linux/audit.h>
#include <linux/futex.h>
#include <linux/seccomp.h>
#include <stddef.h>
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
	SCMP_SYS(rt_sigreturn), SCMP_SYS(restart_syscall), /* a native sleep resumed after a stop */
	SCMP_SYS(rt_sigprocmask),
	SCMP_SYS(sigaltstack),
	SCMP_SYS(sched_yield), SCMP_SYS(nanosleep), SCMP_SYS(clock_nanosleep),
	SCMP_SYS(clock_gettime), SCMP_SYS(clock_getres), SCMP_SYS(gettimeofday),
	SCMP_SYS(getrandom), SCMP_SYS(rseq), SCMP_SYS(set_robust_list),
};

/* madvise away from the stub page (MADV_DONTFORK and MADV_DOFORK go to the sentry first:
 * see madvise_head). mmap, munmap, mprotect and mremap always come to the sentry: it places
 * and records every mapping. */
static const int pass_range[] = { SCMP_SYS(madvise) };

static int
add_rules(scmp_filter_ctx f)
{
	int err = 0;

	for (size_t i = 0; i < ARRAY_SIZE(pass_always) && !err; i++)
		err = seccomp_rule_add(f, SCMP_ACT_ALLOW, pass_always[i], 0);
	for (size_t i = 0; i < ARRAY_SIZE(pass_range) && !err; i++) {
		err = seccomp_rule_add(f, SCMP_ACT_ALLOW, pass_range[i], 2,
				       SCMP_A0(SCMP_CMP_LT, PLAT_PASS_LOW),
				       SCMP_A1(SCMP_CMP_LE, PLAT_PASS_LEN));
		if (!err)
			err = seccomp_rule_add(f, SCMP_ACT_ALLOW, pass_range[i], 1,
					       SCMP_A0(SCMP_CMP_GE, STUB_END));
	}
	/* Asking for a signal's action runs natively; setting one comes to the sentry, which
	 * keeps every handler (then the host installs it). */
	if (!err)
		err = seccomp_rule_add(f, SCMP_ACT_ALLOW, SCMP_SYS(rt_sigaction), 1,
				       SCMP_A1(SCMP_CMP_EQ, 0));
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

/*
 * Hand-written head of the stub filter: madvise(MADV_DONTFORK or MADV_DOFORK), which decide
 * what fork copies, always goes to the sentry's records, as does advice with bits above the
 * low 32 (the kernel truncates it). libseccomp 2.5 cannot say "not 10 or 11" in one rule
 * without a blowup. Only x86-64 calls are looked at; everything else falls through to the
 * libseccomp program, which kills foreign architectures.
 */
static const struct sock_filter madvise_head[] = {
	BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, arch)),
	BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, AUDIT_ARCH_X86_64, 0, 8),
	BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr)),
	BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, __NR_madvise, 0, 6),
	BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, args[2]) + 4),
	BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, 0, 0, 3),
	BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, args[2])),
	BPF_STMT(BPF_ALU | BPF_AND | BPF_K, ~1U),
	BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, MADV_DONTFORK, 0, 1),
	BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_TRACE),
};

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
	size_t head = ARRAY_SIZE(madvise_head), len = n / sizeof(struct sock_filter);
	out->filter = xcalloc(head + len, sizeof(struct sock_filter));
	memcpy(out->filter, madvise_head, sizeof(madvise_head));
	memcpy(out->filter + head, buf, n);
	out->len = head + len;
	free(buf);
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
