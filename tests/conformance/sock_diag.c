/* NETLINK_SOCK_DIAG as ss uses it: SOCK_DIAG_BY_FAMILY dumps of TCP and UDP sockets (states,
 * ports, queues of a listener and of a connection with unread bytes, the attributes idiag_ext
 * asks for), the states filter, a bytecode filter and malformed programs, exact lookups (found,
 * ENOENT, ESTALE for another cookie), unix sockets (name, peer, queue lengths, lookup by
 * inode), a dump too large for one datagram read through MSG_PEEK|MSG_TRUNC, and the errors
 * for bad requests. The host has other sockets: only ours (their ports, names) are printed. */
#include "cf.h"
#include <arpa/inet.h>
#include <linux/inet_diag.h>
#include <linux/netlink.h>
#include <linux/netlink_diag.h>
#include <linux/sock_diag.h>
#include <linux/unix_diag.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <stddef.h>
#include <sys/un.h>

#define PORT 23341 /* PORT..PORT+5, below the ephemeral range: a host socket of the native run cannot take them */
#define NUNIX 60

static int nl;
static unsigned self_port;         /* nl's port id */
static unsigned seq = 100;

/* Sends a request: header type/flags, then body (blen) and an attribute (atype, alen). */
static void
req(int type, int flags, const void *body, size_t blen, int atype, const void *attr, size_t alen)
{
	char b[1024] = { 0 };
	struct nlmsghdr *h = (struct nlmsghdr *)b;

	h->nlmsg_len = NLMSG_LENGTH(blen);
	h->nlmsg_type = (unsigned short)type;
	h->nlmsg_flags = (unsigned short)(NLM_F_REQUEST | flags);
	h->nlmsg_seq = ++seq;
	memcpy(NLMSG_DATA(h), body, blen);
	if (attr) {
		struct nlattr *a = (struct nlattr *)(b + NLMSG_ALIGN(h->nlmsg_len));

		a->nla_type = (unsigned short)atype;
		a->nla_len = (unsigned short)(NLA_HDRLEN + alen);
		memcpy(a + 1, attr, alen);
		h->nlmsg_len = NLMSG_ALIGN(h->nlmsg_len) + NLA_ALIGN(a->nla_len);
	}
	if (send(nl, b, h->nlmsg_len, 0) < 0)
		printf("send: %s\n", en(errno));
}

static int
ours(int port)
{
	return port >= PORT && port < PORT + 6;
}

static const char *
attrs_of(const struct nlmsghdr *h, size_t fixed, int want, int *val)
{
	static char s[128];
	int len = (int)h->nlmsg_len - (int)NLMSG_LENGTH(fixed);
	const struct nlattr *a = (const void *)((const char *)NLMSG_DATA(h) + fixed);

	s[0] = 0;
	while (len >= NLA_HDRLEN && a->nla_len >= NLA_HDRLEN && a->nla_len <= len) {
		if (a->nla_type == want && val)
			*val = *(const unsigned char *)(a + 1);
		snprintf(s + strlen(s), sizeof(s) - strlen(s), "%s%d", s[0] ? "," : "",
			 a->nla_type);
		len -= NLA_ALIGN(a->nla_len);
		a = (const void *)((const char *)a + NLA_ALIGN(a->nla_len));
	}
	return s;
}

/* Reads answers until NLMSG_DONE or an error (or one message for a lookup, with then the
 * ack if asked); prints our sockets in sorted order. Returns how many messages were ours. */
static int
answers(const char *label, int more, unsigned *cookie)
{
	static char lines[256][160];
	int nl_lines = 0, count = 0, datagrams = 0;
	char buf[65536];

	for (;;) {
		ssize_t n = recv(nl, buf, sizeof(buf), 0);
		int done = 0;

		if (n <= 0) {
			printf("%s: recv %s\n", label, n < 0 ? en(errno) : "0");
			break;
		}
		datagrams++;
		for (struct nlmsghdr *h = (void *)buf; NLMSG_OK(h, n); h = NLMSG_NEXT(h, n)) {
			if (h->nlmsg_seq != seq)
				printf("%s: seq %u not %u\n", label, h->nlmsg_seq, seq);
			if (h->nlmsg_type == NLMSG_DONE) {
				printf("%s: done %d flags %#x\n", label, *(int *)NLMSG_DATA(h),
				       h->nlmsg_flags);
				done = 1;
				break;
			}
			if (h->nlmsg_type == NLMSG_ERROR) {
				int e = ((struct nlmsgerr *)NLMSG_DATA(h))->error;

				printf("%s: error %s\n", label, e ? en(-e) : "0 (ack)");
				done = 1;
				break;
			}
			if (!(h->nlmsg_flags & NLM_F_MULTI))
				more--;
			unsigned char fam = *(unsigned char *)NLMSG_DATA(h);
			char *l = lines[nl_lines < 255 ? nl_lines : 255];

			if (fam == AF_NETLINK) {
				struct netlink_diag_msg *m = NLMSG_DATA(h);

				if (m->ndiag_protocol != NETLINK_SOCK_DIAG ||
				    (m->ndiag_portid && m->ndiag_portid != self_port))
					continue;
				count++;
				snprintf(l, 160, "  netlink type %d proto %d state %d %s ino %s attrs %s",
					 m->ndiag_type, m->ndiag_protocol, m->ndiag_state,
					 m->ndiag_portid ? "self" : "kernel",
					 m->ndiag_ino ? "yes" : "no",
					 attrs_of(h, sizeof(*m), -1, NULL));
			} else if (fam == AF_UNIX) {
				struct unix_diag_msg *m = NLMSG_DATA(h);
				int shut = -1;
				const char *at = attrs_of(h, sizeof(*m), UNIX_DIAG_SHUTDOWN, &shut);
				const struct nlattr *a = (const void *)(m + 1);

				if (a->nla_type != UNIX_DIAG_NAME ||
				    memcmp((char *)(a + 1) + 1, "cf-diag-", 8))
					continue;
				count++;
				snprintf(l, 160, "  unix type %d state %d name %.*s attrs %s",
					 m->udiag_type, m->udiag_state, a->nla_len - NLA_HDRLEN - 1,
					 (char *)(a + 1) + 1, at);
			} else {
				struct inet_diag_msg *m = NLMSG_DATA(h);
				int sp = ntohs(m->id.idiag_sport), dp = ntohs(m->id.idiag_dport);
				int shut = -1;
				const char *at = attrs_of(h, sizeof(*m), INET_DIAG_SHUTDOWN, &shut);

				if (!ours(sp))
					continue;
				count++;
				if (cookie)
					*cookie = m->id.idiag_cookie[0];
				if (m->idiag_state == TCP_FIN_WAIT1) { /* until the delayed ACK */
					m->idiag_state = TCP_FIN_WAIT2;
					m->idiag_wqueue = 0;
					m->idiag_timer = 0;
				}
				snprintf(l, 160, "  fam %d state %d %d->%d rq %u wq %u timer %d "
					 "ino %s shut %d type %d flags %#x attrs %s",
					 m->idiag_family, m->idiag_state, sp, ours(dp) ? dp : 0,
					 m->idiag_rqueue, m->idiag_wqueue, m->idiag_timer,
					 m->idiag_inode ? "yes" : "no", shut, h->nlmsg_type,
					 h->nlmsg_flags, at);
			}
			if (nl_lines < 255)
				nl_lines++;
		}
		if (done || more <= 0)
			break;
	}
	qsort(lines, nl_lines, sizeof(lines[0]), (int (*)(const void *, const void *))strcmp);
	if (nl_lines <= 12)
		for (int i = 0; i < nl_lines; i++)
			printf("%s\n", lines[i]);
	printf("%s: %d ours\n", label, count);
	(void)datagrams;
	return count;
}

static void
inet_req(int family, int proto, unsigned states, int ext, int flags, const struct inet_diag_sockid *id,
	 const void *bc, size_t bclen)
{
	struct inet_diag_req_v2 r = { .sdiag_family = (unsigned char)family,
				      .sdiag_protocol = (unsigned char)proto,
				      .idiag_ext = (unsigned char)ext, .idiag_states = states };

	if (id)
		r.id = *id;
	req(SOCK_DIAG_BY_FAMILY, flags, &r, sizeof(r), INET_DIAG_REQ_BYTECODE, bc, bclen);
}

static int
tcp_listen(int port, int backlog)
{
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons(port),
				 .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	int s = socket(AF_INET, SOCK_STREAM, 0), one = 1;

	setsockopt(s, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (bind(s, (void *)&a, sizeof(a)) || listen(s, backlog))
		printf("listen %d: %s\n", port, en(errno));
	return s;
}

static int
tcp_connect(int from, int to)
{
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons(from),
				 .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	struct linger lg = { 1, 0 };
	int s = socket(AF_INET, SOCK_STREAM, 0), one = 1;

	setsockopt(s, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	setsockopt(s, SOL_SOCKET, SO_LINGER, &lg, sizeof(lg)); /* no TIME_WAIT after */
	bind(s, (void *)&a, sizeof(a));
	a.sin_port = htons(to);
	if (connect(s, (void *)&a, sizeof(a)))
		printf("connect %d: %s\n", to, en(errno));
	return s;
}

static void
inet_tests(void)
{
	int l1 = tcp_listen(PORT, 7), l2 = tcp_listen(PORT + 1, 3);
	int c1 = tcp_connect(PORT + 2, PORT), c2 = tcp_connect(PORT + 3, PORT);
	int a1 = accept(l1, NULL, NULL);
	struct linger lg = { 1, 0 };
	struct sockaddr_in ua = { .sin_family = AF_INET, .sin_port = htons(PORT + 4),
				  .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	int u1 = socket(AF_INET, SOCK_DGRAM, 0), u2 = socket(AF_INET, SOCK_DGRAM, 0);
	unsigned cookie = 0;

	setsockopt(a1, SOL_SOCKET, SO_LINGER, &lg, sizeof(lg));
	if (write(c1, "hello", 5) != 5)
		printf("write: %s\n", en(errno));
	shutdown(c2, SHUT_WR);
	bind(u1, (void *)&ua, sizeof(ua));
	ua.sin_port = htons(PORT + 5);
	bind(u2, (void *)&ua, sizeof(ua));
	ua.sin_port = htons(PORT + 4);
	connect(u2, (void *)&ua, sizeof(ua));

	inet_req(AF_INET, IPPROTO_TCP, ~0U, 0, NLM_F_DUMP, NULL, NULL, 0);
	answers("tcp all", 1, NULL);
	inet_req(AF_INET, IPPROTO_TCP, 1 << TCP_LISTEN, 0, NLM_F_DUMP, NULL, NULL, 0);
	answers("tcp listen", 1, NULL);
	inet_req(AF_INET, IPPROTO_TCP, ~0U & ~(1 << TCP_LISTEN), 0, NLM_F_DUMP, NULL, NULL, 0);
	answers("tcp not listen", 1, NULL);
	inet_req(AF_INET6, IPPROTO_TCP, ~0U, 0, NLM_F_DUMP, NULL, NULL, 0);
	answers("tcp6", 1, NULL);
	inet_req(AF_INET, IPPROTO_TCP, 1 << TCP_LISTEN, (1 << (INET_DIAG_INFO - 1)) |
		 (1 << (INET_DIAG_MEMINFO - 1)) | (1 << (INET_DIAG_SKMEMINFO - 1)) |
		 (1 << (INET_DIAG_TOS - 1)), NLM_F_DUMP, NULL, NULL, 0);
	answers("tcp ext", 1, NULL);
	inet_req(AF_INET, IPPROTO_UDP, ~0U, 0, NLM_F_DUMP, NULL, NULL, 0);
	answers("udp all", 1, NULL);
	inet_req(AF_INET, IPPROTO_UDP, 1 << TCP_ESTABLISHED, 0, NLM_F_DUMP, NULL, NULL, 0);
	answers("udp established", 1, NULL);

	/* the id's ports filter dumps too */
	struct inet_diag_sockid id = { .idiag_sport = htons(PORT), .idiag_cookie = {
					       INET_DIAG_NOCOOKIE, INET_DIAG_NOCOOKIE } };
	inet_req(AF_INET, IPPROTO_TCP, ~0U, 0, NLM_F_DUMP, &id, NULL, 0);
	answers("tcp sport", 1, NULL);

	/* bytecode: sport >= PORT+1 (then the port in a second op) */
	struct inet_diag_bc_op ge[2] = { { INET_DIAG_BC_S_GE, 8, 12 }, { 0, 0, PORT + 1 } };
	inet_req(AF_INET, IPPROTO_TCP, ~0U, 0, NLM_F_DUMP, NULL, ge, sizeof(ge));
	answers("bc sport>=", 1, NULL);
	/* dport <= PORT (listeners have dport 0) and not AUTO (all bound explicitly) */
	struct inet_diag_bc_op le[3] = { { INET_DIAG_BC_D_LE, 8, 16 }, { 0, 0, PORT },
					 { INET_DIAG_BC_AUTO, 8, 4 } };
	inet_req(AF_INET, IPPROTO_TCP, ~0U, 0, NLM_F_DUMP, NULL, le, sizeof(le));
	answers("bc dport<= auto", 1, NULL);
	/* a source address condition: 127.0.0.0/8 port PORT+2 */
	struct {
		struct inet_diag_bc_op op;
		struct inet_diag_hostcond c;
		uint32_t addr;
	} hc = { { INET_DIAG_BC_S_COND, 16, 20 }, { AF_INET, 8, PORT + 2 }, htonl(0x7f000000) };
	inet_req(AF_INET, IPPROTO_TCP, ~0U, 0, NLM_F_DUMP, NULL, &hc, sizeof(hc));
	answers("bc src cond", 1, NULL);
	/* malformed programs */
	struct inet_diag_bc_op bad1[1] = { { 99, 4, 8 } };
	inet_req(AF_INET, IPPROTO_TCP, ~0U, 0, NLM_F_DUMP, NULL, bad1, sizeof(bad1));
	answers("bc bad code", 1, NULL);
	struct inet_diag_bc_op bad2[1] = { { INET_DIAG_BC_S_GE, 8, 12 } };
	inet_req(AF_INET, IPPROTO_TCP, ~0U, 0, NLM_F_DUMP, NULL, bad2, sizeof(bad2));
	answers("bc truncated", 1, NULL);
	struct inet_diag_bc_op bad3[2] = { { INET_DIAG_BC_NOP, 6, 0 }, { INET_DIAG_BC_NOP, 4, 0 } };
	inet_req(AF_INET, IPPROTO_TCP, ~0U, 0, NLM_F_DUMP, NULL, bad3, sizeof(bad3));
	answers("bc unaligned", 1, NULL);
	struct inet_diag_bc_op bad4[2] = { { INET_DIAG_BC_JMP, 4, 40 }, { INET_DIAG_BC_NOP, 4, 0 } };
	inet_req(AF_INET, IPPROTO_TCP, ~0U, 0, NLM_F_DUMP, NULL, bad4, sizeof(bad4));
	answers("bc jump out", 1, NULL);
	struct inet_diag_bc_op bad5[1] = { { INET_DIAG_BC_NOP, 4, 0 } };
	inet_req(AF_INET, IPPROTO_TCP, ~0U, 0, NLM_F_DUMP, NULL, bad5, 2);
	answers("bc short", 1, NULL);
	struct {
		struct inet_diag_bc_op op;
		struct inet_diag_hostcond c;
		uint32_t addr;
	} hb = { { INET_DIAG_BC_S_COND, 16, 20 }, { AF_INET, 33, -1 }, 0 };
	inet_req(AF_INET, IPPROTO_TCP, ~0U, 0, NLM_F_DUMP, NULL, &hb, sizeof(hb));
	answers("bc prefix too long", 1, NULL);

	/* exact lookups */
	struct inet_diag_sockid ex = { .idiag_sport = htons(PORT + 2), .idiag_dport = htons(PORT),
				       .idiag_cookie = { INET_DIAG_NOCOOKIE, INET_DIAG_NOCOOKIE } };
	ex.idiag_src[0] = ex.idiag_dst[0] = htonl(INADDR_LOOPBACK);
	inet_req(AF_INET, IPPROTO_TCP, ~0U, 0, 0, &ex, NULL, 0);
	answers("exact conn", 1, &cookie);
	ex.idiag_cookie[0] = cookie;
	ex.idiag_cookie[1] = 0;
	inet_req(AF_INET, IPPROTO_TCP, ~0U, 0, NLM_F_ACK, &ex, NULL, 0);
	answers("exact cookie+ack", 2, NULL);
	ex.idiag_cookie[0] = cookie + 1;
	inet_req(AF_INET, IPPROTO_TCP, ~0U, 0, 0, &ex, NULL, 0);
	answers("exact other cookie", 1, NULL);
	struct inet_diag_sockid lx = { .idiag_sport = htons(PORT + 1),
				       .idiag_cookie = { INET_DIAG_NOCOOKIE, INET_DIAG_NOCOOKIE } };
	lx.idiag_src[0] = htonl(INADDR_LOOPBACK);
	inet_req(AF_INET, IPPROTO_TCP, ~0U, 0, 0, &lx, NULL, 0);
	answers("exact listener", 1, &cookie);
	uint64_t so_cookie = 0;
	socklen_t clen = sizeof(so_cookie);
	OK("SO_COOKIE", getsockopt(l2, SOL_SOCKET, SO_COOKIE, &so_cookie, &clen));
	YN("SO_COOKIE: the one sock_diag shows", (uint32_t)so_cookie == cookie && clen == 8);
	clen = 4;
	OK("SO_COOKIE in 4 bytes", getsockopt(l2, SOL_SOCKET, SO_COOKIE, &so_cookie, &clen));
	lx.idiag_sport = htons(PORT + 9);
	inet_req(AF_INET, IPPROTO_TCP, ~0U, 0, 0, &lx, NULL, 0);
	answers("exact absent", 1, NULL);

	/* UDP lookups name the socket by the id's destination ("historical reasons") */
	struct inet_diag_sockid ux = { .idiag_dport = htons(PORT + 4),
				       .idiag_cookie = { INET_DIAG_NOCOOKIE, INET_DIAG_NOCOOKIE } };
	ux.idiag_dst[0] = htonl(INADDR_LOOPBACK);
	inet_req(AF_INET, IPPROTO_UDP, ~0U, 0, 0, &ux, NULL, 0);
	answers("udp exact by dst", 1, &cookie);
	ux.idiag_cookie[0] = cookie + 1;
	ux.idiag_cookie[1] = 0;
	inet_req(AF_INET, IPPROTO_UDP, ~0U, 0, 0, &ux, NULL, 0);
	answers("udp exact other cookie", 1, NULL);
	struct inet_diag_sockid us = { .idiag_sport = htons(PORT + 4),
				       .idiag_cookie = { INET_DIAG_NOCOOKIE, INET_DIAG_NOCOOKIE } };
	us.idiag_src[0] = htonl(INADDR_LOOPBACK);
	inet_req(AF_INET, IPPROTO_UDP, ~0U, 0, 0, &us, NULL, 0);
	answers("udp exact by src", 1, NULL);
	struct inet_diag_sockid uc = { .idiag_sport = htons(PORT + 4), .idiag_dport = htons(PORT + 5),
				       .idiag_cookie = { INET_DIAG_NOCOOKIE, INET_DIAG_NOCOOKIE } };
	uc.idiag_src[0] = uc.idiag_dst[0] = htonl(INADDR_LOOPBACK);
	inet_req(AF_INET, IPPROTO_UDP, ~0U, 0, 0, &uc, NULL, 0);
	answers("udp exact connected", 1, NULL);

	/* bad requests */
	inet_req(AF_INET, IPPROTO_TCP, ~0U, 0, NLM_F_DUMP, NULL, NULL, 0);
	answers("dump again", 1, NULL);
	req(SOCK_DIAG_BY_FAMILY, NLM_F_DUMP, "\2\6", 2, 0, NULL, 0);
	answers("short inet request", 1, NULL);
	req(SOCK_DIAG_BY_FAMILY, NLM_F_DUMP, "\2", 1, 0, NULL, 0);
	answers("one byte", 1, NULL);
	req(SOCK_DIAG_BY_FAMILY, NLM_F_DUMP, "\377\6", 2, 0, NULL, 0);
	answers("family 255", 1, NULL);
	req(SOCK_DIAG_BY_FAMILY, NLM_F_DUMP, "\0\6", 2, 0, NULL, 0);
	answers("family unspec", 1, NULL);
	req(77, NLM_F_DUMP, "\2\6", 2, 0, NULL, 0);
	answers("type 77", 1, NULL);
	req(NLMSG_NOOP, NLM_F_ACK, "", 0, 0, NULL, 0);
	answers("noop ack", 1, NULL);
	uint32_t proto = IPPROTO_TCP;
	struct inet_diag_req_v2 rp = { .sdiag_family = AF_INET, .sdiag_protocol = 200,
				       .idiag_states = 1 << TCP_LISTEN };
	req(SOCK_DIAG_BY_FAMILY, NLM_F_DUMP, &rp, sizeof(rp), INET_DIAG_REQ_PROTOCOL, &proto, 4);
	answers("protocol attr", 1, NULL);
	req(SOCK_DIAG_BY_FAMILY, NLM_F_DUMP, &rp, sizeof(rp), INET_DIAG_REQ_PROTOCOL, &proto, 2);
	answers("protocol attr short", 1, NULL);
	inet_req(AF_INET, IPPROTO_SCTP, ~0U, 0, NLM_F_DUMP, NULL, NULL, 0);
	answers("no such protocol", 1, NULL);
	inet_req(AF_INET, IPPROTO_SCTP, ~0U, 0, 0, &lx, NULL, 0);
	answers("no such protocol exact", 1, NULL);
	/* the old request (struct inet_diag_req, TCPDIAG_GETSOCK): both families, TCP */
	struct inet_diag_req old = { .idiag_family = AF_INET, .idiag_states = 1 << TCP_LISTEN };
	req(TCPDIAG_GETSOCK, NLM_F_DUMP, &old, sizeof(old), 0, NULL, 0);
	answers("tcpdiag dump", 1, NULL);
	req(TCPDIAG_GETSOCK, NLM_F_DUMP, &old, sizeof(old) - 4, 0, NULL, 0);
	answers("tcpdiag short", 1, NULL);
	req(19, NLM_F_DUMP, &old, sizeof(old), 0, NULL, 0);
	answers("dccpdiag", 1, NULL);

	close(a1);
	close(c1);
	close(c2);
	close(l1);
	close(l2);
	close(u1);
	close(u2);
}

static int
unix_sock(int type, const char *name)
{
	struct sockaddr_un a = { .sun_family = AF_UNIX };
	int s = socket(AF_UNIX, type, 0);

	snprintf(a.sun_path + 1, sizeof(a.sun_path) - 1, "cf-diag-%s", name);
	if (bind(s, (void *)&a, offsetof(struct sockaddr_un, sun_path) + 1 + strlen(a.sun_path + 1)))
		printf("bind %s: %s\n", name, en(errno));
	return s;
}

static void
unix_req(unsigned states, unsigned show, int flags, unsigned ino)
{
	struct unix_diag_req r = { .sdiag_family = AF_UNIX, .udiag_states = states,
				   .udiag_ino = ino, .udiag_show = show,
				   .udiag_cookie = { INET_DIAG_NOCOOKIE, INET_DIAG_NOCOOKIE } };

	req(SOCK_DIAG_BY_FAMILY, flags, &r, sizeof(r), 0, NULL, 0);
}

/* Two unix dumps in one send, then a third: the later ones are EBUSY while the first runs,
 * and their errors come before its NLMSG_DONE. */
static void
busy_dumps(void)
{
	struct {
		struct nlmsghdr h;
		struct unix_diag_req r;
	} q[2];
	char buf[65536];
	int done = 0;

	memset(q, 0, sizeof(q));
	for (int i = 0; i < 2; i++) {
		q[i].h.nlmsg_len = sizeof(q[i]);
		q[i].h.nlmsg_type = SOCK_DIAG_BY_FAMILY;
		q[i].h.nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP;
		q[i].h.nlmsg_seq = 500 + i;
		q[i].r.sdiag_family = AF_UNIX;
		q[i].r.udiag_states = ~0U;
	}
	send(nl, q, sizeof(q), 0);
	q[0].h.nlmsg_seq = 502;
	send(nl, q, sizeof(q[0]), 0);
	while (!done) {
		ssize_t n = recv(nl, buf, sizeof(buf), 0);

		if (n <= 0)
			break;
		for (struct nlmsghdr *h = (void *)buf; NLMSG_OK(h, n); h = NLMSG_NEXT(h, n)) {
			if (h->nlmsg_type == NLMSG_ERROR)
				printf("busy: seq %u error %s\n", h->nlmsg_seq,
				       en(-((struct nlmsgerr *)NLMSG_DATA(h))->error));
			if (h->nlmsg_type == NLMSG_DONE) {
				printf("busy: seq %u done\n", h->nlmsg_seq);
				done = 1;
			}
		}
	}
	unix_req(1 << TCP_LISTEN, UDIAG_SHOW_NAME, NLM_F_DUMP, 0);
	answers("dump after that", 1, NULL);
}

static void
unix_tests(void)
{
	int l = unix_sock(SOCK_STREAM, "listen"), d = unix_sock(SOCK_DGRAM, "dgram");
	int c = socket(AF_UNIX, SOCK_STREAM, 0), many[NUNIX];
	struct sockaddr_un a = { .sun_family = AF_UNIX };
	struct stat st;
	char name[32];

	listen(l, 4);
	snprintf(a.sun_path + 1, sizeof(a.sun_path) - 1, "cf-diag-listen");
	connect(c, (void *)&a, offsetof(struct sockaddr_un, sun_path) + 15);
	unix_req(~0U, UDIAG_SHOW_NAME | UDIAG_SHOW_RQLEN, NLM_F_DUMP, 0);
	answers("unix all", 1, NULL);
	busy_dumps();
	unix_req(1 << TCP_LISTEN, UDIAG_SHOW_NAME | UDIAG_SHOW_RQLEN | UDIAG_SHOW_ICONS, NLM_F_DUMP, 0);
	answers("unix listen", 1, NULL);
	unix_req(1 << TCP_CLOSE, UDIAG_SHOW_NAME | UDIAG_SHOW_PEER | UDIAG_SHOW_UID |
		 UDIAG_SHOW_MEMINFO, NLM_F_DUMP, 0);
	answers("unix close", 1, NULL);
	fstat(l, &st);
	unix_req(~0U, UDIAG_SHOW_NAME | UDIAG_SHOW_RQLEN, 0, (unsigned)st.st_ino);
	answers("unix exact", 1, NULL);
	unix_req(~0U, UDIAG_SHOW_NAME, 0, 0);
	answers("unix ino 0", 1, NULL);
	unix_req(~0U, UDIAG_SHOW_NAME, 0, 0xfffffff0U);
	answers("unix ino absent", 1, NULL);
	req(SOCK_DIAG_BY_FAMILY, NLM_F_DUMP, "\1\0\0\0\377\377\377\377", 8, 0, NULL, 0);
	answers("unix short", 1, NULL);

	/* many sockets: several datagrams; the first sized with MSG_PEEK|MSG_TRUNC */
	for (int i = 0; i < NUNIX; i++) {
		snprintf(name, sizeof(name), "many-%02d", i);
		many[i] = unix_sock(SOCK_DGRAM, name);
	}
	unix_req(~0U, UDIAG_SHOW_NAME | UDIAG_SHOW_VFS | UDIAG_SHOW_PEER, NLM_F_DUMP, 0);
	char small[64];
	struct iovec iov = { small, sizeof(small) };
	struct msghdr mh = { .msg_iov = &iov, .msg_iovlen = 1 };
	ssize_t full = recvmsg(nl, &mh, MSG_PEEK | MSG_TRUNC);
	YN("peek: whole datagram length", full > (ssize_t)sizeof(small));
	YN("peek: MSG_TRUNC", (mh.msg_flags & MSG_TRUNC) != 0);
	YN("peek: header there", ((struct nlmsghdr *)small)->nlmsg_seq == seq);
	answers("unix many", 1, NULL);
	for (int i = 0; i < NUNIX; i++)
		close(many[i]);
	close(c);
	close(l);
	close(d);
}

static void
netlink_tests(void)
{
	struct netlink_diag_req r = { .sdiag_family = AF_NETLINK,
				      .sdiag_protocol = NETLINK_SOCK_DIAG,
				      .ndiag_show = NDIAG_SHOW_MEMINFO | NDIAG_SHOW_FLAGS };
	struct sockaddr_nl me;
	socklen_t len = sizeof(me);

	getsockname(nl, (void *)&me, &len); /* bound by the first request */
	self_port = me.nl_pid;
	req(SOCK_DIAG_BY_FAMILY, NLM_F_DUMP, &r, sizeof(r), 0, NULL, 0);
	answers("netlink sock_diag", 1, NULL);
	r.sdiag_protocol = NDIAG_PROTO_ALL;
	r.ndiag_show = 0;
	req(SOCK_DIAG_BY_FAMILY, NLM_F_DUMP, &r, sizeof(r), 0, NULL, 0);
	answers("netlink all", 1, NULL);
	r.sdiag_protocol = 40;
	req(SOCK_DIAG_BY_FAMILY, NLM_F_DUMP, &r, sizeof(r), 0, NULL, 0);
	answers("netlink protocol 40", 1, NULL);
	req(SOCK_DIAG_BY_FAMILY, 0, &r, sizeof(r), 0, NULL, 0);
	answers("netlink not a dump", 1, NULL);
	req(SOCK_DIAG_BY_FAMILY, NLM_F_DUMP, &r, sizeof(r) - 1, 0, NULL, 0);
	answers("netlink short", 1, NULL);
	r.sdiag_family = AF_PACKET;
	req(SOCK_DIAG_BY_FAMILY, NLM_F_DUMP, &r, sizeof(r), 0, NULL, 0);
	answers("packet protocol 40", 1, NULL);
	r.sdiag_protocol = 0;
	req(SOCK_DIAG_BY_FAMILY, NLM_F_DUMP, &r, sizeof(r), 0, NULL, 0);
	answers("packet dump", 1, NULL);
	req(SOCK_DIAG_BY_FAMILY, 0, &r, sizeof(r), 0, NULL, 0);
	answers("packet not a dump", 1, NULL);
	req(SOCK_DIAG_BY_FAMILY, NLM_F_DUMP, &r, 8, 0, NULL, 0);
	answers("packet short", 1, NULL);
}

int
main(void)
{
	cf_own_netns(); /* natively: no host socket on our ports, no host unix socket listed */
	FD("socket NETLINK_SOCK_DIAG", nl = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC,
						   NETLINK_SOCK_DIAG));
	if (nl < 0)
		return 1;
	FD("socket dgram", socket(AF_NETLINK, SOCK_DGRAM, NETLINK_SOCK_DIAG));
	inet_tests();
	unix_tests();
	netlink_tests();
	return 0;
}
