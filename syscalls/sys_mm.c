/* Memory: mmap and friends, and the emulated program break. */
#include <sys/mman.h>

#include "fs/vfs.h"
#include "syscalls/internal.h"

#define MAP_TYPE_MASK 0x0f

SYSCALL(mmap)
{
	unsigned long addr = a->a[0], len = a->a[1];
	int prot = a->a[2], flags = a->a[3], fd = (int)a->a[4];
	off_t off = a->a[5];
	int type = flags & MAP_TYPE_MASK;

	struct file *f = NULL;

	/* Linux looks up the fd before checking anything else. */
	if (!(flags & MAP_ANONYMOUS) && !(f = sys_fd(t, fd)))
		return -EBADF;
	if (len == 0 || PAGE_UP(len) < len)
		return len == 0 ? -EINVAL : -ENOMEM;
	if (type != MAP_PRIVATE && type != MAP_SHARED && type != MAP_SHARED_VALIDATE)
		return -EINVAL;
	if (off & (PAGE_SIZE - 1))
		return -EINVAL;
	if ((flags & (MAP_FIXED | MAP_FIXED_NOREPLACE)) && mm_range_reserved(addr, PAGE_UP(len)))
		return -ENOMEM;
	if (flags & MAP_ANONYMOUS)
		return SYSRET_NATIVE;
	int acc = file_get_flags(f) & O_ACCMODE;
	if (acc == O_WRONLY || acc == O_PATH)
		return -EACCES;
	if (type != MAP_PRIVATE && (prot & PROT_WRITE) && acc != O_RDWR)
		return -EACCES;
	if (file_is_dir(f))
		return -ENODEV;
	if (off < 0 || off + (off_t)len < off)
		return -EOVERFLOW;
	return mm_map_file(t, addr, PAGE_UP(len), prot, flags, f, off);
}

/* Range calls reach the sentry only when the stub filter could not rule out the stub page. */
SYSCALL(munmap)
{
	if (a->a[0] & (PAGE_SIZE - 1))
		return -EINVAL;
	if (mm_range_reserved(a->a[0], PAGE_UP(a->a[1])))
		return -EINVAL;
	return SYSRET_NATIVE;
}

SYSCALL(mprotect)
{
	if (a->a[0] & (PAGE_SIZE - 1))
		return -EINVAL;
	if (mm_range_reserved(a->a[0], PAGE_UP(a->a[1])))
		return -ENOMEM;
	return SYSRET_NATIVE;
}

SYSCALL(madvise)
{
	if (mm_range_reserved(a->a[0], PAGE_UP(a->a[1])))
		return -ENOMEM;
	return SYSRET_NATIVE;
}

SYSCALL(mremap)
{
	unsigned long old = a->a[0], old_len = a->a[1], new_len = a->a[2], flags = a->a[3];

	if (mm_range_reserved(old, PAGE_UP(old_len)))
		return -EFAULT;
	if ((flags & MREMAP_FIXED) && mm_range_reserved(a->a[4], PAGE_UP(new_len)))
		return -EINVAL;
	return SYSRET_NATIVE;
}

/* The break starts right after the program's highest segment, as on Linux. */
SYSCALL(brk)
{
	struct mm *mm = t->mm;
	unsigned long want = a->a[0];

	if (want < mm->brk_start || want > mm->brk_start + (1UL << 40))
		return mm->brk;
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
	if (a->a[0] & (PAGE_SIZE - 1))
		return -EINVAL;
	return SYSRET_NATIVE;
}

/* Calls that only read or pin the caller's own memory. */
SYSCALL(mm_native)
{
	return SYSRET_NATIVE;
}
