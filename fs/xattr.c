/*
 * Extended attributes, kept on any in-memory inode (a list sorted by name), with Linux's
 * rules (fs/xattr.c xattr_permission, the capability LSM, tmpfs's simple_xattr):
 *  - user.*: regular files and directories only (others: EPERM to write, ENODATA to
 *    read); read and write permission on the inode; sticky directories: owner only;
 *  - trusted.*: privileged callers only (EPERM to write, ENODATA to read, hidden from
 *    lists); security.*: anyone reads, privileged callers write; system.*: unsupported;
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

/* The mount-relative host path of p (XS_HOST). */
static int
host_rel(struct path *p, char *buf)
{
	return hostfs_rel_path(p->d, NULL, buf, PATH_MAX);
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

	if (prefixed(name, XATTR_SECURITY_PREFIX) || prefixed(name, "system."))
		return 0;
	if (prefixed(name, XATTR_TRUSTED_PREFIX))
		return privileged(t) ? 0 : wr ? -EPERM : -ENODATA;
	if (prefixed(name, XATTR_USER_PREFIX)) {
		if (!S_ISREG(i->mode) && !S_ISDIR(i->mode))
			return wr ? -EPERM : -ENODATA;
		if (S_ISDIR(i->mode) && (i->mode & S_ISVTX) && wr &&
		    !task_capable(t, CAP_FOWNER) && task_fsuid(t) != i->uid)
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
	return -EOPNOTSUPP; /* system.* (ACLs) and unknown prefixes */
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

static ssize_t
xattr_get(struct task *t, struct path *p, const char *name, void *buf, size_t size)
{
	struct inode *i = p->d->inode;
	char rel[PATH_MAX];
	struct xattr *x;
	int err = xattr_permission(t, i, name, MAY_READ);

	if (!err)
		err = check_namespace(i, name);
	if (err)
		return err;
	if (support(i) == XS_HOST) {
		err = host_rel(p, rel);
		return err ? err : gofer_getxattr(i->sb->gofer_mount, rel, name, buf, size);
	}
	x = *find(i, name);
	if (!x || strcmp(x->name, name))
		return -ENODATA;
	if (size == 0)
		return x->size;
	if (size < x->size)
		return -ERANGE;
	memcpy(buf, x->value, x->size);
	return x->size;
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
	  int flags)
{
	struct inode *i = p->d->inode;
	struct super_block *sb = i->sb;
	struct xattr **pp, *x;
	size_t old = 0, add;
	int err = may_set(t, p, name);

	if (err)
		return err;
	if (support(i) == XS_HOST) {
		char rel[PATH_MAX];
		struct stat st;

		err = host_rel(p, rel);
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
xattr_remove(struct task *t, struct path *p, const char *name)
{
	struct inode *i = p->d->inode;
	struct xattr **pp;
	int err = may_set(t, p, name);

	if (err)
		return err;
	if (support(i) == XS_HOST) {
		char rel[PATH_MAX];
		struct stat st;

		err = host_rel(p, rel);
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
xattr_list(struct task *t, struct path *p, char *buf, size_t size)
{
	struct inode *i = p->d->inode;
	size_t used = 0;

	if (support(i) == XS_HOST) {
		char rel[PATH_MAX];
		int err = host_rel(p, rel);

		return err ? err : gofer_listxattr(i->sb->gofer_mount, rel, buf, size);
	}

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
		return vfs_resolve_at(t, NULL, path, at_flags & AT_SYMLINK_NOFOLLOW, out);
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
	r = xattr_get(t, &p, name, buf, size);
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
	err = xattr_set(t, &p, name, val, size, flags);
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
	r = xattr_list(t, &p, buf, size);
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
	err = xattr_remove(t, &p, name);
	path_put(&p);
	return err;
}
