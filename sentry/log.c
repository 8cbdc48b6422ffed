/* Logging, fatal errors and small allocation helpers. */
#define UNW_LOCAL_ONLY
#include <dlfcn.h>
#include <libunwind.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>

#include "sentry/sentry.h"

int log_level = LOG_WARN;
int log_fd = STDERR_FILENO;

static const char *const level_names[] = { "error", "warning", "info", "debug" };

void
log_msg(int level, int err, const char *fmt, ...)
{
	char buf[1024];
	int n;
	va_list ap;

	if (level > log_level)
		return;
	if (level == LOG_DEBUG) {
		/* Debug lines carry the time since the sandbox started, to see where time goes. */
		static struct timespec t0;
		struct timespec now;
		clock_gettime(CLOCK_MONOTONIC, &now);
		if (!t0.tv_sec)
			t0 = now;
		double ms = (now.tv_sec - t0.tv_sec) * 1e3 + (now.tv_nsec - t0.tv_nsec) / 1e6;
		n = snprintf(buf, sizeof(buf), "sandbox: debug: +%.3f ms [%d] ", ms, getpid());
	} else {
		n = snprintf(buf, sizeof(buf), "sandbox: %s: ", level_names[level]);
	}
	va_start(ap, fmt);
	n += vsnprintf(buf + n, sizeof(buf) - n, fmt, ap);
	va_end(ap);
	if (n > (int)sizeof(buf) - 2)
		n = sizeof(buf) - 2;
	if (err)
		n += snprintf(buf + n, sizeof(buf) - n, ": %s", strerror(err < 0 ? -err : err));
	if (n > (int)sizeof(buf) - 2)
		n = sizeof(buf) - 2;
	buf[n++] = '\n';
	write_all(log_fd, buf, n);
}

/* Formats "sandbox: PREFIX<message>\n" into buf (always newline-terminated); returns the length. */
static int
format_line(char *buf, size_t size, const char *prefix, const char *fmt, va_list ap)
{
	int n = snprintf(buf, size, "sandbox: %s", prefix);

	n += vsnprintf(buf + n, size - n, fmt, ap);
	if (n > (int)size - 2)
		n = size - 2;
	buf[n++] = '\n';
	return n;
}

void
die(int code, const char *fmt, ...)
{
	char buf[1024];
	va_list ap;

	va_start(ap, fmt);
	int n = format_line(buf, sizeof(buf), "", fmt, ap);
	va_end(ap);
	write_all(log_fd, buf, n);
	_exit(code);
}

static void
print_backtrace(void)
{
	unw_cursor_t cursor;
	unw_context_t uc;
	char line[512], name[256];
	unw_word_t ip, off;
	int depth = 0;

	if (unw_getcontext(&uc) < 0 || unw_init_local(&cursor, &uc) < 0) {
		write_all(log_fd, "sandbox:   (no backtrace: libunwind init failed)\n", 50);
		return;
	}
	int st;
	while (depth < 64 && (st = unw_step(&cursor)) > 0) {
		Dl_info di = { 0 };
		unw_get_reg(&cursor, UNW_REG_IP, &ip);
		/* After confinement libunwind cannot read symbol tables from files; the module
		 * and offset (from the loaded link map) are enough for addr2line. */
		if (unw_get_proc_name(&cursor, name, sizeof(name), &off) < 0) {
			snprintf(name, sizeof(name), "?");
			off = 0;
		}
		dladdr((void *)ip, &di);
		int n = snprintf(line, sizeof(line), "sandbox:   #%d 0x%lx %s+0x%lx (%s+0x%lx)\n",
				 depth, (unsigned long)ip, di.dli_sname ? di.dli_sname : name,
				 di.dli_sname ? (unsigned long)(ip - (uintptr_t)di.dli_saddr)
					      : (unsigned long)off,
				 di.dli_fname ? di.dli_fname : "?",
				 (unsigned long)(ip - (uintptr_t)di.dli_fbase));
		write_all(log_fd, line, MIN(n, (int)sizeof(line) - 1));
		depth++;
	}
	if (depth == 0) {
		char m[96];
		int n = snprintf(m, sizeof(m), "sandbox:   (no backtrace: unw_step returned %d)\n", st);
		write_all(log_fd, m, n);
	}
}

void
sentry_fatal(const char *fmt, ...)
{
	char buf[1024];
	va_list ap;

	va_start(ap, fmt);
	int n = format_line(buf, sizeof(buf), "fatal: ", fmt, ap);
	va_end(ap);
	write_all(log_fd, buf, n);
	print_backtrace();
	/* The sentry is pid 1 of its pid namespace: exiting takes every stub with it.
	 * Kill them explicitly too, in case this runs outside that setup. */
	for (struct task *t = task_next(NULL); t; t = task_next(t))
		if (t->ctx)
			kill(plat_host_pid_of(t), SIGKILL);
	_exit(EXIT_SETUP);
}

/* Fatal signals inside the sentry print a backtrace and end the sandbox. */
static void
crash_handler(int sig)
{
	sentry_fatal("sentry crashed with signal %d (%s)", sig, strsignal(sig));
}

void
log_install_crash_handlers(void)
{
	/* Unwind once now: libunwind sets up what it needs (such as its address-validation
	 * pipe) on first use, which the sentry's seccomp filter would refuse later. */
	unw_cursor_t cursor;
	unw_context_t uc;
	if (unw_getcontext(&uc) == 0 && unw_init_local(&cursor, &uc) == 0)
		while (unw_step(&cursor) > 0)
			;

	static const int sigs[] = { SIGSEGV, SIGBUS, SIGILL, SIGFPE, SIGABRT };
	struct sigaction sa = { .sa_handler = crash_handler, .sa_flags = SA_RESETHAND };

	for (size_t i = 0; i < ARRAY_SIZE(sigs); i++)
		sigaction(sigs[i], &sa, NULL);
}

void *
xmalloc(size_t n)
{
	void *p = malloc(n ? n : 1);
	if (!p)
		sentry_fatal("out of memory (%zu bytes)", n);
	return p;
}

void *
xcalloc(size_t n, size_t m)
{
	void *p = calloc(n ? n : 1, m ? m : 1);
	if (!p)
		sentry_fatal("out of memory (%zu x %zu bytes)", n, m);
	return p;
}

char *
xstrdup(const char *s)
{
	char *p = strdup(s);
	if (!p)
		sentry_fatal("out of memory");
	return p;
}

char *
xstrndup(const char *s, size_t n)
{
	char *p = strndup(s, n);
	if (!p)
		sentry_fatal("out of memory");
	return p;
}

int
send_with_fd(int sock, const void *buf, size_t len, int fd)
{
	char cbuf[CMSG_SPACE(sizeof(int))] = { 0 };
	struct iovec iov = { .iov_base = (void *)buf, .iov_len = len };
	struct msghdr mh = { .msg_iov = &iov, .msg_iovlen = 1, .msg_control = cbuf,
			     .msg_controllen = sizeof(cbuf) };
	struct cmsghdr *cm = CMSG_FIRSTHDR(&mh);
	ssize_t r;

	cm->cmsg_level = SOL_SOCKET;
	cm->cmsg_type = SCM_RIGHTS;
	cm->cmsg_len = CMSG_LEN(sizeof(int));
	memcpy(CMSG_DATA(cm), &fd, sizeof(int));
	do
		r = sendmsg(sock, &mh, MSG_NOSIGNAL);
	while (r < 0 && errno == EINTR);
	if (r < 0)
		return -errno;
	return r == (ssize_t)len ? 0 : -EIO;
}

ssize_t
recv_with_fd(int sock, void *buf, size_t len, int flags, int *fd)
{
	char cbuf[CMSG_SPACE(sizeof(int))];
	struct iovec iov = { .iov_base = buf, .iov_len = len };
	struct msghdr mh = { .msg_iov = &iov, .msg_iovlen = 1, .msg_control = cbuf,
			     .msg_controllen = sizeof(cbuf) };
	ssize_t r;

	*fd = -1;
	do
		r = recvmsg(sock, &mh, flags | MSG_CMSG_CLOEXEC);
	while (r < 0 && errno == EINTR);
	if (r < 0)
		return -errno;
	for (struct cmsghdr *cm = CMSG_FIRSTHDR(&mh); cm; cm = CMSG_NXTHDR(&mh, cm))
		if (cm->cmsg_level == SOL_SOCKET && cm->cmsg_type == SCM_RIGHTS &&
		    cm->cmsg_len == CMSG_LEN(sizeof(int)))
			memcpy(fd, CMSG_DATA(cm), sizeof(int));
	return r;
}

int
write_all(int fd, const void *buf, size_t n)
{
	const char *p = buf;

	while (n > 0) {
		ssize_t w = write(fd, p, n);
		if (w < 0) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
		p += w;
		n -= w;
	}
	return 0;
}
