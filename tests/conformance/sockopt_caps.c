/* Socket options that need a capability (Linux sk_setsockopt): SO_SNDBUFFORCE and
 * SO_RCVBUFFORCE want CAP_NET_ADMIN, SO_MARK and a SO_PRIORITY outside 0..6 want
 * CAP_NET_ADMIN or CAP_NET_RAW. Checked with every effective capability dropped (so the
 * output does not depend on who runs it); a short value is EINVAL before any of that. */
#include "cf.h"
#include <linux/capability.h>
#include <netinet/in.h>
#include <sys/socket.h>

int
main(void)
{
	struct __user_cap_header_struct hdr = { .version = _LINUX_CAPABILITY_VERSION_3 };
	struct __user_cap_data_struct d[2];
	int fds[3], v = 1 << 20;
	const char *names[3] = { "unix", "tcp", "udp" };

	fds[0] = socket(AF_UNIX, SOCK_STREAM, 0);
	fds[1] = socket(AF_INET, SOCK_STREAM, 0);
	fds[2] = socket(AF_INET, SOCK_DGRAM, 0);
	syscall(SYS_capget, &hdr, d);
	d[0].effective = d[1].effective = 0;
	R("drop effective", syscall(SYS_capset, &hdr, d));
	for (int i = 0; i < 3; i++) {
		char l[64];
		short s = 1;

		printf("-- %s\n", names[i]);
		v = 1 << 20;
		snprintf(l, sizeof(l), "%s SO_SNDBUFFORCE", names[i]);
		R(l, setsockopt(fds[i], SOL_SOCKET, SO_SNDBUFFORCE, &v, sizeof(v)));
		snprintf(l, sizeof(l), "%s SO_RCVBUFFORCE", names[i]);
		R(l, setsockopt(fds[i], SOL_SOCKET, SO_RCVBUFFORCE, &v, sizeof(v)));
		snprintf(l, sizeof(l), "%s SO_RCVBUFFORCE short", names[i]);
		R(l, setsockopt(fds[i], SOL_SOCKET, SO_RCVBUFFORCE, &s, sizeof(s)));
		v = 77;
		snprintf(l, sizeof(l), "%s SO_MARK", names[i]);
		R(l, setsockopt(fds[i], SOL_SOCKET, SO_MARK, &v, sizeof(v)));
		v = 6;
		snprintf(l, sizeof(l), "%s SO_PRIORITY 6", names[i]);
		R(l, setsockopt(fds[i], SOL_SOCKET, SO_PRIORITY, &v, sizeof(v)));
		v = 7;
		snprintf(l, sizeof(l), "%s SO_PRIORITY 7", names[i]);
		R(l, setsockopt(fds[i], SOL_SOCKET, SO_PRIORITY, &v, sizeof(v)));
		v = -1;
		snprintf(l, sizeof(l), "%s SO_PRIORITY -1", names[i]);
		R(l, setsockopt(fds[i], SOL_SOCKET, SO_PRIORITY, &v, sizeof(v)));
		v = 0;
		socklen_t len = sizeof(v);
		getsockopt(fds[i], SOL_SOCKET, SO_PRIORITY, &v, &len);
		printf("%s SO_PRIORITY now %d\n", names[i], v);
	}
	return 0;
}
