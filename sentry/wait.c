/*
 * Wait queues and interruption of blocked syscalls.
 * A blocked task stays stopped in its trapped syscall; waking it re-runs the handler.
 */
#include <signal.h>
#include <sys/syscall.h>

#include "fs/vfs.h"
#include "platform/platform.h"
#include "sentry/ptrace.h"
#include "sentry/ns.h"
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
	/* (already there? A waiter of t on wq is on both lists: walk the two side by side, so
	 * the cost is the shorter's, not an epoll of n files' n for each of its n files) */
	for (struct waiter *a = t->waiters, *b = wq->head; a && b;
	     a = a->next_of_t, b = b->next_in_q)
		if (a->wq == wq || b->t == t)
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

void
runq_remove(struct task *t)
{
	if (!t->queued)
		return;
	for (struct task **pp = &sentry.runq; *pp; pp = &(*pp)->run_next) {
		if (*pp == t) {
			*pp = t->run_next;
			break;
		}
	}
	t->queued = false;
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

/* A clock of wakes and epoll list changes: what happened first has the smaller tick. */
unsigned long
waitq_tick(void)
{
	static unsigned long ticks;

	return ++ticks;
}

void
waitq_watch(struct waitq *wq, struct wq_watch *w)
{
	w->next = wq->watch;
	wq->watch = w;
}

void
waitq_unwatch(struct waitq *wq, struct wq_watch *w)
{
	for (struct wq_watch **pp = &wq->watch; *pp; pp = &(*pp)->next) {
		if (*pp == w) {
			*pp = w->next;
			return;
		}
	}
}

void
waitq_wake(struct waitq *wq)
{
	struct waiter *w;

	wq->wakes++;
	wq->seq = waitq_tick();
	for (struct wq_watch *x = wq->watch; x; x = x->next)
		x->fn(x);
	fasync_wake(wq); /* O_ASYNC files on this queue signal their owners */
	/* Sleepers leave every queue now; their re-run registers again if still not ready. */
	while ((w = wq->head)) {
		struct task *t = w->t;
		task_unwait(t);
		runq_push(t);
	}
}

void
task_wake(struct task *t)
{
	task_unwait(t);
	t->nwait_fds = 0;
	runq_push(t);
}

void
task_wait_fd(struct task *t, int fd, short events)
{
	for (int i = 0; i < t->nwait_fds; i++) {
		if (t->wait_fds[i].fd == fd) {
			t->wait_fds[i].events |= events;
			return;
		}
	}
	if (t->nwait_fds == TASK_WAIT_FDS) {
		/* More host fds than slots: look again soon rather than miss a wakeup. */
		t->wait_poll_at = monotonic_ns() + 10000000;
		return;
	}
	t->wait_fds[t->nwait_fds].fd = fd;
	t->wait_fds[t->nwait_fds].events = events;
	t->nwait_fds++;
}

long long
monotonic_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

/* ppoll/pselect6 ran with a temporary signal mask: put the caller's back. */
static void
restore_sigmask(struct task *t)
{
	if (!t->wait_sigmask)
		return;
	t->wait_sigmask = false;
	t->wait_takes = false;
	if (t->ctx && copy_to_guest(t, PLAT_STUB_SCRATCH, &t->wait_oldmask, 8) == 0)
		plat_inject(t->ctx, __NR_rt_sigprocmask, SIG_SETMASK, PLAT_STUB_SCRATCH, 0, 8, 0,
			    0);
}

void
task_wait_done(struct task *t)
{
	void (*cancel)(struct task *) = t->wait_cancel;

	t->wait_cancel = NULL;
	if (cancel)
		cancel(t);
	task_unwait(t);
	restore_sigmask(t);
	t->nwait_fds = 0;
	t->wait_deadline = 0;
	t->wait_poll_at = 0;
	t->wait_eintr = false;
	t->wait_nohand = false;
	t->wait_rerun = false;
	t->wait_written = 0;
	t->wait_ends_zero = false;
	t->wait_left = 0;
	if (t->wait_file) {
		file_put(t->wait_file);
		t->wait_file = NULL;
	}
	t->last_file = NULL;
}

/* Signals whose default action is to do nothing. */
static bool
default_ignored(int sig)
{
	return sig == SIGCHLD || sig == SIGURG || sig == SIGWINCH || sig == SIGCONT;
}

unsigned long
task_sig_handler(struct task *t, int sig)
{
	if (sig < 1 || sig > 64 || !t->leader)
		return (unsigned long)SIG_DFL;
	return t->leader->sig_handlers[sig - 1];
}

/* Will sig, sent now, be delivered to t (not blocked, not ignored)? */
bool
task_sig_deliverable(struct task *t, int sig)
{
	unsigned long mask = 0;

	if (sig == SIGKILL)
		return true;
	if (plat_get_sigmask(t->ctx, &mask) == 0 && (mask & (1UL << (sig - 1))))
		return false;
	return !task_sig_action_ignores(task_sig_handler(t, sig), sig);
}

bool
task_sig_action_ignores(unsigned long handler, int sig)
{
	return handler == (unsigned long)SIG_IGN ||
	       (handler == (unsigned long)SIG_DFL && default_ignored(sig));
}

bool
task_sig_blocked(struct task *t, int sig)
{
	unsigned long mask = 0;

	return t->ctx && plat_get_sigmask(t->ctx, &mask) == 0 && (mask & (1UL << (sig - 1)));
}

/* A signal the host kernel queued on its own (a timer run natively in the stub) is not
 * reported while the stub is stopped: the loop looks for them in blocked tasks. Any
 * injected call lets the kernel hand an unblocked one to the platform, which keeps it
 * for the stub's next resume. */
int
task_host_pending_signal(struct task *t)
{
	int sig;

	if (!t->ctx)
		return 0;
	sig = plat_pending_signal(t->ctx);
	if (!sig) {
		plat_inject(t->ctx, __NR_rt_sigpending, PLAT_STUB_SCRATCH, 8, 0, 0, 0, 0);
		sig = plat_pending_signal(t->ctx);
	}
	return sig && task_sig_deliverable(t, sig) ? sig : 0;
}

void
task_interrupt_for(struct task *t, int sig)
{
	/* A woken task re-runs its call at once (a wait4 woken by this very child's exit
	 * completes): no need to ask what the signal would do. */
	if (t->state != TASK_BLOCKED || t->queued || !t->ctx)
		return;
	/* A call held as a notification: the host interrupts it if the signal is delivered
	 * (the loop then sees plat_event.interrupted); a blocked signal leaves it waiting. */
	if (plat_in_notif(t->ctx) || !task_sig_deliverable(t, sig))
		return;
	if (seccomp_notif_holds(t)) /* only SIGKILL ends that wait */
		return;
	long r;
	int ends = task_interrupted_result(t, sig, &r);

	/* A temporary ppoll/pselect6 mask stays for the handler; its frame gets the old one
	 * (loop.c, at the delivery). */
	if (t->wait_sigmask) {
		t->mask_after_handler = true;
		t->mask_after = t->wait_oldmask;
	}
	t->wait_sigmask = false;
	t->wait_takes = false;
	task_wait_done(t);
	task_set_state(t, TASK_RUNNING);
	if (ends)
		plat_syscall_return(t->ctx, r);
	else
		plat_syscall_restart(t->ctx);
}

int
task_interrupted_result(struct task *t, int sig, long *r)
{
	/* a write (or sendmsg, sendmmsg, recvmmsg) that moved part of its data: that count is
	 * its result, as on Linux; restarting it would move the same data again */
	if (t->wait_written > 0) {
		*r = (long)t->wait_written;
		return 1;
	}
	/* an ignored signal does not end a wait on Linux (it is not even queued); the
	 * host, which reports it to the tracing sentry, restarts the call */
	if (task_sig_action_ignores(task_sig_handler(t, sig), sig))
		return 0;
	/* select and friends say how long they had left, restarted or not; when they
	 * cannot, they are not restarted (the full timeout would run again) */
	if (t->wait_left && poll_time_left(t) < 0) {
		*r = -EINTR;
		return 1;
	}
	if (t->wait_ends_zero) {
		*r = 0;
		return 1;
	}
	/* not restartable (a socket call with a timeout, signal(7)), or not when a handler
	 * runs (ERESTARTNOHAND) */
	if (t->wait_eintr ||
	    (t->wait_nohand && task_sig_handler(t, sig) > (unsigned long)SIG_IGN)) {
		*r = -EINTR;
		return 1;
	}
	return 0;
}

/* ---- job control: stop and continue ---- */

static bool
is_stop_signal(int sig)
{
	return sig == SIGSTOP || sig == SIGTSTP || sig == SIGTTIN || sig == SIGTTOU;
}

/* The process stopped or went on (code CLD_STOPPED, CLD_CONTINUED): the parent's wait
 * may report it, and it gets a SIGCHLD unless its action has SA_NOCLDSTOP. */
static void
notify_parent(struct task *l, int code, int status)
{
	struct task *parent = l->ppid ? task_lookup(l->ppid) : NULL;
	siginfo_t si;

	if (!parent || parent->state == TASK_ZOMBIE)
		return;
	waitq_wake(&parent->child_wq);
	if (parent->leader->sig_flags[SIGCHLD - 1] & SA_NOCLDSTOP)
		return;
	sig_info_child(&si, SIGCHLD, l, code, status);
	si.si_uid = userns_uid_out(parent, si.si_uid);
	sig_fixup_uid(&si, l, parent);
	task_send_signal(parent, SIGCHLD, &si, true);
}

/* Linux tells the parent of a group stop (its wait, SIGCHLD) only once every thread of
 * the process has stopped or gone (task_participate_group_stop): called as threads stop
 * and exit. */
void
task_group_stop_check(struct task *l)
{
	struct task *p, *tmp;

	if (!l->group_stopped || !l->stop_notify_due)
		return;
	HASH_ITER(hh, sentry.tasks, p, tmp)
		if (p->tgid == l->tgid && p->ctx && !p->stopped)
			return;
	l->stop_notify_due = false;
	l->stop_report = true;
	notify_parent(l, CLD_STOPPED, l->stop_sig);
}

bool
task_stop_signal(struct task *t, int sig)
{
	struct task *l = t->leader, *p, *tmp;

	if (!is_stop_signal(sig))
		return false;
	if (l->group_stopped) {
		t->stopped = true; /* a thread joining a stop already under way */
		task_group_stop_check(l);
		ptrace_group_stop(t, sig);
		return true;
	}
	if (!l->stop_pending) {
		/* A SIGCONT came after this stop was sent: as on Linux, the stop is discarded. */
		plat_resume(t->ctx, 0);
		return true;
	}
	if (sig != SIGSTOP && task_sig_handler(t, sig) != (unsigned long)SIG_DFL)
		return false;
	l->stop_pending = false;
	t->stopped = true;
	l->group_stopped = true;
	l->stop_sig = sig;
	l->stop_notify_due = true;
	l->cont_report = false;
	HASH_ITER(hh, sentry.tasks, p, tmp)
		if (p->tgid == t->tgid && p != t && !p->stopped && p->ctx)
			task_signal(p, SIGSTOP);
	task_group_stop_check(l);
	ptrace_group_stop(t, sig); /* a traced thread's stop is its tracer's to end */
	return true;
}

void
task_group_continue(struct task *l)
{
	struct task *p, *tmp;

	l->stop_pending = false; /* cancels a stop sent but not yet delivered */
	if (!l->group_stopped)
		return;
	l->group_stopped = false;
	l->stop_report = false;
	l->stop_notify_due = false;
	l->cont_report = true;
	HASH_ITER(hh, sentry.tasks, p, tmp) {
		if (p->tgid == l->tgid && p->stopped) {
			p->stopped = false;
			if (ptrace_continued(p))
				continue; /* its tracer's to resume */
			if (p->ctx && !cgroup_park(p, CG_PARK_RESUME, 0))
				plat_resume(p->ctx, 0);
		}
	}
	notify_parent(l, CLD_CONTINUED, SIGCONT);
}

/* ---- signals the kernel sends: terminals and job control ---- */

/* Linux will_become_orphaned_pgrp: no live member (but ignored) has a parent in another
 * group of the same session. The first program's parent is outside the sandbox. */
static bool
pgrp_orphaned_but(int pgid, const struct task *ignored)
{
	struct task *p, *tmp;

	HASH_ITER(hh, sentry.tasks, p, tmp) {
		struct task *parent;

		if (p->leader != p || p->pgid != pgid || p->state == TASK_ZOMBIE || !p->ppid ||
		    p == ignored)
			continue;
		parent = task_lookup(p->ppid);
		if (parent && parent->pgid != pgid && parent->sid == p->sid)
			return false;
	}
	return true;
}

bool
task_pgrp_orphaned(int pgid)
{
	return pgrp_orphaned_but(pgid, NULL);
}

static bool
pgrp_has_stopped(int pgid)
{
	struct task *p, *tmp;

	HASH_ITER(hh, sentry.tasks, p, tmp)
		if (p->leader == p && p->pgid == pgid && p->group_stopped)
			return true;
	return false;
}

void
task_orphan_pgrp(struct task *p, struct task *dying)
{
	struct task *parent = p == dying ? task_lookup(p->ppid) : dying;

	if (parent && parent->pgid != p->pgid && parent->sid == p->sid &&
	    pgrp_orphaned_but(p->pgid, p == dying ? p : NULL) && pgrp_has_stopped(p->pgid)) {
		task_kill_pgrp(p->pgid, SIGHUP, false);
		task_kill_pgrp(p->pgid, SIGCONT, false);
	}
}

/*
 * An OCI container's pid 1 is the init of a pid namespace for whoever signals it, inside
 * or on the host (pid_namespaces(7); Linux sig_task_ignored with SIGNAL_UNKILLABLE): a
 * signal it has no handler for is dropped, from its own namespace, from an ancestor one
 * (`sandbox kill`, relayed by the CLI) and from the kernel (its terminal's ^C) alike; only
 * SIGKILL and SIGSTOP from outside are forced. A fault of its own still kills it (Linux
 * force_sig_info_to_task clears SIGNAL_UNKILLABLE), which the loop's check sees to. For
 * `sandbox run`, pid 1 is the user's program: what the host sends `sandbox` reaches it.
 */
bool
task_init_drops(struct task *t, int sig)
{
	return sentry.init_unkillable && t->tgid == 1 && sig != SIGKILL && sig != SIGSTOP &&
	       task_sig_handler(t, sig) == (unsigned long)SIG_DFL && !task_sig_blocked(t, sig);
}

int
task_kill_process(struct task *p, int sig, bool outside)
{
	if (p->state == TASK_ZOMBIE)
		return 0;
	/* Pid 1 ignores what it has no handler for, as a pid-namespace init, except what
	 * comes from outside the sandbox (a stop would leave nobody to continue it), unless
	 * it is a container's init. */
	if (pidns_is_init(p) && (!outside || is_stop_signal(sig) || p->tgid != 1) &&
	    task_sig_handler(p, sig) == (unsigned long)SIG_DFL && !task_sig_blocked(p, sig))
		return 0;
	if (task_init_drops(p, sig))
		return 0;
	/* Stop signals from a terminal do nothing to an orphaned group (Linux get_signal). */
	if (is_stop_signal(sig) && sig != SIGSTOP && task_pgrp_orphaned(p->pgid) &&
	    task_sig_handler(p, sig) == (unsigned long)SIG_DFL)
		return 0;
	if (sig == SIGCONT)
		task_group_continue(p->leader);
	if (is_stop_signal(sig))
		p->leader->stop_pending = true;
	siginfo_t si;
	sig_info_kernel(&si, sig);
	return task_send_signal(p, sig, &si, true);
}

int
task_kill_pgrp(int pgid, int sig, bool outside)
{
	struct task *p, *tmp;
	bool found = false;

	if (pgid <= 0)
		return -ESRCH;
	HASH_ITER(hh, sentry.tasks, p, tmp) {
		if (p->leader != p || p->pgid != pgid)
			continue;
		found = true;
		task_kill_process(p, sig, outside);
	}
	return found ? 0 : -ESRCH;
}
