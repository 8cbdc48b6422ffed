/* POSIX timers with SIGEV_THREAD (glibc: a helper thread named by SIGEV_THREAD_ID). */
#include <signal.h>
#include <stdio.h>
#include <time.h>
#include <unistd.h>
#include <pthread.h>
static volatile int fired;
static void th(union sigval v) { fired = v.sival_int; }
int main(void) {
	timer_t id;
	struct sigevent ev = { .sigev_notify = SIGEV_THREAD, .sigev_notify_function = th, .sigev_value.sival_int = 42 };
	printf("create: %d\n", timer_create(CLOCK_MONOTONIC, &ev, &id));
	struct itimerspec its = { .it_value = { 0, 50000000 } };
	printf("settime: %d\n", timer_settime(id, 0, &its, NULL));
	for (int i = 0; i < 100 && !fired; i++) usleep(10000);
	printf("fired: %d\n", fired);
	return 0;
}
