/* The device-private socket ioctls (SIOCDEVPRIVATE..+15, SIOCWANDEV; `ip tunnel add`
 * sends SIOCADDTUNNEL, SIOCDEVPRIVATE+1): on any socket they go to the driver of the
 * interface struct ifreq names, up to a colon: ENODEV without one, EOPNOTSUPP for lo (no
 * handler); EFAULT for a bad pointer; ENOTTY on a file that is no socket, and for the
 * socket-type numbers around them that no one answers. */
#include "cf.h"
#include <linux/sockios.h>
#include <net/if.h>
#include <sys/ioctl.h>
#include <sys/socket.h>

static void
try(const char *label, int fd, unsigned long cmd, const char *name)
{
	struct ifreq ifr;

	memset(&ifr, 0, sizeof(ifr));
	strncpy(ifr.ifr_name, name, IFNAMSIZ - 1);
	R(label, ioctl(fd, cmd, &ifr));
}

int
main(void)
{
	int u = socket(AF_INET, SOCK_DGRAM, 0), x = socket(AF_UNIX, SOCK_STREAM, 0);
	int nl = socket(AF_NETLINK, SOCK_RAW, 0), p[2];

	cf_init();
	if (pipe(p) < 0)
		return 1;
	try("udp SIOCADDTUNNEL nosuch0", u, SIOCDEVPRIVATE + 1, "nosuch0");
	try("udp SIOCADDTUNNEL lo", u, SIOCDEVPRIVATE + 1, "lo");
	try("udp SIOCDEVPRIVATE lo:1", u, SIOCDEVPRIVATE, "lo:1");
	try("udp SIOCDEVPRIVATE+15 nosuch0:lo", u, SIOCDEVPRIVATE + 15, "nosuch0:lo");
	try("udp SIOCWANDEV lo", u, SIOCWANDEV, "lo");
	try("udp SIOCWANDEV nosuch0", u, SIOCWANDEV, "nosuch0");
	try("unix SIOCDEVPRIVATE+2 lo", x, SIOCDEVPRIVATE + 2, "lo");
	try("unix SIOCDEVPRIVATE+2 nosuch0", x, SIOCDEVPRIVATE + 2, "nosuch0");
	try("netlink SIOCDEVPRIVATE+3 lo", nl, SIOCDEVPRIVATE + 3, "lo");
	try("udp SIOCPROTOPRIVATE lo", u, SIOCPROTOPRIVATE, "lo");
	try("udp SIOCDEVPRIVATE+16 lo", u, SIOCDEVPRIVATE + 16, "lo");
	try("pipe SIOCDEVPRIVATE lo", p[0], SIOCDEVPRIVATE, "lo");
	R("udp SIOCDEVPRIVATE bad pointer", ioctl(u, SIOCDEVPRIVATE, (void *)8));
	R("pipe SIOCDEVPRIVATE bad pointer", ioctl(p[0], SIOCDEVPRIVATE, (void *)8));
	return 0;
}
