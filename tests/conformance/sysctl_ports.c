/* net.ipv4.ip_unprivileged_port_start and ping_group_range, per network namespace: their
 * defaults, Linux's checks on writes (the unprivileged start may not reach into the local
 * port range, nor the range below it; an empty group range reads as the default one) and
 * what the start means to bind(): below it a port needs CAP_NET_BIND_SERVICE, at or above
 * it none. In a network namespace of the test's own (root natively, always inside); the
 * capability is dropped in a child. */
#include "cf.h"
#include <arpa/inet.h>
#include <linux/capability.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>

static const char unpriv[] = "/proc/sys/net/ipv4/ip_unprivileged_port_start";
static const char ping[] = "/proc/sys/net/ipv4/ping_group_range";
static const char range[] = "/proc/sys/net/ipv4/ip_local_port_range";

static void
show(const char *path)
{
	char buf[64] = "";
	int fd = open(path, O_RDONLY);
	ssize_t n = fd >= 0 ? read(fd, buf, sizeof(buf) - 1) : -1;

	if (n > 0 && buf[n - 1] == '\n')
		buf[n - 1] = '\0';
	for (char *p = buf; *p; p++)
		if (*p == '\t')
			*p = ' ';
	printf("%s: %s\n", strrchr(path, '/') + 1, n >= 0 ? buf : en(errno));
	if (fd >= 0)
		close(fd);
}

/* bind to 127.0.0.1:port in a child without CAP_NET_BIND_SERVICE in any set */
static void
bind_unprivileged(int port)
{
	pid_t pid = fork();
	int st = 0;

	if (pid == 0) {
		struct __user_cap_header_struct h = { _LINUX_CAPABILITY_VERSION_3, 0 };
		struct __user_cap_data_struct d[2];
		syscall(SYS_capget, &h, d);
		d[0].effective &= ~(1u << CAP_NET_BIND_SERVICE);
		d[0].permitted &= ~(1u << CAP_NET_BIND_SERVICE);
		d[0].inheritable &= ~(1u << CAP_NET_BIND_SERVICE);
		if (syscall(SYS_capset, &h, d) < 0)
			_exit(2);
		struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons(port) };
		a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
		int s = socket(AF_INET, SOCK_STREAM, 0);
		int r = bind(s, (struct sockaddr *)&a, sizeof(a));
		printf("bind %d without the capability: %s\n", port, r == 0 ? "ok" : en(errno));
		fflush(stdout);
		_exit(0);
	}
	waitpid(pid, &st, 0);
	if (!WIFEXITED(st) || WEXITSTATUS(st))
		printf("child: status %d\n", st);
}

int
main(void)
{
	cf_init();
	cf_need_own_netns();
	show(unpriv);
	show(ping);
	bind_unprivileged(80);
	bind_unprivileged(1024);
	cf_write_value(unpriv, "40000");    /* above the local range's start */
	cf_write_value(unpriv, "-1");
	cf_write_value(unpriv, "65536");
	cf_write_value(unpriv, "0");
	show(unpriv);
	bind_unprivileged(80);
	cf_write_value(range, "100 200");
	show(range);
	cf_write_value(unpriv, "150");      /* into the local range */
	cf_write_value(unpriv, "100");
	show(unpriv);
	cf_write_value(range, "99 200");    /* below the unprivileged start */
	cf_write_value(range, "32768 60999");
	bind_unprivileged(99);
	bind_unprivileged(100);
	cf_write_value(ping, "0 2147483647");
	show(ping);
	cf_write_value(ping, "5 3");        /* an empty range: the default */
	show(ping);
	cf_write_value(ping, "-1 5");
	cf_write_value(ping, "7");          /* one number: the first */
	show(ping);
	return 0;
}
