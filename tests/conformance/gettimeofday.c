/* gettimeofday vs time vs CLOCK_REALTIME: consistent to within a second. */
#include <sys/time.h>
#include <time.h>
#include "cf.h"

int
main(void)
{
	struct timeval tv = {0};
	struct timespec ts = {0};
	R("gettimeofday", gettimeofday(&tv, NULL));
	time_t t = time(NULL);
	clock_gettime(CLOCK_REALTIME, &ts);
	YN("usec in range", tv.tv_usec >= 0 && tv.tv_usec < 1000000);
	YN("|time - tv_sec| <= 1", t - tv.tv_sec <= 1 && tv.tv_sec - t <= 1);
	YN("|realtime - tv_sec| <= 1", ts.tv_sec - tv.tv_sec <= 1 && tv.tv_sec - ts.tv_sec <= 1);
	time_t t2;
	time_t r = time(&t2);
	YN("time(&t) stores result", r == t2);
	long raw = syscall(SYS_time, NULL);
	YN("raw time syscall close", raw - t <= 1 && t - raw <= 1);
	struct timezone tz;
	R("gettimeofday with tz", gettimeofday(&tv, &tz));
	R("raw gettimeofday NULL NULL", syscall(SYS_gettimeofday, NULL, NULL));
	R("raw gettimeofday bad pointer", syscall(SYS_gettimeofday, (void *)1, NULL));
	struct timeval a, b;
	gettimeofday(&a, NULL);
	usleep(20000);
	gettimeofday(&b, NULL);
	long long d = (b.tv_sec - a.tv_sec) * 1000000LL + (b.tv_usec - a.tv_usec);
	YN("usleep 20ms visible (>= 19ms)", d >= 19000);
	return 0;
}
