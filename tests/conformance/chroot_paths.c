/* chroot (in a child, so that the scratch directory can still be removed): absolute paths and
 * symlinks resolve inside the new root, ".." stops at it, descriptors opened before still
 * reach outside, getcwd of a cwd outside the root is "(unreachable)..." (glibc: ENOENT),
 * /proc/self/fd links show paths below the new root. */
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
		int proc = open("/proc", O_RDONLY | O_DIRECTORY);
		R("chroot r", chroot("r"));
		/* /proc/self/fd links, read through a /proc opened before: below the new root */
		int in = open("/sub/f", O_RDONLY);
		char lk[32], t[512];
		snprintf(lk, sizeof lk, "self/fd/%d", in);
		ssize_t tn = readlinkat(proc, lk, t, sizeof t - 1);
		t[tn > 0 ? tn : 0] = 0;
		printf("fd link of /sub/f: %s\n", tn > 0 ? t : en(errno));
		snprintf(lk, sizeof lk, "self/fd/%d", keep);
		tn = readlinkat(proc, lk, t, sizeof t - 1);
		printf("fd link outside the root ends with the scratch dir: %s\n",
		       tn > 0 && tn >= (ssize_t)strlen(cf_dir) &&
		       !memcmp(t + tn - strlen(cf_dir), cf_dir, strlen(cf_dir)) ? "yes" : "no");
		close(in);
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
