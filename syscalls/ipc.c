/*
 * The System V IPC registry (Linux ipc/util.c): ids, keys, permission checks, and the
 * records of calls waiting on an object. See syscalls/ipc.h.
 */
#include <errno.h>
#include <sched.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/capability.h>
#include <sys/ipc.h>
#include <time.h>
#include <utlist.h>

#include "fs/vfs.h"
#include "syscalls/internal.h"
#include "syscalls/ipc.h"

struct ipc_obj *
ipc_find_key(struct ipc_ids *ids, key_t key)
{
	for (int i = 0; i < ids->cap; i++)
		if (ids->slot[i] && ids->slot[i]->key == key)
			return ids->slot[i];
	return NULL;
}

struct ipc_obj *
ipc_at(struct ipc_ids *ids, int idx)
{
	/* Linux ipc_obtain_object_idx: only the index bits count, so *_STAT given an id
	 * finds that object */
	if (idx >= 0)
		idx %= IPC_MNI;
	if (idx < 0 || idx >= ids->cap)
		return NULL;
	return ids->slot[idx];
}

struct ipc_obj *
ipc_lookup(struct ipc_ids *ids, int id)
{
	if (id < 0)
		return NULL;
	struct ipc_obj *o = ipc_at(ids, id % IPC_MNI);
	return o && o->id == id ? o : NULL;
}

/* Makes the slot table cover index idx (< IPC_MNI). */
static void
ipc_grow(struct ipc_ids *ids, int idx)
{
	int ncap = ids->cap ? ids->cap : 16;

	while (ncap <= idx)
		ncap *= 2;
	if (ncap > IPC_MNI)
		ncap = IPC_MNI;
	if (ncap == ids->cap)
		return;
	struct ipc_obj **ns = xcalloc(ncap, sizeof(*ns));
	if (ids->cap)
		memcpy(ns, ids->slot, ids->cap * sizeof(*ns));
	free(ids->slot);
	ids->slot = ns;
	ids->cap = ncap;
}

int
ipc_add(struct ipc_ids *ids, struct ipc_obj *o, struct task *t, key_t key, int mode)
{
	long next;
	int idx = 0;

	if (ids->in_use >= ids->mni)
		return -ENOSPC;
	next = ipc_sysctl_take_next_id(ids->next_sc);
	/* kernel.*_next_id (Linux ipc_idr_alloc): that sequence number, and the first free
	 * index from that one's on */
	if (next >= 0)
		idx = (int)(next % IPC_MNI);
	for (; idx < IPC_MNI; idx++) {
		if (idx >= ids->cap)
			ipc_grow(ids, idx);
		if (!ids->slot[idx])
			break;
	}
	if (idx >= IPC_MNI)
		return -ENOSPC;
	o->ns = ipc_ns_of(t);
	o->key = key;
	o->uid = o->cuid = t->euid;
	o->gid = o->cgid = t->egid;
	o->mode = mode & 0777;
	if (next >= 0) {
		o->seq = (unsigned short)(next / IPC_MNI);
	} else {
		o->seq = ids->seq;
		ids->seq = (ids->seq + 1) % (INT_MAX / IPC_MNI);
	}
	o->id = o->seq * IPC_MNI + idx;
	o->deleted = false;
	ids->slot[idx] = o;
	ids->in_use++;
	return o->id;
}

void
ipc_remove(struct ipc_ids *ids, struct ipc_obj *o)
{
	int idx = o->id % IPC_MNI;

	if (idx < ids->cap && ids->slot[idx] == o) {
		ids->slot[idx] = NULL;
		ids->in_use--;
	}
	o->deleted = true;
}

int
ipc_max_idx(struct ipc_ids *ids)
{
	for (int i = ids->cap - 1; i >= 0; i--)
		if (ids->slot[i])
			return i;
	return 0;
}

/* CAP_IPC_OWNER: past an object's permission bits */
bool
ipc_capable(struct task *t)
{
	return task_capable_in(t, NS_IPC, CAP_IPC_OWNER);
}

bool
ipc_in_group(struct task *t, gid_t g)
{
	if (g == t->egid)
		return true;
	for (int i = 0; i < t->ngroups; i++)
		if (t->groups[i] == g)
			return true;
	return false;
}

int
ipc_perms(struct task *t, struct ipc_obj *o, int flag)
{
	int want = (flag >> 6) | (flag >> 3) | flag;
	int granted = o->mode;

	if (t->euid == o->cuid || t->euid == o->uid)
		granted >>= 6;
	else if (ipc_in_group(t, o->cgid) || ipc_in_group(t, o->gid))
		granted >>= 3;
	if ((want & ~granted & 7) && !ipc_capable(t))
		return -EACCES;
	return 0;
}

int
ipc_owner(struct task *t, struct ipc_obj *o)
{
	if (t->euid == o->cuid || t->euid == o->uid || task_capable_in(t, NS_IPC, CAP_SYS_ADMIN))
		return 0;
	return -EPERM;
}

/* Ids go out and come in through the caller's user namespace (Linux ipc_update_perm:
 * an unmapped one is EINVAL). */
void
ipc_fill_perm(struct ipc_obj *o, struct ipc_perm64 *p)
{
	memset(p, 0, sizeof(*p));
	p->key = o->key;
	p->uid = userns_uid_out(current_task, o->uid);
	p->gid = userns_gid_out(current_task, o->gid);
	p->cuid = userns_uid_out(current_task, o->cuid);
	p->cgid = userns_gid_out(current_task, o->cgid);
	p->mode = o->mode;
	p->seq = o->seq;
}

int
ipc_set_perm(struct ipc_obj *o, const struct ipc_perm64 *p)
{
	long uid = userns_uid_in(current_task, p->uid), gid = userns_gid_in(current_task, p->gid);

	if (uid < 0 || gid < 0)
		return -EINVAL;
	o->uid = (uid_t)uid;
	o->gid = (gid_t)gid;
	o->mode = (o->mode & ~0777) | (p->mode & 0777);
	return 0;
}

long
ipc_now(void)
{
	return (long)time(NULL);
}

/* ---- namespaces ---- */

static struct ipc_ns *all_ns;

static struct ipc_ns *
ipc_ns_new(unsigned int ino)
{
	struct ipc_ns *ns = xcalloc(1, sizeof(*ns)), **pp;

	ns->ns = (struct ns_common){ .refs = 1, .kind = NS_IPC, .ino = ino };
	/* the limits are kernel.msgmni, sem and shmmni as each create finds them */
	ns->msg_ids.mni = (int)ipc_sysctl(IPC_SC_MSGMNI);
	ns->sem_ids.mni = (int)ipc_sysctl(IPC_SC_SEMMNI);
	ns->shm_ids.mni = (int)ipc_sysctl(IPC_SC_SHMMNI);
	ns->msg_ids.next_sc = IPC_SC_MSG_NEXT_ID;
	ns->sem_ids.next_sc = IPC_SC_SEM_NEXT_ID;
	ns->shm_ids.next_sc = IPC_SC_SHM_NEXT_ID;
	for (pp = &all_ns; *pp; pp = &(*pp)->next)
		;
	*pp = ns;
	return ns;
}

/* A new namespace starts empty (Linux copy_ipcs); the first is Linux's initial one. */
static struct ns_common *
ipc_copy(struct task *t, struct ns_common *old, struct ns_common *owner, int *err)
{
	(void)t;
	(void)owner;
	(void)err;
	return &ipc_ns_new(old ? ns_new_ino() : 4026531839u)->ns;
}

/* The last user left (Linux free_ipc_ns): every object goes; shared memory segments still
 * attached go at their last detach, so the namespace stays listed for shm_collect. */
static void
ipc_release(struct ns_common *c)
{
	struct ipc_ns *ns = (struct ipc_ns *)c;

	ns->dead = true;
	vfs_mq_ns_exit(c);
	msg_ns_exit(ns);
	sem_ns_exit(ns);
	shm_ns_exit(ns); /* (frees ns when nothing is left: ipc_ns_gc) */
}

void
ipc_ns_gc(void)
{
	struct ipc_ns **pp = &all_ns;

	while (*pp) {
		struct ipc_ns *ns = *pp;

		if (!ns->dead || ns->msg_ids.in_use || ns->sem_ids.in_use || ns->shm_ids.in_use) {
			pp = &ns->next;
			continue;
		}
		*pp = ns->next;
		free(ns->msg_ids.slot);
		free(ns->sem_ids.slot);
		free(ns->shm_ids.slot);
		free(ns);
	}
}

const struct ns_ops ns_ipc_ops = {
	.name = "ipc",
	.clone_flag = CLONE_NEWIPC,
	.copy = ipc_copy,
	.release = ipc_release,
};

struct ipc_ns *
ipc_ns_of(struct task *t)
{
	return (struct ipc_ns *)ns_of(t ? t : current_task, NS_IPC);
}

struct ipc_ns *
ipc_ns_next(struct ipc_ns *prev)
{
	return prev ? prev->next : all_ns;
}

/* ---- waiters ---- */

static struct ipc_waiter *waiters;

struct ipc_waiter *
ipc_waiters_head(void)
{
	return waiters;
}

struct ipc_waiter *
ipc_waiter_of(struct task *t)
{
	struct ipc_waiter *w;

	LL_FOREACH(waiters, w)
		if (w->t == t)
			return w;
	return NULL;
}

static void
waiter_cancel(struct task *t)
{
	struct ipc_waiter *w = ipc_waiter_of(t);

	if (w) {
		LL_DELETE(waiters, w);
		free(w);
	}
}

struct ipc_waiter *
ipc_waiter_get(struct task *t, void *obj)
{
	struct ipc_waiter *w = ipc_waiter_of(t);

	if (!w) {
		w = xcalloc(1, sizeof(*w));
		w->t = t;
		LL_PREPEND(waiters, w);
	}
	w->obj = obj;
	t->wait_cancel = waiter_cancel;
	return w;
}

void
ipc_waiter_done(struct task *t)
{
	if (t->wait_cancel == waiter_cancel)
		t->wait_cancel = NULL;
	waiter_cancel(t);
}

void
ipc_waiters_removed(void *obj)
{
	struct ipc_waiter *w;

	LL_FOREACH(waiters, w)
		if (w->obj == obj) {
			w->removed = true;
			w->obj = NULL;
		}
}

int
ipc_wait_setup(struct task *t, const struct timespec *rel)
{
	if (!t->wait_rerun) {
		if (rel) {
			if (rel->tv_sec == 0 && rel->tv_nsec == 0)
				return -EAGAIN;
			t->wait_deadline = ktime_add_sat(monotonic_ns(), ts_ktime(rel));
		}
		t->wait_eintr = true;
	} else if (t->wait_deadline && monotonic_ns() >= t->wait_deadline) {
		return -EAGAIN;
	}
	return 0;
}

void
ipc_mm_drop(struct task *t, struct mm *mm)
{
	if (mm && mm->refs == 1) {
		shm_detach_all(t, mm);
		aio_mm_drop(mm);
	}
}

/* The process led by l is gone: its semaphore adjustments apply, its segments may go. */
void
ipc_process_exit(struct task *l)
{
	sem_process_exit(l->tgid);
	shm_collect();
}

void
ipc_text_printf(struct ipc_text *x, const char *fmt, ...)
{
	va_list ap;
	char line[512];

	va_start(ap, fmt);
	int n = vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	if ((size_t)n >= sizeof(line))
		n = sizeof(line) - 1;
	if (x->len + n + 1 > x->cap) {
		size_t ncap = MAX(x->cap * 2, x->len + n + 1 + 256);
		char *ns = xmalloc(ncap);
		if (x->len)
			memcpy(ns, x->s, x->len);
		free(x->s);
		x->s = ns;
		x->cap = ncap;
	}
	memcpy(x->s + x->len, line, n);
	x->len += n;
	x->s[x->len] = '\0';
}

unsigned int
ipc_view_uid(unsigned int kuid)
{
	return userns_uid_out(current_task, kuid);
}

unsigned int
ipc_view_gid(unsigned int kgid)
{
	return userns_gid_out(current_task, kgid);
}

/* A process's pid as the caller's pid namespace numbers it (0: not visible there), as
 * IPC_STAT, GETPID and /proc/sysvipc give it. */
int
ipc_view_pid(int gpid)
{
	return task_vnr(current_task, gpid);
}

char *
ipc_proc_text(char which)
{
	struct ipc_text x = { 0 };

	if (which == 's')
		shm_proc(&x);
	else if (which == 'S')
		sem_proc(&x);
	else
		msg_proc(&x);
	if (!x.s)
		ipc_text_printf(&x, "%s", "");
	return x.s;
}
