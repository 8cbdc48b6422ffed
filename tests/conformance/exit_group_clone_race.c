/*
 * exit_group while other threads are creating threads: a process whose threads clone in a
 * loop ends by exit_group from another thread (or from one of the new threads, or by a
 * fatal signal) at some point in the middle. The parent must reap every such child with
 * the status it ended with, and nothing may be left behind (no hang: every wait returns).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#define CHILDREN 40
#define SPAWNERS 3

static volatile int go_exit;

static void *
idle(void *arg)
{
	(void)arg;
	for (;;)
		pause();
	return NULL;
}

static void *
spawner(void *arg)
{
	long mode = (long)arg;
	for (unsigned i = 0;; i++) {
		pthread_t th;
		if (pthread_create(&th, NULL, idle, NULL) == 0)
			pthread_detach(th);
		if (mode == 1 && i == 5)
			syscall(SYS_exit_group, 7); /* one of the creators ends it all */
	}
	return NULL;
}

static void
child(int k)
{
	pthread_t th;
	for (long s = 0; s < SPAWNERS; s++)
		pthread_create(&th, NULL, spawner, (void *)(s == 0 && k % 3 == 1 ? 1L : 0L));
	/* let the creators get going: a few yields, no timing */
	for (int i = 0; i < 20 + k; i++)
		sched_yield();
	if (k % 3 == 2)
		raise(SIGKILL);
	syscall(SYS_exit_group, 7);
	_exit(99);
}

int
main(void)
{
	int bad = 0, reaped = 0;

	alarm(50);  /* a hang ends as SIGALRM, which the comparison shows */
	for (int k = 0; k < CHILDREN; k++) {
		pid_t p = fork();
		if (p < 0) {
			perror("fork");
			return 1;
		}
		if (p == 0)
			child(k);
		int st;
		pid_t w = waitpid(p, &st, 0);
		if (w != p) {
			printf("child %d: wait %d\n", k, (int)w);
			bad++;
			continue;
		}
		reaped++;
		int want_sig = k % 3 == 2 ? SIGKILL : 0;
		if (want_sig ? !(WIFSIGNALED(st) && WTERMSIG(st) == want_sig)
			     : !(WIFEXITED(st) && WEXITSTATUS(st) == 7)) {
			printf("child %d: status %#x\n", k, st);
			bad++;
		}
	}
	printf("reaped %d of %d, %d wrong\n", reaped, CHILDREN, bad);
	errno = 0;
	printf("no child left: %s\n", waitpid(-1, NULL, WNOHANG) < 0 && errno == ECHILD ? "yes" : "no");
	return 0;
}
