/*
 * AF_UNIX sockets, entirely in the sentry (Linux net/unix/af_unix.c semantics): stream,
 * datagram and seqpacket; socketpair; names in the filesystem (a socket inode made by bind)
 * or abstract (a leading NUL byte); listen/connect/accept; SCM_RIGHTS; shutdown; the usual
 * SOL_SOCKET options.
 *
 * Every socket has a receive queue of messages (struct skb). A sender appends to its
 * peer's queue; stream reads may take several messages at once (stopping after one that
 * carried descriptors), datagram and seqpacket reads take one. Nothing here blocks: a full
 * queue or an empty one gives -EAGAIN and the syscall layer waits on the queue
 * (file_waitq, or the waitq sock_send names). Every state change wakes the sockets
 * concerned.
 *
 * AF_INET and AF_INET6 stream (TCP) and datagram (UDP) sockets are the same objects on
 * loopback only: names are ports on 127.0.0.1 / ::1 (or the any address), a connect to
 * any other address fails with ENETUNREACH (there is no network), and a dual-stack
 * AF_INET6 socket bound to :: takes IPv4 connections (shown as ::ffff:127.0.0.1). Their
 * names live in the sockaddr_un fields (a sockaddr_in6 fits). UDP also has IPv4 multicast
 * and broadcast over lo (memberships, IP_MULTICAST_IF), an error queue (IP_RECVERR,
 * MSG_ERRQUEUE); TCP holds corked output (TCP_CORK); SO_BINDTODEVICE names lo or a tun
 * interface.
 *
 * AF_NETLINK NETLINK_ROUTE sockets answer the dumps getifaddrs and if_nameindex ask for
 * (RTM_GETLINK, RTM_GETADDR) with the interfaces the sandbox has: lo, 127.0.0.1/8 and
 * ::1/128, and any tun devices /dev/net/tun made (down, no address); lo's state, its
 * addresses and routes through it change (RTM_SETLINK, RTM_NEWADDR, RTM_NEWROUTE...) and
 * the changes go to the rtnetlink groups; other requests get an NLMSG_ERROR of
 * EOPNOTSUPP. Receive queues are charged as Linux charges them (nl_truesize).
 *
 * A connect to a listening socket makes the server side at once (an "embryo" without a
 * file) and queues it on the listener; accept gives it a file. Peers point at each other;
 * a socket that goes clears every pointer to it (all sockets are on one list).
 */
#include <limits.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/random.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <sys/time.h>
#include <sys/un.h>
#include <netinet/in.h>
#include <netinet/ip_icmp.h>
#include <netinet/tcp.h>
#include <netinet/udp.h>
#include <arpa/inet.h>
#include <linux/errqueue.h>
#include <linux/fib_rules.h>
#include <linux/filter.h>
#include <linux/if_arp.h>
#include <linux/net_tstamp.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <linux/sock_diag.h>
#include <linux/sockios.h>
#include <utlist.h>

#include "fs/gofer_proto.h"
#include "fs/internal.h"
#include "fs/procfs.h"
#include "net/diag.h"
#include "net/net.h"
#include "sentry/ns.h"
#include "sentry/sentry.h"

/* /proc/sys/net/core/{w,r}mem_{default,max}: the host's (sock_set_buf_limits), else
 * Linux's usual values */
static int wmem_default = 212992, rmem_default = 212992;
static int wmem_max = 212992, rmem_max = 212992;
/* The host kernel's tick rate (CONFIG_HZ, measured by sock_set_hz): socket timeouts are
 * kept in its jiffies, as Linux keeps them */
static int sock_hz = 250;
/* net.ipv4.tcp_{r,w}mem: the host's (sock_set_tcp_mem), else Linux's usual values */
static int tcp_rmem[3] = { 4096, 131072, 6291456 }, tcp_wmem[3] = { 4096, 16384, 4194304 };
/* Linux tcp_sndbuf_expand at a connection's start: 2 (cubic's, reno's factor) times its
 * initial window of 10 segments times what one of lo's (MSS 65483) costs at worst: a
 * power-of-two head (128 KiB) and an sk_buff (256 bytes on x86-64) */
#define TCP_LO_SNDMEM (2 * 10 * (131072 + 256))
#define SOCK_SNDBUF_MIN 4608      /* SOCK_MIN_SNDBUF */
#define SOCK_RCVBUF_MIN 2304      /* SOCK_MIN_RCVBUF */
#define SOCK_MAX_BACKLOG 4096     /* somaxconn */
#define MC_MAX_MEMBERSHIPS 20     /* net.ipv4.igmp_max_memberships */
/* IPv6 memberships: as many as net.core.optmem_max (128 KiB by default) holds of Linux's
 * 56-byte struct ipv6_mc_socklist (sock_kmalloc), then ENOMEM */
#define MC6_MAX_MEMBERSHIPS 2340
#define LOOPBACK_IFINDEX 1        /* lo, the one interface */
#ifndef SO_DEVMEM_DONTNEED
#define SO_DEVMEM_DONTNEED 80
#endif

enum { RCV_SHUT = 1, SEND_SHUT = 2, SHUT_BOTH = 3 };
enum { SS_UNCONN, SS_LISTEN, SS_CONNECTED };

struct skb {
	struct skb *next, *prev;
	char *data;
	size_t len, off;
	struct file **fds;
	int nfds;
	struct sockaddr_un from;  /* datagrams: the sender's name */
	socklen_t fromlen;
	struct ucred cred;
	int hoplimit, tclass;     /* inet: the packet's hop limit (TTL) and traffic class (TOS) */
	uint32_t mark;            /* inet: its sender's SO_MARK (SO_RCVMARK) */
	struct usock *sender;     /* AF_UNIX: charged for it (wmem) until it is freed, or NULL */
	struct skb *snext, *sprev; /* in its sender's list (usock.sent) */
	size_t charge;
	long long tstamp;         /* when it came (CLOCK_REALTIME ns): SO_TIMESTAMP, SIOCGSTAMP */
	bool has_dst, dst_v4;     /* UDP: where it was sent (IP_PKTINFO, IP_ORIGDSTADDR...) */
	bool no_spec_dst;         /* a ping reply: its IP_PKTINFO has no spec_dst (never prepared) */
	uint32_t dst4;            /* host order */
	struct in6_addr dst6;
	int dst_port;
	bool nl_dump;             /* NETLINK_SOCK_DIAG: a dump's answers (not its NLMSG_DONE) */
	size_t truesize;          /* netlink: what it costs its receiver (skb->truesize) */
	int gso_size;             /* UDP: it came whole to a UDP_GRO socket, in segments of it */
};

struct tcp_ghost;
struct nkey;

/* An error queued for recvmsg(MSG_ERRQUEUE) (IP_RECVERR, IPV6_RECVERR): an ICMP port
 * unreachable that answered a datagram, or a local EMSGSIZE. */
struct sock_qerr {
	struct sock_qerr *next, *prev;
	struct sock_extended_err ee;
	bool v6;                  /* an IPv6 packet's (ICMPv6, IPV6_RECVERR's format) */
	struct sockaddr_un dst;   /* where the datagram went (msg_name) */
	char *data;               /* what the error quotes of it */
	size_t len;
};
#define SOCK_ERRQ_MAX 64          /* queued errors at most (Linux: the receive buffer) */
#define SOCK_HOPTS_MAX 24         /* at least gofer_net_sockopt_ok's options */

struct usock {
	struct usock *next, *prev;  /* all sockets */
	struct waitq wq;
	int family;               /* AF_UNIX, AF_INET, AF_INET6 */
	int type;
	int protocol;             /* inet: IPPROTO_TCP, _UDP or _UDPLITE; netlink: NETLINK_* */
	int state;
	int shutdown;             /* RCV_SHUT | SEND_SHUT */
	int err;                  /* SO_ERROR */
	struct usock *peer;       /* set by set_peer only */
	int nrefs;                /* sockets whose peer is this one (at least: never fewer) */
	struct skb *rq;           /* receive queue */
	size_t rq_bytes;
	int rq_count;
	int sndbuf, rcvbuf;
	size_t wmem;              /* AF_UNIX: what its messages not yet freed cost (sk_wmem_alloc) */
	struct skb *sent;         /* AF_UNIX: those messages, wherever they are queued */
	/* listening */
	int backlog;
	struct usock *acceptq;    /* embryos, oldest first (linked by anext) */
	struct usock *anext;
	struct usock *listener;   /* an embryo's listener, until accepted */
	int nacc;
	/* name */
	struct sockaddr_un addr;
	socklen_t addrlen;        /* 0: unnamed */
	struct inode *bound;      /* a filesystem name's inode (a reference) */
	struct ucred peercred;    /* SO_PEERCRED */
	bool has_peercred;
	gid_t *peergroups;        /* SO_PEERGROUPS (unix sockets): with peercred, npeergroups */
	int npeergroups;
	bool passcred;
	bool passpidfd;           /* SO_PASSPIDFD (unix): an SCM_PIDFD of each sender */
	bool zerocopy;            /* SO_ZEROCOPY (TCP, UDP): MSG_ZEROCOPY sends are noticed */
	uint32_t zckey;           /* the id the next such send gets (sk_zckey) */
	bool sndbuf_lock, rcvbuf_lock; /* SO_SNDBUF / SO_RCVBUF set: TCP does not grow them */
	bool reuseaddr, reuseport, keepalive;
	bool broadcast, dontroute, oobinline, nocheck; /* kept for getsockopt: nothing to do */
	int priority, mark, rcvlowat;
	struct linger linger;     /* SO_LINGER: kept (a close does not wait on loopback) */
	bool peer_closed;         /* TCP: the peer closed (a FIN): sends go on until its reset */
	bool fin_rcvd, fin_first; /* TCP: the peer's FIN came; ours went before it (active close) */
	struct tcp_ghost *fw2;    /* TCP: a closed peer in FIN_WAIT2 waiting for our FIN */
	/* TCP SYN_SENT: a non-blocking connect to a listener whose queue was full waits for
	 * room there (Linux resends the SYN), then completes */
	struct usock *syn_to;
	struct sockaddr_un syn_dst;
	socklen_t syn_dstlen;
	struct ucred syn_cred;
	long long defer_until;    /* TCP embryo: TCP_DEFER_ACCEPT hides it until data or then */
	bool reset;               /* TCP: the peer's reset came (after a send to it) */
	bool inprogress;          /* TCP: a non-blocking connect said EINPROGRESS */
	bool connect_failed;      /* TCP: that connect was refused (the next one reports it) */
	bool autobound;           /* inet: its name came from a connect or send, not bind */
	bool port_locked, addr_locked; /* inet: bind named a port / an address (not any) */
	struct sockaddr_in6 closed_name; /* TCP: the name a disconnect left (family 0: none) */
	bool src_from_connect;    /* UDP: a connect chose its source address (any before) */
	bool embryo_reset;        /* never accepted, its listener went: the client sees a reset */
	bool dns_srv;             /* TCP: allow mode's DNS server end of a guest's connection to
				   * port 53 (no file: it goes with its peer) */
	struct sockaddr_un acc_name; /* inet embryo: its client's name, for accept after a reset */
	socklen_t acc_namelen;
	struct timeval rcvtimeo, sndtimeo;
	bool v6only, nodelay;     /* IPV6_V6ONLY, TCP_NODELAY */
	int port;                 /* inet: the bound port */
	unsigned long bind_seq;   /* inet: when it got its name (a later bind is larger) */
	struct sockaddr_un dst;   /* UDP: the address connect named */
	bool has_dst;
	struct hsock *hs;         /* inet: backed by a host socket (egress, net/net.h), or NULL */
	struct ll_domain *ll_dom; /* its file's opener's Landlock domain (abstract unix scope) */
	/* stream, seqpacket: the name of a peer that closed, which getpeername still gives
	 * (Linux keeps a unix socket's peer until its own close, TCP's until CLOSED) */
	struct sockaddr_un gone_peer;
	socklen_t gone_peerlen;
	bool has_gone_peer;
	struct inode *ino;        /* the socket's own inode (NULL for an embryo) */
	struct file *file;        /* its one open file (not a reference; NULL for an embryo) */
	int inflight;             /* AF_UNIX: references to that file in messages (SCM_RIGHTS) */
	int gc_refs;              /* sock_gc: of those, from the queues of other candidates */
	bool gc_cand, gc_alive;
	/* inet: what sends carry (-1: the default) and which receive control messages */
	int hops, ttl, tclass;    /* IPV6_UNICAST_HOPS, IP_TTL, IPV6_TCLASS or IP_TOS */
	bool rx_hoplimit, rx_tclass; /* IPV6_RECVHOPLIMIT, IPV6_RECVTCLASS */
	bool rx_ttl, rx_tos;      /* IP_RECVTTL, IP_RECVTOS */
	int cscov_send, cscov_recv;  /* UDPLITE_SEND_CSCOV, UDPLITE_RECV_CSCOV */
	struct {                  /* UDP options (udp_lib_setsockopt) and what they do */
		bool cork, no_check6_tx, no_check6_rx, gro;
		int encap, gso_size;
		bool xfrm;        /* an ENCAP of 0 or ESP set Linux's xfrm encap_rcv */
		bool pending;     /* UDP_CORK / MSG_MORE: data held for one datagram */
		char *pend;
		size_t pend_len, pend_max;
		struct sockaddr_un pend_to; /* where it goes (checked at the first send) */
		socklen_t pend_tolen;
	} udp;
	struct {                  /* TCP options: kept, as Linux reads them back */
		int cork, quickack, user_mss, keepidle, keepintvl, keepcnt, user_timeout;
		int linger2, defer_retrans, syncnt, window_clamp, inq;
		bool reno;            /* TCP_CONGESTION "reno" (else "cubic") */
	} tcp;
	int pmtudisc;             /* IP_MTU_DISCOVER / IPV6_MTU_DISCOVER */
	/* SO_TIMESTAMP(NS)(_NEW): TSTAMP_ON, with TSTAMP_NS (nanoseconds), Linux's
	 * SOCK_RCVTSTAMP and SOCK_RCVTSTAMPNS; tstamp_new (SOCK_TSTAMP_NEW): the last of
	 * those or SO_TIMESTAMPING set was a _NEW one (their control messages are too) */
	int tstamp_opt;
	bool tstamp_new;
	unsigned tsflags;         /* SO_TIMESTAMPING's SOF_TIMESTAMPING_* (receive side only) */
	/* SOL_SOCKET options kept as Linux keeps them; what they change (busy polling,
	 * pacing, NIC features, debugging) has no effect on loopback */
	bool debug, rxq_ovfl, wifi_status, nofcs, lock_filter, select_err_queue;
	bool prefer_busy_poll, rcvmark, passsec;
	int busy_poll, incoming_cpu, txrehash;
	int peek_off;             /* SO_PEEK_OFF: where MSG_PEEK starts (-1: at the front) */
	unsigned long max_pacing_rate;
	struct sock_txtime txtime;
	int stamp_state;          /* SIOCGSTAMP: 0 nothing received, 1 "now", 2 stamp */
	long long stamp;          /* the last datagram's time (sk_stamp) */
	int mc_ttl;               /* IP_MULTICAST_TTL: the TTL of what it sends to a group */
	bool mc_loop, pktinfo, origdst, pktinfo6, origdst6; /* IP_MULTICAST_LOOP, IP_PKTINFO... */
	bool mc_all;              /* IP_MULTICAST_ALL: a group it did not join reaches it too */
	int mc_index;             /* IP_MULTICAST_IF: the interface multicast leaves by (0 none) */
	uint32_t mc_addr;         /* IP_MULTICAST_IF: its source address (network order) */
	/* IPV6_MULTICAST_HOPS, _LOOP, _IF: kept and read back; IPv6 groups joined are kept
	 * too (mc6): no IPv6 group is reached here (no route, as in a namespace of lo only) */
	int mc6_hops, mc6_if;
	bool mc6_loop;
	struct mc6_member {       /* IPV6_ADD_MEMBERSHIP: the IPv6 groups it joined */
		struct in6_addr grp;
		int ifindex;
		long born;            /* as mc[]'s; < 0 for lo's own all-nodes groups */
	} *mc6;
	int nmc6;
	struct mc_member {        /* IP_ADD_MEMBERSHIP: the IPv4 groups it joined */
		uint32_t grp, addr;   /* network order */
		int ifindex;
		unsigned long born;   /* when the interface's group came to be (net_ns mc_seq) */
	} mc[MC_MAX_MEMBERSHIPS];
	int nmc;
	bool has_filter;          /* SO_ATTACH_FILTER (it filters nothing on loopback) */
	struct sock_filter *filter; /* that program, for SO_GET_FILTER (filter_len insns) */
	unsigned filter_len;
	int bound_dev;            /* SO_BINDTODEVICE: the interface index (0: any) */
	bool recverr, recverr6;   /* IP_RECVERR, IPV6_RECVERR: errors go on errq too */
	/* TCP_CORK: what sends left unsent (less than a segment), until uncorked, a segment
	 * is full, a shutdown or close, or 200 ms after the first byte (cork_until) */
	char *cork_buf;
	size_t cork_len;
	long long cork_until;     /* CLOCK_MONOTONIC ns; 0: nothing held */
	struct sock_qerr *errq;   /* recvmsg(MSG_ERRQUEUE), oldest first */
	int nerrq;
	struct net_ns *net;       /* the network namespace it was made in (a reference) */
	uint64_t nl_groups;       /* netlink: the multicast groups joined (bit g-1: group g) */
	bool nl_connected;        /* netlink: connect named a default destination: */
	uint32_t nl_dst_pid;      /* its port id (0: the kernel) */
	int nl_dst_group;         /* and group (1-32; 0 none) */
	bool nl_no_enobufs;       /* NETLINK_NO_ENOBUFS: an overrun sets no error */
	bool nl_has_groups;       /* netlink: ever joined (Linux then lists RTNLGRP_MAX bits) */
	size_t nl_rmem;           /* netlink: its queue's truesizes (sk_rmem_alloc) */
	bool nl_congested;        /* netlink: overrun; takes nothing until its queue is empty */
	size_t nl_recv_max;       /* netlink: the largest read (max_recvmsg_len): dumps' size */
	bool nl_pend;             /* NETLINK_ROUTE: a dump asked for while the queue was full, */
	struct nlmsghdr nl_pend_req; /* made once reads leave room (Linux's cb_running) */
	int nl_pend_family;
	uint64_t cookie;          /* sock_diag's id of it (0: none given yet) */
	/* TCP urgent data (send MSG_OOB; Linux's tp->urg_data, urg_seq): the receiver's mark
	 * is the position of the urgent byte, the last one such a send sent, in the stream of
	 * bytes queued (rcv_nxt) and read (copied_seq) since the start */
	/* egress: the options the host socket gets (gofer_net_sockopt_ok's) set before it
	 * existed, as the guest gave them (the last of each), replayed once it does */
	struct sock_hopt {
		int level, name;
		int v[2];             /* an int, or SO_LINGER's struct linger */
	} hopts[SOCK_HOPTS_MAX];
	int nhopts;
	int urg;                  /* 0 none, TCP_URG_VALID its byte is there, TCP_URG_READ taken */
	unsigned char urg_byte;
	unsigned long long urg_seq, rcv_nxt, copied_seq;
	/* AF_UNIX stream out-of-band data (Linux's oob_skb): the message of one byte an
	 * MSG_OOB send ended with, in the receive queue; one recv(MSG_OOB) took stays there
	 * empty (a place reads stop at). oob_lost: such bytes reads passed over, which
	 * Linux's FIONREAD (inq_len) goes on counting. */
	struct skb *oob;
	size_t oob_lost;
};
enum { TCP_URG_VALID = 1, TCP_URG_READ = 2 };
enum { TSTAMP_ON = 1, TSTAMP_NS = 2 };
#define SOF_TS_MASK ((1u << 19) - 1)      /* Linux 6.18's SOF_TIMESTAMPING_MASK */
#define SOF_TS_OPT_ID_TCP (1u << 16)
#define SOF_TS_OPT_RX_FILTER (1u << 17)
/* what would ask for send timestamps on the error queue, which the sandbox does not make */
#define SOF_TS_TX_LOOPED (SOF_TIMESTAMPING_TX_SOFTWARE | SOF_TIMESTAMPING_TX_SCHED | \
			  SOF_TIMESTAMPING_TX_ACK)

static struct usock *all_socks;
static unsigned long bind_seq;

void
sock_set_buf_limits(int wdef, int rdef, int wmax, int rmax)
{
	if (wdef >= SOCK_SNDBUF_MIN)
		wmem_default = wdef;
	if (rdef >= SOCK_RCVBUF_MIN)
		rmem_default = rdef;
	if (wmax >= SOCK_SNDBUF_MIN / 2)
		wmem_max = wmax;
	if (rmax >= SOCK_RCVBUF_MIN / 2)
		rmem_max = rmax;
}

void
sock_set_hz(int hz)
{
	if (hz >= 24 && hz <= 10000) /* (Linux allows 100 to 1200) */
		sock_hz = hz;
}

void
sock_set_tcp_mem(const int rmem[3], const int wmem[3])
{
	for (int i = 0; i < 3; i++) {
		if (rmem[i] >= 1)
			tcp_rmem[i] = rmem[i];
		if (wmem[i] >= 1)
			tcp_wmem[i] = wmem[i];
	}
}

/* The protocol counters /proc/net/snmp shows (Linux's per-namespace MIBs): the ones the
 * loopback traffic here can move. */
struct net_mib {
	unsigned long active_opens, passive_opens, attempt_fails, out_rsts, estab_resets;
	/* IPv4 datagrams (an IPv6 socket's to v4-mapped addresses too) of UDP [0] and
	 * UDP-Lite [1]; udp6: IPv6 ones (/proc/net/snmp6) */
	struct udp_mib {
		unsigned long in, noports, in_errors, out, rcvbuf_errors;
	} udp4[2], udp6[2];
	unsigned long icmp_echos; /* IPv4 echo requests answered here (each one in and out) */
	unsigned long icmp_echos_ignored; /* ... and those sent to a group, unanswered */
	unsigned long icmp_unreach; /* IPv4 destination unreachables sent here (and received) */
	unsigned long icmp6_unreach; /* ... IPv6 ones */
};

/*
 * A network namespace (Linux struct net): its loopback interface (up or down) and that
 * interface's addresses, its counters; tun interfaces (struct netdev) and sockets point to
 * the namespace they live in, and every lookup of a name (inet ports, abstract unix names,
 * netlink port ids, interfaces) stays within one namespace. The initial one has lo up with
 * 127.0.0.1/8 and ::1 and is the only one with a way out (egress, --net); a new one has lo
 * down and no address, as Linux's.
 */
struct lo_addr;
struct net_ns {
	struct ns_common ns;
	bool lo_up;
	bool fib4;                /* it has IPv4 routing tables: lo had an IPv4 address once */
	bool qdisc;               /* lo has been up (its qdisc is "noqueue" since) */
	int mtu;                  /* lo's (SIOCSIFMTU) */
	int sysctl[NET_SYSCTLS + NET_TAGS][3]; /* its /proc/sys/net values (procfs.c) */
	uint64_t cookie;          /* SO_NETNS_COOKIE: 1 for the first, then in order made */
	struct lo_addr *lo_addrs;
	struct lo_route *routes;  /* the routes RTM_NEWROUTE added, in dump order */
	int nroutes;
	struct fib_rule *rules;   /* the policy rules (made at their first use), in order */
	int nrules;
	bool rules_made;
	struct net_mib mib;
	unsigned long mc_seq;      /* lo's IPv4 groups, numbered as they come to be */
	unsigned long allhosts_born; /* ... 224.0.0.1's, which lo joins as it comes up */
	bool lo_went_down;         /* IPv6 groups made before lo last went down are not */
	long mc6_down;             /* loaded (MAF_LOADED) until it is up again */
};

/* net.core.{w,r}mem_{default,max}, net.ipv4.tcp_{r,w}mem: a namespace's own, from the
 * host's new namespace's. */
static void
net_buf_defaults(struct net_ns *n)
{
	n->sysctl[P_NS_WMEM_DEFAULT - P_NS_TCP_SACK][0] = wmem_default;
	n->sysctl[P_NS_RMEM_DEFAULT - P_NS_TCP_SACK][0] = rmem_default;
	n->sysctl[P_NS_WMEM_MAX - P_NS_TCP_SACK][0] = wmem_max;
	n->sysctl[P_NS_RMEM_MAX - P_NS_TCP_SACK][0] = rmem_max;
	memcpy(n->sysctl[P_NS_TCP_RMEM - P_NS_TCP_SACK], tcp_rmem, sizeof(tcp_rmem));
	memcpy(n->sysctl[P_NS_TCP_WMEM - P_NS_TCP_SACK], tcp_wmem, sizeof(tcp_wmem));
}

/* A buffer sysctl of namespace n: its first (net.core) or i-th (tcp_{r,w}mem) number. */
static int
net_buf_at(const struct net_ns *n, int type, int i)
{
	return n->sysctl[type - P_NS_TCP_SACK][i];
}

static int
net_buf(const struct net_ns *n, int type)
{
	return net_buf_at(n, type, 0);
}

/* Linux tcp_init_buffer_space at a TCP connection's start: the send buffer grows to what
 * the first window needs (not past tcp_wmem[2]) unless SO_SNDBUF set it. */
static void
tcp_sndbuf_expand(struct usock *u)
{
	int max = net_buf_at(u->net, P_NS_TCP_WMEM, 2);

	if (!u->sndbuf_lock && u->sndbuf < TCP_LO_SNDMEM)
		u->sndbuf = MIN(TCP_LO_SNDMEM, max);
}

static bool
is_tcp(const struct usock *u)
{
	return (u->family == AF_INET || u->family == AF_INET6) && u->type == SOCK_STREAM;
}

/* Linux sk_may_scm_recv: sockets that pass credentials and security contexts */
static bool
may_scm_recv(const struct usock *u)
{
	return u->family == AF_UNIX || u->family == AF_NETLINK;
}

static struct net_ns *init_net;

static struct net_ns *
net_of(const struct task *t)
{
	return (struct net_ns *)ns_of(t, NS_NET);
}

static struct pseudo_fs sockfs = { .fstype = "sockfs" };
static const struct file_ops sock_fops;

static struct usock *
sock_of(struct file *f)
{
	return f->inode->priv;
}

/* An ICMP echo ("ping") socket: SOCK_DGRAM with IPPROTO_ICMP or IPPROTO_ICMPV6. */
static bool
is_ping(const struct usock *u)
{
	return u->type == SOCK_DGRAM && ((u->family == AF_INET && u->protocol == IPPROTO_ICMP) ||
					 (u->family == AF_INET6 && u->protocol == IPPROTO_ICMPV6));
}

static bool ping_ident_taken(struct usock *u, int ident, bool any_reuse);
static int ping_pick_ident(struct usock *u);
static int ping_bind(struct usock *u, const void *a, socklen_t len);
static ssize_t ping_send(struct task *t, struct usock *u, const void *buf, size_t n,
			 const struct sockaddr_un *to, socklen_t tolen, const struct sock_sendopt *o);

bool
file_is_socket(struct file *f)
{
	return f && f->fops == &sock_fops;
}

/* Counts a reference to f in a message (d 1) or one that left it (d -1), for sock_gc. */
static void
inflight_add(struct file *f, int d)
{
	struct usock *u = file_is_socket(f) ? sock_of(f) : NULL;

	if (u && u->family == AF_UNIX)
		u->inflight += d;
}

static void wake(struct usock *u);

static void
skb_free(struct skb *s)
{
	if (s->sender) { /* the sender's buffer has room again */
		s->sender->wmem -= s->charge;
		DL_DELETE2(s->sender->sent, s, sprev, snext);
		wake(s->sender);
	}
	for (int i = 0; i < s->nfds; i++)
		if (s->fds[i]) {
			inflight_add(s->fds[i], -1);
			file_put(s->fds[i]);
		}
	free(s->fds);
	mem_uncharge(s->len);
	free(s->data);
	free(s);
}

static void
rq_drop(struct usock *u, struct skb *s)
{
	if (s == u->oob)
		u->oob = NULL;
	DL_DELETE(u->rq, s);
	u->rq_bytes -= s->len;
	u->nl_rmem -= s->truesize;
	u->rq_count--;
	skb_free(s);
}

static long long
realtime_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

/* SO_TIMESTAMPING asks for software receive stamps in control messages: reporting on
 * (SOFTWARE), and stamps made, for this socket (RX_SOFTWARE) or, unless it filters them
 * (OPT_RX_FILTER), for SO_TIMESTAMP (Linux stamps packets when anything asked: here what
 * this socket asked counts). */
static bool
rx_timestamping(const struct usock *u)
{
	return (u->tsflags & SOF_TIMESTAMPING_SOFTWARE) &&
	       ((u->tsflags & SOF_TIMESTAMPING_RX_SOFTWARE) ||
		(!(u->tsflags & SOF_TS_OPT_RX_FILTER) && u->tstamp_opt));
}

/* A received message's time (Linux sock_recv_timestamp): control messages with
 * SO_TIMESTAMP(NS) and SO_TIMESTAMPING, else what SIOCGSTAMP reads (nothing yet: "now" at
 * the ioctl). */
static void
recv_stamp(struct usock *u, struct skb *s, struct sock_recvd *r)
{
	if (u->tstamp_opt || rx_timestamping(u)) {
		if (u->tstamp_opt)
			r->ipcm |= u->tstamp_opt & TSTAMP_NS ? SOCK_CM_TIMESTAMPNS
							     : SOCK_CM_TIMESTAMP;
		if (rx_timestamping(u))
			r->ipcm |= SOCK_CM_TIMESTAMPING;
		if (u->tstamp_new)
			r->ipcm |= SOCK_CM_TSTAMP_NEW;
		r->tstamp = s->tstamp;
	} else if (u->stamp_state == 0) {
		u->stamp_state = 1;
	} else {
		u->stamp_state = 2;
		u->stamp = s->tstamp;
	}
}

/* A stream's bytes not read yet (the first message may be partly read). */
static size_t
rq_unread(struct usock *u)
{
	return u->rq_bytes - (u->rq ? u->rq->off : 0);
}

static void
wake(struct usock *u)
{
	if (u)
		waitq_wake(&u->wq);
}

static void
set_peer(struct usock *u, struct usock *p)
{
	if (u->peer)
		u->peer->nrefs--;
	u->peer = p;
	if (p)
		p->nrefs++;
}

/* Calls fn(o, u) for every socket o whose peer is u: at once when that can only be u's
 * own peer (a pair, the usual case), else by a walk over all sockets. */
#define FOR_EACH_REFERRER(u, o, tmp)                                                   \
	for (struct usock *only_ = (u)->nrefs == 1 && (u)->peer && (u)->peer->peer == (u) \
					   ? (u)->peer : NULL,                            \
			  *start_ = (u)->nrefs == 0 ? NULL : only_ ? only_ : all_socks;        \
	     start_; start_ = NULL)                                                    \
		for ((o) = start_; (o) && ((tmp) = only_ ? NULL : (o)->next, 1); (o) = (tmp)) \
			if ((o)->peer == (u))

/* Space freed in u's queue: wake it and every socket that sends to it. */
static void
wake_senders(struct usock *u)
{
	struct usock *o, *tmp;

	wake(u);
	FOR_EACH_REFERRER(u, o, tmp)
		wake(o);
}

/* ---- the error queue (Linux sk_error_queue, ip_icmp_error, ip_recv_error) ---- */

static void
errq_purge(struct usock *u)
{
	struct sock_qerr *e, *tmp;

	DL_FOREACH_SAFE(u->errq, e, tmp) {
		DL_DELETE(u->errq, e);
		free(e->data);
		free(e);
	}
	u->nerrq = 0;
}

/* Queues an error about a datagram of len bytes (buf) that u sent to dst: from ICMP
 * (origin SO_EE_ORIGIN_ICMP/ICMP6, quoting what fits in an ICMP error) or local. */
static void
errq_add(struct usock *u, const struct sock_extended_err *ee, bool v6, const void *dst,
	 const void *buf, size_t len)
{
	struct sock_qerr *e;

	if (u->nerrq >= SOCK_ERRQ_MAX)
		return; /* dropped, as when Linux's receive buffer is full */
	e = xcalloc(1, sizeof(*e));
	e->ee = *ee;
	e->v6 = v6;
	memcpy(&e->dst, dst, v6 || ((const struct sockaddr *)dst)->sa_family == AF_INET6 ?
			     sizeof(struct sockaddr_in6) : sizeof(struct sockaddr_in));
	if (ee->ee_origin == SO_EE_ORIGIN_ICMP || ee->ee_origin == SO_EE_ORIGIN_ICMP6)
		/* an ICMP error quotes 576 (IPv4) or 1280 (IPv6) bytes of the packet, headers too */
		len = MIN(len, v6 ? (size_t)(1280 - 48 - 48) : (size_t)(576 - 28 - 28));
	else
		len = 0;
	e->data = xmalloc(len ? len : 1);
	if (len) /* (buf may be NULL then) */
		memcpy(e->data, buf, len);
	e->len = len;
	DL_APPEND(u->errq, e);
	u->nerrq++;
	wake(u);
}

/* A MSG_ZEROCOPY send of u's is done (Linux __msg_zerocopy_callback): its id on the error
 * queue, SO_EE_CODE_ZEROCOPY_COPIED (loopback copies what it delivers), joined to the
 * range of the notice before it if that is still queued and ends just before. */
static void
zerocopy_notify(struct usock *u)
{
	struct sock_qerr *last = u->errq ? u->errq->prev : NULL;
	uint32_t id = u->zckey++;
	struct sock_extended_err ee = { .ee_origin = SO_EE_ORIGIN_ZEROCOPY,
					.ee_code = SO_EE_CODE_ZEROCOPY_COPIED,
					.ee_info = id, .ee_data = id };
	struct sockaddr_un none = { .sun_family = AF_UNSPEC };

	if (last && last->ee.ee_origin == SO_EE_ORIGIN_ZEROCOPY && last->ee.ee_data + 1 == id) {
		last->ee.ee_data = id; /* skb_zerocopy_notify_extend */
		return;
	}
	errq_add(u, &ee, u->family == AF_INET6, &none, NULL, 0);
}

void
sock_zerocopy_sent(struct file *f, long result)
{
	struct usock *u = sock_of(f);

	/* TCP: a send of some bytes (an empty one gets no id); UDP: any send that went */
	if (u->zerocopy && (u->type == SOCK_STREAM ? result > 0 : result >= 0))
		zerocopy_notify(u);
}

/* recvmsg(MSG_ERRQUEUE): the oldest error; never waits. */
static ssize_t
errq_recv(struct usock *u, void *buf, size_t n, struct sock_recvd *r)
{
	struct sock_qerr *e = u->errq;
	size_t c;
	bool icmp, zc;

	if (!e)
		return -EAGAIN;
	icmp = e->ee.ee_origin == SO_EE_ORIGIN_ICMP || e->ee.ee_origin == SO_EE_ORIGIN_ICMP6;
	zc = e->ee.ee_origin == SO_EE_ORIGIN_ZEROCOPY;
	DL_DELETE(u->errq, e);
	u->nerrq--;
	c = MIN(n, e->len);
	memcpy(buf, e->data, c);
	if (c < e->len)
		r->msg_flags |= MSG_TRUNC;
	r->msg_flags |= MSG_ERRQUEUE;
	memset(r->err_data, 0, sizeof(r->err_data));
	memcpy(r->err_data, &e->ee, sizeof(e->ee));
	if (u->family == AF_INET6) { /* ipv6_recv_error: IPv6 names, v4-mapped for IPv4 */
		struct sockaddr_in6 name = { .sin6_family = AF_INET6 }, off = { 0 };
		struct sockaddr_in d4;

		memcpy(&d4, &e->dst, sizeof(d4)); /* (e->dst is only 2-byte aligned) */
		if (e->dst.sun_family == AF_INET6) {
			memcpy(&name, &e->dst, sizeof(name));
			name.sin6_flowinfo = 0;
			name.sin6_scope_id = 0;
		} else {
			name.sin6_port = d4.sin_port;
			name.sin6_addr.s6_addr[10] = name.sin6_addr.s6_addr[11] = 0xff;
			memcpy(&name.sin6_addr.s6_addr[12], &d4.sin_addr, 4);
		}
		if (icmp) { /* the ICMP's sender: loopback */
			off.sin6_family = AF_INET6;
			if (e->v6) {
				off.sin6_addr = in6addr_loopback;
			} else {
				uint32_t lo = htonl(INADDR_LOOPBACK);

				off.sin6_addr.s6_addr[10] = off.sin6_addr.s6_addr[11] = 0xff;
				memcpy(&off.sin6_addr.s6_addr[12], &lo, 4);
			}
		}
		memcpy(&r->from, &name, sizeof(name));
		r->fromlen = zc ? 0 : sizeof(name); /* (a notice names no address) */
		memcpy(r->err_data + sizeof(e->ee), &off, sizeof(off));
		r->err_level = IPPROTO_IPV6;
		r->err_type = IPV6_RECVERR;
		r->err_len = sizeof(e->ee) + sizeof(off);
	} else {
		struct sockaddr_in name, off = { 0 };

		memcpy(&name, &e->dst, sizeof(name));
		memset(name.sin_zero, 0, sizeof(name.sin_zero));
		if (icmp) {
			off.sin_family = AF_INET;
			off.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
		}
		memcpy(&r->from, &name, sizeof(name));
		r->fromlen = zc ? 0 : sizeof(name);
		memcpy(r->err_data + sizeof(e->ee), &off, sizeof(off));
		r->err_level = IPPROTO_IP;
		r->err_type = IP_RECVERR;
		r->err_len = sizeof(e->ee) + sizeof(off);
	}
	r->ipcm = SOCK_CM_ERR;
	/* sock_dequeue_err_skb: SO_ERROR says the next ICMP error; after the last, nothing */
	if (u->errq && (u->errq->ee.ee_origin == SO_EE_ORIGIN_ICMP ||
			u->errq->ee.ee_origin == SO_EE_ORIGIN_ICMP6))
		u->err = (int)u->errq->ee.ee_errno;
	else if (icmp)
		u->err = 0;
	free(e->data);
	free(e);
	return (ssize_t)c;
}

/* ---- TCP_CORK (Linux tcp_push with TCP_NAGLE_CORK, and its 200 ms ceiling) ---- */

#define TCP_CORK_NS (200LL * 1000000) /* the longest that corked output waits */
#define TCP_LO_MSS 65483              /* loopback's MSS (MTU 65536 less headers, options) */
static int ncorked;                   /* sockets holding corked data */

static void skb_queue(struct task *t, struct usock *u, struct usock *p, const void *buf,
		      size_t c, size_t charge, struct file **fds, int nfds,
		      const struct sock_sendopt *o, const struct nkey *dstk, bool v4, uint32_t src4);
static void dns_tcp_serve(struct usock *p);
static int dns_tcp_connect(struct usock *u, const void *a);

static size_t
tcp_mss(struct usock *u)
{
	return u->tcp.user_mss ? (size_t)MIN(u->tcp.user_mss, TCP_LO_MSS) : TCP_LO_MSS;
}

/* Whatever u holds corked goes (sent already, or with its connection). */
static void
cork_drop(struct usock *u)
{
	if (!u->cork_buf)
		return;
	free(u->cork_buf);
	u->cork_buf = NULL;
	u->cork_len = 0;
	u->cork_until = 0;
	ncorked--;
}

/* Sends the first n held bytes to the peer (all: n = cork_len); none without a peer. */
static void
cork_push(struct usock *u, size_t n)
{
	if (!u->cork_len || !n)
		return;
	n = MIN(n, u->cork_len);
	if (u->peer && !(u->peer->shutdown & RCV_SHUT))
		skb_queue(NULL, u, u->peer, u->cork_buf, n, 0, NULL, 0, NULL, NULL,
			  u->family == AF_INET, 0);
	memmove(u->cork_buf, u->cork_buf + n, u->cork_len - n);
	u->cork_len -= n;
	if (!u->cork_len)
		cork_drop(u);
}

/* A corked send: holds buf, sending whole segments once there are some. */
static void
cork_add(struct usock *u, const void *buf, size_t n)
{
	size_t mss = tcp_mss(u);

	if (!n)
		return;
	if (!u->cork_len) {
		ncorked++;
		u->cork_until = monotonic_ns() + TCP_CORK_NS;
	}
	{
		char *nb = xmalloc(u->cork_len + n); /* (bounded by the send buffer) */

		if (u->cork_len)
			memcpy(nb, u->cork_buf, u->cork_len);
		free(u->cork_buf);
		u->cork_buf = nb;
	}
	memcpy(u->cork_buf + u->cork_len, buf, n);
	u->cork_len += n;
	if (u->cork_len >= mss)
		cork_push(u, u->cork_len / mss * mss);
}

/* The earliest time held output must go (the loop wakes then); 0: none. */
long long
sock_cork_deadline(void)
{
	struct usock *u;
	long long first = 0;

	if (!ncorked)
		return 0;
	DL_FOREACH(all_socks, u)
		if (u->cork_until && (!first || u->cork_until < first))
			first = u->cork_until;
	return first;
}

/* Sends the output held past its time. */
void
sock_cork_fire(void)
{
	struct usock *u;
	long long now;

	if (!ncorked)
		return;
	now = monotonic_ns();
	DL_FOREACH(all_socks, u)
		if (u->cork_until && now >= u->cork_until)
			cork_push(u, u->cork_len);
}

static struct usock *
usock_new(struct net_ns *net, int family, int type)
{
	struct usock *u = xcalloc(1, sizeof(*u));

	u->net = (struct net_ns *)ns_get(&net->ns);
	u->family = family;
	u->type = type;
	u->sndbuf = net_buf(net, P_NS_WMEM_DEFAULT);
	u->rcvbuf = net_buf(net, P_NS_RMEM_DEFAULT);
	u->hops = u->ttl = -1;
	u->tcp.quickack = 1;
	u->tcp.keepidle = 7200;
	u->tcp.keepintvl = 75;
	u->tcp.keepcnt = 9;
	u->tcp.syncnt = 6;        /* net.ipv4.tcp_syn_retries */
	u->pmtudisc = family == AF_INET6 ? IPV6_PMTUDISC_WANT : IP_PMTUDISC_WANT;
	u->mc_ttl = 1;
	u->mc_loop = true;
	u->mc_all = true;
	u->mc6_hops = 1;          /* IPV6_DEFAULT_MCASTHOPS */
	u->mc6_loop = true;
	u->rcvlowat = 1;
	u->incoming_cpu = -1;
	u->peek_off = -1;
	u->max_pacing_rate = ~0UL;
	u->txrehash = 1;          /* net.core.txrehash */
	DL_APPEND(all_socks, u);
	return u;
}

static void usock_release(struct usock *u);
static int diag_tcp_state(struct usock *u);
static uint64_t diag_cookie(uint64_t *c);
static void ghost_make(struct usock *u);
static void ghost_peer_fin(struct usock *u, bool abort);
static void syn_refuse(struct usock *l);

/* u's end of a connection goes (a close, a TCP disconnect): what its peer o sees. TCP: a
 * FIN, or with abort a reset; unix stream and seqpacket: the end (abort: ECONNRESET too). */
static void
peer_gone(struct usock *o, struct usock *u, bool abort)
{
	if (o->type != SOCK_DGRAM && o->family != AF_UNIX && !abort) {
		o->shutdown |= RCV_SHUT; /* TCP: a FIN; the first send after it is reset */
		o->peer_closed = true;
		o->fin_rcvd = true;
	} else if (o->type != SOCK_DGRAM) {
		o->shutdown = SHUT_BOTH;
		if (abort)
			o->err = ECONNRESET;
		if (o->family != AF_UNIX && o->state == SS_CONNECTED)
			o->net->mib.estab_resets += 2; /* both ends leave ESTABLISHED by the reset */
		o->reset = o->family != AF_UNIX;
	}
	if (o->type != SOCK_DGRAM) {
		o->gone_peer = u->addr;
		o->gone_peerlen = u->addrlen;
		o->has_gone_peer = true;
	}
	/* a datagram socket connected to u: no error (Linux), its next send finds nobody
	 * there (ECONNREFUSED) */
	set_peer(o, NULL);
	wake(o);
}

/* u goes: its peer sees the end, its names go. */
static void
usock_release(struct usock *u)
{
	struct usock *o, *e, *tmp;
	struct usock *dns = u->peer && u->peer->dns_srv ? u->peer : NULL;

	hsock_free(u->hs);
	u->hs = NULL;
	if (u->state == SS_LISTEN)
		syn_refuse(u);
	while ((e = u->acceptq)) { /* connections never accepted: TCP resets them */
		u->acceptq = e->anext;
		e->listener = NULL;
		e->embryo_reset = true;
		usock_release(e);
	}
	if (u->listener) { /* an embryo: off its listener's queue */
		for (struct usock **pp = &u->listener->acceptq; *pp; pp = &(*pp)->anext)
			if (*pp == u) {
				*pp = u->anext;
				u->listener->nacc--;
				break;
			}
	}
	cork_push(u, u->cork_len); /* what was held goes before the FIN */
	/* TCP: a close with unread data, or with SO_LINGER on and a zero time, resets */
	bool abort = u->rq || u->acceptq || u->embryo_reset ||
		     (u->family != AF_UNIX && u->linger.l_onoff && u->linger.l_linger == 0);

	if (u->family != AF_UNIX && u->type == SOCK_STREAM) {
		if (!abort) {
			if (!(u->shutdown & SEND_SHUT) && !u->fin_rcvd)
				u->fin_first = true; /* the close sends the first FIN */
			ghost_make(u);
		}
		ghost_peer_fin(u, abort);
	}
	FOR_EACH_REFERRER(u, o, tmp)
		peer_gone(o, u, abort);
	set_peer(u, NULL);
	DL_DELETE(all_socks, u);
	while (u->rq)
		rq_drop(u, u->rq);
	free(u->udp.pend);
	errq_purge(u);
	while (u->sent) { /* its messages still queued somewhere are charged to nobody now */
		struct skb *s = u->sent;

		DL_DELETE2(u->sent, s, sprev, snext);
		s->sender = NULL;
	}
	if (u->bound)
		iput(u->bound);
	waitq_wake(&u->wq);
	ns_put(&u->net->ns);
	landlock_put(u->ll_dom);
	free(u->peergroups);
	free(u->mc6);
	free(u->filter);
	free(u);
	if (dns) { /* the DNS server end goes with its client (a reset: no TIME_WAIT) */
		dns->linger = (struct linger){ 1, 0 };
		usock_release(dns);
	}
}

/* ---- garbage collection of sockets in flight (Linux net/unix/garbage.c) ----
 * A unix socket whose only references are messages in the queues of sockets that are
 * themselves only in flight (a socket sent into its own queue, two sent into each other's)
 * can never be received: nothing else would free it. Candidates: every socket whose file
 * is referenced only by messages. One referenced from the queue of a non-candidate is
 * alive, and so is everything in an alive one's queue; the rest is garbage, and its
 * queues are emptied (which frees it). Listeners' unaccepted connections count as
 * outside references (kept, as a listener's close frees them). */
static bool gc_running;
static struct usock **gc_stack; /* alive candidates whose queues are still to look at */
static int gc_top;

/* Calls fn on every candidate whose file a message in u's queue holds. */
static void
gc_children(struct usock *u, void (*fn)(struct usock *))
{
	struct skb *s;

	DL_FOREACH(u->rq, s)
		for (int i = 0; i < s->nfds; i++) {
			struct usock *c = s->fds[i] && file_is_socket(s->fds[i]) ? sock_of(s->fds[i])
										: NULL;
			if (c && c->gc_cand)
				fn(c);
		}
}

static void
gc_count(struct usock *c)
{
	c->gc_refs++;
}

static void
gc_mark(struct usock *u)
{
	if (u->gc_alive)
		return;
	u->gc_alive = true;
	gc_stack[gc_top++] = u; /* each candidate once: the stack has room for all */
}

static void
sock_gc(void)
{
	struct usock *u, *tmp;
	struct skb *garbage = NULL, *s, *stmp;
	int ncand = 0;

	if (gc_running)
		return;
	gc_running = true;
	DL_FOREACH(all_socks, u) {
		u->gc_refs = 0;
		u->gc_alive = false;
		u->gc_cand = u->family == AF_UNIX && u->file && u->inflight > 0 &&
			     u->file->refs == u->inflight;
		ncand += u->gc_cand;
	}
	if (ncand) {
		gc_stack = xcalloc(ncand, sizeof(*gc_stack));
		gc_top = 0;
		DL_FOREACH(all_socks, u)
			if (u->gc_cand)
				gc_children(u, gc_count);
		DL_FOREACH(all_socks, u)
			if (u->gc_cand && u->inflight > u->gc_refs)
				gc_mark(u);
		while (gc_top > 0)
			gc_children(gc_stack[--gc_top], gc_mark);
		free(gc_stack);
		gc_stack = NULL;
		DL_FOREACH(all_socks, u) {
			if (!u->gc_cand || u->gc_alive)
				continue;
			u->oob = NULL;
			DL_FOREACH_SAFE(u->rq, s, stmp) { /* out of the queue, freed below */
				DL_DELETE(u->rq, s);
				u->rq_bytes -= s->len;
				u->rq_count--;
				DL_APPEND(garbage, s);
			}
		}
	}
	DL_FOREACH(all_socks, u)
		u->gc_cand = false;
	/* dropping the messages drops the last references: the sockets go */
	DL_FOREACH_SAFE(garbage, s, stmp) {
		DL_DELETE(garbage, s);
		skb_free(s);
	}
	gc_running = false;
	(void)tmp;
}

void
sock_file_unref(struct file *f)
{
	struct usock *u = file_is_socket(f) ? sock_of(f) : NULL;

	if (u && u->family == AF_UNIX && u->inflight > 0 && f->refs == u->inflight)
		sock_gc();
}

static void
sock_free_priv(struct inode *ino)
{
	struct usock *u = ino->priv;

	if (u) {
		u->ino = NULL;
		usock_release(u);
	}
	ino->priv = NULL;
}

/* The last descriptor went (a socket has one open file): the socket goes. */
static void
sock_release_file(struct file *f)
{
	sock_free_priv(f->inode);
}

/* Linux cannot reopen a socket through /proc/self/fd. */
static int
sock_reopen(struct task *t, struct file *f)
{
	return -ENXIO;
}

static const struct inode_ops sock_iops = {
	.open = sock_reopen,
	.setattr = pseudo_setattr,
};

/* The name of the socket's protocol as Linux's struct proto has it (sk_prot_creator),
 * which sockfs shows as the inode's system.sockprotoname attribute (strace -yy reads it). */
const char *
sock_proto_name(const struct inode *i)
{
	const struct usock *u = i->iops == &sock_iops ? i->priv : NULL;
	bool v6 = u && u->family == AF_INET6;

	if (!u)
		return NULL;
	if (u->family == AF_UNIX) /* datagram and seqpacket sockets share unix_dgram_proto */
		return u->type == SOCK_STREAM ? "UNIX-STREAM" : "UNIX";
	if (u->family == AF_NETLINK)
		return "NETLINK";
	if (u->protocol == IPPROTO_TCP)
		return v6 ? "TCPv6" : "TCP";
	if (u->protocol == IPPROTO_UDPLITE)
		return v6 ? "UDPLITEv6" : "UDP-Lite";
	return v6 ? "UDPv6" : "UDP";
}

static struct file *
sock_file(struct task *t, struct usock *u, int flags)
{
	struct inode *ino = pseudo_inode(&sockfs, S_IFSOCK | 0777, t ? task_fsuid(t) : 0,
					 t ? task_fsgid(t) : 0);
	struct file *f;
	char name[40];

	ino->iops = &sock_iops;
	ino->fops = &sock_fops;
	ino->priv = u;
	ino->free_priv = sock_free_priv;
	u->ino = ino;
	if (!u->ll_dom)
		u->ll_dom = landlock_get(t ? t->landlock : NULL);
	snprintf(name, sizeof(name), "socket:[%lu]", (unsigned long)ino->ino);
	f = pseudo_file(&sockfs, ino, name, &sock_fops, O_RDWR | (flags & O_NONBLOCK));
	u->file = f;
	return f;
}

static int
check_type(int type)
{
	return type == SOCK_STREAM || type == SOCK_DGRAM || type == SOCK_SEQPACKET ? 0
	       : -ESOCKTNOSUPPORT;
}

static void
task_cred(struct task *t, struct ucred *c)
{
	c->pid = t ? t->tgid : 0;
	c->uid = t ? t->euid : 0;
	c->gid = t ? t->egid : 0;
}

/* The supplementary groups SO_PEERGROUPS reports, taken with peercred: a copy of n. */
static void
peer_groups_set(struct usock *u, const gid_t *groups, int n)
{
	free(u->peergroups);
	u->peergroups = NULL;
	u->npeergroups = n;
	if (n) {
		u->peergroups = xmalloc(n * sizeof(gid_t));
		memcpy(u->peergroups, groups, n * sizeof(gid_t));
	}
}

/* Linux ping_init_sock: an ICMP socket is for callers whose effective or a supplementary group
 * lies in the namespace's net.ipv4.ping_group_range (by default none). */
static bool
ping_group_allowed(const struct task *t)
{
	const int *r = net_of(t)->sysctl[P_NS_PING_GROUPS - P_NS_TCP_SACK];

	if ((long)t->egid >= r[0] && (long)t->egid <= r[1])
		return true;
	for (int i = 0; i < t->ngroups; i++)
		if ((long)t->groups[i] >= r[0] && (long)t->groups[i] <= r[1])
			return true;
	return false;
}

void
sock_set_ping_groups(struct task *t, int lo, int hi)
{
	int *r = net_of(t)->sysctl[P_NS_PING_GROUPS - P_NS_TCP_SACK];

	r[0] = lo;
	r[1] = hi;
}

int
vfs_socket(struct task *t, int family, int type, int protocol, int flags, struct file **out)
{
	int err = check_type(family == AF_UNIX && type == SOCK_RAW ? SOCK_DGRAM : type);

	if (family == AF_PACKET)
		return -EPERM; /* Linux packet_create without CAP_NET_RAW: never granted here */
	if (family != AF_UNIX && family != AF_INET && family != AF_INET6 && family != AF_NETLINK)
		return -EAFNOSUPPORT;
	if (family == AF_NETLINK) {
		if (type != SOCK_RAW && type != SOCK_DGRAM)
			return -ESOCKTNOSUPPORT;
		if (protocol != NETLINK_ROUTE && protocol != NETLINK_KOBJECT_UEVENT &&
		    protocol != NETLINK_SOCK_DIAG)
			return -EPROTONOSUPPORT;
		*out = sock_file(t, usock_new(net_of(t), family, type), flags);
		sock_of(*out)->protocol = protocol;
		return 0;
	} else if (family == AF_UNIX) {
		if (protocol != 0 && protocol != PF_UNIX)
			return -EPROTONOSUPPORT;
	} else if (type == SOCK_STREAM) {
		if (protocol != 0 && protocol != IPPROTO_TCP)
			return -EPROTONOSUPPORT;
	} else if (type == SOCK_DGRAM &&
		   protocol == (family == AF_INET ? IPPROTO_ICMP : IPPROTO_ICMPV6)) {
		if (!ping_group_allowed(t)) /* Linux ping_init_sock */
			return -EACCES;
	} else if (type == SOCK_DGRAM) {
		if (protocol != 0 && protocol != IPPROTO_UDP && protocol != IPPROTO_UDPLITE)
			return -EPROTONOSUPPORT;
	} else if (type == SOCK_RAW) {
		/* Linux inet_create: protocol 0 is none for a raw socket; raw ones are not
		 * given inside */
		return protocol == 0 ? -EPROTONOSUPPORT : -EPERM;
	} else {
		return -ESOCKTNOSUPPORT;
	}
	if (err)
		return err;
	if (family == AF_UNIX && type == SOCK_RAW)
		type = SOCK_DGRAM; /* unix_create: a raw unix socket is a datagram one */
	*out = sock_file(t, usock_new(net_of(t), family, type), flags);
	if (family == AF_INET || family == AF_INET6)
		sock_of(*out)->protocol = type == SOCK_STREAM ? IPPROTO_TCP
					  : protocol ? protocol : IPPROTO_UDP;
	if ((family == AF_INET || family == AF_INET6) && type == SOCK_STREAM) {
		/* Linux tcp_init_sock: the buffers start at tcp_{w,r}mem[1] */
		sock_of(*out)->sndbuf = net_buf_at(net_of(t), P_NS_TCP_WMEM, 1);
		sock_of(*out)->rcvbuf = net_buf_at(net_of(t), P_NS_TCP_RMEM, 1);
	}
	if (is_ping(sock_of(*out))) {
		/* INET_PROTOSW_REUSE: SO_REUSEADDR from the start; an IPv6 one is v6only */
		sock_of(*out)->reuseaddr = true;
		sock_of(*out)->v6only = family == AF_INET6;
	}
	return 0;
}

int
vfs_socketpair(struct task *t, int type, int flags, struct file *out[2])
{
	struct usock *a, *b;
	int err;

	if (type == SOCK_RAW)
		type = SOCK_DGRAM; /* as unix_create */
	err = check_type(type);
	if (err)
		return err;
	a = usock_new(net_of(t), AF_UNIX, type);
	b = usock_new(net_of(t), AF_UNIX, type);
	set_peer(a, b);
	set_peer(b, a);
	a->state = b->state = SS_CONNECTED;
	task_cred(t, &a->peercred);
	b->peercred = a->peercred;
	a->has_peercred = b->has_peercred = true;
	peer_groups_set(a, t ? t->groups : NULL, t ? t->ngroups : 0);
	peer_groups_set(b, a->peergroups, a->npeergroups);
	out[0] = sock_file(t, a, flags);
	out[1] = sock_file(t, b, flags);
	return 0;
}

/* ---- names ---- */

/* Sockets bound to filesystem names, by inode; abstract names are found on the list. A
 * name on a host directory (--rw) may come back as another inode object for the same host
 * inode: the same file system and inode number match too while the bound one still has a
 * name (a host file system reuses the numbers of removed files). */
static struct usock *
find_bound_inode(struct inode *ino)
{
	struct usock *o;

	DL_FOREACH(all_socks, o)
		if (o->bound == ino)
			return o;
	DL_FOREACH(all_socks, o)
		if (o->bound && o->bound->sb == ino->sb && ino->ino && o->bound->nlink &&
		    o->bound->ino == ino->ino && o->bound->dev == ino->dev)
			return o;
	return NULL;
}

static struct usock *
find_abstract(struct net_ns *n, const struct sockaddr_un *a, socklen_t len)
{
	struct usock *o;

	DL_FOREACH(all_socks, o)
		if (o->net == n && o->family == AF_UNIX && o->addrlen == len && !o->bound &&
		    o->addr.sun_path[0] == '\0' &&
		    !memcmp(o->addr.sun_path, a->sun_path, len - sizeof(sa_family_t)))
			return o;
	return NULL;
}

/* Checks a guest address: *pathname set when it names a filesystem path (NUL-terminated
 * copy in path). Returns the significant length, or -errno. */
static int
addr_check(const struct sockaddr_un *a, socklen_t len, char *path, bool *pathname)
{
	size_t n;

	if (len < sizeof(sa_family_t) || len > sizeof(struct sockaddr_un))
		return -EINVAL;
	if (a->sun_family != AF_UNIX)
		return -EINVAL;
	*pathname = false;
	if (len == sizeof(sa_family_t))
		return len;
	if (a->sun_path[0] == '\0')
		return len;
	n = strnlen(a->sun_path, len - sizeof(sa_family_t));
	memcpy(path, a->sun_path, n);
	path[n] = '\0';
	*pathname = true;
	return (int)(sizeof(sa_family_t) + n + 1);
}

static unsigned int autobind_next = 0x1000;

static void
autobind(struct usock *u)
{
	struct sockaddr_un a = { .sun_family = AF_UNIX };
	socklen_t len = sizeof(sa_family_t) + 6;

	do {
		char hex[8];
		snprintf(hex, sizeof(hex), "%05x", autobind_next++ & 0xfffff);
		memcpy(a.sun_path + 1, hex, 5);
	} while (find_abstract(u->net, &a, len));
	u->addr = a;
	u->addrlen = len;
}


/* ---- AF_NETLINK: NETLINK_ROUTE shows the loopback interface only; NETLINK_KOBJECT_UEVENT
 * sockets bind and take options but never hear of a device (port ids are per protocol) ---- */

static struct sockaddr_nl *
nl_name(struct usock *u)
{
	return (struct sockaddr_nl *)&u->addr;
}

/* The port id: the process's pid if free, else a negative unique one (as Linux). */
static void
nl_autobind(struct usock *u, struct task *t)
{
	static int next_neg = -4096;
	struct sockaddr_nl *a = nl_name(u);
	struct usock *o;
	int pid = t ? t->tgid : 1;

	if (u->addrlen)
		return;
	DL_FOREACH(all_socks, o)
		if (o != u && o->family == AF_NETLINK && o->protocol == u->protocol &&
		    o->net == u->net && o->addrlen && (int)nl_name(o)->nl_pid == pid)
			pid = next_neg--;
	memset(&u->addr, 0, sizeof(u->addr));
	a->nl_family = AF_NETLINK;
	a->nl_pid = (unsigned)pid;
	u->addrlen = sizeof(*a);
}

static int
nl_bind(struct task *t, struct usock *u, const void *addr, socklen_t len)
{
	const struct sockaddr_nl *a = addr;
	struct usock *o;

	if (len < sizeof(*a) || a->nl_family != AF_NETLINK)
		return -EINVAL;
	/* Linux netlink_bind: a bound socket must name its own port id (0 is not it) */
	if (u->addrlen && a->nl_pid != nl_name(u)->nl_pid)
		return -EINVAL;
	if (!u->addrlen && a->nl_pid == 0) {
		nl_autobind(u, t);
	} else if (!u->addrlen) {
		DL_FOREACH(all_socks, o)
			if (o->family == AF_NETLINK && o->protocol == u->protocol &&
			    o->net == u->net && o->addrlen && nl_name(o)->nl_pid == a->nl_pid)
				return -EADDRINUSE;
		memset(&u->addr, 0, sizeof(u->addr));
		nl_name(u)->nl_family = AF_NETLINK;
		nl_name(u)->nl_pid = a->nl_pid;
		u->addrlen = sizeof(*a);
	}
	if (a->nl_groups) { /* joined (root may); nothing here ever changes to announce */
		u->nl_groups = (u->nl_groups & ~0xffffffffULL) | a->nl_groups;
		u->nl_has_groups = true;
	}
	return 0;
}

struct nlbuf {
	char *buf;
	size_t len, cap;
};

static void *
nl_put(struct nlbuf *b, size_t n)
{
	size_t need = NLMSG_ALIGN(n);
	void *p;

	if (b->len + need > b->cap) {
		char *nb;

		b->cap = MAX(b->cap * 2, b->len + need + 256);
		nb = xmalloc(b->cap);
		if (b->len)
			memcpy(nb, b->buf, b->len);
		free(b->buf);
		b->buf = nb;
	}
	p = b->buf + b->len;
	memset(p, 0, need);
	b->len += need;
	return p;
}

static void
nl_attr(struct nlbuf *b, struct nlmsghdr *h, unsigned short type, const void *data, size_t n)
{
	size_t off = (char *)h - b->buf;
	struct rtattr *rta = nl_put(b, RTA_LENGTH(n));

	rta->rta_type = type;
	rta->rta_len = RTA_LENGTH(n);
	memcpy(RTA_DATA(rta), data, n);
	h = (struct nlmsghdr *)(b->buf + off);
	h->nlmsg_len = b->len - off;
}

static struct nlmsghdr *
nl_msg(struct nlbuf *b, const struct nlmsghdr *req, unsigned short type, unsigned short flags,
       size_t payload, size_t *off)
{
	struct nlmsghdr *h;

	*off = b->len;
	h = nl_put(b, NLMSG_LENGTH(payload));
	h->nlmsg_len = NLMSG_LENGTH(payload);
	h->nlmsg_type = type;
	h->nlmsg_flags = flags;
	h->nlmsg_seq = req->nlmsg_seq;
	h->nlmsg_pid = req->nlmsg_pid;
	return h;
}

/* ---- lo's addresses (RTM_NEWADDR, RTM_DELADDR; 127.0.0.1/8 and ::1/128 at first) ----
 * On lo an IPv4 address makes its whole prefix local (Linux adds the prefix route as
 * RTN_LOCAL on a loopback device) and its last address the subnet's broadcast; an IPv6
 * address is local itself. */
struct lo_addr {
	struct lo_addr *next, *prev;
	int family;
	uint32_t v4;              /* host order */
	struct in6_addr v6;
	int prefixlen;
	unsigned char proto;      /* IFA_PROTO: who made it (IFAPROT_KERNEL_LO for lo's ::1) */
	bool secondary;           /* IPv4: in the subnet of an earlier one (IFA_F_SECONDARY) */
	bool routed;              /* IPv4: its local routes exist (made at an up, they stay
				   * through a down, which takes only the broadcast route) */
};
static const char *netdev_name(struct net_ns *n, int index);
static void lo_notify_link(struct net_ns *n);
static void lo_routes_down(struct net_ns *n);
static void lo_notify_addr_routes(struct net_ns *n, struct lo_addr *a, bool add);
static unsigned long mc_born(struct net_ns *n, uint32_t grp, struct usock *u);

/* Linux's scope rank of an IPv6 address for source selection (ipv6_addr_src_scope) */
static int
ip6_src_scope(const struct in6_addr *a)
{
	if (IN6_IS_ADDR_LOOPBACK(a))
		return 1;
	if (IN6_IS_ADDR_LINKLOCAL(a))
		return 2;
	return IN6_IS_ADDR_SITELOCAL(a) ? 5 : 14;
}

/* Puts a new address on lo's list: an IPv4 one at the end, an IPv6 one before the first
 * IPv6 one of the same or a narrower scope, as Linux keeps a device's IPv6 list (widest
 * scope first, newest first within one: ipv6_link_dev_addr), which dumps show */
static uint32_t mask4(int prefixlen);

/* An IPv4 address's scope on lo: host for 127.0.0.0/8, else universe (global). */
static int
lo_scope4(const struct lo_addr *a)
{
	return (a->v4 >> 24) == 127 ? RT_SCOPE_HOST : RT_SCOPE_UNIVERSE;
}

/* Are IPv4 addresses a and b of one subnet (the same prefix length and prefix)? That
 * makes the later one a secondary. */
static bool
same_subnet4(const struct lo_addr *a, const struct lo_addr *b)
{
	return a->prefixlen == b->prefixlen &&
	       (a->v4 & mask4(a->prefixlen)) == (b->v4 & mask4(b->prefixlen));
}

/* An IPv4 address joins lo's list as Linux's __inet_insert_ifa puts it: one in the
 * subnet (same prefix length) of an address there is a secondary and goes last; a
 * primary goes after the last primary of a scope at least as wide (host 254 > global 0). */
static void
lo_addr_link4(struct net_ns *n, struct lo_addr *a)
{
	struct lo_addr *at, *last4 = NULL, *after = NULL, *first4 = NULL;

	DL_FOREACH(n->lo_addrs, at) {
		if (at->family != AF_INET)
			continue;
		first4 = first4 ? first4 : at;
		last4 = at;
		if (!at->secondary && lo_scope4(a) <= lo_scope4(at))
			after = at;
		if (same_subnet4(at, a))
			a->secondary = true;
	}
	if (a->secondary)
		after = last4;
	if (after)
		DL_APPEND_ELEM(n->lo_addrs, after, a);
	else if (first4)
		DL_PREPEND_ELEM(n->lo_addrs, first4, a);
	else
		DL_PREPEND(n->lo_addrs, a);
}

static void
lo_addr_link(struct net_ns *n, struct lo_addr *a)
{
	struct lo_addr *at;

	if (a->family == AF_INET) {
		lo_addr_link4(n, a);
		return;
	}
	if (a->family == AF_INET6)
		DL_FOREACH(n->lo_addrs, at)
			if (at->family == AF_INET6 &&
			    ip6_src_scope(&at->v6) <= ip6_src_scope(&a->v6)) {
				DL_PREPEND_ELEM(n->lo_addrs, at, a);
				return;
			}
	DL_APPEND(n->lo_addrs, a);
}
struct nlbuf;
static void nl_notify(struct net_ns *net, int group, struct nlbuf *b);
static void lo_notify_addr(struct net_ns *n, struct lo_addr *a, bool add,
			   const struct nlmsghdr *req);
#define LO_ADDRS_MAX 256

/* lo comes up (Linux's inetdev_event and addrconf on NETDEV_UP of a loopback device):
 * 127.0.0.1/8 and ::1/128 join its addresses unless there; going down, the IPv6 ones go
 * (the IPv4 ones stay, without routes while lo is down). */
static void
lo_set_up(struct net_ns *n, bool up)
{
	static const struct nlmsghdr none; /* (notifications of no request) */
	struct lo_addr *a, *tmp;
	bool have4 = false, have6 = false;

	if (!up) {
		if (!n->lo_up)
			return;
		n->lo_up = false;
		n->lo_went_down = true;
		n->mc6_down = (long)n->mc_seq;
		lo_notify_link(n);
		lo_routes_down(n);
		DL_FOREACH_SAFE(n->lo_addrs, a, tmp)
			if (a->family == AF_INET6) {
				DL_DELETE(n->lo_addrs, a);
				lo_notify_addr(n, a, false, &none);
				free(a);
			}
		return;
	}
	if (n->lo_up)
		return;
	n->allhosts_born = mc_born(n, htonl(INADDR_ALLHOSTS_GROUP), NULL); /* (lo still down) */
	n->lo_up = true;
	DL_FOREACH(n->lo_addrs, a) {
		have4 |= a->family == AF_INET && a->v4 == INADDR_LOOPBACK;
		have6 |= a->family == AF_INET6 && IN6_IS_ADDR_LOOPBACK(&a->v6);
	}
	n->fib4 = n->qdisc = true;
	lo_notify_link(n);
	DL_FOREACH(n->lo_addrs, a) /* (the routes of those it had: fib_netdev_event) */
		if (a->family == AF_INET)
			lo_notify_addr_routes(n, a, true);
	if (!have4) {
		a = xcalloc(1, sizeof(*a));
		a->family = AF_INET;
		a->v4 = INADDR_LOOPBACK;
		a->prefixlen = 8;
		lo_addr_link(n, a); /* (a secondary if 127/8 has an address already) */
		lo_notify_addr(n, a, true, &none);
	}
	if (!have6) {
		a = xcalloc(1, sizeof(*a));
		a->family = AF_INET6;
		a->v6 = in6addr_loopback;
		a->prefixlen = 128;
		a->proto = IFAPROT_KERNEL_LO;
		lo_addr_link(n, a);
		lo_notify_addr(n, a, true, &none);
	}
}

/* lo's MTU (dev_set_mtu): a change is announced. */
static void
lo_set_mtu(struct net_ns *n, int mtu)
{
	if (n->mtu == mtu)
		return;
	n->mtu = mtu;
	lo_notify_link(n);
}

static uint32_t
mask4(int prefixlen)
{
	return prefixlen <= 0 ? 0 : 0xffffffffu << (32 - MIN(prefixlen, 32));
}

/* The lo address whose prefix holds ip (host order), or NULL: ip is local then. */
static struct lo_addr *
lo_addr4(struct net_ns *n, uint32_t ip)
{
	struct lo_addr *a;

	DL_FOREACH(n->lo_addrs, a)
		if (a->family == AF_INET && (ip & mask4(a->prefixlen)) == (a->v4 & mask4(a->prefixlen)))
			return a;
	return NULL;
}

static bool
ip4_local(struct net_ns *n, uint32_t ip)
{
	return lo_addr4(n, ip) != NULL;
}

/* A subnet broadcast of lo's (prefix | ~mask, for prefixes shorter than 31). */
static bool
ip4_lo_bcast(struct net_ns *n, uint32_t ip)
{
	struct lo_addr *a;

	DL_FOREACH(n->lo_addrs, a)
		if (a->family == AF_INET && a->prefixlen < 31 &&
		    ip == ((a->v4 & mask4(a->prefixlen)) | ~mask4(a->prefixlen)))
			return true;
	return false;
}

static bool
ip6_local(struct net_ns *n, const struct in6_addr *ip)
{
	struct lo_addr *a;

	DL_FOREACH(n->lo_addrs, a)
		if (a->family == AF_INET6 && IN6_ARE_ADDR_EQUAL(&a->v6, ip))
			return true;
	return false;
}

/* The source a packet to IPv4 ip takes from the any address: the lo address of its
 * prefix, else 127.0.0.1 (host order). */
static uint32_t
lo_src4(struct net_ns *n, uint32_t ip)
{
	struct lo_addr *a = lo_addr4(n, ip);

	return a ? a->v4 : INADDR_LOOPBACK;
}

/* RTM_NEWADDR / RTM_DELADDR on lo (inet_rtm_newaddr, inet6_rtm_newaddr, *_deladdr). */
static int
nl_modify_addr(struct net_ns *net, const void *msg, size_t len, bool add, int flags,
	       const struct nlmsghdr *req)
{
	const struct nlmsghdr *h = msg;
	struct ifaddrmsg ifa;
	const char *p = (const char *)msg + NLMSG_LENGTH(sizeof(ifa));
	size_t left;
	bool have_local = false, have_addr = false;
	unsigned char local[16] = { 0 }, addr[16] = { 0 }, proto = 0;
	struct lo_addr *a, *tmp;
	int alen, n = 0;

	if (len < NLMSG_LENGTH(sizeof(ifa)))
		return -EINVAL;
	memcpy(&ifa, NLMSG_DATA(h), sizeof(ifa));
	if (ifa.ifa_family != AF_INET && ifa.ifa_family != AF_INET6)
		return -EAFNOSUPPORT;
	alen = ifa.ifa_family == AF_INET ? 4 : 16;
	left = len - NLMSG_LENGTH(sizeof(ifa));
	while (left >= sizeof(struct rtattr)) {
		struct rtattr at;

		memcpy(&at, p, sizeof(at));
		if (at.rta_len < sizeof(at) || at.rta_len > left)
			break;
		if ((at.rta_type == IFA_LOCAL || at.rta_type == IFA_ADDRESS) &&
		    at.rta_len - sizeof(at) >= (size_t)alen) {
			memcpy(at.rta_type == IFA_LOCAL ? local : addr, p + sizeof(at), alen);
			*(at.rta_type == IFA_LOCAL ? &have_local : &have_addr) = true;
		}
		if (at.rta_type == IFA_PROTO && at.rta_len > sizeof(at))
			proto = (unsigned char)p[sizeof(at)];
		left -= MIN(left, (size_t)RTA_ALIGN(at.rta_len));
		p += RTA_ALIGN(at.rta_len);
	}
	if (ifa.ifa_prefixlen > (ifa.ifa_family == AF_INET ? 32 : 128))
		return -EINVAL;
	if (!have_local && !have_addr)
		return add || ifa.ifa_family == AF_INET6 ? -EINVAL : -EADDRNOTAVAIL;
	if (!have_local)
		memcpy(local, addr, alen);
	if (ifa.ifa_index != LOOPBACK_IFINDEX)
		return netdev_name(net, (int)ifa.ifa_index) ? -EOPNOTSUPP : -ENODEV;
	DL_FOREACH_SAFE(net->lo_addrs, a, tmp) {
		bool same;

		n++;
		if (a->family != ifa.ifa_family)
			continue;
		if (a->family == AF_INET) {
			uint32_t v;

			memcpy(&v, local, 4);
			same = a->v4 == ntohl(v) && (!add || a->prefixlen == ifa.ifa_prefixlen);
		} else {
			same = !memcmp(&a->v6, local, 16);
		}
		if (!same)
			continue;
		if (!add) {
			/* a primary's secondaries go first (__inet_del_ifa; promote_secondaries
			 * is 0) */
			if (a->family == AF_INET && !a->secondary) {
				struct lo_addr *s, *stmp;

				DL_FOREACH_SAFE(net->lo_addrs, s, stmp)
					if (s->family == AF_INET && s->secondary && same_subnet4(s, a)) {
						lo_notify_addr(net, s, false, req);
						DL_DELETE(net->lo_addrs, s);
						free(s);
					}
			}
			DL_DELETE(net->lo_addrs, a);
			lo_notify_addr(net, a, false, req);
			free(a);
			return 0;
		}
		if ((flags & NLM_F_EXCL) || !(flags & NLM_F_REPLACE))
			return -EEXIST;
		a->prefixlen = ifa.ifa_prefixlen;
		lo_notify_addr(net, a, true, req);
		return 0;
	}
	if (!add)
		return -EADDRNOTAVAIL;
	if (n >= LO_ADDRS_MAX)
		return -ENOSPC;
	a = xcalloc(1, sizeof(*a));
	a->family = ifa.ifa_family;
	a->prefixlen = ifa.ifa_prefixlen;
	a->proto = proto;
	if (a->family == AF_INET) {
		uint32_t v;

		memcpy(&v, local, 4);
		a->v4 = ntohl(v);
		net->fib4 = true;
	} else {
		memcpy(&a->v6, local, 16);
	}
	lo_addr_link(net, a);
	lo_notify_addr(net, a, true, req);
	return 0;
}

/* ---- interfaces: lo (index 1) and the tun devices /dev/net/tun makes (TUNSETIFF) ----
 * A tun interface lives while its file does; it stays down and carries nothing, but it
 * has a name and an index (in RTM_GETLINK dumps, SIOCGIFINDEX, SO_BINDTODEVICE). */
struct netdev {
	struct netdev *next, *prev;
	struct net_ns *net;       /* the namespace it is in (a reference) */
	int index;
	bool tap;
	short flags;              /* TUNSETIFF's IFF_TUN/IFF_TAP/IFF_NO_PI (TUNGETIFF) */
	char name[IFNAMSIZ];
};
static struct netdev *netdevs;
static int next_ifindex = 2;     /* Linux numbers interfaces on, never reusing one */
#define NETDEV_MAX 256

static struct netdev *
netdev_find(struct net_ns *n, const char *name)
{
	struct netdev *d;

	DL_FOREACH(netdevs, d)
		if (d->net == n && !strncmp(d->name, name, IFNAMSIZ))
			return d;
	return NULL;
}

/* The index of interface name (NUL-terminated, < IFNAMSIZ), 0 if none. */
static int
netdev_index(struct net_ns *n, const char *name)
{
	struct netdev *d;

	if (!strcmp(name, "lo"))
		return LOOPBACK_IFINDEX;
	d = netdev_find(n, name);
	return d ? d->index : 0;
}

/* Whether the socket's network namespace has an interface of that name (NUL-terminated) */
bool
sock_has_netdev(struct file *f, const char *name)
{
	return netdev_index(sock_of(f)->net, name) != 0;
}

static const char *
netdev_name(struct net_ns *n, int index)
{
	struct netdev *d;

	if (index == LOOPBACK_IFINDEX)
		return "lo";
	DL_FOREACH(netdevs, d)
		if (d->net == n && d->index == index)
			return d->name;
	return NULL;
}

/* Linux dev_valid_name */
static bool
netdev_valid_name(const char *n)
{
	if (!*n || strnlen(n, IFNAMSIZ) >= IFNAMSIZ || !strcmp(n, ".") || !strcmp(n, ".."))
		return false;
	for (; *n; n++)
		if (*n == '/' || *n == ':' || *n == ' ' || (*n >= '\t' && *n <= '\r'))
			return false;
	return true;
}

/* A new tun (or tap) interface named req ("" for tun%d / tap%d; one %d takes the first
 * free number): its index, with its name in out; -EINVAL for a bad name or lo's, -EBUSY
 * for another tun device's (attached already), -ENFILE when there are too many. */
int
sock_netdev_add(struct task *t, const char *req, bool tap, char out[IFNAMSIZ], short flags)
{
	struct net_ns *net = net_of(t);
	char name[IFNAMSIZ];
	struct netdev *d;
	const char *pct;
	int n = 0;

	snprintf(name, sizeof(name), "%s", *req ? req : tap ? "tap%d" : "tun%d");
	if (!netdev_valid_name(name))
		return -EINVAL;
	if ((pct = strchr(name, '%'))) { /* dev_alloc_name: one %d, the first free number */
		char cand[IFNAMSIZ + 16];

		if (pct[1] != 'd' || strchr(pct + 2, '%'))
			return -EINVAL;
		for (n = 0; n < NETDEV_MAX; n++) {
			snprintf(cand, sizeof(cand), "%.*s%d%s", (int)(pct - name), name, n, pct + 2);
			if (strlen(cand) >= IFNAMSIZ)
				return -EINVAL;
			if (!netdev_index(net, cand))
				break;
		}
		if (n == NETDEV_MAX)
			return -ENFILE;
		memcpy(name, cand, IFNAMSIZ);
	} else if (netdev_index(net, name)) {
		return strcmp(name, "lo") ? -EBUSY : -EINVAL;
	}
	n = 0;
	DL_FOREACH(netdevs, d)
		n++;
	if (n >= NETDEV_MAX)
		return -ENFILE;
	d = xcalloc(1, sizeof(*d));
	d->net = (struct net_ns *)ns_get(&net->ns);
	d->index = next_ifindex++;
	d->tap = tap;
	d->flags = flags;
	memcpy(d->name, name, IFNAMSIZ);
	DL_APPEND(netdevs, d);
	memcpy(out, name, IFNAMSIZ);
	return d->index;
}

int
sock_netdev_name(int index, char out[IFNAMSIZ], short *flags)
{
	struct netdev *d;

	DL_FOREACH(netdevs, d)
		if (d->index == index) {
			memcpy(out, d->name, IFNAMSIZ);
			*flags = d->flags;
			return 0;
		}
	return -ENODEV;
}

void
sock_netdev_del(int index)
{
	struct netdev *d, *tmp;

	DL_FOREACH_SAFE(netdevs, d, tmp)
		if (d->index == index) {
			DL_DELETE(netdevs, d);
			ns_put(&d->net->ns);
			free(d);
		}
}

/* RTM_NEWLINK for a tun/tap interface: down, no carrier (Linux's look of a fresh one) */
static void
nl_link_tun(struct nlbuf *b, const struct nlmsghdr *req, const struct netdev *d)
{
	size_t off;
	struct nlmsghdr *h = nl_msg(b, req, RTM_NEWLINK, NLM_F_MULTI, sizeof(struct ifinfomsg), &off);
	struct ifinfomsg *ifi = NLMSG_DATA(h);
	unsigned int mtu = 1500, txq = 500;
	unsigned char mac[6] = { 0 };

	ifi->ifi_family = AF_UNSPEC;
	ifi->ifi_type = d->tap ? ARPHRD_ETHER : ARPHRD_NONE;
	ifi->ifi_index = d->index;
	ifi->ifi_flags = d->tap ? IFF_BROADCAST | IFF_MULTICAST
				: IFF_POINTOPOINT | IFF_NOARP | IFF_MULTICAST;
	nl_attr(b, (struct nlmsghdr *)(b->buf + off), IFLA_IFNAME, d->name, strlen(d->name) + 1);
	nl_attr(b, (struct nlmsghdr *)(b->buf + off), IFLA_TXQLEN, &txq, sizeof(txq));
	nl_attr(b, (struct nlmsghdr *)(b->buf + off), IFLA_MTU, &mtu, sizeof(mtu));
	if (d->tap)
		nl_attr(b, (struct nlmsghdr *)(b->buf + off), IFLA_ADDRESS, mac, sizeof(mac));
	struct rtnl_link_stats64 stats64 = { 0 };
	struct rtnl_link_stats stats = { 0 };
	nl_attr(b, (struct nlmsghdr *)(b->buf + off), IFLA_STATS64, &stats64, sizeof(stats64));
	nl_attr(b, (struct nlmsghdr *)(b->buf + off), IFLA_STATS, &stats, sizeof(stats));
}

/* lo's flags (SIOCGIFFLAGS, ifi_flags): down in a new namespace until set up */
static unsigned int
lo_flags(struct net_ns *n)
{
	return n->lo_up ? IFF_UP | IFF_LOOPBACK | IFF_RUNNING | IFF_LOWER_UP : IFF_LOOPBACK;
}

unsigned int
sock_lo_state(struct ns_common *ns, int *mtu)
{
	struct net_ns *n = ns ? (struct net_ns *)ns : init_net;

	if (!n) { /* before the first task: the initial namespace's start */
		*mtu = 65536;
		return IFF_UP | IFF_LOOPBACK | IFF_RUNNING | IFF_LOWER_UP;
	}
	*mtu = n->mtu;
	return lo_flags(n);
}

static void
nl_link(struct net_ns *n, struct nlbuf *b, const struct nlmsghdr *req)
{
	size_t off;
	struct nlmsghdr *h = nl_msg(b, req, RTM_NEWLINK, NLM_F_MULTI, sizeof(struct ifinfomsg), &off);
	struct ifinfomsg *ifi = NLMSG_DATA(h);
	unsigned char mac[6] = { 0 };
	unsigned int mtu = (unsigned int)n->mtu, txq = 1000;
	struct rtnl_link_stats stats = { 0 };
	struct rtnl_link_stats64 stats64 = { 0 };

	ifi->ifi_family = AF_UNSPEC;
	ifi->ifi_type = ARPHRD_LOOPBACK;
	ifi->ifi_index = 1;
	ifi->ifi_flags = lo_flags(n);
	nl_attr(b, (struct nlmsghdr *)(b->buf + off), IFLA_IFNAME, "lo", 3);
	nl_attr(b, (struct nlmsghdr *)(b->buf + off), IFLA_TXQLEN, &txq, sizeof(txq));
	nl_attr(b, (struct nlmsghdr *)(b->buf + off), IFLA_MTU, &mtu, sizeof(mtu));
	/* a loopback device's carrier is always there and never changes (ip -s's transns) */
	unsigned char carrier = 1;
	unsigned int carrier_changes = 0;
	nl_attr(b, (struct nlmsghdr *)(b->buf + off), IFLA_CARRIER, &carrier, 1);
	nl_attr(b, (struct nlmsghdr *)(b->buf + off), IFLA_CARRIER_CHANGES, &carrier_changes,
		sizeof(carrier_changes));
	nl_attr(b, (struct nlmsghdr *)(b->buf + off), IFLA_CARRIER_UP_COUNT, &carrier_changes,
		sizeof(carrier_changes));
	nl_attr(b, (struct nlmsghdr *)(b->buf + off), IFLA_CARRIER_DOWN_COUNT, &carrier_changes,
		sizeof(carrier_changes));
	nl_attr(b, (struct nlmsghdr *)(b->buf + off), IFLA_ADDRESS, mac, sizeof(mac));
	nl_attr(b, (struct nlmsghdr *)(b->buf + off), IFLA_BROADCAST, mac, sizeof(mac));
	/* the 64-bit counters first, as Linux gives them (ip -s reads those; without them it
	 * took the 32-bit struct for a longer one) */
	nl_attr(b, (struct nlmsghdr *)(b->buf + off), IFLA_STATS64, &stats64, sizeof(stats64));
	nl_attr(b, (struct nlmsghdr *)(b->buf + off), IFLA_STATS, &stats, sizeof(stats));
	/* the qdisc: none ("noop") until lo first comes up, then "noqueue"; the operational
	 * state: UNKNOWN while up (loopback has no carrier to speak of), else DOWN */
	const char *qdisc = n->qdisc ? "noqueue" : "noop";
	unsigned char oper = n->lo_up ? IF_OPER_UNKNOWN : IF_OPER_DOWN, mode = 0;
	unsigned int group = 0;

	nl_attr(b, (struct nlmsghdr *)(b->buf + off), IFLA_QDISC, qdisc, strlen(qdisc) + 1);
	nl_attr(b, (struct nlmsghdr *)(b->buf + off), IFLA_OPERSTATE, &oper, 1);
	nl_attr(b, (struct nlmsghdr *)(b->buf + off), IFLA_LINKMODE, &mode, 1);
	nl_attr(b, (struct nlmsghdr *)(b->buf + off), IFLA_GROUP, &group, sizeof(group));
}

/* One of lo's addresses (type RTM_NEWADDR or RTM_DELADDR). */
static void
nl_addr(struct nlbuf *b, const struct nlmsghdr *req, int type, int flags,
	const struct lo_addr *a)
{
	size_t off;
	struct nlmsghdr *h;
	struct ifaddrmsg *ifa;

	h = nl_msg(b, req, (unsigned short)type, (unsigned short)flags,
		   sizeof(struct ifaddrmsg), &off);
	ifa = NLMSG_DATA(h);
	ifa->ifa_family = a->family;
	ifa->ifa_prefixlen = a->prefixlen;
	ifa->ifa_flags = IFA_F_PERMANENT;
	ifa->ifa_index = 1;
	/* forever (INFINITY_LIFE_TIME), as a permanent address's */
	struct ifa_cacheinfo ci = { .ifa_prefered = 0xffffffffu, .ifa_valid = 0xffffffffu };
	uint32_t aflags = IFA_F_PERMANENT;

	/* the attributes in Linux's order (inet_fill_ifaddr, inet6_fill_ifaddr): readers
	 * such as Go's net package take the first attribute as the address */
	if (a->family == AF_INET) {
		struct in_addr v = { htonl(a->v4) };

		if (a->secondary) {
			ifa->ifa_flags |= IFA_F_SECONDARY;
			aflags |= IFA_F_SECONDARY;
		}
		ifa->ifa_scope = lo_scope4(a);
		nl_attr(b, (struct nlmsghdr *)(b->buf + off), IFA_ADDRESS, &v, sizeof(v));
		nl_attr(b, (struct nlmsghdr *)(b->buf + off), IFA_LOCAL, &v, sizeof(v));
		nl_attr(b, (struct nlmsghdr *)(b->buf + off), IFA_LABEL, "lo", 3);
		if (a->proto)
			nl_attr(b, (struct nlmsghdr *)(b->buf + off), IFA_PROTO, &a->proto, 1);
		nl_attr(b, (struct nlmsghdr *)(b->buf + off), IFA_FLAGS, &aflags, sizeof(aflags));
		nl_attr(b, (struct nlmsghdr *)(b->buf + off), IFA_CACHEINFO, &ci, sizeof(ci));
	} else {
		ifa->ifa_scope = IN6_IS_ADDR_LOOPBACK(&a->v6) ? RT_SCOPE_HOST
				 : IN6_IS_ADDR_LINKLOCAL(&a->v6) ? RT_SCOPE_LINK
				 : RT_SCOPE_UNIVERSE;
		nl_attr(b, (struct nlmsghdr *)(b->buf + off), IFA_ADDRESS, &a->v6,
			sizeof(a->v6));
		nl_attr(b, (struct nlmsghdr *)(b->buf + off), IFA_CACHEINFO, &ci, sizeof(ci));
		nl_attr(b, (struct nlmsghdr *)(b->buf + off), IFA_FLAGS, &aflags, sizeof(aflags));
		if (a->proto)
			nl_attr(b, (struct nlmsghdr *)(b->buf + off), IFA_PROTO, &a->proto, 1);
	}
}

static void
nl_addrs(struct net_ns *n, struct nlbuf *b, const struct nlmsghdr *req, int family)
{
	struct lo_addr *a;

	/* all of one family before the other's, IPv4 first (rtnl_dump_all goes by family) */
	for (int f = AF_INET; f; f = f == AF_INET ? AF_INET6 : 0)
		DL_FOREACH(n->lo_addrs, a)
			if ((family == AF_UNSPEC || family == f) && a->family == f)
				nl_addr(b, req, RTM_NEWADDR, NLM_F_MULTI, a);
}

/* One route of lo's addresses (Linux's in a fresh namespace: the local table's
 * 127.0.0.0/8, 127.0.0.1 and broadcast 127.255.255.255; ::1 in the local table); an IPv4
 * one's preferred source is src4 (host order). flags: the message's type in the high
 * half (0: RTM_NEWROUTE), its flags in the low. */
static void
nl_route(struct nlbuf *b, const struct nlmsghdr *req, unsigned flags, int family,
	 int table, int type, int scope, const void *dst, int dst_len, bool cloned, uint32_t src4)
{
	size_t off;
	struct nlmsghdr *h = nl_msg(b, req, flags >> 16 ? (unsigned short)(flags >> 16)
							: RTM_NEWROUTE,
				    (unsigned short)flags, sizeof(struct rtmsg), &off);
	struct rtmsg *rt = NLMSG_DATA(h);
	uint32_t tab = (uint32_t)table, oif = 1, prio = 256, zero = 0;
	unsigned char pref = 0; /* ICMPV6_ROUTER_PREF_MEDIUM */
	struct in_addr src = { htonl(src4) };
	size_t alen = family == AF_INET ? 4 : 16;

	rt->rtm_family = (unsigned char)family;
	rt->rtm_dst_len = (unsigned char)dst_len;
	rt->rtm_table = (unsigned char)table;
	rt->rtm_protocol = cloned ? RTPROT_UNSPEC : RTPROT_KERNEL;
	rt->rtm_scope = (unsigned char)scope;
	rt->rtm_type = (unsigned char)type;
	rt->rtm_flags = cloned ? RTM_F_CLONED : 0;
	nl_attr(b, (struct nlmsghdr *)(b->buf + off), RTA_TABLE, &tab, sizeof(tab));
	nl_attr(b, (struct nlmsghdr *)(b->buf + off), RTA_DST, dst, alen);
	if (family == AF_INET)
		nl_attr(b, (struct nlmsghdr *)(b->buf + off), RTA_PREFSRC, &src, sizeof(src));
	else if (table == RT_TABLE_MAIN)
		nl_attr(b, (struct nlmsghdr *)(b->buf + off), RTA_PRIORITY, &prio, sizeof(prio));
	else if (!cloned) /* a local IPv6 route: metric 0, preference medium */
		nl_attr(b, (struct nlmsghdr *)(b->buf + off), RTA_PRIORITY, &zero, sizeof(zero));
	if (family == AF_INET6 && !cloned)
		nl_attr(b, (struct nlmsghdr *)(b->buf + off), RTA_PREF, &pref, 1);
	nl_attr(b, (struct nlmsghdr *)(b->buf + off), RTA_OIF, &oif, sizeof(oif));
}

static void nl_user_routes(struct net_ns *n, struct nlbuf *b, const struct nlmsghdr *req,
			   int family, bool first);

/* The routes an IPv4 address of lo makes while lo is up (fib_add_ifaddr, in its order):
 * the address local, its prefix local too (on a loopback device), the prefix's
 * broadcast. Returns how many (at most 3). */
struct addr_route {
	uint32_t dst, src;        /* host order */
	int len, type, scope;
};

/* The primary address a secondary belongs to (Linux inet_ifa_byprefix), else a itself. */
static const struct lo_addr *
lo_primary4(struct net_ns *n, const struct lo_addr *a)
{
	struct lo_addr *p;

	if (a->secondary)
		DL_FOREACH(n->lo_addrs, p)
			if (p->family == AF_INET && !p->secondary && same_subnet4(p, a))
				return p;
	return a;
}

/* (Linux fib_add_ifaddr: a secondary adds its local route only, its source the
 * primary's; the subnet and its broadcast are the primary's) */
static int
lo_addr_routes4(struct net_ns *ns, const struct lo_addr *a, struct addr_route *r, bool up)
{
	uint32_t m = mask4(a->prefixlen);
	int n = 0;

	if (!up && !a->routed)
		return 0;
	r[n++] = (struct addr_route){ a->v4, lo_primary4(ns, a)->v4, 32, RTN_LOCAL, RT_SCOPE_HOST };
	if (a->secondary)
		return n;
	if (a->prefixlen < 32)
		r[n++] = (struct addr_route){ a->v4 & m, a->v4, a->prefixlen, RTN_LOCAL,
					      RT_SCOPE_HOST };
	if (a->prefixlen < 31 && up) /* (fib_sync_down_dev keeps the host-scope ones) */
		r[n++] = (struct addr_route){ (a->v4 & m) | ~m, a->v4, 32, RTN_BROADCAST,
					      RT_SCOPE_LINK };
	return n;
}

static int
addr_route_cmp(const void *x, const void *y)
{
	const struct addr_route *a = x, *b = y;

	if (a->dst != b->dst)
		return a->dst < b->dst ? -1 : 1;
	return b->len - a->len; /* (fib_trie: a key's longer prefix first) */
}

static void
nl_addr_route4(struct nlbuf *b, const struct nlmsghdr *req, unsigned flags,
	       const struct addr_route *r)
{
	struct in_addr dst = { htonl(r->dst) };

	nl_route(b, req, flags, AF_INET, RT_TABLE_LOCAL, r->type, r->scope, &dst, r->len,
		 false, r->src);
}

/* The local table's routes of lo's IPv4 addresses, in the table's order (by prefix; the
 * first address's where two make the same). */
static void
lo_routes4(struct net_ns *n, struct nlbuf *b, const struct nlmsghdr *req)
{
	struct addr_route *r = xmalloc(3 * LO_ADDRS_MAX * sizeof(*r));
	struct lo_addr *a;
	int cnt = 0;

	DL_FOREACH(n->lo_addrs, a)
		if (a->family == AF_INET && cnt + 3 <= 3 * LO_ADDRS_MAX)
			cnt += lo_addr_routes4(n, a, r + cnt, n->lo_up);
	qsort(r, (size_t)cnt, sizeof(*r), addr_route_cmp);
	for (int i = 0; i < cnt; i++)
		if (i == 0 || addr_route_cmp(&r[i - 1], &r[i]))
			nl_addr_route4(b, req, NLM_F_MULTI, &r[i]);
	free(r);
}

/* lo's own routes (none while it is down: fib_disable_ip) amid the added ones. */
static void
nl_routes(struct net_ns *n, struct nlbuf *b, const struct nlmsghdr *req, int family)
{
	bool v4 = family == AF_UNSPEC || family == AF_INET;
	bool v6 = family == AF_UNSPEC || family == AF_INET6;

	if (v4)
		nl_user_routes(n, b, req, AF_INET, true);
	if (v4)
		lo_routes4(n, b, req);
	if (v4)
		nl_user_routes(n, b, req, AF_INET, false);
	if (v6)
		nl_user_routes(n, b, req, AF_INET6, true);
	if (v6 && n->lo_up && ip6_local(n, &in6addr_loopback)) {
		nl_route(b, req, NLM_F_MULTI, AF_INET6, RT_TABLE_LOCAL, RTN_LOCAL,
			 RT_SCOPE_UNIVERSE, &in6addr_loopback, 128, false, 0);
	}
	if (v6)
		nl_user_routes(n, b, req, AF_INET6, false);
}

/* ---- routes added by RTM_NEWROUTE (fib_table_insert, ip6_route_add): through lo (IPv4:
 * maybe by a gateway), or IPv4 of a type without a next hop (blackhole, unreachable,
 * prohibit); IPv6 gateways, several next hops or other types are not supported here
 * (EOPNOTSUPP) ---- */
struct lo_route {
	struct lo_route *next, *prev;
	int family, dst_len, type, scope, protocol, oif;
	uint32_t table, prio;
	uint32_t gw;              /* IPv4: the gateway (host order; 0: none) */
	unsigned char dst[16];
};
#define LO_ROUTES_MAX 65536

/* A route's message (rtmsg_fib / inet6_rt_notify, and in dumps). */
static void
nl_user_route(struct nlbuf *b, const struct nlmsghdr *req, unsigned short type,
	      unsigned short flags, const struct lo_route *r)
{
	size_t off, alen = r->family == AF_INET ? 4 : 16;
	struct nlmsghdr *h = nl_msg(b, req, type, flags, sizeof(struct rtmsg), &off);
	struct rtmsg *rt = NLMSG_DATA(h);
	uint32_t oif = (uint32_t)r->oif;
	unsigned char pref = 0; /* ICMPV6_ROUTER_PREF_MEDIUM */

	rt->rtm_family = (unsigned char)r->family;
	rt->rtm_dst_len = (unsigned char)r->dst_len;
	rt->rtm_table = r->table < 256 ? (unsigned char)r->table : RT_TABLE_COMPAT;
	rt->rtm_protocol = (unsigned char)r->protocol;
	rt->rtm_scope = (unsigned char)r->scope;
	rt->rtm_type = (unsigned char)r->type;
	nl_attr(b, (struct nlmsghdr *)(b->buf + off), RTA_TABLE, &r->table, sizeof(r->table));
	if (r->dst_len)
		nl_attr(b, (struct nlmsghdr *)(b->buf + off), RTA_DST, r->dst, alen);
	if (r->family == AF_INET6 || r->prio)
		nl_attr(b, (struct nlmsghdr *)(b->buf + off), RTA_PRIORITY, &r->prio,
			sizeof(r->prio));
	if (r->family == AF_INET6)
		nl_attr(b, (struct nlmsghdr *)(b->buf + off), RTA_PREF, &pref, 1);
	if (r->gw) {
		struct in_addr gw = { htonl(r->gw) };

		nl_attr(b, (struct nlmsghdr *)(b->buf + off), RTA_GATEWAY, &gw, sizeof(gw));
	}
	if (oif)
		nl_attr(b, (struct nlmsghdr *)(b->buf + off), RTA_OIF, &oif, sizeof(oif));
}

/* The added routes of family in tables other than local (first is true) or in local. */
static void
nl_user_routes(struct net_ns *n, struct nlbuf *b, const struct nlmsghdr *req, int family,
	       bool first)
{
	struct lo_route *r;

	DL_FOREACH(n->routes, r)
		if (r->family == family && (r->table == RT_TABLE_LOCAL) != first)
			nl_user_route(b, req, RTM_NEWROUTE, NLM_F_MULTI, r);
}

/* Dump order: by table (Linux walks its table hash, the id's low byte), then prefix. */
static int
route_cmp(const struct lo_route *a, const struct lo_route *b)
{
	int c = (int)(a->table & 255) - (int)(b->table & 255);

	if (c || (c = memcmp(a->dst, b->dst, 16)))
		return c;
	return a->dst_len - b->dst_len;
}

/* The request's route: its rtmsg and attributes; -errno for what Linux refuses or what
 * is not supported here. */
static struct lo_route *route_lookup(struct net_ns *n, int family, const unsigned char *dst);

/* A walk over a request's attributes: type, payload (data, n) and its first bytes as a
 * u32 (v; 0 where there are fewer). */
struct nl_attr_it {
	const char *p;
	size_t left;
	int type;
	const char *data;
	size_t n;
	uint32_t v;
};

/* Steps it to the next attribute: 1, 0 at the end, -EINVAL for a malformed one. */
static int
nl_attr_next(struct nl_attr_it *it)
{
	struct rtattr a;

	if (it->left < sizeof(a))
		return 0;
	memcpy(&a, it->p, sizeof(a));
	if (a.rta_len < sizeof(a) || a.rta_len > it->left)
		return -EINVAL;
	it->type = a.rta_type;
	it->data = it->p + sizeof(a);
	it->n = a.rta_len - sizeof(a);
	it->v = 0;
	memcpy(&it->v, it->data, MIN(it->n, sizeof(it->v)));
	it->left -= MIN(it->left, (size_t)RTA_ALIGN(a.rta_len));
	it->p += RTA_ALIGN(a.rta_len);
	return 1;
}

/* An IPv4 gateway must be on lo: local, or through a route of lo without one of its own
 * (fib_check_nh_v4_gw: EINVAL otherwise). */
static int
route_check_gw(struct net_ns *n, struct lo_route *r)
{
	uint32_t gw = htonl(r->gw);
	struct lo_route *via;

	if (!n->lo_up)
		return -ENETDOWN;
	if (r->oif && r->oif != LOOPBACK_IFINDEX)
		return netdev_name(n, r->oif) ? -ENETDOWN : -ENODEV;
	via = ip4_local(n, r->gw) ? NULL : route_lookup(n, AF_INET, (unsigned char *)&gw);
	if (!ip4_local(n, r->gw) && (!via || via->type != RTN_UNICAST || via->gw))
		return -EINVAL;
	r->oif = LOOPBACK_IFINDEX;
	return 0;
}

static int
route_parse(struct net_ns *n, const void *msg, size_t len, struct lo_route *r, bool add,
	    bool *has_oif, bool *has_prio)
{
	struct rtmsg rt;
	struct nl_attr_it it = { (const char *)msg + NLMSG_LENGTH(sizeof(rt)), 0, 0, NULL, 0, 0 };
	size_t alen;
	int err;

	if (len < NLMSG_LENGTH(sizeof(rt)))
		return -EINVAL;
	memcpy(&rt, NLMSG_DATA((const struct nlmsghdr *)msg), sizeof(rt));
	if (rt.rtm_family != AF_INET && rt.rtm_family != AF_INET6)
		return -EOPNOTSUPP; /* no handler of that family (rtnetlink_rcv_msg) */
	alen = rt.rtm_family == AF_INET ? 4 : 16;
	memset(r, 0, sizeof(*r));
	r->family = rt.rtm_family;
	r->dst_len = rt.rtm_dst_len;
	r->table = rt.rtm_table;
	r->type = rt.rtm_type;
	r->scope = rt.rtm_scope;
	r->protocol = rt.rtm_protocol;
	if (rt.rtm_type > RTN_MAX || rt.rtm_dst_len > alen * 8 || rt.rtm_src_len)
		return -EINVAL;
	it.left = len - NLMSG_LENGTH(sizeof(rt));
	while ((err = nl_attr_next(&it)) > 0) {
		switch (it.type) {
		case RTA_DST:
			if (it.n != alen)
				return -EINVAL;
			memcpy(r->dst, it.data, alen);
			break;
		case RTA_OIF:
		case RTA_PRIORITY:
		case RTA_TABLE:
			if (it.n < 4)
				return -EINVAL;
			if (it.type == RTA_OIF)
				r->oif = (int)it.v, *has_oif = it.v != 0;
			else if (it.type == RTA_PRIORITY)
				r->prio = it.v, *has_prio = true;
			else
				r->table = it.v;
			break;
		case RTA_GATEWAY:
			if (it.n != alen)
				return -EINVAL;
			if (r->family != AF_INET)
				return -EOPNOTSUPP;
			r->gw = ntohl(it.v);
			if (r->gw)
				break;
			return -EINVAL;
		case RTA_MULTIPATH:
		case RTA_VIA:
		case RTA_ENCAP:
		case RTA_NH_ID:
			return -EOPNOTSUPP;
		}
	}
	if (err)
		return err;
	if (r->table == RT_TABLE_UNSPEC)
		r->table = RT_TABLE_MAIN;
	if (r->family == AF_INET6)
		r->scope = RT_SCOPE_UNIVERSE; /* (IPv6 routes have no scope: rt6_fill_node) */
	if (r->family == AF_INET6 && !r->prio && add)
		r->prio = 1024; /* IP6_RT_PRIO_USER */
	for (size_t i = 0; i < alen * 8; i++) { /* bits past the prefix */
		if ((int)i < r->dst_len || !(r->dst[i / 8] >> (7 - i % 8) & 1))
			continue;
		if (r->family == AF_INET)
			return -EINVAL; /* fib_table_insert, fib_table_delete */
		r->dst[i / 8] &= (unsigned char)~(1u << (7 - i % 8)); /* (ipv6_addr_prefix) */
	}
	if (!add)
		return 0;
	if ((r->type == RTN_BLACKHOLE || r->type == RTN_UNREACHABLE || r->type == RTN_PROHIBIT) &&
	    r->family == AF_INET)
		return 0; /* (IPv6's are not supported here) */
	if (r->type != RTN_UNICAST)
		return -EOPNOTSUPP;
	if (r->gw)
		return route_check_gw(n, r);
	if (!r->oif || (r->oif != LOOPBACK_IFINDEX && !netdev_name(n, r->oif)))
		return -ENODEV;
	if (r->oif != LOOPBACK_IFINDEX || !n->lo_up)
		return -ENETDOWN; /* tun interfaces stay down */
	return 0;
}

static struct lo_route *
route_find(struct net_ns *n, const struct lo_route *k, bool match_prio)
{
	struct lo_route *r;

	DL_FOREACH(n->routes, r)
		if (r->family == k->family && r->table == k->table && r->dst_len == k->dst_len &&
		    !memcmp(r->dst, k->dst, 16) && (!match_prio || r->prio == k->prio))
			return r;
	return NULL;
}

/* lo went down: the routes through it go (fib_sync_down_dev, silently, but for IPv4's of
 * host scope; IPv6's rt6_sync_down_dev tells of each). */
static void
lo_routes_down(struct net_ns *n)
{
	static const struct nlmsghdr none;
	struct lo_route *r, *tmp;

	DL_FOREACH_SAFE(n->routes, r, tmp) {
		struct nlbuf b = { 0 };

		if (r->oif != LOOPBACK_IFINDEX ||
		    (r->family == AF_INET && r->scope == RT_SCOPE_HOST))
			continue;
		DL_DELETE(n->routes, r);
		n->nroutes--;
		if (r->family == AF_INET6) {
			nl_user_route(&b, &none, RTM_DELROUTE, 0, r);
			nl_notify(n, RTNLGRP_IPV6_ROUTE, &b);
		}
		free(r);
	}
}

/* RTM_NEWROUTE and RTM_DELROUTE; the change goes to RTNLGRP_IPV4_ROUTE or _IPV6_ROUTE. */
static int
nl_modify_route(struct net_ns *n, const void *msg, size_t len, bool add, int flags,
		const struct nlmsghdr *req)
{
	struct lo_route k, *r, *at;
	bool has_oif = false, has_prio = false;
	int err = route_parse(n, msg, len, &k, add, &has_oif, &has_prio);
	struct nlbuf b = { 0 };

	if (err)
		return err;
	if (!add) { /* the first that matches what the request names */
		DL_FOREACH(n->routes, r)
			if (r->family == k.family && r->table == k.table &&
			    r->dst_len == k.dst_len && !memcmp(r->dst, k.dst, 16) &&
			    (!has_oif || r->oif == k.oif) && (!has_prio || r->prio == k.prio) &&
			    (!k.protocol || r->protocol == k.protocol) && (!k.gw || r->gw == k.gw) &&
			    (!k.type || r->type == k.type) &&
			    (k.family == AF_INET6 || k.scope == RT_SCOPE_NOWHERE ||
			     r->scope == k.scope))
				break;
		if (!r)
			return -ESRCH;
		DL_DELETE(n->routes, r);
		n->nroutes--;
		nl_user_route(&b, req, RTM_DELROUTE, 0, r);
		free(r);
	} else {
		r = route_find(n, &k, true);
		if (r && (flags & NLM_F_EXCL))
			return -EEXIST;
		if (r && !(flags & NLM_F_REPLACE))
			return -EEXIST; /* (Linux may add another next hop: not here) */
		if (!r && !(flags & NLM_F_CREATE) && (k.family == AF_INET ||
						      (flags & NLM_F_REPLACE)))
			return -ENOENT;
		if (r) {
			k.next = r->next;
			k.prev = r->prev;
			*r = k;
		} else {
			if (n->nroutes >= LO_ROUTES_MAX)
				return -ENOMEM;
			r = xmalloc(sizeof(*r));
			*r = k;
			DL_FOREACH(n->routes, at)
				if (route_cmp(r, at) < 0)
					break;
			if (at)
				DL_PREPEND_ELEM(n->routes, at, r);
			else
				DL_APPEND(n->routes, r);
			n->nroutes++;
		}
		nl_user_route(&b, req, RTM_NEWROUTE,
			      (unsigned short)(flags & (NLM_F_EXCL | NLM_F_CREATE |
							NLM_F_REPLACE | NLM_F_APPEND)), r);
	}
	nl_notify(n, k.family == AF_INET ? RTNLGRP_IPV4_ROUTE : RTNLGRP_IPV6_ROUTE, &b);
	return 0;
}

/* ---- policy rules (net/core/fib_rules.c): a namespace starts with Linux's defaults
 * (lookup local at 0, main at 32766, default at 32767 for IPv4); RTM_NEWRULE adds rules
 * by source and destination prefix, TOS and interface names with a table lookup or a
 * blackhole, unreachable, prohibit or nop action; rules on marks, ports, UIDs, gotos are
 * not supported here (EOPNOTSUPP) ---- */
struct fib_rule {
	struct fib_rule *next, *prev;
	int family, dst_len, src_len, tos, action, proto;
	uint32_t table, pref;
	unsigned char dst[16], src[16];
	char iif[IFNAMSIZ], oif[IFNAMSIZ]; /* FRA_IIFNAME, FRA_OIFNAME ("": any) */
};
#define FIB_RULES_MAX 65536

static struct fib_rule *
rules_of(struct net_ns *n)
{
	static const struct { int family; uint32_t table, pref; } def[] = {
		{ AF_INET, RT_TABLE_LOCAL, 0 }, { AF_INET, RT_TABLE_MAIN, 32766 },
		{ AF_INET, RT_TABLE_DEFAULT, 32767 }, { AF_INET6, RT_TABLE_LOCAL, 0 },
		{ AF_INET6, RT_TABLE_MAIN, 32766 },
	};

	for (size_t i = 0; !n->rules_made && i < sizeof(def) / sizeof(def[0]); i++) {
		struct fib_rule *r = xcalloc(1, sizeof(*r));

		r->family = def[i].family;
		r->table = def[i].table;
		r->pref = def[i].pref;
		r->action = FR_ACT_TO_TBL;
		r->proto = RTPROT_KERNEL;
		DL_APPEND(n->rules, r);
		n->nrules++;
	}
	n->rules_made = true; /* (once: deleting them all leaves none) */
	return n->rules;
}

static struct netdev *netdev_find(struct net_ns *n, const char *name);

/* A rule's message (fib_nl_fill_rule, fib4_rule_fill / fib6_rule_fill): an interface
 * name that is no interface of n's is "detached". */
static void
nl_rule(struct net_ns *n, struct nlbuf *b, const struct nlmsghdr *req, unsigned short type,
	unsigned short flags, const struct fib_rule *r)
{
	size_t off, alen = r->family == AF_INET ? 4 : 16;
	struct nlmsghdr *h = nl_msg(b, req, type, flags, sizeof(struct fib_rule_hdr), &off);
	struct fib_rule_hdr *f = NLMSG_DATA(h);
	unsigned char proto = (unsigned char)r->proto;
	int32_t suppress = -1;

	f->family = (unsigned char)r->family;
	f->dst_len = (unsigned char)r->dst_len;
	f->src_len = (unsigned char)r->src_len;
	f->tos = (unsigned char)r->tos;
	f->table = r->table < 256 ? (unsigned char)r->table : RT_TABLE_COMPAT;
	f->action = (unsigned char)r->action;
	if (r->iif[0] && strcmp(r->iif, "lo") && !netdev_find(n, r->iif))
		f->flags |= FIB_RULE_IIF_DETACHED;
	if (r->oif[0] && strcmp(r->oif, "lo") && !netdev_find(n, r->oif))
		f->flags |= FIB_RULE_OIF_DETACHED;
#define NLA(type, p, n) nl_attr(b, (struct nlmsghdr *)(b->buf + off), type, p, n)
	NLA(FRA_TABLE, &r->table, sizeof(r->table));
	NLA(FRA_SUPPRESS_PREFIXLEN, &suppress, sizeof(suppress));
	NLA(FRA_PROTOCOL, &proto, 1);
	if (r->iif[0])
		NLA(FRA_IIFNAME, r->iif, strlen(r->iif) + 1);
	if (r->oif[0])
		NLA(FRA_OIFNAME, r->oif, strlen(r->oif) + 1);
	if (r->pref)
		NLA(FRA_PRIORITY, &r->pref, sizeof(r->pref));
	if (r->dst_len)
		NLA(FRA_DST, r->dst, alen);
	if (r->src_len)
		NLA(FRA_SRC, r->src, alen);
#undef NLA
}

static void
nl_rules(struct net_ns *n, struct nlbuf *b, const struct nlmsghdr *req, int family)
{
	struct fib_rule *r;

	for (int fam = AF_INET; fam; fam = fam == AF_INET ? AF_INET6 : 0)
		DL_FOREACH(rules_of(n), r)
			if (r->family == fam && (family == AF_UNSPEC || family == fam))
				nl_rule(n, b, req, RTM_NEWRULE, NLM_F_MULTI, r);
}

/* The request's rule; which fields it named (has: 1 priority, 2 table, 4 protocol, 8 the
 * input interface, 16 the output one). */
static int
rule_parse(const void *msg, size_t len, struct fib_rule *r, int *has, bool add)
{
	struct fib_rule_hdr f;
	struct nl_attr_it it = { (const char *)msg + NLMSG_LENGTH(sizeof(f)), 0, 0, NULL, 0, 0 };
	size_t alen;
	int err;

	if (len < NLMSG_LENGTH(sizeof(f)))
		return -EINVAL;
	memcpy(&f, NLMSG_DATA((const struct nlmsghdr *)msg), sizeof(f));
	if (f.family != AF_INET && f.family != AF_INET6)
		return -EAFNOSUPPORT;
	alen = f.family == AF_INET ? 4 : 16;
	memset(r, 0, sizeof(*r));
	*has = 0;
	r->family = f.family;
	r->dst_len = f.dst_len;
	r->src_len = f.src_len;
	r->tos = f.tos;
	r->table = f.table;
	r->action = f.action;
	if (f.dst_len > alen * 8 || f.src_len > alen * 8 || f.action > FR_ACT_MAX)
		return -EINVAL;
	it.left = len - NLMSG_LENGTH(sizeof(f));
	while ((err = nl_attr_next(&it)) > 0) {
		if (it.type == FRA_DST || it.type == FRA_SRC) {
			/* (read for a prefix only: "from all" comes as an empty FRA_SRC) */
			if (!(it.type == FRA_DST ? f.dst_len : f.src_len))
				;
			else if (it.n != alen)
				return -EINVAL;
			else
				memcpy(it.type == FRA_DST ? r->dst : r->src, it.data, alen);
		} else if (it.type == FRA_IIFNAME || it.type == FRA_OIFNAME) {
			size_t sl = strnlen(it.data, it.n);

			if (sl >= IFNAMSIZ)
				return -ERANGE; /* (NLA_STRING of IFNAMSIZ - 1) */
			memcpy(it.type == FRA_IIFNAME ? r->iif : r->oif, it.data, sl);
			*has |= it.type == FRA_IIFNAME ? 8 : 16;
		} else if (it.type == FRA_PRIORITY || it.type == FRA_TABLE) {
			if (it.n < 4)
				return -EINVAL;
			*(it.type == FRA_PRIORITY ? &r->pref : &r->table) = it.v;
			*has |= it.type == FRA_PRIORITY ? 1 : 2;
		} else if (it.type == FRA_PROTOCOL) {
			if (it.n < 1)
				return -EINVAL;
			r->proto = (unsigned char)it.v;
			*has |= 4;
		} else if (it.type == FRA_SUPPRESS_PREFIXLEN) {
			if (it.n < 4 || it.v != 0xffffffffu)
				return -EOPNOTSUPP;
		} else if (it.type != FRA_UNSPEC) {
			return -EOPNOTSUPP;
		}
	}
	if (err)
		return err;
	if (r->table)
		*has |= 2;
	if (r->action != FR_ACT_TO_TBL && r->action != FR_ACT_BLACKHOLE &&
	    r->action != FR_ACT_UNREACHABLE && r->action != FR_ACT_PROHIBIT &&
	    r->action != FR_ACT_NOP && (r->action || add))
		return -EOPNOTSUPP; /* (no action: a delete's "any") */
	return 0;
}

/* Does rule r match what k names (rule_find: the fields the request gave)? exact: every
 * field (rule_exists). */
static bool
rule_match(const struct fib_rule *r, const struct fib_rule *k, int has, bool exact)
{
	size_t alen = k->family == AF_INET ? 4 : 16;

	if (r->family != k->family)
		return false;
	if (exact)
		return r->pref == k->pref && r->table == k->table && r->action == k->action &&
		       r->dst_len == k->dst_len && r->src_len == k->src_len &&
		       r->tos == k->tos && r->proto == k->proto &&
		       !memcmp(r->dst, k->dst, alen) && !memcmp(r->src, k->src, alen) &&
		       !strcmp(r->iif, k->iif) && !strcmp(r->oif, k->oif);
	return (!k->action || r->action == k->action) && (!(has & 2) || r->table == k->table) &&
	       (!(has & 1) || r->pref == k->pref) && (!(has & 4) || r->proto == k->proto) &&
	       (!k->dst_len || (r->dst_len == k->dst_len && !memcmp(r->dst, k->dst, alen))) &&
	       (!k->src_len || (r->src_len == k->src_len && !memcmp(r->src, k->src, alen))) &&
	       (!k->tos || r->tos == k->tos) && (!(has & 8) || !strcmp(r->iif, k->iif)) &&
	       (!(has & 16) || !strcmp(r->oif, k->oif));
}

/* RTM_NEWRULE (fib_nl_newrule: a priority of none goes just before the second rule's)
 * and RTM_DELRULE; the change goes to RTNLGRP_IPV4_RULE or _IPV6_RULE. */
static int
nl_modify_rule(struct net_ns *n, const void *msg, size_t len, bool add, int flags,
	       const struct nlmsghdr *req)
{
	struct fib_rule k, *r, *at, *first = NULL, *second = NULL, *last = NULL;
	struct nlbuf b = { 0 };
	int has, err = rule_parse(msg, len, &k, &has, add);

	if (err)
		return err;
	DL_FOREACH(rules_of(n), r) {
		if (r->family != k.family)
			continue;
		if (!first)
			first = r;
		else if (!second)
			second = r;
	}
	if (add && !(has & 1))
		k.pref = second && second->pref ? second->pref - 1 : 0;
	DL_FOREACH(n->rules, r)
		if (rule_match(r, &k, has, add))
			break;
	if (!add) {
		if (!r)
			return -ENOENT;
		DL_DELETE(n->rules, r);
		n->nrules--;
		nl_rule(n, &b, req, RTM_DELRULE, 0, r);
		free(r);
	} else {
		if (r && (flags & NLM_F_EXCL))
			return -EEXIST;
		if (n->nrules >= FIB_RULES_MAX)
			return -ENOMEM;
		r = xmalloc(sizeof(*r));
		*r = k;
		DL_FOREACH(n->rules, at)
			if (at->family == k.family && at->pref <= k.pref)
				last = at;
		if (last && last->next)
			DL_PREPEND_ELEM(n->rules, last->next, r);
		else if (last)
			DL_APPEND(n->rules, r);
		else
			DL_PREPEND(n->rules, r);
		n->nrules++;
		nl_rule(n, &b, req, RTM_NEWRULE, 0, r);
	}
	nl_notify(n, k.family == AF_INET ? RTNLGRP_IPV4_RULE : RTNLGRP_IPV6_RULE, &b);
	return 0;
}

/* A request naming a link (ifinfomsg index or IFLA_IFNAME): 0 for lo, -ENODEV for none,
 * -EINVAL when it names nothing. */
static int
nl_find_link(const void *msg, size_t len)
{
	const struct nlmsghdr *h = msg;
	struct ifinfomsg ifi;
	const char *p = (const char *)msg + NLMSG_LENGTH(sizeof(ifi));
	size_t left;

	if (len < NLMSG_LENGTH(sizeof(ifi)))
		return -EINVAL;
	memcpy(&ifi, NLMSG_DATA(h), sizeof(ifi));
	if (ifi.ifi_index > 0)
		return ifi.ifi_index == 1 ? 0 : -ENODEV;
	left = len - NLMSG_LENGTH(sizeof(ifi));
	while (left >= sizeof(struct rtattr)) {
		struct rtattr a;

		memcpy(&a, p, sizeof(a));
		if (a.rta_len < sizeof(a) || a.rta_len > left)
			break;
		if (a.rta_type == IFLA_IFNAME) {
			size_t n = a.rta_len - sizeof(a);

			return n >= 2 && memcmp(p + sizeof(a), "lo", 2) == 0 &&
					       (n == 2 || p[sizeof(a) + 2] == '\0')
				       ? 0 : -ENODEV;
		}
		left -= MIN(left, (size_t)RTA_ALIGN(a.rta_len));
		p += RTA_ALIGN(a.rta_len);
	}
	return -EINVAL;
}

/* RTM_NEWLINK / RTM_SETLINK on lo (do_setlink): its IFF_UP may change (ifi_change 0
 * means every bit, as Linux's rtnl_dev_combine_flags); IFLA_IFNAME may name it; any other
 * change, and a new link of any kind (veth...), is not supported here (EOPNOTSUPP). */
static int
nl_set_link(struct net_ns *n, const void *msg, size_t len, int nlflags)
{
	const struct nlmsghdr *h = msg;
	struct ifinfomsg ifi;
	const char *p = (const char *)msg + NLMSG_LENGTH(sizeof(ifi));
	size_t left = len - NLMSG_LENGTH(sizeof(ifi));
	unsigned int flags, change, fixed = IFF_LOOPBACK | IFF_RUNNING | IFF_LOWER_UP;
	int err = nl_find_link(msg, len), mtu = -1;

	/* rtnl_newlink: a link that is not there is made with NLM_F_CREATE (no kind of link
	 * can be made here), else ENODEV */
	if (err)
		return (nlflags & NLM_F_CREATE) ? -EOPNOTSUPP : -ENODEV;
	memcpy(&ifi, NLMSG_DATA(h), sizeof(ifi));
	while (left >= sizeof(struct rtattr)) {
		struct rtattr a;

		memcpy(&a, p, sizeof(a));
		if (a.rta_len < sizeof(a) || a.rta_len > left)
			break;
		if (a.rta_type == IFLA_MTU) { /* as SIOCSIFMTU: lo takes any but a negative */
			if (a.rta_len < RTA_LENGTH(sizeof(mtu)))
				return -ERANGE; /* shorter than rtnl's policy's u32 (validate_nla) */
			memcpy(&mtu, p + RTA_LENGTH(0), sizeof(mtu));
			if (mtu < 0)
				return -EINVAL;
		} else if (a.rta_type != IFLA_IFNAME ||
			   (ifi.ifi_index > 0 &&
			    (a.rta_len - sizeof(a) < 3 || memcmp(p + sizeof(a), "lo", 3)))) {
			return -EOPNOTSUPP; /* a name with an index renames: lo stays lo */
		}
		left -= MIN(left, (size_t)RTA_ALIGN(a.rta_len));
		p += RTA_ALIGN(a.rta_len);
	}
	if (mtu >= 0)
		lo_set_mtu(n, mtu);
	if (!ifi.ifi_flags && !ifi.ifi_change)
		return 0;
	change = ifi.ifi_change ? ifi.ifi_change : ~0u;
	flags = (ifi.ifi_flags & change) | (lo_flags(n) & ~change);
	/* the flags lo's state decides are not the caller's to set: only IFF_UP counts */
	if ((flags & ~(IFF_UP | fixed)) != (lo_flags(n) & ~(IFF_UP | fixed)))
		return -EOPNOTSUPP;
	lo_set_up(n, (flags & IFF_UP) != 0);
	return 0;
}

/* RTM_GETNSID (rtnl_net_getid): the id this namespace gives the network namespace that
 * NETNSA_FD (an nsfs file) or NETNSA_PID names; none is ever assigned here (RTM_NEWNSID
 * is not supported), so the answer is NETNSA_NSID_NOT_ASSIGNED (-1). */
static int
nl_get_nsid(struct task *t, struct nlbuf *b, const struct nlmsghdr *req, const void *msg,
	    size_t len)
{
	size_t hdr = NLMSG_ALIGN(NLMSG_LENGTH(sizeof(struct rtgenmsg)));
	const char *p = (const char *)msg + hdr;
	size_t left = len > hdr ? len - hdr : 0;
	bool named = false;
	int32_t id = -1;
	size_t off;

	while (left >= sizeof(struct rtattr)) {
		struct rtattr a;
		int32_t v;

		memcpy(&a, p, sizeof(a));
		if (a.rta_len < sizeof(a) || a.rta_len > left)
			break;
		if ((a.rta_type == 3 /* NETNSA_FD */ || a.rta_type == 2 /* NETNSA_PID */) &&
		    a.rta_len >= sizeof(a) + sizeof(v)) {
			memcpy(&v, p + sizeof(a), sizeof(v));
			if (a.rta_type == 3) {
				struct file *f = t && t->fdt ? fdt_get(t->fdt, v) : NULL;
				struct ns_common *ns = procfs_ns_object(f);

				if (!f)
					return -EBADF;
				if (!ns || ns->kind != NS_NET)
					return -EINVAL;
			} else if (!task_lookup(v)) {
				return -ESRCH;
			}
			named = true;
		}
		left -= MIN(left, (size_t)RTA_ALIGN(a.rta_len));
		p += RTA_ALIGN(a.rta_len);
	}
	if (!named)
		return -EINVAL;
	struct nlmsghdr *h = nl_msg(b, req, RTM_NEWNSID, 0, sizeof(struct rtgenmsg), &off);
	((struct rtgenmsg *)NLMSG_DATA(h))->rtgen_family = AF_UNSPEC;
	nl_attr(b, (struct nlmsghdr *)(b->buf + off), 1 /* NETNSA_NSID */, &id, sizeof(id));
	return 0;
}

/* The added route of the main table that holds dst (the longest prefix), or NULL. */
static struct lo_route *
route_lookup(struct net_ns *n, int family, const unsigned char *dst)
{
	struct lo_route *r, *best = NULL;

	DL_FOREACH(n->routes, r) {
		int i = 0;

		if (r->family != family || r->table != RT_TABLE_MAIN ||
		    (best && best->dst_len >= r->dst_len))
			continue;
		for (; i < r->dst_len; i++)
			if ((r->dst[i / 8] ^ dst[i / 8]) >> (7 - i % 8) & 1)
				break;
		if (i == r->dst_len)
			best = r;
	}
	return best;
}

/* The answer to RTM_GETROUTE (rt_fill_info, rt6_fill_node of the route found): a cached
 * route (RTM_F_CLONED, RTCF_LOCAL: through lo) of type, from src (0/NULL: none). */
static void
nl_got_route(struct task *t, struct nlbuf *b, const struct nlmsghdr *req, int family,
	     const unsigned char *dst, int type, const struct lo_route *r, uint32_t src4,
	     const struct in6_addr *src6, uint32_t via4)
{
	size_t off;
	struct nlmsghdr *h = nl_msg(b, req, RTM_NEWROUTE, 0, sizeof(struct rtmsg), &off);
	struct rtmsg *rt = NLMSG_DATA(h);
	uint32_t tab = r ? r->table : family == AF_INET ? RT_TABLE_MAIN : RT_TABLE_LOCAL;
	uint32_t oif = LOOPBACK_IFINDEX, uid = t ? (uint32_t)t->uid : 0;
	uint32_t prio = r ? r->prio : 0, s4 = htonl(src4);
	struct rta_cacheinfo ci = { .rta_clntref = 2 };
	struct in6_addr any = IN6ADDR_ANY_INIT;
	unsigned char pref = 0;

	rt->rtm_family = (unsigned char)family;
	rt->rtm_dst_len = family == AF_INET ? 32 : 128;
	rt->rtm_table = (unsigned char)tab;
	rt->rtm_type = (unsigned char)type;
#define NLA(type, p, n) nl_attr(b, (struct nlmsghdr *)(b->buf + off), type, p, n)
	NLA(RTA_TABLE, &tab, sizeof(tab));
	if (family == AF_INET) {
		rt->rtm_flags = RTM_F_CLONED | 0x80000000u; /* RTCF_LOCAL */
		NLA(RTA_DST, dst, 4);
		NLA(RTA_OIF, &oif, sizeof(oif));
		if (src4)
			NLA(RTA_PREFSRC, &s4, sizeof(s4));
		if (via4) {
			via4 = htonl(via4);
			NLA(RTA_GATEWAY, &via4, sizeof(via4));
		}
		NLA(RTA_UID, &uid, sizeof(uid));
		NLA(RTA_CACHEINFO, &ci, sizeof(ci));
		return;
	}
	rt->rtm_src_len = 128;
	rt->rtm_protocol = r ? (unsigned char)r->protocol : RTPROT_KERNEL;
	NLA(RTA_DST, dst, 16);
	NLA(RTA_SRC, &any, sizeof(any));
	if (src6)
		NLA(RTA_PREFSRC, src6, sizeof(*src6));
	NLA(RTA_PRIORITY, &prio, sizeof(prio));
	NLA(RTA_OIF, &oif, sizeof(oif));
	NLA(RTA_CACHEINFO, &ci, sizeof(ci));
	NLA(RTA_PREF, &pref, 1);
#undef NLA
}

/* The source of a route of scope through lo (inet_select_addr): its first IPv4 address of
 * no narrower scope (127.0.0.0/8 ones are host), or 0. */
static uint32_t
lo_select4(struct net_ns *n, int scope)
{
	struct lo_addr *a;

	DL_FOREACH(n->lo_addrs, a)
		if (a->family == AF_INET && lo_scope4(a) <= scope)
			return a->v4;
	return 0;
}

/* RTM_GETROUTE for one destination: lo's local routes, then the added routes of the main
 * table (blackhole: EINVAL, unreachable: EHOSTUNREACH, prohibit: EACCES, as ip_route_output
 * ends them); nothing: ENETUNREACH. */
static int
nl_get_route(struct task *t, struct net_ns *n, struct nlbuf *b, const struct nlmsghdr *req,
	     const void *msg, size_t len)
{
	struct lo_route *r;
	struct lo_addr *la;
	uint32_t ip;
	struct rtmsg rt;
	const char *p = (const char *)msg + NLMSG_LENGTH(sizeof(rt));
	size_t left;
	unsigned char dst[16] = { 0 };
	bool have = false;

	if (len < NLMSG_LENGTH(sizeof(rt)))
		return -EINVAL;
	memcpy(&rt, NLMSG_DATA((const struct nlmsghdr *)msg), sizeof(rt));
	if (rt.rtm_family != AF_INET && rt.rtm_family != AF_INET6)
		return -EAFNOSUPPORT;
	left = len - NLMSG_LENGTH(sizeof(rt));
	while (left >= sizeof(struct rtattr)) {
		struct rtattr a;

		memcpy(&a, p, sizeof(a));
		if (a.rta_len < sizeof(a) || a.rta_len > left)
			break;
		if (a.rta_type == RTA_DST &&
		    a.rta_len - sizeof(a) == (rt.rtm_family == AF_INET ? 4u : 16u)) {
			memcpy(dst, p + sizeof(a), a.rta_len - sizeof(a));
			have = true;
		}
		left -= MIN(left, (size_t)RTA_ALIGN(a.rta_len));
		p += RTA_ALIGN(a.rta_len);
	}
	if (!n->lo_up || (rt.rtm_family == AF_INET6 && !have))
		return -ENETUNREACH;
	if (rt.rtm_family == AF_INET6) {
		struct in6_addr src;
		bool has_src = false;

		DL_FOREACH(n->lo_addrs, la)
			if (la->family == AF_INET6 && !has_src) {
				src = la->v6;
				has_src = true;
			}
		if (ip6_local(n, (const struct in6_addr *)dst)) {
			nl_got_route(t, b, req, AF_INET6, dst, RTN_LOCAL, NULL, 0, &src, 0);
			return 0;
		}
		r = route_lookup(n, AF_INET6, dst);
		if (!r)
			return -ENETUNREACH;
		nl_got_route(t, b, req, AF_INET6, dst, r->type, r, 0, has_src ? &src : NULL, 0);
		return 0;
	}
	memcpy(&ip, dst, 4);
	ip = ntohl(ip);
	if ((la = lo_addr4(n, have ? ip : INADDR_LOOPBACK))) {
		nl_got_route(t, b, req, AF_INET, dst, RTN_LOCAL, NULL, la->v4, NULL, 0);
		return 0;
	}
	r = route_lookup(n, AF_INET, dst);
	if (!r)
		return -ENETUNREACH;
	if (r->type != RTN_UNICAST)
		return r->type == RTN_BLACKHOLE ? -EINVAL
		       : r->type == RTN_UNREACHABLE ? -EHOSTUNREACH : -EACCES;
	/* (a gateway that is local is not one: rt_uses_gateway) */
	nl_got_route(t, b, req, AF_INET, dst, RTN_UNICAST, r, lo_select4(n, r->scope), NULL,
		     r->gw && !ip4_local(n, r->gw) ? r->gw : 0);
	return 0;
}

/*
 * A netlink receiver is charged each message's skb->truesize (sk_rmem_alloc), as Linux
 * (x86-64) makes it for a message of alloc bytes: the head (the bytes cache-aligned plus
 * struct skb_shared_info) from the small-head cache or kmalloc's power-of-two sizes, plus
 * struct sk_buff. A user's unicast message whose head passes a page is kvmalloc'ed at its
 * exact size (netlink_alloc_large_skb).
 */
#define NL_SHINFO 320             /* SKB_DATA_ALIGN(sizeof(struct skb_shared_info)) */
#define NL_SKB 256                /* SKB_DATA_ALIGN(sizeof(struct sk_buff)) */
#define NL_SMALL_HEAD 576         /* SKB_SMALL_HEAD_CACHE_SIZE */
#define NL_GOODSIZE (4096 - NL_SHINFO) /* NLMSG_GOODSIZE */
#define NL_DUMP_MAX (32768 - NL_SHINFO) /* netlink_recvmsg's cap of max_recvmsg_len */

static size_t
nl_truesize(size_t alloc, bool large_exact)
{
	size_t head = ((alloc + 63) & ~(size_t)63) + NL_SHINFO, k = 1024;

	if (head <= NL_SMALL_HEAD)
		return NL_SMALL_HEAD + NL_SKB;
	if (large_exact && head > 4096)
		return head + NL_SKB;
	while (k < head)
		k *= 2;
	return k + NL_SKB;
}

/* Queues b's datagram on u (from the kernel, port 0), charged truesize. */
static void
nl_queue_charged(struct usock *u, struct nlbuf *b, size_t truesize)
{
	struct skb *sk = xcalloc(1, sizeof(*sk));
	struct sockaddr_nl *from = (struct sockaddr_nl *)&sk->from;

	sk->data = b->buf ? b->buf : xmalloc(1);
	sk->len = b->len;
	sk->truesize = truesize;
	mem_charge_force(sk->len);
	from->nl_family = AF_NETLINK;
	sk->fromlen = sizeof(*from);
	DL_APPEND(u->rq, sk);
	u->rq_bytes += sk->len;
	u->nl_rmem += truesize;
	u->rq_count++;
	b->buf = NULL;
	b->len = b->cap = 0;
}

/* Does a message of truesize fit on u (netlink_attachskb, netlink_broadcast_deliver)?
 * An empty queue takes any; after an overrun nothing until the reader emptied it. */
static bool
nl_fits(struct usock *u, size_t truesize)
{
	return !u->nl_congested &&
	       (u->nl_rmem == 0 || u->nl_rmem + truesize <= (size_t)u->rcvbuf);
}

/* netlink_overrun: u missed a message from the kernel or to a group. It reports ENOBUFS
 * once (unless NETLINK_NO_ENOBUFS) and takes nothing more until its queue is empty. */
static void
nl_overrun(struct usock *u)
{
	if (u->nl_no_enobufs || u->nl_congested)
		return;
	u->nl_congested = true;
	u->err = ENOBUFS;
	wake(u);
}

/* The kernel's answer (netlink_unicast from the kernel never waits): queued if it fits,
 * else dropped as an overrun. */
static void
nl_queue(struct usock *u, struct nlbuf *b)
{
	size_t ts = nl_truesize(b->len, false);

	if (nl_fits(u, ts)) {
		nl_queue_charged(u, b, ts);
		return;
	}
	nl_overrun(u);
	free(b->buf);
	b->buf = NULL;
	b->len = b->cap = 0;
}

/* A dump's datagram goes on the queue whatever the room (__netlink_sendskb); its skb is
 * as large as the reader's largest read, at least a page (netlink_dump). */
static void
nl_queue_dump(struct usock *u, struct nlbuf *b)
{
	nl_queue_charged(u, b, nl_truesize(MAX(u->nl_recv_max, (size_t)NL_GOODSIZE), false));
}

/* rtnl_notify: b's message from the kernel to the NETLINK_ROUTE sockets of net in group
 * (netlink_broadcast: one it does not fit misses it). Frees b's buffer. */
static void
nl_notify(struct net_ns *net, int group, struct nlbuf *b)
{
	size_t ts = nl_truesize(b->len, false);
	struct usock *o;

	DL_FOREACH(all_socks, o) {
		struct nlbuf c = { .len = b->len, .cap = b->len };

		if (o->family != AF_NETLINK || o->protocol != NETLINK_ROUTE || o->net != net ||
		    !(o->nl_groups >> (group - 1) & 1))
			continue;
		if (!nl_fits(o, ts)) {
			nl_overrun(o);
			continue;
		}
		c.buf = xmalloc(b->len);
		memcpy(c.buf, b->buf, b->len);
		nl_queue_charged(o, &c, ts);
		((struct sockaddr_nl *)&o->rq->prev->from)->nl_groups = 1U << (group - 1);
		wake(o);
	}
	free(b->buf);
	b->buf = NULL;
	b->len = b->cap = 0;
}

/* lo changed (rtmsg_ifinfo on its netdev events): RTM_NEWLINK to RTNLGRP_LINK. */
static void
lo_notify_link(struct net_ns *n)
{
	static const struct nlmsghdr none;
	struct nlbuf b = { 0 };

	nl_link(n, &b, &none);
	((struct nlmsghdr *)b.buf)->nlmsg_flags = 0;
	nl_notify(n, RTNLGRP_LINK, &b);
}

/* The routes of an address of lo come or go (fib_add_ifaddr, fib_del_ifaddr in their
 * orders; an IPv6 one's local route: ::1's only, the one the dumps show here). */
static void
lo_notify_addr_routes(struct net_ns *n, struct lo_addr *a, bool add)
{
	static const struct nlmsghdr none;
	/* (fib_magic's: a new route is announced with NLM_F_EXCL | NLM_F_CREATE) */
	unsigned type = add ? RTM_NEWROUTE << 16 | NLM_F_EXCL | NLM_F_CREATE
			    : RTM_DELROUTE << 16;
	struct addr_route r[3];
	struct nlbuf b = { 0 };
	int cnt;

	if (a->family == AF_INET6) {
		if (!IN6_IS_ADDR_LOOPBACK(&a->v6))
			return;
		nl_route(&b, &none, type, AF_INET6, RT_TABLE_LOCAL, RTN_LOCAL, RT_SCOPE_UNIVERSE,
			 &a->v6, 128, false, 0);
		nl_notify(n, RTNLGRP_IPV6_ROUTE, &b);
		return;
	}
	cnt = lo_addr_routes4(n, a, r, n->lo_up);
	for (int i = 0; i < cnt; i++) {
		struct addr_route *x = &r[add ? i : (i + 1) % cnt];

		if (add && a->routed && x->type == RTN_LOCAL)
			continue; /* there since an earlier up */
		nl_addr_route4(&b, &none, type, x);
		nl_notify(n, RTNLGRP_IPV4_ROUTE, &b);
	}
	a->routed = add;
}

/* An address of lo came or went (rtmsg_ifa, inet6_ifa_notify): for the request req (its
 * sequence number and port id; none for lo's own at up and down); with its routes while
 * lo is up (or going down, for IPv6's). */
static void
lo_notify_addr(struct net_ns *n, struct lo_addr *a, bool add, const struct nlmsghdr *req)
{
	bool routes = n->lo_up || (!add && (a->family == AF_INET6 || a->routed));
	struct nlbuf b = { 0 };

	if (routes && !add && a->family == AF_INET6)
		lo_notify_addr_routes(n, a, false);
	nl_addr(&b, req, add ? RTM_NEWADDR : RTM_DELADDR, 0, a);
	nl_notify(n, a->family == AF_INET ? RTNLGRP_IPV4_IFADDR : RTNLGRP_IPV6_IFADDR, &b);
	if (routes && (add || a->family == AF_INET))
		lo_notify_addr_routes(n, a, add);
}

int
sock_netlink_check(struct file *f)
{
	if (!file_is_socket(f))
		return -ENOTSOCK;
	return sock_of(f)->family == AF_NETLINK ? 0 : -EINVAL;
}

void
sock_netlink_deliver(struct file *f, const void *data, size_t len)
{
	struct nlbuf b = { .buf = xmalloc(len), .len = len, .cap = len };

	memcpy(b.buf, data, len);
	nl_queue_charged(sock_of(f), &b, nl_truesize(len, false)); /* (netlink_sendskb) */
	wake(sock_of(f));
}

/* netlink_ack: an error quotes the whole request msg as it came (req: its header with
 * the asker's port id, which the answer carries), an ack its header. */
static void
nl_ack(struct usock *u, const struct nlmsghdr *req, const void *msg, int err)
{
	struct nlbuf b = { 0 };
	size_t off, quote = err && msg ? req->nlmsg_len : sizeof(*req);
	struct nlmsghdr *h = nl_msg(&b, req, NLMSG_ERROR, err ? 0 : NLM_F_CAPPED,
				    sizeof(struct nlmsgerr) - sizeof(*req) + quote, &off);
	struct nlmsgerr *e = NLMSG_DATA(h);

	e->error = err;
	if (msg)
		memcpy(&e->msg, msg, quote);
	else
		e->msg = *req;
	nl_queue(u, &b);
}

static void
nl_error(struct usock *u, const struct nlmsghdr *req, int err)
{
	nl_ack(u, req, NULL, err);
}

static void
diag_emit(void *arg, void *buf, size_t len)
{
	const struct nlmsghdr *h = buf;
	bool data = (h->nlmsg_flags & NLM_F_MULTI) && h->nlmsg_type != NLMSG_DONE;
	struct nlbuf b = { .buf = buf, .len = len, .cap = len };
	struct usock *u = arg;

	if (!data && h->nlmsg_type != NLMSG_DONE) {
		nl_queue(u, &b); /* a single answer */
		return;
	}
	nl_queue_dump(u, &b);
	u->rq->prev->nl_dump = data;
}

/* While a dump runs, Linux makes its NLMSG_DONE only once its answers are read: what
 * other requests got meanwhile (skbs after old_tail) goes before that DONE. */
static void
diag_before_done(struct usock *u, struct skb *old_tail)
{
	struct skb *last = NULL, *done = NULL, *s, *n;

	DL_FOREACH(u->rq, s)
		if (s->nl_dump)
			last = s;
	for (s = last; s && !done; s = s->next)
		if (s->len >= sizeof(struct nlmsghdr) &&
		    ((struct nlmsghdr *)s->data)->nlmsg_type == NLMSG_DONE)
			done = s;
	if (!done || !old_tail)
		return;
	for (s = old_tail->next; s; s = n) {
		n = s->next;
		DL_DELETE(u->rq, s);
		DL_PREPEND_ELEM(u->rq, done, s);
	}
}

/* A dump is still running (Linux's cb_running) until its last answers are read. */
static bool
diag_dump_running(struct usock *u)
{
	struct skb *s;

	DL_FOREACH(u->rq, s)
		if (s->nl_dump)
			return true;
	return false;
}

/* The answers to a NETLINK_ROUTE dump request (its header req, for family). */
static void
nl_dump(struct usock *u, const struct nlmsghdr *req, int family)
{
	struct nlbuf b = { 0 };
	size_t doff;

	if (req->nlmsg_type == RTM_GETLINK) {
		struct netdev *d;

		nl_link(u->net, &b, req);
		DL_FOREACH(netdevs, d)
			if (d->net == u->net)
				nl_link_tun(&b, req, d);
	} else if (req->nlmsg_type == RTM_GETADDR) {
		nl_addrs(u->net, &b, req, family);
	} else if (req->nlmsg_type == RTM_GETROUTE) {
		nl_routes(u->net, &b, req, family);
	} else {
		nl_rules(u->net, &b, req, family);
	}
	if (b.len) /* (no empty datagram: an empty dump has its DONE only) */
		nl_queue_dump(u, &b);
	nl_msg(&b, req, NLMSG_DONE, NLM_F_MULTI, sizeof(int), &doff);
	nl_queue_dump(u, &b);
}

/* A dump asked for: made now, unless the queue is full (netlink_dump's ENOBUFS, an
 * answer that cannot fit either): then once reads leave room (nl_read). One at a time. */
static void
nl_dump_start(struct usock *u, const struct nlmsghdr *req, const void *msg, int family)
{
	if (u->nl_pend) {
		nl_ack(u, req, msg, -EBUSY);
	} else if (u->nl_rmem >= (size_t)u->rcvbuf) {
		u->nl_pend = true;
		u->nl_pend_req = *req;
		u->nl_pend_family = family;
		nl_ack(u, req, msg, -ENOBUFS);
	} else {
		nl_dump(u, req, family);
	}
}

/* After a read of up to n bytes (netlink_recvmsg): later dumps come in datagrams that
 * large; a dump waiting for room is made once the queue is down to half the buffer; an
 * empty queue takes messages again after an overrun (netlink_rcv_wake). */
static void
nl_read(struct usock *u, size_t n)
{
	u->nl_recv_max = MIN(MAX(u->nl_recv_max, n), (size_t)NL_DUMP_MAX);
	if (u->nl_pend && u->nl_rmem <= (size_t)u->rcvbuf / 2) {
		u->nl_pend = false;
		nl_dump(u, &u->nl_pend_req, u->nl_pend_family);
	}
	if (!u->rq)
		u->nl_congested = false;
}

/* The requests in buf: answers queue on u. Returns n (or -errno for a bad message). */
static ssize_t
nl_send(struct task *t, struct usock *u, const void *buf, size_t n)
{
	size_t off = 0;

	nl_autobind(u, t);
	if (u->protocol == NETLINK_KOBJECT_UEVENT)
		return n; /* Linux broadcasts a root's message to listeners of the namespace:
			   * there are none here */
	while (off + sizeof(struct nlmsghdr) <= n) {
		struct nlmsghdr req;
		struct nlbuf b = { 0 };
		int family = AF_UNSPEC;

		memcpy(&req, (const char *)buf + off, sizeof(req));
		if (req.nlmsg_len < sizeof(req) || req.nlmsg_len > n - off)
			break;
		if (req.nlmsg_len >= NLMSG_LENGTH(1))
			family = ((const unsigned char *)buf)[off + NLMSG_HDRLEN];
		req.nlmsg_pid = nl_name(u)->nl_pid; /* answers carry the asker's port id */
		if (!(req.nlmsg_flags & NLM_F_REQUEST) ||
		    (req.nlmsg_type < NLMSG_MIN_TYPE && u->protocol == NETLINK_ROUTE)) {
			/* netlink_rcv_skb: no request, or a control message: an ack if asked */
			if (req.nlmsg_flags & NLM_F_ACK)
				nl_error(u, &req, 0);
			off += NLMSG_ALIGN(req.nlmsg_len);
			continue;
		}
		const void *msg = (const char *)buf + off;
		bool dump = (req.nlmsg_flags & NLM_F_DUMP) != 0; /* NLM_F_ROOT or NLM_F_MATCH */
		int err;

		if (u->protocol == NETLINK_SOCK_DIAG) { /* net/diag.c */
			bool busy = diag_dump_running(u);
			struct skb *tail = u->rq ? u->rq->prev : NULL;

			err = diag_request(t, msg, nl_name(u)->nl_pid,
					   !t || task_capable(t, CAP_NET_ADMIN), busy, diag_emit, u);
			if (err < 0 || (err == 0 && (req.nlmsg_flags & NLM_F_ACK)))
				nl_ack(u, &req, msg, err);
			if (busy)
				diag_before_done(u, tail);
			off += NLMSG_ALIGN(req.nlmsg_len);
			continue;
		}
		if (u->protocol == NETLINK_ROUTE && req.nlmsg_type >= RTM_BASE &&
		    req.nlmsg_type <= RTM_MAX && ((req.nlmsg_type - RTM_BASE) & 3) != 2 &&
		    t && !task_ns_capable(t, ns_owner(&u->net->ns), CAP_NET_ADMIN)) {
			nl_ack(u, &req, msg, -EPERM); /* rtnetlink_rcv_msg: all but GETs */
			off += NLMSG_ALIGN(req.nlmsg_len);
			continue;
		}
		if ((req.nlmsg_type == RTM_NEWLINK || req.nlmsg_type == RTM_SETLINK) &&
		    req.nlmsg_len >= NLMSG_LENGTH(sizeof(struct ifinfomsg))) {
			err = nl_set_link(u->net, msg, req.nlmsg_len, req.nlmsg_flags);
			if (err || (req.nlmsg_flags & NLM_F_ACK))
				nl_ack(u, &req, msg, err);
			off += NLMSG_ALIGN(req.nlmsg_len);
			continue;
		}
		if ((req.nlmsg_type == RTM_GETLINK || req.nlmsg_type == RTM_GETADDR ||
		     req.nlmsg_type == RTM_GETROUTE || req.nlmsg_type == RTM_GETRULE) && dump) {
			nl_dump_start(u, &req, msg, family);
		} else if (req.nlmsg_type == RTM_GETLINK) {
			err = nl_find_link(msg, req.nlmsg_len);
			if (err) {
				nl_ack(u, &req, msg, err);
			} else {
				nl_link(u->net, &b, &req); /* one interface: lo */
				((struct nlmsghdr *)b.buf)->nlmsg_flags = 0;
				nl_queue(u, &b);
			}
		} else if (req.nlmsg_type == RTM_GETNSID && !dump) {
			err = nl_get_nsid(t, &b, &req, msg, req.nlmsg_len);
			if (err)
				nl_ack(u, &req, msg, err);
			else
				nl_queue(u, &b);
		} else if (req.nlmsg_type == RTM_GETROUTE) {
			err = nl_get_route(t, u->net, &b, &req, msg, req.nlmsg_len);
			if (err)
				nl_ack(u, &req, msg, err);
			else
				nl_queue(u, &b);
		} else if (req.nlmsg_type == RTM_NEWADDR || req.nlmsg_type == RTM_DELADDR) {
			err = nl_modify_addr(u->net, msg, req.nlmsg_len, req.nlmsg_type == RTM_NEWADDR,
					     req.nlmsg_flags, &req);
			if (err || (req.nlmsg_flags & NLM_F_ACK))
				nl_ack(u, &req, msg, err);
		} else if (req.nlmsg_type == RTM_NEWROUTE || req.nlmsg_type == RTM_DELROUTE) {
			err = nl_modify_route(u->net, msg, req.nlmsg_len,
					      req.nlmsg_type == RTM_NEWROUTE, req.nlmsg_flags, &req);
			if (err || (req.nlmsg_flags & NLM_F_ACK))
				nl_ack(u, &req, msg, err);
		} else if (req.nlmsg_type == RTM_NEWRULE || req.nlmsg_type == RTM_DELRULE) {
			err = nl_modify_rule(u->net, msg, req.nlmsg_len,
					     req.nlmsg_type == RTM_NEWRULE, req.nlmsg_flags, &req);
			if (err || (req.nlmsg_flags & NLM_F_ACK))
				nl_ack(u, &req, msg, err);
		} else if (req.nlmsg_type == RTM_DELLINK) {
			err = nl_find_link(msg, req.nlmsg_len); /* lo stays as it is */
			nl_ack(u, &req, msg, err ? err : -EOPNOTSUPP);
		} else {
			nl_ack(u, &req, msg, -EOPNOTSUPP);
		}
		off += NLMSG_ALIGN(req.nlmsg_len);
	}
	wake(u);
	return n;
}

/* ---- AF_INET / AF_INET6 on loopback ---- */


/* May u name a destination other than the kernel (a port id or a group)? Linux's
 * netlink_allowed(NL_CFG_F_NONROOT_SEND): no family here has that flag, so CAP_NET_ADMIN
 * in the socket's network namespace. */
static bool
nl_may_send(struct task *t, struct usock *u)
{
	return !t || task_ns_capable(t, ns_owner(&u->net->ns), CAP_NET_ADMIN);
}

/* netlink_connect: a default destination for sends (AF_UNSPEC: none again). */
static int
nl_connect(struct task *t, struct usock *u, const struct sockaddr_un *addr, socklen_t len)
{
	const struct sockaddr_nl *a = (const void *)addr;

	if (len < sizeof(sa_family_t))
		return -EINVAL;
	if (a->nl_family == AF_UNSPEC) {
		u->nl_connected = false;
		u->nl_dst_pid = 0;
		u->nl_dst_group = 0;
		return 0;
	}
	if (a->nl_family != AF_NETLINK || len < sizeof(*a))
		return -EINVAL;
	if ((a->nl_groups || a->nl_pid) && !nl_may_send(t, u))
		return -EPERM;
	nl_autobind(u, t);
	u->nl_connected = true;
	u->nl_dst_pid = a->nl_pid;
	u->nl_dst_group = ffs((int)a->nl_groups);
	return 0;
}

/* The socket of protocol with port id pid in net, or NULL. */
static struct usock *
nl_find_port(struct net_ns *net, int protocol, uint32_t pid)
{
	struct usock *o;

	DL_FOREACH(all_socks, o)
		if (o->family == AF_NETLINK && o->protocol == protocol && o->net == net &&
		    o->addrlen && nl_name(o)->nl_pid == pid)
			return o;
	return NULL;
}

/* A user's message on o's queue (charged truesize): from u's port id (and the group it
 * went to), with the sender's credentials (NETLINK_CREDS). */
static void
nl_deliver_user(struct task *t, struct usock *u, struct usock *o, const void *buf, size_t n,
		int group, const struct sock_sendopt *so, size_t truesize)
{
	struct nlbuf b = { .buf = xmalloc(n ? n : 1), .len = n, .cap = n };
	struct sockaddr_nl *from;

	memcpy(b.buf, buf, n);
	nl_queue_charged(o, &b, truesize);
	from = (struct sockaddr_nl *)&o->rq->prev->from;
	from->nl_pid = nl_name(u)->nl_pid;
	from->nl_groups = group ? 1U << (group - 1) : 0;
	if (so && so->has_cred)
		o->rq->prev->cred = so->cred;
	else
		task_cred(t, &o->rq->prev->cred);
	wake(o);
}

/* netlink_broadcast: every member of group but the sender and the port id dst gets a
 * copy (its skb made by alloc_skb); one it does not fit misses it (netlink_overrun). */
static void
nl_broadcast(struct task *t, struct usock *u, const void *buf, size_t n, uint32_t dst,
	     int group, const struct sock_sendopt *so)
{
	struct usock *o;

	DL_FOREACH(all_socks, o) {
		if (o == u || o->family != AF_NETLINK || o->protocol != u->protocol ||
		    o->net != u->net || !o->addrlen || nl_name(o)->nl_pid == dst ||
		    !(o->nl_groups >> (group - 1) & 1))
			continue;
		if (!nl_fits(o, nl_truesize(n, false))) {
			nl_overrun(o);
			continue;
		}
		nl_deliver_user(t, u, o, buf, n, group, so, nl_truesize(n, false));
	}
}

/* netlink_sendmsg: to the address given, else the one connect named, else the kernel.
 * A group named gets the message first; then its port id: the kernel (0) takes it as a
 * request, another socket gets it as it is (none there: ECONNREFUSED, nor when that
 * one is connected to a third; a full queue: wait, EAGAIN, and the group gets it after
 * the wait, where Linux sends to it before). */
static ssize_t
nl_sendmsg(struct task *t, struct usock *u, const void *buf, size_t n,
	   const struct sockaddr_un *to, socklen_t tolen, const struct sock_sendopt *so,
	   struct waitq **wq)
{
	uint32_t dst = u->nl_dst_pid;
	int group = u->nl_dst_group;
	struct usock *o;

	if (!n)
		return -ENODATA; /* Linux 6.18: an empty message, before the address is looked at */
	if (to && tolen) {
		const struct sockaddr_nl *a = (const void *)to;

		if (tolen < sizeof(*a) || a->nl_family != AF_NETLINK)
			return -EINVAL;
		dst = a->nl_pid;
		group = ffs((int)a->nl_groups);
		if ((dst || group) && !nl_may_send(t, u))
			return -EPERM;
	}
	nl_autobind(u, t);
	if (dst) {
		o = nl_find_port(u->net, u->protocol, dst);
		if (!o || (o->nl_connected && o->nl_dst_pid != nl_name(u)->nl_pid)) {
			if (group) /* the group has it already */
				nl_broadcast(t, u, buf, n, dst, group, so);
			return -ECONNREFUSED;
		}
		if (!nl_fits(o, nl_truesize(n, true))) { /* (the group gets it once: after) */
			*wq = &o->wq;
			return -EAGAIN;
		}
	}
	if (group)
		nl_broadcast(t, u, buf, n, dst, group, so);
	if (!dst)
		return nl_send(t, u, buf, n);
	nl_deliver_user(t, u, o, buf, n, group, so, nl_truesize(n, true));
	return n;
}

static socklen_t
inet_len(int family)
{
	return family == AF_INET ? sizeof(struct sockaddr_in) : sizeof(struct sockaddr_in6);
}

/* The IPv4 address of a (v4-mapped for AF_INET6) address, in host order; false if none. */
static bool
inet_v4(const void *a, uint32_t *out)
{
	const struct sockaddr_in *in = a;
	const struct sockaddr_in6 *in6 = a;

	if (in->sin_family == AF_INET) {
		*out = ntohl(in->sin_addr.s_addr);
		return true;
	}
	if (IN6_IS_ADDR_V4MAPPED(&in6->sin6_addr)) {
		memcpy(out, &in6->sin6_addr.s6_addr[12], 4);
		*out = ntohl(*out);
		return true;
	}
	return false;
}

static int
inet_port(const void *a)
{
	return ntohs(((const struct sockaddr_in *)a)->sin_port);
}

/* Checks a guest address for socket u: 0, *any set for the any address; -errno. */
static int
inet_check(struct usock *u, const void *a, socklen_t len, bool *any, bool *loop)
{
	const struct sockaddr_in6 *in6 = a;
	uint32_t v4;

	if (len < inet_len(u->family))
		return -EINVAL;
	if (((const struct sockaddr *)a)->sa_family != u->family)
		return u->family == AF_INET ? -EAFNOSUPPORT : -EINVAL;
	*any = *loop = false;
	if (inet_v4(a, &v4)) {
		*any = v4 == INADDR_ANY;
		*loop = ip4_local(u->net, v4);
	} else {
		*any = IN6_IS_ADDR_UNSPECIFIED(&in6->sin6_addr);
		*loop = ip6_local(u->net, &in6->sin6_addr);
	}
	return 0;
}

/* IPv4 group and broadcast addresses (255.255.255.255, lo's 127.255.255.255) */
static bool
ip4_is_mcast(uint32_t ip) /* host order */
{
	return (ip >> 28) == 14;
}

static bool
ip4_is_bcast(struct net_ns *n, uint32_t ip) /* host order */
{
	return ip == INADDR_BROADCAST || ip4_lo_bcast(n, ip);
}

/* Whether an address of kind v4 (else v6) reaches a socket o bound on its port. */
static bool
inet_reaches(struct usock *o, bool v4)
{
	bool oany = false;
	uint32_t ov4;

	if (o->family == AF_INET)
		return v4;
	if (!inet_v4(&o->addr, &ov4))
		oany = IN6_IS_ADDR_UNSPECIFIED(&((struct sockaddr_in6 *)&o->addr)->sin6_addr);
	else
		return v4;
	return v4 ? oany && !o->v6only : true;
}

/* An address as a connection's end: its kind (v4-mapped is IPv4), the any address read
 * as loopback (where a connect to it goes). */
struct nkey {
	bool v4;
	uint32_t ip4;
	struct in6_addr ip6;
	int port;
};

static void
nkey_of(const void *a, struct nkey *k)
{
	memset(k, 0, sizeof(*k));
	k->port = inet_port(a);
	if (inet_v4(a, &k->ip4)) {
		k->v4 = true;
		if (k->ip4 == INADDR_ANY)
			k->ip4 = INADDR_LOOPBACK;
		return;
	}
	k->ip6 = ((const struct sockaddr_in6 *)a)->sin6_addr;
	if (IN6_IS_ADDR_UNSPECIFIED(&k->ip6))
		k->ip6 = in6addr_loopback;
}

static bool
nkey_eq(const struct nkey *a, const struct nkey *b)
{
	return a->v4 == b->v4 && a->port == b->port &&
	       (a->v4 ? a->ip4 == b->ip4 : IN6_ARE_ADDR_EQUAL(&a->ip6, &b->ip6));
}

/* How well a packet to v4 address ip (host order) or IPv6 address ip6 matches bound socket
 * o (Linux compute_score): -1 not at all (o is bound to another address), more for a
 * socket bound to that very address, more for an IPv4 socket than a dual-stack one. */
static int
inet_score(struct usock *o, bool v4, uint32_t ip, const struct in6_addr *ip6)
{
	const struct sockaddr_in6 *in6 = (const void *)&o->addr;
	int score = o->family == AF_INET ? 2 : 1;
	uint32_t b;

	if (inet_v4(&o->addr, &b)) {
		if (b == INADDR_ANY)
			return score;
		return v4 && b == ip ? score + 4 : -1;
	}
	if (IN6_IS_ADDR_UNSPECIFIED(&in6->sin6_addr))
		return score;
	return !v4 && IN6_ARE_ADDR_EQUAL(&in6->sin6_addr, ip6) ? score + 4 : -1;
}

/* The bound inet socket of this type that a packet to address a (of kind v4) reaches: the
 * best match; among equals a UDP packet goes to the socket bound last (Linux puts it first
 * in its hash chain), a connection to the first listener. */
static struct usock *
inet_find(struct net_ns *n, int type, int protocol, const void *a, bool v4, bool listening)
{
	struct usock *o, *found = NULL;
	int port = inet_port(a), best = -1;
	struct nkey k;

	nkey_of(a, &k);
	DL_FOREACH(all_socks, o) {
		int score;

		if (o->family == AF_UNIX || o->net != n || o->type != type ||
		    o->protocol != protocol || !o->addrlen || o->port != port ||
		    !inet_reaches(o, v4))
			continue;
		if (listening && o->state != SS_LISTEN)
			continue;
		if (!listening && o->type == SOCK_STREAM && o->state != SS_LISTEN)
			continue;
		if (o->bound_dev && o->bound_dev != LOOPBACK_IFINDEX)
			continue; /* bound to another interface: nothing comes by lo to it */
		score = inet_score(o, k.v4, k.ip4, &k.ip6);
		if (score >= 0 && o->bound_dev)
			score += 8; /* bound to the interface it came by: preferred */
		if (score < 0 || score < best)
			continue;
		if (score == best && (type != SOCK_DGRAM || o->bind_seq < found->bind_seq))
			continue;
		found = o;
		best = score;
	}
	return found;
}

/* ---- port ownership (Linux inet_csk_bind_conflict, udp_lib_lport_inuse) ----
 * Two sockets of one protocol on one port clash when their receive addresses overlap
 * (the any address overlaps everything of its kinds; an IPv6 socket that is not v6only
 * also takes IPv4) unless SO_REUSEADDR on both allows it (TCP: not with a listener) or
 * SO_REUSEPORT on both does. A closed TCP connection keeps its name for a while: TIME_WAIT
 * (60 s) after it closed first and the peer's FIN came; FIN_WAIT2 (TCP_LINGER2, else
 * 60 s) while that FIN has not come yet (it then goes to TIME_WAIT). Those are ghosts:
 * a name and its flags, nothing else. */

#define TCP_TIMEWAIT_NS (60LL * 1000000000)
#define TCP_MAX_GHOSTS 16384      /* net.ipv4.tcp_max_tw_buckets, smaller */

struct tcp_ghost {
	struct tcp_ghost *next, *prev;
	struct net_ns *net;       /* a reference */
	int family;
	struct sockaddr_un addr;
	int port;
	bool v6only, reuse, reuseport;
	long long expires;        /* monotonic ns */
	struct usock *waiting;    /* FIN_WAIT2: the peer whose FIN makes it TIME_WAIT */
	struct sockaddr_un peer;  /* the other end (sock_diag shows it) */
	bool has_peer;
	uint64_t cookie;
};

static struct tcp_ghost *ghosts;
static int nghosts;

static void
ghost_free(struct tcp_ghost *g)
{
	if (g->waiting)
		g->waiting->fw2 = NULL;
	DL_DELETE(ghosts, g);
	nghosts--;
	ns_put(&g->net->ns);
	free(g);
}

static void
ghosts_expire(void)
{
	struct tcp_ghost *g, *tmp;
	long long now;

	if (!ghosts)
		return;
	now = monotonic_ns();
	DL_FOREACH_SAFE(ghosts, g, tmp)
		if (g->expires <= now)
			ghost_free(g);
}

/* u closes (its file goes, no reset): a ghost keeps its name if it closed first. */
static void
ghost_make(struct usock *u)
{
	struct tcp_ghost *g;
	long long tmo;

	if (u->family == AF_UNIX || u->family == AF_NETLINK || u->type != SOCK_STREAM ||
	    u->state != SS_CONNECTED || !u->addrlen || u->peer == u || u->reset)
		return;
	if (u->fin_rcvd && !u->fin_first)
		return;           /* a passive close: LAST_ACK, then nothing */
	if (!u->fin_rcvd && u->tcp.linger2 < 0)
		return;           /* TCP_LINGER2 below 0: a reset instead of FIN_WAIT2 */
	ghosts_expire();
	if (nghosts >= TCP_MAX_GHOSTS)
		return;           /* Linux: "time wait bucket table overflow", closed at once */
	tmo = u->fin_rcvd || !u->tcp.linger2 ? TCP_TIMEWAIT_NS
					     : u->tcp.linger2 * 1000000000LL;
	g = xcalloc(1, sizeof(*g));
	g->net = (struct net_ns *)ns_get(&u->net->ns);
	g->family = u->family;
	g->addr = u->addr;
	g->port = u->port;
	g->v6only = u->v6only;
	g->reuse = u->reuseaddr;
	g->reuseport = u->reuseport;
	g->expires = monotonic_ns() + tmo;
	if (u->peer && u->peer->addrlen) {
		g->peer = u->peer->addr;
		g->has_peer = true;
	}
	if (!u->fin_rcvd && u->peer && !u->peer->fw2) {
		g->waiting = u->peer;
		u->peer->fw2 = g;
	}
	DL_APPEND(ghosts, g);
	nghosts++;
}

/* u sends its FIN (shutdown or close): a peer ghost in FIN_WAIT2 goes to TIME_WAIT; a
 * reset (abort) ends it. */
static void
ghost_peer_fin(struct usock *u, bool abort)
{
	struct tcp_ghost *g = u->fw2;

	if (!g)
		return;
	u->fw2 = NULL;
	g->waiting = NULL;
	if (abort)
		ghost_free(g);
	else
		g->expires = monotonic_ns() + TCP_TIMEWAIT_NS;
}

enum { V6_ANY, V6_MAPPED, V6_OTHER };

/* A name as the bind conflict check sees it (Linux's sk_rcv_saddr and sk_v6_rcv_saddr). */
struct bview {
	int family;
	int dev;                  /* SO_BINDTODEVICE's index, 0: any */
	bool v6only, reuse, reuseport, listening;
	uint32_t v4;              /* the IPv4 receive address, host order (0: any) */
	struct in6_addr v6;
	int v6type;
};

static void
bview_of(struct bview *b, int family, const void *a, bool v6only)
{
	memset(b, 0, sizeof(*b));
	b->family = family;
	b->v6only = v6only;
	if (family == AF_INET) {
		b->v4 = ntohl(((const struct sockaddr_in *)a)->sin_addr.s_addr);
		return;
	}
	b->v6 = ((const struct sockaddr_in6 *)a)->sin6_addr;
	if (inet_v4(a, &b->v4)) {
		b->v6type = V6_MAPPED;
	} else if (IN6_IS_ADDR_UNSPECIFIED(&b->v6)) {
		b->v6type = V6_ANY;
		b->v4 = 0;
	} else {
		b->v6type = V6_OTHER;
		b->v4 = 0x7f000006;   /* Linux's LOOPBACK4_IPV6: no IPv4 equivalent */
	}
}

/* Linux inet_rcv_saddr_equal with wildcards matching: does b's name overlap a's? */
static bool
bview_overlap(const struct bview *a, const struct bview *b)
{
	if (a->family == AF_INET6) {
		int t1 = a->v6type, t2 = b->family == AF_INET6 ? b->v6type : V6_MAPPED;

		if (t1 == V6_MAPPED && t2 == V6_MAPPED)
			return !b->v6only && (a->v4 == b->v4 || !a->v4 || !b->v4);
		if (t1 == V6_ANY && t2 == V6_ANY)
			return true;
		if (t2 == V6_ANY && !(b->v6only && t1 == V6_MAPPED))
			return true;
		if (t1 == V6_ANY && !(a->v6only && t2 == V6_MAPPED))
			return true;
		return b->family == AF_INET6 && IN6_ARE_ADDR_EQUAL(&a->v6, &b->v6);
	}
	if (b->v6only)
		return false;
	return a->v4 == b->v4 || !a->v4 || !b->v4;
}

static bool
bview_conflict(const struct bview *a, const struct bview *b, bool tcp)
{
	if (a->dev && b->dev && a->dev != b->dev)
		return false; /* bound to different interfaces: no clash */
	if (!bview_overlap(a, b))
		return false;
	if (a->reuse && b->reuse && (!tcp || !b->listening))
		return false;
	return !(a->reuseport && b->reuseport);
}

static bool
inet_same_proto(struct usock *u, struct usock *o)
{
	return o != u && o->family != AF_UNIX && o->family != AF_NETLINK && o->net == u->net &&
	       o->type == u->type && o->protocol == u->protocol && o->addrlen;
}

/* Would u named a (on port) clash with another socket or a ghost? listening: u as a
 * listener (listen(2) checks again); strict: as if u had neither SO_REUSEADDR nor
 * SO_REUSEPORT (the kernel's own choice of a port for bind, inet_csk_find_open_port). */
static bool
inet_conflicts_as(struct usock *u, const void *a, int port, bool listening, bool strict)
{
	bool tcp = u->type == SOCK_STREAM;
	struct bview me, ov;
	struct usock *o;
	struct tcp_ghost *g;

	bview_of(&me, u->family, a, u->v6only);
	me.reuse = u->reuseaddr && !strict;
	me.reuseport = u->reuseport && !strict;
	me.listening = listening;
	me.dev = u->bound_dev;
	if (me.reuseport && !listening) {
		/* The last socket bound on the port decides first: Linux's UDP looks at the
		 * newest sockets first and takes the first one sharing by SO_REUSEPORT as
		 * no clash (udp_lib_lport_inuse); TCP's bind bucket lets a SO_REUSEPORT
		 * socket in when the one bound last had it too (fastreuseport). So a socket
		 * with only SO_REUSEPORT may join one with both after one with only
		 * SO_REUSEADDR. */
		struct usock *last = NULL;

		DL_FOREACH(all_socks, o) {
			if (!inet_same_proto(u, o) || o->port != port ||
			    (me.dev && o->bound_dev && me.dev != o->bound_dev))
				continue;
			if (!tcp && o->reuseaddr && u->reuseaddr)
				continue; /* (UDP passes over those SO_REUSEADDR lets share) */
			bview_of(&ov, o->family, &o->addr, o->v6only);
			if (!bview_overlap(&me, &ov))
				continue;
			if (!last || o->bind_seq > last->bind_seq)
				last = o;
		}
		if (last) /* TCP: the very address (FASTREUSEPORT_STRICT) */
			bview_of(&ov, last->family, &last->addr, last->v6only);
		if (last && last->reuseport &&
		    (!tcp || (ov.family == me.family && ov.v4 == me.v4 &&
			      IN6_ARE_ADDR_EQUAL(&ov.v6, &me.v6))))
			goto ghosts;
	}
	DL_FOREACH(all_socks, o) {
		if (!inet_same_proto(u, o) || o->port != port)
			continue;
		bview_of(&ov, o->family, &o->addr, o->v6only);
		ov.dev = o->bound_dev;
		ov.reuse = o->reuseaddr;
		ov.reuseport = o->reuseport;
		ov.listening = o->state == SS_LISTEN;
		if (bview_conflict(&me, &ov, tcp))
			return true;
	}
ghosts:
	if (!tcp || u->protocol != IPPROTO_TCP)
		return false;
	ghosts_expire();
	DL_FOREACH(ghosts, g) {
		if (g->port != port || g->net != u->net)
			continue;
		bview_of(&ov, g->family, &g->addr, g->v6only);
		ov.reuse = g->reuse;
		ov.reuseport = g->reuseport;
		if (bview_conflict(&me, &ov, tcp))
			return true;
	}
	return false;
}

static bool
inet_conflicts(struct usock *u, const void *a, int port, bool listening)
{
	return inet_conflicts_as(u, a, port, listening, false);
}

/* Is anything of u's protocol on port (a ghost too, unless for a connect: loopback
 * reuses TIME_WAIT ports for new connections, tcp_tw_reuse)? */
static bool
port_taken(struct usock *u, int port, bool ghosts_too)
{
	struct usock *o;
	struct tcp_ghost *g;

	DL_FOREACH(all_socks, o)
		if (inet_same_proto(u, o) && o->port == port)
			return true;
	if (ghosts_too && u->type == SOCK_STREAM && u->protocol == IPPROTO_TCP)
		DL_FOREACH(ghosts, g)
			if (g->port == port && g->net == u->net)
				return true;
	return false;
}

/* TCP: is o connected to a peer with a name (not listening, connecting or closed)? */
static bool
inet_settled(struct usock *o)
{
	return o->state == SS_CONNECTED && o->peer && o->peer != o && o->peer->addrlen;
}

/* TCP: is o the connection from me to to (the 4-tuple)? */
static bool
inet_is_conn(struct usock *o, const struct nkey *me, const struct nkey *to)
{
	struct nkey k;

	if (!inet_settled(o))
		return false;
	nkey_of(&o->addr, &k);
	if (!nkey_eq(&k, me))
		return false;
	nkey_of(&o->peer->addr, &k);
	return nkey_eq(&k, to);
}

/* May a TCP connect from a to dst share port with the sockets already on it? Linux
 * (__inet_hash_connect) lets it when every one of them got the port from a connect too
 * (the bind bucket's fastreuse is -1: no bind or listen named it) and none of them is
 * that very connection already (the 4-tuple stays unique). */
static bool
inet_port_shareable(struct usock *u, const void *a, int port, const void *dst)
{
	struct nkey me, to;
	struct usock *o;

	nkey_of(a, &me);
	me.port = port;
	nkey_of(dst, &to);
	DL_FOREACH(all_socks, o) {
		if (!inet_same_proto(u, o) || o->port != port)
			continue;
		if (!o->autobound || !inet_settled(o) || inet_is_conn(o, &me, &to))
			return false; /* bound, listening, unsettled, or this very connection */
	}
	return true;
}

/* The i-th port to try of the n from lo, from offset start: first those of start's
 * parity, then the others (every port once, also for an odd n). */
static int
ephemeral_nth(int lo, int n, unsigned int start, int i)
{
	int half = (n + 1) / 2;
	unsigned long off = i < half ? start + 2UL * (unsigned int)i
				     : start + 1 + 2UL * (unsigned int)(i - half);

	return lo + (int)(off % (unsigned int)n);
}

/* An ephemeral port for u named a (ip_local_port_range): a free one; else UDP takes one
 * its name does not clash on (both SO_REUSEADDR), a TCP connect to dst (else NULL) one
 * it may share with other connects, a TCP bind one where nothing has an overlapping
 * address (whatever the SO_REUSE* options). 0 when there is none. Tried as Linux does
 * (inet_csk_find_open_port, udp_lib_get_port): from a random point of the range, so a
 * port is not guessed from the last one; a TCP bind odd offsets first and a TCP connect
 * even ones (__inet_hash_connect's parity, so the two rarely compete; its start is a
 * secret hash of the destination, moved on a little by each connect, here random too). */
static int
inet_pick_port(struct usock *u, const void *a, bool connecting, const void *dst)
{
	bool tcp = u->type == SOCK_STREAM;
	unsigned int start = 0;
	int lo, hi, n;

	lo = u->net->sysctl[P_NS_PORT_RANGE - P_NS_TCP_SACK][0];
	hi = u->net->sysctl[P_NS_PORT_RANGE - P_NS_TCP_SACK][1];
	n = hi - lo + 1;
	if (getrandom(&start, sizeof(start), GRND_NONBLOCK) != sizeof(start))
		start = 0;
	start %= (unsigned int)n;
	if (tcp && n > 1)
		start = connecting ? start & ~1U : (start | 1U) % (unsigned int)n;
	ghosts_expire();
	for (int pass = 0; pass < 2; pass++) {
		if (pass == 1 && tcp && connecting && !dst)
			break;
		for (int i = 0; i < n; i++) {
			int port = ephemeral_nth(lo, n, start, i);

			if (pass == 0 ? !port_taken(u, port, !connecting)
			    : dst     ? inet_port_shareable(u, a, port, dst)
				      : !inet_conflicts_as(u, a, port, false, tcp))
				return port;
		}
	}
	return 0;
}

/* Binds u to addr (its port, 0: an ephemeral one; dst: see inet_pick_port). */
static int
inet_set_name(struct usock *u, const void *a, int port, bool connecting, const void *dst)
{
	if (is_ping(u)) {
		port = port ? (ping_ident_taken(u, port, false) ? 0 : port) : ping_pick_ident(u);
		if (!port)
			return -EADDRINUSE;
	} else if (port == 0) {
		port = inet_pick_port(u, a, connecting, dst);
		if (!port)
			return -EADDRINUSE;
	} else if (inet_conflicts(u, a, port, false)) {
		return -EADDRINUSE;
	}
	memset(&u->addr, 0, sizeof(u->addr));
	memcpy(&u->addr, a, inet_len(u->family));
	if (u->family == AF_INET6) {
		((struct sockaddr_in6 *)&u->addr)->sin6_flowinfo = 0;
		((struct sockaddr_in6 *)&u->addr)->sin6_scope_id = 0;
	} else {
		memset(((struct sockaddr_in *)&u->addr)->sin_zero, 0, 8);
	}
	((struct sockaddr_in *)&u->addr)->sin_port = htons(port);
	u->addrlen = inet_len(u->family);
	u->port = port;
	u->closed_name.sin6_family = 0;
	u->bind_seq = ++bind_seq;
	return 0;
}

/* An unbound socket gets an ephemeral port on loopback (as a connect or send does); a TCP
 * connect names its destination dst (else NULL), whose port may be shared. */
static int
inet_autobind_to(struct usock *u, bool v4, const void *dst)
{
	struct sockaddr_in6 a6 = { .sin6_family = AF_INET6 };
	struct sockaddr_in a4 = { .sin_family = AF_INET };

	if (u->addrlen)
		return 0;
	u->autobound = true;
	if (u->type == SOCK_DGRAM) { /* UDP binds the any address; none free: EAGAIN */
		int err = inet_set_name(u, u->family == AF_INET ? (void *)&a4 : (void *)&a6, 0,
					true, NULL);

		return err == -EADDRINUSE ? -EAGAIN : err;
	}
	if (u->addr_locked && u->closed_name.sin6_family) { /* the address a disconnect kept */
		memcpy(u->family == AF_INET ? (void *)&a4 : (void *)&a6, &u->closed_name,
		       inet_len(u->family));
		((struct sockaddr_in *)(u->family == AF_INET ? (void *)&a4 : (void *)&a6))->sin_port = 0;
		return inet_set_name(u, u->family == AF_INET ? (void *)&a4 : (void *)&a6, 0, true,
				     dst) == -EADDRINUSE ? -EADDRNOTAVAIL : 0;
	}
	if (u->family == AF_INET) {
		a4.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
		return inet_set_name(u, &a4, 0, true, dst) == -EADDRINUSE ? -EADDRNOTAVAIL : 0;
	}
	if (v4) {
		a6.sin6_addr.s6_addr[10] = a6.sin6_addr.s6_addr[11] = 0xff;
		a6.sin6_addr.s6_addr[12] = 127;
		a6.sin6_addr.s6_addr[15] = 1;
	} else {
		a6.sin6_addr = in6addr_loopback;
	}
	return inet_set_name(u, &a6, 0, true, dst) == -EADDRINUSE ? -EADDRNOTAVAIL : 0;
}

static int
inet_autobind(struct usock *u, bool v4)
{
	return inet_autobind_to(u, v4, NULL);
}

static int
inet_bind(struct task *t, struct usock *u, const void *a, socklen_t len)
{
	struct sockaddr_in unspec4;
	bool any, loop;
	uint32_t v4;
	int err;

	if (len >= inet_len(u->family) && ((const struct sockaddr *)a)->sa_family != u->family) {
		const struct sockaddr_in *in = a;

		/* inet_bind: AF_UNSPEC with INADDR_ANY counts as AF_INET (compatibility);
		 * inet6_bind: any other family is EAFNOSUPPORT */
		if (u->family == AF_INET6 || in->sin_family != AF_UNSPEC ||
		    in->sin_addr.s_addr != htonl(INADDR_ANY))
			return -EAFNOSUPPORT;
		unspec4 = *in;
		unspec4.sin_family = AF_INET;
		a = &unspec4;
	}
	err = inet_check(u, a, len, &any, &loop);

	if (err)
		return err;
	if (!any && !loop && u->family == AF_INET) {
		uint32_t ip = ntohl(((const struct sockaddr_in *)a)->sin_addr.s_addr);

		/* RTN_MULTICAST, RTN_BROADCAST; a namespace without IPv4 routing tables yet
		 * (lo never up, no address) calls every address broadcast (inet_addr_type) */
		loop = ip4_is_mcast(ip) || ip4_is_bcast(u->net, ip) || !u->net->fib4;
	} else if (!any && !loop && !u->net->fib4 && inet_v4(a, &v4)) {
		loop = true; /* (inet6_bind asks the same of a v4-mapped address) */
	}
	if (!any && !loop)
		return -EADDRNOTAVAIL; /* no other interface */
	/* Linux __inet_bind: ports below ip_unprivileged_port_start (1024 unless set) need
	 * CAP_NET_BIND_SERVICE */
	if (inet_port(a) && inet_port(a) < u->net->sysctl[P_NS_UNPRIV_PORT - P_NS_TCP_SACK][0] && t &&
	    !task_ns_capable(t, ns_owner(&u->net->ns), CAP_NET_BIND_SERVICE))
		return -EACCES;
	if (u->addrlen)
		return -EINVAL;
	err = inet_set_name(u, a, inet_port(a), false, NULL);
	if (!err) {
		u->port_locked = inet_port(a) != 0;
		u->addr_locked = !any;
	}
	return err;
}

/* The socket a connect or sendto reaches: -ENETUNREACH off loopback, -ECONNREFUSED when
 * nobody is there. *v4: the address is IPv4 (or v4-mapped). */
static int
inet_lookup(struct usock *u, const void *a, socklen_t len, struct usock **out, bool *v4)
{
	bool any, loop;
	uint32_t ip;
	int err = inet_check(u, a, len, &any, &loop);

	if (err)
		return err;
	if (!any && !loop) /* IPv6's ::1 gone from lo: no source address for it */
		return !inet_v4(a, &ip) &&
		       IN6_IS_ADDR_LOOPBACK(&((const struct sockaddr_in6 *)a)->sin6_addr)
		       ? -EADDRNOTAVAIL : -ENETUNREACH;
	if (!u->net->lo_up) /* no route at all (a new namespace's lo is down) */
		return -ENETUNREACH;
	*v4 = inet_v4(a, &ip);
	if (u->v6only && *v4 && u->family == AF_INET6)
		return -ENETUNREACH;
	*out = inet_find(u->net, u->type, u->protocol, a, *v4, u->type == SOCK_STREAM);
	return *out ? 0 : -ECONNREFUSED;
}

/* A UDP IPv6 socket sending to a: one bound to (or connected to) an IPv4-mapped address
 * sends IPv4 only (EAFNOSUPPORT), one bound to a specific IPv6 address IPv6 only
 * (ENETUNREACH), as Linux's udpv6_sendmsg. */
static int
inet6_send_check(struct usock *u, const void *a, socklen_t len, bool use_dst)
{
	uint32_t ip;
	bool to4, mapped, specific;

	if (u->family != AF_INET6 || len < sizeof(struct sockaddr_in6) ||
	    ((const struct sockaddr *)a)->sa_family != AF_INET6)
		return 0;
	to4 = inet_v4(a, &ip);
	mapped = (u->addrlen && inet_v4(&u->addr, &ip)) ||
		 (use_dst && u->has_dst && inet_v4(&u->dst, &ip));
	/* (a source a connect chose leaves Linux's IPv4 source the any address) */
	specific = u->addrlen && !mapped && !u->src_from_connect &&
		   !IN6_IS_ADDR_UNSPECIFIED(&((struct sockaddr_in6 *)&u->addr)->sin6_addr);
	if (!to4 && mapped)
		return -EAFNOSUPPORT;
	if (to4 && specific)
		return -ENETUNREACH;
	return 0;
}

/* A UDP connect from the any address takes the route's source (ip4_datagram_connect):
 * loopback of the destination's kind, v4-mapped for an IPv6 socket sending IPv4. */
static void
inet_pick_source(struct usock *u, bool v4, const void *dst)
{
	struct sockaddr_in6 *in6 = (void *)&u->addr;
	struct sockaddr_in *in = (void *)&u->addr;
	uint32_t ip = 0, d4 = 0, src4;

	if (!u->addrlen)
		return;
	/* the lo address of the destination's prefix (IPv4), the destination itself when
	 * it is one of lo's other IPv6 addresses, else loopback */
	src4 = inet_v4(dst, &d4) ? lo_src4(u->net, d4) : INADDR_LOOPBACK;
	if (u->family == AF_INET) {
		if (in->sin_addr.s_addr != htonl(INADDR_ANY))
			return;
		in->sin_addr.s_addr = htonl(src4);
	} else {
		bool any = IN6_IS_ADDR_UNSPECIFIED(&in6->sin6_addr) ||
			   (inet_v4(&u->addr, &ip) && ip == INADDR_ANY);
		const struct sockaddr_in6 *d6 = dst;

		if (!any)
			return;
		if (v4) {
			memset(&in6->sin6_addr, 0, sizeof(in6->sin6_addr));
			in6->sin6_addr.s6_addr[10] = in6->sin6_addr.s6_addr[11] = 0xff;
			src4 = htonl(src4);
			memcpy(&in6->sin6_addr.s6_addr[12], &src4, 4);
		} else if (d6->sin6_family == AF_INET6 && !IN6_IS_ADDR_UNSPECIFIED(&d6->sin6_addr) &&
			   ip6_local(u->net, &d6->sin6_addr)) {
			in6->sin6_addr = d6->sin6_addr;
		} else {
			in6->sin6_addr = in6addr_loopback;
		}
	}
	u->src_from_connect = true;
}

/* l found for sender u: with SO_REUSEPORT, one of the sockets sharing l's name, chosen
 * by a hash of u's name (Linux reuseport_select_sock: one flow, one socket). */
static struct usock *
inet_reuseport_pick(struct usock *l, struct usock *u)
{
	struct usock *o;
	uint32_t h, ip = 0;
	int n = 0;

	if (!l->reuseport)
		return l;
	DL_FOREACH(all_socks, o)
		if (o->family == l->family && o->type == l->type && o->protocol == l->protocol &&
		    o->net == l->net &&
		    o->reuseport && o->addrlen && o->port == l->port && o->state == l->state &&
		    o->bound_dev == l->bound_dev &&
		    !memcmp(&o->addr, &l->addr, inet_len(l->family)))
			n++;
	if (n <= 1)
		return l;
	inet_v4(&u->addr, &ip);
	h = (uint32_t)u->port * 0x9e3779b1u ^ ip ^ ((uint32_t)l->port << 16);
	h ^= h >> 16;
	h *= 0x85ebca6bu;
	h ^= h >> 13;
	h *= 0xc2b2ae35u;
	h ^= h >> 16;
	n = (int)(h % (uint32_t)n);
	DL_FOREACH(all_socks, o)
		if (o->family == l->family && o->type == l->type && o->protocol == l->protocol &&
		    o->net == l->net &&
		    o->reuseport && o->addrlen && o->port == l->port && o->state == l->state &&
		    o->bound_dev == l->bound_dev &&
		    !memcmp(&o->addr, &l->addr, inet_len(l->family)) && n-- == 0)
			return o;
	return l;
}

/* ---- IPv4 multicast and broadcast on loopback (Linux igmp.c, udp.c) ----
 * A datagram to a group reaches lo only when lo has joined the group, that is when some
 * socket joined it there (IP_ADD_MEMBERSHIP); then every UDP socket bound to its port (at
 * the any address or at the group) gets a copy: one that joined the group, and one that
 * did not unless IP_MULTICAST_ALL is off. It leaves by IP_MULTICAST_IF's interface or, with
 * none, by the interface of the sender's bound address; with neither there is no route
 * (only lo is up). IP_MULTICAST_LOOP changes nothing here: the packet comes back by lo
 * itself. A broadcast (255.255.255.255, lo's 127.255.255.255) needs SO_BROADCAST and
 * reaches every socket bound to its port at the any address or at that address. */

/* The interface a membership request names (ip_mc_find_dev): lo's index, or -ENODEV. */
static int
mc_find_dev(struct net_ns *n, const struct ip_mreqn *m)
{
	uint32_t a = ntohl(m->imr_address.s_addr);

	if (m->imr_ifindex)
		return m->imr_ifindex == LOOPBACK_IFINDEX ? LOOPBACK_IFINDEX : -ENODEV;
	if (a)
		return ip4_local(n, a) ? LOOPBACK_IFINDEX : -ENODEV;
	return -ENODEV; /* the route to the group: none, only loopback is up */
}

/* When lo's group grp (network order) came to be: with members besides u (the device
 * itself for all-hosts while lo is up, or another socket) it is their group; else it is
 * a new one. Linux lists an interface's groups newest first (ip_mc_inc_group). */
static unsigned long
mc_born(struct net_ns *n, uint32_t grp, struct usock *u)
{
	struct usock *o;

	if (n->lo_up && ntohl(grp) == INADDR_ALLHOSTS_GROUP)
		return n->allhosts_born;
	DL_FOREACH(all_socks, o)
		if (o != u && o->net == n)
			for (int i = 0; i < o->nmc; i++)
				if (o->mc[i].grp == grp && o->mc[i].ifindex == LOOPBACK_IFINDEX)
					return o->mc[i].born;
	return ++n->mc_seq;
}

static int
mc_join(struct usock *u, const struct ip_mreqn *m)
{
	int ifindex;

	if (!ip4_is_mcast(ntohl(m->imr_multiaddr.s_addr)))
		return -EINVAL;
	ifindex = mc_find_dev(u->net, m);
	if (ifindex < 0)
		return ifindex;
	for (int i = 0; i < u->nmc; i++)
		if (u->mc[i].grp == m->imr_multiaddr.s_addr && u->mc[i].ifindex == ifindex)
			return -EADDRINUSE;
	if (u->nmc >= MC_MAX_MEMBERSHIPS)
		return -ENOBUFS;
	u->mc[u->nmc++] = (struct mc_member){ .grp = m->imr_multiaddr.s_addr,
					      .addr = m->imr_address.s_addr,
					      .ifindex = ifindex,
					      .born = mc_born(u->net, m->imr_multiaddr.s_addr, u) };
	return 0;
}

/* ip_mc_leave_group: the membership of that group on the interface the request names
 * (by index, else by the address it was joined with). */
static int
mc_leave(struct usock *u, const struct ip_mreqn *m)
{
	int ifindex = mc_find_dev(u->net, m);

	if (ifindex < 0) {
		if (!m->imr_ifindex && !m->imr_address.s_addr)
			return -ENODEV;
		ifindex = m->imr_ifindex;
	}
	for (int i = 0; i < u->nmc; i++) {
		if (u->mc[i].grp != m->imr_multiaddr.s_addr)
			continue;
		if (ifindex ? u->mc[i].ifindex != ifindex :
		    (m->imr_address.s_addr && m->imr_address.s_addr != u->mc[i].addr))
			continue;
		u->mc[i] = u->mc[--u->nmc];
		return 0;
	}
	return -EADDRNOTAVAIL;
}

static bool
mc_member(struct usock *o, uint32_t grp) /* network order */
{
	for (int i = 0; i < o->nmc; i++)
		if (o->mc[i].grp == grp && o->mc[i].ifindex == LOOPBACK_IFINDEX)
			return true;
	return false;
}

/* Whether lo has joined group grp (network order): some socket did, or all-hosts. */
static bool
mc_lo_joined(struct net_ns *n, uint32_t grp)
{
	struct usock *o;

	if (ntohl(grp) == INADDR_ALLHOSTS_GROUP)
		return true;
	DL_FOREACH(all_socks, o)
		if (o->net == n && o->nmc && mc_member(o, grp))
			return true;
	return false;
}

/* A UDP send or connect of u to a: whether a is an IPv4 group or broadcast address (*mc),
 * and then the route's source address (host order, *src) or -errno (ip_route_output). */
static int
mc_route(struct usock *u, const void *a, bool *mc, uint32_t *src)
{
	uint32_t dst, from = 0;
	bool mcast;
	int oif;

	*mc = false;
	if (u->type != SOCK_DGRAM || !inet_v4(a, &dst))
		return 0;
	mcast = ip4_is_mcast(dst);
	if (!mcast && !ip4_is_bcast(u->net, dst))
		return 0;
	*mc = true;
	/* bound to a group or broadcast address, it sends from the interface's (inet_bind) */
	if (u->addrlen && inet_v4(&u->addr, &from) &&
	    (ip4_is_mcast(from) || ip4_is_bcast(u->net, from)))
		from = 0;
	if (!from && mcast)
		from = ntohl(u->mc_addr);
	oif = mcast ? u->mc_index : 0;
	if (!u->net->lo_up)
		return -ENETUNREACH; /* lo down: no route at all */
	if (from && !ip4_local(u->net, from))
		return -ENETUNREACH; /* not an address of this host's */
	if (!from && !oif && (mcast || !ip4_lo_bcast(u->net, dst)))
		return -ENETUNREACH; /* no route: only lo's prefixes and their broadcasts */
	if (!mcast && !u->broadcast)
		return -EACCES;
	*src = from ? from : lo_src4(u->net, dst);
	return 0;
}

/* Whether UDP socket o takes a datagram that u sends from src (host order) to group or
 * broadcast address dst (network order) and port (__udp_is_mcast_sock, ip_mc_sf_allow). */
static bool
mc_takes(struct usock *o, struct usock *u, uint32_t src, uint32_t dst, int port)
{
	uint32_t ip = 0;

	if ((o->family != AF_INET && o->family != AF_INET6) || o->net != u->net ||
	    o->type != SOCK_DGRAM ||
	    o->protocol != u->protocol || !o->addrlen || o->port != port ||
	    (o->bound_dev && o->bound_dev != LOOPBACK_IFINDEX))
		return false;
	if (o->family == AF_INET6 && (o->v6only ||
	    (!inet_v4(&o->addr, &ip) &&
	     !IN6_IS_ADDR_UNSPECIFIED(&((struct sockaddr_in6 *)&o->addr)->sin6_addr))))
		return false;
	if (o->family == AF_INET)
		inet_v4(&o->addr, &ip);
	if (ip && ip != ntohl(dst))
		return false;
	if (o->has_dst) { /* connected: to the sender only */
		uint32_t peer;

		if (!inet_v4(&o->dst, &peer) || peer != src || inet_port(&o->dst) != u->port)
			return false;
	}
	if (!ip4_is_mcast(ntohl(dst)))
		return true;
	return mc_member(o, dst) || o->mc_all;
}

/* TCP (Linux __inet_check_established): does a connection from u's name to dst exist? */
static bool
inet_tuple_used(struct usock *u, const void *dst)
{
	struct nkey me, to;
	struct usock *o;

	if (!u->addrlen)
		return false;
	nkey_of(&u->addr, &me);
	nkey_of(dst, &to);
	DL_FOREACH(all_socks, o)
		if (inet_same_proto(u, o) && o->port == u->port && inet_is_conn(o, &me, &to))
			return true;
	return false;
}

/* A UDP IPv6 socket takes an IPv4 sockaddr_in as its v4-mapped form (Linux hands it to the
 * IPv4 code): a is rewritten into *buf; 0, or -EAFNOSUPPORT for an IPv6-only socket. */
static int
inet6_take_v4(struct usock *u, const struct sockaddr_un **a, socklen_t *len,
	      struct sockaddr_un *buf)
{
	const struct sockaddr_in *in = (const void *)*a;
	struct sockaddr_in6 *o6 = (void *)buf;

	if (u->family != AF_INET6 || u->type != SOCK_DGRAM || *len < sizeof(*in) ||
	    in->sin_family != AF_INET)
		return 0;
	if (u->v6only)
		return -EAFNOSUPPORT;
	memset(buf, 0, sizeof(*buf));
	o6->sin6_family = AF_INET6;
	o6->sin6_port = in->sin_port;
	o6->sin6_addr.s6_addr[10] = o6->sin6_addr.s6_addr[11] = 0xff;
	memcpy(&o6->sin6_addr.s6_addr[12], &in->sin_addr, 4);
	*a = buf;
	*len = sizeof(*o6);
	return 0;
}

/* Address a of another socket as a socket of family shows it (v4 in v6: v4-mapped).
 * (Through aligned copies: a sockaddr_un may sit where a sockaddr_in may not.) */
static socklen_t
inet_convert(int family, const struct sockaddr_un *a, struct sockaddr_un *out)
{
	struct sockaddr_in in;
	struct sockaddr_in6 o6 = { .sin6_family = AF_INET6 };

	memcpy(&in, a, sizeof(in));
	memset(out, 0, sizeof(*out));
	if (family == AF_INET && in.sin_family == AF_INET6) { /* v4-mapped, as IPv4 shows it */
		struct sockaddr_in o4 = { .sin_family = AF_INET, .sin_port = in.sin_port };
		uint32_t ip = 0;

		inet_v4(a, &ip);
		o4.sin_addr.s_addr = htonl(ip);
		memcpy(out, &o4, sizeof(o4));
		return sizeof(o4);
	}
	if (in.sin_family == family || family == AF_INET) {
		memcpy(out, a, inet_len(in.sin_family));
		return inet_len(in.sin_family);
	}
	o6.sin6_port = in.sin_port;
	o6.sin6_addr.s6_addr[10] = o6.sin6_addr.s6_addr[11] = 0xff;
	memcpy(&o6.sin6_addr.s6_addr[12], &in.sin_addr, 4);
	memcpy(out, &o6, sizeof(o6));
	return sizeof(o6);
}

int
sock_bind(struct task *t, struct file *f, const struct sockaddr_un *a, socklen_t len)
{
	struct usock *u = sock_of(f);
	char path[sizeof(a->sun_path) + 1];
	struct path p;
	bool pathname;
	int n, err;

	if (u->family == AF_NETLINK)
		return nl_bind(t, u, a, len);
	if (u->hs)
		return -EINVAL; /* the host bound it when it connected */
	if (is_ping(u))
		return ping_bind(u, a, len);
	if (u->family != AF_UNIX)
		return inet_bind(t, u, a, len);
	n = addr_check(a, len, path, &pathname);
	if (n < 0)
		return n;
	if (pathname) /* Linux makes the name first: EADDRINUSE before EINVAL */
		goto bsd;
	if (u->addrlen)
		return -EINVAL;
	if (n == sizeof(sa_family_t)) {
		autobind(u);
		return 0;
	}
	if (!pathname) {
		if (find_abstract(u->net, a, n))
			return -EADDRINUSE;
		memcpy(&u->addr, a, n);
		u->addrlen = n;
		return 0;
	}
bsd:
	/* the socket's own mode (fchmod changes it), less the umask (mknodat applies it) */
	err = vfs_mknodat(t, NULL, path, S_IFSOCK | (f->inode->mode & 07777), 0);
	if (err == -EEXIST)
		return -EADDRINUSE;
	if (err)
		return err;
	if (u->addrlen) {
		vfs_unlinkat(t, NULL, path, 0);
		return -EINVAL;
	}
	err = vfs_resolve_at(t, NULL, path, AT_SYMLINK_NOFOLLOW, &p);
	if (err)
		return err;
	u->bound = iget(p.d->inode);
	path_put(&p);
	memset(&u->addr, 0, sizeof(u->addr));
	memcpy(&u->addr, a, MIN((size_t)n, sizeof(u->addr)));
	u->addrlen = n;
	return 0;
}

/* Landlock's abstract unix socket scope (Linux hook_unix_stream_connect and
 * hook_unix_may_send): t may not reach o, bound to an abstract name, when o's opener is
 * outside t's scoped domain. */
static bool
unix_scoped(struct task *t, struct usock *o)
{
	if (o->family != AF_UNIX || o->addrlen <= (socklen_t)sizeof(sa_family_t) ||
	    o->addr.sun_path[0])
		return false;
	return landlock_scoped(t, o->ll_dom, LL_SCOPE_ABSTRACT_UNIX);
}

/* The socket a guest address names, for connect and sendto: -ECONNREFUSED when nobody is
 * there, -EPROTOTYPE for another type. */
static int
lookup_addr(struct task *t, struct net_ns *n_, const struct sockaddr_un *a, socklen_t len,
	    int type, struct usock **out)
{
	char path[sizeof(a->sun_path) + 1];
	struct usock *o;
	bool pathname;
	int n, err;

	if (len >= sizeof(sa_family_t) && a->sun_family != AF_UNIX)
		return -EINVAL;
	n = addr_check(a, len, path, &pathname);
	if (n < 0)
		return n;
	if (n == sizeof(sa_family_t))
		return -EINVAL;
	if (pathname) {
		struct path p;

		err = vfs_resolve_at(t, NULL, path, 0, &p);
		if (err)
			return err;
		if (!S_ISSOCK(p.d->inode->mode)) {
			path_put(&p);
			return -ECONNREFUSED;
		}
		err = inode_permission(t, p.d->inode, MAY_WRITE);
		o = err ? NULL : find_bound_inode(p.d->inode);
		path_put(&p);
		if (err)
			return err;
	} else {
		o = find_abstract(n_, a, n);
		if (o && o->type != type)
			o = NULL; /* abstract names are per type */
	}
	if (!o)
		return -ECONNREFUSED;
	if (o->type != type)
		return -EPROTOTYPE;
	*out = o;
	return 0;
}

int
sock_listen(struct file *f, int backlog)
{
	struct usock *u = sock_of(f);

	if (u->type == SOCK_DGRAM || u->family == AF_NETLINK)
		return -EOPNOTSUPP;
	if (u->state == SS_CONNECTED)
		return -EINVAL;
	if (!u->addrlen && u->family != AF_UNIX) { /* an unbound listener: the any address */
		struct sockaddr_in6 a6 = { .sin6_family = AF_INET6 };
		struct sockaddr_in a4 = { .sin_family = AF_INET };

		if (inet_set_name(u, u->family == AF_INET ? (void *)&a4 : (void *)&a6, 0, false,
				  NULL))
			return -EADDRINUSE;
		u->autobound = true;
	}
	if (!u->addrlen)
		return -EINVAL;
	if (u->family != AF_UNIX && u->state != SS_LISTEN &&
	    inet_conflicts(u, &u->addr, u->port, true))
		return -EADDRINUSE; /* another listener's name, SO_REUSEADDR or not */
	if (backlog < 0 || backlog > SOCK_MAX_BACKLOG)
		backlog = SOCK_MAX_BACKLOG;
	u->backlog = backlog;
	u->state = SS_LISTEN;
	wake(u);
	return 0;
}

#define EGRESS_NOT_MINE INT_MIN  /* not an egress call (else its result) */
enum { EGRESS_HERE, EGRESS_HOST, EGRESS_DNS };
static int egress_connect(struct task *t, struct file *f, const struct sockaddr_un *a,
			  socklen_t len);
static ssize_t egress_send(struct task *t, struct usock *u, const void *buf, size_t n, int flags,
			   const struct sockaddr_un *to, socklen_t tolen);
static short egress_poll(struct usock *u, short events);
static int egress_route(struct usock *u, const void *a, socklen_t len);
static int sock_wait_fd(struct file *f);
static int connect_one(struct task *t, struct file *f, const struct sockaddr_un *a,
		       socklen_t len);
static void tcp_establish(struct usock *u, struct usock *l, const struct sockaddr_un *a,
			  socklen_t len, const struct ucred *cred, const struct task *t);
static void syn_retry(struct usock *l);

/* connect(2) less the /proc/net/snmp counts (sock_connect) */
static int
connect_socket(struct task *t, struct file *f, const struct sockaddr_un *a, socklen_t len)
{
	struct usock *u = sock_of(f);
	bool reporting = u->connect_failed; /* this call reports the earlier refusal */
	int err = connect_one(t, f, a, len);

	if (err != -ECONNREFUSED || u->type != SOCK_STREAM || u->family == AF_UNIX ||
	    u->family == AF_NETLINK || reporting)
		return err;
	u->addrlen = 0; /* the reset closes it: its port is free again */
	u->port = 0;
	if (!(file_get_flags(f) & O_NONBLOCK))
		return err;
	/* non-blocking: EINPROGRESS, then the reset: SO_ERROR, end of file, POLLERR|POLLHUP */
	u->err = ECONNREFUSED;
	u->connect_failed = true;
	u->shutdown = SHUT_BOTH;
	wake(u);
	return -EINPROGRESS;
}

static int
connect_one(struct task *t, struct file *f, const struct sockaddr_un *a, socklen_t len)
{
	struct usock *u = sock_of(f), *l;
	int err;

	bool v4 = false;

	if (u->family == AF_NETLINK)
		return nl_connect(t, u, a, len);

	if (len >= sizeof(sa_family_t) && a->sun_family == AF_UNSPEC && u->type == SOCK_DGRAM) {
		set_peer(u, NULL); /* dissolve the association */
		u->state = SS_UNCONN;
		u->has_dst = false;
		if (u->src_from_connect) { /* the source address the connect chose goes */
			struct sockaddr_in6 *in6 = (void *)&u->addr;
			struct sockaddr_in *in = (void *)&u->addr;

			if (u->family == AF_INET6)
				memset(&in6->sin6_addr, 0, sizeof(in6->sin6_addr));
			else
				in->sin_addr.s_addr = htonl(INADDR_ANY);
			u->src_from_connect = false;
		}
		if (u->family != AF_UNIX && (u->autobound || !u->port_locked)) {
			/* udp_disconnect: a port the kernel chose goes (SOCK_BINDPORT_LOCK),
			 * and the address unless bind named one (SOCK_BINDADDR_LOCK) */
			if (u->addr_locked) {
				((struct sockaddr_in *)&u->addr)->sin_port = 0;
				u->port = 0;
			} else {
				u->addrlen = 0;
				u->port = 0;
			}
			u->autobound = false;
		}
		return 0;
	}
	if (u->family != AF_UNIX) {
		if (u->syn_to)
			return -EALREADY; /* still SYN_SENT */
		if (u->type == SOCK_STREAM && u->state == SS_CONNECTED) {
			if (!u->inprogress)
				return -EISCONN;
			u->inprogress = false; /* the connect that completes it */
			return 1;
		}
		if (u->type == SOCK_STREAM && u->connect_failed) {
			/* Linux: the refused connect's error if nobody took it, else ECONNABORTED;
			 * the socket is closed again (tcp_disconnect) */
			err = u->err ? -u->err : -ECONNABORTED;
			u->err = 0;
			u->connect_failed = u->inprogress = false;
			u->shutdown = 0;
			return err;
		}
		struct sockaddr_un mapped;

		err = inet6_take_v4(u, &a, &len, &mapped);
		if (!err)
			err = inet6_send_check(u, a, len, false); /* a family it cannot reach */
		if (err)
			return err;
		if (u->type == SOCK_DGRAM && len >= inet_len(u->family) &&
		    a->sun_family == u->family) {
			uint32_t src;
			bool mc;

			err = mc_route(u, a, &mc, &src);
			if (mc && !err)
				err = inet_autobind(u, true);
			if (mc && err)
				return err;
			if (mc) { /* a group or broadcast: the route's source (ip4_datagram_connect) */
				memcpy(&u->dst, a, inet_len(u->family));
				u->has_dst = true;
				set_peer(u, NULL);
				u->state = SS_CONNECTED;
				inet_pick_source(u, true, a);
				return 0;
			}
		}
		err = inet_lookup(u, a, len, &l, &v4);
		if (err == -ECONNREFUSED && u->type == SOCK_STREAM && u->addrlen &&
		    u->state == SS_UNCONN && inet_port(a) == u->port) {
			bool any, loop;

			inet_check(u, a, len, &any, &loop);
			if (loop) { /* its own address: a simultaneous open with itself */
				set_peer(u, u);
				u->state = SS_CONNECTED;
				u->peercred = (struct ucred){ 0 };
				task_cred(t, &u->peercred);
				u->has_peercred = true;
				return 0;
			}
		}

		if (err == -ENETUNREACH && u->type == SOCK_DGRAM &&
		    egress_route(u, a, len) == EGRESS_DNS)
			err = 0; /* allow mode: the sandbox's own DNS answers there */
		if (err == -ECONNREFUSED && u->type == SOCK_DGRAM)
			err = 0, l = NULL; /* UDP: nobody there yet is no error */
		if (err == 0 && u->type == SOCK_DGRAM && egress_route(u, a, len) == EGRESS_DNS)
			l = NULL;
		if (!err) /* TCP: the port may be one other connects use (to elsewhere) */
			err = inet_autobind_to(u, v4, u->type == SOCK_STREAM ? (const void *)a : NULL);
		if (err)
			return err;
		if (l)
			l = inet_reuseport_pick(l, u);
		if (u->type == SOCK_DGRAM) {
			/* a UDP association names an address, not a socket: keep the name */
			memcpy(&u->dst, a, inet_len(u->family));
			u->has_dst = true;
			set_peer(u, NULL);
			u->state = SS_CONNECTED;
			inet_pick_source(u, v4, a);
			return 0;
		}
		if (u->state == SS_UNCONN) {
			if (inet_tuple_used(u, a))
				return -EADDRNOTAVAIL; /* that connection exists already */
			inet_pick_source(u, v4, a); /* bound to the any address: now loopback */
		}
	} else {
		/* Linux unix_stream_connect, unix_dgram_connect: a socket that passes
		 * credentials or pidfds gets a name first, once the address is valid (whether
		 * anybody is there or not) */
		if ((u->passcred || u->passpidfd) && !u->addrlen && len > sizeof(sa_family_t) &&
		    len <= sizeof(*a) && a->sun_family == AF_UNIX)
			autobind(u);
		err = lookup_addr(t, u->net, a, len, u->type, &l);
	}
	if (err)
		return err;
	if (u->type == SOCK_DGRAM) {
		if (l->peer && l->peer != u && l->state == SS_CONNECTED)
			return -EPERM;
		if (u->peer != l && unix_scoped(t, l))
			return -EPERM;
		set_peer(u, l);
		u->state = SS_CONNECTED;
		return 0;
	}
	if (u->state == SS_CONNECTED)
		return -EISCONN;
	if (u->state == SS_LISTEN)
		return -EINVAL;
	if (l->state != SS_LISTEN || (l->shutdown & RCV_SHUT))
		return -ECONNREFUSED;
	if (l->nacc > l->backlog) {
		if (u->family == AF_UNIX || !(file_get_flags(f) & O_NONBLOCK))
			return -EAGAIN; /* the caller waits on the listener */
		/* TCP, non-blocking: Linux drops the SYN and sends it again later; the
		 * connect stays in progress until the queue has room */
		u->syn_to = l;
		memcpy(&u->syn_dst, a, MIN((size_t)len, sizeof(u->syn_dst)));
		u->syn_dstlen = MIN(len, (socklen_t)sizeof(u->syn_dst));
		u->syn_cred = (struct ucred){ 0 };
		task_cred(t, &u->syn_cred);
		u->inprogress = true;
		return -EINPROGRESS;
	}
	if (unix_scoped(t, l))
		return -EPERM;
	{
		struct ucred cred = { 0 };

		task_cred(t, &cred);
		tcp_establish(u, l, a, len, &cred, t);
	}
	return 0;
}

/* TCP_DEFER_ACCEPT's retransmissions back to seconds (Linux retrans_to_secs). */
static int
tcp_defer_secs(int retrans)
{
	int secs = 0, timeout = 1;

	if (retrans > 0) {
		secs = 1;
		for (int r = retrans; --r > 0;) {
			timeout = MIN(timeout * 2, 120);
			secs += timeout;
		}
	}
	return secs;
}

/* Connects u to listener l (a the address u named): a new embryo on l's queue. */
static void
tcp_establish(struct usock *u, struct usock *l, const struct sockaddr_un *a, socklen_t len,
	      const struct ucred *cred, const struct task *t)
{
	struct usock *e = usock_new(l->net, l->family, u->type);
	e->protocol = l->protocol;
	e->hops = l->hops;
	e->ttl = l->ttl;
	e->tclass = l->tclass;
	/* the listener's options (Linux sk_clone_lock copies them) */
	e->sndbuf = l->sndbuf;
	e->rcvbuf = l->rcvbuf;
	e->sndbuf_lock = l->sndbuf_lock;
	e->rcvbuf_lock = l->rcvbuf_lock;
	e->nodelay = l->nodelay;
	e->keepalive = l->keepalive;
	e->reuseaddr = l->reuseaddr;
	e->reuseport = l->reuseport;
	e->rcvtimeo = l->rcvtimeo;
	e->sndtimeo = l->sndtimeo;
	e->broadcast = l->broadcast;
	e->dontroute = l->dontroute;
	e->oobinline = l->oobinline;
	e->rcvlowat = l->rcvlowat;
	if (u->family != AF_UNIX) {
		e->tcp = l->tcp;      /* tcp_sock is copied too (TCP_USER_TIMEOUT, keepalive...) */
		e->tcp.quickack = 1;
		e->tcp.defer_retrans = 0;
		if (l->tcp.defer_retrans > 0)
			e->defer_until = monotonic_ns() +
					 tcp_defer_secs(l->tcp.defer_retrans) * 1000000000LL;
	}
	e->listener = l;
	set_peer(e, u);
	e->state = SS_CONNECTED;
	e->addr = l->addr;
	e->addrlen = l->addrlen;
	if (u->family != AF_UNIX) { /* the address the client named, with the port */
		bool any, loop;

		e->port = l->port;
		e->addr_locked = l->addr_locked; /* (sk_userlocks are cloned) */
		e->addrlen = inet_convert(l->family, a, &e->addr);
		if (u->addrlen)
			e->acc_namelen = inet_convert(l->family, &u->addr, &e->acc_name);

		inet_check(u, a, len, &any, &loop);
		if (any) {
			struct sockaddr_un lo;
			inet_convert(l->family, &u->addr, &lo);
			((struct sockaddr_in *)&lo)->sin_port = htons(l->port);
			e->addr = lo;
		}
	}
	e->peercred = *cred;
	e->has_peercred = true;
	if (u->family == AF_UNIX) { /* (t: the connecting task) */
		peer_groups_set(e, t ? t->groups : NULL, t ? t->ngroups : 0);
		peer_groups_set(u, l->peergroups, l->npeergroups);
	}
	e->passcred = l->passcred;
	e->passpidfd = l->passpidfd;
	set_peer(u, e);
	u->state = SS_CONNECTED;
	if (u->family != AF_UNIX) {
		tcp_sndbuf_expand(u);
		tcp_sndbuf_expand(e);
	}
	u->peercred = l->peercred; /* the listener's, as at its listen */
	u->has_peercred = l->has_peercred;
	/* append */
	{
		struct usock **pp = &l->acceptq;
		while (*pp)
			pp = &(*pp)->anext;
		*pp = e;
	}
	l->nacc++;
	wake(l);
	wake(u);
}

/* Room on l's queue: connects that wait for it (SYN_SENT) complete, oldest first. */
static void
syn_retry(struct usock *l)
{
	struct usock *o, *tmp;

	DL_FOREACH_SAFE(all_socks, o, tmp) {
		if (l->state != SS_LISTEN || l->nacc > l->backlog)
			break;
		if (o->syn_to != l)
			continue;
		o->syn_to = NULL;
		tcp_establish(o, l, &o->syn_dst, o->syn_dstlen, &o->syn_cred, NULL);
	}
}

/* l stops listening: connects waiting for it are refused (the SYN meets a reset). */
static void
syn_refuse(struct usock *l)
{
	struct usock *o;

	DL_FOREACH(all_socks, o) {
		if (o->syn_to != l)
			continue;
		o->syn_to = NULL;
		o->err = ECONNREFUSED;
		o->connect_failed = true;
		o->shutdown = SHUT_BOTH;
		o->addrlen = 0;
		o->port = 0;
		wake(o);
	}
}

/* The queue a connect that got -EAGAIN waits on. */
struct waitq *
sock_connect_waitq(struct task *t, const struct sockaddr_un *a, socklen_t len, struct file *f)
{
	struct usock *l;

	bool v4;

	if (sock_of(f)->family != AF_UNIX ? inet_lookup(sock_of(f), a, len, &l, &v4)
					  : lookup_addr(t, sock_of(f)->net, a, len, sock_of(f)->type, &l))
		return NULL;
	return &l->wq;
}

/* The first connection on listener l's queue accept may take (TCP_DEFER_ACCEPT hides
 * one without data until its time), as the link that points to it; NULL: none. *next:
 * when a hidden one shows (0: none). */
static struct usock **
accept_ready(struct usock *l, long long *next)
{
	long long now = 0;

	if (next)
		*next = 0;
	for (struct usock **pp = &l->acceptq; *pp; pp = &(*pp)->anext) {
		struct usock *e = *pp;

		if (!e->defer_until || e->rq || e->embryo_reset || !e->peer)
			return pp;
		if (!now)
			now = monotonic_ns();
		if (e->defer_until <= now)
			return pp;
		if (next && (!*next || e->defer_until < *next))
			*next = e->defer_until;
	}
	return NULL;
}

/* A blocking accept finds nothing: when to look again (a deferred connection shows). */
long long
sock_accept_deadline(struct file *f)
{
	long long next = 0;
	struct usock *u = sock_of(f);

	if (u->state == SS_LISTEN)
		accept_ready(u, &next);
	return next;
}

int
sock_accept(struct task *t, struct file *f, int flags, struct file **out)
{
	struct usock *u = sock_of(f), *e;

	if (u->type == SOCK_DGRAM)
		return -EOPNOTSUPP;
	if (u->state != SS_LISTEN)
		return -EINVAL;
	struct usock **pp = accept_ready(u, NULL);

	if (!pp)
		return -EAGAIN;
	e = *pp;
	*pp = e->anext;
	u->nacc--;
	e->anext = NULL;
	e->listener = NULL;
	*out = sock_file(t, e, flags);
	syn_retry(u);
	wake(u);
	return 0;
}

int
sock_peer_groups(struct file *f, const gid_t **groups)
{
	struct usock *u = sock_of(f);

	if (u->family != AF_UNIX || !u->has_peercred)
		return -ENODATA; /* Linux: no sk_peer_cred (only unix sockets have one) */
	*groups = u->peergroups;
	return u->npeergroups;
}

void
sock_listen_cred(struct task *t, struct file *f)
{
	struct usock *u = sock_of(f);

	task_cred(t, &u->peercred);
	u->has_peercred = true;
	peer_groups_set(u, t ? t->groups : NULL, t ? t->ngroups : 0);
}

/* The name accept reports: the peer's, or for a TCP connection its client already reset,
 * the client's name as it connected (Linux keeps it in the socket). */
int
sock_accept_name(struct file *f, struct sockaddr_un *a, socklen_t *len)
{
	struct usock *u = sock_of(f);
	int err = sock_name(f, true, a, len);

	if (err && u->acc_namelen) {
		*a = u->acc_name;
		*len = u->acc_namelen;
		return 0;
	}
	return err;
}

int
sock_name(struct file *f, bool peer, struct sockaddr_un *a, socklen_t *len)
{
	struct usock *u = sock_of(f);

	if (u->hs)
		return hsock_name(u->hs, peer, a, len);
	if (u->family == AF_NETLINK) {
		memset(a, 0, sizeof(*a));
		a->sun_family = AF_NETLINK;
		if (!peer && u->addrlen)
			memcpy(a, &u->addr, sizeof(struct sockaddr_nl));
		if (!peer)
			((struct sockaddr_nl *)a)->nl_groups = (uint32_t)u->nl_groups;
		if (peer && u->nl_connected) { /* the default destination (netlink_getname) */
			((struct sockaddr_nl *)a)->nl_pid = u->nl_dst_pid;
			if (u->nl_dst_group)
				((struct sockaddr_nl *)a)->nl_groups = 1U << (u->nl_dst_group - 1);
		}
		*len = sizeof(struct sockaddr_nl);
		return 0;
	}
	if (u->family != AF_UNIX) {
		if (peer && u->has_dst) {
			if (inet_port(&u->dst) == 0)
				return -ENOTCONN; /* connected to port 0: no peer (inet_getname) */
			*len = inet_convert(u->family, &u->dst, a);
			return 0;
		}
		const struct sockaddr_un *name = &u->addr;
		socklen_t namelen = u->addrlen;

		if (peer) {
			/* a peer that closed with a FIN: CLOSE_WAIT, still named until a reset
			 * or our own FIN (on loopback its ACK comes at once: CLOSED) */
			bool gone = u->state == SS_CONNECTED && !u->peer && u->has_gone_peer &&
				    !u->reset && !(u->shutdown & SEND_SHUT);
			if (gone) {
				name = &u->gone_peer;
				namelen = u->gone_peerlen;
			} else if (u->state != SS_CONNECTED || !u->peer) {
				return -ENOTCONN;
			} else {
				name = &u->peer->addr;
				namelen = u->peer->addrlen;
			}
		}
		if (!namelen) { /* unbound: the any address, port 0 (or a disconnect's) */
			memset(a, 0, sizeof(*a));
			a->sun_family = u->family;
			*len = inet_len(u->family);
			if (!peer && u->closed_name.sin6_family)
				*len = inet_convert(u->family, (const void *)&u->closed_name, a);
			return 0;
		}
		*len = inet_convert(u->family, name, a);
		return 0;
	}
	const struct sockaddr_un *name = &u->addr;
	socklen_t namelen = u->addrlen;

	if (peer) {
		if (u->state == SS_CONNECTED && !u->peer && u->has_gone_peer) {
			name = &u->gone_peer; /* Linux keeps the peer until this one's close */
			namelen = u->gone_peerlen;
		} else if (u->state != SS_CONNECTED || !u->peer) {
			return -ENOTCONN;
		} else {
			name = &u->peer->addr;
			namelen = u->peer->addrlen;
		}
	}
	memset(a, 0, sizeof(*a));
	a->sun_family = AF_UNIX;
	if (namelen) {
		memcpy(a, name, namelen);
		*len = namelen;
	} else {
		*len = sizeof(sa_family_t);
	}
	return 0;
}

int
sock_shutdown(struct file *f, int how)
{
	struct usock *u = sock_of(f);
	int mode;

	if (how < SHUT_RD || how > SHUT_RDWR)
		return -EINVAL;
	if (u->hs)
		return hsock_shutdown(u->hs, how);
	mode = how + 1; /* SHUT_RD -> RCV_SHUT, SHUT_WR -> SEND_SHUT, both */
	if (mode & SEND_SHUT)
		cork_push(u, u->cork_len); /* held output goes before the FIN */
	if (u->family == AF_INET || u->family == AF_INET6) { /* Linux's inet_shutdown */
		if (u->state == SS_LISTEN) {
			struct usock *e;

			if (!(mode & RCV_SHUT))
				return 0;
			while ((e = u->acceptq)) { /* it stops listening: the queue is reset */
				u->acceptq = e->anext;
				e->listener = NULL;
				e->embryo_reset = true;
				usock_release(e);
			}
			u->nacc = 0;
			u->state = SS_UNCONN;
			syn_refuse(u);
			wake(u);
			return 0;
		}
		if (u->syn_to) { /* SYN_SENT: tcp_disconnect, the connect fails (ECONNRESET) */
			u->syn_to = NULL;
			u->inprogress = false;
			u->err = ECONNRESET;
			u->shutdown = SHUT_BOTH;
			if (u->autobound) {
				u->addrlen = 0;
				u->port = 0;
				u->autobound = false;
			}
			wake(u);
			return 0;
		}
		if (u->state != SS_CONNECTED ||
		    (u->type == SOCK_STREAM && u->fin_rcvd && (u->shutdown & SEND_SHUT) &&
		     u->peer != u)) {
			/* not connected, or both FINs went (CLOSE, TIME_WAIT): ENOTCONN */
			u->shutdown |= mode;
			wake(u);
			return -ENOTCONN;
		}
	}
	if (u->family != AF_UNIX && u->type == SOCK_STREAM && (mode & SEND_SHUT) &&
	    !(u->shutdown & SEND_SHUT)) { /* TCP: our FIN */
		if (!u->fin_rcvd)
			u->fin_first = true;
		if (u->peer && u->peer != u)
			u->peer->fin_rcvd = true;
		ghost_peer_fin(u, false);
	}
	u->shutdown |= mode;
	if (u->peer && u->type != SOCK_DGRAM) {
		int pm = 0;
		if ((mode & RCV_SHUT) && u->family == AF_UNIX) /* TCP tells the peer nothing */
			pm |= SEND_SHUT;
		if (mode & SEND_SHUT)
			pm |= RCV_SHUT;
		u->peer->shutdown |= pm;
		wake(u->peer);
	}
	wake(u);
	return 0;
}

/* ---- data ---- */

#define SKB_OVERHEAD 576           /* what Linux charges a message beyond its data (truesize) */
#define UNIX_DGRAM_QLEN 10         /* net.unix.max_dgram_qlen */

/* AF_UNIX (Linux unix_writable): poll says writable while a quarter of the send buffer is
 * free; a datagram socket also needs room in a receiver that is not connected back to it. */
static bool
unix_writable(struct usock *u, struct usock *p)
{
	if (u->wmem * 4 > (size_t)u->sndbuf)
		return false;
	return u->type != SOCK_DGRAM || !p || p == u || p->peer == u ||
	       p->rq_count <= UNIX_DGRAM_QLEN;
}

/* AF_UNIX: how much of n bytes one send takes (Linux charges the sender: it takes pieces of
 * at most half its buffer while the buffer is not full) and what that costs; 0 if full. */
static size_t
unix_send_size(struct usock *u, size_t n, size_t *charge)
{
	size_t piece = MIN((size_t)u->sndbuf / 2 - 64, (size_t)32768 + 3712), c = 0, w = u->wmem;

	if (u->type != SOCK_STREAM) {
		*charge = n + SKB_OVERHEAD;
		return u->wmem < (size_t)u->sndbuf ? MAX(n, 1) : 0;
	}
	while (w < (size_t)u->sndbuf && c < MAX(n, 1)) {
		size_t k = MIN(n - c, piece);

		c += MAX(k, 1);
		w += k + SKB_OVERHEAD;
	}
	*charge = w - u->wmem;
	return c;
}

/* inet: whether u may send need bytes to p. TCP data waits in the receiver's buffer and,
 * past it, in the sender's (unacknowledged): SO_SNDBUF counts as well as SO_RCVBUF. */
static bool
peer_has_room(struct usock *u, struct usock *p, size_t need)
{
	if (p->type == SOCK_STREAM)
		return p->rq_bytes < (size_t)p->rcvbuf + (size_t)u->sndbuf;
	return p->rq_bytes == 0 || p->rq_bytes + need <= (size_t)p->rcvbuf;
}

/* Queues a message of u's on p's receive queue (c bytes of buf, charged as charge) and
 * wakes p. dstk: where a datagram went; src4: the source address a route chose (host
 * order; 0: u's own name). */
static void
skb_queue(struct task *t, struct usock *u, struct usock *p, const void *buf, size_t c,
	  size_t charge, struct file **fds, int nfds, const struct sock_sendopt *o,
	  const struct nkey *dstk, bool v4, uint32_t src4)
{
	struct skb *s;

	s = xcalloc(1, sizeof(*s));
	s->tstamp = realtime_ns();
	if (dstk) {
		s->has_dst = true;
		s->dst_v4 = dstk->v4;
		s->dst4 = dstk->ip4;
		s->dst6 = dstk->ip6;
		s->dst_port = dstk->port;
	}
	s->data = xmalloc(c ? c : 1);
	memcpy(s->data, buf, c);
	s->len = c;
	mem_charge_force(c);
	if (u->family == AF_UNIX) {
		s->sender = u;
		DL_APPEND2(u->sent, s, sprev, snext);
		s->charge = charge;
		u->wmem += charge;
	}
	if (nfds) {
		s->fds = xcalloc(nfds, sizeof(*s->fds));
		for (int i = 0; i < nfds; i++) {
			s->fds[i] = file_get(fds[i]);
			inflight_add(s->fds[i], 1);
		}
		s->nfds = nfds;
	}
	if (u->addrlen) {
		s->from = u->addr;
		s->fromlen = u->addrlen;
	}
	if (u->family != AF_UNIX && u->addrlen) { /* sent from the any address: loopback */
		struct sockaddr_in *in = (void *)&s->from;
		struct sockaddr_in6 *in6 = (void *)&s->from;

		uint32_t ip = ntohl(in->sin_addr.s_addr);

		if (in->sin_family == AF_INET && (ip == INADDR_ANY || ip4_is_mcast(ip) ||
						  ip4_is_bcast(u->net, ip))) /* (a group's: its device's) */
			in->sin_addr.s_addr = htonl(dstk && dstk->v4 ? lo_src4(u->net, dstk->ip4)
								 : INADDR_LOOPBACK);
		else if (in->sin_family == AF_INET6 && IN6_IS_ADDR_UNSPECIFIED(&in6->sin6_addr))
			in6->sin6_addr = in6addr_loopback;
	}
	if (src4 && s->fromlen) { /* the route's source (multicast) */
		struct sockaddr_in *in = (void *)&s->from;
		struct sockaddr_in6 *in6 = (void *)&s->from;

		if (in->sin_family == AF_INET) {
			in->sin_addr.s_addr = htonl(src4);
		} else {
			memset(&in6->sin6_addr, 0, sizeof(in6->sin6_addr));
			in6->sin6_addr.s6_addr[10] = in6->sin6_addr.s6_addr[11] = 0xff;
			src4 = htonl(src4);
			memcpy(&in6->sin6_addr.s6_addr[12], &src4, 4);
		}
	}
	if (o && o->has_cred) {
		s->cred = o->cred;
	} else if (u->family != AF_UNIX || u->passcred || p->passcred || u->passpidfd ||
		   p->passpidfd) { /* the real ids (unix_maybe_add_creds) */
		s->cred.pid = t ? t->tgid : 0;
		s->cred.uid = t ? t->uid : 0;
		s->cred.gid = t ? t->gid : 0;
	} else { /* Linux (maybe_add_creds) attaches none: pid 0, no ids (read as overflow) */
		s->cred = (struct ucred){ .pid = 0, .uid = (uid_t)-1, .gid = (gid_t)-1 };
	}
	if (o && o->hoplimit >= 0)
		s->hoplimit = o->hoplimit;
	else if (v4 && dstk && ip4_is_mcast(dstk->ip4))
		s->hoplimit = u->mc_ttl;
	else
		s->hoplimit = (v4 ? u->ttl : u->hops) >= 0 ? (v4 ? u->ttl : u->hops) : 64;
	s->tclass = o && o->tclass >= 0 ? o->tclass : u->tclass;
	s->mark = (uint32_t)u->mark;
	DL_APPEND(p->rq, s);
	p->rcv_nxt += c;
	if (p->listener)
		wake(p->listener); /* data on a deferred connection makes it acceptable */
	p->rq_bytes += c;
	p->rq_count++;
	wake(p);
	if (p->dns_srv)
		dns_tcp_serve(p);
}

/* The end of a unix stream send with MSG_OOB (Linux unix_stream_sendmsg, queue_oob): all
 * of its n bytes but the last go as usual, then the last alone, which becomes p's
 * out-of-band byte (one before it not taken yet stays in the queue, an ordinary byte now);
 * the descriptors go with the first message. p's owner gets SIGURG. */
static void
unix_send_oob(struct task *t, struct usock *u, struct usock *p, const char *buf, size_t n,
	      struct file **fds, int nfds, const struct sock_sendopt *o)
{
	size_t charge = 0;

	if (n > 1) {
		unix_send_size(u, n - 1, &charge);
		skb_queue(t, u, p, buf, n - 1, charge, fds, nfds, o, NULL, false, 0);
		nfds = 0;
	}
	skb_queue(t, u, p, buf + n - 1, 1, 1 + SKB_OVERHEAD, fds, nfds, o, NULL, false, 0);
	p->oob = p->rq->prev; /* (the tail) */
	if (p->file)
		fasync_urgent(p->file);
}

/* Takes the first unread byte of p's stream (an urgent byte left out of line). */
static void
rq_skip_byte(struct usock *p)
{
	struct skb *s = p->rq;

	if (!s)
		return;
	s->off++;
	p->copied_seq++;
	if (s->off == s->len)
		rq_drop(p, s);
	wake_senders(p);
}

/* TCP: the byte last queued on p's stream, c, is urgent (Linux tcp_check_urg, tcp_urg): a
 * new mark replaces the old one (an old urgent byte at the read position, out of line,
 * goes: one not reached yet is read in line), and p's owner gets SIGURG. */
static void
tcp_urg_mark(struct usock *p, unsigned char c)
{
	unsigned long long seq = p->rcv_nxt - 1;

	if (p->urg && seq <= p->urg_seq)
		return;
	if (p->file)
		fasync_urgent(p->file);
	if (p->urg && p->urg_seq == p->copied_seq && !p->oobinline)
		rq_skip_byte(p);
	p->urg = TCP_URG_VALID;
	p->urg_byte = c;
	p->urg_seq = seq;
	wake(p);
}

/* TCP: the receive queue's bytes a read could take now (Linux tcp_poll's target: the
 * urgent byte at the read position, out of line, is not one). */
static size_t
tcp_readable(struct usock *u)
{
	size_t n = rq_unread(u);

	if (u->urg && u->urg_seq == u->copied_seq && !u->oobinline && n)
		n--;
	return n;
}

/* recv(MSG_OOB) of a unix stream socket (Linux unix_stream_recv_urg): the out-of-band byte,
 * never waiting; taken, its message stays empty in the queue. One byte is the result even
 * for a buffer of none (nothing copied then, as on Linux). */
static ssize_t
unix_recv_urg(struct usock *u, void *buf, size_t n, int flags, struct sock_recvd *r)
{
	struct skb *s = u->oob;

	if (u->state != SS_CONNECTED || u->oobinline || !s)
		return -EINVAL;
	if (n)
		*(unsigned char *)buf = (unsigned char)s->data[s->off];
	r->msg_flags |= MSG_OOB;
	if (!(flags & MSG_PEEK)) {
		u->oob = NULL;
		u->rq_bytes -= s->len - s->off; /* (it is never partly read) */
		mem_uncharge(s->len);
		s->len = s->off = 0;
		wake_senders(u);
	}
	return 1;
}

/* Unix stream (Linux manage_oob): the message a read that has done bytes goes on with from
 * s, or NULL to stop. With data already, it stops at the out-of-band byte and, none being
 * pending, at a taken one's empty message. Else it passes an empty message (taking it
 * away) and then the out-of-band byte, which stops being one: read in line with
 * SO_OOBINLINE, else dropped. A peek passes them and takes nothing. */
static struct skb *
unix_oob_pass(struct usock *u, struct skb *s, bool peek, size_t done)
{
	if (s->len && s != u->oob)
		return s;
	if (!s->len) {
		struct skb *next = s->next;

		if (done && (!u->oob || s == u->oob))
			return NULL;
		if (!peek)
			rq_drop(u, s);
		if (!(s = next))
			return NULL;
	}
	if (s != u->oob)
		return s;
	if (done)
		return NULL;
	if (peek)
		return u->oobinline ? s : s->next;
	u->oob = NULL;
	if (u->oobinline)
		return s;
	struct skb *next = s->next;

	u->oob_lost += s->len;
	rq_drop(u, s);
	return next;
}

/* SIOCATMARK of a unix stream socket (Linux unix_ioctl): the next message is the
 * out-of-band byte, or the empty message of a taken one with the pending one (if any)
 * right after it. */
static int
unix_at_mark(struct usock *u)
{
	struct skb *s = u->rq;

	return s && (s == u->oob || (!s->len && (!u->oob || s->next == u->oob)));
}

/* recv(MSG_OOB) of a TCP socket (Linux tcp_recv_urg): the urgent byte, once, never
 * waiting. */
static ssize_t
tcp_recv_urg(struct usock *u, void *buf, size_t n, int flags, struct sock_recvd *r)
{
	if (u->state == SS_LISTEN)
		return -ENOTCONN;
	if (u->oobinline || u->urg != TCP_URG_VALID)
		return -EINVAL;
	if (!(flags & MSG_PEEK))
		u->urg = TCP_URG_READ;
	r->msg_flags |= MSG_OOB;
	if (!n) {
		r->msg_flags |= MSG_TRUNC;
		return 0;
	}
	*(unsigned char *)buf = u->urg_byte;
	return 1;
}

/* The counters a datagram of u's counts in: its protocol's, for IPv4 (v4) or IPv6. */
static struct udp_mib *
udp_mib(struct usock *u, bool v4)
{
	return &(v4 ? u->net->mib.udp4 : u->net->mib.udp6)[u->protocol == IPPROTO_UDPLITE];
}

/* A datagram of u's to IPv4 group or broadcast address a, from source address src (host
 * order): a copy for every socket that takes it (udp_v4_mcast_deliver). */
static ssize_t
udp_mc_send(struct task *t, struct usock *u, const void *a, const void *buf, size_t n,
	    const struct sock_sendopt *o, uint32_t src)
{
	struct usock *p;
	struct nkey k;
	uint32_t dst = 0;
	int err = inet_autobind(u, true);

	if (err)
		return err;
	nkey_of(a, &k);
	inet_v4(a, &dst);
	struct udp_mib *m = udp_mib(u, true);

	m->out++;
	if (ip4_is_mcast(dst) && !mc_lo_joined(u->net, htonl(dst)))
		return n; /* lo does not listen to that group: dropped */
	DL_FOREACH(all_socks, p) {
		if (!mc_takes(p, u, src, htonl(dst), inet_port(a)))
			continue;
		if ((p->shutdown & RCV_SHUT) || !peer_has_room(u, p, n)) {
			m->in_errors++, m->rcvbuf_errors++;
			continue;
		}
		skb_queue(t, u, p, buf, n, 0, NULL, 0, o, &k, true, src); /* (InDatagrams: read) */
	}
	return n;
}

#define UDP_MAX_SEGMENTS 128     /* Linux's (1 << 7): segments one send may make */

static ssize_t udp_push(struct task *t, struct usock *u);

/* UDP_CORK or MSG_MORE (Linux udp_sendmsg's pending frames): a send with more to come is
 * held, its destination checked at the first part and kept; later parts add to it (their
 * addresses unread) until one comes without either, which sends all as one datagram.
 * Past the largest datagram all that was held goes (EMSGSIZE). */
static ssize_t
udp_hold(struct task *t, struct usock *u, const void *buf, size_t n,
	 const struct sockaddr_un *to, socklen_t tolen, const struct sock_sendopt *o)
{
	if (!u->udp.pending) {
		const struct sockaddr_un *a = to;
		struct sockaddr_un mapped;
		socklen_t alen = tolen;
		uint32_t ip4;
		int err;

		if (!to && !u->has_dst)
			return -EDESTADDRREQ;
		if (u->shutdown & SEND_SHUT)
			return -EPIPE;
		if (a && ((err = inet6_take_v4(u, &a, &alen, &mapped)) ||
			  (err = inet6_send_check(u, a, alen, true))))
			return err;
		if (a && alen >= sizeof(struct sockaddr_in) && a->sun_family == u->family &&
		    inet_port(a) == 0)
			return -EINVAL;
		if ((err = inet_autobind(u, true)))
			return err;
		const void *dst = a ? (const void *)a : (const void *)&u->dst;
		bool dst6 = ((const struct sockaddr *)dst)->sa_family == AF_INET6 &&
			    !inet_v4(dst, &ip4);

		u->udp.pend_max = dst6 ? 65527 : 65507;
		u->udp.pend_to = to ? *to : u->dst;
		u->udp.pend_tolen = to ? tolen : inet_len(u->family);
		u->udp.pending = true;
	}
	if (n > u->udp.pend_max - u->udp.pend_len) {
		free(u->udp.pend);
		u->udp.pend = NULL;
		u->udp.pend_len = 0;
		u->udp.pending = false;
		return -EMSGSIZE;
	}
	char *grown = xmalloc(u->udp.pend_len + n + 1);

	if (u->udp.pend_len)
		memcpy(grown, u->udp.pend, u->udp.pend_len);
	memcpy(grown + u->udp.pend_len, buf, n);
	free(u->udp.pend);
	u->udp.pend = grown;
	u->udp.pend_len += n;
	if (u->udp.cork || (o && o->more))
		return n;
	ssize_t r = udp_push(t, u);
	return r < 0 ? r : (ssize_t)n;
}

/* UDP_SEGMENT (the option, or a control message's): Linux udp_send_skb's refusals of a
 * datagram to be sent in segments. */
static int
udp_gso_check(struct usock *u, size_t n, const struct sock_sendopt *o)
{
	size_t gso = o && o->has_gso ? (size_t)o->gso_size : (size_t)u->udp.gso_size;

	if (!gso)
		return 0;
	if (n > gso * UDP_MAX_SEGMENTS || u->nocheck)
		return -EINVAL;
	return u->protocol == IPPROTO_UDPLITE ? -EIO : 0;
}

/* Does a receiver with ESP in UDP (Linux xfrm4/6_udp_encap_rcv) take this datagram itself
 * and drop it (no security association here)? NAT keepalives (one 0xff byte) and ESP (more
 * than an ESP header, a non-zero SPI) go; IKE (a zero non-ESP marker) passes. */
static bool
udp_esp_eaten(const struct usock *p, const unsigned char *d, size_t n)
{
	uint32_t spi;

	if (!p->udp.encap || !p->udp.xfrm)
		return false;
	if (n == 1 && d[0] == 0xff)
		return true;
	if (n <= 8)
		return false;
	memcpy(&spi, d, sizeof(spi));
	return spi != 0;
}

/* A unicast datagram of u's reaches p: whole, or (UDP_SEGMENT) in segments unless p has
 * UDP_GRO, which takes it whole with their size (Linux's loopback GSO); what p would
 * drop (no checksum, ESP) is not queued. */
static void
udp_deliver(struct task *t, struct usock *u, struct usock *p, const char *buf, size_t n,
	    const struct sock_sendopt *o, const struct nkey *dstk, bool v4)
{
	size_t gso = o && o->has_gso ? (size_t)o->gso_size : (size_t)u->udp.gso_size;

	/* an IPv6 datagram sent without a checksum (UDP_NO_CHECK6_TX) is refused by a
	 * receiver that does not take those (UDP_NO_CHECK6_RX; Linux udp6_csum_zero_error) */
	if (!v4 && u->protocol == IPPROTO_UDP && u->udp.no_check6_tx && !p->udp.no_check6_rx)
		return;
	if (!gso || n <= gso || p->udp.gro) {
		if (udp_esp_eaten(p, (const unsigned char *)buf, n))
			return;
		skb_queue(t, u, p, buf, n, 0, NULL, 0, o, dstk, v4, 0);
		if (gso && n > gso)
			p->rq->prev->gso_size = (int)gso;
		return;
	}
	for (size_t at = 0; at < n; at += gso) {
		size_t k = MIN(gso, n - at);

		if (!udp_esp_eaten(p, (const unsigned char *)buf + at, k))
			skb_queue(t, u, p, buf + at, k, 0, NULL, 0, o, dstk, v4, 0);
	}
}

/* ---- ping sockets (Linux net/ipv4/ping.c, net/ipv6/ping.c) ----
 * A ping socket sends ICMP echo requests (the caller writes the ICMP header, the kernel
 * puts in the identifier, its "port", and the checksum) and receives the echo replies
 * that carry its identifier. Here the only hosts are the sandbox's own addresses, so the
 * reply is made at once, as the local kernel's ICMP would (icmp_echo, icmpv6_echo_reply).
 * Identifiers are one space for both families of a namespace; SO_REUSEADDR, on from the
 * start (INET_PROTOSW_REUSE), lets two sockets share one. */

/* o holds an identifier of u's namespace's space (another ping socket, named) */
static bool
ping_holder(const struct usock *u, const struct usock *o)
{
	return o != u && is_ping(o) && o->net == u->net && o->addrlen;
}

static bool
ping_ident_taken(struct usock *u, int ident, bool any_reuse)
{
	struct usock *o;

	DL_FOREACH(all_socks, o)
		if (ping_holder(u, o) && o->port == ident &&
		    (any_reuse || !o->reuseaddr || !u->reuseaddr))
			return true;
	return false;
}

/* The next identifier nobody in u's namespace holds after the last one given (Linux's
 * ping_port_rover, one for the whole host); 0 when all are taken. */
static int
ping_pick_ident(struct usock *u)
{
	static unsigned short rover;
	static unsigned char taken[65536 / 8]; /* one pass over the sockets, not one per try */
	struct usock *o;

	memset(taken, 0, sizeof(taken));
	DL_FOREACH(all_socks, o)
		if (ping_holder(u, o))
			taken[o->port / 8] |= (unsigned char)(1u << (o->port % 8));
	for (int i = 0; i < 65536; i++) {
		unsigned short id = (unsigned short)(rover + 1 + i);

		if (id && !(taken[id / 8] & (1u << (id % 8)))) {
			rover = id;
			return id;
		}
	}
	return 0;
}

/* Linux ping_check_bind_addr, then ping_bind (no privileged identifiers). */
static int
ping_bind(struct usock *u, const void *a, socklen_t len)
{
	struct sockaddr_un name;
	int err;

	if (len < inet_len(u->family))
		return -EINVAL;
	memset(&name, 0, sizeof(name));
	memcpy(&name, a, inet_len(u->family));
	if (u->family == AF_INET) {
		struct sockaddr_in *in = (struct sockaddr_in *)&name;
		uint32_t ip = ntohl(in->sin_addr.s_addr);

		if (in->sin_family != AF_INET && !(in->sin_family == AF_UNSPEC && !ip))
			return -EAFNOSUPPORT;
		in->sin_family = AF_INET;
		if (ip && (ip4_is_mcast(ip) || ip4_is_bcast(u->net, ip) || !ip4_local(u->net, ip)))
			return -EADDRNOTAVAIL;
	} else {
		struct sockaddr_in6 *in6 = (struct sockaddr_in6 *)&name;
		const struct in6_addr *ip = &in6->sin6_addr;
		bool any = IN6_IS_ADDR_UNSPECIFIED(ip);
		bool scoped = IN6_IS_ADDR_LINKLOCAL(ip) || IN6_IS_ADDR_MC_LINKLOCAL(ip);

		if (in6->sin6_family != AF_INET6)
			return -EAFNOSUPPORT;
		/* only the any address or a unicast one (not v4-mapped), a scope with a
		 * link-local one */
		if ((!any && (IN6_IS_ADDR_MULTICAST(ip) || IN6_IS_ADDR_V4MAPPED(ip))) ||
		    (scoped && !in6->sin6_scope_id))
			return -EINVAL;
		if (in6->sin6_scope_id && !netdev_name(u->net, (int)in6->sin6_scope_id))
			return -ENODEV;
		if (!any && !ip6_local(u->net, ip))
			return -EADDRNOTAVAIL;
	}
	if (u->addrlen)
		return -EINVAL;
	err = inet_set_name(u, &name, inet_port(&name), false, NULL);
	if (!err) {
		u->port_locked = inet_port(&name) != 0;
		u->addr_locked = u->family == AF_INET
				 ? ((struct sockaddr_in *)&name)->sin_addr.s_addr != 0
				 : !IN6_IS_ADDR_UNSPECIFIED(&((struct sockaddr_in6 *)&name)->sin6_addr);
	}
	return err;
}

/* The ping socket of family v4/v6 that a reply to identifier ident and address dst
 * reaches (Linux ping_lookup: the identifier, then the bound address if any; of sockets
 * sharing one identifier the last bound). */
static struct usock *
ping_find(struct net_ns *n, bool v4, int ident, const struct nkey *dst)
{
	struct usock *o, *found = NULL;

	DL_FOREACH(all_socks, o) {
		struct nkey k;

		if (!is_ping(o) || o->net != n || (o->family == AF_INET) != v4 || !o->addrlen ||
		    o->port != ident || (o->bound_dev && o->bound_dev != LOOPBACK_IFINDEX))
			continue;
		nkey_of(&o->addr, &k);
		k.port = dst->port;
		if (o->addr_locked && !nkey_eq(&k, dst))
			continue;
		if (!found || o->bind_seq > found->bind_seq)
			found = o;
	}
	return found;
}

/* The Internet checksum (RFC 1071) of n bytes, starting from sum. */
static uint16_t
inet_csum(const void *data, size_t n, uint32_t sum)
{
	const unsigned char *p = data;

	for (; n > 1; p += 2, n -= 2)
		sum += (uint32_t)(p[0] << 8 | p[1]);
	if (n)
		sum += (uint32_t)(p[0] << 8);
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return htons((uint16_t)~sum);
}

/* ICMPv6's checksum covers a pseudo-header: both addresses, the length, next header 58. */
static uint16_t
icmp6_csum(const struct in6_addr *src, const struct in6_addr *dst, const void *msg, size_t n)
{
	uint32_t sum = (uint32_t)(n >> 16) + (uint32_t)(n & 0xffff) + IPPROTO_ICMPV6;

	for (int i = 0; i < 16; i += 2)
		sum += (uint32_t)(src->s6_addr[i] << 8 | src->s6_addr[i + 1]) +
		       (uint32_t)(dst->s6_addr[i] << 8 | dst->s6_addr[i + 1]);
	return inet_csum(msg, n, sum);
}

/* Linux ping_v4_sendmsg / ping_v6_sendmsg, with the sandbox's addresses as the only hosts:
 * an echo request to one of them is answered at once; elsewhere there is no route (--net
 * none), or, with a way out, nothing that carries ICMP (refused, audited). */
static ssize_t
ping_send(struct task *t, struct usock *u, const void *buf, size_t n,
	  const struct sockaddr_un *to, socklen_t tolen, const struct sock_sendopt *o)
{
	bool v4 = u->family == AF_INET;
	const unsigned char *req = buf;
	struct sockaddr_un dst;
	const struct sockaddr_in6 *d6 = (const struct sockaddr_in6 *)&dst;
	struct usock *p;
	struct nkey me, peer;

	if (inet_autobind(u, v4)) /* (inet_send_prepare, before the protocol looks) */
		return -EAGAIN;
	if (n > 0xffff)
		return -EMSGSIZE;
	if (n < 8)
		return -EINVAL;
	if (o && o->oob)
		return -EOPNOTSUPP;
	if (req[1] != 0 || (v4 ? req[0] != ICMP_ECHO && req[0] != 42 /* ICMP_EXT_ECHO */
			       : req[0] != 128 && req[0] != 160 /* ICMPV6_(EXT_)ECHO_REQUEST */))
		return -EINVAL;
	if (to) {
		if (tolen < inet_len(u->family))
			return -EINVAL;
		if (to->sun_family != u->family)
			return -EAFNOSUPPORT;
		memset(&dst, 0, sizeof(dst));
		memcpy(&dst, to, inet_len(u->family));
	} else if (u->has_dst) {
		dst = u->dst;
	} else {
		return -EDESTADDRREQ;
	}
	nkey_of(&dst, &peer); /* (the any address: loopback, as Linux routes it) */
	peer.port = 0;
	if (!v4 && (IN6_IS_ADDR_V4MAPPED(&d6->sin6_addr) ||
		    ((IN6_IS_ADDR_LINKLOCAL(&peer.ip6) || IN6_IS_ADDR_MC_LINKLOCAL(&peer.ip6)) &&
		     !(to ? d6->sin6_scope_id : 0) && !u->bound_dev)))
		return -EINVAL;
	if (!u->net->lo_up)
		return -ENETUNREACH;
	if (v4) {
		uint32_t src;
		bool mc;
		int err = mc_route(u, &dst, &mc, &src);

		if (err)
			return err;
		if (n > 0xffff - 20)
			return -EMSGSIZE; /* ip_append_data: past what an IPv4 packet holds */
		if (mc) {
			/* it comes back by lo, where nobody answers a group's echo
			 * (icmp_echo_ignore_broadcasts): an error in, no reply */
			if (req[0] == ICMP_ECHO)
				u->net->mib.icmp_echos_ignored++;
			return n;
		}
	} else if (IN6_IS_ADDR_MULTICAST(&d6->sin6_addr) ||
		   IN6_IS_ADDR_UNSPECIFIED(&d6->sin6_addr)) {
		return -ENETUNREACH; /* lo has no group routes; :: is no loopback here (unlike
				      * UDP's BSD-ism) */
	}
	if (v4 ? !ip4_local(u->net, peer.ip4) : !ip6_local(u->net, &peer.ip6)) {
		if (net_mode() != NET_NONE && u->net == init_net) {
			audit_denied(t, to ? __NR_sendto : __NR_sendmsg, to ? "sendto" : "sendmsg", EPERM,
				     "ICMP echo leaving the sandbox (only its own addresses answer)",
				     NULL);
			return -EPERM;
		}
		return -ENETUNREACH;
	}
	if (req[0] != ICMP_ECHO && req[0] != 128)
		return n; /* an extended echo: probing is off (icmp_echo_enable_probe 0) */
	/* the request's source: the bound address, else the route's */
	nkey_of(&u->addr, &me);
	if (!u->addr_locked) {
		if (v4)
			me.ip4 = lo_src4(u->net, peer.ip4);
		else
			me.ip6 = ip6_local(u->net, &peer.ip6) ? peer.ip6 : in6addr_loopback;
	}
	me.port = 0;
	p = ping_find(u->net, v4, u->port, &me);
	if (!p || (p->shutdown & RCV_SHUT) || !peer_has_room(u, p, n))
		return n; /* nobody takes the reply, or no room: dropped */
	_cleanup_free_ unsigned char *rep = xmalloc(n);
	memcpy(rep, req, n);
	rep[0] = v4 ? ICMP_ECHOREPLY : 129; /* ICMPV6_ECHO_REPLY */
	rep[2] = rep[3] = 0;
	rep[4] = (unsigned char)(u->port >> 8); /* the identifier is the socket's */
	rep[5] = (unsigned char)u->port;
	uint16_t sum = v4 ? inet_csum(rep, n, 0) : icmp6_csum(&peer.ip6, &me.ip6, rep, n);
	memcpy(rep + 2, &sum, 2);
	if (v4)
		u->net->mib.icmp_echos++;
	skb_queue(t, u, p, rep, n, 0, NULL, 0, o, &me, v4, 0);
	/* as received: from the address pinged (no port), with the replier's TTL and the
	 * request's TOS / traffic class */
	struct skb *s = p->rq->prev;

	memset(&s->from, 0, sizeof(s->from));
	if (v4) {
		struct sockaddr_in *in = (struct sockaddr_in *)&s->from;

		in->sin_family = AF_INET;
		in->sin_addr.s_addr = htonl(peer.ip4);
	} else {
		struct sockaddr_in6 *in6 = (struct sockaddr_in6 *)&s->from;

		in6->sin6_family = AF_INET6;
		in6->sin6_addr = peer.ip6;
	}
	s->fromlen = inet_len(u->family);
	s->hoplimit = 64;
	s->no_spec_dst = true; /* (ping_rcv queues it without ipv4_pktinfo_prepare) */
	return n;
}

ssize_t
sock_send(struct task *t, struct file *f, const void *buf, size_t n, struct file **fds,
	  int nfds, const struct sockaddr_un *to, socklen_t tolen, struct waitq **wq)
{
	return sock_sendmsg(t, f, buf, n, fds, nfds, to, tolen, NULL, wq);
}

ssize_t
sock_sendmsg(struct task *t, struct file *f, const void *buf, size_t n, struct file **fds,
	     int nfds, const struct sockaddr_un *to, socklen_t tolen, const struct sock_sendopt *o,
	     struct waitq **wq)
{
	struct usock *u = sock_of(f), *p = u->peer;
	size_t c = n, charge = 0;
	bool v4 = u->family == AF_INET; /* inet: an IPv4 packet (its TTL is IP_TTL's) */
	struct nkey dstk;
	bool have_dst = false;
	int err;

	*wq = NULL;
	if (u->family == AF_NETLINK)
		return nl_sendmsg(t, u, buf, n, to, tolen, o, wq);
	if (u->family == AF_INET || u->family == AF_INET6) {
		ssize_t r = egress_send(t, u, buf, n, o && o->oob ? MSG_OOB : 0, to, tolen);

		if (r != EGRESS_NOT_MINE)
			return r;
	}
	if (u->err && u->type != SOCK_DGRAM) {
		err = -u->err;
		u->err = 0;
		return err;
	}
	if (is_ping(u))
		return ping_send(t, u, buf, n, to, tolen, o);
	if (u->type == SOCK_DGRAM && u->family != AF_UNIX) {
		if (u->err) { /* a pending error (an ICMP answer) fails the next send */
			err = -u->err;
			u->err = 0;
			return err;
		}
		if (u->udp.pending || u->udp.cork || (o && o->more))
			return udp_hold(t, u, buf, n, to, tolen, o);
		if (!to && !u->has_dst)
			return -EDESTADDRREQ;
		if (u->shutdown & SEND_SHUT)
			return -EPIPE;
		struct sockaddr_un mapped;
		uint32_t ip4;

		if (to && (err = inet6_take_v4(u, &to, &tolen, &mapped)))
			return err;
		if (to && (err = inet6_send_check(u, to, tolen, true)))
			return err;
		{
			const void *dst = to ? (const void *)to : (const void *)&u->dst;
			bool dst6 = u->family == AF_INET6 && (!to || tolen >= inet_len(AF_INET6)) &&
				    ((const struct sockaddr *)dst)->sa_family == AF_INET6 &&
				    !inet_v4(dst, &ip4);

			/* IPv4 takes 65535 bytes with its headers (20 + 8), IPv6 a payload of
			 * 65535 with the UDP header; IPv6 queues the error (ipv6_local_error) */
			if (n > (dst6 ? 65527u : 65507u)) {
				if (dst6 && u->recverr6) {
					struct sock_extended_err ee = {
						.ee_errno = EMSGSIZE, .ee_origin = SO_EE_ORIGIN_LOCAL,
						.ee_info = 65536 }; /* lo's MTU */

					errq_add(u, &ee, true, dst, NULL, 0);
				}
				return -EMSGSIZE;
			}
		}
		if (to && tolen >= sizeof(struct sockaddr_in) && to->sun_family == u->family &&
		    inet_port(to) == 0)
			return -EINVAL; /* udp_sendmsg: no port 0 */
		{
			const void *dst = to ? (const void *)to : (const void *)&u->dst;
			uint32_t src;
			bool mc;

			if (!to || (tolen >= inet_len(u->family) && to->sun_family == u->family)) {
				err = mc_route(u, dst, &mc, &src);
				if (mc && err) { /* (the port is taken before the route fails) */
					int e2 = inet_autobind(u, true);

					return e2 ? e2 : err;
				}
				if (mc)
					return udp_mc_send(t, u, dst, buf, n, o, src);
			}
		}
		if ((err = udp_gso_check(u, n, o)))
			return err;
		err = inet_lookup(u, to ? (const void *)to : (const void *)&u->dst,
				  to ? tolen : inet_len(u->family), &p, &v4);
		if (err == -ECONNREFUSED) {
			bool recverr = v4 ? u->recverr : u->recverr6;

			err = inet_autobind(u, v4);
			/* the port unreachable answer: SO_ERROR of a connected socket, of any
			 * with IP_RECVERR, which queues it too (__udp4_lib_err) */
			if (!err && (u->has_dst || recverr))
				u->err = ECONNREFUSED;
			if (!err && recverr) {
				struct sock_extended_err ee = {
					.ee_errno = ECONNREFUSED,
					.ee_origin = v4 ? SO_EE_ORIGIN_ICMP : SO_EE_ORIGIN_ICMP6,
					.ee_type = v4 ? 3 : 1,  /* ICMP_DEST_UNREACH, ICMPV6_DEST_UNREACH */
					.ee_code = v4 ? 3 : 4 }; /* PORT_UNREACH, ICMPV6_PORT_UNREACH */

				errq_add(u, &ee, !v4, to ? (const void *)to : (const void *)&u->dst,
					 buf, n);
			}
			if (!err)
				udp_mib(u, v4)->out++, udp_mib(u, v4)->noports++;
			if (!err) /* the port unreachable, out and in */
				(*(v4 ? &u->net->mib.icmp_unreach : &u->net->mib.icmp6_unreach))++;
			return err ? err : (ssize_t)n; /* nobody there: dropped */
		}
		if (!err)
			err = inet_autobind(u, v4);
		if (err)
			return err;
		p = inet_reuseport_pick(p, u);
		udp_mib(u, v4)->out++;
		if ((p->shutdown & RCV_SHUT) || !peer_has_room(u, p, n)) {
			udp_mib(u, v4)->in_errors++, udp_mib(u, v4)->rcvbuf_errors++;
			return n; /* UDP drops what a full receiver has no room for */
		}
		if (p->has_dst && inet_port(&p->dst) != u->port)
			return n; /* a connected receiver takes its peer's datagrams only */
		nkey_of(to ? (const void *)to : (const void *)&u->dst, &dstk);
		have_dst = true;
	} else if (u->type == SOCK_DGRAM) {
		if ((u->passcred || u->passpidfd) && !u->addrlen)
			autobind(u); /* unix_dgram_sendmsg: a sender passing credentials gets a name */
		if (to && tolen) {
			err = lookup_addr(t, u->net, to, tolen, u->type, &p);
			if (err)
				return err;
			if (p->peer && p->peer != u && p->state == SS_CONNECTED)
				return -EPERM;
			if (p != u->peer && unix_scoped(t, p))
				return -EPERM;
		} else if (!p && u->state == SS_CONNECTED) {
			u->state = SS_UNCONN; /* unix_dgram_sendmsg: the dead peer is let go */
			return -ECONNREFUSED;
		} else if (!p) {
			return -ENOTCONN;
		}
		if (u->shutdown & SEND_SHUT)
			return -EPIPE;
		if (n > (size_t)u->sndbuf - 32)
			return -EMSGSIZE;
		if (p->shutdown & RCV_SHUT)
			return -EPIPE;
	} else {
		if (u->family == AF_UNIX && o && o->oob && !n)
			return -EOPNOTSUPP; /* no byte to be the out-of-band one */
		if (u->family != AF_UNIX && u->state != SS_CONNECTED)
			return -EPIPE; /* TCP ignores the address */
		if (to && tolen && u->type == SOCK_STREAM && u->family == AF_UNIX)
			return u->state == SS_CONNECTED ? -EISCONN : -EOPNOTSUPP;
		if (to && tolen && u->state != SS_CONNECTED)
			return -ENOTCONN;
		if (u->state != SS_CONNECTED)
			return -ENOTCONN;
		if (u->family != AF_UNIX && !p && !(u->shutdown & SEND_SHUT) && !u->reset && !n)
			return 0; /* (CLOSE_WAIT: nothing sent, so no reset either) */
		if (u->family != AF_UNIX && !p && !(u->shutdown & SEND_SHUT) && !u->reset) {
			u->reset = true; /* the data goes nowhere; the peer answers with a reset */
			u->net->mib.estab_resets++;
			u->shutdown = SHUT_BOTH;
			return n;
		}
		if ((u->shutdown & SEND_SHUT) || !p ||
		    ((p->shutdown & RCV_SHUT) && u->family == AF_UNIX))
			return -EPIPE;
		if (u->type == SOCK_SEQPACKET && n > (size_t)u->sndbuf - 32)
			return -EMSGSIZE;
	}
	if (u->family == AF_UNIX) {
		if (!unix_send_size(u, n, &charge)) {
			*wq = &u->wq; /* freeing one of its messages wakes it */
			return -EAGAIN;
		}
		if (u->type == SOCK_DGRAM && p != u && p->peer != u && p->rq_count > UNIX_DGRAM_QLEN) {
			*wq = &p->wq; /* the receiver's queue is full */
			return -EAGAIN;
		}
		c = MIN(n, unix_send_size(u, n, &charge));
	} else if (!peer_has_room(u, p, n)) {
		*wq = &p->wq;
		return -EAGAIN;
	}
	if (u->type == SOCK_STREAM && u->family != AF_UNIX) {
		size_t room = (size_t)p->rcvbuf + (size_t)u->sndbuf - p->rq_bytes;

		room = room > u->cork_len ? room - u->cork_len : 0; /* held output takes room */
		if (!room && n) {
			*wq = &p->wq;
			return -EAGAIN;
		}
		c = MIN(n, room);
		/* MSG_MORE corks this send (Linux tcp_push: TCP_NAGLE_CORK), held as TCP_CORK
		 * holds, until a send without it (below), the 200 ms or what ends a cork */
		if ((u->tcp.cork || (o && o->more)) && !(o && o->oob)) {
			cork_add(u, buf, c);
			return c;
		}
		if (c && !(o && o->oob))
			cork_push(u, u->cork_len); /* held by an earlier MSG_MORE: it goes first */
		if (o && o->oob) { /* urgent data goes at once (tcp_nagle_test), held data first */
			if (!c)
				return 0;
			cork_push(u, u->cork_len);
			skb_queue(t, u, p, buf, c, charge, NULL, 0, o, NULL, v4, 0);
			tcp_urg_mark(p, ((const unsigned char *)buf)[c - 1]);
			return c;
		}
	}
	if (n == 0 && u->type == SOCK_STREAM && (!nfds || u->family == AF_UNIX))
		return 0; /* unix_stream_sendmsg sends nothing: descriptors with no data are dropped */
	if (have_dst) {
		udp_deliver(t, u, p, buf, c, o, &dstk, v4);
		return c;
	}
	if (u->family == AF_UNIX && u->type == SOCK_STREAM && o && o->oob && c == n) {
		unix_send_oob(t, u, p, buf, n, fds, nfds, o);
		return n;
	}
	skb_queue(t, u, p, buf, c, charge, fds, nfds, o, have_dst ? &dstk : NULL, v4, 0);
	return c;
}

/* SO_PEEK_OFF after a receive (Linux sk_peek_offset_fwd / _bwd): a peek moves it on by
 * fwd, a read back by bwd, not below 0 (past INT_MAX it wraps, as Linux's s32). */
static void
peek_off_move(struct usock *u, bool peek, size_t fwd, size_t bwd)
{
	if (peek)
		u->peek_off = (int)((unsigned)u->peek_off + (unsigned)MIN(fwd, (size_t)INT_MAX));
	else
		u->peek_off = bwd >= (size_t)u->peek_off ? 0 : u->peek_off - (int)bwd;
}

/* recv flags that matter here */
ssize_t
sock_recv(struct task *t, struct file *f, void *buf, size_t n, int flags,
	  struct sock_recvd *r)
{
	struct usock *u = sock_of(f);
	struct skb *s;
	size_t done = 0;
	bool peek = flags & MSG_PEEK;

	r->nfds = 0;
	r->msg_flags = 0;
	r->urg_stop = false;
	r->fromlen = 0;
	r->has_cred = false;
	if (u->hs) {
		socklen_t fl = 0;
		ssize_t got = hsock_recv(u->hs, buf, n, flags, &r->from, &fl, &r->msg_flags);

		r->fromlen = fl;
		if (got == -EAGAIN)
			epoll_file_drained(f, POLLIN | POLLRDNORM);
		return got;
	}
	if ((flags & MSG_OOB) && u->type == SOCK_STREAM)
		return u->family == AF_UNIX ? unix_recv_urg(u, buf, n, flags, r)
					    : tcp_recv_urg(u, buf, n, flags, r);
	if (flags & MSG_ERRQUEUE) {
		r->ipcm = 0;
		if (u->family != AF_INET && u->family != AF_INET6)
			return -EAGAIN;
		return errq_recv(u, buf, n, r);
	}
	if (u->type != SOCK_DGRAM && u->state == SS_LISTEN)
		return u->family == AF_UNIX ? -EINVAL : -ENOTCONN;
	if (u->err && u->type != SOCK_STREAM) { /* a datagram socket's error comes first */
		int err = -u->err;
		u->err = 0;
		return err;
	}
	if (!u->rq) {
		if (u->err) {
			int err = -u->err;
			u->err = 0;
			return err;
		}
		if ((u->shutdown & RCV_SHUT) && u->type == SOCK_DGRAM && u->family != AF_UNIX &&
		    ((flags & MSG_DONTWAIT) || (file_get_flags(f) & O_NONBLOCK)))
			return -EAGAIN; /* UDP: a non-blocking receive does not see the shutdown */
		if (u->shutdown & RCV_SHUT)
			return 0;
		if (u->type != SOCK_DGRAM && u->family != AF_NETLINK && u->state != SS_CONNECTED)
			return u->type == SOCK_STREAM && u->family == AF_UNIX ? -EINVAL : -ENOTCONN;
		return -EAGAIN;
	}
	if (u->type == SOCK_STREAM && (flags & MSG_WAITALL) && u->rq_bytes < n &&
	    u->rq_bytes < (size_t)u->rcvbuf && !(u->shutdown & RCV_SHUT) && u->peer &&
	    !(flags & MSG_DONTWAIT) && !(f->flags & O_NONBLOCK))
		return -EAGAIN;
	s = u->rq;
	size_t skip = 0; /* SO_PEEK_OFF: what a peek passes over */

	if (peek && u->peek_off > 0 && u->type != SOCK_STREAM) {
		/* Linux __skb_try_recv_from_queue: whole datagrams first, then into one */
		skip = (size_t)u->peek_off;
		while (s && skip >= s->len && (s->len || skip)) {
			skip -= s->len;
			s = s->next;
		}
		if (!s)
			return -EAGAIN; /* nothing past the offset yet */
	}
	if (u->family == AF_UNIX && u->type != SOCK_DGRAM && u->peer) {
		/* Linux names the sending socket as it is now (it may have been bound since) */
		r->from = u->peer->addr;
		r->fromlen = u->peer->addrlen;
	} else if (s->fromlen) {
		r->from = s->from;
		r->fromlen = s->fromlen;
		if (u->family == AF_INET || u->family == AF_INET6)
			r->fromlen = inet_convert(u->family, &s->from, &r->from);
	}
	r->cred = s->cred;
	r->has_cred = true;
	r->ipcm = 0;
	if (u->type == SOCK_DGRAM && u->family != AF_UNIX) {
		uint32_t v4;
		bool from4 = s->fromlen && inet_v4(&s->from, &v4);

		if (from4)
			r->ipcm = (u->rx_ttl ? SOCK_CM_TTL : 0) | (u->rx_tos ? SOCK_CM_TOS : 0);
		else
			r->ipcm = (u->rx_hoplimit ? SOCK_CM_HOPLIMIT : 0) |
				  (u->rx_tclass ? SOCK_CM_TCLASS : 0);
		if (s->has_dst) { /* where it went: IP_PKTINFO and friends */
			bool d4 = s->dst_v4;

			r->dst4 = htonl(s->dst4);
			r->no_spec_dst = s->no_spec_dst;
			r->dst_port = s->dst_port;
			if (d4) {
				memset(r->dst6, 0, sizeof(r->dst6));
				r->dst6[10] = r->dst6[11] = 0xff;
				memcpy(&r->dst6[12], &r->dst4, 4);
			} else {
				memcpy(r->dst6, &s->dst6, sizeof(r->dst6));
			}
			if (d4 && u->pktinfo)
				r->ipcm |= SOCK_CM_PKTINFO;
			if (d4 && u->origdst)
				r->ipcm |= SOCK_CM_ORIGDST;
			if (u->family == AF_INET6 && u->pktinfo6)
				r->ipcm |= SOCK_CM_PKTINFO6;
			if (u->family == AF_INET6 && u->origdst6 && !d4)
				r->ipcm |= SOCK_CM_ORIGDST6;
		}
		r->hoplimit = s->hoplimit;
		r->tclass = s->tclass;
		if (u->rcvmark && !is_ping(u)) { /* sock_recv_mark (udp_recvmsg's cmsgs) */
			r->ipcm |= SOCK_CM_MARK;
			r->mark = s->mark;
		}
		if (s->gso_size && u->udp.gro) { /* (udp_cmsg_recv) */
			r->ipcm |= SOCK_CM_GRO;
			r->gro_size = s->gso_size;
		}
	}
	if ((u->family == AF_INET || u->family == AF_INET6) &&
	    (u->type != SOCK_STREAM || u->tstamp_opt || rx_timestamping(u)))
		recv_stamp(u, s, r); /* TCP: the control message only */
	else if (u->family == AF_UNIX && u->type != SOCK_STREAM && u->tstamp_opt)
		recv_stamp(u, s, r); /* unix_dgram_recvmsg: with SO_TIMESTAMP(NS) only */
	if (u->type != SOCK_STREAM) {
		size_t c = MIN(n, s->len - skip);
		bool udp = u->family != AF_UNIX;

		memcpy(buf, s->data + skip, c);
		/* (udp_recvmsg: truncated unless the buffer passes what is left, and less than
		 * the whole came; the whole is its length; unix_dgram_recvmsg: from the offset) */
		if (udp ? n <= s->len - skip && n < s->len : c < s->len - skip)
			r->msg_flags |= MSG_TRUNC;
		done = (flags & MSG_TRUNC) ? s->len - (udp ? 0 : skip) : c;
		if (u->peek_off >= 0) /* a peek moves the offset on, a read back */
			peek_off_move(u, peek, udp ? done : c, udp ? done : s->len);
		if (!peek && (u->family == AF_INET || u->family == AF_INET6) && !is_ping(u)) {
			uint32_t v4;

			/* udp_recvmsg: InDatagrams counts what is read, by the family it came in
			 * (where it was sent says: an any address's sender has no IPv4 name) */
			udp_mib(u, s->has_dst ? s->dst_v4
					      : s->fromlen && inet_v4(&s->from, &v4))->in++;
		}
		if (!peek) {
			for (int i = 0; i < s->nfds && r->fds; i++) {
				inflight_add(s->fds[i], -1);
				r->fds[r->nfds++] = s->fds[i];
				s->fds[i] = NULL;
			}
			rq_drop(u, s);
		} else {
			for (int i = 0; i < s->nfds && r->fds; i++)
				r->fds[r->nfds++] = file_get(s->fds[i]);
		}
		if (u->family == AF_NETLINK)
			nl_read(u, n);
		wake_senders(u);
		return done;
	}
	struct ucred first = s->cred;
	unsigned long long seq = u->copied_seq; /* TCP: where this read is in the stream */
	size_t off = s->off;
	bool skipped = false;

	if (peek && u->peek_off > 0) { /* SO_PEEK_OFF: the peek starts that far in */
		skip = (size_t)u->peek_off;
		while (s && skip >= s->len - off) {
			skip -= s->len - off;
			seq += s->len - off;
			s = s->next;
			off = s ? s->off : 0;
		}
		if (!s)
			return (u->shutdown & RCV_SHUT) ? 0 : -EAGAIN; /* nothing past it yet */
		off += skip;
		seq += skip;
		first = s->cred;
	}

	do { /* the first message even for n == 0: its descriptors come (and nothing else) */
		if (u->family == AF_UNIX && off == s->off && (u->oob || !s->len)) {
			struct skb *to = unix_oob_pass(u, s, peek, done);

			if (!to) {
				skipped |= !done;
				r->urg_stop = done > 0; /* (even MSG_WAITALL) */
				break;
			}
			if (to != s)
				off = to->off;
			s = to;
		}
		size_t c, slen = s->len; /* (s may be freed below) */
		struct skb *next = s->next;
		bool had_fds = s->nfds > 0;

		if (done && (u->passcred || u->passpidfd) && memcmp(&s->cred, &first, sizeof(first)))
			break; /* never glue messages of different writers */
		if (u->urg && seq == u->urg_seq) { /* TCP at the urgent mark (tcp_recvmsg) */
			if (done) {
				r->urg_stop = true; /* a read stops there */
				break;
			}
			if (!u->oobinline && n > done) { /* the byte out of line: skipped */
				off++, seq++;
				skipped = true;
				if (!peek) {
					s->off++;
					u->copied_seq++;
				}
			}
		}
		c = MIN(n - done, s->len - off);
		if (u->urg && seq < u->urg_seq && u->urg_seq - seq < c)
			c = (size_t)(u->urg_seq - seq); /* up to the mark */

		memcpy((char *)buf + done, s->data + off, c);
		done += c;
		seq += c;
		off += c;
		if (had_fds && r->fds && r->nfds == 0) {
			for (int i = 0; i < s->nfds; i++) {
				r->fds[r->nfds++] = peek ? file_get(s->fds[i]) : s->fds[i];
				if (!peek) {
					inflight_add(s->fds[i], -1);
					s->fds[i] = NULL;
				}
			}
			if (!peek)
				s->nfds = 0;
		} else if (had_fds && !r->fds && !peek) {
			/* read(2) takes the data: the descriptors go with it (Linux destroys them) */
			for (int i = 0; i < s->nfds; i++) {
				inflight_add(s->fds[i], -1);
				file_put(s->fds[i]);
				s->fds[i] = NULL;
			}
			s->nfds = 0;
		}
		if (!peek) {
			s->off += c;
			u->copied_seq += c;
			if (u->urg && u->copied_seq > u->urg_seq)
				u->urg = 0; /* past the mark */
			if (s->off == s->len)
				rq_drop(u, s);
		}
		if (had_fds)
			break;
		if (off < slen)
			continue; /* stopped at the mark: the next round breaks there */
		s = next;
		off = 0;
	} while (s && done < n);
	if (!peek)
		wake_senders(u);
	if (!peek && u->peer && u->peer->dns_srv)
		dns_tcp_serve(u->peer); /* room for answers to queries it held back */
	if (u->peek_off >= 0)
		peek_off_move(u, peek, done, done);
	if (!done && skipped) /* only the urgent byte was there */
		return (u->shutdown & RCV_SHUT) ? 0 : -EAGAIN;
	if (u->family != AF_UNIX && u->tcp.inq) { /* TCP_INQ: what is left, as a TCP_CM_INQ */
		r->ipcm |= SOCK_CM_INQ;
		r->inq = (int)MIN(rq_unread(u), INT_MAX);
	}
	return done;
}

/* ---- file operations: read(2), write(2), poll ---- */

static ssize_t
sock_read(struct file *f, void *buf, size_t n, off_t *pos)
{
	struct sock_recvd r = { 0 };

	return sock_recv(current_task, f, buf, n, 0, &r);
}

static ssize_t
sock_write(struct file *f, const void *buf, size_t n, off_t *pos)
{
	struct waitq *wq;

	return sock_send(current_task, f, buf, n, NULL, 0, NULL, 0, &wq);
}

static short
sock_poll(struct file *f, short events)
{
	struct usock *u = sock_of(f);
	short mask = 0;

	if (u->hs)
		return egress_poll(u, events);
	if (u->err || u->errq)
		mask |= POLLERR;
	if (u->shutdown & RCV_SHUT)
		mask |= POLLRDHUP | POLLIN | POLLRDNORM;
	if (u->shutdown == SHUT_BOTH)
		mask |= POLLHUP;
	if (u->syn_to)
		return 0; /* SYN_SENT */
	if (u->type == SOCK_STREAM && u->family != AF_UNIX && u->state != SS_LISTEN) {
		if (tcp_readable(u))
			mask |= POLLIN | POLLRDNORM;
		if (u->urg == TCP_URG_VALID)
			mask |= POLLPRI;
	} else if (u->rq || (u->state == SS_LISTEN && accept_ready(u, NULL))) {
		mask |= POLLIN | POLLRDNORM;
	}
	if (u->oob) /* (an empty message counts as readable above, as on Linux) */
		mask |= POLLPRI;
	if (u->type != SOCK_DGRAM && u->family != AF_NETLINK && u->state == SS_UNCONN)
		mask |= POLLHUP; /* connection-based only (Linux datagram_poll) */
	if (u->state == SS_LISTEN)
		return mask;
	if (u->family == AF_UNIX) {
		if (unix_writable(u, u->peer))
			mask |= POLLOUT | POLLWRNORM | POLLWRBAND;
	} else if (u->type == SOCK_DGRAM) {
		if (!u->peer || peer_has_room(u, u->peer, 1))
			mask |= POLLOUT | POLLWRNORM | POLLWRBAND;
	} else if (u->state != SS_CONNECTED || !u->peer || peer_has_room(u, u->peer, 1)) {
		mask |= POLLOUT | POLLWRNORM; /* tcp_poll: no POLLWRBAND */
	}
	return mask;
}

static struct waitq *
sock_waitq(struct file *f)
{
	/* a host socket's changes come from its fd (sock_wait_fd): no queue is woken for
	 * them, so epoll's edge-triggered mode compares readiness instead */
	return sock_of(f)->hs ? NULL : &sock_of(f)->wq;
}

static long
sock_ioctl(struct file *f, unsigned long cmd, void *arg)
{
	struct usock *u = sock_of(f);

	switch (cmd) {
	case FIONREAD: /* SIOCINQ */
		if (u->hs)
			return hsock_inq(u->hs, (int *)arg);
		if (u->state == SS_LISTEN)
			return -EINVAL;
		if (u->type == SOCK_STREAM)
			*(int *)arg = (int)MIN(rq_unread(u) + u->oob_lost, INT_MAX);
		else
			*(int *)arg = u->rq ? (int)u->rq->len : 0;
		return 0;
	case SIOCGSTAMP:
	case SIOCGSTAMPNS: { /* sock_gettstamp */
		long long ns;

		if (u->family != AF_INET && u->family != AF_INET6)
			return -ENOTTY;
		if (u->stamp_state == 0)
			return -ENOENT;
		if (u->stamp_state == 1) {
			u->stamp = realtime_ns();
			u->stamp_state = 2;
		}
		ns = u->stamp;
		if (cmd == SIOCGSTAMP)
			*(struct timeval *)arg = (struct timeval){ ns / 1000000000LL,
								   ns % 1000000000LL / 1000 };
		else
			*(struct timespec *)arg = (struct timespec){ ns / 1000000000LL,
								     ns % 1000000000LL };
		return 0;
	}
	case TIOCOUTQ: /* SIOCOUTQ */
		*(int *)arg = 0;
		return 0;
	case SIOCATMARK: /* TCP: at the urgent mark; unix: unix_at_mark */
		if (u->type != SOCK_STREAM) /* (unix_ioctl knows it, for streams only) */
			return u->family == AF_UNIX ? -EOPNOTSUPP : -ENOTTY;
		if (u->hs)
			return hsock_atmark(u->hs, (int *)arg);
		if (u->family == AF_UNIX)
			*(int *)arg = unix_at_mark(u);
		else
			*(int *)arg = u->urg && u->urg_seq == u->copied_seq;
		return 0;
	case SIOCSIFFLAGS: { /* lo's IFF_UP (dev_ifsioc: CAP_NET_ADMIN over the namespace) */
		char *name = arg;
		short fl;
		unsigned int fixed = IFF_LOOPBACK | IFF_RUNNING | IFF_LOWER_UP;

		if (!task_ns_capable(current_task, ns_owner(&u->net->ns), CAP_NET_ADMIN))
			return -EPERM;
		name[IFNAMSIZ - 1] = '\0';
		if (strcmp(name, "lo"))
			return netdev_find(u->net, name) ? -EOPNOTSUPP : -ENODEV;
		memcpy(&fl, name + IFNAMSIZ, sizeof(fl));
		if (((unsigned short)fl & ~(IFF_UP | fixed)) != (lo_flags(u->net) & ~(IFF_UP | fixed)))
			return -EOPNOTSUPP;
		lo_set_up(u->net, (fl & IFF_UP) != 0);
		return 0;
	}
	case SIOCSIFMTU: { /* lo's MTU (dev_set_mtu: loopback has no bounds but 0) */
		char *name = arg;
		int mtu;

		if (!task_ns_capable(current_task, ns_owner(&u->net->ns), CAP_NET_ADMIN))
			return -EPERM;
		name[IFNAMSIZ - 1] = '\0';
		if (strcmp(name, "lo"))
			return netdev_find(u->net, name) ? -EOPNOTSUPP : -ENODEV;
		memcpy(&mtu, name + IFNAMSIZ, sizeof(mtu));
		if (mtu < 0)
			return -EINVAL;
		lo_set_mtu(u->net, mtu);
		return 0;
	}
	case SIOCGIFHWADDR:
	case SIOCGIFNETMASK:
	case SIOCGIFADDR: { /* lo: a zero loopback hardware address, its first IPv4 address */
		char *name = arg;
		struct sockaddr_in in = { .sin_family = AF_INET };
		struct sockaddr hw = { .sa_family = ARPHRD_LOOPBACK };
		struct lo_addr *la;

		if (strncmp(name, "lo", IFNAMSIZ))
			return -ENODEV;
		DL_FOREACH(u->net->lo_addrs, la)
			if (la->family == AF_INET)
				break;
		if (cmd != SIOCGIFHWADDR && !la)
			return -EADDRNOTAVAIL; /* devinet_ioctl: no such address */
		if (la)
			in.sin_addr.s_addr = htonl(cmd == SIOCGIFNETMASK ? mask4(la->prefixlen)
									 : la->v4);
		if (cmd == SIOCGIFHWADDR)
			memcpy(name + IFNAMSIZ, &hw, sizeof(hw));
		else
			memcpy(name + IFNAMSIZ, &in, sizeof(in));
		return 0;
	}
	case SIOCGIFINDEX:
	case SIOCGIFNAME:
	case SIOCGIFFLAGS:
	case SIOCGIFTXQLEN:
	case SIOCGIFMTU: { /* struct ifreq: name[16], then the union */
		char *name = arg;
		int v;

		if (cmd == SIOCGIFNAME) {
			const char *dev;

			memcpy(&v, name + IFNAMSIZ, sizeof(v));
			if (!(dev = netdev_name(u->net, v)))
				return -ENODEV;
			memset(name, 0, IFNAMSIZ);
			memcpy(name, dev, strlen(dev) + 1);
			return 0;
		}
		if (strncmp(name, "lo", IFNAMSIZ)) { /* a tun device: down, point-to-point */
			char n[IFNAMSIZ] = { 0 };
			struct netdev *d;

			memcpy(n, name, IFNAMSIZ - 1);
			if (!(d = netdev_find(u->net, n)))
				return -ENODEV;
			v = cmd == SIOCGIFINDEX ? d->index : cmd == SIOCGIFMTU ? 1500 :
			    cmd == SIOCGIFTXQLEN ? 500 :
			    d->tap ? IFF_BROADCAST | IFF_MULTICAST :
			    IFF_POINTOPOINT | IFF_NOARP | IFF_MULTICAST;
			if (cmd == SIOCGIFFLAGS) {
				short fl = (short)v;
				memcpy(name + IFNAMSIZ, &fl, sizeof(fl));
			} else {
				memcpy(name + IFNAMSIZ, &v, sizeof(v));
			}
			return 0;
		}
		v = cmd == SIOCGIFINDEX ? 1 : cmd == SIOCGIFMTU ? u->net->mtu : cmd == SIOCGIFTXQLEN ? 1000
		    : (int)lo_flags(u->net);
		if (cmd == SIOCGIFFLAGS) {
			short fl = (short)v;
			memcpy(name + IFNAMSIZ, &fl, sizeof(fl));
		} else {
			memcpy(name + IFNAMSIZ, &v, sizeof(v));
		}
		return 0;
	}
	}
	return -ENOTTY;
}

static const struct file_ops sock_fops = {
	.read = sock_read,
	.write = sock_write,
	.llseek = no_llseek,
	.ioctl = sock_ioctl,
	.poll = sock_poll,
	.waitq = sock_waitq,
	.wakes_tell = true,
	.wait_fd = sock_wait_fd,
	.release = sock_release_file,
};

/* ---- options ---- */

#ifndef SOL_UDPLITE
#define SOL_UDPLITE 136
#endif
#ifndef UDPLITE_SEND_CSCOV
#define UDPLITE_SEND_CSCOV 10
#define UDPLITE_RECV_CSCOV 11
#endif

/* Is level one a UDP or UDP-Lite socket u takes its own options at? Linux's udp_setsockopt
 * and udp_getsockopt take both SOL_UDP and SOL_UDPLITE on either. */
static bool
is_udp_level(const struct usock *u, int level)
{
	return (level == IPPROTO_UDP || level == SOL_UDPLITE) && u->type == SOCK_DGRAM &&
	       (u->protocol == IPPROTO_UDP || u->protocol == IPPROTO_UDPLITE);
}

/* An IPPROTO_IP/IPV6/TCP/UDP option of inet socket u; INT_MIN: none such (ENOPROTOOPT). */
static int
inet_getopt(struct usock *u, int level, int name)
{
	if (level == IPPROTO_TCP && u->type == SOCK_STREAM) {
		switch (name) {
		case TCP_NODELAY: return u->nodelay;
		case TCP_MAXSEG: /* the user's value before a connection, else loopback's */
			if (u->state != SS_CONNECTED)
				return u->tcp.user_mss ? u->tcp.user_mss : 536;
			return 65483;
		case TCP_KEEPIDLE: return u->tcp.keepidle;
		case TCP_KEEPINTVL: return u->tcp.keepintvl;
		case TCP_KEEPCNT: return u->tcp.keepcnt;
		case TCP_CORK: return u->tcp.cork;
		case TCP_QUICKACK: return u->tcp.quickack;
		case TCP_USER_TIMEOUT: return u->tcp.user_timeout;
		case TCP_LINGER2: return u->tcp.linger2 < 0 ? -1 : u->tcp.linger2 ? u->tcp.linger2 : 60;
		case TCP_DEFER_ACCEPT: return tcp_defer_secs(u->tcp.defer_retrans);
		case TCP_SYNCNT: return u->tcp.syncnt;
		case TCP_WINDOW_CLAMP: return u->tcp.window_clamp;
		case TCP_INQ: return u->tcp.inq;
		}
		return INT_MIN;
	}
	if (is_udp_level(u, level)) {
		switch (name) { /* Linux udp_lib_getsockopt (the coverages stay 0 on UDP) */
		case UDP_CORK: return u->udp.cork;
		case UDP_ENCAP: return u->udp.encap;
		case UDP_NO_CHECK6_TX: return u->udp.no_check6_tx;
		case UDP_NO_CHECK6_RX: return u->udp.no_check6_rx;
		case UDP_SEGMENT: return u->udp.gso_size;
		case UDP_GRO: return u->udp.gro;
		case UDPLITE_SEND_CSCOV: return u->cscov_send;
		case UDPLITE_RECV_CSCOV: return u->cscov_recv;
		}
		return INT_MIN;
	}
	if (level == IPPROTO_IPV6 && u->family == AF_INET6) {
		switch (name) {
		case IPV6_V6ONLY: return u->v6only;
		case IPV6_UNICAST_HOPS: return u->hops >= 0 ? u->hops : 64;
		case IPV6_MTU_DISCOVER: return u->pmtudisc;
		case IPV6_RECVPKTINFO: return u->pktinfo6;
		case IPV6_RECVERR: return u->recverr6;
		case IPV6_RECVORIGDSTADDR: return u->origdst6;
		case IPV6_TCLASS: return u->tclass;
		case IPV6_RECVHOPLIMIT: return u->rx_hoplimit;
		case IPV6_RECVTCLASS: return u->rx_tclass;
		case IPV6_MULTICAST_HOPS: return u->mc6_hops;
		case IPV6_MULTICAST_LOOP: return u->mc6_loop;
		case IPV6_MULTICAST_IF: return u->mc6_if;
		}
		return INT_MIN;
	}
	if (level == IPPROTO_IP) {
		switch (name) {
		case IP_TTL: return u->ttl >= 0 ? u->ttl : 64;
		case IP_MTU_DISCOVER: return u->pmtudisc;
		case IP_MULTICAST_TTL: return u->mc_ttl;
		case IP_MULTICAST_LOOP: return u->mc_loop;
		case IP_MULTICAST_ALL: return u->mc_all;
		case IP_PKTINFO: return u->pktinfo;
		case IP_RECVORIGDSTADDR: return u->origdst;
		case IP_TOS: return u->tclass;
		case IP_RECVTTL: return u->rx_ttl;
		case IP_RECVERR: return u->recverr;
		case IP_RECVTOS: return u->rx_tos;
		}
	}
	return INT_MIN;
}

/* UDP_CORK / MSG_MORE: what u held goes as one datagram, to where the first part was
 * sent (Linux udp_push_pending_frames). */
static ssize_t
udp_push(struct task *t, struct usock *u)
{
	char *data = u->udp.pend;
	struct sockaddr_un to = u->udp.pend_to;
	struct waitq *wq;

	u->udp.pend = NULL;
	u->udp.pending = false;
	ssize_t r = sock_sendmsg(t, u->file, data ? data : "", u->udp.pend_len, NULL, 0, &to,
				 u->udp.pend_tolen, NULL, &wq);
	u->udp.pend_len = 0;
	free(data);
	return r;
}

/* Linux udp_lib_setsockopt, v the int given. */
static int
udp_setopt(struct usock *u, int name, int v)
{
	switch (name) {
	case UDP_CORK: /* uncorked, what was held goes */
		u->udp.cork = v != 0;
		if (!v && u->udp.pending)
			udp_push(current_task, u);
		return 0;
	case UDP_ENCAP: /* none, ESP in UDP (xfrm), L2TP */
		if (v != 0 && v != UDP_ENCAP_ESPINUDP && v != UDP_ENCAP_L2TPINUDP)
			return -ENOPROTOOPT;
		u->udp.xfrm |= v != UDP_ENCAP_L2TPINUDP;
		u->udp.encap = v;
		return 0;
	case UDP_NO_CHECK6_TX:
		u->udp.no_check6_tx = v != 0;
		return 0;
	case UDP_NO_CHECK6_RX:
		u->udp.no_check6_rx = v != 0;
		return 0;
	case UDP_SEGMENT:
		if (v < 0 || v > 0xffff)
			return -EINVAL;
		u->udp.gso_size = v;
		return 0;
	case UDP_GRO:
		u->udp.gro = v != 0;
		return 0;
	case UDPLITE_SEND_CSCOV:
	case UDPLITE_RECV_CSCOV:
		if (u->protocol != IPPROTO_UDPLITE)
			return -ENOPROTOOPT;
		v = v != 0 && v < 8 ? 8 : MIN(v, 0xffff);
		*(name == UDPLITE_SEND_CSCOV ? &u->cscov_send : &u->cscov_recv) = v;
		return 0;
	}
	return -ENOPROTOOPT;
}

/* lo's all-nodes groups, which it holds from its start (ipv6_add_dev) */
static long
mc6_allnodes(const struct in6_addr *g)
{
	static const struct in6_addr if1 = { { { 0xff, 1, [15] = 1 } } };
	static const struct in6_addr ll1 = { { { 0xff, 2, [15] = 1 } } };

	return IN6_ARE_ADDR_EQUAL(g, &if1) ? -2 : IN6_ARE_ADDR_EQUAL(g, &ll1) ? -1 : 0;
}

/* When group g on interface ifindex came to be: lo's own all-nodes ones, another
 * member's, or now (as mc_born). */
static long
mc6_born(struct net_ns *n, const struct in6_addr *g, int ifindex, struct usock *u)
{
	struct usock *o;

	if (ifindex == LOOPBACK_IFINDEX && mc6_allnodes(g))
		return mc6_allnodes(g);
	DL_FOREACH(all_socks, o)
		if (o != u && o->net == n)
			for (int i = 0; i < o->nmc6; i++)
				if (o->mc6[i].ifindex == ifindex && IN6_ARE_ADDR_EQUAL(&o->mc6[i].grp, g))
					return o->mc6[i].born;
	return (long)++n->mc_seq;
}

/* Linux ipv6_sock_mc_join: a membership of group grp on interface ifindex (0: the one the
 * route to the group leaves by; there is none here, as in a namespace with only lo). */
static int
mc6_join(struct usock *u, const struct in6_addr *grp, int ifindex)
{
	struct mc6_member *m;

	if (!IN6_IS_ADDR_MULTICAST(grp))
		return -EINVAL;
	for (int i = 0; i < u->nmc6; i++)
		if ((!ifindex || u->mc6[i].ifindex == ifindex) &&
		    IN6_ARE_ADDR_EQUAL(&u->mc6[i].grp, grp))
			return -EADDRINUSE;
	if (u->nmc6 >= MC6_MAX_MEMBERSHIPS)
		return -ENOMEM;
	if (!ifindex || !netdev_name(u->net, ifindex))
		return -ENODEV;
	m = realloc(u->mc6, (size_t)(u->nmc6 + 1) * sizeof(*m));
	if (!m)
		return -ENOMEM;
	u->mc6 = m;
	u->mc6[u->nmc6++] = (struct mc6_member){ .grp = *grp, .ifindex = ifindex,
						 .born = mc6_born(u->net, grp, ifindex, u) };
	return 0;
}

/* Linux ipv6_sock_mc_drop: the first membership of grp on ifindex (0: on any). */
static int
mc6_leave(struct usock *u, const struct in6_addr *grp, int ifindex)
{
	if (!IN6_IS_ADDR_MULTICAST(grp))
		return -EINVAL;
	for (int i = 0; i < u->nmc6; i++) {
		if ((ifindex && u->mc6[i].ifindex != ifindex) ||
		    !IN6_ARE_ADDR_EQUAL(&u->mc6[i].grp, grp))
			continue;
		memmove(&u->mc6[i], &u->mc6[i + 1], (size_t)(u->nmc6 - i - 1) * sizeof(*u->mc6));
		u->nmc6--;
		return 0;
	}
	return -EADDRNOTAVAIL;
}

/* IPV6_ADD_MEMBERSHIP / _DROP_ (struct ipv6_mreq; not on TCP: EPROTO) and MCAST_JOIN_GROUP
 * / _LEAVE_GROUP (struct group_req, any socket) at IPPROTO_IPV6, as do_ipv6_setsockopt. */
static int
mc6_setopt(struct usock *u, int name, const void *val, socklen_t len)
{
	struct ipv6_mreq mr;
	struct group_req gr;
	bool join = name == IPV6_ADD_MEMBERSHIP || name == MCAST_JOIN_GROUP;

	if (name == IPV6_ADD_MEMBERSHIP || name == IPV6_DROP_MEMBERSHIP) {
		if (len < sizeof(mr))
			return -EINVAL;
		if (u->type == SOCK_STREAM)
			return -EPROTO;
		memcpy(&mr, val, sizeof(mr));
		return join ? mc6_join(u, &mr.ipv6mr_multiaddr, (int)mr.ipv6mr_interface) :
			      mc6_leave(u, &mr.ipv6mr_multiaddr, (int)mr.ipv6mr_interface);
	}
	if (len < sizeof(gr))
		return -EINVAL;
	memcpy(&gr, val, sizeof(gr));
	if (gr.gr_group.ss_family != AF_INET6)
		return -EADDRNOTAVAIL;
	const struct in6_addr *g = &((const struct sockaddr_in6 *)&gr.gr_group)->sin6_addr;

	return join ? mc6_join(u, g, (int)gr.gr_interface) : mc6_leave(u, g, (int)gr.gr_interface);
}

/* Linux do_ipv6_setsockopt's multicast sending options, v the int given. */
static int
mc6_sendopt(struct usock *u, int name, int v)
{
	if (name == IPV6_MULTICAST_LOOP) {
		if (v != 0 && v != 1)
			return -EINVAL;
		u->mc6_loop = v;
		return 0;
	}
	if (u->type == SOCK_STREAM)
		return -ENOPROTOOPT;
	if (name == IPV6_MULTICAST_HOPS) {
		if (v < -1 || v > 255)
			return -EINVAL;
		u->mc6_hops = v == -1 ? 1 : v;
		return 0;
	}
	if (v && !netdev_name(u->net, v))
		return -ENODEV;
	if (v && u->bound_dev && u->bound_dev != v)
		return -EINVAL; /* not the interface it is bound to */
	u->mc6_if = v;
	return 0;
}

/* Known IPv4 numbers do_ip_setsockopt has no case for (IP_PKTOPTIONS, IP_MTU and
 * IP_PROTOCOL are read only) or takes on raw sockets only. */
static bool
ip_set_unknown(const struct usock *u, int name)
{
	if (name == IP_HDRINCL || name == IP_NODEFRAG)
		return u->type != SOCK_RAW;
	return name == IP_PKTOPTIONS || name == IP_MTU || name == 52 /* IP_PROTOCOL */;
}

/* Numbers do_ipv6_setsockopt has no case for: unassigned, read only (IPV6_HOPLIMIT and
 * IPV6_PATHMTU are control messages), or raw sockets' (IPV6_CHECKSUM and IPV6_HDRINCL in
 * rawv6_setsockopt, IPV6_ROUTER_ALERT in ip6_ra_control). IPV6_FREEBIND (78) is the last. */
static bool
ipv6_set_unknown(const struct usock *u, int name)
{
	switch (name) {
	case IPV6_CHECKSUM:
	case IPV6_ROUTER_ALERT:
	case 36: /* IPV6_HDRINCL */
		return u->type != SOCK_RAW;
	case 0:
	case IPV6_NEXTHOP:
	case IPV6_AUTHHDR:
	case 12 ... 15:
	case 37 ... 41:
	case IPV6_HOPLIMIT:
	case IPV6_PATHMTU:
	case 63:
	case 68:
	case 69:
	case 71:
		return true;
	}
	return name < 0 || name > 78;
}

/* IPV6_ADDRFORM (Linux do_ipv6_setsockopt): a connected TCP or UDP socket whose peer is
 * IPv4 (v4-mapped) becomes an AF_INET one; its names show as IPv4 from then on and IPv6's
 * options no longer apply (ENOPROTOOPT). Only AF_INET may be asked for. */
static int
ipv6_addrform(struct usock *u, int v)
{
	const struct sockaddr_un *peer;
	struct sockaddr_un tmp;
	uint32_t ip;

	if (v != AF_INET)
		return -EINVAL;
	if (u->protocol != IPPROTO_TCP && u->protocol != IPPROTO_UDP &&
	    u->protocol != IPPROTO_UDPLITE)
		return -ENOPROTOOPT;
	if (u->type == SOCK_DGRAM && u->udp.pending)
		return -EBUSY; /* held data waits to go as IPv6 */
	if (u->type == SOCK_STREAM ? u->state != SS_CONNECTED || (!u->peer && !u->hs) :
	    !u->has_dst)
		return -ENOTCONN;
	if (u->hs) { /* the host's connection: the host converts it */
		int err = host_socket_setopt(hsock_fd(u->hs), IPPROTO_IPV6, IPV6_ADDRFORM, &v,
					     sizeof(v));

		if (err)
			return err;
	} else {
		peer = u->type == SOCK_STREAM ? &u->peer->addr : &u->dst;
		if (u->v6only || !inet_v4(peer, &ip))
			return -EADDRNOTAVAIL;
	}
	u->family = AF_INET;
	if (u->addrlen) {
		tmp = u->addr;
		u->addrlen = inet_convert(AF_INET, &tmp, &u->addr);
	}
	if (u->has_dst) {
		tmp = u->dst;
		inet_convert(AF_INET, &tmp, &u->dst);
	}
	memset(&u->closed_name, 0, sizeof(u->closed_name));
	return 0;
}

static int
inet_setopt(struct usock *u, int level, int name, const void *val, socklen_t len)
{
	int v = 0;

	/* option numbers Linux's do_tcp_setsockopt / do_ip_setsockopt do not know */
	if (level == IPPROTO_TCP && u->type == SOCK_STREAM && (name < TCP_NODELAY || name > 46))
		return -ENOPROTOOPT;
	if (level == IPPROTO_IP && (name < IP_TOS || (name > 26 && name < IP_MULTICAST_IF) ||
				    name > 52 || ip_set_unknown(u, name)))
		return -ENOPROTOOPT;
	if (level == IPPROTO_IPV6 && u->family == AF_INET6 && ipv6_set_unknown(u, name))
		return -ENOPROTOOPT; /* before the value's size, as Linux's switch default */
	if (level == IPPROTO_IP && len < sizeof(int) &&
	    (name == IP_TOS || name == IP_TTL || name == IP_RECVTTL || name == IP_RECVTOS ||
	     name == IP_MULTICAST_TTL || name == IP_MULTICAST_LOOP || name == IP_PKTINFO ||
	     name == IP_RECVORIGDSTADDR || name == IP_MULTICAST_ALL || name == IP_RECVERR))
		/* Linux takes one byte for these, and nothing (0) from an empty value */
		v = len > 0 ? *(const unsigned char *)val : 0;
	else if (len < sizeof(int))
		return -EINVAL;
	else
		memcpy(&v, val, sizeof(v));
	if (level == IPPROTO_TCP && u->type == SOCK_STREAM) {
		switch (name) { /* Linux's do_tcp_setsockopt checks */
		case TCP_NODELAY: /* pushes what is pending, corked or not */
			u->nodelay = v != 0;
			if (v)
				cork_push(u, u->cork_len);
			return 0;
		case TCP_CORK:
			u->tcp.cork = v != 0;
			if (!v)
				cork_push(u, u->cork_len);
			return 0;
		case TCP_QUICKACK: u->tcp.quickack = v != 0; return 0;
		case TCP_MAXSEG:
			if (v && (v < 88 || v > 32767))
				return -EINVAL;
			u->tcp.user_mss = v;
			return 0;
		case TCP_KEEPIDLE:
		case TCP_KEEPINTVL:
			if (v < 1 || v > 32767)
				return -EINVAL;
			*(name == TCP_KEEPIDLE ? &u->tcp.keepidle : &u->tcp.keepintvl) = v;
			return 0;
		case TCP_KEEPCNT:
			if (v < 1 || v > 127)
				return -EINVAL;
			u->tcp.keepcnt = v;
			return 0;
		case TCP_USER_TIMEOUT:
			if (v < 0)
				return -EINVAL;
			u->tcp.user_timeout = v;
			return 0;
		case TCP_LINGER2:
			u->tcp.linger2 = v < 0 ? -1 : MIN(v, 120);
			return 0;
		case TCP_DEFER_ACCEPT: { /* seconds to retransmissions (secs_to_retrans) */
			int res = 0;

			if (v > 0) {
				int timeout = 1, period = 1;

				res = 1;
				while (v > period && res < 255) {
					res++;
					timeout = MIN(timeout * 2, 120);
					period += timeout;
				}
			}
			u->tcp.defer_retrans = res;
			return 0;
		}
		case TCP_SYNCNT:
			if (v < 1 || v > 127)
				return -EINVAL;
			u->tcp.syncnt = v;
			return 0;
		case TCP_WINDOW_CLAMP:
			if (!v) {
				if (u->state != SS_UNCONN)
					return -EINVAL;
				u->tcp.window_clamp = 0;
				return 0;
			}
			u->tcp.window_clamp = MAX(v, SOCK_RCVBUF_MIN / 2);
			return 0;
		case TCP_INQ:
			if (v < 0 || v > 1)
				return -EINVAL;
			u->tcp.inq = v;
			return 0;
		}
		return 0;
	}
	if (is_udp_level(u, level))
		return udp_setopt(u, name, v);
	if (level == IPPROTO_IPV6 && u->family == AF_INET6) {
		switch (name) {
		case IPV6_ADDRFORM:
			return ipv6_addrform(u, v);
		case IPV6_V6ONLY:
			if (u->addrlen)
				return -EINVAL;
			u->v6only = v != 0;
			return 0;
		case IPV6_UNICAST_HOPS:
		case IPV6_TCLASS:
			if (v < -1 || v > 255)
				return -EINVAL;
			if (name == IPV6_UNICAST_HOPS)
				u->hops = v;
			else
				u->tclass = v < 0 ? 0 : v;
			return 0;
		case IPV6_MTU_DISCOVER:
			if (v < IPV6_PMTUDISC_DONT || v > IPV6_PMTUDISC_OMIT)
				return -EINVAL;
			u->pmtudisc = v;
			return 0;
		case IPV6_RECVERR:
			u->recverr6 = v != 0;
			if (!v)
				errq_purge(u);
			return 0;
		case IPV6_RECVPKTINFO: u->pktinfo6 = v != 0; return 0;
		case IPV6_RECVORIGDSTADDR: u->origdst6 = v != 0; return 0;
		case IPV6_RECVHOPLIMIT: u->rx_hoplimit = v != 0; return 0;
		case IPV6_RECVTCLASS: u->rx_tclass = v != 0; return 0;
		case IPV6_MULTICAST_HOPS:
		case IPV6_MULTICAST_IF:
		case IPV6_MULTICAST_LOOP:
			return mc6_sendopt(u, name, v);
		case IPV6_ADD_MEMBERSHIP:
		case IPV6_DROP_MEMBERSHIP:
		case MCAST_JOIN_GROUP:
		case MCAST_LEAVE_GROUP:
			return mc6_setopt(u, name, val, len);
		}
		return 0;
	}
	if (level == IPPROTO_IP) {
		switch (name) {
		case IP_TTL:
			if (v != -1 && (v < 1 || v > 255))
				return -EINVAL;
			u->ttl = v; /* apart from IPV6_UNICAST_HOPS, as on Linux */
			return 0;
		case IP_TOS: u->tclass = v & 0xff; return 0;
		case IP_MTU_DISCOVER:
			if (v < IP_PMTUDISC_DONT || v > IP_PMTUDISC_OMIT)
				return -EINVAL;
			u->pmtudisc = v;
			return 0;
		case IP_MULTICAST_TTL:
			if (v == -1)
				v = 1;
			if (v < 0 || v > 255)
				return -EINVAL;
			u->mc_ttl = v;
			return 0;
		case IP_MULTICAST_LOOP: u->mc_loop = v != 0; return 0;
		case IP_PKTINFO: u->pktinfo = v != 0; return 0;
		case IP_RECVORIGDSTADDR: u->origdst = v != 0; return 0;
		case IP_ADD_MEMBERSHIP:
		case IP_DROP_MEMBERSHIP: {
			struct ip_mreqn m = { 0 }; /* an ip_mreq's interface is the address */

			if (u->type == SOCK_STREAM)
				return -EPROTO;
			if (len < sizeof(struct ip_mreq))
				return -EINVAL;
			memcpy(&m, val, len >= sizeof(m) ? sizeof(m) : sizeof(struct ip_mreq));
			return name == IP_ADD_MEMBERSHIP ? mc_join(u, &m) : mc_leave(u, &m);
		}
		case IP_MULTICAST_IF: {
			struct ip_mreqn m = { 0 };

			if (u->type == SOCK_STREAM)
				return -EINVAL;
			if (len >= sizeof(m))
				memcpy(&m, val, sizeof(m));
			else if (len >= sizeof(struct ip_mreq))
				memcpy(&m, val, sizeof(struct ip_mreq));
			else /* (len >= 4: an in_addr) */
				memcpy(&m.imr_address, val, sizeof(m.imr_address));
			if (!m.imr_ifindex) {
				uint32_t a = ntohl(m.imr_address.s_addr);

				if (!a) {
					u->mc_index = 0;
					u->mc_addr = 0;
					return 0;
				}
				if (!ip4_local(u->net, a))
					return -EADDRNOTAVAIL; /* no interface has it */
				m.imr_ifindex = LOOPBACK_IFINDEX;
			} else if (m.imr_ifindex != LOOPBACK_IFINDEX) {
				return -EADDRNOTAVAIL;
			}
			u->mc_index = m.imr_ifindex;
			u->mc_addr = m.imr_address.s_addr;
			return 0;
		}
		case MCAST_JOIN_GROUP:
		case MCAST_LEAVE_GROUP: {
			/* Linux ip_mcast_join_leave: a group_req naming an IPv4 group. Unlike
			 * IP_ADD_MEMBERSHIP, stream sockets may join too (one accept makes starts
			 * with none, as since CVE-2017-8890). */
			struct ip_mreqn m = { 0 };
			struct sockaddr_in g;
			uint32_t ifindex;

			if (len < sizeof(struct group_req))
				return -EINVAL;
			memcpy(&ifindex, val, sizeof(ifindex));
			memcpy(&g, (const char *)val + offsetof(struct group_req, gr_group), sizeof(g));
			if (g.sin_family != AF_INET)
				return -EINVAL;
			m.imr_multiaddr = g.sin_addr;
			m.imr_ifindex = (int)ifindex;
			return name == MCAST_JOIN_GROUP ? mc_join(u, &m) : mc_leave(u, &m);
		}
		case IP_MULTICAST_ALL: u->mc_all = v != 0; return 0;
		case IP_RECVTTL: u->rx_ttl = v != 0; return 0;
		case IP_RECVTOS: u->rx_tos = v != 0; return 0;
		case IP_RECVERR:
			u->recverr = v != 0;
			if (!v)
				errq_purge(u);
			return 0;
		}
		return 0;
	}
	return -ENOPROTOOPT;
}

/* TCP_INFO: Linux's struct tcp_info (DIAG_TCP_INFO_LEN bytes; glibc's is its first part). */
static void
tcp_info_fill(struct usock *u, unsigned char *info)
{
	struct tcp_info ti = { 0 };
	bool conn = u->state == SS_CONNECTED;

	ti.tcpi_state = conn ? TCP_ESTABLISHED : u->state == SS_LISTEN ? TCP_LISTEN : TCP_CLOSE;
	if (conn && u->reset)
		ti.tcpi_state = TCP_CLOSE;
	else if (conn && u->peer_closed) /* its FIN came: CLOSE_WAIT, LAST_ACK once ours went */
		ti.tcpi_state = (u->shutdown & SEND_SHUT) ? TCP_LAST_ACK : TCP_CLOSE_WAIT;
	else if (conn && (u->shutdown & SEND_SHUT))
		ti.tcpi_state = TCP_FIN_WAIT2;
	ti.tcpi_ca_state = 0; /* TCP_CA_Open */
	ti.tcpi_rto = conn ? 201000 : 1000000;
	ti.tcpi_ato = conn ? 40000 : 0;
	ti.tcpi_snd_mss = conn ? 65483 : 536;
	ti.tcpi_rcv_mss = 536;
	ti.tcpi_pmtu = 65535;
	ti.tcpi_rcv_ssthresh = 65483;
	ti.tcpi_snd_ssthresh = 0x7fffffff;
	ti.tcpi_snd_cwnd = 10;
	ti.tcpi_advmss = 65483;
	ti.tcpi_reordering = 3;
	ti.tcpi_rcv_space = 14600;
	memset(info, 0, DIAG_TCP_INFO_LEN);
	memcpy(info, &ti, MIN(sizeof(ti), (size_t)DIAG_TCP_INFO_LEN));
}

int
sock_getsockopt(struct file *f, int level, int name, void *val, socklen_t *len)
{
	struct usock *u = sock_of(f);
	int v;

	if (level == SOL_NETLINK && u->family == AF_NETLINK) {
		if (name == NETLINK_LIST_MEMBERSHIPS) { /* the group bits in u32s; the full size */
			socklen_t full = u->nl_has_groups ? (RTNLGRP_MAX + 31) / 32 * 4 : 0;

			for (socklen_t pos = 0; pos + 4 <= MIN(*len, full); pos += 4) {
				uint32_t w = (uint32_t)(u->nl_groups >> (pos * 8));
				memcpy((char *)val + pos, &w, 4);
			}
			*len = full;
			return 0;
		}
		if (name == NETLINK_PKTINFO || name == NETLINK_BROADCAST_ERROR ||
		    name == NETLINK_NO_ENOBUFS || name == NETLINK_LISTEN_ALL_NSID ||
		    name == NETLINK_CAP_ACK || name == NETLINK_EXT_ACK ||
		    name == NETLINK_GET_STRICT_CHK) {
			if (*len < sizeof(int))
				return -EINVAL;
			v = name == NETLINK_NO_ENOBUFS && u->nl_no_enobufs;
			*len = sizeof(int);
			memcpy(val, &v, sizeof(v));
			return 0;
		}
		return -ENOPROTOOPT;
	}
	if (level == IPPROTO_TCP && name == TCP_INFO && u->type == SOCK_STREAM &&
	    (u->family == AF_INET || u->family == AF_INET6)) {
		unsigned char info[DIAG_TCP_INFO_LEN];

		tcp_info_fill(u, info);
		*len = MIN(*len, (socklen_t)sizeof(info));
		memcpy(val, info, *len);
		return 0;
	}
	if (level == IPPROTO_TCP && name == TCP_CONGESTION && u->type == SOCK_STREAM &&
	    u->family != AF_UNIX) {
		char cc[16] = { 0 }; /* TCP_CA_NAME_MAX */

		snprintf(cc, sizeof(cc), "%s", u->tcp.reno ? "reno" : "cubic");
		*len = MIN(*len, (socklen_t)sizeof(cc));
		memcpy(val, cc, *len);
		return 0;
	}
	if (level == IPPROTO_IP && name == IP_MULTICAST_IF && u->family != AF_UNIX &&
	    u->family != AF_NETLINK) { /* the interface's address only (do_ip_getsockopt) */
		*len = MIN(*len, (socklen_t)sizeof(u->mc_addr));
		memcpy(val, &u->mc_addr, *len);
		return 0;
	}
	if (level != SOL_SOCKET && u->family != AF_UNIX) {
		v = inet_getopt(u, level, name);
		/* Linux ip_getsockopt: a level neither IP's nor the protocol's own is
		 * EOPNOTSUPP for IPv4 (ipv6_getsockopt says ENOPROTOOPT) */
		if (v == INT_MIN && u->family == AF_INET && level != IPPROTO_IP &&
		    level != (u->type == SOCK_STREAM ? IPPROTO_TCP : u->type == SOCK_DGRAM ?
			      IPPROTO_UDP : -1) && !is_udp_level(u, level))
			return -EOPNOTSUPP;
		if (v == INT_MIN)
			return -ENOPROTOOPT;
		if (level == IPPROTO_IP && name == IP_TOS && *len < sizeof(int) && *len > 0) {
			*len = 1; /* Linux gives a short buffer one byte */
			*(unsigned char *)val = (unsigned char)v;
			return 0;
		}
		*len = MIN(*len, (socklen_t)sizeof(int)); /* Linux copies what fits */
		memcpy(val, &v, *len);
		return 0;
	}
	if (level != SOL_SOCKET)
		return -EOPNOTSUPP;
	switch (name) {
	case SO_PEERNAME: { /* Linux: no peer ENOTCONN; a buffer longer than the name EINVAL */
		struct sockaddr_un a;
		socklen_t n = sizeof(a);

		if (sock_name(f, true, &a, &n) < 0)
			return -ENOTCONN;
		if (n < *len)
			return -EINVAL;
		memcpy(val, &a, *len);
		return 0;
	}
	case SO_GET_FILTER: /* (the program: sock_filter_prog) */
		if (u->has_filter)
			return -ENOPROTOOPT;
		*len = 0; /* sk_get_filter: none attached */
		return 0;
	case SO_MAX_PACING_RATE: /* an unsigned long if there is room, else 32 bits of it */
		if (*len >= sizeof(unsigned long)) {
			*len = sizeof(unsigned long);
			memcpy(val, &u->max_pacing_rate, sizeof(unsigned long));
			return 0;
		}
		v = (int)MIN(u->max_pacing_rate, (unsigned long)UINT_MAX);
		break;
	case SO_MEMINFO: { /* sk_get_meminfo; what is queued counted as the sandbox has it */
		uint32_t m[SK_MEMINFO_VARS] = { 0 };

		m[SK_MEMINFO_RMEM_ALLOC] = (uint32_t)(u->family == AF_NETLINK ? u->nl_rmem
									 : u->rq_bytes);
		m[SK_MEMINFO_RCVBUF] = (uint32_t)u->rcvbuf;
		m[SK_MEMINFO_WMEM_ALLOC] = (uint32_t)u->wmem;
		m[SK_MEMINFO_SNDBUF] = (uint32_t)u->sndbuf;
		*len = MIN(*len, (socklen_t)sizeof(m));
		memcpy(val, m, *len);
		return 0;
	}
	case SO_TXTIME:
		*len = MIN(*len, (socklen_t)sizeof(u->txtime));
		memcpy(val, &u->txtime, *len);
		return 0;
	case SO_NETNS_COOKIE: { /* exactly a u64 */
		uint64_t c = u->net->cookie;

		if (*len != sizeof(c))
			return -EINVAL;
		memcpy(val, &c, sizeof(c));
		return 0;
	}
	case SO_PEERCRED: {
		struct ucred c = { .pid = 0, .uid = (uid_t)-1, .gid = (gid_t)-1 };
		if (u->has_peercred)
			c = u->peercred;
		*len = MIN(*len, (socklen_t)sizeof(c));
		memcpy(val, &c, *len);
		return 0;
	}
	case SO_RCVTIMEO_OLD:
	case SO_SNDTIMEO_OLD:
	case SO_RCVTIMEO_NEW:
	case SO_SNDTIMEO_NEW: { /* (the new ones' struct is two 64-bit numbers, as timeval) */
		bool rcv = name == SO_RCVTIMEO_OLD || name == SO_RCVTIMEO_NEW;
		struct timeval tv = rcv ? u->rcvtimeo : u->sndtimeo;

		if (tv.tv_usec < 0)
			tv.tv_usec = 0;
		*len = MIN(*len, (socklen_t)sizeof(tv));
		memcpy(val, &tv, *len);
		return 0;
	}
	case SO_LINGER: {
		struct linger l = u->linger;
		*len = MIN(*len, (socklen_t)sizeof(l));
		memcpy(val, &l, *len);
		return 0;
	}
	case SO_COOKIE: { /* sock_gen_cookie: the id sock_diag shows */
		uint64_t c;

		if (*len < sizeof(c))
			return -EINVAL;
		c = diag_cookie(&u->cookie);
		*len = sizeof(c);
		memcpy(val, &c, sizeof(c));
		return 0;
	}
	case SO_PEERSEC:
		return -ENOPROTOOPT;
	case SO_BINDTODEVICE: { /* sock_getbindtodevice: the name and its NUL, or nothing */
		const char *dev = u->bound_dev ? netdev_name(u->net, u->bound_dev) : NULL;
		socklen_t n;

		if (!u->bound_dev) {
			*len = 0;
			return 0;
		}
		if (!dev)
			return -ENODEV; /* its interface went */
		n = (socklen_t)strlen(dev) + 1;
		if (*len < IFNAMSIZ)
			return -EINVAL; /* Linux wants room for any name */
		memcpy(val, dev, n);
		*len = n;
		return 0;
	}
	case SO_BINDTOIFINDEX: v = u->bound_dev; break;
	case SO_INCOMING_NAPI_ID: v = 0; break; /* no traffic here comes from a NAPI device */
	case SO_TYPE: v = u->type; break;
	case SO_DOMAIN: v = u->family; break;
	case SO_PROTOCOL:
		v = u->family == AF_UNIX ? 0 : u->protocol;
		break;
	case SO_ERROR: v = u->hs ? hsock_error(u->hs) : u->err; u->err = 0; break;
	case SO_ACCEPTCONN: v = u->state == SS_LISTEN; break;
	case SO_SNDBUF: v = u->sndbuf; break;
	case SO_RCVBUF: v = u->rcvbuf; break;
	case SO_PASSCRED:
	case SO_PASSSEC:
		if (!may_scm_recv(u))
			return -EOPNOTSUPP;
		v = name == SO_PASSCRED ? u->passcred : u->passsec;
		break;
	case SO_REUSEADDR: v = u->reuseaddr; break;
	case SO_REUSEPORT: v = u->reuseport; break;
	case SO_KEEPALIVE: v = u->keepalive; break;
	case SO_RCVLOWAT: v = u->rcvlowat; break;
	case SO_SNDLOWAT: v = 1; break;
	case SO_BROADCAST: v = u->broadcast; break;
	case SO_DONTROUTE: v = u->dontroute; break;
	case SO_OOBINLINE: v = u->oobinline; break;
	case SO_NO_CHECK: v = u->nocheck; break;
	case SO_PRIORITY: v = u->priority; break;
	case SO_MARK: v = u->mark; break;
	case SO_DEBUG: v = u->debug; break;
	case SO_BSDCOMPAT: v = 0; break;
	case SO_PEEK_OFF:
		if (u->family == AF_NETLINK)
			return -EOPNOTSUPP; /* no set_peek_off */
		v = u->peek_off;
		break;
	case SO_RXQ_OVFL: v = u->rxq_ovfl; break;
	case SO_WIFI_STATUS: v = u->wifi_status; break;
	case SO_NOFCS: v = u->nofcs; break;
	case SO_LOCK_FILTER: v = u->lock_filter; break;
	case SO_SELECT_ERR_QUEUE: v = u->select_err_queue; break;
	case SO_BUSY_POLL: v = u->busy_poll; break;
	case SO_PREFER_BUSY_POLL: v = u->prefer_busy_poll; break;
	case SO_BPF_EXTENSIONS: v = SKF_AD_MAX; break; /* bpf_tell_extensions */
	case SO_INCOMING_CPU: v = u->incoming_cpu; break;
	case SO_ZEROCOPY: v = u->zerocopy; break;
	case SO_BUF_LOCK: v = (u->sndbuf_lock ? SOCK_SNDBUF_LOCK : 0) |
			     (u->rcvbuf_lock ? SOCK_RCVBUF_LOCK : 0); break;
	case SO_RESERVE_MEM: v = 0; break;
	case SO_TXREHASH:
		if (!is_tcp(u))
			return -EOPNOTSUPP;
		v = u->txrehash;
		break;
	case SO_RCVMARK: v = u->rcvmark; break;
	case SO_PEERPIDFD: /* (sys_getsockopt makes the pidfd): the peer's pid */
		if (u->family != AF_UNIX || !u->has_peercred || u->peercred.pid <= 0)
			return -ENODATA; /* no sk_peer_pid */
		v = u->peercred.pid;
		break;
	case SO_PASSPIDFD:
		if (u->family != AF_UNIX)
			return -EOPNOTSUPP;
		v = u->passpidfd;
		break;
	case SO_TIMESTAMP_OLD: v = u->tstamp_opt == TSTAMP_ON && !u->tstamp_new; break;
	case SO_TIMESTAMPNS_OLD: v = (u->tstamp_opt & TSTAMP_NS) && !u->tstamp_new; break;
	case SO_TIMESTAMP_NEW: v = u->tstamp_opt && u->tstamp_new; break;
	case SO_TIMESTAMPNS_NEW: v = (u->tstamp_opt & TSTAMP_NS) && u->tstamp_new; break;
	case SO_TIMESTAMPING_OLD:
	case SO_TIMESTAMPING_NEW: { /* struct so_timestamping; _NEW: only if set by _NEW */
		int ts[2] = { 0, 0 }; /* flags, bind_phc (never bound here) */

		if (name == SO_TIMESTAMPING_OLD || u->tstamp_new)
			ts[0] = (int)u->tsflags;
		*len = MIN(*len, (socklen_t)sizeof(ts));
		memcpy(val, ts, *len);
		return 0;
	}
	default:
		return -ENOPROTOOPT;
	}
	*len = MIN(*len, (socklen_t)sizeof(int)); /* Linux copies what fits */
	memcpy(val, &v, *len);
	return 0;
}

/* Linux sock_set_timeout then sock_get_timeout: a timeout as whole jiffies, rounded up
 * (USEC_PER_SEC / HZ microseconds each), and read back from them; one too long for a
 * jiffy count (or none) is no timeout. */
static struct timeval
timeout_jiffies(struct timeval tv)
{
	long long per = 1000000 / sock_hz, j;

	if ((!tv.tv_sec && !tv.tv_usec) || tv.tv_sec >= LONG_MAX / sock_hz - 1)
		return (struct timeval){ 0 };
	j = (long long)tv.tv_sec * sock_hz + (tv.tv_usec + per - 1) / per;
	return (struct timeval){ .tv_sec = j / sock_hz,
				 .tv_usec = (j % sock_hz) * 1000000 / sock_hz };
}

/* SO_TIMESTAMPING (Linux sock_set_timestamping): flags (and a PHC to bind to) checked as
 * Linux checks them; send timestamps (looped to the error queue) are not made here:
 * EOPNOTSUPP for them. */
static int
set_timestamping(struct usock *u, int name, int flags)
{
	unsigned f = (unsigned)flags; /* (a struct so_timestamping's bind_phc: no PTP clock here) */

	if (f & ~SOF_TS_MASK)
		return -EINVAL;
	if ((f & SOF_TS_OPT_ID_TCP) && !(f & SOF_TIMESTAMPING_OPT_ID))
		return -EINVAL;
	if ((f & SOF_TIMESTAMPING_OPT_ID) && !(u->tsflags & SOF_TIMESTAMPING_OPT_ID) && is_tcp(u) &&
	    u->state != SS_CONNECTED)
		return -EINVAL; /* a TCP socket's key starts from its sequence: connected only */
	if ((f & SOF_TIMESTAMPING_OPT_STATS) && !(f & SOF_TIMESTAMPING_OPT_TSONLY))
		return -EINVAL;
	if (f & SOF_TIMESTAMPING_BIND_PHC)
		return u->bound_dev ? -EINVAL : -EOPNOTSUPP; /* sock_timestamping_bind_phc */
	if (f & SOF_TS_TX_LOOPED)
		return -EOPNOTSUPP;
	u->tsflags = f;
	u->tstamp_new = name == SO_TIMESTAMPING_NEW;
	return 0;
}

static int
setsockopt_one(struct file *f, int level, int name, const void *val, socklen_t len)
{
	struct usock *u = sock_of(f);
	int v = 0;

	if (level == SOL_NETLINK && u->family == AF_NETLINK) {
		if (name == NETLINK_NO_ENOBUFS) { /* (a short value reads as 0) */
			if (len >= sizeof(int))
				memcpy(&v, val, sizeof(v));
			u->nl_no_enobufs = v != 0;
			return 0;
		}
		if (name != NETLINK_ADD_MEMBERSHIP && name != NETLINK_DROP_MEMBERSHIP)
			return 0; /* NETLINK_EXT_ACK, NETLINK_GET_STRICT_CHK...: nothing to change */
		if (len < sizeof(int))
			return -EINVAL;
		memcpy(&v, val, sizeof(v));
		if ((unsigned)v - 1 >= RTNLGRP_MAX)
			return -EINVAL;
		u->nl_has_groups = true;
		if (name == NETLINK_ADD_MEMBERSHIP)
			u->nl_groups |= 1ULL << (v - 1);
		else
			u->nl_groups &= ~(1ULL << (v - 1));
		return 0;
	}
	if (level == IPPROTO_TCP && name == TCP_CONGESTION && u->type == SOCK_STREAM &&
	    u->family != AF_UNIX) {
		char cc[16] = { 0 };

		memcpy(cc, val, MIN(len, sizeof(cc) - 1));
		if (strcmp(cc, "reno") && strcmp(cc, "cubic"))
			return -ENOENT; /* no such algorithm */
		u->tcp.reno = strcmp(cc, "reno") == 0;
		return 0;
	}
	if (level != SOL_SOCKET && u->family != AF_UNIX)
		return inet_setopt(u, level, name, val, len);
	if (level != SOL_SOCKET)
		return -EOPNOTSUPP;
	if (name != SO_BINDTODEVICE && len < sizeof(int))
		return -EINVAL; /* sk_setsockopt: an int at least (a name for BINDTODEVICE) */
	if (name == SO_RCVTIMEO_OLD || name == SO_SNDTIMEO_OLD || name == SO_RCVTIMEO_NEW ||
	    name == SO_SNDTIMEO_NEW) {
		struct timeval tv;
		if (len < sizeof(tv))
			return -EINVAL;
		memcpy(&tv, val, sizeof(tv));
		if (tv.tv_usec < 0 || tv.tv_usec >= 1000000)
			return -EDOM;
		if (tv.tv_sec < 0) { /* Linux: a timeout of zero jiffies, never wait (reads as 0) */
			tv.tv_sec = 0;
			tv.tv_usec = -1;
		} else {
			tv = timeout_jiffies(tv);
		}
		*(name == SO_RCVTIMEO_OLD || name == SO_RCVTIMEO_NEW ? &u->rcvtimeo
								     : &u->sndtimeo) = tv;
		return 0;
	}
	if (name == SO_LINGER) {
		struct linger l;

		if (len < sizeof(l))
			return -EINVAL;
		memcpy(&l, val, sizeof(l));
		u->linger.l_onoff = l.l_onoff != 0; /* off keeps the time (Linux) */
		if (l.l_onoff)
			u->linger.l_linger = l.l_linger;
		return 0;
	}
	if (name == SO_ATTACH_FILTER) {
		if (len < sizeof(struct sock_fprog))
			return -EINVAL; /* copy_bpf_fprog_from_user */
		if (u->lock_filter)
			return -EPERM;
		u->has_filter = true;
		return 0;
	}
	if (name == SO_DETACH_FILTER) {
		if (u->lock_filter)
			return -EPERM;
		if (!u->has_filter)
			return -ENOENT; /* sk_detach_filter: none attached */
		u->has_filter = false;
		free(u->filter);
		u->filter = NULL;
		u->filter_len = 0;
		return 0;
	}
	if (name == SO_BINDTODEVICE) { /* sock_setbindtodevice: a name, "" for none */
		char dev[IFNAMSIZ] = { 0 };
		int index = 0;

		memcpy(dev, val, MIN((size_t)len, (size_t)IFNAMSIZ - 1));
		if (dev[0] && !(index = netdev_index(u->net, dev)))
			return -ENODEV;
		u->bound_dev = index;
		return 0;
	}
	if (name == SO_BINDTOIFINDEX) {
		if (len < sizeof(int))
			return -EINVAL;
		memcpy(&v, val, sizeof(v));
		if (v < 0)
			return -EINVAL;
		u->bound_dev = v; /* sock_bindtoindex_locked: any index (no such one: ENODEV later) */
		return 0;
	}
	if (name == SO_MAX_PACING_RATE) { /* 32 bits (~0U: none), or an unsigned long */
		unsigned v32;

		memcpy(&v32, val, sizeof(v32));
		u->max_pacing_rate = v32 == ~0U ? ~0UL : v32;
		if (len >= sizeof(unsigned long))
			memcpy(&u->max_pacing_rate, val, sizeof(unsigned long));
		return 0;
	}
	if (name == SO_TXTIME) {
		struct sock_txtime tt;

		if (len != sizeof(tt))
			return -EINVAL;
		memcpy(&tt, val, sizeof(tt));
		if (tt.flags & ~(uint32_t)(SOF_TXTIME_DEADLINE_MODE | SOF_TXTIME_REPORT_ERRORS))
			return -EINVAL;
		u->txtime = tt; /* (lo's noqueue sends at once, whatever the time) */
		return 0;
	}
	if (name == SO_DEVMEM_DONTNEED) { /* tokens of device memory: none is ever given here */
		if (!is_tcp(u))
			return -EBADF;
		if (len % (2 * sizeof(uint32_t)) || len > 128 * 2 * sizeof(uint32_t))
			return -EINVAL;
		return 0;
	}
	if (len < sizeof(int))
		return -EINVAL;
	memcpy(&v, val, sizeof(v));
	switch (name) {
	case SO_SNDBUF:
	case SO_RCVBUF:
	case SO_SNDBUFFORCE:
	case SO_RCVBUFFORCE:
		/* Linux: the plain options clamp to {w,r}mem_max (unsigned), the FORCE ones
		 * (CAP_NET_ADMIN: guests are root) take any non-negative value; doubled */
		if (name == SO_SNDBUF || name == SO_RCVBUF)
			v = (int)MIN((unsigned)v,
				     (unsigned)net_buf(u->net, name == SO_SNDBUF ? P_NS_WMEM_MAX
										 : P_NS_RMEM_MAX));
		v = MIN(MAX(v, 0), INT_MAX / 2) * 2;
		/* (SOCK_SNDBUF_LOCK, SOCK_RCVBUF_LOCK: TCP leaves them as set) */
		if (name == SO_SNDBUF || name == SO_SNDBUFFORCE)
			u->sndbuf = MAX(v, SOCK_SNDBUF_MIN), u->sndbuf_lock = true;
		else
			u->rcvbuf = MAX(v, SOCK_RCVBUF_MIN), u->rcvbuf_lock = true;
		wake_senders(u);
		wake(u->peer); /* a TCP send waits on its peer */
		return 0;
	case SO_PASSCRED:
	case SO_PASSSEC:
		if (!may_scm_recv(u))
			return -EOPNOTSUPP;
		*(name == SO_PASSCRED ? &u->passcred : &u->passsec) = v != 0;
		return 0;
	case SO_REUSEADDR: u->reuseaddr = v != 0; return 0;
	case SO_REUSEPORT:
		if (v && u->family != AF_INET && u->family != AF_INET6)
			return -EOPNOTSUPP;
		u->reuseport = v != 0;
		return 0;
	case SO_DEBUG: u->debug = v != 0; return 0;
	case SO_BSDCOMPAT: return 0;
	case SO_PEEK_OFF: /* any number; a negative one: peeks start at the front */
		if (u->family == AF_NETLINK)
			return -EOPNOTSUPP;
		u->peek_off = v;
		return 0;
	case SO_RXQ_OVFL: u->rxq_ovfl = v != 0; return 0; /* (drop counts: none kept) */
	case SO_WIFI_STATUS: u->wifi_status = v != 0; return 0;
	case SO_NOFCS: u->nofcs = v != 0; return 0;
	case SO_SELECT_ERR_QUEUE: u->select_err_queue = v != 0; return 0;
	case SO_RCVMARK: u->rcvmark = v != 0; return 0;
	case SO_LOCK_FILTER:
		if (u->lock_filter && !v)
			return -EPERM; /* locked for good */
		u->lock_filter = v != 0;
		return 0;
	case SO_BUSY_POLL:
		if (v < 0)
			return -EINVAL;
		u->busy_poll = v;
		return 0;
	case SO_PREFER_BUSY_POLL: u->prefer_busy_poll = v != 0; return 0;
	case SO_BUSY_POLL_BUDGET: /* (kept by Linux, never read back) */
		return v < 0 || v > 65535 ? -EINVAL : 0;
	case SO_INCOMING_CPU: u->incoming_cpu = v; return 0;
	case SO_CNX_ADVICE: return 0; /* (a negative advice resets a route: none here) */
	case SO_BUF_LOCK:
		if (v & ~SOCK_BUF_LOCK_MASK)
			return -EINVAL;
		u->sndbuf_lock = v & SOCK_SNDBUF_LOCK;
		u->rcvbuf_lock = v & SOCK_RCVBUF_LOCK;
		return 0;
	case SO_RESERVE_MEM: /* sock_reserve_memory: no memory cgroup accounts sockets */
		return v < 0 ? -EINVAL : -EOPNOTSUPP;
	case SO_TXREHASH:
		if (!is_tcp(u))
			return -EOPNOTSUPP;
		if (v < -1 || v > 1)
			return -EINVAL;
		u->txrehash = v == -1 ? 1 : v; /* -1: net.core.txrehash */
		return 0;
	case SO_DETACH_REUSEPORT_BPF: /* reuseport_detach_prog: no program is ever attached */
		return u->reuseport ? -ENOENT : -EINVAL;
	case SO_ATTACH_BPF:
		if (u->lock_filter)
			return -EPERM; /* __get_bpf: before the descriptor */
		/* fall through */
	case SO_ATTACH_REUSEPORT_EBPF:
		/* an eBPF program's fd (sys_setsockopt: EBADF for none): no file here is one */
		return -EINVAL;
	case SO_ATTACH_REUSEPORT_CBPF:
		if (len < sizeof(struct sock_fprog))
			return -EINVAL;
		return -ENOPROTOOPT; /* (reuseport groups choose by hash only) */
	case SO_ZEROCOPY:
		if (u->family != AF_INET && u->family != AF_INET6 ? true :
		    u->type != SOCK_STREAM && (u->type != SOCK_DGRAM || u->protocol != IPPROTO_UDP))
			return -EOPNOTSUPP;
		if (v < 0 || v > 1)
			return -EINVAL;
		u->zerocopy = v;
		return 0;
	case SO_PASSPIDFD:
		if (u->family != AF_UNIX)
			return -EOPNOTSUPP;
		u->passpidfd = v != 0;
		return 0;
	case SO_KEEPALIVE: u->keepalive = v != 0; return 0;
	case SO_BROADCAST: u->broadcast = v != 0; return 0;
	case SO_DONTROUTE: u->dontroute = v != 0; return 0;
	case SO_OOBINLINE: u->oobinline = v != 0; return 0;
	case SO_NO_CHECK: u->nocheck = v != 0; return 0;
	case SO_PRIORITY: u->priority = v; return 0; /* (0..6 unprivileged: guests are root) */
	case SO_MARK: u->mark = v; return 0;
	case SO_RCVLOWAT: u->rcvlowat = v < 0 ? INT_MAX : v ? v : 1; return 0;
	case SO_SNDLOWAT: return -ENOPROTOOPT; /* Linux cannot change it */
	case SO_TIMESTAMP_OLD: /* Linux __sock_set_timestamps: on picks one, off is none */
	case SO_TIMESTAMPNS_OLD:
	case SO_TIMESTAMP_NEW:
	case SO_TIMESTAMPNS_NEW:
		u->tstamp_opt = !v ? 0 : TSTAMP_ON |
			(name == SO_TIMESTAMPNS_OLD || name == SO_TIMESTAMPNS_NEW ? TSTAMP_NS : 0);
		if (v)
			u->tstamp_new = name == SO_TIMESTAMP_NEW || name == SO_TIMESTAMPNS_NEW;
		return 0;
	case SO_TIMESTAMPING_OLD:
	case SO_TIMESTAMPING_NEW:
		return set_timestamping(u, name, v);
	}
	return -ENOPROTOOPT;
}

int
sock_setsockopt(struct file *f, int level, int name, const void *val, socklen_t len)
{
	struct usock *u = sock_of(f);
	int err = setsockopt_one(f, level, name, val, len), i;

	if (err || len < sizeof(int) || !gofer_net_sockopt_ok((uint32_t)level, (uint32_t)name) ||
	    (u->family != AF_INET && u->family != AF_INET6))
		return err;
	if (level == SOL_SOCKET && name == SO_LINGER && len < sizeof(struct linger))
		return 0;
	if (u->hs) { /* the host socket behaves so too (its own errors: Linux's answer stands) */
		hsock_setopt_raw(u->hs, level, name, val, len);
		return 0;
	}
	for (i = 0; i < u->nhopts; i++) /* kept for the host socket a connect may bring */
		if (u->hopts[i].level == level && u->hopts[i].name == name)
			break;
	if (i == SOCK_HOPTS_MAX)
		return 0;
	if (i == u->nhopts)
		u->nhopts++;
	u->hopts[i] = (struct sock_hopt){ .level = level, .name = name };
	memcpy(u->hopts[i].v, val, level == SOL_SOCKET && name == SO_LINGER ?
				       sizeof(struct linger) : sizeof(int));
	return 0;
}

/* SO_RCVTIMEO / SO_SNDTIMEO in ns (0: none, -1: never wait, from a negative one). */
long long
sock_timeout_ns(struct file *f, bool send)
{
	struct usock *u = sock_of(f);
	struct timeval *tv = send ? &u->sndtimeo : &u->rcvtimeo;

	if (tv->tv_usec < 0)
		return -1;
	long long ns = ktime_of(tv->tv_sec, tv->tv_usec * 1000LL);
	return ns == LLONG_MAX ? 0 : ns; /* Linux's MAX_SCHEDULE_TIMEOUT: no timeout at all */
}

int
sock_type(struct file *f)
{
	return sock_of(f)->type;
}

void
sock_connect_inprogress(struct file *f)
{
	sock_of(f)->inprogress = true;
}

void
sock_set_error(struct file *f, int err)
{
	sock_of(f)->err = err;
	wake(sock_of(f));
}

/* What one send on a stream socket would take now, for copies out of a pipe (what a pipe
 * gave cannot go back): SIZE_MAX when the send decides alone (datagrams, errors). */
int
sock_set_filter(struct file *f, const struct sock_filter *prog, unsigned n)
{
	struct usock *u = sock_of(f);

	if (u->lock_filter)
		return -EPERM;
	free(u->filter);
	u->filter = xmalloc(n * sizeof(*prog));
	memcpy(u->filter, prog, n * sizeof(*prog));
	u->filter_len = n;
	u->has_filter = true;
	return 0;
}

const struct sock_filter *
sock_filter_prog(struct file *f, unsigned *n)
{
	struct usock *u = sock_of(f);

	*n = u->has_filter ? u->filter_len : 0;
	return u->has_filter ? u->filter : NULL;
}

size_t
sock_send_room(struct file *f)
{
	struct usock *u = sock_of(f), *p = u->peer;
	size_t charge;

	if (u->type != SOCK_STREAM || u->state != SS_CONNECTED || !p || u->err ||
	    (u->shutdown & SEND_SHUT))
		return SIZE_MAX;
	if (u->family == AF_UNIX)
		return unix_send_size(u, SIZE_MAX / 4, &charge);
	if (p->rq_bytes >= (size_t)p->rcvbuf + (size_t)u->sndbuf)
		return 0;
	return (size_t)p->rcvbuf + (size_t)u->sndbuf - p->rq_bytes;
}

int
sock_family(struct file *f)
{
	return sock_of(f)->family;
}

/* ---- /proc/net ---- */

/* addr (of a socket of family) as /proc/net shows it: the raw words in hex. */
static void
proc_addr(struct sbuf *b, int family, const struct sockaddr_un *a, bool set)
{
	struct sockaddr_un c;
	int port = 0;

	memset(&c, 0, sizeof(c));
	if (set) {
		inet_convert(family, a, &c);
		port = inet_port(&c);
	}
	if (family == AF_INET) {
		sbuf_printf(b, "%08X:%04X", ((struct sockaddr_in *)&c)->sin_addr.s_addr, port);
	} else {
		const uint32_t *w = (const uint32_t *)&((struct sockaddr_in6 *)&c)->sin6_addr;
		sbuf_printf(b, "%08X%08X%08X%08X:%04X", w[0], w[1], w[2], w[3], port);
	}
}

/* connect(AF_UNSPEC) on TCP (Linux inet_stream_connect -> tcp_disconnect): a listener
 * stops listening (its queue reset; a port bind did not name goes back, so a new listen
 * gets another), a pending connect fails, a connection is reset (the peer reads
 * ECONNRESET, and so does this socket's SO_ERROR); then it may connect or listen again. */
static int
tcp_disconnect(struct usock *u)
{
	struct usock *o, *e, *tmp;

	if (u->state == SS_LISTEN) {
		while ((e = u->acceptq)) {
			u->acceptq = e->anext;
			e->listener = NULL;
			e->embryo_reset = true;
			usock_release(e);
		}
		u->nacc = 0;
		syn_refuse(u);
	} else if (u->syn_to) {
		u->syn_to = NULL;
		u->err = ECONNRESET;
	} else if (u->state == SS_CONNECTED) {
		if (u->hs) { /* the host connection: reset too (SO_LINGER 0, then the close) */
			host_socket_setopt(hsock_fd(u->hs), SOL_SOCKET, SO_LINGER,
					   &(struct linger){ 1, 0 }, sizeof(struct linger));
			hsock_free(u->hs);
			u->hs = NULL;
		}
		FOR_EACH_REFERRER(u, o, tmp) /* as an abortive close's */
			peer_gone(o, u, true);
		ghost_peer_fin(u, true);
		set_peer(u, NULL);
		while (u->rq)
			rq_drop(u, u->rq);
		cork_drop(u); /* held output goes with the connection */
		u->err = ECONNRESET;
	}
	/* tcp_set_state(TCP_CLOSE): a port bind did not name goes back (inet_put_port: bind
	 * may name another, a new listen or connect gets another), and the address unless
	 * bind named it (inet_reset_saddr; SOCK_BINDADDR_LOCK, which an accepted socket has
	 * from its listener): unbound, it keeps that name for getsockname (inet_sport stays)
	 * and a named address for its next port */
	if (u->addrlen && !u->port_locked) {
		memcpy(&u->closed_name, &u->addr, inet_len(u->family));
		if (!u->addr_locked && u->family == AF_INET)
			((struct sockaddr_in *)&u->closed_name)->sin_addr.s_addr = htonl(INADDR_ANY);
		else if (!u->addr_locked)
			u->closed_name.sin6_addr = in6addr_any;
		u->addrlen = 0;
		u->port = 0;
		u->autobound = false;
	}
	u->state = SS_UNCONN;
	u->shutdown = 0;
	u->peer_closed = u->fin_rcvd = u->fin_first = u->reset = false;
	u->inprogress = u->connect_failed = u->has_gone_peer = false;
	wake(u);
	return 0;
}

int
sock_connect(struct task *t, struct file *f, const struct sockaddr_un *a, socklen_t len)
{
	struct usock *u = sock_of(f);
	bool tcp = (u->family == AF_INET || u->family == AF_INET6) && u->type == SOCK_STREAM;
	bool was = u->state == SS_CONNECTED || u->state == SS_LISTEN;

	if (tcp && len >= sizeof(sa_family_t) && a->sun_family == AF_UNSPEC)
		return tcp_disconnect(u);
	int err = egress_connect(t, f, a, len);

	if (err != EGRESS_NOT_MINE)
		return err;
	err = connect_socket(t, f, a, len);

	if (tcp && !was) {
		if (err == 0) /* both ends of a loopback connection are here */
			u->net->mib.active_opens++, u->net->mib.passive_opens++;
		else if (err == -ECONNREFUSED) /* a SYN answered by a reset */
			u->net->mib.active_opens++, u->net->mib.attempt_fails++,
			u->net->mib.out_rsts++;
	}
	return err;
}

/* ---- egress: sockets backed by a host socket (net/net.h) ---- */

/* Where an address of u's family goes: EGRESS_HOST (a host socket), EGRESS_DNS (allow
 * mode's own DNS answers it), or EGRESS_HERE (the sandbox's loopback, or an error the
 * usual code reports). */

static int
egress_route(struct usock *u, const void *a, socklen_t len)
{
	bool any, loop, v4;
	uint32_t ip;

	/* only the initial namespace has a way out: a new one has lo alone (as Linux's) */
	if (net_mode() == NET_NONE || u->net != init_net ||
	    (u->family != AF_INET && u->family != AF_INET6) ||
	    (u->type != SOCK_STREAM && u->type != SOCK_DGRAM) || u->protocol == IPPROTO_UDPLITE ||
	    is_ping(u))
		return EGRESS_HERE;
	if (inet_check(u, a, len, &any, &loop) || any)
		return EGRESS_HERE;
	v4 = inet_v4(a, &ip);
	if (v4 && u->family == AF_INET6 && u->v6only)
		return EGRESS_HERE;
	if (inet_port(a) == 53 && net_mode() == NET_ALLOW) /* (UDP, or TCP: dns_tcp_connect) */
		return loop && inet_find(u->net, u->type, u->protocol, a, v4, u->type == SOCK_STREAM)
		       ? EGRESS_HERE : EGRESS_DNS;
	if (!loop)
		return EGRESS_HOST;
	/* a local resolver's address (127.0.0.53) nothing here listens on: the host's */
	if (net_mode() == NET_HOST && inet_port(a) == 53 &&
	    !inet_find(u->net, u->type, u->protocol, a, v4, u->type == SOCK_STREAM))
		return EGRESS_HOST;
	return EGRESS_HERE;
}

/* The options sock_setsockopt kept for the host socket, now that there is one. */
static void
egress_replay_opts(struct usock *u)
{
	for (int i = 0; i < u->nhopts; i++)
		hsock_setopt_raw(u->hs, u->hopts[i].level, u->hopts[i].name, u->hopts[i].v,
				 sizeof(u->hopts[i].v));
	u->nhopts = 0;
}

/* A host socket for u to a (connect, or an unconnected UDP one); a refusal is audited. */
static int
egress_open(struct task *t, struct usock *u, const void *a, socklen_t len, bool connect,
	    const char *call)
{
	char why[256];
	int err = hsock_open(u->family, u->type, a, len, connect, &u->hs, why, sizeof(why));

	if (u->hs) { /* options set before: the host socket gets them too (as Linux keeps them) */
		egress_replay_opts(u);
		waitq_wake(&u->wq); /* (epoll items of u poll it now, not wait for wakes) */
	}
	if (err == -EPERM)
		audit_denied(t, connect ? __NR_connect : __NR_sendto, call, EPERM,
			     why[0] ? why : "egress refused by the gofer", NULL);
	return err;
}

static int
egress_connect(struct task *t, struct file *f, const struct sockaddr_un *a, socklen_t len)
{
	struct usock *u = sock_of(f);
	bool nonblock = file_get_flags(f) & O_NONBLOCK, dead;
	int err;

	if (u->hs && (u->type == SOCK_STREAM || !u->has_dst)) {
		if (u->type == SOCK_DGRAM) { /* an unconnected one: connect it anew */
			hsock_free(u->hs);
			u->hs = NULL;
		} else {
			err = hsock_reconnect(u->hs, nonblock, &dead);
			if (dead) { /* tcp_disconnect: it may connect again */
				hsock_free(u->hs);
				u->hs = NULL;
				u->state = SS_UNCONN;
			}
			return err;
		}
	} else if (u->hs) { /* a connected UDP socket: a new association (or none) */
		hsock_free(u->hs);
		u->hs = NULL;
		u->has_dst = false;
		u->state = SS_UNCONN;
		if (len >= sizeof(sa_family_t) && a->sun_family == AF_UNSPEC)
			return 0;
	}
	if (u->type == SOCK_STREAM && u->state == SS_UNCONN && !u->syn_to &&
	    egress_route(u, a, len) == EGRESS_DNS)
		return dns_tcp_connect(u, a);
	if (egress_route(u, a, len) != EGRESS_HOST || u->state == SS_LISTEN ||
	    (u->type == SOCK_STREAM && u->state == SS_CONNECTED))
		return EGRESS_NOT_MINE;
	err = egress_open(t, u, a, len, true, "connect");
	if (err && err != -EINPROGRESS)
		return err;
	u->state = SS_CONNECTED;
	if (u->type == SOCK_DGRAM) {
		memcpy(&u->dst, a, inet_len(u->family));
		u->has_dst = true;
	}
	if (u->type == SOCK_STREAM)
		u->net->mib.active_opens++;
	return err == -EINPROGRESS && !nonblock ? -EAGAIN : err;
}

/* Allow mode's DNS over TCP (RFC 7766): a connect to port 53 gets a server end of its
 * own in the sentry (dns_srv: no file, no port of the sandbox's), which answers each whole
 * query (a 2-byte length, then the message) on the stream with the sandbox's answer. */
static int
dns_tcp_connect(struct usock *u, const void *a)
{
	struct usock *p;
	uint32_t ip;
	int err = inet_autobind(u, inet_v4(a, &ip));

	if (err)
		return err;
	p = usock_new(u->net, u->family, SOCK_STREAM);
	p->protocol = IPPROTO_TCP;
	p->dns_srv = true;
	memcpy(&p->addr, a, inet_len(u->family));
	p->addrlen = inet_len(u->family);
	p->state = u->state = SS_CONNECTED;
	set_peer(u, p);
	set_peer(p, u);
	tcp_sndbuf_expand(u);
	u->net->mib.active_opens++;
	wake(u);
	return 0;
}

/* Copies the first n unread bytes of p's stream into buf; take: and consumes them. */
static void
rq_copy(struct usock *p, void *buf, size_t n, bool take)
{
	struct skb *s = p->rq, *next;
	size_t done = 0, off = s ? s->off : 0;

	for (; s && done < n; s = next, off = 0) {
		size_t c = MIN(n - done, s->len - off);

		next = s->next;
		memcpy((char *)buf + done, s->data + off, c);
		done += c;
		if (take) {
			s->off += c;
			p->copied_seq += c;
			if (s->off == s->len)
				rq_drop(p, s);
		}
	}
}

static void
dns_tcp_serve(struct usock *p)
{
	unsigned char q[2 + 512], ans[2 + 512];

	while (p->peer && rq_unread(p) >= 2 && p->peer->rq_bytes <= (size_t)p->peer->rcvbuf &&
	       !(p->peer->shutdown & RCV_SHUT)) {
		size_t len;
		ssize_t r;

		rq_copy(p, q, 2, false);
		len = (size_t)q[0] << 8 | q[1];
		if (len == 0 || len > 512) { /* no query this server takes: dropped */
			rq_copy(p, q, MIN(rq_unread(p), sizeof(q)), true);
			continue;
		}
		if (rq_unread(p) < 2 + len)
			return; /* the rest of it is still to come */
		rq_copy(p, q, 2 + len, true);
		r = hsock_dns(q + 2, len, ans + 2, 512);
		if (r < 0)
			continue; /* not a query: no answer, as a server would */
		ans[0] = (unsigned char)(r >> 8);
		ans[1] = (unsigned char)r;
		skb_queue(NULL, p, p->peer, ans, (size_t)r + 2, 0, NULL, 0, NULL, NULL,
			  p->family == AF_INET, 0);
	}
	wake_senders(p);
}

/* Allow mode's DNS: the sandbox's answer to a query sent to `to` comes back from there. */
static ssize_t
egress_dns(struct task *t, struct usock *u, const void *buf, size_t n, const void *to)
{
	unsigned char ans[512];
	bool v4;
	uint32_t ip;
	ssize_t r;
	struct skb *s;
	int err;

	v4 = inet_v4(to, &ip);
	err = inet_autobind(u, v4);
	if (err)
		return err;
	r = hsock_dns(buf, n, ans, sizeof(ans));
	if (r < 0)
		return n; /* not a query: dropped, as a server would */
	if ((u->shutdown & RCV_SHUT) || u->rq_bytes + (size_t)r > (size_t)u->rcvbuf)
		return n; /* the answer finds no room: UDP drops it */
	s = xcalloc(1, sizeof(*s));
	s->tstamp = realtime_ns();
	s->data = xmalloc((size_t)r);
	memcpy(s->data, ans, (size_t)r);
	s->len = (size_t)r;
	memcpy(&s->from, to, inet_len(u->family));
	s->fromlen = inet_len(u->family);
	s->hoplimit = 64;
	mem_charge_force((size_t)r);
	DL_APPEND(u->rq, s);
	u->rq_bytes += (size_t)r;
	u->rq_count++;
	wake(u);
	return n;
}

/* A send on an inet socket that egress handles; EGRESS_NOT_MINE otherwise. */
static ssize_t
egress_send(struct task *t, struct usock *u, const void *buf, size_t n, int flags,
	    const struct sockaddr_un *to, socklen_t tolen)
{
	const void *dst = to ? (const void *)to : u->has_dst ? (const void *)&u->dst : NULL;
	socklen_t dlen = to ? tolen : inet_len(u->family);
	int route, err;

	if (u->hs && u->type == SOCK_STREAM)
		return hsock_send(u->hs, buf, n, flags, NULL, 0);
	if (u->type != SOCK_DGRAM || (u->family != AF_INET && u->family != AF_INET6))
		return EGRESS_NOT_MINE;
	if (!dst)
		return u->hs ? -EDESTADDRREQ : EGRESS_NOT_MINE;
	if (to && tolen >= sizeof(struct sockaddr_in) && to->sun_family == u->family &&
	    inet_port(to) == 0)
		return EGRESS_NOT_MINE; /* EINVAL below */
	route = egress_route(u, dst, dlen);
	if (route == EGRESS_DNS && !u->hs)
		return n > 65507 ? -EMSGSIZE : egress_dns(t, u, buf, n, dst);
	if (route != EGRESS_HOST)
		return u->hs ? -ENETUNREACH : EGRESS_NOT_MINE; /* a host one reaches the host only */
	if (!u->hs) {
		bool any, loop;

		/* a loopback resolver gets a socket connected to it: the gofer hands out no
		 * unconnected one that could reach the host's loopback */
		inet_check(u, dst, dlen, &any, &loop);
		err = egress_open(t, u, dst, dlen, loop, "sendto");
		if (err)
			return err;
		if (loop)
			return hsock_send(u->hs, buf, n, flags, NULL, 0);
	}
	return hsock_send(u->hs, buf, n, flags, to, tolen);
}

static short
egress_poll(struct usock *u, short events)
{
	return hsock_poll(u->hs, events);
}

static int
sock_wait_fd(struct file *f)
{
	struct usock *u = sock_of(f);

	return u->hs ? hsock_fd(u->hs) : -1;
}

/* One line of /proc/net/snmp6 (Linux snmp6_seq_show_item: the name in 32 columns). */
static void
snmp6_line(struct sbuf *b, const char *proto, const char *name, unsigned long v)
{
	char full[64];

	snprintf(full, sizeof(full), "%s%s", proto, name);
	sbuf_printf(b, "%-32s\t%lu\n", full, v);
}

/* /proc/net/snmp: Linux's rows and columns; IP and ICMP counters stay 0 here. */
void
sock_proc_snmp(struct task *t, struct sbuf *b)
{
	struct net_ns *n = net_of(t);
	const struct net_mib *mib = &n->mib;
	struct usock *u;
	unsigned long estab = 0;

	sbuf_printf(b, "Ip: Forwarding DefaultTTL InReceives InHdrErrors InAddrErrors ForwDatagrams "
		    "InUnknownProtos InDiscards InDelivers OutRequests OutDiscards OutNoRoutes "
		    "ReasmTimeout ReasmReqds ReasmOKs ReasmFails FragOKs FragFails FragCreates "
		    "OutTransmits\n");
	sbuf_printf(b, "Ip: 2 64 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0\n");
	sbuf_printf(b, "Icmp: InMsgs InErrors InCsumErrors InDestUnreachs InTimeExcds InParmProbs "
		    "InSrcQuenchs InRedirects InEchos InEchoReps InTimestamps InTimestampReps "
		    "InAddrMasks InAddrMaskReps OutMsgs OutErrors OutRateLimitGlobal "
		    "OutRateLimitHost OutDestUnreachs OutTimeExcds OutParmProbs OutSrcQuenchs "
		    "OutRedirects OutEchos OutEchoReps OutTimestamps OutTimestampReps OutAddrMasks "
		    "OutAddrMaskReps\n");
	/* an echo answered here went out and came in twice: the request and the reply */
	unsigned long e = mib->icmp_echos, g = mib->icmp_echos_ignored, d = mib->icmp_unreach;
	unsigned long msgs = 2 * e + g + d;

	sbuf_printf(b, "Icmp: %lu %lu 0 %lu 0 0 0 0 %lu %lu 0 0 0 0 %lu 0 0 0 %lu 0 0 0 0 %lu %lu 0 0 "
		    "0 0\n", msgs, g, d, e + g, e, msgs, d, e + g, e);
	/* IcmpMsg: the types seen, in then out, each by number; none, no line */
	const struct { const char *name; unsigned long n; } types[] = {
		{ "InType0", e }, { "InType3", d }, { "InType8", e + g },
		{ "OutType0", e }, { "OutType3", d }, { "OutType8", e + g },
	};
	if (msgs) {
		sbuf_printf(b, "IcmpMsg:");
		for (size_t i = 0; i < ARRAY_SIZE(types); i++)
			if (types[i].n)
				sbuf_printf(b, " %s", types[i].name);
		sbuf_printf(b, "\nIcmpMsg:");
		for (size_t i = 0; i < ARRAY_SIZE(types); i++)
			if (types[i].n)
				sbuf_printf(b, " %lu", types[i].n);
		sbuf_printf(b, "\n");
	}
	DL_FOREACH(all_socks, u)
		if ((u->family == AF_INET || u->family == AF_INET6) && u->net == n &&
		    u->type == SOCK_STREAM &&
		    u->state == SS_CONNECTED && !u->reset)
			estab++;
	sbuf_printf(b, "Tcp: RtoAlgorithm RtoMin RtoMax MaxConn ActiveOpens PassiveOpens "
		    "AttemptFails EstabResets CurrEstab InSegs OutSegs RetransSegs InErrs OutRsts "
		    "InCsumErrors\n");
	sbuf_printf(b, "Tcp: 1 200 120000 -1 %lu %lu %lu %lu %lu 0 0 0 0 %lu 0\n",
		    mib->active_opens, mib->passive_opens, mib->attempt_fails, mib->estab_resets,
		    estab, mib->out_rsts);
	const char *udp = "InDatagrams NoPorts InErrors OutDatagrams RcvbufErrors SndbufErrors "
			  "InCsumErrors IgnoredMulti MemErrors";
	for (int lite = 0; lite < 2; lite++) {
		const struct udp_mib *m = &mib->udp4[lite];
		const char *name = lite ? "UdpLite" : "Udp";

		sbuf_printf(b, "%s: %s\n%s: %lu %lu %lu %lu %lu 0 0 0 0\n", name, udp, name, m->in,
			    m->noports, m->in_errors, m->out, m->rcvbuf_errors);
	}
}

/* /proc/net/snmp6: Linux's names, one a line; the IPv6 counters stay 0 here (as
 * /proc/net/snmp's IPv4 ones), the ICMPv6 ones count the port unreachables answering UDP
 * (then each type seen, by number), UDP's and UDP-Lite's their datagrams. */
void
sock_proc_snmp6(struct task *t, struct sbuf *b)
{
	static const char *const ip6[] = {
		"InReceives", "InHdrErrors", "InTooBigErrors", "InNoRoutes", "InAddrErrors",
		"InUnknownProtos", "InTruncatedPkts", "InDiscards", "InDelivers", "OutForwDatagrams",
		"OutRequests", "OutDiscards", "OutNoRoutes", "ReasmTimeout", "ReasmReqds",
		"ReasmOKs", "ReasmFails", "FragOKs", "FragFails", "FragCreates", "InMcastPkts",
		"OutMcastPkts", "InOctets", "OutOctets", "InMcastOctets", "OutMcastOctets",
		"InBcastOctets", "OutBcastOctets", "InNoECTPkts", "InECT1Pkts", "InECT0Pkts",
		"InCEPkts", "OutTransmits",
	};
	static const char *const icmp6[] = {
		"InMsgs", "InErrors", "OutMsgs", "OutErrors", "InCsumErrors", "OutRateLimitHost",
		"InDestUnreachs", "InPktTooBigs", "InTimeExcds", "InParmProblems", "InEchos",
		"InEchoReplies", "InGroupMembQueries", "InGroupMembResponses",
		"InGroupMembReductions", "InRouterSolicits", "InRouterAdvertisements",
		"InNeighborSolicits", "InNeighborAdvertisements", "InRedirects", "InMLDv2Reports",
		"OutDestUnreachs", "OutPktTooBigs", "OutTimeExcds", "OutParmProblems", "OutEchos",
		"OutEchoReplies", "OutGroupMembQueries", "OutGroupMembResponses",
		"OutGroupMembReductions", "OutRouterSolicits", "OutRouterAdvertisements",
		"OutNeighborSolicits", "OutNeighborAdvertisements", "OutRedirects",
		"OutMLDv2Reports",
	};
	static const char *const udp[] = {
		"InDatagrams", "NoPorts", "InErrors", "OutDatagrams", "RcvbufErrors",
		"SndbufErrors", "InCsumErrors", "IgnoredMulti", "MemErrors",
	};
	const struct net_mib *mib = &net_of(t)->mib;
	unsigned long d = mib->icmp6_unreach;

	for (size_t i = 0; i < ARRAY_SIZE(ip6); i++)
		snmp6_line(b, "Ip6", ip6[i], 0);
	for (size_t i = 0; i < ARRAY_SIZE(icmp6); i++) {
		bool msgs = !strcmp(icmp6[i], "InMsgs") || !strcmp(icmp6[i], "OutMsgs");
		bool unreach = !strcmp(icmp6[i], "InDestUnreachs") ||
			       !strcmp(icmp6[i], "OutDestUnreachs");

		snmp6_line(b, "Icmp6", icmp6[i], msgs || unreach ? d : 0);
	}
	if (d) { /* ICMPV6_DEST_UNREACH (1), in then out: only the types seen */
		snmp6_line(b, "Icmp6", "InType1", d);
		snmp6_line(b, "Icmp6", "OutType1", d);
	}
	for (int lite = 0; lite < 2; lite++) {
		const struct udp_mib *m = &mib->udp6[lite];
		const unsigned long v[] = { m->in, m->noports, m->in_errors, m->out,
					    m->rcvbuf_errors, 0, 0, 0, 0 };

		for (size_t i = 0; i < ARRAY_SIZE(udp); i++)
			if (!lite || strcmp(udp[i], "IgnoredMulti")) /* (UDP-Lite has none) */
				snmp6_line(b, lite ? "UdpLite6" : "Udp6", udp[i], v[i]);
	}
}

/* /proc/net/sockstat (v6: sockstat6): sockets in use (Linux counts the hashed ones: bound
 * UDP, TCP from listen or connect until closed; alloc: every TCP socket), TIME_WAIT
 * remains, memory in pages. Nothing is orphaned here, there is no raw socket. */
void
sock_proc_sockstat(struct task *t, struct sbuf *b, bool v6)
{
	unsigned long used = 0, alloc = 0, tcp = 0, udp = 0, lite = 0, tcp_mem = 0, udp_mem = 0;
	int family = v6 ? AF_INET6 : AF_INET, tw = 0;
	struct net_ns *n = net_of(t);
	struct tcp_ghost *g;
	struct usock *u;

	ghosts_expire();
	DL_FOREACH(ghosts, g)
		tw += g->net == n;
	DL_FOREACH(all_socks, u) {
		bool inet = u->family == AF_INET || u->family == AF_INET6;

		if (u->net != n)
			continue;
		used++;
		if (!inet)
			continue;
		if (u->type == SOCK_STREAM) {
			alloc++;
			tcp_mem += u->rq_bytes;
			if (u->family == family && diag_tcp_state(u) != TCP_CLOSE)
				tcp++;
		} else if (!is_ping(u)) { /* (ping sockets count in no line) */
			udp_mem += u->rq_bytes;
			if (u->family == family && u->addrlen)
				*(u->protocol == IPPROTO_UDPLITE ? &lite : &udp) += 1;
		}
	}
	if (v6) {
		sbuf_printf(b, "TCP6: inuse %lu\nUDP6: inuse %lu\nUDPLITE6: inuse %lu\n"
			    "RAW6: inuse 0\nFRAG6: inuse 0 memory 0\n", tcp, udp, lite);
		return;
	}
	sbuf_printf(b, "sockets: used %lu\n", used);
	sbuf_printf(b, "TCP: inuse %lu orphan 0 tw %d alloc %lu mem %lu\n", tcp, tw, alloc,
		    (tcp_mem + 4095) / 4096);
	sbuf_printf(b, "UDP: inuse %lu mem %lu\nUDPLITE: inuse %lu\nRAW: inuse 0\n"
		    "FRAG: inuse 0 memory 0\n", udp, (udp_mem + 4095) / 4096, lite);
}

void
sock_proc_net(struct task *t, struct sbuf *b, int family, int type, int protocol)
{
	struct net_ns *n = net_of(t);
	struct usock *u;
	int sl = 0;
	/* IPv4's ping listing is padded to 127 columns, as UDP's, but with UDP's header's
	 * first space less (ping_v4_seq_show); raw's is not padded */
	const char *dgram4 = "  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode ref pointer drops";

	if (type == SOCK_STREAM)
		sbuf_printf(b, "%s", family == AF_INET
			    ? "  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode                                                     \n"
			    : "  sl  local_address                         remote_address                        st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode\n");
	else if (family == AF_INET && type == SOCK_RAW)
		sbuf_printf(b, "%s\n", dgram4);
	else if (family == AF_INET)
		sbuf_printf(b, "%s%s%*s\n", protocol == IPPROTO_ICMP ? "" : " ", dgram4,
			    127 - (int)strlen(dgram4) - (protocol == IPPROTO_ICMP ? 0 : 1), "");
	else
		sbuf_printf(b, "%s", "  sl  local_address                         remote_address                        st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode ref pointer drops\n");
	DL_FOREACH(all_socks, u) {
		int st;
		const struct sockaddr_un *rem = NULL;

		if (u->family != family || u->type != type || u->protocol != protocol ||
		    !u->addrlen || u->net != n || u->dns_srv)
			continue;
		if (type == SOCK_STREAM) {
			st = u->state == SS_LISTEN ? 0x0a : u->peer_closed ? 0x08
			     : u->state == SS_CONNECTED ? 0x01 : 0x07;
			if (u->peer && u->peer->addrlen)
				rem = &u->peer->addr;
		} else {
			st = u->has_dst ? 0x01 : 0x07;
			if (u->has_dst)
				rem = &u->dst;
		}
		size_t start = b->len;

		sbuf_printf(b, type == SOCK_STREAM ? "%4d: " : "%5d: ", sl++);
		proc_addr(b, family, &u->addr, true);
		sbuf_printf(b, " ");
		proc_addr(b, family, rem, rem != NULL);
		sbuf_printf(b, " %02X %08X:%08X 00:00000000 00000000 %5u        0 %lu 2 0000000000000000",
			    st, 0U, (unsigned)MIN(u->rq_bytes, 0xffffffffUL),
			    u->ino ? (unsigned)u->ino->uid : 0U,
			    u->ino ? (unsigned long)u->ino->ino : 0UL);
		sbuf_printf(b, type == SOCK_STREAM ? " 100 0 0 10 0" : " 0");
		if (family == AF_INET && type == SOCK_DGRAM && b->len - start < 127)
			sbuf_printf(b, "%*s", (int)(127 - (b->len - start)), ""); /* (seq_pad) */
		sbuf_printf(b, "\n");
	}
}

void
sock_proc_unix(struct task *t, struct sbuf *b)
{
	struct net_ns *net = net_of(t);
	struct usock *u;

	sbuf_printf(b, "Num       RefCount Protocol Flags    Type St Inode Path\n");
	DL_FOREACH(all_socks, u) {
		int type = u->type == SOCK_STREAM ? 1 : u->type == SOCK_DGRAM ? 2 : 5;

		if (u->family != AF_UNIX || u->net != net)
			continue;
		sbuf_printf(b, "0000000000000000: %08X %08X %08X %04X %02X %5lu", 2U, 0U,
			    u->state == SS_LISTEN ? 0x10000U : 0U, type,
			    u->state == SS_CONNECTED ? 3 : 1,
			    u->ino ? (unsigned long)u->ino->ino : 0UL);
		if (u->addrlen > sizeof(sa_family_t)) {
			size_t n = u->addrlen - sizeof(sa_family_t);

			sbuf_printf(b, " ");
			if (u->addr.sun_path[0] == '\0') {
				sbuf_printf(b, "@");
				sbuf_append(b, u->addr.sun_path + 1, n - 1);
			} else {
				sbuf_append(b, u->addr.sun_path, strnlen(u->addr.sun_path, n));
			}
		}
		sbuf_printf(b, "\n");
	}
}

/* /proc/net/if_inet6: lo's IPv6 addresses (index 1, prefix, scope, permanent). */
void
sock_proc_if_inet6(struct task *t, struct sbuf *b)
{
	struct lo_addr *a;

	DL_FOREACH(net_of(t)->lo_addrs, a) {
		int scope = IN6_IS_ADDR_LOOPBACK(&a->v6) ? 0x10 : IN6_IS_ADDR_LINKLOCAL(&a->v6) ? 0x20
												: 0;

		if (a->family != AF_INET6)
			continue;
		for (int i = 0; i < 16; i++)
			sbuf_printf(b, "%02x", a->v6.s6_addr[i]);
		sbuf_printf(b, " %02x %02x %02x %02x %8s\n", LOOPBACK_IFINDEX, a->prefixlen, scope,
			    0x80, "lo");
	}
}

/* One of lo's multicast groups as /proc/net/igmp and igmp6 show it */
struct mc_group {
	unsigned char grp[16];    /* an IPv4 group in its first 4 bytes (network order) */
	long born;
	int users;
};

static int
mc_group_newer(const void *a, const void *b)
{
	const struct mc_group *x = a, *y = b;

	return x->born < y->born ? 1 : x->born > y->born ? -1 : 0;
}

/* lo's groups of one family, newest first (Linux adds an interface's new groups at the
 * head of its list), each with its users: the sockets that joined it and lo itself for
 * its own (all-hosts while up; IPv6's all-nodes ones, ipv6_add_dev). */
static struct mc_group *
mc_groups(struct net_ns *n, bool v6, int *count)
{
	uint32_t all = htonl(INADDR_ALLHOSTS_GROUP);
	struct mc_group *g;
	struct usock *o;
	int ng = 0, max = 2;

	DL_FOREACH(all_socks, o)
		if (o->net == n)
			max += v6 ? o->nmc6 : o->nmc;
	g = xcalloc((size_t)max, sizeof(*g));
	if (v6) {
		g[ng++] = (struct mc_group){ { 0xff, 1, [15] = 1 }, -2, 1 };
		g[ng++] = (struct mc_group){ { 0xff, 2, [15] = 1 }, -1, 1 };
	} else if (n->lo_up) {
		g[ng] = (struct mc_group){ .born = (long)n->allhosts_born, .users = 1 };
		memcpy(g[ng++].grp, &all, sizeof(all));
	}
	DL_FOREACH(all_socks, o)
		for (int i = 0; o->net == n && i < (v6 ? o->nmc6 : o->nmc); i++) {
			struct mc_group m = { .born = v6 ? o->mc6[i].born : (long)o->mc[i].born };
			int j = 0;

			if ((v6 ? o->mc6[i].ifindex : o->mc[i].ifindex) != LOOPBACK_IFINDEX)
				continue;
			if (v6)
				memcpy(m.grp, &o->mc6[i].grp, 16);
			else
				memcpy(m.grp, &o->mc[i].grp, 4);
			while (j < ng && memcmp(g[j].grp, m.grp, 16))
				j++;
			if (j == ng)
				g[ng++] = m;
			g[j].users++;
		}
	qsort(g, (size_t)ng, sizeof(*g), mc_group_newer);
	*count = ng;
	return g;
}

/* /proc/net/igmp (igmp_mc_seq_show): no lo line without groups. Reports are IGMPv3
 * ones made per interface, so no group has a timer of its own. */
void
sock_proc_igmp(struct task *t, struct sbuf *b)
{
	int ng;
	struct mc_group *g = mc_groups(net_of(t), false, &ng);

	sbuf_printf(b, "Idx\tDevice    : Count Querier\tGroup    Users Timer\tReporter\n");
	if (ng)
		sbuf_printf(b, "%d\t%-10s: %5d %7s\n", LOOPBACK_IFINDEX, "lo", ng, "V3");
	for (int j = 0; j < ng; j++) {
		uint32_t v; /* the group as Linux prints its __be32: %08X */

		memcpy(&v, g[j].grp, sizeof(v));
		sbuf_printf(b, "\t\t\t\t%08X %5d %d:%08lX\t\t%d\n", v, g[j].users, 0, 0ul, 0);
	}
	free(g);
}

/* /proc/net/igmp6 (igmp6_mc_seq_show), with the MLD flags: MAF_NOREPORT (8) for groups
 * of a scope below link-local and for ff02::1; MAF_LOADED (4) for link-local and wider
 * ones while lo is up or made since it last went down (igmp6_group_added, ipv6_mc_down).
 * Reports are MLDv2 ones made per interface: no group has a timer of its own. */
void
sock_proc_igmp6(struct task *t, struct sbuf *b)
{
	struct net_ns *n = net_of(t);
	int ng;
	struct mc_group *g = mc_groups(n, true, &ng);

	for (int j = 0; j < ng; j++) {
		int scope = g[j].grp[1] & 0xf;
		bool loaded = scope >= 2 && (n->lo_up || !n->lo_went_down || g[j].born > n->mc6_down);
		unsigned flags = (scope < 2 || g[j].born == -1 ? 8 : 0) | (loaded ? 4 : 0);

		sbuf_printf(b, "%-4d %-15s ", LOOPBACK_IFINDEX, "lo");
		for (int k = 0; k < 16; k++)
			sbuf_printf(b, "%02x", g[j].grp[k]);
		sbuf_printf(b, " %5d %08X %ld\n", g[j].users, flags, 0L);
	}
	free(g);
}

bool
sock_net_initial(struct task *t)
{
	return net_of(t) == init_net;
}

int *
sock_net_sysctl(struct task *t, int i)
{
	return i >= 0 && i < NET_SYSCTLS + NET_TAGS ? net_of(t)->sysctl[i] : NULL;
}

/* /proc/net/route: the IPv4 main table's routes, none here (lo's are all in the local
 * table); a namespace without IPv4 tables yet has not even the header (fib_route_seq). */
void
sock_proc_route(struct task *t, struct sbuf *b)
{
	if (net_of(t)->fib4)
		sbuf_printf(b, "%-127s\n", "Iface\tDestination\tGateway \tFlags\tRefCnt\tUse\t"
			    "Metric\tMask\t\tMTU\tWindow\tIRTT");
}

struct ns_common *
sock_net_ns(struct file *f)
{
	return file_is_socket(f) ? &sock_of(f)->net->ns : NULL;
}

int
sock_ifconf_v4(struct file *f, uint32_t *out, int max)
{
	struct lo_addr *a;
	int n = 0;

	if (!file_is_socket(f))
		return 0;
	DL_FOREACH(sock_of(f)->net->lo_addrs, a)
		if (a->family == AF_INET) {
			if (n < max)
				out[n] = htonl(a->v4);
			n++;
		}
	return n;
}

/* ---- network namespaces (sentry/ns.h) ---- */

static struct ns_common *
net_copy(struct task *t, struct ns_common *old, struct ns_common *owner, int *err)
{
	struct net_ns *n = xcalloc(1, sizeof(*n));

	(void)t;
	(void)owner;
	(void)err;
	n->ns.refs = 1;
	n->ns.kind = NS_NET;
	n->mtu = 65536;
	static uint64_t cookies;

	procfs_net_sysctl_defaults(n->sysctl);
	net_buf_defaults(n);
	n->cookie = ++cookies;
	if (!old) { /* the sandbox's initial one: lo up, as the host's is */
		n->ns.ino = 4026531840u;
		lo_set_up(n, true);
		init_net = n;
	} else {
		n->ns.ino = ns_new_ino();
	}
	return &n->ns;
}

/* The last reference went: sockets, tun interfaces and TIME_WAIT names hold one each, so
 * nothing points here any more. */
static void
net_release(struct ns_common *ns)
{
	struct net_ns *n = (struct net_ns *)ns;
	struct lo_addr *a, *tmp;

	if (n == init_net)
		return;
	DL_FOREACH_SAFE(n->lo_addrs, a, tmp) {
		DL_DELETE(n->lo_addrs, a);
		free(a);
	}
	while (n->routes) {
		struct lo_route *r = n->routes;

		DL_DELETE(n->routes, r);
		free(r);
	}
	while (n->rules) {
		struct fib_rule *r = n->rules;

		DL_DELETE(n->rules, r);
		free(r);
	}
	free(n);
}

const struct ns_ops ns_net_ops = {
	.name = "net",
	.clone_flag = CLONE_NEWNET,
	.copy = net_copy,
	.release = net_release,
};
/* ---- sock_diag (net/diag.h) ---- */

static uint64_t
diag_cookie(uint64_t *c)
{
	static uint64_t next = 1;

	if (!*c)
		*c = next++;
	return *c;
}

/* A name of a socket of family as sock_diag shows it: the raw address, the port. */
static void
diag_addr(int family, const struct sockaddr_un *a, unsigned char out[16], int *port)
{
	struct sockaddr_un c;

	memset(out, 0, 16);
	*port = 0;
	if (!a)
		return;
	inet_convert(family, a, &c);
	*port = inet_port(&c);
	if (family == AF_INET)
		memcpy(out, &((struct sockaddr_in *)&c)->sin_addr, 4);
	else
		memcpy(out, &((struct sockaddr_in6 *)&c)->sin6_addr, 16);
}

static int
diag_tcp_state(struct usock *u)
{
	if (u->state == SS_LISTEN)
		return TCP_LISTEN;
	if (u->state != SS_CONNECTED)
		return u->syn_to ? TCP_SYN_SENT : TCP_CLOSE;
	if (u->reset)
		return TCP_CLOSE;
	if (u->peer_closed || u->fin_rcvd) { /* its FIN came: CLOSE_WAIT, LAST_ACK once ours
					      * went (ours first: TIME_WAIT, the socket CLOSE) */
		if (!(u->shutdown & SEND_SHUT))
			return TCP_CLOSE_WAIT;
		return u->fin_first ? TCP_CLOSE : TCP_LAST_ACK;
	}
	return (u->shutdown & SEND_SHUT) ? TCP_FIN_WAIT2 : TCP_ESTABLISHED;
}

/* The fields every socket has; its owner (an embryo's: its listener's) is the uid. */
static void
diag_common(struct usock *u, struct diag_sock *s)
{
	struct usock *owner = u->listener && !u->ino ? u->listener : u;

	memset(s, 0, sizeof(*s));
	s->family = u->family;
	s->type = u->type;
	s->protocol = u->protocol;
	s->cookie = diag_cookie(&u->cookie);
	s->ino = u->ino ? (unsigned long)u->ino->ino : 0;
	s->uid = owner->ino ? (unsigned)owner->ino->uid : 0;
	s->shutdown = u->shutdown;
	s->rmem = u->family == AF_NETLINK ? u->nl_rmem : u->rq_bytes;
	s->rcvbuf = u->rcvbuf;
	s->sndbuf = u->sndbuf;
}

/* An inet socket as Linux's tables hold it; false: not in them (unbound, closed). */
static bool
diag_inet(struct usock *u, struct diag_sock *s, unsigned char *info)
{
	const struct sockaddr_un *rem = NULL;

	if (!u->addrlen || u->hs)
		return false;     /* host-backed ones are not listed (README, "Network") */
	diag_common(u, s);
	if (u->type == SOCK_STREAM) {
		s->state = diag_tcp_state(u);
		if (s->state == TCP_CLOSE)
			return false;
		if (u->peer && u->peer->addrlen)
			rem = &u->peer->addr;
		else if (u->has_gone_peer)
			rem = &u->gone_peer;
		else if (u->syn_to)
			rem = &u->syn_dst;
		if (s->state == TCP_LISTEN) {
			s->rqueue = u->nacc;
			s->wqueue = u->backlog;
		} else {
			/* rcv_nxt - copied_seq: a FIN that came counts one */
			s->rqueue = rq_unread(u) + (u->peer_closed || u->fin_rcvd ? 1 : 0);
			s->wqueue = u->cork_len;
		}
		if (u->fin_rcvd || u->peer_closed)
			s->shutdown |= RCV_SHUT;
		s->cong = u->tcp.reno ? "reno" : "cubic";
		if (info) {
			tcp_info_fill(u, info);
			s->tcp_info = info;
		}
	} else {
		s->state = u->has_dst ? TCP_ESTABLISHED : TCP_CLOSE;
		if (u->has_dst)
			rem = &u->dst;
		s->rqueue = u->rq_bytes;
	}
	diag_addr(u->family, &u->addr, s->src, &s->sport);
	diag_addr(u->family, rem, s->dst, &s->dport);
	s->ifindex = u->bound_dev;
	s->port_locked = u->port_locked;
	s->tos = s->tclass = u->tclass >= 0 ? u->tclass : 0;
	s->mark = u->mark;
	s->v6only = u->v6only;
	s->recverr = u->family == AF_INET6 ? u->recverr6 : u->recverr;
	s->mc_loop = u->mc_loop;
	s->mc_all = u->mc_all;
	return true;
}

/* A unix socket; a listener's waiting clients' inodes in *icons (malloc'd). */
static void
diag_unix(struct usock *u, struct diag_sock *s, uint32_t **icons)
{
	diag_common(u, s);
	s->state = u->state == SS_LISTEN ? TCP_LISTEN
		   : u->state == SS_CONNECTED || u->peer ? TCP_ESTABLISHED : TCP_CLOSE;
	if (u->addrlen > sizeof(sa_family_t)) {
		s->name = u->addr.sun_path;
		s->namelen = u->addrlen - sizeof(sa_family_t);
	}
	if (u->bound) {
		dev_t d = u->bound->dev ? u->bound->dev : u->bound->sb->dev;

		s->vfs_ino = u->bound->ino;
		s->vfs_dev = (unsigned)(major(d) << 20 | minor(d));
	}
	if (u->peer) {
		s->has_peer = true;
		s->peer_ino = u->peer->ino ? (unsigned long)u->peer->ino->ino : 0;
	}
	if (u->state == SS_LISTEN) {
		struct usock *e;
		int n = 0;

		for (e = u->acceptq; e; e = e->anext)
			n++;
		*icons = xcalloc(n ? n : 1, sizeof(uint32_t));
		for (e = u->acceptq; e; e = e->anext)
			(*icons)[s->nicons++] = e->peer && e->peer->ino ? e->peer->ino->ino : 0;
		s->icons = *icons;
		s->rqueue = n;
		s->wqueue = u->backlog;
	} else {
		s->rqueue = u->type == SOCK_DGRAM ? (u->rq ? u->rq->len : 0) : rq_unread(u);
		s->wqueue = u->wmem;
	}
}

/* A netlink socket in Linux's tables: bound (a port id) or in a group. */
static bool
diag_netlink(struct usock *u, struct diag_sock *s)
{
	if (!u->addrlen && !u->nl_has_groups)
		return false;
	diag_common(u, s);
	s->state = TCP_CLOSE;     /* sock_init_data's; NETLINK_CONNECTED (1) after a connect
				   * (which is not kept here: it names the kernel only) */
	s->portid = u->addrlen ? nl_name(u)->nl_pid : 0;
	s->groups = u->nl_groups;
	s->has_groups = u->nl_has_groups;
	return true;
}

int
sock_diag_foreach(struct task *t, int family, bool with_info,
		  int (*fn)(const struct diag_sock *s, void *arg), void *arg)
{
	unsigned char info[DIAG_TCP_INFO_LEN];
	struct diag_sock s;
	struct tcp_ghost *g;
	struct usock *u;
	long long now;
	int ret;

	DL_FOREACH(all_socks, u) {
		uint32_t *icons = NULL;

		if (u->family != family || u->net != net_of(t))
			continue;
		if (family == AF_UNIX && u->listener && !u->ino)
			continue; /* Linux's unix embryos are in no table until accepted */
		if (family == AF_UNIX)
			diag_unix(u, &s, &icons);
		else if (family == AF_NETLINK && !diag_netlink(u, &s))
			continue;
		else if (family != AF_NETLINK && !diag_inet(u, &s, with_info ? info : NULL))
			continue;
		ret = fn(&s, arg);
		free(icons);
		if (ret)
			return ret;
	}
	if (family == AF_UNIX || family == AF_NETLINK)
		return 0;
	ghosts_expire();
	now = monotonic_ns();
	DL_FOREACH(ghosts, g) {
		if (g->family != family || g->net != net_of(t))
			continue;
		memset(&s, 0, sizeof(s));
		s.family = g->family;
		s.type = SOCK_STREAM;
		s.protocol = IPPROTO_TCP;
		s.state = g->waiting ? TCP_FIN_WAIT2 : TCP_TIME_WAIT;
		s.timewait = true;
		s.expires = g->expires > now ? (unsigned)((g->expires - now) / 1000000) : 0;
		s.cookie = diag_cookie(&g->cookie);
		diag_addr(g->family, &g->addr, s.src, &s.sport);
		diag_addr(g->family, g->has_peer ? &g->peer : NULL, s.dst, &s.dport);
		if ((ret = fn(&s, arg)))
			return ret;
	}
	return 0;
}
