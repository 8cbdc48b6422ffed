/* net.core.wmem_default, rmem_default, wmem_max and rmem_max, per network namespace: their
 * values, Linux's minimums on writes (SOCK_MIN_SNDBUF / SOCK_MIN_RCVBUF: EINVAL below), and
 * what they mean to sockets: a new socket's SO_SNDBUF/SO_RCVBUF start at the defaults, a
 * setsockopt is clamped to the max (then doubled); a namespace made after a write starts
 * from the defaults again. In a network namespace of the test's own. */
#include "cf.h"
#include <sys/socket.h>

static const char *const names[] = { "wmem_default", "rmem_default", "wmem_max", "rmem_max" };

static void
show(const char *when)
{
	char path[64];

	printf("-- %s\n", when);
	for (int i = 0; i < 4; i++) {
		snprintf(path, sizeof(path), "/proc/sys/net/core/%s", names[i]);
		cf_show_file(names[i], path);
	}
}

static void
set(const char *name, const char *val)
{
	char path[64];

	snprintf(path, sizeof(path), "/proc/sys/net/core/%s", name);
	cf_write_value(path, val);
}

static void
bufs(const char *label, int want)
{
	int s = socket(AF_INET, SOCK_DGRAM, 0), v;
	socklen_t l = sizeof(v);

	if (want)
		setsockopt(s, SOL_SOCKET, SO_RCVBUF, &want, sizeof(want));
	getsockopt(s, SOL_SOCKET, SO_RCVBUF, &v, &l);
	printf("%s: SO_RCVBUF %d\n", label, v);
	l = sizeof(v);
	if (want)
		setsockopt(s, SOL_SOCKET, SO_SNDBUF, &want, sizeof(want));
	getsockopt(s, SOL_SOCKET, SO_SNDBUF, &v, &l);
	printf("%s: SO_SNDBUF %d\n", label, v);
	close(s);
}

int
main(void)
{
	cf_init();
	cf_need_own_netns();
	show("a new namespace");
	set("wmem_max", "4607");
	set("rmem_max", "2303");
	set("wmem_default", "1000");
	set("rmem_max", "300000");
	set("wmem_max", "150000");
	set("wmem_default", "8192");
	set("rmem_default", "2304");
	set("rmem_max", "abc");
	show("after writes");
	bufs("new socket", 0);
	bufs("asks for 10 MB", 10000000);
	bufs("asks for 1000", 1000);
	if (unshare(CLONE_NEWNET) == 0)
		show("another new namespace");
	return 0;
}
