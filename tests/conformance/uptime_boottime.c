/*
 * /proc/uptime, sysinfo's uptime, /proc/stat's btime and a task's start time (stat field
 * 22) all count from one boot, the one CLOCK_BOOTTIME counts from (Linux reads them all
 * from the boot-time clock): a program may read its age from /proc and the clock alike
 * (procps' ps etime, psutil's create_time, libuv's uv_uptime), and a new process started
 * "now" by both.
 */
/* args: */
#include "cf.h"
#include <sys/sysinfo.h>
#include <time.h>

static double
boottime(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_BOOTTIME, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* The first number in the file at path after key (or at its start with key ""), or -1. */
static double
number_in(const char *path, const char *key)
{
	static char buf[1 << 16]; /* (/proc/stat's intr line can be long) */

	if (cf_read_text(path, buf, sizeof(buf)) <= 0)
		return -1;
	char *p = *key ? strstr(buf, key) : buf;
	return p ? atof(p + strlen(key)) : -1;
}

/* This process's start time (stat field 22), in seconds. */
static double
self_start(void)
{
	char buf[1024];

	if (cf_read_text("/proc/self/stat", buf, sizeof(buf)) <= 0)
		return -1;
	char *p = strrchr(buf, ')');
	for (int field = 3; p && field <= 22; field++) {
		p = strchr(p + 1, ' ');
		if (p && field == 22)
			return atof(p + 1) / sysconf(_SC_CLK_TCK);
	}
	return -1;
}

int
main(void)
{
	double before = boottime();
	double up = number_in("/proc/uptime", "");
	double after = boottime();
	struct sysinfo si;

	YN("/proc/uptime read", up >= 0);
	/* two decimals, truncated: within [before - 0.01, after] */
	YN("/proc/uptime is CLOCK_BOOTTIME", up >= before - 0.011 && up <= after + 0.001);
	sysinfo(&si);
	after = boottime();
	YN("sysinfo uptime is CLOCK_BOOTTIME (rounded up)",
	   si.uptime >= (long)before && si.uptime <= (long)after + 1);
	/* this process began a moment ago by the same clock */
	double start = self_start();
	after = boottime();
	YN("own start time is on CLOCK_BOOTTIME", start >= 0 && start <= after && after - start < 30);
	/* btime + uptime is the time now, by the wall clock */
	double btime = number_in("/proc/stat", "\nbtime ");
	struct timespec now;
	clock_gettime(CLOCK_REALTIME, &now);
	double up2 = boottime();
	double wall = now.tv_sec + now.tv_nsec / 1e9;
	YN("btime + CLOCK_BOOTTIME is the wall clock", btime > 0 && btime + up2 >= wall - 2 &&
	   btime + up2 <= wall + 2);
	return 0;
}
