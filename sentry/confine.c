/* Installs the sentry's allowlist (sentry/confine_rules.c), built into the binary. */
#include <linux/audit.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "sentry/filters.h"
#include "sentry/sentry.h"

/*
 * The stubs inherit this filter. libseccomp's program kills every call with bit 30 of its
 * number set (x32's), also those no ABI has, which Linux fails with ENOSYS (-2 is one a
 * tracer such as proot sets to skip a call): a head sends those to the default action
 * (TRACE: the sentry's, or ENOSYS in the sentry itself, which nobody traces). x32's own
 * numbers still go to the program and are killed.
 */
#define NR_BIG 0x40000400U /* past x32's calls (as platform/filter.c) */

int
confine_sentry(void)
{
	enum { HEAD = 5 };
	struct sock_filter head[HEAD] = {
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, arch)),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, AUDIT_ARCH_X86_64, 0, 3),
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr)),
		BPF_JUMP(BPF_JMP | BPF_JGE | BPF_K, NR_BIG, 0, 1),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_TRACE),
	};

	if (!sentry_filter.len || sentry_filter.len + HEAD > BPF_MAXINSNS)
		return -EINVAL;
	struct sock_filter *all = xcalloc(HEAD + sentry_filter.len, sizeof(*all));
	memcpy(all, head, sizeof(head));
	memcpy(all + HEAD, sentry_filter.insns, sentry_filter.len * sizeof(*all));
	struct sock_fprog prog = { .len = HEAD + sentry_filter.len, .filter = all };
	int err = syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, 0, &prog) < 0 ? -errno : 0;
	free(all);
	return err;
}
