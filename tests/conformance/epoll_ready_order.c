/*
 * The order epoll_wait reports ready items in: Linux keeps a ready list, to whose tail an
 * item goes when its file becomes ready (ep_poll_callback), not the order the items were
 * added. Servers rely on it: a request that arrived first is served first (redis's tests
 * send a blocking command on one connection, then on another the command that ends it).
 * A reported level-triggered item goes back to the tail; one found not ready leaves the list;
 * an item already on the list keeps its place when its file becomes ready again.
 */
#include <netinet/in.h>
#include <sys/epoll.h>
#include <sys/socket.h>

#include "cf.h"

#define N 4

static const char *names[N] = { "A", "B", "C", "D" };

static void
show(int ep, const char *label, int max)
{
	struct epoll_event ev[N];
	int n = epoll_wait(ep, ev, max, 0);

	printf("%s:", label);
	if (n < 0)
		printf(" -1 %s", en(errno));
	for (int i = 0; i < n; i++)
		printf(" %s", names[ev[i].data.u32]);
	printf("\n");
}

static void
add(int ep, int fd, int i, uint32_t events)
{
	struct epoll_event e = { .events = events, .data.u32 = i };

	if (epoll_ctl(ep, EPOLL_CTL_ADD, fd, &e) < 0)
		printf("add %s: -1 %s\n", names[i], en(errno));
}

static void
put(int fd)
{
	if (write(fd, "x", 1) != 1)
		printf("write: -1 %s\n", en(errno));
}

static void
drain(int fd)
{
	char buf[64];

	while (read(fd, buf, sizeof(buf)) > 0)
		;
}

/* pipes (level-triggered, then edge-triggered) */
static void
pipes(void)
{
	int p[N][2], ep = epoll_create1(0);

	for (int i = 0; i < N; i++) {
		pipe2(p[i], O_NONBLOCK);
		add(ep, p[i][0], i, EPOLLIN);
	}
	show(ep, "none ready", N);
	put(p[2][1]);
	put(p[0][1]);
	put(p[3][1]);
	put(p[1][1]);
	show(ep, "C A D B ready", N);
	show(ep, "again, still ready", N);
	show(ep, "max 1", 1);
	show(ep, "after max 1", N);
	show(ep, "max 2", 2);
	show(ep, "max 2 again", 2);
	show(ep, "max 2 a third time", 2);
	show(ep, "max 3", 3);
	show(ep, "max 3 again", 3);
	put(p[0][1]);
	show(ep, "A written again while listed", N);
	drain(p[1][0]);
	show(ep, "B drained", N);
	put(p[1][1]);
	show(ep, "B written again", N);
	drain(p[0][0]);
	drain(p[2][0]);
	put(p[2][1]);
	put(p[0][1]);
	show(ep, "A C drained, C A written before a wait", N);
	for (int i = 0; i < N; i++)
		drain(p[i][0]);
	show(ep, "all drained", N);
	close(ep);

	ep = epoll_create1(0);
	for (int i = 0; i < N; i++)
		add(ep, p[i][0], i, EPOLLIN | EPOLLET);
	show(ep, "edge-triggered, none ready", N);
	put(p[3][1]);
	put(p[1][1]);
	put(p[2][1]);
	show(ep, "edge-triggered, D B C", N);
	put(p[0][1]);
	put(p[2][1]);
	show(ep, "edge-triggered, A C", N);
	close(ep);
	for (int i = 0; i < N; i++) {
		close(p[i][0]);
		close(p[i][1]);
	}
}

/* TCP on the loopback: accepted connections in accept order; the clients write, and one
 * closes, in another order */
static void
tcp(void)
{
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	socklen_t len = sizeof(a);
	int l = socket(AF_INET, SOCK_STREAM, 0), c[N], s[N], ep = epoll_create1(0);

	if (bind(l, (struct sockaddr *)&a, sizeof(a)) < 0 || listen(l, N) < 0 ||
	    getsockname(l, (struct sockaddr *)&a, &len) < 0) {
		printf("tcp setup: -1 %s\n", en(errno));
		return;
	}
	for (int i = 0; i < N; i++) {
		c[i] = socket(AF_INET, SOCK_STREAM, 0);
		if (connect(c[i], (struct sockaddr *)&a, sizeof(a)) < 0)
			printf("connect: -1 %s\n", en(errno));
		s[i] = accept4(l, NULL, NULL, SOCK_NONBLOCK);
		add(ep, s[i], i, EPOLLIN | EPOLLRDHUP);
	}
	show(ep, "tcp none ready", N);
	put(c[3]);
	put(c[1]);
	close(c[0]);
	put(c[2]);
	show(ep, "tcp D B A(closed) C", N);
	drain(s[1]);
	drain(s[3]);
	show(ep, "tcp B D drained", N);
	put(c[1]);
	show(ep, "tcp B again", N);
	close(ep);
	for (int i = 0; i < N; i++) {
		close(s[i]);
		if (i)
			close(c[i]);
	}
	close(l);
}

int
main(void)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	pipes();
	tcp();
	return 0;
}
