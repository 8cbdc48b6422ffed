/*
 * `sandbox run --init`: the sandbox's first program is this binary again, run inside as
 * `sandbox __init -- PROGRAM ARGS...`, a small init in the manner of docker's --init: it
 * starts PROGRAM as its child (pid 2, in a process group of its own, the terminal's
 * foreground one when there is a terminal), passes on every signal it gets to it, reaps
 * every orphan the sandbox gives it, and ends as PROGRAM ended (its exit status, or killed
 * by the same signal). So PROGRAM is not pid 1: its children see a parent that is not the
 * init, orphans do not pile up as zombies under a program that never waits for them, and
 * signals without a handler act on it as on any process.
 *
 * It runs as a guest program, never in the sentry or the CLI.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <termios.h>
#include <unistd.h>

#include "sentry/sentry.h"

void
die_of_signal(int sig)
{
	struct rlimit none = { 0, 0 };
	sigset_t set;

	setrlimit(RLIMIT_CORE, &none);
	signal(sig, SIG_DFL);
	sigemptyset(&set);
	sigaddset(&set, sig);
	sigprocmask(SIG_UNBLOCK, &set, NULL);
	fflush(NULL);
	kill(getpid(), sig);
}

static void __attribute__((noreturn))
end_as(int status)
{
	if (WIFEXITED(status))
		exit(WEXITSTATUS(status));
	die_of_signal(WTERMSIG(status));
	exit(128 + WTERMSIG(status)); /* (a signal that does not kill by default) */
}

int
guest_init_main(int argc, char **argv)
{
	sigset_t all, old;
	int status = 0;

	if (argc < 4 || strcmp(argv[2], "--")) {
		fprintf(stderr, "sandbox: __init is run by `sandbox run --init` inside the sandbox\n");
		return EXIT_USAGE;
	}
	sigfillset(&all);
	sigprocmask(SIG_SETMASK, &all, &old);
	pid_t child = fork();
	if (child < 0) {
		fprintf(stderr, "sandbox init: fork: %s\n", strerror(errno));
		return EXIT_SETUP;
	}
	if (child == 0) {
		setpgid(0, 0);
		if (isatty(STDIN_FILENO))
			tcsetpgrp(STDIN_FILENO, getpid()); /* (SIGTTOU is blocked here) */
		sigprocmask(SIG_SETMASK, &old, NULL);
		execvp(argv[3], argv + 3);
		int e = errno;
		fprintf(stderr, "sandbox: %s: %s\n", argv[3], strerror(e));
		_exit(e == ENOENT ? EXIT_NOTFOUND : EXIT_NOEXEC);
	}
	for (;;) {
		siginfo_t si;
		int sig = sigwaitinfo(&all, &si);

		if (sig < 0)
			continue;
		if (sig != SIGCHLD) {
			kill(child, sig);
			continue;
		}
		pid_t p;
		bool done = false;
		while ((p = waitpid(-1, &status, WNOHANG)) > 0)
			if (p == child)
				done = true;
		if (done) {
			/* the orphans that are left go with the sandbox, as under docker's init */
			end_as(status);
		}
	}
}
