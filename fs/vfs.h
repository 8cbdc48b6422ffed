/*
 * The VFS: path resolution and open files, entirely inside the sentry.
 * Filesystems: tmpfs (memory), hostfs (host files through the gofer: read-only, writable
 * on the host, or an overlay with an in-memory upper layer), devfs, procfs.
 * All functions return 0 / a count, or -errno; none touches guest memory.
 */
#pragma once
#include <fcntl.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/types.h>

struct file;
struct fs_context;
struct task;
struct statx;

struct vfs_mount_spec {
	const char *guest_path;   /* where it appears in the sandbox */
	const char *host_path;    /* for hostfs: the gofer mount's host root; NULL for tmpfs */
	int gofer_mount;          /* gofer mount index for hostfs */
	bool readonly;
	bool overlay;             /* hostfs: host files read-only below, writes go to an
				   * in-memory layer on top (readonly must be false) */
	unsigned long size;       /* tmpfs size limit in bytes, 0 = unlimited */
	/* tmpfs: its root's mode (0: 01777; S_IFDIR alone: 0) and owner, noexec and nosuid */
	mode_t mode;
	long uid, gid;
	unsigned long inodes;     /* tmpfs: nr_inodes, 0 = unlimited */
	bool noexec, nosuid;
};

/* Builds the mount tree: "/" from the first spec, then the rest in order,
 * then /dev (devfs), /proc (procfs). 0 / -errno. */
int vfs_init(const struct vfs_mount_spec *specs, int n);

/* tmpfs's mount data as Linux's shmem parses it: mode= (octal), size= (bytes, K, M or G),
 * nr_blocks=, nr_inodes=, uid=, gid=, huge= and mpol= (taken, without effect), ro and rw;
 * each value given goes to its out-parameter (a size rounded up to pages), the others stay
 * as they are. 0, or -EINVAL (a share of memory, "size=50%", is not offered). Used for
 * mount(2)'s data and for the CLI's --tmpfs GUEST:OPTIONS alike. */
int vfs_tmpfs_options(const char *data, mode_t *mode, unsigned long *size, uid_t *uid, gid_t *gid,
		      unsigned long *inodes);

/* /dev/pts's mount options for vfs_init (--devpts: an OCI config's devpts mount, such as
 * "mode=620,gid=5"); NULL: Linux's defaults. */
extern const char *vfs_devpts_data;

/* Per-task filesystem context: root, cwd, umask. Refcounted (CLONE_FS shares it). */
struct fs_context *vfs_ctx_new(void);              /* root and cwd at "/", umask 022 */
struct fs_context *vfs_ctx_get(struct fs_context *c);
struct fs_context *vfs_ctx_copy(struct fs_context *c);
void vfs_ctx_put(struct fs_context *c);
mode_t vfs_umask(struct fs_context *c, mode_t newmask); /* returns the old mask */
/* Credentials used for permission checks come from the task (t->euid, ...). */
/* Is g t's filesystem gid or one of its supplementary groups (Linux in_group_p)? */
bool task_in_group(struct task *t, gid_t g);

/* *at() family. dirf == NULL means AT_FDCWD (the context's cwd). t may be NULL (sentry-internal). */
/* memfd_create: an unnamed regular file (open O_RDWR) on the sentry's internal tmpfs,
 * shown as "/memfd:NAME (deleted)". */
int vfs_memfd_create(struct task *t, const char *name, mode_t mode, bool sealing,
		     struct file **out);
/* Shared-mapped in-memory files count the pages they hold: while there are such files,
 * the loop reads their use back at this deadline (0: none), for the memory fence. */
long long tmpfs_sync_deadline(void);
void tmpfs_sync_mapped(void);
/* An empty file for mmap's MAP_HUGETLB|MAP_NORESERVE, shown as Linux's hugetlbfs one:
 * "/anon_hugepage (deleted)". */
int vfs_hugetlb_anon_create(struct task *t, struct file **out);
/* A System V shared memory segment's file (shmget): size bytes in a host memfd (charged
 * against --memory: -ENOMEM), shown as "/SYSV<key in hex> (deleted)"; open for reading
 * and writing (rw) and for reading only (ro: mappings that may never become writable). */
int vfs_sysv_shm_create(struct task *t, int key, unsigned long size, struct file **rw,
			struct file **ro);
/* POSIX message queues (fs/mqueue.c). name without its leading '/'; attr: mq_maxmsg and
 * mq_msgsize (NULL: the defaults). send/receive give -EAGAIN when they would wait (the
 * caller waits on file_waitq), -EBADF for a file that is not a queue open that way. */
struct sigevent;
int vfs_mq_open(struct task *t, const char *name, int oflag, mode_t mode, const long *attr,
		struct file **out);
int vfs_mq_unlink(struct task *t, const char *name);
/* The IPC namespace ns (sentry/ns.h) lost its last user: its queues' names go. */
struct ns_common;
void vfs_mq_ns_exit(struct ns_common *ns);
/* The host's fs.protected_fifos and fs.protected_regular: the sandbox's own start from
 * them (-1, or out of range: Linux's distributions' 1). */
void vfs_set_protected_creat(long fifos, long regular);
/* t shares its fs context (CLONE_FS); t's root is not its mount namespace's root. */
bool vfs_fs_shared(struct task *t);
bool vfs_chrooted(struct task *t);
bool vfs_is_mq(struct file *f);
int vfs_mq_send(struct task *t, struct file *f, const void *buf, size_t len, unsigned int prio);
ssize_t vfs_mq_receive(struct task *t, struct file *f, void *buf, size_t len, unsigned int *prio);
int vfs_mq_notify(struct task *t, struct file *f, const struct sigevent *ev); /* ev NULL: off */
/* SIGEV_THREAD (glibc): the 32-byte cookie goes to netlink socket sock (a reference is
 * taken) with its last byte 1 when a message comes, 2 when the registration goes. */
int vfs_mq_notify_thread(struct task *t, struct file *f, struct file *sock,
			 const unsigned char cookie[32]);
/* mq_notify's SIGEV_THREAD socket: 0 for a netlink one, -ENOTSOCK / -EINVAL. */
int sock_netlink_check(struct file *f);
void sock_netlink_deliver(struct file *f, const void *data, size_t len);
/* t blocks receiving from f: until its call ends, a send to the empty queue notifies no one. */
void vfs_mq_receiver_waits(struct task *t, struct file *f);
/* old: mq_flags, mq_maxmsg, mq_msgsize, mq_curmsgs; newflags: O_NONBLOCK or 0 (NULL: keep) */
int vfs_mq_getsetattr(struct file *f, const long *newflags, long old[4]);
/* fs.nr_open (/proc/sys/fs/nr_open): the ceiling of RLIMIT_NOFILE and of fd numbers. */
int procfs_nr_open(void);
/* F_GET_SEALS / F_ADD_SEALS: -EINVAL for files that are not shmem (memfds, SysV shm, tmpfs). */
long file_get_seals(struct file *f);
int file_add_seals(struct file *f, unsigned int seals);
/* Would a MAP_SHARED mapping with prot break f's seals? -EPERM then, else 0. */
int file_map_sealed(struct file *f, int prot, int flags);
int vfs_openat(struct task *t, struct file *dirf, const char *path, int flags, mode_t mode,
	       struct file **out);
/* Before a write or fallocate through f: clears set-user-ID / set-group-ID as Linux's
 * file_remove_privs (not for root). 0 or -errno. */
int vfs_file_remove_privs(struct task *t, struct file *f);
/* The name of f's directory entry (Linux's d_name: "memfd:NAME" for a memfd, without a
 * "(deleted)"), or "" when it has none (a host descriptor). Valid while f is. */
const char *vfs_file_name(const struct file *f);
/* vfs_openat with openat2's resolve (RESOLVE_NO_XDEV, _NO_MAGICLINKS, _NO_SYMLINKS,
 * _BENEATH, _IN_ROOT; the caller checked them). */
int vfs_openat2(struct task *t, struct file *dirf, const char *path, int flags, mode_t mode,
		unsigned resolve, struct file **out);
int vfs_statat(struct task *t, struct file *dirf, const char *path, int at_flags, struct stat *st);
/* File handles (fs/fhandle.c). name_to_handle_at's object (at_flags: AT_EMPTY_PATH,
 * AT_SYMLINK_NOFOLLOW) as a handle; VFS_FH_FID: an identifier only (any filesystem),
 * VFS_FH_CONNECTABLE: flagged so. -EOPNOTSUPP: not exportable. open_by_handle_at: the
 * object of h in the mount of anchor (NULL: the cwd's), opened with flags; -ESTALE. */
#define VFS_FH_FID 1
#define VFS_FH_CONNECTABLE 2
#define VFS_HANDLE_MAX 128
struct vfs_handle {
	int type;
	unsigned bytes;
	unsigned char f[VFS_HANDLE_MAX];
};
int vfs_name_to_handle(struct task *t, struct file *dirf, const char *path, int at_flags,
		       unsigned fh_flags, struct vfs_handle *h, int *mnt_id);
int vfs_open_by_handle(struct task *t, struct file *anchor, const struct vfs_handle *h,
		       int flags, struct file **out);
/* vfs_statat at_flags, sentry-internal: the caller opens the file for reading next (a host
 * regular file may be opened with its lookup). */
#define VFS_AT_OPEN_NEXT 0x40000000
int vfs_readlinkat(struct task *t, struct file *dirf, const char *path, char *buf, size_t n);
int vfs_accessat(struct task *t, struct file *dirf, const char *path, int mode, int at_flags);
int vfs_mkdirat(struct task *t, struct file *dirf, const char *path, mode_t mode);
int vfs_mknodat(struct task *t, struct file *dirf, const char *path, mode_t mode, dev_t dev);
int vfs_unlinkat(struct task *t, struct file *dirf, const char *path, int at_flags);
int vfs_symlinkat(struct task *t, const char *target, struct file *dirf, const char *path);
int vfs_linkat(struct task *t, struct file *odir, const char *opath, struct file *ndir,
	       const char *npath, int at_flags);
int vfs_renameat2(struct task *t, struct file *odir, const char *opath, struct file *ndir,
		  const char *npath, unsigned int flags);
int vfs_chmodat(struct task *t, struct file *dirf, const char *path, mode_t mode, int at_flags);
int vfs_chownat(struct task *t, struct file *dirf, const char *path, uid_t uid, gid_t gid,
		int at_flags);
int vfs_utimensat(struct task *t, struct file *dirf, const char *path,
		  const struct timespec ts[2], int at_flags); /* ts NULL = now */
int vfs_truncate(struct task *t, const char *path, off_t len);
int vfs_chdir(struct task *t, struct file *dirf, const char *path);
int vfs_fchdir(struct task *t, struct file *f);
int vfs_chroot(struct task *t, const char *path);
/* mount(2) inside the sandbox (CAP_SYS_ADMIN): new tmpfs, proc and sysfs instances, bind
 * mounts (MS_REC), MS_REMOUNT (with MS_BIND: the mount's flags), MS_MOVE, propagation
 * types (accepted; nothing propagates). Host filesystems: ENODEV. umount2: mounts guests
 * made (the sandbox's own are locked: EINVAL); EBUSY while in use unless MNT_DETACH. */
int vfs_mount(struct task *t, const char *source, const char *target, const char *fstype,
	      unsigned long flags, const char *data);
int vfs_umount(struct task *t, const char *target, int flags);
/* After a change of the mount tree (mount, umount, move, pivot_root): pollers of
 * /proc/PID/mounts and mountinfo see POLLERR | POLLPRI once. */
void vfs_mounts_changed(void);
/* The mount API of descriptors, over the same tree (callers check CAP_SYS_ADMIN and
 * flags): fsopen gives a filesystem context file (-ENODEV for types not offered);
 * fsconfig sets a parameter (cmd FSCONFIG_SET_FLAG / _STRING: key, value) or creates or
 * reconfigures; fsmount makes an anonymous mount of the created filesystem (attr:
 * MOUNT_ATTR_*) and gives an O_PATH file of its root, whose last close drops it unless
 * move_mount attached it; fspick: a context that reconfigures the mount at path;
 * open_tree: an O_PATH file of path, or with clone a copy of its mount (recursive: and
 * those below) as a new anonymous tree. */
int vfs_fsopen(struct task *t, const char *fstype, struct file **out);
int vfs_fsconfig(struct task *t, struct file *f, unsigned cmd, const char *key, const char *value);
int vfs_fsmount(struct task *t, struct file *f, unsigned attr, struct file **out);
int vfs_fspick(struct task *t, struct file *dirf, const char *path, int at_flags,
	       struct file **out);
int vfs_move_mount(struct task *t, struct file *fromf, const char *from, struct file *tof,
		   const char *to, unsigned flags);
int vfs_open_tree(struct task *t, struct file *dirf, const char *path, int at_flags, bool clone,
		  bool recursive, struct file **out);
/* mount_setattr(2) after its argument checks: the mount whose root is at path (and, with
 * recursive, every mount below it) loses the MOUNT_ATTR_* flags clr and gets set (all of
 * them or, if one is locked against the change, none: -EPERM; the atime mode of set when
 * clr has MOUNT_ATTR__ATIME); prop, one of MS_SHARED, MS_SLAVE, MS_PRIVATE, MS_UNBINDABLE
 * or 0, is their new propagation type. */
int vfs_mount_setattr(struct task *t, struct file *dirf, const char *path, int at_flags,
		      unsigned set, unsigned clr, unsigned long prop, bool recursive);
/* pivot_root(2): the caller's root mount goes to put_old, new_root's mount to its place;
 * roots and cwds at the old root move to the new one. Linux's checks and errors. */
int vfs_pivot_root(struct task *t, const char *new_root, const char *put_old);
/* Inode flags (fs/fileattr.c; Linux struct file_kattr): FS_*_FL and the FS_XFLAG_* that
 * stand for them, and which of the two a change gives. */
struct vfs_fileattr {
	uint32_t flags;
	uint32_t xflags;
	uint32_t extsize, nextents, projid, cowextsize;
	bool flags_valid, fsx_valid;
};
void vfs_fileattr_from_flags(struct vfs_fileattr *fa, uint32_t flags);
bool file_append_only(struct file *f);  /* f's inode is append-only (FS_APPEND_FL) */
int vfs_fileattr_from_xflags(struct vfs_fileattr *fa, uint64_t xflags); /* -EINVAL: unknown */
/* file_getattr(2) / file_setattr(2) of path (at_flags: AT_SYMLINK_NOFOLLOW, AT_EMPTY_PATH):
 * -EOPNOTSUPP where the filesystem keeps no flags. */
int vfs_file_getattr(struct task *t, struct file *dirf, const char *path, int at_flags,
		     struct vfs_fileattr *fa);
int vfs_file_setattr(struct task *t, struct file *dirf, const char *path, int at_flags,
		     struct vfs_fileattr *fa);

/* statmount(2) and listmount(2). A mount's 64-bit id (Linux mnt_id_unique, never reused)
 * is its mountinfo id past this offset: the sandbox never reuses those either. */
#define VFS_MNT_UNIQUE_ID_OFFSET (1ULL << 31)
struct statmount_ {               /* Linux struct statmount, before its strings */
	uint32_t size, mnt_opts;
	uint64_t mask;
	uint32_t sb_dev_major, sb_dev_minor;
	uint64_t sb_magic;
	uint32_t sb_flags, fs_type;
	uint64_t mnt_id, mnt_parent_id;
	uint32_t mnt_id_old, mnt_parent_id_old;
	uint64_t mnt_attr, mnt_propagation, mnt_peer_group, mnt_master, propagate_from;
	uint32_t mnt_root, mnt_point;
	uint64_t mnt_ns_id;
	uint32_t fs_subtype, sb_source, opt_num, opt_array, opt_sec_num, opt_sec_array;
	uint64_t supported_mask;
	uint32_t mnt_uidmap_num, mnt_uidmap, mnt_gidmap_num, mnt_gidmap;
	uint64_t spare2[43];
};
/* The mount of unique id id in mount namespace ns as t sees it: sm's fields and the
 * strings (*str, malloc'd, *len bytes, which sm's offsets index) of the STATMOUNT_* bits
 * of mask; bufsize is the caller's whole buffer, which the strings must fit (-EOVERFLOW).
 * -ENOENT: no such mount in ns; -EPERM: out of t's root without CAP_SYS_ADMIN. */
int vfs_statmount(struct task *t, struct ns_common *ns, uint64_t id, uint64_t mask,
		  size_t bufsize, struct statmount_ *sm, char **str, size_t *len);
/* The unique ids of the mounts below the mount of id parent (VFS_LSMT_ROOT: t's root) in
 * ns, in order of id (reverse: from the last), after (before) id last when not 0; at most
 * n into ids. The count, or -ENOENT / -EPERM as vfs_statmount. */
#define VFS_LSMT_ROOT (~0ULL)
long vfs_listmount(struct task *t, struct ns_common *ns, uint64_t parent, uint64_t last,
		   bool reverse, uint64_t *ids, size_t n);
/* A mount namespace's 64-bit id (NS_GET_MNTNS_ID), and the live namespace of an id. */
uint64_t vfs_mnt_ns_id(struct ns_common *ns);
struct ns_common *vfs_mnt_ns_lookup(uint64_t id);
int vfs_getcwd(struct task *t, char *buf, size_t n);   /* returns length incl. NUL */

/* Open files (open file descriptions). Refcounted; file_put frees on last reference. */
struct file *file_get(struct file *f);
void file_put(struct file *f);
/* A running executable (Linux deny_write_access): while an address space holds f, opening
 * its inode for writing fails with ETXTBSY. exe_deny fails with ETXTBSY itself when the
 * inode is open for writing; on success it takes a reference to f that exe_allow drops. */
int exe_deny(struct file *f);
/* F_CREATED_QUERY: 1 when the open that made f created its file, else 0. */
int file_created(struct file *f);
void exe_allow(struct file *f);
ssize_t file_read(struct file *f, void *buf, size_t n);
ssize_t file_write(struct file *f, const void *buf, size_t n);
/* RLIMIT_FSIZE before a write of *n bytes at *pos (NULL: the file position): -EFBIG, or 0
 * with *n shortened to what fits (copies check it before they take data from a pipe). */
int file_write_room(struct file *f, const off_t *pos, size_t *n);
ssize_t file_pread(struct file *f, void *buf, size_t n, off_t off);
ssize_t file_pwrite(struct file *f, const void *buf, size_t n, off_t off);
off_t file_lseek(struct file *f, off_t off, int whence);
int file_stat(struct file *f, struct stat *st);
/* Whether a and b are objects of one filesystem (one super block: FICLONE's EXDEV) */
bool file_same_sb(struct file *a, struct file *b);
/* What statx has beyond stat for f (an open file or O_PATH). */
struct vfs_xstat {
	struct timespec btime;    /* valid when has_btime */
	bool has_btime;
	bool mount_root;          /* STATX_ATTR_MOUNT_ROOT */
	bool tmpfs;               /* an in-memory filesystem (its attributes_mask) */
	bool mgtime;              /* multigrain timestamps (Linux 6.13: tmpfs, ext4...):
				   * mtime and ctime only when asked for */
	int mnt_id;               /* the mount's id (as in /proc/self/mountinfo), 0: none */
	unsigned iflags;          /* inode flags (FS_*_FL) the filesystem keeps (tmpfs) */
};
void file_xstat(struct file *f, struct vfs_xstat *x);
/* F_GETOWN/F_SETOWN (-ESRCH: no such pid or group), F_GETSIG/F_SETSIG (the owner gets
 * them: fs/fasync.c), F_GETLEASE/F_SETLEASE (kept, never broken: no lease-break signal
 * yet), F_GET_RW_HINT/F_SET_RW_HINT (the value, not the pointer). */
long file_fcntl_async(struct task *t, struct file *f, int cmd, unsigned long arg);
/* F_GETOWN_EX / F_SETOWN_EX (set: from *type and *pid). */
int file_owner_ex(struct task *t, struct file *f, int *type, int *pid, bool set); /* -ESRCH */
void file_owner_uids(struct task *t, struct file *f, unsigned int ids[2]);
/* Signal-driven I/O (fs/fasync.c). file_async_sync: after f's O_ASYNC may have changed
 * through descriptor fd (F_SETFL). file_fioasync: ioctl FIOASYNC (-ENOTTY for a file that
 * cannot signal). fasync_wake: waitq_wake's hook, signals the owners of O_ASYNC files
 * whose queue wq is. vfs_pid_in_use: F_SETOWN's check (-ESRCH when false). */
void file_async_sync(struct file *f, int fd);
int file_fioasync(struct file *f, int fd, bool on);
void fasync_file_gone(struct file *f);
struct waitq;
void fasync_wake(struct waitq *wq);
bool vfs_pid_in_use(int pid);
ssize_t file_getdents64(struct file *f, void *buf, size_t n);
long file_ioctl(struct file *f, unsigned long cmd, void *arg); /* arg: sentry buffer, ioctl-sized */
/* Size of the sentry-side argument buffer file_ioctl expects for cmd, or -ENOTTY
 * (then file_ioctl would fail anyway); file_ioctl_writes_arg: copy it out afterwards. */
long file_ioctl_argsize(unsigned long cmd);
bool file_ioctl_writes_arg(unsigned long cmd);
int file_truncate(struct file *f, off_t len);
/* fallocate(2): Linux's mode and access checks, then the filesystem (tmpfs: allocation,
 * FALLOC_FL_KEEP_SIZE, FALLOC_FL_PUNCH_HOLE; other modes EOPNOTSUPP as on tmpfs). */
int file_fallocate(struct file *f, int mode, off_t off, off_t len);
int file_fsync(struct file *f);
/* True when write(2) ignores the data (/dev/null, /dev/full): the buffer is never read. */
bool file_write_discards(struct file *f);
int file_chmod(struct file *f, mode_t mode);
int file_chown(struct file *f, uid_t uid, gid_t gid);
int file_utimens(struct file *f, const struct timespec ts[2]);
int file_get_flags(struct file *f);             /* O_ACCMODE | O_APPEND | O_NONBLOCK ... */
int file_set_flags(struct file *f, int flags);  /* only O_APPEND, O_NONBLOCK, O_ASYNC... */
/* Readiness without blocking: returns the subset of events (POLLIN/POLLOUT/POLLHUP...) ready now. */
short file_poll(struct file *f, short events);
/* Host fd to wait on when the file would block (stdio, pipes to the host), or -1. */
int file_wait_fd(struct file *f);
/* Sandbox path of the file (for /proc/[pid]/fd, getcwd); writes at most n bytes incl. NUL. */
int file_path(struct file *f, char *buf, size_t n);
/* Open files (file descriptions) of the whole sandbox: /proc/sys/fs/file-nr. */
unsigned long vfs_nr_files(void);
/* /proc/sys/kernel/core_pattern and core_uses_pid, which core dumps follow. */
const char *vfs_core_pattern(void);
bool vfs_core_uses_pid(void);
/* Where a file is (its mount and dentry, held): what a mapping of it is named by in
 * /proc/PID/maps, made when read so that a rename or an unlink since shows, as Linux's
 * d_path of the mapping's file. NULL for a file without a path. */
struct vfs_where;
struct vfs_where *file_where(struct file *f);
struct vfs_where *vfs_where_dup(const struct vfs_where *w);
void vfs_where_put(struct vfs_where *w);
/* Its path as the calling task sees it (from its root; " (deleted)" once unlinked), made
 * in buf (n bytes); as_made when there is no w or no path can be made. */
const char *vfs_where_name(const struct vfs_where *w, const char *as_made, char *buf, size_t n);
bool file_is_dir(struct file *f);
/* Is f on a noexec mount (execve: EACCES; mmap with PROT_EXEC: EPERM)? */
bool file_noexec(struct file *f);
/* Is f a regular file t may run (not on a noexec mount, its permission bits and t's
 * credentials)? 0 or -EACCES. */
int file_exec_ok(struct task *t, struct file *f);
/* Could t open f's file for reading (its permission bits and t's credentials)? */
bool file_readable_by(struct task *t, struct file *f);
/* Is f on a nosuid mount (execve ignores its set-user-ID and set-group-ID bits)? */
bool file_nosuid(struct file *f);
/* How many tasks share the fs context c (CLONE_FS). */
int vfs_ctx_users(const struct fs_context *c);
/* What mmap makes of f, as Linux's file operations decide: 0 a mapping of its pages,
 * FILE_MAP_ZERO anonymous memory (/dev/zero, shared or private), or the error of a file
 * without an mmap method (-ENODEV: devices, pipes, sockets, directories, anon inodes;
 * -EIO: /proc's own files such as /proc/version, as Linux's proc_reg_mmap gives). */
#define FILE_MAP_ZERO 1
int file_mmap_check(struct file *f);
/* Linux file_accessed: atime (relatime) after a read of f's data (mmap too). */
void file_accessed(struct file *f);
/* Has f positions (pread/pwrite work; Linux FMODE_PREAD)? Pipes, sockets, ttys: no. */
bool file_seekable(struct file *f);
/* And for writes (FMODE_PWRITE): not for /proc's seq files either. */
bool file_pwritable(struct file *f);
/* The fewest bytes a read (wr: write) of f may ask for (file_ops' read_min / write_min). */
size_t file_rw_min(struct file *f, bool wr);
/* Does a read (wr: write) of 0 bytes reach f's read (file_ops' read_zero / write_zero)? */
bool file_rw_zero(struct file *f, bool wr);
/* vfs_read / vfs_write's checks before the size: the mode (EBADF), then whether f reads
 * (writes) at all (EINVAL; a directory reads, its read says EISDIR). */
int file_rw_able(struct file *f, bool wr);
/* Host fd that can back a real mapping of this regular file (a hostfs file; a tmpfs file,
 * which moves into a memfd for it), or -1 / -errno: copy it in instead. */
int file_mmap_fd(struct file *f, bool shared);
bool file_may_cachestat(struct task *t, struct file *f);
/* cachestat(2): *cached, the sentry's pages of f among pages first..last (tmpfs; nothing
 * for what has no page cache: pipes, sockets, directories, synthetic files). Returns the
 * host fd of a file whose page cache is the host's (the caller asks the host), else -1. */
int file_cached_pages(struct file *f, unsigned long first, unsigned long last,
		      unsigned long *cached);

/* Readiness and waiting (fs/poll.c). The queue woken when f's readiness may change
 * (NULL for files that never block); file_poll_wait registers t to be re-run when it may
 * have changed: that queue, the host fd, or for epoll every watched file. */
struct waitq *file_waitq(struct file *f);
void file_poll_wait(struct task *t, struct file *f, short events);
bool file_can_poll(struct file *f);   /* has a poll method (epoll_ctl: EPERM otherwise) */

/* Pipes (fs/pipe.c). flags: O_NONBLOCK, O_DIRECT (packet mode). ends[0] reads. */
int vfs_pipe(struct task *t, int flags, struct file *ends[2]);
long file_pipe_size(struct file *f);  /* F_GETPIPE_SZ; -EBADF when f is not a pipe */
/* Bytes a write surely takes now (its free slots' pages); -EBADF when f is not a pipe. */
long file_pipe_room(struct file *f);
/* A write of n bytes whose source is readable for its first have < n only: how many of
 * those Linux's pipe_write keeps (0: EFAULT). It copies page by page and drops the page
 * the fault cut short: the sub-page remainder it would add to the last slot first must be
 * whole, then only full pages count. Files other than pipes keep all have bytes. */
size_t file_pipe_fault_cut(struct file *f, size_t n, size_t have);
/* tee(2): copies up to len unread bytes of pipe in into pipe out without taking them.
 * -EINVAL: not two pipes; -EPIPE: out has no reader; -EAGAIN: in is empty but has writers,
 * or out is full; 0: in is empty with no writers. */
ssize_t file_pipe_tee(struct file *in, struct file *out, size_t len);
long file_set_pipe_size(struct file *f, unsigned long size, bool privileged);

/* timerfd (fs/timerfd.c): create (clock, TFD_* flags; privileged: may use the _ALARM
 * clocks), settime/gettime (-EINVAL if f is not a timerfd). The loop's side:
 * vfs_timerfd_deadline is the CLOCK_MONOTONIC ns when a timer next needs a wake-up (0:
 * none), vfs_timerfd_fire counts what expired and wakes its waiters. */
struct itimerspec;
int vfs_timerfd(int clock, int flags, bool privileged, struct file **out);
/* (an absolute time is on caller's clocks: its time namespace's) */
int vfs_timerfd_settime(struct task *caller, struct file *f, int flags,
			const struct itimerspec *nv, struct itimerspec *old);
int vfs_timerfd_gettime(struct file *f, struct itimerspec *cur);
long long vfs_timerfd_deadline(void);
void vfs_timerfd_fire(void);

/* eventfd (fs/eventfd.c): flags EFD_SEMAPHORE | EFD_NONBLOCK | EFD_CLOEXEC (checked). */
int vfs_eventfd(struct task *t, unsigned int initval, int flags, struct file **out);
bool vfs_is_eventfd(struct file *f);
/* The kernel's own add to an eventfd (AIO completions; Linux eventfd_signal): never blocks
 * or fails, saturating at UINT64_MAX, which polls as POLLERR and reads as such. */
void vfs_eventfd_signal(struct file *f, uint64_t n);

/* Memory the guests may think they have, in bytes: the host's at start as --memory leaves
 * it (total, and free less what the guests hold). For /proc/meminfo and sysinfo. */
void vfs_memory_facts(unsigned long *total, unsigned long *free);
/* The sandbox's own 1, 5 and 15 minute load averages, fixed point with 11 bits of
 * fraction as Linux's (for /proc/loadavg and sysinfo). */
void vfs_loadavg(unsigned long avg[3]);
/* The uptime guests see, ns: the host's CLOCK_BOOTTIME, as their clock_gettime says. */
long long vfs_boot_ns(void);
/* When that was by the wall clock (s), fixed as Linux's btime. */
time_t vfs_boot_wall(void);

/* A seccomp listener's file (fs/seccompfd.c; sentry/seccomp.c has the rest); _of: the
 * listener of f, or NULL if f is none. */
struct seccomp_listener;
struct file *vfs_seccomp_listener(struct seccomp_listener *l);
struct seccomp_listener *vfs_seccomp_listener_of(struct file *f);

/* pidfd (fs/pidfd.c): a file naming process pid (pidfd_open, CLONE_PIDFD), or thread pid
 * if thread (PIDFD_THREAD); poll readable once it ended. vfs_pidfd_pid: the pid it names,
 * or -EBADF if f is not a pidfd; vfs_pidfd_target: the same, and whether it is a thread's.
 * vfs_pidfd_wake: a thread exited, or a process ended or was reaped (sentry/task.c). */
int vfs_pidfd(int pid, bool thread, bool nonblock, struct file **out);
int vfs_pidfd_peer(int pid, struct file **out);
int vfs_pidfd_pid(struct file *f);
int vfs_pidfd_target(struct file *f, bool *thread);
/* Is the task of pidfd f in viewer's pid namespace or below it? */
bool vfs_pidfd_visible(struct file *f, const struct task *viewer);
/* The pid of a /proc/<pid> directory open in f (pidfd_send_signal takes one); -EBADF. */
int procfs_pid_dir(struct file *f);
/* Is f a directory of the cgroup2 hierarchy (clone3's CLONE_INTO_CGROUP takes one)? */
bool cgroupfs_is_dir(struct file *f);
/* sethostname (domain false) or setdomainname changed a name: /proc/sys/kernel/hostname or
 * domainname polls EPOLLERR|EPOLLPRI once per open file (Linux's uts poll events). */
void procfs_uts_changed(bool domain);
/* The CLONE_NEW* kind of a namespace file (what a /proc/PID/ns link opens), or -EINVAL. */
int procfs_ns_type(struct file *f);
/* The namespace object (sentry/ns.h) a namespace file of a UTS, IPC or mount namespace
 * stands for (borrowed), or NULL. */
struct ns_common *procfs_ns_object(struct file *f);
/* ioctl on a namespace file (NS_GET_NSTYPE, NS_GET_USERNS, NS_GET_PARENT,
 * NS_GET_OWNER_UID); -ENOIOCTLCMD when f is not one. */
long procfs_ns_ioctl(struct task *t, struct file *f, unsigned int cmd, unsigned long arg);
/* A new open file (O_RDONLY) of namespace object ns, as nsfs gives (a reference taken). */
struct file *procfs_ns_file(struct ns_common *ns);
/* The network namespace socket f lives in (SIOCGSKNS; borrowed), and the IPv4 addresses
 * of its lo (SIOCGIFCONF: network order, at most max into out; how many there are). */
struct ns_common *sock_net_ns(struct file *f);
int sock_ifconf_v4(struct file *f, uint32_t *out, int max);
bool sock_has_netdev(struct file *f, const char *name);
void vfs_pidfd_wake(void);
/* Task pid is gone (reaped, or a thread released) with this wait status: its pidfds keep
 * it for PIDFD_GET_INFO's PIDFD_INFO_EXIT, which vfs_pidfd_exit_info gives (-ESRCH: the
 * task is not gone yet; -EBADF: not a pidfd). */
void vfs_pidfd_exited(int pid, int wait_status);
int vfs_pidfd_exit_info(struct file *f, int *wait_status);

/* signalfd (fs/signalfd.c): reads take signals of mask pending for the task that reads
 * (current_task), poll answers for the one that polls. set_mask: -EINVAL if f is not one. */
struct file *vfs_signalfd(unsigned long mask, int nonblock);
int vfs_signalfd_set_mask(struct file *f, unsigned long mask);

/* epoll (fs/epoll.c). events/data as in struct epoll_event. */
struct epoll_event;
int vfs_epoll_create(struct task *t, struct file **out);
bool file_is_epoll(struct file *f);
/* EPOLL_CTL_ADD/MOD/DEL of target (guest fd number fd) in ep: 0 / -EEXIST, -ENOENT ... */
int vfs_epoll_ctl(struct file *ep, int op, int fd, struct file *target, unsigned int events,
		  unsigned long long data);
/* Up to max ready events into out (level- and edge-triggered, one-shot): the count. */
int vfs_epoll_ready(struct file *ep, struct epoll_event *out, int max);
int vfs_epoll_nitems(struct file *ep);   /* files watched: at most that many are ready */
struct file *vfs_epoll_target(struct file *ep, int fd, unsigned long off); /* kcmp: the off-th item for fd */

/* A call that must wait (a lock, a FIFO open) put the task on a queue: the syscall
 * layer returns SYSRET_BLOCK and the call re-runs when the queue is woken. */
#define VFS_BLOCK (-100002)

/* Advisory locks (fs/locks.c). fcntl F_GETLK/F_SETLK/F_SETLKW and F_OFD_*: fl in and
 * (GETLK) out, l_pid in guest pids; flock: op LOCK_SH/LOCK_EX/LOCK_UN. VFS_BLOCK to wait. */
struct flock;
int vfs_fcntl_lock(struct task *t, struct file *f, unsigned int cmd, struct flock *fl);
int vfs_flock(struct task *t, struct file *f, int op, bool nonblock);
/* A descriptor of f in the table owner was closed: owner's record locks on it go. */
void file_locks_close(struct file *f, void *owner);
/* fcntl F_NOTIFY (dnotify, fs/inotify.c) through descriptor fd: 0 / -errno. dnotify_close:
 * a descriptor of f in table owner was closed (owner NULL: f's last reference went). */
long vfs_dnotify(struct task *t, struct file *f, int fd, unsigned long arg);
void dnotify_close(struct file *f, void *owner);

/* Extended attributes (fs/xattr.c) of path (AT_SYMLINK_NOFOLLOW in at_flags for the l*
 * calls, AT_EMPTY_PATH for "" in the *at ones; relative to the directory f, or the cwd
 * with f NULL) or, with path NULL, of the open file f. name is checked by the caller
 * (1..255 bytes); sizes, limits and errors are the syscalls'. */
ssize_t vfs_getxattr(struct task *t, struct file *f, const char *path, int at_flags,
		     const char *name, void *buf, size_t size);
int vfs_setxattr(struct task *t, struct file *f, const char *path, int at_flags, const char *name,
		 const void *val, size_t size, int flags);
ssize_t vfs_listxattr(struct task *t, struct file *f, const char *path, int at_flags, char *buf,
		      size_t size);
int vfs_removexattr(struct task *t, struct file *f, const char *path, int at_flags,
		    const char *name);

/* inotify (fs/inotify.c). init flags IN_NONBLOCK | IN_CLOEXEC (checked); add_watch
 * returns the watch descriptor; both take -EINVAL for a file that is not an instance. */
int vfs_inotify_init(struct task *t, int flags, struct file **out);
int vfs_inotify_add_watch(struct task *t, struct file *in, const char *path, uint32_t mask);
int vfs_inotify_rm_watch(struct file *in, int wd);

/* Wraps an inherited host fd (the guest's stdin/stdout/stderr). Takes ownership of hostfd.
 * file_from_host_stdio: with the fd's own access mode and O_APPEND; NULL (hostfd not taken)
 * if it is not open. */
struct file *file_from_host_fd(int hostfd, int oflags);
struct file *file_from_host_stdio(int hostfd);

/* A host socket given to the guest as a std (or preserved) fd, as the CLI saw it before
 * the sentry was made (the sentry may not ask the host for its names): what getsockname,
 * getpeername and getsockopt show of it (syscalls/sys_socket.c serves the socket calls). */
struct host_sock {
	int type, domain, protocol;
	bool listening;                  /* SO_ACCEPTCONN */
	struct sockaddr_storage local, peer;
	socklen_t locallen, peerlen;     /* peerlen 0: no peer (ENOTCONN) */
	bool has_cred;                   /* AF_UNIX: the peer's SO_PEERCRED (host ids) */
	struct ucred cred;
};
/* In the CLI, before the sentry is cloned: note host fd hostfd if it is a socket. */
void hostsock_snapshot(int hostfd);
/* Note host socket hostfd (a connection accepted on such a socket) as hs. */
void hostsock_set(int hostfd, const struct host_sock *hs);
/* The host socket behind f, or NULL (not one, or not noted). */
const struct host_sock *file_host_sock(struct file *f);
/* The host fd behind a hostfd file (any), for the calls the sentry makes on it. */
int file_host_fd(struct file *f);

/* The filesystem types /proc/filesystems lists (NULL-terminated), sysfs(2)'s too. */
extern const char *const vfs_fs_types[];
/* ustat(2): an O_PATH file of the root of a mounted filesystem with device number dev
 * (of any mount namespace), for its statfs; -EINVAL if there is none. */
int vfs_open_dev_root(dev_t dev, struct file **out);
/* statfs(2) of the filesystem f is on (type, size and use, mount flags). */
struct statfs;
int file_statfs(struct file *f, struct statfs *sf);

/* Change export (fs/overlay.c): what the writable overlay holds against the host, parents
 * before children. created: a new object; modified: a host object copied up and changed
 * since, or a name of the host now holding a new object (opaque: a directory that hides
 * whatever the host had there); deleted: a host name removed. Mount points and what the
 * sandbox itself created to hold them are not changes. */
enum vfs_change_kind { VFS_CHANGE_CREATED, VFS_CHANGE_MODIFIED, VFS_CHANGE_DELETED };
struct vfs_change {
	const char *path;         /* absolute guest path */
	enum vfs_change_kind kind;
	mode_t mode;              /* type and permissions; deleted: the host object's (0 if gone) */
	off_t size;
	struct timespec mtime;
	const char *target;       /* symlinks: the target text, else NULL */
	const char *link;         /* a later name of a file already reported: its first path */
	bool opaque;
	void *obj;                /* for vfs_change_read */
};
/* Calls fn for every change (fn's non-zero return stops the walk and is returned).
 * *skipped counts changes left out because their path is PATH_MAX or longer. */
int vfs_changes(int (*fn)(const struct vfs_change *c, void *arg), void *arg,
		unsigned long *skipped);
/* Contents of a regular file change at off: bytes read, 0 at the end, or -errno. */
ssize_t vfs_change_read(const struct vfs_change *c, void *buf, size_t n, off_t off);
/* Calls fn(off, len) for each range of a regular file change that may hold data, in
 * increasing order (the rest are holes); fn's non-zero return stops and is returned. */
int vfs_change_extents(const struct vfs_change *c, int (*fn)(off_t off, off_t len, void *arg),
		       void *arg);

/* Mounts listing for /proc/mounts. */
int vfs_mounts_text(char *buf, size_t n);

/* Sockets (fs/socket.c): AF_UNIX stream, datagram, seqpacket; TCP and UDP on loopback. Calls never block: -EAGAIN
 * and the syscall layer waits (on file_waitq, or the queue sock_send / sock_connect_waitq
 * names). type without SOCK_NONBLOCK/SOCK_CLOEXEC; flags O_NONBLOCK. */
#include <sys/socket.h>
#include <sys/un.h>
#define SOCK_MAX_FDS 253          /* SCM_MAX_FD: descriptors per message */
struct sock_recvd {
	struct file **fds;        /* in: room for SOCK_MAX_FDS, or NULL to discard them;
				   * out: nfds references received */
	int nfds;
	int msg_flags;            /* MSG_TRUNC */
	bool urg_stop;            /* the read stopped at the urgent (unix: out-of-band) mark */
	struct sockaddr_un from;  /* the sender's name (datagrams), fromlen 0: unnamed */
	socklen_t fromlen;
	struct ucred cred;        /* the sender's (SCM_CREDENTIALS) */
	bool has_cred;
	unsigned ipcm;            /* inet control messages the receiver asked for (SOCK_CM_*) */
	int hoplimit, tclass;     /* their values: the packet's TTL / hop limit, TOS / class */
	int inq;                  /* TCP_INQ: bytes left to read (SOCK_CM_INQ) */
	int gro_size;             /* SOCK_CM_GRO */
	uint32_t mark;            /* SOCK_CM_MARK */
	long long tstamp;         /* SOCK_CM_TIMESTAMP(NS): when it came (CLOCK_REALTIME ns) */
	uint32_t dst4;            /* SOCK_CM_PKTINFO, ORIGDST: its destination (network order) */
	bool no_spec_dst;         /* SOCK_CM_PKTINFO: ipi_spec_dst stays 0 (a ping reply) */
	unsigned char dst6[16];   /* SOCK_CM_PKTINFO6, ORIGDST6 (v4-mapped for IPv4) */
	int dst_port;             /* host order */
	/* recvmsg(MSG_ERRQUEUE) of an inet socket (SOCK_CM_ERR): the error's control message,
	 * IP_RECVERR or IPV6_RECVERR (a sock_extended_err and the offender's address) */
	int err_level, err_type;
	unsigned char err_data[48];
	size_t err_len;
};
#define SOCK_CM_ERR 2048          /* IP_RECVERR / IPV6_RECVERR (MSG_ERRQUEUE) */
#define SOCK_CM_TTL 1             /* IP_TTL (IP_RECVTTL) */
#define SOCK_CM_TOS 2             /* IP_TOS (IP_RECVTOS) */
#define SOCK_CM_HOPLIMIT 4        /* IPV6_HOPLIMIT (IPV6_RECVHOPLIMIT) */
#define SOCK_CM_TCLASS 8          /* IPV6_TCLASS (IPV6_RECVTCLASS) */
#define SOCK_CM_INQ 16            /* TCP_CM_INQ (TCP_INQ) */
#define SOCK_CM_TIMESTAMP 32      /* SCM_TIMESTAMP (SO_TIMESTAMP) */
#define SOCK_CM_TIMESTAMPNS 64    /* SCM_TIMESTAMPNS (SO_TIMESTAMPNS) */
#define SOCK_CM_PKTINFO 128       /* IP_PKTINFO */
#define SOCK_CM_ORIGDST 256       /* IP_ORIGDSTADDR (IP_RECVORIGDSTADDR) */
#define SOCK_CM_PKTINFO6 512      /* IPV6_PKTINFO (IPV6_RECVPKTINFO) */
#define SOCK_CM_ORIGDST6 1024     /* IPV6_ORIGDSTADDR (IPV6_RECVORIGDSTADDR) */
#define SOCK_CM_GRO 4096          /* UDP_GRO: the segment size of what came whole */
#define SOCK_CM_TSTAMP_NEW 8192   /* with TIMESTAMP(NS): SO_TIMESTAMP(NS)_NEW's type */
#define SOCK_CM_MARK 16384        /* SO_MARK (SO_RCVMARK): the sender's mark */
#define SOCK_CM_TIMESTAMPING 32768 /* SCM_TIMESTAMPING: the software stamp (ts[0]) */
#ifndef SO_PASSPIDFD              /* (Linux 6.5; this libc's headers may lack them) */
#define SO_PASSPIDFD 76
#define SO_PEERPIDFD 77
#define SCM_PIDFD 4
#endif
/* What a sendmsg's control messages ask for (sock_sendmsg); sock_send: none. */
struct sock_sendopt {
	int hoplimit, tclass;     /* IP_TTL / IPV6_HOPLIMIT, IP_TOS / IPV6_TCLASS; -1: default */
	struct ucred cred;        /* SCM_CREDENTIALS (checked by the caller) */
	bool has_cred;
	bool oob;                 /* MSG_OOB (TCP): the last byte sent is urgent */
	bool more;                /* MSG_MORE (UDP): held until a send without it */
	bool has_gso;             /* UDP: a UDP_SEGMENT control message gave gso_size */
	int gso_size;
};
bool file_is_socket(struct file *f);
/* family AF_UNIX, AF_INET or AF_INET6 (loopback only: see fs/socket.c). Addresses below
 * are of the socket's family; a struct sockaddr_un holds any of them. */
int vfs_socket(struct task *t, int family, int type, int protocol, int flags, struct file **out);
int vfs_socketpair(struct task *t, int type, int flags, struct file *out[2]);
int sock_bind(struct task *t, struct file *f, const struct sockaddr_un *a, socklen_t len);
int sock_listen(struct file *f, int backlog);
void sock_listen_cred(struct task *t, struct file *f);  /* SO_PEERCRED its clients see */
/* SO_PEERGROUPS: the peer's supplementary groups as taken with SO_PEERCRED, their count;
 * -ENODATA without a peer credential. */
int sock_peer_groups(struct file *f, const gid_t **groups);
/* 1: it completed a connect that said EINPROGRESS (the call returns 0) */
int sock_connect(struct task *t, struct file *f, const struct sockaddr_un *a, socklen_t len);
struct waitq *sock_connect_waitq(struct task *t, const struct sockaddr_un *a, socklen_t len,
				 struct file *f);
int sock_accept(struct task *t, struct file *f, int flags, struct file **out);
/* A blocking accept found nothing: when a TCP_DEFER_ACCEPT connection shows (0: none). */
long long sock_accept_deadline(struct file *f);
/* The host's net.core.{w,r}mem_{default,max} (the sentry reads them before confinement). */
void sock_set_buf_limits(int wdef, int rdef, int wmax, int rmax);
/* The host kernel's CONFIG_HZ (socket timeouts count its jiffies) */
void sock_set_hz(int hz);
/* The host's net.ipv4.tcp_rmem and tcp_wmem (min, default, max), which a new namespace copies */
void sock_set_tcp_mem(const int rmem[3], const int wmem[3]);
/* net.ipv4.ping_group_range of t's network namespace (the host's, for the initial one) */
void sock_set_ping_groups(struct task *t, int lo, int hi);
int sock_name(struct file *f, bool peer, struct sockaddr_un *a, socklen_t *len);
int sock_shutdown(struct file *f, int how);
/* Queues up to n bytes (all or -EMSGSIZE for messages) with nfds descriptors to the peer
 * or to `to`; -EAGAIN with *wq set when the receiver is full. */
ssize_t sock_send(struct task *t, struct file *f, const void *buf, size_t n, struct file **fds,
		  int nfds, const struct sockaddr_un *to, socklen_t tolen, struct waitq **wq);
ssize_t sock_sendmsg(struct task *t, struct file *f, const void *buf, size_t n, struct file **fds,
		     int nfds, const struct sockaddr_un *to, socklen_t tolen,
		     const struct sock_sendopt *o, struct waitq **wq);
/* flags: MSG_PEEK, MSG_TRUNC, MSG_WAITALL, MSG_DONTWAIT. */
ssize_t sock_recv(struct task *t, struct file *f, void *buf, size_t n, int flags,
		  struct sock_recvd *r);
int sock_getsockopt(struct file *f, int level, int name, void *val, socklen_t *len);
int sock_setsockopt(struct file *f, int level, int name, const void *val, socklen_t len);
/* A send with MSG_ZEROCOPY ended with result: a notice on the error queue (SO_ZEROCOPY) */
void sock_zerocopy_sent(struct file *f, long result);
long long sock_timeout_ns(struct file *f, bool send);   /* SO_RCVTIMEO/SO_SNDTIMEO, 0: none, -1: never wait */
int sock_type(struct file *f);
int sock_family(struct file *f);
int sock_accept_name(struct file *f, struct sockaddr_un *a, socklen_t *len); /* accept's */
size_t sock_send_room(struct file *f); /* bytes one stream send would take now (SIZE_MAX: any) */
/* SO_ATTACH_FILTER's classic BPF program (n instructions, checked already): kept for
 * SO_GET_FILTER, applied to nothing. 0 / -EPERM (SO_LOCK_FILTER). sock_filter_prog: the
 * program attached (NULL, *n 0: none). */
struct sock_filter;
int sock_set_filter(struct file *f, const struct sock_filter *prog, unsigned n);
const struct sock_filter *sock_filter_prog(struct file *f, unsigned *n);
void sock_set_error(struct file *f, int err); /* SO_ERROR: the next call returns -err */
/* file_put of a socket file that keeps references: collects unix sockets only in flight. */
void sock_file_unref(struct file *f);
void sock_connect_inprogress(struct file *f); /* the next connect completes it: 0 */

#define ENOIOCTLCMD 515 /* "not mine, try the next handler" (kernel-internal) */
/* ioctl on /dev/random or /dev/urandom (arg: the guest's pointer); -ENOIOCTLCMD for
 * other files. */
long devfs_random_ioctl(struct task *t, struct file *f, unsigned long cmd, unsigned long arg);
long devfs_tun_ioctl(struct task *t, struct file *f, unsigned long cmd, unsigned long arg); /* /dev/net/tun */
/* PROCMAP_QUERY on /proc/PID/maps (fs/procfs.c); -ENOIOCTLCMD for any other file or call. */
long procfs_ioctl(struct task *t, struct file *f, unsigned long cmd, unsigned long arg);

/* Landlock (fs/landlock.c). Rights as in <linux/landlock.h>. */
#define LL_FS_EXECUTE (1ULL << 0)
#define LL_FS_WRITE_FILE (1ULL << 1)
#define LL_FS_READ_FILE (1ULL << 2)
#define LL_FS_READ_DIR (1ULL << 3)
#define LL_FS_REMOVE_DIR (1ULL << 4)
#define LL_FS_REMOVE_FILE (1ULL << 5)
#define LL_FS_MAKE_CHAR (1ULL << 6)
#define LL_FS_MAKE_DIR (1ULL << 7)
#define LL_FS_MAKE_REG (1ULL << 8)
#define LL_FS_MAKE_SOCK (1ULL << 9)
#define LL_FS_MAKE_FIFO (1ULL << 10)
#define LL_FS_MAKE_BLOCK (1ULL << 11)
#define LL_FS_MAKE_SYM (1ULL << 12)
#define LL_FS_REFER (1ULL << 13)
#define LL_FS_TRUNCATE (1ULL << 14)
#define LL_FS_IOCTL_DEV (1ULL << 15)
#define LL_NUM_FS 16
#define LL_FS_ALL ((1ULL << LL_NUM_FS) - 1)
/* the rights that apply to a file (not a directory) */
#define LL_ACCESS_FILE (LL_FS_EXECUTE | LL_FS_WRITE_FILE | LL_FS_READ_FILE | LL_FS_TRUNCATE | \
			LL_FS_IOCTL_DEV)
#define LL_NET_BIND_TCP (1ULL << 0)
#define LL_NET_CONNECT_TCP (1ULL << 1)
#define LL_SCOPE_ABSTRACT_UNIX (1ULL << 0)
#define LL_SCOPE_SIGNAL (1ULL << 1)
#define LL_MAX_LAYERS 16
struct ll_domain;
struct ll_domain *landlock_get(struct ll_domain *d);
void landlock_put(struct ll_domain *d);
/* The syscalls' steps after their argument copies: -ENOMSG for an empty ruleset; the
 * ruleset file's checks (-EBADFD, -EPERM; write: adding rules); a rule beneath file f
 * (NULL: -EBADF) or for a TCP port; t's new layer (-E2BIG past LL_MAX_LAYERS). */
int landlock_ruleset_new(uint64_t fs, uint64_t net, uint64_t scoped, struct file **out);
int landlock_ruleset_check(struct file *rf, bool write);
int landlock_add_path_rule(struct file *rf, uint64_t access, struct file *f);
int landlock_add_port_rule(struct file *rf, uint64_t access, uint64_t port);
int landlock_restrict(struct task *t, struct file *rf);
/* Enforcement: execve's open of f (read and execute); ftruncate and ioctl on f; changes
 * of the mount tree (-EPERM); TCP bind or connect to port (host order). -EACCES. */
int landlock_exec(struct task *t, struct file *f);
int landlock_file_truncate(struct file *f);
int landlock_ioctl(struct file *f, unsigned int cmd);
int landlock_mount_change(struct task *t);
bool landlock_handles_net(struct task *t, bool bind);
int landlock_tcp(struct task *t, bool bind, unsigned port);
/* Scopes: may t not reach an object (a socket, a process) of domain other? */
bool landlock_scoped(struct task *t, struct ll_domain *other, uint64_t scope);
/* ptrace and what ptrace_may_access guards: tracer's domain must be tracee's or below. */
bool landlock_ptrace_ok(const struct ll_domain *tracer, const struct ll_domain *tracee);
