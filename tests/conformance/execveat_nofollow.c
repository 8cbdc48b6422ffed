/* execveat with AT_SYMLINK_NOFOLLOW: a symbolic link as the last component is ELOOP (by a
 * relative or an absolute path); a link earlier in the path is followed. */
#include "cf.h"
#include <sys/wait.h>

static long
xat(int dirfd, const char *path, int flags)
{
	char *av[] = { (char *)path, "child", NULL };
	pid_t c = fork();
	if (c == 0) {
		syscall(SYS_execveat, dirfd, path, av, av + 2, flags);
		_exit(100 + errno);
	}
	int st;
	waitpid(c, &st, 0);
	return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

int
main(int argc, char **argv)
{
	(void)argv;
	if (argc > 1)
		return 7;
	cf_init();
	char self[512], abs_link[600], dirlink[600];
	ssize_t n = readlink("/proc/self/exe", self, sizeof(self) - 1);
	self[n < 0 ? 0 : n] = '\0';
	int in = open(self, O_RDONLY), out = open("prog", O_WRONLY | O_CREAT, 0755);
	char buf[65536];
	while ((n = read(in, buf, sizeof(buf))) > 0)
		write(out, buf, n);
	close(in);
	close(out);
	symlink("prog", "link");
	mkdir("d", 0755);
	symlink("..", "d/up");
	snprintf(abs_link, sizeof(abs_link), "%s/link", cf_dir);
	snprintf(dirlink, sizeof(dirlink), "%s/d/up/prog", cf_dir);
	printf("(exit 7: ran; 100+errno: failed)\n");
	R("relative link, NOFOLLOW", xat(AT_FDCWD, "link", AT_SYMLINK_NOFOLLOW) - 100 == ELOOP);
	R("absolute link, NOFOLLOW", xat(AT_FDCWD, abs_link, AT_SYMLINK_NOFOLLOW) - 100 == ELOOP);
	R("relative link, followed", xat(AT_FDCWD, "link", 0));
	R("link in the middle, NOFOLLOW", xat(AT_FDCWD, dirlink, AT_SYMLINK_NOFOLLOW));
	R("plain file, NOFOLLOW", xat(AT_FDCWD, "prog", AT_SYMLINK_NOFOLLOW));
	return 0;
}
