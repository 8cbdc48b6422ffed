/*
 * Inode flags (chattr, lsattr, xfs_io): FS_IOC_GETFLAGS / FS_IOC_SETFLAGS, the xflags of
 * FS_IOC_FSGETXATTR / FS_IOC_FSSETXATTR and file_getattr / file_setattr (Linux 6.17),
 * as Linux's fs/file_attr.c does them over each filesystem's fileattr operations:
 *   - tmpfs (shmem) regular files and directories keep immutable, append-only, nodump and
 *     noatime (the VFS enforces the first two, file.c the last); any other flag, and any
 *     extent size or project id, is EOPNOTSUPP; new objects inherit nodump and noatime;
 *   - the overlay's objects in memory (made inside, or copied up) are tmpfs objects and
 *     do the same; a host file shows none (the host's are not reached) and setting flags
 *     copies it up first, as overlayfs does; a host directory (merged, never copied)
 *     shows none and takes none, as do the files of --ro/--rw host mounts (hostfs);
 *   - everything else has no fileattr operations: the ioctls are ENOTTY, the calls
 *     EOPNOTSUPP.
 * Changing immutable or append-only needs CAP_LINUX_IMMUTABLE (in the initial user
 * namespace, as Linux's capable()); any change needs the owner or CAP_FOWNER.
 */
#include <string.h>

#include "fs/internal.h"
#include "sentry/ns.h"
#include "sentry/sentry.h"

/* FS_*_FL and FS_XFLAG_* (linux/fs.h, which clashes with glibc's headers) */
#define FL_SYNC 0x00000008U
#define FL_DAX 0x02000000U
#define FL_PROJINHERIT 0x20000000U
#define FL_COMMON (FL_SYNC | IFL_IMMUTABLE | IFL_APPEND | IFL_NODUMP | IFL_NOATIME | FL_DAX | \
		   FL_PROJINHERIT)
#define FL_USER_VISIBLE 0x0003dfffU
#define XF_PREALLOC 0x00000002U
#define XF_IMMUTABLE 0x00000008U
#define XF_APPEND 0x00000010U
#define XF_SYNC 0x00000020U
#define XF_NOATIME 0x00000040U
#define XF_NODUMP 0x00000080U
#define XF_PROJINHERIT 0x00000200U
#define XF_EXTSIZE 0x00000800U
#define XF_EXTSZINHERIT 0x00001000U
#define XF_DAX 0x00008000U
#define XF_COWEXTSIZE 0x00010000U
#define XF_HASATTR 0x80000000U
#define XF_COMMON (XF_IMMUTABLE | XF_APPEND | XF_SYNC | XF_NOATIME | XF_NODUMP | XF_DAX | \
		   XF_PROJINHERIT)
#define XF_ALL 0x8001fffbU        /* every defined xflag (Linux FS_XFLAGS_MASK) */
#define XF_RDONLY (XF_PREALLOC | XF_HASATTR) /* shown, never set */

/* The flags each xflag stands for (Linux fileattr_fill_flags / _xflags). */
static const struct {
	uint32_t fl, xf;
} fl_xf[] = {
	{ FL_SYNC, XF_SYNC },
	{ IFL_IMMUTABLE, XF_IMMUTABLE },
	{ IFL_APPEND, XF_APPEND },
	{ IFL_NODUMP, XF_NODUMP },
	{ IFL_NOATIME, XF_NOATIME },
	{ FL_DAX, XF_DAX },
	{ FL_PROJINHERIT, XF_PROJINHERIT },
};

void
vfs_fileattr_from_flags(struct vfs_fileattr *fa, uint32_t flags)
{
	memset(fa, 0, sizeof(*fa));
	fa->flags_valid = true;
	fa->flags = flags;
	for (size_t k = 0; k < ARRAY_SIZE(fl_xf); k++)
		if (flags & fl_xf[k].fl)
			fa->xflags |= fl_xf[k].xf;
}

int
vfs_fileattr_from_xflags(struct vfs_fileattr *fa, uint64_t xflags)
{
	memset(fa, 0, sizeof(*fa));
	if (xflags & ~(uint64_t)XF_ALL)
		return -EINVAL;
	fa->fsx_valid = true;
	fa->xflags = (uint32_t)xflags & ~XF_RDONLY;
	for (size_t k = 0; k < ARRAY_SIZE(fl_xf); k++)
		if (xflags & fl_xf[k].xf)
			fa->flags |= fl_xf[k].fl;
	return 0;
}

bool
file_append_only(struct file *f)
{
	return f->inode && IS_APPEND(f->inode);
}

enum { FA_NONE, FA_EMPTY, FA_TMPFS, FA_OVL_LOWER };

static int
fa_kind(struct inode *i)
{
	if (!S_ISREG(i->mode) && !S_ISDIR(i->mode))
		return FA_NONE; /* shmem's special and symlink inodes have no fileattr ops */
	if (!strcmp(i->sb->fstype, "tmpfs"))
		return FA_TMPFS;
	if (!strcmp(i->sb->fstype, "overlay") && !(i->ovl & OVL_I_LOWER))
		return FA_TMPFS;
	if (!strcmp(i->sb->fstype, "overlay") && S_ISREG(i->mode))
		return FA_OVL_LOWER;
	if (!strcmp(i->sb->fstype, "hostfs") || !strcmp(i->sb->fstype, "overlay"))
		return FA_EMPTY;
	return FA_NONE;
}

/* Linux vfs_fileattr_get: -ENOTTY when the filesystem has no fileattr ops. */
static int
fileattr_get(struct inode *i, struct vfs_fileattr *fa)
{
	switch (fa_kind(i)) {
	case FA_TMPFS:
		vfs_fileattr_from_flags(fa, i->iflags & FL_USER_VISIBLE);
		return 0;
	case FA_EMPTY:
	case FA_OVL_LOWER:
		vfs_fileattr_from_flags(fa, 0);
		return 0;
	default:
		return -ENOTTY;
	}
}

/* Linux fileattr_set_prepare: who may change what, and the extent size hints. */
static int
set_prepare(struct task *t, struct inode *i, const struct vfs_fileattr *old,
	    struct vfs_fileattr *fa)
{
	if (((fa->flags ^ old->flags) & (IFL_APPEND | IFL_IMMUTABLE)) &&
	    !task_capable(t, CAP_LINUX_IMMUTABLE))
		return -EPERM;
	if (!userns_is_initial(t)) {
		/* project quota ids change only from the initial user namespace */
		if (old->projid != fa->projid || ((old->xflags ^ fa->xflags) & XF_PROJINHERIT))
			return -EINVAL;
	} else if (old->projid != fa->projid && fa->projid == (uint32_t)-1) {
		return -EINVAL;
	}
	if ((fa->xflags & XF_EXTSIZE) && !S_ISREG(i->mode))
		return -EINVAL;
	if ((fa->xflags & XF_EXTSZINHERIT) && !S_ISDIR(i->mode))
		return -EINVAL;
	if ((fa->xflags & (XF_COWEXTSIZE | XF_DAX)) && !S_ISREG(i->mode) && !S_ISDIR(i->mode))
		return -EINVAL;
	if (!fa->extsize)
		fa->xflags &= ~(XF_EXTSIZE | XF_EXTSZINHERIT);
	if (!fa->cowextsize)
		fa->xflags &= ~XF_COWEXTSIZE;
	return 0;
}

/* Linux vfs_fileattr_set, then shmem_fileattr_set for tmpfs. */
static int
fileattr_set(struct task *t, struct path *p, struct vfs_fileattr *fa)
{
	struct inode *i = p->d->inode;
	struct vfs_fileattr old;
	int kind = fa_kind(i), err;

	if (kind == FA_NONE)
		return -ENOTTY;
	if (task_fsuid(t) != i->uid && !task_capable_wrt_ids(t, i->uid, -1, CAP_FOWNER))
		return -EPERM;
	fileattr_get(i, &old);
	/* what the request does not carry stays as it was */
	if (fa->flags_valid) {
		fa->xflags |= old.xflags & ~XF_COMMON;
		fa->extsize = old.extsize;
		fa->nextents = old.nextents;
		fa->projid = old.projid;
		fa->cowextsize = old.cowextsize;
	} else {
		fa->flags |= old.flags & ~FL_COMMON;
	}
	if ((err = set_prepare(t, i, &old, fa)))
		return err;
	bool fsx = fa->fsx_valid && ((fa->xflags & ~XF_COMMON) || fa->extsize || fa->projid ||
				     fa->cowextsize);
	uint32_t keep = IFL_IMMUTABLE | IFL_APPEND | IFL_NODUMP | IFL_NOATIME;
	if (kind == FA_EMPTY)
		return fsx || fa->flags ? -EOPNOTSUPP : 0;
	if (fsx || (fa->flags & ~keep))
		return -EOPNOTSUPP;
	if (kind == FA_OVL_LOWER && (err = ovl_copy_up(p->d, NULL)))
		return err;
	i->iflags = (i->iflags & ~keep) | (fa->flags & keep);
	inode_touch(i, false, true);
	return 0;
}

/* file_getattr / file_setattr: no fileattr ops is EOPNOTSUPP. */
static int
file_attr_at(struct task *t, struct file *dirf, const char *path, int at_flags,
	     struct vfs_fileattr *fa, bool set)
{
	struct path p;
	int err = vfs_resolve_at(t, dirf, path, at_flags, &p);

	if (err)
		return err;
	if (!set)
		err = fileattr_get(p.d->inode, fa);
	else if (!(err = may_write_fs(&p)))
		err = fileattr_set(t, &p, fa);
	path_put(&p);
	return err == -ENOTTY ? -EOPNOTSUPP : err;
}

int
vfs_file_getattr(struct task *t, struct file *dirf, const char *path, int at_flags,
		 struct vfs_fileattr *fa)
{
	return file_attr_at(t, dirf, path, at_flags, fa, false);
}

int
vfs_file_setattr(struct task *t, struct file *dirf, const char *path, int at_flags,
		 struct vfs_fileattr *fa)
{
	return file_attr_at(t, dirf, path, at_flags, fa, true);
}

/* struct fsxattr: xflags, extsize, nextents, projid, cowextsize, 8 bytes of padding */
struct fsxattr_ {
	uint32_t xflags, extsize, nextents, projid, cowextsize;
	unsigned char pad[8];
};

long
fileattr_ioctl(struct file *f, unsigned long cmd, void *arg)
{
	struct task *t = current_task;
	struct vfs_fileattr fa;
	struct fsxattr_ *x = arg;
	int err;

	if (!f->inode || !f->path.d)
		return -ENOIOCTLCMD;
	switch (cmd) {
	case FS_IOC_GETFLAGS_:
		if ((err = fileattr_get(f->inode, &fa)))
			return err == -ENOTTY ? -ENOIOCTLCMD : err;
		*(uint32_t *)arg = fa.flags;
		return 0;
	case FS_IOC_FSGETXATTR_:
		if ((err = fileattr_get(f->inode, &fa)))
			return err == -ENOTTY ? -ENOIOCTLCMD : err;
		memset(x, 0, sizeof(*x));
		x->xflags = fa.xflags;
		return 0;
	case FS_IOC_SETFLAGS_:
		vfs_fileattr_from_flags(&fa, *(uint32_t *)arg);
		break;
	case FS_IOC_FSSETXATTR_:
		if (vfs_fileattr_from_xflags(&fa, x->xflags))
			return -EOPNOTSUPP;
		fa.extsize = x->extsize;
		fa.projid = x->projid;
		fa.cowextsize = x->cowextsize;
		break;
	default:
		return -ENOIOCTLCMD;
	}
	err = may_write_fs(&f->path);
	if (!err)
		err = fileattr_set(t, &f->path, &fa);
	return err == -ENOTTY ? -ENOIOCTLCMD : err; /* no fileattr ops: the file's own ioctl */
}
