/*
 * NETLINK_SOCK_DIAG: the answers Linux's sock_diag gives (net/core/sock_diag.c,
 * net/ipv4/inet_diag.c, tcp_diag.c, udp_diag.c, net/unix/diag.c), from the sockets
 * fs/socket.c describes (sock_diag_foreach).
 *
 * A dump (NLM_F_DUMP) answers with one message per socket that passes the request's
 * filters (states, ports, the bytecode), NLM_F_MULTI, in datagrams of at most
 * DIAG_GOODSIZE bytes, then NLMSG_DONE in a datagram of its own (as netlink_dump sends
 * them). Without NLM_F_DUMP the request names one socket (inet: its addresses and ports;
 * unix: its inode) and gets one message, or an error (ENOENT, ESTALE for a cookie that is
 * not the socket's).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <arpa/inet.h>
#include <linux/netlink.h>
#include <linux/sock_diag.h>
#include <linux/inet_diag.h>
#include <linux/netlink_diag.h>
#include <linux/unix_diag.h>

#include "net/diag.h"
#include "sentry/util.h"

#define DIAG_GOODSIZE 3776        /* NLMSG_GOODSIZE with 4 KiB pages */
#define DIAG_AF_MAX 46            /* AF_MAX: larger families are EINVAL */
#define DIAG_COMPAT_REQLEN 60     /* struct inet_diag_req (TCPDIAG_GETSOCK) */
#define SOCK_BINDPORT_LOCK 8
#define TCPF(st) (1U << (st))

/* The answer being built: the current message (msg) and the datagram it goes into. */
struct dreply {
	struct task *t;
	const struct nlmsghdr *req;
	uint32_t portid;
	bool net_admin;
	bool busy;                /* a dump is running: netlink_dump_start says EBUSY */
	diag_emit_fn emit;
	void *arg;
	char *dgram;
	size_t dlen;
	char msg[DIAG_GOODSIZE];  /* one socket's message never needs more */
	size_t mlen;
};

/* What a dump or lookup asks for (inet_diag_req_v2 or unix_diag_req, decoded). */
struct dquery {
	int family;               /* AF_UNSPEC: both inet families (TCPDIAG_GETSOCK dumps) */
	int protocol;
	unsigned ext, states, show;
	struct inet_diag_sockid id;
	uint32_t ino, cookie[2];
	const unsigned char *bc;  /* INET_DIAG_REQ_BYTECODE, audited */
	int bclen;
	int phase;                /* TCP dumps: listeners first (0), then the rest (1) */
	int found;                /* lookups: -ENOENT, -ESTALE or 0 when answered */
	bool stop;                /* lookups: the socket was found (answered or not) */
};

/* What the sock_diag_foreach callbacks get. */
struct dctx {
	struct dreply *r;
	struct dquery *q;
};

/* ---- building messages ---- */

static void *
msg_put(struct dreply *r, size_t n)
{
	void *p;

	if (r->mlen + NLMSG_ALIGN(n) > sizeof(r->msg))
		return NULL;
	p = r->msg + r->mlen;
	memset(p, 0, NLMSG_ALIGN(n));
	r->mlen += NLMSG_ALIGN(n);
	return p;
}

static void *
msg_begin(struct dreply *r, int type, int flags, size_t payload)
{
	struct nlmsghdr *h;

	r->mlen = 0;
	h = msg_put(r, NLMSG_LENGTH(payload));
	h->nlmsg_type = type;
	h->nlmsg_flags = flags;
	h->nlmsg_seq = r->req->nlmsg_seq;
	h->nlmsg_pid = r->portid;
	return NLMSG_DATA(h);
}

static void
attr(struct dreply *r, int type, const void *data, size_t n)
{
	struct nlattr *a = msg_put(r, NLA_HDRLEN + n);

	if (!a)
		return;
	a->nla_type = type;
	a->nla_len = NLA_HDRLEN + n;
	if (n)
		memcpy((char *)a + NLA_HDRLEN, data, n);
}

static void
attr_u8(struct dreply *r, int type, unsigned v)
{
	uint8_t b = v;

	attr(r, type, &b, 1);
}

static void
attr_u32(struct dreply *r, int type, uint32_t v)
{
	attr(r, type, &v, 4);
}

static void
flush(struct dreply *r)
{
	if (r->dlen)
		r->emit(r->arg, steal_ptr(&r->dgram), r->dlen);
	r->dlen = 0;
}

/* The message built goes into the datagram (a full one goes first). */
static void
msg_end(struct dreply *r)
{
	((struct nlmsghdr *)r->msg)->nlmsg_len = r->mlen;
	if (r->dlen && r->dlen + r->mlen > DIAG_GOODSIZE)
		flush(r);
	if (!r->dgram)
		r->dgram = xmalloc(DIAG_GOODSIZE > r->mlen ? DIAG_GOODSIZE : r->mlen);
	memcpy(r->dgram + r->dlen, r->msg, r->mlen);
	r->dlen += r->mlen;
}

/* The end of a dump: what is left, then NLMSG_DONE (carrying err) alone. */
static int
dump_done(struct dreply *r, int err)
{
	int *e;

	flush(r);
	e = msg_begin(r, NLMSG_DONE, NLM_F_MULTI, sizeof(int));
	*e = err;
	msg_end(r);
	flush(r);
	return 1;
}

/* ---- the bytecode (INET_DIAG_REQ_BYTECODE): inet_diag_bc_audit, inet_diag_bc_run ---- */

static bool
bc_valid_cc(const unsigned char *bc, int len, int cc)
{
	while (len >= 0) {
		struct inet_diag_bc_op op;

		if (cc > len)
			return false;
		if (cc == len)
			return true;
		memcpy(&op, bc, sizeof(op));
		if (op.yes < 4 || (op.yes & 3))
			return false;
		len -= op.yes;
		bc += op.yes;
	}
	return false;
}

static bool
bc_valid_hostcond(const unsigned char *bc, int len, int *min_len)
{
	struct inet_diag_hostcond c;
	int alen;

	*min_len += sizeof(c);
	if (len < *min_len)
		return false;
	memcpy(&c, bc + sizeof(struct inet_diag_bc_op), sizeof(c));
	if (c.family == AF_UNSPEC)
		alen = 0;
	else if (c.family == AF_INET)
		alen = 4;
	else if (c.family == AF_INET6)
		alen = 16;
	else
		return false;
	*min_len += alen;
	return len >= *min_len && c.prefix_len <= 8 * alen;
}

/* 0, or -EINVAL for a program that could run off its end (or -EPERM: a mark test). */
static int
bc_audit(const unsigned char *bc, int bclen, bool net_admin)
{
	const unsigned char *p = bc;
	int len = bclen;

	if (bclen < (int)sizeof(struct inet_diag_bc_op))
		return -EINVAL;
	while (len > 0) {
		int min_len = sizeof(struct inet_diag_bc_op);
		struct inet_diag_bc_op op;

		if (len < min_len)
			return -EINVAL; /* Linux reads the op anyway; attributes are 4-aligned */
		memcpy(&op, p, sizeof(op));
		switch (op.code) {
		case INET_DIAG_BC_S_COND:
		case INET_DIAG_BC_D_COND:
			if (!bc_valid_hostcond(p, len, &min_len))
				return -EINVAL;
			break;
		case INET_DIAG_BC_DEV_COND:
		case INET_DIAG_BC_MARK_COND:
		case INET_DIAG_BC_CGROUP_COND:
			if (op.code == INET_DIAG_BC_MARK_COND && !net_admin)
				return -EPERM;
			min_len += op.code == INET_DIAG_BC_DEV_COND ? 4 : 8;
			if (len < min_len)
				return -EINVAL;
			break;
		case INET_DIAG_BC_S_EQ:
		case INET_DIAG_BC_S_GE:
		case INET_DIAG_BC_S_LE:
		case INET_DIAG_BC_D_EQ:
		case INET_DIAG_BC_D_GE:
		case INET_DIAG_BC_D_LE:
			min_len += sizeof(struct inet_diag_bc_op); /* the port follows */
			if (len < min_len)
				return -EINVAL;
			break;
		case INET_DIAG_BC_AUTO:
		case INET_DIAG_BC_JMP:
		case INET_DIAG_BC_NOP:
			break;
		default:
			return -EINVAL;
		}
		if (op.code != INET_DIAG_BC_NOP) {
			if (op.no < min_len || op.no > len + 4 || (op.no & 3))
				return -EINVAL;
			if (op.no < len && !bc_valid_cc(bc, bclen, len - op.no))
				return -EINVAL;
		}
		if (op.yes < min_len || op.yes > len + 4 || (op.yes & 3))
			return -EINVAL;
		p += op.yes;
		len -= op.yes;
	}
	return len == 0 ? 0 : -EINVAL;
}

/* The first bits of a and b agree. */
static bool
prefix_match(const unsigned char *a, const unsigned char *b, int bits)
{
	int bytes = bits / 8, rest = bits % 8;

	if (memcmp(a, b, bytes))
		return false;
	return !rest || ((a[bytes] ^ b[bytes]) & (0xff << (8 - rest)) & 0xff) == 0;
}

static bool
bc_hostcond(const unsigned char *p, const struct diag_sock *s, bool src)
{
	static const unsigned char mapped[12] = { [10] = 0xff, [11] = 0xff };
	struct inet_diag_hostcond c;
	const unsigned char *addr = src ? s->src : s->dst;
	const unsigned char *caddr = p + sizeof(struct inet_diag_bc_op) + sizeof(c);

	memcpy(&c, p + sizeof(struct inet_diag_bc_op), sizeof(c));
	if (c.port != -1 && c.port != (src ? s->sport : s->dport))
		return false;
	if (c.family != AF_UNSPEC && c.family != s->family)
		return s->family == AF_INET6 && c.family == AF_INET &&
		       !memcmp(addr, mapped, 12) && prefix_match(addr + 12, caddr, c.prefix_len);
	return c.prefix_len == 0 || prefix_match(addr, caddr, c.prefix_len);
}

/* Runs an audited program on s: does s pass? */
static bool
bc_run(const unsigned char *bc, int len, const struct diag_sock *s)
{
	while (len > 0) {
		struct inet_diag_bc_op op, arg = { 0 };
		bool yes = true;
		uint32_t v32 = 0;

		memcpy(&op, bc, sizeof(op));
		if (len >= 8)
			memcpy(&arg, bc + 4, sizeof(arg));
		switch (op.code) {
		case INET_DIAG_BC_JMP: yes = false; break;
		case INET_DIAG_BC_S_EQ: yes = s->sport == arg.no; break;
		case INET_DIAG_BC_S_GE: yes = s->sport >= arg.no; break;
		case INET_DIAG_BC_S_LE: yes = s->sport <= arg.no; break;
		case INET_DIAG_BC_D_EQ: yes = s->dport == arg.no; break;
		case INET_DIAG_BC_D_GE: yes = s->dport >= arg.no; break;
		case INET_DIAG_BC_D_LE: yes = s->dport <= arg.no; break;
		case INET_DIAG_BC_AUTO: yes = !s->port_locked; break;
		case INET_DIAG_BC_S_COND:
		case INET_DIAG_BC_D_COND:
			yes = bc_hostcond(bc, s, op.code == INET_DIAG_BC_S_COND);
			break;
		case INET_DIAG_BC_DEV_COND:
			memcpy(&v32, bc + 4, 4);
			yes = v32 == (uint32_t)s->ifindex;
			break;
		case INET_DIAG_BC_MARK_COND: {
			struct inet_diag_markcond m;

			memcpy(&m, bc + 4, sizeof(m));
			yes = ((uint32_t)s->mark & m.mask) == m.mark;
			break;
		}
		case INET_DIAG_BC_CGROUP_COND: {
			uint64_t id;

			memcpy(&id, bc + 4, sizeof(id));
			yes = id == 1; /* every socket is in the root cgroup (id 1) */
			break;
		}
		default:
			break;    /* NOP */
		}
		if (yes) {
			len -= op.yes;
			bc += op.yes;
		} else {
			len -= op.no;
			bc += op.no;
		}
	}
	return len == 0;
}

/* ---- AF_INET, AF_INET6 ---- */

static void
fill_inet_id(struct inet_diag_msg *m, const struct diag_sock *s)
{
	m->idiag_family = s->family;
	m->idiag_state = s->state;
	m->id.idiag_sport = htons(s->sport);
	m->id.idiag_dport = htons(s->dport);
	memcpy(m->id.idiag_src, s->src, s->family == AF_INET ? 4 : 16);
	memcpy(m->id.idiag_dst, s->dst, s->family == AF_INET ? 4 : 16);
	m->id.idiag_if = s->ifindex;
	m->id.idiag_cookie[0] = (uint32_t)s->cookie;
	m->id.idiag_cookie[1] = (uint32_t)(s->cookie >> 32);
}

/* inet_sk_diag_fill: the message and the attributes q->ext asks for (plus those Linux
 * always adds). */
static void
inet_fill(struct dreply *r, const struct dquery *q, const struct diag_sock *s, int flags)
{
	struct inet_diag_msg *m = msg_begin(r, r->req->nlmsg_type, flags, sizeof(*m));
	bool tcp = s->protocol == IPPROTO_TCP;
	unsigned ext = q->ext;

	fill_inet_id(m, s);
	if (s->timewait) { /* inet_twsk_diag_fill */
		m->idiag_timer = 3;
		m->idiag_expires = s->expires;
		if (r->net_admin)
			attr_u32(r, INET_DIAG_MARK, s->mark);
		msg_end(r);
		return;
	}
	m->idiag_rqueue = s->rqueue;
	m->idiag_wqueue = s->wqueue;
	m->idiag_uid = s->uid;
	m->idiag_inode = s->ino;
	attr_u8(r, INET_DIAG_SHUTDOWN, s->shutdown);
	if ((ext & (1U << (INET_DIAG_TOS - 1))) && s->family != AF_INET6)
		attr_u8(r, INET_DIAG_TOS, s->tos);
	if (s->family == AF_INET6) {
		if (ext & (1U << (INET_DIAG_TCLASS - 1)))
			attr_u8(r, INET_DIAG_TCLASS, s->tclass);
		if (TCPF(s->state) & (TCPF(TCP_LISTEN) | TCPF(TCP_CLOSE)))
			attr_u8(r, INET_DIAG_SKV6ONLY, s->v6only);
	}
	if (r->net_admin)
		attr_u32(r, INET_DIAG_MARK, s->mark);
	if (ext & (1U << (INET_DIAG_TCLASS - 1)))
		attr_u32(r, INET_DIAG_CLASS_ID, 0);
	uint64_t cg = 1;          /* the root cgroup's id */
	attr(r, INET_DIAG_CGROUP_ID, &cg, sizeof(cg));
	/* struct inet_diag_sockopt: recverr, is_icsk, ..., mc_loop (bit 4), mc_all (6) */
	uint16_t so = (s->recverr ? 1 : 0) | (tcp ? 2 : 0) | (s->mc_loop ? 0x10 : 0) |
		      (s->mc_all ? 0x40 : 0);
	attr(r, INET_DIAG_SOCKOPT, &so, sizeof(so));
	if (ext & (1U << (INET_DIAG_MEMINFO - 1))) {
		struct inet_diag_meminfo mi = { .idiag_rmem = s->rmem };

		attr(r, INET_DIAG_MEMINFO, &mi, sizeof(mi));
	}
	if (ext & (1U << (INET_DIAG_SKMEMINFO - 1))) {
		uint32_t mem[SK_MEMINFO_VARS] = { 0 };

		mem[SK_MEMINFO_RMEM_ALLOC] = s->rmem;
		mem[SK_MEMINFO_RCVBUF] = s->rcvbuf;
		mem[SK_MEMINFO_SNDBUF] = s->sndbuf;
		attr(r, INET_DIAG_SKMEMINFO, mem, sizeof(mem));
	}
	if (tcp && (ext & (1U << (INET_DIAG_INFO - 1))) && s->tcp_info)
		attr(r, INET_DIAG_INFO, s->tcp_info, DIAG_TCP_INFO_LEN);
	if (tcp && (ext & (1U << (INET_DIAG_CONG - 1))) && s->cong)
		attr(r, INET_DIAG_CONG, s->cong, strlen(s->cong) + 1);
	msg_end(r);
}

static bool
inet_proto_known(int protocol)
{
	return protocol == IPPROTO_TCP || protocol == IPPROTO_UDP ||
	       protocol == IPPROTO_UDPLITE; /* raw_diag: not loaded on the hosts we know */
}

/* The dump's filters (inet_diag_dump_icsk, udp_dump). */
static bool
inet_wanted(const struct dquery *q, const struct diag_sock *s)
{
	if (s->protocol != q->protocol || !(q->states & TCPF(s->state)))
		return false;
	if (q->family != AF_UNSPEC && s->family != q->family)
		return false;
	if (q->id.idiag_sport && ntohs(q->id.idiag_sport) != s->sport)
		return false;
	if (s->protocol == IPPROTO_TCP && s->state == TCP_LISTEN) {
		if (q->phase != 0 || q->id.idiag_dport)
			return false;
	} else {
		if (s->protocol == IPPROTO_TCP && q->phase != 1)
			return false;
		if (q->id.idiag_dport && ntohs(q->id.idiag_dport) != s->dport)
			return false;
	}
	return !q->bc || bc_run(q->bc, q->bclen, s);
}

static int
inet_dump_one(const struct diag_sock *s, void *arg)
{
	struct dctx *c = arg;

	if (inet_wanted(c->q, s))
		inet_fill(c->r, c->q, s, NLM_F_MULTI);
	return 0;
}

static void
inet_dump(struct dreply *r, struct dquery *q)
{
	struct dctx c = { r, q };
	bool info = (q->ext & (1U << (INET_DIAG_INFO - 1))) != 0;

	for (q->phase = 0; q->phase < (q->protocol == IPPROTO_TCP ? 2 : 1); q->phase++) {
		if (q->family == AF_UNSPEC || q->family == AF_INET)
			sock_diag_foreach(r->t, AF_INET, info, inet_dump_one, &c);
		if (q->family == AF_UNSPEC || q->family == AF_INET6)
			sock_diag_foreach(r->t, AF_INET6, info, inet_dump_one, &c);
	}
}

static bool
addr_any(const unsigned char *a, int n)
{
	for (int i = 0; i < n; i++)
		if (a[i])
			return false;
	return true;
}

/* An exact lookup (inet_diag_find_one_icsk: a packet from dst to src finds the socket;
 * udp_dump_one: the other way round, "for historical reasons"). */
static int
inet_exact_one(const struct diag_sock *s, void *arg)
{
	struct dctx *c = arg;
	struct dquery *q = c->q;
	bool udp = q->protocol != IPPROTO_TCP;
	int n = s->family == AF_INET ? 4 : 16;
	const unsigned char *lip = (const void *)(udp ? q->id.idiag_dst : q->id.idiag_src);
	const unsigned char *rip = (const void *)(udp ? q->id.idiag_src : q->id.idiag_dst);
	int lport = ntohs(udp ? q->id.idiag_dport : q->id.idiag_sport);
	int rport = ntohs(udp ? q->id.idiag_sport : q->id.idiag_dport);
	bool listen_pass = q->phase == 1;

	if (s->protocol != q->protocol || s->sport != lport)
		return 0;
	if (!listen_pass) { /* a connection: all four */
		if (s->state == TCP_LISTEN || (udp && !s->dport) || s->dport != rport ||
		    memcmp(s->src, lip, n) || memcmp(s->dst, rip, n))
			return 0;
	} else { /* a listener (an unconnected UDP socket): its address or any */
		if ((udp ? s->dport != 0 : s->state != TCP_LISTEN) ||
		    (!addr_any(s->src, n) && memcmp(s->src, lip, n)))
			return 0;
	}
	if ((q->cookie[0] != INET_DIAG_NOCOOKIE || q->cookie[1] != INET_DIAG_NOCOOKIE) &&
	    ((uint32_t)s->cookie != q->cookie[0] || (uint32_t)(s->cookie >> 32) != q->cookie[1])) {
		q->found = udp ? -ESTALE : -ENOENT; /* inet_diag_find_one_icsk: ENOENT */
		q->stop = true;
		return 1;
	}
	inet_fill(c->r, q, s, 0);
	q->found = 0;
	return 1;
}

static int
inet_exact(struct dreply *r, struct dquery *q)
{
	struct dctx c = { r, q };
	int fam = q->family;
	bool info = (q->ext & (1U << (INET_DIAG_INFO - 1))) != 0;
	static const unsigned char mapped[12] = { [10] = 0xff, [11] = 0xff };

	if (fam != AF_INET && fam != AF_INET6)
		return -EINVAL;
	if (fam == AF_INET6 && !memcmp(q->id.idiag_src, mapped, 12)) {
		fam = AF_INET; /* a v4-mapped address: the IPv4 table */
		memmove(q->id.idiag_src, &q->id.idiag_src[3], 4);
		memmove(q->id.idiag_dst, &q->id.idiag_dst[3], 4);
	}
	q->found = -ENOENT;
	for (q->phase = 0; q->phase < 2 && q->found == -ENOENT && !q->stop; q->phase++)
		sock_diag_foreach(r->t, fam, info, inet_exact_one, &c);
	if (q->found == 0)
		flush(r);
	return q->found;
}

/* The attributes after hdrlen bytes of request: INET_DIAG_REQ_BYTECODE and _PROTOCOL
 * (inet_diag_parse_attrs). */
static int
inet_attrs(const unsigned char *p, size_t len, struct dquery *q)
{
	while (len >= NLA_HDRLEN) {
		struct nlattr a;

		memcpy(&a, p, sizeof(a));
		if (a.nla_len < NLA_HDRLEN || a.nla_len > len)
			break;
		int type = a.nla_type & NLA_TYPE_MASK;

		if (type == INET_DIAG_REQ_PROTOCOL) {
			uint32_t proto;

			if (a.nla_len != NLA_HDRLEN + 4)
				return -EINVAL;
			memcpy(&proto, p + NLA_HDRLEN, 4);
			q->protocol = proto > 255 ? 256 : (int)proto;
		} else if (type == INET_DIAG_REQ_BYTECODE && !q->bc) {
			q->bc = p + NLA_HDRLEN;
			q->bclen = a.nla_len - NLA_HDRLEN;
		}
		if ((size_t)NLA_ALIGN(a.nla_len) >= len)
			break;
		p += NLA_ALIGN(a.nla_len);
		len -= NLA_ALIGN(a.nla_len);
	}
	return 0;
}

/* inet_diag_handler_cmd (v2, hdrlen 56) and inet_diag_rcv_msg_compat (hdrlen 60). */
static int
inet_cmd(struct dreply *r, const unsigned char *p, size_t len, bool compat)
{
	struct dquery q = { 0 };
	size_t hdrlen = compat ? DIAG_COMPAT_REQLEN : sizeof(struct inet_diag_req_v2);
	bool dump = (r->req->nlmsg_flags & NLM_F_DUMP) && r->req->nlmsg_type != SOCK_DESTROY;
	int err;

	if (len < hdrlen)
		return -EINVAL;
	if (compat) {
		struct inet_diag_req c;

		memcpy(&c, p, sizeof(c));
		q.family = dump ? AF_UNSPEC : c.idiag_family;
		q.protocol = IPPROTO_TCP;
		q.ext = c.idiag_ext;
		q.states = c.idiag_states;
		q.id = c.id;
	} else {
		struct inet_diag_req_v2 v;

		memcpy(&v, p, sizeof(v));
		q.family = v.sdiag_family;
		q.protocol = v.sdiag_protocol;
		q.ext = v.idiag_ext;
		q.states = v.idiag_states;
		q.id = v.id;
	}
	q.cookie[0] = q.id.idiag_cookie[0];
	q.cookie[1] = q.id.idiag_cookie[1];
	if (dump && r->busy)
		return -EBUSY;
	err = inet_attrs(p + hdrlen, len - hdrlen, &q);
	if (err)
		return err;
	if (!dump) {
		if (!inet_proto_known(q.protocol))
			return -ENOENT;
		if (r->req->nlmsg_type == SOCK_DESTROY)
			return -EOPNOTSUPP; /* as without CONFIG_INET_DIAG_DESTROY (no ss -K) */
		q.bc = NULL;
		return inet_exact(r, &q);
	}
	if (q.bc && (err = bc_audit(q.bc, q.bclen, r->net_admin)))
		return err;
	if (!inet_proto_known(q.protocol))
		return dump_done(r, -ENOENT); /* the dump fails when it starts to run */
	inet_dump(r, &q);
	return dump_done(r, 0);
}

/* ---- AF_UNIX (unix_diag) ---- */

static void
unix_fill(struct dreply *r, const struct dquery *q, const struct diag_sock *s, int flags)
{
	struct unix_diag_msg *m = msg_begin(r, SOCK_DIAG_BY_FAMILY, flags, sizeof(*m));

	m->udiag_family = AF_UNIX;
	m->udiag_type = s->type;
	m->udiag_state = s->state;
	m->udiag_ino = s->ino;
	m->udiag_cookie[0] = (uint32_t)s->cookie;
	m->udiag_cookie[1] = (uint32_t)(s->cookie >> 32);
	if ((q->show & UDIAG_SHOW_NAME) && s->namelen)
		attr(r, UNIX_DIAG_NAME, s->name, s->namelen);
	if ((q->show & UDIAG_SHOW_VFS) && s->vfs_ino) {
		struct unix_diag_vfs v = { .udiag_vfs_ino = s->vfs_ino, .udiag_vfs_dev = s->vfs_dev };

		attr(r, UNIX_DIAG_VFS, &v, sizeof(v));
	}
	if ((q->show & UDIAG_SHOW_PEER) && s->has_peer)
		attr_u32(r, UNIX_DIAG_PEER, s->peer_ino);
	if ((q->show & UDIAG_SHOW_ICONS) && s->state == TCP_LISTEN)
		attr(r, UNIX_DIAG_ICONS, s->icons, s->nicons * sizeof(uint32_t));
	if (q->show & UDIAG_SHOW_RQLEN) {
		struct unix_diag_rqlen rq = { s->rqueue, s->wqueue };

		attr(r, UNIX_DIAG_RQLEN, &rq, sizeof(rq));
	}
	if (q->show & UDIAG_SHOW_MEMINFO) {
		uint32_t mem[SK_MEMINFO_VARS] = { 0 };

		mem[SK_MEMINFO_RMEM_ALLOC] = s->rmem;
		mem[SK_MEMINFO_RCVBUF] = s->rcvbuf;
		mem[SK_MEMINFO_SNDBUF] = s->sndbuf;
		attr(r, UNIX_DIAG_MEMINFO, mem, sizeof(mem));
	}
	attr_u8(r, UNIX_DIAG_SHUTDOWN, s->shutdown);
	if (q->show & UDIAG_SHOW_UID)
		attr_u32(r, UNIX_DIAG_UID, s->uid);
	msg_end(r);
}

static int
unix_dump_one(const struct diag_sock *s, void *arg)
{
	struct dctx *c = arg;

	if (c->q->states & TCPF(s->state))
		unix_fill(c->r, c->q, s, NLM_F_MULTI);
	return 0;
}

static int
unix_exact_one(const struct diag_sock *s, void *arg)
{
	struct dctx *c = arg;
	struct dquery *q = c->q;

	if (s->ino != q->ino)
		return 0;
	if ((q->cookie[0] != INET_DIAG_NOCOOKIE || q->cookie[1] != INET_DIAG_NOCOOKIE) &&
	    ((uint32_t)s->cookie != q->cookie[0] || (uint32_t)(s->cookie >> 32) != q->cookie[1])) {
		q->found = -ESTALE;
		return 1;
	}
	unix_fill(c->r, q, s, 0);
	q->found = 0;
	return 1;
}

static int
unix_cmd(struct dreply *r, const unsigned char *p, size_t len)
{
	struct unix_diag_req u;
	struct dquery q = { 0 };
	struct dctx c = { r, &q };

	if (len < sizeof(u))
		return -EINVAL;
	memcpy(&u, p, sizeof(u));
	q.states = u.udiag_states;
	q.show = u.udiag_show;
	q.ino = u.udiag_ino;
	q.cookie[0] = u.udiag_cookie[0];
	q.cookie[1] = u.udiag_cookie[1];
	if (r->req->nlmsg_type == SOCK_DESTROY)
		return -EOPNOTSUPP;
	if (r->req->nlmsg_flags & NLM_F_DUMP) {
		if (r->busy)
			return -EBUSY;
		sock_diag_foreach(r->t, AF_UNIX, false, unix_dump_one, &c);
		return dump_done(r, 0);
	}
	if (q.ino == 0)
		return -EINVAL;
	q.found = -ENOENT;
	sock_diag_foreach(r->t, AF_UNIX, false, unix_exact_one, &c);
	if (q.found == 0)
		flush(r);
	return q.found;
}

/* ---- AF_NETLINK (netlink_diag), AF_PACKET (packet_diag: there are no packet sockets) ---- */

#define DIAG_NETLINK_LINKS 32     /* MAX_LINKS */
#define DIAG_NETLINK_REQLEN 20    /* struct netlink_diag_req, struct packet_diag_req */

static void
netlink_fill(struct dreply *r, const struct dquery *q, const struct diag_sock *s)
{
	struct netlink_diag_msg *m = msg_begin(r, SOCK_DIAG_BY_FAMILY, NLM_F_MULTI, sizeof(*m));

	m->ndiag_family = AF_NETLINK;
	m->ndiag_type = s->type;
	m->ndiag_protocol = s->protocol;
	m->ndiag_state = s->state;
	m->ndiag_portid = s->portid;
	m->ndiag_ino = s->ino;
	m->ndiag_cookie[0] = (uint32_t)s->cookie;
	m->ndiag_cookie[1] = (uint32_t)(s->cookie >> 32);
	if (q->show & NDIAG_SHOW_MEMINFO) {
		uint32_t mem[SK_MEMINFO_VARS] = { 0 };

		mem[SK_MEMINFO_RMEM_ALLOC] = s->rmem;
		mem[SK_MEMINFO_RCVBUF] = s->rcvbuf;
		mem[SK_MEMINFO_SNDBUF] = s->sndbuf;
		attr(r, NETLINK_DIAG_MEMINFO, mem, sizeof(mem));
	}
	if ((q->show & NDIAG_SHOW_GROUPS) && s->has_groups)
		attr(r, NETLINK_DIAG_GROUPS, &s->groups, sizeof(s->groups));
	if (q->show & NDIAG_SHOW_FLAGS)
		attr_u32(r, NETLINK_DIAG_FLAGS, 0);
	msg_end(r);
}

static int
netlink_dump_one(const struct diag_sock *s, void *arg)
{
	struct dctx *c = arg;

	if (s->protocol == c->q->protocol)
		netlink_fill(c->r, c->q, s);
	return 0;
}

/* Each protocol the sandbox serves has the kernel's socket (port id 0), then the guest's. */
static int
netlink_cmd(struct dreply *r, const unsigned char *p, size_t len)
{
	static const int kernel_protos[] = { NETLINK_ROUTE, NETLINK_SOCK_DIAG,
					     NETLINK_KOBJECT_UEVENT };
	struct netlink_diag_req nr;
	struct dquery q = { 0 };
	struct dctx c = { r, &q };

	if (len < sizeof(nr))
		return -EINVAL;
	if (!(r->req->nlmsg_flags & NLM_F_DUMP) || r->req->nlmsg_type == SOCK_DESTROY)
		return -EOPNOTSUPP;
	if (r->busy)
		return -EBUSY;
	memcpy(&nr, p, sizeof(nr));
	q.show = nr.ndiag_show;
	if (nr.sdiag_protocol != NDIAG_PROTO_ALL && nr.sdiag_protocol >= DIAG_NETLINK_LINKS)
		return dump_done(r, -ENOENT);
	for (int proto = 0; proto < DIAG_NETLINK_LINKS; proto++) {
		if (nr.sdiag_protocol != NDIAG_PROTO_ALL && proto != nr.sdiag_protocol)
			continue;
		q.protocol = proto;
		for (size_t i = 0; i < sizeof(kernel_protos) / sizeof(kernel_protos[0]); i++) {
			/* its inode: a number no sockfs inode of the sandbox takes */
			struct diag_sock k = { .family = AF_NETLINK, .type = SOCK_DGRAM,
					       .protocol = proto, .state = TCP_CLOSE,
					       .ino = 0xefffff00UL + proto,
					       .cookie = 1ULL << 63 | proto };

			if (kernel_protos[i] == proto)
				netlink_fill(r, &q, &k);
		}
		sock_diag_foreach(r->t, AF_NETLINK, false, netlink_dump_one, &c);
	}
	return dump_done(r, 0);
}

int
diag_request(struct task *t, const struct nlmsghdr *req, uint32_t portid, bool net_admin,
	     bool busy, diag_emit_fn emit, void *arg)
{
	struct dreply *r;
	const unsigned char *p = NLMSG_DATA(req);
	size_t len = req->nlmsg_len - NLMSG_HDRLEN;
	int err;

	if (req->nlmsg_type < NLMSG_MIN_TYPE)
		return 0;
	if (req->nlmsg_type != SOCK_DIAG_BY_FAMILY && req->nlmsg_type != SOCK_DESTROY &&
	    req->nlmsg_type != TCPDIAG_GETSOCK)
		return -EINVAL;
	if (req->nlmsg_type != TCPDIAG_GETSOCK) { /* __sock_diag_cmd */
		if (len < 2 || p[0] >= DIAG_AF_MAX)
			return -EINVAL;
		if (p[0] != AF_INET && p[0] != AF_INET6 && p[0] != AF_UNIX &&
		    p[0] != AF_NETLINK && p[0] != AF_PACKET)
			return -ENOENT; /* no handler for that family */
	}
	r = xcalloc(1, sizeof(*r));
	r->t = t;
	r->req = req;
	r->portid = portid;
	r->net_admin = net_admin;
	r->busy = busy;
	r->emit = emit;
	r->arg = arg;
	if (req->nlmsg_type == TCPDIAG_GETSOCK)
		err = inet_cmd(r, p, len, true);
	else if (p[0] == AF_UNIX)
		err = unix_cmd(r, p, len);
	else if (p[0] == AF_NETLINK)
		err = netlink_cmd(r, p, len);
	else if (p[0] == AF_PACKET) /* packet_diag_handler_dump */
		err = len < DIAG_NETLINK_REQLEN || p[1] ? -EINVAL /* no protocol filter */
		      : !(req->nlmsg_flags & NLM_F_DUMP) || req->nlmsg_type == SOCK_DESTROY
		      ? -EOPNOTSUPP : busy ? -EBUSY : dump_done(r, 0);
	else
		err = inet_cmd(r, p, len, false);
	free(r->dgram);
	free(r);
	return err;
}
