/* Pid namespaces: clone(CLONE_NEWPID) makes the child pid 1 of a new namespace (getppid 0,
 * its children numbered from 2 and waited for by those numbers, the parent sees another
 * number); kill and siginfo speak each side's numbers (0 for a sender outside); the init
 * ignores default-action signals from inside, SIGKILL too, adopts orphans of its
 * namespace, and its death kills the rest; unshare(CLONE_NEWPID) moves only later children
 * (a second unshare before a fork: EINVAL; after the first child died, fork: ENOMEM);
 * /proc/PID/ns/pid and pid_for_children; setns into an ancestor: EINVAL; 32 levels at
 * most (EUSERS). Run as root. */
#include "cf.h"
#include <sched.h>
#include <signal.h>
#include <sys/ioctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <linux/sched.h>

static void
link_of(const char *path, char *buf, size_t n)
{
	ssize_t r = readlink(path, buf, n - 1);
	buf[r > 0 ? r : 0] = 0;
}

static int
wait_status(pid_t p)
{
	int st = -1;
	waitpid(p, &st, 0);
	return st;
}

/* The namespace's init: children, orphans, signals. */
static int
init_main(void *arg)
{
	int *gate = arg;
	char c;
	int st;

	printf("init: getpid %d getppid %d\n", getpid(), getppid());
	sigset_t set;
	sigemptyset(&set);
	sigaddset(&set, SIGUSR1);
	sigaddset(&set, SIGUSR2);
	sigprocmask(SIG_BLOCK, &set, NULL);

	pid_t k = fork();
	if (k == 0) {
		printf("child: getpid %d getppid %d\n", getpid(), getppid());
		R("child: kill(1, 0)", kill(1, 0));
		R("child: kill(1, SIGTERM)", kill(1, SIGTERM));
		R("child: kill(1, SIGKILL)", kill(1, SIGKILL));
		R("child: kill(1, SIGUSR1)", kill(1, SIGUSR1));
		R("child: kill(999, 0)", kill(999, 0));
		_exit(7);
	}
	pid_t w = waitpid(k, &st, 0);
	printf("init: fork returned %d, waitpid %d status %d\n", k, w, WEXITSTATUS(st));
	siginfo_t si;
	sigwaitinfo(&set, &si);
	printf("init: SIGUSR1 from pid %d code %d\n", si.si_pid, si.si_code);
	printf("init: still alive after SIGTERM and SIGKILL from inside\n");

	/* an orphan comes to pid 1 */
	int p[2];
	pipe(p);
	k = fork();
	if (k == 0) {
		if (fork() == 0) {
			close(p[0]);
			while (getppid() != 1)
				usleep(1000);
			printf("orphan: getppid %d\n", getppid());
			write(p[1], "x", 1);
			_exit(3);
		}
		_exit(0);
	}
	waitpid(k, &st, 0);
	close(p[1]);
	read(p[0], &c, 1);
	siginfo_t ci = { 0 };
	waitid(P_ALL, 0, &ci, WEXITED);
	printf("init: reaped orphan pid %d status %d\n", ci.si_pid, ci.si_status);

	/* a signal from outside the namespace */
	write(gate[1], "r", 1);
	sigwaitinfo(&set, &si);
	printf("init: SIGUSR2 from pid %d\n", si.si_pid);

	/* a sleeper that dies with its init: the parent sees its pipe end close */
	if (fork() == 0) {
		for (;;)
			pause();
	}
	return 5;
}

static void
clone_case(void)
{
	static char stack[256 * 1024];
	int gate[2], sleeper[2];
	char c;

	pipe(gate);
	pipe(sleeper);
	pid_t p = clone(init_main, stack + sizeof(stack), CLONE_NEWPID | SIGCHLD, gate);
	if (p < 0) {
		printf("clone(CLONE_NEWPID): -1 %s\n", en(errno));
		return;
	}
	close(gate[1]);
	read(gate[0], &c, 1);
	YN("parent: child's pid is not 1", p != 1);
	int kr = kill(p, SIGUSR2);
	siginfo_t si = { 0 };
	int wr = waitid(P_PID, p, &si, WEXITED);
	printf("parent: kill(child, SIGUSR2) %d, waitid %d\n", kr, wr);
	YN("parent: waitid si_pid is the child", si.si_pid == p);
	printf("parent: init's status %d\n", si.si_status);
	close(sleeper[1]);
	R("parent: the sleeper's pipe end closed (read)", read(sleeper[0], &c, 1));
}

/* unshare(CLONE_NEWPID): later children only; the first is init; after it, ENOMEM. */
static void
unshare_case(void)
{
	char l1[64], l2[64], l3[64];
	pid_t me = getpid();

	link_of("/proc/self/ns/pid", l1, sizeof(l1));
	link_of("/proc/self/ns/pid_for_children", l2, sizeof(l2));
	YN("pid and pid_for_children agree", !strcmp(l1, l2));
	R("unshare(CLONE_NEWPID)", unshare(CLONE_NEWPID));
	R("unshare(CLONE_NEWPID) again", unshare(CLONE_NEWPID));
	YN("getpid unchanged", getpid() == me);
	link_of("/proc/self/ns/pid", l3, sizeof(l3));
	YN("ns/pid unchanged", !strcmp(l1, l3));
	/* (no link before the namespace has its init) */
	R("readlink ns/pid_for_children before a child", readlink("/proc/self/ns/pid_for_children", l3, sizeof(l3)));
	int fd = open("/proc/self/ns/pid", O_RDONLY);
	int gate[2];
	pipe(gate);
	pid_t k = fork();
	if (k == 0) {
		char c;
		close(gate[1]);
		read(gate[0], &c, 1);
		printf("first child: getpid %d getppid %d\n", getpid(), getppid());
		R("first child: setns to the parent's pid namespace", setns(fd, CLONE_NEWPID));
		int fdc = open("/proc/self/ns/pid", O_RDONLY);
		R("first child: setns to its own", setns(fdc, CLONE_NEWPID));
		_exit(0);
	}
	close(gate[0]);
	link_of("/proc/self/ns/pid_for_children", l3, sizeof(l3));
	YN("ns/pid_for_children changed", strcmp(l2, l3) != 0);
	char l4[64];
	snprintf(l1, sizeof(l1), "/proc/%d/ns/pid", k);
	link_of(l1, l4, sizeof(l4));
	YN("the child's ns/pid is the new one", !strcmp(l4, l3));
	close(gate[1]);
	printf("first child status %d\n", WEXITSTATUS(wait_status(k)));
	errno = 0;
	k = fork();
	if (k == 0)
		_exit(0);
	printf("fork after init died: %d %s\n", k < 0 ? -1 : 0, k < 0 ? en(errno) : "");
	if (k > 0)
		wait_status(k);
	R("setns back to the old pid namespace", setns(fd, CLONE_NEWPID));
	k = fork();
	if (k == 0)
		_exit(getpid() == 1);
	printf("fork after setns back: pid 1 %d\n", WEXITSTATUS(wait_status(k)));
	close(fd);
}

/* Nesting: unshare and fork until refused. */
static void
depth_case(void)
{
	int p[2];
	pipe(p);
	pid_t k = fork();
	if (k == 0) {
		close(p[0]);
		for (int level = 1;; level++) {
			if (unshare(CLONE_NEWPID) < 0) {
				char buf[64];
				int n = snprintf(buf, sizeof(buf), "%d %s", level, en(errno));
				write(p[1], buf, n);
				_exit(0);
			}
			pid_t c = fork();
			if (c < 0)
				_exit(1);
			if (c > 0)
				_exit(WEXITSTATUS(wait_status(c)));
		}
	}
	close(p[1]);
	char buf[64] = { 0 };
	read(p[0], buf, sizeof(buf) - 1);
	wait_status(k);
	printf("nesting refused at level %s\n", buf);
}

/* PIDFD_GET_INFO from inside another pid namespace about a task outside it: EREMOTE. */
static void
pidfd_remote_case(void)
{
	int pidfd = -1;
	struct clone_args ca = { .flags = CLONE_PIDFD, .pidfd = (unsigned long)&pidfd,
				 .exit_signal = SIGCHLD };
	long k = syscall(SYS_clone3, &ca, sizeof(ca));
	if (k == 0)
		_exit(3);
	wait_status((pid_t)k);
	struct { unsigned long long mask; char rest[120]; } info = { .mask = 1ULL << 3 };
	R("pidfd info in the same namespace", ioctl(pidfd, _IOWR(0xFF, 11, char[64]), &info));
	pid_t c = (pid_t)syscall(SYS_clone, CLONE_NEWPID | SIGCHLD, 0, 0, 0, 0);
	if (c == 0) {
		info.mask = 1ULL << 3;
		R("pidfd info from a child pid namespace", ioctl(pidfd, _IOWR(0xFF, 11, char[64]), &info));
		_exit(0);
	}
	wait_status(c);
	close(pidfd);
}

int
main(void)
{
	cf_init();
	setvbuf(stdout, NULL, _IONBF, 0);
	if (geteuid() != 0) {
		printf("not root: nothing to check\n");
		return 0;
	}
	clone_case();
	pid_t k = fork();
	if (k == 0) {
		unshare_case();
		_exit(0);
	}
	wait_status(k);
	depth_case();
	pidfd_remote_case();
	return 0;
}
