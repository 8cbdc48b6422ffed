/*
 * With a thousand children each asleep in a private futex wait (a call the host runs for
 * the sandbox), /proc/PID/stat shows every one of them sleeping: the last ones too, whose
 * host process ids come after the first page of the sentry's children list, and in well
 * under the bounded wait (LTP's futex_cmp_requeue01 waits for 1000 such children before
 * their 15 s futex timeouts run out).
 */
#include "cf.h"
#include <linux/futex.h>
#include <signal.h>
#include <sys/wait.h>

#define N 1000

/* The state letter in /proc/PID/stat, or '?'. */
static char
stat_state(int pid)
{
	char p[64], b[512];
	snprintf(p, sizeof(p), "/proc/%d/stat", pid);
	int fd = open(p, O_RDONLY);
	if (fd < 0)
		return '?';
	ssize_t n = read(fd, b, sizeof(b) - 1);
	close(fd);
	b[n > 0 ? n : 0] = 0;
	char *c = strrchr(b, ')');
	return c && c[1] == ' ' ? c[2] : '?';
}

int
main(void)
{
	static int pid[N];
	int made = 0, asleep = 0, running = 0;
	static int fut;

	for (int i = 0; i < N; i++) {
		pid[i] = fork();
		if (pid[i] == 0) {
			for (;;)
				syscall(SYS_futex, &fut, FUTEX_WAIT_PRIVATE, 0, NULL, NULL, 0);
		}
		made += pid[i] > 0;
	}
	printf("children made: %d\n", made);
	/* each until it sleeps (at most 1 s each: a bound, not a measure) */
	for (int i = 0; i < N; i++) {
		char s = pid[i] > 0 ? stat_state(pid[i]) : '?';
		for (int k = 0; k < 100 && s == 'R'; k++) {
			usleep(10000);
			s = stat_state(pid[i]);
		}
		asleep += s == 'S';
		running += s == 'R';
	}
	printf("asleep: %d, still running: %d\n", asleep, running);
	for (int i = 0; i < N; i++)
		if (pid[i] > 0)
			kill(pid[i], SIGKILL);
	int reaped = 0;
	while (wait(NULL) > 0)
		reaped++;
	printf("reaped: %d\n", reaped);
	return 0;
}
