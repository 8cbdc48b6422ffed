/* Memory: mmap and friends, and the emulated program break. */
#include <cpuid.h>
#include <linux/capability.h>
#include <sys/mman.h>
#include <sys/syscall.h>

#include "fs/vfs.h"
#include "platform/platform.h"
#include "sentry/vma.h"
#include "syscalls/internal.h"
#include "syscalls/ipc.h"

#define MAP_TYPE_MASK 0x0f

/* Bytes of the address space locked in memory (the records' locked mappings: the host
 * locks nothing), those inside [start, end) left out. */
static unsigned long
locked_bytes(struct mm *mm, unsigned long start, unsigned long end)
{
	unsigned long sum = 0;

	for (int i = 0; i < mm->nvmas; i++) {
		const struct vma *v = &mm->vmas[i];
		if (!(v->flags & VMA_LOCKED))
			continue;
		unsigned long lo = MAX(v->start, start), hi = MIN(v->end, end);
		sum += v->end - v->start - (lo < hi ? hi - lo : 0);
	}
	return sum;
}

/* The host's stub holds no locks, so from a process's first lock on, the advice Linux
 * refuses on locked memory comes to the sentry (mm_sys_madvise) through a filter stacked on
 * its stub (all its threads); a fork keeps the filter, an exec's new stub starts without.
 * (Not covered: another process sharing the memory through CLONE_VM without CLONE_THREAD,
 * and a stub whose threads carry different guest filters, where TSYNC fails: there the
 * host answers as if nothing were locked.) */
static void
trace_locked_advice(struct task *t)
{
	if (t->leader->advice_traced)
		return;
	int err = plat_trace_madvise(t->ctx);
	if (err)
		log_debug("task %d: madvise of locked memory stays native: %s", t->tid, strerror(-err));
	else
		t->leader->advice_traced = true;
}

/*
 * RLIMIT_MEMLOCK for a thread without CAP_IPC_LOCK (Linux can_do_mlock and the lock
 * limit): a limit of 0 refuses any locking (EPERM); more locked than the limit is ENOMEM
 * for mlock and mlockall, EAGAIN for a mapping made or grown locked (future).
 */
static long
mlock_allowed(struct task *t, unsigned long more, bool future)
{
	rlim_t lim = sentry.rlim[RLIMIT_MEMLOCK].rlim_cur;

	if (task_capable(t, CAP_IPC_LOCK) || lim == RLIM_INFINITY)
		return 0;
	if (lim == 0)
		return -EPERM;
	if (more + locked_bytes(t->mm, 0, 0) > (lim & ~(PAGE_SIZE - 1)))
		return future ? -EAGAIN : -ENOMEM;
	return 0;
}

int
huge_page_shift(int log)
{
	unsigned a, b, c, d;

	if (log == 0 || log == 21)
		return 21;
	if (log == 30 && __get_cpuid(0x80000001, &a, &b, &c, &d) && (d & (1u << 26)))
		return 30; /* 1G pages where the CPU has them (pdpe1gb) */
	return -EINVAL;
}

/*
 * MAP_HUGETLB. The sandbox has no huge pages to give (its hugetlb pools are empty, as its
 * /proc/meminfo and /sys/kernel/mm/hugepages say), so the answer is Linux's for an empty
 * pool, in ksys_mmap_pgoff's and do_mmap's order: a file not on hugetlbfs (none is) EINVAL,
 * a page size the machine lacks EINVAL, a fixed address not on a huge page EINVAL, then the
 * reservation fails (ENOMEM: PostgreSQL's huge_pages=try falls back on it). MAP_NORESERVE
 * reserves nothing and maps; the first touch finds no page (SIGBUS): an empty file's
 * mapping faults the same way. The host never sees the flag (hugetlb pages are memory
 * --memory does not count).
 */
static long
mmap_hugetlb(struct task *t, unsigned long addr, unsigned long len, int prot, int flags)
{
	int shift = huge_page_shift((flags >> MAP_HUGE_SHIFT) & MAP_HUGE_MASK);
	struct file *f;
	long r;

	if (!(flags & MAP_ANONYMOUS) || shift < 0)
		return -EINVAL;
	unsigned long hmask = (1UL << shift) - 1;
	if (len > ~hmask)
		return -EINVAL; /* rounded up to nothing: do_mmap's length 0 */
	len = (len + hmask) & ~hmask;
	if ((flags & (MAP_FIXED | MAP_FIXED_NOREPLACE)) && (addr & hmask))
		return -EINVAL;
	if (!(flags & MAP_NORESERVE)) {
		struct vma_usage u;

		if ((flags & (MAP_FIXED | MAP_FIXED_NOREPLACE)) &&
		    (len > VMA_TASK_SIZE || addr > VMA_TASK_SIZE - len))
			return -ENOMEM;
		if (flags & MAP_FIXED_NOREPLACE) { /* (do_mmap looks before mmap_region reserves) */
			vma_usage(t->mm, addr, addr + len, &u);
			if (u.count)
				return -EEXIST;
		} else if (flags & MAP_FIXED) {
			/* mmap_region clears the range before the reservation fails: what the
			 * range held is gone all the same (unless sealed) */
			if (vma_range_sealed(t->mm, addr, addr + len))
				return -EPERM;
			mm_munmap(t, addr, len);
		}
		return -ENOMEM;
	}
	int type = (flags & MAP_TYPE_MASK) == MAP_PRIVATE ? MAP_PRIVATE : MAP_SHARED;
	if (!(flags & (MAP_FIXED | MAP_FIXED_NOREPLACE))) {
		/* hugetlb_get_unmapped_area: on a huge page (the hint rounded up to one) */
		r = vma_place(t->mm, (addr + hmask) & ~hmask, len + hmask + 1 - PAGE_SIZE, 0);
		if (r < 0)
			return r;
		addr = ((unsigned long)r + hmask) & ~hmask;
		flags |= MAP_FIXED_NOREPLACE;
	}
	int err = vfs_hugetlb_anon_create(t, &f);
	if (err)
		return err;
	flags = (flags & (MAP_FIXED | MAP_FIXED_NOREPLACE)) | type;
	r = mm_sys_mmap_file(t, addr, len, prot, flags, f, 0);
	file_put(f);
	return r;
}

SYSCALL(mmap)
{
	unsigned long addr = a->a[0], len = a->a[1];
	int prot = a->a[2], flags = a->a[3], fd = (int)a->a[4];
	off_t off = a->a[5];
	int type = flags & MAP_TYPE_MASK;
	long r;

	struct file *f = NULL;

	/* Linux looks up the fd before checking anything else. */
	if (!(flags & MAP_ANONYMOUS) && (!(f = sys_fd(t, fd)) || (file_get_flags(f) & O_PATH)))
		return -EBADF; /* (an O_PATH fd is none for mmap) */
	if (len == 0 || PAGE_UP(len) < len) /* (a huge page rounds it up to 0 first) */
		return len == 0 || (flags & MAP_HUGETLB) ? -EINVAL : -ENOMEM;
	if (type != MAP_PRIVATE && type != MAP_SHARED && type != MAP_SHARED_VALIDATE)
		return -EINVAL;
	if (off & (PAGE_SIZE - 1))
		return -EINVAL;
	if ((flags & (MAP_FIXED | MAP_FIXED_NOREPLACE)) && mm_range_reserved(addr, PAGE_UP(len)))
		return -ENOMEM;
	if (flags & (MAP_FIXED | MAP_FIXED_NOREPLACE))
		mm_sync_below_stack(t, addr, addr + PAGE_UP(len));
	if ((flags & MAP_LOCKED) && (r = mlock_allowed(t, PAGE_UP(len), true)) < 0)
		return r;
	if (flags & MAP_LOCKED)
		trace_locked_advice(t);
	if (flags & MAP_HUGETLB)
		return mmap_hugetlb(t, addr, len, prot, flags);
	if (flags & MAP_ANONYMOUS)
		return mm_sys_mmap_anon(t, addr, len, prot, flags);
	int acc = file_get_flags(f) & O_ACCMODE;
	if (acc == O_WRONLY)
		return -EACCES;
	if (type != MAP_PRIVATE && (prot & PROT_WRITE) && acc != O_RDWR)
		return -EACCES;
	if (off < 0 || off + (off_t)len < off)
		return -EOVERFLOW;
	int kind = file_mmap_check(f);
	if (kind < 0)
		return kind;
	if ((prot & PROT_EXEC) && file_noexec(f))
		return -EPERM; /* Linux do_mmap: path_noexec */
	if (kind == FILE_MAP_ZERO) { /* /dev/zero: anonymous memory, shared with MAP_SHARED */
		r = mm_sys_mmap_anon(t, addr, len, prot, flags | MAP_ANONYMOUS);
		/* Linux: a shared mapping of a descriptor not open for writing never
		 * becomes writable (no VM_MAYWRITE: mprotect says EACCES) */
		if (r >= 0 && type != MAP_PRIVATE && acc != O_RDWR) {
			struct vma *v = mm_find_vma(t->mm, (unsigned long)r);
			if (v && v->start == (unsigned long)r && v->shm)
				v->flags &= ~VMA_MAYWRITE;
		}
		return r;
	}
	r = mm_sys_mmap_file(t, addr, PAGE_UP(len), prot, flags, f, off);
	if (r >= 0 || r == SYSRET_NATIVE)
		file_accessed(f); /* Linux generic_file_mmap */
	return r;
}

/* munmap, mprotect and mremap change the layout: the sentry records them (sentry/mm.c). */
SYSCALL(munmap)
{
	if (a->a[0] & (PAGE_SIZE - 1))
		return -EINVAL;
	if (mm_range_reserved(a->a[0], PAGE_UP(a->a[1])))
		return -EINVAL;
	return mm_sys_munmap(t, a->a[0], a->a[1]);
}

SYSCALL(mprotect)
{
	return mm_sys_mprotect(t, a->a[0], a->a[1], (int)a->a[2], -1);
}

SYSCALL(pkey_mprotect)
{
	return mm_sys_mprotect(t, a->a[0], a->a[1], (int)a->a[2], (int)a->a[3]);
}

/* madvise reaches the sentry for ranges near the stub page and for MADV_(DONT|DO)FORK,
 * which decide what fork copies. */
SYSCALL(madvise)
{
	if (mm_range_reserved(a->a[0], PAGE_UP(a->a[1])))
		return -ENOMEM;
	return mm_sys_madvise(t, a->a[0], a->a[1], (int)a->a[2]);
}

#ifndef MADV_COLLAPSE
#define MADV_COLLAPSE 25
#endif

/* The hints process_madvise may give another process (Linux process_madvise_remote_valid):
 * none changes what its memory holds. */
static bool
remote_advice(int advice)
{
	return advice == MADV_COLD || advice == MADV_PAGEOUT || advice == MADV_WILLNEED ||
	       advice == MADV_COLLAPSE;
}

/* One range of process_madvise on the caller's own memory: as madvise does it. */
static long
advise_own(struct task *t, unsigned long addr, size_t len, int advice)
{
	if (mm_range_reserved(addr, PAGE_UP(len)))
		return -ENOMEM;
	long r = mm_sys_madvise(t, addr, len, advice);
	if (r == SYSRET_NATIVE)
		r = plat_inject(t->ctx, __NR_madvise, addr, len, advice, 0, 0, 0);
	return r;
}

/* Linux 6.13+: flags 0, the iovec, the pidfd's process, read access to its memory (EACCES);
 * another process's memory takes only remote_advice (EINVAL) and needs CAP_SYS_NICE (EPERM).
 * The ranges go in order as madvise does them: the bytes of those done, or the first one's
 * error. */
/* Linux frees a dying process's memory at once; the host frees a stub's as it dies, so
 * there is nothing to hasten. Its answers stay: a process that is not dying (no SIGKILL
 * sent) is EINVAL, one that ended ESRCH, not a pidfd EBADF. */
SYSCALL(process_mrelease)
{
	if ((unsigned int)a->a[1])
		return -EINVAL;
	int pid = vfs_pidfd_pid(sys_fd(t, (int)a->a[0]));
	if (pid < 0)
		return pid;
	struct task *p = task_lookup(pid);
	if (p && p->leader)
		p = p->leader;
	if (!p || p->state == TASK_ZOMBIE) /* (an ended one too, reaped or not) */
		return -ESRCH;
	return !p->mm || p->sig_killed ? 0 : -EINVAL;
}

SYSCALL(process_madvise)
{
	_cleanup_free_ struct iovec *iov = NULL;
	int advice = (int)a->a[3];
	size_t total, done = 0;
	long r;

	if ((unsigned int)a->a[4])
		return -EINVAL;
	if ((r = sys_import_iov(t, a->a[1], a->a[2], &iov, &total)))
		return r;
	int pid = vfs_pidfd_pid(sys_fd(t, (int)a->a[0]));
	if (pid < 0)
		return pid;
	struct task *p = task_lookup(pid);
	if (!p || p->state == TASK_ZOMBIE || !p->mm)
		return -ESRCH;
	bool own = p->mm == t->mm;
	if (!own && !task_ptrace_may_access(t, p, true))
		return -EACCES;
	if (!own && !remote_advice(advice))
		return -EINVAL;
	if (!own && !task_capable(t, CAP_SYS_NICE))
		return -EPERM;
	for (unsigned long i = 0; i < a->a[2]; i++) {
		unsigned long addr = (unsigned long)iov[i].iov_base;
		size_t len = iov[i].iov_len;

		r = own ? advise_own(t, addr, len, advice) : mm_advise_remote(p->mm, addr, len, advice);
		if (r < 0)
			break;
		done += len;
	}
	return done ? (long)done : r < 0 ? r : 0;
}

SYSCALL(remap_file_pages)
{
	if (!a->a[2] && shm_remap_destroys(t, a->a[0], a->a[1]))
		return -EINVAL;
	return mm_sys_remap_file_pages(t, a->a[0], a->a[1], a->a[2], a->a[3], a->a[4]);
}

SYSCALL(mremap)
{
	unsigned long addr = a->a[0], old_len = PAGE_UP(a->a[1]), new_len = PAGE_UP(a->a[2]);

	/* growing a locked mapping needs room under RLIMIT_MEMLOCK (Linux: EAGAIN) */
	if (!(addr & (PAGE_SIZE - 1)) && new_len > old_len && !task_capable(t, CAP_IPC_LOCK)) {
		struct vma *v = mm_find_vma(t->mm, addr);
		rlim_t lim = sentry.rlim[RLIMIT_MEMLOCK].rlim_cur;
		if (v && v->start <= addr && (v->flags & VMA_LOCKED) && lim != RLIM_INFINITY &&
		    locked_bytes(t->mm, 0, 0) + (new_len - old_len) > lim)
			return -EAGAIN;
	}
	return mm_sys_mremap(t, a->a[0], a->a[1], a->a[2], (int)a->a[3], a->a[4]);
}

/*
 * mlock and friends are kept in the sentry's records (VmLck, smaps' Locked, what
 * RLIMIT_MEMLOCK counts): the stub's host limit is not the guest's. A lock that is not
 * MLOCK_ONFAULT faults its pages in, as Linux's populate does (errors there ignored).
 */
static void
populate(struct task *t, unsigned long start, unsigned long end)
{
	struct mm *mm = t->mm;

	for (int i = 0; i < mm->nvmas && mm->vmas[i].start < end; i++) {
		const struct vma *v = &mm->vmas[i];
		unsigned long lo = MAX(v->start, start), hi = MIN(v->end, end);
		if (hi <= lo)
			continue;
		if ((v->flags & (VMA_RESERVED | VMA_LOCKONFAULT)) ||
		    !(v->prot & (PROT_READ | PROT_WRITE)))
			continue;
		plat_inject(t->ctx, __NR_madvise, lo, hi - lo,
			    v->prot & PROT_WRITE ? MADV_POPULATE_WRITE : MADV_POPULATE_READ, 0, 0, 0);
	}
}

static bool
range_has_prot_none(struct mm *mm, unsigned long start, unsigned long end)
{
	for (int i = 0; i < mm->nvmas && mm->vmas[i].start < end; i++)
		if (mm->vmas[i].end > start && !(mm->vmas[i].prot & (PROT_READ | PROT_WRITE | PROT_EXEC)))
			return true;
	return false;
}

/* Does a locked mapping overlap [start, end)? */
static bool
range_has_locked(struct mm *mm, unsigned long start, unsigned long end)
{
	for (int i = 0; i < mm->nvmas && mm->vmas[i].start < end; i++)
		if (mm->vmas[i].end > start && (mm->vmas[i].flags & VMA_LOCKED))
			return true;
	return false;
}

static long
do_mlock(struct task *t, unsigned long addr, unsigned long size, unsigned lock)
{
	unsigned long start = addr & ~(PAGE_SIZE - 1);
	/* Linux's PAGE_ALIGN, which wraps: a size near ULONG_MAX locks nothing */
	unsigned long len = PAGE_UP(size + (addr & (PAGE_SIZE - 1)));
	long r;

	if (lock && !task_capable(t, CAP_IPC_LOCK)) {
		rlim_t lim = sentry.rlim[RLIMIT_MEMLOCK].rlim_cur;
		if (lim == 0)
			return -EPERM; /* can_do_mlock, before anything */
		if (lim != RLIM_INFINITY &&
		    len + locked_bytes(t->mm, start, start + len) > (lim & ~(PAGE_SIZE - 1)))
			return -ENOMEM;
	}
	if (start + len < start)
		return -EINVAL; /* apply_vma_lock_flags: the range wraps */
	if (!len)
		return 0;
	if (mm_range_reserved(start, len))
		return -ENOMEM;
	mm_sync_below_stack(t, start, start + len);
	r = mm_set_locked(t->mm, start, start + len, lock);
	if (r == 0 && lock)
		trace_locked_advice(t);
	if (r == 0 && lock && !(lock & VMA_LOCKONFAULT)) {
		populate(t, start, start + len);
		/* Linux: the lock stays, but a PROT_NONE page cannot be faulted in (ENOMEM) */
		if (range_has_prot_none(t->mm, start, start + len))
			return -ENOMEM;
	}
	return r;
}

SYSCALL(mlock)
{
	return do_mlock(t, a->a[0], a->a[1], VMA_LOCKED);
}

SYSCALL(mlock2)
{
	if ((unsigned int)a->a[2] & ~(unsigned int)MLOCK_ONFAULT) /* (flags: an int) */
		return -EINVAL;
	return do_mlock(t, a->a[0], a->a[1],
			VMA_LOCKED | (a->a[2] & MLOCK_ONFAULT ? VMA_LOCKONFAULT : 0));
}

SYSCALL(mseal)
{
	return mm_sys_mseal(t, a->a[0], a->a[1], a->a[2]);
}

SYSCALL(munlock)
{
	return do_mlock(t, a->a[0], a->a[1], 0);
}

/* Linux apply_mlockall_flags: MCL_FUTURE sets what new mappings get, MCL_CURRENT locks
 * every mapping; without MCL_CURRENT the existing ones are unlocked. */
static long
do_mlockall(struct task *t, int flags)
{
	unsigned onfault = flags & MCL_ONFAULT ? VMA_LOCKONFAULT : 0;

	if (flags & (MCL_CURRENT | MCL_FUTURE))
		trace_locked_advice(t);
	t->mm->lock_future = flags & MCL_FUTURE ? VMA_LOCKED | onfault : 0;
	mm_set_locked(t->mm, 0, 0, flags & MCL_CURRENT ? VMA_LOCKED | onfault : 0);
	if ((flags & MCL_CURRENT) && !onfault)
		populate(t, 0, ~0UL);
	return 0;
}

SYSCALL(mlockall)
{
	int flags = (int)a->a[0];

	if (!flags || (flags & ~(MCL_CURRENT | MCL_FUTURE | MCL_ONFAULT)) || flags == MCL_ONFAULT)
		return -EINVAL;
	if (!task_capable(t, CAP_IPC_LOCK)) {
		rlim_t lim = sentry.rlim[RLIMIT_MEMLOCK].rlim_cur;
		if (lim == 0)
			return -EPERM;
		if ((flags & MCL_CURRENT) && lim != RLIM_INFINITY && t->mm->total_vm > lim)
			return -ENOMEM;
	}
	return do_mlockall(t, flags);
}

SYSCALL(munlockall)
{
	return do_mlockall(t, 0);
}

/* The break starts right after the program's highest segment, as on Linux. */
SYSCALL(brk)
{
	struct mm *mm = t->mm;
	unsigned long want = a->a[0];
	rlim_t data = sentry.rlim[RLIMIT_DATA].rlim_cur;

	if (want < mm->brk_start || want > mm->brk_start + (1UL << 40))
		return mm->brk;
	/* Linux's check_data_rlimit: the break and the data count against RLIMIT_DATA. */
	if (data != RLIM_INFINITY &&
	    (want - mm->brk_start) + (mm->end_data - mm->start_data) > data)
		return mm->brk;
	if (mm->host_brk)
		return mm_sys_brk(t, want);
	unsigned long end = PAGE_UP(want);
	if (end > mm->brk_mapped) {
		long r = mm_mmap(t, mm->brk_mapped, end - mm->brk_mapped, PROT_READ | PROT_WRITE,
				 MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE);
		if (r < 0)
			return mm->brk;
		if ((unsigned long)r != mm->brk_mapped) {
			mm_munmap(t, r, end - mm->brk_mapped);
			return mm->brk;
		}
	} else if (end < mm->brk_mapped) {
		if (mm_munmap(t, end, mm->brk_mapped - end) < 0)
			return mm->brk;
	}
	mm->brk_mapped = end;
	mm->brk = want;
	return want;
}

SYSCALL(msync)
{
	unsigned long start = a->a[0], len = PAGE_UP(a->a[1]);
	int flags = (int)a->a[2];

	if (start & (PAGE_SIZE - 1))
		return -EINVAL;
	/* the host has no locked mappings (the sentry keeps them): Linux refuses to
	 * invalidate a locked one, once the flags and the range are valid */
	if ((flags & MS_INVALIDATE) && !(flags & ~(MS_ASYNC | MS_INVALIDATE | MS_SYNC)) &&
	    (flags & (MS_ASYNC | MS_SYNC)) != (MS_ASYNC | MS_SYNC) && len >= a->a[1] &&
	    start + len > start && range_has_locked(t->mm, start, start + len))
		return -EBUSY;
	return sysret(SYSRET_NATIVE);
}

/* Calls that only read or pin the caller's own memory. */
SYSCALL(mm_native)
{
	return sysret(SYSRET_NATIVE);
}
