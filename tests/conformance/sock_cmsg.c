/* Control messages and protocol options: UDP-Lite sockets (their own port space,
 * SO_PROTOCOL, UDPLITE_*_CSCOV); IPv6 hop limit and traffic class (IPV6_RECVHOPLIMIT,
 * IPV6_RECVTCLASS, per-packet IPV6_HOPLIMIT / IPV6_TCLASS, a bad size is EINVAL); IPv4
 * IP_RECVTTL / IP_RECVTOS; truncation of a control buffer (MSG_CTRUNC, a partial message);
 * SCM_CREDENTIALS checked against the sender (pid, uid, gid; EPERM unprivileged, ESRCH for
 * a pid that does not exist, EINVAL for -1) and filled in by SO_PASSCRED. */
#include "cf.h"
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/wait.h>

#ifndef IPPROTO_UDPLITE
#define IPPROTO_UDPLITE 136
#endif
#define MIN(a, b) ((a) < (b) ? (a) : (b))
#define SOL_UDPLITE_ 136
#define UDPLITE_SEND_CSCOV_ 10
#define UDPLITE_RECV_CSCOV_ 11

static void
show_cmsgs(const char *label, struct msghdr *m, ssize_t n)
{
	printf("%s: %zd flags%s%s controllen %zu", label, n,
	       m->msg_flags & MSG_CTRUNC ? " CTRUNC" : "", m->msg_flags & MSG_TRUNC ? " TRUNC" : "",
	       (size_t)m->msg_controllen);
	for (struct cmsghdr *c = CMSG_FIRSTHDR(m); c; c = CMSG_NXTHDR(m, c)) {
		int v = 0;
		size_t dl = c->cmsg_len > CMSG_LEN(0) ? c->cmsg_len - CMSG_LEN(0) : 0;

		memcpy(&v, CMSG_DATA(c), MIN(dl, sizeof(v)));
		if (dl == 1)
			v = *(unsigned char *)CMSG_DATA(c);
		printf(" [%d %d len %zu", c->cmsg_level, c->cmsg_type, (size_t)c->cmsg_len);
		if (dl >= 1 && c->cmsg_level != SOL_SOCKET) /* not a pid */
			printf(" = %d", v);
		printf("]");
	}
	printf("\n");
}

static ssize_t
recv_ctl(int fd, char *ctl, size_t ctllen, struct msghdr *m)
{
	static char data[64];
	static struct iovec iov;

	iov = (struct iovec){ data, sizeof(data) };
	*m = (struct msghdr){ .msg_iov = &iov, .msg_iovlen = 1, .msg_control = ctllen ? ctl : NULL,
			      .msg_controllen = ctllen };
	return recvmsg(fd, m, MSG_DONTWAIT);
}

static ssize_t
send_ctl(int fd, int level, int type, const void *v, size_t vlen, int level2, int type2, int v2)
{
	char ctl[256] = { 0 };
	struct iovec iov = { "hi", 2 };
	struct msghdr m = { .msg_iov = &iov, .msg_iovlen = 1, .msg_control = ctl };
	struct cmsghdr *c = (struct cmsghdr *)ctl;

	c->cmsg_level = level;
	c->cmsg_type = type;
	c->cmsg_len = CMSG_LEN(vlen);
	memcpy(CMSG_DATA(c), v, vlen);
	m.msg_controllen = CMSG_SPACE(vlen);
	if (type2) {
		c = (struct cmsghdr *)(ctl + CMSG_SPACE(vlen));
		c->cmsg_level = level2;
		c->cmsg_type = type2;
		c->cmsg_len = CMSG_LEN(sizeof(int));
		memcpy(CMSG_DATA(c), &v2, sizeof(int));
		m.msg_controllen += CMSG_SPACE(sizeof(int));
	}
	return sendmsg(fd, &m, 0);
}

static void
udplite(void)
{
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	socklen_t al = sizeof(a), ol;
	int l = socket(AF_INET, SOCK_DGRAM, IPPROTO_UDPLITE);
	int u = socket(AF_INET, SOCK_DGRAM, 0), c, v;
	char buf[16] = { 0 };

	FD("udplite socket", l);
	R("udplite stream", socket(AF_INET, SOCK_STREAM, IPPROTO_UDPLITE));
	ol = sizeof(v);
	OK("so_protocol", getsockopt(l, SOL_SOCKET, SO_PROTOCOL, &v, &ol));
	printf("protocol %d\n", v);
	OK("bind udplite", bind(l, (struct sockaddr *)&a, sizeof(a)));
	getsockname(l, (struct sockaddr *)&a, &al);
	OK("bind udp same port", bind(u, (struct sockaddr *)&a, sizeof(a)));
	v = 3;
	OK("send cscov 3", setsockopt(l, SOL_UDPLITE_, UDPLITE_SEND_CSCOV_, &v, sizeof(v)));
	ol = sizeof(v);
	OK("get cscov", getsockopt(l, SOL_UDPLITE_, UDPLITE_SEND_CSCOV_, &v, &ol));
	printf("cscov %d\n", v);
	v = 20;
	OK("recv cscov 20", setsockopt(l, SOL_UDPLITE_, UDPLITE_RECV_CSCOV_, &v, sizeof(v)));
	OK("cscov on udp", setsockopt(u, SOL_UDPLITE_, UDPLITE_SEND_CSCOV_, &v, sizeof(v)));
	c = socket(AF_INET, SOCK_DGRAM, IPPROTO_UDPLITE);
	R("sendto udplite", sendto(c, "lite", 4, 0, (struct sockaddr *)&a, sizeof(a)));
	R("recv udplite", recv(l, buf, sizeof(buf), MSG_DONTWAIT));
	R("recv udp (none)", recv(u, buf, sizeof(buf), MSG_DONTWAIT));
	close(c);
	c = socket(AF_INET, SOCK_DGRAM, 0);
	R("sendto udp", sendto(c, "plain", 5, 0, (struct sockaddr *)&a, sizeof(a)));
	R("recv udp", recv(u, buf, sizeof(buf), MSG_DONTWAIT));
	R("recv udplite (none)", recv(l, buf, sizeof(buf), MSG_DONTWAIT));
	close(c);
	close(l);
	close(u);
}

static void
ipv6(void)
{
	struct sockaddr_in6 a = { .sin6_family = AF_INET6, .sin6_addr = IN6ADDR_LOOPBACK_INIT };
	socklen_t al = sizeof(a), ol = sizeof(int);
	int s = socket(AF_INET6, SOCK_DGRAM, 0), c = socket(AF_INET6, SOCK_DGRAM, 0), one = 1, v;
	char ctl[256];
	struct msghdr m;

	bind(s, (struct sockaddr *)&a, sizeof(a));
	getsockname(s, (struct sockaddr *)&a, &al);
	connect(c, (struct sockaddr *)&a, sizeof(a));
	OK("get unicast hops", getsockopt(c, IPPROTO_IPV6, IPV6_UNICAST_HOPS, &v, &ol));
	printf("hops %d\n", v);
	send(c, "x", 1, 0);
	show_cmsgs("no rx opts", &m, recv_ctl(s, ctl, sizeof(ctl), &m));
	OK("recvhoplimit", setsockopt(s, IPPROTO_IPV6, IPV6_RECVHOPLIMIT, &one, sizeof(one)));
	send(c, "x", 1, 0);
	show_cmsgs("hoplimit default", &m, recv_ctl(s, ctl, sizeof(ctl), &m));
	OK("recvtclass", setsockopt(s, IPPROTO_IPV6, IPV6_RECVTCLASS, &one, sizeof(one)));
	v = 9;
	OK("unicast hops 9", setsockopt(c, IPPROTO_IPV6, IPV6_UNICAST_HOPS, &v, sizeof(v)));
	v = 256;
	OK("unicast hops 256", setsockopt(c, IPPROTO_IPV6, IPV6_UNICAST_HOPS, &v, sizeof(v)));
	v = 4;
	OK("tclass 4", setsockopt(c, IPPROTO_IPV6, IPV6_TCLASS, &v, sizeof(v)));
	send(c, "x", 1, 0);
	show_cmsgs("both from options", &m, recv_ctl(s, ctl, sizeof(ctl), &m));
	v = 7;
	R("send hoplimit 7 tclass 3", send_ctl(c, IPPROTO_IPV6, IPV6_HOPLIMIT, &v, sizeof(v),
					       IPPROTO_IPV6, IPV6_TCLASS, 3));
	show_cmsgs("both from cmsgs", &m, recv_ctl(s, ctl, sizeof(ctl), &m));
	v = -1;
	R("send hoplimit -1", send_ctl(c, IPPROTO_IPV6, IPV6_HOPLIMIT, &v, sizeof(v), 0, 0, 0));
	show_cmsgs("hoplimit -1", &m, recv_ctl(s, ctl, sizeof(ctl), &m));
	v = 300;
	R("send hoplimit 300", send_ctl(c, IPPROTO_IPV6, IPV6_HOPLIMIT, &v, sizeof(v), 0, 0, 0));
	R("send odd tclass", send_ctl(c, IPPROTO_IPV6, IPV6_TCLASS, "\0\0\0\0\0", 5, 0, 0, 0));
	R("send unknown ipv6 cmsg", send_ctl(c, IPPROTO_IPV6, 1000, &v, sizeof(v), 0, 0, 0));
	R("send unknown sol_socket", send_ctl(c, SOL_SOCKET, 1000, &v, sizeof(v), 0, 0, 0));
	R("send scm_rights on udp", send_ctl(c, SOL_SOCKET, SCM_RIGHTS, &c, sizeof(c), 0, 0, 0));
	show_cmsgs("after", &m, recv_ctl(s, ctl, sizeof(ctl), &m));
	for (size_t room = 0; room <= CMSG_SPACE(sizeof(int)) + CMSG_LEN(0) + 4; room += 4) {
		char label[32];

		send(c, "x", 1, 0);
		snprintf(label, sizeof(label), "room %zu", room);
		show_cmsgs(label, &m, recv_ctl(s, ctl, room, &m));
	}
	send(c, "x", 1, 0);
	show_cmsgs("room 15", &m, recv_ctl(s, ctl, 15, &m));
	close(s);
	close(c);
}

static void
ipv4(void)
{
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	socklen_t al = sizeof(a), ol = sizeof(int);
	int s = socket(AF_INET, SOCK_DGRAM, 0), c = socket(AF_INET, SOCK_DGRAM, 0), one = 1, v;
	unsigned char b;
	char ctl[256];
	struct msghdr m;

	bind(s, (struct sockaddr *)&a, sizeof(a));
	getsockname(s, (struct sockaddr *)&a, &al);
	connect(c, (struct sockaddr *)&a, sizeof(a));
	OK("get ttl", getsockopt(c, IPPROTO_IP, IP_TTL, &v, &ol));
	printf("ttl %d\n", v);
	OK("recvttl", setsockopt(s, IPPROTO_IP, IP_RECVTTL, &one, sizeof(one)));
	OK("recvtos", setsockopt(s, IPPROTO_IP, IP_RECVTOS, &one, sizeof(one)));
	send(c, "x", 1, 0);
	show_cmsgs("v4 default", &m, recv_ctl(s, ctl, sizeof(ctl), &m));
	v = 0;
	OK("ttl 0", setsockopt(c, IPPROTO_IP, IP_TTL, &v, sizeof(v)));
	v = 33;
	OK("ttl 33", setsockopt(c, IPPROTO_IP, IP_TTL, &v, sizeof(v)));
	v = 0x10;
	OK("tos 0x10", setsockopt(c, IPPROTO_IP, IP_TOS, &v, sizeof(v)));
	send(c, "x", 1, 0);
	show_cmsgs("v4 options", &m, recv_ctl(s, ctl, sizeof(ctl), &m));
	b = 0x20;
	v = 5;
	R("send ttl 5 tos 1 byte", send_ctl(c, IPPROTO_IP, IP_TOS, &b, 1, IPPROTO_IP, IP_TTL, v));
	show_cmsgs("v4 cmsgs", &m, recv_ctl(s, ctl, sizeof(ctl), &m));
	R("send ttl 6 tos 8", send_ctl(c, IPPROTO_IP, IP_TTL, &(int){ 6 }, sizeof(int), IPPROTO_IP, IP_TOS, 8));
	show_cmsgs("v4 cmsgs", &m, recv_ctl(s, ctl, sizeof(ctl), &m));
	v = 0;
	R("send ttl 0", send_ctl(c, IPPROTO_IP, IP_TTL, &v, sizeof(v), 0, 0, 0));
	R("send ipv6 level on v4", send_ctl(c, IPPROTO_IPV6, IPV6_HOPLIMIT, &v, sizeof(v), 0, 0, 0));
	show_cmsgs("v4 after", &m, recv_ctl(s, ctl, sizeof(ctl), &m));
	close(s);
	close(c);
}

static void
creds(void)
{
	int sv[2], one = 1, st;
	char ctl[256];
	struct msghdr m;
	struct ucred cr = { getpid(), getuid(), getgid() };
	pid_t p;

	socketpair(AF_UNIX, SOCK_DGRAM, 0, sv);
	send(sv[0], "a", 1, 0);
	show_cmsgs("no passcred", &m, recv_ctl(sv[1], ctl, sizeof(ctl), &m));
	setsockopt(sv[1], SOL_SOCKET, SO_PASSCRED, &one, sizeof(one));
	send(sv[0], "a", 1, 0);
	recv_ctl(sv[1], ctl, sizeof(ctl), &m);
	memcpy(&cr, CMSG_DATA(CMSG_FIRSTHDR(&m)), sizeof(cr));
	printf("passcred filled: pid %s uid %d gid %d\n", cr.pid == getpid() ? "self" : "other",
	       (int)cr.uid, (int)cr.gid);
	send(sv[0], "a", 1, 0);
	show_cmsgs("cred room 20", &m, recv_ctl(sv[1], ctl, 20, &m));
	cr = (struct ucred){ getpid(), getuid(), getgid() };
	R("send own creds", send_ctl(sv[0], SOL_SOCKET, SCM_CREDENTIALS, &cr, sizeof(cr), 0, 0, 0));
	recv_ctl(sv[1], ctl, sizeof(ctl), &m);
	cr.uid = (uid_t)-1;
	R("send uid -1", send_ctl(sv[0], SOL_SOCKET, SCM_CREDENTIALS, &cr, sizeof(cr), 0, 0, 0));
	cr = (struct ucred){ 999999, getuid(), getgid() };
	R("send missing pid (root)", send_ctl(sv[0], SOL_SOCKET, SCM_CREDENTIALS, &cr, sizeof(cr), 0,
					      0, 0));
	cr = (struct ucred){ 1, 1234, 4321 };
	R("send pid 1 other ids (root)", send_ctl(sv[0], SOL_SOCKET, SCM_CREDENTIALS, &cr,
						  sizeof(cr), 0, 0, 0));
	recv_ctl(sv[1], ctl, sizeof(ctl), &m);
	memcpy(&cr, CMSG_DATA(CMSG_FIRSTHDR(&m)), sizeof(cr));
	printf("received: pid %d uid %d gid %d\n", cr.pid, (int)cr.uid, (int)cr.gid);
	cr = (struct ucred){ getpid(), getuid(), getgid() };
	R("send short creds", send_ctl(sv[0], SOL_SOCKET, SCM_CREDENTIALS, &cr, sizeof(cr) - 4, 0, 0,
				       0));
	fflush(stdout);
	p = fork();
	if (p == 0) {
		if (setgid(4321) || setuid(1234))
			_exit(1);
		cr = (struct ucred){ getpid(), 1234, 4321 };
		R("user: own creds", send_ctl(sv[0], SOL_SOCKET, SCM_CREDENTIALS, &cr, sizeof(cr), 0, 0,
					      0));
		cr.pid = getppid();
		R("user: parent's pid", send_ctl(sv[0], SOL_SOCKET, SCM_CREDENTIALS, &cr, sizeof(cr),
						 0, 0, 0));
		cr = (struct ucred){ getpid(), 0, 4321 };
		R("user: uid 0", send_ctl(sv[0], SOL_SOCKET, SCM_CREDENTIALS, &cr, sizeof(cr), 0, 0, 0));
		cr = (struct ucred){ getpid(), 1234, 0 };
		R("user: gid 0", send_ctl(sv[0], SOL_SOCKET, SCM_CREDENTIALS, &cr, sizeof(cr), 0, 0, 0));
		send(sv[0], "b", 1, 0);
		_exit(0);
	}
	waitpid(p, &st, 0);
	printf("child status %d\n", WEXITSTATUS(st));
	recv_ctl(sv[1], ctl, sizeof(ctl), &m);
	memcpy(&cr, CMSG_DATA(CMSG_FIRSTHDR(&m)), sizeof(cr));
	printf("user's own: pid %s uid %d gid %d\n", cr.pid == p ? "child" : "other", (int)cr.uid,
	       (int)cr.gid);
	recv_ctl(sv[1], ctl, sizeof(ctl), &m);
	memcpy(&cr, CMSG_DATA(CMSG_FIRSTHDR(&m)), sizeof(cr));
	printf("user's plain: pid %s uid %d gid %d\n", cr.pid == p ? "child" : "other",
	       (int)cr.uid, (int)cr.gid);
	close(sv[0]);
	close(sv[1]);
}

int
main(void)
{
	setvbuf(stdout, NULL, _IONBF, 0);
	udplite();
	ipv6();
	ipv4();
	creds();
	return 0;
}
