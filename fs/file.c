/* Open file descriptions: references and the file_* operations. */
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/random.h>
#include <sys/sysmacros.h>
#include <termios.h>

#include <sys/resource.h>

#include <net/if.h>
#include <linux/sockios.h>

#include "fs/internal.h"
#include "sentry/ns.h"
#include "sentry/sentry.h"

#define MAX_RW_COUNT (INT_MAX & ~(PAGE_SIZE - 1)) /* Linux caps one read/write at this */

static unsigned long nr_files; /* allocated, for /proc/sys/fs/file-nr */

unsigned long
vfs_nr_files(void)
{
	return nr_files;
}

struct file *
file_alloc(const struct file_ops *fops)
{
	struct file *f = xcalloc(1, sizeof(*f));

	nr_files++;
	f->refs = 1;
	f->fops = fops;
	f->host_fd = -1;
	f->ll_access = LL_FS_ALL;
	return f;
}

int
file_created(struct file *f)
{
	return f->created;
}

int
exe_deny(struct file *f)
{
	if (!f->inode || !S_ISREG(f->inode->mode))
		return 0;
	/* (Linux lets a memfd still open for writing be run; opens for writing while it
	 * runs are refused as for any file) */
	if (f->inode->nwrite > 0 && !vfs_memfd_inode(f->inode))
		return -ETXTBSY;
	f->inode->deny_write++;
	file_get(f);
	return 0;
}

void
exe_allow(struct file *f)
{
	if (!f)
		return;
	if (f->inode && S_ISREG(f->inode->mode))
		f->inode->deny_write--;
	file_put(f);
}

struct file *
file_get(struct file *f)
{
	if (f)
		f->refs++;
	return f;
}

void
file_put(struct file *f)
{
	if (!f)
		return;
	BUG_ON(f->refs <= 0);
	if (--f->refs > 0) {
		if (file_is_socket(f))
			sock_file_unref(f); /* only messages hold it now? (unix socket cycles) */
		return;
	}
	if (f->notify_close)
		fsnotify_file(f, (f->flags & O_ACCMODE) == O_RDONLY ? IN_CLOSE_NOWRITE : IN_CLOSE_WRITE);
	if (f->ep_links)
		epoll_file_gone(f);
	fasync_file_gone(f);
	if (f->inode && f->inode->marks)
		dnotify_close(f, NULL);
	file_locks_release(f);
	if (f->counted && f->inode) {
		if ((f->flags & O_ACCMODE) == O_RDONLY)
			f->inode->nread--;
		else
			f->inode->nwrite--;
	}
	if (f->fops && f->fops->release)
		f->fops->release(f);
	path_put(&f->path);
	iput(f->inode);
	landlock_put(f->ll_fown);
	if (f->host_fd >= 0)
		close(f->host_fd);
	free(f);
	nr_files--;
}

static bool
can_read(struct file *f)
{
	int acc = f->flags & O_ACCMODE;

	return !(f->flags & O_PATH) && (acc == O_RDONLY || acc == O_RDWR);
}

static bool
can_write(struct file *f)
{
	int acc = f->flags & O_ACCMODE;

	return !(f->flags & O_PATH) && (acc == O_WRONLY || acc == O_RDWR);
}

static int
check_rw(struct file *f, bool write)
{
	if (write ? !can_write(f) : !can_read(f))
		return -EBADF;
	if (f->inode && S_ISDIR(f->inode->mode))
		return -EISDIR;
	if (write ? !f->fops->write : !f->fops->read)
		return -EINVAL;
	return 0;
}

static bool
ts_le(struct timespec a, struct timespec b)
{
	return a.tv_sec < b.tv_sec || (a.tv_sec == b.tv_sec && a.tv_nsec <= b.tv_nsec);
}

static void
accessed(struct inode *i, bool strict)
{
	struct timespec now;

	if (!i || (i->iflags & IFL_NOATIME) || (strcmp(i->sb->fstype, "tmpfs") && strcmp(i->sb->fstype, "overlay") &&
		   strcmp(i->sb->fstype, "hostfs")))
		return;
	vfs_timestamp(&now);
	/* relatime: only when atime is not after mtime or ctime, or a day old */
	if (strict || ts_le(i->atime, i->mtime) || ts_le(i->atime, i->ctime) ||
	    now.tv_sec - i->atime.tv_sec >= 24 * 3600)
		i->atime = now;
}

void
inode_accessed(struct inode *i)
{
	accessed(i, false);
}

bool
file_readable_by(struct task *t, struct file *f)
{
	return f->inode && inode_permission(t, f->inode, MAY_READ) == 0;
}

/* Linux touch_atime: none on noatime mounts (nodiratime: none for directories),
 * every time on strictatime ones, else relatime. */
int
file_exec_ok(struct task *t, struct file *f)
{
	if (!f->inode || !S_ISREG(f->inode->mode) || file_noexec(f))
		return -EACCES;
	return inode_permission(t, f->inode, MAY_EXEC);
}

bool
file_noexec(struct file *f)
{
	return f->path.mnt && f->path.d && (f->path.mnt->flags & MNT_NOEXEC);
}

bool
file_nosuid(struct file *f)
{
	return f->path.mnt && f->path.d && (f->path.mnt->flags & MNT_NOSUID);
}

int
vfs_ctx_users(const struct fs_context *c)
{
	return c->refs;
}

void
file_accessed(struct file *f)
{
	struct mount *m = f->path.mnt;

	if (f->flags & (O_NOATIME | O_PATH))
		return;
	if (m && ((m->flags & MNT_NOATIME) ||
		  ((m->flags & MNT_NODIRATIME) && f->inode && S_ISDIR(f->inode->mode))))
		return;
	accessed(f->inode, m && (m->flags & MNT_STRICTATIME));
}

/* inotify: IN_ACCESS / IN_MODIFY when data moved. */
static ssize_t
notify_rw(struct file *f, ssize_t r, uint32_t mask)
{
	if (r > 0)
		fsnotify_file(f, mask);
	return r;
}

/* Linux rw_verify_area on the file position of a regular file: position + count wraps. */
static bool
pos_wraps(struct file *f, size_t n)
{
	off_t end;

	return f->inode && S_ISREG(f->inode->mode) && n <= (size_t)SSIZE_MAX &&
	       __builtin_add_overflow(f->pos, (off_t)n, &end);
}

ssize_t
file_read(struct file *f, void *buf, size_t n)
{
	int err = check_rw(f, false);

	if (err)
		return err;
	if (pos_wraps(f, n))
		return -EINVAL;
	ssize_t r = f->fops->read(f, buf, MIN(n, MAX_RW_COUNT), &f->pos);
	if (r >= 0 && n > 0 && f->inode && S_ISREG(f->inode->mode))
		file_accessed(f); /* Linux filemap_read, even at the end of the file */
	return notify_rw(f, r, IN_ACCESS);
}

/* RLIMIT_FSIZE, as Linux's generic_write_check_limits: regular files only; a write that
 * starts at or past the limit fails with EFBIG (the syscall layer sends SIGXFSZ), one that
 * crosses it is shortened. */
static int
fsize_limit(struct file *f, off_t pos, size_t *n)
{
	rlim_t lim = sentry.rlim[RLIMIT_FSIZE].rlim_cur;

	if (lim == RLIM_INFINITY || !f->inode || !S_ISREG(f->inode->mode) || *n == 0)
		return 0;
	if (f->flags & O_APPEND)
		pos = f->inode->size;
	if ((rlim_t)pos >= lim) {
		limit_refused(LIMIT_FSIZE, "write");
		return -EFBIG;
	}
	if (*n > lim - pos)
		*n = lim - pos;
	return 0;
}

int
file_write_room(struct file *f, const off_t *pos, size_t *n)
{
	return fsize_limit(f, pos ? *pos : f->pos, n);
}

ssize_t
file_write(struct file *f, const void *buf, size_t n)
{
	int err = check_rw(f, true);

	if (!err && !(f->flags & O_APPEND) && pos_wraps(f, n))
		err = -EINVAL;
	n = MIN(n, MAX_RW_COUNT);
	if (!err)
		err = fsize_limit(f, f->pos, &n);
	if (err)
		return err;
	return notify_rw(f, f->fops->write(f, buf, n, &f->pos), IN_MODIFY);
}

size_t
file_rw_min(struct file *f, bool wr)
{
	return wr ? f->fops->write_min : f->fops->read_min;
}

bool
file_rw_zero(struct file *f, bool wr)
{
	return wr ? f->fops->write_zero : f->fops->read_zero;
}

int
file_rw_able(struct file *f, bool wr)
{
	if (wr ? !can_write(f) : !can_read(f))
		return -EBADF;
	if (!wr && f->inode && S_ISDIR(f->inode->mode))
		return 0;
	return (wr ? f->fops->write != NULL : f->fops->read != NULL) ? 0 : -EINVAL;
}

bool
file_seekable(struct file *f)
{
	return f->fops->pread || f->fops->pwrite || f->fops->pread_ok;
}

bool
file_pwritable(struct file *f)
{
	return file_seekable(f) && !(f->fops->seq_file && f->fops->seq_file(f));
}

ssize_t
file_pread(struct file *f, void *buf, size_t n, off_t off)
{
	int err = check_rw(f, false);

	if (err)
		return err;
	if (off < 0)
		return -EINVAL;
	ssize_t r;
	if (f->fops->pread)
		r = f->fops->pread(f, buf, MIN(n, MAX_RW_COUNT), off);
	else if (!f->fops->pread_ok)
		return -ESPIPE;
	else
		r = f->fops->read(f, buf, MIN(n, MAX_RW_COUNT), &off);
	if (r >= 0 && n > 0 && f->inode && S_ISREG(f->inode->mode))
		file_accessed(f);
	return notify_rw(f, r, IN_ACCESS);
}

ssize_t
file_pwrite(struct file *f, const void *buf, size_t n, off_t off)
{
	int err = check_rw(f, true);

	if (err)
		return err;
	if (off < 0)
		return -EINVAL;
	n = MIN(n, MAX_RW_COUNT);
	err = fsize_limit(f, off, &n);
	if (err)
		return err;
	if (f->fops->pwrite)
		return notify_rw(f, f->fops->pwrite(f, buf, n, off), IN_MODIFY);
	if (!f->fops->pread_ok)
		return -ESPIPE;
	return notify_rw(f, f->fops->write(f, buf, n, &off), IN_MODIFY);
}

off_t
file_whence_base(struct file *f, int whence, off_t size)
{
	switch (whence) {
	case SEEK_SET:
		return 0;
	case SEEK_CUR:
		return f->pos;
	case SEEK_END:
		return size;
	default:
		return -EINVAL;
	}
}

/* Files without a position (pipes, sockets, terminals): lseek is ESPIPE. */
off_t
no_llseek(struct file *f, off_t off, int whence)
{
	return -ESPIPE;
}

/* Files whose position means nothing (eventfd, epoll, signalfd, inotify): lseek succeeds
 * and changes nothing, as Linux's noop_llseek. */
off_t
noop_llseek(struct file *f, off_t off, int whence)
{
	return f->pos;
}

off_t
generic_llseek(struct file *f, off_t off, int whence, off_t size)
{
	off_t base;

	switch (whence) {
	case SEEK_DATA:
		if (off < 0 || off >= size)
			return -ENXIO;
		f->pos = off;
		return off;
	case SEEK_HOLE:
		if (off < 0 || off >= size)
			return -ENXIO;
		f->pos = size;
		return size;
	}
	base = file_whence_base(f, whence, size);
	if (base < 0)
		return base;
	if ((off > 0 && base > INT64_MAX - off) || base + off < 0)
		return -EINVAL;
	f->pos = base + off;
	return f->pos;
}

off_t
file_lseek(struct file *f, off_t off, int whence)
{
	if (f->flags & O_PATH)
		return -EBADF;
	if (f->fops->llseek)
		return f->fops->llseek(f, off, whence);
	if (f->inode && S_ISDIR(f->inode->mode)) {
		/* dcache directories: positions are cookies; only SEEK_SET/SEEK_CUR. proc and
		 * sysfs directories seek as files of size 0 (Linux's generic_file_llseek) */
		bool pseudo = f->inode->sb && (!strcmp(f->inode->sb->fstype, "proc") ||
					       !strcmp(f->inode->sb->fstype, "sysfs"));

		if (whence == SEEK_END && !pseudo)
			return -EINVAL;
		return generic_llseek(f, off, whence, 0);
	}
	return generic_llseek(f, off, whence, f->inode ? f->inode->size : 0);
}

int
file_stat(struct file *f, struct stat *st)
{
	if (f->fops->stat)
		return f->fops->stat(f, st);
	if (!f->inode)
		return -EBADF;
	inode_fill_stat(f->inode, st);
	return 0;
}

bool
file_same_sb(struct file *a, struct file *b)
{
	return a->inode && b->inode && a->inode->sb == b->inode->sb;
}

/* An owner was set: Landlock's domain, and the setter's ids (Linux f_modown records them
 * when the new owner is a process, not when it is cleared). */
static void
fown_set(struct task *t, struct file *f)
{
	landlock_set_fown(t, f);
	if (f->owner && t) {
		f->owner_uid = t->uid;
		f->owner_euid = t->euid;
		f->owner_ids = true;
	}
}

/* F_GETOWNER_UIDS: those ids as the caller's user namespace sees them ((uid_t)-1 for none
 * there: Linux from_kuid), 0 and 0 if no owner was ever set. */
void
file_owner_uids(struct task *t, struct file *f, unsigned int ids[2])
{
	if (!f->owner_ids) {
		ids[0] = ids[1] = 0;
		return;
	}
	ids[0] = userns_maps_uid(t, f->owner_uid) ? userns_uid_out(t, f->owner_uid) : (unsigned)-1;
	ids[1] = userns_maps_uid(t, f->owner_euid) ? userns_uid_out(t, f->owner_euid) : (unsigned)-1;
}

/* Linux generic_setlease and check_conflicting_open: a read lease while nobody writes, a
 * write lease while only this file has it open; for the owner or root. */
static long
set_lease(struct task *t, struct file *f, unsigned long arg)
{
	struct inode *i = f->inode;
	bool w = (f->flags & O_ACCMODE) != O_RDONLY;

	if (arg != F_RDLCK && arg != F_WRLCK && arg != F_UNLCK)
		return -EINVAL;
	if (!i || !S_ISREG(i->mode))
		return -EINVAL;
	if (!task_capable(t, CAP_LEASE) && task_fsuid(t) != i->uid)
		return -EACCES;
	if (arg == F_UNLCK && !f->lease)
		return -EAGAIN; /* no lease to remove */
	if (arg == F_RDLCK && i->nwrite > 0)
		return -EAGAIN;
	if (arg == F_WRLCK && (i->nwrite != (w ? 1 : 0) || i->nread != (w ? 0 : 1)))
		return -EAGAIN;
	f->lease = arg == F_UNLCK ? 0 : (int)arg + 1;
	if (arg != F_UNLCK) {
		f->owner = t ? t->tgid : 0; /* a lease break would signal the owner */
		f->owner_type = F_OWNER_PID;
		fown_set(t, f);
	}
	return 0;
}

int
file_owner_ex(struct task *t, struct file *f, int *type, int *pid, bool set)
{
	if (set) {
		if (*pid && !vfs_pid_in_use(*pid))
			return -ESRCH;
		f->owner_type = *type;
		f->owner = *pid;
		fown_set(t, f);
	} else {
		*type = f->owner_type;
		*pid = f->owner;
	}
	return 0;
}

long
file_fcntl_async(struct task *t, struct file *f, int cmd, unsigned long arg)
{
	switch (cmd) {
	case F_GETOWN: /* (owners are kept by their sandbox-wide numbers) */
		return f->owner_type == F_OWNER_PGRP ? -task_vnr(t, f->owner) : task_vnr(t, f->owner);
	case F_SETOWN: {
		if ((int)arg == INT_MIN)
			return -EINVAL;
		int g = pidns_global(task_pid_ns(t), (int)arg < 0 ? -(int)arg : (int)arg);
		if ((int)arg && !vfs_pid_in_use(g))
			return -ESRCH;
		f->owner_type = (int)arg < 0 ? F_OWNER_PGRP : F_OWNER_PID;
		f->owner = g;
		fown_set(t, f);
		return 0;
	}
	case F_GETSIG:
		return f->sig;
	case F_SETSIG:
		if (arg > 64)
			return -EINVAL;
		f->sig = (int)arg;
		return 0;
	case F_GETLEASE:
		return f->lease ? f->lease - 1 : F_UNLCK;
	case F_SETLEASE:
		return set_lease(t, f, arg);
	case F_GET_RW_HINT:
		return f->inode ? f->inode->rw_hint : 0;
	case F_SET_RW_HINT:
		if (arg > 5) /* RWH_WRITE_LIFE_EXTREME */
			return -EINVAL;
		if (f->inode)
			f->inode->rw_hint = (unsigned char)arg;
		return 0;
	default:
		return -EINVAL;
	}
}

void
file_xstat(struct file *f, struct vfs_xstat *x)
{
	struct inode *i = f->inode;

	memset(x, 0, sizeof(*x));
	if (!i)
		return;
	if (i->has_btime || i->btime.tv_sec || i->btime.tv_nsec) {
		x->btime = i->btime;
		x->has_btime = true;
	}
	x->tmpfs = !strcmp(i->sb->fstype, "tmpfs") || !strcmp(i->sb->fstype, "overlay");
	x->mgtime = x->tmpfs || !strcmp(i->sb->fstype, "hostfs");
	x->iflags = i->iflags;
	if (f->path.mnt) {
		x->mnt_id = f->path.mnt->id;
		x->mount_root = f->path.d == f->path.mnt->root;
	}
}

ssize_t
file_getdents64(struct file *f, void *buf, size_t n)
{
	if (f->flags & O_PATH)
		return -EBADF;
	if (!f->inode || !S_ISDIR(f->inode->mode) || !f->fops->getdents64)
		return -ENOTDIR;
	if (f->path.d && f->path.d->deleted)
		return -ENOENT; /* Linux IS_DEADDIR: removed directories list nothing */
	ssize_t r = f->fops->getdents64(f, buf, MIN(n, MAX_RW_COUNT));
	if (r >= 0)
		file_accessed(f); /* Linux iterate_dir */
	if (r >= 0 && f->path.d && !f->path.d->deleted)
		fsnotify_file(f, IN_ACCESS); /* Linux iterate_dir: after every call */
	return r;
}

/*
 * ioctl arguments live in a sentry buffer of file_ioctl_argsize(cmd) bytes:
 *   TCGETS                        out  struct termios (kernel layout, 36 bytes)
 *   TCSETS, TCSETSW, TCSETSF      in   struct termios (36 bytes)
 *   TIOCGWINSZ                    out  struct winsize (8)
 *   TIOCSWINSZ                    in   struct winsize (8)
 *   TIOCGPGRP, FIONREAD           out  int (4)
 *   TIOCSPGRP, FIONBIO            in   int (4)
 *   FS_IOC_GETFLAGS, FIGETBSZ     out  int (4: the kernel's size, not the macro's long)
 *   FS_IOC_SETFLAGS               in   int (4)
 *   FS_IOC_FSGETXATTR             out  struct fsxattr (28)
 *   FS_IOC_FSSETXATTR             in   struct fsxattr (28)
 *   FS_IOC_GETFSUUID              out  struct fsuuid2 (17)
 */
#define FIGETBSZ_ 2UL
#define FIOQSIZE_ 0x5460UL
#define FS_IOC_GETFSUUID_ 0x80111500UL /* _IOR(0x15, 0, struct fsuuid2): Linux 6.8 */
#define FSUUID2_SIZE 17                /* __u8 len, __u8 uuid[16] */
#define KERNEL_TERMIOS_SIZE 36

long
file_ioctl_argsize(unsigned long cmd)
{
	switch (cmd) {
	case TCGETS:
	case TCSETS:
	case TCSETSW:
	case TCSETSF:
		return KERNEL_TERMIOS_SIZE;
	case TIOCGWINSZ:
	case TIOCSWINSZ:
		return sizeof(struct winsize);
	case TIOCGPGRP:
	case TIOCSPGRP:
	case FIONREAD:
	case FIONBIO:
	case TIOCOUTQ:
	case FS_IOC_GETFLAGS_:
	case FS_IOC_SETFLAGS_:
	case FIGETBSZ_:
	case SIOCATMARK:
		return sizeof(int);
	case FS_IOC_FSGETXATTR_:
	case FS_IOC_FSSETXATTR_:
		return FSXATTR_SIZE;
	case FS_IOC_GETFSUUID_:
		return FSUUID2_SIZE;
	case TFD_IOC_SET_TICKS_: /* fs/timerfd.c */
	case FIOQSIZE_:
		return sizeof(uint64_t);
	case SIOCGSTAMP: /* sockets: a struct timeval / timespec (16 bytes each) */
	case SIOCGSTAMPNS:
		return sizeof(struct timespec);
	case SIOCGIFINDEX: /* sockets (fs/socket.c): the loopback interface */
	case SIOCGIFNAME:
	case SIOCGIFFLAGS:
	case SIOCGIFMTU:
	case SIOCGIFHWADDR:
	case SIOCGIFNETMASK:
	case SIOCGIFADDR:
	case SIOCGIFTXQLEN:
	case SIOCSIFFLAGS:
	case SIOCSIFMTU:
		return sizeof(struct ifreq);
	default:
		return -ENOTTY;
	}
}

bool
file_ioctl_writes_arg(unsigned long cmd)
{
	return cmd == TCGETS || cmd == TIOCGWINSZ || cmd == TIOCGPGRP || cmd == FIONREAD ||
	       cmd == TIOCOUTQ || cmd == FS_IOC_GETFLAGS_ || cmd == FS_IOC_FSGETXATTR_ || cmd == FIGETBSZ_ || cmd == FIOQSIZE_ ||
	       cmd == FS_IOC_GETFSUUID_ ||
	       cmd == SIOCGIFINDEX || cmd == SIOCGIFNAME ||
	       cmd == SIOCGIFFLAGS || cmd == SIOCGIFMTU || cmd == SIOCGIFHWADDR ||
	       cmd == SIOCGIFNETMASK || cmd == SIOCGIFADDR || cmd == SIOCGIFTXQLEN ||
	       cmd == SIOCGSTAMP || cmd == SIOCGSTAMPNS || cmd == SIOCATMARK;
}

/* FS_IOC_GETFSUUID (Linux ioctl_getfsuuid, for every file): the filesystem's UUID where it
 * has one, else ENOTTY. Of the kinds here, tmpfs (also memfd's and /dev's), overlayfs and
 * the kernfs ones (sysfs, cgroup2) have one on Linux, made at random for the in-memory
 * ones; host directories mounted as they are (hostfs) would have the host's: not given. */
static long
fs_uuid(struct file *f, void *arg)
{
	static const char *const with_uuid[] = { "tmpfs", "overlay", "sysfs", "cgroup2" };
	struct super_block *sb = f->inode ? f->inode->sb : NULL;
	unsigned char *out = arg;
	bool has = false;

	for (size_t i = 0; sb && i < ARRAY_SIZE(with_uuid); i++)
		has |= !strcmp(sb->fstype, with_uuid[i]);
	if (!has)
		return -ENOTTY;
	if (!sb->uuid_made) {
		if (getrandom(sb->uuid, sizeof(sb->uuid), 0) != sizeof(sb->uuid))
			return -ENOMEM;
		sb->uuid_made = true;
	}
	out[0] = sizeof(sb->uuid);
	memcpy(out + 1, sb->uuid, sizeof(sb->uuid));
	return 0;
}

long
file_ioctl(struct file *f, unsigned long cmd, void *arg)
{
	if (f->flags & O_PATH)
		return -EBADF;
	if (cmd == FIONBIO) { /* the sentry implements non-blocking mode itself */
		if (*(int *)arg)
			f->flags |= O_NONBLOCK;
		else
			f->flags &= ~O_NONBLOCK;
		return 0;
	}
	long r = fileattr_ioctl(f, cmd, arg); /* inode flags (lsattr/chattr) */
	if (r != -ENOIOCTLCMD)
		return r;
	/* Linux do_vfs_ioctl answers FIGETBSZ for every file, pipes, sockets and devices too,
	 * before their own ioctl: the filesystem's block size (s_blocksize: a page for the pseudo ones, 1K for proc and devpts);
	 * FIOQSIZE too, for regular files, directories and symbolic links only */
	if (cmd == FIGETBSZ_ && f->inode) {
		*(int *)arg = (int)f->inode->sb->blksize;
		return 0;
	}
	if (cmd == FIOQSIZE_ && f->inode) { /* the bytes allocated: inode_get_bytes */
		struct stat st;

		if (!S_ISREG(f->inode->mode) && !S_ISDIR(f->inode->mode) &&
		    !S_ISLNK(f->inode->mode))
			return -ENOTTY;
		inode_fill_stat(f->inode, &st);
		*(int64_t *)arg = (int64_t)st.st_blocks * 512;
		return 0;
	}
	if (cmd == FS_IOC_GETFSUUID_)
		return fs_uuid(f, arg);
	if (f->fops->ioctl)
		return f->fops->ioctl(f, cmd, arg);
	if (cmd == FIONREAD && f->inode && S_ISREG(f->inode->mode)) {
		off_t left = f->inode->size - f->pos;

		*(int *)arg = left > 0 ? (int)MIN(left, INT_MAX) : 0;
		return 0;
	}
	return -ENOTTY;
}

int
file_truncate(struct file *f, off_t len)
{
	if (f->flags & O_PATH)
		return -EBADF;
	if (len < 0 || !can_write(f) || !f->path.d)
		return -EINVAL;
	/* Landlock: the truncate right as the open found it */
	if (landlock_file_truncate(f))
		return -EACCES;
	return vfs_path_truncate(NULL, &f->path, len, false, f);
}

#define FALLOC_KEEP_SIZE 0x01
#define FALLOC_PUNCH_HOLE 0x02
#define FALLOC_COLLAPSE_RANGE 0x08
#define FALLOC_ZERO_RANGE 0x10
#define FALLOC_INSERT_RANGE 0x20
#define FALLOC_UNSHARE_RANGE 0x40
#define FALLOC_WRITE_ZEROES 0x80 /* Linux 6.17 */
#define FALLOC_MODE_MASK (FALLOC_PUNCH_HOLE | FALLOC_COLLAPSE_RANGE | FALLOC_ZERO_RANGE | \
			  FALLOC_INSERT_RANGE | FALLOC_UNSHARE_RANGE | FALLOC_WRITE_ZEROES)

/* Linux vfs_fallocate: the modes are exclusive, then access, file type and size checks. */
int
file_fallocate(struct file *f, int mode, off_t off, off_t len)
{
	struct inode *i = f->inode;
	int err;

	if (off < 0 || len <= 0)
		return -EINVAL;
	if (mode & ~(FALLOC_MODE_MASK | FALLOC_KEEP_SIZE))
		return -EOPNOTSUPP;
	switch (mode & FALLOC_MODE_MASK) {
	case 0:
	case FALLOC_UNSHARE_RANGE:
	case FALLOC_ZERO_RANGE:
		break;
	case FALLOC_PUNCH_HOLE:
		if (!(mode & FALLOC_KEEP_SIZE))
			return -EOPNOTSUPP;
		break;
	case FALLOC_COLLAPSE_RANGE:
	case FALLOC_INSERT_RANGE:
	case FALLOC_WRITE_ZEROES:
		if (mode & FALLOC_KEEP_SIZE)
			return -EOPNOTSUPP;
		break;
	default:
		return -EOPNOTSUPP;
	}
	if (!can_write(f))
		return -EBADF;
	if (!i)
		return -ESPIPE; /* a host descriptor: a pipe or terminal */
	/* only preallocation on an append-only file; nothing on an immutable one */
	if (((mode & ~FALLOC_KEEP_SIZE) && IS_APPEND(i)) || IS_IMMUTABLE(i))
		return -EPERM;
	if (S_ISFIFO(i->mode))
		return -ESPIPE;
	if (S_ISDIR(i->mode))
		return -EISDIR;
	if (!S_ISREG(i->mode))
		return -ENODEV;
	if (off > INT64_MAX - len)
		return -EFBIG;
	if (!f->fops->fallocate)
		return -EOPNOTSUPP;
	err = f->fops->fallocate(f, mode, off, len);
	if (!err)
		fsnotify_file(f, IN_MODIFY);
	return err;
}

/* Linux can_do_cachestat (as mincore's rule): open for writing, or the caller owns the
 * file (or has CAP_FOWNER over it), or could open it for writing. */
bool
file_may_cachestat(struct task *t, struct file *f)
{
	int acc = f->flags & O_ACCMODE;

	if (acc == O_WRONLY || acc == O_RDWR)
		return true;
	if (!f->inode)
		return false;
	if (task_fsuid(t) == f->inode->uid ||
	    task_capable_wrt_ids(t, f->inode->uid, -1, CAP_FOWNER))
		return true;
	return inode_permission(t, f->inode, MAY_WRITE) == 0;
}

int
file_cached_pages(struct file *f, unsigned long first, unsigned long last,
		  unsigned long *cached)
{
	*cached = 0;
	if (!f->inode || !S_ISREG(f->inode->mode))
		return -1;
	if (tmpfs_is_file(f->inode)) {
		*cached = tmpfs_cached_pages(f->inode, first, last);
		return -1;
	}
	return f->host_fd;
}

int
file_mmap_fd(struct file *f, bool shared)
{
	if (!f->inode || !S_ISREG(f->inode->mode) || (f->flags & O_PATH))
		return -1;
	if (f->host_fd >= 0)
		return f->host_fd;
	if (!tmpfs_is_file(f->inode))
		return -1;
	/* Private mappings too map the memfd, as Linux maps the page cache: they see the file
	 * until their own writes, and pages wholly past its end raise SIGBUS. A private one that
	 * cannot have it (no memory for the memfd) is still a copy. */
	int fd = tmpfs_shared_fd(f->inode);
	return fd < 0 && !shared ? -1 : fd;
}

bool
file_write_discards(struct file *f)
{
	return f->fops->discards_writes;
}

int
file_fsync(struct file *f)
{
	if (f->flags & O_PATH)
		return -EBADF;
	if (f->fops->fsync)
		return f->fops->fsync(f);
	/* Linux: no fsync method means EINVAL; devices, pipes and sockets have none. */
	if (f->inode && (S_ISCHR(f->inode->mode) || S_ISFIFO(f->inode->mode) ||
			 S_ISSOCK(f->inode->mode) || !(f->inode->mode & S_IFMT)))
		return -EINVAL; /* (no type: the anonymous inodes of eventfd, epoll...) */
	return 0;
}

/* The f* attribute calls below check nothing about the caller (they are for the sentry);
 * fchmod/fchown/futimens from a task go through vfs_*at(t, f, "", AT_EMPTY_PATH). */
int
file_chmod(struct file *f, mode_t mode)
{
	return f->path.d ? vfs_path_chmod(NULL, &f->path, mode, f) : -EPERM;
}

int
file_chown(struct file *f, uid_t uid, gid_t gid)
{
	return f->path.d ? vfs_path_chown(NULL, &f->path, uid, gid, f) : -EPERM;
}

int
file_utimens(struct file *f, const struct timespec ts[2])
{
	return f->path.d ? vfs_path_utimens(NULL, &f->path, ts, f) : -EPERM;
}

int
file_get_flags(struct file *f)
{
	return f->flags;
}

#define SETFL_MASK (O_APPEND | O_NONBLOCK | O_ASYNC | O_DIRECT | O_NOATIME)

int
file_set_flags(struct file *f, int flags)
{
	f->flags = (f->flags & ~SETFL_MASK) | (flags & SETFL_MASK);
	return 0;
}

short
file_poll(struct file *f, short events)
{
	short mask = POLLIN | POLLOUT | POLLRDNORM | POLLWRNORM;

	if (f->flags & O_PATH)
		return POLLNVAL;
	if (f->fops->poll)
		return f->fops->poll(f, events);
	return mask & (events | POLLERR | POLLHUP);
}

int
file_wait_fd(struct file *f)
{
	return f->fops->wait_fd ? f->fops->wait_fd(f) : -1;
}

/* Returns the length (without the NUL). */
int
file_path(struct file *f, char *buf, size_t n)
{
	struct path none = { 0 };

	if (n == 0)
		return -ENAMETOOLONG;
	if (f->path.d)
		return vfs_path_string(f->path, none, buf, n);
	return -ENOENT;
}

struct vfs_where {
	struct path p;
};

struct vfs_where *
file_where(struct file *f)
{
	if (!f->path.d || !f->path.mnt)
		return NULL;
	struct vfs_where *w = xmalloc(sizeof(*w));
	w->p = path_get(f->path);
	return w;
}

struct vfs_where *
vfs_where_dup(const struct vfs_where *w)
{
	if (!w)
		return NULL;
	struct vfs_where *c = xmalloc(sizeof(*c));
	c->p = path_get(w->p);
	return c;
}

void
vfs_where_put(struct vfs_where *w)
{
	if (w) {
		path_put(&w->p);
		free(w);
	}
}

const char *
vfs_where_name(const struct vfs_where *w, const char *as_made, char *buf, size_t n)
{
	struct path root = { 0 };

	if (!w || n == 0)
		return as_made;
	if (current_task && current_task->fs)
		root = vfs_ctx_root(current_task->fs);
	return vfs_path_string(w->p, root, buf, n) > 0 ? buf : as_made;
}

bool
file_is_dir(struct file *f)
{
	return f->inode && S_ISDIR(f->inode->mode);
}

int
file_mmap_check(struct file *f)
{
	struct inode *i = f->inode;

	if (!i)
		return -ENODEV;
	if (S_ISCHR(i->mode) && i->rdev == makedev(1, 5))
		return FILE_MAP_ZERO;
	if (!S_ISREG(i->mode) || !i->sb)
		return -ENODEV;
	if (!strcmp(i->sb->fstype, "proc"))
		return procfs_mmap_error(i);
	if (!strcmp(i->sb->fstype, "sysfs") || !strcmp(i->sb->fstype, "nsfs") ||
	    !strcmp(i->sb->fstype, "mqueue"))
		return -ENODEV; /* no mmap method */
	return 0;
}

/* ---- snapshot files: a read-only buffer generated at open ---- */

struct snapshot {
	char *data;
	size_t len;
	unsigned long tag;        /* the owner's (procfs: the event its poll last reported) */
	unsigned long made;       /* the owner's too (procfs: when the open made the text) */
};

unsigned long *
file_snapshot_tag(struct file *f)
{
	struct snapshot *s = f->priv;

	return s ? &s->tag : NULL;
}

unsigned long *
file_snapshot_made(struct file *f)
{
	struct snapshot *s = f->priv;

	return s ? &s->made : NULL;
}

static ssize_t
snapshot_read(struct file *f, void *buf, size_t n, off_t *pos)
{
	struct snapshot *s = f->priv;

	if (!s || *pos < 0 || (size_t)*pos >= s->len)
		return 0;
	n = MIN(n, s->len - *pos);
	memcpy(buf, s->data + *pos, n);
	*pos += n;
	return n;
}

static off_t
snapshot_llseek(struct file *f, off_t off, int whence)
{
	struct snapshot *s = f->priv;

	/* most proc files are seq files: no SEEK_END (seq_lseek) */
	if (whence == SEEK_END)
		return -EINVAL;
	return generic_llseek(f, off, whence, s ? s->len : 0);
}

static void
snapshot_release(struct file *f)
{
	struct snapshot *s = f->priv;

	if (s) {
		free(s->data);
		free(s);
	}
}

const struct file_ops snapshot_fops = {
	.read = snapshot_read,
	.llseek = snapshot_llseek,
	.release = snapshot_release,
	.pread_ok = true,
};

void
file_set_snapshot(struct file *f, char *data, size_t len)
{
	struct snapshot *s = xcalloc(1, sizeof(*s));

	s->data = data;
	s->len = len;
	f->priv = s;
	f->fops = &snapshot_fops;
}

/* A written /proc/sys file shows its new value to later reads of the same open file. */
void
file_replace_snapshot(struct file *f, char *data, size_t len)
{
	struct snapshot *s = f->priv;

	if (!s) {
		free(data);
		return;
	}
	free(s->data);
	s->data = data;
	s->len = len;
}
