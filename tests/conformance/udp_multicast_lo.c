/* IPv4 multicast and broadcast over loopback: IP_ADD/DROP_MEMBERSHIP and their errors,
 * IP_MULTICAST_IF/ALL/TTL, delivery to every socket bound to the port (joined, not joined,
 * bound to the group), none once nobody has the group, binding to group and broadcast
 * addresses, SO_BROADCAST, a connect to a group, and SO_REUSEADDR giving a unicast datagram
 * to the socket bound last. Everything leaves by lo (IP_MULTICAST_IF or a loopback source),
 * so the host's other routes play no part. */
#include "cf.h"
#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>

#define GROUP "239.201.37.11"

static struct sockaddr_in
v4(const char *ip, int port)
{
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons(port) };

	inet_pton(AF_INET, ip, &a.sin_addr);
	return a;
}

static int
udp(void)
{
	return socket(AF_INET, SOCK_DGRAM, 0);
}

static int
port_of(int fd)
{
	struct sockaddr_in a;
	socklen_t len = sizeof(a);

	getsockname(fd, (struct sockaddr *)&a, &len);
	return ntohs(a.sin_port);
}

static int
bind_to(int fd, const char *ip, int port)
{
	struct sockaddr_in a = v4(ip, port);

	return bind(fd, (struct sockaddr *)&a, sizeof(a));
}

static int
join(int fd, int opt, const char *grp, const char *ifaddr, int ifindex)
{
	struct ip_mreqn m = { .imr_ifindex = ifindex };

	inet_pton(AF_INET, grp, &m.imr_multiaddr);
	inet_pton(AF_INET, ifaddr, &m.imr_address);
	return setsockopt(fd, IPPROTO_IP, opt, &m, sizeof(m));
}

static int
send_to(int fd, const char *ip, int port, const char *msg)
{
	struct sockaddr_in a = v4(ip, port);

	return sendto(fd, msg, strlen(msg), 0, (struct sockaddr *)&a, sizeof(a));
}

/* What came (waiting up to 10 s for it), or "none" right now when wait is 0. */
static void
got(const char *label, int fd, int wait)
{
	struct pollfd p = { .fd = fd, .events = POLLIN };
	char buf[64];
	ssize_t n;

	if (wait)
		poll(&p, 1, 10000);
	n = recv(fd, buf, sizeof(buf) - 1, MSG_DONTWAIT);
	if (n < 0) {
		printf("%s: none (%s)\n", label, en(errno));
		return;
	}
	buf[n] = 0;
	printf("%s: \"%s\"\n", label, buf);
}

int
main(void)
{
	int one = 1, zero = 0, v, fd, port;
	socklen_t len;
	char ip[INET_ADDRSTRLEN];

	/* memberships */
	fd = udp();
	R("join not a group", join(fd, IP_ADD_MEMBERSHIP, "10.1.2.3", "127.0.0.1", 0));
	R("join empty", join(fd, IP_ADD_MEMBERSHIP, "0.0.0.0", "0.0.0.0", 0));
	R("join no such ifindex", join(fd, IP_ADD_MEMBERSHIP, GROUP, "0.0.0.0", 0x7fff0000));
	R("join by foreign address", join(fd, IP_ADD_MEMBERSHIP, GROUP, "192.0.2.1", 0));
	R("join by lo address", join(fd, IP_ADD_MEMBERSHIP, GROUP, "127.0.0.1", 0));
	R("join again by index", join(fd, IP_ADD_MEMBERSHIP, GROUP, "0.0.0.0", 1));
	R("join short", setsockopt(fd, IPPROTO_IP, IP_ADD_MEMBERSHIP, &one, sizeof(one)));
	{
		struct ip_mreq m;

		inet_pton(AF_INET, "239.201.37.12", &m.imr_multiaddr);
		inet_pton(AF_INET, "127.0.0.1", &m.imr_interface);
		R("join ip_mreq", setsockopt(fd, IPPROTO_IP, IP_ADD_MEMBERSHIP, &m, sizeof(m)));
		R("drop ip_mreq", setsockopt(fd, IPPROTO_IP, IP_DROP_MEMBERSHIP, &m, sizeof(m)));
		R("drop ip_mreq again", setsockopt(fd, IPPROTO_IP, IP_DROP_MEMBERSHIP, &m, sizeof(m)));
	}
	R("drop by index", join(fd, IP_DROP_MEMBERSHIP, GROUP, "0.0.0.0", 1));
	R("drop again", join(fd, IP_DROP_MEMBERSHIP, GROUP, "0.0.0.0", 1));
	R("drop never joined", join(fd, IP_DROP_MEMBERSHIP, "239.201.37.13", "127.0.0.1", 0));
	{
		int i, r = 0;

		for (i = 0; i < 40 && r == 0; i++) {
			char g[32];

			snprintf(g, sizeof(g), "239.201.38.%d", i + 1);
			r = join(fd, IP_ADD_MEMBERSHIP, g, "127.0.0.1", 0);
		}
		printf("memberships before the limit: %d (%s)\n", i - 1, r ? en(errno) : "none");
	}
	close(fd);
	fd = socket(AF_INET, SOCK_STREAM, 0);
	R("tcp join", join(fd, IP_ADD_MEMBERSHIP, GROUP, "127.0.0.1", 0));
	R("tcp multicast_if", join(fd, IP_MULTICAST_IF, "0.0.0.0", "127.0.0.1", 0));
	close(fd);

	/* IP_MULTICAST_IF and IP_MULTICAST_ALL */
	fd = udp();
	{
		struct in_addr a = { 0 };

		len = sizeof(a);
		R("get multicast_if", getsockopt(fd, IPPROTO_IP, IP_MULTICAST_IF, &a, &len));
		printf("multicast_if default: %s len %d\n", inet_ntop(AF_INET, &a, ip, sizeof(ip)), len);
		inet_pton(AF_INET, "127.0.0.1", &a);
		R("set multicast_if in_addr", setsockopt(fd, IPPROTO_IP, IP_MULTICAST_IF, &a, sizeof(a)));
		len = sizeof(a);
		a.s_addr = 0;
		getsockopt(fd, IPPROTO_IP, IP_MULTICAST_IF, &a, &len);
		printf("multicast_if: %s\n", inet_ntop(AF_INET, &a, ip, sizeof(ip)));
		R("set multicast_if by index", join(fd, IP_MULTICAST_IF, "0.0.0.0", "0.0.0.0", 1));
		len = sizeof(a);
		getsockopt(fd, IPPROTO_IP, IP_MULTICAST_IF, &a, &len);
		printf("multicast_if by index: %s\n", inet_ntop(AF_INET, &a, ip, sizeof(ip)));
		R("set multicast_if foreign", join(fd, IP_MULTICAST_IF, "0.0.0.0", "192.0.2.1", 0));
		R("set multicast_if bad index", join(fd, IP_MULTICAST_IF, "0.0.0.0", "0.0.0.0", 0x7fff0000));
		R("set multicast_if short", setsockopt(fd, IPPROTO_IP, IP_MULTICAST_IF, &a, 3));
	}
	len = sizeof(v);
	getsockopt(fd, IPPROTO_IP, IP_MULTICAST_ALL, &v, &len);
	printf("multicast_all default: %d\n", v);
	close(fd);

	/* delivery */
	int s = udp(), r1 = udp(), r2 = udp(), r3 = udp(), r4 = udp();

	setsockopt(r1, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	setsockopt(r2, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	setsockopt(r3, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	setsockopt(r4, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	OK("bind r1 any", bind_to(r1, "0.0.0.0", 0));
	port = port_of(r1);
	OK("bind r2 any", bind_to(r2, "0.0.0.0", port));
	OK("bind r3 group", bind_to(r3, GROUP, port));
	OK("bind r4 any", bind_to(r4, "0.0.0.0", port));
	{
		struct sockaddr_in a;

		len = sizeof(a);
		getsockname(r3, (struct sockaddr *)&a, &len);
		printf("r3 name: %s same port %s\n", inet_ntop(AF_INET, &a.sin_addr, ip, sizeof(ip)),
		       ntohs(a.sin_port) == port ? "yes" : "no");
	}
	OK("r4 multicast_all off", setsockopt(r4, IPPROTO_IP, IP_MULTICAST_ALL, &zero, sizeof(zero)));
	OK("r1 join", join(r1, IP_ADD_MEMBERSHIP, GROUP, "0.0.0.0", 1));
	OK("r1 pktinfo", setsockopt(r1, IPPROTO_IP, IP_PKTINFO, &one, sizeof(one)));
	OK("r1 recvttl", setsockopt(r1, IPPROTO_IP, IP_RECVTTL, &one, sizeof(one)));
	OK("s multicast_if", join(s, IP_MULTICAST_IF, "0.0.0.0", "127.0.0.1", 0));
	v = 7;
	OK("s multicast_ttl", setsockopt(s, IPPROTO_IP, IP_MULTICAST_TTL, &v, sizeof(v)));
	OK("s multicast_loop off", setsockopt(s, IPPROTO_IP, IP_MULTICAST_LOOP, &zero, sizeof(zero)));
	R("send to group", send_to(s, GROUP, port, "m1"));
	{
		char buf[64], cbuf[256];
		struct sockaddr_in from;
		struct iovec io = { buf, sizeof(buf) };
		struct msghdr mh = { .msg_name = &from, .msg_namelen = sizeof(from), .msg_iov = &io,
				     .msg_iovlen = 1, .msg_control = cbuf, .msg_controllen = sizeof(cbuf) };
		struct pollfd p = { .fd = r1, .events = POLLIN };
		ssize_t n;

		poll(&p, 1, 10000);
		n = recvmsg(r1, &mh, MSG_DONTWAIT);
		printf("r1 got: %zd\n", n);
		printf("r1 from: %s port is s's %s\n", inet_ntop(AF_INET, &from.sin_addr, ip, sizeof(ip)),
		       ntohs(from.sin_port) == port_of(s) ? "yes" : "no");
		for (struct cmsghdr *c = CMSG_FIRSTHDR(&mh); c; c = CMSG_NXTHDR(&mh, c)) {
			if (c->cmsg_level == IPPROTO_IP && c->cmsg_type == IP_PKTINFO) {
				struct in_pktinfo pi;
				char ip2[INET_ADDRSTRLEN];

				memcpy(&pi, CMSG_DATA(c), sizeof(pi));
				printf("pktinfo: ifindex %d spec_dst %s addr %s\n", pi.ipi_ifindex,
				       inet_ntop(AF_INET, &pi.ipi_spec_dst, ip, sizeof(ip)),
				       inet_ntop(AF_INET, &pi.ipi_addr, ip2, sizeof(ip2)));
			} else if (c->cmsg_level == IPPROTO_IP && c->cmsg_type == IP_TTL) {
				memcpy(&v, CMSG_DATA(c), sizeof(v));
				printf("ttl: %d\n", v);
			}
		}
	}
	got("r2 (not joined)", r2, 0);
	got("r3 (bound to the group)", r3, 0);
	got("r4 (not joined, multicast_all off)", r4, 0);
	got("s (loop off, not bound to the port)", s, 0);

	/* only r2 joined now: r1 still gets it, r4 does not */
	OK("r2 join", join(r2, IP_ADD_MEMBERSHIP, GROUP, "127.0.0.1", 0));
	OK("r1 drop", join(r1, IP_DROP_MEMBERSHIP, GROUP, "127.0.0.1", 0));
	OK("r1 pktinfo off", setsockopt(r1, IPPROTO_IP, IP_PKTINFO, &zero, sizeof(zero)));
	R("send to group again", send_to(s, GROUP, port, "m2"));
	got("r2", r2, 1);
	got("r1", r1, 0);
	got("r3", r3, 0);
	got("r4", r4, 0);

	/* nobody has the group: the datagram goes nowhere; a unicast one after it comes first */
	OK("r2 drop", join(r2, IP_DROP_MEMBERSHIP, GROUP, "0.0.0.0", 1));
	close(r1);
	close(r3);
	close(r4);
	R("send to an unjoined group", send_to(s, GROUP, port, "m3"));
	R("send unicast", send_to(s, "127.0.0.1", port, "u1"));
	got("r2 first", r2, 1);
	got("r2 then", r2, 0);

	/* a connect to the group */
	{
		int c = udp();
		struct sockaddr_in a = v4(GROUP, port), b;

		OK("r2 join", join(r2, IP_ADD_MEMBERSHIP, GROUP, "127.0.0.1", 0));
		OK("c multicast_if", join(c, IP_MULTICAST_IF, "0.0.0.0", "127.0.0.1", 0));
		OK("connect to group", connect(c, (struct sockaddr *)&a, sizeof(a)));
		len = sizeof(b);
		getsockname(c, (struct sockaddr *)&b, &len);
		printf("connected source: %s\n", inet_ntop(AF_INET, &b.sin_addr, ip, sizeof(ip)));
		R("send", send(c, "m4", 2, 0));
		got("r2", r2, 1);
		close(c);
	}
	close(s);
	close(r2);

	/* bound to a group or broadcast address, sending unicast; broadcasts */
	{
		int b1 = udp(), b2 = udp(), rx = udp(), tx = udp();

		setsockopt(rx, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
		setsockopt(b2, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
		OK("bind rx any", bind_to(rx, "0.0.0.0", 0));
		port = port_of(rx);
		R("bind foreign", bind_to(b1, "192.0.2.1", 0));
		OK("bind group", bind_to(b1, GROUP, 0));
		OK("bind broadcast", bind_to(b2, "255.255.255.255", port));
		R("send from the group's name", send_to(b1, "127.0.0.1", port, "g1"));
		{
			struct sockaddr_in from;
			char buf[16];
			struct pollfd p = { .fd = rx, .events = POLLIN };
			ssize_t n;

			len = sizeof(from);
			poll(&p, 1, 10000);
			n = recvfrom(rx, buf, sizeof(buf), MSG_DONTWAIT, (struct sockaddr *)&from, &len);
			printf("rx got %zd from %s\n", n, inet_ntop(AF_INET, &from.sin_addr, ip, sizeof(ip)));
		}
		OK("bind tx loopback", bind_to(tx, "127.0.0.1", 0));
		R("broadcast without SO_BROADCAST", send_to(tx, "255.255.255.255", port, "b0"));
		OK("so_broadcast", setsockopt(tx, SOL_SOCKET, SO_BROADCAST, &one, sizeof(one)));
		R("broadcast", send_to(tx, "255.255.255.255", port, "b1"));
		got("b2 (bound to broadcast)", b2, 1);
		got("rx (bound to any)", rx, 1);
		close(b1);
		close(b2);
		close(rx);
		close(tx);
	}

	/* SO_REUSEADDR: a unicast datagram goes to the socket bound last */
	{
		int q[3];

		for (int i = 0; i < 3; i++) {
			q[i] = udp();
			setsockopt(q[i], SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
			OK("bind reuseaddr", bind_to(q[i], "127.0.0.1", i ? port : 0));
			if (!i)
				port = port_of(q[0]);
			fd = udp();
			R("send", send_to(fd, "127.0.0.1", port, i == 0 ? "q0" : i == 1 ? "q1" : "q2"));
			close(fd);
			got("last bound", q[i], 1);
		}
		for (int i = 0; i < 3; i++)
			got("afterwards", q[i], 0);
	}
	return 0;
}
