/*
 * cgroup v2, kept by the sentry: one hierarchy whose root is the sandbox's own cgroup, as a
 * container sees its cgroup namespace (no host cgroup is involved). Every mount of
 * "cgroup2" shows it (one super block, as Linux's single default hierarchy).
 *
 * Controllers: only what the sentry enforces or counts. pids (pids.max at fork: EAGAIN,
 * from its task accounting) and memory (memory.max against the charges that --memory
 * counts for private writable mappings: ENOMEM); cpu.stat (a core file) from the tasks'
 * CPU times; cgroup.freeze holds the threads where the sentry sees them next (a SIGSTOP
 * of its own stops those that run guest code; sentry/loop.c keeps them there). No cpu,
 * cpuset or io controller, no threaded cgroups, no pressure files (a kernel with psi off).
 *
 * The root stands for the sandbox's cgroup seen from inside: a non-root cgroup of the
 * host (its files are those of any other cgroup); its limits are the sandbox's own
 * (--memory, --pids) and, as a delegatee's own cgroup, not writable from inside.
 *
 * Cgroup namespaces (unshare -C, bwrap, nested container runtimes): each names the cgroup
 * its creator was in as its root. A task's /proc/PID/cgroup and a cgroup2 mount's root in
 * mountinfo are paths from the reader's root ("/.." for each step above it), a cgroup2
 * mount made inside one is rooted there, and with nsdelegate (always on here) a move
 * through cgroup.procs must start and end below the writer's root.
 */
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <utlist.h>

#include "fs/internal.h"
#include "platform/platform.h"
#include "sentry/ns.h"
#include "sentry/sentry.h"

enum { SS_MEMORY = 1 << 0, SS_PIDS = 1 << 1, SS_ALL = SS_MEMORY | SS_PIDS };
static const char *const ss_names[] = { "memory", "pids" };

/* The interface files, in the order of a listing (Linux sorts kernfs names). */
enum cg_file {
	CF_CONTROLLERS, CF_EVENTS, CF_FREEZE, CF_KILL, CF_MAX_DEPTH, CF_MAX_DESC, CF_PROCS, CF_STAT,
	CF_STAT_LOCAL, CF_SUBTREE, CF_THREADS, CF_TYPE, CF_CPU_STAT, CF_CPU_STAT_LOCAL,
	CF_MEM_CURRENT, CF_MEM_EVENTS, CF_MEM_EVENTS_LOCAL, CF_MEM_HIGH, CF_MEM_MAX, CF_MEM_PEAK,
	CF_MEM_STAT, CF_PIDS_CURRENT, CF_PIDS_EVENTS, CF_PIDS_EVENTS_LOCAL, CF_PIDS_MAX,
	CF_PIDS_PEAK, CF_COUNT,
};

static const struct cg_file_desc {
	const char *name;
	mode_t mode;
	unsigned ss;              /* the controller it belongs to (0: core) */
	bool delegated;           /* given to the cgroup's owner (cgroup-v2.rst, Delegation) */
} files[CF_COUNT] = {
	[CF_CONTROLLERS] = { "cgroup.controllers", 0444, 0, false },
	[CF_EVENTS] = { "cgroup.events", 0444, 0, false },
	[CF_FREEZE] = { "cgroup.freeze", 0644, 0, false },
	[CF_KILL] = { "cgroup.kill", 0200, 0, false },
	[CF_MAX_DEPTH] = { "cgroup.max.depth", 0644, 0, false },
	[CF_MAX_DESC] = { "cgroup.max.descendants", 0644, 0, false },
	[CF_PROCS] = { "cgroup.procs", 0644, 0, true },
	[CF_STAT] = { "cgroup.stat", 0444, 0, false },
	[CF_STAT_LOCAL] = { "cgroup.stat.local", 0444, 0, false },
	[CF_SUBTREE] = { "cgroup.subtree_control", 0644, 0, true },
	[CF_THREADS] = { "cgroup.threads", 0644, 0, true },
	[CF_TYPE] = { "cgroup.type", 0644, 0, false },
	[CF_CPU_STAT] = { "cpu.stat", 0444, 0, false },
	[CF_CPU_STAT_LOCAL] = { "cpu.stat.local", 0444, 0, false },
	[CF_MEM_CURRENT] = { "memory.current", 0444, SS_MEMORY, false },
	[CF_MEM_EVENTS] = { "memory.events", 0444, SS_MEMORY, false },
	[CF_MEM_EVENTS_LOCAL] = { "memory.events.local", 0444, SS_MEMORY, false },
	[CF_MEM_HIGH] = { "memory.high", 0644, SS_MEMORY, false },
	[CF_MEM_MAX] = { "memory.max", 0644, SS_MEMORY, false },
	[CF_MEM_PEAK] = { "memory.peak", 0444, SS_MEMORY, false },
	[CF_MEM_STAT] = { "memory.stat", 0444, SS_MEMORY, false },
	[CF_PIDS_CURRENT] = { "pids.current", 0444, SS_PIDS, false },
	[CF_PIDS_EVENTS] = { "pids.events", 0444, SS_PIDS, false },
	[CF_PIDS_EVENTS_LOCAL] = { "pids.events.local", 0444, SS_PIDS, false },
	[CF_PIDS_MAX] = { "pids.max", 0644, SS_PIDS, false },
	[CF_PIDS_PEAK] = { "pids.peak", 0444, SS_PIDS, false },
};

/* Linux's PIDS_MAX (PID_MAX_LIMIT + 1) and "max" for the memory counters. */
#define PIDS_MAX_ (4194304L + 1)
#define MEM_MAX_ ULONG_MAX

/* Event counts a file's poll and inotify watchers hear about (Linux cgroup_file_notify). */
enum { EV_EVENTS, EV_MEM, EV_PIDS, EV_COUNT };

struct cgroup {
	int refs;
	char *name;
	struct cgroup *parent;
	struct cgroup *children, *prev, *next; /* live children (utlist DL), oldest first */
	int level;
	bool dead;                /* removed (rmdir): kept while tasks or mms still name it */
	bool dying;               /* counted in its ancestors' nr_dying */
	unsigned subtree;         /* cgroup.subtree_control: SS_* */
	int max_depth, max_desc;  /* INT_MAX: "max" */
	int nr_desc, nr_dying;    /* live and removed-but-held descendants */
	int live;                 /* tasks (threads) here and below that have not exited */
	struct inode *dir;
	struct inode *inodes[CF_COUNT];
	uid_t uid;                /* owner of the directory and the delegated files */
	gid_t gid;
	/* pids: tasks here and below from fork to release (zombies count) */
	long pids, pids_peak, pids_max;
	unsigned long pids_ev, pids_ev_local;
	/* memory: the charges of address spaces here and below */
	unsigned long mem, mem_peak, mem_max, mem_high;
	unsigned long mem_ev_max, mem_ev_high, mem_ev_max_local, mem_ev_high_local;
	/* CPU time of processes that left it or ended (here and below) */
	unsigned long gone_user_us, gone_sys_us;
	unsigned long ev[EV_COUNT];
	struct waitq wq;
	/* cgroup.freeze: its own setting; frozen (it or one above), since when (monotonic ns)
	 * and for how long before; what cgroup.events said last */
	bool freeze, e_freeze, frozen_shown;
	long long freeze_start;
	unsigned long long frozen_ns;
};

static struct cgroup root_cg = {
	.refs = 1, .name = "", .max_depth = INT_MAX, .max_desc = INT_MAX,
	.pids_max = PIDS_MAX_, .mem_max = MEM_MAX_, .mem_high = MEM_MAX_, .subtree = 0,
};
static struct super_block *cg_sb;
bool cgroup_thawed;
static long root_pids_peak;
static unsigned long root_pids_ev, root_mem_ev;

static const struct inode_ops cg_dir_iops, cg_file_iops;
static void frozen_changed(void);
static struct cgroup *cgns_root(const struct task *t);
static bool in_subtree(const struct cgroup *cg, const struct cgroup *top);
static void kick(struct task *t);
static const struct file_ops cg_dir_fops, cg_file_fops;

/* Per inode: which cgroup and file (NULL cg: the inode outlived its cgroup). */
struct cg_node {
	struct cgroup *cg;
	int kind;                 /* enum cg_file, or -1 for the directory */
};

/* Memory a cgroup holds in the sentry, counted against --memory: itself, its name, its
 * directory and the inodes of its files. */
static unsigned long
cg_bytes(const char *name)
{
	return sizeof(struct cgroup) + strlen(name) + 1 + (CF_COUNT + 1) * sizeof(struct inode);
}

struct cgroup *
cgroup_get(struct cgroup *cg)
{
	if (cg)
		cg->refs++;
	return cg;
}

static void
set_dying(struct cgroup *cg, int delta)
{
	for (struct cgroup *p = cg->parent; p; p = p->parent)
		p->nr_dying += delta;
}

void
cgroup_put(struct cgroup *cg)
{
	if (!cg || --cg->refs > 0)
		return;
	if (cg->dying)
		set_dying(cg, -1);
	mem_uncharge(cg_bytes(cg->name));
	cgroup_put(cg->parent);
	free(cg->name);
	free(cg);
}

static bool
is_root(const struct cgroup *cg)
{
	return cg == &root_cg;
}

/* ---- notification of cgroup.events, memory.events, pids.events ---- */

static int
ev_file(int ev)
{
	return ev == EV_EVENTS ? CF_EVENTS : ev == EV_MEM ? CF_MEM_EVENTS : CF_PIDS_EVENTS;
}

static void
notify(struct cgroup *cg, int ev)
{
	cg->ev[ev]++;
	if (cg->inodes[ev_file(ev)])
		fsnotify_inode(cg->inodes[ev_file(ev)], IN_MODIFY);
	waitq_wake(&cg->wq);
}

/* live changes by delta at cg and above; populated flips notify */
static void
live_add(struct cgroup *cg, int delta)
{
	for (; cg; cg = cg->parent) {
		bool was = cg->live > 0;
		cg->live += delta;
		if (was != (cg->live > 0))
			notify(cg, EV_EVENTS);
	}
}

/* ---- tasks ---- */

/* Controllers cg has (its parent enabled them; the root has them all). */
static unsigned
css_mask(const struct cgroup *cg)
{
	unsigned m = SS_ALL;

	for (const struct cgroup *p = cg->parent; p; p = p->parent)
		m &= p->subtree;
	return m;
}

/* The cgroups below top in pre-order, after pos (top: the first); NULL past the last.
 * (Walks, no recursion: a hierarchy may be as deep as guests make it.) */
static const struct cgroup *
next_below(const struct cgroup *pos, const struct cgroup *top)
{
	if (pos->children)
		return pos->children;
	for (; pos != top; pos = pos->parent)
		if (pos->next)
			return pos->next;
	return NULL;
}

static void
pids_add(struct cgroup *cg, long delta)
{
	for (; cg && !is_root(cg); cg = cg->parent) {
		cg->pids += delta;
		cg->pids_peak = MAX(cg->pids_peak, cg->pids);
	}
}

void
cgroup_task_new(struct task *t)
{
	t->cgroup = cgroup_get(&root_cg);
	live_add(t->cgroup, 1);
}

int
cgroup_can_fork(struct task *t)
{
	struct cgroup *cg = t->leader->cgroup;

	for (struct cgroup *p = cg; p && !is_root(p); p = p->parent) {
		if (p->pids + 1 > p->pids_max) {
			cg->pids_ev_local++;
			for (struct cgroup *q = p; q && !is_root(q); q = q->parent) {
				q->pids_ev++;
				notify(q, EV_PIDS);
			}
			return -EAGAIN;
		}
	}
	return 0;
}

static void
proc_cpu(struct task *l, unsigned long *user, unsigned long *sys)
{
	struct task *th = NULL, *p, *tmp;

	*user = l->user_us, *sys = l->sys_us;
	if (l->exited && !l->live_threads)
		return;
	if (l->ctx) {
		th = l;
	} else {
		HASH_ITER(hh, sentry.tasks, p, tmp)
			if (p->tgid == l->tgid && p->ctx && p->state != TASK_ZOMBIE) {
				th = p;
				break;
			}
	}
	if (th && plat_cpu_times(th->ctx, user, sys) == 0) {
		*user += l->ru_exec.ru_utime.tv_sec * 1000000UL + l->ru_exec.ru_utime.tv_usec;
		*sys += l->ru_exec.ru_stime.tv_sec * 1000000UL + l->ru_exec.ru_stime.tv_usec;
	}
}

/* The CPU time process l used since it came into its cgroup goes to that cgroup's (and
 * above) count of what left (l leaves, or ends); from now on it counts from here. */
static void
cpu_leave(struct task *l)
{
	unsigned long u, s;

	proc_cpu(l, &u, &s);
	for (struct cgroup *cg = l->cgroup; cg; cg = cg->parent) {
		cg->gone_user_us += u > l->cg_user_base ? u - l->cg_user_base : 0;
		cg->gone_sys_us += s > l->cg_sys_base ? s - l->cg_sys_base : 0;
	}
	l->cg_user_base = u, l->cg_sys_base = s;
}

void
cgroup_fork(struct task *parent, struct task *c)
{
	struct cgroup *cg = parent->leader->cgroup;

	if (c->cgroup != cg) {
		live_add(c->cgroup, -1);
		cgroup_put(c->cgroup);
		c->cgroup = cgroup_get(cg);
		live_add(cg, 1);
	}
	pids_add(cg, 1);
	root_pids_peak = MAX(root_pids_peak, (long)task_count());
}

void
cgroup_task_exit(struct task *t)
{
	if (t->cgroup && !t->cg_exited) {
		t->cg_exited = true;
		live_add(t->cgroup, -1);
		if (t->cgroup->e_freeze)
			frozen_changed();
	}
}

void
cgroup_task_free(struct task *t)
{
	if (!t->cgroup)
		return;
	cgroup_task_exit(t);
	if (t == t->leader)
		cpu_leave(t);
	pids_add(t->cgroup, -1);
	cgroup_put(t->cgroup);
	t->cgroup = NULL;
	free(t->cg_park_ev);
	t->cg_park_ev = NULL;
	t->cg_park = CG_PARK_NONE;
}

/* ---- memory ---- */

struct cgroup *
cgroup_mm_get(struct task *t)
{
	return cgroup_get(t && t->leader->cgroup ? t->leader->cgroup : &root_cg);
}

static void
mem_event(struct cgroup *cg, struct cgroup *hit, bool high)
{
	if (high)
		cg->mem_ev_high_local++;
	else
		cg->mem_ev_max_local++;
	for (struct cgroup *q = hit; q && !is_root(q); q = q->parent) {
		if (high)
			q->mem_ev_high++;
		else
			q->mem_ev_max++;
		notify(q, EV_MEM);
	}
}

bool
memcg_fits(struct cgroup *cg, unsigned long bytes, unsigned long credit)
{
	for (struct cgroup *p = cg; p && !is_root(p); p = p->parent) {
		if (p->mem_max != MEM_MAX_ && p->mem + bytes > p->mem_max + credit) {
			mem_event(cg, p, false);
			return false;
		}
	}
	return true;
}

void
memcg_charge(struct cgroup *cg, long delta)
{
	for (struct cgroup *p = cg; p && !is_root(p); p = p->parent) {
		p->mem += delta;
		p->mem_peak = MAX(p->mem_peak, p->mem);
		if (delta > 0 && p->mem > p->mem_high)
			mem_event(cg, p, true);
	}
}

/* The sandbox's own limits refused something: the root's events. */
void
cgroup_limit_event(int limit)
{
	if (limit == LIMIT_PIDS)
		root_pids_ev++, notify(&root_cg, EV_PIDS);
	else if (limit == LIMIT_MEMORY)
		root_mem_ev++, notify(&root_cg, EV_MEM);
}

/* Linux kstrtoll(s, 0): a whole number in any base strtoll takes (EINVAL), that fits
 * (ERANGE). */
static int
parse_ll(const char *s, long long *out)
{
	char *end;

	if (!*s || isspace((unsigned char)*s))
		return -EINVAL;
	errno = 0;
	*out = strtoll(s, &end, 0);
	if (end == s || *end)
		return -EINVAL;
	return errno ? -ERANGE : 0;
}

/* An open interface file. cgroup.procs and cgroup.threads keep the opener's credentials:
 * a move's permission is checked with them (Linux: the file's f_cred), not the writer's. */
struct cg_open {
	char *data;
	size_t len;
	unsigned long seen;       /* the event count when last read or polled */
	struct cgroup *ns_root;   /* the opener's cgroup namespace's root (a reference) */
	bool creds;
	uid_t fsuid, euid;
	gid_t fsgid, egid;
	uint64_t cap_eff;
	gid_t *groups;
	int ngroups;
};

/* ---- moving a process (cgroup.procs) ---- */

static void
migrate(struct task *l, struct cgroup *dst)
{
	struct cgroup *src = l->cgroup;
	struct task *t, *tmp;

	cpu_leave(l);
	if (src->e_freeze && !dst->e_freeze)
		cgroup_thawed = true; /* its held threads go on */
	HASH_ITER(hh, sentry.tasks, t, tmp) {
		if (t->leader != l || t->cgroup != src)
			continue;
		if (!t->cg_exited) {
			live_add(src, -1);
			live_add(dst, 1);
		}
		pids_add(src, -1);
		pids_add(dst, 1);
		cgroup_put(t->cgroup);
		t->cgroup = cgroup_get(dst);
		struct mm *mm = t->mm;
		if (mm && mm->memcg != dst) {
			/* the address space's charge goes with it (Linux v2 leaves what was
			 * charged behind; here charges are per address space) */
			unsigned long c = mm->committed + mm->stack_charge;
			memcg_charge(mm->memcg, -(long)c);
			cgroup_put(mm->memcg);
			mm->memcg = cgroup_get(dst);
			memcg_charge(dst, (long)c);
		}
	}
}

/* Linux cgroup_migrate_vet_dst without threaded cgroups: a cgroup whose subtree_control
 * has a domain controller (memory) takes no process, unless it could be a thread root
 * (only threaded controllers, no populated child). */
static int
vet_dst(struct cgroup *dst)
{
	bool populated_child = false;

	for (struct cgroup *c = dst->children; c; c = c->next)
		populated_child |= c->live > 0;
	if (!populated_child && !(dst->subtree & SS_MEMORY))
		return 0;
	return dst->subtree ? -EBUSY : 0;
}

static struct cgroup *
common_ancestor(struct cgroup *a, struct cgroup *b)
{
	while (a->level > b->level)
		a = a->parent;
	while (b->level > a->level)
		b = b->parent;
	while (a != b)
		a = a->parent, b = b->parent;
	return a;
}

static struct inode *file_inode(struct cgroup *cg, int kind);

/* May caller, with the credentials o keeps, write cgroup.procs of com? */
static int
may_migrate(struct task *caller, const struct cg_open *o, struct cgroup *com)
{
	if (!caller || !o->creds)
		return inode_permission(caller, file_inode(com, CF_PROCS), MAY_WRITE);
	struct task *as = xmalloc(sizeof(*as)); /* Linux override_creds(f_cred) */
	*as = *caller;
	as->fsuid = o->fsuid, as->euid = o->euid;
	as->fsgid = o->fsgid, as->egid = o->egid;
	as->cap_eff = o->cap_eff;
	as->groups = o->groups, as->ngroups = o->ngroups;
	int err = inode_permission(as, file_inode(com, CF_PROCS), MAY_WRITE);
	free(as);
	return err;
}

static int
procs_write(struct task *caller, const struct cg_open *o, struct cgroup *dst, const char *s,
	    bool threads)
{
	long long pid;

	/* Linux: kstrtoint, any base; every failure EINVAL */
	if (parse_ll(s, &pid) || pid < 0 || pid > INT_MAX)
		return -EINVAL;
	struct task *t = pid ? task_lookup_vnr(caller, (int)pid) : caller;
	if (!t || t->cg_exited || t->state == TASK_ZOMBIE)
		return -ESRCH;
	struct task *l = t->leader;
	if (l->exited && !l->live_threads)
		return -ESRCH;
	if (dst->dead)
		return -ENODEV;
	/* cgroup.threads moves one thread, within its process's domain: a domain cgroup
	 * is a domain of its own (Linux: EOPNOTSUPP across them) */
	if (threads && l->cgroup != dst)
		return -EOPNOTSUPP;
	int err = may_migrate(caller, o, common_ancestor(l->cgroup, dst));
	if (err)
		return err;
	/* nsdelegate: the opener's cgroup namespace sees both ends (Linux: ENOENT) */
	struct cgroup *top = o->ns_root ? o->ns_root : cgns_root(caller);
	if (!in_subtree(l->cgroup, top) || !in_subtree(dst, top))
		return -ENOENT;
	if (l->cgroup == dst)
		return 0;
	err = vet_dst(dst);
	if (err)
		return err;
	migrate(l, dst);
	if (dst->e_freeze) /* into a frozen cgroup: it stops */
		for (struct task *p = task_next(NULL); p; p = task_next(p))
			if (p->leader == l)
				kick(p);
	frozen_changed();
	return 0;
}

/* ---- cgroup.freeze ---- */

static bool
in_subtree(const struct cgroup *cg, const struct cgroup *top)
{
	while (cg && cg != top)
		cg = cg->parent;
	return cg != NULL;
}

bool
cgroup_frozen(const struct task *t)
{
	return t->cgroup && t->cgroup->e_freeze;
}

/* Is t held, or not running guest code anyway (waiting in a call, stopped, gone)? */
static bool
task_still(const struct task *t)
{
	return t->cg_park || t->cg_exited || !t->ctx || t->state == TASK_BLOCKED || t->stopped;
}

/* cgroup.events' frozen: frozen, with every task below still (Linux: all of them in the
 * freezer's trap). */
static bool
all_frozen(const struct cgroup *cg)
{
	if (!cg->e_freeze)
		return false;
	for (struct task *t = task_next(NULL); t; t = task_next(t))
		if (in_subtree(t->cgroup, cg) && !task_still(t))
			return false;
	return true;
}

/* frozen may have changed anywhere: tell who watches cgroup.events */
static void
frozen_changed(void)
{
	for (const struct cgroup *c = &root_cg; c; c = next_below(c, &root_cg)) {
		struct cgroup *cg = (struct cgroup *)c;
		bool now = all_frozen(cg);
		if (now != cg->frozen_shown) {
			cg->frozen_shown = now;
			notify(cg, EV_EVENTS);
		}
	}
}

/* A SIGSTOP to a thread that runs guest code: it stops where it is, and the loop holds it
 * (sentry/loop.c takes the stop as the freezer's, never the guest's). */
static void
kick(struct task *t)
{
	siginfo_t si;

	if (task_still(t) || t == current_task || plat_is_stopped(t->ctx))
		return;
	sig_info_kernel(&si, SIGSTOP);
	if (plat_send_signal(t->ctx, SIGSTOP, &si) == 0)
		t->cg_kicks++;
}

/* The effective freeze of cg's subtree follows its ancestors' and own settings: threads
 * of what froze are stopped, what thawed goes on (in the loop). */
static void
freeze_apply(struct cgroup *top)
{
	long long now = vfs_boot_ns();
	bool thawed = false;

	for (const struct cgroup *c = top; c; c = next_below(c, top)) {
		struct cgroup *cg = (struct cgroup *)c;
		bool e = cg->freeze || (cg->parent && cg->parent->e_freeze);
		if (e == cg->e_freeze)
			continue;
		cg->e_freeze = e;
		if (e)
			cg->freeze_start = now;
		else
			cg->frozen_ns += (unsigned long long)(now - cg->freeze_start), thawed = true;
	}
	for (struct task *t = task_next(NULL); t; t = task_next(t))
		if (in_subtree(t->cgroup, top) && cgroup_frozen(t))
			kick(t);
	if (thawed)
		cgroup_thawed = true;
	frozen_changed();
}

static int
freeze_write(struct cgroup *cg, const char *s)
{
	long long v;
	int err = parse_ll(s, &v);

	if (err)
		return err;
	if (v < 0 || v > 1)
		return -ERANGE;
	if (cg->freeze != (v == 1)) {
		cg->freeze = v == 1;
		freeze_apply(cg);
	}
	return 0;
}

bool
cgroup_park(struct task *t, int kind, long arg)
{
	if (!cgroup_frozen(t))
		return false;
	/* a thread waiting for the answer to a notification is in no ptrace stop: held
	 * there, a signal would end its call behind the sentry's back; it waits in one
	 * (the platform turns the wait into a stop for the registers) */
	struct user_regs_struct r;
	if (kind != CG_PARK_RESUME && t->ctx && plat_in_notif(t->ctx))
		plat_get_regs(t->ctx, &r);
	t->cg_park = (unsigned char)kind;
	t->cg_park_arg = arg;
	frozen_changed();
	return true;
}

/* ---- the files' contents ---- */

static void
pids_line(struct sbuf *b, struct task *caller, struct cgroup *cg, bool threads)
{
	for (struct task *t = task_next(NULL); t; t = task_next(t)) {
		if (t->cgroup != cg || (!threads && t != t->leader))
			continue;
		/* a leader gone before its threads still names its process */
		if (t->cg_exited && (threads || !t->live_threads))
			continue;
		int nr = task_vnr(caller, threads ? t->tid : t->tgid);
		if (nr)
			sbuf_printf(b, "%d\n", nr);
	}
}

/* Linux cgroup_print_ss_mask: the names, and a newline only after one */
static void
mask_line(struct sbuf *b, unsigned mask)
{
	bool first = true;

	for (size_t i = 0; i < ARRAY_SIZE(ss_names); i++)
		if (mask & (1u << i)) {
			sbuf_printf(b, "%s%s", first ? "" : " ", ss_names[i]);
			first = false;
		}
	if (!first)
		sbuf_printf(b, "\n");
}

static void
max_line(struct sbuf *b, long v, long max)
{
	if (v >= max)
		sbuf_printf(b, "max\n");
	else
		sbuf_printf(b, "%ld\n", v);
}

static int
count_css(const struct cgroup *cg, unsigned ss)
{
	int n = 0;

	for (const struct cgroup *c = cg; c; c = next_below(c, cg))
		n += (css_mask(c) & ss) != 0;
	return n;
}

static void
cpu_usage(struct cgroup *cg, unsigned long *user, unsigned long *sys)
{
	*user = cg->gone_user_us, *sys = cg->gone_sys_us;
	for (struct task *t = task_next(NULL); t; t = task_next(t)) {
		if (t != t->leader)
			continue;
		struct cgroup *p = t->cgroup;
		while (p && p != cg)
			p = p->parent;
		if (!p)
			continue;
		unsigned long u, s;
		proc_cpu(t, &u, &s);
		*user += u > t->cg_user_base ? u - t->cg_user_base : 0;
		*sys += s > t->cg_sys_base ? s - t->cg_sys_base : 0;
	}
}

static unsigned long
mem_current(const struct cgroup *cg)
{
	return is_root(cg) ? (limit_report ? limit_report->mem_charged : 0) : cg->mem;
}

static unsigned long
mem_limit(const struct cgroup *cg)
{
	if (is_root(cg))
		return limit_report && limit_report->mem_limit ? limit_report->mem_limit : MEM_MAX_;
	return cg->mem_max;
}

static void
mem_value(struct sbuf *b, unsigned long v)
{
	if (v == MEM_MAX_)
		sbuf_printf(b, "max\n");
	else
		sbuf_printf(b, "%lu\n", v);
}

static void
generate(struct task *caller, struct cgroup *cg, int kind, struct sbuf *b)
{
	unsigned long u, s;

	switch (kind) {
	case CF_CONTROLLERS:
		mask_line(b, css_mask(cg));
		break;
	case CF_SUBTREE:
		mask_line(b, cg->subtree);
		break;
	case CF_EVENTS:
		sbuf_printf(b, "populated %d\nfrozen %d\n", cg->live > 0, all_frozen(cg));
		break;
	case CF_FREEZE:
		sbuf_printf(b, "%d\n", cg->freeze);
		break;
	case CF_MAX_DEPTH:
		max_line(b, cg->max_depth, INT_MAX);
		break;
	case CF_MAX_DESC:
		max_line(b, cg->max_desc, INT_MAX);
		break;
	case CF_PROCS:
	case CF_THREADS:
		pids_line(b, caller, cg, kind == CF_THREADS);
		break;
	case CF_STAT:
		sbuf_printf(b, "nr_descendants %d\n", cg->nr_desc);
		for (size_t i = 0; i < ARRAY_SIZE(ss_names); i++)
			sbuf_printf(b, "nr_subsys_%s %d\n", ss_names[i], count_css(cg, 1u << i));
		sbuf_printf(b, "nr_dying_descendants %d\n", cg->nr_dying);
		for (size_t i = 0; i < ARRAY_SIZE(ss_names); i++)
			sbuf_printf(b, "nr_dying_subsys_%s 0\n", ss_names[i]);
		break;
	case CF_STAT_LOCAL: {
		unsigned long long ns = cg->frozen_ns;
		if (cg->e_freeze)
			ns += (unsigned long long)(vfs_boot_ns() - cg->freeze_start);
		sbuf_printf(b, "frozen_usec %llu\n", ns / 1000);
		break;
	}
	case CF_TYPE:
		sbuf_printf(b, "domain\n");
		break;
	case CF_CPU_STAT:
		cpu_usage(cg, &u, &s);
		sbuf_printf(b, "usage_usec %lu\nuser_usec %lu\nsystem_usec %lu\n", u + s, u, s);
		break;
	case CF_MEM_CURRENT:
		sbuf_printf(b, "%lu\n", mem_current(cg));
		break;
	case CF_MEM_PEAK:
		sbuf_printf(b, "%lu\n", is_root(cg) ? (limit_report ? limit_report->mem_peak : 0)
						    : cg->mem_peak);
		break;
	case CF_MEM_MAX:
		mem_value(b, mem_limit(cg));
		break;
	case CF_MEM_HIGH:
		mem_value(b, is_root(cg) ? MEM_MAX_ : cg->mem_high);
		break;
	case CF_MEM_EVENTS:
	case CF_MEM_EVENTS_LOCAL: {
		bool local = kind == CF_MEM_EVENTS_LOCAL;
		unsigned long high = local ? cg->mem_ev_high_local : cg->mem_ev_high;
		unsigned long max = is_root(cg) ? root_mem_ev :
				    local ? cg->mem_ev_max_local : cg->mem_ev_max;
		sbuf_printf(b, "low 0\nhigh %lu\nmax %lu\noom 0\noom_kill 0\noom_group_kill 0\n",
			    high, max);
		break;
	}
	case CF_MEM_STAT:
		/* private writable memory of address spaces is all this counts */
		if (is_root(cg))
			sbuf_printf(b, "anon %lu\n", limit_report ?
				    limit_report->mem_charged - limit_report->mem_held : 0);
		else
			sbuf_printf(b, "anon %lu\n", cg->mem);
		break;
	case CF_PIDS_CURRENT:
		sbuf_printf(b, "%ld\n", is_root(cg) ? (long)task_count() : cg->pids);
		break;
	case CF_PIDS_PEAK:
		sbuf_printf(b, "%ld\n", is_root(cg) ? MAX(root_pids_peak, (long)task_count())
						    : cg->pids_peak);
		break;
	case CF_PIDS_MAX:
		max_line(b, is_root(cg) ? sentry.max_tasks : cg->pids_max, PIDS_MAX_);
		break;
	case CF_PIDS_EVENTS:
		sbuf_printf(b, "max %lu\n", is_root(cg) ? root_pids_ev : cg->pids_ev);
		break;
	case CF_PIDS_EVENTS_LOCAL:
		sbuf_printf(b, "max %lu\n", cg->pids_ev_local);
		break;
	}
}

/* ---- writes ---- */

/* "max" (as max) or a number in [0, limit]: below it err_neg, above it err_big (pids.max:
 * EINVAL both; cgroup.max.depth and .descendants: ERANGE both). */
static int
parse_max(const char *s, long long max, long long limit, int err_neg, int err_big,
	  long long *out)
{
	int err;

	if (!strcmp(s, "max")) {
		*out = max;
		return 0;
	}
	if ((err = parse_ll(s, out)))
		return err;
	return *out < 0 ? err_neg : *out > limit ? err_big : 0;
}

/* Linux memparse: a number with an optional K, M, G, T, P or E suffix. */
static int
parse_bytes(const char *s, unsigned long *out)
{
	char *end;

	if (!strcmp(s, "max")) {
		*out = MEM_MAX_;
		return 0;
	}
	if (*s == '-')
		return -EINVAL;
	unsigned long long v = strtoull(s, &end, 0); /* "" is 0, as simple_strtoull */

	static const char sfx[] = "KMGTPE";
	const char *k = *end ? strchr(sfx, toupper((unsigned char)*end)) : NULL;
	if (k) {
		v <<= 10 * (k - sfx + 1);
		end++;
	}
	if (*end)
		return -EINVAL;
	*out = v / PAGE_SIZE * PAGE_SIZE;
	return 0;
}

static int
subtree_write(struct cgroup *cg, char *s)
{
	unsigned enable = 0, disable = 0;
	bool other = false;
	static const char *const others[] = { "cpuset", "cpu", "io", "hugetlb", "rdma", "misc",
					      "dmem", "perf_event" };

	for (char *tok; (tok = strsep(&s, " "));) {
		if (!*tok)
			continue;
		size_t i;
		for (i = 0; i < ARRAY_SIZE(ss_names) && strcmp(tok + 1, ss_names[i]); i++)
			;
		if (i == ARRAY_SIZE(ss_names)) {
			/* the kernel's other controllers: bound elsewhere, not in this cgroup's
			 * (Linux cgroup_control: ENOENT) */
			size_t k;
			for (k = 0; k < ARRAY_SIZE(others) && strcmp(tok + 1, others[k]); k++)
				;
			if (k == ARRAY_SIZE(others) || (*tok != '+' && *tok != '-'))
				return -EINVAL;
			other |= *tok == '+';
			continue;
		}
		if (*tok == '+')
			enable |= 1u << i, disable &= ~(1u << i);
		else if (*tok == '-')
			disable |= 1u << i, enable &= ~(1u << i);
		else
			return -EINVAL;
	}
	if (cg->dead)
		return -ENODEV;
	enable &= ~cg->subtree;
	disable &= cg->subtree;
	if (other || (enable & ~css_mask(cg)))
		return -ENOENT;
	for (struct cgroup *c = cg->children; c; c = c->next)
		if (c->subtree & disable)
			return -EBUSY;
	/* the no-internal-process rule for a domain controller (memory) */
	if ((enable & SS_MEMORY) && cg->live > 0) {
		bool here = false;
		for (struct task *t = task_next(NULL); t && !here; t = task_next(t))
			here = t->cgroup == cg && !t->cg_exited;
		if (here)
			return -EBUSY;
	}
	cg->subtree = (cg->subtree | enable) & ~disable;
	/* a child that lost a controller loses its limits with it */
	for (struct cgroup *c = cg->children; c; c = c->next) {
		if (disable & SS_PIDS)
			c->pids_max = PIDS_MAX_;
		if (disable & SS_MEMORY)
			c->mem_max = c->mem_high = MEM_MAX_;
	}
	return 0;
}

static int
kill_write(struct cgroup *cg, const char *s)
{
	long long v;
	int err = parse_ll(s, &v);

	if (err)
		return err;
	if (v != 1)
		return -ERANGE;
	for (struct task *t = task_next(NULL); t; t = task_next(t)) {
		struct cgroup *p = t->cgroup;
		while (p && p != cg)
			p = p->parent;
		if (p && t == t->leader && !t->exited)
			task_signal(t, SIGKILL);
	}
	return 0;
}

/* nsdelegate: the namespace root's files but the delegatable ones (cgroup.procs,
 * .threads, .subtree_control) are not written from inside (Linux cgroup_file_write:
 * EPERM): its limits are the sandbox's, its freeze and kill the host's. */
static bool
root_locked(const struct cgroup *cg, int kind)
{
	return is_root(cg) && kind != CF_PROCS && kind != CF_THREADS && kind != CF_SUBTREE;
}

static int
do_write(struct task *caller, const struct cg_open *o, struct cgroup *cg, int kind, char *s)
{
	long long v;
	unsigned long bytes;
	int err = 0;

	/* Linux strstrip: surrounding white space goes */
	while (isspace((unsigned char)*s))
		s++;
	for (size_t n = strlen(s); n && isspace((unsigned char)s[n - 1]);)
		s[--n] = '\0';
	if (cg->dead && kind != CF_PROCS && kind != CF_THREADS)
		return -ENODEV;
	if (root_locked(cg, kind))
		return -EPERM;
	switch (kind) {
	case CF_PROCS:
	case CF_THREADS:
		return procs_write(caller, o, cg, s, kind == CF_THREADS);
	case CF_SUBTREE:
		return subtree_write(cg, s);
	case CF_KILL:
		return kill_write(cg, s);
	case CF_FREEZE:
		return freeze_write(cg, s);
	case CF_TYPE:
		/* threaded cgroups are not offered */
		return strcmp(s, "threaded") ? -EINVAL : -EOPNOTSUPP;
	case CF_MAX_DEPTH:
	case CF_MAX_DESC:
		if (!(err = parse_max(s, INT_MAX, INT_MAX, -ERANGE, -ERANGE, &v)))
			*(kind == CF_MAX_DEPTH ? &cg->max_depth : &cg->max_desc) = (int)v;
		return err;
	case CF_PIDS_MAX:
		if (!(err = parse_max(s, PIDS_MAX_, PIDS_MAX_ - 1, -EINVAL, -EINVAL, &v)))
			cg->pids_max = (long)v;
		return err;
	case CF_MEM_MAX:
	case CF_MEM_HIGH:
		if (!(err = parse_bytes(s, &bytes)))
			*(kind == CF_MEM_MAX ? &cg->mem_max : &cg->mem_high) = bytes;
		return err;
	}
	return -EINVAL;
}

/* ---- files ---- */


static struct cg_node *
node_of(struct inode *i)
{
	return i->priv;
}

bool
cgroupfs_is_dir(struct file *f)
{
	return f && f->inode && cg_sb && f->inode->sb == cg_sb && S_ISDIR(f->inode->mode);
}

static void
node_free(struct inode *i)
{
	free(i->priv);
}

static struct inode *
new_inode(struct cgroup *cg, int kind, mode_t mode, uid_t uid, gid_t gid)
{
	struct inode *i = inode_new(cg_sb, mode, uid, gid);
	struct cg_node *n = xcalloc(1, sizeof(*n));

	n->cg = cg;
	n->kind = kind;
	i->priv = n;
	i->free_priv = node_free;
	if (kind < 0) {
		i->iops = &cg_dir_iops;
		i->fops = &cg_dir_fops;
	} else {
		i->iops = &cg_file_iops;
		i->fops = &cg_file_fops;
	}
	return i;
}

/* The inode of cg's file kind, made on first use and kept with the cgroup. */
static struct inode *
file_inode(struct cgroup *cg, int kind)
{
	if (!cg->inodes[kind]) {
		bool own = files[kind].delegated;
		cg->inodes[kind] = new_inode(cg, kind, S_IFREG | files[kind].mode,
					     own ? cg->uid : 0, own ? cg->gid : 0);
		cg->inodes[kind]->nlink = 1;
	}
	return cg->inodes[kind];
}

static bool
file_shown(const struct cgroup *cg, int kind)
{
	return !files[kind].ss || (css_mask(cg) & files[kind].ss);
}

static int
ev_of(int kind)
{
	return kind == CF_EVENTS ? EV_EVENTS :
	       kind == CF_MEM_EVENTS || kind == CF_MEM_EVENTS_LOCAL ? EV_MEM :
	       kind == CF_PIDS_EVENTS || kind == CF_PIDS_EVENTS_LOCAL ? EV_PIDS : -1;
}

static int
cg_file_open(struct task *t, struct file *f)
{
	struct cg_node *n = node_of(f->inode);
	struct cg_open *o;

	if (!n->cg)
		return -ENODEV;
	o = xcalloc(1, sizeof(*o));
	if (t && (n->kind == CF_PROCS || n->kind == CF_THREADS)) {
		o->ns_root = cgroup_get(cgns_root(t));
		o->creds = true;
		o->fsuid = t->fsuid, o->euid = t->euid;
		o->fsgid = t->fsgid, o->egid = t->egid;
		o->cap_eff = t->cap_eff;
		o->ngroups = t->ngroups;
		o->groups = xcalloc(t->ngroups + 1, sizeof(gid_t));
		if (t->ngroups)
			memcpy(o->groups, t->groups, t->ngroups * sizeof(gid_t));
	}
	int ev = ev_of(n->kind);
	o->seen = ev >= 0 ? n->cg->ev[ev] : 0;
	f->priv = o;
	f->fops = &cg_file_fops;
	return 0;
}

/* Linux's seq_file: a read at position 0 generates the text anew. */
static ssize_t
cg_file_read(struct file *f, void *buf, size_t n, off_t *pos)
{
	struct cg_node *nd = node_of(f->inode);
	struct cg_open *o = f->priv;

	if (!(files[nd->kind].mode & 0444))
		return -EINVAL; /* cgroup.kill has no read */
	if (!nd->cg)
		return -ENODEV;
	if (*pos == 0 || !o->data) {
		struct sbuf b = { 0 };
		int ev = ev_of(nd->kind);

		generate(current_task, nd->cg, nd->kind, &b);
		free(o->data);
		o->data = sbuf_steal(&b, &o->len);
		if (ev >= 0)
			o->seen = nd->cg->ev[ev];
	}
	if (*pos < 0 || (size_t)*pos >= o->len)
		return 0;
	n = MIN(n, o->len - (size_t)*pos);
	memcpy(buf, o->data + *pos, n);
	*pos += n;
	return n;
}

static ssize_t
cg_file_write(struct file *f, const void *buf, size_t n, off_t *pos)
{
	struct cg_node *nd = node_of(f->inode);
	char text[PAGE_SIZE + 1];

	(void)pos;
	if (!(files[nd->kind].mode & 0222))
		return -EINVAL;
	if (!nd->cg)
		return -ENODEV;
	n = MIN(n, (size_t)PAGE_SIZE); /* kernfs takes a page at a time */
	memcpy(text, buf, n);
	text[n] = '\0';
	int err = do_write(current_task, f->priv, nd->cg, nd->kind, text);
	return err ? err : (ssize_t)n;
}

static off_t
cg_file_llseek(struct file *f, off_t off, int whence)
{
	struct cg_open *o = f->priv;

	if (whence == SEEK_END)
		return -EINVAL;
	return generic_llseek(f, off, whence, o->data ? (off_t)o->len : 0);
}

static void
cg_file_release(struct file *f)
{
	struct cg_open *o = f->priv;

	if (o) {
		free(o->data);
		free(o->groups);
		cgroup_put(o->ns_root);
	}
	free(o);
}

/* Linux kernfs_generic_poll: an event since the last read shows as EPOLLERR|EPOLLPRI. */
static short
cg_file_poll(struct file *f, short events)
{
	struct cg_node *nd = node_of(f->inode);
	struct cg_open *o = f->priv;
	short mask = POLLIN | POLLOUT | POLLRDNORM | POLLWRNORM;
	int ev = ev_of(nd->kind);

	(void)events;
	if (!nd->cg)
		return mask | POLLERR | POLLPRI;
	if (ev >= 0 && o->seen != nd->cg->ev[ev])
		mask |= POLLERR | POLLPRI;
	return mask;
}

static struct waitq *
cg_file_waitq(struct file *f)
{
	struct cg_node *nd = node_of(f->inode);

	return nd->cg && ev_of(nd->kind) >= 0 ? &nd->cg->wq : NULL;
}

static bool
cg_seq(struct file *f)
{
	(void)f;
	return true;
}

static const struct file_ops cg_file_fops = {
	.read = cg_file_read,
	.write = cg_file_write,
	.llseek = cg_file_llseek,
	.release = cg_file_release,
	.poll = cg_file_poll,
	.waitq = cg_file_waitq,
	.pread_ok = true,
	.seq_file = cg_seq,
};

static int
cg_file_setattr(struct dentry *d, const struct iattr *ia)
{
	if (ia->valid & ATTR_SIZE)
		return 0; /* O_TRUNC and truncate do nothing (kernfs) */
	inode_set_attrs(d->inode, ia);
	return 0;
}

static const struct inode_ops cg_file_iops = {
	.setattr = cg_file_setattr,
	.open = cg_file_open,
};

/* ---- directories ---- */

static struct cgroup *
find_child(struct cgroup *cg, const char *name)
{
	for (struct cgroup *c = cg->children; c; c = c->next)
		if (!strcmp(c->name, name))
			return c;
	return NULL;
}

static int
cg_lookup(struct dentry *dir, const char *name, struct inode **out)
{
	struct cgroup *cg = node_of(dir->inode)->cg;

	if (!cg)
		return -ENOENT;
	for (int k = 0; k < CF_COUNT; k++)
		if (file_shown(cg, k) && !strcmp(files[k].name, name)) {
			*out = iget(file_inode(cg, k));
			return 0;
		}
	struct cgroup *c = find_child(cg, name);
	if (!c)
		return -ENOENT;
	*out = iget(c->dir);
	return 0;
}

/* Linux cgroup_check_hierarchy_limits: EAGAIN past a max.depth or max.descendants. */
static int
hierarchy_room(struct cgroup *parent)
{
	int level = parent->level + 1;

	for (struct cgroup *p = parent; p; p = p->parent) {
		if (p->nr_desc >= p->max_desc)
			return -EAGAIN;
		if (level - p->level > p->max_depth)
			return -EAGAIN;
	}
	return 0;
}

static int
cg_create(struct dentry *dir, struct dentry *d, mode_t mode, dev_t rdev, uid_t uid, gid_t gid)
{
	struct cgroup *parent = node_of(dir->inode)->cg;

	(void)rdev;
	if (!S_ISDIR(mode))
		return -EACCES; /* kernfs directories have no create */
	if (!parent || parent->dead)
		return -ENODEV;
	if (strchr(d->name, '\n'))
		return -EINVAL;
	int err = hierarchy_room(parent);
	if (!err)
		err = mem_charge(cg_bytes(d->name)); /* what the sentry holds for it, as Linux's
							* kernel memory: ENOMEM past --memory */
	if (err)
		return err;
	struct cgroup *cg = xcalloc(1, sizeof(*cg));
	cg->refs = 1; /* its place in the tree */
	cg->name = xstrdup(d->name);
	cg->parent = cgroup_get(parent);
	cg->level = parent->level + 1;
	cg->max_depth = cg->max_desc = INT_MAX;
	cg->pids_max = PIDS_MAX_;
	cg->mem_max = cg->mem_high = MEM_MAX_;
	cg->uid = uid, cg->gid = gid;
	cg->e_freeze = parent->e_freeze;
	cg->freeze_start = vfs_boot_ns();
	cg->dir = new_inode(cg, -1, S_IFDIR | (mode & 07777), uid, gid);
	DL_APPEND2(parent->children, cg, prev, next);
	for (struct cgroup *p = parent; p; p = p->parent)
		p->nr_desc++;
	dir->inode->nlink++;
	d->inode = iget(cg->dir);
	return 0;
}

static int
cg_unlink(struct dentry *dir, struct dentry *d)
{
	struct cgroup *parent = node_of(dir->inode)->cg;
	struct cg_node *n = node_of(d->inode);
	struct cgroup *cg = n->cg;

	if (n->kind >= 0 || !cg || !parent)
		return -EPERM; /* interface files stay */
	if (cg->live > 0 || cg->children)
		return -EBUSY;
	DL_DELETE2(parent->children, cg, prev, next);
	for (struct cgroup *p = parent; p; p = p->parent)
		p->nr_desc--;
	dir->inode->nlink--;
	cg->dead = true;
	/* its inodes outlive it while open or watched: they then name nothing */
	n->cg = NULL;
	d->inode->nlink = 0;
	for (int k = 0; k < CF_COUNT; k++)
		if (cg->inodes[k]) {
			node_of(cg->inodes[k])->cg = NULL;
			fsnotify_inode(cg->inodes[k], IN_DELETE_SELF);
			iput(cg->inodes[k]);
		}
	iput(cg->dir);
	cg->dir = NULL;
	waitq_wake(&cg->wq);
	if (cg->refs > 1) {
		cg->dying = true; /* tasks that ended here, not yet released */
		set_dying(cg, 1);
	}
	cgroup_put(cg);
	return 0;
}

static int
cg_refuse(void)
{
	return -EPERM;
}

static int
cg_symlink(struct dentry *dir, struct dentry *d, const char *target, uid_t uid, gid_t gid)
{
	(void)dir, (void)d, (void)target, (void)uid, (void)gid;
	return cg_refuse();
}

static int
cg_link(struct dentry *old, struct dentry *dir, struct dentry *d)
{
	(void)old, (void)dir, (void)d;
	return cg_refuse();
}

static int
cg_rename(struct dentry *odir, struct dentry *od, struct dentry *ndir, struct dentry *nd,
	  unsigned flags)
{
	(void)odir, (void)od, (void)ndir, (void)nd, (void)flags;
	return cg_refuse();
}

static int
cg_dir_setattr(struct dentry *d, const struct iattr *ia)
{
	struct cg_node *n = node_of(d->inode);

	inode_set_attrs(d->inode, ia);
	/* chown of a cgroup directory delegates it: the files a delegatee writes follow */
	if (n->cg && (ia->valid & (ATTR_UID | ATTR_GID))) {
		n->cg->uid = d->inode->uid;
		n->cg->gid = d->inode->gid;
	}
	return 0;
}

static const struct inode_ops cg_dir_iops = {
	.lookup = cg_lookup,
	.create = cg_create,
	.symlink = cg_symlink,
	.link = cg_link,
	.unlink = cg_unlink,
	.rename = cg_rename,
	.setattr = cg_dir_setattr,
};

/* ".", "..", the interface files, then the child cgroups (oldest first). */
static ssize_t
cg_getdents64(struct file *f, void *buf, size_t n)
{
	struct cgroup *cg = node_of(f->inode)->cg;
	size_t used = 0;
	ssize_t r = dcache_emit_dots(f, buf, n, &used);
	off_t pos = 2;

	if (r <= 0 || !cg)
		return r < 0 ? r : (ssize_t)used;
	for (int k = 0; k < CF_COUNT; k++) {
		if (!file_shown(cg, k) || ++pos <= f->pos)
			continue;
		if (vfs_emit_dirent(buf, n, &used, file_inode(cg, k)->ino, pos, DT_REG,
				    files[k].name))
			return used ? (ssize_t)used : -EINVAL;
		f->pos = pos;
	}
	for (struct cgroup *c = cg->children; c; c = c->next) {
		if (++pos <= f->pos)
			continue;
		if (vfs_emit_dirent(buf, n, &used, c->dir->ino, pos, DT_DIR, c->name))
			return used ? (ssize_t)used : -EINVAL;
		f->pos = pos;
	}
	return (ssize_t)used;
}

static const struct file_ops cg_dir_fops = {
	.getdents64 = cg_getdents64,
	.pread_ok = true,
};

/* ---- the super block and what /proc shows ---- */

struct super_block *
cgroupfs_sb(void)
{
	if (!cg_sb) {
		cg_sb = sb_new("cgroup2", "cgroup2", SB_NOCACHE | SB_NOCACHE_CREATE);
		/* its root is a namespace's, a delegation boundary (the root's own limits
		 * are not the guests' to write) */
		cg_sb->opts = xstrdup(",nsdelegate");
		cg_sb->root = d_alloc(NULL, "/");
		cg_sb->root->sb = cg_sb;
		root_cg.dir = new_inode(&root_cg, -1, S_IFDIR | 0755, root_cg.uid, root_cg.gid);
		cg_sb->root->inode = iget(root_cg.dir);
	}
	return cg_sb;
}

/* The path of cg as seen from top, a cgroup namespace's root (Linux
 * kernfs_path_from_node): "/.." for each step up from top to their common ancestor, then
 * the names down to cg; "/" for top itself. */
static void
cg_path_from(struct sbuf *b, struct cgroup *cg, struct cgroup *top)
{
	struct cgroup *com = common_ancestor(cg, top);
	int n = cg->level - com->level;
	struct cgroup **chain = xcalloc(n + 1, sizeof(*chain));

	for (struct cgroup *c = top; c != com; c = c->parent)
		sbuf_printf(b, "/..");
	for (int i = n; i > 0; i--, cg = cg->parent)
		chain[i - 1] = cg;
	for (int i = 0; i < n; i++)
		sbuf_printf(b, "/%s", chain[i]->name);
	if (top == com && !n)
		sbuf_printf(b, "/");
	free(chain);
}

/* /proc/PID/cgroup: the one v2 hierarchy, the path from the reader's namespace's root;
 * a removed cgroup's marked (Linux proc_cgroup_show). */
void
cgroup_proc_text(struct task *reader, struct task *t, struct sbuf *b)
{
	struct cgroup *cg = t->leader->cgroup ? t->leader->cgroup : &root_cg;

	sbuf_printf(b, "0::");
	cg_path_from(b, cg, cgns_root(reader));
	sbuf_printf(b, "%s\n", cg->dead ? " (deleted)" : "");
}

/* Linux's proc_cpuset_show: the task's cpuset cgroup, seen from the reader's cgroup
 * namespace; without a cpuset controller, every task's is the root. */
void
cgroup_cpuset_text(struct task *reader, struct sbuf *b)
{
	cg_path_from(b, &root_cg, cgns_root(reader));
	sbuf_printf(b, "\n");
}

/* The root of a cgroup2 mount (its dentry's cgroup) as mountinfo shows it to reader. */
void
cgroupfs_show_root(struct task *reader, struct dentry *root, struct sbuf *b)
{
	struct cg_node *n = root && root->inode ? node_of(root->inode) : NULL;

	cg_path_from(b, n && n->cg ? n->cg : &root_cg, cgns_root(reader));
}

/* ---- cgroup namespaces ---- */

struct cgroup_ns {
	struct ns_common ns;
	struct cgroup *root;      /* its creator's cgroup when it was made (a reference) */
};

static struct ns_common *
cgns_copy(struct task *t, struct ns_common *old, struct ns_common *owner, int *err)
{
	struct cgroup_ns *n = xcalloc(1, sizeof(*n));

	(void)owner, (void)err;
	n->ns.refs = 1;
	n->ns.kind = NS_CGROUP;
	/* the initial one has Linux's number for the initial cgroup namespace */
	n->ns.ino = old ? ns_new_ino() : 4026531835u;
	n->root = cgroup_get(old && t && t->leader->cgroup ? t->leader->cgroup : &root_cg);
	return &n->ns;
}

static void
cgns_release(struct ns_common *ns)
{
	struct cgroup_ns *n = (struct cgroup_ns *)ns;

	cgroup_put(n->root);
	free(n);
}

const struct ns_ops ns_cgroup_ops = {
	.name = "cgroup",
	.clone_flag = CLONE_NEWCGROUP,
	.copy = cgns_copy,
	.release = cgns_release,
};

static struct cgroup *
cgns_root(const struct task *t)
{
	struct ns_common *ns = ns_of(t, NS_CGROUP);

	return ns ? ((struct cgroup_ns *)ns)->root : &root_cg; /* (none before the first task) */
}

/* A dentry for t's cgroup namespace's root directory on the cgroup2 super block, for a
 * mount made from inside it (a reference; its parents are made as lookups would), or
 * NULL when that cgroup was removed. */
struct dentry *
cgroupfs_ns_root(struct task *t)
{
	struct cgroup *top = cgns_root(t);
	if (top->dead || (top != &root_cg && !top->dir))
		return NULL;
	int n = top->level;
	struct cgroup **chain = xcalloc(n + 1, sizeof(*chain));
	struct dentry *d = dget(cgroupfs_sb()->root);

	for (struct cgroup *c = top; n > 0 && c != &root_cg; c = c->parent)
		chain[--n] = c;
	for (int i = 0; i < top->level; i++) {
		struct dentry *c = d_alloc(d, chain[i]->name);
		c->inode = iget(chain[i]->dir);
		dput(d);
		d = c;
	}
	free(chain);
	return d;
}

/* /proc/cgroups: v2 controllers show hierarchy 0 (Linux proc_cgroupstats_show). */
void
cgroup_proc_cgroups(struct sbuf *b)
{
	sbuf_printf(b, "#subsys_name\thierarchy\tnum_cgroups\tenabled\n");
	for (size_t i = 0; i < ARRAY_SIZE(ss_names); i++)
		sbuf_printf(b, "%s\t0\t%d\t1\n", ss_names[i], count_css(&root_cg, 1u << i));
}
