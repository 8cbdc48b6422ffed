/*
 * Guest memory access: the only place the sentry reads or writes guest memory.
 * Uses process_vm_readv/writev on the stub; any fault gives -EFAULT.
 */
#include <string.h>
#include <sys/uio.h>

#include "sentry/sentry.h"

/* Largest single transfer; callers loop through bounce buffers for more. */
#define USERMEM_MAX (64UL << 20)

static bool
range_ok(unsigned long addr, size_t n)
{
	return n <= USERMEM_MAX && addr + n >= addr && addr + n <= 0x800000000000UL;
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
	return r == (ssize_t)n ? 0 : -EFAULT;
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
