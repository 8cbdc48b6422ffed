/*
 * alarm, ITIMER_REAL and POSIX timers: return values, the siginfo a POSIX timer signal
 * carries (SI_TIMER, its id, sigev_value), intervals, absolute expiry, deletion, a blocked
 * read interrupted by the timer, CPU-clock timers, fork (timers not inherited) and execve
 * (ITIMER_REAL survives it, POSIX timers do not). Prints facts, never times or ids.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static volatile sig_atomic_t hits, last_code, last_value, last_timerid_ok;
static timer_t expect_id;

static void
on_sig(int sig, siginfo_t *si, void *ctx)
{
	hits++;
	last_code = si->si_code;
	last_value = si->si_value.sival_int;
	last_timerid_ok = si->si_timerid == (int)(long)expect_id;
}

static long long
now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000LL + ts.tv_nsec / 1000000;
}

int
main(int argc, char **argv)
{
	if (argc > 1 && !strcmp(argv[1], "after-exec")) {
		struct itimerval cur;
		getitimer(ITIMER_REAL, &cur);
		printf("after exec: itimer armed %d\n", cur.it_value.tv_sec > 0 || cur.it_value.tv_usec > 0);
		/* the POSIX timer of the old image is gone: its id is free or invalid */
		printf("after exec: old timer gettime: %s\n",
		       timer_gettime((timer_t)(long)atoi(argv[2]), &(struct itimerspec){ 0 }) == 0 ? "ok" : strerrorname_np(errno));
		printf("after exec: alarm left %u\n", alarm(0) > 0);
		return 0;
	}
	struct sigaction sa = { .sa_sigaction = on_sig, .sa_flags = SA_SIGINFO };
	sigaction(SIGALRM, &sa, NULL);
	sigaction(SIGRTMIN + 1, &sa, NULL);

	printf("alarm(0) first: %u\n", alarm(0));
	alarm(5);
	printf("alarm(7) returns: %u\n", alarm(7));
	printf("alarm(0) returns: %u\n", alarm(0));

	struct itimerval v = { .it_value = { 0, 30000 } }, old;
	printf("setitimer: %d\n", setitimer(ITIMER_REAL, &v, &old));
	printf("old disarmed: %d\n", !old.it_value.tv_sec && !old.it_value.tv_usec);
	pause();
	printf("itimer fired: %d code SI_KERNEL/SI_USER-ish: %d\n", hits == 1, last_code >= 0 || last_code == SI_TKILL);
	printf("setitimer bad which: %s\n", setitimer(99, &v, NULL) ? strerrorname_np(errno) : "ok");
	v.it_value.tv_usec = 1000000;
	printf("setitimer bad usec: %s\n", setitimer(ITIMER_REAL, &v, NULL) ? strerrorname_np(errno) : "ok");

	/* a POSIX timer with a value, a realtime signal and an interval */
	struct sigevent ev = { .sigev_notify = SIGEV_SIGNAL, .sigev_signo = SIGRTMIN + 1,
			       .sigev_value.sival_int = 4242 };
	timer_t id;
	printf("timer_create: %d\n", timer_create(CLOCK_MONOTONIC, &ev, &id));
	expect_id = id;
	struct itimerspec its = { .it_value = { 0, 20000000 }, .it_interval = { 0, 20000000 } }, cur;
	hits = 0;
	printf("timer_settime: %d\n", timer_settime(id, 0, &its, NULL));
	while (hits < 3)
		pause();
	printf("timer: 3 periods, si_code SI_TIMER %d, value %d, si_timerid matches %d\n",
	       last_code == SI_TIMER, (int)last_value, (int)last_timerid_ok);
	timer_gettime(id, &cur);
	printf("gettime: interval kept %d, running %d\n", cur.it_interval.tv_nsec == 20000000,
	       cur.it_value.tv_sec > 0 || cur.it_value.tv_nsec > 0);
	struct itimerspec zero = { 0 }, prev;
	int rc = timer_settime(id, 0, &zero, &prev);
	printf("disarm: %d, previous had interval %d\n", rc, prev.it_interval.tv_nsec == 20000000);
	timer_gettime(id, &cur);
	printf("disarmed reads zero: %d\n", !cur.it_value.tv_sec && !cur.it_value.tv_nsec);
	printf("overrun: %d\n", timer_getoverrun(id));

	/* absolute expiry on CLOCK_REALTIME interrupts a blocked read */
	timer_t rt;
	struct sigevent ev2 = { .sigev_notify = SIGEV_SIGNAL, .sigev_signo = SIGALRM };
	printf("create realtime: %d\n", timer_create(CLOCK_REALTIME, &ev2, &rt));
	struct timespec t0;
	clock_gettime(CLOCK_REALTIME, &t0);
	t0.tv_nsec += 50000000;
	if (t0.tv_nsec >= 1000000000) { t0.tv_sec++; t0.tv_nsec -= 1000000000; }
	struct itimerspec abs = { .it_value = t0 };
	printf("settime abs: %d\n", timer_settime(rt, TIMER_ABSTIME, &abs, NULL));
	int p[2];
	pipe(p);
	long long start = now_ms();
	char c;
	ssize_t r = read(p[0], &c, 1);
	printf("read interrupted: %s, within 2 s: %d\n", r < 0 ? strerrorname_np(errno) : "no",
	       now_ms() - start < 2000);
	printf("delete: %d %d\n", timer_delete(rt), timer_delete(id));
	printf("delete again: %s\n", timer_delete(id) ? strerrorname_np(errno) : "ok");
	printf("settime deleted: %s\n", timer_settime(id, 0, &its, NULL) ? strerrorname_np(errno) : "ok");
	printf("create bad clock: %s\n", timer_create(12345, NULL, &id) ? strerrorname_np(errno) : "ok");
	ev.sigev_signo = 0;
	printf("create bad signal: %s\n", timer_create(CLOCK_MONOTONIC, &ev, &id) ? strerrorname_np(errno) : "ok");
	struct itimerspec bad = { .it_value = { 0, 1000000000 } };
	timer_t b;
	timer_create(CLOCK_MONOTONIC, NULL, &b);
	printf("settime bad nsec: %s\n", timer_settime(b, 0, &bad, NULL) ? strerrorname_np(errno) : "ok");
	/* no new value: EINVAL before the value is read, also with a bad timer id */
	printf("settime NULL: %s\n", timer_settime(b, 0, NULL, NULL) ? strerrorname_np(errno) : "ok");
	printf("settime NULL bad id: %s\n", timer_settime((timer_t)4242, 0, NULL, NULL) ? strerrorname_np(errno) : "ok");
	printf("settime bad pointer: %s\n", timer_settime(b, 0, (const struct itimerspec *)8, NULL) ? strerrorname_np(errno) : "ok");
	timer_delete(b);

	/* a CPU-time timer fires after the process has used CPU */
	timer_t cpu;
	struct sigevent ev3 = { .sigev_notify = SIGEV_SIGNAL, .sigev_signo = SIGALRM, .sigev_value.sival_int = 7 };
	printf("create cputime: %d\n", timer_create(CLOCK_PROCESS_CPUTIME_ID, &ev3, &cpu));
	expect_id = cpu;
	struct itimerspec cits = { .it_value = { 0, 20000000 } };
	hits = 0;
	printf("settime cputime: %d\n", timer_settime(cpu, 0, &cits, NULL));
	for (volatile long i = 0; !hits && i < 4000000000L; i++)
		;
	printf("cputime fired: %d value %d timerid matches %d\n", hits > 0, (int)last_value, (int)last_timerid_ok);
	timer_delete(cpu);

	/* fork: the child inherits no timers */
	alarm(100);
	timer_t kept;
	timer_create(CLOCK_MONOTONIC, NULL, &kept);
	struct itimerspec far = { .it_value = { 100, 0 } };
	timer_settime(kept, 0, &far, NULL);
	fflush(stdout);
	pid_t pid = fork();
	if (pid == 0) {
		printf("child: alarm left %u, timer gettime %s\n", alarm(0),
		       timer_gettime(kept, &cur) == 0 ? "ok" : strerrorname_np(errno));
		fflush(stdout);
		_exit(0);
	}
	waitpid(pid, NULL, 0);
	/* execve: ITIMER_REAL (the alarm) stays, POSIX timers go */
	char idbuf[16];
	snprintf(idbuf, sizeof(idbuf), "%d", (int)(long)kept);
	fflush(stdout);
	execl("/proc/self/exe", argv[0], "after-exec", idbuf, (char *)NULL);
	perror("exec");
	return 1;
}
