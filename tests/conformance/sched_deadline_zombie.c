/* SCHED_DEADLINE's parameter checks (sched_setattr and sched_setscheduler: EINVAL for
 * missing or inconsistent deadline parameters), and getpriority/setpriority on a zombie
 * child (it counts until reaped). */
#include "cf.h"
#include <sched.h>
#include <signal.h>
#include <stdint.h>
#include <sys/resource.h>
#include <sys/wait.h>

struct attr {
	uint32_t size, policy;
	uint64_t flags;
	int32_t nice;
	uint32_t prio;
	uint64_t runtime, deadline, period;
};

static long
setattr(struct attr *a)
{
	a->size = sizeof(*a);
	a->policy = 6; /* SCHED_DEADLINE */
	return syscall(SYS_sched_setattr, 0, a, 0);
}

int
main(void)
{
	struct attr a;

	memset(&a, 0, sizeof(a));
	R("deadline, no parameters", setattr(&a));
	a.runtime = 10000000, a.deadline = 5000000, a.period = 20000000;
	R("deadline, runtime > deadline", setattr(&a));
	a.runtime = 1000000, a.deadline = 5000000, a.period = 1000000;
	R("deadline, period < deadline", setattr(&a));
	a.runtime = 100, a.deadline = 5000000, a.period = 0;
	R("deadline, runtime < 1024ns", setattr(&a));
	a.runtime = 1000000, a.deadline = 1ULL << 63, a.period = 0;
	R("deadline, top bit", setattr(&a));
	struct sched_param sp = { 0 };
	R("sched_setscheduler SCHED_DEADLINE", sched_setscheduler(0, 6, &sp));

	pid_t c = fork();
	if (c == 0)
		_exit(0);
	siginfo_t si;
	waitid(P_PID, c, &si, WEXITED | WNOWAIT);
	errno = 0;
	R("getpriority zombie", getpriority(PRIO_PROCESS, c));
	R("setpriority zombie", setpriority(PRIO_PROCESS, c, 0));
	waitpid(c, NULL, 0);
	R("getpriority reaped", getpriority(PRIO_PROCESS, c));
	return 0;
}
