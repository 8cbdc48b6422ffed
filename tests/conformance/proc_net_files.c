/*
 * /proc/net and /proc/sys/net: /proc/net is the link self/net; dev, if_inet6, snmp and
 * netstat parse as Linux prints them; the snmp counters move with loopback traffic (only
 * "moved at least once" is printed: natively other traffic moves them too); the
 * /proc/sys/net files exist with their modes. Nothing is written to /proc/sys (natively
 * that would change the host).
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include "cf.h"

static char *
slurp(const char *path)
{
	static char buf[65536];
	int fd = open(path, O_RDONLY);
	size_t len = 0;
	ssize_t n;

	if (fd < 0)
		return NULL;
	while ((n = read(fd, buf + len, sizeof(buf) - 1 - len)) > 0)
		len += n;
	close(fd);
	buf[len] = '\0';
	return buf;
}

/* The value of column name in the row pair starting with type ("Tcp:"), or -1. */
static long
snmp_value(const char *text, const char *type, const char *name)
{
	const char *h = text;
	size_t tl = strlen(type);

	while (h && *h) {
		const char *eol = strchr(h, '\n');
		if (!strncmp(h, type, tl)) {
			const char *v = eol ? eol + 1 : NULL;
			char hdr[4096], val[4096];
			if (!v)
				return -1;
			snprintf(hdr, sizeof(hdr), "%.*s", (int)(eol - h), h);
			const char *veol = strchr(v, '\n');
			snprintf(val, sizeof(val), "%.*s", veol ? (int)(veol - v) : (int)strlen(v), v);
			char *sh, *sv;
			char *th = strtok_r(hdr, " ", &sh), *tv = strtok_r(val, " ", &sv);
			while (th && tv) {
				if (!strcmp(th, name))
					return atol(tv);
				th = strtok_r(NULL, " ", &sh);
				tv = strtok_r(NULL, " ", &sv);
			}
			return -1;
		}
		h = eol ? eol + 1 : NULL;
	}
	return -1;
}

static void
check_pairs(const char *label, const char *text)
{
	/* every header row has as many fields as the value row after it */
	int ok = 1, rows = 0;
	const char *p = text;

	while (p && *p) {
		const char *e1 = strchr(p, '\n');
		if (!e1)
			break;
		const char *p2 = e1 + 1, *e2 = strchr(p2, '\n');
		if (!e2)
			break;
		int n1 = 0, n2 = 0;
		for (const char *q = p; q < e1; q++)
			n1 += *q == ' ';
		for (const char *q = p2; q < e2; q++)
			n2 += *q == ' ';
		ok &= n1 == n2;
		rows++;
		p = e2 + 1;
	}
	printf("%s: rows paired %s, some rows %s\n", label, ok ? "yes" : "no", rows > 0 ? "yes" : "no");
}

int
main(void)
{
	struct stat st;
	char link[64] = { 0 };

	setvbuf(stdout, NULL, _IOLBF, 0);
	R("lstat /proc/net", lstat("/proc/net", &st));
	YN("/proc/net is a link 0777", S_ISLNK(st.st_mode) && (st.st_mode & 0777) == 0777);
	R("readlink", readlink("/proc/net", link, sizeof(link) - 1));
	printf("target %s\n", link);
	R("stat /proc/net", stat("/proc/net", &st));
	YN("a directory 0555", S_ISDIR(st.st_mode) && (st.st_mode & 0777) == 0555);
	R("stat /proc/self/net/tcp", stat("/proc/self/net/tcp", &st));

	char *dev = slurp("/proc/net/dev");
	YN("dev read", dev != NULL);
	if (dev) {
		char *lo = strstr(dev, " lo:");
		int fields = 0;
		if (lo) {
			char line[512];
			snprintf(line, sizeof(line), "%.*s", (int)strcspn(lo, "\n"), lo);
			for (char *s, *tok = strtok_r(line, " ", &s); tok; tok = strtok_r(NULL, " ", &s))
				fields++;
		}
		printf("dev lo fields: %d\n", fields);
		YN("dev two header lines", !strncmp(dev, "Inter-|", 7) && strstr(dev, "\n face |"));
	}
	char *in6 = slurp("/proc/net/if_inet6");
	YN("if_inet6 has ::1 on lo",
	   in6 && strstr(in6, "00000000000000000000000000000001 01 80 10 80       lo\n"));

	char *snmp = slurp("/proc/net/snmp");
	YN("snmp read", snmp != NULL);
	if (!snmp)
		return 0;
	check_pairs("snmp", snmp);
	static char before[65536];
	snprintf(before, sizeof(before), "%s", snmp);
	const char *cols[][2] = { { "Tcp:", "ActiveOpens" }, { "Tcp:", "AttemptFails" },
				  { "Tcp:", "OutRsts" }, { "Tcp:", "PassiveOpens" },
				  { "Tcp:", "RetransSegs" }, { "Udp:", "NoPorts" },
				  { "Udp:", "InDatagrams" }, { "Udp:", "OutDatagrams" } };
	for (size_t i = 0; i < sizeof(cols) / sizeof(cols[0]); i++)
		printf("%s %s present: %s\n", cols[i][0], cols[i][1],
		       snmp_value(before, cols[i][0], cols[i][1]) >= 0 ? "yes" : "no");
	printf("Tcp RtoAlgorithm %ld RtoMin %ld RtoMax %ld MaxConn %ld\n",
	       snmp_value(before, "Tcp:", "RtoAlgorithm"), snmp_value(before, "Tcp:", "RtoMin"),
	       snmp_value(before, "Tcp:", "RtoMax"), snmp_value(before, "Tcp:", "MaxConn"));

	/* a refused TCP connect, a UDP datagram to nobody, one to a bound socket */
	struct sockaddr_in sin = { .sin_family = AF_INET, .sin_port = htons(1) };
	inet_pton(AF_INET, "127.0.0.1", &sin.sin_addr);
	int s = socket(AF_INET, SOCK_STREAM, 0);
	R("connect refused", connect(s, (struct sockaddr *)&sin, sizeof(sin)));
	close(s);
	s = socket(AF_INET, SOCK_DGRAM, 0);
	R("udp to nobody", sendto(s, "a", 1, 0, (struct sockaddr *)&sin, sizeof(sin)));
	int srv = socket(AF_INET, SOCK_DGRAM, 0);
	struct sockaddr_in b = { .sin_family = AF_INET };
	socklen_t bl = sizeof(b);
	inet_pton(AF_INET, "127.0.0.1", &b.sin_addr);
	bind(srv, (struct sockaddr *)&b, sizeof(b));
	getsockname(srv, (struct sockaddr *)&b, &bl);
	R("udp to bound", sendto(s, "a", 1, 0, (struct sockaddr *)&b, sizeof(b)));
	char c;
	R("udp received", recv(srv, &c, 1, 0));
	/* a TCP connection */
	int l = socket(AF_INET, SOCK_STREAM, 0);
	bl = sizeof(b);
	b.sin_port = 0;
	bind(l, (struct sockaddr *)&b, sizeof(b));
	listen(l, 1);
	getsockname(l, (struct sockaddr *)&b, &bl);
	int cl = socket(AF_INET, SOCK_STREAM, 0);
	R("connect", connect(cl, (struct sockaddr *)&b, sizeof(b)));
	int ac = accept(l, NULL, NULL);
	YN("accepted", ac >= 0);

	snmp = slurp("/proc/net/snmp");
	for (size_t i = 0; i < sizeof(cols) / sizeof(cols[0]); i++) {
		if (!strcmp(cols[i][1], "RetransSegs"))
			continue;
		long d = snmp_value(snmp, cols[i][0], cols[i][1]) -
			 snmp_value(before, cols[i][0], cols[i][1]);
		printf("%s %s moved: %s\n", cols[i][0], cols[i][1], d >= 1 ? "yes" : "no");
	}
	YN("CurrEstab at least 2", snmp_value(snmp, "Tcp:", "CurrEstab") >= 2);
	close(ac);
	close(cl);
	close(l);

	char *ns = slurp("/proc/net/netstat");
	YN("netstat read", ns != NULL);
	if (ns) {
		check_pairs("netstat", ns);
		const char *names[] = { "TCPOrigDataSent", "TCPSynRetrans", "TCPDSACKRecv", "TCPDSACKOfoRecv" };
		for (int i = 0; i < 4; i++)
			printf("TcpExt %s present: %s\n", names[i],
			       snmp_value(ns, "TcpExt:", names[i]) >= 0 ? "yes" : "no");
	}

	const char *files[] = { "/proc/sys/net/ipv4/tcp_sack", "/proc/sys/net/ipv4/tcp_recovery",
				"/proc/sys/net/ipv4/ip_forward", "/proc/sys/net/ipv4/ip_local_port_range",
				"/proc/sys/net/ipv6/auto_flowlabels", "/proc/sys/net/ipv6/bindv6only",
				"/proc/sys/net/ipv6/ip6frag_time", "/proc/sys/net/ipv6/ip_nonlocal_bind",
				"/proc/sys/net/core/somaxconn" };
	for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		int r = stat(files[i], &st);
		printf("%s: %s mode %o\n", files[i], r ? en(errno) : "ok", r ? 0 : st.st_mode & 07777);
	}
	R("stat ipv6 dir", stat("/proc/sys/net/ipv6", &st));
	YN("ipv6 dir 0555", S_ISDIR(st.st_mode) && (st.st_mode & 0777) == 0555);
	char *range = slurp("/proc/sys/net/ipv4/ip_local_port_range");
	int lo = 0, hi = 0;
	YN("port range: two numbers, a tab, ordered",
	   range && sscanf(range, "%d\t%d\n", &lo, &hi) == 2 && strchr(range, '\t') && lo <= hi);
	char *rec = slurp("/proc/sys/net/ipv4/tcp_recovery");
	YN("tcp_recovery a number and newline", rec && rec[0] >= '0' && rec[0] <= '9' &&
	   rec[strlen(rec) - 1] == '\n');
	return 0;
}
