/* TCP_CORK on loopback: a partial segment is held (the peer sees nothing yet) until the
 * cork comes off, TCP_NODELAY pushes it, a shutdown or close sends it before the FIN, or
 * Linux's 200 ms ceiling passes (waited for here without a time limit of our own). */
#include "cf.h"
#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>

static int one = 1, zero = 0;

static void
tcp_pair(int *a, int *b)
{
	struct sockaddr_in sa = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	socklen_t len = sizeof(sa);
	int l = socket(AF_INET, SOCK_STREAM, 0);

	bind(l, (struct sockaddr *)&sa, sizeof(sa));
	listen(l, 1);
	getsockname(l, (struct sockaddr *)&sa, &len);
	*a = socket(AF_INET, SOCK_STREAM, 0);
	connect(*a, (struct sockaddr *)&sa, sizeof(sa));
	*b = accept(l, NULL, NULL);
	close(l);
}

static void
now(const char *label, int fd)
{
	char buf[64];
	ssize_t n = recv(fd, buf, sizeof(buf) - 1, MSG_DONTWAIT);

	if (n < 0) {
		printf("%s: -1 %s\n", label, en(errno));
		return;
	}
	buf[n] = 0;
	printf("%s: %zd \"%s\"\n", label, n, buf);
}

static void
waited(const char *label, int fd)
{
	struct pollfd p = { .fd = fd, .events = POLLIN };

	poll(&p, 1, 10000);
	now(label, fd);
}

int
main(void)
{
	int a, b, v;
	socklen_t len = sizeof(v);
	struct pollfd p;

	tcp_pair(&a, &b);
	getsockopt(a, IPPROTO_TCP, TCP_CORK, &v, &len);
	printf("cork default: %d\n", v);
	OK("cork on", setsockopt(a, IPPROTO_TCP, TCP_CORK, &one, sizeof(one)));
	len = sizeof(v);
	getsockopt(a, IPPROTO_TCP, TCP_CORK, &v, &len);
	printf("cork now: %d\n", v);
	R("send abc", send(a, "abc", 3, 0));
	R("send def", send(a, "def", 3, 0));
	now("peer at once", b);
	p = (struct pollfd){ .fd = b, .events = POLLIN };
	R("peer poll at once", poll(&p, 1, 0));
	OK("cork off", setsockopt(a, IPPROTO_TCP, TCP_CORK, &zero, sizeof(zero)));
	waited("peer after uncork", b);

	OK("cork on", setsockopt(a, IPPROTO_TCP, TCP_CORK, &one, sizeof(one)));
	R("send ghi", send(a, "ghi", 3, 0));
	now("peer at once", b);
	OK("nodelay on", setsockopt(a, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one)));
	waited("peer after nodelay", b);
	OK("nodelay off", setsockopt(a, IPPROTO_TCP, TCP_NODELAY, &zero, sizeof(zero)));

	R("send jkl (still corked)", send(a, "jkl", 3, 0));
	now("peer at once", b);
	waited("peer in time", b);

	R("send mno", send(a, "mno", 3, 0));
	OK("shutdown wr", shutdown(a, SHUT_WR));
	waited("peer after shutdown", b);
	waited("peer then", b);
	close(a);
	close(b);

	tcp_pair(&a, &b);
	setsockopt(a, IPPROTO_TCP, TCP_CORK, &one, sizeof(one));
	R("send pqr", send(a, "pqr", 3, 0));
	close(a);
	waited("peer after close", b);
	waited("peer then", b);
	close(b);
	return 0;
}
