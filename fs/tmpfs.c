/*
 * tmpfs: files in sentry memory. Directories are the dentry cache itself (children in
 * the parent's hash); regular files are sparse sets of 4 KiB pages (missing pages read
 * as zeros); symlinks keep their target text.
 */
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <utlist.h>

#include "fs/internal.h"
#include "sentry/sentry.h"

#define FALLOC_KEEP_SIZE 0x01
#define FALLOC_PUNCH_HOLE 0x02
#define TMPFS_MAX_FILESIZE ((off_t)INT64_MAX) /* Linux MAX_LFS_FILESIZE: files are sparse */

/* What fallocate may reserve on a tmpfs without a size limit: half the host's memory,
 * Linux's default tmpfs size (read before the sentry is confined). */
static unsigned long tmpfs_default_limit;

__attribute__((constructor)) static void
tmpfs_host_memory(void)
{
	long pages = sysconf(_SC_PHYS_PAGES);

	tmpfs_default_limit = pages > 0 ? (unsigned long)pages * PAGE_SIZE / 2 : 1UL << 30;
}

struct tpage {
	unsigned long idx;
	bool unwritten;           /* allocated by fallocate, never written: a hole to SEEK_DATA */
	char data[PAGE_SIZE];
};

/* Pages are found through leaves of LEAF_PAGES slots, hashed by idx >> LEAF_SHIFT: one hash
 * lookup per leaf (and none while the last leaf serves), compact to walk. */
#define LEAF_SHIFT 9
#define LEAF_PAGES (1UL << LEAF_SHIFT)
struct tleaf {
	unsigned long key;        /* idx >> LEAF_SHIFT */
	UT_hash_handle hh;
	unsigned long count;      /* slots in use */
	struct tpage *slot[LEAF_PAGES];
};

/* Every page p of node n (slot k of leaf l, page number PAGE_IDX(l, k)); free_page is
 * allowed inside, which leaves empty leaves for prune_leaves. */
#define PAGE_IDX(l, k) (((l)->key << LEAF_SHIFT) | (k))
#define FOR_EACH_PAGE(n, l, ltmp, k, p) \
	HASH_ITER(hh, (n)->leaves, l, ltmp) \
		for (unsigned long k = 0; k < LEAF_PAGES; k++) \
			if (((p) = (l)->slot[k]))

struct tmpfs_node {
	struct tleaf *leaves;     /* regular files */
	struct tleaf *last;       /* the leaf used last */
	unsigned long npages;
	int memfd;                /* >= 0 once mapped MAP_SHARED: the data lives there instead */
	unsigned long memfd_used; /* the memfd's pages as last read (its st_blocks), counted in
				   * the filesystem's bytes_used */
	struct inode *inode;      /* (on the list of mapped files) */
	struct tmpfs_node *prev, *next;
	unsigned long charged;    /* bytes charged against --memory: the pages, or the memfd's
				   * (as last read back), or its whole size when whole */
	bool whole;               /* a System V segment: charged for its size, as Linux does */
	char *target;             /* symlinks */
	bool tmp_reserved;        /* O_TMPFILE: holds an inode reservation until named */
};

/* The files whose data is in a memfd. Guests touch their pages through mappings the
 * sentry does not see (Linux shmem_fault allocates and charges them to the filesystem), so
 * their share of their filesystem's use is read back from the host before the use is
 * checked or shown. */
static struct tmpfs_node *mapped_files;

static const struct inode_ops tmpfs_file_iops;
static const struct inode_ops tmpfs_symlink_iops;
static const struct inode_ops tmpfs_special_iops;
static const struct file_ops tmpfs_file_fops;

static struct tmpfs_node *
node(struct inode *i)
{
	return i->priv;
}

/*
 * Pages fallocate reserved and nobody wrote since are not allocated (Linux's shmem charges
 * them, its memory comes when they are touched): their slots point to one of two shared
 * zero pages, never written, charged and counted as pages all the same. A write gives the
 * slot a page of its own.
 */
static struct tpage resv_unwritten = { .unwritten = true };  /* reads zeros, a hole to SEEK_DATA */
static struct tpage resv_zero;                               /* fallocated twice: zeros as data */

static bool
reserved(const struct tpage *p)
{
	return p == &resv_unwritten || p == &resv_zero;
}

static unsigned long all_charged; /* the sum of every node's charged */

unsigned long
tmpfs_charged(void)
{
	return all_charged;
}

/* Shared-mapped files other than System V segments count the pages their memfd holds, as
 * Linux's shmem charges a tmpfs file or a memfd page by page (VM_NORESERVE: even strict
 * overcommit does not count their size), so a sparse memfd far larger than --memory maps
 * (ZGC's heap, .NET's double mapping). Their pages are touched through mappings unseen:
 * they are read back at each write, resize and statfs, and every MAPPED_SYNC_NS while
 * one of them has holes, so that the resident-memory fence sees them. */
#define MAPPED_SYNC_NS 100000000LL
static int lazy_mapped;              /* such files */
static long long next_mapped_sync;

/* Charges or releases guest memory for node n (sentry/limits.c: --memory). */
static int
charge(struct tmpfs_node *n, unsigned long bytes)
{
	int err = mem_charge(bytes);

	if (!err) {
		n->charged += bytes;
		all_charged += bytes;
	}
	return err;
}

static void
uncharge(struct tmpfs_node *n, unsigned long bytes)
{
	bytes = MIN(bytes, n->charged);
	n->charged -= bytes;
	all_charged -= MIN(bytes, all_charged);
	mem_uncharge(bytes);
}

static void
free_page(struct inode *i, struct tleaf *l, unsigned long k)
{
	struct tmpfs_node *n = node(i);

	if (!reserved(l->slot[k]))
		free(l->slot[k]);
	l->slot[k] = NULL;
	l->count--;
	n->npages--;
	i->sb->bytes_used -= PAGE_SIZE;
	uncharge(n, PAGE_SIZE);
}

/* Frees the leaves free_page emptied. */
static void
prune_leaves(struct inode *i)
{
	struct tmpfs_node *n = node(i);
	struct tleaf *l, *tmp;

	HASH_ITER(hh, n->leaves, l, tmp) {
		if (l->count)
			continue;
		HASH_DEL(n->leaves, l);
		if (n->last == l)
			n->last = NULL;
		free(l);
	}
}

static void
free_all_pages(struct inode *i)
{
	struct tmpfs_node *n = node(i);
	struct tleaf *l, *ltmp;
	struct tpage *p;

	FOR_EACH_PAGE(n, l, ltmp, k, p)
		free_page(i, l, k);
	prune_leaves(i);
}

static void
tmpfs_free_priv(struct inode *i)
{
	struct tmpfs_node *n = node(i);

	if (!n)
		return;
	free_all_pages(i);
	if (n->memfd >= 0) {
		close(n->memfd);
		i->sb->bytes_used -= MIN(i->sb->bytes_used, n->memfd_used);
		DL_DELETE(mapped_files, n);
		lazy_mapped -= !n->whole;
	}
	uncharge(n, n->charged);
	if (n->target && strlen(n->target) + 1 > 128)
		i->sb->bytes_used -= MIN(i->sb->bytes_used, PAGE_SIZE);
	if (n->tmp_reserved && i->sb && i->sb->ninodes)
		i->sb->ninodes--; /* an O_TMPFILE that never got a name */
	free(n->target);
	free(n);
	i->priv = NULL;
}

/* nr_inodes (Linux shmem_reserve_inode): each name of a non-directory, each directory and
 * each unnamed O_TMPFILE holds one; the root holds one. ENOSPC when none is left. */
static int
inode_room(struct super_block *sb)
{
	return sb->max_inodes && sb->ninodes >= sb->max_inodes ? -ENOSPC : 0;
}

/* A tmpfs directory's size is Linux shmem's: 40 bytes empty, 20 more per entry. The
 * overlay's in-memory layer keeps a block size (its directories stand for host ones). */
#define BOGO_DIRENT_SIZE 20

static bool
bogo_sized(const struct inode *dir)
{
	return dir->sb && !(dir->sb->flags & SB_OVERLAY);
}

static void
dir_entries(struct dentry *dir, int delta)
{
	if (bogo_sized(dir->inode) && dir->sb == dir->inode->sb)
		dir->inode->size += delta * BOGO_DIRENT_SIZE;
}

/* Makes i (whose mode is set, and which has no filesystem data) an empty tmpfs object of
 * its type: data, ops, size. The overlay uses it for copy-up. */
void
tmpfs_init_inode(struct inode *i)
{
	mode_t mode = i->mode;

	i->priv = xcalloc(1, sizeof(struct tmpfs_node));
	node(i)->memfd = -1;
	i->free_priv = tmpfs_free_priv;
	i->size = 0;
	i->blocks = 0;
	if (S_ISDIR(mode)) {
		i->iops = &tmpfs_dir_iops;
		i->fops = &tmpfs_dir_fops;
		i->size = bogo_sized(i) ? 2 * BOGO_DIRENT_SIZE : VFS_BLKSIZE;
	} else if (S_ISLNK(mode)) {
		i->iops = &tmpfs_symlink_iops;
		i->fops = &tmpfs_file_fops;
	} else if (S_ISFIFO(mode) || S_ISSOCK(mode)) {
		i->iops = &tmpfs_special_iops;
		i->fops = &tmpfs_file_fops;
	} else {
		i->iops = &tmpfs_file_iops;
		i->fops = &tmpfs_file_fops;
	}
}

static struct inode *
tmpfs_inode(struct super_block *sb, mode_t mode, uid_t uid, gid_t gid)
{
	struct inode *i = inode_new(sb, mode, uid, gid);

	tmpfs_init_inode(i);
	i->btime = i->mtime;
	if (S_ISREG(mode))
		i->seals = F_SEAL_SEAL; /* Linux shmem: only memfd_create's files take seals */
	return i;
}

/* An empty in-memory file of another filesystem's: a file mount's synthetic mount point. */
struct inode *
tmpfs_file_in(struct super_block *sb, mode_t mode)
{
	return tmpfs_inode(sb, mode, 0, 0);
}

struct super_block *
tmpfs_new_sb(const char *source, unsigned long size_limit, mode_t root_mode)
{
	struct super_block *sb = sb_new("tmpfs", source, 0);
	struct dentry *root = d_alloc(NULL, "/");

	root->sb = sb;
	root->inode = tmpfs_inode(sb, S_IFDIR | (root_mode & 07777), 0, 0);
	sb->root = root;
	sb->size_limit = size_limit;
	sb->ninodes = 1;
	return sb;
}

/* ---- data ---- */

static struct tleaf *
find_leaf(struct tmpfs_node *n, unsigned long key)
{
	struct tleaf *l = n->last;

	if (l && l->key == key)
		return l;
	HASH_FIND(hh, n->leaves, &key, sizeof(key), l);
	if (l)
		n->last = l;
	return l;
}

static struct tpage *
find_page(struct inode *i, unsigned long idx)
{
	struct tleaf *l = find_leaf(node(i), idx >> LEAF_SHIFT);

	return l ? l->slot[idx & (LEAF_PAGES - 1)] : NULL;
}

/* The page idx, added if missing; whole: the caller overwrites all of a new page's data,
 * which then needs no zeroing. */
static int
get_page(struct inode *i, unsigned long idx, bool whole, struct tpage **out)
{
	struct super_block *sb = i->sb;
	struct tmpfs_node *n = node(i);
	unsigned long key = idx >> LEAF_SHIFT;
	struct tleaf *l = find_leaf(n, key);
	struct tpage *p = l ? l->slot[idx & (LEAF_PAGES - 1)] : NULL;

	if (p && reserved(p) && out) {
		/* a reserved page gets memory of its own (already charged and counted) */
		struct tpage *own = whole ? malloc(sizeof(*own)) : calloc(1, sizeof(*own));
		if (!own)
			return -ENOSPC;
		own->unwritten = p->unwritten;
		own->idx = idx;
		l->slot[idx & (LEAF_PAGES - 1)] = own;
		p = own;
	}
	if (!p) {
		if (sb->size_limit && sb->bytes_used + PAGE_SIZE > sb->size_limit)
			return -ENOSPC;
		if (charge(n, PAGE_SIZE))
			return -ENOSPC;
		if (!l) {
			l = calloc(1, sizeof(*l));
			if (!l) {
				uncharge(n, PAGE_SIZE);
				return -ENOSPC;
			}
			l->key = key;
			HASH_ADD(hh, n->leaves, key, sizeof(l->key), l);
			n->last = l;
		}
		if (!out) {
			p = &resv_unwritten; /* reserve_page */
		} else {
			p = whole ? malloc(sizeof(*p)) : calloc(1, sizeof(*p));
			if (!p) {
				uncharge(n, PAGE_SIZE);
				return -ENOSPC;
			}
			if (whole)
				memset(p, 0, offsetof(struct tpage, data));
			p->idx = idx;
		}
		l->slot[idx & (LEAF_PAGES - 1)] = p;
		l->count++;
		n->npages++;
		sb->bytes_used += PAGE_SIZE;
		i->blocks = node(i)->npages * (PAGE_SIZE / 512);
	}
	if (out)
		*out = p;
	return 0;
}

/* Reserves page idx (fallocate): counted and charged, no memory of its own yet. */
static int
reserve_page(struct inode *i, unsigned long idx)
{
	return get_page(i, idx, false, NULL);
}

/* Reads back what the host holds for i's memfd into its filesystem's use and st_blocks. */
static void
memfd_sync(struct inode *i)
{
	struct tmpfs_node *n = node(i);
	struct stat st;

	if (n->memfd < 0 || fstat(n->memfd, &st) < 0)
		return;
	unsigned long now = (unsigned long)st.st_blocks * 512;
	i->sb->bytes_used = i->sb->bytes_used - n->memfd_used + now;
	n->memfd_used = now;
	i->blocks = st.st_blocks;
	if (n->whole)
		return;
	if (now > n->charged) { /* (touched already: counted, never refused) */
		mem_charge_force(now - n->charged);
		all_charged += now - n->charged;
		n->charged = now;
	} else {
		uncharge(n, n->charged - now);
	}
}

void
tmpfs_charge_whole(struct inode *i)
{
	node(i)->whole = true;
}

/* Only a file with holes can take more pages unseen (a resize or write reads it back). */
long long
tmpfs_sync_deadline(void)
{
	struct tmpfs_node *n;
	bool holes = false;

	if (!lazy_mapped || !limit_report || !limit_report->mem_limit)
		return 0;
	DL_FOREACH(mapped_files, n)
		if (!n->whole && n->charged < PAGE_UP(n->inode->size)) {
			holes = true;
			break;
		}
	if (!holes)
		return 0;
	if (!next_mapped_sync)
		next_mapped_sync = monotonic_ns() + MAPPED_SYNC_NS;
	return next_mapped_sync;
}

void
tmpfs_sync_mapped(void)
{
	struct tmpfs_node *n;

	DL_FOREACH(mapped_files, n)
		if (!n->whole)
			memfd_sync(n->inode);
	next_mapped_sync = monotonic_ns() + MAPPED_SYNC_NS;
}

void
tmpfs_sync_usage(struct super_block *sb)
{
	struct tmpfs_node *n;

	DL_FOREACH(mapped_files, n)
		if (n->inode->sb == sb)
			memfd_sync(n->inode);
}

void
tmpfs_sync_blocks(struct inode *i)
{
	if (tmpfs_is_file(i))
		memfd_sync(i);
}

/* Which of a write's pages fit in the room left (Linux allocates page by page and stops at
 * the first it cannot have): the memfd's data ranges, in order, and the holes between. */
struct fit {
	unsigned long next, last, room; /* the next page to look at, the write's last */
	unsigned long cut;              /* the first page that does not fit (ULONG_MAX: none) */
};

static bool
fit_holes(struct fit *f, unsigned long end)
{
	if (end <= f->next)
		return true;
	if (end - f->next > f->room) {
		f->cut = f->next + f->room;
		return false;
	}
	f->room -= end - f->next;
	f->next = end;
	return true;
}

static int
fit_span(off_t off, off_t len, void *arg)
{
	struct fit *f = arg;
	unsigned long lo = off / PAGE_SIZE, hi = (off + len - 1) / PAGE_SIZE;

	if (!fit_holes(f, MIN(lo, f->last + 1)))
		return 1;
	f->next = MAX(f->next, hi + 1);
	return f->next > f->last;
}

/* How much of a write of n bytes at off the size limit (and for a lazily charged file
 * --memory) lets through (0: none). */
static size_t
memfd_fit(struct inode *i, off_t off, size_t n)
{
	struct super_block *sb = i->sb;
	struct fit f = { off / PAGE_SIZE, (off + n - 1) / PAGE_SIZE, 0, ULONG_MAX };

	tmpfs_sync_usage(sb);
	f.room = ULONG_MAX;
	if (sb->size_limit)
		f.room = sb->size_limit > sb->bytes_used ? (sb->size_limit - sb->bytes_used) / PAGE_SIZE : 0;
	if (!node(i)->whole)
		f.room = MIN(f.room, mem_room() / PAGE_SIZE);
	vfs_fd_extents(node(i)->memfd, i->size, fit_span, &f);
	if (f.cut == ULONG_MAX && f.next <= f.last)
		fit_holes(&f, f.last + 1);
	if (f.cut == ULONG_MAX)
		return n;
	return (off_t)(f.cut * PAGE_SIZE) > off ? f.cut * PAGE_SIZE - off : 0;
}

/* A shared-mapped file: its data is in a memfd, mapped for real by the stubs. */
static ssize_t
memfd_write(struct inode *i, const void *buf, size_t n, off_t off)
{
	if (!node(i)->whole) {
		if (n && !(n = memfd_fit(i, off, n))) {
			if (!i->sb->size_limit || !mem_room())
				limit_refused(LIMIT_MEMORY, "a write to an in-memory file");
			return -ENOSPC;
		}
		ssize_t r = pwrite(node(i)->memfd, buf, n, off);
		if (r < 0)
			return -errno;
		if (off + r > i->size)
			i->size = off + r;
		memfd_sync(i); /* charges the pages it took */
		return r;
	}
	if (i->sb->size_limit && n && !(n = memfd_fit(i, off, n)))
		return -ENOSPC;

	off_t end = off + n;
	unsigned long grow = end > i->size ? PAGE_UP(end) - PAGE_UP(i->size) : 0;

	if (grow && charge(node(i), grow))
		return -ENOSPC;
	ssize_t r = pwrite(node(i)->memfd, buf, n, off);
	if (r < 0) {
		uncharge(node(i), grow);
		return -errno;
	}
	if (off + r > i->size) {
		uncharge(node(i), grow - (PAGE_UP(off + r) - PAGE_UP(i->size)));
		i->size = off + r;
	} else {
		uncharge(node(i), grow);
	}
	memfd_sync(i);
	return r;
}

/*
 * The file is about to be mapped MAP_SHARED: move its pages into a memfd, which the stubs
 * map for real, so the mapping and read/write see the same bytes in every process.
 * Returns the memfd or -errno.
 */
int
tmpfs_shared_fd(struct inode *i)
{
	struct tmpfs_node *n = node(i);
	struct tleaf *l, *ltmp;
	struct tpage *p;

	if (n->memfd >= 0)
		return n->memfd;
	/* a System V segment's whole size counts from now on */
	unsigned long old_charge = n->charged, size_charge = PAGE_UP(i->size);
	if (n->whole && size_charge > old_charge && charge(n, size_charge - old_charge))
		return -ENOMEM;
	/* sealable: a guest memfd's write seals are the host's too (vfs.c: file_add_seals), so
	 * the host refuses them while a stub maps it writable, and writable mappings after */
	int fd = memfd_create("sandbox-tmpfs", MFD_CLOEXEC | MFD_ALLOW_SEALING);
	if (fd < 0) {
		if (n->whole)
			uncharge(n, n->charged - old_charge);
		return -errno;
	}
	if (ftruncate(fd, i->size) < 0) {
		close(fd);
		return -ENOSPC;
	}
	FOR_EACH_PAGE(n, l, ltmp, k, p) {
		off_t off = (off_t)PAGE_IDX(l, k) * PAGE_SIZE;
		size_t len = MIN(PAGE_SIZE, (size_t)(i->size - off));
		if (reserved(p))
			continue; /* zeros: the memfd's hole reads so */
		if (off < i->size && pwrite(fd, p->data, len, off) != (ssize_t)len) {
			close(fd);
			return -ENOSPC;
		}
	}
	unsigned int wseals = i->seals & (F_SEAL_WRITE | F_SEAL_FUTURE_WRITE);
	if (wseals && fcntl(fd, F_ADD_SEALS, wseals) < 0) { /* (after its contents) */
		close(fd);
		return -ENOSPC;
	}
	unsigned long keep = n->charged;
	free_all_pages(i);
	/* free_page released the pages' charge: the memfd's size stays charged (else
	 * memfd_sync charges the pages the memfd holds) */
	if (n->whole && keep > n->charged) {
		mem_charge_force(keep - n->charged);
		all_charged += keep - n->charged;
		n->charged = keep;
	}
	n->memfd = fd;
	n->memfd_used = 0;
	n->inode = i;
	DL_APPEND(mapped_files, n);
	lazy_mapped += !n->whole;
	memfd_sync(i); /* the same bytes, now in the memfd */
	return fd;
}

static ssize_t
data_write(struct inode *i, const void *buf, size_t n, off_t off)
{
	size_t done = 0;
	int err = 0;

	if (off > TMPFS_MAX_FILESIZE || (off_t)n > TMPFS_MAX_FILESIZE - off)
		return -EFBIG;
	if (node(i)->memfd >= 0)
		return memfd_write(i, buf, n, off);
	if (i->sb->size_limit)
		tmpfs_sync_usage(i->sb); /* (get_page checks the use) */
	while (done < n) {
		off_t o = off + done;
		size_t in = o % PAGE_SIZE, chunk = MIN(n - done, PAGE_SIZE - in);
		struct tpage *p;

		err = get_page(i, o / PAGE_SIZE, chunk == PAGE_SIZE, &p);
		if (err)
			break;
		p->unwritten = false;
		memcpy(p->data + in, (const char *)buf + done, chunk);
		done += chunk;
	}
	if (done == 0 && err)
		return err;
	if (off + (off_t)done > i->size)
		i->size = off + done;
	i->blocks = node(i)->npages * (PAGE_SIZE / 512);
	return done;
}

static ssize_t
data_read(struct inode *i, void *buf, size_t n, off_t off)
{
	size_t done = 0;

	if (off >= i->size)
		return 0;
	n = MIN(n, (size_t)(i->size - off));
	if (node(i)->memfd >= 0) {
		ssize_t r = pread(node(i)->memfd, buf, n, off);
		return r < 0 ? -errno : r;
	}
	while (done < n) {
		off_t o = off + done;
		size_t in = o % PAGE_SIZE, chunk = MIN(n - done, PAGE_SIZE - in);
		struct tpage *p = find_page(i, o / PAGE_SIZE);

		if (p)
			memcpy((char *)buf + done, p->data + in, chunk);
		else
			memset((char *)buf + done, 0, chunk);
		done += chunk;
	}
	return done;
}

static int
data_resize(struct inode *i, off_t size)
{
	struct tleaf *l, *ltmp;
	struct tpage *p;
	unsigned long keep = PAGE_UP(size) / PAGE_SIZE;

	if (size > TMPFS_MAX_FILESIZE)
		return -EFBIG;
	if (node(i)->memfd >= 0 && !node(i)->whole) { /* sparse: pages come when touched */
		if (ftruncate(node(i)->memfd, size) < 0)
			return -errno;
		i->size = size;
		memfd_sync(i);
		return 0;
	}
	if (node(i)->memfd >= 0) {
		unsigned long want = PAGE_UP(size), have = node(i)->charged;
		if (want > have && charge(node(i), want - have))
			return -ENOSPC;
		if (ftruncate(node(i)->memfd, size) < 0) {
			if (want > have)
				uncharge(node(i), want - have);
			return -errno;
		}
		if (want < have)
			uncharge(node(i), have - want);
		i->size = size;
		memfd_sync(i);
		return 0;
	}
	if (size < i->size) {
		FOR_EACH_PAGE(node(i), l, ltmp, k, p)
			if (PAGE_IDX(l, k) >= keep)
				free_page(i, l, k);
		prune_leaves(i);
		p = find_page(i, size / PAGE_SIZE);
		if (p && !reserved(p) && size % PAGE_SIZE)
			memset(p->data + size % PAGE_SIZE, 0, PAGE_SIZE - size % PAGE_SIZE);
	}
	i->size = size;
	i->blocks = node(i)->npages * (PAGE_SIZE / 512);
	return 0;
}

int
tmpfs_mapped_fd(struct inode *i)
{
	return node(i)->memfd;
}

bool
tmpfs_is_file(struct inode *i)
{
	return i->iops == &tmpfs_file_iops;
}

ssize_t
tmpfs_write_at(struct inode *i, const void *buf, size_t n, off_t off)
{
	return data_write(i, buf, n, off);
}

ssize_t
tmpfs_read_at(struct inode *i, void *buf, size_t n, off_t off)
{
	return data_read(i, buf, n, off);
}

/* Data ranges of a host fd (a memfd, a host file) by SEEK_DATA / SEEK_HOLE; all of it when
 * the filesystem cannot tell. */
int
vfs_fd_extents(int fd, off_t size, int (*fn)(off_t off, off_t len, void *arg), void *arg)
{
	off_t pos = 0;

	while (pos < size) {
		off_t data = lseek(fd, pos, SEEK_DATA), hole;
		int err;

		if (data < 0 && errno == ENXIO)
			return 0; /* only a hole is left */
		if (data < 0)
			return fn(pos, size - pos, arg);
		if (data >= size)
			return 0;
		hole = lseek(fd, data, SEEK_HOLE);
		if (hole < 0 || hole > size)
			hole = size;
		err = fn(data, hole - data, arg);
		if (err)
			return err;
		pos = hole;
	}
	return 0;
}

static int
cmp_idx(const void *a, const void *b)
{
	unsigned long x = *(const unsigned long *)a, y = *(const unsigned long *)b;

	return x < y ? -1 : x > y;
}

int
tmpfs_extents(struct inode *i, int (*fn)(off_t off, off_t len, void *arg), void *arg)
{
	struct tmpfs_node *n = node(i);
	_cleanup_free_ unsigned long *idx = NULL;
	struct tleaf *l, *ltmp;
	struct tpage *p;
	size_t k = 0, start;
	int err = 0;

	if (n->memfd >= 0)
		return vfs_fd_extents(n->memfd, i->size, fn, arg);
	idx = xmalloc((n->npages + 1) * sizeof(*idx));
	FOR_EACH_PAGE(n, l, ltmp, slot, p)
		if (!p->unwritten && k < n->npages)
			idx[k++] = PAGE_IDX(l, slot);
	qsort(idx, k, sizeof(*idx), cmp_idx);
	for (size_t j = 0; j < k && !err; j = start) {
		off_t off = (off_t)idx[j] * PAGE_SIZE, end;

		for (start = j + 1; start < k && idx[start] == idx[start - 1] + 1; start++)
			;
		if (off >= i->size)
			break;
		end = MIN((off_t)(idx[start - 1] + 1) * (off_t)PAGE_SIZE, i->size);
		err = fn(off, end - off, arg);
	}
	return err;
}

struct page_span {
	unsigned long first, last, count;
};

static int
count_span(off_t off, off_t len, void *arg)
{
	struct page_span *s = arg;
	unsigned long lo = MAX((unsigned long)off / PAGE_SIZE, s->first);
	unsigned long hi = MIN((unsigned long)(off + len - 1) / PAGE_SIZE, s->last);

	if (lo <= hi)
		s->count += hi - lo + 1;
	return 0;
}

unsigned long
tmpfs_cached_pages(struct inode *i, unsigned long first, unsigned long last)
{
	struct tmpfs_node *n = node(i);
	struct page_span s = { first, last, 0 };
	struct tleaf *l, *ltmp;
	struct tpage *p;

	if (n->memfd >= 0) {
		vfs_fd_extents(n->memfd, i->size, count_span, &s);
		return s.count;
	}
	FOR_EACH_PAGE(n, l, ltmp, k, p)
		if (PAGE_IDX(l, k) >= first && PAGE_IDX(l, k) <= last)
			s.count++;
	return s.count;
}

int
tmpfs_set_link(struct inode *i, const char *target)
{
	struct super_block *sb = i->sb;
	size_t len = strlen(target);

	bool had_page = node(i)->target && strlen(node(i)->target) + 1 > 128;

	tmpfs_sync_usage(sb);
	if (len + 1 > 128 && !had_page && sb->size_limit &&
	    sb->bytes_used + PAGE_SIZE > sb->size_limit)
		return -ENOSPC;
	/* a target past 127 bytes takes a page (Linux shmem_symlink) */
	if (len + 1 > 128 && !had_page)
		sb->bytes_used += PAGE_SIZE;
	else if (len + 1 <= 128 && had_page)
		sb->bytes_used -= MIN(sb->bytes_used, PAGE_SIZE);
	free(node(i)->target);
	node(i)->target = xstrdup(target);
	i->size = len;
	return 0;
}

const char *
tmpfs_link_target(struct inode *i)
{
	return S_ISLNK(i->mode) && node(i) ? node(i)->target : NULL;
}

int
tmpfs_set_data(struct inode *i, const void *data, size_t n)
{
	ssize_t r = data_resize(i, 0);

	if (!r)
		r = data_write(i, data, n, 0);
	return r < 0 ? (int)r : 0;
}

static ssize_t
tmpfs_read(struct file *f, void *buf, size_t n, off_t *pos)
{
	ssize_t r = data_read(f->inode, buf, n, *pos);

	if (r > 0)
		*pos += r;
	return r;
}

static ssize_t
tmpfs_write(struct file *f, const void *buf, size_t n, off_t *pos)
{
	struct inode *i = f->inode;
	ssize_t r;

	if (f->flags & O_APPEND)
		*pos = i->size; /* as on Linux, even for pwrite */
	if (i->seals & (F_SEAL_WRITE | F_SEAL_FUTURE_WRITE))
		return -EPERM;
	if (n == 0)
		return 0;
	if ((i->seals & F_SEAL_GROW) && *pos + (off_t)n > i->size) {
		/* Linux writes page by page and refuses the first page that would grow the
		 * file (shmem_write_begin): the pages before it are written */
		off_t fit = i->size & ~(off_t)(PAGE_SIZE - 1);

		if (fit <= *pos)
			return -EPERM;
		n = fit - *pos;
	}
	r = data_write(i, buf, n, *pos);
	if (r > 0) {
		*pos += r;
		inode_touch(i, true, true);
	}
	return r;
}

/* ---- fallocate and holes ---- */

struct zero_range {
	int fd;
	off_t off, end;
};

/* Zeroes the part of a memfd's data range inside z's range (its holes stay holes). */
static int
zero_span(off_t off, off_t len, void *arg)
{
	static const char zeros[4096];
	struct zero_range *z = arg;
	off_t from = MAX(off, z->off), to = MIN(off + len, z->end);

	for (off_t o = from; o < to; o += sizeof(zeros)) {
		size_t n = MIN((off_t)sizeof(zeros), to - o);
		if (pwrite(z->fd, zeros, n, o) < 0)
			return -errno;
	}
	return 0;
}

/* Zeroes [off, off+n) of the file: partial pages are cleared, whole pages freed. */
static int
punch_hole(struct inode *i, off_t off, off_t len)
{
	off_t end = MIN(off + len, TMPFS_MAX_FILESIZE);
	struct tleaf *l, *ltmp;
	struct tpage *p;

	if (off >= end)
		return 0;
	if (node(i)->memfd >= 0) { /* mapped shared: zeroes in place (the pages stay) */
		struct zero_range z = { node(i)->memfd, off, MIN(end, i->size) };

		return vfs_fd_extents(z.fd, z.end, zero_span, &z);
	}
	FOR_EACH_PAGE(node(i), l, ltmp, k, p) {
		off_t ps = (off_t)(PAGE_IDX(l, k) * PAGE_SIZE), pe = ps + (off_t)PAGE_SIZE;

		if (pe <= off || ps >= end)
			continue;
		if (ps >= off && pe <= end)
			free_page(i, l, k);
		else if (!reserved(p))
			memset(p->data + MAX(off, ps) - ps, 0, MIN(end, pe) - MAX(off, ps));
	}
	prune_leaves(i);
	i->blocks = node(i)->npages * (PAGE_SIZE / 512);
	return 0;
}

/* Allocates the pages of [off, off+len) (zeros, marked unwritten), all or nothing. */
static int
allocate(struct inode *i, off_t off, off_t len)
{
	struct super_block *sb = i->sb;
	unsigned long first = off / PAGE_SIZE, last = (off + len - 1) / PAGE_SIZE, missing = 0;
	unsigned long limit = sb->size_limit ? sb->size_limit : tmpfs_default_limit;
	struct tpage *p;

	if (node(i)->memfd >= 0) {
		/* the host allocates a mapped file's pages as they are touched: the room for
		 * them is what is checked */
		size_t want = (size_t)MIN(len, (off_t)(SSIZE_MAX & ~(PAGE_SIZE - 1)));
		return memfd_fit(i, off, want) < want ? -ENOSPC : 0;
	}
	tmpfs_sync_usage(sb);
	if (last - first + 1 > limit / PAGE_SIZE)
		return -ENOSPC;
	for (unsigned long idx = first; idx <= last; idx++)
		missing += !find_page(i, idx);
	if (sb->bytes_used + missing * PAGE_SIZE > limit)
		return -ENOSPC;
	for (unsigned long idx = first; idx <= last; idx++) {
		if ((p = find_page(i, idx))) {
			/* Linux: fallocated twice is initialized (data) */
			if (p == &resv_unwritten)
				find_leaf(node(i), idx >> LEAF_SHIFT)->slot[idx & (LEAF_PAGES - 1)] = &resv_zero;
			else if (!reserved(p))
				p->unwritten = false;
			continue;
		}
		int err = reserve_page(i, idx);
		if (err)
			return err;
	}
	return 0;
}

/* Linux shmem_fallocate: allocation (FALLOC_FL_KEEP_SIZE: without growing the file) and
 * FALLOC_FL_PUNCH_HOLE; every other mode is EOPNOTSUPP on tmpfs. */
static int
tmpfs_fallocate(struct file *f, int mode, off_t off, off_t len)
{
	struct inode *i = f->inode;
	rlim_t lim = sentry.rlim[RLIMIT_FSIZE].rlim_cur;
	int err;

	if (mode & ~(FALLOC_KEEP_SIZE | FALLOC_PUNCH_HOLE))
		return -EOPNOTSUPP;
	if ((mode & FALLOC_PUNCH_HOLE) && (i->seals & (F_SEAL_WRITE | F_SEAL_FUTURE_WRITE)))
		return -EPERM;
	if (!(mode & FALLOC_PUNCH_HOLE) && (i->seals & F_SEAL_GROW) && off + len > i->size)
		return -EPERM;
	if (mode & FALLOC_PUNCH_HOLE) {
		err = punch_hole(i, off, len);
	} else {
		if ((lim != RLIM_INFINITY && (rlim_t)(off + len) > lim) ||
		    off + len > TMPFS_MAX_FILESIZE)
			return -EFBIG;
		err = allocate(i, off, len);
		if (!err && !(mode & FALLOC_KEEP_SIZE) && off + len > i->size)
			err = data_resize(i, off + len);
	}
	if (!err)
		inode_touch(i, true, true);
	return err;
}

static bool
page_has_data(struct inode *i, unsigned long idx)
{
	struct tpage *p = find_page(i, idx);

	return p && !p->unwritten;
}

/* SEEK_DATA / SEEK_HOLE at page granularity (Linux mapping_seek_hole_data); an offset at
 * or past the end is ENXIO for both. */
static off_t
seek_hole_data(struct file *f, off_t off, int whence)
{
	struct inode *i = f->inode;
	bool want_data = whence == SEEK_DATA;
	struct tleaf *l, *ltmp;
	struct tpage *p;
	off_t found = i->size;

	if (off < 0 || off >= i->size)
		return -ENXIO;
	if (node(i)->memfd >= 0) {
		found = lseek(node(i)->memfd, off, whence);
		if (found < 0)
			return -errno;
	} else if (want_data) {
		FOR_EACH_PAGE(node(i), l, ltmp, k, p) {
			off_t ps = (off_t)(PAGE_IDX(l, k) * PAGE_SIZE);
			if (!p->unwritten && ps + (off_t)PAGE_SIZE > off && ps < found)
				found = MAX(ps, off);
		}
		if (found >= i->size)
			return -ENXIO;
	} else {
		unsigned long idx = off / PAGE_SIZE;
		while ((off_t)(idx * PAGE_SIZE) < i->size && page_has_data(i, idx))
			idx++;
		found = MIN(MAX((off_t)(idx * PAGE_SIZE), off), i->size);
	}
	f->pos = found;
	return found;
}

static off_t
tmpfs_llseek(struct file *f, off_t off, int whence)
{
	/* a sysfs attribute's size is a page's (inode_fill_stat), data all through */
	if (!strcmp(f->inode->sb->fstype, "sysfs"))
		return generic_llseek(f, off, whence, 4096);
	if (whence == SEEK_DATA || whence == SEEK_HOLE)
		return seek_hole_data(f, off, whence);
	return generic_llseek(f, off, whence, f->inode->size);
}

/* sysfs is made of tmpfs files here; Linux's text attributes are seq_files (kernfs with
 * seq_show), which take no pwrite. */
static bool
tmpfs_seq(struct file *f)
{
	return !strcmp(f->inode->sb->fstype, "sysfs");
}

static const struct file_ops tmpfs_file_fops = {
	.read = tmpfs_read,
	.write = tmpfs_write,
	.llseek = tmpfs_llseek,
	.fallocate = tmpfs_fallocate,
	.pread_ok = true,
	.seq_file = tmpfs_seq,
};

const struct file_ops tmpfs_dir_fops = {
	.getdents64 = dcache_getdents64,
	.pread_ok = true,
};

/* ---- attributes ---- */

int
tmpfs_setattr(struct dentry *d, const struct iattr *ia)
{
	struct inode *i = d->inode;
	int err;

	if (ia->valid & ATTR_SIZE) {
		if (!S_ISREG(i->mode))
			return -EINVAL;
		if ((ia->size < i->size && (i->seals & F_SEAL_SHRINK)) ||
		    (ia->size > i->size && (i->seals & F_SEAL_GROW)))
			return -EPERM;
		if (ia->size != i->size) {
			err = data_resize(i, ia->size);
			if (err)
				return err;
		}
		inode_touch(i, true, false);
	}
	inode_set_attrs(i, ia);
	return 0;
}

static int
tmpfs_readlink(struct task *t, struct dentry *d, char **out)
{
	*out = xstrdup(node(d->inode)->target);
	return 0;
}

static const struct inode_ops tmpfs_file_iops = {
	.setattr = tmpfs_setattr,
};

/* FIFOs open as pipes (fs/pipe.c); opening a socket is ENXIO on Linux too. */
static int
tmpfs_special_open(struct task *t, struct file *f)
{
	return S_ISFIFO(f->inode->mode) ? fifo_open(t, f) : -ENXIO;
}

static const struct inode_ops tmpfs_special_iops = {
	.setattr = tmpfs_setattr,
	.open = tmpfs_special_open,
};

/* A device node a guest made (mknod): no driver behind it, opening it is ENXIO. (The
 * sandbox's own /dev nodes get their file operations from fs/devfs.c.) */
void
tmpfs_driverless_device(struct inode *i)
{
	i->iops = &tmpfs_special_iops;
}

static const struct inode_ops tmpfs_symlink_iops = {
	.readlink = tmpfs_readlink,
	.setattr = tmpfs_setattr,
};

/* ---- directories ---- */

static int
tmpfs_create(struct dentry *dir, struct dentry *d, mode_t mode, dev_t rdev, uid_t uid, gid_t gid)
{
	if (inode_room(dir->sb))
		return -ENOSPC;
	struct inode *i = tmpfs_inode(dir->sb, mode, uid, gid);

	dir->sb->ninodes++;
	i->iflags = dir->inode->iflags & IFL_INHERITED;
	i->rdev = rdev;
	d->inode = i;
	if (S_ISDIR(mode))
		dir->inode->nlink++;
	dir_entries(dir, 1);
	inode_touch(dir->inode, true, true);
	return 0;
}

/* O_TMPFILE: a regular file without a name (linkat may give it one). */
static int
tmpfs_tmpfile(struct dentry *dir, struct dentry *d, mode_t mode, uid_t uid, gid_t gid)
{
	if (inode_room(dir->sb))
		return -ENOSPC;
	struct inode *i = tmpfs_inode(dir->sb, mode, uid, gid);

	dir->sb->ninodes++;
	i->iflags = dir->inode->iflags & IFL_INHERITED;
	node(i)->tmp_reserved = true;
	i->nlink = 0;
	d->inode = i;
	return 0;
}

static int
tmpfs_symlink(struct dentry *dir, struct dentry *d, const char *target, uid_t uid, gid_t gid)
{
	struct super_block *sb = dir->sb;
	size_t len = strlen(target);
	struct inode *i;

	/* Linux shmem_symlink: a target of up to 127 bytes lives in the inode, a longer one
	 * takes a page */
	tmpfs_sync_usage(sb);
	if ((len + 1 > 128 && sb->size_limit && sb->bytes_used + PAGE_SIZE > sb->size_limit) ||
	    inode_room(sb))
		return -ENOSPC;
	i = tmpfs_inode(sb, S_IFLNK | 0777, uid, gid);
	sb->ninodes++;
	i->iflags = dir->inode->iflags & IFL_INHERITED;
	tmpfs_set_link(i, target);
	d->inode = i;
	dir_entries(dir, 1);
	inode_touch(dir->inode, true, true);
	return 0;
}

static int
tmpfs_link(struct dentry *old, struct dentry *dir, struct dentry *d)
{
	struct inode *i = old->inode;

	if (i->nlink >= 65000)
		return -EMLINK;
	if (i->nlink == 0 && i->priv && node(i)->tmp_reserved) {
		node(i)->tmp_reserved = false; /* its reservation goes to the name */
	} else {
		if (inode_room(dir->sb))
			return -ENOSPC;
		dir->sb->ninodes++;
	}
	i->nlink++;
	inode_touch(i, false, true);
	d->inode = iget(i);
	dir_entries(dir, 1);
	inode_touch(dir->inode, true, true);
	return 0;
}

/* Drops one name of d's inode (the VFS unhashes the dentry). */
static void
drop_link(struct dentry *dir, struct dentry *d)
{
	if (dir->sb->ninodes)
		dir->sb->ninodes--;
	inode_drop_link(dir->inode, d->inode);
	dir_entries(dir, -1);
}

static int
tmpfs_unlink(struct dentry *dir, struct dentry *d)
{
	drop_link(dir, d);
	inode_touch(dir->inode, true, true);
	return 0;
}

static int
tmpfs_rename(struct dentry *odir, struct dentry *od, struct dentry *ndir, struct dentry *nd,
	     unsigned flags)
{
	bool odirp = S_ISDIR(od->inode->mode);

	if (flags & RENAME_EXCHANGE) {
		bool ndirp = S_ISDIR(nd->inode->mode);

		if (odir != ndir && odirp != ndirp) {
			if (odirp) {
				odir->inode->nlink--;
				ndir->inode->nlink++;
			} else {
				ndir->inode->nlink--;
				odir->inode->nlink++;
			}
		}
		inode_touch(nd->inode, false, true);
	} else {
		if (nd->inode)
			drop_link(ndir, nd);
		if (odirp && odir != ndir) {
			odir->inode->nlink--;
			ndir->inode->nlink++;
		}
		dir_entries(odir, -1);
		dir_entries(ndir, 1);
	}
	inode_touch(od->inode, false, true);
	inode_touch(odir->inode, true, true);
	inode_touch(ndir->inode, true, true);
	return 0;
}

const struct inode_ops tmpfs_dir_iops = {
	.create = tmpfs_create,
	.tmpfile = tmpfs_tmpfile,
	.symlink = tmpfs_symlink,
	.link = tmpfs_link,
	.unlink = tmpfs_unlink,
	.rename = tmpfs_rename,
	.setattr = tmpfs_setattr,
};

/* Setup helper (devfs, sysfs): adds name under dir owned by root. */
struct dentry *
tmpfs_add(struct dentry *dir, const char *name, mode_t mode, const char *target)
{
	struct dentry *d = d_alloc(dir, name);

	if (S_ISLNK(mode))
		tmpfs_symlink(dir, d, target, 0, 0);
	else
		tmpfs_create(dir, d, mode, 0, 0, 0);
	d_hash(d);
	dput(d);
	return d;
}
