/*
 * Extended attributes, kept on any in-memory inode (a list sorted by name), with Linux's
 * rules (fs/xattr.c xattr_permission, the capability LSM, tmpfs's simple_xattr):
 *  - user.*: regular files and directories only (others: EPERM to write, ENODATA to
 *    read); read and write permission on the inode; sticky directories: owner only;
 *  - trusted.*: privileged callers only (EPERM to write, ENODATA to read, hidden from
 *    lists); security.*: anyone reads, privileged callers write; system.*: unsupported,
 *    but for a socket's system.sockprotoname (read-only, the only one it lists);
 *  - XATTR_CREATE / XATTR_REPLACE, ERANGE for small buffers, sizes by a 0-size query.
 * tmpfs-type filesystems and the overlay store them (setting one on a host object copies it
 * up first, as overlayfs does); read-only host layers (hostfs) have none and refuse
 * writes (EROFS) without asking the host; other filesystems (proc, pipes) do not support
 * them (EOPNOTSUPP, empty lists). Writable host directories (--rw) keep user.* ones on
 * the host, through the gofer (other namespaces: EOPNOTSUPP). "Privileged" is euid 0
 * inside the sandbox.
 */
#include <string.h>
#include <linux/xattr.h>
#include <sys/xattr.h>

#include "fs/gofer.h"
#include "fs/internal.h"
#include "sentry/sentry.h"

#define XATTR_INODE_MAX (4UL << 20) /* bytes of names and values per inode (ENOSPC) */
#define ACL_ACCESS_NAME "system.posix_acl_access"
#define ACL_DEFAULT_NAME "system.posix_acl_default"
#define SOCKPROTONAME "system.sockprotoname" /* a socket's protocol name (sockfs) */

static bool is_acl_name(const char *name);
static int acl_set(struct task *t, struct path *p, const char *name, const void *val,
		   size_t size);

struct xattr {
	struct xattr *next;
	size_t size;
	char *name;
	char value[];
};

enum { XS_NONE, XS_EMPTY, XS_STORED, XS_HOST };

static int
support(struct inode *i)
{
	if (!strcmp(i->sb->fstype, "tmpfs") || !strcmp(i->sb->fstype, "overlay"))
		return XS_STORED; /* overlay: host objects have none until copied up */
	if (!strcmp(i->sb->fstype, "hostfs") && !(i->sb->flags & SB_RDONLY) &&
	    i->sb->gofer_mount >= 0)
		return XS_HOST;
	return (i->sb->flags & SB_RDONLY) ? XS_EMPTY : XS_NONE;
}

/* What the gofer acts on for p (XS_HOST): the object of f's host fd when the call came
 * through an open file f (fgetxattr & co: also once the name is gone), else the
 * mount-relative host path of p, in buf. */
static int
host_rel(struct path *p, struct file *f, char *buf)
{
	if (f && f->inode == p->d->inode && f->host_fd >= 0) {
		buf[0] = '\0';
		gofer_by_fd(f->host_fd);
		return 0;
	}
	return hostfs_rel_path(p->d, NULL, buf, GOFER_PATH_MAX);
}

/* After a change on the host: its ctime, and the event. */
static void
host_changed(struct path *p, const struct stat *st)
{
	p->d->inode->ctime = st->st_ctim;
	fsnotify_dentry(p->d, IN_ATTRIB);
}

static bool
prefixed(const char *name, const char *prefix)
{
	return !strncmp(name, prefix, strlen(prefix));
}

static bool
privileged(struct task *t)
{
	return task_capable(t, CAP_SYS_ADMIN);
}

/* Linux xattr_permission for MAY_READ or MAY_WRITE. */
static int
xattr_permission(struct task *t, struct inode *i, const char *name, int mask)
{
	bool wr = mask & MAY_WRITE;

	if (wr && (IS_IMMUTABLE(i) || IS_APPEND(i)))
		return -EPERM;
	if (prefixed(name, XATTR_SECURITY_PREFIX) || prefixed(name, "system."))
		return 0;
	if (prefixed(name, XATTR_TRUSTED_PREFIX))
		return privileged(t) ? 0 : wr ? -EPERM : -ENODATA;
	if (prefixed(name, XATTR_USER_PREFIX)) {
		if (!S_ISREG(i->mode) && !S_ISDIR(i->mode))
			return wr ? -EPERM : -ENODATA;
		if (S_ISDIR(i->mode) && (i->mode & S_ISVTX) && wr &&
		    !task_capable_wrt_ids(t, i->uid, -1, CAP_FOWNER) && task_fsuid(t) != i->uid)
			return -EPERM;
	}
	return inode_permission(t, i, mask);
}

/* The namespaces a filesystem handles: -EOPNOTSUPP for others, -EINVAL for a bare prefix. */
static int
check_namespace(struct inode *i, const char *name)
{
	static const char *const ns[] = { XATTR_USER_PREFIX, XATTR_TRUSTED_PREFIX,
					   XATTR_SECURITY_PREFIX };

	if (support(i) == XS_NONE)
		return -EOPNOTSUPP;
	if (support(i) == XS_HOST && !prefixed(name, XATTR_USER_PREFIX))
		return -EOPNOTSUPP; /* the host's other namespaces stay out of reach */
	for (size_t k = 0; k < ARRAY_SIZE(ns); k++)
		if (prefixed(name, ns[k]))
			return name[strlen(ns[k])] ? 0 : -EINVAL;
	if (is_acl_name(name) && support(i) == XS_STORED)
		return S_ISLNK(i->mode) ? -EOPNOTSUPP : 0;
	return -EOPNOTSUPP; /* other system.* names and unknown prefixes */
}

static struct xattr **
find(struct inode *i, const char *name)
{
	struct xattr **pp = &i->xattrs;

	while (*pp && strcmp((*pp)->name, name) < 0)
		pp = &(*pp)->next;
	return pp;
}

static size_t
cost(const struct xattr *x)
{
	return strlen(x->name) + 1 + x->size;
}

static size_t
inode_cost(struct inode *i)
{
	size_t n = 0;

	for (struct xattr *x = i->xattrs; x; x = x->next)
		n += cost(x);
	return n;
}

static void
drop(struct inode *i, struct xattr **pp)
{
	struct xattr *x = *pp;

	*pp = x->next;
	i->sb->bytes_used -= MIN(i->sb->bytes_used, cost(x));
	free(x->name);
	free(x);
}

void
xattr_inode_free(struct inode *i)
{
	while (i->xattrs)
		drop(i, &i->xattrs);
}

bool
xattr_kill_caps(struct inode *i)
{
	struct xattr **pp = find(i, XATTR_NAME_CAPS);

	if (!*pp || strcmp((*pp)->name, XATTR_NAME_CAPS))
		return false;
	drop(i, pp);
	return true;
}

/* A value of len bytes into buf (size 0: its size), or -ERANGE. */
static ssize_t
value_out(const void *val, size_t len, void *buf, size_t size)
{
	if (size == 0)
		return len;
	if (size < len)
		return -ERANGE;
	memcpy(buf, val, len);
	return len;
}

static ssize_t
xattr_get(struct task *t, struct path *p, const char *name, void *buf, size_t size,
	  struct file *f)
{
	struct inode *i = p->d->inode;
	char rel[GOFER_PATH_MAX];
	struct xattr *x;
	int err = xattr_permission(t, i, name, MAY_READ);

	if (!err && sock_proto_name(i) && !strcmp(name, SOCKPROTONAME))
		return value_out(sock_proto_name(i), strlen(sock_proto_name(i)) + 1, buf, size);
	if (!err)
		err = check_namespace(i, name);
	if (err)
		return err;
	if (support(i) == XS_HOST) {
		err = host_rel(p, f, rel);
		return err ? err : gofer_getxattr(i->sb->gofer_mount, rel, name, buf, size);
	}
	x = *find(i, name);
	if (!x || strcmp(x->name, name))
		return -ENODATA;
	return value_out(x->value, x->size, buf, size);
}

static int
may_set(struct task *t, struct path *p, const char *name)
{
	struct inode *i = p->d->inode;
	int err = may_write_fs(p);

	if (!err)
		err = xattr_permission(t, i, name, MAY_WRITE);
	if (!err && prefixed(name, XATTR_SECURITY_PREFIX) && !privileged(t))
		err = -EPERM; /* cap_inode_setxattr: CAP_SYS_ADMIN */
	if (!err)
		err = check_namespace(i, name);
	return err;
}

static int
xattr_set(struct task *t, struct path *p, const char *name, const void *val, size_t size,
	  int flags, struct file *f)
{
	struct inode *i = p->d->inode;
	struct super_block *sb = i->sb;
	struct xattr **pp, *x;
	size_t old = 0, add;
	int err;

	if (is_acl_name(name))
		return support(i) == XS_STORED ? acl_set(t, p, name, val, size) : -EOPNOTSUPP;
	err = may_set(t, p, name);
	if (err)
		return err;
	if (support(i) == XS_HOST) {
		char rel[GOFER_PATH_MAX];
		struct stat st;

		err = host_rel(p, f, rel);
		if (!err)
			err = gofer_setxattr(sb->gofer_mount, rel, name, val, size, flags, &st);
		if (!err)
			host_changed(p, &st);
		return err;
	}
	if (i->ovl & OVL_I_LOWER) {
		err = ovl_copy_up(p->d, NULL); /* as overlayfs: the attribute lives in the copy */
		if (err)
			return err;
	}
	pp = find(i, name);
	if (*pp && !strcmp((*pp)->name, name)) {
		if (flags & XATTR_CREATE)
			return -EEXIST;
		old = cost(*pp);
	} else if (flags & XATTR_REPLACE) {
		return -ENODATA;
	}
	add = strlen(name) + 1 + size;
	if (sb->size_limit)
		tmpfs_sync_usage(sb);
	if (inode_cost(i) - old + add > XATTR_INODE_MAX ||
	    (sb->size_limit && add > old && sb->bytes_used + (add - old) > sb->size_limit))
		return -ENOSPC;
	x = xmalloc(sizeof(*x) + size);
	x->name = xstrdup(name);
	x->size = size;
	memcpy(x->value, val, size);
	if (old) {
		x->next = (*pp)->next;
		drop(i, pp);
	} else {
		x->next = *pp;
	}
	*pp = x;
	sb->bytes_used += add;
	inode_touch(i, false, true);
	fsnotify_dentry(p->d, IN_ATTRIB);
	return 0;
}

static int
xattr_remove(struct task *t, struct path *p, const char *name, struct file *f)
{
	struct inode *i = p->d->inode;
	struct xattr **pp;
	int err;

	if (is_acl_name(name))
		return support(i) == XS_STORED ? acl_set(t, p, name, NULL, 0) : -EOPNOTSUPP;
	err = may_set(t, p, name);
	if (err)
		return err;
	if (support(i) == XS_HOST) {
		char rel[GOFER_PATH_MAX];
		struct stat st;

		err = host_rel(p, f, rel);
		if (!err)
			err = gofer_removexattr(i->sb->gofer_mount, rel, name, &st);
		if (!err)
			host_changed(p, &st);
		return err;
	}
	pp = find(i, name);
	if (!*pp || strcmp((*pp)->name, name))
		return -ENODATA;
	drop(i, pp);
	inode_touch(i, false, true);
	fsnotify_dentry(p->d, IN_ATTRIB);
	return 0;
}

/* Names NUL-separated in order; trusted.* only for privileged callers. */
static ssize_t
xattr_list(struct task *t, struct path *p, char *buf, size_t size, struct file *f)
{
	struct inode *i = p->d->inode;
	size_t used = 0;

	if (support(i) == XS_HOST) {
		char rel[GOFER_PATH_MAX];
		int err = host_rel(p, f, rel);

		return err ? err : gofer_listxattr(i->sb->gofer_mount, rel, buf, size);
	}
	if (sock_proto_name(i)) /* Linux sockfs_listxattr: the one name */
		return value_out(SOCKPROTONAME, sizeof(SOCKPROTONAME), buf, size);

	for (struct xattr *x = i->xattrs; x; x = x->next) {
		size_t len = strlen(x->name) + 1;

		if (prefixed(x->name, XATTR_TRUSTED_PREFIX) && !privileged(t))
			continue;
		if (size) {
			if (used + len > size)
				return -ERANGE;
			memcpy(buf + used, x->name, len);
		}
		used += len;
	}
	return used;
}

/* ---- entry points: a path (AT_SYMLINK_NOFOLLOW for the l* calls) or an open file ---- */

static int
target(struct task *t, struct file *f, const char *path, int at_flags, struct path *out)
{
	if (path)
		return vfs_resolve_at(t, f, path, at_flags & (AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH),
				      out);
	if (!f->path.d || !f->inode || f->path.d->inode != f->inode)
		return -EOPNOTSUPP; /* a host descriptor (the guest's stdio) */
	*out = path_get(f->path);
	return 0;
}

ssize_t
vfs_getxattr(struct task *t, struct file *f, const char *path, int at_flags, const char *name,
	     void *buf, size_t size)
{
	struct path p;
	ssize_t r = target(t, f, path, at_flags, &p);

	if (r)
		return r;
	r = xattr_get(t, &p, name, buf, size, path ? NULL : f);
	path_put(&p);
	return r;
}

int
vfs_setxattr(struct task *t, struct file *f, const char *path, int at_flags, const char *name,
	     const void *val, size_t size, int flags)
{
	struct path p;
	int err = target(t, f, path, at_flags, &p);

	if (err)
		return err;
	err = xattr_set(t, &p, name, val, size, flags, path ? NULL : f);
	path_put(&p);
	return err;
}

ssize_t
vfs_listxattr(struct task *t, struct file *f, const char *path, int at_flags, char *buf,
	      size_t size)
{
	struct path p;
	ssize_t r = target(t, f, path, at_flags, &p);

	if (r == -EOPNOTSUPP && !path)
		return 0;
	if (r)
		return r;
	r = xattr_list(t, &p, buf, size, path ? NULL : f);
	path_put(&p);
	return r;
}

int
vfs_removexattr(struct task *t, struct file *f, const char *path, int at_flags, const char *name)
{
	struct path p;
	int err = target(t, f, path, at_flags, &p);

	if (err)
		return err;
	err = xattr_remove(t, &p, name, path ? NULL : f);
	path_put(&p);
	return err;
}

/* ---- POSIX ACLs (Linux fs/posix_acl.c): system.posix_acl_access and
 * system.posix_acl_default, kept as attributes of in-memory inodes in the xattr
 * format (a version-2 header, then tag/perm/id entries in canonical order). ---- */

#define ACL_XATTR_VERSION 2
#define ACL_UNDEFINED_ID 0xffffffffU
enum {
	ACL_T_USER_OBJ = 0x01, ACL_T_USER = 0x02, ACL_T_GROUP_OBJ = 0x04,
	ACL_T_GROUP = 0x08, ACL_T_MASK = 0x10, ACL_T_OTHER = 0x20,
};
#define ACL_MAX_ENTRIES 8191 /* what fits a 64 KiB attribute */

struct acl_ent {
	uint16_t tag;
	uint16_t perm;
	uint32_t id;
};

static bool
is_acl_name(const char *name)
{
	return !strcmp(name, ACL_ACCESS_NAME) || !strcmp(name, ACL_DEFAULT_NAME);
}

/* The stored ACL of i (name: access or default): its entries and count, or NULL. */
static const struct acl_ent *
acl_of(struct inode *i, const char *name, size_t *count)
{
	struct xattr *x;

	if (!i->xattrs)
		return NULL;
	x = *find(i, name);
	if (!x || strcmp(x->name, name) || x->size < 4 + sizeof(struct acl_ent))
		return NULL;
	*count = (x->size - 4) / sizeof(struct acl_ent);
	return (const struct acl_ent *)(x->value + 4);
}

/* Linux posix_acl_from_xattr + posix_acl_valid: 0 and *out (a canonical copy, *n entries;
 * NULL when there are none: a removal), or -EINVAL / -EOPNOTSUPP. */
static int
acl_parse(const void *val, size_t size, struct acl_ent **out, size_t *n)
{
	const unsigned char *p = val;
	uint32_t version;
	int state = ACL_T_USER_OBJ;
	bool needs_mask = false;

	*out = NULL;
	*n = 0;
	if (size == 0 || !val)
		return 0;
	if (size < 4)
		return -EINVAL;
	memcpy(&version, p, 4);
	if (version != ACL_XATTR_VERSION)
		return -EOPNOTSUPP;
	if ((size - 4) % sizeof(struct acl_ent) || (size - 4) / sizeof(struct acl_ent) > ACL_MAX_ENTRIES)
		return -EINVAL;
	*n = (size - 4) / sizeof(struct acl_ent);
	if (*n == 0)
		return 0;
	struct acl_ent *e = xmalloc(*n * sizeof(*e));
	memcpy(e, p + 4, *n * sizeof(*e));
	for (size_t k = 0; k < *n; k++) {
		switch (e[k].tag) {
		case ACL_T_USER_OBJ: case ACL_T_GROUP_OBJ: case ACL_T_MASK: case ACL_T_OTHER:
			e[k].id = ACL_UNDEFINED_ID;
			break;
		case ACL_T_USER: case ACL_T_GROUP:
			if (e[k].id == ACL_UNDEFINED_ID)
				goto inval;
			break;
		default:
			goto inval;
		}
	}
	for (size_t k = 0; k < *n; k++) {
		if (e[k].perm & ~7)
			goto inval;
		switch (e[k].tag) {
		case ACL_T_USER_OBJ:
			if (state != ACL_T_USER_OBJ)
				goto inval;
			state = ACL_T_USER;
			break;
		case ACL_T_USER:
			if (state != ACL_T_USER)
				goto inval;
			needs_mask = true;
			break;
		case ACL_T_GROUP_OBJ:
			if (state != ACL_T_USER)
				goto inval;
			state = ACL_T_GROUP;
			break;
		case ACL_T_GROUP:
			if (state != ACL_T_GROUP)
				goto inval;
			needs_mask = true;
			break;
		case ACL_T_MASK:
			if (state != ACL_T_GROUP)
				goto inval;
			state = ACL_T_OTHER;
			break;
		case ACL_T_OTHER:
			if (state == ACL_T_OTHER || (state == ACL_T_GROUP && !needs_mask)) {
				state = 0;
				break;
			}
			goto inval;
		}
	}
	if (state != 0)
		goto inval;
	*out = e;
	return 0;
inval:
	free(e);
	*n = 0;
	return -EINVAL;
}

/* Linux posix_acl_equiv_mode: the permission bits the ACL stands for in *mode; true when
 * it says no more than they do (no named entries, no mask). */
static bool
acl_equiv_mode(const struct acl_ent *e, size_t n, mode_t *mode)
{
	mode_t m = *mode & ~(mode_t)0777;
	bool equiv = true;

	for (size_t k = 0; k < n; k++) {
		switch (e[k].tag) {
		case ACL_T_USER_OBJ:
			m |= (e[k].perm & 7) << 6;
			break;
		case ACL_T_GROUP_OBJ:
			m |= (e[k].perm & 7) << 3;
			break;
		case ACL_T_OTHER:
			m |= e[k].perm & 7;
			break;
		case ACL_T_MASK:
			m = (m & ~(mode_t)070) | ((e[k].perm & 7) << 3);
			equiv = false;
			break;
		default:
			equiv = false;
		}
	}
	*mode = m;
	return equiv;
}

/* Stores (or with n == 0 drops) the ACL attribute name of i, no checks. */
static int
acl_store(struct inode *i, const char *name, const struct acl_ent *e, size_t n)
{
	struct xattr **pp = find(i, name), *x;
	size_t size = 4 + n * sizeof(*e);
	uint32_t version = ACL_XATTR_VERSION;

	if (*pp && !strcmp((*pp)->name, name))
		drop(i, pp);
	if (!n)
		return 0;
	x = xmalloc(sizeof(*x) + size);
	x->name = xstrdup(name);
	x->size = size;
	memcpy(x->value, &version, 4);
	memcpy(x->value + 4, e, n * sizeof(*e));
	pp = find(i, name);
	x->next = *pp;
	*pp = x;
	i->sb->bytes_used += cost(x);
	return 0;
}

/* Linux vfs_set_acl / vfs_remove_acl for tmpfs (simple_set_acl): n == 0 removes. */
static int
acl_set(struct task *t, struct path *p, const char *name, const void *val, size_t size)
{
	struct inode *i = p->d->inode;
	_cleanup_free_ struct acl_ent *e = NULL;
	bool dflt = !strcmp(name, ACL_DEFAULT_NAME);
	size_t n;
	int err;

	if (S_ISLNK(i->mode))
		return -EOPNOTSUPP;
	err = acl_parse(val, size, &e, &n);
	if (err)
		return err;
	err = may_write_fs(p);
	if (!err && (IS_IMMUTABLE(i) || IS_APPEND(i)))
		err = -EPERM; /* Linux may_write_xattr */
	if (err)
		return err;
	if (dflt && !S_ISDIR(i->mode))
		return n ? -EACCES : 0;
	if (task_fsuid(t) != i->uid && !task_capable_wrt_ids(t, i->uid, -1, CAP_FOWNER))
		return -EPERM;
	if (support(i) != XS_STORED)
		return -EOPNOTSUPP;
	if (i->ovl & OVL_I_LOWER) {
		err = ovl_copy_up(p->d, NULL);
		if (err)
			return err;
	}
	if (!dflt) {
		/* posix_acl_update_mode: the mode follows the ACL; one that says no more than
		 * the mode is not kept */
		mode_t mode = i->mode;

		if (n && acl_equiv_mode(e, n, &mode))
			n = 0;
		if (!task_in_group(t, i->gid) && !task_capable_wrt_ids(t, i->uid, i->gid, CAP_FSETID))
			mode &= ~S_ISGID;
		i->mode = mode;
	}
	size_t add = n ? strlen(name) + 1 + 4 + n * sizeof(*e) : 0;
	if (add > XATTR_INODE_MAX - MIN(XATTR_INODE_MAX, inode_cost(i)))
		return -ENOSPC;
	acl_store(i, name, e, n);
	inode_touch(i, false, true);
	fsnotify_dentry(p->d, IN_ATTRIB);
	return 0;
}

/* Linux posix_acl_permission, for a caller that is not the owner, on an inode whose
 * group bits are not all clear: 0, -EACCES, or -EAGAIN when it has no access ACL. */
int
acl_permission(struct task *t, struct inode *i, int want)
{
	size_t n;
	const struct acl_ent *e = acl_of(i, ACL_ACCESS_NAME, &n);
	uid_t uid = task_fsuid(t);
	bool found = false;
	size_t k;

	if (!e)
		return -EAGAIN;
	want &= 7;
	for (k = 0; k < n; k++) {
		switch (e[k].tag) {
		case ACL_T_USER_OBJ:
			if (i->uid == uid)
				goto check;
			break;
		case ACL_T_USER:
			if (e[k].id == uid)
				goto mask;
			break;
		case ACL_T_GROUP_OBJ:
		case ACL_T_GROUP:
			if (task_in_group(t, e[k].tag == ACL_T_GROUP ? e[k].id : i->gid)) {
				found = true;
				if ((e[k].perm & want) == want)
					goto mask;
			}
			break;
		case ACL_T_MASK:
			break;
		case ACL_T_OTHER:
			if (found)
				return -EACCES;
			goto check;
		}
	}
	return -EACCES;
mask:
	for (size_t m = k + 1; m < n; m++)
		if (e[m].tag == ACL_T_MASK)
			return (e[k].perm & e[m].perm & want) == want ? 0 : -EACCES;
check:
	return (e[k].perm & want) == want ? 0 : -EACCES;
}

/* Linux posix_acl_chmod: an access ACL follows a new mode (owner, mask or group, other). */
void
acl_chmod(struct inode *i)
{
	size_t n;
	const struct acl_ent *cur = acl_of(i, ACL_ACCESS_NAME, &n);

	if (!cur || S_ISLNK(i->mode))
		return;
	_cleanup_free_ struct acl_ent *e = xmalloc(n * sizeof(*e));
	struct acl_ent *group = NULL, *mask = NULL;

	memcpy(e, cur, n * sizeof(*e));
	for (size_t k = 0; k < n; k++) {
		if (e[k].tag == ACL_T_USER_OBJ)
			e[k].perm = (i->mode >> 6) & 7;
		else if (e[k].tag == ACL_T_GROUP_OBJ)
			group = &e[k];
		else if (e[k].tag == ACL_T_MASK)
			mask = &e[k];
		else if (e[k].tag == ACL_T_OTHER)
			e[k].perm = i->mode & 7;
	}
	if (mask)
		mask->perm = (i->mode >> 3) & 7;
	else if (group)
		group->perm = (i->mode >> 3) & 7;
	acl_store(i, ACL_ACCESS_NAME, e, n);
}

bool
acl_has_default(struct inode *dir)
{
	size_t n;

	return S_ISDIR(dir->mode) && acl_of(dir, ACL_DEFAULT_NAME, &n) != NULL;
}

/* Linux posix_acl_create: a new object in dir (which has a default ACL) gets an access
 * ACL made from it, masked by the mode asked for (no umask), and a new directory
 * inherits the default ACL itself. Call with the new object's mode before it is made
 * (*mode is updated), then acl_inherit_apply on the new inode. */
void
acl_inherit_prepare(struct inode *dir, mode_t *mode, struct acl_inherit *ai)
{
	size_t n;
	const struct acl_ent *d = acl_of(dir, ACL_DEFAULT_NAME, &n);
	struct acl_ent *group = NULL, *mask = NULL;
	bool equiv = true;
	mode_t m = *mode;

	memset(ai, 0, sizeof(*ai));
	if (!d || !S_ISDIR(dir->mode) || S_ISLNK(m))
		return;
	ai->access = xmalloc(n * sizeof(*ai->access));
	memcpy(ai->access, d, n * sizeof(*d));
	ai->n = n;
	if (S_ISDIR(m)) {
		ai->dflt = xmalloc(n * sizeof(*ai->dflt));
		memcpy(ai->dflt, d, n * sizeof(*d));
	}
	for (size_t k = 0; k < n; k++) {
		struct acl_ent *e = &ai->access[k];

		switch (e->tag) {
		case ACL_T_USER_OBJ:
			e->perm &= (m >> 6) & 7;
			m &= ((mode_t)e->perm << 6) | ~(mode_t)S_IRWXU;
			break;
		case ACL_T_USER:
		case ACL_T_GROUP:
			equiv = false;
			break;
		case ACL_T_GROUP_OBJ:
			group = e;
			break;
		case ACL_T_OTHER:
			e->perm &= m & 7;
			m &= e->perm | ~(mode_t)S_IRWXO;
			break;
		case ACL_T_MASK:
			mask = e;
			equiv = false;
			break;
		}
	}
	if (mask) {
		mask->perm &= (m >> 3) & 7;
		m &= ((mode_t)mask->perm << 3) | ~(mode_t)S_IRWXG;
	} else if (group) {
		group->perm &= (m >> 3) & 7;
		m &= ((mode_t)group->perm << 3) | ~(mode_t)S_IRWXG;
	}
	*mode = m;
	if (equiv) {
		free(ai->access);
		ai->access = NULL;
	}
	ai->active = true;
}

void
acl_inherit_apply(struct inode *i, struct acl_inherit *ai)
{
	if (i && ai->access)
		acl_store(i, ACL_ACCESS_NAME, ai->access, ai->n);
	if (i && ai->dflt && S_ISDIR(i->mode))
		acl_store(i, ACL_DEFAULT_NAME, ai->dflt, ai->n);
	free(ai->access);
	free(ai->dflt);
	ai->access = ai->dflt = NULL;
}
