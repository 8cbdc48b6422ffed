/* ioprio_get for a process group or a user answers the best priority its threads' I/O
 * gets (Linux 6.0 on): a thread that set none counts by its scheduling (best effort at
 * level (nice + 20) / 5, idle under SCHED_IDLE), while one thread (IOPRIO_WHO_PROCESS)
 * answers what it set, 0 if nothing. A zombie not yet reaped is still found: it answers
 * 0 and takes a new priority without keeping it. */
#include "cf.h"
#include <sched.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <linux/ioprio.h>

static long
get(int which, int who)
{
	return syscall(SYS_ioprio_get, which, who);
}

static long
set(int which, int who, int prio)
{
	return syscall(SYS_ioprio_set, which, who, prio);
}

int
main(void)
{
	struct sched_param sp = { 0 };

	setvbuf(stdout, NULL, _IOLBF, 0);
	OK("own process group", setpgid(0, 0));
	OK("nice 0 (whatever the harness runs under)", setpriority(PRIO_PROCESS, 0, 0));
	R("self", get(IOPRIO_WHO_PROCESS, 0));
	R("group", get(IOPRIO_WHO_PGRP, 0));
	OK("nice 10", setpriority(PRIO_PROCESS, 0, 10));
	R("group at nice 10", get(IOPRIO_WHO_PGRP, 0));
	OK("SCHED_IDLE", sched_setscheduler(0, SCHED_IDLE, &sp));
	R("group under SCHED_IDLE", get(IOPRIO_WHO_PGRP, 0));
	OK("SCHED_OTHER", sched_setscheduler(0, SCHED_OTHER, &sp));
	R("self again", get(IOPRIO_WHO_PROCESS, 0));

	pid_t z = fork();
	if (z == 0)
		_exit(0);
	printf("zombie: %c\n", cf_wait_zombie(z));
	R("zombie", get(IOPRIO_WHO_PROCESS, z));
	R("set zombie", set(IOPRIO_WHO_PROCESS, z, IOPRIO_PRIO_VALUE(IOPRIO_CLASS_BE, 1)));
	R("zombie after", get(IOPRIO_WHO_PROCESS, z));
	R("group with the zombie", get(IOPRIO_WHO_PGRP, 0));
	R("set self best effort 7", set(IOPRIO_WHO_PROCESS, 0, IOPRIO_PRIO_VALUE(IOPRIO_CLASS_BE, 7)));
	R("self", get(IOPRIO_WHO_PROCESS, 0));
	R("group: the zombie's is better", get(IOPRIO_WHO_PGRP, 0));
	R("set self best effort 3", set(IOPRIO_WHO_PROCESS, 0, IOPRIO_PRIO_VALUE(IOPRIO_CLASS_BE, 3)));
	R("group: now the caller's", get(IOPRIO_WHO_PGRP, 0));
	waitpid(z, NULL, 0);
	R("reaped", get(IOPRIO_WHO_PROCESS, z));
	R("set reaped", set(IOPRIO_WHO_PROCESS, z, IOPRIO_PRIO_VALUE(IOPRIO_CLASS_BE, 1)));
	R("user no process has", get(IOPRIO_WHO_USER, 54321));
	R("group no process has", get(IOPRIO_WHO_PGRP, 999999));
	return 0;
}
