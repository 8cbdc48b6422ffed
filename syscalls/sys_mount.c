/* mount(2) and umount2(2): the sandbox's own mount tree (fs/mount.c); nothing reaches the
 * host. */
#include <string.h>
#include <sys/mount.h>

#include "fs/vfs.h"
#include "syscalls/internal.h"

/* A string argument of mount (source, type): NULL stays NULL, at most a page. */
static long
mount_string(struct task *t, unsigned long addr, char **out)
{
	*out = NULL;
	if (!addr)
		return 0;
	char *s = xmalloc(PAGE_SIZE);
	long n = strncpy_from_guest(t, s, addr, PAGE_SIZE);
	if (n < 0) {
		free(s);
		return n == -ENAMETOOLONG ? -EINVAL : n;
	}
	*out = s;
	return 0;
}

SYSCALL(mount)
{
	_cleanup_free_ char *source = NULL, *target = NULL, *type = NULL, *data = NULL;
	unsigned long flags = a->a[3];
	long err;

	err = path_from_guest(t, a->a[1], &target);
	if (!err)
		err = mount_string(t, a->a[0], &source);
	if (!err)
		err = mount_string(t, a->a[2], &type);
	if (!err && a->a[4]) {
		/* options: up to a page, as much as can be read (Linux copy_mount_options) */
		data = xcalloc(1, PAGE_SIZE + 1);
		if (copy_from_guest_partial(t, data, a->a[4], PAGE_SIZE) == 0)
			err = -EFAULT;
	}
	if (err)
		return err;
	return vfs_mount(t, source, target, type, flags, data);
}

SYSCALL(umount2)
{
	_cleanup_free_ char *target = NULL;
	long err = path_from_guest(t, a->a[0], &target);

	return err ? err : vfs_umount(t, target, (int)a->a[1]);
}

SYSCALL(pivot_root)
{
	_cleanup_free_ char *new_root = NULL, *put_old = NULL;
	long err = path_from_guest(t, a->a[0], &new_root);

	if (!err)
		err = path_from_guest(t, a->a[1], &put_old);
	return err ? err : vfs_pivot_root(t, new_root, put_old);
}
