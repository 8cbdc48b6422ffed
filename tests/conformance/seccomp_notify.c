/* Seccomp user notifications: a supervisor (the parent) and children whose filters send
 * calls to a listener (SECCOMP_FILTER_FLAG_NEW_LISTENER). NOTIF_RECV (its data, the pid, a
 * struct that is not zeroed), ID_VALID, SEND with a value (one that looks like no errno)
 * and with an error, CONTINUE, ADDFD (at the lowest fd, at newfd with O_CLOEXEC, with SEND)
 * and the errors of each, poll readiness (IN before RECV, OUT after, HUP once the filter's
 * task is gone), a signal ending the wait (the call restarts as a new notification), the
 * killable wait (WAIT_KILLABLE_RECV), the child killed while waiting, the listener closed
 * (ENOSYS to the waiting call and to later ones) and one listener per chain (EBUSY).
 * The children report through a pipe, which the parent prints in its order. */
#include "cf.h"
#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <poll.h>
#include <signal.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>

#ifndef SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV
#define SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV (1UL << 5)
#endif

#define NR_LD BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr))
#define ON(nr, action) BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, (nr), 0, 1), BPF_STMT(BPF_RET | BPF_K, (action))

static struct sock_filter prog[] = {
	NR_LD,
	ON(__NR_getpgid, SECCOMP_RET_USER_NOTIF),
	ON(__NR_geteuid, SECCOMP_RET_USER_NOTIF),
	ON(__NR_getuid, SECCOMP_RET_USER_NOTIF),
	ON(__NR_getsid, SECCOMP_RET_USER_NOTIF),
	ON(__NR_getppid, SECCOMP_RET_USER_NOTIF),
	BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
};

static int res[2];   /* the child's reports */
static int sock[2];  /* the listener goes to the parent here */
static volatile int handled;

static long
install(unsigned flags)
{
	struct sock_fprog p = { .len = sizeof(prog) / sizeof(prog[0]), .filter = prog };
	return syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, flags, &p);
}

/* A child's line to the parent: "label: r" or "label: -1 ENAME" (r -1 from a call). */
static void
report(const char *label, long r)
{
	char line[160];
	int n = r == -1 ? snprintf(line, sizeof(line), "%s: -1 %s\n", label, en(errno))
			: snprintf(line, sizeof(line), "%s: %ld\n", label, r);
	write(res[1], line, n);
}

/* The parent prints the child's next line. */
static void
relay(void)
{
	char c;
	fputs("  child ", stdout);
	while (read(res[0], &c, 1) == 1) {
		putchar(c);
		if (c == '\n')
			break;
	}
}

static void
send_fd(int fd)
{
	char cbuf[CMSG_SPACE(sizeof(int))] = { 0 }, b = 'x';
	struct iovec iov = { &b, 1 };
	struct msghdr m = { .msg_iov = &iov, .msg_iovlen = 1, .msg_control = cbuf,
			    .msg_controllen = sizeof(cbuf) };
	struct cmsghdr *c = CMSG_FIRSTHDR(&m);
	c->cmsg_level = SOL_SOCKET;
	c->cmsg_type = SCM_RIGHTS;
	c->cmsg_len = CMSG_LEN(sizeof(int));
	memcpy(CMSG_DATA(c), &fd, sizeof(int));
	sendmsg(sock[1], &m, 0);
}

static int recv_fd_once(void);

/* The child's listener; none (no NEW_LISTENER): the run ends here. */
static int
recv_fd(void)
{
	int fd = recv_fd_once();
	if (fd < 0) {
		printf("no listener\n");
		exit(1);
	}
	return fd;
}

static int
recv_fd_once(void)
{
	char cbuf[CMSG_SPACE(sizeof(int))] = { 0 }, b;
	struct iovec iov = { &b, 1 };
	struct msghdr m = { .msg_iov = &iov, .msg_iovlen = 1, .msg_control = cbuf,
			    .msg_controllen = sizeof(cbuf) };
	int fd = -1;
	if (recvmsg(sock[0], &m, MSG_DONTWAIT) != 1 || !CMSG_FIRSTHDR(&m))
		return -1;
	memcpy(&fd, CMSG_DATA(CMSG_FIRSTHDR(&m)), sizeof(int));
	return fd;
}

static void
on_usr1(int sig)
{
	(void)sig;
	handled++;
}

/* The child: a filter with a listener (flags), which goes to the parent; then body. */
static pid_t
child(unsigned flags, void (*body)(void))
{
	pid_t c = fork();
	if (c == 0) {
		prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0);
		int l = (int)install(SECCOMP_FILTER_FLAG_NEW_LISTENER | flags);
		if (l < 0) {
			report("install", l);
			_exit(1);
		}
		send_fd(l); /* (first: the parent takes it once the line below came) */
		report("listener close-on-exec", fcntl(l, F_GETFD) == FD_CLOEXEC);
		close(l);
		body();
		_exit(0);
	}
	relay();
	return c;
}

static void
reap(const char *what, pid_t c)
{
	int st;
	if (waitpid(c, &st, 0) != c)
		printf("%s: waitpid failed\n", what);
	else
		cf_show_wait(what, st);
}

static const char *
revents(int l)
{
	struct pollfd p = { l, POLLIN | POLLOUT, 0 };
	static char s[64];
	if (poll(&p, 1, -1) != 1)
		return "poll failed";
	snprintf(s, sizeof(s), "%s%s%s%s", p.revents & POLLIN ? "IN " : "",
		 p.revents & POLLOUT ? "OUT " : "", p.revents & POLLHUP ? "HUP " : "",
		 p.revents & POLLRDNORM ? "RDNORM" : "");
	return s;
}

static struct seccomp_notif req;

static int
recv_one(int l)
{
	memset(&req, 0, sizeof(req));
	return ioctl(l, SECCOMP_IOCTL_NOTIF_RECV, &req);
}

static int
answer(int l, uint64_t id, int64_t val, int32_t error, uint32_t flags)
{
	struct seccomp_notif_resp r = { .id = id, .val = val, .error = error, .flags = flags };
	return ioctl(l, SECCOMP_IOCTL_NOTIF_SEND, &r);
}

static int
addfd(int l, uint64_t id, int src, unsigned newfd, unsigned newfd_flags, unsigned flags)
{
	struct seccomp_notif_addfd a = { .id = id, .srcfd = src, .newfd = newfd,
					 .newfd_flags = newfd_flags, .flags = flags };
	return ioctl(l, SECCOMP_IOCTL_NOTIF_ADDFD, &a);
}

static uid_t uid;

static void
body1(void)
{
	report("getpgid(0x1234) answered 4242", syscall(SYS_getpgid, 0x1234));
	report("geteuid answered EPERM", syscall(SYS_geteuid));
	report("getuid continued: the real uid", syscall(SYS_getuid) == (long)uid);
	report("getppid answered -100002", syscall(SYS_getppid));
	long fd = syscall(SYS_getsid, 0);
	char b[3] = { 0 };
	report("getsid answered after two ADDFDs: an fd", fd > 2);
	report("fd 100 close-on-exec", fcntl(100, F_GETFD));
	report("read fd 100", read(100, b, 2));
	write(res[1], "  (", 3);
	write(res[1], b, 2);
	report(")", 0);
	fd = syscall(SYS_getpgid, 1);
	report("getpgid(1) answered with ADDFD|SEND: a new fd", fd >= 0);
	report("read it", read((int)fd, b, 2));
	report("getpgid(2) answered 9", syscall(SYS_getpgid, 2));
	struct sigaction sa = { .sa_handler = on_usr1, .sa_flags = SA_RESTART };
	sigaction(SIGUSR1, &sa, NULL);
	report("getpgid(3) restarted, answered 10", syscall(SYS_getpgid, 3));
	report("  handler ran", handled);
	report("getpgid(4) as the listener closes", syscall(SYS_getpgid, 4));
	report("geteuid with no listener", syscall(SYS_geteuid));
}

static void
body2(void)
{
	report("a second listener in the chain", install(SECCOMP_FILTER_FLAG_NEW_LISTENER));
	struct sock_filter allow[] = { BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW) };
	struct sock_fprog p = { .len = 1, .filter = allow };
	report("another filter without one", syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, 0, &p));
	report("getpgid(5)", syscall(SYS_getpgid, 5));
}

static void
body3(void)
{
	struct sigaction sa = { .sa_handler = on_usr1 };
	sigaction(SIGUSR1, &sa, NULL);
	report("getpgid(6) killable, answered 11", syscall(SYS_getpgid, 6));
	report("  handler ran", handled);
}

int
main(void)
{
	cf_init();
	uid = getuid();
	if (pipe(res) < 0 || socketpair(AF_UNIX, SOCK_STREAM, 0, sock) < 0)
		return 1;
	int src[2];
	if (pipe(src) < 0 || write(src[1], "hello!", 6) != 6)
		return 1;

	printf("-- answers\n");
	pid_t c = child(0, body1);
	int l = recv_fd();
	char link[64] = { 0 }, path[64];
	snprintf(path, sizeof(path), "/proc/self/fd/%d", l);
	readlink(path, link, sizeof(link) - 1);
	printf("listener: %s\n", link);
	R("read on it", read(l, path, 8));
	printf("poll before RECV: %s\n", revents(l));
	R("RECV", recv_one(l));
	YN("  nr getpgid", req.data.nr == __NR_getpgid);
	YN("  arch x86-64", req.data.arch == AUDIT_ARCH_X86_64);
	YN("  arg 0x1234", req.data.args[0] == 0x1234);
	YN("  ip set", req.data.instruction_pointer != 0);
	YN("  pid the child's", req.pid == (uint32_t)c);
	YN("  flags 0", req.flags == 0);
	printf("poll after RECV: %s\n", revents(l));
	R("ID_VALID", ioctl(l, SECCOMP_IOCTL_NOTIF_ID_VALID, &req.id));
	uint64_t bad = req.id + 1000;
	R("ID_VALID unknown", ioctl(l, SECCOMP_IOCTL_NOTIF_ID_VALID, &bad));
	R("SEND unknown id", answer(l, bad, 1, 0, 0));
	R("SEND bad flags", answer(l, req.id, 1, 0, 2));
	R("SEND CONTINUE with a value", answer(l, req.id, 1, 0, SECCOMP_USER_NOTIF_FLAG_CONTINUE));
	R("SEND CONTINUE with an error", answer(l, req.id, 0, -1, SECCOMP_USER_NOTIF_FLAG_CONTINUE));
	R("unknown ioctl", ioctl(l, SECCOMP_IOW(9, uint64_t), &bad));
	R("SET_FLAGS bad", ioctl(l, SECCOMP_IOW(4, uint64_t), 2UL));
	R("SET_FLAGS SYNC_WAKE_UP", ioctl(l, SECCOMP_IOW(4, uint64_t), 1UL)); /* (by value) */
	struct seccomp_notif dirty = { .flags = 1 };
	R("RECV not zeroed", ioctl(l, SECCOMP_IOCTL_NOTIF_RECV, &dirty));
	R("RECV bad pointer", ioctl(l, SECCOMP_IOCTL_NOTIF_RECV, (void *)8));
	R("SEND bad pointer", ioctl(l, SECCOMP_IOCTL_NOTIF_SEND, (void *)8));
	R("SEND 4242", answer(l, req.id, 4242, 0, 0));
	relay();

	R("RECV geteuid", recv_one(l));
	YN("  nr geteuid", req.data.nr == __NR_geteuid);
	R("SEND EPERM", answer(l, req.id, 99, -EPERM, 0));
	relay();
	R("RECV getuid", recv_one(l));
	R("SEND CONTINUE", answer(l, req.id, 0, 0, SECCOMP_USER_NOTIF_FLAG_CONTINUE));
	relay();
	R("RECV getppid", recv_one(l));
	R("SEND -100002", answer(l, req.id, -100002, 0, 0));
	relay();

	R("RECV getsid", recv_one(l));
	R("ADDFD bad srcfd", addfd(l, req.id, -1, 0, 0, 0));
	R("ADDFD newfd without SETFD", addfd(l, req.id, src[0], 100, 0, 0));
	R("ADDFD bad newfd_flags", addfd(l, req.id, src[0], 0, O_NONBLOCK, 0));
	R("ADDFD bad flags", addfd(l, req.id, src[0], 0, 0, 4));
	R("ADDFD unknown id", addfd(l, bad, src[0], 0, 0, 0));
	struct { struct seccomp_notif_addfd a; uint64_t more; } big = {
		{ .id = req.id, .srcfd = src[0] }, 1 };
	R("ADDFD larger struct, not zero", ioctl(l, SECCOMP_IOW(3, big), &big));
	R("ADDFD short struct", ioctl(l, SECCOMP_IOW(3, uint64_t[2]), &big));
	int first = addfd(l, req.id, src[0], 0, 0, 0);
	YN("ADDFD: an fd", first >= 0);
	R("ADDFD SETFD 100 O_CLOEXEC", addfd(l, req.id, src[0], 100, O_CLOEXEC,
					     SECCOMP_ADDFD_FLAG_SETFD));
	R("SEND the first fd", answer(l, req.id, first, 0, 0) == 0 ? 0 : -1);
	for (int i = 0; i < 4; i++)
		relay();
	R("RECV getpgid(1)", recv_one(l));
	int got = addfd(l, req.id, src[0], 0, 0, SECCOMP_ADDFD_FLAG_SEND);
	YN("ADDFD SEND: an fd", got >= 0);
	relay();
	relay();

	uint64_t last = req.id;
	printf("poll with a call not received: %s\n", revents(l));
	uint64_t next = last + 1;
	R("SEND before RECV", answer(l, next, 1, 0, 0));
	R("ADDFD before RECV", addfd(l, next, src[0], 0, 0, 0));
	R("ID_VALID before RECV", ioctl(l, SECCOMP_IOCTL_NOTIF_ID_VALID, &next));
	R("RECV getpgid(2)", recv_one(l));
	YN("  ids go up by one", req.id == next);
	R("SEND 9", answer(l, req.id, 9, 0, 0));
	relay();

	R("RECV getpgid(3)", recv_one(l));
	uint64_t first_id = req.id;
	kill(c, SIGUSR1);
	R("RECV again: the restarted call", recv_one(l));
	YN("  a new notification", req.id == first_id + 1 && req.data.args[0] == 3);
	R("ID_VALID of the interrupted one", ioctl(l, SECCOMP_IOCTL_NOTIF_ID_VALID, &first_id));
	R("SEND 10", answer(l, req.id, 10, 0, 0));
	relay();
	relay();

	R("RECV getpgid(4)", recv_one(l));
	close(l);
	relay();
	relay();
	reap("child 1", c);

	printf("-- killed while waiting\n");
	c = child(0, body2);
	l = recv_fd();
	relay();
	relay();
	R("RECV getpgid(5)", recv_one(l));
	kill(c, SIGKILL);
	reap("child 2", c);
	R("ID_VALID after the kill", ioctl(l, SECCOMP_IOCTL_NOTIF_ID_VALID, &req.id));
	R("SEND after the kill", answer(l, req.id, 1, 0, 0));
	printf("poll with the filter unused: %s\n", revents(l));
	close(l);

	printf("-- killable wait\n");
	c = child(SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV, body3);
	l = recv_fd();
	R("RECV getpgid(6)", recv_one(l));
	kill(c, SIGUSR1);
	R("SEND 11 after a signal", answer(l, req.id, 11, 0, 0));
	relay();
	relay();
	reap("child 3", c);
	close(l);
	return 0;
}
