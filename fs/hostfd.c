/*
 * Files over inherited host fds: the guest's stdin, stdout and stderr. Reads and writes
 * go to the host fd; the syscall layer polls (file_poll) before anything that could block
 * and waits on file_wait_fd otherwise, so these calls never block the sentry in practice.
 */
#include <poll.h>
#include <string.h>
#include <sys/ioctl.h>
#include <termios.h>

#include "fs/internal.h"
#include "sentry/sentry.h"

#define O_LARGEFILE_KERNEL 0100000

static ssize_t
hostfd_read(struct file *f, void *buf, size_t n, off_t *pos)
{
	ssize_t r = read(f->host_fd, buf, n);

	return r < 0 ? -errno : r;
}

static ssize_t
hostfd_write(struct file *f, const void *buf, size_t n, off_t *pos)
{
	ssize_t r = write(f->host_fd, buf, n);

	return r < 0 ? -errno : r; /* -EPIPE: the syscall layer raises SIGPIPE */
}

static ssize_t
hostfd_pread(struct file *f, void *buf, size_t n, off_t off)
{
	ssize_t r = pread(f->host_fd, buf, n, off);

	return r < 0 ? -errno : r;
}

static ssize_t
hostfd_pwrite(struct file *f, const void *buf, size_t n, off_t off)
{
	ssize_t r = pwrite(f->host_fd, buf, n, off);

	return r < 0 ? -errno : r;
}

static off_t
hostfd_llseek(struct file *f, off_t off, int whence)
{
	off_t r = lseek(f->host_fd, off, whence);

	if (r < 0)
		return -errno;
	f->pos = r;
	return r;
}

/* Only terminal ioctls that affect the terminal's own settings are forwarded
 * (never TIOCSTI, TIOCLINUX, TIOCSCTTY...). The argument sizes are in file.c. */
static long
hostfd_ioctl(struct file *f, unsigned long cmd, void *arg)
{
	switch (cmd) {
	case TCGETS:
	case TCSETS:
	case TCSETSW:
	case TCSETSF:
	case TIOCGWINSZ:
	case TIOCSWINSZ:
	case TIOCGPGRP:
	case TIOCSPGRP:
	case FIONREAD:
		break;
	default:
		return -ENOTTY;
	}
	if (ioctl(f->host_fd, cmd, arg) < 0)
		return -errno;
	return 0;
}

static short
hostfd_poll(struct file *f, short events)
{
	struct pollfd p = { .fd = f->host_fd, .events = events };
	struct timespec zero = { 0, 0 };
	int r = ppoll(&p, 1, &zero, NULL);

	if (r < 0)
		return POLLERR;
	return r ? p.revents : 0;
}

static int
hostfd_wait_fd(struct file *f)
{
	return f->host_fd;
}

static int
hostfd_stat(struct file *f, struct stat *st)
{
	if (fstatat(f->host_fd, "", st, AT_EMPTY_PATH) < 0)
		return -errno;
	return 0;
}

static const struct file_ops hostfd_fops = {
	.read = hostfd_read,
	.write = hostfd_write,
	.pread = hostfd_pread,
	.pwrite = hostfd_pwrite,
	.llseek = hostfd_llseek,
	.ioctl = hostfd_ioctl,
	.poll = hostfd_poll,
	.wait_fd = hostfd_wait_fd,
	.stat = hostfd_stat,
};

struct file *
file_from_host_fd(int hostfd, int oflags)
{
	struct file *f = file_alloc(&hostfd_fops);

	f->host_fd = hostfd;
	f->flags = (oflags & ~(O_CREAT | O_EXCL | O_NOCTTY | O_TRUNC | O_CLOEXEC)) |
		   O_LARGEFILE_KERNEL;
	return f;
}
