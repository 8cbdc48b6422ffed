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

enum { BY_PATH, BY_LINK, BY_FD };

struct xtarget {
	char *path;         /* NULL: f */
	struct file *f;
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

static int
xattr_target(struct task *t, int how, unsigned long arg, struct xtarget *x)
{
	*x = (struct xtarget){ 0 };
	if (how == BY_FD) {
		x->f = sys_fd_io(t, (long)arg);
		return x->f ? 0 : -EBADF;
	}
	x->at_flags = how == BY_LINK ? AT_SYMLINK_NOFOLLOW : 0;
	return path_from_guest(t, arg, &x->path);
}

static long
do_getxattr(struct task *t, int how, const struct sysargs *a)
{
	_cleanup_(xtarget_free) struct xtarget x = { 0 };
	_cleanup_free_ char *buf = NULL;
	char name[XATTR_NAME_MAX + 1];
	size_t size = MIN(a->a[3], (unsigned long)XATTR_SIZE_MAX);
	long r = xattr_name(t, a->a[1], name);

	if (!r)
		r = xattr_target(t, how, a->a[0], &x);
	if (r)
		return r;
	if (size)
		buf = xmalloc(size);
	r = vfs_getxattr(t, x.f, x.path, x.at_flags, name, buf, size);
	if (r == -ERANGE && size >= XATTR_SIZE_MAX)
		return -E2BIG;
	if (r > 0 && size && copy_to_guest(t, a->a[2], buf, r) < 0)
		return -EFAULT;
	return r;
}

static long
do_setxattr(struct task *t, int how, const struct sysargs *a)
{
	_cleanup_(xtarget_free) struct xtarget x = { 0 };
	_cleanup_free_ char *val = NULL;
	char name[XATTR_NAME_MAX + 1];
	size_t size = a->a[3];
	int flags = (int)a->a[4];
	long r;

	if (flags & ~(XATTR_CREATE | XATTR_REPLACE))
		return -EINVAL;
	r = xattr_name(t, a->a[1], name);
	if (r)
		return r;
	if (size > XATTR_SIZE_MAX)
		return -E2BIG;
	val = xmalloc(size ? size : 1);
	if (size && copy_from_guest(t, val, a->a[2], size) < 0)
		return -EFAULT;
	r = xattr_target(t, how, a->a[0], &x);
	return r ? r : vfs_setxattr(t, x.f, x.path, x.at_flags, name, val, size, flags);
}

static long
do_listxattr(struct task *t, int how, const struct sysargs *a)
{
	_cleanup_(xtarget_free) struct xtarget x = { 0 };
	_cleanup_free_ char *buf = NULL;
	size_t size = MIN(a->a[2], (unsigned long)XATTR_LIST_MAX);
	long r = xattr_target(t, how, a->a[0], &x);

	if (r)
		return r;
	if (size)
		buf = xmalloc(size);
	r = vfs_listxattr(t, x.f, x.path, x.at_flags, buf, size);
	if (r == -ERANGE && size >= XATTR_LIST_MAX)
		return -E2BIG;
	if (r > 0 && size && copy_to_guest(t, a->a[1], buf, r) < 0)
		return -EFAULT;
	return r;
}

static long
do_removexattr(struct task *t, int how, const struct sysargs *a)
{
	_cleanup_(xtarget_free) struct xtarget x = { 0 };
	char name[XATTR_NAME_MAX + 1];
	long r = xattr_name(t, a->a[1], name);

	if (!r)
		r = xattr_target(t, how, a->a[0], &x);
	return r ? r : vfs_removexattr(t, x.f, x.path, x.at_flags, name);
}

SYSCALL(getxattr) { return do_getxattr(t, BY_PATH, a); }
SYSCALL(lgetxattr) { return do_getxattr(t, BY_LINK, a); }
SYSCALL(fgetxattr) { return do_getxattr(t, BY_FD, a); }
SYSCALL(setxattr) { return do_setxattr(t, BY_PATH, a); }
SYSCALL(lsetxattr) { return do_setxattr(t, BY_LINK, a); }
SYSCALL(fsetxattr) { return do_setxattr(t, BY_FD, a); }
SYSCALL(listxattr) { return do_listxattr(t, BY_PATH, a); }
SYSCALL(llistxattr) { return do_listxattr(t, BY_LINK, a); }
SYSCALL(flistxattr) { return do_listxattr(t, BY_FD, a); }
SYSCALL(removexattr) { return do_removexattr(t, BY_PATH, a); }
SYSCALL(lremovexattr) { return do_removexattr(t, BY_LINK, a); }
SYSCALL(fremovexattr) { return do_removexattr(t, BY_FD, a); }

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
