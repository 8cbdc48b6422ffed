/*
 * Zero-length reads and writes on every kind of file: Linux hands even 0 bytes to the
 * file (after the mode checks of vfs_read/vfs_write), so a directory's read says EISDIR, a
 * wrong-mode descriptor EBADF, a file without read or write EINVAL, /dev/full ENOSPC, and
 * readv/writev with no bytes stop before the file. A call that would wait is ended by a
 * timer (EINTR); null and unmapped buffers with length 0 must not fault.
 */
#include "cf.h"
#include <poll.h>
#include <pty.h>
#include <signal.h>
#include <sys/epoll.h>
#include <sys/ioctl.h>
#include <sys/eventfd.h>
#include <sys/inotify.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/timerfd.h>
#include <sys/uio.h>
#include <netinet/in.h>
#include <arpa/inet.h>

static volatile int pipes; /* SIGPIPEs seen */
static void *bad;

static void
on_sig(int s)
{
	if (s == SIGPIPE)
		pipes++;
}

/* Runs one call with a timer armed: a call that waits ends with EINTR. */
#define T(label, expr) do { \
	struct itimerval on_ = { { 0, 0 }, { 0, 100000 } }, off_ = { 0 }; \
	setitimer(ITIMER_REAL, &on_, NULL); \
	errno = 0; \
	long r_ = (long)(expr); \
	int e_ = errno; \
	setitimer(ITIMER_REAL, &off_, NULL); \
	if (r_ < 0) \
		printf("%s %s: %ld %s\n", name, (label), r_, en(e_)); \
	else \
		printf("%s %s: %ld\n", name, (label), r_); \
} while (0)

static void
reads(const char *name, int fd)
{
	struct iovec iov = { NULL, 0 };

	T("read", read(fd, NULL, 0));
	T("read bad", read(fd, bad, 0));
	T("pread", pread(fd, NULL, 0, 0));
	T("readv none", readv(fd, NULL, 0));
	T("readv empty", readv(fd, &iov, 1));
	T("preadv empty", preadv(fd, &iov, 1, 0));
	T("recv", recv(fd, NULL, 0, MSG_DONTWAIT));
	/* (TCP's waits, then says 0 even when a signal ended the wait: not here yet) */
	if (strncmp(name, "tcp", 3))
		T("recv blocking", recv(fd, NULL, 0, 0));
}

static void
writes(const char *name, int fd)
{
	struct iovec iov = { NULL, 0 };

	pipes = 0;
	T("write", write(fd, NULL, 0));
	T("write bad", write(fd, bad, 0));
	T("pwrite", pwrite(fd, NULL, 0, 0));
	T("writev none", writev(fd, NULL, 0));
	T("writev empty", writev(fd, &iov, 1));
	T("pwritev empty", pwritev(fd, &iov, 1, 0));
	T("send", send(fd, NULL, 0, MSG_DONTWAIT));
	printf("%s SIGPIPEs: %d\n", name, pipes);
}

static void
both(const char *name, int fd)
{
	if (fd < 0) {
		printf("%s: open %s\n", name, en(errno));
		return;
	}
	reads(name, fd);
	writes(name, fd);
	close(fd);
}

static void
path(const char *p, int flags)
{
	char name[128];

	snprintf(name, sizeof(name), "%s/%s", p, (flags & O_ACCMODE) == O_RDONLY ? "r" :
		 (flags & O_ACCMODE) == O_WRONLY ? "w" : flags & O_PATH ? "path" : "rw");
	both(name, open(p, flags | O_CLOEXEC));
}

static void
files(void)
{
	cf_write_file("f", "abc", 3);
	path("f", O_RDONLY);
	path("f", O_WRONLY);
	path("f", O_RDWR);
	path("f", O_PATH);
	path("f", O_RDWR | O_APPEND);
	struct stat st;
	stat("f", &st);
	printf("f size after: %ld\n", (long)st.st_size);
	path("/etc/passwd", O_RDONLY);
	path(".", O_RDONLY);
	path("/", O_RDONLY);
	path("/", O_PATH);
	int m = memfd_create("m", 0);
	both("memfd", m);
}

static void
pipes_fifos(void)
{
	int p[2];

	pipe(p);
	both("pipe read end", p[0]);
	both("pipe write end, no reader", p[1]);
	pipe(p);
	both("pipe write end", p[1]);
	both("pipe read end, no writer", p[0]);
	pipe(p);
	write(p[1], "x", 1);
	reads("pipe with data", p[0]);
	char c;
	R("pipe data still there", read(p[0], &c, 1));
	close(p[0]);
	close(p[1]);
	mkfifo("fifo", 0600);
	int r = open("fifo", O_RDONLY | O_NONBLOCK);
	int w = open("fifo", O_WRONLY);
	fcntl(r, F_SETFL, 0);
	both("fifo read end", r);
	both("fifo write end, no reader", w);
	path("fifo", O_RDWR);
	/* a full pipe: a write of nothing does not wait for room */
	pipe(p);
	fcntl(p[1], F_SETFL, O_NONBLOCK);
	while (write(p[1], "xxxxxxxx", 8) > 0)
		;
	fcntl(p[1], F_SETFL, 0);
	writes("full pipe", p[1]);
	close(p[0]);
	close(p[1]);
}

static void
sockpair(const char *name, int type)
{
	char n[128];
	int s[2];

	if (socketpair(AF_UNIX, type, 0, s) < 0) {
		printf("%s: %s\n", name, en(errno));
		return;
	}
	snprintf(n, sizeof(n), "%s empty", name);
	reads(n, s[0]);
	snprintf(n, sizeof(n), "%s", name);
	writes(n, s[0]);
	/* what the zero-byte sends left on the other end */
	char b[8];
	int got = 0;
	while (recv(s[1], b, sizeof(b), MSG_DONTWAIT) >= 0 && got < 100)
		got++;
	printf("%s records received: %d\n", name, got);
	send(s[1], "xy", 2, 0);
	snprintf(n, sizeof(n), "%s with data", name);
	reads(n, s[0]);
	printf("%s left after: %ld\n", name, (long)recv(s[0], b, sizeof(b), MSG_DONTWAIT));
	close(s[1]);
	snprintf(n, sizeof(n), "%s peer closed", name);
	both(n, s[0]);
	int u = socket(AF_UNIX, type, 0);
	snprintf(n, sizeof(n), "%s unconnected", name);
	both(n, u);
}

static void
inet(void)
{
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	socklen_t al = sizeof(a);

	both("tcp unconnected", socket(AF_INET, SOCK_STREAM, 0));
	int l = socket(AF_INET, SOCK_STREAM, 0);
	bind(l, (void *)&a, sizeof(a));
	listen(l, 1);
	both("tcp listening", dup(l));
	getsockname(l, (void *)&a, &al);
	int c = socket(AF_INET, SOCK_STREAM, 0);
	connect(c, (void *)&a, sizeof(a));
	int s = accept(l, NULL, NULL);
	reads("tcp connected empty", s);
	writes("tcp connected", c);
	write(c, "xy", 2);
	reads("tcp with data", s);
	close(c);
	both("tcp peer closed", s);
	close(l);

	both("udp unconnected", socket(AF_INET, SOCK_DGRAM, 0));
	int u = socket(AF_INET, SOCK_DGRAM, 0);
	struct sockaddr_in b = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	bind(u, (void *)&b, sizeof(b));
	al = sizeof(b);
	getsockname(u, (void *)&b, &al);
	connect(u, (void *)&b, sizeof(b));
	reads("udp connected empty", u);
	writes("udp connected", u);
	char buf[8];
	int got = 0;
	while (recv(u, buf, sizeof(buf), MSG_DONTWAIT) >= 0 && got < 100)
		got++;
	printf("udp datagrams received: %d\n", got);
	close(u);
}

static void
ttys(void)
{
	int m, s;

	if (openpty(&m, &s, NULL, NULL, NULL) < 0) {
		printf("openpty: %s\n", en(errno));
		return;
	}
	reads("pty master empty", m);
	reads("pty slave empty", s);
	writes("pty master", m);
	writes("pty slave", s);
	close(s);
	close(m);
	path("/dev/ptmx", O_RDWR | O_NOCTTY);
}

static void
devs(void)
{
	path("/dev/null", O_RDWR);
	path("/dev/zero", O_RDWR);
	path("/dev/full", O_RDWR);
	path("/dev/full", O_RDONLY);
	path("/dev/random", O_RDONLY);
	path("/dev/urandom", O_RDWR);
}

static void
procsys(void)
{
	path("/proc/self/status", O_RDONLY);
	path("/proc/self/stat", O_RDONLY);
	path("/proc/self/maps", O_RDONLY);
	path("/proc/self/cmdline", O_RDONLY);
	path("/proc/self/environ", O_RDONLY);
	path("/proc/self/mem", O_RDWR);
	path("/proc/self/oom_score_adj", O_RDWR);
	path("/proc/self/oom_adj", O_RDWR);
	path("/proc/self/comm", O_RDWR);
	path("/proc/self/loginuid", O_RDONLY);
	path("/proc/self/loginuid", O_RDWR);
	path("/proc/self/uid_map", O_RDWR);
	path("/proc/self/setgroups", O_RDWR);
	path("/proc/self/coredump_filter", O_RDWR);
	path("/proc/self/uid_map", O_RDONLY);
	path("/proc/self/setgroups", O_RDONLY);
	path("/proc/self/fd", O_RDONLY);
	path("/proc/self/auxv", O_RDONLY);
	path("/proc/self/sessionid", O_RDONLY);
	path("/proc/self/mountinfo", O_RDONLY);
	path("/proc/self/fdinfo/0", O_RDONLY);
	path("/proc/self/io", O_RDONLY);
	path("/proc/net/unix", O_RDONLY);
	path("/proc/sysvipc/shm", O_RDONLY);
	path("/proc/sys/kernel/hostname", O_RDWR);
	path("/proc/meminfo", O_RDONLY);
	path("/proc/cpuinfo", O_RDONLY);
	path("/proc/sys/kernel/ostype", O_RDONLY);
	path("/proc/sys/kernel/pid_max", O_RDONLY);
	path("/proc/sys/vm/overcommit_memory", O_RDONLY);
	path("/sys/kernel/mm/transparent_hugepage/enabled", O_RDONLY);
	path("/sys/devices/system/cpu/online", O_RDONLY);
	path("/sys/devices/system/cpu", O_RDONLY);
}

static void
anons(void)
{
	sigset_t ss;

	sigemptyset(&ss);
	sigaddset(&ss, SIGUSR1);
	sigprocmask(SIG_BLOCK, &ss, NULL);
	both("eventfd", eventfd(0, 0));
	both("timerfd", timerfd_create(CLOCK_MONOTONIC, 0));
	both("signalfd", signalfd(-1, &ss, 0));
	both("epoll", epoll_create1(0));
	both("inotify", inotify_init1(0));
	both("pidfd", (int)syscall(SYS_pidfd_open, getpid(), 0));
	int q = (int)syscall(SYS_mq_open, "zeroio", O_RDWR | O_CREAT, 0600, NULL);
	both("mqueue", q);
	syscall(SYS_mq_unlink, "zeroio");
}

int
main(void)
{
	struct sigaction sa = { .sa_handler = on_sig };

	cf_init();
	sigaction(SIGALRM, &sa, NULL);
	sigaction(SIGPIPE, &sa, NULL);
	bad = cf_unmapped();
	files();
	pipes_fifos();
	sockpair("unix stream", SOCK_STREAM);
	sockpair("unix dgram", SOCK_DGRAM);
	sockpair("unix seqpacket", SOCK_SEQPACKET);
	inet();
	ttys();
	devs();
	procsys();
	anons();
	return 0;
}
