/*
 * Extended attributes: get/set/list/remove on a path (following symlinks or not) or a
 * descriptor (fs/xattr.c). Linux 6.x order: flags, the name (ERANGE for "" or more than
 * 255 bytes), the value (E2BIG past 64 KiB), then the path or descriptor.
 */
#include <fcntl.h>
#include <limits.h>
#include <linux/limits.h>
#include <sys/xattr.h>

#include "fs/vfs.h"
#include "syscalls/internal.h"

enum { BY_PATH, BY_LINK, BY_FD, BY_AT };

/* Which object a call names, as the guest gave it: a path (BY_PATH, BY_LINK) or fd (BY_FD)
 * in arg; for BY_AT the directory fd in arg, the path in upath and the AT_ flags. */
struct xobj {
	int how;
	unsigned long arg, upath;
	int at_flags;
};

struct xtarget {
	char *path;         /* NULL: f */
	struct file *f;     /* the file, or with path the directory (NULL: the cwd) */
	int at_flags;
};

static void
xtarget_free(struct xtarget *x)
{
	free(x->path);
}

static int
xattr_name(struct task *t, unsigned long uname, char name[XATTR_NAME_MAX + 1])
{
	long len = strncpy_from_guest(t, name, uname, XATTR_NAME_MAX + 1);

	if (len == -ENAMETOOLONG || len == 0)
		return -ERANGE;
	return len < 0 ? (int)len : 0;
}

/* BY_AT with AT_EMPTY_PATH and "" or NULL is the file of fd arg itself (an O_PATH one is
 * EBADF: Linux 6.13's fd branch), or the cwd for AT_FDCWD. */
static int
xattr_target(struct task *t, const struct xobj *o, struct xtarget *x)
{
	long fd = (long)(int)o->arg;
	int err;

	*x = (struct xtarget){ 0 };
	if (o->how == BY_FD) {
		x->f = sys_fd_io(t, (long)o->arg);
		return x->f ? 0 : -EBADF;
	}
	if (o->how != BY_AT) {
		x->at_flags = o->how == BY_LINK ? AT_SYMLINK_NOFOLLOW : 0;
		return path_from_guest(t, o->arg, &x->path);
	}
	if ((err = sys_path_arg(t, o->upath, o->at_flags, true, &x->path)))
		return err;
	if (!x->path[0] && fd >= 0) {
		free(x->path);
		x->path = NULL;
		x->f = sys_fd_io(t, fd);
		return x->f ? 0 : -EBADF;
	}
	x->at_flags = o->at_flags;
	return sys_dirfd_path(t, fd, x->path, &x->f);
}

static long
do_getxattr(struct task *t, const struct xobj *o, unsigned long uname, unsigned long ubuf,
	    size_t usize)
{
	_cleanup_(xtarget_free) struct xtarget x = { 0 };
	_cleanup_free_ char *buf = NULL;
	char name[XATTR_NAME_MAX + 1];
	size_t size = MIN(usize, (size_t)XATTR_SIZE_MAX);
	long r = xattr_name(t, uname, name);

	if (!r)
		r = xattr_target(t, o, &x);
	if (r)
		return r;
	if (size)
		buf = xmalloc(size);
	r = vfs_getxattr(t, x.f, x.path, x.at_flags, name, buf, size);
	if (r == -ERANGE && size >= XATTR_SIZE_MAX)
		return -E2BIG;
	if (r > 0 && size && copy_to_guest(t, ubuf, buf, r) < 0)
		return -EFAULT;
	return r;
}

static long
do_setxattr(struct task *t, const struct xobj *o, unsigned long uname, unsigned long uval,
	    size_t size, int flags)
{
	_cleanup_(xtarget_free) struct xtarget x = { 0 };
	_cleanup_free_ char *val = NULL;
	char name[XATTR_NAME_MAX + 1];
	long r;

	if (flags & ~(XATTR_CREATE | XATTR_REPLACE))
		return -EINVAL;
	r = xattr_name(t, uname, name);
	if (r)
		return r;
	if (size > XATTR_SIZE_MAX)
		return -E2BIG;
	val = xmalloc(size ? size : 1);
	if (size && copy_from_guest(t, val, uval, size) < 0)
		return -EFAULT;
	r = xattr_target(t, o, &x);
	return r ? r : vfs_setxattr(t, x.f, x.path, x.at_flags, name, val, size, flags);
}

static long
do_listxattr(struct task *t, const struct xobj *o, unsigned long ubuf, size_t usize)
{
	_cleanup_(xtarget_free) struct xtarget x = { 0 };
	_cleanup_free_ char *buf = NULL;
	size_t size = MIN(usize, (size_t)XATTR_LIST_MAX);
	long r = xattr_target(t, o, &x);

	if (r)
		return r;
	if (size)
		buf = xmalloc(size);
	r = vfs_listxattr(t, x.f, x.path, x.at_flags, buf, size);
	if (r == -ERANGE && size >= XATTR_LIST_MAX)
		return -E2BIG;
	if (r > 0 && size && copy_to_guest(t, ubuf, buf, r) < 0)
		return -EFAULT;
	return r;
}

static long
do_removexattr(struct task *t, const struct xobj *o, unsigned long uname)
{
	_cleanup_(xtarget_free) struct xtarget x = { 0 };
	char name[XATTR_NAME_MAX + 1];
	long r = xattr_name(t, uname, name);

	if (!r)
		r = xattr_target(t, o, &x);
	return r ? r : vfs_removexattr(t, x.f, x.path, x.at_flags, name);
}

#define X(how) (&(struct xobj){ (how), a->a[0], 0, 0 })
SYSCALL(getxattr) { return do_getxattr(t, X(BY_PATH), a->a[1], a->a[2], a->a[3]); }
SYSCALL(lgetxattr) { return do_getxattr(t, X(BY_LINK), a->a[1], a->a[2], a->a[3]); }
SYSCALL(fgetxattr) { return do_getxattr(t, X(BY_FD), a->a[1], a->a[2], a->a[3]); }
SYSCALL(setxattr) { return do_setxattr(t, X(BY_PATH), a->a[1], a->a[2], a->a[3], (int)a->a[4]); }
SYSCALL(lsetxattr) { return do_setxattr(t, X(BY_LINK), a->a[1], a->a[2], a->a[3], (int)a->a[4]); }
SYSCALL(fsetxattr) { return do_setxattr(t, X(BY_FD), a->a[1], a->a[2], a->a[3], (int)a->a[4]); }
SYSCALL(listxattr) { return do_listxattr(t, X(BY_PATH), a->a[1], a->a[2]); }
SYSCALL(llistxattr) { return do_listxattr(t, X(BY_LINK), a->a[1], a->a[2]); }
SYSCALL(flistxattr) { return do_listxattr(t, X(BY_FD), a->a[1], a->a[2]); }
SYSCALL(removexattr) { return do_removexattr(t, X(BY_PATH), a->a[1]); }
SYSCALL(lremovexattr) { return do_removexattr(t, X(BY_LINK), a->a[1]); }
SYSCALL(fremovexattr) { return do_removexattr(t, X(BY_FD), a->a[1]); }
#undef X

/* ---- setxattrat, getxattrat, listxattrat, removexattrat (Linux 6.13) ---- */

#define XATTR_ARGS_SIZE_VER0 16

struct xattr_args_ {
	uint64_t value;
	uint32_t size;
	uint32_t flags;
};

/* (dfd, path, at_flags, ...): the AT_ flags are checked first */
static long
xattrat_obj(const struct sysargs *a, struct xobj *o)
{
	*o = (struct xobj){ BY_AT, a->a[0], a->a[1], (int)a->a[2] };
	return o->at_flags & ~(AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH) ? -EINVAL : 0;
}

/* The struct xattr_args at a[4] of a[5] bytes (EINVAL below VER0, E2BIG past a page or
 * for a nonzero tail). */
static long
xattr_args(struct task *t, const struct sysargs *a, struct xattr_args_ *xa)
{
	size_t usize = a->a[5];

	if (usize < XATTR_ARGS_SIZE_VER0)
		return -EINVAL;
	if (usize > PAGE_SIZE)
		return -E2BIG;
	return sys_copy_struct(t, xa, sizeof(*xa), a->a[4], usize);
}

SYSCALL(setxattrat)
{
	struct xattr_args_ xa;
	struct xobj o;
	long err = xattr_args(t, a, &xa);

	if (err || (err = xattrat_obj(a, &o)))
		return err;
	return do_setxattr(t, &o, a->a[3], xa.value, xa.size, (int)xa.flags);
}

SYSCALL(getxattrat)
{
	struct xattr_args_ xa;
	struct xobj o;
	long err = xattr_args(t, a, &xa);

	if (err)
		return err;
	if (xa.flags)
		return -EINVAL;
	if ((err = xattrat_obj(a, &o)))
		return err;
	return do_getxattr(t, &o, a->a[3], xa.value, xa.size);
}

SYSCALL(listxattrat)
{
	struct xobj o;
	long err = xattrat_obj(a, &o);

	return err ? err : do_listxattr(t, &o, a->a[3], a->a[4]);
}

SYSCALL(removexattrat)
{
	struct xobj o;
	long err = xattrat_obj(a, &o);

	return err ? err : do_removexattr(t, &o, a->a[3]);
}

/* ---- file_getattr(2), file_setattr(2) (Linux 6.17): inode flags by path ---- */

#define FILE_ATTR_SIZE_VER0 24

struct file_attr_ {
	uint64_t fa_xflags;
	uint32_t fa_extsize, fa_nextents, fa_projid, fa_cowextsize;
};

/* The flags and the struct's size, checked first. */
static long
file_attr_check(const struct sysargs *a)
{
	if ((int)a->a[4] & ~(AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH))
		return -EINVAL;
	if (a->a[3] > PAGE_SIZE)
		return -E2BIG;
	return a->a[3] < FILE_ATTR_SIZE_VER0 ? -EINVAL : 0;
}

/* The object: path at dirfd (NULL or "" with AT_EMPTY_PATH: dirfd itself). */
static long
file_attr_target(struct task *t, const struct sysargs *a, char **path, struct file **dirf)
{
	long err = sys_path_arg(t, a->a[1], (int)a->a[4], true, path);

	return err ? err : sys_dirfd_path(t, (long)(int)a->a[0], *path, dirf);
}

SYSCALL(file_getattr)
{
	_cleanup_free_ char *path = NULL;
	struct vfs_fileattr fa;
	struct file_attr_ out = { 0 };
	struct file *dirf;
	size_t usize = a->a[3];
	long err = file_attr_check(a);

	if (!err)
		err = file_attr_target(t, a, &path, &dirf);
	if (!err)
		err = vfs_file_getattr(t, dirf, path, (int)a->a[4], &fa);
	if (err)
		return err;
	out.fa_xflags = fa.xflags;
	out.fa_extsize = fa.extsize;
	out.fa_nextents = fa.nextents;
	out.fa_projid = fa.projid;
	out.fa_cowextsize = fa.cowextsize;
	/* Linux copy_struct_to_user: a larger struct's tail reads as zeros */
	_cleanup_free_ char *buf = xcalloc(1, usize);
	memcpy(buf, &out, MIN(usize, sizeof(out)));
	return copy_to_guest(t, a->a[2], buf, usize) ? -EFAULT : 0;
}

SYSCALL(file_setattr)
{
	_cleanup_free_ char *path = NULL;
	struct vfs_fileattr fa;
	struct file_attr_ in;
	struct file *dirf;
	long err = file_attr_check(a);

	if (err || (err = sys_copy_struct(t, &in, sizeof(in), a->a[2], a->a[3])))
		return err;
	if ((err = vfs_fileattr_from_xflags(&fa, in.fa_xflags)))
		return err;
	fa.extsize = in.fa_extsize;
	fa.projid = in.fa_projid;
	fa.cowextsize = in.fa_cowextsize;
	err = file_attr_target(t, a, &path, &dirf);
	return err ? err : vfs_file_setattr(t, dirf, path, (int)a->a[4], &fa);
}
