/*
 * Guest address-space operations. Each one is planned on the sentry's records first
 * (sentry/vma.c: placement, RLIMIT_AS, RLIMIT_DATA, --memory), then carried out in the stub,
 * then recorded. The sentry's own calls are injected into the stub; a guest's plain private
 * anonymous mmap, munmap and mprotect instead run natively with the address the sentry chose
 * (MAP_FIXED_NOREPLACE), which costs no more than the trap itself.
 */
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/syscall.h>

#include "fs/gofer.h"
#include "fs/vfs.h"
#include "platform/platform.h"
#include "sentry/filters.h"
#include "sentry/sentry.h"
#include "sentry/vma.h"
#include "syscalls/syscalls.h"

#define COPY_CHUNK (256UL << 10)
#define MAP_TYPE_MASK 0x0f
/* Guest mmap flags the fast path hands to the host as they are. */
#define FAST_FLAGS (MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED | MAP_FIXED_NOREPLACE | \
		    MAP_NORESERVE | MAP_STACK | MAP_POPULATE | MAP_DENYWRITE | MAP_EXECUTABLE | \
		    MAP_32BIT | MAP_NONBLOCK)
/* Larger mappings are injected so that a host refusal (its own overcommit check) is seen. */
#define FAST_MAX_LEN (64UL << 20)
#define PROT_ALL (PROT_READ | PROT_WRITE | PROT_EXEC)
#ifndef PROT_SEM
#define PROT_SEM 0x8
#endif

bool
mm_range_reserved(unsigned long addr, size_t len)
{
	unsigned long end = addr + len;

	if (end < addr)
		return true;
	unsigned long lo, hi;
	for (int i = 0; plat_reserved(i, &lo, &hi); i++)
		if (addr < hi && end > lo)
			return true;
	return false;
}

/* During execve the image being replaced goes away on success: its charge is credited. */
static unsigned long
exec_credit(struct mm *mm)
{
	struct mm *old = mm->replacing;

	return old && old->refs == 1 ? old->committed + old->stack_charge : 0;
}

static bool
charge_fits(struct mm *mm, unsigned long bytes)
{
	return mem_fits_credit(bytes, exec_credit(mm));
}

/* Is a charge of bytes refused, by --memory (what names the request in its warning) or by
 * a memory.max of the address space's cgroup? */
static bool
charge_refused(struct mm *mm, unsigned long bytes, const char *what)
{
	struct mm *old = mm->replacing;

	if (!charge_fits(mm, bytes)) {
		limit_refused(LIMIT_MEMORY, what);
		return true;
	}
	return !memcg_fits(mm->memcg, bytes, old && old->memcg == mm->memcg ? exec_credit(mm) : 0);
}

static unsigned
vma_flags_for(int prot, int flags, bool maywrite)
{
	unsigned f = maywrite ? VMA_MAYWRITE : 0;

	if ((flags & MAP_TYPE_MASK) != MAP_PRIVATE)
		f |= VMA_SHARED;
	/* A thread stack (MAP_STACK, private and anonymous: glibc's for every pthread) is
	 * charged as MAP_NORESERVE is, by its touched pages: each is megabytes of which a
	 * thread touches a few pages, and charging whole sizes let a 64M sandbox run only a
	 * handful of threads where a cgroup's memory.max runs hundreds. */
	if ((flags & MAP_NORESERVE) ||
	    ((flags & (MAP_STACK | MAP_ANONYMOUS)) == (MAP_STACK | MAP_ANONYMOUS) &&
	     !(f & VMA_SHARED)))
		f |= VMA_NORESERVE;
	if (flags & MAP_GROWSDOWN)
		f |= VMA_GROWSDOWN;
	if (flags & MAP_LOCKED)
		f |= VMA_LOCKED;
	if (!(f & (VMA_SHARED | VMA_NORESERVE)) && (prot & PROT_WRITE))
		f |= VMA_ACCOUNTED;
	return f;
}

/* May a mapping with vflags replace what [start, start+len) holds now? */
static int
check_new(struct mm *mm, unsigned long start, unsigned long len, int prot, unsigned vflags)
{
	struct vma_usage old;
	rlim_t as = sentry.rlim[RLIMIT_AS].rlim_cur, data = sentry.rlim[RLIMIT_DATA].rlim_cur;

	vma_usage(mm, start, start + len, &old);
	if (old.reserved)
		return -ENOMEM;
	if (mm->nvmas - old.count + 1 + old.splits > VMA_MAX_COUNT)
		return -ENOMEM;
	if (as != RLIM_INFINITY && mm->total_vm - old.mapped + len > as)
		return -ENOMEM;
	if (data != RLIM_INFINITY && vma_is_data(prot, vflags) && mm->data_vm - old.data + len > data)
		return -ENOMEM;
	unsigned long charge = (vflags & VMA_ACCOUNTED) ? len : 0;
	if (charge > old.charged && charge_refused(mm, charge - old.charged, "mmap")) {
		return -ENOMEM;
	}
	return 0;
}

/*
 * Chooses where a new mapping of len (page-aligned) bytes goes and checks that it may be
 * made; fills *v for record(). Returns the address or -errno, as Linux's do_mmap would.
 */
static long
plan(struct mm *mm, unsigned long addr, unsigned long len, int prot, int flags, bool maywrite,
     struct vma *v)
{
	unsigned vflags = vma_flags_for(prot, flags, maywrite) | mm->lock_future;
	long a;

	if (flags & (MAP_FIXED | MAP_FIXED_NOREPLACE)) {
		if (addr & (PAGE_SIZE - 1))
			return -EINVAL;
		if (len > VMA_TASK_SIZE || addr > VMA_TASK_SIZE - len)
			return -ENOMEM;
		if (mm_range_reserved(addr, len))
			return -ENOMEM;
		if (addr < VMA_MIN_ADDR)
			return -EPERM;
		if (flags & MAP_FIXED_NOREPLACE) {
			struct vma_usage u;
			vma_usage(mm, addr, addr + len, &u);
			if (u.count)
				return -EEXIST;
		}
		if (vma_range_sealed(mm, addr, addr + len))
			return -EPERM; /* Linux: the unmap of what it replaces fails */
		a = addr;
	} else {
		a = vma_place(mm, addr, len, flags);
		if (a < 0)
			return a;
	}
	/* Linux mmap_region: under PR_SET_MDWE no new mapping is both writable and executable */
	if ((mm->mdwe & PR_MDWE_REFUSE_EXEC_GAIN) && (prot & PROT_EXEC) && (prot & PROT_WRITE))
		return -EACCES;
	int err = check_new(mm, a, len, prot, vflags);
	if (err)
		return err;
	memset(v, 0, sizeof(*v));
	v->start = a;
	v->end = a + len;
	v->prot = prot & PROT_ALL;
	v->flags = vflags;
	return a;
}

/* The host flags for a planned mapping: at exactly its address, never over anything the
 * records do not know to be replaced. MAP_LOCKED stays in the records (munlock, msync and
 * the guest's RLIMIT_MEMLOCK go by them): the host only faults the pages in, as Linux
 * does for a locked mapping. */
static int
host_flags(int flags)
{
	int fixed = (flags & MAP_FIXED) && !(flags & MAP_FIXED_NOREPLACE) ? MAP_FIXED
									   : MAP_FIXED_NOREPLACE;

	if (flags & MAP_LOCKED)
		flags = (flags & ~(MAP_LOCKED | MAP_NONBLOCK)) | MAP_POPULATE;
	return (flags & ~(MAP_FIXED | MAP_FIXED_NOREPLACE)) | fixed;
}

/* The host made the planned mapping v: replace whatever the range held in the records. */
static void
record(struct mm *mm, const struct vma *v)
{
	vma_remove_range(mm, v->start, v->end);
	vma_add(mm, v);
}

static void
drop(struct vma *v)
{
	mm_name_put(v->name);
	mm_shm_put(v->shm);
	v->name = NULL;
	v->shm = NULL;
}

static long
inject_mmap(struct task *t, const struct vma *v, int prot, int flags)
{
	return plat_inject(t->ctx, __NR_mmap, v->start, v->end - v->start, prot, host_flags(flags),
			   -1, 0);
}

long
mm_mmap(struct task *t, unsigned long addr, size_t len, int prot, int flags)
{
	struct vma v;
	long a;

	len = PAGE_UP(len);
	if (!len)
		return -EINVAL;
	a = plan(t->mm, addr, len, prot, flags | MAP_ANONYMOUS, true, &v);
	if (a < 0)
		return a;
	if (v.flags & VMA_SHARED)
		v.shm = mm_shm_new(0);
	long r = inject_mmap(t, &v, prot, flags | MAP_ANONYMOUS);
	if (r < 0) {
		drop(&v);
		return r;
	}
	record(t->mm, &v);
	return r;
}

int
mm_munmap(struct task *t, unsigned long addr, size_t len)
{
	if (mm_range_reserved(addr, len))
		return -EINVAL;
	long r = plat_inject(t->ctx, __NR_munmap, addr, len, 0, 0, 0, 0);
	if (r == 0)
		vma_remove_range(t->mm, PAGE_DOWN(addr), PAGE_UP(addr + len));
	return r;
}

/* Sets prot on every record in [start, end) (the host did the same). */
static void
set_prot_range(struct mm *mm, unsigned long start, unsigned long end, int prot)
{
	int i = vma_isolate(mm, start, end), first = i;

	for (; i < mm->nvmas && mm->vmas[i].start < end; i++)
		vma_set_prot(mm, i, prot & PROT_ALL);
	for (int j = i - 1; j >= first - 1; j--)
		vma_try_merge(mm, j);
}

int
mm_mprotect(struct task *t, unsigned long addr, size_t len, int prot)
{
	if (mm_range_reserved(addr, len))
		return -ENOMEM;
	long r = plat_inject(t->ctx, __NR_mprotect, addr, len, prot, 0, 0, 0);
	if (r == 0)
		set_prot_range(t->mm, addr, PAGE_UP(addr + len), prot);
	return r;
}

/* The initial stack is MAP_GROWSDOWN on the host as on Linux: the host kernel extends it as
 * the guest touches below it (in its own code, its calls and its signal frames), within the
 * stub's RLIMIT_STACK (the guest's: task_apply_rlimits) and the guard gap. The records learn
 * of it in mm_sync_stack. */
#define STACK_MAP_FLAGS (MAP_PRIVATE | MAP_ANONYMOUS | MAP_GROWSDOWN)

static long
plan_stack(struct mm *mm, size_t size, size_t charge, int prot, struct vma *v)
{
	unsigned long top = mm->stack_top ? mm->stack_top : VMA_TASK_SIZE;
	long a;

	if (charge_refused(mm, charge, "stack")) {
		return -ENOMEM;
	}
	/* At the top of the address space, below the vDSO if that is in the way. */
	a = vma_place_in(mm, size, mm->mmap_base + VMA_STACK_GAP / 2, top);
	/* (planned without PROT_EXEC, added after: Linux makes an executable stack outside
	 * mmap_region, where PR_SET_MDWE is not checked) */
	a = plan(mm, a > 0 ? (unsigned long)a : top - size, size, prot & ~PROT_EXEC,
		 STACK_MAP_FLAGS | MAP_NORESERVE, true, v);
	if (a >= 0) {
		v->flags |= VMA_STACK;
		v->prot |= prot & PROT_EXEC;
	}
	return a;
}

static void
stack_charged(struct mm *mm, size_t charge)
{
	mm->stack_charge += charge;
	mem_map_charge(charge);
	memcg_charge(mm->memcg, (long)charge);
}

long
mm_map_stack(struct task *t, size_t size, size_t charge, int prot)
{
	struct mm *mm = t->mm;
	struct vma v;
	long a = plan_stack(mm, size, charge, prot, &v);

	if (a < 0)
		return a;
	long r = inject_mmap(t, &v, prot, STACK_MAP_FLAGS);
	if (r < 0)
		return r;
	record(mm, &v);
	stack_charged(mm, charge);
	return r;
}

/* Index of the lowest record of the initial stack (mprotect may have split it), or -1. */
static int
stack_index(struct mm *mm)
{
	int i = mm->stack_top ? vma_index(mm, mm->stack_top - 1) : mm->nvmas;

	if (i >= mm->nvmas || !(mm->vmas[i].flags & VMA_STACK) || mm->vmas[i].start >= mm->stack_top)
		return -1;
	while (i > 0 && (mm->vmas[i - 1].flags & VMA_STACK) && mm->vmas[i - 1].end == mm->vmas[i].start)
		i--;
	return i;
}

/* Is [start, end) partly in the gap below the stack (record *ip), where it grows? */
static bool
below_stack(struct mm *mm, unsigned long start, unsigned long end, int *ip)
{
	int i = stack_index(mm);

	*ip = i;
	return i >= 0 && start < mm->vmas[i].start && end > (i ? mm->vmas[i - 1].end : 0);
}

/*
 * The host's VmStk (host bytes) counts the pages of its grows-down mappings: beyond the
 * records' own, they are what it grew the stack by. (With a guest's own MAP_GROWSDOWN
 * mapping besides, which of them grew is not known: the records stay as they are, as they
 * did before.)
 */
void
mm_stack_grown(struct mm *mm, unsigned long host)
{
	unsigned long known = 0;
	int i = stack_index(mm);

	if (i < 0)
		return;
	for (int k = 0; k < mm->nvmas; k++) {
		const struct vma *v = &mm->vmas[k];
		if ((v->flags & VMA_GROWSDOWN) && !(v->flags & VMA_STACK))
			return;
		if (v->flags & VMA_STACK)
			known += v->end - v->start;
	}
	unsigned long lo = i ? mm->vmas[i - 1].end : VMA_MIN_ADDR;
	if (host > known && mm->vmas[i].start - lo >= host - known)
		vma_grow_down(mm, i, mm->vmas[i].start - (host - known));
}

void
mm_sync_stack(struct task *t)
{
	struct gofer_mem m;
	struct gofer_mem_range *r = NULL;
	size_t n = 0;

	if (!t || !t->mm || !t->ctx || t->state == TASK_ZOMBIE || stack_index(t->mm) < 0 ||
	    gofer_task_mem(plat_host_pid(t->ctx), GOFER_MEM_STATUS, &m, &r, &n) < 0)
		return;
	free(r);
	mm_stack_grown(t->mm, (unsigned long)m.stk << 10);
}

void
mm_sync_below_stack(struct task *t, unsigned long start, unsigned long end)
{
	int i;

	if (t && t->mm && below_stack(t->mm, start, end, &i))
		mm_sync_stack(t);
}

/* The stub reads a byte at addr itself: access(2) of the (empty, on a new page) path there
 * faults the page in, which grows the stack to it, or fails with EFAULT past RLIMIT_STACK or
 * the guard gap, as the guest's copy would have on Linux. */
bool
mm_grow_stack_for(struct task *t, unsigned long addr, size_t n)
{
	int i;

	if (t != current_task || !t->ctx || !t->mm || !below_stack(t->mm, addr, addr + n, &i) ||
	    addr >= t->mm->vmas[i].start)
		return false;
	return plat_inject(t->ctx, __NR_access, addr, 0, 0, 0, 0, 0) != -EFAULT;
}

/* ---- files ---- */

/* Copies [off, off+len) of f into guest memory at addr; bytes past EOF stay zero. */
static int
fill_from_file(struct task *t, unsigned long addr, size_t len, struct file *f, off_t off)
{
	char *buf = xmalloc(COPY_CHUNK);
	size_t done = 0;
	int err = 0;

	while (done < len) {
		ssize_t n = file_pread(f, buf, MIN(COPY_CHUNK, len - done), off + done);
		if (n < 0) {
			err = n;
			break;
		}
		if (n == 0)
			break;
		err = copy_to_guest(t, addr + done, buf, n);
		if (err)
			break;
		done += n;
	}
	free(buf);
	return err;
}

static struct mm_name *
file_name(struct file *f, struct stat *st)
{
	char path[PATH_MAX];

	if (file_stat(f, st) < 0)
		memset(st, 0, sizeof(*st));
	if (file_path(f, path, sizeof(path)) < 0)
		path[0] = '\0';
	struct mm_name *n = mm_name_new(path, st->st_dev, st->st_ino);
	n->where = file_where(f);
	return n;
}

/* A private copy of a file that has no host fd to map: anonymous memory filled by the sentry. */
static long
map_copy(struct task *t, struct vma *v, int prot, int flags, struct file *f, off_t off)
{
	int keep = flags & (MAP_FIXED | MAP_FIXED_NOREPLACE | MAP_32BIT | MAP_POPULATE | MAP_LOCKED);
	unsigned long len = v->end - v->start;
	long r = inject_mmap(t, v, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | keep);

	if (r < 0)
		return r;
	int err = fill_from_file(t, r, len, f, off);
	if (!err && prot != (PROT_READ | PROT_WRITE))
		err = plat_inject(t->ctx, __NR_mprotect, r, len, prot, 0, 0, 0);
	if (err) {
		plat_inject(t->ctx, __NR_munmap, r, len, 0, 0, 0, 0);
		vma_remove_range(t->mm, v->start, v->end); /* MAP_FIXED replaced what was there */
		return err == -EFAULT ? -ENOMEM : err;
	}
	return r;
}

/* May a mapping of f become writable (mprotect)? A shared one: opened for writing, and
 * not of a write-sealed memfd (Linux clears VM_MAYWRITE there: EACCES). */
static bool
may_write(struct file *f, bool shared, int acc)
{
	return !shared || (acc == O_RDWR && !file_map_sealed(f, PROT_WRITE, MAP_SHARED));
}

long
mm_map_file(struct task *t, unsigned long addr, size_t len, int prot, int flags, struct file *f,
	    off_t off)
{
	bool shared = (flags & MAP_TYPE_MASK) != MAP_PRIVATE;
	int acc = file_get_flags(f) & O_ACCMODE;
	if (file_map_sealed(f, prot, flags))
		return -EPERM;
	int hostfd = file_mmap_fd(f, shared);
	struct stat st;
	struct vma v;
	long a, r;

	if (hostfd < 0 && hostfd != -1)
		return hostfd;
	a = plan(t->mm, addr, len, prot, flags & ~MAP_ANONYMOUS, may_write(f, shared, acc), &v);
	if (a < 0)
		return a;
	v.name = file_name(f, &st);
	v.off = off;
	if (file_noexec(f))
		v.flags |= VMA_NOEXEC; /* Linux: no VM_MAYEXEC */
	r = -ENOSYS;
	/* Host files are mapped for real (shared page cache); others are copied in. */
	if (hostfd >= 0)
		r = plat_map_host_fd(t->ctx, hostfd, st.st_dev, st.st_ino, a, len, prot,
				     host_flags(flags & ~MAP_ANONYMOUS), off);
	if (r == -ENOSYS || r == -EPERM)
		r = map_copy(t, &v, prot, flags, f, off);
	if (r < 0) {
		drop(&v);
		return r;
	}
	record(t->mm, &v);
	return r;
}

/*
 * A batch of fixed mappings in ascending, disjoint ranges (an ELF image's segments), the
 * last maybe placed where there is room (the stack, an interpreter's reservation): each
 * is planned and recorded in turn, as one by one (so the limits see the ones before it),
 * then the host makes them all with one stop (plat_inject_batch). What the host refused
 * goes out of the records again, with what was not run: that range reads as unmapped in
 * both (a MAP_FIXED request may have replaced something; its caller discards the address
 * space on failure anyway). A request refused as noexec (copied in instead) and anything
 * the batch cannot express run one by one as mm_map_file and mm_mmap do.
 */
static bool
batchable(struct task *t, struct mm_map_req *req, int n, struct file **f)
{
	*f = NULL;
	if (n < 2 || n > PLAT_BATCH_MAX)
		return false;
	for (int i = 0; i < n; i++) {
		struct mm_map_req *q = &req[i];
		/* the last may be placed by the records (where the ones before it are) */
		if (q->stack || (!q->f && !(q->flags & (MAP_FIXED | MAP_FIXED_NOREPLACE)) &&
				 (q->flags & MAP_TYPE_MASK) == MAP_PRIVATE)) {
			if (i != n - 1)
				return false;
			continue;
		}
		if (!(q->flags & (MAP_FIXED | MAP_FIXED_NOREPLACE)) ||
		    (q->flags & MAP_TYPE_MASK) != MAP_PRIVATE ||
		    (i && q->addr < req[i - 1].addr + PAGE_UP(req[i - 1].len)))
			return false;
		if (q->f && ((*f && q->f != *f) || file_mmap_fd(q->f, false) < 0))
			return false;
		if (q->f)
			*f = q->f;
	}
	return t->ctx != NULL;
}

static int
map_one(struct task *t, struct mm_map_req *req, int n)
{
	for (int i = 0; i < n; i++) {
		struct mm_map_req *q = &req[i];
		if (q->stack)
			q->result = mm_map_stack(t, q->len, q->charge, q->prot);
		else if (q->f)
			q->result = mm_map_file(t, q->addr, q->len, q->prot, q->flags, q->f, q->off);
		else
			q->result = mm_mmap(t, q->addr, q->len, q->prot, q->flags | MAP_ANONYMOUS);
		if (q->result < 0)
			return i + 1;
	}
	return n;
}

int
mm_map_batch(struct task *t, struct mm_map_req *req, int n)
{
	struct plat_call call[PLAT_BATCH_MAX];
	unsigned long start[PLAT_BATCH_MAX], end[PLAT_BATCH_MAX];
	struct file *f;
	struct stat st = { 0 };
	long fd = -1;
	int planned = 0, ran;

	for (int i = 0; i < n; i++)
		req[i].result = -ECANCELED;
	if (!batchable(t, req, n, &f))
		return map_one(t, req, n);
	if (f) {
		if (file_stat(f, &st) < 0)
			return map_one(t, req, n);
		fd = plat_stub_fd(t->ctx, file_mmap_fd(f, false), st.st_dev, st.st_ino, false);
		if (fd < 0)
			return map_one(t, req, n);
	}
	for (; planned < n; planned++) {
		struct mm_map_req *q = &req[planned];
		int flags = q->flags & ~MAP_ANONYMOUS;
		struct vma v;
		long a;

		if (q->stack) {
			a = plan_stack(t->mm, q->len, q->charge, q->prot, &v);
			flags = STACK_MAP_FLAGS;
		} else if (q->f) {
			a = plan(t->mm, q->addr, q->len, q->prot, flags, true, &v);
			if (a >= 0) {
				struct stat st2;
				v.name = file_name(q->f, &st2);
				v.off = q->off;
			}
		} else {
			q->len = PAGE_UP(q->len);
			a = q->len ? plan(t->mm, q->addr, q->len, q->prot, flags | MAP_ANONYMOUS, true,
					  &v)
				   : -EINVAL;
		}
		if (a < 0) {
			q->result = a;
			break;
		}
		start[planned] = v.start;
		end[planned] = v.end;
		call[planned] = (struct plat_call){
			.nr = __NR_mmap,
			.a = { v.start, v.end - v.start, q->prot,
			       host_flags(q->f ? flags : flags | MAP_ANONYMOUS),
			       q->f ? (unsigned long)fd : (unsigned long)-1, q->f ? q->off : 0 },
			.dev = q->f ? st.st_dev : 0, .ino = q->f ? st.st_ino : 0,
		};
		record(t->mm, &v);
	}
	ran = planned ? plat_inject_batch(t->ctx, call, planned) : 0;
	if (ran < 0) {
		call[0].result = ran;
		ran = 1;
	}
	int done = ran && call[ran - 1].result < 0 ? ran - 1 : ran;
	for (int i = 0; i < ran; i++) {
		req[i].result = call[i].result;
		if (i < done && req[i].stack)
			stack_charged(t->mm, req[i].charge);
	}
	/* what the host did not make leaves the records (and the host) again */
	for (int i = done; i < planned; i++) {
		vma_remove_range(t->mm, start[i], end[i]);
		if (i > done || !(req[i].flags & MAP_FIXED_NOREPLACE))
			plat_inject(t->ctx, __NR_munmap, start[i], end[i] - start[i], 0, 0, 0, 0);
	}
	if (done < planned && planned < n)
		req[planned].result = -ECANCELED; /* its plan's error is not the first */
	if (done < ran && req[done].f && (req[done].result == -ENOSYS || req[done].result == -EPERM))
		return done + map_one(t, req + done, n - done); /* noexec: copies from here on */
	if (done < planned)
		return done + 1;
	return planned < n ? planned + 1 : n;
}

/* ---- the guest's own calls ---- */

/* The guest's mmap of a file: a host file the stub already has an fd for (or fetches) is
 * mapped by the guest's own call with the planned arguments, without an injection. */
long
mm_sys_mmap_file(struct task *t, unsigned long addr, size_t len, int prot, int flags,
		 struct file *f, off_t off)
{
	bool shared = (flags & MAP_TYPE_MASK) != MAP_PRIVATE;
	int hostfd;

	if (file_map_sealed(f, prot, flags))
		return -EPERM;
	if ((flags & ~(FAST_FLAGS | MAP_SHARED | MAP_SHARED_VALIDATE)) || (prot & ~PROT_ALL) ||
	    len >= FAST_MAX_LEN || t->mm->nvmas >= VMA_MAX_COUNT - 1000 ||
	    (hostfd = file_mmap_fd(f, shared)) < 0)
		return mm_map_file(t, addr, len, prot, flags, f, off);

	int acc = file_get_flags(f) & O_ACCMODE;
	struct stat st;
	struct vma v;
	long a = plan(t->mm, addr, len, prot, flags & ~MAP_ANONYMOUS, may_write(f, shared, acc),
		      &v);
	if (a < 0)
		return a;
	v.name = file_name(f, &st);
	v.off = off;
	if (file_noexec(f))
		v.flags |= VMA_NOEXEC; /* Linux: no VM_MAYEXEC */
	long fd = plat_stub_fd(t->ctx, hostfd, st.st_dev, st.st_ino, prot & PROT_EXEC);
	if (fd < 0) {
		drop(&v);
		return mm_map_file(t, addr, len, prot, flags, f, off);
	}
	unsigned long args[6] = { a, len, prot, host_flags(flags & ~MAP_ANONYMOUS), fd, off };
	int err = plat_syscall_set_args(t->ctx, args);
	if (err) {
		drop(&v);
		return err;
	}
	record(t->mm, &v);
	return sysret(SYSRET_NATIVE);
}


long
mm_sys_mmap_anon(struct task *t, unsigned long addr, size_t len, int prot, int flags)
{
	struct mm *mm = t->mm;
	bool shared = (flags & MAP_TYPE_MASK) != MAP_PRIVATE;
	struct vma v;
	long a;

	len = PAGE_UP(len);
	/* (shared anonymous memory counts against --memory only, not a cgroup's) */
	if (shared && !(flags & MAP_NORESERVE) && !charge_fits(mm, len)) {
		limit_refused(LIMIT_MEMORY, "mmap");
		return -ENOMEM;
	}
	a = plan(mm, addr, len, prot, flags, true, &v);
	if (a < 0)
		return a;
	bool fast = !(flags & ~FAST_FLAGS) && !(prot & ~PROT_ALL) && !shared &&
		    len < FAST_MAX_LEN && mm->nvmas < VMA_MAX_COUNT - 1000;
	if (fast) {
		unsigned long args[6] = { a, len, prot, host_flags(flags), -1UL, 0 };
		int err = plat_syscall_set_args(t->ctx, args);
		if (err)
			return err;
		record(mm, &v);
		return sysret(SYSRET_NATIVE);
	}
	if (shared)
		v.shm = mm_shm_new(flags & MAP_NORESERVE ? 0 : len);
	long r = inject_mmap(t, &v, prot, flags);
	if (r < 0) {
		drop(&v);
		return r;
	}
	record(mm, &v);
	return r;
}

/* t's native call will free [lo, hi): placement keeps clear of it until t traps again.
 * False when every slot is taken. */
static bool
unmapping_add(struct task *t, unsigned long lo, unsigned long hi)
{
	struct mm *mm = t->mm;

	for (int k = 0; k < mm->nunmapping; k++) {
		struct mm_unmapping *u = &mm->unmapping[k];
		if (u->tid == t->tid) { /* (its previous call is done: it trapped again) */
			*u = (struct mm_unmapping){ lo, hi, t->tid };
			return true;
		}
	}
	if (mm->nunmapping >= MM_UNMAPPING_MAX)
		return false;
	mm->unmapping[mm->nunmapping++] = (struct mm_unmapping){ lo, hi, t->tid };
	return true;
}

void
mm_native_done(struct task *t)
{
	struct mm *mm = t->mm;

	if (!mm)
		return;
	for (int k = 0; k < mm->nunmapping; k++)
		if (mm->unmapping[k].tid == t->tid)
			mm->unmapping[k--] = mm->unmapping[--mm->nunmapping];
}

long
mm_sys_munmap(struct task *t, unsigned long addr, size_t len)
{
	struct mm *mm = t->mm;
	struct vma_usage u;

	if (addr > VMA_TASK_SIZE || len > VMA_TASK_SIZE - addr)
		return -EINVAL;
	mm_sync_below_stack(t, addr, addr + len);
	len = PAGE_UP(len);
	if (!len)
		return -EINVAL;
	vma_usage(mm, addr, addr + len, &u);
	/* Cutting a hole in one mapping makes two: Linux refuses past vm.max_map_count. */
	if (u.count == 1 && u.splits == 1 && mm->nvmas >= VMA_MAX_COUNT) {
		struct vma *v = mm_find_vma(mm, addr);
		if (v && v->start < addr && v->end > addr + len)
			return -ENOMEM;
	}
	if (vma_range_sealed(mm, addr, addr + len))
		return -EPERM; /* nothing is unmapped */
	vma_remove_range(mm, addr, addr + len);
	if (!u.count)
		return sysret(SYSRET_NATIVE); /* nothing there, nothing to wait for */
	if (unmapping_add(t, addr, addr + len))
		return sysret(SYSRET_NATIVE);
	/* every slot taken: unmap before another thread may be given the range */
	long r = plat_inject(t->ctx, __NR_munmap, addr, len, 0, 0, 0, 0);
	return r < 0 ? r : 0;
}

/*
 * Linux's brk: a shrink unmaps [PAGE_UP(want), PAGE_UP(brk)) when a mapping is there; a
 * growth maps [PAGE_UP(brk), PAGE_UP(want)) when nothing lies below PAGE_UP(want) plus a
 * page (plus the stack guard gap below a stack). What the host would refuse is answered
 * here with the old break; what it would do is recorded, charged, and left to the guest's
 * own call. A growth the host might refuse for reasons of its own (much memory at once, a
 * stack close by) is injected so the records follow what it did.
 */
#define BRK_GUARD_GAP (256UL * PAGE_SIZE) /* Linux's default stack_guard_gap */
#define BRK_GUARD_DOUBT (64UL << 20)      /* a stack this close: ask the host */

long
mm_sys_brk(struct task *t, unsigned long want)
{
	struct mm *mm = t->mm;
	unsigned long oldbrk = PAGE_UP(mm->brk), newbrk = PAGE_UP(want);
	struct vma v;

	if (newbrk == oldbrk) {
		mm->brk = want;
		return sysret(SYSRET_NATIVE);
	}
	if (newbrk < oldbrk) {
		int i = vma_index(mm, newbrk);
		if (i >= mm->nvmas || mm->vmas[i].start >= oldbrk ||
		    vma_range_sealed(mm, newbrk, oldbrk))
			return mm->brk;
		/* (every slot taken, 16 threads each amid an unmap: let it run unguarded) */
		unmapping_add(t, newbrk, oldbrk);
		vma_remove_range(mm, newbrk, oldbrk);
		mm->brk = want;
		mm->brk_mapped = newbrk;
		return sysret(SYSRET_NATIVE);
	}
	bool ask = newbrk - oldbrk >= FAST_MAX_LEN || mm->nvmas >= VMA_MAX_COUNT - 1000;
	int i = vma_index(mm, oldbrk);
	if (i < mm->nvmas) {
		const struct vma *next = &mm->vmas[i];
		unsigned long gap = next->flags & VMA_GROWSDOWN ? BRK_GUARD_GAP : 0;
		if (next->start < newbrk + PAGE_SIZE || next->start - newbrk - PAGE_SIZE < gap)
			return mm->brk;
		if ((next->flags & VMA_GROWSDOWN) &&
		    next->start - newbrk - PAGE_SIZE < BRK_GUARD_GAP + BRK_GUARD_DOUBT)
			ask = true;
	}
	long a = plan(mm, oldbrk, newbrk - oldbrk, PROT_READ | PROT_WRITE,
		      MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, true, &v);
	if (a < 0)
		return mm->brk;
	if (ask) {
		long r = plat_inject(t->ctx, __NR_brk, want, 0, 0, 0, 0, 0);
		if (r != (long)want) {
			drop(&v);
			return r < 0 ? (long)mm->brk : r;
		}
	}
	record(mm, &v);
	mm->brk = want;
	mm->brk_mapped = newbrk;
	return ask ? (long)want : sysret(SYSRET_NATIVE);
}

struct mprotect_plan {
	unsigned long start, end;  /* the range, after PROT_GROWSDOWN */
	unsigned long stop;        /* end of the prefix Linux would change */
	int err;                   /* what it returns after changing that prefix */
	bool inject;               /* the host must decide (a file may refuse PROT_EXEC) */
};

/* Linux map_deny_write_exec: under PR_SET_MDWE memory may not become writable and executable,
 * nor executable when it was not. */
static bool
mdwe_refuses(const struct mm *mm, const struct vma *v, int prot)
{
	return (mm->mdwe & PR_MDWE_REFUSE_EXEC_GAIN) && (prot & PROT_EXEC) &&
	       ((prot & PROT_WRITE) || !(v->prot & PROT_EXEC));
}

/* Walks the records as Linux's mprotect walks its vmas: contiguous mappings from start,
 * each checked in turn; it stops at the first hole or refusal, keeping the changes made. */
static void
plan_mprotect(struct mm *mm, int prot, struct mprotect_plan *p)
{
	unsigned long charge = 0, data = 0, at = p->start;
	rlim_t dlim = sentry.rlim[RLIMIT_DATA].rlim_cur;

	p->err = 0;
	for (int i = vma_index(mm, p->start); at < p->end; i++) {
		if (i >= mm->nvmas || mm->vmas[i].start > at) {
			p->err = -ENOMEM;
			break;
		}
		const struct vma *v = &mm->vmas[i];
		unsigned long lo = MAX(v->start, p->start), hi = MIN(v->end, p->end);
		if (((prot & PROT_WRITE) && !(v->flags & VMA_MAYWRITE)) ||
		    ((prot & PROT_EXEC) && (v->flags & VMA_NOEXEC)) || mdwe_refuses(mm, v, prot)) {
			p->err = -EACCES;
			break;
		}
		if (v->flags & VMA_SEALED) { /* (even to the protection it has) */
			p->err = -EPERM;
			break;
		}
		if (v->name && v->name->path[0] != '[' && (prot & PROT_EXEC) && !(v->prot & PROT_EXEC))
			p->inject = true;
		if ((prot & PROT_WRITE) && !(v->flags & (VMA_ACCOUNTED | VMA_SHARED | VMA_NORESERVE)))
			charge += hi - lo;
		if (vma_is_data(prot, v->flags) && !vma_is_data(v->prot, v->flags))
			data += hi - lo;
		if (charge && charge_refused(mm, charge, "mprotect")) {
			p->err = -ENOMEM;
			break;
		}
		if (data && dlim != RLIM_INFINITY && mm->data_vm + data > dlim) {
			p->err = -ENOMEM;
			break;
		}
		at = hi;
	}
	p->stop = at;
}

long
mm_sys_mprotect(struct task *t, unsigned long addr, size_t len, int prot, long pkey)
{
	struct mm *mm = t->mm;
	struct mprotect_plan p = { .start = addr };
	int grows = prot & (PROT_GROWSDOWN | PROT_GROWSUP);

	mm_sync_below_stack(t, addr, addr + len);
	/* Linux's order of checks (do_mprotect_pkey). */
	if (grows == (PROT_GROWSDOWN | PROT_GROWSUP) || (addr & (PAGE_SIZE - 1)))
		return -EINVAL;
	if (!len)
		return 0;
	p.end = PAGE_UP(addr + len);
	if (p.end <= addr)
		return -ENOMEM;
	if (prot & ~(PROT_ALL | PROT_SEM | PROT_GROWSDOWN | PROT_GROWSUP))
		return -EINVAL;
	if (mm_range_reserved(addr, p.end - addr))
		return -ENOMEM;
	struct vma *v = mm_find_vma(mm, addr);
	if (!v && grows) {
		int i = vma_index(mm, addr);
		v = i < mm->nvmas && mm->vmas[i].start < p.end ? &mm->vmas[i] : NULL;
	}
	if (!v)
		return -ENOMEM;
	if (grows) {
		if (grows == PROT_GROWSUP || !(v->flags & VMA_GROWSDOWN))
			return -EINVAL;
		p.start = v->start;
	}
	prot &= PROT_ALL;
	p.inject = pkey != -1;
	plan_mprotect(mm, prot, &p);
	if (!p.err && !p.inject) {
		set_prot_range(mm, p.start, p.end, prot);
		return sysret(SYSRET_NATIVE);
	}
	if (p.stop == p.start)
		return p.err;
	/* Let the host change exactly what Linux would (and tell whether a file refuses). */
	long r = pkey != -1 ? plat_inject(t->ctx, __NR_pkey_mprotect, p.start, p.stop - p.start,
					   prot, pkey, 0, 0)
			    : plat_inject(t->ctx, __NR_mprotect, p.start, p.stop - p.start, prot, 0,
					  0, 0);
	if (r < 0)
		return r;
	set_prot_range(mm, p.start, p.stop, prot);
	return p.err;
}

/* A new record for [start, end) as a piece of the mapping tmpl (which covered old), holding
 * its own references. */
static struct vma
piece_of(const struct vma *tmpl, unsigned long old, unsigned long start, unsigned long end)
{
	struct vma v = *tmpl;

	v.off += old - tmpl->start;
	v.start = start;
	v.end = end;
	if (v.name)
		v.name->refs++;
	if (v.shm)
		v.shm->refs++;
	return v;
}

/* A mapping the host resized or moved (to r): the records follow, as Linux's mremap does. */
static void
record_mremap(struct mm *mm, const struct vma *tmpl, unsigned long old, unsigned long old_len,
	      unsigned long new_len, int flags, unsigned long r)
{
	struct vma v;

	if (r == old) {
		if (new_len < old_len) {
			vma_remove_range(mm, old + new_len, old + old_len);
		} else if (new_len > old_len) {
			v = piece_of(tmpl, old + old_len, old + old_len, old + new_len);
			record(mm, &v);
		}
		return;
	}
	v = piece_of(tmpl, old, r, r + new_len); /* before the old range lets go of its refs */
	if (old_len && !(flags & MREMAP_DONTUNMAP))
		vma_remove_range(mm, old, old + old_len);
	record(mm, &v);
}

long
mm_sys_mremap(struct task *t, unsigned long old, size_t old_len, size_t new_len, int flags,
	      unsigned long new_addr)
{
	struct mm *mm = t->mm;

	if (flags & ~(MREMAP_FIXED | MREMAP_MAYMOVE | MREMAP_DONTUNMAP))
		return -EINVAL;
	mm_sync_below_stack(t, old, old + MAX(old_len, new_len));
	if (flags & MREMAP_FIXED)
		mm_sync_below_stack(t, new_addr, new_addr + new_len);
	if ((flags & MREMAP_FIXED) && !(flags & MREMAP_MAYMOVE))
		return -EINVAL;
	if ((flags & MREMAP_DONTUNMAP) && (!(flags & MREMAP_MAYMOVE) || old_len != new_len))
		return -EINVAL;
	if (old & (PAGE_SIZE - 1))
		return -EINVAL;
	unsigned long olen = PAGE_UP(old_len), nlen = PAGE_UP(new_len);
	if (!nlen || nlen < new_len || olen < old_len)
		return -EINVAL;
	if (mm_range_reserved(old, olen))
		return -EFAULT;
	if ((flags & MREMAP_FIXED) && mm_range_reserved(new_addr, nlen))
		return -EINVAL;
	struct vma *v = mm_find_vma(mm, old);
	if (!v || ((v->flags & VMA_DONTEXPAND) && nlen > olen))
		return -EFAULT;
	struct vma tmpl = *v;
	/* Growth is checked like a new mapping of the difference. */
	unsigned long grow = (flags & MREMAP_DONTUNMAP) ? nlen : nlen > olen ? nlen - olen : 0;
	rlim_t as = sentry.rlim[RLIMIT_AS].rlim_cur;
	if (grow && as != RLIM_INFINITY && mm->total_vm + grow > as)
		return -ENOMEM;
	if (grow && (tmpl.flags & VMA_ACCOUNTED) && charge_refused(mm, grow, "mremap")) {
		return -ENOMEM;
	}
	long r = plat_inject(t->ctx, __NR_mremap, old, old_len, new_len, flags, new_addr, 0);
	if (r < 0)
		return r;
	record_mremap(mm, &tmpl, old, olen, nlen, flags, r);
	return r;
}

/* Linux remap_file_pages (mm/mmap.c): prot must be 0; the range lies in one shared file
 * mapping or in contiguous ones of the same file and kind; the host's own emulation
 * remaps its mapping of that file (a host file, the memfd of a tmpfs one, the shared
 * anonymous object), then the records follow. */
long
mm_sys_remap_file_pages(struct task *t, unsigned long start, unsigned long size,
			unsigned long prot, unsigned long pgoff, unsigned long flags)
{
	struct mm *mm = t->mm;

	if (prot || !mm)
		return -EINVAL;
	start &= ~(PAGE_SIZE - 1);
	size &= ~(PAGE_SIZE - 1);
	if (start + size <= start)
		return -EINVAL;
	if (pgoff + size / PAGE_SIZE < pgoff || pgoff > (~0UL >> 12) - size / PAGE_SIZE)
		return -EINVAL;
	unsigned long end = start + size;
	struct vma *v = mm_find_vma(mm, start);
	if (!v || !(v->flags & VMA_SHARED) || (v->flags & VMA_RESERVED) || (!v->name && !v->shm))
		return -EINVAL;
	for (int j = (int)(v - mm->vmas); mm->vmas[j].end < end; j++) {
		const struct vma *p = &mm->vmas[j], *n = p + 1;
		if (j + 1 >= mm->nvmas || n->start != p->end || n->flags != v->flags ||
		    n->prot != v->prot || n->shm != v->shm || !n->name != !v->name ||
		    (v->name && (n->name->dev != v->name->dev || n->name->ino != v->name->ino)))
			return -EINVAL;
	}
	if (mm_range_reserved(start, size))
		return -EINVAL;
	long r = plat_inject(t->ctx, __NR_remap_file_pages, start, size, 0, pgoff,
			     flags & MAP_NONBLOCK, 0);
	if (r < 0)
		return r;
	struct vma nv = *v;
	nv.start = start;
	nv.end = end;
	nv.off = pgoff * PAGE_SIZE;
	if (nv.name)
		nv.name->refs++;
	if (nv.shm)
		nv.shm->refs++;
	record(mm, &nv);
	return 0;
}

static bool
lock_refuses(int advice)
{
	for (size_t i = 0; i < stub_lock_refused_advice_len; i++)
		if (stub_lock_refused_advice[i] == advice)
			return true;
	return false;
}

long
mm_sys_madvise(struct task *t, unsigned long addr, size_t len, int advice)
{
	struct mm *mm = t->mm;
	unsigned long end = PAGE_UP(addr + len);

	mm_sync_below_stack(t, addr, end);
	if ((addr & (PAGE_SIZE - 1)) == 0 && end > addr && lock_refuses(advice)) {
		/* Linux madvise_walk_vmas: the advice applies to the mappings before the first
		 * locked one, which fails it (EINVAL); the host knows no locks */
		for (int i = vma_index(mm, addr); i < mm->nvmas && mm->vmas[i].start < end; i++) {
			const struct vma *v = &mm->vmas[i];
			if (v->end <= addr || !(v->flags & VMA_LOCKED) || (v->flags & VMA_RESERVED))
				continue;
			if (v->start > addr)
				plat_inject(t->ctx, __NR_madvise, addr, v->start - addr, advice, 0, 0, 0);
			return -EINVAL;
		}
	}
	if (advice != MADV_DONTFORK && advice != MADV_DOFORK && advice != MADV_DONTDUMP &&
	    advice != MADV_DODUMP)
		return sysret(SYSRET_NATIVE);
	if ((addr & (PAGE_SIZE - 1)) || end < addr)
		return sysret(SYSRET_NATIVE); /* the host refuses it as Linux does */
	/* a sealed read-only mapping refuses it (EPERM): the host decides before the records
	 * change */
	long r = vma_range_sealed(mm, addr, end) ? plat_inject(t->ctx, __NR_madvise, addr, len,
								  advice, 0, 0, 0) : 0;
	if (r < 0)
		return r;
	int i = vma_isolate(mm, addr, end), first = i;
	for (; i < mm->nvmas && mm->vmas[i].start < end; i++) {
		if (mm->vmas[i].flags & VMA_RESERVED)
			continue;
		if (advice == MADV_DONTFORK)
			mm->vmas[i].flags |= VMA_DONTCOPY;
		else if (advice == MADV_DOFORK)
			mm->vmas[i].flags &= ~VMA_DONTCOPY;
		else if (advice == MADV_DONTDUMP)
			mm->vmas[i].flags |= VMA_DONTDUMP;
		else
			mm->vmas[i].flags &= ~VMA_DONTDUMP;
	}
	for (int j = i - 1; j >= first - 1; j--)
		vma_try_merge(mm, j);
	return vma_range_sealed(mm, addr, end) ? 0 : sysret(SYSRET_NATIVE);
}

long
mm_advise_remote(struct mm *mm, unsigned long addr, size_t len, int advice)
{
	unsigned long end = PAGE_UP(addr + len), at = addr;
	bool hole = false;

	if ((addr & (PAGE_SIZE - 1)) || (len && end <= addr))
		return -EINVAL;
	if (!len)
		return 0;
	for (int i = vma_index(mm, addr); i < mm->nvmas && mm->vmas[i].start < end; i++) {
		const struct vma *v = &mm->vmas[i];

		if (v->end <= at)
			continue;
		if (v->start > at || (v->flags & VMA_RESERVED))
			hole = true;
		if ((v->flags & VMA_RESERVED) == 0 && (v->flags & VMA_LOCKED) && lock_refuses(advice))
			return -EINVAL;
		at = v->end;
	}
	return hole || at < end ? -ENOMEM : 0;
}

int
mm_set_locked(struct mm *mm, unsigned long start, unsigned long end, unsigned lock)
{
	unsigned long at = start;
	int i, first;

	if (!end) {
		end = 1; /* (not a hole) */
		first = 0;
		for (i = 0; i < mm->nvmas; i++)
			if (!(mm->vmas[i].flags & VMA_RESERVED))
				mm->vmas[i].flags = (mm->vmas[i].flags &
						     ~(VMA_LOCKED | VMA_LOCKONFAULT)) | lock;
	} else {
		/* Linux apply_vma_lock_flags: the mappings up to the first hole change */
		for (i = vma_index(mm, start); at < end; i++) {
			if (i >= mm->nvmas || mm->vmas[i].start > at ||
			    (mm->vmas[i].flags & VMA_RESERVED))
				break;
			at = mm->vmas[i].end;
		}
		if (at <= start)
			return -ENOMEM;
		unsigned long stop = MIN(at, end);
		i = vma_isolate(mm, start, stop);
		first = i;
		for (; i < mm->nvmas && mm->vmas[i].start < stop; i++)
			mm->vmas[i].flags = (mm->vmas[i].flags & ~(VMA_LOCKED | VMA_LOCKONFAULT)) | lock;
		end = stop < end ? 0 : end;
	}
	for (int j = i - 1; j >= first - 1; j--)
		vma_try_merge(mm, j);
	return end ? 0 : -ENOMEM;
}

/* Linux do_mseal: flags 0, start page-aligned, a length that does not wrap (EINVAL); every
 * page of the range mapped (ENOMEM; the stub region counts as unmapped). */
long
mm_sys_mseal(struct task *t, unsigned long start, size_t len, unsigned long flags)
{
	struct mm *mm = t->mm;
	unsigned long end = PAGE_UP(start + len), at = start;

	if (flags || (start & (PAGE_SIZE - 1)))
		return -EINVAL;
	mm_sync_below_stack(t, start, end);
	if ((len && !PAGE_UP(len)) || end < start)
		return -EINVAL;
	if (end == start)
		return 0;
	for (int i = vma_index(mm, start); at < end; i++) {
		if (i >= mm->nvmas || mm->vmas[i].start > at || (mm->vmas[i].flags & VMA_RESERVED))
			return -ENOMEM;
		at = mm->vmas[i].end;
	}
	long r = plat_inject(t->ctx, __NR_mseal, start, end - start, 0, 0, 0, 0);
	if (r < 0)
		return r;
	int i = vma_isolate(mm, start, end), first = i;
	for (; i < mm->nvmas && mm->vmas[i].start < end; i++)
		mm->vmas[i].flags |= VMA_SEALED;
	for (int j = i - 1; j >= first - 1; j--)
		vma_try_merge(mm, j);
	return 0;
}

/* mbind's part in the records: every page of [start, end) must be mapped (Linux: EFAULT,
 * nothing changed), then each record there takes the policy. */
int
mm_set_mpol(struct mm *mm, unsigned long start, unsigned long end, unsigned short mpol)
{
	unsigned long at = start;

	for (int i = vma_index(mm, start); at < end; i++) {
		if (i >= mm->nvmas || mm->vmas[i].start > at || (mm->vmas[i].flags & VMA_RESERVED))
			return -EFAULT;
		at = mm->vmas[i].end;
	}
	int i = vma_isolate(mm, start, end), first = i;
	for (; i < mm->nvmas && mm->vmas[i].start < end; i++)
		mm->vmas[i].mpol = mpol;
	for (int j = i - 1; j >= first - 1; j--)
		vma_try_merge(mm, j);
	return 0;
}

/* The policy of the record holding addr, or -EFAULT. */
int
mm_get_mpol(struct mm *mm, unsigned long addr)
{
	int i = vma_index(mm, addr);

	if (i >= mm->nvmas || mm->vmas[i].start > addr || (mm->vmas[i].flags & VMA_RESERVED))
		return -EFAULT;
	return mm->vmas[i].mpol;
}
