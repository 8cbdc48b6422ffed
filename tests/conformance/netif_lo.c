/* build: dynamic */
/* The loopback interface as programs find it: getifaddrs (netlink RTM_GETLINK and
 * RTM_GETADDR dumps), if_nameindex, if_nametoindex and the SIOCGIF* ioctls on a socket.
 * Only "lo" is printed: the host may have more interfaces, the sandbox has no others. */
#include "cf.h"
#include <arpa/inet.h>
#include <ifaddrs.h>
#include <net/if.h>
#include <linux/sockios.h>
#include <netinet/in.h>
#include <sys/ioctl.h>
#include <sys/socket.h>

int
main(void)
{
	struct ifaddrs *ifa, *i;
	struct if_nameindex *ni;
	struct ifreq ifr = { 0 };
	int fd;

	R("getifaddrs", getifaddrs(&ifa));
	for (i = ifa; i; i = i->ifa_next) {
		char buf[64] = "-";

		if (strcmp(i->ifa_name, "lo"))
			continue;
		if (i->ifa_addr && i->ifa_addr->sa_family == AF_INET)
			inet_ntop(AF_INET, &((struct sockaddr_in *)i->ifa_addr)->sin_addr, buf, sizeof(buf));
		if (i->ifa_addr && i->ifa_addr->sa_family == AF_INET6)
			inet_ntop(AF_INET6, &((struct sockaddr_in6 *)i->ifa_addr)->sin6_addr, buf, sizeof(buf));
		printf("lo family %d addr %s up %d loopback %d\n", i->ifa_addr ? i->ifa_addr->sa_family : -1,
		       buf, !!(i->ifa_flags & IFF_UP), !!(i->ifa_flags & IFF_LOOPBACK));
	}
	freeifaddrs(ifa);
	ni = if_nameindex();
	YN("if_nameindex", ni);
	if (ni)
		printf("first: %u %s\n", ni[0].if_index, ni[0].if_name);
	R("if_nametoindex lo", if_nametoindex("lo"));
	R("if_nametoindex missing", if_nametoindex("nosuch0"));
	fd = socket(AF_INET, SOCK_DGRAM, 0);
	strcpy(ifr.ifr_name, "lo");
	R("SIOCGIFFLAGS", ioctl(fd, SIOCGIFFLAGS, &ifr));
	printf("flags up %d loopback %d\n", !!(ifr.ifr_flags & IFF_UP), !!(ifr.ifr_flags & IFF_LOOPBACK));
	R("SIOCGIFMTU", ioctl(fd, SIOCGIFMTU, &ifr));
	R("mtu", ifr.ifr_mtu);
	strcpy(ifr.ifr_name, "nosuch0");
	R("SIOCGIFINDEX missing", ioctl(fd, SIOCGIFINDEX, &ifr));
	{ /* SIOCETHTOOL: lo's timestamping info (struct ethtool_ts_info), no other command */
		unsigned int ts[11] = { 0x41 };

		memset(&ifr, 0, sizeof(ifr));
		strcpy(ifr.ifr_name, "lo");
		ifr.ifr_data = (void *)ts;
		R("ETHTOOL_GET_TS_INFO", ioctl(fd, SIOCETHTOOL, &ifr));
		printf("cmd %#x so_timestamping %#x phc_index %d tx_types %u rx_filters %u\n", ts[0],
		       ts[1], (int)ts[2], ts[3], ts[7]);
		ts[0] = 0x44; /* ETHTOOL_GFEATURES: nothing lo offers here */
		strcpy(ifr.ifr_name, "nosuch0");
		R("SIOCETHTOOL missing", ioctl(fd, SIOCETHTOOL, &ifr));
		ifr.ifr_data = NULL;
		strcpy(ifr.ifr_name, "lo");
		R("SIOCETHTOOL bad pointer", ioctl(fd, SIOCETHTOOL, &ifr));
	}
	return 0;
}
