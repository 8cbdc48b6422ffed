/* The per-thread calls name a thread by its tid: the main thread's tid is the process id,
 * so sched_setaffinity(getpid()) from another thread pins the main thread, not the caller
 * (glibc's pthread_setaffinity_np on the main thread; tst-thread-affinity-pthread2), and
 * sched_getaffinity(getpid()) reads the main thread's mask. capset may change the caller
 * only: its own tid works, the process id from another thread is EPERM. */
#include "cf.h"
#include <pthread.h>
#include <sched.h>
#include <linux/capability.h>

static cpu_set_t orig;
static int cpu;

static void *
pin_main(void *a)
{
	cpu_set_t one, got, mine;

	(void)a;
	CPU_ZERO(&one);
	CPU_SET(cpu, &one);
	R("  sched_setaffinity(getpid) from a thread", sched_setaffinity(getpid(), sizeof(one), &one));
	R("  sched_getaffinity(getpid)", sched_getaffinity(getpid(), sizeof(got), &got) < 0 ? -1 : 0);
	printf("  main's mask is the one cpu: %s\n", CPU_EQUAL(&got, &one) ? "yes" : "no");
	sched_getaffinity(0, sizeof(mine), &mine);
	printf("  caller's mask unchanged: %s\n", CPU_EQUAL(&mine, &orig) ? "yes" : "no");
	return NULL;
}

static void *
caps(void *a)
{
	struct __user_cap_header_struct h = { _LINUX_CAPABILITY_VERSION_3, 0 };
	struct __user_cap_data_struct d[2];

	(void)a;
	OK("capget(0) from a thread", syscall(SYS_capget, &h, d));
	h.pid = getpid();
	OK("capget(getpid) from a thread", syscall(SYS_capget, &h, d));
	h.pid = gettid();
	OK("capset(gettid) from a thread", syscall(SYS_capset, &h, d));
	h.pid = getpid();
	OK("capset(getpid) from a thread", syscall(SYS_capset, &h, d));
	return NULL;
}

int
main(void)
{
	pthread_t th;

	R("sched_getaffinity", sched_getaffinity(0, sizeof(orig), &orig) < 0 ? -1 : 0);
	for (cpu = 0; cpu < CPU_SETSIZE; cpu++) {
		if (!CPU_ISSET(cpu, &orig))
			continue;
		printf("pin the main thread from another\n");
		pthread_create(&th, NULL, pin_main, NULL);
		pthread_join(th, NULL);
		int agree = 1;
		for (int k = 0; k < 2000; k++)
			agree &= sched_getcpu() == cpu;
		printf("  main's sched_getcpu agrees: %s\n", agree ? "yes" : "no");
		fflush(stdout);
	}
	R("full mask back", sched_setaffinity(0, sizeof(orig), &orig));
	pthread_create(&th, NULL, caps, NULL);
	pthread_join(th, NULL);
	return 0;
}
