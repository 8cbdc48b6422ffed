/*
 * POSIX timer ids: each process counts them up from 0 (a deleted id is not given again
 * until the count wraps), a creation that fails once its id was taken still uses it up, a
 * forked process counts from 0 again and an executed image goes on counting. The checks
 * timer_create makes in Linux's order (clocks without timers: EOPNOTSUPP; the alarm clocks
 * check the event and the id's address before they fail). PR_TIMER_CREATE_RESTORE_IDS:
 * timer_create then makes the timer with the id the caller wrote where the new id goes
 * (EBUSY if in use, EINVAL if negative) and the count goes on after it; execve turns it off.
 * The signal of a timer on a CPU clock (the sandbox's run in its host process) carries the id.
 */
#include "cf.h"
#include <signal.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>

#ifndef PR_TIMER_CREATE_RESTORE_IDS
#define PR_TIMER_CREATE_RESTORE_IDS 77
#endif

/* "label: RESULT id N" (the id read back from where it was written, or as it was) */
static void
create(const char *label, clockid_t clock, struct sigevent *ev, int id)
{
	int out = id;

	errno = 0;
	long r = syscall(SYS_timer_create, clock, ev, &out);
	printf("%s: %ld %s id %d\n", label, r, r ? en(errno) : "", out);
}

static volatile int fired_id = -1;

static void
on_alarm(int sig, siginfo_t *si, void *uc)
{
	(void)sig, (void)uc;
	fired_id = si->si_timerid;
}

/* timer id's signal once the process used 1 ms of CPU: the id it carries */
static void
fire(const char *label, int id)
{
	struct sigaction sa = { .sa_sigaction = on_alarm, .sa_flags = SA_SIGINFO };
	struct itimerspec its = { .it_value = { 0, 1000000 } };

	sigaction(SIGALRM, &sa, NULL);
	fired_id = -1;
	R("timer_settime", syscall(SYS_timer_settime, id, 0, &its, NULL));
	while (fired_id < 0)
		;
	printf("%s: signal's timer id %d\n", label, fired_id);
}

static void
restore_ids(void)
{
	struct sigevent bad = { .sigev_notify = SIGEV_SIGNAL, .sigev_signo = 0 };

	R("restore get", prctl(PR_TIMER_CREATE_RESTORE_IDS, 2, 0, 0, 0));
	R("restore on, arg3", prctl(PR_TIMER_CREATE_RESTORE_IDS, 1, 1, 0, 0));
	R("restore on, arg5", prctl(PR_TIMER_CREATE_RESTORE_IDS, 1, 0, 0, 1));
	R("restore 3", prctl(PR_TIMER_CREATE_RESTORE_IDS, 3, 0, 0, 0));
	R("restore on", prctl(PR_TIMER_CREATE_RESTORE_IDS, 1, 0, 0, 0));
	R("restore get", prctl(PR_TIMER_CREATE_RESTORE_IDS, 2, 0, 0, 0));
	create("ask 1000000", CLOCK_MONOTONIC, NULL, 1000000);
	create("ask 1000000 again", CLOCK_MONOTONIC, NULL, 1000000);
	create("ask 1000000 again, bad event", CLOCK_MONOTONIC, &bad, 1000000);
	create("ask 1000000 again, bad clock", 99, NULL, 1000000);
	create("ask -1", CLOCK_MONOTONIC, NULL, -1);
	R("ask from a bad address", syscall(SYS_timer_create, CLOCK_MONOTONIC, NULL, (int *)8));
	create("ask 7, CPU clock", CLOCK_PROCESS_CPUTIME_ID, NULL, 7);
	fire("CPU clock timer 7", 7);
	create("ask 7 again", CLOCK_MONOTONIC, NULL, 7);
	create("ask 5, in use", CLOCK_MONOTONIC, NULL, 5);
	create("ask 20, bad event", CLOCK_MONOTONIC, &bad, 20);
	create("ask 21", CLOCK_MONOTONIC, NULL, 21);
	create("ask 20 again", CLOCK_MONOTONIC, NULL, 20);
	R("restore off", prctl(PR_TIMER_CREATE_RESTORE_IDS, 0, 0, 0, 0));
	R("restore get", prctl(PR_TIMER_CREATE_RESTORE_IDS, 2, 0, 0, 0));
	create("next, 21 in use", CLOCK_MONOTONIC, NULL, 1000000);
	R("timer_delete 1000000", syscall(SYS_timer_delete, 1000000));
	R("timer_delete 1000000 again", syscall(SYS_timer_delete, 1000000));
}

int
main(int argc, char **argv)
{
	struct sigevent bad = { .sigev_notify = 77 };
	int st = -1;

	if (argc > 1) {
		R("exec: restore get", prctl(PR_TIMER_CREATE_RESTORE_IDS, 2, 0, 0, 0));
		create("exec: next", CLOCK_MONOTONIC, NULL, -5);
		return 0;
	}
	for (int i = 0; i < 3; i++) {
		create("create and delete", CLOCK_MONOTONIC, NULL, -5);
		syscall(SYS_timer_delete, i);
	}
	create("bad event", CLOCK_MONOTONIC, &bad, -5);
	R("bad id address", syscall(SYS_timer_create, CLOCK_MONOTONIC, NULL, (int *)8));
	create("next", CLOCK_MONOTONIC, NULL, -5);
	create("MONOTONIC_RAW", CLOCK_MONOTONIC_RAW, NULL, -5);
	create("REALTIME_COARSE", CLOCK_REALTIME_COARSE, &bad, -5);
	create("MONOTONIC_COARSE", CLOCK_MONOTONIC_COARSE, NULL, -5);
	create("clock 12", 12, NULL, -5);
	create("BOOTTIME_ALARM, bad event", CLOCK_BOOTTIME_ALARM, &bad, -5);
	R("REALTIME_ALARM, bad id address",
	  syscall(SYS_timer_create, CLOCK_REALTIME_ALARM, NULL, (int *)8));
	create("next", CLOCK_MONOTONIC, NULL, -5);
	create("next, CPU clock", CLOCK_THREAD_CPUTIME_ID, NULL, -5);
	fire("CPU clock timer 9", 9);
	fflush(stdout);
	pid_t pid = fork();
	if (pid == 0) {
		create("fork child: first", CLOCK_MONOTONIC, NULL, -5);
		fflush(stdout);
		_exit(0);
	}
	waitpid(pid, &st, 0);
	R("fork child status", st);
	restore_ids();
	R("restore on", prctl(PR_TIMER_CREATE_RESTORE_IDS, 1, 0, 0, 0));
	fflush(stdout);
	execl("/proc/self/exe", argv[0], "exec", (char *)NULL);
	printf("execl: %s\n", en(errno));
	return 1;
}
