/*
 * Writable host mounts (--rw): every change goes to the host through the gofer, which
 * acts only beneath the mount root and never follows a symlink (fs/gofer.c). The sentry
 * checks permissions with the guest's credentials against the host's modes first.
 * Inode attributes are refreshed from the host's stat after each change and each write.
 */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#include "fs/gofer.h"
#include "fs/internal.h"
#include "sentry/sentry.h"

static const struct inode_ops rw_dir_iops;
static const struct inode_ops rw_iops;
static const struct file_ops rw_file_fops;

/* Takes the host's view of an object (from the gofer) into the inode. */
static void
refresh(struct inode *i, const struct stat *st)
{
	i->uid = st->st_uid;
	i->gid = st->st_gid;
	i->mode = (i->mode & S_IFMT) | (st->st_mode & 07777);
	i->nlink = st->st_nlink;
	i->size = st->st_size;
	i->blocks = st->st_blocks;
	i->atime = st->st_atim;
	i->mtime = st->st_mtim;
	i->ctime = st->st_ctim;
}

/* The same from the sentry's own fstat of a host fd: owners there are as the sentry's user
 * namespace maps them (unmapped ones show as the overflow id), so keep the gofer's. */
static void
refresh_fd(struct inode *i, int fd)
{
	struct stat st;

	if (fstat(fd, &st) < 0)
		return;
	st.st_uid = i->uid;
	st.st_gid = i->gid;
	refresh(i, &st);
}

void
hostfs_rw_init(struct inode *i)
{
	i->iops = S_ISDIR(i->mode) ? &rw_dir_iops : &rw_iops;
}

static int
rel(struct dentry *d, const char *child, char *buf)
{
	return hostfs_rel_path(d, child, buf, GOFER_PATH_MAX);
}

static int
rw_create(struct dentry *dir, struct dentry *d, mode_t mode, dev_t rdev, uid_t uid, gid_t gid)
{
	int mnt = dir->sb->gofer_mount;
	char path[GOFER_PATH_MAX];
	struct stat st;
	int err = rel(dir, d->name, path);

	if (err)
		return err;
	if (S_ISDIR(mode))
		err = gofer_mkdir(mnt, path, mode & 07777, uid, gid, &st);
	else if (S_ISREG(mode) || S_ISFIFO(mode) || S_ISSOCK(mode))
		/* a socket: bind's name (fs/socket.c) */
		err = gofer_mknod(mnt, path, mode, uid, gid, &st);
	else
		err = -EPERM; /* devices stay off the host */
	if (err)
		return err;
	d->inode = hostfs_inode(dir->sb, &st);
	if (S_ISDIR(mode))
		dir->inode->nlink++;
	inode_touch(dir->inode, true, true);
	return 0;
}

static int
rw_symlink(struct dentry *dir, struct dentry *d, const char *target, uid_t uid, gid_t gid)
{
	char path[GOFER_PATH_MAX];
	struct stat st;
	int err = rel(dir, d->name, path);

	if (!err)
		err = gofer_symlink(dir->sb->gofer_mount, target, path, uid, gid, &st);
	if (err)
		return err;
	d->inode = hostfs_inode(dir->sb, &st);
	inode_touch(dir->inode, true, true);
	return 0;
}

static int
rw_link(struct dentry *old, struct dentry *dir, struct dentry *d)
{
	char from[GOFER_PATH_MAX], to[GOFER_PATH_MAX];
	struct stat st;
	int err = rel(old, NULL, from);

	if (!err)
		err = rel(dir, d->name, to);
	if (!err)
		err = gofer_link(dir->sb->gofer_mount, from, to, &st);
	if (err)
		return err;
	refresh(old->inode, &st);
	d->inode = iget(old->inode);
	inode_touch(dir->inode, true, true);
	return 0;
}

static int
rw_unlink(struct dentry *dir, struct dentry *d)
{
	char path[GOFER_PATH_MAX];
	int err = rel(d, NULL, path);

	if (!err)
		err = gofer_unlink(dir->sb->gofer_mount, path,
				   S_ISDIR(d->inode->mode) ? AT_REMOVEDIR : 0);
	if (err)
		return err;
	inode_drop_link(dir->inode, d->inode);
	inode_touch(dir->inode, true, true);
	return 0;
}

static int
rw_rename(struct dentry *odir, struct dentry *od, struct dentry *ndir, struct dentry *nd,
	  unsigned flags)
{
	char from[GOFER_PATH_MAX], to[GOFER_PATH_MAX];
	int err = rel(od, NULL, from);

	if (!err)
		err = rel(ndir, nd->name, to);
	if (!err)
		err = gofer_rename(odir->sb->gofer_mount, from, to,
				   flags & (RENAME_NOREPLACE | RENAME_EXCHANGE));
	if (err)
		return err;
	if (!(flags & RENAME_EXCHANGE) && nd->inode)
		inode_drop_link(ndir->inode, nd->inode);
	if (S_ISDIR(od->inode->mode) && odir != ndir && !(flags & RENAME_EXCHANGE)) {
		odir->inode->nlink--;
		ndir->inode->nlink++;
	}
	inode_touch(odir->inode, true, true);
	inode_touch(ndir->inode, true, true);
	return 0;
}

/* ftruncate through the file's own writable host fd: right even when its name is gone
 * (or names another host file by now), as Linux's ATTR_FILE is. */
static int
truncate_fd(struct inode *i, int fd, off_t size, struct stat *st)
{
	int r;

	do
		r = ftruncate(fd, size);
	while (r < 0 && errno == EINTR);
	if (r < 0 || fstat(fd, st) < 0)
		return -errno;
	st->st_uid = i->uid; /* the gofer's view of the owners (refresh_fd) */
	st->st_gid = i->gid;
	return 0;
}

/* The host fd of the open file a change comes through (fchmod & co), or -1. */
static int
open_host_fd(const struct iattr *ia, const struct inode *i)
{
	return ia->file && ia->file->inode == i ? ia->file->host_fd : -1;
}

/* The gofer's target of a change: the object of that fd, whatever became of its name,
 * else the name (path). */
static const char *
target(int hfd, const char *path)
{
	if (hfd < 0)
		return path;
	gofer_by_fd(hfd);
	return "";
}

static int
rw_setattr(struct dentry *d, const struct iattr *ia)
{
	struct inode *i = d->inode;
	int mnt = d->sb->gofer_mount, err = 0;
	char path[GOFER_PATH_MAX] = "";
	struct stat st;
	bool got = false;
	bool by_fd = ia->file && ia->file->fops == &rw_file_fops && ia->file->host_fd >= 0;
	int hfd = open_host_fd(ia, i);

	if (((ia->valid & ATTR_UID) && ia->uid != i->uid) ||
	    ((ia->valid & ATTR_GID) && ia->gid != i->gid))
		return -EPERM; /* host ownership is the host's */
	/* a removed file has no name (rel: ENOENT): only an open file reaches it */
	if ((!by_fd && (ia->valid & ATTR_SIZE)) ||
	    (hfd < 0 && (ia->valid & (ATTR_MODE | ATTR_ATIME | ATTR_MTIME))))
		err = rel(d, NULL, path);
	if (!err && (ia->valid & ATTR_SIZE)) {
		if (by_fd)
			err = truncate_fd(i, ia->file->host_fd, ia->size, &st);
		else
			err = gofer_truncate(mnt, path, ia->size, &st);
		got = true;
	}
	if (!err && (ia->valid & ATTR_MODE) && (ia->mode & 07777) != (i->mode & 07777)) {
		err = gofer_chmod(mnt, target(hfd, path), ia->mode, &st);
		got = true;
	}
	if (!err && (ia->valid & (ATTR_ATIME | ATTR_MTIME))) {
		struct timespec ts[2] = { ia->atime, ia->mtime };

		if (!(ia->valid & ATTR_ATIME))
			ts[0].tv_nsec = UTIME_OMIT;
		if (!(ia->valid & ATTR_MTIME))
			ts[1].tv_nsec = UTIME_OMIT;
		err = gofer_utimens(mnt, target(hfd, path), ts, &st);
		got = true;
	}
	if (err)
		return err;
	if (got)
		refresh(i, &st);
	else
		inode_touch(i, false, true);
	return 0;
}

static int
rw_open(struct task *t, struct file *f)
{
	struct inode *i = f->inode;
	int acc = f->flags & O_ACCMODE;
	char path[GOFER_PATH_MAX];
	struct stat st;
	int fd, err;

	if (acc == O_ACCMODE && S_ISREG(i->mode)) { /* neither read nor write: ioctls only */
		fd = hostfs_open_fd(f->path.d);
		if (fd < 0)
			return fd;
		f->host_fd = fd;
		return 0;
	}
	if (acc == O_RDONLY || !S_ISREG(i->mode))
		return hostfs_open(t, f);
	err = rel(f->path.d, NULL, path);
	if (err)
		return err;
	fd = gofer_open(i->sb->gofer_mount, path, acc, 0, &st);
	if (fd < 0)
		return fd;
	f->host_fd = fd;
	f->fops = &rw_file_fops;
	refresh(i, &st);
	return 0;
}

static ssize_t
rw_write(struct file *f, const void *buf, size_t n, off_t *pos)
{
	struct stat st;
	ssize_t r;

	if ((f->flags & O_APPEND) && fstat(f->host_fd, &st) == 0)
		*pos = st.st_size;
	if (n == 0)
		return 0;
	do
		r = pwrite(f->host_fd, buf, n, *pos);
	while (r < 0 && errno == EINTR);
	if (r < 0)
		return -errno;
	*pos += r;
	refresh_fd(f->inode, f->host_fd);
	return r;
}

static int
rw_stat(struct file *f, struct stat *st)
{
	if (f->host_fd >= 0)
		refresh_fd(f->inode, f->host_fd);
	inode_fill_stat(f->inode, st);
	return 0;
}

/* On the open file, through its host fd (the sentry may not fallocate itself): whatever
 * became of its name, as Linux acts on the inode. */
static int
rw_fallocate(struct file *f, int mode, off_t off, off_t len)
{
	struct stat st;
	int err;

	gofer_by_fd(f->host_fd);
	err = gofer_fallocate(f->inode->sb->gofer_mount, "", mode, off, len, &st);
	if (err)
		return err;
	refresh(f->inode, &st);
	return 0;
}

static const struct file_ops rw_file_fops = {
	.fallocate = rw_fallocate,
	.read = hostfs_read,
	.write = rw_write,
	.pread = hostfs_pread,
	.llseek = hostfs_llseek,
	.stat = rw_stat,
	.pread_ok = true,
};

static const struct inode_ops rw_dir_iops = {
	.lookup = hostfs_lookup,
	.create = rw_create,
	.symlink = rw_symlink,
	.link = rw_link,
	.unlink = rw_unlink,
	.rename = rw_rename,
	.setattr = rw_setattr,
	.open = hostfs_open,
};

static const struct inode_ops rw_iops = {
	.readlink = hostfs_readlink,
	.setattr = rw_setattr,
	.open = rw_open,
};
