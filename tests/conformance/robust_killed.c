/* A process-shared robust mutex whose owner dies of a signal: the next locker gets
 * EOWNERDEAD, and one already waiting is woken with it (Linux walks the dead thread's
 * robust list however it dies; the sandbox walked it only at exit and exit_group, so the
 * locker hung: glibc's nptl/tst-robust8). Owners: the main thread and a second thread of
 * a child killed by SIGKILL as they run, and one killed by SIGSEGV's default action. */
#include "cf.h"
#include <pthread.h>
#include <signal.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/wait.h>

struct shared {
	pthread_mutex_t m[3];
	pthread_barrier_t locked, locked2; /* (a barrier a killed thread may still be in cannot
					    * be destroyed: a second one) */
};
static struct shared *sh;

static void *
lock_second(void *a)
{
	(void)a;
	pthread_mutex_lock(&sh->m[1]);
	pthread_barrier_wait(&sh->locked);
	for (;;)
		; /* running when it is killed */
	return NULL;
}

static void
lock_and_wait(const char *label, int m)
{
	int e = pthread_mutex_lock(&sh->m[m]);

	printf("%s: %s\n", label, e == EOWNERDEAD ? "EOWNERDEAD" : e ? strerror(e) : "0");
	if (e == EOWNERDEAD)
		R("  consistent", pthread_mutex_consistent(&sh->m[m]));
	R("  unlock", pthread_mutex_unlock(&sh->m[m]));
}

int
main(void)
{
	pthread_mutexattr_t ma;
	pthread_barrierattr_t ba;
	int st;
	struct rlimit nocore = { 0, 0 };

	setrlimit(RLIMIT_CORE, &nocore);
	sh = mmap(NULL, sizeof(*sh), PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	pthread_mutexattr_init(&ma);
	pthread_mutexattr_setrobust(&ma, PTHREAD_MUTEX_ROBUST);
	pthread_mutexattr_setpshared(&ma, PTHREAD_PROCESS_SHARED);
	for (int i = 0; i < 3; i++)
		pthread_mutex_init(&sh->m[i], &ma);
	pthread_barrierattr_init(&ba);
	pthread_barrierattr_setpshared(&ba, PTHREAD_PROCESS_SHARED);
	pthread_barrier_init(&sh->locked, &ba, 3);

	/* 1: the child's two threads each hold one, then it kills itself */
	pid_t c = fork();
	if (c == 0) {
		pthread_t th;
		pthread_mutex_lock(&sh->m[0]);
		pthread_create(&th, NULL, lock_second, NULL);
		pthread_barrier_wait(&sh->locked);
		for (;;)
			;
	}
	pthread_barrier_wait(&sh->locked);
	kill(c, SIGKILL);
	waitpid(c, &st, 0);
	printf("child killed by %s\n", WIFSIGNALED(st) ? sigabbrev_np(WTERMSIG(st)) : "nothing");
	lock_and_wait("main thread's mutex", 0);
	lock_and_wait("second thread's mutex", 1);

	/* 2: the parent waits in the lock while the owner is killed by SIGSEGV */
	pthread_barrier_init(&sh->locked2, &ba, 2);
	c = fork();
	if (c == 0) {
		pthread_mutex_lock(&sh->m[2]);
		pthread_barrier_wait(&sh->locked2);
		for (volatile long i = 0; i < 20000000; i++)
			;
		*(volatile int *)0 = 1;
		_exit(1);
	}
	pthread_barrier_wait(&sh->locked2);
	lock_and_wait("waiter of a crashed owner", 2);
	waitpid(c, &st, 0);
	printf("child killed by %s\n", WIFSIGNALED(st) ? sigabbrev_np(WTERMSIG(st)) : "nothing");
	return 0;
}
