/* /proc/PID/task/TID/stat against /proc/PID/stat: a thread's CPU time (fields 14-15) is its
 * own, the process's file adds them up (ps -L's C and TIME, top -H); page faults (10, 12)
 * are counted; wchan (35) is 1 for a sleeping thread and 0 for the one reading, and 0 in
 * the file of a process with more than one thread. A thread's status counts its own
 * voluntary context switches: 50 sleeps make about 50 (psutil's num_ctx_switches). */
#include "cf.h"
#include <pthread.h>
#include <time.h>

struct st {
	char state;
	unsigned long minflt, majflt, utime, stime, wchan;
	long processor;
};

static int
stat_of(const char *path, struct st *s)
{
	char buf[1024];
	if (cf_read_text(path, buf, sizeof(buf)) <= 0)
		return -1;
	char *p = strrchr(buf, ')');
	/* from the state (3): ppid pgrp session tty_nr tpgid flags minflt(10) cminflt majflt(12)
	 * cmajflt utime(14) stime(15) ... wchan(35) nswap cnswap exit_signal processor(39) */
	if (!p || sscanf(p + 2, "%c %*d %*d %*d %*d %*d %*u %lu %*u %lu %*u %lu %lu %*d %*d %*d "
			 "%*d %*d %*d %*u %*u %*u %*u %*u %*u %*u %*u %*u %*u %*u %*u %*u %lu "
			 "%*u %*u %*d %ld",
			 &s->state, &s->minflt, &s->majflt, &s->utime, &s->stime, &s->wchan,
			 &s->processor) != 7)
		return -1;
	return 0;
}

static pid_t spin_tid, sleep_tid;
static volatile int spun;

static void *
spinner(void *arg)
{
	struct timespec ts;
	volatile unsigned long x = 0;

	(void)arg;
	spin_tid = gettid();
	do {
		for (int i = 0; i < 100000; i++)
			x += i;
		clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
	} while (ts.tv_sec * 1000 + ts.tv_nsec / 1000000 < 400);
	spun = 1;
	pause();
	return NULL;
}

static void *
sleeper(void *arg)
{
	(void)arg;
	for (int i = 0; i < 50; i++)
		usleep(1000);
	sleep_tid = gettid();
	pause();
	return NULL;
}

/* The voluntary_ctxt_switches of status file path, -1 without one. */
static long
voluntary(const char *path)
{
	char line[256];
	long v = -1;
	FILE *f = fopen(path, "r");

	while (f && fgets(line, sizeof(line), f))
		if (!strncmp(line, "voluntary_ctxt_switches:", 24))
			v = strtol(line + 24, NULL, 10);
	if (f)
		fclose(f);
	return v;
}

int
main(void)
{
	cf_init();
	pthread_t a, b;
	char p[64];
	struct st proc, spin, idle, self;

	pthread_create(&a, NULL, spinner, NULL);
	pthread_create(&b, NULL, sleeper, NULL);
	while (!spun || !sleep_tid)
		usleep(10000);
	usleep(100000); /* (both asleep in pause) */
	snprintf(p, sizeof(p), "/proc/self/task/%d/stat", spin_tid);
	if (stat_of(p, &spin) < 0)
		return 1;
	snprintf(p, sizeof(p), "/proc/self/task/%d/stat", sleep_tid);
	if (stat_of(p, &idle) < 0)
		return 1;
	snprintf(p, sizeof(p), "/proc/self/task/%d/stat", getpid());
	if (stat_of(p, &self) < 0 || stat_of("/proc/self/stat", &proc) < 0)
		return 1;
	unsigned long cs = spin.utime + spin.stime, ci = idle.utime + idle.stime;
	unsigned long cp = proc.utime + proc.stime;
	YN("spinning thread: 400 ms of CPU shows (>= 30 ticks)", cs >= 30);
	YN("sleeping thread: its own time (< 10 ticks)", ci < 10);
	YN("process: at least the spinner's (give or take a tick of rounding)", cp + 2 >= cs);
	YN("process: minor faults counted", proc.minflt > 0);
	YN("main thread: minor faults counted", self.minflt > 0);
	YN("main thread: fewer faults than the process", self.minflt <= proc.minflt);
	printf("sleeping thread: state %c wchan %lu\n", idle.state, idle.wchan);
	printf("reading thread: state %c wchan %lu\n", self.state, self.wchan);
	printf("process of 3 threads: wchan %lu\n", proc.wchan);
	YN("processor: a CPU", spin.processor >= 0 && spin.processor < sysconf(_SC_NPROCESSORS_CONF));
	snprintf(p, sizeof(p), "/proc/self/task/%d/status", sleep_tid);
	long v = voluntary(p);
	YN("thread that slept 50 times: 50 to 60 voluntary switches", v >= 50 && v <= 60);
	return 0;
}
