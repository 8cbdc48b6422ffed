/*
 * /proc shows a thread asleep in a call the host runs for the sandbox (a private futex
 * wait never reaches the sentry) as sleeping: S in stat and status, for the thread and,
 * when it is the leader, for the process; the reader itself is R. (LTP's
 * TST_PROCESS_STATE_WAIT waits for exactly this; ps shows it.)
 */
#include "cf.h"
#include <linux/futex.h>
#include <pthread.h>
#include <stdatomic.h>

static int fut;
static atomic_int waiter_tid;

/* The state letter in /proc/self/task/TID/stat, or '?'. */
static char
stat_state(int tid)
{
	char p[64], b[512];
	snprintf(p, sizeof(p), "/proc/self/task/%d/stat", tid);
	FILE *f = fopen(p, "r");
	if (!f)
		return '?';
	char *got = fgets(b, sizeof(b), f);
	fclose(f);
	char *c = got ? strrchr(b, ')') : NULL;
	return c && c[1] == ' ' ? c[2] : '?';
}

static char
status_state(int tid)
{
	char p[64], b[256];
	snprintf(p, sizeof(p), "/proc/self/task/%d/status", tid);
	FILE *f = fopen(p, "r");
	char c = '?';
	while (f && fgets(b, sizeof(b), f))
		if (!strncmp(b, "State:", 6))
			sscanf(b + 6, " %c", &c);
	if (f)
		fclose(f);
	return c;
}

static void *
waiter(void *unused)
{
	(void)unused;
	waiter_tid = gettid();
	while (!__atomic_load_n(&fut, __ATOMIC_SEQ_CST))
		syscall(SYS_futex, &fut, FUTEX_WAIT_PRIVATE, 0, NULL, NULL, 0);
	return NULL;
}

int
main(void)
{
	pthread_t th;
	pthread_create(&th, NULL, waiter, NULL);
	while (!waiter_tid)
		usleep(1000);
	/* until it sleeps (at most 2 s) */
	char s = 'R';
	for (int i = 0; i < 200 && s == 'R'; i++) {
		usleep(10000);
		s = stat_state(waiter_tid);
	}
	printf("waiting thread: stat %c, status %c\n", s, status_state(waiter_tid));
	printf("reading thread: stat %c, status %c\n", stat_state(gettid()), status_state(gettid()));
	__atomic_store_n(&fut, 1, __ATOMIC_SEQ_CST);
	syscall(SYS_futex, &fut, FUTEX_WAKE_PRIVATE, 1, NULL, NULL, 0);
	pthread_join(th, NULL);
	printf("joined\n");
	return 0;
}
