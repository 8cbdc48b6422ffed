/* socketpair AF_UNIX stream: both directions, shutdown, EOF. */
#include "../cf.h"
#include <sys/socket.h>

int
main(void)
{
	int sv[2];
	char b[16] = {0};
	R("socketpair", socketpair(AF_UNIX, SOCK_STREAM, 0, sv));
	R("send", send(sv[0], "ping", 4, 0));
	R("recv", recv(sv[1], b, sizeof(b), 0));
	printf("got: %s\n", b);
	R("shutdown WR", shutdown(sv[0], SHUT_WR));
	R("recv after shutdown", recv(sv[1], b, sizeof(b), 0));
	R("socket AF_INET6 dgram", socket(AF_INET6, SOCK_DGRAM, 0) >= 0);
	R("socket bad family", socket(12345, SOCK_STREAM, 0));
	return 0;
}
