/* recvmmsg/sendmmsg: a blocking recvmmsg waits for every one of vlen messages; its timeout
 * is checked after each datagram (a zero one returns after the first); MSG_WAITFORONE
 * waits for the first only; a bad timeout is EINVAL (before the descriptor is looked at);
 * the time left is written back (not more than given). */
#include "cf.h"
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>

#define N 5

static char bufs[N][16];
static struct iovec iovs[N];
static struct mmsghdr msgs[N];

static void
reset(void)
{
	memset(bufs, 0, sizeof(bufs));
	for (int i = 0; i < N; i++) {
		iovs[i] = (struct iovec){ bufs[i], sizeof(bufs[i]) };
		msgs[i] = (struct mmsghdr){ .msg_hdr = { .msg_iov = &iovs[i], .msg_iovlen = 1 } };
	}
}

static void
show(const char *label, int n)
{
	printf("%s: %d", label, n);
	if (n < 0)
		printf(" %s", en(errno));
	for (int i = 0; i < n; i++)
		printf(" [%s %u]", bufs[i], msgs[i].msg_len);
	printf("\n");
}

/* A child that sends count datagrams after ms milliseconds. */
static pid_t
later(int fd, int ms, int first, int count)
{
	pid_t p = fork();

	if (p == 0) {
		char b[16];

		usleep(ms * 1000);
		for (int i = 0; i < count; i++) {
			snprintf(b, sizeof(b), "late%d", first + i);
			send(fd, b, strlen(b), 0);
		}
		_exit(0);
	}
	return p;
}

int
main(void)
{
	int sv[2], st;
	pid_t p;
	struct timespec ts;
	char b[16];

	setvbuf(stdout, NULL, _IONBF, 0);
	socketpair(AF_UNIX, SOCK_DGRAM, 0, sv);
	for (int i = 0; i < 3; i++) {
		snprintf(b, sizeof(b), "msg%d", i);
		send(sv[0], b, strlen(b), 0);
	}
	reset();
	ts = (struct timespec){ 0, 0 };
	show("zero timeout, 3 queued", recvmmsg(sv[1], msgs, N, 0, &ts));
	printf("left: %ld %ld\n", (long)ts.tv_sec, ts.tv_nsec);
	reset();
	ts = (struct timespec){ 100, 0 };
	show("timeout 100s, vlen 2", recvmmsg(sv[1], msgs, 2, 0, &ts));
	printf("left at most 100s: %s\n", ts.tv_sec <= 100 && ts.tv_sec >= 90 ? "yes" : "no");
	reset();
	show("MSG_DONTWAIT, empty", recvmmsg(sv[1], msgs, N, MSG_DONTWAIT, NULL));

	/* blocking: waits for every one of vlen */
	send(sv[0], "now", 3, 0);
	p = later(sv[0], 200, 0, 2);
	reset();
	show("blocking vlen 3", recvmmsg(sv[1], msgs, 3, 0, NULL));
	waitpid(p, &st, 0);

	/* the timeout passes while the second waits: checked after it comes */
	send(sv[0], "now", 3, 0);
	p = later(sv[0], 300, 0, 1);
	reset();
	ts = (struct timespec){ 0, 50 * 1000 * 1000 };
	show("timeout 50ms, one late", recvmmsg(sv[1], msgs, N, 0, &ts));
	printf("left: %ld %ld\n", (long)ts.tv_sec, ts.tv_nsec);
	waitpid(p, &st, 0);

	/* MSG_WAITFORONE: waits for the first only */
	p = later(sv[0], 200, 0, 1);
	reset();
	show("MSG_WAITFORONE", recvmmsg(sv[1], msgs, N, MSG_WAITFORONE, NULL));
	waitpid(p, &st, 0);

	ts = (struct timespec){ 0, 1000000000 };
	show("bad nsec", recvmmsg(sv[1], msgs, N, 0, &ts));
	ts = (struct timespec){ -1, 0 };
	show("negative sec", recvmmsg(sv[1], msgs, N, 0, &ts));
	show("bad nsec, bad fd", recvmmsg(-1, msgs, N, 0, &(struct timespec){ 0, -1 }));
	show("bad fd", recvmmsg(-1, msgs, N, 0, &(struct timespec){ 1, 0 }));
	show("bad timeout pointer", recvmmsg(sv[1], msgs, N, 0, (struct timespec *)8));
	show("vlen 0", recvmmsg(sv[1], msgs, 0, 0, NULL));

	/* sendmmsg */
	reset();
	strcpy(bufs[0], "a");
	strcpy(bufs[1], "bb");
	iovs[0].iov_len = 1;
	iovs[1].iov_len = 2;
	R("sendmmsg 2", sendmmsg(sv[0], msgs, 2, 0));
	printf("lens %u %u\n", msgs[0].msg_len, msgs[1].msg_len);
	reset();
	show("received", recvmmsg(sv[1], msgs, N, MSG_DONTWAIT, NULL));
	return 0;
}
