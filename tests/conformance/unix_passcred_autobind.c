/* A unix socket with SO_PASSCRED gets an abstract name of its own (autobind: "\0" and five
 * hex digits, length 8) when it connects, stream or datagram, even when the connect fails,
 * as Linux's unix_stream_connect and unix_dgram_connect do; the accepted socket's peer is
 * that name. Without SO_PASSCRED it stays unnamed. */
#include "cf.h"
#include <stdbool.h>
#include <sys/socket.h>
#include <sys/un.h>

static void
name_of(const char *label, int fd, bool peer)
{
	struct sockaddr_un sa;
	socklen_t len = sizeof(sa);

	memset(&sa, 0xff, sizeof(sa));
	int r = peer ? getpeername(fd, (struct sockaddr *)&sa, &len)
		     : getsockname(fd, (struct sockaddr *)&sa, &len);
	if (r < 0) {
		printf("%s: -1 %s\n", label, en(errno));
		return;
	}
	printf("%s: len %u%s\n", label, len,
	       len == 8 && sa.sun_path[0] == 0 ? ", abstract autobind name" : "");
}

static int
passcred_socket(int type, int on)
{
	int fd = socket(AF_UNIX, type, 0);
	setsockopt(fd, SOL_SOCKET, SO_PASSCRED, &on, sizeof(on));
	return fd;
}

int
main(void)
{
	struct sockaddr_un a = { .sun_family = AF_UNIX };

	cf_init();
	snprintf(a.sun_path, sizeof(a.sun_path), "%s/s", cf_dir);
	int l = socket(AF_UNIX, SOCK_STREAM, 0);
	bind(l, (struct sockaddr *)&a, sizeof(a));
	listen(l, 4);

	for (int on = 0; on < 2; on++) {
		printf("-- SO_PASSCRED %d\n", on);
		int c = passcred_socket(SOCK_STREAM, on);
		name_of("stream before connect", c, false);
		OK("stream connect", connect(c, (struct sockaddr *)&a, sizeof(a)));
		name_of("stream after connect", c, false);
		int s = accept(l, NULL, NULL);
		name_of("accepted socket's peer", s, true);
		close(s);
		close(c);

		struct sockaddr_un missing = a;
		strcat(missing.sun_path, "-missing");
		c = passcred_socket(SOCK_STREAM, on);
		OK("stream connect to nobody", connect(c, (struct sockaddr *)&missing, sizeof(missing)));
		name_of("after the failed connect", c, false);
		close(c);

		int d = socket(AF_UNIX, SOCK_DGRAM, 0);
		struct sockaddr_un da = a;
		strcat(da.sun_path, on ? "-d1" : "-d0");
		bind(d, (struct sockaddr *)&da, sizeof(da));
		c = passcred_socket(SOCK_DGRAM, on);
		OK("dgram connect", connect(c, (struct sockaddr *)&da, sizeof(da)));
		name_of("dgram after connect", c, false);
		OK("dgram send", send(c, "x", 1, 0));
		struct sockaddr_un from;
		socklen_t fl = sizeof(from);
		char ch;
		R("recvfrom", recvfrom(d, &ch, 1, 0, (struct sockaddr *)&from, &fl));
		printf("  sender's name length: %u\n", fl);
		close(c);
		close(d);
	}
	return 0;
}
