/*
 * Calls that never block on Linux (open, stat, read of a regular file, close, pipe, getcwd)
 * never fail with EINTR, however many signals arrive during them, even from a handler
 * installed without SA_RESTART. A child sends a storm of signals while the parent loops.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

static volatile sig_atomic_t handled;

static void
on_usr1(int sig)
{
	(void)sig;
	handled++;
}

static int eintr, other;

static void
check(long r, const char *what)
{
	if (r >= 0)
		return;
	if (errno == EINTR)
		eintr++;
	else if (other++ < 3)
		printf("%s: %s\n", what, strerrorname_np(errno));
}

int
main(void)
{
	struct sigaction sa = { .sa_handler = on_usr1 };  /* no SA_RESTART */
	sigaction(SIGUSR1, &sa, NULL);
	pid_t parent = getpid(), c = fork();
	if (c == 0) {
		for (int i = 0; i < 3000; i++)
			kill(parent, SIGUSR1);
		_exit(0);
	}
	int status, loops = 0;
	char buf[256];
	struct stat st;
	do {
		int fd = open("/etc/passwd", O_RDONLY);
		check(fd, "open");
		if (fd >= 0) {
			check(fstat(fd, &st), "fstat");
			check(read(fd, buf, sizeof(buf)), "read");
			check(close(fd), "close");
		}
		check(stat("/etc/os-release", &st), "stat");
		int p[2];
		check(pipe(p), "pipe");
		if (p[0] >= 0) {
			check(close(p[0]), "close");
			check(close(p[1]), "close");
		}
		check(getcwd(buf, sizeof(buf)) ? 0 : -1, "getcwd");
		loops++;
	} while (waitpid(c, &status, WNOHANG) == 0);
	printf("EINTR from calls that do not block: %d\n", eintr);
	printf("other errors: %d\n", other);
	printf("signals handled: %s, loops: %s\n", handled > 0 ? "yes" : "no",
	       loops > 0 ? "yes" : "no");
	return 0;
}
