/*
 * Pseudo-terminal pairs: /dev/ptmx (and /dev/pts/ptmx) opens a new master, devpts at
 * /dev/pts shows the slaves, /dev/tty is the caller's controlling terminal. Each mount of
 * devpts is an instance of its own (Linux >= 4.7; "newinstance" is implied): its own
 * numbers, its own ptmx; /dev/ptmx opens a pair in the instance mounted at "pts" beside it. Here too:
 * the files of both sides, hangup when the master goes (slave reads then see end of file,
 * writes EIO), and the lifetime of a pair.
 *
 * A pair lives while something refers to it: master files, slave files (devpts or
 * /dev/tty ones) and the devpts inode. Processes point at their controlling terminal
 * without a reference; a hangup or the pair's end clears those pointers.
 * Controlling terminals, job control and the ioctls are in fs/tty_ctl.c.
 */
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <sys/sysmacros.h>
#include <termios.h>

#include "fs/internal.h"
#include "fs/ldisc.h"
#include "sentry/sentry.h"

#define O_LARGEFILE_KERNEL 0100000
#define PTY_MAX 1024              /* pairs at once (Linux's kernel.pty.max is 4096) */
#define PTS_MAJOR 136             /* UNIX98_PTY_SLAVE_MAJOR */
#define PTS_MODE 0600             /* devpts defaults: mode=600, the opener's gid */

/* An instance: its pairs by number and its mount options (Linux pts_fs_info). */
struct devpts {
	struct super_block *sb;
	struct tty *ptys[PTY_MAX];
	mode_t mode, ptmxmode;
	uid_t uid;
	gid_t gid;
	bool setuid, setgid;
	int max;
};

static const struct file_ops master_fops, slave_fops;

/* ---- lifetime ---- */

static void
tty_put(struct tty *tty)
{
	struct task *t, *tmp;

	BUG_ON(tty->refs <= 0);
	if (--tty->refs > 0)
		return;
	HASH_ITER(hh, sentry.tasks, t, tmp)
		if (t->tty == tty)
			t->tty = NULL;
	tty->pts->ptys[tty->index] = NULL;
	ldisc_free(tty);
	free(tty);
}

static void
slave_inode_free(struct inode *i)
{
	struct tty *tty = i->priv;

	if (tty) {
		tty->slave_inode = NULL;
		tty_put(tty);
	}
}

/* ---- devpts ---- */

static int
devpts_setattr(struct dentry *d, const struct iattr *ia)
{
	struct inode *i = d->inode;

	inode_set_attrs(i, ia);
	return 0;
}

static const struct inode_ops devpts_dir_iops = { 0 }; /* no create, unlink, rename */
static int pts_open(struct task *t, struct file *f);
static const struct inode_ops pts_iops = {
	.setattr = devpts_setattr,
	.open = pts_open,
};
static const struct inode_ops devpts_ptmx_iops = {
	.setattr = devpts_setattr,
	.open = pty_ptmx_open,
};

/* Linux devpts options: mode=, ptmxmode= (octal), uid=, gid=, max= (decimal);
 * newinstance accepted (every mount is one). Unknown options are EINVAL. */
static int
devpts_options(const char *data, struct devpts *pts)
{
	_cleanup_free_ char *copy = xstrdup(data ? data : "");
	char *save = NULL;

	for (char *o = strtok_r(copy, ",", &save); o; o = strtok_r(NULL, ",", &save)) {
		char *v = strchr(o, '='), *end;
		unsigned long n;

		if (v)
			*v++ = 0;
		if (!strcmp(o, "newinstance") && !v)
			continue;
		if (!v || !*v)
			return -EINVAL;
		bool octal = !strcmp(o, "mode") || !strcmp(o, "ptmxmode");
		errno = 0;
		n = strtoul(v, &end, octal ? 8 : 10);
		if (*end || errno || *v == '-')
			return -EINVAL;
		if (!strcmp(o, "mode") || !strcmp(o, "ptmxmode")) {
			if (n > 07777)
				return -EINVAL;
			*(o[0] == 'm' ? &pts->mode : &pts->ptmxmode) = (mode_t)n & 07777;
		} else if (!strcmp(o, "uid") || !strcmp(o, "gid")) {
			if (n > 0xfffffffeUL)
				return -EINVAL;
			if (o[0] == 'u')
				pts->uid = (uid_t)n, pts->setuid = true;
			else
				pts->gid = (gid_t)n, pts->setgid = true;
		} else if (!strcmp(o, "max")) {
			if (n > PTY_MAX)
				n = PTY_MAX; /* (Linux caps at its kernel.pty.max) */
			pts->max = (int)n;
		} else {
			return -EINVAL;
		}
	}
	return 0;
}

/* What mountinfo shows beyond the fixed part (Linux devpts_show_options). */
static void
devpts_show(struct devpts *pts)
{
	char opts[128];
	int n = 0;

	if (pts->setuid)
		n += snprintf(opts + n, sizeof(opts) - n, ",uid=%u", pts->uid);
	if (pts->setgid)
		n += snprintf(opts + n, sizeof(opts) - n, ",gid=%u", pts->gid);
	n += snprintf(opts + n, sizeof(opts) - n, ",mode=%03o,ptmxmode=%03o", pts->mode,
		      pts->ptmxmode);
	if (pts->max < PTY_MAX)
		snprintf(opts + n, sizeof(opts) - n, ",max=%d", pts->max);
	free(pts->sb->opts);
	pts->sb->opts = xstrdup(opts);
}

/* A new instance: 0 and *out, or -EINVAL for bad options. */
int
devpts_new(const char *source, const char *data, struct super_block **out)
{
	struct devpts *pts = xcalloc(1, sizeof(*pts));
	struct inode *ptmx;

	pts->mode = PTS_MODE;
	pts->ptmxmode = 0; /* Linux's default ptmxmode=000 */
	pts->max = PTY_MAX;
	int err = devpts_options(data, pts);
	if (err) {
		free(pts);
		return err;
	}
	struct super_block *sb = sb_new("devpts", source && *source ? source : "devpts", 0);
	pts->sb = sb;
	sb->priv = pts;
	sb->blksize = 1024; /* devpts_fill_super's s_blocksize */
	sb->root = d_alloc(NULL, "/");
	sb->root->sb = sb;
	sb->root->inode = inode_new(sb, S_IFDIR | 0755, 0, 0);
	sb->root->inode->iops = &devpts_dir_iops;
	sb->root->inode->fops = &tmpfs_dir_fops;
	ptmx = inode_new(sb, S_IFCHR | pts->ptmxmode, 0, 0);
	ptmx->rdev = makedev(5, 2);
	ptmx->iops = &devpts_ptmx_iops;
	ptmx->fops = &master_fops;
	d_add_child(sb->root, "ptmx", ptmx);
	devpts_show(pts);
	*out = sb;
	return 0;
}

/* A mount of pts's instance, for files opened without a path walk (TIOCGPTPEER). */
static struct mount *
devpts_mount(struct devpts *pts)
{
	for (struct mount *m = vfs_mounts; m; m = m->next)
		if (m->sb == pts->sb)
			return m;
	return NULL;
}

static void
devpts_add(struct task *t, struct tty *tty)
{
	struct devpts *pts = tty->pts;
	struct inode *ino;
	char name[16];

	ino = inode_new(pts->sb, S_IFCHR | pts->mode,
			pts->setuid ? pts->uid : t ? task_fsuid(t) : 0,
			pts->setgid ? pts->gid : t ? task_fsgid(t) : 0);
	ino->ino = tty->index + 3; /* as Linux devpts: 1 is the root, 2 ptmx */
	ino->rdev = makedev(PTS_MAJOR + tty->index / 256, tty->index % 256);
	ino->iops = &pts_iops;
	ino->fops = &slave_fops;
	ino->priv = tty;
	ino->free_priv = slave_inode_free;
	tty->refs++;
	tty->slave_inode = ino;
	snprintf(name, sizeof(name), "%d", tty->index);
	tty->slave_dentry = d_add_child(pts->sb->root, name, ino);
}

/* The master is gone: /dev/pts/N disappears and slave files are hung up (Linux
 * __tty_hangup): the session's processes lose their controlling terminal and its leader
 * gets SIGHUP and SIGCONT. */
static void
pty_hangup(struct tty *tty)
{
	if (tty->slave_dentry) {
		tty->slave_dentry->deleted = true;
		d_unhash(tty->slave_dentry); /* may free the inode, which drops a reference */
		tty->slave_dentry = NULL;
	}
	/* Readers and writers blocked now fail with EIO (they see the master gone before
	 * the signals arrive); later calls find the files hung up. */
	tty->hungup = true;
	tty_wake_slave(tty);
	tty_hangup_session(tty);
}

/* ---- master ---- */

static struct tty *
tty_of(struct file *f)
{
	return f->priv;
}

static ssize_t
master_read(struct file *f, void *buf, size_t n, off_t *pos)
{
	struct tty *tty = tty_of(f);
	size_t got;

	if (n == 0)
		return 0; /* Linux n_tty_read: nothing asked, nothing checked (not even a closed slave) */
	/* packet mode: a pending status byte alone, else data after a 0 (TIOCPKT_DATA) */
	if (tty->packet && tty->pkt_status) {
		*(unsigned char *)buf = tty->pkt_status;
		tty->pkt_status = 0;
		return 1;
	}
	if (!tty->out.len)
		return tty->slave_closed ? -EIO : -EAGAIN;
	if (tty->packet) {
		*(unsigned char *)buf = TIOCPKT_DATA;
		got = 1 + bq_pop(&tty->out, (unsigned char *)buf + 1, n - 1);
		tty_wake_slave(tty);
		tty_wake_master(tty);
		return got;
	}
	got = bq_pop(&tty->out, buf, n);
	tty_wake_slave(tty); /* room for the slave's writes */
	tty_wake_master(tty);
	return got;
}

static ssize_t
master_write(struct file *f, const void *buf, size_t n, off_t *pos)
{
	struct tty *tty = tty_of(f);
	size_t put;

	if (n == 0)
		return 0;
	put = bq_push(&tty->in, buf, n, TTY_IN_MAX);
	if (!put)
		return -EAGAIN;
	ldisc_receive(tty);
	return put;
}

static short
master_poll(struct file *f, short events)
{
	struct tty *tty = tty_of(f);
	short mask = 0;

	if (tty->out.len)
		mask |= POLLIN | POLLRDNORM;
	if (tty->packet && tty->pkt_status)
		mask |= POLLIN | POLLRDNORM | POLLPRI;
	if (tty->in.len < TTY_IN_MAX)
		mask |= POLLOUT | POLLWRNORM;
	if (tty->slave_closed)
		mask |= POLLHUP;
	return mask;
}

static struct waitq *
master_waitq(struct file *f)
{
	return &tty_of(f)->master_wq;
}

static void
master_release(struct file *f)
{
	struct tty *tty = tty_of(f);

	if (!tty)
		return;
	if (--tty->master_files == 0)
		pty_hangup(tty);
	tty_put(tty);
}

static const struct file_ops master_fops = {
	.read = master_read,
	.write = master_write,
	.llseek = no_llseek,
	.poll = master_poll,
	.waitq = master_waitq,
	.release = master_release,
};

void
tty_set_default_termios(struct tty_termios *tio)
{
	static const unsigned char cc[19] = {
		[VINTR] = 003, [VQUIT] = 034, [VERASE] = 0177, [VKILL] = 025, [VEOF] = 004,
		[VTIME] = 0, [VMIN] = 1, [VSTART] = 021, [VSTOP] = 023, [VSUSP] = 032,
		[VREPRINT] = 022, [VDISCARD] = 017, [VWERASE] = 027, [VLNEXT] = 026,
	};

	memset(tio, 0, sizeof(*tio));
	tio->c_iflag = ICRNL | IXON;
	tio->c_oflag = OPOST | ONLCR;
	tio->c_cflag = B38400 | CS8 | CREAD;
	tio->c_lflag = ISIG | ICANON | ECHO | ECHOE | ECHOK | ECHOCTL | ECHOKE | IEXTEN;
	memcpy(tio->c_cc, cc, sizeof(cc));
	tio->c_ispeed = tio->c_ospeed = 38400;
}

static int
new_pair(struct task *t, struct devpts *pts, struct tty **out)
{
	struct tty *tty;
	int i;

	for (i = 0; i < pts->max && pts->ptys[i]; i++)
		;
	if (i == pts->max)
		return -ENOSPC;
	tty = xcalloc(1, sizeof(*tty));
	tty->index = i;
	tty->pts = pts;
	tty->refs = 1; /* the master file */
	tty->master_files = 1;
	tty->locked = true; /* until unlockpt */
	ldisc_init(tty);
	pts->ptys[i] = tty;
	devpts_add(t, tty);
	*out = tty;
	return 0;
}

/* The instance an open of a ptmx node makes its pair in (Linux devpts_acquire): the node's
 * own for devpts' ptmx; else the devpts mounted at "pts" in the node's directory (/dev/ptmx
 * and /dev/pts), ENODEV if there is none. */
static struct devpts *
ptmx_instance(struct file *f)
{
	struct dentry *d = f->path.d, *c = NULL;

	if (f->inode && f->inode->sb && f->inode->sb->priv && !strcmp(f->inode->sb->fstype, "devpts"))
		return f->inode->sb->priv;
	if (!d || !d->parent || !f->path.mnt)
		return NULL;
	HASH_FIND_STR(d->parent->children, "pts", c);
	if (!c)
		return NULL;
	struct path p = { f->path.mnt, dget(c) };
	follow_mounts(&p);
	struct devpts *pts = p.d->sb && p.d == p.d->sb->root && !strcmp(p.d->sb->fstype, "devpts")
				     ? p.d->sb->priv : NULL;
	dput(p.d);
	return pts;
}

/* open of a ptmx node: a new pair, this file its master. */
int
pty_ptmx_open(struct task *t, struct file *f)
{
	struct devpts *pts = ptmx_instance(f);
	struct tty *tty;

	if (!pts)
		return -ENODEV;
	int err = new_pair(t, pts, &tty);
	if (err)
		return err;
	f->fops = &master_fops;
	f->priv = tty;
	return 0;
}

/* ---- slave ---- */

static ssize_t
slave_read(struct file *f, void *buf, size_t n, off_t *pos)
{
	struct tty *tty = tty_of(f);

	if (tty->hungup)
		return 0;
	if (n == 0)
		return 0;
	if (!ldisc_readable(tty))
		return -EAGAIN;
	return ldisc_read(tty, buf, n);
}

static ssize_t
slave_write(struct file *f, const void *buf, size_t n, off_t *pos)
{
	struct tty *tty = tty_of(f);
	size_t put;

	if (tty->hungup)
		return -EIO;
	if (n == 0)
		return 0;
	put = ldisc_write(tty, buf, n);
	return put ? (ssize_t)put : -EAGAIN;
}

static short
slave_poll(struct file *f, short events)
{
	struct tty *tty = tty_of(f);
	short mask = 0;

	if (tty->hungup)
		return POLLIN | POLLOUT | POLLERR | POLLHUP | POLLRDNORM | POLLWRNORM;
	if (ldisc_poll_in(tty))
		mask |= POLLIN | POLLRDNORM;
	if (ldisc_out_room(tty))
		mask |= POLLOUT | POLLWRNORM;
	return mask;
}

static struct waitq *
slave_waitq(struct file *f)
{
	return &tty_of(f)->slave_wq;
}

static void
slave_release(struct file *f)
{
	struct tty *tty = tty_of(f);

	if (!tty)
		return;
	if (--tty->slave_opens == 0) {
		tty->slave_closed = true;
		tty_wake_master(tty);
	}
	tty_put(tty);
}

static const struct file_ops slave_fops = {
	.read = slave_read,
	.write = slave_write,
	.llseek = no_llseek,
	.poll = slave_poll,
	.waitq = slave_waitq,
	.release = slave_release,
};

/* ---- vhangup: the open files of a terminal hung up (Linux __tty_hangup's
 * hung_up_tty_fops); the terminal itself goes on and may be opened again ---- */

static ssize_t
hung_read(struct file *f, void *buf, size_t n, off_t *pos)
{
	(void)f, (void)buf, (void)n, (void)pos;
	return 0;
}

static ssize_t
hung_write(struct file *f, const void *buf, size_t n, off_t *pos)
{
	(void)f, (void)buf, (void)n, (void)pos;
	return -EIO;
}

static short
hung_poll(struct file *f, short events)
{
	(void)f, (void)events;
	return POLLIN | POLLOUT | POLLERR | POLLHUP | POLLRDNORM | POLLWRNORM;
}

static long
hung_ioctl(struct file *f, unsigned long cmd, void *arg)
{
	(void)f, (void)arg;
	return cmd == TIOCSPGRP ? -ENOTTY : -EIO;
}

static const struct file_ops hung_slave_fops = {
	.read = hung_read,
	.write = hung_write,
	.llseek = no_llseek,
	.poll = hung_poll,
	.waitq = slave_waitq,
	.ioctl = hung_ioctl,
	.release = slave_release,
};

int
tty_vhangup(struct task *t)
{
	struct tty *tty = t->leader ? t->leader->tty : NULL;
	struct task *p = NULL;

	if (!tty)
		return 0;
	/* every slave file of it in a descriptor table (shared tables: once is enough) */
	while ((p = task_next(p))) {
		for (int fd = 0; p->fdt && fd < p->fdt->size; fd++) {
			struct file *f = p->fdt->files[fd];

			if (f && f->fops == &slave_fops && f->priv == tty)
				f->fops = &hung_slave_fops;
		}
	}
	tty_wake_slave(tty);
	tty_hangup_session(tty);
	return 0;
}

static bool
readable_file(struct file *f)
{
	int acc = f->flags & O_ACCMODE;

	return acc == O_RDONLY || acc == O_RDWR;
}

/* f becomes a slave file of tty; noctty: never acquire it as controlling terminal. */
static int
attach_slave(struct task *t, struct file *f, struct tty *tty, bool noctty)
{
	if (tty->hungup)
		return -EIO;
	if (tty->exclusive && !(t && t->euid == 0))
		return -EBUSY;
	f->fops = &slave_fops;
	f->priv = tty;
	tty->refs++;
	tty->slave_opens++;
	tty->slave_closed = false;
	tty_wake_master(tty);
	if (t && !noctty && readable_file(f))
		tty_open_ctty(t, tty);
	return 0;
}

static int
pts_open(struct task *t, struct file *f)
{
	struct tty *tty = f->inode->priv;

	if (!tty)
		return -EIO;
	if (tty->locked)
		return -EIO;
	return attach_slave(t, f, tty, f->flags & O_NOCTTY);
}

/* open of /dev/tty: the caller's controlling terminal (never acquires one). */
int
pty_devtty_open(struct task *t, struct file *f)
{
	struct tty *tty = t ? t->leader->tty : NULL;

	if (!tty)
		return -ENXIO;
	return attach_slave(t, f, tty, true);
}

/* TIOCGPTPEER: a new file on the slave of master file f. */
int
pty_open_peer(struct task *t, struct file *master, int flags, struct file **out)
{
	struct tty *tty = tty_of(master);
	struct path p = { devpts_mount(tty->pts), tty->slave_dentry };
	struct file *f;
	int err;

	if (!p.mnt || !p.d || !tty->slave_inode)
		return -EIO;
	if (tty->locked)
		return -EIO;
	f = file_alloc(&slave_fops);
	f->flags = (flags & ~(O_CREAT | O_EXCL | O_NOCTTY | O_TRUNC | O_CLOEXEC)) |
		   O_LARGEFILE_KERNEL;
	f->path = path_get(p);
	f->inode = iget(tty->slave_inode);
	err = attach_slave(t, f, tty, flags & O_NOCTTY);
	if (err) {
		f->fops = NULL;
		f->priv = NULL;
		file_put(f);
		return err;
	}
	*out = f;
	return 0;
}

/* ---- for the rest of fs/ and the console ---- */

struct tty *
file_tty(struct file *f)
{
	if (!f || (f->flags & O_PATH))
		return NULL;
	if (f->fops == &master_fops || f->fops == &slave_fops)
		return f->priv;
	return NULL;
}

bool
pty_is_master(struct file *f)
{
	return f->fops == &master_fops;
}

bool
tty_master_can_write(struct file *master)
{
	return tty_of(master)->in.len < TTY_IN_MAX;
}

void
tty_master_eof(struct file *master)
{
	struct tty *tty = tty_of(master);
	unsigned char eof = tty->tio.c_cc[VEOF];

	if (!(tty->tio.c_lflag & ICANON) || !eof)
		return;
	/* One end-of-file ends a partial line, another then reads as the end. */
	if (tty->rlen > tty->canon_len)
		bq_push(&tty->in, &eof, 1, TTY_IN_MAX + 2);
	bq_push(&tty->in, &eof, 1, TTY_IN_MAX + 2);
	ldisc_receive(tty);
}

void
tty_master_typeahead(struct file *master, const void *buf, size_t n)
{
	struct tty *tty = tty_of(master);
	unsigned int lflag = tty->tio.c_lflag;

	bq_push(&tty->in, buf, n, TTY_IN_MAX);
	tty->tio.c_lflag &= ~(ECHO | ECHONL); /* the user's terminal echoed it as typed */
	ldisc_receive(tty);
	tty->tio.c_lflag = lflag;
}

int
tty_console_new(struct task *t, const struct tty_termios *tio, const struct winsize *ws,
		void (*notify)(void *), void *arg, struct file **master, struct file **slave)
{
	struct tty *tty;
	int err;

	err = vfs_openat(t, NULL, "/dev/ptmx", O_RDWR | O_NOCTTY, 0, master);
	if (err)
		return err;
	tty = tty_of(*master);
	tty->locked = false;
	tty->console = true;
	if (tio)
		ldisc_set_termios(tty, tio);
	if (ws)
		tty->ws = *ws;
	err = pty_open_peer(t, *master, O_RDWR, slave); /* t acquires it as its terminal */
	if (err) {
		file_put(*master);
		return err;
	}
	tty->notify = notify;
	tty->notify_arg = arg;
	return 0;
}

void
tty_console_release(struct file *master)
{
	struct tty *tty = tty_of(master);

	tty->notify = NULL; /* the slave's files may outlive the console */
	tty->notify_arg = NULL;
	file_put(master);
}
