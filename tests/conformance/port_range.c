/* Ephemeral ports come from /proc/sys/net/ipv4/ip_local_port_range: after a write of a
 * ten-port range, binds to port 0 take ports inside it until it is used up (EADDRINUSE),
 * and a closed socket's port is free again. Natively this runs in a new network namespace
 * (its own range); in the sandbox the range is the sandbox's own either way. */
#include "cf.h"
#include <netinet/in.h>
#include <sched.h>
#include <sys/socket.h>

static int
bind_any(int *port)
{
	struct sockaddr_in a = { .sin_family = AF_INET };
	socklen_t l = sizeof(a);
	int s = socket(AF_INET, SOCK_DGRAM, 0);

	if (s < 0 || bind(s, (struct sockaddr *)&a, sizeof(a)) < 0) {
		int e = errno;
		if (s >= 0)
			close(s);
		errno = e;
		return -1;
	}
	getsockname(s, (struct sockaddr *)&a, &l);
	*port = ntohs(a.sin_port);
	return s;
}

int
main(void)
{
	int fds[16], ports[16], n = 0, port, lo = 1, hi = 0, inside = 1;
	char buf[64] = { 0 };

	setvbuf(stdout, NULL, _IONBF, 0);
	if (unshare(CLONE_NEWNET) < 0)
		(void)unshare(CLONE_NEWUSER | CLONE_NEWNET); /* not root natively */
	int fd = open("/proc/sys/net/ipv4/ip_local_port_range", O_RDWR);
	R("write range", write(fd, "40100 40109", 11));
	R("read back", pread(fd, buf, sizeof(buf) - 1, 0));
	printf("range: %s", buf);
	sscanf(buf, "%d %d", &lo, &hi);
	while (n < 16) {
		int s = bind_any(&port);
		if (s < 0) {
			printf("bind %d: %s\n", n, en(errno));
			break;
		}
		inside &= port >= lo && port <= hi;
		ports[n] = port;
		fds[n++] = s;
	}
	printf("bound %d, all inside: %s\n", n, inside ? "yes" : "no");
	close(fds[3]);
	int s = bind_any(&port);
	printf("after a close: %s, its port again: %s\n", s >= 0 ? "ok" : en(errno),
	       s >= 0 && port == ports[3] ? "yes" : "no");
	R("write bad range", pwrite(fd, "40109 40100", 11, 0));
	R("write one number", pwrite(fd, "40000", 5, 0));
	memset(buf, 0, sizeof(buf));
	R("read back", pread(fd, buf, sizeof(buf) - 1, 0));
	printf("range: %s", buf);
	R("write one number above the second", pwrite(fd, "40200\n", 6, 0));
	return 0;
}
