/*
 * timerfd: a timer read as a file. read gives the number of expirations since the last
 * read (or settime) as a 64-bit count, -EAGAIN while there are none (the syscall layer
 * blocks unless O_NONBLOCK, on the timer's queue); poll is readable while there are some.
 *
 * Expirations are counted lazily from the timer's own clock whenever the file is looked
 * at, so a periodic timer costs nothing between reads. The sentry's loop only wakes up for
 * the expiry that makes a timer readable: as on Linux, where an expired periodic timer is
 * only moved on when it is read, later expiries wake nobody (edge-triggered epoll sees one
 * event until the count is read). timers_fire and timers_next_deadline (sentry/timer.c)
 * ask vfs_timerfd_fire / vfs_timerfd_deadline.
 *
 * Not kept: TFD_TIMER_CANCEL_ON_SET is accepted but never cancels (the sandbox cannot set
 * the wall clock; the host's changes are not seen), and an absolute CLOCK_REALTIME expiry
 * does not follow later changes of the wall clock.
 */
#include <limits.h>
#include <poll.h>
#include <stdint.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/timerfd.h>
#include <time.h>
#include <utlist.h>

#include "fs/internal.h"
#include "sentry/ns.h"
#include "sentry/sentry.h"

#define NS 1000000000LL

struct timerfd {
	struct waitq wq;
	clockid_t clock;
	bool armed;
	long long expires;         /* next expiry on the timer's clock, ns */
	long long interval;        /* ns; 0: one shot */
	uint64_t ticks;            /* expirations not read yet */
	int settime_flags;         /* the last settime's TFD_TIMER_* (fdinfo) */
	struct timerfd *next, *prev; /* on the armed list */
};

static struct timerfd *armed;

static long long
clock_now(clockid_t c)
{
	struct timespec ts;

	if (c == CLOCK_REALTIME_ALARM)
		c = CLOCK_REALTIME;
	else if (c == CLOCK_BOOTTIME_ALARM)
		c = CLOCK_BOOTTIME;
	clock_gettime(c, &ts);
	return ts.tv_sec * NS + ts.tv_nsec;
}

static void
disarm(struct timerfd *t)
{
	if (t->armed)
		DL_DELETE(armed, t);
	t->armed = false;
}

/* Counts the expirations due by now; true if there were new ones. */
static bool
update(struct timerfd *t)
{
	if (!t->armed)
		return false;
	long long now = clock_now(t->clock);
	if (now < t->expires)
		return false;
	uint64_t n = 1;
	if (t->interval) {
		n += (uint64_t)(now - t->expires) / (uint64_t)t->interval;
		long long step = n > (uint64_t)(LLONG_MAX / t->interval) ? LLONG_MAX
							 : (long long)n * t->interval;
		t->expires = ktime_add_sat(t->expires, step);
		if (t->expires == LLONG_MAX)
			disarm(t); /* (the end of time: no further expiry) */
	} else {
		disarm(t);
	}
	t->ticks = t->ticks > UINT64_MAX - n ? UINT64_MAX : t->ticks + n;
	return true;
}

static struct timerfd *
tfd_of(struct file *f)
{
	return f->inode->priv;
}

static ssize_t
tfd_read(struct file *f, void *buf, size_t n, off_t *pos)
{
	struct timerfd *t = tfd_of(f);

	if (n < sizeof(uint64_t))
		return -EINVAL;
	update(t);
	if (!t->ticks)
		return -EAGAIN;
	memcpy(buf, &t->ticks, sizeof(t->ticks));
	t->ticks = 0;
	return sizeof(uint64_t);
}

static short
tfd_poll(struct file *f, short events)
{
	struct timerfd *t = tfd_of(f);

	update(t);
	return t->ticks ? POLLIN | POLLRDNORM : 0;
}

static struct waitq *
tfd_waitq(struct file *f)
{
	return &tfd_of(f)->wq;
}

/* TFD_IOC_SET_TICKS (checkpoint/restore): sets the count of unread expirations. */
static long
tfd_ioctl(struct file *f, unsigned long cmd, void *arg)
{
	struct timerfd *t = tfd_of(f);
	uint64_t ticks;

	if (cmd != TFD_IOC_SET_TICKS_)
		return -ENOTTY;
	memcpy(&ticks, arg, sizeof(ticks));
	if (!ticks)
		return -EINVAL;
	t->ticks = ticks;
	waitq_wake(&t->wq);
	return 0;
}

static void
tfd_fdinfo(struct file *f, struct sbuf *b, const struct pid_ns *ns)
{
	struct timerfd *t = tfd_of(f);
	struct itimerspec cur;

	vfs_timerfd_gettime(f, &cur); /* (brings ticks up to date) */
	sbuf_printf(b, "clockid: %d\nticks: %llu\nsettime flags: 0%o\nit_value: (%llu, %llu)\n"
		    "it_interval: (%llu, %llu)\n", (int)t->clock, (unsigned long long)t->ticks,
		    (unsigned)t->settime_flags, (unsigned long long)cur.it_value.tv_sec,
		    (unsigned long long)cur.it_value.tv_nsec,
		    (unsigned long long)cur.it_interval.tv_sec,
		    (unsigned long long)cur.it_interval.tv_nsec);
}

static const struct file_ops tfd_fops = {
	.fdinfo = tfd_fdinfo,
	.read = tfd_read,
	.llseek = noop_llseek,
	.poll = tfd_poll,
	.waitq = tfd_waitq,
	.wakes_tell = true,
	.ioctl = tfd_ioctl,
	.read_min = sizeof(uint64_t),
};

static void
tfd_free(struct inode *i)
{
	struct timerfd *t = i->priv;

	disarm(t);
	waitq_wake(&t->wq); /* sleepers re-run and find the fd gone */
	free(t);
}

int
vfs_timerfd(int clock, int flags, bool privileged, struct file **out)
{
	if (flags & ~(TFD_CLOEXEC | TFD_NONBLOCK))
		return -EINVAL;
	if (clock != CLOCK_MONOTONIC && clock != CLOCK_REALTIME && clock != CLOCK_BOOTTIME &&
	    clock != CLOCK_REALTIME_ALARM && clock != CLOCK_BOOTTIME_ALARM)
		return -EINVAL;
	if ((clock == CLOCK_REALTIME_ALARM || clock == CLOCK_BOOTTIME_ALARM) && !privileged)
		return -EPERM; /* CAP_WAKE_ALARM */
	struct timerfd *t = xcalloc(1, sizeof(*t));
	t->clock = clock;
	*out = anon_file("[timerfd]", &tfd_fops, t, tfd_free, O_RDWR | (flags & TFD_NONBLOCK));
	return 0;
}

static struct timerfd *
timerfd_of(struct file *f)
{
	return f && f->fops == &tfd_fops ? tfd_of(f) : NULL;
}

int
vfs_timerfd_gettime(struct file *f, struct itimerspec *cur)
{
	struct timerfd *t = timerfd_of(f);

	if (!t)
		return -EINVAL;
	update(t);
	long long left = t->armed ? t->expires - clock_now(t->clock) : 0;
	cur->it_value = ktime_ts(left > 0 ? left : 0);
	cur->it_interval = ktime_ts(t->interval);
	return 0;
}

int
vfs_timerfd_settime(struct task *caller, struct file *f, int flags,
		    const struct itimerspec *nv, struct itimerspec *old)
{
	struct timerfd *t = timerfd_of(f);

	if (flags & ~(TFD_TIMER_ABSTIME | TFD_TIMER_CANCEL_ON_SET))
		return -EINVAL;
	if (!t)
		return -EINVAL;
	if (nv->it_value.tv_sec < 0 || nv->it_value.tv_nsec < 0 || nv->it_value.tv_nsec >= NS ||
	    nv->it_interval.tv_sec < 0 || nv->it_interval.tv_nsec < 0 ||
	    nv->it_interval.tv_nsec >= NS)
		return -EINVAL;
	if (old)
		vfs_timerfd_gettime(f, old);
	disarm(t);
	t->ticks = 0;
	t->settime_flags = flags;
	t->interval = ts_ktime(&nv->it_interval);
	long long value = ts_ktime(&nv->it_value);
	if (value) {
		t->expires = (flags & TFD_TIMER_ABSTIME)
				     ? timens_deadline_to_host(caller, t->clock, value)
				     : ktime_add_sat(clock_now(t->clock), value);
		t->armed = true;
		DL_APPEND(armed, t);
	}
	waitq_wake(&t->wq); /* readiness may have changed (ticks reset) */
	return 0;
}

long long
vfs_timerfd_deadline(void)
{
	struct timerfd *t;
	long long first = 0, mono = 0;

	DL_FOREACH(armed, t) {
		if (t->ticks)
			continue; /* readable already: the next expiry wakes nobody */
		if (!mono)
			mono = monotonic_ns();
		long long d = t->clock == CLOCK_MONOTONIC
				      ? t->expires
				      : ktime_add_sat(mono, MAX(t->expires - clock_now(t->clock), 0));
		if (!first || d < first)
			first = MAX(d, 1);
	}
	{
		long long c = sock_cork_deadline(); /* TCP_CORK's ceiling: sockets' own timer */

		if (c && (!first || c < first))
			first = c;
	}
	return first;
}

void
vfs_timerfd_fire(void)
{
	struct timerfd *t, *tmp;

	DL_FOREACH_SAFE(armed, t, tmp)
		if (!t->ticks && update(t))
			waitq_wake(&t->wq);
	sock_cork_fire();
}
