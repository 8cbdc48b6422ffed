/* SO_ZEROCOPY and MSG_ZEROCOPY over loopback (TCP and UDP, IPv4 and IPv6): without the
 * option the flag is ignored (no notice); with it each send gets the next id (TCP: not an
 * empty one; UDP: any) and a notice comes on the error queue: origin
 * SO_EE_ORIGIN_ZEROCOPY, SO_EE_CODE_ZEROCOPY_COPIED, an id range in ee_info..ee_data (notices
 * still queued are joined, so only the ids seen are printed), no address, POLLERR; unix
 * sockets: EOPNOTSUPP. In a network namespace of the test's own. */
#include "cf.h"
#include <linux/errqueue.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>

#ifndef MSG_ZEROCOPY
#define MSG_ZEROCOPY 0x4000000
#endif

/* Reads notices until ids first..last were all seen: prints what they said. */
static void
notices(int s, unsigned first, unsigned last)
{
	unsigned char seen[64] = { 0 };
	unsigned got = 0;
	int odd = 0, shown = 0;

	while (got <= last - first) {
		struct pollfd p = { .fd = s };
		char ctl[256], data[8];
		struct sockaddr_in6 name;
		struct iovec io = { data, sizeof(data) };
		struct msghdr m = { .msg_name = &name, .msg_namelen = sizeof(name), .msg_iov = &io,
				    .msg_iovlen = 1, .msg_control = ctl, .msg_controllen = sizeof(ctl) };

		poll(&p, 1, -1); /* POLLERR once a notice is queued */
		if (!(p.revents & POLLERR) || recvmsg(s, &m, MSG_ERRQUEUE) != 0 || m.msg_namelen ||
		    !(m.msg_flags & MSG_ERRQUEUE)) {
			printf("  odd notice: revents %#x namelen %u flags %#x\n", p.revents,
			       m.msg_namelen, m.msg_flags);
			return;
		}
		for (struct cmsghdr *c = CMSG_FIRSTHDR(&m); c; c = CMSG_NXTHDR(&m, c)) {
			struct sock_extended_err e;

			memcpy(&e, CMSG_DATA(c), sizeof(e));
			if (e.ee_errno || e.ee_origin != SO_EE_ORIGIN_ZEROCOPY ||
			    e.ee_code != SO_EE_CODE_ZEROCOPY_COPIED || e.ee_data < e.ee_info ||
			    e.ee_info < first || e.ee_data > last)
				odd++;
			for (unsigned i = e.ee_info; i <= e.ee_data && i - first < sizeof(seen); i++)
				if (i >= first && !seen[i - first]++)
					got++;
			if (!shown++) /* (how many notices depends on when they came) */
				printf("  cmsg level %d type %d len %zu\n", c->cmsg_level,
				       c->cmsg_type, (size_t)c->cmsg_len);
		}
	}
	printf("  ids %u..%u noticed, %d odd\n", first, last, odd);
}

static void
run(const char *name, int family, int type)
{
	struct sockaddr_in6 a;
	socklen_t al;
	int l = cf_lo_bound(family, type, &a, &al), c = socket(family, type, 0), s, one = 1, two = 2;
	int v;
	char errq[8];
	socklen_t vl = sizeof(v);

	connect(c, (struct sockaddr *)&a, al);
	s = type == SOCK_STREAM ? accept(l, NULL, NULL) : l;
	printf("%s\n", name);
	R("  send without the option", send(c, "abc", 3, MSG_ZEROCOPY));
	R("  error queue", recv(c, errq, sizeof(errq), MSG_ERRQUEUE));
	R("  SO_ZEROCOPY 2", setsockopt(c, SOL_SOCKET, SO_ZEROCOPY, &two, sizeof(two)));
	R("  SO_ZEROCOPY 1", setsockopt(c, SOL_SOCKET, SO_ZEROCOPY, &one, sizeof(one)));
	getsockopt(c, SOL_SOCKET, SO_ZEROCOPY, &v, &vl);
	printf("  reads %d\n", v);
	for (int i = 0; i < 3; i++)
		R("  send", send(c, "abcdef", 6, MSG_ZEROCOPY));
	R("  send plain", send(c, "x", 1, 0));
	R("  send empty", send(c, "", 0, MSG_ZEROCOPY));
	notices(c, 0, type == SOCK_STREAM ? 2 : 3);
	R("  send", send(c, "abcdef", 6, MSG_ZEROCOPY));
	notices(c, type == SOCK_STREAM ? 3 : 4, type == SOCK_STREAM ? 3 : 4);
	R("  error queue", recv(c, errq, sizeof(errq), MSG_ERRQUEUE | MSG_DONTWAIT));
	vl = sizeof(v);
	getsockopt(c, SOL_SOCKET, SO_ERROR, &v, &vl);
	printf("  SO_ERROR %d\n", v);
	close(c);
	if (s != l)
		close(s);
	close(l);
}

int
main(void)
{
	int sv[2], one = 1;

	cf_init();
	cf_need_own_netns();
	run("tcp", AF_INET, SOCK_STREAM);
	run("udp", AF_INET, SOCK_DGRAM);
	run("tcp6", AF_INET6, SOCK_STREAM);
	run("udp6", AF_INET6, SOCK_DGRAM);
	socketpair(AF_UNIX, SOCK_STREAM, 0, sv);
	R("unix SO_ZEROCOPY", setsockopt(sv[0], SOL_SOCKET, SO_ZEROCOPY, &one, sizeof(one)));
	R("unix send MSG_ZEROCOPY", send(sv[0], "a", 1, MSG_ZEROCOPY));
	return 0;
}
