/* The dispatcher: the one place that maps a trapped syscall to its handler. */
#include <asm/unistd.h>
#include <fcntl.h>
#include <stdio.h>
#include <sys/mman.h>
#include <string.h>

#include "sentry/sentry.h"
#include "syscalls/syscalls.h"

/* Appends a guest string, quoted and escaped, at most 64 characters. */
static int
trace_str(struct task *t, unsigned long addr, char *out, size_t n)
{
	char buf[65];
	long len = strncpy_from_guest(t, buf, addr, sizeof(buf));

	if (len == -EFAULT)
		return snprintf(out, n, "%#lx", addr);
	if (len < 0)
		len = sizeof(buf) - 1;
	int o = snprintf(out, n, "\"");
	for (long i = 0; i < len && o < (int)n - 8; i++) {
		unsigned char c = buf[i];
		if (c == '"' || c == '\\')
			o += snprintf(out + o, n - o, "\\%c", c);
		else if (c >= 0x20 && c < 0x7f)
			out[o++] = c;
		else
			o += snprintf(out + o, n - o, "\\x%02x", c);
	}
	o += snprintf(out + o, n - o, "\"%s", len == sizeof(buf) - 1 ? "..." : "");
	return MIN(o, (int)n - 1);
}

struct flag_name {
	unsigned long bit;
	const char *name;
};

static int
trace_flags(unsigned long v, const struct flag_name *names, size_t count, char *out, size_t n)
{
	int o = 0;

	for (size_t i = 0; i < count && o < (int)n; i++) {
		if (names[i].bit && (v & names[i].bit) == names[i].bit) {
			o += snprintf(out + o, n - o, "%s%s", o ? "|" : "", names[i].name);
			v &= ~names[i].bit;
		}
	}
	if ((v || !o) && o < (int)n)
		o += snprintf(out + o, n - o, "%s%#lx", o ? "|" : "", v);
	return MIN(o, (int)n - 1);
}

static const struct flag_name oflag_names[] = {
	{ O_WRONLY, "O_WRONLY" }, { O_RDWR, "O_RDWR" }, { O_CREAT, "O_CREAT" },
	{ O_EXCL, "O_EXCL" }, { O_NOCTTY, "O_NOCTTY" }, { O_TRUNC, "O_TRUNC" },
	{ O_APPEND, "O_APPEND" }, { O_NONBLOCK, "O_NONBLOCK" }, { O_DIRECTORY, "O_DIRECTORY" },
	{ O_NOFOLLOW, "O_NOFOLLOW" }, { O_CLOEXEC, "O_CLOEXEC" }, { O_PATH, "O_PATH" },
	{ 020000000, "O_TMPFILE" }, { 0100000, "O_LARGEFILE" }, { O_DSYNC, "O_DSYNC" },
};
static const struct flag_name prot_names[] = {
	{ PROT_READ, "PROT_READ" }, { PROT_WRITE, "PROT_WRITE" }, { PROT_EXEC, "PROT_EXEC" },
};
static const struct flag_name mflag_names[] = {
	{ MAP_SHARED, "MAP_SHARED" }, { MAP_PRIVATE, "MAP_PRIVATE" }, { MAP_FIXED, "MAP_FIXED" },
	{ MAP_ANONYMOUS, "MAP_ANONYMOUS" }, { MAP_NORESERVE, "MAP_NORESERVE" },
	{ MAP_POPULATE, "MAP_POPULATE" }, { MAP_FIXED_NOREPLACE, "MAP_FIXED_NOREPLACE" },
	{ MAP_STACK, "MAP_STACK" }, { MAP_GROWSDOWN, "MAP_GROWSDOWN" }, { MAP_DENYWRITE, "MAP_DENYWRITE" },
};

/* One argument by its format in the table ("fd,path,oflags,mode"). */
static int
trace_arg(struct task *t, const char *fmt, size_t flen, unsigned long v, char *out, size_t n)
{
#define IS(name) (flen == sizeof(name) - 1 && !strncmp(fmt, name, flen))
	if (IS("fd") || IS("int"))
		return (int)v == AT_FDCWD && IS("fd") ? snprintf(out, n, "AT_FDCWD")
						      : snprintf(out, n, "%d", (int)v);
	if (IS("uint"))
		return snprintf(out, n, "%u", (unsigned)v);
	if (IS("size"))
		return snprintf(out, n, "%lu", v);
	if (IS("mode"))
		return snprintf(out, n, "%#lo", v);
	if (IS("path") || IS("str"))
		return trace_str(t, v, out, n);
	if (IS("oflags"))
		return (v & ~(unsigned long)O_ACCMODE) || (v & O_ACCMODE)
			       ? trace_flags(v, oflag_names, ARRAY_SIZE(oflag_names), out, n)
			       : snprintf(out, n, "O_RDONLY");
	if (IS("prot"))
		return v ? trace_flags(v, prot_names, ARRAY_SIZE(prot_names), out, n)
			 : snprintf(out, n, "PROT_NONE");
	if (IS("mflags"))
		return trace_flags(v, mflag_names, ARRAY_SIZE(mflag_names), out, n);
	return snprintf(out, n, "%#lx", v);
#undef IS
}

/* The arguments of a call, decoded by the table's formats ("AT_FDCWD, \"/etc\", O_RDONLY"),
 * leaving `spare` bytes of out free (a trace line's result follows). Bounded: n < size. */
static int
trace_args(struct task *t, const struct sysargs *a, const struct sysent *e, char *out,
	   size_t size, int spare)
{
	const char *fmt = e && e->fmt ? e->fmt : NULL;
	int n = 0, room = (int)size - 1;
	/* every piece is bounded by what is left; n never passes the last byte */
#define ADD(expr) \
	do { \
		n += (expr); \
		if (n > room) \
			n = room; \
	} while (0)

	if (size)
		out[0] = '\0';
	for (int i = 0; i < 6 && n < room - spare; i++) {
		size_t flen = 3;
		if (fmt) {
			if (!*fmt)
				break;
			flen = strcspn(fmt, ",");
		}
		if (i)
			ADD(snprintf(out + n, size - n, ", "));
		ADD(trace_arg(t, fmt ? fmt : "hex", flen, a->a[i], out + n, size - n));
		if (fmt)
			fmt += flen + (fmt[flen] == ',');
	}
	return n;
}

/* The call's part of a trace line ("[tid] name(args"), read before the call runs: execve
 * replaces the memory its path is in, and an exit may free t. Bounded: n < size. */
static int
trace_call(struct task *t, const struct sysargs *a, const struct sysent *e, char *line,
	   size_t size)
{
	int n = e && e->name ? snprintf(line, size, "[%d] %s(", t->tid, e->name)
			     : snprintf(line, size, "[%d] syscall_%ld(", t->tid, a->nr);

	n = MIN(n, (int)size - 1);
	return n + trace_args(t, a, e, line + n, size - n, 200);
}

/* A refused call: counted, and with --audit a JSON line with its decoded arguments. */
void
audit_call(struct task *t, const struct sysargs *a, const char *name, int err, const char *why)
{
	char args[768];

	if (sentry.opts.audit_fd >= 0)
		trace_args(t, a, sys_lookup(a->nr), args, sizeof(args), 80);
	audit_denied(t, a->nr, name, err, why, sentry.opts.audit_fd >= 0 ? args : NULL);
}

/* The SYSRET_ codes sysret made during the current handler's run (bit 0: SYSRET_NATIVE). */
static unsigned int sysret_made;

static bool
sysret_range(long r)
{
	return r <= SYSRET_NATIVE && r >= SYSRET_RESTART;
}

long
sysret(long code)
{
	if (sysret_range(code))
		sysret_made |= 1u << (SYSRET_NATIVE - code);
	return code;
}

/* Ends a trace line of n bytes with the call's result r (code: one in the SYSRET_ range is
 * a code, not a value); returns its length. */
static int
trace_result(const struct sysent *e, long r, bool code, char *line, int n, size_t size)
{
	int room = (int)size - 1;

	if (code && r == SYSRET_NATIVE)
		ADD(snprintf(line + n, size - n, ") = <host>\n"));
	else if (code && r == SYSRET_BLOCK)
		ADD(snprintf(line + n, size - n, ") = <blocked>\n"));
	else if (r < 0 && r >= -4095)
		ADD(snprintf(line + n, size - n, ") = -1 %s (%s)\n",
			     strerrorname_np(-r) ? strerrorname_np(-r) : "?", strerror(-r)));
	else if (code && sysret_range(r))
		ADD(snprintf(line + n, size - n, ") = <done>\n"));
	else if (e && (!strcmp(e->name, "mmap") || !strcmp(e->name, "mremap") || !strcmp(e->name, "brk")))
		ADD(snprintf(line + n, size - n, ") = %#lx\n", r));
	else
		ADD(snprintf(line + n, size - n, ") = %ld\n", r));
#undef ADD
	if (n == room) /* cut short: keep the line a line */
		line[n - 1] = '\n';
	line[n] = '\0';
	return n;
}

int
sys_trace_format(struct task *t, const struct sysargs *a, const struct sysent *e, long r,
		 char *line, size_t size)
{
	return trace_result(e, r, true, line, trace_call(t, a, e, line, size), size);
}

void
sys_trace_filtered(struct task *t, const struct sysargs *a, long r)
{
	char line[1024];

	if (sentry.opts.trace_fd < 0)
		return;
	int n = sys_trace_format(t, a, sys_lookup(a->nr), r == SYSRET_EXITED ? -ENOSYS : r, line,
				 sizeof(line));
	/* (marked: the guest's own seccomp filter decided, the call did not run) */
	if (n > 0 && line[n - 1] == '\n' && (size_t)n + 24 < sizeof(line))
		n += snprintf(line + n - 1, sizeof(line) - n + 1, " (seccomp filter)\n") - 1;
	write_all(sentry.opts.trace_fd, line, n);
}

/* A write to a read-only mount (the host root) is a policy refusal: audit it with its path. */
static void
audit_refused_path(struct task *t, const struct sysargs *a, const struct sysent *e)
{
	char why[PATH_MAX + 64] = "read-only filesystem";
	const char *fmt = e->fmt ? e->fmt : "";

	for (int i = 0; i < 6 && *fmt; i++) {
		size_t flen = strcspn(fmt, ",");
		if (flen == 4 && !strncmp(fmt, "path", 4)) {
			char path[PATH_MAX];
			if (strncpy_from_guest(t, path, a->a[i], sizeof(path)) >= 0)
				snprintf(why, sizeof(why), "read-only filesystem: %s", path);
			break;
		}
		fmt += flen + (fmt[flen] == ',');
	}
	audit_call(t, a, e->name, EROFS, why);
}

static struct {
	unsigned long calls;
	long long ns;
} stats[SYS_MAX + 1];   /* the last slot: numbers outside the table */

static int
cmp_stats(const void *x, const void *y)
{
	long long a = stats[*(const int *)x].ns, b = stats[*(const int *)y].ns;

	return a < b ? 1 : a > b ? -1 : 0;
}

void
sys_print_stats(void)
{
	int order[SYS_MAX + 1];
	unsigned long calls = 0;
	long long ns = 0;

	for (int i = 0; i <= SYS_MAX; i++) {
		order[i] = i;
		calls += stats[i].calls;
		ns += stats[i].ns;
	}
	qsort(order, SYS_MAX + 1, sizeof(int), cmp_stats);
	dprintf(log_fd, "sandbox: %lu trapped syscalls, %.1f ms in handlers\n", calls, ns / 1e6);
	for (int i = 0; i < 40 && stats[order[i]].calls; i++) {
		int nr = order[i];
		const struct sysent *e = nr < SYS_MAX ? sys_lookup(nr) : NULL;
		dprintf(log_fd, "  %-20s %8lu calls %9.1f ms %7.1f us/call\n",
			e && e->name ? e->name : "(other)", stats[nr].calls, stats[nr].ns / 1e6,
			stats[nr].ns / 1e3 / stats[nr].calls);
	}
}

static long dispatch(struct task *t, const struct sysargs *a);

/* /proc/PID/io's counts (Linux task_io_accounting): read and write calls the sentry
 * served, and their bytes. */
static void
count_io(struct task *t, long nr, long r)
{
	switch (nr) {
	case __NR_read: case __NR_readv: case __NR_pread64: case __NR_preadv: case __NR_preadv2:
		t->io_syscr++;
		t->io_rchar += r;
		break;
	case __NR_write: case __NR_writev: case __NR_pwrite64: case __NR_pwritev:
	case __NR_pwritev2:
		t->io_syscw++;
		t->io_wchar += r;
		break;
	default:
		break;
	}
}

/* Calls that change nothing a /proc file shows: what comes between an open and its first
 * read (python's open: fstat, ioctl TCGETS, lseek; cat: fstat, fadvise). */
static bool
proc_query(long nr)
{
	switch (nr) {
	case __NR_fstat: case __NR_newfstatat: case __NR_statx: case __NR_lseek:
	case __NR_ioctl: case __NR_fadvise64: case __NR_fcntl:
		return true;
	default:
		return false;
	}
}

long
sys_dispatch(struct task *t, const struct sysargs *a)
{
	if (!proc_query(a->nr))
		sentry.changes++;
	if (!sentry.opts.stats)
		return dispatch(t, a);
	long long t0 = monotonic_ns();
	long r = dispatch(t, a);
	int slot = a->nr >= 0 && a->nr < SYS_MAX ? (int)a->nr : SYS_MAX;
	stats[slot].calls++;
	stats[slot].ns += monotonic_ns() - t0;
	return r;
}

static long
dispatch(struct task *t, const struct sysargs *a)
{
	const struct sysent *e = sys_lookup(a->nr);
	char line[1024];
	int n = sentry.opts.trace_fd >= 0 ? trace_call(t, a, e, line, sizeof(line)) : 0;
	bool value = false;
	long r;

	if (!e || (!e->handler && e->disp != SYS_DENY)) {
		char name[32];
		snprintf(name, sizeof(name), "syscall_%ld", a->nr);
		audit_call(t, a, e ? e->name : name, ENOSYS, "not implemented");
		r = -ENOSYS;
	} else if (e->disp == SYS_DENY) {
		audit_call(t, a, e->name, e->err, "denied by policy");
		r = -e->err;
	} else {
		current_task = t;
		memcpy(sentry.rlim, t->leader->rlim, sizeof(sentry.rlim));
		fdt_set_max_fds(sentry.rlim[RLIMIT_NOFILE].rlim_cur);
		sysret_made = 0;
		t->result_set = false;
		r = e->handler(t, a);
		current_task = NULL;
		/* a value that only looks like a code (t is alive: only a made code is EXITED) */
		if (sysret_range(r) && !(sysret_made & 1u << (SYSRET_NATIVE - r))) {
			log_debug("%s of task %d: %ld is a value, not a code", e->name, t->tid, r);
			value = true;
		}
		if (r >= 0)
			count_io(t, a->nr, r);
		if (r == -EROFS)
			audit_refused_path(t, a, e);
	}
	if (sentry.opts.trace_fd >= 0)
		write_all(sentry.opts.trace_fd, line, trace_result(e, r, !value, line, n, sizeof(line)));
	return value ? sys_value(t, r) : r;
}
