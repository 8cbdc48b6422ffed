/* futex_waitv(2) (futex2, Linux 5.16): waiting on several futexes at once, woken by an
 * ordinary FUTEX_WAKE on one of them (its index is the result); argument errors. */
#include "cf.h"
#include <linux/futex.h>
#include <pthread.h>
#include <stdint.h>
#include <time.h>

#ifndef FUTEX_32
#define FUTEX_32 2
struct futex_waitv {
	uint64_t val;
	uint64_t uaddr;
	uint32_t flags;
	uint32_t __reserved;
};
#endif
#ifndef SYS_futex_waitv
#define SYS_futex_waitv 449
#endif

static uint32_t words[3];

static long
waitv(struct futex_waitv *w, unsigned n, const struct timespec *abs)
{
	return syscall(SYS_futex_waitv, w, n, 0, abs, CLOCK_MONOTONIC);
}

static void *
waker(void *arg)
{
	(void)arg;
	/* wake the second futex until somebody was there to be woken */
	while (syscall(SYS_futex, &words[1], FUTEX_WAKE_PRIVATE, 1, NULL, NULL, 0) < 1)
		usleep(1000);
	return NULL;
}

int
main(void)
{
	struct futex_waitv w[3];
	memset(w, 0, sizeof(w));
	for (int i = 0; i < 3; i++) {
		w[i].uaddr = (uintptr_t)&words[i];
		w[i].flags = FUTEX_32 | FUTEX_PRIVATE_FLAG;
	}
	pthread_t th;
	pthread_create(&th, NULL, waker, NULL);
	R("woken: index", waitv(w, 3, NULL));
	pthread_join(th, NULL);

	struct timespec abs;
	clock_gettime(CLOCK_MONOTONIC, &abs);
	abs.tv_nsec += 20 * 1000000;
	if (abs.tv_nsec >= 1000000000) {
		abs.tv_sec++;
		abs.tv_nsec -= 1000000000;
	}
	R("timeout", waitv(w, 3, &abs));
	words[2] = 7;
	R("value differs", waitv(w, 3, NULL));
	words[2] = 0;
	w[0].flags = 0x80;
	R("bad flags", waitv(w, 3, NULL));
	w[0].flags = FUTEX_32 | FUTEX_PRIVATE_FLAG;
	w[1].uaddr += 1;
	R("unaligned", waitv(w, 3, NULL));
	w[1].uaddr -= 1;
	R("no futexes", waitv(w, 0, NULL));
	R("too many", waitv(w, 129, NULL));
	R("NULL waiters", waitv(NULL, 1, NULL));
	R("bad clock", syscall(SYS_futex_waitv, w, 1, 0, &abs, CLOCK_PROCESS_CPUTIME_ID));
	return 0;
}
