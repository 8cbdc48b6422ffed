/*
 * ru_nvcsw counts the times the process gave up the CPU waiting (getrusage(2)): calls that
 * return at once do not add to it, however many, nor do the sandbox's own stops; sleeping
 * and waiting for a pipe do. RUSAGE_SELF, RUSAGE_THREAD, a second thread, a child's wait4
 * rusage and RUSAGE_CHILDREN, and after an execve. Only relations are printed.
 */
#include "cf.h"
#include <pthread.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <time.h>

#define CALLS 2000
#define FEW 200 /* far below CALLS: the host may switch now and then */

static long
nvcsw(int who)
{
	struct rusage ru;
	getrusage(who, &ru);
	return ru.ru_nvcsw;
}

/* Calls that never wait: some the sandbox serves quickly, some with a ptrace stop. */
static void
busy(void)
{
	struct utsname u;
	struct stat st;
	for (int i = 0; i < CALLS; i++) {
		getppid();
		uname(&u);
		fstat(1, &st);
		kill(getpid(), 0);
		int fd = open("/dev/null", O_RDONLY);
		close(fd);
	}
}

static void
naps(int n)
{
	for (int i = 0; i < n; i++) {
		struct timespec ts = { 0, 1000000 };
		nanosleep(&ts, NULL);
	}
}

static void *
thread_busy(void *arg)
{
	(void)arg;
	long a = nvcsw(RUSAGE_THREAD);
	busy();
	long b = nvcsw(RUSAGE_THREAD);
	printf("second thread: RUSAGE_THREAD after %d calls grew by < %d: %s\n", CALLS * 6, FEW,
	       b - a < FEW ? "yes" : "no");
	return NULL;
}

int
main(int argc, char **argv)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (argc > 1) {
		long a = nvcsw(RUSAGE_SELF);
		busy();
		printf("after execve: RUSAGE_SELF %s, grew by < %d: %s\n",
		       a < FEW ? "small" : "large", FEW, nvcsw(RUSAGE_SELF) - a < FEW ? "yes" : "no");
		return 0;
	}
	long a = nvcsw(RUSAGE_SELF), t = nvcsw(RUSAGE_THREAD);
	printf("at start: RUSAGE_SELF < %d: %s\n", FEW, a < FEW ? "yes" : "no");
	busy();
	long b = nvcsw(RUSAGE_SELF);
	printf("RUSAGE_SELF after %d calls grew by < %d: %s\n", CALLS * 6, FEW,
	       b - a < FEW ? "yes" : "no");
	printf("RUSAGE_THREAD grew by < %d: %s\n", FEW, nvcsw(RUSAGE_THREAD) - t < FEW ? "yes" : "no");
	naps(5);
	printf("5 naps: grew by >= 5: %s\n", nvcsw(RUSAGE_SELF) - b >= 5 ? "yes" : "no");

	/* a read that waits for a child's write */
	int p[2];
	pipe(p);
	pid_t c = fork();
	if (c == 0) {
		naps(20);
		write(p[1], "x", 1);
		_exit(0);
	}
	char ch;
	b = nvcsw(RUSAGE_SELF);
	read(p[0], &ch, 1);
	printf("a waiting read: grew by >= 1: %s\n", nvcsw(RUSAGE_SELF) - b >= 1 ? "yes" : "no");
	waitpid(c, NULL, 0);

	pthread_t th;
	b = nvcsw(RUSAGE_SELF);
	pthread_create(&th, NULL, thread_busy, NULL);
	pthread_join(th, NULL);
	printf("RUSAGE_SELF with the thread's calls grew by < %d: %s\n", FEW,
	       nvcsw(RUSAGE_SELF) - b < FEW ? "yes" : "no");

	c = fork();
	if (c == 0) {
		busy();
		_exit(0);
	}
	struct rusage ru;
	int st;
	wait4(c, &st, 0, &ru);
	printf("child's wait4 rusage: nvcsw < %d: %s\n", FEW, ru.ru_nvcsw < FEW ? "yes" : "no");
	printf("RUSAGE_CHILDREN: nvcsw < %d: %s\n", FEW, nvcsw(RUSAGE_CHILDREN) < FEW ? "yes" : "no");

	c = fork();
	if (c == 0) {
		busy();
		execl(argv[0], argv[0], "again", (char *)NULL);
		_exit(1);
	}
	wait4(c, &st, 0, &ru);
	printf("exec'd child's wait4 rusage: nvcsw < %d: %s\n", 2 * FEW,
	       ru.ru_nvcsw < 2 * FEW ? "yes" : "no");
	return 0;
}
