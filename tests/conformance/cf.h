/*
 * Shared helpers for the conformance programs. Each program prints one line per
 * check; the harness diffs native output against sandbox output, so nothing printed
 * may differ between two native runs (no pids, addresses, times, inode numbers,
 * random temp names): print results, errno names and relations instead.
 */
#pragma once
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/types.h>
#include <unistd.h>

static __attribute__((unused)) char cf_dir[256];		/* private scratch directory under /tmp (cwd after cf_init) */

static __attribute__((unused)) const char *
en(int e)
{
	const char *s = strerrorname_np(e);
	return s ? s : "E?";
}

/* A plain result: "label: VALUE" or "label: -1 ENAME". */
#define R(label, expr) do { \
	errno = 0; \
	long r_ = (long)(expr); \
	int e_ = errno; \
	if (r_ < 0) \
		printf("%s: %ld %s\n", (label), r_, en(e_)); \
	else \
		printf("%s: %ld\n", (label), r_); \
} while (0)

/* A result that is a descriptor (its number may differ): "label: ok" or "label: -1 ENAME". */
#define FD(label, expr) ({ \
	errno = 0; \
	int fd_ = (int)(expr); \
	int e_ = errno; \
	if (fd_ < 0) \
		printf("%s: -1 %s\n", (label), en(e_)); \
	else \
		printf("%s: ok\n", (label)); \
	fd_; \
})

/* A 0/-1 result whose success value is not interesting: "label: ok" / "label: -1 ENAME". */
#define OK(label, expr) do { \
	errno = 0; \
	long r_ = (long)(expr); \
	int e_ = errno; \
	if (r_ < 0) \
		printf("%s: -1 %s\n", (label), en(e_)); \
	else \
		printf("%s: ok\n", (label)); \
} while (0)

/* A relation: "label: yes" / "label: no". */
#define YN(label, cond) printf("%s: %s\n", (label), (cond) ? "yes" : "no")

static __attribute__((unused)) int
cf_rm_one(const char *path, const struct stat *st, int type, struct FTW *ftw)
{
	(void)st; (void)ftw;
	if (type == FTW_DP)
		rmdir(path);
	else
		unlink(path);
	return 0;
}

static __attribute__((unused)) void
cf_cleanup(void)
{
	if (!cf_dir[0])
		return;
	chdir("/");
	nftw(cf_dir, cf_rm_one, 16, FTW_DEPTH | FTW_PHYS);
}

/* Line-buffered stdout, umask 022, a fresh scratch dir in /tmp as cwd, removed at exit. */
static __attribute__((unused)) void
cf_init(void)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	umask(022);
	/* CF_BASE: another parent for manual runs (the overlay, a --rw directory) */
	const char *base = getenv("CF_BASE");
	snprintf(cf_dir, sizeof(cf_dir), "%s/cfXXXXXX", base && strlen(base) < 200 ? base : "/tmp");
	if (!mkdtemp(cf_dir)) {
		printf("cf_init mkdtemp: %s\n", en(errno));
		exit(2);
	}
	if (chdir(cf_dir) < 0) {
		printf("cf_init chdir: %s\n", en(errno));
		exit(2);
	}
	atexit(cf_cleanup);
}

/* Creates (truncating) a file with the given content; returns 0 or -1. */
static __attribute__((unused)) int
cf_write_file(const char *path, const char *data, size_t len)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	if (fd < 0)
		return -1;
	ssize_t n = write(fd, data, len);
	close(fd);
	return n == (ssize_t)len ? 0 : -1;
}

/* The text of a small file into buf (n bytes with the NUL; "" when it cannot be read):
 * the bytes read, or -1. */
static __attribute__((unused)) ssize_t
cf_read_text(const char *path, char *buf, size_t n)
{
	int fd = open(path, O_RDONLY);
	ssize_t r = fd >= 0 ? read(fd, buf, n - 1) : -1;

	buf[r > 0 ? r : 0] = '\0';
	if (fd >= 0)
		close(fd);
	return r;
}

/* Waits (tries times 10 ms at most) until /proc/PID/stat shows the state letter st, so that
 * no fixed sleep decides what a test sees on a loaded machine. Whether it did. */
static __attribute__((unused)) int
cf_await_state(pid_t pid, char st, int tries)
{
	char path[64], buf[512];

	snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
	for (int i = 0; i < tries; i++) {
		cf_read_text(path, buf, sizeof(buf));
		char *e = strrchr(buf, ')');
		if (e && e[1] == ' ' && e[2] == st)
			return 1;
		usleep(10000);
	}
	return 0;
}

/* Writes val to an existing file (a /proc/sys value) and prints "write NAME 'VAL': ok" or
 * the errno name of the open or write that failed. */
static __attribute__((unused)) void
cf_write_value(const char *path, const char *val)
{
	int fd = open(path, O_WRONLY);
	ssize_t n = fd >= 0 ? write(fd, val, strlen(val)) : -1;

	printf("write %s '%s': %s\n", strrchr(path, '/') ? strrchr(path, '/') + 1 : path, val,
	       n >= 0 ? "ok" : en(errno));
	if (fd >= 0)
		close(fd);
}

/* An address that is certainly unmapped: a page mapped and unmapped again. */
#include <sys/mman.h>
static __attribute__((unused)) void *
cf_unmapped(void)
{
	void *p = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED)
		return (void *)1;
	munmap(p, 4096);
	return p;
}

/* Basename of a path (the part after the last '/'). */
static __attribute__((unused)) const char *
cf_base(const char *p)
{
	const char *s = strrchr(p, '/');
	return s ? s + 1 : p;
}

/* The state letter of /proc/PID/stat (R, S, T...), or '?'. */
static __attribute__((unused)) char
cf_proc_state(pid_t pid)
{
	char path[64], buf[512];

	snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
	int fd = open(path, O_RDONLY);
	if (fd < 0)
		return '?';
	ssize_t n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	buf[n > 0 ? n : 0] = '\0';
	char *p = strrchr(buf, ')');
	return p && p[1] == ' ' ? p[2] : '?';
}

/* Waits (up to ~5 s) until process pid sleeps: the state field of /proc/PID/stat is S,
 * as while it is blocked in a call. Returns 0, or -1 if it never did. */
static __attribute__((unused)) int
cf_wait_sleeping(pid_t pid)
{
	for (int i = 0; i < 5000; i++) {
		if (cf_proc_state(pid) == 'S')
			return 0;
		usleep(1000);
	}
	return -1;
}

/* Waits (up to ~10 s) until child pid has exited and is not yet reaped; returns its state
 * letter (Z once it is a zombie). */
static __attribute__((unused)) char
cf_wait_zombie(pid_t pid)
{
	for (int i = 0; i < 1000 && cf_proc_state(pid) != 'Z'; i++)
		usleep(10000);
	return cf_proc_state(pid);
}

/* Once pid sleeps in its call (and 10 ms more, for it to settle there), stops it and
 * continues it: a blocking call then restarts or fails as its kind does on Linux. */
#include <signal.h>
static __attribute__((unused)) void
cf_stop_cont(pid_t pid)
{
	cf_wait_sleeping(pid);
	usleep(10000);
	kill(pid, SIGSTOP);
	usleep(20000);
	kill(pid, SIGCONT);
	usleep(50000);
}

/* Reads (or, write != 0, writes) one byte at p: "ok", or the signal that stopped it,
 * "SIGBUS", "SIGSEGV" ("other" for anything else). */
#include <setjmp.h>
static sigjmp_buf cf_touch_jb;
static volatile int cf_touch_sig;

static void
cf_touch_on_sig(int s)
{
	cf_touch_sig = s;
	siglongjmp(cf_touch_jb, 1);
}

static __attribute__((unused)) const char *
cf_touch(volatile char *p, int write)
{
	signal(SIGBUS, cf_touch_on_sig);
	signal(SIGSEGV, cf_touch_on_sig);
	cf_touch_sig = 0;
	if (sigsetjmp(cf_touch_jb, 1) == 0) {
		if (write)
			*p = 'w';
		else
			(void)*p;
		return "ok";
	}
	return cf_touch_sig == SIGBUS ? "SIGBUS" : cf_touch_sig == SIGSEGV ? "SIGSEGV" : "other";
}

/* The value (kB) of a "Key:" line of /proc/self/status, or -1. */
static __attribute__((unused)) long
cf_status_kb(const char *key)
{
	FILE *f = fopen("/proc/self/status", "r");
	char buf[256];
	long v = -1;
	size_t n = strlen(key);

	while (f && fgets(buf, sizeof(buf), f))
		if (!strncmp(buf, key, n) && buf[n] == ':')
			v = strtol(buf + n + 1, NULL, 10);
	if (f)
		fclose(f);
	return v;
}

/* A connected TCP pair on 127.0.0.1: *l the listener (backlog given), *s the accepted end;
 * returns the connecting end. */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
static __attribute__((unused)) int
cf_tcp_pair(int *l, int *s, int backlog)
{
	struct sockaddr_in a = { .sin_family = AF_INET };
	socklen_t len = sizeof(a);
	int c;

	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	*l = socket(AF_INET, SOCK_STREAM, 0);
	bind(*l, (struct sockaddr *)&a, sizeof(a));
	listen(*l, backlog);
	getsockname(*l, (struct sockaddr *)&a, &len);
	c = socket(AF_INET, SOCK_STREAM, 0);
	connect(c, (struct sockaddr *)&a, sizeof(a));
	*s = accept(*l, NULL, NULL);
	return c;
}

/* A file's allocation: "label: st_blocks N size S" or "label: -1 ENAME". */
static __attribute__((unused)) void
cf_show_blocks(const char *label, int fd)
{
	struct stat st;

	if (fstat(fd, &st) < 0)
		R(label, -1);
	else
		printf("%s: st_blocks %ld size %ld\n", label, (long)st.st_blocks, (long)st.st_size);
}

/* An int socket option: "label: V (len N)" or "label: -1 ENAME". */
static __attribute__((unused)) void
cf_sockopt_int(const char *label, int fd, int level, int name)
{
	int v = -7;
	socklen_t l = sizeof(v);

	errno = 0;
	if (getsockopt(fd, level, name, &v, &l) < 0)
		printf("%s: -1 %s\n", label, en(errno));
	else
		printf("%s: %d (len %d)\n", label, v, (int)l);
}

/* One line for a wait status: "WHAT: stopped SIG event N", "exited N", "killed SIG". */
#include <sys/wait.h>
static __attribute__((unused)) void
cf_show_wait(const char *what, int st)
{
	if (WIFSTOPPED(st))
		printf("%s: stopped %s event %d\n", what, sigabbrev_np(WSTOPSIG(st)), st >> 16);
	else if (WIFEXITED(st))
		printf("%s: exited %d\n", what, WEXITSTATUS(st));
	else if (WIFSIGNALED(st))
		printf("%s: killed %s\n", what, sigabbrev_np(WTERMSIG(st)));
	else
		printf("%s: ? %#x\n", what, st);
}

/* Runs fn in a child (output flushed on both sides; the child leaves with _exit, so the
 * scratch dir stays); a child that does not exit with 0 gets its wait status printed. */
static __attribute__((unused)) void
cf_in_child(const char *what, void (*fn)(void))
{
	int st;
	pid_t c;

	fflush(stdout);
	c = fork();
	if (!c) {
		fn();
		fflush(stdout);
		_exit(0);
	}
	waitpid(c, &st, 0);
	if (!WIFEXITED(st) || WEXITSTATUS(st))
		cf_show_wait(what, st);
}

/* Mount tests: root only (otherwise prints "not root: nothing to check" and returns 0); then
 * a mount namespace of the test's own with every mount private, natively too, so nothing it
 * mounts is seen outside. */
#include <sched.h>
#include <sys/mount.h>
static __attribute__((unused)) int
cf_private_mounts(void)
{
	if (geteuid() != 0) {
		printf("not root: nothing to check\n");
		return 0;
	}
	if (unshare(CLONE_NEWNS) == 0)
		mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL);
	return 1;
}

/* The last /proc/self/mountinfo line whose mount point ends in suffix, cut before " - " (the
 * mount's own fields), into line; 0 if there is none. */
static __attribute__((unused)) int
cf_mountinfo(const char *suffix, char *line, size_t size)
{
	char buf[2048], mp[1024];
	FILE *f = fopen("/proc/self/mountinfo", "r");
	int found = 0;

	while (f && fgets(buf, sizeof(buf), f)) {
		if (sscanf(buf, "%*d %*d %*s %*s %1023s", mp) != 1)
			continue;
		size_t n = strlen(mp), s = strlen(suffix);
		if (n < s || strcmp(mp + n - s, suffix))
			continue;
		char *dash = strstr(buf, " - ");
		if (dash)
			*dash = 0;
		snprintf(line, size, "%s", buf);
		found = 1;
	}
	if (f)
		fclose(f);
	return found;
}

/* A network namespace of our own with lo up, when we may make one (root, or inside the
 * sandbox): tests that list or pick loopback ports then see only their own sockets, not
 * whatever the host (other tests run natively meanwhile) has open. True if entered. */
#include <net/if.h>
#include <sched.h>
#include <sys/ioctl.h>
static __attribute__((unused)) int
cf_own_netns(void)
{
	struct ifreq ifr = { 0 };
	int s;

	if (unshare(CLONE_NEWNET) < 0)
		return 0;
	s = socket(AF_INET, SOCK_DGRAM, 0);
	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "lo");
	if (s < 0 || ioctl(s, SIOCGIFFLAGS, &ifr) < 0)
		return 0;
	ifr.ifr_flags |= IFF_UP;
	ioctl(s, SIOCSIFFLAGS, &ifr);
	close(s);
	return 1;
}

/* A network namespace of our own with lo up, or the test says it is skipped and ends (the
 * same output natively and inside, so the comparison still holds). */
static __attribute__((unused)) void
cf_need_own_netns(void)
{
	if (!cf_own_netns()) {
		printf("no network namespace of our own: skipped\n");
		exit(0);
	}
}

/* A socket of family (AF_INET or AF_INET6) and type bound to loopback on a port of the
 * kernel's choice, listening if it is a stream one: its name in *a (an IPv4 one fits) and
 * *len, for connect and sendto. */
#include <netinet/in.h>
static __attribute__((unused)) int
cf_lo_bound(int family, int type, struct sockaddr_in6 *a, socklen_t *len)
{
	int s = socket(family, type, 0);

	memset(a, 0, sizeof(*a));
	if (family == AF_INET) {
		struct sockaddr_in *in = (struct sockaddr_in *)a;

		in->sin_family = AF_INET;
		in->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
		*len = sizeof(*in);
	} else {
		a->sin6_family = AF_INET6;
		a->sin6_addr = in6addr_loopback;
		*len = sizeof(*a);
	}
	bind(s, (struct sockaddr *)a, *len);
	getsockname(s, (struct sockaddr *)a, len);
	if (type == SOCK_STREAM)
		listen(s, 4);
	return s;
}

/* A NETLINK_ROUTE socket (flags: SOCK_NONBLOCK...) bound to the given groups, and the port
 * id a socket has (the netlink tests). */
#include <linux/netlink.h>
static __attribute__((unused)) int
cf_nl_route(int flags, unsigned groups)
{
	struct sockaddr_nl a = { .nl_family = AF_NETLINK, .nl_groups = groups };
	int s = socket(AF_NETLINK, SOCK_RAW | flags, NETLINK_ROUTE);

	bind(s, (void *)&a, sizeof(a));
	return s;
}

static __attribute__((unused)) unsigned
cf_nl_port(int s)
{
	struct sockaddr_nl a;
	socklen_t len = sizeof(a);

	getsockname(s, (void *)&a, &len);
	return a.nl_pid;
}

/* "label: TEXT" for a small file (its newlines as '|'), or the errno name of the open or
 * read that failed (sysfs and procfs attributes). */
static __attribute__((unused)) void
cf_show_file(const char *label, const char *path)
{
	char buf[512];
	int fd = open(path, O_RDONLY);

	if (fd < 0) {
		printf("%s: open %s\n", label, en(errno));
		return;
	}
	ssize_t r = read(fd, buf, sizeof(buf) - 1);
	int e = errno;
	close(fd);
	if (r < 0) {
		printf("%s: read %s\n", label, en(e));
		return;
	}
	buf[r] = '\0';
	for (char *p = buf; *p; p++)
		if (*p == '\n')
			*p = '|';
	printf("%s: %s\n", label, buf);
}
