/*
 * hostfs: the host files of a gofer mount. Dentries are looked up lazily with gofer_lstat
 * and cached (negative ones too on read-only mounts and overlays: nothing changes them
 * during the run); symlink targets come from gofer_readlink; an open file keeps the host
 * fd gofer_open returned, and read/pread/lseek/getdents64 go straight to that fd.
 * Three kinds of mount: read-only; an overlay (fs/overlay.c takes over every change, the
 * host is never written); writable, where changes go to the host through the gofer
 * (fs/hostfs_rw.c).
 */
#include <dirent.h>
#include <fcntl.h>
#include <string.h>

#include "fs/gofer.h"
#include "fs/internal.h"
#include "sentry/sentry.h"

struct hostfs_node {
	char *target;             /* cached symlink target */
	int fd;                   /* regular files: a host fd from the gofer, +1 (0 = none) */
	struct ovl_dirlist *list; /* overlay directories: the host listing, once read */
	char *rel;                /* overlay: the object's host path, fixed when it was looked
				   * up (a renamed directory keeps reading its old place) */
};

/* Regular files opened so far keep one host fd each, so a second open is a local dup
 * instead of a gofer round trip (files read with pread: sharing the host offset is fine). */
#define HOSTFS_FD_CACHE_MAX 2048
static int cached_fds;

static const struct inode_ops hostfs_iops;

static void
hostfs_free_priv(struct inode *i)
{
	struct hostfs_node *n = i->priv;

	if (n) {
		if (n->fd > 0) {
			close(n->fd - 1);
			cached_fds--;
		}
		free(n->target);
		free(n->rel);
		ovl_dirlist_free(n->list);
		free(n);
		i->priv = NULL;
	}
}

struct inode *
hostfs_inode(struct super_block *sb, const struct stat *st)
{
	struct inode *i = inode_new(sb, st->st_mode, st->st_uid, st->st_gid);

	i->ino = st->st_ino;
	i->nlink = st->st_nlink;
	i->size = st->st_size;
	i->blocks = st->st_blocks;
	i->rdev = st->st_rdev;
	i->dev = vfs_host_dev(sb, st->st_dev);
	i->atime = st->st_atim;
	i->mtime = st->st_mtim;
	i->ctime = st->st_ctim;
	i->has_btime = gofer_st_btime(st, &i->btime);
	i->iops = &hostfs_iops;
	i->fops = S_ISDIR(st->st_mode) ? &hostfs_dir_fops : &hostfs_file_fops;
	i->priv = xcalloc(1, sizeof(struct hostfs_node));
	i->free_priv = hostfs_free_priv;
	if (sb->flags & SB_OVERLAY)
		ovl_init_lower(i);
	else if (!(sb->flags & SB_RDONLY))
		hostfs_rw_init(i);
	return i;
}

/* The hostfs data of i, or NULL when i is not (or no longer) a hostfs inode. */
static struct hostfs_node *
hnode(struct inode *i)
{
	return i && i->free_priv == hostfs_free_priv ? i->priv : NULL;
}

/* Mount-relative path of d ("" for the root), optionally with a child name: the path the
 * overlay fixed for the object, else the dentry's own path. A removed object of a --rw
 * mount has no path (ENOENT): its old name is gone from the host or names another file
 * (a removed overlay object's host file is still there, at its fixed path). */
int
hostfs_rel_path(struct dentry *d, const char *child, char *buf, size_t n)
{
	struct hostfs_node *hn = hnode(d->inode);
	size_t pos = n - 1, len;

	if (hn && hn->rel) {
		int r = snprintf(buf, n, "%s%s%s", hn->rel, hn->rel[0] && child ? "/" : "",
				 child ? child : "");

		return r < 0 || (size_t)r >= n ? -ENAMETOOLONG : 0;
	}

	buf[pos] = '\0';
	if (child) {
		len = strlen(child);
		if (len + 1 > pos)
			return -ENAMETOOLONG;
		pos -= len;
		memcpy(buf + pos, child, len);
	}
	for (; d && d != d->sb->root && d->parent; d = d->parent) {
		if (d->deleted && !(d->sb->flags & SB_OVERLAY))
			return -ENOENT;
		len = strlen(d->name);
		if (len + 2 > pos)
			return -ENAMETOOLONG;
		if (buf[pos])
			buf[--pos] = '/';
		pos -= len;
		memcpy(buf + pos, d->name, len);
	}
	memmove(buf, buf + pos, n - pos);
	return 0;
}

int
hostfs_new_sb(const struct vfs_mount_spec *spec, struct super_block **out)
{
	struct super_block *sb;
	struct stat st;
	int err;

	err = gofer_lstat(spec->gofer_mount, "", &st);
	if (err)
		return err;
	/* a directory; or one file (a file mount), not as the overlay's root */
	if (!S_ISDIR(st.st_mode) && (spec->overlay || !S_ISREG(st.st_mode)))
		return -ENOTDIR;
	if (spec->overlay) {
		sb = sb_new("overlay", "overlay", SB_OVERLAY);
		/* objects created in memory must not share a number with a host file */
		sb->next_ino = (ino_t)1 << 56;
	} else
		sb = sb_new("hostfs", spec->host_path, spec->readonly ? SB_RDONLY : 0);
	sb->gofer_mount = spec->gofer_mount;
	sb->host_dev = st.st_dev;
	sb->root = d_alloc(NULL, "/");
	sb->root->sb = sb;
	sb->root->inode = hostfs_inode(sb, &st);
	if (spec->overlay)
		hnode(sb->root->inode)->rel = xstrdup("");
	*out = sb;
	return 0;
}

/* The inode for host object st found at rel: on the overlay another host name of an
 * object already seen gives the same inode (overlay.c), and a new one remembers rel.
 * *fresh: whether it is new. */
static struct inode *
host_inode_at(struct super_block *sb, const struct stat *st, const char *rel, bool *fresh)
{
	struct inode *i;

	*fresh = true;
	if (!(sb->flags & SB_OVERLAY))
		return hostfs_inode(sb, st);
	i = ovl_find_alias(sb, st);
	if (i) {
		*fresh = false;
		return i;
	}
	i = hostfs_inode(sb, st);
	hnode(i)->rel = xstrdup(rel);
	ovl_add_alias(i, st);
	return i;
}

int
hostfs_lookup(struct dentry *dir, const char *name, struct inode **out)
{
	char rel[GOFER_PATH_MAX];
	struct stat st;
	int err;

	err = hostfs_rel_path(dir, name, rel, sizeof(rel));
	if (err)
		return err;
	err = gofer_lstat(dir->sb->gofer_mount, rel, &st);
	if (err)
		return err;
	bool fresh;
	*out = host_inode_at(dir->sb, &st, rel, &fresh);
	return 0;
}

/* lookup_walk: name and the plain components after it in rest (no "." or "..") with one
 * gofer WALK. */
int
hostfs_lookup_walk(struct dentry *dir, const char *name, const char *rest,
		   struct walk_ent *out, int n)
{
	char rel[GOFER_PATH_MAX], target[PATH_MAX];
	size_t ends[GOFER_WALK_MAX];   /* where each component's prefix of rel ends */
	int errs[GOFER_WALK_MAX], first = 0, k = 1, got, i, err;
	struct stat st[GOFER_WALK_MAX];

	n = MIN(n, GOFER_WALK_MAX);
	if (n < 1 || strlen(name) > NAME_MAX)
		return -ENAMETOOLONG;
	err = hostfs_rel_path(dir, name, rel, sizeof(rel));
	if (err)
		return err;
	for (const char *p = rel; *p; p++)
		first += *p == '/';
	snprintf(out[0].name, sizeof(out[0].name), "%s", name);
	out[0].ino = NULL;
	ends[0] = strlen(rel);
	for (const char *p = rest; k < n; k++) {
		while (*p == '/')
			p++;
		size_t len = strcspn(p, "/");
		if (!len || len > NAME_MAX || (p[0] == '.' && (len == 1 || (len == 2 && p[1] == '.'))) ||
		    ends[k - 1] + 1 + len >= sizeof(rel))
			break;
		rel[ends[k - 1]] = '/';
		memcpy(rel + ends[k - 1] + 1, p, len);
		ends[k] = ends[k - 1] + 1 + len;
		rel[ends[k]] = '\0';
		memcpy(out[k].name, p, len);
		out[k].name[len] = '\0';
		out[k].ino = NULL;
		p += len;
	}
	if (k == 1) {
		err = hostfs_lookup(dir, name, &out[0].ino);
		return err && err != -ENOENT ? err : 1;
	}
	got = gofer_walk(dir->sb->gofer_mount, rel, first, k, errs, st, target, sizeof(target));
	if (got < 0)
		return got;
	for (i = 0; i < got; i++) {
		if (errs[i] == -ENOENT)
			return i + 1; /* out[i] stays negative */
		if (errs[i])
			break;    /* name's own error below; a later one is looked up again */
		char c = rel[ends[i]];
		bool fresh;
		rel[ends[i]] = '\0';
		out[i].ino = host_inode_at(dir->sb, &st[i], rel, &fresh);
		rel[ends[i]] = c;
		if (fresh && S_ISLNK(st[i].st_mode) && target[0])
			hnode(out[i].ino)->target = xstrdup(target);
	}
	return i ? i : errs[0];
}

/* lookup_open: a regular file is opened with its lookup (one gofer OPEN instead of an
 * LSTAT and then an OPEN); its inode keeps the fd as hostfs_open_fd would. Anything else
 * (a directory, a symlink, a device, a file the host will not open) is looked up plainly. */
int
hostfs_lookup_open(struct dentry *dir, const char *name, struct inode **out)
{
	char rel[GOFER_PATH_MAX];
	struct stat st;
	int fd, err;

	if (cached_fds >= HOSTFS_FD_CACHE_MAX)
		return hostfs_lookup(dir, name, out);
	err = hostfs_rel_path(dir, name, rel, sizeof(rel));
	if (err)
		return err;
	fd = gofer_open(dir->sb->gofer_mount, rel, O_RDONLY | O_CLOEXEC | O_NOFOLLOW, 0, &st);
	if (fd == -ENOENT)
		return fd;
	if (fd >= 0 && !S_ISREG(st.st_mode)) {
		close(fd);
		fd = -EISDIR;
	}
	if (fd < 0)
		return hostfs_lookup(dir, name, out);
	bool fresh;
	*out = host_inode_at(dir->sb, &st, rel, &fresh);
	if (!fresh) {
		close(fd); /* another name's inode, which has its own way to the data */
		return 0;
	}
	hnode(*out)->fd = fd + 1;
	cached_fds++;
	return 0;
}

int
hostfs_readlink(struct task *t, struct dentry *d, char **out)
{
	struct hostfs_node *n = d->inode->priv;
	char rel[GOFER_PATH_MAX];
	_cleanup_free_ char *buf = NULL;
	int len;

	if (!n->target) {
		len = hostfs_rel_path(d, NULL, rel, sizeof(rel));
		if (len < 0)
			return len;
		buf = xmalloc(PATH_MAX);
		len = gofer_readlink(d->sb->gofer_mount, rel, buf, PATH_MAX - 1);
		if (len < 0)
			return len;
		buf[len] = '\0';
		n->target = steal_ptr(&buf);
	}
	*out = xstrdup(n->target);
	return 0;
}

struct ovl_dirlist **
hostfs_dirlist(struct inode *i)
{
	struct hostfs_node *n = i->priv;

	return &n->list;
}

int
hostfs_open_fd(struct dentry *d)
{
	struct inode *i = d->inode;
	struct hostfs_node *n = i->priv;
	char rel[GOFER_PATH_MAX];
	struct stat st;
	int fd, err, flags = O_RDONLY | O_CLOEXEC | O_NOFOLLOW;

	if (S_ISDIR(i->mode))
		flags |= O_DIRECTORY;
	else if (!S_ISREG(i->mode))
		return -EACCES; /* host device nodes are not reachable */
	if (S_ISREG(i->mode) && n && n->fd > 0) {
		fd = fcntl(n->fd - 1, F_DUPFD_CLOEXEC, 0);
		if (fd >= 0)
			return fd;
	}
	err = hostfs_rel_path(d, NULL, rel, sizeof(rel));
	if (err)
		return err;
	fd = gofer_open(i->sb->gofer_mount, rel, flags, 0, &st);
	if (fd < 0)
		return fd;
	if (S_ISREG(i->mode) && n && cached_fds < HOSTFS_FD_CACHE_MAX) {
		int keep = fcntl(fd, F_DUPFD_CLOEXEC, 0);
		if (keep >= 0) {
			n->fd = keep + 1;
			cached_fds++;
		}
	}
	return fd;
}

int
hostfs_open(struct task *t, struct file *f)
{
	int fd;

	/* a host FIFO is a pipe inside the sandbox (as a tmpfs one): its readers and writers
	 * meet in the sentry; host processes opening it are not connected to them */
	if (S_ISFIFO(f->inode->mode))
		return fifo_open(t, f);
	if ((f->flags & O_ACCMODE) != O_RDONLY &&
	    (S_ISREG(f->inode->mode) || S_ISDIR(f->inode->mode)))
		return -EROFS;
	fd = hostfs_open_fd(f->path.d);
	if (fd < 0)
		return fd;
	f->host_fd = fd;
	return 0;
}

static const struct inode_ops hostfs_iops = {
	.lookup = hostfs_lookup,
	.lookup_walk = hostfs_lookup_walk,
	.lookup_open = hostfs_lookup_open,
	.readlink = hostfs_readlink,
	.open = hostfs_open,
};

ssize_t
hostfs_pread(struct file *f, void *buf, size_t n, off_t off)
{
	ssize_t r;

	do
		r = pread(f->host_fd, buf, n, off);
	while (r < 0 && errno == EINTR);
	return r < 0 ? -errno : r;
}

ssize_t
hostfs_read(struct file *f, void *buf, size_t n, off_t *pos)
{
	ssize_t r = hostfs_pread(f, buf, n, *pos);

	if (r > 0)
		*pos += r;
	return r;
}

/* f->pos is the position; the host fd's own offset is only used for directories. */
off_t
hostfs_llseek(struct file *f, off_t off, int whence)
{
	off_t r;

	if (whence == SEEK_CUR) {
		if ((off > 0 && f->pos > INT64_MAX - off) || f->pos + off < 0)
			return -EINVAL;
		off += f->pos;
		whence = SEEK_SET;
	}
	r = lseek(f->host_fd, off, whence);
	if (r < 0)
		return -errno;
	f->pos = r;
	return r;
}

/* Directories use the host fd's offset: getdents64 cookies are the host's. */
static off_t
hostfs_dir_llseek(struct file *f, off_t off, int whence)
{
	off_t r = lseek(f->host_fd, off, whence);

	if (r < 0)
		return -errno;
	f->pos = r;
	return r;
}

static ssize_t
hostfs_getdents64(struct file *f, void *buf, size_t n)
{
	ssize_t r = getdents64(f->host_fd, buf, n);

	return r < 0 ? -errno : r;
}

const struct file_ops hostfs_file_fops = {
	.read = hostfs_read,
	.pread = hostfs_pread,
	.llseek = hostfs_llseek,
	.pread_ok = true,
};

const struct file_ops hostfs_dir_fops = {
	.llseek = hostfs_dir_llseek,
	.getdents64 = hostfs_getdents64,
	.pread_ok = true,
};
