/*
 * System V semaphores: semget, semop, semtimedop, semctl (Linux ipc/sem.c).
 * A semop applies all its operations or none. One that cannot proceed waits on the set's
 * queue (every change wakes the queue; the call re-runs and tries again), with a record
 * of the operation that blocked for GETNCNT/GETZCNT; removal ends the wait with EIDRM, a
 * signal with EINTR (never restarted), semtimedop's timeout with EAGAIN. SEM_UNDO
 * adjustments are per process (by pid: shared by its threads, not inherited by fork,
 * kept over execve) and apply when the process ends.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ipc.h>
#include <sys/sem.h>
#include <sys/stat.h>
#include <time.h>
#include <utlist.h>

#include "syscalls/internal.h"
#include "syscalls/ipc.h"

/* kernel.sem: semmsl, semmns, semopm, semmni (ints, as root last wrote them) */
#define SEM_MSL ((int)ipc_sysctl(IPC_SC_SEMMSL))
#define SEM_MNS ((long)(int)ipc_sysctl(IPC_SC_SEMMNS))
#define SEM_OPM ((int)ipc_sysctl(IPC_SC_SEMOPM))
#define SEM_MNI ((int)ipc_sysctl(IPC_SC_SEMMNI))
#define SEM_OPM_HARD 65536         /* operations one semop copies at most, whatever semopm */
#define SEM_VMX 32767
#define SEM_AEM SEM_VMX
#define SEM_MAX_TOTAL (1 << 22)   /* semaphores in the sandbox at once: bounds the memory */

struct sem {
	int val;
	int pid;
};

struct sem_set {
	struct ipc_obj perm;
	int nsems;
	long otime, ctime;
	struct waitq wq;
	struct sem sems[];
};

/* A process's SEM_UNDO adjustments for one set. */
struct sem_undo {
	int tgid;
	struct sem_set *set;
	struct sem_undo *next;
	short adj[];
};

/* x86-64 struct semid64_ds and struct seminfo */
struct semid_ds64 {
	struct ipc_perm64 perm;
	long otime;
	unsigned long unused1;
	long ctime;
	unsigned long unused2, nsems, unused3, unused4;
};
struct seminfo_64 {
	int semmap, semmni, semmns, semmnu, semmsl, semopm, semume, semusz, semvmx, semaem;
};

static struct sem_undo *undos;

static struct sem_set *
set_of(struct ipc_obj *o)
{
	return (struct sem_set *)o;
}

static long
sem_create(struct task *t, key_t key, int nsems, int flg)
{
	struct ipc_ns *ns = ipc_ns_of(t);
	struct sem_set *s;
	int id;

	if (nsems == 0)
		return -EINVAL;
	if (ns->sems_used + nsems > SEM_MNS || ns->sems_used + nsems > SEM_MAX_TOTAL)
		return -ENOSPC;
	ns->sem_ids.mni = SEM_MNI;
	if (ns->sem_ids.in_use >= ns->sem_ids.mni)
		return -ENOSPC;
	size_t bytes = sizeof(*s) + nsems * sizeof(struct sem);
	if (mem_charge(bytes))
		return -ENOMEM;
	s = xcalloc(1, bytes);
	s->nsems = nsems;
	s->ctime = ipc_now();
	id = ipc_add(&ns->sem_ids, &s->perm, t, key, flg);
	if (id < 0) {
		mem_uncharge(bytes);
		free(s);
		return id;
	}
	ns->sems_used += nsems;
	return id;
}

SYSCALL(semget)
{
	struct ipc_ns *ns = ipc_ns_of(t);
	key_t key = (key_t)a->a[0];
	int nsems = (int)a->a[1];
	int flg = (int)a->a[2];
	struct ipc_obj *o;

	if (nsems < 0 || nsems > SEM_MSL)
		return -EINVAL;
	if (key == IPC_PRIVATE)
		return sem_create(t, key, nsems, flg);
	o = ipc_find_key(&ns->sem_ids, key);
	if (!o)
		return flg & IPC_CREAT ? sem_create(t, key, nsems, flg) : -ENOENT;
	if ((flg & IPC_CREAT) && (flg & IPC_EXCL))
		return -EEXIST;
	if (ipc_perms(t, o, flg))
		return -EACCES;
	if (nsems > set_of(o)->nsems)
		return -EINVAL;
	return o->id;
}

static struct sem_undo *
undo_find(int tgid, struct sem_set *s)
{
	struct sem_undo *u;

	LL_FOREACH(undos, u)
		if (u->tgid == tgid && u->set == s)
			return u;
	return NULL;
}

static void
undo_free(struct sem_undo *u)
{
	LL_DELETE(undos, u);
	mem_uncharge(sizeof(*u) + u->set->nsems * sizeof(short));
	free(u);
}

/* SETVAL (semnum) or SETALL (-1): the adjustments for those semaphores are void. */
static void
undo_clear(struct sem_set *s, int semnum)
{
	struct sem_undo *u;

	LL_FOREACH(undos, u) {
		if (u->set != s)
			continue;
		if (semnum < 0)
			memset(u->adj, 0, s->nsems * sizeof(short));
		else
			u->adj[semnum] = 0;
	}
}

static void
set_free(struct sem_set *s)
{
	struct ipc_ns *ns = s->perm.ns;
	struct sem_undo *u, *tmp;

	LL_FOREACH_SAFE(undos, u, tmp)
		if (u->set == s)
			undo_free(u);
	ipc_remove(&ns->sem_ids, &s->perm);
	ipc_waiters_removed(s);
	waitq_wake(&s->wq);
	ns->sems_used -= s->nsems;
	mem_uncharge(sizeof(*s) + s->nsems * sizeof(struct sem));
	free(s);
}

/*
 * Tries the operations in order on the set: all applied (0), or none and the index of
 * the one that must wait (*block, return 1), or -EAGAIN (IPC_NOWAIT), -ERANGE.
 */
static int
try_ops(struct sem_set *s, const struct sembuf *ops, int n, struct sem_undo *u, int *block)
{
	int i, err = 0;

	for (i = 0; i < n; i++) {
		struct sem *m = &s->sems[ops[i].sem_num];
		int op = ops[i].sem_op;
		int v = m->val + op;
		if ((op == 0 && m->val != 0) || v < 0) {
			err = ops[i].sem_flg & IPC_NOWAIT ? -EAGAIN : 1;
			*block = i;
			break;
		}
		if (v > SEM_VMX) {
			err = -ERANGE;
			break;
		}
		if ((ops[i].sem_flg & SEM_UNDO) && u) {
			int adj = u->adj[ops[i].sem_num] - op;
			if (adj < -SEM_AEM - 1 || adj > SEM_AEM) {
				err = -ERANGE;
				break;
			}
			u->adj[ops[i].sem_num] = adj;
		}
		m->val = v;
	}
	if (!err)
		return 0;
	while (--i >= 0) { /* undo what was applied */
		s->sems[ops[i].sem_num].val -= ops[i].sem_op;
		if ((ops[i].sem_flg & SEM_UNDO) && u)
			u->adj[ops[i].sem_num] += ops[i].sem_op;
	}
	return err;
}

/* The namespace's last user left: its sets go. */
void
sem_ns_exit(struct ipc_ns *ns)
{
	for (int i = 0; i < ns->sem_ids.cap; i++)
		if (ns->sem_ids.slot[i])
			set_free(set_of(ns->sem_ids.slot[i]));
}

static long
do_semop(struct task *t, int id, unsigned long usops, long nsops, unsigned long utimeout)
{
	struct ipc_ns *ns = ipc_ns_of(t);
	_cleanup_free_ struct sembuf *ops = NULL;
	struct timespec ts;
	bool undo = false, alter = false;
	int max = 0, block = 0;

	if (nsops < 1 || id < 0)
		return -EINVAL;
	if (nsops > SEM_OPM || nsops > SEM_OPM_HARD)
		return -E2BIG;
	ops = xmalloc(nsops * sizeof(ops[0]));
	if (copy_from_guest(t, ops, usops, nsops * sizeof(ops[0])))
		return -EFAULT;
	if (utimeout) {
		if (copy_from_guest(t, &ts, utimeout, sizeof(ts)))
			return -EFAULT;
		if (ts.tv_sec < 0 || ts.tv_nsec < 0 || ts.tv_nsec >= 1000000000L)
			return -EINVAL;
	}
	for (int i = 0; i < nsops; i++) {
		max = MAX(max, ops[i].sem_num);
		undo |= (ops[i].sem_flg & SEM_UNDO) != 0;
		alter |= ops[i].sem_op != 0;
	}
	struct ipc_waiter *w = ipc_waiter_of(t);
	if (w && t->wait_rerun && w->removed)
		return -EIDRM;
	struct ipc_obj *o = ipc_lookup(&ns->sem_ids, id);
	if (!o)
		return t->wait_rerun && w ? -EIDRM : -EINVAL;
	struct sem_set *s = set_of(o);
	if (max >= s->nsems)
		return -EFBIG;
	if (ipc_perms(t, o, alter ? S_IWUGO : S_IRUGO))
		return -EACCES;
	struct sem_undo *u = undo ? undo_find(t->tgid, s) : NULL;
	if (undo && !t->semundo_ctx)
		t->semundo_ctx = kcmp_new_ctx();
	if (undo && !u) {
		size_t bytes = sizeof(*u) + s->nsems * sizeof(short);
		if (mem_charge(bytes))
			return -ENOMEM;
		u = xcalloc(1, bytes);
		u->tgid = t->tgid;
		u->set = s;
		LL_PREPEND(undos, u);
	}
	int r = try_ops(s, ops, (int)nsops, u, &block);
	if (r < 0)
		return r;
	if (r == 0) {
		for (int i = 0; i < nsops; i++)
			s->sems[ops[i].sem_num].pid = t->tgid;
		s->otime = ipc_now();
		if (alter)
			waitq_wake(&s->wq);
		ipc_waiter_done(t);
		return 0;
	}
	int err = ipc_wait_setup(t, utimeout ? &ts : NULL);
	if (err)
		return err;
	w = ipc_waiter_get(t, s);
	w->semnum = ops[block].sem_num;
	w->semop = ops[block].sem_op;
	task_wait_on(t, &s->wq);
	return sysret(SYSRET_BLOCK);
}

SYSCALL(semop)
{
	return do_semop(t, (int)a->a[0], a->a[1], (unsigned int)a->a[2], 0);
}

SYSCALL(semtimedop)
{
	return do_semop(t, (int)a->a[0], a->a[1], (unsigned int)a->a[2], a->a[3]);
}

/* The process tgid ended: its adjustments apply (clamped to 0..SEMVMX, as Linux). */
void
sem_process_exit(int tgid)
{
	struct sem_undo *u, *tmp;

	LL_FOREACH_SAFE(undos, u, tmp) {
		if (u->tgid != tgid)
			continue;
		struct sem_set *s = u->set;
		for (int i = 0; i < s->nsems; i++) {
			if (!u->adj[i])
				continue;
			int v = s->sems[i].val + u->adj[i];
			s->sems[i].val = v < 0 ? 0 : v > SEM_VMX ? SEM_VMX : v;
			s->sems[i].pid = tgid;
		}
		waitq_wake(&s->wq);
		undo_free(u);
	}
}

static int
count_waiters(struct sem_set *s, int semnum, bool zero)
{
	int n = 0;

	IPC_FOR_WAITERS(w, s) {
		if (w->semnum == semnum && (zero ? w->semop == 0 : w->semop < 0))
			n++;
	}
	return n;
}

static long
sem_info(struct task *t, int cmd, unsigned long buf)
{
	struct ipc_ns *ns = ipc_ns_of(t);
	struct seminfo_64 in = {
		.semmap = SEM_MNS, .semmni = SEM_MNI, .semmns = SEM_MNS, .semmnu = SEM_MNS,
		.semmsl = SEM_MSL, .semopm = SEM_OPM, .semume = SEM_OPM, .semusz = 20,
		.semvmx = SEM_VMX, .semaem = SEM_AEM,
	};

	if (cmd == SEM_INFO) {
		in.semusz = ns->sem_ids.in_use;
		in.semaem = (int)ns->sems_used;
	}
	if (copy_to_guest(t, buf, &in, sizeof(in)))
		return -EFAULT;
	return ipc_max_idx(&ns->sem_ids);
}

static long
sem_stat(struct task *t, struct ipc_obj *o, int cmd, unsigned long buf)
{
	struct sem_set *s = set_of(o);
	struct semid_ds64 ds;

	if (cmd != SEM_STAT_ANY && ipc_perms(t, o, S_IRUGO))
		return -EACCES;
	memset(&ds, 0, sizeof(ds));
	ipc_fill_perm(o, &ds.perm);
	ds.otime = s->otime;
	ds.ctime = s->ctime;
	ds.nsems = s->nsems;
	if (copy_to_guest(t, buf, &ds, sizeof(ds)))
		return -EFAULT;
	return cmd == IPC_STAT ? 0 : o->id;
}

static long
sem_setall(struct task *t, struct sem_set *s, unsigned long buf)
{
	unsigned short *v = xcalloc(s->nsems, sizeof(*v));
	long err = 0;

	if (copy_from_guest(t, v, buf, s->nsems * sizeof(*v)))
		err = -EFAULT;
	for (int i = 0; !err && i < s->nsems; i++)
		if (v[i] > SEM_VMX)
			err = -ERANGE;
	if (!err && ipc_perms(t, &s->perm, S_IWUGO))
		err = -EACCES;
	if (!err) {
		for (int i = 0; i < s->nsems; i++) {
			s->sems[i].val = v[i];
			s->sems[i].pid = t->tgid;
		}
		undo_clear(s, -1);
		s->ctime = ipc_now();
		waitq_wake(&s->wq);
	}
	free(v);
	return err;
}

static long
sem_getall(struct task *t, struct sem_set *s, unsigned long buf)
{
	unsigned short *v = xcalloc(s->nsems, sizeof(*v));
	long err = 0;

	for (int i = 0; i < s->nsems; i++)
		v[i] = (unsigned short)s->sems[i].val;
	if (copy_to_guest(t, buf, v, s->nsems * sizeof(*v)))
		err = -EFAULT;
	free(v);
	return err;
}

/* GETVAL GETPID GETNCNT GETZCNT GETALL SETALL */
static long
sem_main(struct task *t, struct sem_set *s, int semnum, int cmd, unsigned long arg)
{
	if (cmd == SETALL)
		return sem_setall(t, s, arg);
	if (ipc_perms(t, &s->perm, S_IRUGO))
		return -EACCES;
	if (cmd == GETALL)
		return sem_getall(t, s, arg);
	if (semnum < 0 || semnum >= s->nsems)
		return -EINVAL;
	switch (cmd) {
	case GETVAL:
		return s->sems[semnum].val;
	case GETPID:
		return ipc_view_pid(s->sems[semnum].pid);
	case GETNCNT:
		return count_waiters(s, semnum, false);
	default:
		return count_waiters(s, semnum, true);
	}
}

static long
sem_setval(struct task *t, int id, int semnum, int val)
{
	struct ipc_ns *ns = ipc_ns_of(t);
	if (val < 0 || val > SEM_VMX)
		return -ERANGE;
	struct ipc_obj *o = ipc_lookup(&ns->sem_ids, id);
	if (!o)
		return -EINVAL;
	struct sem_set *s = set_of(o);
	if (semnum < 0 || semnum >= s->nsems)
		return -EINVAL;
	if (ipc_perms(t, o, S_IWUGO))
		return -EACCES;
	undo_clear(s, semnum);
	s->sems[semnum].val = val;
	s->sems[semnum].pid = t->tgid;
	s->ctime = ipc_now();
	waitq_wake(&s->wq);
	return 0;
}

SYSCALL(semctl)
{
	struct ipc_ns *ns = ipc_ns_of(t);
	int id = (int)a->a[0];
	int semnum = (int)a->a[1];
	int cmd = (int)a->a[2] & ~IPC_64;
	unsigned long arg = a->a[3];
	struct ipc_obj *o;

	if (id < 0)
		return -EINVAL;
	switch (cmd) {
	case IPC_INFO:
	case SEM_INFO:
		return sem_info(t, cmd, arg);
	case SEM_STAT:
	case SEM_STAT_ANY:
		o = ipc_at(&ns->sem_ids, id);
		return o ? sem_stat(t, o, cmd, arg) : -EINVAL;
	case SETVAL:
		return sem_setval(t, id, semnum, (int)arg);
	case IPC_STAT:
	case IPC_SET:
	case IPC_RMID:
	case GETVAL:
	case GETPID:
	case GETNCNT:
	case GETZCNT:
	case GETALL:
	case SETALL:
		break;
	default:
		return -EINVAL;
	}
	if (cmd == IPC_SET) { /* read before the lookup, as Linux: EFAULT first */
		struct semid_ds64 ds;
		if (copy_from_guest(t, &ds, arg, sizeof(ds)))
			return -EFAULT;
	}
	o = ipc_lookup(&ns->sem_ids, id);
	if (!o)
		return -EINVAL;
	if (cmd == IPC_STAT)
		return sem_stat(t, o, cmd, arg);
	if (cmd == IPC_SET) {
		struct semid_ds64 ds;
		if (copy_from_guest(t, &ds, arg, sizeof(ds)))
			return -EFAULT;
		int err = ipc_owner(t, o);
		if (err)
			return err;
		if ((err = ipc_set_perm(o, &ds.perm)))
			return err;
		set_of(o)->ctime = ipc_now();
		return 0;
	}
	if (cmd == IPC_RMID) {
		int err = ipc_owner(t, o);
		if (!err)
			set_free(set_of(o));
		return err;
	}
	return sem_main(t, set_of(o), semnum, cmd, arg);
}

void
sem_proc(struct ipc_text *x)
{
	struct ipc_ns *ns = ipc_ns_of(NULL);
	ipc_text_printf(x, "       key      semid perms      nsems   uid   gid  cuid  cgid      otime"
			"      ctime\n");
	for (int i = 0; i < ns->sem_ids.cap; i++) {
		struct ipc_obj *o = ns->sem_ids.slot[i];
		if (!o)
			continue;
		struct sem_set *s = set_of(o);
		ipc_text_printf(x, "%10d %10d  %4o %10u %5u %5u %5u %5u %10ld %10ld\n", o->key, o->id,
				o->mode, s->nsems, ipc_view_uid(o->uid), ipc_view_gid(o->gid), ipc_view_uid(o->cuid),
				ipc_view_gid(o->cgid), s->otime, s->ctime);
	}
}
