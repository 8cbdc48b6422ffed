/* process_mrelease(2): flags are EINVAL, a descriptor that is not a pidfd EBADF, a
 * process that is not dying EINVAL; once SIGKILL was sent, or after it ended and before
 * it is reaped, 0 (glibc misc/tst-process_mrelease; the sandbox had no such call). */
#include "cf.h"
#include <signal.h>
#include <sys/wait.h>

#ifndef __NR_process_mrelease
#define __NR_process_mrelease 448
#endif

int
main(void)
{
	R("bad fd", syscall(__NR_process_mrelease, -1, 0));
	R("not a pidfd", syscall(__NR_process_mrelease, 1, 0));
	pid_t c = fork();
	if (c == 0) {
		for (;;)
			pause();
	}
	int pfd = (int)syscall(SYS_pidfd_open, c, 0);
	R("flags", syscall(__NR_process_mrelease, pfd, 1));
	R("running", syscall(__NR_process_mrelease, pfd, 0));
	OK("pidfd_send_signal SIGKILL", syscall(SYS_pidfd_send_signal, pfd, SIGKILL, NULL, 0));
	long r = syscall(__NR_process_mrelease, pfd, 0);
	printf("killed: %s\n", r == 0 || errno == ESRCH ? "0 or ESRCH" : en(errno));
	siginfo_t si;
	OK("waitid WNOWAIT", waitid(P_PID, c, &si, WEXITED | WNOWAIT));
	R("ended, not reaped", syscall(__NR_process_mrelease, pfd, 0));
	waitpid(c, NULL, 0);
	R("reaped", syscall(__NR_process_mrelease, pfd, 0));
	return 0;
}
