/* getpeername after the peer closed: a TCP socket whose peer closed with a FIN (CLOSE_WAIT)
 * still names it (Go's connect checks getpeername after the connection is up, and a server
 * may have accepted and closed it by then), until a reset or our own FIN; a unix stream or
 * seqpacket socket names its closed peer until its own close. */
#include "cf.h"
#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/un.h>

static void
peer6(const char *label, int fd, int family, int want_port)
{
	struct sockaddr_storage ss;
	socklen_t len = sizeof(ss);

	memset(&ss, 0, sizeof(ss));
	if (getpeername(fd, (struct sockaddr *)&ss, &len) < 0) {
		printf("%s: -1 %s\n", label, en(errno));
		return;
	}
	int port = family == AF_INET ? ntohs(((struct sockaddr_in *)&ss)->sin_port)
				     : ntohs(((struct sockaddr_in6 *)&ss)->sin6_port);
	printf("%s: family %s len %u port %s\n", label, ss.ss_family == family ? "ok" : "wrong",
	       (unsigned)len, port == want_port ? "the listener's" : "other");
}

static void
tcp(int family, const char *name)
{
	struct sockaddr_storage ss;
	socklen_t len = sizeof(ss);
	char label[80], buf[8];
	int l = socket(family, SOCK_STREAM, 0), c, s, port;

	memset(&ss, 0, sizeof(ss));
	ss.ss_family = family;
	if (family == AF_INET)
		((struct sockaddr_in *)&ss)->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	else
		((struct sockaddr_in6 *)&ss)->sin6_addr = in6addr_loopback;
	if (l < 0 || bind(l, (struct sockaddr *)&ss, family == AF_INET ? sizeof(struct sockaddr_in) : sizeof(struct sockaddr_in6)) < 0 ||
	    listen(l, 4) < 0 || getsockname(l, (struct sockaddr *)&ss, &len) < 0) {
		printf("%s setup: %s\n", name, en(errno));
		return;
	}
	port = family == AF_INET ? ntohs(((struct sockaddr_in *)&ss)->sin_port)
				 : ntohs(((struct sockaddr_in6 *)&ss)->sin6_port);

	/* the server closes first, with a FIN */
	c = socket(family, SOCK_STREAM, 0);
	connect(c, (struct sockaddr *)&ss, len);
	s = accept(l, NULL, NULL);
	close(s);
	snprintf(label, sizeof(label), "%s peer closed (FIN)", name);
	peer6(label, c, family, port);
	snprintf(label, sizeof(label), "%s read EOF", name);
	R(label, read(c, buf, sizeof(buf)));
	snprintf(label, sizeof(label), "%s after EOF", name);
	peer6(label, c, family, port);
	snprintf(label, sizeof(label), "%s shutdown(SHUT_RD)", name);
	OK(label, shutdown(c, SHUT_RD));
	snprintf(label, sizeof(label), "%s after SHUT_RD", name);
	peer6(label, c, family, port);
	snprintf(label, sizeof(label), "%s shutdown(SHUT_WR)", name);
	OK(label, shutdown(c, SHUT_WR));
	snprintf(label, sizeof(label), "%s after our FIN too", name);
	peer6(label, c, family, port);
	close(c);

	/* the server closes with unread data: a reset */
	c = socket(family, SOCK_STREAM, 0);
	connect(c, (struct sockaddr *)&ss, len);
	s = accept(l, NULL, NULL);
	send(c, "x", 1, 0);
	close(s);
	snprintf(label, sizeof(label), "%s peer reset", name);
	peer6(label, c, family, port);
	close(c);

	/* a non-blocking connect, accepted and closed before the client looks (Go's dial) */
	c = socket(family, SOCK_STREAM | SOCK_NONBLOCK, 0);
	connect(c, (struct sockaddr *)&ss, len);
	s = accept(l, NULL, NULL);
	close(s);
	struct pollfd p = { .fd = c, .events = POLLOUT };
	poll(&p, 1, 5000);
	int e = -1;
	socklen_t el = sizeof(e);
	getsockopt(c, SOL_SOCKET, SO_ERROR, &e, &el);
	snprintf(label, sizeof(label), "%s nonblocking SO_ERROR", name);
	R(label, e);
	snprintf(label, sizeof(label), "%s nonblocking peer closed", name);
	peer6(label, c, family, port);
	close(c);
	close(l);
}

static void
unix_pair(int type, const char *name)
{
	struct sockaddr_un a = { .sun_family = AF_UNIX }, got;
	socklen_t len;
	char label[80];
	int l = socket(AF_UNIX, type, 0), c, s;

	snprintf(a.sun_path, sizeof(a.sun_path), "%s.sock", name);
	if (l < 0 || bind(l, (struct sockaddr *)&a, sizeof(a)) < 0 || listen(l, 4) < 0) {
		printf("%s setup: %s\n", name, en(errno));
		return;
	}
	c = socket(AF_UNIX, type, 0);
	connect(c, (struct sockaddr *)&a, sizeof(a));
	s = accept(l, NULL, NULL);
	close(s);
	len = sizeof(got);
	memset(&got, 0, sizeof(got));
	snprintf(label, sizeof(label), "%s peer closed", name);
	OK(label, getpeername(c, (struct sockaddr *)&got, &len));
	printf("%s peer name: len %u %s\n", name, (unsigned)len, got.sun_path);
	snprintf(label, sizeof(label), "%s shutdown", name);
	OK(label, shutdown(c, SHUT_RDWR));
	len = sizeof(got);
	memset(&got, 0, sizeof(got));
	snprintf(label, sizeof(label), "%s after shutdown", name);
	OK(label, getpeername(c, (struct sockaddr *)&got, &len));
	printf("%s peer name: len %u %s\n", name, (unsigned)len, got.sun_path);
	close(c);
	close(l);

	int sv[2];
	socketpair(AF_UNIX, type, 0, sv);
	close(sv[1]);
	len = sizeof(got);
	snprintf(label, sizeof(label), "%s pair, peer closed", name);
	OK(label, getpeername(sv[0], (struct sockaddr *)&got, &len));
	printf("%s pair peer name len %u\n", name, (unsigned)len);
	close(sv[0]);
}

int
main(void)
{
	cf_init();
	tcp(AF_INET, "tcp4");
	tcp(AF_INET6, "tcp6");
	unix_pair(SOCK_STREAM, "stream");
	unix_pair(SOCK_SEQPACKET, "seqpacket");
	return 0;
}
