/* Nice values: getpriority/setpriority for a thread, the process group and the user, the
 * inherited value in a child, /proc/self/stat's priority and nice fields, and the errors
 * (EINVAL, ESRCH, EACCES to lower it without privilege). Values are printed relative to the
 * nice the test started with. */
#include "cf.h"
#include <sys/resource.h>
#include <sys/wait.h>

static int base;

static void
stat_fields(const char *label)
{
	char buf[1024], *p;
	int fd = open("/proc/self/stat", O_RDONLY);
	ssize_t n = read(fd, buf, sizeof(buf) - 1);
	long prio, nice;

	close(fd);
	buf[n > 0 ? n : 0] = 0;
	p = strrchr(buf, ')');
	/* after ") ": state(3) ... priority is field 18, nice 19 */
	if (p && sscanf(p + 2, "%*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %*u %*u %*d %*d %ld %ld",
			&prio, &nice) == 2)
		printf("%s: stat priority-20 %ld, nice %ld (relative)\n", label, prio - 20 - base,
		       nice - base);
}

/* The raw syscall: 20 - nice. */
static long
rawprio(int which, int who)
{
	return syscall(SYS_getpriority, which, who);
}

int
main(void)
{
	int st;

	setvbuf(stdout, NULL, _IONBF, 0);
	base = 20 - (int)rawprio(PRIO_PROCESS, 0);
	printf("base in range: %s\n", base >= -20 && base <= 19 ? "yes" : "no");
	if (base > 15) {
		printf("started too nice to test\n");
		return 0;
	}
	stat_fields("start");
	R("setpriority self +2", setpriority(PRIO_PROCESS, 0, base + 2));
	printf("raw getpriority - base: %ld\n", 20 - rawprio(PRIO_PROCESS, 0) - base);
	printf("getpid: %ld\n", 20 - rawprio(PRIO_PROCESS, getpid()) - base);
	setpgid(0, 0);
	printf("pgrp: %ld\n", 20 - rawprio(PRIO_PGRP, 0) - base);
	stat_fields("after +2");
	if (fork() == 0) {
		printf("child inherits: %ld\n", 20 - rawprio(PRIO_PROCESS, 0) - base);
		R("child +3", setpriority(PRIO_PROCESS, 0, base + 3));
		_exit(0);
	}
	wait(&st);
	printf("parent after child: %ld\n", 20 - rawprio(PRIO_PROCESS, 0) - base);
	R("bad which", setpriority(7, 0, 0));
	R("get bad which", getpriority(-1, 0));
	R("no such pid", setpriority(PRIO_PROCESS, 999999, 0));
	R("get no such pid", getpriority(PRIO_PROCESS, 999999));
	R("clamped to 19", setpriority(PRIO_PROCESS, 0, 1000));
	printf("now: %ld\n", 20 - rawprio(PRIO_PROCESS, 0));
	if (geteuid() == 0) {
		R("root lowers", setpriority(PRIO_PROCESS, 0, base));
		struct rlimit rl = { 0, 0 };
		setrlimit(RLIMIT_NICE, &rl);
		R("seteuid 4321", setresuid(-1, 4321, -1));
		R("raise unprivileged", setpriority(PRIO_PROCESS, 0, base + 4));
		R("lower unprivileged", setpriority(PRIO_PROCESS, 0, base + 1));
		R("same unprivileged", setpriority(PRIO_PROCESS, 0, base + 4));
		R("seteuid 0", setresuid(-1, 0, -1));
		R("root lowers again", setpriority(PRIO_PROCESS, 0, base));
	}
	stat_fields("end");
	return 0;
}
