/*
 * The egress policy (net/net.h): parsed by the CLI, checked by the gofer, and the
 * sandbox's own DNS answers for allow mode. Everything but net_policy_parse is pure.
 */
#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "net/net.h"

const char *
net_mode_name(int mode)
{
	return mode == NET_HOST ? "host" : mode == NET_ALLOW ? "allow" : "none";
}

static int
add_rule(struct net_policy *p, int family, const void *addr, int port, const char *name)
{
	struct net_rule *r, *nr;

	if (p->nrules >= NET_RULES_MAX)
		return -E2BIG;
	nr = realloc(p->rules, (p->nrules + 1) * sizeof(*nr));
	if (!nr)
		return -ENOMEM;
	p->rules = nr;
	r = &p->rules[p->nrules++];
	memset(r, 0, sizeof(*r));
	r->family = family;
	if (family)
		memcpy(r->addr, addr, family == AF_INET ? 4 : 16);
	r->port = port;
	snprintf(r->name, sizeof(r->name), "%s", name);
	return 0;
}

static bool
name_ok(const char *s)
{
	size_t n = strlen(s);

	if (n == 0 || n > NET_NAME_MAX)
		return false;
	for (; *s; s++)
		if (!isalnum((unsigned char)*s) && *s != '-' && *s != '.' && *s != '_')
			return false;
	return true;
}

/* name (a domain) resolved now: one rule per address, or one without any */
static int
add_name(struct net_policy *p, char *name, int port)
{
	struct net_addr a[32];
	int err = 0, n;

	for (char *c = name; *c; c++)
		*c = (char)tolower((unsigned char)*c);
	if (name[strlen(name) - 1] == '.')
		name[strlen(name) - 1] = '\0';
	if (!name_ok(name))
		return -EINVAL;
	n = net_resolve(name, a, (int)(sizeof(a) / sizeof(a[0])));
	if (n < 0)
		n = 0;
	for (int i = 0; i < n && !err; i++)
		err = add_rule(p, a[i].family, a[i].addr, port, name);
	if (!err && n == 0) /* still a name DNS answers for (with no address) */
		err = add_rule(p, 0, NULL, port, name);
	return err ? err : n == 0 ? 1 : 0;
}

/* one HOST[:PORT] of allow= */
static int
parse_one(struct net_policy *p, char *item)
{
	char *host = item, *port_s = NULL, *end;
	unsigned char a[16];
	long port = 0;

	if (item[0] == '[') { /* [v6]:port */
		end = strchr(item, ']');
		if (!end)
			return -EINVAL;
		*end = '\0';
		host = item + 1;
		if (end[1] == ':')
			port_s = end + 2;
		else if (end[1])
			return -EINVAL;
	} else if (strchr(item, ':') == strrchr(item, ':') && strchr(item, ':')) {
		port_s = strchr(item, ':'); /* one colon: host:port */
		*port_s++ = '\0';
	}
	if (port_s) {
		errno = 0;
		port = strtol(port_s, &end, 10);
		if (!*port_s || *end || port < 1 || port > 65535)
			return -EINVAL;
	}
	if (inet_pton(AF_INET, host, a) == 1)
		return add_rule(p, AF_INET, a, (int)port, "");
	if (inet_pton(AF_INET6, host, a) == 1)
		return add_rule(p, AF_INET6, a, (int)port, "");
	return add_name(p, host, (int)port);
}

void
net_policy_free(struct net_policy *p)
{
	free(p->rules);
	memset(p, 0, sizeof(*p));
}

int
net_policy_parse(const char *spec, struct net_policy *p, char *why, size_t whylen)
{
	char *copy, *save = NULL, *item;
	int err = 0;

	memset(p, 0, sizeof(*p));
	why[0] = '\0';
	if (!strcmp(spec, "none"))
		return 0;
	if (!strcmp(spec, "host")) {
		p->mode = NET_HOST;
		return 0;
	}
	if (strncmp(spec, "allow=", 6) || !spec[6]) {
		snprintf(why, whylen, "'%s': expected none, host or allow=HOST[:PORT],...", spec);
		return -EINVAL;
	}
	p->mode = NET_ALLOW;
	copy = strdup(spec + 6);
	if (!copy)
		return -ENOMEM;
	why[0] = '\0';
	for (item = strtok_r(copy, ",", &save); item && !err; item = strtok_r(NULL, ",", &save)) {
		err = parse_one(p, item);
		if (err == 1) { /* a warning, not an error */
			snprintf(why, whylen, "allow=: '%s' has no address now (its DNS answer is empty)",
				 item);
			err = 0;
		} else if (err) {
			snprintf(why, whylen, "allow=: bad destination '%s'", item);
		}
	}
	free(copy);
	if (err)
		net_policy_free(p);
	return err;
}

/* ---- the gofer's check ---- */

/* a's address as v4 (IPv4-mapped IPv6 too) or v6; false for a bad address */
static bool
norm_addr(const struct sockaddr *sa, socklen_t len, int *family, unsigned char *addr, int *port)
{
	const struct sockaddr_in *in = (const void *)sa;
	const struct sockaddr_in6 *in6 = (const void *)sa;

	if (len >= sizeof(*in) && sa->sa_family == AF_INET) {
		*family = AF_INET;
		memcpy(addr, &in->sin_addr, 4);
		*port = ntohs(in->sin_port);
		return true;
	}
	if (len < sizeof(*in6) || sa->sa_family != AF_INET6)
		return false;
	*port = ntohs(in6->sin6_port);
	if (IN6_IS_ADDR_V4MAPPED(&in6->sin6_addr)) {
		*family = AF_INET;
		memcpy(addr, &in6->sin6_addr.s6_addr[12], 4);
	} else {
		*family = AF_INET6;
		memcpy(addr, &in6->sin6_addr, 16);
	}
	return true;
}

static bool
is_loopback(int family, const unsigned char *a)
{
	static const unsigned char v6lo[16] = { [15] = 1 };

	return family == AF_INET ? a[0] == 127 : !memcmp(a, v6lo, 16);
}

static bool
is_unspecified(int family, const unsigned char *a)
{
	static const unsigned char zero[16];

	return !memcmp(a, zero, family == AF_INET ? 4 : 16);
}

static int
deny(char *why, size_t whylen, const char *what, const char *dst)
{
	if (dst)
		snprintf(why, whylen, "egress to %s: %s", dst, what);
	else
		snprintf(why, whylen, "%s", what);
	return -EPERM;
}

int
net_policy_check(const struct net_policy *p, int type, bool connected,
		 const struct sockaddr *sa, socklen_t len, char *why, size_t whylen)
{
	unsigned char a[16];
	char txt[INET6_ADDRSTRLEN + 8], dst[INET6_ADDRSTRLEN + 16];
	int family, port;

	why[0] = '\0';
	if (!p || p->mode == NET_NONE)
		return deny(why, whylen, "network mode none", NULL);
	if (!norm_addr(sa, len, &family, a, &port) || (type != SOCK_STREAM && type != SOCK_DGRAM))
		return deny(why, whylen, "not an IPv4/IPv6 TCP or UDP destination", NULL);
	inet_ntop(family, a, txt, sizeof(txt));
	snprintf(dst, sizeof(dst), family == AF_INET ? "%s:%d" : "[%s]:%d", txt, port);
	if (is_unspecified(family, a) || port == 0)
		return deny(why, whylen, "not a destination", dst);
	if (is_loopback(family, a) && !(p->mode == NET_HOST && port == 53 && connected))
		return deny(why, whylen, "the host's loopback is not reachable", dst);
	if (p->mode == NET_HOST)
		return 0;
	if (type != SOCK_STREAM || !connected)
		return deny(why, whylen, "allow mode permits TCP only", dst);
	for (int i = 0; i < p->nrules; i++) {
		const struct net_rule *r = &p->rules[i];

		if (r->family == family && !memcmp(r->addr, a, family == AF_INET ? 4 : 16) &&
		    (r->port == 0 || r->port == port))
			return 0;
	}
	return deny(why, whylen, "not in the allow list", dst);
}

/* ---- allow mode's DNS server ---- */

#define DNS_HDR 12
enum { DNS_A = 1, DNS_AAAA = 28, DNS_IN = 1 };

/* The query's one question: its name (dotted, lower case) and where it ends in q. */
static int
dns_question(const unsigned char *q, size_t qlen, char *name, size_t *end)
{
	size_t pos = DNS_HDR, n = 0;

	for (;;) {
		if (pos >= qlen)
			return -EINVAL;
		size_t l = q[pos++];

		if (l == 0)
			break;
		if (l > 63 || pos + l > qlen || n + l + 1 > NET_NAME_MAX)
			return -EINVAL; /* (a compression pointer has no place in a question) */
		if (n)
			name[n++] = '.';
		for (size_t i = 0; i < l; i++)
			name[n++] = (char)tolower(q[pos + i]);
		pos += l;
	}
	name[n] = '\0';
	if (pos + 4 > qlen)
		return -EINVAL;
	*end = pos + 4;
	return 0;
}

static void
put16(unsigned char *p, unsigned v)
{
	p[0] = (unsigned char)(v >> 8);
	p[1] = (unsigned char)v;
}

ssize_t
net_dns_answer(const struct net_policy *p, const unsigned char *q, size_t qlen,
	       unsigned char *out, size_t outlen)
{
	char name[NET_NAME_MAX + 1];
	size_t end, pos;
	unsigned qtype, qclass, opcode, nans = 0;
	bool known = false;

	if (!p || qlen < DNS_HDR || outlen < 512 || (q[2] & 0x80))
		return -EINVAL; /* not a query */
	opcode = (q[2] >> 3) & 0xf;
	if (q[4] != 0 || q[5] != 1 || dns_question(q, qlen, name, &end))
		opcode = 16; /* one question only: FORMERR below */
	if (opcode == 16) {
		end = DNS_HDR;
	} else if (end > outlen) {
		return -EINVAL;
	}
	memcpy(out, q, end);
	out[2] = (unsigned char)(0x80 | (q[2] & 0x79)); /* QR, the opcode, RD */
	out[3] = 0x80;                                   /* RA, rcode NOERROR */
	memset(out + 6, 0, 6);                           /* no answers, authority, additional */
	if (opcode == 16) {
		out[3] |= 1; /* FORMERR */
		memset(out + 4, 0, 2);
		return DNS_HDR;
	}
	if (opcode != 0) {
		out[3] |= 4; /* NOTIMP */
		return (ssize_t)end;
	}
	qtype = (unsigned)q[end - 4] << 8 | q[end - 3];
	qclass = (unsigned)q[end - 2] << 8 | q[end - 1];
	pos = end;
	for (int i = 0; i < p->nrules; i++) {
		const struct net_rule *r = &p->rules[i];
		int want = qtype == DNS_A ? AF_INET : qtype == DNS_AAAA ? AF_INET6 : -1;
		size_t alen = r->family == AF_INET ? 4 : 16;
		bool dup = false;

		if (!r->name[0] || strcmp(r->name, name))
			continue;
		known = true;
		if (r->family != want || (qclass != DNS_IN && qclass != 255) ||
		    pos + 12 + alen > 512 || nans >= 16)
			continue;
		for (int j = 0; j < i; j++) /* the same address under two ports: once */
			if (!strcmp(p->rules[j].name, name) && p->rules[j].family == r->family &&
			    !memcmp(p->rules[j].addr, r->addr, alen))
				dup = true;
		if (dup)
			continue;
		put16(out + pos, 0xc00c);         /* the question's name */
		put16(out + pos + 2, qtype);
		put16(out + pos + 4, DNS_IN);
		put16(out + pos + 6, 0);          /* TTL 60 s */
		put16(out + pos + 8, 60);
		put16(out + pos + 10, (unsigned)alen);
		memcpy(out + pos + 12, r->addr, alen);
		pos += 12 + alen;
		nans++;
	}
	if (!known)
		out[3] |= 3; /* NXDOMAIN: not a name this sandbox may reach */
	put16(out + 6, nans);
	return (ssize_t)pos;
}
