/* mount(2) and umount2(2): the sandbox's own mount tree (fs/mount.c); nothing reaches the
 * host. */
#include <string.h>
#include <sys/mount.h>

#include "fs/vfs.h"
#include "sentry/ns.h"
#include "sentry/vma.h"
#include "syscalls/internal.h"

/* A string argument of mount (source, type): NULL stays NULL, at most a page. */
/* Linux strndup_user(s, max): max bytes with the NUL, -EINVAL when longer. */
static long
string_arg(struct task *t, unsigned long addr, size_t max, char **out)
{
	char *s = xmalloc(max);
	long n = strncpy_from_guest(t, s, addr, max);

	if (n < 0) {
		free(s);
		return n == -ENAMETOOLONG ? -EINVAL : n;
	}
	*out = s;
	return 0;
}

/* mount(2)'s strings: a page at most; NULL stays NULL. */
static long
mount_string(struct task *t, unsigned long addr, char **out)
{
	*out = NULL;
	return addr ? string_arg(t, addr, PAGE_SIZE, out) : 0;
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
	err = vfs_mount(t, source, target, type, flags, data);
	if (!err)
		vfs_mounts_changed();
	return err;
}

SYSCALL(umount2)
{
	_cleanup_free_ char *target = NULL;
	long err = path_from_guest(t, a->a[0], &target);

	if (!err)
		err = vfs_umount(t, target, (int)a->a[1]);
	if (!err)
		vfs_mounts_changed();
	return err;
}

SYSCALL(pivot_root)
{
	_cleanup_free_ char *new_root = NULL, *put_old = NULL;
	long err = path_from_guest(t, a->a[0], &new_root);

	if (!err)
		err = path_from_guest(t, a->a[1], &put_old);
	if (!err)
		err = vfs_pivot_root(t, new_root, put_old);
	if (!err)
		vfs_mounts_changed();
	return err;
}

/* ---- the mount API of descriptors (Linux 5.2): checks in Linux's order, then fs/mount.c ---- */

#ifndef FSOPEN_CLOEXEC
#define FSOPEN_CLOEXEC 0x1
#endif
#ifndef FSMOUNT_CLOEXEC
#define FSMOUNT_CLOEXEC 0x1
#endif
#ifndef FSPICK_CLOEXEC
#define FSPICK_CLOEXEC 0x1
#define FSPICK_SYMLINK_NOFOLLOW 0x2
#define FSPICK_NO_AUTOMOUNT 0x4
#define FSPICK_EMPTY_PATH 0x8
#endif
#ifndef OPEN_TREE_CLONE
#define OPEN_TREE_CLONE 1
#endif
#ifndef AT_RECURSIVE
#define AT_RECURSIVE 0x8000
#endif
#define FSCONFIG_SET_FLAG_ 0
#define FSCONFIG_SET_STRING_ 1
#define FSCONFIG_SET_BINARY_ 2
#define FSCONFIG_SET_PATH_ 3
#define FSCONFIG_SET_PATH_EMPTY_ 4
#define FSCONFIG_SET_FD_ 5
#define FSCONFIG_CMD_CREATE_ 6
#define FSCONFIG_CMD_RECONFIGURE_ 7
#define FSCONFIG_CMD_CREATE_EXCL_ 8
#define MOVE_MOUNT_SET_GROUP_ 0x100
#define MOVE_MOUNT_BENEATH_ 0x200
#define MOVE_MOUNT_MASK_ 0x377
#define MOUNT_ATTR_KNOWN_ 0xffU  /* RDONLY NOSUID NODEV NOEXEC _ATIME NODIRATIME */

SYSCALL(fsopen)
{
	_cleanup_free_ char *name = NULL;
	unsigned flags = a->a[1];
	struct file *f;
	long err;

	if (!task_capable_in(t, NS_MNT, CAP_SYS_ADMIN))
		return -EPERM;
	if (flags & ~FSOPEN_CLOEXEC)
		return -EINVAL;
	err = string_arg(t, a->a[0], PAGE_SIZE, &name);
	if (!err)
		err = vfs_fsopen(t, name, &f);
	return err ? err : sys_install(t, f, flags & FSOPEN_CLOEXEC);
}

SYSCALL(fsconfig)
{
	_cleanup_free_ char *key = NULL, *value = NULL;
	long fd = (int)a->a[0];
	unsigned cmd = a->a[1];
	unsigned long ukey = a->a[2], uvalue = a->a[3];
	int aux = (int)a->a[4];
	long err;

	if (fd < 0)
		return -EINVAL;
	switch (cmd) {
	case FSCONFIG_SET_FLAG_:
		if (!ukey || uvalue || aux)
			return -EINVAL;
		break;
	case FSCONFIG_SET_STRING_:
		if (!ukey || !uvalue || aux)
			return -EINVAL;
		break;
	case FSCONFIG_SET_BINARY_:
		if (!ukey || !uvalue || aux <= 0 || aux > 1024 * 1024)
			return -EINVAL;
		break;
	case FSCONFIG_SET_PATH_:
	case FSCONFIG_SET_PATH_EMPTY_:
		if (!ukey || !uvalue || (aux != AT_FDCWD && aux < 0))
			return -EINVAL;
		break;
	case FSCONFIG_SET_FD_:
		if (!ukey || uvalue || aux < 0)
			return -EINVAL;
		break;
	case FSCONFIG_CMD_CREATE_:
	case FSCONFIG_CMD_CREATE_EXCL_:
	case FSCONFIG_CMD_RECONFIGURE_:
		if (ukey || uvalue || aux)
			return -EINVAL;
		break;
	default:
		return -EOPNOTSUPP;
	}
	struct file *f = sys_fd(t, fd);
	if (!f)
		return -EBADF;
	if (ukey && (err = string_arg(t, ukey, 256, &key)))
		return err;
	if (cmd == FSCONFIG_SET_STRING_ && (err = string_arg(t, uvalue, 256, &value)))
		return err;
	return vfs_fsconfig(t, f, cmd, key, value);
}

SYSCALL(fsmount)
{
	unsigned flags = a->a[1], attr = a->a[2];
	struct file *f, *m;
	long err;

	if (!task_capable_in(t, NS_MNT, CAP_SYS_ADMIN))
		return -EPERM;
	if (flags & ~FSMOUNT_CLOEXEC)
		return -EINVAL;
	if (attr & ~MOUNT_ATTR_KNOWN_)
		return -EINVAL;
	switch (attr & MOUNT_ATTR__ATIME) {
	case MOUNT_ATTR_STRICTATIME: case MOUNT_ATTR_NOATIME: case MOUNT_ATTR_RELATIME:
		break;
	default:
		return -EINVAL;
	}
	f = sys_fd(t, (int)a->a[0]);
	if (!f)
		return -EBADF;
	err = vfs_fsmount(t, f, attr, &m);
	return err ? err : sys_install(t, m, flags & FSMOUNT_CLOEXEC);
}

SYSCALL(fspick)
{
	_cleanup_free_ char *path = NULL;
	unsigned flags = a->a[2];
	struct file *dirf, *f;
	long err;

	if (!task_capable_in(t, NS_MNT, CAP_SYS_ADMIN))
		return -EPERM;
	if (flags & ~(FSPICK_CLOEXEC | FSPICK_SYMLINK_NOFOLLOW | FSPICK_NO_AUTOMOUNT | FSPICK_EMPTY_PATH))
		return -EINVAL;
	int at = (flags & FSPICK_SYMLINK_NOFOLLOW ? AT_SYMLINK_NOFOLLOW : 0) |
		 (flags & FSPICK_EMPTY_PATH ? AT_EMPTY_PATH : 0);
	err = sys_path_arg(t, a->a[1], at, false, &path);
	if (!err)
		err = sys_dirfd_path(t, (int)a->a[0], path, &dirf);
	if (!err)
		err = vfs_fspick(t, dirf, path, at, &f);
	return err ? err : sys_install(t, f, flags & FSPICK_CLOEXEC);
}

SYSCALL(move_mount)
{
	_cleanup_free_ char *from = NULL, *to = NULL;
	unsigned flags = a->a[4];
	struct file *fromf, *tof;
	long err;

	if (!task_capable_in(t, NS_MNT, CAP_SYS_ADMIN))
		return -EPERM;
	if (flags & ~MOVE_MOUNT_MASK_)
		return -EINVAL;
	if ((flags & MOVE_MOUNT_BENEATH_) && (flags & MOVE_MOUNT_SET_GROUP_))
		return -EINVAL;
	err = sys_path_arg(t, a->a[1], flags & MOVE_MOUNT_F_EMPTY_PATH ? AT_EMPTY_PATH : 0, false,
			   &from);
	if (!err)
		err = sys_dirfd_path(t, (int)a->a[0], from, &fromf);
	if (!err)
		err = sys_path_arg(t, a->a[3], flags & MOVE_MOUNT_T_EMPTY_PATH ? AT_EMPTY_PATH : 0,
				   false, &to);
	if (!err)
		err = sys_dirfd_path(t, (int)a->a[2], to, &tof);
	if (!err)
		err = vfs_move_mount(t, fromf, from, tof, to, flags);
	if (!err)
		vfs_mounts_changed();
	return err;
}

#ifndef MOUNT_ATTR_IDMAP
#define MOUNT_ATTR_IDMAP 0x00100000
#endif
#ifndef MOUNT_ATTR_NOSYMFOLLOW
#define MOUNT_ATTR_NOSYMFOLLOW 0x00200000
#endif
#define MOUNT_ATTR_SIZE_VER0_ 32

struct mount_attr_ {
	uint64_t attr_set, attr_clr, propagation, userns_fd;
};

/* Linux build_mount_kattr: one propagation type at most; the atime mode (an enum in
 * MOUNT_ATTR__ATIME) changes only when attr_clr names the whole field. ID-mapped and
 * nosymfollow mounts are not offered (EINVAL). */
static long
setattr_check(const struct mount_attr_ *ma)
{
	const uint64_t prop = MS_SHARED | MS_SLAVE | MS_PRIVATE | MS_UNBINDABLE;
	const uint64_t valid = MOUNT_ATTR_KNOWN_ | MOUNT_ATTR_IDMAP | MOUNT_ATTR_NOSYMFOLLOW;
	uint64_t both = ma->attr_set | ma->attr_clr;

	if ((ma->propagation & ~prop) || __builtin_popcountll(ma->propagation) > 1)
		return -EINVAL;
	if (both & ~valid)
		return -EINVAL;
	if (ma->attr_clr & MOUNT_ATTR__ATIME) {
		if ((ma->attr_clr & MOUNT_ATTR__ATIME) != MOUNT_ATTR__ATIME)
			return -EINVAL;
		switch (ma->attr_set & MOUNT_ATTR__ATIME) {
		case MOUNT_ATTR_RELATIME: case MOUNT_ATTR_NOATIME: case MOUNT_ATTR_STRICTATIME:
			break;
		default:
			return -EINVAL;
		}
	} else if (ma->attr_set & MOUNT_ATTR__ATIME) {
		return -EINVAL;
	}
	return both & (MOUNT_ATTR_IDMAP | MOUNT_ATTR_NOSYMFOLLOW) ? -EINVAL : 0;
}

/* Linux's order: flags, the struct (size E2BIG/EINVAL, CAP_SYS_ADMIN, copy), a change that
 * changes nothing is 0 before any lookup, then build_mount_kattr's checks, then the path. */
SYSCALL(mount_setattr)
{
	_cleanup_free_ char *path = NULL;
	unsigned flags = a->a[2];
	size_t usize = a->a[4];
	struct mount_attr_ ma;
	struct file *dirf;
	long err;

	if (flags & ~(AT_EMPTY_PATH | AT_RECURSIVE | AT_SYMLINK_NOFOLLOW | AT_NO_AUTOMOUNT))
		return -EINVAL;
	if (usize > PAGE_SIZE)
		return -E2BIG;
	if (usize < MOUNT_ATTR_SIZE_VER0_)
		return -EINVAL;
	if (!task_capable_in(t, NS_MNT, CAP_SYS_ADMIN))
		return -EPERM;
	if ((err = sys_copy_struct(t, &ma, sizeof(ma), a->a[3], usize)))
		return err;
	if (!ma.attr_set && !ma.attr_clr && !ma.propagation)
		return 0;
	if ((err = setattr_check(&ma)))
		return err;
	int at = flags & (AT_EMPTY_PATH | AT_SYMLINK_NOFOLLOW);
	err = sys_path_arg(t, a->a[1], at, false, &path);
	if (!err)
		err = sys_dirfd_path(t, (int)a->a[0], path, &dirf);
	if (!err)
		err = vfs_mount_setattr(t, dirf, path, at, ma.attr_set, ma.attr_clr,
					ma.propagation, flags & AT_RECURSIVE);
	if (!err)
		vfs_mounts_changed();
	return err;
}

/* open_tree's work: the checks of flags, then the file of the path (or of a clone of its
 * mount, or tree with AT_RECURSIVE) in *f. */
static long
open_tree_file(struct task *t, long dfd, unsigned long upath, unsigned flags, struct file **f)
{
	_cleanup_free_ char *path = NULL;
	bool clone = flags & OPEN_TREE_CLONE;
	struct file *dirf;
	long err;

	if (flags & ~(AT_EMPTY_PATH | AT_NO_AUTOMOUNT | AT_RECURSIVE | AT_SYMLINK_NOFOLLOW |
		      OPEN_TREE_CLONE | O_CLOEXEC))
		return -EINVAL;
	if ((flags & (AT_RECURSIVE | OPEN_TREE_CLONE)) == AT_RECURSIVE)
		return -EINVAL;
	if (clone && !task_capable_in(t, NS_MNT, CAP_SYS_ADMIN))
		return -EPERM;
	int at = flags & (AT_EMPTY_PATH | AT_SYMLINK_NOFOLLOW);
	err = sys_path_arg(t, upath, at, false, &path);
	if (!err)
		err = sys_dirfd_path(t, dfd, path, &dirf);
	if (!err)
		err = vfs_open_tree(t, dirf, path, at, clone, flags & AT_RECURSIVE, f);
	return err;
}

SYSCALL(open_tree)
{
	struct file *f;
	long err = open_tree_file(t, (int)a->a[0], a->a[1], a->a[2], &f);

	return err ? err : sys_install(t, f, a->a[2] & O_CLOEXEC);
}

/* open_tree_attr (Linux 6.15): open_tree, then mount_setattr's change (a[3], a[4] bytes) on
 * what it opened (the whole clone with AT_RECURSIVE) before the fd is made; the struct is
 * checked after the path. Without OPEN_TREE_CLONE the change is the mount's own. */
SYSCALL(open_tree_attr)
{
	unsigned flags = a->a[2];
	size_t usize = a->a[4];
	struct mount_attr_ ma;
	struct file *f;
	long err;

	if (!a->a[3] && usize)
		return -EINVAL;
	if ((err = open_tree_file(t, (int)a->a[0], a->a[1], flags, &f)))
		return err;
	if (a->a[3]) {
		if (usize > PAGE_SIZE)
			err = -E2BIG;
		else if (usize < MOUNT_ATTR_SIZE_VER0_)
			err = -EINVAL;
		else
			err = sys_copy_struct(t, &ma, sizeof(ma), a->a[3], usize);
		if (!err && (ma.attr_set || ma.attr_clr || ma.propagation)) {
			err = setattr_check(&ma);
			if (!err)
				err = vfs_mount_setattr(t, f, "", AT_EMPTY_PATH, ma.attr_set,
							ma.attr_clr, ma.propagation,
							flags & AT_RECURSIVE);
			if (!err)
				vfs_mounts_changed();
		}
		if (err) {
			file_put(f);
			return err;
		}
	}
	return sys_install(t, f, flags & O_CLOEXEC);
}

/* ---- statmount(2) and listmount(2) ---- */

#define MNT_ID_REQ_SIZE_VER0_ 24
#define LISTMOUNT_REVERSE_ 1U
#define LISTMOUNT_MAX_ 1000000   /* Linux: more is EOVERFLOW (iterate instead) */

struct mnt_id_req_ {
	uint32_t size;
	uint32_t mnt_ns_fd;       /* Linux 6.18; 0: by mnt_ns_id, or the caller's */
	uint64_t mnt_id;
	uint64_t param;           /* statmount: the STATMOUNT_* mask; listmount: last id */
	uint64_t mnt_ns_id;       /* size 32 on */
};

/* Linux copy_mnt_id_req: the struct by its own size, then its fields. */
static long
mnt_id_req_arg(struct task *t, unsigned long uaddr, struct mnt_id_req_ *r)
{
	uint32_t usize;
	long err;

	if (copy_from_guest(t, &usize, uaddr, sizeof(usize)))
		return -EFAULT;
	if (usize < MNT_ID_REQ_SIZE_VER0_)
		return -EINVAL;
	if (usize > PAGE_SIZE)
		return -E2BIG;
	if ((err = sys_copy_struct(t, r, sizeof(*r), uaddr, usize)))
		return err;
	if (r->mnt_ns_fd && r->mnt_ns_id)
		return -EINVAL;
	/* the first unique id is past the offset: no confusion with mountinfo's */
	return r->mnt_id <= VFS_MNT_UNIQUE_ID_OFFSET ? -EINVAL : 0;
}

/* The namespace a request names: by descriptor (EBADF; EINVAL if not a mount namespace's
 * file), by id (ENOENT), else the caller's. Another than the caller's needs CAP_SYS_ADMIN
 * over it, else it is not there (ENOENT), as Linux checks by id. */
static long
mnt_id_req_ns(struct task *t, const struct mnt_id_req_ *r, struct ns_common **out)
{
	struct ns_common *ns = ns_of(t, NS_MNT);

	if (r->mnt_ns_fd) {
		struct file *f = sys_fd(t, (int)r->mnt_ns_fd);

		if (!f)
			return -EBADF;
		ns = procfs_ns_object(f);
		if (!ns || ns->kind != NS_MNT)
			return -EINVAL;
	} else if (r->mnt_ns_id) {
		ns = vfs_mnt_ns_lookup(r->mnt_ns_id);
		if (!ns)
			return -ENOENT;
	}
	if (ns != ns_of(t, NS_MNT) && !task_ns_capable(t, ns_owner(ns), CAP_SYS_ADMIN))
		return -ENOENT;
	*out = ns;
	return 0;
}

/* Is [addr, addr + n) in the user half (Linux access_ok)? */
static bool
user_range(unsigned long addr, size_t n)
{
	return n <= VMA_TASK_SIZE && addr <= VMA_TASK_SIZE - n;
}

SYSCALL(statmount)
{
	unsigned long buf = a->a[1];
	size_t bufsize = a->a[2];
	struct mnt_id_req_ r;
	struct statmount_ sm;
	struct ns_common *ns;
	_cleanup_free_ char *str = NULL;
	size_t len;
	long err;

	if ((unsigned int)a->a[3]) /* (flags: an unsigned int) */
		return -EINVAL;
	if ((err = mnt_id_req_arg(t, a->a[0], &r)) || (err = mnt_id_req_ns(t, &r, &ns)))
		return err;
	if (!user_range(buf, bufsize))
		return -EFAULT;
	if ((err = vfs_statmount(t, ns, r.mnt_id, r.param, bufsize, &sm, &str, &len)))
		return err;
	/* the strings after the fixed part, which goes as far as the buffer does */
	size_t fixed = MIN(bufsize, sizeof(sm));
	sm.size = (uint32_t)(fixed + len);
	if (len && copy_to_guest(t, buf + sizeof(sm), str, len))
		return -EFAULT;
	return copy_to_guest(t, buf, &sm, fixed) ? -EFAULT : 0;
}

SYSCALL(listmount)
{
	unsigned long uids = a->a[1];
	size_t n = a->a[2];
	unsigned flags = (unsigned)a->a[3];
	struct mnt_id_req_ r;
	struct ns_common *ns;
	long got;

	if (flags & ~LISTMOUNT_REVERSE_)
		return -EINVAL;
	if (n > LISTMOUNT_MAX_)
		return -EOVERFLOW;
	if (!user_range(uids, n * sizeof(uint64_t)))
		return -EFAULT;
	if ((got = mnt_id_req_arg(t, a->a[0], &r)))
		return got;
	/* param: the last id seen (0: from the start) */
	if (r.param && r.param <= VFS_MNT_UNIQUE_ID_OFFSET)
		return -EINVAL;
	if ((got = mnt_id_req_ns(t, &r, &ns)))
		return got;
	_cleanup_free_ uint64_t *ids = xcalloc(n ? n : 1, sizeof(*ids));
	got = vfs_listmount(t, ns, r.mnt_id, r.param, flags & LISTMOUNT_REVERSE_, ids, n);
	if (got > 0 && copy_to_guest(t, uids, ids, (size_t)got * sizeof(*ids)))
		return -EFAULT;
	return got;
}
