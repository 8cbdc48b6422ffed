/* /proc/vmstat (vmstat(8) and psutil need it): "name value" lines starting with
 * nr_free_pages, which is at most MemTotal; the counters vmstat shows (pgpgin, pgpgout,
 * pswpin, pswpout) present and in Linux's order. /proc/diskstats and /proc/partitions
 * can be opened (their contents are the machine's). */
#include <stdbool.h>

#include "cf.h"

static const char *keys[] = { "nr_free_pages", "pgpgin", "pgpgout", "pswpin", "pswpout" };

static unsigned long
mem_total_kb(void)
{
	FILE *f = fopen("/proc/meminfo", "r");
	unsigned long kb = 0;
	char line[128];

	while (f && fgets(line, sizeof(line), f))
		if (sscanf(line, "MemTotal: %lu kB", &kb) == 1)
			break;
	if (f)
		fclose(f);
	return kb;
}

int
main(void)
{
	FILE *f = fopen("/proc/vmstat", "r");
	char line[256], name[128], first[128] = "";
	unsigned long long v, free_pages = 0;
	size_t next = 0, lines = 0;
	bool well_formed = true;

	if (!f) {
		printf("open /proc/vmstat: %s\n", en(errno));
		return 0;
	}
	while (fgets(line, sizeof(line), f)) {
		if (sscanf(line, "%127s %llu", name, &v) != 2) {
			well_formed = false;
			continue;
		}
		if (!lines++)
			snprintf(first, sizeof(first), "%s", name);
		if (!strcmp(name, "nr_free_pages"))
			free_pages = v;
		if (next < sizeof(keys) / sizeof(keys[0]) && !strcmp(name, keys[next]))
			next++;
	}
	fclose(f);
	YN("lines are name and number", well_formed && lines > 0);
	printf("first: %s\n", first);
	printf("vmstat's keys in order: %zu of %zu\n", next, sizeof(keys) / sizeof(keys[0]));
	YN("free pages within MemTotal",
	   free_pages * (unsigned long long)sysconf(_SC_PAGESIZE) / 1024 <= mem_total_kb());
	R("open /proc/diskstats", open("/proc/diskstats", O_RDONLY) >= 0 ? 0 : -1);
	R("open /proc/partitions", open("/proc/partitions", O_RDONLY) >= 0 ? 0 : -1);
	return 0;
}
