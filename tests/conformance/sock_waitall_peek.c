/* MSG_WAITALL larger than the receive buffer waits for all of it (the writer sends in
 * pieces); it ends early with the count at the end of the stream, on SO_RCVTIMEO and on a
 * signal; with MSG_DONTWAIT it takes what is there. MSG_PEEK on stream, datagram and
 * seqpacket sockets leaves the data queued. */
#include "cf.h"
#include <signal.h>
#include <stdbool.h>
#include <sys/param.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <sys/wait.h>

#define BIG (1024 * 1024)

static char big[BIG], rb[BIG];

static void
on_usr1(int sig)
{
	(void)sig;
}

static pid_t
writer(int fd, int other, size_t n, size_t piece, bool close_after)
{
	pid_t p = fork();

	if (p == 0) {
		close(other);
		for (size_t i = 0; i < n; i += piece)
			if (write(fd, big + i, MIN(piece, n - i)) < 0)
				_exit(1);
		if (!close_after)
			pause();
		_exit(0);
	}
	return p;
}

int
main(void)
{
	int sv[2], st;
	pid_t p;
	struct sigaction sa = { .sa_handler = on_usr1 };

	setvbuf(stdout, NULL, _IONBF, 0);
	for (int i = 0; i < BIG; i++)
		big[i] = (char)(i % 253);

	socketpair(AF_UNIX, SOCK_STREAM, 0, sv);
	p = writer(sv[0], sv[1], BIG, 4096, true);
	R("recv MSG_WAITALL 1M", recv(sv[1], rb, BIG, MSG_WAITALL));
	YN("same", memcmp(rb, big, BIG) == 0);
	waitpid(p, &st, 0);

	p = writer(sv[0], sv[1], BIG, 100000, true);
	struct iovec iov[2] = { { rb, 1000 }, { rb + 1000, BIG - 1000 } };
	struct msghdr m = { .msg_iov = iov, .msg_iovlen = 2 };
	memset(rb, 0, BIG);
	R("recvmsg MSG_WAITALL 1M", recvmsg(sv[1], &m, MSG_WAITALL));
	YN("same", memcmp(rb, big, BIG) == 0);
	waitpid(p, &st, 0);

	p = writer(sv[0], sv[1], 5000, 1000, false);
	usleep(200000);
	R("recv MSG_WAITALL|MSG_DONTWAIT", recv(sv[1], rb, BIG, MSG_WAITALL | MSG_DONTWAIT));
	kill(p, SIGKILL);
	waitpid(p, &st, 0);
	close(sv[0]);
	close(sv[1]);

	/* the writer closes after 30000 bytes */
	socketpair(AF_UNIX, SOCK_STREAM, 0, sv);
	p = writer(sv[0], sv[1], 30000, 7000, true);
	close(sv[0]);
	R("recv MSG_WAITALL, writer closes", recv(sv[1], rb, BIG, MSG_WAITALL));
	waitpid(p, &st, 0);
	close(sv[1]);

	/* SO_RCVTIMEO after some data: the count */
	struct timeval tv = { 0, 200000 };
	socketpair(AF_UNIX, SOCK_STREAM, 0, sv);
	setsockopt(sv[1], SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	p = writer(sv[0], sv[1], 3000, 3000, false);
	R("recv MSG_WAITALL, SO_RCVTIMEO", recv(sv[1], rb, BIG, MSG_WAITALL));
	R("recv MSG_WAITALL, SO_RCVTIMEO, nothing", recv(sv[1], rb, BIG, MSG_WAITALL));
	kill(p, SIGKILL);
	waitpid(p, &st, 0);
	close(sv[0]);
	close(sv[1]);

	/* a signal after some data: the count */
	sigaction(SIGUSR1, &sa, NULL);
	socketpair(AF_UNIX, SOCK_STREAM, 0, sv);
	p = fork();
	if (p == 0) {
		write(sv[0], big, 2000);
		usleep(300000);
		kill(getppid(), SIGUSR1);
		pause();
		_exit(0);
	}
	R("recv MSG_WAITALL, signal", recv(sv[1], rb, BIG, MSG_WAITALL));
	kill(p, SIGKILL);
	waitpid(p, &st, 0);
	close(sv[0]);
	close(sv[1]);

	/* MSG_PEEK */
	char b[16];
	int types[] = { SOCK_STREAM, SOCK_DGRAM, SOCK_SEQPACKET };
	for (int i = 0; i < 3; i++) {
		printf("type %d\n", types[i]);
		socketpair(AF_UNIX, types[i], 0, sv);
		send(sv[0], "hello", 5, 0);
		send(sv[0], "world!", 6, 0);
		memset(b, 0, sizeof(b));
		R("  peek 3", recv(sv[1], b, 3, MSG_PEEK));
		printf("  %s\n", b);
		memset(b, 0, sizeof(b));
		R("  peek all", recv(sv[1], b, sizeof(b), MSG_PEEK));
		printf("  %s\n", b);
		R("  peek MSG_TRUNC", recv(sv[1], b, 2, MSG_PEEK | MSG_TRUNC));
		memset(b, 0, sizeof(b));
		R("  recv 4", recv(sv[1], b, 4, 0));
		printf("  %s\n", b);
		memset(b, 0, sizeof(b));
		R("  peek again", recv(sv[1], b, sizeof(b), MSG_PEEK | MSG_DONTWAIT));
		printf("  %s\n", b);
		memset(b, 0, sizeof(b));
		R("  read", read(sv[1], b, sizeof(b)));
		printf("  %s\n", b);
		close(sv[0]);
		close(sv[1]);
	}
	return 0;
}
