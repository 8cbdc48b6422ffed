/* PTRACE_ATTACH to a process blocked in a call the kernel runs (wait4 here): the attach's
 * SIGSTOP interrupts the call, the tracer's waitpid sees the stop, and after the detach the
 * call goes on and completes. Then the debug registers through PEEKUSER / POKEUSER, and a
 * wait of the former tracer right after the detach (ECHILD: it has no child). */
#include "cf.h"
#include <signal.h>
#include <stddef.h>
#include <sys/ptrace.h>
#include <sys/user.h>
#include <sys/wait.h>

static void
debugregs(pid_t pid)
{
	size_t dr = offsetof(struct user, u_debugreg);
	static const struct { int n; unsigned long v; } pokes[] = {
		{ 0, 1 }, { 0, 2 }, { 1, 0x1000 }, { 3, 0x7fff0000 }, { 4, 0 }, { 5, 0 },
		{ 6, 0 }, { 7, 0 }, { 0, 0xffffffff81000000UL },
	};
	for (size_t i = 0; i < sizeof(pokes) / sizeof(pokes[0]); i++) {
		char label[64];
		snprintf(label, sizeof(label), "poke dr%d %#lx", pokes[i].n, pokes[i].v);
		OK(label, ptrace(PTRACE_POKEUSER, pid, (void *)(dr + 8 * pokes[i].n),
				 (void *)pokes[i].v));
	}
	for (int n = 0; n < 8; n++) {
		errno = 0;
		long v = ptrace(PTRACE_PEEKUSER, pid, (void *)(dr + 8 * n), NULL);
		printf("peek dr%d: %#lx %s\n", n, v, errno ? en(errno) : "");
	}
	OK("poke dr0 0", ptrace(PTRACE_POKEUSER, pid, (void *)dr, NULL));
	OK("poke dr1 0", ptrace(PTRACE_POKEUSER, pid, (void *)(dr + 8), NULL));
	OK("poke dr3 0", ptrace(PTRACE_POKEUSER, pid, (void *)(dr + 24), NULL));
}

int
main(void)
{
	setvbuf(stdout, NULL, _IONBF, 0);
	pid_t parent = getpid();
	int st;

	pid_t tracer = fork();
	if (tracer == 0) {
		/* the parent blocks in its waitpid for this very child */
		while (cf_proc_state(parent) != 'S')
			usleep(1000);
		OK("attach", ptrace(PTRACE_ATTACH, parent, NULL, NULL));
		pid_t w = waitpid(parent, &st, 0);
		printf("wait: %s stopped %d sig %s\n", w == parent ? "parent" : "other",
		       WIFSTOPPED(st), WIFSTOPPED(st) ? sigabbrev_np(WSTOPSIG(st)) : "-");
		debugregs(parent);
		OK("detach", ptrace(PTRACE_DETACH, parent, NULL, NULL));
		/* no child, and the former tracee (not a child) counts no more */
		OK("wait after the detach", waitpid(-1, NULL, 0));
		_exit(7);
	}
	pid_t w = waitpid(tracer, &st, 0);
	printf("parent's wait: %s exited %d\n", w == tracer ? "tracer" : "other",
	       WIFEXITED(st) ? WEXITSTATUS(st) : -1);
	return 0;
}
