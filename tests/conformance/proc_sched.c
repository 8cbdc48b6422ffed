/*
 * /proc/PID/schedstat, /proc/PID/sched and /proc/PID/cpuset (and their task/TID twins),
 * which schedulers' tools and container probes read: schedstat's three counts, whose run
 * time grows as the thread computes; sched's header (the command, its pid and threads),
 * its policy, prio and load weight as nice and sched_setscheduler change them, its switch
 * counts adding up; the write that resets it; the cpuset path.
 */
#include "cf.h"
#include <pthread.h>
#include <sched.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <time.h>

/* The number after "name ... :" in a sched text, or -1. */
static long long
field(const char *text, const char *name)
{
	size_t len = strlen(name);

	for (const char *l = text; l && *l; l = strchr(l, '\n') ? strchr(l, '\n') + 1 : NULL)
		if (!strncmp(l, name, len) && (l[len] == ' ' || l[len] == ':')) {
			const char *c = strchr(l, ':');
			return c ? strtoll(c + 1, NULL, 10) : -1;
		}
	return -1;
}

static void
burn_ms(int ms)
{
	struct timespec a, b;

	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &a);
	do
		clock_gettime(CLOCK_THREAD_CPUTIME_ID, &b);
	while ((b.tv_sec - a.tv_sec) * 1000 + (b.tv_nsec - a.tv_nsec) / 1000000 < ms);
}

static volatile int stop;

static void *
sleeper(void *arg)
{
	(void)arg;
	while (!stop)
		usleep(1000);
	return NULL;
}

static void
schedstat(void)
{
	char buf[256], path[64];
	unsigned long long run, delay, slices, run2, d2, s2;

	cf_read_text("/proc/self/schedstat", buf, sizeof(buf));
	int n = sscanf(buf, "%llu %llu %llu", &run, &delay, &slices);
	printf("schedstat fields: %d\n", n);
	burn_ms(30);
	snprintf(path, sizeof(path), "/proc/self/task/%d/schedstat", (int)gettid());
	cf_read_text(path, buf, sizeof(buf));
	n = sscanf(buf, "%llu %llu %llu", &run2, &d2, &s2);
	printf("task schedstat fields: %d\n", n);
	YN("run time grew by the work", run2 >= run + 25000000ULL);
	YN("slices do not go back", s2 >= slices);
}

static void
sched_text(void)
{
	char buf[4096], want[64];
	pthread_t th;

	pthread_create(&th, NULL, sleeper, NULL);
	usleep(20000);
	prctl(PR_SET_NAME, "schedprobe");
	int r = cf_read_text("/proc/self/sched", buf, sizeof(buf));
	YN("sched readable", r > 0);
	snprintf(want, sizeof(want), "schedprobe (%d, #threads: 2)\n", (int)getpid());
	YN("header: command, pid, threads", !strncmp(buf, want, strlen(want)));
	const char *dash = strchr(buf, '\n');
	size_t dashes = dash ? strspn(dash + 1, "-") : 0;
	printf("dashes: %zu\n", dashes);
	printf("policy: %lld\nprio: %lld\nload.weight: %lld\n", field(buf, "policy"),
	       field(buf, "prio"), field(buf, "se.load.weight"));
	long long all = field(buf, "nr_switches"), vol = field(buf, "nr_voluntary_switches"),
		  inv = field(buf, "nr_involuntary_switches");
	YN("switches add up", all >= 0 && all == vol + inv);
	YN("sum_exec_runtime there", field(buf, "se.sum_exec_runtime") >= 0);
	stop = 1;
	pthread_join(th, NULL);
	prctl(PR_SET_NAME, "proc_sched");

	setpriority(PRIO_PROCESS, 0, 5);
	cf_read_text("/proc/self/sched", buf, sizeof(buf));
	printf("nice 5: prio %lld, load.weight %lld\n", field(buf, "prio"),
	       field(buf, "se.load.weight"));
	struct sched_param sp = { .sched_priority = 0 };
	if (sched_setscheduler(0, SCHED_IDLE, &sp) == 0) {
		cf_read_text("/proc/self/sched", buf, sizeof(buf));
		printf("idle: policy %lld, load.weight %lld\n", field(buf, "policy"),
		       field(buf, "se.load.weight"));
	}
	int fd = open("/proc/self/sched", O_WRONLY);
	R("write to sched", fd < 0 ? -1 : write(fd, "0\n", 2));
	if (fd >= 0)
		close(fd);
	fd = FD("open schedstat for writing", open("/proc/self/schedstat", O_WRONLY));
	if (fd >= 0) {
		R("write to schedstat", write(fd, "0\n", 2));
		close(fd);
	}
}

int
main(void)
{
	char buf[256];

	cf_init();
	schedstat();
	sched_text();
	cf_read_text("/proc/self/cpuset", buf, sizeof(buf));
	printf("cpuset: %s", buf);
	cf_cleanup();
	return 0;
}
