/* A process group that becomes orphaned (no member has a parent in another group of the
 * same session) while a member is stopped gets SIGHUP then SIGCONT, so it is not left
 * stopped with nobody to continue it (Linux kill_orphaned_pgrp): when the parent of a
 * group's member dies (child's group), or when the dying process was the group's own tie
 * (own group). A group still tied to its session stays stopped. A subreaper (us) collects
 * the stopped process in every case. */
#include "cf.h"
#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>

/* Forks the process that stops, waits until it has, sends its pid on fd w, and exits. */
static void
stop_one_and_exit(int w)
{
	pid_t c = fork();

	if (c == 0) {
		raise(SIGSTOP);
		_exit(0);
	}
	for (int i = 0; i < 100000 && cf_proc_state(c) != 'T'; i++)
		usleep(1000);
	if (write(w, &c, sizeof(c)) != sizeof(c))
		_exit(1);
	_exit(0);
}

/* how: 0 child's group, 1 own group, 2 still tied */
static void
run(const char *label, int how)
{
	int p[2], st;
	pid_t c = -1;

	if (pipe(p) < 0)
		return;
	pid_t mid = fork();
	if (mid == 0) {
		if (how != 2)
			setsid(); /* a session of its own: the subreaper is outside it */
		if (how == 1) {
			pid_t q = fork();
			if (q == 0) {
				setpgid(0, 0); /* its group, whose tie to the session it is */
				stop_one_and_exit(p[1]);
			}
			waitpid(q, &st, 0);
			_exit(0);
		}
		pid_t k = fork();
		if (k == 0) {
			setpgid(0, 0); /* a group of its own: its parent is its tie */
			raise(SIGSTOP);
			_exit(0);
		}
		for (int i = 0; i < 100000 && cf_proc_state(k) != 'T'; i++)
			usleep(1000);
		if (write(p[1], &k, sizeof(k)) != sizeof(k))
			_exit(1);
		_exit(0);
	}
	close(p[1]);
	if (read(p[0], &c, sizeof(c)) != sizeof(c)) {
		printf("%s: no pid\n", label);
		return;
	}
	close(p[0]);
	waitpid(mid, &st, 0);
	for (;;) {
		pid_t w = waitpid(c, &st, WUNTRACED | WCONTINUED);
		if (w != c) {
			printf("%s: waitpid %s\n", label, en(errno));
			return;
		}
		if (WIFCONTINUED(st))
			continue;
		if (WIFSTOPPED(st)) {
			printf("%s: stopped by signal %d\n", label, WSTOPSIG(st));
			kill(c, SIGKILL);
			continue;
		}
		if (WIFSIGNALED(st))
			printf("%s: killed by signal %d\n", label, WTERMSIG(st));
		else
			printf("%s: exit %d\n", label, WEXITSTATUS(st));
		return;
	}
}

int
main(void)
{
	cf_init();
	R("subreaper", prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0));
	run("child's group", 0);
	run("own group", 1);
	run("still tied", 2);
	return 0;
}
