/* SO_ATTACH_FILTER checks its classic BPF program as Linux's bpf_check_classic does, and
 * SO_GET_FILTER gives it back, its length counted in instructions (0 asks for it, fewer
 * than the program's is EINVAL); SO_LOCK_FILTER then refuses changes (strace's
 * sock_filter-v test). */
#include "cf.h"
#include <linux/filter.h>
#include <sys/socket.h>

static int fd;

static void
attach(const char *label, struct sock_filter *p, unsigned short n)
{
	struct sock_fprog fp = { n, p };
	R(label, setsockopt(fd, SOL_SOCKET, SO_ATTACH_FILTER, &fp, sizeof(fp)));
}

static void
get(const char *label, socklen_t len)
{
	struct sock_filter out[16];
	socklen_t l = len;

	memset(out, 0, sizeof(out));
	R(label, getsockopt(fd, SOL_SOCKET, SO_GET_FILTER, out, &l));
	printf("  optlen %u, first code %#x k %#x\n", l, out[0].code, out[0].k);
}

int
main(void)
{
	struct sock_filter good[] = {
		BPF_STMT(BPF_LD | BPF_W | BPF_LEN, 0),
		BPF_JUMP(BPF_JMP | BPF_JGE | BPF_K, 100, 0, 1),
		BPF_STMT(BPF_RET | BPF_K, 0),
		BPF_STMT(BPF_RET | BPF_K, 0xffff),
	};
	for (int type = 0; type < 2; type++) {
		printf("-- %s\n", type ? "unix dgram" : "udp");
		fd = socket(type ? AF_UNIX : AF_INET, SOCK_DGRAM, 0);
		get("get, none attached", 8);
		attach("attach", good, 4);
		get("get, length 0", 0);
		get("get, length 3", 3);
		get("get, length 4", 4);
		get("get, length 10", 10);

		struct sock_filter bad[4];
		memcpy(bad, good, sizeof(bad));
		attach("no return at the end", bad, 3);
		bad[0] = (struct sock_filter)BPF_STMT(BPF_ALU | BPF_DIV | BPF_K, 0);
		attach("divide by 0", bad, 4);
		bad[0] = (struct sock_filter)BPF_STMT(BPF_LD | BPF_MEM, 3);
		attach("scratch word read first", bad, 4);
		bad[0] = (struct sock_filter)BPF_STMT(BPF_LD | BPF_MEM, 16);
		attach("scratch word 16", bad, 4);
		bad[0] = (struct sock_filter)BPF_STMT(BPF_LD | BPF_B | BPF_ABS, SKF_AD_OFF + 2);
		attach("ancillary load +2", bad, 4);
		bad[0] = (struct sock_filter)BPF_STMT(BPF_LD | BPF_H | BPF_ABS,
						       SKF_AD_OFF + SKF_AD_PROTOCOL);
		attach("ancillary protocol", bad, 4);
		memcpy(bad, good, sizeof(bad));
		bad[1].jf = 5;
		attach("jump past the end", bad, 4);
		bad[1] = (struct sock_filter)BPF_STMT(0xff, 0);
		attach("unknown code", bad, 4);
		attach("no instructions", good, 0);
		attach("4097 instructions", good, 4097);
		struct sock_fprog fp = { 4, (struct sock_filter *)8 };
		R("bad program pointer", setsockopt(fd, SOL_SOCKET, SO_ATTACH_FILTER, &fp, sizeof(fp)));
		R("short optlen", setsockopt(fd, SOL_SOCKET, SO_ATTACH_FILTER, &fp, 8));
		get("get, still the protocol one", 4);

		int one = 1;
		R("lock", setsockopt(fd, SOL_SOCKET, SO_LOCK_FILTER, &one, sizeof(one)));
		attach("attach, locked", good, 4);
		R("detach, locked", setsockopt(fd, SOL_SOCKET, SO_DETACH_FILTER, &one, sizeof(one)));
		close(fd);
		fd = socket(type ? AF_UNIX : AF_INET, SOCK_DGRAM, 0);
		attach("attach", good, 4);
		R("detach", setsockopt(fd, SOL_SOCKET, SO_DETACH_FILTER, &one, sizeof(one)));
		get("get, detached", 8);
		R("detach again", setsockopt(fd, SOL_SOCKET, SO_DETACH_FILTER, &one, sizeof(one)));
		close(fd);
	}
	return 0;
}
