/*
 * Process groups around execve: a parent may move its child into a group until the child
 * runs execve (EACCES after), and may join the child's group itself. The program as
 * started is no session leader (its session is its caller's), so setsid works in it.
 */
#include "cf.h"
#include <signal.h>
#include <sys/wait.h>

int
main(int argc, char **argv)
{
	int go[2], ready[2];
	char c;

	setvbuf(stdout, NULL, _IOLBF, 0);
	if (argc > 2) { /* the exec'd child: tell, then wait for the word */
		write(atoi(argv[2]), "r", 1);
		read(atoi(argv[1]), &c, 1);
		return 0;
	}
	YN("started as a session leader", getsid(0) == getpid());
	pipe(go);
	pipe(ready);
	pid_t p = fork();
	if (p == 0) {
		read(go[0], &c, 1);
		char a1[16], a2[16];
		snprintf(a1, sizeof(a1), "%d", go[0]);
		snprintf(a2, sizeof(a2), "%d", ready[1]);
		execl("/proc/self/exe", argv[0], a1, a2, (char *)NULL);
		_exit(1);
	}
	R("setpgid of the child before its exec", setpgid(p, p));
	YN("the child leads its group", getpgid(p) == p);
	write(go[1], "g", 1);
	read(ready[0], &c, 1);
	R("setpgid of the child after its exec", setpgid(p, p));
	R("move the child into my group after its exec", setpgid(p, getpgrp()));
	R("join the child's group", setpgid(0, p));
	YN("in the child's group", getpgrp() == p);
	write(go[1], "g", 1);
	int st;
	waitpid(p, &st, 0);
	printf("child: %d\n", WEXITSTATUS(st));

	p = fork();
	if (p == 0) {
		pid_t s = setsid();
		YN("setsid in a child", s == getpid());
		_exit(0);
	}
	waitpid(p, &st, 0);
	p = fork();
	if (p == 0) {
		/* a group leader (now that the parent left its group?) cannot setsid */
		setpgid(0, 0);
		R("setsid as a group leader", setsid());
		_exit(0);
	}
	waitpid(p, &st, 0);
	return 0;
}
