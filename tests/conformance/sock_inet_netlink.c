/* IPv6 UDP sockets tied to one address family by their bind or connect, IP_TTL apart from
 * IPV6_UNICAST_HOPS, a bound unix socket's file mode, and NETLINK_ROUTE details: NLM_F_ROOT
 * alone asks a dump, route and rule dumps, a link that is not there, multicast group
 * membership lists and the kernel's credentials. Only host-independent facts are printed. */
#include "cf.h"
#include <arpa/inet.h>
#include <net/if_arp.h>
#include <linux/netlink.h>
#include <net/if.h>
#include <sys/ioctl.h>
#include <sys/wait.h>
#include <linux/rtnetlink.h>
#include <netinet/in.h>
#include <stddef.h>
#include <sys/socket.h>
#include <sys/un.h>

static struct sockaddr_in6
a6(const char *s, int port)
{
	struct sockaddr_in6 a = { .sin6_family = AF_INET6, .sin6_port = htons((uint16_t)port) };

	inet_pton(AF_INET6, s, &a.sin6_addr);
	return a;
}

static int
port_of(int s)
{
	struct sockaddr_in6 a;
	socklen_t l = sizeof(a);

	getsockname(s, (struct sockaddr *)&a, &l);
	return ntohs(a.sin6_port);
}

static void
udp6(void)
{
	int r6 = socket(AF_INET6, SOCK_DGRAM, 0), s;
	struct sockaddr_in6 a = a6("::", 0);
	char b[4] = { 0 };

	bind(r6, (struct sockaddr *)&a, sizeof(a)); /* takes v4 (mapped) and v6 */
	int p = port_of(r6);

	s = socket(AF_INET6, SOCK_DGRAM, 0);
	a = a6("::1", 0);
	OK("bind ::1", bind(s, (struct sockaddr *)&a, sizeof(a)));
	a = a6("::ffff:127.0.0.1", p);
	R("bound ::1, sendto v4-mapped", sendto(s, b, 4, 0, (struct sockaddr *)&a, sizeof(a)));
	close(s);
	s = socket(AF_INET6, SOCK_DGRAM, 0);
	a = a6("::ffff:127.0.0.1", 0);
	OK("bind v4-mapped", bind(s, (struct sockaddr *)&a, sizeof(a)));
	a = a6("::1", p);
	R("bound v4-mapped, sendto ::1", sendto(s, b, 4, 0, (struct sockaddr *)&a, sizeof(a)));
	close(s);
	s = socket(AF_INET6, SOCK_DGRAM, 0);
	a = a6("::ffff:127.0.0.1", p);
	OK("connect v4-mapped", connect(s, (struct sockaddr *)&a, sizeof(a)));
	a = a6("::1", p);
	R("connected v4-mapped, sendto ::1", sendto(s, b, 4, 0, (struct sockaddr *)&a, sizeof(a)));
	close(s);
	s = socket(AF_INET6, SOCK_DGRAM, 0);
	a = a6("::ffff:127.0.0.1", p);
	R("unbound, sendto v4-mapped", sendto(s, b, 4, 0, (struct sockaddr *)&a, sizeof(a)));
	a = a6("::1", p);
	R("then sendto ::1", sendto(s, b, 4, 0, (struct sockaddr *)&a, sizeof(a)));
	close(s);
	close(r6);

	int v = 0;
	socklen_t l = sizeof(v);
	s = socket(AF_INET6, SOCK_DGRAM, 0);
	v = 65;
	OK("IP_TTL 65", setsockopt(s, IPPROTO_IP, IP_TTL, &v, sizeof(v)));
	getsockopt(s, IPPROTO_IPV6, IPV6_UNICAST_HOPS, &v, &l);
	printf("hops %d\n", v);
	v = 66;
	OK("IPV6_UNICAST_HOPS 66", setsockopt(s, IPPROTO_IPV6, IPV6_UNICAST_HOPS, &v, sizeof(v)));
	getsockopt(s, IPPROTO_IP, IP_TTL, &v, &l);
	printf("ttl %d\n", v);
	close(s);
}

static void
unix_mode(void)
{
	int s = socket(AF_UNIX, SOCK_STREAM, 0);
	struct sockaddr_un a = { .sun_family = AF_UNIX, .sun_path = "sock" };
	struct stat st;
	mode_t old;

	OK("fchmod socket 0765", fchmod(s, 0765));
	old = umask(0123);
	OK("bind", bind(s, (struct sockaddr *)&a, sizeof(a)));
	umask(old);
	OK("stat", stat("sock", &st));
	printf("mode %o\n", (unsigned)st.st_mode);
	close(s);
}

/* Sends one request; returns the number of answer messages of each interesting kind. */
static void
nl_ask(int fd, int type, int flags, const void *body, size_t blen, const char *label)
{
	char req[256] = { 0 }, buf[65536];
	struct nlmsghdr *h = (struct nlmsghdr *)req;
	int news = 0, done = 0, errs = 0, multi = 1, err = 0;

	h->nlmsg_len = NLMSG_LENGTH(blen);
	h->nlmsg_type = (unsigned short)type;
	h->nlmsg_flags = (unsigned short)(NLM_F_REQUEST | flags);
	h->nlmsg_seq = 7;
	memcpy(NLMSG_DATA(h), body, blen);
	if (send(fd, req, h->nlmsg_len, 0) < 0) {
		printf("%s: send %s\n", label, en(errno));
		return;
	}
	while (!done && !errs) {
		ssize_t n = recv(fd, buf, sizeof(buf), 0);

		if (n <= 0)
			break;
		for (struct nlmsghdr *m = (struct nlmsghdr *)buf; NLMSG_OK(m, (size_t)n);
		     m = NLMSG_NEXT(m, n)) {
			if (m->nlmsg_type == NLMSG_DONE) {
				done++;
			} else if (m->nlmsg_type == NLMSG_ERROR) {
				errs++;
				err = ((struct nlmsgerr *)NLMSG_DATA(m))->error;
			} else {
				news++;
				multi &= (m->nlmsg_flags & NLM_F_MULTI) != 0;
			}
		}
		if (!(flags & NLM_F_DUMP))
			break;
	}
	printf("%s: answers %s, multi %d, done %d, error %s\n", label, news ? "some" : "none",
	       news ? multi : -1, done, errs ? (err ? en(-err) : "ack") : "-");
}

static void
netlink(void)
{
	int fd = socket(AF_NETLINK, SOCK_RAW, NETLINK_ROUTE), on = 1, g = RTNLGRP_LINK;
	struct rtgenmsg gen = { .rtgen_family = AF_UNSPEC };
	struct rtmsg rt = { .rtm_family = AF_UNSPEC };
	struct ifinfomsg ifi = { .ifi_family = AF_UNSPEC, .ifi_index = 999999 };
	struct sockaddr_nl me;
	socklen_t l;
	uint32_t words[4] = { 0 };

	nl_ask(fd, RTM_GETADDR, NLM_F_ROOT, &gen, sizeof(gen), "getaddr root only");
	nl_ask(fd, RTM_GETROUTE, NLM_F_DUMP, &rt, sizeof(rt), "getroute dump");
	nl_ask(fd, RTM_GETRULE, NLM_F_DUMP, &rt, sizeof(rt), "getrule dump");
	nl_ask(fd, RTM_GETLINK, 0, &ifi, sizeof(ifi), "getlink missing index");
	nl_ask(fd, RTM_DELLINK, NLM_F_ACK, &ifi, sizeof(ifi), "dellink missing index");
	{ /* lo up is what it is already: done; without CAP_NET_ADMIN any change is EPERM */
		struct ifinfomsg up = { .ifi_family = AF_UNSPEC, .ifi_index = 1,
					.ifi_flags = IFF_UP, .ifi_change = IFF_UP };
		pid_t pid;

		nl_ask(fd, RTM_NEWLINK, NLM_F_ACK, &up, sizeof(up), "newlink lo up");
		fflush(stdout);
		if ((pid = fork()) == 0) {
			struct { uint32_t version; int pid; } hdr = { 0x20080522, 0 };
			struct { uint32_t eff, perm, inh; } data[2] = { { 0 } };

			syscall(SYS_capset, &hdr, data); /* drop everything */
			nl_ask(fd, RTM_NEWLINK, NLM_F_ACK, &up, sizeof(up), "newlink without caps");
			nl_ask(fd, RTM_GETLINK, 0, &up, sizeof(up), "getlink without caps");
			fflush(stdout);
			_exit(0);
		}
		waitpid(pid, NULL, 0);
	}
	l = 0;
	OK("list memberships, none", getsockopt(fd, SOL_NETLINK, NETLINK_LIST_MEMBERSHIPS, NULL, &l));
	printf("length %d\n", (int)l);
	OK("add membership", setsockopt(fd, SOL_NETLINK, NETLINK_ADD_MEMBERSHIP, &g, sizeof(g)));
	l = 0;
	OK("list memberships probe", getsockopt(fd, SOL_NETLINK, NETLINK_LIST_MEMBERSHIPS, NULL, &l));
	YN("length covers RTNLGRP_MAX", l == (RTNLGRP_MAX + 31) / 32 * 4);
	l = 2;
	OK("list memberships short", getsockopt(fd, SOL_NETLINK, NETLINK_LIST_MEMBERSHIPS, words, &l));
	printf("word0 %x\n", words[0]);
	l = sizeof(words);
	OK("list memberships", getsockopt(fd, SOL_NETLINK, NETLINK_LIST_MEMBERSHIPS, words, &l));
	printf("word0 %x word1 %x\n", words[0], words[1]);
	l = sizeof(me);
	getsockname(fd, (struct sockaddr *)&me, &l);
	printf("nl_groups %x\n", me.nl_groups);
	g = 0;
	R("add membership 0", setsockopt(fd, SOL_NETLINK, NETLINK_ADD_MEMBERSHIP, &g, sizeof(g)));
	close(fd);

	fd = socket(AF_NETLINK, SOCK_RAW, NETLINK_ROUTE);
	setsockopt(fd, SOL_SOCKET, SO_PASSCRED, &on, sizeof(on));
	char req[64] = { 0 }, ctl[CMSG_SPACE(sizeof(struct ucred))], data[8192];
	struct nlmsghdr *h = (struct nlmsghdr *)req;
	h->nlmsg_len = NLMSG_LENGTH(sizeof(gen));
	h->nlmsg_type = RTM_GETADDR;
	h->nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP;
	memcpy(NLMSG_DATA(h), &gen, sizeof(gen));
	send(fd, req, h->nlmsg_len, 0);
	struct iovec iov = { data, sizeof(data) };
	struct msghdr m = { .msg_iov = &iov, .msg_iovlen = 1, .msg_control = ctl,
			    .msg_controllen = sizeof(ctl) };
	recvmsg(fd, &m, 0);
	struct cmsghdr *c = CMSG_FIRSTHDR(&m);
	if (c && c->cmsg_type == SCM_CREDENTIALS) {
		struct ucred u;
		memcpy(&u, CMSG_DATA(c), sizeof(u));
		printf("kernel creds %d %d %d\n", u.pid, (int)u.uid, (int)u.gid);
	} else {
		printf("no creds\n");
	}
	close(fd);
}

static void
netdevice(void)
{
	int s = socket(AF_INET, SOCK_DGRAM, 0);
	struct ifreq r = { 0 };

	strcpy(r.ifr_name, "lo");
	OK("SIOCGIFHWADDR lo", ioctl(s, SIOCGIFHWADDR, &r));
	printf("hw family loopback %d, zero %d\n", r.ifr_hwaddr.sa_family == ARPHRD_LOOPBACK,
	       !memcmp(r.ifr_hwaddr.sa_data, "\0\0\0\0\0\0", 6));
	OK("SIOCGIFNETMASK lo", ioctl(s, SIOCGIFNETMASK, &r));
	printf("netmask %s\n", inet_ntoa(((struct sockaddr_in *)&r.ifr_netmask)->sin_addr));
	OK("SIOCGIFTXQLEN lo", ioctl(s, SIOCGIFTXQLEN, &r));
	strcpy(r.ifr_name, "nosuch0");
	OK("SIOCGIFNETMASK nosuch0", ioctl(s, SIOCGIFNETMASK, &r));
	close(s);
}

int
main(void)
{
	cf_init();
	netdevice();
	udp6();
	unix_mode();
	netlink();
	return 0;
}
