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
 * see stub_head). mmap, munmap, mprotect and mremap always come to the sentry: it places
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
 * Hand-written head of the stub filter, for what libseccomp 2.5 cannot say:
 *
 * 1. Calls the sentry injects (platform/ptrace) run without a second trip to it when they
 *    come from one of the stub's two syscall instructions (a single call, the batch loop)
 *    AND carry the run's secret token in an
 *    argument the kernel ignores: the high half of mmap's fd (fget truncates it to int) or
 *    the unused sixth argument of the others (token_calls; clone's children are traced from
 *    birth like any). The guest can
 *    jump to the stub page but does not know the token (it lives in the sentry and in this
 *    program, neither readable from a stub), so a forged call is traced like any other.
 * 2. madvise(MADV_DONTFORK or MADV_DOFORK), which decide what fork copies, always goes to
 *    the sentry's records, as does advice with bits above the low 32 (the kernel truncates
 *    it); "not 10 or 11" in one libseccomp rule blows up.
 *
 * Only x86-64 calls are looked at; everything else falls through to the libseccomp program,
 * which kills foreign architectures.
 */
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
	__NR_pidfd_open, __NR_pidfd_getfd, __NR_rt_sigaction, __NR_rt_sigprocmask,
	__NR_rt_sigpending, __NR_sysinfo, __NR_times,
};
#define NTOKEN ((int)ARRAY_SIZE(token_calls))

enum {  /* positions in the head, for the jumps */
	H_ARCH = 0, H_IPLO = 2, H_IPHI = 5, H_NR = 7, H_MMAP = 8, H_LIST = 11,
	H_TOKEN = H_LIST + NTOKEN + 1, H_ALLOW = H_TOKEN + 4, H_TRACE = H_ALLOW + 1,
	H_MADV = H_TRACE + 1, H_END = H_MADV + 8,
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
	h[n++] = (struct sock_filter)JEQ(0, 0, 3); /* advice above 32 bits: to the sentry */
	h[n++] = LD(ARG_LO(2));
	h[n++] = (struct sock_filter)BPF_STMT(BPF_ALU | BPF_AND | BPF_K, ~1U);
	h[n++] = (struct sock_filter)JEQ(MADV_DONTFORK, 0, H_END - H_MADV - 7);
	h[n++] = RET(SECCOMP_RET_TRACE);
	_Static_assert(STUB_SINGLE_IP >> 32 == STUB_BATCH_IP >> 32, "one high half");
	BUG_ON(n != H_END);
	return n;
}

/* libseccomp 2.5 exports BPF only to an fd: go through a pipe. */
static int
export_bpf(scmp_filter_ctx f, unsigned long token, struct sock_fprog *out)
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
	size_t len = n / sizeof(struct sock_filter);
	out->filter = xcalloc(H_END + len, sizeof(struct sock_filter));
	size_t head = stub_head(out->filter, token);
	memcpy(out->filter + head, buf, n);
	out->len = head + len;
	free(buf);
	return 0;
}

/*
 * Calls sent as user notifications (platform/ptrace: notif_recv): their handlers need only
 * the arguments, guest memory and a result, so the thread need not stop for ptrace. A call
 * whose handler does need a stop (rarely: a signal to itself, a job-control restart) still
 * gets one, later and slower. Not here: anything that changes registers, memory layout,
 * signal state or processes (execve, clone, mmap, rt_sig*, exit, arch_prctl), and the
 * waits that run with a temporary signal mask or end with EINTR (poll, select, epoll_wait,
 * pause, sigsuspend, nanosleep), and sendmsg (a new stub hands its listener over with it
 * before anybody listens).
 */
static const int notify_calls[] = {
	SCMP_SYS(read), SCMP_SYS(write), SCMP_SYS(pread64), SCMP_SYS(pwrite64),
	SCMP_SYS(readv), SCMP_SYS(writev), SCMP_SYS(preadv), SCMP_SYS(pwritev),
	SCMP_SYS(preadv2), SCMP_SYS(pwritev2), SCMP_SYS(lseek), SCMP_SYS(close),
	SCMP_SYS(open), SCMP_SYS(openat), SCMP_SYS(creat), SCMP_SYS(stat), SCMP_SYS(fstat),
	SCMP_SYS(lstat), SCMP_SYS(newfstatat), SCMP_SYS(statx), SCMP_SYS(access),
	SCMP_SYS(faccessat), SCMP_SYS(faccessat2), SCMP_SYS(getdents), SCMP_SYS(getdents64),
	SCMP_SYS(readlink), SCMP_SYS(readlinkat), SCMP_SYS(getcwd), SCMP_SYS(chdir),
	SCMP_SYS(fchdir), SCMP_SYS(unlink), SCMP_SYS(unlinkat), SCMP_SYS(mkdir),
	SCMP_SYS(mkdirat), SCMP_SYS(rmdir), SCMP_SYS(rename), SCMP_SYS(renameat),
	SCMP_SYS(renameat2), SCMP_SYS(link), SCMP_SYS(linkat), SCMP_SYS(symlink),
	SCMP_SYS(symlinkat), SCMP_SYS(chmod), SCMP_SYS(fchmod), SCMP_SYS(fchmodat),
	SCMP_SYS(chown), SCMP_SYS(fchown), SCMP_SYS(lchown), SCMP_SYS(fchownat),
	SCMP_SYS(utimensat), SCMP_SYS(truncate), SCMP_SYS(ftruncate), SCMP_SYS(fsync),
	SCMP_SYS(fdatasync), SCMP_SYS(fcntl), SCMP_SYS(ioctl), SCMP_SYS(dup), SCMP_SYS(dup2),
	SCMP_SYS(dup3), SCMP_SYS(pipe), SCMP_SYS(pipe2), SCMP_SYS(umask), SCMP_SYS(uname),
	SCMP_SYS(getpid), SCMP_SYS(getppid), SCMP_SYS(gettid), SCMP_SYS(getuid),
	SCMP_SYS(geteuid), SCMP_SYS(getgid), SCMP_SYS(getegid), SCMP_SYS(getgroups),
	SCMP_SYS(getresuid), SCMP_SYS(getresgid), SCMP_SYS(getpgrp), SCMP_SYS(getpgid),
	SCMP_SYS(getsid), SCMP_SYS(getrlimit), SCMP_SYS(setrlimit), SCMP_SYS(prlimit64),
	SCMP_SYS(statfs), SCMP_SYS(fstatfs), SCMP_SYS(flock), SCMP_SYS(fadvise64),
	SCMP_SYS(fallocate), SCMP_SYS(sendfile), SCMP_SYS(copy_file_range),
	SCMP_SYS(socket), SCMP_SYS(socketpair), SCMP_SYS(connect), SCMP_SYS(accept),
	SCMP_SYS(accept4), SCMP_SYS(bind), SCMP_SYS(listen), SCMP_SYS(sendto),
	SCMP_SYS(recvfrom), SCMP_SYS(recvmsg), SCMP_SYS(shutdown), SCMP_SYS(getsockname),
	SCMP_SYS(getpeername), SCMP_SYS(setsockopt), SCMP_SYS(getsockopt),
	SCMP_SYS(eventfd2), SCMP_SYS(epoll_create1), SCMP_SYS(epoll_ctl),
	SCMP_SYS(getxattr), SCMP_SYS(lgetxattr), SCMP_SYS(fgetxattr), SCMP_SYS(listxattr),
	SCMP_SYS(llistxattr), SCMP_SYS(flistxattr),
};

bool
stub_notified(long nr)
{
	for (size_t i = 0; i < ARRAY_SIZE(notify_calls); i++)
		if (notify_calls[i] == nr)
			return true;
	return false;
}

static int
build(unsigned long token, bool notify, struct sock_fprog *out)
{
	scmp_filter_ctx f = seccomp_init(SCMP_ACT_TRACE(0));
	int err;

	if (!f)
		return -ENOMEM;
	err = seccomp_attr_set(f, SCMP_FLTATR_ACT_BADARCH, SCMP_ACT_KILL_PROCESS);
	if (!err)
		err = add_rules(f);
	for (size_t i = 0; notify && i < ARRAY_SIZE(notify_calls) && !err; i++)
		err = seccomp_rule_add(f, SCMP_ACT_NOTIFY, notify_calls[i], 0);
	if (!err)
		err = export_bpf(f, token, out);
	seccomp_release(f);
	return err;
}

int
stub_filter_build(unsigned long token, bool *notify, struct sock_fprog *out)
{
	int err = *notify ? build(token, true, out) : -EOPNOTSUPP;

	if (err) {
		/* a kernel without user notifications: every call is traced */
		*notify = false;
		err = build(token, false, out);
	}
	return err;
}
