/*
 * Landlock (Linux 5.13+, Documentation/userspace-api/landlock.rst): unprivileged
 * access control over the sandbox's own files and TCP ports.
 *
 * A ruleset (a "[landlock-ruleset]" anonymous file) holds the handled rights and the
 * rules: a path's inode with the rights granted beneath it, or a TCP port. restrict_self
 * freezes a copy of it as a new layer of the thread's domain (at most 16 layers). A
 * request is allowed when every layer that handles a right finds a rule granting it on
 * the object or on one of its ancestors, up through mount points to the real root.
 * Each layer's frozen copy is shared by the domains stacked on it, so "the same layer"
 * is pointer equality. Rights checked at open (truncate, ioctl on devices) stay with
 * the open file (f->ll_access).
 */
#include <errno.h>
#include <string.h>

#include "fs/internal.h"
#include "sentry/sentry.h"

#define NFS LL_NUM_FS

struct ll_frule {
	struct super_block *sb;   /* the object: (sb, st_dev, ino) of the inode named */
	dev_t dev;
	ino_t ino;
	struct inode *pin;        /* keeps the inode (Linux's landlock_object holds it) */
	uint64_t access;
};

struct ll_nrule {
	unsigned port;
	uint64_t access;
};

struct ll_ruleset {
	int refs;
	uint64_t fs, net, scoped; /* handled */
	struct ll_frule *fr;
	int nfr, capfr;
	struct ll_nrule *nr;
	int nnr, capnr;
};

struct ll_domain {
	int refs;
	int n;
	struct ll_ruleset *layer[LL_MAX_LAYERS];
};

static void
ruleset_put(struct ll_ruleset *r)
{
	if (!r || --r->refs)
		return;
	for (int i = 0; i < r->nfr; i++)
		iput(r->fr[i].pin);
	free(r->fr);
	free(r->nr);
	free(r);
}

struct ll_domain *
landlock_get(struct ll_domain *d)
{
	if (d)
		d->refs++;
	return d;
}

void
landlock_put(struct ll_domain *d)
{
	if (!d || --d->refs)
		return;
	for (int i = 0; i < d->n; i++)
		ruleset_put(d->layer[i]);
	free(d);
}

/* ---- ruleset files ---- */

static ssize_t
ruleset_rw(struct file *f, void *buf, size_t n, off_t *pos)
{
	(void)f, (void)buf, (void)n, (void)pos;
	return -EINVAL; /* Linux's placeholders, there only to make the file readable and writable */
}

static ssize_t
ruleset_w(struct file *f, const void *buf, size_t n, off_t *pos)
{
	(void)f, (void)buf, (void)n, (void)pos;
	return -EINVAL;
}

static const struct file_ops ruleset_fops = {
	.read = ruleset_rw,
	.write = ruleset_w,
	.llseek = no_llseek,
};

static void
ruleset_free(struct inode *i)
{
	ruleset_put(i->priv);
}

int
landlock_ruleset_new(uint64_t fs, uint64_t net, uint64_t scoped, struct file **out)
{
	struct ll_ruleset *r;

	if (!fs && !net && !scoped)
		return -ENOMSG;
	r = xcalloc(1, sizeof(*r));
	r->refs = 1;
	r->fs = fs, r->net = net, r->scoped = scoped;
	*out = anon_file("[landlock-ruleset]", &ruleset_fops, r, ruleset_free, O_RDWR);
	return 0;
}

/* The ruleset of f (Linux get_ruleset_from_fd): -EBADFD for another file, -EPERM when f
 * was not opened for the use (write: adding rules; read: enforcing). */
static struct ll_ruleset *
ruleset_of(struct file *f, bool write, int *err)
{
	int acc = f->flags & O_ACCMODE;

	if (f->fops != &ruleset_fops) {
		*err = -EBADFD;
		return NULL;
	}
	if (write ? acc == O_RDONLY : acc == O_WRONLY) {
		*err = -EPERM;
		return NULL;
	}
	return f->inode->priv;
}

int
landlock_ruleset_check(struct file *f, bool write)
{
	int err = 0;

	ruleset_of(f, write, &err);
	return err;
}

/* Objects of filesystems never mounted (pipes, sockets, anon inodes), and memfds and
 * SysV shared memory (Linux: a disconnected dentry of its internal shm mount): not
 * governed. */
static bool
ungoverned(struct dentry *d)
{
	return (d->sb->flags & SB_PSEUDO) || (d->inode && vfs_memfd_inode(d->inode));
}

/* A copy of the n-element array p with room for twice as many (*cap updated). */
static void *
grow(void *p, int n, int *cap, size_t size)
{
	void *q;

	*cap = *cap ? *cap * 2 : 8;
	q = xmalloc((size_t)*cap * size);
	if (n)
		memcpy(q, p, (size_t)n * size);
	free(p);
	return q;
}

/* A rule beneath the file f (an O_PATH one too): Linux's checks after the copy. */
int
landlock_add_path_rule(struct file *rf, uint64_t access, struct file *f)
{
	int err = 0;
	struct ll_ruleset *r = ruleset_of(rf, true, &err);
	struct inode *ino;

	if (!r)
		return err;
	if (!access)
		return -ENOMSG;
	if ((access | r->fs) != r->fs)
		return -EINVAL;
	if (!f)
		return -EBADF;
	/* ruleset files, and objects of filesystems never mounted (pipes, sockets, anon
	 * inodes, namespace files) */
	if (f->fops == &ruleset_fops || !f->path.d || !f->inode || ungoverned(f->path.d))
		return -EBADFD;
	ino = f->inode;
	/* a file only takes the rights that apply to files */
	if (!S_ISDIR(ino->mode) && (access | LL_ACCESS_FILE) != LL_ACCESS_FILE)
		return -EINVAL;
	for (int i = 0; i < r->nfr; i++) {
		if (r->fr[i].sb == ino->sb && r->fr[i].dev == ino->dev && r->fr[i].ino == ino->ino) {
			r->fr[i].access |= access;
			return 0;
		}
	}
	if (r->nfr == r->capfr)
		r->fr = grow(r->fr, r->nfr, &r->capfr, sizeof(*r->fr));
	r->fr[r->nfr++] = (struct ll_frule){ ino->sb, ino->dev, ino->ino, iget(ino), access };
	return 0;
}

int
landlock_add_port_rule(struct file *rf, uint64_t access, uint64_t port)
{
	int err = 0;
	struct ll_ruleset *r = ruleset_of(rf, true, &err);

	if (!r)
		return err;
	if (!access)
		return -ENOMSG;
	if ((access | r->net) != r->net)
		return -EINVAL;
	if (port > 65535)
		return -EINVAL;
	for (int i = 0; i < r->nnr; i++) {
		if (r->nr[i].port == port) {
			r->nr[i].access |= access;
			return 0;
		}
	}
	if (r->nnr == r->capnr)
		r->nr = grow(r->nr, r->nnr, &r->capnr, sizeof(*r->nr));
	r->nr[r->nnr++] = (struct ll_nrule){ (unsigned)port, access };
	return 0;
}

/* A frozen copy of r: later rules added through the fd do not reach enforced layers. */
static struct ll_ruleset *
ruleset_freeze(const struct ll_ruleset *r)
{
	struct ll_ruleset *c = xcalloc(1, sizeof(*c));

	c->refs = 1;
	c->fs = r->fs, c->net = r->net, c->scoped = r->scoped;
	c->nfr = c->capfr = r->nfr;
	c->fr = xmalloc((r->nfr ? r->nfr : 1) * sizeof(*c->fr));
	for (int i = 0; i < r->nfr; i++) {
		c->fr[i] = r->fr[i];
		iget(c->fr[i].pin);
	}
	c->nnr = c->capnr = r->nnr;
	c->nr = xmalloc((r->nnr ? r->nnr : 1) * sizeof(*c->nr));
	if (r->nnr) /* (no rules: r->nr may be NULL, which memcpy may not be given) */
		memcpy(c->nr, r->nr, r->nnr * sizeof(*c->nr));
	return c;
}

/* restrict_self after its checks (the caller's privilege, flags, the fd): a new domain
 * of t's layers and the ruleset's; -E2BIG past 16 layers. */
int
landlock_restrict(struct task *t, struct file *rf)
{
	int err = 0;
	struct ll_ruleset *r = ruleset_of(rf, false, &err);
	struct ll_domain *old = t->landlock, *d;

	if (!r)
		return err;
	if (old && old->n >= LL_MAX_LAYERS)
		return -E2BIG;
	d = xcalloc(1, sizeof(*d));
	d->refs = 1;
	for (int i = 0; old && i < old->n; i++) {
		d->layer[i] = old->layer[i];
		d->layer[i]->refs++;
	}
	d->n = old ? old->n : 0;
	d->layer[d->n++] = ruleset_freeze(r);
	landlock_put(old);
	t->landlock = d;
	return 0;
}

/* ---- checks on paths ---- */

typedef uint16_t lmask[NFS]; /* per right: the layers that still deny it */

static uint64_t
layer_fs(const struct ll_ruleset *l)
{
	return l->fs | LL_FS_REFER; /* reparenting is denied unless a rule allows it */
}

/* Does d (a domain) handle any right of fs / net / scoped in some layer? */
static bool
handles(const struct ll_domain *d, uint64_t fs, uint64_t net, uint64_t scoped)
{
	for (int i = 0; d && i < d->n; i++)
		if ((d->layer[i]->fs & fs) || (d->layer[i]->net & net) ||
		    (d->layer[i]->scoped & scoped))
			return true;
	return false;
}

static uint64_t
init_masks(const struct ll_domain *d, uint64_t req, lmask m)
{
	uint64_t handled = 0;

	memset(m, 0, sizeof(lmask));
	for (int i = 0; i < d->n; i++) {
		uint64_t h = req & layer_fs(d->layer[i]);

		for (int b = 0; b < NFS; b++)
			if (h & (1ULL << b))
				m[b] |= 1u << i;
		handled |= h;
	}
	return handled;
}

static bool
masks_clear(const lmask m, uint64_t req)
{
	for (int b = 0; b < NFS; b++)
		if ((req & (1ULL << b)) && m[b])
			return false;
	return true;
}

/* Clears in m the layers whose rule on d's inode grants a right of req; true when no
 * layer denies any of req any more. */
static bool
unmask(const struct ll_domain *d, struct dentry *dn, uint64_t req, lmask m)
{
	struct inode *ino = dn->inode;

	if (!req)
		return true;
	for (int i = 0; ino && i < d->n; i++) {
		const struct ll_ruleset *l = d->layer[i];

		for (int k = 0; k < l->nfr; k++) {
			const struct ll_frule *r = &l->fr[k];

			if (r->sb != ino->sb || r->dev != ino->dev || r->ino != ino->ino)
				continue;
			for (int b = 0; b < NFS; b++)
				if (req & r->access & (1ULL << b))
					m[b] &= ~(1u << i);
			break;
		}
	}
	return masks_clear(m, req);
}

enum walk { WALK_STOP, WALK_UP, WALK_RESET };

/* Moves p up one directory, across mount points (*crossed: it did); WALK_STOP at the real
 * root or at the root of a filesystem not mounted anywhere. WALK_RESET: p was cut from
 * its mount's root (a directory moved out of a bind mount's subtree reaches the
 * filesystem's root instead): p is now the mount's root, and what the walk found in
 * this mount does not count (Landlock erratum 3). */
static enum walk
walk_up(struct path *p, bool *crossed)
{
	*crossed = false;
	while (p->d == p->mnt->root) {
		/* (a lazily unmounted tree is cut from its parent, as Linux's follow_up finds) */
		if (!mount_up(p->mnt) || !p->mnt->mountpoint)
			return WALK_STOP;
		p->d = p->mnt->mountpoint;
		p->mnt = p->mnt->parent;
		*crossed = true;
	}
	if (!p->d->parent) {
		p->d = p->mnt->root;
		return WALK_RESET;
	}
	p->d = p->d->parent;
	return WALK_UP;
}

static const uint64_t file_rights = LL_ACCESS_FILE;

/* Linux no_more_access: moving child1 from parent1 to parent2 (and child2 back, for an
 * exchange) gives it no right a layer denied it where it was. */
static bool
no_more_access(const lmask p1, const lmask c1, bool c1dir, const lmask p2, const lmask c2,
	       bool c2dir)
{
	for (int b = 0; b < NFS; b++) {
		bool file_right = file_rights & (1ULL << b);

		if ((c1dir || file_right) && (((p1[b] & c1[b]) | p2[b]) != p2[b]))
			return false;
		if (c2 && (c2dir || file_right) && (((p2[b] & c2[b]) | p1[b]) != p1[b]))
			return false;
	}
	return true;
}

static void
scope_to(uint64_t req, lmask m)
{
	for (int b = 0; b < NFS; b++)
		if (!(req & (1ULL << b)))
			m[b] = 0;
}

static uint64_t
union_fs(const struct ll_domain *d)
{
	uint64_t u = 0;

	for (int i = 0; i < d->n; i++)
		u |= d->layer[i]->fs;
	return u;
}

/* Linux is_access_to_paths_allowed: walks from p up to the real root. With child1 (a
 * rename or link), first makes sure the move gains nothing (the domain's rights), then
 * checks the requests req1 (m1) and req2 (m2). */
static bool
paths_allowed(const struct ll_domain *d, const struct path *p, uint64_t req1, lmask m1,
	      struct dentry *child1, uint64_t req2, lmask m2, struct dentry *child2)
{
	bool ok1, ok2 = true, dom_check = false, crossed, bok1, bok2;
	uint64_t mask1 = req1, mask2 = req2;
	lmask cm1, cm2, b1, b2;   /* b1, b2: the masks where the walk entered w's mount */
	struct path w = *p;
	enum walk step;

	if (!req1 && !req2)
		return true;
	if (ungoverned(p->d))
		return true;
	ok1 = masks_clear(m1, ~0ULL);
	if (m2) {
		ok2 = masks_clear(m2, ~0ULL);
		mask1 = mask2 = union_fs(d);
		dom_check = true;
	}
	if (child1) {
		init_masks(d, LL_FS_ALL, cm1);
		unmask(d, child1, LL_FS_ALL, cm1);
	}
	if (child2) {
		init_masks(d, LL_FS_ALL, cm2);
		unmask(d, child2, LL_FS_ALL, cm2);
	}
	memcpy(b1, m1, sizeof(lmask));
	if (m2)
		memcpy(b2, m2, sizeof(lmask));
	bok1 = ok1, bok2 = ok2;
	for (;;) {
		if (dom_check && no_more_access(m1, cm1, !child1->inode || S_ISDIR(child1->inode->mode),
						m2, child2 ? cm2 : NULL,
						child2 && child2->inode && S_ISDIR(child2->inode->mode))) {
			dom_check = false;
			mask1 = req1, mask2 = req2;
			if (!ok1) {
				scope_to(mask1, m1);
				ok1 = masks_clear(m1, ~0ULL);
			}
			if (!ok2) {
				scope_to(mask2, m2);
				ok2 = masks_clear(m2, ~0ULL);
			}
			if (ok1 && ok2)
				break;
		}
		ok1 = ok1 || unmask(d, w.d, mask1, m1);
		ok2 = ok2 || (m2 && unmask(d, w.d, mask2, m2));
		if (ok1 && ok2)
			break;
		step = walk_up(&w, &crossed);
		if (step == WALK_STOP)
			break;
		if (crossed) {
			memcpy(b1, m1, sizeof(lmask));
			if (m2)
				memcpy(b2, m2, sizeof(lmask));
			bok1 = ok1, bok2 = ok2;
		}
		if (step == WALK_RESET) {
			memcpy(m1, b1, sizeof(lmask));
			if (m2)
				memcpy(m2, b2, sizeof(lmask));
			ok1 = bok1, ok2 = bok2;
		}
	}
	return ok1 && ok2;
}

static int
check_path(struct task *t, const struct path *p, uint64_t req)
{
	struct ll_domain *d = t ? t->landlock : NULL;
	lmask m;

	if (!handles(d, req, 0, 0))
		return 0;
	req = init_masks(d, req, m);
	return paths_allowed(d, p, req, m, NULL, 0, NULL, NULL) ? 0 : -EACCES;
}

int
landlock_check_path(struct task *t, const struct path *p, uint64_t req)
{
	return check_path(t, p, req);
}

/* The right to make an object of this mode (Linux get_mode_access). */
uint64_t
landlock_make_right(mode_t mode)
{
	switch (mode & S_IFMT) {
	case S_IFLNK:
		return LL_FS_MAKE_SYM;
	case S_IFDIR:
		return LL_FS_MAKE_DIR;
	case S_IFCHR:
		return LL_FS_MAKE_CHAR;
	case S_IFBLK:
		return LL_FS_MAKE_BLOCK;
	case S_IFIFO:
		return LL_FS_MAKE_FIFO;
	case S_IFSOCK:
		return LL_FS_MAKE_SOCK;
	default:
		return LL_FS_MAKE_REG;
	}
}

/* Linux hook_file_open: the rights an open needs, and those kept for later use. */
static int
open_check(struct task *t, const struct path *p, int flags, bool exec, uint16_t *kept)
{
	struct ll_domain *d = t ? t->landlock : NULL;
	struct inode *ino = p->d->inode;
	uint64_t open_req = 0, full, allowed = 0;
	lmask m;

	if (!handles(d, LL_FS_ALL, 0, 0))
		return 0;
	/* the file's mode as Linux's OPEN_FMODE makes it: O_ACCMODE 3 reads nor writes */
	if ((flags + 1) & 1)
		open_req = S_ISDIR(ino->mode) ? LL_FS_READ_DIR : LL_FS_READ_FILE;
	if (((flags + 1) & 2) && !S_ISDIR(ino->mode))
		open_req |= LL_FS_WRITE_FILE;
	if (exec)
		open_req |= LL_FS_EXECUTE;
	full = open_req | LL_FS_TRUNCATE;
	if (S_ISCHR(ino->mode) || S_ISBLK(ino->mode))
		full |= LL_FS_IOCTL_DEV;
	if (paths_allowed(d, p, init_masks(d, full, m), m, NULL, 0, NULL, NULL)) {
		allowed = full;
	} else {
		for (int b = 0; b < NFS; b++)
			if ((full & (1ULL << b)) && !m[b])
				allowed |= 1ULL << b;
	}
	*kept = (uint16_t)((*kept & ~full) | allowed);
	return (open_req & allowed) == open_req ? 0 : -EACCES;
}

int
landlock_open(struct task *t, const struct path *p, int flags, uint16_t *kept)
{
	return open_check(t, p, flags, false, kept);
}

/* execve's open of a program or interpreter: read and execute (Linux __FMODE_EXEC). */
int
landlock_exec(struct task *t, struct file *f)
{
	return open_check(t, &f->path, O_RDONLY, true, &f->ll_access);
}

int
landlock_file_truncate(struct file *f)
{
	return (f->ll_access & LL_FS_TRUNCATE) ? 0 : -EACCES;
}

/* ioctl commands on a device always allowed (Linux is_masked_device_ioctl): they act on
 * the descriptor or the filesystem, not the device. */
static bool
ioctl_masked(unsigned int cmd)
{
	switch (cmd) {
	case 0x5451: /* FIOCLEX */
	case 0x5450: /* FIONCLEX */
	case 0x5421: /* FIONBIO */
	case 0x5452: /* FIOASYNC */
	case 0x5460: /* FIOQSIZE */
	case 0xc0045877: /* FIFREEZE */
	case 0xc0045878: /* FITHAW */
	case 0xc020660b: /* FS_IOC_FIEMAP */
	case 0x2: /* FIGETBSZ */
	case 0x40049409: /* FICLONE */
	case 0x4020940d: /* FICLONERANGE */
	case 0xc0189436: /* FIDEDUPERANGE */
	case 0x80111500: /* FS_IOC_GETFSUUID */
	case 0x80811501: /* FS_IOC_GETFSSYSFSPATH */
		return true;
	}
	return false;
}

int
landlock_ioctl(struct file *f, unsigned int cmd)
{
	if (f->ll_access & LL_FS_IOCTL_DEV)
		return 0;
	if (!f->inode || !(S_ISCHR(f->inode->mode) || S_ISBLK(f->inode->mode)))
		return 0;
	return ioctl_masked(cmd) ? 0 : -EACCES;
}

/* mount, umount, remount, move_mount, pivot_root: denied to a thread whose domain
 * handles any filesystem right (the policy is tied to the mount tree). */
int
landlock_mount_change(struct task *t)
{
	return handles(t ? t->landlock : NULL, LL_FS_ALL, 0, 0) ? -EPERM : 0;
}

static uint64_t
maybe_remove(struct dentry *d)
{
	if (!d || !d->inode)
		return 0;
	return S_ISDIR(d->inode->mode) ? LL_FS_REMOVE_DIR : LL_FS_REMOVE_FILE;
}

/* Linux collect_domain_accesses: the layers' grants from dir up to the mount's root. */
static bool
collect(const struct ll_domain *d, struct dentry *mnt_root, struct dentry *dir, lmask m)
{
	uint64_t all;

	if (ungoverned(dir))
		return true;
	all = init_masks(d, LL_FS_ALL, m);
	for (;;) {
		if (unmask(d, dir, all, m))
			return true;
		if (dir == mnt_root || !dir->parent)
			return false;
		dir = dir->parent;
	}
}

static bool
eacces(const lmask m, uint64_t req)
{
	return !masks_clear(m, req & ~LL_FS_REFER);
}

/* Linux current_check_refer_path: od (in its parent) linked or moved (removable) into
 * the directory ndir as nd; EACCES when a remove or make right is missing, EXDEV when
 * only the reparenting is refused. */
int
landlock_refer(struct task *t, struct dentry *od, const struct path *ndir, struct dentry *nd,
	       bool removable, bool exchange)
{
	struct ll_domain *d = t ? t->landlock : NULL;
	uint64_t req1, req2;
	lmask m1, m2;
	struct path mnt_dir;
	struct dentry *old_parent;

	if (!handles(d, LL_FS_ALL, 0, 0))
		return 0;
	if (!od->inode)
		return -ENOENT;
	if (exchange && !nd->inode)
		return -ENOENT;
	req1 = exchange ? landlock_make_right(nd->inode->mode) : 0;
	req2 = landlock_make_right(od->inode->mode);
	if (removable) {
		req1 |= maybe_remove(od);
		req2 |= maybe_remove(nd);
	}
	if (od->parent == ndir->d) {
		req1 = init_masks(d, req1 | req2, m1);
		return paths_allowed(d, ndir, req1, m1, NULL, 0, NULL, NULL) ? 0 : -EACCES;
	}
	req1 |= LL_FS_REFER;
	req2 |= LL_FS_REFER;
	mnt_dir = (struct path){ ndir->mnt, ndir->mnt->root };
	old_parent = od == mnt_dir.d ? od : od->parent;
	bool a1 = collect(d, mnt_dir.d, old_parent, m1);
	bool a2 = collect(d, mnt_dir.d, ndir->d, m2);
	if (a1 && a2)
		return 0;
	if (paths_allowed(d, &mnt_dir, req1, m1, od, req2, m2, exchange ? nd : NULL))
		return 0;
	if (eacces(m1, req1) || eacces(m2, req2))
		return -EACCES;
	return -EXDEV;
}

/* ---- TCP ports ---- */

/* bind (bind true) or connect of a TCP socket of family fam to port (host order), after
 * the address checks (Linux current_check_access_socket). */
int
landlock_tcp(struct task *t, bool bind, unsigned port)
{
	struct ll_domain *d = t ? t->landlock : NULL;
	uint64_t req = bind ? LL_NET_BIND_TCP : LL_NET_CONNECT_TCP;
	uint32_t deny = 0;

	for (int i = 0; d && i < d->n; i++) {
		const struct ll_ruleset *l = d->layer[i];
		bool granted = false;

		if (!(l->net & req))
			continue;
		for (int k = 0; k < l->nnr && !granted; k++)
			granted = l->nr[k].port == port && (l->nr[k].access & req);
		if (!granted)
			deny |= 1u << i;
	}
	return deny ? -EACCES : 0;
}

/* Linux domain_is_scoped: the newest of t's layers that has the scope must also be a
 * layer of other's domain (the same frozen layer at the same depth). */
static bool
scoped(const struct ll_domain *d, const struct ll_domain *other, uint64_t scope)
{
	for (int i = d ? d->n - 1 : -1; i >= 0; i--) {
		if (!(d->layer[i]->scoped & scope))
			continue;
		return !other || other->n <= i || other->layer[i] != d->layer[i];
	}
	return false;
}

bool
landlock_scoped(struct task *t, struct ll_domain *other, uint64_t scope)
{
	return scoped(t ? t->landlock : NULL, other, scope);
}

/* The owner's process, as Linux's pid_task finds it: the thread or process, or for a
 * process group its leader. */
static struct task *
fown_task(struct file *f)
{
	return task_lookup(f->owner);
}

void
landlock_set_fown(struct task *t, struct file *f)
{
	struct task *o = f->owner ? fown_task(f) : NULL;
	struct ll_domain *d = NULL;

	/* a process signalling itself is never scoped (Linux control_current_fowner) */
	if (t && (!o || o->tgid != t->tgid) && handles(t->landlock, 0, 0, LL_SCOPE_SIGNAL))
		d = landlock_get(t->landlock);
	landlock_put(f->ll_fown);
	f->ll_fown = d;
}

bool
landlock_fown_allowed(struct file *f, struct task *p)
{
	return !scoped(f->ll_fown, p->landlock, LL_SCOPE_SIGNAL);
}

/* Linux domain_scope_le: may a thread of domain tracer trace one of domain tracee? Only
 * when tracer's domain is tracee's or one it was stacked on (any domain, whatever it
 * handles). */
bool
landlock_ptrace_ok(const struct ll_domain *tracer, const struct ll_domain *tracee)
{
	if (!tracer)
		return true;
	return tracee && tracee->n >= tracer->n &&
	       tracee->layer[tracer->n - 1] == tracer->layer[tracer->n - 1];
}

bool
landlock_handles_net(struct task *t, bool bind)
{
	return handles(t ? t->landlock : NULL, 0, bind ? LL_NET_BIND_TCP : LL_NET_CONNECT_TCP, 0);
}
