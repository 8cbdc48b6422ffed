/*
 * /proc/PID/timers: the process's POSIX timers, newest first: id, signal and value, the
 * kind of notification and whom it goes to, and the clock (its own CPU clocks shown as
 * Linux keeps them); a deleted timer is gone; not in /proc/PID/task/TID. Pids are printed
 * as "self" when they are the caller's.
 */
#include "cf.h"
#include <signal.h>
#include <sys/syscall.h>
#include <time.h>

static int
create(clockid_t clock, struct sigevent *ev)
{
	int id = -1;

	if (syscall(SYS_timer_create, clock, ev, &id))
		printf("timer_create %d: %s\n", (int)clock, en(errno));
	return id;
}

static void
show(void)
{
	char line[256], self[32], tid[32];
	FILE *f = fopen("/proc/self/timers", "r");

	if (!f) {
		printf("open /proc/self/timers: %s\n", en(errno));
		return;
	}
	snprintf(self, sizeof(self), ".%d\n", getpid());
	snprintf(tid, sizeof(tid), ".%ld\n", syscall(SYS_gettid));
	while (fgets(line, sizeof(line), f)) {
		char *dot = strrchr(line, '.');
		if (!strncmp(line, "notify:", 7) && dot && (!strcmp(dot, self) || !strcmp(dot, tid)))
			strcpy(dot, ".self\n");
		fputs(line, stdout);
	}
	fclose(f);
	printf("--\n");
}

int
main(void)
{
	struct sigevent usr1 = { .sigev_notify = SIGEV_SIGNAL, .sigev_signo = SIGUSR1,
				 .sigev_value.sival_ptr = (void *)0x1234 };
	struct sigevent none = { .sigev_notify = SIGEV_NONE, .sigev_signo = 5 };
	struct sigevent thread = { .sigev_notify = SIGEV_THREAD, .sigev_signo = SIGUSR2 };
	struct sigevent tid = { .sigev_notify = SIGEV_THREAD_ID, .sigev_signo = SIGRTMIN + 2,
				.sigev_value.sival_int = 77 };
	char path[64];

	tid._sigev_un._tid = (int)syscall(SYS_gettid);
	show();
	int first = create(CLOCK_MONOTONIC, NULL);
	create(CLOCK_REALTIME, &usr1);
	create(CLOCK_BOOTTIME, &none);
	create(CLOCK_TAI, &thread);
	create(CLOCK_PROCESS_CPUTIME_ID, &tid);
	create(CLOCK_THREAD_CPUTIME_ID, NULL);
	show();
	R("timer_delete first", syscall(SYS_timer_delete, first));
	show();
	snprintf(path, sizeof(path), "/proc/self/task/%ld/timers", syscall(SYS_gettid));
	R("access task/TID/timers", access(path, F_OK));
	R("access timerslack_ns", access("/proc/self/timerslack_ns", F_OK));
	return 0;
}
