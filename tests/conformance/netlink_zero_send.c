/* Zero-length netlink sends (Linux 6.18 netlink_sendmsg: ENODATA), against the address and
 * flag checks around them. */
#include "cf.h"
#include <linux/netlink.h>
#include <sys/socket.h>

int
main(void)
{
	int s = socket(AF_NETLINK, SOCK_RAW, NETLINK_ROUTE);
	int r = socket(AF_NETLINK, SOCK_RAW, NETLINK_ROUTE);
	struct sockaddr_nl k = { .nl_family = AF_NETLINK }, me = { .nl_family = AF_NETLINK }, bad = k;
	socklen_t len = sizeof(me);
	char b = 0;

	bad.nl_family = AF_INET;
	bind(r, (void *)&k, sizeof(k));
	getsockname(r, (void *)&me, &len);
	R("send 0 to the kernel", send(s, &b, 0, 0));
	R("sendto 0 to the kernel", sendto(s, &b, 0, 0, (void *)&k, sizeof(k)));
	R("sendto 0 to a user socket", sendto(s, &b, 0, 0, (void *)&me, sizeof(me)));
	R("sendto 0, a bad family", sendto(s, &b, 0, 0, (void *)&bad, sizeof(bad)));
	R("sendto 0, a short address", sendto(s, &b, 0, 0, (void *)&k, 4));
	R("send 0 MSG_OOB", send(s, &b, 0, MSG_OOB));
	R("send 1 MSG_OOB", send(s, &b, 1, MSG_OOB));
	R("sendto 1, a bad family", sendto(s, &b, 1, 0, (void *)&bad, sizeof(bad)));
	R("send 1 to the kernel", send(s, &b, 1, 0));
	struct iovec iov = { &b, 0 };
	struct msghdr m = { .msg_iov = &iov, .msg_iovlen = 1 };
	R("sendmsg 0", sendmsg(s, &m, 0));
	R("write 0", write(s, &b, 0));
	return 0;
}
