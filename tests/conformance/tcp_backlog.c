/* TCP listeners on loopback: a non-blocking connect to a full accept queue (EINPROGRESS,
 * SYN_SENT: not writable, EALREADY; it completes once accept makes room, or is refused
 * when the listener closes), TCP_DEFER_ACCEPT (no accept before data comes), options an
 * accepted socket takes from its listener, and SO_REUSEPORT listeners sharing the
 * connections. */
#include "cf.h"
#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <stdbool.h>
#include <sys/socket.h>

static const int on = 1;

static int
listener(struct sockaddr_in *a, int backlog)
{
	socklen_t len = sizeof(*a);
	int l = socket(AF_INET, SOCK_STREAM, 0);

	*a = (struct sockaddr_in){ .sin_family = AF_INET };
	a->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	bind(l, (struct sockaddr *)a, sizeof(*a));
	listen(l, backlog);
	getsockname(l, (struct sockaddr *)a, &len);
	return l;
}

static int
poll1(int fd, short ev, int ms)
{
	struct pollfd p = { .fd = fd, .events = ev };
	int n = poll(&p, 1, ms);

	return n <= 0 ? n : p.revents;
}

static void
backlog(void)
{
	struct sockaddr_in a;
	int l = listener(&a, 0), c1, c2, s, err;
	socklen_t len = sizeof(err);

	c1 = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
	R("backlog: first connect", connect(c1, (struct sockaddr *)&a, sizeof(a)));
	printf("backlog: first writable: %d\n", poll1(c1, POLLOUT, 5000));
	printf("backlog: listener readable: %d\n", poll1(l, POLLIN, 5000));
	c2 = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
	R("backlog: second connect (queue full)", connect(c2, (struct sockaddr *)&a, sizeof(a)));
	printf("backlog: second polls: %d\n", poll1(c2, POLLIN | POLLOUT, 100));
	R("backlog: second connect again", connect(c2, (struct sockaddr *)&a, sizeof(a)));
	s = accept(l, NULL, NULL);
	printf("backlog: accept: %s\n", s >= 0 ? "ok" : en(errno));
	close(s);
	/* Linux resends the SYN a second later: then the second is in */
	printf("backlog: second writable once there is room: %d\n",
	       poll1(c2, POLLOUT, 10000) & POLLOUT);
	R("backlog: second connect completes", connect(c2, (struct sockaddr *)&a, sizeof(a)));
	close(c1);
	close(c2);
	close(l);

	l = listener(&a, 0);
	c1 = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
	connect(c1, (struct sockaddr *)&a, sizeof(a));
	poll1(l, POLLIN, 5000);
	c2 = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
	R("refused: connect (queue full)", connect(c2, (struct sockaddr *)&a, sizeof(a)));
	close(l);
	printf("refused: first polls: %d\n", poll1(c1, 0, 5000));
	printf("refused: second polls: %d\n", poll1(c2, 0, 5000));
	getsockopt(c2, SOL_SOCKET, SO_ERROR, &err, &len);
	printf("refused: second SO_ERROR: %s\n", err ? en(err) : "0");
	close(c1);
	close(c2);
}

static void
defer_accept(void)
{
	struct sockaddr_in a;
	int l = listener(&a, 8), c, s, v = 2, got = 0;
	socklen_t len = sizeof(v);

	setsockopt(l, IPPROTO_TCP, TCP_DEFER_ACCEPT, &v, sizeof(v));
	getsockopt(l, IPPROTO_TCP, TCP_DEFER_ACCEPT, &v, &len);
	printf("defer: TCP_DEFER_ACCEPT reads %d\n", v);
	c = socket(AF_INET, SOCK_STREAM, 0);
	R("defer: connect", connect(c, (struct sockaddr *)&a, sizeof(a)));
	printf("defer: listener readable at once: %d\n", poll1(l, POLLIN, 0));
	fcntl(l, F_SETFL, O_NONBLOCK);
	s = accept(l, NULL, NULL);
	printf("defer: accept before data: %s\n", s >= 0 ? "ok" : en(errno));
	fcntl(l, F_SETFL, 0);
	R("defer: send", send(c, "x", 1, 0));
	printf("defer: listener readable after data: %d\n", poll1(l, POLLIN, 5000));
	s = accept(l, NULL, NULL);
	R("defer: recv on the accepted", recv(s, &got, 1, 0));
	close(s);
	close(c);
	close(l);
}

static void
inherit(void)
{
	struct sockaddr_in a;
	int l = listener(&a, 8), c, s, v = 1234, idle = 77;
	socklen_t len = sizeof(v);

	setsockopt(l, IPPROTO_TCP, TCP_USER_TIMEOUT, &v, sizeof(v));
	setsockopt(l, IPPROTO_TCP, TCP_KEEPIDLE, &idle, sizeof(idle));
	c = socket(AF_INET, SOCK_STREAM, 0);
	connect(c, (struct sockaddr *)&a, sizeof(a));
	s = accept(l, NULL, NULL);
	v = idle = 0;
	getsockopt(s, IPPROTO_TCP, TCP_USER_TIMEOUT, &v, &len);
	len = sizeof(idle);
	getsockopt(s, IPPROTO_TCP, TCP_KEEPIDLE, &idle, &len);
	printf("inherit: TCP_USER_TIMEOUT %d TCP_KEEPIDLE %d\n", v, idle);
	close(s);
	close(c);
	close(l);
}

static void
reuseport(void)
{
	struct sockaddr_in a = { .sin_family = AF_INET };
	socklen_t len = sizeof(a);
	int l[2], n[2] = { 0, 0 };

	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	for (int i = 0; i < 2; i++) {
		l[i] = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
		setsockopt(l[i], SOL_SOCKET, SO_REUSEPORT, &on, sizeof(on));
		if (bind(l[i], (struct sockaddr *)&a, sizeof(a)) < 0)
			printf("reuseport: bind %d: %s\n", i, en(errno));
		listen(l[i], 128);
		if (i == 0)
			getsockname(l[0], (struct sockaddr *)&a, &len);
	}
	for (int k = 0; k < 64; k++) {
		int c = socket(AF_INET, SOCK_STREAM, 0);

		connect(c, (struct sockaddr *)&a, sizeof(a));
		for (int i = 0; i < 2; i++) {
			int s = accept(l[i], NULL, NULL);

			if (s >= 0) {
				n[i]++;
				close(s);
			}
		}
		close(c);
	}
	printf("reuseport: all accepted %d, both listeners took some: %s\n", n[0] + n[1],
	       n[0] && n[1] ? "yes" : "no");
	close(l[0]);
	close(l[1]);
}

int
main(void)
{
	setvbuf(stdout, NULL, _IONBF, 0);
	backlog();
	defer_accept();
	inherit();
	reuseport();
	return 0;
}
