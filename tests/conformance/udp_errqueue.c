/* IP_RECVERR / IPV6_RECVERR and recvmsg(MSG_ERRQUEUE) on UDP over loopback: the port
 * unreachable answer to a datagram sent to a closed port (queued with what it quotes of
 * the datagram, the destination as msg_name, a sock_extended_err and the offender), SO_ERROR
 * before and after, truncation, an IPv6 datagram too big (a local error), an IPv6 socket
 * sending IPv4 with IP_RECVERR, and turning the option off. */
#include "cf.h"
#include <arpa/inet.h>
#include <linux/errqueue.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>

static int
closed_port(int family)
{
	struct sockaddr_in6 a = { .sin6_family = family };
	socklen_t len = sizeof(a);
	int fd = socket(family, SOCK_DGRAM, 0), port;

	if (family == AF_INET)
		((struct sockaddr_in *)&a)->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	else
		a.sin6_addr = in6addr_loopback;
	bind(fd, (struct sockaddr *)&a, family == AF_INET ? sizeof(struct sockaddr_in) : sizeof(a));
	getsockname(fd, (struct sockaddr *)&a, &len);
	port = ntohs(a.sin6_port);
	close(fd);
	return port;
}

static void
addr_of(int family, const char *ip, int port, struct sockaddr_in6 *a, socklen_t *len)
{
	memset(a, 0, sizeof(*a));
	if (family == AF_INET) {
		struct sockaddr_in *in = (void *)a;

		in->sin_family = AF_INET;
		in->sin_port = htons(port);
		inet_pton(AF_INET, ip, &in->sin_addr);
		*len = sizeof(*in);
	} else {
		a->sin6_family = AF_INET6;
		a->sin6_port = htons(port);
		inet_pton(AF_INET6, ip, &a->sin6_addr);
		*len = sizeof(*a);
	}
}

static void
so_error(const char *label, int fd)
{
	int e = -1;
	socklen_t len = sizeof(e);

	getsockopt(fd, SOL_SOCKET, SO_ERROR, &e, &len);
	printf("%s: SO_ERROR %s\n", label, e ? en(e) : "0");
}

static void
wait_err(const char *label, int fd)
{
	struct pollfd p = { .fd = fd, .events = POLLIN };

	poll(&p, 1, 10000);
	printf("%s: revents POLLERR %s POLLIN %s\n", label, p.revents & POLLERR ? "yes" : "no",
	       p.revents & POLLIN ? "yes" : "no");
}

/* One recvmsg(MSG_ERRQUEUE) with room bytes, printed. */
static void
errq(const char *label, int fd, size_t room, const struct sockaddr_in6 *dst, socklen_t dlen)
{
	char buf[2048], cbuf[256], ip[INET6_ADDRSTRLEN];
	struct sockaddr_in6 name;
	struct iovec io = { buf, room };
	struct msghdr mh = { .msg_name = &name, .msg_namelen = sizeof(name), .msg_iov = &io,
			     .msg_iovlen = 1, .msg_control = cbuf, .msg_controllen = sizeof(cbuf) };
	ssize_t n;

	memset(&name, 0xaa, sizeof(name));
	n = recvmsg(fd, &mh, MSG_ERRQUEUE);
	if (n < 0) {
		printf("%s: -1 %s\n", label, en(errno));
		return;
	}
	printf("%s: %zd flags%s%s namelen %u name is the destination %s\n", label, n,
	       mh.msg_flags & MSG_ERRQUEUE ? " ERRQUEUE" : "", mh.msg_flags & MSG_TRUNC ? " TRUNC" : "",
	       mh.msg_namelen, mh.msg_namelen == dlen && !memcmp(&name, dst, dlen) ? "yes" : "no");
	for (struct cmsghdr *c = CMSG_FIRSTHDR(&mh); c; c = CMSG_NXTHDR(&mh, c)) {
		struct sock_extended_err ee;
		struct sockaddr_in6 off;

		memcpy(&ee, CMSG_DATA(c), sizeof(ee));
		memset(&off, 0, sizeof(off));
		memcpy(&off, CMSG_DATA(c) + sizeof(ee), c->cmsg_len - CMSG_LEN(sizeof(ee)));
		printf("  cmsg level %d type %d len %zu: errno %s origin %d type %d code %d pad %d "
		       "info %u data %u\n", c->cmsg_level, c->cmsg_type, (size_t)c->cmsg_len,
		       en(ee.ee_errno), ee.ee_origin, ee.ee_type, ee.ee_code, ee.ee_pad, ee.ee_info,
		       ee.ee_data);
		if (off.sin6_family == AF_INET)
			inet_ntop(AF_INET, &((struct sockaddr_in *)&off)->sin_addr, ip, sizeof(ip));
		else if (off.sin6_family == AF_INET6)
			inet_ntop(AF_INET6, &off.sin6_addr, ip, sizeof(ip));
		else
			strcpy(ip, "-");
		printf("  offender family %d %s\n", off.sin6_family, ip);
	}
}

int
main(void)
{
	int one = 1, zero = 0, v, fd;
	socklen_t len, dlen;
	struct sockaddr_in6 dst;
	char big[1000];

	memset(big, 'x', sizeof(big));

	/* IPv4, connected */
	fd = socket(AF_INET, SOCK_DGRAM, 0);
	len = sizeof(v);
	R("get IP_RECVERR", getsockopt(fd, IPPROTO_IP, IP_RECVERR, &v, &len));
	printf("IP_RECVERR default %d\n", v);
	R("set IP_RECVERR", setsockopt(fd, IPPROTO_IP, IP_RECVERR, &one, sizeof(one)));
	len = sizeof(v);
	getsockopt(fd, IPPROTO_IP, IP_RECVERR, &v, &len);
	printf("IP_RECVERR now %d len %u\n", v, len);
	R("set IPV6_RECVERR on IPv4", setsockopt(fd, IPPROTO_IPV6, IPV6_RECVERR, &one, sizeof(one)));
	R("empty errqueue", recv(fd, big, sizeof(big), MSG_ERRQUEUE));
	addr_of(AF_INET, "127.0.0.1", closed_port(AF_INET), &dst, &dlen);
	OK("connect", connect(fd, (struct sockaddr *)&dst, dlen));
	R("send 300", send(fd, big, 300, 0));
	wait_err("v4 connected", fd);
	errq("v4 errqueue", fd, sizeof(big), &dst, dlen);
	so_error("v4 after", fd);
	errq("v4 errqueue again", fd, sizeof(big), &dst, dlen);
	close(fd);

	/* IPv4, unconnected: SO_ERROR is set too; an ICMP error quotes at most 520 bytes */
	fd = socket(AF_INET, SOCK_DGRAM, 0);
	setsockopt(fd, IPPROTO_IP, IP_RECVERR, &one, sizeof(one));
	addr_of(AF_INET, "127.0.0.1", closed_port(AF_INET), &dst, &dlen);
	R("sendto 1000", sendto(fd, big, 1000, 0, (struct sockaddr *)&dst, dlen));
	wait_err("v4 unconnected", fd);
	so_error("v4 unconnected before", fd);
	errq("v4 quoted", fd, sizeof(big), &dst, dlen);
	R("sendto 100", sendto(fd, big, 100, 0, (struct sockaddr *)&dst, dlen));
	wait_err("v4 second", fd);
	errq("v4 truncated", fd, 10, &dst, dlen);
	so_error("v4 unconnected after", fd);
	R("sendto 100 again", sendto(fd, big, 100, 0, (struct sockaddr *)&dst, dlen));
	wait_err("v4 third", fd);
	OK("IP_RECVERR off", setsockopt(fd, IPPROTO_IP, IP_RECVERR, &zero, sizeof(zero)));
	errq("v4 after turning it off", fd, sizeof(big), &dst, dlen);
	close(fd);

	/* without IP_RECVERR an unconnected socket hears nothing */
	fd = socket(AF_INET, SOCK_DGRAM, 0);
	R("sendto without RECVERR", sendto(fd, big, 100, 0, (struct sockaddr *)&dst, dlen));
	R("send a marker to itself", ({
		struct sockaddr_in me;
		socklen_t ml = sizeof(me);

		getsockname(fd, (struct sockaddr *)&me, &ml);
		me.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
		sendto(fd, "m", 1, 0, (struct sockaddr *)&me, ml);
	}));
	{
		struct pollfd p = { .fd = fd, .events = POLLIN };

		poll(&p, 1, 10000);
	}
	so_error("no RECVERR", fd);
	errq("no RECVERR errqueue", fd, sizeof(big), &dst, dlen);
	close(fd);

	/* IPv6 */
	fd = socket(AF_INET6, SOCK_DGRAM, 0);
	R("set IPV6_RECVERR", setsockopt(fd, IPPROTO_IPV6, IPV6_RECVERR, &one, sizeof(one)));
	len = sizeof(v);
	getsockopt(fd, IPPROTO_IPV6, IPV6_RECVERR, &v, &len);
	printf("IPV6_RECVERR now %d\n", v);
	addr_of(AF_INET6, "::1", closed_port(AF_INET6), &dst, &dlen);
	R("v6 sendto 200", sendto(fd, big, 200, 0, (struct sockaddr *)&dst, dlen));
	wait_err("v6", fd);
	errq("v6 errqueue", fd, sizeof(big), &dst, dlen);
	so_error("v6 after", fd);
	{
		/* past 65535 too: IPv6 has no early length check, ip6_append_data queues it */
		static const size_t sizes[] = { 65528, 65536, 100000 };
		char *huge = calloc(1, 100000), label[32];

		for (int i = 0; i < 3; i++) {
			snprintf(label, sizeof(label), "v6 %zu bytes", sizes[i]);
			R(label, sendto(fd, huge, sizes[i], 0, (struct sockaddr *)&dst, dlen));
			errq("v6 too big", fd, sizeof(big), &dst, dlen);
			so_error("v6 too big", fd);
		}
		free(huge);
	}
	close(fd);

	/* an IPv6 socket sending IPv4 hears with IP_RECVERR, in IPv6's format */
	fd = socket(AF_INET6, SOCK_DGRAM, 0);
	setsockopt(fd, IPPROTO_IP, IP_RECVERR, &one, sizeof(one));
	len = sizeof(v);
	getsockopt(fd, IPPROTO_IP, IP_RECVERR, &v, &len);
	printf("v6 socket IP_RECVERR %d\n", v);
	addr_of(AF_INET6, "::ffff:127.0.0.1", closed_port(AF_INET), &dst, &dlen);
	R("mapped sendto 50", sendto(fd, big, 50, 0, (struct sockaddr *)&dst, dlen));
	wait_err("mapped", fd);
	errq("mapped errqueue", fd, sizeof(big), &dst, dlen);
	{
		/* IPv4's udp_sendmsg refuses past 65535 at once: nothing queued */
		char *huge = calloc(1, 65536);

		R("mapped 65536 bytes", sendto(fd, huge, 65536, 0, (struct sockaddr *)&dst, dlen));
		errq("mapped too big", fd, sizeof(big), &dst, dlen);
		free(huge);
	}
	close(fd);
	return 0;
}
