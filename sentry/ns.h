/*
 * Namespaces (sentry/ns.c): UTS, IPC and mount namespaces are sentry objects, never host
 * namespaces (the host sees none of them; the stubs stay where they are). Each task points
 * to one of each kind (per thread, as Linux's nsproxy); clone(CLONE_NEW*), unshare and
 * setns change the pointers. The other kinds (user, pid, net, cgroup, time) stay the
 * sandbox's single set.
 */
#pragma once
#include <sched.h>
#include <stdbool.h>

struct task;

/* The kinds the sentry makes new namespaces of. */
#define NS_CLONE_FLAGS (CLONE_NEWUTS | CLONE_NEWIPC | CLONE_NEWNS)

enum {
	NS_UTS,
	NS_IPC,
	NS_MNT,
	NS_KINDS,
};

/* The head of every namespace object (Linux ns_common). */
struct ns_common {
	int refs;                /* tasks pointing to it, nsfs files, kind-specific holders */
	int kind;                /* NS_* */
	unsigned int ino;        /* the inode number of its /proc/PID/ns file */
};

struct uts_ns {
	struct ns_common ns;
	char hostname[65];
	char domainname[65];
};

/* What each kind does (ns.c for UTS; syscalls/ipc.c for IPC; fs/mount.c for mounts). */
struct ns_ops {
	const char *name;        /* "uts", "ipc", "mnt" */
	int clone_flag;          /* CLONE_NEWUTS... */
	/* A new namespace for t, copied from (or, IPC, empty like) old: one reference, or
	 * NULL with *err set. */
	struct ns_common *(*copy)(struct task *t, struct ns_common *old, int *err);
	void (*release)(struct ns_common *ns);  /* the last reference went */
	/* t (whose pointer now names ns) switched to ns: mounts move root and cwd. */
	int (*install)(struct task *t, struct ns_common *ns);
};
extern const struct ns_ops ns_ipc_ops, ns_mnt_ops;

struct ns_common *ns_get(struct ns_common *ns);
void ns_put(struct ns_common *ns);
/* A new inode number for a namespace (Linux's proc_inum range). */
unsigned int ns_new_ino(void);
/* The initial namespaces go to the first task (sentry/main.c). */
void ns_init_task(struct task *t);
/* clone: the child c shares t's namespaces or gets new ones (flags: CLONE_NEW*). 0/-errno. */
int ns_fork(struct task *t, struct task *c, unsigned long flags);
/* unshare(flags & CLONE_NEWUTS | CLONE_NEWIPC | CLONE_NEWNS): 0 / -errno (EPERM without
 * CAP_SYS_ADMIN). */
int ns_unshare(struct task *t, unsigned long flags);
/* setns to ns (from an nsfs file): 0 / -errno. */
int ns_install(struct task *t, struct ns_common *ns);
/* setns to the namespaces (CLONE_NEW* flags) of task p (a pidfd's). */
int ns_install_from(struct task *t, struct task *p, unsigned long flags);
/* The task's end: its references go. */
void ns_task_exit(struct task *t);
/* t's namespace of kind (the initial one when t is NULL or has none). */
struct ns_common *ns_of(const struct task *t, int kind);
struct uts_ns *uts_ns_of(const struct task *t);
const struct ns_ops *ns_ops_of(int kind);
/* The kind (NS_*) of a CLONE_NEW* flag, or -1. */
int ns_kind_of_flag(int flag);
