/*
 * forkexec N PROGRAM [ARGS...]: N times fork(), execve(PROGRAM) in the child, waitpid() in the
 * parent, one after the other; prints the total and per-iteration wall time:
 *   forkexec: n=200 ok=200 total_ms=123.4 per_iter_ms=0.617 median_ms=0.601 min_ms=0.550 status=0
 * ok counts children that exited 0; status is the last non-zero status (0 if all succeeded).
 * Built -static so that every runner measures the same parent; PROGRAM is what it is (/bin/true
 * is dynamic, so each iteration includes its loader, as it would for a shell).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "bench.h"

#define MAX_N 10000

extern char **environ;

/* One fork+execve+waitpid; returns the child's exit status (128+sig if killed, 125 on error). */
static int
one(char **argv)
{
	int status;
	pid_t pid = fork();

	if (pid < 0)
		return 125;
	if (pid == 0) {
		execve(argv[0], argv, environ);
		_exit(127);
	}
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			return 125;
	return status_code(status);
}

int
main(int argc, char **argv)
{
	static double t[MAX_N];
	int n, i, ok = 0, status = 0;
	double start, total;

	if (argc < 3 || (n = atoi(argv[1])) < 1 || n > MAX_N) {
		fprintf(stderr, "usage: forkexec N(1..%d) PROGRAM [ARGS...]\n", MAX_N);
		return 2;
	}
	start = now_ms();
	for (i = 0; i < n; i++) {
		double t0 = now_ms();
		int rc = one(argv + 2);

		t[i] = now_ms() - t0;
		if (rc == 0)
			ok++;
		else
			status = rc;
	}
	total = now_ms() - start;
	qsort(t, n, sizeof(t[0]), cmp_double);
	printf("forkexec: n=%d ok=%d total_ms=%.3f per_iter_ms=%.4f median_ms=%.4f min_ms=%.4f status=%d\n",
	       n, ok, total, total / n, n % 2 ? t[n / 2] : (t[n / 2 - 1] + t[n / 2]) / 2, t[0], status);
	return status ? 1 : 0;
}
