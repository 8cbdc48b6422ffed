/*
 * Guest ptrace: stops, their reports to the tracer's wait, and going on from them
 * (Linux kernel/ptrace.c and kernel/signal.c are the specification). The requests
 * themselves are syscalls/sys_ptrace.c.
 *
 * A traced task that must stop is simply not resumed: its stub stays in the host stop the
 * sentry saw (a signal-delivery stop, or the trap of a call), turned into a real ptrace
 * stop so that its registers can be read. The tracer's wait reports the stop; a resume
 * request records what to do and queues the task, and the loop goes on with it
 * (ptrace_run): delivers the signal, runs the call, writes its result.
 */
#include <linux/ptrace.h>
#include <linux/sched.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <utlist.h>

#include "platform/platform.h"
#include "sentry/ns.h"
#include "sentry/ptrace.h"
#include "syscalls/syscalls.h"

#define X86_TF 0x100UL

/* What a tracer collects of a tracee that exited (one that is not its child's zombie). */
struct pt_exit {
	int tracer_tgid;
	int tid;
	int vtid;                  /* tid as the tracer's pid namespace numbers it */
	int status;
	uid_t uid;
	bool leader;               /* a process's zombie waits for this report */
	struct pt_exit *next;
};
static struct pt_exit *exits;

/* The tracer is done with exit record e (it waited for it, or went): a leader's zombie it
 * held back is now its parent's to reap. */
static void
drop_exit(struct pt_exit *e)
{
	LL_DELETE(exits, e);
	struct task *z = e->leader ? task_lookup(e->tid) : NULL;
	free(e);
	if (z && z->state == TASK_ZOMBIE && z->ppid)
		task_notify_parent_exit(z);
}

int
ptrace_tracer_pid(struct task *t)
{
	return t->pt && t->pt->tracer ? t->pt->tracer->tgid : 0;
}

bool
ptrace_stopped(struct task *t)
{
	return t->pt && t->pt->stop != PT_RUNNING && !t->pt->resumed;
}

/* Linux do_notify_parent_cldstop(tsk, true, CLD_TRAPPED): the tracer's wait may report. */
static void
notify_tracer(struct task *t)
{
	struct task *tr = t->pt->tracer;
	siginfo_t si;

	if (!tr || tr->state == TASK_ZOMBIE || !tr->leader)
		return;
	waitq_wake(&tr->leader->child_wq);
	if (tr->leader->sig_flags[SIGCHLD - 1] & SA_NOCLDSTOP)
		return;
	sig_info_child(&si, SIGCHLD, t->leader, CLD_TRAPPED, t->pt->code & 0x7f);
	si.si_pid = t->tid;
	si.si_uid = userns_uid_out(tr, si.si_uid);
	sig_fixup_uid(&si, t, tr);
	task_send_signal(tr, SIGCHLD, &si, true);
}

/* t stops (kind) with what wait will report as code: registers are taken as they are. */
static void
enter_stop(struct task *t, enum pt_stop kind, int code)
{
	struct ptrace_state *pt = t->pt;

	pt->stop = kind;
	pt->code = code;
	pt->report = true;
	pt->resumed = false;
	pt->regs_dirty = false;
	pt->listening = false;
	pt->resume_sig = 0;
	pt->notify = false;
	memset(&pt->regs, 0, sizeof(pt->regs));
	if (t->ctx && plat_get_regs(t->ctx, &pt->regs) < 0)
		memset(&pt->regs, 0, sizeof(pt->regs));
	if (pt->tf_forced)
		pt->regs.eflags &= ~X86_TF; /* Linux get_flags: the tracer's own TF only */
	pt->regs_user_tf = false;
	notify_tracer(t);
}

/* A call the sentry ran left orig_rax -1 in the stub (nothing for the host to run or
 * restart); its stops show its number, as Linux's do. */
static void
call_orig_rax(struct ptrace_state *pt)
{
	if ((long)pt->regs.orig_rax == -1 && pt->call_nr)
		pt->regs.orig_rax = pt->call_nr - 1;
}

/* The registers of a call's stops: its number, and -ENOSYS until it has a result. An
 * execve that succeeded runs in a new stub, whose orig_rax is not the call's. */
static void
syscall_regs(struct task *t, long rax)
{
	long nr = t->pt->call_nr - 1;

	t->pt->regs.orig_rax = plat_regs(t->ctx)->orig_rax;
	call_orig_rax(t->pt);
	if (t->pt->call_nr && (nr == __NR_execve || nr == __NR_execveat))
		t->pt->regs.orig_rax = nr;
	t->pt->regs.rax = rax;
}

bool
ptrace_signal_stop(struct task *t, int sig, const siginfo_t *si)
{
	struct ptrace_state *pt = t->pt;

	if (sig == SIGSTOP && si->si_code == PT_INTERRUPT_CODE) {
		/* PTRACE_INTERRUPT's carrier: a PTRACE_EVENT_STOP, the SIGSTOP itself is gone
		 * (one that comes after a detach, or a second one, is dropped) */
		if (!pt || !pt->tracer || !pt->interrupt) {
			plat_resume(t->ctx, 0);
			return true;
		}
		pt->interrupt = false;
		enter_stop(t, PT_EVENT_OUT, SIGTRAP | PTRACE_EVENT_STOP << 8);
		return true;
	}
	if (!pt || !pt->tracer || sig == SIGKILL)
		return false;
	pt->si = *si;
	pt->si.si_signo = sig;
	enter_stop(t, PT_SIGNAL, sig);
	/* delivered as a call the sentry ran returns (it raised the signal, or unblocked it):
	 * Linux's orig_rax still holds the call's number there */
	if (pt->regs.rip == pt->call_rip)
		call_orig_rax(pt);
	return true;
}

void
ptrace_retrap(struct task *t, bool continued)
{
	struct ptrace_state *pt = t->pt;

	if (continued)
		pt->code = SIGTRAP | PTRACE_EVENT_STOP << 8; /* no longer in a group stop */
	pt->listening = false;
	pt->interrupt = false;
	pt->report = true;
	notify_tracer(t);
}

/* Signals whose default action ends the process, and those of them that dump core. */
static bool
default_fatal(int sig)
{
	switch (sig) {
	case SIGCHLD: case SIGCONT: case SIGURG: case SIGWINCH:
	case SIGSTOP: case SIGTSTP: case SIGTTIN: case SIGTTOU:
		return false;
	default:
		return sig >= 1 && sig <= 64;
	}
}

static bool
default_core(int sig)
{
	return sig == SIGQUIT || sig == SIGILL || sig == SIGTRAP || sig == SIGABRT ||
	       sig == SIGBUS || sig == SIGFPE || sig == SIGSEGV || sig == SIGXCPU ||
	       sig == SIGXFSZ || sig == SIGSYS;
}

bool
ptrace_fatal_signal(struct task *t, int sig)
{
	struct ptrace_state *pt = t->pt;

	if (!pt || !pt->tracer || !(pt->options & PTRACE_O_TRACEEXIT) || !default_fatal(sig) ||
	    task_sig_handler(t, sig) != (unsigned long)SIG_DFL)
		return false;
	/* Linux do_exit's message: the exit code (the signal, 0x80 if it dumps core, which
	 * takes a core size limit above 0) */
	bool core = default_core(sig) && t->leader->rlim[RLIMIT_CORE].rlim_cur != 0;
	pt->msg = (unsigned long)sig | (core ? 0x80 : 0);
	pt->fatal_sig = sig;
	enter_stop(t, PT_EXIT_SIGNAL, SIGTRAP | PTRACE_EVENT_EXIT << 8);
	return true;
}

bool
ptrace_continued(struct task *t)
{
	struct ptrace_state *pt = t->pt;

	if (!pt || !pt->tracer || pt->stop != PT_GROUP)
		return false;
	/* its tracer resumed it and the loop has yet to (ptrace_run): that resumes it, after
	 * unlinking it if it was PTRACE_DETACH; resumed here first, the SIGCONT could stop it
	 * once more for the tracer (a signal-delivery stop, which wait then reported) */
	if (pt->resumed)
		return true;
	if (pt->listening)
		ptrace_retrap(t, true);
	else if (pt->seized)
		pt->trap_notify = true; /* Linux's JOBCTL_TRAP_NOTIFY, for the resume */
	return true;
}

bool
ptrace_group_stop(struct task *t, int sig)
{
	struct ptrace_state *pt = t->pt;

	if (!pt || !pt->tracer)
		return false;
	/* a seized tracee's group stop is PTRACE_EVENT_STOP; ATTACH's look like the signal */
	enter_stop(t, PT_GROUP, pt->seized ? (sig | PTRACE_EVENT_STOP << 8) : sig);
	return true;
}

void
ptrace_entry_sig_flush(struct task *t)
{
	if (t->pt && t->pt->entry_sig) {
		int sig = t->pt->entry_sig;
		t->pt->entry_sig = 0;
		task_signal(t, sig);
	}
}

bool
ptrace_host_syscall_stop(struct task *t, bool entry)
{
	struct ptrace_state *pt = t->pt;

	if (pt && pt->tracer && !pt->syscall_trace && pt->step) {
		/* a stepping tracee ran a call: Linux's syscall exit reports the step
		 * (user_single_step_report) at the next instruction, before it runs */
		if (entry)
			return false;
		siginfo_t si;
		memset(&si, 0, sizeof(si));
		si.si_signo = SIGTRAP;
		si.si_code = TRAP_BRKPT;
		si.si_addr = (void *)plat_regs(t->ctx)->rip;
		return ptrace_signal_stop(t, SIGTRAP, &si);
	}
	if (!pt || !pt->tracer || !pt->syscall_trace) {
		plat_trace_syscalls(t->ctx, false);
		return false;
	}
	pt->host_entry = entry;
	if (!entry)
		ptrace_entry_sig_flush(t); /* a call the host ran: before its exit stop */
	enter_stop(t, PT_HOST_SYSCALL,
		   SIGTRAP | ((pt->options & PTRACE_O_TRACESYSGOOD) ? 0x80 : 0));
	if (!entry)
		call_orig_rax(pt);
	pt->call_nr = 0; /* (an entry stop: a call the tracer may skip, which the sentry never runs) */
	pt->msg = entry ? 1 : 2; /* PTRACE_EVENTMSG_SYSCALL_ENTRY / _EXIT */
	return true;
}

bool
ptrace_seccomp_stop(struct task *t, unsigned long data)
{
	struct ptrace_state *pt = t->pt;

	if (!pt || !pt->tracer || !(pt->options & PTRACE_O_TRACESECCOMP))
		return false;
	enter_stop(t, PT_SECCOMP, SIGTRAP | PTRACE_EVENT_SECCOMP << 8);
	syscall_regs(t, -ENOSYS);
	pt->msg = data;
	return true;
}

/* The tracer let t go on from its seccomp stop: the call (as the tracer left it) is
 * skipped with orig_rax -1, its result the tracer's rax; else it runs, past the filters
 * once more. */
static void
seccomp_resume(struct task *t)
{
	const struct user_regs_struct *r = plat_regs(t->ctx);

	if ((long)r->orig_rax == -1) {
		if (t->pt)
			t->pt->call_nr = 0; /* its exit stop shows orig_rax -1, as the tracer left it */
		evl_finish_syscall(t, sys_value(t, (long)r->rax));
		return;
	}
	if (t->pt)
		t->pt->seccomp_recheck = true;
	evl_dispatch(t);
	if (t->pt)
		t->pt->seccomp_recheck = false;
}

bool
ptrace_event(struct task *t, int event, unsigned long msg)
{
	struct ptrace_state *pt = t->pt;

	if (!pt || !pt->tracer || !(pt->options & (1UL << event)))
		return false;
	pt->event = event;
	pt->event_msg = msg;
	return true;
}

/* The exit stop of an execve that succeeded (r: SYSRET_DONE), made by the sentry: the new
 * image's stub never made the call, so the host has none to give. */
static bool
exit_stop(struct task *t, long r)
{
	struct ptrace_state *pt = t->pt;

	pt->sysret = r;
	enter_stop(t, PT_SYSCALL_EXIT,
		   SIGTRAP | ((pt->options & PTRACE_O_TRACESYSGOOD) ? 0x80 : 0));
	syscall_regs(t, 0);
	pt->msg = 2; /* PTRACE_EVENTMSG_SYSCALL_EXIT */
	return true;
}

bool
ptrace_syscall_exit(struct task *t, long r)
{
	struct ptrace_state *pt = t->pt;

	if (!pt || !pt->tracer || r == SYSRET_EXITED || !t->ctx)
		return false;
	/* a vfork's event comes before the parent waits for the child, as on Linux */
	if (r == SYSRET_BLOCK && pt->event != PTRACE_EVENT_VFORK)
		return false;
	if (pt->event) {
		int ev = pt->event;
		pt->event = 0;
		pt->msg = pt->event_msg;
		pt->sysret = r;
		enter_stop(t, PT_EVENT, SIGTRAP | ev << 8);
		syscall_regs(t, -ENOSYS);
		return true;
	}
	long nr = (long)plat_regs(t->ctx)->orig_rax;
	if (r == SYSRET_NATIVE && (nr == __NR_exit || nr == __NR_exit_group) &&
	    (pt->options & PTRACE_O_TRACEEXIT)) {
		/* PTRACE_EVENT_EXIT: before the exit, with the wait status to be as message */
		pt->msg = (plat_regs(t->ctx)->rdi & 0xff) << 8;
		pt->sysret = r;
		pt->exit_stopped = true;
		enter_stop(t, PT_EVENT, SIGTRAP | PTRACE_EVENT_EXIT << 8);
		syscall_regs(t, -ENOSYS);
		return true;
	}
	if (!pt->syscall_trace || r != SYSRET_DONE || t->result_set)
		return false;
	return exit_stop(t, r); /* execve: a new stub, which never made the call */
}

/* Linux putreg: segment selectors must be user ones (and 64-bit code: the stub filter
 * kills compat calls anyway), eflags changes only the flags a user may change, bases stay
 * below the top of user space. 0 / -EIO. */
static int
check_regs(const struct user_regs_struct *r)
{
	if (r->cs != 0x33 || r->ss != 0x2b)
		return -EIO;
	unsigned long long sel[] = { r->ds, r->es, r->fs, r->gs };
	for (size_t i = 0; i < ARRAY_SIZE(sel); i++)
		if (sel[i] > 0xffff || (sel[i] && (sel[i] & 3) != 3))
			return -EIO;
	if (r->fs_base >= 0x7ffffffff000ULL || r->gs_base >= 0x7ffffffff000ULL)
		return -EIO;
	return 0;
}

/* User-changeable eflags: CF PF AF ZF SF TF DF OF RF AC (Linux FLAG_MASK). */
#define PT_FLAG_MASK 0x50dd5UL

int
ptrace_set_regs(struct task *t, const struct user_regs_struct *r)
{
	struct user_regs_struct n = *r;
	int err = check_regs(&n);

	if (err)
		return err;
	n.eflags = (t->pt->regs.eflags & ~PT_FLAG_MASK) | (n.eflags & PT_FLAG_MASK);
	t->pt->regs_user_tf = (n.eflags & X86_TF) != 0;
	t->pt->regs = n;
	t->pt->regs_dirty = true;
	return 0;
}

/* The tracer's registers go back to the stub (only the ones it may change). */
static void
put_regs(struct task *t, struct ptrace_state *pt)
{
	if (!pt->regs_dirty || !t->ctx)
		return;
	pt->regs_dirty = false;
	plat_set_regs(t->ctx, &pt->regs);
}

/* PTRACE_SINGLESTEP: the trap flag, set in the stub for one instruction (the host's #DB
 * then gives the SIGTRAP whose signal-delivery stop the tracer sees), cleared again at a
 * resume that does not step, unless the tracer set it itself. */
static void
apply_step(struct task *t, struct ptrace_state *pt, bool step)
{
	struct user_regs_struct r;

	if (!t->ctx || (!step && !pt->tf_forced))
		return;
	if (plat_get_regs(t->ctx, &r) < 0)
		return;
	bool user_tf = pt->regs_user_tf;
	if (step && !(r.eflags & X86_TF)) {
		r.eflags |= X86_TF;
		pt->tf_forced = true;
	} else if (!step && !user_tf) {
		r.eflags &= ~X86_TF;
		pt->tf_forced = false;
	} else {
		return;
	}
	plat_set_regs(t->ctx, &r);
}

/* The link is gone: t runs on as an untraced task. A wait of its former tracer that
 * blocked meanwhile (PTRACE_DETACH returned before the loop got here) looks again: a
 * tracee that was not its child counts no more (ECHILD, as right after Linux's detach). */
static void
unlink_tracee(struct task *t)
{
	struct task *tr = t->pt ? t->pt->tracer : NULL;

	if (t->ctx)
		plat_trace_syscalls(t->ctx, false);
	free(t->pt);
	t->pt = NULL;
	/* (the tracer may be gone by now: only a live task is looked at; a spurious wake
	 * just makes a wait look again) */
	for (struct task *p = tr ? task_next(NULL) : NULL; p; p = task_next(p)) {
		if (p == tr) {
			if (p->state != TASK_ZOMBIE && p->leader)
				waitq_wake(&p->leader->child_wq);
			break;
		}
	}
}

static bool exec_report(struct task *t, int old_tid);

/* A signal given with PTRACE_SINGLESTEP at a signal-delivery stop that a handler will
 * catch: the step is the host's own PTRACE_SINGLESTEP with the signal (the trap flag the
 * sentry sets by hand would be saved in the handler's frame and trap again after its
 * sigreturn). */
static bool
steps_into_handler(struct task *t, const struct ptrace_state *st)
{
	int sig = st->resume_sig;

	return st->stop == PT_SIGNAL && st->step && !st->detached && sig && !st->notify &&
	       task_sig_handler(t, sig) > (unsigned long)SIG_IGN && !t->mask_after_handler &&
	       !task_init_drops(t, sig);
}

/* Linux signal_setup_done: with the handler's frame built, a stepping tracee stops at
 * once at the handler's first instruction (ptrace_notify(SIGTRAP): si_code SIGTRAP, its
 * own pid; a signal the tracer gives there is dropped). A blocked signal stays pending
 * and the one instruction runs: that step's own trap is reported. */
static void
step_into_handler(struct task *t, int sig)
{
	struct user_regs_struct r;
	siginfo_t si;

	if (plat_step_signal(t->ctx, sig, &r) < 0)
		return; /* the process is gone: its exit event follows */
	if (r.rip == task_sig_handler(t, sig)) {
		memset(&si, 0, sizeof(si));
		si.si_signo = SIGTRAP;
		si.si_code = SIGTRAP;
		si.si_pid = task_vnr(t, t->tid);
		si.si_uid = userns_uid_out(t, t->uid);
		ptrace_signal_stop(t, SIGTRAP, &si);
		t->pt->notify = true;
		return;
	}
	memset(&si, 0, sizeof(si));
	if (plat_signal_info(t->ctx, &si) == 0 && si.si_signo == SIGTRAP) {
		ptrace_signal_stop(t, SIGTRAP, &si);
		return;
	}
	/* another signal stopped it first (held for the resume): it goes on stepping */
	apply_step(t, t->pt, true);
	plat_resume(t->ctx, 0);
}

/* Going on from a signal-delivery stop with sig (0: the signal is suppressed). */
static void
run_signal(struct task *t, struct ptrace_state *pt, int sig)
{
	put_regs(t, pt);
	if (!sig || pt->notify) {
		plat_resume(t->ctx, 0);
		return;
	}
	siginfo_t si = pt->si;
	if (sig != si.si_signo) {
		/* Linux ptrace_signal: a changed signal comes from the tracer (SI_USER) */
		memset(&si, 0, sizeof(si));
		si.si_signo = sig;
		si.si_code = SI_USER;
		si.si_pid = pt->tracer ? pt->tracer->tgid : 0;
		si.si_uid = pt->tracer ? userns_uid_out(t, pt->tracer->uid) : 0;
	}
	plat_set_signal_info(t->ctx, &si);
	if (steps_into_handler(t, pt)) {
		step_into_handler(t, sig);
		return;
	}
	if (sig == SIGSTOP || sig == SIGTSTP || sig == SIGTTIN || sig == SIGTTOU)
		t->leader->stop_pending = true; /* the tracer's own choice: it stops */
	evl_deliver_signal(t, sig, &si);
}

void
ptrace_run(struct task *t)
{
	struct ptrace_state *pt = t->pt;

	if (!pt || !pt->resumed || !t->ctx)
		return;
	pt->resumed = false;
	/* what the stop was and what the tracer said (the link may end here: PTRACE_DETACH) */
	struct ptrace_state st = *pt;
	bool dirty = st.regs_dirty;
	long r = st.sysret;
	pt->stop = PT_RUNNING;
	pt->report = false;
	pt->regs_dirty = false;
	/* An exit that the host has yet to run (PTRACE_EVENT_EXIT of exit/exit_group) goes on
	 * whatever the tracer wrote: the sentry runs it from the call's own registers, never
	 * a call the tracer put there (it would run as the sentry's, past the stub filter). */
	bool native_pending = st.stop == PT_EVENT && r == SYSRET_NATIVE;
	if (!native_pending) {
		put_regs(t, &st);
		apply_step(t, pt, st.step && !st.detached && !steps_into_handler(t, &st));
	}
	if (pt->detached)
		unlink_tracee(t);
	/* (a step over a syscall instruction stops at its exit: the host's exit stop) */
	plat_trace_syscalls(t->ctx, t->pt && (t->pt->syscall_trace || t->pt->step));
	plat_trace_sysemu(t->ctx, t->pt && t->pt->sysemu);
	/* Linux ptrace_report_syscall: a signal given at a syscall stop is sent; at an entry
	 * stop, once the call ran (ptrace_entry_sig_flush), when more syscall stops come to
	 * send it at the exit's; a private futex (which the host runs and which may sleep)
	 * gets it at once, as Linux's would be interrupted by it */
	if (st.resume_sig && (st.stop == PT_SYSCALL_EXIT || st.stop == PT_HOST_SYSCALL)) {
		if (st.stop == PT_HOST_SYSCALL && st.host_entry && t->pt && t->pt->syscall_trace &&
		    (long)st.regs.orig_rax != __NR_futex)
			t->pt->entry_sig = st.resume_sig;
		else
			task_signal(t, st.resume_sig);
	}
	switch (st.stop) {
	case PT_SIGNAL:
		run_signal(t, &st, st.resume_sig);
		break;
	case PT_HOST_SYSCALL:
		plat_resume(t->ctx, 0);
		break;
	case PT_EXIT_SIGNAL:
		if (st.fatal_sig == SIGKILL) /* (from any stop: one made no signal-delivery stop) */
			plat_kill(t->ctx);
		else
			plat_resume(t->ctx, st.fatal_sig); /* (what the tracer said does not matter) */
		break;
	case PT_EXEC_EXIT:
		/* the leader is gone: the image goes on (what the tracer said does not matter) */
		if (!exec_report(t, st.exec_tid))
			plat_resume(t->ctx, 0);
		break;
	case PT_GROUP:
	case PT_EVENT_OUT:
		/* the group stop ended (SIGCONT) while it was held: it traps again first, as
		 * Linux's do_jobctl_trap, with SIGTRAP now that no group stop is in effect */
		if (st.trap_notify && !st.detached && t->pt) {
			t->pt->trap_notify = false;
			t->stopped = false;
			enter_stop(t, PT_EVENT_OUT, SIGTRAP | PTRACE_EVENT_STOP << 8);
			break;
		}
		if (t->pt)
			t->pt->trap_notify = false;
		/* detached while its process is still stopped: it stays in the group stop
		 * (Linux __ptrace_unlink), until a SIGCONT */
		if (st.detached && st.stop == PT_GROUP && t->leader->group_stopped) {
			t->stopped = true;
			break;
		}
		t->stopped = false;
		plat_resume(t->ctx, 0); /* (the signal is ignored here, as on Linux) */
		break;
	case PT_EVENT:
		if (r == SYSRET_DONE && !t->result_set && t->pt && t->pt->syscall_trace &&
		    exit_stop(t, r))
			break;
		if (r == SYSRET_BLOCK) {
			/* the vfork parent: its call runs again, and waits if the child has
			 * not let it go yet (a wake during the stop found it held) */
			task_set_state(t, TASK_BLOCKED);
			t->wait_rerun = true;
			task_wake(t);
			break;
		}
		evl_finish_syscall(t, r);
		break;
	case PT_SECCOMP:
		seccomp_resume(t);
		break;
	case PT_SYSCALL_EXIT:
		if (dirty && (r > -100000L || r < -100006L))
			r = (long)st.regs.rax; /* a plain result: the tracer's rax */
		evl_finish_syscall(t, r);
		break;
	case PT_RUNNING:
	default:
		break;
	}
}

bool
ptrace_new_child(struct task *t, struct task *c, unsigned long clone_flags, int exit_signal)
{
	struct ptrace_state *pt = t->pt;
	int event;

	if (!pt || !pt->tracer || (clone_flags & CLONE_UNTRACED))
		return false;
	/* Linux kernel_clone: which event a new task is */
	if (clone_flags & CLONE_VFORK)
		event = PTRACE_EVENT_VFORK;
	else if (exit_signal != SIGCHLD)
		event = PTRACE_EVENT_CLONE;
	else
		event = PTRACE_EVENT_FORK;
	if (!(pt->options & (1UL << event)) && !(clone_flags & CLONE_PTRACE))
		return false;
	c->pt = xcalloc(1, sizeof(*c->pt));
	c->pt->tracer = pt->tracer;
	c->pt->options = pt->options;
	c->pt->seized = pt->seized;
	ptrace_event(t, event, task_vnr(pt->tracer, c->tid)); /* (the tracer's numbering) */
	/* the child starts in a stop: PTRACE_EVENT_STOP if seized, else with a SIGSTOP */
	if (pt->seized) {
		enter_stop(c, PT_EVENT_OUT, SIGTRAP | PTRACE_EVENT_STOP << 8);
		return true;
	}
	siginfo_t si;
	sig_info_kernel(&si, SIGSTOP);
	task_send_signal(c, SIGSTOP, &si, false);
	return false;
}

void
ptrace_exec(struct task *t, int old_tid)
{
	struct ptrace_state *pt = t->pt;

	if (!pt || !pt->tracer)
		return;
	if (ptrace_event(t, PTRACE_EVENT_EXEC, old_tid))
		return;
	if (!pt->seized)
		task_signal_self(t, SIGTRAP); /* Linux: send_sig(SIGTRAP, current, 0) */
}

/* The image's exec report: the event stop (or a PTRACE_SYSCALL exit stop), or SIGTRAP
 * queued for it. True when it stopped. */
static bool
exec_report(struct task *t, int old_tid)
{
	if (!t->pt || !t->pt->tracer)
		return false;
	ptrace_exec(t, old_tid);
	return ptrace_syscall_exit(t, SYSRET_DONE);
}

bool
ptrace_exec_leader(struct task *t, int old_tid, bool leader_exited)
{
	struct ptrace_state *pt = t->pt;

	if (!pt || !pt->tracer)
		return false;
	/* a leader that had exited itself made its PTRACE_EVENT_EXIT stop then: de_thread
	 * only releases its zombie */
	bool exited = leader_exited || pt->exit_stopped;
	pt->exit_stopped = false; /* (the new image's leader is alive) */
	if (!(pt->options & PTRACE_O_TRACEEXIT) || exited)
		return exec_report(t, old_tid);
	pt->msg = 0;
	pt->exec_tid = old_tid;
	enter_stop(t, PT_EXEC_EXIT, SIGTRAP | PTRACE_EVENT_EXIT << 8);
	return true;
}

bool
ptrace_kill_stop(struct task *t)
{
	struct ptrace_state *pt = t->pt;

	if (!ptrace_stopped(t) || !pt->tracer || !(pt->options & PTRACE_O_TRACEEXIT) ||
	    !t->ctx || t->leader->live_threads != 1 || pt->stop == PT_EXIT_SIGNAL)
		return false;
	pt->msg = SIGKILL;
	pt->fatal_sig = SIGKILL;
	enter_stop(t, PT_EXIT_SIGNAL, SIGTRAP | PTRACE_EVENT_EXIT << 8);
	return true;
}

void
ptrace_exec_gone(struct task *t)
{
	if (t->pt)
		unlink_tracee(t);
}

/* The tracer thread tr is gone: its tracees go on untraced (killed with EXITKILL). */
static void
detach_all(struct task *tr)
{
	struct task *p, *tmp;

	HASH_ITER(hh, sentry.tasks, p, tmp) {
		if (!p->pt || p->pt->tracer != tr)
			continue;
		bool held = ptrace_stopped(p);
		if (p->pt->options & PTRACE_O_EXITKILL) {
			unlink_tracee(p);
			if (p->ctx)
				task_signal(p, SIGKILL);
			continue;
		}
		if (held && p->ctx) {
			/* as PTRACE_DETACH with no signal */
			p->pt->resumed = true;
			p->pt->detached = true;
			p->pt->resume_sig = 0;
			task_wake(p);
		} else if (p->pt->resumed) {
			p->pt->detached = true;
		} else {
			unlink_tracee(p);
		}
	}
	struct pt_exit *e, *etmp;
	LL_FOREACH_SAFE(exits, e, etmp)
		if (e->tracer_tgid == tr->tgid && tr->leader == tr)
			drop_exit(e);
}

void
ptrace_exit(struct task *t, int wait_status)
{
	struct ptrace_state *pt = t->pt;

	detach_all(t);
	if (!pt)
		return;
	struct task *tr = pt->tracer;
	unlink_tracee(t);
	if (!tr || tr->state == TASK_ZOMBIE)
		return;
	/* Its real parent's wait reports a child process to a tracer that is that parent. */
	if (t->leader == t && t->ppid == tr->tgid) {
		t->traced_exit = true; /* (which __WCLONE does not filter out) */
		return;
	}
	struct pt_exit *e = xcalloc(1, sizeof(*e));
	e->tracer_tgid = tr->tgid;
	e->tid = t->tid;
	e->vtid = task_vnr(tr, t->tid); /* (a thread's number goes with it, now) */
	e->status = wait_status;
	e->uid = t->uid;
	e->leader = t->leader == t;
	LL_APPEND(exits, e);
	waitq_wake(&tr->leader->child_wq);
	/* Linux do_notify_parent: a tracee's death is a SIGCHLD for its tracer */
	siginfo_t si;
	memset(&si, 0, sizeof(si));
	si.si_signo = SIGCHLD;
	si.si_pid = t->tid;
	si.si_uid = t->uid;
	if (WIFEXITED(wait_status)) {
		si.si_code = CLD_EXITED;
		si.si_status = WEXITSTATUS(wait_status);
	} else {
		si.si_code = WCOREDUMP(wait_status) ? CLD_DUMPED : CLD_KILLED;
		si.si_status = WTERMSIG(wait_status);
	}
	task_send_signal(tr, SIGCHLD, &si, true);
}

bool
ptrace_hides_zombie(struct task *c)
{
	struct pt_exit *e;

	LL_FOREACH(exits, e)
		if (e->leader && e->tid == c->tid)
			return true;
	return false;
}

static bool
id_matches(struct task *c, int idtype, long id)
{
	switch (idtype) {
	case P_PID: return c->tid == id;
	case P_PGID: return c->pgid == id;
	default: return true;
	}
}

int
ptrace_wait(struct task *t, int idtype, long id, int options, int *pid, int *status, uid_t *uid)
{
	struct task *c, *tmp;
	struct pt_exit *e, *etmp;
	bool any = false;

	HASH_ITER(hh, sentry.tasks, c, tmp) {
		if (!c->pt || !c->pt->tracer || c->pt->tracer->tgid != t->tgid)
			continue;
		if ((options & __WNOTHREAD) && c->pt->tracer != t)
			continue;
		if (idtype == P_PID && c->pt->stop == PT_EXEC_EXIT && c->pt->exec_tid == id &&
		    !c->pt->resumed) {
			any = true; /* the thread in execve, which waits for its leader's end */
			continue;
		}
		if (!id_matches(c, idtype, id))
			continue;
		any = true;
		if (!c->pt->report || !ptrace_stopped(c))
			continue;
		*pid = c->tid;
		*status = c->pt->code << 8 | 0x7f;
		*uid = c->uid;
		if (!(options & WNOWAIT))
			c->pt->report = false;
		return 0;
	}
	LL_FOREACH_SAFE(exits, e, etmp) {
		if (e->tracer_tgid != t->tgid)
			continue;
		if (idtype == P_PID && e->tid != id)
			continue;
		any = true;
		if (!(options & WEXITED))
			continue;
		*pid = e->vtid;
		*status = e->status;
		*uid = e->uid;
		if (options & WNOWAIT)
			return 0;
		drop_exit(e);
		return 0;
	}
	return any ? -EAGAIN : -ECHILD;
}
