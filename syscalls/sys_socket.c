/*
 * Sockets: socket, socketpair, bind, listen, accept(4), connect, getsockname, getpeername,
 * sendto, recvfrom, sendmsg, recvmsg, sendmmsg, recvmmsg, shutdown, getsockopt,
 * setsockopt (fs/socket.c): AF_UNIX, and AF_INET/AF_INET6 on loopback only (no network);
 * other families give EAFNOSUPPORT.
 * A call that must wait blocks on the socket's queue (or the receiver's / listener's) and
 * re-runs; SO_RCVTIMEO / SO_SNDTIMEO bound the wait (then EAGAIN, and a signal ends the
 * call with EINTR as on Linux).
 */
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <string.h>
#include <netinet/tcp.h>
#include <netinet/udp.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <sys/un.h>
#include <netinet/in.h>
#include <linux/filter.h>
#include <linux/net_tstamp.h>

#include "fs/vfs.h"
#include "net/net.h"
#include "sentry/ns.h"
#include "syscalls/internal.h"

#define SOCK_IO_MAX (256 * 1024)  /* bytes gathered per call (a stream send may be partial) */
#define SOCK_DGRAM_MAX (8 << 20)  /* one datagram at most (twice a 4 MiB wmem_max) */
#define IOV_MAX_ 1024

static long
sock_fd(struct task *t, long fd, struct file **out)
{
	struct file *f = sys_fd(t, fd);

	if (!f || (file_get_flags(f) & O_PATH))
		return -EBADF; /* (Linux sockfd_lookup: an O_PATH descriptor is none) */
	if (!file_is_socket(f))
		return -ENOTSOCK;
	*out = f;
	return 0;
}

static int
type_flags(long type, int *base, int *oflags, bool *cloexec)
{
	if (type & ~(SOCK_NONBLOCK | SOCK_CLOEXEC | 0xf))
		return -EINVAL;
	*base = (int)(type & 0xf);
	*oflags = type & SOCK_NONBLOCK ? O_NONBLOCK : 0;
	*cloexec = type & SOCK_CLOEXEC;
	return 0;
}

SYSCALL(socket)
{
	struct file *f;
	bool cloexec;
	int type, oflags, err;

	if (a->a[0] >= AF_MAX)
		return -EAFNOSUPPORT;
	err = type_flags(a->a[1], &type, &oflags, &cloexec);
	if (!err)
		err = vfs_socket(t, (int)a->a[0], type, (int)a->a[2], oflags, &f);
	if (err)
		return err;
	return sys_install(t, f, cloexec);
}

SYSCALL(socketpair)
{
	struct file *f[2];
	bool cloexec;
	int type, oflags, fds[2], err;

	if (a->a[0] == AF_INET || a->a[0] == AF_INET6) {
		/* Linux makes the two sockets first (socket's errors), then inet has no
		 * socketpair */
		err = type_flags(a->a[1], &type, &oflags, &cloexec);
		if (!err)
			err = vfs_socket(t, (int)a->a[0], type, (int)a->a[2], oflags, &f[0]);
		if (err)
			return err;
		file_put(f[0]);
		return -EOPNOTSUPP;
	}
	if (a->a[0] != AF_UNIX)
		return -EAFNOSUPPORT;
	if (a->a[2] != 0 && a->a[2] != PF_UNIX)
		return -EPROTONOSUPPORT;
	err = type_flags(a->a[1], &type, &oflags, &cloexec);
	if (!err)
		err = vfs_socketpair(t, type, oflags, f);
	if (err)
		return err;
	fds[0] = (int)sys_install(t, f[0], cloexec);
	if (fds[0] < 0) {
		file_put(f[1]);
		return fds[0];
	}
	fds[1] = (int)sys_install(t, f[1], cloexec);
	if (fds[1] < 0) {
		fdt_close(t->fdt, fds[0]);
		return fds[1];
	}
	if (copy_to_guest(t, a->a[3], fds, sizeof(fds))) {
		fdt_close(t->fdt, fds[0]);
		fdt_close(t->fdt, fds[1]);
		return -EFAULT;
	}
	return 0;
}

/* A guest sockaddr of len bytes into *sa (zeroed). */
static int
addr_in(struct task *t, unsigned long uaddr, long len, struct sockaddr_un *sa)
{
	memset(sa, 0, sizeof(*sa));
	if (len < 0 || len > (long)sizeof(struct sockaddr_storage))
		return -EINVAL;
	if (len && copy_from_guest(t, sa, uaddr, MIN((size_t)len, sizeof(*sa))))
		return -EFAULT;
	return 0;
}

/* Writes name (len bytes) to a guest sockaddr whose size is at *ulen (in/out). */
static int
addr_out(struct task *t, unsigned long uaddr, unsigned long ulen, const struct sockaddr_un *sa,
	 socklen_t len)
{
	int room;

	if (!uaddr)
		return 0;
	if (copy_from_guest(t, &room, ulen, sizeof(room)))
		return -EFAULT;
	if (room < 0)
		return -EINVAL;
	if (copy_to_guest(t, uaddr, sa, MIN((socklen_t)room, len)))
		return -EFAULT;
	if (copy_to_guest(t, ulen, &len, sizeof(int)))
		return -EFAULT;
	return 0;
}

/* Wait for f (ev) or on wq; a socket timeout sets a deadline, past it -EAGAIN. */
static long
sock_block(struct task *t, struct file *f, short ev, struct waitq *wq)
{
	long long to = sock_timeout_ns(f, ev == POLLOUT);

	if (to < 0)
		return -EAGAIN; /* a negative timeout: as non-blocking */
	if (to > 0) {
		if (!t->wait_rerun) {
			t->wait_deadline = monotonic_ns() + to;
			t->wait_eintr = true;
		} else if (t->wait_deadline && monotonic_ns() >= t->wait_deadline) {
			return -EAGAIN;
		}
	}
	sys_hold_fd(t, f); /* a close by another thread leaves the call waiting, as on Linux */
	if (wq)
		task_wait_on(t, wq);
	else
		file_poll_wait(t, f, ev);
	return sysret(SYSRET_BLOCK);
}

static bool
nonblocking(struct file *f, int flags)
{
	return (flags & MSG_DONTWAIT) || (file_get_flags(f) & O_NONBLOCK);
}

/* ---- host sockets given to the guest as std or preserved fds ----
 * A program started with socket stdio (node's child_process does that by default; inetd-style
 * servers) must see sockets there: names and the kind from the CLI's snapshot (fs/hostfd.c),
 * sends and receives on the host socket, shutdown and the harmless options by the gofer.
 * Nothing reaches past the connection the caller gave: no other destination (a datagram to
 * an address: EPERM, audited), no control messages either way (none is sent: EPERM,
 * audited; descriptors sent from outside are dropped by the host, MSG_CTRUNC), and bind,
 * listen, connect and sendmmsg/recvmmsg are not offered (ENOTSOCK, as before). A listening
 * one given so (socket activation, a test harness) accepts: the gofer takes each
 * connection (never waiting), which becomes one more such host socket. */

static long gather(struct task *t, const struct iovec *iov, unsigned long cnt, size_t skip,
		   size_t max, char *buf);
static long scatter(struct task *t, const struct iovec *iov, unsigned long cnt, size_t skip,
		    const char *buf, size_t n);
static int iov_in(struct task *t, unsigned long uiov, unsigned long cnt, struct iovec **out,
		  size_t *total);

/* The host socket behind guest fd fd, or NULL (then sock_fd decides). */
static const struct host_sock *
host_sock(struct task *t, long fd, struct file **out)
{
	struct file *f = sys_fd(t, fd);

	if (!f || (file_get_flags(f) & O_PATH))
		return NULL;
	*out = f;
	return file_host_sock(f);
}

static long
host_name(struct task *t, const struct host_sock *hs, const struct sysargs *a, bool peer)
{
	socklen_t len = peer ? hs->peerlen : hs->locallen;

	if (peer && !len)
		return -ENOTCONN;
	if (!a->a[1] || !a->a[2])
		return -EFAULT;
	return addr_out(t, a->a[1], a->a[2],
			(const struct sockaddr_un *)(peer ? &hs->peer : &hs->local), len);
}

static long
host_getsockopt(struct task *t, struct file *f, const struct host_sock *hs,
		const struct sysargs *a)
{
	int len, v;

	if (copy_from_guest(t, &len, a->a[4], sizeof(len)))
		return -EFAULT;
	if (len < 0)
		return -EINVAL;
	if ((int)a->a[1] != SOL_SOCKET)
		return -ENOPROTOOPT;
	switch ((int)a->a[2]) {
	case SO_TYPE:
		v = hs->type;
		break;
	case SO_DOMAIN:
		v = hs->domain;
		break;
	case SO_PROTOCOL:
		v = hs->protocol;
		break;
	case SO_ACCEPTCONN:
		v = hs->listening;
		break;
	case SO_ERROR:
		v = host_socket_error(file_host_fd(f));
		break;
	case SO_PEERCRED: { /* the peer is outside the guests' pid namespace: pid 0 */
		struct ucred c = { 0, (uid_t)-1, (gid_t)-1 };

		if (hs->has_cred) {
			c.uid = userns_uid_out(t, hs->cred.uid);
			c.gid = userns_gid_out(t, hs->cred.gid);
		}
		len = MIN(len, (int)sizeof(c));
		if (copy_to_guest(t, a->a[3], &c, len) || copy_to_guest(t, a->a[4], &len, sizeof(len)))
			return -EFAULT;
		return 0;
	}
	default:
		return -ENOPROTOOPT;
	}
	len = MIN(len, (int)sizeof(v));
	if (copy_to_guest(t, a->a[3], &v, len) || copy_to_guest(t, a->a[4], &len, sizeof(len)))
		return -EFAULT;
	return 0;
}

static long
host_setsockopt(struct task *t, struct file *f, const struct sysargs *a)
{
	char val[16] = { 0 };
	int len = (int)a->a[4], r;

	if (len < 0)
		return -EINVAL;
	if (len && copy_from_guest(t, val, a->a[3], MIN((size_t)len, sizeof(val))))
		return -EFAULT;
	r = host_socket_setopt(file_host_fd(f), (int)a->a[1], (int)a->a[2], val,
			       (socklen_t)MIN((size_t)len, sizeof(val)));
	return r == 1 ? -ENOPROTOOPT : r; /* (only what cannot reach past the connection) */
}

/* A send on a host socket; a blocking stream send writes everything (t->wait_written
 * keeps what earlier runs sent, as do_send). */
static long
host_send(struct task *t, struct file *f, const struct host_sock *hs, const struct sysargs *a,
	  const char *call, const struct iovec *iov, unsigned long cnt, size_t total, bool has_to,
	  size_t ctllen, int flags)
{
	bool stream = hs->type == SOCK_STREAM, block = !nonblocking(f, flags);
	_cleanup_free_ char *buf = NULL;
	size_t n, done = 0;
	long r = 0;

	if (ctllen) {
		audit_call(t, a, call, EPERM, "control messages to a host socket given as a std fd");
		return -EPERM;
	}
	if (has_to && hs->type != SOCK_STREAM) {
		audit_call(t, a, call, EPERM, "a destination for a host socket given as a std fd");
		return -EPERM;
	}
	if (has_to && hs->domain == AF_UNIX)
		return hs->peerlen ? -EISCONN : -EOPNOTSUPP; /* (TCP ignores the address) */
	if (stream && block && t->wait_rerun)
		done = MIN(t->wait_written, total);
	n = stream ? MIN(total - done, (size_t)SOCK_IO_MAX) : MIN(total, (size_t)SOCK_DGRAM_MAX);
	buf = xmalloc(n ? n : 1);
	do { /* a blocking stream send: chunk after chunk until all went */
		n = stream ? MIN(total - done, (size_t)SOCK_IO_MAX) : n;
		r = gather(t, iov, cnt, stream ? done : 0, n, buf);
		if (r < 0)
			return done ? (long)done : r;
		for (size_t off = 0;;) {
			struct iovec v = { buf + off, n - off };
			struct msghdr m = { .msg_iov = &v, .msg_iovlen = 1 };

			r = sendmsg(file_host_fd(f), &m, MSG_DONTWAIT | MSG_NOSIGNAL |
				    (flags & (MSG_MORE | MSG_EOR | MSG_OOB)));
			if (r < 0) {
				r = -errno;
				break;
			}
			off += (size_t)r;
			done += stream ? (size_t)r : 0;
			if (!stream || !block || off == n)
				break;
		}
	} while (stream && block && r >= 0 && done < total);
	if (r == -EAGAIN && block) {
		if (stream)
			t->wait_written = done;
		r = sys_block_on(t, f, POLLOUT);
		return r == -EAGAIN && done ? (long)done : r;
	}
	if (r >= 0 || (stream && done))
		return stream ? (long)done : r;
	if (r == -EPIPE && stream && !(flags & MSG_NOSIGNAL))
		task_signal_self(t, SIGPIPE);
	return r;
}

/* A receive on a host socket: from/fromlen the sender (the host's answer), *mflags its
 * flags; MSG_WAITALL on a blocking stream collects the whole length (t->wait_written). */
static long
host_recv(struct task *t, struct file *f, const struct host_sock *hs, const struct iovec *iov,
	  unsigned long cnt, size_t total, int flags, struct sockaddr_storage *from,
	  socklen_t *fromlen, int *mflags)
{
	bool all = (flags & MSG_WAITALL) && !(flags & MSG_PEEK) && hs->type == SOCK_STREAM &&
		   !nonblocking(f, flags);
	size_t max = MIN(total, (size_t)SOCK_IO_MAX), done = 0;
	_cleanup_free_ char *buf = xmalloc(max ? max : 1);
	long r;

	if (all && t->wait_rerun)
		done = MIN(t->wait_written, total);
	*fromlen = 0;
	*mflags = 0;
	for (;;) {
		struct iovec v = { buf, MIN(max, total - done) };
		struct msghdr m = { .msg_name = from, .msg_namelen = sizeof(*from), .msg_iov = &v,
				    .msg_iovlen = 1 };

		r = recvmsg(file_host_fd(f), &m, MSG_DONTWAIT | (flags & (MSG_PEEK | MSG_TRUNC | MSG_OOB)));
		if (r < 0) {
			r = -errno;
			break;
		}
		if (scatter(t, iov, cnt, done, buf, MIN((size_t)r, v.iov_len)))
			return -EFAULT;
		*fromlen = m.msg_namelen;
		*mflags = m.msg_flags & (MSG_TRUNC | MSG_CTRUNC | MSG_OOB | MSG_EOR);
		if (!all)
			return r;
		done += (size_t)r;
		if (r == 0 || done == total)
			return (long)done;
	}
	if (r == -EAGAIN && !nonblocking(f, flags)) {
		if (all)
			t->wait_written = done;
		r = sys_block_on(t, f, POLLIN);
		return r == -EAGAIN && done ? (long)done : r;
	}
	return done ? (long)done : r;
}

static long
host_sendmsg(struct task *t, struct file *f, const struct host_sock *hs, const struct sysargs *a)
{
	_cleanup_free_ struct iovec *iov = NULL;
	struct msghdr mh;
	size_t total;
	long err;

	if (copy_from_guest(t, &mh, a->a[1], sizeof(mh)))
		return -EFAULT;
	err = iov_in(t, (unsigned long)mh.msg_iov, mh.msg_iovlen, &iov, &total);
	if (err)
		return err;
	return host_send(t, f, hs, a, "sendmsg", iov, mh.msg_iovlen, total,
			 mh.msg_name && mh.msg_namelen, mh.msg_controllen, (int)a->a[2]);
}

static long
host_recvmsg(struct task *t, struct file *f, const struct host_sock *hs, const struct sysargs *a)
{
	_cleanup_free_ struct iovec *iov = NULL;
	struct sockaddr_storage from;
	socklen_t fromlen;
	struct msghdr mh;
	size_t total;
	int mflags;
	long n, err;

	if (copy_from_guest(t, &mh, a->a[1], sizeof(mh)))
		return -EFAULT;
	if (mh.msg_name && (int)mh.msg_namelen < 0)
		return -EINVAL;
	err = iov_in(t, (unsigned long)mh.msg_iov, mh.msg_iovlen, &iov, &total);
	if (err)
		return err;
	n = host_recv(t, f, hs, iov, mh.msg_iovlen, total, (int)a->a[2], &from, &fromlen,
		      &mflags);
	if (n < 0)
		return n;
	if (mh.msg_name && fromlen &&
	    copy_to_guest(t, (unsigned long)mh.msg_name, &from, MIN(mh.msg_namelen, fromlen)))
		return -EFAULT;
	mh.msg_namelen = mh.msg_name ? fromlen : 0;
	mh.msg_controllen = 0;
	mh.msg_flags = mflags;
	if ((mh.msg_name && copy_to_guest(t, a->a[1] + offsetof(struct msghdr, msg_namelen),
					  &mh.msg_namelen, sizeof(mh.msg_namelen))) ||
	    copy_to_guest(t, a->a[1] + offsetof(struct msghdr, msg_controllen), &mh.msg_controllen,
			  sizeof(mh.msg_controllen)) ||
	    copy_to_guest(t, a->a[1] + offsetof(struct msghdr, msg_flags), &mh.msg_flags,
			  sizeof(mh.msg_flags)))
		return -EFAULT;
	return n;
}

/* Landlock's TCP rights (Linux current_check_access_socket, after the address's copy):
 * only TCP sockets; an address too short for its family is EINVAL; connect with
 * AF_UNSPEC (a disconnect) is always allowed, bind with it only as INADDR_ANY of IPv4. */
static long
landlock_sock(struct task *t, struct file *f, const struct sockaddr_un *sa, long len, bool bind)
{
	const struct sockaddr_in *in = (const struct sockaddr_in *)sa;
	const struct sockaddr_in6 *in6 = (const struct sockaddr_in6 *)sa;
	int fam = sock_family(f), proto = 0;
	socklen_t plen = sizeof(proto);
	unsigned port;

	if (!landlock_handles_net(t, bind))
		return 0;
	if ((fam != AF_INET && fam != AF_INET6) || sock_type(f) != SOCK_STREAM ||
	    sock_getsockopt(f, SOL_SOCKET, SO_PROTOCOL, &proto, &plen) || proto != IPPROTO_TCP)
		return 0;
	if (len < (long)sizeof(sa_family_t))
		return -EINVAL;
	switch (sa->sun_family) {
	case AF_UNSPEC:
	case AF_INET:
		if (len < (long)sizeof(*in))
			return -EINVAL;
		port = ntohs(in->sin_port);
		break;
	case AF_INET6:
		if (len < 24) /* SIN6_LEN_RFC2133: without sin6_scope_id */
			return -EINVAL;
		port = ntohs(in6->sin6_port);
		break;
	default:
		return 0;
	}
	if (sa->sun_family == AF_UNSPEC) {
		if (!bind)
			return 0;
		if (fam != AF_INET)
			return -EINVAL;
		if (in->sin_addr.s_addr != htonl(INADDR_ANY))
			return -EAFNOSUPPORT;
	} else if (sa->sun_family != fam) {
		return -EINVAL;
	}
	return landlock_tcp(t, bind, port);
}

SYSCALL(bind)
{
	struct sockaddr_un sa;
	struct file *f;
	long err = sock_fd(t, a->a[0], &f);

	if (!err)
		err = addr_in(t, a->a[1], (long)(int)a->a[2], &sa);
	if (!err)
		err = landlock_sock(t, f, &sa, (long)(int)a->a[2], true);
	if (!err)
		err = sock_bind(t, f, &sa, (socklen_t)a->a[2]);
	return err;
}

SYSCALL(listen)
{
	struct file *f;
	long err = sock_fd(t, a->a[0], &f);

	if (!err)
		err = sock_listen(f, (int)a->a[1]);
	if (!err)
		sock_listen_cred(t, f);
	return err;
}

SYSCALL(connect)
{
	struct sockaddr_un sa;
	struct file *f;
	long err = sock_fd(t, a->a[0], &f);

	if (!err)
		err = addr_in(t, a->a[1], (long)(int)a->a[2], &sa);
	if (!err)
		err = landlock_sock(t, f, &sa, (long)(int)a->a[2], false);
	if (err)
		return err;
	err = sock_connect(t, f, &sa, (socklen_t)a->a[2]);
	if (err == 1)
		return 0; /* a connect after EINPROGRESS */
	if (err == 0 && nonblocking(f, 0) && sock_family(f) != AF_UNIX &&
	    sock_type(f) == SOCK_STREAM) {
		sock_connect_inprogress(f);
		return -EINPROGRESS; /* as TCP says even on loopback; writable at once */
	}
	if (err == -EAGAIN && !nonblocking(f, 0)) {
		struct waitq *wq = sock_connect_waitq(t, &sa, (socklen_t)a->a[2], f);
		if (wq)
			return sock_block(t, f, POLLOUT, wq);
		if (file_wait_fd(f) >= 0) { /* a host socket's connect waits on its fd */
			err = sock_block(t, f, POLLOUT, NULL);
			return err == -EAGAIN ? -EINPROGRESS : err; /* SO_SNDTIMEO: still going */
		}
	}
	return err;
}

/* accept on a listening host socket: the connection a host socket file of its own, its
 * names and peer's credentials noted as the CLI notes a given one's. */
static long
host_accept(struct task *t, struct file *f, const struct host_sock *hs, const struct sysargs *a,
	    long flags)
{
	struct host_sock nh = { .type = hs->type, .domain = hs->domain, .protocol = hs->protocol };

	if (hs->type != SOCK_STREAM && hs->type != SOCK_SEQPACKET)
		return -EOPNOTSUPP;
	if (!hs->listening)
		return -EINVAL;
	int hfd = host_socket_accept(file_host_fd(f), &nh);
	if (hfd == -EAGAIN && !nonblocking(f, 0))
		return sys_block_on(t, f, POLLIN);
	if (hfd < 0)
		return hfd;
	hostsock_set(hfd, &nh);
	struct file *nf = file_from_host_fd(hfd, O_RDWR | (flags & SOCK_NONBLOCK ? O_NONBLOCK : 0));
	long fd = sys_install(t, nf, flags & SOCK_CLOEXEC);
	if (fd < 0)
		return fd;
	if (a->a[1]) { /* a bad length (EINVAL) or address (EFAULT) loses the connection */
		long err = addr_out(t, a->a[1], a->a[2], (const struct sockaddr_un *)&nh.peer,
				    nh.peerlen);
		if (err) {
			fdt_close(t->fdt, (int)fd);
			return err;
		}
	}
	return fd;
}

static long
do_accept(struct task *t, const struct sysargs *a, long flags)
{
	const struct host_sock *hs;
	struct sockaddr_un sa;
	struct file *f, *nf;
	socklen_t len;
	long err, fd;

	if (flags & ~(SOCK_NONBLOCK | SOCK_CLOEXEC))
		return -EINVAL;
	/* Linux __sys_accept4_file takes a descriptor first (then looks for a socket): with
	 * none free the connection stays queued (EMFILE) for an accept after a close */
	if (sys_fd(t, a->a[0]) && (err = fdt_room(t->fdt)) < 0)
		return err;
	if ((hs = host_sock(t, a->a[0], &f)))
		return host_accept(t, f, hs, a, flags);
	err = sock_fd(t, a->a[0], &f);
	if (err)
		return err;
	err = sock_accept(t, f, flags & SOCK_NONBLOCK ? O_NONBLOCK : 0, &nf);
	if (err == -EAGAIN && !nonblocking(f, 0)) {
		long long when = sock_accept_deadline(f);
		long r = sock_block(t, f, POLLIN, NULL);

		/* a deferred connection shows then: look again (not a timeout) */
		if (r == SYSRET_BLOCK && when && (!t->wait_deadline || when < t->wait_deadline)) {
			t->wait_deadline = when;
		}
		return r;
	}
	if (err)
		return err;
	if (sock_accept_name(nf, &sa, &len)) {
		memset(&sa, 0, sizeof(sa));
		sa.sun_family = AF_UNIX;
		len = sizeof(sa_family_t);
	}
	fd = sys_install(t, nf, flags & SOCK_CLOEXEC);
	if (fd < 0)
		return fd;
	if (a->a[1]) { /* a bad length (EINVAL) or address (EFAULT) loses the connection */
		err = addr_out(t, a->a[1], a->a[2], &sa, len);
		if (err) {
			fdt_close(t->fdt, (int)fd);
			return err;
		}
	}
	return fd;
}

SYSCALL(accept)
{
	return do_accept(t, a, 0);
}

SYSCALL(accept4)
{
	return do_accept(t, a, (long)(int)a->a[3]);
}

static long
do_name(struct task *t, const struct sysargs *a, bool peer)
{
	const struct host_sock *hs;
	struct sockaddr_un sa;
	struct file *f;
	socklen_t len;

	if ((hs = host_sock(t, a->a[0], &f)))
		return host_name(t, hs, a, peer);
	long err = sock_fd(t, a->a[0], &f);

	if (!err)
		err = sock_name(f, peer, &sa, &len);
	if (err)
		return err;
	if (!a->a[1] || !a->a[2])
		return -EFAULT;
	return addr_out(t, a->a[1], a->a[2], &sa, len);
}

SYSCALL(getsockname)
{
	return do_name(t, a, false);
}

SYSCALL(getpeername)
{
	return do_name(t, a, true);
}

SYSCALL(shutdown)
{
	struct file *f;

	if (host_sock(t, a->a[0], &f))
		return host_socket_shutdown(file_host_fd(f), (int)a->a[1]);
	long err = sock_fd(t, a->a[0], &f);

	return err ? err : sock_shutdown(f, (int)a->a[1]);
}

/* ---- data ---- */

#define SEND_FLAGS (MSG_DONTWAIT | MSG_NOSIGNAL | MSG_EOR | MSG_MORE | MSG_CONFIRM)
#define RECV_FLAGS (MSG_DONTWAIT | MSG_PEEK | MSG_TRUNC | MSG_WAITALL | MSG_CMSG_CLOEXEC | \
		    MSG_ERRQUEUE)

static int
iov_in(struct task *t, unsigned long uiov, unsigned long cnt, struct iovec **out, size_t *total)
{
	struct iovec *iov;

	*total = 0;
	if (cnt > IOV_MAX_)
		return -EMSGSIZE;
	iov = xcalloc(cnt ? cnt : 1, sizeof(*iov));
	if (cnt && copy_from_guest(t, iov, uiov, cnt * sizeof(*iov))) {
		free(iov);
		return -EFAULT;
	}
	for (unsigned long i = 0; i < cnt; i++) {
		if ((ssize_t)iov[i].iov_len < 0 || iov[i].iov_len > (size_t)SSIZE_MAX - *total) {
			free(iov);
			return -EINVAL;
		}
		*total += iov[i].iov_len;
	}
	*out = iov;
	return 0;
}

/* Linux's scm_check_creds: an SCM_CREDENTIALS message names the sender's own pid, one of its
 * uids and one of its gids, unless it is privileged (then any live pid, any ids). The ids,
 * as the sender's user namespace sees them, become kernel ids (none: EINVAL). */
static int
creds_check(struct task *t, struct ucred *c)
{
	long kuid = userns_uid_in(t, c->uid), kgid = userns_gid_in(t, c->gid);

	if (c->uid == (uid_t)-1 || c->gid == (gid_t)-1 || kuid < 0 || kgid < 0)
		return -EINVAL;
	c->uid = (uid_t)kuid;
	c->gid = (gid_t)kgid;
	/* Linux scm_check_creds: another pid needs CAP_SYS_ADMIN, other ids CAP_SETUID and
	 * CAP_SETGID */
	int mine = task_vnr(t, t->tgid); /* pids in the caller's pid namespace */

	if ((c->pid != mine && !task_capable(t, CAP_SYS_ADMIN)) ||
	    (c->uid != t->uid && c->uid != t->euid && c->uid != t->suid &&
	     !task_capable(t, CAP_SETUID)) ||
	    (c->gid != t->gid && c->gid != t->egid && c->gid != t->sgid &&
	     !task_capable(t, CAP_SETGID)))
		return -EPERM;
	if (c->pid != mine) {
		struct task *p = c->pid > 0 ? task_lookup_vnr(t, c->pid) : NULL;

		if (!p || task_vnr(t, p->tgid) != c->pid)
			return -ESRCH;
	}
	return 0;
}

static int
cmsg_int(const struct cmsghdr *c, int *v)
{
	if (c->cmsg_len != CMSG_LEN(sizeof(int)))
		return -EINVAL;
	memcpy(v, CMSG_DATA(c), sizeof(*v));
	return 0;
}

/* One inet control message (Linux ip_cmsg_send, ip6_datagram_send_ctl, sock_cmsg_send):
 * 0 (taken or ignored) or -EINVAL. */
static int
cmsg_inet(int family, int type, const struct cmsghdr *c, struct sock_sendopt *o)
{
	int v;

	if (c->cmsg_level == SOL_SOCKET) {
		switch (c->cmsg_type) {
		case SCM_RIGHTS: /* "semantically SOL_UNIX": ignored */
		case SCM_CREDENTIALS:
			return 0;
		case SO_MARK:
		case SO_PRIORITY:
		case SO_TIMESTAMPING_OLD:
		case SCM_TXTIME:
			return c->cmsg_len == CMSG_LEN(sizeof(int)) ||
					       (c->cmsg_type == SCM_TXTIME &&
						c->cmsg_len == CMSG_LEN(sizeof(uint64_t)))
				       ? 0 : -EINVAL;
		}
		return -EINVAL;
	}
	if (type == SOCK_STREAM)
		return 0; /* TCP looks at SOL_SOCKET only */
	if (c->cmsg_level == SOL_UDP) { /* Linux __udp_cmsg_send: a u16 segment size */
		if (c->cmsg_type != UDP_SEGMENT || c->cmsg_len != CMSG_LEN(sizeof(uint16_t)))
			return -EINVAL;
		o->gso_size = *(const uint16_t *)CMSG_DATA(c);
		o->has_gso = true;
		return 0;
	}
	if (family == AF_INET && c->cmsg_level == IPPROTO_IP) {
		switch (c->cmsg_type) {
		case IP_TTL:
			if (cmsg_int(c, &v) || v < 1 || v > 255)
				return -EINVAL;
			o->hoplimit = v;
			return 0;
		case IP_TOS:
			if (c->cmsg_len == CMSG_LEN(1))
				v = *(const unsigned char *)CMSG_DATA(c);
			else if (cmsg_int(c, &v))
				return -EINVAL;
			if (v < 0 || v > 255)
				return -EINVAL;
			o->tclass = v;
			return 0;
		case IP_PKTINFO:
			return c->cmsg_len == CMSG_LEN(sizeof(struct in_pktinfo)) ? 0 : -EINVAL;
		case IP_RETOPTS:
			return 0;
		}
		return -EINVAL;
	}
	if (family == AF_INET6 && c->cmsg_level == IPPROTO_IPV6) {
		switch (c->cmsg_type) {
		case IPV6_HOPLIMIT:
		case IPV6_TCLASS:
			if (cmsg_int(c, &v) || v < -1 || v > 255)
				return -EINVAL;
			*(c->cmsg_type == IPV6_HOPLIMIT ? &o->hoplimit : &o->tclass) = v;
			return 0;
		case IPV6_DONTFRAG:
			return cmsg_int(c, &v);
		case IPV6_PKTINFO:
			return c->cmsg_len == CMSG_LEN(sizeof(struct in6_pktinfo)) ? 0 : -EINVAL;
		}
		return -EINVAL;
	}
	return 0; /* another level: skipped */
}

/* A guest control buffer: the descriptors of SCM_RIGHTS messages (references), checked
 * SCM_CREDENTIALS and, for inet sockets, the IP options (o). */
static int
control_in(struct task *t, struct file *sf, unsigned long uctl, size_t len, struct file **fds,
	   int *nfds, struct sock_sendopt *o)
{
	_cleanup_free_ char *buf = NULL;
	struct msghdr mh = { 0 };
	struct cmsghdr *c;
	int family = sock_family(sf), type = sock_type(sf), err = -EINVAL;

	*nfds = 0;
	*o = (struct sock_sendopt){ .hoplimit = -1, .tclass = -1 };
	if (!uctl || !len)
		return 0;
	if (len > 64 * 1024)
		return -ENOBUFS;
	buf = xmalloc(len);
	if (copy_from_guest(t, buf, uctl, len))
		return -EFAULT;
	mh.msg_control = buf;
	mh.msg_controllen = len;
	for (c = CMSG_FIRSTHDR(&mh); c; c = CMSG_NXTHDR(&mh, c)) {
		if (c->cmsg_len < sizeof(*c) || c->cmsg_len > len - ((char *)c - buf))
			goto inval;
		if (family == AF_INET || family == AF_INET6) {
			err = cmsg_inet(family, type, c, o);
			if (err)
				goto fail;
			continue;
		}
		if (c->cmsg_level != SOL_SOCKET)
			continue;
		if (c->cmsg_type == SCM_RIGHTS) {
			int n = (int)((c->cmsg_len - CMSG_LEN(0)) / sizeof(int));
			int *ids = (int *)CMSG_DATA(c);

			if (n <= 0)
				continue; /* an empty array: as no descriptors (scm_fp_copy) */
			if (*nfds + n > SOCK_MAX_FDS)
				goto inval;
			for (int i = 0; i < n; i++) {
				int fd;
				struct file *f;

				memcpy(&fd, ids + i, sizeof(fd));
				f = sys_fd(t, fd);
				if (!f) {
					err = -EBADF;
					goto fail;
				}
				fds[(*nfds)++] = file_get(f);
			}
		} else if (c->cmsg_type == SCM_CREDENTIALS) {
			if (c->cmsg_len != CMSG_LEN(sizeof(struct ucred)))
				goto inval;
			memcpy(&o->cred, CMSG_DATA(c), sizeof(o->cred));
			err = creds_check(t, &o->cred);
			if (err)
				goto fail;
			o->cred.pid = pidns_global(task_pid_ns(t), o->cred.pid); /* kept sandbox-wide */
			o->has_cred = true;
		} else {
			goto inval;
		}
	}
	return 0;
inval:
	err = -EINVAL;
fail:
	for (int j = 0; j < *nfds; j++)
		file_put(fds[j]);
	*nfds = 0;
	return err;
}

/* Gathers up to max bytes of the iovec from the guest, past its first skip bytes. */
static long
gather(struct task *t, const struct iovec *iov, unsigned long cnt, size_t skip, size_t max,
       char *buf)
{
	size_t have = 0;

	for (unsigned long i = 0; i < cnt && have < max; i++) {
		size_t n;

		if (skip >= iov[i].iov_len) {
			skip -= iov[i].iov_len;
			continue;
		}
		n = MIN(iov[i].iov_len - skip, max - have);
		if (n && copy_from_guest(t, buf + have, (unsigned long)iov[i].iov_base + skip, n))
			return -EFAULT;
		have += n;
		skip = 0;
	}
	return (long)have;
}

/* Scatters n bytes into the iovec, past its first skip bytes. */
static long
scatter(struct task *t, const struct iovec *iov, unsigned long cnt, size_t skip, const char *buf,
	size_t n)
{
	size_t done = 0;

	for (unsigned long i = 0; i < cnt && done < n; i++) {
		size_t c;

		if (skip >= iov[i].iov_len) {
			skip -= iov[i].iov_len;
			continue;
		}
		c = MIN(iov[i].iov_len - skip, n - done);
		if (c && copy_to_guest(t, (unsigned long)iov[i].iov_base + skip, buf + done, c))
			return -EFAULT;
		done += c;
		skip = 0;
	}
	return 0;
}

/* A send; whole: a blocking stream send writes everything, waiting for the reader as often
 * as needed (t->wait_written keeps what the earlier runs of the call sent: a signal or
 * SO_SNDTIMEO ends it with that count, as on Linux). */
static long
send_data(struct task *t, struct file *f, const struct iovec *iov, unsigned long cnt, size_t total,
	  unsigned long uctl, size_t ctllen, unsigned long uto, long tolen, int flags, bool whole,
	  size_t *part)
{
	struct file *fds[SOCK_MAX_FDS];
	struct sock_sendopt o = { .hoplimit = -1, .tclass = -1 };
	struct sockaddr_un to;
	_cleanup_free_ char *buf = NULL;
	struct waitq *wq = NULL;
	int nfds = 0, type = sock_type(f);
	bool all = whole && type == SOCK_STREAM && !nonblocking(f, flags);
	/* a non-blocking stream send takes what fits, in as many pieces as that needs */
	bool more = all || (whole && type == SOCK_STREAM);
	size_t max, done = 0;
	long r;

	if ((flags & MSG_OOB) && type != SOCK_STREAM)
		return -EOPNOTSUPP; /* urgent data: streams only (udp_sendmsg, unix_dgram's) */
	if (uto) {
		r = addr_in(t, uto, tolen, &to);
		if (r)
			return r;
	}
	/* udp_sendmsg, ping_v4_sendmsg: before the data is read. Not IPv6's udpv6_sendmsg:
	 * ip6_append_data refuses the datagram later and queues the error for IPV6_RECVERR
	 * (sock_sendmsg does both) */
	if (type == SOCK_DGRAM && sock_family(f) == AF_INET && total > 0xffff)
		return -EMSGSIZE;
	if (type != SOCK_STREAM && total > SOCK_DGRAM_MAX)
		return -EMSGSIZE;
	if (all && part)
		done = MIN(*part, total); /* sendmmsg keeps its own count */
	else if (all && t->wait_rerun)
		done = MIN(t->wait_written, total);
	max = type == SOCK_STREAM ? MIN(total - done, (size_t)SOCK_IO_MAX) : total;
	buf = xmalloc(max ? max : 1);
	if (done == 0) { /* descriptors go with the first bytes only */
		r = control_in(t, f, uctl, ctllen, fds, &nfds, &o);
		if (r)
			return r;
	}
	o.oob = flags & MSG_OOB;
	o.more = flags & MSG_MORE;
	do {
		size_t n = type == SOCK_STREAM ? MIN(total - done, (size_t)SOCK_IO_MAX) : total;

		r = gather(t, iov, cnt, done, n, buf);
		if (r < 0)
			break;
		r = sock_sendmsg(t, f, buf, n, fds, nfds, uto ? &to : NULL, (socklen_t)tolen, &o,
				 &wq);
		if (r > 0 || (r == 0 && nfds)) {
			for (int i = 0; i < nfds; i++)
				file_put(fds[i]);
			nfds = 0;
		}
		if (r > 0)
			done += (size_t)r;
	} while (more && r > 0 && done < total);
	for (int i = 0; i < nfds; i++)
		file_put(fds[i]);
	if (r == -EAGAIN && !nonblocking(f, flags)) {
		if (!all)
			return sock_block(t, f, POLLOUT, wq);
		if (part)
			*part = done;
		else
			t->wait_written = done; /* the peer is full: wait for its reader */
		r = sock_block(t, f, POLLOUT, wq);
		return r == -EAGAIN && done ? (long)done : r; /* SO_SNDTIMEO: what went */
	}
	if (more && done)
		return (long)done; /* an error (EAGAIN) after some data: the count (no SIGPIPE) */
	/* (a seqpacket socket's EPIPE comes from unix_dgram_sendmsg: no signal) */
	if (r == -EPIPE && type == SOCK_STREAM && !(flags & MSG_NOSIGNAL))
		task_signal_self(t, SIGPIPE);
	return r;
}

/* send_data, and for a MSG_ZEROCOPY send its completion notice once it ended (one for the
 * whole call, however often it waited). */
static long
do_send(struct task *t, struct file *f, const struct iovec *iov, unsigned long cnt, size_t total,
	unsigned long uctl, size_t ctllen, unsigned long uto, long tolen, int flags, bool whole,
	size_t *part)
{
	long r = send_data(t, f, iov, cnt, total, uctl, ctllen, uto, tolen, flags, whole, part);

	if ((flags & MSG_ZEROCOPY) && r != SYSRET_BLOCK)
		sock_zerocopy_sent(f, r);
	return r;
}

/* Control messages being written (Linux put_cmsg): room is what is left of the guest's
 * buffer, used what buf holds. */
struct cmsg_out {
	char buf[4 * CMSG_SPACE(sizeof(int)) + CMSG_SPACE(sizeof(struct ucred)) +
		 CMSG_SPACE(SOCK_MAX_FDS * sizeof(int))];
	size_t room, used;
	int *mflags;
};

/* One message; a buffer too small for it takes what fits (its cmsg_len says so) and
 * MSG_CTRUNC, one too small for a header takes nothing. */
static void
put_cmsg(struct cmsg_out *o, int level, int type, const void *data, size_t len)
{
	struct cmsghdr h = { .cmsg_len = CMSG_LEN(len), .cmsg_level = level, .cmsg_type = type };
	size_t n = CMSG_LEN(len);

	if (o->room < sizeof(h)) {
		*o->mflags |= MSG_CTRUNC;
		return;
	}
	if (o->room < n) {
		*o->mflags |= MSG_CTRUNC;
		n = o->room;
		h.cmsg_len = n;
	}
	memcpy(o->buf + o->used, &h, sizeof(h));
	memcpy(o->buf + o->used + CMSG_LEN(0), data, n - CMSG_LEN(0));
	n = MIN(CMSG_SPACE(len), o->room);
	o->used += n;
	o->room -= n;
}

/* A new pidfd (close-on-exec) of process pid, a socket's peer or a message's sender;
 * -EMFILE... */
static long
install_pidfd(struct task *t, int pid)
{
	struct file *pf;
	long err = vfs_pidfd_peer(pid, &pf);

	return err ? err : sys_install(t, pf, true);
}

/* The result of a receive, its descriptors installed: control messages into the guest's
 * buffer at uctl (room ctllen); *ctl_used and *mflags for the msghdr. In Linux's order: IP
 * options, credentials, descriptors. */
static long
control_out(struct task *t, struct file *f, struct sock_recvd *r, int flags, unsigned long uctl,
	    size_t ctllen, size_t *ctl_used, int *mflags)
{
	struct cmsg_out o;
	int passcred = 0;
	socklen_t plen = sizeof(passcred);

	int passpidfd = 0;
	socklen_t pplen = sizeof(passpidfd);

	*ctl_used = 0;
	memset(o.buf, 0, sizeof(o.buf));
	o.room = uctl ? MIN(ctllen, sizeof(o.buf)) : 0;
	o.used = 0;
	o.mflags = mflags;
	if (r->ipcm & SOCK_CM_ERR) /* MSG_ERRQUEUE: this one only */
		put_cmsg(&o, r->err_level, r->err_type, r->err_data, r->err_len);
	if (r->ipcm & SOCK_CM_TIMESTAMP) {
		struct timeval tv = { r->tstamp / 1000000000LL, r->tstamp % 1000000000LL / 1000 };

		/* (the _NEW one's __kernel_sock_timeval: two 64-bit numbers, as timeval) */
		put_cmsg(&o, SOL_SOCKET, r->ipcm & SOCK_CM_TSTAMP_NEW ? SO_TIMESTAMP_NEW
								     : SO_TIMESTAMP_OLD, &tv, sizeof(tv));
	}
	if (r->ipcm & SOCK_CM_TIMESTAMPNS) {
		struct timespec ts = { r->tstamp / 1000000000LL, r->tstamp % 1000000000LL };

		put_cmsg(&o, SOL_SOCKET, r->ipcm & SOCK_CM_TSTAMP_NEW ? SO_TIMESTAMPNS_NEW
								     : SO_TIMESTAMPNS_OLD, &ts, sizeof(ts));
	}
	if (r->ipcm & SOCK_CM_TIMESTAMPING) { /* struct scm_timestamping(64): software, -, - */
		struct timespec ts[3] = { { r->tstamp / 1000000000LL, r->tstamp % 1000000000LL } };

		put_cmsg(&o, SOL_SOCKET, r->ipcm & SOCK_CM_TSTAMP_NEW ? SO_TIMESTAMPING_NEW
								     : SO_TIMESTAMPING_OLD, ts, sizeof(ts));
	}
	if (r->ipcm & SOCK_CM_MARK)
		put_cmsg(&o, SOL_SOCKET, SO_MARK, &r->mark, sizeof(r->mark));
	/* Linux's order (udpv6_recvmsg): ip6_datagram_recv_common_ctl, then for IPv4
	 * ip_cmsg_recv_offset, for IPv6 ip6_datagram_recv_specific_ctl */
	if (r->ipcm & SOCK_CM_PKTINFO6) {
		struct in6_pktinfo pi6 = { .ipi6_ifindex = 1 };

		memcpy(&pi6.ipi6_addr, r->dst6, sizeof(pi6.ipi6_addr));
		put_cmsg(&o, IPPROTO_IPV6, IPV6_PKTINFO, &pi6, sizeof(pi6));
	}
	if (r->ipcm & SOCK_CM_PKTINFO) { /* loopback (index 1): the local address is the target */
		struct in_pktinfo pi = { .ipi_ifindex = 1 };

		uint32_t d = ntohl(r->dst4);

		/* a group's or broadcast's: the address a reply would come from (lo's) */
		bool mc = (d >> 28) == 14 || d == INADDR_BROADCAST || d == 0x7fffffff;

		pi.ipi_spec_dst.s_addr = r->no_spec_dst ? 0 : mc ? htonl(INADDR_LOOPBACK) : r->dst4;
		pi.ipi_addr.s_addr = r->dst4;
		put_cmsg(&o, IPPROTO_IP, IP_PKTINFO, &pi, sizeof(pi));
	}
	if (r->ipcm & SOCK_CM_TTL)
		put_cmsg(&o, IPPROTO_IP, IP_TTL, &r->hoplimit, sizeof(int));
	if (r->ipcm & SOCK_CM_GRO)
		put_cmsg(&o, SOL_UDP, UDP_GRO, &r->gro_size, sizeof(int));
	if (r->ipcm & SOCK_CM_TOS)
		put_cmsg(&o, IPPROTO_IP, IP_TOS, &(unsigned char){ (unsigned char)r->tclass }, 1);
	if (r->ipcm & SOCK_CM_ORIGDST) {
		struct sockaddr_in sin = { .sin_family = AF_INET, .sin_port = htons(r->dst_port) };

		sin.sin_addr.s_addr = r->dst4;
		put_cmsg(&o, IPPROTO_IP, IP_ORIGDSTADDR, &sin, sizeof(sin));
	}
	if (r->ipcm & SOCK_CM_HOPLIMIT)
		put_cmsg(&o, IPPROTO_IPV6, IPV6_HOPLIMIT, &r->hoplimit, sizeof(int));
	if (r->ipcm & SOCK_CM_TCLASS)
		put_cmsg(&o, IPPROTO_IPV6, IPV6_TCLASS, &r->tclass, sizeof(int));
	if (r->ipcm & SOCK_CM_ORIGDST6) {
		struct sockaddr_in6 sin6 = { .sin6_family = AF_INET6,
					     .sin6_port = htons(r->dst_port) };

		memcpy(&sin6.sin6_addr, r->dst6, sizeof(sin6.sin6_addr));
		put_cmsg(&o, IPPROTO_IPV6, IPV6_ORIGDSTADDR, &sin6, sizeof(sin6));
	}
	if (r->ipcm & SOCK_CM_INQ)
		put_cmsg(&o, IPPROTO_TCP, TCP_INQ, &r->inq, sizeof(int));
	if (sock_family(f) == AF_UNIX || sock_family(f) == AF_NETLINK)
		sock_getsockopt(f, SOL_SOCKET, SO_PASSCRED, &passcred, &plen);
	if (passcred && r->has_cred) {
		/* the sender as the receiver's pid and user namespaces see it */
		struct ucred c = { task_vnr(t, r->cred.pid), userns_uid_out(t, r->cred.uid),
				   userns_gid_out(t, r->cred.gid) };

		put_cmsg(&o, SOL_SOCKET, SCM_CREDENTIALS, &c, sizeof(c));
	}
	if (r->nfds) { /* scm_detach_fds: as many as fit, the others closed */
		struct cmsghdr *c = (struct cmsghdr *)(o.buf + o.used);
		int fit = o.room <= CMSG_LEN(0) ? 0 : (int)((o.room - CMSG_LEN(0)) / sizeof(int));
		int n = 0;

		if (fit < r->nfds)
			*mflags |= MSG_CTRUNC;
		for (int i = 0; i < r->nfds; i++) {
			long fd = -1;

			if (i < fit)
				fd = fdt_install(t->fdt, r->fds[i], 0, flags & MSG_CMSG_CLOEXEC);
			file_put(r->fds[i]);
			if (fd < 0) {
				if (i < fit)
					*mflags |= MSG_CTRUNC;
				continue;
			}
			memcpy(CMSG_DATA(c) + n * sizeof(int), &(int){ (int)fd }, sizeof(int));
			n++;
		}
		r->nfds = 0;
		if (n) {
			c->cmsg_len = CMSG_LEN(n * sizeof(int));
			c->cmsg_level = SOL_SOCKET;
			c->cmsg_type = SCM_RIGHTS;
			o.used += MIN(CMSG_SPACE(n * sizeof(int)), o.room);
		}
	}
	if (sock_family(f) == AF_UNIX)
		sock_getsockopt(f, SOL_SOCKET, SO_PASSPIDFD, &passpidfd, &pplen);
	/* SO_PASSPIDFD (scm_pidfd_recv): a pidfd of the sender, after the descriptors; with
	 * no room for its message (or no control buffer) none, and MSG_CTRUNC */
	if (passpidfd && r->has_cred && r->cred.pid > 0) {
		if (o.room < CMSG_LEN(sizeof(int))) {
			*mflags |= MSG_CTRUNC;
		} else {
			long fd = install_pidfd(t, r->cred.pid);

			if (fd < 0)
				*mflags |= MSG_CTRUNC;
			else
				put_cmsg(&o, SOL_SOCKET, SCM_PIDFD, &(int){ (int)fd }, sizeof(int));
		}
	}
	if (o.used && copy_to_guest(t, uctl, o.buf, o.used))
		return -EFAULT;
	*ctl_used = o.used;
	return 0;
}

/* A receive; a blocking stream MSG_WAITALL one waits for all of total, taking the data as it
 * comes (t->wait_written keeps what the earlier runs of the call received: a signal,
 * SO_RCVTIMEO, the end of the stream or an error end it with that count, as on Linux). */
static long
do_recv(struct task *t, struct file *f, const struct iovec *iov, unsigned long cnt, size_t total,
	int flags, struct sock_recvd *r, bool want_fds, bool whole)
{
	static struct file *fdbuf[SOCK_MAX_FDS];
	_cleanup_free_ char *buf = NULL;
	bool all = whole && (flags & MSG_WAITALL) && !(flags & MSG_PEEK) && sock_type(f) == SOCK_STREAM &&
		   !nonblocking(f, flags);
	size_t max = MIN(total, sock_type(f) == SOCK_STREAM ? (size_t)SOCK_IO_MAX
							   : (size_t)SOCK_DGRAM_MAX), done = 0;
	/* TCP's MSG_TRUNC takes (or peeks at) the bytes without copying them (tcp_recvmsg) */
	bool discard = (flags & MSG_TRUNC) && sock_type(f) == SOCK_STREAM &&
		       sock_family(f) != AF_UNIX;
	long n;

	/* a stream's urgent (unix: out-of-band) byte: never waits (tcp_recv_urg,
	 * unix_stream_recv_urg: the latter says 1 even for no room, copying nothing) */
	if ((flags & MSG_OOB) && sock_type(f) == SOCK_STREAM) {
		bool unix_ = sock_family(f) == AF_UNIX;
		char c;

		r->fds = NULL;
		n = sock_recv(t, f, &c, total ? 1 : 0, flags & ~MSG_WAITALL, r);
		if (n > 0 && total && (unix_ || !(flags & MSG_TRUNC)) &&
		    scatter(t, iov, cnt, 0, &c, 1))
			return -EFAULT;
		return n;
	}
	if (flags & MSG_OOB)
		return -EOPNOTSUPP;
	r->fds = want_fds ? fdbuf : NULL;
	if (flags & MSG_ERRQUEUE) { /* the error queue: never waits */
		buf = xmalloc(max ? max : 1);
		n = sock_recv(t, f, buf, max, flags, r);
		if (n > 0 && scatter(t, iov, cnt, 0, buf, (size_t)n))
			return -EFAULT;
		return n;
	}
	if (all) {
		flags &= ~MSG_WAITALL; /* this loop waits */
		if (t->wait_rerun)
			done = MIN(t->wait_written, total);
	}
	buf = xmalloc(max ? max : 1);
	do {
		size_t want = MIN(total - done, max);

		n = sock_recv(t, f, buf, want, flags, r);
		if (n <= 0)
			break;
		if (!discard && scatter(t, iov, cnt, done, buf, MIN((size_t)n, want))) {
			for (int i = 0; i < r->nfds; i++)
				file_put(r->fds[i]);
			r->nfds = 0;
			n = -EFAULT;
			break;
		}
		done += (size_t)n;
	} while (all && done < total && r->nfds == 0 && !r->urg_stop);
	if (n == -EAGAIN && !nonblocking(f, flags)) {
		if (!total && sock_type(f) == SOCK_STREAM && sock_family(f) != AF_UNIX) {
			/* TCP's loop runs once for 0 bytes: whatever ends the wait (data, a
			 * signal, SO_RCVTIMEO) ends the call with 0 (tcp_recvmsg) */
			bool again = t->wait_rerun;
			n = sock_block(t, f, POLLIN, NULL);
			t->wait_ends_zero = n == SYSRET_BLOCK;
			return n == -EAGAIN && again ? 0 : n;
		}
		if (!all)
			return sock_block(t, f, POLLIN, NULL);
		t->wait_written = done; /* wait for the rest */
		n = sock_block(t, f, POLLIN, NULL);
		return n == -EAGAIN && done ? (long)done : n; /* SO_RCVTIMEO: what came */
	}
	if (all)
		return done ? (long)done : n;
	return n;
}

long
sys_sock_rw(struct task *t, struct file *f, const struct iovec *iov, int cnt, size_t total,
	    bool wr, int flags)
{
	struct sock_recvd r = { 0 };

	if (!wr && total == 0)
		return 0; /* as sock_read_iter */
	if (wr)
		return do_send(t, f, iov, (unsigned long)cnt, total, 0, 0, 0, 0, flags, true, NULL);
	return do_recv(t, f, iov, (unsigned long)cnt, total, flags, &r, false, true);
}

SYSCALL(sendto)
{
	struct iovec iov = { (void *)a->a[1], a->a[2] };
	const struct host_sock *hs;
	struct file *f;

	if ((hs = host_sock(t, a->a[0], &f)))
		return (ssize_t)a->a[2] < 0 ? -EINVAL
					     : host_send(t, f, hs, a, "sendto", &iov, 1, a->a[2],
							 a->a[4] && a->a[5], 0, (int)a->a[3]);
	long err = sock_fd(t, a->a[0], &f);

	if (err)
		return err;
	if ((ssize_t)a->a[2] < 0)
		return -EINVAL;
	return do_send(t, f, &iov, 1, a->a[2], 0, 0, a->a[4], (long)(int)a->a[5], (int)a->a[3],
		       true, NULL);
}

SYSCALL(recvfrom)
{
	struct iovec iov = { (void *)a->a[1], a->a[2] };
	struct sock_recvd r;
	struct file *f;

	const struct host_sock *hs = host_sock(t, a->a[0], &f);

	if (hs) {
		struct sockaddr_storage from;
		socklen_t fromlen;
		int mflags;
		long got = host_recv(t, f, hs, &iov, 1, a->a[2], (int)a->a[3], &from, &fromlen,
				     &mflags);

		if (got >= 0 && a->a[4]) {
			int e = addr_out(t, a->a[4], a->a[5], (const struct sockaddr_un *)&from, fromlen);
			if (e)
				return e;
		}
		return got;
	}
	long n = sock_fd(t, a->a[0], &f);

	if (n)
		return n;
	n = do_recv(t, f, &iov, 1, a->a[2], (int)a->a[3], &r, false, true);
	if (n >= 0 && a->a[4]) {
		struct sockaddr_un sa = { .sun_family = AF_UNIX };
		socklen_t len = 0; /* an unnamed sender: no address */

		if (r.fromlen) {
			sa = r.from;
			len = r.fromlen;
		}
		if (sock_type(f) == SOCK_STREAM && sock_family(f) != AF_UNIX)
			len = 0; /* TCP names no sender; AF_UNIX names the peer */
		/* (Linux move_addr_to_user: a negative length is EINVAL, the data gone) */
		int e = addr_out(t, a->a[4], a->a[5], &sa, len);
		if (e)
			return e;
	}
	return n;
}

static long
sendmsg_one(struct task *t, struct file *f, unsigned long umsg, int flags, bool whole,
	    size_t *part)
{
	_cleanup_free_ struct iovec *iov = NULL;
	struct msghdr mh;
	size_t total;
	long err;

	if (copy_from_guest(t, &mh, umsg, sizeof(mh)))
		return -EFAULT;
	err = iov_in(t, (unsigned long)mh.msg_iov, mh.msg_iovlen, &iov, &total);
	if (err)
		return err;
	return do_send(t, f, iov, mh.msg_iovlen, total, (unsigned long)mh.msg_control,
		       mh.msg_controllen, (unsigned long)mh.msg_name, (long)(int)mh.msg_namelen,
		       flags, whole, part);
}

SYSCALL(sendmsg)
{
	const struct host_sock *hs;
	struct file *f;

	if ((hs = host_sock(t, a->a[0], &f)))
		return host_sendmsg(t, f, hs, a);
	long err = sock_fd(t, a->a[0], &f);

	return err ? err : sendmsg_one(t, f, a->a[1], (int)a->a[2], true, NULL);
}

static long
recvmsg_one(struct task *t, struct file *f, unsigned long umsg, int flags, bool whole)
{
	_cleanup_free_ struct iovec *iov = NULL;
	struct sock_recvd r = { 0 };
	struct msghdr mh;
	size_t total, ctl_used = 0;
	int mflags;
	long n, err;

	if (copy_from_guest(t, &mh, umsg, sizeof(mh)))
		return -EFAULT;
	if (mh.msg_name && (int)mh.msg_namelen < 0)
		return -EINVAL; /* Linux __copy_msghdr, before anything is received */
	err = iov_in(t, (unsigned long)mh.msg_iov, mh.msg_iovlen, &iov, &total);
	if (err)
		return err;
	n = do_recv(t, f, iov, mh.msg_iovlen, total, flags, &r, true, whole);
	if (n < 0)
		return n;
	/* Linux ____sys_recvmsg starts msg_flags from the call's MSG_CMSG_CLOEXEC */
	mflags = r.msg_flags | (flags & MSG_CMSG_CLOEXEC);
	err = control_out(t, f, &r, flags, (unsigned long)mh.msg_control, mh.msg_controllen,
			  &ctl_used, &mflags);
	if (err)
		return err;
	if (mh.msg_name && (sock_type(f) != SOCK_STREAM || sock_family(f) == AF_UNIX)) {
		struct sockaddr_un sa = { .sun_family = AF_UNIX };
		socklen_t len = 0; /* an unnamed sender: no address */

		if (r.fromlen) {
			sa = r.from;
			len = r.fromlen;
		}
		if ((int)mh.msg_namelen < 0)
			return -EINVAL;
		if (copy_to_guest(t, (unsigned long)mh.msg_name, &sa, MIN(mh.msg_namelen, len)))
			return -EFAULT;
		mh.msg_namelen = len;
	} else {
		mh.msg_namelen = 0;
	}
	mh.msg_controllen = ctl_used;
	mh.msg_flags = mflags;
	/* (Linux ____sys_recvmsg: msg_namelen is written only with a msg_name to fill) */
	if ((mh.msg_name && copy_to_guest(t, umsg + offsetof(struct msghdr, msg_namelen),
					  &mh.msg_namelen, sizeof(mh.msg_namelen))) ||
	    copy_to_guest(t, umsg + offsetof(struct msghdr, msg_controllen), &mh.msg_controllen,
			  sizeof(mh.msg_controllen)) ||
	    copy_to_guest(t, umsg + offsetof(struct msghdr, msg_flags), &mh.msg_flags,
			  sizeof(mh.msg_flags)))
		return -EFAULT;
	return n;
}

SYSCALL(recvmsg)
{
	const struct host_sock *hs;
	struct file *f;

	if ((hs = host_sock(t, a->a[0], &f)))
		return host_recvmsg(t, f, hs, a);
	long err = sock_fd(t, a->a[0], &f);

	return err ? err : recvmsg_one(t, f, a->a[1], (int)a->a[2], true);
}

/* sendmmsg/recvmmsg: each message as sendmsg/recvmsg (each may wait, as on Linux; after the
 * first one MSG_WAITFORONE makes the others non-blocking); msg_len set. t->wait_written
 * keeps how many messages the earlier runs of the call moved (a signal ends it with that
 * count). A recvmmsg timeout is checked after each datagram (t->wait_mmsg_end), as Linux
 * does, and the time left is written back. */
static long
do_mmsg(struct task *t, const struct sysargs *a, bool send)
{
	struct file *f;
	unsigned int vlen = (unsigned int)a->a[2];
	int flags = (int)a->a[3];
	unsigned long uts = send ? 0 : a->a[4];
	long err, n = 0, r = 0;
	size_t part = 0;
	bool whole;

	if (uts) { /* checked before the descriptor, as Linux */
		struct timespec ts;

		if (copy_from_guest(t, &ts, uts, sizeof(ts)))
			return -EFAULT;
		if (ts.tv_sec < 0 || ts.tv_nsec < 0 || ts.tv_nsec >= 1000000000L)
			return -EINVAL;
		if (!t->wait_rerun)
			t->wait_mmsg_end = monotonic_ns() +
					   MIN(ts.tv_sec, 1000000000L) * 1000000000LL + ts.tv_nsec;
	}
	err = sock_fd(t, a->a[0], &f);
	if (err)
		return err;
	if (vlen > IOV_MAX_)
		vlen = IOV_MAX_;
	/* a blocking stream sendmmsg sends each message whole, as sendmsg: a wait in the
	 * middle of one keeps its bytes (t->wait_mmsg_part) with msg_len set to them, so a
	 * signal ends the call counting it, as Linux does */
	whole = send && sock_type(f) == SOCK_STREAM && !nonblocking(f, flags);
	if (t->wait_rerun) {
		n = (long)MIN(t->wait_written, (size_t)vlen);
		if (whole && n > 0 && t->wait_mmsg_part) {
			n--;
			part = t->wait_mmsg_part;
		}
	}
	if (n && !send && (flags & MSG_WAITFORONE))
		flags |= MSG_DONTWAIT;
	for (unsigned int i = (unsigned int)n; i < vlen; i++) {
		unsigned long m = a->a[1] + i * sizeof(struct mmsghdr);
		unsigned int len;

		r = send ? sendmsg_one(t, f, m, flags, whole, whole ? &part : NULL)
			 : recvmsg_one(t, f, m, flags, false);
		if (r == SYSRET_BLOCK) {
			t->wait_written = (size_t)n + (part ? 1 : 0);
			t->wait_mmsg_part = part;
			len = (unsigned int)part;
			if (part)
				copy_to_guest(t, m + offsetof(struct mmsghdr, msg_len), &len,
					      sizeof(len));
			return r;
		}
		part = 0;
		if (r < 0)
			break;
		len = (unsigned int)r;
		if (copy_to_guest(t, m + offsetof(struct mmsghdr, msg_len), &len, sizeof(len))) {
			r = -EFAULT;
			break;
		}
		n++;
		if (!send && (flags & MSG_WAITFORONE))
			flags |= MSG_DONTWAIT;
		if (uts && monotonic_ns() >= t->wait_mmsg_end)
			break;
	}
	/* recvmmsg: an error after some messages is the next call's (Linux: sk_err) */
	if (n && !send && r < 0 && r != -EAGAIN)
		sock_set_error(f, (int)-r);
	if (n && uts) {
		long long left = t->wait_mmsg_end - monotonic_ns();
		struct timespec ts = { 0, 0 };

		if (left > 0)
			ts = (struct timespec){ left / 1000000000LL, left % 1000000000LL };
		if (copy_to_guest(t, uts, &ts, sizeof(ts)))
			return -EFAULT;
	}
	return n ? n : r;
}

SYSCALL(sendmmsg)
{
	return do_mmsg(t, a, true);
}

SYSCALL(recvmmsg)
{
	return do_mmsg(t, a, false);
}

/* SO_PEERGROUPS (Linux sock_getsockopt): the peer's supplementary groups as the caller's
 * user namespace maps them; a buffer too small for them all is ERANGE with the size needed
 * in *optlen; a socket without a peer credential is ENODATA. */
/* ---- SO_ATTACH_FILTER / SO_GET_FILTER: classic BPF socket filters, kept, not run ---- */

/* Linux sk_attach_filter: the struct (optlen, EFAULT), SO_LOCK_FILTER (EPERM), a program of
 * 1 to BPF_MAXINSNS instructions (EINVAL), read (EFAULT) and checked (EINVAL). */
static long
attach_filter(struct task *t, struct file *f, unsigned long uval, int len)
{
	struct sock_fprog fp;
	int locked = 0;
	socklen_t ll = sizeof(locked);

	if (len < (int)sizeof(fp))
		return -EINVAL;
	if (copy_from_guest(t, &fp, uval, sizeof(fp)))
		return -EFAULT;
	sock_getsockopt(f, SOL_SOCKET, SO_LOCK_FILTER, &locked, &ll);
	if (locked)
		return -EPERM;
	if (!fp.filter || fp.len == 0 || fp.len > BPF_MAXINSNS)
		return -EINVAL;
	_cleanup_free_ struct sock_filter *prog = xmalloc(fp.len * sizeof(*prog));
	if (copy_from_guest(t, prog, (unsigned long)fp.filter, fp.len * sizeof(*prog)))
		return -EFAULT;
	int err = bpf_check_classic(prog, fp.len, false);
	return err ? err : sock_set_filter(f, prog, fp.len);
}

/* Linux sk_get_filter: the length is counted in instructions; 0 asks for the count, a
 * smaller one than the program's is EINVAL; none attached: 0. */
static long
get_filter(struct task *t, struct file *f, int len, unsigned long optval, unsigned long optlen)
{
	unsigned n;
	const struct sock_filter *prog = sock_filter_prog(f, &n);

	if (prog && len) {
		if ((unsigned)len < n)
			return -EINVAL;
		if (copy_to_guest(t, optval, prog, n * sizeof(*prog)))
			return -EFAULT;
	}
	return copy_to_guest(t, optlen, &n, sizeof(int)) ? -EFAULT : 0;
}

static long
peer_groups(struct task *t, struct file *f, int len, unsigned long optval, unsigned long optlen)
{
	const gid_t *groups;
	int n = sock_peer_groups(f, &groups);

	if (n < 0)
		return n;
	int need = n * (int)sizeof(gid_t);
	if (len < need)
		return copy_to_guest(t, optlen, &need, sizeof(need)) ? -EFAULT : -ERANGE;
	for (int i = 0; i < n; i++) {
		gid_t g = userns_gid_out(t, groups[i]);

		if (copy_to_guest(t, optval + i * sizeof(g), &g, sizeof(g)))
			return -EFAULT;
	}
	return copy_to_guest(t, optlen, &need, sizeof(need)) ? -EFAULT : 0;
}

/* SO_PEERPIDFD (Linux sk_getsockopt): a pidfd of the peer, installed; what fits of its
 * number (optlen stays as given); no peer process: ENODATA. */
static long
peer_pidfd(struct task *t, struct file *f, int len, unsigned long optval)
{
	int pid;
	socklen_t l = sizeof(pid);
	long err = sock_getsockopt(f, SOL_SOCKET, SO_PEERPIDFD, &pid, &l), fd;

	if (err)
		return err;
	fd = install_pidfd(t, pid);
	if (fd < 0)
		return fd;
	if (copy_to_guest(t, optval, &(int){ (int)fd }, MIN((size_t)len, sizeof(int)))) {
		fdt_close(t->fdt, (int)fd);
		return -EFAULT;
	}
	return 0;
}

SYSCALL(getsockopt)
{
	char val[512]; /* TCP_INFO is the largest */
	const struct host_sock *hs;
	struct file *f;
	int len;
	socklen_t l;

	if ((hs = host_sock(t, a->a[0], &f)))
		return host_getsockopt(t, f, hs, a);
	long err = sock_fd(t, a->a[0], &f);

	if (err)
		return err;
	if (copy_from_guest(t, &len, a->a[4], sizeof(len)))
		return -EFAULT;
	if (len < 0)
		return -EINVAL;
	if ((int)a->a[1] == SOL_SOCKET && (int)a->a[2] == SO_PEERGROUPS)
		return peer_groups(t, f, len, a->a[3], a->a[4]);
	if ((int)a->a[1] == SOL_SOCKET && (int)a->a[2] == SO_PEERPIDFD)
		return peer_pidfd(t, f, len, a->a[3]);
	if ((int)a->a[1] == SOL_SOCKET && (int)a->a[2] == SO_GET_FILTER)
		return get_filter(t, f, len, a->a[3], a->a[4]);
	l = MIN((socklen_t)len, (socklen_t)sizeof(val));
	memset(val, 0, sizeof(val));
	err = sock_getsockopt(f, (int)a->a[1], (int)a->a[2], val, &l);
	if (err)
		return err;
	if ((int)a->a[1] == SOL_SOCKET && (int)a->a[2] == SO_PEERCRED) {
		/* the peer as the caller's pid and user namespaces see it (cred_to_ucred) */
		struct ucred c;
		socklen_t cl = sizeof(c);

		sock_getsockopt(f, SOL_SOCKET, SO_PEERCRED, &c, &cl);
		c.pid = task_vnr(t, c.pid);
		if (c.uid != (uid_t)-1)
			c.uid = userns_uid_out(t, c.uid);
		if (c.gid != (gid_t)-1)
			c.gid = userns_gid_out(t, c.gid);
		memcpy(val, &c, MIN(l, (socklen_t)sizeof(c)));
	}
	/* l may say more than fits (NETLINK_LIST_MEMBERSHIPS): only what fits is copied */
	if (copy_to_guest(t, a->a[3], val, MIN(l, MIN((socklen_t)len, (socklen_t)sizeof(val)))) ||
	    copy_to_guest(t, a->a[4], &l, sizeof(int)))
		return -EFAULT;
	return 0;
}

SYSCALL(setsockopt)
{
	/* the largest value a handler reads (struct group_source_req: 264 bytes) fits; the
	 * length handlers see never passes what was copied */
	char val[4096];
	struct file *f;

	if (host_sock(t, a->a[0], &f))
		return host_setsockopt(t, f, a);
	long err = sock_fd(t, a->a[0], &f);
	int len = (int)a->a[4];

	if (err)
		return err;
	if (len < 0)
		return -EINVAL;
	if ((int)a->a[1] == SOL_SOCKET && (int)a->a[2] == SO_ATTACH_FILTER)
		return attach_filter(t, f, a->a[3], len);
	memset(val, 0, sizeof(val));
	size_t want = MIN((size_t)len, sizeof(val));
	size_t got = want ? copy_from_guest_partial(t, val, a->a[3], want) : 0;

	if (want && !got)
		return -EFAULT;
	len = (int)got; /* (a value ending in unmapped memory: what could be read) */
	if ((int)a->a[1] == SOL_SOCKET && len >= (int)sizeof(int)) {
		/* Linux sk_setsockopt's capability checks */
		int name = (int)a->a[2], v;
		bool net_admin = task_capable(t, CAP_NET_ADMIN);
		bool raw_or_admin = net_admin || task_capable(t, CAP_NET_RAW);

		memcpy(&v, val, sizeof(v));
		if ((name == SO_SNDBUFFORCE || name == SO_RCVBUFFORCE) && !net_admin)
			return -EPERM;
		if (name == SO_MARK && !raw_or_admin)
			return -EPERM;
		if (name == SO_PRIORITY && (v < 0 || v > 6) && !raw_or_admin)
			return -EPERM;
		if (name == SO_DEBUG && v && !net_admin)
			return -EACCES;
		if (name == SO_PREFER_BUSY_POLL && v && !net_admin)
			return -EPERM;
		if (name == SO_TXTIME && len == (int)sizeof(struct sock_txtime) &&
		    ((struct sock_txtime *)val)->clockid != CLOCK_MONOTONIC && !net_admin)
			return -EPERM; /* (flags checked first: EINVAL) */
		/* a BPF program's descriptor: none open is EBADF (bpf_prog_get) */
		if ((name == SO_ATTACH_BPF || name == SO_ATTACH_REUSEPORT_EBPF) &&
		    len == (int)sizeof(int) && !sys_fd(t, v)) {
			int locked = 0;
			socklen_t ll = sizeof(locked);

			sock_getsockopt(f, SOL_SOCKET, SO_LOCK_FILTER, &locked, &ll);
			if (!locked || name != SO_ATTACH_BPF)
				return -EBADF;
		}
	}
	return sock_setsockopt(f, (int)a->a[1], (int)a->a[2], val, (socklen_t)len);
}
