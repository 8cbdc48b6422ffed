/* ICMP echo ("ping") sockets, SOCK_DGRAM with IPPROTO_ICMP / IPPROTO_ICMPV6, on loopback:
 * the caller writes the ICMP header, the kernel puts in the socket's identifier (its
 * "port") and the checksum; the local host answers an echo request with a reply that only
 * the socket holding that identifier receives (from the address pinged, port 0, with the
 * checksum right). Errors of send and bind as Linux's ping_v4/v6_sendmsg and ping_bind;
 * identifiers shared by SO_REUSEADDR, on from the start; /proc/net/snmp's Icmp counters
 * (echoes, and UDP's port unreachables); /proc/net/icmp and the other listings.
 * In a network namespace of the test's own, with every group allowed ping sockets. */
#include "cf.h"
#include <netinet/in.h>
#include <netinet/ip_icmp.h>
#include <poll.h>
#include <stdbool.h>
#include <sys/socket.h>

static unsigned char buf[70000], in[70000];

static unsigned
csum_add(const unsigned char *p, size_t n, unsigned sum)
{
	for (; n > 1; p += 2, n -= 2)
		sum += (unsigned)(p[0] << 8 | p[1]);
	if (n)
		sum += (unsigned)(p[0] << 8);
	return sum;
}

static unsigned
csum_fold(unsigned sum)
{
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return sum;
}

static struct sockaddr_in
v4(const char *ip)
{
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons(999) };

	inet_pton(AF_INET, ip, &a.sin_addr);
	return a;
}

static struct sockaddr_in6
v6(const char *ip)
{
	struct sockaddr_in6 a = { .sin6_family = AF_INET6 };

	inet_pton(AF_INET6, ip, &a.sin6_addr);
	return a;
}

static size_t
echo(int type, unsigned short id, unsigned short seq, size_t n)
{
	memset(buf, 0, sizeof(buf));
	buf[0] = (unsigned char)type;
	buf[4] = (unsigned char)(id >> 8), buf[5] = (unsigned char)id;
	buf[6] = (unsigned char)(seq >> 8), buf[7] = (unsigned char)seq;
	for (size_t i = 8; i < n; i++)
		buf[i] = (unsigned char)('a' + i % 26);
	return n;
}

static int
ident(int s)
{
	struct sockaddr_in6 a;
	socklen_t l = sizeof(a);

	if (getsockname(s, (void *)&a, &l) < 0)
		return -1;
	return ntohs(a.sin6_port); /* (the same place in both families) */
}

static void
show_name(const char *label, int s, bool peer)
{
	struct sockaddr_in6 a;
	socklen_t l = sizeof(a);
	char ip[64] = "?";
	int r = peer ? getpeername(s, (void *)&a, &l) : getsockname(s, (void *)&a, &l);

	if (r < 0) {
		printf("%s: %s\n", label, en(errno));
		return;
	}
	if (a.sin6_family == AF_INET)
		inet_ntop(AF_INET, &((struct sockaddr_in *)&a)->sin_addr, ip, sizeof(ip));
	else
		inet_ntop(AF_INET6, &a.sin6_addr, ip, sizeof(ip));
	printf("%s: family %d %s port %s len %u\n", label, a.sin6_family, ip,
	       ntohs(a.sin6_port) ? "set" : "0", l);
}

/* Receives one reply and checks it against the request of n bytes sent by s. */
static void
reply(const char *label, int s, bool six, size_t n, const struct in6_addr *src,
      const struct in6_addr *dst)
{
	struct sockaddr_in6 from;
	char ctl[256], ip[64] = "?";
	struct iovec v = { in, sizeof(in) };
	struct msghdr m = { .msg_name = &from, .msg_namelen = sizeof(from), .msg_iov = &v,
			    .msg_iovlen = 1, .msg_control = ctl, .msg_controllen = sizeof(ctl) };
	struct pollfd p = { s, POLLIN, 0 };
	ssize_t r;

	printf("%s poll: %d\n", label, poll(&p, 1, 2000));
	r = recvmsg(s, &m, MSG_DONTWAIT);
	if (r < 0) {
		printf("%s: %s\n", label, en(errno));
		return;
	}
	if (from.sin6_family == AF_INET)
		inet_ntop(AF_INET, &((struct sockaddr_in *)&from)->sin_addr, ip, sizeof(ip));
	else
		inet_ntop(AF_INET6, &from.sin6_addr, ip, sizeof(ip));
	printf("%s: %zd bytes (sent %zu) type %d code %d from %s port %d namelen %u\n", label, r,
	       n, in[0], in[1], ip, ntohs(from.sin6_port), m.msg_namelen);
	printf("%s: id is the socket's %s, seq %d, payload %s\n", label,
	       (in[4] << 8 | in[5]) == ident(s) ? "yes" : "no", in[6] << 8 | in[7],
	       r == (ssize_t)n && !memcmp(in + 8, buf + 8, n - 8) ? "same" : "differs");
	unsigned sum = csum_add(in, (size_t)r, 0);
	if (six && src && dst) {
		sum = csum_add(src->s6_addr, 16, sum);
		sum = csum_add(dst->s6_addr, 16, sum);
		sum += (unsigned)r + IPPROTO_ICMPV6;
	}
	printf("%s: checksum %s\n", label, csum_fold(sum) == 0xffff ? "good" : "bad");
	for (struct cmsghdr *c = CMSG_FIRSTHDR(&m); c; c = CMSG_NXTHDR(&m, c)) {
		int val = 0;

		memcpy(&val, CMSG_DATA(c), c->cmsg_len - CMSG_LEN(0) >= sizeof(int) ? sizeof(int) : 1);
		if (c->cmsg_level == IPPROTO_IP && c->cmsg_type == IP_TOS)
			val &= 0xff;
		printf("%s: cmsg level %d type %d value %d\n", label, c->cmsg_level, c->cmsg_type,
		       c->cmsg_type == IP_PKTINFO && c->cmsg_level == IPPROTO_IP ? -1 : val);
	}
}

static void
nothing(const char *label, int s)
{
	ssize_t r = recv(s, in, sizeof(in), MSG_DONTWAIT);

	printf("%s: %s\n", label, r < 0 ? en(errno) : "a message");
}

static void
snmp(void)
{
	FILE *f = fopen("/proc/net/snmp", "r");
	char line[1024];

	while (f && fgets(line, sizeof(line), f))
		if (!strncmp(line, "Icmp", 4))
			printf("snmp %s", line);
	if (f)
		fclose(f);
}

/* /proc/net/FILE: its header, then the rows of sockets on port (local address, remote
 * address, state, the row's width), and how many rows in all */
static void
proc_net(const char *file, const char *port)
{
	char path[64], line[512];
	int rows = 0;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/net/%s", file);
	f = fopen(path, "r");
	if (!f) {
		printf("%s: %s\n", path, en(errno));
		return;
	}
	if (fgets(line, sizeof(line), f))
		printf("%s header: %zu columns: %.20s\n", file, strlen(line), line);
	while (fgets(line, sizeof(line), f)) {
		char loc[64], rem[64], st[8];

		rows++;
		if (sscanf(line, "%*s %63s %63s %7s", loc, rem, st) == 3 && strstr(loc, port))
			printf("%s row: %s %s %s, %zu columns\n", file, loc, rem, st,
			       /* (IPv6 rows are not padded: the inode's digits count) */
			       file[strlen(file) - 1] == '6' ? 0 : strlen(line));
	}
	printf("%s rows: %d\n", file, rows);
	fclose(f);
}

static void
v4_tests(void)
{
	int s = socket(AF_INET, SOCK_DGRAM, IPPROTO_ICMP), one = 1, zero = 0, v;
	socklen_t l = sizeof(v);
	struct sockaddr_in lo = v4("127.0.0.1");
	struct in6_addr none;

	printf("== IPv4\n");
	FD("socket", s);
	show_name("name before", s, false);
	R("SO_REUSEADDR", getsockopt(s, SOL_SOCKET, SO_REUSEADDR, &v, &l));
	printf("  value %d\n", v);
	R("SO_PROTOCOL", getsockopt(s, SOL_SOCKET, SO_PROTOCOL, &v, &l));
	printf("  value %d\n", v);
	R("send without a destination", send(s, buf, echo(ICMP_ECHO, 1, 1, 16), 0));
	show_name("name after a failed send", s, false);
	R("sendto 127.0.0.1", sendto(s, buf, echo(ICMP_ECHO, 0x1234, 7, 64), 0, (void *)&lo, sizeof(lo)));
	show_name("name after send", s, false);
	reply("reply", s, false, 64, NULL, NULL);
	nothing("then", s);
	R("short", sendto(s, buf, echo(ICMP_ECHO, 1, 1, 7), 0, (void *)&lo, sizeof(lo)));
	R("header only", sendto(s, buf, echo(ICMP_ECHO, 1, 8, 8), 0, (void *)&lo, sizeof(lo)));
	reply("header-only reply", s, false, 8, NULL, NULL);
	R("timestamp type", sendto(s, buf, echo(ICMP_TIMESTAMP, 1, 1, 20), 0, (void *)&lo, sizeof(lo)));
	R("reply type", sendto(s, buf, echo(ICMP_ECHOREPLY, 1, 1, 20), 0, (void *)&lo, sizeof(lo)));
	echo(ICMP_ECHO, 1, 1, 20);
	buf[1] = 1;
	R("code 1", sendto(s, buf, 20, 0, (void *)&lo, sizeof(lo)));
	R("MSG_OOB", sendto(s, buf, echo(ICMP_ECHO, 1, 1, 20), MSG_OOB, (void *)&lo, sizeof(lo)));
	R("short address", sendto(s, buf, echo(ICMP_ECHO, 1, 1, 20), 0, (void *)&lo, 8));
	struct sockaddr_in6 six = v6("::1");
	R("IPv6 address", sendto(s, buf, echo(ICMP_ECHO, 1, 1, 20), 0, (void *)&six, sizeof(six)));
	R("70000 bytes", sendto(s, buf, echo(ICMP_ECHO, 1, 1, 70000), 0, (void *)&lo, sizeof(lo)));
	R("65516 bytes", sendto(s, buf, echo(ICMP_ECHO, 1, 1, 65516), 0, (void *)&lo, sizeof(lo)));
	R("65515 bytes", sendto(s, buf, echo(ICMP_ECHO, 1, 9, 65515), 0, (void *)&lo, sizeof(lo)));
	reply("big reply", s, false, 65515, NULL, NULL);
	struct sockaddr_in far = v4("10.9.9.9"), any = v4("0.0.0.0"), two = v4("127.0.0.2");
	R("no route", sendto(s, buf, echo(ICMP_ECHO, 1, 1, 20), 0, (void *)&far, sizeof(far)));
	R("to the any address", sendto(s, buf, echo(ICMP_ECHO, 1, 10, 20), 0, (void *)&any, sizeof(any)));
	reply("any-address reply", s, false, 20, NULL, NULL);
	R("to 127.0.0.2", sendto(s, buf, echo(ICMP_ECHO, 1, 11, 20), 0, (void *)&two, sizeof(two)));
	reply("127.0.0.2 reply", s, false, 20, NULL, NULL);
	R("small buffer", sendto(s, buf, echo(ICMP_ECHO, 1, 12, 100), 0, (void *)&lo, sizeof(lo)));
	{
		struct iovec io = { in, 10 };
		struct msghdr m = { .msg_iov = &io, .msg_iovlen = 1 };
		ssize_t r = recvmsg(s, &m, 0);
		printf("truncated recvmsg: %zd flags %s\n", r, m.msg_flags & MSG_TRUNC ? "TRUNC" : "-");
	}

	/* receive options */
	int tos = 0x20;
	R("IP_RECVTTL", setsockopt(s, IPPROTO_IP, IP_RECVTTL, &one, sizeof(one)));
	R("IP_TOS", setsockopt(s, IPPROTO_IP, IP_TOS, &tos, sizeof(tos)));
	R("IP_RECVTOS", setsockopt(s, IPPROTO_IP, IP_RECVTOS, &one, sizeof(one)));
	R("send", sendto(s, buf, echo(ICMP_ECHO, 1, 13, 30), 0, (void *)&lo, sizeof(lo)));
	reply("with options", s, false, 30, NULL, NULL);
	R("IP_RECVTTL off", setsockopt(s, IPPROTO_IP, IP_RECVTTL, &zero, sizeof(zero)));
	R("IP_RECVTOS off", setsockopt(s, IPPROTO_IP, IP_RECVTOS, &zero, sizeof(zero)));

	/* a second socket: bound identifiers, who gets which reply */
	int b = socket(AF_INET, SOCK_DGRAM, IPPROTO_ICMP), c;
	struct sockaddr_in mine = v4("127.0.0.1");
	mine.sin_port = htons(0x4242);
	FD("second socket", b);
	R("bind 127.0.0.1 ident 0x4242", bind(b, (void *)&mine, sizeof(mine)));
	show_name("bound name", b, false);
	printf("ident 0x4242: %s\n", ident(b) == 0x4242 ? "yes" : "no");
	{ /* ping sockets count in no sockstat line ("mem" is the host's: left out) */
		FILE *f = fopen("/proc/net/sockstat", "r");
		char line[256], name[32];
		unsigned long n;

		while (f && fgets(line, sizeof(line), f))
			if (sscanf(line, "%31s inuse %lu", name, &n) == 2 && strncmp(name, "TCP", 3))
				printf("sockstat %s inuse %lu\n", name, n);
		if (f)
			fclose(f);
	}
	proc_net("icmp", ":4242");
	proc_net("udp", ":4242");
	proc_net("raw", ":4242");
	R("bind again", bind(b, (void *)&mine, sizeof(mine)));
	R("first socket sends", sendto(s, buf, echo(ICMP_ECHO, 0x4242, 14, 20), 0, (void *)&lo, sizeof(lo)));
	nothing("second socket", b);
	reply("first socket", s, false, 20, NULL, NULL);
	R("second socket sends", sendto(b, buf, echo(ICMP_ECHO, 5, 15, 20), 0, (void *)&lo, sizeof(lo)));
	reply("second socket", b, false, 20, NULL, NULL);
	nothing("first socket", s);
	R("second sends to 127.0.0.2", sendto(b, buf, echo(ICMP_ECHO, 5, 16, 20), 0, (void *)&two, sizeof(two)));
	reply("bound socket, other address", b, false, 20, NULL, NULL);
	c = socket(AF_INET, SOCK_DGRAM, IPPROTO_ICMP);
	R("third binds the same ident (both SO_REUSEADDR)", bind(c, (void *)&mine, sizeof(mine)));
	close(c);
	c = socket(AF_INET, SOCK_DGRAM, IPPROTO_ICMP);
	R("SO_REUSEADDR off", setsockopt(c, SOL_SOCKET, SO_REUSEADDR, &zero, sizeof(zero)));
	R("then the same ident", bind(c, (void *)&mine, sizeof(mine)));
	struct sockaddr_in bad = v4("10.0.0.1"), mc = v4("224.0.0.1"), bc = v4("255.255.255.255");
	bad.sin_port = mc.sin_port = bc.sin_port = 0;
	R("bind 10.0.0.1", bind(c, (void *)&bad, sizeof(bad)));
	R("bind 224.0.0.1", bind(c, (void *)&mc, sizeof(mc)));
	R("bind 255.255.255.255", bind(c, (void *)&bc, sizeof(bc)));
	R("bind short", bind(c, (void *)&lo, 6));
	struct sockaddr_in6 w6 = v6("::1");
	R("bind IPv6", bind(c, (void *)&w6, sizeof(w6)));
	struct sockaddr_in un = { .sin_family = AF_UNSPEC };
	R("bind AF_UNSPEC any", bind(c, (void *)&un, sizeof(un)));
	show_name("AF_UNSPEC name", c, false);
	close(c);

	/* connected */
	c = socket(AF_INET, SOCK_DGRAM, IPPROTO_ICMP);
	R("connect 127.0.0.1", connect(c, (void *)&lo, sizeof(lo)));
	show_name("connected name", c, false);
	show_name("peer", c, true);
	R("send", send(c, buf, echo(ICMP_ECHO, 1, 17, 24), 0));
	reply("connected", c, false, 24, NULL, NULL);
	R("connect short", connect(c, (void *)&lo, 8));
	struct sockaddr_in unspec = { .sin_family = AF_UNSPEC };
	R("disconnect", connect(c, (void *)&unspec, sizeof(unspec)));
	show_name("disconnected name", c, false);
	show_name("disconnected peer", c, true);
	R("send after disconnect", send(c, buf, echo(ICMP_ECHO, 1, 1, 24), 0));
	R("bound one disconnects", connect(b, (void *)&unspec, sizeof(unspec)));
	show_name("its name stays", b, false);
	R("broadcast", sendto(c, buf, echo(ICMP_ECHO, 1, 1, 20), 0, (void *)&bc, sizeof(bc)));
	R("multicast", sendto(c, buf, echo(ICMP_ECHO, 1, 1, 20), 0, (void *)&mc, sizeof(mc)));
	nothing("after multicast", c);
	close(c);
	close(b);
	close(s);
	(void)none;
	snmp();
}

static void
v6_tests(void)
{
	int s = socket(AF_INET6, SOCK_DGRAM, IPPROTO_ICMPV6), v, one = 1;
	socklen_t l = sizeof(v);
	struct sockaddr_in6 lo = v6("::1"), mapped = v6("::ffff:127.0.0.1"), far = v6("2001:db8::1");
	struct sockaddr_in four = v4("127.0.0.1");

	printf("== IPv6\n");
	FD("socket", s);
	R("IPV6_V6ONLY", getsockopt(s, IPPROTO_IPV6, IPV6_V6ONLY, &v, &l));
	printf("  value %d\n", v);
	R("sendto ::1", sendto(s, buf, echo(128, 0x99, 3, 48), 0, (void *)&lo, sizeof(lo)));
	show_name("name", s, false);
	reply("reply", s, true, 48, &lo.sin6_addr, &lo.sin6_addr);
	R("echo reply type", sendto(s, buf, echo(129, 1, 1, 20), 0, (void *)&lo, sizeof(lo)));
	R("IPv4 echo type", sendto(s, buf, echo(8, 1, 1, 20), 0, (void *)&lo, sizeof(lo)));
	R("v4-mapped", sendto(s, buf, echo(128, 1, 1, 20), 0, (void *)&mapped, sizeof(mapped)));
	R("IPv4 address", sendto(s, buf, echo(128, 1, 1, 20), 0, (void *)&four, sizeof(four)));
	R("short address", sendto(s, buf, echo(128, 1, 1, 20), 0, (void *)&lo, 20));
	R("no route", sendto(s, buf, echo(128, 1, 1, 20), 0, (void *)&far, sizeof(far)));
	struct sockaddr_in6 mcl = v6("ff02::1"), mcg = v6("ff0e::1"), lla = v6("fe80::1"), any6 = v6("::");
	R("link-local group", sendto(s, buf, echo(128, 1, 1, 20), 0, (void *)&mcl, sizeof(mcl)));
	mcl.sin6_scope_id = 1;
	R("link-local group on lo", sendto(s, buf, echo(128, 1, 1, 20), 0, (void *)&mcl, sizeof(mcl)));
	R("global group", sendto(s, buf, echo(128, 1, 1, 20), 0, (void *)&mcg, sizeof(mcg)));
	R("link-local", sendto(s, buf, echo(128, 1, 1, 20), 0, (void *)&lla, sizeof(lla)));
	R("the any address", sendto(s, buf, echo(128, 1, 2, 20), 0, (void *)&any6, sizeof(any6)));
	reply("any-address reply", s, true, 20, &lo.sin6_addr, &lo.sin6_addr);
	nothing("then", s);
	R("65535 bytes", sendto(s, buf, echo(128, 1, 4, 65535), 0, (void *)&lo, sizeof(lo)));
	reply("big reply", s, true, 65535, &lo.sin6_addr, &lo.sin6_addr);
	R("IPV6_RECVHOPLIMIT", setsockopt(s, IPPROTO_IPV6, IPV6_RECVHOPLIMIT, &one, sizeof(one)));
	int tc = 0x40;
	R("IPV6_TCLASS", setsockopt(s, IPPROTO_IPV6, IPV6_TCLASS, &tc, sizeof(tc)));
	R("IPV6_RECVTCLASS", setsockopt(s, IPPROTO_IPV6, IPV6_RECVTCLASS, &one, sizeof(one)));
	R("send", sendto(s, buf, echo(128, 1, 5, 28), 0, (void *)&lo, sizeof(lo)));
	reply("with options", s, true, 28, &lo.sin6_addr, &lo.sin6_addr);

	int b = socket(AF_INET6, SOCK_DGRAM, IPPROTO_ICMPV6), zero = 0;
	struct sockaddr_in6 mine = v6("::1");
	mine.sin6_port = htons(0x5151);
	R("bind ::1", bind(b, (void *)&mine, sizeof(mine)));
	show_name("bound", b, false);
	proc_net("icmp6", ":5151");
	proc_net("udp6", ":5151");
	proc_net("raw6", ":5151");
	R("bind v4-mapped", bind(socket(AF_INET6, SOCK_DGRAM, IPPROTO_ICMPV6), (void *)&mapped, sizeof(mapped)));
	struct sockaddr_in6 ll = v6("fe80::1"), mc6 = v6("ff02::1");
	R("bind link-local without scope", bind(socket(AF_INET6, SOCK_DGRAM, IPPROTO_ICMPV6), (void *)&ll, sizeof(ll)));
	R("bind multicast", bind(socket(AF_INET6, SOCK_DGRAM, IPPROTO_ICMPV6), (void *)&mc6, sizeof(mc6)));
	R("bind 2001:db8::1", bind(socket(AF_INET6, SOCK_DGRAM, IPPROTO_ICMPV6), (void *)&far, sizeof(far)));
	R("bind IPv4", bind(socket(AF_INET6, SOCK_DGRAM, IPPROTO_ICMPV6), (void *)&four, sizeof(four)));
	/* one identifier space for both families */
	int c4 = socket(AF_INET, SOCK_DGRAM, IPPROTO_ICMP);
	struct sockaddr_in any4 = { .sin_family = AF_INET, .sin_port = htons(0x5151) };
	R("SO_REUSEADDR off", setsockopt(c4, SOL_SOCKET, SO_REUSEADDR, &zero, sizeof(zero)));
	R("IPv4 socket takes the IPv6 one's ident", bind(c4, (void *)&any4, sizeof(any4)));
	close(c4);
	R("send from the bound one", sendto(b, buf, echo(128, 1, 6, 20), 0, (void *)&lo, sizeof(lo)));
	reply("bound reply", b, true, 20, &lo.sin6_addr, &lo.sin6_addr);
	close(b);
	close(s);
}

int
main(void)
{
	cf_init();
	cf_need_own_netns();
	cf_write_value("/proc/sys/net/ipv4/ping_group_range", "0 2147483647");
	snmp();
	/* a UDP datagram to a port nobody holds: an ICMP port unreachable, out and in */
	int u = socket(AF_INET, SOCK_DGRAM, 0);
	struct sockaddr_in nine = v4("127.0.0.1");
	nine.sin_port = htons(9);
	R("udp to a closed port", sendto(u, "x", 1, 0, (void *)&nine, sizeof(nine)));
	R("again", sendto(u, "x", 1, 0, (void *)&nine, sizeof(nine)));
	close(u);
	snmp();
	v4_tests();
	v6_tests();
	return 0;
}
