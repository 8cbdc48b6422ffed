/* /proc/net/igmp and /proc/net/igmp6, lo's multicast groups, which Go's
 * net.Interface.MulticastAddrs reads. Each part runs in a network namespace of its own
 * (natively too, so the host's groups are left out), lo down at first.
 * IPv4: groups as sockets join and leave them (IP_ADD_MEMBERSHIP, IP_DROP_MEMBERSHIP,
 * close), with their user counts; the all-hosts group while lo is up; the newest group
 * first; no lo line when it has none.
 * IPv6 (IPV6_ADD_MEMBERSHIP, IPV6_DROP_MEMBERSHIP, MCAST_JOIN_GROUP; their errors are
 * sock_mcast6_member's): lo's all-nodes groups from the start, joined groups newest first
 * with their user counts and flags (no report below link-local scope; loaded from
 * link-local up, until lo goes down); a send to a group finds no route (lo is no
 * multicast interface). */
#include "cf.h"
#include <arpa/inet.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <net/if.h>
#include <netinet/in.h>
#include <sched.h>
#include <stdbool.h>
#include <sys/socket.h>

static void
lo_updown(int nl, bool up)
{
	struct {
		struct nlmsghdr h;
		struct ifinfomsg i;
	} r = { { sizeof(r), RTM_NEWLINK, NLM_F_REQUEST | NLM_F_ACK, 1, 0 },
		{ .ifi_family = AF_UNSPEC, .ifi_index = 1, .ifi_flags = up ? IFF_UP : 0,
		  .ifi_change = IFF_UP } };
	char buf[1024];

	if (send(nl, &r, sizeof(r), 0) < 0 || recv(nl, buf, sizeof(buf), 0) < 0)
		printf("lo %s: %s\n", up ? "up" : "down", en(errno));
}

static void
show(const char *path, const char *label)
{
	char buf[4096];
	int fd = open(path, O_RDONLY);
	ssize_t n = fd < 0 ? -1 : read(fd, buf, sizeof(buf) - 1);

	printf("%s:\n", label);
	if (n < 0) {
		printf("  read: %s\n", en(errno));
	} else {
		buf[n] = 0;
		fputs(buf, stdout);
	}
	if (fd >= 0)
		close(fd);
}

static void
member4(const char *label, int s, int opt, const char *grp)
{
	struct ip_mreqn m = { .imr_ifindex = 1 };

	inet_pton(AF_INET, grp, &m.imr_multiaddr);
	OK(label, setsockopt(s, IPPROTO_IP, opt, &m, sizeof(m)));
}

static void
part4(void)
{
	int nl, a, b;

	if (unshare(CLONE_NEWNET) < 0) /* a private lo, down at first */
		printf("unshare: %s\n", en(errno));
	nl = socket(AF_NETLINK, SOCK_RAW, NETLINK_ROUTE);
	lo_updown(nl, true);
	show("/proc/net/igmp", "lo up");
	a = socket(AF_INET, SOCK_DGRAM, 0);
	b = socket(AF_INET, SOCK_DGRAM, 0);
	member4("a joins 239.1.2.3", a, IP_ADD_MEMBERSHIP, "239.1.2.3");
	member4("b joins 239.1.2.3", b, IP_ADD_MEMBERSHIP, "239.1.2.3");
	member4("b joins 239.4.5.6", b, IP_ADD_MEMBERSHIP, "239.4.5.6");
	show("/proc/net/igmp", "two groups");
	member4("a leaves 239.1.2.3", a, IP_DROP_MEMBERSHIP, "239.1.2.3");
	member4("a joins 239.1.2.3 again", a, IP_ADD_MEMBERSHIP, "239.1.2.3");
	member4("a joins 224.0.0.1", a, IP_ADD_MEMBERSHIP, "224.0.0.1");
	show("/proc/net/igmp", "a back, all-hosts joined");
	close(b);
	show("/proc/net/igmp", "b closed");
	member4("a leaves 239.1.2.3", a, IP_DROP_MEMBERSHIP, "239.1.2.3");
	member4("a joins 239.7.7.7", a, IP_ADD_MEMBERSHIP, "239.7.7.7");
	member4("a leaves 224.0.0.1", a, IP_DROP_MEMBERSHIP, "224.0.0.1");
	lo_updown(nl, false);
	show("/proc/net/igmp", "lo down");
	lo_updown(nl, true);
	show("/proc/net/igmp", "lo up again");
	close(a);
	show("/proc/net/igmp", "a closed");
	close(nl);
}

static void
member6(const char *label, int s, int opt, const char *grp, int ifindex)
{
	struct ipv6_mreq m = { .ipv6mr_interface = (unsigned)ifindex };

	inet_pton(AF_INET6, grp, &m.ipv6mr_multiaddr);
	OK(label, setsockopt(s, IPPROTO_IPV6, opt, &m, sizeof(m)));
}

static void
group_req(const char *label, int s, int opt, int family, const char *grp)
{
	struct group_req r = { .gr_interface = 1 };
	struct sockaddr_in6 *g = (struct sockaddr_in6 *)&r.gr_group;

	g->sin6_family = (sa_family_t)family;
	inet_pton(AF_INET6, grp, &g->sin6_addr);
	OK(label, setsockopt(s, IPPROTO_IPV6, opt, &r, sizeof(r)));
}

static void
part6(void)
{
	int nl, a, b, t;
	struct sockaddr_in6 dst = { .sin6_family = AF_INET6, .sin6_port = htons(5555),
				    .sin6_scope_id = 1 };

	if (unshare(CLONE_NEWNET) < 0) /* a private lo, down at first */
		printf("unshare: %s\n", en(errno));
	nl = socket(AF_NETLINK, SOCK_RAW, NETLINK_ROUTE);
	show("/proc/net/igmp6", "lo never up");
	lo_updown(nl, true);
	a = socket(AF_INET6, SOCK_DGRAM, 0);
	b = socket(AF_INET6, SOCK_DGRAM, 0);
	t = socket(AF_INET6, SOCK_STREAM, 0);
	member6("a joins ff01::114", a, IPV6_ADD_MEMBERSHIP, "ff01::114", 1);
	group_req("tcp MCAST_JOIN_GROUP ff02::114", t, MCAST_JOIN_GROUP, AF_INET6, "ff02::114");
	member6("b joins ff05::1:3", b, IPV6_ADD_MEMBERSHIP, "ff05::1:3", 1);
	member6("b joins ff01::114", b, IPV6_ADD_MEMBERSHIP, "ff01::114", 1);
	member6("b joins ff02::1", b, IPV6_ADD_MEMBERSHIP, "ff02::1", 1);
	show("/proc/net/igmp6", "joined");
	inet_pton(AF_INET6, "ff01::114", &dst.sin6_addr);
	R("send to ff01::114", sendto(b, "x", 1, 0, (struct sockaddr *)&dst, sizeof(dst)));
	member6("a leaves ff01::114", a, IPV6_DROP_MEMBERSHIP, "ff01::114", 0);
	group_req("tcp MCAST_LEAVE_GROUP ff02::114", t, MCAST_LEAVE_GROUP, AF_INET6, "ff02::114");
	member6("a joins ff0e::5", a, IPV6_ADD_MEMBERSHIP, "ff0e::5", 1);
	show("/proc/net/igmp6", "a left one, joined another");
	lo_updown(nl, false);
	member6("a joins ff02::99 with lo down", a, IPV6_ADD_MEMBERSHIP, "ff02::99", 1);
	show("/proc/net/igmp6", "lo down");
	lo_updown(nl, true);
	show("/proc/net/igmp6", "lo up again");
	close(b);
	close(a);
	close(t);
	show("/proc/net/igmp6", "all closed");
	close(nl);
}

int
main(void)
{
	part4();
	part6();
	return 0;
}
