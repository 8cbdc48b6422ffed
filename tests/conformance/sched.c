/* sched_getaffinity/sched_setaffinity/sched_yield/sched_getscheduler basics. */
#include <sched.h>
#include <sys/wait.h>
#include "cf.h"

int
main(void)
{
	cpu_set_t set;
	CPU_ZERO(&set);
	R("sched_getaffinity", sched_getaffinity(0, sizeof(set), &set));
	int n = CPU_COUNT(&set);
	YN("cpu count >= 1", n >= 1);
	R("cpus in the mask (nproc)", n); /* not the one CPU the sandbox pins its stubs to */
	long r = syscall(SYS_sched_getaffinity, 0, sizeof(set), &set);
	YN("raw returns positive multiple of 8", r > 0 && r % 8 == 0);
	R("raw size 0", syscall(SYS_sched_getaffinity, 0, 0, &set));
	R("raw size 3", syscall(SYS_sched_getaffinity, 0, 3, &set));
	R("raw bad pointer", syscall(SYS_sched_getaffinity, 0, sizeof(set), (void *)1));
	R("missing pid", sched_getaffinity(999999, sizeof(set), &set));
	R("getpid pid", sched_getaffinity(getpid(), sizeof(set), &set));
	R("sched_setaffinity same set", sched_setaffinity(0, sizeof(set), &set));
	cpu_set_t empty;
	CPU_ZERO(&empty);
	R("sched_setaffinity empty", sched_setaffinity(0, sizeof(empty), &empty));
	/* a mask of one CPU is the thread's (taskset -c 0 nproc says 1), inherited by fork */
	int first = -1;
	for (int i = 0; i < CPU_SETSIZE && first < 0; i++)
		if (CPU_ISSET(i, &set))
			first = i;
	cpu_set_t one, got;
	CPU_ZERO(&one);
	CPU_SET(first, &one);
	R("set one cpu", sched_setaffinity(0, sizeof(one), &one));
	CPU_ZERO(&got);
	sched_getaffinity(0, sizeof(got), &got);
	R("cpus after", CPU_COUNT(&got));
	YN("the one set", CPU_ISSET(first, &got));
	pid_t c = fork();
	if (c == 0) {
		CPU_ZERO(&got);
		sched_getaffinity(0, sizeof(got), &got);
		_exit(CPU_COUNT(&got));
	}
	int st = 0;
	waitpid(c, &st, 0);
	R("child's cpus", WEXITSTATUS(st));
	cpu_set_t off;
	CPU_ZERO(&off);
	CPU_SET(CPU_SETSIZE - 1, &off);
	R("only a cpu that is not there", sched_setaffinity(0, sizeof(off), &off));
	R("back to all", sched_setaffinity(0, sizeof(set), &set));
	CPU_ZERO(&got);
	sched_getaffinity(0, sizeof(got), &got);
	YN("all again", CPU_EQUAL(&got, &set));
	for (int i = 0; i < 5; i++)
		if (sched_yield() != 0)
			printf("sched_yield failed\n");
	printf("sched_yield x5: ok\n");
	R("sched_getscheduler", sched_getscheduler(0));
	struct sched_param sp;
	R("sched_getparam", sched_getparam(0, &sp));
	R("priority", sp.sched_priority);
	R("sched_get_priority_max OTHER", sched_get_priority_max(SCHED_OTHER));
	R("sched_get_priority_max FIFO", sched_get_priority_max(SCHED_FIFO));
	R("sched_get_priority_min bad", sched_get_priority_min(1234));
	R("getcpu", getcpu(NULL, NULL));
	unsigned cpu = 99999;
	getcpu(&cpu, NULL);
	YN("getcpu in affinity set", CPU_ISSET(cpu, &set));
	return 0;
}
