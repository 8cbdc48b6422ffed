/*
 * tmpfs: files in sentry memory. Directories are the dentry cache itself (children in
 * the parent's hash); regular files are sparse sets of 4 KiB pages (missing pages read
 * as zeros); symlinks keep their target text.
 */
#include <string.h>
#include <sys/mman.h>

#include "fs/internal.h"
#include "sentry/sentry.h"

#define TMPFS_MAX_FILESIZE ((off_t)1 << 43) /* 8 TiB of address space per file */

struct tpage {
	unsigned long idx;
	UT_hash_handle hh;
	char data[PAGE_SIZE];
};

struct tmpfs_node {
	struct tpage *pages;      /* regular files */
	unsigned long npages;
	int memfd;                /* >= 0 once mapped MAP_SHARED: the data lives there instead */
	unsigned long charged;    /* bytes charged against --memory: the pages, or the memfd's
				   * whole size (its pages are touched through mappings unseen) */
	char *target;             /* symlinks */
};

static const struct inode_ops tmpfs_file_iops;
static const struct inode_ops tmpfs_symlink_iops;
static const struct inode_ops tmpfs_special_iops;
static const struct file_ops tmpfs_file_fops;

static struct tmpfs_node *
node(struct inode *i)
{
	return i->priv;
}

/* Charges or releases guest memory for node n (sentry/limits.c: --memory). */
static int
charge(struct tmpfs_node *n, unsigned long bytes)
{
	int err = mem_charge(bytes);

	if (!err)
		n->charged += bytes;
	return err;
}

static void
uncharge(struct tmpfs_node *n, unsigned long bytes)
{
	bytes = MIN(bytes, n->charged);
	n->charged -= bytes;
	mem_uncharge(bytes);
}

static void
free_page(struct inode *i, struct tpage *p)
{
	struct tmpfs_node *n = node(i);

	HASH_DEL(n->pages, p);
	free(p);
	n->npages--;
	i->sb->bytes_used -= PAGE_SIZE;
	uncharge(n, PAGE_SIZE);
}

static void
tmpfs_free_priv(struct inode *i)
{
	struct tmpfs_node *n = node(i);
	struct tpage *p, *tmp;

	if (!n)
		return;
	HASH_ITER(hh, n->pages, p, tmp)
		free_page(i, p);
	if (n->memfd >= 0)
		close(n->memfd);
	uncharge(n, n->charged);
	free(n->target);
	free(n);
	i->priv = NULL;
}

static struct inode *
tmpfs_inode(struct super_block *sb, mode_t mode, uid_t uid, gid_t gid)
{
	struct inode *i = inode_new(sb, mode, uid, gid);

	i->priv = xcalloc(1, sizeof(struct tmpfs_node));
	node(i)->memfd = -1;
	i->free_priv = tmpfs_free_priv;
	if (S_ISDIR(mode)) {
		i->iops = &tmpfs_dir_iops;
		i->fops = &tmpfs_dir_fops;
		i->size = VFS_BLKSIZE;
	} else if (S_ISLNK(mode)) {
		i->iops = &tmpfs_symlink_iops;
		i->fops = &tmpfs_file_fops;
	} else if (S_ISFIFO(mode) || S_ISSOCK(mode)) {
		i->iops = &tmpfs_special_iops;
		i->fops = &tmpfs_file_fops;
	} else {
		i->iops = &tmpfs_file_iops;
		i->fops = &tmpfs_file_fops;
	}
	return i;
}

struct super_block *
tmpfs_new_sb(const char *source, unsigned long size_limit, mode_t root_mode)
{
	struct super_block *sb = sb_new("tmpfs", source, 0);
	struct dentry *root = d_alloc(NULL, "/");

	root->sb = sb;
	root->inode = tmpfs_inode(sb, S_IFDIR | (root_mode & 07777), 0, 0);
	sb->root = root;
	sb->size_limit = size_limit;
	return sb;
}

/* ---- data ---- */

static struct tpage *
find_page(struct inode *i, unsigned long idx)
{
	struct tpage *p = NULL;

	HASH_FIND(hh, node(i)->pages, &idx, sizeof(idx), p);
	return p;
}

static int
get_page(struct inode *i, unsigned long idx, struct tpage **out)
{
	struct super_block *sb = i->sb;
	struct tpage *p = find_page(i, idx);

	if (!p) {
		if (sb->size_limit && sb->bytes_used + PAGE_SIZE > sb->size_limit)
			return -ENOSPC;
		if (charge(node(i), PAGE_SIZE))
			return -ENOSPC;
		p = calloc(1, sizeof(*p));
		if (!p) {
			uncharge(node(i), PAGE_SIZE);
			return -ENOSPC;
		}
		p->idx = idx;
		HASH_ADD(hh, node(i)->pages, idx, sizeof(p->idx), p);
		node(i)->npages++;
		sb->bytes_used += PAGE_SIZE;
		i->blocks = node(i)->npages * (PAGE_SIZE / 512);
	}
	*out = p;
	return 0;
}

/* A shared-mapped file: its data is in a memfd, mapped for real by the stubs. */
static ssize_t
memfd_write(struct inode *i, const void *buf, size_t n, off_t off)
{
	struct super_block *sb = i->sb;
	off_t end = off + n;

	unsigned long grow = end > i->size ? PAGE_UP(end) - PAGE_UP(i->size) : 0;

	if (sb->size_limit && sb->bytes_used + grow > sb->size_limit)
		return -ENOSPC;
	if (grow && charge(node(i), grow))
		return -ENOSPC;
	ssize_t r = pwrite(node(i)->memfd, buf, n, off);
	if (r < 0) {
		uncharge(node(i), grow);
		return -errno;
	}
	if (off + r > i->size) {
		unsigned long used = PAGE_UP(off + r) - PAGE_UP(i->size);
		sb->bytes_used += used;
		uncharge(node(i), grow - used);
		i->size = off + r;
	} else {
		uncharge(node(i), grow);
	}
	i->blocks = PAGE_UP(i->size) / 512;
	return r;
}

/*
 * The file is about to be mapped MAP_SHARED: move its pages into a memfd, which the stubs
 * map for real, so the mapping and read/write see the same bytes in every process.
 * Returns the memfd or -errno.
 */
int
tmpfs_shared_fd(struct inode *i)
{
	struct tmpfs_node *n = node(i);
	struct tpage *p, *tmp;

	if (n->memfd >= 0)
		return n->memfd;
	/* From now on the whole size counts: pages are touched through mappings unseen. */
	unsigned long old_charge = n->charged, size_charge = PAGE_UP(i->size);
	if (size_charge > old_charge && charge(n, size_charge - old_charge))
		return -ENOMEM;
	int fd = memfd_create("sandbox-tmpfs", MFD_CLOEXEC);
	if (fd < 0) {
		uncharge(n, n->charged - old_charge);
		return -errno;
	}
	if (ftruncate(fd, i->size) < 0) {
		close(fd);
		return -ENOSPC;
	}
	HASH_ITER(hh, n->pages, p, tmp) {
		off_t off = (off_t)p->idx * PAGE_SIZE;
		size_t len = MIN(PAGE_SIZE, (size_t)(i->size - off));
		if (off < i->size && pwrite(fd, p->data, len, off) != (ssize_t)len) {
			close(fd);
			return -ENOSPC;
		}
	}
	unsigned long used = n->npages * PAGE_SIZE;
	unsigned long keep = n->charged;
	HASH_ITER(hh, n->pages, p, tmp)
		free_page(i, p);
	i->sb->bytes_used += used; /* the same bytes, now in the memfd */
	/* free_page released the pages' charge: the memfd's size stays charged */
	if (keep > n->charged) {
		mem_charge_force(keep - n->charged);
		n->charged = keep;
	}
	n->memfd = fd;
	return fd;
}

static ssize_t
data_write(struct inode *i, const void *buf, size_t n, off_t off)
{
	size_t done = 0;
	int err = 0;

	if (off > TMPFS_MAX_FILESIZE || (off_t)n > TMPFS_MAX_FILESIZE - off)
		return -EFBIG;
	if (node(i)->memfd >= 0)
		return memfd_write(i, buf, n, off);
	while (done < n) {
		off_t o = off + done;
		size_t in = o % PAGE_SIZE, chunk = MIN(n - done, PAGE_SIZE - in);
		struct tpage *p;

		err = get_page(i, o / PAGE_SIZE, &p);
		if (err)
			break;
		memcpy(p->data + in, (const char *)buf + done, chunk);
		done += chunk;
	}
	if (done == 0 && err)
		return err;
	if (off + (off_t)done > i->size)
		i->size = off + done;
	i->blocks = node(i)->npages * (PAGE_SIZE / 512);
	return done;
}

static ssize_t
data_read(struct inode *i, void *buf, size_t n, off_t off)
{
	size_t done = 0;

	if (off >= i->size)
		return 0;
	n = MIN(n, (size_t)(i->size - off));
	if (node(i)->memfd >= 0) {
		ssize_t r = pread(node(i)->memfd, buf, n, off);
		return r < 0 ? -errno : r;
	}
	while (done < n) {
		off_t o = off + done;
		size_t in = o % PAGE_SIZE, chunk = MIN(n - done, PAGE_SIZE - in);
		struct tpage *p = find_page(i, o / PAGE_SIZE);

		if (p)
			memcpy((char *)buf + done, p->data + in, chunk);
		else
			memset((char *)buf + done, 0, chunk);
		done += chunk;
	}
	return done;
}

static int
data_resize(struct inode *i, off_t size)
{
	struct tpage *p, *tmp;
	unsigned long keep = PAGE_UP(size) / PAGE_SIZE;

	if (size > TMPFS_MAX_FILESIZE)
		return -EFBIG;
	if (node(i)->memfd >= 0) {
		unsigned long want = PAGE_UP(size), have = node(i)->charged;
		if (want > have && charge(node(i), want - have))
			return -ENOSPC;
		if (ftruncate(node(i)->memfd, size) < 0) {
			if (want > have)
				uncharge(node(i), want - have);
			return -errno;
		}
		if (want < have)
			uncharge(node(i), have - want);
		i->size = size;
		i->blocks = PAGE_UP(size) / 512;
		return 0;
	}
	if (size < i->size) {
		HASH_ITER(hh, node(i)->pages, p, tmp)
			if (p->idx >= keep)
				free_page(i, p);
		p = find_page(i, size / PAGE_SIZE);
		if (p && size % PAGE_SIZE)
			memset(p->data + size % PAGE_SIZE, 0, PAGE_SIZE - size % PAGE_SIZE);
	}
	i->size = size;
	i->blocks = node(i)->npages * (PAGE_SIZE / 512);
	return 0;
}

int
tmpfs_mapped_fd(struct inode *i)
{
	return node(i)->memfd;
}

bool
tmpfs_is_file(struct inode *i)
{
	return i->iops == &tmpfs_file_iops;
}

int
tmpfs_set_data(struct inode *i, const void *data, size_t n)
{
	ssize_t r = data_resize(i, 0);

	if (!r)
		r = data_write(i, data, n, 0);
	return r < 0 ? (int)r : 0;
}

static ssize_t
tmpfs_read(struct file *f, void *buf, size_t n, off_t *pos)
{
	ssize_t r = data_read(f->inode, buf, n, *pos);

	if (r > 0)
		*pos += r;
	return r;
}

static ssize_t
tmpfs_write(struct file *f, const void *buf, size_t n, off_t *pos)
{
	struct inode *i = f->inode;
	ssize_t r;

	if (f->flags & O_APPEND)
		*pos = i->size; /* as on Linux, even for pwrite */
	if (n == 0)
		return 0;
	r = data_write(i, buf, n, *pos);
	if (r > 0) {
		*pos += r;
		inode_touch(i, true, true);
	}
	return r;
}

static const struct file_ops tmpfs_file_fops = {
	.read = tmpfs_read,
	.write = tmpfs_write,
	.pread_ok = true,
};

const struct file_ops tmpfs_dir_fops = {
	.getdents64 = dcache_getdents64,
	.pread_ok = true,
};

/* ---- attributes ---- */

static int
tmpfs_setattr(struct dentry *d, const struct iattr *ia)
{
	struct inode *i = d->inode;
	int err;

	if (ia->valid & ATTR_SIZE) {
		if (!S_ISREG(i->mode))
			return -EINVAL;
		if (ia->size != i->size) {
			err = data_resize(i, ia->size);
			if (err)
				return err;
		}
		inode_touch(i, true, false);
	}
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
	inode_touch(i, false, true);
	return 0;
}

static int
tmpfs_readlink(struct task *t, struct dentry *d, char **out)
{
	*out = xstrdup(node(d->inode)->target);
	return 0;
}

static const struct inode_ops tmpfs_file_iops = {
	.setattr = tmpfs_setattr,
};

/* Opening a socket is ENXIO on Linux too; fifos wait for the pipe layer. */
static int
tmpfs_special_open(struct task *t, struct file *f)
{
	return -ENXIO;
}

static const struct inode_ops tmpfs_special_iops = {
	.setattr = tmpfs_setattr,
	.open = tmpfs_special_open,
};

static const struct inode_ops tmpfs_symlink_iops = {
	.readlink = tmpfs_readlink,
	.setattr = tmpfs_setattr,
};

/* ---- directories ---- */

static int
tmpfs_create(struct dentry *dir, struct dentry *d, mode_t mode, dev_t rdev, uid_t uid, gid_t gid)
{
	struct inode *i = tmpfs_inode(dir->sb, mode, uid, gid);

	i->rdev = rdev;
	d->inode = i;
	if (S_ISDIR(mode))
		dir->inode->nlink++;
	inode_touch(dir->inode, true, true);
	return 0;
}

static int
tmpfs_symlink(struct dentry *dir, struct dentry *d, const char *target, uid_t uid, gid_t gid)
{
	struct super_block *sb = dir->sb;
	size_t len = strlen(target);
	struct inode *i;

	if (sb->size_limit && sb->bytes_used + len > sb->size_limit)
		return -ENOSPC;
	i = tmpfs_inode(sb, S_IFLNK | 0777, uid, gid);
	node(i)->target = xstrdup(target);
	i->size = len;
	d->inode = i;
	inode_touch(dir->inode, true, true);
	return 0;
}

static int
tmpfs_link(struct dentry *old, struct dentry *dir, struct dentry *d)
{
	struct inode *i = old->inode;

	if (i->nlink >= 65000)
		return -EMLINK;
	i->nlink++;
	inode_touch(i, false, true);
	d->inode = iget(i);
	inode_touch(dir->inode, true, true);
	return 0;
}

/* Drops one name of d's inode (the VFS unhashes the dentry). */
static void
drop_link(struct dentry *dir, struct dentry *d)
{
	struct inode *i = d->inode;

	if (S_ISDIR(i->mode)) {
		i->nlink = 0;
		dir->inode->nlink--;
	} else if (i->nlink > 0) {
		i->nlink--;
	}
	inode_touch(i, false, true);
}

static int
tmpfs_unlink(struct dentry *dir, struct dentry *d)
{
	drop_link(dir, d);
	inode_touch(dir->inode, true, true);
	return 0;
}

static int
tmpfs_rename(struct dentry *odir, struct dentry *od, struct dentry *ndir, struct dentry *nd,
	     unsigned flags)
{
	bool odirp = S_ISDIR(od->inode->mode);

	if (flags & RENAME_EXCHANGE) {
		bool ndirp = S_ISDIR(nd->inode->mode);

		if (odir != ndir && odirp != ndirp) {
			if (odirp) {
				odir->inode->nlink--;
				ndir->inode->nlink++;
			} else {
				ndir->inode->nlink--;
				odir->inode->nlink++;
			}
		}
		inode_touch(nd->inode, false, true);
	} else {
		if (nd->inode)
			drop_link(ndir, nd);
		if (odirp && odir != ndir) {
			odir->inode->nlink--;
			ndir->inode->nlink++;
		}
	}
	inode_touch(od->inode, false, true);
	inode_touch(odir->inode, true, true);
	inode_touch(ndir->inode, true, true);
	return 0;
}

const struct inode_ops tmpfs_dir_iops = {
	.create = tmpfs_create,
	.symlink = tmpfs_symlink,
	.link = tmpfs_link,
	.unlink = tmpfs_unlink,
	.rename = tmpfs_rename,
	.setattr = tmpfs_setattr,
};

/* Setup helper (devfs, sysfs): adds name under dir owned by root. */
struct dentry *
tmpfs_add(struct dentry *dir, const char *name, mode_t mode, const char *target)
{
	struct dentry *d = d_alloc(dir, name);

	if (S_ISLNK(mode))
		tmpfs_symlink(dir, d, target, 0, 0);
	else
		tmpfs_create(dir, d, mode, 0, 0, 0);
	d_hash(d);
	dput(d);
	return d;
}
