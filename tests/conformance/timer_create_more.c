/* POSIX timers: CPU-clock timers that signal one thread (SIGEV_THREAD_ID), alarm clocks on
 * a machine without an RTC wakeup device, and an overrun count that stops at INT_MAX when
 * an absolute expiry far in the past meets a 1 ns period. */
#include "cf.h"
#include <limits.h>
#include <signal.h>
#include <time.h>

static long
create(clockid_t c, int notify, timer_t *id)
{
	struct sigevent ev = { .sigev_notify = notify, .sigev_signo = SIGUSR1 };
	ev._sigev_un._tid = gettid();
	return syscall(SYS_timer_create, c, &ev, id);
}

int
main(void)
{
	static const struct { const char *name; clockid_t c; } clocks[] = {
		{ "REALTIME", CLOCK_REALTIME }, { "MONOTONIC", CLOCK_MONOTONIC },
		{ "PROCESS_CPUTIME", CLOCK_PROCESS_CPUTIME_ID },
		{ "THREAD_CPUTIME", CLOCK_THREAD_CPUTIME_ID },
		{ "BOOTTIME", CLOCK_BOOTTIME }, { "REALTIME_ALARM", CLOCK_REALTIME_ALARM },
		{ "BOOTTIME_ALARM", CLOCK_BOOTTIME_ALARM }, { "TAI", CLOCK_TAI },
	};
	static const struct { const char *name; int n; } notifies[] = {
		{ "NONE", SIGEV_NONE }, { "SIGNAL", SIGEV_SIGNAL }, { "THREAD_ID", SIGEV_THREAD_ID },
	};
	timer_t id;
	char label[96];
	struct timespec ts;

	setvbuf(stdout, NULL, _IONBF, 0);
	for (size_t i = 0; i < sizeof(clocks) / sizeof(clocks[0]); i++) {
		for (size_t j = 0; j < sizeof(notifies) / sizeof(notifies[0]); j++) {
			snprintf(label, sizeof(label), "create %s %s", clocks[i].name,
				 notifies[j].name);
			errno = 0;
			long r = create(clocks[i].c, notifies[j].n, &id);
			printf("%s: %s\n", label, r == 0 ? "ok" : en(errno));
			if (r == 0)
				syscall(SYS_timer_delete, id);
		}
		snprintf(label, sizeof(label), "gettime %s", clocks[i].name);
		OK(label, clock_gettime(clocks[i].c, &ts));
	}
	/* a tid of another process */
	struct sigevent ev = { .sigev_notify = SIGEV_THREAD_ID, .sigev_signo = SIGUSR1 };
	ev._sigev_un._tid = getppid();
	OK("create CPUTIME THREAD_ID other process",
	   syscall(SYS_timer_create, CLOCK_PROCESS_CPUTIME_ID, &ev, &id));
	OK("create REALTIME THREAD_ID other process",
	   syscall(SYS_timer_create, CLOCK_REALTIME, &ev, &id));

	/* overrun saturation */
	sigset_t set;
	sigemptyset(&set);
	sigaddset(&set, SIGUSR1);
	sigprocmask(SIG_BLOCK, &set, NULL);
	OK("create for overrun", create(CLOCK_REALTIME, SIGEV_SIGNAL, &id));
	struct itimerspec its = { .it_interval = { 0, 1 } };
	clock_gettime(CLOCK_REALTIME, &its.it_value);
	its.it_value.tv_sec -= 4; /* 4e9 periods of 1 ns: more than INT_MAX */
	OK("settime abs past", timer_settime(id, TIMER_ABSTIME, &its, NULL));
	siginfo_t si;
	int sig = sigwaitinfo(&set, &si);
	printf("sigwaitinfo: %s overrun capped %d\n", sig == SIGUSR1 ? "SIGUSR1" : "?",
	       si.si_overrun == INT_MAX);
	int ov = timer_getoverrun(id);
	printf("timer_getoverrun capped: %d\n", ov == INT_MAX);
	struct itimerspec off = { 0 };
	timer_settime(id, 0, &off, NULL);
	timer_delete(id);
	return 0;
}
