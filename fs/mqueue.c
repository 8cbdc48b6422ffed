/*
 * POSIX message queues (Linux ipc/mqueue.c): a flat name table of queues per IPC
 * namespace (sentry/ns.h), each an inode
 * of the "mqueue" pseudo filesystem whose descriptors poll (POLLIN: a message is there,
 * POLLOUT: there is room) and read as Linux's status line. Messages are kept by priority
 * (highest first, FIFO within one). Blocking is the syscall layer's (sys_mqueue.c): it
 * waits on the queue's waitq, woken at every change.
 */
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <utlist.h>

#include "fs/internal.h"
#include "sentry/ns.h"
#include "sentry/sentry.h"

#define MQ_PRIO_MAX_ 32768
#define MQ_MSG_MAX sysctl_value(SYSCTL_MQ_MSG_MAX) /* /proc/sys/fs/mqueue */
#define MQ_MSGSIZE_MAX sysctl_value(SYSCTL_MQ_MSGSIZE_MAX)
#define MQ_HARD_MSGMAX 65536
#define MQ_HARD_MSGSIZEMAX (16 * 1024 * 1024)
#define MQ_QUEUES_MAX sysctl_value(SYSCTL_MQ_QUEUES)

struct mq_msg {
	unsigned int prio;
	size_t len;
	struct mq_msg *prev, *next;
	char data[];
};

struct mqueue {
	struct ns_common *ns;     /* the IPC namespace whose name table has it */
	char name[NAME_MAX + 1];
	struct inode *ino;        /* the name table's reference (NULL once unlinked) */
	long maxmsg, msgsize, curmsgs;
	unsigned long bytes;      /* charged: against RLIMIT_MSGQUEUE of uid and --memory */
	uid_t owner;              /* whose RLIMIT_MSGQUEUE */
	struct mq_msg *msgs;
	struct waitq wq;
	/* mq_notify: a process (by pid) and what it gets */
	int notify_pid;
	struct sigevent notify;
	int notify_uid;
	struct file *notify_sock;  /* SIGEV_THREAD: the netlink socket (a reference) */
	unsigned char cookie[32];
	struct mqueue *next;      /* in the name table */
};

static struct pseudo_fs mqfs = { .fstype = "mqueue" };
static void drop_name(struct mqueue *q);
static const struct inode_ops mq_iops;

/* Tasks blocked in mq_timedreceive, by queue: a message sent to an empty queue then goes
 * to one of them, and no notification is sent (Linux's pipelined send). */
static struct mq_receiver {
	struct task *t;
	struct mqueue *q;
	struct mq_receiver *next;
} *receivers;
static struct mqueue *queues;  /* every namespace's, each with its own */

/* bytes of RLIMIT_MSGQUEUE used, per uid */
static struct mq_user {
	uid_t uid;
	unsigned long bytes;
	struct mq_user *next;
} *users;

static struct mq_user *
user_of(uid_t uid)
{
	struct mq_user *u;

	LL_FOREACH(users, u)
		if (u->uid == uid)
			return u;
	u = xcalloc(1, sizeof(*u));
	u->uid = uid;
	LL_PREPEND(users, u);
	return u;
}

static struct mqueue *
mq_of(struct file *f)
{
	return f->inode->priv;
}

bool
vfs_is_mq(struct file *f)
{
	return f && f->inode && f->inode->sb == mqfs.sb && mqfs.sb;
}

static struct mqueue *
find(struct ns_common *ns, const char *name)
{
	struct mqueue *q;

	LL_FOREACH(queues, q)
		if (q->ns == ns && !strcmp(q->name, name))
			return q;
	return NULL;
}

static int
count_queues(struct ns_common *ns)
{
	struct mqueue *q;
	int n = 0;

	LL_FOREACH(queues, q)
		n += q->ns == ns;
	return n;
}

/* The IPC namespace of a mounted mqueue filesystem (its root directory's), or NULL. */
static struct ns_common *
dir_ns(struct inode *dir)
{
	return dir ? dir->priv : NULL;
}

static void
mq_free(struct inode *i)
{
	struct mqueue *q = i->priv;
	struct mq_msg *m, *tmp;

	struct mq_receiver *r;
	if (q->notify_sock)
		file_put(q->notify_sock);
	LL_FOREACH(receivers, r) /* (none can wait on it: each holds a descriptor) */
		if (r->q == q)
			r->q = NULL;
	DL_FOREACH_SAFE(q->msgs, m, tmp) {
		DL_DELETE(q->msgs, m);
		free(m);
	}
	user_of(q->owner)->bytes -= q->bytes;
	mem_uncharge(q->bytes);
	waitq_wake(&q->wq);
	free(q);
}

static short
mq_poll(struct file *f, short events)
{
	struct mqueue *q = mq_of(f);
	short mask = 0;

	if (q->curmsgs)
		mask |= POLLIN | POLLRDNORM;
	if (q->curmsgs < q->maxmsg)
		mask |= POLLOUT | POLLWRNORM;
	return mask;
}

static struct waitq *
mq_waitq(struct file *f)
{
	return &mq_of(f)->wq;
}

/* Linux's status line: QSIZE (bytes queued), NOTIFY, SIGNO, NOTIFY_PID. */
static ssize_t
mq_read(struct file *f, void *buf, size_t n, off_t *pos)
{
	struct mqueue *q = mq_of(f);
	struct mq_msg *m;
	unsigned long qsize = 0;
	char line[128];

	DL_FOREACH(q->msgs, m)
		qsize += m->len;
	int len = snprintf(line, sizeof(line), "QSIZE:%-10lu NOTIFY:%-5d SIGNO:%-5d NOTIFY_PID:%-6d\n",
			   qsize, q->notify_pid ? q->notify.sigev_notify : 0,
			   q->notify_pid && q->notify.sigev_notify == SIGEV_SIGNAL ?
				   q->notify.sigev_signo : 0,
			   q->notify_pid);
	if (*pos >= len)
		return 0;
	size_t k = MIN(n, (size_t)(len - *pos));
	memcpy(buf, line + *pos, k);
	*pos += k;
	return k;
}

static const struct file_ops mq_fops = {
	.read = mq_read,
	.llseek = noop_llseek,
	.poll = mq_poll,
	.waitq = mq_waitq,
	.pread_ok = true, /* (an open of a file: FMODE_PREAD; the status line at the offset) */
};

static int
may_open(struct task *t, struct inode *i, int acc)
{
	int want = (acc == O_RDONLY ? 4 : acc == O_WRONLY ? 2 : 6);
	int m = i->mode;

	if (t->euid == 0)
		return 0;
	if (t->euid == i->uid)
		m >>= 6;
	else if (task_in_group(t, i->gid))
		m >>= 3;
	return (m & want & 7) == want ? 0 : -EACCES;
}

static int
check_name(const char *name)
{
	if (!name[0])
		return -ENOENT;
	if (strlen(name) > NAME_MAX)
		return -ENAMETOOLONG;
	if (strchr(name, '/') || !strcmp(name, ".") || !strcmp(name, ".."))
		return -EACCES;
	return 0;
}

/* Checks the attributes (or the defaults when attr is NULL) and makes the queue. */
static int
create(struct task *t, const char *name, mode_t mode, const long *attr, struct mqueue **out)
{
	/* Linux: the defaults, bounded by the maxima */
	long maxmsg = MIN(sysctl_value(SYSCTL_MQ_MSG_DEFAULT), MQ_MSG_MAX);
	long msgsize = MIN(sysctl_value(SYSCTL_MQ_MSGSIZE_DEFAULT), MQ_MSGSIZE_MAX);
	bool cap = t->euid == 0;

	if (attr) {
		maxmsg = attr[0];
		msgsize = attr[1];
		if (maxmsg <= 0 || msgsize <= 0)
			return -EINVAL;
		if (cap ? (maxmsg > MQ_HARD_MSGMAX || msgsize > MQ_HARD_MSGSIZEMAX)
			: (maxmsg > MQ_MSG_MAX || msgsize > MQ_MSGSIZE_MAX))
			return -EINVAL;
	}
	if (count_queues(ns_of(t, NS_IPC)) >= MQ_QUEUES_MAX && !cap)
		return -ENOSPC;
	unsigned long bytes = (unsigned long)maxmsg * (unsigned long)msgsize +
			      (unsigned long)maxmsg * 48 + (unsigned long)MIN(maxmsg, MQ_PRIO_MAX_) * 40;
	struct mq_user *u = user_of(t->euid);
	unsigned long lim = sentry.rlim[RLIMIT_MSGQUEUE].rlim_cur;
	if (u->bytes + bytes < u->bytes || u->bytes + bytes > lim)
		return -EMFILE;
	if (mem_charge(bytes))
		return -ENOMEM;
	struct mqueue *q = xcalloc(1, sizeof(*q));
	snprintf(q->name, sizeof(q->name), "%s", name);
	q->ns = ns_of(t, NS_IPC);
	q->maxmsg = maxmsg;
	q->msgsize = msgsize;
	q->bytes = bytes;
	q->owner = t->euid;
	u->bytes += bytes;
	q->ino = pseudo_inode(&mqfs, S_IFREG | (mode & 0777 & ~t->fs->umask), t->euid, t->egid);
	q->ino->priv = q;
	q->ino->free_priv = mq_free;
	q->ino->fops = &mq_fops; /* (opened by name in a mounted mqueue filesystem) */
	q->ino->iops = &mq_iops;
	q->ino->size = 80;        /* Linux's FILENT_SIZE: what a read of it may give */
	q->ino->nlink = 1;
	LL_PREPEND(queues, q);
	*out = q;
	return 0;
}

int
vfs_mq_open(struct task *t, const char *name, int oflag, mode_t mode, const long *attr,
	    struct file **out)
{
	int acc = oflag & O_ACCMODE;
	struct mqueue *q;
	int err = check_name(name);

	if (err)
		return err;
	q = find(ns_of(t, NS_IPC), name);
	if (q && (oflag & O_CREAT) && (oflag & O_EXCL))
		return -EEXIST;
	if (!q && !(oflag & O_CREAT))
		return -ENOENT;
	if (!q) {
		err = create(t, name, mode, attr, &q);
		if (err)
			return err;
	} else {
		if (acc == O_ACCMODE) /* (a new queue takes it: a descriptor for neither) */
			return -EINVAL;
		err = may_open(t, q->ino, acc);
		if (err)
			return err;
	}
	char path[NAME_MAX + 2];
	snprintf(path, sizeof(path), "/%s", name);
	*out = pseudo_file(&mqfs, iget(q->ino), path, &mq_fops, acc | (oflag & O_NONBLOCK));
	return 0;
}

int
vfs_mq_unlink(struct task *t, const char *name)
{
	int err = check_name(name);
	struct mqueue *q;

	if (err)
		return err;
	q = find(ns_of(t, NS_IPC), name);
	if (!q)
		return -ENOENT;
	/* the queues' directory is sticky (01777): only the owner or root removes one */
	if (t->euid != 0 && t->euid != q->ino->uid)
		return -EPERM;
	drop_name(q);
	return 0;
}

/* ---- the filesystem mounted (mount -t mqueue): the queues as files of its root ---- */

static int
mqdir_lookup(struct dentry *dir, const char *name, struct inode **out)
{
	struct mqueue *q = find(dir_ns(dir->inode), name);

	if (!q)
		return -ENOENT;
	*out = iget(q->ino);
	return 0;
}

/* The VFS checked the directory's permissions (sticky, 01777). */
static int
mqdir_unlink(struct dentry *dir, struct dentry *d)
{
	struct mqueue *q = find(dir_ns(dir->inode), d->name);

	if (!q || q->ino != d->inode)
		return -ENOENT;
	drop_name(q);
	return 0;
}

/* open(O_CREAT) in the directory makes a queue with the default attributes (mode already
 * masked by the VFS); other kinds of file are EPERM, as Linux's mqueue directory. */
static int
mqdir_create(struct dentry *dir, struct dentry *d, mode_t mode, dev_t rdev, uid_t uid, gid_t gid)
{
	struct task *t = current_task;
	struct mqueue *q;

	(void)rdev;
	if (!S_ISREG(mode) || !t || !t->fs)
		return -EPERM;
	if (dir_ns(dir->inode) != ns_of(t, NS_IPC))
		return -EPERM; /* (created in the caller's namespace only) */
	int err = check_name(d->name);
	if (!err)
		err = create(t, d->name, 0, NULL, &q);
	if (err)
		return err;
	q->ino->mode = S_IFREG | (mode & 07777);
	q->ino->uid = uid;
	q->ino->gid = gid;
	d->inode = iget(q->ino);
	return 0;
}

static int
mqdir_refuse(void)
{
	return -EPERM;
}

static int
mqdir_symlink(struct dentry *dir, struct dentry *d, const char *target, uid_t uid, gid_t gid)
{
	return mqdir_refuse();
}

static int
mqdir_link(struct dentry *old, struct dentry *dir, struct dentry *d)
{
	return mqdir_refuse();
}

static int
mqdir_rename(struct dentry *odir, struct dentry *od, struct dentry *ndir, struct dentry *nd,
	     unsigned flags)
{
	return mqdir_refuse();
}

static const struct inode_ops mqdir_iops = {
	.lookup = mqdir_lookup,
	.create = mqdir_create,
	.symlink = mqdir_symlink,
	.link = mqdir_link,
	.unlink = mqdir_unlink,
	.rename = mqdir_rename,
};

/* A queue's attributes change as a file's (Linux simple_setattr): a truncate sets the
 * size it shows, nothing else. */
static int
mq_setattr(struct dentry *d, const struct iattr *ia)
{
	inode_set_attrs(d->inode, ia);
	if (ia->valid & ATTR_SIZE)
		d->inode->size = ia->size;
	return 0;
}

static const struct inode_ops mq_iops = {
	.setattr = mq_setattr,
};

/* ".", "..", then the queues, newest first (positions 3 on). */
static ssize_t
mqdir_getdents64(struct file *f, void *buf, size_t n)
{
	size_t used = 0;
	ssize_t r = dcache_emit_dots(f, buf, n, &used);
	off_t pos = 2;
	struct mqueue *q;

	if (r <= 0)
		return r < 0 ? r : (ssize_t)used;
	LL_FOREACH(queues, q) {
		if (q->ns != dir_ns(f->inode))
			continue;
		if (++pos <= f->pos)
			continue;
		if (vfs_emit_dirent(buf, n, &used, q->ino->ino, pos, DT_REG, q->name))
			return used ? (ssize_t)used : -EINVAL;
		f->pos = pos;
	}
	return (ssize_t)used;
}

static const struct file_ops mqdir_fops = {
	.getdents64 = mqdir_getdents64,
	.pread_ok = true,
};

static void
mq_dir_free(struct inode *i)
{
	ns_put(i->priv);
}

struct super_block *
mqueue_new_sb(const char *source)
{
	struct super_block *sb = sb_new("mqueue", source, SB_NOCACHE | SB_NOCACHE_CREATE);

	sb->root = d_alloc(NULL, "/");
	sb->root->sb = sb;
	sb->root->inode = inode_new(sb, S_IFDIR | 01777, 0, 0);
	sb->root->inode->iops = &mqdir_iops;
	sb->root->inode->fops = &mqdir_fops;
	sb->root->inode->nlink = 2;
	/* Linux mq_fill_super: the queues of the mounter's IPC namespace, which it keeps */
	sb->root->inode->priv = ns_get(ns_of(current_task, NS_IPC));
	sb->root->inode->free_priv = mq_dir_free;
	return sb;
}

/* An IPC namespace's last user left: its queues' names go (open ones live on). */
void
vfs_mq_ns_exit(struct ns_common *ns)
{
	struct mqueue *q, *tmp;

	LL_FOREACH_SAFE(queues, q, tmp)
		if (q->ns == ns)
			drop_name(q);
}

/* The name goes from the table; the queue lives on while descriptors remain. */
static void
drop_name(struct mqueue *q)
{
	LL_DELETE(queues, q);
	struct inode *i = q->ino;
	q->ino = NULL;
	i->nlink = 0;
	iput(i); /* the queue goes with its last descriptor */
}

static bool
receiver_waits(struct mqueue *q)
{
	struct mq_receiver *r;

	LL_FOREACH(receivers, r)
		if (r->q == q)
			return true;
	return false;
}

static void
receiver_cancel(struct task *t)
{
	struct mq_receiver *r, *tmp;

	LL_FOREACH_SAFE(receivers, r, tmp)
		if (r->t == t) {
			LL_DELETE(receivers, r);
			free(r);
		}
}

void
vfs_mq_receiver_waits(struct task *t, struct file *f)
{
	struct mq_receiver *r;

	LL_FOREACH(receivers, r)
		if (r->t == t)
			break;
	if (!r) {
		r = xcalloc(1, sizeof(*r));
		r->t = t;
		LL_PREPEND(receivers, r);
	}
	r->q = mq_of(f);
	t->wait_cancel = receiver_cancel;
}

/* Ends a registration: a SIGEV_THREAD one tells its socket how (1 woken, 2 removed). */
static void
notify_end(struct mqueue *q, unsigned char how)
{
	q->notify_pid = 0;
	if (q->notify_sock) {
		q->cookie[31] = how;
		sock_netlink_deliver(q->notify_sock, q->cookie, sizeof(q->cookie));
		file_put(q->notify_sock);
		q->notify_sock = NULL;
	}
}

static void
notify(struct task *t, struct mqueue *q)
{
	struct task *l = task_lookup(q->notify_pid);
	siginfo_t si;

	if (q->notify.sigev_notify == SIGEV_SIGNAL && q->notify.sigev_signo && l &&
	    l->state != TASK_ZOMBIE) {
		memset(&si, 0, sizeof(si));
		si.si_signo = q->notify.sigev_signo;
		si.si_code = SI_MESGQ;
		si.si_value = q->notify.sigev_value;
		si.si_pid = t->tgid;
		si.si_uid = userns_uid_out(l, t->uid); /* as the registrant's namespace sees it */
		sig_fixup_uid(&si, t, l);
		task_send_signal(l, si.si_signo, &si, true);
	}
	notify_end(q, 1);
}

int
vfs_mq_send(struct task *t, struct file *f, const void *buf, size_t len, unsigned int prio)
{
	struct mqueue *q;
	struct mq_msg *m, *at;

	if (!vfs_is_mq(f) || ((f->flags & O_ACCMODE) != O_WRONLY && (f->flags & O_ACCMODE) != O_RDWR))
		return -EBADF;
	q = mq_of(f);
	if (len > (size_t)q->msgsize)
		return -EMSGSIZE;
	if (q->curmsgs >= q->maxmsg)
		return -EAGAIN;
	m = xmalloc(sizeof(*m) + len + 1);
	m->prio = prio;
	m->len = len;
	memcpy(m->data, buf, len);
	/* before the first message of a lower priority */
	DL_FOREACH(q->msgs, at)
		if (at->prio < prio)
			break;
	if (at)
		DL_PREPEND_ELEM(q->msgs, at, m);
	else
		DL_APPEND(q->msgs, m);
	q->curmsgs++;
	if (q->curmsgs == 1 && q->notify_pid && !receiver_waits(q))
		notify(t, q);
	waitq_wake(&q->wq);
	return 0;
}

ssize_t
vfs_mq_receive(struct task *t, struct file *f, void *buf, size_t len, unsigned int *prio)
{
	struct mqueue *q;
	struct mq_msg *m;

	if (!vfs_is_mq(f) || ((f->flags & O_ACCMODE) != O_RDONLY && (f->flags & O_ACCMODE) != O_RDWR))
		return -EBADF;
	q = mq_of(f);
	if (len < (size_t)q->msgsize)
		return -EMSGSIZE;
	m = q->msgs;
	if (!m)
		return -EAGAIN;
	DL_DELETE(q->msgs, m);
	q->curmsgs--;
	size_t n = m->len;
	memcpy(buf, m->data, n);
	*prio = m->prio;
	free(m);
	waitq_wake(&q->wq);
	return (ssize_t)n;
}

int
vfs_mq_notify(struct task *t, struct file *f, const struct sigevent *ev)
{
	struct mqueue *q;

	if (!vfs_is_mq(f))
		return -EBADF;
	q = mq_of(f);
	if (!ev) {
		if (q->notify_pid == t->tgid)
			notify_end(q, 2);
		return 0;
	}
	if (q->notify_pid) {
		struct task *l = task_lookup(q->notify_pid);
		if (l && l->state != TASK_ZOMBIE)
			return -EBUSY;
		notify_end(q, 2);
	}
	q->notify_pid = t->tgid;
	q->notify = *ev;
	return 0;
}

int
vfs_mq_notify_thread(struct task *t, struct file *f, struct file *sock,
		     const unsigned char cookie[32])
{
	struct sigevent ev = { .sigev_notify = SIGEV_THREAD };
	int err;

	if (!vfs_is_mq(f))
		return -EBADF;
	err = vfs_mq_notify(t, f, &ev);
	if (err)
		return err;
	struct mqueue *q = mq_of(f);
	q->notify_sock = file_get(sock);
	memcpy(q->cookie, cookie, sizeof(q->cookie));
	return 0;
}

void
mq_close_flush(struct file *f)
{
	if (vfs_is_mq(f) && current_task && mq_of(f)->notify_pid == current_task->tgid)
		notify_end(mq_of(f), 2);
}

int
vfs_mq_getsetattr(struct file *f, const long *newflags, long old[4])
{
	struct mqueue *q;

	if (!vfs_is_mq(f))
		return -EBADF;
	q = mq_of(f);
	old[0] = f->flags & O_NONBLOCK;
	old[1] = q->maxmsg;
	old[2] = q->msgsize;
	old[3] = q->curmsgs;
	if (newflags) {
		if (*newflags & ~O_NONBLOCK)
			return -EINVAL;
		f->flags = (f->flags & ~O_NONBLOCK) | (*newflags & O_NONBLOCK);
	}
	return 0;
}
