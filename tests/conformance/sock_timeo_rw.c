/* SO_RCVTIMEO / SO_SNDTIMEO apply to read/write/readv/writev on a socket too (EAGAIN when
 * nothing moved before the timeout), on stream and datagram pairs and loopback UDP; reads
 * of nothing return 0 at once. */
#include "cf.h"
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/uio.h>

static char buf[1 << 16];

static void
timeouts(int fd, int type)
{
	struct timeval tv = { 0, 50000 };
	struct iovec iov = { buf, sizeof(buf) };

	R("SO_RCVTIMEO", setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv)));
	R("  read", read(fd, buf, sizeof(buf)));
	R("  readv", readv(fd, &iov, 1));
	R("  recv", recv(fd, buf, sizeof(buf), 0));
	R("  read of 0", read(fd, buf, 0));
	if (type == SOCK_STREAM)
		R("  recv MSG_WAITALL", recv(fd, buf, sizeof(buf), MSG_WAITALL));
}

static void
fill(int fd)
{
	int fl = fcntl(fd, F_GETFL);

	fcntl(fd, F_SETFL, fl | O_NONBLOCK);
	while (write(fd, buf, 1000) > 0)
		;
	fcntl(fd, F_SETFL, fl);
}

int
main(void)
{
	int sv[2], types[] = { SOCK_STREAM, SOCK_DGRAM, SOCK_SEQPACKET };
	const char *names[] = { "stream", "dgram", "seqpacket" };
	struct timeval tv = { 0, 50000 };
	struct iovec iov = { buf, 1000 };

	setvbuf(stdout, NULL, _IONBF, 0);
	for (int i = 0; i < 3; i++) {
		printf("%s pair\n", names[i]);
		socketpair(AF_UNIX, types[i], 0, sv);
		timeouts(sv[0], types[i]);
		R("SO_SNDTIMEO", setsockopt(sv[0], SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv)));
		fill(sv[0]);
		R("  write when full", write(sv[0], buf, 1000));
		R("  writev when full", writev(sv[0], &iov, 1));
		R("  send when full", send(sv[0], buf, 1000, 0));
		R("  read on the other end", read(sv[1], buf, 1000));
		close(sv[0]);
		close(sv[1]);
	}

	struct sockaddr_in sa = { .sin_family = AF_INET };
	socklen_t len = sizeof(sa);
	int u = socket(AF_INET, SOCK_DGRAM, 0);

	printf("udp\n");
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	bind(u, (struct sockaddr *)&sa, sizeof(sa));
	getsockname(u, (struct sockaddr *)&sa, &len);
	timeouts(u, SOCK_DGRAM);
	connect(u, (struct sockaddr *)&sa, sizeof(sa));
	R("  write to itself", write(u, "abc", 3));
	R("  read", read(u, buf, sizeof(buf)));
	R("  read again", read(u, buf, sizeof(buf)));
	close(u);
	return 0;
}
