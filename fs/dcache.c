/* Inodes, dentries and super blocks: allocation, references, the child tables. */
#include <dirent.h>
#include <string.h>
#include <sys/sysmacros.h>

#include "fs/internal.h"
#include "sentry/ns.h"
#include "sentry/sentry.h"

static unsigned next_minor = 1;

struct super_block *
sb_new(const char *fstype, const char *source, unsigned flags)
{
	struct super_block *sb = xcalloc(1, sizeof(*sb));

	sb->dev = makedev(0, next_minor++);
	sb->fstype = fstype;
	sb->source = xstrdup(source ? source : "none");
	sb->flags = flags;
	sb->blksize = VFS_BLKSIZE;
	sb->next_ino = 1;
	sb->gofer_mount = -1;
	return sb;
}

dev_t
vfs_host_dev(struct super_block *sb, dev_t host)
{
	static struct {
		struct super_block *sb;
		dev_t host, guest;
	} devs[64];
	static unsigned ndevs;

	if (host == sb->host_dev)
		return 0;
	for (unsigned i = 0; i < ndevs; i++)
		if (devs[i].sb == sb && devs[i].host == host)
			return devs[i].guest;
	if (ndevs == ARRAY_SIZE(devs))
		return 0; /* that many host filesystems: they share the super block's */
	devs[ndevs].sb = sb;
	devs[ndevs].host = host;
	devs[ndevs].guest = makedev(0, next_minor++);
	return devs[ndevs++].guest;
}

void
vfs_timestamp(struct timespec *ts)
{
	clock_gettime(CLOCK_REALTIME, ts);
}

struct inode *
inode_new(struct super_block *sb, mode_t mode, uid_t uid, gid_t gid)
{
	struct inode *i = xcalloc(1, sizeof(*i));

	i->refs = 1;
	i->sb = sb;
	i->ino = sb->next_ino++;
	i->mode = mode;
	i->nlink = S_ISDIR(mode) ? 2 : 1;
	i->uid = uid;
	i->gid = gid;
	i->next_cookie = 3; /* 1 and 2 are "." and ".." */
	vfs_timestamp(&i->mtime);
	i->atime = i->ctime = i->mtime;
	return i;
}

struct inode *
iget(struct inode *i)
{
	if (i)
		i->refs++;
	return i;
}

void
iput(struct inode *i)
{
	if (!i)
		return;
	BUG_ON(i->refs <= 0);
	if (--i->refs > 0) {
		if (i->marks)
			fsnotify_iput(i); /* an unlinked inode held only by watches ends */
		return;
	}
	locks_inode_free(i);
	xattr_inode_free(i);
	if (i->free_priv)
		i->free_priv(i);
	free(i);
}

void
inode_touch(struct inode *i, bool m, bool c)
{
	struct timespec now;

	vfs_timestamp(&now);
	if (m)
		i->mtime = now;
	if (c)
		i->ctime = now;
}

void
inode_set_attrs(struct inode *i, const struct iattr *ia)
{
	if (ia->valid & ATTR_MODE)
		i->mode = (i->mode & S_IFMT) | (ia->mode & 07777);
	if (ia->valid & ATTR_UID)
		i->uid = ia->uid;
	if (ia->valid & ATTR_GID)
		i->gid = ia->gid;
	if (ia->valid & ATTR_ATIME)
		i->atime = ia->atime;
	if (ia->valid & ATTR_MTIME)
		i->mtime = ia->mtime;
	if (ia->valid & ATTR_CTIME)
		i->ctime = ia->ctime;
	else
		inode_touch(i, false, true);
}

void
inode_drop_link(struct inode *dir, struct inode *i)
{
	if (S_ISDIR(i->mode)) {
		i->nlink = 0;
		dir->nlink--; /* its ".." */
	} else if (i->nlink > 0) {
		i->nlink--;
	}
	inode_touch(i, false, true);
}

struct dentry *
dget(struct dentry *d)
{
	if (d)
		d->refs++;
	return d;
}

void
dput(struct dentry *d)
{
	while (d) {
		struct dentry *parent;

		BUG_ON(d->refs <= 0);
		if (--d->refs > 0)
			return;
		BUG_ON(d->hashed || d->children);
		parent = d->parent;
		iput(d->inode);
		free(d->name);
		free(d);
		d = parent; /* drop the child's reference on its parent */
	}
}

struct dentry *
d_alloc(struct dentry *parent, const char *name)
{
	struct dentry *d = xcalloc(1, sizeof(*d));

	d->refs = 1;
	d->name = xstrdup(name);
	d->parent = dget(parent);
	d->sb = parent ? parent->sb : NULL;
	return d;
}

void
d_hash(struct dentry *d)
{
	struct dentry *p = d->parent;

	BUG_ON(!p || d->hashed);
	if (d->inode && p->inode)
		d->cookie = p->inode->next_cookie++;
	HASH_ADD_KEYPTR(hh, p->children, d->name, strlen(d->name), d);
	d->hashed = true;
	dget(d);
}

void
d_unhash(struct dentry *d)
{
	if (!d->hashed)
		return;
	HASH_DEL(d->parent->children, d);
	d->hashed = false;
	dput(d);
}

struct dentry *
d_add_child(struct dentry *dir, const char *name, struct inode *ino)
{
	struct dentry *d = d_alloc(dir, name);

	d->inode = ino;
	d_hash(d);
	dput(d); /* the table keeps it */
	return d;
}

struct path
path_get(struct path p)
{
	dget(p.d);
	return p;
}

void
path_put(struct path *p)
{
	dput(p->d);
	p->d = NULL;
	p->mnt = NULL;
}

void
inode_fill_stat(struct inode *i, struct stat *st)
{
	memset(st, 0, sizeof(*st));
	if (i->iops && i->iops->getattr && i->iops->getattr(i, st) == 0)
		return;
	tmpfs_sync_blocks(i); /* a mapped file's pages are touched unseen */
	st->st_dev = i->dev ? i->dev : i->sb->dev;
	st->st_ino = i->ino;
	st->st_mode = i->mode;
	st->st_nlink = i->nlink;
	st->st_uid = i->uid;
	st->st_gid = i->gid;
	st->st_rdev = i->rdev;
	st->st_size = i->size;
	st->st_blksize = i->sb->blksize;
	st->st_blocks = i->blocks;
	st->st_atim = i->atime;
	st->st_mtim = i->mtime;
	st->st_ctim = i->ctime;
	/* sysfs (kernfs) gives its attributes the size of a page, what one may hold, and
	 * directories and links none; nothing takes blocks */
	if (!strcmp(i->sb->fstype, "sysfs")) {
		st->st_size = S_ISREG(i->mode) ? 4096 : 0;
		st->st_blocks = 0;
	}
}

/*
 * Linux generic_permission without ACLs: the mode bits for the owner, the group or
 * others, then CAP_DAC_READ_SEARCH (read anything, search directories) and
 * CAP_DAC_OVERRIDE (anything but executing a non-directory without any x bit).
 * t == NULL is the sentry itself (all capabilities).
 */
static int
generic_permission(struct task *t, struct inode *i, int mask)
{
	uid_t uid = task_fsuid(t);
	mode_t m = i->mode;
	int bits;

	mask &= MAY_READ | MAY_WRITE | MAY_EXEC;
	if ((mask & MAY_WRITE) && IS_IMMUTABLE(i))
		return -EPERM; /* nobody writes to an immutable inode */
	if (t) {
		if (uid == i->uid) {
			bits = (m >> 6) & 7;
		} else if ((m & S_IRWXG) && i->xattrs &&
			   (bits = acl_permission(t, i, mask)) != -EAGAIN) {
			/* Linux check_acl: an access ACL decides for all but the owner */
			if (bits == 0)
				return 0;
			bits = 0;
		} else if (task_in_group(t, i->gid))
			bits = (m >> 3) & 7;
		else
			bits = m & 7;
		if ((bits & mask) == mask)
			return 0;
	}
	/* (capable_wrt_inode_uidgid: in a user namespace, over files whose ids it maps) */
	if (S_ISDIR(m)) {
		if (!(mask & MAY_WRITE) && task_capable_wrt_ids(t, i->uid, i->gid, CAP_DAC_READ_SEARCH))
			return 0;
		return task_capable_wrt_ids(t, i->uid, i->gid, CAP_DAC_OVERRIDE) ? 0 : -EACCES;
	}
	if (mask == MAY_READ && task_capable_wrt_ids(t, i->uid, i->gid, CAP_DAC_READ_SEARCH))
		return 0;
	if ((!(mask & MAY_EXEC) || (m & 0111)) &&
	    task_capable_wrt_ids(t, i->uid, i->gid, CAP_DAC_OVERRIDE))
		return 0;
	return -EACCES;
}

int
inode_permission(struct task *t, struct inode *i, int mask)
{
	int err = generic_permission(t, i, mask);

	if (err == -EPERM || !t || !i->iops || !i->iops->permission)
		return err;
	return i->iops->permission(t, i, mask, err);
}

unsigned char
vfs_dtype(mode_t mode)
{
	return (mode & S_IFMT) >> 12; /* DT_* values are the S_IFMT bits shifted */
}

struct linux_dirent64 {
	uint64_t d_ino;
	int64_t d_off;
	unsigned short d_reclen;
	unsigned char d_type;
	char d_name[];
};

int
vfs_emit_dirent(void *buf, size_t n, size_t *used, ino_t ino, off_t off, unsigned char type,
		const char *name)
{
	size_t len = strlen(name);
	size_t reclen = (offsetof(struct linux_dirent64, d_name) + len + 1 + 7) & ~(size_t)7;
	struct linux_dirent64 *de;

	if (*used + reclen > n)
		return -EINVAL;
	de = (struct linux_dirent64 *)((char *)buf + *used);
	memset(de, 0, reclen);
	de->d_ino = ino;
	de->d_off = off;
	de->d_reclen = reclen;
	de->d_type = type;
	memcpy(de->d_name, name, len);
	*used += reclen;
	return 0;
}

/*
 * getdents64 over a dcache directory. f->pos is the cookie of the last entry
 * returned (0 = start, 1 = ".", 2 = ".."); children carry increasing cookies in
 * insertion order, so entries added or removed during iteration never make
 * others repeat or vanish.
 */
ssize_t
dcache_emit_dots(struct file *f, void *buf, size_t n, size_t *used)
{
	struct dentry *d = f->path.d;

	if (f->pos < 1) {
		if (vfs_emit_dirent(buf, n, used, d->inode->ino, 1, DT_DIR, "."))
			return -EINVAL;
		f->pos = 1;
	}
	if (f->pos < 2) {
		struct dentry *p = d->parent ? d->parent : d;
		ino_t ino = p->inode ? p->inode->ino : d->inode->ino;

		if (vfs_emit_dirent(buf, n, used, ino, 2, DT_DIR, ".."))
			return *used ? 0 : -EINVAL;
		f->pos = 2;
	}
	return 1;
}

ssize_t
dcache_getdents64(struct file *f, void *buf, size_t n)
{
	struct dentry *d = f->path.d, *c, *tmp;
	size_t used = 0;

	if (d->deleted)
		return 0;
	if (d->inode->iops && d->inode->iops->populate)
		d->inode->iops->populate(d);
	ssize_t r = dcache_emit_dots(f, buf, n, &used);
	if (r <= 0)
		return r ? r : (ssize_t)used;
	HASH_ITER(hh, d->children, c, tmp) {
		if (!c->inode || (off_t)c->cookie <= f->pos)
			continue;
		if (vfs_emit_dirent(buf, n, &used, c->inode->ino, c->cookie,
				    vfs_dtype(c->inode->mode), c->name))
			return used ? (ssize_t)used : -EINVAL;
		f->pos = c->cookie;
	}
	return used;
}
