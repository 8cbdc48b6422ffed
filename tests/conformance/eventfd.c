/* eventfd: counter semantics, EFD_SEMAPHORE, EFD_NONBLOCK, overflow, bad sizes, poll. */
#include "cf.h"
#include <poll.h>
#include <stdint.h>
#include <sys/eventfd.h>

static void
rd(const char *label, int fd)
{
	uint64_t v = 0;
	ssize_t n = read(fd, &v, sizeof(v));
	if (n < 0)
		printf("%s: -1 %s\n", label, en(errno));
	else
		printf("%s: %zd value %llu\n", label, n, (unsigned long long)v);
}

static void
wr(const char *label, int fd, uint64_t v)
{
	R(label, write(fd, &v, sizeof(v)));
}

static short
pollev(int fd)
{
	struct pollfd p = { fd, POLLIN | POLLOUT, 0 };
	poll(&p, 1, 0);
	return p.revents;
}

int
main(void)
{
	int fd = FD("eventfd 3 nonblock", eventfd(3, EFD_NONBLOCK | EFD_CLOEXEC));
	uint64_t v;

	R("F_GETFD", fcntl(fd, F_GETFD));
	R("F_GETFL", fcntl(fd, F_GETFL));
	printf("poll: %#x\n", pollev(fd));
	rd("read", fd);
	rd("read at zero", fd);
	printf("poll at zero: %#x\n", pollev(fd));
	wr("write 5", fd, 5);
	wr("write 7", fd, 7);
	rd("read sum", fd);
	wr("write max-1", fd, UINT64_MAX - 1);
	printf("poll at max-1: %#x\n", pollev(fd));
	wr("write 1 more", fd, 1);
	wr("write 0", fd, 0);
	wr("write all ones", fd, UINT64_MAX);
	rd("read max-1", fd);
	R("short read", read(fd, &v, 4));
	R("short write", write(fd, &v, 4));
	v = 9;
	R("write 9", write(fd, &v, 8));
	R("lseek", lseek(fd, 0, SEEK_SET));
	rd("read after long write", fd);
	close(fd);

	fd = FD("eventfd semaphore", eventfd(2, EFD_SEMAPHORE | EFD_NONBLOCK));
	rd("sem read", fd);
	rd("sem read", fd);
	rd("sem read empty", fd);
	wr("sem write 3", fd, 3);
	rd("sem read", fd);
	close(fd);

	R("eventfd bad flags", eventfd(0, 0x1000));
	R("raw eventfd", (fd = syscall(SYS_eventfd, 1)) >= 0);
	R("raw eventfd F_GETFL", fcntl(fd, F_GETFL));
	struct stat st;
	R("fstat", fstat(fd, &st));
	printf("perm: %o\n", st.st_mode & 07777);
	return 0;
}
