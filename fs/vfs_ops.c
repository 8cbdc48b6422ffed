/* Namespace and attribute changes: mkdir, mknod, unlink, symlink, link, rename, chmod... */
#include <stdio.h>
#include <string.h>

#include "fs/internal.h"
#include "sentry/ns.h"
#include "sentry/sentry.h"

int
vfs_mkdirat(struct task *t, struct file *dirf, const char *path, mode_t mode)
{
	struct path parent;
	struct dentry *d;
	int err;

	err = vfs_create_prepare(t, dirf, path, true, &parent, &d);
	if (err)
		return err;
	err = vfs_do_create(t, &parent, d, S_IFDIR | (mode & (S_IRWXU | S_IRWXG | S_IRWXO | S_ISVTX) &
						      ~vfs_create_umask(t, parent.d->inode)), 0);
	dput(d);
	path_put(&parent);
	return err;
}

int
vfs_mknodat(struct task *t, struct file *dirf, const char *path, mode_t mode, dev_t dev)
{
	struct path parent;
	struct dentry *d;
	int err;

	switch (mode & S_IFMT) {
	case 0:
		mode |= S_IFREG;
		break;
	case S_IFREG:
	case S_IFIFO:
	case S_IFSOCK:
		break;
	case S_IFCHR:
	case S_IFBLK:
		/* with CAP_MKNOD, on in-memory filesystems only (tmpfs, the overlay's
		 * memory layer; never the host's): /dev's memory devices (null, zero...)
		 * work, no driver answers others: opening one is ENXIO */
		if (!task_capable(t, CAP_MKNOD))
			return -EPERM;
		break;
	case S_IFDIR:
		return -EPERM;
	default:
		return -EINVAL;
	}
	err = vfs_create_prepare(t, dirf, path, false, &parent, &d);
	if (err)
		return err;
	if ((S_ISCHR(mode) || S_ISBLK(mode)) && strcmp(parent.d->inode->sb->fstype, "tmpfs") &&
	    strcmp(parent.d->inode->sb->fstype, "overlay"))
		err = -EPERM;
	else
		err = vfs_do_create(t, &parent, d, (mode & S_IFMT) |
					    (mode & 07777 & ~vfs_create_umask(t, parent.d->inode)),
				    S_ISCHR(mode) || S_ISBLK(mode) ? dev : 0);
	if (!err && (S_ISCHR(mode) || S_ISBLK(mode)) && d->inode && !devfs_mem_device(d->inode))
		tmpfs_driverless_device(d->inode);
	dput(d);
	path_put(&parent);
	return err;
}

int
vfs_symlinkat(struct task *t, const char *target, struct file *dirf, const char *path)
{
	struct path parent;
	struct inode *dir;
	struct dentry *d;
	mode_t mode = S_IFLNK | 0777;
	uid_t uid;
	gid_t gid;
	int err;

	if (!target[0])
		return -ENOENT;
	if (strnlen(target, PATH_MAX) >= PATH_MAX)
		return -ENAMETOOLONG;
	err = vfs_create_prepare(t, dirf, path, false, &parent, &d);
	if (err)
		return err;
	dir = parent.d->inode;
	vfs_new_owner(t, dir, &mode, &uid, &gid);
	err = landlock_check_path(t, &parent, LL_FS_MAKE_SYM);
	if (err)
		;
	else if (!dir->iops || !dir->iops->symlink)
		err = -EPERM;
	else
		err = dir->iops->symlink(parent.d, d, target, uid, gid);
	if (!err) {
		d_hash(d);
		fsnotify_name(dir, d->name, IN_CREATE, 0);
	}
	dput(d);
	path_put(&parent);
	return err;
}

/* Linux may_linkat with fs.protected_hardlinks = 1: the owner (or root) links anything,
 * others only regular files they may read and write that are not set-user-ID nor
 * executable set-group-ID. */
static bool
safe_link_source(struct task *t, struct inode *ino)
{
	uid_t uid = task_fsuid(t);

	if (!sysctl_value(SYSCTL_PROTECTED_HARDLINKS) || uid == ino->uid || task_capable_wrt_ids(t, ino->uid, -1, CAP_FOWNER))
		return true;
	if (!S_ISREG(ino->mode) || (ino->mode & S_ISUID) ||
	    (ino->mode & (S_ISGID | S_IXGRP)) == (S_ISGID | S_IXGRP))
		return false;
	return inode_permission(t, ino, MAY_READ | MAY_WRITE) == 0;
}

int
vfs_linkat(struct task *t, struct file *odir, const char *opath, struct file *ndir,
	   const char *npath, int at_flags)
{
	struct path old, parent;
	struct inode *dir, *ino;
	struct dentry *d;
	int err;

	if (at_flags & ~(AT_SYMLINK_FOLLOW | AT_EMPTY_PATH))
		return -EINVAL;
	/* Linux 6.10: linking an open file by its descriptor needs CAP_DAC_READ_SEARCH,
	 * unless the caller's credentials are still those that opened it */
	if (!task_capable(t, CAP_DAC_READ_SEARCH) &&
	    !(t && odir && odir->cred_token && odir->cred_token == vfs_cred_token(t)))
		at_flags &= ~AT_EMPTY_PATH;
	err = vfs_resolve_at(t, odir, opath,
			     (at_flags & AT_EMPTY_PATH) |
			     ((at_flags & AT_SYMLINK_FOLLOW) ? 0 : AT_SYMLINK_NOFOLLOW), &old);
	if (err)
		return err;
	err = vfs_create_prepare(t, ndir, npath, false, &parent, &d);
	if (err) {
		path_put(&old);
		return err;
	}
	dir = parent.d->inode;
	ino = old.d->inode;
	if (old.mnt != parent.mnt)
		err = -EXDEV;
	else if (!safe_link_source(t, ino))
		err = -EPERM; /* fs.protected_hardlinks */
	else if ((err = landlock_refer(t, old.d, &parent, d, false, false)))
		; /* (Linux security_path_link, before vfs_link's own checks) */
	else if (IS_APPEND(ino) || IS_IMMUTABLE(ino))
		err = -EPERM;
	else if (S_ISDIR(ino->mode))
		err = -EPERM;
	else if (ino->nlink == 0 && !ino->linkable)
		err = -ENOENT; /* an unlinked file; an O_TMPFILE one may get its first name */
	else if (!dir->iops || !dir->iops->link)
		err = -EPERM;
	else
		err = dir->iops->link(old.d, parent.d, d);
	if (!err) {
		ino->linkable = false;
		d_hash(d);
		fsnotify_inode(ino, IN_ATTRIB); /* the link count */
		fsnotify_name(dir, d->name, IN_CREATE, 0);
	}
	dput(d);
	path_put(&parent);
	path_put(&old);
	return err;
}

static bool
dir_is_empty(struct dentry *d)
{
	struct dentry *c, *tmp;

	HASH_ITER(hh, d->children, c, tmp)
		if (c->inode)
			return false;
	return true;
}

/* Sticky directories: only the owner of the file or of the directory (or root) may
 * remove or rename entries. */
static int
check_sticky(struct task *t, struct inode *dir, struct inode *ino)
{
	uid_t uid = task_fsuid(t);

	if (!(dir->mode & S_ISVTX) || uid == ino->uid || uid == dir->uid ||
	    task_capable_wrt_ids(t, ino->uid, ino->gid, CAP_FOWNER))
		return 0;
	return -EPERM;
}

/* Linux may_delete: permission to remove victim from dir. */
static int
may_delete(struct task *t, struct path *dir, struct dentry *victim, bool isdir)
{
	struct inode *ino = victim->inode;
	int err;

	err = inode_permission(t, dir->d->inode, MAY_WRITE | MAY_EXEC);
	if (!err && IS_APPEND(dir->d->inode))
		err = -EPERM; /* names stay in an append-only directory */
	if (!err)
		err = check_sticky(t, dir->d->inode, ino);
	if (!err && (IS_APPEND(ino) || IS_IMMUTABLE(ino)))
		err = -EPERM;
	if (err)
		return err;
	if (isdir && !S_ISDIR(ino->mode))
		return -ENOTDIR;
	if (!isdir && S_ISDIR(ino->mode))
		return -EISDIR;
	if (victim->mounted)
		return -EBUSY;
	return 0;
}

/* Overlay: name in dir hides a host entry from now on (a negative dentry). */
static void
d_whiteout(struct dentry *dir, const char *name)
{
	struct dentry *w = d_alloc(dir, name);

	w->lower = true;
	d_hash(w);
	w->sb->nneg++;
	dput(w);
}

/* Marks d as gone from the namespace (the filesystem already dropped the link); the
 * negative entries of a removed directory go with it. whiteout: leave one if d's name
 * exists in an overlay's host layer. */
static void
d_delete(struct dentry *d, bool whiteout)
{
	struct dentry *c, *tmp;

	d_unhash(d);
	d->deleted = true;
	if (d->inode && S_ISDIR(d->inode->mode)) {
		HASH_ITER(hh, d->children, c, tmp) {
			if (!c->inode) {
				d->sb->nneg--;
				d_unhash(c); /* may free c */
			}
		}
	}
	if (whiteout && d->lower)
		d_whiteout(d->parent, d->name);
}

int
vfs_unlinkat(struct task *t, struct file *dirf, const char *path, int at_flags)
{
	bool rmdir = at_flags & AT_REMOVEDIR;
	struct nameidata nd;
	struct last_comp last;
	struct path parent = { 0 };
	struct dentry *d = NULL;
	struct inode *dir;
	int err;

	if (at_flags & ~AT_REMOVEDIR)
		return -EINVAL;
	err = nd_start(&nd, t, dirf, path, &parent);
	if (!err && !path[0])
		err = -ENOENT;
	if (!err)
		err = nd_walk_parent(&nd, &parent, path, &last);
	if (err)
		goto out;
	if (last.type != LAST_NORM) {
		if (!rmdir)
			err = -EISDIR;
		else
			err = last.type == LAST_DOT ? -EINVAL :
			      last.type == LAST_DOTDOT ? -ENOTEMPTY : -EBUSY;
		goto out;
	}
	err = may_write_fs(&parent);
	if (!err)
		err = nd_lookup(&nd, &parent, last.name, &d);
	if (err)
		goto out;
	if (!d->inode) {
		err = -ENOENT;
	} else if (!rmdir && last.slash) {
		err = S_ISDIR(d->inode->mode) ? -EISDIR : -ENOTDIR;
	} else {
		err = landlock_check_path(t, &parent, rmdir ? LL_FS_REMOVE_DIR : LL_FS_REMOVE_FILE);
		if (!err)
			err = may_delete(t, &parent, d, rmdir);
		/* (cgroupfs keeps made directories hashed and answers for them itself) */
		if (!err && rmdir && !(d->sb->flags & SB_NOCACHE) && !dir_is_empty(d))
			err = -ENOTEMPTY;
		if (!err && rmdir && t && t->fs && t->fs->root.d == d)
			err = -EBUSY;
	}
	dir = parent.d->inode;
	if (!err && (!dir->iops || !dir->iops->unlink))
		err = -EPERM;
	if (!err)
		err = dir->iops->unlink(parent.d, d);
	if (!err) {
		uint32_t isdir = S_ISDIR(d->inode->mode) ? IN_ISDIR : 0;

		if (!isdir)
			fsnotify_inode(d->inode, IN_ATTRIB); /* the link count */
		d_delete(d, true);
		dput(d); /* the last name of a watched inode: IN_DELETE_SELF comes first */
		d = NULL;
		fsnotify_name(dir, last.name, IN_DELETE | isdir, 0);
	}
out:
	dput(d);
	path_put(&parent);
	return err;
}

/* ---- rename ---- */

static bool
is_ancestor(struct dentry *anc, struct dentry *d)
{
	for (; d; d = d->parent)
		if (d == anc)
			return true;
	return false;
}

static void
d_move(struct dentry *d, struct dentry *newparent, const char *newname)
{
	struct dentry *oldparent = d->parent;

	dget(d);
	d_unhash(d);
	free(d->name);
	d->name = xstrdup(newname);
	d->parent = dget(newparent);
	dput(oldparent);
	d_hash(d);
	dput(d);
}

struct rename_ctx {
	struct path odir, ndir;
	struct last_comp olast, nlast;
	struct dentry *od, *nd;
};

static int
rename_lookup(struct task *t, struct file *odir, const char *opath, struct file *ndir,
	      const char *npath, unsigned flags, struct rename_ctx *r)
{
	struct nameidata nd;
	int err;

	err = nd_start(&nd, t, odir, opath, &r->odir);
	if (!err)
		err = nd_start(&nd, t, ndir, npath, &r->ndir);
	if (!err && (!opath[0] || !npath[0]))
		err = -ENOENT;
	if (!err)
		err = nd_walk_parent(&nd, &r->odir, opath, &r->olast);
	if (!err)
		err = nd_walk_parent(&nd, &r->ndir, npath, &r->nlast);
	if (err)
		return err;
	if (r->olast.type != LAST_NORM)
		return -EBUSY;
	if (r->nlast.type != LAST_NORM)
		return (flags & RENAME_NOREPLACE) ? -EEXIST : -EBUSY;
	if (r->odir.mnt != r->ndir.mnt)
		return -EXDEV;
	err = may_write_fs(&r->odir);
	if (!err)
		err = nd_lookup(&nd, &r->odir, r->olast.name, &r->od);
	if (!err)
		err = nd_lookup(&nd, &r->ndir, r->nlast.name, &r->nd);
	return err;
}

static int
rename_checks(struct task *t, struct rename_ctx *r, unsigned flags)
{
	struct inode *oi = r->od->inode, *ni = r->nd->inode;
	bool exchange = flags & RENAME_EXCHANGE;
	int err;

	if (!oi)
		return -ENOENT;
	if (exchange && !ni)
		return -ENOENT;
	if ((flags & RENAME_NOREPLACE) && ni)
		return -EEXIST;
	if (!S_ISDIR(oi->mode) && (r->olast.slash || (!exchange && r->nlast.slash)))
		return -ENOTDIR;
	if (exchange && ni && !S_ISDIR(ni->mode) && r->nlast.slash)
		return -ENOTDIR;
	if (is_ancestor(r->od, r->ndir.d))
		return -EINVAL;
	if (ni && is_ancestor(r->nd, r->odir.d))
		return exchange ? -EINVAL : -ENOTEMPTY;
	err = landlock_refer(t, r->od, &r->ndir, r->nd, true, exchange);
	if (err)
		return err;
	/* the same file: nothing to do (by identity: procfs and sysfs make a new inode object
	 * at each lookup of the same file, Linux finds its one dentry twice) */
	if (oi == ni || (ni && oi->sb == ni->sb && oi->ino == ni->ino))
		return 1;
	err = may_delete(t, &r->odir, r->od, S_ISDIR(oi->mode));
	if (err)
		return err;
	if (ni)
		err = exchange ? may_delete(t, &r->ndir, r->nd, S_ISDIR(ni->mode))
			       : may_delete(t, &r->ndir, r->nd, S_ISDIR(oi->mode));
	else if (r->ndir.d->deleted)
		err = -ENOENT;
	else
		err = inode_permission(t, r->ndir.d->inode, MAY_WRITE | MAY_EXEC);
	if (err)
		return err;
	if (ni && !exchange && S_ISDIR(ni->mode) && !dir_is_empty(r->nd))
		return -ENOTEMPTY;
	/* moving a directory elsewhere rewrites its "..": needs write access to it */
	if (r->odir.d != r->ndir.d) {
		if (S_ISDIR(oi->mode))
			err = inode_permission(t, oi, MAY_WRITE);
		if (!err && exchange && S_ISDIR(ni->mode))
			err = inode_permission(t, ni, MAY_WRITE);
	}
	return err;
}

/* Linux fsnotify_move, once per moved inode (twice for an exchange). */
static void
notify_move(struct inode *from, const char *oname, struct inode *to, const char *nname,
	    struct inode *moved, struct inode *replaced)
{
	uint32_t cookie = fsnotify_cookie(), isdir = S_ISDIR(moved->mode) ? IN_ISDIR : 0;

	/* within one directory, the same event also stands for dnotify's DN_RENAME */
	fsnotify_name(from, oname, IN_MOVED_FROM | isdir | (from == to ? FSN_DN_RENAME : 0),
		      cookie);
	fsnotify_name(to, nname, IN_MOVED_TO | isdir, cookie);
	if (replaced)
		fsnotify_inode(replaced, IN_ATTRIB); /* the link count */
	fsnotify_inode(moved, IN_MOVE_SELF);
}

static void
notify_rename(struct rename_ctx *r, unsigned flags)
{
	struct inode *odir = r->odir.d->inode, *ndir = r->ndir.d->inode;

	if (!inotify_nmarks)
		return;
	if (!(flags & RENAME_EXCHANGE)) {
		notify_move(odir, r->olast.name, ndir, r->nlast.name, r->od->inode, r->nd->inode);
		return;
	}
	notify_move(odir, r->olast.name, ndir, r->nlast.name, r->od->inode, NULL);
	notify_move(ndir, r->nlast.name, odir, r->olast.name, r->nd->inode, NULL);
}

int
vfs_renameat2(struct task *t, struct file *odir, const char *opath, struct file *ndir,
	      const char *npath, unsigned int flags)
{
	struct rename_ctx r = { 0 };
	struct inode *dir;
	int err;

	if (flags & ~(RENAME_NOREPLACE | RENAME_EXCHANGE | RENAME_WHITEOUT))
		return -EINVAL;
	if ((flags & RENAME_EXCHANGE) && (flags & (RENAME_NOREPLACE | RENAME_WHITEOUT)))
		return -EINVAL;
	if (flags & RENAME_WHITEOUT)
		return -EPERM; /* a whiteout is a device node: none in the sandbox (no CAP_MKNOD) */
	err = rename_lookup(t, odir, opath, ndir, npath, flags, &r);
	if (!err)
		err = rename_checks(t, &r, flags);
	if (err == 1) {
		err = 0;
		goto out;
	}
	dir = r.odir.d->inode;
	if (!err && (!dir->iops || !dir->iops->rename))
		err = -EPERM;
	if (!err)
		err = dir->iops->rename(r.odir.d, r.od, r.ndir.d, r.nd, flags);
	if (err)
		goto out;
	if (flags & RENAME_EXCHANGE) {
		_cleanup_free_ char *oname = xstrdup(r.od->name);
		bool lower = r.od->lower;

		d_move(r.od, r.ndir.d, "\x01"); /* temporary name: both stay hashed */
		d_move(r.nd, r.odir.d, oname);
		d_move(r.od, r.ndir.d, r.nlast.name);
		r.od->lower = r.nd->lower; /* overlay: whether a host entry lies below stays */
		r.nd->lower = lower;       /* with the name */
	} else {
		bool old_lower = r.od->lower, new_lower = r.nd->lower;

		if (r.nd->inode) {
			d_delete(r.nd, false);
		} else if (r.nd->hashed) {
			d_unhash(r.nd);
			r.nd->sb->nneg--;
		}
		d_move(r.od, r.ndir.d, r.nlast.name);
		r.od->lower = new_lower;
		if (old_lower)
			d_whiteout(r.odir.d, r.olast.name);
	}
	notify_rename(&r, flags);
out:
	dput(r.od);
	dput(r.nd);
	path_put(&r.odir);
	path_put(&r.ndir);
	return err;
}

/* ---- attributes ---- */

/* Linux fsnotify_change: the inotify event an attribute change makes. */
static uint32_t
setattr_event(unsigned valid)
{
	uint32_t mask = 0;

	if (valid & (ATTR_UID | ATTR_GID | ATTR_MODE))
		mask |= IN_ATTRIB;
	if (valid & ATTR_SIZE)
		mask |= IN_MODIFY;
	if ((valid & (ATTR_ATIME | ATTR_MTIME)) == (ATTR_ATIME | ATTR_MTIME))
		mask |= IN_ATTRIB;
	else if (valid & ATTR_ATIME)
		mask |= IN_ACCESS;
	else if (valid & ATTR_MTIME)
		mask |= IN_MODIFY;
	return mask;
}

static int
setattr(struct path *p, const struct iattr *ia)
{
	struct inode *ino = p->d->inode;
	int err;

	if (!ino->iops || !ino->iops->setattr)
		return mnt_readonly(p) ? -EROFS : -EPERM;
	err = ino->iops->setattr(p->d, ia);
	if (!err && setattr_event(ia->valid))
		fsnotify_dentry(p->d, setattr_event(ia->valid));
	return err;
}

static bool
is_owner(struct task *t, struct inode *ino)
{
	uid_t uid = task_fsuid(t);

	/* Linux inode_owner_or_capable: CAP_FOWNER where the owner has a mapping */
	return uid == ino->uid || task_capable_wrt_ids(t, ino->uid, -1, CAP_FOWNER);
}

/* The open file an *at call with an empty path acts on (fchmod & co), else NULL. */
static struct file *
target_file(struct file *dirf, const char *path, int at_flags)
{
	return dirf && !path[0] && (at_flags & AT_EMPTY_PATH) ? dirf : NULL;
}

int
vfs_path_chmod(struct task *t, struct path *p, mode_t mode, struct file *f)
{
	struct inode *ino = p->d->inode;
	struct iattr ia = { .valid = ATTR_MODE, .file = f };
	int err = may_write_fs(p);

	if (err)
		return err;
	if (!is_owner(t, ino) || IS_IMMUTABLE(ino) || IS_APPEND(ino))
		return -EPERM;
	ia.mode = mode & 07777;
	if (!task_capable_wrt_ids(t, ino->uid, ino->gid, CAP_FSETID) &&
	    !task_in_group(t, ino->gid))
		ia.mode &= ~S_ISGID;
	err = setattr(p, &ia);
	if (!err)
		acl_chmod(ino); /* Linux posix_acl_chmod */
	return err;
}

int
vfs_chmodat(struct task *t, struct file *dirf, const char *path, mode_t mode, int at_flags)
{
	struct path p;
	int err;

	if (at_flags & ~(AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH))
		return -EINVAL;
	err = vfs_resolve_at(t, dirf, path, at_flags, &p);
	if (err)
		return err;
	if (S_ISLNK(p.d->inode->mode))
		err = -EOPNOTSUPP;
	else
		err = vfs_path_chmod(t, &p, mode, target_file(dirf, path, at_flags));
	path_put(&p);
	return err;
}

int
vfs_path_chown(struct task *t, struct path *p, uid_t uid, gid_t gid, struct file *f)
{
	struct inode *ino = p->d->inode;
	struct iattr ia = { .file = f };
	bool root = task_capable_wrt_ids(t, ino->uid, ino->gid, CAP_CHOWN);
	bool owner = task_fsuid(t) == ino->uid;
	int err = may_write_fs(p);

	if (err)
		return err;
	if ((uid != (uid_t)-1 || gid != (gid_t)-1) && (IS_IMMUTABLE(ino) || IS_APPEND(ino)))
		return -EPERM; /* Linux notify_change */
	if (!(ino->mode & S_IFMT))
		return -EOPNOTSUPP; /* an anonymous inode (Linux 6.11 anon_inode_setattr) */
	if (uid != (uid_t)-1) {
		if (!root && !(owner && uid == ino->uid))
			return -EPERM;
		ia.valid |= ATTR_UID;
		ia.uid = uid;
	}
	if (gid != (gid_t)-1) {
		if (!root && !(owner && (gid == ino->gid || task_in_group(t, gid))))
			return -EPERM;
		ia.valid |= ATTR_GID;
		ia.gid = gid;
	}
	/* chown clears set-user-ID and group-executable set-group-ID on non-directories */
	ia.mode = ino->mode & 07777;
	if (!S_ISDIR(ino->mode)) {
		ia.mode &= ~S_ISUID;
		if (ino->mode & S_IXGRP)
			ia.mode &= ~S_ISGID;
	}
	if (ia.mode != (ino->mode & 07777))
		ia.valid |= ATTR_MODE;
	if (ia.valid & (ATTR_UID | ATTR_GID))
		xattr_kill_caps(ino);
	if (!ia.valid) {
		inode_touch(ino, false, true);
		return 0;
	}
	return setattr(p, &ia);
}

int
vfs_chownat(struct task *t, struct file *dirf, const char *path, uid_t uid, gid_t gid,
	    int at_flags)
{
	struct path p;
	int err;

	if (at_flags & ~(AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH))
		return -EINVAL;
	err = vfs_resolve_at(t, dirf, path, at_flags, &p);
	if (err)
		return err;
	err = vfs_path_chown(t, &p, uid, gid, target_file(dirf, path, at_flags));
	path_put(&p);
	return err;
}

static bool
ts_valid(const struct timespec *ts)
{
	return ts->tv_nsec == UTIME_NOW || ts->tv_nsec == UTIME_OMIT ||
	       (ts->tv_nsec >= 0 && ts->tv_nsec < 1000000000L);
}

int
vfs_path_utimens(struct task *t, struct path *p, const struct timespec ts[2], struct file *f)
{
	struct inode *ino = p->d->inode;
	struct iattr ia = { .valid = ATTR_ATIME | ATTR_MTIME, .file = f };
	struct timespec now;
	bool to_now = !ts || (ts[0].tv_nsec == UTIME_NOW && ts[1].tv_nsec == UTIME_NOW);
	int err;

	if (ts && (!ts_valid(&ts[0]) || !ts_valid(&ts[1])))
		return -EINVAL;
	if (ts && ts[0].tv_nsec == UTIME_OMIT && ts[1].tv_nsec == UTIME_OMIT)
		return 0;
	err = may_write_fs(p);
	if (err)
		return err;
	/* Linux notify_change: any times given (ATTR_TIMES_SET, even UTIME_NOW with
	 * UTIME_OMIT) need neither flag, a touch to now no immutable one */
	if (IS_IMMUTABLE(ino) || (!to_now && IS_APPEND(ino)))
		return -EPERM;
	if (!is_owner(t, ino)) {
		if (!to_now)
			return -EPERM;
		err = inode_permission(t, ino, MAY_WRITE);
		if (err)
			return err;
	}
	/* one time for all three, as Linux's notify_change takes (a touch to now leaves
	 * atime == mtime == ctime: find -used 0 finds it) */
	vfs_timestamp(&now);
	ia.atime = ia.mtime = ia.ctime = now;
	ia.valid |= ATTR_CTIME;
	if (ts) {
		if (ts[0].tv_nsec == UTIME_OMIT)
			ia.valid &= ~ATTR_ATIME;
		else if (ts[0].tv_nsec != UTIME_NOW)
			ia.atime = ts[0];
		if (ts[1].tv_nsec == UTIME_OMIT)
			ia.valid &= ~ATTR_MTIME;
		else if (ts[1].tv_nsec != UTIME_NOW)
			ia.mtime = ts[1];
	}
	return setattr(p, &ia);
}

int
vfs_utimensat(struct task *t, struct file *dirf, const char *path,
	      const struct timespec ts[2], int at_flags)
{
	struct path p;
	int err;

	if (at_flags & ~(AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH))
		return -EINVAL;
	err = vfs_resolve_at(t, dirf, path, at_flags, &p);
	if (err)
		return err;
	err = vfs_path_utimens(t, &p, ts, target_file(dirf, path, at_flags));
	path_put(&p);
	return err;
}

/* Linux setattr_should_drop_suidgid: what a write or truncate of a regular file by one
 * without CAP_FSETID clears: set-user-ID, and set-group-ID when group-executable or when
 * the writer is not in the file's group. True (and *mode the new mode) when anything. */
static bool
kill_privs(struct task *t, struct inode *ino, mode_t *mode)
{
	mode_t m = ino->mode & 07777;

	if (!S_ISREG(ino->mode) || !(m & (S_ISUID | S_ISGID)) || task_capable(t, CAP_FSETID))
		return false;
	m &= ~S_ISUID;
	if ((m & S_ISGID) && ((m & S_IXGRP) || !task_in_group(t, ino->gid)))
		m &= ~S_ISGID;
	*mode = m;
	return m != (ino->mode & 07777);
}

int
vfs_path_truncate(struct task *t, struct path *p, off_t len, bool check_perm,
		  struct file *f)
{
	struct inode *ino = p->d->inode;
	struct iattr ia = { .valid = ATTR_SIZE, .size = len, .file = f };
	int err;

	if (len < 0)
		return -EINVAL;
	if (S_ISDIR(ino->mode))
		return -EISDIR;
	if (!S_ISREG(ino->mode))
		return -EINVAL;
	err = may_write_fs(p);
	if (!err && check_perm)
		err = inode_permission(t, ino, MAY_WRITE);
	if (!err && IS_APPEND(ino))
		err = -EPERM;
	if (err)
		return err;
	if (check_perm && ino->deny_write > 0) /* truncate(2) of a running program */
		return -ETXTBSY;
	if (check_perm && (err = landlock_check_path(t, p, LL_FS_TRUNCATE)))
		return err;
	/* Linux inode_newsize_ok: growing past RLIMIT_FSIZE (the caller sends SIGXFSZ) */
	rlim_t lim = sentry.rlim[RLIMIT_FSIZE].rlim_cur;
	if (len > ino->size && lim != RLIM_INFINITY && (rlim_t)len > lim)
		return -EFBIG;
	if (kill_privs(t, ino, &ia.mode))
		ia.valid |= ATTR_MODE;
	xattr_kill_caps(ino);
	return setattr(p, &ia);
}

int
vfs_file_remove_privs(struct task *t, struct file *f)
{
	struct iattr ia = { .valid = ATTR_MODE };

	if (!f->inode || !f->path.d || f->path.d->inode != f->inode)
		return 0;
	bool caps = xattr_kill_caps(f->inode);
	if (!kill_privs(t, f->inode, &ia.mode)) {
		if (caps)
			inode_touch(f->inode, false, true);
		return 0;
	}
	return setattr(&f->path, &ia);
}

const char *
vfs_file_name(const struct file *f)
{
	return f->path.d && f->path.d->name ? f->path.d->name : "";
}

int
vfs_truncate(struct task *t, const char *path, off_t len)
{
	struct path p;
	int err;

	if (len < 0)
		return -EINVAL;
	err = vfs_resolve_at(t, NULL, path, 0, &p);
	if (err)
		return err;
	err = vfs_path_truncate(t, &p, len, true, NULL);
	path_put(&p);
	return err;
}
