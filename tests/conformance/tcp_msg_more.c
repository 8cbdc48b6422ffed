/* TCP send with MSG_MORE holds what it sends (less than a segment) as TCP_CORK would: the
 * peer sees nothing until a send without it, which goes after the held bytes; a shutdown
 * sends them before the FIN; a zero-byte send does not push them. (LTP send02.) */
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include "cf.h"

static void
pair(int *c, int *a)
{
	struct sockaddr_in sa = { .sin_family = AF_INET };
	socklen_t sl = sizeof(sa);
	int l = socket(AF_INET, SOCK_STREAM, 0);

	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	bind(l, (struct sockaddr *)&sa, sizeof(sa));
	listen(l, 1);
	getsockname(l, (struct sockaddr *)&sa, &sl);
	*c = socket(AF_INET, SOCK_STREAM, 0);
	connect(*c, (struct sockaddr *)&sa, sizeof(sa));
	*a = accept(l, NULL, NULL);
	close(l);
}

static void
peek(const char *label, int s)
{
	char buf[256];

	R(label, recv(s, buf, sizeof(buf), MSG_DONTWAIT));
}

int
main(void)
{
	char data[64];
	int c, a;

	cf_init();
	memset(data, 'x', sizeof(data));
	pair(&c, &a);
	R("send 16", send(c, data, 16, 0));
	peek("recv", a);
	R("send 16 MSG_MORE", send(c, data, 16, MSG_MORE));
	peek("recv after MSG_MORE", a);
	R("send 0", send(c, data, 0, 0));
	peek("recv after empty send", a);
	R("send 8 MSG_MORE", send(c, data, 8, MSG_MORE));
	peek("recv after second MSG_MORE", a);
	R("send 1", send(c, data, 1, 0));
	peek("recv: all three", a);
	peek("recv again", a);
	R("send 5 MSG_MORE", send(c, data, 5, MSG_MORE));
	R("shutdown SHUT_WR", shutdown(c, SHUT_WR));
	peek("recv after shutdown", a);
	peek("recv: EOF", a);
	close(c);
	close(a);
	return 0;
}
