/*
 * timeit REPS PROGRAM [ARGS...]: runs PROGRAM REPS times (stdout to /dev/null, stdin from
 * /dev/null) and prints the wall time of each fork+exec+wait, in ms:
 *   timeit: reps=20 ok=20 median_ms=1.234 mean_ms=1.301 min_ms=1.100 status=0
 * status is the last non-zero exit status (0 if every run succeeded).
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "bench.h"

#define MAX_REPS 200

static int
run_once(char **argv, double *ms)
{
	int status;
	double t0 = now_ms();
	pid_t pid = fork();

	if (pid < 0)
		return 125;
	if (pid == 0) {
		int fd = open("/dev/null", O_RDWR);
		if (fd >= 0) {
			dup2(fd, STDIN_FILENO);
			dup2(fd, STDOUT_FILENO);
		}
		execvp(argv[0], argv);
		_exit(127);
	}
	if (waitpid(pid, &status, 0) < 0)
		return 125;
	*ms = now_ms() - t0;
	return status_code(status);
}

int
main(int argc, char **argv)
{
	static double t[MAX_REPS];
	int reps, ok = 0, last_bad = 0;
	double sum = 0;

	if (argc < 3) {
		fprintf(stderr, "usage: timeit REPS PROGRAM [ARGS...]\n");
		return 2;
	}
	reps = atoi(argv[1]);
	if (reps < 1 || reps > MAX_REPS)
		reps = 20;
	for (int i = 0; i < reps; i++) {
		double ms = 0;
		int st = run_once(argv + 2, &ms);
		if (st) {
			last_bad = st;
			continue;
		}
		t[ok++] = ms;
		sum += ms;
	}
	if (!ok) {
		printf("timeit: reps=%d ok=0 status=%d\n", reps, last_bad);
		return 1;
	}
	qsort(t, ok, sizeof(t[0]), cmp_double);
	printf("timeit: reps=%d ok=%d median_ms=%.3f mean_ms=%.3f min_ms=%.3f status=%d\n",
	       reps, ok, t[ok / 2], sum / ok, t[0], last_bad);
	return 0;
}
