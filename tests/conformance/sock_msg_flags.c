/* What recvmsg and recvmmsg write back into msg_flags: MSG_CMSG_CLOEXEC passed in the call's
 * flags comes back set (Linux copies it into msg_flags before the protocol adds its own; Go's
 * ReadMsgUnix checks this), whatever arrived; other call flags (MSG_PEEK, MSG_DONTWAIT,
 * MSG_WAITALL) do not; MSG_TRUNC and MSG_CTRUNC are added as usual, on unix stream, datagram and
 * seqpacket sockets and on UDP and TCP loopback. */
#include "cf.h"
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>

static void
show(const char *label, int fd, int flags, size_t len, size_t ctllen)
{
	char data[64], ctl[256];
	struct iovec iov = { data, len };
	struct msghdr m = { .msg_iov = &iov, .msg_iovlen = 1, .msg_control = ctllen ? ctl : NULL,
			    .msg_controllen = ctllen, .msg_flags = 0x7fff0000 };
	ssize_t n = recvmsg(fd, &m, flags | MSG_DONTWAIT); /* never waits */

	if (n < 0)
		printf("%s: -1 %s\n", label, en(errno));
	else
		printf("%s: %zd flags %#x\n", label, n, (unsigned)m.msg_flags);
}

static void
pair_checks(const char *name, int type)
{
	int sv[2], one = 1;
	char label[96];

	if (socketpair(AF_UNIX, type, 0, sv) < 0) {
		printf("%s socketpair: -1 %s\n", name, en(errno));
		return;
	}
	setsockopt(sv[1], SOL_SOCKET, SO_PASSCRED, &one, sizeof(one));
	for (int i = 0; i < 6; i++)
		send(sv[0], "hello", 5, 0);
	snprintf(label, sizeof(label), "%s plain", name);
	show(label, sv[1], 0, 5, 0);
	snprintf(label, sizeof(label), "%s cloexec", name);
	show(label, sv[1], MSG_CMSG_CLOEXEC, 5, 256);
	snprintf(label, sizeof(label), "%s cloexec short buffer", name);
	show(label, sv[1], MSG_CMSG_CLOEXEC | MSG_DONTWAIT, 2, 256);
	snprintf(label, sizeof(label), "%s cloexec ctl 1 byte", name);
	show(label, sv[1], MSG_CMSG_CLOEXEC, 5, 1);
	snprintf(label, sizeof(label), "%s peek", name);
	show(label, sv[1], MSG_PEEK, 5, 0);
	snprintf(label, sizeof(label), "%s peek cloexec", name);
	show(label, sv[1], MSG_PEEK | MSG_CMSG_CLOEXEC, 5, 0);
	/* the rest (stream: all of it, then EAGAIN leaves msg_flags alone) */
	snprintf(label, sizeof(label), "%s rest", name);
	show(label, sv[1], 0, 64, 0);
	snprintf(label, sizeof(label), "%s last cloexec", name);
	show(label, sv[1], MSG_CMSG_CLOEXEC, 64, 0);
	close(sv[0]);
	close(sv[1]);
}

static void
mmsg_check(void)
{
	int sv[2];
	char b0[8], b1[2];
	struct iovec iov[2] = { { b0, sizeof(b0) }, { b1, sizeof(b1) } };
	struct mmsghdr mm[2];

	memset(mm, 0, sizeof(mm));
	for (int i = 0; i < 2; i++) {
		mm[i].msg_hdr.msg_iov = &iov[i];
		mm[i].msg_hdr.msg_iovlen = 1;
		mm[i].msg_hdr.msg_flags = 0x7fff0000;
	}
	if (socketpair(AF_UNIX, SOCK_DGRAM, 0, sv) < 0)
		return;
	send(sv[0], "abcd", 4, 0);
	send(sv[0], "efgh", 4, 0);
	R("recvmmsg cloexec", recvmmsg(sv[1], mm, 2, MSG_CMSG_CLOEXEC | MSG_DONTWAIT, NULL));
	printf("recvmmsg flags %#x len %u, %#x len %u\n", (unsigned)mm[0].msg_hdr.msg_flags,
	       mm[0].msg_len, (unsigned)mm[1].msg_hdr.msg_flags, mm[1].msg_len);
	close(sv[0]);
	close(sv[1]);
}

static void
inet_checks(void)
{
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	socklen_t al = sizeof(a);
	int u = socket(AF_INET, SOCK_DGRAM, 0), l, c, s;

	if (u < 0 || bind(u, (struct sockaddr *)&a, sizeof(a)) < 0 ||
	    getsockname(u, (struct sockaddr *)&a, &al) < 0)
		return;
	sendto(u, "datagram", 8, 0, (struct sockaddr *)&a, sizeof(a));
	sendto(u, "datagram", 8, 0, (struct sockaddr *)&a, sizeof(a));
	show("udp cloexec", u, MSG_CMSG_CLOEXEC, 64, 0);
	show("udp cloexec short", u, MSG_CMSG_CLOEXEC, 3, 0);
	close(u);

	a.sin_port = 0;
	al = sizeof(a);
	l = socket(AF_INET, SOCK_STREAM, 0);
	if (l < 0 || bind(l, (struct sockaddr *)&a, sizeof(a)) < 0 || listen(l, 1) < 0 ||
	    getsockname(l, (struct sockaddr *)&a, &al) < 0)
		return;
	c = socket(AF_INET, SOCK_STREAM, 0);
	if (connect(c, (struct sockaddr *)&a, sizeof(a)) < 0)
		return;
	s = accept(l, NULL, NULL);
	send(c, "stream", 6, 0);
	show("tcp cloexec waitall", s, MSG_CMSG_CLOEXEC | MSG_WAITALL, 6, 0);
	send(c, "stream", 6, 0);
	show("tcp plain", s, 0, 64, 0);
	close(c);
	close(s);
	close(l);
}

int
main(void)
{
	cf_init();
	pair_checks("stream", SOCK_STREAM);
	pair_checks("dgram", SOCK_DGRAM);
	pair_checks("seqpacket", SOCK_SEQPACKET);
	mmsg_check();
	inet_checks();
	return 0;
}
