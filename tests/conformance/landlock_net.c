/* Landlock's TCP rights: bind and connect by port on IPv4 and IPv6 loopback (allowed
 * port, other ports, port 0), UDP and unix sockets untouched, the address checks before
 * the rule (short lengths, AF_UNSPEC for bind, another family), two layers.
 * Each case runs in a child. */
#include "cf.h"
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdint.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>

#define BIND 1ULL
#define CONNECT 2ULL

struct attr {
	uint64_t fs, net;
};
struct port {
	uint64_t access, port;
};

static int lport, lport6; /* listeners' ports (never printed) */

static void
enforce(uint64_t handled, uint64_t access, unsigned p1, unsigned p2)
{
	struct attr a = { 0, handled };
	int rs = syscall(444, &a, sizeof(a), 0);
	struct port r = { access, p1 };

	if (access && syscall(445, rs, 2, &r, 0))
		printf("add_rule: %s\n", en(errno));
	r.port = p2;
	if (access && p2 && syscall(445, rs, 2, &r, 0))
		printf("add_rule: %s\n", en(errno));
	prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0);
	if (syscall(446, rs, 0))
		printf("restrict_self: %s\n", en(errno));
	close(rs);
}

static struct sockaddr_in
v4(unsigned port)
{
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons(port) };

	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	return a;
}

static struct sockaddr_in6
v6(unsigned port)
{
	struct sockaddr_in6 a = { .sin6_family = AF_INET6, .sin6_port = htons(port) };

	a.sin6_addr = in6addr_loopback;
	return a;
}

static int
conn4(unsigned port)
{
	int s = socket(AF_INET, SOCK_STREAM, 0);
	struct sockaddr_in a = v4(port);
	int r = connect(s, (struct sockaddr *)&a, sizeof(a));
	int e = errno;

	close(s);
	errno = e;
	return r;
}

static int
bind4(int type, unsigned port)
{
	int s = socket(AF_INET, type, 0);
	struct sockaddr_in a = v4(port);
	int r = bind(s, (struct sockaddr *)&a, sizeof(a));
	int e = errno;

	close(s);
	errno = e;
	return r;
}

static void
t_connect(void)
{
	enforce(CONNECT, CONNECT, lport, 0);
	OK("connect allowed port", conn4(lport));
	OK("connect other port", conn4(lport6));
	int s6 = socket(AF_INET6, SOCK_STREAM, 0);
	struct sockaddr_in6 a6 = v6(lport6);
	OK("connect v6 other port", connect(s6, (struct sockaddr *)&a6, sizeof(a6)));
	OK("bind (not handled)", bind4(SOCK_STREAM, 0));
	int u = socket(AF_INET, SOCK_DGRAM, 0);
	struct sockaddr_in a = v4(lport6);
	OK("connect udp other port", connect(u, (struct sockaddr *)&a, sizeof(a)));
	int s = socket(AF_INET, SOCK_STREAM, 0);
	OK("connect short len", connect(s, (struct sockaddr *)&a, sizeof(a) - 1));
	OK("connect len 1", connect(s, (struct sockaddr *)&a, 1));
	OK("connect v6 addr on v4 socket", connect(s, (struct sockaddr *)&a6, sizeof(a6)));
	a6.sin6_family = AF_INET6;
	OK("connect v6 short len", connect(s6, (struct sockaddr *)&a6, 23));
	struct sockaddr_in a4 = v4(lport);
	OK("connect v4 addr on v6 socket", connect(s6, (struct sockaddr *)&a4, sizeof(a4)));
}

static void
t_bind(void)
{
	enforce(BIND | CONNECT, BIND, 0, 0);
	OK("bind port 0 (allowed)", bind4(SOCK_STREAM, 0));
	OK("bind fixed port", bind4(SOCK_STREAM, lport6));
	OK("bind udp fixed port", bind4(SOCK_DGRAM, lport6));
	OK("connect (no rule)", conn4(lport));
	int s = socket(AF_INET, SOCK_STREAM, 0);
	struct sockaddr_in un = { .sin_family = AF_UNSPEC };
	un.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	OK("bind AF_UNSPEC loopback", bind(s, (struct sockaddr *)&un, sizeof(un)));
	un.sin_addr.s_addr = htonl(INADDR_ANY);
	un.sin_port = htons(lport6);
	OK("bind AF_UNSPEC any, fixed port", bind(s, (struct sockaddr *)&un, sizeof(un)));
	int s6 = socket(AF_INET6, SOCK_STREAM, 0);
	OK("bind v6 AF_UNSPEC", bind(s6, (struct sockaddr *)&un, sizeof(un)));
	struct sockaddr_in6 a6 = v6(0);
	OK("bind v6 port 0", bind(s6, (struct sockaddr *)&a6, sizeof(a6)));
	int u = socket(AF_UNIX, SOCK_STREAM, 0);
	struct sockaddr un2 = { AF_UNIX, "" };
	OK("bind unix autobind", bind(u, &un2, sizeof(sa_family_t)));
}

static void
t_layers(void)
{
	enforce(CONNECT, CONNECT, lport, lport6);
	enforce(CONNECT, CONNECT, lport6, 0);
	OK("connect port of layer 1 only", conn4(lport));
	int s6 = socket(AF_INET6, SOCK_STREAM, 0);
	struct sockaddr_in6 a6 = v6(lport6);
	OK("connect port of both layers", connect(s6, (struct sockaddr *)&a6, sizeof(a6)));
}

static int
listener(int fam, int *port)
{
	int s = socket(fam, SOCK_STREAM, 0);
	struct sockaddr_in6 a6 = v6(0);
	struct sockaddr_in a4 = v4(0);
	socklen_t len = fam == AF_INET ? sizeof(a4) : sizeof(a6);

	if (fam == AF_INET)
		bind(s, (struct sockaddr *)&a4, len);
	else
		bind(s, (struct sockaddr *)&a6, len);
	listen(s, 64);
	getsockname(s, fam == AF_INET ? (struct sockaddr *)&a4 : (struct sockaddr *)&a6, &len);
	*port = ntohs(fam == AF_INET ? a4.sin_port : a6.sin6_port);
	return s;
}

int
main(void)
{
	cf_init();
	listener(AF_INET, &lport);
	listener(AF_INET6, &lport6);
	printf("-- connect\n");
	cf_in_child("connect", t_connect);
	printf("-- bind\n");
	cf_in_child("bind", t_bind);
	printf("-- layers\n");
	cf_in_child("layers", t_layers);
	return 0;
}
