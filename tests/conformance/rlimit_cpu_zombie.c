/*
 * A child killed by its RLIMIT_CPU soft limit (SIGXCPU): while it is a zombie (waitid with
 * WNOWAIT), its process CPUCLOCK_PROF shows at least the limit: the clock the kernel
 * enforced the limit by (its precise CPUCLOCK_SCHED and its rusage are other roundings,
 * often below). Then it is reaped with SIGXCPU.
 */
#include "cf.h"
#include <signal.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>

int
main(void)
{
	setvbuf(stdout, NULL, _IONBF, 0);
	pid_t pid = fork();
	if (pid == 0) {
		struct rlimit core = { 0, 0 }, cpu = { 1, 3 };
		setrlimit(RLIMIT_CORE, &core);
		if (setrlimit(RLIMIT_CPU, &cpu) < 0)
			_exit(1);
		for (volatile unsigned long i = 0;; i++)
			;
	}
	siginfo_t si;
	OK("waitid WNOWAIT", waitid(P_PID, pid, &si, WEXITED | WNOWAIT));
	printf("code %s, signal %s\n", si.si_code == CLD_KILLED ? "CLD_KILLED" :
	       si.si_code == CLD_DUMPED ? "CLD_DUMPED" : "other", sigabbrev_np(si.si_status));
	clockid_t c, prof;
	struct timespec ts, sched;
	OK("clock id", clock_getcpuclockid(pid, &c));
	prof = (c & ~7) | 0; /* CPUCLOCK_PROF of the same pid */
	OK("clock_gettime", clock_gettime(prof, &ts));
	YN("prof clock at least the limit", ts.tv_sec >= 1);
	YN("and below the hard limit", ts.tv_sec < 3);
	OK("sched clock", clock_gettime(c, &sched));
	/* (the precise clock and the tick-sampled one part by a few ticks on a busy VM:
	 * natively two runs differed at a one-tick bound) */
	long long sched_ns = sched.tv_sec * 1000000000LL + sched.tv_nsec;
	long long prof_ns = ts.tv_sec * 1000000000LL + ts.tv_nsec;
	YN("sched clock at most prof + 0.1 s", sched_ns <= prof_ns + 100000000LL);
	int st;
	R("reaped", waitpid(pid, &st, 0) == pid);
	printf("status: %s %s\n", WIFSIGNALED(st) ? "signal" : "exit",
	       WIFSIGNALED(st) ? sigabbrev_np(WTERMSIG(st)) : "");
	return 0;
}
