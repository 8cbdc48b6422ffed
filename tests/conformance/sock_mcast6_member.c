/* IPv6 multicast group memberships (IPV6_ADD_MEMBERSHIP / IPV6_DROP_MEMBERSHIP and
 * MCAST_JOIN_GROUP / MCAST_LEAVE_GROUP at IPPROTO_IPV6) in a network namespace of its own
 * with only lo up, as the sandbox's: joined on lo, twice (EADDRINUSE), on "any" interface
 * (no route to the group: ENODEV), on a missing one, a unicast group (EINVAL), short
 * values, leaving what was not joined (EADDRNOTAVAIL), TCP (EPROTO for the mreq form),
 * and that one socket may hold hundreds. Rust's join_multicast_v6 and Java's
 * DatagramChannel.join make these calls. */
#include "cf.h"
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>

static struct ipv6_mreq
mreq(const char *grp, int ifindex)
{
	struct ipv6_mreq m = { .ipv6mr_interface = (unsigned)ifindex };

	inet_pton(AF_INET6, grp, &m.ipv6mr_multiaddr);
	return m;
}

static void
mr(const char *label, int fd, int name, const char *grp, int ifindex, socklen_t len)
{
	struct ipv6_mreq m = mreq(grp, ifindex);

	OK(label, setsockopt(fd, IPPROTO_IPV6, name, &m, len));
}

static void
gr(const char *label, int fd, int name, const char *grp, int ifindex, int family)
{
	struct group_req g = { .gr_interface = (unsigned)ifindex };
	struct sockaddr_in6 *a = (struct sockaddr_in6 *)&g.gr_group;

	a->sin6_family = (sa_family_t)family;
	inet_pton(AF_INET6, grp, &a->sin6_addr);
	OK(label, setsockopt(fd, IPPROTO_IPV6, name, &g, sizeof(g)));
}

int
main(void)
{
	cf_need_own_netns();
	int u = socket(AF_INET6, SOCK_DGRAM, 0);
	int t = socket(AF_INET6, SOCK_STREAM, 0);
	int u4 = socket(AF_INET, SOCK_DGRAM, 0);
	socklen_t ml = sizeof(struct ipv6_mreq);

	mr("join lo", u, IPV6_ADD_MEMBERSHIP, "ff02::1:4", 1, ml);
	mr("join lo again", u, IPV6_ADD_MEMBERSHIP, "ff02::1:4", 1, ml);
	mr("join same on any", u, IPV6_ADD_MEMBERSHIP, "ff02::1:4", 0, ml);
	mr("join other on any", u, IPV6_ADD_MEMBERSHIP, "ff02::1:5", 0, ml);
	mr("join missing interface", u, IPV6_ADD_MEMBERSHIP, "ff02::1:5", 4242, ml);
	mr("join unicast", u, IPV6_ADD_MEMBERSHIP, "::1", 1, ml);
	mr("join v4-mapped", u, IPV6_ADD_MEMBERSHIP, "::ffff:239.1.1.1", 1, ml);
	mr("join short", u, IPV6_ADD_MEMBERSHIP, "ff02::1:5", 1, ml - 1);
	mr("join ff05 on lo", u, IPV6_ADD_MEMBERSHIP, "ff05::7", 1, ml);
	mr("drop not joined", u, IPV6_DROP_MEMBERSHIP, "ff02::1:9", 1, ml);
	mr("drop unicast", u, IPV6_DROP_MEMBERSHIP, "::1", 0, ml);
	mr("drop short", u, IPV6_DROP_MEMBERSHIP, "ff02::1:4", 1, 4);
	mr("drop on any", u, IPV6_DROP_MEMBERSHIP, "ff02::1:4", 0, ml);
	mr("drop again", u, IPV6_DROP_MEMBERSHIP, "ff02::1:4", 1, ml);
	mr("rejoin", u, IPV6_ADD_MEMBERSHIP, "ff02::1:4", 1, ml);

	gr("group join", u, MCAST_JOIN_GROUP, "ff02::1:6", 1, AF_INET6);
	gr("group join again", u, MCAST_JOIN_GROUP, "ff02::1:6", 1, AF_INET6);
	gr("group join any", u, MCAST_JOIN_GROUP, "ff02::1:7", 0, AF_INET6);
	gr("group join AF_INET", u, MCAST_JOIN_GROUP, "ff02::1:7", 1, AF_INET);
	gr("group leave not joined", u, MCAST_LEAVE_GROUP, "ff02::1:7", 1, AF_INET6);
	gr("group leave", u, MCAST_LEAVE_GROUP, "ff02::1:6", 1, AF_INET6);
	mr("mreq drop of ff05", u, IPV6_DROP_MEMBERSHIP, "ff05::7", 0, ml);

	mr("tcp join", t, IPV6_ADD_MEMBERSHIP, "ff02::1:4", 1, ml);
	mr("tcp drop", t, IPV6_DROP_MEMBERSHIP, "ff02::1:4", 1, ml);
	gr("tcp group join", t, MCAST_JOIN_GROUP, "ff02::1:4", 1, AF_INET6);
	mr("udp4 join", u4, IPV6_ADD_MEMBERSHIP, "ff02::1:4", 1, ml);

	/* how many: until the socket's option memory is used up */
	int s = socket(AF_INET6, SOCK_DGRAM, 0), n = 0, e = 0;

	for (; n < 5000; n++) {
		char g[64];
		struct ipv6_mreq m;

		snprintf(g, sizeof(g), "ff05::%x", n + 1);
		m = mreq(g, 1);
		if (setsockopt(s, IPPROTO_IPV6, IPV6_ADD_MEMBERSHIP, &m, ml) < 0) {
			e = errno;
			break;
		}
	}
	/* n is net.core.optmem_max over 56 bytes: 2340 with 6.9's default, 365 before */
	YN("memberships: hundreds", n >= 365 && n < 5000);
	printf("then: %s\n", e ? en(e) : "none");
	close(s); /* they go with the socket */
	s = socket(AF_INET6, SOCK_DGRAM, 0);
	mr("a new socket joins", s, IPV6_ADD_MEMBERSHIP, "ff05::1", 1, ml);
	return 0;
}
