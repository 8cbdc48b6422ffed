/*
 * A socket inode's system.sockprotoname attribute (Linux sockfs): its protocol's name
 * ("TCP", "UDPv6", "UNIX-STREAM"...) with its NUL, read through the descriptor or
 * /proc/self/fd, the only name listxattr gives; it cannot be set or removed, other
 * system.* names are unsupported and user.* ones absent. strace -yy names sockets by it.
 */
#include "cf.h"

#include <linux/netlink.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/xattr.h>

static void
show(const char *label, int fd)
{
	char v[64] = "", path[64], list[64];

	if (fd < 0) {
		printf("%s: socket %s\n", label, en(errno));
		return;
	}
	snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	ssize_t n = fgetxattr(fd, "system.sockprotoname", v, sizeof(v));
	printf("%s: %zd %s", label, n, n > 0 ? v : en(errno));
	n = fgetxattr(fd, "system.sockprotoname", NULL, 0);
	printf(", size %zd", n);
	memset(v, 0, sizeof(v));
	n = getxattr(path, "system.sockprotoname", v, sizeof(v));
	printf(", by path %s", n > 0 ? v : en(errno));
	n = flistxattr(fd, list, sizeof(list));
	printf(", list %zd %s\n", n, n > 0 ? list : "");
	close(fd);
}

int
main(void)
{
	char v[8];
	int fd = socket(AF_INET, SOCK_STREAM, 0);

	setvbuf(stdout, NULL, _IOLBF, 0);
	show("tcp", socket(AF_INET, SOCK_STREAM, 0));
	show("tcp6", socket(AF_INET6, SOCK_STREAM, 0));
	show("udp", socket(AF_INET, SOCK_DGRAM, 0));
	show("udp6", socket(AF_INET6, SOCK_DGRAM, IPPROTO_UDP));
	show("udplite", socket(AF_INET, SOCK_DGRAM, IPPROTO_UDPLITE));
	show("unix stream", socket(AF_UNIX, SOCK_STREAM, 0));
	show("unix dgram", socket(AF_UNIX, SOCK_DGRAM, 0));
	show("unix seqpacket", socket(AF_UNIX, SOCK_SEQPACKET, 0));
	show("netlink", socket(AF_NETLINK, SOCK_RAW, NETLINK_ROUTE));
	int sv[2];
	if (socketpair(AF_UNIX, SOCK_STREAM, 0, sv) == 0) {
		show("socketpair", sv[0]);
		close(sv[1]);
	}
	/* an accepted connection's */
	int l = socket(AF_INET, SOCK_STREAM, 0), c = socket(AF_INET, SOCK_STREAM, 0);
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	socklen_t al = sizeof(a);
	if (!bind(l, (void *)&a, sizeof(a)) && !listen(l, 1) && !getsockname(l, (void *)&a, &al) &&
	    !connect(c, (void *)&a, sizeof(a)))
		show("accepted", accept(l, NULL, NULL));

	R("small buffer", fgetxattr(fd, "system.sockprotoname", v, 3));
	R("list small buffer", flistxattr(fd, v, 3));
	R("set", fsetxattr(fd, "system.sockprotoname", "x", 1, 0));
	R("remove", fremovexattr(fd, "system.sockprotoname"));
	R("get user.x", fgetxattr(fd, "user.x", v, sizeof(v)));
	R("set user.x", fsetxattr(fd, "user.x", "x", 1, 0));
	R("get system.other", fgetxattr(fd, "system.other", v, sizeof(v)));
	int p[2];
	if (pipe(p) == 0) {
		R("pipe get", fgetxattr(p[0], "system.sockprotoname", v, sizeof(v)));
		R("pipe list", flistxattr(p[0], v, sizeof(v)));
	}
	return 0;
}
