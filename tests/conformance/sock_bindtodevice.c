/* /dev/net/tun and SO_BINDTODEVICE: TUNSETIFF makes a named interface that lives while
 * its file does (TUNGETFEATURES, TUNGETIFF, the errors, its index through SIOCGIFINDEX/
 * SIOCGIFNAME); SO_BINDTODEVICE sets and reads back a name (short buffers, unknown
 * names, "" to clear); sockets bound to different interfaces share a port, not those
 * bound to none; a datagram over loopback goes to the socket bound to lo, never to one
 * bound to the tun device. */
#include "cf.h"
#include <arpa/inet.h>
#include <linux/if_tun.h>
#include <net/if.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/ioctl.h>
#include <sys/socket.h>

static int
udp_on(const char *dev, int port, int *out_port)
{
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons(port),
				 .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	socklen_t len = sizeof(a);
	int fd = socket(AF_INET, SOCK_DGRAM, 0);

	if (dev && setsockopt(fd, SOL_SOCKET, SO_BINDTODEVICE, dev, strlen(dev) + 1))
		printf("bindtodevice %s: %s\n", dev, en(errno));
	if (bind(fd, (struct sockaddr *)&a, sizeof(a))) {
		printf("bind (device %s): -1 %s\n", dev ? dev : "none", en(errno));
		close(fd);
		return -1;
	}
	printf("bind (device %s): ok\n", dev ? dev : "none");
	getsockname(fd, (struct sockaddr *)&a, &len);
	if (out_port)
		*out_port = ntohs(a.sin_port);
	return fd;
}

static void
show_dev(const char *label, int fd, socklen_t room)
{
	char buf[64];
	socklen_t len = room;

	memset(buf, '/', sizeof(buf));
	if (getsockopt(fd, SOL_SOCKET, SO_BINDTODEVICE, buf, &len)) {
		printf("%s: -1 %s len %u\n", label, en(errno), len);
		return;
	}
	printf("%s: len %u \"%.*s\"\n", label, len, (int)len, buf);
}

int
main(void)
{
	struct ifreq ifr;
	int tun, tun2, fd, idx, port, v;
	socklen_t len;

	tun = open("/dev/net/tun", O_RDWR);
	printf("open tun: %s\n", tun >= 0 ? "ok" : en(errno));
	memset(&ifr, 0, sizeof(ifr));
	R("TUNGETIFF unattached", ioctl(tun, TUNGETIFF, &ifr));
	unsigned int feat = 0;
	R("TUNGETFEATURES unattached", ioctl(tun, TUNGETFEATURES, &feat));
	printf("features: tun %d tap %d no_pi %d\n", !!(feat & IFF_TUN), !!(feat & IFF_TAP),
	       !!(feat & IFF_NO_PI));
	R("TUNGETFEATURES to a bad address", ioctl(tun, TUNGETFEATURES, (void *)8));
	ifr.ifr_flags = 0;
	strcpy(ifr.ifr_name, "cfbtd%d");
	R("TUNSETIFF no type", ioctl(tun, TUNSETIFF, &ifr));
	strcpy(ifr.ifr_name, "cf/btd");
	ifr.ifr_flags = IFF_TUN | IFF_NO_PI;
	R("TUNSETIFF bad name", ioctl(tun, TUNSETIFF, &ifr));
	strcpy(ifr.ifr_name, "cfbtd%d");
	R("TUNSETIFF", ioctl(tun, TUNSETIFF, &ifr));
	printf("name: %s\n", ifr.ifr_name);
	R("TUNSETIFF again", ioctl(tun, TUNSETIFF, &ifr));
	memset(&ifr, 0, sizeof(ifr));
	R("TUNGETIFF", ioctl(tun, TUNGETIFF, &ifr));
	printf("got: %s flags tun %d no_pi %d\n", ifr.ifr_name, !!(ifr.ifr_flags & IFF_TUN),
	       !!(ifr.ifr_flags & IFF_NO_PI));
	tun2 = open("/dev/net/tun", O_RDWR);
	memset(&ifr, 0, sizeof(ifr));
	ifr.ifr_flags = IFF_TUN;
	strcpy(ifr.ifr_name, "cfbtd0");
	R("TUNSETIFF a name in use", ioctl(tun2, TUNSETIFF, &ifr));
	strcpy(ifr.ifr_name, "lo");
	R("TUNSETIFF lo", ioctl(tun2, TUNSETIFF, &ifr));
	close(tun2);

	idx = (int)if_nametoindex("cfbtd0");
	printf("if_nametoindex: %s\n", idx > 1 ? "an index past lo's" : "none");
	{
		char name[IF_NAMESIZE] = "";

		printf("if_indextoname: %s\n", if_indextoname(idx, name) ? name : en(errno));
	}

	fd = socket(AF_INET, SOCK_DGRAM, 0);
	show_dev("default", fd, 64);
	show_dev("default, no room", fd, 0);
	R("set unknown", setsockopt(fd, SOL_SOCKET, SO_BINDTODEVICE, "nope0", 6));
	R("set", setsockopt(fd, SOL_SOCKET, SO_BINDTODEVICE, "cfbtd0", 7));
	show_dev("after set", fd, 64);
	show_dev("room 16", fd, 16);
	show_dev("room 8", fd, 8);
	R("set unterminated, exact", setsockopt(fd, SOL_SOCKET, SO_BINDTODEVICE, "lo////", 2));
	show_dev("lo", fd, 64);
	len = sizeof(v);
	R("SO_BINDTOIFINDEX", getsockopt(fd, SOL_SOCKET, SO_BINDTOIFINDEX, &v, &len));
	printf("index: %d\n", v);
	R("clear", setsockopt(fd, SOL_SOCKET, SO_BINDTODEVICE, "", 1));
	show_dev("cleared", fd, 64);
	close(fd);

	/* a port shared across interfaces */
	int s1 = udp_on("cfbtd0", 0, &port);
	int s2 = udp_on(NULL, port, NULL);
	int s3 = udp_on("lo", port, NULL);
	int s4 = udp_on("cfbtd0", port, NULL);

	(void)s2;
	(void)s4;
	fd = socket(AF_INET, SOCK_DGRAM, 0);
	{
		struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons(port),
					 .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
		struct pollfd p = { .fd = s3, .events = POLLIN };
		char buf[8];

		R("send", sendto(fd, "hi", 2, 0, (struct sockaddr *)&a, sizeof(a)));
		poll(&p, 1, 10000);
		R("lo-bound gets", recv(s3, buf, sizeof(buf), MSG_DONTWAIT));
		R("tun-bound gets", recv(s1, buf, sizeof(buf), MSG_DONTWAIT));
	}
	close(fd);

	/* the interface goes with its file */
	close(tun);
	printf("if_nametoindex after close: %s\n", if_nametoindex("cfbtd0") ? "some" : en(errno));
	show_dev("bound to a gone interface", s1, 64);
	R("set it again", setsockopt(s1, SOL_SOCKET, SO_BINDTODEVICE, "cfbtd0", 7));
	return 0;
}
