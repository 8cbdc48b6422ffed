/*
 * System V message queues: msgget, msgsnd, msgrcv, msgctl (Linux ipc/msg.c).
 * Messages live in the sentry (charged against --memory). A send to a full queue or a
 * receive that finds nothing waits on the queue's queue (every change wakes it; the call
 * re-runs); a signal handler ends it with EINTR (even with SA_RESTART), a stop and continue
 * restart it (Linux's ERESTARTNOHAND); removal ends it with EIDRM.
 */
#include <errno.h>
#include <linux/capability.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ipc.h>
#include <sys/msg.h>
#include <sys/stat.h>
#include <utlist.h>

#include "syscalls/internal.h"
#include "syscalls/ipc.h"

/* kernel.msgmax (bytes in one message), msgmnb (default bytes in one queue), msgmni */
#define MSG_MAX ((long)ipc_sysctl(IPC_SC_MSGMAX))
#define MSG_MNB ((unsigned long)ipc_sysctl(IPC_SC_MSGMNB))
#define MSG_MNI ((int)ipc_sysctl(IPC_SC_MSGMNI))
#ifndef MSG_COPY
#define MSG_COPY 040000
#endif

struct msg {
	long type;
	size_t len;
	struct msg *prev, *next;
	char data[];
};

struct msg_queue {
	struct ipc_obj perm;
	long stime, rtime, ctime;
	unsigned long cbytes, qnum, qbytes;
	int lspid, lrpid;
	struct msg *msgs;
	struct waitq wq;
};

/* x86-64 struct msqid64_ds and struct msginfo */
struct msqid_ds64 {
	struct ipc_perm64 perm;
	long stime, rtime, ctime;
	unsigned long cbytes, qnum, qbytes;
	int lspid, lrpid;
	unsigned long unused4, unused5;
};
struct msginfo_64 {
	int msgpool, msgmap, msgmax, msgmnb, msgmni, msgssz, msgtql;
	unsigned short msgseg;
};


static struct msg_queue *
q_of(struct ipc_obj *o)
{
	return (struct msg_queue *)o;
}

static void
msg_free(struct msg_queue *q, struct msg *m)
{
	struct ipc_ns *ns = q->perm.ns;
	DL_DELETE(q->msgs, m);
	q->cbytes -= m->len;
	q->qnum--;
	ns->msg_bytes -= m->len;
	ns->msg_count--;
	mem_uncharge(sizeof(*m) + m->len);
	free(m);
}

static void
queue_free(struct msg_queue *q)
{
	struct ipc_ns *ns = q->perm.ns;
	while (q->msgs)
		msg_free(q, q->msgs);
	ipc_remove(&ns->msg_ids, &q->perm);
	ipc_waiters_removed(q);
	waitq_wake(&q->wq);
	mem_uncharge(sizeof(*q));
	free(q);
}

/* The namespace's last user left: its queues go. */
void
msg_ns_exit(struct ipc_ns *ns)
{
	for (int i = 0; i < ns->msg_ids.cap; i++)
		if (ns->msg_ids.slot[i])
			queue_free(q_of(ns->msg_ids.slot[i]));
}

static long
msg_create(struct task *t, key_t key, int flg)
{
	struct ipc_ns *ns = ipc_ns_of(t);
	struct msg_queue *q;
	int id;

	ns->msg_ids.mni = MSG_MNI;
	if (ns->msg_ids.in_use >= ns->msg_ids.mni)
		return -ENOSPC;
	if (mem_charge(sizeof(*q)))
		return -ENOMEM;
	q = xcalloc(1, sizeof(*q));
	q->qbytes = MSG_MNB;
	q->ctime = ipc_now();
	id = ipc_add(&ns->msg_ids, &q->perm, t, key, flg);
	if (id < 0) {
		mem_uncharge(sizeof(*q));
		free(q);
	}
	return id;
}

SYSCALL(msgget)
{
	struct ipc_ns *ns = ipc_ns_of(t);
	key_t key = (key_t)a->a[0];
	int flg = (int)a->a[1];
	struct ipc_obj *o;

	if (key == IPC_PRIVATE)
		return msg_create(t, key, flg);
	o = ipc_find_key(&ns->msg_ids, key);
	if (!o)
		return flg & IPC_CREAT ? msg_create(t, key, flg) : -ENOENT;
	if ((flg & IPC_CREAT) && (flg & IPC_EXCL))
		return -EEXIST;
	if (ipc_perms(t, o, flg))
		return -EACCES;
	return o->id;
}

/* The object a blocked call waited on, if it was removed meanwhile: -EIDRM. */
static int
removed_while_waiting(struct task *t)
{
	struct ipc_waiter *w = ipc_waiter_of(t);

	return t->wait_rerun && w && w->removed ? -EIDRM : 0;
}

/* The queue msgsnd/msgrcv work on, with perm (S_IWUGO, S_IRUGO) checked: -EIDRM if it
 * went while the call waited, -EINVAL if there is none, -EACCES. */
static int
queue_for(struct task *t, int id, int perm, struct msg_queue **out)
{
	struct ipc_ns *ns = ipc_ns_of(t);
	int err = removed_while_waiting(t);
	if (err)
		return err;
	struct ipc_obj *o = ipc_lookup(&ns->msg_ids, id);
	if (!o)
		return t->wait_rerun && ipc_waiter_of(t) ? -EIDRM : -EINVAL;
	if (ipc_perms(t, o, perm))
		return -EACCES;
	*out = q_of(o);
	return 0;
}

/* Waits on q; a signal restarts the call unless a handler runs (then EINTR, even with
 * SA_RESTART): Linux's ERESTARTNOHAND. */
static long
block(struct task *t, struct msg_queue *q)
{
	t->wait_nohand = true;
	ipc_waiter_get(t, q);
	task_wait_on(t, &q->wq);
	return sysret(SYSRET_BLOCK);
}

SYSCALL(msgsnd)
{
	struct ipc_ns *ns = ipc_ns_of(t);
	int id = (int)a->a[0];
	unsigned long umsg = a->a[1];
	size_t sz = a->a[2];
	int flg = (int)a->a[3];
	long type;
	struct msg *m;

	if (copy_from_guest(t, &type, umsg, sizeof(type)))
		return -EFAULT;
	if ((long)sz > MSG_MAX || (long)sz < 0 || id < 0)
		return -EINVAL;
	if (type < 1)
		return -EINVAL;
	struct msg_queue *q;
	int err = queue_for(t, id, S_IWUGO, &q);
	if (err)
		return err;
	if (sz + q->cbytes > q->qbytes || 1 + q->qnum > q->qbytes) {
		if (flg & IPC_NOWAIT)
			return -EAGAIN;
		return block(t, q);
	}
	if (mem_charge(sizeof(*m) + sz))
		return -ENOMEM;
	m = xmalloc(sizeof(*m) + sz + 1);
	m->type = type;
	m->len = sz;
	if (copy_from_guest(t, m->data, umsg + sizeof(long), sz)) {
		mem_uncharge(sizeof(*m) + sz);
		free(m);
		return -EFAULT;
	}
	DL_APPEND(q->msgs, m);
	q->cbytes += sz;
	q->qnum++;
	ns->msg_bytes += sz;
	ns->msg_count++;
	q->lspid = t->tgid;
	q->stime = ipc_now();
	waitq_wake(&q->wq);
	ipc_waiter_done(t);
	return 0;
}

/* The message msgrcv takes: by type (0 any, > 0 that type or with MSG_EXCEPT any other,
 * < 0 the lowest type up to -type) or with MSG_COPY the one at that position. */
static struct msg *
find_msg(struct msg_queue *q, long type, int flg)
{
	struct msg *m, *best = NULL;
	long n = 0;

	DL_FOREACH(q->msgs, m) {
		if (flg & MSG_COPY) {
			if (n++ == type)
				return m;
		} else if (type == 0) {
			return m;
		} else if (type > 0) {
			if ((flg & MSG_EXCEPT) ? m->type != type : m->type == type)
				return m;
		} else if (m->type <= -type && (!best || m->type < best->type)) {
			best = m;
			if (m->type == 1)
				break;
		}
	}
	return best;
}

SYSCALL(msgrcv)
{
	int id = (int)a->a[0];
	unsigned long umsg = a->a[1];
	long sz = (long)a->a[2];
	long type = (long)a->a[3];
	int flg = (int)a->a[4];

	if (id < 0 || sz < 0)
		return -EINVAL;
	if (flg & MSG_COPY) {
		if ((flg & MSG_EXCEPT) || !(flg & IPC_NOWAIT))
			return -EINVAL;
	}
	struct msg_queue *q;
	int err = queue_for(t, id, S_IRUGO, &q);
	if (err)
		return err;
	struct msg *m = find_msg(q, type, flg);
	if (!m) {
		if (flg & IPC_NOWAIT)
			return -ENOMSG;
		return block(t, q);
	}
	if ((size_t)sz < m->len && !(flg & MSG_NOERROR))
		return -E2BIG;
	if ((flg & MSG_COPY) && (size_t)sz < m->len)
		return -EINVAL; /* Linux copy_msg: a copy is never cut short, MSG_NOERROR or not */
	size_t n = MIN((size_t)sz, m->len);
	ipc_waiter_done(t);
	if (copy_to_guest(t, umsg, &m->type, sizeof(long)) ||
	    copy_to_guest(t, umsg + sizeof(long), m->data, n))
		err = -EFAULT;
	if (flg & MSG_COPY)
		return err ? err : (long)n;
	msg_free(q, m);
	q->lrpid = t->tgid;
	q->rtime = ipc_now();
	waitq_wake(&q->wq);
	return err ? err : (long)n;
}

static long
msg_stat(struct task *t, struct ipc_obj *o, int cmd, unsigned long buf)
{
	struct msg_queue *q = q_of(o);
	struct msqid_ds64 ds;

	if (cmd != MSG_STAT_ANY && ipc_perms(t, o, S_IRUGO))
		return -EACCES;
	memset(&ds, 0, sizeof(ds));
	ipc_fill_perm(o, &ds.perm);
	ds.stime = q->stime;
	ds.rtime = q->rtime;
	ds.ctime = q->ctime;
	ds.cbytes = q->cbytes;
	ds.qnum = q->qnum;
	ds.qbytes = q->qbytes;
	ds.lspid = ipc_view_pid(q->lspid);
	ds.lrpid = ipc_view_pid(q->lrpid);
	if (copy_to_guest(t, buf, &ds, sizeof(ds)))
		return -EFAULT;
	return cmd == IPC_STAT ? 0 : o->id;
}

static long
msg_info(struct task *t, int cmd, unsigned long buf)
{
	struct ipc_ns *ns = ipc_ns_of(t);
	struct msginfo_64 in = {
		.msgpool = 32000 * 16384 / 1024, .msgmap = 16384, .msgmax = (int)MSG_MAX,
		.msgmnb = (int)MSG_MNB, .msgmni = MSG_MNI, .msgssz = 16, .msgtql = 16384,
		.msgseg = 0xffff,
	};

	if (cmd == MSG_INFO) {
		in.msgpool = ns->msg_ids.in_use;
		in.msgmap = (int)ns->msg_count;
		in.msgtql = (int)ns->msg_bytes;
	}
	if (copy_to_guest(t, buf, &in, sizeof(in)))
		return -EFAULT;
	return ipc_max_idx(&ns->msg_ids);
}

static long
msg_set(struct task *t, struct msg_queue *q, unsigned long buf)
{
	struct msqid_ds64 ds;

	if (copy_from_guest(t, &ds, buf, sizeof(ds)))
		return -EFAULT;
	int err = ipc_owner(t, &q->perm);
	if (err)
		return err;
	if (ds.qbytes > MSG_MNB && !task_capable(t, CAP_SYS_RESOURCE))
		return -EPERM;
	if ((long)ds.qbytes < 0)
		return -EINVAL;
	if ((err = ipc_set_perm(&q->perm, &ds.perm)))
		return err;
	q->qbytes = ds.qbytes;
	q->ctime = ipc_now();
	waitq_wake(&q->wq); /* senders may fit now */
	return 0;
}

SYSCALL(msgctl)
{
	struct ipc_ns *ns = ipc_ns_of(t);
	int id = (int)a->a[0];
	int cmd = (int)a->a[1] & ~IPC_64;
	unsigned long buf = a->a[2];
	struct ipc_obj *o;

	if (id < 0 || cmd < 0)
		return -EINVAL;
	switch (cmd) {
	case IPC_INFO:
	case MSG_INFO:
		return msg_info(t, cmd, buf);
	case MSG_STAT:
	case MSG_STAT_ANY:
		o = ipc_at(&ns->msg_ids, id);
		return o ? msg_stat(t, o, cmd, buf) : -EINVAL;
	case IPC_STAT:
	case IPC_SET:
	case IPC_RMID:
		break;
	default:
		return -EINVAL;
	}
	if (cmd == IPC_SET) { /* read before the lookup, as Linux: EFAULT first */
		struct msqid_ds64 ds;
		if (copy_from_guest(t, &ds, buf, sizeof(ds)))
			return -EFAULT;
	}
	o = ipc_lookup(&ns->msg_ids, id);
	if (!o)
		return -EINVAL;
	if (cmd == IPC_STAT)
		return msg_stat(t, o, cmd, buf);
	if (cmd == IPC_SET)
		return msg_set(t, q_of(o), buf);
	int err = ipc_owner(t, o);
	if (!err)
		queue_free(q_of(o));
	return err;
}

void
msg_proc(struct ipc_text *x)
{
	struct ipc_ns *ns = ipc_ns_of(NULL);
	ipc_text_printf(x, "       key      msqid perms      cbytes       qnum lspid lrpid   uid   gid"
			"  cuid  cgid      stime      rtime      ctime\n");
	for (int i = 0; i < ns->msg_ids.cap; i++) {
		struct ipc_obj *o = ns->msg_ids.slot[i];
		if (!o)
			continue;
		struct msg_queue *q = q_of(o);
		ipc_text_printf(x, "%10d %10d  %4o  %10lu %10lu %5u %5u %5u %5u %5u %5u %10ld %10ld "
				"%10ld\n", o->key, o->id, o->mode, q->cbytes, q->qnum,
				ipc_view_pid(q->lspid), ipc_view_pid(q->lrpid), ipc_view_uid(o->uid), ipc_view_gid(o->gid), ipc_view_uid(o->cuid),
				ipc_view_gid(o->cgid), q->stime, q->rtime,
				q->ctime);
	}
}
