/*
 * Readiness of open files for poll, select, epoll and blocking reads and writes: which
 * wait queue or host fd tells that a file's poll answer may have changed.
 */
#include "fs/internal.h"
#include "sentry/sentry.h"

struct waitq *
file_waitq(struct file *f)
{
	if ((f->flags & O_PATH) || !f->fops->waitq)
		return NULL;
	return f->fops->waitq(f);
}

/* depth bounds epoll files nested in epoll files. */
void
file_poll_wait_depth(struct task *t, struct file *f, short events, int depth)
{
	struct waitq *wq;
	int fd;

	if (f->flags & O_PATH)
		return;
	if (f->fops->poll_wait) {
		if (depth <= EPOLL_MAX_NESTS)
			f->fops->poll_wait(t, f, events, depth + 1);
		return;
	}
	wq = file_waitq(f);
	if (wq)
		task_wait_on(t, wq);
	fd = file_wait_fd(f);
	if (fd >= 0)
		task_wait_fd(t, fd, events);
}

void
file_poll_wait(struct task *t, struct file *f, short events)
{
	file_poll_wait_depth(t, f, events, 0);
}

bool
file_can_poll(struct file *f)
{
	return !(f->flags & O_PATH) && f->fops->poll;
}
