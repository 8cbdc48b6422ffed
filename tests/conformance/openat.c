/* openat(2) with directory fds, AT_FDCWD, absolute paths and bad dirfds. */
#include "cf.h"

int
main(void)
{
	cf_init();
	mkdir("d", 0755);
	mkdir("d/sub", 0755);
	cf_write_file("d/sub/f", "abc", 3);
	cf_write_file("plain", "x", 1);

	int dfd = FD("open d", open("d", O_RDONLY | O_DIRECTORY));
	int fd = FD("openat dfd sub/f", openat(dfd, "sub/f", O_RDONLY));
	char b[8] = {0};
	R("read", read(fd, b, sizeof(b)));
	printf("data: %s\n", b);
	close(fd);
	FD("openat AT_FDCWD d/sub/f", openat(AT_FDCWD, "d/sub/f", O_RDONLY));
	FD("openat dfd ../plain", openat(dfd, "../plain", O_RDONLY));
	FD("openat dfd missing", openat(dfd, "missing", O_RDONLY));
	FD("openat bad dirfd relative", openat(9999, "sub/f", O_RDONLY));
	FD("openat -5 dirfd relative", openat(-5, "sub/f", O_RDONLY));
	FD("openat bad dirfd absolute", openat(9999, "/dev/null", O_RDONLY));
	int ffd = open("plain", O_RDONLY);
	FD("openat file dirfd", openat(ffd, "x", O_RDONLY));
	FD("openat file dirfd empty", openat(ffd, "", O_RDONLY));
	FD("openat dfd create", openat(dfd, "new", O_WRONLY | O_CREAT, 0644));
	R("created in d", access("d/new", F_OK));
	FD("openat dfd dot", openat(dfd, ".", O_RDONLY));
	FD("openat dfd dotdot", openat(dfd, "..", O_RDONLY | O_DIRECTORY));
	R("mkdirat", mkdirat(dfd, "m", 0700));
	R("unlinkat", unlinkat(dfd, "new", 0));
	R("unlinkat dir without flag", unlinkat(dfd, "m", 0));
	R("unlinkat bad flag", unlinkat(dfd, "m", 0x1));
	R("unlinkat AT_REMOVEDIR", unlinkat(dfd, "m", AT_REMOVEDIR));
	return 0;
}
