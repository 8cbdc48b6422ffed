/* symlink/readlink/readlinkat: targets, truncation, EINVAL on non-links, relative resolution. */
#include "cf.h"

int
main(void)
{
	char b[64];
	long n;

	cf_init();
	mkdir("d", 0755);
	cf_write_file("d/f", "inside", 6);
	R("symlink rel", symlink("d/f", "l1"));
	R("symlink exists", symlink("x", "l1"));
	R("symlink empty target", symlink("", "l2"));
	R("symlink to dir", symlink("d", "ld"));
	R("symlink dotdot", symlink("../f", "d/up"));
	cf_write_file("f", "outside", 7);
	memset(b, 0, sizeof(b));
	n = readlink("l1", b, sizeof(b));
	printf("readlink l1: %ld %s\n", n, b);
	memset(b, 0, sizeof(b));
	R("readlink truncated", readlink("l1", b, 2));
	printf("truncated: %s\n", b);
	R("readlink size 0", readlink("l1", b, 0));
	R("readlink regular file", readlink("f", b, sizeof(b)));
	R("readlink dir", readlink("d", b, sizeof(b)));
	R("readlink missing", readlink("missing", b, sizeof(b)));
	R("readlink through dir link", readlink("ld/up", b, sizeof(b)));
	memset(b, 0, sizeof(b));
	int fd = open("ld/up", O_RDONLY);
	read(fd, b, sizeof(b));
	printf("via d/up: %s\n", b);
	close(fd);
	int dfd = open("d", O_RDONLY);
	memset(b, 0, sizeof(b));
	n = readlinkat(dfd, "up", b, sizeof(b));
	printf("readlinkat: %ld %s\n", n, b);
	R("readlinkat empty path on dir", readlinkat(dfd, "", b, sizeof(b)));
	R("symlinkat", symlinkat("/etc/os-release", dfd, "abs"));
	fd = open("d/abs", O_RDONLY);
	YN("absolute symlink resolves", fd >= 0);
	R("symlink in missing dir", symlink("x", "nodir/l"));
	char longt[5000];
	memset(longt, 'a', sizeof(longt) - 1);
	longt[sizeof(longt) - 1] = 0;
	R("symlink target > PATH_MAX", symlink(longt, "longl"));
	longt[4095] = 0;
	R("symlink target 4095", symlink(longt, "longl2"));
	struct stat st;
	lstat("longl2", &st);
	R("lstat size of long link", st.st_size);
	lstat("l1", &st);
	printf("symlink mode: %o\n", st.st_mode & 07777);
	R("symlink trailing slash name", symlink("d", "newl/"));
	return 0;
}
