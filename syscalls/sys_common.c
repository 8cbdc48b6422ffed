/* Helpers shared by the syscall handlers: fd and dirfd decoding, path arguments. */
#include <fcntl.h>
#include <string.h>

#include "fs/vfs.h"
#include "platform/platform.h"
#include "syscalls/internal.h"

long
sys_value(struct task *t, long v)
{
	if (v > SYSRET_NATIVE || v < SYSRET_RESTART)
		return v;
	if (plat_syscall_set_result(t->ctx, v))
		return -EIO;
	t->result_set = true;
	return sysret(SYSRET_DONE);
}

struct file *
sys_fd(struct task *t, long fd)
{
	int n = (int)fd; /* the fd argument is a C int in Linux */

	if (n < 0 || !t->fdt)
		return NULL;
	if (t->wait_file && t->wait_fdnum == n && t->wait_rerun)
		return t->wait_file;
	t->last_fdnum = n;
	t->last_file = fdt_get(t->fdt, n);
	return t->last_file;
}

/* The call blocks on f: it keeps f across its re-runs (if the guest named it by
 * descriptor, the last one sys_fd looked up) until it ends. */
void
sys_hold_fd(struct task *t, struct file *f)
{
	if (t->wait_file || !f || t->last_file != f)
		return;
	t->wait_file = file_get(f);
	t->wait_fdnum = t->last_fdnum;
}

/* Installs a new file f at the lowest free descriptor and drops the caller's reference. */
long
sys_install(struct task *t, struct file *f, bool cloexec)
{
	long fd = fdt_install(t->fdt, f, 0, cloexec);

	file_put(f);
	return fd;
}

struct file *
sys_fd_io(struct task *t, long fd)
{
	struct file *f = sys_fd(t, fd);

	/* O_PATH descriptors only serve as anchors: I/O on them is -EBADF (fdget). */
	if (f && (file_get_flags(f) & O_PATH))
		return NULL;
	return f;
}

int
sys_dirfd(struct task *t, long dirfd, struct file **out)
{
	int n = (int)dirfd;

	*out = NULL;
	if (n == AT_FDCWD)
		return 0;
	*out = sys_fd(t, n);
	return *out ? 0 : -EBADF;
}

int
sys_dirfd_path(struct task *t, long dirfd, const char *path, struct file **out)
{
	int err;

	*out = NULL;
	if (path[0] == '/') /* Linux does not even look at dirfd */
		return 0;
	err = sys_dirfd(t, dirfd, out);
	if (err)
		return err;
	if (*out && path[0] && !file_is_dir(*out))
		return -ENOTDIR;
	return 0;
}

int
sys_path_arg(struct task *t, unsigned long addr, int at_flags, bool null_ok, char **out)
{
	int err;

	*out = NULL;
	if (addr == 0 && null_ok && (at_flags & AT_EMPTY_PATH)) {
		*out = xstrdup("");
		return 0;
	}
	err = path_from_guest(t, addr, out);
	if (err == -ENOENT && (at_flags & AT_EMPTY_PATH)) {
		*out = xstrdup("");
		return 0;
	}
	return err;
}

int
sys_copy_struct(struct task *t, void *dst, size_t ksize, unsigned long uaddr, size_t usize)
{
	unsigned char rest[64];

	memset(dst, 0, ksize);
	if (copy_from_guest(t, dst, uaddr, MIN(ksize, usize)) < 0)
		return -EFAULT;
	/* (no chunk crosses a page: a nonzero byte before an unmapped page is E2BIG, as
	 * Linux's word-by-word check_zeroed_user finds it first) */
	for (size_t off = ksize, n; off < usize; off += n) {
		n = MIN(sizeof(rest), usize - off);
		n = MIN(n, PAGE_SIZE - ((uaddr + off) & (PAGE_SIZE - 1)));

		if (copy_from_guest(t, rest, uaddr + off, n) < 0)
			return -EFAULT;
		for (size_t i = 0; i < n; i++)
			if (rest[i])
				return -E2BIG;
	}
	return 0;
}

mode_t
sys_umask_of(struct task *t)
{
	mode_t m = vfs_umask(t->fs, 0);

	vfs_umask(t->fs, m);
	return m;
}
