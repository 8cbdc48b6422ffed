/* UDP receive control messages naming where a datagram went: IP_PKTINFO and
 * IP_RECVORIGDSTADDR (IPv4), IPV6_RECVPKTINFO and IPV6_RECVORIGDSTADDR (IPv6), and a
 * dual-stack socket receiving IPv4 (both kinds, in Linux's order). */
#include "cf.h"
#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>

static const int on = 1;

static void
show(const char *label, int fd, int port)
{
	char buf[16], ctl[512], a[64];
	struct iovec iov = { buf, sizeof(buf) };
	struct msghdr m = { .msg_iov = &iov, .msg_iovlen = 1, .msg_control = ctl,
			    .msg_controllen = sizeof(ctl) };
	struct pollfd p = { .fd = fd, .events = POLLIN };

	poll(&p, 1, 5000);
	printf("%s: recvmsg %zd\n", label, recvmsg(fd, &m, 0));
	for (struct cmsghdr *h = CMSG_FIRSTHDR(&m); h; h = CMSG_NXTHDR(&m, h)) {
		printf("  level %d type %d len %d", h->cmsg_level, h->cmsg_type, (int)h->cmsg_len);
		if (h->cmsg_level == IPPROTO_IP && h->cmsg_type == IP_PKTINFO) {
			struct in_pktinfo pi;

			memcpy(&pi, CMSG_DATA(h), sizeof(pi));
			printf(" ifindex-is-lo %d", pi.ipi_ifindex > 0);
			printf(" spec_dst %s", inet_ntop(AF_INET, &pi.ipi_spec_dst, a, sizeof(a)));
			printf(" addr %s", inet_ntop(AF_INET, &pi.ipi_addr, a, sizeof(a)));
		} else if (h->cmsg_level == IPPROTO_IP && h->cmsg_type == IP_ORIGDSTADDR) {
			struct sockaddr_in sin;

			memcpy(&sin, CMSG_DATA(h), sizeof(sin));
			printf(" family %d port-ok %d addr %s", sin.sin_family,
			       ntohs(sin.sin_port) == port,
			       inet_ntop(AF_INET, &sin.sin_addr, a, sizeof(a)));
		} else if (h->cmsg_level == IPPROTO_IPV6 && h->cmsg_type == IPV6_PKTINFO) {
			struct in6_pktinfo pi6;

			memcpy(&pi6, CMSG_DATA(h), sizeof(pi6));
			printf(" ifindex-is-lo %d addr %s", pi6.ipi6_ifindex > 0,
			       inet_ntop(AF_INET6, &pi6.ipi6_addr, a, sizeof(a)));
		} else if (h->cmsg_level == IPPROTO_IPV6 && h->cmsg_type == IPV6_ORIGDSTADDR) {
			struct sockaddr_in6 sin6;

			memcpy(&sin6, CMSG_DATA(h), sizeof(sin6));
			printf(" family %d port-ok %d addr %s", sin6.sin6_family,
			       ntohs(sin6.sin6_port) == port,
			       inet_ntop(AF_INET6, &sin6.sin6_addr, a, sizeof(a)));
		}
		printf("\n");
	}
}

static int
port_of(int fd)
{
	struct sockaddr_in6 a;
	socklen_t len = sizeof(a);

	getsockname(fd, (struct sockaddr *)&a, &len);
	return ntohs(a.sin6_port);
}

int
main(void)
{
	struct sockaddr_in a4 = { .sin_family = AF_INET };
	struct sockaddr_in6 a6 = { .sin6_family = AF_INET6 };
	int r, s, port;

	r = socket(AF_INET, SOCK_DGRAM, 0);
	bind(r, (struct sockaddr *)&a4, sizeof(a4)); /* the any address */
	port = port_of(r);
	setsockopt(r, IPPROTO_IP, IP_PKTINFO, &on, sizeof(on));
	setsockopt(r, IPPROTO_IP, IP_RECVORIGDSTADDR, &on, sizeof(on));
	s = socket(AF_INET, SOCK_DGRAM, 0);
	a4.sin_port = htons(port);
	a4.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	sendto(s, "x", 1, 0, (struct sockaddr *)&a4, sizeof(a4));
	show("v4 to 127.0.0.1", r, port);
	a4.sin_addr.s_addr = htonl(0x7f000002);
	sendto(s, "x", 1, 0, (struct sockaddr *)&a4, sizeof(a4));
	show("v4 to 127.0.0.2", r, port);
	close(s);
	close(r);

	r = socket(AF_INET6, SOCK_DGRAM, 0);
	bind(r, (struct sockaddr *)&a6, sizeof(a6));
	port = port_of(r);
	setsockopt(r, IPPROTO_IPV6, IPV6_RECVPKTINFO, &on, sizeof(on));
	setsockopt(r, IPPROTO_IPV6, IPV6_RECVORIGDSTADDR, &on, sizeof(on));
	s = socket(AF_INET6, SOCK_DGRAM, 0);
	a6.sin6_port = htons(port);
	a6.sin6_addr = in6addr_loopback;
	sendto(s, "x", 1, 0, (struct sockaddr *)&a6, sizeof(a6));
	show("v6 to ::1", r, port);
	close(s);
	setsockopt(r, IPPROTO_IP, IP_PKTINFO, &on, sizeof(on));
	s = socket(AF_INET, SOCK_DGRAM, 0);
	a4.sin_port = htons(port);
	a4.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	sendto(s, "x", 1, 0, (struct sockaddr *)&a4, sizeof(a4));
	show("v4 to a dual-stack socket", r, port);
	close(s);
	close(r);
	return 0;
}
