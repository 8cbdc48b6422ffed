/*
 * inotify: instances (anonymous files) hold watches ("marks") on inodes; the VFS reports
 * events through the fsnotify_* hooks below and each instance queues struct
 * inotify_event records, as Linux's fs/notify/inotify does:
 *  - an event on a file goes to the file's own watches (no name) and, for the events
 *    Linux sends through the parent (open, access, modify, attrib, close), first to the
 *    watches of its directory with the file's name;
 *  - names are NUL-padded to a multiple of 16 bytes; an event equal to the last queued
 *    one (wd, mask, name) is dropped; past INOTIFY_MAX_EVENTS one IN_Q_OVERFLOW is queued;
 *  - removing a watch (inotify_rm_watch, IN_ONESHOT, the inode's end) queues IN_IGNORED;
 *    an unlinked inode ends (IN_DELETE_SELF) when only watches still reference it.
 * Watches hold a reference on their inode; the inode lists its marks (inode->marks).
 */
#include <poll.h>
#include <string.h>
#include <sys/sysmacros.h>
#include <sys/inotify.h>
#include <sys/ioctl.h>
#include <fcntl.h>

#include "fs/internal.h"
#include "sentry/sentry.h"

#define INOTIFY_MAX_EVENTS sysctl_value(SYSCTL_INOTIFY_EVENTS)
#define INOTIFY_MAX_INSTANCES sysctl_value(SYSCTL_INOTIFY_INSTANCES)
#define INOTIFY_MAX_WATCHES sysctl_value(SYSCTL_INOTIFY_WATCHES) /* /proc/sys/fs/inotify */
#define EVENT_BITS (IN_ALL_EVENTS | IN_UNMOUNT | IN_Q_OVERFLOW | IN_IGNORED)
#define ARG_BITS (IN_ALL_EVENTS | IN_UNMOUNT | IN_Q_OVERFLOW | IN_IGNORED | IN_ONLYDIR | \
		  IN_DONT_FOLLOW | IN_EXCL_UNLINK | IN_MASK_CREATE | IN_MASK_ADD | IN_ISDIR | \
		  IN_ONESHOT)
/* Events a directory's watch also receives for its children. */
#define CHILD_EVENTS (IN_ACCESS | IN_MODIFY | IN_ATTRIB | IN_CLOSE_WRITE | IN_CLOSE_NOWRITE | \
		      IN_OPEN)

struct inotify_mark {
	struct inotify_mark *next_on_inode;
	struct inotify_mark *next_in_group; /* dnotify: on dn_marks */
	struct inotify *in;       /* NULL: a dnotify mark (F_NOTIFY) */
	struct inode *inode;      /* a reference */
	int wd;                   /* dnotify: the descriptor F_NOTIFY came through (si_fd) */
	uint32_t mask;            /* events, IN_ONESHOT, IN_EXCL_UNLINK; dnotify: IN_* and
				   * DN_RENAME_EV for its DN_* bits, DN_MULTISHOT */
	struct file *dn_file;     /* dnotify: the directory's open file (not a reference) */
	void *dn_owner;           /* dnotify: the fd table it was set through */
};

/* dnotify's DN_RENAME: an entry renamed within the directory (Linux FS_DN_RENAME), sent
 * by vfs_rename as fsnotify_name(dir, name, FSN_DN_RENAME); no inotify watch takes it. */
static struct inotify_mark *dn_marks;

struct ievent {
	struct ievent *next;
	int wd;
	uint32_t mask, cookie, len; /* len: the padded name length */
	char name[];
};

struct inotify {
	struct waitq wq;
	struct ievent *head, *tail;
	unsigned nevents;
	size_t bytes;
	bool overflow_queued;
	struct inotify_mark *marks;
	int last_wd;
};

unsigned long inotify_nmarks;
static unsigned ninstances;
static uint32_t next_cookie;

static const struct file_ops inotify_fops;

static struct inotify *
inotify_of(struct file *f)
{
	return f->fops == &inotify_fops ? f->inode->priv : NULL;
}

static void
inotify_fdinfo(struct file *f, struct sbuf *b, const struct pid_ns *ns)
{
	struct inotify *in = inotify_of(f);

	if (!in)
		return;
	/* Linux inotify_fdinfo: the kernel's dev_t (major << 20 | minor), the mark's mask
	 * with its flags, and the inode's file handle (inode number, generation 0) */
	for (struct inotify_mark *m = in->marks; m; m = m->next_in_group) {
		uint32_t ino32 = (uint32_t)m->inode->ino;
		const unsigned char *h = (const unsigned char *)&ino32;

		sbuf_printf(b, "inotify wd:%x ino:%lx sdev:%x mask:%x ignored_mask:0 "
			    "fhandle-bytes:8 fhandle-type:1 f_handle:%02x%02x%02x%02x00000000\n",
			    m->wd, (unsigned long)m->inode->ino,
			    inode_kdev(m->inode), m->mask, h[0], h[1], h[2], h[3]);
	}
}

/* ---- the queue ---- */

static bool
same_event(const struct ievent *e, int wd, uint32_t mask, const char *name)
{
	if (e->mask & IN_IGNORED || e->wd != wd || e->mask != mask)
		return false;
	if (!name || !name[0])
		return e->len == 0;
	return e->len && !strcmp(e->name, name);
}

static void
queue_event(struct inotify *in, int wd, uint32_t mask, uint32_t cookie, const char *name)
{
	size_t nlen = name && name[0] ? strlen(name) : 0;
	uint32_t len = nlen ? (nlen + sizeof(struct inotify_event)) & ~(sizeof(struct inotify_event) - 1) : 0;
	struct ievent *e;

	if (in->nevents >= INOTIFY_MAX_EVENTS) {
		if (in->overflow_queued)
			return;
		in->overflow_queued = true;
		wd = -1;
		mask = IN_Q_OVERFLOW;
		cookie = 0;
		len = 0;
	} else if (in->tail && same_event(in->tail, wd, mask, name)) {
		return;
	}
	e = xcalloc(1, sizeof(*e) + len);
	e->wd = wd;
	e->mask = mask;
	e->cookie = cookie;
	e->len = len;
	if (len)
		memcpy(e->name, name, nlen);
	if (in->tail)
		in->tail->next = e;
	else
		in->head = e;
	in->tail = e;
	in->nevents++;
	in->bytes += sizeof(struct inotify_event) + len;
	waitq_wake(&in->wq);
}

static struct ievent *
dequeue(struct inotify *in)
{
	struct ievent *e = in->head;

	in->head = e->next;
	if (!in->head)
		in->tail = NULL;
	in->nevents--;
	in->bytes -= sizeof(struct inotify_event) + e->len;
	if (e->mask == IN_Q_OVERFLOW)
		in->overflow_queued = false;
	return e;
}

/* ---- marks ---- */

static struct inotify_mark *
find_mark(struct inotify *in, struct inode *i)
{
	for (struct inotify_mark *m = i->marks; m; m = m->next_on_inode)
		if (m->in == in)
			return m;
	return NULL;
}

/* Unlinks m from its inode and instance and frees it; ignored: queue IN_IGNORED. */
static void
destroy_mark(struct inotify_mark *m, bool ignored)
{
	struct inotify *in = m->in;
	struct inode *ino = m->inode;

	for (struct inotify_mark **pp = &ino->marks; *pp; pp = &(*pp)->next_on_inode) {
		if (*pp == m) {
			*pp = m->next_on_inode;
			break;
		}
	}
	for (struct inotify_mark **pp = in ? &in->marks : &dn_marks; *pp;
	     pp = &(*pp)->next_in_group) {
		if (*pp == m) {
			*pp = m->next_in_group;
			break;
		}
	}
	if (ignored && in)
		queue_event(in, m->wd, IN_IGNORED, 0, NULL);
	inotify_nmarks--;
	free(m);
	iput(ino);
}

static int
alloc_wd(struct inotify *in)
{
	for (int tries = 0; tries < INOTIFY_MAX_WATCHES + 1; tries++) {
		int wd = in->last_wd >= INT_MAX ? 1 : in->last_wd + 1;
		bool used = false;

		in->last_wd = wd;
		for (struct inotify_mark *m = in->marks; m && !used; m = m->next_in_group)
			used = m->wd == wd;
		if (!used)
			return wd;
	}
	return -ENOSPC;
}

/* ---- delivery ---- */

/* Sends one event to mark m: the event's type must be in its mask. */
static void
deliver(struct inotify_mark *m, uint32_t mask, uint32_t cookie, const char *name)
{
	if (!m->in) { /* dnotify: the file's owner gets its signal (si_code POLL_MSG) */
		if (!(m->mask & mask & (IN_ALL_EVENTS | FSN_DN_RENAME)))
			return;
		fasync_notify(m->dn_file, m->wd);
		if (!(m->mask & DN_MULTISHOT))
			destroy_mark(m, false);
		return;
	}
	if (!(m->mask & mask & IN_ALL_EVENTS))
		return;
	queue_event(m->in, m->wd, mask & ~FSN_DN_RENAME, cookie, name);
	if (m->mask & IN_ONESHOT)
		destroy_mark(m, true);
}

/* Every mark on i gets the event (the list may shrink under us: IN_ONESHOT). */
static void
deliver_all(struct inode *i, uint32_t mask, uint32_t cookie, const char *name, bool unlinked)
{
	struct inotify_mark *m = i->marks, *next;

	for (; m; m = next) {
		next = m->next_on_inode;
		if (unlinked && (m->mask & IN_EXCL_UNLINK))
			continue;
		deliver(m, mask, cookie, name);
	}
}

static uint32_t
isdir(struct inode *i)
{
	return S_ISDIR(i->mode) ? IN_ISDIR : 0;
}

/* An event on d's inode that its directory's watches also see, named (fsnotify_parent):
 * per instance the directory's watch first, then the inode's own. */
static void
notify_with_parent(struct dentry *d, uint32_t mask, bool from_file)
{
	struct inode *i = d->inode;
	struct dentry *parent = d->parent;
	bool unlinked = from_file && d->deleted;

	mask |= isdir(i);
	if (parent && parent->inode && parent->inode->marks && parent->inode != i)
		deliver_all(parent->inode, mask, 0, d->name, unlinked);
	if (i->marks)
		deliver_all(i, mask, 0, NULL, unlinked);
}

void
fsnotify_file_(struct file *f, uint32_t mask)
{
	if (!f->path.d || !f->inode || (f->flags & O_PATH) || f->path.d->inode != f->inode)
		return;
	notify_with_parent(f->path.d, mask, true);
}

void
fsnotify_dentry_(struct dentry *d, uint32_t mask)
{
	if (d->inode)
		notify_with_parent(d, mask, false);
}

void
fsnotify_inode_(struct inode *i, uint32_t mask)
{
	if (mask & (IN_MOVE_SELF | IN_DELETE_SELF))
		deliver_all(i, mask, 0, NULL, false);
	else
		deliver_all(i, mask | isdir(i), 0, NULL, false);
}

void
fsnotify_name_(struct inode *dir, const char *name, uint32_t mask, uint32_t cookie)
{
	deliver_all(dir, mask, cookie, name, false);
}

uint32_t
fsnotify_cookie(void)
{
	return ++next_cookie ? next_cookie : ++next_cookie;
}

/* The inode's last name is gone and only its watches hold it: IN_DELETE_SELF, then the
 * watches end (IN_IGNORED), which drops the inode. */
static void
fsnotify_inode_gone(struct inode *i)
{
	struct inotify_mark *m;

	iget(i);
	deliver_all(i, IN_DELETE_SELF, 0, NULL, false);
	while ((m = i->marks))
		destroy_mark(m, true);
	iput(i);
}

/* iput hook: refs is what remains; is everything left a watch on an unlinked inode? */
void
fsnotify_iput(struct inode *i)
{
	int nmarks = 0;

	if (i->nlink != 0 || !i->marks)
		return;
	for (struct inotify_mark *m = i->marks; m; m = m->next_on_inode)
		nmarks++;
	if (i->refs == nmarks)
		fsnotify_inode_gone(i);
}

/* ---- the instance file ---- */

static ssize_t
inotify_read(struct file *f, void *buf, size_t n, off_t *pos)
{
	struct inotify *in = inotify_of(f);
	size_t done = 0;

	if (!in->head)
		return -EAGAIN;
	while (in->head) {
		struct ievent *e = in->head;
		struct inotify_event hdr = { e->wd, e->mask, e->cookie, e->len };
		size_t sz = sizeof(hdr) + e->len;

		if (sz > n - done)
			break;
		dequeue(in);
		memcpy((char *)buf + done, &hdr, sizeof(hdr));
		memcpy((char *)buf + done + sizeof(hdr), e->name, e->len);
		done += sz;
		free(e);
	}
	return done ? (ssize_t)done : -EINVAL;
}

static short
inotify_poll(struct file *f, short events)
{
	return inotify_of(f)->head ? POLLIN | POLLRDNORM : 0;
}

static struct waitq *
inotify_waitq(struct file *f)
{
	return &inotify_of(f)->wq;
}

static long
inotify_ioctl(struct file *f, unsigned long cmd, void *arg)
{
	if (cmd != FIONREAD)
		return -ENOTTY;
	*(int *)arg = (int)MIN(inotify_of(f)->bytes, INT_MAX);
	return 0;
}

static const struct file_ops inotify_fops = {
	.read = inotify_read,
	.read_zero = true,
	.llseek = noop_llseek,
	.ioctl = inotify_ioctl,
	.poll = inotify_poll,
	.waitq = inotify_waitq,
	.fdinfo = inotify_fdinfo,
};

static void
inotify_free(struct inode *i)
{
	struct inotify *in = i->priv;

	waitq_wake(&in->wq); /* sleepers re-run and find the fd gone */
	while (in->marks)
		destroy_mark(in->marks, false);
	while (in->head)
		free(dequeue(in));
	free(in);
	ninstances--;
}

int
vfs_inotify_init(struct task *t, int flags, struct file **out)
{
	struct inotify *in;

	if (flags & ~(IN_NONBLOCK | IN_CLOEXEC))
		return -EINVAL;
	if (ninstances >= INOTIFY_MAX_INSTANCES)
		return -EMFILE;
	in = xcalloc(1, sizeof(*in));
	ninstances++;
	*out = anon_file("inotify", &inotify_fops, in, inotify_free,
			 O_RDONLY | (flags & IN_NONBLOCK));
	return 0;
}

int
vfs_inotify_add_watch(struct task *t, struct file *f, const char *path, uint32_t mask)
{
	struct inotify *in;
	struct inotify_mark *m;
	struct path p;
	int err, at = (mask & IN_DONT_FOLLOW) ? AT_SYMLINK_NOFOLLOW : 0;

	if (!(mask & ARG_BITS))
		return -EINVAL;
	if ((mask & IN_MASK_ADD) && (mask & IN_MASK_CREATE))
		return -EINVAL;
	in = inotify_of(f);
	if (!in)
		return -EINVAL;
	err = vfs_resolve_at(t, NULL, path, at, &p);
	if (err)
		return err;
	if ((mask & IN_ONLYDIR) && !S_ISDIR(p.d->inode->mode))
		err = -ENOTDIR;
	else
		err = inode_permission(t, p.d->inode, MAY_READ);
	if (err)
		goto out;
	m = find_mark(in, p.d->inode);
	if (m) {
		if (mask & IN_MASK_CREATE) {
			err = -EEXIST;
			goto out;
		}
		if (!(mask & IN_MASK_ADD))
			m->mask = 0;
		m->mask |= mask & (IN_ALL_EVENTS | IN_ONESHOT | IN_EXCL_UNLINK);
		err = m->wd;
		goto out;
	}
	if ((long)inotify_nmarks >= INOTIFY_MAX_WATCHES) {
		err = -ENOSPC;
		goto out;
	}
	err = alloc_wd(in);
	if (err < 0)
		goto out;
	m = xcalloc(1, sizeof(*m));
	m->in = in;
	m->inode = iget(p.d->inode);
	m->wd = err;
	m->mask = mask & (IN_ALL_EVENTS | IN_ONESHOT | IN_EXCL_UNLINK);
	m->next_on_inode = m->inode->marks;
	m->inode->marks = m;
	m->next_in_group = in->marks;
	in->marks = m;
	inotify_nmarks++;
out:
	path_put(&p);
	return err;
}

/* ---- dnotify (fcntl F_NOTIFY), Linux fs/notify/dnotify: a mark per (open directory,
 * fd table) on the directory's inode; events on the directory itself and on its entries
 * signal the file's owner, once or (DN_MULTISHOT) until the descriptor is closed ---- */

static uint32_t
dn_events(unsigned long arg)
{
	uint32_t m = 0;

	if (arg & DN_ACCESS)
		m |= IN_ACCESS;
	if (arg & DN_MODIFY)
		m |= IN_MODIFY;
	if (arg & DN_CREATE)
		m |= IN_CREATE | IN_MOVED_TO;
	if (arg & DN_DELETE)
		m |= IN_DELETE | IN_MOVED_FROM;
	if (arg & DN_RENAME)
		m |= FSN_DN_RENAME;
	if (arg & DN_ATTRIB)
		m |= IN_ATTRIB;
	return m | (uint32_t)(arg & DN_MULTISHOT);
}

void
dnotify_close(struct file *f, void *owner)
{
	struct inotify_mark *m, *next;

	for (m = dn_marks; m; m = next) {
		next = m->next_in_group;
		if (m->dn_file == f && (!owner || m->dn_owner == owner))
			destroy_mark(m, false);
	}
}

long
vfs_dnotify(struct task *t, struct file *f, int fd, unsigned long arg)
{
	struct inotify_mark *m;
	void *owner = t->fdt;

	arg &= 0xffffffffUL;
	if (!sysctl_value(SYSCTL_DIR_NOTIFY)) /* fs.dir-notify-enable 0: even removal fails */
		return -EINVAL;
	if ((arg & ~(unsigned long)DN_MULTISHOT) == 0) {
		dnotify_close(f, owner);
		return 0;
	}
	if (!f->inode || !S_ISDIR(f->inode->mode))
		return -ENOTDIR;
	for (m = dn_marks; m; m = m->next_in_group)
		if (m->dn_file == f && m->dn_owner == owner)
			break;
	if (m) {
		m->wd = fd;
		m->mask |= dn_events(arg);
	} else {
		m = xcalloc(1, sizeof(*m));
		m->inode = iget(f->inode);
		m->wd = fd;
		m->mask = dn_events(arg);
		m->dn_file = f;
		m->dn_owner = owner;
		m->next_on_inode = m->inode->marks;
		m->inode->marks = m;
		m->next_in_group = dn_marks;
		dn_marks = m;
		inotify_nmarks++;
	}
	/* Linux __f_setown(filp, the caller's process) */
	f->owner = t->tgid;
	f->owner_type = F_OWNER_PID;
	return 0;
}

int
vfs_inotify_rm_watch(struct file *f, int wd)
{
	struct inotify *in = inotify_of(f);

	if (!in)
		return -EINVAL;
	for (struct inotify_mark *m = in->marks; m; m = m->next_in_group) {
		if (m->wd == wd) {
			destroy_mark(m, true);
			return 0;
		}
	}
	return -EINVAL;
}
