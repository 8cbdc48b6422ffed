/* Pipe capacity and write atomicity: F_GETPIPE_SZ/F_SETPIPE_SZ, how many bytes small
 * writes fit, PIPE_BUF writes all or nothing, partial large writes, FIONREAD, packets. */
#include "cf.h"
#include <sys/ioctl.h>
#include <sys/uio.h>

static char buf[70000];

/* Writes chunk-sized pieces until EAGAIN; returns the total written. */
static long
fill(int fd, size_t chunk)
{
	long total = 0;
	for (;;) {
		ssize_t n = write(fd, buf, chunk);
		if (n < 0)
			return errno == EAGAIN ? total : -1;
		total += n;
	}
}

static void
drain(int fd)
{
	while (read(fd, buf, sizeof(buf)) > 0)
		;
}

int
main(void)
{
	int p[2], n;

	memset(buf, 'x', sizeof(buf));
	R("pipe2", pipe2(p, O_NONBLOCK));
	R("F_GETPIPE_SZ", fcntl(p[0], F_GETPIPE_SZ));
	R("F_GETPIPE_SZ write end", fcntl(p[1], F_GETPIPE_SZ));
	R("F_GETPIPE_SZ on stdin-like file", fcntl(open("/dev/null", O_RDONLY), F_GETPIPE_SZ));
	R("fill with 4096", fill(p[1], 4096));
	R("1 byte when full", write(p[1], buf, 1));
	R("FIONREAD", (ioctl(p[0], FIONREAD, &n), n));
	R("read 4096", read(p[0], buf, 4096));
	R("5000 after one slot freed", write(p[1], buf, 5000));
	drain(p[0]);
	R("fill with 1000", fill(p[1], 1000));
	drain(p[0]);
	R("fill with 1", fill(p[1], 1));
	drain(p[0]);
	R("fill with 3000", fill(p[1], 3000));
	drain(p[0]);
	R("write 70000 nonblocking", write(p[1], buf, 70000));
	R("FIONREAD full", (ioctl(p[0], FIONREAD, &n), n));
	drain(p[0]);
	R("FIONREAD empty", (ioctl(p[0], FIONREAD, &n), n));

	R("F_SETPIPE_SZ 5000", fcntl(p[1], F_SETPIPE_SZ, 5000));
	R("F_GETPIPE_SZ after", fcntl(p[0], F_GETPIPE_SZ));
	R("F_SETPIPE_SZ 0", fcntl(p[1], F_SETPIPE_SZ, 0));
	R("F_SETPIPE_SZ 1048576", fcntl(p[1], F_SETPIPE_SZ, 1048576));
	R("fill 1 MiB pipe with 4096", fill(p[1], 4096));
	R("F_SETPIPE_SZ smaller than content", fcntl(p[1], F_SETPIPE_SZ, 65536));
	drain(p[0]);
	R("F_SETPIPE_SZ 65536 empty", fcntl(p[1], F_SETPIPE_SZ, 65536));
	R("F_SETPIPE_SZ 2^31+1", fcntl(p[1], F_SETPIPE_SZ, (1UL << 31) + 1));

	/* PIPE_BUF atomicity: 15 full slots + 4000 bytes, then 200 do not fit in one slot */
	R("F_SETPIPE_SZ 16 pages", fcntl(p[1], F_SETPIPE_SZ, 65536));
	for (int i = 0; i < 15; i++)
		write(p[1], buf, 4096);
	R("4000 into the last slot", write(p[1], buf, 4000));
	R("96 merge into it", write(p[1], buf, 96));
	R("200 atomic: EAGAIN", write(p[1], buf, 200));
	R("read 10", read(p[0], buf, 10));
	R("200 still EAGAIN (no free slot)", write(p[1], buf, 200));
	drain(p[0]);

	/* writev of small segments is one atomic write */
	struct iovec iov[3] = { { buf, 1000 }, { buf, 1000 }, { buf, 1000 } };
	for (int i = 0; i < 15; i++)
		write(p[1], buf, 4096);
	R("writev 3x1000", writev(p[1], iov, 3));
	R("writev 3x1000 again: 96 merge fails, no slot", writev(p[1], iov, 3));
	drain(p[0]);

	/* fstat */
	struct stat st;
	R("fstat", fstat(p[0], &st));
	YN("S_ISFIFO", S_ISFIFO(st.st_mode));
	printf("perm: %o\n", st.st_mode & 07777);
	R("st_size", st.st_size);
	R("F_GETFL read end", fcntl(p[0], F_GETFL));
	R("F_GETFL write end", fcntl(p[1], F_GETFL));
	R("fsync", fsync(p[1]));
	R("pread", pread(p[0], buf, 1, 0));
	R("read 0 bytes", read(p[0], buf, 0));
	R("write 0 bytes", write(p[1], buf, 0));
	close(p[0]);
	close(p[1]);

	/* packet mode */
	R("pipe2 O_DIRECT", pipe2(p, O_DIRECT | O_NONBLOCK));
	R("F_GETFL O_DIRECT", fcntl(p[1], F_GETFL) & O_DIRECT ? 1 : 0);
	R("packet 3", write(p[1], "abc", 3));
	R("packet 5", write(p[1], "defgh", 5));
	R("read 100 gets one packet", read(p[0], buf, 100));
	R("read 2 of a 5-byte packet", read(p[0], buf, 2));
	R("rest of the packet dropped", read(p[0], buf, 100));
	R("fill with packets of 1", fill(p[1], 1));
	drain(p[0]);
	R("pipe2 bad flags", pipe2(p, O_APPEND));
	return 0;
}
