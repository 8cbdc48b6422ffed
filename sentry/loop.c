/*
 * The event loop: waits for stub events, dispatches trapped syscalls, re-runs blocked
 * ones when their host fd becomes ready, their queue is woken or their deadline passes,
 * and ends when the first program exits.
 */
#include <fcntl.h>
#include <linux/futex.h>
#include <poll.h>
#include <signal.h>
#include <string.h>
#include <sys/signalfd.h>
#include <sys/syscall.h>
#include <sys/wait.h>

#include "fs/vfs.h"
#include "platform/platform.h"
#include "sentry/ptrace.h"
#include "sentry/ns.h"
#include "sentry/sentry.h"
#include "syscalls/syscalls.h"

static int sigchld_fd = -1;
/* Host fds the sentry watches for itself (the terminal relay). */
/* the exec channel, 32 exec clients, and 2 for each of 33 terminal relays (console.c) */
#define EVL_WATCHES 99
static struct evl_watch *watches[EVL_WATCHES];

int
evl_watch_add(struct evl_watch *w)
{
	for (int i = 0; i < EVL_WATCHES; i++) {
		if (!watches[i]) {
			watches[i] = w;
			return 0;
		}
	}
	return -ENOSPC;
}

void
evl_watch_del(struct evl_watch *w)
{
	for (int i = 0; i < EVL_WATCHES; i++)
		if (watches[i] == w)
			watches[i] = NULL;
}

static volatile sig_atomic_t kicked;

void
evl_kick(void)
{
	kicked = 1;
}

static void
on_sigio(int sig)
{
	(void)sig;
	evl_kick();
}

bool
evl_signal_ready(int fd)
{
	struct sigaction io = { .sa_handler = on_sigio }; /* no SA_RESTART: it ends the wait */
	int fl = fcntl(fd, F_GETFL);

	if (fl < 0 || !(fl & O_NONBLOCK))
		return false;
	sigaction(SIGIO, &io, NULL);
	return fcntl(fd, F_SETOWN, getpid()) == 0 && fcntl(fd, F_SETFL, fl | O_ASYNC) == 0;
}

/* Watches the loop must poll even while no task waits: those that raise no signal. */
static bool
need_poll(void)
{
	for (int i = 0; i < EVL_WATCHES; i++)
		if (watches[i] && watches[i]->events && !watches[i]->signals)
			return true;
	return false;
}

/* A signal said a watched fd may be ready: let the signalling watches look. */
static void
run_kicked(void)
{
	if (!kicked)
		return;
	kicked = 0;
	for (int i = 0; i < EVL_WATCHES; i++)
		if (watches[i] && watches[i]->signals)
			watches[i]->ready(watches[i], 0);
}
/* Blocked tasks are checked this often for signals the host queued in their stopped stub. */
#define SIGNAL_CHECK_NS 20000000LL
static long long next_signal_check;

/* x86-64: at a handler's first instruction rsp points to the rt_sigframe: a return address,
 * then the ucontext, whose uc_sigmask follows uc_flags, uc_link, uc_stack (24 bytes) and the
 * 256-byte sigcontext. */
#define FRAME_SIGMASK_OFF (8 + 8 + 8 + 24 + 256)

/* The first signal after a ppoll/pselect6/epoll_pwait interrupted with a temporary mask:
 * its handler runs with that mask, and returning from it (rt_sigreturn) must give back the
 * caller's mask, as Linux's saved sigmask does. The host built the frame with the temporary
 * mask, so it is rewritten there; without a handler the mask is simply put back. */
static void
deliver_restoring_mask(struct task *t, int sig)
{
	struct user_regs_struct r;
	unsigned long handler = task_sig_handler(t, sig), mask = t->mask_after;

	t->mask_after_handler = false;
	if (plat_step_signal(t->ctx, sig, &r) < 0)
		return; /* the process is gone: its exit event follows */
	if (handler > (unsigned long)SIG_IGN && r.rip == handler)
		copy_to_guest(t, r.rsp + FRAME_SIGMASK_OFF, &mask, sizeof(mask));
	else
		plat_set_sigmask(t->ctx, mask);
	plat_resume(t->ctx, 0);
}

static void finish_resume(struct task *t, long r);
static void resume_after(struct task *t, long r);

/* Ends t's call with r (or leaves it blocked); then a signal its tracer gave at the call's
 * entry stop is sent, after the call as on Linux. */
static void
finish_syscall(struct task *t, long r)
{
	if (r == SYSRET_EXITED)
		return; /* t may be gone (execve from a non-leader thread frees it) */
	finish_resume(t, r);
	if (t->pt && t->pt->entry_sig)
		ptrace_entry_sig_flush(t);
}

static void
finish_resume(struct task *t, long r)
{
	if (r == SYSRET_BLOCK) {
		if (!t->wait_rerun)
			t->waited_calls++; /* a wait on Linux: a voluntary switch (ru_nvcsw) */
		task_set_state(t, TASK_BLOCKED);
		/* A signal that stopped the stub while the call ran something in it (the
		 * platform holds it for the next resume) is pending as the call goes to sleep:
		 * on Linux that ends the sleep, as one sent now would. */
		int held = t->ctx ? plat_pending_signal(t->ctx) : 0;
		if (held) {
			task_interrupt_for(t, held);
			return;
		}
		/* A signal sent while the thread sat in this call's entry stop, before the
		 * loop took it (another thread's tgkill came first), is pending in the host,
		 * which reports nothing for a thread already stopped: ask it, as Linux's
		 * signal_pending before it sleeps. A notification's wait the host ends itself. */
		if (t->sig_sent && t->ctx && !plat_in_notif(t->ctx)) {
			t->sig_sent = false;
			if ((held = task_host_pending_signal(t)))
				task_interrupt_for(t, held);
		}
		return;
	}
	task_set_state(t, TASK_RUNNING);
	task_wait_done(t);
	if (!t->ctx || cgroup_park(t, CG_PARK_FINISH, r))
		return;
	resume_after(t, r);
}

/* The return to t's code after its call ended with r. */
static void
resume_after(struct task *t, long r)
{
	int err, sig;

	if (t->mask_after_handler && r >= -4095 && (sig = plat_pending_signal(t->ctx))) {
		/* ended by a signal the temporary mask let in, already taken from the stub (or,
		 * io_pgetevents, done with that signal pending: its handler runs after) */
		if (plat_syscall_set_result(t->ctx, r) == 0)
			deliver_restoring_mask(t, sig);
		return;
	}
	if (r == SYSRET_NATIVE)
		err = plat_syscall_native(t->ctx);
	else if (r == SYSRET_DONE)
		err = plat_resume(t->ctx, 0);
	else if (r == SYSRET_RESTART)
		err = plat_syscall_restart(t->ctx);
	else
		err = plat_syscall_return(t->ctx, r);
	if (err && err != -ESRCH)
		log_debug("resume of task %d failed: %d", t->tid, err);
}

/* A futex operation that sleeps (shared futexes come here; private ones never trap) */
static bool
futex_waits(unsigned long op)
{
	switch (op & FUTEX_CMD_MASK) {
	case FUTEX_WAIT:
	case FUTEX_WAIT_BITSET:
	case FUTEX_LOCK_PI:
	case FUTEX_LOCK_PI2:
	case FUTEX_WAIT_REQUEUE_PI:
		return true;
	default:
		return false;
	}
}

/* The handler's run and its end, with the exit stop of a traced task between them. */
static void
dispatch(struct task *t)
{
	const struct user_regs_struct *r = plat_regs(t->ctx);
	struct sysargs a = {
		.nr = (long)r->orig_rax,
		.a = { r->rdi, r->rsi, r->rdx, r->r10, r->r8, r->r9 },
		.rip = r->rip,
	};
	long res;
	bool sud = false;

	if (t->pt) {
		t->pt->call_nr = a.nr + 1;
		t->pt->call_rip = a.rip;
	}
	t->last_nr = a.nr;
	mm_native_done(t); /* a native munmap it was let run before has finished */
	/* syscall user dispatch, then the guest's own seccomp filters decide first (a re-run
	 * was let through already); a dispatched call has no syscall-exit stop (Linux's
	 * on_dispatch) */
	if (!t->wait_rerun && !(t->pt && t->pt->seccomp_recheck) && t->sud_on &&
	    sud_call(t, &a, &res)) {
		sud = true;
		sys_trace_filtered(t, &a, res);
	} else if (t->unotif ? seccomp_notif_rerun(t, &res) :
		   !t->wait_rerun && t->seccomp_mode && seccomp_filter_call(t, &a, &res)) {
		if (t->pt && t->pt->stop == PT_SECCOMP)
			return; /* held for its tracer (ptrace_run goes on) */
		sys_trace_filtered(t, &a, res);
	} else {
		res = sys_dispatch(t, &a);
	}
	if (res == SYSRET_NATIVE && (a.nr == __NR_nanosleep || a.nr == __NR_clock_nanosleep ||
				     a.nr == __NR_pause || a.nr == __NR_rt_sigsuspend ||
				     (a.nr == __NR_futex && futex_waits(a.a[1]))))
		t->native_sleep = true;
	if (res != SYSRET_EXITED && !sud && t->pt && ptrace_syscall_exit(t, res)) /* (t may be gone) */
		return;
	finish_syscall(t, res);
}

void
evl_dispatch(struct task *t)
{
	task_wait_done(t);
	t->wait_rerun = false;
	task_set_state(t, TASK_RUNNING);
	dispatch(t);
}

void
evl_finish_syscall(struct task *t, long r)
{
	finish_syscall(t, r);
}

/* Runs the handler of t's trapped syscall: a new call, or a re-run of a blocked one (which
 * keeps its deadline and flags but registers its queues and host fds again). While the
 * handler runs the task counts as running, so a signal it raises does not interrupt it.
 * (A task traced with PTRACE_SYSCALL had its entry stop at the host's: PLAT_EV_SYSCALL_ENTRY.) */
static void
run_syscall(struct task *t)
{
	bool rerun = t->state == TASK_BLOCKED;

	if (rerun) {
		task_unwait(t);
		t->nwait_fds = 0;
		t->wait_poll_at = 0;
	} else {
		task_wait_done(t);
	}
	t->wait_rerun = rerun;
	task_set_state(t, TASK_RUNNING);
	if (t->pt && t->pt->syscall_trace && (long)plat_regs(t->ctx)->orig_rax == -1) {
		/* its tracer skipped the call at the entry stop (orig_rax -1), which the stub
		 * filter still sends here: it returns what the tracer left in rax */
		finish_syscall(t, (long)plat_regs(t->ctx)->rax);
		return;
	}
	dispatch(t);
}

/* An ignored SIGTRAP, which the host holds as a handler (SIG_TRAP_IGN), reached t: one
 * sent is dropped (it was blocked when sent: Linux drops it when unblocked); one the CPU
 * raised (an int3, a debug trap) resets the action to SIG_DFL and is delivered, as Linux's
 * force_sig_info_to_task does. True when it was dropped. */
static bool
trap_ignored(struct task *t, const siginfo_t *si)
{
	struct { unsigned long handler, flags, restorer, mask; } dfl = { (unsigned long)SIG_DFL, 0, 0, 0 };

	if (si->si_code <= 0) {
		plat_resume(t->ctx, 0);
		return true;
	}
	t->leader->sig_handlers[SIGTRAP - 1] = (unsigned long)SIG_DFL;
	if (copy_to_guest(t, PLAT_STUB_SCRATCH, &dfl, sizeof(dfl)) == 0)
		plat_inject(t->ctx, __NR_rt_sigaction, SIGTRAP, PLAT_STUB_SCRATCH, 0, 8, 0, 0);
	return false;
}

/* t is stopped for sig (info si): deliver it with the guest's disposition. */
void
evl_deliver_signal(struct task *t, int sig, const siginfo_t *si)
{
	/* Pid 1, a pid-namespace init, ignores what other processes send it with the
	 * default action (let through while blocked, for sigwaitinfo or a signalfd). */
	/* A namespace's init below the sandbox's ignores them from anywhere (Linux's
	 * SIGNAL_UNKILLABLE; SIGKILL and SIGSTOP from outside were let through when sent). */
	bool child_init = pidns_is_child_init(t->leader);
	/* An OCI container's init: from anywhere, but for a fault of its own (wait.c) */
	bool fault = si->si_code > 0 && (sig == SIGSEGV || sig == SIGBUS || sig == SIGILL ||
					 sig == SIGFPE || sig == SIGTRAP || sig == SIGSYS);
	if (task_init_drops(t, sig) && !fault) {
		plat_resume(t->ctx, 0);
		return;
	}
	if (((t->tgid == 1 && si->si_pid > 1) || child_init) &&
	    sig != SIGKILL && sig != SIGSTOP &&
	    (si->si_code == SI_USER || si->si_code == SI_TKILL || si->si_code == SI_QUEUE) &&
	    task_sig_handler(t, sig) == (unsigned long)SIG_DFL) {
		plat_resume(t->ctx, 0);
		return;
	}
	if (sig == SIGTRAP && task_sig_handler(t, sig) == (unsigned long)SIG_IGN &&
	    trap_ignored(t, si))
		return;
	/* Stop signals with their default action stop the process here (the thread stays
	 * in this ptrace stop until SIGCONT); the host kernel delivers the rest with the
	 * disposition the guest installed. */
	if (task_stop_signal(t, sig))
		return;
	if (t->pt && ptrace_fatal_signal(t, sig))
		return; /* PTRACE_EVENT_EXIT first */
	if (t->mask_after_handler) {
		deliver_restoring_mask(t, sig);
		return;
	}
	/* a fatal signal that dumps core: the core is written while t is stopped for it */
	if (task_core_signal(sig) && task_sig_handler(t, sig) == (unsigned long)SIG_DFL)
		task_dump_core(t, sig, si);
	if (!cgroup_park(t, CG_PARK_RESUME, sig))
		plat_resume(t->ctx, sig);
}

/* A thread of a frozen cgroup stopped with a new call or signal (not one ending a call
 * the sentry holds, nor the freezer's own stop): the event waits for the thaw. */
static bool
park_event(struct task *t, const struct plat_event *ev)
{
	if (ev->kind == PLAT_EV_EXIT || !cgroup_frozen(t) || ev->interrupted || ev->untaken ||
	    t->state == TASK_BLOCKED || (ev->kind == PLAT_EV_SIGNAL && ev->sig == SIGSTOP &&
					 t->cg_kicks > 0))
		return false;
	struct plat_event *copy = xmalloc(sizeof(*copy));
	*copy = *ev;
	free(t->cg_park_ev);
	t->cg_park_ev = copy;
	if (cgroup_park(t, CG_PARK_EVENT, 0))
		return true;
	free(copy);
	t->cg_park_ev = NULL;
	return false;
}

static void handle_event(struct plat_ctx *ctx, const struct plat_event *ev);

/* Threads held by cgroup.freeze whose cgroup is no longer frozen go on as they would. */
static void
evl_unpark(void)
{
	struct task *t;

	cgroup_thawed = false;
	for (t = task_next(NULL); t; t = task_next(t)) {
		int kind = t->cg_park;

		if (!kind || cgroup_frozen(t))
			continue;
		t->cg_park = CG_PARK_NONE;
		struct plat_event *ev = t->cg_park_ev;
		t->cg_park_ev = NULL;
		if (t->ctx && kind == CG_PARK_EVENT)
			handle_event(t->ctx, ev);
		else if (t->ctx && kind == CG_PARK_FINISH)
			resume_after(t, t->cg_park_arg);
		else if (t->ctx && kind == CG_PARK_RESUME)
			plat_resume(t->ctx, (int)t->cg_park_arg);
		free(ev);
	}
}

static void
handle_event(struct plat_ctx *ctx, const struct plat_event *ev)
{
	struct task *t = plat_get_owner(ctx);

	if (!t) {
		if (ev->kind == PLAT_EV_EXIT)
			plat_release(ctx);
		else
			plat_resume(ctx, 0);
		return;
	}
	t->native_sleep = false; /* it is back from any native sleep */
	if (park_event(t, ev))
		return;
	switch (ev->kind) {
	case PLAT_EV_SYSCALL:
		run_syscall(t);
		break;
	case PLAT_EV_SIGNAL: {
		/* It ended a call the sentry held as a notification (a blocked one): the host
		 * restarts it or fails it with EINTR when the signal is delivered. */
		if (ev->interrupted && t->state == TASK_BLOCKED) {
			if (t->queued) {
				/* woken at the same time: as on Linux the call completes first (a
				 * read at a hangup gets its EIO), then the signal stop comes back */
				long r;
				plat_finish_interrupted(ctx, ev->sig);
				run_syscall(t);
				if (t->state == TASK_BLOCKED && task_interrupted_result(t, ev->sig, &r)) {
					finish_syscall(t, r);
				} else if (t->state == TASK_BLOCKED) {
					task_wait_done(t);
					task_set_state(t, TASK_RUNNING);
					plat_syscall_restart(ctx);
				}
				break;
			}
			long r;
			if (task_interrupted_result(t, ev->sig, &r)) {
				/* a pipe write that wrote part of its data (that count), a socket
				 * call with a timeout (EINTR whatever SA_RESTART says)...: its
				 * result, as on Linux, then the signal stop comes back */
				plat_finish_interrupted(ctx, ev->sig);
				finish_syscall(t, r);
				break;
			}
			task_wait_done(t);
			task_set_state(t, TASK_RUNNING);
		}
		if (ev->untaken && t->state == TASK_RUNNING) {
			/* it met the call before the sentry took it: the call runs now, the
			 * signal pending (a call that completes has its result, and then the
			 * signal stop comes back; one that would wait ends for the handler) */
			plat_finish_interrupted(ctx, ev->sig);
			run_syscall(t);
			if (t->state == TASK_BLOCKED)
				task_interrupt_for(t, ev->sig);
			if (t->state == TASK_BLOCKED) {
				/* one the sentry would not interrupt it for (a tracer's stop
				 * for an ignored one comes first): it starts again after */
				task_wait_done(t);
				task_set_state(t, TASK_RUNNING);
				plat_syscall_restart(ctx);
			}
			break;
		}
		/* the stop cgroup.freeze sent it: not the guest's (it goes, or waits there) */
		if (ev->sig == SIGSTOP && t->cg_kicks > 0) {
			t->cg_kicks--;
			if (!cgroup_park(t, CG_PARK_RESUME, 0))
				plat_resume(ctx, 0);
			break;
		}
		/* The siginfo as the guest must see it (the sender's virtual pid...), set in the
		 * stop before the host builds the handler's frame from it. */
		siginfo_t si;
		memset(&si, 0, sizeof(si));
		plat_signal_info(ctx, &si);
		/* a POSIX timer's: its overrun count, taken now (and a standard signal ends
		 * what such a timer believed pending) */
		int before = si.si_overrun;
		timers_dequeued(t, &si);
		if (si.si_code == SI_TIMER && si.si_overrun != before)
			plat_set_signal_info(ctx, &si);
		/* A traced task stops for its tracer first (Linux ptrace_signal). */
		if (ptrace_signal_stop(t, ev->sig, &si))
			break;
		evl_deliver_signal(t, ev->sig, &si);
		break;
	}
	case PLAT_EV_SYSCALL_ENTRY:
	case PLAT_EV_SYSCALL_EXIT:
		/* a signal ended a call the sentry held blocked, and the host made its exit
		 * stop: the call is over (its partial count is its result, as on Linux) */
		if (ev->interrupted && t->state == TASK_BLOCKED) {
			long n = (long)t->wait_written;
			bool zero = t->wait_ends_zero;
			task_wait_done(t);
			task_set_state(t, TASK_RUNNING);
			if (n > 0 || zero)
				plat_syscall_set_result(ctx, n);
		}
		/* a guest tracer's syscall stops, at the host's own */
		if (!ptrace_host_syscall_stop(t, ev->kind == PLAT_EV_SYSCALL_ENTRY))
			plat_resume(ctx, 0);
		break;
	case PLAT_EV_EXIT: {
		int status = ev->status;
		/* a seccomp kill (the sentry's SIGKILL) ends it as by the filter's signal */
		if (t->leader->seccomp_kill_sig && WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL)
			status = (status & ~0x7f) | t->leader->seccomp_kill_sig;
		status = task_core_status(t, status);
		if (t->leader == t) {
			struct rusage ru;
			unsigned long u, s, sched;
			plat_exit_rusage(ctx, &ru);
			task_rusage_exited(t, &ru);
			if (plat_exit_cpu_clock(ctx, &u, &s, &sched) == 0)
				task_rusage_exit_clocks(t, u, s, sched);
		}
		task_exit(t, status); /* (process_died reaps it if its parent asked for that) */
		break;
	}
	default:
		BUG_ON(1);
	}
}

/* Blocked in the sentry with timers of its own in the stub's kernel (CPU clocks): the
 * signals those raise are only seen by asking the stub. */
static bool
needs_signal_check(struct task *t)
{
	/* (one held as a notification is interrupted by the host itself) */
	return t->state == TASK_BLOCKED && t->leader && t->leader->native_timers &&
	       !plat_in_notif(t->ctx);
}

/* The earliest time the loop must look at blocked tasks: a deadline, a timer, or the next
 * check for host-queued signals. */
static long long
next_deadline(void)
{
	struct task *t, *tmp;
	long long first = timers_next_deadline();

	HASH_ITER(hh, sentry.tasks, t, tmp) {
		if (t->state != TASK_BLOCKED)
			continue;
		if (timers_any_native() && needs_signal_check(t)) {
			if (!next_signal_check)
				next_signal_check = monotonic_ns() + SIGNAL_CHECK_NS;
			if (!first || next_signal_check < first)
				first = next_signal_check;
		}
		if (t->wait_deadline && (!first || t->wait_deadline < first))
			first = t->wait_deadline;
		if (t->wait_poll_at && (!first || t->wait_poll_at < first))
			first = t->wait_poll_at;
	}
	long long cpu = limits_cpu_deadline();
	if (cpu && (!first || cpu < first))
		first = cpu;
	long long mapped = tmpfs_sync_deadline();
	if (mapped && (!first || mapped < first))
		first = mapped;
	long long sig = sig_check_deadline();
	if (sig && (!first || sig < first))
		first = sig;
	return first;
}

/* Wakes blocked tasks whose deadline has passed; interrupts those with a signal pending
 * in their stub (an itimer the host ran for them), as if the sentry had sent it. */
static void
wake_expired(void)
{
	long long now = monotonic_ns();
	bool check = now >= next_signal_check;
	struct task *t, *tmp;

	if (check)
		next_signal_check = now + SIGNAL_CHECK_NS;
	HASH_ITER(hh, sentry.tasks, t, tmp) {
		int sig;

		if (t->state != TASK_BLOCKED)
			continue;
		if (check && needs_signal_check(t) && (sig = task_host_pending_signal(t))) {
			task_interrupt_for(t, sig);
			continue;
		}
		if ((t->wait_deadline && now >= t->wait_deadline) ||
		    (t->wait_poll_at && now >= t->wait_poll_at))
			task_wake(t);
	}
}

/* Sleeps until a blocked task's host fd is ready, a deadline passes, a stub has news
 * (SIGCHLD) or a watched fd is ready; wakes the tasks concerned (run_woken re-runs them)
 * and runs the watches' callbacks. */
static void
wait_blocked(void)
{
	struct task *t, *tmp;
	long long deadline = next_deadline();
	struct timespec ts, *tsp = NULL;
	int n = 1, max = 1;
	int platfds[4], nplat = plat_poll_fds(platfds, 4);

	HASH_ITER(hh, sentry.tasks, t, tmp)
		if (t->state == TASK_BLOCKED)
			max += t->nwait_fds;
	max += EVL_WATCHES + nplat;
	_cleanup_free_ struct pollfd *pfds = xcalloc(max, sizeof(*pfds));
	_cleanup_free_ struct task **who = xcalloc(max, sizeof(*who));
	struct evl_watch *wat[EVL_WATCHES];
	int nw = 0;

	pfds[0].fd = sigchld_fd;
	pfds[0].events = POLLIN;
	for (int i = 0; i < EVL_WATCHES; i++) {
		if (watches[i] && watches[i]->events) {
			wat[nw] = watches[i];
			pfds[n].fd = wat[nw]->fd;
			pfds[n].events = wat[nw]->events;
			n++;
			nw++;
		}
	}
	/* a stub's call for the sentry ends the wait (the loop's next plat_wait takes it) */
	for (int i = 0; i < nplat; i++, n++) {
		pfds[n].fd = platfds[i];
		pfds[n].events = POLLIN;
	}
	HASH_ITER(hh, sentry.tasks, t, tmp) {
		if (t->state != TASK_BLOCKED)
			continue;
		for (int i = 0; i < t->nwait_fds && n < max; i++, n++) {
			pfds[n].fd = t->wait_fds[i].fd;
			pfds[n].events = t->wait_fds[i].events;
			who[n] = t;
		}
	}
	if (deadline) {
		long long left = MAX(deadline - monotonic_ns(), 0);
		ts.tv_sec = left / 1000000000LL;
		ts.tv_nsec = left % 1000000000LL;
		tsp = &ts;
	}
	if (ppoll(pfds, n, tsp, NULL) < 0)
		return;
	short platrev[4];
	for (int i = 0; i < nplat; i++)
		platrev[i] = pfds[1 + nw + i].revents;
	plat_polled(platrev, nplat);
	if (pfds[0].revents) {
		/* SIGCHLD is not queued: one pending at most, one read takes it */
		struct signalfd_siginfo si;
		if (read(sigchld_fd, &si, sizeof(si)) < 0)
			si.ssi_signo = 0;
		plat_child_news();
	}
	for (int i = 0; i < nw; i++) /* a callback may change or remove watches */
		for (int j = 0; j < EVL_WATCHES; j++)
			if (watches[j] == wat[i] && pfds[1 + i].revents && wat[i]->events)
				wat[i]->ready(wat[i], pfds[1 + i].revents);
	for (int i = 1 + nw + nplat; i < n; i++)
		if (pfds[i].revents && who[i]->state == TASK_BLOCKED && who[i]->ctx)
			task_wake(who[i]);
	timers_fire();
	sig_check_shared();
	if (deadline)
		wake_expired();
}

/* Blocked tasks need ppoll (host fds, deadlines, the periodic signal check); without
 * them the loop sleeps in plat_wait. */
static bool
any_blocked(void)
{
	return sentry.nblocked > 0;
}

/* Signals the host sent (bit N: signal N, taken from *pending): to `sandbox`, relayed to
 * the first program (group false), or to its whole process group, each guest's stub its
 * own copy (group true). The calls those wait in for the sentry end for them. */
static void
host_signals_arrived(volatile unsigned long *pending, bool group)
{
	unsigned long sigs = *pending;
	struct task *p, *tmp;

	if (!sigs)
		return;
	*pending = 0;
	for (int sig = 1; sig < 64; sig++) {
		if (!(sigs & (1UL << sig)))
			continue;
		if (!group) {
			if (!task_init_drops(sentry.init, sig))
				task_interrupt_for(sentry.init, sig);
			continue;
		}
		HASH_ITER(hh, sentry.tasks, p, tmp)
			if (!task_init_drops(p, sig))
				task_interrupt_for(p, sig);
	}
	waitq_wake(sig_sent_waitq()); /* sent straight to the stubs: takers look again */
}

/* Re-runs the syscalls of woken tasks, and interrupts blocked calls for signals the host
 * sent to `sandbox` or its process group. */
static void
run_woken(void)
{
	struct task *t;

	host_signals_arrived(&host_signals_pending, false);
	host_signals_arrived(&host_group_signals, true);
	while ((t = runq_pop())) {
		if (t->pt && t->pt->resumed)
			ptrace_run(t);
		else if (t->state == TASK_BLOCKED && t->ctx)
			run_syscall(t);
	}
}

int
sentry_loop(void)
{
	sigset_t chld;
	struct plat_ctx *ctx;
	struct plat_event ev;

	sigemptyset(&chld);
	sigaddset(&chld, SIGCHLD);
	sigprocmask(SIG_BLOCK, &chld, NULL);
	sigchld_fd = signalfd(-1, &chld, SFD_NONBLOCK | SFD_CLOEXEC);
	if (sigchld_fd < 0)
		sentry_fatal("signalfd: %s", strerror(errno));
	plat_set_wake_fd(sigchld_fd);

	while (sentry.init->state != TASK_ZOMBIE) {
		if (limit_report) /* for the CLI, should a kill end the run */
			limit_report->guest_cpu_gone_ns = plat_gone_cpu_ns();
		long long cpu_check = limits_cpu_deadline();
		if (cpu_check && monotonic_ns() >= cpu_check)
			limits_check_cpu();
		long long mapped_sync = tmpfs_sync_deadline();
		if (mapped_sync && monotonic_ns() >= mapped_sync)
			tmpfs_sync_mapped();
		timers_fire();
		sig_check_shared();
		run_kicked();
		if (cgroup_thawed)
			evl_unpark();
		run_woken();
		if (sentry.init->state == TASK_ZOMBIE)
			break;
		/* timers and --cpu-time need the loop to wake up on time: then it polls */
		bool timers = timers_next_deadline() != 0;
		if (!any_blocked() && !need_poll() && !timers && !cpu_check && !mapped_sync) {
			/* A signalling watch ends this wait (EINTR); run_kicked looks. */
			if (kicked)
				continue;
			int err = plat_wait(&ctx, &ev, true);
			if (err == 0)
				handle_event(ctx, &ev);
			else if (err == -ECHILD)
				sentry_fatal("the first program's host process vanished");
			continue;
		}
		/* a bounded batch, so that timers fire even while stubs keep trapping */
		int i;
		for (i = 0; i < 64 && plat_wait(&ctx, &ev, false) == 0; i++)
			handle_event(ctx, &ev);
		if (i < 64 && sentry.init->state != TASK_ZOMBIE && !sentry.runq && !kicked &&
		    !cgroup_thawed && (any_blocked() || need_poll() || timers || cpu_check || mapped_sync))
			wait_blocked();
	}
	if (limit_report)
		limit_report->guest_cpu_ns = plat_cpu_ns();
	return sentry.init->exit_status;
}
