/*
 * wait4 on a tracee's ptrace stop fills its rusage (Linux wait_task_stopped: the stopped
 * process's use so far, getrusage RUSAGE_BOTH): at least the CPU time the tracee itself
 * measured just before it stopped. strace -c computes each call's system time from these.
 * The tracee spins until its own clock says 20 ms, so no timing threshold decides.
 */
#include "cf.h"
#include <signal.h>
#include <sys/ptrace.h>
#include <sys/resource.h>
#include <sys/time.h>
#include <sys/wait.h>

static long
tv_us(const struct timeval *tv)
{
	return tv->tv_sec * 1000000L + tv->tv_usec;
}

int
main(void)
{
	int p[2], st;
	long seen = 0;
	struct rusage ru;

	setvbuf(stdout, NULL, _IONBF, 0);
	if (pipe(p) < 0)
		return 1;
	pid_t pid = fork();
	if (pid == 0) {
		struct rusage me;
		long used;
		ptrace(PTRACE_TRACEME, 0, 0, 0);
		do {
			for (volatile int i = 0; i < 100000; i++)
				;
			getrusage(RUSAGE_SELF, &me);
			used = tv_us(&me.ru_utime) + tv_us(&me.ru_stime);
		} while (used < 20000);
		write(p[1], &used, sizeof(used));
		raise(SIGSTOP);
		_exit(0);
	}
	read(p[0], &seen, sizeof(seen));
	memset(&ru, 0, sizeof(ru));
	YN("stop reported", wait4(pid, &st, 0, &ru) == pid && WIFSTOPPED(st) &&
	   WSTOPSIG(st) == SIGSTOP);
	YN("its rusage has the time it used", tv_us(&ru.ru_utime) + tv_us(&ru.ru_stime) >= seen);
	YN("and its peak RSS", ru.ru_maxrss > 0);
	OK("PTRACE_CONT", ptrace(PTRACE_CONT, pid, 0, 0));
	memset(&ru, 0, sizeof(ru));
	YN("exit reported", wait4(pid, &st, 0, &ru) == pid && WIFEXITED(st));
	YN("with the time it used", tv_us(&ru.ru_utime) + tv_us(&ru.ru_stime) >= seen);
	return 0;
}
