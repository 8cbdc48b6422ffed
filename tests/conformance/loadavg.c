/*
 * Load average (proc(5), sysinfo(2)): every 5 s the kernel folds the count of runnable
 * tasks into the 1, 5 and 15 minute averages, so a task that keeps a CPU busy for longer
 * than that lifts the 1 minute one above zero (make -l and batch schedulers rely on it).
 * /proc/loadavg has three two-decimal averages, running/total and the last pid; sysinfo's
 * loads[] are the same averages with 16 bits of fraction.
 */
/* args: */
#include "cf.h"
#include <stdbool.h>
#include <sys/sysinfo.h>
#include <time.h>

static double
now_s(clockid_t clock)
{
	struct timespec ts;

	clock_gettime(clock, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* The 1 minute average of /proc/loadavg (-1 if unreadable); prints its shape once. */
static double
read_loadavg(bool shape)
{
	char buf[256];
	double a1, a5, a15;
	int running, total, last, n = -1, fd = open("/proc/loadavg", O_RDONLY);
	ssize_t len = fd < 0 ? -1 : read(fd, buf, sizeof(buf) - 1);

	if (fd >= 0)
		close(fd);
	if (len <= 0)
		return -1;
	buf[len] = '\0';
	int f = sscanf(buf, "%lf %lf %lf %d/%d %d%n", &a1, &a5, &a15, &running, &total, &last, &n);
	if (shape) {
		YN("loadavg six fields", f == 6);
		YN("loadavg ends at the newline", n > 0 && buf[n] == '\n' && buf[n + 1] == '\0');
		char *dot = strchr(buf, '.');
		YN("loadavg two decimals", dot && dot > buf && dot[1] && dot[2] && dot[3] == ' ');
		YN("loadavg running >= 1", running >= 1);
		YN("loadavg total >= running", total >= running);
		YN("loadavg last pid > 0", last > 0);
		YN("loadavg averages >= 0", a1 >= 0 && a5 >= 0 && a15 >= 0);
	}
	return f == 6 ? a1 : -1;
}

int
main(void)
{
	struct sysinfo si;
	volatile unsigned long spins = 0;

	read_loadavg(true);
	/* busy across at least one 5 s sampling point (Linux's LOAD_FREQ is 5 s + 1 tick):
	 * 5.5 s on a CPU, which a loaded host stretches (not past 30 s) */
	double cpu_end = now_s(CLOCK_PROCESS_CPUTIME_ID) + 5.5, end = now_s(CLOCK_MONOTONIC) + 30;
	while (now_s(CLOCK_PROCESS_CPUTIME_ID) < cpu_end && now_s(CLOCK_MONOTONIC) < end)
		spins++;
	double before = read_loadavg(false);
	R("sysinfo", sysinfo(&si));
	double after = read_loadavg(false);
	double si1 = si.loads[0] / 65536.0;
	YN("after 5.5 s busy: 1 min load > 0", before > 0 && after > 0);
	YN("sysinfo 1 min load > 0", si1 > 0);
	/* the same average with 16 bits of fraction: between the two readings (rounded) */
	double lo = before < after ? before : after, hi = before < after ? after : before;
	YN("sysinfo agrees with /proc/loadavg", si1 >= lo - 0.011 && si1 <= hi + 0.011);
	YN("sysinfo 5 and 15 min loads > 0", si.loads[1] > 0 && si.loads[2] > 0);
	return 0;
}
