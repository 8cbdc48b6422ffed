/*
 * Socket error numbers in the order Linux checks them: socket/socketpair type and
 * protocol checks, getsockopt/setsockopt levels and unknown names, bind to a privileged
 * port without CAP_NET_BIND_SERVICE, SIOCATMARK and interface ioctls with bad pointers,
 * accept on an O_PATH descriptor, MSG_OOB receives, negative address lengths.
 */
#include <net/if.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/wait.h>

#include "cf.h"

int
main(void)
{
	int fds[2], v = 1, s, c, l;
	socklen_t len = sizeof(v);
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	char buf[16];

	cf_init();
	FD("socket inet raw proto 0", socket(AF_INET, SOCK_RAW, 0));
	FD("socket inet6 raw proto 0", socket(AF_INET6, SOCK_RAW, 0));
	FD("socket inet stream udp", socket(AF_INET, SOCK_STREAM, IPPROTO_UDP));
	R("socketpair inet type 75", socketpair(AF_INET, 75, 0, fds));
	R("socketpair inet raw 0", socketpair(AF_INET, SOCK_RAW, 0, fds));
	R("socketpair inet dgram tcp", socketpair(AF_INET, SOCK_DGRAM, IPPROTO_TCP, fds));
	R("socketpair inet stream icmp", socketpair(AF_INET, SOCK_STREAM, IPPROTO_ICMP, fds));
	R("socketpair inet stream", socketpair(AF_INET, SOCK_STREAM, 0, fds));
	R("socketpair inet6 dgram", socketpair(AF_INET6, SOCK_DGRAM, 0, fds));

	s = socket(AF_INET, SOCK_STREAM, 0);
	R("getsockopt level 500", getsockopt(s, 500, SO_OOBINLINE, &v, &len));
	R("getsockopt level UDP on TCP", getsockopt(s, IPPROTO_UDP, SO_OOBINLINE, &v, &len));
	R("getsockopt IP -1", getsockopt(s, IPPROTO_IP, -1, &v, &len));
	R("getsockopt TCP -1", getsockopt(s, IPPROTO_TCP, -1, &v, &len));
	R("setsockopt level 500", setsockopt(s, 500, SO_OOBINLINE, &v, sizeof(v)));
	R("setsockopt IP -1", setsockopt(s, IPPROTO_IP, -1, &v, sizeof(v)));
	R("setsockopt TCP -1", setsockopt(s, IPPROTO_TCP, -1, &v, sizeof(v)));
	R("setsockopt IP 28", setsockopt(s, IPPROTO_IP, 28, &v, sizeof(v)));
	R("setsockopt TCP 1000", setsockopt(s, IPPROTO_TCP, 1000, &v, sizeof(v)));
	R("setsockopt TCP_NODELAY", setsockopt(s, IPPROTO_TCP, TCP_NODELAY, &v, sizeof(v)));
	R("SIOCATMARK tcp", ioctl(s, SIOCATMARK, &v));
	printf("at mark: %d\n", v);
	R("SIOCATMARK tcp NULL", ioctl(s, SIOCATMARK, NULL));
	R("recv MSG_OOB unconnected", recv(s, buf, sizeof(buf), MSG_OOB));
	close(s);

	s = socket(AF_INET, SOCK_DGRAM, 0);
	R("getsockopt udp level 500", getsockopt(s, 500, SO_OOBINLINE, &v, &len));
	R("SIOCATMARK udp", ioctl(s, SIOCATMARK, &v));
	R("SIOCGIFFLAGS NULL", ioctl(s, SIOCGIFFLAGS, NULL));
	R("SIOCSIFFLAGS NULL", ioctl(s, SIOCSIFFLAGS, NULL));
	close(s);
	s = socket(AF_INET6, SOCK_STREAM, 0);
	R("getsockopt inet6 level 500", getsockopt(s, 500, SO_OOBINLINE, &v, &len));
	close(s);

	/* a connected pair: MSG_OOB without urgent data, bad address lengths */
	l = socket(AF_INET, SOCK_STREAM, 0);
	bind(l, (struct sockaddr *)&a, sizeof(a));
	socklen_t al = sizeof(a);
	getsockname(l, (struct sockaddr *)&a, &al);
	listen(l, 1);
	c = socket(AF_INET, SOCK_STREAM, 0);
	connect(c, (struct sockaddr *)&a, sizeof(a));
	s = accept(l, NULL, NULL);
	send(c, "x", 1, 0);
	R("recv MSG_OOB no urgent data", recv(s, buf, sizeof(buf), MSG_OOB));
	al = (socklen_t)-1;
	R("recvfrom addrlen -1", recvfrom(s, buf, sizeof(buf), 0, (struct sockaddr *)&a, &al));
	struct iovec iov = { buf, sizeof(buf) };
	struct msghdr mh = { .msg_name = &a, .msg_namelen = (socklen_t)-1, .msg_iov = &iov,
			     .msg_iovlen = 1 };
	R("recvmsg namelen -1", recvmsg(s, &mh, 0));
	mh.msg_namelen = sizeof(a);
	R("recvmsg MSG_OOB", recvmsg(s, &mh, MSG_OOB));
	R("recv", recv(s, buf, sizeof(buf), MSG_DONTWAIT));
	close(s);
	close(c);
	close(l);

	int p = open(".", O_PATH);
	R("accept on O_PATH", accept(p, NULL, NULL));
	R("listen on O_PATH", listen(p, 1));
	R("getsockopt on O_PATH", getsockopt(p, SOL_SOCKET, SO_TYPE, &v, &len));
	close(p);

	/* bind below 1024 as another user: EACCES */
	pid_t pid = fork();
	if (pid == 0) {
		setegid(65534);
		seteuid(65534);
		s = socket(AF_INET, SOCK_STREAM, 0);
		a.sin_port = htons(463);
		a.sin_addr.s_addr = htonl(INADDR_ANY);
		R("bind port 463 as nobody", bind(s, (struct sockaddr *)&a, sizeof(a)));
		a.sin_port = 0;
		R("bind port 0 as nobody", bind(s, (struct sockaddr *)&a, sizeof(a)));
		_exit(0);
	}
	waitpid(pid, NULL, 0);
	return 0;
}
