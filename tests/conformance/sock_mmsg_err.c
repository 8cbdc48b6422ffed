/* recvmmsg: an error after some messages ends the call with their count and is saved for
 * the next call on the socket (Linux sets sk_err), which returns it before any queued
 * datagram; SO_ERROR reads and clears it the same way. sendmmsg on a blocking stream
 * sends each message whole (as sendmsg does), waiting for the reader as often as needed. */
#include "cf.h"
#include <sys/socket.h>
#include <sys/wait.h>

static void
three(int fd)
{
	send(fd, "one", 3, 0);
	send(fd, "two", 3, 0);
	send(fd, "three", 5, 0);
}

int
main(void)
{
	char b[3][16];
	struct iovec iov[3];
	struct mmsghdr m[3];
	int sv[2], v;
	socklen_t vl = sizeof(v);

	setvbuf(stdout, NULL, _IONBF, 0);
	socketpair(AF_UNIX, SOCK_DGRAM, 0, sv);
	three(sv[0]);
	memset(m, 0, sizeof(m));
	for (int i = 0; i < 3; i++) {
		iov[i] = (struct iovec){ b[i], sizeof(b[i]) };
		m[i].msg_hdr.msg_iov = &iov[i];
		m[i].msg_hdr.msg_iovlen = 1;
	}
	iov[1].iov_base = (void *)16; /* the second one faults */
	R("recvmmsg", recvmmsg(sv[1], m, 3, MSG_DONTWAIT, NULL));
	R("next recv (saved error)", recv(sv[1], b[0], sizeof(b[0]), MSG_DONTWAIT));
	memset(b[0], 0, sizeof(b[0]));
	R("then", recv(sv[1], b[0], sizeof(b[0]), MSG_DONTWAIT));
	printf("got %s\n", b[0]);
	three(sv[0]);
	R("recvmmsg again", recvmmsg(sv[1], m, 3, MSG_DONTWAIT, NULL));
	R("so_error", getsockopt(sv[1], SOL_SOCKET, SO_ERROR, &v, &vl));
	printf("so_error %s\n", en(v));
	R("so_error again", getsockopt(sv[1], SOL_SOCKET, SO_ERROR, &v, &vl));
	printf("so_error %s\n", en(v));
	memset(b[0], 0, sizeof(b[0]));
	R("recv", recv(sv[1], b[0], sizeof(b[0]), MSG_DONTWAIT));
	printf("got %s\n", b[0]);
	iov[1].iov_base = b[1];
	R("recvmmsg nothing left (EAGAIN not saved)", recvmmsg(sv[1], m, 3, MSG_DONTWAIT, NULL));
	three(sv[0]);
	R("recvmmsg all", recvmmsg(sv[1], m, 3, MSG_DONTWAIT, NULL));
	close(sv[0]);
	close(sv[1]);

	/* a datagram pair whose other end goes: what was queued comes, then nothing (no
	 * error kept), and a send finds nobody */
	socketpair(AF_UNIX, SOCK_DGRAM, 0, sv);
	send(sv[0], "left", 4, 0);
	send(sv[1], "lost", 4, 0);
	close(sv[0]);
	R("recv queued after the peer went", recv(sv[1], b[0], sizeof(b[0]), MSG_DONTWAIT));
	R("recv then", recv(sv[1], b[0], sizeof(b[0]), MSG_DONTWAIT));
	R("send then", send(sv[1], "z", 1, MSG_DONTWAIT));
	vl = sizeof(v);
	R("so_error", getsockopt(sv[1], SOL_SOCKET, SO_ERROR, &v, &vl));
	printf("so_error %d\n", v);
	close(sv[1]);

	/* sendmmsg on a blocking stream: every message whole */
	{
		static char big[2][600000];
		struct iovec bi[2] = { { big[0], sizeof(big[0]) }, { big[1], sizeof(big[1]) } };
		struct mmsghdr bm[2] = { 0 };
		int st;
		pid_t p;

		socketpair(AF_UNIX, SOCK_STREAM, 0, sv);
		for (int i = 0; i < 2; i++) {
			memset(big[i], 'a' + i, sizeof(big[i]));
			bm[i].msg_hdr.msg_iov = &bi[i];
			bm[i].msg_hdr.msg_iovlen = 1;
		}
		p = fork();
		if (p == 0) {
			static char in[65536];
			size_t got = 0;
			ssize_t n;

			close(sv[0]);
			usleep(50000);
			while ((n = read(sv[1], in, sizeof(in))) > 0)
				got += (size_t)n;
			printf("reader got %zu\n", got);
			_exit(0);
		}
		close(sv[1]);
		R("sendmmsg stream", sendmmsg(sv[0], bm, 2, 0));
		printf("lens %u %u\n", bm[0].msg_len, bm[1].msg_len);
		close(sv[0]);
		waitpid(p, &st, 0);
	}
	return 0;
}
