/* recvmsg and recvmmsg write msg_namelen back only when there is a msg_name to fill
 * (Linux ____sys_recvmsg: move_addr_to_user); with one, an unnamed sender's is 0. */
#include "cf.h"
#include <stdbool.h>
#include <sys/socket.h>
#include <sys/un.h>

static void
recv_one(int fd, bool name, bool mmsg, const char *label)
{
	struct sockaddr_un sa;
	char c;
	struct iovec v = { &c, 1 };
	struct mmsghdr mm = { .msg_hdr = { .msg_name = name ? &sa : NULL, .msg_namelen = 36,
					   .msg_iov = &v, .msg_iovlen = 1 } };
	char l[80];

	snprintf(l, sizeof(l), "%s %s", label, mmsg ? "recvmmsg" : "recvmsg");
	if (mmsg)
		R(l, recvmmsg(fd, &mm, 1, MSG_DONTWAIT, NULL));
	else
		R(l, recvmsg(fd, &mm.msg_hdr, MSG_DONTWAIT));
	printf("  msg_namelen: %u\n", mm.msg_hdr.msg_namelen);
}

int
main(void)
{
	int sv[2];

	for (int type = 0; type < 2; type++) {
		const char *tn = type ? "stream" : "dgram";
		socketpair(AF_UNIX, type ? SOCK_STREAM : SOCK_DGRAM, 0, sv);
		for (int i = 0; i < 4; i++) {
			char label[64];
			snprintf(label, sizeof(label), "%s, %s name", tn, i & 1 ? "a" : "no");
			write(sv[1], "x", 1);
			recv_one(sv[0], i & 1, i & 2, label);
		}
		close(sv[0]);
		close(sv[1]);
	}
	return 0;
}
