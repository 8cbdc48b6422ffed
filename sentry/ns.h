/*
 * Namespaces (sentry/ns.c): UTS, IPC, mount, user, network, pid and time namespaces are sentry
 * objects, never host namespaces (the host sees none of them; the stubs stay where they
 * are). Each task points to one of each kind (per thread, as Linux's nsproxy and cred; for
 * pid: its pid_for_children, the one its pid lives in is task->pidns; for time: its
 * time_for_children, the one it lives in is task->timens); clone(CLONE_NEW*), unshare and
 * setns change the pointers. A cgroup namespace names the cgroup that is its root
 * (fs/cgroupfs.c): what /proc/PID/cgroup, mountinfo and a cgroup2 mount show from it.
 */
#pragma once
#include <sched.h>
#include <stdbool.h>
#include <stddef.h>
#include <time.h>

struct task;

/* The kinds the sentry makes new namespaces of. */
#define NS_CLONE_FLAGS (CLONE_NEWUTS | CLONE_NEWIPC | CLONE_NEWNS | CLONE_NEWUSER | CLONE_NEWNET | \
			CLONE_NEWPID | CLONE_NEWTIME | CLONE_NEWCGROUP)

enum {
	NS_UTS,
	NS_IPC,
	NS_MNT,
	NS_USER,
	NS_NET,
	NS_PID,                  /* the task's slot: its pid_for_children */
	NS_TIME,                 /* the task's slot: its time_for_children */
	NS_CGROUP,
	NS_KINDS,
};

/* The head of every namespace object (Linux ns_common). */
struct ns_common {
	int refs;                /* tasks pointing to it, nsfs files, kind-specific holders */
	int kind;                /* NS_* */
	unsigned int ino;        /* the inode number of its /proc/PID/ns file */
	struct ns_common *owner; /* the user namespace that owns it (a reference; NULL for
				  * the initial ones and user namespaces: their parent) */
	/* whose count of its kind it is in (userns_charge): that user namespace (a
	 * reference; NULL for the initial ones) and the creator's uid there */
	struct ns_common *charged_ns;
	unsigned int charged_uid;
};

struct uts_ns {
	struct ns_common ns;
	char hostname[65];
	char domainname[65];
};

/* What each kind does (ns.c for UTS; syscalls/ipc.c for IPC; fs/mount.c for mounts;
 * fs/socket.c for networks). */
struct ns_ops {
	const char *name;        /* "uts", "ipc", "mnt" */
	int clone_flag;          /* CLONE_NEWUTS... */
	/* A new namespace for t, copied from (or, IPC, empty like) old, to be owned by user
	 * namespace owner: one reference, or NULL with *err set. */
	struct ns_common *(*copy)(struct task *t, struct ns_common *old, struct ns_common *owner,
				  int *err);
	void (*release)(struct ns_common *ns);  /* the last reference went */
	/* t (whose pointer now names ns) switched to ns: mounts move root and cwd. */
	int (*install)(struct task *t, struct ns_common *ns);
};
extern const struct ns_ops ns_ipc_ops, ns_mnt_ops, ns_user_ops, ns_net_ops, ns_pid_ops,
	ns_time_ops, ns_cgroup_ops;

struct ns_common *ns_get(struct ns_common *ns);
void ns_put(struct ns_common *ns);
/* A new inode number for a namespace (Linux's proc_inum range). */
unsigned int ns_new_ino(void);
/* The initial namespaces go to the first task (sentry/main.c). */
void ns_init_task(struct task *t);
/* clone: the child c shares t's namespaces or gets new ones (flags: CLONE_NEW*). 0/-errno. */
int ns_fork(struct task *t, struct task *c, unsigned long flags);
/* May t make the namespaces of flags (CLONE_NEW*)? 0 / -EPERM: CAP_SYS_ADMIN in its user
 * namespace, unless it makes a new user namespace too (which gives it that); a new user
 * namespace not from a chroot. */
int ns_may_create(struct task *t, unsigned long flags);
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

/* ---- user namespaces (sentry/userns.c) ---- */

/* The owner of ns (a user namespace). */
struct ns_common *ns_owner(struct ns_common *ns);
/* Does t hold cap in user namespace userns (Linux ns_capable: in its own with cap in its
 * effective set, or as the owner of one below its own)? task_capable asks this of the
 * initial user namespace. t NULL: the sentry, which holds all. */
bool task_ns_capable(const struct task *t, struct ns_common *userns, int cap);
/* ... in the user namespace owning t's namespace of kind (NS_UTS, NS_IPC, NS_MNT). */
bool task_capable_in(const struct task *t, int kind, int cap);
bool userns_is_initial(const struct task *t);
/* Ids as t's user namespace sees them (the overflow id 65534 when unmapped), and back:
 * the kernel id of id in t's namespace, or -1 when it maps to none. */
unsigned int userns_uid_out(const struct task *t, unsigned int kuid);
unsigned int userns_gid_out(const struct task *t, unsigned int kgid);
long userns_uid_in(const struct task *t, unsigned int uid);
bool userns_maps_uid(const struct task *t, unsigned int kuid);  /* kuid has an id there */
bool userns_maps_gid(const struct task *t, unsigned int kgid);
long userns_gid_in(const struct task *t, unsigned int gid);
/* setgroups is allowed in t's user namespace (its gid_map is written and setgroups is
 * not denied). */
bool userns_may_setgroups(const struct task *t);
/* /proc/PID/uid_map, gid_map (gid true) and setgroups of target's user namespace as
 * reader sees them (malloc'd text), and writes to them: bytes taken / -errno. */
char *userns_map_text(const struct task *reader, const struct task *target, int which);
long userns_map_write(struct task *writer, struct task *target, int which, const char *buf,
		      size_t n, long pos);
enum { USERNS_UID_MAP, USERNS_GID_MAP, USERNS_SETGROUPS };
/* Is user namespace target t's own or one below it (in its scope)? Its parent (NULL for
 * the initial one), and its owner's kernel uid. */
bool userns_in_scope(const struct task *t, struct ns_common *target);
struct ns_common *userns_parent(struct ns_common *userns);
#define THREADS_MAX_DEFAULT 63445 /* kernel.threads-max as the sandbox starts */
/* /proc/sys/user's limits (Linux's ucount types), each user namespace its own: how many
 * namespaces of each kind (and inotify, fanotify objects) one user may have in it and,
 * through it, in every namespace below. */
enum {
	UL_CGROUP_NS, UL_FANOTIFY_GROUPS, UL_FANOTIFY_MARKS, UL_INOTIFY_INSTANCES,
	UL_INOTIFY_WATCHES, UL_IPC_NS, UL_MNT_NS, UL_NET_NS, UL_PID_NS, UL_TIME_NS, UL_USER_NS,
	UL_UTS_NS, UL_KINDS,
};
long userns_limit(const struct task *t, int which);  /* in t's user namespace */
int userns_set_limit(struct task *t, int which, long v);
/* A new namespace of kind (NS_*) made by kuid in user namespace userns: counted there and
 * in each namespace above for its creator, or -ENOSPC past a limit (Linux inc_ucount).
 * Kept in ns->charged_*, given back at its release. */
int userns_charge(struct ns_common *ns, struct ns_common *userns, unsigned int kuid);
void userns_uncharge(struct ns_common *ns);
unsigned int userns_owner(struct ns_common *userns);

/* ---- pid namespaces (sentry/pidns.c) ----
 * Tasks keep one sandbox-wide number (task->tid, the root namespace's, level 0); a task in
 * a pid namespace below also has a number in that namespace and in each between (Linux's
 * struct pid upid[]). Syscalls translate at their edge: a number the caller passes is
 * looked up in its active namespace, one it gets back is given as that namespace sees it
 * (0 for a task outside). The root namespace's numbers are the sandbox-wide ones. */
struct pid_ns;
#define PIDNS_LEVEL_MAX 32       /* Linux: ENOSPC past 32 levels */
/* The namespace t's pid lives in (its active one; the root one for NULL). */
struct pid_ns *task_pid_ns(const struct task *t);
int pidns_level(const struct pid_ns *ns);
/* Has ns had its first task (its init) yet? */
bool pidns_has_init(const struct pid_ns *ns);
struct pid_ns *pidns_parent(const struct pid_ns *ns);
/* Numbers for new task c (its tid) in ns and each namespace above: 0, or -ENOMEM when
 * ns's init has died. c->pidns is set (a reference). */
int pidns_attach(struct task *c, struct pid_ns *ns);
/* Sandbox-wide number gnr as ns sees it (0: invisible there), and back (0: none). */
int pidns_nr(const struct pid_ns *ns, int gnr);
int pidns_global(const struct pid_ns *ns, int nr);
/* ... as viewer's active namespace sees them. */
int task_vnr(const struct task *viewer, int gnr);
struct task *task_lookup_vnr(const struct task *viewer, int nr);
/* Is ns a or below a? */
bool pidns_within(const struct pid_ns *ns, const struct pid_ns *a);
/* Is t's process the init (pid 1) of a pid namespace below the root one? */
bool pidns_is_child_init(const struct task *t);
/* Is l's process the init of its namespace? */
bool pidns_is_init(const struct task *l);
/* The living init of t's namespace, or NULL (the root one: sentry.init). */
struct task *pidns_reaper_of(const struct task *t);
/* l, a namespace's init, died: every other task of it (and below) gets SIGKILL, and no
 * new task may enter. */
void pidns_init_died(struct task *l);
/* The task is gone: its numbers go once no process group or session still names them. */
void pidns_task_free(struct task *t);
/* reboot(2) in t's pid namespace once its magic numbers passed: CAP_SYS_BOOT in the user
 * namespace owning it (-EPERM), then, below the sandbox's own namespace, Linux's
 * reboot_pid_ns: a restart or power-off command ends the namespace (its init is killed and
 * reported to its parent as killed by SIGHUP or SIGINT), and the caller with it (1); any
 * other command -EINVAL. The sandbox's own namespace stands for the machine: 0 (the
 * caller refuses it as a policy). pidns_reboot_capable asks the first question alone. */
bool pidns_reboot_capable(const struct task *t);
int pidns_reboot(struct task *t, unsigned int cmd);
/* /proc/sys/kernel/ns_last_pid of ns, and a write to it (0 / -errno). */
int pidns_last_pid(const struct pid_ns *ns);
int pidns_set_last_pid(struct task *t, struct pid_ns *ns, long v);
/* Every number of gnr from the root down to ns (the NSpid line): how many (0: none). */
int pidns_nrs(const struct pid_ns *ns, int gnr, int *out, int max);

/* ---- time namespaces (sentry/timens.c) ---- */

/* The time namespace t lives in (the initial one for NULL; its slot NS_TIME is its
 * time_for_children). */
struct ns_common *timens_active(const struct task *t);
/* t now lives in ns (a reference), which freezes ns's offsets; its stub sends the shifted
 * clocks to the sentry when ns has offsets. 0 / -errno (the host refused the filter). */
int timens_enter(struct task *t, struct ns_common *ns);
/* setns to time namespace ns: 0 / -errno (EUSERS while threaded, EPERM). */
int timens_install(struct task *t, struct ns_common *ns);
/* An exec (in its new stub): the image enters time_for_children. A fork's child c (its
 * own stub, before it runs), already in its namespace. 0 / -errno. */
int timens_exec(struct task *t);
int timens_fork(struct task *c);
void timens_task_free(struct task *t);
/* Does t's namespace shift clock (and has offsets)? The host's reading of clock as t sees
 * it, and back: an absolute deadline t gave (ns), as the host's clock reads it. */
bool timens_shifts(const struct task *t, clockid_t clock);
void timens_to_ns(const struct task *t, clockid_t clock, struct timespec *ts);
long long timens_deadline_to_host(const struct task *t, clockid_t clock, long long ns);
/* Seconds since boot as t sees them (its namespace's boottime offset added). */
/* ns of boot time as t's time namespace shows it (its boottime offset added) */
long long timens_boot_ns(const struct task *t, long long ns);
/* /proc/PID/timens_offsets of target's time_for_children (malloc'd), and a write to it:
 * bytes taken / -errno. */
char *timens_offsets_text(const struct task *target);
long timens_offsets_write(struct task *writer, struct task *target, const char *buf, size_t n,
			  long pos);
