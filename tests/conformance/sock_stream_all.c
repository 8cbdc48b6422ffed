/* A blocking stream send/write/writev larger than the peer's buffer writes everything,
 * waiting for the reader (AF_UNIX pair and loopback TCP); a signal that interrupts it after
 * some data went through ends it with that partial count; SO_SNDTIMEO likewise. */
#include "cf.h"
#include <arpa/inet.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <sys/wait.h>

#define BIG (3 * 1024 * 1024)

static char big[BIG];

static void
on_usr1(int sig)
{
	(void)sig;
}

/* A child that reads everything from fd and reports the count and whether it matches. */
static pid_t
reader(int fd, int other)
{
	pid_t p = fork();

	if (p == 0) {
		static char rb[BIG];
		size_t n = 0;
		ssize_t r;

		close(other);
		while (n < BIG && (r = read(fd, rb + n, BIG - n)) > 0)
			n += (size_t)r;
		printf("  reader got %zu, same: %s\n", n, memcmp(rb, big, BIG) ? "no" : "yes");
		_exit(0);
	}
	return p;
}

static void
tcp_pair(int sv[2])
{
	struct sockaddr_in sa = { .sin_family = AF_INET };
	socklen_t len = sizeof(sa);
	int l = socket(AF_INET, SOCK_STREAM, 0);

	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	bind(l, (struct sockaddr *)&sa, sizeof(sa));
	listen(l, 1);
	getsockname(l, (struct sockaddr *)&sa, &len);
	sv[0] = socket(AF_INET, SOCK_STREAM, 0);
	connect(sv[0], (struct sockaddr *)&sa, sizeof(sa));
	sv[1] = accept(l, NULL, NULL);
	close(l);
}

static void
partial(const char *label, long r)
{
	printf("%s: %s\n", label, r < 0 ? en(errno) : r > 0 && r < BIG ? "partial" : r == BIG ? "all" : "zero");
}

/* The result after the reader's report (waits for it). */
static void
done(const char *label, long r, pid_t p)
{
	int e = errno, st;

	waitpid(p, &st, 0);
	errno = e;
	R(label, r);
}

int
main(void)
{
	int sv[2], st;
	pid_t p;
	struct sigaction sa = { .sa_handler = on_usr1 };

	setvbuf(stdout, NULL, _IONBF, 0);
	for (int i = 0; i < BIG; i++)
		big[i] = (char)(i % 251);

	R("socketpair", socketpair(AF_UNIX, SOCK_STREAM, 0, sv));
	p = reader(sv[1], sv[0]);
	done("send big", send(sv[0], big, BIG, 0), p);
	p = reader(sv[1], sv[0]);
	done("write big", write(sv[0], big, BIG), p);
	p = reader(sv[1], sv[0]);
	struct iovec iov[3] = { { big, 1000 }, { big + 1000, BIG / 2 }, { big + 1000 + BIG / 2, BIG / 2 - 1000 } };
	done("writev big", writev(sv[0], iov, 3), p);
	p = reader(sv[1], sv[0]);
	struct msghdr m = { .msg_iov = iov, .msg_iovlen = 3 };
	done("sendmsg big", sendmsg(sv[0], &m, 0), p);

	/* nobody reads: a signal ends the send with what went */
	sigaction(SIGUSR1, &sa, NULL); /* no SA_RESTART */
	p = fork();
	if (p == 0) {
		usleep(300000);
		kill(getppid(), SIGUSR1);
		_exit(0);
	}
	errno = 0;
	partial("send interrupted", send(sv[0], big, BIG, 0));
	waitpid(p, &st, 0);
	partial("send MSG_DONTWAIT when full", send(sv[0], big, BIG, MSG_DONTWAIT));
	close(sv[0]);
	close(sv[1]);

	/* SO_SNDTIMEO: the partial count, then EAGAIN when nothing went */
	struct timeval tv = { 0, 100000 };
	R("socketpair", socketpair(AF_UNIX, SOCK_STREAM, 0, sv));
	R("SO_SNDTIMEO", setsockopt(sv[0], SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv)));
	errno = 0;
	partial("write with SO_SNDTIMEO", write(sv[0], big, BIG));
	errno = 0;
	partial("write again", write(sv[0], big, BIG));
	close(sv[0]);
	close(sv[1]);

	/* loopback TCP */
	tcp_pair(sv);
	p = reader(sv[1], sv[0]);
	done("tcp send big", send(sv[0], big, BIG, 0), p);
	p = reader(sv[1], sv[0]);
	done("tcp write big", write(sv[0], big, BIG), p);
	close(sv[0]);
	close(sv[1]);
	return 0;
}
