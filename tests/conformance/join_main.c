/*
 * A thread joins the main thread, which ends with pthread_exit: the join returns when the
 * kernel clears the main thread's tid (the address glibc gave set_tid_address at startup)
 * and wakes the futex on it. Also a fork child that does the same.
 */
#define _GNU_SOURCE
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

static pthread_t main_thread;

static void *
joiner(void *arg)
{
	(void)arg;
	int err = pthread_join(main_thread, NULL);
	printf("%s: joined the main thread: %d\n", getpid() == getpgrp() ? "parent" : "child", err);
	fflush(stdout);
	exit(0);
}

static void
run(void)
{
	pthread_t t;

	main_thread = pthread_self();
	if (pthread_create(&t, NULL, joiner, NULL) != 0) {
		printf("pthread_create failed\n");
		exit(1);
	}
	pthread_exit(NULL);
}

int
main(void)
{
	setpgid(0, 0);
	pid_t c = fork();
	if (c == 0)
		run();
	int status;
	waitpid(c, &status, 0);
	printf("child exited %d\n", WIFEXITED(status) ? WEXITSTATUS(status) : -1);
	fflush(stdout);
	run();
}
