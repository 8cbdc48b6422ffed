/* getsockopt(SO_PEERGROUPS) (dbus-daemon and sd-bus ask it of every connection): the
 * peer's supplementary groups, sorted, taken when SO_PEERCRED's are (socketpair, listen
 * for the client's view, connect for the server's); a short buffer is ERANGE with the size
 * needed in optlen; no peer credential (an unconnected socket, TCP) is ENODATA. */
#include <grp.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/un.h>

#include "cf.h"

static void
peer_groups(const char *label, int fd, socklen_t len)
{
	gid_t g[16];
	socklen_t l = len;

	errno = 0;
	int r = getsockopt(fd, SOL_SOCKET, SO_PEERGROUPS, g, &l);
	if (r < 0) {
		printf("%s: -1 %s, optlen %u\n", label, en(errno), (unsigned)l);
		return;
	}
	printf("%s: optlen %u:", label, (unsigned)l);
	for (size_t i = 0; i < l / sizeof(gid_t) && i < 16; i++)
		printf(" %u", (unsigned)g[i]);
	printf("\n");
}

int
main(void)
{
	gid_t first[] = { 1000, 5, 3 }, second[] = { 7 };
	struct sockaddr_un addr = { .sun_family = AF_UNIX };
	int sv[2];

	cf_init();
	OK("setgroups 1000 5 3", setgroups(3, first));
	OK("socketpair", socketpair(AF_UNIX, SOCK_STREAM, 0, sv));
	peer_groups("socketpair", sv[0], 64);
	peer_groups("exact size", sv[1], 12);
	peer_groups("short buffer", sv[0], 4);
	peer_groups("zero length", sv[0], 0);
	socklen_t bad = 64;
	R("optval unmapped", getsockopt(sv[0], SOL_SOCKET, SO_PEERGROUPS, cf_unmapped(), &bad));
	R("optlen unmapped", getsockopt(sv[0], SOL_SOCKET, SO_PEERGROUPS, sv, cf_unmapped()));

	snprintf(addr.sun_path, sizeof(addr.sun_path), "%s/s", cf_dir);
	int l = FD("listener", socket(AF_UNIX, SOCK_STREAM, 0));
	OK("bind", bind(l, (struct sockaddr *)&addr, sizeof(addr)));
	peer_groups("bound, not listening", l, 64);
	OK("listen (groups 1000 5 3)", listen(l, 4));
	OK("setgroups 7", setgroups(1, second));
	int c = FD("client", socket(AF_UNIX, SOCK_STREAM, 0));
	peer_groups("client before connect", c, 64);
	OK("connect (groups 7)", connect(c, (struct sockaddr *)&addr, sizeof(addr)));
	int s = FD("accept", accept(l, NULL, NULL));
	peer_groups("client: the listener's", c, 64);
	peer_groups("server: the client's", s, 64);

	int d[2];
	OK("datagram socketpair", socketpair(AF_UNIX, SOCK_DGRAM, 0, d));
	peer_groups("datagram socketpair", d[0], 64);
	int u = FD("datagram", socket(AF_UNIX, SOCK_DGRAM, 0));
	peer_groups("unconnected datagram", u, 64);
	int t = FD("tcp", socket(AF_INET, SOCK_STREAM, 0));
	peer_groups("tcp", t, 64);
	return 0;
}
