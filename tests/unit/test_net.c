/* Unit tests for the egress policy (net/policy.c) and the gofer's network requests
 * (fs/gofer.c, net/egress.c): whatever the sentry asks, the gofer hands out no host socket
 * in mode none, and only what the policy allows otherwise. TAP output. */
#include <arpa/inet.h>
#include <errno.h>
#include <ifaddrs.h>
#include <netinet/tcp.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "tests/unit/tap.h"
#include "fs/gofer.h"
#include "fs/gofer_proto.h"
#include "net/net.h"

static struct sockaddr_in
v4(const char *ip, int port)
{
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons(port) };

	inet_pton(AF_INET, ip, &a.sin_addr);
	return a;
}

static int
check(const struct net_policy *p, int type, bool conn, const char *ip, int port)
{
	char why[256];
	struct sockaddr_in a = v4(ip, port);

	return net_policy_check(p, type, conn, (struct sockaddr *)&a, sizeof(a), why, sizeof(why));
}

static void
test_parse_and_check(void)
{
	struct net_policy p;
	char why[256];
	struct sockaddr_in6 a6 = { .sin6_family = AF_INET6, .sin6_port = htons(443) };

	ok(net_policy_parse("none", &p, why, sizeof(why)) == 0 && p.mode == NET_NONE,
	   "parse none");
	ok(check(&p, SOCK_STREAM, true, "192.0.2.7", 80) == -EPERM, "none: nothing allowed");
	net_policy_free(&p);
	ok(net_policy_parse("host", &p, why, sizeof(why)) == 0 && p.mode == NET_HOST,
	   "parse host");
	ok(check(&p, SOCK_STREAM, true, "192.0.2.7", 80) == 0 &&
	   check(&p, SOCK_DGRAM, false, "192.0.2.7", 5000) == 0,
	   "host: TCP and unconnected UDP beyond the sandbox");
	ok(check(&p, SOCK_STREAM, true, "127.0.0.1", 80) == -EPERM &&
	   check(&p, SOCK_STREAM, true, "0.0.0.0", 80) == -EPERM &&
	   check(&p, SOCK_DGRAM, false, "127.0.0.53", 53) == -EPERM &&
	   check(&p, SOCK_STREAM, true, "192.0.2.7", 0) == -EPERM,
	   "host: not the host's loopback, the any address, port 0, unconnected UDP to 53");
	ok(check(&p, SOCK_DGRAM, true, "127.0.0.53", 53) == 0 &&
	   check(&p, SOCK_STREAM, true, "127.0.0.53", 53) == 0,
	   "host: a loopback resolver's port 53 (connected)");
	inet_pton(AF_INET6, "::ffff:127.0.0.1", &a6.sin6_addr);
	ok(net_policy_check(&p, SOCK_STREAM, true, (struct sockaddr *)&a6, sizeof(a6), why,
			    sizeof(why)) == -EPERM,
	   "host: a v4-mapped loopback address is loopback too (%s)", why);
	net_policy_free(&p);
	ok(net_policy_parse("allow=192.0.2.7:443,[2001:db8::1]:8443,2001:db8::2,198.51.100.0",
			    &p, why, sizeof(why)) == 0 && p.mode == NET_ALLOW && p.nrules == 4,
	   "parse allow= with IPv4, [IPv6]:port and bare IPv6 (%d rules)", p.nrules);
	ok(check(&p, SOCK_STREAM, true, "192.0.2.7", 443) == 0 &&
	   check(&p, SOCK_STREAM, true, "198.51.100.0", 1) == 0,
	   "allow: the listed destinations (any port when none given)");
	ok(check(&p, SOCK_STREAM, true, "192.0.2.7", 80) == -EPERM &&
	   check(&p, SOCK_STREAM, true, "192.0.2.8", 443) == -EPERM &&
	   check(&p, SOCK_DGRAM, true, "192.0.2.7", 443) == -EPERM,
	   "allow: another port, another address, UDP: EPERM");
	inet_pton(AF_INET6, "2001:db8::1", &a6.sin6_addr);
	a6.sin6_port = htons(8443);
	ok(net_policy_check(&p, SOCK_STREAM, true, (struct sockaddr *)&a6, sizeof(a6), why,
			    sizeof(why)) == 0, "allow: an IPv6 destination with its port");
	a6.sin6_port = htons(443);
	ok(net_policy_check(&p, SOCK_STREAM, true, (struct sockaddr *)&a6, sizeof(a6), why,
			    sizeof(why)) == -EPERM && strstr(why, "not in the allow list"),
	   "allow: the reason says why (%s)", why);
	net_policy_free(&p);
	ok(net_policy_parse("allow=", &p, why, sizeof(why)) == -EINVAL &&
	   net_policy_parse("allow=1.2.3.4:0", &p, why, sizeof(why)) == -EINVAL &&
	   net_policy_parse("allow=1.2.3.4:99999", &p, why, sizeof(why)) == -EINVAL &&
	   net_policy_parse("allow=bad/name", &p, why, sizeof(why)) == -EINVAL &&
	   net_policy_parse("everything", &p, why, sizeof(why)) == -EINVAL,
	   "bad --net values are refused");
	net_policy_free(&p);
}

static size_t
query(unsigned char *q, const char *name, int type)
{
	size_t n = 12;

	memset(q, 0, 12);
	q[0] = 0xab;
	q[1] = 0xcd;
	q[2] = 1; /* RD */
	q[5] = 1;
	while (*name) {
		size_t l = strcspn(name, ".");

		q[n++] = (unsigned char)l;
		memcpy(q + n, name, l);
		n += l;
		name += l + (name[l] == '.');
	}
	q[n++] = 0;
	q[n++] = 0;
	q[n++] = (unsigned char)type;
	q[n++] = 0;
	q[n++] = 1;
	return n;
}

static void
test_dns(void)
{
	struct net_rule rules[3] = {
		{ .family = AF_INET, .addr = { 192, 0, 2, 7 }, .name = "example.org" },
		{ .family = AF_INET, .addr = { 192, 0, 2, 7 }, .port = 443, .name = "example.org" },
		{ .family = AF_INET6, .addr = { 0x20, 0x01, 0x0d, 0xb8, [15] = 1 },
		  .name = "example.org" },
	};
	struct net_policy p = { .mode = NET_ALLOW, .nrules = 3, .rules = rules };
	unsigned char q[512], a[512];
	size_t n = query(q, "Example.ORG", 1);
	ssize_t r = net_dns_answer(&p, q, n, a, sizeof(a));

	ok(r == (ssize_t)n + 16 && a[0] == 0xab && a[1] == 0xcd && (a[2] & 0x80) && (a[2] & 1) &&
	   (a[3] & 15) == 0 && a[7] == 1 && !memcmp(a + n + 12, rules[0].addr, 4),
	   "dns: an allowed name's A record, once, any case (r=%zd)", r);
	n = query(q, "example.org", 28);
	r = net_dns_answer(&p, q, n, a, sizeof(a));
	ok(r == (ssize_t)n + 28 && a[7] == 1 && !memcmp(a + n + 12, rules[2].addr, 16),
	   "dns: its AAAA record");
	n = query(q, "example.org", 16);
	r = net_dns_answer(&p, q, n, a, sizeof(a));
	ok(r == (ssize_t)n && (a[3] & 15) == 0 && a[7] == 0, "dns: TXT: no answers, NOERROR");
	n = query(q, "other.example", 1);
	r = net_dns_answer(&p, q, n, a, sizeof(a));
	ok(r == (ssize_t)n && (a[3] & 15) == 3 && a[7] == 0, "dns: another name: NXDOMAIN");
	n = query(q, "www.example.org", 1);
	r = net_dns_answer(&p, q, n, a, sizeof(a));
	ok(r == (ssize_t)n && (a[3] & 15) == 3, "dns: a subdomain is another name");
	q[5] = 2;
	ok(net_dns_answer(&p, q, n, a, sizeof(a)) == 12 && (a[3] & 15) == 1,
	   "dns: two questions: FORMERR");
	ok(net_dns_answer(&p, q, 5, a, sizeof(a)) == -EINVAL, "dns: a short message is dropped");
	q[5] = 1;
	q[12] = 0xc0; /* a pointer in the question */
	ok(net_dns_answer(&p, q, n, a, sizeof(a)) == 12 && (a[3] & 15) == 1,
	   "dns: a compressed question name: FORMERR");
	q[2] |= 0x80;
	ok(net_dns_answer(&p, q, n, a, sizeof(a)) == -EINVAL, "dns: an answer is not answered");
}

/* a gofer with policy p; the client talks to it */
static pid_t
start(const struct net_policy *p, int *sock)
{
	struct gofer_mount m = { "/", false };
	pid_t pid = -1;

	gofer_set_net_policy(p);
	if (gofer_start(&m, 1, sock, &pid))
		return -1;
	gofer_client_init(*sock);
	return pid;
}

static void
stop(int sock, pid_t pid)
{
	close(sock);
	waitpid(pid, NULL, 0);
}

static void
test_gofer(void)
{
	struct net_policy none = { .mode = NET_NONE }, host = { .mode = NET_HOST };
	struct sockaddr_in a = v4("192.0.2.7", 80), lo = v4("127.0.0.1", 22);
	struct hsock *h = NULL;
	char why[256], q[64];
	int sock, open_fds;
	pid_t pid;

	pid = start(&none, &sock);
	ok(pid > 0, "gofer started with mode none");
	/* a sentry that asks anyway (a compromised one would): the gofer says no */
	net_set_mode(NET_HOST);
	open_fds = dup(0);
	close(open_fds);
	ok(hsock_open(AF_INET, SOCK_STREAM, &a, sizeof(a), true, &h, why, sizeof(why)) ==
		   -EPERM && !h && strstr(why, "mode none"),
	   "mode none: no host socket, whatever the sentry asks (%s)", why);
	ok(hsock_open(AF_INET, SOCK_DGRAM, &a, sizeof(a), false, &h, why, sizeof(why)) ==
		   -EPERM && !h, "mode none: no UDP socket either");
	ok(hsock_dns(q, query((unsigned char *)q, "example.org", 1), q, sizeof(q)) == -EPERM,
	   "mode none: no DNS answers");
	ok(dup(0) == open_fds, "no fd came back");
	close(open_fds);
	ok(kill(pid, 0) == 0, "the gofer is still serving");
	stop(sock, pid);

	pid = start(&host, &sock);
	ok(pid > 0, "gofer started with mode host");
	ok(hsock_open(AF_INET, SOCK_STREAM, &lo, sizeof(lo), true, &h, why, sizeof(why)) ==
		   -EPERM && !h, "mode host: the host's loopback is refused by the gofer (%s)", why);
	ok(hsock_dns(q, query((unsigned char *)q, "example.org", 1), q, sizeof(q)) == -EPERM,
	   "mode host: no DNS answers from the sandbox");
	stop(sock, pid);
	net_set_mode(NET_NONE);
	ok(hsock_open(AF_INET, SOCK_STREAM, &a, sizeof(a), true, &h, why, sizeof(why)) ==
		   -ENETUNREACH && !h, "a sentry in mode none does not even ask");
}

/* this host's first non-loopback IPv4 address, or false */
static bool
host_addr(struct sockaddr_in *out)
{
	struct ifaddrs *ifs, *i;
	bool found = false;

	if (getifaddrs(&ifs))
		return false;
	for (i = ifs; i && !found; i = i->ifa_next) {
		if (!i->ifa_addr || i->ifa_addr->sa_family != AF_INET)
			continue;
		memcpy(out, i->ifa_addr, sizeof(*out));
		found = (ntohl(out->sin_addr.s_addr) >> 24) != 127;
	}
	freeifaddrs(ifs);
	return found;
}

/* mode host against a listener of our own on the host's address: the socket the sentry gets
 * is connected there, options reach it, shutdown goes through the gofer */
static void
test_host_socket(void)
{
	struct net_policy host = { .mode = NET_HOST };
	struct sockaddr_in a, local;
	socklen_t alen = sizeof(a), llen = sizeof(local);
	struct hsock *h = NULL;
	int l, c, v = 0, r, sock;
	socklen_t vl = sizeof(v);
	char why[256], buf[8];
	bool dead;
	pid_t pid;

	if (!host_addr(&a)) {
		for (int i = 0; i < 6; i++)
			ok(1, "# SKIP no non-loopback IPv4 address");
		return;
	}
	l = socket(AF_INET, SOCK_STREAM, 0);
	a.sin_port = 0;
	bind(l, (struct sockaddr *)&a, sizeof(a));
	listen(l, 4);
	getsockname(l, (struct sockaddr *)&a, &alen);
	pid = start(&host, &sock);
	net_set_mode(NET_HOST);
	r = hsock_open(AF_INET, SOCK_STREAM, &a, sizeof(a), true, &h, why, sizeof(why));
	ok((r == 0 || r == -EINPROGRESS) && h, "mode host: a host socket (r=%d)", r);
	if (!h) {
		for (int i = 0; i < 6; i++)
			ok(0, "no socket");
		stop(sock, pid);
		return;
	}
	c = accept(l, NULL, NULL);
	r = hsock_reconnect(h, false, &dead);
	ok(c >= 0 && (r == 1 || r == -EISCONN), "connected (%d)", r);
	ok(hsock_name(h, false, &local, &llen) == 0 && local.sin_addr.s_addr == a.sin_addr.s_addr,
	   "its local name is the host's");
	ok(hsock_setopt(h, IPPROTO_TCP, TCP_NODELAY, 1) == 0 &&
	   getsockopt(hsock_fd(h), IPPROTO_TCP, TCP_NODELAY, &v, &vl) == 0 && v == 1,
	   "TCP_NODELAY reaches the host socket");
	{
		struct linger lg = { 1, 7 }, lg2 = { 0, 0 };
		socklen_t ll = sizeof(lg2), il = sizeof(int);
		int rb = 0, tos = 0, inl = 0, ka = 0, set;

		set = hsock_setopt(h, SOL_SOCKET, SO_RCVBUF, 8192) == 0 &&
		      hsock_setopt(h, IPPROTO_IP, IP_TOS, 0x10) == 0 &&
		      hsock_setopt(h, SOL_SOCKET, SO_OOBINLINE, 1) == 0 &&
		      hsock_setopt(h, IPPROTO_TCP, TCP_KEEPIDLE, 33) == 0 &&
		      hsock_setopt_raw(h, SOL_SOCKET, SO_LINGER, &lg, sizeof(lg)) == 0;
		getsockopt(hsock_fd(h), SOL_SOCKET, SO_RCVBUF, &rb, &il);
		getsockopt(hsock_fd(h), IPPROTO_IP, IP_TOS, &tos, &il);
		getsockopt(hsock_fd(h), SOL_SOCKET, SO_OOBINLINE, &inl, &il);
		getsockopt(hsock_fd(h), IPPROTO_TCP, TCP_KEEPIDLE, &ka, &il);
		getsockopt(hsock_fd(h), SOL_SOCKET, SO_LINGER, &lg2, &ll);
		ok(set && rb > 0 && rb <= 16384 && tos == 0x10 && inl == 1 && ka == 33 &&
		   lg2.l_onoff == 1 && lg2.l_linger == 7,
		   "SO_RCVBUF, IP_TOS, SO_OOBINLINE, TCP_KEEPIDLE, SO_LINGER reach the host socket "
		   "(%d %#x %d %d %d/%d)", rb, tos, inl, ka, lg2.l_onoff, lg2.l_linger);
	}
	ok(hsock_setopt(h, SOL_SOCKET, SO_RCVLOWAT, 100) == 0 &&
	   getsockopt(hsock_fd(h), SOL_SOCKET, SO_RCVLOWAT, &v, &vl) == 0 && v == 1,
	   "an option not on the gofer's list stays in the sentry");
	ok(hsock_shutdown(h, SHUT_WR) == 0 && read(c, buf, sizeof(buf)) == 0,
	   "shutdown(SHUT_WR) through the gofer: the peer reads the end");
	hsock_free(h);
	close(c);
	close(l);
	stop(sock, pid);
	net_set_mode(NET_NONE);
}


/* ---- the CLI's resolver (net/resolve.c) against a fake nameserver ---- */

static size_t
rr_add(unsigned char *r, size_t pos, const char *owner, size_t olen, int type, const void *d,
       size_t dlen)
{
	memcpy(r + pos, owner, olen);
	pos += olen;
	r[pos++] = 0, r[pos++] = (unsigned char)type;
	r[pos++] = 0, r[pos++] = 1;                     /* IN */
	r[pos++] = 0, r[pos++] = 0, r[pos++] = 0, r[pos++] = 60;
	r[pos++] = 0, r[pos++] = (unsigned char)dlen;
	memcpy(r + pos, d, dlen);
	r[7]++;                                         /* one more answer */
	return pos + dlen;
}

/* The answer the fake server gives to query q (qlen bytes) over udp or TCP: its length. */
static size_t
fake_answer(const unsigned char *q, size_t qlen, unsigned char *r, bool udp)
{
	char name[256] = "";
	size_t pos = 12, n = 0;
	int type;
	unsigned char a4[4] = { 192, 0, 2, 0 }, a6[16] = { 0x20, 0x01, 0x0d, 0xb8, [15] = 5 };

	while (pos < qlen && q[pos] && n + q[pos] + 1 < sizeof(name)) {
		if (n)
			name[n++] = '.';
		memcpy(name + n, q + pos + 1, q[pos]);
		n += q[pos];
		pos += q[pos] + 1;
	}
	name[n] = '\0';
	type = q[pos + 2];
	memcpy(r, q, qlen);
	r[2] = 0x81, r[3] = 0x80;
	memset(r + 6, 0, 6);
	pos = qlen;
	if (!strcmp(name, "good.test") && type == 1) {
		a4[3] = 7;
		/* an alias (owner: a pointer to the question), its address, and another name's */
		pos = rr_add(r, pos, "\xc0\x0c", 2, 5, "\x04real\x04test", 11);
		pos = rr_add(r, pos, "\x04real\x04test", 11, 1, a4, 4);
		a4[3] = 66;
		pos = rr_add(r, pos, "\x05other\x04test", 12, 1, a4, 4);
	} else if (!strcmp(name, "good.test") && type == 28) {
		pos = rr_add(r, pos, "\xc0\x0c", 2, 28, a6, 16);
	} else if (!strcmp(name, "spoof.test") && type == 1) {
		a4[3] = 9;
		pos = rr_add(r, pos, "\xc0\x0c", 2, 1, a4, 4);
	} else if (!strcmp(name, "loop.test") && type == 1) {
		a4[3] = 13; /* an owner that points at itself */
		pos = rr_add(r, pos, "\xc0\x00", 2, 1, a4, 4);
		r[pos - 16] = 0xc0, r[pos - 15] = (unsigned char)(pos - 16);
	} else if (!strcmp(name, "big.test") && type == 1) {
		if (udp) {
			r[2] |= 0x02; /* TC: ask over TCP */
		} else {
			a4[3] = 77;
			pos = rr_add(r, pos, "\xc0\x0c", 2, 1, a4, 4);
		}
	} else if (!strcmp(name, "short.test") && type == 1) {
		a4[3] = 11;
		pos = rr_add(r, pos, "\xc0\x0c", 2, 1, a4, 4);
	} else if (strcmp(name, "good.test") && strcmp(name, "big.test") &&
		   strcmp(name, "short.test") && strcmp(name, "spoof.test") &&
		   strcmp(name, "loop.test")) {
		r[3] |= 3; /* NXDOMAIN */
	}
	return pos;
}

static void
fake_nameserver(int u, int l)
{
	unsigned char q[512], r[1024];

	for (;;) {
		struct pollfd p[2] = { { .fd = u, .events = POLLIN }, { .fd = l, .events = POLLIN } };
		struct sockaddr_in from;
		socklen_t fl = sizeof(from);

		if (poll(p, 2, -1) <= 0)
			continue;
		if (p[0].revents) {
			ssize_t k = recvfrom(u, q, sizeof(q), 0, (struct sockaddr *)&from, &fl);
			size_t n;

			if (k < 17)
				continue;
			n = fake_answer(q, (size_t)k, r, true);
			if (memmem(q, (size_t)k, "\x05spoof", 6)) { /* first a reply of another id */
				r[0] ^= 0x55;
				sendto(u, r, n, 0, (struct sockaddr *)&from, fl);
				sendto(u, "\x01", 1, 0, (struct sockaddr *)&from, fl);
				r[0] ^= 0x55;
			}
			sendto(u, r, n, 0, (struct sockaddr *)&from, fl);
		}
		if (p[1].revents) {
			int c = accept(l, NULL, NULL);
			unsigned char lb[2];
			size_t n;

			if (c < 0)
				continue;
			if (recv(c, lb, 2, MSG_WAITALL) == 2 &&
			    recv(c, q, lb[1], MSG_WAITALL) == lb[1]) {
				n = fake_answer(q, lb[1], r + 2, false);
				r[0] = (unsigned char)(n >> 8), r[1] = (unsigned char)n;
				send(c, r, n + 2, MSG_NOSIGNAL);
			}
			close(c);
		}
	}
}

static int
resolve(const char *name, const char *hosts, const char *conf, int port, char *out, size_t len)
{
	struct net_addr a[8];
	int n = net_resolve_with(name, hosts, conf, port, a, 8);
	size_t used = 0;

	out[0] = '\0';
	for (int i = 0; i < n; i++) {
		char t[INET6_ADDRSTRLEN];

		inet_ntop(a[i].family, a[i].addr, t, sizeof(t));
		used += (size_t)snprintf(out + used, len - used, "%s%s", i ? " " : "", t);
	}
	return n;
}

static void
test_resolver(void)
{
	char hosts[] = "/tmp/test_net_hostsXXXXXX", conf[] = "/tmp/test_net_confXXXXXX", got[256];
	struct sockaddr_in a = v4("127.0.0.1", 0);
	socklen_t al = sizeof(a);
	int u = -1, l = -1, port, fd;
	pid_t pid;
	FILE *f;

	/* one port number for both (a resolver asks UDP and TCP at the same port); the one the
	 * kernel picks for UDP may be taken for TCP by other work on the machine: pick again */
	for (int tries = 0; tries < 100; tries++) {
		if (u >= 0)
			close(u), close(l);
		u = socket(AF_INET, SOCK_DGRAM, 0);
		l = socket(AF_INET, SOCK_STREAM, 0);
		a = v4("127.0.0.1", 0);
		al = sizeof(a);
		bind(u, (struct sockaddr *)&a, sizeof(a));
		getsockname(u, (struct sockaddr *)&a, &al);
		if (bind(l, (struct sockaddr *)&a, sizeof(a)) == 0)
			break;
	}
	port = ntohs(a.sin_port);
	listen(l, 4);
	pid = fork();
	if (pid == 0)
		fake_nameserver(u, l);
	close(u);
	close(l);
	fd = mkstemp(hosts);
	f = fdopen(fd, "w");
	fprintf(f, "# comment\n192.0.2.1 Hosted.Test. alias # trailing\n::1 hosted.test\n"
		   "not-an-address hosted.test\n");
	fclose(f);
	fd = mkstemp(conf);
	f = fdopen(fd, "w");
	fprintf(f, "nameserver 127.0.0.1\nsearch test\noptions timeout:3 attempts:2 ndots:1\n");
	fclose(f);

	ok(resolve("hosted.test", hosts, conf, port, got, sizeof(got)) == 2 &&
	   !strcmp(got, "192.0.2.1 ::1"), "resolver: /etc/hosts lines, any case (%s)", got);
	ok(resolve("good.test", hosts, conf, port, got, sizeof(got)) == 2 &&
	   !strcmp(got, "192.0.2.7 2001:db8::5"),
	   "resolver: A through an alias (a compressed name), AAAA; another name's record not taken (%s)",
	   got);
	ok(resolve("spoof.test", hosts, conf, port, got, sizeof(got)) == 1 &&
	   !strcmp(got, "192.0.2.9"), "resolver: a reply of another id is ignored (%s)", got);
	ok(resolve("loop.test", hosts, conf, port, got, sizeof(got)) == 0,
	   "resolver: a record whose name loops is rejected (%s)", got);
	ok(resolve("big.test", hosts, conf, port, got, sizeof(got)) == 1 &&
	   !strcmp(got, "192.0.2.77"), "resolver: a truncated answer is asked again over TCP (%s)",
	   got);
	ok(resolve("short", hosts, conf, port, got, sizeof(got)) == 1 && !strcmp(got, "192.0.2.11"),
	   "resolver: a name without dots goes through the search list (%s)", got);
	ok(resolve("nx.test", hosts, conf, port, got, sizeof(got)) == 0 &&
	   net_resolve_with("bad..name", hosts, conf, port, (struct net_addr[1]){ 0 }, 1) == 0 &&
	   net_resolve_with("", hosts, conf, port, (struct net_addr[1]){ 0 }, 1) == -EINVAL,
	   "resolver: NXDOMAIN and bad names give no address");
	kill(pid, SIGKILL);
	waitpid(pid, NULL, 0);
	unlink(hosts);
	unlink(conf);
}

int
main(void)
{
	printf("1..46\n");
	alarm(30);
	signal(SIGPIPE, SIG_IGN);
	test_parse_and_check();
	test_dns();
	test_gofer();
	test_host_socket();
	test_resolver();
	return nfail ? 1 : 0;
}
