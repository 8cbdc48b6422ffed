/* CPU time of reaped children: wait4's rusage, getrusage(RUSAGE_CHILDREN) and times(). */
#include <stdio.h>
#include <sys/resource.h>
#include <sys/times.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static void
burn(double seconds)
{
	struct timespec a, b;
	volatile unsigned long x = 0;

	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &a);
	do {
		for (int i = 0; i < 100000; i++)
			x += i;
		clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &b);
	} while ((b.tv_sec - a.tv_sec) + (b.tv_nsec - a.tv_nsec) / 1e9 < seconds);
}

int
main(void)
{
	struct rusage ru, ch;
	struct tms tm;
	int st;

	getrusage(RUSAGE_CHILDREN, &ch);
	printf("children before: %s\n", ch.ru_utime.tv_sec == 0 && ch.ru_utime.tv_usec == 0 ? "zero" : "nonzero");
	pid_t p = fork();
	if (p == 0) {
		burn(0.15);
		_exit(0);
	}
	printf("wait4: %s\n", wait4(p, &st, 0, &ru) == p ? "child" : "other");
	double w = ru.ru_utime.tv_sec + ru.ru_utime.tv_usec / 1e6 + ru.ru_stime.tv_sec + ru.ru_stime.tv_usec / 1e6;
	printf("wait4 rusage >= 0.1 s: %s\n", w >= 0.1 ? "yes" : "no");
	getrusage(RUSAGE_CHILDREN, &ch);
	double c = ch.ru_utime.tv_sec + ch.ru_utime.tv_usec / 1e6 + ch.ru_stime.tv_sec + ch.ru_stime.tv_usec / 1e6;
	printf("RUSAGE_CHILDREN >= 0.1 s: %s\n", c >= 0.1 ? "yes" : "no");
	times(&tm);
	printf("times children >= 0.1 s: %s\n",
	       (double)(tm.tms_cutime + tm.tms_cstime) / sysconf(_SC_CLK_TCK) >= 0.1 ? "yes" : "no");
	return 0;
}
