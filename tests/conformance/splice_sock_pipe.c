/* splice from a socket (or a pipe) into a pipe that has less room than the data waiting:
 * only what fits is taken from the source, the rest stays there for the next call (Go's
 * io.Copy between TCP connections splices this way, 1 MiB at a time into a 64 KiB pipe).
 * A writer process sends 1 MiB and closes; every byte must come out of the pipe, in order. */
#include "cf.h"
#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/wait.h>

#define TOTAL (1 << 20)

static void
writer(int fd, int chunk)
{
	static unsigned char buf[1 << 16];
	long sent = 0;

	while (sent < TOTAL) {
		int n = TOTAL - sent < chunk ? TOTAL - sent : chunk;
		for (int i = 0; i < n; i++)
			buf[i] = (unsigned char)((sent + i) * 7 / 3);
		ssize_t w = write(fd, buf, n);
		if (w <= 0)
			_exit(1);
		sent += w;
	}
	_exit(0);
}

/* Splices everything from src through a fresh pipe, checks the bytes, prints the count. */
static void
drain(const char *label, int src, int nonblock)
{
	int p[2];
	long got = 0, bad = 0;
	static unsigned char buf[1 << 16];

	if (pipe2(p, O_NONBLOCK) < 0)
		return;
	for (;;) {
		ssize_t n = splice(src, NULL, p[1], NULL, 1 << 20,
				   SPLICE_F_MOVE | (nonblock ? SPLICE_F_NONBLOCK : 0));
		if (n < 0 && errno == EAGAIN) {
			struct pollfd pf = { .fd = src, .events = POLLIN };
			poll(&pf, 1, 10000);
			continue;
		}
		if (n <= 0) {
			if (n < 0)
				printf("%s: splice: %s\n", label, en(errno));
			break;
		}
		while (n > 0) {
			ssize_t m = read(p[0], buf, n < (ssize_t)sizeof(buf) ? n : (ssize_t)sizeof(buf));
			if (m <= 0) {
				printf("%s: the pipe holds less than splice said\n", label);
				return;
			}
			for (ssize_t i = 0; i < m; i++)
				bad += buf[i] != (unsigned char)((got + i) * 7 / 3);
			got += m;
			n -= m;
		}
	}
	printf("%s: %ld of %d bytes, %ld wrong\n", label, got, TOTAL, bad);
	close(p[0]);
	close(p[1]);
}

static void
tcp_case(const char *label, int chunk, int nonblock)
{
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	socklen_t al = sizeof(a);
	int l = socket(AF_INET, SOCK_STREAM, 0), c, s;

	if (l < 0 || bind(l, (struct sockaddr *)&a, sizeof(a)) < 0 || listen(l, 1) < 0 ||
	    getsockname(l, (struct sockaddr *)&a, &al) < 0)
		return;
	c = socket(AF_INET, SOCK_STREAM, 0);
	if (connect(c, (struct sockaddr *)&a, sizeof(a)) < 0)
		return;
	s = accept4(l, NULL, NULL, nonblock ? SOCK_NONBLOCK : 0);
	pid_t pid = fork();
	if (pid == 0)
		writer(c, chunk);
	close(c);
	drain(label, s, nonblock);
	int st;
	waitpid(pid, &st, 0);
	close(s);
	close(l);
}

int
main(void)
{
	int sv[2], p[2];

	cf_init();
	tcp_case("tcp, 4 KiB writes, non-blocking", 4096, 1);
	tcp_case("tcp, 64 KiB writes, non-blocking", 65536, 1);
	tcp_case("tcp, 64 KiB writes, blocking", 65536, 0);
	if (socketpair(AF_UNIX, SOCK_STREAM, 0, sv) == 0) {
		pid_t pid = fork();
		if (pid == 0) {
			close(sv[0]);
			writer(sv[1], 65536);
		}
		close(sv[1]);
		drain("unix stream", sv[0], 0);
		waitpid(pid, NULL, 0);
		close(sv[0]);
	}
	if (pipe(p) == 0) {
		fcntl(p[0], F_SETPIPE_SZ, 1 << 20); /* a source pipe bigger than the target */
		pid_t pid = fork();
		if (pid == 0) {
			close(p[0]);
			writer(p[1], 65536);
		}
		close(p[1]);
		drain("pipe to pipe", p[0], 0);
		waitpid(pid, NULL, 0);
		close(p[0]);
	}
	return 0;
}
