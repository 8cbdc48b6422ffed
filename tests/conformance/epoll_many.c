/* epoll_wait returns every ready file up to maxevents, even more than a thousand at once
 * (Python's selectors ask for all of them); a smaller maxevents gives that many. */
#include "cf.h"
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/resource.h>

#define N 1100

int
main(void)
{
	static struct epoll_event evs[2 * N];
	struct rlimit rl;
	int ep, n = 0;

	getrlimit(RLIMIT_NOFILE, &rl);
	if (rl.rlim_max < N + 64) {
		printf("RLIMIT_NOFILE too low: skipped\n");
		return 0;
	}
	rl.rlim_cur = N + 64;
	R("setrlimit", setrlimit(RLIMIT_NOFILE, &rl));
	ep = FD("epoll_create1", epoll_create1(0));
	for (int i = 0; i < N; i++) {
		int fd = eventfd(0, 0);
		struct epoll_event ev = { .events = EPOLLOUT, .data.u32 = i };

		if (fd < 0 || epoll_ctl(ep, EPOLL_CTL_ADD, fd, &ev) < 0)
			break;
		n++;
	}
	R("registered", n);
	R("epoll_wait all", epoll_wait(ep, evs, 2 * N, 0));
	R("epoll_wait again (level-triggered)", epoll_wait(ep, evs, 2 * N, 0));
	R("epoll_wait 500", epoll_wait(ep, evs, 500, 0));
	{
		static char seen[N];
		int r = epoll_wait(ep, evs, 2 * N, 0), dup = 0;
		for (int i = 0; i < r; i++)
			dup += seen[evs[i].data.u32]++ != 0;
		R("duplicates", dup);
	}
	return 0;
}
