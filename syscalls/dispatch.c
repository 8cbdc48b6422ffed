/* The dispatcher: the one place that maps a trapped syscall to its handler. */
#include <stdio.h>
#include <string.h>

#include "sentry/sentry.h"
#include "syscalls/syscalls.h"

static void
trace_line(struct task *t, const struct sysargs *a, const struct sysent *e, long r)
{
	char line[512];
	int n = snprintf(line, sizeof(line), "[%d] %s(", t->tid, e ? e->name : "?");

	for (int i = 0; i < 6 && n < (int)sizeof(line) - 64; i++)
		n += snprintf(line + n, sizeof(line) - n, "%s%#lx", i ? ", " : "", a->a[i]);
	if (r == SYSRET_NATIVE)
		n += snprintf(line + n, sizeof(line) - n, ") = <host>\n");
	else if (r == SYSRET_BLOCK)
		n += snprintf(line + n, sizeof(line) - n, ") = <blocked>\n");
	else if (r < 0 && r >= -4095)
		n += snprintf(line + n, sizeof(line) - n, ") = -1 %s\n",
			      strerrorname_np(-r) ? strerrorname_np(-r) : "?");
	else
		n += snprintf(line + n, sizeof(line) - n, ") = %ld\n", r);
	write_all(sentry.opts.trace_fd, line, MIN(n, (int)sizeof(line) - 1));
}

long
sys_dispatch(struct task *t, const struct sysargs *a)
{
	const struct sysent *e = sys_lookup(a->nr);
	long r;

	if (!e || (!e->handler && e->disp != SYS_DENY)) {
		char name[32];
		snprintf(name, sizeof(name), "syscall_%ld", a->nr);
		audit_denied(t, a->nr, e ? e->name : name, ENOSYS, "not implemented");
		r = -ENOSYS;
	} else if (e->disp == SYS_DENY) {
		audit_denied(t, a->nr, e->name, e->err, "denied by policy");
		r = -e->err;
	} else {
		r = e->handler(t, a);
	}
	if (sentry.opts.trace_fd >= 0)
		trace_line(t, a, e, r);
	return r;
}
