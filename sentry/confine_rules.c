/*
 * The sentry's own confinement: the host syscalls it may make after setup.
 * This array is the single definition of the allowlist (a unit test counts it); the BPF
 * program is made from it at build time (sentry/filters.h).
 *
 * The default action is SECCOMP_RET_TRACE, not KILL: the sentry has no tracer, so a
 * forbidden call from the sentry fails with ENOSYS, while the same filter, inherited by
 * the stubs (which the sentry traces), sends their calls to the sentry as usual.
 * A stricter default would take precedence over the stub filter's TRACE and break that.
 */
#include <linux/seccomp.h>
#include <linux/sockios.h>
#include <sys/ioctl.h>
#include <termios.h>

#include "sentry/filters.h"
#include "sentry/sentry.h"

const int sentry_host_syscalls[] = {
	/* I/O on fds it already holds (stdio, gofer fds, its sockets) */
	SCMP_SYS(read), SCMP_SYS(write), SCMP_SYS(readv), SCMP_SYS(writev),
	SCMP_SYS(pread64), SCMP_SYS(pwrite64), SCMP_SYS(lseek), SCMP_SYS(close),
	SCMP_SYS(newfstatat), SCMP_SYS(getdents64), SCMP_SYS(fcntl),
	SCMP_SYS(ioctl), SCMP_SYS(ftruncate), SCMP_SYS(memfd_create), /* shared tmpfs mappings */
	/* gofer channel */
	SCMP_SYS(recvmsg), SCMP_SYS(sendmsg),
	/* memory */
	SCMP_SYS(mmap), SCMP_SYS(munmap), SCMP_SYS(mprotect), SCMP_SYS(mremap),
	SCMP_SYS(madvise), SCMP_SYS(brk),
	/* signals */
	SCMP_SYS(rt_sigaction), SCMP_SYS(rt_sigprocmask), SCMP_SYS(rt_sigreturn),
	SCMP_SYS(sigaltstack), SCMP_SYS(signalfd4),
	/* stubs: create, trace, access memory, kill */
	SCMP_SYS(clone), SCMP_SYS(ptrace), SCMP_SYS(wait4), SCMP_SYS(waitid),
	SCMP_SYS(kill), SCMP_SYS(rt_sigqueueinfo), SCMP_SYS(rt_tgsigqueueinfo), SCMP_SYS(process_vm_readv),
	SCMP_SYS(process_vm_writev), SCMP_SYS(seccomp), SCMP_SYS(prctl),
	SCMP_SYS(close_range), SCMP_SYS(setrlimit), SCMP_SYS(prlimit64),
	/* waiting */
	SCMP_SYS(ppoll), SCMP_SYS(futex), SCMP_SYS(epoll_create1),
	SCMP_SYS(epoll_ctl), SCMP_SYS(epoll_pwait),
	/* time, identity, randomness */
	SCMP_SYS(clock_gettime), SCMP_SYS(clock_nanosleep), SCMP_SYS(nanosleep),
	SCMP_SYS(getrandom), SCMP_SYS(getpid), SCMP_SYS(gettid),
	SCMP_SYS(sched_yield), SCMP_SYS(sched_setaffinity),
	/* exit and per-thread setup libc does */
	SCMP_SYS(exit), SCMP_SYS(exit_group), SCMP_SYS(set_robust_list), SCMP_SYS(rseq),
	SCMP_SYS(arch_prctl),
};
const size_t sentry_host_syscalls_len = ARRAY_SIZE(sentry_host_syscalls);

/* Ioctls: terminal ones the sentry forwards for the guest's stdio (never TIOCSTI). */
static const unsigned long tty_ioctls[] = {
	TCGETS, TCSETS, TCSETSW, TCSETSF, TIOCGWINSZ, TIOCSWINSZ, TIOCGPGRP, TIOCSPGRP,
	FIONREAD, FIONBIO, SIOCATMARK, /* (host sockets: net/egress.c) */
	/* and the stubs' seccomp notifications (platform/ptrace) */
	SECCOMP_IOCTL_NOTIF_RECV, SECCOMP_IOCTL_NOTIF_SEND, SECCOMP_IOCTL_NOTIF_SET_FLAGS,
};

scmp_filter_ctx
sentry_filter_ctx(void)
{
	return seccomp_init(SCMP_ACT_TRACE(0));
}

int
sentry_filter_rules(scmp_filter_ctx f)
{
	int err = 0;

	for (size_t i = 0; i < sentry_host_syscalls_len && !err; i++) {
		if (sentry_host_syscalls[i] == SCMP_SYS(ioctl))
			continue;
		err = seccomp_rule_add(f, SCMP_ACT_ALLOW, sentry_host_syscalls[i], 0);
	}
	for (size_t i = 0; i < ARRAY_SIZE(tty_ioctls) && !err; i++)
		err = seccomp_rule_add(f, SCMP_ACT_ALLOW, SCMP_SYS(ioctl), 1,
				       SCMP_A1(SCMP_CMP_EQ, tty_ioctls[i]));
	if (!err)
		err = seccomp_attr_set(f, SCMP_FLTATR_ACT_BADARCH, SCMP_ACT_KILL_PROCESS);
	/* A binary tree of syscall numbers instead of a chain: the same decisions, fewer
	 * instructions per call (this filter also runs for every stub syscall), and the
	 * kernel's per-filter setup (its cache of always-allowed numbers) is 2x faster. */
	if (!err)
		err = seccomp_attr_set(f, SCMP_FLTATR_CTL_OPTIMIZE, 2);
	return err;
}
