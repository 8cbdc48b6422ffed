/* UDP edge cases: an IPv6 socket whose source came from a connect to ::1 may still
 * sendto an IPv4 (v4-mapped) address, one bound to ::1 may not (ENETUNREACH); IP_TOS and
 * friends take an empty value as 0 (IPv4), IPV6_TCLASS does not (EINVAL); a bind with
 * AF_UNSPEC; what a disconnect leaves of a bound name. */
#include "cf.h"
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>

static struct sockaddr_in6
v6(const char *ip, int port)
{
	struct sockaddr_in6 a = { .sin6_family = AF_INET6, .sin6_port = htons(port) };

	inet_pton(AF_INET6, ip, &a.sin6_addr);
	return a;
}

int
main(void)
{
	struct sockaddr_in r4 = { .sin_family = AF_INET };
	socklen_t len = sizeof(r4);
	struct sockaddr_in6 to, peer = v6("::1", 9), lo = v6("::1", 0);
	int r = socket(AF_INET, SOCK_DGRAM, 0), s, v = 0xc0, got = -1;
	char buf[8] = "abc";

	r4.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	bind(r, (struct sockaddr *)&r4, sizeof(r4));
	getsockname(r, (struct sockaddr *)&r4, &len);
	to = v6("::ffff:127.0.0.1", ntohs(r4.sin_port));

	s = socket(AF_INET6, SOCK_DGRAM, 0);
	OK("connect ::1", connect(s, (struct sockaddr *)&peer, sizeof(peer)));
	R("connected: sendto v4-mapped", sendto(s, buf, 3, 0, (struct sockaddr *)&to, sizeof(to)));
	R("receiver got", recv(r, buf, sizeof(buf), MSG_DONTWAIT));
	close(s);

	s = socket(AF_INET6, SOCK_DGRAM, 0);
	OK("bind ::1", bind(s, (struct sockaddr *)&lo, sizeof(lo)));
	R("bound: sendto v4-mapped", sendto(s, buf, 3, 0, (struct sockaddr *)&to, sizeof(to)));
	close(s);

	s = socket(AF_INET, SOCK_DGRAM, 0);
	R("IP_TOS empty", setsockopt(s, IPPROTO_IP, IP_TOS, &v, 0));
	len = sizeof(got);
	getsockopt(s, IPPROTO_IP, IP_TOS, &got, &len);
	printf("IP_TOS now %d\n", got);
	R("IP_TTL empty", setsockopt(s, IPPROTO_IP, IP_TTL, &v, 0));
	len = 0;
	got = -1;
	R("IP_TOS get into nothing", getsockopt(s, IPPROTO_IP, IP_TOS, &got, &len));
	printf("len %d value %d\n", (int)len, got);
	close(s);
	s = socket(AF_INET6, SOCK_DGRAM, 0);
	R("IPV6_TCLASS empty", setsockopt(s, IPPROTO_IPV6, IPV6_TCLASS, &v, 0));
	close(s);
	/* bind with AF_UNSPEC: IPv4 takes it for INADDR_ANY only, IPv6 never */
	struct sockaddr_in u4 = { .sin_family = AF_UNSPEC };
	struct sockaddr_in6 u6 = { .sin6_family = AF_UNSPEC };
	s = socket(AF_INET, SOCK_DGRAM, 0);
	OK("v4 bind AF_UNSPEC any", bind(s, (struct sockaddr *)&u4, sizeof(u4)));
	close(s);
	s = socket(AF_INET, SOCK_DGRAM, 0);
	u4.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	OK("v4 bind AF_UNSPEC loopback", bind(s, (struct sockaddr *)&u4, sizeof(u4)));
	close(s);
	s = socket(AF_INET6, SOCK_DGRAM, 0);
	OK("v6 bind AF_UNSPEC", bind(s, (struct sockaddr *)&u6, sizeof(u6)));
	close(s);
	/* a disconnect drops a port bind let the kernel choose, keeps one it named */
	for (int named = 0; named < 2; named++) {
		struct sockaddr_in b = { .sin_family = AF_INET }, n;
		struct sockaddr_in un = { .sin_family = AF_UNSPEC };

		s = socket(AF_INET, SOCK_DGRAM, 0);
		b.sin_port = named ? r4.sin_port : 0;
		if (named) { /* r's port, shared (both SO_REUSEADDR is not needed: r is 127.0.0.1) */
			close(r);
			r = -1;
		}
		bind(s, (struct sockaddr *)&b, sizeof(b));
		connect(s, (struct sockaddr *)&r4, sizeof(r4));
		OK("disconnect", connect(s, (struct sockaddr *)&un, sizeof(un)));
		len = sizeof(n);
		getsockname(s, (struct sockaddr *)&n, &len);
		printf("after disconnect (%s port): port %s, addr %s\n", named ? "named" : "chosen",
		       n.sin_port == 0 ? "0" : n.sin_port == r4.sin_port ? "the named one" : "other",
		       n.sin_addr.s_addr == 0 ? "any" : "set");
		close(s);
	}
	if (r >= 0)
		close(r);
	return 0;
}
