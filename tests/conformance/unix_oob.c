/*
 * MSG_OOB on unix stream sockets (Linux 5.15+, CONFIG_AF_UNIX_OOB, as 6.18 does it): a
 * send's last byte goes alone as the out-of-band byte (SIGURG to the owner, POLLPRI);
 * recv(MSG_OOB) takes it once (EINVAL with none or SO_OOBINLINE), leaving an empty place
 * in the queue; ordinary reads stop at the mark once they have data and, starting there,
 * drop the byte (read it with SO_OOBINLINE); a newer mark leaves an older byte in line;
 * SIOCATMARK, FIONREAD (which goes on counting a dropped byte), peeks, MSG_WAITALL,
 * a blocking read past a dropped byte; datagram and seqpacket sockets refuse MSG_OOB.
 */
#include "cf.h"
#include <poll.h>
#include <signal.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/wait.h>

static int s[2];
static volatile int urgs;

static void
on_urg(int sig)
{
	(void)sig;
	urgs++;
}

static void
rd(const char *what, int flags, size_t n)
{
	char b[64] = { 0 };
	struct iovec iov = { b, n };
	struct msghdr m = { .msg_iov = &iov, .msg_iovlen = 1 };

	errno = 0;
	long r = recvmsg(s[1], &m, flags | MSG_DONTWAIT);
	if (r < 0)
		printf("%s: -1 %s\n", what, en(errno));
	else
		printf("%s: %ld '%.*s'%s\n", what, r, (int)(r < (long)n ? r : (long)n), b,
		       m.msg_flags & MSG_OOB ? " MSG_OOB" : "");
}

static void
state(const char *what)
{
	int at = -1, inq = -1;
	struct pollfd p = { s[1], POLLIN | POLLPRI, 0 };

	ioctl(s[1], SIOCATMARK, &at);
	ioctl(s[1], FIONREAD, &inq);
	poll(&p, 1, 0);
	printf("  %s: at mark %d, FIONREAD %d, poll%s%s, SIGURG %d\n", what, at, inq,
	       p.revents & POLLIN ? " IN" : "", p.revents & POLLPRI ? " PRI" : "", urgs);
}

static void
fresh(const char *title, int inline_)
{
	printf("== %s\n", title);
	close(s[0]);
	close(s[1]);
	socketpair(AF_UNIX, SOCK_STREAM, 0, s);
	setsockopt(s[1], SOL_SOCKET, SO_OOBINLINE, &inline_, sizeof(inline_));
	fcntl(s[1], F_SETOWN, getpid());
}

static void
sd(const char *data, int flags)
{
	char label[64];

	snprintf(label, sizeof(label), "send '%s'%s", data, flags & MSG_OOB ? " MSG_OOB" : "");
	R(label, send(s[0], data, strlen(data), flags));
}

static void
basics(void)
{
	fresh("taken out of band", 0);
	state("empty");
	sd("abc", MSG_OOB);
	state("sent");
	rd("recv MSG_OOB", MSG_OOB, 10);
	state("taken");
	rd("recv", 0, 10);
	state("read");
	rd("recv MSG_OOB again", MSG_OOB, 10);

	fresh("left in the queue", 0);
	sd("abc", MSG_OOB);
	sd("de", 0);
	rd("recv", 0, 10);
	state("at the mark");
	rd("recv", 0, 10);
	state("read");
	rd("recv MSG_OOB", MSG_OOB, 10);

	fresh("SO_OOBINLINE", 1);
	sd("abc", MSG_OOB);
	sd("de", 0);
	state("sent");
	rd("recv MSG_OOB", MSG_OOB, 10);
	rd("recv", 0, 10);
	state("at the mark");
	rd("recv", 0, 10);
	state("read");
}

static void
marks(void)
{
	fresh("a newer mark", 0);
	sd("x", MSG_OOB);
	sd("y", MSG_OOB);
	state("sent");
	rd("recv", 0, 10);
	state("at the mark");
	rd("recv MSG_OOB", MSG_OOB, 10);
	rd("recv", 0, 10);
	state("read");

	fresh("peeks", 0);
	sd("ab", MSG_OOB);
	sd("cd", 0);
	rd("peek MSG_OOB", MSG_OOB | MSG_PEEK, 10);
	rd("peek", MSG_PEEK, 10);
	rd("recv 1", 0, 1);
	state("at the mark");
	rd("peek", MSG_PEEK, 10);
	rd("recv", 0, 10);
	rd("recv", 0, 10);

	fresh("taken first, then read", 0);
	sd("ab", MSG_OOB);
	sd("cd", 0);
	rd("recv MSG_OOB", MSG_OOB, 10);
	state("taken");
	rd("recv", 0, 10);
	state("read");
	rd("recv", 0, 10);

	fresh("taken, then a newer mark", 0);
	sd("x", MSG_OOB);
	rd("recv MSG_OOB", MSG_OOB, 10);
	sd("y", MSG_OOB);
	state("sent");
	rd("recv", 0, 10);
	state("read");
	rd("recv MSG_OOB", MSG_OOB, 10);
}

static void
errors(void)
{
	int d[2], q[2], at = -1;
	char b[4];

	fresh("errors", 0);
	sd("", MSG_OOB);
	rd("recv MSG_OOB of none", MSG_OOB, 10);
	sd("ab", MSG_OOB);
	rd("recv MSG_OOB into no room", MSG_OOB, 0);
	state("taken");
	rd("recv MSG_OOB", MSG_OOB, 10);
	socketpair(AF_UNIX, SOCK_DGRAM, 0, d);
	socketpair(AF_UNIX, SOCK_SEQPACKET, 0, q);
	R("dgram send MSG_OOB", send(d[0], "a", 1, MSG_OOB));
	R("dgram recv MSG_OOB", recv(d[1], b, 4, MSG_OOB | MSG_DONTWAIT));
	R("seqpacket send MSG_OOB", send(q[0], "a", 1, MSG_OOB));
	R("seqpacket recv MSG_OOB", recv(q[1], b, 4, MSG_OOB | MSG_DONTWAIT));
	R("dgram SIOCATMARK", ioctl(d[1], SIOCATMARK, &at));
	fresh("to a reader shut down", 0);
	shutdown(s[1], SHUT_RD);
	sd("ab", MSG_OOB | MSG_NOSIGNAL);
}

static void
waits(void)
{
	char w[16] = { 0 };

	fresh("MSG_WAITALL stops at the mark", 0);
	sd("abc", MSG_OOB);
	sd("de", 0);
	R("recv 10 MSG_WAITALL", recv(s[1], w, 10, MSG_WAITALL));
	printf("  got '%s'\n", w);

	fresh("a blocking read past a dropped byte", 0);
	sd("o", MSG_OOB);
	if (fork() == 0) {
		send(s[0], "z", 1, 0);
		_exit(0);
	}
	memset(w, 0, sizeof(w));
	R("recv", recv(s[1], w, 10, 0));
	printf("  got '%s'\n", w);
	wait(NULL);

	fresh("the sender gone", 0);
	sd("ab", MSG_OOB);
	close(s[0]);
	s[0] = socket(AF_UNIX, SOCK_STREAM, 0);
	rd("recv MSG_OOB", MSG_OOB, 10);
	rd("recv", 0, 10);
	rd("recv", 0, 10);
}

int
main(void)
{
	setvbuf(stdout, NULL, _IONBF, 0);
	signal(SIGURG, on_urg);
	socketpair(AF_UNIX, SOCK_STREAM, 0, s);
	basics();
	marks();
	errors();
	waits();
	return 0;
}
