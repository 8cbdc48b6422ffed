/* TCP connects share ephemeral ports (Linux __inet_hash_connect): with every port of
 * ip_local_port_range in use by connected sockets, a connect to another destination still
 * gets one of those ports (the 4-tuple stays unique), a connect to a destination each of
 * them already reaches fails with EADDRNOTAVAIL, and bind to port 0 fails with EADDRINUSE
 * (a bound port is never shared that way) unless the name it binds overlaps with none of
 * the addresses on some port (127.0.0.2, ::1). Natively this runs in a new network namespace
 * (its own range and loopback). */
#include "cf.h"
#include <arpa/inet.h>
#include <net/if.h>
#include <netinet/in.h>
#include <sched.h>
#include <sys/ioctl.h>
#include <sys/socket.h>

static void
lo_up(void)
{
	int s = socket(AF_INET, SOCK_DGRAM, 0);
	struct ifreq ifr = { 0 };

	strcpy(ifr.ifr_name, "lo");
	ioctl(s, SIOCGIFFLAGS, &ifr);
	ifr.ifr_flags = (short)(ifr.ifr_flags | IFF_UP);
	OK("lo up", ioctl(s, SIOCSIFFLAGS, &ifr));
	close(s);
}

static struct sockaddr_in
lo4(int port)
{
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons(port) };

	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	return a;
}

static int
listener(int port)
{
	struct sockaddr_in a = lo4(port);
	int s = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);

	OK("bind listener", bind(s, (void *)&a, sizeof(a)));
	OK("listen", listen(s, 16));
	return s;
}

/* A connect to port: its result, and whether the port it got is in the range. */
static int
client(const char *what, int port)
{
	struct sockaddr_in a = lo4(port), me;
	socklen_t len = sizeof(me);
	int s = socket(AF_INET, SOCK_STREAM, 0);
	char label[64];

	snprintf(label, sizeof(label), "connect %s", what);
	OK(label, connect(s, (void *)&a, sizeof(a)));
	getsockname(s, (void *)&me, &len);
	snprintf(label, sizeof(label), "%s port in range", what);
	YN(label, ntohs(me.sin_port) >= 40000 && ntohs(me.sin_port) <= 40003);
	return s;
}

int
main(void)
{
	setvbuf(stdout, NULL, _IONBF, 0);
	if (unshare(CLONE_NEWNET) < 0)
		(void)unshare(CLONE_NEWUSER | CLONE_NEWNET); /* not root natively */
	lo_up();
	int fd = open("/proc/sys/net/ipv4/ip_local_port_range", O_WRONLY);
	R("set range", write(fd, "40000 40003", 11));
	close(fd);

	int l1 = listener(5001), l2 = listener(5002);
	for (int i = 0; i < 4; i++)
		client("to l1", 5001);
	int s = socket(AF_INET, SOCK_STREAM, 0);
	struct sockaddr_in a = lo4(5001);
	R("fifth connect to l1", connect(s, (void *)&a, sizeof(a)));
	close(s);

	int c = client("to l2 (a shared port)", 5002);
	struct sockaddr_in me;
	socklen_t len = sizeof(me);
	getsockname(c, (void *)&me, &len);
	int port = ntohs(me.sin_port);

	s = socket(AF_INET, SOCK_STREAM, 0);
	a = lo4(0);
	R("bind port 0", bind(s, (void *)&a, sizeof(a)));
	close(s);
	s = socket(AF_INET, SOCK_STREAM, 0);
	a = lo4(port);
	R("bind that shared port", bind(s, (void *)&a, sizeof(a)));
	close(s);
	s = socket(AF_INET, SOCK_STREAM, 0);
	a = lo4(0);
	a.sin_addr.s_addr = htonl(INADDR_ANY);
	R("bind port 0 of the any address", bind(s, (void *)&a, sizeof(a)));
	close(s);
	/* a port whose sockets' addresses do not overlap with the name is free for it */
	s = socket(AF_INET, SOCK_STREAM, 0);
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK + 1);
	OK("bind port 0 of 127.0.0.2", bind(s, (void *)&a, sizeof(a)));
	getsockname(s, (void *)&me, &len);
	YN("127.0.0.2 port in range", ntohs(me.sin_port) >= 40000 && ntohs(me.sin_port) <= 40003);
	close(s);
	struct sockaddr_in6 a6 = { .sin6_family = AF_INET6, .sin6_addr = IN6ADDR_LOOPBACK_INIT };
	s = socket(AF_INET6, SOCK_STREAM, 0);
	OK("bind port 0 of ::1", bind(s, (void *)&a6, sizeof(a6)));
	close(s);
	int acc = accept(l2, NULL, NULL);
	YN("l2 accepts", acc >= 0);
	R("send over the shared port", send(c, "x", 1, 0));
	char b;
	R("recv it", recv(acc, &b, 1, 0));
	close(l1);
	return 0;
}
