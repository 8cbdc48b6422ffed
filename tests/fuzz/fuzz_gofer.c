/*
 * libFuzzer target for the gofer's request parser (gofer_parse_req in fs/gofer.c).
 * Build (done by `make fuzz`; by hand):
 *   clang -std=gnu11 -g -O1 -D_GNU_SOURCE -I. -fsanitize=fuzzer,address,undefined \
 *         tests/fuzz/fuzz_gofer.c fs/gofer.c -lseccomp -o build/fuzz_gofer
 *   ./build/fuzz_gofer -max_total_time=60
 * Besides "no crash", it checks that every accepted request obeys the protocol rules
 * (fs/gofer_proto.h), for every op including the changes (MKNOD ... UTIMENS).
 */
#include <fcntl.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/stat.h>
#include <stdlib.h>
#include <string.h>

#include "fs/gofer_proto.h"

#define FUZZ_NMOUNTS 3

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* A path the rules allow: relative, no "" or ".." component. */
static void
check_rel(const char *p, size_t len)
{
	size_t i, start = 0;

	if (p[len] != '\0' || strlen(p) != len)
		abort();
	if (len == 0)
		return;
	if (p[0] == '/')
		abort();
	for (i = 0; i <= len; i++) {
		if (i < len && p[i] != '/')
			continue;
		if (i == start || (i - start == 2 && !memcmp(p + start, "..", 2)))
			abort();
		start = i + 1;
	}
}

/* A path a change may name: non-empty, last component not ".". */
static void
check_named(const char *p, size_t len)
{
	const char *last = strrchr(p, '/');

	last = last ? last + 1 : p;
	if (len == 0 || !strcmp(last, "."))
		abort();
}

static int
nsec_ok(int64_t ns)
{
	return (ns >= 0 && ns < 1000000000) || ns == UTIME_NOW || ns == UTIME_OMIT;
}

/* The network requests: binary paths (an address, a DNS message) of bounded size. */
static void
check_net(const struct gofer_parsed *p, size_t size)
{
	sa_family_t fam;

	bool linger = p->op == GOFER_OP_NET_SETSOCKOPT && p->flags == SOL_SOCKET &&
		      p->mode == SO_LINGER;

	if (p->mount || p->path2_len || (p->arg[1] && !linger) || p->arg[2] || p->arg[3] ||
	    (p->arg[0] && p->op != GOFER_OP_NET_SETSOCKOPT) ||
	    p->path_len != size - sizeof(struct gofer_req))
		abort();
	switch (p->op) {
	case GOFER_OP_NET_SETSOCKOPT:
		if (p->path_len || !gofer_net_sockopt_ok(p->flags, p->mode) ||
		    p->arg[0] < INT32_MIN || p->arg[0] > INT32_MAX || p->arg[1] < INT32_MIN ||
		    p->arg[1] > INT32_MAX)
			abort();
		break;
	case GOFER_OP_NET_SOCKET:
		memcpy(&fam, p->path, sizeof(fam));
		if (!((fam == AF_INET && p->path_len == 16) || (fam == AF_INET6 && p->path_len == 28)) ||
		    (p->flags != SOCK_STREAM && p->flags != SOCK_DGRAM) || p->mode > 1)
			abort();
		break;
	case GOFER_OP_NET_SHUTDOWN:
		if (p->path_len || p->flags > SHUT_RDWR || p->mode)
			abort();
		break;
	case GOFER_OP_NET_ACCEPT:
		if (p->path_len || p->flags || p->mode)
			abort();
		break;
	default:
		if (p->path_len < 1 || p->path_len > 512 || p->flags || p->mode)
			abort();
		break;
	}
}

static void
check_accepted(const struct gofer_parsed *p, size_t size)
{
	int zero_args = !p->arg[0] && !p->arg[1] && !p->arg[2] && !p->arg[3];

	if (gofer_op_net(p->op)) {
		check_net(p, size);
		return;
	}

	if (p->mount >= FUZZ_NMOUNTS || p->path_len > PATH_MAX - 1 ||
	    p->path2_len > PATH_MAX - 1 ||
	    p->path_len + p->path2_len != size - sizeof(struct gofer_req))
		abort();
	if (p->op < GOFER_OP_LSTAT || p->op > GOFER_OP_MAX)
		abort();
	/* on_fd: the object of a passed fd, for the ops that take one, with no path */
	if (p->on_fd > 1 || (p->on_fd && (!gofer_op_on_fd(p->op) || p->path_len)))
		abort();
	check_rel(p->path, p->path_len);
	/* a change of the object itself may be the mount root's (""): a file mount's */
	bool on_object = p->op == GOFER_OP_TRUNCATE || p->op == GOFER_OP_CHMOD ||
			 p->op == GOFER_OP_UTIMENS || p->op == GOFER_OP_FALLOCATE ||
			 p->op == GOFER_OP_SETXATTR || p->op == GOFER_OP_REMOVEXATTR;
	if (gofer_op_writes(p->op) && !p->on_fd && (p->path_len || !on_object))
		check_named(p->path, p->path_len);
	switch (p->op) {
	case GOFER_OP_OPEN:
		if ((p->flags & ~(uint32_t)GOFER_OPEN_FLAGS) || (p->mode & ~07777u) || !zero_args)
			abort();
		break;
	case GOFER_OP_MKNOD:
		if (((p->mode & S_IFMT) != S_IFREG && (p->mode & S_IFMT) != S_IFIFO &&
		     (p->mode & S_IFMT) != S_IFSOCK) || p->flags)
			abort();
		break;
	case GOFER_OP_FALLOCATE:
		if ((p->flags & ~0x3bu) || p->mode || p->arg[0] < 0 || p->arg[1] <= 0 || p->arg[2] ||
		    p->arg[3])
			abort();
		break;
	case GOFER_OP_GETXATTR:
		if (p->flags || p->arg[0] < 0 || p->arg[0] > 65536 || p->arg[1] || p->arg[2] ||
		    p->arg[3])
			abort();
		break;
	case GOFER_OP_SETXATTR:
		if ((p->flags & ~3u) || p->arg[0] < 1 || p->arg[0] > 255 || p->arg[0] > p->path2_len ||
		    p->arg[1] || p->arg[2] || p->arg[3])
			abort();
		break;
	case GOFER_OP_KCONFIG: /* which file or directory; a CPU and a cache index where they count */
		if (p->mount || p->path_len || p->flags || p->mode || p->arg[3] ||
		    p->arg[0] < GOFER_HOST_CONFIG_GZ || p->arg[0] > GOFER_HOST_CPU_CACHE ||
		    (p->arg[0] < GOFER_HOST_CPU_TOPOLOGY ? p->arg[1] != 0
							 : p->arg[1] < 0 || p->arg[1] >= 8192) ||
		    (p->arg[0] < GOFER_HOST_CPU_CACHE ? p->arg[2] != 0
						      : p->arg[2] < 0 || p->arg[2] >= 32))
			abort();
		break;
	case GOFER_OP_TASK_STATE: /* arg[1]: process, 0 or 1; arg[2]: GOFER_TS_* */
		if (p->mount || p->path_len || p->flags || p->mode || p->arg[0] < 1 ||
		    p->arg[0] > INT32_MAX || (p->arg[1] != 0 && p->arg[1] != 1) ||
		    (p->arg[2] & ~(int64_t)(GOFER_TS_SWITCHES | GOFER_TS_SCHED)) || p->arg[3])
			abort();
		break;
	case GOFER_OP_TASK_MEM:
		if (p->mount || p->path_len || p->flags || p->mode || p->arg[0] < 1 ||
		    p->arg[0] > INT32_MAX || p->arg[2] < GOFER_MEM_STATUS ||
		    p->arg[2] > GOFER_MEM_SMAPS || p->arg[3])
			abort();
		break;
	case GOFER_OP_UNLINK:
		if (p->flags & ~(uint32_t)AT_REMOVEDIR)
			abort();
		break;
	case GOFER_OP_RENAME:
		if ((p->flags & RENAME_NOREPLACE) && (p->flags & RENAME_EXCHANGE))
			abort();
		break;
	case GOFER_OP_TRUNCATE:
		if (p->arg[0] < 0 || p->arg[1] || p->arg[2] || p->arg[3])
			abort();
		break;
	case GOFER_OP_UTIMENS:
		if (!nsec_ok(p->arg[1]) || !nsec_ok(p->arg[3]))
			abort();
		break;
	case GOFER_OP_WALK: { /* from component arg[0] of a non-empty path, at most arg[1] */
		int64_t comps = p->path_len > 0;
		for (uint32_t i = 0; i < p->path_len; i++)
			comps += p->path[i] == '/';
		if (p->flags || p->arg[0] < 0 || p->arg[0] >= comps || p->arg[1] < 1 ||
		    p->arg[1] > GOFER_WALK_MAX || p->arg[2] || p->arg[3])
			abort();
		break;
	}
	default:
		if (p->flags || !zero_args)
			abort();
		break;
	}
	if (p->op != GOFER_OP_OPEN && p->op != GOFER_OP_MKNOD && (p->mode & ~07777u))
		abort();
	if (p->op == GOFER_OP_RENAME || p->op == GOFER_OP_LINK) {
		check_rel(p->path2, p->path2_len);
		check_named(p->path2, p->path2_len);
	} else if (p->op == GOFER_OP_SYMLINK) {
		if (p->path2_len == 0 || memchr(p->path2, '\0', p->path2_len))
			abort();
	} else if (p->op == GOFER_OP_GETXATTR || p->op == GOFER_OP_REMOVEXATTR ||
		   p->op == GOFER_OP_SETXATTR) {
		if (p->path2_len == 0)
			abort(); /* an attribute's name */
	} else if (p->path2_len) {
		abort();
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct gofer_parsed p;

	if (gofer_parse_req(data, size, FUZZ_NMOUNTS, &p) == 0)
		check_accepted(&p, size);
	return 0;
}
