/* /proc/sys directories list their entries in name order, as Linux keeps each sysctl
 * directory (sysctl -a and sysctl kernel print them in readdir's order). */
#include <dirent.h>

#include "cf.h"

static void
check(const char *dir)
{
	char prev[256] = "", first[256] = "";
	int n = 0, sorted = 1;
	struct dirent *e;
	DIR *d = opendir(dir);

	if (!d) {
		printf("%s: %s\n", dir, en(errno));
		return;
	}
	while ((e = readdir(d))) {
		if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
			continue;
		if (n++ && strcmp(prev, e->d_name) >= 0) {
			sorted = 0;
			if (!*first)
				snprintf(first, sizeof(first), "%s before %s", prev, e->d_name);
		}
		snprintf(prev, sizeof(prev), "%s", e->d_name);
	}
	closedir(d);
	printf("%s: %s%s%s\n", dir, n < 2 ? "few entries" : sorted ? "sorted" : "not sorted",
	       *first ? ": " : "", first);
}

int
main(void)
{
	static const char *const dirs[] = {
		"/proc/sys", "/proc/sys/kernel", "/proc/sys/kernel/keys", "/proc/sys/kernel/random",
		"/proc/sys/vm", "/proc/sys/fs", "/proc/sys/fs/inotify", "/proc/sys/fs/mqueue",
		"/proc/sys/net", "/proc/sys/net/core", "/proc/sys/net/ipv4",
		"/proc/sys/net/ipv4/conf", "/proc/sys/net/ipv6",
	};

	for (size_t i = 0; i < sizeof(dirs) / sizeof(dirs[0]); i++)
		check(dirs[i]);
	return 0;
}
