/*
 * File handles (name_to_handle_at, open_by_handle_at) for the sentry's own filesystems.
 *
 * Exportable, as on Linux: tmpfs (and /dev, /dev/shm, which are tmpfs here) and the host
 * filesystems (hostfs, overlay: the host's own are exportable). A handle names the inode
 * by number with the super block's device as its generation word; decoding looks the
 * number up among the super block's named dentries (a tmpfs tree lives in memory, a host
 * one holds every name looked up, and name_to_handle_at looked the name up). Others (proc,
 * sysfs, devpts, mqueue, pipes, sockets) have no export operations: a handle of one is
 * only an identifier (AT_HANDLE_FID), which no mount decodes (ESTALE).
 *
 * Not kept: a file that has no name any more but is still open decodes as ESTALE here,
 * where Linux still finds its inode.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>

#include "fs/internal.h"
#include "fs/vfs.h"
#include "sentry/sentry.h"

#define FILEID_INO32_GEN 1
#define FILEID_INO64_GEN 0x81
#define FILEID_IS_CONNECTABLE 0x10000
#define FILEID_IS_DIR 0x20000
#define FILEID_USER_FLAGS_MASK 0xffff0000

/* the most dentries a decode visits (a bound on one call's work) */
#define FH_WALK_MAX (1 << 20)

static bool
exportable(const struct super_block *sb)
{
	return !strcmp(sb->fstype, "tmpfs") || !strcmp(sb->fstype, "overlay") ||
	       !strcmp(sb->fstype, "hostfs");
}

static void
put32(unsigned char *p, uint32_t v)
{
	memcpy(p, &v, 4);
}

static uint32_t
get32(const unsigned char *p)
{
	uint32_t v;

	memcpy(&v, p, 4);
	return v;
}

int
vfs_name_to_handle(struct task *t, struct file *dirf, const char *path, int at_flags,
		   unsigned fh_flags, struct vfs_handle *h, int *mnt_id)
{
	struct path p;
	int err;

	err = vfs_resolve_at(t, dirf, path, at_flags, &p);
	if (err)
		return err;
	if (!p.d || !p.d->inode || !p.mnt) {
		path_put(&p);
		return -EOPNOTSUPP;
	}
	struct inode *ino = p.d->inode;
	bool fid = fh_flags & VFS_FH_FID;

	if (!fid && !exportable(ino->sb)) {
		path_put(&p);
		return -EOPNOTSUPP;
	}
	*mnt_id = p.mnt->id;
	memset(h->f, 0, sizeof(h->f));
	if (exportable(ino->sb)) {
		/* inode number (64 bits), then the super block's device as generation */
		h->bytes = 12;
		h->type = FILEID_INO64_GEN;
		put32(h->f, (uint32_t)ino->ino);
		put32(h->f + 4, (uint32_t)((uint64_t)ino->ino >> 32));
		put32(h->f + 8, (uint32_t)ino->sb->dev);
	} else {
		/* Linux's generic encoding (exportfs_encode_inode_fh): 32-bit number, gen 0 */
		h->bytes = 8;
		h->type = FILEID_INO32_GEN;
		put32(h->f, (uint32_t)ino->ino);
	}
	if (fh_flags & VFS_FH_CONNECTABLE) {
		h->type |= FILEID_IS_CONNECTABLE;
		if (S_ISDIR(ino->mode))
			h->type |= FILEID_IS_DIR;
	}
	path_put(&p);
	return 0;
}

/* The named dentry of inode number nr in sb (a reference), or NULL. */
static struct dentry *
find_ino(struct super_block *sb, ino_t nr)
{
	struct dentry **stack = NULL, *d, *c, *tmp, *found = NULL;
	size_t n = 0, cap = 0;
	long visits = 0;

	if (!sb->root)
		return NULL;
	stack = xmalloc(sizeof(*stack) * (cap = 64));
	stack[n++] = sb->root;
	while (n && !found && visits < FH_WALK_MAX) {
		d = stack[--n];
		visits++;
		if (d->inode && d->inode->ino == nr) {
			found = dget(d);
			break;
		}
		if (!d->inode || !S_ISDIR(d->inode->mode))
			continue;
		HASH_ITER(hh, d->children, c, tmp) {
			if (!c->inode)
				continue;
			if (n == cap) {
				struct dentry **bigger = xmalloc(sizeof(*stack) * cap * 2);
				memcpy(bigger, stack, sizeof(*stack) * cap);
				free(stack);
				stack = bigger;
				cap *= 2;
			}
			stack[n++] = c;
		}
	}
	free(stack);
	return found;
}

int
vfs_open_by_handle(struct task *t, struct file *anchor, const struct vfs_handle *h, int flags,
		   struct file **out)
{
	struct path root;
	int err;

	*out = NULL;
	/* a FIFO open that waited for the other end completes with the file it began (as
	 * vfs_openat2's): opening it again would count a second reader or writer and leave
	 * the first wait behind, which a later open of this task then took for its own */
	if (t && t->wait_rerun && (err = fifo_open_resume(t, out)) != 0)
		return err == 1 ? 0 : err;
	if (anchor) {
		if (!anchor->path.d || !anchor->path.mnt)
			return -ESTALE;
		root = anchor->path;
	} else {
		if (!t || !t->fs)
			return -ESTALE;
		root = t->fs->cwd;
	}
	struct super_block *sb = root.mnt->sb;
	int type = h->type & ~FILEID_USER_FLAGS_MASK;

	if (!exportable(sb) || type != FILEID_INO64_GEN || h->bytes != 12 ||
	    get32(h->f + 8) != (uint32_t)sb->dev)
		return -ESTALE;
	ino_t nr = (ino_t)((uint64_t)get32(h->f) | (uint64_t)get32(h->f + 4) << 32);
	struct dentry *d = find_ino(sb, nr);
	if (!d)
		return -ESTALE;
	if ((h->type & FILEID_IS_DIR) && !S_ISDIR(d->inode->mode)) {
		dput(d);
		return -ESTALE;
	}
	struct path p = { .mnt = root.mnt, .d = d }; /* (find_ino's reference) */
	/* Linux file_open_handle: an open of the object itself ("" below it) */
	err = vfs_open_at_path(t, &p, flags & ~(O_CREAT | O_EXCL | O_NOFOLLOW), out);
	path_put(&p);
	return err;
}
