/* Guest descriptor tables: fd number -> open file, plus close-on-exec bits. */
#include <string.h>

#include "fs/vfs.h"
#include "sentry/sentry.h"

/* The sandbox's own ceiling on descriptor numbers, below what fs.nr_open may allow (Linux:
 * 2^31 - 64): a table of 2^24 slots is 144 MiB of sentry memory, charged as guest memory. */
#define FDT_CEILING SENTRY_FD_CEILING

static int fdt_limit = 1024;

static unsigned long
table_bytes(long n)
{
	return (unsigned long)n * (sizeof(struct file *) + 1);
}

int
fdt_max_fds(void)
{
	return fdt_limit;
}

void
fdt_set_max_fds(int n)
{
	fdt_limit = MAX(3, MIN(n, MIN(procfs_nr_open(), FDT_CEILING)));
}

struct fdtable *
fdt_new(void)
{
	struct fdtable *fdt = xcalloc(1, sizeof(*fdt));
	fdt->refs = 1;
	return fdt;
}

struct fdtable *
fdt_copy(struct fdtable *fdt)
{
	struct fdtable *n = fdt_new();

	if (fdt->size) {
		mem_charge_force(table_bytes(fdt->size)); /* a fork is not refused for it */
		n->files = xcalloc(fdt->size, sizeof(*n->files));
		n->cloexec = xcalloc(fdt->size, 1);
		n->size = fdt->size;
		for (int i = 0; i < fdt->size; i++) {
			if (fdt->files[i])
				n->files[i] = file_get(fdt->files[i]);
			n->cloexec[i] = fdt->cloexec[i];
		}
	}
	return n;
}

int
fdt_copy_room(struct fdtable *fdt)
{
	int last = fdt->size - 1;

	while (last >= 0 && !fdt->files[last])
		last--;
	long want = ((long)last + 1 + 63) / 64 * 64, room = ((long)procfs_nr_open() + 63) / 64 * 64;
	return want > 64 && want > room ? -EMFILE : 0;
}

void
fdt_put(struct fdtable *fdt)
{
	if (!fdt || --fdt->refs > 0)
		return;
	for (int i = 0; i < fdt->size; i++) {
		if (fdt->files[i]) {
			file_locks_close(fdt->files[i], fdt);
			dnotify_close(fdt->files[i], fdt);
			file_put(fdt->files[i]);
		}
	}
	mem_uncharge(table_bytes(fdt->size));
	free(fdt->files);
	free(fdt->cloexec);
	free(fdt);
}

static int
fdt_grow(struct fdtable *fdt, int fd)
{
	long n = fdt->size ? fdt->size : 64;

	if (fd >= fdt_limit)
		return -EMFILE;
	while (n <= fd)
		n *= 2;
	n = MIN(n, (long)fdt_limit); /* fd < fdt_limit <= fs.nr_open */
	if (mem_charge(table_bytes(n - fdt->size)))
		return -ENOMEM;
	struct file **files = realloc(fdt->files, n * sizeof(*files));
	if (!files) {
		mem_uncharge(table_bytes(n - fdt->size));
		return -ENOMEM;
	}
	fdt->files = files;
	unsigned char *ce = realloc(fdt->cloexec, n);
	if (!ce) {
		mem_uncharge(table_bytes(n - fdt->size));
		return -ENOMEM;
	}
	fdt->cloexec = ce;
	memset(fdt->files + fdt->size, 0, (n - fdt->size) * sizeof(*files));
	memset(fdt->cloexec + fdt->size, 0, n - fdt->size);
	fdt->size = n;
	return 0;
}

int
fdt_install_at(struct fdtable *fdt, int fd, struct file *f, bool cloexec)
{
	if (fd < 0)
		return -EBADF;
	if (fd >= fdt_limit)
		return -EBADF;
	if (fd >= fdt->size) {
		int err = fdt_grow(fdt, fd);
		if (err)
			return err;
	}
	struct file *old = fdt->files[fd];
	fdt->files[fd] = file_get(f);
	fdt->cloexec[fd] = cloexec;
	if (old) {
		file_locks_close(old, fdt);
		dnotify_close(old, fdt);
		file_put(old);
	}
	return fd;
}

int
fdt_install(struct fdtable *fdt, struct file *f, int minfd, bool cloexec)
{
	int fd = MAX(minfd, 0);

	while (fd < fdt->size && fdt->files[fd])
		fd++;
	if (fd >= fdt_limit) {
		limit_refused(LIMIT_FILES, "open");
		return -EMFILE;
	}
	return fdt_install_at(fdt, fd, f, cloexec);
}

int
fdt_room(struct fdtable *fdt)
{
	int fd = 0;

	while (fd < fdt->size && fdt->files[fd])
		fd++;
	if (fd >= fdt_limit) {
		limit_refused(LIMIT_FILES, "open");
		return -EMFILE;
	}
	return 0;
}

struct file *
fdt_get(struct fdtable *fdt, int fd)
{
	if (fd < 0 || fd >= fdt->size)
		return NULL;
	return fdt->files[fd];
}

int
fdt_close(struct fdtable *fdt, int fd)
{
	struct file *f = fdt_get(fdt, fd);

	if (!f)
		return -EBADF;
	fdt->files[fd] = NULL;
	fdt->cloexec[fd] = 0;
	file_locks_close(f, fdt);
	dnotify_close(f, fdt);
	file_put(f);
	return 0;
}

void
fdt_close_on_exec(struct fdtable *fdt)
{
	for (int i = 0; i < fdt->size; i++)
		if (fdt->files[i] && fdt->cloexec[i])
			fdt_close(fdt, i);
}
