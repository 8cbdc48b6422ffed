/* Namespaces as sentry objects: references, clone/unshare/setns, and the UTS kind. */
#include <sched.h>
#include <string.h>

#include "fs/vfs.h"
#include "sentry/ns.h"
#include "sentry/sentry.h"

_Static_assert(NS_KINDS == ARRAY_SIZE(((struct task *)0)->ns), "task ns slots");

/* ---- UTS ---- */

static struct uts_ns init_uts = { .ns = { .refs = 1, .kind = NS_UTS, .ino = 4026531838u } };

static struct ns_common *
uts_copy(struct task *t, struct ns_common *old, struct ns_common *owner, int *err)
{
	struct uts_ns *n = xcalloc(1, sizeof(*n));

	(void)t;
	(void)owner;
	(void)err;
	memcpy(n, old, sizeof(*n));
	n->ns.refs = 1;
	n->ns.ino = ns_new_ino();
	return &n->ns;
}

static void
uts_release(struct ns_common *ns)
{
	if (ns != &init_uts.ns)
		free(ns);
}

static const struct ns_ops ns_uts_ops = {
	.name = "uts",
	.clone_flag = CLONE_NEWUTS,
	.copy = uts_copy,
	.release = uts_release,
};

/* ---- common ---- */

/* Live namespaces of each kind (Linux's user.max_*_namespaces: ENOSPC past it). */
#define NS_MAX_LIVE 1024
static int live[NS_KINDS];
/* The initial ones (each keeps a reference of its own: they never go). */
static struct ns_common *init_ns[NS_KINDS];

const struct ns_ops *
ns_ops_of(int kind)
{
	switch (kind) {
	case NS_UTS:
		return &ns_uts_ops;
	case NS_IPC:
		return &ns_ipc_ops;
	case NS_MNT:
		return &ns_mnt_ops;
	case NS_USER:
		return &ns_user_ops;
	case NS_NET:
		return &ns_net_ops;
	case NS_PID:
		return &ns_pid_ops;
	case NS_TIME:
		return &ns_time_ops;
	case NS_CGROUP:
		return &ns_cgroup_ops;
	default:
		return NULL;
	}
}

int
ns_kind_of_flag(int flag)
{
	for (int k = 0; k < NS_KINDS; k++)
		if (ns_ops_of(k)->clone_flag == flag)
			return k;
	return -1;
}

unsigned int
ns_new_ino(void)
{
	/* past Linux's initial namespaces' numbers (0xEFFFFFFx), as its proc_inum ids are */
	static unsigned int next = 4026532200u;

	return next++;
}

struct ns_common *
ns_get(struct ns_common *ns)
{
	if (ns)
		ns->refs++;
	return ns;
}

void
ns_put(struct ns_common *ns)
{
	if (!ns)
		return;
	BUG_ON(ns->refs <= 0);
	if (--ns->refs == 0) {
		struct ns_common *owner = ns->owner;

		live[ns->kind]--;
		userns_uncharge(ns);
		ns_ops_of(ns->kind)->release(ns);
		ns_put(owner);
	}
}

struct ns_common *
ns_of(const struct task *t, int kind)
{
	if (t && t->ns[kind])
		return t->ns[kind];
	return kind == NS_UTS ? &init_uts.ns : init_ns[kind];
}

struct uts_ns *
uts_ns_of(const struct task *t)
{
	return (struct uts_ns *)ns_of(t, NS_UTS);
}

void
ns_init_task(struct task *t)
{
	int err = 0;

	snprintf(init_uts.hostname, sizeof(init_uts.hostname), "%s", sentry.hostname);
	snprintf(init_uts.domainname, sizeof(init_uts.domainname), "(none)");
	init_ns[NS_UTS] = &init_uts.ns;
	init_ns[NS_IPC] = ns_ipc_ops.copy(t, NULL, NULL, &err);
	init_ns[NS_MNT] = ns_mnt_ops.copy(t, NULL, NULL, &err);
	init_ns[NS_USER] = ns_user_ops.copy(t, NULL, NULL, &err);
	init_ns[NS_NET] = ns_net_ops.copy(t, NULL, NULL, &err);
	init_ns[NS_PID] = ns_pid_ops.copy(t, NULL, NULL, &err);
	init_ns[NS_TIME] = ns_time_ops.copy(t, NULL, NULL, &err);
	init_ns[NS_CGROUP] = ns_cgroup_ops.copy(t, NULL, NULL, &err);
	BUG_ON(!init_ns[NS_IPC] || !init_ns[NS_MNT] || !init_ns[NS_USER] || !init_ns[NS_NET] ||
	       !init_ns[NS_PID] || !init_ns[NS_CGROUP]);
	for (int k = 0; k < NS_KINDS; k++)
		t->ns[k] = ns_get(init_ns[k]);
	t->timens = ns_get(init_ns[NS_TIME]);
	BUG_ON(pidns_attach(t, task_pid_ns(NULL)));
}

/* The order namespaces are made and entered in: a new user namespace first, which then
 * owns the others made with it (and gives its creator every capability in it). */
static const int ns_order[NS_KINDS] = { NS_USER, NS_UTS, NS_IPC, NS_MNT, NS_NET, NS_PID,
					NS_TIME, NS_CGROUP };

/* New namespaces of the kinds in flags: into fresh[] (NULL: keep t's). */
static int
copy_some(struct task *t, unsigned long flags, struct ns_common *fresh[NS_KINDS])
{
	int err = 0;

	for (int k = 0; k < NS_KINDS; k++)
		fresh[k] = NULL;
	for (int o = 0; o < NS_KINDS; o++) {
		int k = ns_order[o];
		if (!(flags & (unsigned long)ns_ops_of(k)->clone_flag))
			continue;
		struct ns_common *owner = fresh[NS_USER] ? fresh[NS_USER] : ns_of(t, NS_USER);
		if (k == NS_USER)
			owner = NULL;
		fresh[k] = live[k] < NS_MAX_LIVE ? ns_ops_of(k)->copy(t, ns_of(t, k), owner, &err)
						 : NULL;
		if (fresh[k]) {
			live[k]++;
			if (owner)
				fresh[k]->owner = ns_get(owner);
			/* counted for the creator where it is made: a user namespace in its
			 * parent, the others in their owner (Linux inc_*_namespaces) */
			err = userns_charge(fresh[k], owner ? owner : ns_of(t, NS_USER), t->euid);
			if (err) {
				ns_put(fresh[k]);
				fresh[k] = NULL;
			}
		} else if (!err) {
			err = -ENOSPC;
		}
		if (!fresh[k]) {
			for (int j = 0; j < NS_KINDS; j++)
				ns_put(fresh[j]);
			return err;
		}
	}
	return 0;
}

int
ns_may_create(struct task *t, unsigned long flags)
{
	if (!(flags & NS_CLONE_FLAGS))
		return 0;
	if ((flags & CLONE_NEWUSER) && t->fs && vfs_chrooted(t))
		return -EPERM; /* Linux create_user_ns: not from a chroot */
	if (!(flags & CLONE_NEWUSER) && !task_ns_capable(t, ns_of(t, NS_USER), CAP_SYS_ADMIN))
		return -EPERM;
	return 0;
}

int
ns_fork(struct task *t, struct task *c, unsigned long flags)
{
	struct ns_common *fresh[NS_KINDS];
	int err = copy_some(t, flags, fresh);

	if (err)
		return err;
	for (int k = 0; k < NS_KINDS; k++)
		c->ns[k] = fresh[k] ? fresh[k] : ns_get(ns_of(t, k));
	/* Linux timens_on_fork: a new process lives in its time_for_children; a CLONE_VM
	 * child shares the parent's (its vDSO) */
	c->timens = ns_get(flags & CLONE_VM ? timens_active(t) : c->ns[NS_TIME]);
	for (int o = 0; o < NS_KINDS; o++) {
		int k = ns_order[o];
		if (fresh[k] && ns_ops_of(k)->install)
			ns_ops_of(k)->install(c, fresh[k]);
	}
	return 0;
}

/* t's pointer for ns's kind now names ns (one reference taken). */
static int
switch_to(struct task *t, struct ns_common *ns)
{
	const struct ns_ops *ops = ns_ops_of(ns->kind);
	struct ns_common *old = t->ns[ns->kind];

	t->ns[ns->kind] = ns_get(ns);
	int err = ops->install ? ops->install(t, ns) : 0;
	if (err) {
		t->ns[ns->kind] = old;
		ns_put(ns);
		return err;
	}
	ns_put(old);
	return 0;
}

int
ns_unshare(struct task *t, unsigned long flags)
{
	struct ns_common *fresh[NS_KINDS];
	int err = ns_may_create(t, flags);

	if (!err)
		err = copy_some(t, flags, fresh);
	if (err)
		return err;
	for (int o = 0; o < NS_KINDS; o++) {
		int k = ns_order[o];
		if (!fresh[k])
			continue;
		if (!err)
			err = switch_to(t, fresh[k]);
		ns_put(fresh[k]);
	}
	return err;
}

/* Linux's *_install checks: CAP_SYS_ADMIN over the namespace and in the caller's own
 * user namespace (mounts also CAP_SYS_CHROOT; the mount kind's install refuses a task that
 * shares its fs context: EINVAL); a user namespace: not one's own (EINVAL), not while
 * threaded or sharing the fs context (EINVAL), CAP_SYS_ADMIN in it. */
static int
may_install(struct task *t, struct ns_common *ns)
{
	struct ns_common *mine = ns_of(t, NS_USER);

	if (ns->kind == NS_USER) {
		if (ns == mine || t->leader->live_threads > 1 || vfs_fs_shared(t))
			return -EINVAL;
		return task_ns_capable(t, ns, CAP_SYS_ADMIN) ? 0 : -EPERM;
	}
	if (!task_ns_capable(t, ns_owner(ns), CAP_SYS_ADMIN) ||
	    !task_ns_capable(t, mine, CAP_SYS_ADMIN))
		return -EPERM;
	if (ns->kind == NS_MNT && !task_ns_capable(t, mine, CAP_SYS_CHROOT))
		return -EPERM;
	/* Linux pidns_install: the active pid namespace or one below it */
	if (ns->kind == NS_PID && !pidns_within((struct pid_ns *)ns, task_pid_ns(t)))
		return -EINVAL;
	return 0;
}

int
ns_install(struct task *t, struct ns_common *ns)
{
	if (ns->kind == NS_TIME)
		return timens_install(t, ns);
	int err = may_install(t, ns);

	return err ? err : switch_to(t, ns);
}

int
ns_install_from(struct task *t, struct task *p, unsigned long flags)
{
	int err;

	for (int o = 0; o < NS_KINDS; o++) {
		int k = ns_order[o];
		if (!(flags & (unsigned long)ns_ops_of(k)->clone_flag))
			continue;
		/* the time namespace the process lives in (Linux: always installed) */
		if (k == NS_TIME && (err = timens_install(t, timens_active(p))))
			return err;
		if (k == NS_TIME)
			continue;
		/* a process's pid namespace is that of its pid, not its pid_for_children */
		struct ns_common *ns = k == NS_PID ? (struct ns_common *)task_pid_ns(p) : ns_of(p, k);
		if (k == NS_USER && ns == t->ns[k])
			return -EINVAL;
		if (ns && ns != t->ns[k] && ((err = may_install(t, ns)) || (err = switch_to(t, ns))))
			return err;
		if (ns && ns == t->ns[k] && k != NS_USER && (err = may_install(t, ns)))
			return err;
		if (ns && ns == t->ns[k] && k == NS_MNT && (err = ns_ops_of(k)->install(t, ns)))
			return err;
	}
	return 0;
}

void
ns_task_exit(struct task *t)
{
	for (int k = 0; k < NS_KINDS; k++) {
		ns_put(t->ns[k]);
		t->ns[k] = NULL;
	}
	timens_task_free(t);
}
