/* AF_UNIX details: accept's negative address length, the sender's name as it is at receive
 * time, a negative receive timeout, empty SCM_RIGHTS, zero-length receives that still take
 * descriptors, credentials nobody asked for, buffer options (minimum, FORCE, send buffer
 * accounting), raw unix sockets, SO_LINGER, SO_NO_CHECK and sendto on a connected stream. */
#include "cf.h"
#include <signal.h>
#include <stddef.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/un.h>

static socklen_t
name(struct sockaddr_un *a, const char *path)
{
	memset(a, 0, sizeof(*a));
	a->sun_family = AF_UNIX;
	strcpy(a->sun_path, path);
	return (socklen_t)(offsetof(struct sockaddr_un, sun_path) + strlen(path) + 1);
}

static void
accept_and_names(void)
{
	struct sockaddr_un la, ca, got;
	socklen_t ll = name(&la, "srv"), cl = name(&ca, "cli"), gl;
	int l = socket(AF_UNIX, SOCK_STREAM, 0), c = socket(AF_UNIX, SOCK_STREAM, 0), s;
	int v = 7;

	OK("bind", bind(l, (struct sockaddr *)&la, ll));
	OK("listen", listen(l, 4));
	OK("connect", connect(c, (struct sockaddr *)&la, ll));
	gl = (socklen_t)-1;
	R("accept negative addrlen", accept(l, (struct sockaddr *)&got, &gl));
	c = (close(c), socket(AF_UNIX, SOCK_STREAM, 0));
	OK("connect again", connect(c, (struct sockaddr *)&la, ll));
	s = FD("accept", accept(l, NULL, NULL));
	R("send unbound", send(c, &v, sizeof(v), 0));
	OK("bind after connect", bind(c, (struct sockaddr *)&ca, cl));
	R("send bound", send(c, &v, sizeof(v), 0));
	int two[2];
	gl = sizeof(got);
	memset(&got, 0, sizeof(got));
	R("recvfrom both", recvfrom(s, two, sizeof(two), 0, (struct sockaddr *)&got, &gl));
	YN("recvfrom names the sender as bound now", gl == cl && strcmp(got.sun_path, "cli") == 0);
	R("sendto connected stream", sendto(c, &v, 1, 0, (struct sockaddr *)&la, ll));
	close(c);
	close(s);
	close(l);
}

static void
timeouts(void)
{
	int sv[2];
	struct timeval tv = { .tv_sec = -1 }, got;
	socklen_t gl = sizeof(got);
	char b[4];

	socketpair(AF_UNIX, SOCK_STREAM, 0, sv);
	OK("negative rcvtimeo", setsockopt(sv[0], SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv)));
	OK("getsockopt rcvtimeo", getsockopt(sv[0], SOL_SOCKET, SO_RCVTIMEO, &got, &gl));
	printf("rcvtimeo reads %ld %ld\n", (long)got.tv_sec, (long)got.tv_usec);
	R("read with negative timeout", read(sv[0], b, sizeof(b)));
	close(sv[0]);
	close(sv[1]);
}

static void
rights(int type)
{
	int sv[2], v = 5, got = 0;
	char ctl[CMSG_SPACE(sizeof(int))] = { 0 }, rctl[CMSG_SPACE(sizeof(int))] = { 0 };
	struct iovec iov = { &v, sizeof(v) };
	struct msghdr m = { .msg_iov = &iov, .msg_iovlen = 1, .msg_control = ctl,
			    .msg_controllen = CMSG_SPACE(0) };
	struct cmsghdr *c = CMSG_FIRSTHDR(&m);

	printf("type %d\n", type);
	socketpair(AF_UNIX, type, 0, sv);
	c->cmsg_level = SOL_SOCKET;
	c->cmsg_type = SCM_RIGHTS;
	c->cmsg_len = CMSG_LEN(0);
	R("sendmsg empty SCM_RIGHTS", sendmsg(sv[0], &m, 0));
	R("recv it", recv(sv[1], &got, sizeof(got), 0));
	m.msg_controllen = sizeof(ctl);
	c->cmsg_len = CMSG_LEN(sizeof(int));
	memcpy(CMSG_DATA(c), &sv[0], sizeof(int));
	R("sendmsg one fd", sendmsg(sv[0], &m, 0));
	struct msghdr r = { .msg_control = rctl, .msg_controllen = sizeof(rctl) };
	R("recvmsg no buffer", recvmsg(sv[1], &r, 0));
	c = CMSG_FIRSTHDR(&r);
	YN("fd came", c && c->cmsg_type == SCM_RIGHTS);
	YN("MSG_TRUNC", r.msg_flags & MSG_TRUNC);
	if (c && c->cmsg_type == SCM_RIGHTS) {
		memcpy(&got, CMSG_DATA(c), sizeof(int));
		close(got);
	}
	close(sv[0]);
	close(sv[1]);
}

static void
creds(void)
{
	int sv[2], on = 1, v = 1;
	char rctl[CMSG_SPACE(sizeof(struct ucred))];
	struct iovec iov = { &v, sizeof(v) };
	struct msghdr r = { .msg_iov = &iov, .msg_iovlen = 1, .msg_control = rctl,
			    .msg_controllen = sizeof(rctl) };

	socketpair(AF_UNIX, SOCK_DGRAM, 0, sv);
	R("send before SO_PASSCRED", send(sv[0], &v, sizeof(v), 0));
	OK("SO_PASSCRED", setsockopt(sv[1], SOL_SOCKET, SO_PASSCRED, &on, sizeof(on)));
	R("recvmsg", recvmsg(sv[1], &r, 0));
	struct cmsghdr *c = CMSG_FIRSTHDR(&r);
	if (c && c->cmsg_type == SCM_CREDENTIALS) {
		struct ucred u;
		memcpy(&u, CMSG_DATA(c), sizeof(u));
		printf("creds pid %d uid %d gid %d\n", u.pid, (int)u.uid, (int)u.gid);
	} else {
		printf("no creds\n");
	}
	R("send after SO_PASSCRED", send(sv[0], &v, sizeof(v), 0));
	r.msg_controllen = sizeof(rctl);
	R("recvmsg", recvmsg(sv[1], &r, 0));
	c = CMSG_FIRSTHDR(&r);
	if (c && c->cmsg_type == SCM_CREDENTIALS) {
		struct ucred u;
		memcpy(&u, CMSG_DATA(c), sizeof(u));
		YN("creds are the sender's", u.pid == getpid() && u.uid == getuid());
	}
	close(sv[0]);
	close(sv[1]);
}

static int
getint(int s, int opt)
{
	int v = -1;
	socklen_t l = sizeof(v);

	getsockopt(s, SOL_SOCKET, opt, &v, &l);
	return v;
}

static void
options(void)
{
	int s = socket(AF_UNIX, SOCK_STREAM, 0), v = 0, max;
	struct linger lg = { 1, 5 }, got = { 0 };
	socklen_t gl = sizeof(got);

	OK("SO_RCVBUF 0", setsockopt(s, SOL_SOCKET, SO_RCVBUF, &v, sizeof(v)));
	printf("rcvbuf min %d\n", getint(s, SO_RCVBUF));
	OK("SO_SNDBUF 0", setsockopt(s, SOL_SOCKET, SO_SNDBUF, &v, sizeof(v)));
	printf("sndbuf min %d\n", getint(s, SO_SNDBUF));
	v = -1;
	OK("SO_RCVBUF huge", setsockopt(s, SOL_SOCKET, SO_RCVBUF, &v, sizeof(v)));
	max = getint(s, SO_RCVBUF) / 2;
	v = max + 1;
	OK("SO_RCVBUFFORCE above max", setsockopt(s, SOL_SOCKET, SO_RCVBUFFORCE, &v, sizeof(v)));
	YN("forced value doubled", getint(s, SO_RCVBUF) == 2 * (max + 1));
	printf("no_check %d\n", getint(s, SO_NO_CHECK));
	v = 1;
	OK("SO_NO_CHECK", setsockopt(s, SOL_SOCKET, SO_NO_CHECK, &v, sizeof(v)));
	printf("no_check %d\n", getint(s, SO_NO_CHECK));
	OK("SO_LINGER", setsockopt(s, SOL_SOCKET, SO_LINGER, &lg, sizeof(lg)));
	OK("get SO_LINGER", getsockopt(s, SOL_SOCKET, SO_LINGER, &got, &gl));
	printf("linger %d %d len %d\n", got.l_onoff, got.l_linger, (int)gl);
	lg.l_onoff = 0;
	lg.l_linger = 9;
	OK("SO_LINGER off", setsockopt(s, SOL_SOCKET, SO_LINGER, &lg, sizeof(lg)));
	getsockopt(s, SOL_SOCKET, SO_LINGER, &got, &gl);
	printf("linger %d %d\n", got.l_onoff, got.l_linger);
	close(s);
	s = FD("socket SOCK_RAW", socket(AF_UNIX, SOCK_RAW, 0));
	printf("raw type is dgram %d\n", getint(s, SO_TYPE) == SOCK_DGRAM);
	close(s);
	int sv[2];
	R("socketpair SOCK_RAW", socketpair(AF_UNIX, SOCK_RAW, 0, sv));
	close(sv[0]);
	close(sv[1]);
}

/* The sender's buffer bounds what it has queued, whatever the receiver's. */
static void
send_buffer(int type)
{
	int sv[2], sz, n = 0;
	char *buf;

	printf("type %d\n", type);
	socketpair(AF_UNIX, type | SOCK_NONBLOCK, 0, sv);
	sz = getint(sv[0], SO_SNDBUF);
	buf = calloc(1, (size_t)sz / 4);
	while (send(sv[0], buf, (size_t)sz / 4, 0) > 0 && n < 1000)
		n++;
	printf("full: %s, after a few sends: %d\n", en(errno), n < 1000 && n > 1);
	sz *= 2;
	OK("raise SO_SNDBUF", setsockopt(sv[0], SOL_SOCKET, SO_SNDBUF, &sz, sizeof(sz)));
	YN("send goes again", send(sv[0], buf, (size_t)sz / 8, 0) > 0);
	free(buf);
	close(sv[0]);
	close(sv[1]);
	if (type != SOCK_STREAM)
		return;
	socketpair(AF_UNIX, SOCK_STREAM, 0, sv);
	buf = calloc(1, 16384);
	R("send 16K", send(sv[0], buf, 16384, MSG_DONTWAIT));
	sz = 4096;
	OK("lower SO_SNDBUF", setsockopt(sv[0], SOL_SOCKET, SO_SNDBUF, &sz, sizeof(sz)));
	R("send over the new size", send(sv[0], buf, 16384, MSG_DONTWAIT));
	free(buf);
	close(sv[0]);
	close(sv[1]);
}

/* A datagram receiver that is not connected back holds 11 messages from others. */
static void
dgram_queue(void)
{
	struct sockaddr_un a;
	socklen_t al = name(&a, "dg");
	int r = socket(AF_UNIX, SOCK_DGRAM, 0), s = socket(AF_UNIX, SOCK_DGRAM | SOCK_NONBLOCK, 0);
	int n = 0;
	char c = 'x';

	bind(r, (struct sockaddr *)&a, al);
	while (sendto(s, &c, 1, 0, (struct sockaddr *)&a, al) == 1 && n < 100)
		n++;
	printf("queued %d then %s\n", n, en(errno));
	close(r);
	close(s);
}

/* Descriptors a plain read(2) passes over are gone; a zero-length stream send carries none;
 * a connection its listener never accepted is reset when the listener closes. */
static void
descriptors_and_listener(void)
{
	int sv[2], got[2] = { 0 };
	char ctl[CMSG_SPACE(sizeof(int))] = { 0 }, rctl[CMSG_SPACE(sizeof(int))] = { 0 };
	char data[8] = "abcdefg";
	struct iovec iov = { data, sizeof(data) };
	struct msghdr m = { .msg_iov = &iov, .msg_iovlen = 1, .msg_control = ctl,
			    .msg_controllen = sizeof(ctl) };
	struct cmsghdr *c = CMSG_FIRSTHDR(&m);

	socketpair(AF_UNIX, SOCK_STREAM, 0, sv);
	c->cmsg_level = SOL_SOCKET;
	c->cmsg_type = SCM_RIGHTS;
	c->cmsg_len = CMSG_LEN(sizeof(int));
	memcpy(CMSG_DATA(c), &sv[0], sizeof(int));
	R("sendmsg 8 bytes and a descriptor", sendmsg(sv[0], &m, 0));
	R("read 4", read(sv[1], got, 4));
	struct iovec riov = { got, sizeof(got) };
	struct msghdr r = { .msg_iov = &riov, .msg_iovlen = 1, .msg_control = rctl,
			    .msg_controllen = sizeof(rctl) };
	R("recvmsg the rest", recvmsg(sv[1], &r, 0));
	YN("no descriptor left", CMSG_FIRSTHDR(&r) == NULL);
	iov.iov_len = 0;
	m.msg_controllen = sizeof(ctl);
	R("sendmsg 0 bytes and a descriptor", sendmsg(sv[0], &m, 0));
	R("send 1", send(sv[0], "z", 1, 0));
	r.msg_controllen = sizeof(rctl);
	R("recvmsg", recvmsg(sv[1], &r, 0));
	YN("no descriptor came", CMSG_FIRSTHDR(&r) == NULL);
	close(sv[0]);
	close(sv[1]);

	struct sockaddr_un a;
	socklen_t al = name(&a, "lis");
	int l = socket(AF_UNIX, SOCK_STREAM, 0), cl = socket(AF_UNIX, SOCK_STREAM, 0), err = -1;
	socklen_t el = sizeof(err);

	bind(l, (struct sockaddr *)&a, al);
	listen(l, 4);
	OK("connect", connect(cl, (struct sockaddr *)&a, al));
	close(l);
	getsockopt(cl, SOL_SOCKET, SO_ERROR, &err, &el);
	printf("client SO_ERROR %s\n", err ? en(err) : "0");
	close(cl);
}

int
main(void)
{
	cf_init();
	descriptors_and_listener();
	signal(SIGPIPE, SIG_IGN);
	alarm(20);
	accept_and_names();
	timeouts();
	rights(SOCK_STREAM);
	rights(SOCK_DGRAM);
	rights(SOCK_SEQPACKET);
	creds();
	options();
	send_buffer(SOCK_STREAM);
	send_buffer(SOCK_DGRAM);
	send_buffer(SOCK_SEQPACKET);
	dgram_queue();
	return 0;
}
