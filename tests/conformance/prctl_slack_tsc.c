/* prctl PR_SET_TIMERSLACK/PR_GET_TIMERSLACK (kept per thread, 0 restores the default, a
 * child starts with its parent's current value as both its value and its default) and
 * PR_SET_TSC/PR_GET_TSC (EINVAL for other modes; PR_TSC_SIGSEGV makes rdtsc fault). */
#include "cf.h"
#include <pthread.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>

static void *
thread_slack(void *arg)
{
	(void)arg;
	printf("new thread's slack: %ld\n", (long)prctl(PR_GET_TIMERSLACK, 0, 0, 0, 0));
	prctl(PR_SET_TIMERSLACK, 123456, 0, 0, 0);
	printf("thread set its own: %ld\n", (long)prctl(PR_GET_TIMERSLACK, 0, 0, 0, 0));
	return NULL;
}

static unsigned long long
rdtsc(void)
{
	unsigned lo, hi;
	__asm__ __volatile__("rdtsc" : "=a"(lo), "=d"(hi));
	return (unsigned long long)hi << 32 | lo;
}

int
main(void)
{
	cf_init();
	R("default slack", prctl(PR_GET_TIMERSLACK, 0, 0, 0, 0));
	R("set 70000", prctl(PR_SET_TIMERSLACK, 70000, 0, 0, 0));
	R("get", prctl(PR_GET_TIMERSLACK, 0, 0, 0, 0));
	R("set 1", prctl(PR_SET_TIMERSLACK, 1, 0, 0, 0));
	R("get", prctl(PR_GET_TIMERSLACK, 0, 0, 0, 0));
	R("set INT_MAX", prctl(PR_SET_TIMERSLACK, 2147483647UL, 0, 0, 0));
	R("get", prctl(PR_GET_TIMERSLACK, 0, 0, 0, 0));
	R("set 0 (default)", prctl(PR_SET_TIMERSLACK, 0, 0, 0, 0));
	R("get", prctl(PR_GET_TIMERSLACK, 0, 0, 0, 0));
	prctl(PR_SET_TIMERSLACK, 80000, 0, 0, 0);
	pthread_t th;
	pthread_create(&th, NULL, thread_slack, NULL);
	pthread_join(th, NULL);
	R("main thread's still", prctl(PR_GET_TIMERSLACK, 0, 0, 0, 0));
	pid_t pid = fork();
	if (pid == 0) {
		R("child inherits", prctl(PR_GET_TIMERSLACK, 0, 0, 0, 0));
		prctl(PR_SET_TIMERSLACK, 5000, 0, 0, 0);
		R("child set 0: back to its default", prctl(PR_SET_TIMERSLACK, 0, 0, 0, 0));
		R("child get", prctl(PR_GET_TIMERSLACK, 0, 0, 0, 0));
		_exit(0);
	}
	waitpid(pid, NULL, 0);

	int mode = -1;
	R("get tsc", prctl(PR_GET_TSC, &mode, 0, 0, 0));
	printf("tsc mode: %d\n", mode);
	R("set tsc 0", prctl(PR_SET_TSC, 0, 0, 0, 0));
	R("set tsc 3", prctl(PR_SET_TSC, 3, 0, 0, 0));
	R("get tsc bad pointer", prctl(PR_GET_TSC, cf_unmapped(), 0, 0, 0));
	pid = fork();
	if (pid == 0) {
		prctl(PR_SET_TSC, PR_TSC_SIGSEGV, 0, 0, 0);
		int m = -1;
		prctl(PR_GET_TSC, &m, 0, 0, 0);
		printf("child tsc mode: %d\n", m);
		fflush(stdout);
		rdtsc();
		_exit(0);
	}
	int st;
	waitpid(pid, &st, 0);
	printf("rdtsc with PR_TSC_SIGSEGV: %s\n", WIFSIGNALED(st) && WTERMSIG(st) == SIGSEGV ? "SIGSEGV" : "no signal");
	pid = fork();
	if (pid == 0) {
		prctl(PR_SET_TSC, PR_TSC_SIGSEGV, 0, 0, 0);
		prctl(PR_SET_TSC, PR_TSC_ENABLE, 0, 0, 0);
		rdtsc();
		_exit(0);
	}
	waitpid(pid, &st, 0);
	printf("rdtsc enabled again: %s\n", WIFEXITED(st) ? "exited" : "signaled");
	return 0;
}
