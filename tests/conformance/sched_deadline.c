/*
 * SCHED_DEADLINE through sched_setattr: valid and invalid parameters, what sched_getattr,
 * sched_getscheduler, sched_getparam and sched_rr_get_interval then say, fork refused
 * (EAGAIN) unless SCHED_FLAG_RESET_ON_FORK (the child is SCHED_OTHER), an unprivileged
 * caller refused (EPERM), and the way back to SCHED_OTHER.
 */
#include "cf.h"
#include <sched.h>
#include <stdint.h>
#include <sys/wait.h>

struct attr {
	uint32_t size, policy;
	uint64_t flags;
	int32_t nice;
	uint32_t prio;
	uint64_t runtime, deadline, period;
};

static long
setattr(uint64_t runtime, uint64_t deadline, uint64_t period, uint64_t flags)
{
	struct attr a = { .size = 48, .policy = 6, .flags = flags, .runtime = runtime,
			  .deadline = deadline, .period = period };

	return syscall(SYS_sched_setattr, 0, &a, 0);
}

static void
show(const char *label)
{
	struct attr a;
	struct sched_param sp = { 99 };
	struct timespec ts = { 5, 5 };

	memset(&a, 0xff, sizeof(a));
	if (syscall(SYS_sched_getattr, 0, &a, sizeof(a), 0) < 0) {
		printf("%s: getattr %s\n", label, en(errno));
		return;
	}
	sched_getparam(0, &sp);
	sched_rr_get_interval(0, &ts);
	printf("%s: policy %u flags %llx nice %d prio %u runtime %llu deadline %llu period %llu"
	       " getscheduler %d getparam %d rr_interval %s\n", label, a.policy,
	       (unsigned long long)a.flags, a.nice, a.prio, (unsigned long long)a.runtime,
	       (unsigned long long)a.deadline, (unsigned long long)a.period,
	       sched_getscheduler(0), sp.sched_priority,
	       ts.tv_sec == 0 && ts.tv_nsec == 0 ? "0" : "nonzero");
}

int
main(void)
{
	pid_t pid;
	int st;

	setvbuf(stdout, NULL, _IONBF, 0);
	OK("runtime past the deadline", setattr(20000000, 10000000, 30000000, 0));
	OK("period shorter than the deadline", setattr(1000000, 20000000, 10000000, 0));
	OK("runtime below 1024 ns", setattr(1000, 10000000, 30000000, 0));
	OK("no deadline", setattr(1000000, 0, 30000000, 0));
	OK("period below 100 us", setattr(10000, 50000, 50000, 0));
	OK("period past 2^22 us", setattr(10000000, 10000000, 5000000000ULL, 0));
	show("before");

	pid = fork();
	if (pid == 0) {
		if (setuid(65534) < 0)
			_exit(3);
		OK("unprivileged", setattr(10000000, 30000000, 30000000, 0));
		_exit(0);
	}
	waitpid(pid, &st, 0);

	OK("10 ms every 30 ms, period 0", setattr(10000000, 30000000, 0, 0));
	show("deadline");
	pid = fork();
	printf("fork: %s\n", pid < 0 ? en(errno) : "ok");
	if (pid == 0)
		_exit(0);
	if (pid > 0)
		waitpid(pid, &st, 0);
	OK("again with RESET_ON_FORK", setattr(10000000, 20000000, 30000000, 1));
	show("reset on fork");
	pid = fork();
	if (pid == 0) {
		show("child");
		_exit(0);
	}
	if (pid > 0)
		waitpid(pid, &st, 0);
	printf("fork: %s\n", pid < 0 ? en(errno) : "ok");
	struct sched_param sp = { 0 };
	OK("sched_setparam keeping SCHED_DEADLINE", sched_setparam(0, &sp));
	OK("back to SCHED_OTHER", sched_setscheduler(0, SCHED_OTHER, &sp));
	show("after");
	return 0;
}
