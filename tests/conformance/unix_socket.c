/* AF_UNIX sockets: socketpair (stream, datagram, seqpacket), SCM_RIGHTS, shutdown and
 * close as the peer sees them, poll, named and abstract sockets with listen/connect/accept,
 * datagrams by name, getsockname/getpeername, socket options and the errors of misuse. */
#include "cf.h"
#include <poll.h>
#include <stdbool.h>
#include <stddef.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/ioctl.h>
#include <sys/wait.h>

static short
pollev(int fd)
{
	struct pollfd p = { .fd = fd, .events = POLLIN | POLLOUT | POLLRDHUP };

	poll(&p, 1, 0);
	return p.revents;
}

static void
show_poll(const char *label, int fd)
{
	short r = pollev(fd);

	printf("%s:%s%s%s%s%s\n", label, r & POLLIN ? " IN" : "", r & POLLOUT ? " OUT" : "",
	       r & POLLHUP ? " HUP" : "", r & POLLRDHUP ? " RDHUP" : "", r & POLLERR ? " ERR" : "");
}

static socklen_t
addr_of(struct sockaddr_un *sa, const char *path, bool abstract)
{
	memset(sa, 0, sizeof(*sa));
	sa->sun_family = AF_UNIX;
	if (abstract) {
		snprintf(sa->sun_path + 1, sizeof(sa->sun_path) - 1, "%s", path);
		return offsetof(struct sockaddr_un, sun_path) + 1 + strlen(path);
	}
	snprintf(sa->sun_path, sizeof(sa->sun_path), "%s", path);
	return offsetof(struct sockaddr_un, sun_path) + strlen(path) + 1;
}

static void
pairs(void)
{
	int sv[2], sv2[2], p[2];
	char b[64] = { 0 };
	struct iovec iov = { b, sizeof(b) };
	union {
		char buf[CMSG_SPACE(2 * sizeof(int))];
		struct cmsghdr align;
	} u;
	struct msghdr mh = { .msg_iov = &iov, .msg_iovlen = 1 };
	struct cmsghdr *c;
	int type;
	socklen_t len = sizeof(type);
	struct ucred cr;
	struct stat st;

	R("socketpair stream", socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv));
	R("FD_CLOEXEC", fcntl(sv[0], F_GETFD));
	R("fstat", fstat(sv[0], &st));
	YN("S_ISSOCK", S_ISSOCK(st.st_mode));
	R("write", write(sv[0], "hello", 5));
	R("send", send(sv[0], " world", 6, 0));
	show_poll("poll with data", sv[1]);
	R("recv MSG_PEEK", recv(sv[1], b, 3, MSG_PEEK));
	R("read all", read(sv[1], b, sizeof(b)));
	printf("data: %s\n", b);
	R("recv empty MSG_DONTWAIT", recv(sv[1], b, sizeof(b), MSG_DONTWAIT));
	R("getsockopt SO_TYPE", getsockopt(sv[0], SOL_SOCKET, SO_TYPE, &type, &len));
	printf("type %d len %d\n", type, (int)len);
	len = sizeof(cr);
	R("SO_PEERCRED", getsockopt(sv[0], SOL_SOCKET, SO_PEERCRED, &cr, &len));
	YN("peer pid is ours", cr.pid == getpid());
	YN("peer uid is ours", cr.uid == geteuid());
	len = sizeof(type);
	R("SO_ACCEPTCONN", getsockopt(sv[0], SOL_SOCKET, SO_ACCEPTCONN, &type, &len));
	printf("acceptconn %d\n", type);
	R("getsockopt unknown level", getsockopt(sv[0], SOL_SOCKET + 200, 1, &type, &len));
	{
		unsigned char small[4] = { 0xee, 0xee, 0xee, 0xee };
		socklen_t slen = 1;
		R("SO_TYPE into 1 byte", getsockopt(sv[0], SOL_SOCKET, SO_TYPE, small, &slen));
		printf("len %d bytes %02x %02x\n", (int)slen, small[0], small[1]);
	}

	/* SCM_RIGHTS: a pipe's write end travels and works */
	R("pipe", pipe(p));
	memset(&u, 0, sizeof(u));
	iov.iov_base = "fd";
	iov.iov_len = 2;
	mh.msg_control = u.buf;
	mh.msg_controllen = CMSG_SPACE(sizeof(int));
	c = CMSG_FIRSTHDR(&mh);
	c->cmsg_level = SOL_SOCKET;
	c->cmsg_type = SCM_RIGHTS;
	c->cmsg_len = CMSG_LEN(sizeof(int));
	memcpy(CMSG_DATA(c), &p[1], sizeof(int));
	R("sendmsg SCM_RIGHTS", sendmsg(sv[0], &mh, 0));
	close(p[1]);
	memset(&u, 0, sizeof(u));
	memset(b, 0, sizeof(b));
	iov.iov_base = b;
	iov.iov_len = sizeof(b);
	mh.msg_controllen = sizeof(u.buf);
	R("recvmsg", recvmsg(sv[1], &mh, MSG_CMSG_CLOEXEC));
	c = CMSG_FIRSTHDR(&mh);
	YN("got SCM_RIGHTS", c && c->cmsg_type == SCM_RIGHTS && c->cmsg_len == CMSG_LEN(sizeof(int)));
	if (c) {
		int nfd;
		memcpy(&nfd, CMSG_DATA(c), sizeof(int));
		R("passed fd cloexec", fcntl(nfd, F_GETFD));
		R("write through passed fd", write(nfd, "via", 3));
		close(nfd);
		memset(b, 0, sizeof(b));
		R("read pipe", read(p[0], b, sizeof(b)));
		printf("pipe data: %s\n", b);
	}
	close(p[0]);
	/* control buffer too small: MSG_CTRUNC */
	R("pipe", pipe(p));
	mh.msg_control = u.buf;
	mh.msg_controllen = CMSG_SPACE(2 * sizeof(int));
	c = CMSG_FIRSTHDR(&mh);
	c->cmsg_level = SOL_SOCKET;
	c->cmsg_type = SCM_RIGHTS;
	c->cmsg_len = CMSG_LEN(2 * sizeof(int));
	memcpy(CMSG_DATA(c), p, 2 * sizeof(int));
	iov.iov_len = 1;
	R("sendmsg two fds", sendmsg(sv[0], &mh, 0));
	mh.msg_controllen = CMSG_SPACE(sizeof(int)) - 4; /* room for one */
	iov.iov_len = sizeof(b);
	R("recvmsg small control", recvmsg(sv[1], &mh, 0));
	YN("MSG_CTRUNC", mh.msg_flags & MSG_CTRUNC);
	close(p[0]);
	close(p[1]);

	/* shutdown and close as the peer sees them */
	R("shutdown SHUT_WR", shutdown(sv[0], SHUT_WR));
	show_poll("peer after SHUT_WR", sv[1]);
	R("peer read EOF", read(sv[1], b, sizeof(b)));
	R("write after SHUT_WR", send(sv[0], "x", 1, MSG_NOSIGNAL));
	R("peer may still write", write(sv[1], "back", 4));
	R("read it", read(sv[0], b, sizeof(b)));
	R("shutdown bad how", shutdown(sv[0], 7));
	close(sv[1]);
	show_poll("after peer close", sv[0]);
	R("write to closed peer", write(sv[0], "x", 1));
	close(sv[0]);

	/* close with unread data: ECONNRESET for the peer's read */
	R("socketpair", socketpair(AF_UNIX, SOCK_STREAM, 0, sv));
	R("write", write(sv[0], "unread", 6));
	close(sv[1]);
	R("read after reset", read(sv[0], b, sizeof(b)));
	R("read again", read(sv[0], b, sizeof(b)));
	close(sv[0]);

	/* datagrams and seqpacket keep boundaries */
	R("socketpair dgram", socketpair(AF_UNIX, SOCK_DGRAM, 0, sv));
	R("send 3", send(sv[0], "abc", 3, 0));
	R("send 5", send(sv[0], "defgh", 5, 0));
	R("FIONREAD", ({ int n = -1; ioctl(sv[1], FIONREAD, &n) < 0 ? -1 : n; }));
	R("recv 2 of 3", recv(sv[1], b, 2, 0));
	R("recv MSG_TRUNC", recv(sv[1], b, 2, MSG_TRUNC));
	R("recv empty", recv(sv[1], b, 2, MSG_DONTWAIT));
	R("send empty datagram", send(sv[0], "", 0, 0));
	R("recv empty datagram", recv(sv[1], b, 2, 0));
	close(sv[0]);
	close(sv[1]);
	R("socketpair seqpacket", socketpair(AF_UNIX, SOCK_SEQPACKET, 0, sv));
	R("send", send(sv[0], "one", 3, 0));
	R("send", send(sv[0], "two!", 4, 0));
	iov.iov_base = b;
	iov.iov_len = 2;
	mh.msg_control = NULL;
	mh.msg_controllen = 0;
	R("recvmsg short", recvmsg(sv[1], &mh, 0));
	YN("MSG_TRUNC flag", mh.msg_flags & MSG_TRUNC);
	R("recv next", recv(sv[1], b, sizeof(b), 0));
	close(sv[0]);
	R("seqpacket EOF", recv(sv[1], b, sizeof(b), 0));
	close(sv[1]);

	/* a child writes, the parent blocks in read */
	R("socketpair", socketpair(AF_UNIX, SOCK_STREAM, 0, sv2));
	if (fork() == 0) {
		usleep(20000);
		write(sv2[1], "late", 4);
		_exit(0);
	}
	memset(b, 0, sizeof(b));
	R("blocking read", read(sv2[0], b, sizeof(b)));
	printf("got: %s\n", b);
	wait(NULL);
	close(sv2[0]);
	close(sv2[1]);
}

static void
named(bool abstract)
{
	struct sockaddr_un sa, got;
	socklen_t len = addr_of(&sa, "cf.sock", abstract), glen;
	int l, c, s, d1, d2;
	char b[64] = { 0 };
	struct stat st;
	struct ucred cr;
	socklen_t crl = sizeof(cr);

	printf("-- %s\n", abstract ? "abstract" : "pathname");
	l = FD("socket", socket(AF_UNIX, SOCK_STREAM, 0));
	c = FD("socket", socket(AF_UNIX, SOCK_STREAM, 0));
	R("connect before bind", connect(c, (struct sockaddr *)&sa, len));
	R("bind", bind(l, (struct sockaddr *)&sa, len));
	if (!abstract) {
		R("stat socket file", stat("cf.sock", &st));
		YN("S_ISSOCK", S_ISSOCK(st.st_mode));
		R("open socket file", open("cf.sock", O_RDONLY));
	}
	R("bind again", bind(l, (struct sockaddr *)&sa, len));
	d1 = socket(AF_UNIX, SOCK_STREAM, 0);
	R("bind in use", bind(d1, (struct sockaddr *)&sa, len));
	close(d1);
	R("connect to unlistened", connect(c, (struct sockaddr *)&sa, len));
	R("accept before listen", accept(l, NULL, NULL));
	R("listen", listen(l, 5));
	glen = sizeof(got);
	R("getsockname", getsockname(l, (struct sockaddr *)&got, &glen));
	YN("name matches", glen == len && !memcmp(&got, &sa, len));
	R("connect", connect(c, (struct sockaddr *)&sa, len));
	R("connect again", connect(c, (struct sockaddr *)&sa, len));
	show_poll("listener with a client", l);
	glen = sizeof(got);
	s = FD("accept4", accept4(l, (struct sockaddr *)&got, &glen, SOCK_NONBLOCK));
	printf("accepted addrlen %d family %d\n", (int)glen, got.sun_family);
	R("accepted O_NONBLOCK", (fcntl(s, F_GETFL) & O_NONBLOCK) != 0);
	fcntl(l, F_SETFL, O_NONBLOCK);
	R("accept nonblocking", accept(l, NULL, NULL));
	glen = sizeof(got);
	R("getpeername of client", getpeername(c, (struct sockaddr *)&got, &glen));
	YN("peer is the listener's name", glen == len && !memcmp(&got, &sa, len));
	glen = sizeof(got);
	R("getpeername of listener", getpeername(l, (struct sockaddr *)&got, &glen));
	R("SO_PEERCRED of accepted", getsockopt(s, SOL_SOCKET, SO_PEERCRED, &cr, &crl));
	YN("peer pid", cr.pid == getpid());
	R("send", send(c, "ping", 4, 0));
	R("recv", recv(s, b, sizeof(b), 0));
	R("send back", send(s, "pong!", 5, 0));
	R("recv", recv(c, b, sizeof(b), 0));
	printf("data: %.5s\n", b);
	close(s);
	close(c);
	/* a child connects while the parent waits in accept */
	fcntl(l, F_SETFL, 0);
	if (fork() == 0) {
		int k = socket(AF_UNIX, SOCK_STREAM, 0);
		usleep(20000);
		connect(k, (struct sockaddr *)&sa, len);
		write(k, "child", 5);
		_exit(0);
	}
	s = FD("blocking accept", accept(l, NULL, NULL));
	memset(b, 0, sizeof(b));
	R("read", read(s, b, 5));
	printf("data: %s\n", b);
	wait(NULL);
	close(s);
	close(l);
	if (!abstract) {
		c = socket(AF_UNIX, SOCK_STREAM, 0);
		R("connect after listener closed", connect(c, (struct sockaddr *)&sa, len));
		close(c);
		R("unlink", unlink("cf.sock"));
	}
	/* datagrams by name */
	d1 = socket(AF_UNIX, SOCK_DGRAM, 0);
	d2 = socket(AF_UNIX, SOCK_DGRAM, 0);
	R("bind dgram", bind(d1, (struct sockaddr *)&sa, len));
	R("sendto", sendto(d2, "dg", 2, 0, (struct sockaddr *)&sa, len));
	glen = sizeof(got);
	R("recvfrom", recvfrom(d1, b, sizeof(b), 0, (struct sockaddr *)&got, &glen));
	printf("from addrlen %d\n", (int)glen);
	R("send unconnected", send(d2, "x", 1, 0));
	R("connect dgram", connect(d2, (struct sockaddr *)&sa, len));
	R("send connected", send(d2, "y", 1, 0));
	R("recv", recv(d1, b, sizeof(b), 0));
	R("stream connect to dgram", ({ int k = socket(AF_UNIX, SOCK_STREAM, 0);
		int r_ = connect(k, (struct sockaddr *)&sa, len); int e_ = errno; close(k); errno = e_; r_; }));
	close(d1);
	R("send to closed", send(d2, "z", 1, 0));
	close(d2);
	if (!abstract)
		unlink("cf.sock");
}

int
main(void)
{
	int fd;
	struct sockaddr_un sa = { .sun_family = AF_UNIX };

	signal(SIGPIPE, SIG_IGN);
	cf_init();
	pairs();
	named(false);
	named(true);
	R("socket bad type", socket(AF_UNIX, 77, 0));
	R("socket bad protocol", socket(AF_UNIX, SOCK_STREAM, 9));
	R("socket bad flags", socket(AF_UNIX, SOCK_STREAM | 0x100000, 0));
	R("socketpair AF_INET", socketpair(AF_INET, SOCK_STREAM, 0, (int[2]){ 0 }));
	R("bind not a socket", bind(0, (struct sockaddr *)&sa, sizeof(sa)));
	R("bind bad fd", bind(99, (struct sockaddr *)&sa, sizeof(sa)));
	fd = socket(AF_UNIX, SOCK_STREAM, 0);
	R("bind long addrlen", bind(fd, (struct sockaddr *)&sa, sizeof(sa) + 1));
	R("bind short addrlen", bind(fd, (struct sockaddr *)&sa, 1));
	R("listen unbound autobinds", listen(fd, 1));
	R("send unconnected stream", send(fd, "x", 1, 0));
	R("recv listening", recv(fd, &sa, 1, 0));
	R("shutdown", shutdown(fd, SHUT_RDWR));
	R("lseek", lseek(fd, 0, SEEK_SET));
	close(fd);
	fd = socket(AF_UNIX, SOCK_STREAM, 0);
	R("recv unconnected stream", recv(fd, &sa, 1, 0));
	R("getpeername unconnected", getpeername(fd, (struct sockaddr *)&sa, &(socklen_t){ sizeof(sa) }));
	R("connect to file", connect(fd, (struct sockaddr *)&sa,
				     addr_of(&sa, "/etc/passwd", false)));
	R("connect to missing", connect(fd, (struct sockaddr *)&sa,
					addr_of(&sa, "/nonexistent/x", false)));
	R("shutdown unconnected", shutdown(fd, SHUT_RD));
	close(fd);
	return 0;
}
