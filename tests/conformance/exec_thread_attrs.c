/*
 * execve from a thread other than the leader: the new image goes on with the calling
 * thread's own attributes, not the leader's (Linux de_thread keeps the caller's task): its
 * credentials (changed by raw calls, which act on one thread), supplementary groups and
 * capabilities, timer slack, machine-check policy, nice value, I/O priority, parent-death
 * signal, CPU affinity, and root/cwd once it unshared CLONE_FS.
 */
#include "cf.h"
#include <linux/capability.h>
#include <pthread.h>
#include <sched.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/syscall.h>

#define IOPRIO_BE_3 ((2 << 13) | 3)

static char *self;
static char dir[300];

static void
show(const char *who)
{
	char label[96], cwd[300];
	gid_t groups[8] = { 0 };
	int sig = -1;
	struct __user_cap_header_struct h = { _LINUX_CAPABILITY_VERSION_3, 0 };
	struct __user_cap_data_struct d[2];
	cpu_set_t cpus;

#define SHOW(what, expr) do { snprintf(label, sizeof(label), "%s: %s", who, what); R(label, expr); } while (0)
	SHOW("uid", syscall(SYS_getuid));
	SHOW("euid", syscall(SYS_geteuid));
	SHOW("gid", syscall(SYS_getgid));
	SHOW("groups", syscall(SYS_getgroups, 8, groups));
	SHOW("first group", groups[0]);
	syscall(SYS_capget, &h, d);
	SHOW("CAP_NET_RAW permitted", (d[0].permitted >> CAP_NET_RAW) & 1);
	SHOW("timer slack", prctl(PR_GET_TIMERSLACK, 0, 0, 0, 0));
	SHOW("mce kill", prctl(PR_MCE_KILL_GET, 0, 0, 0, 0));
	SHOW("nice", getpriority(PRIO_PROCESS, 0));
	SHOW("ioprio", syscall(SYS_ioprio_get, 1, 0));
	prctl(PR_GET_PDEATHSIG, &sig);
	SHOW("pdeath signal", sig);
	CPU_ZERO(&cpus);
	sched_getaffinity(0, sizeof(cpus), &cpus);
	SHOW("only cpu 0", CPU_COUNT(&cpus) == 1 && CPU_ISSET(0, &cpus));
	SHOW("cwd is the thread's", getcwd(cwd, sizeof(cwd)) && !strcmp(cwd, dir));
}

static void *
thread(void *arg)
{
	gid_t g = 4321;
	cpu_set_t cpus;
	struct __user_cap_header_struct h = { _LINUX_CAPABILITY_VERSION_3, 0 };
	struct __user_cap_data_struct d[2];

	(void)arg;
	OK("unshare CLONE_FS", unshare(CLONE_FS));
	OK("chdir", chdir(dir));
	OK("setgroups", syscall(SYS_setgroups, 1, &g));
	syscall(SYS_capget, &h, d);
	d[0].permitted &= ~(1U << CAP_NET_RAW);
	d[0].effective &= ~(1U << CAP_NET_RAW);
	OK("capset", syscall(SYS_capset, &h, d));
	OK("timer slack", prctl(PR_SET_TIMERSLACK, 123456, 0, 0, 0));
	OK("mce kill", prctl(PR_MCE_KILL, PR_MCE_KILL_SET, PR_MCE_KILL_EARLY, 0, 0));
	OK("nice", setpriority(PRIO_PROCESS, 0, 7));
	OK("ioprio", syscall(SYS_ioprio_set, 1, 0, IOPRIO_BE_3));
	CPU_ZERO(&cpus);
	CPU_SET(0, &cpus);
	OK("affinity", sched_setaffinity(0, sizeof(cpus), &cpus));
	/* raw calls: the thread's credentials only (glibc's would change every thread's) */
	OK("setresgid", syscall(SYS_setresgid, 1000, 1000, 1000));
	OK("setresuid", syscall(SYS_setresuid, 1000, 1000, 1000));
	OK("pdeath signal", prctl(PR_SET_PDEATHSIG, SIGUSR1)); /* (after: id changes clear it) */
	show("thread");
	fflush(stdout);
	execl(self, self, dir, (char *)NULL);
	printf("execl: %s\n", en(errno));
	return NULL;
}

int
main(int argc, char **argv)
{
	pthread_t th;

	self = argv[0];
	if (argc > 1) {
		snprintf(dir, sizeof(dir), "%s", argv[1]);
		show("after execve");
		rmdir(dir); /* (cf_init's removal at exit went with the old image) */
		*strrchr(dir, '/') = '\0';
		rmdir(dir);
		return 0;
	}
	if (argv[0][0] != '/') { /* the thread's cwd changes before it executes self */
		static char abs[300];
		if (!getcwd(abs, sizeof(abs)))
			return 1;
		strncat(abs, "/", sizeof(abs) - strlen(abs) - 1);
		strncat(abs, argv[0], sizeof(abs) - strlen(abs) - 1);
		self = abs;
	}
	cf_init();
	if (!getcwd(dir, sizeof(dir)))
		return 1;
	OK("mkdir", mkdir("sub", 0755));
	strncat(dir, "/sub", sizeof(dir) - strlen(dir) - 1);
	show("leader");
	pthread_create(&th, NULL, thread, NULL);
	pthread_join(th, NULL);
	return 1;
}
