/* Packet and raw sockets without CAP_NET_RAW (dropped from the effective set first; the
 * sandbox never grants them): EPERM, checked before the socket type. */
#include "cf.h"
#include <arpa/inet.h>
#include <linux/capability.h>
#include <linux/if_ether.h>
#include <netinet/in.h>
#include <sys/socket.h>

int
main(void)
{
	struct __user_cap_header_struct h = { .version = _LINUX_CAPABILITY_VERSION_3 };
	struct __user_cap_data_struct d[2];

	setvbuf(stdout, NULL, _IONBF, 0);
	if (syscall(SYS_capget, &h, d) == 0) {
		d[0].effective &= ~(1u << CAP_NET_RAW);
		syscall(SYS_capset, &h, d);
	}
	FD("packet dgram", socket(AF_PACKET, SOCK_DGRAM, htons(ETH_P_ALL)));
	FD("packet raw", socket(AF_PACKET, SOCK_RAW, htons(ETH_P_IP)));
	FD("packet stream", socket(AF_PACKET, SOCK_STREAM, 0));
	FD("packet, bad type", socket(AF_PACKET, 42, 0));
	FD("inet raw udp", socket(AF_INET, SOCK_RAW, IPPROTO_UDP));
	FD("inet6 raw udp", socket(AF_INET6, SOCK_RAW, IPPROTO_UDP));
	return 0;
}
