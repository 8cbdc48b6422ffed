/* A blocking write to a pipe larger than its capacity writes everything (it waits for the
 * reader as often as needed) and returns the whole count; write and writev alike. A signal
 * that interrupts such a write after part of it went through ends it with that count, with
 * or without SA_RESTART. */
#include "cf.h"
#include <signal.h>
#include <sys/uio.h>
#include <sys/wait.h>

#define BIG (1024 * 1024 + 7)

static char buf[BIG];
static volatile int hits;

static void h(int s) { (void)s; hits++; }

/* The child reads everything from fd in small pieces and reports count and checksum. */
static pid_t
reader(int p[2], int out)
{
	pid_t c = fork();

	if (c == 0) {
		static char b[3000];
		unsigned long sum = 0, n = 0;
		ssize_t r;

		close(p[1]);
		while ((r = read(p[0], b, sizeof(b))) > 0) {
			for (ssize_t i = 0; i < r; i++)
				sum = sum * 31 + (unsigned char)b[i];
			n += r;
		}
		dprintf(out, "reader: %lu bytes, sum %lu\n", n, sum);
		_exit(0);
	}
	return c;
}

static unsigned long
want_sum(size_t n)
{
	unsigned long sum = 0;

	for (size_t i = 0; i < n; i++)
		sum = sum * 31 + (unsigned char)buf[i];
	return sum;
}

int
main(void)
{
	int p[2], st;
	pid_t c;

	for (size_t i = 0; i < BIG; i++)
		buf[i] = (char)(i * 7 + i / 251);
	setvbuf(stdout, NULL, _IONBF, 0);
	printf("expect: %d bytes, sum %lu\n", BIG, want_sum(BIG));

	R("pipe", pipe(p));
	c = reader(p, 1);
	R("write big", write(p[1], buf, BIG));
	close(p[1]);
	close(p[0]);
	waitpid(c, &st, 0);

	R("pipe", pipe(p));
	c = reader(p, 1);
	struct iovec iov[3] = {
		{ buf, 100 }, { buf + 100, 300000 }, { buf + 300100, BIG - 300100 },
	};
	R("writev big", writev(p[1], iov, 3));
	close(p[1]);
	close(p[0]);
	waitpid(c, &st, 0);

	/* nobody reads: the write fills the pipe and waits until the signal comes */
	struct sigaction sa = { 0 };
	sa.sa_handler = h;
	sigaction(SIGALRM, &sa, NULL);
	R("pipe", pipe(p));
	alarm(1);
	R("write interrupted, no SA_RESTART", write(p[1], buf, BIG));
	printf("  handlers run: %d\n", hits);
	close(p[0]);
	close(p[1]);
	sa.sa_flags = SA_RESTART;
	sigaction(SIGALRM, &sa, NULL);
	R("pipe", pipe(p));
	alarm(1);
	R("write interrupted, SA_RESTART", write(p[1], buf, BIG));
	printf("  handlers run: %d\n", hits);
	char b[10];
	fcntl(p[0], F_SETFL, O_NONBLOCK);
	R("read after", read(p[0], b, sizeof(b)));
	return 0;
}
