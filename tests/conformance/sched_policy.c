/* Scheduling policies and I/O priorities as chrt and ionice use them: sched_setscheduler /
 * sched_setparam / sched_getscheduler / sched_getparam on the caller and on a child,
 * SCHED_RESET_ON_FORK, sched_getattr / sched_setattr (sizes, flags, nice), the errors, the
 * rt_priority and policy fields of /proc/PID/stat, and ioprio_set / ioprio_get with their
 * inheritance. Run as root natively (real-time policies need it). */
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
	uint32_t util_min, util_max;
	uint32_t pad[4];
};

static void
stat_fields(const char *label, pid_t pid)
{
	char path[64], buf[1024], *p;
	long prio, nice, rtprio, policy;
	int fd;
	ssize_t n;

	snprintf(path, sizeof(path), "/proc/%d/stat", pid);
	fd = open(path, O_RDONLY);
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	buf[n > 0 ? n : 0] = 0;
	p = strrchr(buf, ')');
	/* after ") ": state(3) ... priority 18, nice 19, rt_priority 40, policy 41 */
	if (p && sscanf(p + 2, "%*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %*u %*u %*d %*d %ld %ld "
			"%*d %*d %*u %*u %*d %*u %*u %*u %*u %*u %*u %*u %*u %*u %*u %*u %*u %*u "
			"%*d %*d %lu %lu", &prio, &nice, &rtprio, &policy) == 4)
		printf("%s: stat priority %ld nice %ld rt_priority %ld policy %ld\n", label, prio,
		       nice, rtprio, policy);
	else
		printf("%s: stat unparsed\n", label);
}

static void
show(const char *label, pid_t pid)
{
	struct sched_param sp = { -1 };
	int pol = sched_getscheduler(pid);

	sched_getparam(pid, &sp);
	printf("%s: policy %d%s priority %d\n", label, pol & ~SCHED_RESET_ON_FORK,
	       pol & SCHED_RESET_ON_FORK ? " +reset" : "", sp.sched_priority);
}

static long
getattr(pid_t pid, struct attr *a, unsigned size, unsigned flags)
{
	memset(a, 0xff, sizeof(*a));
	return syscall(SYS_sched_getattr, pid, a, size, flags);
}

int
main(void)
{
	struct sched_param sp = { 0 };
	struct attr a;
	int st;

	setvbuf(stdout, NULL, _IONBF, 0);
	if (geteuid() != 0) {
		printf("not root\n");
		return 0;
	}
	nice(0);
	show("start", 0);
	stat_fields("start", getpid());
	sp.sched_priority = 10;
	R("setscheduler FIFO 10", sched_setscheduler(0, SCHED_FIFO, &sp));
	show("after FIFO", 0);
	show("by pid", getpid());
	stat_fields("FIFO", getpid());
	R("getscheduler missing pid", sched_getscheduler(999999));
	R("getscheduler negative pid", sched_getscheduler(-1));
	R("getparam NULL", syscall(SYS_sched_getparam, 0, NULL));
	R("getparam bad pointer", syscall(SYS_sched_getparam, 0, (void *)8));
	R("setscheduler NULL", syscall(SYS_sched_setscheduler, 0, SCHED_RR, NULL));
	R("setscheduler bad pointer", syscall(SYS_sched_setscheduler, 0, SCHED_RR, (void *)8));
	sp.sched_priority = 100;
	R("FIFO 100", sched_setscheduler(0, SCHED_FIFO, &sp));
	sp.sched_priority = 0;
	R("RR 0", sched_setscheduler(0, SCHED_RR, &sp));
	sp.sched_priority = 1;
	R("OTHER 1", sched_setscheduler(0, SCHED_OTHER, &sp));
	R("policy 4", sched_setscheduler(0, 4, &sp));
	R("policy 77", sched_setscheduler(0, 77, &sp));
	R("policy -1", sched_setscheduler(0, -1, &sp));
	sp.sched_priority = 42;
	R("setparam 42", sched_setparam(0, &sp));
	show("after setparam", 0);
	struct timespec ts = { 5, 5 };
	R("rr_get_interval FIFO", sched_rr_get_interval(0, &ts));
	printf("FIFO interval: %ld.%09ld\n", (long)ts.tv_sec, ts.tv_nsec);
	sp.sched_priority = 7;
	R("RR 7 with reset-on-fork", sched_setscheduler(0, SCHED_RR | SCHED_RESET_ON_FORK, &sp));
	show("RR reset", 0);
	R("rr_get_interval RR", sched_rr_get_interval(0, &ts));
	printf("RR interval: %ld.%09ld\n", (long)ts.tv_sec, ts.tv_nsec);
	R("getattr", getattr(0, &a, sizeof(a), 0));
	printf("getattr: size %u policy %u flags %lu nice %d prio %u pad %x\n", a.size, a.policy,
	       (unsigned long)a.flags, a.nice, a.prio, a.pad[0]);
	pid_t c = fork();
	if (c == 0) {
		show("child of reset-on-fork", 0);
		_exit(0);
	}
	waitpid(c, &st, 0);
	sp.sched_priority = 0;
	R("back to OTHER", sched_setscheduler(0, SCHED_OTHER, &sp));
	show("OTHER again", 0);
	/* another process's policy, set and read from outside */
	int pfd[2];
	pipe(pfd);
	c = fork();
	if (c == 0) {
		char x;
		close(pfd[1]);
		read(pfd[0], &x, 1);
		show("child sees its own", 0);
		_exit(0);
	}
	close(pfd[0]);
	sp.sched_priority = 3;
	R("set child RR 3", sched_setscheduler(c, SCHED_RR, &sp));
	show("child from parent", c);
	stat_fields("child", c);
	R("set child IDLE", sched_setscheduler(c, SCHED_IDLE, &(struct sched_param){ 0 }));
	show("child IDLE", c);
	write(pfd[1], "x", 1);
	close(pfd[1]);
	waitpid(c, &st, 0);
	/* sched_getattr / sched_setattr */
	R("getattr 48", getattr(0, &a, 48, 0));
	printf("getattr 48: size %u util_min %x\n", a.size, a.util_min);
	R("getattr 40", getattr(0, &a, 40, 0));
	R("getattr flags 1", getattr(0, &a, 48, 1));
	R("getattr 8192", getattr(0, &a, 8192, 0));
	R("getattr NULL", syscall(SYS_sched_getattr, 0, NULL, 48, 0));
	R("getattr missing pid", getattr(999999, &a, 48, 0));
	memset(&a, 0, sizeof(a));
	a.size = 48;
	a.policy = SCHED_BATCH;
	a.nice = 4;
	R("setattr BATCH nice 4", syscall(SYS_sched_setattr, 0, &a, 0));
	show("BATCH", 0);
	getattr(0, &a, 56, 0);
	printf("getattr: policy %u nice %d prio %u\n", a.policy, a.nice, a.prio);
	printf("getpriority: %d\n", getpriority(PRIO_PROCESS, 0));
	memset(&a, 0, sizeof(a));
	a.size = 48;
	a.policy = SCHED_OTHER;
	a.nice = 99;
	R("setattr nice 99 (clamped)", syscall(SYS_sched_setattr, 0, &a, 0));
	printf("getpriority: %d\n", getpriority(PRIO_PROCESS, 0));
	a.nice = 0;
	a.size = 40;
	R("setattr size 40", syscall(SYS_sched_setattr, 0, &a, 0));
	printf("size written back: %u\n", a.size);
	memset(&a, 0, sizeof(a));
	a.size = sizeof(a);
	a.pad[1] = 1;
	R("setattr nonzero tail", syscall(SYS_sched_setattr, 0, &a, 0));
	printf("size written back: %u\n", a.size);
	memset(&a, 0, sizeof(a));
	a.size = 48;
	a.flags = 0x1000;
	R("setattr bad flag", syscall(SYS_sched_setattr, 0, &a, 0));
	a.flags = 0;
	R("setattr flags arg", syscall(SYS_sched_setattr, 0, &a, 1));
	a.policy = SCHED_FIFO;
	a.prio = 20;
	R("setattr FIFO 20", syscall(SYS_sched_setattr, 0, &a, 0));
	a.flags = 0x08; /* SCHED_FLAG_KEEP_POLICY */
	a.policy = SCHED_OTHER;
	a.prio = 30;
	R("setattr keep policy, 30", syscall(SYS_sched_setattr, 0, &a, 0));
	show("kept FIFO", 0);
	a.flags = 0;
	a.prio = 0;
	R("setattr OTHER", syscall(SYS_sched_setattr, 0, &a, 0));
	show("end", 0);
	/* I/O priorities */
	R("ioprio_get self", syscall(SYS_ioprio_get, 1, 0));
	R("ioprio_set BE 3", syscall(SYS_ioprio_set, 1, 0, (2 << 13) | 3));
	R("ioprio_get self", syscall(SYS_ioprio_get, 1, 0));
	R("ioprio_get by pid", syscall(SYS_ioprio_get, 1, getpid()));
	R("ioprio_set NONE level 2", syscall(SYS_ioprio_set, 1, 0, 2));
	R("ioprio_set class 5", syscall(SYS_ioprio_set, 1, 0, 5 << 13));
	R("ioprio_set which 9", syscall(SYS_ioprio_set, 9, 0, 0));
	R("ioprio_get which 0", syscall(SYS_ioprio_get, 0, 0));
	R("ioprio_get missing pid", syscall(SYS_ioprio_get, 1, 999999));
	R("ioprio_set RT 1", syscall(SYS_ioprio_set, 1, 0, (1 << 13) | 1));
	c = fork();
	if (c == 0)
		_exit((int)syscall(SYS_ioprio_get, 1, 0) == ((1 << 13) | 1) ? 0 : 1);
	waitpid(c, &st, 0);
	printf("child inherits ioprio: %s\n", WEXITSTATUS(st) == 0 ? "yes" : "no");
	R("ioprio_set IDLE", syscall(SYS_ioprio_set, 1, 0, 3 << 13));
	R("ioprio_get", syscall(SYS_ioprio_get, 1, 0));
	R("ioprio_set NONE", syscall(SYS_ioprio_set, 1, 0, 0));
	R("ioprio_get", syscall(SYS_ioprio_get, 1, 0));

	/* unprivileged: SCHED_IDLE takes no nice value (no RLIMIT_NICE check, nice kept);
	 * leaving it for a fair policy needs RLIMIT_NICE */
	fflush(stdout);
	c = fork();
	if (c == 0) {
		struct attr a = { .size = 48, .policy = SCHED_IDLE };

		R("setuid 1000", setgid(1000) | setuid(1000));
		R("nice 10", setpriority(PRIO_PROCESS, 0, 10));
		R("setattr IDLE nice 0", syscall(SYS_sched_setattr, 0, &a, 0));
		R("getpriority", getpriority(PRIO_PROCESS, 0));
		a.nice = 15;
		R("setattr IDLE nice 15", syscall(SYS_sched_setattr, 0, &a, 0));
		R("getpriority", getpriority(PRIO_PROCESS, 0));
		a.policy = SCHED_BATCH;
		a.nice = 19;
		R("setattr BATCH nice 19 from IDLE", syscall(SYS_sched_setattr, 0, &a, 0));
		fflush(stdout);
		_exit(0);
	}
	waitpid(c, &st, 0);
	return 0;
}
