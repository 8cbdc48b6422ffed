/*
 * Files over inherited host fds: the guest's stdin, stdout and stderr. Reads and writes
 * go to the host fd; the syscall layer polls (file_poll) before anything that could block
 * and waits on file_wait_fd otherwise, so these calls never block the sentry in practice.
 *
 * Each host fd gets an inode in a pseudo filesystem (like Linux pipefs): its dentry name
 * is its path ("pipe:[123]", "/dev/pts/0"), and /proc/self/fd/N or /dev/stdin resolve to
 * it, so reopening them gives another file on the same host fd. The inode owns the fd.
 * A regular file reopened so (`echo x > /dev/stderr` with stderr redirected to a file) is a
 * new open file description as on Linux: its own offset (pread/pwrite at it), O_APPEND and
 * O_TRUNC (ftruncate of the host fd) applied; the inherited file keeps the host fd's
 * offset, which the caller of `sandbox` shares. It gets no access the host fd lacks
 * (EACCES: a file given read-only is not written through a reopen).
 */
#include <fcntl.h>
#include <poll.h>
#include <sys/socket.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/resource.h>
#include <sys/sysmacros.h>
#include <termios.h>

#include "fs/internal.h"
#include "sentry/sentry.h"

#define O_LARGEFILE_KERNEL 0100000

static struct super_block *hostfd_sb;
static struct mount hostfd_mnt;   /* not in the mount tree */
static const struct inode_ops hostfd_iops;
static const struct file_ops hostfd_fops;
/* host sockets among the std and preserved fds, by host fd (hostsock_snapshot), and the
 * connections accepted on them (hostsock_set) */
#define HOST_SOCK_FDS (3 + 1024) /* the std fds and --preserve-fds' most */
static struct host_sock **host_socks;
static int n_host_socks;

/* The host fd an inode of ours owns, and a file's. */
static int
ino_fd(const struct inode *i)
{
	return (int)(long)i->priv;
}

static int
hfd(struct file *f)
{
	return ino_fd(f->inode);
}

static int
hostfd_getattr(struct inode *i, struct stat *st)
{
	return fstatat(ino_fd(i), "", st, AT_EMPTY_PATH) < 0 ? -errno : 0;
}

static int
hostfd_stat(struct file *f, struct stat *st)
{
	return hostfd_getattr(f->inode, st);
}

static ssize_t
hostfd_read(struct file *f, void *buf, size_t n, off_t *pos)
{
	ssize_t r = read(hfd(f), buf, n);

	if (r < 0 && errno == EAGAIN)
		epoll_file_drained(f, POLLIN | POLLRDNORM);
	return r < 0 ? -errno : r;
}

/* RLIMIT_FSIZE on a regular host file (a redirected stdout): the limit counts from the
 * host fd's own offset, or its size when appending (file.c's check knows neither). */
static int
hostfd_fsize(struct file *f, off_t pos, size_t *n)
{
	rlim_t lim = sentry.rlim[RLIMIT_FSIZE].rlim_cur;
	struct stat st;

	if (lim == RLIM_INFINITY || !S_ISREG(f->inode->mode) || *n == 0)
		return 0;
	if (pos < 0 && (f->flags & O_APPEND)) {
		int err = hostfd_stat(f, &st);
		if (err)
			return err;
		pos = st.st_size;
	} else if (pos < 0 && (pos = lseek(hfd(f), 0, SEEK_CUR)) < 0) {
		return 0;
	}
	if ((rlim_t)pos >= lim) {
		limit_refused(LIMIT_FSIZE, "write");
		return -EFBIG;
	}
	if (*n > lim - pos)
		*n = lim - pos;
	return 0;
}

static ssize_t
hostfd_write(struct file *f, const void *buf, size_t n, off_t *pos)
{
	int err = hostfd_fsize(f, -1, &n);

	if (err)
		return err;
	ssize_t r = write(hfd(f), buf, n);

	if (r < 0 && errno == EAGAIN)
		epoll_file_drained(f, POLLOUT | POLLWRNORM);
	return r < 0 ? -errno : r; /* -EPIPE: the syscall layer raises SIGPIPE */
}

static ssize_t
hostfd_pread(struct file *f, void *buf, size_t n, off_t off)
{
	ssize_t r = pread(hfd(f), buf, n, off);

	return r < 0 ? -errno : r;
}

static ssize_t
hostfd_pwrite(struct file *f, const void *buf, size_t n, off_t off)
{
	int err = hostfd_fsize(f, off, &n);

	if (err)
		return err;
	ssize_t r = pwrite(hfd(f), buf, n, off);

	return r < 0 ? -errno : r;
}

static off_t
hostfd_llseek(struct file *f, off_t off, int whence)
{
	off_t r = lseek(hfd(f), off, whence);

	if (r < 0)
		return -errno;
	f->pos = r;
	return r;
}

/* Only terminal ioctls that affect the terminal's own settings are forwarded
 * (never TIOCSTI, TIOCLINUX, TIOCSCTTY...). The argument sizes are in file.c;
 * FIONBIO is handled by file_ioctl itself. */
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
	if (ioctl(hfd(f), cmd, arg) < 0)
		return -errno;
	return 0;
}

static short
hostfd_poll(struct file *f, short events)
{
	struct pollfd p = { .fd = hfd(f), .events = events };
	struct timespec zero = { 0, 0 };
	int r = ppoll(&p, 1, &zero, NULL);

	if (r < 0)
		return POLLERR;
	return r ? p.revents : 0;
}

static int
hostfd_wait_fd(struct file *f)
{
	return hfd(f);
}

/* A host fd's access mode (O_RDONLY, O_WRONLY, O_RDWR), or -errno. */
static int
host_accmode(struct inode *i)
{
	int fl = fcntl(ino_fd(i), F_GETFL);

	return fl < 0 ? -errno : fl & O_ACCMODE;
}

/* ---- a regular host file opened again: its own offset ---- */

static ssize_t
hostreg_read(struct file *f, void *buf, size_t n, off_t *pos)
{
	ssize_t r = pread(hfd(f), buf, n, *pos);

	if (r < 0)
		return -errno;
	*pos += r;
	return r;
}

static ssize_t
hostreg_write(struct file *f, const void *buf, size_t n, off_t *pos)
{
	struct stat st;
	off_t at = *pos;
	int err;

	if (f->flags & O_APPEND) {
		if ((err = hostfd_stat(f, &st)))
			return err;
		at = st.st_size;
	}
	if ((err = hostfd_fsize(f, at, &n)))
		return err;
	ssize_t r = pwrite(hfd(f), buf, n, at);
	if (r < 0)
		return -errno;
	*pos = at + r;
	return r;
}

static off_t
hostreg_llseek(struct file *f, off_t off, int whence)
{
	struct stat st;
	int err = hostfd_stat(f, &st);

	return err ? err : generic_llseek(f, off, whence, st.st_size);
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

static const struct file_ops hostreg_fops = {
	.read = hostreg_read,
	.write = hostreg_write,
	.pread = hostfd_pread,
	.pwrite = hostfd_pwrite,
	.llseek = hostreg_llseek,
	.ioctl = hostfd_ioctl,
	.poll = hostfd_poll,
	.wait_fd = hostfd_wait_fd,
	.stat = hostfd_stat,
};

/* An open through /proc/self/fd (the inherited files never come here). */
static int
hostfd_open(struct task *t, struct file *f)
{
	(void)t;
	if (!S_ISREG(f->inode->mode))
		return 0; /* (pipes and terminals: another file on the same host fd) */
	int have = host_accmode(f->inode), want = f->flags & O_ACCMODE;
	if (have < 0)
		return have;
	if ((want != O_RDONLY && have == O_RDONLY) || (want != O_WRONLY && have == O_WRONLY))
		return -EACCES;
	f->fops = &hostreg_fops;
	f->pos = 0;
	return 0;
}

/* A truncation (O_TRUNC of a reopen, ftruncate): on the host file, if the host fd may
 * write it; nothing else of a host file is changed from inside. */
static int
hostfd_setattr(struct dentry *d, const struct iattr *ia)
{
	if (!(ia->valid & ATTR_SIZE) || (ia->valid & ~(ATTR_SIZE | ATTR_ATIME | ATTR_MTIME)))
		return -EPERM;
	if (!S_ISREG(d->inode->mode))
		return -EINVAL;
	int have = host_accmode(d->inode);
	if (have < 0)
		return have;
	if (have == O_RDONLY)
		return -EACCES;
	return ftruncate(ino_fd(d->inode), ia->size) < 0 ? -errno : 0;
}

static const struct inode_ops hostfd_iops = {
	.open = hostfd_open,
	.setattr = hostfd_setattr,
	.getattr = hostfd_getattr,
};

static void
hostfd_free(struct inode *i)
{
	int fd = ino_fd(i);

	if (fd >= 0 && fd < n_host_socks) { /* the number may come back as another file */
		free(host_socks[fd]);
		host_socks[fd] = NULL;
	}
	close(fd);
}

static void
hostfd_sb_init(void)
{
	if (hostfd_sb)
		return;
	hostfd_sb = sb_new("hostfd", "hostfd", SB_PSEUDO);
	hostfd_sb->root = d_alloc(NULL, "/");
	hostfd_sb->root->sb = hostfd_sb;
	hostfd_sb->root->inode = inode_new(hostfd_sb, S_IFDIR | 0500, 0, 0);
	hostfd_mnt.id = 1;
	hostfd_mnt.sb = hostfd_sb;
	hostfd_mnt.root = hostfd_sb->root;
	hostfd_mnt.flags = MNT_NOSUID | MNT_NOEXEC;
}

/* The name Linux would show in /proc/self/fd for this host object. */
static void
host_name(const struct stat *st, int hostfd, char *buf, size_t n)
{
	if (S_ISFIFO(st->st_mode))
		snprintf(buf, n, "pipe:[%lu]", (unsigned long)st->st_ino);
	else if (S_ISSOCK(st->st_mode))
		snprintf(buf, n, "socket:[%lu]", (unsigned long)st->st_ino);
	else if (S_ISCHR(st->st_mode) && major(st->st_rdev) >= 136 && major(st->st_rdev) < 144)
		snprintf(buf, n, "/dev/pts/%u", minor(st->st_rdev));
	else if (S_ISCHR(st->st_mode) && st->st_rdev == makedev(1, 3))
		snprintf(buf, n, "/dev/null");
	else
		snprintf(buf, n, "host:[%d]", hostfd);
}

struct file *
file_from_host_fd(int hostfd, int oflags)
{
	struct stat st = { .st_mode = S_IFIFO | 0600 };
	struct inode *ino;
	struct dentry *d;
	struct file *f;
	char name[64];

	hostfd_sb_init();
	fstatat(hostfd, "", &st, AT_EMPTY_PATH);
	host_name(&st, hostfd, name, sizeof(name));
	ino = inode_new(hostfd_sb, st.st_mode, st.st_uid, st.st_gid);
	ino->ino = st.st_ino;
	ino->rdev = st.st_rdev;
	ino->iops = &hostfd_iops;
	ino->fops = &hostfd_fops;
	ino->priv = (void *)(long)hostfd;
	ino->free_priv = hostfd_free;
	d = d_alloc(hostfd_sb->root, name);
	d->inode = ino;
	f = file_alloc(&hostfd_fops);
	f->path.mnt = &hostfd_mnt;
	f->path.d = d;
	f->inode = iget(ino);
	f->flags = (oflags & ~(O_CREAT | O_EXCL | O_NOCTTY | O_TRUNC | O_CLOEXEC)) |
		   O_LARGEFILE_KERNEL;
	return f;
}

/* ---- host sockets among the std and preserved fds ---- */

void
hostsock_snapshot(int hostfd)
{
	struct host_sock hs = { 0 };
	socklen_t l = sizeof(int), al = sizeof(int);
	struct stat st;
	int acc = 0;

	if (hostfd < 0 || hostfd >= HOST_SOCK_FDS || fstat(hostfd, &st) < 0 ||
	    !S_ISSOCK(st.st_mode))
		return;
	if (getsockopt(hostfd, SOL_SOCKET, SO_TYPE, &hs.type, &l) < 0 ||
	    getsockopt(hostfd, SOL_SOCKET, SO_DOMAIN, &hs.domain, &l) < 0 ||
	    getsockopt(hostfd, SOL_SOCKET, SO_PROTOCOL, &hs.protocol, &l) < 0)
		return;
	if (getsockopt(hostfd, SOL_SOCKET, SO_ACCEPTCONN, &acc, &al) == 0)
		hs.listening = acc != 0;
	hs.locallen = sizeof(hs.local);
	if (getsockname(hostfd, (struct sockaddr *)&hs.local, &hs.locallen) < 0)
		hs.locallen = 0;
	hs.peerlen = sizeof(hs.peer);
	if (getpeername(hostfd, (struct sockaddr *)&hs.peer, &hs.peerlen) < 0)
		hs.peerlen = 0;
	l = sizeof(hs.cred);
	hs.has_cred = hs.domain == AF_UNIX &&
		      getsockopt(hostfd, SOL_SOCKET, SO_PEERCRED, &hs.cred, &l) == 0;
	hostsock_set(hostfd, &hs);
}

void
hostsock_set(int hostfd, const struct host_sock *hs)
{
	if (hostfd >= n_host_socks) {
		int n = MAX(hostfd + 1, MAX(n_host_socks * 2, 64));
		struct host_sock **grown = xcalloc(n, sizeof(*grown));

		if (n_host_socks)
			memcpy(grown, host_socks, n_host_socks * sizeof(*grown));
		free(host_socks);
		host_socks = grown;
		n_host_socks = n;
	}
	free(host_socks[hostfd]);
	host_socks[hostfd] = xmalloc(sizeof(*hs));
	*host_socks[hostfd] = *hs;
}

int
file_host_fd(struct file *f)
{
	return f && (f->fops == &hostfd_fops || f->fops == &hostreg_fops) ? hfd(f) : -1;
}

const struct host_sock *
file_host_sock(struct file *f)
{
	int fd = file_host_fd(f);

	return fd >= 0 && fd < n_host_socks && S_ISSOCK(f->inode->mode) ? host_socks[fd] : NULL;
}

struct file *
file_from_host_stdio(int hostfd)
{
	int fl = fcntl(hostfd, F_GETFL);

	return fl < 0 ? NULL : file_from_host_fd(hostfd, fl & (O_ACCMODE | O_APPEND));
}
