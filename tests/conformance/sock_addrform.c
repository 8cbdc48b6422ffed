/* setsockopt(IPV6_ADDRFORM, AF_INET): a connected TCP or UDP IPv6 socket whose peer is
 * IPv4 (v4-mapped) becomes an AF_INET socket: its names are sockaddr_in, IPv6 options are
 * ENOPROTOOPT, and after a disconnect it binds and listens as IPv4 (LTP's connect02). Not
 * connected: ENOTCONN; an IPv6 peer: EADDRNOTAVAIL; another family: EINVAL. */
#include "cf.h"
#include <arpa/inet.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>

static void
names(int fd, const char *what)
{
	struct sockaddr_storage ss;
	socklen_t len = sizeof(ss);
	int dom = -1;
	socklen_t dlen = sizeof(dom);

	getsockname(fd, (struct sockaddr *)&ss, &len);
	printf("%s: name family %s len %u", what, ss.ss_family == AF_INET ? "inet" : "inet6",
	       (unsigned)len);
	if (ss.ss_family == AF_INET) {
		char a[32];
		inet_ntop(AF_INET, &((struct sockaddr_in *)&ss)->sin_addr, a, sizeof(a));
		printf(" %s", a);
	}
	len = sizeof(ss);
	if (getpeername(fd, (struct sockaddr *)&ss, &len) == 0)
		printf(", peer family %s len %u", ss.ss_family == AF_INET ? "inet" : "inet6",
		       (unsigned)len);
	getsockopt(fd, SOL_SOCKET, SO_DOMAIN, &dom, &dlen);
	printf(", SO_DOMAIN %s\n", dom == AF_INET ? "inet" : "inet6");
}

static int
addrform(int fd, int v)
{
	return setsockopt(fd, IPPROTO_IPV6, IPV6_ADDRFORM, &v, sizeof(v));
}

int
main(void)
{
	struct sockaddr_in6 a6 = { .sin6_family = AF_INET6, .sin6_addr = IN6ADDR_ANY_INIT };
	struct sockaddr_in a4 = { .sin_family = AF_INET };
	socklen_t len = sizeof(a6);
	int one = 1;
	char c = 0;

	setvbuf(stdout, NULL, _IONBF, 0);
	alarm(10); /* (a recv that would wait for ever ends the test) */

	int l = socket(AF_INET6, SOCK_STREAM, 0);
	bind(l, (struct sockaddr *)&a6, sizeof(a6));
	listen(l, 5);
	getsockname(l, (struct sockaddr *)&a6, &len);
	a4.sin_port = a6.sin6_port;
	a4.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	int cl = socket(AF_INET, SOCK_STREAM, 0);
	R("connect v4", connect(cl, (struct sockaddr *)&a4, sizeof(a4)));
	int fd = accept(l, NULL, NULL);
	names(fd, "accepted");

	R("addrform AF_INET6", addrform(fd, AF_INET6));
	R("addrform short", setsockopt(fd, IPPROTO_IPV6, IPV6_ADDRFORM, &one, 2));
	R("addrform AF_INET", addrform(fd, AF_INET));
	names(fd, "converted");
	R("addrform again", addrform(fd, AF_INET));
	R("IPV6_V6ONLY now", setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &one, sizeof(one)));
	R("IP_TOS now", setsockopt(fd, IPPROTO_IP, IP_TOS, &one, sizeof(one)));
	R("send", send(cl, "x", 1, 0));
	R("recv", recv(fd, &c, 1, 0));
	printf("got %c\n", c);

	/* connect02: disconnect, then bind and listen as IPv4 */
	struct sockaddr unspec = { .sa_family = AF_UNSPEC };
	struct sockaddr_in any4 = { .sin_family = AF_INET };
	R("connect AF_UNSPEC", connect(fd, &unspec, sizeof(unspec)));
	R("bind 0.0.0.0", bind(fd, (struct sockaddr *)&any4, sizeof(any4)));
	R("listen", listen(fd, 5));
	len = sizeof(any4);
	getsockname(fd, (struct sockaddr *)&any4, &len);
	any4.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	int cl2 = socket(AF_INET, SOCK_STREAM, 0);
	R("connect to it", connect(cl2, (struct sockaddr *)&any4, sizeof(any4)));
	fcntl(fd, F_SETFL, O_NONBLOCK); /* (queued at once on loopback) */
	int fd2 = accept(fd, NULL, NULL);
	if (fd2 >= 0)
		names(fd2, "its accepted");
	else
		printf("accept: %s\n", en(errno));

	int u = socket(AF_INET6, SOCK_STREAM, 0);
	R("unconnected tcp", addrform(u, AF_INET));
	int ul = socket(AF_INET6, SOCK_STREAM, 0);
	struct sockaddr_in6 lo6 = { .sin6_family = AF_INET6, .sin6_addr = IN6ADDR_LOOPBACK_INIT };
	bind(ul, (struct sockaddr *)&lo6, sizeof(lo6));
	listen(ul, 1);
	len = sizeof(lo6);
	getsockname(ul, (struct sockaddr *)&lo6, &len);
	R("connect ::1", connect(u, (struct sockaddr *)&lo6, sizeof(lo6)));
	R("ipv6 peer", addrform(u, AF_INET));

	int d = socket(AF_INET6, SOCK_DGRAM, 0);
	R("unconnected udp", addrform(d, AF_INET));
	struct sockaddr_in6 m6 = { .sin6_family = AF_INET6, .sin6_port = htons(9) };
	inet_pton(AF_INET6, "::ffff:127.0.0.1", &m6.sin6_addr);
	R("udp connect mapped", connect(d, (struct sockaddr *)&m6, sizeof(m6)));
	R("udp addrform", addrform(d, AF_INET));
	names(d, "udp converted");
	return 0;
}
