/* MCAST_JOIN_GROUP / MCAST_LEAVE_GROUP (struct group_req, IPv4 groups on lo): join, a
 * second join, leave, a leave of what was not joined, bad lengths and families, on UDP and
 * on TCP (which IP_ADD_MEMBERSHIP refuses but these allow), and a socket accept makes from a
 * listener that joined has no membership (CVE-2017-8890; LTP accept02). */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include "cf.h"

static struct group_req
group(const char *addr, int family)
{
	struct group_req g;
	struct sockaddr_in *in = (struct sockaddr_in *)&g.gr_group;

	memset(&g, 0, sizeof(g));
	g.gr_interface = 1; /* lo */
	in->sin_family = (sa_family_t)family;
	inet_aton(addr, &in->sin_addr);
	return g;
}

int
main(void)
{
	struct group_req g = group("224.0.0.199", AF_INET);
	struct group_req bad6 = group("224.0.0.199", AF_INET6);
	struct group_req uni = group("127.0.0.1", AF_INET);
	struct ip_mreqn mr = { .imr_ifindex = 1 };
	struct sockaddr_in sa = { .sin_family = AF_INET };
	socklen_t sl = sizeof(sa);
	int u, l, c, a;

	cf_init();
	u = socket(AF_INET, SOCK_DGRAM, 0);
	R("udp join", setsockopt(u, IPPROTO_IP, MCAST_JOIN_GROUP, &g, sizeof(g)));
	R("udp join again", setsockopt(u, IPPROTO_IP, MCAST_JOIN_GROUP, &g, sizeof(g)));
	R("udp join short", setsockopt(u, IPPROTO_IP, MCAST_JOIN_GROUP, &g, sizeof(g) - 1));
	R("udp join AF_INET6 group", setsockopt(u, IPPROTO_IP, MCAST_JOIN_GROUP, &bad6, sizeof(g)));
	R("udp join unicast", setsockopt(u, IPPROTO_IP, MCAST_JOIN_GROUP, &uni, sizeof(g)));
	R("udp leave", setsockopt(u, IPPROTO_IP, MCAST_LEAVE_GROUP, &g, sizeof(g)));
	R("udp leave again", setsockopt(u, IPPROTO_IP, MCAST_LEAVE_GROUP, &g, sizeof(g)));
	R("udp join", setsockopt(u, IPPROTO_IP, MCAST_JOIN_GROUP, &g, sizeof(g)));
	inet_aton("224.0.0.199", &mr.imr_multiaddr);
	R("udp IP_DROP_MEMBERSHIP of it", setsockopt(u, IPPROTO_IP, IP_DROP_MEMBERSHIP, &mr,
						      sizeof(mr)));
	close(u);

	l = socket(AF_INET, SOCK_STREAM, 0);
	R("tcp IP_ADD_MEMBERSHIP", setsockopt(l, IPPROTO_IP, IP_ADD_MEMBERSHIP, &mr, sizeof(mr)));
	R("tcp join", setsockopt(l, IPPROTO_IP, MCAST_JOIN_GROUP, &g, sizeof(g)));
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	R("bind", bind(l, (struct sockaddr *)&sa, sizeof(sa)));
	R("listen", listen(l, 1));
	getsockname(l, (struct sockaddr *)&sa, &sl);
	c = socket(AF_INET, SOCK_STREAM, 0);
	R("connect", connect(c, (struct sockaddr *)&sa, sizeof(sa)));
	a = accept(l, NULL, NULL);
	YN("accepted", a >= 0);
	R("accepted leave", setsockopt(a, IPPROTO_IP, MCAST_LEAVE_GROUP, &g, sizeof(g)));
	R("listener leave", setsockopt(l, IPPROTO_IP, MCAST_LEAVE_GROUP, &g, sizeof(g)));
	R("listener leave again", setsockopt(l, IPPROTO_IP, MCAST_LEAVE_GROUP, &g, sizeof(g)));
	return 0;
}
