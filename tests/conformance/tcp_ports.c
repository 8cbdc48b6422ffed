/* TCP port ownership on loopback: SO_REUSEADDR and listeners, IPv4 against IPv6 names,
 * a connection's 4-tuple, the source an any-bound socket's connect takes, and closed
 * connections that keep their name (TIME_WAIT after an active close, FIN_WAIT2 until
 * TCP_LINGER2 runs out) while a passive close frees it. Ports are ephemeral ones the
 * kernel gave, in a network namespace of the test's own where it may make one. */
#include "cf.h"
#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdbool.h>
#include <sys/socket.h>

static const int on = 1;

static struct sockaddr_in
v4(uint32_t addr, int port)
{
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons(port) };

	a.sin_addr.s_addr = htonl(addr);
	return a;
}

static struct sockaddr_in6
v6(const struct in6_addr *addr, int port)
{
	struct sockaddr_in6 a = { .sin6_family = AF_INET6, .sin6_port = htons(port) };

	a.sin6_addr = *addr;
	return a;
}

static int
port_of(int fd)
{
	struct sockaddr_in6 a;
	socklen_t len = sizeof(a);

	getsockname(fd, (struct sockaddr *)&a, &len);
	return ntohs(a.sin6_port);
}

static int
sock(int family, bool reuse)
{
	int fd = socket(family, SOCK_STREAM, 0);

	if (reuse)
		setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &on, sizeof(on));
	return fd;
}

/* A port nobody holds now (the kernel's pick for a socket that then closes unconnected). */
static int
free_port(void)
{
	struct sockaddr_in a = v4(INADDR_LOOPBACK, 0);
	int fd = sock(AF_INET, false), p;

	bind(fd, (struct sockaddr *)&a, sizeof(a));
	p = port_of(fd);
	close(fd);
	return p;
}

static int
bind4(int fd, uint32_t addr, int port)
{
	struct sockaddr_in a = v4(addr, port);

	return bind(fd, (struct sockaddr *)&a, sizeof(a));
}

static int
bind6(int fd, const struct in6_addr *addr, int port)
{
	struct sockaddr_in6 a = v6(addr, port);

	return bind(fd, (struct sockaddr *)&a, sizeof(a));
}

static void
reuse_rules(void)
{
	int p = free_port(), a, b, c, d;

	a = sock(AF_INET, true);
	b = sock(AF_INET, true);
	c = sock(AF_INET, false);
	OK("reuse: first bind", bind4(a, INADDR_LOOPBACK, p));
	OK("reuse: second bind, both SO_REUSEADDR", bind4(b, INADDR_LOOPBACK, p));
	OK("reuse: third bind without it", bind4(c, INADDR_LOOPBACK, p));
	OK("reuse: any address without it", bind4(c, INADDR_ANY, p));
	OK("reuse: first listen", listen(a, 4));
	OK("reuse: second listen", listen(b, 4));
	close(a);
	OK("reuse: second listen after the first closed", listen(b, 4));
	close(b);
	close(c);

	p = free_port();
	a = sock(AF_INET, false);
	b = sock(AF_INET6, false);
	c = sock(AF_INET, false);
	d = sock(AF_INET6, false);
	OK("v4/v6: 127.0.0.1", bind4(a, INADDR_LOOPBACK, p));
	OK("v4/v6: ::1 beside it", bind6(b, &in6addr_loopback, p));
	OK("v4/v6: 0.0.0.0 over ::1", bind4(c, INADDR_ANY, p));
	setsockopt(d, IPPROTO_IPV6, IPV6_V6ONLY, &on, sizeof(on));
	OK("v4/v6: v6only :: over ::1", bind6(d, &in6addr_any, p));
	close(a);
	close(b);
	close(c);
	close(d);

	p = free_port();
	a = sock(AF_INET6, false);
	b = sock(AF_INET, false);
	c = sock(AF_INET6, false);
	setsockopt(a, IPPROTO_IPV6, IPV6_V6ONLY, &on, sizeof(on));
	OK("v6only: ::", bind6(a, &in6addr_any, p));
	OK("v6only: 0.0.0.0 beside it", bind4(b, INADDR_ANY, p));
	OK("v6only: dual-stack :: over both", bind6(c, &in6addr_any, p));
	close(a);
	close(b);
	close(c);
}

/* A listener on 127.0.0.1 (*port) and a client connected to it, accepted (*srv). */
static int
pair(int *l, int *srv, bool reuse)
{
	struct sockaddr_in a = v4(INADDR_LOOPBACK, 0);
	socklen_t len = sizeof(a);
	int c;

	*l = sock(AF_INET, reuse);
	bind(*l, (struct sockaddr *)&a, sizeof(a));
	listen(*l, 8);
	getsockname(*l, (struct sockaddr *)&a, &len);
	c = sock(AF_INET, reuse);
	if (connect(c, (struct sockaddr *)&a, sizeof(a)) < 0)
		printf("connect: %s\n", en(errno));
	*srv = accept(*l, NULL, NULL);
	return c;
}

static void
tuple(void)
{
	struct sockaddr_in me, to;
	socklen_t len = sizeof(me);
	int l, s, c, c2;

	c = pair(&l, &s, true);
	getsockname(c, (struct sockaddr *)&me, &len);
	len = sizeof(to);
	getpeername(c, (struct sockaddr *)&to, &len);
	c2 = sock(AF_INET, true);
	OK("tuple: bind a connected socket's name (both SO_REUSEADDR)",
	   bind(c2, (struct sockaddr *)&me, sizeof(me)));
	OK("tuple: connect to the same peer", connect(c2, (struct sockaddr *)&to, sizeof(to)));
	close(c2);
	close(c);
	close(s);
	close(l);
}

static void
any_source(void)
{
	struct sockaddr_in6 a = v6(&in6addr_any, 0), n;
	socklen_t len = sizeof(a);
	char buf[64];
	int l = sock(AF_INET6, false), c = sock(AF_INET6, false), s;

	bind(l, (struct sockaddr *)&a, sizeof(a));
	listen(l, 4);
	getsockname(l, (struct sockaddr *)&a, &len);
	OK("any source: bind ::", bind6(c, &in6addr_any, 0));
	OK("any source: connect ::", connect(c, (struct sockaddr *)&a, sizeof(a)));
	len = sizeof(n);
	getsockname(c, (struct sockaddr *)&n, &len);
	inet_ntop(AF_INET6, &n.sin6_addr, buf, sizeof(buf));
	printf("any source: name now %s\n", buf);
	s = accept(l, NULL, NULL);
	close(s);
	close(c);
	close(l);
}

static void
wait_hup(int fd)
{
	char c;

	while (recv(fd, &c, 1, 0) > 0)
		;
}

static void
time_wait(bool reuse)
{
	struct sockaddr_in cn, ln;
	socklen_t len = sizeof(cn);
	int l, s, c, n;
	const char *tag = reuse ? "time_wait (reuse)" : "time_wait";
	char label[128];

	c = pair(&l, &s, reuse);
	getsockname(c, (struct sockaddr *)&cn, &len);
	len = sizeof(ln);
	getsockname(l, (struct sockaddr *)&ln, &len);
	shutdown(c, SHUT_WR);         /* the client closes first: it will wait */
	wait_hup(s);
	shutdown(s, SHUT_WR);
	wait_hup(c);
	close(s);
	close(c);
	close(l);
	usleep(200 * 1000);           /* the last ACK */

	n = sock(AF_INET, false);
	snprintf(label, sizeof(label), "%s: bind the active closer's name", tag);
	OK(label, bind(n, (struct sockaddr *)&cn, sizeof(cn)));
	close(n);
	n = sock(AF_INET, true);
	snprintf(label, sizeof(label), "%s: same with SO_REUSEADDR", tag);
	OK(label, bind(n, (struct sockaddr *)&cn, sizeof(cn)));
	close(n);
	n = sock(AF_INET, false);
	snprintf(label, sizeof(label), "%s: bind the passive closer's name", tag);
	OK(label, bind(n, (struct sockaddr *)&ln, sizeof(ln)));
	close(n);
}

static void
fin_wait2(void)
{
	struct sockaddr_in cn;
	socklen_t len = sizeof(cn);
	int l, s, c, n, tmo = 1, tries;

	c = pair(&l, &s, false);
	setsockopt(c, IPPROTO_TCP, TCP_LINGER2, &tmo, sizeof(tmo));
	getsockname(c, (struct sockaddr *)&cn, &len);
	close(c);                     /* FIN_WAIT2: the server never closes */
	n = sock(AF_INET, false);
	OK("fin_wait2: bind its name", bind(n, (struct sockaddr *)&cn, sizeof(cn)));
	sleep(1);
	for (tries = 0; tries < 10; tries++) {
		if (bind(n, (struct sockaddr *)&cn, sizeof(cn)) == 0)
			break;
		usleep(500 * 1000);
	}
	printf("fin_wait2: bound after TCP_LINGER2: %s\n", tries < 10 ? "yes" : "no");
	close(n);
	close(s);
	close(l);
}

int
main(void)
{
	cf_own_netns(); /* (natively: the host's other connections cannot take our ports) */
	reuse_rules();
	tuple();
	any_source();
	time_wait(false);
	time_wait(true);
	fin_wait2();
	return 0;
}
