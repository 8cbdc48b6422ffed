/* /proc/net/snmp6 of a network namespace of the test's own: its lines (a name in 32
 * columns, a tab, the number); the ICMPv6 and UDP / UDP-Lite counters after IPv6
 * datagrams to a bound port, to unbound ones (a port unreachable each: its type's own
 * line), and v4-mapped ones (counted in /proc/net/snmp instead); InDatagrams counts what
 * was read (not peeked). The Ip6 numbers are not counted inside (their names are
 * checked). */
#include "cf.h"
#include <netinet/in.h>
#include <arpa/inet.h>
#include <sys/socket.h>

static void
show(const char *when)
{
	char line[256], name[64];
	unsigned long v;
	FILE *f = fopen("/proc/net/snmp6", "r");

	printf("-- %s\n", when);
	if (!f) {
		printf("open: %s\n", en(errno));
		return;
	}
	while (fgets(line, sizeof(line), f)) {
		if (sscanf(line, "%63s %lu", name, &v) != 2 || strlen(name) > 31 || line[32] != '\t')
			printf("odd line: %s", line);
		else if (!strncmp(name, "Ip6", 3))
			printf("%s\n", name);
		else
			printf("%s %lu\n", name, v);
	}
	fclose(f);
}

/* /proc/net/snmp's Udp lines */
static void
snmp4(const char *when)
{
	char line[512];
	FILE *f = fopen("/proc/net/snmp", "r");

	printf("-- %s\n", when);
	while (f && fgets(line, sizeof(line), f))
		if (!strncmp(line, "Udp:", 4))
			fputs(line, stdout);
	if (f)
		fclose(f);
}

int
main(void)
{
	struct sockaddr_in6 a = { .sin6_family = AF_INET6, .sin6_addr = IN6ADDR_LOOPBACK_INIT };
	struct sockaddr_in6 m = { .sin6_family = AF_INET6 };
	socklen_t l = sizeof(a);
	char b[64];
	int r, s, lite, r4;

	cf_init();
	cf_need_own_netns();
	show("a new namespace");
	r = socket(AF_INET6, SOCK_DGRAM, 0);
	bind(r, (struct sockaddr *)&a, sizeof(a));
	getsockname(r, (struct sockaddr *)&a, &l);
	s = socket(AF_INET6, SOCK_DGRAM, 0);
	for (int i = 0; i < 3; i++)
		sendto(s, "0123456789", 10, 0, (struct sockaddr *)&a, sizeof(a));
	for (int i = 0; i < 2; i++)
		recv(r, b, sizeof(b), 0);
	a.sin6_port = htons(9);
	R("to an unbound port", sendto(s, "x", 1, 0, (struct sockaddr *)&a, sizeof(a)));
	lite = socket(AF_INET6, SOCK_DGRAM, IPPROTO_UDPLITE);
	R("udplite to it", sendto(lite, "y", 1, 0, (struct sockaddr *)&a, sizeof(a)));
	r4 = socket(AF_INET, SOCK_DGRAM, 0);
	struct sockaddr_in a4 = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	l = sizeof(a4);
	bind(r4, (struct sockaddr *)&a4, sizeof(a4));
	getsockname(r4, (struct sockaddr *)&a4, &l);
	m.sin6_port = a4.sin_port;
	inet_pton(AF_INET6, "::ffff:127.0.0.1", &m.sin6_addr);
	R("v4-mapped", sendto(s, "z", 1, 0, (struct sockaddr *)&m, sizeof(m)));
	show("after");
	snmp4("/proc/net/snmp before reading the v4-mapped one");
	recv(r4, b, sizeof(b), MSG_PEEK);
	recv(r4, b, sizeof(b), 0);
	snmp4("... after (a peek does not count)");
	return 0;
}
