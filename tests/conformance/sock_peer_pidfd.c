/* SO_PEERPIDFD and SO_PASSPIDFD (unix sockets): the peer's process as a pidfd
 * (close-on-exec; what fits of its number), ENODATA without a peer process (a lone
 * datagram socket, TCP); the pidfd is the peer's (waitid P_PIDFD reaps it) and stays a
 * pidfd once the peer is reaped (signals: ESRCH); SO_PASSPIDFD: each message's sender as
 * an SCM_PIDFD after SCM_CREDENTIALS and SCM_RIGHTS, MSG_CTRUNC without room for it;
 * EOPNOTSUPP for inet sockets. In a network namespace of the test's own. */
#include "cf.h"
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>

#ifndef SO_PEERPIDFD
#define SO_PASSPIDFD 76
#define SO_PEERPIDFD 77
#endif
#ifndef SCM_PIDFD
#define SCM_PIDFD 4
#endif
#ifndef P_PIDFD
#define P_PIDFD 3
#endif

static int
peer(int s)
{
	int fd = -1;
	socklen_t l = sizeof(fd);

	if (getsockopt(s, SOL_SOCKET, SO_PEERPIDFD, &fd, &l) < 0)
		return -errno;
	return fd;
}

static void
show(const char *what, int s)
{
	int fd = peer(s);

	if (fd < 0) {
		printf("%s: %s\n", what, en(-fd));
		return;
	}
	printf("%s: cloexec %d, signal 0: %s\n", what, fcntl(fd, F_GETFD),
	       syscall(SYS_pidfd_send_signal, fd, 0, NULL, 0) < 0 ? en(errno) : "ok");
	close(fd);
}

static void
cmsgs(const char *what, struct msghdr *m)
{
	printf("%s: flags%s\n", what, m->msg_flags & MSG_CTRUNC ? " CTRUNC" : "");
	for (struct cmsghdr *c = CMSG_FIRSTHDR(m); c; c = CMSG_NXTHDR(m, c)) {
		int fd;

		memcpy(&fd, CMSG_DATA(c), sizeof(fd));
		printf("  level %d type %d len %zu", c->cmsg_level, c->cmsg_type, (size_t)c->cmsg_len);
		if (c->cmsg_type == SCM_PIDFD || c->cmsg_type == SCM_RIGHTS) {
			printf(" fd cloexec %d", fcntl(fd, F_GETFD));
			if (c->cmsg_type == SCM_PIDFD)
				printf(" signal 0: %s", syscall(SYS_pidfd_send_signal, fd, 0, NULL, 0) < 0
							? en(errno) : "ok");
			close(fd);
		}
		printf("\n");
	}
}

int
main(void)
{
	int sv[2], q[2], one = 1, v, len;
	socklen_t l;
	char b, ctl[256];
	struct iovec io = { &b, 1 };
	struct msghdr m = { .msg_iov = &io, .msg_iovlen = 1, .msg_control = ctl,
			    .msg_controllen = sizeof(ctl) };
	siginfo_t si;
	pid_t c;

	cf_init();
	cf_need_own_netns();
	socketpair(AF_UNIX, SOCK_STREAM, 0, sv);
	show("stream pair", sv[0]);
	l = 2;
	v = -1;
	R("2 bytes", getsockopt(sv[0], SOL_SOCKET, SO_PEERPIDFD, &v, &l));
	printf("  len %u\n", l);
	close(v & 0xffff);
	socketpair(AF_UNIX, SOCK_DGRAM, 0, q);
	show("datagram pair", q[0]);
	close(q[0]);
	close(q[1]);
	q[0] = socket(AF_UNIX, SOCK_DGRAM, 0);
	show("lone datagram", q[0]);
	close(q[0]);
	q[0] = socket(AF_INET, SOCK_STREAM, 0);
	show("tcp", q[0]);
	l = sizeof(v);
	R("tcp SO_PASSPIDFD get", getsockopt(q[0], SOL_SOCKET, SO_PASSPIDFD, &v, &l));
	R("tcp SO_PASSPIDFD set", setsockopt(q[0], SOL_SOCKET, SO_PASSPIDFD, &one, sizeof(one)));
	close(q[0]);

	/* a child's end: it sends its own pair's other end, a message, and exits 7 */
	socketpair(AF_UNIX, SOCK_SEQPACKET, 0, q);
	R("SO_PASSPIDFD", setsockopt(q[0], SOL_SOCKET, SO_PASSPIDFD, &one, sizeof(one)));
	l = sizeof(v);
	getsockopt(q[0], SOL_SOCKET, SO_PASSPIDFD, &v, &l);
	printf("  reads %d\n", v);
	fflush(stdout);
	c = fork();
	if (!c) {
		int x[2];
		char cm[CMSG_SPACE(sizeof(int))] = { 0 };
		struct msghdr cmm = { .msg_iov = &io, .msg_iovlen = 1, .msg_control = cm,
				      .msg_controllen = sizeof(cm) };
		struct cmsghdr *h = CMSG_FIRSTHDR(&cmm);

		socketpair(AF_UNIX, SOCK_STREAM, 0, x);
		h->cmsg_level = SOL_SOCKET;
		h->cmsg_type = SCM_RIGHTS;
		h->cmsg_len = CMSG_LEN(sizeof(int));
		memcpy(CMSG_DATA(h), &x[1], sizeof(int));
		sendmsg(q[1], &cmm, 0);
		send(q[1], "b", 1, 0);
		_exit(7);
	}
	close(q[1]);
	R("recvmsg", recvmsg(q[0], &m, 0));
	{
		struct cmsghdr *h = CMSG_FIRSTHDR(&m);
		int got = -1, pidfd = -1;

		for (; h; h = CMSG_NXTHDR(&m, h)) {
			if (h->cmsg_type == SCM_RIGHTS)
				memcpy(&got, CMSG_DATA(h), sizeof(got));
			if (h->cmsg_type == SCM_PIDFD)
				memcpy(&pidfd, CMSG_DATA(h), sizeof(pidfd));
		}
		YN("  an SCM_RIGHTS and an SCM_PIDFD", got >= 0 && pidfd >= 0);
		show("  the child's pair", got);
		memset(&si, 0, sizeof(si));
		R("  waitid on the SCM_PIDFD", syscall(SYS_waitid, P_PIDFD, pidfd, &si, WEXITED, NULL));
		printf("  status %d\n", si.si_status);
		show("  the child's pair, reaped", got);
		struct pollfd p = { .fd = peer(got), .events = POLLIN };
		R("  poll it", poll(&p, 1, 0));
		printf("  revents %#x\n", p.revents);
		close(p.fd);
		close(got);
		close(pidfd);
	}
	m.msg_controllen = CMSG_LEN(sizeof(int));
	m.msg_flags = 0;
	R("recvmsg, room for one", recvmsg(q[0], &m, 0));
	cmsgs("  then", &m);
	close(q[0]);

	setsockopt(sv[1], SOL_SOCKET, SO_PASSPIDFD, &one, sizeof(one));
	setsockopt(sv[1], SOL_SOCKET, SO_PASSCRED, &one, sizeof(one));
	v = dup(0);
	{
		char cm[CMSG_SPACE(sizeof(int))] = { 0 };
		struct msghdr sm = { .msg_iov = &io, .msg_iovlen = 1, .msg_control = cm,
				     .msg_controllen = sizeof(cm) };
		struct cmsghdr *h = CMSG_FIRSTHDR(&sm);

		h->cmsg_level = SOL_SOCKET;
		h->cmsg_type = SCM_RIGHTS;
		h->cmsg_len = CMSG_LEN(sizeof(int));
		memcpy(CMSG_DATA(h), &v, sizeof(int));
		sendmsg(sv[0], &sm, 0);
	}
	close(v);
	m.msg_controllen = sizeof(ctl);
	m.msg_flags = 0;
	R("recvmsg, credentials too", recvmsg(sv[1], &m, 0));
	cmsgs("  then", &m);
	send(sv[0], "c", 1, 0);
	m.msg_control = NULL;
	m.msg_controllen = 0;
	m.msg_flags = 0;
	len = (int)recvmsg(sv[1], &m, 0);
	printf("recvmsg without a control buffer: %d\n", len);
	cmsgs("  then", &m);
	return 0;
}
