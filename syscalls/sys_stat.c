/*
 * Metadata calls: the stat family (stat, fstat, lstat, newfstatat, statx, statfs, fstatfs),
 * access, readlink, chmod/chown/truncate/utimes families and extended attributes.
 */
#include <fcntl.h>
#include <limits.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/sysmacros.h>
#include <sys/time.h>
#include <time.h>
#include <utime.h>

#include "fs/vfs.h"
#include "sentry/ns.h"
#include "syscalls/internal.h"

#define STAT_AT_FLAGS (AT_SYMLINK_NOFOLLOW | AT_NO_AUTOMOUNT | AT_EMPTY_PATH | AT_STATX_SYNC_TYPE)

/* The arguments fstatat and statx share, in Linux's order of checks: the path (the
 * caller frees *path), the flags, the directory it starts from. */
static int
stat_args(struct task *t, long dirfd, unsigned long upath, int flags, char **path,
	  struct file **dirf)
{
	int err = sys_path_arg(t, upath, flags, true, path);

	if (err)
		return err;
	if (flags & ~STAT_AT_FLAGS)
		return -EINVAL;
	return sys_dirfd_path(t, dirfd, *path, dirf);
}

/* fstatat's core: "" (or NULL, since Linux 6.11) with AT_EMPTY_PATH means dirfd itself. */
static int
statat(struct task *t, long dirfd, unsigned long upath, int flags, struct stat *st)
{
	_cleanup_free_ char *path = NULL;
	struct file *dirf;
	int err = stat_args(t, dirfd, upath, flags, &path, &dirf);

	if (err)
		return err;
	if (!path[0] && dirf)
		return file_stat(dirf, st);
	return vfs_statat(t, dirf, path, flags & (AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH), st);
}

static long
stat_out(struct task *t, unsigned long ubuf, int err, const struct stat *st)
{
	if (err)
		return err;
	struct stat out = *st; /* owners as the caller's user namespace sees them */
	out.st_uid = userns_uid_out(t, st->st_uid);
	out.st_gid = userns_gid_out(t, st->st_gid);
	return copy_to_guest(t, ubuf, &out, sizeof(out)) < 0 ? -EFAULT : 0;
}

SYSCALL(stat)
{
	struct stat st;

	return stat_out(t, a->a[1], statat(t, AT_FDCWD, a->a[0], 0, &st), &st);
}

SYSCALL(lstat)
{
	struct stat st;

	return stat_out(t, a->a[1], statat(t, AT_FDCWD, a->a[0], AT_SYMLINK_NOFOLLOW, &st), &st);
}

SYSCALL(fstat)
{
	struct file *f = sys_fd(t, a->a[0]);
	struct stat st;

	if (!f)
		return -EBADF;
	return stat_out(t, a->a[1], file_stat(f, &st), &st);
}

SYSCALL(newfstatat)
{
	struct stat st;

	return stat_out(t, a->a[2], statat(t, a->a[0], a->a[1], (int)a->a[3], &st), &st);
}

static struct statx_timestamp
stx_time(struct timespec ts)
{
	struct statx_timestamp r = { .tv_sec = ts.tv_sec, .tv_nsec = (__u32)ts.tv_nsec };

	return r;
}

#define STATX_MNT_ID_ 0x1000U
#define STATX_MNT_ID_UNIQUE_ 0x4000U
#define STATX_ATTR_MOUNT_ROOT_ 0x2000ULL
/* What Linux offers in stx_attributes_mask everywhere (automount, mount root, DAX), and
 * what tmpfs adds (immutable, append, nodump). */
#define STATX_ATTRS_GENERIC 0x203000ULL
#define STATX_ATTRS_TMPFS 0x70ULL

/* The file statx looks at: dirfd itself for "" with AT_EMPTY_PATH, else an O_PATH open. */
static int
statx_file(struct task *t, long dirfd, unsigned long upath, int flags, struct file **out)
{
	_cleanup_free_ char *path = NULL;
	struct file *dirf;
	int err = stat_args(t, dirfd, upath, flags, &path, &dirf);

	*out = NULL;
	if (err)
		return err;
	if (!path[0]) {
		if (!(flags & AT_EMPTY_PATH))
			return -ENOENT;
		if (dirf) {
			*out = file_get(dirf);
			return 0;
		}
	}
	err = vfs_openat(t, dirf, path[0] ? path : ".",
			 O_PATH | ((flags & AT_SYMLINK_NOFOLLOW) ? O_NOFOLLOW : 0), 0, out);
	return err == VFS_BLOCK ? -EAGAIN : err;
}

SYSCALL(statx)
{
	int flags = (int)a->a[2];
	unsigned int mask = (unsigned int)a->a[3];
	_cleanup_(sys_file_putp) struct file *f = NULL;
	struct vfs_xstat x;
	struct statx sx;
	struct stat st;
	int err;

	if (mask & STATX__RESERVED)
		return -EINVAL;
	if ((flags & AT_STATX_SYNC_TYPE) == AT_STATX_SYNC_TYPE)
		return -EINVAL;
	err = statx_file(t, a->a[0], a->a[1], flags, &f);
	if (!err)
		err = file_stat(f, &st);
	if (err)
		return err;
	file_xstat(f, &x);
	memset(&sx, 0, sizeof(sx));
	sx.stx_mask = STATX_BASIC_STATS;
	sx.stx_blksize = st.st_blksize;
	sx.stx_nlink = st.st_nlink;
	sx.stx_uid = userns_uid_out(t, st.st_uid);
	sx.stx_gid = userns_gid_out(t, st.st_gid);
	sx.stx_mode = st.st_mode;
	sx.stx_ino = st.st_ino;
	sx.stx_size = st.st_size;
	sx.stx_blocks = st.st_blocks;
	sx.stx_atime = stx_time(st.st_atim);
	sx.stx_mtime = stx_time(st.st_mtim);
	sx.stx_ctime = stx_time(st.st_ctim);
	sx.stx_rdev_major = major(st.st_rdev);
	sx.stx_rdev_minor = minor(st.st_rdev);
	sx.stx_dev_major = major(st.st_dev);
	sx.stx_dev_minor = minor(st.st_dev);
	/* as Linux 6.13+: on multigrain-timestamp filesystems mtime and ctime only when one
	 * of them is asked for; the birth time when asked for and known; the mount id always */
	if (x.mgtime && !(mask & (STATX_MTIME | STATX_CTIME))) {
		sx.stx_mask &= ~(STATX_MTIME | STATX_CTIME);
		memset(&sx.stx_mtime, 0, sizeof(sx.stx_mtime));
		memset(&sx.stx_ctime, 0, sizeof(sx.stx_ctime));
	}
	if (x.has_btime && (mask & STATX_BTIME)) {
		sx.stx_mask |= STATX_BTIME;
		sx.stx_btime = stx_time(x.btime);
	}
	if (x.mnt_id) {
		sx.stx_mask |= (mask & STATX_MNT_ID_UNIQUE_) ? STATX_MNT_ID_UNIQUE_ : STATX_MNT_ID_;
		sx.stx_mnt_id = (__u64)x.mnt_id +
				(mask & STATX_MNT_ID_UNIQUE_ ? VFS_MNT_UNIQUE_ID_OFFSET : 0);
	}
	sx.stx_attributes_mask = STATX_ATTRS_GENERIC | (x.tmpfs ? STATX_ATTRS_TMPFS : 0);
	if (x.mount_root)
		sx.stx_attributes |= STATX_ATTR_MOUNT_ROOT_;
	/* shmem_getattr: immutable, append-only and nodump (STATX_ATTR_* share their bits) */
	sx.stx_attributes |= x.iflags & STATX_ATTRS_TMPFS;
	return copy_to_guest(t, a->a[4], &sx, sizeof(sx)) < 0 ? -EFAULT : 0;
}

static void
fill_statfs(struct file *f, struct statfs *sf)
{
	file_statfs(f, sf);
}

SYSCALL(statfs)
{
	_cleanup_free_ char *path = NULL;
	_cleanup_(sys_file_putp) struct file *f = NULL;
	struct statfs sf;
	int err = path_from_guest(t, a->a[0], &path);

	if (!err)
		err = vfs_openat(t, NULL, path, O_PATH | O_CLOEXEC, 0, &f);
	if (err)
		return err;
	fill_statfs(f, &sf);
	return copy_to_guest(t, a->a[1], &sf, sizeof(sf)) < 0 ? -EFAULT : 0;
}

/* Linux's ustat: the device number in the old encoding (major 12 bits, minor 20), a
 * mounted filesystem with it (EINVAL), its free blocks and inodes; no names. */
SYSCALL(ustat)
{
	_cleanup_(sys_file_putp) struct file *f = NULL;
	unsigned dev = a->a[0];
	struct statfs sf;
	struct {
		int f_tfree;
		unsigned long f_tinode;
		char f_fname[6], f_fpack[6];
	} u = { 0 };
	int err = vfs_open_dev_root(makedev((dev & 0xfff00) >> 8,
					    (dev & 0xff) | ((dev >> 12) & 0xfff00)), &f);

	if (err)
		return err;
	fill_statfs(f, &sf);
	u.f_tfree = (int)sf.f_bfree;
	u.f_tinode = sf.f_ffree;
	return copy_to_guest(t, a->a[1], &u, sizeof(u)) < 0 ? -EFAULT : 0;
}

/* The old sysfs(2) (not the filesystem): option 1, a type's index by name; 2, the name of
 * index arg1 into arg2; 3, how many there are (Linux fs/filesystems.c); else EINVAL. */
SYSCALL(sysfs)
{
	_cleanup_free_ char *name = NULL;
	unsigned long n = 0;
	long err;

	while (vfs_fs_types[n])
		n++;
	switch ((int)a->a[0]) {
	case 1:
		if ((err = path_from_guest(t, a->a[1], &name)))
			return err;
		for (unsigned long i = 0; i < n; i++)
			if (!strcmp(vfs_fs_types[i], name))
				return i;
		return -EINVAL;
	case 2:
		if ((unsigned)a->a[1] >= n)
			return -EINVAL;
		n = strlen(vfs_fs_types[(unsigned)a->a[1]]) + 1;
		return copy_to_guest(t, a->a[2], vfs_fs_types[(unsigned)a->a[1]], n) < 0 ? -EFAULT
											: 0;
	case 3:
		return n;
	default:
		return -EINVAL;
	}
}

SYSCALL(fstatfs)
{
	struct file *f = sys_fd(t, a->a[0]);
	struct statfs sf;

	if (!f)
		return -EBADF;
	fill_statfs(f, &sf);
	return copy_to_guest(t, a->a[1], &sf, sizeof(sf)) < 0 ? -EFAULT : 0;
}

static long
do_faccessat(struct task *t, long dirfd, unsigned long upath, int mode, int flags)
{
	_cleanup_free_ char *path = NULL;
	struct file *dirf;
	int err;

	if (mode & ~(R_OK | W_OK | X_OK))
		return -EINVAL;
	if (flags & ~(AT_EACCESS | AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH))
		return -EINVAL;
	err = sys_path_arg(t, upath, flags, false, &path);
	if (!err)
		err = sys_dirfd_path(t, dirfd, path, &dirf);
	if (err)
		return err;
	return vfs_accessat(t, dirf, path, mode, flags);
}

SYSCALL(access)
{
	return do_faccessat(t, AT_FDCWD, a->a[0], (int)a->a[1], 0);
}

SYSCALL(faccessat)
{
	return do_faccessat(t, a->a[0], a->a[1], (int)a->a[2], 0);
}

SYSCALL(faccessat2)
{
	return do_faccessat(t, a->a[0], a->a[1], (int)a->a[2], (int)a->a[3]);
}

static long
do_readlinkat(struct task *t, long dirfd, unsigned long upath, unsigned long ubuf, int bufsiz)
{
	_cleanup_free_ char *path = NULL, *buf = NULL;
	struct file *dirf;
	int len;
	int err;

	if (bufsiz <= 0)
		return -EINVAL;
	err = sys_path_arg(t, upath, AT_EMPTY_PATH, false, &path);
	if (!err)
		err = sys_dirfd_path(t, dirfd, path, &dirf);
	if (err)
		return err;
	buf = xmalloc(PATH_MAX);
	len = vfs_readlinkat(t, dirf, path, buf, MIN(bufsiz, PATH_MAX));
	if (len < 0)
		return len;
	return copy_to_guest(t, ubuf, buf, len) < 0 ? -EFAULT : len;
}

SYSCALL(readlink)
{
	return do_readlinkat(t, AT_FDCWD, a->a[0], a->a[1], (int)a->a[2]);
}

SYSCALL(readlinkat)
{
	return do_readlinkat(t, a->a[0], a->a[1], a->a[2], (int)a->a[3]);
}

/* ---- chmod, chown ---- */

static long
do_fchmodat(struct task *t, long dirfd, unsigned long upath, mode_t mode, int flags)
{
	_cleanup_free_ char *path = NULL;
	struct file *dirf;
	int err;

	if (flags & ~(AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH))
		return -EINVAL;
	err = sys_path_arg(t, upath, flags, false, &path);
	if (!err)
		err = sys_dirfd_path(t, dirfd, path, &dirf);
	if (err)
		return err;
	return vfs_chmodat(t, dirf, path, mode & 07777, flags);
}

SYSCALL(chmod)
{
	return do_fchmodat(t, AT_FDCWD, a->a[0], (mode_t)a->a[1], 0);
}

SYSCALL(fchmodat)
{
	return do_fchmodat(t, a->a[0], a->a[1], (mode_t)a->a[2], 0);
}

SYSCALL(fchmodat2)
{
	return do_fchmodat(t, a->a[0], a->a[1], (mode_t)a->a[2], (int)a->a[3]);
}

SYSCALL(fchmod)
{
	struct file *f = sys_fd_io(t, a->a[0]);

	/* the file_* attribute calls skip permission checks: go through the VFS */
	return f ? vfs_chmodat(t, f, "", (mode_t)a->a[1] & 07777, AT_EMPTY_PATH) : -EBADF;
}

/* chown's ids from the caller's user namespace: -1 keeps one; an unmapped one is EINVAL. */
static int
owner_ids_in(struct task *t, uid_t *uid, gid_t *gid)
{
	long ku = *uid == (uid_t)-1 ? -2 : userns_uid_in(t, *uid);
	long kg = *gid == (gid_t)-1 ? -2 : userns_gid_in(t, *gid);

	if (ku == -1 || kg == -1)
		return -EINVAL;
	if (ku >= 0)
		*uid = (uid_t)ku;
	if (kg >= 0)
		*gid = (gid_t)kg;
	return 0;
}

static long
do_fchownat(struct task *t, long dirfd, unsigned long upath, uid_t uid, gid_t gid, int flags)
{
	_cleanup_free_ char *path = NULL;
	struct file *dirf;
	int err;

	if (flags & ~(AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH))
		return -EINVAL;
	err = sys_path_arg(t, upath, flags, false, &path);
	if (!err)
		err = sys_dirfd_path(t, dirfd, path, &dirf);
	if (!err)
		err = owner_ids_in(t, &uid, &gid);
	if (err)
		return err;
	return vfs_chownat(t, dirf, path, uid, gid, flags);
}

SYSCALL(chown)
{
	return do_fchownat(t, AT_FDCWD, a->a[0], (uid_t)a->a[1], (gid_t)a->a[2], 0);
}

SYSCALL(lchown)
{
	return do_fchownat(t, AT_FDCWD, a->a[0], (uid_t)a->a[1], (gid_t)a->a[2],
			   AT_SYMLINK_NOFOLLOW);
}

SYSCALL(fchownat)
{
	return do_fchownat(t, a->a[0], a->a[1], (uid_t)a->a[2], (gid_t)a->a[3], (int)a->a[4]);
}

SYSCALL(fchown)
{
	struct file *f = sys_fd_io(t, a->a[0]);
	uid_t uid = (uid_t)a->a[1];
	gid_t gid = (gid_t)a->a[2];

	if (!f)
		return -EBADF;
	int err = owner_ids_in(t, &uid, &gid);
	return err ? err : vfs_chownat(t, f, "", uid, gid, AT_EMPTY_PATH);
}

/* ---- truncate ---- */

/* Growing a file past RLIMIT_FSIZE raises SIGXFSZ too (Linux inode_newsize_ok). */
static int
truncate_fsize_signal(struct task *t, int err, off_t len)
{
	rlim_t lim = sentry.rlim[RLIMIT_FSIZE].rlim_cur;

	if (err == -EFBIG && lim != RLIM_INFINITY && (rlim_t)len > lim)
		task_signal_self(t, SIGXFSZ);
	return err;
}

SYSCALL(truncate)
{
	_cleanup_free_ char *path = NULL;
	int err;

	if ((long)a->a[1] < 0)
		return -EINVAL;
	err = path_from_guest(t, a->a[0], &path);
	if (!err)
		err = vfs_truncate(t, path, (off_t)a->a[1]);
	return truncate_fsize_signal(t, err, (off_t)a->a[1]);
}

SYSCALL(ftruncate)
{
	struct file *f;
	struct stat st;
	int acc, err;

	if ((long)a->a[1] < 0)
		return -EINVAL;
	f = sys_fd_io(t, a->a[0]);
	if (!f)
		return -EBADF;
	acc = file_get_flags(f) & O_ACCMODE;
	if ((err = file_stat(f, &st)))
		return err;
	if (!S_ISREG(st.st_mode) || (acc != O_WRONLY && acc != O_RDWR))
		return -EINVAL;
	err = file_truncate(f, (off_t)a->a[1]);
	if (err)
		return truncate_fsize_signal(t, err, (off_t)a->a[1]);
	return vfs_file_remove_privs(t, f);
}

/* ---- utimes ---- */

static bool
nsec_valid(long ns)
{
	return ns == UTIME_NOW || ns == UTIME_OMIT || (ns >= 0 && ns <= 999999999);
}

/* Both UTIME_NOW is the same as no times (write permission suffices); otherwise the VFS
 * takes UTIME_NOW / UTIME_OMIT as they are, so an omitted time stays out of the change
 * (and of its inotify event). Returns 1 when ts should be passed as NULL. */
static int
resolve_times(struct task *t, struct file *dirf, const char *path, int flags,
	      struct timespec ts[2])
{
	return ts[0].tv_nsec == UTIME_NOW && ts[1].tv_nsec == UTIME_NOW;
}

/* Shared tail: path NULL-pointer (upath == 0) with a dirfd means the fd itself, which
 * Linux's do_utimes_fd takes with fdget (after the flags): an O_PATH one is EBADF there,
 * where AT_EMPTY_PATH's lookup through it is not. */
static long
do_utimes(struct task *t, long dirfd, unsigned long upath, struct timespec *ts, int flags)
{
	_cleanup_free_ char *path = NULL;
	struct file *dirf;
	struct stat st;
	int err;
	bool bad_times = ts && (!nsec_valid(ts[0].tv_nsec) || !nsec_valid(ts[1].tv_nsec));

	if (upath == 0 && (int)dirfd != AT_FDCWD) {
		if (flags)
			return -EINVAL;
		if (!sys_fd_io(t, dirfd))
			return -EBADF;
		path = xstrdup("");
		flags = AT_EMPTY_PATH;
	} else {
		if (flags & ~(AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH))
			return -EINVAL;
		err = sys_path_arg(t, upath, flags, false, &path);
		if (err)
			return err;
	}
	err = sys_dirfd_path(t, dirfd, path, &dirf);
	if (!err && bad_times) /* Linux's vfs_utimes checks them once the file is found */
		err = vfs_statat(t, dirf, path, flags, &st) ?: -EINVAL;
	if (!err && ts)
		err = resolve_times(t, dirf, path, flags, ts);
	if (err < 0)
		return err;
	if (err == 1)
		ts = NULL;
	return vfs_utimensat(t, dirf, path, ts, flags);
}

SYSCALL(utimensat)
{
	struct timespec ts[2];

	if (a->a[2]) {
		if (copy_from_guest(t, ts, a->a[2], sizeof(ts)) < 0)
			return -EFAULT;
		if (ts[0].tv_nsec == UTIME_OMIT && ts[1].tv_nsec == UTIME_OMIT)
			return 0;
	}
	return do_utimes(t, a->a[0], a->a[1], a->a[2] ? ts : NULL, (int)a->a[3]);
}

static long
do_futimesat(struct task *t, long dirfd, unsigned long upath, unsigned long utv)
{
	struct timeval tv[2];
	struct timespec ts[2];

	if (!utv)
		return do_utimes(t, dirfd, upath, NULL, 0);
	if (copy_from_guest(t, tv, utv, sizeof(tv)) < 0)
		return -EFAULT;
	for (int i = 0; i < 2; i++) {
		if (tv[i].tv_usec < 0 || tv[i].tv_usec >= 1000000)
			return -EINVAL;
		ts[i].tv_sec = tv[i].tv_sec;
		ts[i].tv_nsec = tv[i].tv_usec * 1000;
	}
	return do_utimes(t, dirfd, upath, ts, 0);
}

SYSCALL(utimes)
{
	return do_futimesat(t, AT_FDCWD, a->a[0], a->a[1]);
}

SYSCALL(futimesat)
{
	return do_futimesat(t, a->a[0], a->a[1], a->a[2]);
}

SYSCALL(utime)
{
	struct utimbuf ub;
	struct timespec ts[2] = { { 0 } };

	if (!a->a[1])
		return do_utimes(t, AT_FDCWD, a->a[0], NULL, 0);
	if (copy_from_guest(t, &ub, a->a[1], sizeof(ub)) < 0)
		return -EFAULT;
	ts[0].tv_sec = ub.actime;
	ts[1].tv_sec = ub.modtime;
	return do_utimes(t, AT_FDCWD, a->a[0], ts, 0);
}
