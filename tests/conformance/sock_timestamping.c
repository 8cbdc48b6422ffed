/* SO_TIMESTAMPING(_OLD/_NEW), the receive side: which flags Linux takes (a mask, OPT_ID_TCP
 * only with OPT_ID, OPT_ID on TCP only once connected, OPT_STATS only with OPT_TSONLY,
 * BIND_PHC only on a bound socket with a clock), the int or struct so_timestamping forms,
 * what reads back (_NEW: only what _NEW set; SOCK_TSTAMP_NEW shared with SO_TIMESTAMP_NEW),
 * and the SCM_TIMESTAMPING control message of received UDP and TCP data: software stamp
 * in ts[0] (with SO_TIMESTAMP's first; _NEW's type after _NEW; none with OPT_RX_FILTER
 * and no RX_SOFTWARE). Send timestamps (TX_SOFTWARE, TX_SCHED, TX_ACK) are left out: the
 * sandbox does not make them. In a network namespace of the test's own. */
#include "cf.h"
#include <linux/net_tstamp.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <time.h>

#define RX (SOF_TIMESTAMPING_RX_SOFTWARE | SOF_TIMESTAMPING_SOFTWARE)

static void
reads(int s, const char *when)
{
	int o[2] = { -9, -9 }, v = -9;
	socklen_t l = sizeof(o);

	getsockopt(s, SOL_SOCKET, SO_TIMESTAMPING_OLD, o, &l);
	printf("%s: OLD len %u %d %d;", when, l, o[0], o[1]);
	l = sizeof(o);
	getsockopt(s, SOL_SOCKET, SO_TIMESTAMPING_NEW, o, &l);
	printf(" NEW %d;", o[0]);
	l = sizeof(v);
	getsockopt(s, SOL_SOCKET, SO_TIMESTAMP_OLD, &v, &l);
	printf(" SO_TIMESTAMP_OLD %d;", v);
	l = sizeof(v);
	getsockopt(s, SOL_SOCKET, SO_TIMESTAMP_NEW, &v, &l);
	printf(" SO_TIMESTAMP_NEW %d\n", v);
}

static void
cmsgs(int s, const char *what)
{
	char b[16], ctl[512];
	struct iovec io = { b, sizeof(b) };
	struct msghdr m = { .msg_iov = &io, .msg_iovlen = 1, .msg_control = ctl,
			    .msg_controllen = sizeof(ctl) };

	R(what, recvmsg(s, &m, 0));
	for (struct cmsghdr *c = CMSG_FIRSTHDR(&m); c; c = CMSG_NXTHDR(&m, c)) {
		struct timespec ts[3];

		printf("  level %d type %d len %zu", c->cmsg_level, c->cmsg_type, (size_t)c->cmsg_len);
		if (c->cmsg_type == SO_TIMESTAMPING_OLD || c->cmsg_type == SO_TIMESTAMPING_NEW) {
			memcpy(ts, CMSG_DATA(c), sizeof(ts));
			printf(" software %s, others %s", ts[0].tv_sec > 0 ? "set" : "none",
			       ts[1].tv_sec || ts[1].tv_nsec || ts[2].tv_sec || ts[2].tv_nsec ? "set" : "none");
		}
		printf("\n");
	}
}

/* Linux turns receive timestamps on for the whole system from a workqueue the first time
 * a socket asks (net_enable_timestamp): a datagram right after that may come without one.
 * A socket of ours keeps them on from here; wait until a datagram shows they are. */
static int
timestamps_on(void)
{
	struct sockaddr_in6 a;
	socklen_t al;
	int v = RX, r = cf_lo_bound(AF_INET, SOCK_DGRAM, &a, &al), s = socket(AF_INET, SOCK_DGRAM, 0);

	setsockopt(r, SOL_SOCKET, SO_TIMESTAMPING, &v, sizeof(v));
	for (int i = 0; i < 500; i++) {
		char b[4], ctl[256];
		struct iovec io = { b, sizeof(b) };
		struct msghdr m = { .msg_iov = &io, .msg_iovlen = 1, .msg_control = ctl,
				    .msg_controllen = sizeof(ctl) };

		sendto(s, "w", 1, 0, (struct sockaddr *)&a, al);
		if (recvmsg(r, &m, 0) >= 0 && CMSG_FIRSTHDR(&m))
			break;
		usleep(10000);
	}
	close(s);
	return r; /* kept open */
}

static void
flags(int type)
{
	printf("%s flags:", type == SOCK_STREAM ? "tcp" : "udp");
	for (int b = 0; b < 22; b++) {
		int s = socket(AF_INET, type, 0), v = 1 << b;

		if (v & (SOF_TIMESTAMPING_TX_SOFTWARE | SOF_TIMESTAMPING_TX_SCHED |
			 SOF_TIMESTAMPING_TX_ACK))
			continue;
		printf(" %d %s", b, setsockopt(s, SOL_SOCKET, SO_TIMESTAMPING, &v, sizeof(v)) ? en(errno)
									       : "ok");
		close(s);
	}
	printf("\n");
}

int
main(void)
{
	struct sockaddr_in6 a;
	socklen_t al;
	int r, s, v, one = 1, pair[2] = { RX, 5 }, l, c, t;

	cf_init();
	cf_need_own_netns();
	timestamps_on();
	flags(SOCK_DGRAM);
	flags(SOCK_STREAM);
	s = socket(AF_INET, SOCK_DGRAM, 0);
	v = (1 << 12);
	R("OPT_STATS alone", setsockopt(s, SOL_SOCKET, SO_TIMESTAMPING, &v, sizeof(v)));
	v = (1 << 12) | (1 << 11);
	R("OPT_STATS with OPT_TSONLY", setsockopt(s, SOL_SOCKET, SO_TIMESTAMPING, &v, sizeof(v)));
	v = (1 << 16) | (1 << 7);
	R("OPT_ID_TCP with OPT_ID", setsockopt(s, SOL_SOCKET, SO_TIMESTAMPING, &v, sizeof(v)));
	R("struct", setsockopt(s, SOL_SOCKET, SO_TIMESTAMPING, pair, sizeof(pair)));
	reads(s, "struct");
	R("6 bytes", setsockopt(s, SOL_SOCKET, SO_TIMESTAMPING, pair, 6));
	R("2 bytes", setsockopt(s, SOL_SOCKET, SO_TIMESTAMPING, pair, 2));
	close(s);

	s = socket(AF_INET, SOCK_DGRAM, 0);
	reads(s, "new");
	v = RX;
	setsockopt(s, SOL_SOCKET, SO_TIMESTAMPING_NEW, &v, sizeof(v));
	reads(s, "_NEW set");
	setsockopt(s, SOL_SOCKET, SO_TIMESTAMP_OLD, &one, sizeof(one));
	reads(s, "SO_TIMESTAMP_OLD on");
	setsockopt(s, SOL_SOCKET, SO_TIMESTAMPING_OLD, &v, sizeof(v));
	reads(s, "_OLD set");
	setsockopt(s, SOL_SOCKET, SO_TIMESTAMP_NEW, &one, sizeof(one));
	reads(s, "SO_TIMESTAMP_NEW on");
	v = 0;
	setsockopt(s, SOL_SOCKET, SO_TIMESTAMPING_OLD, &v, sizeof(v));
	reads(s, "_OLD 0");
	close(s);

	r = cf_lo_bound(AF_INET, SOCK_DGRAM, &a, &al);
	s = socket(AF_INET, SOCK_DGRAM, 0);
	v = RX;
	setsockopt(r, SOL_SOCKET, SO_TIMESTAMPING, &v, sizeof(v));
	sendto(s, "a", 1, 0, (struct sockaddr *)&a, al);
	cmsgs(r, "udp, RX_SOFTWARE|SOFTWARE");
	setsockopt(r, SOL_SOCKET, SO_TIMESTAMPING_NEW, &v, sizeof(v));
	sendto(s, "a", 1, 0, (struct sockaddr *)&a, al);
	cmsgs(r, "udp, _NEW");
	setsockopt(r, SOL_SOCKET, SO_TIMESTAMPNS, &one, sizeof(one));
	sendto(s, "a", 1, 0, (struct sockaddr *)&a, al);
	cmsgs(r, "udp, with SO_TIMESTAMPNS");
	v = SOF_TIMESTAMPING_SOFTWARE;
	setsockopt(r, SOL_SOCKET, SO_TIMESTAMPING, &v, sizeof(v));
	sendto(s, "a", 1, 0, (struct sockaddr *)&a, al);
	cmsgs(r, "udp, SOFTWARE and SO_TIMESTAMPNS");
	v = SOF_TIMESTAMPING_SOFTWARE | (1 << 17);
	setsockopt(r, SOL_SOCKET, SO_TIMESTAMPING, &v, sizeof(v));
	sendto(s, "a", 1, 0, (struct sockaddr *)&a, al);
	cmsgs(r, "udp, SOFTWARE|OPT_RX_FILTER and SO_TIMESTAMPNS");
	close(r);
	close(s);

	l = cf_lo_bound(AF_INET, SOCK_STREAM, &a, &al);
	c = socket(AF_INET, SOCK_STREAM, 0);
	v = SOF_TIMESTAMPING_OPT_ID;
	R("tcp OPT_ID unconnected", setsockopt(c, SOL_SOCKET, SO_TIMESTAMPING, &v, sizeof(v)));
	connect(c, (struct sockaddr *)&a, al);
	R("tcp OPT_ID connected", setsockopt(c, SOL_SOCKET, SO_TIMESTAMPING, &v, sizeof(v)));
	t = accept(l, NULL, NULL);
	v = RX;
	setsockopt(t, SOL_SOCKET, SO_TIMESTAMPING, &v, sizeof(v));
	send(c, "x", 1, 0);
	cmsgs(t, "tcp, RX_SOFTWARE|SOFTWARE");
	return 0;
}
