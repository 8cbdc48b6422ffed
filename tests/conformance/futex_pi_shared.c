/*
 * Priority-inheritance mutexes between processes and after their owner's death. A
 * process-shared PI mutex is one futex wherever it is mapped: a waiter that maps the
 * file at another address is handed the lock by the unlocker, and three processes
 * contending for one in shared anonymous memory count right. A robust one whose owner
 * process is killed goes to the waiter of another process with EOWNERDEAD (and to a later
 * locker so), and a plain PI futex whose owning thread exits goes to its waiter, marked
 * FUTEX_OWNER_DIED (Linux's exit_pi_state_list). Every wait is bounded, so a lost wake-up
 * prints ETIMEDOUT.
 */
#include "cf.h"
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>
#include <linux/futex.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <time.h>

static void
init_mutex(pthread_mutex_t *m, bool robust, bool shared)
{
	pthread_mutexattr_t ma;

	pthread_mutexattr_init(&ma);
	pthread_mutexattr_setprotocol(&ma, PTHREAD_PRIO_INHERIT);
	if (robust)
		pthread_mutexattr_setrobust(&ma, PTHREAD_MUTEX_ROBUST);
	if (shared)
		pthread_mutexattr_setpshared(&ma, PTHREAD_PROCESS_SHARED);
	if (pthread_mutex_init(m, &ma))
		printf("mutex_init failed\n");
	pthread_mutexattr_destroy(&ma);
}

/* pthread_mutex_timedlock with a deadline secs from now */
static int
lock_within(pthread_mutex_t *m, int secs)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	ts.tv_sec += secs;
	return pthread_mutex_timedlock(m, &ts);
}

static const char *
lock_result(int e)
{
	return e ? en(e) : "0";
}

static void
sleep_ms(int ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };
	while (nanosleep(&ts, &ts))
		;
}

/* The lock word shows a waiter (FUTEX_WAITERS) within a few seconds. */
static bool
wait_for_waiter(pthread_mutex_t *m)
{
	volatile int *word = (volatile int *)&m->__data.__lock;

	for (int i = 0; i < 500; i++) {
		if (*word & 0x80000000)
			return true;
		sleep_ms(10);
	}
	return false;
}

static void
two_mappings(void)
{
	char path[] = "pi_file";
	int fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0600);

	if (fd < 0 || ftruncate(fd, 8192)) {
		printf("file: -1 %s\n", en(errno));
		return;
	}
	/* the mutex in the file's second page */
	char *a = mmap(NULL, 8192, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	pthread_mutex_t *ma = (pthread_mutex_t *)(a + 4096 + 64);
	init_mutex(ma, false, true);
	printf("parent lock: %s\n", lock_result(pthread_mutex_lock(ma)));
	pid_t p = fork();
	if (p == 0) {
		/* the same page mapped once more, alone, at another address */
		char *b = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 4096);
		pthread_mutex_t *mb = (pthread_mutex_t *)(b + 64);
		printf("child maps it elsewhere: %s\n", (void *)mb != (void *)ma ? "yes" : "no");
		fflush(stdout);
		int e = lock_within(mb, 5);
		printf("child lock through its own mapping: %s\n", lock_result(e));
		if (!e)
			pthread_mutex_unlock(mb);
		fflush(stdout);
		_exit(0);
	}
	YN("a waiter shows in the word", wait_for_waiter(ma));
	int e = pthread_mutex_unlock(ma);
	waitpid(p, NULL, 0);
	printf("parent unlock: %s\n", lock_result(e));
	printf("relock after the child: %s\n", lock_result(lock_within(ma, 5)));
	pthread_mutex_unlock(ma);
	munmap(a, 8192);
	close(fd);
	unlink(path);
}

static void
contention(void)
{
	struct shared {
		pthread_mutex_t m;
		long counter;
		int inside;
		int overlaps;
	} *s = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);

	init_mutex(&s->m, false, true);
	for (int k = 0; k < 3; k++)
		if (fork() == 0) {
			for (int i = 0; i < 3000; i++) {
				int e = lock_within(&s->m, 10);
				if (e) {
					printf("contention lock: %s\n", en(e));
					fflush(stdout);
					_exit(1);
				}
				if (s->inside++)
					s->overlaps++;
				s->counter++;
				if (i % 300 == 0)
					sleep_ms(1); /* held while the others wait */
				s->inside--;
				pthread_mutex_unlock(&s->m);
			}
			_exit(0);
		}
	int bad = 0, st;
	for (int k = 0; k < 3; k++)
		if (wait(&st) < 0 || !WIFEXITED(st) || WEXITSTATUS(st))
			bad++;
	printf("contention: %ld counted, %d overlaps, %d children failed\n", s->counter,
	       s->overlaps, bad);
	munmap(s, 4096);
}

static pthread_mutex_t *robust_m;

static void *
robust_waiter(void *arg)
{
	(void)arg;
	int e = lock_within(robust_m, 5);
	printf("waiter in the other process: %s\n", lock_result(e));
	if (e == EOWNERDEAD) {
		printf("consistent: %s\n", lock_result(pthread_mutex_consistent(robust_m)));
		printf("unlock: %s\n", lock_result(pthread_mutex_unlock(robust_m)));
	}
	return NULL;
}

static void
robust_owner_killed(void)
{
	pthread_mutex_t *m = mmap(NULL, 4096, PROT_READ | PROT_WRITE,
				  MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	int pfd[2];
	char c;

	robust_m = &m[0];
	init_mutex(&m[0], true, true);
	init_mutex(&m[1], true, true);
	if (pipe(pfd))
		return;
	pid_t p = fork();
	if (p == 0) {
		pthread_mutex_lock(&m[0]);
		pthread_mutex_lock(&m[1]);
		if (write(pfd[1], "x", 1) != 1)
			_exit(1);
		for (;;)
			pause();
	}
	if (read(pfd[0], &c, 1) != 1)
		printf("child did not lock\n");
	pthread_t th;
	pthread_create(&th, NULL, robust_waiter, NULL);
	YN("the waiter shows in the word", wait_for_waiter(&m[0]));
	kill(p, SIGKILL);
	int st;
	waitpid(p, &st, 0);
	pthread_join(th, NULL);
	YN("owner killed", WIFSIGNALED(st) && WTERMSIG(st) == SIGKILL);
	/* no one waited for the second: the next locker finds its owner dead */
	int e = lock_within(&m[1], 5);
	printf("later locker: %s\n", lock_result(e));
	if (e == EOWNERDEAD)
		pthread_mutex_consistent(&m[1]);
	if (e == 0 || e == EOWNERDEAD)
		pthread_mutex_unlock(&m[1]);
	printf("first again: %s\n", lock_result(lock_within(&m[0], 5)));
	pthread_mutex_unlock(&m[0]);
	close(pfd[0]);
	close(pfd[1]);
	munmap(m, 4096);
}

/* A plain PI futex word (no robust list names it), locked by a thread that exits. */
static _Atomic uint32_t plain;
static volatile int plain_held;

static pid_t
gettid_(void)
{
	return (pid_t)syscall(SYS_gettid);
}

static void *
plain_owner(void *arg)
{
	(void)arg;
	uint32_t zero = 0;
	if (!atomic_compare_exchange_strong(&plain, &zero, (uint32_t)gettid_()))
		printf("owner could not take the free word\n");
	plain_held = 1;
	for (int i = 0; i < 500 && !(plain & FUTEX_WAITERS); i++)
		sleep_ms(10);
	return NULL; /* exits holding it */
}

static void
plain_owner_exits(void)
{
	pthread_t th;
	struct timespec ts;

	pthread_create(&th, NULL, plain_owner, NULL);
	while (!plain_held)
		sleep_ms(1);
	clock_gettime(CLOCK_REALTIME, &ts);
	ts.tv_sec += 5;
	long r = syscall(SYS_futex, &plain, FUTEX_LOCK_PI | FUTEX_PRIVATE_FLAG, 0, &ts, NULL, 0);
	printf("waiter for a thread that exits holding it: %s\n", r ? en(errno) : "0");
	uint32_t v = plain;
	YN("the waiter owns it", (v & FUTEX_TID_MASK) == (uint32_t)gettid_());
	YN("marked owner died", (v & FUTEX_OWNER_DIED) != 0);
	pthread_join(th, NULL);
	r = syscall(SYS_futex, &plain, FUTEX_UNLOCK_PI | FUTEX_PRIVATE_FLAG, 0, NULL, NULL, 0);
	printf("unlock by the new owner: %s\n", r ? en(errno) : "0");
}

int
main(void)
{
	cf_init();
	setvbuf(stdout, NULL, _IONBF, 0);
	two_mappings();
	contention();
	robust_owner_killed();
	plain_owner_exits();
	cf_cleanup();
	return 0;
}
