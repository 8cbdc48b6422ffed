/* Logging, fatal errors and small allocation helpers. */
#include <dlfcn.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unwind.h>

#include "sentry/sentry.h"

int log_level = LOG_WARN;
int log_fd = STDERR_FILENO;
void (*log_debug_sink)(const char *msg);
void (*log_error_note)(const char *msg);
const volatile int *log_errors_noted_only;

static bool
noted_only(void)
{
	return log_error_note && log_errors_noted_only && *log_errors_noted_only;
}

/* line: "sandbox: [level: ]text\n" as written; the note gets the text */
static void
note_error(char *line, int n, size_t prefix)
{
	if (!log_error_note || (size_t)n <= prefix)
		return;
	line[n - 1] = '\0';
	log_error_note(line + prefix);
	line[n - 1] = '\n';
}

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
	if (level == LOG_DEBUG && log_debug_sink) {
		buf[n] = '\0';
		log_debug_sink(buf + strlen("sandbox: debug: "));
		return;
	}
	buf[n++] = '\n';
	if (level != LOG_ERR || !noted_only())
		write_all(log_fd, buf, n);
	if (level == LOG_ERR)
		note_error(buf, n, strlen("sandbox: error: "));
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

/* A "sandbox: ..." line of an error that ends the run: written (unless noted only) and
 * noted. */
static void
emit_fatal_line(const char *fmt, va_list ap)
{
	char buf[PATH_MAX + 256]; /* a path in full (exec_error) */
	int n = format_line(buf, sizeof(buf), "", fmt, ap);

	if (!noted_only())
		write_all(log_fd, buf, n);
	note_error(buf, n, strlen("sandbox: "));
}

void
log_fatal_line(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	emit_fatal_line(fmt, ap);
	va_end(ap);
}

void
die(int code, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	emit_fatal_line(fmt, ap);
	va_end(ap);
	_exit(code);
}

/* The program's own ELF header (the linker defines it): its load address, so that each
 * frame is also printed as an offset addr2line takes. */
extern const char __ehdr_start[] __attribute__((visibility("hidden")));

struct bt_state {
	int depth;
};

/* One frame of print_backtrace, from libgcc's unwinder (it reads the loaded .eh_frame_hdr:
 * no file, no host call, which the confined sentry could not make). */
static _Unwind_Reason_Code
bt_frame(struct _Unwind_Context *ctx, void *arg)
{
	struct bt_state *st = arg;
	char line[512];
	Dl_info di = { 0 };
	unsigned long ip = _Unwind_GetIP(ctx);

	if (st->depth >= 64)
		return _URC_END_OF_STACK;
	if (!ip)
		return _URC_NO_REASON;
	dladdr((void *)ip, &di);
	/* the program itself (static: dladdr names nothing in it): an offset from its header */
	unsigned long base = di.dli_fbase ? (unsigned long)di.dli_fbase : (unsigned long)__ehdr_start;
	int n = snprintf(line, sizeof(line), "sandbox:   #%d 0x%lx %s+0x%lx (%s+0x%lx)\n",
			 st->depth, ip, di.dli_sname ? di.dli_sname : "?",
			 di.dli_sname ? ip - (unsigned long)di.dli_saddr : 0UL,
			 di.dli_fname && *di.dli_fname ? di.dli_fname : "sandbox", ip - base);
	write_all(log_fd, line, MIN(n, (int)sizeof(line) - 1));
	st->depth++;
	return _URC_NO_REASON;
}

static void
print_backtrace(void)
{
	struct bt_state st = { 0 };

	_Unwind_Reason_Code r = _Unwind_Backtrace(bt_frame, &st);
	if (st.depth == 0) {
		char m[96];
		int n = snprintf(m, sizeof(m), "sandbox:   (no backtrace: unwinder returned %d)\n", (int)r);
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
	/* Unwind once now: the unwinder finds the program's unwind tables on first use
	 * (nothing the sentry's seccomp filter refuses, but not in a crashing moment). */
	struct bt_state st = { .depth = 64 };
	_Unwind_Backtrace(bt_frame, &st);

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

void *
xrealloc(void *p, size_t n)
{
	void *q = realloc(p, n ? n : 1);
	if (!q)
		sentry_fatal("out of memory (%zu bytes)", n);
	return q;
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
send_fds(int sock, const void *buf, size_t len, const int *fds, int nfds)
{
	char cbuf[CMSG_SPACE(sizeof(int) * SEND_FDS_MAX)] = { 0 };
	struct iovec iov = { .iov_base = (void *)buf, .iov_len = len };
	struct msghdr mh = { .msg_iov = &iov, .msg_iovlen = 1 };
	ssize_t r;

	if (nfds < 0 || nfds > SEND_FDS_MAX)
		return -EINVAL;
	if (nfds) {
		mh.msg_control = cbuf;
		mh.msg_controllen = CMSG_SPACE(sizeof(int) * nfds);
		struct cmsghdr *cm = CMSG_FIRSTHDR(&mh);
		cm->cmsg_level = SOL_SOCKET;
		cm->cmsg_type = SCM_RIGHTS;
		cm->cmsg_len = CMSG_LEN(sizeof(int) * nfds);
		memcpy(CMSG_DATA(cm), fds, sizeof(int) * nfds);
	}
	do
		r = sendmsg(sock, &mh, MSG_NOSIGNAL);
	while (r < 0 && errno == EINTR);
	if (r < 0)
		return -errno;
	return r == (ssize_t)len ? 0 : -EIO;
}

int
send_with_fd(int sock, const void *buf, size_t len, int fd)
{
	return send_fds(sock, buf, len, &fd, 1);
}

ssize_t
recv_fds(int sock, void *buf, size_t len, int flags, int *fds, int max, int *nfds)
{
	char cbuf[CMSG_SPACE(sizeof(int) * 64)];
	struct iovec iov = { .iov_base = buf, .iov_len = len };
	struct msghdr mh = { .msg_iov = &iov, .msg_iovlen = 1, .msg_control = cbuf,
			     .msg_controllen = sizeof(cbuf) };
	ssize_t r;

	*nfds = 0;
	do
		r = recvmsg(sock, &mh, flags | MSG_CMSG_CLOEXEC);
	while (r < 0 && errno == EINTR);
	if (r < 0)
		return -errno;
	for (struct cmsghdr *cm = CMSG_FIRSTHDR(&mh); cm; cm = CMSG_NXTHDR(&mh, cm)) {
		if (cm->cmsg_level != SOL_SOCKET || cm->cmsg_type != SCM_RIGHTS)
			continue;
		int k = (int)((cm->cmsg_len - CMSG_LEN(0)) / sizeof(int)), got[64];
		memcpy(got, CMSG_DATA(cm), sizeof(int) * (size_t)k);
		for (int i = 0; i < k; i++) {
			if (*nfds < max)
				fds[(*nfds)++] = got[i];
			else
				close(got[i]);
		}
	}
	return r;
}

ssize_t
recv_with_fd(int sock, void *buf, size_t len, int flags, int *fd)
{
	int n;
	ssize_t r = recv_fds(sock, buf, len, flags, fd, 1, &n);

	if (!n)
		*fd = -1;
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
