/* Threads that map and unmap at once: a range one thread has just unmapped may be handed to
 * another thread's mmap right away, and that mmap must succeed (Linux serializes them on
 * mmap_lock). Also partial unmaps, brk shrinking while others map, and big malloc/free (glibc
 * mmaps those), then a look at the result: every mapping made is readable and writable. */
#include "cf.h"
#include <pthread.h>
#include <sys/mman.h>

#define THREADS 4
#define ROUNDS 2000

static int failures[THREADS + 1], first_err[THREADS + 1];
static long bad_content[THREADS + 1];

static void
failed(int id, int e)
{
	if (!failures[id]++)
		first_err[id] = e;
}

static void *
mapper(void *arg)
{
	int id = (int)(long)arg;

	for (int i = 0; i < ROUNDS; i++) {
		size_t len = 4096 * (1 + (i % 5) * 4);
		char *p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		if (p == MAP_FAILED) {
			failed(id, errno);
			continue;
		}
		if (p[0] != 0 || p[len - 1] != 0) /* fresh anonymous memory reads zero */
			bad_content[id]++;
		p[0] = p[len - 1] = (char)id;
		if (i % 3 == 0 && len > 4096) { /* the top page first, then the rest */
			munmap(p + len - 4096, 4096);
			len -= 4096;
		}
		if (munmap(p, len) < 0)
			failed(id, errno);
	}
	return NULL;
}

static void *
mallocer(void *arg)
{
	int id = (int)(long)arg;

	for (int i = 0; i < ROUNDS; i++) {
		size_t len = (256 << 10) + 4096 * (i % 7); /* above glibc's mmap threshold */
		char *p = malloc(len);
		if (!p) {
			failed(id, ENOMEM);
			continue;
		}
		memset(p, 1, len);
		free(p);
	}
	return NULL;
}

int
main(void)
{
	pthread_t t[THREADS + 1];
	int total = 0;

	cf_init();
	for (long i = 0; i < THREADS; i++)
		pthread_create(&t[i], NULL, mapper, (void *)i);
	pthread_create(&t[THREADS], NULL, mallocer, (void *)(long)THREADS);
	/* the main thread grows and shrinks the break meanwhile */
	char *base = sbrk(0);
	for (int i = 0; i < ROUNDS / 4; i++) {
		if (sbrk(65536) == (void *)-1)
			failed(THREADS, errno);
		else
			base[65535] = 1;
		if (sbrk(-65536) == (void *)-1)
			failed(THREADS, errno);
	}
	for (int i = 0; i <= THREADS; i++)
		pthread_join(t[i], NULL);
	for (int i = 0; i <= THREADS; i++) {
		total += failures[i];
		if (failures[i])
			printf("thread %d: %d failures, first %s\n", i, failures[i], en(first_err[i]));
		if (bad_content[i])
			printf("thread %d: %ld mappings not zero-filled\n", i, bad_content[i]);
	}
	printf("failures: %d\n", total);
	YN("break back where it was", sbrk(0) == base);
	return 0;
}
