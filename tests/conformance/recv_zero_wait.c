/*
 * A blocking receive of 0 bytes on an empty connected socket waits; what ends the wait is
 * family-specific on Linux. TCP (tcp_recvmsg's loop, which a zero length runs once): data,
 * a signal (with or without SA_RESTART) or SO_RCVTIMEO all end it with 0. A unix stream
 * socket (unix_stream_read_generic): data ends it with 0, a signal with EINTR (or a
 * restart under SA_RESTART), the timeout with EAGAIN. read() of 0 bytes never waits. With
 * SO_RCVTIMEO set, a signal ends any receive with EINTR even under SA_RESTART.
 */
#include "cf.h"
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/time.h>

static void
on_alarm(int sig)
{
	(void)sig;
}

/* A connected pair: TCP on loopback, or a unix stream socketpair. */
static void
pair(int tcp, int sv[2])
{
	if (!tcp) {
		socketpair(AF_UNIX, SOCK_STREAM, 0, sv);
		return;
	}
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	socklen_t al = sizeof(a);
	int l = socket(AF_INET, SOCK_STREAM, 0);
	bind(l, (struct sockaddr *)&a, sizeof(a));
	listen(l, 1);
	getsockname(l, (struct sockaddr *)&a, &al);
	sv[1] = socket(AF_INET, SOCK_STREAM, 0);
	connect(sv[1], (struct sockaddr *)&a, sizeof(a));
	sv[0] = accept(l, NULL, NULL);
	close(l);
}

static void
one(int tcp)
{
	const char *k = tcp ? "tcp" : "unix";
	char label[96], b[4];
	int sv[2];
	struct itimerval it = { .it_value = { 0, 200000 } };

	pair(tcp, sv);
	for (int restart = 0; restart < 2; restart++) {
		struct sigaction sa = { .sa_handler = on_alarm, .sa_flags = restart ? SA_RESTART : 0 };
		sigaction(SIGALRM, &sa, NULL);
		setitimer(ITIMER_REAL, &it, NULL);
		if (restart) {
			/* under SA_RESTART a unix stream receive waits again: the timeout ends it */
			struct timeval tv = { 0, 400000 };
			setsockopt(sv[0], SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
		}
		snprintf(label, sizeof(label), "%s recv 0 ended by a signal%s", k,
			 restart ? " (SA_RESTART)" : "");
		R(label, recv(sv[0], b, 0, 0));
	}
	/* with a timeout set a signal ends any receive with EINTR, SA_RESTART or not
	 * (signal(7)): here one of 1 byte, the timeout (400 ms) still set */
	setitimer(ITIMER_REAL, &it, NULL);
	snprintf(label, sizeof(label), "%s recv 1 with SO_RCVTIMEO ended by a signal (SA_RESTART)", k);
	R(label, recv(sv[0], b, 1, 0));
	/* an ignored signal ends nothing: the timeout does */
	signal(SIGALRM, SIG_IGN);
	setitimer(ITIMER_REAL, &it, NULL);
	snprintf(label, sizeof(label), "%s recv 1 with SO_RCVTIMEO, an ignored signal", k);
	R(label, recv(sv[0], b, 1, 0));
	signal(SIGCHLD, SIG_DFL);
	if (fork() == 0)
		_exit(0); /* its SIGCHLD (default: ignored) at the parent */
	snprintf(label, sizeof(label), "%s recv 1 with SO_RCVTIMEO, a child's SIGCHLD", k);
	R(label, recv(sv[0], b, 1, 0));
	wait(NULL);
	struct timeval tv = { 0, 150000 };
	setsockopt(sv[0], SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	snprintf(label, sizeof(label), "%s recv 0 ended by SO_RCVTIMEO", k);
	R(label, recv(sv[0], b, 0, 0));
	snprintf(label, sizeof(label), "%s recvfrom 0 MSG_DONTWAIT", k);
	R(label, recvfrom(sv[0], b, 0, MSG_DONTWAIT, NULL, NULL));
	snprintf(label, sizeof(label), "%s read 0", k);
	R(label, read(sv[0], b, 0));
	tv.tv_usec = 0;
	setsockopt(sv[0], SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	if (fork() == 0) {
		usleep(100000);
		send(sv[1], "x", 1, 0);
		_exit(0);
	}
	snprintf(label, sizeof(label), "%s recv 0 ended by data", k);
	R(label, recv(sv[0], b, 0, 0));
	snprintf(label, sizeof(label), "%s the byte is still there", k);
	R(label, recv(sv[0], b, sizeof(b), MSG_DONTWAIT));
	wait(NULL);
	close(sv[0]);
	close(sv[1]);
}

int
main(void)
{
	setvbuf(stdout, NULL, _IONBF, 0);
	one(1);
	one(0);
	return 0;
}
