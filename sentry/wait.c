/*
 * Wait queues and interruption of blocked syscalls.
 * A blocked task stays stopped in its trapped syscall; waking it re-runs the handler.
 */
#include <signal.h>
#include <sys/syscall.h>

#include "platform/platform.h"
#include "sentry/sentry.h"

struct waiter {
	struct task *t;
	struct waitq *wq;
	struct waiter *next_in_q;   /* next sleeper on wq */
	struct waiter *next_of_t;   /* next queue of the same task */
};

void
task_wait_on(struct task *t, struct waitq *wq)
{
	for (struct waiter *w = t->waiters; w; w = w->next_of_t)
		if (w->wq == wq)
			return;
	struct waiter *w = xcalloc(1, sizeof(*w));
	w->t = t;
	w->wq = wq;
	w->next_in_q = wq->head;
	wq->head = w;
	w->next_of_t = t->waiters;
	t->waiters = w;
}

static void
unlink_from_queue(struct waiter *w)
{
	for (struct waiter **pp = &w->wq->head; *pp; pp = &(*pp)->next_in_q) {
		if (*pp == w) {
			*pp = w->next_in_q;
			return;
		}
	}
}

void
task_unwait(struct task *t)
{
	struct waiter *w = t->waiters;

	while (w) {
		struct waiter *next = w->next_of_t;
		unlink_from_queue(w);
		free(w);
		w = next;
	}
	t->waiters = NULL;
}

static void
runq_push(struct task *t)
{
	if (t->queued)
		return;
	t->queued = true;
	t->run_next = NULL;
	struct task **pp = &sentry.runq;
	while (*pp)
		pp = &(*pp)->run_next;
	*pp = t;
}

struct task *
runq_pop(void)
{
	struct task *t = sentry.runq;

	if (t) {
		sentry.runq = t->run_next;
		t->queued = false;
	}
	return t;
}

void
waitq_wake(struct waitq *wq)
{
	struct waiter *w;

	/* Sleepers leave every queue now; their re-run registers again if still not ready. */
	while ((w = wq->head)) {
		struct task *t = w->t;
		task_unwait(t);
		runq_push(t);
	}
}

/* Signals whose default action is to do nothing. */
static bool
default_ignored(int sig)
{
	return sig == SIGCHLD || sig == SIGURG || sig == SIGWINCH || sig == SIGCONT;
}

/* Will sig, sent now, be delivered to t (not blocked, not ignored)? */
static bool
sig_delivered(struct task *t, int sig)
{
	unsigned long mask = 0, handler = 0;

	if (sig == SIGKILL)
		return true;
	if (plat_get_sigmask(t->ctx, &mask) == 0 && (mask & (1UL << (sig - 1))))
		return false;
	/* struct kernel_sigaction starts with the handler */
	if (plat_inject(t->ctx, __NR_rt_sigaction, sig, 0, PLAT_STUB_SCRATCH, 8, 0, 0) < 0 ||
	    copy_from_guest(t, &handler, PLAT_STUB_SCRATCH, sizeof(handler)) < 0)
		return true;
	if (handler == (unsigned long)SIG_IGN)
		return false;
	return !(handler == (unsigned long)SIG_DFL && default_ignored(sig));
}

void
task_interrupt_for(struct task *t, int sig)
{
	if (t->state != TASK_BLOCKED || !t->ctx || !sig_delivered(t, sig))
		return;
	task_unwait(t);
	t->wait_fd = -1;
	t->state = TASK_RUNNING;
	plat_syscall_restart(t->ctx);
}
