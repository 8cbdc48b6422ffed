/* The mount tree, vfs_init, per-task fs contexts, and paths as strings. */
#include <stdio.h>
#include <string.h>
#include <sys/statfs.h>
#include <sys/statvfs.h>
#include <sys/sysmacros.h>

#include "fs/gofer.h"
#include "fs/internal.h"
#include "fs/ldisc.h"
#include "sentry/sentry.h"

struct mount *vfs_mounts;
static struct mount *root_mount;
static int next_mount_id = 20;
static struct timespec boot_mono;

struct mount *
vfs_root_mount(void)
{
	return root_mount;
}

unsigned long
vfs_boot_seconds(void)
{
	struct timespec now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	return now.tv_sec - boot_mono.tv_sec;
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
	for (pp = &vfs_mounts; *pp; pp = &(*pp)->next)
		;
	*pp = m;
	return m;
}

struct mount *
mount_lookup(struct mount *parent, struct dentry *d)
{
	struct mount *m, *found = NULL;

	for (m = vfs_mounts; m; m = m->next)
		if (m->parent == parent && m->mountpoint == d)
			found = m; /* the last one mounted is on top */
	return found;
}

/* Gives a directory dentry for a mount point, creating it when missing: a real
 * directory on writable filesystems, else a synthetic one in the dentry cache. */
static int
ensure_dir(const char *path, struct path *out)
{
	_cleanup_free_ char *parent = NULL;
	struct nameidata nd;
	struct path dir = { 0 }, scratch = { 0 };
	struct dentry *d = NULL;
	const char *name;
	int err;

	err = vfs_resolve_at(NULL, NULL, path, 0, out);
	if (err != -ENOENT)
		return err;
	err = vfs_mkdirat(NULL, NULL, path, 0755);
	if (err == 0 || err == -EEXIST)
		return vfs_resolve_at(NULL, NULL, path, 0, out);
	name = strrchr(path, '/');
	if (!name || !name[1] || strlen(name + 1) > NAME_MAX)
		return -EINVAL;
	parent = xstrdup(path);
	parent[name - path] = '\0';
	err = ensure_dir(parent[0] ? parent : "/", &dir);
	if (err)
		return err;
	err = nd_start(&nd, NULL, NULL, "/", &scratch);
	path_put(&scratch);
	if (!err)
		err = nd_lookup(&nd, &dir, name + 1, &d);
	if (err) {
		path_put(&dir);
		return err;
	}
	if (!d->inode) {
		struct inode *ino = inode_new(d->sb, S_IFDIR | 0755, 0, 0);

		ino->iops = &tmpfs_dir_iops;
		ino->fops = &tmpfs_dir_fops;
		if (d->hashed) {
			d_unhash(d);
			d->sb->nneg--;
		}
		d->inode = ino;
		d_hash(d);
	}
	out->mnt = dir.mnt;
	out->d = d;
	path_put(&dir);
	follow_mounts(out);
	return 0;
}

static int
mount_at(const char *path, struct super_block *sb, unsigned flags)
{
	struct path mp;
	int err = ensure_dir(path, &mp);

	if (!err && !S_ISDIR(mp.d->inode->mode)) {
		path_put(&mp);
		err = -ENOTDIR;
	}
	if (err) {
		log_err_errno(err, "cannot mount %s at %s", sb->fstype, path);
		return err;
	}
	mount_add(sb, sb->root, mp.mnt, mp.d, flags);
	path_put(&mp);
	return 0;
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
	*out = tmpfs_new_sb("tmpfs", s->size, 01777);
	return 0;
}

int
vfs_init(const struct vfs_mount_spec *specs, int n)
{
	struct super_block *sb;
	int i, err;

	if (n < 1 || !specs[0].guest_path || strcmp(specs[0].guest_path, "/"))
		return -EINVAL;
	if (root_mount)
		return -EBUSY;
	clock_gettime(CLOCK_MONOTONIC, &boot_mono);
	err = spec_sb(&specs[0], &sb);
	if (err)
		return err;
	if (!specs[0].host_path)
		sb->root->inode->mode = S_IFDIR | 0755;
	root_mount = mount_add(sb, sb->root, NULL, NULL, specs[0].readonly ? MNT_RDONLY : 0);
	for (i = 1; i < n; i++) {
		if (!specs[i].guest_path || specs[i].guest_path[0] != '/')
			return -EINVAL;
		err = spec_sb(&specs[i], &sb);
		if (!err)
			err = mount_at(specs[i].guest_path, sb,
				       (specs[i].readonly ? MNT_RDONLY : 0) | MNT_NOSUID | MNT_NODEV);
		if (err)
			return err;
	}
	sb = tmpfs_new_sb("dev", 0, 0755);
	err = devfs_populate(sb);
	if (!err)
		err = mount_at("/dev", sb, MNT_NOSUID);
	if (!err)
		err = mount_at("/dev/shm", tmpfs_new_sb("shm", 0, 01777), MNT_NOSUID | MNT_NODEV);
	if (!err)
		err = mount_at("/dev/pts", devpts_new_sb(), MNT_NOSUID | MNT_NOEXEC);
	if (!err)
		err = mount_at("/proc", procfs_new_sb(), MNT_NOSUID | MNT_NODEV | MNT_NOEXEC);
	if (err)
		return err;
	sb = tmpfs_new_sb("sysfs", 0, 0555);
	sb->fstype = "sysfs";
	err = sysfs_populate(sb);
	if (!err)
		err = mount_at("/sys", sb, MNT_RDONLY | MNT_NOSUID | MNT_NODEV | MNT_NOEXEC);
	if (!err && (root_mount->sb->flags & SB_OVERLAY))
		ovl_mark_setup(root_mount->root); /* mount points made above are not changes */
	return err;
}

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
	if (p.d && (p.d->sb->flags & SB_PSEUDO)) {
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
			if (!p.mnt->parent)
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
	sbuf_printf(b, ",relatime");
	if (m->sb->size_limit)
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

void
vfs_mounts_gen(struct sbuf *b, struct path root, bool info)
{
	struct mount *m;

	for (m = vfs_mounts; m; m = m->next) {
		if (info) {
			sbuf_printf(b, "%d %d %u:%u / ", m->id, m->parent ? m->parent->id : 1,
				    major(m->sb->dev), minor(m->sb->dev));
		} else {
			mangle(b, m->sb->source);
			sbuf_printf(b, " ");
		}
		mount_point_text(b, m, root);
		sbuf_printf(b, " ");
		if (info) {
			mount_opts(b, m);
			sbuf_printf(b, " - %s ", m->sb->fstype);
			mangle(b, m->sb->source);
			sbuf_printf(b, " %s\n", (m->sb->flags & SB_RDONLY) ? "ro" : "rw");
		} else {
			sbuf_printf(b, "%s ", m->sb->fstype);
			mount_opts(b, m);
			sbuf_printf(b, " 0 0\n");
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
	{ "hostfs", 0xef53 },           /* host directories: reported as ext4 */
};

#ifndef ST_VALID
#define ST_VALID 0x0020           /* f_flags is valid (Linux statfs) */
#endif
#define STATFS_MEM_BLOCKS 262144UL   /* in-memory filesystems without a size: 1 GiB */

/* statfs(2) of the filesystem f is on: its type, the size limit and use of in-memory
 * filesystems, and the mount's flags. */
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
	for (size_t i = 0; i < ARRAY_SIZE(fs_magic); i++)
		if (!strcmp(sb->fstype, fs_magic[i].fstype))
			sf->f_type = fs_magic[i].magic;
	sf->f_fsid.__val[0] = (int)major(sb->dev);
	sf->f_fsid.__val[1] = (int)minor(sb->dev);
	if (f->path.mnt) {
		unsigned mf = f->path.mnt->flags;

		sf->f_flags |= ST_RELATIME | ((mf & MNT_RDONLY) || (sb->flags & SB_RDONLY) ?
					       ST_RDONLY : 0);
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
		sf->f_files = STATFS_MEM_BLOCKS;
		sf->f_ffree = STATFS_MEM_BLOCKS - MIN(STATFS_MEM_BLOCKS, sb->next_ino & 0xffffff);
	}
	return 0;
}
