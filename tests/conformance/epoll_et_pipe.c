/*
 * Edge-triggered epoll on a one-page pipe: a partial read of the full page neither frees
 * room for the writer (no EPOLLOUT) nor makes a new EPOLLIN edge; reading the rest does
 * make EPOLLOUT.
 */
#include <sys/epoll.h>

#include "cf.h"

static void
show(int ep, const char *label, int rfd)
{
	struct epoll_event ev[4];
	int n = epoll_wait(ep, ev, 4, 0);

	printf("%s: %d", label, n);
	for (int i = 0; i < n; i++)
		printf(" [%s%s%s]", ev[i].data.fd == rfd ? "read end" : "write end",
		       ev[i].events & EPOLLIN ? " IN" : "", ev[i].events & EPOLLOUT ? " OUT" : "");
	printf("\n");
}

int
main(void)
{
	int p[2], ep;
	char buf[4096];

	setvbuf(stdout, NULL, _IOLBF, 0);
	pipe2(p, O_NONBLOCK);
	R("F_SETPIPE_SZ one page", fcntl(p[1], F_SETPIPE_SZ, 4096));
	ep = epoll_create1(0);
	struct epoll_event e = { .events = EPOLLIN | EPOLLET, .data.fd = p[0] };
	epoll_ctl(ep, EPOLL_CTL_ADD, p[0], &e);
	e = (struct epoll_event){ .events = EPOLLOUT | EPOLLET, .data.fd = p[1] };
	epoll_ctl(ep, EPOLL_CTL_ADD, p[1], &e);
	show(ep, "empty", p[0]);
	memset(buf, 'a', sizeof(buf));
	R("write a page", write(p[1], buf, sizeof(buf)));
	R("write more", write(p[1], buf, 1));
	show(ep, "full", p[0]);
	R("read half", read(p[0], buf, 2048));
	show(ep, "after half", p[0]);
	R("write after half", write(p[1], buf, 1));
	R("read the rest", read(p[0], buf, 2048));
	show(ep, "after the rest", p[0]);
	R("read empty", read(p[0], buf, 1));
	show(ep, "after EAGAIN", p[0]);
	return 0;
}
