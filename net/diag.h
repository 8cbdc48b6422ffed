/*
 * NETLINK_SOCK_DIAG (net/diag.c): what `ss` asks the kernel about sockets. The sentry's
 * socket layer (fs/socket.c) describes each socket as a struct diag_sock through one
 * iterator; net/diag.c answers SOCK_DIAG_BY_FAMILY (and the old TCPDIAG_GETSOCK) requests
 * for AF_INET, AF_INET6 and AF_UNIX from those descriptions, as Linux's inet_diag.c and
 * unix/diag.c do: dumps, exact lookups, the bytecode filters, the attributes asked for.
 */
#pragma once
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct task;
struct nlmsghdr;

#define DIAG_TCP_INFO_LEN 280     /* Linux's struct tcp_info now */

/* One socket as sock_diag shows it (Linux's field meanings). */
struct diag_sock {
	int family;               /* AF_INET, AF_INET6, AF_UNIX */
	int type;                 /* SOCK_STREAM, SOCK_DGRAM, SOCK_SEQPACKET */
	int protocol;             /* inet: IPPROTO_TCP, _UDP, _UDPLITE */
	int state;                /* TCP_* (sk_state; TIME_WAIT's substate for a timewait) */
	bool timewait;            /* TIME_WAIT or FIN_WAIT2 remains: the short message */
	unsigned expires;         /* a timewait's: ms until it goes */
	uint64_t cookie;          /* sock_gen_cookie's */
	unsigned long ino;        /* the socket inode (0: none, as an unaccepted one) */
	unsigned uid;
	/* inet */
	unsigned char src[16], dst[16]; /* network order; IPv4: the first 4 bytes */
	int sport, dport;         /* host order */
	int ifindex;              /* SO_BINDTODEVICE (0 none) */
	bool port_locked;         /* bind named the port (SOCK_BINDPORT_LOCK) */
	unsigned rqueue, wqueue;  /* listeners: accept queue and backlog; else bytes */
	int shutdown;             /* RCV_SHUTDOWN 1 | SEND_SHUTDOWN 2 */
	int tos, tclass, mark;
	bool v6only, recverr, mc_loop, mc_all;
	unsigned rmem, rcvbuf, sndbuf;
	const char *cong;         /* TCP: the congestion control's name */
	const unsigned char *tcp_info; /* TCP: DIAG_TCP_INFO_LEN bytes */
	/* unix */
	const char *name;         /* the name without the family (abstract: a leading NUL) */
	size_t namelen;           /* 0: unnamed */
	unsigned long vfs_ino;    /* a filesystem name's inode (0: none) */
	unsigned vfs_dev;         /* its device, the kernel's encoding (major << 20 | minor) */
	unsigned long peer_ino;   /* the peer's inode (0: none); has_peer: there is a peer */
	bool has_peer;
	const uint32_t *icons;    /* listeners: the inodes of the clients waiting (nicons) */
	int nicons;
	/* netlink */
	uint32_t portid;
	uint64_t groups;          /* joined (bit g-1: group g); has_groups: ever joined */
	bool has_groups;
};

/* fs/socket.c: calls fn for each socket of family (AF_INET: AF_INET ones, AF_INET6: AF_INET6
 * ones, AF_UNIX, AF_NETLINK: those with a port id or groups) that t's network namespace can see, in a stable order, until fn returns
 * nonzero (that value is returned; else 0). with_info: fill tcp_info (it costs a little). */
int sock_diag_foreach(struct task *t, int family, bool with_info,
		      int (*fn)(const struct diag_sock *s, void *arg), void *arg);

/* A datagram of answers for the asking socket (a malloc'd buffer the callee owns). */
typedef void (*diag_emit_fn)(void *arg, void *buf, size_t len);

/* One request message req (nlmsg_len bytes: the caller checked they are there) from the
 * socket with port id portid; busy: an earlier dump's answers are not all read yet (a new
 * dump is then EBUSY). Answers go to emit. Returns 0 (answered, or nothing to answer: an
 * NLMSG_ERROR of 0 follows if NLM_F_ACK asked), 1 (a dump: answered, never acknowledged),
 * or -errno (the NLMSG_ERROR to send). */
int diag_request(struct task *t, const struct nlmsghdr *req, uint32_t portid, bool net_admin,
		 bool busy, diag_emit_fn emit, void *arg);
