/*
 * Advisory file locks, as Linux has them:
 *  - flock(2) locks belong to an open file description: dup'ed and inherited descriptors
 *    share them; they go with the description's last close. A conversion drops the old
 *    lock first (not atomic, as on Linux).
 *  - POSIX record locks (fcntl F_SETLK) belong to a descriptor table, i.e. a process and
 *    its CLONE_FILES threads: a process never conflicts with itself, its ranges split and
 *    merge, and closing any descriptor of the file drops all of them on that file.
 *  - OFD locks (F_OFD_SETLK) are record locks owned by the open file description.
 * POSIX and OFD locks share one list per inode and conflict with each other; flock locks
 * live apart. A blocking request sleeps on the inode's queue and re-runs when a lock of
 * that inode goes away; a POSIX request whose wait would close a cycle of waiting lock
 * owners fails with EDEADLK (Linux's posix_locks_deadlock, OFD locks excluded).
 */
#include <limits.h>
#include <string.h>
#include <sys/file.h>
#include <sys/sysmacros.h>

#include "fs/internal.h"
#include "sentry/ns.h"
#include "sentry/sentry.h"

#define LOCK_EOF LLONG_MAX          /* Linux OFFSET_MAX: "to the end of the file" */
#define LOCKS_MAX 65536             /* locks per inode; more gives ENOLCK */
#define DEADLK_MAX_STEPS 10         /* Linux MAX_DEADLK_ITERATIONS */

struct file_lock {
	struct file_lock *next;
	void *owner;              /* POSIX: struct fdtable; OFD and flock: struct file */
	const struct file *via;   /* the file it was set through (fdinfo; never dereferenced) */
	off_t start, end;         /* inclusive */
	short type;               /* F_RDLCK / F_WRLCK */
	bool ofd;
	int pid;                  /* the locker's pid, for F_GETLK and /proc/locks */
	unsigned long long seq;   /* order of creation: /proc/locks lists the newest first */
};

struct lock_ctx {
	struct waitq wq;          /* woken whenever a lock goes away or is downgraded */
	struct file_lock *posix;  /* POSIX and OFD: grouped by owner, each group sorted by start */
	struct file_lock *flocks;
	unsigned n;
	struct inode *inode;
	struct lock_ctx *next, **pprev; /* all_ctx: every inode that has had locks */
};
static struct lock_ctx *all_ctx;
static unsigned long long lock_seq;

/* A POSIX request that waits: its owner waits for blocker (deadlock detection). */
struct lock_waiter {
	struct lock_waiter *next;
	struct task *t;
	void *owner, *blocker;
};
static struct lock_waiter *lock_waiters;

static struct lock_ctx *
ctx_of(struct inode *i)
{
	if (!i->locks) {
		struct lock_ctx *c = xcalloc(1, sizeof(*c));

		c->inode = i;
		c->next = all_ctx;
		if (all_ctx)
			all_ctx->pprev = &c->next;
		c->pprev = &all_ctx;
		all_ctx = c;
		i->locks = c;
	}
	return i->locks;
}

static void
free_list(struct file_lock *l)
{
	while (l) {
		struct file_lock *next = l->next;
		free(l);
		l = next;
	}
}

void
locks_inode_free(struct inode *i)
{
	struct lock_ctx *c = i->locks;

	if (!c)
		return;
	waitq_wake(&c->wq); /* sleepers re-run and find their descriptor gone */
	free_list(c->posix);
	free_list(c->flocks);
	*c->pprev = c->next;
	if (c->next)
		c->next->pprev = c->pprev;
	free(c);
	i->locks = NULL;
}

/* ---- waiting requests ---- */

static void
waiter_forget(struct task *t)
{
	for (struct lock_waiter **pp = &lock_waiters; *pp; pp = &(*pp)->next) {
		if ((*pp)->t == t) {
			struct lock_waiter *w = *pp;
			*pp = w->next;
			free(w);
			return;
		}
	}
}

static void
waiter_cancel(struct task *t)
{
	waiter_forget(t);
}

/* Sleeps on the inode's queue until a lock goes away; a POSIX request also records whom
 * it waits for. */
static int
lock_wait(struct task *t, struct lock_ctx *c, void *owner, void *blocker, bool posix)
{
	if (!t)
		return -EAGAIN;
	waiter_forget(t);
	if (posix) {
		struct lock_waiter *w = xcalloc(1, sizeof(*w));
		w->t = t;
		w->owner = owner;
		w->blocker = blocker;
		w->next = lock_waiters;
		lock_waiters = w;
	}
	t->wait_cancel = waiter_cancel;
	task_wait_on(t, &c->wq);
	return VFS_BLOCK;
}

static void
lock_done(struct task *t)
{
	if (t && t->wait_cancel == waiter_cancel) {
		waiter_forget(t);
		t->wait_cancel = NULL;
	}
}

/* Would owner waiting for blocker close a cycle? Follows what each owner waits for. */
static bool
posix_deadlock(void *owner, void *blocker)
{
	for (int steps = 0; steps <= DEADLK_MAX_STEPS; steps++) {
		struct lock_waiter *w;

		for (w = lock_waiters; w && w->owner != blocker; w = w->next)
			;
		if (!w)
			return false;
		blocker = w->blocker;
		if (blocker == owner)
			return true;
	}
	return false;
}

/* ---- record locks ---- */

static bool
ranges_overlap(off_t s1, off_t e1, off_t s2, off_t e2)
{
	return s1 <= e2 && s2 <= e1;
}

/* The first lock in the way of req; an F_UNLCK request (F_OFD_GETLK may ask) finds the
 * owner's own locks instead, as Linux's posix_test_locks_conflict. */
static struct file_lock *
posix_conflict(struct lock_ctx *c, const struct file_lock *req)
{
	for (struct file_lock *l = c->posix; l; l = l->next) {
		if (!ranges_overlap(l->start, l->end, req->start, req->end))
			continue;
		if (req->type == F_UNLCK) {
			if (l->owner == req->owner)
				return l;
			continue;
		}
		if (l->owner == req->owner)
			continue;
		if (l->type == F_WRLCK || req->type == F_WRLCK)
			return l;
	}
	return NULL;
}

static struct file_lock *
lock_new(const struct file_lock *tmpl, off_t start, off_t end)
{
	struct file_lock *l = xmalloc(sizeof(*l));

	*l = *tmpl;
	l->next = NULL;
	l->start = start;
	l->end = end;
	l->seq = ++lock_seq;
	return l;
}

/* Inserts l in its owner's group, sorted by start; a new owner goes last. */
static void
posix_insert(struct lock_ctx *c, struct file_lock *l)
{
	struct file_lock **pp = &c->posix, **group_end = NULL;

	for (; *pp; pp = &(*pp)->next) {
		if ((*pp)->owner != l->owner) {
			if (group_end)
				break;
			continue;
		}
		if ((*pp)->start > l->start)
			break;
		group_end = &(*pp)->next;
	}
	l->next = *pp;
	*pp = l;
	c->n++;
}

/* Removes [start, end] from owner's locks, splitting those that stick out. Returns
 * true when something was removed. */
static bool
posix_punch(struct lock_ctx *c, void *owner, off_t start, off_t end)
{
	struct file_lock **pp = &c->posix, *split = NULL;
	bool changed = false;

	while (*pp) {
		struct file_lock *l = *pp;

		if (l->owner != owner || !ranges_overlap(l->start, l->end, start, end)) {
			pp = &l->next;
			continue;
		}
		changed = true;
		if (l->start < start && l->end > end) { /* a hole in the middle */
			split = lock_new(l, end + 1, l->end);
			l->end = start - 1;
			pp = &l->next;
		} else if (l->start < start) {
			l->end = start - 1;
			pp = &l->next;
		} else if (l->end > end) {
			l->start = end + 1;
			pp = &l->next;
		} else {
			*pp = l->next;
			free(l);
			c->n--;
		}
	}
	if (split)
		posix_insert(c, split);
	return changed;
}

/* Takes the owner's same-type neighbour touching [*start, *end] into the range. */
static void
posix_absorb(struct lock_ctx *c, const struct file_lock *req, off_t *start, off_t *end)
{
	struct file_lock **pp = &c->posix;

	while (*pp) {
		struct file_lock *l = *pp;
		bool left = l->end != LOCK_EOF && l->end + 1 == *start;
		bool right = *end != LOCK_EOF && *end + 1 == l->start;

		if (l->owner == req->owner && l->type == req->type && (left || right)) {
			*start = MIN(*start, l->start);
			*end = MAX(*end, l->end);
			*pp = l->next;
			free(l);
			c->n--;
			continue;
		}
		pp = &l->next;
	}
}

/* Applies a request that conflicts with nobody: the owner's locks over the range are
 * replaced (F_UNLCK: removed), touching locks of the same type merged. */
static int
posix_apply(struct lock_ctx *c, const struct file_lock *req)
{
	off_t start = req->start, end = req->end;
	bool removed;

	if (c->n + 2 > LOCKS_MAX)
		return -ENOLCK;
	removed = posix_punch(c, req->owner, start, end);
	if (req->type != F_UNLCK) {
		posix_absorb(c, req, &start, &end);
		posix_insert(c, lock_new(req, start, end));
	}
	if (removed)
		waitq_wake(&c->wq); /* a downgrade or unlock may let others in */
	return 0;
}

/* Linux flock_to_posix_lock: the byte range [*start, *end] that fl describes for f. */
static int
flock_range(struct file *f, const struct flock *fl, off_t *start, off_t *end)
{
	off_t base = file_whence_base(f, fl->l_whence, f->inode ? f->inode->size : 0);

	if (base < 0)
		return base;
	if (fl->l_start > LOCK_EOF - base)
		return -EOVERFLOW;
	*start = base + fl->l_start;
	if (*start < 0)
		return -EINVAL;
	if (fl->l_len > 0) {
		if (fl->l_len - 1 > LOCK_EOF - *start)
			return -EOVERFLOW;
		*end = *start + fl->l_len - 1;
	} else if (fl->l_len < 0) {
		*end = *start - 1;
		*start += fl->l_len;
		if (*start < 0)
			return -EINVAL;
	} else {
		*end = LOCK_EOF;
	}
	return 0;
}

static bool
is_ofd(unsigned int cmd)
{
	return cmd == F_OFD_GETLK || cmd == F_OFD_SETLK || cmd == F_OFD_SETLKW;
}

static int
fcntl_getlk(struct task *t, struct file *f, unsigned int cmd, struct flock *fl)
{
	struct file_lock req = { .type = fl->l_type }, *l;
	int err;

	if (cmd != F_OFD_GETLK && fl->l_type != F_RDLCK && fl->l_type != F_WRLCK)
		return -EINVAL;
	err = flock_range(f, fl, &req.start, &req.end);
	if (!err && fl->l_type != F_RDLCK && fl->l_type != F_WRLCK && fl->l_type != F_UNLCK)
		err = -EINVAL;
	if (err)
		return err;
	if (cmd == F_OFD_GETLK) {
		if (fl->l_pid != 0)
			return -EINVAL;
		req.owner = f;
	} else {
		req.owner = t ? (void *)t->fdt : NULL;
	}
	l = f->inode && f->inode->locks ? posix_conflict(f->inode->locks, &req) : NULL;
	if (!l) {
		fl->l_type = F_UNLCK;
		return 0;
	}
	fl->l_type = l->type;
	fl->l_whence = SEEK_SET;
	fl->l_start = l->start;
	fl->l_len = l->end == LOCK_EOF ? 0 : l->end - l->start + 1;
	/* the owner as the caller's pid namespace numbers it (0: not visible there) */
	fl->l_pid = l->ofd ? -1 : t ? task_vnr(t, l->pid) : l->pid;
	return 0;
}

static int
fcntl_setlk(struct task *t, struct file *f, unsigned int cmd, const struct flock *fl)
{
	int acc = f->flags & O_ACCMODE;
	bool ofd = is_ofd(cmd), wait = cmd == F_SETLKW || cmd == F_OFD_SETLKW;
	struct file_lock req = { .type = fl->l_type, .ofd = ofd }, *l;
	struct lock_ctx *c;
	int err;

	err = flock_range(f, fl, &req.start, &req.end);
	if (!err && fl->l_type != F_RDLCK && fl->l_type != F_WRLCK && fl->l_type != F_UNLCK)
		err = -EINVAL;
	if (err)
		return err;
	if ((fl->l_type == F_RDLCK && acc != O_RDONLY && acc != O_RDWR) ||
	    (fl->l_type == F_WRLCK && acc != O_WRONLY && acc != O_RDWR))
		return -EBADF;
	if (ofd && fl->l_pid != 0)
		return -EINVAL;
	if (!f->inode || !t)
		return 0; /* a host descriptor (stdio): nobody else can lock it here */
	req.owner = ofd ? (void *)f : (void *)t->fdt;
	req.via = f;
	req.pid = t->tgid;
	c = ctx_of(f->inode);
	if (req.type != F_UNLCK && (l = posix_conflict(c, &req))) {
		if (!wait) {
			lock_done(t);
			return -EAGAIN;
		}
		if (!ofd && posix_deadlock(req.owner, l->owner)) {
			lock_done(t);
			return -EDEADLK;
		}
		return lock_wait(t, c, req.owner, l->owner, !ofd);
	}
	lock_done(t);
	return posix_apply(c, &req);
}

int
vfs_fcntl_lock(struct task *t, struct file *f, unsigned int cmd, struct flock *fl)
{
	if (cmd == F_GETLK || cmd == F_OFD_GETLK)
		return fcntl_getlk(t, f, cmd, fl);
	return fcntl_setlk(t, f, cmd, fl);
}

/* The process whose descriptor table is owner closed a descriptor of f (Linux
 * locks_remove_posix): all its record locks on the file go. Not for an O_PATH
 * descriptor, which Linux's filp_close leaves out. */
void
file_locks_close(struct file *f, void *owner)
{
	struct lock_ctx *c = f->inode ? f->inode->locks : NULL;

	if (c && c->posix && !(f->flags & O_PATH) && posix_punch(c, owner, 0, LOCK_EOF))
		waitq_wake(&c->wq);
	mq_close_flush(f); /* a message queue's mq_notify registration goes too */
}

/* ---- flock ---- */

int
vfs_flock(struct task *t, struct file *f, int op, bool nonblock)
{
	short type = op == LOCK_SH ? F_RDLCK : op == LOCK_EX ? F_WRLCK : F_UNLCK;
	struct file_lock **pp, *l, tmpl = { .owner = f, .via = f, .type = type,
				     .pid = t ? t->tgid : 0 };
	struct lock_ctx *c;

	if (!f->inode)
		return 0;
	c = ctx_of(f->inode);
	for (pp = &c->flocks; *pp; pp = &(*pp)->next) {
		if ((*pp)->owner != f)
			continue;
		if ((*pp)->type == type) {
			lock_done(t);
			return 0;
		}
		l = *pp; /* a conversion: the old lock goes first */
		*pp = l->next;
		free(l);
		c->n--;
		waitq_wake(&c->wq);
		break;
	}
	if (type == F_UNLCK) {
		lock_done(t);
		return 0;
	}
	for (l = c->flocks; l; l = l->next) {
		if (l->type == F_WRLCK || type == F_WRLCK) {
			if (!nonblock)
				return lock_wait(t, c, f, l->owner, false);
			lock_done(t);
			return -EAGAIN;
		}
	}
	lock_done(t);
	if (c->n + 1 > LOCKS_MAX)
		return -ENOLCK;
	l = lock_new(&tmpl, 0, LOCK_EOF);
	l->next = c->flocks;
	c->flocks = l;
	c->n++;
	return 0;
}

/* The last reference to the open file description f is gone: its flock and OFD locks go. */
void
file_locks_release(struct file *f)
{
	struct lock_ctx *c = f->inode ? f->inode->locks : NULL;
	bool changed = false;

	if (!c)
		return;
	for (struct file_lock **pp = &c->flocks; *pp;) {
		struct file_lock *l = *pp;
		if (l->owner == f) {
			*pp = l->next;
			free(l);
			c->n--;
			changed = true;
		} else {
			pp = &l->next;
		}
	}
	changed |= posix_punch(c, f, 0, LOCK_EOF);
	if (changed)
		waitq_wake(&c->wq);
}

/* ---- /proc/locks ---- */

struct lock_row {
	const struct file_lock *l;
	const struct inode *inode;
	bool flock;
};

static int
row_newest_first(const void *a, const void *b)
{
	unsigned long long x = ((const struct lock_row *)a)->l->seq;
	unsigned long long y = ((const struct lock_row *)b)->l->seq;

	return x < y ? 1 : x > y ? -1 : 0;
}

/* One line as Linux's lock_get_status prints it; vnr: the owner's pid for the reader. */
static void
lock_line(struct sbuf *b, size_t id, const struct lock_row *r, int vnr)
{
	const struct file_lock *l = r->l;
	dev_t dev = r->inode->dev ? r->inode->dev : r->inode->sb->dev;

	sbuf_printf(b, "%zu: %s ADVISORY  %s %d %02x:%02x:%lu ", id,
		    r->flock ? "FLOCK " : l->ofd ? "OFDLCK" : "POSIX ",
		    l->type == F_WRLCK ? "WRITE" : "READ", vnr, major(dev), minor(dev),
		    (unsigned long)r->inode->ino);
	if (r->flock)
		sbuf_printf(b, "0 EOF\n");
	else if (l->end == LOCK_EOF)
		sbuf_printf(b, "%lld EOF\n", (long long)l->start);
	else
		sbuf_printf(b, "%lld %lld\n", (long long)l->start, (long long)l->end);
}

static size_t
collect_rows(struct lock_row *v, size_t max)
{
	size_t k = 0;

	for (struct lock_ctx *c = all_ctx; c; c = c->next) {
		for (struct file_lock *l = c->posix; l && k < max; l = l->next)
			v[k++] = (struct lock_row){ l, c->inode, false };
		for (struct file_lock *l = c->flocks; l && k < max; l = l->next)
			v[k++] = (struct lock_row){ l, c->inode, true };
	}
	return k;
}

/* /proc/PID/fdinfo/N's "lock:" lines: the locks set through f that belong to the table
 * owner (POSIX) or to f itself (OFD, flock), flock ones first, numbered from 1 (Linux
 * show_fd_locks). A POSIX lock never outlives its table's descriptors of the file. */
void
locks_fdinfo(struct file *f, const void *owner, const struct pid_ns *pidns, struct sbuf *b)
{
	struct lock_ctx *c = f->inode ? f->inode->locks : NULL;
	size_t id = 0;

	for (int flock = 1; c && flock >= 0; flock--) {
		for (struct file_lock *l = flock ? c->flocks : c->posix; l; l = l->next) {
			if (l->via != f || (l->owner != owner && l->owner != f))
				continue;
			struct lock_row r = { l, c->inode, flock };
			sbuf_printf(b, "lock:\t");
			lock_line(b, ++id, &r, l->ofd ? -1 : pidns_nr(pidns, l->pid));
		}
	}
}

/* /proc/locks: the locks held, newest first and numbered from 1 (Linux's global list
 * takes new locks at its head). The owner's pid is the reader's pidns number for it, -1
 * for OFD locks; a lock whose owner that namespace cannot see is left out and keeps its
 * number, as in Linux's locks_show. Requests waiting for a lock (Linux's "->" lines)
 * are not listed: the sentry keeps no record of what they ask for. */
void
locks_proc_text(const struct pid_ns *pidns, struct sbuf *b)
{
	size_t n = 0;

	for (struct lock_ctx *c = all_ctx; c; c = c->next)
		n += c->n;
	if (!n)
		return;
	struct lock_row *v = xcalloc(n, sizeof(*v));
	n = collect_rows(v, n);
	qsort(v, n, sizeof(*v), row_newest_first);
	for (size_t j = 0; j < n; j++) {
		int vnr = v[j].l->ofd ? -1 : pidns_nr(pidns, v[j].l->pid);

		if (vnr)
			lock_line(b, j + 1, &v[j], vnr);
	}
	free(v);
}
