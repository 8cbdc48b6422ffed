/*
 * Path and descriptor-table calls: open family, close, dup, fcntl, namespace operations
 * (mkdir, unlink, rename, link, symlink), cwd and root, sync and advisory calls.
 */
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <linux/close_range.h>
#include <linux/falloc.h>
#include <linux/fs.h>
#include <linux/openat2.h>

#include "fs/vfs.h"
#include "platform/platform.h"
#include "sentry/ns.h"
#include "syscalls/internal.h"

#define MFD_CLOEXEC_ 0x1U
#define MFD_ALLOW_SEALING_ 0x2U
#define MFD_HUGETLB_ 0x4U
#define MFD_NOEXEC_SEAL_ 0x8U
#define MFD_EXEC_ 0x10U
#define MFD_NAME_MAX_ (NAME_MAX - 6) /* NAME_MAX - strlen("memfd:") */

#define VALID_OPEN_FLAGS \
	(O_ACCMODE | O_CREAT | O_EXCL | O_NOCTTY | O_TRUNC | O_APPEND | O_NONBLOCK | O_SYNC | \
	 O_DSYNC | FASYNC | O_DIRECT | O_LARGEFILE | O_DIRECTORY | O_NOFOLLOW | O_NOATIME | \
	 O_CLOEXEC | O_PATH | O_TMPFILE | O_LARGEFILE_KERNEL)
#define O_LARGEFILE_KERNEL 0100000 /* glibc's O_LARGEFILE is 0 on x86-64 */
/* The kernel's __O_TMPFILE bit; glibc's __O_TMPFILE also includes O_DIRECTORY. */
#define KERNEL_O_TMPFILE 020000000
#define O_PATH_FLAGS (O_DIRECTORY | O_NOFOLLOW | O_PATH | O_CLOEXEC)
#define WILL_CREATE(fl) ((fl) & (O_CREAT | KERNEL_O_TMPFILE))
#define VALID_RESOLVE_FLAGS \
	(RESOLVE_NO_XDEV | RESOLVE_NO_MAGICLINKS | RESOLVE_NO_SYMLINKS | RESOLVE_BENEATH | \
	 RESOLVE_IN_ROOT | RESOLVE_CACHED)

/* build_open_flags(): the checks shared by every open flavour. */
static int
check_open_flags(unsigned long flags)
{
	int acc = flags & O_ACCMODE;

	if (flags & ~(unsigned long)VALID_OPEN_FLAGS)
		return -EINVAL;
	if ((flags & O_CREAT) && (flags & O_DIRECTORY))
		return -EINVAL;
	if (flags & KERNEL_O_TMPFILE) {
		if ((flags & (O_TMPFILE | O_CREAT)) != O_TMPFILE)
			return -EINVAL;
		if (acc == O_RDONLY)
			return -EINVAL;
	}
	if ((flags & O_PATH) && (flags & ~(unsigned long)O_PATH_FLAGS))
		return -EINVAL;
	return 0;
}

static long
do_open(struct task *t, long dirfd, unsigned long upath, int flags, mode_t mode,
	unsigned resolve)
{
	_cleanup_free_ char *path = NULL;
	_cleanup_(sys_file_putp) struct file *f = NULL;
	struct file *dirf;
	int err = check_open_flags((unsigned int)flags);

	if (err)
		return err;
	if (flags & (O_SYNC & ~O_DSYNC))
		flags |= O_DSYNC;
	err = path_from_guest(t, upath, &path);
	/* the descriptor before the walk (Linux do_sys_openat2): with none free, O_CREAT
	 * makes no file */
	if (!err)
		err = fdt_room(t->fdt);
	/* RESOLVE_IN_ROOT: an absolute path is below dirfd too */
	if (!err)
		err = sys_dirfd_path(t, dirfd, (resolve & RESOLVE_IN_ROOT) && path[0] == '/' ? "." : path,
				     &dirf);
	if (err)
		return err;
	/* the umask: applied by the VFS (not when the directory has a default ACL) */
	/* O_CLOEXEC belongs to the descriptor, not the open file (F_GETFL never shows it) */
	err = vfs_openat2(t, dirf, path, flags & ~O_CLOEXEC, mode, resolve, &f);
	if (err)
		return err == VFS_BLOCK ? sysret(SYSRET_BLOCK) : err;
	return fdt_install(t->fdt, f, 0, flags & O_CLOEXEC);
}

/* build_open_how() for the old calls: unknown bits are ignored, mode masked. */
static long
open_legacy(struct task *t, long dirfd, unsigned long upath, unsigned long flags,
	    unsigned long mode)
{
	int fl = (int)(flags & VALID_OPEN_FLAGS);

	if (fl & O_PATH)
		fl &= O_PATH_FLAGS;
	return do_open(t, dirfd, upath, fl, WILL_CREATE(fl) ? (mode & 07777) : 0, 0);
}

SYSCALL(open)
{
	return open_legacy(t, AT_FDCWD, a->a[0], a->a[1], a->a[2]);
}

SYSCALL(openat)
{
	return open_legacy(t, a->a[0], a->a[1], a->a[2], a->a[3]);
}

SYSCALL(creat)
{
	return open_legacy(t, AT_FDCWD, a->a[0], O_CREAT | O_WRONLY | O_TRUNC, a->a[1]);
}

SYSCALL(openat2)
{
	struct open_how how;
	size_t size = a->a[3];
	int err;

	if (size < sizeof(how))
		return -EINVAL;
	if (size > PAGE_SIZE)
		return -E2BIG;
	err = sys_copy_struct(t, &how, sizeof(how), a->a[2], size);
	if (err)
		return err;
	err = check_open_flags(how.flags);
	if (err)
		return err;
	if (how.resolve & ~(unsigned long long)VALID_RESOLVE_FLAGS)
		return -EINVAL;
	if ((how.resolve & RESOLVE_BENEATH) && (how.resolve & RESOLVE_IN_ROOT))
		return -EINVAL;
	if (WILL_CREATE(how.flags) ? (how.mode & ~07777ULL) != 0 : how.mode != 0)
		return -EINVAL;
	/* RESOLVE_CACHED: never for what would write; otherwise everything is at hand */
	if ((how.resolve & RESOLVE_CACHED) && (how.flags & (O_TRUNC | O_CREAT | KERNEL_O_TMPFILE)))
		return -EAGAIN;
	return do_open(t, a->a[0], a->a[1], (int)how.flags, (mode_t)how.mode,
		       (unsigned)(how.resolve & ~(unsigned long long)RESOLVE_CACHED));
}

SYSCALL(close)
{
	int fd = (int)a->a[0];

	if (fd < 0)
		return -EBADF;
	return fdt_close(t->fdt, fd);
}

/* CLOSE_RANGE_UNSHARE: give the task a private copy of a shared table. */
static int
unshare_fdt(struct task *t)
{
	struct fdtable *old = t->fdt, *nt;

	if (old->refs <= 1)
		return 0;
	nt = fdt_new();
	for (int i = 0; i < old->size; i++) {
		int r = old->files[i] ? fdt_install_at(nt, i, old->files[i], old->cloexec[i]) : 0;

		if (r < 0) {
			fdt_put(nt);
			return r;
		}
	}
	t->fdt = nt;
	fdt_put(old);
	return 0;
}

SYSCALL(close_range)
{
	unsigned int first = (unsigned int)a->a[0], last = (unsigned int)a->a[1];
	unsigned int flags = (unsigned int)a->a[2];
	int err;

	if (flags & ~(CLOSE_RANGE_UNSHARE | CLOSE_RANGE_CLOEXEC))
		return -EINVAL;
	if (first > last)
		return -EINVAL;
	if ((flags & CLOSE_RANGE_UNSHARE) && (err = unshare_fdt(t)))
		return err;
	for (unsigned int fd = first; fd <= last && fd < (unsigned int)t->fdt->size; fd++) {
		if (!t->fdt->files[fd])
			continue;
		if (flags & CLOSE_RANGE_CLOEXEC)
			t->fdt->cloexec[fd] = 1;
		else
			fdt_close(t->fdt, (int)fd);
	}
	return 0;
}

SYSCALL(dup)
{
	struct file *f = sys_fd(t, a->a[0]);

	if (!f)
		return -EBADF;
	return fdt_install(t->fdt, f, 0, false);
}

static long
do_dup3(struct task *t, long oldfd, unsigned int newfd, int flags)
{
	struct file *f;

	if (newfd >= (unsigned int)fdt_max_fds())
		return -EBADF;
	f = sys_fd(t, oldfd);
	if (!f)
		return -EBADF;
	return fdt_install_at(t->fdt, (int)newfd, f, flags & O_CLOEXEC);
}

SYSCALL(dup2)
{
	if ((int)a->a[0] == (int)a->a[1])
		return sys_fd(t, a->a[0]) ? (int)a->a[1] : -EBADF;
	return do_dup3(t, a->a[0], (unsigned int)a->a[1], 0);
}

SYSCALL(dup3)
{
	int flags = (int)a->a[2];

	if (flags & ~O_CLOEXEC)
		return -EINVAL;
	if ((int)a->a[0] == (int)a->a[1])
		return -EINVAL;
	return do_dup3(t, a->a[0], (unsigned int)a->a[1], flags);
}

/* POSIX and OFD record locks (fs/locks.c); F_SETLKW sleeps and re-runs. */
static long
fcntl_lock(struct task *t, struct file *f, unsigned int cmd, unsigned long arg)
{
	struct flock fl;
	int err;

	if (copy_from_guest(t, &fl, arg, sizeof(fl)) < 0)
		return -EFAULT;
	err = vfs_fcntl_lock(t, f, cmd, &fl);
	if (err == VFS_BLOCK)
		return sysret(SYSRET_BLOCK);
	if (err)
		return err;
	if ((cmd == F_GETLK || cmd == F_OFD_GETLK) && copy_to_guest(t, arg, &fl, sizeof(fl)) < 0)
		return -EFAULT;
	return 0;
}

/* F_GETPIPE_SZ / F_SETPIPE_SZ: -EBADF for anything but a pipe, as Linux. Above
 * /proc/sys/fs/pipe-max-size only root (CAP_SYS_RESOURCE) may grow a pipe. */
static long
fcntl_pipe(struct task *t, struct file *f, unsigned int cmd, unsigned long arg)
{
	if (cmd == F_GETPIPE_SZ)
		return file_pipe_size(f);
	return file_set_pipe_size(f, arg, task_capable(t, CAP_SYS_RESOURCE));
}

/* Linux 6.12: whether this open created the file */
#define F_CREATED_QUERY_ (1024 + 4)
#ifndef F_GETOWNER_UIDS
#define F_GETOWNER_UIDS 17 /* (asm-generic/fcntl.h, not glibc's fcntl.h) */
#endif

static bool
path_fcntl_ok(unsigned int cmd)
{
	return cmd == F_DUPFD || cmd == F_DUPFD_CLOEXEC || cmd == F_GETFD || cmd == F_SETFD ||
	       cmd == F_GETFL || cmd == F_CREATED_QUERY_;
}

SYSCALL(fcntl)
{
	int fd = (int)a->a[0];
	unsigned int cmd = (unsigned int)a->a[1];
	unsigned long arg = a->a[2];
	struct file *f = sys_fd(t, fd);

	if (!f || ((file_get_flags(f) & O_PATH) && !path_fcntl_ok(cmd)))
		return -EBADF;
	switch (cmd) {
	case F_DUPFD:
	case F_DUPFD_CLOEXEC:
		if (arg >= (unsigned long)fdt_max_fds())
			return -EINVAL;
		return fdt_install(t->fdt, f, (int)arg, cmd == F_DUPFD_CLOEXEC);
	case F_GETFD:
		return t->fdt->cloexec[fd] ? FD_CLOEXEC : 0;
	case F_SETFD:
		t->fdt->cloexec[fd] = (arg & FD_CLOEXEC) != 0;
		return 0;
	case F_GETFL: /* O_PATH files: no O_LARGEFILE, as on Linux */
		return (file_get_flags(f) & O_PATH) ? (file_get_flags(f) & (O_PATH_FLAGS & ~O_CLOEXEC))
						     : file_get_flags(f);
	case F_SETFL: {
		struct stat st;
		int r;

		/* Linux setfl: O_APPEND stays on a file of an append-only inode; turning
		 * O_NOATIME on or off is for the owner (or CAP_FOWNER) */
		if (((arg ^ file_get_flags(f)) & O_APPEND) && file_append_only(f))
			return -EPERM;
		if (((arg ^ file_get_flags(f)) & O_NOATIME) && t->euid != 0 &&
		    file_stat(f, &st) == 0 && st.st_uid != t->euid)
			return -EPERM;
		r = file_set_flags(f, (int)arg);
		if (r == 0)
			file_async_sync(f, fd);
		return r;
	}
	case F_GETLK: case F_SETLK: case F_SETLKW:
	case F_OFD_GETLK: case F_OFD_SETLK: case F_OFD_SETLKW:
		return fcntl_lock(t, f, cmd, arg);
	case F_GETPIPE_SZ:
	case F_SETPIPE_SZ:
		return fcntl_pipe(t, f, cmd, arg);
	case F_GETOWN: /* (-pgid: a group 100001..100005 stays a value, see sysret) */
	case F_SETOWN:
	case F_GETSIG:
	case F_SETSIG:
	case F_GETLEASE:
	case F_SETLEASE:
		return file_fcntl_async(t, f, cmd, arg);
	case F_GETOWN_EX:
	case F_SETOWN_EX: {
		struct { int type, pid; } o; /* struct f_owner_ex */

		if (cmd == F_GETOWN_EX) {
			file_owner_ex(t, f, &o.type, &o.pid, false);
			o.pid = task_vnr(t, o.pid); /* as the caller's pid namespace sees it */
			return copy_to_guest(t, arg, &o, sizeof(o)) < 0 ? -EFAULT : 0;
		}
		if (copy_from_guest(t, &o, arg, sizeof(o)) < 0)
			return -EFAULT;
		if (o.type != F_OWNER_TID && o.type != F_OWNER_PID && o.type != F_OWNER_PGRP)
			return -EINVAL;
		int g = pidns_global(task_pid_ns(t), o.pid);
		if (o.pid && !g)
			return -ESRCH;
		o.pid = g;
		return file_owner_ex(t, f, &o.type, &o.pid, true);
	}
	case F_GETOWNER_UIDS: {
		unsigned int ids[2];

		file_owner_uids(t, f, ids);
		return copy_to_guest(t, arg, ids, sizeof(ids)) < 0 ? -EFAULT : 0;
	}
	case F_CREATED_QUERY_:
		return file_created(f);
	case F_GET_RW_HINT: {
		uint64_t h = (uint64_t)file_fcntl_async(t, f, cmd, 0);

		return copy_to_guest(t, arg, &h, sizeof(h)) < 0 ? -EFAULT : 0;
	}
	case F_SET_RW_HINT: {
		uint64_t h;

		if (copy_from_guest(t, &h, arg, sizeof(h)) < 0)
			return -EFAULT;
		return file_fcntl_async(t, f, cmd, h > 5 ? 6 : (unsigned long)h);
	}
	case F_GET_SEALS:
		return file_get_seals(f);
	case F_ADD_SEALS:
		return file_add_seals(f, (unsigned int)arg);
	case F_NOTIFY:
		return vfs_dnotify(t, f, fd, arg);
	default:
		return -EINVAL;
	}
}

/* Linux order: LOCK_MAND is ignored (even for a bad fd), then the operation, then fd. */
SYSCALL(flock)
{
	unsigned int cmd = (unsigned int)a->a[1], op = cmd & ~LOCK_NB;
	struct file *f;
	int err;

	if (cmd & 32) /* LOCK_MAND: a no-op since Linux 5.17 */
		return 0;
	if (op != LOCK_SH && op != LOCK_EX && op != LOCK_UN)
		return -EINVAL;
	f = sys_fd_io(t, a->a[0]);
	if (!f)
		return -EBADF;
	err = vfs_flock(t, f, (int)op, cmd & LOCK_NB);
	return err == VFS_BLOCK ? sysret(SYSRET_BLOCK) : err;
}

SYSCALL(fadvise64)
{
	struct file *f = sys_fd_io(t, a->a[0]);
	struct stat st;

	if (!f)
		return -EBADF;
	if (file_stat(f, &st) == 0 && S_ISFIFO(st.st_mode))
		return -ESPIPE;
	if ((long)a->a[2] < 0 || (unsigned int)a->a[3] > 5) /* POSIX_FADV_NORMAL..NOREUSE */
		return -EINVAL;
	return 0;
}

SYSCALL(readahead)
{
	struct file *f = sys_fd_io(t, a->a[0]);
	struct stat st;
	int acc;

	if (!f)
		return -EBADF;
	acc = file_get_flags(f) & O_ACCMODE;
	if (acc != O_RDONLY && acc != O_RDWR)
		return -EBADF;
	if (file_stat(f, &st) < 0 || !S_ISREG(st.st_mode))
		return -EINVAL;
	return 0;
}

struct cachestat_ {
	uint64_t nr_cache, nr_dirty, nr_writeback, nr_evicted, nr_recently_evicted;
};

/* Linux's order: the fd, the range (EFAULT), hugetlbfs (none here), permission (EPERM),
 * flags. The sentry's tmpfs pages are never dirty, under writeback or evicted (no swap);
 * a host-backed file's page cache is the host's: the stub asks it with its own fd. */
SYSCALL(cachestat)
{
	struct file *f = sys_fd_io(t, a->a[0]);
	struct { uint64_t off, len; } r;
	struct cachestat_ cs = { 0 };
	unsigned long cached;
	struct stat st;

	if (!f)
		return -EBADF;
	if (copy_from_guest(t, &r, a->a[1], sizeof(r)) < 0)
		return -EFAULT;
	if (!file_may_cachestat(t, f))
		return -EPERM;
	if ((unsigned)a->a[3])
		return -EINVAL;
	unsigned long first = r.off / PAGE_SIZE;
	unsigned long last = r.len ? (r.off + r.len - 1) / PAGE_SIZE : ULONG_MAX;
	int hostfd = file_cached_pages(f, first, last, &cached);
	if (hostfd >= 0 && fstat(hostfd, &st) == 0) {
		long fd = plat_stub_fd(t->ctx, hostfd, st.st_dev, st.st_ino, false);

		return fd < 0 ? fd : plat_inject(t->ctx, __NR_cachestat, fd, a->a[1], a->a[2], 0, 0, 0);
	}
	cs.nr_cache = cached;
	return copy_to_guest(t, a->a[2], &cs, sizeof(cs)) < 0 ? -EFAULT : 0;
}

SYSCALL(fallocate)
{
	struct file *f = sys_fd_io(t, a->a[0]);
	off_t off = (off_t)a->a[2], len = (off_t)a->a[3];
	rlim_t lim = sentry.rlim[RLIMIT_FSIZE].rlim_cur;
	int mode = (int)a->a[1], err;

	if (!f)
		return -EBADF;
	err = file_fallocate(f, mode, off, len);
	if (!err)
		err = vfs_file_remove_privs(t, f);
	/* growing a file past RLIMIT_FSIZE also raises SIGXFSZ (inode_newsize_ok) */
	if (err == -EFBIG && lim != RLIM_INFINITY && off <= INT64_MAX - len &&
	    (rlim_t)(off + len) > lim)
		task_signal_self(t, SIGXFSZ);
	return err;
}

/* Resolves (dirfd, path) arguments: path copied in, dirfd checked against it. */
static int
path_at(struct task *t, long dirfd, unsigned long upath, char **path, struct file **dirf)
{
	int err = path_from_guest(t, upath, path);

	return err ? err : sys_dirfd_path(t, dirfd, *path, dirf);
}

static long
do_mkdirat(struct task *t, long dirfd, unsigned long upath, mode_t mode)
{
	_cleanup_free_ char *path = NULL;
	struct file *dirf;
	int err = path_at(t, dirfd, upath, &path, &dirf);

	if (err)
		return err;
	return vfs_mkdirat(t, dirf, path, mode & 07777); /* the VFS applies the umask */
}

SYSCALL(mkdir)
{
	return do_mkdirat(t, AT_FDCWD, a->a[0], (mode_t)a->a[1]);
}

SYSCALL(mkdirat)
{
	return do_mkdirat(t, a->a[0], a->a[1], (mode_t)a->a[2]);
}

static long
do_mknodat(struct task *t, long dirfd, unsigned long upath, mode_t mode, unsigned int dev)
{
	_cleanup_free_ char *path = NULL;
	struct file *dirf;
	int err;

	switch (mode & S_IFMT) {
	case 0:
		mode |= S_IFREG;
		break;
	case S_IFREG: case S_IFCHR: case S_IFBLK: case S_IFIFO: case S_IFSOCK:
		break;
	case S_IFDIR:
		return -EPERM;
	default:
		return -EINVAL;
	}
	err = path_at(t, dirfd, upath, &path, &dirf);
	if (err)
		return err;
	mode = (mode & S_IFMT) | (mode & 07777); /* the VFS applies the umask */
	/* the syscall takes the kernel's 32-bit "new" encoding */
	return vfs_mknodat(t, dirf, path, mode,
			   makedev((dev & 0xfff00) >> 8, (dev & 0xff) | ((dev >> 12) & 0xfff00)));
}

SYSCALL(mknod)
{
	return do_mknodat(t, AT_FDCWD, a->a[0], (mode_t)a->a[1], (unsigned int)a->a[2]);
}

SYSCALL(mknodat)
{
	return do_mknodat(t, a->a[0], a->a[1], (mode_t)a->a[2], (unsigned int)a->a[3]);
}

static long
do_unlinkat(struct task *t, long dirfd, unsigned long upath, int flags)
{
	_cleanup_free_ char *path = NULL;
	struct file *dirf;
	int err;

	if (flags & ~AT_REMOVEDIR)
		return -EINVAL;
	err = path_at(t, dirfd, upath, &path, &dirf);
	if (err)
		return err;
	return vfs_unlinkat(t, dirf, path, flags);
}

SYSCALL(rmdir)
{
	return do_unlinkat(t, AT_FDCWD, a->a[0], AT_REMOVEDIR);
}

SYSCALL(unlink)
{
	return do_unlinkat(t, AT_FDCWD, a->a[0], 0);
}

SYSCALL(unlinkat)
{
	return do_unlinkat(t, a->a[0], a->a[1], (int)a->a[2]);
}

static long
do_renameat2(struct task *t, long odfd, unsigned long uold, long ndfd, unsigned long unew,
	     unsigned int flags)
{
	_cleanup_free_ char *opath = NULL, *npath = NULL;
	struct file *odir, *ndir;
	int err;

	if (flags & ~(RENAME_NOREPLACE | RENAME_EXCHANGE | RENAME_WHITEOUT))
		return -EINVAL;
	if ((flags & (RENAME_NOREPLACE | RENAME_WHITEOUT)) && (flags & RENAME_EXCHANGE))
		return -EINVAL;
	err = path_at(t, odfd, uold, &opath, &odir);
	if (!err)
		err = path_at(t, ndfd, unew, &npath, &ndir);
	if (err)
		return err;
	return vfs_renameat2(t, odir, opath, ndir, npath, flags);
}

SYSCALL(rename)
{
	return do_renameat2(t, AT_FDCWD, a->a[0], AT_FDCWD, a->a[1], 0);
}

SYSCALL(renameat)
{
	return do_renameat2(t, a->a[0], a->a[1], a->a[2], a->a[3], 0);
}

SYSCALL(renameat2)
{
	return do_renameat2(t, a->a[0], a->a[1], a->a[2], a->a[3], (unsigned int)a->a[4]);
}

static long
do_linkat(struct task *t, long odfd, unsigned long uold, long ndfd, unsigned long unew,
	  int flags)
{
	_cleanup_free_ char *opath = NULL, *npath = NULL;
	struct file *odir, *ndir;
	int err;

	if (flags & ~(AT_SYMLINK_FOLLOW | AT_EMPTY_PATH))
		return -EINVAL;
	err = sys_path_arg(t, uold, flags, false, &opath);
	if (!err)
		err = sys_dirfd_path(t, odfd, opath, &odir);
	if (!err)
		err = path_at(t, ndfd, unew, &npath, &ndir);
	if (err)
		return err;
	return vfs_linkat(t, odir, opath, ndir, npath, flags);
}

SYSCALL(link)
{
	return do_linkat(t, AT_FDCWD, a->a[0], AT_FDCWD, a->a[1], 0);
}

SYSCALL(linkat)
{
	return do_linkat(t, a->a[0], a->a[1], a->a[2], a->a[3], (int)a->a[4]);
}

static long
do_symlinkat(struct task *t, unsigned long utarget, long dirfd, unsigned long upath)
{
	_cleanup_free_ char *target = NULL, *path = NULL;
	struct file *dirf;
	int err = path_from_guest(t, utarget, &target);

	if (!err)
		err = path_at(t, dirfd, upath, &path, &dirf);
	if (err)
		return err;
	return vfs_symlinkat(t, target, dirf, path);
}

SYSCALL(symlink)
{
	return do_symlinkat(t, a->a[0], AT_FDCWD, a->a[1]);
}

SYSCALL(symlinkat)
{
	return do_symlinkat(t, a->a[0], a->a[1], a->a[2]);
}

SYSCALL(chdir)
{
	_cleanup_free_ char *path = NULL;
	int err = path_from_guest(t, a->a[0], &path);

	return err ? err : vfs_chdir(t, NULL, path);
}

SYSCALL(fchdir)
{
	struct file *f = sys_fd(t, a->a[0]);

	return f ? vfs_fchdir(t, f) : -EBADF;
}

SYSCALL(getcwd)
{
	_cleanup_free_ char *buf = xmalloc(PATH_MAX);
	int len = vfs_getcwd(t, buf, PATH_MAX);

	if (len < 0)
		return len;
	if ((unsigned long)len > a->a[1])
		return -ERANGE;
	if (copy_to_guest(t, a->a[0], buf, len) < 0)
		return -EFAULT;
	return len;
}

SYSCALL(chroot)
{
	_cleanup_free_ char *path = NULL;
	int err = path_from_guest(t, a->a[0], &path);

	return err ? err : vfs_chroot(t, path);
}

SYSCALL(umask)
{
	return vfs_umask(t->fs, (mode_t)a->a[0] & 0777);
}

SYSCALL(fsync)
{
	struct file *f = sys_fd_io(t, a->a[0]);

	return f ? file_fsync(f) : -EBADF;
}

SYSCALL(fdatasync)
{
	struct file *f = sys_fd_io(t, a->a[0]);

	return f ? file_fsync(f) : -EBADF;
}

SYSCALL(sync)
{
	return 0; /* everything lives in sentry memory or behind the gofer */
}

SYSCALL(syncfs)
{
	return sys_fd_io(t, a->a[0]) ? 0 : -EBADF;
}

/* Linux ksys_sync_file_range: argument checks, then nothing to start (sentry memory) or
 * what fsync does (host files). */
SYSCALL(sync_file_range)
{
	struct file *f;
	off_t off = (off_t)a->a[1], n = (off_t)a->a[2], end;
	unsigned int flags = (unsigned int)a->a[3];
	struct stat st;

	f = sys_fd_io(t, a->a[0]); /* (the fd first, as Linux) */
	if (!f)
		return -EBADF;
	if (flags & ~7U) /* WAIT_BEFORE | WRITE | WAIT_AFTER */
		return -EINVAL;
	if (off < 0 || n < 0 || __builtin_add_overflow(off, n, &end))
		return -EINVAL;
	if (file_stat(f, &st) < 0 ||
	    !(S_ISREG(st.st_mode) || S_ISDIR(st.st_mode) || S_ISLNK(st.st_mode) ||
	      S_ISBLK(st.st_mode)))
		return -ESPIPE;
	return flags ? file_fsync(f) : 0;
}

/* memfd_create: a file on the sentry's internal tmpfs, mode 0777 as Linux (0666 with
 * MFD_NOEXEC_SEAL, which also allows sealing). MFD_HUGETLB is refused with EINVAL. */
SYSCALL(memfd_create)
{
	unsigned int flags = (unsigned int)a->a[1];
	char name[MFD_NAME_MAX_ + 1];
	struct file *f;
	long n, fd;
	int err;

	if (flags & ~(MFD_CLOEXEC_ | MFD_ALLOW_SEALING_ | MFD_HUGETLB_ | MFD_NOEXEC_SEAL_ |
		      MFD_EXEC_ | (0x3fU << 26)))
		return -EINVAL;
	if (!(flags & MFD_HUGETLB_) && (flags & (0x3fU << 26)))
		return -EINVAL;
	if ((flags & MFD_EXEC_) && (flags & MFD_NOEXEC_SEAL_))
		return -EINVAL;
	n = strncpy_from_guest(t, name, a->a[0], sizeof(name));
	if (n == -ENAMETOOLONG)
		return -EINVAL;
	if (n < 0)
		return n;
	if (flags & MFD_HUGETLB_)
		return -EINVAL;
	err = vfs_memfd_create(t, name, flags & MFD_NOEXEC_SEAL_ ? 0666 : 0777,
			       flags & (MFD_ALLOW_SEALING_ | MFD_NOEXEC_SEAL_), &f);
	if (err)
		return err;
	fd = fdt_install(t->fdt, f, 0, flags & MFD_CLOEXEC_);
	file_put(f);
	return fd;
}

/* ---- file handles (fs/fhandle.c) ---- */

#define AT_HANDLE_FID_ 0x200
#define AT_HANDLE_MNT_ID_UNIQUE_ 0x001
#define AT_HANDLE_CONNECTABLE_ 0x002
#define FILEID_INVALID_ 0xff
#define FILEID_VALID_USER_FLAGS_ 0x30000 /* FILEID_IS_CONNECTABLE | FILEID_IS_DIR */

/* Linux do_sys_name_to_handle: the object first (EOPNOTSUPP when its filesystem cannot
 * export it), then the caller's handle header, its size, the mount id, the handle. */
SYSCALL(name_to_handle_at)
{
	int flags = (int)a->a[4];
	_cleanup_free_ char *path = NULL;
	struct file *dirf;
	struct vfs_handle h;
	struct { uint32_t bytes; int32_t type; } hdr;
	unsigned fh_flags = 0;
	int mnt_id, err;

	if (flags & ~(AT_SYMLINK_FOLLOW | AT_EMPTY_PATH | AT_HANDLE_FID_ |
		      AT_HANDLE_MNT_ID_UNIQUE_ | AT_HANDLE_CONNECTABLE_))
		return -EINVAL;
	if ((flags & AT_HANDLE_CONNECTABLE_) && (flags & AT_HANDLE_FID_))
		return -EINVAL;
	if (flags & AT_HANDLE_CONNECTABLE_)
		fh_flags |= VFS_FH_CONNECTABLE;
	else if (flags & AT_HANDLE_FID_)
		fh_flags |= VFS_FH_FID;
	err = sys_path_arg(t, a->a[1], flags & AT_EMPTY_PATH, false, &path);
	if (!err)
		err = sys_dirfd_path(t, (long)(int)a->a[0], path, &dirf);
	if (err)
		return err;
	err = vfs_name_to_handle(t, dirf, path, (flags & AT_EMPTY_PATH) |
				 ((flags & AT_SYMLINK_FOLLOW) ? 0 : AT_SYMLINK_NOFOLLOW),
				 fh_flags, &h, &mnt_id);
	if (err)
		return err;
	if (copy_from_guest(t, &hdr, a->a[2], sizeof(hdr)))
		return -EFAULT;
	if (hdr.bytes > VFS_HANDLE_MAX)
		return -EINVAL;
	long ret = 0;
	unsigned body = h.bytes;
	if (h.bytes > hdr.bytes) {
		/* the size it needs, no body; the type says invalid as Linux's does */
		ret = -EOVERFLOW;
		body = 0;
		h.type = FILEID_INVALID_;
	}
	if (flags & AT_HANDLE_MNT_ID_UNIQUE_) {
		uint64_t id = VFS_MNT_UNIQUE_ID_OFFSET + (uint64_t)mnt_id;
		if (copy_to_guest(t, a->a[3], &id, sizeof(id)))
			ret = -EFAULT;
	} else if (copy_to_guest(t, a->a[3], &mnt_id, sizeof(mnt_id))) {
		ret = -EFAULT;
	}
	hdr.bytes = h.bytes;
	hdr.type = h.type;
	if (copy_to_guest(t, a->a[2], &hdr, sizeof(hdr)) ||
	    (body && copy_to_guest(t, a->a[2] + sizeof(hdr), h.f, body)))
		ret = -EFAULT;
	return ret;
}

/* Linux handle_to_path and do_handle_open: the mount anchor, the capability, the handle's
 * header and body, then the object opened as open(2) would open it. */
SYSCALL(open_by_handle_at)
{
	int mfd = (int)a->a[0];
	int flags = (int)(a->a[2] & VALID_OPEN_FLAGS);
	struct file *anchor = NULL;
	struct vfs_handle h;
	struct { uint32_t bytes; int32_t type; } hdr;
	_cleanup_(sys_file_putp) struct file *f = NULL;

	if (mfd != AT_FDCWD && !(anchor = sys_fd(t, mfd)))
		return -EBADF;
	if (!task_capable(t, CAP_DAC_READ_SEARCH) &&
	    !((flags & O_DIRECTORY) && task_capable(t, CAP_SYS_ADMIN)))
		return -EPERM;
	if (copy_from_guest(t, &hdr, a->a[1], sizeof(hdr)))
		return -EFAULT;
	if (hdr.bytes > VFS_HANDLE_MAX || hdr.bytes == 0)
		return -EINVAL;
	if (hdr.type < 0 || ((unsigned)hdr.type & 0xffff0000U & ~FILEID_VALID_USER_FLAGS_))
		return -EINVAL;
	h.bytes = hdr.bytes;
	h.type = hdr.type;
	if (copy_from_guest(t, h.f, a->a[1] + sizeof(hdr), hdr.bytes))
		return -EFAULT;
	if (flags & O_PATH)
		flags &= O_PATH_FLAGS;
	int err = vfs_open_by_handle(t, anchor, &h, flags & ~O_CLOEXEC, &f);
	if (err)
		return err == VFS_BLOCK ? sysret(SYSRET_BLOCK) : err; /* a FIFO's other end */
	return fdt_install(t->fdt, f, 0, flags & O_CLOEXEC);
}
