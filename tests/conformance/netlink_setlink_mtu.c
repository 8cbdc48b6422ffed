/* RTM_SETLINK with IFLA_MTU sets lo's MTU (as SIOCSIFMTU: any value but a negative one;
 * an attribute shorter than a u32 is refused), acked; SIOCGIFMTU reads it back. Natively
 * this runs in a new network namespace (its own lo). */
#include "cf.h"
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <net/if.h>
#include <sched.h>
#include <sys/ioctl.h>
#include <sys/socket.h>

struct req {
	struct nlmsghdr h;
	struct ifinfomsg ifi;
	struct rtattr a;
	unsigned int mtu;
};

/* The error an RTM_SETLINK of lo with an IFLA_MTU of alen bytes answers (0: the ack). */
static int
setlink(int s, unsigned int mtu, int alen)
{
	struct req r = { 0 };
	char buf[512];
	struct nlmsgerr *e = NLMSG_DATA((struct nlmsghdr *)buf);

	r.h.nlmsg_len = NLMSG_LENGTH(sizeof(r.ifi)) + RTA_LENGTH(alen);
	r.h.nlmsg_type = RTM_SETLINK;
	r.h.nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK;
	r.h.nlmsg_seq = 1;
	r.ifi.ifi_family = AF_UNSPEC;
	r.ifi.ifi_index = (int)if_nametoindex("lo");
	r.a.rta_type = IFLA_MTU;
	r.a.rta_len = (unsigned short)RTA_LENGTH(alen);
	r.mtu = mtu;
	if (send(s, &r, r.h.nlmsg_len, 0) < 0)
		return -1000 - errno;
	if (recv(s, buf, sizeof(buf), 0) < (long)NLMSG_LENGTH(sizeof(*e)))
		return -2000;
	return ((struct nlmsghdr *)buf)->nlmsg_type == NLMSG_ERROR ? e->error : -3000;
}

static int
mtu(void)
{
	struct ifreq ifr = { 0 };
	int s = socket(AF_INET, SOCK_DGRAM, 0);

	strcpy(ifr.ifr_name, "lo");
	ioctl(s, SIOCGIFMTU, &ifr);
	close(s);
	return ifr.ifr_mtu;
}

int
main(void)
{
	setvbuf(stdout, NULL, _IONBF, 0);
	if (unshare(CLONE_NEWNET) < 0)
		(void)unshare(CLONE_NEWUSER | CLONE_NEWNET); /* not root natively */
	int s = socket(AF_NETLINK, SOCK_RAW, NETLINK_ROUTE);

	printf("setlink mtu 9000: %d\n", setlink(s, 9000, 4));
	R("mtu", mtu());
	printf("setlink mtu 0: %d\n", setlink(s, 0, 4));
	R("mtu", mtu());
	printf("setlink mtu -1: %d\n", setlink(s, 0xffffffffu, 4));
	printf("setlink a 2-byte mtu: %d\n", setlink(s, 1280, 2));
	R("mtu", mtu());
	printf("setlink mtu 70000: %d\n", setlink(s, 70000, 4));
	R("mtu", mtu());
	return 0;
}
