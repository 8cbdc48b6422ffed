/*
 * The CLI's resolver for --net allow=NAME (net/net.h), in place of getaddrinfo (which a
 * static binary can only use through the shared libraries of the glibc it was built with):
 * the name's lines in /etc/hosts, else A and AAAA queries over UDP to the nameservers of
 * /etc/resolv.conf (its search list, ndots, timeout and attempts options), over TCP when
 * an answer comes truncated. Sizes are bounded and every reply is checked before use: it
 * must come from the server asked (a connected socket), carry the query's id and question,
 * and every name and record must lie inside it (compression pointers only backwards).
 */
#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "net/net.h"

#define RES_MAX_NS 3            /* MAXNS */
#define RES_MAX_SEARCH 6        /* MAXDNSRCH */
#define RES_MAX_CNAME 8         /* aliases followed in one answer */
#define RES_MAX_RECORDS 64      /* answer records looked at */
#define RES_LINE_MAX 1024
#define RES_MSG_MAX 4096
#define DNS_HDR 12
enum { T_A = 1, T_CNAME = 5, T_AAAA = 28, C_IN = 1 };
enum { RES_OK, RES_NXDOMAIN, RES_FAIL };

struct res_conf {
	struct sockaddr_storage ns[RES_MAX_NS];
	socklen_t nslen[RES_MAX_NS];
	int nns;
	char search[RES_MAX_SEARCH][NET_NAME_MAX + 1];
	int nsearch;
	int ndots, timeout_ms, attempts;
};

static void
add_addr(struct net_addr *out, int max, int *n, int family, const void *a)
{
	size_t len = family == AF_INET ? 4 : 16;

	for (int i = 0; i < *n; i++)
		if (out[i].family == family && !memcmp(out[i].addr, a, len))
			return;
	if (*n >= max)
		return;
	memset(&out[*n], 0, sizeof(out[*n]));
	out[*n].family = family;
	memcpy(out[*n].addr, a, len);
	(*n)++;
}

/* Compares a name as written somewhere (any case, maybe a trailing dot) with name. */
static bool
same_name(const char *s, const char *name)
{
	size_t n = strlen(s);

	if (n && s[n - 1] == '.')
		n--;
	return n == strlen(name) && !strncasecmp(s, name, n);
}

/* /etc/hosts: the addresses of lines naming name. */
static int
hosts_lookup(const char *path, const char *name, struct net_addr *out, int max)
{
	char line[RES_LINE_MAX], *save, *tok;
	unsigned char a[16];
	int n = 0;
	FILE *f = fopen(path, "re");

	if (!f)
		return 0;
	while (fgets(line, sizeof(line), f)) {
		int family;

		if (!strchr(line, '\n') && !feof(f)) { /* too long: skip the rest of it */
			int c;

			while ((c = fgetc(f)) != EOF && c != '\n')
				;
			continue;
		}
		line[strcspn(line, "#\n")] = '\0';
		if (!(tok = strtok_r(line, " \t\r", &save)))
			continue;
		family = inet_pton(AF_INET, tok, a) == 1 ? AF_INET :
			 inet_pton(AF_INET6, tok, a) == 1 ? AF_INET6 : 0;
		if (!family)
			continue;
		while ((tok = strtok_r(NULL, " \t\r", &save)))
			if (same_name(tok, name))
				add_addr(out, max, &n, family, a);
	}
	fclose(f);
	return n;
}

static int
option_int(const char *opt, const char *key, int lo, int hi, int *v)
{
	size_t k = strlen(key);
	char *end;
	long x;

	if (strncmp(opt, key, k))
		return 0;
	x = strtol(opt + k, &end, 10);
	if (end != opt + k && !*end)
		*v = (int)(x < lo ? lo : x > hi ? hi : x);
	return 1;
}

/* /etc/resolv.conf: nameserver, search, domain, options ndots/timeout/attempts. */
static void
conf_read(const char *path, int port, struct res_conf *c)
{
	char line[RES_LINE_MAX], *save, *tok;
	FILE *f = fopen(path, "re");

	memset(c, 0, sizeof(*c));
	c->ndots = 1;
	c->timeout_ms = 5000;
	c->attempts = 2;
	while (f && fgets(line, sizeof(line), f)) {
		if (!strchr(line, '\n') && !feof(f)) {
			int ch;

			while ((ch = fgetc(f)) != EOF && ch != '\n')
				;
			continue;
		}
		line[strcspn(line, "#;\n")] = '\0';
		if (!(tok = strtok_r(line, " \t\r", &save)))
			continue;
		if (!strcmp(tok, "nameserver") && (tok = strtok_r(NULL, " \t\r", &save)) &&
		    c->nns < RES_MAX_NS) {
			struct sockaddr_in *in = (void *)&c->ns[c->nns];
			struct sockaddr_in6 *in6 = (void *)&c->ns[c->nns];

			if (inet_pton(AF_INET, tok, &in->sin_addr) == 1) {
				in->sin_family = AF_INET;
				in->sin_port = htons((uint16_t)port);
				c->nslen[c->nns++] = sizeof(*in);
			} else if (inet_pton(AF_INET6, tok, &in6->sin6_addr) == 1) {
				in6->sin6_family = AF_INET6;
				in6->sin6_port = htons((uint16_t)port);
				c->nslen[c->nns++] = sizeof(*in6);
			}
		} else if (!strcmp(tok, "search") || !strcmp(tok, "domain")) {
			c->nsearch = 0; /* the last such line wins */
			while ((tok = strtok_r(NULL, " \t\r", &save)) && c->nsearch < RES_MAX_SEARCH)
				if (strlen(tok) <= NET_NAME_MAX && strcmp(tok, "."))
					snprintf(c->search[c->nsearch++], NET_NAME_MAX + 1, "%s", tok);
		} else if (!strcmp(tok, "options")) {
			int t = c->timeout_ms / 1000;

			while ((tok = strtok_r(NULL, " \t\r", &save))) {
				option_int(tok, "ndots:", 0, 15, &c->ndots);
				if (option_int(tok, "timeout:", 1, 30, &t))
					c->timeout_ms = t * 1000;
				option_int(tok, "attempts:", 1, 5, &c->attempts);
			}
		}
	}
	if (f)
		fclose(f);
}

/* A query for name and type into q (at least 512 bytes): its length, or -EINVAL for a
 * name that is no domain name. */
static int
query_build(const char *name, int type, uint16_t id, unsigned char *q)
{
	size_t pos = DNS_HDR, len = strlen(name);
	const char *s = name;

	if (len == 0 || len > NET_NAME_MAX)
		return -EINVAL;
	memset(q, 0, DNS_HDR);
	q[0] = (unsigned char)(id >> 8);
	q[1] = (unsigned char)id;
	q[2] = 0x01; /* RD */
	q[5] = 1;    /* one question */
	while (*s) {
		size_t l = strcspn(s, ".");

		if (l == 0 || l > 63)
			return -EINVAL;
		q[pos++] = (unsigned char)l;
		for (size_t i = 0; i < l; i++)
			q[pos++] = (unsigned char)tolower((unsigned char)s[i]);
		s += l;
		if (*s == '.')
			s++;
	}
	q[pos++] = 0;
	q[pos++] = (unsigned char)(type >> 8);
	q[pos++] = (unsigned char)type;
	q[pos++] = 0;
	q[pos++] = C_IN;
	return (int)pos;
}

static unsigned
get16(const unsigned char *p)
{
	return (unsigned)p[0] << 8 | p[1];
}

/* The name at pos of message m (len bytes), dotted and lower case, into out (room for
 * NET_NAME_MAX + 1); *next: where the record goes on. -1 for a name that does not fit in
 * the message, loops, or is too long. */
static int
name_read(const unsigned char *m, size_t len, size_t pos, char *out, size_t *next)
{
	size_t n = 0, limit = pos;
	int hops = 0;
	bool jumped = false;

	for (;;) {
		unsigned l;

		if (pos >= len)
			return -1;
		l = m[pos];
		if ((l & 0xc0) == 0xc0) { /* a pointer: strictly backwards, a few at most */
			size_t to;

			if (pos + 1 >= len || ++hops > 16)
				return -1;
			to = (l & 0x3f) << 8 | m[pos + 1];
			if (!jumped)
				*next = pos + 2;
			jumped = true;
			if (to >= limit)
				return -1;
			limit = to;
			pos = to;
			continue;
		}
		if (l & 0xc0)
			return -1;
		if (l == 0)
			break;
		if (pos + 1 + l > len || n + l + 1 > NET_NAME_MAX)
			return -1;
		if (n)
			out[n++] = '.';
		for (unsigned i = 0; i < l; i++)
			out[n++] = (char)tolower(m[pos + 1 + i]);
		pos += 1 + l;
	}
	out[n] = '\0';
	if (!jumped)
		*next = pos + 1;
	return 0;
}

/* Checks reply r against query q and takes its addresses of type for name (following
 * its aliases): RES_OK, RES_NXDOMAIN, or RES_FAIL (not an answer to take: a server failure,
 * refusal, or anything malformed). *truncated: TC was set. */
static int
reply_take(const unsigned char *q, size_t qlen, const unsigned char *r, size_t rlen,
	   const char *name, int type, struct net_addr *out, int max, int *n, bool *truncated)
{
	char cur[NET_NAME_MAX + 1], owner[NET_NAME_MAX + 1];
	size_t pos = qlen;
	unsigned an, rcode;
	int aliases = 0;

	if (rlen < qlen || r[0] != q[0] || r[1] != q[1] || !(r[2] & 0x80) || (r[2] & 0x78) ||
	    get16(r + 4) != 1)
		return RES_FAIL; /* not the answer to this query */
	for (size_t i = DNS_HDR; i < qlen; i++)
		if (tolower(r[i]) != q[i])
			return RES_FAIL; /* another question */
	*truncated = r[2] & 0x02;
	rcode = r[3] & 0x0f;
	if (rcode == 3)
		return RES_NXDOMAIN;
	if (rcode != 0)
		return RES_FAIL;
	an = get16(r + 6);
	snprintf(cur, sizeof(cur), "%s", name);
	for (unsigned i = 0; i < an && i < RES_MAX_RECORDS; i++) {
		unsigned rtype, rclass, rdlen;

		if (name_read(r, rlen, pos, owner, &pos) || pos + 10 > rlen)
			return RES_FAIL;
		rtype = get16(r + pos);
		rclass = get16(r + pos + 2);
		rdlen = get16(r + pos + 8);
		pos += 10;
		if (pos + rdlen > rlen)
			return RES_FAIL;
		if (rclass == C_IN && strcmp(owner, cur) == 0) {
			if (rtype == T_CNAME) {
				size_t end;

				if (++aliases > RES_MAX_CNAME || name_read(r, pos + rdlen, pos, cur, &end))
					return RES_FAIL;
			} else if (rtype == (unsigned)type && rdlen == (type == T_A ? 4u : 16u)) {
				add_addr(out, max, n, type == T_A ? AF_INET : AF_INET6, r + pos);
			}
		}
		pos += rdlen;
	}
	return RES_OK;
}

static long long
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000LL + ts.tv_nsec / 1000000;
}

/* Waits until fd is ready for events or deadline (CLOCK_MONOTONIC ms): 1, 0 timed out. */
static int
wait_fd(int fd, short events, long long deadline)
{
	for (;;) {
		struct pollfd p = { .fd = fd, .events = events };
		long long left = deadline - now_ms();
		int r;

		if (left <= 0)
			return 0;
		r = poll(&p, 1, (int)(left > 60000 ? 60000 : left));
		if (r > 0)
			return 1;
		if (r < 0 && errno != EINTR)
			return 0;
	}
}

/* Reads or writes exactly n bytes of a stream before deadline: 0 or -1. */
static int
stream_io(int fd, unsigned char *buf, size_t n, bool wr, long long deadline)
{
	size_t done = 0;

	while (done < n) {
		ssize_t k;

		if (!wait_fd(fd, wr ? POLLOUT : POLLIN, deadline))
			return -1;
		k = wr ? send(fd, buf + done, n - done, MSG_NOSIGNAL | MSG_DONTWAIT)
		       : recv(fd, buf + done, n - done, MSG_DONTWAIT);
		if (k == 0 || (k < 0 && errno != EAGAIN && errno != EINTR))
			return -1;
		if (k > 0)
			done += (size_t)k;
	}
	return 0;
}

/* The query over TCP (a truncated UDP answer): the reply's length in r, or -1. */
static int
ask_tcp(const struct sockaddr *ns, socklen_t nslen, const unsigned char *q, size_t qlen,
	unsigned char *r, size_t rmax, int timeout_ms)
{
	unsigned char msg[2 + 512], lenb[2];
	long long deadline = now_ms() + timeout_ms;
	int fd = socket(ns->sa_family, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	int len = -1;

	if (fd < 0)
		return -1;
	msg[0] = (unsigned char)(qlen >> 8);
	msg[1] = (unsigned char)qlen;
	memcpy(msg + 2, q, qlen);
	if ((connect(fd, ns, nslen) == 0 || errno == EINPROGRESS) &&
	    stream_io(fd, msg, qlen + 2, true, deadline) == 0 &&
	    stream_io(fd, lenb, 2, false, deadline) == 0) {
		len = (int)get16(lenb);
		if ((size_t)len > rmax || stream_io(fd, r, (size_t)len, false, deadline))
			len = -1;
	}
	close(fd);
	return len;
}

/* One query of name's type to nameserver ns: RES_OK (addresses added), RES_NXDOMAIN, RES_FAIL. */
static int
ask(const struct sockaddr *ns, socklen_t nslen, const char *name, int type, int timeout_ms,
    struct net_addr *out, int max, int *n)
{
	unsigned char q[512], r[RES_MSG_MAX];
	uint16_t id = 0;
	long long deadline = now_ms() + timeout_ms;
	int qlen, fd, res = RES_FAIL;

	if (getrandom(&id, sizeof(id), 0) != sizeof(id))
		id = (uint16_t)(now_ms() ^ getpid());
	if ((qlen = query_build(name, type, id, q)) < 0)
		return RES_FAIL;
	fd = socket(ns->sa_family, SOCK_DGRAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	if (fd < 0)
		return RES_FAIL;
	/* connected: the kernel drops datagrams from anyone but this server */
	if (connect(fd, ns, nslen) < 0 || send(fd, q, (size_t)qlen, 0) != qlen) {
		close(fd);
		return RES_FAIL;
	}
	while (wait_fd(fd, POLLIN, deadline)) {
		ssize_t k = recv(fd, r, sizeof(r), 0);
		bool tc = false;
		int got = *n;

		if (k < 0)
			continue;
		res = reply_take(q, (size_t)qlen, r, (size_t)k, name, type, out, max, n, &tc);
		if (res == RES_FAIL && (k < 2 || r[0] != q[0] || r[1] != q[1]))
			continue; /* someone else's datagram: keep waiting for ours */
		if (res == RES_OK && tc) { /* the whole answer over TCP */
			int len = ask_tcp(ns, nslen, q, (size_t)qlen, r, sizeof(r), timeout_ms);

			*n = got;
			res = len < 0 ? RES_FAIL : reply_take(q, (size_t)qlen, r, (size_t)len, name,
							     type, out, max, n, &tc);
		}
		break;
	}
	close(fd);
	return res;
}

/* One name as it is: the nameservers in turn, attempts times, until one answers.
 * RES_OK, RES_NXDOMAIN or RES_FAIL (nobody answered). */
static int
lookup_dns(const struct res_conf *c, const char *name, struct net_addr *out, int max, int *n)
{
	int res = RES_FAIL;

	for (int ti = 0; ti < 2; ti++) {
		int type = ti ? T_AAAA : T_A, r = RES_FAIL;

		for (int a = 0; a < c->attempts && r == RES_FAIL; a++)
			for (int i = 0; i < c->nns && r == RES_FAIL; i++)
				r = ask((const struct sockaddr *)&c->ns[i], c->nslen[i], name, type,
					c->timeout_ms, out, max, n);
		if (r == RES_NXDOMAIN)
			return RES_NXDOMAIN;
		if (r == RES_OK)
			res = RES_OK;
	}
	return res;
}

int
net_resolve_with(const char *name, const char *hosts, const char *resolv, int port,
		 struct net_addr *out, int max)
{
	char cand[RES_MAX_SEARCH + 1][2 * NET_NAME_MAX + 2];
	struct res_conf c;
	int n = 0, ncand = 0, dots = 0;

	if (!name || !*name || strlen(name) > NET_NAME_MAX || max <= 0)
		return -EINVAL;
	if ((n = hosts_lookup(hosts, name, out, max)) > 0)
		return n;
	conf_read(resolv, port, &c);
	for (const char *s = name; *s; s++)
		dots += *s == '.';
	/* glibc's order: as it is first when it has ndots dots or more, else last */
	if (dots >= c.ndots)
		snprintf(cand[ncand++], sizeof(cand[0]), "%s", name);
	for (int i = 0; i < c.nsearch; i++)
		if (strlen(name) + 1 + strlen(c.search[i]) <= NET_NAME_MAX)
			snprintf(cand[ncand++], sizeof(cand[0]), "%s.%s", name, c.search[i]);
	if (dots < c.ndots)
		snprintf(cand[ncand++], sizeof(cand[0]), "%s", name);
	for (int i = 0; i < ncand; i++) {
		size_t l = strlen(cand[i]);

		if (l && cand[i][l - 1] == '.')
			cand[i][l - 1] = '\0';
		n = 0;
		if (lookup_dns(&c, cand[i], out, max, &n) == RES_OK && n > 0)
			return n;
	}
	return 0;
}

int
net_resolve(const char *name, struct net_addr *out, int max)
{
	return net_resolve_with(name, "/etc/hosts", "/etc/resolv.conf", 53, out, max);
}
