/* chroot (in a child, so that the scratch directory can still be removed): absolute paths and
 * symlinks resolve inside the new root, ".." stops at it, descriptors opened before still
 * reach outside, getcwd of a cwd outside the root is "(unreachable)..." (glibc: ENOENT). */
#include <sys/wait.h>
#include "cf.h"

static int
opens(const char *p)
{
	int f = open(p, O_RDONLY);
	if (f >= 0)
		close(f);
	return f >= 0 ? 0 : -1;
}

int
main(void)
{
	char b[512];

	cf_init();
	mkdir("r", 0755);
	mkdir("r/sub", 0755);
	cf_write_file("r/sub/f", "x", 1);
	cf_write_file("outside", "o", 1);
	symlink("/sub/f", "r/abs");
	symlink("../../../outside", "r/rel");
	pid_t pid = fork();
	if (pid == 0) {
		int keep = open(".", O_RDONLY);
		R("chroot r", chroot("r"));
		R("getcwd outside the root", getcwd(b, sizeof b) ? 0 : -1);
		long n = syscall(SYS_getcwd, b, sizeof b);
		printf("raw getcwd: %s\n", n > 0 && !strncmp(b, "(unreachable)/", 14) ? "(unreachable)/..." : "other");
		R("open /sub/f", opens("/sub/f"));
		R("open absolute link", opens("/abs"));
		R("open relative link that climbs", opens("/rel"));
		R("chdir /", chdir("/"));
		R("open ../../outside", opens("../../outside"));
		R("getcwd at the root", getcwd(b, sizeof b) ? 0 : -1);
		printf("cwd: %s\n", b);
		R("openat an fd from outside", ({ int f = openat(keep, "outside", O_RDONLY); f >= 0 ? 0 : -1; }));
		R("fchdir outside", fchdir(keep));
		R("getcwd outside again", getcwd(b, sizeof b) ? 0 : -1);
		R("open many ..", opens("../../../../../../"));
		R("chroot back to /", chroot("/"));
		fflush(stdout);
		_exit(0);
	}
	int st;
	waitpid(pid, &st, 0);
	printf("child exit %d\n", WEXITSTATUS(st));
	return 0;
}
