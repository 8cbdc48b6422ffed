/*
 * The file of a seccomp user-notification listener (SECCOMP_FILTER_FLAG_NEW_LISTENER):
 * "anon_inode:seccomp notify", always O_RDWR. Its notifications, ioctls and readiness are
 * the filter's (sentry/seccomp.c); read and write have no meaning (EINVAL, as Linux's
 * file without those operations).
 */
#include <fcntl.h>

#include "fs/internal.h"
#include "sentry/sentry.h"

static short
listener_poll(struct file *f, short events)
{
	return seccomp_listener_poll(f->inode->priv);
}

static struct waitq *
listener_waitq(struct file *f)
{
	return seccomp_listener_waitq(f->inode->priv);
}

static const struct file_ops listener_fops = {
	.poll = listener_poll,
	.waitq = listener_waitq,
};

static void
listener_free(struct inode *i)
{
	seccomp_listener_release(i->priv);
}

struct file *
vfs_seccomp_listener(struct seccomp_listener *l)
{
	return anon_file("seccomp notify", &listener_fops, l, listener_free, O_RDWR);
}

struct seccomp_listener *
vfs_seccomp_listener_of(struct file *f)
{
	return f && f->fops == &listener_fops ? f->inode->priv : NULL;
}
