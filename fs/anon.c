/*
 * Pseudo filesystems for objects that live only in the sentry (pipes, eventfds, epoll):
 * never mounted, each inode reached through one dentry whose name is its whole path
 * ("pipe:[12]", "anon_inode:[eventfd]"), like Linux pipefs and anon_inodefs. fstat,
 * /proc/self/fd and file_path work on them as on any file.
 */
#include <stdio.h>
#include <string.h>

#include "fs/internal.h"
#include "sentry/sentry.h"

static void
pseudo_init(struct pseudo_fs *fs)
{
	if (fs->sb)
		return;
	fs->sb = sb_new(fs->fstype, fs->fstype, SB_PSEUDO);
	fs->sb->root = d_alloc(NULL, "/");
	fs->sb->root->sb = fs->sb;
	fs->sb->root->inode = inode_new(fs->sb, S_IFDIR | 0500, 0, 0);
	fs->mnt.id = 1;
	fs->mnt.sb = fs->sb;
	fs->mnt.root = fs->sb->root;
	fs->mnt.flags = MNT_NOSUID | MNT_NOEXEC | MNT_NODEV;
}

struct inode *
pseudo_inode(struct pseudo_fs *fs, mode_t mode, uid_t uid, gid_t gid)
{
	pseudo_init(fs);
	return inode_new(fs->sb, mode, uid, gid);
}

struct file *
pseudo_file(struct pseudo_fs *fs, struct inode *ino, const char *name,
	    const struct file_ops *fops, int flags)
{
	struct dentry *d;
	struct file *f;

	pseudo_init(fs);
	d = d_alloc(fs->sb->root, name);
	d->inode = ino;
	f = file_alloc(fops);
	f->path.mnt = &fs->mnt;
	f->path.d = d;
	f->inode = iget(ino);
	f->flags = flags; /* as Linux: no O_LARGEFILE on pipes and anon inodes */
	return f;
}

struct file *
pseudo_file_again(struct file *f, int flags)
{
	struct file *g = file_alloc(f->fops);

	g->path = path_get(f->path);
	g->inode = iget(f->inode);
	g->flags = flags;
	return g;
}

/* ---- anonymous inodes: eventfd, epoll ---- */

static struct pseudo_fs anonfs = { .fstype = "anon_inodefs" };

/* Linux cannot reopen an anonymous inode through /proc/self/fd. */
static int
anon_open(struct task *t, struct file *f)
{
	return -ENXIO;
}

/* Linux 6.11 anon_inode_setattr: no chmod, chown or utimes of an anonymous inode. */
static int
anon_setattr(struct dentry *d, const struct iattr *ia)
{
	return -EOPNOTSUPP;
}

static const struct inode_ops anon_iops = {
	.open = anon_open,
	.setattr = anon_setattr,
};

int
pseudo_setattr(struct dentry *d, const struct iattr *ia)
{
	if (ia->valid & ATTR_SIZE)
		return -EINVAL;
	inode_set_attrs(d->inode, ia);
	return 0;
}

struct file *
anon_file(const char *name, const struct file_ops *fops, void *priv,
	  void (*free_priv)(struct inode *), int flags)
{
	struct inode *ino = pseudo_inode(&anonfs, 0600, 0, 0);
	char path[64];

	ino->iops = &anon_iops;
	ino->fops = fops;
	ino->priv = priv;
	ino->free_priv = free_priv;
	snprintf(path, sizeof(path), "anon_inode:%s", name);
	return pseudo_file(&anonfs, ino, path, fops, flags);
}
