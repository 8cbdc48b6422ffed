/*
 * The sentry's side of network egress (net/net.h): guest sockets backed by a host socket
 * the gofer made after its policy check. The sentry only does I/O on it with calls it may
 * make anyway (sendmsg, recvmsg, ppoll, ioctl FIONREAD, close); what it may not do
 * (shutdown) goes through the gofer. Every call here is non-blocking.
 */
#include <errno.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <netinet/in.h>
#include <unistd.h>

#include "fs/gofer_proto.h"
#include "fs/vfs.h"
#include "net/net.h"
#include "sentry/util.h"

static int egress_mode = NET_NONE;

void
net_set_mode(int mode)
{
	egress_mode = mode;
}

int
net_mode(void)
{
	return egress_mode;
}

enum { HS_CONNECTING, HS_CONNECTED, HS_FAILED, HS_UNCONNECTED };

struct hsock {
	int fd;
	int type;
	int state;
	int err;                  /* SO_ERROR: a failure not reported yet */
	bool reported;            /* a connect reported the failure (ECONNABORTED next) */
	struct sockaddr_storage local, peer;
	socklen_t locallen, peerlen;
};

int
hsock_open(int family, int type, const void *a, socklen_t len, bool connect,
	   struct hsock **out, char *why, size_t whylen)
{
	struct gofer_req h = { .op = GOFER_OP_NET_SOCKET, .flags = (uint32_t)type,
			       .mode = connect };
	static char data[PATH_MAX];
	struct gofer_reply rp;
	struct hsock *hs;
	int fd, err;

	why[0] = '\0';
	if (egress_mode == NET_NONE)
		return -ENETUNREACH;
	h.path_len = family == AF_INET ? sizeof(struct sockaddr_in) : sizeof(struct sockaddr_in6);
	if (len < h.path_len)
		return -EINVAL;
	err = gofer_client_call_raw(&h, a, -1, &rp, data, &fd);
	if (err)
		return -ENETUNREACH;
	if (fd < 0) {
		if (rp.err == -EPERM && rp.data_len) {
			size_t n = MIN((size_t)rp.data_len, whylen - 1);

			memcpy(why, data, n);
			why[n] = '\0';
		}
		return rp.err ? rp.err : -EIO;
	}
	if (rp.err != 0 && rp.err != -EINPROGRESS) {
		close(fd);
		return -EIO;
	}
	hs = xcalloc(1, sizeof(*hs));
	hs->fd = fd;
	hs->type = type;
	hs->state = !connect ? HS_UNCONNECTED : rp.err ? HS_CONNECTING : HS_CONNECTED;
	hs->reported = hs->state == HS_CONNECTED; /* a connect said so already */
	if (rp.data_len <= sizeof(hs->local)) {
		memcpy(&hs->local, data, rp.data_len);
		hs->locallen = rp.data_len;
	}
	if (connect) {
		memcpy(&hs->peer, a, h.path_len);
		hs->peerlen = h.path_len;
	}
	*out = hs;
	return rp.err;
}

void
hsock_free(struct hsock *h)
{
	if (!h)
		return;
	close(h->fd);
	free(h);
}

int
hsock_fd(const struct hsock *h)
{
	return h->fd;
}

static short
host_poll(int fd, short events)
{
	struct pollfd p = { .fd = fd, .events = events };
	struct timespec zero = { 0, 0 };

	return ppoll(&p, 1, &zero, NULL) > 0 ? p.revents : 0;
}

/* A pending connect that may have finished: its state now. */
static void
settle(struct hsock *h)
{
	short ev;
	char c;

	if (h->state != HS_CONNECTING)
		return;
	ev = host_poll(h->fd, POLLOUT);
	if (!(ev & (POLLOUT | POLLERR | POLLHUP)))
		return;
	if (!(ev & (POLLERR | POLLHUP))) {
		h->state = HS_CONNECTED;
		return;
	}
	/* the failure: a receive returns (and clears) the socket's error (sock_error); recvmsg,
	 * as recv would be recvfrom, which the sentry's allowlist does not have */
	struct iovec iov = { .iov_base = &c, .iov_len = 1 };
	struct msghdr msg = { .msg_iov = &iov, .msg_iovlen = 1 };

	if (recvmsg(h->fd, &msg, MSG_DONTWAIT | MSG_PEEK) < 0 && errno != EAGAIN) {
		h->err = errno;
		h->state = HS_FAILED;
	} else {
		h->state = HS_CONNECTED; /* connected, and then the peer went */
	}
}

int
hsock_reconnect(struct hsock *h, bool nonblock, bool *dead)
{
	int err;

	*dead = false;
	settle(h);
	switch (h->state) {
	case HS_CONNECTING:
		return nonblock ? -EALREADY : -EAGAIN;
	case HS_FAILED:
		err = h->err ? -h->err : -ECONNABORTED;
		*dead = true;
		return err;
	case HS_UNCONNECTED:
		return -EINVAL;
	default:
		if (h->reported)
			return -EISCONN;
		h->reported = true;
		return 1;
	}
}

short
hsock_poll(struct hsock *h, short events)
{
	short ev;

	settle(h);
	if (h->state == HS_CONNECTING)
		return 0;
	ev = host_poll(h->fd, events | POLLRDHUP);
	if (h->state == HS_FAILED)
		ev |= POLLHUP | POLLIN | POLLRDNORM;
	if (h->err)
		ev |= POLLERR;
	return ev & (events | POLLERR | POLLHUP | POLLNVAL);
}

static int
take_err(struct hsock *h)
{
	int e = h->err;

	h->err = 0;
	return -e;
}

ssize_t
hsock_send(struct hsock *h, const void *buf, size_t n, int flags, const void *to,
	   socklen_t tolen)
{
	struct iovec iov = { .iov_base = (void *)buf, .iov_len = n };
	struct msghdr msg = { .msg_iov = &iov, .msg_iovlen = 1 };
	ssize_t r;

	settle(h);
	if (h->err)
		return take_err(h);
	if (h->state == HS_CONNECTING)
		return -EAGAIN; /* tcp_sendmsg waits for the connection */
	if (h->state == HS_FAILED)
		return -EPIPE;
	if (to && h->type == SOCK_DGRAM && h->state != HS_UNCONNECTED &&
	    (tolen != h->peerlen || memcmp(to, &h->peer, tolen)))
		return -ENETUNREACH; /* one the gofer connected: its destination only */
	if (to && h->type == SOCK_DGRAM && h->state == HS_UNCONNECTED) {
		msg.msg_name = (void *)to;
		msg.msg_namelen = tolen;
	}
	r = sendmsg(h->fd, &msg, MSG_DONTWAIT | MSG_NOSIGNAL | (flags & (MSG_MORE | MSG_EOR | MSG_OOB)));
	return r < 0 ? -errno : r;
}

ssize_t
hsock_recv(struct hsock *h, void *buf, size_t n, int flags, void *from, socklen_t *fromlen,
	   int *msg_flags)
{
	struct iovec iov = { .iov_base = buf, .iov_len = n };
	struct msghdr msg = { .msg_iov = &iov, .msg_iovlen = 1 };
	ssize_t r;

	settle(h);
	*fromlen = 0;
	if (h->err)
		return take_err(h);
	if (h->state == HS_CONNECTING)
		return -EAGAIN;
	if (h->state == HS_FAILED)
		return 0; /* the reset shut it down (tcp_done): end of file, once the error was taken */
	if (h->type == SOCK_DGRAM) {
		msg.msg_name = from;
		msg.msg_namelen = sizeof(struct sockaddr_in6);
	}
	r = recvmsg(h->fd, &msg, MSG_DONTWAIT | (flags & (MSG_PEEK | MSG_TRUNC | MSG_WAITALL | MSG_OOB)));
	if (r < 0)
		return -errno;
	if (h->type == SOCK_DGRAM)
		*fromlen = msg.msg_namelen;
	*msg_flags = msg.msg_flags & (MSG_TRUNC | MSG_OOB);
	return r;
}

int
hsock_name(struct hsock *h, bool peer, void *a, socklen_t *len)
{
	settle(h);
	if (peer) {
		if (h->state != HS_CONNECTED)
			return -ENOTCONN;
		memcpy(a, &h->peer, h->peerlen);
		*len = h->peerlen;
		return 0;
	}
	memcpy(a, &h->local, h->locallen);
	*len = h->locallen;
	return 0;
}

/* shutdown(2) of a host socket the sentry holds, made by the gofer (the sentry may not). */
int
host_socket_shutdown(int fd, int how)
{
	struct gofer_req req = { .op = GOFER_OP_NET_SHUTDOWN, .flags = (uint32_t)how };
	static char data[PATH_MAX];
	struct gofer_reply rp;
	int rfd, err;

	if (how < SHUT_RD || how > SHUT_RDWR)
		return -EINVAL;
	err = gofer_client_call_raw(&req, "", fd, &rp, data, &rfd);
	if (rfd >= 0)
		close(rfd);
	return err ? err : rp.err;
}

/* accept4(2) on a listening host socket the sentry holds (one the guest was given), by the
 * gofer, which never waits: the new host socket (non-blocking), its names and (unix) its
 * peer's credentials into *hs; or -errno (-EAGAIN: no connection yet). */
int
host_socket_accept(int fd, struct host_sock *hs)
{
	struct gofer_req req = { .op = GOFER_OP_NET_ACCEPT };
	static char data[PATH_MAX];
	struct gofer_accept ga;
	struct gofer_reply rp;
	int rfd, err;

	err = gofer_client_call_raw(&req, "", fd, &rp, data, &rfd);
	if (!err && !rp.err && (rfd < 0 || rp.data_len != sizeof(ga)))
		err = -EIO;
	if (err || rp.err) {
		if (rfd >= 0)
			close(rfd);
		return err ? err : rp.err;
	}
	memcpy(&ga, data, sizeof(ga));
	hs->peerlen = MIN(ga.peerlen, (socklen_t)sizeof(hs->peer));
	memcpy(&hs->peer, &ga.peer, hs->peerlen);
	hs->locallen = MIN(ga.locallen, (socklen_t)sizeof(hs->local));
	memcpy(&hs->local, &ga.local, hs->locallen);
	hs->has_cred = ga.has_cred;
	hs->cred = (struct ucred){ ga.cred.pid, ga.cred.uid, ga.cred.gid };
	return rfd;
}

int
hsock_shutdown(struct hsock *h, int how)
{
	settle(h);
	if (how < SHUT_RD || how > SHUT_RDWR)
		return -EINVAL;
	if (h->state != HS_CONNECTED)
		return -ENOTCONN;
	return host_socket_shutdown(h->fd, how);
}

int
hsock_setopt(struct hsock *h, int level, int name, int v)
{
	return hsock_setopt_raw(h, level, name, &v, sizeof(v));
}

/* setsockopt(2) of one of gofer_net_sockopt_ok's options on a host socket, by the gofer:
 * 0, -errno, or 1 for an option it does not make (the caller decides). */
int
host_socket_setopt(int fd, int level, int name, const void *val, socklen_t len)
{
	struct gofer_req req = { .op = GOFER_OP_NET_SETSOCKOPT, .flags = (uint32_t)level,
				 .mode = (uint32_t)name };
	static char data[PATH_MAX];
	struct gofer_reply rp;
	int rfd, err, v[2] = { 0, 0 };
	bool linger = level == SOL_SOCKET && name == SO_LINGER;

	if (!gofer_net_sockopt_ok((uint32_t)level, (uint32_t)name))
		return 1;
	if (len < sizeof(int) || (linger && len < sizeof(struct linger)))
		return -EINVAL;
	memcpy(v, val, linger ? sizeof(struct linger) : sizeof(int));
	req.arg[0] = v[0];
	req.arg[1] = linger ? v[1] : 0;
	err = gofer_client_call_raw(&req, "", fd, &rp, data, &rfd);
	if (rfd >= 0)
		close(rfd);
	return err ? err : rp.err;
}

int
hsock_setopt_raw(struct hsock *h, int level, int name, const void *val, socklen_t len)
{
	bool linger = level == SOL_SOCKET && name == SO_LINGER;

	if (!gofer_net_sockopt_ok((uint32_t)level, (uint32_t)name) || len < sizeof(int) ||
	    (linger && len < sizeof(struct linger)))
		return 0; /* kept in the sentry only */
	return host_socket_setopt(h->fd, level, name, val, len);
}

int
hsock_error(struct hsock *h)
{
	settle(h);
	if (h->err)
		return -take_err(h);
	return host_socket_error(h->fd);
}

/* A host socket's own pending error (an ICMP answer, a reset): a receive takes it when
 * nothing is queued before it (the sentry may not call getsockopt). */
int
host_socket_error(int fd)
{
	char c;
	struct iovec iov = { .iov_base = &c, .iov_len = 1 };
	struct msghdr msg = { .msg_iov = &iov, .msg_iovlen = 1 };

	if ((host_poll(fd, 0) & POLLERR) && recvmsg(fd, &msg, MSG_DONTWAIT | MSG_PEEK) < 0 &&
	    errno != EAGAIN)
		return errno;
	return 0;
}

int
hsock_inq(struct hsock *h, int *v)
{
	settle(h);
	if (h->state != HS_CONNECTED && h->state != HS_UNCONNECTED) {
		*v = 0;
		return 0;
	}
	return ioctl(h->fd, FIONREAD, v) < 0 ? -errno : 0;
}

int
hsock_atmark(struct hsock *h, int *v)
{
	settle(h);
	if (h->state != HS_CONNECTED) {
		*v = 0;
		return 0;
	}
	return ioctl(h->fd, SIOCATMARK, v) < 0 ? -errno : 0;
}

ssize_t
hsock_dns(const void *q, size_t qlen, void *out, size_t outlen)
{
	struct gofer_req h = { .op = GOFER_OP_NET_DNS, .path_len = (uint32_t)qlen };
	static char data[PATH_MAX];
	struct gofer_reply rp;
	int fd, err;

	if (qlen < 1 || qlen > 512)
		return -EINVAL;
	err = gofer_client_call_raw(&h, q, -1, &rp, data, &fd);
	if (fd >= 0)
		close(fd);
	if (err)
		return err;
	if (rp.err)
		return rp.err;
	if (rp.data_len > outlen)
		return -EIO;
	memcpy(out, data, rp.data_len);
	return rp.data_len;
}
