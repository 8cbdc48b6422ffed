/* execve: replaces the image, keeps the pid, closes O_CLOEXEC fds; errors for missing files. */
#include "cf.h"

int
main(int argc, char **argv)
{
	if (argc > 1) {
		printf("after exec: argv[1]=%s fd 5 open: %s\n", argv[1], fcntl(5, F_GETFD) >= 0 ? "yes" : "no");
		return 0;
	}
	char *nargv[] = { argv[0], "again", NULL };
	R("execve missing", execve("/nonexistent", nargv, NULL));
	R("execve directory", execve("/usr", nargv, NULL));
	R("execve bad path", syscall(SYS_execve, (void *)1, NULL, NULL));
	dup2(open("/dev/null", O_RDONLY | O_CLOEXEC), 5);
	fcntl(5, F_SETFD, FD_CLOEXEC);
	fflush(stdout);
	execve("/proc/self/exe", nargv, NULL);
	printf("execve failed: %s\n", en(errno));
	return 1;
}
