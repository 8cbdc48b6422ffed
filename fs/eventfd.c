/*
 * eventfd: a 64-bit counter. read takes it all (or 1 with EFD_SEMAPHORE) and gives
 * -EAGAIN at zero; write adds and gives -EAGAIN when the sum would pass 2^64 - 2.
 * Blocking is the syscall layer's: it waits on the counter's queue, woken on every change.
 */
#include <poll.h>
#include <stdint.h>
#include <string.h>
#include <sys/eventfd.h>

#include "fs/internal.h"
#include "sentry/sentry.h"

#define EFD_MAX (UINT64_MAX - 1)

struct eventfd {
	struct waitq wq;
	uint64_t count;
	bool semaphore;
	int id; /* fdinfo's eventfd-id: the lowest not in use (Linux's eventfd_ida) */
};

/* The ids in use, one bit each */
static unsigned long *ids;
static int ids_words;

static int
id_alloc(void)
{
	for (int w = 0;; w++) {
		if (w == ids_words) {
			ids = xrealloc(ids, (size_t)(w + 8) * sizeof(*ids));
			memset(ids + w, 0, 8 * sizeof(*ids));
			ids_words = w + 8;
		}
		if (~ids[w]) {
			int bit = __builtin_ctzl(~ids[w]);
			ids[w] |= 1UL << bit;
			return w * 64 + bit;
		}
	}
}

static void
id_free(int id)
{
	ids[id / 64] &= ~(1UL << (id % 64));
}

static struct eventfd *
efd_of(struct file *f)
{
	return f->inode->priv;
}

static ssize_t
efd_read(struct file *f, void *buf, size_t n, off_t *pos)
{
	struct eventfd *e = efd_of(f);
	uint64_t v;

	if (n < sizeof(v))
		return -EINVAL;
	if (e->count == 0)
		return -EAGAIN;
	v = e->semaphore ? 1 : e->count;
	e->count -= v;
	memcpy(buf, &v, sizeof(v));
	waitq_wake(&e->wq);
	return sizeof(v);
}

static ssize_t
efd_write(struct file *f, const void *buf, size_t n, off_t *pos)
{
	struct eventfd *e = efd_of(f);
	uint64_t v;

	if (n != sizeof(v)) /* Linux 6.x; older kernels took longer writes */
		return -EINVAL;
	memcpy(&v, buf, sizeof(v));
	if (v == UINT64_MAX)
		return -EINVAL;
	if (v > EFD_MAX - e->count)
		return -EAGAIN;
	e->count += v;
	if (v)
		waitq_wake(&e->wq);
	return sizeof(v);
}

static short
efd_poll(struct file *f, short events)
{
	struct eventfd *e = efd_of(f);
	short mask = 0;

	if (e->count > 0)
		mask |= POLLIN | POLLRDNORM;
	if (e->count == UINT64_MAX)
		mask |= POLLERR;
	if (e->count < EFD_MAX)
		mask |= POLLOUT | POLLWRNORM;
	return mask;
}

static struct waitq *
efd_waitq(struct file *f)
{
	return &efd_of(f)->wq;
}

/* Linux eventfd_show_fdinfo */
static void
efd_fdinfo(struct file *f, struct sbuf *b, const struct pid_ns *ns)
{
	struct eventfd *e = efd_of(f);

	sbuf_printf(b, "eventfd-count: %16llx\neventfd-id: %d\neventfd-semaphore: %d\n",
		    (unsigned long long)e->count, e->id, e->semaphore);
}

static const struct file_ops efd_fops = {
	.fdinfo = efd_fdinfo,
	.read = efd_read,
	.write = efd_write,
	.llseek = noop_llseek,
	.poll = efd_poll,
	.waitq = efd_waitq,
	.wakes_tell = true,
	.read_min = sizeof(uint64_t),
	.write_min = sizeof(uint64_t),
};

static void
efd_free(struct inode *i)
{
	struct eventfd *e = i->priv;

	waitq_wake(&e->wq); /* sleepers re-run and find the fd gone */
	id_free(e->id);
	free(e);
}

int
vfs_eventfd(struct task *t, unsigned int initval, int flags, struct file **out)
{
	struct eventfd *e;

	if (flags & ~(EFD_SEMAPHORE | EFD_NONBLOCK | EFD_CLOEXEC))
		return -EINVAL;
	e = xcalloc(1, sizeof(*e));
	e->count = initval;
	e->semaphore = flags & EFD_SEMAPHORE;
	e->id = id_alloc();
	*out = anon_file("[eventfd]", &efd_fops, e, efd_free, O_RDWR | (flags & EFD_NONBLOCK));
	return 0;
}

bool
vfs_is_eventfd(struct file *f)
{
	return f->fops == &efd_fops;
}

void
vfs_eventfd_signal(struct file *f, uint64_t n)
{
	struct eventfd *e;

	if (!vfs_is_eventfd(f) || !n)
		return;
	e = efd_of(f);
	e->count = n > UINT64_MAX - e->count ? UINT64_MAX : e->count + n;
	waitq_wake(&e->wq);
}
