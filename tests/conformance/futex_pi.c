/*
 * Priority-inheritance futexes and robust lists: their words hold thread ids, so they must
 * hold the tids the program itself sees (gettid). Lock, relock, unlock by a non-owner, a
 * waiter that gets the lock handed over, trylock against another owner, timeouts and bad
 * arguments; then a thread that dies holding robust locks (its own list, and a robust
 * pthread mutex), and get_robust_list of another thread.
 */
#include "cf.h"
#include <linux/futex.h>
#include <pthread.h>
#include <stdint.h>
#include <time.h>

static _Atomic uint32_t word;
static volatile int step;

static long
futex(volatile _Atomic uint32_t *w, int op, const struct timespec *ts)
{
	return syscall(SYS_futex, w, op, 0, ts, NULL, 0);
}

static pid_t
tid(void)
{
	return (pid_t)syscall(SYS_gettid);
}

static void *
waiter(void *arg)
{
	(void)arg;
	long r = futex(&word, FUTEX_LOCK_PI | FUTEX_PRIVATE_FLAG, NULL);
	uint32_t v = word;
	printf("waiter lock: %ld\n", r);
	YN("waiter owns it", (v & FUTEX_TID_MASK) == (uint32_t)tid());
	YN("handed over with the waiters bit", (v & FUTEX_WAITERS) != 0);
	R("waiter unlock", futex(&word, FUTEX_UNLOCK_PI | FUTEX_PRIVATE_FLAG, NULL));
	R("word after the waiter", word);
	return NULL;
}

static void *
trier(void *arg)
{
	(void)arg;
	R("trylock held by another", futex(&word, FUTEX_TRYLOCK_PI, NULL));
	R("unlock by a non-owner", futex(&word, FUTEX_UNLOCK_PI, NULL));
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	ts.tv_nsec += 50 * 1000000;
	if (ts.tv_nsec >= 1000000000) {
		ts.tv_sec++;
		ts.tv_nsec -= 1000000000;
	}
	R("lock with a timeout", futex(&word, FUTEX_LOCK_PI, &ts));
	return NULL;
}

static struct robust_list_head head;
static struct {
	struct robust_list list;
	uint32_t lock;
} entries[2];
static pthread_mutex_t robust_mutex;
static struct robust_list_head *seen_head;

static void *
dier(void *arg)
{
	(void)arg;
	head.list.next = &entries[0].list;
	entries[0].list.next = &entries[1].list;
	entries[1].list.next = &head.list;
	head.futex_offset = (char *)&entries[0].lock - (char *)&entries[0].list;
	entries[0].lock = (uint32_t)tid();
	entries[1].lock = (uint32_t)tid() | FUTEX_WAITERS;
	R("set_robust_list", syscall(SYS_set_robust_list, &head, sizeof(head)));
	step = 1;
	while (step != 2)
		usleep(1000);
	return NULL;
}

static void *
mutex_holder(void *arg)
{
	(void)arg;
	R("robust mutex lock", pthread_mutex_lock(&robust_mutex));
	return NULL;
}

int
main(void)
{
	pthread_t th;
	uint32_t me = (uint32_t)tid();

	setvbuf(stdout, NULL, _IOLBF, 0);
	/* one owner */
	R("lock", futex(&word, FUTEX_LOCK_PI | FUTEX_PRIVATE_FLAG, NULL));
	YN("word is my tid", word == me);
	R("relock", futex(&word, FUTEX_LOCK_PI | FUTEX_PRIVATE_FLAG, NULL));
	R("trylock by the owner", futex(&word, FUTEX_TRYLOCK_PI | FUTEX_PRIVATE_FLAG, NULL));
	R("unlock", futex(&word, FUTEX_UNLOCK_PI | FUTEX_PRIVATE_FLAG, NULL));
	R("word after unlock", word);
	R("unlock again", futex(&word, FUTEX_UNLOCK_PI | FUTEX_PRIVATE_FLAG, NULL));
	R("trylock free", futex(&word, FUTEX_TRYLOCK_PI, NULL));
	YN("word is my tid", word == me);
	R("shared unlock", futex(&word, FUTEX_UNLOCK_PI, NULL));

	/* bad arguments */
	R("misaligned", syscall(SYS_futex, (char *)&word + 1, FUTEX_LOCK_PI, 0, NULL, NULL, 0));
	R("unmapped", syscall(SYS_futex, cf_unmapped(), FUTEX_LOCK_PI | FUTEX_PRIVATE_FLAG, 0,
			      NULL, NULL, 0));
	R("LOCK_PI with CLOCK_REALTIME", futex(&word, FUTEX_LOCK_PI | FUTEX_CLOCK_REALTIME, NULL));
	struct timespec bad = { 0, 1000000000 };
	word = 12345678;
	R("bad timeout", futex(&word, FUTEX_LOCK_PI, &bad));
	R("owner that does not exist", futex(&word, FUTEX_LOCK_PI, NULL));
	word = 0;

	/* a waiter gets the lock handed over */
	R("lock", futex(&word, FUTEX_LOCK_PI | FUTEX_PRIVATE_FLAG, NULL));
	pthread_create(&th, NULL, waiter, NULL);
	while (word != (me | FUTEX_WAITERS))
		usleep(1000);
	printf("the waiter set the waiters bit\n");
	long r = futex(&word, FUTEX_UNLOCK_PI | FUTEX_PRIVATE_FLAG, NULL);
	pthread_join(th, NULL);
	printf("unlock to the waiter: %ld\n", r);

	/* trylock and a timed lock against an owner */
	R("lock", futex(&word, FUTEX_LOCK_PI, NULL));
	pthread_create(&th, NULL, trier, NULL);
	pthread_join(th, NULL);
	YN("still mine, with the waiters bit", word == (me | FUTEX_WAITERS));
	R("unlock", futex(&word, FUTEX_UNLOCK_PI, NULL));
	R("word after unlock", word);

	/* robust lists */
	R("set_robust_list bad size", syscall(SYS_set_robust_list, &head, sizeof(head) + 1));
	pthread_create(&th, NULL, dier, NULL);
	while (step != 1)
		usleep(1000);
	size_t len = 0;
	R("get_robust_list of the thread",
	  syscall(SYS_get_robust_list, entries[0].lock & FUTEX_TID_MASK, &seen_head, &len));
	YN("its head", seen_head == &head && len == sizeof(head));
	R("get_robust_list of nobody", syscall(SYS_get_robust_list, 99999, &seen_head, &len));
	step = 2;
	pthread_join(th, NULL);
	printf("entry 0 after the death: %#x\n", entries[0].lock);
	printf("entry 1 after the death: %#x\n", entries[1].lock);

	pthread_mutexattr_t ma;
	pthread_mutexattr_init(&ma);
	pthread_mutexattr_setrobust(&ma, PTHREAD_MUTEX_ROBUST);
	pthread_mutex_init(&robust_mutex, &ma);
	pthread_create(&th, NULL, mutex_holder, NULL);
	pthread_join(th, NULL);
	int e = pthread_mutex_lock(&robust_mutex);
	printf("robust mutex after its owner died: %s\n", e ? en(e) : "0");
	R("consistent", pthread_mutex_consistent(&robust_mutex));
	R("unlock", pthread_mutex_unlock(&robust_mutex));
	return 0;
}
