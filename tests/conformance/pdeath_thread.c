/*
 * PR_SET_PDEATHSIG fires when the parent *thread* exits (Linux sends it as the thread's
 * children move to another thread of the process), not only when the whole process ends;
 * a child of a thread that is still running gets nothing.
 */
#include <pthread.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>

#include "cf.h"

static pid_t child;

static void *
forker(void *arg)
{
	int *ready = arg;

	child = fork();
	if (child == 0) {
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		write(ready[1], "r", 1);
		for (;;)
			pause();
	}
	char c;
	read(ready[0], &c, 1);
	return NULL; /* the thread ends: the child gets SIGKILL */
}

int
main(void)
{
	int ready[2], st;
	pthread_t th;

	setvbuf(stdout, NULL, _IOLBF, 0);
	pipe(ready);
	pthread_create(&th, NULL, forker, ready);
	pthread_join(th, NULL);
	R("waitpid", waitpid(child, &st, 0) == child);
	printf("signaled %d sig %d\n", WIFSIGNALED(st), WIFSIGNALED(st) ? WTERMSIG(st) : 0);

	/* the forking thread still runs: no signal; main's own child gets it at exit of a
	 * process only */
	pid_t c2 = fork();
	if (c2 == 0) {
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		usleep(20000);
		_exit(7);
	}
	waitpid(c2, &st, 0);
	printf("exited %d code %d\n", WIFEXITED(st), WEXITSTATUS(st));
	return 0;
}
