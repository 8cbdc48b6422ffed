/* For gdb_watch.sh: a worker thread changes a global while the main thread waits in
 * pthread_join. */
#include <pthread.h>
#include <stdio.h>

int counter;

static void *
worker(void *arg)
{
	for (int i = 0; i < 3; i++)
		counter += 10;
	return arg;
}

int
main(void)
{
	pthread_t t;

	counter = 1;
	pthread_create(&t, NULL, worker, NULL);
	pthread_join(t, NULL);
	printf("counter %d\n", counter);
	return 0;
}
