/* Addresses on lo through NETLINK_ROUTE (RTM_NEWADDR, RTM_DELADDR): create, exists, replace,
 * exclusive, delete twice; an IPv4 prefix on lo is local as a whole (bind to an unassigned
 * address of it, sources chosen from it) with its subnet broadcast; once deleted it is
 * gone; an IPv6 address added and deleted; ::1 removed makes connects to it EADDRNOTAVAIL. Natively it runs
 * in a network namespace of its own (lo brought up) so the host's lo is left alone. */
#include "cf.h"
#include <arpa/inet.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <net/if.h>
#include <netinet/in.h>
#include <poll.h>
#include <sched.h>
#include <sys/socket.h>

static int nl;

/* One request; its error ("ack" for 0), printed unless label is NULL. */
static void
nl_req(const char *label, int type, int flags, const void *body, size_t blen,
       const void *attr, int atype, size_t alen)
{
	char req[256] = { 0 }, buf[8192];
	struct nlmsghdr *h = (struct nlmsghdr *)req;
	ssize_t n;

	h->nlmsg_len = NLMSG_LENGTH(blen);
	h->nlmsg_type = (unsigned short)type;
	h->nlmsg_flags = (unsigned short)(NLM_F_REQUEST | NLM_F_ACK | flags);
	h->nlmsg_seq = 9;
	memcpy(NLMSG_DATA(h), body, blen);
	if (attr) {
		struct rtattr *a = (struct rtattr *)(req + NLMSG_ALIGN(h->nlmsg_len));

		a->rta_type = (unsigned short)atype;
		a->rta_len = (unsigned short)RTA_LENGTH(alen);
		memcpy(RTA_DATA(a), attr, alen);
		h->nlmsg_len = NLMSG_ALIGN(h->nlmsg_len) + RTA_ALIGN(a->rta_len);
	}
	send(nl, req, h->nlmsg_len, 0);
	n = recv(nl, buf, sizeof(buf), 0);
	if (!label)
		return;
	if (n < (ssize_t)NLMSG_LENGTH(sizeof(struct nlmsgerr)) ||
	    ((struct nlmsghdr *)buf)->nlmsg_type != NLMSG_ERROR) {
		printf("%s: no answer\n", label);
		return;
	}
	int e = ((struct nlmsgerr *)NLMSG_DATA((struct nlmsghdr *)buf))->error;
	printf("%s: %s\n", label, e ? en(-e) : "ack");
}

static void
addr4(const char *label, int type, int flags, const char *ip, int plen, int index)
{
	struct ifaddrmsg m = { .ifa_family = AF_INET, .ifa_prefixlen = (unsigned char)plen,
			       .ifa_index = (unsigned)index };
	struct in_addr a;

	inet_pton(AF_INET, ip, &a);
	nl_req(label, type, flags, &m, sizeof(m), &a, IFA_LOCAL, sizeof(a));
}

static void
addr6(const char *label, int type, int flags, const char *ip, int plen)
{
	struct ifaddrmsg m = { .ifa_family = AF_INET6, .ifa_prefixlen = (unsigned char)plen,
			       .ifa_index = 1 };
	struct in6_addr a;

	inet_pton(AF_INET6, ip, &a);
	nl_req(label, type, flags, &m, sizeof(m), &a, IFA_ADDRESS, sizeof(a));
}

/* The IPv4 addresses of lo, as a dump lists them. */
static void
dump4(const char *label)
{
	char req[64] = { 0 }, buf[16384];
	struct nlmsghdr *h = (struct nlmsghdr *)req;
	struct ifaddrmsg *m = NLMSG_DATA(h);
	int done = 0;

	h->nlmsg_len = NLMSG_LENGTH(sizeof(*m));
	h->nlmsg_type = RTM_GETADDR;
	h->nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP;
	m->ifa_family = AF_INET;
	send(nl, req, h->nlmsg_len, 0);
	printf("%s:", label);
	while (!done) {
		ssize_t n = recv(nl, buf, sizeof(buf), 0);

		if (n <= 0)
			break;
		for (struct nlmsghdr *r = (struct nlmsghdr *)buf; NLMSG_OK(r, (size_t)n);
		     r = NLMSG_NEXT(r, n)) {
			if (r->nlmsg_type == NLMSG_DONE || r->nlmsg_type == NLMSG_ERROR) {
				done = 1;
				break;
			}
			struct ifaddrmsg *a = NLMSG_DATA(r);
			int left = (int)IFA_PAYLOAD(r);
			char ip[INET_ADDRSTRLEN] = "?";

			for (struct rtattr *at = IFA_RTA(a); RTA_OK(at, left); at = RTA_NEXT(at, left))
				if (at->rta_type == IFA_LOCAL)
					inet_ntop(AF_INET, RTA_DATA(at), ip, sizeof(ip));
			if (a->ifa_index == 1)
				printf(" %s/%d", ip, a->ifa_prefixlen);
		}
	}
	printf("\n");
}

static struct sockaddr_in
sa4(const char *ip, int port)
{
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons(port) };

	inet_pton(AF_INET, ip, &a.sin_addr);
	return a;
}

static int
udp_bound(const char *label, const char *ip, int port)
{
	struct sockaddr_in a = sa4(ip, port);
	int fd = socket(AF_INET, SOCK_DGRAM, 0), one = 1;

	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	OK(label, bind(fd, (struct sockaddr *)&a, sizeof(a)));
	return fd;
}

static int
port_of(int fd)
{
	struct sockaddr_in a;
	socklen_t len = sizeof(a);

	getsockname(fd, (struct sockaddr *)&a, &len);
	return ntohs(a.sin_port);
}

static void
recv_from(const char *label, int fd)
{
	struct pollfd p = { .fd = fd, .events = POLLIN };
	struct sockaddr_in from;
	socklen_t len = sizeof(from);
	char buf[16], ip[INET_ADDRSTRLEN];
	ssize_t n;

	poll(&p, 1, 10000);
	n = recvfrom(fd, buf, sizeof(buf), MSG_DONTWAIT, (struct sockaddr *)&from, &len);
	if (n < 0)
		printf("%s: -1 %s\n", label, en(errno));
	else
		printf("%s: %zd from %s\n", label, n, inet_ntop(AF_INET, &from.sin_addr, ip, sizeof(ip)));
}

int
main(void)
{
	struct sockaddr_in a;
	socklen_t len;
	char ip[INET6_ADDRSTRLEN];
	int r, s, fd, port, one = 1;

	if (unshare(CLONE_NEWNET) == 0) { /* natively: a private lo, brought up */
		struct ifinfomsg up = { .ifi_family = AF_UNSPEC, .ifi_index = 1,
					.ifi_flags = IFF_UP, .ifi_change = IFF_UP };

		nl = socket(AF_NETLINK, SOCK_RAW, NETLINK_ROUTE);
		nl_req(NULL, RTM_NEWLINK, 0, &up, sizeof(up), NULL, 0, 0);
	} else {
		nl = socket(AF_NETLINK, SOCK_RAW, NETLINK_ROUTE);
	}
	setvbuf(stdout, NULL, _IONBF, 0);
	printf("lo up\n");

	addr4("add 192.0.2.1/24", RTM_NEWADDR, 0, "192.0.2.1", 24, 1);
	addr4("add it again", RTM_NEWADDR, 0, "192.0.2.1", 24, 1);
	addr4("replace it", RTM_NEWADDR, NLM_F_REPLACE, "192.0.2.1", 24, 1);
	addr4("add it exclusively", RTM_NEWADDR, NLM_F_EXCL | NLM_F_CREATE, "192.0.2.1", 24, 1);
	addr4("add on no interface", RTM_NEWADDR, 0, "192.0.2.7", 24, 99999);
	addr4("add prefix 33", RTM_NEWADDR, 0, "192.0.2.7", 33, 1);
	dump4("lo has");

	/* the prefix is local: an unassigned address of it binds, and sources come from it */
	r = udp_bound("bind 192.0.2.254", "192.0.2.254", 0);
	port = port_of(r);
	s = udp_bound("bind 192.0.2.2", "192.0.2.2", 0);
	a = sa4("192.0.2.254", port);
	R("send from 192.0.2.2", sendto(s, "x", 1, 0, (struct sockaddr *)&a, sizeof(a)));
	recv_from("got", r);
	close(s);
	s = socket(AF_INET, SOCK_DGRAM, 0);
	R("send unbound", sendto(s, "y", 1, 0, (struct sockaddr *)&a, sizeof(a)));
	recv_from("got", r);
	close(s);
	s = socket(AF_INET, SOCK_DGRAM, 0);
	a = sa4("192.0.2.9", 9);
	OK("connect to 192.0.2.9", connect(s, (struct sockaddr *)&a, sizeof(a)));
	len = sizeof(a);
	getsockname(s, (struct sockaddr *)&a, &len);
	printf("source: %s\n", inet_ntop(AF_INET, &a.sin_addr, ip, sizeof(ip)));
	close(s);
	R("bind 192.0.3.1", ({ int f = socket(AF_INET, SOCK_DGRAM, 0); a = sa4("192.0.3.1", 0);
			       int x = bind(f, (struct sockaddr *)&a, sizeof(a)); close(f); x; }));
	close(r);

	/* the subnet broadcast */
	r = udp_bound("bind any", "0.0.0.0", 0);
	port = port_of(r);
	fd = udp_bound("bind the broadcast", "192.0.2.255", port);
	setsockopt(r, SOL_SOCKET, SO_BROADCAST, &one, sizeof(one));
	s = socket(AF_INET, SOCK_DGRAM, 0);
	a = sa4("192.0.2.255", port);
	R("broadcast without SO_BROADCAST", sendto(s, "z", 1, 0, (struct sockaddr *)&a, sizeof(a)));
	setsockopt(s, SOL_SOCKET, SO_BROADCAST, &one, sizeof(one));
	R("broadcast", sendto(s, "z", 1, 0, (struct sockaddr *)&a, sizeof(a)));
	recv_from("any-bound got", r);
	recv_from("broadcast-bound got", fd);
	close(s);
	close(fd);
	close(r);

	addr4("delete 192.0.2.1/24", RTM_DELADDR, 0, "192.0.2.1", 24, 1);
	addr4("delete it again", RTM_DELADDR, 0, "192.0.2.1", 24, 1);
	dump4("lo has");
	R("bind 192.0.2.254 now", ({ int f = socket(AF_INET, SOCK_DGRAM, 0); a = sa4("192.0.2.254", 0);
				     int x = bind(f, (struct sockaddr *)&a, sizeof(a)); close(f); x; }));
	R("connect 192.0.2.254 now", ({ int f = socket(AF_INET, SOCK_DGRAM, 0); a = sa4("192.0.2.254", 9);
					int x = connect(f, (struct sockaddr *)&a, sizeof(a)); close(f); x; }));

	/* IPv6 */
	addr6("add 2001:db8::1/64", RTM_NEWADDR, 0, "2001:db8::1", 64);
	addr6("add it again", RTM_NEWADDR, 0, "2001:db8::1", 64);
	/* (a bind to it may find it still tentative natively: DAD) */
	addr6("delete it", RTM_DELADDR, 0, "2001:db8::1", 64);
	addr6("delete it again", RTM_DELADDR, 0, "2001:db8::1", 64);
	addr6("delete ::1", RTM_DELADDR, 0, "::1", 128);
	{
		struct sockaddr_in6 b = { .sin6_family = AF_INET6, .sin6_port = htons(65535),
					  .sin6_addr = IN6ADDR_LOOPBACK_INIT };
		int f = socket(AF_INET6, SOCK_STREAM, 0);

		R("tcp connect to ::1", connect(f, (struct sockaddr *)&b, sizeof(b)));
		close(f);
		f = socket(AF_INET6, SOCK_DGRAM, 0);
		R("udp connect to ::1", connect(f, (struct sockaddr *)&b, sizeof(b)));
		close(f);
	}
	addr6("add ::1 back", RTM_NEWADDR, 0, "::1", 128);
	return 0;
}
