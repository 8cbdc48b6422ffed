/* Time namespaces and threads: setns to a time namespace is EUSERS while the process has
 * another thread; a thread's unshare(CLONE_NEWTIME) is its own (its time_for_children),
 * and an exec by that thread enters it (the image lives in it, its clocks shifted). Run
 * as root. */
#include "cf.h"
#include <pthread.h>
#include <sched.h>
#include <time.h>

#define BOOT_OFF 630720000L   /* twenty years */

static int ns_fd = -1;
static pthread_barrier_t ready, done;
static char **args;

static unsigned long
ino_of(const char *path)
{
	struct stat st;

	return stat(path, &st) ? 0 : st.st_ino;
}

static void *
thread(void *arg)
{
	char text[64];

	(void)arg;
	R("thread: unshare", unshare(CLONE_NEWTIME));
	/* (/proc/TID: the thread's own; Linux has no timens_offsets under task/TID) */
	snprintf(text, sizeof(text), "/proc/%d/timens_offsets", gettid());
	int fd = open(text, O_WRONLY);
	snprintf(text, sizeof(text), "boottime %ld 0\n", BOOT_OFF);
	long r = write(fd, text, strlen(text));
	YN("thread: offsets written", r == (long)strlen(text));
	close(fd);
	ns_fd = open("/proc/thread-self/ns/time_for_children", O_RDONLY);
	pthread_barrier_wait(&ready);
	pthread_barrier_wait(&done);
	fflush(stdout);
	execl("/proc/self/exe", args[0], "stage2", (char *)NULL);
	printf("exec: %s\n", en(errno));
	exit(1);
}

int
main(int argc, char **argv)
{
	pthread_t th;
	struct timespec ts;

	if (argc > 1 && !strcmp(argv[1], "stage2")) {
		YN("exec: ns/time is ns/time_for_children",
		   ino_of("/proc/self/ns/time") == ino_of("/proc/self/ns/time_for_children"));
		clock_gettime(CLOCK_BOOTTIME, &ts);
		YN("exec: boottime shifted", ts.tv_sec >= BOOT_OFF);
		return 0;
	}
	args = argv;
	pthread_barrier_init(&ready, NULL, 2);
	pthread_barrier_init(&done, NULL, 2);
	pthread_create(&th, NULL, thread, NULL);
	pthread_barrier_wait(&ready);
	YN("main: ns/time_for_children unchanged",
	   ino_of("/proc/self/ns/time_for_children") == ino_of("/proc/self/ns/time"));
	R("main: setns while threaded", setns(ns_fd, CLONE_NEWTIME));
	clock_gettime(CLOCK_BOOTTIME, &ts);
	YN("main: boottime unshifted", ts.tv_sec < BOOT_OFF);
	fflush(stdout);
	pthread_barrier_wait(&done);
	pause();
	return 1;
}
