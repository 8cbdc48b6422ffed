/* A signal sent to a process as it goes to sleep in epoll_wait on a signalfd ends the sleep
 * for its handler (PostgreSQL's latch: a SIGTERM handler that sets a flag and raises SIGURG,
 * which a signalfd in the epoll set reports). Each child is sent SIGTERM once it has set
 * up its handler, so the signal meets it on its way to the wait or in it; every child must
 * end through its handler. (The sentry once held such a signal while it looked at the signalfd and let
 * the wait go on: the child slept for ever, as PostgreSQL's autovacuum launcher did at a
 * fast shutdown.) */
#include <signal.h>
#include <sys/epoll.h>
#include <sys/signalfd.h>
#include <sys/wait.h>

#include "cf.h"

#define CHILDREN 300

static volatile sig_atomic_t flag, waiting;
static int ready[2];

static void
on_term(int sig)
{
	(void)sig;
	flag = 1;
	if (waiting)
		kill(getpid(), SIGURG);
}

static void
child(void)
{
	sigset_t urg;
	struct epoll_event ev = { .events = EPOLLIN };
	struct sigaction sa = { .sa_handler = on_term, .sa_flags = SA_RESTART };
	struct signalfd_siginfo si;

	sigemptyset(&urg);
	sigaddset(&urg, SIGURG);
	sigprocmask(SIG_BLOCK, &urg, NULL);
	int sfd = signalfd(-1, &urg, SFD_NONBLOCK | SFD_CLOEXEC);
	int ep = epoll_create1(EPOLL_CLOEXEC);
	if (sfd < 0 || ep < 0 || epoll_ctl(ep, EPOLL_CTL_ADD, sfd, &ev) < 0)
		_exit(2);
	sigaction(SIGTERM, &sa, NULL);
	if (write(ready[1], "r", 1) != 1)
		_exit(2);
	for (;;) {
		waiting = 1;
		if (flag)
			_exit(0);
		int n = epoll_wait(ep, &ev, 1, -1);
		waiting = 0;
		if (n > 0)
			while (read(sfd, &si, sizeof(si)) > 0)
				;
	}
}

int
main(void)
{
	int by_handler = 0, other = 0;
	char c;

	setvbuf(stdout, NULL, _IOLBF, 0);
	if (pipe(ready) < 0)
		return 1;
	for (int i = 0; i < CHILDREN; i++) {
		int st;
		pid_t p = fork();

		if (p == 0)
			child();
		if (read(ready[0], &c, 1) != 1)
			return 1;
		kill(p, SIGTERM);
		if (waitpid(p, &st, 0) != p)
			other++;
		else if (WIFEXITED(st) && WEXITSTATUS(st) == 0)
			by_handler++;
		else
			other++;
	}
	printf("children ended by their handler: %d of %d\n", by_handler, CHILDREN);
	printf("other ends: %d\n", other);
	return 0;
}
