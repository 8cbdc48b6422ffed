/*
 * Gofer wire format (private to fs/gofer.c, fs/gofer_client.c and their tests).
 *
 * Transport: one AF_UNIX SOCK_SEQPACKET socket pair; every request and every reply is
 * exactly one message, so no framing is needed and a message is never split.
 *
 * Request:  struct gofer_req, then path_len path bytes, then path2_len bytes of a second
 *           string (neither NUL-terminated; an embedded NUL is refused). path is relative to
 *           mount root number `mount`; "" is the root itself. Rules: path_len + path2_len ==
 *           bytes that follow the header, each <= GOFER_PATH_MAX-1 (a path below a mount
 *           root may be longer than one openat2 takes: the gofer opens its leading
 *           directories a piece at a time), no leading '/', no ""
 *           component (no "//", no trailing '/'), no ".." component; on_fd 0 or 1.
 *           LSTAT and READLINK need flags == 0 and mode == 0. OPEN takes flags from
 *           GOFER_OPEN_FLAGS and mode <= 07777. arg[] is 0 and path2 empty unless said.
 *           Changes (writable mounts only, else -EROFS; path non-empty, its last component
 *           not "."; the reply carries the stat of the object afterwards, when there is one):
 *             MKNOD    mode: S_IFREG or S_IFIFO plus permissions <= 07777
 *             MKDIR    mode <= 07777
 *                      (MKNOD, MKDIR, SYMLINK: arg[0], arg[1] the new object's uid and
 *                      gid, host ids or -1 for the gofer's own; given where the host
 *                      lets the gofer chown, else the object stays the gofer's)
 *             UNLINK   flags 0 or AT_REMOVEDIR
 *             RENAME   path2 the new path (same mount); flags RENAME_NOREPLACE or
 *                      RENAME_EXCHANGE
 *             SYMLINK  path2 the link's target text (any bytes but NUL, not empty)
 *             LINK     path2 the new name of the existing path
 *             TRUNCATE arg[0] the length, 0 <= arg[0] < 2^63
 *             FALLOCATE flags the mode (FALLOC_FL_KEEP_SIZE, _PUNCH_HOLE, _ZERO_RANGE,
 *                      _COLLAPSE_RANGE, _INSERT_RANGE), arg[0] the offset >= 0, arg[1] the
 *                      length > 0, of a regular file
 *             CHMOD    mode <= 07777 (a symlink: -EOPNOTSUPP)
 *             UTIMENS  arg[0..3]: atime sec, nsec, mtime sec, nsec; nsec < 10^9 or
 *                      UTIME_NOW / UTIME_OMIT
 *           None of them follows a symlink: parents are opened beneath the root with
 *           RESOLVE_NO_SYMLINKS, the last component is acted on without following it.
 *           on_fd 1 (CHMOD, UTIMENS, FALLOCATE and the xattr ops only; path empty): act on the
 *           regular file or directory a host fd passed with the request (SCM_RIGHTS)
 *           refers to, as fchmod(2) & co do, even once its name is gone; the gofer checks
 *           that the kernel's path of it (/proc/self/fd, " (deleted)" or not) lies
 *           beneath the mount's root (else -EPERM).
 *           WALK     arg[0] = k, 0 <= k < the number of components of path (not empty),
 *                    arg[1] = m, 1 <= m <= GOFER_WALK_MAX: lstat of each prefix of path
 *                    from component k on (k = 0: the first component alone), as LSTAT
 *                    would, at most m of them, stopping after the first that fails or is
 *                    not a directory: a path looked up in one round trip, not one each.
 *           STATFS   statfs(2) of the filesystem path is on (any mount): the reply's data
 *                    is one struct statfs.
 *           Extended attributes, user.* only (a name: "user." and more, at most 255 bytes,
 *           no NUL), of regular files and directories (others: -EPERM / -ENODATA):
 *             GETXATTR  path2 the name; arg[0] the caller's size, 0..65536 (0: the size
 *                       alone, in the reply's st.st_size); the value in the data
 *             LISTXATTR the user.* names in the data, NUL-terminated each
 *             SETXATTR  (writable mounts) path2 the name then the value, arg[0] the name's
 *                       length; flags 0, XATTR_CREATE or XATTR_REPLACE
 *             REMOVEXATTR (writable mounts) path2 the name
 *           TASK_STATE  the scheduler state of a host thread of the sandbox (its stubs: the
 *                    sentry sees no state of a call that runs natively, a futex wait):
 *                    mount 0, path empty, arg[0] the thread's tid in the sandbox's pid
 *                    namespace (1..INT_MAX), arg[1] 0 (the thread's own figures) or 1
 *                    (its process's), arg[2] 1 for its context switches too (from its
 *                    /proc/TID/task/TID/status), else 0, arg[3] 0. The gofer looks among the tasks
 *                    of the sentry's children (whose host pid the CLI gave it) for the one
 *                    with that tid in the sentry's pid namespace (else -ESRCH): the data
 *                    is one struct gofer_task_stat (fs/gofer.h), the state letter, times,
 *                    faults and CPU of its /proc/TID/task/TID/stat (or /proc/TID/stat).
 *           TASK_MEM  the resident memory of the host process of such a thread (a stub: the
 *                    sentry sees which pages are mapped, not which are present): arg[0]
 *                    the tid as for TASK_STATE, arg[1] an address (any 64 bits), arg[2]
 *                    an enum gofer_mem_what, arg[3] 0. The data is one struct gofer_mem
 *                    (its /proc/TID/status figures) and then, for GOFER_MEM_SMAPS, as
 *                    many as fit of one struct gofer_mem_range for each mapping of its
 *                    /proc/TID/smaps that ends above arg[1] (n of them; more: ask again
 *                    from the last one's end, which continues the same read of the file).
 *           KCONFIG  one of the host kernel's fixed /proc files outside the mount roots,
 *                    arg[0] GOFER_HOST_CONFIG_GZ (/proc/config.gz) or GOFER_HOST_CPUINFO
 *                    (/proc/cpuinfo), never named by the sentry: mount 0, path empty,
 *                    everything else 0; opened read-only, a regular file on a procfs or
 *                    -ENOENT; the fd comes as SCM_RIGHTS as for OPEN. arg[0]
 *                    GOFER_HOST_CPU_VULNS (/sys/devices/system/cpu/vulnerabilities),
 *                    GOFER_HOST_THP (/sys/kernel/mm/transparent_hugepage),
 *                    GOFER_HOST_CPU_SMT (/sys/devices/system/cpu/smt),
 *                    GOFER_HOST_CPU_TOPOLOGY (/sys/devices/system/cpu/cpuN/topology, N
 *                    arg[1] < 8192) or GOFER_HOST_CPU_CACHE (its cache/indexK, K arg[2]
 *                    < 32); arg[1] and arg[2] 0 where they do not count: no fd; the
 *                    data is "name mode text\n" (mode: 4 octal digits) for each regular
 *                    file of that sysfs directory that anyone may read, whose name is
 *                    [a-z0-9_] and whose text is one printable line, as many as fit
 *                    (-ENOENT: no such directory on a sysfs).
 *           Network egress (net/net.h; the gofer checks its own copy of the CLI's policy;
 *           mount 0, path2 empty, arg[] 0; any request in mode none: -EPERM):
 *             NET_SOCKET   path: the destination, a struct sockaddr_in or sockaddr_in6
 *                          (exactly its size); flags the type (SOCK_STREAM or
 *                          SOCK_DGRAM), mode 1 to connect it (non-blocking), 0 for an
 *                          unconnected UDP socket. Reply: err 0 (connected) or
 *                          -EINPROGRESS with the socket as SCM_RIGHTS, its local name
 *                          in the data; or -errno and no fd (-EPERM: the policy said no,
 *                          the reason in the data)
 *             NET_SHUTDOWN one fd in the request (a host socket the gofer gave); flags
 *                          SHUT_RD, SHUT_WR or SHUT_RDWR; path empty
 *             NET_DNS      path: one DNS query (1 to 512 bytes, any bytes; allow mode);
 *                          the answer in the data
 *             NET_SETSOCKOPT one fd in the request (as NET_SHUTDOWN); flags the level,
 *                          mode the option, arg[0] its int value (SO_LINGER: l_onoff,
 *                          and arg[1] l_linger): one of gofer_net_sockopt_ok's
 *                          (keepalive, TCP_NODELAY, buffer sizes and the like)
 *             NET_ACCEPT   one fd in the request (a listening host socket the guest was
 *                          given, in mode none too); flags 0, mode 0, path empty: a
 *                          connection taken without waiting (-EAGAIN: none), as the
 *                          new socket (non-blocking) as SCM_RIGHTS and one struct
 *                          gofer_accept in the data
 * Reply:    struct gofer_reply, then data_len bytes (READLINK: the target, not NUL-terminated;
 *           WALK: one struct gofer_walk_ent per prefix looked at, then, when the last is a
 *           symlink, its target if it fits (not NUL-terminated; no bytes: it did not);
 *           otherwise 0 bytes), plus for a successful OPEN or KCONFIG exactly one fd as SCM_RIGHTS.
 *           err is 0 or -errno. A malformed request gets err == -EINVAL.
 * Startup:  right after setup the gofer sends one reply with data_len == 0 whose err says
 *           whether setup worked (0) or why it failed (-errno, then the gofer exits).
 * EOF:      when the sentry end is closed the gofer exits with status 0. (A zero-length
 *           SEQPACKET message reads like EOF, so it also ends the gofer.)
 */
#pragma once
#include <fcntl.h>
#include <limits.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fs/gofer.h"

#define GOFER_MAGIC 0x31524647u /* "GFR1" little-endian */
#define GOFER_MAX_MOUNTS 256
#define GOFER_SYS_fchmodat2 452   /* Linux 6.6; older kernels: ENOSYS */

enum gofer_op {
	GOFER_OP_LSTAT = 1,
	GOFER_OP_OPEN = 2,
	GOFER_OP_READLINK = 3,
	GOFER_OP_MKNOD = 4,
	GOFER_OP_MKDIR = 5,
	GOFER_OP_UNLINK = 6,
	GOFER_OP_RENAME = 7,
	GOFER_OP_SYMLINK = 8,
	GOFER_OP_LINK = 9,
	GOFER_OP_TRUNCATE = 10,
	GOFER_OP_CHMOD = 11,
	GOFER_OP_UTIMENS = 12,
	GOFER_OP_WALK = 13,
	GOFER_OP_STATFS = 14,
	GOFER_OP_FALLOCATE = 15,
	GOFER_OP_GETXATTR = 16,
	GOFER_OP_LISTXATTR = 17,
	GOFER_OP_SETXATTR = 18,
	GOFER_OP_REMOVEXATTR = 19,
	GOFER_OP_KCONFIG = 20,     /* arg[0]: enum gofer_host_file */
	GOFER_OP_NET_SOCKET = 21,
	GOFER_OP_NET_SHUTDOWN = 22,
	GOFER_OP_NET_DNS = 23,
	GOFER_OP_NET_SETSOCKOPT = 24,
	GOFER_OP_TASK_STATE = 25,
	GOFER_OP_TASK_MEM = 26,
	GOFER_OP_NET_ACCEPT = 27,
	GOFER_OP_MAX = GOFER_OP_NET_ACCEPT,
};

struct gofer_req {
	uint32_t magic;
	uint32_t op;
	uint32_t mount;
	uint32_t flags;   /* open(2) flags for OPEN; UNLINK, RENAME: their flags */
	uint32_t mode;    /* OPEN with O_CREAT / O_TMPFILE, MKNOD, MKDIR, CHMOD */
	uint32_t path_len;
	uint32_t path2_len; /* RENAME, LINK: the second path; SYMLINK: the target */
	uint32_t on_fd;   /* 1: the object of the fd passed along, not a path */
	int64_t arg[4];   /* TRUNCATE: length; UTIMENS: atime sec, nsec, mtime sec, nsec */
};

/* WALK: one per prefix (at most GOFER_WALK_MAX, fs/gofer.h, a request). */
struct gofer_walk_ent {
	int32_t err;      /* 0 or -errno of this prefix */
	uint32_t pad;
	struct stat st;   /* valid when err == 0 */
};
_Static_assert(GOFER_WALK_MAX * sizeof(struct gofer_walk_ent) + 1024 <= PATH_MAX,
	       "WALK entries and a symlink target fit in one reply");

/* NET_ACCEPT: the names of the connection taken (lengths as accept4 and getsockname give
 * them; 0: none). */
struct gofer_accept {
	uint32_t peerlen, locallen;
	struct sockaddr_storage peer, local;
	int32_t has_cred;          /* AF_UNIX: the peer's SO_PEERCRED (host ids) */
	struct { int32_t pid; uint32_t uid, gid; } cred;
};

/* TASK_MEM: ranges per reply (after the struct gofer_mem). */
#define GOFER_MEM_RANGES ((PATH_MAX - sizeof(struct gofer_mem)) / sizeof(struct gofer_mem_range))

struct gofer_reply {
	int32_t err;      /* 0 or -errno */
	uint32_t data_len;
	struct stat st;   /* valid when err == 0 */
};

/* open(2) flags a request may carry. O_CLOEXEC, O_NOCTTY, O_NONBLOCK and O_NOFOLLOW are
 * always added by the gofer. */
#define GOFER_OPEN_FLAGS \
	(O_ACCMODE | O_CREAT | O_EXCL | O_TRUNC | O_APPEND | O_DIRECTORY | O_NOFOLLOW | \
	 O_TMPFILE | O_LARGEFILE | O_CLOEXEC | O_NONBLOCK | O_NOCTTY | O_NOATIME | O_SYNC | \
	 O_DSYNC)
/* The bit of O_TMPFILE that is not O_DIRECTORY (glibc's __O_TMPFILE includes O_DIRECTORY). */
#define GOFER_O_TMPFILE_BIT (O_TMPFILE & ~O_DIRECTORY)
/* Flags that need a writable mount (else -EROFS). */
#define GOFER_WRITE_FLAGS (O_WRONLY | O_RDWR | O_CREAT | O_TRUNC | O_APPEND | GOFER_O_TMPFILE_BIT)

#define GOFER_MAX_REQ (sizeof(struct gofer_req) + 2 * (GOFER_PATH_MAX - 1))
#define GOFER_MAX_REPLY (sizeof(struct gofer_reply) + PATH_MAX)

/* A request that passed gofer_parse_req(); path is NUL-terminated. */
struct gofer_parsed {
	uint32_t op;
	uint32_t mount;
	uint32_t flags;
	uint32_t mode;
	uint32_t path_len;
	uint32_t path2_len;
	uint32_t on_fd;
	int64_t arg[4];
	char path[GOFER_PATH_MAX];
	char path2[GOFER_PATH_MAX];
};

static inline int
gofer_op_net(uint32_t op)
{
	return (op >= GOFER_OP_NET_SOCKET && op <= GOFER_OP_NET_SETSOCKOPT) ||
	       op == GOFER_OP_NET_ACCEPT;
}

/* The socket options NET_SETSOCKOPT applies (int values, SO_LINGER's two; levels
 * SOL_SOCKET = 1, IPPROTO_IP = 0, IPPROTO_IPV6 = 41, IPPROTO_TCP = 6): what changes how a
 * connection behaves, nothing that names another destination or needs a privilege. */
static inline int
gofer_net_sockopt_ok(uint32_t level, uint32_t name)
{
	if (level == SOL_SOCKET)
		return name == SO_KEEPALIVE || name == SO_BROADCAST || name == SO_SNDBUF ||
		       name == SO_RCVBUF || name == SO_OOBINLINE || name == SO_LINGER;
	if (level == 0)
		return name == 1 /* IP_TOS */ || name == 2 /* IP_TTL */;
	if (level == 41)
		return name == 16 /* IPV6_UNICAST_HOPS */ || name == 67 /* IPV6_TCLASS */;
	return level == 6 && (name == 1 /* TCP_NODELAY */ || name == 2 /* TCP_MAXSEG */ ||
			      name == 3 /* TCP_CORK */ ||
			      name == 4 /* TCP_KEEPIDLE */ || name == 5 /* TCP_KEEPINTVL */ ||
			      name == 6 /* TCP_KEEPCNT */ || name == 7 /* TCP_SYNCNT */ ||
			      name == 8 /* TCP_LINGER2 */ || name == 10 /* TCP_WINDOW_CLAMP */ ||
			      name == 12 /* TCP_QUICKACK */ || name == 18 /* TCP_USER_TIMEOUT */ ||
			      name == 25 /* TCP_NOTSENT_LOWAT */);
}

/* One round trip of request h (magic set here) with its path bytes and, fd >= 0, that fd
 * passed along (SCM_RIGHTS): the reply in rp and data (PATH_MAX bytes), a passed fd in
 * *rxfd (or -1). Unlike the fs calls, a reply with an error may carry data and an fd (the
 * network ops). 0 with rp->err the gofer's answer, or -EIO. */
int gofer_client_call_raw(struct gofer_req *h, const void *path, int fd, struct gofer_reply *rp,
			  char *data, int *rxfd);

/* Ops that may act on a passed fd (on_fd). */
static inline int
gofer_op_on_fd(uint32_t op)
{
	return op == GOFER_OP_CHMOD || op == GOFER_OP_UTIMENS || op == GOFER_OP_FALLOCATE ||
	       (op >= GOFER_OP_GETXATTR && op <= GOFER_OP_REMOVEXATTR);
}

/* Ops that change the host (writable mounts only). */
static inline int
gofer_op_writes(uint32_t op)
{
	return op >= GOFER_OP_MKNOD && op <= GOFER_OP_UTIMENS;
}

/* Checks one raw request message of len bytes against every rule above (mount < nmounts).
 * 0 and *out filled, or -EINVAL. Pure function: no syscalls (the fuzz target). */
int gofer_parse_req(const void *buf, size_t len, uint32_t nmounts, struct gofer_parsed *out);

/* Puts fd into msg as its one SCM_RIGHTS message, in ctl (CMSG_SPACE(sizeof(int)) bytes
 * at least, aligned for a struct cmsghdr). */
static inline void
gofer_attach_fd(struct msghdr *msg, void *ctl, int fd)
{
	struct cmsghdr *c;

	memset(ctl, 0, CMSG_SPACE(sizeof(int)));
	msg->msg_control = ctl;
	msg->msg_controllen = CMSG_SPACE(sizeof(int));
	c = CMSG_FIRSTHDR(msg);
	c->cmsg_level = SOL_SOCKET;
	c->cmsg_type = SCM_RIGHTS;
	c->cmsg_len = CMSG_LEN(sizeof(int));
	memcpy(CMSG_DATA(c), &fd, sizeof(int));
}

/* Takes every fd out of the control data: the first into *fdp (if fdp), the rest closed. */
static inline void
gofer_take_fds(struct msghdr *msg, int *fdp)
{
	struct cmsghdr *c;

	for (c = CMSG_FIRSTHDR(msg); c; c = CMSG_NXTHDR(msg, c)) {
		size_t i, nfd;

		if (c->cmsg_level != SOL_SOCKET || c->cmsg_type != SCM_RIGHTS)
			continue;
		nfd = (c->cmsg_len - CMSG_LEN(0)) / sizeof(int);
		for (i = 0; i < nfd; i++) {
			int fd;

			memcpy(&fd, CMSG_DATA(c) + i * sizeof(int), sizeof(int));
			if (fdp && *fdp < 0)
				*fdp = fd;
			else
				close(fd);
		}
	}
}
