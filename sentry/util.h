/* Small shared helpers: cleanup attributes, logging, fatal errors. */
#pragma once
#include <errno.h>
#include <limits.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/user.h> /* defines PAGE_SIZE too: include it first */
#include <time.h>
#include <unistd.h>

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

/* The signals `sandbox` relays to the program (sentry/main.c), which the processes it starts
 * for itself leave to it: every one whose default action ends or stops nothing but the
 * program, so that `sandbox` is as transparent as `timeout` to whoever signals it. */
#define RELAYED_SIGNALS SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGUSR1, SIGUSR2, SIGALRM, SIGCONT, \
			SIGURG, SIGPWR, SIGVTALRM, SIGPROF

static inline void
sig_ignore_relayed(void)
{
	static const int relayed[] = { RELAYED_SIGNALS };

	for (size_t i = 0; i < ARRAY_SIZE(relayed); i++)
		signal(relayed[i], SIG_IGN);
}
#define MIN(a, b) ((a) < (b) ? (a) : (b))
#define MAX(a, b) ((a) > (b) ? (a) : (b))
#ifndef PAGE_SIZE
#define PAGE_SIZE 4096UL
#endif
#define PAGE_DOWN(x) ((unsigned long)(x) & ~(PAGE_SIZE - 1))
#define PAGE_UP(x) (((unsigned long)(x) + PAGE_SIZE - 1) & ~(PAGE_SIZE - 1))

#define NSEC_PER_SEC 1000000000LL

/* Times in ns as Linux's ktime: a time past 64-bit ns saturates at LLONG_MAX (ktime_set's
 * KTIME_MAX), which a deadline takes as never (coreutils' `timeout` with a huge value).
 * sec >= 0 and 0 <= nsec < 1e9, checked by the caller. */
static inline long long
ktime_of(long long sec, long long nsec)
{
	return sec >= LLONG_MAX / NSEC_PER_SEC ? LLONG_MAX : sec * NSEC_PER_SEC + nsec;
}

static inline long long
ts_ktime(const struct timespec *ts)
{
	return ktime_of(ts->tv_sec, ts->tv_nsec);
}

/* a + b, at most LLONG_MAX (ktime_add_safe; a >= 0, b may be negative) */
static inline long long
ktime_add_sat(long long a, long long b)
{
	return b > 0 && a > LLONG_MAX - b ? LLONG_MAX : a + b;
}

static inline struct timespec
ktime_ts(long long ns)
{
	return (struct timespec){ ns / NSEC_PER_SEC, ns % NSEC_PER_SEC };
}

static inline void freep(void *p) { free(*(void **)p); }
static inline void closep(int *fd)
{
	if (*fd >= 0) {
		int saved = errno;
		close(*fd);
		errno = saved;
	}
}
#define _cleanup_(f) __attribute__((cleanup(f)))
#define _cleanup_free_ _cleanup_(freep)
#define _cleanup_close_ _cleanup_(closep)

static inline void *steal_ptr(void *pp)
{
	void **p = pp, *r = *p;
	*p = NULL;
	return r;
}
static inline int steal_fd(int *fd)
{
	int r = *fd;
	*fd = -1;
	return r;
}

/* Logging goes to stderr on one line each, prefixed "sandbox: ". */
enum { LOG_ERR, LOG_WARN, LOG_INFO, LOG_DEBUG };
extern int log_level;
/* Where log lines go: the sentry keeps its own copy of stderr, so a guest that closes or
 * replaces its fd 2 (a host fd the guest owns) neither silences nor redirects them. */
extern int log_fd;
/* Where debug lines go instead, when set (an OCI command's --log with --debug): the text
 * after "sandbox: debug: ". */
extern void (*log_debug_sink)(const char *msg);
void log_msg(int level, int err, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
#define log_err(...) log_msg(LOG_ERR, 0, __VA_ARGS__)
#define log_warn(...) log_msg(LOG_WARN, 0, __VA_ARGS__)
#define log_info(...) log_msg(LOG_INFO, 0, __VA_ARGS__)
#define log_debug(...) \
	do { \
		if (log_level >= LOG_DEBUG) \
			log_msg(LOG_DEBUG, 0, __VA_ARGS__); \
	} while (0)
/* err is a positive or negative errno; strerror is appended. */
#define log_err_errno(err, ...) log_msg(LOG_ERR, (err), __VA_ARGS__)

/* Called with the text of each error line and die() message (no "sandbox: " prefix, no
 * newline) when set: the OCI runtime keeps the first to say why a container failed. */
extern void (*log_error_note)(const char *msg);
/* While *log_errors_noted_only (when set), error lines go to log_error_note alone: an OCI
 * container's process before its program is loaded, whose `create` tells why instead. */
extern const volatile int *log_errors_noted_only;
/* Startup and CLI only: print one line and exit with code. */
void die(int code, const char *fmt, ...) __attribute__((format(printf, 2, 3), noreturn));
/* die's line without the exit, for a caller that ends the run its own way. */
void log_fatal_line(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Broken invariant inside the sentry: backtrace, kill every guest, exit. */
void sentry_fatal(const char *fmt, ...) __attribute__((format(printf, 1, 2), noreturn));
#define BUG_ON(cond) \
	do { \
		if (__builtin_expect(!!(cond), 0)) \
			sentry_fatal("BUG at %s:%d: %s", __FILE__, __LINE__, #cond); \
	} while (0)

void *xmalloc(size_t n);
void *xcalloc(size_t n, size_t m);
void *xrealloc(void *p, size_t n);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);

/* Write all of buf to a host fd (retrying short writes and EINTR); 0 or -errno. */
int write_all(int fd, const void *buf, size_t n);
/* len bytes and nfds fds (SCM_RIGHTS, at most SEND_FDS_MAX) in one message: 0 / -errno
 * (-EIO: sent in part). send_with_fd: one fd. */
#define SEND_FDS_MAX 8
int send_fds(int sock, const void *buf, size_t len, const int *fds, int nfds);
int send_with_fd(int sock, const void *buf, size_t len, int fd);
/* A message of at most len bytes and the fds it carries (close-on-exec): the first max into
 * fds (*nfds of them), any others closed; its length / -errno. flags: recvmsg's.
 * recv_with_fd: one fd (*fd: -1 if none). */
ssize_t recv_fds(int sock, void *buf, size_t len, int flags, int *fds, int max, int *nfds);
ssize_t recv_with_fd(int sock, void *buf, size_t len, int flags, int *fd);
