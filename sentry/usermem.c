/*
 * Guest memory access: the only place the sentry reads or writes guest memory.
 * Uses process_vm_readv/writev on the stub; any fault gives -EFAULT (but see
 * read_unreadable).
 */
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/uio.h>

#include "platform/platform.h"
#include "sentry/sentry.h"

/* Largest single transfer; callers loop through bounce buffers for more. */
#define USERMEM_MAX (64UL << 20)

static bool
range_ok(unsigned long addr, size_t n)
{
	return n <= USERMEM_MAX && addr + n >= addr && addr + n <= 0x800000000000UL;
}

/* Are the pages of [addr, end) all mapped with some access, and is one of them writable or
 * executable but not readable? x86 lets the kernel's copy_from_user read those (the
 * hardware has no write-only or, without protection keys, execute-only pages); Linux's
 * process_vm_readv does not (it wants VM_READ). */
static bool
kernel_readable(struct mm *mm, unsigned long addr, unsigned long end)
{
	bool unreadable = false;

	while (addr < end) {
		const struct vma *v = mm_find_vma(mm, addr);
		if (!v || v->start > addr || (v->flags & VMA_RESERVED) ||
		    !(v->prot & (PROT_READ | PROT_WRITE | PROT_EXEC)))
			return false;
		unreadable |= !(v->prot & PROT_READ);
		addr = v->end;
	}
	return unreadable;
}

/* Adds PROT_READ to the mappings of [addr, end) that lack it, or puts their own back. */
static int
reprotect(struct task *t, unsigned long addr, unsigned long end, bool add)
{
	int err = 0;

	for (unsigned long a = addr; a < end;) {
		const struct vma *v = mm_find_vma(t->mm, a);
		unsigned long hi = MIN(v->end, end);
		if (!(v->prot & PROT_READ) &&
		    plat_inject(t->ctx, __NR_mprotect, a, hi - a, v->prot | (add ? PROT_READ : 0),
				0, 0, 0) < 0)
			err = -EFAULT;
		a = hi;
	}
	return err;
}

/* A read of the calling task's own memory that process_vm_readv refused, where the guest's
 * kernel would have read: done with PROT_READ added for the moment (no thread of the guest
 * can tell: the hardware lets it read those pages anyway). */
static int
read_unreadable(struct task *t, void *dst, unsigned long src, size_t n)
{
	unsigned long lo = src & ~(PAGE_SIZE - 1), hi = PAGE_UP(src + n);

	if (t != current_task || !t->ctx || !t->mm || !kernel_readable(t->mm, lo, hi))
		return -EFAULT;
	int err = reprotect(t, lo, hi, true);
	if (!err) {
		struct iovec local = { dst, n }, remote = { (void *)src, n };
		err = process_vm_readv(plat_host_pid_of(t), &local, 1, &remote, 1, 0) ==
		      (ssize_t)n ? 0 : -EFAULT;
	}
	if (reprotect(t, lo, hi, false))
		log_warn("task %d: the protection of %#lx-%#lx could not be put back", t->tid, lo, hi);
	return err;
}

int
copy_from_guest(struct task *t, void *dst, unsigned long src, size_t n)
{
	if (n == 0)
		return 0;
	if (!range_ok(src, n))
		return -EFAULT;
	struct iovec local = { dst, n }, remote = { (void *)src, n };
	ssize_t r = process_vm_readv(plat_host_pid_of(t), &local, 1, &remote, 1, 0);
	if (r == (ssize_t)n)
		return 0;
	if (mm_grow_stack_for(t, src, n) &&
	    process_vm_readv(plat_host_pid_of(t), &local, 1, &remote, 1, 0) == (ssize_t)n)
		return 0;
	return read_unreadable(t, dst, src, n);
}

int
copy_to_guest(struct task *t, unsigned long dst, const void *src, size_t n)
{
	if (n == 0)
		return 0;
	if (!range_ok(dst, n))
		return -EFAULT;
	struct iovec local = { (void *)src, n }, remote = { (void *)dst, n };
	ssize_t r = process_vm_writev(plat_host_pid_of(t), &local, 1, &remote, 1, 0);
	if (r != (ssize_t)n && mm_grow_stack_for(t, dst, n))
		r = process_vm_writev(plat_host_pid_of(t), &local, 1, &remote, 1, 0);
	return r == (ssize_t)n ? 0 : -EFAULT;
}

long
strncpy_from_guest(struct task *t, char *dst, unsigned long src, size_t max)
{
	size_t done = 0;

	while (done < max) {
		/* Never read across a page boundary in one go: the next page may be unmapped. */
		size_t chunk = MIN(max - done, PAGE_SIZE - ((src + done) & (PAGE_SIZE - 1)));
		if (copy_from_guest(t, dst + done, src + done, chunk) < 0)
			return -EFAULT;
		char *nul = memchr(dst + done, '\0', chunk);
		if (nul)
			return nul - dst;
		done += chunk;
	}
	return -ENAMETOOLONG;
}

int
path_from_guest(struct task *t, unsigned long src, char **out)
{
	char *buf = xmalloc(PATH_MAX);
	long n = strncpy_from_guest(t, buf, src, PATH_MAX);

	if (n < 0) {
		free(buf);
		return n;
	}
	if (n == 0) {
		free(buf);
		return -ENOENT;
	}
	*out = buf;
	return 0;
}

/* Copies up to n bytes, page by page from the start, stopping at the first fault.
 * Returns the bytes copied (a read or write that faults part-way reports that much). */
static size_t
copy_partial(struct task *t, unsigned long guest, char *local, size_t n, bool to_guest)
{
	size_t done = 0;

	while (done < n) {
		size_t k = MIN(n - done, PAGE_UP(guest + done + 1) - (guest + done));
		int err = to_guest ? copy_to_guest(t, guest + done, local + done, k)
				   : copy_from_guest(t, local + done, guest + done, k);
		if (err < 0)
			break;
		done += k;
	}
	return done;
}

int
copy_from_thread(pid_t host, void *dst, unsigned long src, size_t n)
{
	struct iovec local = { dst, n }, remote = { (void *)src, n };

	if (!range_ok(src, n))
		return -EFAULT;
	return process_vm_readv(host, &local, 1, &remote, 1, 0) == (ssize_t)n ? 0 : -EFAULT;
}

int
copy_to_thread(pid_t host, unsigned long dst, const void *src, size_t n)
{
	struct iovec local = { (void *)src, n }, remote = { (void *)dst, n };

	if (!range_ok(dst, n))
		return -EFAULT;
	return process_vm_writev(host, &local, 1, &remote, 1, 0) == (ssize_t)n ? 0 : -EFAULT;
}

size_t
copy_to_guest_partial(struct task *t, unsigned long dst, const void *src, size_t n)
{
	if (copy_to_guest(t, dst, src, n) == 0)
		return n;
	return copy_partial(t, dst, (char *)src, n, true);
}

size_t
copy_from_guest_partial(struct task *t, void *dst, unsigned long src, size_t n)
{
	if (copy_from_guest(t, dst, src, n) == 0)
		return n;
	return copy_partial(t, src, dst, n, false);
}
