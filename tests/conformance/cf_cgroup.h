/* For the cgroup conformance programs (include after cf.h): cg is the cgroup under test;
 * put writes text to one of its files in one write (0 / -1 with errno), show prints a
 * file of directory dir whole, its newlines as '|'. */
#pragma once
#include <fcntl.h>
#include <sys/mount.h>

static char cg[600];

static __attribute__((unused)) int
put(const char *file, const char *text)
{
	char p[700];
	snprintf(p, sizeof(p), "%s/%s", cg, file);
	int fd = open(p, O_WRONLY);
	if (fd < 0)
		return -1;
	ssize_t n = write(fd, text, strlen(text));
	int e = errno;
	close(fd);
	errno = e;
	return n < 0 ? -1 : 0;
}

static __attribute__((unused)) void
show(const char *label, const char *dir, const char *file)
{
	char p[700], buf[512];
	snprintf(p, sizeof(p), "%s/%s", dir, file);
	int fd = open(p, O_RDONLY);
	ssize_t n = fd < 0 ? -1 : read(fd, buf, sizeof(buf) - 1);
	if (n < 0) {
		printf("%s: -1 %s\n", label, en(errno));
	} else {
		buf[n] = 0;
		for (char *c = buf; *c; c++)
			if (*c == '\n')
				*c = '|';
		printf("%s: [%s]\n", label, buf);
	}
	if (fd >= 0)
		close(fd);
}

/* cgroup2 mounted at ./cg (after cf_init and cf_own_mounts; it says how that went), and cg
 * set to a new cgroup's path below this process's own (natively the unified hierarchy
 * may place it deeper), named prefix and the pid; not made yet. */
static __attribute__((unused)) void
cg_setup(const char *prefix)
{
	char self[512] = "", line[600];

	mkdir("cg", 0755);
	OK("mount cgroup2", mount("none", "cg", "cgroup2", 0, NULL));
	FILE *f = fopen("/proc/self/cgroup", "r");
	while (f && fgets(line, sizeof(line), f))
		if (!strncmp(line, "0::", 3))
			sscanf(line + 3, "%511s", self);
	if (f)
		fclose(f);
	snprintf(cg, sizeof(cg), "%s/cg%s/%s%d", cf_dir, strcmp(self, "/") ? self : "", prefix,
		 getpid());
}
