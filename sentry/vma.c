/*
 * The records of a guest address space: one struct vma per mapping, sorted by address in an
 * array (binary search; the few hundred mappings of a typical process make the moves cheap).
 * Every mapping a stub has is made through the sentry, so these records are the layout:
 * they place new mappings, carry the --memory charge and generate /proc/[pid]/maps.
 *
 * Charging follows Linux's strict overcommit accounting (vm.overcommit_memory=2): a private
 * writable mapping is charged its whole size when made (or when mprotect first makes it
 * writable), shared anonymous memory once per object, nothing for read-only or shared file
 * mappings; fork charges the child again; munmap, exit and exec release. Unlike strict mode,
 * MAP_NORESERVE mappings are not charged (as in Linux's default mode, so sanitizer shadows
 * and sparse arrays work), nor are thread stacks (private anonymous MAP_STACK): the pages
 * touched in them are what the CLI's resident-memory fence sees.
 */
#include <limits.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/random.h>

#include "fs/vfs.h"
#include "platform/platform.h"
#include "sentry/sentry.h"
#include "sentry/vma.h"

/* ---- names and shared objects ---- */

struct mm_name *
mm_name_new(const char *path, unsigned long dev, unsigned long ino)
{
	size_t len = strlen(path);
	struct mm_name *n = xmalloc(sizeof(*n) + len + 1);

	n->refs = 1;
	n->dev = dev;
	n->ino = ino;
	n->where = NULL;
	memcpy(n->path, path, len + 1);
	return n;
}

static struct mm_name *
name_get(struct mm_name *n)
{
	if (n)
		n->refs++;
	return n;
}

void
mm_name_put(struct mm_name *n)
{
	if (n && --n->refs == 0) {
		vfs_where_put(n->where);
		free(n);
	}
}

struct mm_shm *
mm_shm_new(unsigned long charge)
{
	struct mm_shm *s = xcalloc(1, sizeof(*s));

	s->refs = 1;
	s->charged = charge;
	mem_map_charge(charge);
	return s;
}

static struct mm_shm *
shm_get(struct mm_shm *s)
{
	if (s)
		s->refs++;
	return s;
}

void
mm_shm_put(struct mm_shm *s)
{
	if (s && --s->refs == 0) {
		mem_map_charge(-(long)s->charged);
		free(s);
	}
}

/* ---- sizes ---- */

static unsigned long
vma_size(const struct vma *v)
{
	return v->end - v->start;
}

/* VmData and RLIMIT_DATA: private, writable, not a stack (Linux's is_data_mapping). */
bool
vma_is_data(int prot, unsigned flags)
{
	return (prot & PROT_WRITE) && !(flags & (VMA_SHARED | VMA_STACK | VMA_GROWSDOWN));
}

/* Adds (sign 1) or removes (-1) v's share of the address space's sizes and charge. */
static void
account(struct mm *mm, const struct vma *v, int sign)
{
	unsigned long size = vma_size(v);

	if (v->flags & VMA_RESERVED)
		return;
	if (sign > 0) {
		mm->total_vm += size;
		mm->hiwater_vm = MAX(mm->hiwater_vm, mm->total_vm);
	} else {
		mm->total_vm -= size;
	}
	if (vma_is_data(v->prot, v->flags))
		mm->data_vm = sign > 0 ? mm->data_vm + size : mm->data_vm - size;
	if (v->flags & VMA_ACCOUNTED) {
		if (sign > 0) {
			mm->committed += size;
			mm->hiwater_committed = MAX(mm->hiwater_committed, mm->committed);
			mem_map_charge(size);
			memcg_charge(mm->memcg, (long)size);
		} else {
			mm->committed -= size;
			mem_map_charge(-(long)size);
			memcg_charge(mm->memcg, -(long)size);
		}
	}
}

/* ---- the sorted array ---- */

/* Index of the first mapping that ends above addr (nvmas if none). */
int
vma_index(struct mm *mm, unsigned long addr)
{
	int lo = 0, hi = mm->nvmas;

	while (lo < hi) {
		int mid = lo + (hi - lo) / 2;
		if (mm->vmas[mid].end > addr)
			hi = mid;
		else
			lo = mid + 1;
	}
	return lo;
}

struct vma *
mm_find_vma(struct mm *mm, unsigned long addr)
{
	int i = vma_index(mm, addr);

	if (i < mm->nvmas && mm->vmas[i].start <= addr)
		return &mm->vmas[i];
	return NULL;
}

static void
insert_at(struct mm *mm, int i, const struct vma *v)
{
	if (mm->nvmas == mm->cap) {
		mm->cap = mm->cap ? mm->cap * 2 : 32;
		mm->vmas = realloc(mm->vmas, mm->cap * sizeof(*mm->vmas));
		if (!mm->vmas)
			sentry_fatal("out of memory for mapping records");
	}
	memmove(&mm->vmas[i + 1], &mm->vmas[i], (mm->nvmas - i) * sizeof(*mm->vmas));
	mm->vmas[i] = *v;
	mm->nvmas++;
}

static void
remove_at(struct mm *mm, int i)
{
	memmove(&mm->vmas[i], &mm->vmas[i + 1], (mm->nvmas - i - 1) * sizeof(*mm->vmas));
	mm->nvmas--;
}

/* Splits vmas[i] at addr (inside it): [start, addr) stays at i, [addr, end) goes to i+1. */
void
vma_split(struct mm *mm, int i, unsigned long addr)
{
	struct vma hi = mm->vmas[i];

	BUG_ON(addr <= hi.start || addr >= hi.end);
	hi.off += addr - hi.start;
	hi.start = addr;
	name_get(hi.name);
	shm_get(hi.shm);
	mm->vmas[i].end = addr;
	insert_at(mm, i + 1, &hi);
}

/* Splits so that start and end fall on record boundaries; returns the index of the first
 * record inside [start, end). */
int
vma_isolate(struct mm *mm, unsigned long start, unsigned long end)
{
	int i = vma_index(mm, start);

	if (i < mm->nvmas && mm->vmas[i].start < start && mm->vmas[i].end > start)
		vma_split(mm, i++, start);
	int j = vma_index(mm, end);
	if (j < mm->nvmas && mm->vmas[j].start < end && mm->vmas[j].end > end)
		vma_split(mm, j, end);
	return i;
}

static bool
can_merge(const struct vma *a, const struct vma *b)
{
	if (a->end != b->start || a->prot != b->prot || a->flags != b->flags || a->mpol != b->mpol)
		return false;
	if (a->flags & (VMA_RESERVED | VMA_STACK) || a->shm || b->shm)
		return false;
	if (a->name != b->name)
		return false;
	return !a->name || a->off + vma_size(a) == b->off;
}

/* Merges vmas[i] with vmas[i+1] when Linux would show them as one. The heap stays apart
 * from the image's bss right below it (Linux's brk only grows a mapping at or above
 * start_brk), as it is without brk randomization. */
void
vma_try_merge(struct mm *mm, int i)
{
	if (i < 0 || i + 1 >= mm->nvmas || !can_merge(&mm->vmas[i], &mm->vmas[i + 1]) ||
	    mm->vmas[i].end == mm->brk_start)
		return;
	mm->vmas[i].end = mm->vmas[i + 1].end;
	mm_name_put(mm->vmas[i + 1].name);
	remove_at(mm, i + 1);
}

/* Removes every record in [start, end), releasing its charge. */
void
vma_remove_range(struct mm *mm, unsigned long start, unsigned long end)
{
	int i = vma_isolate(mm, start, end);

	while (i < mm->nvmas && mm->vmas[i].start < end) {
		struct vma *v = &mm->vmas[i];
		account(mm, v, -1);
		mm_name_put(v->name);
		mm_shm_put(v->shm);
		remove_at(mm, i);
	}
}

/* Records a new mapping in a range that holds none; takes over v's name and shm refs. */
void
vma_add(struct mm *mm, const struct vma *v)
{
	int i = vma_index(mm, v->start);

	BUG_ON(i < mm->nvmas && mm->vmas[i].start < v->end);
	insert_at(mm, i, v);
	account(mm, &mm->vmas[i], 1);
	vma_try_merge(mm, i);
	vma_try_merge(mm, i - 1);
}

void
vma_grow_down(struct mm *mm, int i, unsigned long start)
{
	struct vma *v = &mm->vmas[i];

	BUG_ON(start > v->start || (i && mm->vmas[i - 1].end > start));
	account(mm, v, -1);
	v->start = start;
	account(mm, v, 1);
}

/* Changes the protection of the (isolated) record i, charging it when it first becomes
 * writable and private, as Linux's mprotect_fixup does. */
void
vma_set_prot(struct mm *mm, int i, int prot)
{
	struct vma *v = &mm->vmas[i];

	account(mm, v, -1);
	v->prot = prot;
	if ((prot & PROT_WRITE) && !(v->flags & (VMA_SHARED | VMA_NORESERVE)))
		v->flags |= VMA_ACCOUNTED;
	account(mm, v, 1);
}

/* What [start, end) holds now: bytes mapped, charged and counted as data. */
void
vma_usage(struct mm *mm, unsigned long start, unsigned long end, struct vma_usage *u)
{
	memset(u, 0, sizeof(*u));
	for (int i = vma_index(mm, start); i < mm->nvmas && mm->vmas[i].start < end; i++) {
		const struct vma *v = &mm->vmas[i];
		unsigned long lo = MAX(v->start, start), hi = MIN(v->end, end);
		if (v->flags & VMA_RESERVED) {
			u->reserved = true;
			continue;
		}
		u->mapped += hi - lo;
		u->count++;
		if (v->flags & VMA_ACCOUNTED)
			u->charged += hi - lo;
		if (vma_is_data(v->prot, v->flags))
			u->data += hi - lo;
		if (v->start < start || v->end > end)
			u->splits++;
	}
}

bool
vma_range_sealed(struct mm *mm, unsigned long start, unsigned long end)
{
	for (int i = vma_index(mm, start); i < mm->nvmas && mm->vmas[i].start < end; i++)
		if (mm->vmas[i].flags & VMA_SEALED)
			return true;
	return false;
}

/* ---- placement ---- */

/* The highest range of len bytes in the gap [start, end) clear of the ranges native calls of
 * other threads may still be unmapping (mm->unmapping), or 0. Each step lowers end below
 * one of them, so it ends within nunmapping + 1 rounds. */
static unsigned long
gap_fit(struct mm *mm, unsigned long start, unsigned long end, unsigned long len)
{
	for (int round = 0; round <= mm->nunmapping; round++) {
		if (end <= start || end - start < len)
			return 0;
		unsigned long a = end - len;
		bool moved = false;
		for (int k = 0; k < mm->nunmapping; k++) {
			const struct mm_unmapping *u = &mm->unmapping[k];
			if (u->lo < a + len && u->hi > a) {
				end = u->lo;
				moved = true;
			}
		}
		if (!moved)
			return a;
	}
	return 0;
}

/* A free range can start at lo and must end by hi; the gap below a MAP_GROWSDOWN mapping is
 * kept free for it, since the host extends it into that gap unseen. */
static bool
range_free(struct mm *mm, unsigned long start, unsigned long end)
{
	int i = vma_index(mm, start);

	if (i < mm->nvmas && mm->vmas[i].start < end)
		return false;
	if (i < mm->nvmas && (mm->vmas[i].flags & VMA_GROWSDOWN))
		return false;
	return gap_fit(mm, start, end, end - start) == start;
}

/* The highest free range of len bytes within [low, high), or 0. */
static unsigned long
find_topdown(struct mm *mm, unsigned long len, unsigned long low, unsigned long high)
{
	int i = vma_index(mm, high);
	unsigned long gap_end = high, a;

	if (i < mm->nvmas && (mm->vmas[i].flags & VMA_GROWSDOWN))
		gap_end = 0;
	else if (i < mm->nvmas && mm->vmas[i].start < high)
		gap_end = mm->vmas[i].start; /* a mapping spans high */
	for (i = i - 1;; i--) {
		unsigned long gap_start = i >= 0 ? mm->vmas[i].end : low;
		gap_start = MAX(gap_start, low);
		if (gap_end > gap_start && gap_end - gap_start >= len &&
		    (a = gap_fit(mm, gap_start, gap_end, len)))
			return a;
		if (i < 0 || mm->vmas[i].start <= low)
			return 0;
		gap_end = (mm->vmas[i].flags & VMA_GROWSDOWN) ? 0 : mm->vmas[i].start;
	}
}

/* Where a mapping of len bytes goes without MAP_FIXED: the hint when that range is free,
 * else top-down from mmap_base, else anywhere. -ENOMEM when the address space is full. */
long
vma_place(struct mm *mm, unsigned long hint, unsigned long len, int flags)
{
	unsigned long a;

	if (len > VMA_TASK_SIZE - VMA_MIN_ADDR)
		return -ENOMEM;
	if (flags & MAP_32BIT) {
		a = find_topdown(mm, len, 0x40000000UL, 0x80000000UL);
		return a ? (long)a : -ENOMEM;
	}
	hint = PAGE_DOWN(hint);
	if (hint && hint >= VMA_MIN_ADDR && hint <= VMA_TASK_SIZE - len &&
	    range_free(mm, hint, hint + len))
		return hint;
	a = find_topdown(mm, len, VMA_MIN_ADDR, mm->mmap_base);
	if (!a)
		a = find_topdown(mm, len, VMA_MIN_ADDR, VMA_TASK_SIZE);
	return a ? (long)a : -ENOMEM;
}

long
vma_place_in(struct mm *mm, unsigned long len, unsigned long low, unsigned long high)
{
	unsigned long a = low < high ? find_topdown(mm, len, low, high) : 0;

	return a ? (long)a : -ENOMEM;
}

/* ---- address spaces ---- */

static unsigned long
random_pages(unsigned bits)
{
	unsigned long r = 0;

	if (getrandom(&r, sizeof(r), GRND_NONBLOCK) != sizeof(r))
		r = 0;
	return (r & ((1UL << bits) - 1)) * PAGE_SIZE;
}

struct mm *
mm_new(void)
{
	const struct plat_info *pi = plat_info();
	struct mm *mm = xcalloc(1, sizeof(*mm));
	struct vma stub = {
		.start = PLAT_STUB_ADDR,
		.end = PLAT_STUB_ADDR + PLAT_STUB_SIZE,
		.prot = PROT_READ | PROT_EXEC,
		.flags = VMA_RESERVED,
	};

	mm->refs = 1;
	mm->memcg = cgroup_mm_get(current_task);
	/* Linux's layout: the stack at the top (randomized by 22 bits of pages), mmap_base a
	 * stack-sized gap below it (randomized by 28 bits). */
	mm->stack_top = VMA_TASK_SIZE - random_pages(22);
	mm->mmap_base = mm->stack_top - VMA_STACK_GAP - random_pages(28);
	vma_add(mm, &stub);
	/* (the places the stub page could not be, held the same way) */
	for (int i = 1; plat_reserved(i, &stub.start, &stub.end); i++)
		vma_add(mm, &stub);
	for (int i = 0; pi && i < pi->nspecial; i++) {
		struct vma v = {
			.start = pi->special[i].lo,
			.end = pi->special[i].hi,
			.prot = PROT_READ | (strcmp(pi->special[i].name, "[vdso]") ? 0 : PROT_EXEC),
			.name = mm_name_new(pi->special[i].name, 0, 0),
		};
		if (v.end > v.start && range_free(mm, v.start, v.end))
			vma_add(mm, &v);
		else
			mm_name_put(v.name);
	}
	return mm;
}

/* The layout of an image exec'd without randomization (personality ADDR_NO_RANDOMIZE, or
 * kernel.randomize_va_space 0), as Linux's x86 mmap_base: the stack right at the top and
 * mmap_base the stack rlimit plus the guard gap (1 MiB) below it, kept between 128 MiB and
 * five sixths of the address space. Debuggers rely on it (gdb's inferiors). */
static unsigned long
stack_gap(unsigned long stack_rlim)
{
	unsigned long gap = stack_rlim, pad = 256 * PAGE_SIZE;

	if (gap + pad > gap) /* not past RLIM_INFINITY */
		gap += pad;
	gap = MAX(gap, 128UL << 20);
	return MIN(gap, VMA_TASK_SIZE / 6 * 5);
}

void
mm_fixed_layout(struct mm *mm, unsigned long stack_rlim)
{
	mm->stack_top = VMA_TASK_SIZE;
	mm->mmap_base = PAGE_UP(VMA_TASK_SIZE - stack_gap(stack_rlim));
}

/* With randomization, a stack rlimit past mm_new's gap moves mmap_base down by as much, so
 * that the stack can grow that far (Linux's mmap_base leaves the rlimit free below it). */
void
mm_random_layout(struct mm *mm, unsigned long stack_rlim)
{
	unsigned long gap = stack_gap(stack_rlim);

	if (gap > VMA_STACK_GAP)
		mm->mmap_base = PAGE_DOWN(mm->stack_top - gap) - random_pages(28);
}

/* The charge a fork copies: the accounted mappings the child inherits and the stack. */
static unsigned long
fork_charge(struct mm *old)
{
	unsigned long c = old->stack_charge;

	for (int i = 0; i < old->nvmas; i++)
		if ((old->vmas[i].flags & (VMA_ACCOUNTED | VMA_DONTCOPY)) == VMA_ACCOUNTED)
			c += vma_size(&old->vmas[i]);
	return c;
}

/* The PR_SET_MDWE bits a new image or a fork's copy of old starts with (Linux
 * mmf_init_flags: none after PR_MDWE_NO_INHERIT). */
unsigned char
mm_mdwe_inherited(const struct mm *old)
{
	return old->mdwe & PR_MDWE_NO_INHERIT ? 0 : old->mdwe;
}

int
mm_fork(struct mm *old, struct mm **out)
{
	unsigned long charge = fork_charge(old);

	if (!mem_fits(charge)) {
		limit_refused(LIMIT_MEMORY, "fork");
		return -ENOMEM;
	}
	if (!memcg_fits(old->memcg, charge, 0))
		return -ENOMEM; /* its cgroup's memory.max */
	struct mm *mm = xcalloc(1, sizeof(*mm));
	int refs = 1;

	*mm = *old;
	mm->refs = refs;
	mm->vmas = NULL;
	mm->nvmas = mm->cap = 0;
	mm->total_vm = mm->data_vm = mm->committed = mm->hiwater_committed = 0;
	mm->hiwater_vm = 0;
	mm->replacing = NULL;
	mm->nunmapping = 0; /* (the parent's threads do not trap in this one) */
	mm->lock_future = 0; /* memory locks are not inherited (Linux dup_mmap, mm_init) */
	mm->mdwe = mm_mdwe_inherited(old);
	mm->exe_path = old->exe_path ? xstrdup(old->exe_path) : NULL;
	mm->exe_where = vfs_where_dup(old->exe_where);
	mm->exe_file = NULL;
	if (old->exe_file && exe_deny(old->exe_file) == 0)
		mm->exe_file = old->exe_file;
	if (old->auxv) {
		mm->auxv = xmalloc(old->auxv_len);
		memcpy(mm->auxv, old->auxv, old->auxv_len);
		mm->auxv_len = old->auxv_len;
	}
	mm->cap = MAX(old->nvmas, 32);
	mm->vmas = xcalloc(mm->cap, sizeof(*mm->vmas));
	for (int i = 0; i < old->nvmas; i++) {
		struct vma v = old->vmas[i];
		if (v.flags & VMA_DONTCOPY)
			continue;
		name_get(v.name);
		shm_get(v.shm);
		v.flags &= ~(unsigned)(VMA_LOCKED | VMA_LOCKONFAULT);
		mm->vmas[mm->nvmas] = v;
		account(mm, &mm->vmas[mm->nvmas], 1);
		mm->nvmas++;
	}
	mm->hiwater_vm = MAX(mm->total_vm, old->hiwater_vm);
	cgroup_get(mm->memcg);
	mem_map_charge(mm->stack_charge);
	memcg_charge(mm->memcg, (long)mm->stack_charge);
	*out = mm;
	return 0;
}

void
mm_put(struct mm *mm)
{
	if (!mm || --mm->refs > 0)
		return;
	for (int i = 0; i < mm->nvmas; i++) {
		account(mm, &mm->vmas[i], -1);
		mm_name_put(mm->vmas[i].name);
		mm_shm_put(mm->vmas[i].shm);
	}
	mem_map_charge(-(long)mm->stack_charge);
	memcg_charge(mm->memcg, -(long)mm->stack_charge);
	cgroup_put(mm->memcg);
	free(mm->vmas);
	free(mm->exe_path);
	vfs_where_put(mm->exe_where);
	exe_allow(mm->exe_file);
	free(mm->auxv);
	free(mm);
}

void
mm_set_exe(struct mm *mm, struct file *f, const char *fallback)
{
	char buf[PATH_MAX];
	const char *path = file_path(f, buf, sizeof(buf)) >= 0 && buf[0] == '/' ? buf : fallback;

	if (path) {
		char *p = xstrdup(path);
		free(mm->exe_path);
		mm->exe_path = p;
	}
	vfs_where_put(mm->exe_where);
	mm->exe_where = file_where(f);
}

const char *
mm_vma_label(struct mm *mm, const struct vma *v, unsigned long *dev, unsigned long *ino,
	     char *buf, size_t n)
{
	*dev = *ino = 0;
	if (v->name) {
		*dev = v->name->dev;
		*ino = v->name->ino;
		return vfs_where_name(v->name->where, v->name->path, buf, n);
	}
	if (v->flags & VMA_STACK)
		return "[stack]";
	if (v->shm)
		return "/dev/zero (deleted)";
	if (v->start < mm->brk && v->end > mm->brk_start) /* Linux vma_is_initial_heap */
		return "[heap]";
	return "";
}

size_t
mm_auxv_shown(const struct mm *mm)
{
	size_t n = 0;

	while (n + 2 <= mm->auxv_len / sizeof(long)) {
		n += 2;
		if (mm->auxv[n - 2] == 0) /* AT_NULL */
			break;
	}
	return n * sizeof(long);
}

void
mm_stats(struct mm *mm, struct mm_stats *s)
{
	memset(s, 0, sizeof(*s));
	s->size = mm->total_vm;
	s->peak = mm->hiwater_vm;
	s->data = mm->data_vm;
	s->anon = mm->committed + mm->stack_charge;
	for (int i = 0; i < mm->nvmas; i++) {
		const struct vma *v = &mm->vmas[i];
		unsigned long size = vma_size(v);
		if (v->flags & VMA_RESERVED)
			continue;
		if (v->shm)
			s->shmem += size;
		if (v->flags & (VMA_STACK | VMA_GROWSDOWN))
			s->stack += size;
		if (v->flags & VMA_LOCKED)
			s->locked += size;
		/* Linux's exec_vm: executable, not writable, not a stack */
		if ((v->prot & (PROT_EXEC | PROT_WRITE)) == PROT_EXEC && !(v->flags & VMA_STACK)) {
			if (v->name && mm->exe_path && !strcmp(v->name->path, mm->exe_path))
				s->exe += size;
			else
				s->lib += size;
		}
	}
	s->rss = s->anon + s->shmem;
	s->hwm = MAX(mm->hiwater_committed + mm->stack_charge + s->shmem, s->rss);
}
