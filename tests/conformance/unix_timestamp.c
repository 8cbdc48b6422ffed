/* Receive timestamps on unix sockets: datagram and seqpacket sockets with SO_TIMESTAMP or
 * SO_TIMESTAMPNS get the control message (Linux unix_dgram_recvmsg, when SOCK_RCVTSTAMP),
 * streams do not, and SO_TIMESTAMPING alone gives none. */
#include "cf.h"
#include <linux/net_tstamp.h>
#include <sys/socket.h>

static void
try(int type, const char *tn, int opt, const char *on, int val)
{
	int sv[2];
	char buf[8], ctl[512];
	struct iovec iov = { buf, sizeof(buf) };
	struct msghdr mh = { .msg_iov = &iov, .msg_iovlen = 1, .msg_control = ctl,
			     .msg_controllen = sizeof(ctl) };

	socketpair(AF_UNIX, type, 0, sv);
	setsockopt(sv[0], SOL_SOCKET, opt, &val, sizeof(val));
	send(sv[1], "x", 1, 0);
	long r = recvmsg(sv[0], &mh, 0);
	printf("%s %s: %ld, cmsgs:", tn, on, r);
	for (struct cmsghdr *c = CMSG_FIRSTHDR(&mh); c; c = CMSG_NXTHDR(&mh, c))
		printf(" level %d type %d len %zu", c->cmsg_level, c->cmsg_type, (size_t)c->cmsg_len);
	printf("\n");
	close(sv[0]);
	close(sv[1]);
}

int
main(void)
{
	static const struct { int type; const char *n; } types[] = {
		{ SOCK_DGRAM, "dgram" }, { SOCK_SEQPACKET, "seqpacket" }, { SOCK_STREAM, "stream" },
	};
	for (int i = 0; i < 3; i++) {
		try(types[i].type, types[i].n, SO_TIMESTAMP, "SO_TIMESTAMP", 1);
		try(types[i].type, types[i].n, SO_TIMESTAMPNS, "SO_TIMESTAMPNS", 1);
		try(types[i].type, types[i].n, SO_TIMESTAMPING, "SO_TIMESTAMPING",
		    SOF_TIMESTAMPING_SOFTWARE | SOF_TIMESTAMPING_RX_SOFTWARE);
	}
	return 0;
}
