/*
 * Linux native AIO: io_setup, io_submit, io_getevents (io_pgetevents), io_cancel, io_destroy.
 *
 * As on Linux, a context is a ring of completion events mapped into the guest (shared,
 * read-write, io_setup's handle is its address): a header (id, nr, head, tail, magic...)
 * then nr struct io_event. The sentry runs every request when it is submitted, without
 * waiting (a read of an empty pipe completes with -EAGAIN), and puts its completion in
 * the ring; io_getevents takes them from there (so a library reading the ring itself
 * works too) and waits, up to its timeout, for requests other threads submit.
 * The ring's id finds the context; mremap may move the ring (the new address is the
 * handle then), growing it is refused. IOCB_CMD_POLL is not supported (EINVAL).
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/aio_abi.h>
#include <poll.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>

#include "fs/vfs.h"
#include "sentry/sentry.h"
#include "sentry/util.h"
#include "syscalls/internal.h"

#define AIO_RING_MAGIC 0xa10a10a1U
#define AIO_PAGE 4096UL

struct aio_ring_hdr {
	unsigned id, nr, head, tail, magic, compat_features, incompat_features, header_length;
};

struct aio_ctx {
	struct aio_ctx *next;
	struct mm *mm;
	unsigned id;
	unsigned long addr;        /* the ring (the guest's handle) */
	size_t len;
	unsigned nr;               /* events the ring holds */
	unsigned max_reqs;         /* io_setup's nr (counted against fs.aio-max-nr) */
	unsigned tail;             /* the next event goes there (the ring's copy is the guest's) */
	struct waitq wq;           /* io_getevents waiting for completions */
};

static struct aio_ctx *contexts;
static unsigned next_id = 1;
static unsigned long aio_nr;       /* /proc/sys/fs/aio-nr */

unsigned long
aio_nr_reserved(void)
{
	return aio_nr;
}

static void
ctx_free(struct aio_ctx *c)
{
	for (struct aio_ctx **pp = &contexts; *pp; pp = &(*pp)->next) {
		if (*pp == c) {
			*pp = c->next;
			break;
		}
	}
	aio_nr -= c->max_reqs;
	waitq_wake(&c->wq);
	free(c);
}

void
aio_mm_drop(struct mm *mm)
{
	struct aio_ctx *c, *next;

	for (c = contexts; c; c = next) {
		next = c->next;
		if (c->mm == mm)
			ctx_free(c);
	}
}

/* The context whose ring is at handle (it may have been moved there by mremap); NULL when
 * the ring cannot be read there or names no context of t's address space (EINVAL). */
static struct aio_ctx *
ctx_lookup(struct task *t, unsigned long handle)
{
	unsigned id;
	struct aio_ctx *c;

	if (copy_from_guest(t, &id, handle, sizeof(id)) < 0)
		return NULL;
	for (c = contexts; c; c = c->next)
		if (c->id == id && c->mm == t->mm)
			break;
	if (!c)
		return NULL;
	if (c->addr != handle) {
		struct vma *v = mm_find_vma(t->mm, handle);

		if (!v || v->start != handle || v->end - v->start != c->len ||
		    !(v->flags & VMA_SHARED) || v->name)
			return NULL;
		c->addr = handle; /* mremap moved it */
	}
	return c;
}

SYSCALL(io_setup)
{
	unsigned nr_req = (unsigned)a->a[0];
	unsigned long handle;
	struct aio_ring_hdr h;
	unsigned n;
	size_t len;
	long addr;

	if (copy_from_guest(t, &handle, a->a[1], sizeof(handle)) < 0)
		return -EFAULT;
	if (handle || nr_req == 0)
		return -EINVAL;
	n = MAX(nr_req, 16U) * 2;
	if (nr_req > 0x10000000U / sizeof(struct io_event))
		return -EINVAL;
	/* Linux ioctx_alloc: over fs.aio-max-nr (root may lower it) is EAGAIN */
	unsigned long max = aio_max_nr();
	if (nr_req > max || aio_nr + nr_req > max)
		return -EAGAIN;
	len = (sizeof(h) + (size_t)n * sizeof(struct io_event) + AIO_PAGE - 1) & ~(AIO_PAGE - 1);
	n = (unsigned)((len - sizeof(h)) / sizeof(struct io_event));
	addr = mm_mmap(t, 0, len, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS);
	if (addr < 0)
		return addr == -ENOMEM ? -EAGAIN : addr;
	struct vma *v = mm_find_vma(t->mm, (unsigned long)addr);
	if (v)
		v->flags |= VMA_DONTEXPAND;
	memset(&h, 0, sizeof(h));
	h.id = next_id;
	h.nr = n;
	h.magic = AIO_RING_MAGIC;
	h.compat_features = 1;
	h.header_length = sizeof(h);
	handle = (unsigned long)addr;
	if (copy_to_guest(t, handle, &h, sizeof(h)) < 0 ||
	    copy_to_guest(t, a->a[1], &handle, sizeof(handle)) < 0) {
		mm_munmap(t, handle, len);
		return -EFAULT;
	}
	struct aio_ctx *c = xcalloc(1, sizeof(*c));
	c->mm = t->mm;
	c->id = next_id++;
	if (!next_id)
		next_id = 1;
	c->addr = handle;
	c->len = len;
	c->nr = n;
	c->max_reqs = nr_req;
	c->next = contexts;
	contexts = c;
	aio_nr += nr_req;
	return 0;
}

SYSCALL(io_destroy)
{
	struct aio_ctx *c = ctx_lookup(t, a->a[0]);

	if (!c)
		return -EINVAL;
	mm_munmap(t, c->addr, c->len);
	ctx_free(c);
	return 0;
}

/* The guest's head of the ring (bounded), or -EFAULT. */
static long
ring_head(struct task *t, struct aio_ctx *c)
{
	unsigned head;

	if (copy_from_guest(t, &head, c->addr + offsetof(struct aio_ring_hdr, head),
			    sizeof(head)) < 0)
		return -EFAULT;
	return head % c->nr;
}

static unsigned
ring_count(struct aio_ctx *c, unsigned head)
{
	return (c->tail + c->nr - head) % c->nr;
}

static void
complete(struct task *t, struct aio_ctx *c, const struct iocb *cb, unsigned long obj, long res,
	 struct file *resfd)
{
	struct io_event ev = { .data = cb->aio_data, .obj = obj, .res = res, .res2 = 0 };
	unsigned long slot = c->addr + sizeof(struct aio_ring_hdr) + (unsigned long)c->tail * sizeof(ev);

	if (copy_to_guest(t, slot, &ev, sizeof(ev)) == 0) {
		c->tail = (c->tail + 1) % c->nr;
		copy_to_guest(t, c->addr + offsetof(struct aio_ring_hdr, tail), &c->tail,
			      sizeof(c->tail));
	}
	if (resfd)
		vfs_eventfd_signal(resfd, 1);
	waitq_wake(&c->wq);
}

static long
submit_one(struct task *t, struct aio_ctx *c, unsigned long ucb)
{
	struct iocb cb;
	struct file *f, *resfd = NULL;
	unsigned key = 0;
	long head, res = 0, err;

	if (copy_from_guest(t, &cb, ucb, sizeof(cb)) < 0)
		return -EFAULT;
	if (cb.aio_reserved2 || (int64_t)cb.aio_nbytes < 0)
		return -EINVAL;
	if ((head = ring_head(t, c)) < 0)
		return -EINVAL;
	if (ring_count(c, (unsigned)head) + 1 >= c->nr)
		return -EAGAIN; /* as many completions unread as the ring holds */
	if (cb.aio_flags & IOCB_FLAG_RESFD) {
		resfd = sys_fd(t, (int)cb.aio_resfd);
		if (!resfd)
			return -EBADF;
		if (!vfs_is_eventfd(resfd))
			return -EINVAL;
	}
	if (copy_to_guest(t, ucb + offsetof(struct iocb, aio_key), &key, sizeof(key)) < 0)
		return -EFAULT;
	f = sys_fd(t, (int)cb.aio_fildes);
	if (!f)
		return -EBADF;
	if (cb.aio_rw_flags & ~(unsigned)(RWF_HIPRI | RWF_DSYNC | RWF_SYNC | RWF_NOWAIT | RWF_APPEND))
		return -EOPNOTSUPP;
	switch (cb.aio_lio_opcode) {
	case IOCB_CMD_PREAD:
	case IOCB_CMD_PWRITE:
	case IOCB_CMD_PREADV:
	case IOCB_CMD_PWRITEV: {
		bool wr = cb.aio_lio_opcode == IOCB_CMD_PWRITE || cb.aio_lio_opcode == IOCB_CMD_PWRITEV;
		bool vec = cb.aio_lio_opcode == IOCB_CMD_PREADV || cb.aio_lio_opcode == IOCB_CMD_PWRITEV;

		err = sys_aio_rw(t, f, wr, vec, cb.aio_buf, cb.aio_nbytes, cb.aio_offset, &res);
		if (err)
			return err;
		break;
	}
	case IOCB_CMD_FSYNC:
	case IOCB_CMD_FDSYNC:
		if (cb.aio_buf || cb.aio_offset || cb.aio_nbytes || cb.aio_rw_flags)
			return -EINVAL;
		res = file_fsync(f);
		break;
	default:
		return -EINVAL;
	}
	complete(t, c, &cb, ucb, res, resfd);
	return 0;
}

SYSCALL(io_submit)
{
	long nr = (long)a->a[1], i;
	struct aio_ctx *c;

	if (nr < 0)
		return -EINVAL;
	if (!(c = ctx_lookup(t, a->a[0])))
		return -EINVAL;
	if (nr > (long)c->nr)
		nr = c->nr;
	for (i = 0; i < nr; i++) {
		unsigned long ucb;
		long err;

		if (copy_from_guest(t, &ucb, a->a[2] + (unsigned long)i * sizeof(ucb), sizeof(ucb)) < 0) {
			err = -EFAULT;
		} else {
			err = submit_one(t, c, ucb);
			/* a completion may have ended the context (its eventfd woke nothing that
			 * runs now, but stay safe): look it up again */
			if (!err && !(c = ctx_lookup(t, a->a[0])))
				return i + 1;
		}
		if (err)
			return i ? i : err;
	}
	return i;
}

/* io_getevents and io_pgetevents. The timeout (uts: read by the caller, but only at the
 * first run; NULL for none) is taken as it is, no range check; a negative one has passed. */
static long
getevents(struct task *t, const struct sysargs *a, const struct timespec *uts)
{
	long min_nr = (long)a->a[1], nr = (long)a->a[2];
	struct aio_ctx *c;
	long head, got = 0;

	if (min_nr > nr || min_nr < 0 || nr < 0)
		return -EINVAL;
	if (!(c = ctx_lookup(t, a->a[0])))
		return -EINVAL;
	if ((head = ring_head(t, c)) < 0)
		return -EINVAL;
	unsigned avail = ring_count(c, (unsigned)head);
	long long left = 0;
	bool expired = false;

	if (uts && !t->wait_rerun) {
		if (uts->tv_sec > 1000000000L || uts->tv_nsec > 1000000000L * 1000L)
			left = 1000000000LL * 1000000000LL;
		else if (uts->tv_sec < -1000000000L || uts->tv_nsec < -1000000000L * 1000L)
			left = -1;
		else
			left = uts->tv_sec * 1000000000LL + uts->tv_nsec;
		expired = left <= 0;
	} else if (uts) {
		expired = t->wait_deadline && monotonic_ns() >= t->wait_deadline;
	}
	if ((long)avail < min_nr && !expired) {
		if (uts && !t->wait_rerun)
			t->wait_deadline = monotonic_ns() + left;
		t->wait_eintr = true;
		task_wait_on(t, &c->wq);
		return sysret(SYSRET_BLOCK);
	}
	while (got < nr && avail > 0) {
		struct io_event ev;
		unsigned long slot = c->addr + sizeof(struct aio_ring_hdr) +
				     (unsigned long)head * sizeof(ev);

		if (copy_from_guest(t, &ev, slot, sizeof(ev)) < 0 ||
		    copy_to_guest(t, a->a[3] + (unsigned long)got * sizeof(ev), &ev, sizeof(ev)) < 0) {
			if (!got)
				return -EFAULT;
			break;
		}
		head = (head + 1) % c->nr;
		avail--;
		got++;
	}
	unsigned h = (unsigned)head;
	copy_to_guest(t, c->addr + offsetof(struct aio_ring_hdr, head), &h, sizeof(h));
	return got;
}

/* Linux reads the timeout before anything else (EFAULT); a re-run has it already. */
static long
timeout_arg(struct task *t, unsigned long uts, struct timespec *ts)
{
	if (uts && !t->wait_rerun && copy_from_guest(t, ts, uts, sizeof(*ts)) < 0)
		return -EFAULT;
	return 0;
}

SYSCALL(io_getevents)
{
	struct timespec ts;

	if (timeout_arg(t, a->a[4], &ts))
		return -EFAULT;
	return getevents(t, a, a->a[4] ? &ts : NULL);
}

/*
 * io_getevents with a signal mask in place for the call. The sixth argument points to
 * { mask pointer, mask size }; no mask pointer (or no sixth argument) is none. Unlike
 * ppoll, Linux keeps the temporary mask whenever a signal is pending as the call ends: a
 * pending signal it lets in runs its handler under it even when events were ready (their
 * count is the result); with none ready the call fails with EINTR. So the mask goes in
 * first, waiting or not (the loop puts the old one back at the end or in the frame).
 */
SYSCALL(io_pgetevents)
{
	struct { unsigned long set, size; } sig = { 0, 0 };
	unsigned long mask = 0;
	struct timespec ts;
	long err;

	if (timeout_arg(t, a->a[4], &ts))
		return -EFAULT;
	if (a->a[5] && copy_from_guest(t, &sig, a->a[5], sizeof(sig)) < 0)
		return -EFAULT;
	if ((err = sigmask_arg(t, sig.set, sig.size, &mask)))
		return err;
	bool interrupted = sig.set && install_sigmask(t, mask) == -EINTR;
	long r = getevents(t, a, a->a[4] ? &ts : NULL);

	return interrupted && (r == 0 || r == SYSRET_BLOCK) ? -EINTR : r;
}

SYSCALL(io_cancel)
{
	struct iocb cb;

	/* Linux reads the iocb's key first (EFAULT), then it must be 0 (EINVAL), then the
	 * context is looked up */
	if (copy_from_guest(t, &cb, a->a[1], sizeof(cb)) < 0)
		return -EFAULT;
	if (cb.aio_key != 0 || !ctx_lookup(t, a->a[0]))
		return -EINVAL;
	/* every request completed when it was submitted: none is left to cancel */
	return -EINVAL;
}
