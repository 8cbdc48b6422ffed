/*
 * PR_SET_CHILD_SUBREAPER: a grandchild orphaned by its parent's exit is reparented to the
 * subreaper (getppid, waitpid collects it) instead of pid 1; without the flag it goes to
 * pid 1 (the sandbox's first program, natively the host's init or a subreaper of ours).
 */
#include <signal.h>
#include <stdio.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

/* Runs in a child of main, so that it is not pid 1 of the sandbox (which gets orphans anyway). */
static int
subreaper(void)
{
	int on = -1;
	prctl(PR_GET_CHILD_SUBREAPER, &on);
	printf("initially subreaper: %d\n", on);
	printf("set: %d\n", prctl(PR_SET_CHILD_SUBREAPER, 1));
	prctl(PR_GET_CHILD_SUBREAPER, &on);
	printf("now subreaper: %d\n", on);
	pid_t me = getpid();
	int p[2];
	pipe(p);
	pid_t mid = fork();
	if (mid == 0) {
		pid_t g = fork();
		if (g == 0) {
			close(p[0]);
			while (getppid() != me)
				usleep(1000); /* wait to be reparented */
			write(p[1], "r", 1);
			_exit(7);
		}
		_exit(0); /* orphan the grandchild */
	}
	close(p[1]);
	int st;
	waitpid(mid, &st, 0);
	char c;
	printf("grandchild reparented to us: %d\n", read(p[0], &c, 1) == 1);
	pid_t w = wait(&st);
	printf("wait collects it: %d, status %d\n", w > 0 && w != mid, WEXITSTATUS(st));
	printf("no more children: %d\n", wait(NULL) < 0);
	return 0;
}

int
main(void)
{
	fflush(stdout);
	pid_t s = fork();
	if (s == 0) {
		int r = subreaper();
		fflush(stdout);
		_exit(r);
	}
	int st;
	waitpid(s, &st, 0);
	printf("subreaper process exited %d\n", WEXITSTATUS(st));
	return 0;
}
