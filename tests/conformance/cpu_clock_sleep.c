/* clock_nanosleep on another thread's CPU clock and on the process's, while that thread
 * spends its time in system calls the sandbox serves: the sleep must not hold up the
 * calls it waits for (the old sandbox ran the sleep in the stub and waited for it, so
 * the thread's next open never got an answer and both hung; glibc rt/tst-cpuclock2). */
#include "cf.h"
#include <pthread.h>
#include <time.h>

static volatile int stop;

static void *
chew(void *a)
{
	(void)a;
	while (!stop)
		close(open("/dev/null", O_RDONLY));
	return NULL;
}

int
main(void)
{
	pthread_t th;
	clockid_t c;
	struct timespec ts = { 0, 50000000 }, now;

	pthread_create(&th, NULL, chew, NULL);
	R("pthread_getcpuclockid", pthread_getcpuclockid(th, &c));
	R("relative sleep on the thread's clock", clock_nanosleep(c, 0, &ts, NULL));
	R("clock_gettime", clock_gettime(c, &now));
	now.tv_nsec += 20000000;
	if (now.tv_nsec >= 1000000000) {
		now.tv_sec++;
		now.tv_nsec -= 1000000000;
	}
	R("absolute sleep on the thread's clock", clock_nanosleep(c, TIMER_ABSTIME, &now, NULL));
	R("sleep on the process clock", clock_nanosleep(CLOCK_PROCESS_CPUTIME_ID, 0, &ts, NULL));
	stop = 1;
	pthread_join(th, NULL);
	printf("joined\n");
	return 0;
}
