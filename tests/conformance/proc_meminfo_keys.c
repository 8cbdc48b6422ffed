/* /proc/meminfo has the lines programs parse (free, psutil, the JVM, Go's and Python's
 * memory probes) in Linux's order: the common keys every x86-64 Linux 6.x prints, listed in
 * the order the file has them, and whether each line is "KEY: N kB" (the HugePages_
 * counts have no unit). Values differ (the sandbox's memory), so they are not printed. */
#include "cf.h"

static const char *const keys[] = {
	"MemTotal", "MemFree", "MemAvailable", "Buffers", "Cached", "SwapCached", "Active",
	"Inactive", "Active(anon)", "Inactive(anon)", "Active(file)", "Inactive(file)",
	"Unevictable", "Mlocked", "SwapTotal", "SwapFree", "Dirty", "Writeback", "AnonPages",
	"Mapped", "Shmem", "KReclaimable", "Slab", "SReclaimable", "SUnreclaim", "KernelStack",
	"PageTables", "CommitLimit", "Committed_AS", "VmallocTotal", "VmallocUsed",
	"AnonHugePages", "ShmemHugePages", "FileHugePages", "HugePages_Total", "HugePages_Free",
	"Hugepagesize", "Hugetlb",
};

int
main(void)
{
	FILE *f = fopen("/proc/meminfo", "r");
	char line[256];

	if (!f) {
		printf("open: %s\n", en(errno));
		return 0;
	}
	while (fgets(line, sizeof(line), f)) {
		char *colon = strchr(line, ':');
		unsigned long v;
		char unit[8] = "";

		if (!colon)
			continue;
		*colon = 0;
		for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++)
			if (!strcmp(line, keys[i])) {
				int n = sscanf(colon + 1, "%lu %7s", &v, unit);
				printf("%s: %s\n", line, n == 2 ? unit : n == 1 ? "(no unit)" : "?");
			}
	}
	fclose(f);
	return 0;
}
