/*
 * System V IPC inside the sentry: one IPC namespace for the whole sandbox, nothing shared
 * with the host. The registry (ids, keys, permissions) is common to shared memory
 * (sys_shm.c), semaphores (sys_sem.c) and message queues (sys_msg.c); private to syscalls/.
 */
#pragma once
#include <stdbool.h>
#include <sys/types.h>

#include "sentry/ns.h"
#include "sentry/sentry.h"

#ifndef S_IRUGO
#define S_IRUGO 0444
#define S_IWUGO 0222
#define S_IXUGO 0111
#endif
#define IPC_MNI 32768             /* IPCMNI: an id is index + seq * IPC_MNI */
#ifndef IPC_64
#define IPC_64 0x0100
#endif

/* struct ipc64_perm of x86-64 (glibc's struct ipc_perm has the same layout). */
struct ipc_perm64 {
	int key;
	unsigned int uid, gid, cuid, cgid;
	unsigned int mode;
	unsigned short seq, pad2;
	unsigned long unused1, unused2;
};

struct ipc_ns;

/* The common head of every SysV object (Linux kern_ipc_perm). */
struct ipc_obj {
	struct ipc_ns *ns;        /* the IPC namespace it lives in */
	key_t key;
	int id;
	uid_t uid, cuid;
	gid_t gid, cgid;
	unsigned int mode;        /* 0777 bits plus the type's flags (SHM_DEST...) */
	unsigned short seq;
	bool deleted;             /* removed: waiters end with EIDRM */
};

/* One kind of object: a table by index. */
struct ipc_ids {
	struct ipc_obj **slot;
	int cap;
	int in_use;
	unsigned short seq;
	int mni;                  /* most objects at once (SHMMNI, SEMMNI, MSGMNI) */
	int next_sc;              /* its kernel.*_next_id sysctl (IPC_SC_*_NEXT_ID) */
};

/* An IPC namespace (sentry/ns.h): its three registries and their totals. Every one made
 * stays on a list (ipc_ns_next) after its last user left, until its last attached shared
 * memory segment went (ipc_ns_gc). */
struct ipc_ns {
	struct ns_common ns;
	bool dead;                /* no task or file refers to it any more */
	struct ipc_ids msg_ids, sem_ids, shm_ids;
	unsigned long msg_bytes, msg_count;   /* in all queues */
	long sems_used;
	unsigned long shm_tot;    /* pages of all segments */
	struct ipc_ns *next;
};
struct ipc_ns *ipc_ns_of(struct task *t);   /* t NULL: the caller's (current_task) */
/* Iteration over every IPC namespace ever made (NULL: the first). */
struct ipc_ns *ipc_ns_next(struct ipc_ns *prev);
/* Namespaces no task refers to and with no segment left attached are freed. */
void ipc_ns_gc(void);
/* The namespace's last user left: its objects go as by IPC_RMID (sys_*.c). */
void msg_ns_exit(struct ipc_ns *ns);
void sem_ns_exit(struct ipc_ns *ns);
void shm_ns_exit(struct ipc_ns *ns);

struct ipc_obj *ipc_find_key(struct ipc_ids *ids, key_t key);
/* The object with this id (index and sequence), or NULL. */
struct ipc_obj *ipc_lookup(struct ipc_ids *ids, int id);
/* The object at index idx, whose bits above the index are ignored as Linux does (the *_STAT
 * commands), or NULL. */
struct ipc_obj *ipc_at(struct ipc_ids *ids, int idx);
/* Enters o (perm fields set from t and mode) with key: its id or -ENOSPC. */
int ipc_add(struct ipc_ids *ids, struct ipc_obj *o, struct task *t, key_t key, int mode);
void ipc_remove(struct ipc_ids *ids, struct ipc_obj *o);
int ipc_max_idx(struct ipc_ids *ids);   /* highest index in use, 0 if none */
/* Linux ipcperms: flag holds the wanted 0777-style bits (S_IRUGO...): 0 / -EACCES. */
int ipc_perms(struct task *t, struct ipc_obj *o, int flag);
/* IPC_SET / IPC_RMID: the caller owns or created o (or is privileged): 0 / -EPERM. */
int ipc_owner(struct task *t, struct ipc_obj *o);
bool ipc_capable(struct task *t);
bool ipc_in_group(struct task *t, gid_t g);   /* egid or a supplementary group */
void ipc_fill_perm(struct ipc_obj *o, struct ipc_perm64 *p);
/* IPC_SET: uid, gid and the 0777 bits from p (ids of the caller's user namespace). */
int ipc_set_perm(struct ipc_obj *o, const struct ipc_perm64 *p);   /* 0 / -EINVAL */
long ipc_now(void);

/*
 * Blocked semop/msgsnd/msgrcv calls: one record per waiting task, kept across the re-runs
 * of its call (t->wait_cancel frees it). Removing the object marks its waiters removed:
 * their calls end with EIDRM.
 */
struct ipc_waiter {
	struct task *t;
	void *obj;
	int semnum;               /* semaphores: the operation that blocked */
	short semop;
	bool removed;
	struct ipc_waiter *next;
};
struct ipc_waiter *ipc_waiter_of(struct task *t);
struct ipc_waiter *ipc_waiter_get(struct task *t, void *obj);  /* finds or makes one */
void ipc_waiter_done(struct task *t);
void ipc_waiters_removed(void *obj);
/* Callback for each waiter on obj. */
#define IPC_FOR_WAITERS(w, o) for (struct ipc_waiter *w = ipc_waiters_head(); w; w = w->next) \
	if (w->obj == (o))
struct ipc_waiter *ipc_waiters_head(void);
/* A relative timeout (semtimedop): validated (-EINVAL) and armed on the first run;
 * -EAGAIN when it passed on a later one. Calls never restart after a signal (EINTR). */
int ipc_wait_setup(struct task *t, const struct timespec *rel);

/* Process exit hooks of each kind (sys_sem.c: SEM_UNDO; sys_shm.c: segments freed). */
void sem_process_exit(int tgid);
void shm_collect(void);
void shm_detach_all(struct task *t, struct mm *mm);  /* mm goes: its attaches end */
bool shm_remap_destroys(struct task *t, unsigned long start, unsigned long size);

/* Text for /proc/sysvipc (ipc_proc_text): lines appended printf-style, the ids as the
 * reader's user namespace sees them (ipc_view_uid, ipc_view_gid: of kernel ids). */
unsigned int ipc_view_uid(unsigned int kuid);
unsigned int ipc_view_gid(unsigned int kgid);
int ipc_view_pid(int gpid);
struct ipc_text {
	char *s;
	size_t len, cap;
};
void ipc_text_printf(struct ipc_text *x, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void shm_proc(struct ipc_text *x);
void sem_proc(struct ipc_text *x);
void msg_proc(struct ipc_text *x);
