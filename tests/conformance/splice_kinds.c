/*
 * splice between a pipe and files without splice methods (epoll, eventfd, timerfd,
 * signalfd, inotify): EINVAL at once, even with the pipe empty (no wait); with /dev/null
 * and a regular file it moves the data.
 */
#include <signal.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/inotify.h>
#include <sys/signalfd.h>
#include <sys/timerfd.h>

#include "cf.h"

int
main(void)
{
	int p[2], others[5];
	const char *names[5] = { "epoll", "eventfd", "timerfd", "signalfd", "inotify" };
	sigset_t ss;

	cf_init();
	sigemptyset(&ss);
	pipe(p);
	others[0] = epoll_create1(0);
	others[1] = eventfd(0, 0);
	others[2] = timerfd_create(CLOCK_MONOTONIC, 0);
	others[3] = signalfd(-1, &ss, 0);
	others[4] = inotify_init();
	for (int i = 0; i < 5; i++) {
		char label[64];
		snprintf(label, sizeof(label), "pipe -> %s", names[i]);
		R(label, splice(p[0], NULL, others[i], NULL, 1, 0));
		snprintf(label, sizeof(label), "%s -> pipe", names[i]);
		R(label, splice(others[i], NULL, p[1], NULL, 1, 0));
	}
	write(p[1], "abc", 3);
	int n = open("/dev/null", O_WRONLY);
	R("pipe -> /dev/null", splice(p[0], NULL, n, NULL, 2, 0));
	int f = open("f", O_RDWR | O_CREAT, 0644);
	R("pipe -> file", splice(p[0], NULL, f, NULL, 1, 0));
	return 0;
}
