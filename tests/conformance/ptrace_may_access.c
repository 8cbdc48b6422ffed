/* Linux's ptrace access check (ptrace_may_access) as each caller of it sees it:
 * pidfd_getfd, setns by pidfd, kcmp, get_robust_list, process_vm_readv, PTRACE_ATTACH and
 * opening /proc/PID/mem. Same ids are not enough: a caller in a new user namespace has no
 * capability over the target's, a non-dumpable target needs CAP_SYS_PTRACE, and a caller
 * whose permitted set lacks one of the target's capabilities needs it too. Run as root. */
#include "cf.h"
#include <linux/capability.h>
#include <linux/futex.h>
#include <linux/kcmp.h>
#include <sched.h>
#include <stdbool.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/ptrace.h>
#include <sys/uio.h>
#include <sys/wait.h>

static pid_t target;
static int pidfd;
static char word[8];

static void
show(const char *who, const char *what, long r)
{
	if (r < 0)
		printf("%s: %s: -1 %s\n", who, what, en(errno));
	else
		printf("%s: %s: ok\n", who, what);
}

static void
probes(const char *who)
{
	char path[64], buf[8];
	struct iovec l = { buf, sizeof(buf) }, r = { word, sizeof(word) };
	void *head;
	size_t len;

	int fd = (int)syscall(SYS_pidfd_getfd, pidfd, 0, 0);
	show(who, "pidfd_getfd", fd);
	if (fd >= 0)
		close(fd);
	show(who, "kcmp", syscall(SYS_kcmp, getpid(), target, KCMP_VM, 0, 0));
	show(who, "get_robust_list", syscall(SYS_get_robust_list, target, &head, &len));
	show(who, "process_vm_readv", process_vm_readv(target, &l, 1, &r, 1, 0));
	snprintf(path, sizeof(path), "/proc/%d/mem", target);
	fd = open(path, O_RDONLY);
	show(who, "open /proc/PID/mem", fd);
	if (fd >= 0)
		close(fd);
	long a = ptrace(PTRACE_ATTACH, target, 0, 0);
	show(who, "PTRACE_ATTACH", a);
	if (a == 0) {
		waitpid(target, NULL, __WALL);
		ptrace(PTRACE_DETACH, target, 0, 0);
	}
}

/* Drop cap from the effective set, and from the permitted set too when prm. */
static void
drop(int cap, bool prm)
{
	struct __user_cap_header_struct h = { _LINUX_CAPABILITY_VERSION_3, 0 };
	struct __user_cap_data_struct d[2];
	syscall(SYS_capget, &h, d);
	d[cap / 32].effective &= ~(1u << (cap % 32));
	if (prm)
		d[cap / 32].permitted &= ~(1u << (cap % 32));
	syscall(SYS_capset, &h, d);
}

static void
in_child(const char *who, void (*setup)(void))
{
	fflush(stdout);
	pid_t p = fork();
	if (p == 0) {
		setup();
		probes(who);
		fflush(stdout);
		_exit(0);
	}
	waitpid(p, NULL, 0);
}

static void nothing(void) {}
static void new_userns(void) { OK("unshare(CLONE_NEWUSER)", unshare(CLONE_NEWUSER)); }
static void no_ptrace_eff(void) { drop(CAP_SYS_PTRACE, false); }
static void no_ptrace_prm(void) { drop(CAP_SYS_PTRACE, true); }
static void no_admin_prm(void) { drop(CAP_SYS_ADMIN, true); drop(CAP_SYS_PTRACE, false); }

static void
setns_net(void)
{
	drop(CAP_SYS_PTRACE, false);
	OK("unshare(CLONE_NEWNET)", unshare(CLONE_NEWNET));
	OK("setns(pidfd, CLONE_NEWNET)", syscall(SYS_setns, pidfd, CLONE_NEWNET));
}

int
main(void)
{
	cf_init();
	target = fork();
	if (target == 0) {
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		for (;;)
			pause();
	}
	pidfd = (int)syscall(SYS_pidfd_open, target, 0);
	in_child("same ids", nothing);
	in_child("new user namespace", new_userns);
	in_child("no CAP_SYS_PTRACE in effective", no_ptrace_eff);
	in_child("no CAP_SYS_PTRACE in permitted", no_ptrace_prm);
	in_child("no CAP_SYS_ADMIN in permitted", no_admin_prm);
	kill(target, SIGKILL);
	waitpid(target, NULL, 0);
	close(pidfd);

	/* the target is now this (non-dumpable) process */
	target = getpid();
	pidfd = (int)syscall(SYS_pidfd_open, target, 0);
	OK("PR_SET_DUMPABLE 0", prctl(PR_SET_DUMPABLE, 0));
	in_child("non-dumpable, CAP_SYS_PTRACE", nothing);
	in_child("non-dumpable, no CAP_SYS_PTRACE", no_ptrace_eff);
	in_child("setns to non-dumpable", setns_net);
	prctl(PR_SET_DUMPABLE, 1);
	in_child("setns to dumpable", setns_net);
	return 0;
}
