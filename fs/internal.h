/*
 * Private objects of the VFS (fs/ only): super blocks, inodes, dentries, mounts, open files.
 *
 * The dentry tree is the directory cache for every filesystem. For tmpfs (and devfs/sysfs,
 * which are tmpfs instances) it is the directory itself: children live only in the parent's
 * hash. hostfs fills it lazily from the gofer (positive and negative entries). procfs marks
 * its super block SB_NOCACHE: every lookup builds a fresh unhashed dentry, so /proc always
 * reflects current sentry state.
 *
 * Everything runs on the sentry's single event-loop thread: no locks.
 *
 * References: a hashed dentry is held by its parent's child table (one ref); every dentry
 * holds a ref on its parent and on its inode; files and fs contexts hold refs on dentries.
 * Mounts pin their root and mountpoint dentries.
 */
#pragma once
#include <limits.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/inotify.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/types.h>
#include <time.h>
#include <uthash.h>

#include "fs/vfs.h"
#include "sentry/util.h"

/* timerfd's TFD_IOC_SET_TICKS (linux/timerfd.h, which clashes with glibc's headers): the
 * file ioctl table sizes its argument (file.c), timerfd.c answers it. */
#define TFD_IOC_SET_TICKS_ _IOW('T', 0, uint64_t)

/* Inode flag ioctls (linux/fs.h): answered by fileattr.c (-ENOIOCTLCMD: another cmd). */
#define FS_IOC_GETFLAGS_ 0x80086601UL
#define FS_IOC_SETFLAGS_ 0x40086602UL
#define FS_IOC_FSGETXATTR_ 0x801c581fUL
#define FS_IOC_FSSETXATTR_ 0x401c5820UL
#define FSXATTR_SIZE 28
long fileattr_ioctl(struct file *f, unsigned long cmd, void *arg);

#define VFS_MAXSYMLINKS 40
#define VFS_BLKSIZE 4096
#define VFS_MAX_NEGATIVE 65536   /* cached negative dentries per super block */

struct inode;
struct dentry;
struct mount;
struct file;
struct super_block;
struct task;

/* A position in the mount tree. Both fields NULL = nothing. */
struct path {
	struct mount *mnt;
	struct dentry *d;
};

enum {
	SB_NOCACHE = 1 << 0,      /* dentries are never hashed (procfs) */
	SB_RDONLY = 1 << 1,       /* the filesystem itself cannot be written (hostfs, sysfs) */
	SB_PSEUDO = 1 << 2,       /* not mounted anywhere: a dentry's name is its whole path
				   * ("pipe:[123]"), like Linux pipefs */
	SB_OVERLAY = 1 << 3,      /* host files below, a writable in-memory layer on top
				   * (fs/overlay.c); negative lookups are cached as on SB_RDONLY */
	SB_NOCACHE_CREATE = 1 << 4, /* with SB_NOCACHE: a missing name may be created (mqueue) */
};

struct super_block {
	dev_t dev;
	const char *fstype;       /* "tmpfs", "hostfs", "proc", ... */
	char *source;             /* for /proc/mounts */
	char *opts;               /* more super options for mountinfo (",mode=700"), or NULL */
	unsigned flags;           /* SB_* */
	unsigned blksize;         /* s_blocksize: st_blksize and FIGETBSZ (proc and devpts 1024) */
	ino_t next_ino;
	struct dentry *root;
	/* tmpfs accounting */
	unsigned long size_limit; /* bytes, 0 = unlimited */
	unsigned long bytes_used;
	unsigned long max_inodes; /* nr_inodes= (statfs f_files), 0: the default */
	unsigned long ninodes;    /* live tmpfs objects (against max_inodes) */
	/* hostfs */
	int gofer_mount;
	dev_t host_dev;           /* the host device of its root: objects on another host
				   * filesystem get device numbers of their own (vfs_host_dev) */
	unsigned long nneg;       /* cached negative dentries */
	void *priv;               /* the filesystem's own state (devpts: its instance) */
	unsigned char uuid[16];   /* FS_IOC_GETFSUUID's (random, made at the first ask); */
	bool uuid_made;           /* Linux's s_uuid, which tmpfs also makes at random */
};

/* Attribute changes for setattr. */
enum {
	ATTR_MODE = 1 << 0,
	ATTR_UID = 1 << 1,
	ATTR_GID = 1 << 2,
	ATTR_SIZE = 1 << 3,
	ATTR_ATIME = 1 << 4,
	ATTR_MTIME = 1 << 5,
	ATTR_CTIME = 1 << 6,      /* ctime given: the "now" the other times took (else a new one) */
};
struct iattr {
	unsigned valid;
	mode_t mode;
	uid_t uid;
	gid_t gid;
	off_t size;
	struct timespec atime, mtime, ctime;
	struct file *file;        /* ftruncate, fchmod & co: the open file (ATTR_FILE), or NULL */
};

/*
 * Inode operations. Namespace ops get the parent directory and a fresh (negative, not yet
 * hashed) dentry; on success they set d->inode and the VFS hashes the dentry.
 * A NULL op means -EPERM (or -EROFS when the super block is read-only).
 */
/* A component looked up ahead by inode_ops.lookup_walk. */
#define VFS_WALK_MAX 16
struct walk_ent {
	char name[NAME_MAX + 1];
	struct inode *ino;        /* a reference, or NULL: no such name */
};

struct inode_ops {
	/* Fills *out (a new inode reference) for name in dir, or returns -ENOENT.
	 * NULL: the dcache is authoritative (tmpfs). */
	int (*lookup)(struct dentry *dir, const char *name, struct inode **out);
	/* Optional, beside lookup: name and the components that follow it in rest (what is
	 * left of the path being walked) in one go, each in the directory before it. Fills
	 * out[0] (name) and then out[1..] in turn, at most n, stopping after a missing name
	 * or one that is not a directory; returns how many (>= 1), or -errno as lookup
	 * (-ENOENT is out[0].ino == NULL instead). */
	int (*lookup_walk)(struct dentry *dir, const char *name, const char *rest,
			   struct walk_ent *out, int n);
	/* Optional, beside lookup: name is about to be opened for reading; may open it at
	 * once (the inode keeps the host fd for that open). As lookup. */
	int (*lookup_open)(struct dentry *dir, const char *name, struct inode **out);
	int (*create)(struct dentry *dir, struct dentry *d, mode_t mode, dev_t rdev,
		      uid_t uid, gid_t gid);
	int (*symlink)(struct dentry *dir, struct dentry *d, const char *target, uid_t uid,
		       gid_t gid);
	int (*link)(struct dentry *old, struct dentry *dir, struct dentry *d);
	int (*unlink)(struct dentry *dir, struct dentry *d);   /* also rmdir (checked by VFS) */
	/* Moves od (in odir) to nd (in ndir); nd may be positive (replaced). VFS moves dentries. */
	int (*rename)(struct dentry *odir, struct dentry *od, struct dentry *ndir,
		      struct dentry *nd, unsigned flags);
	/* Symlink target text into *out (malloc'ed, NUL-terminated). */
	int (*readlink)(struct task *t, struct dentry *d, char **out);
	/* Magic links (procfs fd/cwd/root): resolves directly to a path (refs taken).
	 * Returns 1 when it did, 0 to fall back to readlink text, or -errno. */
	int (*get_link)(struct task *t, struct dentry *d, struct path *out);
	int (*setattr)(struct dentry *d, const struct iattr *ia);
	/* Sets f->fops and f->priv for a new open file. */
	int (*open)(struct task *t, struct file *f);
	/* Optional (Linux i_op->permission): t's access after the mode bits and capabilities
	 * answered err (0 or -EACCES). */
	int (*permission)(struct task *t, struct inode *i, int mask, int err);
	/* O_TMPFILE: a new inode with no name (nlink 0) in d, which stays unhashed. */
	int (*tmpfile)(struct dentry *dir, struct dentry *d, mode_t mode, uid_t uid, gid_t gid);
	/* Optional, read-only trees built on demand (sysfs): adds dir's children to the dcache
	 * before the first lookup or listing in it, and then replaces dir's iops by ones
	 * without populate. */
	void (*populate)(struct dentry *dir);
	/* Optional: the attributes are kept elsewhere (a host fd's): stat fills st from there
	 * (0), else from the inode. */
	int (*getattr)(struct inode *i, struct stat *st);
};

struct sbuf;
struct pid_ns;

struct file_ops {
	ssize_t (*read)(struct file *f, void *buf, size_t n, off_t *pos);
	ssize_t (*write)(struct file *f, const void *buf, size_t n, off_t *pos);
	/* NULL: generic (SEEK_SET/CUR/END over inode size). */
	off_t (*llseek)(struct file *f, off_t off, int whence);
	ssize_t (*getdents64)(struct file *f, void *buf, size_t n);
	long (*ioctl)(struct file *f, unsigned long cmd, void *arg);
	short (*poll)(struct file *f, short events);
	int (*wait_fd)(struct file *f);
	/* Positional I/O; NULL: read/write with a private position (when pread_ok). */
	ssize_t (*pread)(struct file *f, void *buf, size_t n, off_t off);
	ssize_t (*pwrite)(struct file *f, const void *buf, size_t n, off_t off);
	int (*stat)(struct file *f, struct stat *st);     /* NULL: from the inode */
	int (*fsync)(struct file *f);
	void (*release)(struct file *f);
	/* Readiness (fs/poll.c): the queue woken when poll's answer may change (NULL: never
	 * blocks); poll_wait replaces the queue and host fd for files that watch others (epoll). */
	struct waitq *(*waitq)(struct file *f);
	void (*poll_wait)(struct task *t, struct file *f, short events, int depth);
	/* every change of poll's answer wakes ->waitq, a queue that lives as long as the file
	 * (or none while wait_fd gives a host fd): epoll waits for its wakes instead of
	 * polling the file at every epoll_wait */
	bool wakes_tell;
	/* fallocate(2) after the generic checks (file_fallocate); NULL: EOPNOTSUPP. */
	int (*fallocate)(struct file *f, int mode, off_t off, off_t len);
	bool pread_ok;            /* false: pread/pwrite give -ESPIPE */
	bool discards_writes;     /* write never reads the buffer (/dev/null, /dev/full) */
	/* reads / writes of fewer bytes are EINVAL before anything else, even waiting
	 * (eventfd, timerfd, signalfd records); 0: any size */
	size_t read_min, write_min;
	bool read_zero;           /* a read of 0 bytes reaches ->read (inotify: EINVAL with an
				   * event queued, else it waits); others give 0 at once */
	bool write_zero;          /* a write of 0 bytes reaches ->write (/proc/PID files that
				   * parse a number: EINVAL) */
	/* Is f a Linux seq_file (most of /proc)? seq_open clears FMODE_PWRITE: pwrite and
	 * pwritev are ESPIPE. NULL: no. */
	bool (*seq_file)(struct file *f);
	/* The kind's own lines of /proc/PID/fdinfo/N, after pos/flags/mnt_id/ino (Linux's
	 * show_fdinfo); ns: the pid namespace of that /proc. NULL: none. */
	void (*fdinfo)(struct file *f, struct sbuf *b, const struct pid_ns *ns);
};

struct inode {
	int refs;
	struct super_block *sb;
	ino_t ino;
	mode_t mode;
	nlink_t nlink;
	uid_t uid;
	gid_t gid;
	dev_t rdev;
	dev_t dev;                /* st_dev if not the super block's (vfs_host_dev), else 0 */
	off_t size;
	blkcnt_t blocks;          /* 512-byte units */
	struct timespec atime, mtime, ctime;
	struct timespec btime;    /* birth (statx STATX_BTIME); 0: unknown, unless has_btime */
	bool has_btime;           /* host objects: the host's btime (even 0) is known */
	const struct inode_ops *iops;
	const struct file_ops *fops; /* default fops for open (may be replaced by iops->open) */
	void *priv;               /* filesystem data */
	void (*free_priv)(struct inode *ino);
	unsigned long next_cookie;   /* directories: getdents cookie for the next child */
	/* Per-inode state of any filesystem (locks.c, inotify.c, xattr.c, pipe.c). */
	struct lock_ctx *locks;      /* flock and record locks; NULL until first used */
	struct inotify_mark *marks;  /* inotify watches on this inode (each holds a reference) */
	struct xattr *xattrs;        /* extended attributes, sorted by name */
	struct pipe *i_pipe;         /* pipes; FIFOs while open */
	bool linkable;               /* O_TMPFILE without O_EXCL: linkat may give it a name */
	unsigned int seals;          /* memfds: F_SEAL_* (tmpfs enforces them) */
	int nread, nwrite;           /* open files reading only / writing (leases) */
	int deny_write;              /* address spaces running it: writers get ETXTBSY */
	unsigned char rw_hint;       /* F_SET_RW_HINT */
	unsigned int iflags;         /* IFL_* (chattr; fs/fileattr.c): tmpfs keeps them */
	/* overlay (fs/overlay.c) */
	unsigned char ovl;        /* OVL_I_* */
	struct timespec ovl_ctime;/* ctime at copy-up: still equal means nothing changed since */
};

/* An inode's device as the kernel keeps it (MKDEV: major << 20 | minor), as fdinfo prints
 * it; its st_dev is the same device in the user's encoding. */
static inline unsigned
inode_kdev(const struct inode *i)
{
	dev_t d = i->dev ? i->dev : i->sb->dev;

	return (unsigned)((major(d) << 20) | minor(d));
}

/* Inode flags tmpfs keeps (Linux FS_*_FL, SHMEM_FL_USER_MODIFIABLE) and the VFS enforces:
 * no change at all to an immutable inode, only appending to an append-only one (and no
 * removing of names from an append-only directory); no atime updates with noatime. */
enum {
	IFL_IMMUTABLE = 0x10,
	IFL_APPEND = 0x20,
	IFL_NODUMP = 0x40,
	IFL_NOATIME = 0x80,
};
#define IFL_INHERITED (IFL_NODUMP | IFL_NOATIME) /* new tmpfs objects take their directory's */
#define IS_IMMUTABLE(i) (((i)->iflags & IFL_IMMUTABLE) != 0)
#define IS_APPEND(i) (((i)->iflags & IFL_APPEND) != 0)

struct dentry {
	int refs;
	char *name;
	struct dentry *parent;    /* NULL only for a super block root */
	struct inode *inode;      /* NULL: negative */
	struct super_block *sb;
	struct dentry *children;  /* uthash by name (hashed children only) */
	UT_hash_handle hh;
	unsigned long cookie;     /* directory position for getdents */
	int mounted;              /* mounts on this dentry */
	bool hashed;              /* in the parent's children table */
	bool deleted;             /* unlinked (for "(deleted)" in paths) */
	bool lower;               /* overlay: the name exists in the host layer, so removing
				   * it leaves a whiteout (a hashed negative dentry, lower set) */
	void *priv;               /* filesystem data (procfs node) */
};

enum {
	MNT_RDONLY = 1 << 0,
	MNT_NOSUID = 1 << 1,
	MNT_NODEV = 1 << 2,
	MNT_NOEXEC = 1 << 3,
	MNT_NOATIME = 1 << 4,
	MNT_NODIRATIME = 1 << 5,
	MNT_STRICTATIME = 1 << 6,
	MNT_LOCKED = 1 << 7,      /* set up by the sandbox: guests cannot unmount it */
	MNT_LOCK_ATTRS = 1 << 8,  /* from a more privileged user namespace: its ro, nosuid,
				   * nodev, noexec and atime flags stay (Linux MNT_LOCK_*) */
};

struct mount {
	int id;
	struct super_block *sb;
	struct dentry *root;      /* root of this mount in sb */
	struct mount *parent;     /* NULL for the root mount */
	struct dentry *mountpoint;/* in parent */
	unsigned flags;           /* MNT_* */
	struct mount *next;       /* global list, in mount order */
	bool detached;            /* unmounted: off the list, kept (paths may still hold it) */
	bool connected;           /* unmounted with its parent and still on it (vfs_unmounted) */
	/* propagation type, as mountinfo shows it (no events propagate): peer group of a
	 * shared mount, the group a slave receives from (0: none), unbindable */
	int group, master;
	bool unbindable;
	/* the root of an anonymous mount tree (fsmount, open_tree OPEN_TREE_CLONE) that
	 * move_mount has not attached yet: no parent, not the root mount */
	bool anon;
	struct mnt_ns *ns;        /* the root of a mount namespace's tree: that namespace */
};

struct file {
	int refs;
	int flags;                /* open flags as given (minus O_CREAT/O_EXCL/O_TRUNC/O_CLOEXEC) */
	off_t pos;
	struct path path;         /* NULL dentry for host fd files */
	struct inode *inode;      /* NULL for host fd files */
	const struct file_ops *fops;
	void *priv;
	int host_fd;              /* -1 unless backed by a host fd */
	struct epitem *ep_links;  /* epoll registrations watching this file (epoll.c) */
	bool notify_close;        /* IN_OPEN was reported: IN_CLOSE_* comes at the last put */
	bool counted;             /* in inode->nread / nwrite */
	bool created;             /* this open made the file (F_CREATED_QUERY) */
	int owner;                /* F_SETOWN: a pid, tid or process group */
	int owner_type;           /* F_OWNER_PID, F_OWNER_TID, F_OWNER_PGRP */
	unsigned owner_uid, owner_euid; /* kernel ids of who last set an owner (F_GETOWNER_UIDS) */
	bool owner_ids;           /* they were set */
	int sig;                  /* F_SETSIG */
	int lease;                /* F_SETLEASE: 0 none, else F_RDLCK + 1 or F_WRLCK + 1 */
	/* O_ASYNC (fs/fasync.c): on the list of files that signal their owner */
	bool async_listed;
	short async_last;         /* its poll answer when last looked at */
	int async_fd;             /* the descriptor O_ASYNC was turned on through (si_fd) */
	struct file *async_next;
	uint64_t cred_token;      /* the opener's credentials (vfs_cred_token), 0: unknown */
	struct ll_domain *ll_fown; /* Landlock: the domain of who set the owner, when scoped
				   * and not its own process (Linux's fown_subject) */
	uint16_t ll_access;       /* Landlock rights kept from the open (LL_FS_TRUNCATE,
				   * LL_FS_IOCTL_DEV); all for files not opened by a path */
};

struct fs_context {
	int refs;
	struct path root;
	struct path cwd;
	mode_t umask;
};

/* vfs.c / dcache */
struct dentry *dget(struct dentry *d);
void dput(struct dentry *d);
struct inode *iget(struct inode *i);
void iput(struct inode *i);
struct path path_get(struct path p);
void path_put(struct path *p);
struct inode *inode_new(struct super_block *sb, mode_t mode, uid_t uid, gid_t gid);
/* st_dev for a host object of sb on host device host: 0 (the super block's) for its root's
 * device, else a number of its own per host device, so that equal inode numbers of two
 * host filesystems stay apart (cp -a, tar, du, find -xdev). */
dev_t vfs_host_dev(struct super_block *sb, dev_t host);
struct super_block *sb_new(const char *fstype, const char *source, unsigned flags);
/* A new dentry named name under parent (ref to parent taken); not hashed. */
struct dentry *d_alloc(struct dentry *parent, const char *name);
/* Hashes d (positive or negative) into its parent; the table takes a reference. */
void d_hash(struct dentry *d);
/* Removes d from its parent's table and drops the table's reference. */
void d_unhash(struct dentry *d);
/* Adds a child to dir with a new inode (sentry-internal setup: devfs, sysfs). */
struct dentry *d_add_child(struct dentry *dir, const char *name, struct inode *ino);
void vfs_timestamp(struct timespec *ts);
void inode_touch(struct inode *i, bool m, bool c); /* mtime/ctime = now */
/* setattr's mode, owner and times (not the size) into i, and ctime = now. */
void inode_set_attrs(struct inode *i, const struct iattr *ia);
/* Reading updates atime as Linux with relatime (on tmpfs, the overlay and host directories):
 * when atime is not after mtime or ctime, or is a day old; not for O_NOATIME files. */
void inode_accessed(struct inode *i);
/* setattr of pipes and sockets (pipefs, sockfs): mode, owner and times, no size. */
int pseudo_setattr(struct dentry *d, const struct iattr *ia);
/* A name of i went from directory dir: the link counts as Linux keeps them, ctime = now. */
void inode_drop_link(struct inode *dir, struct inode *i);
void inode_fill_stat(struct inode *i, struct stat *st);
int inode_permission(struct task *t, struct inode *i, int mask); /* MAY_* */
enum { MAY_EXEC = 1, MAY_WRITE = 2, MAY_READ = 4 };
struct mount *vfs_root_mount(void);
struct mount *mount_add(struct super_block *sb, struct dentry *root, struct mount *parent,
			struct dentry *mountpoint, unsigned flags);
struct path vfs_ctx_root(struct fs_context *c);
struct path vfs_ctx_cwd(struct fs_context *c);
/* Path of p relative to root (or the global root if root.d == NULL). Returns length. */
int vfs_path_string(struct path p, struct path root, char *buf, size_t n);
/* Writes a linux_dirent64 record into buf+*used; 0, or -EINVAL when it does not fit. */
int vfs_emit_dirent(void *buf, size_t n, size_t *used, ino_t ino, off_t off, unsigned char type,
		    const char *name);
unsigned char vfs_dtype(mode_t mode);
/* getdents over the dcache children of a directory (tmpfs, devfs, sysfs). */
ssize_t dcache_getdents64(struct file *f, void *buf, size_t n);
/* "." and ".." at positions 1 and 2 of a directory listing: 1 when both are out (go on),
 * 0 when the buffer is full (return *used), or -EINVAL when not even one fit. */
ssize_t dcache_emit_dots(struct file *f, void *buf, size_t n, size_t *used);
unsigned vfs_nprocs(void);
/* The host's possible CPUs (at least vfs_nprocs) and its kernel's highest CPU number. */
void vfs_cpu_limits(unsigned *possible, unsigned *max);

/* mqueue.c: a descriptor of f is closed by the running task: the mq_notify registration of
 * its process on that queue ends (Linux mqueue_flush_file). Nothing for other files. */
void mq_close_flush(struct file *f);
/* A new mqueue filesystem: its root lists the queues, which open and unlink by name. */
struct super_block *mqueue_new_sb(const char *source);

/* file.c */
struct file *file_alloc(const struct file_ops *fops);
off_t generic_llseek(struct file *f, off_t off, int whence, off_t size);
off_t no_llseek(struct file *f, off_t off, int whence);   /* -ESPIPE */
off_t noop_llseek(struct file *f, off_t off, int whence); /* f->pos, no change */
/* Where SEEK_SET, SEEK_CUR or SEEK_END counts from (size: the file's), or -EINVAL. */
off_t file_whence_base(struct file *f, int whence, off_t size);
/* A read-only file over a snapshot buffer (procfs, sysfs): takes ownership of data. */
void file_set_snapshot(struct file *f, char *data, size_t len);
unsigned long *file_snapshot_tag(struct file *f); /* a word for the file's owner, or NULL */
unsigned long *file_snapshot_made(struct file *f); /* another (procfs: when the text was made) */
/* mount.c: a count of mount tree changes, and the queue woken at each */
unsigned long vfs_mount_events(void);
struct waitq *vfs_mounts_waitq(void);
void file_replace_snapshot(struct file *f, char *data, size_t len);
extern const struct file_ops snapshot_fops;

/* landlock.c: checks on paths (rights LL_FS_*): p itself for req; the move or link of od
 * (removable: a rename) into directory ndir as nd (-EACCES, -EXDEV); the make right of
 * an object of mode. */
int landlock_check_path(struct task *t, const struct path *p, uint64_t req);
int landlock_refer(struct task *t, struct dentry *od, const struct path *ndir, struct dentry *nd,
		   bool removable, bool exchange);
uint64_t landlock_make_right(mode_t mode);
/* An open of p with open flags: -EACCES, and in *kept the rights (of LL_FS_TRUNCATE,
 * LL_FS_IOCTL_DEV) the open file keeps. */
int landlock_open(struct task *t, const struct path *p, int flags, uint16_t *kept);
/* f's owner was set by t (Linux hook_file_set_fowner); may f's owner signal reach
 * task p (Linux hook_file_send_sigiotask)? */
void landlock_set_fown(struct task *t, struct file *f);
bool landlock_fown_allowed(struct file *f, struct task *p);

/* anon.c: files on inodes of pseudo filesystems (pipefs, anon_inode), never mounted */
struct pseudo_fs {
	const char *fstype;
	struct super_block *sb;   /* created on first use */
	struct mount mnt;
};
/* A new inode of fs (one reference). */
struct inode *pseudo_inode(struct pseudo_fs *fs, mode_t mode, uid_t uid, gid_t gid);
/* A file on ino (takes the reference) whose path is name; flags as F_GETFL shows them. */
struct file *pseudo_file(struct pseudo_fs *fs, struct inode *ino, const char *name,
			 const struct file_ops *fops, int flags);
/* Another open file on the same object: the same path, its own flags and position. */
struct file *pseudo_file_again(struct file *f, int flags);
/* A file on a new anonymous inode named "anon_inode:NAME" (anon_inode_getfile). */
/* mmap's error for a regular /proc file (fs/procfs.c; file_mmap_check). */
int procfs_mmap_error(struct inode *i);
/* A /proc/PID/fd or fdinfo entry, which no mount may cover (ENOENT). */
bool procfs_cant_mount(struct dentry *d);
struct file *anon_file(const char *name, const struct file_ops *fops, void *priv,
		       void (*free_priv)(struct inode *), int flags);

/* pipe.c: FIFOs. fifo_open is a FIFO inode's open op (VFS_BLOCK: the task waits for the
 * other end); fifo_open_resume completes t's waiting FIFO open on its re-run: 1 (and *out
 * set), VFS_BLOCK, or 0 when t was not opening a FIFO. */
int fifo_open(struct task *t, struct file *f);
int fifo_open_resume(struct task *t, struct file **out);

/* xattr.c */
void xattr_inode_free(struct inode *i);
void tmpfs_driverless_device(struct inode *i); /* a guest's mknod: open is ENXIO */
bool devfs_mem_device(struct inode *i); /* a guest's mknod of 1:3, 1:5...: as /dev's */
/* Linux's security_inode_killpriv: drops a security.capability attribute (a write, a
 * truncate or a change of owner); true when there was one. */
bool xattr_kill_caps(struct inode *i);
/* POSIX ACLs of in-memory inodes (system.posix_acl_access / _default). */
struct acl_ent;
struct acl_inherit {
	bool active;              /* the directory had a default ACL: no umask */
	struct acl_ent *access, *dflt;
	size_t n;
};
int acl_permission(struct task *t, struct inode *i, int want); /* -EAGAIN: no ACL */
void acl_chmod(struct inode *i);
bool acl_has_default(struct inode *dir);
void acl_inherit_prepare(struct inode *dir, mode_t *mode, struct acl_inherit *ai);
void acl_inherit_apply(struct inode *i, struct acl_inherit *ai);
mode_t vfs_create_umask(struct task *t, struct inode *dir); /* vfs.c */
/* Stands for t's credentials (Linux's struct cred of an open file, f_cred): its process
 * and every id and capability set; never 0. */
uint64_t vfs_cred_token(struct task *t);
/* An O_PATH file of p; mount_fd: closing it drops the anonymous mount tree p heads. */
int vfs_open_path(struct path *p, bool mount_fd, struct file **out);
void mount_fd_release(struct file *f); /* mount.c */

/* locks.c */
void locks_inode_free(struct inode *i);
void file_locks_release(struct file *f);   /* last reference: flock and OFD locks go */
struct pid_ns;
struct sbuf;
void locks_proc_text(const struct pid_ns *pidns, struct sbuf *b); /* /proc/locks */
void locks_fdinfo(struct file *f, const void *owner, const struct pid_ns *pidns,
		  struct sbuf *b);

/* inotify.c: events from the VFS (IN_* masks; IN_ISDIR is added for directories).
 * The inline wrappers cost one test while nothing is watched. */
extern unsigned long inotify_nmarks;
void fsnotify_file_(struct file *f, uint32_t mask);      /* f's inode and its directory */
void fsnotify_dentry_(struct dentry *d, uint32_t mask);  /* d's inode and its directory */
void fsnotify_inode_(struct inode *i, uint32_t mask);    /* i's own watches only */
void fsnotify_name_(struct inode *dir, const char *name, uint32_t mask, uint32_t cookie);
uint32_t fsnotify_cookie(void);                          /* pairs IN_MOVED_FROM/IN_MOVED_TO */
#define FSN_DN_RENAME 0x10000000u /* fsnotify_name: renamed within dir (dnotify DN_RENAME) */
/* fasync.c: dnotify's signal to f's owner (F_SETSIG's with si_code POLL_MSG and si_fd fd,
 * else SIGIO). */
void fasync_notify(struct file *f, int fd);
/* fasync.c: urgent data came to socket f (Linux sk_send_sigurg): SIGURG to its owner. */
void fasync_urgent(struct file *f);
void fsnotify_iput(struct inode *i);                     /* iput left i with watches */
static inline void
fsnotify_file(struct file *f, uint32_t mask)
{
	if (inotify_nmarks)
		fsnotify_file_(f, mask);
}
static inline void
fsnotify_dentry(struct dentry *d, uint32_t mask)
{
	if (inotify_nmarks)
		fsnotify_dentry_(d, mask);
}
static inline void
fsnotify_inode(struct inode *i, uint32_t mask)
{
	if (inotify_nmarks && i->marks)
		fsnotify_inode_(i, mask);
}
static inline void
fsnotify_name(struct inode *dir, const char *name, uint32_t mask, uint32_t cookie)
{
	if (inotify_nmarks && dir->marks)
		fsnotify_name_(dir, name, mask, cookie);
}

/* poll.c: file_poll_wait from inside an epoll file nested depth levels deep. */
void file_poll_wait_depth(struct task *t, struct file *f, short events, int depth);

/* epoll.c: the file's last reference is gone; drop its registrations. */
void epoll_file_gone(struct file *f);
/* f's readiness bits went away as the sentry saw (a host socket's or fd's read or write
 * gave EAGAIN): its edge-triggered epoll items, which learn of host readiness only by
 * polling, take the next readiness as a new edge. */
void epoll_file_drained(struct file *f, short bits);
#define EPOLL_MAX_NESTS 4         /* epoll files inside epoll files, as Linux */

/* tmpfs.c */
struct super_block *tmpfs_new_sb(const char *source, unsigned long size_limit, mode_t root_mode);
struct inode *tmpfs_file_in(struct super_block *sb, mode_t mode);
extern const struct inode_ops tmpfs_dir_iops;
extern const struct file_ops tmpfs_dir_fops;
int tmpfs_shared_fd(struct inode *i);
/* Bytes of every tmpfs object's data, charged against --memory (meminfo's Shmem). */
unsigned long tmpfs_charged(void);
/* Mapped files' pages are touched unseen: these read their use back from the host (into
 * sb->bytes_used, i->blocks) before it is checked or shown. */
void tmpfs_sync_usage(struct super_block *sb);
void tmpfs_sync_blocks(struct inode *i);
/* A System V segment: charged for its whole size once mapped, not page by page. */
void tmpfs_charge_whole(struct inode *i);
int tmpfs_setattr(struct dentry *d, const struct iattr *ia);
/* Makes i (mode set, no filesystem data yet) an empty tmpfs object of its type. */
void tmpfs_init_inode(struct inode *i);
/* Contents at an offset, without timestamps (copy-up, export). */
ssize_t tmpfs_write_at(struct inode *i, const void *buf, size_t n, off_t off);
ssize_t tmpfs_read_at(struct inode *i, void *buf, size_t n, off_t off);
int tmpfs_set_link(struct inode *i, const char *target);
/* fn(off, len) for each range of a regular file holding data, in order (see vfs.h);
 * vfs_fd_extents: the same for a host fd by SEEK_DATA / SEEK_HOLE. */
int vfs_fd_extents(int fd, off_t size, int (*fn)(off_t off, off_t len, void *arg), void *arg);
int tmpfs_extents(struct inode *i, int (*fn)(off_t off, off_t len, void *arg), void *arg);
/* cachestat: how many of pages first..last the file holds, fallocated ones too (shmem keeps
 * them in its cache); with its data in a memfd, those holding data there (SEEK_DATA, to
 * which a fallocated page is a hole). */
unsigned long tmpfs_cached_pages(struct inode *i, unsigned long first, unsigned long last);
const char *tmpfs_link_target(struct inode *i);   /* NULL unless a tmpfs symlink */
/* Whether i is a memfd's (or a SysV segment's): fs/vfs.c */
bool vfs_memfd_inode(const struct inode *i);
int tmpfs_mapped_fd(struct inode *i);   /* the memfd if the file has one, else -1 */
bool tmpfs_is_file(struct inode *i);
/* Sets a regular tmpfs inode's contents (setup only). */
int tmpfs_set_data(struct inode *i, const void *data, size_t n);
struct dentry *tmpfs_add(struct dentry *dir, const char *name, mode_t mode, const char *target);

/* hostfs.c */
int hostfs_new_sb(const struct vfs_mount_spec *spec, struct super_block **out);
/* A new inode for a host object (one reference) with hostfs (or, on an overlay super
 * block, overlay) operations. */
struct inode *hostfs_inode(struct super_block *sb, const struct stat *st);
/* Mount-relative host path of d (+ "/child" if child), "" for the root. 0 / -ENAMETOOLONG. */
int hostfs_rel_path(struct dentry *d, const char *child, char *buf, size_t n);
int hostfs_lookup(struct dentry *dir, const char *name, struct inode **out);
int hostfs_lookup_walk(struct dentry *dir, const char *name, const char *rest,
		       struct walk_ent *out, int n);
int hostfs_lookup_open(struct dentry *dir, const char *name, struct inode **out);
int hostfs_readlink(struct task *t, struct dentry *d, char **out);
int hostfs_open(struct task *t, struct file *f);
/* A host fd open for reading on d's regular file or directory (the caller closes it). */
int hostfs_open_fd(struct dentry *d);
ssize_t hostfs_read(struct file *f, void *buf, size_t n, off_t *pos);
ssize_t hostfs_pread(struct file *f, void *buf, size_t n, off_t off);
off_t hostfs_llseek(struct file *f, off_t off, int whence);
/* hostfs_rw.c: a writable host mount's operations for a new inode. */
void hostfs_rw_init(struct inode *i);
/* Where an overlay directory keeps its host listing. */
struct ovl_dirlist **hostfs_dirlist(struct inode *i);
extern const struct file_ops hostfs_file_fops;
extern const struct file_ops hostfs_dir_fops;

/* overlay.c: the writable in-memory layer over hostfs */
enum {
	OVL_I_LOWER = 1 << 0,     /* a host object, not copied up: hostfs data, overlay ops */
	OVL_I_COPIED = 1 << 1,    /* copied up from the host into memory (tmpfs data) */
	OVL_I_ATTR = 1 << 2,      /* a host directory whose attributes were changed */
	OVL_I_SETUP = 1 << 3,     /* made by the sandbox's setup (mount points), not the guest */
	OVL_I_MOVED = 1 << 4,     /* a host directory renamed: all it holds is new where it is */
};
/* Marks the in-memory objects under dir as setup, not changes (end of vfs_init). */
void ovl_mark_setup(struct dentry *dir);
/* Gives a host inode of an overlay super block its overlay operations. */
void ovl_init_lower(struct inode *i);
/* Copies d's host object up into memory (no-op for directories and upper objects);
 * with ATTR_SIZE in ia, only ia->size bytes of data. All or nothing: 0 / -errno
 * (-ENOSPC past --memory or the size limit). */
int ovl_copy_up(struct dentry *d, const struct iattr *ia);
/* Host hard links: the inode another host name of st's object already has in sb (a new
 * reference), or NULL; ovl_add_alias records a new inode i for st (both ignore objects
 * with a single host name). */
struct inode *ovl_find_alias(struct super_block *sb, const struct stat *st);
void ovl_add_alias(struct inode *i, const struct stat *st);
/* The cached host listing of an overlay directory, freed with its inode. */
struct ovl_dirlist;
void ovl_dirlist_free(struct ovl_dirlist *l);

/* devfs.c */
int devfs_populate(struct super_block *sb);

/* procfs.c */
/* A /proc/sys limit the sentry follows, as last written by root. */
enum {
	SYSCTL_INOTIFY_EVENTS = 1, SYSCTL_INOTIFY_INSTANCES, SYSCTL_INOTIFY_WATCHES,
	SYSCTL_MQ_QUEUES, SYSCTL_MQ_MSG_MAX, SYSCTL_MQ_MSGSIZE_MAX, SYSCTL_MQ_MSG_DEFAULT,
	SYSCTL_MQ_MSGSIZE_DEFAULT, SYSCTL_PIPE_MAX_SIZE, SYSCTL_DIR_NOTIFY,
	SYSCTL_PROTECTED_SYMLINKS, SYSCTL_PROTECTED_HARDLINKS, SYSCTL_PROTECTED_FIFOS,
	SYSCTL_PROTECTED_REGULAR,
};
long sysctl_value(int which);
struct super_block *procfs_new_sb(void);
/* /proc/sys/net values are per network namespace: NET_SYSCTLS triples (most use the first
 * number only; tcp_rmem and tcp_wmem all three) from P_NS_TCP_SACK on
 * (fs/procfs.h), then the NET_TAGS conf/{all,default,lo}/tag values, which a new namespace
 * takes from procfs_net_sysctl_defaults and sock_net_sysctl finds for task t's namespace. */
#define NET_SYSCTLS 19
#define NET_TAGS 3
void procfs_net_sysctl_defaults(int v[NET_SYSCTLS + NET_TAGS][3]);
int *sock_net_sysctl(struct task *t, int i);
bool sock_net_initial(struct task *t); /* t's network namespace is the sandbox's first */

/* sysfs.c */
/* net: the network namespace /sys/class/net shows (a reference kept; NULL: the initial) */
struct ns_common;
int sysfs_populate(struct super_block *sb, struct ns_common *net);
/* cgroupfs.c: the cgroup v2 hierarchy's super block (every cgroup2 mount shares it);
 * /proc/PID/cgroup of t's process and /proc/cgroups. */
struct super_block *cgroupfs_sb(void);
void cgroup_proc_text(struct task *reader, struct task *t, struct sbuf *b);
/* /proc/PID/cpuset: the cpuset controller's cgroup, which is the root's here. */
void cgroup_cpuset_text(struct task *reader, struct sbuf *b);
/* The root of a cgroup2 mount as mountinfo shows it to reader, and the dentry of t's cgroup
 * namespace's root (a reference; NULL: that cgroup is gone) for a mount made there. */
void cgroupfs_show_root(struct task *reader, struct dentry *root, struct sbuf *b);
struct dentry *cgroupfs_ns_root(struct task *t);
void cgroup_proc_cgroups(struct sbuf *b);
/* The CPUs of mask (1024 bits; NULL: all) below the sandbox's count, as Linux prints a
 * cpulist ("0-3,5\n") and a cpumask (hex, 32 bits a group from the highest, the first
 * group only as wide as the count needs, "\n" at the end). */
void cpus_list_text(char *buf, size_t n, const unsigned long *mask);
void cpus_mask_text(char *buf, size_t n, const unsigned long *mask);

/* mount.c */
/* The topmost mount on mountpoint d of mount parent, or NULL. */
struct mount *mount_lookup(struct mount *parent, struct dentry *d);
extern struct mount *vfs_mounts;   /* all mounts, in mount order */

/* The mount m hangs on, as a walk up through mount points sees it: none for the root of an
 * unmounted tree (its own parent, in Linux's terms). */
static inline struct mount *
mount_up(struct mount *m)
{
	return m->detached && !m->connected ? NULL : m->parent;
}
/* /proc/[pid]/mountinfo text relative to root; length or -errno. */
int vfs_mountinfo_text(struct path root, char *buf, size_t n);
struct sbuf;
/* Appends /proc/mounts (or mountinfo) lines for mounts seen from root. */
void vfs_mounts_gen(struct sbuf *b, struct path root, bool mountinfo);

/* namei.c: path resolution */
enum { LAST_NORM, LAST_DOT, LAST_DOTDOT, LAST_ROOT };
struct nameidata {
	struct task *t;
	struct path root;         /* borrowed: the task's root */
	int depth;                /* symlinks followed so far */
	const char *rest;         /* while a walk steps into a directory: the path after it */
	const char *tail;         /* while a symlink's target is walked: the path after the link */
	bool open_read;           /* the walk's last component is about to be opened for reading */
	bool last;                /* the step under way is the walk's last */
	unsigned resolve;         /* openat2 RESOLVE_* (0 for every other walk) */
	struct path scope;        /* RESOLVE_BENEATH / RESOLVE_IN_ROOT: the start (a reference,
				   * dropped by nd_end), which root then points to */
};
struct last_comp {
	char name[NAME_MAX + 1];
	int type;                 /* LAST_* */
	bool slash;               /* a trailing slash followed the component */
};
/* Validates path (length) and sets *start (a reference) from dirf / cwd / root. */
int nd_start(struct nameidata *nd, struct task *t, struct file *dirf, const char *path,
	     struct path *start);
/* nd_start for openat2: applies resolve (RESOLVE_*); nd_end drops what it took. */
int nd_start_resolve(struct nameidata *nd, struct task *t, struct file *dirf, const char *path,
		     unsigned resolve, struct path *start);
void nd_end(struct nameidata *nd);
/* openat2 checks before a symlink is followed (link) and after a magic link led from dir to
 * res: -ELOOP / -EXDEV, or 0. */
int nd_may_follow(struct nameidata *nd);
int nd_may_jump(struct nameidata *nd, struct path *dir, struct path *res);
/* Resolves every component of path from *cur (a reference replaced in place). */
int nd_walk_full(struct nameidata *nd, struct path *cur, const char *path, bool follow);
/* Resolves all but the last component; *cur becomes the parent directory. */
int nd_walk_parent(struct nameidata *nd, struct path *cur, const char *path,
		   struct last_comp *last);
/* Looks name up in dir (search permission checked); *out may be negative. */
int nd_lookup(struct nameidata *nd, struct path *dir, const char *name, struct dentry **out);
void follow_mounts(struct path *p);
/* Resolves (dirf, path) honouring AT_SYMLINK_NOFOLLOW / AT_EMPTY_PATH in at_flags. */
int vfs_resolve_at(struct task *t, struct file *dirf, const char *path, int at_flags,
		   struct path *out);
bool mnt_readonly(struct path *p);
/* Opens the object at p itself, as open's last step (permission, O_TRUNC...; a symlink is
 * -ELOOP unless O_PATH). */
int vfs_open_at_path(struct task *t, struct path *p, int flags, struct file **out);
/* Credentials for permission checks. */
uid_t task_fsuid(struct task *t);
gid_t task_fsgid(struct task *t);

/* A growable text buffer for generated contents (sbuf.c). */
struct sbuf {
	char *buf;
	size_t len, cap;
};
void sbuf_append(struct sbuf *b, const char *s, size_t n);
void sbuf_printf(struct sbuf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Copies into buf (NUL-terminated) and frees b: the length, or -ERANGE when it does not fit. */
int sbuf_finish(struct sbuf *b, char *buf, size_t n);
/* Hands over the buffer (never NULL) and its length. */
char *sbuf_steal(struct sbuf *b, size_t *len);

/* socket.c: /proc/net/{tcp,tcp6,udp,udp6} (family, type) and /proc/net/unix */
/* /proc/net/{tcp,udp,...}, unix, snmp, if_inet6 of t's network namespace */
void sock_proc_net(struct task *t, struct sbuf *b, int family, int type, int protocol);
void sock_proc_unix(struct task *t, struct sbuf *b);
void sock_proc_snmp(struct task *t, struct sbuf *b);
void sock_proc_snmp6(struct task *t, struct sbuf *b);
void sock_proc_if_inet6(struct task *t, struct sbuf *b);
void sock_proc_igmp(struct task *t, struct sbuf *b);
void sock_proc_igmp6(struct task *t, struct sbuf *b);
void sock_proc_route(struct task *t, struct sbuf *b);
void sock_proc_sockstat(struct task *t, struct sbuf *b, bool v6); /* /proc/net/sockstat, sockstat6 */
/* Linux's name for a socket inode's protocol (its system.sockprotoname), NULL for others */
const char *sock_proto_name(const struct inode *i);
long long sock_cork_deadline(void); /* TCP_CORK: when held output must go (0: none) */
void sock_cork_fire(void);           /* sends what was held past that time */
/* tun/tap interfaces (/dev/net/tun): a new one (its index, its name in out) or -errno;
 * the index's goes */
int sock_netdev_add(struct task *t, const char *req, bool tap, char out[16], short flags);
void sock_netdev_del(int index);
int sock_netdev_name(int index, char out[16], short *flags); /* TUNGETIFF's; -ENODEV */
/* lo's flags (as RTM_GETLINK's) and MTU in network namespace ns (NULL: the initial one) */
unsigned int sock_lo_state(struct ns_common *ns, int *mtu);

/* vfs.c helpers shared with vfs_ops.c */
void vfs_new_owner(struct task *t, struct inode *dir, mode_t *mode, uid_t *uid, gid_t *gid);
int may_write_fs(struct path *p);   /* -EROFS on a read-only mount or filesystem */
/* Linux filename_create: parent and a negative dentry for the last component of path. */
int vfs_create_prepare(struct task *t, struct file *dirf, const char *path, bool want_dir,
		       struct path *parent, struct dentry **child);
/* Runs the filesystem's create op for d in parent and hashes d. */
int vfs_do_create(struct task *t, struct path *parent, struct dentry *d, mode_t mode, dev_t rdev);

/* vfs_ops.c: attribute changes on a resolved path (shared by the *at and f* variants) */
/* f: the open file the change comes through (fchmod & co: a host file's changes then go
 * to what it has open, named or not), else NULL. */
int vfs_path_chmod(struct task *t, struct path *p, mode_t mode, struct file *f);
int vfs_path_chown(struct task *t, struct path *p, uid_t uid, gid_t gid, struct file *f);
int vfs_path_utimens(struct task *t, struct path *p, const struct timespec ts[2],
		     struct file *f);
int vfs_path_truncate(struct task *t, struct path *p, off_t len, bool check_perm,
		      struct file *f);
