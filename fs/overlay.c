/*
 * The overlay: host files (hostfs, through the gofer) below, a writable in-memory layer
 * (tmpfs objects) on top, as Linux overlayfs with a tmpfs upper directory. The host is
 * never written.
 *
 * - Host ("lower") objects are hostfs inodes with the operations below (inode->ovl has
 *   OVL_I_LOWER). Host directories stay merged directories for the whole run: new names
 *   in them are tmpfs objects in the dentry cache, looked up before the host.
 * - Copy-up happens in place: the inode keeps its number, owner, mode and times and
 *   becomes a tmpfs object with the host contents (open for writing, truncate, chmod,
 *   chown, utimensat, link, rename). Files opened read-only before keep reading the host
 *   file, as on Linux. Only the host's data ranges are copied, in bounded chunks, all or
 *   nothing (ENOSPC past --memory). Host hard links share one inode (overlayfs's index).
 * - Removing a name that exists on the host (dentry->lower) leaves a whiteout: a hashed
 *   negative dentry, so the name is never looked up on the host again (fs/vfs_ops.c).
 * - Directories created in memory are opaque: they have no lookup and list only the
 *   dentry cache. A renamed host directory keeps reading its host contents from where it
 *   was (every host object remembers its host path: overlayfs's redirect_dir), and its old
 *   name is whited out.
 * - getdents64 of a host directory lists its host entries (read once per directory and
 *   cached), minus whiteouts, with replaced names showing their new object, then the
 *   names that exist only in memory. Offsets: 1 ".", 2 "..", 3 + index for host
 *   entries, OVL_MEM_POS + dentry cookie for memory ones; so entries added or removed
 *   meanwhile never make others repeat or vanish.
 */
#include <dirent.h>
#include <string.h>

#include "fs/gofer.h"
#include "fs/internal.h"
#include "sentry/sentry.h"

#define OVL_MEM_POS ((off_t)1 << 40)
#define OVL_COPY_CHUNK (128 * 1024)

struct ovl_dirent {
	char *name;
	ino_t ino;
	unsigned char type;
	UT_hash_handle hh;
};

struct ovl_dirlist {
	struct ovl_dirent *ents;  /* in host order */
	size_t n;
	struct ovl_dirent *byname;
};

static const struct inode_ops ovl_dir_iops;
static const struct inode_ops ovl_udir_iops;
static const struct inode_ops ovl_lower_iops;
static const struct file_ops ovl_dir_fops;

static bool
is_lower(struct inode *i)
{
	return i && (i->ovl & OVL_I_LOWER);
}

static bool
is_lower_dir(struct inode *i)
{
	return is_lower(i) && S_ISDIR(i->mode);
}

void
ovl_init_lower(struct inode *i)
{
	i->ovl = OVL_I_LOWER;
	if (S_ISDIR(i->mode)) {
		i->iops = &ovl_dir_iops;
		i->fops = &ovl_dir_fops;
	} else {
		i->iops = &ovl_lower_iops;
	}
}

/* ---- the host listing of a directory ---- */

void
ovl_dirlist_free(struct ovl_dirlist *l)
{
	if (!l)
		return;
	HASH_CLEAR(hh, l->byname);
	for (size_t i = 0; i < l->n; i++)
		free(l->ents[i].name);
	free(l->ents);
	free(l);
}

static int
read_listing(int fd, struct ovl_dirlist *l)
{
	_cleanup_free_ char *buf = xmalloc(32768);
	size_t cap = 0;

	if (lseek(fd, 0, SEEK_SET) < 0)
		return -errno;
	for (;;) {
		ssize_t r = getdents64(fd, buf, 32768);

		if (r < 0)
			return -errno;
		if (r == 0)
			return 0;
		for (ssize_t off = 0; off < r;) {
			struct dirent64 *de = (struct dirent64 *)(buf + off);

			off += de->d_reclen;
			if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
				continue;
			if (l->n == cap) {
				cap = cap ? cap * 2 : 64;
				l->ents = realloc(l->ents, cap * sizeof(*l->ents));
				if (!l->ents)
					sentry_fatal("out of memory");
			}
			l->ents[l->n] = (struct ovl_dirent){
				.name = xstrdup(de->d_name),
				.ino = de->d_ino,
				.type = de->d_type,
			};
			l->n++;
		}
	}
}

/* The host listing of lower directory d, read on first use (fd: an open host fd of it,
 * or -1 to ask the gofer). */
static int
get_listing(struct dentry *d, int fd, struct ovl_dirlist **out)
{
	struct ovl_dirlist **slot = hostfs_dirlist(d->inode), *l;
	int own = -1, err;

	if (*slot) {
		*out = *slot;
		return 0;
	}
	if (fd < 0) {
		own = hostfs_open_fd(d);
		if (own < 0)
			return own;
		fd = own;
	}
	l = xcalloc(1, sizeof(*l));
	err = read_listing(fd, l);
	if (own >= 0)
		close(own);
	if (err) {
		ovl_dirlist_free(l);
		return err;
	}
	/* the array no longer moves: index it by name */
	for (size_t i = 0; i < l->n; i++)
		HASH_ADD_KEYPTR(hh, l->byname, l->ents[i].name, strlen(l->ents[i].name),
				&l->ents[i]);
	*slot = l;
	*out = l;
	return 0;
}

static struct dentry *
cached_child(struct dentry *dir, const char *name)
{
	struct dentry *c = NULL;

	HASH_FIND_STR(dir->children, name, c);
	return c;
}

/* 0 when every host entry of lower directory d is whited out, else -ENOTEMPTY. */
static int
lower_empty(struct dentry *d)
{
	struct ovl_dirlist *l;
	int err = get_listing(d, -1, &l);

	if (err)
		return err;
	for (size_t i = 0; i < l->n; i++) {
		struct dentry *c = cached_child(d, l->ents[i].name);

		if (!c || c->inode)
			return -ENOTEMPTY;
	}
	return 0;
}

static ssize_t
ovl_getdents64(struct file *f, void *buf, size_t n)
{
	struct dentry *d = f->path.d, *c, *tmp;
	struct ovl_dirlist *l;
	size_t used = 0;
	int err;

	if (d->deleted)
		return 0;
	err = get_listing(d, f->host_fd, &l);
	if (err)
		return err;
	ssize_t r = dcache_emit_dots(f, buf, n, &used);
	if (r <= 0)
		return r ? r : (ssize_t)used;
	for (off_t k = f->pos - 2; f->pos < OVL_MEM_POS && k < (off_t)l->n; k++) {
		struct ovl_dirent *e = &l->ents[k];
		ino_t ino = e->ino;
		unsigned char type = e->type;

		c = cached_child(d, e->name);
		if (c && !c->inode) { /* whited out */
			f->pos = k + 3;
			continue;
		}
		if (c) {
			ino = c->inode->ino;
			type = vfs_dtype(c->inode->mode);
		}
		if (vfs_emit_dirent(buf, n, &used, ino, k + 3, type, e->name))
			return used ? (ssize_t)used : -EINVAL;
		f->pos = k + 3;
	}
	HASH_ITER(hh, d->children, c, tmp) {
		struct ovl_dirent *e = NULL;
		off_t off = OVL_MEM_POS + (off_t)c->cookie;

		if (!c->inode || off <= f->pos)
			continue;
		HASH_FIND_STR(l->byname, c->name, e);
		if (e)
			continue; /* listed with the host entries */
		if (vfs_emit_dirent(buf, n, &used, c->inode->ino, off, vfs_dtype(c->inode->mode),
				    c->name))
			return used ? (ssize_t)used : -EINVAL;
		f->pos = off;
	}
	return used;
}

static off_t
ovl_dir_llseek(struct file *f, off_t off, int whence)
{
	if (whence == SEEK_END)
		return -EINVAL;
	return generic_llseek(f, off, whence, 0);
}

static const struct file_ops ovl_dir_fops = {
	.llseek = ovl_dir_llseek,
	.getdents64 = ovl_getdents64,
	.pread_ok = true,
};

/* ---- host hard links ----
 *
 * Every host name of one host object (a non-directory whose host link count is above
 * one) gets the same inode: the table below, keyed by the super block and the host's
 * (st_dev, st_ino), is what hostfs_lookup consults before making a new inode, as Linux
 * overlayfs finds the copy of another name through its index. So a copy-up through one
 * name is the copy-up of all of them, writes and attribute changes show through every
 * name, and st_nlink counts the names left (a whiteout drops one, link adds one).
 * The table holds a reference until the last name is gone: a name not looked up yet
 * still finds the object as the sandbox changed it, not the host's.
 */
struct ovl_alias_key {
	struct super_block *sb;
	dev_t dev;
	ino_t ino;
};

struct ovl_alias {
	struct ovl_alias_key key;
	struct inode *i;          /* a reference */
	UT_hash_handle hh;        /* by key */
	UT_hash_handle hh_i;      /* by inode */
};

static struct ovl_alias *aliases, *aliases_by_inode;

static struct ovl_alias_key
alias_key(struct super_block *sb, const struct stat *st)
{
	struct ovl_alias_key k;

	memset(&k, 0, sizeof(k));
	k.sb = sb;
	k.dev = st->st_dev;
	k.ino = st->st_ino;
	return k;
}

static bool
has_aliases(const struct stat *st)
{
	return st->st_nlink > 1 && !S_ISDIR(st->st_mode);
}

struct inode *
ovl_find_alias(struct super_block *sb, const struct stat *st)
{
	struct ovl_alias_key k;
	struct ovl_alias *a = NULL;

	if (!has_aliases(st))
		return NULL;
	k = alias_key(sb, st);
	HASH_FIND(hh, aliases, &k, sizeof(k), a);
	return a ? iget(a->i) : NULL;
}

void
ovl_add_alias(struct inode *i, const struct stat *st)
{
	struct ovl_alias *a;

	if (!has_aliases(st))
		return;
	a = xcalloc(1, sizeof(*a));
	a->key = alias_key(i->sb, st);
	a->i = iget(i);
	HASH_ADD(hh, aliases, key, sizeof(a->key), a);
	HASH_ADD(hh_i, aliases_by_inode, i, sizeof(a->i), a);
}

/* A name of i went away: once none is left, no lookup can reach it, and the table lets
 * it go. */
static void
alias_name_gone(struct inode *i)
{
	struct ovl_alias *a = NULL;

	if (!i || i->nlink > 0 || S_ISDIR(i->mode))
		return;
	HASH_FIND(hh_i, aliases_by_inode, &i, sizeof(i), a);
	if (!a)
		return;
	HASH_DELETE(hh, aliases, a);
	HASH_DELETE(hh_i, aliases_by_inode, a);
	iput(a->i);
	free(a);
}

/* ---- copy-up ---- */

static bool
zero_page(const char *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (p[i])
			return false;
	return true;
}

struct copy {
	int fd;                   /* the host file */
	struct inode *to;         /* the new tmpfs object */
	char *buf;                /* OVL_COPY_CHUNK bytes */
	off_t end;                /* where the host file ended when the copy began */
};

/* Copies one data range of the host file in OVL_COPY_CHUNK pieces; pages of zeros stay
 * holes, so only what holds data is charged against --memory and the size limit. */
static int
copy_extent(off_t off, off_t len, void *arg)
{
	struct copy *c = arg;
	off_t end = MIN(off + len, c->end);

	while (off < end) {
		size_t want = (size_t)MIN((off_t)OVL_COPY_CHUNK, end - off);
		ssize_t r = pread(c->fd, c->buf, want, off);

		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0)
			return -errno;
		if (r == 0)
			return 0; /* shrunk meanwhile: the rest reads as zeros */
		for (ssize_t done = 0; done < r;) {
			size_t chunk = MIN((size_t)(r - done), PAGE_SIZE - (off + done) % PAGE_SIZE);

			if (!zero_page(c->buf + done, chunk)) {
				ssize_t w = tmpfs_write_at(c->to, c->buf + done, chunk, off + done);

				if (w < 0)
					return (int)w;
			}
			done += chunk;
		}
		off += r;
	}
	return 0;
}

/* Copies at most limit bytes of d's host file into tmpfs inode to: only the host's data
 * ranges (SEEK_DATA / SEEK_HOLE), so a huge sparse file costs what it holds. */
static int
copy_data(struct dentry *d, struct inode *to, off_t limit)
{
	_cleanup_free_ char *buf = NULL;
	_cleanup_close_ int fd = -1;
	struct stat st;
	struct copy c;
	int err;

	if (limit == 0)
		return 0;
	fd = hostfs_open_fd(d);
	if (fd < 0)
		return fd;
	if (fstat(fd, &st) < 0)
		return -errno;
	buf = xmalloc(OVL_COPY_CHUNK);
	c = (struct copy){ .fd = fd, .to = to, .buf = buf, .end = MIN(st.st_size, limit) };
	err = vfs_fd_extents(fd, c.end, copy_extent, &c);
	if (err)
		return err;
	to->size = c.end; /* holes, a zero tail, read back as zeros */
	return 0;
}

/*
 * Copies d's host object into memory, in place: the inode keeps its number, owner, mode,
 * times (but the birth time: the copy's, as an upper file's), link count and open files,
 * and every other host name of it (they share the inode, see "host hard links") sees the
 * copy. All or nothing: a copy that does not fit (--memory, the size limit: ENOSPC as on a
 * full upper layer) leaves the host object as it was and gives back what it took.
 */
int
ovl_copy_up(struct dentry *d, const struct iattr *ia)
{
	struct inode *i = d->inode, *up;
	_cleanup_free_ char *target = NULL;
	int err = 0;

	if (!is_lower(i) || S_ISDIR(i->mode))
		return 0;
	if (S_ISCHR(i->mode) || S_ISBLK(i->mode))
		return -EPERM; /* no device nodes in memory */
	up = inode_new(i->sb, i->mode, i->uid, i->gid);
	tmpfs_init_inode(up);
	if (S_ISREG(i->mode)) {
		off_t limit = (ia && (ia->valid & ATTR_SIZE)) ? MIN(ia->size, i->size) : INT64_MAX;

		err = copy_data(d, up, limit);
	} else if (S_ISLNK(i->mode)) {
		err = hostfs_readlink(NULL, d, &target);
		if (!err)
			err = tmpfs_set_link(up, target);
	}
	if (err) {
		iput(up); /* frees its pages and their charge */
		return err;
	}
	/* the inode stays (number, owner, mode, times, links, open files): only its data moves */
	if (i->free_priv)
		i->free_priv(i);
	i->priv = steal_ptr(&up->priv);
	i->free_priv = up->free_priv;
	i->iops = up->iops;
	i->fops = up->fops;
	i->size = up->size;
	i->blocks = up->blocks;
	i->btime = up->mtime; /* Linux: the upper file's, made now */
	i->has_btime = false;
	up->free_priv = NULL;
	iput(up);
	i->ovl = OVL_I_COPIED;
	i->ovl_ctime = i->ctime;
	return 0;
}

/* ---- host files, symlinks and special files ---- */

static int
ovl_lower_open(struct task *t, struct file *f)
{
	struct inode *i = f->inode;
	int err;

	if ((f->flags & O_ACCMODE) == O_RDONLY)
		return hostfs_open(t, f);
	err = ovl_copy_up(f->path.d, NULL);
	if (err)
		return err;
	f->fops = i->fops;
	return i->iops && i->iops->open ? i->iops->open(t, f) : 0;
}

static int
ovl_lower_setattr(struct dentry *d, const struct iattr *ia)
{
	int err = ovl_copy_up(d, ia);

	if (err)
		return err;
	return tmpfs_setattr(d, ia);
}

static const struct inode_ops ovl_lower_iops = {
	.readlink = hostfs_readlink,
	.setattr = ovl_lower_setattr,
	.open = ovl_lower_open,
};

/* ---- directories (host ones and those created in memory) ---- */

static int
ovl_create(struct dentry *dir, struct dentry *d, mode_t mode, dev_t rdev, uid_t uid, gid_t gid)
{
	int err = tmpfs_dir_iops.create(dir, d, mode, rdev, uid, gid);

	if (!err && S_ISDIR(mode))
		d->inode->iops = &ovl_udir_iops;
	return err;
}

static int
ovl_symlink(struct dentry *dir, struct dentry *d, const char *target, uid_t uid, gid_t gid)
{
	return tmpfs_dir_iops.symlink(dir, d, target, uid, gid);
}

/* O_TMPFILE: an unnamed object of the memory layer, as new files are */
static int
ovl_tmpfile(struct dentry *dir, struct dentry *d, mode_t mode, uid_t uid, gid_t gid)
{
	return tmpfs_dir_iops.tmpfile(dir, d, mode, uid, gid);
}

static int
ovl_link(struct dentry *old, struct dentry *dir, struct dentry *d)
{
	int err = ovl_copy_up(old, NULL);

	return err ? err : tmpfs_dir_iops.link(old, dir, d);
}

static int
ovl_unlink(struct dentry *dir, struct dentry *d)
{
	int err;

	if (is_lower_dir(d->inode)) {
		err = lower_empty(d);
		if (err)
			return err;
	}
	err = tmpfs_dir_iops.unlink(dir, d);
	if (!err)
		alias_name_gone(d->inode);
	return err;
}

static int
ovl_rename(struct dentry *odir, struct dentry *od, struct dentry *ndir, struct dentry *nd,
	   unsigned flags)
{
	bool exchange = flags & RENAME_EXCHANGE;
	int err = 0;

	if (!exchange && is_lower_dir(nd->inode))
		err = lower_empty(nd);
	if (!err)
		err = ovl_copy_up(od, NULL);
	if (!err && exchange)
		err = ovl_copy_up(nd, NULL);
	if (!err)
		err = tmpfs_dir_iops.rename(odir, od, ndir, nd, flags);
	if (err)
		return err;
	if (!exchange)
		alias_name_gone(nd->inode); /* replaced */
	/* host directories move as they are: they read their host path, not their name */
	if (is_lower_dir(od->inode))
		od->inode->ovl |= OVL_I_MOVED;
	if (exchange && is_lower_dir(nd->inode))
		nd->inode->ovl |= OVL_I_MOVED;
	return 0;
}

static int
ovl_dir_setattr(struct dentry *d, const struct iattr *ia)
{
	int err = tmpfs_setattr(d, ia);

	if (!err && is_lower(d->inode))
		d->inode->ovl |= OVL_I_ATTR;
	return err;
}

/* Host directories: looked up on the host, merged listing. */
static const struct inode_ops ovl_dir_iops = {
	.lookup = hostfs_lookup,
	.lookup_walk = hostfs_lookup_walk,
	.lookup_open = hostfs_lookup_open,
	.create = ovl_create,
	.symlink = ovl_symlink,
	.link = ovl_link,
	.unlink = ovl_unlink,
	.rename = ovl_rename,
	.setattr = ovl_dir_setattr,
	.open = hostfs_open,
	.tmpfile = ovl_tmpfile,
};

/* Directories created in memory: the dentry cache is the directory (tmpfs_dir_fops). */
static const struct inode_ops ovl_udir_iops = {
	.create = ovl_create,
	.symlink = ovl_symlink,
	.link = ovl_link,
	.unlink = ovl_unlink,
	.rename = ovl_rename,
	.setattr = tmpfs_setattr,
	.tmpfile = ovl_tmpfile,
};

/* ---- change export ---- */

void
ovl_mark_setup(struct dentry *dir)
{
	struct dentry *c, *tmp;

	HASH_ITER(hh, dir->children, c, tmp) {
		struct inode *i = c->inode;

		if (!i || c->mounted)
			continue;
		if (!is_lower(i)) {
			i->ovl |= OVL_I_SETUP;
			i->ovl_ctime = i->ctime;
		}
		if (S_ISDIR(i->mode))
			ovl_mark_setup(c);
	}
}

struct seen_inode {
	struct inode *i;
	char *path;
	UT_hash_handle hh;
};

struct walk {
	int (*fn)(const struct vfs_change *c, void *arg);
	void *arg;
	unsigned long skipped;
	struct seen_inode *seen;   /* files with more than one name, by inode */
	char path[PATH_MAX];
};

static bool
ts_equal(struct timespec a, struct timespec b)
{
	return a.tv_sec == b.tv_sec && a.tv_nsec == b.tv_nsec;
}

/* An object in memory that nothing changed since it got there (an untouched copy-up, a
 * directory the sandbox made for a mount point). */
static bool
unchanged(struct inode *i)
{
	return (i->ovl & (OVL_I_COPIED | OVL_I_SETUP)) && ts_equal(i->ctime, i->ovl_ctime);
}

static int
emit_deleted(struct walk *w, struct dentry *dir, struct dentry *c)
{
	struct vfs_change ch = { .path = w->path, .kind = VFS_CHANGE_DELETED };
	char rel[GOFER_PATH_MAX];
	struct stat st;

	if (hostfs_rel_path(dir, c->name, rel, sizeof(rel)) == 0 &&
	    gofer_lstat(c->sb->gofer_mount, rel, &st) == 0) {
		ch.mode = st.st_mode;
		ch.size = S_ISDIR(st.st_mode) ? 0 : st.st_size;
		ch.mtime = st.st_mtim;
	}
	return w->fn(&ch, w->arg);
}

/* c's object, new at this path (fresh: inside a moved host directory). */
static int
emit_object(struct walk *w, struct dentry *c, bool fresh)
{
	struct inode *i = c->inode;
	_cleanup_free_ char *host_target = NULL;
	bool moved = is_lower_dir(i) && (i->ovl & OVL_I_MOVED);
	struct vfs_change ch = {
		.path = w->path,
		.kind = c->lower && !fresh ? VFS_CHANGE_MODIFIED : VFS_CHANGE_CREATED,
		.mode = i->mode,
		.size = S_ISDIR(i->mode) ? 0 : i->size,
		.mtime = i->mtime,
		.target = is_lower(i) ? NULL : tmpfs_link_target(i), /* a host one: below */
		.opaque = c->lower && !fresh && S_ISDIR(i->mode) && (!is_lower(i) || moved),
		.obj = c,
	};
	struct seen_inode *s = NULL;

	if (is_lower(i) && S_ISLNK(i->mode) && hostfs_readlink(NULL, c, &host_target) == 0)
		ch.target = host_target;
	if (S_ISREG(i->mode) && i->nlink > 1 && !is_lower(i)) {
		HASH_FIND_PTR(w->seen, &i, s);
		if (s) {
			ch.link = s->path;
		} else {
			s = xcalloc(1, sizeof(*s));
			s->i = i;
			s->path = xstrdup(w->path);
			HASH_ADD_PTR(w->seen, i, s);
		}
	}
	return w->fn(&ch, w->arg);
}

/* Brings every host entry of lower directory dir into the dentry cache (a moved
 * directory's contents are all reported). */
static int
instantiate(struct dentry *dir)
{
	struct ovl_dirlist *l;
	int err = get_listing(dir, -1, &l);

	if (err)
		return err;
	for (size_t k = 0; k < l->n; k++) {
		struct inode *ino = NULL;
		struct dentry *c;

		if (cached_child(dir, l->ents[k].name))
			continue;
		if (hostfs_lookup(dir, l->ents[k].name, &ino))
			continue; /* gone from the host meanwhile */
		c = d_alloc(dir, l->ents[k].name);
		c->inode = ino;
		c->lower = true;
		d_hash(c);
		dput(c);
	}
	return 0;
}

static int walk_dir(struct walk *w, struct dentry *dir, size_t len, bool fresh);

/* One name of dir (w->path is its path, len long). */
static int
walk_child(struct walk *w, struct dentry *dir, struct dentry *c, size_t len, bool fresh)
{
	struct inode *i = c->inode;
	bool moved = is_lower_dir(i) && (i->ovl & OVL_I_MOVED);
	int err = 0;

	if (!i)
		return fresh ? 0 : emit_deleted(w, dir, c);
	if (fresh || moved)
		err = emit_object(w, c, fresh);
	else if (is_lower_dir(i) && (i->ovl & OVL_I_ATTR))
		err = w->fn(&(struct vfs_change){ .path = w->path, .kind = VFS_CHANGE_MODIFIED,
						  .mode = i->mode, .mtime = i->mtime },
			    w->arg);
	else if (!is_lower(i) && !unchanged(i))
		err = emit_object(w, c, false);
	if (!err && S_ISDIR(i->mode))
		err = walk_dir(w, c, len, fresh || moved);
	return err;
}

static int
walk_dir(struct walk *w, struct dentry *dir, size_t len, bool fresh)
{
	struct dentry *c, *tmp;
	int err = 0;

	if (fresh && is_lower_dir(dir->inode))
		instantiate(dir);
	HASH_ITER(hh, dir->children, c, tmp) {
		size_t nlen = strlen(c->name);

		if (c->mounted || (!c->inode && !c->lower))
			continue;
		if (len + 1 + nlen >= sizeof(w->path)) {
			w->skipped++;
			continue;
		}
		w->path[len] = '/';
		memcpy(w->path + len + 1, c->name, nlen + 1);
		err = walk_child(w, dir, c, len + 1 + nlen, fresh);
		w->path[len] = '\0';
		if (err)
			return err;
	}
	return 0;
}

int
vfs_changes(int (*fn)(const struct vfs_change *c, void *arg), void *arg,
	    unsigned long *skipped)
{
	struct walk w = { .fn = fn, .arg = arg };
	struct seen_inode *s, *tmp;
	struct mount *m;
	int err = 0;

	for (m = vfs_mounts; m && !err; m = m->next) {
		struct path none = { 0 }, p = { m, m->root };
		int len;

		if (!(m->sb->flags & SB_OVERLAY) || m->root != m->sb->root)
			continue;
		len = vfs_path_string(p, none, w.path, sizeof(w.path));
		if (len < 0)
			continue;
		if (len == 1)
			len = 0; /* "/": children are "/name" */
		w.path[len] = '\0';
		err = walk_dir(&w, m->root, len, false);
	}
	HASH_ITER(hh, w.seen, s, tmp) {
		HASH_DEL(w.seen, s);
		free(s->path);
		free(s);
	}
	if (skipped)
		*skipped = w.skipped;
	return err;
}

/* The host fd of the last lower file read for the export. */
static struct dentry *read_obj;
static int read_fd = -1;

ssize_t
vfs_change_read(const struct vfs_change *c, void *buf, size_t n, off_t off)
{
	struct dentry *d = c->obj;
	struct inode *i = d ? d->inode : NULL;
	ssize_t r;

	if (!i || !S_ISREG(i->mode))
		return -EINVAL;
	if (!is_lower(i))
		return tmpfs_is_file(i) ? tmpfs_read_at(i, buf, n, off) : -EINVAL;
	if (read_obj != d) {
		if (read_fd >= 0)
			close(read_fd);
		read_obj = d;
		read_fd = hostfs_open_fd(d);
	}
	if (read_fd < 0)
		return read_fd;
	do
		r = pread(read_fd, buf, n, off);
	while (r < 0 && errno == EINTR);
	return r < 0 ? -errno : r;
}

int
vfs_change_extents(const struct vfs_change *c, int (*fn)(off_t off, off_t len, void *arg),
		   void *arg)
{
	struct dentry *d = c->obj;
	struct inode *i = d ? d->inode : NULL;
	_cleanup_close_ int fd = -1;

	if (!i || !S_ISREG(i->mode))
		return -EINVAL;
	if (!is_lower(i))
		return tmpfs_is_file(i) ? tmpfs_extents(i, fn, arg) : -EINVAL;
	fd = hostfs_open_fd(d);
	if (fd < 0)
		return fd;
	return vfs_fd_extents(fd, i->size, fn, arg);
}
