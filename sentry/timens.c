/*
 * Time namespaces (Linux kernel/time/namespace.c, time_namespaces(7)): offsets added to
 * CLOCK_MONOTONIC (and its RAW and COARSE forms) and CLOCK_BOOTTIME (and BOOTTIME_ALARM)
 * as the tasks inside read them. A task's ns[NS_TIME] slot is its time_for_children, its
 * timens pointer the one it lives in; unshare changes only the first, a fork's child
 * enters its parent's time_for_children, and so does an exec. The guest reads those clocks
 * natively: a process entering a namespace with offsets gets a filter that sends the
 * calls to the sentry instead, also the vDSO's (plat_trace_clocks); the initial namespace
 * (no offsets) never pays for it.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "platform/platform.h"
#include "sentry/ns.h"
#include "sentry/sentry.h"

struct time_ns {
	struct ns_common ns;
	struct timespec mono, boot;  /* the offsets */
	bool frozen;                 /* a task entered it: the offsets are fixed (EACCES) */
};

/* (Linux: the initial namespace's offsets are frozen from the start) */
static struct time_ns init_time = { .ns = { .refs = 1, .kind = NS_TIME, .ino = 4026531834u },
				    .frozen = true };

#define KTIME_SEC_MAX 9223372036L  /* Linux KTIME_MAX / NSEC_PER_SEC */

/* Linux clone_time_ns: the new namespace starts with its parent's offsets, not frozen. */
static struct ns_common *
time_copy(struct task *t, struct ns_common *old, struct ns_common *owner, int *err)
{
	(void)t;
	(void)owner;
	(void)err;
	if (!old)
		return &init_time.ns;
	struct time_ns *n = xcalloc(1, sizeof(*n));
	memcpy(n, old, sizeof(*n));
	n->ns = (struct ns_common){ .refs = 1, .kind = NS_TIME, .ino = ns_new_ino() };
	n->frozen = false;
	return &n->ns;
}

static void
time_release(struct ns_common *ns)
{
	if (ns != &init_time.ns)
		free(ns);
}

const struct ns_ops ns_time_ops = {
	.name = "time",
	.clone_flag = CLONE_NEWTIME,
	.copy = time_copy,
	.release = time_release,
};

struct ns_common *
timens_active(const struct task *t)
{
	return t && t->timens ? t->timens : &init_time.ns;
}

static bool
has_offsets(const struct time_ns *n)
{
	return n->mono.tv_sec || n->mono.tv_nsec || n->boot.tv_sec || n->boot.tv_nsec;
}

/* Is the vDSO where the host put it (a guest may unmap it and map its own memory there,
 * which must not be patched; a vDSO it moved keeps reading the clocks unshifted)? */
static bool
vdso_in_place(struct task *t)
{
	unsigned long base = plat_info()->vdso_base;
	struct vma *v = base && t->mm ? mm_find_vma(t->mm, base) : NULL;

	return v && v->start == base && v->name && !strcmp(v->name->path, "[vdso]");
}

/* The process's stub sends the shifted clocks to the sentry from now on (and its clones:
 * the host copies filters and the vDSO page). */
static int
trace_clocks(struct task *t)
{
	if (t->leader->clocks_traced || !has_offsets((struct time_ns *)timens_active(t)))
		return 0;
	int err = plat_trace_clocks(t->ctx, vdso_in_place(t));
	if (!err)
		t->leader->clocks_traced = true;
	return err;
}

int
timens_enter(struct task *t, struct ns_common *ns)
{
	struct ns_common *old = t->timens;

	t->timens = ns_get(ns);
	ns_put(old);
	((struct time_ns *)ns)->frozen = true;
	return t->ctx ? trace_clocks(t) : 0;
}

int
timens_exec(struct task *t)
{
	t->leader->clocks_traced = false; /* a new stub, a new vDSO */
	if (timens_active(t) != ns_of(t, NS_TIME))
		return timens_enter(t, ns_of(t, NS_TIME));
	return trace_clocks(t);
}

int
timens_fork(struct task *c)
{
	((struct time_ns *)timens_active(c))->frozen = true;
	return trace_clocks(c);
}

/* Linux timens_install: single-threaded only, CAP_SYS_ADMIN over the namespace and in the
 * caller's user namespace; it becomes both the caller's and its children's. */
int
timens_install(struct task *t, struct ns_common *ns)
{
	if (t->leader->live_threads > 1)
		return -EUSERS;
	if (!task_ns_capable(t, ns_owner(ns), CAP_SYS_ADMIN) ||
	    !task_ns_capable(t, ns_of(t, NS_USER), CAP_SYS_ADMIN))
		return -EPERM;
	struct ns_common *old = t->ns[NS_TIME];
	t->ns[NS_TIME] = ns_get(ns);
	ns_put(old);
	return timens_enter(t, ns);
}

void
timens_task_free(struct task *t)
{
	ns_put(t->timens);
	t->timens = NULL;
}

static void
ts_add(struct timespec *ts, const struct timespec *off)
{
	ts->tv_sec += off->tv_sec;
	ts->tv_nsec += off->tv_nsec;
	if (ts->tv_nsec >= 1000000000L) {
		ts->tv_nsec -= 1000000000L;
		ts->tv_sec++;
	}
}

/* The offset of clock in n (NULL: a clock it does not shift). */
static const struct timespec *
offset_of(const struct time_ns *n, clockid_t clock)
{
	switch (clock) {
	case CLOCK_MONOTONIC:
	case CLOCK_MONOTONIC_RAW:
	case CLOCK_MONOTONIC_COARSE:
		return &n->mono;
	case CLOCK_BOOTTIME:
	case CLOCK_BOOTTIME_ALARM:
		return &n->boot;
	default:
		return NULL;
	}
}

bool
timens_shifts(const struct task *t, clockid_t clock)
{
	const struct time_ns *n = (const struct time_ns *)timens_active(t);

	return has_offsets(n) && offset_of(n, clock);
}

void
timens_to_ns(const struct task *t, clockid_t clock, struct timespec *ts)
{
	const struct timespec *off = offset_of((const struct time_ns *)timens_active(t), clock);

	if (off)
		ts_add(ts, off);
}

/* Linux timens_ktime_to_host: a deadline below the offset has passed already (0). */
long long
timens_deadline_to_host(const struct task *t, clockid_t clock, long long ns)
{
	const struct timespec *off = offset_of((const struct time_ns *)timens_active(t), clock);

	if (!off)
		return ns;
	long long o = off->tv_sec * 1000000000LL + off->tv_nsec;
	if (o < 0 && ns > LLONG_MAX + o)
		return LLONG_MAX; /* a deadline "never" stays that */
	return ns < o ? 0 : ns - o;
}

long long
timens_boot_ns(const struct task *t, long long ns)
{
	const struct timespec *b = &((const struct time_ns *)timens_active(t))->boot;

	return ns + b->tv_sec * 1000000000LL + b->tv_nsec;
}

char *
timens_offsets_text(const struct task *target)
{
	const struct time_ns *n = (const struct time_ns *)ns_of(target, NS_TIME);
	char *s = NULL;

	if (asprintf(&s, "%-10s %10lld %9ld\n%-10s %10lld %9ld\n", "monotonic",
		     (long long)n->mono.tv_sec, n->mono.tv_nsec, "boottime",
		     (long long)n->boot.tv_sec, n->boot.tv_nsec) < 0)
		return NULL;
	return s;
}

/* One line "<clock> <secs> <nsecs>": clock "monotonic"/"1" or "boottime"/"7". 0 / -EINVAL. */
static int
parse_offset(const char *line, clockid_t *clock, struct timespec *ts)
{
	char name[10];
	long long sec;
	unsigned long nsec;

	if (sscanf(line, "%9s %lld %lu", name, &sec, &nsec) != 3 || nsec >= 1000000000UL)
		return -EINVAL;
	if (!strcmp(name, "monotonic") || !strcmp(name, "1"))
		*clock = CLOCK_MONOTONIC;
	else if (!strcmp(name, "boottime") || !strcmp(name, "7"))
		*clock = CLOCK_BOOTTIME;
	else
		return -EINVAL;
	*ts = (struct timespec){ (time_t)sec, (long)nsec };
	return 0;
}

/* Linux proc_timens_set_offset's range check: the clock now plus the offset must stay in
 * [0, KTIME_SEC_MAX / 2] seconds. */
static int
check_range(clockid_t clock, const struct timespec *off)
{
	struct timespec now;

	if (off->tv_sec > KTIME_SEC_MAX || off->tv_sec < -KTIME_SEC_MAX)
		return -ERANGE;
	clock_gettime(clock, &now);
	ts_add(&now, off);
	return now.tv_sec < 0 || now.tv_sec > KTIME_SEC_MAX / 2 ? -ERANGE : 0;
}

/* Linux timens_offsets_write: up to two lines, written at offset 0 in one go (less than a
 * page); CAP_SYS_TIME over target's time_for_children, which no task may have entered. */
long
timens_offsets_write(struct task *writer, struct task *target, const char *buf, size_t n,
		     long pos)
{
	struct timespec val[2];
	clockid_t clock[2];
	int count = 0;

	if (pos != 0 || n >= 4096)
		return -EINVAL;
	char *text = xmalloc(n + 1), *line = text;
	memcpy(text, buf, n);
	text[n] = 0;
	while (line) {
		char *next = strchr(line, '\n');
		if (next) {
			*next++ = 0;
			if (!*next)
				next = NULL;
		}
		if (parse_offset(line, &clock[count], &val[count])) {
			free(text);
			return -EINVAL;
		}
		if (++count == 2) {
			if (next)
				n = (size_t)(next - text);
			break;
		}
		line = next;
	}
	free(text);
	struct time_ns *ns = (struct time_ns *)ns_of(target, NS_TIME);
	if (!task_ns_capable(writer, ns_owner(&ns->ns), CAP_SYS_TIME))
		return -EPERM;
	for (int i = 0; i < count; i++) {
		int err = check_range(clock[i], &val[i]);
		if (err)
			return err;
	}
	if (ns->frozen)
		return -EACCES;
	for (int i = 0; i < count; i++)
		*(clock[i] == CLOCK_MONOTONIC ? &ns->mono : &ns->boot) = val[i];
	return (long)n;
}
