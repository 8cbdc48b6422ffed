/* TCP urgent data on loopback: send(MSG_OOB) makes its last byte urgent; the receiver
 * takes it with recv(MSG_OOB) (once; EINVAL after, or with SO_OOBINLINE), a normal read
 * stops at the mark and skips an out-of-line urgent byte, SIOCATMARK/sockatmark, a newer
 * mark replacing an older one, POLLPRI, select's exceptfds, EPOLLPRI, SIGURG to the
 * F_SETOWN owner, MSG_WAITALL stopping at the mark, and the EINVAL/ENOTCONN/EOPNOTSUPP/EPIPE
 * cases. */
#include "cf.h"
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <sys/epoll.h>
#include <sys/ioctl.h>
#include <sys/select.h>
#include <sys/socket.h>

static volatile sig_atomic_t nurg;

static void
on_urg(int sig)
{
	(void)sig;
	nurg++;
}

static int
pair(int *l, int *s)
{
	int c = cf_tcp_pair(l, s, 1);

	fcntl(*s, F_SETFL, O_NONBLOCK);
	return c;
}

/* Waits until something (data or urgent data) is there. */
static void
settle(int s)
{
	struct pollfd p = { .fd = s, .events = POLLIN | POLLPRI };

	poll(&p, 1, 2000);
}

/* "label: N 'text'" or "label: -1 ENAME" */
static void
rd(const char *label, int s, int flags)
{
	char buf[64];
	ssize_t n = recv(s, buf, sizeof(buf), flags | MSG_DONTWAIT);

	if (n < 0)
		printf("%s: -1 %s\n", label, en(errno));
	else
		printf("%s: %zd '%.*s'\n", label, n, (int)n, buf);
}

static void
pollbits(const char *label, int s)
{
	struct pollfd p = { .fd = s, .events = POLLIN | POLLPRI | POLLRDNORM | POLLRDBAND };

	poll(&p, 1, 0);
	printf("%s: in %d pri %d rdnorm %d rdband %d\n", label, !!(p.revents & POLLIN),
	       !!(p.revents & POLLPRI), !!(p.revents & POLLRDNORM), !!(p.revents & POLLRDBAND));
}

static void
basic(void)
{
	int l, s, c = pair(&l, &s), m = -1;
	char b = 0;
	struct iovec iov = { &b, 1 };
	struct msghdr mh = { .msg_iov = &iov, .msg_iovlen = 1 };

	printf("-- basic\n");
	R("send OOB abc", send(c, "abc", 3, MSG_OOB));
	settle(s);
	pollbits("poll", s);
	R("sockatmark", sockatmark(s));
	R("recvmsg OOB|PEEK", recvmsg(s, &mh, MSG_OOB | MSG_PEEK));
	printf("  byte %c oob flag %d\n", b, !!(mh.msg_flags & MSG_OOB));
	b = 0;
	R("recvmsg OOB", recvmsg(s, &mh, MSG_OOB));
	printf("  byte %c oob flag %d\n", b, !!(mh.msg_flags & MSG_OOB));
	pollbits("poll after", s);
	rd("recv OOB again", s, MSG_OOB);
	rd("read", s, 0);
	R("ioctl SIOCATMARK", ioctl(s, SIOCATMARK, &m));
	printf("  at mark %d\n", m);
	rd("read at mark", s, 0);
	R("sockatmark", sockatmark(s));
	rd("recv OOB after", s, MSG_OOB);
	close(c), close(s), close(l);
}

static void
split(void)
{
	int l, s, c = pair(&l, &s);

	printf("-- split\n");
	send(c, "hello", 5, 0);
	send(c, "XY", 2, MSG_OOB);
	send(c, "world", 5, 0);
	settle(s);
	R("sockatmark", sockatmark(s));
	rd("recv PEEK", s, MSG_PEEK);
	rd("read", s, 0);
	R("sockatmark", sockatmark(s));
	rd("recv PEEK at mark", s, MSG_PEEK);
	rd("recv OOB", s, MSG_OOB);
	rd("read", s, 0);
	R("sockatmark", sockatmark(s));

	printf("-- MSG_WAITALL stops at the mark\n");
	{
		char buf[100];
		ssize_t n;

		send(c, "hello", 5, 0);
		send(c, "XY", 2, MSG_OOB);
		send(c, "world", 5, 0);
		fcntl(s, F_SETFL, 0);
		n = recv(s, buf, sizeof(buf), MSG_WAITALL);
		fcntl(s, F_SETFL, O_NONBLOCK);
		printf("recv WAITALL: %zd '%.*s'\n", n, n > 0 ? (int)n : 0, buf);
		rd("recv OOB", s, MSG_OOB);
		rd("read", s, 0);
	}

	printf("-- unread urgent byte is skipped\n");
	send(c, "12", 2, MSG_OOB);
	send(c, "34", 2, 0);
	settle(s);
	rd("read", s, 0);
	rd("read", s, 0);
	rd("recv OOB", s, MSG_OOB);

	printf("-- only the urgent byte\n");
	send(c, "z", 1, MSG_OOB);
	settle(s);
	pollbits("poll", s);
	rd("read", s, 0);
	rd("recv OOB", s, MSG_OOB);
	pollbits("poll after", s);

	printf("-- a newer mark\n");
	send(c, "a1", 2, MSG_OOB);
	send(c, "b2", 2, MSG_OOB);
	settle(s);
	rd("recv OOB", s, MSG_OOB);
	rd("read", s, 0);
	rd("read", s, 0);
	send(c, "x", 1, MSG_OOB);
	settle(s);
	send(c, "y", 1, MSG_OOB);
	settle(s);
	rd("recv OOB", s, MSG_OOB);
	rd("read", s, 0);
	close(c), close(s), close(l);
}

static void
inline_mode(void)
{
	int l, s, c = pair(&l, &s), on = 1;

	printf("-- SO_OOBINLINE\n");
	R("setsockopt", setsockopt(s, SOL_SOCKET, SO_OOBINLINE, &on, sizeof(on)));
	send(c, "ab", 2, MSG_OOB);
	send(c, "cd", 2, 0);
	settle(s);
	pollbits("poll", s);
	rd("recv OOB", s, MSG_OOB);
	rd("read", s, 0);
	R("sockatmark", sockatmark(s));
	rd("read", s, 0);
	R("sockatmark", sockatmark(s));
	close(c), close(s), close(l);
}

static void
waiters(void)
{
	int l, s, c = pair(&l, &s), ep = epoll_create1(0);
	struct epoll_event ev = { .events = EPOLLPRI }, out;
	struct timeval tv = { 0, 0 };
	fd_set ex;

	printf("-- select, epoll, SIGURG\n");
	signal(SIGURG, on_urg);
	R("F_SETOWN", fcntl(s, F_SETOWN, getpid()));
	epoll_ctl(ep, EPOLL_CTL_ADD, s, &ev);
	FD_ZERO(&ex);
	FD_SET(s, &ex);
	R("select before", select(s + 1, NULL, NULL, &ex, &tv));
	R("epoll before", epoll_wait(ep, &out, 1, 0));
	send(c, "u", 1, MSG_OOB);
	settle(s);
	printf("SIGURG: %d\n", (int)nurg);
	FD_ZERO(&ex);
	FD_SET(s, &ex);
	R("select", select(s + 1, NULL, NULL, &ex, &tv));
	YN("  in exceptfds", FD_ISSET(s, &ex));
	R("epoll", epoll_wait(ep, &out, 1, 0));
	printf("  events pri %d in %d\n", !!(out.events & EPOLLPRI), !!(out.events & EPOLLIN));
	rd("recv OOB", s, MSG_OOB);
	R("epoll after", epoll_wait(ep, &out, 1, 0));
	R("F_SETOWN 0", fcntl(s, F_SETOWN, 0));
	send(c, "v", 1, MSG_OOB);
	settle(s);
	printf("SIGURG without owner: %d\n", (int)nurg);
	signal(SIGURG, SIG_DFL);
	close(ep), close(c), close(s), close(l);
}

static void
errors(void)
{
	int l, s, c = pair(&l, &s);
	int u = socket(AF_INET, SOCK_DGRAM, 0), t = socket(AF_INET, SOCK_STREAM, 0);
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons(9) };
	char b;

	printf("-- errors\n");
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	R("udp send OOB", sendto(u, "x", 1, MSG_OOB, (struct sockaddr *)&a, sizeof(a)));
	R("unconnected tcp send OOB", send(t, "x", 1, MSG_OOB | MSG_NOSIGNAL));
	R("unconnected tcp recv OOB", recv(t, &b, 1, MSG_OOB));
	R("listener recv OOB", recv(l, &b, 1, MSG_OOB));
	R("send OOB empty", send(c, "", 0, MSG_OOB));
	rd("recv OOB no urgent data", s, MSG_OOB);
	R("send OOB q", send(c, "q", 1, MSG_OOB));
	settle(s);
	R("recv OOB len 0", recv(s, &b, 0, MSG_OOB));
	rd("recv OOB after len 0", s, MSG_OOB);
	close(u), close(t), close(c), close(s), close(l);
}

int
main(void)
{
	cf_init();
	basic();
	split();
	inline_mode();
	waiters();
	errors();
	return 0;
}
