/* A thread asleep in a private FUTEX_WAIT (or FUTEX_WAIT_BITSET) shows as sleeping (S) in
 * /proc/self/task/TID/stat; another thread that waits for that state, then wakes it. */
#include "cf.h"
#include <linux/futex.h>
#include <pthread.h>

static int word;
static volatile pid_t waiter_tid;

static long
futex(int *uaddr, int op, int val, unsigned bitset)
{
	return syscall(SYS_futex, uaddr, op, val, NULL, NULL, bitset);
}

static char
state_of(pid_t tid)
{
	char path[64], buf[512];
	snprintf(path, sizeof(path), "/proc/self/task/%d/stat", tid);
	int fd = open(path, O_RDONLY);
	if (fd < 0)
		return '?';
	ssize_t n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	buf[n > 0 ? n : 0] = 0;
	char *p = strrchr(buf, ')');
	return p && p[1] == ' ' ? p[2] : '?';
}

static void *
waker(void *arg)
{
	int op = *(int *)arg;
	while (!waiter_tid)
		usleep(100);
	/* no bound: a sleeper never seen asleep hangs the test (the harness times out) */
	while (state_of(waiter_tid) != 'S')
		usleep(1000);
	long n;
	while ((n = futex(&word, (op == FUTEX_WAIT_BITSET ? FUTEX_WAKE_BITSET : FUTEX_WAKE) |
			  FUTEX_PRIVATE_FLAG, 1, FUTEX_BITSET_MATCH_ANY)) == 0)
		usleep(1000);
	printf("woke %ld\n", n);
	return NULL;
}

static void
one(const char *name, int op)
{
	pthread_t th;

	word = 0;
	waiter_tid = 0;
	pthread_create(&th, NULL, waker, &op);
	waiter_tid = gettid();
	long r = futex(&word, op | FUTEX_PRIVATE_FLAG, 0, FUTEX_BITSET_MATCH_ANY);
	pthread_join(th, NULL);
	printf("%s: %ld\n", name, r);
}

int
main(void)
{
	setvbuf(stdout, NULL, _IONBF, 0);
	one("FUTEX_WAIT", FUTEX_WAIT);
	one("FUTEX_WAIT_BITSET", FUTEX_WAIT_BITSET);
	return 0;
}
