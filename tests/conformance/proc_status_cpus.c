/* /proc/self/status's Cpus_allowed and Cpus_allowed_list follow the thread's affinity:
 * every CPU it may use, then only the first, then only the last (sched_setaffinity), as
 * Linux prints them (a hex mask as wide as the CPU count needs, and ranges). */
#include "cf.h"
#include <sched.h>

static void
show(const char *what)
{
	char line[256];
	FILE *f = fopen("/proc/self/status", "r");

	while (f && fgets(line, sizeof(line), f))
		if (!strncmp(line, "Cpus_allowed", 12))
			printf("%s: %s", what, line);
	if (f)
		fclose(f);
}

int
main(void)
{
	cpu_set_t all, one;
	int first = -1, last = -1;

	if (sched_getaffinity(0, sizeof(all), &all) < 0)
		return 1;
	for (int c = 0; c < CPU_SETSIZE; c++)
		if (CPU_ISSET(c, &all)) {
			if (first < 0)
				first = c;
			last = c;
		}
	printf("cpus: %d\n", CPU_COUNT(&all));
	show("all");
	CPU_ZERO(&one);
	CPU_SET(first, &one);
	R("pin to the first", sched_setaffinity(0, sizeof(one), &one));
	show("first");
	CPU_ZERO(&one);
	CPU_SET(last, &one);
	R("pin to the last", sched_setaffinity(0, sizeof(one), &one));
	show("last");
	R("back to all", sched_setaffinity(0, sizeof(all), &all));
	show("again");
	return 0;
}
