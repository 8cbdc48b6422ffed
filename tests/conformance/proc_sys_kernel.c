/*
 * /proc/sys/kernel and /proc/sys/vm numbers, random/uuid and boot_id, domainname,
 * /proc/cmdline and /proc/devices: present, numeric where Linux prints a number, in Linux's
 * format. Values a host may tune are only checked for being numbers; nothing is written.
 */
#include <stdbool.h>
#include <sys/utsname.h>

#include "cf.h"

static char *
slurp(const char *path, char *buf, size_t size)
{
	int fd = open(path, O_RDONLY);
	ssize_t n;

	if (fd < 0)
		return NULL;
	n = read(fd, buf, size - 1);
	close(fd);
	buf[n > 0 ? n : 0] = '\0';
	return buf;
}

static void
number(const char *path, bool show)
{
	char buf[256], *end;
	struct stat st;

	if (!slurp(path, buf, sizeof(buf))) {
		printf("%s: %s\n", path, en(errno));
		return;
	}
	long v = strtol(buf, &end, 10);
	stat(path, &st);
	printf("%s: mode %o numeric+newline %s", path, st.st_mode & 07777,
	       end != buf && !strcmp(end, "\n") ? "yes" : "no");
	if (show)
		printf(" value %ld", v);
	printf("\n");
}

int
main(void)
{
	char a[128], b[128];
	struct utsname u;

	setvbuf(stdout, NULL, _IOLBF, 0);
	number("/proc/sys/kernel/cap_last_cap", true);
	number("/proc/sys/kernel/overflowuid", true);
	number("/proc/sys/kernel/overflowgid", true);
	number("/proc/sys/kernel/randomize_va_space", false);
	number("/proc/sys/kernel/keys/maxkeys", false);
	number("/proc/sys/vm/max_map_count", false);
	number("/proc/sys/vm/mmap_min_addr", false);

	if (slurp("/proc/sys/kernel/random/uuid", a, sizeof(a)) &&
	    slurp("/proc/sys/kernel/random/uuid", b, sizeof(b))) {
		int ok = strlen(a) == 37 && a[8] == '-' && a[13] == '-' && a[14] == '4' &&
			 a[18] == '-' && strchr("89ab", a[19]) && a[23] == '-' && a[36] == '\n';
		printf("uuid format: %s, differs: %s\n", ok ? "yes" : "no", strcmp(a, b) ? "yes" : "no");
	}
	/* boot_id: the same UUID at every read (one per boot) */
	if (slurp("/proc/sys/kernel/random/boot_id", a, sizeof(a)) &&
	    slurp("/proc/sys/kernel/random/boot_id", b, sizeof(b))) {
		int ok = strlen(a) == 37 && a[8] == '-' && a[13] == '-' && a[14] == '4' &&
			 a[18] == '-' && strchr("89ab", a[19]) && a[23] == '-' && a[36] == '\n';
		printf("boot_id format: %s, same: %s\n", ok ? "yes" : "no", strcmp(a, b) ? "no" : "yes");
	} else {
		printf("boot_id: %s\n", en(errno));
	}
	uname(&u);
	if (slurp("/proc/sys/kernel/domainname", a, sizeof(a))) {
		a[strcspn(a, "\n")] = '\0';
		YN("domainname matches uname", !strcmp(a, u.domainname));
	}
	YN("cmdline not empty", slurp("/proc/cmdline", a, sizeof(a)) && a[0]);
	static char dev[8192];
	if (slurp("/proc/devices", dev, sizeof(dev))) {
		char *mem = strstr(dev, "  1 mem\n"), *blk = strstr(dev, "\n\nBlock devices:\n");
		YN("devices: character header first", !strncmp(dev, "Character devices:\n", 19));
		YN("devices: mem before block header", mem && blk && mem < blk);
	}
	return 0;
}
