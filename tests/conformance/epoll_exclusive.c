/* EPOLLEXCLUSIVE: four processes, each with its own epoll watching one pipe exclusively,
 * all asleep in epoll_wait: one write wakes exactly one of them (the others time out),
 * edge- or level-triggered. Data already there when the items are added is ready in every
 * epoll. */
#include "cf.h"
#include <stdbool.h>
#include <sys/epoll.h>
#include <sys/wait.h>

#define N 4

static void
run(const char *name, unsigned extra, bool prefill)
{
	int p[2], res[2];
	pid_t pids[N];

	pipe(p);
	pipe(res);
	if (prefill)
		write(p[1], "x", 1);
	for (int i = 0; i < N; i++) {
		pids[i] = fork();
		if (pids[i] == 0) {
			int e = epoll_create1(0);
			struct epoll_event ev = { .events = EPOLLIN | EPOLLEXCLUSIVE | extra };
			if (epoll_ctl(e, EPOLL_CTL_ADD, p[0], &ev) < 0)
				_exit(3);
			char r = '0' + (char)epoll_wait(e, &ev, 1, 1500);
			write(res[1], &r, 1);
			_exit(0);
		}
	}
	if (!prefill) {
		for (int i = 0; i < N; i++)
			while (cf_proc_state(pids[i]) != 'S')
				usleep(1000);
		write(p[1], "x", 1);
	}
	int ones = 0, zeros = 0;
	for (int i = 0; i < N; i++) {
		char r = '?';
		read(res[0], &r, 1);
		ones += r == '1';
		zeros += r == '0';
	}
	for (int i = 0; i < N; i++)
		waitpid(pids[i], NULL, 0);
	printf("%s: %d woken, %d timed out\n", name, ones, zeros);
	close(p[0]);
	close(p[1]);
	close(res[0]);
	close(res[1]);
}

int
main(void)
{
	setvbuf(stdout, NULL, _IONBF, 0);
	run("edge-triggered", EPOLLET, false);
	run("level-triggered", 0, false);
	run("data before the add", EPOLLET, true);

	int e = epoll_create1(0), q[2];
	pipe(q);
	struct epoll_event ev = { .events = EPOLLIN | EPOLLEXCLUSIVE };
	OK("add exclusive", epoll_ctl(e, EPOLL_CTL_ADD, q[0], &ev));
	OK("mod exclusive", epoll_ctl(e, EPOLL_CTL_MOD, q[0], &ev));
	ev.events = EPOLLIN | EPOLLEXCLUSIVE | EPOLLONESHOT;
	OK("exclusive with oneshot", epoll_ctl(e, EPOLL_CTL_ADD, q[1], &ev));
	return 0;
}
