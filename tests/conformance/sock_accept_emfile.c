/* accept and accept4 with the descriptor table full (RLIMIT_NOFILE): EMFILE, and the
 * connection stays queued, for an accept after a close (Linux takes the descriptor first);
 * a full table also comes before ENOTSOCK; unix and TCP listeners. In a network namespace
 * of the test's own. */
#include "cf.h"
#include <netinet/in.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/un.h>

/* Fills the table up to the limit with copies of fd: how many were made. */
static int
fill(int fd)
{
	int n = 0;

	while (dup(fd) >= 0)
		n++;
	return n;
}

static void
check(const char *what, int l, int c)
{
	char b[4] = { 0 };
	int spare = dup(0), f, n;

	FD("connect", c);
	n = fill(0);
	printf("%s: table full: %s\n", what, n > 0 ? "yes" : "no");
	R("accept", accept(l, NULL, NULL));
	R("accept4", accept4(l, NULL, NULL, SOCK_CLOEXEC));
	R("accept on a file", accept(spare, NULL, NULL));
	close(spare);
	f = FD("accept after a close", accept(l, NULL, NULL));
	if (f >= 0) {
		R("send", send(c, "hi", 2, 0));
		R("recv", recv(f, b, sizeof(b), 0));
		printf("got %s\n", b);
		close(f);
	}
	for (int fd = 3; fd < 1024; fd++)
		if (fd != l && fd != c && fcntl(fd, F_GETFD) >= 0 && fd > c && fd > l)
			close(fd);
}

int
main(void)
{
	struct rlimit rl = { 64, 64 };
	struct sockaddr_un un = { .sun_family = AF_UNIX };
	struct sockaddr_in6 in;
	socklen_t len;
	int l, c;

	cf_init();
	cf_need_own_netns();
	setrlimit(RLIMIT_NOFILE, &rl);
	snprintf(un.sun_path, sizeof(un.sun_path), "sock");
	l = socket(AF_UNIX, SOCK_STREAM, 0);
	bind(l, (struct sockaddr *)&un, sizeof(un));
	listen(l, 4);
	c = socket(AF_UNIX, SOCK_STREAM, 0);
	connect(c, (struct sockaddr *)&un, sizeof(un));
	check("unix", l, c);
	close(c);
	close(l);

	l = cf_lo_bound(AF_INET, SOCK_STREAM, &in, &len);
	c = socket(AF_INET, SOCK_STREAM, 0);
	connect(c, (struct sockaddr *)&in, len);
	check("tcp", l, c);
	return 0;
}
