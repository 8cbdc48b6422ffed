/* Socket buffer sizes as this host's kernel has them: SO_SNDBUF/SO_RCVBUF clamp to
 * net.core.{w,r}mem_max (doubled), the defaults, and a unix datagram as big as the send
 * buffer allows (well past 256 KiB) going through whole. */
#include "cf.h"
#include <sys/socket.h>

int
main(void)
{
	int sv[2], v, big = 0x7fffffff;
	socklen_t len = sizeof(v);
	size_t n = 1 << 20;
	char *buf = malloc(n), *in = malloc(n + 1);

	socketpair(AF_UNIX, SOCK_DGRAM, 0, sv);
	getsockopt(sv[0], SOL_SOCKET, SO_SNDBUF, &v, &len);
	int d0 = v;
	len = sizeof(v);
	getsockopt(sv[0], SOL_SOCKET, SO_RCVBUF, &v, &len);
	int d1 = v;
	setsockopt(sv[0], SOL_SOCKET, SO_SNDBUF, &big, sizeof(big));
	setsockopt(sv[1], SOL_SOCKET, SO_RCVBUF, &big, sizeof(big));
	len = sizeof(v);
	getsockopt(sv[0], SOL_SOCKET, SO_SNDBUF, &v, &len);
	int m0 = v;
	len = sizeof(v);
	getsockopt(sv[1], SOL_SOCKET, SO_RCVBUF, &v, &len);
	int m1 = v;
	/* print relations and sizes that do not depend on this host beyond its sysctls */
	printf("default SO_SNDBUF %d SO_RCVBUF %d\n", d0, d1);
	printf("largest SO_SNDBUF %d SO_RCVBUF %d\n", m0, m1);
	memset(buf, 'a', n);
	if ((size_t)m0 > n + 64) {
		R("send 1 MiB datagram", send(sv[0], buf, n, 0));
		R("recv it", recv(sv[1], in, n + 1, 0));
	} else {
		printf("send 1 MiB datagram: (buffer too small here)\nrecv it: -\n");
	}
	return 0;
}
