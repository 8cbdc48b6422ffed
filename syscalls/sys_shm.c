/*
 * System V shared memory: shmget, shmat, shmdt, shmctl (Linux ipc/shm.c).
 * A segment is a file on the sentry's internal tmpfs whose data lives in a host memfd
 * (vfs_sysv_shm_create), so an attach is a real MAP_SHARED mapping of it in the stub:
 * processes share its bytes, fork inherits attaches, exec and exit drop them, and the
 * address space records show "/SYSV<key> (deleted)". An attach is a mapping in those
 * records: shm_nattch counts the mappings of the segment in every address space (as
 * Linux counts its vmas), and a removed segment goes once none is left.
 */
#include <errno.h>
#include <linux/capability.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ipc.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/shm.h>
#include <sys/stat.h>

#include "fs/vfs.h"
#include "syscalls/internal.h"
#include "syscalls/ipc.h"

#define SHM_MIN 1UL
#define SHM_MAX ipc_sysctl(IPC_SC_SHMMAX)   /* kernel.shmmax, shmall, shmmni */
#define SHM_ALL ipc_sysctl(IPC_SC_SHMALL)
#define SHM_MNI ((int)ipc_sysctl(IPC_SC_SHMMNI))
#define SHM_LBA PAGE_SIZE

struct shm_seg {
	struct ipc_obj perm;
	unsigned long size;
	struct file *f, *f_ro;    /* open read-write, read-only (SHM_RDONLY) */
	unsigned long dev, ino;
	long atime, dtime, ctime;
	int cpid, lpid;
};

/* x86-64 struct shmid64_ds, shminfo64, shm_info */
struct shmid_ds64 {
	struct ipc_perm64 perm;
	unsigned long segsz;
	long atime, dtime, ctime;
	int cpid, lpid;
	unsigned long nattch, unused4, unused5;
};
struct shminfo_64 {
	unsigned long shmmax, shmmin, shmmni, shmseg, shmall, unused[4];
};
struct shm_info_64 {
	int used_ids;
	unsigned long shm_tot, shm_rss, shm_swp, swap_attempts, swap_successes;
};


static struct shm_seg *
seg_of(struct ipc_obj *o)
{
	return (struct shm_seg *)o;
}

static bool
vma_of_seg(const struct vma *v, const struct shm_seg *s)
{
	return v->name && v->name->ino == s->ino && v->name->dev == s->dev;
}

/* Mappings of s in every address space (each counted once however many tasks share it). */
static unsigned long
seg_nattch(struct shm_seg *s)
{
	struct mm *seen[64];
	int nseen = 0;
	unsigned long n = 0;

	for (struct task *t = task_next(NULL); t; t = task_next(t)) {
		struct mm *mm = t->mm;
		bool dup = false;
		if (!mm)
			continue;
		for (int i = 0; i < nseen && !dup; i++)
			dup = seen[i] == mm;
		if (dup)
			continue;
		if (nseen < (int)(sizeof(seen) / sizeof(seen[0])))
			seen[nseen++] = mm;
		else /* many address spaces: tasks sharing one are checked by a scan */
			for (struct task *u = task_next(NULL); u != t && !dup; u = task_next(u))
				dup = u->mm == mm;
		if (dup)
			continue;
		for (int i = 0; i < mm->nvmas; i++)
			n += vma_of_seg(&mm->vmas[i], s);
	}
	return n;
}

static void
seg_free(struct shm_seg *s)
{
	struct ipc_ns *ns = s->perm.ns;
	ipc_remove(&ns->shm_ids, &s->perm);
	ns->shm_tot -= PAGE_UP(s->size) / PAGE_SIZE;
	file_put(s->f);
	file_put(s->f_ro);
	free(s);
}

/* Removed segments no address space maps any more go now (in every IPC namespace: a
 * process may have left the one its mappings came from). */
void
shm_collect(void)
{
	for (struct ipc_ns *ns = ipc_ns_next(NULL); ns; ns = ipc_ns_next(ns)) {
		for (int i = 0; ns->shm_ids.in_use && i < ns->shm_ids.cap; i++) {
			struct ipc_obj *o = ns->shm_ids.slot[i];
			if (o && (o->mode & SHM_DEST) && seg_nattch(seg_of(o)) == 0)
				seg_free(seg_of(o));
		}
	}
	ipc_ns_gc();
}

/* The namespace's last user left (Linux shm_exit_ns): every segment is removed as by
 * IPC_RMID, those still attached at their last detach. */
void
shm_ns_exit(struct ipc_ns *ns)
{
	for (int i = 0; i < ns->shm_ids.cap; i++) {
		struct ipc_obj *o = ns->shm_ids.slot[i];
		if (o) {
			o->mode |= SHM_DEST;
			o->key = IPC_PRIVATE;
		}
	}
	shm_collect();
}

/* The segment a mapping shows, or NULL. */
static struct shm_seg *
seg_of_vma(const struct vma *v)
{
	for (struct ipc_ns *ns = ipc_ns_next(NULL); ns; ns = ipc_ns_next(ns)) {
		for (int i = 0; ns->shm_ids.in_use && i < ns->shm_ids.cap; i++) {
			struct ipc_obj *o = ns->shm_ids.slot[i];
			if (o && vma_of_seg(v, seg_of(o)))
				return seg_of(o);
		}
	}
	return NULL;
}

/* Linux remap_file_pages on an attach of a removed segment: its emulation closes the old
 * mapping before making the new one, so with no other attach left the segment is destroyed
 * first and the new mapping finds no segment (shm_mmap: EINVAL), the range left unmapped.
 * True when that happened to [start, start + size), which lies in one attach of t's. */
bool
shm_remap_destroys(struct task *t, unsigned long start, unsigned long size)
{
	struct vma *v;
	struct shm_seg *s;
	unsigned long end, inside = 0;

	start &= ~(PAGE_SIZE - 1);
	size &= ~(PAGE_SIZE - 1);
	end = start + size;
	if (!t->mm || !size || end <= start || !(v = mm_find_vma(t->mm, start)) ||
	    end > v->end || !(v->flags & VMA_SHARED) || !(s = seg_of_vma(v)) ||
	    !(s->perm.mode & SHM_DEST))
		return false;
	/* the attaches the old range ends: those it covers whole (one cut is still there) */
	for (int i = 0; i < t->mm->nvmas; i++) {
		const struct vma *w = &t->mm->vmas[i];
		inside += vma_of_seg(w, s) && w->start >= start && w->end <= end;
	}
	if (seg_nattch(s) > inside)
		return false;
	mm_munmap(t, start, size);
	shm_collect();
	return true;
}

void
shm_detach_all(struct task *t, struct mm *mm)
{
	for (int i = 0; i < mm->nvmas; i++) {
		struct shm_seg *s = seg_of_vma(&mm->vmas[i]);
		if (s) {
			s->dtime = ipc_now();
			s->lpid = t->tgid;
		}
	}
}

static long
shm_create(struct task *t, key_t key, size_t size, int flg)
{
	struct ipc_ns *ns = ipc_ns_of(t);
	unsigned long pages = PAGE_UP(size) / PAGE_SIZE;
	struct shm_seg *s;
	struct stat st;
	int err;

	if (size < SHM_MIN || size > SHM_MAX)
		return -EINVAL;
	if (pages == 0 || ns->shm_tot + pages < ns->shm_tot || ns->shm_tot + pages > SHM_ALL)
		return -ENOSPC;
	ns->shm_ids.mni = SHM_MNI;
	if (ns->shm_ids.in_use >= ns->shm_ids.mni)
		return -ENOSPC;
	if (flg & SHM_HUGETLB) {
		/* Linux newseg: a huge page size x86-64 has not (the default, 2M, 1G) is EINVAL;
		 * hugetlb_file_setup: without CAP_IPC_LOCK or vm.hugetlb_shm_group (0) EPERM,
		 * whatever RLIMIT_MEMLOCK (only a warning since 5.x); then there are none to
		 * reserve here (/proc/meminfo: HugePages_Total 0): ENOMEM */
		if (huge_page_shift((flg >> 26) & 0x3f) < 0) /* SHM_HUGE_SHIFT, SHM_HUGE_MASK */
			return -EINVAL;
		if (!task_capable(t, CAP_IPC_LOCK) && !ipc_in_group(t, 0))
			return -EPERM;
		return -ENOMEM;
	}
	s = xcalloc(1, sizeof(*s));
	err = vfs_sysv_shm_create(t, key, size, &s->f, &s->f_ro);
	if (err) {
		free(s);
		return err;
	}
	if (file_stat(s->f, &st) == 0) {
		s->dev = st.st_dev;
		s->ino = st.st_ino;
	}
	s->size = size;
	s->cpid = t->tgid;
	s->ctime = ipc_now();
	err = ipc_add(&ns->shm_ids, &s->perm, t, key, flg);
	if (err < 0) {
		file_put(s->f);
		file_put(s->f_ro);
		free(s);
		return err;
	}
	ns->shm_tot += pages;
	return err;
}

SYSCALL(shmget)
{
	struct ipc_ns *ns = ipc_ns_of(t);
	key_t key = (key_t)a->a[0];
	size_t size = a->a[1];
	int flg = (int)a->a[2];
	struct ipc_obj *o;

	shm_collect();
	if (key == IPC_PRIVATE)
		return shm_create(t, key, size, flg);
	o = ipc_find_key(&ns->shm_ids, key);
	if (!o)
		return flg & IPC_CREAT ? shm_create(t, key, size, flg) : -ENOENT;
	if ((flg & IPC_CREAT) && (flg & IPC_EXCL))
		return -EEXIST;
	if (ipc_perms(t, o, flg))
		return -EACCES;
	if (size > seg_of(o)->size)
		return -EINVAL;
	return o->id;
}

static bool
range_free(struct mm *mm, unsigned long addr, unsigned long len)
{
	for (int i = 0; i < mm->nvmas; i++)
		if (mm->vmas[i].start < addr + len && mm->vmas[i].end > addr)
			return false;
	return true;
}

SYSCALL(shmat)
{
	struct ipc_ns *ns = ipc_ns_of(t);
	int id = (int)a->a[0];
	unsigned long addr = a->a[1];
	int flg = (int)a->a[2];
	int prot = PROT_READ, acc = S_IRUGO, flags = MAP_SHARED;
	struct ipc_obj *o;
	long r;

	if (id < 0)
		return -EINVAL;
	if (addr) {
		if (addr & (SHM_LBA - 1)) {
			if (!(flg & SHM_RND))
				return -EINVAL;
			addr &= ~(SHM_LBA - 1);
			if (!addr && (flg & SHM_REMAP))
				return -EINVAL;
		}
		flags |= MAP_FIXED;
	} else if (flg & SHM_REMAP) {
		return -EINVAL;
	}
	if (!(flg & SHM_RDONLY)) {
		prot |= PROT_WRITE;
		acc |= S_IWUGO;
	}
	if (flg & SHM_EXEC) {
		prot |= PROT_EXEC;
		acc |= S_IXUGO;
	}
	o = ipc_lookup(&ns->shm_ids, id);
	if (!o)
		return -EINVAL;
	if (ipc_perms(t, o, acc))
		return -EACCES;
	struct shm_seg *s = seg_of(o);
	if (addr && !(flg & SHM_REMAP) && !range_free(t->mm, addr, PAGE_UP(s->size)))
		return -EINVAL;
	if (addr && mm_range_reserved(addr, PAGE_UP(s->size)))
		return -EINVAL;
	r = mm_map_file(t, addr, PAGE_UP(s->size), prot, flags,
			(flg & SHM_RDONLY) ? s->f_ro : s->f, 0);
	if (r < 0)
		return r;
	s->atime = ipc_now();
	s->lpid = t->tgid;
	return r;
}

/* Does v start where an attach at addr would put its offset (Linux's vm_pgoff test)? */
static bool
attach_part(const struct vma *v, unsigned long addr)
{
	return v->start >= addr && v->start - addr == v->off;
}

SYSCALL(shmdt)
{
	unsigned long addr = a->a[0];
	struct mm *mm = t->mm;
	struct shm_seg *s = NULL;
	int i;

	if (addr & (PAGE_SIZE - 1))
		return -EINVAL;
	for (i = 0; i < mm->nvmas; i++) {
		struct vma *v = &mm->vmas[i];
		if (v->end <= addr || !attach_part(v, addr))
			continue;
		s = seg_of_vma(v);
		if (s)
			break;
	}
	if (!s)
		return -EINVAL;
	/* then every part of that attach within the segment's size (mprotect splits them) */
	unsigned long size = PAGE_UP(s->size);
	int err = mm_munmap(t, mm->vmas[i].start, mm->vmas[i].end - mm->vmas[i].start);
	while (!err) {
		struct vma *next = NULL;
		for (i = 0; i < mm->nvmas; i++) {
			struct vma *v = &mm->vmas[i];
			if (v->start < addr)
				continue;
			if (v->end - addr > size)
				break;
			if (vma_of_seg(v, s) && attach_part(v, addr)) {
				next = v;
				break;
			}
		}
		if (!next)
			break;
		err = mm_munmap(t, next->start, next->end - next->start);
	}
	if (err)
		return err;
	s->dtime = ipc_now();
	s->lpid = t->tgid;
	shm_collect();
	return 0;
}

static void
fill_ds(struct shm_seg *s, struct shmid_ds64 *ds)
{
	memset(ds, 0, sizeof(*ds));
	ipc_fill_perm(&s->perm, &ds->perm);
	ds->segsz = s->size;
	ds->atime = s->atime;
	ds->dtime = s->dtime;
	ds->ctime = s->ctime;
	ds->cpid = ipc_view_pid(s->cpid);
	ds->lpid = ipc_view_pid(s->lpid);
	ds->nattch = seg_nattch(s);
}

static long
shm_info(struct task *t, int cmd, unsigned long buf)
{
	struct ipc_ns *ns = ipc_ns_of(t);
	int max = ipc_max_idx(&ns->shm_ids);

	if (cmd == IPC_INFO) {
		struct shminfo_64 in = { SHM_MAX, SHM_MIN, SHM_MNI, SHM_MNI, SHM_ALL, { 0 } };
		if (copy_to_guest(t, buf, &in, sizeof(in)))
			return -EFAULT;
		return max;
	}
	struct shm_info_64 in = { 0 };
	in.used_ids = ns->shm_ids.in_use;
	in.shm_tot = ns->shm_tot;
	in.shm_rss = ns->shm_tot;
	if (copy_to_guest(t, buf, &in, sizeof(in)))
		return -EFAULT;
	return max;
}

static long
shm_stat(struct task *t, struct ipc_obj *o, int cmd, unsigned long buf)
{
	struct shmid_ds64 ds;

	if (cmd != SHM_STAT_ANY && ipc_perms(t, o, S_IRUGO))
		return -EACCES;
	fill_ds(seg_of(o), &ds);
	if (cmd == IPC_STAT)
		ds.perm.key = o->key;
	if (copy_to_guest(t, buf, &ds, sizeof(ds)))
		return -EFAULT;
	return cmd == IPC_STAT ? 0 : o->id;
}

static long
shm_set(struct task *t, struct ipc_obj *o, int cmd, unsigned long buf)
{
	struct shmid_ds64 ds;
	int err = ipc_owner(t, o);

	if (cmd == IPC_SET) {
		if (copy_from_guest(t, &ds, buf, sizeof(ds)))
			return -EFAULT;
		if (err)
			return err;
		if ((err = ipc_set_perm(o, &ds.perm)))
			return err;
		seg_of(o)->ctime = ipc_now();
		return 0;
	}
	if (err)
		return err;
	/* IPC_RMID: the key goes at once, the segment with its last attach */
	o->mode |= SHM_DEST;
	o->key = IPC_PRIVATE;
	shm_collect();
	return 0;
}

SYSCALL(shmctl)
{
	struct ipc_ns *ns = ipc_ns_of(t);
	int id = (int)a->a[0];
	int cmd = (int)a->a[1] & ~IPC_64;
	unsigned long buf = a->a[2];
	struct ipc_obj *o;

	if (cmd < 0 || id < 0)
		return -EINVAL;
	shm_collect();
	switch (cmd) {
	case IPC_INFO:
	case SHM_INFO:
		return shm_info(t, cmd, buf);
	case SHM_STAT:
	case SHM_STAT_ANY:
		o = ipc_at(&ns->shm_ids, id);
		return o ? shm_stat(t, o, cmd, buf) : -EINVAL;
	case IPC_STAT:
	case IPC_SET:
	case IPC_RMID:
	case SHM_LOCK:
	case SHM_UNLOCK:
		break;
	default:
		return -EINVAL;
	}
	if (cmd == IPC_SET) { /* read before the lookup, as Linux: EFAULT first */
		struct shmid_ds64 ds;
		if (copy_from_guest(t, &ds, buf, sizeof(ds)))
			return -EFAULT;
	}
	o = ipc_lookup(&ns->shm_ids, id);
	if (!o)
		return -EINVAL;
	if (cmd == IPC_STAT)
		return shm_stat(t, o, cmd, buf);
	if (cmd == SHM_LOCK || cmd == SHM_UNLOCK) {
		if (!ipc_capable(t) && t->euid != o->cuid && t->euid != o->uid)
			return -EPERM;
		if (cmd == SHM_LOCK)
			o->mode |= SHM_LOCKED;
		else
			o->mode &= ~SHM_LOCKED;
		return 0;
	}
	return shm_set(t, o, cmd, buf);
}

void
shm_proc(struct ipc_text *x)
{
	struct ipc_ns *ns = ipc_ns_of(NULL);
	shm_collect();
	ipc_text_printf(x, "       key      shmid perms                  size  cpid  lpid nattch   uid   "
			"gid  cuid  cgid      atime      dtime      ctime                   rss"
			"                  swap\n");
	for (int i = 0; i < ns->shm_ids.cap; i++) {
		struct ipc_obj *o = ns->shm_ids.slot[i];
		if (!o)
			continue;
		struct shm_seg *s = seg_of(o);
		ipc_text_printf(x, "%10d %10d  %4o %21lu %5u %5u  %5lu %5u %5u %5u %5u %10ld %10ld "
				"%10ld %21lu %21lu\n",
				o->key, o->id, o->mode, s->size, ipc_view_pid(s->cpid),
				ipc_view_pid(s->lpid), seg_nattch(s),
				ipc_view_uid(o->uid), ipc_view_gid(o->gid), ipc_view_uid(o->cuid),
				ipc_view_gid(o->cgid), s->atime, s->dtime, s->ctime,
				PAGE_UP(s->size), 0UL);
	}
}
