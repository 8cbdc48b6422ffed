/* inotify_init, inotify_init1, inotify_add_watch, inotify_rm_watch (fs/inotify.c). */
#include <sys/inotify.h>

#include "fs/vfs.h"
#include "syscalls/internal.h"

#define ALL_INOTIFY_BITS \
	(IN_ALL_EVENTS | IN_UNMOUNT | IN_Q_OVERFLOW | IN_IGNORED | IN_ONLYDIR | IN_DONT_FOLLOW | \
	 IN_EXCL_UNLINK | IN_MASK_CREATE | IN_MASK_ADD | IN_ISDIR | IN_ONESHOT)

static long
do_init(struct task *t, int flags)
{
	_cleanup_(sys_file_putp) struct file *f = NULL;
	int err = vfs_inotify_init(t, flags, &f);

	return err ? err : fdt_install(t->fdt, f, 0, flags & IN_CLOEXEC);
}

SYSCALL(inotify_init)
{
	return do_init(t, 0);
}

SYSCALL(inotify_init1)
{
	return do_init(t, (int)a->a[0]);
}

/* Linux order: the mask, the descriptor, the instance, then the path. */
SYSCALL(inotify_add_watch)
{
	_cleanup_free_ char *path = NULL;
	uint32_t mask = (uint32_t)a->a[2];
	struct file *f;
	int err;

	if (!(mask & ALL_INOTIFY_BITS) || ((mask & IN_MASK_ADD) && (mask & IN_MASK_CREATE)))
		return -EINVAL;
	f = sys_fd(t, a->a[0]);
	if (!f)
		return -EBADF;
	err = path_from_guest(t, a->a[1], &path);
	if (err)
		return err;
	return vfs_inotify_add_watch(t, f, path, mask);
}

SYSCALL(inotify_rm_watch)
{
	struct file *f = sys_fd(t, a->a[0]);

	return f ? vfs_inotify_rm_watch(f, (int)a->a[1]) : -EBADF;
}
