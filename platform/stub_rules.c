/*
 * The rules of the stub's seccomp filter (after the hand-written head of platform/filter.c):
 * passthrough calls (DESIGN.md: caller-only, no fd/path/pid) run natively, the argument
 * checks keep them away from the stub page; everything else is SECCOMP_RET_TRACE, i.e. a
 * trip to the sentry (or, in the notifying variant, a user notification for the hot calls).
 * Foreign architectures (int 0x80, x32) kill the process. The BPF is made from these rules
 * at build time (tools/mkfilters, sentry/filters.h), in both variants.
 */
#include <linux/futex.h>
#include <asm/prctl.h>
#include <errno.h>
#include <seccomp.h>
#include <sys/mman.h>
#include <time.h>

#include "platform/internal.h"
#include "platform/platform.h"
#include "sentry/filters.h"
#include "sentry/sentry.h"
#include "sentry/util.h"

#define STUB_END (PLAT_STUB_ADDR + PLAT_STUB_SIZE)

/* Here, where tools/mkfilters links it too: the prebuilt programs are made for the default
 * (platform/filter.c builds them again for another). */
unsigned long plat_stub_addr = PLAT_STUB_DEFAULT;

/* Calls allowed without conditions. */
static const int pass_always[] = {
	SCMP_SYS(rt_sigreturn), SCMP_SYS(restart_syscall), /* a native sleep resumed after a stop */
	SCMP_SYS(rt_sigprocmask),
	SCMP_SYS(sigaltstack),
	SCMP_SYS(sched_yield), SCMP_SYS(gettimeofday),
	SCMP_SYS(getrandom), SCMP_SYS(rseq),
};

/* Clocks with an id >= 0 (the kernel reads it as an int: bit 31 is its sign). A negative id
 * is a CPU clock naming a pid or tid (or a clock device's fd), virtual in the guest: it comes
 * to the sentry, which puts the host's in its place (syscalls/sys_signal.c: cpu_clock). */
static const int pass_clock[] = {
	SCMP_SYS(clock_gettime), SCMP_SYS(clock_getres),
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
	for (size_t i = 0; i < ARRAY_SIZE(pass_clock) && !err; i++)
		err = seccomp_rule_add(f, SCMP_ACT_ALLOW, pass_clock[i], 1,
				       SCMP_A0(SCMP_CMP_MASKED_EQ, 0x80000000UL, 0));
	/* Asking for a signal's action runs natively; setting one comes to the sentry, which
	 * keeps every handler (then the host installs it). SIGTRAP's both come (the sentry
	 * shows its SIG_IGN, which the host holds as a handler: sentry/sentry.h SIG_TRAP_IGN). */
	if (!err)
		err = seccomp_rule_add(f, SCMP_ACT_ALLOW, SCMP_SYS(rt_sigaction), 2,
				       SCMP_A0(SCMP_CMP_NE, SIGTRAP), SCMP_A1(SCMP_CMP_EQ, 0));
	/* Process-private futexes only, and not the PI operations (their words hold guest
	 * tids: syscalls/sys_futex.c): WAIT, WAKE, FD, REQUEUE (0-3), CMP_REQUEUE, WAKE_OP
	 * (4, 5), WAIT_BITSET (9), WAKE_BITSET (10), WAIT_REQUEUE_PI (11) and CMP_REQUEUE_PI (12)
	 * run natively, with or without FUTEX_CLOCK_REALTIME. (The sleeps are notifications
	 * first so that /proc shows S; a futex wait is not: a contended condvar round trip
	 * would cost twice what it does natively, and /proc shows such a thread R.) */
	static const struct { unsigned long mask, val; } futex_ok[] = {
		{ FUTEX_PRIVATE_FLAG | 0x7c, FUTEX_PRIVATE_FLAG | 0 },
		{ FUTEX_PRIVATE_FLAG | 0x7e, FUTEX_PRIVATE_FLAG | 4 },
		{ FUTEX_PRIVATE_FLAG | 0x7f, FUTEX_PRIVATE_FLAG | 9 },
		{ FUTEX_PRIVATE_FLAG | 0x7e, FUTEX_PRIVATE_FLAG | 10 },
		{ FUTEX_PRIVATE_FLAG | 0x7f, FUTEX_PRIVATE_FLAG | 12 },
	};
	for (size_t i = 0; i < ARRAY_SIZE(futex_ok) && !err; i++)
		err = seccomp_rule_add(f, SCMP_ACT_ALLOW, SCMP_SYS(futex), 1,
				       SCMP_A1(SCMP_CMP_MASKED_EQ, futex_ok[i].mask, futex_ok[i].val));
	if (!err)
		err = seccomp_rule_add(f, SCMP_ACT_ALLOW, SCMP_SYS(arch_prctl), 1,
				       SCMP_A0(SCMP_CMP_EQ, ARCH_SET_FS));
	/* close of a descriptor no guest can have, one of bits 24-31 set in the unsigned int
	 * the kernel reads (close(-1) too): EBADF at once. (A bit each: the 64-bit register's
	 * upper half, which the kernel ignores, must not count.) */
	for (int bit = 24; bit < 32 && !err; bit++)
		err = seccomp_rule_add(f, SCMP_ACT_ERRNO(EBADF), SCMP_SYS(close), 1,
				       SCMP_A0(SCMP_CMP_MASKED_EQ, 1UL << bit, 1UL << bit));
	return err;
}

/* Every call the filter above may let the host run, or answer, without the sentry (at
 * least with some arguments): a guest's own seccomp filter must allow each of them, whatever
 * the arguments, for those calls to keep running natively (sentry/seccomp.c). Fills nrs (at
 * most max) and returns how many. */
size_t
stub_native_calls(int *nrs, size_t max)
{
	static const int conditional[] = {
		SCMP_SYS(rt_sigaction), SCMP_SYS(futex), SCMP_SYS(arch_prctl), SCMP_SYS(close),
	};
	size_t n = 0;

#define ADD_ALL(list)                                               \
	for (size_t i = 0; i < ARRAY_SIZE(list) && n < max; i++) \
		nrs[n++] = list[i];
	ADD_ALL(pass_always)
	ADD_ALL(pass_clock)
	ADD_ALL(pass_range)
	ADD_ALL(conditional)
#undef ADD_ALL
	return n;
}

/*
 * Calls sent as user notifications (platform/ptrace: notif_recv): their handlers need only
 * the arguments, guest memory and a result, so the thread need not stop for ptrace. A call
 * whose handler does need a stop (rarely: a signal to itself, a job-control restart) still
 * gets one, later and slower. Not here: anything that changes registers, places mappings,
 * or changes signal state or processes (execve, clone, mmap, mremap, rt_sig* but a
 * new action, exit, arch_prctl), and the
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
	SCMP_SYS(set_tid_address), /* an injection only once a second thread exists */
	SCMP_SYS(statfs), SCMP_SYS(fstatfs), SCMP_SYS(flock), SCMP_SYS(fadvise64),
	SCMP_SYS(fallocate), SCMP_SYS(sendfile), SCMP_SYS(copy_file_range),
	SCMP_SYS(socket), SCMP_SYS(socketpair), SCMP_SYS(connect), SCMP_SYS(accept),
	SCMP_SYS(accept4), SCMP_SYS(bind), SCMP_SYS(listen), SCMP_SYS(sendto),
	SCMP_SYS(recvfrom), SCMP_SYS(recvmsg), SCMP_SYS(shutdown), SCMP_SYS(getsockname),
	SCMP_SYS(getpeername), SCMP_SYS(setsockopt), SCMP_SYS(getsockopt),
	SCMP_SYS(eventfd2), SCMP_SYS(epoll_create1), SCMP_SYS(epoll_ctl),
	SCMP_SYS(getxattr), SCMP_SYS(lgetxattr), SCMP_SYS(fgetxattr), SCMP_SYS(listxattr),
	SCMP_SYS(llistxattr), SCMP_SYS(flistxattr),
	/* their handlers only check and record, then the host runs the guest's own call
	 * (SECCOMP_USER_NOTIF_FLAG_CONTINUE; no pointer argument the host reads again): the
	 * rare one that needs an injection (a file gaining PROT_EXEC) gets its stop then */
	SCMP_SYS(munmap), SCMP_SYS(mprotect),
	SCMP_SYS(brk), /* the stub's own break is the guest's (loader/exec.c: set_host_brk) */
	/* sleeps: the sentry notes that the thread sleeps (S in /proc), then the host runs
	 * them; a CPU clock's gets its host clock id first */
	SCMP_SYS(nanosleep), SCMP_SYS(clock_nanosleep),
};

bool
stub_notified(long nr)
{
	if (nr == SCMP_SYS(rt_sigaction))
		return true; /* (with an action: a query never reaches the sentry) */
	for (size_t i = 0; i < ARRAY_SIZE(notify_calls); i++)
		if (notify_calls[i] == nr)
			return true;
	return false;
}

scmp_filter_ctx
stub_filter_ctx(void)
{
	return seccomp_init(SCMP_ACT_TRACE(0));
}

static int
rules(scmp_filter_ctx f, bool notify)
{
	int err = seccomp_attr_set(f, SCMP_FLTATR_ACT_BADARCH, SCMP_ACT_KILL_PROCESS);

	if (!err)
		err = add_rules(f);
	for (size_t i = 0; notify && i < ARRAY_SIZE(notify_calls) && !err; i++) {
		if (notify_calls[i] == SCMP_SYS(close)) /* (the rest: EBADF, add_rules) */
			err = seccomp_rule_add(f, SCMP_ACT_NOTIFY, notify_calls[i], 1,
					       SCMP_A0(SCMP_CMP_MASKED_EQ, 0xff000000UL, 0));
		/* A CPU clock's sleep (a negative int id) gets the host's id in its registers,
		 * and an absolute one in a time namespace with offsets the host's deadline,
		 * which a notification cannot change: the sentry would have to run the whole
		 * sleep as an injected call and wait for it, every other task with it (and for
		 * ever if the clock's thread needs the sentry to go on). Those are traced
		 * instead (absolute sleeps all: the filter cannot tell a process's namespace). */
		else if (notify_calls[i] == SCMP_SYS(clock_nanosleep))
			err = seccomp_rule_add(f, SCMP_ACT_NOTIFY, notify_calls[i], 2,
					       SCMP_A0(SCMP_CMP_MASKED_EQ, 0x80000000UL, 0),
					       SCMP_A1(SCMP_CMP_MASKED_EQ, TIMER_ABSTIME, 0));
		else
			err = seccomp_rule_add(f, SCMP_ACT_NOTIFY, notify_calls[i], 0);
	}
	/* Setting a signal's action: the sentry records the handler it reads from the guest's
	 * struct, then the host installs the action itself from that memory (a thread changing
	 * it between the two only misleads the sentry about its own process, as it could by
	 * calling again). (A query runs natively: the rule above.) */
	if (notify && !err)
		err = seccomp_rule_add(f, SCMP_ACT_NOTIFY, SCMP_SYS(rt_sigaction), 1,
				       SCMP_A1(SCMP_CMP_NE, 0));
	/* a binary tree of syscall numbers, as for the sentry's filter (sentry/confine_rules.c) */
	if (!err)
		err = seccomp_attr_set(f, SCMP_FLTATR_CTL_OPTIMIZE, 2);
	return err;
}

int
stub_filter_rules(scmp_filter_ctx f)
{
	return rules(f, false);
}

int
stub_notify_filter_rules(scmp_filter_ctx f)
{
	return rules(f, true);
}

/* The filters stacked on a stub (below) trace nr when its argument arg equals one of
 * values, and allow everything they do not name, so the stub filter below them decides
 * (stacked filters take the strictest answer). The kernel reads those arguments as ints:
 * only the low 32 bits count. */
scmp_filter_ctx
stub_stacked_filter_ctx(void)
{
	return seccomp_init(SCMP_ACT_ALLOW);
}

static int
trace_int_arg(scmp_filter_ctx f, int nr, unsigned arg, const int *values, size_t n)
{
	/* a foreign architecture: the stub filter kills it */
	int err = seccomp_attr_set(f, SCMP_FLTATR_ACT_BADARCH, SCMP_ACT_ALLOW);

	for (size_t i = 0; i < n && !err; i++)
		err = seccomp_rule_add(f, SCMP_ACT_TRACE(0), nr, 1,
				       SCMP_CMP(arg, SCMP_CMP_MASKED_EQ, 0xffffffffUL,
						(unsigned long)values[i]));
	return err;
}

/* On a stub whose process lives in a time namespace with offsets (plat_trace_clocks):
 * clock_gettime of the clocks a time namespace shifts comes to the sentry, which adds the
 * offsets. */
static const int timens_clocks[] = {
	CLOCK_MONOTONIC, CLOCK_MONOTONIC_RAW, CLOCK_MONOTONIC_COARSE, CLOCK_BOOTTIME,
	CLOCK_BOOTTIME_ALARM,
};

int
stub_timens_filter_rules(scmp_filter_ctx f)
{
	return trace_int_arg(f, SCMP_SYS(clock_gettime), 0, timens_clocks, ARRAY_SIZE(timens_clocks));
}

/* On the stub of a process that has locked memory (plat_trace_madvise): the host's stub
 * holds no locks (they are the sentry's records: syscalls/sys_mm.c), so the advice Linux
 * refuses on a locked mapping (EINVAL: it would drop, free, page out or guard locked pages)
 * comes to the sentry. */
#ifndef MADV_COLD
#define MADV_COLD 20
#endif
#ifndef MADV_PAGEOUT
#define MADV_PAGEOUT 21
#endif
#ifndef MADV_GUARD_INSTALL
#define MADV_GUARD_INSTALL 102
#endif
const int stub_lock_refused_advice[] = {
	MADV_DONTNEED, MADV_FREE, MADV_REMOVE, MADV_COLD, MADV_PAGEOUT, MADV_GUARD_INSTALL,
};
const size_t stub_lock_refused_advice_len = ARRAY_SIZE(stub_lock_refused_advice);

int
stub_mlock_filter_rules(scmp_filter_ctx f)
{
	return trace_int_arg(f, SCMP_SYS(madvise), 2, stub_lock_refused_advice,
			     stub_lock_refused_advice_len);
}
