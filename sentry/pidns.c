/*
 * Pid namespaces (Linux kernel/pid_namespace.c, kernel/pid.c): a tree below the sandbox's
 * own (level 0, whose numbers are the tasks' sandbox-wide tids). A task made in a
 * namespace below gets a number there and in every namespace between (a record here, kept
 * while the task lives or a process group or session still bears its number). The first
 * task of a namespace is its pid 1: the reaper of its orphans, and when it dies every
 * other task of the namespace is killed and no new one may enter it.
 */
#include <linux/reboot.h>
#include <signal.h>
#include <string.h>

#include "sentry/ns.h"
#include "sentry/sentry.h"

#define PID_MAX 4194304         /* Linux's pid_max on 64-bit */

struct pid_ns {
	struct ns_common ns;
	struct pid_ns *parent;  /* a reference; NULL for the root one */
	int level;
	int last_pid;           /* ns_last_pid: the number given last */
	int init_gnr;           /* its pid 1 (sandbox-wide number), 0: none yet */
	bool dead;              /* its pid 1 died: no task may enter */
	int reboot;             /* reboot(2) ended it: the signal its init's parent sees */
};

/* One task's numbers from the root (nr[0], its tid) down to its namespace. */
struct pid_rec {
	int gnr;
	struct pid_ns *ns;      /* the deepest (a reference) */
	bool gone;              /* the task was freed; a group or session keeps the numbers */
	int nr[PIDNS_LEVEL_MAX + 1];
	UT_hash_handle hh;
};

static struct pid_rec *recs;    /* tasks below the root namespace only */
static struct pid_ns root_ns = {
	.ns = { .refs = 1, .kind = NS_PID, .ino = 4026531836u },
	.init_gnr = 1,
};

static struct pid_ns *
pns(struct ns_common *c)
{
	return (struct pid_ns *)c;
}

static struct ns_common *
pid_copy(struct task *t, struct ns_common *old, struct ns_common *owner, int *err)
{
	(void)owner;
	if (!old) /* the root one (ns_init_task) */
		return ns_get(&root_ns.ns);
	/* Linux copy_pid_ns: only from the active namespace (an unshare not yet followed by
	 * a fork may not nest another) */
	if (pns(old) != task_pid_ns(t)) {
		*err = -EINVAL;
		return NULL;
	}
	if (pns(old)->level >= PIDNS_LEVEL_MAX) {
		*err = -ENOSPC; /* (EUSERS before Linux 4.9) */
		return NULL;
	}
	struct pid_ns *n = xcalloc(1, sizeof(*n));

	n->ns = (struct ns_common){ .refs = 1, .kind = NS_PID, .ino = ns_new_ino() };
	n->parent = pns(ns_get(old));
	n->level = pns(old)->level + 1;
	return &n->ns;
}

static void
pid_release(struct ns_common *c)
{
	struct pid_ns *n = pns(c);

	if (n == &root_ns)
		return;
	struct pid_ns *parent = n->parent;
	free(n);
	ns_put(&parent->ns);
}

const struct ns_ops ns_pid_ops = {
	.name = "pid",
	.clone_flag = CLONE_NEWPID,
	.copy = pid_copy,
	.release = pid_release,
};

struct pid_ns *
task_pid_ns(const struct task *t)
{
	return t && t->pidns ? t->pidns : &root_ns;
}

int
pidns_level(const struct pid_ns *ns)
{
	return ns->level;
}

bool
pidns_has_init(const struct pid_ns *ns)
{
	return ns->init_gnr != 0;
}

struct pid_ns *
pidns_parent(const struct pid_ns *ns)
{
	return ns->parent;
}

static const struct pid_ns *
ancestor_at(const struct pid_ns *ns, int level)
{
	while (ns && ns->level > level)
		ns = ns->parent;
	return ns && ns->level == level ? ns : NULL;
}

bool
pidns_within(const struct pid_ns *ns, const struct pid_ns *a)
{
	return ancestor_at(ns, a->level) == a;
}

static struct pid_rec *
rec_of(int gnr)
{
	struct pid_rec *r = NULL;

	HASH_FIND_INT(recs, &gnr, r);
	return r;
}

int
pidns_nr(const struct pid_ns *ns, int gnr)
{
	if (gnr <= 0)
		return 0;
	if (ns->level == 0)
		return gnr;
	struct pid_rec *r = rec_of(gnr);
	if (!r || !pidns_within(r->ns, ns))
		return 0;
	return r->nr[ns->level];
}

int
pidns_global(const struct pid_ns *ns, int nr)
{
	struct pid_rec *r, *tmp;

	if (nr <= 0)
		return 0;
	if (ns->level == 0)
		return nr;
	HASH_ITER(hh, recs, r, tmp)
		if (r->nr[ns->level] == nr && r->ns->level >= ns->level && pidns_within(r->ns, ns))
			return r->gnr;
	return 0;
}

int
pidns_nrs(const struct pid_ns *ns, int gnr, int *out, int max)
{
	struct pid_rec *r = rec_of(gnr);
	int n = 0;

	if (gnr <= 0 || (ns->level && (!r || !pidns_within(r->ns, ns))))
		return 0;
	if (!r) {
		out[0] = gnr;
		return 1;
	}
	for (int l = ns->level; l <= r->ns->level && n < max; l++)
		out[n++] = r->nr[l];
	return n;
}

int
task_vnr(const struct task *viewer, int gnr)
{
	return pidns_nr(task_pid_ns(viewer), gnr);
}

struct task *
task_lookup_vnr(const struct task *viewer, int nr)
{
	int g = pidns_global(task_pid_ns(viewer), nr);

	return g > 0 ? task_lookup(g) : NULL;
}

/* The next free number in ns (level > 0), after its last_pid. */
static int
alloc_nr(struct pid_ns *ns)
{
	int nr = ns->last_pid;

	for (int tries = 0; tries < PID_MAX; tries++) {
		nr = nr >= PID_MAX - 1 ? 2 : nr + 1; /* past the top: from 2 (1 is init's) */
		if (!pidns_global(ns, nr)) {
			ns->last_pid = nr;
			return nr;
		}
	}
	return -EAGAIN;
}

int
pidns_attach(struct task *c, struct pid_ns *ns)
{
	if (ns->dead)
		return -ENOMEM; /* Linux alloc_pid: the namespace's init is gone */
	if (ns->level) {
		struct pid_rec *r = xcalloc(1, sizeof(*r));
		r->gnr = c->tid;
		r->nr[0] = c->tid;
		for (struct pid_ns *p = ns; p->level > 0; p = p->parent) {
			int nr = alloc_nr(p);
			if (nr < 0) {
				free(r);
				return nr;
			}
			r->nr[p->level] = nr;
		}
		r->ns = pns(ns_get(&ns->ns));
		HASH_ADD_INT(recs, gnr, r);
		if (!ns->init_gnr)
			ns->init_gnr = c->tid;
	}
	c->pidns = pns(ns_get(&ns->ns));
	return 0;
}

bool
pidns_is_init(const struct task *l)
{
	return l && task_pid_ns(l)->init_gnr == l->tgid;
}

bool
pidns_is_child_init(const struct task *l)
{
	return l && task_pid_ns(l)->level > 0 && pidns_is_init(l);
}

struct task *
pidns_reaper_of(const struct task *t)
{
	const struct pid_ns *ns = task_pid_ns(t);

	if (ns->level == 0)
		return sentry.init;
	struct task *init = ns->dead ? NULL : task_lookup(ns->init_gnr);
	return init && init->state != TASK_ZOMBIE && !init->exited ? init : NULL;
}

void
pidns_init_died(struct task *l)
{
	struct pid_ns *ns = task_pid_ns(l);
	struct task *p, *tmp;

	if (ns->level == 0 || ns->init_gnr != l->tgid)
		return;
	ns->dead = true;
	if (ns->reboot) /* Linux zap_pid_ns_processes: the exit code reboot_pid_ns chose */
		l->exit_status = ns->reboot;
	HASH_ITER(hh, sentry.tasks, p, tmp) {
		if (p->leader != p || p == l || p->state == TASK_ZOMBIE ||
		    !pidns_within(task_pid_ns(p), ns))
			continue;
		siginfo_t si;
		sig_info_kernel(&si, SIGKILL);
		task_send_signal(p, SIGKILL, &si, true);
	}
}

/* Does a task still name gnr as its process group or session? */
static bool
rec_in_use(int gnr)
{
	struct task *p, *tmp;

	HASH_ITER(hh, sentry.tasks, p, tmp)
		if (p->pgid == gnr || p->sid == gnr)
			return true;
	return false;
}

static void
rec_free(struct pid_rec *r)
{
	HASH_DEL(recs, r);
	ns_put(&r->ns->ns);
	free(r);
}

void
pidns_task_free(struct task *t)
{
	struct pid_rec *r = rec_of(t->tid), *tmp;

	if (r)
		r->gone = true;
	HASH_ITER(hh, recs, r, tmp)
		if (r->gone && !rec_in_use(r->gnr))
			rec_free(r);
	if (t->pidns)
		ns_put(&t->pidns->ns);
	t->pidns = NULL;
}

int
pidns_last_pid(const struct pid_ns *ns)
{
	return ns->level ? ns->last_pid : sentry.next_pid - 1;
}

int
pidns_set_last_pid(struct task *t, struct pid_ns *ns, long v)
{
	/* Linux pid_ns_ctl_handler: CAP_CHECKPOINT_RESTORE or CAP_SYS_ADMIN over the
	 * namespace's owner; 0..pid_max - 1 */
	if (!task_ns_capable(t, ns_owner(&ns->ns), CAP_SYS_ADMIN) &&
	    !task_ns_capable(t, ns_owner(&ns->ns), 40 /* CAP_CHECKPOINT_RESTORE */))
		return -EPERM;
	if (v < 0 || v >= PID_MAX)
		return -EINVAL;
	if (ns->level == 0) {
		/* the sandbox-wide numbers only grow (they key every table): a lower value
		 * is taken as given but the next task still gets a fresh number */
		if (v + 1 > sentry.next_pid)
			sentry.next_pid = (int)v + 1;
		return 0;
	}
	ns->last_pid = (int)v;
	return 0;
}

bool
pidns_reboot_capable(const struct task *t)
{
	return task_ns_capable(t, ns_owner(&task_pid_ns(t)->ns), CAP_SYS_BOOT);
}

int
pidns_reboot(struct task *t, unsigned int cmd)
{
	struct pid_ns *ns = task_pid_ns(t);
	struct task *init;
	siginfo_t si;

	if (!ns->level)
		return 0;
	switch (cmd) {
	case LINUX_REBOOT_CMD_RESTART:
	case LINUX_REBOOT_CMD_RESTART2:
		ns->reboot = SIGHUP;
		break;
	case LINUX_REBOOT_CMD_POWER_OFF:
	case LINUX_REBOOT_CMD_HALT:
		ns->reboot = SIGINT;
		break;
	default:
		return -EINVAL;
	}
	sig_info_kernel(&si, SIGKILL);
	init = task_lookup(ns->init_gnr);
	if (init && init->state != TASK_ZOMBIE)
		task_send_signal(init, SIGKILL, &si, true);
	/* Linux's caller ends in do_exit; here its process goes at once, as the init's death
	 * takes the rest of the namespace anyway */
	if (t->leader != init)
		task_send_signal(t, SIGKILL, &si, true);
	return 1;
}
