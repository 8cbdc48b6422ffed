/* Opening host files on their first lookup (the sandbox may open a file with its lookup, and
 * look up what follows a symlink with the link's target): through symlinks in the middle
 * and at the end, O_NOFOLLOW, directories, missing names, files opened twice. Read-only. */
#include "cf.h"

/* Opens path with flags and says what it got: the file type and the first bytes. */
static void
try_open(const char *path, int flags)
{
	char buf[5] = "";
	struct stat st;
	int fd;

	errno = 0;
	fd = open(path, flags);
	if (fd < 0) {
		printf("open %s %#x: -1 %s\n", path, flags, en(errno));
		return;
	}
	fstat(fd, &st);
	if (S_ISREG(st.st_mode) && read(fd, buf, 4) == 4) {
		for (int i = 0; i < 4; i++)
			if (buf[i] < 32 || buf[i] > 126)
				buf[i] = '.';
	}
	printf("open %s %#x: %s %s\n", path, flags,
	       S_ISDIR(st.st_mode) ? "dir" : S_ISREG(st.st_mode) ? "file" : "other", buf);
	close(fd);
}

int
main(void)
{
	struct stat st;

	try_open("/lib64/ld-linux-x86-64.so.2", O_RDONLY);
	try_open("/lib64/ld-linux-x86-64.so.2", O_RDONLY);
	try_open("/etc/os-release", O_RDONLY | O_NOFOLLOW);
	try_open("/etc/os-release", O_RDONLY);
	try_open("/usr/share", O_RDONLY);
	try_open("/usr/share", O_RDONLY | O_DIRECTORY);
	try_open("/usr/share/no-such-file", O_RDONLY);
	try_open("/usr/share/no-such-dir/x", O_RDONLY);
	try_open("/usr/bin/env/", O_RDONLY);
	try_open("/usr/bin/env/x", O_RDONLY);
	try_open("/bin/env", O_RDONLY);
	try_open("/bin/./env", O_RDONLY);
	try_open("/bin/../bin/env", O_RDONLY);
	try_open("/lib/x86_64-linux-gnu/libc.so.6", O_RDONLY);
	try_open("/lib/x86_64-linux-gnu/libc.so.6", O_RDONLY | O_NOFOLLOW);
	try_open("/usr/share", O_WRONLY);
	try_open("/usr/share/no-such-file-either", O_WRONLY);
	try_open("/usr/lib/os-release", O_RDONLY | O_PATH);
	R("stat after the opens", stat("/usr/lib/os-release", &st));
	printf("size matches: %s\n", st.st_size > 0 ? "yes" : "no");
	int dfd = FD("open /usr/lib as a dirfd", open("/usr/lib", O_RDONLY | O_DIRECTORY));
	FD("openat dirfd os-release", openat(dfd, "os-release", O_RDONLY));
	FD("openat dirfd ../../etc/os-release", openat(dfd, "../../etc/os-release", O_RDONLY));
	FD("openat dirfd x86_64-linux-gnu/../os-release",
	   openat(dfd, "x86_64-linux-gnu/../os-release", O_RDONLY));
	OK("chdir /lib", chdir("/lib"));
	try_open("../lib64/ld-linux-x86-64.so.2", O_RDONLY);
	try_open("x86_64-linux-gnu/libc.so.6", O_RDONLY);
	return 0;
}
