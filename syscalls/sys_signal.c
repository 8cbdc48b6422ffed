/*
 * Signals and time. Dispositions, masks and timers live in the stub's host kernel, so the
 * host builds signal frames and rt_sigreturn runs natively (DESIGN.md); the sentry vets the
 * arguments that name other tasks.
 */
#include <signal.h>
#include <sys/signalfd.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <sys/timex.h>
#include <time.h>

#include "fs/vfs.h"
#include "platform/platform.h"
#include "sentry/ns.h"
#include "syscalls/internal.h"

/* Calls that only affect the calling thread's own signal or timer state. */
SYSCALL(sig_native)
{
	return sysret(SYSRET_NATIVE);
}

/* SIGTRAP's actions, queries too (the stub filter sends them here), run in the stub by
 * the sentry: SIG_IGN is SIG_TRAP_IGN there (sentry.h), which nobody may see. */
static long
trap_action(struct task *t, const struct sysargs *a)
{
	unsigned long act[4], old[4]; /* the kernel's sigaction: handler, flags, restorer, mask */

	if (a->a[3] != 8)
		return -EINVAL;
	if (a->a[1]) {
		if (copy_from_guest(t, act, a->a[1], sizeof(act)))
			return -EFAULT;
		unsigned long guest = act[0];
		act[0] = sig_host_handler(SIGTRAP, guest);
		if (copy_to_guest(t, PLAT_STUB_SCRATCH, act, sizeof(act)))
			return -EFAULT;
		act[0] = guest;
	}
	long r = plat_inject(t->ctx, __NR_rt_sigaction, SIGTRAP, a->a[1] ? PLAT_STUB_SCRATCH : 0,
			     a->a[2] ? PLAT_STUB_SCRATCH + sizeof(act) : 0, 8, 0, 0);
	if (r < 0)
		return r;
	if (a->a[1]) {
		t->leader->sig_handlers[SIGTRAP - 1] = act[0];
		t->leader->sig_flags[SIGTRAP - 1] = act[1];
		if (task_sig_action_ignores(act[0], SIGTRAP))
			timers_sig_discarded(t->leader, SIGTRAP);
	}
	if (a->a[2]) {
		if (copy_from_guest(t, old, PLAT_STUB_SCRATCH + sizeof(act), sizeof(old)))
			return -EFAULT;
		old[0] = sig_guest_handler(SIGTRAP, old[0]);
		if (copy_to_guest(t, a->a[2], old, sizeof(old)))
			return -EFAULT;
	}
	return 0;
}

/* A new action: recorded (what task_sig_handler answers), then installed by the host, which
 * also fills oldact. Queries (act NULL) run natively without a trap (SIGTRAP's excepted). */
SYSCALL(rt_sigaction)
{
	int sig = (int)a->a[0];
	unsigned long act[2]; /* the kernel's sigaction: handler, flags, restorer, mask */

	if (sig == SIGTRAP)
		return trap_action(t, a);
	if (!a->a[1])
		return sysret(SYSRET_NATIVE);
	if (a->a[3] != 8) /* the kernel's sigset_t */
		return -EINVAL;
	if (sig < 1 || sig > 64 || sig == SIGKILL || sig == SIGSTOP)
		return -EINVAL;
	if (copy_from_guest(t, act, a->a[1], sizeof(act)))
		return -EFAULT;
	t->leader->sig_handlers[sig - 1] = act[0];
	t->leader->sig_flags[sig - 1] = act[1];
	/* Linux discards what is pending of a signal whose action becomes to ignore it */
	if (task_sig_action_ignores(act[0], sig))
		timers_sig_discarded(t->leader, sig);
	return sysret(SYSRET_NATIVE);
}

/* ---- taking signals from the queue: rt_sigtimedwait, signalfd ---- */


/* While rt_sigtimedwait waits, the signals it waits for stay queued in the stub, also
 * ones it does not block (Linux takes them from the queue itself instead of delivering
 * them, even to a handler): they are blocked there until the call ends (task_wait_done
 * puts the caller's mask back, as after ppoll's temporary one). */
static void
block_waited(struct task *t, unsigned long set)
{
	unsigned long buf[2] = { set, 0 };

	if (t->wait_sigmask || !t->ctx)
		return;
	if (copy_to_guest(t, PLAT_STUB_SCRATCH, buf, sizeof(buf)) < 0 ||
	    plat_inject(t->ctx, __NR_rt_sigprocmask, SIG_BLOCK, PLAT_STUB_SCRATCH,
			PLAT_STUB_SCRATCH + 8, 8, 0, 0) < 0 ||
	    copy_from_guest(t, &t->wait_oldmask, PLAT_STUB_SCRATCH + 8, 8) < 0)
		return; /* then a handled one ends the wait with EINTR */
	t->wait_sigmask = true;
	t->wait_takes = true;
}

/*
 * The signal is taken from the stub's queue by a call the sentry runs there without
 * waiting, so its siginfo is the guest's (the sender's virtual pid, SI_USER...); the wait
 * itself happens here, re-run whenever a signal is sent. As on Linux, it is never
 * restarted (-EINTR for a handled signal not in set), and SIGKILL/SIGSTOP are not taken.
 */
SYSCALL(rt_sigtimedwait)
{
	unsigned long set;
	struct timespec ts;
	siginfo_t si;

	if (a->a[3] != sizeof(set))
		return -EINVAL;
	if (copy_from_guest(t, &set, a->a[0], sizeof(set)))
		return -EFAULT;
	set &= ~(SIG_BIT(SIGKILL) | SIG_BIT(SIGSTOP));
	if (a->a[2]) {
		if (copy_from_guest(t, &ts, a->a[2], sizeof(ts)))
			return -EFAULT;
		if (ts.tv_sec < 0 || ts.tv_nsec < 0 || ts.tv_nsec >= 1000000000L)
			return -EINVAL;
	}
	int sig = sig_dequeue(t, set, &si);
	if (sig < 0)
		return sig;
	if (sig > 0) {
		if (a->a[1] && copy_to_guest(t, a->a[1], &si, sizeof(si)))
			return -EFAULT;
		return sig;
	}
	if (!t->wait_rerun) {
		if (a->a[2] && ts.tv_sec == 0 && ts.tv_nsec == 0)
			return -EAGAIN;
		if (a->a[2]) {
			t->wait_deadline = ktime_add_sat(monotonic_ns(), ts_ktime(&ts));
		}
		t->wait_eintr = true;
		block_waited(t, set);
	} else if (t->wait_deadline && monotonic_ns() >= t->wait_deadline) {
		return -EAGAIN;
	}
	sig_wait_for_signals(t);
	return sysret(SYSRET_BLOCK);
}

static long
do_signalfd(struct task *t, int fd, unsigned long umask, size_t size, int flags)
{
	unsigned long mask;
	struct file *f;

	if (flags & ~(SFD_CLOEXEC | SFD_NONBLOCK))
		return -EINVAL;
	if (size != sizeof(mask))
		return -EINVAL;
	if (copy_from_guest(t, &mask, umask, sizeof(mask)))
		return -EFAULT;
	mask &= ~(SIG_BIT(SIGKILL) | SIG_BIT(SIGSTOP));
	if (fd != -1) {
		f = fdt_get(t->fdt, fd);
		if (!f)
			return -EBADF;
		return vfs_signalfd_set_mask(f, mask) ? -EINVAL : fd;
	}
	f = vfs_signalfd(mask, flags & SFD_NONBLOCK);
	int r = fdt_install(t->fdt, f, 0, flags & SFD_CLOEXEC);
	file_put(f);
	return r;
}

SYSCALL(signalfd)
{
	return do_signalfd(t, (int)a->a[0], a->a[1], a->a[2], 0);
}

SYSCALL(signalfd4)
{
	return do_signalfd(t, (int)a->a[0], a->a[1], a->a[2], (int)a->a[3]);
}

/* ---- timers (sentry/timer.c keeps them; CPU-clock POSIX timers live in the stub) ---- */

SYSCALL(alarm)
{
	return timer_alarm(t, (unsigned int)a->a[0]);
}

SYSCALL(setitimer)
{
	struct itimerval nv = { 0 }, old;
	int which = (int)a->a[0];

	if (which == ITIMER_VIRTUAL || which == ITIMER_PROF) {
		/* CPU time passes in the stub: its kernel keeps these */
		timers_native(t->leader, true);
		return sysret(SYSRET_NATIVE);
	}
	if (which != ITIMER_REAL)
		return -EINVAL;
	if (a->a[1] && copy_from_guest(t, &nv, a->a[1], sizeof(nv)))
		return -EFAULT;
	int err = timer_set_real(t, &nv, &old);
	if (err)
		return err;
	if (a->a[2] && copy_to_guest(t, a->a[2], &old, sizeof(old)))
		return -EFAULT;
	return 0;
}

SYSCALL(getitimer)
{
	struct itimerval cur;
	int which = (int)a->a[0];

	if (which == ITIMER_VIRTUAL || which == ITIMER_PROF)
		return sysret(SYSRET_NATIVE);
	if (which != ITIMER_REAL)
		return -EINVAL;
	timer_get_real(t, &cur);
	return copy_to_guest(t, a->a[1], &cur, sizeof(cur)) ? -EFAULT : 0;
}

/*
 * A negative clock id is a CPU clock naming a process or thread (Linux's encoding: ~pid << 3,
 * bit 2 for a thread, the low two bits which count; 3 in the low three bits: a clock
 * device's fd). In the guest the pid is virtual: the host's goes in its place, for the
 * guest's own tasks only; 0 (the caller) stays. The host then checks what Linux checks (a
 * thread clock only of the caller's own thread group, a process clock of a process).
 * 0 with the host's id in *out, or -EINVAL.
 */
static int
cpu_clock_host(struct task *t, unsigned long arg, clockid_t *out)
{
	clockid_t c = (clockid_t)arg;

	*out = c;
	if (c >= 0)
		return 0;
	if ((c & 7) == 3)
		return -EINVAL; /* CLOCKFD: no clock devices in the sandbox */
	int pid = ~(c >> 3);
	if (!pid)
		return 0;
	struct task *target = task_lookup_vnr(t, pid);
	if (!target || !target->ctx || target->state == TASK_ZOMBIE)
		return -EINVAL;
	pid_t host = plat_host_pid(target->ctx);
	if (host <= 0 || host >= (1 << 28))
		return -EINVAL;
	*out = (clockid_t)((unsigned)~host << 3 | (unsigned)(c & 7));
	return 0;
}

/* clock_gettime, clock_getres, clock_nanosleep: only CPU clocks come here (the stub filter
 * runs the others natively); the host runs the call with its own clock id. Reads are
 * injected (the guest's registers stay as they were: code may reuse the id register after
 * the call); a sleep, which may last, runs as the guest's own call with the id replaced
 * (a rare call, whose wrappers do not read that register again). */
/* The process clock of a zombie (ended, not reaped): what it used, as Linux answers until
 * the process is reaped (PROF and SCHED: user and system time, VIRT: user time). 1: not a
 * zombie's process clock. */
static long
zombie_clock(struct task *t, const struct sysargs *a)
{
	clockid_t c = (clockid_t)a->a[0];
	int pid = ~(c >> 3);

	if (c >= 0 || (c & 7) == 3 || (c & 4) || !pid || a->nr == __NR_clock_nanosleep)
		return 1;
	struct task *z = task_lookup_vnr(t, pid);
	if (!z || z != z->leader || z->state != TASK_ZOMBIE)
		return 1;
	unsigned long us = (c & 3) == 1 ? z->user_us : z->user_us + z->sys_us;
	if ((c & 3) == 2 && z->sched_us)
		us = z->sched_us;
	struct timespec ts = { (time_t)(us / 1000000), (long)(us % 1000000) * 1000 };
	if (a->nr == __NR_clock_getres)
		ts = (struct timespec){ 0, 1 };
	if (a->a[1] && copy_to_guest(t, a->a[1], &ts, sizeof(ts)))
		return -EFAULT;
	return 0;
}

/* clock_gettime of a clock t's time namespace shifts (its filter sends it here: a process
 * outside one runs it natively): the host's reading plus the offset. */
static long
shifted_gettime(struct task *t, clockid_t c, unsigned long uts)
{
	struct timespec ts;

	if (clock_gettime(c, &ts))
		return -errno;
	timens_to_ns(t, c, &ts);
	return copy_to_guest(t, uts, &ts, sizeof(ts)) ? -EFAULT : 0;
}

/* An absolute clock_nanosleep on a clock t's time namespace shifts: the host sleeps until
 * the deadline minus the offset (Linux timens_ktime_to_host), which goes below the guest's
 * stack pointer and red zone (free by the ABI, as a signal frame would use it; the host
 * reads it once, at the call's start). A bad time or address: the host's own answer. */
static long
shifted_sleep(struct task *t, const struct sysargs *a)
{
	struct user_regs_struct r;
	struct timespec ts;
	clockid_t c = (clockid_t)a->a[0];

	if (copy_from_guest(t, &ts, a->a[2], sizeof(ts)) || ts.tv_sec < 0 || ts.tv_nsec < 0 ||
	    ts.tv_nsec >= 1000000000L)
		return sysret(SYSRET_NATIVE);
	int err = plat_get_regs(t->ctx, &r);
	if (err)
		return err;
	long long host = timens_deadline_to_host(t, c, ts.tv_sec * 1000000000LL + ts.tv_nsec);
	unsigned long slot = (r.rsp - 128 - sizeof(ts)) & ~15UL;
	ts = (struct timespec){ (time_t)(host / 1000000000LL), (long)(host % 1000000000LL) };
	if (copy_to_guest(t, slot, &ts, sizeof(ts)))
		return -EFAULT;
	unsigned long args[6] = { a->a[0], a->a[1], slot, a->a[3], a->a[4], a->a[5] };
	err = plat_syscall_set_args(t->ctx, args);
	return err ? err : sysret(SYSRET_NATIVE);
}

SYSCALL(clock_cpu)
{
	clockid_t c;
	long z = zombie_clock(t, a);

	if (a->nr == __NR_clock_gettime && timens_shifts(t, (clockid_t)a->a[0]))
		return shifted_gettime(t, (clockid_t)a->a[0], a->a[1]);
	if (a->nr == __NR_clock_nanosleep && ((int)a->a[1] & TIMER_ABSTIME) &&
	    timens_shifts(t, (clockid_t)a->a[0]))
		return shifted_sleep(t, a);

	if (z <= 0)
		return z;
	int err = cpu_clock_host(t, a->a[0], &c);

	if (err)
		return err;
	if (c == (clockid_t)a->a[0])
		return sysret(SYSRET_NATIVE);
	if (a->nr != __NR_clock_nanosleep)
		return plat_inject(t->ctx, a->nr, (unsigned long)(long)c, a->a[1], 0, 0, 0, 0);
	unsigned long args[6] = { (unsigned long)(long)c, a->a[1], a->a[2], a->a[3], a->a[4],
				  a->a[5] };
	err = plat_syscall_set_args(t->ctx, args);
	return err ? err : sysret(SYSRET_NATIVE);
}

/* Whether CPU clock c names a task whose clock the caller may name in a set (Linux's
 * pid_for_clock: a thread clock of its own thread group, a process clock of a thread-group
 * leader, which a zombie still is). */
static bool
cpu_clock_names_task(struct task *t, clockid_t c)
{
	int pid = ~(c >> 3);

	if (!pid)
		return true;
	struct task *target = task_lookup_vnr(t, pid);
	if (!target)
		return false;
	return (c & 4) ? target->tgid == t->tgid : target == target->leader;
}

/* Linux's timespec64_valid_settod: a time the wall clock may be set to (from 0 to 30 years
 * short of ktime's end, a nanosecond part below a second). */
static bool
settod_valid(const struct timespec *ts)
{
	const long long max = 9223372036LL - 30LL * 365 * 86400;

	return ts->tv_sec >= 0 && ts->tv_sec < max && ts->tv_nsec >= 0 &&
	       ts->tv_nsec < 1000000000L;
}

/* Setting the host's clock needs CAP_SYS_TIME in the initial user namespace, which no
 * guest has: a policy refusal, audited as the table's denials are. */
static long
time_set_refused(struct task *t, const struct sysargs *a, const char *name)
{
	audit_call(t, a, name, EPERM, "denied by policy");
	return -EPERM;
}

/* clock_settime checks as Linux does, in its order: a clock with no setter (all but
 * CLOCK_REALTIME, the CPU clocks and clock devices) EINVAL, the time's copy EFAULT, a CPU
 * clock naming no task or a clock device (none here) EINVAL, a bad wall time EINVAL; then
 * the privilege, EPERM (a CPU clock can never be set: EPERM too). */
SYSCALL(clock_settime)
{
	clockid_t c = (clockid_t)a->a[0];
	struct timespec ts;

	if (c >= 0 && c != CLOCK_REALTIME)
		return -EINVAL;
	if (copy_from_guest(t, &ts, a->a[1], sizeof(ts)))
		return -EFAULT;
	if (c < 0 && ((c & 7) == 3 || !cpu_clock_names_task(t, c)))
		return -EINVAL;
	if (c == CLOCK_REALTIME && !settod_valid(&ts))
		return -EINVAL;
	return time_set_refused(t, a, "clock_settime");
}

/* settimeofday: the timeval (microseconds up to one second, then the wall-time check)
 * and the timezone are read and checked before the privilege, as Linux does. */
SYSCALL(settimeofday)
{
	struct timeval tv;
	struct timezone tz;

	if (a->a[0]) {
		if (copy_from_guest(t, &tv, a->a[0], sizeof(tv)))
			return -EFAULT;
		if (tv.tv_usec < 0 || tv.tv_usec > 1000000)
			return -EINVAL;
	}
	if (a->a[1] && copy_from_guest(t, &tz, a->a[1], sizeof(tz)))
		return -EFAULT;
	if (a->a[0]) {
		struct timespec ts = { tv.tv_sec, tv.tv_usec * 1000 };
		if (!settod_valid(&ts))
			return -EINVAL;
	}
	return time_set_refused(t, a, "settimeofday");
}

/* adjtimex and clock_adjtime: Linux's checks in its order (the whole struct's copy EFAULT;
 * for clock_adjtime an id that names no clock EINVAL, a clock that cannot be adjusted
 * EOPNOTSUPP: do_clock_adjtime; a singleshot adjtime without its flag EINVAL, any change
 * EPERM, audited); a query (modes 0, or the read-only singleshot) asks the host's clock
 * through the stub, which reads and fills the guest's struct itself. The host refuses any
 * change from a stub by itself too (no CAP_SYS_TIME in its initial user namespace), so a
 * struct another thread rewrites meanwhile changes nothing. */
static long
adjtime_common(struct task *t, const struct sysargs *a, long nr, clockid_t c, unsigned long addr)
{
	struct timex tx;

	if (copy_from_guest(t, &tx, addr, sizeof(tx)))
		return -EFAULT;
	if (c != CLOCK_REALTIME) {
		if (c > CLOCK_TAI || c == 10 || (c < 0 && (c & 7) == 3))
			return -EINVAL; /* (10: the old SGI cycle counter; CLOCKFD: no clock devices here) */
		return -EOPNOTSUPP;
	}
	/* (the kernel's bits: ADJ_ADJTIME 0x8000 with the singleshot bit 0x0001, read-only
	 * with 0x2000; user space's ADJ_OFFSET_SINGLESHOT and _SS_READ combine them) */
	unsigned int modes = tx.modes;
	if ((modes & 0x8000) && !(modes & 0x0001))
		return -EINVAL;
	if ((modes & 0x8000) ? !(modes & 0x2000) : modes != 0)
		return time_set_refused(t, a, nr == __NR_adjtimex ? "adjtimex" : "clock_adjtime");
	return nr == __NR_adjtimex ? plat_inject(t->ctx, nr, addr, 0, 0, 0, 0, 0)
				   : plat_inject(t->ctx, nr, (unsigned long)c, addr, 0, 0, 0, 0);
}

SYSCALL(adjtimex)
{
	return adjtime_common(t, a, __NR_adjtimex, CLOCK_REALTIME, a->a[0]);
}

SYSCALL(clock_adjtime)
{
	return adjtime_common(t, a, __NR_clock_adjtime, (clockid_t)a->a[0], a->a[1]);
}

/* A CPU-clock timer is created in the stub's kernel (SIGEV_THREAD_ID translated to the host
 * tid), with the guest's id when the host has PR_TIMER_CREATE_RESTORE_IDS (Linux 6.16): the
 * host raises its signals itself, and their si_timerid is then the guest's. Returns the
 * stub's id or -errno. */
static long
create_native(struct task *t, clockid_t clock, struct sigevent *ev, int want)
{
	unsigned long evp = 0, idp = PLAT_STUB_SCRATCH + 256;
	int id = want;

	if (ev) {
		if (ev->sigev_notify & SIGEV_THREAD_ID) {
			struct task *target = task_lookup_vnr(t, ev->_sigev_un._tid);
			if (!target || target->tgid != t->tgid || !target->ctx)
				return -EINVAL;
			ev->_sigev_un._tid = plat_host_pid(target->ctx);
		}
		if (copy_to_guest(t, PLAT_STUB_SCRATCH, ev, sizeof(*ev)))
			return -EFAULT;
		evp = PLAT_STUB_SCRATCH;
	}
	if (copy_to_guest(t, idp, &id, sizeof(id)))
		return -EFAULT;
	bool asked = plat_inject(t->ctx, __NR_prctl, PR_TIMER_CREATE_RESTORE_IDS,
				 PR_TIMER_CREATE_RESTORE_IDS_ON, 0, 0, 0, 0) == 0;
	long r = plat_inject(t->ctx, __NR_timer_create, clock, evp, idp, 0, 0, 0);
	if (asked)
		plat_inject(t->ctx, __NR_prctl, PR_TIMER_CREATE_RESTORE_IDS,
			    PR_TIMER_CREATE_RESTORE_IDS_OFF, 0, 0, 0, 0);
	if (r < 0)
		return r;
	if (copy_from_guest(t, &id, idp, sizeof(id)))
		return -EFAULT;
	timers_native(t->leader, true);
	return id;
}

/* The stub's own timer for a CPU-clock timer of ours (ev: the guest's event, kept by the
 * sentry with the guest's tid). */
static long
cpu_timer_create(struct task *t, clockid_t clock, const struct sigevent *ev, int id)
{
	clockid_t host;
	int err = cpu_clock_host(t, (unsigned long)(long)clock, &host);

	if (err)
		return err;
	struct sigevent host_ev = ev ? *ev : (struct sigevent){ 0 };
	long native = create_native(t, host, ev ? &host_ev : NULL, id);
	if (native < 0)
		return native;
	timer_posix_set_native(t, id, (int)native);
	return 0;
}

/* Linux do_timer_create's order: the event read, the clock, the id asked for
 * (PR_TIMER_CREATE_RESTORE_IDS: read from where the new id goes), the id taken, the event
 * checked, the id written, and last the clock's own timer: a CPU clock's in the stub's
 * kernel, none for the alarm clocks. A failure after the id was taken leaves it used up. */
SYSCALL(timer_create)
{
	clockid_t clock = (clockid_t)a->a[0];
	struct sigevent ev = { 0 };
	int req = -1;

	if (a->a[1] && copy_from_guest(t, &ev, a->a[1], sizeof(ev)))
		return -EFAULT;
	long err = timer_clock_check(clock);
	if (err)
		return err;
	if (t->leader->timer_restore_ids) {
		if (copy_from_guest(t, &req, a->a[2], sizeof(req)))
			return -EFAULT;
		if (req < 0)
			return -EINVAL;
	}
	long id = timer_posix_create(t, clock, a->a[1] ? &ev : NULL, req);
	if (id < 0)
		return id;
	int gid = (int)id;
	if (copy_to_guest(t, a->a[2], &gid, sizeof(gid)))
		err = -EFAULT;
	else if (clock == CLOCK_REALTIME_ALARM || clock == CLOCK_BOOTTIME_ALARM)
		/* Alarm timers wake the machine through an RTC device; the sandbox has none,
		 * and Linux without one fails them so (alarm_timer_create; its clock_gettime
		 * of them, run natively, fails with EINVAL then) */
		err = -EOPNOTSUPP;
	else if (timer_cpu_clock(clock))
		err = cpu_timer_create(t, clock, a->a[1] ? &ev : NULL, gid);
	if (err)
		timer_posix_delete(t, gid);
	return err;
}

SYSCALL(timer_settime)
{
	int id = (int)a->a[0];
	long native = timer_posix_native(t, id);
	struct itimerspec nv, old;

	if (!a->a[2])
		return -EINVAL; /* Linux checks for no new value first */
	if (native >= 0)
		return plat_inject(t->ctx, a->nr, native, a->a[1], a->a[2], a->a[3], 0, 0);
	if (native == -EINVAL)
		return -EINVAL;
	if (copy_from_guest(t, &nv, a->a[2], sizeof(nv)))
		return -EFAULT;
	int err = timer_posix_settime(t, id, (int)a->a[1], &nv, &old);
	if (err)
		return err;
	if (a->a[3] && copy_to_guest(t, a->a[3], &old, sizeof(old)))
		return -EFAULT;
	return 0;
}

SYSCALL(timer_gettime)
{
	int id = (int)a->a[0];
	long native = timer_posix_native(t, id);
	struct itimerspec cur;

	if (native >= 0)
		return plat_inject(t->ctx, a->nr, native, a->a[1], 0, 0, 0, 0);
	if (native == -EINVAL)
		return -EINVAL;
	timer_posix_gettime(t, id, &cur);
	return copy_to_guest(t, a->a[1], &cur, sizeof(cur)) ? -EFAULT : 0;
}

SYSCALL(timer_getoverrun)
{
	long native = timer_posix_native(t, (int)a->a[0]);

	if (native >= 0)
		return plat_inject(t->ctx, a->nr, native, 0, 0, 0, 0, 0);
	return native == -EINVAL ? -EINVAL : timer_posix_overrun(t, (int)a->a[0]);
}

SYSCALL(timer_delete)
{
	int id = (int)a->a[0];
	long native = timer_posix_native(t, id);

	if (native == -EINVAL)
		return -EINVAL;
	if (native >= 0)
		plat_inject(t->ctx, a->nr, native, 0, 0, 0, 0, 0);
	return timer_posix_delete(t, id);
}
