/*
 * Ephemeral ports as Linux picks them: within ip_local_port_range, a bind(0) from a
 * random point of it with the other parity than the range's low end, a TCP connect's of
 * that parity (so binds and connects rarely compete), and binds not one after another
 * (a port is not guessed from the previous one).
 */
#include "cf.h"

#include <netinet/in.h>
#include <stdbool.h>
#include <sys/socket.h>

#define N 8

static int
port_of(int fd)
{
	struct sockaddr_in a;
	socklen_t len = sizeof(a);

	return getsockname(fd, (void *)&a, &len) ? -1 : ntohs(a.sin_port);
}

int
main(void)
{
	int lo = 0, hi = 0, binds[N], conns[N], udp[N];
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	FILE *f = fopen("/proc/sys/net/ipv4/ip_local_port_range", "r");

	setvbuf(stdout, NULL, _IOLBF, 0);
	if (!f || fscanf(f, "%d %d", &lo, &hi) != 2)
		return 1;
	fclose(f);
	for (int i = 0; i < N; i++) {
		int s = socket(AF_INET, SOCK_STREAM, 0), u = socket(AF_INET, SOCK_DGRAM, 0);
		bind(s, (void *)&a, sizeof(a));
		bind(u, (void *)&a, sizeof(a));
		binds[i] = port_of(s);
		udp[i] = port_of(u);
	}
	int l = socket(AF_INET, SOCK_STREAM, 0);
	socklen_t len = sizeof(a);
	bind(l, (void *)&a, sizeof(a));
	listen(l, N);
	getsockname(l, (void *)&a, &len);
	for (int i = 0; i < N; i++) {
		int c = socket(AF_INET, SOCK_STREAM, 0);
		conns[i] = connect(c, (void *)&a, sizeof(a)) ? -1 : port_of(c);
	}
	bool in_range = true, bind_parity = true, conn_parity = true, stepping = true;
	for (int i = 0; i < N; i++) {
		in_range &= binds[i] >= lo && binds[i] <= hi && conns[i] >= lo && conns[i] <= hi &&
			    udp[i] >= lo && udp[i] <= hi;
		bind_parity &= (binds[i] - lo) % 2 == 1;
		conn_parity &= (conns[i] - lo) % 2 == 0;
		if (i)
			stepping &= binds[i] - binds[i - 1] == 2 || binds[i] - binds[i - 1] == 1;
	}
	YN("in ip_local_port_range", in_range);
	YN("binds of the other parity", bind_parity);
	YN("connects of the range's parity", conn_parity);
	YN("binds one after another", stepping);
	return 0;
}
