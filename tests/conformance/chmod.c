/* chmod/fchmod/fchmodat: mode bits, symlink following, errors. */
#include "cf.h"

static void
mode(const char *label, const char *p)
{
	struct stat st;
	if (stat(p, &st) < 0)
		printf("%s: %s\n", label, en(errno));
	else
		printf("%s: %o\n", label, st.st_mode & 07777);
}

int
main(void)
{
	cf_init();
	cf_write_file("f", "x", 1);
	mkdir("d", 0755);
	R("chmod 0600", chmod("f", 0600));
	mode("mode", "f");
	R("chmod 04755", chmod("f", 04755));
	mode("mode", "f");
	R("chmod 01777 dir", chmod("d", 01777));
	mode("dir mode", "d");
	R("chmod high bits ignored", chmod("f", 0170644));
	mode("mode", "f");
	int fd = open("f", O_RDONLY);
	R("fchmod 0640", fchmod(fd, 0640));
	mode("mode", "f");
	close(fd);
	R("fchmod bad fd", fchmod(9999, 0644));
	R("chmod missing", chmod("missing", 0644));
	R("chmod f/", chmod("f/", 0644));
	symlink("f", "lnk");
	R("chmod via symlink", chmod("lnk", 0444));
	mode("target mode", "f");
	struct stat st;
	lstat("lnk", &st);
	printf("symlink mode: %o\n", st.st_mode & 07777);
	int dfd = open("d", O_RDONLY);
	cf_write_file("d/g", "y", 1);
	R("fchmodat", fchmodat(dfd, "g", 0700, 0));
	mode("d/g mode", "d/g");
	R("raw fchmodat bad dirfd", syscall(SYS_fchmodat, 9999, "g", 0700));
	R("chmod 0 then read own file", chmod("f", 0));
	mode("mode", "f");
	R("chmod empty", chmod("", 0755));
	return 0;
}
