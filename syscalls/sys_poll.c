/*
 * Pipes and readiness: pipe, pipe2, eventfd, eventfd2, poll, ppoll, select, pselect6 and
 * the epoll family. A call that finds nothing ready registers on every file's wait queue
 * or host fd (file_poll_wait), sets its deadline on the first run and returns SYSRET_BLOCK;
 * the event loop re-runs it on a wake, a ready host fd or the deadline. These calls are
 * not restarted after a signal handler (wait_nohand): they fail with EINTR, as Linux's
 * ERESTARTNOHAND / ERESTART_RESTARTBLOCK do for a caught signal, and go on after a stop.
 */
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <sys/personality.h>
#include <signal.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/timerfd.h>
#include <sys/select.h>
#include <sys/syscall.h>

#include "fs/vfs.h"
#include "platform/platform.h"
#include "syscalls/internal.h"

#define NSEC 1000000000LL
#define EP_MAX_EVENTS (INT_MAX / (int)sizeof(struct epoll_event))
#define EP_BATCH 1024             /* events gathered per epoll_wait call, at least */
#define POLLIN_SET (POLLRDNORM | POLLRDBAND | POLLIN | POLLHUP | POLLERR)
#define POLLOUT_SET (POLLWRBAND | POLLWRNORM | POLLOUT | POLLERR)
#define POLLEX_SET (POLLPRI)
#define SIGMASK_BIT(s) (1UL << ((s) - 1))

/* ---- pipes and eventfds ---- */

static long
do_pipe2(struct task *t, unsigned long ufds, int flags)
{
	struct file *ends[2];
	int fds[2];
	long err;

	if (flags & ~(O_CLOEXEC | O_NONBLOCK | O_DIRECT))
		return -EINVAL;
	err = vfs_pipe(t, flags & (O_NONBLOCK | O_DIRECT), ends);
	if (err)
		return err;
	fds[0] = (int)sys_install(t, ends[0], flags & O_CLOEXEC);
	if (fds[0] < 0) {
		file_put(ends[1]);
		return fds[0];
	}
	fds[1] = (int)sys_install(t, ends[1], flags & O_CLOEXEC);
	if (fds[1] < 0) {
		fdt_close(t->fdt, fds[0]);
		return fds[1];
	}
	if (copy_to_guest(t, ufds, fds, sizeof(fds)) < 0) {
		fdt_close(t->fdt, fds[0]);
		fdt_close(t->fdt, fds[1]);
		return -EFAULT;
	}
	return 0;
}

SYSCALL(pipe)
{
	return do_pipe2(t, a->a[0], 0);
}

SYSCALL(pipe2)
{
	return do_pipe2(t, a->a[0], (int)a->a[1]);
}

static long
do_eventfd(struct task *t, unsigned int initval, int flags)
{
	struct file *f;
	int err = vfs_eventfd(t, initval, flags, &f);

	if (err)
		return err;
	return sys_install(t, f, flags & EFD_CLOEXEC);
}

SYSCALL(eventfd)
{
	return do_eventfd(t, (unsigned int)a->a[0], 0);
}

SYSCALL(eventfd2)
{
	return do_eventfd(t, (unsigned int)a->a[0], (int)a->a[1]);
}

SYSCALL(timerfd_create)
{
	struct file *f;
	int flags = (int)a->a[1];
	int err = vfs_timerfd((int)a->a[0], flags, t->euid == 0, &f);

	if (err)
		return err;
	return sys_install(t, f, flags & TFD_CLOEXEC);
}

/* (Linux's order: flags, the new value's copy, its validity, then the fd) */
SYSCALL(timerfd_settime)
{
	struct itimerspec nv, old;
	int flags = (int)a->a[1];

	if (flags & ~(TFD_TIMER_ABSTIME | TFD_TIMER_CANCEL_ON_SET))
		return -EINVAL;
	if (copy_from_guest(t, &nv, a->a[2], sizeof(nv)))
		return -EFAULT;
	struct file *f = sys_fd(t, (int)a->a[0]);
	if (!f)
		return -EBADF;
	int err = vfs_timerfd_settime(t, f, flags, &nv, a->a[3] ? &old : NULL);
	if (err)
		return err;
	if (a->a[3] && copy_to_guest(t, a->a[3], &old, sizeof(old)))
		return -EFAULT;
	return 0;
}

SYSCALL(timerfd_gettime)
{
	struct itimerspec cur;
	struct file *f = sys_fd(t, (int)a->a[0]);

	if (!f)
		return -EBADF;
	int err = vfs_timerfd_gettime(f, &cur);
	if (err)
		return err;
	return copy_to_guest(t, a->a[1], &cur, sizeof(cur)) ? -EFAULT : 0;
}

/* ---- timeouts and signal masks ---- */

/* rel: the call's timeout in ns (< 0: none, 0: never wait). The deadline is set by the
 * first run and kept by re-runs. */
static void
start_timeout(struct task *t, long long rel)
{
	if (!t->wait_rerun && rel > 0)
		t->wait_deadline = ktime_add_sat(monotonic_ns(), rel);
}

/* True when the call must not wait (any more). */
static bool
expired(struct task *t, long long rel)
{
	return rel == 0 || (t->wait_deadline && monotonic_ns() >= t->wait_deadline);
}

/* Time left before the deadline, for the calls that report it. */
static void
time_left(struct task *t, struct timespec *ts)
{
	long long left = t->wait_deadline ? MAX(t->wait_deadline - monotonic_ns(), 0) : 0;

	ts->tv_sec = left / NSEC;
	ts->tv_nsec = left % NSEC;
}

/* Copies a relative timespec argument (NULL: none, -1); -EFAULT / -EINVAL. */
static long long
timespec_arg(struct task *t, unsigned long uts, long long *rel)
{
	struct timespec ts;

	*rel = -1;
	if (!uts)
		return 0;
	if (copy_from_guest(t, &ts, uts, sizeof(ts)) < 0)
		return -EFAULT;
	if (ts.tv_sec < 0 || ts.tv_nsec < 0 || ts.tv_nsec >= NSEC)
		return -EINVAL;
	*rel = ts_ktime(&ts);
	return 0;
}

long
sigmask_arg(struct task *t, unsigned long umask, size_t size, unsigned long *mask)
{
	if (!umask)
		return 0;
	if (size != sizeof(*mask))
		return -EINVAL;
	if (copy_from_guest(t, mask, umask, sizeof(*mask)) < 0)
		return -EFAULT;
	return 0;
}

/*
 * ppoll/pselect6/epoll_pwait/io_pgetevents about to wait: install the temporary mask in the
 * stub (the loop puts the old one back when the call ends). A signal already pending that
 * the mask unblocks ends the call with -EINTR now; the handler then runs with the temporary
 * mask.
 */
long
install_sigmask(struct task *t, unsigned long mask)
{
	unsigned long buf[2] = { mask & ~(SIGMASK_BIT(SIGKILL) | SIGMASK_BIT(SIGSTOP)), 0 };

	if (t->wait_sigmask)
		return 0;
	if (copy_to_guest(t, PLAT_STUB_SCRATCH, buf, sizeof(buf)) < 0 ||
	    plat_inject(t->ctx, __NR_rt_sigprocmask, SIG_SETMASK, PLAT_STUB_SCRATCH,
			PLAT_STUB_SCRATCH + 8, 8, 0, 0) < 0 ||
	    copy_from_guest(t, &t->wait_oldmask, PLAT_STUB_SCRATCH + 8, 8) < 0)
		return 0; /* best effort: wait with the current mask */
	t->wait_sigmask = true;
	/* returning from the injected call, the stub took any signal the mask unblocked */
	if (task_host_pending_signal(t)) {
		t->wait_sigmask = false;
		t->mask_after_handler = true; /* the handler's frame restores the old mask */
		t->mask_after = t->wait_oldmask;
		return -EINTR;
	}
	return 0;
}

/* Nothing ready and time left: wait (the files are already registered). A signal whose
 * handler runs ends the wait with EINTR; any other (a stop, a tracer's) restarts the call
 * (Linux's ERESTARTNOHAND, poll's ERESTART_RESTARTBLOCK), epoll's excepted, which end
 * with EINTR after a stop too (signal(7)). left: the guest's timeout, which gets the time
 * left (select: a timeval) unless the personality has STICKY_TIMEOUTS; 0: none. */
static long
block(struct task *t, bool has_mask, unsigned long mask, bool restart, unsigned long left,
      bool tv)
{
	if (has_mask) {
		long err = install_sigmask(t, mask);
		if (err) {
			task_unwait(t);
			t->nwait_fds = 0;
			return err;
		}
	}
	t->wait_eintr = !restart;
	t->wait_nohand = restart;
	t->wait_left = t->personality & STICKY_TIMEOUTS ? 0 : left;
	t->wait_left_tv = tv;
	return sysret(SYSRET_BLOCK);
}

int
poll_time_left(struct task *t)
{
	struct timespec left;
	struct timeval tv;

	time_left(t, &left);
	if (!t->wait_left_tv)
		return copy_to_guest(t, t->wait_left, &left, sizeof(left)) ? -EFAULT : 0;
	tv.tv_sec = left.tv_sec;
	tv.tv_usec = left.tv_nsec / 1000;
	return copy_to_guest(t, t->wait_left, &tv, sizeof(tv)) ? -EFAULT : 0;
}

/* ---- poll and ppoll ---- */

/* Fills revents; registers the files too when wait. Returns how many are ready. */
static int
scan_pollfds(struct task *t, struct pollfd *p, unsigned int n, bool wait)
{
	int count = 0;

	for (unsigned int i = 0; i < n; i++) {
		struct file *f;
		short filter = p[i].events | POLLERR | POLLHUP;

		p[i].revents = 0;
		if (p[i].fd < 0)
			continue;
		f = sys_fd(t, p[i].fd);
		if (!f) {
			p[i].revents = POLLNVAL;
		} else {
			p[i].revents = file_poll(f, filter) & (filter | POLLNVAL);
			if (wait && !p[i].revents)
				file_poll_wait(t, f, p[i].events);
		}
		if (p[i].revents)
			count++;
	}
	return count;
}

static long
do_poll(struct task *t, unsigned long ufds, unsigned long nfds, long long rel, bool has_mask,
	unsigned long mask, unsigned long uts)
{
	_cleanup_free_ struct pollfd *p = NULL;
	size_t size;
	int count;

	if (nfds > (unsigned long)fdt_max_fds())
		return -EINVAL;
	size = nfds * sizeof(*p);
	p = xmalloc(size ? size : 1);
	if (size && copy_from_guest(t, p, ufds, size) < 0)
		return -EFAULT;
	start_timeout(t, rel);
	count = scan_pollfds(t, p, nfds, false);
	if (count == 0 && !expired(t, rel)) {
		scan_pollfds(t, p, nfds, true);
		return block(t, has_mask, mask, true, uts, false);
	}
	/* revents only: the fd and events fields stay as the guest wrote them */
	for (unsigned long i = 0; i < nfds; i++)
		if (copy_to_guest(t, ufds + i * sizeof(*p) + offsetof(struct pollfd, revents),
				  &p[i].revents, sizeof(p[i].revents)) < 0)
			return -EFAULT;
	if (uts && !(t->personality & STICKY_TIMEOUTS)) { /* Linux poll_select_finish */
		struct timespec left;
		time_left(t, &left);
		copy_to_guest(t, uts, &left, sizeof(left)); /* a fault here is ignored */
	}
	return count;
}

SYSCALL(poll)
{
	int ms = (int)a->a[2];

	return do_poll(t, a->a[0], (unsigned int)a->a[1], ms < 0 ? -1 : ms * 1000000LL, false,
		       0, 0);
}

SYSCALL(ppoll)
{
	unsigned long mask = 0;
	long long rel;
	long err = timespec_arg(t, a->a[2], &rel);

	if (!err)
		err = sigmask_arg(t, a->a[3], a->a[4], &mask);
	if (err)
		return err;
	return do_poll(t, a->a[0], (unsigned int)a->a[1], rel, a->a[3] != 0, mask,
		       rel > 0 ? a->a[2] : 0);
}

/* ---- select and pselect6 ---- */

struct fdsets {
	unsigned long *in, *out, *ex;       /* guest sets (NULL when not given) */
	unsigned long *rin, *rout, *rex;    /* results */
	size_t bytes;
};

static void
fdsets_free(struct fdsets *s)
{
	free(s->in);
	free(s->out);
	free(s->ex);
	free(s->rin);
	free(s->rout);
	free(s->rex);
}

static bool
bit(const unsigned long *set, int fd)
{
	return set && (set[fd / 64] >> (fd % 64)) & 1;
}

static void
set_bit(unsigned long *set, int fd)
{
	set[fd / 64] |= 1UL << (fd % 64);
}

static long
copy_set(struct task *t, unsigned long uset, size_t bytes, unsigned long **out)
{
	*out = NULL;
	if (!uset)
		return 0;
	*out = xcalloc(1, bytes);
	return copy_from_guest(t, *out, uset, bytes) < 0 ? -EFAULT : 0;
}

/* One pass over the sets; registers the files when wait. -EBADF for a closed fd. */
static long
scan_sets(struct task *t, struct fdsets *s, int n, bool wait)
{
	long count = 0;

	memset(s->rin, 0, s->bytes);
	memset(s->rout, 0, s->bytes);
	memset(s->rex, 0, s->bytes);
	for (int fd = 0; fd < n; fd++) {
		bool in = bit(s->in, fd), out = bit(s->out, fd), ex = bit(s->ex, fd);
		short want = (in ? POLLIN_SET : 0) | (out ? POLLOUT_SET : 0) | (ex ? POLLEX_SET : 0);
		struct file *f;
		short mask;

		if (!want)
			continue;
		f = sys_fd(t, fd);
		if (!f)
			return -EBADF;
		mask = file_poll(f, want);
		if (mask & POLLNVAL) /* O_PATH: the default mask, as Linux */
			mask = POLLIN | POLLOUT | POLLRDNORM | POLLWRNORM;
		if (in && (mask & POLLIN_SET) && ++count)
			set_bit(s->rin, fd);
		if (out && (mask & POLLOUT_SET) && ++count)
			set_bit(s->rout, fd);
		if (ex && (mask & POLLEX_SET) && ++count)
			set_bit(s->rex, fd);
		if (wait)
			file_poll_wait(t, f, (in ? POLLIN : 0) | (out ? POLLOUT : 0));
	}
	return count;
}

static long
copy_results(struct task *t, const struct sysargs *a, struct fdsets *s)
{
	if ((a->a[1] && copy_to_guest(t, a->a[1], s->rin, s->bytes) < 0) ||
	    (a->a[2] && copy_to_guest(t, a->a[2], s->rout, s->bytes) < 0) ||
	    (a->a[3] && copy_to_guest(t, a->a[3], s->rex, s->bytes) < 0))
		return -EFAULT;
	return 0;
}

/* select/pselect6 once the timeout is known; the caller writes back the time left (tv:
 * select's timeval). */
static long
do_select(struct task *t, const struct sysargs *a, long long rel, bool has_mask,
	  unsigned long mask, bool tv)
{
	int n = (int)a->a[0];
	struct fdsets s = { 0 };
	long r;

	if (n < 0)
		return -EINVAL;
	/* Linux bounds n by the table's size (64, 128, 256... as it grew) */
	n = MIN(n, MIN(MAX(t->fdt->size, 64), fdt_max_fds()));
	start_timeout(t, rel);
	s.bytes = (size_t)(n + 63) / 64 * 8;
	if (s.bytes == 0)
		s.bytes = 8;
	if ((r = copy_set(t, a->a[1], s.bytes, &s.in)) || (r = copy_set(t, a->a[2], s.bytes, &s.out)) ||
	    (r = copy_set(t, a->a[3], s.bytes, &s.ex)))
		goto out;
	s.rin = xcalloc(1, s.bytes);
	s.rout = xcalloc(1, s.bytes);
	s.rex = xcalloc(1, s.bytes);
	r = scan_sets(t, &s, n, false);
	if (r == 0 && !expired(t, rel)) {
		scan_sets(t, &s, n, true);
		r = block(t, has_mask, mask, true, rel > 0 ? a->a[4] : 0, tv);
		goto out;
	}
	if (r >= 0 && copy_results(t, a, &s) < 0)
		r = -EFAULT;
out:
	fdsets_free(&s);
	return r;
}

SYSCALL(select)
{
	struct timeval tv;
	long long rel = -1;
	long r;

	if (a->a[4]) {
		if (copy_from_guest(t, &tv, a->a[4], sizeof(tv)) < 0)
			return -EFAULT;
		/* Linux normalises the microseconds before checking */
		long long sec = tv.tv_sec + tv.tv_usec / 1000000;
		long long nsec = (tv.tv_usec % 1000000) * 1000;
		if (tv.tv_sec < 0 || sec < 0 || nsec < 0)
			return -EINVAL;
		struct timespec ts = { sec, nsec };
		rel = ts_ktime(&ts);
	}
	r = do_select(t, a, rel, false, 0, true);
	if (r >= 0 && a->a[4] && rel > 0 && !(t->personality & STICKY_TIMEOUTS)) {
		struct timespec left;
		time_left(t, &left);
		tv.tv_sec = left.tv_sec;
		tv.tv_usec = left.tv_nsec / 1000;
		copy_to_guest(t, a->a[4], &tv, sizeof(tv));
	}
	return r;
}

SYSCALL(pselect6)
{
	struct { unsigned long set, size; } sig = { 0, 0 };
	unsigned long mask = 0;
	long long rel;
	long r = timespec_arg(t, a->a[4], &rel);

	if (r)
		return r;
	if (a->a[5] && copy_from_guest(t, &sig, a->a[5], sizeof(sig)) < 0)
		return -EFAULT;
	r = sigmask_arg(t, sig.set, sig.size, &mask);
	if (r)
		return r;
	r = do_select(t, a, rel, sig.set != 0, mask, false);
	if (r >= 0 && a->a[4] && rel > 0 && !(t->personality & STICKY_TIMEOUTS)) {
		struct timespec left;
		time_left(t, &left);
		copy_to_guest(t, a->a[4], &left, sizeof(left));
	}
	return r;
}

/* ---- epoll ---- */

static long
epoll_install(struct task *t, bool cloexec)
{
	struct file *f;
	int err = vfs_epoll_create(t, &f);

	if (err)
		return err;
	return sys_install(t, f, cloexec);
}

SYSCALL(epoll_create)
{
	if ((int)a->a[0] <= 0)
		return -EINVAL;
	return epoll_install(t, false);
}

SYSCALL(epoll_create1)
{
	int flags = (int)a->a[0];

	if (flags & ~EPOLL_CLOEXEC)
		return -EINVAL;
	return epoll_install(t, flags & EPOLL_CLOEXEC);
}

SYSCALL(epoll_ctl)
{
	int op = (int)a->a[1], fd = (int)a->a[2];
	struct epoll_event ev = { 0 };
	struct file *ep, *target;

	if (op != EPOLL_CTL_DEL && copy_from_guest(t, &ev, a->a[3], sizeof(ev)) < 0)
		return -EFAULT;
	ep = sys_fd_io(t, a->a[0]);
	target = sys_fd_io(t, fd);
	if (!ep || !target)
		return -EBADF;
	if (!file_can_poll(target))
		return -EPERM;
	if (ep == target || !file_is_epoll(ep))
		return -EINVAL;
	if (op == EPOLL_CTL_DEL)
		ev.events = 0;
	return vfs_epoll_ctl(ep, op, fd, target, ev.events, ev.data.u64);
}

static long
do_epoll_wait(struct task *t, const struct sysargs *a, long long rel, bool has_mask,
	      unsigned long mask)
{
	int max = (int)a->a[2];
	struct file *ep;
	_cleanup_free_ struct epoll_event *evs = NULL;
	int n;

	if (max <= 0 || max > EP_MAX_EVENTS)
		return -EINVAL;
	if (a->a[1] + (unsigned long)max * sizeof(*evs) < a->a[1] ||
	    a->a[1] + (unsigned long)max * sizeof(*evs) > 0x7ffffffff000UL)
		return -EFAULT;
	ep = sys_fd_io(t, a->a[0]);
	if (!ep)
		return -EBADF;
	if (!file_is_epoll(ep))
		return -EINVAL;
	/* every ready item once, however many (Linux returns up to maxevents) */
	max = MIN(max, MAX(vfs_epoll_nitems(ep), EP_BATCH));
	evs = xcalloc(max, sizeof(*evs));
	start_timeout(t, rel);
	n = vfs_epoll_ready(ep, evs, max);
	if (n == 0 && !expired(t, rel)) {
		file_poll_wait(t, ep, POLLIN);
		return block(t, has_mask, mask, false, 0, false);
	}
	if (n > 0 && copy_to_guest(t, a->a[1], evs, n * sizeof(*evs)) < 0)
		return -EFAULT;
	return n;
}

SYSCALL(epoll_wait)
{
	int ms = (int)a->a[3];

	return do_epoll_wait(t, a, ms < 0 ? -1 : ms * 1000000LL, false, 0);
}

SYSCALL(epoll_pwait)
{
	int ms = (int)a->a[3];
	unsigned long mask = 0;
	long err = sigmask_arg(t, a->a[4], a->a[5], &mask);

	if (err)
		return err;
	return do_epoll_wait(t, a, ms < 0 ? -1 : ms * 1000000LL, a->a[4] != 0, mask);
}

SYSCALL(epoll_pwait2)
{
	unsigned long mask = 0;
	long long rel;
	long err = timespec_arg(t, a->a[3], &rel);

	if (!err)
		err = sigmask_arg(t, a->a[4], a->a[5], &mask);
	if (err)
		return err;
	return do_epoll_wait(t, a, rel, a->a[4] != 0, mask);
}
