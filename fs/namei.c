/*
 * Path resolution, entirely in the sentry: components, ".", "..", mount crossings,
 * symlinks (at most VFS_MAXSYMLINKS per resolution), trailing slashes.
 */
#include <linux/openat2.h>
#include <string.h>

#include "fs/internal.h"
#include "sentry/sentry.h"

uid_t
task_fsuid(struct task *t)
{
	return t ? t->fsuid : 0;
}

gid_t
task_fsgid(struct task *t)
{
	return t ? t->fsgid : 0;
}

bool
task_in_group(struct task *t, gid_t g)
{
	if (g == task_fsgid(t))
		return true;
	for (int i = 0; t && i < t->ngroups; i++)
		if (t->groups[i] == g)
			return true;
	return false;
}

bool
mnt_readonly(struct path *p)
{
	return (p->mnt->flags & MNT_RDONLY) || (p->mnt->sb->flags & SB_RDONLY);
}

/* Crosses into what is mounted on *p; -EXDEV instead under RESOLVE_NO_XDEV. */
static int
nd_follow_mounts(struct nameidata *nd, struct path *p)
{
	struct mount *m = p->mnt;

	follow_mounts(p);
	if (p->mnt != m && nd && (nd->resolve & RESOLVE_NO_XDEV))
		return -EXDEV;
	return 0;
}

void
follow_mounts(struct path *p)
{
	/* (a dentry of a filesystem that builds new ones at each lookup, procfs, may stand
	 * for a mounted-on one: mount_lookup compares inodes there) */
	while (p->d->mounted || (p->d->sb && (p->d->sb->flags & SB_NOCACHE)) || p->mnt->detached) {
		struct mount *m = mount_lookup(p->mnt, p->d);

		if (!m)
			break;
		dget(m->root);
		dput(p->d);
		p->mnt = m;
		p->d = m->root;
	}
}

static bool
path_equal(struct path *a, struct path *b)
{
	return a->mnt == b->mnt && a->d == b->d;
}

static int
follow_dotdot(struct nameidata *nd, struct path *p)
{
	for (;;) {
		if (path_equal(p, &nd->root)) {
			if (nd->resolve & RESOLVE_BENEATH)
				return -EXDEV;
			break;
		}
		if (p->d != p->mnt->root && p->d->parent) {
			struct dentry *parent = dget(p->d->parent);

			dput(p->d);
			p->d = parent;
			break;
		}
		if (!mount_up(p->mnt)) {
			if (nd->resolve & RESOLVE_BENEATH)
				return -EXDEV; /* above the scope: it was not on the way */
			break;
		}
		if (nd->resolve & RESOLVE_NO_XDEV)
			return -EXDEV;
		dget(p->mnt->mountpoint);
		dput(p->d);
		p->d = p->mnt->mountpoint;
		p->mnt = p->mnt->parent;
	}
	return nd_follow_mounts(nd, p);
}

int
nd_may_follow(struct nameidata *nd)
{
	return nd && (nd->resolve & RESOLVE_NO_SYMLINKS) ? -ELOOP : 0;
}

int
nd_may_jump(struct nameidata *nd, struct path *dir, struct path *res)
{
	if (!nd || !nd->resolve)
		return 0;
	if (nd->resolve & RESOLVE_NO_MAGICLINKS)
		return -ELOOP;
	if ((nd->resolve & RESOLVE_NO_XDEV) && dir->mnt != res->mnt)
		return -EXDEV;
	if (nd->resolve & (RESOLVE_BENEATH | RESOLVE_IN_ROOT))
		return -EXDEV;
	return 0;
}

/* Hashes c, a new child of d, where lookups may be cached: positive ones except on procfs;
 * negative ones only where nothing else changes the filesystem (read-only ones, the host
 * layer of an overlay), and boundedly. */
static void
d_cache(struct dentry *d, struct dentry *c)
{
	c->lower = c->inode && (d->sb->flags & SB_OVERLAY);
	if (d->sb->flags & SB_NOCACHE)
		return;
	if (c->inode) {
		d_hash(c);
	} else if ((d->sb->flags & (SB_RDONLY | SB_OVERLAY)) &&
		   d->sb->nneg < VFS_MAX_NEGATIVE) {
		d->sb->nneg++;
		d_hash(c);
	}
}

/* Caches the components a lookup_walk found after the one looked up: each below the one
 * before, as looking them up one by one would have (while that one is a cached directory
 * without such a child yet). Drops the references of those it does not keep. */
static void
cache_ahead(struct dentry *parent, struct walk_ent *e, int n)
{
	int i;

	for (i = 0; i < n; i++) {
		struct dentry *c = NULL;

		if (!parent->hashed || !parent->inode || !S_ISDIR(parent->inode->mode))
			break;
		HASH_FIND_STR(parent->children, e[i].name, c);
		if (c)
			break;
		c = d_alloc(parent, e[i].name);
		c->inode = steal_ptr(&e[i].ino);
		d_cache(parent, c);
		bool kept = c->hashed;
		dput(c); /* the table keeps it, or it goes */
		if (!kept) {
			i++;
			break;
		}
		parent = c;
	}
	for (; i < n; i++)
		iput(e[i].ino);
}

/* What the walk will look up after the component under way, for lookup_walk: the rest of
 * this walk, then (inside a symlink's target) what follows the link; cut to whole
 * components. False when nothing follows. */
static bool
walk_hint(const struct nameidata *nd, char *buf, size_t n)
{
	const char *rest = nd->rest && *nd->rest ? nd->rest : NULL;
	const char *tail = nd->tail && *nd->tail && (rest || nd->last) ? nd->tail : NULL;
	int len;

	if (!rest && !tail)
		return false;
	len = snprintf(buf, n, "%s%s%s", rest ? rest : "", rest && tail ? "/" : "",
		       tail ? tail : "");
	if (len < 0)
		return false;
	if ((size_t)len >= n) {
		char *slash = memrchr(buf, '/', n - 1);
		if (!slash)
			return false;
		*slash = '\0';
	}
	return true;
}

int
nd_lookup(struct nameidata *nd, struct path *dir, const char *name, struct dentry **out)
{
	struct dentry *d = dir->d, *c = NULL;
	struct inode *dino = d->inode, *ino = NULL;
	int err;

	if (!dino || !S_ISDIR(dino->mode))
		return -ENOTDIR;
	err = inode_permission(nd->t, dino, MAY_EXEC);
	if (err)
		return err;
	if (d->deleted) {
		*out = d_alloc(d, name);
		return 0;
	}
	if (dino->iops && dino->iops->populate)
		dino->iops->populate(d);
	HASH_FIND_STR(d->children, name, c);
	if (c) {
		*out = dget(c);
		return 0;
	}
	if (!dino->iops || !dino->iops->lookup) {
		*out = d_alloc(d, name);
		return 0;
	}
	/* Inside a walk, a filesystem that can looks the following components up with this
	 * one (the host's: one gofer round trip instead of one per component). */
	struct walk_ent ahead[VFS_WALK_MAX];
	char hint[512];
	int nahead = 0;
	if (nd && walk_hint(nd, hint, sizeof(hint)) && dino->iops->lookup_walk &&
	    !(d->sb->flags & SB_NOCACHE)) {
		nahead = dino->iops->lookup_walk(d, name, hint, ahead, VFS_WALK_MAX);
		if (nahead < 0)
			return nahead;
		ino = ahead[0].ino;
	} else if (nd && nd->open_read && nd->last && dino->iops->lookup_open &&
		   !(d->sb->flags & SB_NOCACHE)) {
		err = dino->iops->lookup_open(d, name, &ino);
		if (err && err != -ENOENT)
			return err;
	} else {
		err = dino->iops->lookup(d, name, &ino);
		if (err && err != -ENOENT)
			return err;
	}
	/* procfs answers a missing name with ENOENT itself, so creating one there is ENOENT
	 * too (Linux proc_root_lookup / proc_pident_lookup), not EPERM */
	if (!ino && (d->sb->flags & (SB_NOCACHE | SB_NOCACHE_CREATE)) == SB_NOCACHE)
		return -ENOENT;
	c = d_alloc(d, name);
	c->inode = ino;
	d_cache(d, c);
	if (nahead > 1)
		cache_ahead(c, ahead + 1, nahead - 1);
	*out = c;
	return 0;
}

/* Splits the next component at *pp into name; returns its length, 0 at the end. */
static int
next_component(const char **pp, char name[NAME_MAX + 1], bool *more, bool *slash)
{
	const char *p = *pp, *s;
	size_t len;

	while (*p == '/')
		p++;
	s = p;
	while (*p && *p != '/')
		p++;
	len = p - s;
	if (len > NAME_MAX)
		return -ENAMETOOLONG;
	memcpy(name, s, len);
	name[len] = '\0';
	*slash = *p == '/';
	while (*p == '/')
		p++;
	*more = *p != '\0';
	*pp = p;
	return len;
}

static int
comp_type(const char *name)
{
	if (name[0] == '.' && name[1] == '\0')
		return LAST_DOT;
	if (name[0] == '.' && name[1] == '.' && name[2] == '\0')
		return LAST_DOTDOT;
	return LAST_NORM;
}

static int step(struct nameidata *nd, struct path *cur, const char *name, bool follow);

/* Linux may_follow_link with fs.protected_symlinks = 1: a symlink that is the path's last
 * component, in a sticky world-writable directory (/tmp), is followed only by its owner
 * or when the directory's owner owns it too; not even root may follow another's. */
static int
may_follow_protected(struct nameidata *nd, struct inode *dir, struct inode *link)
{
	if (!nd->last || !sysctl_value(SYSCTL_PROTECTED_SYMLINKS))
		return 0;
	if (link->uid == task_fsuid(nd->t))
		return 0;
	if ((dir->mode & (S_ISVTX | S_IWOTH)) != (S_ISVTX | S_IWOTH))
		return 0;
	return dir->uid == link->uid ? 0 : -EACCES;
}

/* link is a symlink found in directory dir; replaces *link with its resolution. */
static int
follow_link(struct nameidata *nd, struct path *dir, struct path *link)
{
	struct inode *ino = link->d->inode;
	_cleanup_free_ char *target = NULL;
	struct path start, res;
	int err;

	if ((err = nd_may_follow(nd)) != 0)
		return err;
	if ((err = may_follow_protected(nd, dir->d->inode, ino)) != 0)
		return err;
	if (++nd->depth > VFS_MAXSYMLINKS)
		return -ELOOP;
	if (ino->iops && ino->iops->get_link) {
		err = ino->iops->get_link(nd->t, link->d, &res);
		if (err < 0)
			return err;
		if (err == 1) {
			err = nd_may_jump(nd, dir, &res);
			if (err) {
				path_put(&res);
				return err;
			}
			path_put(link);
			*link = res;
			return 0;
		}
	}
	if (!ino->iops || !ino->iops->readlink)
		return -EINVAL;
	err = ino->iops->readlink(nd->t, link->d, &target);
	if (err)
		return err;
	inode_accessed(ino); /* Linux pick_link: touch_atime on the link followed */
	if (!target[0])
		return -ENOENT;
	start = path_get(*dir);
	/* the target's last component is the one to open only when the link was the last */
	bool open_read = nd->open_read;
	const char *tail = nd->tail;
	nd->open_read = open_read && nd->last;
	if (nd->rest)
		nd->tail = nd->rest; /* looked up below the target's last component next */
	else if (!nd->last)
		nd->tail = NULL;
	err = nd_walk_full(nd, &start, target, true);
	nd->open_read = open_read;
	nd->tail = tail;
	if (err) {
		path_put(&start);
		return err;
	}
	path_put(link);
	*link = start;
	return 0;
}

/* Moves *cur (a directory) to its child name, following a final symlink if asked. */
static int
step(struct nameidata *nd, struct path *cur, const char *name, bool follow)
{
	struct path child;
	struct dentry *d;
	int err, type = comp_type(name);

	if (!cur->d->inode || !S_ISDIR(cur->d->inode->mode))
		return -ENOTDIR;
	if (type != LAST_NORM) {
		err = inode_permission(nd->t, cur->d->inode, MAY_EXEC);
		if (err)
			return err;
		if (type == LAST_DOTDOT)
			return follow_dotdot(nd, cur);
		return 0;
	}
	err = nd_lookup(nd, cur, name, &d);
	if (err)
		return err;
	if (!d->inode) {
		dput(d);
		return -ENOENT;
	}
	child.mnt = cur->mnt;
	child.d = d;
	err = nd_follow_mounts(nd, &child);
	if (err) {
		path_put(&child);
		return err;
	}
	if (follow && S_ISLNK(child.d->inode->mode)) {
		err = follow_link(nd, cur, &child);
		if (err) {
			path_put(&child);
			return err;
		}
	}
	path_put(cur);
	*cur = child;
	return 0;
}

static int
reset_to_root(struct nameidata *nd, struct path *cur)
{
	if (nd->resolve & RESOLVE_BENEATH)
		return -EXDEV;
	if ((nd->resolve & RESOLVE_NO_XDEV) && cur->mnt != nd->root.mnt)
		return -EXDEV;
	path_put(cur);
	*cur = path_get(nd->root);
	return 0;
}

int
nd_walk_parent(struct nameidata *nd, struct path *cur, const char *path,
	       struct last_comp *last)
{
	bool more, slash;
	int len, err;

	if (*path == '/' && (err = reset_to_root(nd, cur)) != 0)
		return err;
	for (;;) {
		len = next_component(&path, last->name, &more, &slash);
		if (len < 0)
			return len;
		if (len == 0) {
			last->type = LAST_ROOT;
			last->slash = false;
			return 0;
		}
		if (!more) {
			last->type = comp_type(last->name);
			last->slash = slash;
			return 0;
		}
		nd->rest = path;
		nd->last = false;
		err = step(nd, cur, last->name, true);
		nd->rest = NULL;
		if (err)
			return err;
		if (!S_ISDIR(cur->d->inode->mode))
			return -ENOTDIR;
	}
}

int
nd_walk_full(struct nameidata *nd, struct path *cur, const char *path, bool follow)
{
	struct last_comp last;
	int err;

	err = nd_walk_parent(nd, cur, path, &last);
	if (err)
		return err;
	if (last.type == LAST_ROOT)
		return 0;
	nd->last = true;
	err = step(nd, cur, last.name, follow || last.slash);
	nd->last = false;
	if (err)
		return err;
	if ((last.slash || last.type != LAST_NORM) && !S_ISDIR(cur->d->inode->mode))
		return -ENOTDIR;
	return 0;
}

static struct path
global_root(void)
{
	struct mount *m = vfs_root_mount();
	struct path p = { m, m ? m->root : NULL };

	return p;
}

int
nd_start(struct nameidata *nd, struct task *t, struct file *dirf, const char *path,
	 struct path *start)
{
	struct fs_context *c = t ? t->fs : NULL;

	nd->t = t;
	nd->depth = 0;
	nd->rest = NULL;
	nd->tail = NULL;
	nd->open_read = false;
	nd->last = false;
	nd->resolve = 0;
	nd->scope = (struct path){ 0 };
	nd->root = c ? vfs_ctx_root(c) : global_root();
	if (!nd->root.d)
		return -ENOENT;
	if (strnlen(path, PATH_MAX) >= PATH_MAX)
		return -ENAMETOOLONG;
	if (path[0] == '/') {
		*start = path_get(nd->root);
		return 0;
	}
	if (dirf) {
		if (!dirf->path.d || !dirf->inode)
			return -ENOTDIR;
		if (path[0] && !S_ISDIR(dirf->inode->mode))
			return -ENOTDIR;
		*start = path_get(dirf->path);
		return 0;
	}
	*start = path_get(c ? vfs_ctx_cwd(c) : nd->root);
	return 0;
}

int
nd_start_resolve(struct nameidata *nd, struct task *t, struct file *dirf, const char *path,
		 unsigned resolve, struct path *start)
{
	int err;

	nd->scope = (struct path){ 0 };
	if ((resolve & RESOLVE_BENEATH) && path[0] == '/') {
		*start = (struct path){ 0 };
		return -EXDEV;
	}
	/* IN_ROOT: an absolute path starts at the scope too, which is dirf (or the cwd) */
	err = nd_start(nd, t, dirf, (resolve & RESOLVE_IN_ROOT) && path[0] == '/' ? "." : path,
		       start);
	if (err)
		return err;
	if (strnlen(path, PATH_MAX) >= PATH_MAX)
		return -ENAMETOOLONG;
	if (resolve & (RESOLVE_BENEATH | RESOLVE_IN_ROOT)) {
		nd->scope = path_get(*start);
		nd->root = nd->scope;
	}
	nd->resolve = resolve;
	return 0;
}

void
nd_end(struct nameidata *nd)
{
	path_put(&nd->scope);
	nd->scope = (struct path){ 0 };
}

int
vfs_resolve_at(struct task *t, struct file *dirf, const char *path, int at_flags,
	       struct path *out)
{
	struct nameidata nd;
	struct path cur = { 0 };
	int err;

	if (!path[0]) {
		if (!(at_flags & AT_EMPTY_PATH))
			return -ENOENT;
		err = nd_start(&nd, t, dirf, path, &cur);
		if (!err && !cur.d->inode)
			err = -ENOENT;
		if (err) {
			path_put(&cur);
			return err;
		}
		*out = cur;
		return 0;
	}
	err = nd_start(&nd, t, dirf, path, &cur);
	nd.open_read = at_flags & VFS_AT_OPEN_NEXT;
	if (!err)
		err = nd_walk_full(&nd, &cur, path, !(at_flags & AT_SYMLINK_NOFOLLOW));
	if (err) {
		path_put(&cur);
		return err;
	}
	*out = cur;
	return 0;
}
