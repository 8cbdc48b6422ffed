/*
 * prctl(PR_GET_TID_ADDRESS) (stress-ng's pthread stressor): the thread's clear_child_tid
 * address, as glibc set it for the main thread, a pthread and fork's child (each points at
 * its own tid), then as set_tid_address changed it; EFAULT for an unwritable result.
 */
#include "cf.h"
#include <pthread.h>
#include <sys/prctl.h>
#include <sys/wait.h>

static int *
tid_address(void)
{
	int *p = NULL;

	return prctl(PR_GET_TID_ADDRESS, &p) ? NULL : p;
}

static const char *
what(int *p)
{
	return !p ? "NULL" : *p == gettid() ? "its own tid" : "something else";
}

static void *
thread(void *arg)
{
	(void)arg;
	printf("pthread: %s\n", what(tid_address()));
	return NULL;
}

int
main(void)
{
	pthread_t th;
	int word = 0;

	setvbuf(stdout, NULL, _IOLBF, 0);
	printf("main thread: %s\n", what(tid_address()));
	pthread_create(&th, NULL, thread, NULL);
	pthread_join(th, NULL);
	R("unwritable result", syscall(SYS_prctl, PR_GET_TID_ADDRESS, (void *)8, 0, 0, 0));
	pid_t c = fork();
	if (c == 0) {
		printf("fork's child: %s\n", what(tid_address()));
		_exit(0);
	}
	waitpid(c, NULL, 0);
	syscall(SYS_set_tid_address, &word);
	YN("after set_tid_address: that address", tid_address() == &word);
	return 0;
}
