/* Files that move fixed-size records (eventfd, timerfd, signalfd) check the size of a
 * read or write before anything else: a shorter one, zero bytes included, is EINVAL at
 * once, also on a blocking descriptor with nothing to read (it must not wait). The alarm
 * ends a run that waits anyway. */
#include "cf.h"
#include <signal.h>
#include <sys/eventfd.h>
#include <sys/signalfd.h>
#include <sys/timerfd.h>
#include <sys/uio.h>

int
main(void)
{
	char b[256];
	struct iovec iov[2] = { { b, 3 }, { b + 3, 3 } };
	uint64_t one = 1;

	alarm(10);
	int e = eventfd(0, 0);
	R("eventfd: blocking read of 4", read(e, b, 4));
	R("eventfd: blocking read of 0", read(e, b, 0));
	R("eventfd: blocking readv of 3+3", readv(e, iov, 2));
	R("eventfd: write of 0", write(e, b, 0));
	R("eventfd: write of 4", write(e, b, 4));
	R("eventfd: write of 8", write(e, &one, 8));
	R("eventfd: read of 4 with a count", read(e, b, 4));
	R("eventfd: read of 8", read(e, b, 8));
	int enb = eventfd(0, EFD_NONBLOCK);
	R("eventfd nonblocking: read of 0", read(enb, b, 0));
	R("eventfd nonblocking: read of 8", read(enb, b, 8));

	int t = timerfd_create(CLOCK_MONOTONIC, 0);
	R("timerfd: blocking read of 4", read(t, b, 4));
	R("timerfd: blocking read of 0", read(t, b, 0));
	R("timerfd: blocking readv of 3+3", readv(t, iov, 2));
	int tn = timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK);
	R("timerfd nonblocking: read of 0", read(tn, b, 0));
	R("timerfd nonblocking: read of 8", read(tn, b, 8));

	sigset_t s;
	sigemptyset(&s);
	sigaddset(&s, SIGUSR1);
	sigprocmask(SIG_BLOCK, &s, NULL);
	int sf = signalfd(-1, &s, 0);
	R("signalfd: blocking read of 100", read(sf, b, 100));
	R("signalfd: blocking read of 0", read(sf, b, 0));
	raise(SIGUSR1);
	R("signalfd: read of 100 with a signal pending", read(sf, b, 100));
	R("signalfd: read of 128", read(sf, b, 128));
	int sn = signalfd(-1, &s, SFD_NONBLOCK);
	R("signalfd nonblocking: read of 0", read(sn, b, 0));
	R("signalfd nonblocking: read of 128", read(sn, b, 128));
	return 0;
}
