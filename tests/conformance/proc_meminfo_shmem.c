/* The data of tmpfs files is shared memory in /proc/meminfo: 32 MiB written to a file in
 * /dev/shm raise Shmem and Cached by about that (free's "shared" and "buff/cache"). */
#include "cf.h"
#include <stdbool.h>

#define SIZE (32UL << 20)

static long
meminfo_kb(const char *key)
{
	FILE *f = fopen("/proc/meminfo", "r");
	char line[256];
	size_t n = strlen(key);
	long v = -1;

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f))
		if (!strncmp(line, key, n) && line[n] == ':')
			v = strtol(line + n + 1, NULL, 10);
	fclose(f);
	return v;
}

/* One try: the file written, the growth of both figures, the file removed. Other work
 * on a busy host frees cache meanwhile, so a try may show less than the file. */
static void
one_try(const char *path, long *dshmem, long *dcached)
{
	static char buf[1 << 20];
	long shmem0 = meminfo_kb("Shmem"), cached0 = meminfo_kb("Cached");
	int fd = open(path, O_CREAT | O_RDWR | O_TRUNC, 0600);

	*dshmem = *dcached = 0;
	if (fd < 0) {
		printf("open: %s\n", en(errno));
		return;
	}
	memset(buf, 'x', sizeof(buf));
	for (unsigned long done = 0; done < SIZE; done += sizeof(buf))
		if (write(fd, buf, sizeof(buf)) != sizeof(buf)) {
			printf("write: %s\n", en(errno));
			break;
		}
	*dshmem = meminfo_kb("Shmem") - shmem0;
	*dcached = meminfo_kb("Cached") - cached0;
	close(fd);
	unlink(path);
}

int
main(void)
{
	char path[64];
	long want = (long)(SIZE >> 10) * 7 / 8, ds, dc;
	bool shmem_ok = false, cached_ok = false;

	snprintf(path, sizeof(path), "/dev/shm/cf-meminfo-%d", getpid());
	for (int i = 0; i < 3 && !(shmem_ok && cached_ok); i++) {
		one_try(path, &ds, &dc);
		shmem_ok |= ds >= want;
		cached_ok |= dc >= want;
	}
	YN("Shmem grew by the file (>= 28 MiB)", shmem_ok);
	YN("Cached grew by the file (>= 28 MiB)", cached_ok);
	return 0;
}
