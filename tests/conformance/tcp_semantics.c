/* TCP on loopback: the options Linux keeps and checks, a non-blocking connect that is
 * refused, a connect to itself, MSG_TRUNC, shutdown of listeners and unconnected sockets,
 * a larger SO_SNDBUF unblocking a full sender, and splice from a big pipe into a socket. */
#include "cf.h"
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <arpa/inet.h>
#include <poll.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>

static struct sockaddr_in
lo(int port)
{
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons((uint16_t)port),
				 .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	return a;
}

static int
bound(int s)
{
	struct sockaddr_in a = lo(0);
	socklen_t l = sizeof(a);

	bind(s, (struct sockaddr *)&a, sizeof(a));
	getsockname(s, (struct sockaddr *)&a, &l);
	return ntohs(a.sin_port);
}

static void
tcpopt(int s, int opt, int v, const char *name)
{
	int got = -1;
	socklen_t l = sizeof(got);
	int r = setsockopt(s, IPPROTO_TCP, opt, &v, sizeof(v));

	getsockopt(s, IPPROTO_TCP, opt, &got, &l);
	printf("%s set %d: %s, reads %d\n", name, v, r ? en(errno) : "ok", got);
}

static void
options(void)
{
	int s = socket(AF_INET, SOCK_STREAM, 0), v = -1;
	socklen_t l = sizeof(v);
	char cc[16] = { 0 };

	getsockopt(s, IPPROTO_TCP, TCP_MAXSEG, &v, &l);
	printf("maxseg default %d\n", v);
	tcpopt(s, TCP_MAXSEG, 10, "maxseg");
	tcpopt(s, TCP_MAXSEG, 75000, "maxseg");
	tcpopt(s, TCP_SYNCNT, 0, "syncnt");
	tcpopt(s, TCP_SYNCNT, 20, "syncnt");
	tcpopt(s, TCP_SYNCNT, 256, "syncnt");
	tcpopt(s, TCP_USER_TIMEOUT, -1, "user_timeout");
	tcpopt(s, TCP_USER_TIMEOUT, 100, "user_timeout");
	tcpopt(s, TCP_DEFER_ACCEPT, -1, "defer_accept");
	tcpopt(s, TCP_DEFER_ACCEPT, 3, "defer_accept");
	tcpopt(s, TCP_DEFER_ACCEPT, 10, "defer_accept");
	tcpopt(s, TCP_WINDOW_CLAMP, 0, "window_clamp");
	tcpopt(s, TCP_WINDOW_CLAMP, 100, "window_clamp");
	tcpopt(s, TCP_KEEPCNT, 0, "keepcnt");
	tcpopt(s, TCP_KEEPCNT, 5, "keepcnt");
	tcpopt(s, TCP_LINGER2, -5, "linger2");
	tcpopt(s, TCP_CORK, 1, "cork");
	tcpopt(s, TCP_INQ, 2, "inq");
	OK("congestion reno", setsockopt(s, IPPROTO_TCP, TCP_CONGESTION, "reno", 4));
	l = sizeof(cc);
	getsockopt(s, IPPROTO_TCP, TCP_CONGESTION, cc, &l);
	printf("congestion %s len %d\n", cc, (int)l); /* the host's default may differ */
	OK("congestion bogus", setsockopt(s, IPPROTO_TCP, TCP_CONGESTION, "bogus_cc", 8));
	l = sizeof(v);
	getsockopt(s, IPPROTO_IP, IP_MTU_DISCOVER, &v, &l);
	printf("mtu_discover %d\n", v);
	v = 1;
	OK("detach filter, none", setsockopt(s, SOL_SOCKET, SO_DETACH_FILTER, &v, sizeof(v)));
	char b;
	R("recv unconnected", recv(s, &b, 1, 0));
	OK("shutdown unconnected", shutdown(s, SHUT_WR));
	close(s);
}

static void
refused(void)
{
	int b = socket(AF_INET, SOCK_STREAM, 0), s = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
	struct sockaddr_in a = lo(bound(b)); /* bound, not listening: a reset */
	struct pollfd p = { s, POLLOUT, 0 };
	int err = -1;
	socklen_t l = sizeof(err);
	char c;

	R("non-blocking connect", connect(s, (struct sockaddr *)&a, sizeof(a)));
	R("poll", poll(&p, 1, 5000));
	printf("revents %#x\n", p.revents);
	getsockopt(s, SOL_SOCKET, SO_ERROR, &err, &l);
	printf("so_error %s\n", en(err));
	R("read", read(s, &c, 1));
	R("connect again", connect(s, (struct sockaddr *)&a, sizeof(a)));
	close(s);
	s = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
	connect(s, (struct sockaddr *)&a, sizeof(a));
	R("read first", read(s, &c, 1));
	R("read then", read(s, &c, 1));
	close(s);
	s = socket(AF_INET, SOCK_STREAM, 0);
	R("blocking connect", connect(s, (struct sockaddr *)&a, sizeof(a)));
	close(s);
	/* refused, then the listener starts: the refusal is reported once, then it connects */
	s = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
	R("connect before listen", connect(s, (struct sockaddr *)&a, sizeof(a)));
	listen(b, 1);
	R("connect after listen", connect(s, (struct sockaddr *)&a, sizeof(a)));
	R("connect again", connect(s, (struct sockaddr *)&a, sizeof(a)));
	R("and again", connect(s, (struct sockaddr *)&a, sizeof(a)));
	R("once more", connect(s, (struct sockaddr *)&a, sizeof(a)));
	close(s);
	close(b);
}

static void
self_and_trunc(void)
{
	int s = socket(AF_INET, SOCK_STREAM, 0);
	struct sockaddr_in a = lo(bound(s));
	char buf[8] = "abcdefg", got[8] = { 0 };

	OK("connect to itself", connect(s, (struct sockaddr *)&a, sizeof(a)));
	R("send", send(s, buf, 8, 0));
	R("recv MSG_TRUNC 4", recv(s, got, 4, MSG_TRUNC));
	YN("nothing copied", got[0] == 0);
	R("recv rest", recv(s, got, 8, 0));
	printf("got %.4s\n", got);
	close(s);

	int l = socket(AF_INET, SOCK_STREAM, 0), v = -1;
	socklen_t vl = sizeof(v);
	bound(l);
	listen(l, 4);
	OK("shutdown listener SHUT_WR", shutdown(l, SHUT_WR));
	getsockopt(l, SOL_SOCKET, SO_ACCEPTCONN, &v, &vl);
	printf("acceptconn %d\n", v);
	OK("shutdown listener SHUT_RD", shutdown(l, SHUT_RD));
	getsockopt(l, SOL_SOCKET, SO_ACCEPTCONN, &v, &vl);
	printf("acceptconn %d\n", v);
	close(l);
}

/* A connected pair on loopback. */
static void
pair(int sv[2])
{
	int l = socket(AF_INET, SOCK_STREAM, 0);
	struct sockaddr_in a = lo(bound(l));

	listen(l, 1);
	sv[0] = socket(AF_INET, SOCK_STREAM, 0);
	connect(sv[0], (struct sockaddr *)&a, sizeof(a));
	sv[1] = accept(l, NULL, NULL);
	close(l);
}

static void
buffers(void)
{
	int sv[2], big = 1 << 30, max = 0, n = 0;
	socklen_t l = sizeof(max);
	char *buf;

	pair(sv);
	setsockopt(sv[0], SOL_SOCKET, SO_SNDBUF, &big, sizeof(big));
	getsockopt(sv[0], SOL_SOCKET, SO_SNDBUF, &max, &l);
	int q = max / 4;
	setsockopt(sv[0], SOL_SOCKET, SO_SNDBUF, &q, sizeof(q));
	buf = calloc(1, (size_t)max);
	while (send(sv[0], buf, (size_t)max, MSG_DONTWAIT) > 0 && n < 100000)
		n++;
	printf("full: %s\n", en(errno));
	q = max / 2;
	setsockopt(sv[0], SOL_SOCKET, SO_SNDBUF, &q, sizeof(q));
	YN("room again after a larger SO_SNDBUF", send(sv[0], buf, 1, MSG_DONTWAIT) == 1);
	free(buf);
	close(sv[0]);
	close(sv[1]);
}

static void
splice_big(void)
{
	int sv[2], p[2], size = 1 << 20;
	char *buf = malloc((size_t)size);
	size_t total = 0;
	pid_t pid;

	pair(sv);
	pipe(p);
	if (fcntl(p[1], F_SETPIPE_SZ, size) < size) {
		printf("pipe size not set\n");
		return;
	}
	for (int i = 0; i < size; i++)
		buf[i] = (char)(i * 7);
	write(p[1], buf, (size_t)size);
	pid = fork();
	if (pid == 0) {
		size_t left = (size_t)size;

		while (left > 0) {
			ssize_t n = splice(p[0], NULL, sv[0], NULL, left, 0);
			if (n <= 0)
				_exit(1);
			left -= (size_t)n;
		}
		_exit(0);
	}
	char *got = malloc((size_t)size);
	while (total < (size_t)size) {
		ssize_t n = read(sv[1], got + total, (size_t)size - total);
		if (n <= 0)
			break;
		total += (size_t)n;
	}
	int st;
	waitpid(pid, &st, 0);
	printf("spliced %zu, same %d, splicer exit %d\n", total, memcmp(buf, got, (size_t)size) == 0,
	       WEXITSTATUS(st));
	free(buf);
	free(got);
}

/* A listener that was never bound listens on the any address (IPv6: dual stack); accept
 * names a client that already reset; an IPv4 listener shows a v4-mapped client as IPv4. */
static void
names(void)
{
	int l = socket(AF_INET6, SOCK_STREAM, 0), c = socket(AF_INET, SOCK_STREAM, 0), s;
	struct sockaddr_in6 a6;
	struct sockaddr_storage got;
	socklen_t al = sizeof(a6), gl;
	struct linger lg = { 1, 0 };

	OK("listen unbound v6", listen(l, 4));
	getsockname(l, (struct sockaddr *)&a6, &al);
	YN("bound to ::", IN6_IS_ADDR_UNSPECIFIED(&a6.sin6_addr) && a6.sin6_port != 0);
	struct sockaddr_in a = lo(ntohs(a6.sin6_port));
	OK("v4 connect to it", connect(c, (struct sockaddr *)&a, sizeof(a)));
	setsockopt(c, SOL_SOCKET, SO_LINGER, &lg, sizeof(lg));
	close(c); /* a reset before the accept */
	gl = sizeof(got);
	s = FD("accept after reset", accept(l, (struct sockaddr *)&got, &gl));
	printf("name len %d family %d\n", (int)gl, got.ss_family);
	close(s);
	close(l);

	l = socket(AF_INET, SOCK_STREAM, 0);
	a = lo(bound(l));
	listen(l, 4);
	c = socket(AF_INET6, SOCK_STREAM, 0);
	memset(&a6, 0, sizeof(a6));
	a6.sin6_family = AF_INET6;
	a6.sin6_port = a.sin_port;
	inet_pton(AF_INET6, "::ffff:127.0.0.1", &a6.sin6_addr);
	OK("v4-mapped connect to an IPv4 listener", connect(c, (struct sockaddr *)&a6, sizeof(a6)));
	gl = sizeof(got);
	s = FD("accept", accept(l, (struct sockaddr *)&got, &gl));
	printf("name len %d family %d\n", (int)gl, got.ss_family);
	close(s);
	close(c);
	close(l);
}

int
main(void)
{
	cf_init();
	names();
	signal(SIGPIPE, SIG_IGN);
	alarm(30);
	options();
	refused();
	self_and_trunc();
	buffers();
	splice_big();
	return 0;
}
