/* /proc/PID/status State of a child sleeping in nanosleep, clock_nanosleep, pause or a
 * wait on a shared futex (FUTEX_WAIT, FUTEX_WAIT_BITSET) is
 * "S (sleeping)"; a child spinning in user code is "R (running)". The parent looks again
 * until it sees the state (up to 10 s), so timing never decides the output. */
#include "cf.h"
#include <linux/futex.h>
#include <signal.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <time.h>

static int
state_seen(pid_t pid, const char *want)
{
	char path[64], buf[4096];

	snprintf(path, sizeof(path), "/proc/%d/status", pid);
	for (int i = 0; i < 1000; i++) {
		int fd = open(path, O_RDONLY);
		ssize_t n = fd >= 0 ? read(fd, buf, sizeof(buf) - 1) : -1;
		if (fd >= 0)
			close(fd);
		buf[n > 0 ? n : 0] = '\0';
		char *s = strstr(buf, "State:\t");
		if (s && !strncmp(s + 7, want, strlen(want)))
			return 1;
		usleep(10000);
	}
	return 0;
}

static int *shared_word;

static void
check(const char *label, int how, const char *want)
{
	pid_t pid = fork();

	if (pid == 0) {
		struct timespec ts = { 0, 50 * 1000 * 1000 };
		for (;;) {
			if (how == 0)
				syscall(SYS_nanosleep, &ts, NULL);
			else if (how == 1)
				syscall(SYS_clock_nanosleep, CLOCK_MONOTONIC, 0, &ts, NULL);
			else if (how == 2)
				pause();
			else if (how == 4)
				syscall(SYS_futex, shared_word, FUTEX_WAIT, 0, NULL, NULL, 0);
			else if (how == 5)
				syscall(SYS_futex, shared_word, FUTEX_WAIT_BITSET, 0, NULL, NULL, 1);
			else
				for (volatile unsigned long k = 0; k < 1000000000UL; k++)
					;
		}
	}
	printf("%s: %s\n", label, state_seen(pid, want) ? "seen" : "not seen");
	kill(pid, SIGKILL);
	waitpid(pid, NULL, 0);
}

int
main(void)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	check("nanosleep S", 0, "S (sleeping)");
	check("clock_nanosleep S", 1, "S (sleeping)");
	check("pause S", 2, "S (sleeping)");
	shared_word = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	check("shared futex wait S", 4, "S (sleeping)");
	check("shared futex wait_bitset S", 5, "S (sleeping)");
	check("spinning R", 3, "R (running)");
	return 0;
}
