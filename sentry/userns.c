/*
 * User namespaces (Linux kernel/user_namespace.c): a tree from the sandbox's own (which
 * the guest sees as the initial one), each with the uid and gid maps written to
 * /proc/PID/uid_map and gid_map, an owner, and a setgroups switch. Task credentials stay
 * in kernel ids (the initial namespace's); what a task reads and passes in goes through its
 * namespace's maps. Capabilities count in the task's own namespace and those below it
 * that it owns: task_capable (everything global: files, the sandbox's mounts, limits) asks
 * the initial namespace, so a task in a new user namespace has none of those powers.
 */
#include <ctype.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <uthash.h>

#include "sentry/ns.h"
#include "sentry/sentry.h"

#define USERNS_LEVEL_MAX 32     /* Linux create_user_ns: ENOSPC below level 33 */
#define UID_EXTENTS_MAX 340     /* Linux's UID_GID_MAP_MAX_EXTENTS */
#define OVERFLOW_ID 65534u

struct id_extent {
	uint32_t first;          /* ids in the namespace */
	uint32_t lower;          /* the kernel ids they stand for */
	uint32_t count;
};

struct id_map {
	int n;                   /* 0: not written yet (every id unmapped) */
	struct id_extent *e;
};

struct user_ns {
	struct ns_common ns;
	struct user_ns *parent;  /* a reference; NULL for the initial one */
	int level;
	uid_t owner;             /* the creator's effective ids (kernel ids) */
	gid_t group;
	struct id_map map[2];    /* uid, gid */
	bool setgroups_deny;
	long limit[UL_KINDS];    /* /proc/sys/user */
};

/* How many namespaces of each kind a user has made in a user namespace (and below it:
 * Linux's ucounts), by (namespace, uid). */
struct ucounts {
	struct {
		const struct user_ns *ns;
		unsigned int uid;
	} key;
	int n[NS_KINDS];
	UT_hash_handle hh;
};
static struct ucounts *ucounts;

static struct id_extent identity = { 0, 0, UINT32_MAX };

static struct user_ns *
uns(struct ns_common *c)
{
	return (struct user_ns *)c;
}

static struct user_ns *
uns_of(const struct task *t)
{
	return uns(ns_of(t, NS_USER));
}

static const struct id_map identity_map = { 1, &identity };

/* t's namespace's uid (w 0) or gid (1) map; before namespaces exist (the sentry's own
 * setup, unit tests) the identity. */
static const struct id_map *
map_of(const struct task *t, int w)
{
	struct user_ns *ns = uns_of(t);

	return ns ? &ns->map[w] : &identity_map;
}

/* ---- ids through a map ---- */

/* The kernel id of id in ns's map m, or -1. */
static long
map_in(const struct id_map *m, uint32_t id)
{
	for (int i = 0; i < m->n; i++)
		if (id >= m->e[i].first && id - m->e[i].first < m->e[i].count)
			return (long)m->e[i].lower + (id - m->e[i].first);
	return -1;
}

/* The id in the namespace of kernel id k, or -1. */
static long
map_out(const struct id_map *m, uint32_t k)
{
	for (int i = 0; i < m->n; i++)
		if (k >= m->e[i].lower && k - m->e[i].lower < m->e[i].count)
			return (long)m->e[i].first + (k - m->e[i].lower);
	return -1;
}

unsigned int
userns_uid_out(const struct task *t, unsigned int kuid)
{
	long id = map_out(map_of(t, 0), kuid);

	return id < 0 ? OVERFLOW_ID : (unsigned int)id;
}

unsigned int
userns_gid_out(const struct task *t, unsigned int kgid)
{
	long id = map_out(map_of(t, 1), kgid);

	return id < 0 ? OVERFLOW_ID : (unsigned int)id;
}

bool
userns_maps_uid(const struct task *t, unsigned int kuid)
{
	return map_out(map_of(t, 0), kuid) >= 0;
}

bool
userns_maps_gid(const struct task *t, unsigned int kgid)
{
	return map_out(map_of(t, 1), kgid) >= 0;
}

long
userns_uid_in(const struct task *t, unsigned int uid)
{
	return map_in(map_of(t, 0), uid);
}

long
userns_gid_in(const struct task *t, unsigned int gid)
{
	return map_in(map_of(t, 1), gid);
}

bool
userns_is_initial(const struct task *t)
{
	return !uns_of(t) || uns_of(t)->parent == NULL;
}

bool
userns_may_setgroups(const struct task *t)
{
	struct user_ns *ns = uns_of(t);

	return !ns || (ns->map[1].n > 0 && !ns->setgroups_deny);
}

/* ---- capabilities ---- */

bool
task_ns_capable(const struct task *t, struct ns_common *target, int cap)
{
	if (!t)
		return true;
	struct user_ns *mine = uns_of(t), *ns = uns(target);
	if (cap < 0 || cap > CAP_LAST_CAP_)
		return false;
	if (!mine || !ns) /* no namespaces yet: the initial one's rules */
		return task_note_priv(t, (t->cap_eff >> cap) & 1);
	while (ns) {
		if (ns == mine)
			return task_note_priv(t, (t->cap_eff >> cap) & 1);
		if (ns->level <= mine->level)
			return false;
		/* the owner of a namespace right below its own holds every capability there */
		if (ns->parent == mine && ns->owner == t->euid)
			return task_note_priv(t, true);
		ns = ns->parent;
	}
	return false;
}

struct ns_common *
ns_owner(struct ns_common *ns)
{
	if (ns->kind == NS_USER)
		return uns(ns)->parent ? &uns(ns)->parent->ns : ns;
	return ns->owner ? ns->owner : ns_of(NULL, NS_USER);
}

bool
task_capable_in(const struct task *t, int kind, int cap)
{
	return task_ns_capable(t, ns_owner(ns_of(t, kind)), cap);
}

bool
userns_in_scope(const struct task *t, struct ns_common *target)
{
	struct user_ns *mine = uns_of(t);

	for (struct user_ns *ns = uns(target); ns; ns = ns->parent)
		if (ns == mine)
			return true;
	return false;
}

struct ns_common *
userns_parent(struct ns_common *u)
{
	return uns(u)->parent ? &uns(u)->parent->ns : NULL;
}

unsigned int
userns_owner(struct ns_common *u)
{
	return uns(u)->owner;
}

/* ---- the namespace kind ---- */

static struct ns_common *
user_copy(struct task *t, struct ns_common *old, struct ns_common *owner, int *err)
{
	struct user_ns *parent = uns(old), *ns;

	(void)owner;
	if (!old) { /* the initial one: every id maps to itself */
		ns = xcalloc(1, sizeof(*ns));
		ns->ns = (struct ns_common){ .refs = 1, .kind = NS_USER, .ino = 4026531837u };
		for (int w = 0; w < 2; w++)
			ns->map[w] = (struct id_map){ 1, &identity };
		/* Linux's boot-time values: half of threads-max for namespaces (fork_init),
		 * fanotify's floors; inotify's are fs.inotify's (procfs) */
		for (int i = 0; i < UL_KINDS; i++)
			ns->limit[i] = THREADS_MAX_DEFAULT / 2;
		ns->limit[UL_FANOTIFY_GROUPS] = 128;
		ns->limit[UL_FANOTIFY_MARKS] = 8192;
		return &ns->ns;
	}
	if (parent->level > USERNS_LEVEL_MAX) {
		*err = -ENOSPC;
		return NULL;
	}
	/* Linux create_user_ns: the creator's ids must mean something in the parent */
	if (map_out(&parent->map[0], t->euid) < 0 || map_out(&parent->map[1], t->egid) < 0) {
		*err = -EPERM;
		return NULL;
	}
	ns = xcalloc(1, sizeof(*ns));
	ns->ns = (struct ns_common){ .refs = 1, .kind = NS_USER, .ino = ns_new_ino() };
	ns->parent = uns(ns_get(old));
	ns->level = parent->level + 1;
	ns->owner = t->euid;
	ns->group = t->egid;
	ns->setgroups_deny = parent->setgroups_deny;
	for (int i = 0; i < UL_KINDS; i++)
		ns->limit[i] = INT_MAX; /* Linux create_user_ns */
	return &ns->ns;
}

static void
user_release(struct ns_common *c)
{
	struct user_ns *ns = uns(c);

	if (!ns->parent)
		return; /* the initial one stays */
	for (int w = 0; w < 2; w++)
		free(ns->map[w].e);
	ns_put(&ns->parent->ns);
	free(ns);
}

/* ---- /proc/sys/user ---- */

static const int ul_of_kind[NS_KINDS] = {
	[NS_UTS] = UL_UTS_NS, [NS_IPC] = UL_IPC_NS, [NS_MNT] = UL_MNT_NS,
	[NS_USER] = UL_USER_NS, [NS_NET] = UL_NET_NS, [NS_PID] = UL_PID_NS,
	[NS_TIME] = UL_TIME_NS, [NS_CGROUP] = UL_CGROUP_NS,
};

long
userns_limit(const struct task *t, int which)
{
	struct user_ns *ns = uns_of(t);

	if (which < 0 || which >= UL_KINDS)
		return -EINVAL;
	return ns->limit[which];
}

/* (the initial namespace's inotify ones are fs.inotify's: procfs shows and writes those) */
int
userns_set_limit(struct task *t, int which, long v)
{
	struct user_ns *ns = uns_of(t);

	if (which < 0 || which >= UL_KINDS || v < 0 || v > INT_MAX)
		return -EINVAL;
	ns->limit[which] = v;
	return 0;
}

static struct ucounts *
ucounts_find(const struct user_ns *ns, unsigned int uid, bool make)
{
	struct ucounts k = { 0 }, *u;

	k.key.ns = ns;
	k.key.uid = uid;
	HASH_FIND(hh, ucounts, &k.key, sizeof(k.key), u);
	if (!u && make) {
		u = xcalloc(1, sizeof(*u));
		u->key = k.key;
		HASH_ADD(hh, ucounts, key, sizeof(u->key), u);
	}
	return u;
}

/* Adds delta to uid's count of kind in ns and, for the creator of each namespace on the
 * way up, in its parent: all or nothing, each under its namespace's limit. */
static int
ucounts_add(struct user_ns *ns, unsigned int uid, int kind, int delta)
{
	int ul = ul_of_kind[kind];

	if (delta > 0)
		for (struct user_ns *n = ns, *up; n; uid = n->owner, n = up) {
			struct ucounts *u = ucounts_find(n, uid, false);
			up = n->parent;
			if ((u ? u->n[kind] : 0) + delta > n->limit[ul])
				return -ENOSPC;
		}
	for (struct user_ns *n = ns, *up; n; uid = n->owner, n = up) {
		struct ucounts *u = ucounts_find(n, uid, true);
		up = n->parent;
		u->n[kind] += delta;
		if (u->n[kind] <= 0) {
			HASH_DEL(ucounts, u);
			free(u);
		}
	}
	return 0;
}

int
userns_charge(struct ns_common *ns, struct ns_common *userns, unsigned int kuid)
{
	int err = ucounts_add(uns(userns), kuid, ns->kind, 1);

	if (err)
		return err;
	ns->charged_ns = ns_get(userns);
	ns->charged_uid = kuid;
	return 0;
}

void
userns_uncharge(struct ns_common *ns)
{
	if (!ns->charged_ns)
		return;
	ucounts_add(uns(ns->charged_ns), ns->charged_uid, ns->kind, -1);
	ns_put(ns->charged_ns);
	ns->charged_ns = NULL;
}

/* Linux set_cred_user_ns: in its new namespace a task has every capability (and keeps
 * its ids), nothing inheritable or ambient, the default securebits. */
static int
user_install(struct task *t, struct ns_common *c)
{
	(void)c;
	t->cap_eff = t->cap_prm = t->cap_bnd = CAPS_ALL;
	t->cap_inh = t->cap_amb = 0;
	t->securebits = 0;
	t->keepcaps = false;
	return 0;
}

const struct ns_ops ns_user_ops = {
	.name = "user",
	.clone_flag = CLONE_NEWUSER,
	.copy = user_copy,
	.release = user_release,
	.install = user_install,
};

/* ---- /proc/PID/uid_map, gid_map, setgroups ---- */

/* An id of ns's parent as reader's namespace sees it (Linux's map shows the lower ids in
 * the reader's terms when the reader is outside ns, else in the parent's). */
static long
lower_for(const struct task *reader, struct user_ns *ns, int w, uint32_t kid)
{
	struct user_ns *view = uns_of(reader);

	if (view == ns && ns->parent)
		view = ns->parent;
	return map_out(&view->map[w], kid);
}

char *
userns_map_text(const struct task *reader, const struct task *target, int which)
{
	struct user_ns *ns = uns_of(target), *view = uns_of(reader);
	size_t cap = 64, len = 0;
	char *s = xmalloc(cap);

	s[0] = '\0';
	if (!ns || !view) { /* no namespaces yet: the initial one's */
		if (which == USERNS_SETGROUPS)
			snprintf(s, cap, "allow\n");
		else
			snprintf(s, cap, "%10u %10u %10u\n", 0u, 0u, UINT32_MAX);
		return s;
	}
	if (which == USERNS_SETGROUPS) {
		snprintf(s, cap, "%s\n", ns->setgroups_deny ? "deny" : "allow");
		return s;
	}
	int w = which == USERNS_GID_MAP;
	for (int i = 0; i < ns->map[w].n; i++) {
		const struct id_extent *e = &ns->map[w].e[i];
		long first = e->first, lower = lower_for(reader, ns, w, e->lower);
		if (view != ns && view != ns->parent) {
			/* a reader elsewhere sees the ids of its own namespace on the left */
			first = map_out(&view->map[w], e->lower);
			lower = first;
		}
		if (first < 0 || lower < 0)
			continue;
		if (len + 40 > cap) {
			char *bigger = xmalloc(cap * 2);
			memcpy(bigger, s, len + 1);
			free(s);
			s = bigger;
			cap *= 2;
		}
		len += (size_t)snprintf(s + len, cap - len, "%10lu %10lu %10u\n", (unsigned long)first,
					(unsigned long)lower, e->count);
	}
	return s;
}

/* "first lower count" lines into extents (lower still the parent's ids): n or -EINVAL. */
static int
parse_map(const char *text, struct id_extent *e, int max)
{
	int n = 0;

	for (const char *p = text; *p;) {
		unsigned long v[3];
		char *end;
		for (int k = 0; k < 3; k++) {
			while (*p == ' ' || *p == '\t')
				p++;
			if (*p < '0' || *p > '9')
				return -EINVAL;
			v[k] = strtoul(p, &end, 10);
			if (v[k] > UINT32_MAX)
				return -EINVAL;
			p = end;
		}
		while (*p == ' ' || *p == '\t')
			p++;
		if (*p && *p != '\n')
			return -EINVAL;
		if (*p)
			p++;
		if (n >= max || v[2] == 0 || v[0] + v[2] - 1 > UINT32_MAX - 1 ||
		    v[1] + v[2] - 1 > UINT32_MAX - 1)
			return -EINVAL;
		e[n++] = (struct id_extent){ (uint32_t)v[0], (uint32_t)v[1], (uint32_t)v[2] };
	}
	for (int i = 0; i < n; i++) /* no two extents overlap, inside or outside */
		for (int j = i + 1; j < n; j++)
			if ((e[i].first < e[j].first + e[j].count && e[j].first < e[i].first + e[i].count) ||
			    (e[i].lower < e[j].lower + e[j].count && e[j].lower < e[i].lower + e[i].count))
				return -EINVAL;
	return n;
}

/* Linux new_idmap_permitted: one id, the writer's own (as the namespace's owner), or
 * anything with CAP_SETUID / CAP_SETGID over the parent namespace. */
static bool
map_permitted(struct task *w, struct user_ns *ns, int which, const struct id_extent *e, int n)
{
	if (n == 1 && e[0].count == 1 && ns->owner == w->euid) {
		if (which == USERNS_UID_MAP && map_in(&ns->parent->map[0], e[0].lower) == w->euid)
			return true;
		if (which == USERNS_GID_MAP && ns->setgroups_deny &&
		    map_in(&ns->parent->map[1], e[0].lower) == w->egid)
			return true;
	}
	return task_ns_capable(w, &ns->parent->ns, which == USERNS_UID_MAP ? CAP_SETUID : CAP_SETGID);
}

/* Linux proc_setgroups_write: "allow" or "deny", then nothing but white space; 1 for
 * deny, 0 for allow, or -EINVAL. */
static int
setgroups_parse(const char *text)
{
	bool deny = !strncmp(text, "deny", 4);
	const char *p = text + (deny ? 4 : 5);

	if (!deny && strncmp(text, "allow", 5))
		return -EINVAL;
	while (isspace((unsigned char)*p))
		p++;
	return *p ? -EINVAL : deny; /* only white space may follow */
}

static long
setgroups_write(struct user_ns *ns, const char *text)
{
	int deny = setgroups_parse(text);

	if (deny < 0)
		return deny;
	if (!deny && ns->setgroups_deny)
		return -EPERM; /* once denied, for good */
	if (deny && ns->map[1].n)
		return -EPERM; /* too late: the gid map is there (even if already denied) */
	ns->setgroups_deny = deny;
	return 0;
}

long
userns_map_write(struct task *w, struct task *target, int which, const char *buf, size_t n,
		 long pos)
{
	struct user_ns *ns = uns_of(target), *mine = uns_of(w);
	char text[4096];
	struct id_extent *e;
	int cnt;

	/* Linux: less than a page for a map, 8 bytes for setgroups; the text ends at its
	 * first NUL (what follows is ignored, and counted as written) */
	if (pos != 0 || n >= (which == USERNS_SETGROUPS ? 8 : sizeof(text)))
		return -EINVAL;
	memcpy(text, buf, n);
	text[n] = '\0';
	if (which == USERNS_SETGROUPS && (!ns || !ns->parent)) {
		int deny = setgroups_parse(text);

		/* (Linux checks CAP_SYS_ADMIN at the open) the text first; the initial
		 * namespace allows, and its gid map is there */
		if (!task_capable(w, CAP_SYS_ADMIN))
			return -EPERM;
		return deny < 0 ? deny : deny ? -EPERM : (long)n;
	}
	if (!ns || !mine)
		return -EPERM;
	if (!ns->parent)
		return -EPERM; /* the initial namespace's maps are what they are */
	if (which == USERNS_SETGROUPS) {
		if (!task_ns_capable(w, &ns->ns, CAP_SYS_ADMIN))
			return -EPERM;
		long err = setgroups_write(ns, text);
		return err ? err : (long)n;
	}
	int m = which == USERNS_GID_MAP;
	if (ns->map[m].n)
		return -EPERM; /* written once */
	if ((mine != ns && mine != ns->parent) || !task_ns_capable(w, &ns->ns, CAP_SYS_ADMIN))
		return -EPERM;
	e = xcalloc(UID_EXTENTS_MAX, sizeof(*e));
	cnt = parse_map(text, e, UID_EXTENTS_MAX);
	if (cnt <= 0) {
		free(e);
		return -EINVAL;
	}
	if (!map_permitted(w, ns, which, e, cnt)) {
		free(e);
		return -EPERM;
	}
	/* the lower ids are the parent's: each range must map there, kept as kernel ids */
	for (int i = 0; i < cnt; i++) {
		long k0 = map_in(&ns->parent->map[m], e[i].lower);
		long k1 = map_in(&ns->parent->map[m], e[i].lower + e[i].count - 1);
		if (k0 < 0 || k1 < 0 || k1 - k0 != (long)e[i].count - 1) {
			free(e);
			return -EPERM;
		}
		e[i].lower = (uint32_t)k0;
	}
	ns->map[m] = (struct id_map){ cnt, e };
	return (long)n;
}
