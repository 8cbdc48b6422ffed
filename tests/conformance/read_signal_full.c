/* A read or write of a regular file is not cut short by a signal that arrives meanwhile
 * (a handler, without SA_RESTART): 4 MiB in and out of a file under a 200 us interval
 * timer, 10 times each, always whole. */
#include "cf.h"
#include <signal.h>
#include <sys/time.h>

static volatile sig_atomic_t ticks;

static void
on_alarm(int sig)
{
	(void)sig;
	ticks++;
}

int
main(void)
{
	enum { SIZE = 4 << 20, ROUNDS = 10 };
	char *buf = malloc(SIZE);
	struct sigaction sa = { .sa_handler = on_alarm }; /* (no SA_RESTART) */
	struct itimerval it = { { 0, 200 }, { 0, 200 } };
	int whole_w = 0, whole_r = 0;

	cf_init();
	if (!buf)
		return 1;
	memset(buf, 'x', SIZE);
	int fd = open("f", O_RDWR | O_CREAT | O_TRUNC, 0600);
	if (fd < 0)
		return 1;
	sigaction(SIGALRM, &sa, NULL);
	setitimer(ITIMER_REAL, &it, NULL);
	for (int i = 0; i < ROUNDS; i++) {
		whole_w += pwrite(fd, buf, SIZE, 0) == SIZE;
		whole_r += pread(fd, buf, SIZE, 0) == SIZE;
	}
	it = (struct itimerval){ 0 };
	setitimer(ITIMER_REAL, &it, NULL);
	printf("whole writes: %d of %d\n", whole_w, ROUNDS);
	printf("whole reads: %d of %d\n", whole_r, ROUNDS);
	printf("signals came: %s\n", ticks > 0 ? "yes" : "no");
	close(fd);
	cf_cleanup();
	return 0;
}
