/*
 * The stub's seccomp filter: a hand-written head with the run's secret token (below), then
 * the program libseccomp made at build time from platform/stub_rules.c (sentry/filters.h).
 */
#include <linux/audit.h>
#include <linux/seccomp.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "platform/internal.h"
#include "platform/platform.h"
#include "sentry/filters.h"
#include "sentry/util.h"

/*
 * Hand-written head of the stub filter, for what libseccomp 2.5 cannot say:
 *
 * 1. Calls the sentry injects (platform/ptrace) run without a second trip to it when they
 *    come from one of the stub's two syscall instructions (a single call, the batch loop)
 *    AND carry the run's secret token in an argument the kernel ignores: the high half of
 *    mmap's fd (fget truncates it to int) or the unused sixth argument of the others
 *    (token_calls; clone's children are traced from birth like any). The guest can jump to
 *    the stub page but does not know the token (it lives in the sentry and in this program,
 *    neither readable from a stub), so a forged call is traced like any other.
 * 2. madvise(MADV_DONTFORK or MADV_DOFORK), which decide what fork copies, and
 *    MADV_DONTDUMP or MADV_DODUMP, what a core holds, always go to the sentry's records,
 *    as does advice with bits above the low 32 (the kernel truncates it); "not 10 or 11"
 *    in one libseccomp rule blows up.
 *
 * 3. Numbers no ABI has (from NR_BIG up: -2 is one a tracer such as proot sets to skip a
 *    call) go to the sentry, which fails them with ENOSYS as Linux does; libseccomp's program
 *    would kill them with the x32 calls (bit 30 set), which stay killed.
 *
 * Only x86-64 calls are looked at; everything else falls through to the libseccomp program,
 * which kills foreign architectures.
 */
#define NR_BIG 0x40000400U /* past x32's calls (X32_NR_syscalls is 548 in Linux 6.x) */
#define LD(field) ((struct sock_filter)BPF_STMT(BPF_LD | BPF_W | BPF_ABS, (field)))
#define ARG_LO(n) (offsetof(struct seccomp_data, args[n]))
#define ARG_HI(n) (offsetof(struct seccomp_data, args[n]) + 4)
#define IP_LO offsetof(struct seccomp_data, instruction_pointer)
#define IP_HI (offsetof(struct seccomp_data, instruction_pointer) + 4)
#define RET(v) ((struct sock_filter)BPF_STMT(BPF_RET | BPF_K, (v)))
#define JEQ(k, t, f) BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, (k), (t), (f))

/* Injected calls that may carry the token in their sixth argument (none uses it). */
static const int token_calls[] = {
	__NR_munmap, __NR_mprotect, __NR_mremap, __NR_set_tid_address, __NR_clone, __NR_close,
	__NR_exit,
	__NR_pidfd_open, __NR_pidfd_getfd, __NR_rt_sigaction, __NR_rt_sigprocmask,
	__NR_rt_sigpending, __NR_sysinfo, __NR_times, __NR_prctl, __NR_brk, __NR_getpid,
	__NR_getrusage, __NR_rt_sigtimedwait, __NR_timer_create, __NR_timer_delete,
	__NR_pkey_mprotect,
};
#define NTOKEN ((int)ARRAY_SIZE(token_calls))

enum {  /* positions in the head, for the jumps */
	H_ARCH = 0, H_BIG = 2, H_IPLO = 4, H_IPHI = 7, H_NR = 9, H_MMAP = 10, H_LIST = 13,
	H_TOKEN = H_LIST + NTOKEN + 1, H_ALLOW = H_TOKEN + 4, H_TRACE = H_ALLOW + 1,
	H_MADV = H_TRACE + 1, H_END = H_MADV + 9,
};

bool
stub_token_call(long nr)
{
	for (int i = 0; i < NTOKEN; i++)
		if (token_calls[i] == nr)
			return true;
	return false;
}

static int
stub_head(struct sock_filter *h, unsigned long token)
{
	/* after the stub's syscall instructions (both in one page: one high half) */
	const unsigned long ip = STUB_SINGLE_IP, ip2 = STUB_BATCH_IP;
	int n = 0;

	h[n++] = LD(offsetof(struct seccomp_data, arch));                       /* H_ARCH */
	h[n++] = (struct sock_filter)JEQ(AUDIT_ARCH_X86_64, 0, H_END - 2);
	h[n++] = LD(offsetof(struct seccomp_data, nr));                         /* H_BIG */
	h[n++] = (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JGE | BPF_K, NR_BIG, H_TRACE - H_BIG - 2,
					      0);
	h[n++] = LD(IP_LO);                                                     /* H_IPLO */
	h[n++] = (struct sock_filter)JEQ((uint32_t)ip, 1, 0);
	h[n++] = (struct sock_filter)JEQ((uint32_t)ip2, 0, H_MADV - H_IPLO - 3);
	h[n++] = LD(IP_HI);                                                     /* H_IPHI */
	h[n++] = (struct sock_filter)JEQ((uint32_t)(ip >> 32), 0, H_MADV - H_IPHI - 2);
	h[n++] = LD(offsetof(struct seccomp_data, nr));                         /* H_NR */
	h[n++] = (struct sock_filter)JEQ(__NR_mmap, 0, H_LIST - H_MMAP - 1);    /* H_MMAP */
	h[n++] = LD(ARG_HI(4));
	h[n++] = (struct sock_filter)JEQ((uint32_t)(token >> 32), H_ALLOW - H_MMAP - 3,
					 H_TRACE - H_MMAP - 3);
	for (int i = 0; i < NTOKEN; i++, n++)                                   /* H_LIST */
		h[n] = (struct sock_filter)JEQ(token_calls[i], H_TOKEN - n - 1, 0);
	h[n++] = RET(SECCOMP_RET_TRACE);
	h[n++] = LD(ARG_LO(5));                                                 /* H_TOKEN */
	h[n++] = (struct sock_filter)JEQ((uint32_t)token, 0, H_TRACE - H_TOKEN - 2);
	h[n++] = LD(ARG_HI(5));
	h[n++] = (struct sock_filter)JEQ((uint32_t)(token >> 32), H_ALLOW - H_TOKEN - 4,
					 H_TRACE - H_TOKEN - 4);
	h[n++] = RET(SECCOMP_RET_ALLOW);                                        /* H_ALLOW */
	h[n++] = RET(SECCOMP_RET_TRACE);                                        /* H_TRACE */
	h[n++] = LD(offsetof(struct seccomp_data, nr));                         /* H_MADV */
	h[n++] = (struct sock_filter)JEQ(__NR_madvise, 0, H_END - H_MADV - 2);
	h[n++] = LD(ARG_HI(2));
	h[n++] = (struct sock_filter)JEQ(0, 0, 4); /* advice above 32 bits: to the sentry */
	h[n++] = LD(ARG_LO(2));
	h[n++] = (struct sock_filter)BPF_STMT(BPF_ALU | BPF_AND | BPF_K, ~1U);
	h[n++] = (struct sock_filter)JEQ(MADV_DONTFORK, 1, 0);
	h[n++] = (struct sock_filter)JEQ(MADV_DONTDUMP, 0, H_END - H_MADV - 8);
	h[n++] = RET(SECCOMP_RET_TRACE);
	BUG_ON(n != H_END || ip >> 32 != ip2 >> 32);
	return n;
}

/* The rules' program for a stub page away from the default (the prebuilt one names the
 * default's ranges), made by libseccomp now, as tools/mkfilters does at build time
 * (libseccomp 2.5 exports only to an fd). Its length, or -errno. */
static int
build_rules(bool notify, struct sock_filter *prog, size_t max)
{
	scmp_filter_ctx f = stub_filter_ctx();
	int fd = memfd_create("stub-filter", MFD_CLOEXEC), n = -ENOMEM;

	if (f && fd >= 0 && (notify ? stub_notify_filter_rules(f) : stub_filter_rules(f)) == 0 &&
	    seccomp_export_bpf(f, fd) == 0) {
		off_t len = lseek(fd, 0, SEEK_END);
		n = len > 0 && len % sizeof(*prog) == 0 && (size_t)len <= max * sizeof(*prog) &&
			    pread(fd, prog, len, 0) == len ? (int)(len / sizeof(*prog)) : -EINVAL;
	}
	if (fd >= 0)
		close(fd);
	if (f)
		seccomp_release(f);
	return n;
}

/* The head, then the rules' program (jumps are relative: it runs unchanged after it). */
static int
build(unsigned long token, bool notify, struct sock_fprog *out)
{
	const struct prebuilt_filter *p = notify ? &stub_notify_filter : &stub_filter;
	int len = p->len;

	if (PLAT_STUB_ADDR != PLAT_STUB_DEFAULT) {
		out->filter = xcalloc(BPF_MAXINSNS, sizeof(struct sock_filter));
		len = build_rules(notify, out->filter + H_END, BPF_MAXINSNS - H_END);
		if (len < 0) {
			free(out->filter);
			return len;
		}
	} else {
		if (!len)
			return -EINVAL;
		out->filter = xcalloc(H_END + len, sizeof(struct sock_filter));
		memcpy(out->filter + H_END, p->insns, len * sizeof(struct sock_filter));
	}
	int head = stub_head(out->filter, token);
	out->len = head + len;
	return 0;
}

int
stub_trace_all_build(unsigned long token, struct sock_fprog *out)
{
	out->filter = xcalloc(H_END + 1, sizeof(struct sock_filter));
	int n = stub_head(out->filter, token);
	out->filter[n++] = RET(SECCOMP_RET_TRACE); /* (the head's own ends: ALLOW or TRACE) */
	out->len = n;
	return 0;
}

/* Can this kernel send calls as user notifications? (libseccomp asked it the same way when
 * it built the filter at every start.) */
static bool
notify_supported(void)
{
	uint32_t action = SECCOMP_RET_USER_NOTIF;

	return syscall(SYS_seccomp, SECCOMP_GET_ACTION_AVAIL, 0, &action) == 0;
}

int
stub_filter_build(unsigned long token, bool *notify, struct sock_fprog *out)
{
	/* a kernel without user notifications: every call is traced */
	if (*notify && !notify_supported())
		*notify = false;
	return build(token, *notify, out);
}
