/* fork/wait4/exit status: child exit codes and signals seen by the parent. */
#include "cf.h"
#include <signal.h>
#include <sys/wait.h>

int
main(void)
{
	int st;
	pid_t c = fork();
	if (c == 0)
		_exit(7);
	YN("fork returned child pid > 0", c > 0);
	YN("waitpid returns child", waitpid(c, &st, 0) == c);
	printf("exited: %d status: %d\n", WIFEXITED(st), WEXITSTATUS(st));
	c = fork();
	if (c == 0) {
		raise(SIGKILL);
		_exit(0);
	}
	waitpid(c, &st, 0);
	printf("signaled: %d sig: %d\n", WIFSIGNALED(st), WTERMSIG(st));
	R("wait with no children", wait(&st));
	return 0;
}
