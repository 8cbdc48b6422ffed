/* A blocking sendmsg/sendto of much data on a stream socket, interrupted again and again by
 * a handled signal (no SA_RESTART) while the reader is slow: each call returns the count it
 * sent (or EINTR when it sent nothing) and the reader gets every byte exactly once, in
 * order. */
#include "cf.h"
#include <signal.h>
#include <stdbool.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/wait.h>

#define TOTAL (3 * 1024 * 1024 + 17)

static volatile int alarms;

static void
on_alarm(int sig)
{
	alarms++;
}

static unsigned char
pattern(size_t i)
{
	return (unsigned char)(i * 7 + i / 4099);
}

static void
run(const char *label, int how)
{
	static unsigned char buf[TOTAL];
	struct itimerval it = { { 0, 20000 }, { 0, 20000 } }, off = { 0 };
	int sv[2], res[2], st;
	size_t sent = 0;
	long partial = 0, eintr = 0;
	pid_t p;

	for (size_t i = 0; i < TOTAL; i++)
		buf[i] = pattern(i);
	socketpair(AF_UNIX, SOCK_STREAM, 0, sv);
	pipe(res);
	p = fork();
	if (p == 0) {
		static unsigned char in[65536];
		size_t got = 0, bad = 0;
		ssize_t n;

		close(sv[0]);
		usleep(100000);
		while ((n = read(sv[1], in, (size_t)1 + got % 60000)) > 0) {
			for (ssize_t i = 0; i < n; i++)
				if (in[i] != pattern(got + i))
					bad++;
			got += n;
			if (got % 5 == 0)
				usleep(1000);
		}
		dprintf(res[1], "%s: reader got %zu bytes, %zu wrong\n", label, got, bad);
		_exit(0);
	}
	close(sv[1]);
	close(res[1]);
	setitimer(ITIMER_REAL, &it, NULL);
	while (sent < TOTAL) {
		ssize_t n;

		if (how == 1 || (how == 2 && TOTAL - sent < 2)) {
			struct iovec iov = { buf + sent, TOTAL - sent };
			struct msghdr m = { .msg_iov = &iov, .msg_iovlen = 1 };
			n = sendmsg(sv[0], &m, 0);
		} else if (how == 2) { /* two messages: the rest in two halves */
			size_t left = TOTAL - sent, h = left / 2;
			struct iovec iov[2] = { { buf + sent, h }, { buf + sent + h, left - h } };
			struct mmsghdr mm[2] = { { .msg_hdr = { .msg_iov = &iov[0], .msg_iovlen = 1 } },
						 { .msg_hdr = { .msg_iov = &iov[1], .msg_iovlen = 1 } } };
			int c = sendmmsg(sv[0], mm, 2, 0);

			n = c;
			if (c > 0) {
				n = mm[0].msg_len;
				if (c == 2 && mm[0].msg_len != h)
					printf("%s: second message after a partial first\n", label);
				if (c == 2)
					n += mm[1].msg_len;
			}
		} else {
			n = sendto(sv[0], buf + sent, TOTAL - sent, 0, NULL, 0);
		}
		if (n < 0 && errno == EINTR) {
			eintr++;
			continue;
		}
		if (n <= 0) {
			printf("%s: send failed: %s\n", label, en(errno));
			break;
		}
		if ((size_t)n < TOTAL - sent)
			partial++;
		sent += (size_t)n;
	}
	setitimer(ITIMER_REAL, &off, NULL);
	close(sv[0]);
	{
		char line[128] = { 0 };
		read(res[0], line, sizeof(line) - 1);
		printf("%s", line);
	}
	waitpid(p, &st, 0);
	close(res[0]);
	printf("%s: sent %zu, interrupted %s\n", label, sent,
	       partial + eintr > 0 && alarms > 0 ? "yes" : "no");
}

int
main(void)
{
	struct sigaction sa = { .sa_handler = on_alarm };

	setvbuf(stdout, NULL, _IONBF, 0);
	sigaction(SIGALRM, &sa, NULL);
	run("sendmsg", 1);
	run("sendto", 0);
	run("sendmmsg", 2);
	return 0;
}
