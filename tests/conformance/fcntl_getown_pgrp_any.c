/*
 * F_GETOWN returns a process group owner as minus its id, whatever the id: in a new pid
 * namespace (as root) ns_last_pid makes the next child 100001...100005 in turn, which
 * leads a group that owns a pipe; minus its id must come back as such (the sentry's
 * internal results are -100001...-100005).
 */
#include "cf.h"
#include <sched.h>
#include <signal.h>
#include <sys/wait.h>

static int
owner_test(void)
{
	int p[2];

	setpgid(0, 0);
	if (pipe(p) < 0 || fcntl(p[0], F_SETOWN, -getpid()) < 0)
		return 3;
	long r = syscall(SYS_fcntl, p[0], F_GETOWN, 0);
	return r == -getpid() ? 0 : 4;
}

/* Child number v of the namespace (ns_last_pid v - 1) leads group v, which owns a pipe. */
static int
owner_child(int v)
{
	char last[16];
	int fd = open("/proc/sys/kernel/ns_last_pid", O_WRONLY);
	int n = snprintf(last, sizeof(last), "%d", v - 1);

	if (fd < 0 || write(fd, last, n) != n)
		return 2;
	close(fd);
	pid_t c = fork();
	if (c == 0)
		_exit(getpid() == v ? owner_test() : 5);
	int st = 0;
	waitpid(c, &st, 0);
	return WIFEXITED(st) ? WEXITSTATUS(st) : 6;
}

/* The groups 100001...100005: each result as a digit (0 = right). */
static int
ns_init(void)
{
	for (int v = 100001; v <= 100005; v++)
		printf("F_GETOWN of group %d (0 = right): %d\n", v, owner_child(v));
	return 0;
}

int
main(void)
{
	int st = 0;

	setvbuf(stdout, NULL, _IOLBF, 0);
	pid_t pid = (pid_t)syscall(SYS_clone, CLONE_NEWPID | SIGCHLD, 0, 0, 0, 0);
	if (pid == 0)
		_exit(ns_init());
	if (pid < 0) {
		printf("clone(CLONE_NEWPID): %s\n", en(errno));
		return 0;
	}
	waitpid(pid, &st, 0);
	printf("namespace init: %d\n", WIFEXITED(st) ? WEXITSTATUS(st) : -1);
	return 0;
}
