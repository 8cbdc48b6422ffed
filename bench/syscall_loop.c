/*
 * syscall_loop MODE N [BATCHES]: calls one system call N times per batch through syscall(2)
 * (never the vDSO) and prints the median and best batch in ns per call:
 *   syscall_loop: mode=getppid n=20000 batches=7 median_ns=6012.3 min_ns=5890.1 check=123
 * MODE: getppid (emulated by the sandbox), clock_gettime, sched_yield (both passthrough).
 * N is an upper bound: a batch is cut so that it lasts at most ~250 ms.
 * Built -static so that every runner measures the same instructions and no loader.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "bench.h"

#define MAX_BATCHES 31
#define MAX_BATCH_NS 250e6

static double
now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e9 + ts.tv_nsec;
}

static long
one_call(long nr)
{
	struct timespec ts;

	if (nr == SYS_clock_gettime)
		return syscall(nr, CLOCK_MONOTONIC, &ts);
	return syscall(nr);
}

int
main(int argc, char **argv)
{
	const char *mode = argc > 1 ? argv[1] : "getppid";
	long n = argc > 2 ? atol(argv[2]) : 200000;
	int batches = argc > 3 ? atoi(argv[3]) : 7;
	double per_call[MAX_BATCHES];
	long nr, check = 0;

	if (!strcmp(mode, "getppid"))
		nr = SYS_getppid;
	else if (!strcmp(mode, "clock_gettime"))
		nr = SYS_clock_gettime;
	else if (!strcmp(mode, "sched_yield"))
		nr = SYS_sched_yield;
	else {
		fprintf(stderr, "usage: syscall_loop getppid|clock_gettime|sched_yield [N [BATCHES]]\n");
		return 2;
	}
	if (n < 1)
		n = 1;
	if (batches < 1 || batches > MAX_BATCHES)
		batches = 7;

	/* Warm up caches and the tracer's paths; if a batch of n would take longer than
	 * MAX_BATCH_NS (a slow tracer), use fewer calls: the printed n is the one measured. */
	long warm = n / 10 + 1;
	double w0 = now_ns();
	for (long i = 0; i < warm; i++)
		check = one_call(nr);
	double est = (now_ns() - w0) / warm;
	if (est * n > MAX_BATCH_NS)
		n = (long)(MAX_BATCH_NS / est) + 1;
	for (int b = 0; b < batches; b++) {
		double t0 = now_ns();
		for (long i = 0; i < n; i++)
			check = one_call(nr);
		per_call[b] = (now_ns() - t0) / n;
	}
	qsort(per_call, batches, sizeof(per_call[0]), cmp_double);
	printf("syscall_loop: mode=%s n=%ld batches=%d median_ns=%.1f min_ns=%.1f check=%ld\n",
	       mode, n, batches, per_call[batches / 2], per_call[0], check);
	return 0;
}
