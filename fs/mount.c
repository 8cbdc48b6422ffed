/* The mount tree, vfs_init, per-task fs contexts, and paths as strings. */
#include <stdio.h>
#include <string.h>
#include <linux/mount.h>
#include <sys/mount.h>
#include <sys/statfs.h>
#include <sys/statvfs.h>
#include <sys/sysmacros.h>

#include "fs/gofer.h"
#include "fs/internal.h"
#include "fs/ldisc.h"
#include "sentry/ns.h"
#include "sentry/sentry.h"

struct mount *vfs_mounts;
static struct mount *vfs_unmounted; /* unmounted mounts still on their parents, in mount order */
static struct mount *root_mount;
static int next_mount_id = 20;
static struct mount *last_added;  /* a hint for mount_add (checked: the tail moves) */
static time_t boot_real;          /* the wall clock's second at boot (/proc/stat btime) */

struct mount *
vfs_root_mount(void)
{
	return root_mount;
}

time_t
vfs_boot_wall(void)
{
	return boot_real;
}

/* The host's boot: the guests read CLOCK_BOOTTIME from the host, and Linux's uptime, btime
 * and start times count from where that clock does. */
long long
vfs_boot_ns(void)
{
	struct timespec now;

	clock_gettime(CLOCK_BOOTTIME, &now);
	return now.tv_sec * 1000000000LL + now.tv_nsec;
}

/*
 * An index for mount_lookup: (parent, mount point, on which list) -> the mount on top.
 * Every change to the lists, a parent or a mount point bumps mounts_gen (tree_changed)
 * and makes it stale, but for a mount added (on top: mount_add keeps it up to date). A
 * stale index is rebuilt when lookups found it so several times with no change in
 * between: path walks (which cross mount points all the time) then do not scan every
 * mount, and a loop of changes and a few lookups (unmounts, moves) does not rebuild it
 * for each change.
 */
#define MP_STALE_SCANS 8
struct mp_key {
	struct mount *parent;
	struct dentry *d;
	long unmounted;
};
struct mp_entry {
	struct mp_key k;
	struct mount *m;
	UT_hash_handle hh;
};
static struct mp_entry *mp_index;
static unsigned long mounts_gen = 1, mp_gen, mp_stale_gen;
static int mp_stale_scans;

static void
tree_changed(void)
{
	mounts_gen++;
}

/* m, the last on its list so far, is the one on top at its spot */
static void
mp_add(struct mount *m, long unmounted)
{
	struct mp_key k = { m->parent, m->mountpoint, unmounted };
	struct mp_entry *e;

	if (!m->parent)
		return;
	HASH_FIND(hh, mp_index, &k, sizeof(k), e);
	if (!e) {
		e = xcalloc(1, sizeof(*e));
		e->k = k;
		HASH_ADD(hh, mp_index, k, sizeof(e->k), e);
	}
	e->m = m;
}

static void
mp_rebuild(void)
{
	struct mp_entry *e, *tmp;
	struct mount *m;

	HASH_ITER(hh, mp_index, e, tmp) {
		HASH_DEL(mp_index, e);
		free(e);
	}
	for (m = vfs_mounts; m; m = m->next)
		mp_add(m, 0);
	for (m = vfs_unmounted; m; m = m->next)
		mp_add(m, 1);
	mp_gen = mounts_gen;
}

struct mount *
mount_add(struct super_block *sb, struct dentry *root, struct mount *parent,
	  struct dentry *mountpoint, unsigned flags)
{
	struct mount *m = xcalloc(1, sizeof(*m)), **pp;

	m->id = next_mount_id++;
	m->sb = sb;
	m->root = dget(root);
	m->parent = parent;
	m->mountpoint = dget(mountpoint);
	m->flags = flags;
	if (mountpoint)
		mountpoint->mounted++;
	/* the mount added last is still the list's tail unless something moved or unmounted
	 * since: a propagation adds thousands, and a walk to the tail for each was quadratic */
	if (last_added && !last_added->detached && !last_added->next && last_added != m)
		pp = &last_added->next;
	else
		for (pp = &vfs_mounts; *pp; pp = &(*pp)->next)
			;
	*pp = m;
	last_added = m;
	bool fresh = mp_gen == mounts_gen;
	tree_changed();
	if (fresh) { /* on top at its spot (the list's last): the index stays good */
		mp_add(m, 0);
		mp_gen = mounts_gen;
	}
	return m;
}

/* A filesystem that builds a new dentry at each lookup (procfs: SB_NOCACHE) is mounted
 * on by inode: a bind of /proc/sys onto itself (bwrap) is found again. */
static bool
same_mountpoint(struct dentry *mp, struct dentry *d)
{
	if (mp == d)
		return true;
	return mp && d && mp->sb == d->sb && (d->sb->flags & SB_NOCACHE) && mp->inode &&
	       d->inode && mp->inode->ino == d->inode->ino;
}

struct mount *
mount_lookup(struct mount *parent, struct dentry *d)
{
	struct mount *m, *found = NULL;

	/* (a filesystem without a dentry cache is mounted on by inode: same_mountpoint) */
	if (d && !(d->sb && (d->sb->flags & SB_NOCACHE))) {
		if (mp_gen != mounts_gen) {
			if (mp_stale_gen != mounts_gen) {
				mp_stale_gen = mounts_gen;
				mp_stale_scans = 0;
			}
			if (++mp_stale_scans > MP_STALE_SCANS)
				mp_rebuild();
		}
		if (mp_gen == mounts_gen) {
			struct mp_key k = { parent, d, parent->detached };
			struct mp_entry *e;

			HASH_FIND(hh, mp_index, &k, sizeof(k), e);
			return e ? e->m : NULL;
		}
	}
	for (m = parent->detached ? vfs_unmounted : vfs_mounts; m; m = m->next)
		if (m->parent == parent && same_mountpoint(m->mountpoint, d))
			found = m; /* the last one mounted is on top */
	return found;
}

/* The top of the tree m hangs in: the root mount, or an anonymous tree's root. */
static struct mount *
tree_root(struct mount *m)
{
	while (m->parent)
		m = m->parent;
	return m;
}

/* A mount namespace (sentry/ns.h): its tree's root mount. A fresh copy remembers which
 * mount each of its mounts copies until a task moves in (root and cwd follow). */
struct mnt_ns {
	struct ns_common ns;
	uint64_t id;              /* statmount's mnt_ns_id (NS_GET_MNTNS_ID), never reused */
	struct mount *root;
	struct mount **map;       /* fresh copy: pairs (original, copy), nmap of them */
	int nmap;
};

/* The root of the mount tree of t's namespace (the caller's: current_task, when t is
 * NULL; the initial one for the sentry itself). */
static struct mount *
ns_root_of(struct task *t)
{
	struct mnt_ns *ns = (struct mnt_ns *)ns_of(t ? t : current_task, NS_MNT);

	return ns ? ns->root : root_mount;
}

/* Is m in the caller's mount namespace's tree (not unmounted, not in an anonymous tree)? */
static bool
in_main_tree(struct mount *m)
{
	return !m->detached && tree_root(m) == ns_root_of(NULL);
}

/* Is m in another mount namespace's tree than the caller's (Linux check_mnt fails)? */
static bool
in_other_ns(struct mount *m)
{
	struct mount *r = tree_root(m);

	return !m->detached && r->ns && r != ns_root_of(NULL);
}

/* Is m in an anonymous tree (fsmount, open_tree) that is still alive? */
static bool
in_anon_tree(struct mount *m)
{
	return !m->detached && tree_root(m)->anon;
}

/* Gives the dentry of a mount point, creating it when missing, of the kind the mount's
 * root is (a directory, or a regular file for a file mount; the directories above it
 * too): a real one on writable filesystems, else a synthetic one in the dentry cache. */
static int
ensure_mountpoint(const char *path, bool dir, struct path *out)
{
	_cleanup_free_ char *parent = NULL;
	struct nameidata nd;
	struct path pdir = { 0 }, scratch = { 0 };
	struct dentry *d = NULL;
	const char *name;
	int err;

	err = vfs_resolve_at(NULL, NULL, path, 0, out);
	if (err != -ENOENT)
		return err;
	err = dir ? vfs_mkdirat(NULL, NULL, path, 0755)
		  : vfs_mknodat(NULL, NULL, path, S_IFREG | 0644, 0);
	if (err == 0 || err == -EEXIST)
		return vfs_resolve_at(NULL, NULL, path, 0, out);
	name = strrchr(path, '/');
	if (!name || !name[1] || strlen(name + 1) > NAME_MAX)
		return -EINVAL;
	parent = xstrdup(path);
	parent[name - path] = '\0';
	err = ensure_mountpoint(parent[0] ? parent : "/", true, &pdir);
	if (err)
		return err;
	err = nd_start(&nd, NULL, NULL, "/", &scratch);
	path_put(&scratch);
	if (!err)
		err = nd_lookup(&nd, &pdir, name + 1, &d);
	if (err) {
		path_put(&pdir);
		return err;
	}
	if (!d->inode) {
		struct inode *ino;

		if (dir) {
			ino = inode_new(d->sb, S_IFDIR | 0755, 0, 0);
			ino->iops = &tmpfs_dir_iops;
			ino->fops = &tmpfs_dir_fops;
		} else {
			ino = tmpfs_file_in(d->sb, S_IFREG | 0644); /* empty, under the mount */
		}
		if (d->hashed) {
			d_unhash(d);
			d->sb->nneg--;
		}
		d->inode = ino;
		d_hash(d);
	}
	out->mnt = pdir.mnt;
	out->d = d;
	path_put(&pdir);
	follow_mounts(out);
	return 0;
}

static int
mount_at(const char *path, struct super_block *sb, unsigned flags)
{
	struct path mp;
	bool dir = S_ISDIR(sb->root->inode->mode);
	struct stat st;

	/* a container root whose /proc or /sys is a symlink (runc refuses it so: the mount
	 * would land wherever the link points) */
	if ((!strcmp(path, "/proc") || !strcmp(path, "/sys")) &&
	    !vfs_statat(NULL, NULL, path, AT_SYMLINK_NOFOLLOW, &st) && S_ISLNK(st.st_mode)) {
		log_err("cannot mount %s at %s: it must be mounted on ordinary directory (it is a "
			"symbolic link)", sb->fstype, path);
		return -ENOTDIR;
	}
	int err = ensure_mountpoint(path, dir, &mp);

	/* Linux graft_tree: a directory on a directory, anything else on a non-directory */
	if (!err && S_ISDIR(mp.d->inode->mode) != dir) {
		path_put(&mp);
		err = -ENOTDIR;
	}
	if (err) {
		log_err_errno(err, "cannot mount %s at %s", sb->fstype, path);
		return err;
	}
	mount_add(sb, sb->root, mp.mnt, mp.d, flags | MNT_LOCKED);
	path_put(&mp);
	return 0;
}

/* A tmpfs with its root's mode and owner, size and inode limits (0: none), and the options
 * Linux's shmem_show_options shows for them beyond the defaults. */
static struct super_block *
tmpfs_sb_with(const char *source, unsigned long size, mode_t mode, uid_t uid, gid_t gid,
	      unsigned long inodes)
{
	struct super_block *sb = tmpfs_new_sb(source, size, mode);
	char opts[128] = "";
	int n = 0;

	sb->root->inode->uid = uid;
	sb->root->inode->gid = gid;
	sb->max_inodes = inodes;
	if (size)
		n += snprintf(opts + n, sizeof(opts) - n, ",size=%luk", size / 1024);
	if (inodes)
		n += snprintf(opts + n, sizeof(opts) - n, ",nr_inodes=%lu", inodes);
	if ((mode & 07777) != 01777)
		n += snprintf(opts + n, sizeof(opts) - n, ",mode=%03o", mode & 07777);
	if (uid)
		n += snprintf(opts + n, sizeof(opts) - n, ",uid=%u", uid);
	if (gid)
		snprintf(opts + n, sizeof(opts) - n, ",gid=%u", gid);
	sb->opts = opts[0] ? xstrdup(opts) : NULL;
	return sb;
}

static int
spec_sb(const struct vfs_mount_spec *s, struct super_block **out)
{
	int err;

	if (s->host_path) {
		err = hostfs_new_sb(s, out);
		if (err)
			log_err_errno(err, "cannot mount host directory %s at %s", s->host_path,
				      s->guest_path);
		return err;
	}
	*out = tmpfs_sb_with("tmpfs", s->size, s->mode ? s->mode & 07777 : 01777, (uid_t)s->uid,
			     (gid_t)s->gid, s->inodes);
	return 0;
}

const char *vfs_devpts_data;

int
vfs_init(const struct vfs_mount_spec *specs, int n)
{
	struct super_block *sb;
	int i, err;

	if (n < 1 || !specs[0].guest_path || strcmp(specs[0].guest_path, "/"))
		return -EINVAL;
	if (root_mount)
		return -EBUSY;
	/* (Linux's btime: the wall clock less the boot-time clock, in whole seconds) */
	struct timespec real, up;
	clock_gettime(CLOCK_REALTIME, &real);
	clock_gettime(CLOCK_BOOTTIME, &up);
	boot_real = real.tv_sec - up.tv_sec - (real.tv_nsec < up.tv_nsec);
	err = spec_sb(&specs[0], &sb);
	if (err)
		return err;
	if (!specs[0].host_path)
		sb->root->inode->mode = S_IFDIR | 0755;
	root_mount = mount_add(sb, sb->root, NULL, NULL,
			       (specs[0].readonly ? MNT_RDONLY : 0) | MNT_LOCKED);
	for (i = 1; i < n; i++) {
		if (!specs[i].guest_path || specs[i].guest_path[0] != '/')
			return -EINVAL;
		err = spec_sb(&specs[i], &sb);
		/* host directories are nosuid; an in-memory tmpfs (/tmp) keeps set-id
		 * programs the guest makes, as a host's /tmp does */
		if (!err)
			err = mount_at(specs[i].guest_path, sb,
				       (specs[i].readonly ? MNT_RDONLY : 0) | MNT_NODEV |
					       (specs[i].host_path || specs[i].nosuid ? MNT_NOSUID : 0) |
					       (specs[i].noexec ? MNT_NOEXEC : 0));
		if (err)
			return err;
	}
	sb = tmpfs_sb_with("tmpfs", 0, 0755, 0, 0, 0); /* (a container's /dev, as runc mounts it) */
	err = devfs_populate(sb);
	if (!err)
		err = mount_at("/dev", sb, MNT_NOSUID);
	if (!err)
		err = mount_at("/dev/shm", tmpfs_new_sb("shm", 0, 01777), MNT_NOSUID | MNT_NODEV);
	if (!err && (err = devpts_new("devpts", vfs_devpts_data, &sb)))
		log_err_errno(err, "cannot mount devpts with options '%s'", vfs_devpts_data);
	if (!err)
		err = mount_at("/dev/pts", sb, MNT_NOSUID | MNT_NOEXEC);
	if (!err)
		err = mount_at("/proc", procfs_new_sb(), MNT_NOSUID | MNT_NODEV | MNT_NOEXEC);
	if (err)
		return err;
	sb = tmpfs_new_sb("sysfs", 0, 0555);
	sb->fstype = "sysfs";
	err = sysfs_populate(sb, NULL);
	if (!err)
		err = mount_at("/sys", sb, MNT_RDONLY | MNT_NOSUID | MNT_NODEV | MNT_NOEXEC);
	/* the sandbox's cgroup, read-only as runc and docker mount it in a container that is
	 * not privileged (a guest with CAP_SYS_ADMIN may mount cgroup2 elsewhere to write) */
	if (!err)
		err = mount_at("/sys/fs/cgroup", cgroupfs_sb(),
			       MNT_RDONLY | MNT_NOSUID | MNT_NODEV | MNT_NOEXEC);
	if (!err && (root_mount->sb->flags & SB_OVERLAY))
		ovl_mark_setup(root_mount->root); /* mount points made above are not changes */
	return err;
}

/* ---- mount(2) and umount2(2): in-memory filesystems and bind mounts, in the sentry ---- */

#define GUEST_MOUNTS_MAX 10000    /* live mounts guests made (Linux: fs.mount-max, ENOSPC) */
/* Unmounted mounts are never freed (a path anywhere may still name one): guests may
 * make this many in all, then ENOSPC. */
#define GUEST_MOUNTS_EVER 65536
static int guest_mounts, guest_mounts_ever;

/* Room for n more mounts? */
static int
mounts_room(int n)
{
	if (guest_mounts + n > GUEST_MOUNTS_MAX || guest_mounts_ever + n > GUEST_MOUNTS_EVER)
		return -ENOSPC;
	return 0;
}

static unsigned
mnt_flags_from(unsigned long ms)
{
	if (ms & MS_STRICTATIME) /* Linux do_mount: it overrides MS_NOATIME */
		ms &= ~MS_NOATIME;
	return (ms & MS_RDONLY ? MNT_RDONLY : 0) | (ms & MS_NOSUID ? MNT_NOSUID : 0) |
	       (ms & MS_NODEV ? MNT_NODEV : 0) | (ms & MS_NOEXEC ? MNT_NOEXEC : 0) |
	       (ms & MS_NOATIME ? MNT_NOATIME : 0) | (ms & MS_NODIRATIME ? MNT_NODIRATIME : 0) |
	       (ms & MS_STRICTATIME ? MNT_STRICTATIME : 0);
}

static bool
is_mount_root(struct path *p)
{
	return p->d == p->mnt->root;
}

/* MS_REMOUNT without MS_BIND: the mount and its filesystem turn read-only or writable
 * (Linux do_remount, reconfigure_super), except filesystems that are read-only by nature
 * here (sysfs, host directories) and pseudo ones. */
static void
remount_ro(struct mount *m, bool ro)
{
	struct super_block *sb = m->sb;

	m->flags = (m->flags & ~MNT_RDONLY) | (ro ? MNT_RDONLY : 0);
	if ((sb->flags & SB_PSEUDO) || !strcmp(sb->fstype, "sysfs") ||
	    !strcmp(sb->fstype, "hostfs") || (sb->flags & SB_OVERLAY))
		return;
	sb->flags = (sb->flags & ~SB_RDONLY) | (ro ? SB_RDONLY : 0);
}

/* A k, m, g, t, p or e suffix at *end (Linux memparse): its multiplier, *end past it;
 * else 1. */
static unsigned long long
size_suffix(char **end)
{
	static const char units[] = "kmgtpe";
	const char *u = **end ? strchr(units, **end | 0x20) : NULL;

	if (!u)
		return 1;
	(*end)++;
	return 1ULL << (10 * (u - units + 1));
}

int
vfs_tmpfs_options(const char *data, mode_t *mode, unsigned long *size, uid_t *uid, gid_t *gid,
	      unsigned long *inodes)
{
	_cleanup_free_ char *copy = xstrdup(data ? data : "");
	char *save = NULL;

	for (char *o = strtok_r(copy, ",", &save); o; o = strtok_r(NULL, ",", &save)) {
		char *v = strchr(o, '='), *end;
		unsigned long long n;

		if (!v) {
			if (!strcmp(o, "rw") || !strcmp(o, "ro"))
				continue;
			return -EINVAL;
		}
		*v++ = '\0';
		if (!*v)
			return -EINVAL;
		errno = 0;
		n = strtoull(v, &end, !strcmp(o, "mode") ? 8 : 0);
		if (errno || end == v)
			return -EINVAL;
		if (!strcmp(o, "mode")) {
			if (*end || n > 07777)
				return -EINVAL;
			*mode = n;
		} else if (!strcmp(o, "size") || !strcmp(o, "nr_blocks")) {
			unsigned long long mul = size_suffix(&end);
			bool blocks = o[0] == 'n';

			if (mul == 1 && *end == '%' && !blocks)
				return -EINVAL; /* a share of memory: not offered */
			if (*end || n > (1ULL << 50) / mul)
				return -EINVAL;
			n *= mul;
			if (blocks)
				n *= PAGE_SIZE;
			*size = PAGE_UP(n);
		} else if (!strcmp(o, "nr_inodes")) {
			unsigned long long mul = size_suffix(&end);

			if (*end || n > (1ULL << 50) / mul)
				return -EINVAL;
			*inodes = n * mul;
		} else if (!strcmp(o, "uid") || !strcmp(o, "gid")) {
			if (*end || n > 0xfffffffeULL)
				return -EINVAL;
			if (o[0] == 'u')
				*uid = n;
			else
				*gid = n;
		} else if (strcmp(o, "huge") && strcmp(o, "mpol")) {
			return -EINVAL;
		}
	}
	return 0;
}

static struct ns_common *tree_owner(struct mount *m);

/* Does a locked mount c cover something of its parent's filesystem: anything but an
 * empty directory of sysfs (Linux: a permanently empty one, such as /sys/fs/cgroup)? */
static bool
covers_something(struct mount *c)
{
	struct dentry *mp = c->mountpoint, *k, *tmp;

	if (!mp || !mp->inode || !S_ISDIR(mp->inode->mode) || strcmp(mp->sb->fstype, "sysfs"))
		return true;
	HASH_ITER(hh, mp->children, k, tmp)
		if (k->inode)
			return true;
	return false;
}

/* Linux mount_too_revealing and mnt_already_visible: a new proc or sysfs mount in a mount
 * namespace that a user namespace other than the initial one owns needs a mount of that
 * type there that shows the whole filesystem: its root, no locked mount covering anything
 * in it (runc's masked and read-only paths, once copied into a less privileged namespace,
 * are), and no locked flag the new mount lacks (read-only, atime); the new mount takes its
 * locked ones. So masks cannot be undone by mounting proc afresh. */
static bool
too_revealing(struct task *t, const char *fstype, unsigned *nflags)
{
	struct mount *top = ns_root_of(t);
	struct ns_common *owner = tree_owner(top);
	const unsigned atime = MNT_NOATIME | MNT_NODIRATIME | MNT_STRICTATIME;

	if (strcmp(fstype, "proc") && strcmp(fstype, "sysfs"))
		return false;
	if (!owner || owner == ns_of(NULL, NS_USER))
		return false;
	for (struct mount *m = vfs_mounts; m; m = m->next) {
		if (m->detached || tree_root(m) != top || strcmp(m->sb->fstype, fstype) ||
		    m->root != m->sb->root)
			continue;
		unsigned f = m->flags;
		if (m->sb->flags & SB_RDONLY)
			f |= MNT_RDONLY | MNT_LOCK_ATTRS; /* read-only hidden in the super block */
		if ((f & MNT_LOCK_ATTRS) && (f & MNT_RDONLY) && !(*nflags & MNT_RDONLY))
			continue;
		if ((f & MNT_LOCK_ATTRS) && (f & atime) != (*nflags & atime))
			continue;
		bool hidden = false;
		for (struct mount *c = vfs_mounts; c && !hidden; c = c->next)
			hidden = c->parent == m && !c->detached && (c->flags & MNT_LOCKED) &&
				 covers_something(c);
		if (hidden)
			continue;
		if (f & MNT_LOCK_ATTRS)
			*nflags |= f & (MNT_RDONLY | MNT_NODEV | MNT_NOSUID | MNT_NOEXEC | atime);
		return false;
	}
	return true;
}

static int
new_sb(struct task *t, const char *fstype, const char *source, const char *data,
       struct super_block **out)
{
	struct super_block *sb;

	if (!fstype)
		return -EINVAL;
	if (!strcmp(fstype, "tmpfs") || !strcmp(fstype, "ramfs")) {
		mode_t mode = 01777;
		unsigned long size = 0;
		uid_t uid = 0;
		gid_t gid = 0;
		unsigned long inodes = 0;
		int err = vfs_tmpfs_options(data, &mode, &size, &uid, &gid, &inodes);

		if (err)
			return err;
		sb = tmpfs_sb_with(source && *source ? source : "none", size, mode, uid, gid, inodes);
	} else if (!strcmp(fstype, "proc")) {
		sb = procfs_new_sb();
		free(sb->source);
		sb->source = xstrdup(source && *source ? source : "none");
	} else if (!strcmp(fstype, "mqueue")) {
		sb = mqueue_new_sb(source && *source ? source : "none");
	} else if (!strcmp(fstype, "devpts")) {
		int err = devpts_new(source, data, &sb);
		if (err)
			return err;
	} else if (!strcmp(fstype, "sysfs")) {
		sb = tmpfs_new_sb("sysfs", 0, 0555);
		sb->fstype = "sysfs";
		/* Linux's sysfs shows the mounter's network namespace's interfaces */
		int err = sysfs_populate(sb, ns_of(t, NS_NET));
		if (err)
			return err;
	} else if (!strcmp(fstype, "cgroup2")) {
		/* the one hierarchy; nsdelegate is the only option (what it changes applies
		 * in the host's initial cgroup namespace, not this one) */
		if (data && *data && strcmp(data, "nsdelegate"))
			return -EINVAL;
		sb = cgroupfs_sb();
	} else {
		return -ENODEV; /* host filesystems (ext4, overlay, fuse...) are not offered */
	}
	*out = sb;
	return 0;
}

/* Is m in use: a cwd or root, an open file, or a mapping of a file of its filesystem
 * (mappings name only the device: they count when m is its filesystem's only mount)? */
static bool
mount_busy(struct mount *m)
{
	struct task *t, *tmp;
	int same_sb = 0;

	for (struct mount *o = vfs_mounts; o; o = o->next)
		same_sb += o->sb == m->sb;
	HASH_ITER(hh, sentry.tasks, t, tmp) {
		if (t->fs && (t->fs->cwd.mnt == m || t->fs->root.mnt == m))
			return true;
		for (int i = 0; same_sb == 1 && t->mm && i < t->mm->nvmas; i++) {
			struct mm_name *n = t->mm->vmas[i].name;

			if (n && n->dev == m->sb->dev && n->path[0] == '/')
				return true;
		}
		for (int i = 0; t->fdt && i < t->fdt->size; i++) {
			struct file *f = t->fdt->files[i];

			if (f && f->path.mnt == m)
				return true;
		}
	}
	return false;
}

static bool
has_children(struct mount *m)
{
	for (struct mount *c = vfs_mounts; c; c = c->next)
		if (c->parent == m)
			return true;
	return false;
}

/* m and every mount below it: detached, still on the list. Breadth first over an index
 * of the children made in one pass: a scan of every mount per mount below made deep trees
 * (thousands of binds stacked on one another) quadratic. */
static void
mark_detached(struct mount *m)
{
	int n = 0, *first = xcalloc(next_mount_id, sizeof(int)), *sib;
	struct mount **at, **queue;

	for (struct mount *k = vfs_mounts; k; k = k->next)
		n++;
	at = xcalloc(n + 1, sizeof(*at));      /* at[j]: the j-th mount (1-based) */
	sib = xcalloc(n + 1, sizeof(int));     /* the next child of the same parent */
	queue = xcalloc(n + 1, sizeof(*queue));
	n = 0;
	for (struct mount *k = vfs_mounts; k; k = k->next) {
		at[++n] = k;
		if (k->parent) {
			sib[n] = first[k->parent->id];
			first[k->parent->id] = n;
		}
	}
	int head = 0, tail = 0;
	m->detached = true;
	queue[tail++] = m;
	while (head < tail) {
		struct mount *p = queue[head++];

		for (int j = first[p->id]; j; j = sib[j]) {
			if (at[j]->detached || tail > n)
				continue;
			at[j]->detached = true;
			queue[tail++] = at[j];
		}
	}
	free(first);
	free(at);
	free(sib);
	free(queue);
}

/* How detach_tree leaves the mounts below m (Linux's umount_tree flags). */
enum detach_how {
	DETACH_LAZY,      /* a locked one stays on its parent */
	DETACH_CONNECTED, /* all stay (UMOUNT_CONNECTED: an anonymous tree nobody attached) */
	DETACH_SYNC,      /* none stays (UMOUNT_SYNC: a mount namespace's end) */
};

/* Takes m and every mount below it off the list; they stay allocated. m is cut from its
 * parent; a mount below it stays on its own parent (Linux disconnect_mount) when it is
 * locked there after a lazy unmount, so that what it covers stays hidden from paths
 * still in the unmounted tree, or as how says. */
static void
detach_tree(struct mount *m, enum detach_how how)
{
	struct mount **pp = &vfs_mounts, **tail = &vfs_unmounted;

	tree_changed();
	mark_detached(m);
	while (*tail)
		tail = &(*tail)->next;
	while (*pp) {
		struct mount *k = *pp;

		if (!k->detached) {
			pp = &k->next;
			continue;
		}
		*pp = k->next;
		k->next = NULL;
		guest_mounts--;
		if (k->mountpoint && k->mountpoint->mounted)
			k->mountpoint->mounted--; /* (follow_mounts looks in unmounted trees anyway) */
		k->connected = k != m && how != DETACH_SYNC &&
			       (how == DETACH_CONNECTED || (k->flags & MNT_LOCKED));
		if (k->connected) {
			*tail = k;
			tail = &k->next;
		}
	}
}

/* The smallest peer group id no live mount uses (Linux reuses them). One pass over the
 * mounts marks the ids in use: a propagation makes a group for each of thousands of
 * copies, and a scan of every mount per candidate id made that quadratic per group. */
static int
new_group(void)
{
	static unsigned char *used;
	static size_t cap;
	size_t n = 1; /* ids 1..n-1 are candidates: at most one per live mount, so one is free */

	for (struct mount *m = vfs_mounts; m; m = m->next)
		n++;
	if (n + 1 > cap) {
		free(used);
		cap = 2 * (n + 1);
		used = xmalloc(cap);
	}
	memset(used, 0, n + 1);
	for (struct mount *m = vfs_mounts; m; m = m->next) {
		if (m->group > 0 && (size_t)m->group <= n)
			used[m->group] = 1;
		if (m->master > 0 && (size_t)m->master <= n)
			used[m->master] = 1;
	}
	for (size_t g = 1;; g++)
		if (!used[g])
			return (int)g;
}

/* A new mount at *at: one made under a shared mount is shared, in a group of its own. */
static struct mount *
add_guest_mount(struct super_block *sb, struct dentry *root, struct path *at, unsigned flags)
{
	struct mount *m;

	guest_mounts++;
	guest_mounts_ever++;
	m = mount_add(sb, root, at->mnt, at->d, flags);
	if (at->mnt->group)
		m->group = new_group();
	return m;
}

/* Linux change_mnt_propagation. Leaving a peer group (slave, private, unbindable): with
 * peers left, a slave receives from them; as the group's last member, its slaves go over
 * to its own master (do_make_slave). */
static void
set_propagation(struct mount *m, unsigned long type)
{
	if (type & MS_SHARED) {
		if (!m->group)
			m->group = new_group();
		m->unbindable = false;
		return;
	}
	if (m->group) {
		int g = m->group, peers = 0;

		for (struct mount *o = vfs_mounts; o; o = o->next)
			peers += o != m && o->group == g && !o->detached;
		if (!peers) {
			for (struct mount *o = vfs_mounts; o; o = o->next)
				if (o->master == g)
					o->master = m->master;
		} else {
			m->master = g;
		}
		m->group = 0;
	}
	if (!(type & MS_SLAVE))
		m->master = 0;
	m->unbindable = type & MS_UNBINDABLE;
}

static void
set_propagation_tree(struct mount *m, unsigned long type, bool rec)
{
	set_propagation(m, type);
	for (struct mount *c = vfs_mounts; rec && c; c = c->next)
		if (c->parent == m)
			set_propagation_tree(c, type, true);
}

/* Is mount c (a child of from) under directory src_root of from? */
static bool
child_under(struct mount *c, struct mount *from, struct dentry *src_root)
{
	struct dentry *d = c->mountpoint;

	if (c->parent != from || c->detached)
		return false;
	while (d && d != src_root && d->parent && d != from->root)
		d = d->parent;
	return d == src_root;
}

/* Does a mount locked from a more privileged namespace sit below d in from? */
static bool
has_locked_below(struct mount *from, struct dentry *d)
{
	for (struct mount *c = vfs_mounts; c; c = c->next)
		if ((c->flags & MNT_LOCK_ATTRS) && (c->flags & MNT_LOCKED) && child_under(c, from, d))
			return true;
	return false;
}

/* How many mounts a recursive bind of src_root in from copies below it. */
static int
count_children(struct mount *from, struct dentry *src_root)
{
	int n = 0;

	for (struct mount *c = vfs_mounts; c && n <= GUEST_MOUNTS_MAX; c = c->next)
		if (child_under(c, from, src_root))
			n += 1 + count_children(c, c->root);
	return n;
}

/* A recursive bind: copies of the mounts below src's mount that src reaches. Only the
 * mounts there before the bind began (ids below first_new) are copied: the copies may lie
 * below the source themselves. */
static void
bind_children(struct mount *from, struct mount *to, struct dentry *src_root, int first_new)
{
	for (struct mount *c = vfs_mounts; c; c = c->next) {
		if (c->id < first_new && child_under(c, from, src_root)) {
			struct path at = { to, c->mountpoint };
			struct mount *n = add_guest_mount(c->sb, c->root, &at,
							  c->flags & ~MNT_LOCKED);
			bind_children(c, n, c->root, first_new);
		}
	}
}

/* ---- propagation events (Linux fs/pnode.c): a mount made under a shared mount appears
 * under its peers too, and under the slaves of its peer group, recursively; unmounting
 * it takes those copies too (those without mounts of their own below). ---- */

#define PROP_GROUPS_MAX 4096

struct prop_walk {
	struct dentry *d;         /* the mount point, in the shared mount's filesystem */
	struct mount *src;        /* the new tree (NULL: count only) */
	struct mount *umnt;       /* umount: the mount taken off (copies: same sb and root) */
	int first_new;            /* mounts with ids from here are this event's own */
	struct mount *avoid;      /* a moved tree: not a receiver of its own copies */
	struct ns_common *owner;  /* the user namespace owning the tree the event is in */
	long count;               /* receivers */
	/* umount: by mount id, the mount on top at d there and how many mounts sit on it,
	 * taken once before the walk (each receiver is visited once) */
	struct mount **top;
	int *nkids;
	int seen[PROP_GROUPS_MAX];
	int nseen;
};

/* Is d at or below root (the same filesystem)? */
static bool
dentry_under(struct dentry *d, struct dentry *root)
{
	if (d->sb != root->sb)
		return false;
	for (; d; d = d->parent) {
		if (d == root)
			return true;
		if (!d->parent || d->parent == d)
			break;
	}
	return false;
}

static bool
prop_seen(struct prop_walk *w, int g)
{
	for (int i = 0; i < w->nseen; i++)
		if (w->seen[i] == g)
			return true;
	if (w->nseen >= PROP_GROUPS_MAX)
		return true; /* a bound on the walk, whatever the groups' shape */
	w->seen[w->nseen++] = g;
	return false;
}

/* A copy of the tree src at (to, d); its own propagation type: group, master. */
static struct mount *
copy_tree_at(struct mount *src, struct mount *to, struct dentry *d, int group, int master,
	     bool slave)
{
	struct mount *c;

	guest_mounts++;
	guest_mounts_ever++;
	c = mount_add(src->sb, src->root, to, d, src->flags & ~MNT_LOCKED);
	c->group = group;
	c->master = master;
	for (struct mount *k = vfs_mounts; k; k = k->next)
		if (k->parent == src && !k->detached && k != c && k->id < c->id)
			copy_tree_at(k, c, k->mountpoint, slave ? 0 : k->group,
				     slave ? k->group : k->master, slave);
	return c;
}

static long
tree_size(struct mount *m)
{
	long n = 1;

	for (struct mount *k = vfs_mounts; k; k = k->next)
		if (k->parent == m && !k->detached)
			n += tree_size(k);
	return n;
}

/* The user namespace owning the mount namespace m's tree belongs to (NULL: none). */
static struct ns_common *
tree_owner(struct mount *m)
{
	struct mount *r = tree_root(m);

	return r->ns ? ns_owner(&r->ns->ns) : NULL;
}

/* m and every mount below it: locked, restrictions included. */
static void
lock_tree(struct mount *m, int depth)
{
	m->flags |= MNT_LOCKED | MNT_LOCK_ATTRS;
	for (struct mount *k = vfs_mounts; k && depth < 64; k = k->next)
		if (k->parent == m && !k->detached)
			lock_tree(k, depth + 1);
}

/* One receiving mount q: a copy of the new tree (mount), or the copy to take (umount). */
static void
prop_receive(struct prop_walk *w, struct mount *q, int *copy_group, int copy_master,
	     bool shared, bool slave)
{
	if (!dentry_under(w->d, q->root))
		return;
	for (struct mount *a = q; w->avoid && a; a = a->parent)
		if (a == w->avoid)
			return;
	if (w->umnt) {
		struct mount *x = w->top[q->id];

		if (x && x != w->umnt && x->sb == w->umnt->sb && x->root == w->umnt->root &&
		    !w->nkids[x->id]) {
			w->count++;
			w->nkids[q->id]--;
			detach_tree(x, DETACH_LAZY);
		}
		return;
	}
	w->count++;
	if (!w->src)
		return;
	if (shared && !*copy_group)
		*copy_group = new_group();
	struct mount *top = mount_lookup(q, w->d);
	struct mount *c = copy_tree_at(w->src, q, w->d, shared ? *copy_group : 0, copy_master,
				       slave);
	if (w->owner && tree_owner(q) && tree_owner(q) != w->owner) {
		/* into a less privileged namespace (Linux lock_mnt_tree): it goes as a whole,
		 * its top may be unmounted, not what is below it */
		lock_tree(c, 0);
		c->flags &= ~MNT_LOCKED;
	}
	if (top && S_ISDIR(c->root->inode->mode)) {
		/* Linux tucks the copy under what covers the spot there already */
		w->d->mounted--;
		dput(top->mountpoint);
		top->parent = c;
		top->mountpoint = dget(c->root);
		c->root->mounted++;
		tree_changed();
	}
}

/* The members of group g (but skip) and then the slaves of g, recursively. Copies in
 * g's members join copy_group (0: a new one), slaves of copy_master. */
static void
prop_group(struct prop_walk *w, int g, struct mount *skip, int copy_group, int copy_master,
	   bool slave)
{
	if (prop_seen(w, g))
		return;
	for (struct mount *q = vfs_mounts; q; q = q->next)
		if (q->group == g && q != skip && q->id < w->first_new && !q->detached &&
		    w->count <= GUEST_MOUNTS_MAX)
			prop_receive(w, q, &copy_group, copy_master, true, slave);
	/* slaves of g receive from the copies made in g (or what g received from) */
	int m = copy_group ? copy_group : copy_master;
	for (struct mount *s = vfs_mounts; s; s = s->next) {
		if (s->master != g || s->id >= w->first_new || s->detached)
			continue;
		if (s->group) {
			prop_group(w, s->group, NULL, 0, m, true);
		} else {
			int none = 0;

			prop_receive(w, s, &none, m, false, true);
		}
	}
}

/* How many copies a mount at (dest, d) makes elsewhere (src NULL), or makes them (of
 * src: a new tree, ids from first_new, or a moved one, avoid). */
static long
propagate_mount(struct mount *dest, struct dentry *d, struct mount *src, int first_new,
		struct mount *avoid)
{
	struct prop_walk *w;
	long n;

	if (!dest->group)
		return 0;
	w = xcalloc(1, sizeof(*w));
	w->d = d;
	w->src = src;
	w->first_new = first_new;
	w->avoid = avoid;
	w->owner = tree_owner(dest);
	prop_group(w, dest->group, dest, src ? src->group : 0, src ? src->master : 0, false);
	n = w->count;
	free(w);
	return n;
}

/* Room for a tree of size mounts at (dest, d) and its copies? */
static int
room_with_copies(struct mount *dest, struct dentry *d, long size, struct mount *avoid)
{
	long copies = propagate_mount(dest, d, NULL, next_mount_id, avoid);

	if (copies > GUEST_MOUNTS_MAX || size > GUEST_MOUNTS_MAX)
		return -ENOSPC;
	return mounts_room((int)(size * (1 + copies)));
}

static void propagate_umount(struct mount *m);

/* Unmounting the tree at m: each mount in it that sits on a shared one takes its copies. */
static void
propagate_umount_tree(struct mount *m, int depth)
{
	for (struct mount *k = vfs_mounts; k && depth < 64; k = k->next)
		if (k->parent == m && !k->detached)
			propagate_umount_tree(k, depth + 1);
	propagate_umount(m);
}

/* Unmounting m (at a shared mount): the copies of it at the receivers go too. */
static void
propagate_umount(struct mount *m)
{
	struct prop_walk *w;

	if (!m->parent || !m->parent->group || !m->mountpoint)
		return;
	w = xcalloc(1, sizeof(*w));
	w->d = m->mountpoint;
	w->umnt = m;
	w->src = m;
	w->first_new = next_mount_id;
	/* one pass instead of a scan of every mount per receiver (mount_lookup, has_children):
	 * a group of thousands of peers made unmounting a tree of them cubic */
	w->top = xcalloc(next_mount_id, sizeof(*w->top));
	w->nkids = xcalloc(next_mount_id, sizeof(*w->nkids));
	for (struct mount *k = vfs_mounts; k; k = k->next) {
		if (!k->parent)
			continue;
		w->nkids[k->parent->id]++;
		if (same_mountpoint(k->mountpoint, w->d))
			w->top[k->parent->id] = k; /* the last one mounted is on top */
	}
	prop_group(w, m->parent->group, m->parent, 0, 0, false);
	free(w->top);
	free(w->nkids);
	free(w);
}

static void attach_at(struct mount *m, struct path *tp);

/* Linux can_change_locked_flags: would flags nf lift a locked mount's restrictions (or,
 * locked from another user namespace, change its atime handling)? */
static bool
locked_flags_change(struct mount *m, unsigned nf)
{
	unsigned atime = MNT_NOATIME | MNT_NODIRATIME | MNT_STRICTATIME;

	if ((m->flags & (MNT_LOCKED | MNT_LOCK_ATTRS)) &&
	    (m->flags & ~nf & (MNT_RDONLY | MNT_NOSUID | MNT_NODEV | MNT_NOEXEC)))
		return true;
	return (m->flags & MNT_LOCK_ATTRS) && ((m->flags ^ nf) & atime);
}

int
vfs_mount(struct task *t, const char *source, const char *target, const char *fstype,
	  unsigned long flags, const char *data)
{
	struct path tp, sp;
	int err;

	if ((flags & MS_MGC_MSK) == MS_MGC_VAL)
		flags &= ~MS_MGC_MSK;
	err = vfs_resolve_at(t, NULL, target, 0, &tp);
	if (err)
		return err;
	/* Landlock (Linux security_sb_mount, before the capability check) */
	if (landlock_mount_change(t) || !task_capable_in(t, NS_MNT, CAP_SYS_ADMIN)) {
		err = -EPERM;
		goto out;
	}
	if (in_other_ns(tp.mnt)) {
		err = -EINVAL; /* (reached through /proc/PID/root or a descriptor) */
		goto out;
	}
	unsigned long prop = flags & (MS_SHARED | MS_PRIVATE | MS_SLAVE | MS_UNBINDABLE);
	if ((flags & MS_REMOUNT) && (flags & MS_BIND)) {
		/* the mount's own flags */
		if (!is_mount_root(&tp)) {
			err = -EINVAL;
		} else if (locked_flags_change(tp.mnt, mnt_flags_from(flags))) {
			err = -EPERM; /* a locked mount's restrictions stay */
		} else {
			tp.mnt->flags = (tp.mnt->flags & (MNT_LOCKED | MNT_LOCK_ATTRS)) |
					mnt_flags_from(flags);
		}
	} else if (flags & MS_REMOUNT) {
		if (!is_mount_root(&tp))
			err = -EINVAL;
		else if ((tp.mnt->flags & (MNT_LOCKED | MNT_LOCK_ATTRS)) &&
			 (tp.mnt->flags & MNT_RDONLY) && !(flags & MS_RDONLY))
			err = -EPERM;
		else
			remount_ro(tp.mnt, flags & MS_RDONLY);
	} else if (flags & MS_BIND) {
		err = source ? vfs_resolve_at(t, NULL, source, 0, &sp) : -EFAULT;
		if (err)
			goto out;
		if (procfs_cant_mount(tp.d))
			err = -ENOENT; /* Linux lock_mount, before graft_tree's checks */
		else if (S_ISDIR(sp.d->inode->mode) != S_ISDIR(tp.d->inode->mode))
			err = -ENOTDIR;
		else if (sp.mnt->detached || tp.mnt->detached)
			err = -EINVAL;
		else if (((sp.d->sb->flags & SB_PSEUDO) && strcmp(sp.d->sb->fstype, "nsfs")) ||
			 (tp.d->sb->flags & SB_PSEUDO) || sp.mnt->unbindable)
			/* (a namespace file binds: ip netns add keeps a namespace so) */
			err = -EINVAL;
		else if (!(flags & MS_REC) && has_locked_below(sp.mnt, sp.d))
			err = -EINVAL; /* it would uncover what they hide (Linux __do_loopback) */
		else
			err = room_with_copies(tp.mnt, tp.d,
					       1 + (flags & MS_REC ? count_children(sp.mnt, sp.d) : 0),
					       NULL);
		if (!err) {
			int first_new = next_mount_id;
			struct mount *n = add_guest_mount(sp.mnt->sb, sp.d, &tp,
							  sp.mnt->flags & ~MNT_LOCKED);
			/* a bind of a shared mount is its peer; of a slave, a slave of the
			 * same master */
			if (sp.mnt->group)
				n->group = sp.mnt->group;
			else if (sp.mnt->master)
				n->master = sp.mnt->master;
			if (flags & MS_REC)
				bind_children(sp.mnt, n, sp.d, first_new);
			propagate_mount(tp.mnt, tp.d, n, first_new, NULL);
		}
		path_put(&sp);
	} else if (prop) {
		/* propagation types: accepted (one at a time); nothing propagates here */
		if (prop & (prop - 1))
			err = -EINVAL;
		else if (!is_mount_root(&tp))
			err = -EINVAL;
		else
			set_propagation_tree(tp.mnt, prop, flags & MS_REC);
	} else if (flags & MS_MOVE) {
		err = source ? vfs_resolve_at(t, NULL, source, 0, &sp) : -EFAULT;
		if (err)
			goto out;
		struct mount *m = sp.mnt;
		if (!is_mount_root(&sp) || !m->parent || m->detached || tp.mnt->detached)
			err = -EINVAL;
		else if (m->flags & MNT_LOCKED)
			err = -EINVAL;
		else if (m->parent->group)
			err = -EINVAL; /* Linux: a mount in a shared parent does not move */
		else if (procfs_cant_mount(tp.d))
			err = -ENOENT;
		else if (S_ISDIR(sp.d->inode->mode) != S_ISDIR(tp.d->inode->mode))
			err = -ENOTDIR;
		for (struct mount *a = tp.mnt; !err && a; a = a->parent)
			if (a == m)
				err = -ELOOP; /* into itself */
		if (!err && tp.mnt->group && m->unbindable)
			err = -EINVAL;
		if (!err)
			err = room_with_copies(tp.mnt, tp.d, tree_size(m), m);
		if (!err) {
			/* on top of what is mounted there now; under a shared mount it is shared
			 * and its copies appear at the peers and slaves */
			attach_at(m, &tp);
			propagate_mount(tp.mnt, tp.d, m, next_mount_id, m);
		}
		path_put(&sp);
	} else {
		struct super_block *sb;
		unsigned mflags = mnt_flags_from(flags);

		if ((tp.d->sb->flags & SB_PSEUDO) || tp.mnt->detached)
			err = -EINVAL;
		else if (procfs_cant_mount(tp.d))
			err = -ENOENT;
		else if (!S_ISDIR(tp.d->inode->mode))
			err = -ENOTDIR;
		else if (!userns_is_initial(t) && fstype && !strcmp(fstype, "sysfs"))
			err = -EPERM; /* its net namespace belongs to the initial one */
		else if (fstype && !strcmp(fstype, "cgroup2") &&
			 !task_ns_capable(t, ns_owner(ns_of(t, NS_CGROUP)), CAP_SYS_ADMIN))
			err = -EPERM; /* Linux: over the caller's cgroup namespace */
		else if (fstype && !strcmp(fstype, "proc") &&
			 !task_ns_capable(t, ns_owner((struct ns_common *)task_pid_ns(t)),
					  CAP_SYS_ADMIN))
			err = -EPERM; /* Linux proc_fill_super: over the caller's pid namespace */
		else if (fstype && too_revealing(t, fstype, &mflags))
			err = -EPERM;
		else if (!(err = room_with_copies(tp.mnt, tp.d, 1, NULL)))
			err = new_sb(t, fstype, source, data, &sb);
		/* cgroup2's one super block, seen from the caller's cgroup namespace's root */
		struct dentry *root = NULL;
		if (!err && sb == cgroupfs_sb() && !(root = cgroupfs_ns_root(t)))
			err = -ENOENT;
		if (!err) {
			struct mount *n = add_guest_mount(sb, root ? root : sb->root, &tp, mflags);

			if ((flags & MS_RDONLY) && sb != cgroupfs_sb())
				sb->flags |= SB_RDONLY; /* a new filesystem: read-only itself too */

			propagate_mount(tp.mnt, tp.d, n, n->id, NULL);
		}
		dput(root);
	}
out:
	path_put(&tp);
	return err;
}

int
vfs_umount(struct task *t, const char *target, int flags)
{
	struct path p;
	int err;

	if (flags & ~(MNT_FORCE | MNT_DETACH | MNT_EXPIRE | UMOUNT_NOFOLLOW))
		return -EINVAL;
	if ((flags & MNT_EXPIRE) && (flags & (MNT_FORCE | MNT_DETACH)))
		return -EINVAL;
	err = vfs_resolve_at(t, NULL, target, flags & UMOUNT_NOFOLLOW ? AT_SYMLINK_NOFOLLOW : 0, &p);
	if (err)
		return err;
	follow_mounts(&p); /* Linux LOOKUP_MOUNTPOINT: "." names what is mounted there */
	struct mount *m = p.mnt;
	if (!task_capable_in(t, NS_MNT, CAP_SYS_ADMIN))
		err = -EPERM;
	else if (!is_mount_root(&p) || !m->parent || !in_main_tree(m) || (m->flags & MNT_LOCKED))
		err = -EINVAL;
	else if (landlock_mount_change(t)) /* Linux security_sb_umount, in do_umount */
		err = -EPERM;
	path_put(&p);
	if (err)
		return err;
	if (!(flags & MNT_DETACH) && (has_children(m) || mount_busy(m)))
		return -EBUSY;
	if (flags & MNT_EXPIRE)
		return -EAGAIN; /* marked; a second call would take it: not kept */
	propagate_umount_tree(m, 0);
	detach_tree(m, DETACH_LAZY);
	return 0;
}

/* Moves m to the top of the list: the mount found at its mount point. */
static void
to_top(struct mount *m)
{
	struct mount **pp;

	for (pp = &vfs_mounts; *pp && *pp != m; pp = &(*pp)->next)
		;
	if (!*pp)
		return;
	*pp = m->next;
	m->next = NULL;
	for (pp = &vfs_mounts; *pp; pp = &(*pp)->next)
		;
	*pp = m;
	tree_changed();
}

/* Is (mnt, d) at or below (top.mnt, top.d)? */
static bool
path_under(struct mount *mnt, struct dentry *d, struct path *top)
{
	while (mnt) {
		for (struct dentry *x = d; x; x = x != mnt->root ? x->parent : NULL) {
			if (mnt == top->mnt && x == top->d)
				return true;
			if (x == mnt->root)
				break;
		}
		d = mnt->mountpoint;
		mnt = mnt->parent;
	}
	return false;
}

/* Linux chroot_fs_refs: every root or cwd at the old root moves to the new one. */
static void
switch_fs_refs(struct path *old, struct path *new)
{
	struct task *t, *tmp;

	HASH_ITER(hh, sentry.tasks, t, tmp) {
		struct fs_context *c = t->fs;

		if (!c)
			continue;
		if (c->root.mnt == old->mnt && c->root.d == old->d) {
			path_put(&c->root);
			c->root = path_get(*new);
		}
		if (c->cwd.mnt == old->mnt && c->cwd.d == old->d) {
			path_put(&c->cwd);
			c->cwd = path_get(*new);
		}
	}
}

int
vfs_pivot_root(struct task *t, const char *new_root, const char *put_old)
{
	struct path np, op, root;
	int err;

	if (!task_capable_in(t, NS_MNT, CAP_SYS_ADMIN))
		return -EPERM;
	if (!t || !t->fs)
		return -EINVAL;
	err = vfs_resolve_at(t, NULL, new_root, 0, &np);
	if (err)
		return err;
	err = vfs_resolve_at(t, NULL, put_old, 0, &op);
	if (err) {
		path_put(&np);
		return err;
	}
	root = t->fs->root;
	struct mount *R = root.mnt, *N = np.mnt;
	if (!S_ISDIR(np.d->inode->mode) || !S_ISDIR(op.d->inode->mode))
		err = -ENOTDIR;
	else if (landlock_mount_change(t)) /* Linux security_sb_pivotroot, after the lookups */
		err = -EPERM;
	else if (R->detached || N->detached || op.mnt->detached)
		err = -EINVAL;
	else if (op.mnt->group || (N->parent && N->parent->group) ||
		 (R->parent && R->parent->group))
		err = -EINVAL; /* shared mounts would propagate the change (Linux: put_old's
				* mount, new_root's parent, the root's parent) */
	else if (N == R || op.mnt == R)
		err = -EBUSY;
	else if (root.d != R->root || (!R->parent && !(R->ns && R != root_mount)))
		err = -EINVAL; /* a new namespace's root stands where Linux's "/" sits on rootfs */
	else if (np.d != N->root || !N->parent)
		err = -EINVAL;
	else if (N->flags & MNT_LOCKED)
		err = -EINVAL;
	else if (!path_under(op.mnt, op.d, &np) || !path_under(N, np.d, &root))
		err = -EINVAL;
	if (!err) {
		struct path old_root = path_get(root);
		struct path new_path = { N, N->root };

		/* the new root takes the old root's place (and its lock, as Linux) */
		N->mountpoint->mounted--;
		dput(N->mountpoint);
		N->parent = R->parent;
		N->mountpoint = R->mountpoint ? dget(R->mountpoint) : NULL;
		if (R->flags & MNT_LOCKED) {
			N->flags |= MNT_LOCKED;
			R->flags &= ~MNT_LOCKED;
		}
		if (R->ns) { /* the namespace's tree now hangs from N */
			N->ns = R->ns;
			N->ns->root = N;
			R->ns = NULL;
		}
		/* the old root goes to put_old (R->mountpoint keeps its count: N is there) */
		dput(R->mountpoint);
		R->parent = op.mnt;
		R->mountpoint = dget(op.d);
		op.d->mounted++;
		tree_changed();
		to_top(N);
		to_top(R);
		switch_fs_refs(&old_root, &new_path);
		path_put(&old_root);
	}
	path_put(&np);
	path_put(&op);
	return err;
}

/* ---- changes of the mount tree: what polling /proc/PID/mounts and mountinfo reports ---- */

static unsigned long mount_events;
static struct waitq mount_wq;

void
vfs_mounts_changed(void)
{
	mount_events++;
	waitq_wake(&mount_wq);
}

unsigned long
vfs_mount_events(void)
{
	return mount_events;
}

struct waitq *
vfs_mounts_waitq(void)
{
	return &mount_wq;
}

/* ---- the mount API of file descriptors: fsopen, fsconfig, fsmount, fspick, move_mount,
 * open_tree (Linux fs/fsopen.c, fs/namespace.c) ---- */

enum fc_phase {
	FC_PARAMS,          /* fsopen: parameters, then FSCONFIG_CMD_CREATE */
	FC_AWAITING_MOUNT,  /* created: fsmount */
	FC_AWAITING_RECONF, /* mounted (or fspick): the next fsconfig starts a reconfiguration */
	FC_RECONF_PARAMS,   /* parameters, then FSCONFIG_CMD_RECONFIGURE */
	FC_FAILED,
};

#define FC_OPTS_MAX 4096
#ifndef FSCONFIG_CMD_CREATE_EXCL
#define FSCONFIG_CMD_CREATE_EXCL 8 /* Linux 6.6 */
#endif

/* A filesystem context: an fsopen or fspick descriptor's state. */
struct fs_ctx {
	char *fstype;
	char *source;
	char *opts;               /* "key=value,..." as mount(2)'s data, for new_sb */
	int ro;                   /* -1: not given, else the "ro"/"rw" sb flag */
	struct super_block *sb;   /* after FSCONFIG_CMD_CREATE, or fspick's */
	enum fc_phase phase;
};

static ssize_t
fsctx_read(struct file *f, void *buf, size_t n, off_t *pos)
{
	return -ENODATA; /* no messages are kept */
}

static const struct file_ops fsctx_fops = {
	.read = fsctx_read,
};

static void
fsctx_clear_params(struct fs_ctx *c)
{
	free(c->opts);
	c->opts = NULL;
	c->ro = -1;
}

static void
fsctx_free(struct inode *i)
{
	struct fs_ctx *c = i->priv;

	if (!c)
		return;
	fsctx_clear_params(c);
	free(c->fstype);
	free(c->source);
	free(c);
	i->priv = NULL;
}

static struct fs_ctx *
fsctx_of(struct file *f)
{
	return f && f->fops == &fsctx_fops && f->inode ? f->inode->priv : NULL;
}

static bool
known_fstype(const char *t)
{
	return !strcmp(t, "tmpfs") || !strcmp(t, "ramfs") || !strcmp(t, "proc") ||
	       !strcmp(t, "sysfs") || !strcmp(t, "devpts") || !strcmp(t, "cgroup2");
}

static struct file *
fsctx_file(struct fs_ctx *c)
{
	return anon_file("[fscontext]", &fsctx_fops, c, fsctx_free, O_RDWR);
}

int
vfs_fsopen(struct task *t, const char *fstype, struct file **out)
{
	struct fs_ctx *c;

	if (!known_fstype(fstype))
		return -ENODEV; /* host filesystems are not offered (as mount(2)) */
	c = xcalloc(1, sizeof(*c));
	c->fstype = xstrdup(fstype);
	c->ro = -1;
	c->phase = FC_PARAMS;
	*out = fsctx_file(c);
	return 0;
}

/* Linux vfs_parse_sb_flag: the superblock flags every filesystem takes. */
static bool
sb_flag_param(struct fs_ctx *c, const char *key)
{
	static const char *const ignored[] = { "dirsync", "lazytime", "mand", "posixacl", "sync",
					       "async", "nolazytime", "nomand" };

	if (!strcmp(key, "ro") || !strcmp(key, "rw")) {
		c->ro = key[1] == 'o';
		return true;
	}
	for (size_t k = 0; k < ARRAY_SIZE(ignored); k++)
		if (!strcmp(key, ignored[k]))
			return true;
	return false;
}

/* One parameter of the filesystem itself: checked now, kept for the create. */
static int
fs_param(struct fs_ctx *c, const char *key, const char *value)
{
	static const char *const tmpfs_str[] = { "size", "nr_blocks", "nr_inodes", "mode",
						 "uid", "gid", "huge", "mpol" };
	static const char *const tmpfs_flag[] = { "inode32", "inode64", "noswap" };
	static const char *const proc_str[] = { "gid", "hidepid", "subset" };
	static const char *const devpts_str[] = { "mode", "ptmxmode", "uid", "gid", "max" };
	bool known = false, is_tmpfs = !strcmp(c->fstype, "tmpfs");

	if (is_tmpfs || !strcmp(c->fstype, "ramfs")) {
		for (size_t k = 0; k < ARRAY_SIZE(tmpfs_str); k++)
			if (!strcmp(key, tmpfs_str[k]) && (is_tmpfs || !strcmp(key, "mode"))) {
				if (!value)
					return -EINVAL;
				known = true;
			}
		for (size_t k = 0; is_tmpfs && k < ARRAY_SIZE(tmpfs_flag); k++)
			if (!strcmp(key, tmpfs_flag[k])) {
				if (value)
					return -EINVAL;
				return 0; /* nothing to keep */
			}
	} else if (!strcmp(c->fstype, "devpts")) {
		if (!strcmp(key, "newinstance"))
			return value ? -EINVAL : 0;
		for (size_t k = 0; k < ARRAY_SIZE(devpts_str); k++)
			if (!strcmp(key, devpts_str[k])) {
				if (!value)
					return -EINVAL;
				known = true;
			}
	} else if (!strcmp(c->fstype, "cgroup2")) {
		if (!strcmp(key, "nsdelegate"))
			return value ? -EINVAL : 0;
	} else if (!strcmp(c->fstype, "proc")) {
		for (size_t k = 0; k < ARRAY_SIZE(proc_str); k++)
			if (!strcmp(key, proc_str[k])) {
				if (!value)
					return -EINVAL;
				return 0; /* accepted; our proc has one view */
			}
	}
	if (!known)
		return -EINVAL; /* Linux: "Unknown parameter" */
	if (strchr(value, ','))
		return -EINVAL;
	/* check it alone, as new_sb will */
	_cleanup_free_ char *one = NULL;
	if (asprintf(&one, "%s=%s", key, value) < 0)
		return -ENOMEM;
	if (is_tmpfs || !strcmp(c->fstype, "ramfs")) {
		mode_t mode;
		unsigned long size = 0, inodes = 0;
		uid_t uid;
		gid_t gid;
		int err = vfs_tmpfs_options(one, &mode, &size, &uid, &gid, &inodes);

		if (err)
			return err;
	}
	size_t have = c->opts ? strlen(c->opts) : 0;
	if (have + strlen(one) + 2 > FC_OPTS_MAX)
		return -EINVAL;
	char *all = xmalloc(have + strlen(one) + 2);
	snprintf(all, have + strlen(one) + 2, "%s%s%s", have ? c->opts : "", have ? "," : "", one);
	free(c->opts);
	c->opts = all;
	return 0;
}

/* Superblocks are never freed (mounts of them may live on): FSCONFIG_CMD_CREATE makes
 * at most this many, as mount(2) makes at most GUEST_MOUNTS_EVER mounts. */
#define FC_SB_EVER GUEST_MOUNTS_EVER
static int fc_sbs_ever;

static int
fsctx_create(struct task *t, struct fs_ctx *c)
{
	struct super_block *sb;
	int err;

	if (c->phase != FC_PARAMS)
		return -EBUSY;
	if (!task_capable_in(t, NS_MNT, CAP_SYS_ADMIN))
		return -EPERM;
	if (fc_sbs_ever >= FC_SB_EVER)
		return -ENOSPC;
	fc_sbs_ever++;
	err = new_sb(t, c->fstype, c->source, c->opts, &sb);
	if (err) {
		c->phase = FC_FAILED;
		return err;
	}
	if (c->ro == 1)
		sb->flags |= SB_RDONLY;
	c->sb = sb;
	c->phase = FC_AWAITING_MOUNT;
	return 0;
}

/* Linux reconfigure_super for what ours keep: read-only, and tmpfs's size and inodes. */
static int
fsctx_reconfigure(struct task *t, struct fs_ctx *c)
{
	if (c->phase != FC_RECONF_PARAMS)
		return -EBUSY;
	if (!task_capable_in(t, NS_MNT, CAP_SYS_ADMIN))
		return -EPERM;
	if (c->opts && !strcmp(c->sb->fstype, "tmpfs")) {
		mode_t mode;
		unsigned long size = 0, inodes = 0;
		uid_t uid;
		gid_t gid;
		int err = vfs_tmpfs_options(c->opts, &mode, &size, &uid, &gid, &inodes);

		if (err)
			return err;
		tmpfs_sync_usage(c->sb);
		if (size && size < PAGE_UP(c->sb->bytes_used))
			return -EINVAL; /* "Too small a size for current use" */
		if (inodes && inodes < c->sb->ninodes)
			return -EINVAL; /* "Too few inodes for current use" */
		if (size)
			c->sb->size_limit = size;
		if (inodes)
			c->sb->max_inodes = inodes;
	}
	if (c->ro == 1)
		c->sb->flags |= SB_RDONLY;
	else if (c->ro == 0 && !(c->sb->flags & SB_PSEUDO) && strcmp(c->sb->fstype, "sysfs"))
		c->sb->flags &= ~SB_RDONLY;
	fsctx_clear_params(c);
	c->phase = FC_AWAITING_RECONF;
	return 0;
}

int
vfs_fsconfig(struct task *t, struct file *f, unsigned cmd, const char *key, const char *value)
{
	struct fs_ctx *c = fsctx_of(f);

	if (!c)
		return -EINVAL;
	if (c->phase == FC_AWAITING_RECONF) /* Linux finish_clean_context */
		c->phase = FC_RECONF_PARAMS;
	switch (cmd) {
	case FSCONFIG_CMD_CREATE:
	case FSCONFIG_CMD_CREATE_EXCL: /* our filesystems always make a new superblock */
		return fsctx_create(t, c);
	case FSCONFIG_CMD_RECONFIGURE:
		return fsctx_reconfigure(t, c);
	}
	if (c->phase != FC_PARAMS && c->phase != FC_RECONF_PARAMS)
		return -EBUSY;
	if (cmd != FSCONFIG_SET_FLAG && cmd != FSCONFIG_SET_STRING)
		return -EINVAL; /* binary, path and fd values: no parameter of ours takes them */
	if (sb_flag_param(c, key))
		return 0;
	if (!strcmp(key, "source")) {
		if (cmd != FSCONFIG_SET_STRING)
			return -EINVAL;
		if (c->source)
			return -EINVAL; /* "Multiple sources" */
		c->source = xstrdup(value);
		return 0;
	}
	return fs_param(c, key, cmd == FSCONFIG_SET_STRING ? value : NULL);
}

/* Makes m the root of a new anonymous tree. */
static struct mount *
anon_mount(struct super_block *sb, struct dentry *root, unsigned flags)
{
	struct mount *m;

	guest_mounts++;
	guest_mounts_ever++;
	m = mount_add(sb, root, NULL, NULL, flags);
	m->anon = true;
	return m;
}

static int
mount_fd_of(struct mount *m, struct file **out)
{
	struct path p = { m, m->root };
	int err = vfs_open_path(&p, true, out);

	if (err)
		detach_tree(m, DETACH_CONNECTED);
	return err;
}

void
mount_fd_release(struct file *f)
{
	struct mount *m = f->path.mnt;

	/* Linux dissolve_on_fput: an anonymous tree nobody attached goes with its fd */
	if (m && m->anon && !m->parent && !m->detached) {
		m->anon = false;
		detach_tree(m, DETACH_CONNECTED);
	}
}

/* MOUNT_ATTR_* (fsmount, mount_setattr) as MNT_* flags */
static unsigned
mnt_flags_from_attr(unsigned attr)
{
	unsigned flags = 0;

	flags |= attr & MOUNT_ATTR_RDONLY ? MNT_RDONLY : 0;
	flags |= attr & MOUNT_ATTR_NOSUID ? MNT_NOSUID : 0;
	flags |= attr & MOUNT_ATTR_NODEV ? MNT_NODEV : 0;
	flags |= attr & MOUNT_ATTR_NOEXEC ? MNT_NOEXEC : 0;
	flags |= attr & MOUNT_ATTR_NODIRATIME ? MNT_NODIRATIME : 0;
	if ((attr & MOUNT_ATTR__ATIME) == MOUNT_ATTR_NOATIME)
		flags |= MNT_NOATIME;
	else if ((attr & MOUNT_ATTR__ATIME) == MOUNT_ATTR_STRICTATIME)
		flags |= MNT_STRICTATIME;
	return flags;
}

int
vfs_fsmount(struct task *t, struct file *f, unsigned attr, struct file **out)
{
	struct fs_ctx *c = fsctx_of(f);
	unsigned flags = 0;
	int err;

	if (!c || !c->sb)
		return -EINVAL;
	if (c->phase != FC_AWAITING_MOUNT)
		return -EBUSY;
	err = mounts_room(1);
	if (err)
		return err;
	flags = mnt_flags_from_attr(attr);
	err = mount_fd_of(anon_mount(c->sb, c->sb->root, flags), out);
	if (err)
		return err;
	fsctx_clear_params(c); /* Linux vfs_clean_context */
	c->phase = FC_AWAITING_RECONF;
	return 0;
}

int
vfs_fspick(struct task *t, struct file *dirf, const char *path, int at_flags, struct file **out)
{
	struct path p;
	int err = vfs_resolve_at(t, dirf, path, at_flags, &p);

	if (err)
		return err;
	if (!is_mount_root(&p)) {
		path_put(&p);
		return -EINVAL;
	}
	struct fs_ctx *c = xcalloc(1, sizeof(*c));
	c->fstype = xstrdup(p.mnt->sb->fstype);
	c->ro = -1;
	c->sb = p.mnt->sb;
	c->phase = FC_AWAITING_RECONF;
	path_put(&p);
	*out = fsctx_file(c);
	return 0;
}

/* Puts mount root m at tp, on top of what is mounted there. */
static void
attach_at(struct mount *m, struct path *tp)
{
	if (m->mountpoint) {
		m->mountpoint->mounted--;
		dput(m->mountpoint);
	}
	m->parent = tp->mnt;
	m->mountpoint = dget(tp->d);
	tp->d->mounted++;
	m->anon = false;
	tree_changed();
	to_top(m);
	if (tp->mnt->group && !m->group)
		m->group = new_group(); /* made under a shared mount: shared */
}

static int move_beneath(struct task *t, struct path *sp, struct path *tp);

/* Linux do_move_mount: sp (a mount's root; attached, or an anonymous tree's root) to tp
 * (or, beneath, under the top mount there). */
static int
move_mount_paths(struct task *t, struct path *sp, struct path *tp, bool beneath)
{
	struct mount *m = sp->mnt, *to = tp->mnt;

	if (!in_main_tree(to) && !in_anon_tree(to))
		return -EINVAL;
	if (in_main_tree(m)) {
		if (!m->parent || (m->flags & MNT_LOCKED) || m->parent->group || !in_main_tree(to))
			return -EINVAL;
	} else if (!in_anon_tree(m) || m->parent || tree_root(to) == m) {
		return -EINVAL; /* only a whole anonymous tree leaves it, to another tree */
	}
	if (sp->d != m->root)
		return -EINVAL;
	if (procfs_cant_mount(tp->d))
		return -ENOENT;
	if (S_ISDIR(sp->d->inode->mode) != S_ISDIR(tp->d->inode->mode))
		return -EINVAL;
	if (to->group && m->unbindable)
		return -EINVAL;
	for (struct mount *a = to; a; a = a->parent)
		if (a == m)
			return -ELOOP;
	if (beneath)
		return move_beneath(t, sp, tp);
	int err = room_with_copies(to, tp->d, tree_size(m), m);
	if (err)
		return err;
	attach_at(m, tp);
	propagate_mount(to, tp->d, m, next_mount_id, m);
	return 0;
}

/* Linux's MOVE_MOUNT_BENEATH (can_move_mount_beneath): the tree at sp goes where the top
 * mount at tp is, and that mount onto its root, so unmounting the top one uncovers it.
 * Under a parent that propagates, where Linux weighs what its copies would cover, it is
 * not offered (EINVAL). */
static int
move_beneath(struct task *t, struct path *sp, struct path *tp)
{
	struct mount *m = sp->mnt, *to = tp->mnt, *parent = to->parent;

	if (!is_mount_root(tp) || !parent || (to->flags & MNT_LOCKED))
		return -EINVAL;
	for (struct mount *c = vfs_mounts; c; c = c->next)
		if (c->parent == m && c->mountpoint == m->root && !c->detached)
			return -EINVAL; /* the tree's own root is covered */
	/* (Linux also refuses a child of its namespace's root, rootfs, so its "/": here the
	 * tree's root is "/" itself, which has no parent) */
	if (to == t->fs->root.mnt)
		return -EINVAL;
	for (struct mount *p = m; p->parent; p = p->parent)
		if (p == to)
			return -EINVAL;
	if (parent->group || parent->master || m->group)
		return -EINVAL;
	struct path below = { parent, to->mountpoint };
	int err = room_with_copies(parent, to->mountpoint, tree_size(m), m);
	if (err)
		return err;
	attach_at(m, &below);
	/* the top mount moves onto the new one's root, keeping its own propagation */
	to->mountpoint->mounted--;
	dput(to->mountpoint);
	to->parent = m;
	to->mountpoint = dget(m->root);
	m->root->mounted++;
	tree_changed();
	return 0;
}

/* Linux do_set_group (MOVE_MOUNT_SET_GROUP): the private mount at tp joins the peer
 * group (and the master) of the one at sp, which covers at least as much of the same
 * filesystem. */
static int
set_group(struct path *sp, struct path *tp)
{
	struct mount *from = sp->mnt, *to = tp->mnt;

	if (!in_main_tree(from) || !in_main_tree(to))
		return -EINVAL;
	if (!is_mount_root(sp) || !is_mount_root(tp) || from->sb != to->sb)
		return -EINVAL;
	if (!dentry_under(to->root, from->root))
		return -EINVAL;
	for (struct mount *c = vfs_mounts; c; c = c->next)
		if ((c->flags & MNT_LOCKED) && child_under(c, from, to->root))
			return -EINVAL;
	if (to->group || to->master || (!from->group && !from->master))
		return -EINVAL;
	to->master = from->master;
	to->group = from->group;
	to->unbindable = false;
	return 0;
}

int
vfs_move_mount(struct task *t, struct file *fromf, const char *from, struct file *tof,
	       const char *to, unsigned flags)
{
	struct path sp, tp;
	int err;

	err = vfs_resolve_at(t, fromf, from,
			     (flags & MOVE_MOUNT_F_SYMLINKS ? 0 : AT_SYMLINK_NOFOLLOW) |
			     (flags & MOVE_MOUNT_F_EMPTY_PATH ? AT_EMPTY_PATH : 0), &sp);
	if (err)
		return err;
	err = vfs_resolve_at(t, tof, to,
			     (flags & MOVE_MOUNT_T_SYMLINKS ? 0 : AT_SYMLINK_NOFOLLOW) |
			     (flags & MOVE_MOUNT_T_EMPTY_PATH ? AT_EMPTY_PATH : 0), &tp);
	if (!err) {
		if (landlock_mount_change(t)) /* Linux security_move_mount */
			err = -EPERM;
		else if (flags & 0x100 /* MOVE_MOUNT_SET_GROUP */)
			err = set_group(&sp, &tp);
		else
			err = move_mount_paths(t, &sp, &tp, flags & 0x200 /* MOVE_MOUNT_BENEATH */);
		path_put(&tp);
	}
	path_put(&sp);
	return err;
}

int
vfs_open_tree(struct task *t, struct file *dirf, const char *path, int at_flags, bool clone,
	      bool recursive, struct file **out)
{
	struct path p;
	int err = vfs_resolve_at(t, dirf, path, at_flags, &p);

	if (err)
		return err;
	if (!clone) {
		err = vfs_open_path(&p, false, out);
		path_put(&p);
		return err;
	}
	/* Linux __do_loopback: a copy of the mount at p (and below it, recursive) as a new
	 * anonymous tree rooted at p */
	struct mount *m = p.mnt;
	if (m->unbindable || (!in_main_tree(m) && !in_anon_tree(m)) ||
	    (p.d->sb->flags & SB_PSEUDO))
		err = -EINVAL;
	for (struct mount *c = vfs_mounts; !err && !recursive && c; c = c->next)
		if ((c->flags & MNT_LOCKED) && child_under(c, m, p.d))
			err = -EINVAL; /* would uncover what a locked mount hides */
	if (!err)
		err = mounts_room(1 + (recursive ? count_children(m, p.d) : 0));
	if (!err) {
		int first_new = next_mount_id;
		struct mount *n = anon_mount(m->sb, p.d, m->flags & ~MNT_LOCKED);

		if (recursive)
			bind_children(m, n, p.d, first_new);
		err = mount_fd_of(n, out);
	}
	path_put(&p);
	return err;
}

/* Linux mount_setattr_prepare / _commit: check every mount of the tree at m (only m
 * unless rec) for locks first, then change them all. */
static bool
setattr_locked(struct mount *m, unsigned set, unsigned clr, bool rec)
{
	if (locked_flags_change(m, (m->flags & ~clr) | set))
		return true;
	for (struct mount *c = vfs_mounts; rec && c; c = c->next)
		if (c->parent == m && !c->detached && setattr_locked(c, set, clr, true))
			return true;
	return false;
}

static void
setattr_commit(struct mount *m, unsigned set, unsigned clr, bool rec)
{
	m->flags = (m->flags & ~clr) | set;
	for (struct mount *c = vfs_mounts; rec && c; c = c->next)
		if (c->parent == m && !c->detached)
			setattr_commit(c, set, clr, true);
}

int
vfs_mount_setattr(struct task *t, struct file *dirf, const char *path, int at_flags,
		  unsigned set, unsigned clr, unsigned long prop, bool recursive)
{
	struct path p;
	int err = vfs_resolve_at(t, dirf, path, at_flags, &p);
	bool atime = clr & MOUNT_ATTR__ATIME;

	if (err)
		return err;
	set = mnt_flags_from_attr(atime ? set : set & ~MOUNT_ATTR__ATIME);
	clr = mnt_flags_from_attr(clr & ~MOUNT_ATTR__ATIME) |
	      (atime ? MNT_NOATIME | MNT_STRICTATIME : 0);
	/* Linux do_mount_setattr: a mount's root, in the caller's namespace or an anonymous
	 * tree (open_tree, fsmount) */
	if (!is_mount_root(&p) || (!in_main_tree(p.mnt) && !in_anon_tree(p.mnt)))
		err = -EINVAL;
	else if (setattr_locked(p.mnt, set, clr, recursive))
		err = -EPERM;
	if (!err) {
		setattr_commit(p.mnt, set, clr, recursive);
		if (prop)
			set_propagation_tree(p.mnt, prop, recursive);
	}
	path_put(&p);
	return err;
}

/* ---- mount namespaces (sentry/ns.h) ---- */

static uint64_t last_mnt_ns_id;

/* Linux copy_tree for copy_mnt_ns: every mount of the tree at old, in mount order, with
 * its flags (locks included), peer group and master: a shared mount's copy is its peer, a
 * slave's copy a slave of the same master. For a less privileged owner (another user
 * namespace) every copy is locked below the root and shared ones become slaves of their
 * group (CL_UNPRIVILEGED | CL_SHARED_TO_SLAVE). */
static struct ns_common *
mnt_copy(struct task *t, struct ns_common *oldc, struct ns_common *owner, int *err)
{
	struct mnt_ns *old = (struct mnt_ns *)oldc, *ns;
	long n = 0;

	(void)t;
	bool unpriv = old && owner && owner != ns_owner(oldc);
	ns = xcalloc(1, sizeof(*ns));
	ns->ns = (struct ns_common){ .refs = 1, .kind = NS_MNT };
	ns->id = ++last_mnt_ns_id;
	if (!old) { /* the initial namespace (sentry/ns.c keeps it for good) */
		ns->ns.ino = 4026531841u;
		ns->root = root_mount;
		root_mount->ns = ns;
		return &ns->ns;
	}
	for (struct mount *m = vfs_mounts; m; m = m->next)
		n += !m->detached && tree_root(m) == old->root;
	*err = n > GUEST_MOUNTS_MAX ? -ENOSPC : mounts_room((int)n);
	if (*err) {
		free(ns);
		return NULL;
	}
	ns->ns.ino = ns_new_ino();
	ns->map = xcalloc((size_t)n * 2, sizeof(*ns->map));
	struct mount *last = NULL;
	for (struct mount *m = vfs_mounts; m && m != last; m = m->next) {
		if (m->detached || tree_root(m) != old->root)
			continue;
		struct mount *c = mount_add(m->sb, m->root, NULL, m->mountpoint, m->flags);
		last = last ? last : c; /* the copies come after every original */
		c->group = m->group;
		c->master = m->master;
		c->unbindable = m->unbindable;
		if (unpriv && m->group) {
			c->master = m->group;
			c->group = 0;
		}
		if (unpriv && m != old->root)
			c->flags |= MNT_LOCKED;
		if (unpriv)
			c->flags |= MNT_LOCK_ATTRS;
		ns->map[2 * ns->nmap] = m;
		ns->map[2 * ns->nmap + 1] = c;
		ns->nmap++;
		guest_mounts++;
		guest_mounts_ever++;
	}
	for (int i = 0; i < ns->nmap; i++) {
		struct mount *m = ns->map[2 * i], *c = ns->map[2 * i + 1];
		for (int j = 0; m->parent && j < ns->nmap; j++)
			if (ns->map[2 * j] == m->parent)
				c->parent = ns->map[2 * j + 1];
		if (m == old->root)
			ns->root = c;
	}
	tree_changed();
	ns->root->ns = ns;
	vfs_mounts_changed();
	return &ns->ns;
}

static void
mnt_release(struct ns_common *c)
{
	struct mnt_ns *ns = (struct mnt_ns *)c;

	free(ns->map);
	if (ns->root) {
		ns->root->ns = NULL;
		detach_tree(ns->root, DETACH_SYNC); /* Linux put_mnt_ns: every mount goes */
		vfs_mounts_changed();
	}
	free(ns);
}

/* The copy of p's mount in the fresh namespace's map (p unchanged when none). */
static void
map_path(struct mnt_ns *ns, struct path *p)
{
	for (int i = 0; i < ns->nmap; i++) {
		if (ns->map[2 * i] == p->mnt) {
			p->mnt = ns->map[2 * i + 1];
			return;
		}
	}
}

/* t moved into ns: out of a fresh copy its root and cwd go to the copies of their mounts
 * (Linux copy_mnt_ns); by setns, both go to the namespace's root (mntns_install). */
static int
mnt_install(struct task *t, struct ns_common *c)
{
	struct mnt_ns *ns = (struct mnt_ns *)c;

	if (!t->fs)
		return 0;
	if (ns->map) {
		map_path(ns, &t->fs->root);
		map_path(ns, &t->fs->cwd);
		free(ns->map);
		ns->map = NULL;
		ns->nmap = 0;
		return 0;
	}
	if (t->fs->refs > 1)
		return -EINVAL; /* shared with another task (CLONE_FS) */
	struct path root = path_get((struct path){ ns->root, ns->root->root });
	follow_mounts(&root);
	struct path cwd = path_get(root);
	path_put(&t->fs->root);
	t->fs->root = root;
	path_put(&t->fs->cwd);
	t->fs->cwd = cwd;
	return 0;
}

bool
vfs_fs_shared(struct task *t)
{
	return t->fs && t->fs->refs > 1;
}

/* Linux current_chrooted: t's root is not its mount namespace's root. */
bool
vfs_chrooted(struct task *t)
{
	struct mount *r = ns_root_of(t);
	struct path root = path_get((struct path){ r, r->root });
	bool chrooted;

	follow_mounts(&root);
	chrooted = t->fs->root.mnt != root.mnt || t->fs->root.d != root.d;
	path_put(&root);
	return chrooted;
}

const struct ns_ops ns_mnt_ops = {
	.name = "mnt",
	.clone_flag = CLONE_NEWNS,
	.copy = mnt_copy,
	.release = mnt_release,
	.install = mnt_install,
};

/* ---- fs contexts ---- */

struct fs_context *
vfs_ctx_new(void)
{
	struct fs_context *c = xcalloc(1, sizeof(*c));
	struct path r = { root_mount, root_mount ? root_mount->root : NULL };

	c->refs = 1;
	c->root = path_get(r);
	c->cwd = path_get(r);
	c->umask = 022;
	return c;
}

struct fs_context *
vfs_ctx_get(struct fs_context *c)
{
	if (c)
		c->refs++;
	return c;
}

struct fs_context *
vfs_ctx_copy(struct fs_context *c)
{
	struct fs_context *n = xcalloc(1, sizeof(*n));

	n->refs = 1;
	n->root = path_get(c->root);
	n->cwd = path_get(c->cwd);
	n->umask = c->umask;
	return n;
}

void
vfs_ctx_put(struct fs_context *c)
{
	if (!c || --c->refs > 0)
		return;
	path_put(&c->root);
	path_put(&c->cwd);
	free(c);
}

mode_t
vfs_umask(struct fs_context *c, mode_t newmask)
{
	mode_t old = c->umask;

	c->umask = newmask & 0777;
	return old;
}

struct path
vfs_ctx_root(struct fs_context *c)
{
	return c->root;
}

struct path
vfs_ctx_cwd(struct fs_context *c)
{
	return c->cwd;
}

/* ---- paths as strings ---- */

static int
prepend(char *tmp, int *pos, const char *s, size_t len)
{
	if ((size_t)*pos < len)
		return -ENAMETOOLONG;
	*pos -= len;
	memcpy(tmp + *pos, s, len);
	return 0;
}

int
vfs_path_string(struct path p, struct path root, char *buf, size_t n)
{
	_cleanup_free_ char *tmp = xmalloc(PATH_MAX);
	int pos = PATH_MAX - 1, err = 0;
	bool deleted = p.d && p.d->deleted;
	size_t len;

	tmp[pos] = '\0';
	/* Linux d_path: a pseudo file's name ("net:[4026531840]"), but for one that is the
	 * root of a mount of its own (ip netns's bind mount), where that is mounted */
	if (p.d && (p.d->sb->flags & SB_PSEUDO) && !(p.mnt && p.d == p.mnt->root && p.mnt->parent)) {
		len = strlen(p.d->name);
		if (len + 1 > n)
			return -ENAMETOOLONG;
		memcpy(buf, p.d->name, len + 1);
		return len;
	}
	while (p.d && !err) {
		if (root.d && p.mnt == root.mnt && p.d == root.d)
			break;
		if (p.d == p.mnt->root || !p.d->parent) {
			/* (an unmounted tree's paths start at its root: Linux's "detached") */
			if (!mount_up(p.mnt))
				break;
			p.d = p.mnt->mountpoint;
			p.mnt = p.mnt->parent;
			continue;
		}
		err = prepend(tmp, &pos, p.d->name, strlen(p.d->name));
		if (!err)
			err = prepend(tmp, &pos, "/", 1);
		p.d = p.d->parent;
	}
	if (!err && tmp[pos] == '\0')
		err = prepend(tmp, &pos, "/", 1);
	if (err)
		return err;
	len = PATH_MAX - 1 - pos;
	if (len + (deleted ? 10 : 0) + 1 > n)
		return -ENAMETOOLONG;
	memcpy(buf, tmp + pos, len + 1);
	if (deleted) {
		memcpy(buf + len, " (deleted)", 11);
		len += 10;
	}
	return len;
}

/* ---- /proc/mounts ---- */

static int dominating_group(struct mount *m, struct path *root);

static void
mangle(struct sbuf *b, const char *s)
{
	for (; *s; s++) {
		if (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\\')
			sbuf_printf(b, "\\%03o", (unsigned char)*s);
		else
			sbuf_append(b, s, 1);
	}
}

static void
mount_opts(struct sbuf *b, struct mount *m)
{
	sbuf_printf(b, "%s", (m->flags & MNT_RDONLY) ? "ro" : "rw");
	if (m->flags & MNT_NOSUID)
		sbuf_printf(b, ",nosuid");
	if (m->flags & MNT_NODEV)
		sbuf_printf(b, ",nodev");
	if (m->flags & MNT_NOEXEC)
		sbuf_printf(b, ",noexec");
	sbuf_printf(b, m->flags & MNT_NOATIME ? ",noatime" :
		       m->flags & MNT_STRICTATIME ? "" : ",relatime");
	if (m->sb->size_limit && !m->sb->opts)
		sbuf_printf(b, ",size=%luk", m->sb->size_limit / 1024);
}

static void
mount_point_text(struct sbuf *b, struct mount *m, struct path root)
{
	char buf[PATH_MAX];
	struct path p = { m, m->root };

	if (vfs_path_string(p, root, buf, sizeof(buf)) < 0)
		snprintf(buf, sizeof(buf), "/");
	mangle(b, buf);
}

/* The mount's root within its filesystem (a bind mount of a subdirectory: not "/"), built
 * at the end of buf (PATH_MAX bytes). */
static const char *
mount_root_path(struct mount *m, char *buf)
{
	int pos = PATH_MAX - 1;

	buf[pos] = '\0';
	for (struct dentry *d = m->root; d && d != m->sb->root && d->parent; d = d->parent) {
		size_t len = strlen(d->name);

		if ((size_t)pos < len + 2)
			break;
		pos -= len;
		memcpy(buf + pos, d->name, len);
		buf[--pos] = '/';
	}
	if (!buf[pos])
		buf[--pos] = '/';
	return buf + pos;
}

/* The path of m's root in its filesystem, as the caller sees it (Linux show_path): a cgroup2
 * mount's from the caller's cgroup namespace's root. */
static void
mount_root_sbuf(struct sbuf *b, struct mount *m)
{
	char buf[PATH_MAX];

	if (!strcmp(m->sb->fstype, "cgroup2"))
		cgroupfs_show_root(current_task, m->root, b);
	else
		sbuf_printf(b, "%s", mount_root_path(m, buf));
}

static void
mount_root_text(struct sbuf *b, struct mount *m)
{
	/* a bind mount of a pseudo file (an nsfs one): its name, as nsfs_show_path gives */
	if ((m->sb->flags & SB_PSEUDO) && m->root != m->sb->root) {
		mangle(b, m->root->name);
	} else {
		struct sbuf p = { 0 };

		mount_root_sbuf(&p, m);
		mangle(b, p.buf ? p.buf : "/");
		free(p.buf);
	}
}

void
vfs_mounts_gen(struct sbuf *b, struct path root, bool info)
{
	struct mount *m;

	for (m = vfs_mounts; m; m = m->next) {
		/* Linux shows only the mounts the reader's root reaches (a chroot) */
		if (root.mnt && !path_under(m, m->root, &root))
			continue;
		if (info) {
			sbuf_printf(b, "%d %d %u:%u ", m->id, m->parent ? m->parent->id : 1,
				    major(m->sb->dev), minor(m->sb->dev));
			mount_root_text(b, m);
			sbuf_printf(b, " ");
		} else {
			mangle(b, m->sb->source);
			sbuf_printf(b, " ");
		}
		mount_point_text(b, m, root);
		sbuf_printf(b, " ");
		if (info) {
			mount_opts(b, m);
			if (m->group)
				sbuf_printf(b, " shared:%d", m->group);
			if (m->master) {
				int from = root.mnt ? dominating_group(m, &root) : 0;

				sbuf_printf(b, " master:%d", m->master);
				if (from && from != m->master)
					sbuf_printf(b, " propagate_from:%d", from);
			}
			if (m->unbindable)
				sbuf_printf(b, " unbindable");
			sbuf_printf(b, " - %s ", m->sb->fstype);
			mangle(b, m->sb->source);
			sbuf_printf(b, " %s%s\n", (m->sb->flags & SB_RDONLY) ? "ro" : "rw",
				    m->sb->opts ? m->sb->opts : "");
		} else {
			sbuf_printf(b, "%s ", m->sb->fstype);
			mount_opts(b, m);
			sbuf_printf(b, "%s 0 0\n", m->sb->opts ? m->sb->opts : "");
		}
	}
}

int
vfs_mountinfo_text(struct path root, char *buf, size_t n)
{
	struct sbuf b = { 0 };

	vfs_mounts_gen(&b, root, true);
	return sbuf_finish(&b, buf, n);
}

int
vfs_mounts_text(char *buf, size_t n)
{
	struct sbuf b = { 0 };
	struct path root = { root_mount, root_mount ? root_mount->root : NULL };

	vfs_mounts_gen(&b, root, false);
	return sbuf_finish(&b, buf, n);
}

/* ---- statfs ---- */

static const struct {
	const char *fstype;
	long magic;
} fs_magic[] = {
	{ "overlay", 0x794c7630 },      /* OVERLAYFS_SUPER_MAGIC */
	{ "tmpfs", 0x01021994 },        /* TMPFS_MAGIC (also /dev, /dev/shm) */
	{ "proc", 0x9fa0 },             /* PROC_SUPER_MAGIC */
	{ "sysfs", 0x62656572 },        /* SYSFS_MAGIC */
	{ "devpts", 0x1cd1 },           /* DEVPTS_SUPER_MAGIC */
	{ "pipefs", 0x50495045 },       /* PIPEFS_MAGIC */
	{ "anon_inodefs", 0x09041934 }, /* ANON_INODE_FS_MAGIC */
	{ "sockfs", 0x534f434b },       /* SOCKFS_MAGIC */
	{ "mqueue", 0x19800202 },       /* MQUEUE_MAGIC */
	{ "cgroup2", 0x63677270 },      /* CGROUP2_SUPER_MAGIC */
	{ "nsfs", 0x6e736673 },         /* NSFS_MAGIC (ip netns's bind mounts) */
	{ "ramfs", 0x858458f6 },        /* RAMFS_MAGIC */
	{ "hostfs", 0xef53 },           /* host directories: reported as ext4 */
};

#ifndef ST_VALID
#define ST_VALID 0x0020           /* f_flags is valid (Linux statfs) */
#endif
#define STATFS_MEM_BLOCKS 262144UL   /* in-memory filesystems without a size: 1 GiB */

/* A filesystem's magic number as statfs gives it (host directories: ext4's, unless the
 * host's own below replaces it). */
static long
sb_magic(struct super_block *sb)
{
	for (size_t i = 0; i < ARRAY_SIZE(fs_magic); i++)
		if (!strcmp(sb->fstype, fs_magic[i].fstype))
			return fs_magic[i].magic;
	return 0x01021994;
}

/* statfs(2) of the filesystem f is on: its type, the size limit and use of in-memory
 * filesystems, and the mount's flags. */
int
vfs_open_dev_root(dev_t dev, struct file **out)
{
	for (struct mount *m = vfs_mounts; m; m = m->next) {
		if (m->detached || m->sb->dev != dev)
			continue;
		struct path p = { m, m->root };

		return vfs_open_path(&p, false, out);
	}
	return -EINVAL;
}

int
file_statfs(struct file *f, struct statfs *sf)
{
	struct super_block *sb = f->inode ? f->inode->sb : NULL;
	unsigned long blocks = STATFS_MEM_BLOCKS, used;

	memset(sf, 0, sizeof(*sf));
	sf->f_type = 0x01021994;
	sf->f_bsize = sf->f_frsize = VFS_BLKSIZE;
	sf->f_namelen = NAME_MAX;
	sf->f_flags = ST_VALID;
	if (!sb) {
		sf->f_type = 0x50495045; /* the guest's stdio: host pipes, files or terminals */
		return 0;
	}
	sf->f_type = sb_magic(sb);
	tmpfs_sync_usage(sb); /* (the pages mappings touched) */
	sf->f_fsid.__val[0] = (int)major(sb->dev);
	sf->f_fsid.__val[1] = (int)minor(sb->dev);
	/* memfds and System V segments: Linux's internal shm mount, a tmpfs with no size and
	 * no inode limit (0 blocks, 0 inodes) and no mount flags. ZGC reads a number there as
	 * a size limit on its heap (and warns) */
	if (vfs_memfd_inode(f->inode))
		return 0;
	if (f->path.mnt) {
		unsigned mf = f->path.mnt->flags;

		sf->f_flags |= ((mf & MNT_RDONLY) || (sb->flags & SB_RDONLY) ? ST_RDONLY : 0);
		sf->f_flags |= mf & MNT_NOATIME ? ST_NOATIME :
			       mf & MNT_STRICTATIME ? 0 : ST_RELATIME;
		sf->f_flags |= mf & MNT_NODIRATIME ? ST_NODIRATIME : 0;
		sf->f_flags |= (mf & MNT_NOSUID ? ST_NOSUID : 0) | (mf & MNT_NODEV ? ST_NODEV : 0) |
			       (mf & MNT_NOEXEC ? ST_NOEXEC : 0);
	}
	struct statfs host;
	if (sb->gofer_mount >= 0 && (!strcmp(sb->fstype, "overlay") || !strcmp(sb->fstype, "hostfs")) &&
	    gofer_statfs(sb->gofer_mount, "", &host) == 0 && host.f_bsize == VFS_BLKSIZE) {
		/* host directories: the host filesystem's numbers; the overlay adds what its
		 * memory layer holds to the host's use, within the guests' memory budget */
		unsigned long mem = PAGE_UP(sb->bytes_used) / VFS_BLKSIZE;
		unsigned long budget = limit_report ? limit_report->mem_limit : 0;
		unsigned long left = budget > (limit_report ? limit_report->mem_charged : 0)
					     ? (budget - limit_report->mem_charged) / VFS_BLKSIZE
					     : budget ? 0 : ULONG_MAX;
		bool ovl = sb->flags & SB_OVERLAY;

		if (!ovl)
			sf->f_type = host.f_type;
		sf->f_blocks = host.f_blocks;
		sf->f_bfree = ovl ? host.f_bfree - MIN(host.f_bfree, mem) : host.f_bfree;
		sf->f_bavail = ovl ? MIN(host.f_bavail - MIN(host.f_bavail, mem), left)
				   : host.f_bavail;
		sf->f_files = host.f_files;
		sf->f_ffree = host.f_ffree;
		sf->f_namelen = host.f_namelen;
		return 0;
	}
	if (!strcmp(sb->fstype, "tmpfs") || !strcmp(sb->fstype, "overlay") ||
	    !strcmp(sb->fstype, "hostfs")) {
		/* In memory: its size (--tmpfs SIZE), else the guests' memory budget (--memory,
		 * which bounds what all of them may write); used: what this filesystem holds.
		 * Available: the free blocks that the budget, shared with the guests' other
		 * memory, still covers. */
		unsigned long budget = limit_report ? limit_report->mem_limit : 0;
		unsigned long left = ULONG_MAX;
		if (budget) {
			blocks = budget / VFS_BLKSIZE;
			left = budget > limit_report->mem_charged
				       ? (budget - limit_report->mem_charged) / VFS_BLKSIZE : 0;
		}
		if (sb->size_limit)
			blocks = sb->size_limit / VFS_BLKSIZE;
		used = MIN(blocks, PAGE_UP(sb->bytes_used) / VFS_BLKSIZE);
		sf->f_blocks = blocks;
		sf->f_bfree = blocks - used;
		sf->f_bavail = MIN(sf->f_bfree, left);
		unsigned long files = sb->max_inodes ? sb->max_inodes : STATFS_MEM_BLOCKS;
		unsigned long live = sb->max_inodes ? sb->ninodes : sb->next_ino & 0xffffff;
		sf->f_files = files;
		sf->f_ffree = files - MIN(files, live);
	}
	return 0;
}

/* ---- statmount(2) and listmount(2) ---- */

#define STATMOUNT_SB_BASIC_ 0x0001U
#define STATMOUNT_MNT_BASIC_ 0x0002U
#define STATMOUNT_PROPAGATE_FROM_ 0x0004U
#define STATMOUNT_MNT_ROOT_ 0x0008U
#define STATMOUNT_MNT_POINT_ 0x0010U
#define STATMOUNT_FS_TYPE_ 0x0020U
#define STATMOUNT_MNT_NS_ID_ 0x0040U
#define STATMOUNT_MNT_OPTS_ 0x0080U
#define STATMOUNT_FS_SUBTYPE_ 0x0100U
#define STATMOUNT_SB_SOURCE_ 0x0200U
#define STATMOUNT_OPT_ARRAY_ 0x0400U
#define STATMOUNT_OPT_SEC_ARRAY_ 0x0800U
#define STATMOUNT_SUPPORTED_MASK_ 0x1000U
#define STATMOUNT_MNT_UIDMAP_ 0x2000U
#define STATMOUNT_MNT_GIDMAP_ 0x4000U
#define STATMOUNT_SUPPORTED_ 0x7fffU  /* Linux 6.18's: every request above is handled */

uint64_t
vfs_mnt_ns_id(struct ns_common *c)
{
	return ((struct mnt_ns *)c)->id;
}

struct ns_common *
vfs_mnt_ns_lookup(uint64_t id)
{
	for (struct mount *m = vfs_mounts; m; m = m->next)
		if (m->ns && !m->detached && m->ns->id == id)
			return &m->ns->ns;
	return NULL;
}

static uint64_t
unique_id(struct mount *m)
{
	return VFS_MNT_UNIQUE_ID_OFFSET + (uint64_t)m->id;
}

/* The mount of unique id id in the tree of namespace ns (Linux lookup_mnt_in_ns). */
static struct mount *
mount_in_ns(struct mnt_ns *ns, uint64_t id)
{
	for (struct mount *m = vfs_mounts; m; m = m->next)
		if (unique_id(m) == id && !m->detached && tree_root(m) == ns->root)
			return m;
	return NULL;
}

/* Where t sees ns from (Linux grab_requested_root): its own root in its own namespace,
 * else the namespace's root. */
static struct path
ns_view_root(struct task *t, struct mnt_ns *ns)
{
	if (&ns->ns == ns_of(t, NS_MNT) && t->fs)
		return t->fs->root;
	return (struct path){ ns->root, ns->root->root };
}

/* May t look at (m, d) of ns from root (Linux: reachable, or CAP_SYS_ADMIN over ns)? */
static int
may_see(struct task *t, struct mnt_ns *ns, struct mount *m, struct dentry *d, struct path *root)
{
	if (path_under(m, d, root) || task_ns_capable(t, ns_owner(&ns->ns), CAP_SYS_ADMIN))
		return 0;
	return -EPERM;
}

/* Linux get_dominating_id: the peer group nearest up m's chain of masters that has a
 * member in m's namespace under root (0: none); mountinfo's propagate_from. */
static int
dominating_group(struct mount *m, struct path *root)
{
	struct mount *top = tree_root(m);
	int hops = 0;

	for (int g = m->master; g && hops++ < 1000;) {
		int up = 0;

		for (struct mount *q = vfs_mounts; q; q = q->next) {
			if (q->group != g || q->detached || tree_root(q) != top)
				continue;
			if (path_under(q, q->root, root))
				return g;
			up = up ? up : q->master;
		}
		g = up;
	}
	return 0;
}

static uint64_t
mount_attr_flags(unsigned f)
{
	uint64_t a = (f & MNT_RDONLY ? MOUNT_ATTR_RDONLY : 0) |
		     (f & MNT_NOSUID ? MOUNT_ATTR_NOSUID : 0) |
		     (f & MNT_NODEV ? MOUNT_ATTR_NODEV : 0) |
		     (f & MNT_NOEXEC ? MOUNT_ATTR_NOEXEC : 0) |
		     (f & MNT_NODIRATIME ? MOUNT_ATTR_NODIRATIME : 0);

	if (f & MNT_NOATIME)
		return a | MOUNT_ATTR_NOATIME;
	return a | (f & MNT_STRICTATIME ? MOUNT_ATTR_STRICTATIME : MOUNT_ATTR_RELATIME);
}

static void
statmount_basic(struct mount *m, struct mnt_ns *ns, struct path *root, uint64_t mask,
		struct statmount_ *sm)
{
	struct super_block *sb = m->sb;

	if (mask & STATMOUNT_SB_BASIC_) {
		struct statfs host;

		sm->sb_dev_major = major(sb->dev);
		sm->sb_dev_minor = minor(sb->dev);
		sm->sb_magic = (uint64_t)sb_magic(sb);
		if (!(sb->flags & SB_OVERLAY) && !strcmp(sb->fstype, "hostfs") &&
		    sb->gofer_mount >= 0 && gofer_statfs(sb->gofer_mount, "", &host) == 0 &&
		    host.f_bsize == VFS_BLKSIZE)
			sm->sb_magic = (uint64_t)host.f_type; /* as statfs gives it */
		sm->sb_flags = sb->flags & SB_RDONLY ? MS_RDONLY : 0;
	}
	if (mask & STATMOUNT_MNT_BASIC_) {
		/* the parent of a namespace's root is the rootfs mount under it, which the
		 * sandbox does not have: mountinfo's parent id 1 */
		sm->mnt_id = unique_id(m);
		sm->mnt_id_old = (uint32_t)m->id;
		sm->mnt_parent_id_old = m->parent ? (uint32_t)m->parent->id : 1;
		sm->mnt_parent_id = VFS_MNT_UNIQUE_ID_OFFSET + sm->mnt_parent_id_old;
		sm->mnt_attr = mount_attr_flags(m->flags);
		sm->mnt_propagation = (m->group ? MS_SHARED : 0) | (m->master ? MS_SLAVE : 0) |
				      (m->unbindable ? MS_UNBINDABLE : 0);
		if (!sm->mnt_propagation)
			sm->mnt_propagation = MS_PRIVATE;
		sm->mnt_peer_group = (uint64_t)m->group;
		sm->mnt_master = (uint64_t)m->master;
	}
	if (mask & STATMOUNT_PROPAGATE_FROM_)
		sm->propagate_from = m->master ? (uint64_t)dominating_group(m, root) : 0;
	if (mask & STATMOUNT_MNT_NS_ID_)
		sm->mnt_ns_id = ns->id;
	if (mask & STATMOUNT_SUPPORTED_MASK_)
		sm->supported_mask = STATMOUNT_SUPPORTED_;
	sm->mask |= mask & (STATMOUNT_SB_BASIC_ | STATMOUNT_MNT_BASIC_ | STATMOUNT_PROPAGATE_FROM_ |
			    STATMOUNT_MNT_NS_ID_ | STATMOUNT_SUPPORTED_MASK_);
}

/* The string statmount gives for one request (empty: nothing to give), into b. */
static void
statmount_text(struct sbuf *b, struct mount *m, struct path *root, uint64_t flag,
	       struct statmount_ *sm)
{
	char buf[PATH_MAX];
	/* the super block's options as mountinfo shows them after "rw", comma-led */
	const char *opts = m->sb->opts && m->sb->opts[0] == ',' ? m->sb->opts + 1 : "";

	switch (flag) {
	case STATMOUNT_FS_TYPE_:
		sbuf_printf(b, "%s", m->sb->fstype);
		break;
	case STATMOUNT_MNT_ROOT_:
		mount_root_sbuf(b, m);
		break;
	case STATMOUNT_MNT_POINT_:
		/* nothing for a mount out of the caller's root (Linux seq_path_root) */
		if (path_under(m, m->root, root) &&
		    vfs_path_string((struct path){ m, m->root }, *root, buf, sizeof(buf)) >= 0)
			sbuf_printf(b, "%s", buf);
		break;
	case STATMOUNT_MNT_OPTS_:
		sbuf_printf(b, "%s", opts);
		break;
	case STATMOUNT_OPT_ARRAY_:
		/* each option a string of its own */
		for (const char *o = opts; *o; o += strcspn(o, ",") + (o[strcspn(o, ",")] == ',')) {
			size_t n = strcspn(o, ",");

			if (!n)
				continue;
			if (sm->opt_num++)
				sbuf_append(b, "", 1);
			sbuf_append(b, o, n);
		}
		break;
	case STATMOUNT_SB_SOURCE_:
		sbuf_printf(b, "%s", m->sb->source ? m->sb->source : "none");
		break;
	default:
		/* fs_subtype (no filesystem here has one), opt_sec_array (no LSM options),
		 * uid and gid maps (no ID-mapped mounts): nothing */
		break;
	}
}

/* Where statmount's string of flag goes, in the order Linux's do_statmount emits them. */
static uint32_t *
statmount_slot(struct statmount_ *sm, uint64_t flag)
{
	switch (flag) {
	case STATMOUNT_FS_TYPE_: return &sm->fs_type;
	case STATMOUNT_MNT_ROOT_: return &sm->mnt_root;
	case STATMOUNT_MNT_POINT_: return &sm->mnt_point;
	case STATMOUNT_MNT_OPTS_: return &sm->mnt_opts;
	case STATMOUNT_OPT_ARRAY_: return &sm->opt_array;
	case STATMOUNT_OPT_SEC_ARRAY_: return &sm->opt_sec_array;
	case STATMOUNT_FS_SUBTYPE_: return &sm->fs_subtype;
	case STATMOUNT_SB_SOURCE_: return &sm->sb_source;
	case STATMOUNT_MNT_UIDMAP_: return &sm->mnt_uidmap;
	default: return &sm->mnt_gidmap;
	}
}

/* The strings (Linux statmount_string): an empty one first, for offsets of nothing; each
 * given one NUL-terminated, with its bit in sm->mask. The whole must fit the caller's
 * buffer after the fixed part with room for the NUL: else -EOVERFLOW. */
static int
statmount_strings(struct mount *m, struct path *root, uint64_t mask, size_t bufsize,
		  struct statmount_ *sm, struct sbuf *b)
{
	static const uint64_t order[] = {
		STATMOUNT_FS_TYPE_, STATMOUNT_MNT_ROOT_, STATMOUNT_MNT_POINT_, STATMOUNT_MNT_OPTS_,
		STATMOUNT_OPT_ARRAY_, STATMOUNT_OPT_SEC_ARRAY_, STATMOUNT_FS_SUBTYPE_,
		STATMOUNT_SB_SOURCE_, STATMOUNT_MNT_UIDMAP_, STATMOUNT_MNT_GIDMAP_,
	};

	for (size_t i = 0; i < ARRAY_SIZE(order); i++) {
		if (!(mask & order[i]))
			continue;
		if (!b->len)
			sbuf_append(b, "", 1);
		size_t start = b->len;
		statmount_text(b, m, root, order[i], sm);
		if (b->len == start)
			continue;
		if (sizeof(*sm) + b->len >= bufsize)
			return -EOVERFLOW;
		sbuf_append(b, "", 1);
		sm->mask |= order[i];
		*statmount_slot(sm, order[i]) = (uint32_t)start;
	}
	return 0;
}

int
vfs_statmount(struct task *t, struct ns_common *c, uint64_t id, uint64_t mask, size_t bufsize,
	      struct statmount_ *sm, char **str, size_t *len)
{
	struct mnt_ns *ns = (struct mnt_ns *)c;
	struct mount *m = mount_in_ns(ns, id);
	struct sbuf b = { 0 };
	int err;

	*str = NULL;
	*len = 0;
	memset(sm, 0, sizeof(*sm));
	if (!m)
		return -ENOENT;
	struct path root = ns_view_root(t, ns);
	if ((err = may_see(t, ns, m, m->root, &root)))
		return err;
	statmount_basic(m, ns, &root, mask, sm);
	err = statmount_strings(m, &root, mask, bufsize, sm, &b);
	*str = sbuf_steal(&b, len);
	return err;
}

static int
by_id(const void *a, const void *b)
{
	int x = (*(struct mount *const *)a)->id, y = (*(struct mount *const *)b)->id;

	return (x > y) - (x < y);
}

long
vfs_listmount(struct task *t, struct ns_common *c, uint64_t parent, uint64_t last,
	      bool reverse, uint64_t *ids, size_t n)
{
	struct mnt_ns *ns = (struct mnt_ns *)c;
	struct path root = ns_view_root(t, ns), from = root;
	size_t nall = 0, got = 0;
	int err;

	if (parent != VFS_LSMT_ROOT) {
		struct mount *p = mount_in_ns(ns, parent);

		if (!p)
			return -ENOENT;
		from = (struct path){ p, p->root };
	}
	if ((err = may_see(t, ns, from.mnt, from.d, &root)))
		return err;
	for (struct mount *m = vfs_mounts; m; m = m->next)
		nall++;
	_cleanup_free_ struct mount **all = xcalloc(nall ? nall : 1, sizeof(*all));
	nall = 0;
	for (struct mount *m = vfs_mounts; m; m = m->next)
		if (!m->detached && tree_root(m) == ns->root && unique_id(m) != parent &&
		    path_under(m, m->root, &from))
			all[nall++] = m;
	qsort(all, nall, sizeof(*all), by_id);
	for (size_t i = 0; i < nall && got < n; i++) {
		uint64_t u = unique_id(all[reverse ? nall - 1 - i : i]);

		if (!last || (reverse ? u < last : u > last))
			ids[got++] = u;
	}
	return (long)got;
}
