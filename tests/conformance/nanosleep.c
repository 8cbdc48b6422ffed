/* nanosleep/clock_nanosleep: sleeps at least the requested time, invalid arguments. */
#include <time.h>
#include "cf.h"

static long long
now(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec * 1000000000LL + t.tv_nsec;
}

int
main(void)
{
	struct timespec req = { 0, 20000000 }, rem = { 7, 7 };
	long long t0 = now();
	R("nanosleep 20ms", nanosleep(&req, &rem));
	long long dt = now() - t0;
	YN("slept >= 20ms", dt >= 20000000);
	YN("slept < 2s", dt < 2000000000LL);
	req = (struct timespec){ 0, 0 };
	R("nanosleep 0", nanosleep(&req, NULL));
	req = (struct timespec){ 0, 1000000000 };
	R("nanosleep nsec=1e9", nanosleep(&req, NULL));
	req = (struct timespec){ -1, 0 };
	R("nanosleep negative sec", nanosleep(&req, NULL));
	req = (struct timespec){ 0, -5 };
	R("nanosleep negative nsec", nanosleep(&req, NULL));
	R("nanosleep bad pointer", syscall(SYS_nanosleep, (void *)1, NULL));
	struct timespec abs;
	clock_gettime(CLOCK_MONOTONIC, &abs);
	abs.tv_nsec += 10000000;
	if (abs.tv_nsec >= 1000000000) {
		abs.tv_sec++;
		abs.tv_nsec -= 1000000000;
	}
	t0 = now();
	printf("clock_nanosleep ABSTIME: %d\n", clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &abs, NULL));
	YN("woke after deadline", now() >= abs.tv_sec * 1000000000LL + abs.tv_nsec);
	req = (struct timespec){ 0, 5000000 };
	printf("clock_nanosleep REALTIME rel: %d\n", clock_nanosleep(CLOCK_REALTIME, 0, &req, NULL));
	printf("clock_nanosleep bad clock: %s\n", en(clock_nanosleep(12345, 0, &req, NULL)));
	printf("clock_nanosleep THREAD_CPUTIME: %s\n", en(clock_nanosleep(CLOCK_THREAD_CPUTIME_ID, 0, &req, NULL)));
	printf("clock_nanosleep bad flags ok: %d\n", clock_nanosleep(CLOCK_MONOTONIC, 0x100, &req, NULL));
	abs = (struct timespec){ 1, 0 };
	printf("ABSTIME in the past: %d\n", clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &abs, NULL));
	return 0;
}
