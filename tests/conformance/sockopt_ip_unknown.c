/* setsockopt at IPPROTO_IP and IPPROTO_IPV6 with numbers Linux has no setter for on TCP
 * and UDP sockets (unassigned, read-only ones, raw sockets' own): ENOPROTOOPT, also with a
 * short value, where they used to be taken and dropped; known ones next to them still
 * work. */
#include "cf.h"
#include <netinet/in.h>
#include <sys/socket.h>

static void
try_set(const char *what, int fd, int level, int name, socklen_t len)
{
	int one = 1;
	char label[96];

	snprintf(label, sizeof(label), "%s level %d opt %d len %u", what, level, name, len);
	OK(label, setsockopt(fd, level, name, &one, len));
}

int
main(void)
{
	static const int v6[] = { 0, IPV6_CHECKSUM, IPV6_NEXTHOP, IPV6_AUTHHDR, 12, 15,
				  IPV6_ROUTER_ALERT, 36, 37, 41, IPV6_HOPLIMIT, IPV6_PATHMTU, 63,
				  68, 69, 71, 79, 100,
				  /* known */ IPV6_V6ONLY, IPV6_RECVPKTINFO, IPV6_TCLASS };
	static const int v4[] = { IP_HDRINCL, IP_PKTOPTIONS, IP_MTU, IP_NODEFRAG, 52,
				  /* known */ IP_TOS, IP_RECVTTL, IP_PKTINFO };
	struct { const char *name; int family, type; } socks[] = {
		{ "udp6", AF_INET6, SOCK_DGRAM }, { "tcp6", AF_INET6, SOCK_STREAM },
		{ "udp4", AF_INET, SOCK_DGRAM }, { "tcp4", AF_INET, SOCK_STREAM },
	};

	for (size_t s = 0; s < sizeof(socks) / sizeof(socks[0]); s++) {
		int fd = socket(socks[s].family, socks[s].type, 0);

		if (socks[s].family == AF_INET6) {
			for (size_t i = 0; i < sizeof(v6) / sizeof(v6[0]); i++)
				try_set(socks[s].name, fd, IPPROTO_IPV6, v6[i], sizeof(int));
			try_set(socks[s].name, fd, IPPROTO_IPV6, 12, 2);
			try_set(socks[s].name, fd, IPPROTO_IPV6, IPV6_V6ONLY, 2);
		}
		for (size_t i = 0; i < sizeof(v4) / sizeof(v4[0]); i++)
			try_set(socks[s].name, fd, IPPROTO_IP, v4[i], sizeof(int));
		close(fd);
	}
	return 0;
}
