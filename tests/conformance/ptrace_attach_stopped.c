/*
 * PTRACE_ATTACH to a process already in a group stop: the tracer sees a stop at once (a
 * group stop: PTRACE_GETSIGINFO is EINVAL), and after PTRACE_DETACH the process stays
 * stopped, without a new report, until SIGCONT. PTRACE_SEIZE of a stopped process: a
 * PTRACE_EVENT_STOP at once; a SIGCONT while it is held there makes it trap once more
 * (PTRACE_EVENT_STOP with SIGTRAP) when resumed, or at once for PTRACE_LISTEN (strace -p
 * of a stopped process), then the SIGCONT is reported. Then LTP ptrace08's pattern, many
 * times:
 * attach to a child stopped by its own SIGSTOP, detach without waiting for the attach
 * stop, SIGCONT at once: wait without WUNTRACED sees only its exit (the sandbox let the
 * SIGCONT stop it once more for the gone tracer when the detach was not yet run: seen
 * under load only).
 */
#include "cf.h"
#include <signal.h>
#include <stdbool.h>
#include <stddef.h>
#include <sys/ptrace.h>
#include <sys/user.h>
#include <sys/wait.h>

static void
status(const char *label, pid_t p, int flags)
{
	int st = 0;
	pid_t r = waitpid(p, &st, flags);

	if (r < 0)
		printf("%s: -1 %s\n", label, en(errno));
	else if (r == 0)
		printf("%s: nothing\n", label);
	else if (WIFSTOPPED(st))
		printf("%s: stopped by %s, event %d\n", label, sigabbrev_np(WSTOPSIG(st)), st >> 16);
	else if (WIFCONTINUED(st))
		printf("%s: continued\n", label);
	else if (WIFSIGNALED(st))
		printf("%s: killed by %s\n", label, sigabbrev_np(WTERMSIG(st)));
	else
		printf("%s: exit %d\n", label, WEXITSTATUS(st));
}

static void
run(bool seize)
{
	siginfo_t si;
	pid_t p = fork();

	if (p == 0) {
		for (;;)
			pause();
	}
	printf("-- %s\n", seize ? "PTRACE_SEIZE" : "PTRACE_ATTACH");
	kill(p, SIGSTOP);
	status("stopped", p, WUNTRACED);
	OK("attach", seize ? ptrace(PTRACE_SEIZE, p, 0, 0) : ptrace(PTRACE_ATTACH, p, 0, 0));
	status("tracer's wait", p, 0);
	OK("PTRACE_SETOPTIONS (needs a stop)", ptrace(PTRACE_SETOPTIONS, p, 0, 0));
	OK("PTRACE_GETSIGINFO", ptrace(PTRACE_GETSIGINFO, p, 0, &si));
	OK("detach", ptrace(PTRACE_DETACH, p, 0, 0));
	status("after detach", p, WUNTRACED | WNOHANG);
	kill(p, SIGCONT);
	status("after SIGCONT", p, WCONTINUED);
	kill(p, SIGKILL);
	status("end", p, 0);
}

/* A seized, stopped process gets SIGCONT while held in its group stop; the tracer then
 * resumes it (or, as strace does, asks PTRACE_LISTEN, which re-traps it at once). */
static void
seize_cont(bool listen)
{
	pid_t p = fork();

	if (p == 0) {
		pause();
		_exit(3);
	}
	printf("-- PTRACE_SEIZE, SIGCONT, %s\n", listen ? "PTRACE_LISTEN" : "PTRACE_CONT");
	kill(p, SIGSTOP);
	status("stopped", p, WUNTRACED);
	OK("seize", ptrace(PTRACE_SEIZE, p, 0, 0));
	status("tracer's wait", p, 0);
	kill(p, SIGCONT);
	OK("resume", ptrace(listen ? PTRACE_LISTEN : PTRACE_CONT, p, 0, 0));
	status("next", p, 0);
	OK("cont", ptrace(PTRACE_CONT, p, 0, 0));
	status("then", p, 0);
	kill(p, SIGKILL);
	status("end", p, 0);
}

/* The number of rounds whose wait() saw anything but the child's exit 0. */
static int
detach_then_cont(int rounds)
{
	int bad = 0;

	for (int i = 0; i < rounds; i++) {
		int st;
		pid_t p = fork();

		if (p == 0) {
			raise(SIGSTOP);
			_exit(0);
		}
		waitpid(p, &st, WUNTRACED);
		ptrace(PTRACE_ATTACH, p, 0, 0);
		/* as ptrace08: a breakpoint armed at address 1, then a kernel address refused */
		ptrace(PTRACE_POKEUSER, p, offsetof(struct user, u_debugreg[0]), 1);
		ptrace(PTRACE_POKEUSER, p, offsetof(struct user, u_debugreg[7]), 1);
		ptrace(PTRACE_POKEUSER, p, offsetof(struct user, u_debugreg[0]), ~0UL);
		ptrace(PTRACE_DETACH, p, 0, 0);
		kill(p, SIGCONT);
		if (wait(&st) != p || !WIFEXITED(st) || WEXITSTATUS(st)) {
			bad++;
			kill(p, SIGKILL);
			waitpid(p, &st, 0);
		}
	}
	return bad;
}

int
main(void)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	run(false);
	run(true);
	seize_cont(false);
	seize_cont(true);
	printf("detach, SIGCONT, wait: %d of 200 rounds saw more than the exit\n",
	       detach_then_cont(200));
	return 0;
}
