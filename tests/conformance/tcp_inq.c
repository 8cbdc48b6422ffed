/* TCP on loopback: FIONREAD and TCP_INQ's control message after partial reads, shutdown
 * once both sides sent their FIN (ENOTCONN), shutdown of a connect in progress (the
 * connect fails with ECONNRESET), and the poll bits of a connected TCP socket. */
#include "cf.h"
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/ioctl.h>
#include <sys/socket.h>

static int
pair(int *l, int *s)
{
	return cf_tcp_pair(l, s, 0);
}

static void
inq(void)
{
	int l, s, c = pair(&l, &s), v = 1, n;
	char buf[1000], ctl[CMSG_SPACE(sizeof(int))];
	struct iovec iov = { buf, 300 };
	struct msghdr m = { .msg_iov = &iov, .msg_iovlen = 1 };
	struct pollfd p = { .fd = s, .events = POLLIN };

	memset(buf, 'x', sizeof(buf));
	send(c, buf, sizeof(buf), 0);
	poll(&p, 1, 5000);
	ioctl(s, FIONREAD, &n);
	printf("FIONREAD before: %d\n", n);
	R("recv 100", recv(s, buf, 100, 0));
	ioctl(s, FIONREAD, &n);
	printf("FIONREAD after 100: %d\n", n);
	setsockopt(s, IPPROTO_TCP, TCP_INQ, &v, sizeof(v));
	for (int i = 0; i < 3; i++) {
		m.msg_control = ctl;
		m.msg_controllen = sizeof(ctl);
		R("recvmsg 300", recvmsg(s, &m, 0));
		struct cmsghdr *h = CMSG_FIRSTHDR(&m);
		if (h) {
			memcpy(&n, CMSG_DATA(h), sizeof(n));
			printf("  cmsg level %d type %d len %d inq %d\n", h->cmsg_level, h->cmsg_type,
			       (int)h->cmsg_len, n);
		} else {
			printf("  no cmsg\n");
		}
	}
	p.fd = c;
	p.events = POLLOUT | POLLWRNORM | POLLWRBAND;
	poll(&p, 1, 0);
	printf("poll connected for writing: %#x\n", p.revents);
	close(c);
	close(s);
	close(l);
}

static void
closed(void)
{
	int l, s, c = pair(&l, &s);
	char b;

	shutdown(s, SHUT_WR);
	recv(c, &b, 1, 0);
	shutdown(c, SHUT_RDWR);
	recv(s, &b, 1, 0);
	usleep(100 * 1000);
	R("shutdown after both FINs (active side)", shutdown(s, SHUT_WR));
	R("shutdown after both FINs (passive side)", shutdown(c, SHUT_RD));
	close(c);
	close(s);
	close(l);
}

static void
connecting(void)
{
	struct sockaddr_in a = { .sin_family = AF_INET };
	socklen_t len = sizeof(a);
	int l = socket(AF_INET, SOCK_STREAM, 0), c1, c2, err;
	struct pollfd p;

	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	bind(l, (struct sockaddr *)&a, sizeof(a));
	listen(l, 0);
	getsockname(l, (struct sockaddr *)&a, &len);
	c1 = socket(AF_INET, SOCK_STREAM, 0);
	connect(c1, (struct sockaddr *)&a, sizeof(a));
	c2 = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
	R("connect to a full queue", connect(c2, (struct sockaddr *)&a, sizeof(a)));
	R("shutdown while connecting", shutdown(c2, SHUT_RD));
	p = (struct pollfd){ .fd = c2 };
	R("poll", poll(&p, 1, 0));
	printf("revents %#x\n", p.revents);
	len = sizeof(err);
	getsockopt(c2, SOL_SOCKET, SO_ERROR, &err, &len);
	printf("SO_ERROR %s\n", err ? en(err) : "0");
	close(c2);
	close(c1);
	close(l);
}

int
main(void)
{
	inq();
	closed();
	connecting();
	return 0;
}
