/*
 * Resource use as getrusage, wait4 and waitid report it. The stub's kernel counts each
 * image (CPU time, faults, context switches, block I/O, peak RSS); the sentry adds up what
 * Linux adds up across what the host sees as separate processes: the images a process
 * replaced by execve, and its reaped children with their own reaped children.
 */
#include <string.h>
#include <sys/resource.h>
#include <sys/syscall.h>

#include "platform/platform.h"
#include "sentry/sentry.h"

static void
tv_add(struct timeval *a, const struct timeval *b)
{
	a->tv_sec += b->tv_sec;
	a->tv_usec += b->tv_usec;
	if (a->tv_usec >= 1000000) {
		a->tv_sec++;
		a->tv_usec -= 1000000;
	}
}

static unsigned long
tv_us(const struct timeval *tv)
{
	return (unsigned long)tv->tv_sec * 1000000UL + (unsigned long)tv->tv_usec;
}

void
ru_add(struct rusage *acc, const struct rusage *r)
{
	tv_add(&acc->ru_utime, &r->ru_utime);
	tv_add(&acc->ru_stime, &r->ru_stime);
	acc->ru_maxrss = MAX(acc->ru_maxrss, r->ru_maxrss); /* a peak, not a sum */
	acc->ru_minflt += r->ru_minflt;
	acc->ru_majflt += r->ru_majflt;
	acc->ru_inblock += r->ru_inblock;
	acc->ru_oublock += r->ru_oublock;
	acc->ru_nvcsw += r->ru_nvcsw;
	acc->ru_nivcsw += r->ru_nivcsw;
}

static long
thread_sandbox(struct task *t)
{
	return t->ctx ? (long)plat_switches(t->ctx) - (long)t->waited_calls : 0;
}

long
task_nvcsw_sandbox(struct task *t, bool process)
{
	struct task *l = t->leader, *p, *tmp;
	long n;

	if (!process)
		return thread_sandbox(t);
	n = l->nvcsw_gone;
	HASH_ITER(hh, sentry.tasks, p, tmp)
		if (p->tgid == l->tgid && p->mm == l->mm)
			n += thread_sandbox(p);
	return n;
}

void
task_rusage_thread_gone(struct task *t)
{
	/* (a thread of an image execve replaced counted there already) */
	if (t != t->leader && t->mm == t->leader->mm)
		t->leader->nvcsw_gone += thread_sandbox(t);
}

static void
nvcsw_less(struct rusage *ru, long sandbox)
{
	ru->ru_nvcsw = ru->ru_nvcsw > sandbox ? ru->ru_nvcsw - sandbox : 0;
}

int
task_rusage_stub(struct task *t, int who, struct rusage *ru)
{
	if (!t->ctx)
		return -ESRCH;
	long r = plat_inject(t->ctx, __NR_getrusage, who, PLAT_STUB_SCRATCH, 0, 0, 0, 0);
	if (r < 0)
		return (int)r;
	return copy_from_guest(t, ru, PLAT_STUB_SCRATCH, sizeof(*ru));
}

/* getrusage(who) in t's stub, with what the sandbox made t's thread (process false) or
 * process wait so far left out of ru_nvcsw: as of when the injected call ran (its own trap
 * counts, the one after it does not). */
static int
rusage_stub_less(struct task *t, int who, bool process, struct rusage *ru)
{
	if (!t->ctx)
		return -ESRCH;
	unsigned long own = plat_switches(t->ctx);
	long sandbox = task_nvcsw_sandbox(t, process);
	int err = task_rusage_stub(t, who, ru);

	if (!err)
		nvcsw_less(ru, sandbox + (long)(plat_switches_injected(t->ctx) - own));
	return err;
}

int
task_rusage_self(struct task *t, struct rusage *ru)
{
	int err = rusage_stub_less(t, RUSAGE_SELF, true, ru);

	if (!err)
		ru_add(ru, &t->leader->ru_exec);
	return err;
}

int
task_rusage_thread(struct task *t, struct rusage *ru)
{
	return rusage_stub_less(t, RUSAGE_THREAD, false, ru);
}

int
task_rusage_image(struct task *t, struct rusage *ru)
{
	return rusage_stub_less(t, RUSAGE_SELF, true, ru);
}

void
task_rusage_exec(struct task *l, struct rusage *old, long sandbox)
{
	nvcsw_less(old, sandbox);
	ru_add(&l->ru_exec, old);
	l->nvcsw_gone = 0;
}

void
task_rusage_exited(struct task *l, const struct rusage *host)
{
	l->ru_self = *host;
	nvcsw_less(&l->ru_self, task_nvcsw_sandbox(l, true));
	ru_add(&l->ru_self, &l->ru_exec);
	l->user_us = tv_us(&l->ru_self.ru_utime);
	l->sys_us = tv_us(&l->ru_self.ru_stime);
	l->maxrss_kb = MAX(l->maxrss_kb, (unsigned long)MAX(l->ru_self.ru_maxrss, 0));
	l->ru_self.ru_maxrss = (long)l->maxrss_kb;
}

void
task_rusage_exit_clocks(struct task *l, unsigned long user_us, unsigned long sys_us,
			unsigned long sched_us)
{
	unsigned long eu = tv_us(&l->ru_exec.ru_utime), es = tv_us(&l->ru_exec.ru_stime);

	l->user_us = user_us + eu;
	l->sys_us = sys_us + es;
	l->sched_us = sched_us + eu + es;
}

void
task_rusage_both(struct task *c, struct rusage *ru)
{
	*ru = c->ru_self;
	ru_add(ru, &c->ru_children);
}

void
task_rusage_reaped(struct task *l, const struct rusage *child_both)
{
	ru_add(&l->ru_children, child_both);
	l->child_user_us = tv_us(&l->ru_children.ru_utime);
	l->child_sys_us = tv_us(&l->ru_children.ru_stime);
	l->child_maxrss_kb = (unsigned long)MAX(l->ru_children.ru_maxrss, 0);
}
