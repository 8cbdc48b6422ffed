/*
 * adjtimex(2) and clock_adjtime(2) as a process without CAP_SYS_TIME in the initial user
 * namespace sees them (run natively in a new user namespace, like the sandbox's guests):
 * a query (modes 0, or the read-only adjtime) works and says the same as the clock does; a
 * change is EPERM; the adjtime flag without the singleshot bit is EINVAL; a bad pointer is
 * EFAULT; clock_adjtime on a clock that cannot be adjusted EOPNOTSUPP, on no clock EINVAL.
 */
#include "cf.h"
#include <sched.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/timex.h>
#include <sys/wait.h>
#include <time.h>

static void
checks(void)
{
	struct timex tx = { 0 };
	struct timespec now;

	int state = adjtimex(&tx);
	clock_gettime(CLOCK_REALTIME, &now);
	YN("query: a clock state", state >= TIME_OK && state <= TIME_ERROR);
	YN("query: the time is the clock's (within 2 s)",
	   tx.time.tv_sec >= now.tv_sec - 2 && tx.time.tv_sec <= now.tv_sec + 2);
	YN("query: tick is sane", tx.tick > 9000 && tx.tick < 11000);
	struct timex ro = { .modes = ADJ_OFFSET_SS_READ };
	R("read-only adjtime", adjtimex(&ro) >= 0 ? 0 : -1);
	struct timex set = { .modes = ADJ_FREQUENCY, .freq = 0 };
	R("change the frequency", adjtimex(&set));
	struct timex bad = { .modes = 0x8000 };
	R("adjtime without singleshot", adjtimex(&bad));
	struct timex adj = { .modes = ADJ_OFFSET_SINGLESHOT, .offset = 1 };
	R("adjtime with an offset", adjtimex(&adj));
	R("bad pointer", adjtimex((struct timex *)8));
	struct timex q = { 0 };
	R("clock_adjtime realtime query", clock_adjtime(CLOCK_REALTIME, &q) >= 0 ? 0 : -1);
	struct timex s2 = { .modes = ADJ_STATUS };
	R("clock_adjtime realtime change", clock_adjtime(CLOCK_REALTIME, &s2));
	struct timex m = { 0 };
	R("clock_adjtime monotonic", clock_adjtime(CLOCK_MONOTONIC, &m));
	R("clock_adjtime boottime", clock_adjtime(CLOCK_BOOTTIME, &m));
	R("clock_adjtime id 10", clock_adjtime(10, &m));
	R("clock_adjtime id 99", clock_adjtime(99, &m));
	R("clock_adjtime bad pointer", clock_adjtime(CLOCK_MONOTONIC, (struct timex *)8));
	/* the whole struct is read first: a change whose tail is unmapped is EFAULT, not EPERM */
	char *pg = mmap(NULL, 8192, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	munmap(pg + 4096, 4096);
	struct timex *edge = (struct timex *)(pg + 4096 - 16);
	edge->modes = ADJ_FREQUENCY;
	/* (glibc's adjtimex is clock_adjtime(CLOCK_REALTIME): the raw call too) */
	R("change, struct tail unmapped", adjtimex(edge));
	R("raw adjtimex change, struct tail unmapped", syscall(SYS_adjtimex, edge));
	R("clock_adjtime change, struct tail unmapped", clock_adjtime(CLOCK_REALTIME, edge));
	edge->modes = 0;
	R("query, struct tail unmapped", adjtimex(edge));
	R("raw adjtimex query, struct tail unmapped", syscall(SYS_adjtimex, edge));
	R("clock_adjtime id 99, struct tail unmapped", clock_adjtime(99, edge));
}

int
main(void)
{
	setvbuf(stdout, NULL, _IONBF, 0);
	pid_t c = fork();
	if (c == 0) {
		/* natively as root the host would let it change the clock: a user namespace
		 * takes CAP_SYS_TIME's effect away, as inside the sandbox */
		if (unshare(CLONE_NEWUSER) < 0) {
			printf("unshare: %s\n", en(errno));
			_exit(1);
		}
		checks();
		_exit(0);
	}
	int st;
	waitpid(c, &st, 0);
	printf("child: %d\n", WIFEXITED(st) ? WEXITSTATUS(st) : -1);
	return 0;
}
