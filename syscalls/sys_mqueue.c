/*
 * POSIX message queues: mq_open, mq_unlink, mq_timedsend, mq_timedreceive, mq_notify,
 * mq_getsetattr (queues: fs/mqueue.c). A send to a full queue or a receive from an empty
 * one waits on the queue (unless O_NONBLOCK: EAGAIN) until its absolute CLOCK_REALTIME
 * timeout (ETIMEDOUT); a signal interrupts it, restarted with SA_RESTART as on Linux.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "fs/vfs.h"
#include "syscalls/internal.h"

#define MQ_PRIO_MAX_ 32768

struct mq_attr64 {
	long flags, maxmsg, msgsize, curmsgs;
	long reserved[4];
};

SYSCALL(mq_open)
{
	int oflag = (int)a->a[1];
	mode_t mode = (mode_t)a->a[2];
	struct mq_attr64 attr = { 0 };
	struct file *f;
	long lim[2];
	char *name;
	int err;

	err = path_from_guest(t, a->a[0], &name);
	if (err)
		return err;
	if (a->a[3] && copy_from_guest(t, &attr, a->a[3], sizeof(attr))) {
		free(name);
		return -EFAULT;
	}
	lim[0] = attr.maxmsg;
	lim[1] = attr.msgsize;
	err = fdt_room(t->fdt); /* (do_mq_open: the descriptor first; EMFILE creates nothing) */
	if (err) {
		free(name);
		return err;
	}
	err = vfs_mq_open(t, name, oflag, mode, a->a[3] ? lim : NULL, &f);
	free(name);
	if (err)
		return err;
	return sys_install(t, f, true); /* Linux: always close-on-exec */
}

SYSCALL(mq_unlink)
{
	char *name;
	int err = path_from_guest(t, a->a[0], &name);

	if (err)
		return err;
	err = vfs_mq_unlink(t, name);
	free(name);
	return err;
}

/* An absolute CLOCK_REALTIME timeout from the guest (0 when there is none). */
static int
get_timeout(struct task *t, unsigned long uts, struct timespec *ts)
{
	if (!uts)
		return 0;
	if (copy_from_guest(t, ts, uts, sizeof(*ts)))
		return -EFAULT;
	if (ts->tv_sec < 0 || ts->tv_nsec < 0 || ts->tv_nsec >= 1000000000L)
		return -EINVAL;
	return 1;
}

/* Waits on the queue of f until the timeout (ETIMEDOUT). */
static long
mq_block(struct task *t, struct file *f, bool timed, const struct timespec *ts)
{
	if (file_get_flags(f) & O_NONBLOCK)
		return -EAGAIN;
	if (timed && !t->wait_rerun) {
		struct timespec now;
		clock_gettime(CLOCK_REALTIME, &now);
		long long left = (ts->tv_sec - now.tv_sec) * 1000000000LL + (ts->tv_nsec - now.tv_nsec);
		if (ts->tv_sec > now.tv_sec + 1000000000L)
			left = 1000000000LL * 1000000000LL;
		if (left <= 0)
			return -ETIMEDOUT;
		t->wait_deadline = monotonic_ns() + left;
	} else if (timed && t->wait_deadline && monotonic_ns() >= t->wait_deadline) {
		return -ETIMEDOUT;
	}
	task_wait_on(t, file_waitq(f));
	return sysret(SYSRET_BLOCK);
}

/* The queue's attributes (mq_flags, maxmsg, msgsize, curmsgs), checking f is one. */
static int
mq_attrs(struct task *t, long fd, struct file **f, long attrs[4])
{
	*f = sys_fd(t, fd);
	if (!*f)
		return -EBADF;
	return vfs_mq_getsetattr(*f, NULL, attrs);
}

SYSCALL(mq_timedsend)
{
	size_t len = a->a[2];
	unsigned long prio = a->a[3];
	struct timespec ts;
	struct file *f;
	long attrs[4];

	if (prio >= MQ_PRIO_MAX_)
		return -EINVAL;
	int timed = get_timeout(t, a->a[4], &ts);
	if (timed < 0)
		return timed;
	int err = mq_attrs(t, (long)a->a[0], &f, attrs);
	if (err)
		return err;
	int acc = file_get_flags(f) & O_ACCMODE;
	if (acc != O_WRONLY && acc != O_RDWR)
		return -EBADF;
	if (len > (size_t)attrs[2])
		return -EMSGSIZE;
	char *buf = xmalloc(len + 1);
	if (copy_from_guest(t, buf, a->a[1], len)) {
		free(buf);
		return -EFAULT;
	}
	err = vfs_mq_send(t, f, buf, len, (unsigned int)prio);
	free(buf);
	if (err == -EAGAIN)
		return mq_block(t, f, timed, &ts);
	return err;
}

SYSCALL(mq_timedreceive)
{
	size_t len = a->a[2];
	struct timespec ts;
	struct file *f;
	long attrs[4];
	unsigned int prio;

	int timed = get_timeout(t, a->a[4], &ts);
	if (timed < 0)
		return timed;
	int err = mq_attrs(t, (long)a->a[0], &f, attrs);
	if (err)
		return err;
	int acc = file_get_flags(f) & O_ACCMODE;
	if (acc != O_RDONLY && acc != O_RDWR)
		return -EBADF;
	if (len < (size_t)attrs[2])
		return -EMSGSIZE;
	char *buf = xmalloc(attrs[2] + 1);
	ssize_t n = vfs_mq_receive(t, f, buf, attrs[2], &prio);
	if (n == -EAGAIN) {
		free(buf);
		long r = mq_block(t, f, timed, &ts);
		if (r == SYSRET_BLOCK)
			vfs_mq_receiver_waits(t, f);
		return r;
	}
	if (n >= 0 && copy_to_guest(t, a->a[1], buf, n))
		n = -EFAULT;
	free(buf);
	if (n >= 0 && a->a[3] && copy_to_guest(t, a->a[3], &prio, sizeof(prio)))
		n = -EFAULT;
	return n;
}

SYSCALL(mq_notify)
{
	struct sigevent ev;
	struct file *f;

	if (a->a[1]) {
		if (copy_from_guest(t, &ev, a->a[1], sizeof(ev)))
			return -EFAULT;
		switch (ev.sigev_notify) {
		case SIGEV_NONE:
			break;
		case SIGEV_SIGNAL:
			if (ev.sigev_signo < 0 || ev.sigev_signo > 64)
				return -EINVAL;
			break;
		case SIGEV_THREAD: { /* glibc's: a netlink socket in sigev_signo, a cookie */
			unsigned char cookie[32];
			struct file *s;
			int err;
			if (copy_from_guest(t, cookie, (unsigned long)ev.sigev_value.sival_ptr,
					    sizeof(cookie)))
				return -EFAULT;
			if (!(s = sys_fd(t, ev.sigev_signo)))
				return -EBADF;
			if ((err = sock_netlink_check(s)) < 0)
				return err;
			f = sys_fd(t, (long)a->a[0]);
			if (!f)
				return -EBADF;
			return vfs_mq_notify_thread(t, f, s, cookie);
		}
		default:
			return -EINVAL;
		}
	}
	f = sys_fd(t, (long)a->a[0]);
	if (!f)
		return -EBADF;
	return vfs_mq_notify(t, f, a->a[1] ? &ev : NULL);
}

SYSCALL(mq_getsetattr)
{
	struct mq_attr64 in, out;
	long old[4];
	struct file *f;

	if (a->a[1]) {
		if (copy_from_guest(t, &in, a->a[1], sizeof(in)))
			return -EFAULT;
		if (in.flags & ~O_NONBLOCK)
			return -EINVAL;
	}
	f = sys_fd(t, (long)a->a[0]);
	if (!f)
		return -EBADF;
	int err = vfs_mq_getsetattr(f, a->a[1] ? &in.flags : NULL, old);
	if (err)
		return err;
	if (a->a[2]) {
		memset(&out, 0, sizeof(out));
		out.flags = old[0];
		out.maxmsg = old[1];
		out.msgsize = old[2];
		out.curmsgs = old[3];
		if (copy_to_guest(t, a->a[2], &out, sizeof(out)))
			return -EFAULT;
	}
	return 0;
}
