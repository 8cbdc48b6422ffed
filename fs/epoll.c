/*
 * epoll: an interest list of (file, fd) items, evaluated by polling each watched file
 * when the guest waits. Level-triggered items report while ready; EPOLLET items report
 * once per change (a wake of the file's queue, or new readiness bits for host fds);
 * EPOLLONESHOT items disable themselves after one report until EPOLL_CTL_MOD.
 * Ready items are reported in the order of Linux's ready list, which an item joins (at the
 * tail) when its file becomes ready, not in the order they were added: servers answer the
 * request that came first first. Here an item's place is the tick (waitq_tick) of the wake
 * of its file's queue that came after it left the list, or of its report if it is
 * level-triggered (it goes back to the tail); a scan that finds it not ready takes it off.
 * A scan polls only the items that may be ready (ep->maybe, Linux's ready list and more):
 * those on the ready list, those whose file's queue woke since (an item watches the queue
 * of a file that tells its wakes, wakes_tell: Linux's ep_poll_callback), and at every scan
 * those of other files (host descriptors, signalfds, nested epolls, /proc files), so that
 * a wait among thousands of idle sockets costs what the few active ones do.
 * Items are not references: when a watched file's last reference goes (every descriptor
 * closed), file_put calls epoll_file_gone, as Linux's eventpoll_release.
 */
#include <poll.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <sys/epoll.h>
#include <uthash.h>
#include <utlist.h>

#include "fs/internal.h"
#include "sentry/sentry.h"

#define EP_PRIVATE_BITS (EPOLLWAKEUP | EPOLLONESHOT | EPOLLET | EPOLLEXCLUSIVE)

struct epoll;

struct epkey {
	struct file *file;          /* watched (not a reference) */
	long fd;
};

struct epitem {
	struct epoll *ep;
	struct epkey key;           /* ep->byk: (file, fd) */
	UT_hash_handle hh;
	uint32_t events;            /* what to report, EPOLLERR|EPOLLHUP included */
	uint64_t data;
	bool pending;               /* EPOLLET: a change not reported yet */
	unsigned long seen_wakes;   /* EPOLLET: the file's queue wakes already seen */
	short seen_mask;            /* EPOLLET on files without a queue: last readiness */
	bool by_wake;               /* EPOLLEXCLUSIVE: pending because of wake seen_wakes... */
	bool took;                  /* ...which this item took (the others then stay asleep) */
	unsigned long rdseq;        /* its place on the ready list (0: not on it) */
	unsigned long left;         /* waitq_tick() when it left the list */
	unsigned long scan_key;     /* vfs_epoll_ready: item_key before the scan */
	unsigned long order;        /* when it was added (the interest list's order) */
	struct wq_watch watch;      /* on wq's watches */
	struct waitq *wq;           /* the queue whose wakes it waits for (NULL: none, it is
				     * polled at every scan) */
	bool maybe;                 /* on ep->maybe */
	struct epitem *prev, *next; /* ep->items */
	struct epitem *mprev, *mnext; /* ep->maybe */
	struct epitem *fnext;       /* file->ep_links */
};

struct epoll {
	struct waitq wq;            /* woken by epoll_ctl (new items may be ready) */
	struct epitem *items;
	struct epitem *byk;         /* the same items by (file, fd) */
	struct epitem *maybe;       /* the items a scan polls */
	int nitems, nmaybe;
	unsigned long next_order;
};

static const struct file_ops epoll_fops;
static int scan_depth;

static struct epoll *
ep_of(struct file *f)
{
	return f->inode->priv;
}

bool
file_is_epoll(struct file *f)
{
	return f->fops == &epoll_fops;
}

static void
unlink_from_file(struct epitem *it)
{
	for (struct epitem **pp = &it->key.file->ep_links; *pp; pp = &(*pp)->fnext) {
		if (*pp == it) {
			*pp = it->fnext;
			return;
		}
	}
}

static void
maybe_add(struct epitem *it)
{
	if (it->maybe)
		return;
	it->maybe = true;
	it->ep->nmaybe++;
	DL_APPEND2(it->ep->maybe, it, mprev, mnext);
}

static void
maybe_del(struct epitem *it)
{
	if (!it->maybe)
		return;
	it->maybe = false;
	it->ep->nmaybe--;
	DL_DELETE2(it->ep->maybe, it, mprev, mnext);
}

/* A wake of the watched queue: the item may be ready, and the epoll's own waiters (and
 * epolls that watch this one) hear of it. */
static void
item_woken(struct wq_watch *w)
{
	static int depth;
	struct epitem *it = (struct epitem *)((char *)w - offsetof(struct epitem, watch));

	maybe_add(it);
	if (depth > EPOLL_MAX_NESTS)
		return;
	depth++;
	waitq_wake(&it->ep->wq);
	depth--;
}

/* The queue whose wakes tell of every change of f's readiness, or NULL. */
static struct waitq *
watch_target(struct file *f)
{
	if (!f->fops || !f->fops->wakes_tell || f->fops->poll_wait || file_wait_fd(f) >= 0)
		return NULL;
	return file_waitq(f);
}

/* Watch the queue f tells its wakes on now (a socket's changes come from the host while it
 * has a host socket): items without one stay on the maybe list. */
static void
item_watch_sync(struct epitem *it)
{
	struct waitq *wq = watch_target(it->key.file);

	if (wq == it->wq)
		return;
	if (it->wq)
		waitq_unwatch(it->wq, &it->watch);
	it->wq = wq;
	if (wq)
		waitq_watch(wq, &it->watch);
}

static void
item_free(struct epitem *it, bool from_file)
{
	if (from_file)
		unlink_from_file(it);
	if (it->wq)
		waitq_unwatch(it->wq, &it->watch);
	maybe_del(it);
	DL_DELETE(it->ep->items, it);
	HASH_DELETE(hh, it->ep->byk, it);
	it->ep->nitems--;
	free(it);
}

void
epoll_file_gone(struct file *f)
{
	struct epitem *it;

	while ((it = f->ep_links)) {
		f->ep_links = it->fnext;
		item_free(it, false);
	}
}

void
epoll_file_drained(struct file *f, short bits)
{
	for (struct epitem *it = f->ep_links; it; it = it->fnext)
		it->seen_mask &= (short)~bits;
}

static struct epitem *
find_item(struct epoll *ep, struct file *f, int fd)
{
	struct epkey k;
	struct epitem *it;

	memset(&k, 0, sizeof(k));
	k.file = f;
	k.fd = fd;
	HASH_FIND(hh, ep->byk, &k, sizeof(k), it);
	return it;
}

/* The events item it reports now (0: none); consume marks an edge as reported.
 * EPOLLEXCLUSIVE (Linux: an exclusive entry on the file's wait queue, whose wake-up stops at
 * the first epoll that has a waiter): a wake of the file makes only the first item that
 * reports it ready; the others' waiters sleep on. Such an item, level-triggered, stays
 * ready while its file is (as on Linux's ready list), edge-triggered once. */
static uint32_t
item_ready(struct epitem *it, bool consume)
{
	uint32_t ready = (unsigned short)file_poll(it->key.file, (short)it->events) & it->events;
	bool excl = it->events & EPOLLEXCLUSIVE, et = it->events & EPOLLET;
	struct waitq *wq;

	if (!et && !excl)
		return ready;
	wq = file_waitq(it->key.file);
	if (wq && wq->wakes != it->seen_wakes) {
		it->seen_wakes = wq->wakes;
		it->took = false;
		if (!excl || wq->excl_taken != wq->wakes + 1) {
			it->pending = true;
			it->by_wake = excl;
		}
	} else if (!wq && (ready & ~(uint32_t)(unsigned short)it->seen_mask)) {
		it->pending = true;
	}
	if (!wq)
		it->seen_mask = (short)ready;
	if (!ready && excl && !et)
		it->pending = false; /* off the ready list */
	if (!ready || !it->pending)
		return 0;
	if (excl && it->by_wake && wq) {
		if (wq->excl_taken == it->seen_wakes + 1 && !it->took) {
			it->pending = false; /* another exclusive item took this wake */
			return 0;
		}
		if (consume) {
			wq->excl_taken = it->seen_wakes + 1;
			it->took = true;
		}
	}
	if (consume && et)
		it->pending = false;
	return ready;
}

int
vfs_epoll_nitems(struct file *epf)
{
	return ep_of(epf)->nitems;
}

static void
item_unlist(struct epitem *it)
{
	it->rdseq = 0;
	it->left = waitq_tick();
}

/* Where it stands in the ready order before a scan polls it (0: unknown): its place on the
 * list, or the last wake of its file's queue if that came after it left the list. */
static unsigned long
item_key(struct epitem *it)
{
	struct waitq *wq;

	if (it->rdseq)
		return it->rdseq;
	wq = file_waitq(it->key.file);
	return wq && wq->seq > it->left ? wq->seq : 0;
}

/* Poll it once (polls consume events: a mount change, a host name change) and report it
 * in out if ready. */
static int
item_scan(struct epitem *it, struct epoll_event *out)
{
	uint32_t ready = item_ready(it, true);

	if (!ready) {
		if (it->rdseq || it->scan_key)
			item_unlist(it);
		return 0;
	}
	out->events = ready;
	out->data.u64 = it->data;
	if (it->events & EPOLLONESHOT)
		it->events &= EP_PRIVATE_BITS;
	item_unlist(it); /* a level-triggered one goes to the tail after the scan */
	return 1;
}

static int
key_cmp(const void *a, const void *b)
{
	const struct epitem *x = *(struct epitem *const *)a, *y = *(struct epitem *const *)b;

	if (x->scan_key != y->scan_key)
		return x->scan_key < y->scan_key ? -1 : 1;
	return x->order < y->order ? -1 : x->order > y->order;
}

/* Up to max ready items into out (NULL: is any ready), of those on the maybe list. Those
 * whose place is known are polled first in that order, then the others (no wake seen
 * since they left the list: host fds, signalfds, rarely ready) in the interest list's.
 * Polling stops at max: those not polled keep their places (the others get one now, in
 * the interest list's order), ahead of the reported level-triggered items, which go to
 * the tail as on Linux. Items that watch a queue and are off the ready list leave the
 * maybe list until their queue wakes. */
int
vfs_epoll_ready(struct file *epf, struct epoll_event *out, int max)
{
	struct epoll *ep = ep_of(epf);
	_cleanup_free_ struct epitem **known = NULL, **rep = NULL;
	struct epitem *it, *tmp;
	int n = 0, nk = 0, i;

	if (scan_depth > EPOLL_MAX_NESTS)
		return 0;
	scan_depth++;
	if (!out) {
		DL_FOREACH2(ep->maybe, it, mnext) {
			if (item_ready(it, false)) {
				n = 1;
				break;
			}
		}
		scan_depth--;
		return n;
	}
	known = xcalloc(ep->nmaybe + 1, sizeof(*known));
	rep = xcalloc(MIN(max, ep->nmaybe) + 1, sizeof(*rep));
	DL_FOREACH2(ep->maybe, it, mnext) {
		it->scan_key = item_key(it);
		if (it->scan_key && nk < ep->nmaybe)
			known[nk++] = it;
	}
	qsort(known, (size_t)nk, sizeof(*known), key_cmp);
	for (i = 0; i < nk && n < max; i++)
		if (item_scan(known[i], &out[n]))
			rep[n++] = known[i];
	for (; i < nk; i++)
		if (!known[i]->rdseq)
			known[i]->rdseq = known[i]->scan_key;
	DL_FOREACH2(ep->maybe, it, mnext) {
		if (it->scan_key)
			continue;
		if (n == max)
			it->rdseq = waitq_tick();
		else if (item_scan(it, &out[n]))
			rep[n++] = it;
	}
	for (i = 0; i < n; i++)
		if (!(rep[i]->events & (EPOLLET | EPOLLONESHOT)))
			rep[i]->rdseq = waitq_tick();
	DL_FOREACH_SAFE2(ep->maybe, it, tmp, mnext) {
		item_watch_sync(it);
		if (it->wq && !it->rdseq)
			maybe_del(it);
	}
	scan_depth--;
	return n;
}

static short
epoll_poll(struct file *f, short events)
{
	return vfs_epoll_ready(f, NULL, 1) ? POLLIN | POLLRDNORM : 0;
}

static struct waitq *
epoll_waitq(struct file *f)
{
	return &ep_of(f)->wq;
}

static void
epoll_poll_wait(struct task *t, struct file *f, short events, int depth)
{
	struct epitem *it;

	/* (the others' queues wake ep->wq) */
	task_wait_on(t, &ep_of(f)->wq);
	DL_FOREACH2(ep_of(f)->maybe, it, mnext)
		file_poll_wait_depth(t, it->key.file, (short)it->events, depth);
}

static void
epoll_release(struct file *f)
{
	struct epoll *ep = ep_of(f);
	struct epitem *it, *tmp;

	DL_FOREACH_SAFE(ep->items, it, tmp)
		item_free(it, true);
	waitq_wake(&ep->wq);
}

/* Linux ep_show_fdinfo: one line per watched (file, fd), the events as registered (with
 * EPOLLERR|EPOLLHUP; EP_PRIVATE_BITS only once a oneshot item has fired) */
static void
epoll_fdinfo(struct file *f, struct sbuf *b, const struct pid_ns *ns)
{
	struct epitem *it;

	DL_FOREACH(ep_of(f)->items, it) {
		struct file *w = it->key.file;

		sbuf_printf(b, "tfd: %8ld events: %8x data: %16llx  pos:%lli ino:%lx sdev:%x\n",
			    it->key.fd, it->events, (unsigned long long)it->data,
			    (long long)w->pos, w->inode ? (unsigned long)w->inode->ino : 0UL,
			    w->inode ? inode_kdev(w->inode) : 0);
	}
}

static const struct file_ops epoll_fops = {
	.fdinfo = epoll_fdinfo,
	.llseek = noop_llseek,
	.poll = epoll_poll,
	.waitq = epoll_waitq,
	.poll_wait = epoll_poll_wait,
	.release = epoll_release,
};

static void
epoll_free(struct inode *i)
{
	struct epoll *ep = i->priv;

	waitq_wake(&ep->wq);
	free(ep);
}

int
vfs_epoll_create(struct task *t, struct file **out)
{
	struct epoll *ep = xcalloc(1, sizeof(*ep));

	*out = anon_file("[eventpoll]", &epoll_fops, ep, epoll_free, O_RDWR);
	return 0;
}

/* Adding target to ep must not make a cycle or nest epoll files too deep (ELOOP). */
static int
loop_check(struct file *ep, struct file *target, int depth)
{
	struct epitem *it;

	if (!file_is_epoll(target))
		return 0;
	if (target == ep || depth >= EPOLL_MAX_NESTS)
		return -ELOOP;
	DL_FOREACH(ep_of(target)->items, it) {
		int err = loop_check(ep, it->key.file, depth + 1);
		if (err)
			return err;
	}
	return 0;
}

static int
ep_add(struct file *epf, int fd, struct file *target, uint32_t events, uint64_t data)
{
	struct epoll *ep = ep_of(epf);
	struct epitem *it;
	int err = loop_check(epf, target, 0);

	if (err)
		return err;
	it = xcalloc(1, sizeof(*it));
	it->ep = ep;
	it->key.file = target;
	it->key.fd = fd;
	it->events = events | EPOLLERR | EPOLLHUP;
	it->data = data;
	it->pending = true;
	if (events & EPOLLEXCLUSIVE) {
		/* on the ready list only if ready now (Linux ep_insert); wakes to come count */
		struct waitq *wq = file_waitq(target);
		it->pending = ((unsigned short)file_poll(target, (short)it->events) & it->events) != 0;
		it->seen_wakes = wq ? wq->wakes : 0;
	}
	it->rdseq = waitq_tick(); /* polled at the next scan, at the tail (Linux ep_insert) */
	it->order = ++ep->next_order;
	it->watch.fn = item_woken;
	DL_APPEND(ep->items, it);
	HASH_ADD(hh, ep->byk, key, sizeof(struct epkey), it);
	ep->nitems++;
	it->fnext = target->ep_links;
	target->ep_links = it;
	item_watch_sync(it);
	maybe_add(it);
	return 0;
}

int
vfs_epoll_ctl(struct file *epf, int op, int fd, struct file *target, unsigned int events,
	      unsigned long long data)
{
	struct epoll *ep = ep_of(epf);
	struct epitem *it = find_item(ep, target, fd);
	int err = 0;

	if (events & EPOLLEXCLUSIVE) {
		if (op == EPOLL_CTL_MOD || file_is_epoll(target) ||
		    (events & ~(EPOLLEXCLUSIVE | EPOLLIN | EPOLLOUT | EPOLLERR | EPOLLHUP |
				EPOLLWAKEUP | EPOLLET)))
			return -EINVAL;
	}
	switch (op) {
	case EPOLL_CTL_ADD:
		if (it)
			return -EEXIST;
		err = ep_add(epf, fd, target, events, data);
		break;
	case EPOLL_CTL_MOD:
		if (!it)
			return -ENOENT;
		if (it->events & EPOLLEXCLUSIVE)
			return -EINVAL;
		it->events = events | EPOLLERR | EPOLLHUP;
		it->data = data;
		it->pending = true;
		if (!it->rdseq)
			it->rdseq = waitq_tick(); /* polled at the next scan (Linux ep_modify) */
		maybe_add(it);
		break;
	case EPOLL_CTL_DEL:
		if (!it)
			return -ENOENT;
		item_free(it, true);
		return 0;
	default:
		return -EINVAL;
	}
	if (!err)
		waitq_wake(&ep->wq);
	return err;
}

/* kcmp's KCMP_EPOLL_TFD: the file watched in ep under descriptor fd, the off-th such
 * item (NULL: none, or ep is no epoll). Borrowed. */
struct file *
vfs_epoll_target(struct file *epf, int fd, unsigned long off)
{
	struct epitem *it;

	if (!epf || !file_is_epoll(epf))
		return NULL;
	DL_FOREACH(ep_of(epf)->items, it) {
		if (it->key.fd != fd)
			continue;
		if (off-- == 0)
			return it->key.file;
	}
	return NULL;
}
