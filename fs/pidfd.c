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
#include <utlist.h>

#include "fs/internal.h"
#include "sentry/ns.h"
#include "sentry/sentry.h"

static struct waitq pidfd_wq;

struct pidfd {
	int pid;     /* the tgid, or the tid of a thread's pidfd */
	bool thread; /* PIDFD_THREAD */
	bool reaped; /* the task is gone; exit_code is its wait status (PIDFD_INFO_EXIT) */
	int exit_code;
	struct pid_ns *ns; /* the task's pid namespace (a reference) */
	struct pidfd *prev, *next; /* all pidfds (vfs_pidfd_exited) */
};

static struct pidfd *pidfds;

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

/* Linux pidfd_show_fdinfo: -1 once the task is gone (reaped), 0 when ns does not see
 * it, else its number there and, on NSpid, its numbers in the namespaces below ns. */
void
pidfd_fdinfo(struct file *f, struct sbuf *b, const struct pid_ns *ns)
{
	int nrs[PIDNS_LEVEL_MAX + 1], k = 0, nr = -1;

	if (!f || f->fops != &pidfd_fops || !f->inode)
		return;
	struct pidfd *p = f->inode->priv;
	if (!p->reaped && task_lookup(p->pid)) {
		k = pidns_nrs(ns, p->pid, nrs, ARRAY_SIZE(nrs));
		nr = k ? nrs[0] : 0;
	}
	sbuf_printf(b, "Pid:\t%d\nNSpid:\t%d", nr, nr);
	for (int i = 1; i < k; i++)
		sbuf_printf(b, "\t%d", nrs[i]);
	sbuf_printf(b, "\n");
}

static void
pidfd_free(struct inode *i)
{
	struct pidfd *p = i->priv;

	DL_DELETE(pidfds, p);
	ns_put((struct ns_common *)p->ns);
	free(p);
}

int
vfs_pidfd(int pid, bool thread, bool nonblock, struct file **out)
{
	struct pidfd *p = xcalloc(1, sizeof(*p));

	p->pid = pid;
	p->thread = thread;
	p->ns = task_pid_ns(task_lookup(pid));
	ns_get((struct ns_common *)p->ns);
	DL_APPEND(pidfds, p);
	/* (PIDFD_THREAD is O_EXCL: F_GETFL shows it, as on Linux) */
	*out = anon_file("[pidfd]", &pidfd_fops, p, pidfd_free,
			 O_RDWR | (nonblock ? O_NONBLOCK : 0) | (thread ? O_EXCL : 0));
	return 0;
}

/* A socket's peer or sender (SO_PEERPIDFD, SCM_PIDFD): pid's pidfd, or with pid reaped
 * a stale one that names none (Linux PIDFD_STALE: it polls as ended, signals ESRCH). */
int
vfs_pidfd_peer(int pid, struct file **out)
{
	struct task *t = task_lookup(pid);
	struct pidfd *p;

	if (t && t->leader == t)
		return vfs_pidfd(pid, false, false, out);
	p = xcalloc(1, sizeof(*p));
	p->reaped = true; /* (pid 0: no task has it) */
	DL_APPEND(pidfds, p);
	*out = anon_file("[pidfd]", &pidfd_fops, p, pidfd_free, O_RDWR);
	return 0;
}

bool
vfs_pidfd_visible(struct file *f, const struct task *viewer)
{
	if (!f || f->fops != &pidfd_fops || !f->inode)
		return false;
	struct pidfd *p = f->inode->priv;
	return pidns_within(p->ns, task_pid_ns(viewer));
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
vfs_pidfd_exited(int pid, int wait_status)
{
	for (struct pidfd *p = pidfds; p; p = p->next)
		if (p->pid == pid && !p->reaped) {
			p->reaped = true;
			p->exit_code = wait_status;
		}
}

int
vfs_pidfd_exit_info(struct file *f, int *wait_status)
{
	if (!f || f->fops != &pidfd_fops || !f->inode)
		return -EBADF;
	struct pidfd *p = f->inode->priv;
	if (!p->reaped)
		return -ESRCH;
	*wait_status = p->exit_code;
	return 0;
}

void
vfs_pidfd_wake(void)
{
	waitq_wake(&pidfd_wq);
}
