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
