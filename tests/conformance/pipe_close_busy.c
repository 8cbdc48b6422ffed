/* Blocking pipe I/O against Linux's page-slot capacity and fd lifetime:
 * - a blocking write of 1 KiB blocks only when the 16 pages are full, not when the last
 *   page still has room (poll says "full" at 16 used slots, but write tops up the last);
 * - a read blocked in one thread keeps its file when another thread closes the
 *   descriptor: the pipe still has a reader, a write succeeds and the read gets its data. */
#include "cf.h"
#include <pthread.h>
#include <signal.h>

static int p[2];
static volatile int writes;
static long got = -2;
static int got_errno;
static volatile pid_t reader_tid;

static void
on_alarm(int s)
{
	(void)s;
	dprintf(1, "blocking 1K writes before blocking: %d\n", writes);
	_exit(0);
}

static void *
reader(void *arg)
{
	int v = 0;

	(void)arg;
	reader_tid = gettid();
	got = read(p[0], &v, sizeof(v));
	got_errno = errno;
	if (got == sizeof(v))
		got = v;
	return NULL;
}

int
main(void)
{
	pid_t c = fork();

	if (c == 0) {
		char b[1024] = { 0 };

		pipe(p);
		signal(SIGALRM, on_alarm);
		alarm(1);
		while (write(p[1], b, sizeof(b)) == sizeof(b))
			writes++;
		_exit(1);
	}
	int st;
	waitpid(c, &st, 0);
	R("writer exit", WEXITSTATUS(st));

	signal(SIGPIPE, SIG_IGN);
	R("pipe", pipe(p));
	pthread_t th;
	pthread_create(&th, NULL, reader, NULL);
	/* let the reader block in read(): its state turns to S (sleeping) */
	for (int i = 0; i < 2000; i++) {
		char path[64], st[256] = "";
		int fd;
		if (reader_tid) {
			snprintf(path, sizeof(path), "/proc/self/task/%d/stat", (int)reader_tid);
			fd = open(path, O_RDONLY);
			if (fd >= 0) {
				read(fd, st, sizeof(st) - 1);
				close(fd);
			}
			char *e = strrchr(st, ')');
			if (e && e[1] == ' ' && e[2] == 'S')
				break;
		}
		usleep(1000);
	}
	usleep(20000);
	R("close the read end under the reader", close(p[0]));
	int v = 1234;
	R("write while the reader still holds the file", write(p[1], &v, sizeof(v)));
	pthread_join(th, NULL);
	printf("reader got %ld (errno %s)\n", got, got < 0 ? strerror(got_errno) : "-");
	R("write after the reader is gone", write(p[1], &v, sizeof(v)));
	return 0;
}
