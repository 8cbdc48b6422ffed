/*
 * Priority changes are checked against capabilities, not against uid 0: another user's
 * process needs CAP_SYS_NICE for setpriority and ioprio_set, a real-time I/O class needs
 * CAP_SYS_NICE or CAP_SYS_ADMIN.
 */
#include "cf.h"
#include <linux/capability.h>
#include <sys/resource.h>
#include <sys/wait.h>

#define IOPRIO_RT_4 ((1 << 13) | 4)
#define IOPRIO_BE_4 ((2 << 13) | 4)

static int
drop_effective(int cap)
{
	struct __user_cap_header_struct h = { _LINUX_CAPABILITY_VERSION_3, 0 };
	struct __user_cap_data_struct d[2];

	if (syscall(SYS_capget, &h, d) < 0)
		return -1;
	d[cap / 32].effective &= ~(1u << (cap % 32));
	return (int)syscall(SYS_capset, &h, d);
}

int
main(void)
{
	int ready[2];
	char c;

	setvbuf(stdout, NULL, _IOLBF, 0);
	if (getuid() != 0) {
		printf("not root\n");
		return 0;
	}
	pipe(ready);
	pid_t p = fork();
	if (p == 0) {
		setresuid(12345, 12345, 12345);
		write(ready[1], "r", 1);
		pause();
		_exit(0);
	}
	read(ready[0], &c, 1);
	pid_t q = fork();
	if (q == 0) {
		R("setpriority of another user's process", setpriority(PRIO_PROCESS, p, 0));
		R("ioprio_set of it", syscall(SYS_ioprio_set, 1, p, IOPRIO_BE_4));
		R("real-time ioprio", syscall(SYS_ioprio_set, 1, 0, IOPRIO_RT_4));
		drop_effective(CAP_SYS_NICE);
		R("without CAP_SYS_NICE: setpriority", setpriority(PRIO_PROCESS, p, 0));
		R("without CAP_SYS_NICE: ioprio_set", syscall(SYS_ioprio_set, 1, p, IOPRIO_BE_4));
		R("without CAP_SYS_NICE: real-time ioprio", syscall(SYS_ioprio_set, 1, 0, IOPRIO_RT_4));
		drop_effective(CAP_SYS_ADMIN);
		R("without CAP_SYS_ADMIN too: real-time ioprio",
		  syscall(SYS_ioprio_set, 1, 0, IOPRIO_RT_4));
		R("without CAP_SYS_ADMIN too: best effort", syscall(SYS_ioprio_set, 1, 0, IOPRIO_BE_4));
		R("own nice up", setpriority(PRIO_PROCESS, 0, 5));
		_exit(0);
	}
	int st;
	waitpid(q, &st, 0);
	kill(p, SIGKILL);
	waitpid(p, &st, 0);
	return 0;
}
