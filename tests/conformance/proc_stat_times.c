/* /proc/self/stat's CPU times (fields 14-17): after spinning in user space for a while
 * utime is not 0, and a reaped child's spinning shows in cutime. */
#include "cf.h"
#include <sys/wait.h>
#include <time.h>

static void
spin_ms(long ms)
{
	struct timespec ts;
	volatile unsigned long x = 0;
	do {
		for (int i = 0; i < 100000; i++)
			x += i;
		clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
	} while (ts.tv_sec * 1000 + ts.tv_nsec / 1000000 < ms);
}

static int
times_of(const char *path, unsigned long v[4])
{
	char buf[1024];
	if (cf_read_text(path, buf, sizeof(buf)) <= 0)
		return -1;
	char *p = strrchr(buf, ')');
	/* after the comm: state ppid pgrp session tty_nr tpgid flags minflt cminflt majflt cmajflt */
	if (!p || sscanf(p + 2, "%*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %lu %lu %lu %lu",
			 &v[0], &v[1], &v[2], &v[3]) != 4)
		return -1;
	return 0;
}

int
main(void)
{
	cf_init();
	unsigned long v[4];

	spin_ms(300);
	if (times_of("/proc/self/stat", v) < 0)
		return 1;
	printf("utime after 300 ms spinning: %s\n", v[0] > 0 ? "> 0" : "0");
	printf("cutime before any child: %lu\n", v[2]);
	pid_t pid = fork();
	if (pid == 0) {
		spin_ms(300);
		_exit(0);
	}
	waitpid(pid, NULL, 0);
	if (times_of("/proc/self/stat", v) < 0)
		return 1;
	printf("cutime after a spinning child: %s\n", v[2] > 0 ? "> 0" : "0");
	return 0;
}
