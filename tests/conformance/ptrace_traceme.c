/* PTRACE_TRACEME: signal-delivery stops (seen first, suppressed or changed by the tracer),
 * the SIGTRAP after execve, wait statuses, TracerPid, getppid unchanged. */
#include "cf.h"
#include <signal.h>
#include <sys/ptrace.h>
#include <sys/wait.h>

static volatile int got;

static void
on_sig(int sig)
{
	got = sig;
}

static int
tracer_pid(pid_t pid)
{
	char path[64], line[256];
	int tp = -1;
	snprintf(path, sizeof(path), "/proc/%d/status", pid);
	FILE *f = fopen(path, "r");
	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "TracerPid: %d", &tp) == 1)
			break;
	fclose(f);
	return tp;
}

int
main(int argc, char **argv)
{
	if (argc > 1) {
		/* the exec'd image: still traced */
		printf("child after exec: tracer is parent: %s\n",
		       tracer_pid(getpid()) == getppid() ? "yes" : "no");
		fflush(stdout);
		return 3;
	}
	setvbuf(stdout, NULL, _IONBF, 0);
	pid_t me = getpid();
	pid_t pid = fork();
	if (pid == 0) {
		signal(SIGUSR1, on_sig);
		signal(SIGUSR2, on_sig);
		R("child traceme", ptrace(PTRACE_TRACEME, 0, 0, 0));
		R("child traceme again", ptrace(PTRACE_TRACEME, 0, 0, 0));
		printf("child getppid unchanged: %s\n", getppid() == me ? "yes" : "no");
		raise(SIGUSR1);
		printf("child after SIGUSR1 (suppressed): got %d\n", got);
		raise(SIGUSR1);
		printf("child after SIGUSR1 (changed): got %s\n", got ? sigabbrev_np(got) : "0");
		raise(SIGUSR2);
		printf("child after SIGUSR2 (kept): got %s\n", got ? sigabbrev_np(got) : "0");
		signal(SIGCHLD, SIG_IGN);
		raise(SIGCHLD); /* ignored, but a tracer sees it */
		execl("/proc/self/exe", argv[0], "exec", (char *)NULL);
		_exit(99);
	}
	int st;
	siginfo_t si;
	R("wait 1", waitpid(pid, &st, 0) == pid);
	cf_show_wait("stop 1", st);
	R("tracer pid while stopped", tracer_pid(pid) == me);
	R("getsiginfo", ptrace(PTRACE_GETSIGINFO, pid, 0, &si));
	printf("siginfo: %s code %s pid is child %s\n", sigabbrev_np(si.si_signo),
	       si.si_code == SI_TKILL ? "SI_TKILL" : si.si_code == SI_USER ? "SI_USER" : "other",
	       si.si_pid == pid ? "yes" : "no");
	R("wnohang while stopped and reported", waitpid(pid, &st, WNOHANG));
	long c = ptrace(PTRACE_CONT, pid, 0, 0);
	R("wait 2", waitpid(pid, &st, 0) == pid);
	R("cont suppressing", c);
	cf_show_wait("stop 2", st);
	c = ptrace(PTRACE_CONT, pid, 0, SIGUSR2);
	R("wait 3", waitpid(pid, &st, 0) == pid);
	R("cont with SIGUSR2 instead", c);
	cf_show_wait("stop 3", st);
	R("bad signal", ptrace(PTRACE_CONT, pid, 0, 100));
	c = ptrace(PTRACE_CONT, pid, 0, SIGUSR2);
	R("wait 4", waitpid(pid, &st, 0) == pid);
	R("cont keeping", c);
	cf_show_wait("stop 4 (ignored SIGCHLD)", st);
	R("cont", ptrace(PTRACE_CONT, pid, 0, SIGCHLD));
	R("wait 5", waitpid(pid, &st, 0) == pid);
	cf_show_wait("stop 5 (exec)", st);
	R("getsiginfo exec", ptrace(PTRACE_GETSIGINFO, pid, 0, &si));
	printf("exec siginfo: %s code %s\n", sigabbrev_np(si.si_signo),
	       si.si_code == SI_USER ? "SI_USER" : "other");
	c = ptrace(PTRACE_CONT, pid, 0, 0);
	R("wait 6", waitpid(pid, &st, 0) == pid);
	R("cont", c);
	cf_show_wait("end", st);
	R("no more children", waitpid(-1, &st, 0));
	R("ptrace on a non-tracee", ptrace(PTRACE_CONT, me, 0, 0));
	R("attach to self", ptrace(PTRACE_ATTACH, me, 0, 0));
	R("attach to nobody", ptrace(PTRACE_ATTACH, 999999, 0, 0));
	return 0;
}
