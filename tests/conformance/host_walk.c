/* Path walks through host directories (the sandbox looks several components up at once):
 * first lookups that stop at symlinks, missing names, files, "." and "..", then what the
 * cache holds afterwards (stats, readlink, a merged directory listing). Read-only. */
#include "cf.h"
#include <dirent.h>
#include <stdbool.h>

static const char *
kind(const char *path, bool follow)
{
	struct stat st;

	if ((follow ? stat(path, &st) : lstat(path, &st)) < 0)
		return en(errno);
	return S_ISDIR(st.st_mode) ? "dir" : S_ISREG(st.st_mode) ? "file" :
	       S_ISLNK(st.st_mode) ? "symlink" : "other";
}

static long
count_entries(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *de;
	long n = 0;

	if (!d)
		return -errno;
	while ((de = readdir(d)))
		n++;
	closedir(d);
	return n;
}

int
main(void)
{
	static const char *const paths[] = {
		"/usr/lib/x86_64-linux-gnu/libc.so.6",
		"/usr/share/./doc/../../bin/env",
		"/usr/sbin/no-such-dir/deeper/x",
		"/usr/sbin/no-such-dir/deeper",
		"/usr/bin/env/x/y",
		"/usr/bin/env/",
		"/usr//bin///env",
		"/etc/os-release",
		"/lib/x86_64-linux-gnu/../../etc/passwd",
		"/lib/x86_64-linux-gnu/../../bin/env",
		"/lib64/ld-linux-x86-64.so.2",
		"/bin/../etc/passwd",
		"/usr/lib/x86_64-linux-gnu/no-such-file",
		"/usr/lib/x86_64-linux-gnu/no-such-file/x",
		"/usr/lib/x86_64-linux-gnu",
	};
	char buf[256];
	ssize_t n;

	/* every path twice: its first walk, then from the cache */
	for (int round = 0; round < 2; round++) {
		for (size_t i = 0; i < sizeof(paths) / sizeof(paths[0]); i++) {
			printf("%s %s: stat %s", round ? "again" : "first", paths[i],
			       kind(paths[i], true));
			printf(", lstat %s\n", kind(paths[i], false));
		}
	}
	n = readlink("/etc/os-release", buf, sizeof(buf) - 1);
	buf[n > 0 ? n : 0] = '\0';
	printf("readlink /etc/os-release: %zd %s\n", n, n > 0 ? buf : en(errno));
	n = readlink("/lib64", buf, sizeof(buf) - 1);
	buf[n > 0 ? n : 0] = '\0';
	printf("readlink /lib64: %zd %s\n", n, n > 0 ? buf : en(errno));
	int fd = FD("open /etc/os-release", open("/etc/os-release", O_RDONLY));
	if (fd >= 0) {
		n = read(fd, buf, 8);
		printf("read 8: %zd\n", n);
		close(fd);
	}
	/* listings are the host's, whatever the walks cached in them */
	printf("entries /usr/lib/x86_64-linux-gnu: %s\n",
	       count_entries("/usr/lib/x86_64-linux-gnu") > 100 ? "many" : "few");
	long a = count_entries("/usr/lib/x86_64-linux-gnu");
	long b = count_entries("/usr/lib/x86_64-linux-gnu/.");
	YN("same listing twice", a == b && a > 0);
	printf("entries /usr/sbin vs /sbin: %s\n",
	       count_entries("/usr/sbin") == count_entries("/sbin") ? "same" : "differ");
	OK("chdir /usr/lib", chdir("/usr/lib"));
	printf("../bin/env: %s\n", kind("../bin/env", true));
	printf("x86_64-linux-gnu/../os-release: %s\n", kind("x86_64-linux-gnu/../os-release", true));
	return 0;
}
