/* sched_getaffinity and sched_setaffinity on another process (taskset -p): a zombie not yet
 * reaped still answers (Linux finds it by pid until wait), another user's process needs
 * CAP_SYS_NICE, not just euid 0 (gVisor's AffinityTest.SetAffinityOtherUidRequiresCapSysNice
 * drops the capability and keeps euid 0), and the mask is read before the pid is looked up
 * (sched_getaffinity: the size is checked first). */
#include "cf.h"
#include <sched.h>
#include <sys/wait.h>
#include <linux/capability.h>

static long
setaff(pid_t pid, size_t len, const void *mask)
{
	return syscall(SYS_sched_setaffinity, pid, len, mask);
}

static long
getaff(pid_t pid, size_t len, void *mask)
{
	return syscall(SYS_sched_getaffinity, pid, len, mask);
}

/* effective set without CAP_SYS_NICE (permitted kept, so it can come back) */
static void
sys_nice(int on)
{
	struct __user_cap_header_struct h = { _LINUX_CAPABILITY_VERSION_3, 0 };
	struct __user_cap_data_struct d[2];

	syscall(SYS_capget, &h, d);
	if (on)
		d[0].effective |= 1u << CAP_SYS_NICE;
	else
		d[0].effective &= ~(1u << CAP_SYS_NICE);
	OK(on ? "raise CAP_SYS_NICE" : "drop CAP_SYS_NICE", syscall(SYS_capset, &h, d));
}

/* a child of uid 12345, returned once it has that uid: it waits for a byte on go (or
 * exits at once if go is -1) */
static pid_t
child(int go)
{
	int ready[2];
	char b;

	if (pipe(ready))
		return -1;
	pid_t c = fork();
	if (c == 0) {
		if (setresuid(12345, 12345, 12345))
			_exit(1);
		write(ready[1], "r", 1);
		if (go >= 0)
			read(go, &b, 1);
		_exit(0);
	}
	close(ready[1]);
	read(ready[0], &b, 1);
	close(ready[0]);
	return c;
}

int
main(void)
{
	cpu_set_t mask, got;
	int go[2];

	setvbuf(stdout, NULL, _IOLBF, 0);
	if (getaff(0, sizeof(mask), &mask) <= 0 || pipe(go))
		return 1;

	pid_t live = child(go[0]);
	YN("get live other", getaff(live, sizeof(got), &got) > 0);
	R("set live other", setaff(live, sizeof(mask), &mask));
	sys_nice(0);
	R("set live other without CAP_SYS_NICE", setaff(live, sizeof(mask), &mask));
	YN("get live other without CAP_SYS_NICE", getaff(live, sizeof(got), &got) > 0);
	R("set self without CAP_SYS_NICE", setaff(0, sizeof(mask), &mask));
	sys_nice(1);
	write(go[1], "x", 1);
	waitpid(live, NULL, 0);

	pid_t z = child(-1);
	printf("zombie: %c\n", cf_wait_zombie(z));
	YN("get zombie", getaff(z, sizeof(got), &got) > 0);
	R("set zombie", setaff(z, sizeof(mask), &mask));
	sys_nice(0);
	R("set zombie without CAP_SYS_NICE", setaff(z, sizeof(mask), &mask));
	sys_nice(1);

	/* the mask is copied before the pid is looked up */
	R("set bad mask, zombie", setaff(z, sizeof(mask), (void *)8));
	R("set bad mask, no such pid", setaff(999999, sizeof(mask), (void *)8));
	R("set no such pid", setaff(999999, sizeof(mask), &mask));
	R("set pid -1", setaff(-1, sizeof(mask), &mask));
	R("get no such pid", getaff(999999, sizeof(got), &got));
	/* and the size before the pid */
	R("get odd size, no such pid", getaff(999999, 3, &got));
	R("get size 0, no such pid", getaff(999999, 0, &got));
	R("get bad buffer, no such pid", getaff(999999, sizeof(got), (void *)8));
	R("get bad buffer, zombie", getaff(z, sizeof(got), (void *)8));
	waitpid(z, NULL, 0);
	R("get reaped", getaff(z, sizeof(got), &got));
	R("set reaped", setaff(z, sizeof(mask), &mask));
	return 0;
}
