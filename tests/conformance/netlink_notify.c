/* rtnetlink notifications (rtnl_notify) in a new network namespace: a socket in
 * RTNLGRP_LINK, _IPV4_IFADDR, _IPV6_IFADDR, _IPV4_ROUTE and _IPV6_ROUTE hears lo go up
 * (with 127.0.0.1/8, ::1 and their routes) and down, its MTU change (not a change to the
 * same MTU; the ioctl too), addresses added and removed with the routes they make, and
 * routes added and removed (RTM_NEWROUTE, RTM_DELROUTE): the message, from the kernel to
 * the group, with the request's sequence number and port id where a request made it.
 * A socket in no group hears nothing. */
#include "cf.h"
#include <arpa/inet.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <net/if.h>
#include <sched.h>
#include <sys/ioctl.h>
#include <sys/socket.h>

static int ctl;
static unsigned ctl_port, seq = 100;

static void
attr(struct nlmsghdr *h, int type, const void *data, size_t n)
{
	struct rtattr *a = (struct rtattr *)((char *)h + NLMSG_ALIGN(h->nlmsg_len));

	a->rta_type = type;
	a->rta_len = RTA_LENGTH(n);
	memcpy(RTA_DATA(a), data, n);
	h->nlmsg_len = NLMSG_ALIGN(h->nlmsg_len) + RTA_ALIGN(a->rta_len);
}

/* Sends h to the kernel and prints its ack's error. */
static void
request(const char *what, struct nlmsghdr *h)
{
	struct sockaddr_nl k = { .nl_family = AF_NETLINK };
	char buf[4096];
	long n;

	h->nlmsg_flags |= NLM_F_REQUEST | NLM_F_ACK;
	h->nlmsg_seq = ++seq;
	sendto(ctl, h, h->nlmsg_len, 0, (void *)&k, sizeof(k));
	n = recv(ctl, buf, sizeof(buf), 0);
	if (n > 0 && ((struct nlmsghdr *)buf)->nlmsg_type == NLMSG_ERROR)
		printf("%s: %s\n", what,
		       en(-((struct nlmsgerr *)NLMSG_DATA((struct nlmsghdr *)buf))->error));
	else
		printf("%s: no ack\n", what);
}

static void
link_req(const char *what, unsigned flags, unsigned change, int mtu)
{
	struct {
		struct nlmsghdr h;
		struct ifinfomsg i;
		char attrs[64];
	} r = { { NLMSG_LENGTH(sizeof(struct ifinfomsg)), RTM_NEWLINK, 0, 0, 0 },
		{ .ifi_family = AF_UNSPEC, .ifi_index = 1, .ifi_flags = flags,
		  .ifi_change = change }, { 0 } };

	if (mtu)
		attr(&r.h, IFLA_MTU, &mtu, sizeof(mtu));
	request(what, &r.h);
}

static void
addr_req(const char *what, int type, int family, const char *ip, int plen)
{
	struct {
		struct nlmsghdr h;
		struct ifaddrmsg i;
		char attrs[64];
	} r = { { NLMSG_LENGTH(sizeof(struct ifaddrmsg)), type, 0, 0, 0 },
		{ .ifa_family = family, .ifa_prefixlen = plen, .ifa_index = 1 }, { 0 } };
	unsigned char a[16];

	if (type == RTM_NEWADDR)
		r.h.nlmsg_flags = NLM_F_CREATE | NLM_F_EXCL;
	inet_pton(family, ip, a);
	attr(&r.h, IFA_LOCAL, a, family == AF_INET ? 4 : 16);
	attr(&r.h, IFA_ADDRESS, a, family == AF_INET ? 4 : 16);
	request(what, &r.h);
}

static void
route_req(const char *what, int type, int family, const char *dst, int plen, int rtype)
{
	struct {
		struct nlmsghdr h;
		struct rtmsg r;
		char attrs[64];
	} r = { { NLMSG_LENGTH(sizeof(struct rtmsg)), type, 0, 0, 0 },
		{ .rtm_family = family, .rtm_dst_len = plen, .rtm_table = RT_TABLE_MAIN,
		  .rtm_protocol = RTPROT_BOOT, .rtm_scope = RT_SCOPE_LINK, .rtm_type = rtype },
		{ 0 } };
	unsigned char a[16];
	int oif = 1;

	if (type == RTM_NEWROUTE)
		r.h.nlmsg_flags = NLM_F_CREATE | NLM_F_EXCL;
	else
		r.r.rtm_scope = RT_SCOPE_NOWHERE;
	if (rtype == RTN_BLACKHOLE)
		r.r.rtm_scope = RT_SCOPE_UNIVERSE;
	inet_pton(family, dst, a);
	attr(&r.h, RTA_DST, a, family == AF_INET ? 4 : 16);
	if (rtype == RTN_UNICAST)
		attr(&r.h, RTA_OIF, &oif, sizeof(oif));
	request(what, &r.h);
}

/* One line for a notification. */
static void
show(struct nlmsghdr *h, unsigned groups)
{
	char ip[64] = "-";
	struct rtattr *a;
	int left, mtu = -1;

	printf("  %s seq %s port %s flags %#x groups %#x",
	       h->nlmsg_type == RTM_NEWLINK ? "NEWLINK" : h->nlmsg_type == RTM_NEWADDR ? "NEWADDR"
	       : h->nlmsg_type == RTM_DELADDR ? "DELADDR" : h->nlmsg_type == RTM_NEWROUTE
	       ? "NEWROUTE" : h->nlmsg_type == RTM_DELROUTE ? "DELROUTE" : "other",
	       h->nlmsg_seq == seq ? "=" : h->nlmsg_seq ? "?" : "0",
	       h->nlmsg_pid == ctl_port ? "=" : h->nlmsg_pid ? "?" : "0", h->nlmsg_flags, groups);
	if (h->nlmsg_type == RTM_NEWLINK) {
		struct ifinfomsg *i = NLMSG_DATA(h);

		left = IFLA_PAYLOAD(h);
		for (a = IFLA_RTA(i); RTA_OK(a, left); a = RTA_NEXT(a, left))
			if (a->rta_type == IFLA_MTU)
				memcpy(&mtu, RTA_DATA(a), 4);
		printf(": index %d flags %#x mtu %d\n", i->ifi_index, i->ifi_flags, mtu);
	} else if (h->nlmsg_type == RTM_NEWADDR || h->nlmsg_type == RTM_DELADDR) {
		struct ifaddrmsg *i = NLMSG_DATA(h);

		left = IFA_PAYLOAD(h);
		for (a = IFA_RTA(i); RTA_OK(a, left); a = RTA_NEXT(a, left))
			if (a->rta_type == IFA_ADDRESS)
				inet_ntop(i->ifa_family, RTA_DATA(a), ip, sizeof(ip));
		printf(": %s/%d scope %d index %d\n", ip, i->ifa_prefixlen, i->ifa_scope,
		       i->ifa_index);
	} else {
		struct rtmsg *r = NLMSG_DATA(h);
		char src[64] = "-";
		int oif = 0;

		left = RTM_PAYLOAD(h);
		for (a = RTM_RTA(r); RTA_OK(a, left); a = RTA_NEXT(a, left)) {
			if (a->rta_type == RTA_DST)
				inet_ntop(r->rtm_family, RTA_DATA(a), ip, sizeof(ip));
			if (a->rta_type == RTA_PREFSRC)
				inet_ntop(r->rtm_family, RTA_DATA(a), src, sizeof(src));
			if (a->rta_type == RTA_OIF)
				memcpy(&oif, RTA_DATA(a), 4);
		}
		printf(": %s/%d table %d type %d scope %d proto %d src %s oif %d\n", ip,
		       r->rtm_dst_len, r->rtm_table, r->rtm_type, r->rtm_scope, r->rtm_protocol,
		       src, oif);
	}
}

static void
heard(int s)
{
	char buf[8192];

	for (;;) {
		struct sockaddr_nl from;
		socklen_t len = sizeof(from);
		long n = recvfrom(s, buf, sizeof(buf), 0, (void *)&from, &len);

		if (n < 0) {
			if (errno != EAGAIN)
				printf("  recv: -1 %s\n", en(errno));
			return;
		}
		if (from.nl_pid != 0)
			printf("  not from the kernel\n");
		for (struct nlmsghdr *h = (void *)buf; NLMSG_OK(h, n); h = NLMSG_NEXT(h, n))
			show(h, from.nl_groups);
	}
}

int
main(void)
{
	unsigned groups = 1U << (RTNLGRP_LINK - 1) | 1U << (RTNLGRP_IPV4_IFADDR - 1) |
			  1U << (RTNLGRP_IPV6_IFADDR - 1) | 1U << (RTNLGRP_IPV4_ROUTE - 1) |
			  1U << (RTNLGRP_IPV6_ROUTE - 1);
	struct sockaddr_nl a;
	socklen_t len = sizeof(a);
	struct ifreq ifr = { .ifr_name = "lo" };
	int m, none, fd;

	setvbuf(stdout, NULL, _IONBF, 0);
	if (unshare(CLONE_NEWNET) < 0) {
		printf("unshare: %s\n", en(errno));
		return 0;
	}
	m = cf_nl_route(SOCK_NONBLOCK, groups);
	none = cf_nl_route(SOCK_NONBLOCK, 0);
	ctl = socket(AF_NETLINK, SOCK_RAW, NETLINK_ROUTE);
	bind(ctl, (void *)&(struct sockaddr_nl){ .nl_family = AF_NETLINK }, sizeof(a));
	getsockname(ctl, (void *)&a, &len);
	ctl_port = a.nl_pid;

	link_req("lo up", IFF_UP, IFF_UP, 0);
	heard(m);
	link_req("mtu 1500", 0, 0, 1500);
	heard(m);
	link_req("mtu 1500 again", 0, 0, 1500);
	heard(m);
	fd = socket(AF_INET, SOCK_DGRAM, 0);
	ifr.ifr_mtu = 9000;
	OK("SIOCSIFMTU", ioctl(fd, SIOCSIFMTU, &ifr));
	heard(m);
	addr_req("add 10.9.0.1/24", RTM_NEWADDR, AF_INET, "10.9.0.1", 24);
	heard(m);
	route_req("route 10.1.0.0/16", RTM_NEWROUTE, AF_INET, "10.1.0.0", 16, RTN_UNICAST);
	heard(m);
	route_req("route 10.1.0.0/16 again", RTM_NEWROUTE, AF_INET, "10.1.0.0", 16, RTN_UNICAST);
	heard(m);
	route_req("blackhole 10.2.0.0/16", RTM_NEWROUTE, AF_INET, "10.2.0.0", 16, RTN_BLACKHOLE);
	heard(m);
	route_req("route 2001:db8::/64", RTM_NEWROUTE, AF_INET6, "2001:db8::", 64, RTN_UNICAST);
	heard(m);
	route_req("delete 10.1.0.0/16", RTM_DELROUTE, AF_INET, "10.1.0.0", 16, RTN_UNSPEC);
	heard(m);
	route_req("delete 10.1.0.0/16 again", RTM_DELROUTE, AF_INET, "10.1.0.0", 16, RTN_UNSPEC);
	heard(m);
	route_req("route 10.3.0.1/16", RTM_NEWROUTE, AF_INET, "10.3.0.1", 16, RTN_UNICAST);
	heard(m);
	addr_req("delete 10.9.0.1/24", RTM_DELADDR, AF_INET, "10.9.0.1", 24);
	heard(m);
	addr_req("add 10.8.0.1/16", RTM_NEWADDR, AF_INET, "10.8.0.1", 16);
	heard(m);
	link_req("lo down", 0, IFF_UP, 0);
	heard(m);
	route_req("route 10.4.0.0/16 while down", RTM_NEWROUTE, AF_INET, "10.4.0.0", 16,
		  RTN_UNICAST);
	heard(m);
	link_req("lo up again", IFF_UP, IFF_UP, 0);
	heard(m);
	printf("the socket in no group:\n");
	heard(none);
	return 0;
}
