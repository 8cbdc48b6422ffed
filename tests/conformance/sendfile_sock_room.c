/* sendfile into a unix stream socket that poll does not call writable (more than a quarter
 * of its send buffer in use) but that has room for the send: Linux sends, it does not
 * wait (strace's sendfile test). An alarm turns a wait into EINTR. */
#include "cf.h"
#include <poll.h>
#include <signal.h>
#include <sys/sendfile.h>
#include <sys/socket.h>

static void
on_alarm(int sig)
{
	(void)sig;
}

int
main(void)
{
	static char buf[70000];
	int sv[2];
	off_t off;

	cf_init();
	struct sigaction sa = { .sa_handler = on_alarm };
	sigaction(SIGALRM, &sa, NULL);
	cf_write_file("in", buf, 53248);
	int in = open("in", O_RDONLY);
	OK("socketpair", socketpair(AF_UNIX, SOCK_STREAM, 0, sv));
	R("write 70000", write(sv[1], buf, sizeof(buf)));
	struct pollfd pfd = { .fd = sv[1], .events = POLLOUT };
	R("poll POLLOUT", poll(&pfd, 1, 0));
	alarm(2);
	R("sendfile 20000", sendfile(sv[1], in, NULL, 20000));
	off = 35499;
	alarm(2);
	R("sendfile past the end", sendfile(sv[1], in, &off, 53249));
	R("offset after", off);
	off = 0xdefaced;
	alarm(2);
	R("sendfile from beyond the end", sendfile(sv[1], in, &off, 1));
	alarm(0);
	return 0;
}
