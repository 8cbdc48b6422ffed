/* Netlink messages between user sockets (netlink_sendmsg, netlink_connect): sendto a port
 * id delivers the bytes as they are, from the sender's port id (ECONNREFUSED without such
 * a port, or when that socket is connected to another); a group named reaches its members
 * but the sender (nl_groups in their msg_name), a full member gets ENOBUFS unless
 * NETLINK_NO_ENOBUFS; connect names a default destination (getpeername shows it,
 * AF_UNSPEC drops it); bad addresses are EINVAL, and without CAP_NET_ADMIN naming a port
 * or group is EPERM.
 * Natively this runs in a new network namespace (no kernel notifications come there). */
#include "cf.h"
#include <linux/netlink.h>
#include <sched.h>
#include <sys/socket.h>
#include <sys/wait.h>

#define GROUP 20 /* a NETLINK_ROUTE group nothing here announces on */

static long
send_to(int s, unsigned pid, unsigned groups, const char *msg)
{
	struct sockaddr_nl a = { .nl_family = AF_NETLINK, .nl_pid = pid, .nl_groups = groups };

	return sendto(s, msg, strlen(msg), 0, (void *)&a, sizeof(a));
}

/* What s has next: its text, and whether it came from port from (and which groups). */
static void
got(const char *what, int s, unsigned from)
{
	char buf[64] = { 0 }, label[96];
	struct sockaddr_nl a = { 0 };
	socklen_t len = sizeof(a);
	long n = recvfrom(s, buf, sizeof(buf) - 1, 0, (void *)&a, &len);

	if (n < 0) {
		printf("%s: -1 %s\n", what, en(errno));
		return;
	}
	printf("%s: %s\n", what, buf);
	snprintf(label, sizeof(label), "%s from the sender", what);
	YN(label, a.nl_pid == from);
	printf("%s groups: %#x\n", what, a.nl_groups);
}

static void
unprivileged(int s, unsigned to)
{
	struct sockaddr_nl a = { .nl_family = AF_NETLINK, .nl_pid = to };

	if (fork() == 0) {
		if (setresuid(65534, 65534, 65534) < 0)
			_exit(1);
		R("unprivileged sendto a port", send_to(s, to, 0, "x"));
		R("unprivileged sendto a group", send_to(s, 0, 1U << (GROUP - 1), "x"));
		R("unprivileged connect to a port", connect(s, (void *)&a, sizeof(a)));
		_exit(0);
	}
	wait(NULL);
}

int
main(void)
{
	setvbuf(stdout, NULL, _IONBF, 0);
	if (unshare(CLONE_NEWNET) < 0)
		(void)unshare(CLONE_NEWUSER | CLONE_NEWNET); /* not root natively */
	int a = cf_nl_route(SOCK_NONBLOCK, 0), b = cf_nl_route(SOCK_NONBLOCK, 0);
	int m = cf_nl_route(SOCK_NONBLOCK, 1U << (GROUP - 1)), c = cf_nl_route(SOCK_NONBLOCK, 0);
	unsigned pa = cf_nl_port(a), pb = cf_nl_port(b);

	R("sendto b", send_to(a, pb, 0, "one"));
	got("b", b, pa);
	R("sendto no such port", send_to(a, 0x7ffffff0, 0, "x"));
	struct sockaddr_nl sa = { .nl_family = AF_NETLINK, .nl_pid = pb };
	R("sendto a short address", sendto(a, "x", 1, 0, (void *)&sa, sizeof(sa) - 1));
	sa.nl_family = AF_INET;
	R("sendto another family", sendto(a, "x", 1, 0, (void *)&sa, sizeof(sa)));

	R("sendto b and the group", send_to(a, pb, 1U << (GROUP - 1), "two"));
	got("b", b, pa);
	got("member", m, pa);
	R("sendto the group and no such port", send_to(a, 0x7ffffff0, 1U << (GROUP - 1), "three"));
	got("member", m, pa);
	R("the member sends to its group", send_to(m, pb, 1U << (GROUP - 1), "self"));
	got("b", b, cf_nl_port(m));
	got("the member (not to itself)", m, 0);

	sa.nl_family = AF_NETLINK;
	OK("connect a to b", connect(a, (void *)&sa, sizeof(sa)));
	struct sockaddr_nl peer;
	socklen_t len = sizeof(peer);
	OK("getpeername", getpeername(a, (void *)&peer, &len));
	YN("peer is b", peer.nl_pid == pb);
	R("send", send(a, "four", 4, 0));
	got("b", b, pa);
	sa.nl_pid = pa;
	OK("connect b to a", connect(b, (void *)&sa, sizeof(sa)));
	R("c sendto b (connected to a)", send_to(c, pb, 0, "x"));
	R("a sendto b", send_to(a, pb, 0, "five"));
	got("b", b, pa);
	sa.nl_family = AF_UNSPEC;
	OK("connect b AF_UNSPEC", connect(b, (void *)&sa, sizeof(sa)));
	len = sizeof(peer);
	getpeername(b, (void *)&peer, &len);
	YN("b's peer is none again", peer.nl_pid == 0);
	R("c sendto b", send_to(c, pb, 0, "six"));
	got("b", b, cf_nl_port(c));

	int one = 1;
	OK("SO_PASSCRED", setsockopt(b, SOL_SOCKET, SO_PASSCRED, &one, sizeof(one)));
	send_to(c, pb, 0, "seven");
	char buf[16], cbuf[CMSG_SPACE(sizeof(struct ucred))];
	struct iovec iov = { buf, sizeof(buf) };
	struct msghdr mh = { .msg_iov = &iov, .msg_iovlen = 1, .msg_control = cbuf,
			     .msg_controllen = sizeof(cbuf) };
	R("recvmsg", recvmsg(b, &mh, 0));
	struct cmsghdr *cm = CMSG_FIRSTHDR(&mh);
	YN("SCM_CREDENTIALS", cm && cm->cmsg_type == SCM_CREDENTIALS);
	if (cm && cm->cmsg_type == SCM_CREDENTIALS) {
		struct ucred cr;
		memcpy(&cr, CMSG_DATA(cm), sizeof(cr));
		YN("credentials are the sender's", cr.pid == getpid() && cr.uid == getuid());
	}

	int m2 = cf_nl_route(SOCK_NONBLOCK, 1U << (GROUP - 1)), small = 1;
	OK("NETLINK_NO_ENOBUFS", setsockopt(m2, SOL_NETLINK, NETLINK_NO_ENOBUFS, &one, 4));
	len = sizeof(one);
	one = 0;
	getsockopt(m2, SOL_NETLINK, NETLINK_NO_ENOBUFS, &one, &len);
	R("NETLINK_NO_ENOBUFS reads", one);
	setsockopt(m, SOL_SOCKET, SO_RCVBUF, &small, sizeof(small));
	setsockopt(m2, SOL_SOCKET, SO_RCVBUF, &small, sizeof(small));
	for (int i = 0; i < 200; i++)
		send_to(c, 0x7ffffff0, 1U << (GROUP - 1), "many many many many many many many");
	R("an overrun member's recv", recv(m, buf, sizeof(buf), 0));
	YN("a NETLINK_NO_ENOBUFS member's recv has data", recv(m2, buf, sizeof(buf), 0) > 0);

	/* a user's send to a full socket: EAGAIN, and no overrun error for the receiver (only
	 * the kernel's sends set one) */
	int i = 0;
	while (i++ < 100000 && send_to(c, pb, 0, "full full full full full full full") > 0)
		;
	printf("send to a full socket: %s\n", en(errno));
	YN("its recv has data", recv(b, buf, sizeof(buf), 0) > 0);

	unprivileged(c, pb);
	return 0;
}
