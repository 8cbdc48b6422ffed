/* Guest address-space operations, carried out inside the stub by syscall injection. */
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/syscall.h>

#include "fs/vfs.h"
#include "platform/platform.h"
#include "sentry/sentry.h"

#define COPY_CHUNK (256UL << 10)

struct mm *
mm_new(void)
{
	struct mm *mm = xcalloc(1, sizeof(*mm));
	mm->refs = 1;
	return mm;
}

void
mm_put(struct mm *mm)
{
	if (!mm || --mm->refs > 0)
		return;
	free(mm->exe_path);
	free(mm);
}

bool
mm_range_reserved(unsigned long addr, size_t len)
{
	unsigned long end = addr + len;

	if (end < addr)
		return true;
	return addr < PLAT_STUB_ADDR + PLAT_STUB_SIZE && end > PLAT_STUB_ADDR;
}

long
mm_mmap(struct task *t, unsigned long addr, size_t len, int prot, int flags)
{
	if ((flags & (MAP_FIXED | MAP_FIXED_NOREPLACE)) && mm_range_reserved(addr, len))
		return -ENOMEM;
	return plat_inject(t->ctx, __NR_mmap, addr, len, prot, flags | MAP_ANONYMOUS, -1, 0);
}

int
mm_munmap(struct task *t, unsigned long addr, size_t len)
{
	if (mm_range_reserved(addr, len))
		return -EINVAL;
	return plat_inject(t->ctx, __NR_munmap, addr, len, 0, 0, 0, 0);
}

int
mm_mprotect(struct task *t, unsigned long addr, size_t len, int prot)
{
	if (mm_range_reserved(addr, len))
		return -ENOMEM;
	return plat_inject(t->ctx, __NR_mprotect, addr, len, prot, 0, 0, 0);
}

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

long
mm_map_file(struct task *t, unsigned long addr, size_t len, int prot, int flags, struct file *f,
	    off_t off)
{
	int keep = flags & (MAP_FIXED | MAP_FIXED_NOREPLACE | MAP_32BIT | MAP_POPULATE |
			    MAP_NORESERVE | MAP_LOCKED);
	int hostfd = file_mmap_fd(f, (flags & 0x0f) != MAP_PRIVATE);

	if ((flags & (MAP_FIXED | MAP_FIXED_NOREPLACE)) && mm_range_reserved(addr, len))
		return -ENOMEM;
	/* Host files are mapped for real (shared page cache); others are copied in. */
	if (hostfd < 0 && hostfd != -1)
		return hostfd;
	if (hostfd >= 0) {
		struct stat st;
		long r = file_stat(f, &st);
		if (!r)
			r = plat_map_host_fd(t->ctx, hostfd, st.st_dev, st.st_ino, addr, len, prot,
					     flags & ~MAP_ANONYMOUS, off);
		if (r != -ENOSYS && r != -EPERM)
			return r;
	}
	long r = mm_mmap(t, addr, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | keep);

	if (r < 0)
		return r;
	int err = fill_from_file(t, r, len, f, off);
	if (!err && prot != (PROT_READ | PROT_WRITE))
		err = mm_mprotect(t, r, len, prot);
	if (err) {
		mm_munmap(t, r, len);
		return err == -EFAULT ? -ENOMEM : err;
	}
	return r;
}
