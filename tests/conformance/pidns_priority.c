/* getpriority, setpriority, ioprio_get and ioprio_set name threads and process groups by
 * their numbers in the caller's pid namespace (Linux find_task_by_vpid, find_vpid): in a
 * child namespace its init is 1, its group 1; a number nobody has there is ESRCH. */
#include "cf.h"
#include <sched.h>
#include <sys/resource.h>
#include <sys/wait.h>

int
main(void)
{
	setvbuf(stdout, NULL, _IONBF, 0);
	R("unshare pid", unshare(CLONE_NEWPID));
	pid_t c = fork();
	if (c == 0) {
		setpgid(0, 0);
		R("getpid", getpid());
		R("getpriority own pid", getpriority(PRIO_PROCESS, getpid()));
		R("getpriority own group", getpriority(PRIO_PGRP, getpgrp()));
		R("setpriority own pid 3", setpriority(PRIO_PROCESS, getpid(), 3));
		R("getpriority self", getpriority(PRIO_PROCESS, 0));
		R("setpriority own group 4", setpriority(PRIO_PGRP, 1, 4));
		R("getpriority self", getpriority(PRIO_PROCESS, 0));
		R("getpriority pid 77", getpriority(PRIO_PROCESS, 77));
		R("ioprio_set own pid", syscall(SYS_ioprio_set, 1, getpid(), (2 << 13) | 3));
		R("ioprio_get own pid", syscall(SYS_ioprio_get, 1, getpid()));
		R("ioprio_get own group", syscall(SYS_ioprio_get, 2, 1));
		R("ioprio_get pid 77", syscall(SYS_ioprio_get, 1, 77));
		_exit(0);
	}
	waitpid(c, NULL, 0);
	return 0;
}
