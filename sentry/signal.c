/*
 * Signals the sentry sends, with the siginfo Linux gives them: kill and tkill carry the
 * sender's virtual pid and real uid, SIGCHLD the child's CLD_* report, the kernel's own
 * (terminals, alarms, group stops) SI_KERNEL. The platform queues the siginfo with the
 * signal in the stub's kernel, so the guest finds the same one wherever it takes the
 * signal: a handler, rt_sigtimedwait or a signalfd (both served here, from the stub's
 * queue), after coalescing of standard signals as the host does it.
 */
#include <signal.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "platform/platform.h"
#include "sentry/ptrace.h"
#include "sentry/ns.h"
#include "sentry/sentry.h"


struct task *current_task;

unsigned long
sig_host_handler(int sig, unsigned long handler)
{
	return sig == SIGTRAP && handler == (unsigned long)SIG_IGN ? SIG_TRAP_IGN : handler;
}

unsigned long
sig_guest_handler(int sig, unsigned long handler)
{
	return sig == SIGTRAP && handler == SIG_TRAP_IGN ? (unsigned long)SIG_IGN : handler;
}

/* Woken whenever a signal is sent: calls that wait to take one from the queue re-run. */
static struct waitq sent_wq;

struct waitq *
sig_sent_waitq(void)
{
	return &sent_wq;
}

void
sig_info_kernel(siginfo_t *si, int sig)
{
	memset(si, 0, sizeof(*si));
	si->si_signo = sig;
	si->si_code = SI_KERNEL;
}

void
sig_info_from(siginfo_t *si, int sig, int code, const struct task *from)
{
	memset(si, 0, sizeof(*si));
	si->si_signo = sig;
	si->si_code = code;
	si->si_pid = from->tgid;
	si->si_uid = userns_uid_out(from, from->uid);
}

void
sig_fixup_uid(siginfo_t *si, const struct task *from, const struct task *to)
{
	long kuid;
	int c = si->si_code;
	/* Linux has_si_pid_and_uid: the layouts with a pid and uid (kill's, SIGCHLD's, rt) */
	bool has_uid = (c <= 0 && c != SI_TIMER && c != SI_SIGIO) || c == SI_KERNEL ||
		       (si->si_signo == SIGCHLD && c >= CLD_EXITED && c <= CLD_CONTINUED);

	if (!has_uid || !from || !to || ns_of(from, NS_USER) == ns_of(to, NS_USER))
		return;
	kuid = userns_uid_in(from, si->si_uid);
	si->si_uid = kuid < 0 ? userns_uid_out(to, (unsigned int)-1) :
				userns_uid_out(to, (unsigned int)kuid);
}

static long
clock_ticks(unsigned long us)
{
	long hz = sysconf(_SC_CLK_TCK);

	return (long)(us / 1000000 * hz + us % 1000000 * hz / 1000000);
}

/* The thread that takes a signal sent to the process of t: its leader, or while the
 * leader's own thread is gone (the others live on) another of its threads. */
static struct task *
process_thread(struct task *t)
{
	struct task *l = t->leader, *p, *tmp;

	if (l->ctx)
		return l;
	HASH_ITER(hh, sentry.tasks, p, tmp)
		if (p->tgid == l->tgid && p->ctx && p->state != TASK_ZOMBIE)
			return p;
	return NULL;
}

void
sig_info_child(siginfo_t *si, int sig, struct task *l, int code, int status)
{
	unsigned long user_us = l->user_us, sys_us = l->sys_us;
	struct task *th;

	memset(si, 0, sizeof(*si));
	si->si_signo = sig;
	si->si_code = code;
	si->si_pid = l->tgid;
	si->si_uid = l->uid;
	si->si_status = status;
	/* a live process (stopped, continued): its CPU time so far */
	if (code != CLD_EXITED && code != CLD_KILLED && code != CLD_DUMPED &&
	    (th = process_thread(l)) && plat_cpu_times(th->ctx, &user_us, &sys_us) == 0) {
		user_us += l->ru_exec.ru_utime.tv_sec * 1000000UL + l->ru_exec.ru_utime.tv_usec;
		sys_us += l->ru_exec.ru_stime.tv_sec * 1000000UL + l->ru_exec.ru_stime.tv_usec;
	}
	si->si_utime = clock_ticks(user_us);
	si->si_stime = clock_ticks(sys_us);
}

void
sig_info_exit(siginfo_t *si, int sig, struct task *l)
{
	int st = l->exit_status;

	if (WIFEXITED(st))
		sig_info_child(si, sig, l, CLD_EXITED, WEXITSTATUS(st));
	else
		sig_info_child(si, sig, l, WCOREDUMP(st) ? CLD_DUMPED : CLD_KILLED, WTERMSIG(st));
}

/* When the loop looks for process-directed signals left in the host's shared pending set
 * that a thread blocked in the sentry could take (CLOCK_MONOTONIC ns, 0: not due). */
static long long check_at;
#define SHARED_CHECK_NS 10000000LL

static bool
live_thread(const struct task *p)
{
	/* (a leader that called exit is a zombie on the host: a signal sent to it alone,
	 * even SIGKILL, stays there unseen) */
	return p->ctx && p->state != TASK_ZOMBIE && !p->exit_called;
}

/* Does thread p, in a ptrace stop, leave sig unblocked (and not sit in a group stop)? */
static bool
takes_signal(struct task *p, int sig)
{
	unsigned long mask;

	if (p->stopped || ptrace_stopped(p) || plat_get_sigmask(p->ctx, &mask))
		return false;
	return !(mask & SIG_BIT(sig));
}

/*
 * A signal for the process of t (signal(7), Linux complete_signal): its main thread takes
 * it unless that blocks it, else any thread that does not block it; while every thread
 * blocks it, it stays pending for the process, where any thread may take it (sigwaitinfo,
 * a signalfd, unblocking it). The host kernel does all of that with its shared pending set
 * for the threads it sees running, but it gives nothing to a thread in a ptrace stop (one
 * the sentry holds in a blocked call, or runs a call for). So: a thread in a ptrace stop
 * that takes the signal, the main thread first, gets it as its own; otherwise it goes to
 * the shared set. If then a stopped thread could take it but the main thread runs (its
 * mask unknown: it may take the signal itself), the loop looks again shortly
 * (sig_check_shared): a stopped thread then takes what is still pending.
 */
static int
send_process(struct task *t, int sig, const siginfo_t *info)
{
	struct task *l = t->leader, *p, *tmp, *to = NULL, *any = NULL;
	bool leader_runs = false, later = false;

	if (live_thread(l)) {
		any = l;
		if (!plat_is_stopped(l->ctx))
			leader_runs = true;
		else if (sig == SIGKILL || takes_signal(l, sig))
			to = l;
	}
	if (!to) {
		HASH_ITER(hh, sentry.tasks, p, tmp) {
			if (p->tgid != l->tgid || p == l || !live_thread(p))
				continue;
			if (!any)
				any = p;
			if (sig == SIGKILL || !plat_is_stopped(p->ctx) || !takes_signal(p, sig))
				continue;
			if (leader_runs) {
				later = true;
				continue;
			}
			to = p;
			break;
		}
	}
	if (!any)
		return -ESRCH;
	if (sig == SIGKILL && !to)
		to = any; /* it ends the whole group from any thread */
	int err = to ? plat_send_signal(to->ctx, sig, info)
		     : plat_send_signal_process(any->ctx, sig, info);
	if (err)
		return err;
	if (to) {
		to->sig_sent = true;
		task_interrupt_for(to, sig);
	} else {
		/* a thread taken for running may be in a stop the loop has not seen yet, where
		 * the host gives it nothing: its next blocking call looks (finish_resume) */
		HASH_ITER(hh, sentry.tasks, p, tmp)
			if (p->tgid == l->tgid && live_thread(p))
				p->sig_sent = true;
	}
	if (!to && later) {
		l->sig_check = true;
		if (!check_at)
			check_at = monotonic_ns() + SHARED_CHECK_NS;
	}
	return 0;
}

long long
sig_check_deadline(void)
{
	return check_at;
}

void
sig_check_shared(void)
{
	struct task *p, *tmp;
	bool again = false;

	if (!check_at || monotonic_ns() < check_at)
		return;
	check_at = 0;
	HASH_ITER(hh, sentry.tasks, p, tmp) {
		int sig;

		if (!p->leader || !p->leader->sig_check || p->state != TASK_BLOCKED || !p->ctx ||
		    !plat_is_stopped(p->ctx))
			continue;
		if (p->queued) {
			again = true; /* its call re-runs first, and may block again: look later */
			continue;
		}
		/* an injected call lets the host hand it what it may take, shared ones too */
		if ((sig = task_host_pending_signal(p)))
			task_interrupt_for(p, sig);
	}
	if (again)
		check_at = monotonic_ns() + SHARED_CHECK_NS;
	else
		HASH_ITER(hh, sentry.tasks, p, tmp)
			p->sig_check = false;
	waitq_wake(&sent_wq);
}

/* Linux drops a signal the receiver ignores when it is sent (sig_ignored), unless the
 * thread blocks it or is traced. The host keeps every signal for a stub (stubs are traced),
 * and a signal stop for nothing is a round trip that, met while the sentry injects a call,
 * could take the place of a signal that matters. Decided only for a thread in a ptrace
 * stop, whose mask is known without disturbing it; SIGCONT has its effect elsewhere. */
static bool
dropped_when_sent(struct task *t, int sig)
{
	unsigned long mask;

	if (sig == SIGKILL || sig == SIGSTOP || sig == SIGCONT || !t || !t->ctx ||
	    ptrace_tracer_pid(t))
		return false;
	if (!task_sig_action_ignores(task_sig_handler(t, sig), sig))
		return false;
	/* In rt_sigtimedwait the stub blocks what the call takes; Linux asks the caller's
	 * own mask (real_blocked), so an ignored signal it waits for but had not blocked is
	 * dropped and the wait goes on. */
	if (t->wait_sigmask && t->wait_takes)
		return !(t->wait_oldmask & SIG_BIT(sig));
	if (!plat_is_stopped(t->ctx) || plat_in_notif(t->ctx) || plat_get_sigmask(t->ctx, &mask))
		return false;
	return !(mask & SIG_BIT(sig));
}

int
task_send_signal(struct task *t, int sig, const siginfo_t *info, bool process)
{
	int err;
	siginfo_t local;

	if (dropped_when_sent(process ? t->leader : t, sig))
		return 0;
	if (sig == SIGKILL && ptrace_kill_stop(process ? t->leader : t))
		return 0;
	if (sig == SIGKILL && t->leader)
		t->leader->sig_killed = true;
	/* the sender's or child's pid of a siginfo the sandbox made, as the receiver's pid
	 * namespace sees it (0 from outside it); a guest's own (SI_QUEUE...) stays */
	if (info && info->si_pid > 0 && task_pid_ns(t) != task_pid_ns(NULL) &&
	    (info->si_code == SI_USER || info->si_code == SI_TKILL ||
	     (info->si_signo == SIGCHLD && info->si_code > 0))) {
		local = *info;
		local.si_pid = task_vnr(t, info->si_pid);
		info = &local;
	}

	if (process) {
		err = send_process(t, sig, info);
	} else {
		if (!t->ctx)
			return -ESRCH;
		err = plat_send_signal(t->ctx, sig, info);
		/* first: a woken call that blocks again would keep a deliverable signal waiting */
		if (!err) {
			t->sig_sent = true;
			task_interrupt_for(t, sig);
		}
	}
	if (err)
		return err;
	waitq_wake(&sent_wq);
	return 0;
}

int
task_signal(struct task *t, int sig)
{
	siginfo_t si;

	sig_info_kernel(&si, sig);
	return task_send_signal(t, sig, &si, false);
}

int
task_signal_self(struct task *t, int sig)
{
	siginfo_t si;

	sig_info_from(&si, sig, SI_USER, t);
	return task_send_signal(t, sig, &si, false);
}

/* ---- taking signals from the stub's queue (rt_sigtimedwait, signalfd) ---- */

/* Where the injected calls below keep their arguments and results in the stub. */
#define SCRATCH_SET (PLAT_STUB_SCRATCH + 1024)
#define SCRATCH_TS (SCRATCH_SET + 8)
#define SCRATCH_INFO (SCRATCH_SET + 64)

int
sig_dequeue(struct task *t, unsigned long set, siginfo_t *si)
{
	struct timespec zero = { 0, 0 };

	if (!t->ctx)
		return -ESRCH;
	set &= ~(SIG_BIT(SIGKILL) | SIG_BIT(SIGSTOP));
	if (!set)
		return 0;
	if (copy_to_guest(t, SCRATCH_SET, &set, sizeof(set)) ||
	    copy_to_guest(t, SCRATCH_TS, &zero, sizeof(zero)))
		return -EFAULT;
	long r = plat_inject(t->ctx, __NR_rt_sigtimedwait, SCRATCH_SET, SCRATCH_INFO, SCRATCH_TS,
			     8, 0, 0);
	if (r == -EAGAIN || r == -EINTR)
		return 0;
	if (r < 0)
		return (int)r;
	if (copy_from_guest(t, si, SCRATCH_INFO, sizeof(*si)))
		return -EFAULT;
	plat_siginfo_guest(si);
	timers_dequeued(t, si);
	return (int)r;
}

int
sig_pending(struct task *t, unsigned long *set)
{
	if (!t->ctx)
		return -ESRCH;
	long r = plat_inject(t->ctx, __NR_rt_sigpending, SCRATCH_SET, 8, 0, 0, 0, 0);
	if (r < 0)
		return (int)r;
	return copy_from_guest(t, set, SCRATCH_SET, sizeof(*set));
}

void
sig_wait_for_signals(struct task *t)
{
	task_wait_on(t, &sent_wq);
	/* signals the stub's kernel raises itself (CPU-clock timers) wake nobody: look again */
	if (t->leader->native_timers) {
		long long again = monotonic_ns() + 20000000LL;
		if (!t->wait_poll_at || again < t->wait_poll_at)
			t->wait_poll_at = again;
	}
}
