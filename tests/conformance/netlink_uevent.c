/* NETLINK_KOBJECT_UEVENT sockets: the types netlink takes, a port id of their own (the pid,
 * even beside a NETLINK_ROUTE socket holding it: ids are per protocol), connect binding,
 * the kernel as peer, the multicast group, SO_PASSCRED, socket filters, and a message to
 * the kernel (taken; nothing answers; sent before the group is joined, which
 * could hear the host's devices natively). A bound socket's bind must name its own port id.
 * Nothing arrives: an empty netlink socket's receive is EAGAIN, not ENOTCONN, and its poll
 * shows only POLLOUT (no POLLHUP: netlink is not connection-based). */
#include "cf.h"
#include <linux/filter.h>
#include <linux/netlink.h>
#include <poll.h>
#include <sys/socket.h>

static void
show_name(const char *label, int s)
{
	struct sockaddr_nl a = { 0 };
	socklen_t l = sizeof(a);
	int r = getsockname(s, (struct sockaddr *)&a, &l);

	printf("%s: %d len %u family %d pid-is-getpid %s groups %u\n", label, r, l,
	       a.nl_family, a.nl_pid == (unsigned)getpid() ? "yes" : "no", a.nl_groups);
}

int
main(void)
{
	struct sockaddr_nl a = { .nl_family = AF_NETLINK };
	struct sock_filter ret = { 0x6, 0, 0, 0 };
	struct sock_fprog prog = { .len = 1, .filter = &ret };
	int on = 1, v, s, r, u;
	char buf[64];
	socklen_t l;

	setvbuf(stdout, NULL, _IONBF, 0);
	FD("stream", socket(AF_NETLINK, SOCK_STREAM, NETLINK_KOBJECT_UEVENT));
	FD("seqpacket", socket(AF_NETLINK, SOCK_SEQPACKET, NETLINK_KOBJECT_UEVENT));
	s = FD("dgram", socket(AF_NETLINK, SOCK_DGRAM, NETLINK_KOBJECT_UEVENT));
	close(s);
	r = FD("route raw", socket(AF_NETLINK, SOCK_RAW, NETLINK_ROUTE));
	OK("route bind", bind(r, (struct sockaddr *)&a, sizeof(a)));
	show_name("route name", r);
	u = FD("uevent raw", socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_KOBJECT_UEVENT));
	l = sizeof(v);
	R("SO_PROTOCOL", (getsockopt(u, SOL_SOCKET, SO_PROTOCOL, &v, &l), v));
	l = sizeof(v);
	R("SO_TYPE", (getsockopt(u, SOL_SOCKET, SO_TYPE, &v, &l), v));
	OK("uevent connect", connect(u, (struct sockaddr *)&a, sizeof(a)));
	show_name("uevent name", u);
	OK("connect again", connect(u, (struct sockaddr *)&a, sizeof(a)));
	show_name("uevent name", u);
	memset(&a, 0, sizeof(a));
	l = sizeof(a);
	R("getpeername", getpeername(u, (struct sockaddr *)&a, &l));
	printf("peer len %u family %d pid %u\n", l, a.nl_family, a.nl_pid);
	struct {
		struct nlmsghdr h;
		char body[16];
	} msg = { .h = { .nlmsg_len = sizeof(msg), .nlmsg_type = 0x10,
			 .nlmsg_flags = NLM_F_REQUEST } };
	struct sockaddr_nl k = { .nl_family = AF_NETLINK };
	R("sendto the kernel", sendto(u, &msg, sizeof(msg), 0, (struct sockaddr *)&k, sizeof(k)));
	R("recv nonblocking", recv(u, buf, sizeof(buf), MSG_DONTWAIT));
	R("route recv nonblocking", recv(r, buf, sizeof(buf), MSG_DONTWAIT));
	struct pollfd pfd = { .fd = r, .events = POLLIN | POLLOUT };
	R("route poll", poll(&pfd, 1, 0));
	printf("route revents %#x\n", pfd.revents);
	pfd.fd = u;
	R("uevent poll", poll(&pfd, 1, 0));
	printf("uevent revents %#x\n", pfd.revents);
	a.nl_groups = 1;
	OK("bind group 1", bind(u, (struct sockaddr *)&a, sizeof(a)));
	show_name("after group", u);
	l = sizeof(a);
	getsockname(u, (struct sockaddr *)&a, &l);
	a.nl_groups = 1;
	OK("bind own port, group 1", bind(u, (struct sockaddr *)&a, sizeof(a)));
	show_name("after group", u);
	OK("SO_PASSCRED", setsockopt(u, SOL_SOCKET, SO_PASSCRED, &on, sizeof(on)));
	OK("SO_DETACH_FILTER none", setsockopt(u, SOL_SOCKET, SO_DETACH_FILTER, &on, sizeof(on)));
	OK("SO_ATTACH_FILTER", setsockopt(u, SOL_SOCKET, SO_ATTACH_FILTER, &prog, sizeof(prog)));
	OK("SO_DETACH_FILTER", setsockopt(u, SOL_SOCKET, SO_DETACH_FILTER, &on, sizeof(on)));
	return 0;
}
