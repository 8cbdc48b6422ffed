/*
 * ptrace(2) for guest tracers over guest tracees (sentry/ptrace.c). The sentry is the host
 * tracer of every stub thread, so a guest-level stop is a sentry state: the tracee's stub
 * stays stopped on the host while the sentry holds it, and the tracer learns of the stop
 * through wait4/waitid with the statuses Linux gives.
 */
#pragma once
#include <signal.h>
#include <sys/user.h>

#include "sentry/sentry.h"

enum pt_stop {
	PT_RUNNING,          /* not in a ptrace stop */
	PT_SIGNAL,           /* signal-delivery-stop */
	PT_GROUP,            /* group-stop (a stop signal was delivered) */
	PT_EVENT,            /* PTRACE_EVENT_* stop inside a call (fork, exec...) */
	PT_SYSCALL_EXIT,     /* syscall-exit-stop of an execve (made by the sentry) */
	PT_EVENT_OUT,        /* PTRACE_EVENT_* stop outside a call (a new child's first stop) */
	PT_HOST_SYSCALL,     /* syscall-entry or -exit stop at the host's own (host_entry) */
	PT_EXIT_SIGNAL,      /* PTRACE_EVENT_EXIT before a fatal signal's default action */
	PT_EXEC_EXIT,        /* the leader's PTRACE_EVENT_EXIT of another thread's execve */
	PT_SECCOMP,          /* PTRACE_EVENT_SECCOMP: a filter's SECCOMP_RET_TRACE, before the call */
};

struct ptrace_state {
	struct task *tracer;       /* the tracing thread */
	unsigned long options;     /* PTRACE_O_* */
	bool seized;               /* PTRACE_SEIZE (else ATTACH / TRACEME) */
	enum pt_stop stop;
	int code;                  /* what wait reports: status = code << 8 | 0x7f */
	bool report;               /* the stop is not yet reported to the tracer's wait */
	bool resumed;              /* the tracer let it go on: the loop does it (ptrace_run) */
	int resume_sig;            /* signal-delivery / group stop: what the tracer resumed with */
	bool syscall_trace;        /* resumed with PTRACE_SYSCALL: syscall stops */
	bool detached;             /* resumed by PTRACE_DETACH: the link is gone after the run */
	siginfo_t si;              /* signal-delivery-stop: the signal's siginfo */
	unsigned long msg;         /* PTRACE_GETEVENTMSG */
	struct user_regs_struct regs; /* at the stop, as the tracer reads and writes them */
	bool regs_dirty;           /* the tracer changed regs: put back at the resume */
	long sysret;               /* in a call: the handler's result, not yet written */
	long call_nr;              /* + 1: the call the sentry runs (0: none); its exit stop
				    * shows it as orig_rax, which the stub no longer holds */
	unsigned long call_rip;    /* where that call returns: a signal stop there is at its
				    * return, which shows its number too */
	int event;                 /* PTRACE_EVENT_* due when the current call ends (0: none) */
	unsigned long event_msg;
	bool listening;            /* PTRACE_LISTEN: stays stopped, may report again */
	bool host_entry;           /* PT_HOST_SYSCALL: the entry stop (else the exit stop) */
	int entry_sig;             /* given at a syscall-entry stop: sent once the call ran, as
				    * Linux queues it there and delivers it after the call (sent
				    * first, it would end the call's notification unrun) */
	bool step;                 /* resumed with PTRACE_SINGLESTEP (or SYSEMU_SINGLESTEP) */
	bool sysemu;               /* resumed with PTRACE_SYSEMU(_SINGLESTEP): with syscall_trace,
				    * calls stop at their entry and are skipped (the host's own) */
	int fatal_sig;             /* PT_EXIT_SIGNAL: the signal that ends it at the resume */
	bool tf_forced;            /* the sentry set the trap flag for it (hidden from GETREGS) */
	bool regs_user_tf;         /* the tracer itself set the trap flag (SETREGS/POKEUSER) */
	bool interrupt;            /* PTRACE_INTERRUPT sent its SIGSTOP (PT_INTERRUPT_CODE) */
	int exec_tid;              /* PT_EXEC_EXIT: the tid of the thread that ran execve */
	unsigned long debugreg[8]; /* POKEUSER's DR0-3, DR6, DR7 (none armed: DR7 enables none) */
	bool trap_notify;          /* a seized tracee held in its group stop got SIGCONT: at
				    * the resume it traps once more (PTRACE_EVENT_STOP, SIGTRAP) */
	bool exit_stopped;         /* it made the PTRACE_EVENT_EXIT stop of its own exit (a
				    * leader whose threads live on: an execve of one of them
				    * makes no second one) */
	bool notify;               /* PT_SIGNAL made by ptrace_notify (a step into a handler):
				    * the signal given at its resume is dropped, as on Linux */
	bool seccomp_recheck;      /* after its PT_SECCOMP stop: the filters run again on the call
				    * (maybe changed), and SECCOMP_RET_TRACE now lets it run */
};

/* The siginfo code of the SIGSTOP that carries a PTRACE_INTERRUPT (none on Linux). */
#define PT_INTERRUPT_CODE 0x7e57

/* Hooks for the loop (sentry/loop.c). Each returns true when the task is now held in a
 * ptrace stop (the loop does nothing more with it until ptrace_run). */
bool ptrace_signal_stop(struct task *t, int sig, const siginfo_t *si);
/* The host's syscall-entry (entry true) or -exit stop of a task traced with PTRACE_SYSCALL. */
bool ptrace_host_syscall_stop(struct task *t, bool entry);
/* Sends the signal a tracer gave at a syscall-entry stop, once the call ran. */
void ptrace_entry_sig_flush(struct task *t);
/* A trapped call's handler returned r: an event stop (fork, exec...), or the exit stop of
 * an execve (its new stub has no host exit stop to give). */
bool ptrace_syscall_exit(struct task *t, long r);
/* The tracer resumed t (its runq entry): go on from the stop. */
void ptrace_run(struct task *t);
/* sig, about to be delivered to t with its default action, ends the process: with
 * PTRACE_O_TRACEEXIT the tracer sees PTRACE_EVENT_EXIT first. True: held. */
bool ptrace_fatal_signal(struct task *t, int sig);
/* A group stop of a traced thread is a ptrace stop for its tracer. */
bool ptrace_group_stop(struct task *t, int sig);

/* A seccomp filter of t returned SECCOMP_RET_TRACE (data: its SECCOMP_RET_DATA): with
 * PTRACE_O_TRACESECCOMP, a PTRACE_EVENT_SECCOMP stop before the call runs; at the resume
 * the call is skipped if the tracer set orig_rax to -1 (its rax the result), else the
 * filters run again on it (Linux __seccomp_filter's recheck_after_trace). True: held. */
bool ptrace_seccomp_stop(struct task *t, unsigned long data);

/* For the handlers: an event stop (PTRACE_EVENT_*) due when the current call of t ends, if
 * the tracer asked for it (option bit). Returns true when it will stop. */
bool ptrace_event(struct task *t, int event, unsigned long msg);
/* A new task made by t's fork/vfork/clone: attached to t's tracer if its options say so (or
 * CLONE_PTRACE), starting in a PTRACE_EVENT_STOP / SIGSTOP stop. Returns true when it is
 * held (the caller then does not resume it). */
bool ptrace_new_child(struct task *t, struct task *c, unsigned long clone_flags, int exit_signal);
/* After an execve of t succeeded (its new image set up). */
void ptrace_exec(struct task *t, int old_tid);
/* execve by thread old_tid made the leader t the new image's, now in t->ctx, not yet
 * resumed: as on Linux the traced leader first stops in PTRACE_EVENT_EXIT (de_thread's
 * status 0) if it asked for it and had not exited already (leader_exited), then the
 * image reports its exec (PTRACE_EVENT_EXEC or SIGTRAP). False when nothing stops it:
 * the caller resumes the image. */
bool ptrace_exec_leader(struct task *t, int old_tid, bool leader_exited);
/* SIGKILL for t, a lone thread held in a ptrace stop whose tracer asked for
 * PTRACE_O_TRACEEXIT: as on Linux it leaves the stop for PTRACE_EVENT_EXIT (status
 * SIGKILL), and dies when the tracer lets it go. True when it stopped so. */
bool ptrace_kill_stop(struct task *t);
/* The thread that ran execve takes over its leader's tid: its own tid goes without an exit
 * for its tracer (Linux de_thread), before its task exits. */
void ptrace_exec_gone(struct task *t);
/* t's host thread is gone (task_exit): its tracer is told, its tracees detached. */
void ptrace_exit(struct task *t, int wait_status);

/* For wait4/waitid (syscalls/sys_fork.c): a ptrace stop or exit of a tracee of t's thread
 * group that matches. 0 with *pid (a stop's: sandbox-wide; an exit's: as t's pid namespace
 * numbered the tracee, which may be gone), *status (a wait status) and *uid; -EAGAIN when
 * tracees match but none has news; -ECHILD when none match. */
int ptrace_wait(struct task *t, int idtype, long id, int options, int *pid, int *status,
		uid_t *uid);
/* A zombie whose exit its tracer has yet to collect: its parent cannot reap it yet. */
bool ptrace_hides_zombie(struct task *c);
/* The pid of t's tracer (/proc status TracerPid), 0 if none. */
int ptrace_tracer_pid(struct task *t);
/* A listening tracee (PTRACE_LISTEN) stops for its tracer again (PTRACE_EVENT_STOP). */
void ptrace_retrap(struct task *t, bool continued);
/* SIGCONT for a thread held in a group stop by its tracer: it stays held (a listening one
 * reports PTRACE_EVENT_STOP again). True when t is such a thread. */
bool ptrace_continued(struct task *t);
/* Is t held in a ptrace stop ('t' in /proc)? */
bool ptrace_stopped(struct task *t);
/* The tracer's new registers for the stop (checked as Linux putreg does): 0 / -EIO. */
int ptrace_set_regs(struct task *t, const struct user_regs_struct *r);

/* The loop's side (sentry/loop.c): deliver sig (with info si) to t stopped for it, as the
 * loop does for an untraced task; run t's trapped call (its registers as they are now);
 * end t's call with result r (a value or SYSRET_*). */
void evl_deliver_signal(struct task *t, int sig, const siginfo_t *si);
void evl_dispatch(struct task *t);
void evl_finish_syscall(struct task *t, long r);
