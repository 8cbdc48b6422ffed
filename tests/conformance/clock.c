/* clock_gettime/clock_getres: monotonic non-decreasing, realtime plausible, bad clocks. */
#include <time.h>
#include "cf.h"

static long long
ns(struct timespec t)
{
	return t.tv_sec * 1000000000LL + t.tv_nsec;
}

int
main(void)
{
	struct timespec a = {0}, b = {0}, res = {0};
	clockid_t ids[] = { CLOCK_REALTIME, CLOCK_MONOTONIC, CLOCK_PROCESS_CPUTIME_ID,
			    CLOCK_THREAD_CPUTIME_ID, CLOCK_MONOTONIC_RAW, CLOCK_REALTIME_COARSE,
			    CLOCK_MONOTONIC_COARSE, CLOCK_BOOTTIME };
	const char *names[] = { "REALTIME", "MONOTONIC", "PROCESS_CPUTIME", "THREAD_CPUTIME",
				"MONOTONIC_RAW", "REALTIME_COARSE", "MONOTONIC_COARSE", "BOOTTIME" };
	for (int i = 0; i < 8; i++) {
		int r1 = clock_gettime(ids[i], &a);
		int r2 = clock_getres(ids[i], &res);
		printf("%s: gettime=%d getres=%d nsec<1e9: %s res<=10ms: %s\n", names[i], r1, r2,
		       a.tv_nsec >= 0 && a.tv_nsec < 1000000000 ? "yes" : "no",
		       ns(res) > 0 && ns(res) <= 10000000 ? "yes" : "no");
	}
	int mono_ok = 1;
	clock_gettime(CLOCK_MONOTONIC, &a);
	for (int i = 0; i < 10000; i++) {
		clock_gettime(CLOCK_MONOTONIC, &b);
		if (ns(b) < ns(a))
			mono_ok = 0;
		a = b;
	}
	YN("monotonic never decreases (10000 reads)", mono_ok);
	struct timespec s1, s2;
	clock_gettime(CLOCK_MONOTONIC, &s1);
	volatile unsigned long x = 0;
	for (unsigned long i = 0; i < 20000000UL; i++)
		x += i;
	clock_gettime(CLOCK_MONOTONIC, &s2);
	YN("monotonic advances over busy loop", ns(s2) > ns(s1));
	clock_gettime(CLOCK_REALTIME, &a);
	YN("realtime after 2023", a.tv_sec > 1672531200);
	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &a);
	YN("process cputime > 0", ns(a) > 0);
	R("raw clock_gettime bad clock", syscall(SYS_clock_gettime, 12345, &a));
	R("raw clock_gettime -1 clock", syscall(SYS_clock_gettime, -1000, &a));
	R("raw clock_getres bad clock", syscall(SYS_clock_getres, 12345, &res));
	R("raw clock_gettime bad pointer", syscall(SYS_clock_gettime, CLOCK_MONOTONIC, (void *)1));
	R("raw clock_getres NULL", syscall(SYS_clock_getres, CLOCK_MONOTONIC, NULL));
	return 0;
}
