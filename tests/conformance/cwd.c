/* getcwd/chdir/fchdir: relative paths, "..", errors, small buffers. */
#include "cf.h"

static void
pwd(const char *label)
{
	char b[4096];
	if (!getcwd(b, sizeof(b))) {
		printf("%s: %s\n", label, en(errno));
		return;
	}
	size_t n = strlen(cf_dir);
	if (strncmp(b, cf_dir, n) == 0)
		printf("%s: $T%s\n", label, b + n);
	else
		printf("%s: %s\n", label, b);
}

int
main(void)
{
	char b[4096];

	if (getcwd(b, sizeof(b)))
		YN("initial cwd absolute", b[0] == '/');
	cf_init();
	pwd("cwd");
	mkdir("a", 0755);
	mkdir("a/b", 0755);
	cf_write_file("f", "x", 1);
	R("chdir a/b", chdir("a/b"));
	pwd("cwd");
	R("chdir ..", chdir(".."));
	pwd("cwd");
	R("chdir ./b/../b/.", chdir("./b/../b/."));
	pwd("cwd");
	R("chdir ../../f", chdir("../../f"));
	R("chdir missing", chdir("missing"));
	R("chdir empty", chdir(""));
	pwd("cwd unchanged");
	R("getcwd size 1", getcwd(b, 1) ? 0 : -1);
	R("getcwd size 0 with buffer", getcwd(b, 0) ? 0 : -1);
	R("raw getcwd small", syscall(SYS_getcwd, b, 2));
	long n = syscall(SYS_getcwd, b, sizeof(b));
	YN("raw getcwd returns length+1", n == (long)strlen(b) + 1);
	int fd = open(cf_dir, O_RDONLY);
	chdir("/");
	pwd("cwd after chdir /");
	R("chdir /..", chdir("/.."));
	pwd("cwd after /..");
	R("fchdir", fchdir(fd));
	pwd("cwd after fchdir");
	int ffd = open("f", O_RDONLY);
	R("fchdir file", fchdir(ffd));
	R("fchdir bad fd", fchdir(9999));
	R("chdir /tmp", chdir("/tmp"));
	pwd("cwd");
	R("chdir /usr/bin", chdir("/usr/bin"));
	pwd("cwd");
	R("chdir /proc/self", chdir("/proc/self"));
	R("chdir /dev", chdir("/dev"));
	pwd("cwd");
	fchdir(fd);
	return 0;
}
