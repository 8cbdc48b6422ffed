/* /sys/devices/system/cpu and node: what libraries read to size caches, count CPUs and
 * place threads. The machine may differ between hosts, so this checks relations: every
 * online CPU has a directory with a topology and caches that agree with CPUID (glibc's
 * sysconf), each CPU is in its own sibling and cache sets, and node 0 holds every CPU. */
#include "cf.h"
#include <sched.h>

static int
read_text(const char *path, char *buf, size_t n)
{
	int fd = open(path, O_RDONLY);
	if (fd < 0)
		return -1;
	ssize_t r = read(fd, buf, n - 1);
	close(fd);
	if (r < 0)
		return -1;
	buf[r] = '\0';
	return (int)r;
}

static long
read_num(const char *path)
{
	char buf[64];
	return read_text(path, buf, sizeof(buf)) > 0 ? strtol(buf, NULL, 0) : -1;
}

/* Is cpu in the cpulist text ("0-3,5")? */
static int
in_list(const char *list, unsigned cpu)
{
	const char *p = list;
	while (*p && *p != '\n') {
		char *e;
		unsigned a = strtoul(p, &e, 10), b = a;
		if (*e == '-')
			b = strtoul(e + 1, &e, 10);
		if (cpu >= a && cpu <= b)
			return 1;
		p = *e == ',' ? e + 1 : e;
		if (e == p && *p != ',')
			break;
	}
	return 0;
}

/* Number of CPUs in a cpulist. */
static unsigned
list_count(const char *list)
{
	unsigned n = 0;
	for (unsigned c = 0; c < 4096; c++)
		n += in_list(list, c);
	return n;
}

/* Number of bits set in a cpumask ("ff,00000001"). */
static unsigned
mask_count(const char *mask)
{
	unsigned n = 0;
	for (const char *p = mask; *p && *p != '\n'; p++) {
		if (*p == ',')
			continue;
		unsigned v = *p >= 'a' ? *p - 'a' + 10 : *p - '0';
		n += __builtin_popcount(v);
	}
	return n;
}

int
main(void)
{
	char online[256], path[256], buf[256];
	cpu_set_t set;

	if (read_text("/sys/devices/system/cpu/online", online, sizeof(online)) <= 0) {
		printf("online: unreadable\n");
		return 1;
	}
	sched_getaffinity(0, sizeof(set), &set);
	printf("online covers our cpus: %d\n", list_count(online) >= (unsigned)CPU_COUNT(&set));
	printf("online is possible: %d\n",
	       read_text("/sys/devices/system/cpu/possible", buf, sizeof(buf)) > 0 &&
	       list_count(buf) >= list_count(online));
	long line = sysconf(_SC_LEVEL1_DCACHE_LINESIZE);
	long l1d = sysconf(_SC_LEVEL1_DCACHE_SIZE);
	int bad = 0, caches = 0, l1_match = 0;
	for (unsigned cpu = 0; cpu < 4096; cpu++) {
		if (!in_list(online, cpu))
			continue;
		snprintf(path, sizeof(path), "/sys/devices/system/cpu/cpu%u/topology/thread_siblings_list", cpu);
		if (read_text(path, buf, sizeof(buf)) <= 0 || !in_list(buf, cpu))
			bad++;
		snprintf(path, sizeof(path), "/sys/devices/system/cpu/cpu%u/topology/core_siblings_list", cpu);
		if (read_text(path, buf, sizeof(buf)) <= 0 || !in_list(buf, cpu))
			bad++;
		char mask[256];
		snprintf(path, sizeof(path), "/sys/devices/system/cpu/cpu%u/topology/core_siblings", cpu);
		if (read_text(path, mask, sizeof(mask)) <= 0 || mask_count(mask) != list_count(buf))
			bad++;
		for (unsigned k = 0; k < 16; k++) {
			char dir[200], type[32] = "", size[32] = "", list[256] = "", map[256] = "";
			snprintf(dir, sizeof(dir), "/sys/devices/system/cpu/cpu%u/cache/index%u", cpu, k);
			snprintf(path, sizeof(path), "%s/level", dir);
			long level = read_num(path);
			if (level < 0)
				break;
			caches++;
			snprintf(path, sizeof(path), "%s/type", dir);
			read_text(path, type, sizeof(type));
			snprintf(path, sizeof(path), "%s/size", dir);
			read_text(path, size, sizeof(size));
			snprintf(path, sizeof(path), "%s/ways_of_associativity", dir);
			long ways = read_num(path);
			snprintf(path, sizeof(path), "%s/number_of_sets", dir);
			long sets = read_num(path);
			snprintf(path, sizeof(path), "%s/coherency_line_size", dir);
			long cl = read_num(path);
			snprintf(path, sizeof(path), "%s/physical_line_partition", dir);
			long parts = read_num(path);
			snprintf(path, sizeof(path), "%s/shared_cpu_list", dir);
			read_text(path, list, sizeof(list));
			snprintf(path, sizeof(path), "%s/shared_cpu_map", dir);
			read_text(path, map, sizeof(map));
			long kb = strtol(size, NULL, 10);
			if (ways <= 0 || sets <= 0 || cl <= 0 || parts <= 0 || kb * 1024 != ways * sets * cl * parts)
				bad++;
			if (!in_list(list, cpu) || mask_count(map) != list_count(list))
				bad++;
			if (strcmp(type, "Data\n") && strcmp(type, "Instruction\n") && strcmp(type, "Unified\n"))
				bad++;
			if (level == 1 && !strcmp(type, "Data\n") && cl == line && kb * 1024 == l1d)
				l1_match++;
		}
	}
	printf("inconsistent entries: %d\n", bad);
	printf("caches listed: %d\n", caches > 0);
	printf("L1d agrees with sysconf: %d\n", l1_match > 0 || l1d <= 0);
	int fd = open("/sys/devices/system/cpu/cpu0/topology", O_RDONLY | O_DIRECTORY);
	printf("topology is a directory: %d\n", fd >= 0);
	if (fd >= 0)
		close(fd);
	if (read_text("/sys/devices/system/node/node0/cpulist", buf, sizeof(buf)) > 0)
		printf("node0 has cpu0: %d\n", in_list(buf, 0));
	else
		printf("node0: unreadable\n");
	printf("node online: %d\n", read_text("/sys/devices/system/node/online", buf, sizeof(buf)) > 0 && in_list(buf, 0));
	printf("thp enabled readable: %d\n",
	       read_text("/sys/kernel/mm/transparent_hugepage/enabled", buf, sizeof(buf)) > 0 && strchr(buf, '['));
	return 0;
}
