/*
 * UDP's own options (Linux udp_lib_setsockopt / getsockopt, at SOL_UDP or SOL_UDPLITE):
 * their defaults, checks and values read back, and what they do on loopback: UDP_CORK and
 * MSG_MORE hold data for one datagram (EMSGSIZE past the largest drops it all), UDP_SEGMENT
 * (option or control message) sends segments, which a UDP_GRO receiver takes whole with a
 * UDP_GRO control message, UDP_ENCAP ESP in UDP drops ESP and keepalives, an IPv6
 * datagram without a checksum (UDP_NO_CHECK6_TX) reaches only a UDP_NO_CHECK6_RX socket.
 */
#include "cf.h"
#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/udp.h>
#include <sys/socket.h>

#ifndef SOL_UDPLITE
#define SOL_UDPLITE 136
#endif

static int rx, tx;
static struct sockaddr_in dst;
static char big[140000];

static void
get(int fd, int level, int name, const char *what)
{
	char label[64];

	snprintf(label, sizeof(label), "get %s", what);
	cf_sockopt_int(label, fd, level, name);
}

static void
set(int fd, int name, int v, const char *what)
{
	char label[64];

	snprintf(label, sizeof(label), "set %s %d", what, v);
	OK(label, setsockopt(fd, SOL_UDP, name, &v, sizeof(v)));
}

/* Prints the sizes of the datagrams waiting at rx (and any UDP_GRO segment size). */
static void
drain(const char *what)
{
	char ctl[128];

	printf("%s:", what);
	for (;;) {
		struct iovec iov = { big, sizeof(big) };
		struct msghdr m = { .msg_iov = &iov, .msg_iovlen = 1, .msg_control = ctl,
				    .msg_controllen = sizeof(ctl) };
		long r = recvmsg(rx, &m, MSG_DONTWAIT);

		if (r < 0)
			break;
		printf(" %ld", r);
		for (struct cmsghdr *c = CMSG_FIRSTHDR(&m); c; c = CMSG_NXTHDR(&m, c))
			if (c->cmsg_level == SOL_UDP && c->cmsg_type == UDP_GRO)
				printf(" (UDP_GRO %d)", *(int *)CMSG_DATA(c));
	}
	printf("\n");
}

static void
snd(size_t n, int flags)
{
	char label[64];

	snprintf(label, sizeof(label), "send %zu%s", n, flags & MSG_MORE ? " MSG_MORE" : "");
	R(label, sendto(tx, big, n, flags, (struct sockaddr *)&dst, sizeof(dst)));
}

static void
options(void)
{
	static const struct { int name; const char *what; } o[] = {
		{ UDP_CORK, "UDP_CORK" }, { UDP_ENCAP, "UDP_ENCAP" },
		{ UDP_NO_CHECK6_TX, "UDP_NO_CHECK6_TX" }, { UDP_NO_CHECK6_RX, "UDP_NO_CHECK6_RX" },
		{ UDP_SEGMENT, "UDP_SEGMENT" }, { UDP_GRO, "UDP_GRO" },
		{ 10, "UDPLITE_SEND_CSCOV" }, { 11, "UDPLITE_RECV_CSCOV" }, { 99, "99" },
	};
	int fd = socket(AF_INET, SOCK_DGRAM, 0), tcp = socket(AF_INET, SOCK_STREAM, 0);
	int v = 1400;
	socklen_t l = 2;

	for (size_t i = 0; i < sizeof(o) / sizeof(o[0]); i++)
		get(fd, SOL_UDP, o[i].name, o[i].what);
	set(fd, UDP_CORK, 5, "UDP_CORK");
	get(fd, SOL_UDP, UDP_CORK, "UDP_CORK");
	for (int e = 0; e <= 7; e++)
		set(fd, UDP_ENCAP, e, "UDP_ENCAP");
	set(fd, UDP_ENCAP, UDP_ENCAP_ESPINUDP, "UDP_ENCAP");
	get(fd, SOL_UDP, UDP_ENCAP, "UDP_ENCAP");
	set(fd, UDP_NO_CHECK6_TX, 7, "UDP_NO_CHECK6_TX");
	set(fd, UDP_NO_CHECK6_RX, 7, "UDP_NO_CHECK6_RX");
	get(fd, SOL_UDP, UDP_NO_CHECK6_RX, "UDP_NO_CHECK6_RX");
	set(fd, UDP_SEGMENT, 1400, "UDP_SEGMENT");
	set(fd, UDP_SEGMENT, 70000, "UDP_SEGMENT");
	set(fd, UDP_SEGMENT, -1, "UDP_SEGMENT");
	get(fd, SOL_UDP, UDP_SEGMENT, "UDP_SEGMENT");
	set(fd, UDP_GRO, 3, "UDP_GRO");
	get(fd, SOL_UDP, UDP_GRO, "UDP_GRO");
	set(fd, 99, 1, "99");
	set(fd, 10, 1, "UDPLITE_SEND_CSCOV");
	get(fd, SOL_UDPLITE, UDP_SEGMENT, "at SOL_UDPLITE UDP_SEGMENT");
	get(tcp, SOL_UDP, UDP_CORK, "TCP socket UDP_CORK");
	OK("TCP socket set UDP_CORK", setsockopt(tcp, SOL_UDP, UDP_CORK, &v, sizeof(v)));
	v = -7;
	R("get into 2 bytes", getsockopt(fd, SOL_UDP, UDP_SEGMENT, &v, &l));
	printf("  value %d, len %d\n", v, (int)l);
	OK("set from 1 byte", setsockopt(fd, SOL_UDP, UDP_CORK, &v, 1));
	close(fd);
	close(tcp);
}

static void
corking(void)
{
	snd(10, MSG_MORE);
	drain("after MSG_MORE");
	snd(20, MSG_MORE);
	snd(5, 0);
	drain("after the last part");
	set(tx, UDP_CORK, 1, "UDP_CORK");
	snd(100, 0);
	snd(200, 0);
	drain("corked");
	set(tx, UDP_CORK, 0, "UDP_CORK");
	drain("uncorked");
	set(tx, UDP_CORK, 1, "UDP_CORK");
	snd(40000, 0);
	snd(30000, 0);
	set(tx, UDP_CORK, 0, "UDP_CORK");
	drain("past the largest datagram");
}

static void
segments(void)
{
	char ctl[CMSG_SPACE(sizeof(uint16_t))] = { 0 };
	struct iovec iov = { big, 2500 };
	struct msghdr m = { .msg_name = &dst, .msg_namelen = sizeof(dst), .msg_iov = &iov,
			    .msg_iovlen = 1, .msg_control = ctl, .msg_controllen = sizeof(ctl) };
	struct cmsghdr *c = CMSG_FIRSTHDR(&m);

	set(tx, UDP_SEGMENT, 1000, "UDP_SEGMENT");
	snd(3500, 0);
	snd(800, 0);
	snd(128 * 1000, 0);
	R("send 65536 from an unmapped buffer", sendto(tx, cf_unmapped(), 65536, 0,
						       (struct sockaddr *)&dst, sizeof(dst)));
	drain("segments of 1000");
	set(tx, UDP_SEGMENT, 10, "UDP_SEGMENT");
	snd(1280, 0);
	snd(1290, 0);
	drain("128 segments of 10");
	set(tx, UDP_SEGMENT, 1000, "UDP_SEGMENT");
	set(rx, UDP_GRO, 1, "UDP_GRO");
	snd(3500, 0);
	drain("to a UDP_GRO socket");
	set(rx, UDP_GRO, 0, "UDP_GRO");
	set(tx, UDP_SEGMENT, 0, "UDP_SEGMENT");
	c->cmsg_level = SOL_UDP;
	c->cmsg_type = UDP_SEGMENT;
	c->cmsg_len = CMSG_LEN(sizeof(uint16_t));
	*(uint16_t *)CMSG_DATA(c) = 600;
	R("sendmsg UDP_SEGMENT 600", sendmsg(tx, &m, 0));
	c->cmsg_len = CMSG_LEN(sizeof(int));
	R("sendmsg UDP_SEGMENT of an int", sendmsg(tx, &m, 0));
	drain("segments of 600");
}

static void
esp(void)
{
	unsigned char d[20] = { 1 };

	set(rx, UDP_ENCAP, UDP_ENCAP_ESPINUDP, "UDP_ENCAP");
	sendto(tx, d, 20, 0, (struct sockaddr *)&dst, sizeof(dst));       /* ESP */
	d[0] = 0;
	sendto(tx, d, 20, 0, (struct sockaddr *)&dst, sizeof(dst));       /* IKE */
	d[0] = 0xff;
	sendto(tx, d, 1, 0, (struct sockaddr *)&dst, sizeof(dst));        /* keepalive */
	d[0] = 1;
	sendto(tx, d, 8, 0, (struct sockaddr *)&dst, sizeof(dst));        /* too short */
	drain("ESP in UDP");
	set(rx, UDP_ENCAP, 0, "UDP_ENCAP");
	sendto(tx, d, 20, 0, (struct sockaddr *)&dst, sizeof(dst));
	drain("no encapsulation");
}

static void
no_check6(void)
{
	int r6 = socket(AF_INET6, SOCK_DGRAM, 0), t6 = socket(AF_INET6, SOCK_DGRAM, 0), one = 1;
	struct sockaddr_in6 a = { .sin6_family = AF_INET6, .sin6_addr = IN6ADDR_LOOPBACK_INIT };
	socklen_t l = sizeof(a);
	char b[16];

	bind(r6, (struct sockaddr *)&a, sizeof(a));
	getsockname(r6, (struct sockaddr *)&a, &l);
	setsockopt(t6, SOL_UDP, UDP_NO_CHECK6_TX, &one, sizeof(one));
	sendto(t6, "hello", 5, 0, (struct sockaddr *)&a, sizeof(a));
	R("IPv6 without a checksum", recv(r6, b, sizeof(b), MSG_DONTWAIT));
	setsockopt(r6, SOL_UDP, UDP_NO_CHECK6_RX, &one, sizeof(one));
	sendto(t6, "hello", 5, 0, (struct sockaddr *)&a, sizeof(a));
	R("... to UDP_NO_CHECK6_RX", recv(r6, b, sizeof(b), MSG_DONTWAIT));
}

int
main(void)
{
	socklen_t l = sizeof(dst);

	setvbuf(stdout, NULL, _IONBF, 0);
	options();
	rx = socket(AF_INET, SOCK_DGRAM, 0);
	tx = socket(AF_INET, SOCK_DGRAM, 0);
	dst.sin_family = AF_INET;
	dst.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	bind(rx, (struct sockaddr *)&dst, sizeof(dst));
	getsockname(rx, (struct sockaddr *)&dst, &l);
	corking();
	segments();
	esp();
	no_check6();
	return 0;
}
