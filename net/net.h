/*
 * Network egress (DESIGN.md, "Network"): what `sandbox run --net` allows, decided on the
 * host side. Modes:
 *   none   no host network at all (the default): the sentry never holds a host socket.
 *   allow  TCP connections to the allowed destinations only (HOST[:PORT], HOST an IP
 *          literal or a domain name the CLI resolves at startup); the sandbox answers DNS
 *          itself (UDP port 53): the allowed names get the addresses the CLI resolved,
 *          every other name NXDOMAIN. Everything else: EPERM and an audit line.
 *   host   any TCP or UDP destination except the host's loopback (which stays the
 *          sandbox's own), with one exception: port 53 on a loopback address nothing in
 *          the sandbox listens on (a local resolver such as 127.0.0.53) goes to the host.
 * The gofer gets the policy from the CLI at startup (never from the sentry), checks each
 * destination, and only then creates the host socket, connects it (non-blocking) and passes
 * it to the sentry. The guest's socket object is then backed by that host socket.
 */
#pragma once
#include <stdbool.h>
#include <stddef.h>
#include <sys/socket.h>
#include <sys/types.h>

enum { NET_NONE, NET_ALLOW, NET_HOST };

#define NET_NAME_MAX 254          /* a domain name's text, without the trailing dot */
#define NET_RULES_MAX 1024

struct net_rule {
	int family;               /* AF_INET, AF_INET6; 0: a name that resolved to nothing */
	unsigned char addr[16];   /* network order (IPv4: the first 4 bytes) */
	int port;                 /* 0: any port */
	char name[NET_NAME_MAX + 1]; /* the domain it came from (lower case), "" for a literal */
};

struct net_policy {
	int mode;
	int nrules;
	struct net_rule *rules;
};

/* CLI side: parses --net's value ("none", "host", "allow=HOST[:PORT],...": IPv4 literals,
 * [IPv6] literals (or bare without a port), domain names, which are resolved here with
 * net_resolve). 0 (why: "" or a warning: a name without addresses), or -EINVAL with a
 * message in why. */
int net_policy_parse(const char *spec, struct net_policy *p, char *why, size_t whylen);
void net_policy_free(struct net_policy *p);   /* its rules; then mode none */

/* CLI side (net/resolve.c), our own resolver (no getaddrinfo in a static binary): the
 * IPv4 and IPv6 addresses of domain name, at most max of them: its /etc/hosts lines, else
 * the nameservers of /etc/resolv.conf (UDP, TCP for a truncated answer). The count (0: no
 * address) or -EINVAL. net_resolve_with: other files and a nameserver port (tests). */
struct net_addr {
	int family;               /* AF_INET, AF_INET6 */
	unsigned char addr[16];   /* network order (IPv4: the first 4 bytes) */
};
int net_resolve(const char *name, struct net_addr *out, int max);
int net_resolve_with(const char *name, const char *hosts, const char *resolv, int port,
		     struct net_addr *out, int max);
const char *net_mode_name(int mode);

/* Gofer side (pure): may a socket of type (SOCK_STREAM, SOCK_DGRAM) reach address sa
 * (connected: false for an unconnected UDP socket, which may send anywhere the mode
 * allows)? 0, or -EPERM with the reason in why. */
int net_policy_check(const struct net_policy *p, int type, bool connected,
		     const struct sockaddr *sa, socklen_t len, char *why, size_t whylen);

/* Gofer side (pure): the sandbox's own DNS server for allow mode: the answer to query q
 * (one UDP message) in out (at most outlen bytes, >= 512), or -EINVAL when q is not a
 * query worth an answer (dropped, as a server would). */
ssize_t net_dns_answer(const struct net_policy *p, const unsigned char *q, size_t qlen,
		       unsigned char *out, size_t outlen);

/* Sentry side (net/egress.c): the mode of this run (set once at startup). */
void net_set_mode(int mode);
int net_mode(void);

/* A guest socket backed by a host socket (net/egress.c). All calls are non-blocking:
 * -EAGAIN and the caller waits on hsock_fd() (the sentry's loop polls it). */
struct hsock;
struct sockaddr_un;
/* Asks the gofer for a host socket of family/type to address a (connect: connect it, else
 * an unconnected UDP socket). 0 connected, -EINPROGRESS (TCP, pending), or -errno (-EPERM:
 * the policy said no, with the reason in why). */
int hsock_open(int family, int type, const void *a, socklen_t len, bool connect,
	       struct hsock **out, char *why, size_t whylen);
void hsock_free(struct hsock *h);
int hsock_fd(const struct hsock *h);
/* connect again (Linux inet_stream_connect): 1 done now, -EALREADY / -EAGAIN (blocking)
 * while pending, -EISCONN, or the failure (*dead: the host socket is useless now). */
int hsock_reconnect(struct hsock *h, bool nonblock, bool *dead);
short hsock_poll(struct hsock *h, short events);
ssize_t hsock_send(struct hsock *h, const void *buf, size_t n, int flags, const void *to,
		   socklen_t tolen);
/* from/fromlen: the sender (datagrams), fromlen 0 for none; *msg_flags: MSG_TRUNC */
ssize_t hsock_recv(struct hsock *h, void *buf, size_t n, int flags, void *from,
		   socklen_t *fromlen, int *msg_flags);
int hsock_name(struct hsock *h, bool peer, void *a, socklen_t *len);
int hsock_shutdown(struct hsock *h, int how);
/* an int option the host socket gets too (gofer_net_sockopt_ok's); others: 0, kept in the
 * sentry only */
int hsock_setopt(struct hsock *h, int level, int name, int v);
/* the same with the option's bytes (an int, or SO_LINGER's struct linger) */
int hsock_setopt_raw(struct hsock *h, int level, int name, const void *val, socklen_t len);
int hsock_error(struct hsock *h);          /* SO_ERROR: the pending error, cleared */
/* shutdown(2), and setsockopt(2) of an option gofer_net_sockopt_ok allows (else 1), on any
 * host socket the sentry holds (also a host socket given as a std fd), by the gofer */
int host_socket_shutdown(int fd, int how);
/* accept4(2) of a listening one, never waiting: the new host socket or -errno (-EAGAIN) */
struct host_sock;
int host_socket_accept(int fd, struct host_sock *hs);
int host_socket_setopt(int fd, int level, int name, const void *val, socklen_t len);
int host_socket_error(int fd);             /* SO_ERROR's value (positive), taken */
int hsock_inq(struct hsock *h, int *v);    /* FIONREAD */
int hsock_atmark(struct hsock *h, int *v); /* SIOCATMARK (TCP urgent data) */
/* allow mode's DNS: the sandbox's answer to one query (gofer), its length or -errno */
ssize_t hsock_dns(const void *q, size_t qlen, void *out, size_t outlen);
