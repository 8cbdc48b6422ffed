/*
 * A pipe write whose source faults part way (Linux pipe_write): the pipe copies page by
 * page and drops the page the fault cut short, so the count is the whole pages before the
 * fault (EFAULT when there is none); a sub-page remainder that would top up the last
 * buffer of a non-empty pipe comes first and must be whole. Packet mode (O_DIRECT) alike,
 * writev alike, and a blocking write that fills the pipe goes on to the fault.
 */
#include "cf.h"
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/uio.h>
#include <sys/wait.h>

#define PG 4096

/* pages readable pages, then an inaccessible one. */
static char *
source(int pages)
{
	char *p = mmap(NULL, (pages + 1) * PG, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	memset(p, 'a', pages * PG);
	mprotect(p + pages * PG, PG, PROT_NONE);
	return p;
}

/* What the write left in pipe p; p and source b go. */
static void
done(int p[2], char *b)
{
	int n = -1;

	ioctl(p[0], FIONREAD, &n);
	printf("  in pipe: %d\n", n);
	close(p[0]);
	close(p[1]);
	munmap(b, 4 * PG);
}

static void
one(const char *what, int pre, size_t off, size_t len, int flags)
{
	int p[2];
	char *b = source(3);

	pipe2(p, flags | O_NONBLOCK);
	if (pre)
		write(p[1], "xyz", pre);
	R(what, write(p[1], b + off, len));
	done(p, b);
}

static void
vec(const char *what, size_t off2, size_t len2)
{
	int p[2];
	char *b = source(3);
	struct iovec iov[2] = { { b, 100 }, { b + off2, len2 } };

	pipe2(p, O_NONBLOCK);
	R(what, writev(p[1], iov, 2));
	done(p, b);
}

/* 20 pages and 100 bytes readable, more asked: a reader drains the 16-page pipe. */
static void
blocking(void)
{
	int p[2];
	char *b = source(21);

	pipe(p);
	pid_t pid = fork();
	if (pid == 0) {
		char buf[PG];
		long got = 0, r;

		close(p[1]);
		while ((r = read(p[0], buf, sizeof(buf))) > 0)
			got += r;
		printf("reader got %ld\n", got);
		_exit(0);
	}
	close(p[0]);
	R("blocking write past the pipe's size", write(p[1], b + PG - 100, 24 * PG));
	close(p[1]);
	waitpid(pid, NULL, 0);
}

int
main(void)
{
	setvbuf(stdout, NULL, _IONBF, 0);
	one("two pages then the fault", 0, PG, 3 * PG, 0);
	one("unaligned source", 0, 100, 3 * PG, 0);
	one("100 bytes before the fault", 0, 3 * PG - 100, PG, 0);
	one("three whole pages, more asked", 0, 0, 4 * PG, 0);
	one("non-empty: remainder cut", 3, 3 * PG - 100, 200, 0);
	one("non-empty: remainder, then pages", 3, 100, 3 * PG + 50, 0);
	one("non-empty: no remainder", 3, 100, 4 * PG, 0);
	one("packets: two pages", 0, PG, 3 * PG, O_DIRECT);
	one("packets: unaligned", 0, 100, 3 * PG, O_DIRECT);
	vec("writev: second segment faults", 2 * PG + 50, 2 * PG);
	vec("writev: 100 + 50 bytes", 3 * PG - 50, 100);
	blocking();
	return 0;
}
