/* ICMP ("ping") sockets: socket(AF_INET, SOCK_DGRAM, IPPROTO_ICMP) and its IPv6 twin need the
 * caller's effective or a supplementary group in net.ipv4.ping_group_range, else EACCES
 * (Linux ping_init_sock); the default range holds no group. The other ICMP combinations are
 * unknown protocols. In a network namespace of the test's own, with ranges that leave the
 * test's groups out (conformance/ping_socket: the sockets themselves). */
#include "cf.h"
#include <netinet/in.h>
#include <sys/socket.h>

static const char ping[] = "/proc/sys/net/ipv4/ping_group_range";

static void
try(const char *label, int family, int type, int proto)
{
	int s = socket(family, type, proto);

	printf("%s: %s\n", label, s >= 0 ? "ok" : en(errno));
	if (s >= 0)
		close(s);
}

static void
all(const char *when)
{
	printf("-- %s\n", when);
	try("inet dgram icmp", AF_INET, SOCK_DGRAM, IPPROTO_ICMP);
	try("inet6 dgram icmpv6", AF_INET6, SOCK_DGRAM, IPPROTO_ICMPV6);
	try("inet dgram icmpv6", AF_INET, SOCK_DGRAM, IPPROTO_ICMPV6);
	try("inet6 dgram icmp", AF_INET6, SOCK_DGRAM, IPPROTO_ICMP);
	try("inet stream icmp", AF_INET, SOCK_STREAM, IPPROTO_ICMP);
	try("inet dgram udp", AF_INET, SOCK_DGRAM, IPPROTO_UDP);
}

int
main(void)
{
	gid_t none[1];

	cf_init();
	cf_need_own_netns();
	R("setgroups none", setgroups(0, none));
	all("default range");
	cf_write_value(ping, "100 200");
	all("range 100-200, group 0");
	return 0;
}
