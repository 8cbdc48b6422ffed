/*
 * futex(2) and the robust-futex list. Most futex operations run in the stub's host
 * kernel (private ones without a trap): their word holds whatever the guest stores. Two
 * kinds of word hold a thread id instead, which the host would read as one of its own:
 *
 * - priority-inheritance futexes (LOCK_PI, LOCK_PI2, TRYLOCK_PI, UNLOCK_PI): run here on
 *   guest tids. The word changes only by plat_cmpxchg32, one atomic step against the
 *   guest's own fast paths (0 -> tid to lock, tid -> 0 to unlock, which FUTEX_WAITERS
 *   makes fail); waiters queue here in arrival order and UNLOCK_PI hands the lock to the
 *   first one, as Linux does for waiters of equal priority. No priority boosting: the
 *   sandbox does not schedule its tasks.
 * - the robust list (set_robust_list): kept here, and walked by the sentry when a thread
 *   calls exit or exit_group: a word it still owns gets FUTEX_OWNER_DIED, and a waiter is
 *   woken (Linux's exit_robust_list). A thread killed by a signal can no longer run
 *   anything for the sentry, so the host walks the list instead: the guest's head is
 *   registered with the host too, and at the thread's exit stop (futex_exit_stop) each
 *   word it owns gets its host tid, which the host's own walk then marks and wakes. A PI
 *   word, whose waiters wait here, is marked here at that stop and handed to its first
 *   waiter (Linux's exit_pi_state_list): no one else changes a word a thread owns but
 *   through the sentry.
 * - a PI futex whose owner is gone without its robust list naming it (a plain PI mutex, a
 *   thread that exits holding it) goes to its first waiter with FUTEX_OWNER_DIED, as on
 *   Linux (futex_task_gone).
 *
 * PI futexes are keyed as Linux's get_futex_key: a shared one (no FUTEX_PRIVATE_FLAG) in
 * a MAP_SHARED mapping by what is mapped there and the offset in it, so processes meet on
 * it at whatever address they map it; any other by (address space, address).
 */
#include <linux/futex.h>
#include <string.h>
#include <sys/syscall.h>
#include <time.h>
#include <uthash.h>
#include <utlist.h>

#include "platform/platform.h"
#include "sentry/ns.h"
#include "syscalls/internal.h"

#ifndef FUTEX_LOCK_PI2
#define FUTEX_LOCK_PI2 13
#endif

#define PI_RETRIES 64          /* cmpxchg races lost in a row before giving up (-EAGAIN) */
#define ROBUST_LIST_LIMIT 2048 /* entries walked at most, as Linux */

struct pi_key {
	struct mm *mm;              /* a private futex: its address space and address */
	const struct mm_shm *shm;   /* a shared one: the shared anonymous memory, */
	unsigned long dev, ino;     /* or the file (a System V segment is one), */
	unsigned long addr;         /* and the offset in it */
};

struct pi_waiter;

/* A PI futex with waiters (there is none without). */
struct pi_futex {
	struct pi_key key;
	struct pi_waiter *waiters; /* utlist DL, first come first */
	UT_hash_handle hh;
};

/* A task blocked in LOCK_PI: granted once an unlock handed it the lock. */
struct pi_waiter {
	struct task *t;
	unsigned long uaddr;       /* the word, in t's address space */
	struct pi_futex *pf;
	bool granted;
	struct waitq wq;
	struct pi_waiter *prev, *next;
	UT_hash_handle hh;         /* by_task, keyed by t */
};

/* A thread's id in PI futex words: its number in its own pid namespace (what its gettid
 * gives), as Linux's task_pid_vnr. */
static int
own_tid(struct task *x)
{
	return task_vnr(x, x->tid);
}

static struct pi_futex *futexes;
static struct pi_waiter *by_task;

static struct pi_waiter *
waiter_of(struct task *t)
{
	struct pi_waiter *w;

	HASH_FIND_PTR(by_task, &t, w);
	return w;
}

/* The key of the futex at uaddr in t's address space; shared: the call has no
 * FUTEX_PRIVATE_FLAG. */
static void
pi_key_of(struct task *t, unsigned long uaddr, bool shared, struct pi_key *k)
{
	const struct vma *v = shared ? mm_find_vma(t->mm, uaddr) : NULL;

	memset(k, 0, sizeof(*k));
	if (v && (v->flags & VMA_SHARED) &&
	    (v->shm || (v->name && (v->name->dev || v->name->ino)))) {
		k->shm = v->shm;
		if (!v->shm) {
			k->dev = v->name->dev;
			k->ino = v->name->ino;
		}
		k->addr = v->off + (uaddr - v->start);
		return;
	}
	k->mm = t->mm;
	k->addr = uaddr;
}

static struct pi_futex *
pi_lookup(const struct pi_key *k)
{
	struct pi_futex *pf;

	HASH_FIND(hh, futexes, k, sizeof(*k), pf);
	return pf;
}

/* The futex with waiters at uaddr of a robust list, which names no operation: shared if
 * its mapping is, else (or if no one waits so) private. */
static struct pi_futex *
pi_lookup_any(struct task *t, unsigned long uaddr)
{
	struct pi_key k;
	struct pi_futex *pf;

	pi_key_of(t, uaddr, true, &k);
	pf = pi_lookup(&k);
	if (!pf && !k.mm) {
		pi_key_of(t, uaddr, false, &k);
		pf = pi_lookup(&k);
	}
	return pf;
}

/* Takes w off its futex (freed with its last waiter) and forgets it. */
static void
waiter_free(struct pi_waiter *w)
{
	struct pi_futex *pf = w->pf;

	if (pf) {
		DL_DELETE(pf->waiters, w);
		if (!pf->waiters) {
			HASH_DEL(futexes, pf);
			free(pf);
		}
	}
	HASH_DEL(by_task, w);
	free(w);
}

/* The blocked LOCK_PI ended otherwise (a signal, the task's exit). */
static void
waiter_cancel(struct task *t)
{
	struct pi_waiter *w = waiter_of(t);

	task_unwait(t); /* it may sleep on w->wq */
	if (w)
		waiter_free(w);
}

static void
waiter_done(struct task *t, struct pi_waiter *w)
{
	if (t->wait_cancel == waiter_cancel)
		t->wait_cancel = NULL;
	task_unwait(t);
	waiter_free(w);
}

/* Hands the lock at uaddr (word *cur, owned by the caller of this) to pf's first waiter:
 * the word becomes its tid with FUTEX_WAITERS (and extra, FUTEX_OWNER_DIED after a death).
 * 0, -EAGAIN (the word changed: *cur is its new value), or -EFAULT. */
static void
pi_grant(struct pi_futex *pf)
{
	struct pi_waiter *w = pf->waiters;

	DL_DELETE(pf->waiters, w);
	w->pf = NULL;
	w->granted = true;
	if (!pf->waiters) {
		HASH_DEL(futexes, pf);
		free(pf);
	}
	waitq_wake(&w->wq);
}

/* The word that gives the lock to pf's first waiter (extra: FUTEX_OWNER_DIED after a
 * death). */
static uint32_t
pi_heir_word(const struct pi_futex *pf, uint32_t extra)
{
	return (uint32_t)own_tid(pf->waiters->t) | FUTEX_WAITERS | extra;
}

static int
pi_hand_over(struct task *t, unsigned long uaddr, uint32_t *cur, struct pi_futex *pf,
	     uint32_t extra)
{
	int err = plat_cmpxchg32(t->ctx, uaddr, cur, pi_heir_word(pf, extra));

	if (!err)
		pi_grant(pf);
	return err;
}

/* A timeout of LOCK_PI (CLOCK_REALTIME) or LOCK_PI2 (CLOCK_MONOTONIC unless
 * FUTEX_CLOCK_REALTIME): absolute, as a CLOCK_MONOTONIC deadline in ns. */
static int
pi_deadline(struct task *t, unsigned long uts, bool realtime, long long *out)
{
	struct timespec ts, now;

	*out = 0;
	if (!uts)
		return 0;
	if (copy_from_guest(t, &ts, uts, sizeof(ts)))
		return -EFAULT;
	if (ts.tv_sec < 0 || ts.tv_nsec < 0 || ts.tv_nsec >= 1000000000L)
		return -EINVAL;
	long long abs_ns = ts.tv_sec > 4000000000L ? 4000000000LL * 1000000000LL
						   : ts.tv_sec * 1000000000LL + ts.tv_nsec;
	long long mono = monotonic_ns();
	if (realtime) {
		clock_gettime(CLOCK_REALTIME, &now);
		long long rel = abs_ns - (now.tv_sec * 1000000000LL + now.tv_nsec);
		*out = mono + (rel > 0 ? rel : 0);
	} else {
		*out = abs_ns;
	}
	if (*out <= 0)
		*out = 1;
	return 0;
}

static long
pi_lock(struct task *t, unsigned long uaddr, const struct pi_key *key, unsigned long uts,
	bool trylock, bool realtime)
{
	struct pi_waiter *w = waiter_of(t);
	long long deadline = 0;

	if (w && t->wait_rerun) {
		if (w->granted) {
			waiter_done(t, w);
			return 0;
		}
		if (t->wait_deadline && monotonic_ns() >= t->wait_deadline) {
			waiter_done(t, w);
			return -ETIMEDOUT;
		}
		task_wait_on(t, &w->wq);
		return sysret(SYSRET_BLOCK);
	}
	if (w) /* left over from a call that ended without the sentry seeing it */
		waiter_done(t, w);
	if (uaddr & 3)
		return -EINVAL;
	int err = trylock ? 0 : pi_deadline(t, uts, realtime, &deadline);
	if (err)
		return err;
	uint32_t cur = 0;
	for (int tries = 0;; tries++) {
		if (tries == PI_RETRIES)
			return -EAGAIN;
		struct pi_futex *pf = pi_lookup(key);
		uint32_t owner = cur & FUTEX_TID_MASK;
		if (!owner) {
			/* free (maybe after an owner died): take it, keeping OWNER_DIED, and
			 * FUTEX_WAITERS while others wait */
			uint32_t nv = (uint32_t)own_tid(t) | (cur & FUTEX_OWNER_DIED) |
				      (pf ? FUTEX_WAITERS : 0);
			err = plat_cmpxchg32(t->ctx, uaddr, &cur, nv);
			if (err == -EAGAIN)
				continue;
			return err;
		}
		if (owner == (uint32_t)own_tid(t))
			return -EDEADLK;
		/* Linux looks the owner up in the caller's pid namespace: a tid that is no
		 * live thread is -ESRCH */
		struct task *o = task_lookup_vnr(t, (int)owner);
		if (!o || o->state == TASK_ZOMBIE)
			return -ESRCH;
		if (!(cur & FUTEX_WAITERS)) {
			uint32_t seen = cur;
			err = plat_cmpxchg32(t->ctx, uaddr, &cur, cur | FUTEX_WAITERS);
			if (err == -EAGAIN)
				continue;
			if (err)
				return err;
			cur = seen | FUTEX_WAITERS;
		}
		if (trylock)
			return -EAGAIN;
		break;
	}
	struct pi_futex *pf = pi_lookup(key);
	if (!pf) {
		pf = xcalloc(1, sizeof(*pf));
		pf->key = *key;
		HASH_ADD(hh, futexes, key, sizeof(pf->key), pf);
	}
	w = xcalloc(1, sizeof(*w));
	w->t = t;
	w->uaddr = uaddr;
	w->pf = pf;
	DL_APPEND(pf->waiters, w);
	HASH_ADD_PTR(by_task, t, w);
	t->wait_cancel = waiter_cancel;
	t->wait_deadline = deadline;
	task_wait_on(t, &w->wq);
	return sysret(SYSRET_BLOCK);
}

static long
pi_unlock(struct task *t, unsigned long uaddr, const struct pi_key *key)
{
	uint32_t cur;

	if (uaddr & 3)
		return -EINVAL;
	if (copy_from_guest(t, &cur, uaddr, sizeof(cur)))
		return -EFAULT;
	for (int tries = 0; tries < PI_RETRIES; tries++) {
		if ((cur & FUTEX_TID_MASK) != (uint32_t)own_tid(t))
			return -EPERM;
		struct pi_futex *pf = pi_lookup(key);
		int err = pf ? pi_hand_over(t, uaddr, &cur, pf, 0)
			     : plat_cmpxchg32(t->ctx, uaddr, &cur, 0);
		if (err != -EAGAIN)
			return err;
	}
	return -EAGAIN;
}

SYSCALL(futex)
{
	int op = (int)a->a[1];
	int cmd = op & FUTEX_CMD_MASK;
	bool realtime = op & FUTEX_CLOCK_REALTIME;

	switch (cmd) {
	case FUTEX_LOCK_PI:
	case FUTEX_TRYLOCK_PI:
	case FUTEX_UNLOCK_PI:
		if (realtime)
			return -ENOSYS;
		break;
	case FUTEX_LOCK_PI2:
		break;
	default:
		return sysret(SYSRET_NATIVE);
	}
	if (!t->ctx || !t->mm)
		return -EFAULT;
	struct pi_key key;
	pi_key_of(t, a->a[0], !(op & FUTEX_PRIVATE_FLAG), &key);
	switch (cmd) {
	case FUTEX_LOCK_PI:
		return pi_lock(t, a->a[0], &key, a->a[3], false, true);
	case FUTEX_LOCK_PI2:
		return pi_lock(t, a->a[0], &key, a->a[3], false, realtime);
	case FUTEX_TRYLOCK_PI:
		return pi_lock(t, a->a[0], &key, 0, true, false);
	default:
		return pi_unlock(t, a->a[0], &key);
	}
}

/* ---- robust lists ---- */

SYSCALL(set_robust_list)
{
	if (a->a[1] != sizeof(struct robust_list_head))
		return -EINVAL;
	t->robust_head = a->a[0];
	/* the host keeps the same head (its walk for a thread killed by a signal), and the
	 * thread stops as it exits, whatever ends it */
	if (!t->ctx || plat_trace_exit(t->ctx))
		return 0;
	return sysret(SYSRET_NATIVE);
}

SYSCALL(get_robust_list)
{
	long pid = (long)(int)a->a[0];
	struct task *p = pid == 0 ? t : task_lookup_vnr(t, (int)pid);
	size_t len = sizeof(struct robust_list_head);

	if (!p)
		return -ESRCH;
	/* Linux: ptrace_may_access(PTRACE_MODE_READ_REALCREDS) for another process */
	if (!task_ptrace_may_access(t, p, false))
		return -EPERM;
	/* a zombie, until reaped, answers with no list (Linux clears it at exit) */
	unsigned long head = p->state == TASK_ZOMBIE ? 0 : p->robust_head;
	if (copy_to_guest(t, a->a[2], &len, sizeof(len)))
		return -EFAULT;
	if (copy_to_guest(t, a->a[1], &head, sizeof(head)))
		return -EFAULT;
	return 0;
}

/* One futex word of dead's robust list (Linux's handle_futex_death), written through t's
 * stopped stub (the same address space). */
static void
robust_death(struct task *t, struct task *dead, unsigned long uaddr, bool pi, bool pending)
{
	uint32_t cur;

	if (uaddr & 3 || copy_from_guest(t, &cur, uaddr, sizeof(cur)))
		return;
	for (int tries = 0; tries < PI_RETRIES; tries++) {
		if (pending && !pi && !cur) {
			/* it died between taking the lock and storing its tid: wake one */
			plat_inject(t->ctx, __NR_futex, uaddr, FUTEX_WAKE, 1, 0, 0, 0);
			return;
		}
		if ((cur & FUTEX_TID_MASK) != (uint32_t)own_tid(dead))
			return;
		struct pi_futex *pf = pi ? pi_lookup_any(t, uaddr) : NULL;
		int err;
		if (pf) {
			err = pi_hand_over(t, uaddr, &cur, pf, FUTEX_OWNER_DIED);
		} else {
			uint32_t seen = cur;
			err = plat_cmpxchg32(t->ctx, uaddr, &cur,
					     (cur & FUTEX_WAITERS) | FUTEX_OWNER_DIED);
			if (!err && !pi && (seen & FUTEX_WAITERS))
				plat_inject(t->ctx, __NR_futex, uaddr, FUTEX_WAKE, 1, 0, 0, 0);
		}
		if (err != -EAGAIN)
			return;
	}
}

static void
robust_walk(struct task *t, struct task *dead)
{
	struct robust_list_head head;
	unsigned long hp = dead->robust_head;

	dead->robust_head = 0;
	if (!hp || copy_from_guest(t, &head, hp, sizeof(head)))
		return;
	unsigned long entry = (unsigned long)head.list.next;
	unsigned long pending = (unsigned long)head.list_op_pending;
	bool pip = pending & 1;
	pending &= ~1UL;
	for (int limit = ROBUST_LIST_LIMIT; (entry & ~1UL) != hp && limit > 0; limit--) {
		bool pi = entry & 1;
		unsigned long e = entry & ~1UL, next;
		int err = copy_from_guest(t, &next, e, sizeof(next));
		if (e != pending)
			robust_death(t, dead, e + head.futex_offset, pi, false);
		if (err)
			return;
		entry = next;
	}
	if (pending)
		robust_death(t, dead, pending + head.futex_offset, pip, true);
}

/* One word of the list of a thread at its exit stop: if the thread owns it, its guest tid
 * becomes its host one, with FUTEX_WAITERS so that the host's walk wakes a waiter (a
 * waiter setting that bit meanwhile would otherwise lose it to this write). */
static void
exit_stop_word(pid_t host, int tid, unsigned long uaddr)
{
	uint32_t cur, nv;

	if (uaddr & 3 || copy_from_thread(host, &cur, uaddr, sizeof(cur)) ||
	    (cur & FUTEX_TID_MASK) != (uint32_t)tid)
		return;
	nv = (uint32_t)host | FUTEX_WAITERS | (cur & FUTEX_OWNER_DIED);
	copy_to_thread(host, uaddr, &nv, sizeof(nv));
}

/* A PI word of that list: if the thread owns it, it gets FUTEX_OWNER_DIED and goes to its
 * first waiter, written here as the thread cannot run the sentry's cmpxchg. Nothing else
 * changes a word another thread owns (the guest's fast paths take a free word or free
 * their own; LOCK_PI and TRYLOCK_PI are the sentry's), so the write races no one. */
static void
exit_stop_pi_word(struct task *t, pid_t host, int tid, unsigned long uaddr)
{
	uint32_t cur, nv;

	if (uaddr & 3 || copy_from_thread(host, &cur, uaddr, sizeof(cur)) ||
	    (cur & FUTEX_TID_MASK) != (uint32_t)tid)
		return;
	struct pi_futex *pf = pi_lookup_any(t, uaddr);
	nv = pf ? pi_heir_word(pf, FUTEX_OWNER_DIED) : (cur & FUTEX_WAITERS) | FUTEX_OWNER_DIED;
	if (copy_to_thread(host, uaddr, &nv, sizeof(nv)) == 0 && pf)
		pi_grant(pf);
}

/* A thread stops as it exits, its memory still there, and no call can be run in it: one
 * a signal killed still has its robust list (exit and exit_group walked it already). Its
 * own pid is read and written, not its process's (whose leader may be gone). A lock it
 * waited for is not handed to it any more. */
void
futex_exit_stop(struct plat_ctx *ctx)
{
	struct task *t = plat_get_owner(ctx);
	struct robust_list_head head;
	pid_t host = plat_host_pid(ctx);

	if (!t)
		return;
	struct pi_waiter *w = waiter_of(t);
	if (w)
		waiter_done(t, w);
	if (!t->robust_head || host <= 0 || !t->mm)
		return;
	unsigned long hp = t->robust_head;
	t->robust_head = 0;
	if (copy_from_thread(host, &head, hp, sizeof(head)))
		return;
	unsigned long entry = (unsigned long)head.list.next;
	unsigned long pending = (unsigned long)head.list_op_pending;
	int tid = own_tid(t);
	for (int limit = ROBUST_LIST_LIMIT; (entry & ~1UL) != hp && limit > 0; limit--) {
		unsigned long e = entry & ~1UL, next;
		if (e != (pending & ~1UL)) {
			if (entry & 1)
				exit_stop_pi_word(t, host, tid, e + head.futex_offset);
			else
				exit_stop_word(host, tid, e + head.futex_offset);
		}
		if (copy_from_thread(host, &next, e, sizeof(next)))
			return;
		entry = next;
	}
	if (pending & 1)
		exit_stop_pi_word(t, host, tid, (pending & ~1UL) + head.futex_offset);
	else if (pending)
		exit_stop_word(host, tid, pending + head.futex_offset);
}

/*
 * A thread is gone: a PI futex it still owns that others wait for goes to the first of
 * them with FUTEX_OWNER_DIED, as Linux's exit_pi_state_list and fixup_pi_state_owner (the
 * word read and changed through that waiter's address space). Only futexes with waiters
 * are kept here, so this looks at a few words at most.
 */
void
futex_task_gone(struct task *dead)
{
	struct pi_futex *pf, *tmp;
	int tid = own_tid(dead);

	HASH_ITER(hh, futexes, pf, tmp) {
		struct pi_waiter *w = pf->waiters;
		uint32_t cur;
		if (!w->t->ctx || w->t == dead ||
		    copy_from_guest(w->t, &cur, w->uaddr, sizeof(cur)) ||
		    (cur & FUTEX_TID_MASK) != (uint32_t)tid)
			continue;
		for (int tries = 0; tries < PI_RETRIES; tries++)
			if (pi_hand_over(w->t, w->uaddr, &cur, pf, FUTEX_OWNER_DIED) !=
			    -EAGAIN || (cur & FUTEX_TID_MASK) != (uint32_t)tid)
				break;
	}
}

void
futex_exit(struct task *t, bool group)
{
	if (!t->ctx || !t->mm)
		return;
	if (!group) {
		robust_walk(t, t);
		return;
	}
	struct task *p, *tmp;
	HASH_ITER(hh, sentry.tasks, p, tmp) {
		if (p->leader == t->leader && p->robust_head && p->state != TASK_ZOMBIE &&
		    p->mm == t->mm)
			robust_walk(t, p);
	}
}
