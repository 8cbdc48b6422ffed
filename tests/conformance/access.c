/* access/faccessat: F_OK, R_OK/W_OK/X_OK on own files, bad modes and flags. */
#include "cf.h"

int
main(void)
{
	cf_init();
	cf_write_file("f", "x", 1);
	cf_write_file("x", "#!/bin/sh\n", 10);
	chmod("x", 0755);
	mkdir("d", 0755);
	symlink("missing", "dangling");
	R("access f F_OK", access("f", F_OK));
	R("access f R_OK", access("f", R_OK));
	R("access f W_OK", access("f", W_OK));
	R("access f X_OK (0644)", access("f", X_OK));
	R("access x X_OK (0755)", access("x", X_OK));
	R("access d X_OK", access("d", X_OK));
	R("access missing", access("missing", F_OK));
	R("access dangling", access("dangling", F_OK));
	R("access f/ (trailing slash)", access("f/", F_OK));
	R("access d/ (trailing slash)", access("d/", F_OK));
	R("access empty", access("", F_OK));
	R("access bad mode", access("f", 8));
	R("access /usr/bin/busybox X_OK", access("/usr/bin/busybox", X_OK));
	R("access /etc/os-release R_OK", access("/etc/os-release", R_OK));
	int dfd = open("d", O_RDONLY);
	cf_write_file("d/in", "y", 1);
	R("faccessat dfd", faccessat(dfd, "in", R_OK, 0));
	R("faccessat AT_EACCESS", faccessat(dfd, "in", R_OK, AT_EACCESS));
	R("faccessat bad flags", syscall(SYS_faccessat2, dfd, "in", R_OK, 0x1));
	R("faccessat2 AT_SYMLINK_NOFOLLOW dangling", syscall(SYS_faccessat2, AT_FDCWD, "dangling", F_OK, AT_SYMLINK_NOFOLLOW));
	R("faccessat2 AT_EMPTY_PATH", syscall(SYS_faccessat2, dfd, "", F_OK, AT_EMPTY_PATH));
	R("faccessat bad dirfd", faccessat(9999, "in", F_OK, 0));
	R("raw faccessat", syscall(SYS_faccessat, dfd, "in", F_OK));
	R("raw access", syscall(SYS_access, "f", R_OK | W_OK));
	return 0;
}
