/* flock(2): per open file description, conversions, release on last close, blocking
 * across processes, EINTR from a signal, independence from fcntl locks. */
#include <pthread.h>
#include <signal.h>
#include <sys/file.h>
#include <sys/wait.h>

#include "cf.h"

static void
on_alarm(int sig)
{
	(void)sig;
}

/* Runs fn in a child and waits for it; the child's lines come before the parent's next. */
static void
in_child(void (*fn)(void))
{
	pid_t p = fork();

	if (p == 0) {
		fn();
		fflush(stdout);
		_exit(0);
	}
	waitpid(p, NULL, 0);
}

static void
child_other_description(void)
{
	int fd = open("f", O_RDONLY);

	R("child own open LOCK_SH|NB", flock(fd, LOCK_SH | LOCK_NB));
	R("child own open LOCK_EX|NB", flock(fd, LOCK_EX | LOCK_NB));
}

static int inherited_fd;

static void
child_inherited(void)
{
	R("child inherited LOCK_EX|NB (same description)", flock(inherited_fd, LOCK_EX | LOCK_NB));
}

static void
child_fcntl_lock(void)
{
	int fd = open("f", O_RDWR);
	struct flock fl = { .l_type = F_WRLCK, .l_whence = SEEK_SET };

	R("child fcntl F_WRLCK while flock held", fcntl(fd, F_SETLK, &fl));
}

static void
blocking_waiter(void)
{
	int pfd[2], fd;
	char c;

	fd = open("f", O_RDONLY);
	R("holder LOCK_EX", flock(fd, LOCK_EX));
	pipe(pfd);
	pid_t p = fork();
	if (p == 0) {
		int mine = open("f", O_RDONLY);
		close(pfd[1]);
		close(fd); /* the inherited reference would keep the parent's lock */
		int r = flock(mine, LOCK_EX); /* blocks until the parent closes */
		int e = errno;
		/* the parent wrote its token before closing: it is there now */
		fcntl(pfd[0], F_SETFL, O_NONBLOCK);
		ssize_t n = read(pfd[0], &c, 1);
		printf("child blocking LOCK_EX: %d%s%s, after release: %s\n", r, r ? " " : "",
		       r ? en(e) : "", n == 1 ? "yes" : "no");
		fflush(stdout);
		_exit(0);
	}
	close(pfd[0]);
	usleep(100000);
	write(pfd[1], "x", 1);
	close(fd); /* the last reference to the description: the lock goes */
	waitpid(p, NULL, 0);
	close(pfd[1]);
}

static void
interrupted(void)
{
	int fd = open("f", O_RDONLY);
	struct sigaction sa = { .sa_handler = on_alarm }; /* no SA_RESTART */

	flock(fd, LOCK_EX);
	pid_t p = fork();
	if (p == 0) {
		int mine = open("f", O_RDONLY);
		sigaction(SIGALRM, &sa, NULL);
		alarm(1);
		R("child LOCK_EX interrupted by a signal", flock(mine, LOCK_EX));
		R("child still without the lock (LOCK_EX|NB)", flock(mine, LOCK_EX | LOCK_NB));
		fflush(stdout);
		_exit(0);
	}
	waitpid(p, NULL, 0);
	close(fd);
}

static int thread_fd;
static volatile int thread_done;

static void *
thread_lock(void *arg)
{
	(void)arg;
	int r = flock(thread_fd, LOCK_EX); /* waits for the main thread's description */
	thread_done = 1;
	return (void *)(long)r;
}

/* Threads of one process with their own descriptions conflict like processes. */
static void
threads(void)
{
	int mine = open("f", O_RDONLY);
	pthread_t th;
	void *ret;

	thread_fd = open("f", O_RDONLY);
	R("main thread LOCK_EX", flock(mine, LOCK_EX));
	pthread_create(&th, NULL, thread_lock, NULL);
	usleep(100000);
	YN("the thread still waits", !thread_done);
	R("main thread LOCK_UN", flock(mine, LOCK_UN));
	pthread_join(th, &ret);
	printf("thread LOCK_EX: %ld\n", (long)ret);
	R("main thread LOCK_EX|NB now", flock(mine, LOCK_EX | LOCK_NB));
	close(thread_fd);
	close(mine);
}

int
main(void)
{
	cf_init();
	cf_write_file("f", "hello", 5);
	int fd1 = open("f", O_RDONLY), fd2 = open("f", O_RDONLY);

	R("LOCK_EX", flock(fd1, LOCK_EX));
	R("LOCK_EX again", flock(fd1, LOCK_EX));
	R("other description LOCK_SH|NB", flock(fd2, LOCK_SH | LOCK_NB));
	R("other description LOCK_EX|NB", flock(fd2, LOCK_EX | LOCK_NB));
	int d = dup(fd1);
	R("dup LOCK_EX (same description)", flock(d, LOCK_EX | LOCK_NB));
	in_child(child_other_description);
	inherited_fd = fd1;
	in_child(child_inherited);
	in_child(child_fcntl_lock);

	R("convert to LOCK_SH", flock(fd1, LOCK_SH));
	R("other LOCK_SH|NB now", flock(fd2, LOCK_SH | LOCK_NB));
	R("other LOCK_EX|NB (two shared)", flock(fd2, LOCK_EX | LOCK_NB));
	/* the failed conversion dropped the other's shared lock, as Linux does */
	R("first LOCK_EX|NB (other lost its lock)", flock(fd1, LOCK_EX | LOCK_NB));
	R("other LOCK_EX|NB", flock(fd2, LOCK_EX | LOCK_NB));
	R("other LOCK_UN", flock(fd2, LOCK_UN));
	R("LOCK_UN not held", flock(fd2, LOCK_UN));

	R("first LOCK_EX", flock(fd1, LOCK_EX));
	close(fd1);
	R("after closing one of two descriptors: LOCK_EX|NB", flock(fd2, LOCK_EX | LOCK_NB));
	close(d);
	R("after the last close: LOCK_EX|NB", flock(fd2, LOCK_EX | LOCK_NB));
	R("LOCK_UN", flock(fd2, LOCK_UN));

	R("bad operation", flock(fd2, 0));
	R("LOCK_SH|LOCK_EX", flock(fd2, LOCK_SH | LOCK_EX));
	R("bad fd", flock(9999, LOCK_SH));
	R("bad operation and bad fd", flock(9999, 0));
	R("LOCK_MAND ignored", flock(9999, 32 | LOCK_READ));
	int wr = open("f", O_WRONLY);
	R("LOCK_EX on a write-only descriptor", flock(wr, LOCK_EX));
	close(wr);
	int op = open("f", O_PATH);
	R("O_PATH descriptor", flock(op, LOCK_SH));
	close(op);
	mkdir("dir", 0755);
	int dir = open("dir", O_RDONLY | O_DIRECTORY);
	R("directory LOCK_EX", flock(dir, LOCK_EX));
	int pfd[2];
	pipe(pfd);
	R("pipe LOCK_EX", flock(pfd[0], LOCK_EX));

	blocking_waiter();
	interrupted();
	threads();
	return 0;
}
