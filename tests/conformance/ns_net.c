/* Network namespaces: unshare(CLONE_NEWNET) gives a new /proc/self/ns/net and a lo of its
 * own, down and without addresses (SIOCGIFFLAGS, SIOCGIFCONF, SIOCGIFADDR, netlink dumps,
 * /proc/net/if_inet6; connects are ENETUNREACH, ::1 EADDRNOTAVAIL, and while the namespace
 * has no IPv4 routes any IPv4 address binds) until SIOCSIFFLAGS brings it up; ports,
 * abstract unix names and /proc/net/{tcp,unix} are per namespace, path names are not; a
 * socket stays in the namespace it was made in after setns (SIOCGSKNS); lo's MTU, tun
 * interfaces, SO_BINDTODEVICE names, /proc/sys/net values (the port range, conf tags) are
 * the namespace's; a bind-mounted namespace file keeps it (ip netns); setns by nsfs file
 * and by pidfd; clone(CLONE_NEWNET); EPERM without CAP_SYS_ADMIN. Run as root. */
#include "cf.h"
#include <net/if.h>
#include <netinet/in.h>
#include <arpa/inet.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <linux/sockios.h>
#include <sched.h>
#include <signal.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <stddef.h>

#ifndef SIOCGSKNS
#define SIOCGSKNS 0x894C
#endif
#define NS_GET_NSTYPE_ 0xb703

static ino_t
ns_ino(const char *path)
{
	struct stat st;

	return stat(path, &st) ? 0 : st.st_ino;
}

static void
show_lo(const char *label, int conf)
{
	int s = socket(AF_INET, SOCK_DGRAM, 0);
	struct ifreq ifr = { 0 };
	struct ifconf ic = { 0 };
	char buf[4 * sizeof(struct ifreq)];

	strcpy(ifr.ifr_name, "lo");
	if (ioctl(s, SIOCGIFFLAGS, &ifr) < 0)
		printf("%s: flags -1 %s\n", label, en(errno));
	else
		printf("%s: up %d loopback %d running %d\n", label, !!(ifr.ifr_flags & IFF_UP),
		       !!(ifr.ifr_flags & IFF_LOOPBACK), !!(ifr.ifr_flags & IFF_RUNNING));
	ic.ifc_len = sizeof(buf);
	ic.ifc_buf = buf;
	/* (not for the first namespace: natively the host's, whose interfaces vary) */
	if (conf && ioctl(s, SIOCGIFCONF, &ic) < 0)
		printf("%s: ifconf -1 %s\n", label, en(errno));
	else if (conf)
		printf("%s: ifconf entries %d\n", label, ic.ifc_len / (int)sizeof(struct ifreq));
	memset(&ifr, 0, sizeof(ifr));
	strcpy(ifr.ifr_name, "lo");
	if (ioctl(s, SIOCGIFADDR, &ifr) < 0)
		printf("%s: addr -1 %s\n", label, en(errno));
	else
		printf("%s: addr %s\n", label,
		       inet_ntoa(((struct sockaddr_in *)&ifr.ifr_addr)->sin_addr));
	close(s);
}

/* The number of messages a NETLINK_ROUTE dump of type answers with (DONE not counted). */
static int
nl_count(int type, int family)
{
	int fd = socket(AF_NETLINK, SOCK_RAW, NETLINK_ROUTE), n = 0, done = 0;
	struct {
		struct nlmsghdr h;
		struct rtmsg r;
	} req = { { NLMSG_LENGTH(sizeof(struct rtmsg)), (unsigned short)type,
		    NLM_F_REQUEST | NLM_F_DUMP, 1, 0 }, { .rtm_family = (unsigned char)family } };
	char buf[16384];

	if (fd < 0 || send(fd, &req, req.h.nlmsg_len, 0) < 0)
		return -1;
	while (!done) {
		ssize_t r = recv(fd, buf, sizeof(buf), 0);

		if (r <= 0)
			break;
		for (struct nlmsghdr *h = (void *)buf; NLMSG_OK(h, (size_t)r); h = NLMSG_NEXT(h, r)) {
			if (h->nlmsg_type == NLMSG_DONE || h->nlmsg_type == NLMSG_ERROR)
				done = 1;
			else
				n++;
		}
	}
	close(fd);
	return n;
}

static int
lines(const char *path)
{
	FILE *f = fopen(path, "r");
	int n = 0, c;

	if (!f)
		return -1;
	while ((c = fgetc(f)) != EOF)
		n += c == '\n';
	fclose(f);
	return n;
}

static struct sockaddr_in
sa4(const char *ip, int port)
{
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons((uint16_t)port) };

	inet_pton(AF_INET, ip, &a.sin_addr);
	return a;
}

static void
lo_up(int up)
{
	int s = socket(AF_INET, SOCK_DGRAM, 0);
	struct ifreq ifr = { 0 };

	strcpy(ifr.ifr_name, "lo");
	ioctl(s, SIOCGIFFLAGS, &ifr);
	ifr.ifr_flags = (short)(up ? ifr.ifr_flags | IFF_UP : ifr.ifr_flags & ~IFF_UP);
	OK(up ? "SIOCSIFFLAGS up" : "SIOCSIFFLAGS down", ioctl(s, SIOCSIFFLAGS, &ifr));
	close(s);
}

static int
tcp_listener(int port)
{
	int s = socket(AF_INET, SOCK_STREAM, 0), one = 1;
	struct sockaddr_in a = sa4("127.0.0.1", port);

	setsockopt(s, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (bind(s, (struct sockaddr *)&a, sizeof(a)) < 0 || listen(s, 4) < 0) {
		close(s);
		return -1;
	}
	return s;
}

static int
port_of(int s)
{
	struct sockaddr_in a;
	socklen_t l = sizeof(a);

	getsockname(s, (struct sockaddr *)&a, &l);
	return ntohs(a.sin_port);
}

static int
tcp_connect(int port)
{
	int s = socket(AF_INET, SOCK_STREAM, 0);
	struct sockaddr_in a = sa4("127.0.0.1", port);
	int r = connect(s, (struct sockaddr *)&a, sizeof(a));
	int e = errno;

	close(s);
	errno = e;
	return r;
}

static socklen_t
abs_name(struct sockaddr_un *a, const char *name)
{
	memset(a, 0, sizeof(*a));
	a->sun_family = AF_UNIX;
	memcpy(a->sun_path + 1, name, strlen(name));
	return (socklen_t)(offsetof(struct sockaddr_un, sun_path) + 1 + strlen(name));
}

static int
clone_child(void *arg)
{
	(void)arg;
	return 0;
}

int
main(void)
{
	ino_t init_ino, new_ino;
	int st, port, lst, ux, px;
	struct sockaddr_un ua, pa = { .sun_family = AF_UNIX };
	socklen_t ul;
	pid_t pid;

	cf_init();
	setvbuf(stdout, NULL, _IONBF, 0);
	if (geteuid() != 0) {
		printf("not root: nothing to check\n");
		return 0;
	}
	init_ino = ns_ino("/proc/self/ns/net");

	/* things of the first namespace the second must not see */
	lst = tcp_listener(0);
	port = port_of(lst);
	printf("listener: %s\n", lst >= 0 ? "ok" : "failed");
	ux = socket(AF_UNIX, SOCK_STREAM, 0);
	ul = abs_name(&ua, "cf-ns-net-abstract");
	OK("abstract bind", bind(ux, (struct sockaddr *)&ua, ul));
	OK("abstract listen", listen(ux, 4));
	px = socket(AF_UNIX, SOCK_STREAM, 0);
	snprintf(pa.sun_path, sizeof(pa.sun_path), "%.90s/path.sock", cf_dir);
	OK("path bind", bind(px, (struct sockaddr *)&pa, sizeof(pa)));
	OK("path listen", listen(px, 4));

	/* without CAP_SYS_ADMIN: EPERM */
	if ((pid = fork()) == 0) {
		struct { uint32_t version; int pid; } hdr = { 0x20080522, 0 };
		struct { uint32_t eff, perm, inh; } data[2] = { { 0 } };

		syscall(SYS_capset, &hdr, data);
		OK("unshare without caps", unshare(CLONE_NEWNET));
		_exit(0);
	}
	waitpid(pid, &st, 0);

	/* clone(CLONE_NEWNET): the child's namespace is another */
	{
		static char stack[65536];
		int pfd = -1;

		pid = (pid_t)clone(clone_child, stack + sizeof(stack), CLONE_NEWNET | SIGCHLD |
				   CLONE_PIDFD, NULL, &pfd);
		printf("clone CLONE_NEWNET: %s\n", pid > 0 ? "ok" : en(errno));
		waitpid(pid, &st, 0);
		if (pfd >= 0)
			close(pfd);
	}

	int orig = open("/proc/self/ns/net", O_RDONLY);
	OK("unshare CLONE_NEWNET", unshare(CLONE_NEWNET));
	new_ino = ns_ino("/proc/self/ns/net");
	YN("new namespace inode", new_ino != init_ino && new_ino != 0);
	{
		char l[64];
		ssize_t n = readlink("/proc/self/ns/net", l, sizeof(l) - 1);

		l[n > 0 ? n : 0] = 0;
		YN("link names net", !strncmp(l, "net:[", 5));
	}

	/* lo, down */
	show_lo("fresh lo", 1);
	printf("fresh addr dump: %d\n", nl_count(RTM_GETADDR, AF_UNSPEC));
	printf("fresh route dump: %d\n", nl_count(RTM_GETROUTE, AF_UNSPEC));
	printf("fresh link dump: %d\n", nl_count(RTM_GETLINK, AF_UNSPEC));
	printf("fresh if_inet6 lines: %d\n", lines("/proc/net/if_inet6"));
	printf("fresh tcp lines: %d\n", lines("/proc/net/tcp"));
	{
		int s = socket(AF_INET, SOCK_STREAM, 0), u = socket(AF_INET, SOCK_DGRAM, 0);
		int s6 = socket(AF_INET6, SOCK_STREAM, 0);
		struct sockaddr_in a = sa4("127.0.0.1", port), far = sa4("192.0.2.9", port);
		struct sockaddr_in6 a6 = { .sin6_family = AF_INET6, .sin6_port = htons(port),
					   .sin6_addr = IN6ADDR_LOOPBACK_INIT };

		R("connect 127.0.0.1", connect(s, (struct sockaddr *)&a, sizeof(a)));
		R("udp sendto 127.0.0.1", sendto(u, "x", 1, 0, (struct sockaddr *)&a, sizeof(a)));
		R("udp connect 192.0.2.9", connect(u, (struct sockaddr *)&far, sizeof(far)));
		R("bind ::1", bind(s6, (struct sockaddr *)&a6, sizeof(a6)));
		R("connect ::1", connect(s6, (struct sockaddr *)&a6, sizeof(a6)));
		close(u);
		u = socket(AF_INET, SOCK_DGRAM, 0);
		R("udp bind 192.0.2.9 (no routes yet)",
		  bind(u, (struct sockaddr *)&far, sizeof(far)));
		close(s);
		close(s6);
		close(u);
	}

	/* up */
	lo_up(1);
	show_lo("lo up", 1);
	printf("up addr dump: %d\n", nl_count(RTM_GETADDR, AF_UNSPEC));
	printf("up route dump: %d\n", nl_count(RTM_GETROUTE, AF_UNSPEC));
	printf("up if_inet6 lines: %d\n", lines("/proc/net/if_inet6"));
	{
		int u = socket(AF_INET, SOCK_DGRAM, 0);
		struct sockaddr_in far = sa4("192.0.2.9", 0);

		R("udp bind 192.0.2.9", bind(u, (struct sockaddr *)&far, sizeof(far)));
		close(u);
	}

	/* lo's MTU is the namespace's */
	{
		int s = socket(AF_INET, SOCK_DGRAM, 0);
		struct ifreq ifr = { 0 };

		strcpy(ifr.ifr_name, "lo");
		ifr.ifr_mtu = 1500;
		OK("SIOCSIFMTU 1500", ioctl(s, SIOCSIFMTU, &ifr));
		ifr.ifr_mtu = 0;
		ioctl(s, SIOCGIFMTU, &ifr);
		printf("mtu now %d\n", ifr.ifr_mtu);
		ifr.ifr_mtu = -1;
		OK("SIOCSIFMTU -1", ioctl(s, SIOCSIFMTU, &ifr));
		strcpy(ifr.ifr_name, "nosuchif0");
		ifr.ifr_mtu = 1500;
		OK("SIOCSIFMTU on no interface", ioctl(s, SIOCSIFMTU, &ifr));
		close(s);
	}

	/* the first namespace's names are not here */
	R("connect the other listener's port", tcp_connect(port));
	int lst2 = tcp_listener(port);
	printf("same port here: %s\n", lst2 >= 0 ? "ok" : en(errno));
	printf("tcp lines: %d\n", lines("/proc/net/tcp"));
	R("connect own listener", tcp_connect(port));
	{
		int c = socket(AF_UNIX, SOCK_STREAM, 0), d = socket(AF_UNIX, SOCK_STREAM, 0);

		R("abstract connect", connect(c, (struct sockaddr *)&ua, ul));
		R("abstract bind same name", bind(d, (struct sockaddr *)&ua, ul));
		close(c);
		c = socket(AF_UNIX, SOCK_STREAM, 0);
		R("path connect", connect(c, (struct sockaddr *)&pa, sizeof(pa)));
		close(c);
		close(d);
	}

	/* /proc/sys/net is the namespace's own */
	{
		char first[64] = "", here[64] = "", after[64] = "";
		FILE *f;

		f = fopen("/proc/sys/net/ipv4/ip_local_port_range", "r");
		if (f) {
			fgets(here, sizeof(here), f);
			fclose(f);
		}
		printf("new namespace port range: %s", here);
		f = fopen("/proc/sys/net/ipv4/ip_local_port_range", "w");
		OK("write port range", f && fputs("40000 40009\n", f) >= 0 && fclose(f) == 0 ? 0 : -1);
		f = fopen("/proc/sys/net/ipv4/ip_local_port_range", "r");
		if (f) {
			fgets(after, sizeof(after), f);
			fclose(f);
		}
		printf("port range now: %s", after);
		int e = socket(AF_INET, SOCK_STREAM, 0);
		struct sockaddr_in any = sa4("127.0.0.1", 0);

		bind(e, (struct sockaddr *)&any, sizeof(any));
		YN("ephemeral port in it", port_of(e) >= 40000 && port_of(e) <= 40009);
		close(e);
		int back = open("/proc/self/ns/net", O_RDONLY);

		setns(orig, CLONE_NEWNET);
		f = fopen("/proc/sys/net/ipv4/ip_local_port_range", "r");
		if (f) {
			fgets(first, sizeof(first), f);
			fclose(f);
		}
		YN("the first namespace's range is another", strcmp(first, after) != 0);
		setns(back, CLONE_NEWNET);
		close(back);
		f = fopen("/proc/sys/net/ipv4/conf/lo/tag", "w");
		OK("write lo tag", f && fputs("7\n", f) >= 0 && fclose(f) == 0 ? 0 : -1);
		if ((pid = fork()) == 0) { /* a newer namespace starts from the default */
			unshare(CLONE_NEWNET);
			f = fopen("/proc/sys/net/ipv4/conf/lo/tag", "r");
			if (f) {
				fgets(here, sizeof(here), f);
				fclose(f);
			}
			printf("lo tag in another new namespace: %s", here);
			_exit(0);
		}
		waitpid(pid, &st, 0);
		f = fopen("/proc/sys/net/ipv4/conf/lo/tag", "r");
		if (f) {
			fgets(here, sizeof(here), f);
			fclose(f);
		}
		printf("lo tag here: %s", here);
	}

	/* a tun interface lives in the namespace that made it */
	int tun = open("/dev/net/tun", O_RDWR);
	{
		struct ifreq ifr = { 0 };

		strcpy(ifr.ifr_name, "cfnstun0");
		ifr.ifr_flags = 0x0001 | 0x1000; /* IFF_TUN | IFF_NO_PI */
		OK("TUNSETIFF", ioctl(tun, 0x400454ca, &ifr));
		printf("tun here: index %s\n", if_nametoindex("cfnstun0") ? "found" : en(errno));
		printf("link dump with tun: %d\n", nl_count(RTM_GETLINK, AF_UNSPEC));
	}
	/* a socket stays in its namespace after setns */
	int mine = socket(AF_INET, SOCK_STREAM, 0);
	int skns = ioctl(mine, SIOCGSKNS);
	struct stat sk;

	printf("SIOCGSKNS: %s\n", skns >= 0 ? "ok" : en(errno));
	YN("SIOCGSKNS is this namespace", skns >= 0 && !fstat(skns, &sk) && sk.st_ino == new_ino);
	R("SIOCGSKNS type", ioctl(skns, NS_GET_NSTYPE_) == CLONE_NEWNET);
	OK("setns back by file", setns(orig, CLONE_NEWNET));
	YN("back in the first", ns_ino("/proc/self/ns/net") == init_ino);
	show_lo("first lo", 0);
	printf("tun in the first: %s\n", if_nametoindex("cfnstun0") ? "found" : en(errno));
	{
		int b = socket(AF_INET, SOCK_DGRAM, 0);

		OK("SO_BINDTODEVICE tun from the first",
		   setsockopt(b, SOL_SOCKET, SO_BINDTODEVICE, "cfnstun0", 9));
		OK("SO_BINDTODEVICE tun on the old socket",
		   setsockopt(mine, SOL_SOCKET, SO_BINDTODEVICE, "cfnstun0", 9));
		OK("SO_BINDTODEVICE none", setsockopt(mine, SOL_SOCKET, SO_BINDTODEVICE, "", 1));
		close(b);
	}
	{
		struct sockaddr_in a = sa4("127.0.0.1", port);

		R("old socket connects in its namespace",
		  connect(mine, (struct sockaddr *)&a, sizeof(a)));
		R("new socket connects here", tcp_connect(port));
	}
	OK("setns to the new one by SIOCGSKNS file", setns(skns, CLONE_NEWNET));
	YN("in the new one", ns_ino("/proc/self/ns/net") == new_ino);
	OK("setns wrong kind", setns(skns, CLONE_NEWUTS));
	OK("setns back again", setns(orig, 0));

	close(tun);

	/* a namespace file bind-mounted keeps the namespace (ip netns add), in a private
	 * mount namespace of a child */
	if ((pid = fork()) == 0) {
		char keep[300];
		struct stat ks;
		int fd;

		snprintf(keep, sizeof(keep), "%.200s/netns-keep", cf_dir);
		close(open(keep, O_CREAT | O_WRONLY, 0644));
		if (unshare(CLONE_NEWNS) || mount("none", "/", NULL, MS_REC | MS_PRIVATE, NULL)) {
			printf("private mounts: %s\n", en(errno));
			_exit(0);
		}
		unshare(CLONE_NEWNET);
		ino_t mine_ino = ns_ino("/proc/self/ns/net");
		OK("bind mount a namespace file", mount("/proc/self/ns/net", keep, NULL, MS_BIND, NULL));
		YN("the file is the namespace", !stat(keep, &ks) && ks.st_ino == mine_ino);
		setns(orig, CLONE_NEWNET);
		fd = open(keep, O_RDONLY);
		OK("setns by the mounted file", setns(fd, CLONE_NEWNET));
		YN("back in it", ns_ino("/proc/self/ns/net") == mine_ino);
		close(fd);
		OK("umount it", umount(keep));
		_exit(0);
	}
	waitpid(pid, &st, 0);

	/* setns by pidfd: a child in its own namespace */
	{
		int gate[2], ready[2];
		char c;

		pipe(gate);
		pipe(ready);
		if ((pid = fork()) == 0) {
			unshare(CLONE_NEWNET);
			write(ready[1], "r", 1);
			read(gate[0], &c, 1);
			_exit(0);
		}
		read(ready[0], &c, 1);
		int pfd = (int)syscall(SYS_pidfd_open, pid, 0);
		char path[64];

		snprintf(path, sizeof(path), "/proc/%d/ns/net", (int)pid);
		ino_t child = ns_ino(path);
		OK("setns pidfd CLONE_NEWNET", setns(pfd, CLONE_NEWNET));
		YN("in the child's", ns_ino("/proc/self/ns/net") == child && child != init_ino);
		show_lo("child lo", 1);
		OK("setns back", setns(orig, CLONE_NEWNET));
		write(gate[1], "g", 1);
		waitpid(pid, &st, 0);
		close(pfd);
	}
	return 0;
}
