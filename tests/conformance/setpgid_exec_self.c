/* setpgid on a child: allowed before it runs execve, EACCES after (Linux PF_FORKNOEXEC);
 * the child itself may still change its own group after execve. */
#include "cf.h"
#include <sys/wait.h>

int
main(int argc, char **argv)
{
	if (argc > 1) { /* the exec'd child: its own setpgid, then wait for the pipe to close */
		char c;
		printf("child after exec, own setpgid: %s\n", setpgid(0, 0) == 0 ? "ok" : en(errno));
		fflush(stdout);
		write(11, "r", 1);
		while (read(10, &c, 1) > 0)
			;
		return 0;
	}
	cf_init();
	int go[2], ready[2];
	pipe(go);
	pipe(ready);
	pid_t pid = fork();
	if (pid == 0) {
		char c;
		dup2(go[0], 10);
		dup2(ready[1], 11);
		close(go[1]);
		read(10, &c, 1);	/* the parent's first setpgid comes first */
		execl("/proc/self/exe", argv[0], "child", (char *)NULL);
		_exit(127);
	}
	close(go[0]);
	close(ready[1]);
	OK("setpgid before exec", setpgid(pid, pid));
	OK("setpgid back before exec", setpgid(pid, getpgrp()));
	write(go[1], "g", 1);
	char c;
	read(ready[0], &c, 1);
	OK("setpgid after exec", setpgid(pid, pid));
	OK("setpgid to own group after exec", setpgid(pid, getpgrp()));
	close(go[1]);
	int st;
	waitpid(pid, &st, 0);
	printf("child: %d\n", WIFEXITED(st) ? WEXITSTATUS(st) : -1);
	return 0;
}
