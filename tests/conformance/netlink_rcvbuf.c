/* A netlink socket's receive buffer (net/netlink/af_netlink.c): each message is charged
 * what its skb costs (truesize: the data rounded up to the allocator's sizes plus the
 * skb's own structures), not its length; one fits while the charge stays within
 * SO_RCVBUF (doubled; SO_RCVBUFFORCE), and an empty queue takes any. A user's send to a
 * full socket is EAGAIN (blocking: it waits for the reader, SO_SNDTIMEO bounds it, the
 * reader's close is ECONNREFUSED); the kernel's answers and group messages that do not
 * fit are dropped and the receiver's next recv is ENOBUFS (once: nothing more is queued
 * until the reader empties the queue), unless NETLINK_NO_ENOBUFS. A dump asked for while
 * the queue is full comes once the reader has made room.
 * Natively this runs in a new network namespace (no kernel notifications come there). */
#include "cf.h"
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <sched.h>
#include <stdbool.h>
#include <sys/socket.h>
#include <sys/wait.h>

#define GROUP 20 /* a NETLINK_ROUTE group nothing here announces on */

static char big[70000];

static long
send_to(int s, unsigned pid, unsigned groups, size_t n, int flags)
{
	struct sockaddr_nl a = { .nl_family = AF_NETLINK, .nl_pid = pid, .nl_groups = groups };

	return sendto(s, big, n, flags, (void *)&a, sizeof(a));
}

/* How many messages of n bytes a user's sends put on s before EAGAIN. */
static int
fill(int from, int s, size_t n)
{
	int i = 0;

	while (i < 100000 && send_to(from, cf_nl_port(s), 0, n, MSG_DONTWAIT) >= 0)
		i++;
	if (errno != EAGAIN)
		printf("fill stopped by %s\n", en(errno));
	return i;
}

/* Reads s until it is empty: prints an error first if one comes, and the count. */
static void
drain(const char *what, int s)
{
	int n = 0;

	for (;;) {
		long r = recv(s, big, sizeof(big), MSG_DONTWAIT);

		if (r < 0 && errno == EAGAIN)
			break;
		if (r < 0)
			printf("%s: recv -1 %s after %d\n", what, en(errno), n);
		else
			n++;
	}
	printf("%s: %d messages\n", what, n);
}

static void
sizes(const char *what, int rcvbuf, int opt)
{
	static const size_t len[] = { 16, 500, 1000, 1800, 3700, 4000, 5000, 10000, 65000 };
	char label[96];

	for (size_t i = 0; i < sizeof(len) / sizeof(len[0]); i++) {
		int a = cf_nl_route(0, 0), b = cf_nl_route(0, 0), c;

		if (rcvbuf)
			setsockopt(b, SOL_SOCKET, opt, &rcvbuf, sizeof(rcvbuf));
		c = fill(a, b, len[i]);
		snprintf(label, sizeof(label), "%s: messages of %zu", what, len[i]);
		R(label, c);
		close(a);
		close(b);
	}
}

/* The group's members with a small buffer: what fits, then ENOBUFS once; nothing more
 * comes until the queue was emptied. */
static void
group(size_t n, bool no_enobufs)
{
	int a = cf_nl_route(0, 0), m = cf_nl_route(0, 1U << (GROUP - 1)), one = 1, small = 8000;

	printf("-- group messages of %zu%s\n", n, no_enobufs ? ", NETLINK_NO_ENOBUFS" : "");
	if (no_enobufs)
		setsockopt(m, SOL_NETLINK, NETLINK_NO_ENOBUFS, &one, sizeof(one));
	setsockopt(m, SOL_SOCKET, SO_RCVBUF, &small, sizeof(small));
	for (int i = 0; i < 40; i++)
		send_to(a, 0, 1U << (GROUP - 1), n, 0);
	R("recv", recv(m, big, sizeof(big), MSG_DONTWAIT) > 0);
	R("recv", recv(m, big, sizeof(big), MSG_DONTWAIT) > 0);
	send_to(a, 0, 1U << (GROUP - 1), n, 0); /* congested: dropped, no second error */
	drain("the rest", m);
	R("after the queue emptied, a group message", send_to(a, 0, 1U << (GROUP - 1), n, 0));
	drain("comes", m);
	close(a);
	close(m);
}

static long
request(int s, unsigned short type, unsigned short flags, unsigned seq)
{
	struct {
		struct nlmsghdr h;
		struct rtgenmsg g;
	} req = { { NLMSG_LENGTH(sizeof(struct rtgenmsg)), type, flags, seq, 0 }, { AF_UNSPEC } };
	struct sockaddr_nl k = { .nl_family = AF_NETLINK };

	return sendto(s, &req, req.h.nlmsg_len, 0, (void *)&k, sizeof(k));
}

/* What s has, one line per kind of message in a row. */
static void
answers(int s)
{
	int last = -1, count = 0;

	for (;;) {
		long r = recv(s, big, sizeof(big), MSG_DONTWAIT);
		struct nlmsghdr *h = (struct nlmsghdr *)big;
		int kind = r < 0 ? -errno : h->nlmsg_type;

		if (kind == -EAGAIN || kind != last) {
			if (count)
				printf("  %s x%d\n", last == NLMSG_ERROR ? "ack" : last == NLMSG_DONE
					? "done" : last == RTM_NEWLINK ? "link" : last < 0
					? en(-last) : "other", count);
			last = kind;
			count = 0;
		}
		if (kind == -EAGAIN)
			break;
		count++;
	}
}

static void
kernel(bool no_enobufs)
{
	int s = cf_nl_route(0, 0), one = 1, sent = 0;

	printf("-- acks from the kernel%s\n", no_enobufs ? ", NETLINK_NO_ENOBUFS" : "");
	if (no_enobufs)
		setsockopt(s, SOL_NETLINK, NETLINK_NO_ENOBUFS, &one, sizeof(one));
	for (int i = 0; i < 300; i++)
		sent += request(s, NLMSG_NOOP, NLM_F_REQUEST | NLM_F_ACK, i) > 0;
	printf("requests sent: %d\n", sent);
	R("a dump asked for when full", request(s, RTM_GETLINK, NLM_F_REQUEST | NLM_F_DUMP, 1000));
	answers(s);
	close(s);
}

static void
blocking(void)
{
	int a = cf_nl_route(0, 0), b = cf_nl_route(0, 0), c;
	struct timeval tv = { 0, 1000 };
	pid_t pid;

	printf("-- blocking sends\n");
	c = fill(a, b, 1000);
	pid = fork();
	if (pid == 0) {
		usleep(100000);
		for (int i = 0; i <= c; i++)
			recv(b, big, sizeof(big), 0);
		_exit(0);
	}
	R("a blocking send waits for the reader", send_to(a, cf_nl_port(b), 0, 1000, 0));
	waitpid(pid, NULL, 0);
	fill(a, b, 1000);
	setsockopt(a, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
	R("SO_SNDTIMEO", send_to(a, cf_nl_port(b), 0, 1000, 0));
	tv.tv_usec = 0;
	setsockopt(a, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
	unsigned pb = cf_nl_port(b);
	pid = fork();
	if (pid == 0) {
		usleep(100000);
		close(b);
		_exit(0);
	}
	close(b);
	R("the reader closes", send_to(a, pb, 0, 1000, 0));
	waitpid(pid, NULL, 0);
	close(a);
}

int
main(void)
{
	int s, v;
	socklen_t len = sizeof(v);

	setvbuf(stdout, NULL, _IONBF, 0);
	if (unshare(CLONE_NEWNET) < 0)
		(void)unshare(CLONE_NEWUSER | CLONE_NEWNET); /* not root natively */
	s = cf_nl_route(0, 0);
	getsockopt(s, SOL_SOCKET, SO_RCVBUF, &v, &len);
	YN("the default SO_RCVBUF is 212992", v == 212992);
	close(s);
	if (v == 212992)
		sizes("default", 0, 0);
	sizes("SO_RCVBUF 5000", 5000, SO_RCVBUF);
	sizes("SO_RCVBUFFORCE 30000", 30000, SO_RCVBUFFORCE);
	sizes("SO_RCVBUF 1", 1, SO_RCVBUF);
	group(100, false);
	group(3000, false);
	group(100, true);
	kernel(false);
	kernel(true);
	blocking();
	return 0;
}
