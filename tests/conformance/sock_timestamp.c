/* Receive timestamps on loopback: SO_TIMESTAMP / SO_TIMESTAMPNS control messages (UDP
 * UDP), SIOCGSTAMP / SIOCGSTAMPNS (ENOENT before anything came, then the last
 * datagram's time, unchanged by receives with SO_TIMESTAMP on). Times themselves are not
 * printed: only that they are there and sane. */
#include "cf.h"
#include <linux/sockios.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <time.h>

static void
recv_show(const char *label, int fd)
{
	char buf[16], ctl[256];
	struct iovec iov = { buf, sizeof(buf) };
	struct msghdr m = { .msg_iov = &iov, .msg_iovlen = 1, .msg_control = ctl,
			    .msg_controllen = sizeof(ctl) };
	struct pollfd p = { .fd = fd, .events = POLLIN };
	time_t now = time(NULL);

	poll(&p, 1, 5000);
	printf("%s: recvmsg %zd", label, recvmsg(fd, &m, 0));
	for (struct cmsghdr *h = CMSG_FIRSTHDR(&m); h; h = CMSG_NXTHDR(&m, h)) {
		long sec = 0;

		if (h->cmsg_level == SOL_SOCKET && h->cmsg_type == SO_TIMESTAMP)
			sec = ((struct timeval *)CMSG_DATA(h))->tv_sec;
		if (h->cmsg_level == SOL_SOCKET && h->cmsg_type == SO_TIMESTAMPNS)
			sec = ((struct timespec *)CMSG_DATA(h))->tv_sec;
		printf(" [level %d type %d len %d recent %s]", h->cmsg_level, h->cmsg_type,
		       (int)h->cmsg_len, sec >= now - 5 && sec <= now + 5 ? "yes" : "no");
	}
	printf("\n");
}

static void
udp(void)
{
	struct sockaddr_in a = { .sin_family = AF_INET };
	socklen_t len = sizeof(a);
	int r = socket(AF_INET, SOCK_DGRAM, 0), s = socket(AF_INET, SOCK_DGRAM, 0), on = 1, v;
	struct timeval tv, tv2;
	struct timespec ts;

	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	bind(r, (struct sockaddr *)&a, sizeof(a));
	getsockname(r, (struct sockaddr *)&a, &len);
	connect(s, (struct sockaddr *)&a, sizeof(a));
	R("udp SIOCGSTAMP before anything", ioctl(r, SIOCGSTAMP, &tv));
	send(s, "abc", 3, 0);
	recv_show("udp plain", r);
	R("udp SIOCGSTAMP", ioctl(r, SIOCGSTAMP, &tv));
	R("udp SIOCGSTAMPNS", ioctl(r, SIOCGSTAMPNS, &ts));
	printf("udp SIOCGSTAMP and NS agree: %s\n",
	       tv.tv_sec == ts.tv_sec && tv.tv_usec == ts.tv_nsec / 1000 ? "yes" : "no");
	setsockopt(r, SOL_SOCKET, SO_TIMESTAMP, &on, sizeof(on));
	len = sizeof(v);
	getsockopt(r, SOL_SOCKET, SO_TIMESTAMP, &v, &len);
	printf("udp SO_TIMESTAMP reads %d\n", v);
	send(s, "abc", 3, 0);
	recv_show("udp SO_TIMESTAMP", r);
	R("udp SIOCGSTAMP again", ioctl(r, SIOCGSTAMP, &tv2));
	printf("udp SIOCGSTAMP unchanged: %s\n",
	       tv.tv_sec == tv2.tv_sec && tv.tv_usec == tv2.tv_usec ? "yes" : "no");
	setsockopt(r, SOL_SOCKET, SO_TIMESTAMPNS, &on, sizeof(on));
	len = sizeof(v);
	getsockopt(r, SOL_SOCKET, SO_TIMESTAMP, &v, &len);
	printf("udp SO_TIMESTAMP after SO_TIMESTAMPNS reads %d\n", v);
	send(s, "abc", 3, 0);
	recv_show("udp SO_TIMESTAMPNS", r);
	close(r);
	close(s);
}

static void
tcp(void)
{
	struct sockaddr_in a = { .sin_family = AF_INET };
	socklen_t len = sizeof(a);
	int l = socket(AF_INET, SOCK_STREAM, 0), c = socket(AF_INET, SOCK_STREAM, 0), s, on = 1;
	struct timeval tv;

	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	bind(l, (struct sockaddr *)&a, sizeof(a));
	listen(l, 1);
	getsockname(l, (struct sockaddr *)&a, &len);
	connect(c, (struct sockaddr *)&a, sizeof(a));
	s = accept(l, NULL, NULL);
	setsockopt(s, SOL_SOCKET, SO_TIMESTAMP, &on, sizeof(on));
	send(c, "abc", 3, 0);
	/* (whether this first receive has a stamp depends on Linux enabling timestamps
	 * lazily: only that the data comes is printed) */
	R("tcp recv", recv(s, &tv, sizeof(tv), 0));
	R("tcp SIOCGSTAMP (TCP keeps no stamp)", ioctl(s, SIOCGSTAMP, &tv));
	close(s);
	close(c);
	close(l);
}

int
main(void)
{
	udp();
	tcp();
	return 0;
}
