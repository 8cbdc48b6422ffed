/* Resource limits belong to a process: a child inherits its parent's, and what the child
 * sets (RLIMIT_NOFILE, RLIMIT_FSIZE, RLIMIT_NICE) changes neither its parent nor its
 * siblings; threads share their process's. */
#include "cf.h"
#include <pthread.h>
#include <sys/resource.h>
#include <sys/wait.h>

static void *
thread_set(void *arg)
{
	struct rlimit rl;

	(void)arg;
	getrlimit(RLIMIT_NOFILE, &rl);
	rl.rlim_cur = 150;
	setrlimit(RLIMIT_NOFILE, &rl);
	return NULL;
}

int
main(void)
{
	struct rlimit rl, nofile;
	int st;
	pthread_t th;

	setvbuf(stdout, NULL, _IONBF, 0);
	getrlimit(RLIMIT_NOFILE, &nofile);
	rl.rlim_cur = 200;
	rl.rlim_max = nofile.rlim_max;
	R("parent NOFILE 200", setrlimit(RLIMIT_NOFILE, &rl));
	if (fork() == 0) {
		getrlimit(RLIMIT_NOFILE, &rl);
		printf("child inherits: %lu\n", (unsigned long)rl.rlim_cur);
		rl.rlim_cur = 64;
		R("child NOFILE 64", setrlimit(RLIMIT_NOFILE, &rl));
		R("child dup2 to 100", dup2(1, 100));
		rl.rlim_cur = rl.rlim_max = 4096;
		R("child FSIZE 4096", setrlimit(RLIMIT_FSIZE, &rl));
		_exit(0);
	}
	wait(&st);
	getrlimit(RLIMIT_NOFILE, &rl);
	printf("parent after child: %lu\n", (unsigned long)rl.rlim_cur);
	R("parent dup2 to 100", dup2(1, 100));
	R("parent dup2 to 300", dup2(1, 300));
	getrlimit(RLIMIT_FSIZE, &rl);
	printf("parent FSIZE infinite: %s\n", rl.rlim_cur == RLIM_INFINITY ? "yes" : "no");
	if (fork() == 0) {
		getrlimit(RLIMIT_NOFILE, &rl);
		printf("second child: %lu\n", (unsigned long)rl.rlim_cur);
		_exit(0);
	}
	wait(&st);
	pthread_create(&th, NULL, thread_set, NULL);
	pthread_join(th, NULL);
	getrlimit(RLIMIT_NOFILE, &rl);
	printf("a thread's NOFILE seen by the process: %lu\n", (unsigned long)rl.rlim_cur);
	R("dup2 to 160", dup2(1, 160));
	return 0;
}
