/*
 * pidfd: a file naming a guest process (pidfd_open, clone's CLONE_PIDFD) or, with
 * PIDFD_THREAD, one thread. Poll is readable once the whole process has ended (a zombie)
 * or, for a thread's, once that thread has exited; it also hangs up once the task is gone
 * (reaped). Read and write have no meaning (EINVAL: syscalls/sys_rw.c). The sentry's pids
 * are never reused, so the file keeps the number. One queue for all pidfds, woken when any
 * thread exits or a process ends or is reaped.
 */
#include <poll.h>
#include <stdlib.h>

#include "fs/internal.h"
#include "sentry/sentry.h"

static struct waitq pidfd_wq;

struct pidfd {
	int pid;     /* the tgid, or the tid of a thread's pidfd */
	bool thread; /* PIDFD_THREAD */
};

static short
pidfd_poll(struct file *f, short events)
{
	struct pidfd *p = f->inode->priv;
	struct task *t = task_lookup(p->pid);

	if (!t || (!p->thread && t->leader != t))
		return POLLIN | POLLRDNORM | POLLHUP;
	/* (a leader that exited before its threads is TASK_BLOCKED with exited set) */
	if (t->state == TASK_ZOMBIE || (p->thread && t->exited))
		return POLLIN | POLLRDNORM;
	return 0;
}

static struct waitq *
pidfd_waitq(struct file *f)
{
	return &pidfd_wq;
}

static const struct file_ops pidfd_fops = {
	.poll = pidfd_poll,
	.waitq = pidfd_waitq,
};

static void
pidfd_free(struct inode *i)
{
	free(i->priv);
}

int
vfs_pidfd(int pid, bool thread, bool nonblock, struct file **out)
{
	struct pidfd *p = xcalloc(1, sizeof(*p));

	p->pid = pid;
	p->thread = thread;
	/* (PIDFD_THREAD is O_EXCL: F_GETFL shows it, as on Linux) */
	*out = anon_file("[pidfd]", &pidfd_fops, p, pidfd_free,
			 O_RDWR | (nonblock ? O_NONBLOCK : 0) | (thread ? O_EXCL : 0));
	return 0;
}

int
vfs_pidfd_target(struct file *f, bool *thread)
{
	if (!f || f->fops != &pidfd_fops || !f->inode)
		return -EBADF;
	struct pidfd *p = f->inode->priv;
	if (thread)
		*thread = p->thread;
	return p->pid;
}

int
vfs_pidfd_pid(struct file *f)
{
	return vfs_pidfd_target(f, NULL);
}

void
vfs_pidfd_wake(void)
{
	waitq_wake(&pidfd_wq);
}
