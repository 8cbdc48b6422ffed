/* /proc/net/igmp: lo's IPv4 multicast groups as sockets join and leave them
 * (IP_ADD_MEMBERSHIP, IP_DROP_MEMBERSHIP, close), with their user counts; the all-hosts
 * group while lo is up; the newest group first; no lo line when it has none. Go's
 * net.Interface.MulticastAddrs reads it. Natively it runs in a network namespace of its
 * own (lo brought up) so the host's groups are left out. */
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
show(const char *label)
{
	char buf[4096];
	int fd = open("/proc/net/igmp", O_RDONLY);
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
member(const char *label, int s, int opt, const char *grp)
{
	struct ip_mreqn m = { .imr_ifindex = 1 };

	inet_pton(AF_INET, grp, &m.imr_multiaddr);
	OK(label, setsockopt(s, IPPROTO_IP, opt, &m, sizeof(m)));
}

int
main(void)
{
	int nl, a, b;

	if (unshare(CLONE_NEWNET) < 0) /* a private lo, down at first */
		printf("unshare: %s\n", en(errno));
	nl = socket(AF_NETLINK, SOCK_RAW, NETLINK_ROUTE);
	lo_updown(nl, true);
	show("lo up");
	a = socket(AF_INET, SOCK_DGRAM, 0);
	b = socket(AF_INET, SOCK_DGRAM, 0);
	member("a joins 239.1.2.3", a, IP_ADD_MEMBERSHIP, "239.1.2.3");
	member("b joins 239.1.2.3", b, IP_ADD_MEMBERSHIP, "239.1.2.3");
	member("b joins 239.4.5.6", b, IP_ADD_MEMBERSHIP, "239.4.5.6");
	show("two groups");
	member("a leaves 239.1.2.3", a, IP_DROP_MEMBERSHIP, "239.1.2.3");
	member("a joins 239.1.2.3 again", a, IP_ADD_MEMBERSHIP, "239.1.2.3");
	member("a joins 224.0.0.1", a, IP_ADD_MEMBERSHIP, "224.0.0.1");
	show("a back, all-hosts joined");
	close(b);
	show("b closed");
	member("a leaves 239.1.2.3", a, IP_DROP_MEMBERSHIP, "239.1.2.3");
	member("a joins 239.7.7.7", a, IP_ADD_MEMBERSHIP, "239.7.7.7");
	member("a leaves 224.0.0.1", a, IP_DROP_MEMBERSHIP, "224.0.0.1");
	lo_updown(nl, false);
	show("lo down");
	lo_updown(nl, true);
	show("lo up again");
	close(a);
	show("a closed");
	return 0;
}
