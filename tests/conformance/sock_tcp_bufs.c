/* TCP's buffer sizes and the sysctls behind them, in a network namespace of the test's own:
 * net.ipv4.tcp_rmem / tcp_wmem (min, default, max; each at least 1, fewer numbers replace
 * the first ones), udp_rmem_min / udp_wmem_min; a new TCP socket's SO_RCVBUF / SO_SNDBUF
 * start at tcp_rmem[1] / tcp_wmem[1] (a UDP one's at net.core's defaults), follow a write
 * for sockets made after it, a setsockopt doubles (and locks) them, an accepted socket
 * takes its listener's, and a connection's send buffer grows unless SO_SNDBUF set it; a
 * non-blocking send takes all that fits at once. */
#include "cf.h"
#include <netinet/in.h>
#include <sys/socket.h>

static int
opt(int s, int name)
{
	int v = -1;
	socklen_t l = sizeof(v);

	getsockopt(s, SOL_SOCKET, name, &v, &l);
	return v;
}

static int
first(const char *path, int i)
{
	int v[3] = { -1, -1, -1 };
	FILE *f = fopen(path, "r");

	if (f) {
		if (fscanf(f, "%d %d %d", &v[0], &v[1], &v[2]) < 1)
			v[0] = -1;
		fclose(f);
	}
	return v[i];
}

static void
fresh(const char *label, int type)
{
	int s = socket(AF_INET, type, 0);

	printf("%s: SO_SNDBUF %d SO_RCVBUF %d\n", label, opt(s, SO_SNDBUF), opt(s, SO_RCVBUF));
	close(s);
}

/* A connection to a listener: its ends' buffers (with SO_SNDBUF n on the listener and
 * the client first, when n). */
static void
connection(const char *label, int n)
{
	struct sockaddr_in6 a;
	socklen_t al;
	int l = cf_lo_bound(AF_INET, SOCK_STREAM, &a, &al), c = socket(AF_INET, SOCK_STREAM, 0), s;
	int w1 = first("/proc/sys/net/ipv4/tcp_wmem", 1);

	if (n) {
		setsockopt(l, SOL_SOCKET, SO_SNDBUF, &n, sizeof(n));
		setsockopt(l, SOL_SOCKET, SO_RCVBUF, &n, sizeof(n));
		setsockopt(c, SOL_SOCKET, SO_SNDBUF, &n, sizeof(n));
	}
	printf("%s listener: SO_SNDBUF %d SO_RCVBUF %d\n", label, opt(l, SO_SNDBUF),
	       opt(l, SO_RCVBUF));
	connect(c, (struct sockaddr *)&a, al);
	s = accept(l, NULL, NULL);
	if (n) {
		printf("%s client: SO_SNDBUF %d SO_RCVBUF %d\n", label, opt(c, SO_SNDBUF),
		       opt(c, SO_RCVBUF));
		printf("%s accepted: SO_SNDBUF %d SO_RCVBUF %d\n", label, opt(s, SO_SNDBUF),
		       opt(s, SO_RCVBUF));
	} else { /* grown by how much depends on the congestion control: only that it grew */
		printf("%s client: SO_SNDBUF grew %s SO_RCVBUF %d\n", label,
		       opt(c, SO_SNDBUF) > w1 ? "yes" : "no", opt(c, SO_RCVBUF));
		printf("%s accepted: SO_SNDBUF grew %s SO_RCVBUF %d\n", label,
		       opt(s, SO_SNDBUF) > w1 ? "yes" : "no", opt(s, SO_RCVBUF));
	}
	close(s);
	close(c);
	close(l);
}

/* A non-blocking send on a connection nobody reads takes all that fits at once (far more
 * than a piece of 256 KiB): a second one finds no room. */
static void
fill(const char *label, int type)
{
	struct sockaddr_in6 a;
	socklen_t al;
	int l = cf_lo_bound(AF_INET, type, &a, &al), c = socket(AF_INET, type, 0), s;
	size_t n = 16 << 20;
	char *big = calloc(1, n);
	ssize_t r;

	connect(c, (struct sockaddr *)&a, al);
	s = accept(l, NULL, NULL);
	fcntl(c, F_SETFL, O_NONBLOCK);
	r = send(c, big, n, 0);
	printf("%s: a non-blocking send of 16 MiB took more than 256 KiB: %s\n", label,
	       r > 256 * 1024 ? "yes" : "no");
	R("  the next one", send(c, big, n, 0));
	free(big);
	close(s);
	close(c);
	close(l);
}

int
main(void)
{
	static const char *const names[] = { "tcp_rmem", "tcp_wmem", "udp_rmem_min",
					      "udp_wmem_min" };
	char path[64];
	int s, v;

	cf_init();
	cf_need_own_netns();
	for (int i = 0; i < 4; i++) {
		snprintf(path, sizeof(path), "/proc/sys/net/ipv4/%s", names[i]);
		cf_show_file(names[i], path);
	}
	s = socket(AF_INET, SOCK_STREAM, 0);
	YN("tcp SO_SNDBUF is tcp_wmem[1]", opt(s, SO_SNDBUF) == first("/proc/sys/net/ipv4/tcp_wmem", 1));
	YN("tcp SO_RCVBUF is tcp_rmem[1]", opt(s, SO_RCVBUF) == first("/proc/sys/net/ipv4/tcp_rmem", 1));
	close(s);
	s = socket(AF_INET6, SOCK_STREAM, 0);
	YN("tcp6 SO_RCVBUF is tcp_rmem[1]", opt(s, SO_RCVBUF) == first("/proc/sys/net/ipv4/tcp_rmem", 1));
	close(s);
	s = socket(AF_INET, SOCK_DGRAM, 0);
	YN("udp SO_RCVBUF is rmem_default", opt(s, SO_RCVBUF) == first("/proc/sys/net/core/rmem_default", 0));
	close(s);

	fill("tcp", SOCK_STREAM);
	cf_write_value("/proc/sys/net/ipv4/tcp_rmem", "4096 65536 1000000");
	cf_write_value("/proc/sys/net/ipv4/tcp_wmem", "4096 20000 2000000");
	cf_show_file("tcp_rmem", "/proc/sys/net/ipv4/tcp_rmem");
	cf_show_file("tcp_wmem", "/proc/sys/net/ipv4/tcp_wmem");
	fresh("new tcp", SOCK_STREAM);
	connection("grown", 0);
	connection("set 10000", 10000);
	s = socket(AF_INET, SOCK_STREAM, 0);
	v = 1;
	setsockopt(s, SOL_SOCKET, SO_SNDBUF, &v, sizeof(v));
	setsockopt(s, SOL_SOCKET, SO_RCVBUF, &v, sizeof(v));
	printf("set 1: SO_SNDBUF %d SO_RCVBUF %d\n", opt(s, SO_SNDBUF), opt(s, SO_RCVBUF));
	close(s);

	cf_write_value("/proc/sys/net/ipv4/tcp_rmem", "8000 9000");
	cf_show_file("tcp_rmem", "/proc/sys/net/ipv4/tcp_rmem");
	cf_write_value("/proc/sys/net/ipv4/tcp_rmem", "0 1 2");
	cf_write_value("/proc/sys/net/ipv4/tcp_wmem", "5 -1 6");
	cf_write_value("/proc/sys/net/ipv4/tcp_wmem", "x");
	cf_write_value("/proc/sys/net/ipv4/tcp_wmem", "1 1 1");
	cf_show_file("tcp_rmem", "/proc/sys/net/ipv4/tcp_rmem");
	cf_show_file("tcp_wmem", "/proc/sys/net/ipv4/tcp_wmem");
	fresh("new tcp", SOCK_STREAM);
	cf_write_value("/proc/sys/net/ipv4/udp_rmem_min", "0");
	cf_write_value("/proc/sys/net/ipv4/udp_wmem_min", "1");
	cf_write_value("/proc/sys/net/ipv4/udp_rmem_min", "8192");
	cf_show_file("udp_rmem_min", "/proc/sys/net/ipv4/udp_rmem_min");
	cf_show_file("udp_wmem_min", "/proc/sys/net/ipv4/udp_wmem_min");
	fresh("new udp", SOCK_DGRAM);

	if (unshare(CLONE_NEWNET) == 0) { /* a new one copies the first's, not ours */
		YN("another namespace's tcp_rmem[1] is 9000",
		   first("/proc/sys/net/ipv4/tcp_rmem", 1) == 9000);
		cf_show_file("udp_rmem_min", "/proc/sys/net/ipv4/udp_rmem_min");
	}
	return 0;
}
