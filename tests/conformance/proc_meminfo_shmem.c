/* The data of tmpfs files is shared memory in /proc/meminfo: 32 MiB written to a file in
 * /dev/shm raise Shmem and Cached by about that (free's "shared" and "buff/cache"). */
#include "cf.h"

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

int
main(void)
{
	char path[64];
	static char buf[1 << 20];

	snprintf(path, sizeof(path), "/dev/shm/cf-meminfo-%d", getpid());
	long shmem0 = meminfo_kb("Shmem"), cached0 = meminfo_kb("Cached");
	int fd = open(path, O_CREAT | O_RDWR | O_TRUNC, 0600);
	if (fd < 0) {
		printf("open: %s\n", en(errno));
		return 0;
	}
	memset(buf, 'x', sizeof(buf));
	for (unsigned long done = 0; done < SIZE; done += sizeof(buf))
		if (write(fd, buf, sizeof(buf)) != sizeof(buf)) {
			printf("write: %s\n", en(errno));
			break;
		}
	long shmem1 = meminfo_kb("Shmem"), cached1 = meminfo_kb("Cached");
	long want = (long)(SIZE >> 10) * 7 / 8;
	YN("Shmem grew by the file (>= 28 MiB)", shmem1 - shmem0 >= want);
	YN("Cached grew by the file (>= 28 MiB)", cached1 - cached0 >= want);
	close(fd);
	unlink(path);
	return 0;
}
