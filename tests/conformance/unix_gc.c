/* Unix sockets that only messages in flight hold (SCM_RIGHTS cycles: a socket sent into
 * its own queue, sockets sent into each other's) are garbage collected: their peers then
 * see the end (EOF, EPIPE). A socket in flight that is still reachable (its receiver has
 * a descriptor) is not. Linux collects when some unix socket is released; each check
 * releases a fresh pair and waits up to two seconds. */
#include "cf.h"
#include <poll.h>
#include <sys/socket.h>

static int
send_fds(int via, const int *fds, int n)
{
	char ctl[CMSG_SPACE(8 * sizeof(int))] = { 0 };
	struct iovec iov = { "x", 1 };
	struct msghdr m = { .msg_iov = &iov, .msg_iovlen = 1, .msg_control = ctl,
			    .msg_controllen = CMSG_SPACE(n * sizeof(int)) };
	struct cmsghdr *c = CMSG_FIRSTHDR(&m);

	c->cmsg_level = SOL_SOCKET;
	c->cmsg_type = SCM_RIGHTS;
	c->cmsg_len = CMSG_LEN(n * sizeof(int));
	memcpy(CMSG_DATA(c), fds, n * sizeof(int));
	return (int)sendmsg(via, &m, MSG_NOSIGNAL);
}

/* Releases a fresh pair (Linux runs its collector then) and waits for fd to see the end. */
static const char *
sees_end(int fd)
{
	int sv[2];

	socketpair(AF_UNIX, SOCK_STREAM, 0, sv);
	close(sv[0]);
	close(sv[1]);
	for (int i = 0; i < 200; i++) {
		struct pollfd p = { fd, POLLIN, 0 };
		char c;

		if (poll(&p, 1, 10) == 1 && (p.revents & (POLLHUP | POLLIN))) {
			ssize_t n = recv(fd, &c, 1, MSG_DONTWAIT | MSG_PEEK);
			if (n == 0)
				return "yes";
			if (n > 0)
				return "no, a message waits";
			if (errno != EAGAIN)
				return en(errno);
		}
	}
	return "no";
}

int
main(void)
{
	int x[2], ab[2], pq[2], st[2], fds[3];
	char buf[8];

	setvbuf(stdout, NULL, _IONBF, 0);
	/* a cycle holding y: x sees the end */
	socketpair(AF_UNIX, SOCK_STREAM, 0, x);
	socketpair(AF_UNIX, SOCK_STREAM, 0, ab);
	fds[0] = x[1];
	fds[1] = ab[0];
	fds[2] = ab[1];
	R("send y, a, b into b", send_fds(ab[0], fds, 3));
	close(x[1]);
	close(ab[0]);
	close(ab[1]);
	printf("x sees the end: %s\n", sees_end(x[0]));
	close(x[0]);

	/* q sent into its own queue, then closed: p sees the end */
	socketpair(AF_UNIX, SOCK_STREAM, 0, pq);
	R("send q into q", send_fds(pq[0], &pq[1], 1));
	close(pq[1]);
	printf("p sees the end: %s\n", sees_end(pq[0]));
	R("send on p", send(pq[0], "z", 1, MSG_NOSIGNAL));
	close(pq[0]);

	/* s sent to t, s closed: t still has it to receive */
	socketpair(AF_UNIX, SOCK_DGRAM, 0, st);
	R("send s into t", send_fds(st[0], &st[0], 1));
	close(st[0]);
	printf("t sees the end: %s\n", sees_end(st[1]));
	{
		char ctl[CMSG_SPACE(sizeof(int))];
		struct iovec iov = { buf, sizeof(buf) };
		struct msghdr m = { .msg_iov = &iov, .msg_iovlen = 1, .msg_control = ctl,
				    .msg_controllen = sizeof(ctl) };
		int s2;

		R("recvmsg on t", recvmsg(st[1], &m, 0));
		memcpy(&s2, CMSG_DATA(CMSG_FIRSTHDR(&m)), sizeof(int));
		R("send through the received s", send(s2, "hello", 5, 0));
		R("t gets it", recv(st[1], buf, sizeof(buf), MSG_DONTWAIT));
		close(s2);
	}
	close(st[1]);
	return 0;
}
