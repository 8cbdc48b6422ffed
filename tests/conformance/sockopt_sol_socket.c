/* Every SOL_SOCKET option number 0..80 on unix stream, datagram and seqpacket, TCP and UDP
 * sockets (IPv4 and IPv6): getsockopt of a new socket (value, length, a 1-byte buffer),
 * setsockopt of 1, of 100000 and of a 1-byte value, and what reads back; then what some
 * of them do: SO_PEERNAME, SO_BUF_LOCK after SO_SNDBUF, the SO_TIMESTAMP(NS)(_NEW) family
 * (on picks one, off clears them), SO_LOCK_FILTER, SO_ATTACH_BPF's descriptor,
 * SO_NETNS_COOKIE (one per namespace), SO_RCVMARK's control message. In a network
 * namespace of the test's own. Left out: SO_COOKIE's and SO_NETNS_COOKIE's numbers. */
#include "cf.h"
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/un.h>

static const char *const kinds[] = { "unix-stream", "unix-dgram", "unix-seqpacket", "tcp",
				     "udp", "tcp6", "udp6" };

static int
make(int k)
{
	static const int fam[] = { AF_UNIX, AF_UNIX, AF_UNIX, AF_INET, AF_INET, AF_INET6, AF_INET6 };
	static const int type[] = { SOCK_STREAM, SOCK_DGRAM, SOCK_SEQPACKET, SOCK_STREAM,
				    SOCK_DGRAM, SOCK_STREAM, SOCK_DGRAM };

	return socket(fam[k], type[k], 0);
}

static void
get(int s, int o, const char *when)
{
	unsigned char b[64];
	socklen_t l = sizeof(b);
	int v;

	memset(b, 0xaa, sizeof(b));
	if (getsockopt(s, SOL_SOCKET, o, b, &l) < 0) {
		printf("  %d %s: %s\n", o, when, en(errno));
		return;
	}
	memcpy(&v, b, sizeof(v));
	printf("  %d %s: len %u int %d", o, when, l, v);
	for (unsigned i = 4; i < l && i < 40; i++)
		printf(" %02x", b[i]);
	l = 1;
	b[0] = 0xaa;
	if (getsockopt(s, SOL_SOCKET, o, b, &l) < 0)
		printf(" / %s\n", en(errno));
	else
		printf(" / len %u %02x\n", l, b[0]);
}

static const char *
set(int s, int o, int v, socklen_t len)
{
	return setsockopt(s, SOL_SOCKET, o, &v, len) < 0 ? en(errno) : "ok";
}

static void
sweep(void)
{
	for (int k = 0; k < 7; k++) {
		printf("%s\n", kinds[k]);
		for (int o = 0; o <= 80; o++) {
			/* numbers that differ from run to run */
			if (o == SO_COOKIE || o == SO_NETNS_COOKIE)
				continue;
			int s = make(k);
			get(s, o, "new");
			printf("  %d set 1 %s, 100000 %s,", o, set(s, o, 1, 4), set(s, o, 100000, 4));
			printf(" short %s\n", set(s, o, 1, 1));
			get(s, o, "then");
			close(s);
		}
	}
}

static int
geti(int s, int o)
{
	int v = -99;
	socklen_t l = sizeof(v);

	return getsockopt(s, SOL_SOCKET, o, &v, &l) < 0 ? -errno : v;
}

static void
stamps(void)
{
	static const int names[] = { SO_TIMESTAMP_OLD, SO_TIMESTAMPNS_OLD, SO_TIMESTAMP_NEW,
				     SO_TIMESTAMPNS_NEW };
	int s = socket(AF_INET, SOCK_DGRAM, 0), one = 1, zero = 0;

	for (int i = 0; i < 4; i++) {
		for (int j = 0; j < 4; j++) {
			setsockopt(s, SOL_SOCKET, names[i], &one, sizeof(one));
			setsockopt(s, SOL_SOCKET, names[j], j == i ? &one : &zero, sizeof(one));
			printf("timestamps %d on, %d %s: %d %d %d %d\n", names[i], names[j],
			       j == i ? "on" : "off", geti(s, names[0]), geti(s, names[1]),
			       geti(s, names[2]), geti(s, names[3]));
		}
	}
	close(s);
}

static void
doings(void)
{
	struct sockaddr_in6 a;
	socklen_t al;
	int sv[2], l, c, v = 5000, n;
	unsigned char name[64];
	uint64_t ck1 = 0, ck2 = 0, ck3 = 0;

	socketpair(AF_UNIX, SOCK_STREAM, 0, sv);
	al = sizeof(name);
	R("unix pair SO_PEERNAME", getsockopt(sv[0], SOL_SOCKET, SO_PEERNAME, name, &al));
	printf("  len %u\n", al);
	l = cf_lo_bound(AF_INET, SOCK_STREAM, &a, &al);
	c = socket(AF_INET, SOCK_STREAM, 0);
	connect(c, (struct sockaddr *)&a, al);
	al = sizeof(name);
	R("tcp SO_PEERNAME 64 bytes", getsockopt(c, SOL_SOCKET, SO_PEERNAME, name, &al));
	al = sizeof(struct sockaddr_in);
	memset(name, 0, sizeof(name));
	R("tcp SO_PEERNAME 16 bytes", getsockopt(c, SOL_SOCKET, SO_PEERNAME, name, &al));
	YN("  is the listener's name", al == sizeof(struct sockaddr_in) && !memcmp(name, &a, al));
	al = 4;
	R("tcp SO_PEERNAME 4 bytes", getsockopt(c, SOL_SOCKET, SO_PEERNAME, name, &al));
	printf("  len %u\n", al);
	close(c);
	close(l);

	c = socket(AF_INET, SOCK_STREAM, 0);
	printf("SO_BUF_LOCK new %d", geti(c, SO_BUF_LOCK));
	setsockopt(c, SOL_SOCKET, SO_RCVBUF, &v, sizeof(v));
	printf(", after SO_RCVBUF %d", geti(c, SO_BUF_LOCK));
	setsockopt(c, SOL_SOCKET, SO_SNDBUF, &v, sizeof(v));
	printf(", after SO_SNDBUF %d\n", geti(c, SO_BUF_LOCK));
	close(c);

	c = socket(AF_INET, SOCK_DGRAM, 0);
	n = 1000;
	R("SO_ATTACH_BPF no such fd", setsockopt(c, SOL_SOCKET, SO_ATTACH_BPF, &n, sizeof(n)));
	R("SO_ATTACH_BPF a socket", setsockopt(c, SOL_SOCKET, SO_ATTACH_BPF, &c, sizeof(c)));
	R("SO_ATTACH_BPF 8 bytes", setsockopt(c, SOL_SOCKET, SO_ATTACH_BPF, name, 8));
	v = 1;
	R("SO_LOCK_FILTER on", setsockopt(c, SOL_SOCKET, SO_LOCK_FILTER, &v, sizeof(v)));
	v = 0;
	R("SO_LOCK_FILTER off", setsockopt(c, SOL_SOCKET, SO_LOCK_FILTER, &v, sizeof(v)));
	R("SO_DETACH_FILTER locked", setsockopt(c, SOL_SOCKET, SO_DETACH_FILTER, &v, sizeof(v)));
	n = 1000;
	R("SO_ATTACH_BPF locked, no such fd", setsockopt(c, SOL_SOCKET, SO_ATTACH_BPF, &n, sizeof(n)));
	n = 100000;
	R("SO_BINDTOIFINDEX no such one", setsockopt(c, SOL_SOCKET, SO_BINDTOIFINDEX, &n, sizeof(n)));
	al = sizeof(name);
	R("SO_BINDTODEVICE then", getsockopt(c, SOL_SOCKET, SO_BINDTODEVICE, name, &al));
	close(c);

	c = socket(AF_INET, SOCK_DGRAM, 0);
	al = sizeof(ck1);
	R("SO_NETNS_COOKIE", getsockopt(c, SOL_SOCKET, SO_NETNS_COOKIE, &ck1, &al));
	al = 4;
	R("SO_NETNS_COOKIE 4 bytes", getsockopt(c, SOL_SOCKET, SO_NETNS_COOKIE, &ck2, &al));
	al = 16;
	R("SO_NETNS_COOKIE 16 bytes", getsockopt(c, SOL_SOCKET, SO_NETNS_COOKIE, name, &al));
	close(c);
	c = socket(AF_UNIX, SOCK_DGRAM, 0);
	al = sizeof(ck2);
	getsockopt(c, SOL_SOCKET, SO_NETNS_COOKIE, &ck2, &al);
	close(c);
	YN("  same namespace, same cookie", ck1 == ck2 && ck1);
	if (unshare(CLONE_NEWNET) == 0) {
		c = socket(AF_INET, SOCK_DGRAM, 0);
		al = sizeof(ck3);
		getsockopt(c, SOL_SOCKET, SO_NETNS_COOKIE, &ck3, &al);
		YN("  another namespace, another cookie", ck3 != ck1 && ck3);
		close(c);
	}
}

/* SO_RCVMARK: each datagram's control messages say its sender's SO_MARK */
static void
rcvmark(void)
{
	struct sockaddr_in6 a;
	socklen_t al;
	int r = cf_lo_bound(AF_INET, SOCK_DGRAM, &a, &al), s = socket(AF_INET, SOCK_DGRAM, 0), v = 1;
	char buf[8], ctl[256];

	for (int i = 0; i < 3; i++) {
		struct iovec io = { buf, sizeof(buf) };
		struct msghdr m = { .msg_iov = &io, .msg_iovlen = 1, .msg_control = ctl,
				    .msg_controllen = sizeof(ctl) };

		if (i == 1)
			R("SO_RCVMARK on", setsockopt(r, SOL_SOCKET, SO_RCVMARK, &v, sizeof(v)));
		if (i == 2) {
			v = 77;
			R("SO_MARK 77", setsockopt(s, SOL_SOCKET, SO_MARK, &v, sizeof(v)));
		}
		sendto(s, "x", 1, 0, (struct sockaddr *)&a, al);
		R("recvmsg", recvmsg(r, &m, 0));
		for (struct cmsghdr *c = CMSG_FIRSTHDR(&m); c; c = CMSG_NXTHDR(&m, c)) {
			unsigned mark = 0;

			memcpy(&mark, CMSG_DATA(c), sizeof(mark));
			printf("  cmsg level %d type %d len %zu value %u\n", c->cmsg_level,
			       c->cmsg_type, (size_t)c->cmsg_len, mark);
		}
	}
	close(r);
	close(s);
}

int
main(void)
{
	cf_init();
	cf_need_own_netns();
	sweep();
	stamps();
	rcvmark();
	doings();
	return 0;
}
