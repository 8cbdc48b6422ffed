/* A close of a socket descriptor while another thread is blocked on it in recv, read or
 * accept: Linux's call keeps its own reference to the file, so it goes on waiting and
 * completes with what comes later (not EBADF); the socket itself closes when it returns. */
#include "cf.h"
#include <arpa/inet.h>
#include <netinet/in.h>
#include <pthread.h>
#include <sys/socket.h>

static int fd_under_test;
static long result;
static int result_errno;
static int mode;

static void *
blocker(void *arg)
{
	char buf[16];

	(void)arg;
	errno = 0;
	if (mode == 0)
		result = recv(fd_under_test, buf, sizeof(buf), 0);
	else if (mode == 1)
		result = read(fd_under_test, buf, sizeof(buf));
	else
		result = accept(fd_under_test, NULL, NULL) >= 0 ? 1 : -1;
	result_errno = errno;
	return NULL;
}

static void
one(const char *label, int m)
{
	int a, b, l;
	pthread_t th;
	char buf[8];

	a = cf_tcp_pair(&l, &b, 4);
	mode = m;
	fd_under_test = m == 2 ? l : a;
	pthread_create(&th, NULL, blocker, NULL);
	usleep(300 * 1000); /* let it block */
	printf("%s: close: %d\n", label, close(fd_under_test));
	if (m == 2) {
		struct sockaddr_in sa;
		socklen_t len = sizeof(sa);
		int c = socket(AF_INET, SOCK_STREAM, 0);

		/* the listener is still there while accept waits on it */
		getsockname(a, (struct sockaddr *)&sa, &len);
		getpeername(a, (struct sockaddr *)&sa, &len);
		printf("%s: connect while it waits: %s\n", label,
		       connect(c, (struct sockaddr *)&sa, sizeof(sa)) == 0 ? "ok" : en(errno));
		close(c);
	} else {
		printf("%s: peer send: %zd\n", label, send(b, "hello", 5, 0));
	}
	pthread_join(th, NULL);
	if (result < 0)
		printf("%s: blocked call: -1 %s\n", label, en(result_errno));
	else
		printf("%s: blocked call: %ld\n", label, result);
	if (m != 2)
		printf("%s: peer then reads: %zd (the socket closed)\n", label, recv(b, buf, sizeof(buf), 0));
	close(b);
	if (m != 2)
		close(l);
	else
		close(a);
}

int
main(void)
{
	one("recv", 0);
	one("read", 1);
	one("accept", 2);
	return 0;
}
