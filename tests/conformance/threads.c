/* pthreads: create/join, distinct tids, shared memory, futex-based mutex. */
#include "cf.h"
#include <pthread.h>

static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
static long counter;
static pid_t tids[4];

static void *
worker(void *arg)
{
	long i = (long)arg;
	tids[i] = gettid();
	for (int k = 0; k < 100000; k++) {
		pthread_mutex_lock(&mu);
		counter++;
		pthread_mutex_unlock(&mu);
	}
	return (void *)(i * 10);
}

int
main(void)
{
	pthread_t t[4];
	for (long i = 0; i < 4; i++)
		pthread_create(&t[i], NULL, worker, (void *)i);
	long sum = 0;
	for (int i = 0; i < 4; i++) {
		void *r;
		pthread_join(t[i], &r);
		sum += (long)r;
	}
	printf("counter: %ld returns: %ld\n", counter, sum);
	int distinct = 1;
	for (int i = 0; i < 4; i++)
		for (int j = i + 1; j < 4; j++)
			if (tids[i] == tids[j])
				distinct = 0;
	YN("tids distinct", distinct);
	YN("tids differ from pid", tids[0] != getpid());
	return 0;
}
