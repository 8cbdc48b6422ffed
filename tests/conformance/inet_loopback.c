/* TCP and UDP on loopback: ephemeral ports and names, accept, options, half close, a send
 * after the peer closed (goes out, the next one is EPIPE), refused and busy ports,
 * non-blocking connect, UDP names, IPv6 and a dual-stack listener. */
#include "cf.h"
#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <signal.h>
#include <stdbool.h>
#include <sys/socket.h>

static struct sockaddr_in
v4(uint32_t addr, int port)
{
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons(port) };

	a.sin_addr.s_addr = htonl(addr);
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

static void
show_name(const char *label, int fd, bool peer)
{
	struct sockaddr_in6 a;
	socklen_t len = sizeof(a);
	char buf[64] = "?";
	int r = peer ? getpeername(fd, (struct sockaddr *)&a, &len)
		     : getsockname(fd, (struct sockaddr *)&a, &len);

	if (r < 0) {
		printf("%s: -1 %s\n", label, en(errno));
		return;
	}
	if (a.sin6_family == AF_INET)
		inet_ntop(AF_INET, &((struct sockaddr_in *)&a)->sin_addr, buf, sizeof(buf));
	else
		inet_ntop(AF_INET6, &a.sin6_addr, buf, sizeof(buf));
	printf("%s: family %d len %d addr %s\n", label, a.sin6_family, (int)len, buf);
}

static void
tcp4(void)
{
	struct sockaddr_in a = v4(INADDR_LOOPBACK, 0);
	int l, c, s, v;
	socklen_t len = sizeof(v);
	char b[16] = { 0 };

	l = FD("socket", socket(AF_INET, SOCK_STREAM, 0));
	R("bind 127.0.0.1:0", bind(l, (struct sockaddr *)&a, sizeof(a)));
	YN("ephemeral port", port_of(l) >= 32768 && port_of(l) <= 60999);
	show_name("listener name", l, false);
	R("listen", listen(l, 4));
	a.sin_port = htons(port_of(l));
	c = FD("socket", socket(AF_INET, SOCK_STREAM, 0));
	show_name("unbound name", c, false);
	R("connect", connect(c, (struct sockaddr *)&a, sizeof(a)));
	R("connect again", connect(c, (struct sockaddr *)&a, sizeof(a)));
	s = FD("accept", accept(l, NULL, NULL));
	show_name("client name", c, false);
	show_name("client peer", c, true);
	show_name("server name", s, false);
	YN("client port is ephemeral", port_of(c) >= 32768 && port_of(c) <= 60999);
	R("SO_TYPE", (getsockopt(c, SOL_SOCKET, SO_TYPE, &v, &len), v));
	R("SO_PROTOCOL", (getsockopt(c, SOL_SOCKET, SO_PROTOCOL, &v, &len), v));
	R("SO_DOMAIN", (getsockopt(c, SOL_SOCKET, SO_DOMAIN, &v, &len), v));
	v = 1;
	R("TCP_NODELAY set", setsockopt(c, IPPROTO_TCP, TCP_NODELAY, &v, sizeof(v)));
	v = 0;
	R("TCP_NODELAY", (getsockopt(c, IPPROTO_TCP, TCP_NODELAY, &v, &len), v));
	R("send", send(c, "hello", 5, 0));
	R("recv", recv(s, b, sizeof(b), 0));
	R("shutdown SHUT_WR", shutdown(c, SHUT_WR));
	R("server reads EOF", recv(s, b, sizeof(b), 0));
	R("server still sends", send(s, "back", 4, 0));
	R("client reads", recv(c, b, sizeof(b), 0));
	close(c);
	R("server reads EOF after close", recv(s, b, sizeof(b), 0));
	R("send after peer close", send(s, "x", 1, MSG_NOSIGNAL));
	usleep(20000);
	R("send after the reset", send(s, "x", 1, MSG_NOSIGNAL));
	close(s);
	/* busy and refused ports */
	s = socket(AF_INET, SOCK_STREAM, 0);
	a.sin_addr.s_addr = htonl(INADDR_ANY);
	R("bind busy port", bind(s, (struct sockaddr *)&a, sizeof(a)));
	close(s);
	close(l);
	c = socket(AF_INET, SOCK_STREAM, 0);
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	R("connect refused", connect(c, (struct sockaddr *)&a, sizeof(a)));
	close(c);
	/* non-blocking connect */
	l = socket(AF_INET, SOCK_STREAM, 0);
	a.sin_port = 0;
	bind(l, (struct sockaddr *)&a, sizeof(a));
	listen(l, 1);
	a.sin_port = htons(port_of(l));
	c = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
	R("non-blocking connect", connect(c, (struct sockaddr *)&a, sizeof(a)));
	{
		struct pollfd p = { .fd = c, .events = POLLOUT };
		R("poll writable", poll(&p, 1, 1000));
	}
	v = -1;
	R("SO_ERROR", (getsockopt(c, SOL_SOCKET, SO_ERROR, &v, &len), v));
	R("connect when connected", connect(c, (struct sockaddr *)&a, sizeof(a)));
	close(c);
	close(l);
}

static void
udp4(void)
{
	struct sockaddr_in a = v4(INADDR_LOOPBACK, 0), from;
	socklen_t flen = sizeof(from);
	int r = socket(AF_INET, SOCK_DGRAM, 0), s = socket(AF_INET, SOCK_DGRAM, 0);
	char b[16] = { 0 };

	R("bind udp", bind(r, (struct sockaddr *)&a, sizeof(a)));
	a.sin_port = htons(port_of(r));
	R("sendto", sendto(s, "dgram", 5, 0, (struct sockaddr *)&a, sizeof(a)));
	show_name("sender name", s, false);
	R("recvfrom", recvfrom(r, b, sizeof(b), 0, (struct sockaddr *)&from, &flen));
	printf("from %s, sender's port %s\n", inet_ntoa(from.sin_addr),
	       ntohs(from.sin_port) == port_of(s) ? "yes" : "no");
	R("send unconnected", send(s, "x", 1, 0));
	R("connect", connect(s, (struct sockaddr *)&a, sizeof(a)));
	R("send", send(s, "two", 3, 0));
	R("recv", recv(r, b, sizeof(b), 0));
	R("sendto off loopback unconnected", ({ struct sockaddr_in o = v4(0x0a000001, 9);
		int k = socket(AF_INET, SOCK_DGRAM, 0); long x = sendto(k, "", 0, 0, (struct sockaddr *)&o, 0); close(k); x; }));
	close(s);
	close(r);
}

static void
tcp6(void)
{
	struct sockaddr_in6 a = { .sin6_family = AF_INET6, .sin6_addr = IN6ADDR_ANY_INIT };
	struct sockaddr_in b4;
	int l = socket(AF_INET6, SOCK_STREAM, 0), c, s, v = 0;
	socklen_t len = sizeof(v);

	R("IPV6_V6ONLY", (getsockopt(l, IPPROTO_IPV6, IPV6_V6ONLY, &v, &len), v));
	R("bind [::]:0", bind(l, (struct sockaddr *)&a, sizeof(a)));
	R("listen", listen(l, 4));
	b4 = v4(INADDR_LOOPBACK, port_of(l));
	c = socket(AF_INET, SOCK_STREAM, 0);
	R("IPv4 connect to dual-stack", connect(c, (struct sockaddr *)&b4, sizeof(b4)));
	s = accept(l, NULL, NULL);
	show_name("accepted peer (v4-mapped)", s, true);
	show_name("accepted name", s, false);
	close(s);
	close(c);
	a.sin6_addr = in6addr_loopback;
	a.sin6_port = htons(port_of(l));
	c = socket(AF_INET6, SOCK_STREAM, 0);
	R("connect [::1]", connect(c, (struct sockaddr *)&a, sizeof(a)));
	show_name("v6 client name", c, false);
	s = accept(l, NULL, NULL);
	show_name("v6 accepted peer", s, true);
	close(s);
	close(c);
	close(l);
	R("bind v4 address to v6 socket", ({ int k = socket(AF_INET6, SOCK_STREAM, 0);
		int x = bind(k, (struct sockaddr *)&b4, sizeof(b4)); int e = errno; close(k); errno = e; x; }));
	R("short address", ({ int k = socket(AF_INET, SOCK_STREAM, 0);
		int x = bind(k, (struct sockaddr *)&b4, 8); int e = errno; close(k); errno = e; x; }));
}

int
main(void)
{
	signal(SIGPIPE, SIG_IGN);
	tcp4();
	udp4();
	tcp6();
	R("socketpair AF_INET", socketpair(AF_INET, SOCK_STREAM, 0, (int[2]){ 0 }));
	return 0;
}
