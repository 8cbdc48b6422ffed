/* SO_PEEK_OFF (unix stream, datagram and seqpacket, TCP and UDP; not netlink): -1 at first;
 * set, a MSG_PEEK starts that far into what is queued and moves it on by what it peeked;
 * a read moves it back (datagrams: by the whole datagram for unix, by what the read
 * returned for UDP); past the end a peek waits (EAGAIN); negative: peeks start at the
 * front again. In a network namespace of the test's own. */
#include "cf.h"
#include <netinet/in.h>
#include <linux/netlink.h>
#include <sys/socket.h>

static int
peekoff(int s)
{
	int v = -99;
	socklen_t l = sizeof(v);

	return getsockopt(s, SOL_SOCKET, SO_PEEK_OFF, &v, &l) < 0 ? -errno : v;
}

static void
rd(int s, size_t n, int flags, const char *what)
{
	char b[32] = { 0 };
	struct iovec io = { b, n };
	struct msghdr m = { .msg_iov = &io, .msg_iovlen = 1 };
	ssize_t r = recvmsg(s, &m, flags | MSG_DONTWAIT);

	if (r < 0)
		printf("  %s %zu: %s", what, n, en(errno));
	else
		printf("  %s %zu: %zd '%s'%s", what, n, r, b, m.msg_flags & MSG_TRUNC ? " TRUNC" : "");
	printf(", offset %d\n", peekoff(s));
}

static void
run(const char *name, int s, int r)
{
	int v = 0;

	printf("%s: offset %d\n", name, peekoff(r));
	send(s, "abc", 3, 0);
	send(s, "defgh", 5, 0);
	R("  set 0", setsockopt(r, SOL_SOCKET, SO_PEEK_OFF, &v, sizeof(v)));
	rd(r, 2, MSG_PEEK, "peek");
	rd(r, 2, MSG_PEEK, "peek");
	rd(r, 2, MSG_PEEK, "peek");
	rd(r, 1, MSG_PEEK | MSG_TRUNC, "peek trunc");
	rd(r, 4, 0, "read");
	rd(r, 10, MSG_PEEK, "peek");
	v = 100;
	setsockopt(r, SOL_SOCKET, SO_PEEK_OFF, &v, sizeof(v));
	rd(r, 10, MSG_PEEK, "peek at 100");
	v = -1;
	setsockopt(r, SOL_SOCKET, SO_PEEK_OFF, &v, sizeof(v));
	rd(r, 10, MSG_PEEK, "peek at -1");
	rd(r, 10, 0, "read");
	rd(r, 10, 0, "read");
	close(s);
	close(r);
}

static void
inet(const char *name, int type)
{
	struct sockaddr_in6 a;
	socklen_t al;
	int l = cf_lo_bound(AF_INET, type, &a, &al), c = socket(AF_INET, type, 0), s;

	connect(c, (struct sockaddr *)&a, al);
	s = type == SOCK_STREAM ? accept(l, NULL, NULL) : l;
	run(name, c, s);
	if (type == SOCK_STREAM)
		close(l);
}

int
main(void)
{
	int sv[2], v = 3, n;

	cf_init();
	cf_need_own_netns();
	socketpair(AF_UNIX, SOCK_STREAM, 0, sv);
	run("unix stream", sv[0], sv[1]);
	socketpair(AF_UNIX, SOCK_DGRAM, 0, sv);
	run("unix dgram", sv[0], sv[1]);
	socketpair(AF_UNIX, SOCK_SEQPACKET, 0, sv);
	run("unix seqpacket", sv[0], sv[1]);
	inet("tcp", SOCK_STREAM);
	inet("udp", SOCK_DGRAM);
	n = socket(AF_NETLINK, SOCK_RAW, NETLINK_ROUTE);
	printf("netlink: offset %d\n", peekoff(n));
	R("netlink set", setsockopt(n, SOL_SOCKET, SO_PEEK_OFF, &v, sizeof(v)));
	return 0;
}
