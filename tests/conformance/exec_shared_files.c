/* execve in a child that shares its parent's descriptor table (CLONE_FILES): the child
 * gets a table of its own first, so the parent's close-on-exec descriptors stay open. */
#include "cf.h"
#include <sched.h>
#include <signal.h>
#include <sys/wait.h>

int
main(int argc, char **argv)
{
	if (argc > 1)
		return 0;
	int fd = open("/proc/self/exe", O_RDONLY | O_CLOEXEC);
	int keep = open("/proc/self/exe", O_RDONLY);
	long c = syscall(SYS_clone, SIGCHLD | CLONE_VFORK | CLONE_FILES, 0, 0, 0, 0);
	if (c == 0) {
		char *av[] = { argv[0], "child", NULL };
		execv("/proc/self/exe", av);
		_exit(1);
	}
	int st;
	R("child", waitpid(c, &st, 0) == c && WIFEXITED(st) ? WEXITSTATUS(st) : -1);
	struct stat sb;
	R("close-on-exec fd still ours", fstat(fd, &sb));
	R("plain fd still ours", fstat(keep, &sb));
	return 0;
}
