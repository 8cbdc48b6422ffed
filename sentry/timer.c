/*
 * Guest timers kept by the sentry: alarm, ITIMER_REAL and POSIX timers on the wall and
 * monotonic clocks. The loop sleeps until the earliest expiry and then sends the signal, so a
 * task blocked in the sentry is interrupted at once (a timer in the stub's host kernel would
 * only be seen by polling), and the timers survive execve, which starts a new stub.
 *
 * POSIX timers on CPU-time clocks stay in the stub's kernel (the sentry does not see CPU
 * time pass): timer_create runs there and the guest gets one of our ids for it; a process
 * with such a timer, or with ITIMER_VIRTUAL/ITIMER_PROF, is polled for host-raised signals
 * while it is blocked (loop.c).
 *
 * Semantics kept: ids per process from a counter (see alloc_id); expiry and reload in ns; alarm/setitimer return
 * the time left (alarm rounds up to whole seconds); fork clears all; execve keeps ITIMER_REAL
 * and deletes POSIX timers; exit deletes all. POSIX timer signals carry SI_TIMER, the id and
 * sigev_value (glibc's SIGEV_THREAD needs it). As on Linux a POSIX timer has one signal
 * queued at a time: expiries while it is pending count as overruns, which the signal
 * carries (si_overrun, filled when it is taken: delivered or dequeued, timers_dequeued)
 * and timer_getoverrun reports. Not kept: CLOCK_REALTIME timers do not follow changes of
 * the wall clock after they are armed.
 */
#include <limits.h>
#include <signal.h>
#include <string.h>
#include <sys/time.h>
#include <sys/syscall.h>
#include <time.h>
#include <utlist.h>

#include "fs/vfs.h"
#include "platform/platform.h"
#include "sentry/ns.h"
#include "sentry/sentry.h"

#define NS 1000000000LL
#define ITIMER_ID (-1)     /* the process's ITIMER_REAL (and alarm) */
#define MAX_TIMERS 4096    /* per process, like a small RLIMIT_SIGPENDING */

struct gtimer {
	int tgid;               /* owning process */
	int id;                 /* guest id, or ITIMER_ID */
	clockid_t clock;
	int notify;             /* SIGEV_SIGNAL, SIGEV_NONE, SIGEV_THREAD_ID */
	int notify_given;       /* sigev_notify as given (SIGEV_THREAD too: /proc/PID/timers) */
	int signo;
	int tid;                /* SIGEV_THREAD_ID target (virtual) */
	union sigval value;
	long long expires;      /* CLOCK_MONOTONIC ns, 0 = disarmed */
	long long interval;     /* ns */
	int native_id;          /* CPU-clock timer living in the stub's kernel, or -1 */
	bool queued;            /* its signal is pending (not yet delivered or dequeued) */
	int overrun;            /* expiries since it was queued */
	int overrun_last;       /* what the last signal taken carried (timer_getoverrun) */
	struct gtimer *next, *prev;
};

static struct gtimer *timers;
static int native_users;    /* processes with timers in their stub's kernel (see timers_native) */

static long long
clock_ns(clockid_t c)
{
	struct timespec ts;

	clock_gettime(c, &ts);
	return ts.tv_sec * NS + ts.tv_nsec;
}

static struct gtimer *
find(int tgid, int id)
{
	struct gtimer *g;

	DL_FOREACH(timers, g)
		if (g->tgid == tgid && g->id == id)
			return g;
	return NULL;
}

static void
drop(struct gtimer *g)
{
	DL_DELETE(timers, g);
	free(g);
}

/* Time left until g expires, in ns (0 when disarmed). */
static long long
left_ns(const struct gtimer *g)
{
	return g->expires ? MAX(g->expires - monotonic_ns(), 1) : 0;
}

/* Arms g: value ns from now (absolute on g's clock when abs), then every interval. */
static void
arm(struct gtimer *g, long long value, long long interval, bool abs)
{
	g->interval = interval;
	if (!value) {
		g->expires = 0;
		return;
	}
	/* an absolute time in the past stays there: the periods since count as overruns at
	 * the first expiry (timers_fire) */
	if (abs)
		value -= clock_ns(g->clock);
	else
		value = MAX(value, 1);
	g->expires = MAX(ktime_add_sat(monotonic_ns(), value), 1);
}

static bool
valid_ts(const struct timespec *ts)
{
	return ts->tv_sec >= 0 && ts->tv_nsec >= 0 && ts->tv_nsec < NS;
}

/* ---- ITIMER_REAL and alarm ---- */

static struct gtimer *
real_timer(struct task *t)
{
	struct gtimer *g = find(t->tgid, ITIMER_ID);

	if (!g) {
		g = xcalloc(1, sizeof(*g));
		g->tgid = t->tgid;
		g->id = ITIMER_ID;
		g->clock = CLOCK_MONOTONIC;
		g->notify = SIGEV_SIGNAL;
		g->signo = SIGALRM;
		g->native_id = -1;
		DL_APPEND(timers, g);
	}
	return g;
}

static struct itimerval
itimerval_of(long long left, long long interval)
{
	long long us = left / 1000;

	if (left && !us)
		us = 1; /* like Linux, a running timer never reads as zero */
	return (struct itimerval){
		.it_value = { us / 1000000, us % 1000000 },
		.it_interval = { interval / NS, interval % NS / 1000 },
	};
}

void
timer_get_real(struct task *t, struct itimerval *cur)
{
	struct gtimer *g = find(t->tgid, ITIMER_ID);

	*cur = g ? itimerval_of(left_ns(g), g->interval) : (struct itimerval){ 0 };
}

int
timer_set_real(struct task *t, const struct itimerval *nv, struct itimerval *old)
{
	if (nv->it_value.tv_usec < 0 || nv->it_value.tv_usec >= 1000000 ||
	    nv->it_interval.tv_usec < 0 || nv->it_interval.tv_usec >= 1000000 ||
	    nv->it_value.tv_sec < 0 || nv->it_interval.tv_sec < 0)
		return -EINVAL;
	struct gtimer *g = real_timer(t);
	if (old)
		*old = itimerval_of(left_ns(g), g->interval);
	long long value = ktime_of(nv->it_value.tv_sec, nv->it_value.tv_usec * 1000LL);
	/* a disarming value drops the interval too (Linux do_setitimer keeps incr only for a
	 * timer it starts): a later read says { 0, 0 } */
	arm(g, value,
	    value ? ktime_of(nv->it_interval.tv_sec, nv->it_interval.tv_usec * 1000LL) : 0,
	    false);
	return 0;
}

unsigned int
timer_alarm(struct task *t, unsigned int secs)
{
	struct itimerval nv = { .it_value = { secs, 0 } }, old;

	timer_set_real(t, &nv, &old);
	/* the seconds left, rounded to the nearest, and at least 1 while armed (alarm(2)) */
	unsigned int left = old.it_value.tv_sec + (old.it_value.tv_usec >= 500000);
	return !left && (old.it_value.tv_sec || old.it_value.tv_usec) ? 1 : left;
}

/* ---- POSIX timers ---- */

bool
timer_cpu_clock(clockid_t c)
{
	return c < 0 || c == CLOCK_PROCESS_CPUTIME_ID || c == CLOCK_THREAD_CPUTIME_ID;
}

/* An id for a new timer of leader's process (Linux posix_timer_add): the process's counter
 * (a fork's process starts at 0, execve keeps it) gives the next id not in use, wrapping
 * within 0..INT_MAX, and advances whether or not the creation then succeeds; req >= 0
 * (PR_TIMER_CREATE_RESTORE_IDS) asks for that id, EBUSY if in use, and moves the counter
 * past it. At most MAX_TIMERS per process: EAGAIN past that. */
static int
alloc_id(struct task *leader, int req)
{
	struct gtimer *g;
	int n = 0;

	DL_FOREACH(timers, g)
		n += g->tgid == leader->tgid && g->id != ITIMER_ID;
	if (n >= MAX_TIMERS)
		return -EAGAIN;
	if (req >= 0) {
		if (find(leader->tgid, req))
			return -EBUSY;
		leader->timer_next_id = (unsigned int)req + 1;
		return req;
	}
	for (;;) { /* fewer than MAX_TIMERS ids are in use: this ends */
		int id = (int)(leader->timer_next_id++ & INT_MAX);
		if (!find(leader->tgid, id))
			return id;
	}
}

int
timer_clock_check(clockid_t clock)
{
	if (timer_cpu_clock(clock))
		return 0;
	switch (clock) {
	case CLOCK_REALTIME: case CLOCK_MONOTONIC: case CLOCK_BOOTTIME: case CLOCK_TAI:
	case CLOCK_REALTIME_ALARM: case CLOCK_BOOTTIME_ALARM:
		return 0;
	case CLOCK_MONOTONIC_RAW: case CLOCK_REALTIME_COARSE: case CLOCK_MONOTONIC_COARSE:
		return -EOPNOTSUPP; /* clocks without timers (no timer_create in Linux's k_clock) */
	default:
		return -EINVAL;
	}
}

long
timer_posix_create(struct task *t, clockid_t clock, const struct sigevent *ev, int req)
{
	struct gtimer g = { .tgid = t->tgid, .clock = clock, .notify = SIGEV_SIGNAL,
			    .signo = SIGALRM, .native_id = -1 };
	/* as Linux, the id is taken before the event is checked: a refused one uses it up */
	int id = alloc_id(t->leader, req);
	if (id < 0)
		return id;
	if (ev) {
		g.notify = g.notify_given = ev->sigev_notify;
		g.signo = ev->sigev_signo;
		g.value = ev->sigev_value;
		/* the kernel's part of SIGEV_THREAD is a signal to the process (good_sigevent) */
		if (g.notify == SIGEV_THREAD)
			g.notify = SIGEV_SIGNAL;
		if (g.notify != SIGEV_SIGNAL && g.notify != SIGEV_NONE &&
		    g.notify != SIGEV_THREAD_ID)
			return -EINVAL;
		if (g.notify != SIGEV_NONE && (g.signo < 1 || g.signo > 64))
			return -EINVAL;
		if (g.notify == SIGEV_THREAD_ID) {
			struct task *target = task_lookup_vnr(t, ev->_sigev_un._tid);
			if (!target || target->tgid != t->tgid)
				return -EINVAL;
			g.tid = target->tid;
		}
	} else {
		g.value.sival_int = id; /* as Linux does */
	}
	struct gtimer *n = xmalloc(sizeof(*n));
	*n = g;
	n->id = id;
	DL_APPEND(timers, n);
	return id;
}

void
timers_each(struct task *leader, void (*fn)(void *arg, const struct timer_info *ti), void *arg)
{
	struct gtimer *g;

	if (!timers)
		return;
	for (g = timers->prev;; g = g->prev) { /* (utlist: the head's prev is the tail) */
		if (g->tgid == leader->tgid && g->id != ITIMER_ID) {
			struct timer_info ti = {
				.id = g->id, .signo = g->signo, .notify = g->notify_given,
				.pid = g->notify == SIGEV_THREAD_ID ? g->tid : g->tgid,
				.value = g->value, .clock = g->clock,
			};
			/* Linux keeps its own CPU clocks as the pid-0 ones (PROCESS_CLOCK,
			 * THREAD_CLOCK: CPUCLOCK_SCHED) */
			if (ti.clock == CLOCK_PROCESS_CPUTIME_ID)
				ti.clock = -6;
			else if (ti.clock == CLOCK_THREAD_CPUTIME_ID)
				ti.clock = -2;
			fn(arg, &ti);
		}
		if (g == timers)
			break;
	}
}

void
timer_posix_set_native(struct task *t, int id, int native_id)
{
	struct gtimer *g = find(t->tgid, id);

	if (g)
		g->native_id = native_id;
}

/* The stub-kernel id of a CPU-clock timer (the caller runs the call there), -1 for ours,
 * or -EINVAL for no such timer. */
long
timer_posix_native(struct task *t, int id)
{
	struct gtimer *g = id >= 0 ? find(t->tgid, id) : NULL;

	return g ? g->native_id : -EINVAL;
}

int
timer_posix_settime(struct task *t, int id, int flags, const struct itimerspec *nv,
		    struct itimerspec *old)
{
	struct gtimer *g = id >= 0 ? find(t->tgid, id) : NULL;

	if (!g)
		return -EINVAL;
	if (!valid_ts(&nv->it_value) || !valid_ts(&nv->it_interval))
		return -EINVAL;
	if (old)
		timer_posix_gettime(t, id, old);
	long long value = ts_ktime(&nv->it_value);
	if ((flags & TIMER_ABSTIME) && value) /* (a deadline on t's time namespace's clocks) */
		value = MAX(timens_deadline_to_host(t, g->clock, value), 1);
	arm(g, value, ts_ktime(&nv->it_interval), flags & TIMER_ABSTIME);
	g->overrun = g->overrun_last = 0;
	return 0;
}

int
timer_posix_gettime(struct task *t, int id, struct itimerspec *cur)
{
	struct gtimer *g = id >= 0 ? find(t->tgid, id) : NULL;

	if (!g)
		return -EINVAL;
	cur->it_value = ktime_ts(left_ns(g));
	cur->it_interval = ktime_ts(g->interval);
	return 0;
}

int
timer_posix_delete(struct task *t, int id)
{
	struct gtimer *g = id >= 0 ? find(t->tgid, id) : NULL;

	if (!g)
		return -EINVAL;
	drop(g);
	return 0;
}

/* ---- process life ---- */

void
timers_exec(struct task *leader)
{
	struct gtimer *g, *tmp;

	/* POSIX timers go (CPU ones died with the old stub); ITIMER_REAL stays. The new stub
	 * has no native timers: the process is no longer polled for them. */
	DL_FOREACH_SAFE(timers, g, tmp)
		if (g->tgid == leader->tgid && g->id != ITIMER_ID)
			drop(g);
	timers_native(leader, false);
	leader->timer_restore_ids = false; /* (Linux: the id counter stays) */
}

void
timers_exit(struct task *leader)
{
	struct gtimer *g, *tmp;

	DL_FOREACH_SAFE(timers, g, tmp)
		if (g->tgid == leader->tgid)
			drop(g);
	timers_native(leader, false);
}

void
timers_native(struct task *leader, bool on)
{
	if (leader->native_timers != on)
		native_users += on ? 1 : -1;
	leader->native_timers = on;
}

bool
timers_any_native(void)
{
	return native_users > 0;
}

/* ---- expiry ---- */

long long
timers_next_deadline(void)
{
	struct gtimer *g;
	long long first = vfs_timerfd_deadline();

	DL_FOREACH(timers, g)
		if (g->expires && (!first || g->expires < first))
			first = g->expires;
	return first;
}

static void
add_overrun(struct gtimer *g, long long n)
{
	g->overrun = (int)MIN((long long)g->overrun + n, (long long)INT_MAX);
}

static void
deliver(struct gtimer *g, long long missed)
{
	struct task *l = task_lookup(g->tgid);
	struct task *to = g->notify == SIGEV_THREAD_ID ? task_lookup(g->tid) : l;

	if (g->notify == SIGEV_NONE || !to || !l || to->tgid != g->tgid || !to->ctx || !l->ctx ||
	    to->state == TASK_ZOMBIE)
		return;
	if (g->id == ITIMER_ID) {
		siginfo_t ksi; /* SIGALRM of setitimer/alarm: from the kernel, for the process */
		sig_info_kernel(&ksi, g->signo);
		task_send_signal(to, g->signo, &ksi, true);
		return;
	}
	if (g->queued) { /* its signal still waits: one more overrun */
		add_overrun(g, 1 + missed);
		return;
	}
	siginfo_t si;
	memset(&si, 0, sizeof(si));
	si.si_signo = g->signo;
	si.si_code = SI_TIMER;
	si.si_timerid = g->id;
	si.si_overrun = 0;
	si.si_value = g->value;
	add_overrun(g, missed); /* (reset when its last signal was taken) */
	g->queued = true;
	task_send_signal(to, g->signo, &si, g->notify != SIGEV_THREAD_ID);
}

void
timers_dequeued(struct task *t, siginfo_t *si)
{
	struct gtimer *g;

	if (si->si_code != SI_TIMER) {
		/* A standard signal is pending once: a timer's sent while another was pending
		 * was lost, and counts as an overrun of the next that gets through. */
		if (si->si_signo >= 32) /* real-time: queued, each its own */
			return;
		DL_FOREACH(timers, g)
			if (g->tgid == t->tgid && g->signo == si->si_signo && g->queued &&
			    g->id != ITIMER_ID && g->native_id < 0) {
				g->queued = false;
				add_overrun(g, 1);
			}
		return;
	}
	DL_FOREACH(timers, g)
		if (g->tgid == t->tgid && g->id == si->si_timerid && g->id != ITIMER_ID &&
		    g->native_id < 0 && g->signo == si->si_signo && g->queued) {
			g->queued = false;
			g->overrun_last = g->overrun;
			g->overrun = 0;
			si->si_overrun = g->overrun_last;
			return;
		}
}

void
timers_sig_discarded(struct task *leader, int sig)
{
	struct gtimer *g;

	DL_FOREACH(timers, g)
		if (g->tgid == leader->tgid && g->signo == sig)
			g->queued = false;
}

int
timer_posix_overrun(struct task *t, int id)
{
	struct gtimer *g = id >= 0 ? find(t->tgid, id) : NULL;

	return g ? g->overrun_last : -EINVAL;
}

void
timers_fire(void)
{
	struct gtimer *g, *tmp;

	vfs_timerfd_fire();
	if (!timers)
		return; /* the loop calls this on every turn: no clock read without timers */
	long long now = monotonic_ns();

	DL_FOREACH_SAFE(timers, g, tmp) {
		if (!g->expires || g->expires > now)
			continue;
		long long missed = 0;
		if (g->interval) {
			/* missed periods are skipped: overruns */
			missed = (now - g->expires) / g->interval;
			g->expires = ktime_add_sat(g->expires, missed < LLONG_MAX / g->interval
								 ? (missed + 1) * g->interval
								 : LLONG_MAX);
		} else {
			g->expires = 0;
		}
		deliver(g, missed);
	}
}
