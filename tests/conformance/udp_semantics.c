/* UDP on loopback: disconnecting (AF_UNSPEC) forgets the peer and an automatic name, port 0
 * peers and destinations, the port-unreachable error failing the next send, a connected
 * socket taking its peer's datagrams only, a non-blocking receive after SHUT_RD, IPv4
 * addresses given to IPv6 sockets, the multicast and packet-info options; TCP_INFO and a
 * zero-time SO_LINGER close. */
#include "cf.h"
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <arpa/inet.h>
#include <poll.h>
#include <sys/socket.h>

static struct sockaddr_in
lo(int port)
{
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons((uint16_t)port),
				 .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	return a;
}

static int
port_of(int s)
{
	struct sockaddr_in a;
	socklen_t l = sizeof(a);

	getsockname(s, (struct sockaddr *)&a, &l);
	return ntohs(a.sin_port);
}

static void
disconnect(void)
{
	int r = socket(AF_INET, SOCK_DGRAM, 0), s = socket(AF_INET, SOCK_DGRAM, 0);
	struct sockaddr_in a = lo(0), got;
	struct sockaddr un = { .sa_family = AF_UNSPEC };
	socklen_t l;

	bind(r, (struct sockaddr *)&a, sizeof(a));
	a = lo(port_of(r));
	OK("connect", connect(s, (struct sockaddr *)&a, sizeof(a)));
	YN("autobound", port_of(s) != 0);
	OK("disconnect", connect(s, &un, sizeof(un)));
	l = sizeof(got);
	OK("getpeername", getpeername(s, (struct sockaddr *)&got, &l));
	YN("name forgotten", port_of(s) == 0);
	a = lo(0);
	a.sin_addr.s_addr = htonl(INADDR_ANY);
	OK("connect any:0", connect(s, (struct sockaddr *)&a, sizeof(a)));
	l = sizeof(got);
	OK("getpeername port 0", getpeername(s, (struct sockaddr *)&got, &l));
	a = lo(0);
	R("sendto port 0", sendto(s, "x", 1, 0, (struct sockaddr *)&a, sizeof(a)));
	close(s);
	close(r);
}

static void
refused(void)
{
	int r = socket(AF_INET, SOCK_DGRAM, 0), s = socket(AF_INET, SOCK_DGRAM, 0), p;
	struct sockaddr_in a = lo(0);
	struct pollfd pf;

	bind(r, (struct sockaddr *)&a, sizeof(a));
	p = port_of(r);
	a = lo(p);
	connect(s, (struct sockaddr *)&a, sizeof(a));
	close(r); /* nobody on the port now */
	R("send", send(s, "x", 1, 0));
	pf = (struct pollfd){ s, POLLERR, 0 };
	R("poll POLLERR", poll(&pf, 1, 5000));
	R("send again", send(s, "x", 1, 0));
	R("and again", send(s, "x", 1, 0));
	close(s);
}

static void
connected_filter(void)
{
	int r = socket(AF_INET, SOCK_DGRAM, 0), peer = socket(AF_INET, SOCK_DGRAM, 0);
	int other = socket(AF_INET, SOCK_DGRAM, 0);
	struct sockaddr_in a = lo(0);
	char c;

	bind(r, (struct sockaddr *)&a, sizeof(a));
	bind(peer, (struct sockaddr *)&a, sizeof(a));
	a = lo(port_of(peer));
	connect(r, (struct sockaddr *)&a, sizeof(a));
	a = lo(port_of(r));
	R("other sends", sendto(other, "o", 1, 0, (struct sockaddr *)&a, sizeof(a)));
	R("peer sends", sendto(peer, "p", 1, 0, (struct sockaddr *)&a, sizeof(a)));
	struct pollfd pf = { r, POLLIN, 0 };
	poll(&pf, 1, 5000);
	R("recv", recv(r, &c, 1, MSG_DONTWAIT));
	printf("from %c\n", c);
	R("recv again", recv(r, &c, 1, MSG_DONTWAIT));
	OK("shutdown SHUT_RD", shutdown(r, SHUT_RD));
	R("recv after SHUT_RD, non-blocking", recv(r, &c, 1, MSG_DONTWAIT));
	close(r);
	close(peer);
	close(other);
}

static void
v6_takes_v4(void)
{
	int r = socket(AF_INET, SOCK_DGRAM, 0), s = socket(AF_INET6, SOCK_DGRAM, 0);
	struct sockaddr_in a = lo(0);
	char c;

	bind(r, (struct sockaddr *)&a, sizeof(a));
	a = lo(port_of(r));
	R("v6 sendto sockaddr_in", sendto(s, "4", 1, 0, (struct sockaddr *)&a, sizeof(a)));
	OK("v6 connect sockaddr_in", connect(s, (struct sockaddr *)&a, sizeof(a)));
	struct pollfd pf = { r, POLLIN, 0 };
	poll(&pf, 1, 5000);
	R("received", recv(r, &c, 1, MSG_DONTWAIT));
	close(s);
	close(r);
}

static void
getint(int s, int level, int opt, const char *name)
{
	int v = -7;
	socklen_t l = sizeof(v);
	int r = getsockopt(s, level, opt, &v, &l);

	printf("%s: %s %d\n", name, r ? en(errno) : "ok", v);
}

static void
options(void)
{
	int s = socket(AF_INET, SOCK_DGRAM, 0), v;
	unsigned char c = 6;
	struct ip_mreq m = { 0 };

	getint(s, IPPROTO_IP, IP_MULTICAST_TTL, "multicast_ttl");
	getint(s, IPPROTO_IP, IP_MULTICAST_LOOP, "multicast_loop");
	OK("multicast_ttl char 6", setsockopt(s, IPPROTO_IP, IP_MULTICAST_TTL, &c, 1));
	getint(s, IPPROTO_IP, IP_MULTICAST_TTL, "multicast_ttl");
	v = -1;
	OK("multicast_ttl -1", setsockopt(s, IPPROTO_IP, IP_MULTICAST_TTL, &v, sizeof(v)));
	getint(s, IPPROTO_IP, IP_MULTICAST_TTL, "multicast_ttl");
	v = 256;
	OK("multicast_ttl 256", setsockopt(s, IPPROTO_IP, IP_MULTICAST_TTL, &v, sizeof(v)));
	c = 0;
	OK("multicast_loop char 0", setsockopt(s, IPPROTO_IP, IP_MULTICAST_LOOP, &c, 1));
	getint(s, IPPROTO_IP, IP_MULTICAST_LOOP, "multicast_loop");
	getint(s, IPPROTO_IP, IP_PKTINFO, "pktinfo");
	v = 1;
	OK("pktinfo on", setsockopt(s, IPPROTO_IP, IP_PKTINFO, &v, sizeof(v)));
	getint(s, IPPROTO_IP, IP_PKTINFO, "pktinfo");
	OK("recvorigdstaddr on", setsockopt(s, IPPROTO_IP, IP_RECVORIGDSTADDR, &v, sizeof(v)));
	getint(s, IPPROTO_IP, IP_RECVORIGDSTADDR, "recvorigdstaddr");
	OK("add membership of nothing", setsockopt(s, IPPROTO_IP, IP_ADD_MEMBERSHIP, &m, sizeof(m)));
	close(s);
	s = socket(AF_INET6, SOCK_DGRAM, 0);
	getint(s, IPPROTO_IPV6, IPV6_RECVORIGDSTADDR, "v6 recvorigdstaddr");
	OK("v6 recvpktinfo on", setsockopt(s, IPPROTO_IPV6, IPV6_RECVPKTINFO, &v, sizeof(v)));
	getint(s, IPPROTO_IPV6, IPV6_RECVPKTINFO, "v6 recvpktinfo");
	close(s);
}

static void
tcp_bits(void)
{
	int l = socket(AF_INET, SOCK_STREAM, 0), c = socket(AF_INET, SOCK_STREAM, 0), s;
	struct sockaddr_in a = lo(0);
	struct tcp_info ti;
	socklen_t tl = sizeof(ti);
	struct linger lg = { 1, 0 };
	char b;

	bind(l, (struct sockaddr *)&a, sizeof(a));
	listen(l, 1);
	a = lo(port_of(l));
	connect(c, (struct sockaddr *)&a, sizeof(a));
	s = accept(l, NULL, NULL);
	OK("TCP_INFO", getsockopt(c, IPPROTO_TCP, TCP_INFO, &ti, &tl));
	printf("len %d state %d ca_state %d cwnd>0 %d rto>0 %d\n", (int)tl, ti.tcpi_state,
	       ti.tcpi_ca_state, ti.tcpi_snd_cwnd > 0, ti.tcpi_rto > 0);
	tl = 1;
	OK("TCP_INFO one byte", getsockopt(c, IPPROTO_TCP, TCP_INFO, &ti, &tl));
	printf("len %d\n", (int)tl);
	OK("SO_LINGER 1 0", setsockopt(s, SOL_SOCKET, SO_LINGER, &lg, sizeof(lg)));
	close(s);
	struct pollfd pf = { c, POLLIN, 0 };
	R("poll", poll(&pf, 1, 5000));
	printf("revents %#x\n", pf.revents & (POLLIN | POLLERR | POLLHUP));
	R("read after reset", read(c, &b, 1));
	close(c);
	close(l);
}

int
main(void)
{
	cf_init();
	alarm(30);
	disconnect();
	refused();
	connected_filter();
	v6_takes_v4();
	options();
	tcp_bits();
	return 0;
}
