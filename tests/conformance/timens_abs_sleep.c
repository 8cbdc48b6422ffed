/* An absolute clock_nanosleep in a time namespace with offsets sleeps until its deadline on
 * the namespace's clock (never shorter), and only the sleeping thread waits: another
 * process of the namespace goes on meanwhile (a pipe round trip through a child), and a
 * sleep with a far deadline ends when its process is killed. Run as root. */
#include "cf.h"
#include <sched.h>
#include <signal.h>
#include <sys/wait.h>
#include <time.h>

static long long
now_ns(clockid_t c)
{
	struct timespec ts;

	clock_gettime(c, &ts);
	return ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

/* In a child: sleeps until now + ns on clock c; exits 0 if it returned 0 no earlier. */
static void
sleep_until(clockid_t c, long long ns)
{
	long long start = now_ns(c), end = start + ns;
	struct timespec ts = { end / 1000000000LL, end % 1000000000LL };
	int r = clock_nanosleep(c, TIMER_ABSTIME, &ts, NULL);

	_exit(r == 0 && now_ns(c) >= end ? 0 : 1);
}

int
main(void)
{
	if (unshare(CLONE_NEWTIME) < 0) {
		printf("unshare(CLONE_NEWTIME): %s\n", en(errno));
		return 0;
	}
	int fd = open("/proc/self/timens_offsets", O_WRONLY);
	const char *off = "monotonic 100000 0\nboottime -1000 0\n";
	OK("offsets", fd >= 0 ? write(fd, off, strlen(off)) : -1);
	close(fd);

	/* sleeps that last as long as asked, on each shifted clock */
	clockid_t clocks[] = { CLOCK_MONOTONIC, CLOCK_BOOTTIME };
	const char *names[] = { "monotonic", "boottime" };
	for (int i = 0; i < 2; i++) {
		pid_t p = fork();
		if (p == 0)
			sleep_until(clocks[i], 200000000LL);
		int st = 0;
		waitpid(p, &st, 0);
		printf("%s: absolute 0.2 s sleep: %s\n", names[i],
		       WIFEXITED(st) && WEXITSTATUS(st) == 0 ? "full" : "short or failed");
	}

	/* a sleeper with a deadline an hour away, and meanwhile a round trip with another
	 * child: only the sleeper waits; SIGKILL ends it */
	pid_t sleeper = fork();
	if (sleeper == 0)
		sleep_until(CLOCK_MONOTONIC, 3600 * 1000000000LL);
	int to[2], from[2];
	char c = 'x';
	if (pipe(to) < 0 || pipe(from) < 0)
		return 1;
	pid_t echo = fork();
	if (echo == 0) {
		if (read(to[0], &c, 1) == 1)
			write(from[1], &c, 1);
		_exit(0);
	}
	usleep(100000); /* (the sleeper is asleep by now, or about to be) */
	R("round trip write", write(to[1], "y", 1));
	R("round trip read", read(from[0], &c, 1));
	printf("echoed: %c\n", c);
	waitpid(echo, NULL, 0);
	OK("kill the sleeper", kill(sleeper, SIGKILL));
	int st = 0;
	waitpid(sleeper, &st, 0);
	printf("sleeper: %s\n", WIFSIGNALED(st) && WTERMSIG(st) == SIGKILL ? "killed" : "other end");
	return 0;
}
