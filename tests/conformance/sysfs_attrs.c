/* sysfs as programs read it: the CPU's vulnerabilities and the transparent huge page
 * settings (the host kernel's, so the same text natively and inside), lo's attributes
 * (the initial network namespace's lo: up, MTU 65536), NUMA node 0, and how sysfs files
 * stat and seek (kernfs: attributes are a page long, directories and links 0, no blocks). */
#include "cf.h"
#include <dirent.h>
#include <stdbool.h>

static int
cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Each regular file of dir (sorted), with its mode and text (not its directories and
 * links: THP's per-size directories and khugepaged are not shown inside); skip: names not
 * to show. */
static void
show_dir(const char *dir, const char *const *skip)
{
	char *names[128];
	int n = 0;
	DIR *d = opendir(dir);

	if (!d) {
		printf("%s: opendir %s\n", dir, en(errno));
		return;
	}
	for (struct dirent *e; (e = readdir(d)) && n < 128;) {
		bool skipped = e->d_name[0] == '.';
		for (const char *const *s = skip; *s && !skipped; s++)
			skipped = !strcmp(*s, e->d_name);
		if (!skipped)
			names[n++] = strdup(e->d_name);
	}
	closedir(d);
	qsort(names, n, sizeof(names[0]), cmp);
	for (int i = 0; i < n; i++) {
		char path[512];
		struct stat st;

		snprintf(path, sizeof(path), "%s/%s", dir, names[i]);
		if (lstat(path, &st) < 0) {
			printf("%s: lstat %s\n", path, en(errno));
		} else if (S_ISREG(st.st_mode)) {
			printf("%s: mode %o size %ld blocks %ld\n", path, st.st_mode & 07777,
			       (long)st.st_size, (long)st.st_blocks);
			cf_show_file(path, path);
		}
		free(names[i]);
	}
}

int
main(void)
{
	static const char *const none[] = { NULL };
	show_dir("/sys/devices/system/cpu/vulnerabilities", none);
	show_dir("/sys/kernel/mm/transparent_hugepage", none);
	/* lo of the initial namespace: its counters are the host's (or the sandbox's) */
	static const char *const lo_skip[] = { NULL };
	show_dir("/sys/class/net/lo", lo_skip);
	char target[256];
	ssize_t r = readlink("/sys/class/net/lo", target, sizeof(target) - 1);
	printf("class/net/lo -> %.*s\n", (int)(r > 0 ? r : 0), target);
	struct stat st;
	R("statistics/rx_errors", stat("/sys/class/net/lo/statistics/rx_errors", &st) ? -1 : (long)st.st_size);
	cf_show_file("rx_errors", "/sys/class/net/lo/statistics/rx_errors");

	/* the host kernel's CPU limits (glibc's _SC_NPROCESSORS_CONF counts possible) */
	cf_show_file("cpu/kernel_max", "/sys/devices/system/cpu/kernel_max");
	cf_show_file("cpu/possible", "/sys/devices/system/cpu/possible");
	cf_show_file("cpu/isolated", "/sys/devices/system/cpu/isolated");
	cf_show_file("cpu/smt/active", "/sys/devices/system/cpu/smt/active");

	/* node 0: libnuma's distance and size, cpuN links both ways */
	cf_show_file("node0/distance", "/sys/devices/system/node/node0/distance");
	cf_show_file("node/has_generic_initiator", "/sys/devices/system/node/has_generic_initiator");
	r = readlink("/sys/devices/system/cpu/cpu0/node0", target, sizeof(target) - 1);
	printf("cpu0/node0 -> %.*s\n", (int)(r > 0 ? r : 0), target);
	r = readlink("/sys/devices/system/node/node0/cpu0", target, sizeof(target) - 1);
	printf("node0/cpu0 -> %.*s\n", (int)(r > 0 ? r : 0), target);
	FILE *f = fopen("/sys/devices/system/node/node0/meminfo", "r");
	char line[256];
	unsigned long total = 0, free_kb = 0;
	int lines = 0;
	while (f && fgets(line, sizeof(line), f)) {
		lines++;
		sscanf(line, "Node 0 MemTotal: %lu kB", &total);
		sscanf(line, "Node 0 MemFree: %lu kB", &free_kb);
	}
	if (f)
		fclose(f);
	YN("node0 meminfo total > free > 0", total > free_kb && free_kb > 0);
	YN("node0 meminfo has lines", lines > 3);

	/* cgroup2's features (mount options; the host's may have more) and delegatable files */
	char text[1024] = "";
	f = fopen("/sys/kernel/cgroup/features", "r");
	size_t got = f ? fread(text, 1, sizeof(text) - 1, f) : 0;
	text[got] = '\0';
	if (f)
		fclose(f);
	YN("cgroup features: nsdelegate", strstr(text, "nsdelegate\n") != NULL);
	f = fopen("/sys/kernel/cgroup/delegate", "r");
	got = f ? fread(text, 1, sizeof(text) - 1, f) : 0;
	text[got] = '\0';
	if (f)
		fclose(f);
	YN("cgroup delegate: procs, threads, subtree_control",
	   !strncmp(text, "cgroup.procs\ncgroup.threads\ncgroup.subtree_control\n", 51));

	/* stat and seek of attributes and directories */
	const char *online = "/sys/devices/system/cpu/online";
	R("online size", stat(online, &st) ? -1 : (long)st.st_size);
	R("online blocks", stat(online, &st) ? -1 : (long)st.st_blocks);
	R("cpu dir size", stat("/sys/devices/system/cpu", &st) ? -1 : (long)st.st_size);
	R("node0 link size", lstat("/sys/devices/system/cpu/cpu0/node0", &st) ? -1 : (long)st.st_size);
	int fd = open(online, O_RDONLY);
	R("lseek end", lseek(fd, 0, SEEK_END));
	R("lseek hole", lseek(fd, 0, SEEK_HOLE));
	R("lseek data 5", lseek(fd, 5, SEEK_DATA));
	R("lseek data 4096", lseek(fd, 4096, SEEK_DATA));
	R("lseek set", lseek(fd, 0, SEEK_SET));
	close(fd);
	/* the directories lsblk checks first (their contents are the machine's) */
	static const char *const dirs[] = { "/sys/block", "/sys/dev/block", "/sys/dev/char" };
	for (size_t k = 0; k < sizeof(dirs) / sizeof(dirs[0]); k++) {
		struct stat ds;
		printf("%s: access %s, dir %s\n", dirs[k], access(dirs[k], R_OK) ? en(errno) : "ok",
		       stat(dirs[k], &ds) == 0 && S_ISDIR(ds.st_mode) ? "yes" : "no");
	}
	return 0;
}
