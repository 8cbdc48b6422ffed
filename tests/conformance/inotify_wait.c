/* inotify readiness and blocking: a blocking read woken by another process's change,
 * poll/select/epoll readiness, a read interrupted by a signal, events from threads. */
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <sys/epoll.h>
#include <sys/inotify.h>
#include <sys/select.h>
#include <sys/wait.h>

#include "cf.h"

static void
on_alarm(int sig)
{
	(void)sig;
}

static void
later_create(const char *path, int usec)
{
	if (fork() == 0) {
		usleep(usec);
		close(open(path, O_CREAT | O_WRONLY, 0644));
		_exit(0);
	}
}

static void
show(const char *label, const char *buf, ssize_t n)
{
	const struct inotify_event *ev = (const void *)buf;

	if (n < 0) {
		printf("%s: -1 %s\n", label, en(errno));
		return;
	}
	printf("%s: %zd bytes, mask %#x name %s\n", label, n, ev->mask, ev->len ? ev->name : "-");
}

static void *
thread_fn(void *arg)
{
	cf_write_file("d/t", "t", 1);
	return arg;
}

int
main(void)
{
	char buf[4096] __attribute__((aligned(8)));
	struct pollfd p;
	fd_set rf;
	struct timeval tv = { 0, 0 };
	ssize_t n;

	cf_init();
	mkdir("d", 0755);
	int in = inotify_init();
	R("watch", inotify_add_watch(in, "d", IN_CREATE | IN_DELETE));

	p = (struct pollfd){ .fd = in, .events = POLLIN };
	R("poll empty", poll(&p, 1, 0));
	FD_ZERO(&rf);
	FD_SET(in, &rf);
	R("select empty", select(in + 1, &rf, NULL, NULL, &tv));

	later_create("d/a", 100000);
	n = read(in, buf, sizeof(buf)); /* blocks until the child creates d/a */
	show("blocking read", buf, n);
	wait(NULL);

	later_create("d/b", 100000);
	R("poll waits", poll(&p, 1, 5000));
	printf("revents: %#x\n", p.revents);
	wait(NULL);
	FD_ZERO(&rf);
	FD_SET(in, &rf);
	tv.tv_sec = 0;
	R("select ready", select(in + 1, &rf, NULL, NULL, &tv));
	n = read(in, buf, sizeof(buf));
	show("read after poll", buf, n);

	int ep = epoll_create1(0);
	struct epoll_event ev = { .events = EPOLLIN }, out;
	epoll_ctl(ep, EPOLL_CTL_ADD, in, &ev);
	R("epoll empty", epoll_wait(ep, &out, 1, 0));
	later_create("d/c", 100000);
	R("epoll waits", epoll_wait(ep, &out, 1, 5000));
	wait(NULL);
	n = read(in, buf, sizeof(buf));
	show("read after epoll", buf, n);

	struct sigaction sa = { .sa_handler = on_alarm };
	sigaction(SIGALRM, &sa, NULL);
	ualarm(50000, 0);
	n = read(in, buf, sizeof(buf));
	show("read interrupted", buf, n);

	sa.sa_flags = SA_RESTART;
	sigaction(SIGALRM, &sa, NULL);
	later_create("d/e", 300000);
	ualarm(50000, 0);
	n = read(in, buf, sizeof(buf)); /* restarted after the signal */
	show("read with SA_RESTART", buf, n);
	wait(NULL);

	pthread_t th;
	pthread_create(&th, NULL, thread_fn, NULL);
	pthread_join(th, NULL);
	n = read(in, buf, sizeof(buf));
	show("event from a thread", buf, n);

	unlink("d/a");
	n = read(in, buf, sizeof(buf));
	show("unlink", buf, n);
	return 0;
}
