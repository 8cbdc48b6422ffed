/*
 * The syscall table: one row per x86-64 syscall number, with a handler and a disposition.
 * Handlers return a result >= 0 or -errno; the dispatcher alone writes the guest's rax.
 */
#pragma once
#include <stdbool.h>
#include <stddef.h>

struct task;

struct sysargs {
	long nr;
	unsigned long a[6];
	unsigned long rip;
};

enum sys_disposition {
	SYS_UNSUPPORTED = 0,  /* no row: ENOSYS and an audit record */
	SYS_PASSTHROUGH,      /* the stub filter lets it run natively (with argument checks) */
	SYS_EMULATED,         /* the sentry implements it */
	SYS_PARTIAL,          /* emulated with documented gaps (.note) */
	SYS_DENY,             /* refused with .err and an audit record */
};

typedef long (*sys_handler)(struct task *t, const struct sysargs *a);

struct sysent {
	const char *name;
	sys_handler handler;
	enum sys_disposition disp;
	const char *fmt;      /* argument formats for --trace: "fd,path,oflags,mode" */
	int err;              /* errno for SYS_DENY */
	const char *note;
};

#define SYS_MAX 470
extern const struct sysent sys_table[SYS_MAX];
const struct sysent *sys_lookup(long nr);
/* The --trace line for a call and its result into line (at least 256 bytes): NUL-terminated,
 * ends with a newline, bounded by size. Returns its length. */
int sys_trace_format(struct task *t, const struct sysargs *a, const struct sysent *e, long r,
		     char *line, size_t size);
/* A refused call: audit_denied with its arguments decoded as --trace shows them. */
void audit_call(struct task *t, const struct sysargs *a, const char *name, int err,
		const char *why);
/* --trace: the line of a call the guest's seccomp filter kept from running (result r). */
void sys_trace_filtered(struct task *t, const struct sysargs *a, long r);
/* --stats: the syscalls that cost the sentry most time, to stderr. */
void sys_print_stats(void);
/* t calls exit (group false) or exit_group: the robust lists of the threads going (its
 * own, or its process's) are walked while t's stub can still write (sys_futex.c). */
void futex_exit(struct task *t, bool group);
/* plat_exit_hook: a thread at its exit stop, killed by a signal maybe (sys_futex.c). */
struct plat_ctx;
void futex_exit_stop(struct plat_ctx *ctx);
/* A thread is gone: PI futexes it owned that others wait for go to them (sys_futex.c). */
void futex_task_gone(struct task *dead);

/* Internal results, never seen by the guest (outside the -4095..-1 errno range). */
#define SYSRET_NATIVE (-100001L)  /* let the host kernel run the call in the stub as is */
#define SYSRET_BLOCK  (-100002L)  /* task waits (sentry.h: task_wait_*); the call re-runs */
#define SYSRET_EXITED (-100003L)  /* the task is gone (exit, exit_group, execve failure kill) */
#define SYSRET_DONE   (-100004L)  /* handler already set registers (execve); just resume */
#define SYSRET_RESTART (-100005L) /* end with ERESTARTSYS: the handler sent the caller a
				   * signal (job control); the host restarts the call after it */

/* A handler (or a helper of one) gives one of the codes above as sysret(SYSRET_...): the
 * dispatcher takes a result in SYSRET_RESTART..SYSRET_NATIVE for a code only if sysret made
 * that code during the call. Any other such result is a plain value the guest chose (an
 * offset of /proc/PID/mem, an F_GETOWN process group, a timer slack), which goes to its rax
 * as Linux gives it; comparisons with the codes use the bare constants. */
long sysret(long code);

/* A plain result v (the dispatcher's, for one that no sysret made): one that would read as
 * a SYSRET_ code is written to the guest's rax here and SYSRET_DONE returned. */
long sys_value(struct task *t, long v);

/* Runs the handler for one trapped syscall and returns the result to write (or SYSRET_*). */
long sys_dispatch(struct task *t, const struct sysargs *a);
struct ld_result;
/* The signal part of an exec of t's image res (handlers to SIG_DFL, ignored ones stay
 * ignored in the new stub, sigmask if not 0), done with the stub's break in one stop. */
void exec_signals_brk(struct task *t, unsigned long sigmask, const struct ld_result *res);
/* A new process's stub (fork, execve, `sandbox exec`): the guest's affinity, and its
 * RLIMIT_CPU where it is not the host's (syscalls/sys_proc.c). */
void task_apply_cpus(struct task *t);
/* PR_SET_SPECULATION_CTRL's settings, made again in t's new stub after execve */
void spec_ctrl_exec(struct task *t);
void task_apply_rlimits_new_stub(struct task *t);

/* Helpers for handlers. */
struct file;
/* Borrowed file for a guest fd, or NULL. */
struct file *sys_fd(struct task *t, long fd);
/* Resolves a dirfd argument: AT_FDCWD gives *out = NULL; 0 or -EBADF/-ENOTDIR. */
int sys_dirfd(struct task *t, long dirfd, struct file **out);
