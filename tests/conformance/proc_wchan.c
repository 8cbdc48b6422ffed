/*
 * /proc/PID/wchan names where a task sleeps (a kernel function: ps -l's WCHAN) and is "0"
 * for a task that runs. The names are the kernel's own and change between versions, so
 * only their presence is compared: a child asleep in nanosleep, one in wait4 and one in a
 * pipe read each have one; the reading task itself has none.
 */
#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <time.h>

#include "cf.h"

/* Waits (up to 5 s) until pid sleeps, then prints whether its wchan is a name. */
static void
show(const char *label, pid_t pid)
{
	char path[64], buf[512] = "";

	cf_await_state(pid, 'S', 500);
	snprintf(path, sizeof(path), "/proc/%d/wchan", pid);
	cf_read_text(path, buf, sizeof(buf));
	printf("%s: %s\n", label,
	       buf[0] >= 'a' && buf[0] <= 'z' ? "a name" : buf[0] == '_' ? "a name" : buf);
}

int
main(void)
{
	char buf[64];
	int p[2];

	cf_init();
	cf_read_text("/proc/self/wchan", buf, sizeof(buf));
	printf("self, running: %s\n", buf);

	pid_t a = fork();
	if (a == 0) {
		struct timespec ts = { 30, 0 };
		nanosleep(&ts, NULL);
		_exit(0);
	}
	show("asleep in nanosleep", a);

	pid_t b = fork();
	if (b == 0) {
		pid_t c = fork();
		if (c == 0) {
			prctl(PR_SET_PDEATHSIG, SIGKILL); /* goes with its parent */
			pause();
			_exit(0);
		}
		waitpid(c, NULL, 0);
		_exit(0);
	}
	show("asleep in wait4", b);

	pipe(p);
	pid_t r = fork();
	if (r == 0) {
		char ch;
		close(p[1]);
		read(p[0], &ch, 1);
		_exit(0);
	}
	close(p[0]);
	show("asleep in a pipe read", r);

	kill(a, SIGKILL);
	kill(b, SIGKILL);
	kill(r, SIGKILL);
	waitpid(a, NULL, 0);
	waitpid(b, NULL, 0);
	waitpid(r, NULL, 0);
	return 0;
}
