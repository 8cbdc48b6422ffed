/*
 * clock_settime and settimeofday argument checks, which Linux makes before the privilege
 * check: clocks with no setter, bad pointers, bad times, CPU clocks of unknown tasks (a CPU
 * clock is never settable: EPERM). Natively this runs as root, so no call here may pass
 * every check: none names CLOCK_REALTIME with a valid time.
 */
#include "cf.h"
#include <limits.h>
#include <pthread.h>
#include <signal.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>

#define BAD ((void *)1)

static clockid_t
proc_clock(pid_t pid)
{
	return (clockid_t)(~(unsigned)pid << 3 | 2); /* CPUCLOCK_SCHED */
}

static clockid_t
thread_clock(pid_t tid)
{
	return (clockid_t)(~(unsigned)tid << 3 | 4 | 2);
}

static long
cs(clockid_t c, const struct timespec *ts)
{
	return syscall(SYS_clock_settime, c, ts);
}

static long
stod(const struct timeval *tv, const void *tz)
{
	return syscall(SYS_settimeofday, tv, tz);
}

static void
clocks_without_setter(void)
{
	struct timespec ok = { 1, 0 };
	struct { const char *name; clockid_t c; } ids[] = {
		{ "MONOTONIC", CLOCK_MONOTONIC }, { "PROCESS_CPUTIME", CLOCK_PROCESS_CPUTIME_ID },
		{ "THREAD_CPUTIME", CLOCK_THREAD_CPUTIME_ID }, { "MONOTONIC_RAW", CLOCK_MONOTONIC_RAW },
		{ "REALTIME_COARSE", CLOCK_REALTIME_COARSE }, { "MONOTONIC_COARSE", CLOCK_MONOTONIC_COARSE },
		{ "BOOTTIME", CLOCK_BOOTTIME }, { "REALTIME_ALARM", CLOCK_REALTIME_ALARM },
		{ "BOOTTIME_ALARM", CLOCK_BOOTTIME_ALARM }, { "10", 10 }, { "TAI", CLOCK_TAI },
		{ "12", 12 }, { "16", 16 }, { "INT_MAX", INT_MAX },
	};
	char label[64];

	for (size_t i = 0; i < sizeof(ids) / sizeof(ids[0]); i++) {
		snprintf(label, sizeof(label), "settime %s", ids[i].name);
		R(label, cs(ids[i].c, &ok));
	}
	/* the clock is checked before the time is read */
	R("settime MONOTONIC bad ptr", cs(CLOCK_MONOTONIC, BAD));
	R("settime 16 NULL", cs(16, NULL));
}

static void
realtime_values(void)
{
	struct timespec ts[] = { { 1, -1 }, { 1, 1000000000 }, { -1, 0 }, { 8277292036LL, 0 },
				 { LLONG_MAX, 0 } };
	char label[64];

	R("settime REALTIME bad ptr", cs(CLOCK_REALTIME, BAD));
	R("settime REALTIME NULL", cs(CLOCK_REALTIME, NULL));
	for (size_t i = 0; i < sizeof(ts) / sizeof(ts[0]); i++) {
		snprintf(label, sizeof(label), "settime REALTIME bad time %zu", i);
		R(label, cs(CLOCK_REALTIME, &ts[i]));
	}
}

static void *
idle(void *arg)
{
	return arg;
}

static void
cpu_clocks(void)
{
	struct timespec ok = { 1, 0 };

	/* a CPU clock that names a task: never settable */
	R("settime own process clock", cs(proc_clock(getpid()), &ok));
	R("settime process clock 0", cs(proc_clock(0), &ok));
	R("settime own thread clock", cs(thread_clock(gettid()), &ok));
	R("settime own process clock bad ptr", cs(proc_clock(getpid()), BAD));

	pid_t child = fork();
	if (child == 0) {
		pthread_t th;
		pthread_create(&th, NULL, idle, NULL);
		pthread_join(th, NULL);
		pause();
		_exit(0);
	}
	/* another process's thread clock: not of the caller's thread group */
	R("settime child thread clock", cs(thread_clock(child), &ok));
	R("settime child process clock", cs(proc_clock(child), &ok));
	kill(child, SIGKILL);
	siginfo_t si;
	waitid(P_PID, (id_t)child, &si, WEXITED | WNOWAIT);
	R("settime zombie process clock", cs(proc_clock(child), &ok));
	waitpid(child, NULL, 0);
	R("settime reaped process clock", cs(proc_clock(child), &ok));
	R("settime reaped process clock bad ptr", cs(proc_clock(child), BAD));

	/* a clock device's fd (CLOCKFD): a regular file is none */
	int fd = open("f", O_RDWR | O_CREAT, 0600);
	clockid_t fdclock = (clockid_t)(~(unsigned)fd << 3 | 3);
	R("settime CLOCKFD regular file", cs(fdclock, &ok));
	R("settime CLOCKFD bad ptr", cs(fdclock, BAD));
	close(fd);
}

static void
settimeofday_args(void)
{
	struct timeval bad_usec[] = { { 1, -1 }, { 1, 1000001 }, { 1, 1000000 }, { -1, 0 } };
	char label[64];

	for (size_t i = 0; i < sizeof(bad_usec) / sizeof(bad_usec[0]); i++) {
		snprintf(label, sizeof(label), "settimeofday bad time %zu", i);
		R(label, stod(&bad_usec[i], NULL));
	}
	R("settimeofday bad tv", stod(BAD, NULL));
	R("settimeofday NULL bad tz", stod(NULL, BAD));
	/* the timeval is checked before the timezone is read */
	R("settimeofday bad time bad tz", stod(&bad_usec[0], BAD));
	R("settimeofday bad tv bad tz", stod(BAD, BAD));
}

int
main(void)
{
	cf_init();
	clocks_without_setter();
	realtime_values();
	cpu_clocks();
	settimeofday_args();
	return 0;
}
