/*
 * Pipes, in memory, with Linux's layout: a ring of page-sized slots (16 by default, so
 * 64 KiB). A write first tops up the last slot with its sub-page remainder when that fits,
 * then fills new slots, so a write of at most PIPE_BUF bytes is all or nothing, and the
 * capacity seen by small writes matches Linux's. O_DIRECT writes make packets: one slot
 * each, read back one per read, the unread rest of a packet discarded.
 *
 * Reads and writes never block here: an empty pipe with writers, or a full one with
 * readers, gives -EAGAIN and the syscall layer waits on the pipe's queue (file_waitq),
 * which every state change wakes. Readers and writers are counted per open file
 * description, so descriptors shared by dup or fork keep an end open until the last one
 * goes (release).
 */
#include <limits.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>

#include "fs/internal.h"
#include "sentry/sentry.h"

#define PIPE_DEF_SLOTS 16
#define PIPE_MAX_SIZE ((unsigned long)sysctl_value(SYSCTL_PIPE_MAX_SIZE)) /* root can change it */
#define PIPE_ROOT_MAX_SIZE (64UL << 20)  /* our own bound for privileged callers */

struct pipe_slot {
	char *page;
	unsigned int off, len;
	bool packet;
};

struct pipe {
	struct waitq wq;
	struct pipe_slot *slots;
	unsigned int nslots;      /* a power of two */
	unsigned int head, tail;  /* slots used: head - tail (free-running) */
	size_t bytes;
	int readers, writers;
	unsigned int r_counter, w_counter; /* opens for reading / writing so far (FIFOs) */
	bool fifo;                /* a FIFO's: freed when its last reader and writer go */
};

static struct pseudo_fs pipefs = { .fstype = "pipefs" };
static const struct file_ops pipe_fops;
static bool is_pipe(struct file *f);

static struct pipe *
pipe_of(struct file *f)
{
	return f->inode->i_pipe;
}

static bool
readable(struct file *f)
{
	int acc = f->flags & O_ACCMODE;

	return acc == O_RDONLY || acc == O_RDWR;
}

static bool
writable(struct file *f)
{
	int acc = f->flags & O_ACCMODE;

	return acc == O_WRONLY || acc == O_RDWR;
}

static struct pipe_slot *
slot(struct pipe *p, unsigned int i)
{
	return &p->slots[i & (p->nslots - 1)];
}

static bool
pipe_full(struct pipe *p)
{
	return p->head - p->tail >= p->nslots;
}

static ssize_t
pipe_read(struct file *f, void *buf, size_t n, off_t *pos)
{
	struct pipe *p = pipe_of(f);
	size_t done = 0;
	unsigned int tail0 = p->tail;

	if (p->head == p->tail)
		return p->writers ? -EAGAIN : 0;
	while (done < n && p->head != p->tail) {
		struct pipe_slot *s = slot(p, p->tail);
		size_t c = MIN(s->len, n - done);
		bool packet = s->packet;

		memcpy((char *)buf + done, s->page + s->off, c);
		s->off += c;
		s->len -= c;
		done += c;
		p->bytes -= c;
		if (packet) { /* the rest of a packet is dropped */
			p->bytes -= s->len;
			s->len = 0;
		}
		if (s->len == 0) {
			free(s->page);
			mem_uncharge(PAGE_SIZE);
			memset(s, 0, sizeof(*s));
			p->tail++;
		}
		if (packet)
			break;
	}
	vfs_timestamp(&f->inode->atime);
	/* Linux pipe_read wakes only when a slot was freed: a partly read page gives writers
	 * no room, and edge-triggered epoll sees no new event */
	if (p->tail != tail0)
		waitq_wake(&p->wq);
	return done;
}

/* Copies up to PAGE_SIZE bytes into a new slot; false when the pipe is full. */
static bool
add_slot(struct pipe *p, const char *src, size_t c, bool packet)
{
	struct pipe_slot *s;

	if (pipe_full(p))
		return false;
	s = slot(p, p->head);
	s->page = xmalloc(PAGE_SIZE);
	mem_charge_force(PAGE_SIZE); /* counted toward --memory, never refused */
	memcpy(s->page, src, c);
	s->off = 0;
	s->len = c;
	s->packet = packet;
	p->head++;
	p->bytes += c;
	return true;
}

/* The sub-page remainder of a write of n bytes goes into p's last slot (pipe_write). */
static bool
merges(struct pipe *p, size_t n)
{
	size_t chars = n & (PAGE_SIZE - 1);
	struct pipe_slot *last = slot(p, p->head - 1);

	return chars && p->head != p->tail && !last->packet &&
	       last->off + last->len + chars <= PAGE_SIZE;
}

static ssize_t
pipe_write(struct file *f, const void *buf, size_t n, off_t *pos)
{
	struct pipe *p = pipe_of(f);
	bool packet = f->flags & O_DIRECT;
	size_t chars = n & (PAGE_SIZE - 1), done = 0;
	const char *src = buf;

	if (!p->readers)
		return -EPIPE;
	if (n == 0)
		return 0;
	if (merges(p, n)) {
		struct pipe_slot *last = slot(p, p->head - 1);

		memcpy(last->page + last->off + last->len, src, chars);
		last->len += chars;
		p->bytes += chars;
		done = chars;
	}
	while (done < n && add_slot(p, src + done, MIN(n - done, PAGE_SIZE), packet))
		done += MIN(n - done, PAGE_SIZE);
	if (done == 0)
		return -EAGAIN;
	inode_touch(f->inode, true, true);
	waitq_wake(&p->wq);
	return done;
}

static long
pipe_ioctl(struct file *f, unsigned long cmd, void *arg)
{
	if (cmd != FIONREAD)
		return -ENOTTY;
	*(int *)arg = (int)MIN(pipe_of(f)->bytes, INT_MAX);
	return 0;
}

static short
pipe_poll(struct file *f, short events)
{
	struct pipe *p = pipe_of(f);
	short mask = 0;

	if (readable(f)) {
		if (p->head != p->tail)
			mask |= POLLIN | POLLRDNORM;
		/* a FIFO reader opened without writers sees no hangup until one came */
		if (!p->writers && (uintptr_t)f->priv != p->w_counter)
			mask |= POLLHUP;
	}
	if (writable(f)) {
		if (!pipe_full(p))
			mask |= POLLOUT | POLLWRNORM;
		if (!p->readers)
			mask |= POLLERR;
	}
	return mask;
}

static struct waitq *
pipe_waitq(struct file *f)
{
	return &pipe_of(f)->wq;
}

static void pipe_destroy(struct pipe *p);

/* Drops a reader and/or writer; a FIFO's pipe goes with its last one (its data too). */
static void
pipe_unref(struct inode *ino, bool reader, bool writer)
{
	struct pipe *p = ino->i_pipe;

	if (reader)
		p->readers--;
	if (writer)
		p->writers--;
	waitq_wake(&p->wq);
	if (p->fifo && !p->readers && !p->writers) {
		ino->i_pipe = NULL;
		pipe_destroy(p);
	}
}

static void
pipe_release(struct file *f)
{
	pipe_unref(f->inode, readable(f), writable(f));
}

static const struct file_ops pipe_fops = {
	.read = pipe_read,
	.write = pipe_write,
	.llseek = no_llseek,
	.ioctl = pipe_ioctl,
	.poll = pipe_poll,
	.waitq = pipe_waitq,
	.wakes_tell = true,
	.release = pipe_release,
};

/* Reopening an anonymous pipe through /proc/self/fd/N: another reader or writer of the
 * same pipe, never waiting for the other end (Linux fifo_open with is_pipe). */
static int
pipe_open(struct task *t, struct file *f)
{
	struct pipe *p = f->inode->i_pipe;

	if (readable(f)) {
		p->readers++;
		p->r_counter++;
	}
	if (writable(f)) {
		p->writers++;
		p->w_counter++;
	}
	f->fops = &pipe_fops;
	waitq_wake(&p->wq);
	return 0;
}

static const struct inode_ops pipe_iops = {
	.open = pipe_open,
	.setattr = pseudo_setattr,
};

static void
pipe_destroy(struct pipe *p)
{
	waitq_wake(&p->wq); /* sleepers re-run and find the fd gone */
	for (unsigned int n = p->tail; n != p->head; n++) {
		free(slot(p, n)->page);
		mem_uncharge(PAGE_SIZE);
	}
	free(p->slots);
	free(p);
}

static void
pipe_free(struct inode *i)
{
	pipe_destroy(i->i_pipe);
	i->i_pipe = NULL;
}

static struct pipe *
pipe_alloc(void)
{
	struct pipe *p = xcalloc(1, sizeof(*p));

	p->nslots = PIPE_DEF_SLOTS;
	p->slots = xcalloc(p->nslots, sizeof(*p->slots));
	return p;
}

int
vfs_pipe(struct task *t, int flags, struct file *ends[2])
{
	struct pipe *p;
	struct inode *ino;
	char name[32];

	if (flags & ~(O_NONBLOCK | O_DIRECT))
		return -EINVAL;
	p = pipe_alloc();
	p->readers = p->writers = 1;
	p->r_counter = p->w_counter = 1;
	ino = pseudo_inode(&pipefs, S_IFIFO | 0600, t ? task_fsuid(t) : 0, t ? task_fsgid(t) : 0);
	ino->iops = &pipe_iops;
	ino->fops = &pipe_fops;
	ino->i_pipe = p;
	ino->free_priv = pipe_free;
	snprintf(name, sizeof(name), "pipe:[%lu]", (unsigned long)ino->ino);
	ends[0] = pseudo_file(&pipefs, ino, name, &pipe_fops, O_RDONLY | flags);
	ends[1] = pseudo_file_again(ends[0], O_WRONLY | flags);
	return 0;
}

static bool
is_pipe(struct file *f)
{
	return f->fops == &pipe_fops && !(f->flags & O_PATH);
}

ssize_t
file_pipe_tee(struct file *in, struct file *out, size_t len)
{
	if (!is_pipe(in) || !is_pipe(out))
		return -EINVAL;
	struct pipe *ip = pipe_of(in), *op = pipe_of(out);
	size_t done = 0;

	if (ip == op)
		return -EINVAL;
	if (!op->readers)
		return -EPIPE;
	if (ip->head == ip->tail)
		return ip->writers ? -EAGAIN : 0;
	if (pipe_full(op))
		return -EAGAIN;
	/* each unread slot (or the first len bytes of it) becomes a slot of the output */
	for (unsigned int i = ip->tail; i != ip->head && done < len && !pipe_full(op); i++) {
		struct pipe_slot *s = slot(ip, i);
		size_t c = MIN(s->len, len - done);
		add_slot(op, s->page + s->off, c, s->packet);
		done += c;
	}
	inode_touch(out->inode, true, true);
	waitq_wake(&op->wq);
	return done;
}

long
file_pipe_size(struct file *f)
{
	if (!is_pipe(f))
		return -EBADF;
	return (long)pipe_of(f)->nslots * PAGE_SIZE;
}

long
file_pipe_room(struct file *f)
{
	if (!is_pipe(f))
		return -EBADF;
	struct pipe *p = pipe_of(f);
	return pipe_full(p) ? 0 : (long)(p->nslots - (p->head - p->tail)) * PAGE_SIZE;
}

size_t
file_pipe_fault_cut(struct file *f, size_t n, size_t have)
{
	size_t first = 0;

	if (!is_pipe(f) || have >= n)
		return have;
	if (merges(pipe_of(f), n)) {
		first = n & (PAGE_SIZE - 1);
		if (have < first)
			return 0;
	}
	return first + (have - first) / PAGE_SIZE * PAGE_SIZE;
}

/* Moves the used slots, oldest first, into a ring of nslots. */
static void
resize_ring(struct pipe *p, unsigned int nslots)
{
	struct pipe_slot *slots = xcalloc(nslots, sizeof(*slots));
	unsigned int used = p->head - p->tail;

	for (unsigned int i = 0; i < used; i++)
		slots[i] = *slot(p, p->tail + i);
	free(p->slots);
	p->slots = slots;
	p->nslots = nslots;
	p->tail = 0;
	p->head = used;
}

long
file_set_pipe_size(struct file *f, unsigned long size, bool privileged)
{
	struct pipe *p;
	unsigned long nslots = 1;

	if (!is_pipe(f))
		return -EBADF;
	p = pipe_of(f);
	size = (unsigned int)size; /* the kernel takes an unsigned int */
	if (size > (1UL << 31))
		return -EINVAL;
	while (nslots * PAGE_SIZE < size)
		nslots <<= 1;
	if (nslots > p->nslots && nslots * PAGE_SIZE > PIPE_MAX_SIZE && !privileged)
		return -EPERM;
	if (nslots * PAGE_SIZE > PIPE_ROOT_MAX_SIZE)
		return -ENOMEM;
	if (nslots < p->head - p->tail)
		return -EBUSY;
	if (nslots != p->nslots) {
		resize_ring(p, nslots);
		waitq_wake(&p->wq);
	}
	return (long)nslots * PAGE_SIZE;
}

/* ---- FIFOs: named pipes on a filesystem ----
 * Opening one (Linux fifo_open): O_RDONLY waits until a writer has opened it (unless
 * O_NONBLOCK), O_WRONLY waits for a reader (O_NONBLOCK without one: ENXIO), O_RDWR never
 * waits. A waiting opener already counts as a reader or writer. It keeps its half-open
 * file across the re-runs of its open (fifo_open_resume) and undoes it when interrupted. */

struct fifo_wait {
	struct fifo_wait *next;
	struct task *t;
	struct file *f;           /* a reference; its fops stay path_fops until it completes */
	bool reader;
	unsigned int counter;     /* the partner's open counter when it started waiting */
};
static struct fifo_wait *fifo_waits;

static struct fifo_wait *
fifo_wait_take(struct task *t)
{
	for (struct fifo_wait **pp = &fifo_waits; *pp; pp = &(*pp)->next) {
		if ((*pp)->t == t) {
			struct fifo_wait *w = *pp;
			*pp = w->next;
			return w;
		}
	}
	return NULL;
}

/* The open was interrupted (or the task exits): it stops counting as a reader or writer. */
static void
fifo_cancel(struct task *t)
{
	struct fifo_wait *w = fifo_wait_take(t);

	if (!w)
		return;
	pipe_unref(w->f->inode, w->reader, !w->reader);
	file_put(w->f);
	free(w);
}

static int
fifo_wait(struct task *t, struct file *f, struct pipe *p, bool reader)
{
	struct fifo_wait *w = xcalloc(1, sizeof(*w));

	w->t = t;
	w->f = file_get(f);
	w->reader = reader;
	w->counter = reader ? p->w_counter : p->r_counter;
	w->next = fifo_waits;
	fifo_waits = w;
	t->wait_cancel = fifo_cancel;
	task_wait_on(t, &p->wq);
	return VFS_BLOCK;
}

int
fifo_open(struct task *t, struct file *f)
{
	struct inode *ino = f->inode;
	struct pipe *p = ino->i_pipe;
	bool nonblock = f->flags & O_NONBLOCK;

	if (!p) {
		p = ino->i_pipe = pipe_alloc();
		p->fifo = true;
	}
	switch (f->flags & O_ACCMODE) {
	case O_RDONLY:
		p->r_counter++;
		p->readers++;
		waitq_wake(&p->wq);
		if (!p->writers) {
			if (nonblock)
				f->priv = (void *)(uintptr_t)p->w_counter; /* no POLLHUP yet */
			else if (t)
				return fifo_wait(t, f, p, true);
		}
		break;
	case O_WRONLY:
		if (nonblock && !p->readers) {
			if (!p->writers) { /* nobody else holds it open */
				ino->i_pipe = NULL;
				pipe_destroy(p);
			}
			return -ENXIO;
		}
		p->w_counter++;
		p->writers++;
		waitq_wake(&p->wq);
		if (!p->readers && t)
			return fifo_wait(t, f, p, false);
		break;
	default:
		p->readers++;
		p->writers++;
		p->r_counter++;
		p->w_counter++;
		waitq_wake(&p->wq);
		break;
	}
	f->fops = &pipe_fops;
	return 0;
}

int
fifo_open_resume(struct task *t, struct file **out)
{
	struct fifo_wait *w = fifo_wait_take(t);
	struct pipe *p;

	if (!w)
		return 0;
	p = w->f->inode->i_pipe;
	if ((w->reader ? p->w_counter : p->r_counter) == w->counter) {
		w->next = fifo_waits; /* no partner yet: wait on */
		fifo_waits = w;
		task_wait_on(t, &p->wq);
		return VFS_BLOCK;
	}
	t->wait_cancel = NULL;
	*out = w->f;
	(*out)->fops = &pipe_fops;
	(*out)->notify_close = true;
	fsnotify_file(*out, IN_OPEN);
	free(w);
	return 1;
}
