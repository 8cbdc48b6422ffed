/*
 * Processes and threads: fork, vfork, clone, clone3, wait4, waitid.
 * The clone itself runs in the parent's stub (plat_clone); the sentry gives the child its
 * virtual ids, its share or copy of the fd table, fs context and mm bookkeeping.
 */
#include <linux/ptrace.h>
#include <linux/sched.h>
#include <sched.h>
#include <signal.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/wait.h>

#include "fs/vfs.h"
#include "platform/platform.h"
#include "sentry/ptrace.h"
#include "sentry/ns.h"
#include "syscalls/internal.h"

/* Flags the sentry implements; namespaces and the like are refused. */
#define CLONE_SUPPORTED                                                                     \
	(CSIGNAL | CLONE_VM | CLONE_FS | CLONE_FILES | CLONE_SIGHAND | CLONE_PTRACE |      \
	 CLONE_VFORK | CLONE_PARENT | CLONE_THREAD | CLONE_SYSVSEM | CLONE_SETTLS |        \
	 CLONE_PARENT_SETTID | CLONE_CHILD_CLEARTID | CLONE_DETACHED | CLONE_UNTRACED |    \
	 CLONE_CHILD_SETTID | CLONE_IO)
#define CLONE_NAMESPACES                                                                    \
	(CLONE_NEWNS | CLONE_NEWCGROUP | CLONE_NEWUTS | CLONE_NEWIPC | CLONE_NEWUSER |     \
	 CLONE_NEWPID | CLONE_NEWNET | CLONE_NEWTIME)

struct clone_req {
	unsigned long flags;
	unsigned long stack;
	unsigned long parent_tid;
	unsigned long child_tid;
	unsigned long tls;
	unsigned long pidfd;    /* CLONE_PIDFD: where the parent gets the pidfd (an int) */
	int exit_signal;
};

/* Linux's copy_process checks, in its order. */
static long
check_flags(struct task *t, const struct clone_req *r)
{
	unsigned long f = r->flags;

	if ((f & (CLONE_NEWNS | CLONE_FS)) == (CLONE_NEWNS | CLONE_FS))
		return -EINVAL;
	if ((f & CLONE_THREAD) && !(f & CLONE_SIGHAND))
		return -EINVAL;
	if ((f & CLONE_SIGHAND) && !(f & CLONE_VM))
		return -EINVAL;
	/* the init process has no parent in its namespace to give a child */
	if ((f & CLONE_PARENT) && pidns_is_init(t->leader))
		return -EINVAL;
	/* a thread shares its process's pid namespace (Linux copy_process) */
	if ((f & CLONE_THREAD) && ((f & CLONE_NEWPID) ||
				   ns_of(t, NS_PID) != (struct ns_common *)task_pid_ns(t)))
		return -EINVAL;
	if ((f & CLONE_PIDFD) && (f & CLONE_DETACHED))
		return -EINVAL;
	/* one word cannot take both the pidfd and the tid (clone's, or clone3's equal pointers) */
	if ((f & CLONE_PIDFD) && (f & CLONE_PARENT_SETTID) && r->pidfd == r->parent_tid)
		return -EINVAL;
	if ((f & (CLONE_NEWIPC | CLONE_SYSVSEM)) == (CLONE_NEWIPC | CLONE_SYSVSEM))
		return -EINVAL;
	if ((f & (CLONE_NEWUSER | CLONE_THREAD)) == (CLONE_NEWUSER | CLONE_THREAD) ||
	    (f & (CLONE_NEWUSER | CLONE_FS)) == (CLONE_NEWUSER | CLONE_FS))
		return -EINVAL;
	long nerr = ns_may_create(t, f);
	if (nerr)
		return nerr;
	if (f & ~(CLONE_SUPPORTED | CLONE_NAMESPACES | CLONE_PIDFD | CLONE_CLEAR_SIGHAND))
		return -EINVAL;
	if (r->exit_signal < 0 || r->exit_signal > 64)
		return -EINVAL;
	if (sentry.rlim[RLIMIT_NPROC].rlim_cur != RLIM_INFINITY &&
	    (rlim_t)task_count() >= sentry.rlim[RLIMIT_NPROC].rlim_cur && t->euid != 0)
		return -EAGAIN;
	if (task_count() >= sentry.max_tasks) {
		limit_refused(LIMIT_PIDS, "fork");
		return -EAGAIN;
	}
	if (cgroup_can_fork(t))
		return -EAGAIN; /* a pids.max of its cgroup or one above */
	if (t->sched_policy == 6 /* SCHED_DEADLINE */ && !t->sched_reset)
		return -EAGAIN; /* Linux sched_fork: a deadline task does not fork */
	return f & CLONE_FILES ? 0 : fdt_copy_room(t->fdt);
}

/* The child's sentry-side state: ids, credentials, and shared or copied tables (mm: the
 * copy of t's address space, or NULL to share it). */
static void
init_child(struct task *t, struct task *c, const struct clone_req *r, struct mm *mm)
{
	unsigned long f = r->flags;

	c->uid = t->uid, c->euid = t->euid, c->suid = t->suid;
	c->gid = t->gid, c->egid = t->egid, c->sgid = t->sgid;
	c->fsuid = t->fsuid, c->fsgid = t->fsgid;
	c->timer_slack = c->timer_slack_dfl = t->timer_slack ? t->timer_slack : 50000;
	c->mce_kill = t->mce_kill;
	c->io_flusher = t->io_flusher;
	memcpy(c->spec_ctrl, t->spec_ctrl, sizeof(c->spec_ctrl)); /* (the host's clone has them) */
	c->cap_eff = t->cap_eff, c->cap_prm = t->cap_prm, c->cap_inh = t->cap_inh;
	c->cap_bnd = t->cap_bnd, c->keepcaps = t->keepcaps;
	c->cap_amb = t->cap_amb, c->securebits = t->securebits;
	c->no_new_privs = t->no_new_privs;
	c->ngroups = t->ngroups;
	c->nice = t->nice;
	c->ioprio = t->ioprio;
	/* Linux copy_io: CLONE_IO shares the context (none if the parent has none); else a
	 * parent with one gives the child a new one with its priority */
	c->io_ctx = (f & CLONE_IO) ? t->io_ctx : t->io_ctx ? kcmp_new_ctx() : 0;
	/* copy_semundo: CLONE_SYSVSEM shares the undo list, made now if there is none */
	if ((f & CLONE_SYSVSEM) && !t->semundo_ctx)
		t->semundo_ctx = kcmp_new_ctx();
	c->semundo_ctx = (f & CLONE_SYSVSEM) ? t->semundo_ctx : 0;
	c->oom_score_adj = t->leader->oom_score_adj;
	c->oom_score_adj_min = t->leader->oom_score_adj_min;
	c->personality = t->personality;
	c->loginuid = t->loginuid; /* Linux copies both into every new task */
	c->sessionid = t->sessionid;
	c->parent_tid = t->tid;
	c->mpol_mode = t->mpol_mode;
	c->mpol_nodes = t->mpol_nodes;
	keys_fork(t, c, f & CLONE_THREAD);
	c->dumpable = t->leader->dumpable;
	c->coredump_filter = t->leader->coredump_filter;
	c->thp_disable = t->leader->thp_disable;
	c->sched_policy = t->sched_policy;
	c->sched_prio = t->sched_prio;
	if (t->sched_reset) { /* Linux sched_fork: real-time back to SCHED_NORMAL at nice 0, */
		if (c->sched_prio || c->sched_policy == 6 /* SCHED_DEADLINE */)
			/* else a negative nice to 0; the child's flag is clear */
			c->sched_policy = SCHED_OTHER, c->sched_prio = 0, c->nice = 0;
		else
			c->nice = MAX(c->nice, 0);
	}
	memcpy(c->rlim, t->leader->rlim, sizeof(c->rlim)); /* a new process's; threads use the leader's */
	memcpy(c->cpus, t->cpus, sizeof(c->cpus));
	c->cpus_set = t->cpus_set;
	c->groups = t->ngroups ? memcpy(xmalloc(t->ngroups * sizeof(gid_t)), t->groups, t->ngroups * sizeof(gid_t)) : NULL;
	c->pgid = t->pgid;
	c->sid = t->sid;
	memcpy(c->comm, t->comm, sizeof(c->comm));
	if (f & CLONE_THREAD) {
		c->tgid = t->tgid;
		c->leader = t->leader;
		c->leader->live_threads++;
		c->ppid = t->ppid;
		c->exit_signal = 0;
	} else {
		c->ppid = (f & CLONE_PARENT) ? t->leader->ppid : t->tgid;
		c->parent_tid = (f & CLONE_PARENT) ? t->leader->parent_tid : t->tid;
		c->exit_signal = r->exit_signal;
		c->tty = t->leader->tty; /* the controlling terminal is inherited */
		memcpy(c->sig_handlers, t->leader->sig_handlers, sizeof(c->sig_handlers));
		memcpy(c->sig_flags, t->leader->sig_flags, sizeof(c->sig_flags));
	}
	if (mm) {
		c->mm = mm;
	} else {
		c->mm = t->mm;
		c->mm->refs++;
	}
	if (f & CLONE_FILES) {
		c->fdt = t->fdt;
		c->fdt->refs++;
	} else {
		c->fdt = fdt_copy(t->fdt);
	}
	c->fs = (f & CLONE_FS) ? vfs_ctx_get(t->fs) : vfs_ctx_copy(t->fs);
	c->seccomp = seccomp_get(t->seccomp);
	c->landlock = landlock_get(t->landlock); /* the domain is inherited (Linux: the cred) */
	c->seccomp_mode = t->seccomp_mode;
	if (!(f & CLONE_THREAD)) {
		c->seccomp_stub = t->leader->seccomp_stub; /* the host clone keeps the stub's filters */
		c->clocks_traced = t->leader->clocks_traced; /* (and its vDSO page) */
		c->advice_traced = t->leader->advice_traced;
	}
}

/* The host clone: vfork's waiting and the tid writes are the sentry's, not the host's. */
static unsigned long
host_flags(const struct clone_req *r)
{
	unsigned long f = r->flags & (CLONE_VM | CLONE_SIGHAND | CLONE_THREAD | CLONE_SETTLS |
				      CLONE_CHILD_CLEARTID | CLONE_SYSVSEM);
	if (!(f & CLONE_THREAD))
		f |= CLONE_PARENT | SIGCHLD; /* every stub is the sentry's child: it reaps them */
	return f;
}

/*
 * clone3's CLONE_CLEAR_SIGHAND, as Linux's flush_signal_handlers: handlers go back to
 * SIG_DFL, ignored signals stay ignored, and every action loses its flags and mask. The
 * child's stub got the parent's actions from the host clone: it is told the new ones.
 */
static void
clear_sighand(struct task *c)
{
	struct { unsigned long handler, flags, restorer, mask; } act[2] = {
		{ (unsigned long)SIG_DFL, 0, 0, 0 }, { (unsigned long)SIG_IGN, 0, 0, 0 } };
	struct plat_call calls[PLAT_BATCH_MAX];
	int n = 0;

	if (copy_to_guest(c, PLAT_STUB_SCRATCH, act, sizeof(act)))
		return;
	for (int sig = 1; sig <= 64; sig++) {
		unsigned long *h = &c->sig_handlers[sig - 1];
		bool ign = *h == (unsigned long)SIG_IGN;
		if ((ign || *h == (unsigned long)SIG_DFL) && !c->sig_flags[sig - 1])
			continue;
		if (!ign)
			*h = (unsigned long)SIG_DFL;
		c->sig_flags[sig - 1] = 0;
		calls[n++] = (struct plat_call){ .nr = __NR_rt_sigaction,
			.a = { sig, PLAT_STUB_SCRATCH + (ign ? sizeof(act[0]) : 0), 0, 8 } };
		if (n == PLAT_BATCH_MAX) {
			plat_inject_batch(c->ctx, calls, n);
			n = 0;
		}
	}
	if (n)
		plat_inject_batch(c->ctx, calls, n);
}

/*
 * A vfork parent waits for its child as Linux's killable wait does: no signal handler runs
 * (the child is using the parent's stack) and the call is never interrupted. Everything
 * but SIGKILL and SIGSTOP is blocked in the stub meanwhile (set through ptrace, so nothing
 * is taken from the queue by the sentry); the mask comes back when vfork returns, and what
 * arrived is delivered then as usual.
 */
static void
vfork_hold_signals(struct task *t)
{
	unsigned long old;

	if (t->vfork_masked || plat_get_sigmask(t->ctx, &old) < 0 ||
	    plat_set_sigmask(t->ctx, ~(SIG_BIT(SIGKILL) | SIG_BIT(SIGSTOP))) < 0)
		return; /* best effort: wait with the current mask */
	t->vfork_mask = old;
	t->vfork_masked = true;
}

static void
vfork_release_signals(struct task *t)
{
	if (!t->vfork_masked)
		return;
	t->vfork_masked = false;
	plat_set_sigmask(t->ctx, t->vfork_mask);
}

static long
do_clone(struct task *t, const struct clone_req *r)
{
	struct user_regs_struct regs;
	long err = check_flags(t, r);

	if (err)
		return err;
	struct mm *mm = NULL;
	if (!(r->flags & CLONE_VM) && (err = mm_fork(t->mm, &mm)))
		return err;
	if ((r->flags & (CLONE_THREAD | CLONE_VM)) && (err = task_ctid_apply(t))) {
		mm_put(mm);
		return err;
	}
	struct task *c = task_new();
	init_child(t, c, r, mm);
	cgroup_fork(t, c);
	err = ns_fork(t, c, r->flags);
	/* its pid: in the new pid namespace, or where t's children go */
	if (!err)
		err = pidns_attach(c, (struct pid_ns *)ns_of(c, NS_PID));
	int pidfd = -1;
	if (!err && (r->flags & CLONE_PIDFD)) {
		/* in the parent's table after the child's copy of it, as on Linux; a thread's
		 * is the thread's own (PIDFD_THREAD) */
		struct file *f;
		vfs_pidfd(c->tid, r->flags & CLONE_THREAD, false, &f);
		pidfd = fdt_install(t->fdt, f, 0, true);
		file_put(f);
		if (pidfd < 0)
			err = pidfd;
		else if (copy_to_guest(t, r->pidfd, &pidfd, sizeof(pidfd)))
			err = -EFAULT;
	}
	if (!err)
		err = plat_clone(t->ctx, host_flags(r), r->stack, r->child_tid, r->tls, &c->ctx);
	if (err) {
		if (pidfd >= 0)
			fdt_close(t->fdt, pidfd);
		task_discard(c);
		return err == -ESRCH ? -EAGAIN : err;
	}
	plat_set_owner(c->ctx, c);
	/* a new process in a time namespace with offsets, not yet shifted by its parent's
	 * stub: the host could not make it so (it never runs unshifted) */
	if (!(r->flags & CLONE_THREAD) && timens_fork(c)) {
		log_warn("clone: task %d: its time namespace's clocks failed; killed", c->tid);
		plat_kill(c->ctx);
	}
	task_apply_cpus(c);
	if (!(r->flags & CLONE_THREAD))
		task_apply_rlimits_new_stub(c); /* a new host process: the zygote's limits */
	if (r->flags & CLONE_CLEAR_SIGHAND)
		clear_sighand(c);
	/* The child resumes where the parent's syscall returns, with 0. */
	regs = *plat_regs(t->ctx);
	regs.rax = 0;
	regs.orig_rax = -1;
	if (r->stack)
		regs.rsp = r->stack;
	if (r->flags & CLONE_SETTLS)
		regs.fs_base = r->tls;
	/* the trap flag the sentry set for a parent its tracer steps is not the child's
	 * (Linux copy_process: user_disable_single_step) */
	if (t->pt && t->pt->tf_forced)
		regs.eflags &= ~0x100UL;
	plat_set_regs(c->ctx, &regs);
	/* each side gets the number its own pid namespace gives the child */
	int vtid = task_vnr(t, c->tid), ctid = task_vnr(c, c->tid);
	if (r->flags & CLONE_PARENT_SETTID)
		copy_to_guest(t, r->parent_tid, &vtid, sizeof(int));
	if (r->flags & CLONE_CHILD_SETTID)
		copy_to_guest(c, r->child_tid, &ctid, sizeof(int));
	if (r->flags & CLONE_VFORK)
		c->vfork_child = true;
	/* a traced parent's tracer may take the child too (it then starts in a stop) */
	if (!ptrace_new_child(t, c, r->flags, r->exit_signal))
		plat_resume(c->ctx, 0);
	if (r->flags & CLONE_VFORK) {
		/* The parent sleeps until the child execs or exits (see sys_clone's re-run). */
		t->vfork_result = c->tid;
		vfork_hold_signals(t);
		task_wait_on(t, &c->vfork_wq);
		return sysret(SYSRET_BLOCK);
	}
	return vtid;
}

/* A vfork parent's syscall re-runs when woken: report the child once it is released. */
static bool
vfork_waiting(struct task *t, long *result)
{
	if (!t->vfork_result)
		return false;
	struct task *c = task_lookup(t->vfork_result);
	if (c && c->vfork_child) {
		task_wait_on(t, &c->vfork_wq);
		*result = sysret(SYSRET_BLOCK);
		return true;
	}
	*result = task_vnr(t, t->vfork_result);
	t->vfork_result = 0;
	vfork_release_signals(t);
	ptrace_event(t, PTRACE_EVENT_VFORK_DONE, *result);
	return true;
}

SYSCALL(fork)
{
	struct clone_req r = { .exit_signal = SIGCHLD };
	return do_clone(t, &r);
}

SYSCALL(vfork)
{
	long res;
	if (vfork_waiting(t, &res))
		return res;
	struct clone_req r = { .flags = CLONE_VM | CLONE_VFORK, .exit_signal = SIGCHLD };
	return do_clone(t, &r);
}

/* x86-64: clone(flags, stack, parent_tid, child_tid, tls) */
SYSCALL(clone)
{
	long res;
	if (vfork_waiting(t, &res))
		return res;
	struct clone_req r = {
		.flags = a->a[0] & ~CSIGNAL,
		.stack = a->a[1],
		.parent_tid = a->a[2],
		.child_tid = a->a[3],
		.tls = a->a[4],
		.pidfd = a->a[2],
		.exit_signal = a->a[0] & CSIGNAL,
	};
	return do_clone(t, &r);
}

SYSCALL(clone3)
{
	struct clone_args ca;
	size_t size = a->a[1];
	long res;

	if (vfork_waiting(t, &res))
		return res;
	/* Linux's copy_clone_args_from_user, then clone3_args_valid, in their order */
	if (size > PAGE_SIZE)
		return -E2BIG;
	if (size < CLONE_ARGS_SIZE_VER0)
		return -EINVAL;
	/* (a newer struct: what we do not know must be zero) */
	int err = sys_copy_struct(t, &ca, sizeof(ca), a->a[0], size);
	if (err)
		return err;
	if (ca.set_tid_size > 32 || (!ca.set_tid && ca.set_tid_size) ||
	    (ca.set_tid && !ca.set_tid_size))
		return -EINVAL;
	int tids[32];
	if (ca.set_tid_size && copy_from_guest(t, tids, ca.set_tid, ca.set_tid_size * sizeof(int)))
		return -EFAULT;
	if ((ca.exit_signal & ~(unsigned long long)CSIGNAL) || ca.exit_signal > 64)
		return -EINVAL;
	if ((ca.flags & CLONE_INTO_CGROUP) &&
	    (ca.cgroup > INT_MAX || size < CLONE_ARGS_SIZE_VER2))
		return -EINVAL;
	if (ca.flags & ~(0xffffffffULL | CLONE_CLEAR_SIGHAND | CLONE_INTO_CGROUP))
		return -EINVAL;
	if (ca.flags & (CLONE_DETACHED | (CSIGNAL & ~CLONE_NEWTIME)))
		return -EINVAL;
	if ((ca.flags & (CLONE_SIGHAND | CLONE_CLEAR_SIGHAND)) ==
	    (CLONE_SIGHAND | CLONE_CLEAR_SIGHAND))
		return -EINVAL;
	if ((ca.flags & (CLONE_THREAD | CLONE_PARENT)) && ca.exit_signal)
		return -EINVAL;
	if ((ca.stack == 0) != (ca.stack_size == 0))
		return -EINVAL;
	/* Linux alloc_pid: no more pids than the child's namespace has levels, each one
	 * a valid pid; choosing them is then refused (EPERM) */
	if (ca.set_tid_size > (unsigned long long)pidns_level(task_pid_ns(t)) + 1 +
				  !!(ca.flags & CLONE_NEWPID))
		return -EINVAL;
	for (unsigned i = 0; i < ca.set_tid_size; i++)
		if (tids[i] < 1 || tids[i] >= 4194304) /* (pid_max) */
			return -EINVAL;
	if (ca.set_tid)
		return -EPERM;
	/* Linux cgroup_css_set_fork: a descriptor of a cgroup2 directory, else EBADF;
	 * starting the child in it is not done here (EPERM) */
	if (ca.flags & CLONE_INTO_CGROUP)
		return cgroupfs_is_dir(sys_fd(t, (int)ca.cgroup)) ? -EPERM : -EBADF;
	struct clone_req r = {
		.flags = ca.flags,
		.stack = ca.stack ? ca.stack + ca.stack_size : 0,
		.parent_tid = ca.parent_tid,
		.child_tid = ca.child_tid,
		.tls = ca.tls,
		.pidfd = ca.pidfd,
		.exit_signal = ca.exit_signal,
	};
	return do_clone(t, &r);
}

/* ---- waiting for children ---- */

/* A pid or process group number the caller gave, sandbox-wide (-1: none there, which no
 * child matches). */
static long
vnr_to_global(struct task *t, long id)
{
	int g = pidns_global(task_pid_ns(t), (int)id);

	return g > 0 ? g : -1;
}

static bool
child_matches(struct task *t, struct task *c, int idtype, long id, int options)
{
	if (c->leader != c || c->ppid != t->tgid || c == t)
		return false;
	/* __WCLONE selects children whose exit signal is not SIGCHLD; __WALL takes both */
	/* (a tracee is waited for as one, whatever its exit signal: also a child that died
	 * traced by this process) */
	bool traced = c->traced_exit ||
		      (c->pt && c->pt->tracer && c->pt->tracer->tgid == t->tgid);
	if (!(options & __WALL) && !traced &&
	    ((options & __WCLONE) != 0) != (c->exit_signal != SIGCHLD))
		return false;
	/* __WNOTHREAD: only the calling thread's own children (those of a thread that is
	 * gone belong to the whole group here) */
	if ((options & __WNOTHREAD) && c->parent_tid != t->tid) {
		struct task *p = task_lookup(c->parent_tid);
		if (p && p->tgid == t->tgid && p->state != TASK_ZOMBIE && !p->exited)
			return false;
	}
	switch (idtype) {
	case P_PID: return c->tgid == id;
	case P_PGID: return c->pgid == id;
	default: return true;
	}
}

struct wait_result {
	int pid;      /* as the waiter's pid namespace numbers it */
	int status;   /* wait status */
	bool trapped; /* a ptrace stop (waitid: CLD_TRAPPED) */
	uid_t uid;
	struct rusage ru; /* a dead child's use, with its own reaped children's */
};

/* Linux wait_task_stopped gives a tracee's process use so far (getrusage RUSAGE_BOTH);
 * strace -c times each call by the system time between its two stops. As of the thread's
 * latest host stop, which its ptrace stop began with or came after: no injection, which
 * a thread held at the host's syscall stop cannot take. */
static void
ptrace_stop_rusage(struct task *c, struct rusage *ru)
{
	plat_stop_rusage(c->ctx, ru);
	ru_add(ru, &c->leader->ru_exec);
	ru_add(ru, &c->leader->ru_children);
}

/* Finds a waitable child. 0 with *res filled, -EAGAIN if children exist but none is
 * ready, -ECHILD if none match. */
static int
find_waitable(struct task *t, int idtype, long id, int options, struct wait_result *res)
{
	struct task *c, *tmp;
	bool any = false;
	/* tracees first: their stops and exits, whether they are children or not */
	int err = ptrace_wait(t, idtype, id, options, &res->pid, &res->status, &res->uid);

	if (err == 0 && WIFSTOPPED(res->status)) {
		c = task_lookup(res->pid);
		if (c && c->ctx)
			ptrace_stop_rusage(c, &res->ru);
		res->pid = task_vnr(t, res->pid);
		res->trapped = true;
		return 0;
	}
	if (err == 0)
		return 0; /* an exit: numbered as the tracer saw the tracee (it may be gone) */
	any = err == -EAGAIN;
	HASH_ITER(hh, sentry.tasks, c, tmp) {
		if (!child_matches(t, c, idtype, id, options))
			continue;
		/* a zombie is no child to wait for without WEXITED (Linux: ECHILD) */
		if (c->state == TASK_ZOMBIE && !(options & WEXITED) && !ptrace_hides_zombie(c))
			continue;
		any = true;
		if (c->state == TASK_ZOMBIE && ptrace_hides_zombie(c))
			continue; /* its tracer collects its exit first */
		if (c->state == TASK_ZOMBIE && (options & WEXITED)) {
			res->pid = task_vnr(t, c->tgid); /* (before a reap drops its numbers) */
			res->status = c->exit_status;
			res->uid = c->uid;
			task_rusage_both(c, &res->ru);
			if (!(options & WNOWAIT)) {
				task_rusage_reaped(t->leader, &res->ru);
				task_reap(c);
			}
			return 0;
		}
		if (c->stop_report && c->group_stopped && (options & WUNTRACED) &&
		    !(c->pt && c->pt->tracer && c->pt->tracer->tgid == t->tgid)) {
			res->pid = task_vnr(t, c->tgid); /* (before a reap drops its numbers) */
			res->status = (c->stop_sig << 8) | 0x7f;
			res->uid = c->uid;
			/* its use so far, asked of its stub while it sits in the stop */
			if (c->stopped && c->ctx && task_rusage_self(c, &res->ru) == 0)
				ru_add(&res->ru, &c->ru_children);
			if (!(options & WNOWAIT))
				c->stop_report = false;
			return 0;
		}
		if (c->cont_report && (options & WCONTINUED)) {
			res->pid = task_vnr(t, c->tgid); /* (before a reap drops its numbers) */
			res->status = 0xffff;
			res->uid = c->uid;
			if (!(options & WNOWAIT))
				c->cont_report = false;
			return 0;
		}
	}
	return any ? -EAGAIN : -ECHILD;
}

static long
do_wait(struct task *t, int idtype, long id, int options, struct wait_result *res)
{
	int err = find_waitable(t, idtype, id, options, res);

	if (err != -EAGAIN)
		return err;
	if (options & WNOHANG)
		return 1; /* nothing yet */
	task_wait_on(t, &t->leader->child_wq);
	return sysret(SYSRET_BLOCK);
}

SYSCALL(wait4)
{
	int pid = (int)a->a[0], options = (int)a->a[2];
	int idtype = pid > 0 ? P_PID : pid == -1 ? P_ALL : P_PGID;
	long id = pid < -1 ? -(long)pid : pid == 0 ? t->pgid : pid;
	struct wait_result res = { 0 };

	if (options & ~(WNOHANG | WUNTRACED | WCONTINUED | __WNOTHREAD | __WCLONE | __WALL))
		return -EINVAL;
	if (pid == INT32_MIN)
		return -ESRCH;
	if (idtype != P_ALL && pid != 0)
		id = vnr_to_global(t, id);
	long r = do_wait(t, idtype, id, options | WEXITED, &res);
	if (r == 1)
		return 0;
	if (r < 0)
		return r;
	if (a->a[1] && copy_to_guest(t, a->a[1], &res.status, sizeof(int)))
		return -EFAULT;
	if (a->a[3]) {
		if (copy_to_guest(t, a->a[3], &res.ru, sizeof(res.ru)))
			return -EFAULT;
	}
	return res.pid;
}

SYSCALL(waitid)
{
	int idtype = (int)a->a[0], options = (int)a->a[3];
	long id = (int)a->a[1];
	struct wait_result res = { 0 };
	siginfo_t si;

	if (options & ~(WNOHANG | WNOWAIT | WEXITED | WSTOPPED | WCONTINUED | __WNOTHREAD |
			__WCLONE | __WALL))
		return -EINVAL;
	if (!(options & (WEXITED | WSTOPPED | WCONTINUED)))
		return -EINVAL;
	bool nonblock = false;
	if (idtype == P_ALL) {
		id = 0;
	} else if (idtype == P_PGID) {
		id = id ? id : t->pgid;
	} else if (idtype == P_PIDFD) {
		/* the process the pidfd names; a non-blocking pidfd: WNOHANG, EAGAIN if none */
		if (id < 0)
			return -EINVAL;
		struct file *f = sys_fd(t, id);
		int tgid = vfs_pidfd_pid(f);
		if (tgid < 0)
			return tgid;
		nonblock = file_get_flags(f) & O_NONBLOCK;
		idtype = P_PID;
		id = tgid;
	} else if (idtype != P_PID) {
		return -EINVAL;
	}
	if ((idtype == P_PID || idtype == P_PGID) && id <= 0)
		return -EINVAL;
	if (idtype == P_PID && (int)a->a[0] == P_PID)
		id = vnr_to_global(t, id);
	else if (idtype == P_PGID && a->a[1])
		id = vnr_to_global(t, id);
	long r = do_wait(t, idtype, id, options | (nonblock ? WNOHANG : 0), &res);
	if (r < 0)
		return r;
	if (r == 1 && nonblock && !(options & WNOHANG))
		return -EAGAIN;
	memset(&si, 0, sizeof(si));
	if (r == 0) {
		si.si_signo = SIGCHLD;
		si.si_pid = res.pid;
		si.si_uid = userns_uid_out(t, res.uid);
		if (WIFEXITED(res.status)) {
			si.si_code = CLD_EXITED;
			si.si_status = WEXITSTATUS(res.status);
		} else if (res.trapped) {
			si.si_code = CLD_TRAPPED;
			si.si_status = (res.status >> 8) & 0xffff;
		} else if (WIFSTOPPED(res.status)) {
			si.si_code = CLD_STOPPED;
			si.si_status = WSTOPSIG(res.status);
		} else if (WIFCONTINUED(res.status)) {
			si.si_code = CLD_CONTINUED;
			si.si_status = SIGCONT;
		} else {
			si.si_code = WCOREDUMP(res.status) ? CLD_DUMPED : CLD_KILLED;
			si.si_status = WTERMSIG(res.status);
		}
	}
	if (a->a[2] && copy_to_guest(t, a->a[2], &si, sizeof(si)))
		return -EFAULT;
	if (a->a[4]) {
		if (copy_to_guest(t, a->a[4], &res.ru, sizeof(res.ru)))
			return -EFAULT;
	}
	return 0;
}
