/*
 * The gofer process: forked by the CLI, it opens each mount root, locks itself down
 * (no_new_privs + its own seccomp allowlist) and then answers LSTAT / OPEN / READLINK
 * requests from the sentry, one SEQPACKET message each (wire format in fs/gofer_proto.h).
 * Every path is resolved with openat2(RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS |
 * RESOLVE_NO_MAGICLINKS) under the mount root: the sentry already resolved symlinks, so
 * the gofer refuses to follow any.
 *
 * With a network mode other than none (net/net.h) it also makes the host sockets of
 * network egress: it checks each destination against the policy the CLI gave it before it
 * forked (gofer_set_net_policy), and only then creates, connects and passes the socket; in
 * mode none it refuses every network request and its filter has no socket() at all.
 */
#include <dirent.h>
#include <fcntl.h>
#include <linux/openat2.h>
#include <netinet/in.h>
#include <signal.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <sys/wait.h>
#include <sys/xattr.h>
#include <unistd.h>

#include "fs/gofer.h"
#include "fs/gofer_proto.h"
#include "net/net.h"
#include "sentry/filters.h"
#include "sentry/util.h"

#define GOFER_RESOLVE (RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS | RESOLVE_NO_MAGICLINKS)
#define GOFER_MAX_RX_FDS 16

/* ---- request parsing (pure, fuzzed by tests/fuzz/fuzz_gofer.c) ---- */

static int
check_path(const char *p, size_t len)
{
	size_t i, start = 0;

	if (len == 0)
		return 0; /* the mount root itself */
	if (memchr(p, '\0', len))
		return -EINVAL;
	if (p[0] == '/')
		return -EINVAL;
	for (i = 0; i <= len; i++) {
		size_t clen;

		if (i < len && p[i] != '/')
			continue;
		clen = i - start;
		if (clen == 0)
			return -EINVAL; /* "//" or trailing '/' */
		if (clen == 2 && p[start] == '.' && p[start + 1] == '.')
			return -EINVAL;
		start = i + 1;
	}
	return 0;
}

/* Components of a path that passed check_path. */
static size_t
count_components(const char *p, size_t len)
{
	size_t n = len ? 1 : 0;

	for (size_t i = 0; i < len; i++)
		n += p[i] == '/';
	return n;
}

/* The last component of a non-empty path is not "." (a change needs a real name). */
static int
check_last(const char *p, size_t len)
{
	const char *slash = memrchr(p, '/', len);
	size_t start = slash ? (size_t)(slash - p) + 1 : 0;

	if (len == 0 || (len - start == 1 && p[start] == '.'))
		return -EINVAL;
	return 0;
}

/* A change of the object itself, not of a name in its directory: it may be the root's. */
static bool
acts_on_object(uint32_t op)
{
	return op == GOFER_OP_TRUNCATE || op == GOFER_OP_CHMOD || op == GOFER_OP_UTIMENS ||
	       op == GOFER_OP_FALLOCATE || op == GOFER_OP_SETXATTR || op == GOFER_OP_REMOVEXATTR;
}

static bool
nsec_ok(int64_t ns)
{
	return (ns >= 0 && ns < 1000000000) || ns == UTIME_NOW || ns == UTIME_OMIT;
}

/* A new object's owners (MKNOD, MKDIR, SYMLINK): arg[0] a uid, arg[1] a gid, each a host
 * id or -1 (as the gofer makes it); arg[2] and arg[3] 0. */
static bool
owner_ok(const struct gofer_req *h)
{
	return h->arg[0] >= -1 && h->arg[0] < UINT32_MAX && h->arg[1] >= -1 &&
	       h->arg[1] < UINT32_MAX && !h->arg[2] && !h->arg[3];
}

/* flags, mode and arg[] of one request, by op. */
static int
check_args(const struct gofer_req *h)
{
	uint32_t op = h->op, fl = h->flags, mode = h->mode;
	bool args_zero = !h->arg[0] && !h->arg[1] && !h->arg[2] && !h->arg[3];

	if (h->on_fd > 1 || (h->on_fd && (!gofer_op_on_fd(op) || h->path_len)))
		return -EINVAL;
	switch (op) {
	case GOFER_OP_OPEN:
		if ((fl & ~(uint32_t)GOFER_OPEN_FLAGS) || (fl & O_ACCMODE) == O_ACCMODE)
			return -EINVAL;
		return (mode & ~07777u) || !args_zero ? -EINVAL : 0;
	case GOFER_OP_MKNOD:
		if ((mode & S_IFMT) != S_IFREG && (mode & S_IFMT) != S_IFIFO &&
		    (mode & S_IFMT) != S_IFSOCK) /* a socket's name: nothing listens on the host */
			return -EINVAL;
		return fl || (mode & ~(S_IFMT | 07777u)) || !owner_ok(h) ? -EINVAL : 0;
	case GOFER_OP_MKDIR:
		return fl || (mode & ~07777u) || !owner_ok(h) ? -EINVAL : 0;
	case GOFER_OP_SYMLINK:
		return fl || mode || !owner_ok(h) ? -EINVAL : 0;
	case GOFER_OP_CHMOD:
		return fl || (mode & ~07777u) || !args_zero ? -EINVAL : 0;
	case GOFER_OP_UNLINK:
		return (fl & ~(uint32_t)AT_REMOVEDIR) || mode || !args_zero ? -EINVAL : 0;
	case GOFER_OP_RENAME:
		if (fl & ~(uint32_t)(RENAME_NOREPLACE | RENAME_EXCHANGE))
			return -EINVAL;
		if ((fl & RENAME_NOREPLACE) && (fl & RENAME_EXCHANGE))
			return -EINVAL;
		return mode || !args_zero ? -EINVAL : 0;
	case GOFER_OP_TRUNCATE:
		return fl || mode || h->arg[0] < 0 || h->arg[1] || h->arg[2] || h->arg[3] ?
		       -EINVAL : 0;
	case GOFER_OP_KCONFIG: /* arg[1]: a CPU, arg[2]: a cache index, where they count */
		return fl || mode || h->arg[0] < GOFER_HOST_CONFIG_GZ ||
		       h->arg[0] > GOFER_HOST_CPU_CACHE || h->arg[3] ||
		       (h->arg[0] < GOFER_HOST_CPU_TOPOLOGY ? h->arg[1] != 0
							    : h->arg[1] < 0 || h->arg[1] >= 8192) ||
		       (h->arg[0] < GOFER_HOST_CPU_CACHE ? h->arg[2] != 0
							 : h->arg[2] < 0 || h->arg[2] >= 32) ?
		       -EINVAL : 0;
	case GOFER_OP_TASK_STATE: /* arg[1]: 0 the thread's own figures, 1 its process's;
				   * arg[2]: GOFER_TS_* of the thread too */
		return fl || mode || h->arg[0] < 1 || h->arg[0] > INT32_MAX ||
		       (h->arg[1] != 0 && h->arg[1] != 1) ||
		       (h->arg[2] & ~(uint64_t)(GOFER_TS_SWITCHES | GOFER_TS_SCHED)) ||
		       h->arg[3] ? -EINVAL : 0;
	case GOFER_OP_TASK_MEM: /* arg[1]: any address */
		return fl || mode || h->arg[0] < 1 || h->arg[0] > INT32_MAX ||
		       h->arg[2] < GOFER_MEM_STATUS || h->arg[2] > GOFER_MEM_SMAPS || h->arg[3] ?
		       -EINVAL : 0;
	case GOFER_OP_FALLOCATE:
		return (fl & ~0x3bu) || mode || h->arg[0] < 0 || h->arg[1] <= 0 || h->arg[2] ||
		       h->arg[3] ? -EINVAL : 0;
	case GOFER_OP_GETXATTR:
		return fl || mode || h->arg[0] < 0 || h->arg[0] > 65536 || h->arg[1] || h->arg[2] ||
		       h->arg[3] ? -EINVAL : 0;
	case GOFER_OP_SETXATTR:
		return (fl & ~3u) || mode || h->arg[0] < 1 || h->arg[0] > 255 || h->arg[1] ||
		       h->arg[2] || h->arg[3] ? -EINVAL : 0;
	case GOFER_OP_UTIMENS:
		return fl || mode || !nsec_ok(h->arg[1]) || !nsec_ok(h->arg[3]) ? -EINVAL : 0;
	case GOFER_OP_WALK: /* arg[0] is checked against the path */
		return fl || mode || h->arg[0] < 0 || h->arg[1] < 1 ||
		       h->arg[1] > GOFER_WALK_MAX || h->arg[2] || h->arg[3] ? -EINVAL : 0;
	default: /* LSTAT, READLINK, LINK */
		return fl || mode || !args_zero ? -EINVAL : 0;
	}
}

/* path2: a second path (RENAME, LINK), a symlink target (SYMLINK), else nothing. */
/* An extended attribute's name the gofer acts on: user.* only. */
static int
check_xattr_name(const char *p, size_t len)
{
	if (len <= 5 || len > 255 || memcmp(p, "user.", 5) || memchr(p, '\0', len))
		return -EINVAL;
	return 0;
}

static int
check_path2(uint32_t op, const char *p, size_t len, int64_t arg0)
{
	switch (op) {
	case GOFER_OP_GETXATTR:
	case GOFER_OP_REMOVEXATTR:
		return check_xattr_name(p, len);
	case GOFER_OP_SETXATTR:
		return (size_t)arg0 > len ? -EINVAL : check_xattr_name(p, (size_t)arg0);
	case GOFER_OP_RENAME:
	case GOFER_OP_LINK:
		if (check_path(p, len) || check_last(p, len))
			return -EINVAL;
		return 0;
	case GOFER_OP_SYMLINK: /* (a target is at most PATH_MAX - 1 bytes, as Linux's) */
		return len == 0 || len > PATH_MAX - 1 || memchr(p, '\0', len) ? -EINVAL : 0;
	default:
		return len ? -EINVAL : 0;
	}
}

/* The network ops (their path is binary: an address or a DNS message). */
static int
parse_net(const struct gofer_req *h, const char *path, size_t len, struct gofer_parsed *out)
{
	bool linger = h->op == GOFER_OP_NET_SETSOCKOPT && h->flags == SOL_SOCKET &&
		      h->mode == SO_LINGER;
	bool args_zero = (linger || !h->arg[1]) && !h->arg[2] && !h->arg[3] &&
			 (h->op == GOFER_OP_NET_SETSOCKOPT || !h->arg[0]);
	sa_family_t fam = 0;

	if (h->mount || h->on_fd || h->path2_len || !args_zero || h->path_len != len)
		return -EINVAL;
	if (h->op == GOFER_OP_NET_SETSOCKOPT &&
	    (len || !gofer_net_sockopt_ok(h->flags, h->mode) || h->arg[0] < INT32_MIN ||
	     h->arg[0] > INT32_MAX || h->arg[1] < INT32_MIN || h->arg[1] > INT32_MAX))
		return -EINVAL;
	switch (h->op) {
	case GOFER_OP_NET_SOCKET:
		if (len >= sizeof(fam))
			memcpy(&fam, path, sizeof(fam));
		if (!((fam == AF_INET && len == sizeof(struct sockaddr_in)) ||
		      (fam == AF_INET6 && len == sizeof(struct sockaddr_in6))))
			return -EINVAL;
		if ((h->flags != SOCK_STREAM && h->flags != SOCK_DGRAM) || h->mode > 1 ||
		    (h->flags == SOCK_STREAM && h->mode != 1))
			return -EINVAL;
		break;
	case GOFER_OP_NET_SHUTDOWN:
		if (len || h->mode || h->flags > SHUT_RDWR)
			return -EINVAL;
		break;
	case GOFER_OP_NET_ACCEPT:
		if (len || h->mode || h->flags)
			return -EINVAL;
		break;
	case GOFER_OP_NET_SETSOCKOPT: /* (arg[0] was checked to be 0 above: see below) */
		break;
	default: /* NET_DNS */
		if (len < 1 || len > 512 || h->flags || h->mode)
			return -EINVAL;
		break;
	}
	memset(out, 0, offsetof(struct gofer_parsed, path));
	out->op = h->op;
	out->flags = h->flags;
	out->mode = h->mode;
	out->path_len = h->path_len;
	out->arg[0] = h->arg[0];
	out->arg[1] = h->arg[1]; /* (SO_LINGER's l_linger; 0 otherwise) */
	memcpy(out->path, path, len);
	out->path[len] = '\0';
	out->path2[0] = '\0';
	return 0;
}

int
gofer_parse_req(const void *buf, size_t len, uint32_t nmounts, struct gofer_parsed *out)
{
	struct gofer_req h;
	const char *path = (const char *)buf + sizeof(h), *path2;
	int err;

	if (!buf || len < sizeof(h))
		return -EINVAL;
	memcpy(&h, buf, sizeof(h));
	if (h.magic != GOFER_MAGIC)
		return -EINVAL;
	if (h.op < GOFER_OP_LSTAT || h.op > GOFER_OP_MAX)
		return -EINVAL;
	if (gofer_op_net(h.op))
		return parse_net(&h, path, len - sizeof(h), out);
	bool fixed = h.op == GOFER_OP_KCONFIG || h.op == GOFER_OP_TASK_STATE ||
		     h.op == GOFER_OP_TASK_MEM; /* no mount's */
	if (fixed ? h.mount != 0 : h.mount >= nmounts)
		return -EINVAL;
	if (h.path_len > GOFER_PATH_MAX - 1 || h.path2_len > GOFER_PATH_MAX - 1 ||
	    (size_t)h.path_len + h.path2_len != len - sizeof(h))
		return -EINVAL;
	path2 = path + h.path_len;
	err = check_args(&h);
	if (!err)
		err = check_path(path, h.path_len);
	if (!err && gofer_op_writes(h.op) && !h.on_fd && (h.path_len || !acts_on_object(h.op)))
		err = check_last(path, h.path_len); /* "": the mount root, which has no name */
	if (!err)
		err = check_path2(h.op, path2, h.path2_len, h.arg[0]);
	if (!err && fixed && h.path_len)
		err = -EINVAL;
	if (!err && h.op == GOFER_OP_WALK &&
	    (h.path_len == 0 || h.arg[0] > (int64_t)count_components(path, h.path_len) - 1))
		err = -EINVAL;
	if (err)
		return err;
	out->op = h.op;
	out->mount = h.mount;
	out->flags = h.flags;
	out->mode = h.mode;
	out->path_len = h.path_len;
	out->path2_len = h.path2_len;
	out->on_fd = h.on_fd;
	memcpy(out->arg, h.arg, sizeof(out->arg));
	memcpy(out->path, path, h.path_len);
	out->path[h.path_len] = '\0';
	memcpy(out->path2, path2, h.path2_len);
	out->path2[h.path2_len] = '\0';
	return 0;
}

/* ---- request handling (runs inside the gofer, under its seccomp filter) ---- */

struct gofer_state {
	int sock;
	uint32_t n;
	int *roots;          /* O_PATH fd of each mount root */
	char **root_paths;   /* the kernel's path of each root (for on_fd requests) */
	bool *writable;
};

static const struct net_policy *gofer_net_policy;
static pid_t sandbox_pid;       /* the sentry's host pid (gofer_set_sandbox_pid), 0: unknown */
static dev_t sandbox_ns_dev;    /* its pid namespace (child_setup) */
static ino_t sandbox_ns_ino;

void
gofer_set_sandbox_pid(pid_t pid)
{
	sandbox_pid = pid;
}

/* Reads a small /proc file of the gofer's (root) pid namespace into buf; its length or -1. */
static ssize_t
proc_read(const char *path, char *buf, size_t n)
{
	struct open_how how = { .flags = O_RDONLY | O_CLOEXEC,
				.resolve = RESOLVE_NO_SYMLINKS | RESOLVE_NO_MAGICLINKS };
	int fd = syscall(SYS_openat2, AT_FDCWD, path, &how, sizeof(how));

	if (fd < 0)
		return -1;
	ssize_t r = read(fd, buf, n - 1);
	close(fd);
	if (r >= 0)
		buf[r] = '\0';
	return r;
}

/* The pid namespace of host thread tid, as stat of its ns/pid link gives it: 0 / -1. */
static int
pidns_stat(long tid, struct stat *st)
{
	char p[64];

	snprintf(p, sizeof(p), "/proc/%ld/ns/pid", tid);
	return stat(p, st);
}

/* Is host thread tid in the sandbox's pid namespace? */
static bool
in_sandbox(long tid)
{
	struct stat st;

	return sandbox_ns_ino && pidns_stat(tid, &st) == 0 && st.st_dev == sandbox_ns_dev &&
	       st.st_ino == sandbox_ns_ino;
}

/* Host thread tid's tid in the sandbox's pid namespace (the last of its NSpid), or 0. */
static long
sandbox_tid(long tid)
{
	char p[64], buf[2048];

	snprintf(p, sizeof(p), "/proc/%ld/status", tid);
	if (proc_read(p, buf, sizeof(buf)) <= 0)
		return 0;
	const char *l = strstr(buf, "\nNSpid:");
	if (!l)
		return 0;
	const char *end = strchr(l + 1, '\n'), *last = NULL;
	for (const char *q = l + 7; q < (end ? end : buf + strlen(buf)); q++)
		if (*q != ' ' && *q != '\t' && (q[-1] == ' ' || q[-1] == '\t'))
			last = q;
	return last ? strtol(last, NULL, 10) : 0;
}

/*
 * The sentry names its stub threads by their tids in the sandbox's pid namespace; the
 * host's /proc here is the root namespace's. Every stub is a child of the sentry (its
 * children file), so the thread is found among their tasks. One search notes every thread
 * it sees in tids, by the sandbox's tid (a slot for each of TIDS_SLOTS numbers in a row:
 * the sandbox's tids are given in order, so the live ones seldom share a slot): with a
 * thousand processes, /proc/PID/stat of each would otherwise cost a search of all.
 */
#define TIDS_SLOTS 4096
static struct {
	long vtid, tid;
} tids[TIDS_SLOTS];

/* Notes every thread of host process pid in tids; the host tid of vtid if among them. */
static long
note_threads(long pid, long vtid)
{
	struct open_how how = { .flags = O_RDONLY | O_DIRECTORY | O_CLOEXEC,
				.resolve = RESOLVE_NO_SYMLINKS | RESOLVE_NO_MAGICLINKS };
	char p[64], d[4096];
	long n, found = 0;

	snprintf(p, sizeof(p), "/proc/%ld/task", pid);
	int dfd = syscall(SYS_openat2, AT_FDCWD, p, &how, sizeof(how));
	if (dfd < 0)
		return 0;
	while ((n = syscall(SYS_getdents64, dfd, d, sizeof(d))) > 0) {
		for (long off = 0; off < n;) {
			struct { uint64_t ino; int64_t off; unsigned short reclen;
				 unsigned char type; char name[]; } *e = (void *)(d + off);
			long tid = strtol(e->name, NULL, 10);
			off += e->reclen;
			long v = tid > 0 ? sandbox_tid(tid) : 0;
			if (v <= 0)
				continue;
			tids[v % TIDS_SLOTS].vtid = v;
			tids[v % TIDS_SLOTS].tid = tid;
			if (v == vtid)
				found = tid;
		}
	}
	close(dfd);
	return found;
}

static long
host_tid_of(long vtid)
{
	struct open_how how = { .flags = O_RDONLY | O_CLOEXEC,
				.resolve = RESOLVE_NO_SYMLINKS | RESOLVE_NO_MAGICLINKS };
	char p[96], buf[4096];
	long found = 0, pid = 0;
	ssize_t got;

	/* (the caller checks the namespace of what it gets) */
	if (vtid <= 0)
		return 0;
	if (tids[vtid % TIDS_SLOTS].vtid == vtid && sandbox_tid(tids[vtid % TIDS_SLOTS].tid) == vtid)
		return tids[vtid % TIDS_SLOTS].tid;
	/* the children's pids, each followed by a space; a read gives a page at most */
	snprintf(p, sizeof(p), "/proc/%d/task/%d/children", (int)sandbox_pid, (int)sandbox_pid);
	int fd = syscall(SYS_openat2, AT_FDCWD, p, &how, sizeof(how));
	if (fd < 0)
		return 0;
	while ((got = read(fd, buf, sizeof(buf))) > 0) {
		for (ssize_t i = 0; i < got; i++) {
			if (buf[i] >= '0' && buf[i] <= '9') {
				pid = pid < INT_MAX / 10 ? pid * 10 + (buf[i] - '0') : pid;
				continue;
			}
			/* (its threads, the leader among them) */
			long tid = pid ? note_threads(pid, vtid) : 0;
			found = found ? found : tid;
			pid = 0;
		}
	}
	close(fd);
	return found;
}

/* /proc/TID/name of the thread of the sandbox whose tid there is vtid into buf: its host tid
 * (checked to be the sandbox's before the read; the caller checks again after its use of
 * the text) or -errno. */
static long
sandbox_proc_read(long vtid, const char *name, char *buf, size_t n)
{
	char p[64];

	if (!sandbox_ns_ino)
		return -ENOSYS;
	long tid = host_tid_of(vtid);
	if (!tid || !in_sandbox(tid))
		return -ESRCH;
	/* NAME of the thread alone ("task/TID/..."), or of its process */
	if (!strncmp(name, "task/", 5))
		snprintf(p, sizeof(p), "/proc/%ld/task/%ld/%s", tid, tid, name + 5);
	else
		snprintf(p, sizeof(p), "/proc/%ld/%s", tid, name);
	if (proc_read(p, buf, n) <= 0)
		return -ESRCH;
	return tid;
}

/* The number of status line "name:\tN..." in text, 0 if it has none. */
static uint64_t
status_num(const char *text, const char *name)
{
	const char *l = strstr(text, name);

	return l && (l == text || l[-1] == '\n') ? strtoull(l + strlen(name), NULL, 10) : 0;
}

/* TASK_STATE: the state letter, CPU times, faults and CPU of a thread of the sandbox (named
 * by its tid there), from its own stat (arg[1] 0) or its process's (1), checked to be the
 * sandbox's before and after the read. */
static int
do_task_state(const struct gofer_parsed *rq, struct gofer_reply *rp, char *data)
{
	char buf[1024];
	struct gofer_task_stat ts = { 0 };
	long tid = sandbox_proc_read((long)rq->arg[0], rq->arg[1] ? "stat" : "task/stat", buf,
				    sizeof(buf));

	if (tid < 0)
		return (int)tid;
	char *f = strrchr(buf, ')');
	if (!f || f[1] != ' ' || !f[2] || !in_sandbox(tid))
		return -ESRCH;
	ts.state = f[2];
	/* fields from 3 (the state) on: 10 minflt, 12 majflt, 14 utime, 15 stime, 39 processor */
	f += 2;
	for (int k = 3; k <= 39 && f; k++) {
		unsigned long long v = strtoull(f, NULL, 10);
		if (k == 10)
			ts.minflt = v;
		else if (k == 12)
			ts.majflt = v;
		else if (k == 14)
			ts.utime = v;
		else if (k == 15)
			ts.stime = v;
		else if (k == 39)
			ts.processor = (int32_t)v;
		f = strchr(f, ' ');
		f = f ? f + 1 : NULL;
	}
	/* arg[2]: the context switch counts too, of the thread (its status) */
	if (rq->arg[2] & GOFER_TS_SWITCHES) {
		char st[4096]; /* (the counts are its last lines) */
		if (sandbox_proc_read((long)rq->arg[0], "task/status", st, sizeof(st)) != tid ||
		    !in_sandbox(tid))
			return -ESRCH;
		ts.nvcsw = status_num(st, "voluntary_ctxt_switches:");
		ts.nivcsw = status_num(st, "nonvoluntary_ctxt_switches:");
	}
	/* and its scheduler statistics: run time, run delay (ns), time slices */
	if (rq->arg[2] & GOFER_TS_SCHED) {
		char ss[128];
		unsigned long long v[3] = { 0 };
		if (sandbox_proc_read((long)rq->arg[0], "task/schedstat", ss, sizeof(ss)) != tid ||
		    !in_sandbox(tid) || sscanf(ss, "%llu %llu %llu", &v[0], &v[1], &v[2]) != 3)
			return -ESRCH;
		ts.run_ns = v[0];
		ts.delay_ns = v[1];
		ts.slices = v[2];
	}
	memcpy(data, &ts, sizeof(ts));
	rp->data_len = sizeof(ts);
	return 0;
}


/*
 * A read of a stub's smaps goes on over several TASK_MEM requests (a reply holds
 * GOFER_MEM_RANGES of its mappings): the file stays open here with what was read of it
 * and not sent, so a process with thousands of mappings costs one read of it, not one per
 * reply. A request that does not continue the last one starts afresh.
 */
static struct {
	long tid;
	int fd;
	uint64_t next;      /* the address a request that continues this read asks from */
	size_t have;        /* bytes of buf not parsed yet */
	char buf[8192];
} smaps_rd = { .fd = -1 };

static void
smaps_rd_close(void)
{
	if (smaps_rd.fd >= 0)
		close(smaps_rd.fd);
	smaps_rd.fd = -1;
	smaps_rd.have = 0;
}

/* One line of smaps: a mapping's first line starts a range (false, the line
 * left for the next reply, when the reply is full), a size line fills a figure of the
 * last one. */
static bool
smaps_line(const char *l, uint64_t from, struct gofer_mem *m, struct gofer_mem_range *r,
	   bool *in)
{
	static const char *const names[GM_N] = {
		[GM_RSS] = "Rss", [GM_PSS] = "Pss", [GM_PSS_DIRTY] = "Pss_Dirty",
		[GM_SHARED_CLEAN] = "Shared_Clean",
		[GM_SHARED_DIRTY] = "Shared_Dirty", [GM_PRIVATE_CLEAN] = "Private_Clean",
		[GM_PRIVATE_DIRTY] = "Private_Dirty", [GM_REFERENCED] = "Referenced",
		[GM_ANON] = "Anonymous", [GM_SWAP] = "Swap",
	};
	char *end;
	uint64_t start = strtoull(l, &end, 16);

	if (end != l && *end == '-') { /* "start-end perms ..." */
		uint64_t stop = strtoull(end + 1, NULL, 16);
		*in = false;
		if (stop <= from)
			return true;
		if (m->n == GOFER_MEM_RANGES)
			return false;
		r[m->n++] = (struct gofer_mem_range){ .start = start, .end = stop };
		*in = true;
		return true;
	}
	const char *colon = strchr(l, ':');
	if (!*in || !colon)
		return true;
	for (int i = 0; i < GM_N; i++)
		if ((size_t)(colon - l) == strlen(names[i]) && !strncmp(l, names[i], colon - l))
			r[m->n - 1].kb[i] = (uint32_t)strtoul(colon + 1, NULL, 10);
	return true;
}

/* The ranges of host process tid's smaps that end above from, as many as fit, into m and
 * r; m->more when the file has more. */
static int
smaps_ranges(long tid, uint64_t from, struct gofer_mem *m, struct gofer_mem_range *r)
{
	struct open_how how = { .flags = O_RDONLY | O_CLOEXEC,
				.resolve = RESOLVE_NO_SYMLINKS | RESOLVE_NO_MAGICLINKS };
	char p[64], *buf = smaps_rd.buf;
	ssize_t got = 1;
	bool room = true, in = false; /* (a reply starts at a mapping's first line) */

	if (!from || smaps_rd.fd < 0 || smaps_rd.tid != tid || smaps_rd.next != from) {
		smaps_rd_close();
		snprintf(p, sizeof(p), "/proc/%ld/smaps", tid);
		smaps_rd.fd = syscall(SYS_openat2, AT_FDCWD, p, &how, sizeof(how));
		if (smaps_rd.fd < 0)
			return -ESRCH;
		smaps_rd.tid = tid;
	}
	for (;;) {
		buf[smaps_rd.have] = '\0';
		char *l = buf, *nl;
		while ((nl = strchr(l, '\n'))) {
			*nl = '\0';
			room = smaps_line(l, from, m, r, &in);
			if (!room) {
				*nl = '\n'; /* (the next reply's first line) */
				break;
			}
			l = nl + 1;
		}
		smaps_rd.have = (size_t)(buf + smaps_rd.have - l);
		memmove(buf, l, smaps_rd.have);
		if (!room || got <= 0 || smaps_rd.have == sizeof(smaps_rd.buf) - 1)
			break; /* (a line longer than the buffer: not smaps) */
		got = read(smaps_rd.fd, buf + smaps_rd.have, sizeof(smaps_rd.buf) - 1 - smaps_rd.have);
		if (got > 0)
			smaps_rd.have += (size_t)got;
		else if (smaps_rd.have == 0)
			break;
	}
	m->more = !room;
	if (room || m->n == 0) {
		smaps_rd_close();
		return got < 0 ? -ESRCH : 0;
	}
	smaps_rd.next = r[m->n - 1].end;
	return 0;
}

/* TASK_MEM: the resident memory of the process of a thread of the sandbox, checked to be
 * the sandbox's before and after the reads. */
static int
do_task_mem(const struct gofer_parsed *rq, struct gofer_reply *rp, char *data)
{
	char buf[4096];
	struct gofer_mem m = { 0 };
	struct gofer_mem_range r[GOFER_MEM_RANGES];
	long tid = sandbox_proc_read((long)rq->arg[0], "status", buf, sizeof(buf));

	if (tid < 0)
		return (int)tid;
	m.hwm = status_num(buf, "VmHWM:");
	m.rss = status_num(buf, "VmRSS:");
	m.anon = status_num(buf, "RssAnon:");
	m.file = status_num(buf, "RssFile:");
	m.shmem = status_num(buf, "RssShmem:");
	m.stk = status_num(buf, "VmStk:");
	if (rq->arg[2] == GOFER_MEM_SMAPS && smaps_ranges(tid, (uint64_t)rq->arg[1], &m, r) < 0)
		return -ESRCH;
	if (!in_sandbox(tid)) {
		smaps_rd_close();
		return -ESRCH;
	}
	memcpy(data, &m, sizeof(m));
	memcpy(data + sizeof(m), r, m.n * sizeof(r[0]));
	rp->data_len = (uint32_t)(sizeof(m) + m.n * sizeof(r[0]));
	return 0;
}

void
gofer_set_net_policy(const struct net_policy *p)
{
	gofer_net_policy = p;
}

static int
net_mode_of(void)
{
	return gofer_net_policy ? gofer_net_policy->mode : NET_NONE;
}

/* NET_SOCKET: the policy first; then a non-blocking socket, connected if asked. Returns the
 * fd (rp->err: the connect's 0 or -EINPROGRESS) or -errno (-EPERM: the reason in data). */
static int
do_net_socket(const struct gofer_parsed *rq, struct gofer_reply *rp, char *data)
{
	const struct sockaddr *sa = (const void *)rq->path;
	struct sockaddr_storage local;
	socklen_t llen = sizeof(local);
	int fd, err, cerr = 0;

	err = net_policy_check(gofer_net_policy, (int)rq->flags, rq->mode == 1, sa, rq->path_len,
			       data, 256);
	if (err) {
		rp->data_len = (uint32_t)strnlen(data, 255);
		return err;
	}
	fd = socket(sa->sa_family, (int)rq->flags | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -errno;
	if (rq->mode == 1 && connect(fd, sa, rq->path_len) < 0) {
		cerr = -errno;
		if (cerr != -EINPROGRESS) {
			close(fd);
			return cerr;
		}
	}
	rp->err = cerr;
	memset(&local, 0, sizeof(local));
	if (getsockname(fd, (struct sockaddr *)&local, &llen) == 0 && llen <= sizeof(local)) {
		memcpy(data, &local, llen);
		rp->data_len = llen;
	}
	return fd;
}

/* NET_ACCEPT: a connection of listening socket fd, never waiting for one: the socket's
 * O_NONBLOCK is shared with whoever gave it (the host side may accept on it too), so it
 * is set for the accept alone. Returns the new socket or -errno. */
static int
do_net_accept(int fd, struct gofer_reply *rp, char *data)
{
	struct gofer_accept ga;
	socklen_t pl = sizeof(ga.peer), ll = sizeof(ga.local);
	int fl, nfd, err = 0;

	if (fd < 0)
		return -EBADF;
	fl = fcntl(fd, F_GETFL);
	if (fl < 0)
		return -errno;
	if (!(fl & O_NONBLOCK) && fcntl(fd, F_SETFL, fl | O_NONBLOCK) < 0)
		return -errno;
	memset(&ga, 0, sizeof(ga));
	nfd = accept4(fd, (struct sockaddr *)&ga.peer, &pl, SOCK_NONBLOCK | SOCK_CLOEXEC);
	if (nfd < 0)
		err = -errno;
	if (!(fl & O_NONBLOCK))
		fcntl(fd, F_SETFL, fl);
	if (nfd < 0)
		return err;
	if (getsockname(nfd, (struct sockaddr *)&ga.local, &ll) < 0)
		ll = 0;
	socklen_t cl = sizeof(ga.cred);
	ga.has_cred = ga.peer.ss_family == AF_UNIX || ga.local.ss_family == AF_UNIX ?
		      getsockopt(nfd, SOL_SOCKET, SO_PEERCRED, &ga.cred, &cl) == 0 : 0;
	ga.peerlen = MIN(pl, (socklen_t)sizeof(ga.peer));
	ga.locallen = MIN(ll, (socklen_t)sizeof(ga.local));
	memcpy(data, &ga, sizeof(ga));
	rp->data_len = sizeof(ga);
	return nfd;
}

/* The network ops: whatever the sentry asks, nothing in mode none. */
static int
handle_net(const struct gofer_parsed *rq, struct gofer_reply *rp, char *data, int rxfd)
{
	ssize_t n;

	/* (shutdown and the harmless options act on a socket the sentry has: in mode none
	 * too, for a host socket given to the guest as a std fd) */
	if (net_mode_of() == NET_NONE && rq->op != GOFER_OP_NET_SHUTDOWN &&
	    rq->op != GOFER_OP_NET_SETSOCKOPT && rq->op != GOFER_OP_NET_ACCEPT) {
		rp->data_len = (uint32_t)snprintf(data, 64, "network mode none");
		return -EPERM;
	}
	switch (rq->op) {
	case GOFER_OP_NET_SOCKET:
		return do_net_socket(rq, rp, data);
	case GOFER_OP_NET_SHUTDOWN:
		if (rxfd < 0)
			return -EBADF;
		return shutdown(rxfd, (int)rq->flags) < 0 ? -errno : 0;
	case GOFER_OP_NET_ACCEPT:
		return do_net_accept(rxfd, rp, data);
	case GOFER_OP_NET_SETSOCKOPT: {
		int v = (int)rq->arg[0];
		struct linger l = { (int)rq->arg[0], (int)rq->arg[1] };
		bool lg = rq->flags == SOL_SOCKET && rq->mode == SO_LINGER;

		if (rxfd < 0)
			return -EBADF;
		if (setsockopt(rxfd, (int)rq->flags, (int)rq->mode, lg ? (void *)&l : (void *)&v,
			       lg ? sizeof(l) : sizeof(v)) < 0)
			return -errno;
		return 0;
	}
	default:
		if (net_mode_of() != NET_ALLOW)
			return -EPERM;
		n = net_dns_answer(gofer_net_policy, (const unsigned char *)rq->path, rq->path_len,
				   (unsigned char *)data, 512);
		if (n < 0)
			return (int)n;
		rp->data_len = (uint32_t)n;
		return 0;
	}
}

/* The root of a file mount (a bind mount of one host file, whose root fd is that file):
 * opened again through its /proc/self/fd link (openat2 has no AT_EMPTY_PATH), which must
 * still be the root's file. */
static int
open_file_root(int root, uint64_t flags)
{
	struct open_how how = { .flags = (flags | O_CLOEXEC) & ~(uint64_t)O_NOFOLLOW };
	struct stat want, got;
	char link[64];
	long fd;

	if (flags & O_DIRECTORY)
		return -ENOTDIR;
	snprintf(link, sizeof(link), "/proc/self/fd/%d", root);
	fd = syscall(SYS_openat2, AT_FDCWD, link, &how, sizeof(how));
	if (fd < 0)
		return -errno;
	if (fstat(root, &want) < 0 || fstat((int)fd, &got) < 0 || want.st_dev != got.st_dev ||
	    want.st_ino != got.st_ino) {
		close((int)fd);
		return -EAGAIN;
	}
	return (int)fd;
}

static int
gopen(int root, const char *path, uint64_t flags, uint64_t mode)
{
	struct open_how how = {
		.flags = flags | O_CLOEXEC,
		.mode = mode,
		.resolve = GOFER_RESOLVE,
	};
	int dir = root, held = -1;
	long fd;

	/* A path longer than one openat2 takes: its leading directories are opened a piece
	 * at a time, each beneath the last (no piece has "..", none follows a symlink, so
	 * none leaves the root), as a program walks down through directory fds. */
	while (strlen(path) > PATH_MAX - 1) {
		static char piece[PATH_MAX];
		struct open_how dirhow = { .flags = O_PATH | O_DIRECTORY | O_CLOEXEC,
					   .resolve = GOFER_RESOLVE };
		const char *cut = memrchr(path, '/', PATH_MAX - 1);

		if (!cut) { /* (a component past NAME_MAX: the host says so) */
			fd = -ENAMETOOLONG;
			goto out;
		}
		memcpy(piece, path, (size_t)(cut - path));
		piece[cut - path] = '\0';
		fd = syscall(SYS_openat2, dir, piece, &dirhow, sizeof(dirhow));
		if (held >= 0)
			close(held);
		if (fd < 0)
			return -errno;
		dir = held = (int)fd;
		path = cut + 1;
	}
	/* openat2 has no AT_EMPTY_PATH; "." is the root (RESOLVE_BENEATH allows it). */
	fd = syscall(SYS_openat2, dir, path[0] ? path : ".", &how, sizeof(how));
	if (fd < 0 && errno == ENOTDIR && !path[0])
		fd = open_file_root(root, flags); /* "." of a file */
	else if (fd < 0)
		fd = -errno;
out:
	if (held >= 0)
		close(held);
	return (int)fd;
}

/* fstatat made by statx, so that the stat a reply carries has the object's birth time too
 * (gofer_st_set_btime) where the host filesystem keeps one: one call, as fstatat's. */
static int
gstatat(int dfd, const char *name, struct stat *st, int flags)
{
	struct statx sx;

	if (statx(dfd, name, flags | AT_STATX_SYNC_AS_STAT, STATX_BASIC_STATS | STATX_BTIME,
		  &sx) < 0)
		return -1;
	memset(st, 0, sizeof(*st));
	st->st_dev = makedev(sx.stx_dev_major, sx.stx_dev_minor);
	st->st_ino = sx.stx_ino;
	st->st_nlink = sx.stx_nlink;
	st->st_mode = sx.stx_mode;
	st->st_uid = sx.stx_uid;
	st->st_gid = sx.stx_gid;
	st->st_rdev = makedev(sx.stx_rdev_major, sx.stx_rdev_minor);
	st->st_size = (off_t)sx.stx_size;
	st->st_blksize = sx.stx_blksize;
	st->st_blocks = (blkcnt_t)sx.stx_blocks;
	st->st_atim = (struct timespec){ sx.stx_atime.tv_sec, sx.stx_atime.tv_nsec };
	st->st_mtim = (struct timespec){ sx.stx_mtime.tv_sec, sx.stx_mtime.tv_nsec };
	st->st_ctim = (struct timespec){ sx.stx_ctime.tv_sec, sx.stx_ctime.tv_nsec };
	if (sx.stx_mask & STATX_BTIME)
		gofer_st_set_btime(st, sx.stx_btime.tv_sec, sx.stx_btime.tv_nsec);
	return 0;
}

/* fstat(fd, st) as gstatat. */
static int
gfstat(int fd, struct stat *st)
{
	return gstatat(fd, "", st, AT_EMPTY_PATH | AT_SYMLINK_NOFOLLOW);
}

/* O_PATH|O_NOFOLLOW: a trailing symlink gives the link itself. Returns the fd. */
static int
open_path_stat(int root, const char *path, struct stat *st)
{
	int fd = gopen(root, path, O_PATH | O_NOFOLLOW, 0);

	if (fd < 0)
		return fd;
	if (gfstat(fd, st) < 0) {
		int err = -errno;
		close(fd);
		return err;
	}
	return fd;
}

static int
do_lstat(int root, const struct gofer_parsed *rq, struct gofer_reply *rp)
{
	int fd = open_path_stat(root, rq->path, &rp->st);

	if (fd < 0)
		return fd;
	close(fd);
	return 0;
}

static int
do_readlink(int root, const struct gofer_parsed *rq, struct gofer_reply *rp, char *data)
{
	_cleanup_close_ int fd = open_path_stat(root, rq->path, &rp->st);
	ssize_t len;

	if (fd < 0)
		return fd;
	if (!S_ISLNK(rp->st.st_mode))
		return -EINVAL; /* readlink(2) of a non-symlink */
	len = readlinkat(fd, "", data, PATH_MAX);
	if (len < 0)
		return -errno;
	rp->data_len = (uint32_t)len;
	return 0;
}

static int
do_statfs(int root, const struct gofer_parsed *rq, struct gofer_reply *rp, char *data)
{
	_cleanup_close_ int fd = open_path_stat(root, rq->path, &rp->st);
	struct statfs sf;

	if (fd < 0)
		return fd;
	if (fstatfs(fd, &sf) < 0)
		return -errno;
	memcpy(data, &sf, sizeof(sf));
	rp->data_len = sizeof(sf);
	return 0;
}

/* The object of an xattr request, opened for it (xattr calls need a real descriptor),
 * never following a symlink. Sets *other for what has no user.* attributes (anything but
 * regular files and directories): -1 then. */
static int
open_xattr(int root, const struct gofer_parsed *rq, struct gofer_reply *rp, bool *other)
{
	int fd = gopen(root, rq->path, O_RDONLY | O_NONBLOCK | O_NOCTTY | O_NOFOLLOW, 0);

	*other = false;
	if (fd == -ELOOP || fd == -ENXIO) {
		*other = true;
		return -1;
	}
	if (fd < 0)
		return fd;
	if (gfstat(fd, &rp->st) < 0) {
		int err = -errno;
		close(fd);
		return err;
	}
	if (!S_ISREG(rp->st.st_mode) && !S_ISDIR(rp->st.st_mode)) {
		close(fd);
		*other = true;
		return -1;
	}
	return fd;
}

/* The xattr op of rq on fd, a regular file or directory; rp->st its stat afterwards. */
static int
xattr_on(int fd, const struct gofer_parsed *rq, struct gofer_reply *rp, char *data)
{
	ssize_t r;

	switch (rq->op) {
	case GOFER_OP_GETXATTR:
		r = fgetxattr(fd, rq->path2, rq->arg[0] ? data : NULL,
			      rq->arg[0] ? MIN((size_t)rq->arg[0], (size_t)PATH_MAX) : 0);
		if (r < 0)
			return errno == ERANGE && rq->arg[0] > PATH_MAX ? -E2BIG : -errno;
		if (rq->arg[0])
			rp->data_len = (uint32_t)r;
		rp->st.st_size = r;
		return 0;
	case GOFER_OP_LISTXATTR: {
		static char all[65536];
		size_t used = 0;

		r = flistxattr(fd, all, sizeof(all));
		if (r < 0)
			return -errno;
		for (ssize_t i = 0; i < r; i += (ssize_t)strlen(all + i) + 1) {
			size_t n = strlen(all + i) + 1;
			if (strncmp(all + i, "user.", 5))
				continue;
			if (used + n > PATH_MAX)
				return -E2BIG;
			memcpy(data + used, all + i, n);
			used += n;
		}
		rp->data_len = (uint32_t)used;
		return 0;
	}
	case GOFER_OP_SETXATTR: {
		char name[256];

		memcpy(name, rq->path2, (size_t)rq->arg[0]);
		name[rq->arg[0]] = '\0';
		if (fsetxattr(fd, name, rq->path2 + rq->arg[0], rq->path2_len - (size_t)rq->arg[0],
			      (int)rq->flags) < 0)
			return -errno;
		break;
	}
	case GOFER_OP_REMOVEXATTR:
		if (fremovexattr(fd, rq->path2) < 0)
			return -errno;
		break;
	}
	return gfstat(fd, &rp->st) < 0 ? -errno : 0;
}

static int
do_xattr(int root, const struct gofer_parsed *rq, struct gofer_reply *rp, char *data)
{
	bool other;
	_cleanup_close_ int fd = open_xattr(root, rq, rp, &other);

	if (other) /* Linux xattr_permission: user.* of other objects */
		return rq->op == GOFER_OP_GETXATTR ? -ENODATA
		       : rq->op == GOFER_OP_LISTXATTR ? 0 : -EPERM;
	if (fd < 0)
		return fd;
	return xattr_on(fd, rq, rp, data);
}

/* lstat of each prefix of the path from component arg[0] on; see gofer_proto.h. */
static int
do_walk(int root, struct gofer_parsed *rq, struct gofer_reply *rp, char *data)
{
	size_t used = 0, comp = 0;
	int n = 0;

	for (size_t i = 0; i <= rq->path_len; i++) {
		struct gofer_walk_ent e = { 0 };
		int fd;

		if (i < rq->path_len && rq->path[i] != '/')
			continue;
		if ((int64_t)comp++ < rq->arg[0])
			continue;
		rq->path[i] = '\0'; /* the prefix up to this component */
		fd = open_path_stat(root, rq->path, &e.st);
		rq->path[i] = i < rq->path_len ? '/' : '\0';
		if (fd < 0) {
			memset(&e.st, 0, sizeof(e.st));
			e.err = fd;
		}
		memcpy(data + used, &e, sizeof(e));
		used += sizeof(e);
		n++;
		if (fd < 0)
			break;
		if (S_ISLNK(e.st.st_mode)) {
			ssize_t len = readlinkat(fd, "", data + used, PATH_MAX - used);
			if (len > 0 && (size_t)len < PATH_MAX - used)
				used += (size_t)len; /* else it may be cut: the sentry asks again */
		}
		close(fd);
		if (!S_ISDIR(e.st.st_mode) || n == rq->arg[1])
			break;
	}
	rp->data_len = (uint32_t)used;
	return 0;
}

static bool
same_object(const struct stat *a, const struct stat *b)
{
	return a->st_dev == b->st_dev && a->st_ino == b->st_ino &&
	       (a->st_mode & S_IFMT) == (b->st_mode & S_IFMT);
}

/* KCONFIG: the host's /proc/config.gz or /proc/cpuinfo (which), the fixed host paths outside
 * the mount roots. Only a regular file on the host's procfs counts (anything else: -ENOENT). */
static int
do_kconfig(int64_t which, struct gofer_reply *rp)
{
	struct open_how how = {
		.flags = O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_NOCTTY | O_CLOEXEC,
		.resolve = RESOLVE_NO_SYMLINKS | RESOLVE_NO_MAGICLINKS,
	};
	struct statfs sf;
	long fd;

	fd = syscall(SYS_openat2, AT_FDCWD,
		     which == GOFER_HOST_CPUINFO ? "/proc/cpuinfo" : "/proc/config.gz", &how,
		     sizeof(how));
	if (fd < 0)
		return -errno;
	if (fstat((int)fd, &rp->st) < 0 || fstatfs((int)fd, &sf) < 0 ||
	    !S_ISREG(rp->st.st_mode) || sf.f_type != 0x9fa0 /* PROC_SUPER_MAGIC */) {
		close((int)fd);
		return -ENOENT;
	}
	return (int)fd;
}

/* Opens name beneath dir (AT_FDCWD: an absolute path) read-only, no symlinks followed;
 * the fd if it is on a sysfs (and of type fmt), else -ENOENT. */
static int
open_sysfs(int dir, const char *name, mode_t fmt)
{
	struct open_how how = {
		.flags = O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_NOCTTY | O_CLOEXEC |
			 (fmt == S_IFDIR ? O_DIRECTORY : 0),
		.resolve = RESOLVE_NO_SYMLINKS | RESOLVE_NO_MAGICLINKS |
			   (dir == AT_FDCWD ? 0 : RESOLVE_BENEATH),
	};
	struct statfs sf;
	struct stat st;
	int fd = (int)syscall(SYS_openat2, dir, name, &how, sizeof(how));

	if (fd < 0)
		return -errno;
	if (fstat(fd, &st) < 0 || fstatfs(fd, &sf) < 0 || (st.st_mode & S_IFMT) != fmt ||
	    sf.f_type != 0x62656572 /* SYSFS_MAGIC */) {
		close(fd);
		return -ENOENT;
	}
	return fd;
}

/* An attribute name worth passing on: what Linux names them with. */
static bool
attr_name_ok(const char *s)
{
	if (!*s || strlen(s) > 64)
		return false;
	for (; *s; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') || *s == '_'))
			return false;
	return true;
}

/* "name mode text\n" for attribute name of dir appended at data + *used (PATH_MAX in all),
 * when it reads as one printable line and fits. */
static void
host_attr(int dir, const char *name, char *data, size_t *used)
{
	char text[256];
	struct stat st;
	int fd = open_sysfs(dir, name, S_IFREG);

	if (fd < 0)
		return;
	/* only what anyone on the host may read (not a CPU's serial number, ppin: 0400) */
	ssize_t r = fstat(fd, &st) < 0 || (st.st_mode & 0444) != 0444 ?
		    -1 : read(fd, text, sizeof(text) - 1);
	close(fd);
	if (r <= 0 || text[r - 1] != '\n')
		return;
	text[r - 1] = '\0';
	for (ssize_t i = 0; i < r - 1; i++)
		if (text[i] < ' ' || text[i] > '~')
			return;
	size_t need = strlen(name) + 6 + (size_t)r;
	if (*used + need >= PATH_MAX)
		return;
	*used += (size_t)snprintf(data + *used, PATH_MAX - *used, "%s %04o %s\n", name,
				  st.st_mode & 0777, text);
}

/* KCONFIG of a sysfs directory (GOFER_HOST_CPU_VULNS, GOFER_HOST_THP, GOFER_HOST_CPU_SMT,
 * and of CPU arg[1] GOFER_HOST_CPU_TOPOLOGY, GOFER_HOST_CPU_CACHE of index arg[2]): its
 * one-line attributes as data. */
static int
do_host_dir(const int64_t *arg, struct gofer_reply *rp, char *data)
{
	char path[96];

	switch (arg[0]) {
	case GOFER_HOST_CPU_VULNS:
		snprintf(path, sizeof(path), "/sys/devices/system/cpu/vulnerabilities");
		break;
	case GOFER_HOST_THP:
		snprintf(path, sizeof(path), "/sys/kernel/mm/transparent_hugepage");
		break;
	case GOFER_HOST_CPU_SMT:
		snprintf(path, sizeof(path), "/sys/devices/system/cpu/smt");
		break;
	case GOFER_HOST_CPU_TOPOLOGY:
		snprintf(path, sizeof(path), "/sys/devices/system/cpu/cpu%d/topology", (int)arg[1]);
		break;
	default:
		snprintf(path, sizeof(path), "/sys/devices/system/cpu/cpu%d/cache/index%d",
			 (int)arg[1], (int)arg[2]);
		break;
	}
	int dfd = open_sysfs(AT_FDCWD, path, S_IFDIR);
	size_t used = 0;
	char d[4096];
	long n;

	if (dfd < 0)
		return dfd;
	while ((n = syscall(SYS_getdents64, dfd, d, sizeof(d))) > 0) {
		for (long off = 0; off < n;) {
			struct { uint64_t ino; int64_t off; unsigned short reclen;
				 unsigned char type; char name[]; } *e = (void *)(d + off);
			off += e->reclen;
			if (e->type == DT_REG && attr_name_ok(e->name))
				host_attr(dfd, e->name, data, &used);
		}
	}
	close(dfd);
	rp->data_len = (uint32_t)used;
	return 0;
}

/* Returns the new fd or -errno; rp->st is the stat of what was opened. */
static int
do_open(int root, bool writable, const struct gofer_parsed *rq, struct gofer_reply *rp)
{
	uint32_t fl = rq->flags;
	bool tmpfile = fl & GOFER_O_TMPFILE_BIT;
	bool creating = false;
	struct stat pre;
	int fd, ok;

	if (!writable && (fl & GOFER_WRITE_FLAGS))
		return -EROFS;
	fd = open_path_stat(root, rq->path, &pre);
	if (fd == -ENOENT && (fl & O_CREAT) && !tmpfile) {
		creating = true;
	} else if (fd < 0) {
		return fd;
	} else {
		close(fd);
		if (S_ISLNK(pre.st_mode))
			return -ELOOP;
		if (!S_ISREG(pre.st_mode) && !S_ISDIR(pre.st_mode))
			return -EACCES;
	}
	fd = gopen(root, rq->path, fl | O_NOCTTY | O_NONBLOCK | O_NOFOLLOW,
		   (fl & (O_CREAT | GOFER_O_TMPFILE_BIT)) ? rq->mode : 0);
	if (fd < 0)
		return fd;
	if (gfstat(fd, &rp->st) < 0) {
		int err = -errno;
		close(fd);
		return err;
	}
	if (tmpfile)
		ok = S_ISREG(rp->st.st_mode) && rp->st.st_dev == pre.st_dev;
	else if (creating)
		ok = S_ISREG(rp->st.st_mode);
	else
		ok = same_object(&pre, &rp->st);
	if (!ok) {
		close(fd);
		return -EAGAIN; /* the host file changed under us */
	}
	return fd;
}
/* ---- changes on writable mounts ---- */

/* Opens the directory holding path's last component (beneath the root, no symlinks);
 * *name is that component. Returns the O_PATH fd or -errno. */
static int
open_parent(int root, const char *path, const char **name)
{
	const char *slash = strrchr(path, '/');
	static char dir[GOFER_PATH_MAX]; /* (used at once: gopen copies what it keeps) */

	if (!slash) {
		*name = path;
		return gopen(root, "", O_PATH | O_DIRECTORY, 0);
	}
	memcpy(dir, path, slash - path);
	dir[slash - path] = '\0';
	*name = slash + 1;
	return gopen(root, dir, O_PATH | O_DIRECTORY, 0);
}

static int
stat_at(int dfd, const char *name, struct gofer_reply *rp)
{
	return gstatat(dfd, name, &rp->st, AT_SYMLINK_NOFOLLOW) < 0 ? -errno : 0;
}

/* chmod of exactly the object fd refers to (never a symlink's target). */
static int
chmod_fd(int fd, mode_t mode)
{
	char proc[64];

	if (syscall(GOFER_SYS_fchmodat2, fd, "", mode, AT_EMPTY_PATH) == 0)
		return 0;
	if (errno != ENOSYS)
		return -errno;
	snprintf(proc, sizeof(proc), "/proc/self/fd/%d", fd); /* kernels before 6.6 */
	return fchmodat(AT_FDCWD, proc, mode, 0) < 0 ? -errno : 0;
}

/* TRUNCATE, CHMOD: act on the object itself, opened beneath the root. */
static int
do_on_file(int root, const struct gofer_parsed *rq, struct gofer_reply *rp)
{
	_cleanup_close_ int fd = -1;
	int err;

	if (rq->op == GOFER_OP_TRUNCATE || rq->op == GOFER_OP_FALLOCATE) {
		fd = gopen(root, rq->path, O_WRONLY | O_NOFOLLOW | O_NONBLOCK | O_NOCTTY, 0);
		if (fd < 0)
			return fd;
		if (gfstat(fd, &rp->st) < 0)
			return -errno;
		if (!S_ISREG(rp->st.st_mode))
			return rq->op == GOFER_OP_TRUNCATE ? -EINVAL : -ENODEV;
		if (rq->op == GOFER_OP_TRUNCATE && ftruncate(fd, rq->arg[0]) < 0)
			return -errno;
		if (rq->op == GOFER_OP_FALLOCATE &&
		    fallocate(fd, (int)rq->flags, rq->arg[0], rq->arg[1]) < 0)
			return -errno;
	} else {
		fd = open_path_stat(root, rq->path, &rp->st);
		if (fd < 0)
			return fd;
		if (S_ISLNK(rp->st.st_mode))
			return -EOPNOTSUPP;
		err = chmod_fd(fd, rq->mode);
		if (err)
			return err;
	}
	return gfstat(fd, &rp->st) < 0 ? -errno : 0;
}

/* The kernel's path of fd (as /proc/self/fd shows it, less a " (deleted)" suffix) lies
 * beneath the mount's root: an fd the gofer gave for a file there. A sentry that passes
 * another of its fds (its stdio, say) gets -EPERM. */
static int
fd_beneath(const struct gofer_state *gs, uint32_t mount, int fd)
{
	static const char gone[] = " (deleted)";
	const char *root = gs->root_paths[mount];
	char link[64], path[PATH_MAX + sizeof(gone)];
	size_t rl = strlen(root);
	ssize_t n;

	snprintf(link, sizeof(link), "/proc/self/fd/%d", fd);
	n = readlinkat(AT_FDCWD, link, path, sizeof(path) - 1);
	if (n < 0)
		return -errno;
	path[n] = '\0';
	if ((size_t)n > sizeof(gone) - 1 && !strcmp(path + n - (sizeof(gone) - 1), gone))
		path[n - (sizeof(gone) - 1)] = '\0';
	if (path[0] != '/' || rl == 0)
		return -EPERM; /* a pipe, socket or anonymous file; a root /proc did not name */
	if (rl == 1 || (!strncmp(path, root, rl) && (path[rl] == '/' || !path[rl])))
		return 0;
	return -EPERM;
}

/* on_fd: rq's op on the object of the passed fd (see gofer_proto.h). */
static int
do_on_fd(const struct gofer_state *gs, const struct gofer_parsed *rq,
	 struct gofer_reply *rp, char *data, int fd)
{
	bool changes = rq->op != GOFER_OP_GETXATTR && rq->op != GOFER_OP_LISTXATTR;
	struct timespec ts[2];
	int err;

	if (fd < 0)
		return -EBADF;
	if (changes && !gs->writable[rq->mount])
		return -EROFS;
	if (gfstat(fd, &rp->st) < 0)
		return -errno;
	if (!S_ISREG(rp->st.st_mode) && !S_ISDIR(rp->st.st_mode))
		return -EPERM; /* the gofer gives fds of nothing else */
	err = fd_beneath(gs, rq->mount, fd);
	if (err)
		return err;
	switch (rq->op) {
	case GOFER_OP_CHMOD:
		err = chmod_fd(fd, rq->mode);
		break;
	case GOFER_OP_UTIMENS:
		ts[0] = (struct timespec){ rq->arg[0], rq->arg[1] };
		ts[1] = (struct timespec){ rq->arg[2], rq->arg[3] };
		err = futimens(fd, ts) < 0 ? -errno : 0;
		break;
	case GOFER_OP_FALLOCATE: /* (the kernel checks the fd was opened for writing) */
		if (!S_ISREG(rp->st.st_mode))
			return -ENODEV;
		err = fallocate(fd, (int)rq->flags, rq->arg[0], rq->arg[1]) < 0 ? -errno : 0;
		break;
	default:
		return xattr_on(fd, rq, rp, data);
	}
	if (err)
		return err;
	return gfstat(fd, &rp->st) < 0 ? -errno : 0;
}

/* UTIMENS of the mount root itself (no parent to name it in), directory or file. */
static int
utimens_root(int root, const struct gofer_parsed *rq, struct gofer_reply *rp)
{
	struct timespec ts[2] = { { rq->arg[0], rq->arg[1] }, { rq->arg[2], rq->arg[3] } };
	_cleanup_close_ int fd = gopen(root, "", O_PATH, 0);
	char link[64];

	if (fd < 0)
		return fd;
	snprintf(link, sizeof(link), "/proc/self/fd/%d", fd);
	if (utimensat(AT_FDCWD, link, ts, 0) < 0)
		return -errno;
	return gfstat(fd, &rp->st) < 0 ? -errno : 0;
}

/* A new object (MKNOD, MKDIR, SYMLINK) gets the owners the sentry asks for, the guest's
 * fsuid and fsgid (or its directory's group) as Linux gives them, when they differ from the
 * host's choice and the host lets the gofer chown (it runs as root). Else it keeps the host
 * user's: a refusal is no error, the reply's stat says who owns it. */
static int
give_owners(int dfd, const char *name, const struct gofer_parsed *rq, struct gofer_reply *rp)
{
	uid_t uid = rq->arg[0] < 0 || rq->arg[0] == rp->st.st_uid ? (uid_t)-1 : (uid_t)rq->arg[0];
	gid_t gid = rq->arg[1] < 0 || rq->arg[1] == rp->st.st_gid ? (gid_t)-1 : (gid_t)rq->arg[1];
	mode_t keep = rq->mode & (S_ISUID | S_ISGID);
	int r;

	if (uid == (uid_t)-1 && gid == (gid_t)-1)
		return 0;
	if (fchownat(dfd, name, uid, gid, AT_SYMLINK_NOFOLLOW) < 0)
		return 0;
	r = stat_at(dfd, name, rp);
	/* chown took set-user-ID and set-group-ID off the new file: it keeps the mode asked */
	if (r || !S_ISREG(rp->st.st_mode) || (rp->st.st_mode & keep) == keep ||
	    syscall(GOFER_SYS_fchmodat2, dfd, name, rq->mode & 07777, AT_SYMLINK_NOFOLLOW) < 0)
		return r;
	return stat_at(dfd, name, rp);
}

static long
create(int dfd, const char *name, const struct gofer_parsed *rq)
{
	if (rq->op == GOFER_OP_MKDIR)
		return mkdirat(dfd, name, rq->mode);
	if (rq->op == GOFER_OP_SYMLINK)
		return symlinkat(rq->path2, dfd, name);
	return mknodat(dfd, name, rq->mode, 0);
}

/* A new object made as the owners asked (the host's fsuid and fsgid, where the gofer runs as
 * root) is stamped once, so its change time is its birth time as on Linux; a chown after
 * it (give_owners) would move ctime past btime and mtime. Where the host refuses the
 * creation as that user (the guest may write there through a group the gofer lacks), it is
 * made as the gofer's own user, and give_owners chowns it. */
static long
create_as_owner(int dfd, const char *name, const struct gofer_parsed *rq)
{
	uid_t uid = (uid_t)syscall(SYS_setfsuid, -1), old_uid = uid;
	gid_t gid = (gid_t)syscall(SYS_setfsgid, -1), old_gid = gid;
	long r;
	int e;

	if (rq->arg[0] >= 0)
		uid = (uid_t)rq->arg[0];
	if (rq->arg[1] >= 0)
		gid = (gid_t)rq->arg[1];
	if (uid == old_uid && gid == old_gid)
		return create(dfd, name, rq);
	/* (each returns the old id whether or not it took: the stat after says who owns it) */
	syscall(SYS_setfsgid, gid);
	syscall(SYS_setfsuid, uid);
	r = create(dfd, name, rq);
	e = errno;
	syscall(SYS_setfsuid, old_uid);
	syscall(SYS_setfsgid, old_gid);
	if (r < 0 && (e == EACCES || e == EPERM))
		return create(dfd, name, rq);
	errno = e;
	return r;
}

static int
do_change(int root, const struct gofer_parsed *rq, struct gofer_reply *rp)
{
	_cleanup_close_ int dfd = -1, dfd2 = -1;
	const char *name, *name2;
	struct timespec ts[2];
	long r;

	if (rq->op == GOFER_OP_TRUNCATE || rq->op == GOFER_OP_CHMOD ||
	    rq->op == GOFER_OP_FALLOCATE)
		return do_on_file(root, rq, rp);
	if (rq->op == GOFER_OP_SETXATTR || rq->op == GOFER_OP_REMOVEXATTR)
		return do_xattr(root, rq, rp, NULL);
	if (rq->op == GOFER_OP_UTIMENS && !rq->path[0])
		return utimens_root(root, rq, rp);
	dfd = open_parent(root, rq->path, &name);
	if (dfd < 0)
		return dfd;
	switch (rq->op) {
	case GOFER_OP_MKNOD:
	case GOFER_OP_MKDIR:
	case GOFER_OP_SYMLINK:
		r = create_as_owner(dfd, name, rq);
		break;
	case GOFER_OP_UNLINK:
		return unlinkat(dfd, name, rq->flags) < 0 ? -errno : 0;
	case GOFER_OP_RENAME:
	case GOFER_OP_LINK:
		dfd2 = open_parent(root, rq->path2, &name2);
		if (dfd2 < 0)
			return dfd2;
		if (rq->op == GOFER_OP_LINK) {
			if (linkat(dfd, name, dfd2, name2, 0) < 0)
				return -errno;
			return stat_at(dfd2, name2, rp);
		}
		r = syscall(SYS_renameat2, dfd, name, dfd2, name2, rq->flags);
		return r < 0 ? -errno : 0;
	case GOFER_OP_UTIMENS:
		ts[0] = (struct timespec){ rq->arg[0], rq->arg[1] };
		ts[1] = (struct timespec){ rq->arg[2], rq->arg[3] };
		/* an existing object: its owners stay (arg[] holds the times, not owners) */
		if (utimensat(dfd, name, ts, AT_SYMLINK_NOFOLLOW) < 0)
			return -errno;
		return stat_at(dfd, name, rp);
	default:
		return -EINVAL;
	}
	if (r < 0)
		return -errno;
	r = stat_at(dfd, name, rp);
	return r ? r : give_owners(dfd, name, rq, rp);
}

/* Sends one reply (+ fd if fd >= 0). Returns 0 or -errno. */
static int
send_reply(int sock, const struct gofer_reply *rp, const char *data, int fd)
{
	union {
		char buf[CMSG_SPACE(sizeof(int))];
		struct cmsghdr align;
	} u;
	struct iovec iov[2] = {
		{ .iov_base = (void *)rp, .iov_len = sizeof(*rp) },
		{ .iov_base = (void *)data, .iov_len = rp->data_len },
	};
	struct msghdr msg = { .msg_iov = iov, .msg_iovlen = rp->data_len ? 2 : 1 };
	ssize_t r;

	if (fd >= 0)
		gofer_attach_fd(&msg, u.buf, fd);
	do
		r = sendmsg(sock, &msg, MSG_NOSIGNAL);
	while (r < 0 && errno == EINTR);
	return r < 0 ? -errno : 0;
}

static void
handle(struct gofer_state *gs, const char *buf, ssize_t len, bool trunc, int rxfd)
{
	static struct gofer_parsed rq;
	static char data[PATH_MAX];
	struct gofer_reply rp;
	int fd = -1, err;

	memset(&rp, 0, sizeof(rp));
	err = trunc ? -EINVAL : gofer_parse_req(buf, (size_t)len, gs->n, &rq);
	if (err == 0 && gofer_op_net(rq.op)) {
		err = handle_net(&rq, &rp, data, rxfd);
		if (err >= 0 && (rq.op == GOFER_OP_NET_SOCKET || rq.op == GOFER_OP_NET_ACCEPT)) {
			fd = err;
			err = 0;
		} else if (err < 0 && rp.data_len) { /* a refusal and its reason */
			rp.err = err;
			err = 0;
		}
	} else if (err == 0 && rq.on_fd) {
		err = do_on_fd(gs, &rq, &rp, data, rxfd);
	} else if (err == 0) {
		int root = gs->roots[rq.mount];

		switch (rq.op) {
		case GOFER_OP_LSTAT:
			err = do_lstat(root, &rq, &rp);
			break;
		case GOFER_OP_READLINK:
			err = do_readlink(root, &rq, &rp, data);
			break;
		case GOFER_OP_WALK:
			err = do_walk(root, &rq, &rp, data);
			break;
		case GOFER_OP_STATFS:
			err = do_statfs(root, &rq, &rp, data);
			break;
		case GOFER_OP_GETXATTR:
		case GOFER_OP_LISTXATTR:
			err = do_xattr(root, &rq, &rp, data);
			break;
		case GOFER_OP_KCONFIG:
			if (rq.arg[0] >= GOFER_HOST_CPU_VULNS) {
				err = do_host_dir(rq.arg, &rp, data);
				break;
			}
			fd = do_kconfig(rq.arg[0], &rp);
			err = fd < 0 ? fd : 0;
			break;
		case GOFER_OP_TASK_STATE:
			err = do_task_state(&rq, &rp, data);
			break;
		case GOFER_OP_TASK_MEM:
			err = do_task_mem(&rq, &rp, data);
			break;
		case GOFER_OP_OPEN:
			fd = do_open(root, gs->writable[rq.mount], &rq, &rp);
			err = fd < 0 ? fd : 0;
			break;
		default:
			err = gs->writable[rq.mount] ? do_change(root, &rq, &rp) : -EROFS;
			break;
		}
	}
	if (err) {
		memset(&rp, 0, sizeof(rp));
		rp.err = err;
	}
	err = send_reply(gs->sock, &rp, data, fd);
	if (fd >= 0)
		close(fd);
	if (err == -EPIPE || err == -ECONNRESET || err == -ENOTCONN)
		_exit(0);
}

static void __attribute__((noreturn))
serve(struct gofer_state *gs)
{
	static char buf[GOFER_MAX_REQ + 1];
	union {
		char b[CMSG_SPACE(GOFER_MAX_RX_FDS * sizeof(int))];
		struct cmsghdr align;
	} ctl;

	for (;;) {
		struct iovec iov = { .iov_base = buf, .iov_len = sizeof(buf) };
		struct msghdr msg = {
			.msg_iov = &iov, .msg_iovlen = 1,
			.msg_control = ctl.b, .msg_controllen = sizeof(ctl.b),
		};
		ssize_t r = recvmsg(gs->sock, &msg, MSG_CMSG_CLOEXEC);

		if (r < 0) {
			if (errno == EINTR)
				continue;
			_exit(errno == ECONNRESET ? 0 : 1);
		}
		int rxfd = -1;

		gofer_take_fds(&msg, &rxfd); /* one fd, for NET_SHUTDOWN only; others closed */
		if (r == 0)
			_exit(0); /* the sentry is gone */
		handle(gs, buf, r, msg.msg_flags & (MSG_TRUNC | MSG_CTRUNC), rxfd);
		if (rxfd >= 0)
			close(rxfd);
	}
}

/* ---- process setup ---- */

/* Keeps only stderr and the socket, moved to GOFER_SOCK_FD (which the filter names).
 * Returns GOFER_SOCK_FD or -errno. */
static int
close_other_fds(int sock)
{
	if (sock != GOFER_SOCK_FD) {
		if (dup3(sock, GOFER_SOCK_FD, O_CLOEXEC) < 0)
			return -errno;
		close(sock); /* if it was fd 2, the gofer runs without stderr */
	}
	close(STDIN_FILENO);
	close(STDOUT_FILENO);
	if (close_range(GOFER_SOCK_FD + 1, ~0U, 0) < 0)
		return -errno;
	return GOFER_SOCK_FD;
}

/* The kernel's path of a root (symlinks resolved, as fd_beneath compares); a root
 * /proc cannot name gets "" (-EPERM for its on_fd requests). NULL: no memory. */
static char *
root_path(int fd)
{
	char link[64], path[PATH_MAX];
	ssize_t n;

	snprintf(link, sizeof(link), "/proc/self/fd/%d", fd);
	n = readlinkat(AT_FDCWD, link, path, sizeof(path) - 1);
	path[n > 0 && path[0] == '/' ? n : 0] = '\0';
	return strdup(path);
}

static int
child_setup(struct gofer_state *gs, const struct gofer_mount *mounts, int n)
{
	uint32_t i;
	int err;

	gs->roots = calloc(n ? n : 1, sizeof(int));
	gs->root_paths = calloc(n ? n : 1, sizeof(char *));
	gs->writable = calloc(n ? n : 1, sizeof(bool));
	if (!gs->roots || !gs->root_paths || !gs->writable)
		return -ENOMEM;
	for (i = 0; i < (uint32_t)n; i++) {
		struct stat rst;

		/* a directory, or one file (a file mount) */
		gs->roots[i] = open(mounts[i].host_path, O_PATH | O_CLOEXEC);
		if (gs->roots[i] < 0)
			return -errno;
		if (fstat(gs->roots[i], &rst) < 0)
			return -errno;
		if (!S_ISDIR(rst.st_mode) && !S_ISREG(rst.st_mode))
			return -ENOTDIR;
		gs->root_paths[i] = root_path(gs->roots[i]);
		if (!gs->root_paths[i])
			return -ENOMEM;
		gs->writable[i] = mounts[i].writable;
	}
	gs->n = (uint32_t)n;
	struct stat st;
	if (sandbox_pid > 0 && pidns_stat(sandbox_pid, &st) == 0) {
		sandbox_ns_dev = st.st_dev;
		sandbox_ns_ino = st.st_ino;
	}
	umask(0); /* the sentry applies the guest's umask before asking */
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0)
		return -errno;
	/* the allowlist of fs/gofer_rules.c, built into the binary (it names GOFER_SOCK_FD) */
	err = prebuilt_filter_load(net_mode_of() == NET_NONE ? &gofer_filter : &gofer_net_filter);
	return err < 0 ? err : 0;
}

static void __attribute__((noreturn))
child_main(int sock, pid_t parent, const struct gofer_mount *mounts, int n)
{
	struct gofer_state gs = { .sock = -1 };
	struct gofer_reply hello = { 0 };

	if (prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0) < 0 || getppid() != parent)
		_exit(1);
	prctl(PR_SET_NAME, "sandbox-gofer", 0, 0, 0);
	/* Signals for the run are the CLI's to relay (`timeout` signals its whole process
	 * group): the gofer serves until the CLI ends it or dies. */
	sig_ignore_relayed();
	gs.sock = close_other_fds(sock);
	if (gs.sock < 0)
		_exit(1);
	hello.err = child_setup(&gs, mounts, n);
	if (send_reply(gs.sock, &hello, NULL, -1) < 0 || hello.err)
		_exit(1);
	serve(&gs);
}

/* Reads the gofer's startup status. 0 or -errno. */
static int
wait_hello(int sock)
{
	struct gofer_reply hello;
	ssize_t r;

	do
		r = recv(sock, &hello, sizeof(hello), 0);
	while (r < 0 && errno == EINTR);
	if (r < 0)
		return -errno;
	if (r != (ssize_t)sizeof(hello) || hello.err > 0)
		return -EIO; /* died during setup (e.g. killed by its own filter) */
	return hello.err;
}

int
gofer_start(const struct gofer_mount *mounts, int n, int *sock, pid_t *pid)
{
	int sv[2], err, i;
	pid_t parent = getpid(), child;

	if (n < 0 || n > GOFER_MAX_MOUNTS || (n > 0 && !mounts) || !sock || !pid)
		return -EINVAL;
	for (i = 0; i < n; i++)
		if (!mounts[i].host_path || mounts[i].host_path[0] != '/')
			return -EINVAL;
	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv) < 0)
		return -errno;
	child = fork();
	if (child < 0) {
		err = -errno;
		close(sv[0]);
		close(sv[1]);
		return err;
	}
	if (child == 0) {
		close(sv[0]);
		child_main(sv[1], parent, mounts, n);
	}
	close(sv[1]);
	err = wait_hello(sv[0]);
	if (err) {
		close(sv[0]);
		while (waitpid(child, NULL, 0) < 0 && errno == EINTR)
			;
		return err;
	}
	*sock = sv[0];
	*pid = child;
	return 0;
}
