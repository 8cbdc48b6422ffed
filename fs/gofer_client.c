/*
 * Sentry side of the gofer protocol (fs/gofer_proto.h): one synchronous request/reply
 * per call on the socket handed to gofer_client_init(). Any transport trouble or a reply
 * that does not follow the protocol gives -EIO.
 */
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/statfs.h>

#include "fs/gofer.h"

#include "fs/gofer_proto.h"
#include "sentry/util.h"

#define GOFER_CLIENT_RX_FDS 4

static int gofer_sock = -1;
static int next_fd = -1; /* gofer_by_fd: the host fd the next request acts on */

void
gofer_client_init(int sock)
{
	gofer_sock = sock;
}

static int
send_req(const struct gofer_req *h, const char *path, const char *path2, int fd)
{
	union {
		char b[CMSG_SPACE(sizeof(int))];
		struct cmsghdr align;
	} ctl;
	struct iovec iov[3] = {
		{ .iov_base = (void *)h, .iov_len = sizeof(*h) },
		{ .iov_base = (void *)path, .iov_len = h->path_len },
		{ .iov_base = (void *)path2, .iov_len = h->path2_len },
	};
	struct msghdr msg = { .msg_iov = iov, .msg_iovlen = 3 };
	ssize_t r;

	if (fd >= 0)
		gofer_attach_fd(&msg, ctl.b, fd);
	do
		r = sendmsg(gofer_sock, &msg, MSG_NOSIGNAL);
	while (r < 0 && errno == EINTR);
	return r < 0 ? -EIO : 0;
}

/* Receives one reply into rp/data (data: PATH_MAX bytes). *fdp gets a passed fd or -1.
 * Returns 0 when the reply is well-formed (rp->err holds the gofer's answer; with
 * err_payload an error may come with data and an fd), else -EIO. */
static int
recv_reply(struct gofer_reply *rp, char *data, int *fdp, bool err_payload)
{
	union {
		char b[CMSG_SPACE(GOFER_CLIENT_RX_FDS * sizeof(int))];
		struct cmsghdr align;
	} ctl;
	char extra;
	struct iovec iov[3] = {
		{ .iov_base = rp, .iov_len = sizeof(*rp) },
		{ .iov_base = data, .iov_len = PATH_MAX },
		{ .iov_base = &extra, .iov_len = 1 }, /* detects an oversized reply */
	};
	struct msghdr msg;
	ssize_t r;

	do {
		memset(&msg, 0, sizeof(msg));
		msg.msg_iov = iov;
		msg.msg_iovlen = 3;
		msg.msg_control = ctl.b;
		msg.msg_controllen = sizeof(ctl.b);
		r = recvmsg(gofer_sock, &msg, MSG_CMSG_CLOEXEC);
	} while (r < 0 && errno == EINTR);
	*fdp = -1;
	if (r <= 0)
		return -EIO; /* the gofer is gone */
	gofer_take_fds(&msg, fdp);
	if ((msg.msg_flags & (MSG_TRUNC | MSG_CTRUNC)) || (size_t)r < sizeof(*rp) ||
	    rp->data_len > PATH_MAX || rp->data_len != (size_t)r - sizeof(*rp) ||
	    rp->err > 0 || rp->err < -4095 ||
	    (rp->err && !err_payload && (*fdp >= 0 || rp->data_len)))
		goto bad;
	return 0;
bad:
	if (*fdp >= 0)
		close(*fdp);
	*fdp = -1;
	return -EIO;
}

int
gofer_client_call_raw(struct gofer_req *h, const void *path, int fd, struct gofer_reply *rp,
		      char *data, int *rxfd)
{
	int err;

	*rxfd = -1;
	if (gofer_sock < 0)
		return -EIO;
	h->magic = GOFER_MAGIC;
	h->path2_len = 0;
	err = send_req(h, path, "", fd);
	return err ? err : recv_reply(rp, data, rxfd, true);
}

/* One round trip of request h (op, flags, mode, arg set by the caller) about rel (and
 * rel2, if not NULL). Returns rp->err or -EIO; *fdp as in recv_reply (only for OPEN). */
static int
call2n(struct gofer_req *h, int mount, const char *rel, const char *rel2, size_t len2,
       struct gofer_reply *rp, char *data, int *fdp)
{
	uint32_t op = h->op;
	size_t len;
	int err, fd, pass = next_fd;

	next_fd = -1;
	*fdp = -1;
	if (gofer_sock < 0)
		return -EIO;
	if (mount < 0 || !rel || (pass >= 0 && (rel[0] || !gofer_op_on_fd(op))))
		return -EINVAL;
	len = strnlen(rel, GOFER_PATH_MAX);
	if (!rel2)
		len2 = 0;
	else if (len2 == SIZE_MAX)
		len2 = strnlen(rel2, GOFER_PATH_MAX);
	if (len >= GOFER_PATH_MAX || len2 >= GOFER_PATH_MAX)
		return -ENAMETOOLONG;
	h->magic = GOFER_MAGIC;
	h->mount = (uint32_t)mount;
	h->path_len = (uint32_t)len;
	h->path2_len = (uint32_t)len2;
	h->on_fd = pass >= 0;
	err = send_req(h, rel, rel2, pass);
	if (err)
		return err;
	err = recv_reply(rp, data, &fd, false);
	if (err)
		return err;
	/* an fd comes with OPEN and KCONFIG of a file, never else (KCONFIG of a directory
	 * answers in data) */
	bool fd_reply = op == GOFER_OP_OPEN ||
			(op == GOFER_OP_KCONFIG && h->arg[0] < GOFER_HOST_CPU_VULNS);
	if (!fd_reply && fd >= 0) {
		close(fd);
		return -EIO;
	}
	if (fd_reply && rp->err == 0 && fd < 0)
		return -EIO;
	*fdp = fd;
	return rp->err;
}

void
gofer_by_fd(int fd)
{
	next_fd = fd;
}

static int
call2(struct gofer_req *h, int mount, const char *rel, const char *rel2,
      struct gofer_reply *rp, char *data, int *fdp)
{
	return call2n(h, mount, rel, rel2, SIZE_MAX, rp, data, fdp);
}

static int
call(uint32_t op, int mount, const char *rel, uint32_t flags, uint32_t mode,
     struct gofer_reply *rp, char *data, int *fdp)
{
	struct gofer_req h = { .op = op, .flags = flags, .mode = mode };

	return call2(&h, mount, rel, NULL, rp, data, fdp);
}

/* A change request: no fd, no data; *st (if st) gets the stat in the reply. rel2 is
 * len2 bytes (SIZE_MAX: a string). */
static int
change_n(struct gofer_req *h, int mount, const char *rel, const char *rel2, size_t len2,
	 struct stat *st)
{
	static char data[PATH_MAX];
	struct gofer_reply rp;
	int fd, err;

	err = call2n(h, mount, rel, rel2, len2, &rp, data, &fd);
	if (fd >= 0) {
		close(fd);
		return -EIO;
	}
	if (err)
		return err;
	if (rp.data_len)
		return -EIO;
	if (st)
		*st = rp.st;
	return 0;
}

static int
change(struct gofer_req *h, int mount, const char *rel, const char *rel2, struct stat *st)
{
	return change_n(h, mount, rel, rel2, SIZE_MAX, st);
}

/* A new object's owners in a request: -1 (as the gofer makes it) or the id. */
static void
set_owners(struct gofer_req *h, uid_t uid, gid_t gid)
{
	h->arg[0] = uid == (uid_t)-1 ? -1 : (int64_t)uid;
	h->arg[1] = gid == (gid_t)-1 ? -1 : (int64_t)gid;
}

int
gofer_mknod(int mount, const char *rel, mode_t mode, uid_t uid, gid_t gid, struct stat *st)
{
	struct gofer_req h = { .op = GOFER_OP_MKNOD, .mode = mode };

	set_owners(&h, uid, gid);
	return change(&h, mount, rel, NULL, st);
}

int
gofer_mkdir(int mount, const char *rel, mode_t mode, uid_t uid, gid_t gid, struct stat *st)
{
	struct gofer_req h = { .op = GOFER_OP_MKDIR, .mode = mode & 07777 };

	set_owners(&h, uid, gid);
	return change(&h, mount, rel, NULL, st);
}

int
gofer_unlink(int mount, const char *rel, int flags)
{
	struct gofer_req h = { .op = GOFER_OP_UNLINK, .flags = (uint32_t)flags };

	return change(&h, mount, rel, NULL, NULL);
}

int
gofer_rename(int mount, const char *from, const char *to, unsigned flags)
{
	struct gofer_req h = { .op = GOFER_OP_RENAME, .flags = flags };

	return change(&h, mount, from, to, NULL);
}

int
gofer_symlink(int mount, const char *target, const char *rel, uid_t uid, gid_t gid,
	      struct stat *st)
{
	struct gofer_req h = { .op = GOFER_OP_SYMLINK };

	set_owners(&h, uid, gid);
	return change(&h, mount, rel, target, st);
}

int
gofer_link(int mount, const char *from, const char *to, struct stat *st)
{
	struct gofer_req h = { .op = GOFER_OP_LINK };

	return change(&h, mount, from, to, st);
}

int
gofer_truncate(int mount, const char *rel, off_t len, struct stat *st)
{
	struct gofer_req h = { .op = GOFER_OP_TRUNCATE, .arg = { len } };

	return change(&h, mount, rel, NULL, st);
}

int
gofer_fallocate(int mount, const char *rel, int mode, off_t off, off_t len, struct stat *st)
{
	struct gofer_req h = { .op = GOFER_OP_FALLOCATE, .flags = (uint32_t)mode,
			       .arg = { off, len } };

	return change(&h, mount, rel, NULL, st);
}

ssize_t
gofer_getxattr(int mount, const char *rel, const char *name, void *buf, size_t size)
{
	static char data[PATH_MAX];
	struct gofer_req h = { .op = GOFER_OP_GETXATTR, .arg = { (int64_t)MIN(size, 65536) } };
	struct gofer_reply rp;
	int fd, err;

	err = call2(&h, mount, rel, name, &rp, data, &fd);
	if (fd >= 0) {
		close(fd);
		return -EIO;
	}
	if (err)
		return err;
	if (size == 0)
		return rp.st.st_size;
	if (rp.data_len > size)
		return -EIO;
	memcpy(buf, data, rp.data_len);
	return rp.data_len;
}

ssize_t
gofer_listxattr(int mount, const char *rel, char *buf, size_t size)
{
	static char data[PATH_MAX];
	struct gofer_req h = { .op = GOFER_OP_LISTXATTR };
	struct gofer_reply rp;
	int fd, err;

	err = call2(&h, mount, rel, NULL, &rp, data, &fd);
	if (fd >= 0) {
		close(fd);
		return -EIO;
	}
	if (err)
		return err;
	if (size && rp.data_len > size)
		return -ERANGE;
	if (size)
		memcpy(buf, data, rp.data_len);
	return rp.data_len;
}

int
gofer_setxattr(int mount, const char *rel, const char *name, const void *val, size_t size,
	       int flags, struct stat *st)
{
	static char both[PATH_MAX];
	size_t nl = strlen(name);
	struct gofer_req h = { .op = GOFER_OP_SETXATTR, .flags = (uint32_t)flags,
			       .arg = { (int64_t)nl } };

	if (nl + size > PATH_MAX - 1) {
		next_fd = -1; /* (not sent) */
		return -ENOSPC; /* as a host filesystem without room in the inode's block */
	}
	memcpy(both, name, nl);
	memcpy(both + nl, val, size);
	return change_n(&h, mount, rel, both, nl + size, st);
}

int
gofer_removexattr(int mount, const char *rel, const char *name, struct stat *st)
{
	struct gofer_req h = { .op = GOFER_OP_REMOVEXATTR };

	return change(&h, mount, rel, name, st);
}

int
gofer_chmod(int mount, const char *rel, mode_t mode, struct stat *st)
{
	struct gofer_req h = { .op = GOFER_OP_CHMOD, .mode = mode & 07777 };

	return change(&h, mount, rel, NULL, st);
}

int
gofer_utimens(int mount, const char *rel, const struct timespec ts[2], struct stat *st)
{
	struct gofer_req h = {
		.op = GOFER_OP_UTIMENS,
		.arg = { ts[0].tv_sec, ts[0].tv_nsec, ts[1].tv_sec, ts[1].tv_nsec },
	};

	return change(&h, mount, rel, NULL, st);
}

int
gofer_lstat(int mount, const char *rel, struct stat *st)
{
	static char data[PATH_MAX];
	struct gofer_reply rp;
	int fd, err;

	err = call(GOFER_OP_LSTAT, mount, rel, 0, 0, &rp, data, &fd);
	if (err)
		return err;
	if (rp.data_len)
		return -EIO;
	if (st)
		*st = rp.st;
	return 0;
}

int
gofer_open(int mount, const char *rel, int flags, mode_t mode, struct stat *st)
{
	static char data[PATH_MAX];
	struct gofer_reply rp;
	int fd, err;

	err = call(GOFER_OP_OPEN, mount, rel, (uint32_t)flags, (uint32_t)(mode & 07777), &rp,
		   data, &fd);
	if (err)
		return err;
	if (rp.data_len) {
		close(fd);
		return -EIO;
	}
	if (st)
		*st = rp.st;
	return fd;
}

int
gofer_task_stat(pid_t tid, bool process, unsigned what, struct gofer_task_stat *ts)
{
	static char data[PATH_MAX];
	struct gofer_req h = { .op = GOFER_OP_TASK_STATE, .arg = { tid, process, what } };
	struct gofer_reply rp;
	int fd, err;

	err = call2(&h, 0, "", NULL, &rp, data, &fd);
	if (fd >= 0)
		close(fd);
	if (err)
		return err;
	if (rp.data_len != sizeof(*ts))
		return -EIO;
	memcpy(ts, data, sizeof(*ts));
	return 0;
}

int
gofer_task_state(pid_t tid)
{
	struct gofer_task_stat ts;
	int err = gofer_task_stat(tid, false, 0, &ts);

	return err ? err : (unsigned char)ts.state;
}

int
gofer_task_mem(pid_t tid, enum gofer_mem_what what, struct gofer_mem *m,
	       struct gofer_mem_range **ranges, size_t *n)
{
	static char data[PATH_MAX];
	struct gofer_mem_range *all = NULL;
	size_t have = 0;
	uint64_t from = 0;
	int err = 0;

	for (;;) {
		struct gofer_req h = { .op = GOFER_OP_TASK_MEM,
				       .arg = { tid, (int64_t)from, what } };
		struct gofer_reply rp;
		int fd;

		err = call2(&h, 0, "", NULL, &rp, data, &fd);
		if (fd >= 0)
			close(fd);
		if (!err && rp.data_len >= sizeof(*m))
			memcpy(m, data, sizeof(*m));
		if (!err && (rp.data_len < sizeof(*m) || m->n > GOFER_MEM_RANGES ||
			     rp.data_len != sizeof(*m) + m->n * sizeof(*all)))
			err = -EIO;
		if (err)
			break;
		struct gofer_mem_range *grown = realloc(all, (have + m->n + 1) * sizeof(*all));
		if (!grown) {
			err = -ENOMEM;
			break;
		}
		all = grown;
		memcpy(all + have, data + sizeof(*m), m->n * sizeof(*all));
		have += m->n;
		/* (each reply's ranges end above the last: the host's list moves on) */
		if (!m->more || !m->n || all[have - 1].end <= from)
			break;
		from = all[have - 1].end;
	}
	if (err) {
		free(all);
		return err;
	}
	*ranges = all;
	*n = have;
	return 0;
}

int
gofer_host_file(int which)
{
	static char data[PATH_MAX];
	struct gofer_req h = { .op = GOFER_OP_KCONFIG, .arg = { which } };
	struct gofer_reply rp;
	int fd, err;

	if (which != GOFER_HOST_CONFIG_GZ && which != GOFER_HOST_CPUINFO)
		return -EINVAL;
	err = call2(&h, 0, "", NULL, &rp, data, &fd);
	if (err)
		return err;
	if (rp.data_len) {
		close(fd);
		return -EIO;
	}
	return fd;
}

int
gofer_host_dir(int which, unsigned cpu, unsigned index, char *buf, size_t n)
{
	static char data[PATH_MAX];
	struct gofer_req h = { .op = GOFER_OP_KCONFIG, .arg = { which } };
	struct gofer_reply rp;
	int fd, err;

	if (n == 0 || which < GOFER_HOST_CPU_VULNS || which > GOFER_HOST_CPU_CACHE)
		return -EINVAL;
	if (which >= GOFER_HOST_CPU_TOPOLOGY) {
		if (cpu >= 8192)
			return -EINVAL;
		h.arg[1] = cpu;
	}
	if (which == GOFER_HOST_CPU_CACHE) {
		if (index >= 32)
			return -EINVAL;
		h.arg[2] = index;
	}
	err = call2(&h, 0, "", NULL, &rp, data, &fd);
	if (err)
		return err;
	if (rp.data_len >= n)
		return -EIO;
	memcpy(buf, data, rp.data_len);
	buf[rp.data_len] = '\0';
	return (int)rp.data_len;
}

int
gofer_readlink(int mount, const char *rel, char *buf, size_t n)
{
	static char data[PATH_MAX];
	struct gofer_reply rp;
	int fd, err;
	size_t len;

	if (n == 0 || !buf)
		return -EINVAL;
	err = call(GOFER_OP_READLINK, mount, rel, 0, 0, &rp, data, &fd);
	if (err)
		return err;
	len = MIN(n, (size_t)rp.data_len);
	memcpy(buf, data, len);
	return (int)len;
}

int
gofer_statfs(int mount, const char *rel, struct statfs *sf)
{
	static char data[PATH_MAX];
	struct gofer_reply rp;
	int fd, err;

	err = call(GOFER_OP_STATFS, mount, rel, 0, 0, &rp, data, &fd);
	if (err)
		return err;
	if (rp.data_len != sizeof(*sf))
		return -EIO;
	memcpy(sf, data, sizeof(*sf));
	return 0;
}

int
gofer_walk(int mount, const char *rel, int first, int max, int *errs, struct stat *st,
	   char *target, size_t tsize)
{
	static char data[PATH_MAX];
	struct gofer_req h = { .op = GOFER_OP_WALK };
	struct gofer_reply rp;
	struct gofer_walk_ent e;
	size_t used = 0;
	int fd, err, n = 0;

	if (max < 1 || first < 0 || !tsize)
		return -EINVAL;
	max = MIN(max, GOFER_WALK_MAX);
	h.arg[0] = first;
	h.arg[1] = max;
	target[0] = '\0';
	err = call2(&h, mount, rel, NULL, &rp, data, &fd);
	if (err)
		return err;
	/* entries until one fails or is not a directory; after a symlink, its target */
	while (rp.data_len - used >= sizeof(e)) {
		memcpy(&e, data + used, sizeof(e));
		used += sizeof(e);
		if (n == max || e.err > 0 || e.err < -4095 || e.pad)
			return -EIO;
		errs[n] = e.err;
		st[n++] = e.st;
		if (e.err || !S_ISDIR(e.st.st_mode))
			break;
	}
	size_t rest = rp.data_len - used;
	if (n == 0 || (rest && (errs[n - 1] || !S_ISLNK(st[n - 1].st_mode))) ||
	    memchr(data + used, '\0', rest))
		return -EIO;
	if (rest && rest < tsize) {
		memcpy(target, data + used, rest);
		target[rest] = '\0';
	}
	return n;
}
