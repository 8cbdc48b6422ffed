/*
 * A traced process whose tracer is not its parent: its death is first the tracer's; the
 * real parent gets no SIGCHLD and finds nothing to wait for until the tracer has
 * collected it, and then gets its exit signal (Linux wait_task_zombie: ptrace_reparented,
 * do_notify_parent). A parent that waits as dash's `wait` does (WNOHANG, then sigsuspend
 * until a SIGCHLD) hung for ever when the SIGCHLD came at the death, before the zombie was
 * its to take (strace -DD's test). Also: a tracer that ends while its tracee is in the
 * exit stop lets it go, and the parent collects it.
 */
#include "cf.h"
#include <signal.h>
#include <stdbool.h>
#include <sys/ptrace.h>
#include <sys/wait.h>

static int
sigchld_pending(void)
{
	sigset_t s;
	sigpending(&s);
	return sigismember(&s, SIGCHLD);
}

/* tracer: seizes c, passes its signal stops on; tells the parent on out ('s' seized, 'd'
 * the signal passed, 'e' its exit stop), waits for a byte on in, then collects it ('k':
 * killed by SIGTERM) or, with exit_stop, ends without collecting it. */
static void
tracer(pid_t c, int in, int out, bool exit_stop)
{
	int st;
	char b;
	if (ptrace(PTRACE_SEIZE, c, 0, exit_stop ? PTRACE_O_TRACEEXIT : 0) < 0)
		_exit(1);
	write(out, "s", 1);
	for (;;) {
		if (waitpid(c, &st, __WALL) != c)
			_exit(2);
		if (WIFSTOPPED(st) && st >> 16 == PTRACE_EVENT_EXIT) {
			write(out, "e", 1);
			read(in, &b, 1);
			_exit(0);
		}
		if (WIFSTOPPED(st)) {
			ptrace(PTRACE_CONT, c, 0, WSTOPSIG(st));
			if (!exit_stop) {
				write(out, "d", 1);
				read(in, &b, 1);
			}
			continue;
		}
		write(out, WIFSIGNALED(st) && WTERMSIG(st) == SIGTERM ? "k" : "?", 1);
		pause();
	}
}

static void
run(bool exit_stop)
{
	sigset_t ch, old;
	int up[2], down[2], st;
	char b = 0;

	printf("%s:\n", exit_stop ? "the tracer ends in the exit stop" : "the tracer collects it");
	sigemptyset(&ch);
	sigaddset(&ch, SIGCHLD);
	sigprocmask(SIG_BLOCK, &ch, &old);
	pipe(up);
	pipe(down);
	fflush(stdout);
	pid_t c = fork();
	if (c == 0) {
		sigprocmask(SIG_SETMASK, &old, NULL);
		for (;;)
			pause();
	}
	pid_t t = fork();
	if (t == 0)
		tracer(c, down[0], up[1], exit_stop);
	read(up[0], &b, 1);
	printf("  seized: %c\n", b);
	kill(c, SIGTERM);
	read(up[0], &b, 1);
	printf("  tracer: %c\n", b);
	usleep(200000); /* (the tracee dies meanwhile, or waits in its exit stop) */
	printf("  SIGCHLD pending before the tracer is done: %d\n", sigchld_pending());
	printf("  parent's WNOHANG wait then: %s\n", waitpid(c, &st, WNOHANG) == 0 ? "nothing" : "?");
	write(down[1], "g", 1);
	if (exit_stop) {
		waitpid(t, &st, 0);
		cf_show_wait("  tracer", st);
	} else {
		read(up[0], &b, 1);
		printf("  tracer collected it: %c\n", b);
	}
	/* the SIGCHLD for the parent now (a wait without WNOHANG would hang, were it lost) */
	struct timespec tmo = { 5, 0 };
	siginfo_t si;
	int sig = sigtimedwait(&ch, &si, &tmo);
	printf("  then a SIGCHLD: %d, for the child: %d\n", sig == SIGCHLD, sig == SIGCHLD &&
	       (si.si_pid == c || si.si_pid == t));
	pid_t w = waitpid(c, &st, WNOHANG);
	for (int i = 0; w == 0 && i < 50; i++) { /* (exit_stop: the tracee may still be going) */
		usleep(100000);
		w = waitpid(c, &st, WNOHANG);
	}
	printf("  parent's wait: %s\n", w == c ? "the child" : "nothing");
	if (w == c)
		cf_show_wait("  status", st);
	if (!exit_stop) {
		kill(t, SIGKILL);
		waitpid(t, NULL, 0);
	}
	if (w != c) {
		kill(c, SIGKILL);
		waitpid(c, NULL, 0);
	}
	close(up[0]);
	close(up[1]);
	close(down[0]);
	close(down[1]);
	sigtimedwait(&ch, &si, &(struct timespec){ 0, 0 });
	sigprocmask(SIG_SETMASK, &old, NULL);
}

int
main(void)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	run(false);
	run(true);
	return 0;
}
