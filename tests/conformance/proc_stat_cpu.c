/* /proc/stat's aggregate cpu line accrues: after the program burns 300 ms of CPU, user +
 * nice + system ticks have grown (by at least 10 ticks), and the time since boot (all the
 * fields together) has too. */
#include "cf.h"
#include <time.h>

static int
cpu_line(unsigned long long *busy, unsigned long long *all)
{
	unsigned long long v[10] = { 0 };
	FILE *f = fopen("/proc/stat", "r");
	int n = f ? fscanf(f, "cpu %llu %llu %llu %llu %llu %llu %llu %llu %llu %llu", &v[0], &v[1],
			   &v[2], &v[3], &v[4], &v[5], &v[6], &v[7], &v[8], &v[9])
		  : -1;

	if (f)
		fclose(f);
	*busy = v[0] + v[1] + v[2];
	*all = 0;
	for (int i = 0; i < 10; i++)
		*all += v[i];
	return n;
}

static double
cpu_seconds(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

int
main(void)
{
	unsigned long long b0, a0, b1, a1;
	volatile unsigned long sink = 0;

	setvbuf(stdout, NULL, _IOLBF, 0);
	printf("fields: %d\n", cpu_line(&b0, &a0) >= 4 ? 1 : 0);
	double start = cpu_seconds();
	while (cpu_seconds() - start < 0.3)
		for (int i = 0; i < 100000; i++)
			sink += i;
	cpu_line(&b1, &a1);
	YN("busy ticks grew by 10 or more", b1 >= b0 + 10);
	YN("all ticks grew", a1 > a0);
	return 0;
}
