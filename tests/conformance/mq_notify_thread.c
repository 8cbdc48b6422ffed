/*
 * mq_notify with SIGEV_THREAD (glibc: a netlink socket and a cookie the kernel sends back):
 * registering, removing and registering again work, and a message to the empty queue runs
 * the function in a new thread with the given value. Also the socket checks.
 */
#include <mqueue.h>
#include <pthread.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/syscall.h>

#include "cf.h"

static int pfd[2];

static void
cb(union sigval v)
{
	char c = (char)v.sival_int;
	write(pfd[1], &c, 1);
}

int
main(void)
{
	char name[64], c = 0;
	struct mq_attr at = { .mq_maxmsg = 4, .mq_msgsize = 16 };
	struct sigevent sev = { .sigev_notify = SIGEV_THREAD, .sigev_notify_function = cb };
	unsigned char cookie[32] = { 0 };

	setvbuf(stdout, NULL, _IOLBF, 0);
	alarm(20);
	pipe(pfd);
	snprintf(name, sizeof(name), "/cf_mqthr_%d", getpid());
	mqd_t m = mq_open(name, O_RDWR | O_CREAT | O_EXCL, 0600, &at);
	mq_unlink(name);
	sev.sigev_value.sival_int = 'a';
	OK("register", mq_notify(m, &sev));
	OK("unregister", mq_notify(m, NULL));
	sev.sigev_value.sival_int = 'b';
	OK("register again", mq_notify(m, &sev));
	OK("send", mq_send(m, "x", 1, 0));
	R("callback", read(pfd[0], &c, 1));
	printf("callback value: %c\n", c);

	/* the raw call: sigev_signo must be a netlink socket, the cookie readable */
	struct sigevent raw = { .sigev_notify = SIGEV_THREAD };
	int us = socket(AF_UNIX, SOCK_DGRAM, 0), nl = socket(AF_NETLINK, SOCK_RAW, 0);
	raw.sigev_value.sival_ptr = cookie;
	raw.sigev_signo = 12345;
	R("raw: bad socket fd", syscall(SYS_mq_notify, m, &raw));
	raw.sigev_signo = pfd[0];
	R("raw: not a socket", syscall(SYS_mq_notify, m, &raw));
	raw.sigev_signo = us;
	R("raw: unix socket", syscall(SYS_mq_notify, m, &raw));
	raw.sigev_signo = nl;
	raw.sigev_value.sival_ptr = NULL;
	R("raw: cookie NULL", syscall(SYS_mq_notify, m, &raw));
	raw.sigev_value.sival_ptr = cookie;
	cookie[0] = 7;
	R("raw: netlink", syscall(SYS_mq_notify, m, &raw));
	R("raw: remove", syscall(SYS_mq_notify, m, NULL));
	unsigned char got[64] = { 0 };
	R("cookie back", recv(nl, got, sizeof(got), MSG_DONTWAIT));
	printf("cookie[0] %d cookie[31] %d\n", got[0], got[31]);
	return 0;
}
