/*
 * pidfd: a file naming a guest process (pidfd_open). Poll is readable once the whole process
 * has ended (a zombie), and also hangs up once it was reaped; read and write have no
 * meaning (EINVAL: syscalls/sys_rw.c). The sentry's pids are never reused, so the file keeps the number.
 * One queue for all pidfds, woken when any process ends or is reaped.
 */
#include <poll.h>
#include <stdlib.h>

#include "fs/internal.h"
#include "sentry/sentry.h"

static struct waitq pidfd_wq;

struct pidfd {
	int tgid;
};

static short
pidfd_poll(struct file *f, short events)
{
	struct pidfd *p = f->inode->priv;
	struct task *t = task_lookup(p->tgid);

	if (!t || t->leader != t)
		return POLLIN | POLLRDNORM | POLLHUP;
	if (t->state == TASK_ZOMBIE)
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
vfs_pidfd(int tgid, bool nonblock, struct file **out)
{
	struct pidfd *p = xcalloc(1, sizeof(*p));

	p->tgid = tgid;
	*out = anon_file("[pidfd]", &pidfd_fops, p, pidfd_free, O_RDWR | (nonblock ? O_NONBLOCK : 0));
	return 0;
}

int
vfs_pidfd_pid(struct file *f)
{
	if (!f || f->fops != &pidfd_fops || !f->inode)
		return -EBADF;
	return ((struct pidfd *)f->inode->priv)->tgid;
}

void
vfs_pidfd_wake(void)
{
	waitq_wake(&pidfd_wq);
}
