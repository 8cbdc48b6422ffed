/*
 * Signals pending at execve survive it (Linux keeps the queues: only handlers are reset).
 * A tracer holds its child at execve's entry and sends it SIGINT (default action, not
 * blocked), or SIGUSR1 blocked by the child, and lets the call go on: the new image stops
 * for SIGINT as it starts and, let go with it, dies of it; the blocked SIGUSR1 is still
 * pending in the new image, which says so. An unblocked signal the sandbox found queued
 * at execve was once lost: taking it from the old image stopped that image for it first.
 */
#include "cf.h"
#include <signal.h>
#include <stdbool.h>
#include <sys/ptrace.h>
#include <sys/user.h>
#include <sys/wait.h>

static void
child(bool block)
{
	sigset_t s;
	char *argv[] = { "/proc/self/exe", "image", NULL };

	sigemptyset(&s);
	if (block) {
		sigaddset(&s, SIGUSR1);
		sigprocmask(SIG_BLOCK, &s, NULL);
	}
	ptrace(PTRACE_TRACEME, 0, 0, 0);
	raise(SIGSTOP);
	execve(argv[0], argv, NULL);
	_exit(3);
}

/* The new image: what is pending, then a wait that only a signal ends. */
static int
image(void)
{
	sigset_t p;

	sigpending(&p);
	printf("  image: SIGUSR1 pending %d, SIGINT pending %d\n", sigismember(&p, SIGUSR1),
	       sigismember(&p, SIGINT));
	fflush(stdout);
	pause();
	return 5;
}

static void
run(int sig, bool block)
{
	int st;
	struct user_regs_struct regs;

	printf("%s%s:\n", strsignal(sig), block ? " (blocked)" : "");
	fflush(stdout);
	pid_t pid = fork();
	if (pid == 0)
		child(block);
	waitpid(pid, &st, 0);
	cf_show_wait("first", st);
	ptrace(PTRACE_SETOPTIONS, pid, 0, PTRACE_O_TRACESYSGOOD | PTRACE_O_TRACEEXEC);
	/* to execve's entry (other calls before it are let through) */
	for (;;) {
		ptrace(PTRACE_SYSCALL, pid, 0, 0);
		waitpid(pid, &st, 0);
		if (!WIFSTOPPED(st) || WSTOPSIG(st) != (SIGTRAP | 0x80))
			break;
		ptrace(PTRACE_GETREGS, pid, 0, &regs);
		if (regs.orig_rax == SYS_execve)
			break;
		ptrace(PTRACE_SYSCALL, pid, 0, 0); /* its exit stop */
		waitpid(pid, &st, 0);
	}
	printf("  at execve's entry: %d\n", WIFSTOPPED(st) && WSTOPSIG(st) == (SIGTRAP | 0x80));
	R("  kill", kill(pid, sig));
	/* on to the new image: the exec event, execve's exit, then whatever comes */
	for (int i = 0; i < 8; i++) {
		int pass = 0;
		ptrace(PTRACE_SYSCALL, pid, 0, 0);
		if (waitpid(pid, &st, 0) != pid)
			break;
		if (WIFSTOPPED(st) && st >> 16 == PTRACE_EVENT_EXEC) {
			printf("  exec event\n");
		} else if (WIFSTOPPED(st) && WSTOPSIG(st) == (SIGTRAP | 0x80)) {
			ptrace(PTRACE_GETREGS, pid, 0, &regs);
			if (regs.orig_rax != SYS_execve) /* the image's own calls: on to its end */
				break;
			printf("  execve's exit: %lld\n", (long long)regs.rax);
		} else if (WIFSTOPPED(st)) {
			printf("  signal stop: %s\n", strsignal(WSTOPSIG(st)));
			pass = WSTOPSIG(st);
			ptrace(PTRACE_CONT, pid, 0, pass);
			break;
		} else {
			break;
		}
	}
	/* the image's calls run untraced from here on (a detach would lose nothing) */
	if (WIFSTOPPED(st) && WSTOPSIG(st) == (SIGTRAP | 0x80))
		ptrace(PTRACE_DETACH, pid, 0, 0);
	/* a blocked signal leaves the image waiting (its line printed): it is killed after
	 * 0.1 s; an unblocked one ended it, else it is killed after 3 s */
	for (int ms = 0; waitpid(pid, &st, WNOHANG) == 0; ms++) {
		if (ms == (block ? 100 : 3000))
			kill(pid, SIGKILL);
		usleep(1000);
	}
	cf_show_wait("  end", st);
}

int
main(int argc, char **argv)
{
	if (argc > 1 && !strcmp(argv[1], "image"))
		return image();
	setvbuf(stdout, NULL, _IOLBF, 0);
	run(SIGINT, false);
	run(SIGUSR1, true);
	return 0;
}
