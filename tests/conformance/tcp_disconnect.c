/*
 * connect() with AF_UNSPEC on a TCP socket disconnects it (Linux inet_stream_connect ->
 * tcp_disconnect): a connection is reset (the peer reads ECONNRESET), a listener stops
 * listening (a connect to its port is refused), an unconnected socket is unchanged; each
 * may connect or listen again afterwards. The local port a connect chose (or an accepted
 * socket has from its listener) is given up, though its name still shows it, and the
 * address with it; one bind named stays.
 */
#include "cf.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>

static struct sockaddr_in
lo(int port)
{
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons(port) };

	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	return a;
}

static int
listener(struct sockaddr_in *a)
{
	int l = socket(AF_INET, SOCK_STREAM, 0);
	socklen_t len = sizeof(*a);

	*a = lo(0);
	if (bind(l, (struct sockaddr *)a, sizeof(*a)) || listen(l, 8) ||
	    getsockname(l, (struct sockaddr *)a, &len))
		return -1;
	return l;
}

static int
port_of(int fd)
{
	struct sockaddr_in a;
	socklen_t len = sizeof(a);

	return getsockname(fd, (struct sockaddr *)&a, &len) ? -1 : ntohs(a.sin_port);
}

static int
sock_err(int fd)
{
	int e = 0;
	socklen_t len = sizeof(e);

	getsockopt(fd, SOL_SOCKET, SO_ERROR, &e, &len);
	return e;
}

int
main(void)
{
	struct sockaddr_in la, un = { .sin_family = AF_UNSPEC };
	struct sockaddr sa_unspec = { .sa_family = AF_UNSPEC };
	char buf[16];
	int l = listener(&la);

	/* a connection: reset; the peer reads ECONNRESET */
	int c = socket(AF_INET, SOCK_STREAM, 0);
	OK("connect", connect(c, (struct sockaddr *)&la, sizeof(la)));
	int s = accept(l, NULL, NULL);
	OK("send before", send(s, "x", 1, 0));
	printf("port chosen: %s\n", port_of(c) > 0 ? "yes" : "no");
	OK("connect AF_UNSPEC", connect(c, &sa_unspec, sizeof(sa_unspec)));
	printf("SO_ERROR after: %s\n", en(sock_err(c)));
	printf("port after: %s\n", port_of(c) > 0 ? "kept" : "given up");
	R("recv on it", recv(c, buf, sizeof(buf), MSG_DONTWAIT));
	R("send on it", send(c, "y", 1, MSG_NOSIGNAL));
	struct pollfd p = { .fd = s, .events = POLLIN };
	R("peer poll", poll(&p, 1, 2000));
	printf("peer revents: %s%s%s\n", p.revents & POLLIN ? "IN " : "", p.revents & POLLHUP ? "HUP " : "",
	       p.revents & POLLERR ? "ERR" : "");
	R("peer recv", recv(s, buf, sizeof(buf), 0));
	R("peer recv again", recv(s, buf, sizeof(buf), 0));
	OK("connect again", connect(c, (struct sockaddr *)&la, sizeof(la)));
	int s2 = accept(l, NULL, NULL);
	OK("send after reconnect", send(c, "z", 1, 0));
	R("peer2 recv", recv(s2, buf, sizeof(buf), 0));
	close(c), close(s), close(s2);

	/* the accepted end: its port (its listener's) goes back and its address with it, the
	 * name still shows the port; it may bind and listen anew (LTP connect02) */
	c = socket(AF_INET, SOCK_STREAM, 0);
	OK("connect 3", connect(c, (struct sockaddr *)&la, sizeof(la)));
	s = accept(l, NULL, NULL);
	OK("accepted AF_UNSPEC", connect(s, &sa_unspec, sizeof(sa_unspec)));
	struct sockaddr_in na;
	socklen_t nl = sizeof(na);
	OK("its name", getsockname(s, (struct sockaddr *)&na, &nl));
	printf("its address: %s, port: %s\n", na.sin_addr.s_addr == htonl(INADDR_ANY) ? "any" : "kept",
	       na.sin_port == la.sin_port ? "the listener's" : "another");
	struct sockaddr_in any = { .sin_family = AF_INET };
	OK("bind it", bind(s, (struct sockaddr *)&any, sizeof(any)));
	OK("listen on it", listen(s, 8));
	nl = sizeof(na);
	getsockname(s, (struct sockaddr *)&na, &nl);
	na.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	int c2 = socket(AF_INET, SOCK_STREAM, 0);
	OK("connect to it", connect(c2, (struct sockaddr *)&na, sizeof(na)));
	close(c2), close(c), close(s);

	/* a bound socket keeps its port */
	c = socket(AF_INET, SOCK_STREAM, 0);
	struct sockaddr_in b = lo(0);
	bind(c, (struct sockaddr *)&b, sizeof(b));
	int bport = port_of(c);
	OK("bound connect", connect(c, (struct sockaddr *)&la, sizeof(la)));
	s = accept(l, NULL, NULL);
	OK("bound connect AF_UNSPEC", connect(c, &sa_unspec, sizeof(sa_unspec)));
	printf("bound port after: %s\n", port_of(c) == bport ? "kept" : "changed");
	close(c), close(s);

	/* a listener stops listening; it may listen again */
	OK("listener AF_UNSPEC", connect(l, (struct sockaddr *)&un, sizeof(un)));
	c = socket(AF_INET, SOCK_STREAM, 0);
	OK("connect to it", connect(c, (struct sockaddr *)&la, sizeof(la)));
	close(c);
	OK("listen again", listen(l, 8));
	c = socket(AF_INET, SOCK_STREAM, 0);
	OK("connect to it again", connect(c, (struct sockaddr *)&la, sizeof(la)));
	close(c);

	/* unconnected: nothing to undo */
	c = socket(AF_INET, SOCK_STREAM, 0);
	OK("unconnected AF_UNSPEC", connect(c, &sa_unspec, sizeof(sa_unspec)));
	OK("short address", connect(c, &sa_unspec, 1));
	close(c);
	close(l);
	return 0;
}
