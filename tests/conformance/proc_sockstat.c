/* /proc/net/sockstat and sockstat6 (what `ss -s` reads): how the counts move when sockets are
 * made, bound, listen, connect, get accepted and close. Natively it runs in a network
 * namespace of its own when it may (the host's sockets come and go); only differences are
 * printed, never the totals. */
#include "cf.h"
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sched.h>
#include <sys/socket.h>

struct counts {
	long used, tcp, alloc, udp, lite, tcp6, udp6;
};

static long
field(const char *text, const char *key)
{
	const char *p = strstr(text, key);

	return p ? strtol(p + strlen(key), NULL, 10) : -1;
}

static void
snap(struct counts *c)
{
	char a[1024] = "", b[1024] = "";
	FILE *f = fopen("/proc/net/sockstat", "r");

	if (f) {
		a[fread(a, 1, sizeof(a) - 1, f)] = 0;
		fclose(f);
	}
	f = fopen("/proc/net/sockstat6", "r");
	if (f) {
		b[fread(b, 1, sizeof(b) - 1, f)] = 0;
		fclose(f);
	}
	c->used = field(a, "sockets: used ");
	c->tcp = field(a, "TCP: inuse ");
	c->alloc = field(a, " alloc ");
	c->udp = field(a, "UDP: inuse ");
	c->lite = field(a, "UDPLITE: inuse ");
	c->tcp6 = field(b, "TCP6: inuse ");
	c->udp6 = field(b, "UDP6: inuse ");
}

static struct counts base;

static void
show(const char *label)
{
	struct counts c;

	snap(&c);
	printf("%s: used %+ld tcp %+ld udp %+ld udplite %+ld tcp6 %+ld udp6 %+ld\n", label,
	       c.used - base.used, c.tcp - base.tcp, c.udp - base.udp, c.lite - base.lite,
	       c.tcp6 - base.tcp6, c.udp6 - base.udp6);
}

int
main(void)
{
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	struct sockaddr_in6 a6 = { .sin6_family = AF_INET6, .sin6_addr = IN6ADDR_LOOPBACK_INIT };
	socklen_t len = sizeof(a);
	int l, c, s, u, u2, lite, l6, sp[2];

	if (unshare(CLONE_NEWNET) == 0) /* natively: a namespace of our own, lo brought up */
		system("ip link set lo up 2>/dev/null");
	snap(&base);
	YN("sockstat readable", base.used >= 0 && base.tcp >= 0 && base.udp >= 0);
	YN("sockstat6 readable", base.tcp6 >= 0 && base.udp6 >= 0);
	l = socket(AF_INET, SOCK_STREAM, 0);
	show("tcp socket");
	bind(l, (void *)&a, sizeof(a));
	show("tcp bound");
	listen(l, 4);
	getsockname(l, (void *)&a, &len);
	show("tcp listening");
	c = socket(AF_INET, SOCK_STREAM, 0);
	connect(c, (void *)&a, sizeof(a));
	show("connected (and the server side waiting)");
	s = accept(l, NULL, NULL);
	show("accepted");
	u = socket(AF_INET, SOCK_DGRAM, 0);
	show("udp socket");
	a.sin_port = 0;
	bind(u, (void *)&a, sizeof(a));
	show("udp bound");
	u2 = socket(AF_INET6, SOCK_DGRAM, 0);
	bind(u2, (void *)&a6, sizeof(a6));
	show("udp6 bound");
	lite = socket(AF_INET, SOCK_DGRAM, IPPROTO_UDPLITE);
	bind(lite, (void *)&a, sizeof(a));
	show("udplite bound");
	l6 = socket(AF_INET6, SOCK_STREAM, 0);
	bind(l6, (void *)&a6, sizeof(a6));
	listen(l6, 1);
	show("tcp6 listening");
	socketpair(AF_UNIX, SOCK_STREAM, 0, sp);
	show("unix pair");
	close(l);
	show("listener closed");
	close(u);
	close(u2);
	close(lite);
	close(l6);
	close(sp[0]);
	close(sp[1]);
	show("udp, tcp6, unix closed");
	(void)s;
	return 0;
}
