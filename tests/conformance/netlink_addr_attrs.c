/* The attributes of lo's addresses in an RTM_GETADDR dump, in order, as Linux writes them
 * (inet_fill_ifaddr, inet6_fill_ifaddr): IFA_ADDRESS first (Go's net package takes the
 * first attribute as the address), IFA_FLAGS, IFA_CACHEINFO where Linux puts it, IFA_PROTO
 * for the ::1 the kernel made and for an address added with one; IPv6 addresses listed
 * widest scope first, the newest first within a scope; a dump of both families gives all
 * IPv4 ones first. IFA_F_TENTATIVE is left out: natively a new IPv6 address has it until
 * the DAD work (none on lo) runs, a moment later. Natively it runs in a
 * network namespace of its own (lo brought up) so the host's lo is left alone. */
#include "cf.h"
#include <arpa/inet.h>
#include <linux/if_addr.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <net/if.h>
#include <sched.h>
#include <sys/socket.h>

static int nl;

/* A request with up to two attributes (type 0: none); its error ("ack" for 0). */
static const char *
nl_req(int type, int flags, const void *body, size_t blen, int t1, const void *v1, size_t l1,
       int t2, const void *v2, size_t l2)
{
	char req[256] = { 0 }, buf[4096];
	struct nlmsghdr *h = (struct nlmsghdr *)req;
	int ts[2] = { t1, t2 };
	const void *vs[2] = { v1, v2 };
	size_t ls[2] = { l1, l2 };

	h->nlmsg_len = NLMSG_LENGTH(blen);
	h->nlmsg_type = (unsigned short)type;
	h->nlmsg_flags = (unsigned short)(NLM_F_REQUEST | NLM_F_ACK | flags);
	memcpy(NLMSG_DATA(h), body, blen);
	for (int i = 0; i < 2 && ts[i]; i++) {
		struct rtattr *a = (struct rtattr *)(req + NLMSG_ALIGN(h->nlmsg_len));

		a->rta_type = (unsigned short)ts[i];
		a->rta_len = (unsigned short)RTA_LENGTH(ls[i]);
		memcpy(RTA_DATA(a), vs[i], ls[i]);
		h->nlmsg_len = NLMSG_ALIGN(h->nlmsg_len) + RTA_ALIGN(a->rta_len);
	}
	if (send(nl, req, h->nlmsg_len, 0) < 0 || recv(nl, buf, sizeof(buf), 0) <
	    (ssize_t)NLMSG_LENGTH(sizeof(struct nlmsgerr)))
		return "no answer";
	int e = ((struct nlmsgerr *)NLMSG_DATA((struct nlmsghdr *)buf))->error;
	return e ? en(-e) : "ack";
}

/* One address message: its header fields, then each attribute's type and length in
 * order, with the values that do not change between runs. */
static void
show(struct nlmsghdr *h)
{
	struct ifaddrmsg *m = NLMSG_DATA(h);
	int left = (int)IFA_PAYLOAD(h);
	char ip[INET6_ADDRSTRLEN] = "?";

	for (struct rtattr *a = IFA_RTA(m); RTA_OK(a, left); a = RTA_NEXT(a, left))
		if (a->rta_type == IFA_ADDRESS)
			inet_ntop(m->ifa_family, RTA_DATA(a), ip, sizeof(ip));
	printf("%s/%d flags %#x scope %d:", ip, m->ifa_prefixlen,
	       m->ifa_flags & ~IFA_F_TENTATIVE, m->ifa_scope);
	left = (int)IFA_PAYLOAD(h);
	for (struct rtattr *a = IFA_RTA(m); RTA_OK(a, left); a = RTA_NEXT(a, left)) {
		printf(" %d/%d", a->rta_type, (int)RTA_PAYLOAD(a));
		if (a->rta_type == IFA_FLAGS)
			printf("=%#x", *(unsigned *)RTA_DATA(a) & ~IFA_F_TENTATIVE);
		if (a->rta_type == IFA_PROTO)
			printf("=%d", *(unsigned char *)RTA_DATA(a));
		if (a->rta_type == IFA_LABEL)
			printf("=%s", (char *)RTA_DATA(a));
	}
	printf("\n");
}

/* lo's addresses of one family, as a dump gives them */
static void
dump(int family)
{
	struct {
		struct nlmsghdr h;
		struct ifaddrmsg m;
	} r = { { sizeof(r), RTM_GETADDR, NLM_F_REQUEST | NLM_F_DUMP, 1, 0 },
		{ .ifa_family = (unsigned char)family } };
	static char buf[16384];
	ssize_t n;

	if (send(nl, &r, sizeof(r), 0) < 0) {
		printf("dump: %s\n", en(errno));
		return;
	}
	while ((n = recv(nl, buf, sizeof(buf), 0)) > 0) {
		int left = (int)n;

		for (struct nlmsghdr *h = (void *)buf; NLMSG_OK(h, left); h = NLMSG_NEXT(h, left)) {
			if (h->nlmsg_type == NLMSG_DONE || h->nlmsg_type == NLMSG_ERROR)
				return;
			if (((struct ifaddrmsg *)NLMSG_DATA(h))->ifa_index == 1)
				show(h);
		}
	}
}

int
main(void)
{
	struct ifaddrmsg a4 = { .ifa_family = AF_INET, .ifa_prefixlen = 24, .ifa_index = 1 };
	struct ifaddrmsg a6 = { .ifa_family = AF_INET6, .ifa_prefixlen = 64, .ifa_index = 1 };
	struct in_addr v4;
	struct in6_addr v6;
	unsigned char proto = 4;

	if (unshare(CLONE_NEWNET) == 0) { /* natively: a private lo, brought up */
		struct ifinfomsg up = { .ifi_family = AF_UNSPEC, .ifi_index = 1,
					.ifi_flags = IFF_UP, .ifi_change = IFF_UP };

		nl = socket(AF_NETLINK, SOCK_RAW, NETLINK_ROUTE);
		nl_req(RTM_NEWLINK, 0, &up, sizeof(up), 0, NULL, 0, 0, NULL, 0);
	} else {
		nl = socket(AF_NETLINK, SOCK_RAW, NETLINK_ROUTE);
	}
	printf("lo as it comes up:\n");
	dump(AF_UNSPEC);
	inet_pton(AF_INET, "10.9.8.7", &v4);
	printf("add 10.9.8.7/24: %s\n", nl_req(RTM_NEWADDR, NLM_F_CREATE | NLM_F_EXCL, &a4,
					       sizeof(a4), IFA_LOCAL, &v4, 4, 0, NULL, 0));
	inet_pton(AF_INET6, "fd00:1::5", &v6);
	printf("add fd00:1::5/64 proto 4: %s\n",
	       nl_req(RTM_NEWADDR, NLM_F_CREATE | NLM_F_EXCL, &a6, sizeof(a6), IFA_LOCAL, &v6, 16,
		      IFA_PROTO, &proto, 1));
	inet_pton(AF_INET6, "fd00:2::6", &v6);
	printf("add fd00:2::6/64: %s\n", nl_req(RTM_NEWADDR, NLM_F_CREATE | NLM_F_EXCL, &a6,
					      sizeof(a6), IFA_LOCAL, &v6, 16, 0, NULL, 0));
	inet_pton(AF_INET, "10.9.9.1", &v4);
	printf("add 10.9.9.1/24: %s\n", nl_req(RTM_NEWADDR, NLM_F_CREATE | NLM_F_EXCL, &a4,
					     sizeof(a4), IFA_LOCAL, &v4, 4, 0, NULL, 0));
	printf("IPv4:\n");
	dump(AF_INET);
	printf("IPv6:\n");
	dump(AF_INET6);
	printf("both:\n");
	dump(AF_UNSPEC);
	return 0;
}
