/* The *at() family: open, stat, readlink, access, chdir/chroot/getcwd. */
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>

#include "fs/internal.h"
#include "sentry/ns.h"
#include "sentry/sentry.h"

#define O_LARGEFILE_KERNEL 0100000 /* what F_GETFL shows on x86-64 (glibc defines it as 0) */

static mode_t
ctx_umask(struct task *t)
{
	return t && t->fs ? t->fs->umask : 022;
}

static uint64_t
fnv(uint64_t h, const void *p, size_t n)
{
	const unsigned char *b = p;

	for (size_t i = 0; i < n; i++)
		h = (h ^ b[i]) * 0x100000001b3ULL;
	return h;
}

uint64_t
vfs_cred_token(struct task *t)
{
	uint64_t h = 0xcbf29ce484222325ULL;
	int ids[7] = { t->tgid, (int)t->uid, (int)t->euid, (int)t->suid, (int)t->gid,
		       (int)t->egid, (int)t->sgid };
	uint64_t caps[4] = { t->cap_eff, t->cap_prm, t->cap_inh, t->cap_bnd };

	h = fnv(h, ids, sizeof(ids));
	h = fnv(h, caps, sizeof(caps));
	h = fnv(h, &t->keepcaps, sizeof(t->keepcaps));
	if (t->groups && t->ngroups > 0)
		h = fnv(h, t->groups, t->ngroups * sizeof(gid_t));
	return h ? h : 1;
}

/* The umask for a new object in dir: none when dir has a default ACL (it decides). */
mode_t
vfs_create_umask(struct task *t, struct inode *dir)
{
	return dir && acl_has_default(dir) ? 0 : ctx_umask(t);
}

/* Owner of a new inode in dir: the caller, with the group of a setgid directory. */
void
vfs_new_owner(struct task *t, struct inode *dir, mode_t *mode, uid_t *uid, gid_t *gid)
{
	*uid = task_fsuid(t);
	*gid = task_fsgid(t);
	if (dir->mode & S_ISGID) {
		*gid = dir->gid;
		if (S_ISDIR(*mode))
			*mode |= S_ISGID;
		/* Linux mode_strip_sgid: an executable set-group-ID file there keeps the bit
		 * only for a member of the directory's group (or root) */
		else if ((*mode & (S_ISGID | S_IXGRP)) == (S_ISGID | S_IXGRP) &&
			 !task_capable_wrt_ids(t, dir->uid, dir->gid, CAP_FSETID) &&
			 !task_in_group(t, dir->gid))
			*mode &= ~S_ISGID;
	}
}

int
may_write_fs(struct path *p)
{
	return mnt_readonly(p) ? -EROFS : 0;
}

/*
 * Prepares the creation of the last component of path (Linux filename_create):
 * -EEXIST for an existing name or ".", "..", "/"; -ENOENT for a trailing slash when
 * not making a directory; then -EROFS and -EACCES. Gives the parent and a negative dentry.
 */
int
vfs_create_prepare(struct task *t, struct file *dirf, const char *path, bool want_dir,
		   struct path *parent, struct dentry **child)
{
	struct nameidata nd;
	struct last_comp last;
	struct dentry *d = NULL;
	int err;

	*parent = (struct path){ 0 };
	err = nd_start(&nd, t, dirf, path, parent);
	if (!err && !path[0])
		err = -ENOENT;
	if (!err)
		err = nd_walk_parent(&nd, parent, path, &last);
	if (!err && last.type != LAST_NORM)
		err = -EEXIST;
	if (!err)
		err = nd_lookup(&nd, parent, last.name, &d);
	if (err)
		goto out_put;
	if (d->inode)
		err = -EEXIST;
	else if (last.slash && !want_dir)
		err = -ENOENT;
	else if (parent->d->deleted)
		err = -ENOENT;
	else
		err = may_write_fs(parent);
	if (!err)
		err = inode_permission(t, parent->d->inode, MAY_WRITE | MAY_EXEC);
	if (err) {
		dput(d);
		goto out_put;
	}
	if (d->hashed) { /* a cached negative entry */
		d_unhash(d);
		d->sb->nneg--;
	}
	*child = d;
	return 0;
out_put:
	path_put(parent);
	return err;
}

/* Calls the filesystem's create op and hashes the new dentry. */
int
vfs_do_create(struct task *t, struct path *parent, struct dentry *d, mode_t mode, dev_t rdev)
{
	struct inode *dir = parent->d->inode;
	uid_t uid;
	gid_t gid;
	int err;

	struct acl_inherit ai;

	/* Landlock's make rights (Linux security_path_mknod / _mkdir) */
	err = landlock_check_path(t, parent, landlock_make_right(mode));
	if (err)
		return err;
	if (!dir->iops || !dir->iops->create)
		return (parent->d->sb->flags & SB_RDONLY) ? -EROFS : -EPERM;
	acl_inherit_prepare(dir, &mode, &ai);
	vfs_new_owner(t, dir, &mode, &uid, &gid);
	err = dir->iops->create(parent->d, d, mode, rdev, uid, gid);
	acl_inherit_apply(err ? NULL : d->inode, &ai);
	if (err)
		return err;
	d_hash(d);
	fsnotify_name(dir, d->name, IN_CREATE | (S_ISDIR(mode) ? IN_ISDIR : 0), 0);
	return 0;
}

/* ---- open ---- */

static int
open_mask(int flags)
{
	int mask;

	switch (flags & O_ACCMODE) {
	case O_RDONLY:
		mask = MAY_READ;
		break;
	case O_WRONLY:
		mask = MAY_WRITE;
		break;
	default:
		mask = MAY_READ | MAY_WRITE;
		break;
	}
	if (flags & O_TRUNC)
		mask |= MAY_WRITE;
	return mask;
}

static const struct file_ops path_fops; /* O_PATH: every operation fails with EBADF */

static int
open_final(struct task *t, struct path *p, int flags, bool created, struct file **out)
{
	struct inode *ino = p->d->inode;
	/* execve's open of a program needs execute permission, not read (do_open_execat) */
	int mask = t && t->exec_open && (flags & O_ACCMODE) == O_RDONLY ? MAY_EXEC
									 : open_mask(flags), err;
	struct file *f;

	if ((flags & O_DIRECTORY) && !S_ISDIR(ino->mode))
		return -ENOTDIR;
	if (!(flags & O_PATH)) {
		if (S_ISLNK(ino->mode))
			return -ELOOP;
		if (S_ISDIR(ino->mode) && (mask & MAY_WRITE))
			return -EISDIR;
		if ((S_ISCHR(ino->mode) || S_ISBLK(ino->mode)) && (p->mnt->flags & MNT_NODEV))
			return -EACCES;
		if ((mask & MAY_WRITE) && (S_ISREG(ino->mode) || S_ISDIR(ino->mode)) &&
		    mnt_readonly(p))
			return -EROFS;
		if (!created) {
			err = inode_permission(t, ino, mask);
			if (err)
				return err;
		}
		/* Linux may_open: an append-only file is written only in append mode */
		if (IS_APPEND(ino) && (((flags & O_ACCMODE) != O_RDONLY && !(flags & O_APPEND)) ||
				       (flags & O_TRUNC)))
			return -EPERM;
		/* Linux may_open: O_NOATIME only for the owner (or CAP_FOWNER) */
		if ((flags & O_NOATIME) && !task_capable_wrt_ids(t, ino->uid, -1, CAP_FOWNER) &&
		    task_fsuid(t) != ino->uid)
			return -EPERM;
		/* Linux do_dentry_open: O_DIRECT needs FMODE_CAN_ODIRECT, which no
		 * directory has */
		if ((flags & O_DIRECT) && S_ISDIR(ino->mode))
			return -EINVAL;
	}
	/* Linux get_write_access: a running program's file is not opened for writing */
	if (!(flags & O_PATH) && (mask & MAY_WRITE) && S_ISREG(ino->mode) && ino->deny_write > 0)
		return -ETXTBSY;
	/* Landlock's open check (Linux security_file_open), which also finds the rights the
	 * file keeps: O_TRUNC needs LL_FS_TRUNCATE among them */
	uint16_t ll_access = LL_FS_ALL;
	if (!(flags & O_PATH) && (err = landlock_open(t, p, flags, &ll_access)))
		return err;
	/* O_TRUNC before the open: an overlay then copies up no data (Linux truncates
	 * right after). Its inotify event waits until IN_OPEN has gone, as on Linux. */
	uint32_t trunc_event = 0;
	if (!(flags & O_PATH) && (flags & O_TRUNC) && S_ISREG(ino->mode) && !created) {
		if (!(ll_access & LL_FS_TRUNCATE))
			return -EACCES;
		unsigned long marks = inotify_nmarks;
		mode_t mode = ino->mode;

		inotify_nmarks = 0;
		err = vfs_path_truncate(t, p, 0, false, NULL);
		inotify_nmarks = marks;
		if (err)
			return err;
		trunc_event = IN_MODIFY | (ino->mode != mode ? IN_ATTRIB : 0);
	}
	f = file_alloc((flags & O_PATH) ? &path_fops : ino->fops);
	/* what F_GETFL shows: O_CLOEXEC belongs to the descriptor, O_PATH drops O_LARGEFILE;
	 * the open method still sees O_NOCTTY (terminals), as in Linux do_dentry_open */
	f->flags = flags & ~(O_CREAT | O_EXCL | O_TRUNC | O_CLOEXEC);
	if (!(flags & O_PATH))
		f->flags |= O_LARGEFILE_KERNEL;
	f->path = path_get(*p);
	f->inode = iget(ino);
	f->cred_token = t ? vfs_cred_token(t) : 0;
	f->created = created;
	f->ll_access = ll_access;
	if (!(flags & O_PATH) && ino->iops && ino->iops->open) {
		err = ino->iops->open(t, f);
		if (err) {
			f->fops = &path_fops; /* no release for a failed open */
			file_put(f);
			return err;
		}
	}
	f->flags &= ~O_NOCTTY;
	if (!(flags & O_PATH)) {
		f->counted = true;
		if ((flags & O_ACCMODE) == O_RDONLY)
			ino->nread++;
		else
			ino->nwrite++;
	}
	if (!(flags & O_PATH)) {
		f->notify_close = true;
		fsnotify_file(f, IN_OPEN);
	}
	if (trunc_event)
		fsnotify_dentry(p->d, trunc_event);
	*out = f;
	return 0;
}

static int open_creat(struct nameidata *nd, struct path *cur, const char *path, int flags,
		      mode_t mode, struct file **out);
static int open_tmpfile(struct task *t, struct file *dirf, const char *path, int flags,
			mode_t mode, unsigned resolve, struct file **out);

/* O_CREAT found a symlink in dir: open (or create) its target. */
static int
open_creat_link(struct nameidata *nd, struct path *dir, struct path *link, int flags,
		mode_t mode, struct file **out)
{
	struct inode *li = link->d->inode;
	_cleanup_free_ char *target = NULL;
	struct path res;
	int err;

	if ((flags & O_NOFOLLOW) || ++nd->depth > VFS_MAXSYMLINKS)
		return -ELOOP;
	if ((err = nd_may_follow(nd)) != 0)
		return err;
	if (li->iops && li->iops->get_link) {
		err = li->iops->get_link(nd->t, link->d, &res);
		if (err < 0)
			return err;
		if (err == 1) { /* a magic link gives the target directly */
			err = nd_may_jump(nd, dir, &res);
			if (!err && S_ISDIR(res.d->inode->mode))
				err = -EISDIR;
			if (!err)
				err = open_final(nd->t, &res, flags, false, out);
			path_put(&res);
			return err;
		}
	}
	if (!li->iops || !li->iops->readlink)
		return -EINVAL;
	err = li->iops->readlink(nd->t, link->d, &target);
	if (err)
		return err;
	if (!target[0])
		return -ENOENT;
	res = path_get(*dir);
	err = open_creat(nd, &res, target, flags, mode, out);
	path_put(&res);
	return err;
}

/* Linux may_create_in_sticky (fs.protected_fifos, fs.protected_regular): O_CREAT finding
 * a file in a sticky directory that neither the caller nor the directory's owner owns is
 * EACCES when the directory is world-writable (for a FIFO or a regular file only while its
 * sysctl is on; any other kind always), or group-writable with the sysctl at 2. Root too. */
static int
may_create_in_sticky(struct task *t, struct inode *dir, struct inode *i)
{
	long fifos = sysctl_value(SYSCTL_PROTECTED_FIFOS);
	long regular = sysctl_value(SYSCTL_PROTECTED_REGULAR);

	if (!(dir->mode & S_ISVTX) || (S_ISREG(i->mode) && !regular) ||
	    (S_ISFIFO(i->mode) && !fifos) || i->uid == dir->uid || i->uid == task_fsuid(t))
		return 0;
	if (dir->mode & S_IWOTH)
		return -EACCES;
	if ((dir->mode & S_IWGRP) &&
	    ((S_ISFIFO(i->mode) && fifos >= 2) || (S_ISREG(i->mode) && regular >= 2)))
		return -EACCES;
	return 0;
}

static int
open_creat(struct nameidata *nd, struct path *cur, const char *path, int flags, mode_t mode,
	   struct file **out)
{
	struct last_comp last;
	struct path res;
	struct dentry *d;
	bool created = false;
	int err;

	err = nd_walk_parent(nd, cur, path, &last);
	if (err)
		return err;
	/* Linux do_open: ".", ".." or "/" last exist already (O_EXCL), and are directories */
	if (last.type != LAST_NORM)
		return (flags & O_EXCL) ? -EEXIST : -EISDIR;
	if (last.slash)
		return -EISDIR;
	err = nd_lookup(nd, cur, last.name, &d);
	if (err)
		return err;
	res.mnt = cur->mnt;
	res.d = d;
	if (!d->inode) {
		err = cur->d->deleted ? -ENOENT : may_write_fs(cur);
		if (!err)
			err = inode_permission(nd->t, cur->d->inode, MAY_WRITE | MAY_EXEC);
		if (!err && d->hashed) { /* a cached negative entry */
			d_unhash(d);
			d->sb->nneg--;
		}
		if (!err)
			err = vfs_do_create(nd->t, cur, d,
					    S_IFREG | (mode & 07777 &
						       ~vfs_create_umask(nd->t, cur->d->inode)), 0);
		created = true;
	} else if (flags & O_EXCL) {
		err = -EEXIST;
	} else {
		follow_mounts(&res);
		if (S_ISLNK(res.d->inode->mode)) {
			err = open_creat_link(nd, cur, &res, flags, mode, out);
			path_put(&res);
			return err;
		}
		if (S_ISDIR(res.d->inode->mode))
			err = -EISDIR;
		else
			err = may_create_in_sticky(nd->t, cur->d->inode, res.d->inode);
	}
	if (!err)
		err = open_final(nd->t, &res, created ? (flags & ~O_TRUNC) : flags, created, out);
	path_put(&res);
	return err;
}

/* The internal tmpfs of memfds: never mounted anywhere, its own mount outside the list. */
static struct mount memfd_mnt;

static int
memfd_make(struct task *t, const char *dname, mode_t mode, bool sealing, struct file **out)
{
	struct path p;
	struct dentry *d;
	int err;

	if (!memfd_mnt.sb) {
		memfd_mnt.sb = tmpfs_new_sb("memfd", 0, 01777);
		memfd_mnt.root = dget(memfd_mnt.sb->root);
	}
	d = d_alloc(memfd_mnt.root, dname);
	err = memfd_mnt.root->inode->iops->tmpfile(memfd_mnt.root, d, S_IFREG | (mode & 07777),
						   task_fsuid(t), task_fsgid(t));
	if (err) {
		dput(d);
		return err;
	}
	d->deleted = true;
	d->inode->seals = sealing ? 0 : F_SEAL_SEAL;
	p.mnt = &memfd_mnt;
	p.d = d;
	err = open_final(t, &p, O_RDWR, true, out);
	dput(d);
	return err;
}

int
vfs_memfd_create(struct task *t, const char *name, mode_t mode, bool sealing,
		 struct file **out)
{
	char dname[NAME_MAX + 1];

	snprintf(dname, sizeof(dname), "memfd:%s", name);
	return memfd_make(t, dname, mode, sealing, out);
}

int
vfs_hugetlb_anon_create(struct task *t, struct file **out)
{
	return memfd_make(t, "anon_hugepage", 0600, false, out);
}

int
vfs_sysv_shm_create(struct task *t, int key, unsigned long size, struct file **rw,
		    struct file **ro)
{
	char dname[32];
	struct file *f, *r = NULL;
	int err;

	snprintf(dname, sizeof(dname), "SYSV%08x", (unsigned int)key);
	err = memfd_make(t, dname, 0600, false, &f);
	if (err)
		return err;
	tmpfs_charge_whole(f->inode);
	err = file_truncate(f, (off_t)size);
	if (!err) {
		int fd = file_mmap_fd(f, true); /* the host memfd now: its size is charged */
		err = fd < 0 ? (fd == -1 ? -ENOMEM : fd) : 0;
	}
	if (!err) /* for SHM_RDONLY attaches: those never become writable */
		err = open_final(t, &f->path, O_RDONLY, true, &r);
	if (err) {
		file_put(f);
		return err == -EFBIG || err == -ENOSPC ? -ENOMEM : err;
	}
	*rw = f;
	*ro = r;
	return 0;
}

bool
vfs_memfd_inode(const struct inode *i)
{
	return memfd_mnt.sb && i->sb == memfd_mnt.sb;
}

/* Seals are Linux shmem's: memfds, SysV shared memory and regular files of a tmpfs (those
 * born with F_SEAL_SEAL), not the overlay's in-memory layer. */
static bool
is_memfd(struct file *f)
{
	struct inode *i = f->inode;

	return i && !(f->flags & O_PATH) && S_ISREG(i->mode) &&
	       (i->sb == memfd_mnt.sb ||
		(!strcmp(i->sb->fstype, "tmpfs") && !(i->sb->flags & SB_OVERLAY)));
}

long
file_get_seals(struct file *f)
{
	return is_memfd(f) ? (long)f->inode->seals : -EINVAL;
}

/* Linux memfd_add_seals. A memfd mapped shared has a host memfd (tmpfs_shared_fd), which
 * every such mapping in the stubs maps: its write seals go to the host first, which refuses
 * them with EBUSY while one may write (as Linux counts: shared mappings that may become
 * writable), and refuses writable mappings after. */
int
file_add_seals(struct file *f, unsigned int seals)
{
	unsigned int all = F_SEAL_SEAL | F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_WRITE |
			   F_SEAL_FUTURE_WRITE;
	int acc = f->flags & O_ACCMODE;

	/* write access first, for any file, then the bits, then whether it takes seals
	 * (access mode 3 is neither reading nor writing) */
	if (acc != O_WRONLY && acc != O_RDWR)
		return -EPERM;
	if (seals & ~all)
		return -EINVAL;
	if (!is_memfd(f))
		return -EINVAL;
	if (f->inode->seals & F_SEAL_SEAL)
		return -EPERM;
	unsigned int wseals = seals & (F_SEAL_WRITE | F_SEAL_FUTURE_WRITE) & ~f->inode->seals;
	int hostfd = wseals ? tmpfs_mapped_fd(f->inode) : -1;
	if (hostfd >= 0 && fcntl(hostfd, F_ADD_SEALS, wseals) < 0)
		return -errno;
	f->inode->seals |= seals;
	return 0;
}

int
file_map_sealed(struct file *f, int prot, int flags)
{
	if (!is_memfd(f) || (flags & 0x0f) == MAP_PRIVATE || !(prot & PROT_WRITE))
		return 0;
	return f->inode->seals & (F_SEAL_WRITE | F_SEAL_FUTURE_WRITE) ? -EPERM : 0;
}

/* O_TMPFILE (Linux do_o_tmpfile): an unnamed regular file in the directory path names;
 * without O_EXCL, linkat may give it a name later. */
static int
open_tmpfile(struct task *t, struct file *dirf, const char *path, int flags, mode_t mode,
	     unsigned resolve, struct file **out)
{
	struct nameidata nd;
	struct path dir = { 0 }, p;
	struct inode *di;
	struct dentry *d;
	char name[32];
	uid_t uid;
	gid_t gid;
	int err;

	err = nd_start_resolve(&nd, t, dirf, path, resolve, &dir);
	if (!err)
		err = nd_walk_full(&nd, &dir, path, !(flags & O_NOFOLLOW));
	if (err)
		goto out;
	di = dir.d->inode;
	if (!S_ISDIR(di->mode))
		err = -ENOTDIR;
	else if (!(err = may_write_fs(&dir)))
		err = inode_permission(t, di, MAY_WRITE | MAY_EXEC);
	if (!err && (!di->iops || !di->iops->tmpfile))
		err = -EOPNOTSUPP;
	if (err)
		goto out;
	mode = S_IFREG | (mode & 07777 & ~ctx_umask(t));
	vfs_new_owner(t, di, &mode, &uid, &gid);
	d = d_alloc(dir.d, "#");
	err = di->iops->tmpfile(dir.d, d, mode, uid, gid);
	if (err) {
		dput(d);
		goto out;
	}
	snprintf(name, sizeof(name), "#%lu", (unsigned long)d->inode->ino);
	free(d->name);
	d->name = xstrdup(name);
	d->deleted = true;
	d->inode->linkable = !(flags & O_EXCL);
	p.mnt = dir.mnt;
	p.d = d;
	err = open_final(t, &p, flags & ~(O_EXCL | O_TRUNC | O_DIRECTORY), true, out);
	if (!err)
		(*out)->flags |= O_DIRECTORY; /* F_GETFL shows O_TMPFILE whole, as Linux */
	dput(d);
out:
	path_put(&dir);
	nd_end(&nd);
	return err;
}

int
vfs_open_at_path(struct task *t, struct path *p, int flags, struct file **out)
{
	*out = NULL;
	if (!p->d || !p->d->inode)
		return -ENOENT;
	if (flags & O_PATH)
		flags &= O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC;
	return open_final(t, p, flags, false, out);
}

int
vfs_openat(struct task *t, struct file *dirf, const char *path, int flags, mode_t mode,
	   struct file **out)
{
	return vfs_openat2(t, dirf, path, flags, mode, 0, out);
}

int
vfs_openat2(struct task *t, struct file *dirf, const char *path, int flags, mode_t mode,
	    unsigned resolve, struct file **out)
{
	struct nameidata nd;
	struct path cur = { 0 };
	int err;

	*out = NULL;
	if (t && t->wait_rerun && (err = fifo_open_resume(t, out)) != 0)
		return err == 1 ? 0 : err; /* a FIFO open that waited for the other end */
	if (!path[0])
		return -ENOENT;
	if ((flags & O_TMPFILE) == O_TMPFILE)
		return open_tmpfile(t, dirf, path, flags, mode, resolve, out);
	if (flags & O_PATH)
		flags &= O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC;
	if ((flags & O_CREAT) && (flags & O_DIRECTORY))
		return -EINVAL;
	err = nd_start_resolve(&nd, t, dirf, path, resolve, &cur);
	if (err)
		goto out;
	if (flags & O_CREAT) {
		err = open_creat(&nd, &cur, path, flags, mode, out);
		goto out;
	}
	/* a plain read-only open: the host may open the file with its lookup */
	nd.open_read = (flags & O_ACCMODE) == O_RDONLY &&
		       !(flags & (O_PATH | O_DIRECTORY | O_TRUNC));
	err = nd_walk_full(&nd, &cur, path, !(flags & O_NOFOLLOW));
	if (!err)
		err = open_final(t, &cur, flags, false, out);
out:
	path_put(&cur);
	nd_end(&nd);
	return err;
}

/* ---- stat, readlink, access ---- */

int
vfs_statat(struct task *t, struct file *dirf, const char *path, int at_flags, struct stat *st)
{
	struct path p;
	int err;

	if (at_flags & ~(AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH | AT_NO_AUTOMOUNT | VFS_AT_OPEN_NEXT))
		return -EINVAL;
	if (!path[0] && (at_flags & AT_EMPTY_PATH) && dirf)
		return file_stat(dirf, st);
	err = vfs_resolve_at(t, dirf, path, at_flags, &p);
	if (err)
		return err;
	inode_fill_stat(p.d->inode, st);
	path_put(&p);
	return 0;
}

int
vfs_readlinkat(struct task *t, struct file *dirf, const char *path, char *buf, size_t n)
{
	_cleanup_free_ char *target = NULL;
	struct inode *ino;
	struct path p;
	size_t len;
	int err;

	if (n == 0 || n > INT_MAX)
		return -EINVAL;
	err = vfs_resolve_at(t, dirf, path, AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH, &p);
	if (err)
		return err;
	ino = p.d->inode;
	if (!S_ISLNK(ino->mode) || !ino->iops || !ino->iops->readlink)
		err = path[0] ? -EINVAL : -ENOENT;
	else
		err = ino->iops->readlink(t, p.d, &target);
	if (!err)
		inode_accessed(ino); /* Linux touch_atime in readlinkat */
	path_put(&p);
	if (err)
		return err;
	len = MIN(strlen(target), n);
	memcpy(buf, target, len);
	return len;
}

int
vfs_accessat(struct task *t, struct file *dirf, const char *path, int mode, int at_flags)
{
	struct task cred;
	struct path p;
	int err;

	if (mode & ~(R_OK | W_OK | X_OK))
		return -EINVAL;
	if (at_flags & ~(AT_EACCESS | AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH))
		return -EINVAL;
	err = vfs_resolve_at(t, dirf, path, at_flags, &p);
	if (err)
		return err;
	if (t && !(at_flags & AT_EACCESS)) { /* access(2) checks the real ids */
		cred = *t;
		cred.euid = t->uid;
		cred.egid = t->gid;
		t = &cred;
	}
	if ((mode & W_OK) && mnt_readonly(&p) &&
	    (S_ISREG(p.d->inode->mode) || S_ISDIR(p.d->inode->mode) ||
	     S_ISLNK(p.d->inode->mode)))
		err = -EROFS;
	else if (mode)
		err = inode_permission(t, p.d->inode,
				       ((mode & R_OK) ? MAY_READ : 0) |
				       ((mode & W_OK) ? MAY_WRITE : 0) |
				       ((mode & X_OK) ? MAY_EXEC : 0));
	path_put(&p);
	return err;
}

/* ---- cwd and root ---- */

static int
set_dir(struct task *t, struct path *p, bool root)
{
	int err;

	if (!S_ISDIR(p->d->inode->mode))
		err = -ENOTDIR;
	else
		err = inode_permission(t, p->d->inode, MAY_EXEC);
	if (!err && root && !task_ns_capable(t, ns_of(t, NS_USER), CAP_SYS_CHROOT))
		err = -EPERM;
	if (!err && (!t || !t->fs))
		err = -EINVAL;
	if (err) {
		path_put(p);
		return err;
	}
	if (root) {
		path_put(&t->fs->root);
		t->fs->root = *p;
	} else {
		path_put(&t->fs->cwd);
		t->fs->cwd = *p;
	}
	return 0;
}

int
vfs_chdir(struct task *t, struct file *dirf, const char *path)
{
	struct path p;
	int err = vfs_resolve_at(t, dirf, path, 0, &p);

	return err ? err : set_dir(t, &p, false);
}

int
vfs_fchdir(struct task *t, struct file *f)
{
	struct path p;

	if (!f->path.d)
		return -ENOTDIR;
	p = path_get(f->path);
	return set_dir(t, &p, false);
}

int
vfs_chroot(struct task *t, const char *path)
{
	struct path p;
	int err = vfs_resolve_at(t, NULL, path, 0, &p);

	return err ? err : set_dir(t, &p, true);
}

/* Is p root or below it (across mounts; not from an unmounted tree)? */
static bool
path_under(struct path p, struct path root)
{
	for (;;) {
		if (p.mnt == root.mnt && p.d == root.d)
			return true;
		if (p.d == p.mnt->root || !p.d->parent) {
			if (!mount_up(p.mnt))
				return false;
			p.d = p.mnt->mountpoint;
			p.mnt = p.mnt->parent;
			continue;
		}
		p.d = p.d->parent;
	}
}

int
vfs_getcwd(struct task *t, char *buf, size_t n)
{
	struct path root, cwd;
	char tmp[PATH_MAX];
	int len;

	if (!t || !t->fs)
		return -EINVAL;
	root = vfs_ctx_root(t->fs);
	cwd = vfs_ctx_cwd(t->fs);
	if (cwd.d->deleted)
		return -ENOENT;
	if (!path_under(cwd, root)) {
		/* Linux prepend_path: a cwd outside the root (after chroot) is its whole path
		 * after "(unreachable)" (glibc's getcwd turns that into ENOENT) */
		struct path none = { 0 };

		memcpy(tmp, "(unreachable)", 13);
		len = vfs_path_string(cwd, none, tmp + 13, sizeof(tmp) - 13);
		if (len < 0)
			return len;
		len += 13;
	} else {
		len = vfs_path_string(cwd, root, tmp, sizeof(tmp));
	}
	if (len < 0)
		return len;
	if ((size_t)len + 1 > n)
		return -ERANGE;
	memcpy(buf, tmp, len + 1);
	return len + 1;
}

static ssize_t
path_rw(struct file *f, void *buf, size_t n, off_t *pos)
{
	return -EBADF;
}

static ssize_t
path_w(struct file *f, const void *buf, size_t n, off_t *pos)
{
	return -EBADF;
}

static ssize_t
path_getdents(struct file *f, void *buf, size_t n)
{
	return -EBADF;
}

static long
path_ioctl(struct file *f, unsigned long cmd, void *arg)
{
	return -EBADF;
}

static off_t
path_llseek(struct file *f, off_t off, int whence)
{
	return -EBADF;
}

static const struct file_ops path_fops = {
	.read = path_rw,
	.write = path_w,
	.llseek = path_llseek,
	.getdents64 = path_getdents,
	.ioctl = path_ioctl,
	.pread_ok = true,
};

/* The O_PATH file fsmount and open_tree(OPEN_TREE_CLONE) give: its last close drops the
 * anonymous mount tree it heads unless move_mount attached it (Linux FMODE_NEED_UNMOUNT). */
static const struct file_ops mount_fd_fops = {
	.read = path_rw,
	.write = path_w,
	.llseek = path_llseek,
	.getdents64 = path_getdents,
	.ioctl = path_ioctl,
	.release = mount_fd_release,
	.pread_ok = true,
};

int
vfs_open_path(struct path *p, bool mount_fd, struct file **out)
{
	int err = open_final(NULL, p, O_PATH, false, out);

	if (!err && mount_fd)
		(*out)->fops = &mount_fd_fops;
	return err;
}
