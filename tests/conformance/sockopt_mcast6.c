/* IPv6 multicast sending options (IPV6_MULTICAST_HOPS, _LOOP, _IF): defaults, what
 * setsockopt accepts and getsockopt reads back, on UDP and TCP; SO_INCOMING_NAPI_ID (0 for
 * loopback and unix sockets). Java's DatagramChannel reads the three at IPPROTO_IPV6 (its
 * sockets are dual-stack) and lists SO_INCOMING_NAPI_ID among its options only when the
 * kernel answers it. */
#include "cf.h"
#include <netinet/in.h>
#include <sys/socket.h>

static void
set(const char *label, int fd, int name, int v, socklen_t len)
{
	OK(label, setsockopt(fd, IPPROTO_IPV6, name, &v, len));
}

int
main(void)
{
	int u = socket(AF_INET6, SOCK_DGRAM, 0);
	int t = socket(AF_INET6, SOCK_STREAM, 0);
	int u4 = socket(AF_INET, SOCK_DGRAM, 0);
	int t4 = socket(AF_INET, SOCK_STREAM, 0);
	int us = socket(AF_UNIX, SOCK_STREAM, 0);

	cf_sockopt_int("udp6 hops default", u, IPPROTO_IPV6, IPV6_MULTICAST_HOPS);
	cf_sockopt_int("udp6 loop default", u, IPPROTO_IPV6, IPV6_MULTICAST_LOOP);
	cf_sockopt_int("udp6 if default", u, IPPROTO_IPV6, IPV6_MULTICAST_IF);
	cf_sockopt_int("tcp6 hops default", t, IPPROTO_IPV6, IPV6_MULTICAST_HOPS);
	cf_sockopt_int("tcp6 loop default", t, IPPROTO_IPV6, IPV6_MULTICAST_LOOP);
	cf_sockopt_int("tcp6 if default", t, IPPROTO_IPV6, IPV6_MULTICAST_IF);

	set("udp6 set hops 9", u, IPV6_MULTICAST_HOPS, 9, sizeof(int));
	cf_sockopt_int("udp6 hops", u, IPPROTO_IPV6, IPV6_MULTICAST_HOPS);
	set("udp6 set hops -1", u, IPV6_MULTICAST_HOPS, -1, sizeof(int));
	cf_sockopt_int("udp6 hops after -1", u, IPPROTO_IPV6, IPV6_MULTICAST_HOPS);
	set("udp6 set hops 255", u, IPV6_MULTICAST_HOPS, 255, sizeof(int));
	set("udp6 set hops 256", u, IPV6_MULTICAST_HOPS, 256, sizeof(int));
	set("udp6 set hops -2", u, IPV6_MULTICAST_HOPS, -2, sizeof(int));
	set("udp6 set hops short", u, IPV6_MULTICAST_HOPS, 3, 2);
	cf_sockopt_int("udp6 hops now", u, IPPROTO_IPV6, IPV6_MULTICAST_HOPS);

	set("udp6 set loop 0", u, IPV6_MULTICAST_LOOP, 0, sizeof(int));
	cf_sockopt_int("udp6 loop", u, IPPROTO_IPV6, IPV6_MULTICAST_LOOP);
	set("udp6 set loop 2", u, IPV6_MULTICAST_LOOP, 2, sizeof(int));
	set("udp6 set loop 1", u, IPV6_MULTICAST_LOOP, 1, sizeof(int));
	cf_sockopt_int("udp6 loop again", u, IPPROTO_IPV6, IPV6_MULTICAST_LOOP);

	set("udp6 set if lo", u, IPV6_MULTICAST_IF, 1, sizeof(int));
	cf_sockopt_int("udp6 if", u, IPPROTO_IPV6, IPV6_MULTICAST_IF);
	set("udp6 set if missing", u, IPV6_MULTICAST_IF, 999999, sizeof(int));
	cf_sockopt_int("udp6 if still", u, IPPROTO_IPV6, IPV6_MULTICAST_IF);
	set("udp6 set if 0", u, IPV6_MULTICAST_IF, 0, sizeof(int));
	cf_sockopt_int("udp6 if none", u, IPPROTO_IPV6, IPV6_MULTICAST_IF);

	set("tcp6 set hops", t, IPV6_MULTICAST_HOPS, 4, sizeof(int));
	set("tcp6 set if", t, IPV6_MULTICAST_IF, 1, sizeof(int));
	set("tcp6 set loop 0", t, IPV6_MULTICAST_LOOP, 0, sizeof(int));
	cf_sockopt_int("tcp6 loop", t, IPPROTO_IPV6, IPV6_MULTICAST_LOOP);
	cf_sockopt_int("udp4 ipv6 hops", u4, IPPROTO_IPV6, IPV6_MULTICAST_HOPS);

	cf_sockopt_int("tcp4 napi id", t4, SOL_SOCKET, SO_INCOMING_NAPI_ID);
	cf_sockopt_int("udp4 napi id", u4, SOL_SOCKET, SO_INCOMING_NAPI_ID);
	cf_sockopt_int("tcp6 napi id", t, SOL_SOCKET, SO_INCOMING_NAPI_ID);
	cf_sockopt_int("unix napi id", us, SOL_SOCKET, SO_INCOMING_NAPI_ID);
	int one = 1;
	OK("set napi id", setsockopt(t4, SOL_SOCKET, SO_INCOMING_NAPI_ID, &one, sizeof(one)));
	return 0;
}
