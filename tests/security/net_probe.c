/*
 * TCP and UDP to a host server (tests/security/net_server.py), run natively and in the
 * sandbox with --net host by net_host_diff.sh: the outputs must be the same. Prints
 * results and errno names only (no ports or timing).
 * Usage: net_probe ADDR OPEN_PORT CLOSED_PORT
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/select.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

static struct sockaddr_storage dst;
static socklen_t dstlen;
static int fam;

static const char *
en(int e)
{
	return e ? strerrorname_np(e) : "0";
}

static void
set_port(int port)
{
	if (fam == AF_INET)
		((struct sockaddr_in *)&dst)->sin_port = htons(port);
	else
		((struct sockaddr_in6 *)&dst)->sin6_port = htons(port);
}

static int
tcp(int port, bool nonblock, int *err)
{
	int s = socket(fam, SOCK_STREAM | (nonblock ? SOCK_NONBLOCK : 0), 0);

	set_port(port);
	*err = connect(s, (struct sockaddr *)&dst, dstlen) < 0 ? errno : 0;
	return s;
}

static int
soerr(int s)
{
	int v = -1;
	socklen_t l = sizeof(v);

	getsockopt(s, SOL_SOCKET, SO_ERROR, &v, &l);
	return v;
}

static void
refused(int closed)
{
	int err, s = tcp(closed, false, &err);
	struct pollfd p;

	printf("blocking connect to a closed port: %s\n", en(err));
	close(s);
	s = tcp(closed, true, &err);
	printf("non-blocking connect: %s\n", en(err));
	p = (struct pollfd){ .fd = s, .events = POLLOUT };
	err = poll(&p, 1, 10000);
	printf("poll: %d revents %#x\n", err, p.revents);
	err = soerr(s);
	printf("SO_ERROR %s, ", en(err));
	printf("then %s\n", en(soerr(s)));
	err = (int)recv(s, &err, sizeof(err), MSG_DONTWAIT);
	printf("recv after it: %d %s\n", err, en(err < 0 ? errno : 0));
	err = (int)send(s, "x", 1, MSG_NOSIGNAL);
	printf("send after it: %d %s\n", err, en(err < 0 ? errno : 0));
	err = connect(s, (struct sockaddr *)&dst, dstlen) < 0 ? errno : 0;
	printf("connect again: %s\n", en(err));
	close(s);
}

static void
request(int s, const char *path)
{
	char req[128];

	snprintf(req, sizeof(req), "GET %s HTTP/1.0\r\n\r\n", path);
	printf("send: %zd\n", send(s, req, strlen(req), 0));
}

/* the whole response; prints its status line and body */
static void
response(int s)
{
	char buf[4096], *body;
	size_t n = 0;
	ssize_t r;

	while (n < sizeof(buf) - 1 && (r = read(s, buf + n, sizeof(buf) - 1 - n)) > 0)
		n += (size_t)r;
	buf[n] = '\0';
	body = strstr(buf, "\r\n\r\n");
	printf("status: %.*s\n", (int)strcspn(buf, "\r"), buf);
	printf("body: %s", body ? body + 4 : "(none)\n");
	printf("read at the end: %zd\n", read(s, buf, sizeof(buf)));
}

/* TCP urgent data from the host (the server's /oob: "ab", urgent "c", "de"): POLLPRI,
 * recv(MSG_OOB), the body read around the mark; with SO_OOBINLINE set before the connect
 * (so the host socket must get it then) the "c" stays in line. */
static void
oob(int port, bool inl)
{
	char buf[512], c = 0;
	size_t got = 0;
	ssize_t n;
	int on = 1, s = socket(fam, SOCK_STREAM, 0);
	struct pollfd p = { .fd = s, .events = POLLPRI };

	if (inl)
		setsockopt(s, SOL_SOCKET, SO_OOBINLINE, &on, sizeof(on));
	set_port(port);
	printf("oob%s connect: %s\n", inl ? " inline" : "",
	       en(connect(s, (struct sockaddr *)&dst, dstlen) < 0 ? errno : 0));
	request(s, "/oob");
	poll(&p, 1, 5000);
	printf("POLLPRI: %d\n", !!(p.revents & POLLPRI));
	n = recv(s, &c, 1, MSG_OOB);
	printf("recv MSG_OOB: %zd %s\n", n, n == 1 ? (c == 'c' ? "c" : "?") : en(errno));
	while (got < sizeof(buf) - 1 && (n = read(s, buf + got, sizeof(buf) - 1 - got)) > 0)
		got += (size_t)n;
	buf[got] = '\0';
	printf("body: %s\n", strstr(buf, "\r\n\r\n") ? strstr(buf, "\r\n\r\n") + 4 : "(none)");
	printf("sockatmark at the end: %d\n", sockatmark(s));
	close(s);
}

static int
opt_get(int s, int level, int name)
{
	int v = -1;
	socklen_t l = sizeof(v);

	return getsockopt(s, level, name, &v, &l) < 0 ? -errno : v;
}

/* Options set before the connect (the host socket gets them once it exists) and after
 * it, read back. */
static void
sockopts(int port)
{
	int s = socket(fam, SOCK_STREAM, 0), v;
	struct linger lg = { 1, 5 };
	socklen_t l = sizeof(lg);

	setsockopt(s, SOL_SOCKET, SO_RCVBUF, &(int){ 6000 }, sizeof(int));
	setsockopt(s, SOL_SOCKET, SO_KEEPALIVE, &(int){ 1 }, sizeof(int));
	setsockopt(s, IPPROTO_TCP, TCP_NODELAY, &(int){ 1 }, sizeof(int));
	setsockopt(s, IPPROTO_TCP, TCP_KEEPIDLE, &(int){ 40 }, sizeof(int));
	setsockopt(s, IPPROTO_TCP, TCP_KEEPINTVL, &(int){ 7 }, sizeof(int));
	setsockopt(s, IPPROTO_TCP, TCP_KEEPCNT, &(int){ 3 }, sizeof(int));
	setsockopt(s, SOL_SOCKET, SO_LINGER, &lg, sizeof(lg));
	if (fam == AF_INET)
		setsockopt(s, IPPROTO_IP, IP_TOS, &(int){ 0x10 }, sizeof(int));
	set_port(port);
	printf("sockopts connect: %s\n",
	       en(connect(s, (struct sockaddr *)&dst, dstlen) < 0 ? errno : 0));
	setsockopt(s, SOL_SOCKET, SO_SNDBUF, &(int){ 9000 }, sizeof(int));
	setsockopt(s, IPPROTO_TCP, TCP_KEEPCNT, &(int){ 4 }, sizeof(int));
	printf("SO_RCVBUF %d SO_SNDBUF %d SO_KEEPALIVE %d TCP_NODELAY %d\n",
	       opt_get(s, SOL_SOCKET, SO_RCVBUF), opt_get(s, SOL_SOCKET, SO_SNDBUF),
	       opt_get(s, SOL_SOCKET, SO_KEEPALIVE), opt_get(s, IPPROTO_TCP, TCP_NODELAY));
	printf("TCP_KEEPIDLE %d TCP_KEEPINTVL %d TCP_KEEPCNT %d\n",
	       opt_get(s, IPPROTO_TCP, TCP_KEEPIDLE), opt_get(s, IPPROTO_TCP, TCP_KEEPINTVL),
	       opt_get(s, IPPROTO_TCP, TCP_KEEPCNT));
	v = getsockopt(s, SOL_SOCKET, SO_LINGER, &lg, &l);
	printf("SO_LINGER %d: %d %d\n", v, lg.l_onoff, lg.l_linger);
	if (fam == AF_INET)
		printf("IP_TOS %#x\n", opt_get(s, IPPROTO_IP, IP_TOS));
	close(s);
}

static void
nonblocking(int open_port)
{
	int err, s = tcp(open_port, true, &err), again;
	struct pollfd p = { .events = POLLOUT };
	struct sockaddr_storage peer;
	socklen_t plen = sizeof(peer);
	char c;

	printf("non-blocking connect to the server: %s\n", en(err));
	p.fd = s;
	again = poll(&p, 1, 10000);
	printf("poll: %d revents %#x\n", again, p.revents);
	printf("SO_ERROR: %s\n", en(soerr(s)));
	again = connect(s, (struct sockaddr *)&dst, dstlen) < 0 ? errno : 0;
	printf("connect again: %s, ", en(again));
	again = connect(s, (struct sockaddr *)&dst, dstlen) < 0 ? errno : 0;
	printf("and again: %s\n", en(again));
	again = getpeername(s, (struct sockaddr *)&peer, &plen);
	printf("getpeername: %d, same address %d\n", again,
	       plen == dstlen && !memcmp(&peer, &dst, plen));
	again = (int)recv(s, &c, 1, MSG_DONTWAIT);
	printf("recv with nothing there: %d %s\n", again, en(errno));
	request(s, "/nb");
	fcntl(s, F_SETFL, 0);
	p = (struct pollfd){ .fd = s, .events = POLLIN };
	again = poll(&p, 1, 10000);
	printf("poll in: %d revents %#x\n", again, p.revents & POLLIN);
	again = (int)recv(s, &c, 1, MSG_PEEK);
	printf("peek: %d '%c'\n", again, c);
	response(s);
	close(s);
}

static void
blocking(int open_port)
{
	int err, s = tcp(open_port, false, &err), ep;
	struct epoll_event ev = { .events = EPOLLIN }, out;
	struct sockaddr_storage me;
	socklen_t mlen = sizeof(me);
	fd_set rd;

	printf("blocking connect: %s\n", en(err));
	getsockname(s, (struct sockaddr *)&me, &mlen);
	printf("getsockname family ok: %d\n", me.ss_family == fam);
	request(s, "/blocking");
	printf("shutdown SHUT_WR: %d\n", shutdown(s, SHUT_WR));
	err = (int)send(s, "x", 1, MSG_NOSIGNAL);
	printf("send after shutdown: %d %s\n", err, en(errno));
	ep = epoll_create1(0);
	epoll_ctl(ep, EPOLL_CTL_ADD, s, &ev);
	err = epoll_wait(ep, &out, 1, 10000);
	printf("epoll_wait: %d %#x\n", err, out.events & EPOLLIN);
	FD_ZERO(&rd);
	FD_SET(s, &rd);
	printf("select: %d\n", select(s + 1, &rd, NULL, NULL, NULL));
	response(s);
	close(ep);
	close(s);
}

/* epoll edge-triggered: read in small pieces until EAGAIN, wait for the next edge */
static void
edge(int open_port)
{
	int err, s = tcp(open_port, false, &err), ep = epoll_create1(0), waits = 0;
	struct epoll_event ev = { .events = EPOLLIN | EPOLLET }, out;
	char buf[4096];
	size_t n = 0;
	ssize_t r = 0;

	fcntl(s, F_SETFL, O_NONBLOCK);
	epoll_ctl(ep, EPOLL_CTL_ADD, s, &ev);
	request(s, "/slow-edge-triggered");
	while (n < sizeof(buf) - 1) {
		if (epoll_wait(ep, &out, 1, 10000) != 1)
			break; /* an edge lost: the output says so */
		waits++;
		while (n < sizeof(buf) - 1 && (r = read(s, buf + n, 5)) > 0)
			n += (size_t)r;
		if (r == 0)
			break;
	}
	buf[n] = '\0';
	printf("edge-triggered: %s, body %s", r == 0 ? "to the end" : "stuck",
	       strstr(buf, "\r\n\r\n") ? strstr(buf, "\r\n\r\n") + 4 : "(none)\n");
	close(ep);
	close(s);
}

/* epoll edge-triggered, the data arriving while nobody waits: the headers read until
 * EAGAIN, then the body comes during a sleep; the next epoll_wait reports it at once (its
 * arrival is an edge, as the EAGAIN showed the socket empty) */
static void
edge_late(int open_port)
{
	int err, s = tcp(open_port, false, &err), ep = epoll_create1(0);
	struct epoll_event ev = { .events = EPOLLIN | EPOLLET }, out;
	char buf[4096];
	size_t n = 0;
	ssize_t r;

	fcntl(s, F_SETFL, O_NONBLOCK);
	epoll_ctl(ep, EPOLL_CTL_ADD, s, &ev);
	request(s, "/slow-late-edge");
	int first = epoll_wait(ep, &out, 1, 10000);
	while ((r = read(s, buf + n, sizeof(buf) - 1 - n)) > 0)
		n += (size_t)r;
	int drained = r < 0 && errno == EAGAIN;
	usleep(800000); /* the body comes 300 ms after the headers */
	int second = epoll_wait(ep, &out, 1, 5000);
	while ((r = read(s, buf + n, sizeof(buf) - 1 - n)) > 0)
		n += (size_t)r;
	buf[n] = '\0';
	printf("edge while not waiting: first %d, drained %d, then %d, body %s", first, drained,
	       second, strstr(buf, "\r\n\r\n") ? strstr(buf, "\r\n\r\n") + 4 : "(none)\n");
	close(ep);
	close(s);
}

/* writes to a closed connection: EPIPE, and SIGPIPE unless ignored */
static void
pipe_error(int open_port)
{
	int err, s = tcp(open_port, false, &err), st;
	pid_t pid;
	ssize_t r = 0;

	request(s, "/closing");
	response(s); /* the server closed its end */
	signal(SIGPIPE, SIG_IGN);
	for (int i = 0; i < 100 && r >= 0; i++) {
		r = write(s, "more", 4);
		if (r >= 0)
			usleep(20000); /* the server's reset comes back */
	}
	printf("write to a closed connection: %s\n", r < 0 ? en(errno) : "no error");
	signal(SIGPIPE, SIG_DFL);
	pid = fork();
	if (pid == 0) {
		write(s, "more", 4);
		_exit(0);
	}
	waitpid(pid, &st, 0);
	printf("child: %s\n", WIFSIGNALED(st) ? strsignal(WTERMSIG(st)) : "exited");
	close(s);
}

/* an ICMP port unreachable answer: POLLERR, SO_ERROR once, then the next receive */
static void
udp_refused(int closed)
{
	int s = socket(fam, SOCK_DGRAM, 0), r;
	struct pollfd p = { .events = POLLIN };
	char c;

	set_port(closed);
	connect(s, (struct sockaddr *)&dst, dstlen);
	printf("udp send to a closed port: %zd\n", send(s, "x", 1, 0));
	p.fd = s;
	r = poll(&p, 1, 10000);
	printf("poll: %d revents %#x\n", r, p.revents);
	r = soerr(s);
	printf("SO_ERROR %s, ", en(r));
	printf("then %s\n", en(soerr(s)));
	printf("udp send again: %zd\n", send(s, "x", 1, 0));
	poll(&p, 1, 10000);
	r = (int)recv(s, &c, 1, 0);
	printf("recv: %d %s\n", r, en(r < 0 ? errno : 0));
	close(s);
}

static void
udp(int port)
{
	int s = socket(fam, SOCK_DGRAM, 0);
	struct sockaddr_storage from;
	socklen_t flen = sizeof(from);
	char buf[64];
	ssize_t n;

	set_port(port);
	printf("udp sendto: %zd\n", sendto(s, "ping", 4, 0, (struct sockaddr *)&dst, dstlen));
	n = recvfrom(s, buf, sizeof(buf) - 1, 0, (struct sockaddr *)&from, &flen);
	buf[n > 0 ? n : 0] = '\0';
	printf("udp recvfrom: %zd '%s' from the server %d\n", n, buf,
	       flen == dstlen && !memcmp(&from, &dst, flen));
	close(s);
	s = socket(fam, SOCK_DGRAM, 0);
	printf("udp connect: %d\n", connect(s, (struct sockaddr *)&dst, dstlen));
	printf("udp send: %zd\n", send(s, "pong", 4, 0));
	n = recv(s, buf, 6, 0);
	buf[n > 0 ? n : 0] = '\0';
	printf("udp recv (6 of 9): %zd '%s'\n", n, buf);
	n = recv(s, buf, 6, MSG_DONTWAIT);
	printf("udp recv nothing more: %zd %s\n", n, en(errno));
	close(s);
}

int
main(int argc, char **argv)
{
	if (argc != 4)
		return 2;
	memset(&dst, 0, sizeof(dst));
	if (inet_pton(AF_INET, argv[1], &((struct sockaddr_in *)&dst)->sin_addr) == 1) {
		fam = AF_INET;
		dstlen = sizeof(struct sockaddr_in);
	} else if (inet_pton(AF_INET6, argv[1], &((struct sockaddr_in6 *)&dst)->sin6_addr) == 1) {
		fam = AF_INET6;
		dstlen = sizeof(struct sockaddr_in6);
	} else {
		return 2;
	}
	dst.ss_family = (sa_family_t)fam;
	setvbuf(stdout, NULL, _IONBF, 0);
	refused(atoi(argv[3]));
	nonblocking(atoi(argv[2]));
	blocking(atoi(argv[2]));
	edge(atoi(argv[2]));
	edge_late(atoi(argv[2]));
	pipe_error(atoi(argv[2]));
	udp(atoi(argv[2]));
	udp_refused(atoi(argv[3]));
	oob(atoi(argv[2]), false);
	oob(atoi(argv[2]), true);
	sockopts(atoi(argv[2]));
	return 0;
}
