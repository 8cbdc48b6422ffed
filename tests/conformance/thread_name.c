/* pthread_setname_np / pthread_getname_np on another thread (glibc writes and reads
 * /proc/self/task/TID/comm) and on the caller (prctl); a name of 16 bytes or more is
 * ERANGE; /proc/self/task/TID/comm shows each thread's own name. */
#include "cf.h"
#include <pthread.h>

static pthread_barrier_t bar;

static void *
run(void *a)
{
	(void)a;
	pthread_barrier_wait(&bar);
	pthread_barrier_wait(&bar);
	return NULL;
}

int
main(void)
{
	pthread_t t;
	char n[16] = "";

	pthread_barrier_init(&bar, NULL, 2);
	pthread_create(&t, NULL, run, NULL);
	pthread_barrier_wait(&bar);
	printf("set other: %d\n", pthread_setname_np(t, "worker-1"));
	printf("get other: %d %s\n", pthread_getname_np(t, n, sizeof(n)), n);
	printf("set self: %d\n", pthread_setname_np(pthread_self(), "mainthr"));
	pthread_getname_np(pthread_self(), n, sizeof(n));
	printf("self: %s\n", n);
	printf("too long: %s\n", en(pthread_setname_np(t, "0123456789abcdefg")));
	pthread_getname_np(t, n, sizeof(n));
	printf("other still: %s\n", n);
	pthread_barrier_wait(&bar);
	pthread_join(t, NULL);
	return 0;
}
