/* personality STICKY_TIMEOUTS: select, pselect6 and ppoll leave the timeout argument as
 * it was; without it they write back what is left (0 after a full timeout). */
#include "cf.h"
#include <poll.h>
#include <sys/personality.h>
#include <sys/select.h>

static void
run(const char *label)
{
	int p[2];
	pipe(p);
	fd_set r;
	FD_ZERO(&r);
	FD_SET(p[0], &r);
	struct timeval tv = { 0, 10000 };
	R("select", select(p[0] + 1, &r, NULL, NULL, &tv));
	printf("%s select timeout after: %ld.%06ld\n", label, (long)tv.tv_sec, (long)tv.tv_usec);
	FD_SET(p[0], &r);
	struct timespec ts = { 0, 10000000 };
	R("pselect", syscall(SYS_pselect6, p[0] + 1, &r, NULL, NULL, &ts, NULL));
	printf("%s pselect timeout after: %ld.%09ld\n", label, (long)ts.tv_sec, ts.tv_nsec);
	struct pollfd pf = { .fd = p[0], .events = POLLIN };
	ts.tv_sec = 0, ts.tv_nsec = 10000000;
	R("ppoll", syscall(SYS_ppoll, &pf, 1, &ts, NULL, 8));
	printf("%s ppoll timeout after: %ld.%09ld\n", label, (long)ts.tv_sec, ts.tv_nsec);
	/* ready at once: the time left is not the whole of it, but it is not 0 either */
	write(p[1], "x", 1);
	FD_SET(p[0], &r);
	tv.tv_sec = 100, tv.tv_usec = 0;
	R("select ready", select(p[0] + 1, &r, NULL, NULL, &tv));
	printf("%s select ready: timeout written %s\n", label, tv.tv_sec == 100 && tv.tv_usec == 0 ? "no" : "yes");
	close(p[0]);
	close(p[1]);
}

int
main(void)
{
	cf_init();
	run("plain");
	R("personality sticky", personality(PER_LINUX | STICKY_TIMEOUTS) & 0xffffffff);
	run("sticky");
	R("personality back", personality(PER_LINUX) == (PER_LINUX | STICKY_TIMEOUTS));
	return 0;
}
