/*
 * A server's event loop among many idle connections: N socketpairs watched by one epoll,
 * then ITERS times a byte written to one of them (a different one each time), epoll_wait,
 * and the byte read back. Linux's epoll_wait costs what the ready items do, not the idle
 * ones. N is capped by RLIMIT_NOFILE (raised to its hard limit).
 *   epollbench N ITERS
 * Prints "n=... per_iter_us=..."; exit status 1 if a step fails.
 */
#include <stdio.h>
#include <stdlib.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#include "bench.h"

int
main(int argc, char **argv)
{
	struct rlimit rl;
	struct epoll_event ev[16];
	char c = 'x';

	if (argc != 3) {
		fprintf(stderr, "usage: epollbench N ITERS\n");
		return 2;
	}
	long n = atol(argv[1]), iters = atol(argv[2]);
	getrlimit(RLIMIT_NOFILE, &rl);
	rl.rlim_cur = rl.rlim_max;
	setrlimit(RLIMIT_NOFILE, &rl);
	if (rl.rlim_cur != RLIM_INFINITY && n > ((long)rl.rlim_cur - 32) / 2)
		n = ((long)rl.rlim_cur - 32) / 2;
	if (n < 1 || iters < 1)
		return 2;
	int ep = epoll_create1(0), (*sv)[2] = malloc(sizeof(*sv) * n);
	if (ep < 0 || !sv)
		return 1;
	for (long i = 0; i < n; i++) {
		struct epoll_event e = { .events = EPOLLIN, .data.u64 = (unsigned long)i };

		if (socketpair(AF_UNIX, SOCK_STREAM, 0, sv[i]) ||
		    epoll_ctl(ep, EPOLL_CTL_ADD, sv[i][0], &e)) {
			perror("setup");
			return 1;
		}
	}
	double t0 = now_ms();
	for (long k = 0; k < iters; k++) {
		long i = (k * 7919) % n;

		if (write(sv[i][1], &c, 1) != 1 || epoll_wait(ep, ev, 16, -1) != 1 ||
		    read(sv[ev[0].data.u64][0], &c, 1) != 1) {
			perror("loop");
			return 1;
		}
	}
	printf("n=%ld per_iter_us=%.2f\n", n, (now_ms() - t0) * 1e3 / iters);
	return 0;
}
