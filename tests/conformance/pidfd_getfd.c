/* pidfd_getfd (a close-on-exec duplicate of a child's descriptor; EBADF for a descriptor it
 * does not have or a non-pidfd, EINVAL for flags, EBADF once it exited) and setns through
 * a pidfd (flag checks, ESRCH for an exited child). Runs unprivileged too: what needs
 * privilege is printed only as a relation that holds either way. */
#include "cf.h"
#include <sched.h>
#include <signal.h>
#include <sys/wait.h>

static long
getfd(int pidfd, int fd, unsigned flags)
{
	return syscall(SYS_pidfd_getfd, pidfd, fd, flags);
}

int
main(void)
{
	int p[2], st;
	pipe(p);
	pid_t c = fork();
	if (c == 0) {
		pause();
		_exit(0);
	}
	int pidfd = (int)syscall(SYS_pidfd_open, c, 0);
	int child_rd = p[0];
	close(p[0]); /* ours is gone; the child still has it */
	int fd = FD("getfd of the child's pipe", getfd(pidfd, child_rd, 0));
	R("  close-on-exec", fcntl(fd, F_GETFD) & FD_CLOEXEC);
	write(p[1], "hi", 2);
	char buf[4] = { 0 };
	R("  reads the pipe", read(fd, buf, sizeof(buf)));
	close(fd);
	R("getfd not open there", getfd(pidfd, 666, 0));
	R("getfd negative fd", getfd(pidfd, -1, 0));
	R("getfd flags", getfd(pidfd, child_rd, 1));
	R("getfd of a pipe, not a pidfd", getfd(p[1], 0, 0));
	R("getfd bad fd", getfd(999, 0, 0));

	R("setns flags 0", setns(pidfd, 0));
	R("setns CLONE_VM", setns(pidfd, CLONE_VM));
	R("setns not a pidfd", setns(p[1], CLONE_NEWUTS));
	R("setns bad fd", setns(999, CLONE_NEWUTS));

	kill(c, SIGKILL);
	siginfo_t si;
	waitid(P_PID, c, &si, WEXITED | WNOWAIT);
	R("zombie: setns", setns(pidfd, CLONE_NEWUTS));
	R("zombie: getfd", getfd(pidfd, 0, 0));
	waitpid(c, &st, 0);
	R("reaped: setns", setns(pidfd, CLONE_NEWUTS));
	R("reaped: getfd", getfd(pidfd, 0, 0));
	return 0;
}
