/*
 * devfs: a tmpfs instance with the few character devices a sandbox offers
 * (null, zero, full, random, urandom, ptmx, tty, net/tun) and the usual symlinks into
 * /proc/self/fd. devpts is mounted on /dev/pts (fs/pty.c).
 */
#include <poll.h>
#include <string.h>
#include <sys/random.h>
#include <stdint.h>
#include <sys/sysmacros.h>

#include "fs/internal.h"
#include "fs/ldisc.h"
#include "sentry/sentry.h"

static ssize_t
null_read(struct file *f, void *buf, size_t n, off_t *pos)
{
	return 0;
}

static ssize_t
sink_write(struct file *f, const void *buf, size_t n, off_t *pos)
{
	return n;
}

static ssize_t
zero_read(struct file *f, void *buf, size_t n, off_t *pos)
{
	memset(buf, 0, n);
	return n;
}

static ssize_t
full_write(struct file *f, const void *buf, size_t n, off_t *pos)
{
	return -ENOSPC;
}

static ssize_t
random_read(struct file *f, void *buf, size_t n, off_t *pos)
{
	size_t done = 0;

	while (done < n) {
		ssize_t r = getrandom((char *)buf + done, n - done, 0);

		if (r < 0) {
			if (errno == EINTR)
				continue;
			return done ? (ssize_t)done : -errno;
		}
		done += r;
	}
	return done;
}

static off_t
dev_llseek(struct file *f, off_t off, int whence)
{
	f->pos = 0;
	return 0;
}

static const struct file_ops null_fops = {
	.read = null_read,
	.write = sink_write,
	.llseek = dev_llseek,
	.pread_ok = true,
	.discards_writes = true,
};

static const struct file_ops zero_fops = {
	.read = zero_read,
	.write = sink_write,
	.llseek = dev_llseek,
	.pread_ok = true,
	.discards_writes = true, /* (Linux's write_zero is write_null) */
};

static const struct file_ops full_fops = {
	.read = zero_read,
	.write = full_write,
	.llseek = dev_llseek,
	.pread_ok = true,
	.discards_writes = true,
};

static const struct file_ops random_fops = {
	.read = random_read,
	.write = sink_write,
	.llseek = dev_llseek,
	.pread_ok = true,
};

/* The random driver's ioctls (Linux random_ioctl): the entropy count is the full pool
 * (256 bits: a seeded crng, Linux >= 5.18), and what only feeds or drains the pool needs
 * CAP_SYS_ADMIN and then changes nothing here (the host kernel keeps the randomness). */
#define RNDGETENTCNT_ 0x80045200UL
#define RNDADDTOENTCNT_ 0x40045201UL
#define RNDGETPOOL_ 0x80085202UL
#define RNDADDENTROPY_ 0x40085203UL
#define RNDZAPENTCNT_ 0x5204UL
#define RNDCLEARPOOL_ 0x5206UL
#define RNDRESEEDCRNG_ 0x5207UL

long
devfs_random_ioctl(struct task *t, struct file *f, unsigned long cmd, unsigned long arg)
{
	int v = 256, hdr[2];

	if (f->fops != &random_fops)
		return -ENOIOCTLCMD;
	switch (cmd) {
	case RNDGETENTCNT_:
		return copy_to_guest(t, arg, &v, sizeof(v)) ? -EFAULT : 0;
	case RNDADDTOENTCNT_:
		if (!task_capable(t, CAP_SYS_ADMIN))
			return -EPERM;
		return copy_from_guest(t, &v, arg, sizeof(v)) ? -EFAULT : 0;
	case RNDADDENTROPY_:
		if (!task_capable(t, CAP_SYS_ADMIN))
			return -EPERM;
		if (copy_from_guest(t, hdr, arg, sizeof(hdr)))
			return -EFAULT;
		return hdr[0] < 0 || hdr[1] < 0 ? -EINVAL : 0;
	case RNDZAPENTCNT_:
	case RNDCLEARPOOL_:
	case RNDRESEEDCRNG_:
		return task_capable(t, CAP_SYS_ADMIN) ? 0 : -EPERM;
	default:
		return -EINVAL;
	}
}

/* /dev/net/tun: TUNSETIFF attaches the file to a new tun or tap interface (fs/socket.c
 * keeps it) that lives as long as the file. The interface stays down: nothing is read
 * from it or written to it. */
static int
tun_index(struct file *f)
{
	return (int)(intptr_t)f->priv;
}

static ssize_t
tun_read(struct file *f, void *buf, size_t n, off_t *pos)
{
	return tun_index(f) ? -EAGAIN : -EBADFD; /* (a down interface has no packets) */
}

static ssize_t
tun_write(struct file *f, const void *buf, size_t n, off_t *pos)
{
	return tun_index(f) ? -EIO : -EBADFD; /* tun_get_user: the interface is down */
}

static void
tun_release(struct file *f)
{
	if (tun_index(f))
		sock_netdev_del(tun_index(f));
	f->priv = NULL;
}

static const struct file_ops tun_fops = {
	.read = tun_read,
	.write = tun_write,
	.release = tun_release,
};

#define IFNAMSIZ_ 16
#define TUN_IFF_TUN 0x0001
#define TUN_IFF_TAP 0x0002
#define TUN_IFF_NO_PI 0x1000
#define TUNSETIFF_ 0x400454caUL
#define TUNGETIFF_ 0x800454d2UL
#define TUNGETFEATURES_ 0x800454cfUL
#define TUN_IFF_ONE_QUEUE 0x2000

/* The tun driver's ioctls (Linux __tun_chr_ioctl): TUNGETFEATURES, TUNSETIFF and
 * TUNGETIFF. */
long
devfs_tun_ioctl(struct task *t, struct file *f, unsigned long cmd, unsigned long arg)
{
	struct {
		char name[IFNAMSIZ_];
		short flags;
		char pad[22];
	} ifr;
	char name[IFNAMSIZ_];
	int idx;

	if (f->fops != &tun_fops)
		return -ENOIOCTLCMD;
	if (cmd == TUNGETFEATURES_) {
		/* the flags TUNSETIFF takes, attached or not: here those it keeps (Linux's
		 * list adds the offloads, queues and NAPI of a data path this one has not;
		 * IFF_ONE_QUEUE it ignores, as Linux does) */
		unsigned int feat = TUN_IFF_TUN | TUN_IFF_TAP | TUN_IFF_NO_PI | TUN_IFF_ONE_QUEUE;

		return copy_to_guest(t, arg, &feat, sizeof(feat)) ? -EFAULT : 0;
	}
	if (cmd != TUNSETIFF_ && cmd != TUNGETIFF_)
		return ((cmd >> 8) & 0xff) == 'T' ? -EINVAL : -ENOIOCTLCMD;
	if (cmd == TUNGETIFF_) {
		if (!tun_index(f))
			return -EBADFD;
		memset(&ifr, 0, sizeof(ifr));
		if (sock_netdev_name(tun_index(f), ifr.name, &ifr.flags))
			return -EBADFD;
		return copy_to_guest(t, arg, &ifr, sizeof(ifr)) ? -EFAULT : 0;
	}
	if (copy_from_guest(t, &ifr, arg, sizeof(ifr)))
		return -EFAULT;
	ifr.name[IFNAMSIZ_ - 1] = 0;
	if (tun_index(f))
		return -EEXIST; /* attached already */
	if (!(ifr.flags & (TUN_IFF_TUN | TUN_IFF_TAP)))
		return -EINVAL;
	if (!task_capable(t, CAP_NET_ADMIN))
		return -EPERM;
	idx = sock_netdev_add(t, ifr.name, !(ifr.flags & TUN_IFF_TUN), name,
			      (short)(ifr.flags & (TUN_IFF_TUN | TUN_IFF_TAP | TUN_IFF_NO_PI)));
	if (idx < 0)
		return idx;
	f->priv = (void *)(intptr_t)idx;
	memcpy(ifr.name, name, IFNAMSIZ_);
	if (copy_to_guest(t, arg, &ifr, sizeof(ifr))) /* (the interface stays) */
		return -EFAULT;
	return 0;
}

static void
add_dev(struct dentry *root, const char *name, unsigned maj, unsigned min,
	const struct file_ops *fops)
{
	struct dentry *d = tmpfs_add(root, name, S_IFCHR | 0666, NULL);

	d->inode->rdev = makedev(maj, min);
	d->inode->fops = fops;
}

/* A character device node a guest made (mknod) for one of the memory devices: it works
 * as /dev's does (false for any other number). */
bool
devfs_mem_device(struct inode *i)
{
	static const struct {
		unsigned min;
		const struct file_ops *fops;
	} mem[] = { { 3, &null_fops }, { 5, &zero_fops }, { 7, &full_fops },
		    { 8, &random_fops }, { 9, &random_fops } };

	if (!S_ISCHR(i->mode) || major(i->rdev) != 1)
		return false;
	for (size_t k = 0; k < ARRAY_SIZE(mem); k++) {
		if (minor(i->rdev) == mem[k].min) {
			i->fops = mem[k].fops;
			return true;
		}
	}
	return false;
}

/* A device whose open makes the file (the terminals): tmpfs's inode ops plus open. */
static void
add_open_dev(struct dentry *root, const char *name, unsigned maj, unsigned min,
	     struct inode_ops *iops, int (*open)(struct task *, struct file *))
{
	struct dentry *d = tmpfs_add(root, name, S_IFCHR | 0666, NULL);

	d->inode->rdev = makedev(maj, min);
	*iops = *d->inode->iops;
	iops->open = open;
	d->inode->iops = iops;
}

int
devfs_populate(struct super_block *sb)
{
	struct dentry *root = sb->root;

	sb->fstype = "tmpfs";
	add_dev(root, "null", 1, 3, &null_fops);
	add_dev(root, "zero", 1, 5, &zero_fops);
	add_dev(root, "full", 1, 7, &full_fops);
	add_dev(root, "random", 1, 8, &random_fops);
	add_dev(root, "urandom", 1, 9, &random_fops);
	static struct inode_ops ptmx_iops, tty_iops;
	add_open_dev(root, "ptmx", 5, 2, &ptmx_iops, pty_ptmx_open);
	add_open_dev(root, "tty", 5, 0, &tty_iops, pty_devtty_open);
	tmpfs_add(root, "stdin", S_IFLNK | 0777, "/proc/self/fd/0");
	tmpfs_add(root, "stdout", S_IFLNK | 0777, "/proc/self/fd/1");
	tmpfs_add(root, "stderr", S_IFLNK | 0777, "/proc/self/fd/2");
	tmpfs_add(root, "fd", S_IFLNK | 0777, "/proc/self/fd");
	add_dev(tmpfs_add(root, "net", S_IFDIR | 0755, NULL), "tun", 10, 200, &tun_fops);
	tmpfs_add(root, "shm", S_IFDIR | 01777, NULL);
	tmpfs_add(root, "pts", S_IFDIR | 0755, NULL);
	return 0;
}
