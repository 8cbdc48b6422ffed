/*
 * The kernel key retention service (keyrings(7)), served entirely inside the sentry:
 * add_key, request_key and keyctl never reach the host's keyrings. Key types "user",
 * "logon" and "keyring"; serial numbers, permissions with possession, expiry,
 * revocation, invalidation, per-user quotas (/proc/sys/kernel/keys) and the special
 * keyrings of a thread, process, session and user. request_key has no upcall: it finds
 * existing keys, and with callout information it leaves a negative key (ENOKEY), as
 * Linux does when /sbin/request-key declines.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <linux/capability.h>

#include "syscalls/internal.h"
#include "sentry/util.h"

#define KEY_MAX_DESC 4096	/* with its NUL (Linux KEY_MAX_DESC_SIZE) */
#define KEY_TYPE_MAX 32
#define KEY_PAYLOAD_MAX (1024 * 1024 - 1)
#define KEY_USER_MAX 32767
#define KEY_NEG_TIMEOUT 60
#define KEY_SEARCH_DEPTH 6

#define KP_VIEW 0x01
#define KP_READ 0x02
#define KP_WRITE 0x04
#define KP_SEARCH 0x08
#define KP_LINK 0x10
#define KP_SETATTR 0x20
#define KP_ALL 0x3f
#define KPOS(p) ((uint32_t)(p) << 24)
#define KUSR(p) ((uint32_t)(p) << 16)
#define KNEED_UNLINK 0x100	/* unlink: no checks on the key itself */

enum { SPEC_THREAD = -1, SPEC_PROCESS = -2, SPEC_SESSION = -3, SPEC_USER = -4,
       SPEC_USER_SESSION = -5, SPEC_GROUP = -6, SPEC_REQKEY_AUTH = -7, SPEC_REQUESTOR = -8 };
enum { KT_USER, KT_LOGON, KT_KEYRING };
static const char *const ktype_names[] = { "user", "logon", "keyring" };

#define KF_REVOKED 1
#define KF_INVALID 2
#define KF_NEGATIVE 4
#define KF_NOQUOTA 8
#define KF_UIDRING 16

struct kuser {
	uid_t uid;
	int usage;               /* keys and keyrings that name it */
	int nkeys, nikeys;       /* keys, instantiated keys */
	int qnkeys, qnbytes;     /* charged to the quota */
	struct key *uid_ring, *ses_ring;
	struct key *persist;     /* KEYCTL_GET_PERSISTENT's "_persistent.N" */
	UT_hash_handle hh;
};

struct key {
	int32_t serial;
	int refs;                /* links from keyrings and task references */
	int type;
	char *desc;
	char *payload;
	size_t plen;
	uid_t uid;
	gid_t gid;
	uint32_t perm;
	unsigned flags;
	int neg_err;
	long long expiry;        /* CLOCK_REALTIME seconds, 0: none */
	size_t quota;            /* bytes charged */
	struct kuser *user;
	bool restricted;         /* KEYCTL_RESTRICT_KEYRING with no type: no more links */
	struct key **links;      /* keyring contents */
	int nlinks, caplinks;
	unsigned long mark;      /* search generation */
	UT_hash_handle hh;
};

struct task_keys {
	struct key *thread;      /* this thread's */
	struct key *process;     /* leader: the process's */
	struct key *session;     /* this thread's session keyring (inherited) */
	int reqkey_def;          /* KEYCTL_SET_REQKEY_KEYRING */
};

static struct key *keys;         /* by serial */
static struct kuser *kusers;     /* by uid */
static unsigned long mark_gen;
static uint64_t serial_state;

static long long
now_sec(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return ts.tv_sec;
}

static struct task_keys *
tk(struct task *t)
{
	if (!t->keys)
		t->keys = xcalloc(1, sizeof(*t->keys));
	return t->keys;
}

static struct kuser *
kuser_get(uid_t uid)
{
	struct kuser *u;

	HASH_FIND(hh, kusers, &uid, sizeof(uid), u);
	if (!u) {
		u = xcalloc(1, sizeof(*u));
		u->uid = uid;
		HASH_ADD(hh, kusers, uid, sizeof(uid), u);
	}
	return u;
}

static bool
key_dead(const struct key *k, long long now)
{
	return (k->flags & (KF_REVOKED | KF_INVALID)) || (k->expiry && now >= k->expiry);
}

/* Linux key_validate: invalidated, revoked, expired. */
static int
key_validate(const struct key *k)
{
	if (k->flags & KF_INVALID)
		return -ENOKEY;
	if (k->flags & KF_REVOKED)
		return -EKEYREVOKED;
	if (k->expiry && now_sec() >= k->expiry)
		return -EKEYEXPIRED;
	return 0;
}

static void key_put(struct key *k);

static void
key_destroy(struct key *k)
{
	HASH_DEL(keys, k);
	struct kuser *u = k->user;
	u->nkeys--;
	if (!(k->flags & KF_NEGATIVE))
		u->nikeys--;
	if (!(k->flags & KF_NOQUOTA)) {
		u->qnkeys--;
		u->qnbytes -= (int)k->quota;
	}
	u->usage--;
	for (int i = 0; i < k->nlinks; i++)
		key_put(k->links[i]);
	free(k->links);
	free(k->desc);
	free(k->payload);
	free(k);
}

static void
key_put(struct key *k)
{
	if (k && --k->refs <= 0)
		key_destroy(k);
}

static struct key *
key_get(struct key *k)
{
	if (k)
		k->refs++;
	return k;
}

static void
limits_of(uid_t uid, int *maxkeys, int *maxbytes)
{
	*maxkeys = (int)keys_sysctl(uid == 0 ? 2 : 0);
	*maxbytes = (int)keys_sysctl(uid == 0 ? 3 : 1);
}

/* May user u take n more keys and b more bytes? */
static int
quota_check(struct kuser *u, int n, long b)
{
	int mk, mb;

	limits_of(u->uid, &mk, &mb);
	if (u->qnkeys + n > mk || u->qnbytes + b > mb || b > mb)
		return -EDQUOT;
	return 0;
}

static int32_t
new_serial(void)
{
	struct key *k;
	int32_t s;

	if (!serial_state)
		serial_state = (uint64_t)now_sec() * 6364136223846793005ULL + 1442695040888963407ULL;
	do {
		serial_state ^= serial_state << 13;
		serial_state ^= serial_state >> 7;
		serial_state ^= serial_state << 17;
		s = (int32_t)(serial_state & 0x7fffffff);
		k = NULL;
		if (s >= 3)
			HASH_FIND(hh, keys, &s, sizeof(s), k);
	} while (s < 3 || k);
	return s;
}

/* A new key (one reference, the caller's) charged to uid unless noquota. */
static int
key_alloc(int type, const char *desc, uid_t uid, gid_t gid, uint32_t perm, bool noquota,
	  size_t datalen, struct key **out)
{
	struct kuser *u = kuser_get(uid);
	size_t q = strlen(desc) + 1 + datalen;

	if (!noquota) {
		int err = quota_check(u, 1, (long)q);
		if (err)
			return err;
	}
	struct key *k = xcalloc(1, sizeof(*k));
	k->serial = new_serial();
	k->refs = 1;
	k->type = type;
	k->desc = xstrdup(desc);
	k->uid = uid;
	k->gid = gid;
	k->perm = perm;
	k->user = u;
	k->quota = q;
	if (noquota)
		k->flags |= KF_NOQUOTA;
	u->usage++;
	u->nkeys++;
	u->nikeys++;
	if (!noquota) {
		u->qnkeys++;
		u->qnbytes += (int)q;
	}
	HASH_ADD(hh, keys, serial, sizeof(k->serial), k);
	*out = k;
	return 0;
}

static struct key *
keyring_new(const char *desc, struct task *t, uint32_t perm, bool noquota)
{
	struct key *k = NULL;

	if (key_alloc(KT_KEYRING, desc, t ? t->euid : 0, t ? t->egid : 0, perm, noquota, 0, &k))
		key_alloc(KT_KEYRING, desc, t ? t->euid : 0, t ? t->egid : 0, perm, true, 0, &k);
	return k;
}

/* The user's keyrings ("_uid.N", "_uid_ses.N"), made on first use. */
static struct kuser *
user_rings(struct task *t)
{
	struct kuser *u = kuser_get(t->euid);
	char d[32];

	if (!u->uid_ring) {
		snprintf(d, sizeof(d), "_uid.%u", (unsigned)t->euid);
		key_alloc(KT_KEYRING, d, t->euid, t->egid, KPOS(KP_ALL) | KUSR(KP_ALL), true, 0,
			  &u->uid_ring);
		u->uid_ring->flags |= KF_UIDRING;
	}
	if (!u->ses_ring) {
		snprintf(d, sizeof(d), "_uid_ses.%u", (unsigned)t->euid);
		key_alloc(KT_KEYRING, d, t->euid, t->egid, KPOS(KP_ALL) | KUSR(KP_ALL), true, 0,
			  &u->ses_ring);
		u->ses_ring->flags |= KF_UIDRING;
		/* the user session keyring holds the user keyring */
		u->ses_ring->links = xmalloc(4 * sizeof(struct key *));
		u->ses_ring->caplinks = 4;
		u->ses_ring->links[u->ses_ring->nlinks++] = key_get(u->uid_ring);
	}
	return u;
}

static bool
in_group(struct task *t, gid_t g)
{
	if (t->egid == g)
		return true;
	for (int i = 0; i < t->ngroups; i++)
		if (t->groups[i] == g)
			return true;
	return false;
}

/* Linux key_task_permission: the owner's, group's or others' bits, with the possessor's. */
static bool
key_perm_ok(struct task *t, const struct key *k, bool possessed, unsigned need)
{
	uint32_t kp;

	if (need & KNEED_UNLINK)
		return true;
	if (k->uid == t->euid)
		kp = k->perm >> 16;
	else if (k->gid != (gid_t)-1 && in_group(t, k->gid))
		kp = k->perm >> 8;
	else
		kp = k->perm;
	if (possessed)
		kp |= k->perm >> 24;
	return (kp & need & KP_ALL) == (need & KP_ALL);
}

static struct key *
session_of(struct task *t)
{
	return t->keys ? t->keys->session : NULL;
}

static struct key *
process_of(struct task *t)
{
	return t->leader->keys ? t->leader->keys->process : NULL;
}

static struct key *
thread_of(struct task *t)
{
	return t->keys ? t->keys->thread : NULL;
}

/* Is target reachable from keyring k (possessed, searchable keyrings only)? */
static bool
reach(struct task *t, struct key *k, const struct key *target, int depth)
{
	if (!k || k->mark == mark_gen)
		return false;
	k->mark = mark_gen;
	if (k == target)
		return true;
	if (k->type != KT_KEYRING || depth > KEY_SEARCH_DEPTH || key_dead(k, now_sec()))
		return false;
	if (!key_perm_ok(t, k, true, KP_SEARCH))
		return false;
	for (int i = 0; i < k->nlinks; i++) {
		struct key *c = k->links[i];
		if (c == target)
			return key_perm_ok(t, c, true, KP_SEARCH);
		if (c->type == KT_KEYRING && reach(t, c, target, depth + 1))
			return true;
	}
	return false;
}

/* The keyrings a task's searches start from: thread, process, session (or the user
 * session keyring when it has none). */
static int
search_roots(struct task *t, struct key **r)
{
	int n = 0;

	r[n++] = thread_of(t);
	r[n++] = process_of(t);
	if (session_of(t)) {
		r[n++] = session_of(t);
	} else {
		struct kuser *u = user_rings(t);
		r[n++] = u->ses_ring;
	}
	return n;
}

/* Marks (mark_gen) every key t possesses: its root keyrings and what searches from them
 * reach, in one walk (for /proc/keys). */
static void
mark_tree(struct task *t, struct key *k, int depth, long long now)
{
	if (k->type != KT_KEYRING || depth > KEY_SEARCH_DEPTH || key_dead(k, now) ||
	    !key_perm_ok(t, k, true, KP_SEARCH))
		return;
	for (int i = 0; i < k->nlinks; i++) {
		struct key *c = k->links[i];
		if (c->mark == mark_gen || !key_perm_ok(t, c, true, KP_SEARCH))
			continue;
		c->mark = mark_gen;
		mark_tree(t, c, depth + 1, now);
	}
}

static void
mark_possessed(struct task *t)
{
	struct key *r[3];
	int n = search_roots(t, r);
	long long now = now_sec();

	mark_gen++;
	for (int i = 0; i < n; i++)
		if (r[i])
			r[i]->mark = mark_gen;
	for (int i = 0; i < n; i++)
		if (r[i])
			mark_tree(t, r[i], 0, now);
}

static bool
possessed(struct task *t, const struct key *k)
{
	struct key *r[3];
	int n = search_roots(t, r);

	mark_gen++;
	for (int i = 0; i < n; i++)
		if (r[i] && (r[i] == k || reach(t, r[i], k, 0)))
			return true;
	return false;
}

/* Links k into ring (a reference for the ring), replacing a key of the same type and
 * description. */
static int
ring_link(struct key *ring, struct key *k)
{
	if (ring->type != KT_KEYRING)
		return -ENOTDIR;
	if (ring->restricted)
		return -EPERM;
	for (int i = 0; i < ring->nlinks; i++) {
		struct key *o = ring->links[i];
		if (o == k)
			return 0;
		if (o->type == k->type && !strcmp(o->desc, k->desc)) {
			ring->links[i] = key_get(k);
			key_put(o);
			return 0;
		}
	}
	if (k->type == KT_KEYRING) {
		/* a cycle: ring reachable from k (Linux EDEADLK) */
		mark_gen++;
		struct key *stack[64];
		int sp = 0;
		stack[sp++] = k;
		while (sp) {
			struct key *c = stack[--sp];
			if (c == ring)
				return -EDEADLK;
			if (c->mark == mark_gen)
				continue;
			c->mark = mark_gen;
			for (int i = 0; i < c->nlinks; i++)
				if (c->links[i]->type == KT_KEYRING) {
					if (sp >= (int)ARRAY_SIZE(stack))
						return -ELOOP;
					stack[sp++] = c->links[i];
				}
		}
	}
	if (ring->nlinks >= 65536)
		return -ENFILE;
	if (ring->nlinks == ring->caplinks) {
		ring->caplinks = ring->caplinks ? ring->caplinks * 2 : 8;
		ring->links = realloc(ring->links, ring->caplinks * sizeof(struct key *));
		if (!ring->links)
			die(1, "out of memory");
	}
	ring->links[ring->nlinks++] = key_get(k);
	return 0;
}

static int
ring_unlink(struct key *ring, struct key *k)
{
	if (ring->type != KT_KEYRING)
		return -ENOTDIR;
	for (int i = 0; i < ring->nlinks; i++)
		if (ring->links[i] == k) {
			ring->links[i] = ring->links[--ring->nlinks];
			key_put(k);
			return 0;
		}
	return -ENOENT;
}

static void
ring_clear(struct key *ring)
{
	struct key **l = ring->links;
	int n = ring->nlinks;

	ring->links = NULL;
	ring->nlinks = ring->caplinks = 0;
	for (int i = 0; i < n; i++)
		key_put(l[i]);
	free(l);
}

/* Drops every link to k (invalidation, revocation: Linux's garbage collector). */
static void
unlink_everywhere(struct key *k)
{
	struct key *r, *tmp;

	key_get(k);
	HASH_ITER(hh, keys, r, tmp) {
		if (r->type != KT_KEYRING)
			continue;
		for (int i = 0; i < r->nlinks; i++)
			if (r->links[i] == k) {
				r->links[i] = r->links[--r->nlinks];
				k->refs--;
				i--;
			}
	}
	key_put(k);
}

#define L_CREATE 1
#define L_PARTIAL 2

/* Linux lookup_user_key: a special keyring or a serial number, checked for state and
 * permission need. Returns a reference (key_put) or -errno; *poss: possessed. */
static int
lookup_key(struct task *t, long id, int lflags, unsigned need, struct key **out, bool *poss)
{
	struct task_keys *x;
	struct key *k = NULL;
	bool p = true;

	switch (id) {
	case SPEC_THREAD:
		x = tk(t);
		if (!x->thread) {
			if (!(lflags & L_CREATE))
				return -ENOKEY;
			x->thread = keyring_new("_tid", t, KPOS(KP_ALL) | KUSR(KP_VIEW), true);
		}
		k = x->thread;
		break;
	case SPEC_PROCESS:
		x = tk(t->leader);
		if (!x->process) {
			if (!(lflags & L_CREATE))
				return -ENOKEY;
			x->process = keyring_new("_pid", t, KPOS(KP_ALL) | KUSR(KP_VIEW), true);
		}
		k = x->process;
		break;
	case SPEC_SESSION:
		x = tk(t);
		if (!x->session) {
			if (lflags & L_CREATE)
				x->session = keyring_new("_ses", t,
							 KPOS(KP_ALL) | KUSR(KP_VIEW | KP_READ), true);
			else
				x->session = key_get(user_rings(t)->ses_ring);
		}
		k = x->session;
		break;
	case SPEC_USER:
		k = user_rings(t)->uid_ring;
		break;
	case SPEC_USER_SESSION:
		k = user_rings(t)->ses_ring;
		break;
	case SPEC_GROUP:
		return -EINVAL;
	case SPEC_REQKEY_AUTH:
	case SPEC_REQUESTOR:
		return -ENOKEY; /* no authorisation key: request_key has no upcall here */
	default:
		if (id < 1 || id > INT32_MAX)
			return -EINVAL;
		int32_t s = (int32_t)id;
		HASH_FIND(hh, keys, &s, sizeof(s), k);
		if (!k)
			return -ENOKEY;
		p = possessed(t, k);
		break;
	}
	if (!(need & KNEED_UNLINK)) {
		int err = key_validate(k);
		if (!err && !(lflags & L_PARTIAL) && (k->flags & KF_NEGATIVE))
			err = k->neg_err;
		if (err)
			return err;
		if (!key_perm_ok(t, k, p, need))
			return -EACCES;
	}
	*out = key_get(k);
	if (poss)
		*poss = p;
	return 0;
}

static void
key_putp(struct key **k)
{
	key_put(*k);
}
#define KEYREF __attribute__((cleanup(key_putp)))

/* Linux key_get_type_from_user: at most 31 characters, not starting with '.'. */
static int
type_from_guest(struct task *t, unsigned long addr, char *type)
{
	long n = strncpy_from_guest(t, type, addr, KEY_TYPE_MAX);

	if (n == -ENAMETOOLONG || n == 0)
		return -EINVAL;
	if (n < 0)
		return (int)n;
	if (type[0] == '.')
		return -EPERM;
	return 0;
}

/* Linux strndup_user(s, max): EFAULT, or EINVAL when longer than max with its NUL. */
static int
str_from_guest(struct task *t, unsigned long addr, size_t max, char **out)
{
	char *s = xmalloc(max + 1);
	long n = strncpy_from_guest(t, s, addr, max + 1);

	if (n < 0) {
		free(s);
		return n == -ENAMETOOLONG ? -EINVAL : (int)n;
	}
	if ((size_t)n >= max) {
		free(s);
		return -EINVAL;
	}
	*out = s;
	return 0;
}

static int
type_index(const char *type)
{
	for (int i = 0; i < (int)ARRAY_SIZE(ktype_names); i++)
		if (!strcmp(type, ktype_names[i]))
			return i;
	return -1;
}

/* The payload checks of Linux's preparse for type ty (and logon's description vet). */
static int
preparse(int ty, const char *desc, const void *payload, size_t plen)
{
	if (ty == KT_KEYRING)
		return plen ? -EINVAL : 0;
	if (!plen || plen > KEY_USER_MAX || !payload)
		return -EINVAL;
	if (ty == KT_LOGON && desc) {
		const char *c = strchr(desc, ':');
		if (!c || c == desc)
			return -EINVAL;
	}
	return 0;
}

static int
set_payload(struct key *k, const void *payload, size_t plen)
{
	long delta = (long)plen - (long)k->plen;

	if (!(k->flags & KF_NOQUOTA) && delta > 0) {
		int err = quota_check(k->user, 0, delta);
		if (err)
			return err;
	}
	char *p = plen ? memcpy(xmalloc(plen), payload, plen) : NULL;
	free(k->payload);
	k->payload = p;
	k->plen = plen;
	if (!(k->flags & KF_NOQUOTA))
		k->user->qnbytes += (int)delta;
	k->quota = (size_t)((long)k->quota + delta);
	if (k->flags & KF_NEGATIVE) {
		k->flags &= ~KF_NEGATIVE;
		k->user->nikeys++;
		k->expiry = 0;
	}
	return 0;
}

SYSCALL(add_key)
{
	char type[KEY_TYPE_MAX];
	char *desc = NULL;
	size_t plen = a->a[3];
	int err;

	err = type_from_guest(t, a->a[0], type);
	if (err)
		return err;
	if (plen > KEY_PAYLOAD_MAX)
		return -EINVAL;
	if (a->a[1]) {
		err = str_from_guest(t, a->a[1], KEY_MAX_DESC, &desc);
		if (err)
			return err;
		if (!*desc) {
			free(desc);
			desc = NULL;
		} else if (desc[0] == '.' && !strncmp(type, "keyring", 7)) {
			free(desc);
			return -EPERM;
		}
	}
	_cleanup_free_ char *d = desc;
	_cleanup_free_ char *payload = NULL;
	if (plen) {
		payload = xmalloc(plen);
		if (copy_from_guest(t, payload, a->a[2], plen))
			return -EFAULT;
	}
	KEYREF struct key *ring = NULL;
	err = lookup_key(t, (int)a->a[4], L_CREATE, KP_WRITE, &ring, NULL);
	if (err)
		return err;
	int ty = type_index(type);
	if (ty < 0)
		return -ENODEV;
	if (ring->type != KT_KEYRING)
		return -ENOTDIR;
	err = preparse(ty, d, payload, plen);
	if (err)
		return err;
	if (!d)
		return -EINVAL;
	if (ring->restricted)
		return -EPERM;
	/* an updatable key of that type and description in the keyring is updated */
	if (ty != KT_KEYRING) {
		for (int i = 0; i < ring->nlinks; i++) {
			struct key *o = ring->links[i];
			if (o->type != ty || strcmp(o->desc, d) || (o->flags & (KF_REVOKED | KF_INVALID)))
				continue;
			if (!key_perm_ok(t, o, true, KP_WRITE))
				return -EACCES;
			err = set_payload(o, payload, plen);
			return err ? err : o->serial;
		}
	}
	uint32_t perm = KPOS(KP_VIEW | KP_SEARCH | KP_LINK | KP_SETATTR | KP_WRITE) | KUSR(KP_VIEW);
	if (ty != KT_LOGON)
		perm |= KPOS(KP_READ);
	KEYREF struct key *k = NULL;
	err = key_alloc(ty, d, t->euid, t->egid, perm, false, plen, &k);
	if (err)
		return err;
	if (plen) {
		k->payload = payload;
		k->plen = plen;
		payload = NULL;
	}
	err = ring_link(ring, k);
	if (err)
		return err;
	return k->serial;
}

/* Searches keyring ring (possessed: p) for a key of type ty and description desc, as
 * Linux's keyring_search_rcu: the last state or permission error when none is usable. */
static int
ring_search(struct task *t, struct key *ring, bool p, int ty, const char *desc, int depth,
	    struct key **out, int *lasterr)
{
	long long now = now_sec();

	if (ring->mark == mark_gen)
		return -ENOKEY;
	ring->mark = mark_gen;
	for (int i = 0; i < ring->nlinks; i++) {
		struct key *k = ring->links[i];
		if (k->type != ty || strcmp(k->desc, desc))
			continue;
		if (k->flags & (KF_REVOKED | KF_INVALID)) {
			*lasterr = -EKEYREVOKED;
			continue;
		}
		if (k->expiry && now >= k->expiry) {
			*lasterr = -EKEYEXPIRED;
			continue;
		}
		if (k->flags & KF_NEGATIVE) {
			*lasterr = k->neg_err;
			continue;
		}
		if (!key_perm_ok(t, k, p, KP_SEARCH)) {
			*lasterr = -EACCES;
			continue;
		}
		*out = k;
		return 0;
	}
	if (depth >= KEY_SEARCH_DEPTH)
		return -ENOKEY;
	for (int i = 0; i < ring->nlinks; i++) {
		struct key *c = ring->links[i];
		if (c->type != KT_KEYRING || key_dead(c, now) || !key_perm_ok(t, c, p, KP_SEARCH))
			continue;
		if (!ring_search(t, c, p, ty, desc, depth + 1, out, lasterr))
			return 0;
	}
	return -ENOKEY;
}

/* Linux search_process_keyrings_rcu. */
static int
search_process(struct task *t, int ty, const char *desc, struct key **out)
{
	struct key *r[3];
	int n = search_roots(t, r), lasterr = -ENOKEY;

	mark_gen++;
	for (int i = 0; i < n; i++) {
		if (!r[i] || key_dead(r[i], now_sec()))
			continue;
		if (!ring_search(t, r[i], true, ty, desc, 0, out, &lasterr))
			return 0;
	}
	return lasterr;
}

/* The keyring request_key puts a new key in when no destination is given. */
static struct key *
reqkey_dest(struct task *t)
{
	struct task_keys *x = tk(t);

	switch (x->reqkey_def) {
	case 1:
		return thread_of(t);
	case 2:
		return process_of(t);
	case 3:
		return session_of(t) ? session_of(t) : user_rings(t)->ses_ring;
	case 4:
		return user_rings(t)->uid_ring;
	case 5:
		return user_rings(t)->ses_ring;
	default:
		if (thread_of(t))
			return thread_of(t);
		if (process_of(t))
			return process_of(t);
		if (session_of(t))
			return session_of(t);
		return user_rings(t)->ses_ring;
	}
}

SYSCALL(request_key)
{
	char type[KEY_TYPE_MAX];
	char *desc = NULL, *callout = NULL;
	int err;

	err = type_from_guest(t, a->a[0], type);
	if (err)
		return err;
	err = str_from_guest(t, a->a[1], KEY_MAX_DESC, &desc);
	if (err)
		return err;
	_cleanup_free_ char *d = desc;
	if (a->a[2]) {
		err = str_from_guest(t, a->a[2], 4096, &callout);
		if (err)
			return err;
	}
	_cleanup_free_ char *co = callout;
	KEYREF struct key *dest = NULL;
	if ((int)a->a[3]) {
		err = lookup_key(t, (int)a->a[3], L_CREATE, KP_WRITE, &dest, NULL);
		if (err)
			return err;
	}
	int ty = type_index(type);
	if (ty < 0)
		return -ENOKEY;
	struct key *k = NULL;
	err = search_process(t, ty, d, &k);
	if (!err) {
		if (dest) {
			if (!key_perm_ok(t, k, true, KP_LINK))
				return -EACCES;
			err = ring_link(dest, k);
			if (err)
				return err;
		}
		return k->serial;
	}
	if (err != -ENOKEY && err != -EACCES)
		return err;
	if (!co)
		return -ENOKEY;
	if (ty == KT_KEYRING)
		return -EPERM;
	/* construction: the key is made and linked, the upcall fails, it is negated */
	struct key *ring = dest ? dest : reqkey_dest(t);
	if (!ring)
		return -ENOKEY;
	if (!dest && !key_perm_ok(t, ring, true, KP_WRITE))
		return -EACCES;
	if (ty == KT_LOGON && preparse(ty, d, "x", 1))
		return -EINVAL;
	KEYREF struct key *nk = NULL;
	uint32_t perm = KPOS(KP_VIEW | KP_SEARCH | KP_LINK | KP_SETATTR | KP_WRITE) | KUSR(KP_VIEW);
	if (ty != KT_LOGON)
		perm |= KPOS(KP_READ);
	err = key_alloc(ty, d, t->euid, t->egid, perm, false, 0, &nk);
	if (err)
		return err;
	nk->flags |= KF_NEGATIVE;
	nk->user->nikeys--;
	nk->neg_err = -ENOKEY;
	nk->expiry = now_sec() + KEY_NEG_TIMEOUT;
	err = ring_link(ring, nk);
	if (err)
		return err;
	return -ENOKEY;
}

/* keyctl's operations */

static long
kc_get_id(struct task *t, long id, long create)
{
	KEYREF struct key *k = NULL;
	int err = lookup_key(t, id, create ? L_CREATE : 0, KP_SEARCH, &k, NULL);

	return err ? err : k->serial;
}

/* find_keyring_by_name: a keyring the caller may search, not a user's own keyring */
static struct key *
ring_by_name(struct task *t, const char *name)
{
	struct key *k, *tmp;
	long long now = now_sec();

	HASH_ITER(hh, keys, k, tmp) {
		if (k->type != KT_KEYRING || strcmp(k->desc, name) || (k->flags & KF_UIDRING) ||
		    key_dead(k, now) || !key_perm_ok(t, k, false, KP_SEARCH))
			continue;
		return k;
	}
	return NULL;
}

static void
set_session(struct task *t, struct key *ring)
{
	struct task_keys *x = tk(t);

	key_get(ring);
	key_put(x->session);
	x->session = ring;
}

static long
kc_join(struct task *t, unsigned long name_addr)
{
	char *name = NULL;
	int err;

	if (!name_addr) {
		struct key *r = keyring_new("_ses", t, KPOS(KP_ALL) | KUSR(KP_VIEW | KP_READ), true);
		set_session(t, r);
		key_put(r);
		return r->serial;
	}
	err = str_from_guest(t, name_addr, KEY_MAX_DESC, &name);
	if (err)
		return err;
	_cleanup_free_ char *n = name;
	if (n[0] == '.')
		return -EPERM;
	struct key *r = ring_by_name(t, n);
	if (r) {
		set_session(t, r);
		return r->serial;
	}
	r = NULL;
	err = key_alloc(KT_KEYRING, n, t->euid, t->egid,
			KPOS(KP_ALL) | KUSR(KP_VIEW | KP_READ | KP_LINK), false, 0, &r);
	if (err)
		return err;
	set_session(t, r);
	key_put(r);
	return r->serial;
}

static long
kc_update(struct task *t, long id, unsigned long addr, size_t plen)
{
	if (plen > KEY_PAYLOAD_MAX)
		return -EINVAL;
	_cleanup_free_ char *payload = NULL;
	if (plen) {
		payload = xmalloc(plen);
		if (copy_from_guest(t, payload, addr, plen))
			return -EFAULT;
	}
	KEYREF struct key *k = NULL;
	int err = lookup_key(t, id, 0, KP_WRITE, &k, NULL);
	if (err)
		return err;
	if (k->type == KT_KEYRING)
		return -EOPNOTSUPP;
	err = preparse(k->type, NULL, payload, plen);
	if (err)
		return err;
	return set_payload(k, payload, plen);
}

static long
kc_revoke(struct task *t, long id)
{
	KEYREF struct key *k = NULL;
	int err = lookup_key(t, id, 0, KP_WRITE, &k, NULL);

	if (err == -EACCES)
		err = lookup_key(t, id, 0, KP_SETATTR, &k, NULL);
	if (err)
		return err;
	/* Linux key_revoke: it expires now (the collector's clock), its payload goes */
	k->flags |= KF_REVOKED;
	k->expiry = now_sec();
	if (!(k->flags & KF_NOQUOTA))
		k->user->qnbytes -= (int)k->plen;
	k->quota -= k->plen;
	free(k->payload);
	k->payload = NULL;
	k->plen = 0;
	if (k->type == KT_KEYRING)
		ring_clear(k);
	return 0;
}

static long
kc_chown(struct task *t, long id, long uid, long gid)
{
	uid_t u = (uid_t)uid;
	gid_t g = (gid_t)gid;

	if (u == (uid_t)-1 && g == (gid_t)-1)
		return 0;
	KEYREF struct key *k = NULL;
	int err = lookup_key(t, id, L_PARTIAL, KP_SETATTR, &k, NULL);
	if (err)
		return err;
	bool admin = task_capable(t, CAP_SYS_ADMIN);
	if (u != (uid_t)-1 && u != k->uid && !admin)
		return -EACCES;
	if (g != (gid_t)-1 && g != k->gid && !admin && !in_group(t, g))
		return -EACCES;
	if (u != (uid_t)-1 && u != k->uid) {
		struct kuser *nu = kuser_get(u), *ou = k->user;
		if (!(k->flags & KF_NOQUOTA)) {
			err = quota_check(nu, 1, (long)k->quota);
			if (err)
				return err;
			nu->qnkeys++, nu->qnbytes += (int)k->quota;
			ou->qnkeys--, ou->qnbytes -= (int)k->quota;
		}
		nu->usage++, nu->nkeys++;
		ou->usage--, ou->nkeys--;
		if (!(k->flags & KF_NEGATIVE))
			nu->nikeys++, ou->nikeys--;
		k->user = nu;
		k->uid = u;
	}
	if (g != (gid_t)-1)
		k->gid = g;
	return 0;
}

static long
kc_setperm(struct task *t, long id, unsigned long perm)
{
	if (perm & ~0x3f3f3f3fUL)
		return -EINVAL;
	KEYREF struct key *k = NULL;
	int err = lookup_key(t, id, L_PARTIAL, KP_SETATTR, &k, NULL);
	if (err)
		return err;
	if (k->uid != t->euid && !task_capable(t, CAP_SYS_ADMIN))
		return -EACCES;
	k->perm = (uint32_t)perm;
	return 0;
}

/* Copies text of len bytes (with its NUL) when the buffer holds it all; returns len. */
static long
give_text(struct task *t, unsigned long buf, size_t buflen, const char *text, size_t len)
{
	if (buf && buflen >= len && copy_to_guest(t, buf, text, len))
		return -EFAULT;
	return (long)len;
}

static long
kc_describe(struct task *t, long id, unsigned long buf, size_t buflen)
{
	KEYREF struct key *k = NULL;
	int err = lookup_key(t, id, L_PARTIAL, KP_VIEW, &k, NULL);
	if (err)
		return err;
	size_t n = strlen(k->desc) + 64;
	_cleanup_free_ char *s = xmalloc(n);
	int len = snprintf(s, n, "%s;%d;%d;%08x;%s", ktype_names[k->type], (int)k->uid,
			   k->gid == (gid_t)-1 ? 65534 : (int)k->gid, k->perm, k->desc); /* munged */
	return give_text(t, buf, buflen, s, (size_t)len + 1);
}

static long
kc_clear(struct task *t, long id)
{
	KEYREF struct key *k = NULL;
	int err = lookup_key(t, id, L_CREATE, KP_WRITE, &k, NULL);
	if (err)
		return err;
	if (k->type != KT_KEYRING)
		return -ENOTDIR;
	if (k->restricted)
		return -EPERM;
	ring_clear(k);
	return 0;
}

static long
kc_link(struct task *t, long id, long ringid)
{
	KEYREF struct key *ring = NULL;
	KEYREF struct key *k = NULL;
	int err = lookup_key(t, ringid, L_CREATE, KP_WRITE, &ring, NULL);
	if (err)
		return err;
	err = lookup_key(t, id, L_CREATE, KP_LINK, &k, NULL);
	if (err)
		return err;
	return ring_link(ring, k);
}

static long
kc_unlink(struct task *t, long id, long ringid)
{
	KEYREF struct key *ring = NULL;
	KEYREF struct key *k = NULL;
	int err = lookup_key(t, ringid, 0, KP_WRITE, &ring, NULL);
	if (err)
		return err;
	err = lookup_key(t, id, L_PARTIAL, KNEED_UNLINK, &k, NULL);
	if (err)
		return err;
	return ring_unlink(ring, k);
}

static long
kc_search(struct task *t, long ringid, unsigned long type_addr, unsigned long desc_addr,
	  long destid)
{
	char type[KEY_TYPE_MAX];
	char *desc = NULL;
	int err = type_from_guest(t, type_addr, type);

	if (err)
		return err;
	err = str_from_guest(t, desc_addr, KEY_MAX_DESC, &desc);
	if (err)
		return err;
	_cleanup_free_ char *d = desc;
	KEYREF struct key *ring = NULL;
	KEYREF struct key *dest = NULL;
	bool p;
	err = lookup_key(t, ringid, 0, KP_SEARCH, &ring, &p);
	if (err)
		return err;
	if ((int)destid) {
		err = lookup_key(t, (int)destid, L_CREATE, KP_WRITE, &dest, NULL);
		if (err)
			return err;
	}
	int ty = type_index(type);
	if (ty < 0)
		return -ENOKEY;
	if (ring->type != KT_KEYRING)
		return -ENOTDIR;
	struct key *k = NULL;
	int lasterr = -ENOKEY;
	mark_gen++;
	if (ring_search(t, ring, p, ty, d, 0, &k, &lasterr))
		return lasterr;
	if (dest) {
		if (!key_perm_ok(t, k, p, KP_LINK))
			return -EACCES;
		err = ring_link(dest, k);
		if (err)
			return err;
	}
	return k->serial;
}

static long
kc_read(struct task *t, long id, unsigned long buf, size_t buflen)
{
	KEYREF struct key *k = NULL;
	bool p;
	int err;

	/* Linux: any lookup failure reads as ENOKEY; state and permission come after */
	if (id < 0 && id >= SPEC_REQUESTOR) {
		err = lookup_key(t, id, 0, 0, &k, &p);
	} else {
		int32_t s = (int32_t)id;
		if (id < 1 || id > INT32_MAX)
			return -ENOKEY;
		HASH_FIND(hh, keys, &s, sizeof(s), k);
		if (!k)
			return -ENOKEY;
		key_get(k);
		p = possessed(t, k);
		err = 0;
	}
	if (err)
		return -ENOKEY;
	if (k->flags & KF_NEGATIVE)
		return k->neg_err;
	/* a key possessed is readable without KEY_*_READ: it can be searched for */
	if (!key_perm_ok(t, k, p, KP_READ) && !p)
		return -EACCES;
	if (k->type == KT_LOGON)
		return -EOPNOTSUPP;
	err = key_validate(k);
	if (err)
		return err;
	if (k->type == KT_KEYRING) {
		size_t len = (size_t)k->nlinks * 4;
		if (buf && buflen) {
			size_t n = MIN(len, buflen) / 4;
			_cleanup_free_ int32_t *ids = xmalloc(n * 4 + 4);
			for (size_t i = 0; i < n; i++)
				ids[i] = k->links[i]->serial;
			if (n && copy_to_guest(t, buf, ids, n * 4))
				return -EFAULT;
		}
		return (long)len;
	}
	if (buf && buflen && copy_to_guest(t, buf, k->payload, MIN(k->plen, buflen)))
		return -EFAULT;
	return (long)k->plen;
}

static long
kc_reqkey(struct task *t, long v)
{
	struct task_keys *x = tk(t);
	int old = x->reqkey_def;

	switch (v) {
	case -1:
		return old;
	case 1:
		if (!x->thread)
			x->thread = keyring_new("_tid", t, KPOS(KP_ALL) | KUSR(KP_VIEW), true);
		break;
	case 2:
		if (!process_of(t))
			tk(t->leader)->process = keyring_new("_pid", t, KPOS(KP_ALL) | KUSR(KP_VIEW), true);
		break;
	case 0: case 3: case 4: case 5: case 7:
		break;
	default:
		return -EINVAL;
	}
	x->reqkey_def = (int)v;
	return old;
}

static long
kc_timeout(struct task *t, long id, unsigned long secs)
{
	KEYREF struct key *k = NULL;
	int err = lookup_key(t, id, L_PARTIAL, KP_SETATTR, &k, NULL);
	if (err)
		return err;
	k->expiry = (unsigned)secs ? now_sec() + (unsigned)secs : 0;
	return 0;
}

static long
kc_security(struct task *t, long id, unsigned long buf, size_t buflen)
{
	KEYREF struct key *k = NULL;
	int err = lookup_key(t, id, L_PARTIAL, KP_VIEW, &k, NULL);
	if (err)
		return err;
	if (buf && buflen > 0 && copy_to_guest(t, buf, "", 1))
		return -EFAULT;
	return 1;
}

static long
kc_invalidate(struct task *t, long id)
{
	KEYREF struct key *k = NULL;
	int err = lookup_key(t, id, 0, KP_SEARCH, &k, NULL);
	if (err)
		return err;
	k->flags |= KF_INVALID;
	if (k->type == KT_KEYRING)
		ring_clear(k);
	/* the special keyrings that hold it let go, as the garbage collector does */
	struct task *o = NULL;
	while ((o = task_next(o))) {
		struct task_keys *x = o->keys;
		if (!x)
			continue;
		if (x->thread == k)
			x->thread = NULL, key_put(k);
		if (x->process == k)
			x->process = NULL, key_put(k);
		if (x->session == k)
			x->session = NULL, key_put(k);
	}
	unlink_everywhere(k);
	return 0;
}

static long
kc_restrict(struct task *t, long id, unsigned long type_addr, unsigned long restr_addr)
{
	KEYREF struct key *k = NULL;
	int err = lookup_key(t, id, 0, KP_SETATTR, &k, NULL);
	if (err)
		return err;
	if (!type_addr) {
		if (restr_addr)
			return -EINVAL;
	} else {
		char type[KEY_TYPE_MAX];
		char *r = NULL;
		err = type_from_guest(t, type_addr, type);
		if (err)
			return err;
		if (restr_addr) {
			err = str_from_guest(t, restr_addr, 4096, &r);
			if (err)
				return err;
			free(r);
		}
		if (k->type != KT_KEYRING)
			return -ENOTDIR;
		if (k->restricted)
			return -EEXIST;
		/* the restriction schemes need the asymmetric key type, absent here */
		return type_index(type) == KT_KEYRING && r ? -EINVAL : -ENOENT;
	}
	if (k->type != KT_KEYRING)
		return -ENOTDIR;
	if (k->restricted)
		return -EEXIST;
	k->restricted = true;
	return 0;
}

static long
kc_move(struct task *t, long id, long fromid, long toid, unsigned long flags)
{
	if (flags & ~1UL)
		return -EINVAL;
	KEYREF struct key *k = NULL;
	KEYREF struct key *from = NULL;
	KEYREF struct key *to = NULL;
	int err = lookup_key(t, id, L_PARTIAL, KP_LINK, &k, NULL);
	if (err)
		return err;
	err = lookup_key(t, fromid, 0, KP_WRITE, &from, NULL);
	if (err)
		return err;
	err = lookup_key(t, toid, L_CREATE, KP_WRITE, &to, NULL);
	if (err)
		return err;
	if (from->type != KT_KEYRING || to->type != KT_KEYRING)
		return -ENOTDIR;
	if (from == to)
		return 0;
	int i;
	for (i = 0; i < from->nlinks && from->links[i] != k; i++)
		;
	if (i == from->nlinks)
		return -ENOENT;
	if (flags & 1)
		for (int j = 0; j < to->nlinks; j++)
			if (to->links[j]->type == k->type && !strcmp(to->links[j]->desc, k->desc))
				return -EEXIST;
	err = ring_link(to, k);
	if (err)
		return err;
	return ring_unlink(from, k);
}

/* Linux keyctl_get_persistent (CONFIG_PERSISTENT_KEYRINGS): the user's persistent
 * keyring, its expiry renewed on each call, linked into dest. */
static long
kc_persistent(struct task *t, long uid, long destid)
{
	uid_t u = (uid_t)uid;

	if (u == (uid_t)-1)
		u = t->euid;
	else if (u != t->uid && u != t->euid && u != t->suid && !task_capable(t, CAP_SETUID))
		return -EPERM;
	KEYREF struct key *dest = NULL;
	int err = lookup_key(t, destid, L_CREATE, KP_WRITE, &dest, NULL);
	if (err)
		return err;
	struct kuser *ku = kuser_get(u);
	if (ku->persist && key_dead(ku->persist, now_sec())) {
		key_put(ku->persist);
		ku->persist = NULL;
	}
	if (!ku->persist) {
		char d[40];
		snprintf(d, sizeof(d), "_persistent.%u", (unsigned)u);
		key_alloc(KT_KEYRING, d, u, (gid_t)-1, KPOS(KP_ALL & ~KP_SETATTR) |
			  KUSR(KP_VIEW | KP_READ), true, 0, &ku->persist);
	}
	ku->persist->expiry = now_sec() + keys_sysctl(4);
	err = ring_link(dest, ku->persist);
	return err ? err : ku->persist->serial;
}

static long
kc_session_to_parent(struct task *t)
{
	struct task *par = task_lookup(t->leader->ppid);

	if (t->leader->live_threads > 1 || !par || par == sentry.init || par->tgid == 1)
		return -EPERM;
	if (par->euid != t->euid || par->uid != t->euid || par->suid != t->euid ||
	    par->egid != t->egid || par->gid != t->egid || par->sgid != t->egid)
		return -EPERM;
	KEYREF struct key *s = NULL;
	int err = lookup_key(t, SPEC_SESSION, 0, KP_LINK, &s, NULL);
	if (err)
		return err;
	set_session(par, s);
	return 0;
}

SYSCALL(keyctl)
{
	long op = (int)a->a[0];
	long a2 = (int)a->a[1], a3 = (int)a->a[2], a4 = (int)a->a[3];

	switch (op) {
	case 0: /* KEYCTL_GET_KEYRING_ID */
		return kc_get_id(t, a2, a3);
	case 1: /* KEYCTL_JOIN_SESSION_KEYRING */
		return kc_join(t, a->a[1]);
	case 2: /* KEYCTL_UPDATE */
		return kc_update(t, a2, a->a[2], a->a[3]);
	case 3: /* KEYCTL_REVOKE */
		return kc_revoke(t, a2);
	case 4: /* KEYCTL_CHOWN */
		return kc_chown(t, a2, a3, a4);
	case 5: /* KEYCTL_SETPERM */
		return kc_setperm(t, a2, (uint32_t)a->a[2]);
	case 6: /* KEYCTL_DESCRIBE */
		return kc_describe(t, a2, a->a[2], a->a[3]);
	case 7: /* KEYCTL_CLEAR */
		return kc_clear(t, a2);
	case 8: /* KEYCTL_LINK */
		return kc_link(t, a2, a3);
	case 9: /* KEYCTL_UNLINK */
		return kc_unlink(t, a2, a3);
	case 10: /* KEYCTL_SEARCH */
		return kc_search(t, a2, a->a[2], a->a[3], (int)a->a[4]);
	case 11: /* KEYCTL_READ */
		return kc_read(t, a2, a->a[2], a->a[3]);
	case 12: /* KEYCTL_INSTANTIATE */
	case 20: /* KEYCTL_INSTANTIATE_IOV */
		if (op == 12 && a->a[3] > KEY_PAYLOAD_MAX)
			return -EINVAL;
		if (op == 20 && a->a[3] > 1024)
			return -EINVAL;
		return -EPERM; /* no authorisation key to instantiate with */
	case 13: /* KEYCTL_NEGATE */
		return -EPERM;
	case 19: { /* KEYCTL_REJECT */
		long e = (long)a->a[3];
		if (e <= 0 || e >= 4096 || e == 512 || e == 513 || e == 514 || e == 516)
			return -EINVAL;
		return -EPERM;
	}
	case 14: /* KEYCTL_SET_REQKEY_KEYRING */
		return kc_reqkey(t, a2);
	case 15: /* KEYCTL_SET_TIMEOUT */
		return kc_timeout(t, a2, a->a[2]);
	case 16: /* KEYCTL_ASSUME_AUTHORITY */
		if (a2 < 0)
			return -EINVAL;
		return a2 == 0 ? 0 : -ENOKEY;
	case 17: /* KEYCTL_GET_SECURITY */
		return kc_security(t, a2, a->a[2], a->a[3]);
	case 18: /* KEYCTL_SESSION_TO_PARENT */
		return kc_session_to_parent(t);
	case 21: /* KEYCTL_INVALIDATE */
		return kc_invalidate(t, a2);
	case 29: /* KEYCTL_RESTRICT_KEYRING */
		return kc_restrict(t, a2, a->a[2], a->a[3]);
	case 30: /* KEYCTL_MOVE */
		return kc_move(t, a2, a3, a4, a->a[4]);
	case 22: /* KEYCTL_GET_PERSISTENT */
		return kc_persistent(t, a2, a3);
	case 31: { /* KEYCTL_CAPABILITIES */
		/* CAPABILITIES, PERSISTENT_KEYRINGS, INVALIDATE, RESTRICT_KEYRING, MOVE; namespaced names and tags */
		unsigned char caps[2] = { 0x01 | 0x02 | 0x20 | 0x40 | 0x80, 0x01 | 0x02 };
		size_t n = MIN(a->a[2], sizeof(caps));
		if (a->a[1] && n && copy_to_guest(t, a->a[1], caps, n))
			return -EFAULT;
		return sizeof(caps);
	}
	default: /* DH_COMPUTE, PKEY_*, WATCH_KEY: not configured */
		return -EOPNOTSUPP;
	}
}

/* Task lifetime: the thread keyring is the thread's own, the process keyring is shared by
 * the threads of a process only, the session keyring is inherited. */
void
keys_fork(struct task *t, struct task *c, bool thread)
{
	if (!t->keys)
		return;
	struct task_keys *x = tk(c);
	x->session = key_get(t->keys->session);
	x->reqkey_def = t->keys->reqkey_def;
	/* Linux copy_creds: a new thread of a thread with a thread keyring gets its own */
	if (thread && t->keys->thread)
		x->thread = keyring_new("_tid", c, KPOS(KP_ALL) | KUSR(KP_VIEW), true);
}

void
keys_exec(struct task *t)
{
	if (!t->keys)
		return;
	key_put(t->keys->thread);
	t->keys->thread = NULL;
	key_put(t->keys->process);
	t->keys->process = NULL;
}

void
keys_task_free(struct task *t)
{
	struct task_keys *x = t->keys;

	if (!x)
		return;
	key_put(x->thread);
	key_put(x->process);
	key_put(x->session);
	free(x);
	t->keys = NULL;
}

static void
proc_key_line(struct task *t, struct key *k, long long now, char **out, size_t *len, FILE *f)
{
	(void)out, (void)len;
	char tm[16];
	if (!k->expiry)
		snprintf(tm, sizeof(tm), "perm");
	else if (now >= k->expiry)
		snprintf(tm, sizeof(tm), "expd");
	else {
		long long s = k->expiry - now;
		if (s < 60)
			snprintf(tm, sizeof(tm), "%llds", s);
		else if (s < 3600)
			snprintf(tm, sizeof(tm), "%lldm", s / 60);
		else if (s < 86400)
			snprintf(tm, sizeof(tm), "%lldh", s / 3600);
		else if (s < 604800)
			snprintf(tm, sizeof(tm), "%lldd", s / 86400);
		else
			snprintf(tm, sizeof(tm), "%lldw", s / 604800);
	}
	(void)t;
	fprintf(f, "%08x %c%c%c%c%c%c%c %5d %4s %08x %5d %5d %-9.9s %s", (unsigned)k->serial,
		'I', (k->flags & KF_REVOKED) ? 'R' : '-', '-',
		(k->flags & KF_NOQUOTA) ? '-' : 'Q', '-', (k->flags & KF_NEGATIVE) ? 'N' : '-',
		(k->flags & KF_INVALID) ? 'i' : '-', k->refs, tm, k->perm, (int)k->uid,
		k->gid == (gid_t)-1 ? 65534 : (int)k->gid, ktype_names[k->type], k->desc);
	if (k->flags & KF_NEGATIVE)
		; /* no payload to describe */
	else if (k->type == KT_KEYRING)
		k->nlinks ? fprintf(f, ": %d", k->nlinks) : fprintf(f, ": empty");
	else
		fprintf(f, ": %zu", k->plen);
	fputc('\n', f);
}

static int
kuser_cmp(struct kuser *x, struct kuser *y)
{
	return x->uid < y->uid ? -1 : x->uid > y->uid;
}

static int
key_cmp(struct key *x, struct key *y)
{
	return x->serial < y->serial ? -1 : x->serial > y->serial;
}

/* /proc/keys (the keys the reader may view, ascending serials) and /proc/key-users. */
char *
keys_proc_text(struct task *caller, bool users)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	long long now = now_sec();

	if (!f)
		return xstrdup("");
	if (users) {
		struct kuser *u, *tmp;
		HASH_SORT(kusers, kuser_cmp);
		HASH_ITER(hh, kusers, u, tmp) {
			int mk, mb;
			if (!u->usage && !u->uid_ring)
				continue;
			limits_of(u->uid, &mk, &mb);
			fprintf(f, "%5u: %5d %d/%d %d/%d %d/%d\n", (unsigned)u->uid, u->usage + 1,
				u->nkeys, u->nikeys, u->qnkeys, mk, u->qnbytes, mb);
		}
	} else {
		struct key *k, *tmp;
		HASH_SORT(keys, key_cmp);
		if (caller)
			mark_possessed(caller);
		unsigned long gen = mark_gen;
		HASH_ITER(hh, keys, k, tmp) {
			if (!caller || key_perm_ok(caller, k, k->mark == gen, KP_VIEW))
				proc_key_line(caller, k, now, &buf, &len, f);
		}
	}
	fclose(f);
	return buf ? buf : xstrdup("");
}
