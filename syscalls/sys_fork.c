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
#include <sys/wait.h>

#include "fs/vfs.h"
#include "platform/platform.h"
#include "sentry/ptrace.h"
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
	if ((f & CLONE_PIDFD) && (f & CLONE_DETACHED))
		return -EINVAL;
	/* one word cannot take both the pidfd and the tid (clone's, or clone3's equal pointers) */
	if ((f & CLONE_PIDFD) && (f & CLONE_PARENT_SETTID) && r->pidfd == r->parent_tid)
		return -EINVAL;
	if (f & CLONE_NAMESPACES)
		return -EPERM; /* no nested namespaces inside the sandbox yet */
	if (f & ~(CLONE_SUPPORTED | CLONE_NAMESPACES | CLONE_PIDFD))
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
	return 0;
}

/* The child's sentry-side state: ids, credentials, and shared or copied tables (mm: the
 * copy of t's address space, or NULL to share it). */
static void
init_child(struct task *t, struct task *c, const struct clone_req *r, struct mm *mm)
{
	unsigned long f = r->flags;

	c->uid = t->uid, c->euid = t->euid, c->suid = t->suid;
	c->gid = t->gid, c->egid = t->egid, c->sgid = t->sgid;
	c->cap_eff = t->cap_eff, c->cap_prm = t->cap_prm, c->cap_inh = t->cap_inh;
	c->cap_bnd = t->cap_bnd, c->keepcaps = t->keepcaps;
	c->ngroups = t->ngroups;
	c->nice = t->nice;
	c->ioprio = t->ioprio;
	c->oom_score_adj = t->leader->oom_score_adj;
	c->oom_score_adj_min = t->leader->oom_score_adj_min;
	c->sched_policy = t->sched_policy;
	c->sched_prio = t->sched_prio;
	if (t->sched_reset) { /* Linux sched_fork: real-time back to SCHED_NORMAL at nice 0, */
		if (c->sched_prio) /* else a negative nice to 0; the child's flag is clear */
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
	c->cmdline = xmalloc(t->cmdline_len + 1);
	memcpy(c->cmdline, t->cmdline ? t->cmdline : "", t->cmdline_len);
	c->cmdline_len = t->cmdline_len;
	c->environ = xmalloc(t->environ_len + 1);
	memcpy(c->environ, t->environ ? t->environ : "", t->environ_len);
	c->environ_len = t->environ_len;
	if (f & CLONE_THREAD) {
		c->tgid = t->tgid;
		c->leader = t->leader;
		c->leader->live_threads++;
		c->ppid = t->ppid;
		c->exit_signal = 0;
	} else {
		c->ppid = (f & CLONE_PARENT) ? t->leader->ppid : t->tgid;
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
	c->seccomp_mode = t->seccomp_mode;
	if (!(f & CLONE_THREAD))
		c->seccomp_stub = t->leader->seccomp_stub; /* the host clone keeps the stub's filters */
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
	int pidfd = -1;
	if (r->flags & CLONE_PIDFD) {
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
		c->leader->live_threads -= c->leader != c;
		task_exit(c, 0);
		if (c->leader == c)
			task_reap(c);
		return err == -ESRCH ? -EAGAIN : err;
	}
	plat_set_owner(c->ctx, c);
	/* The child resumes where the parent's syscall returns, with 0. */
	regs = *plat_regs(t->ctx);
	regs.rax = 0;
	regs.orig_rax = -1;
	if (r->stack)
		regs.rsp = r->stack;
	if (r->flags & CLONE_SETTLS)
		regs.fs_base = r->tls;
	plat_set_regs(c->ctx, &regs);
	if (r->flags & CLONE_PARENT_SETTID)
		copy_to_guest(t, r->parent_tid, &c->tid, sizeof(int));
	if (r->flags & CLONE_CHILD_SETTID)
		copy_to_guest(c, r->child_tid, &c->tid, sizeof(int));
	if (r->flags & CLONE_VFORK)
		c->vfork_child = true;
	/* a traced parent's tracer may take the child too (it then starts in a stop) */
	if (!ptrace_new_child(t, c, r->flags, r->exit_signal))
		plat_resume(c->ctx, 0);
	if (r->flags & CLONE_VFORK) {
		/* The parent sleeps until the child execs or exits (see sys_clone's re-run). */
		t->vfork_result = c->tid;
		task_wait_on(t, &c->vfork_wq);
		return SYSRET_BLOCK;
	}
	return c->tid;
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
		*result = SYSRET_BLOCK;
		return true;
	}
	*result = t->vfork_result;
	t->vfork_result = 0;
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
	if (size < CLONE_ARGS_SIZE_VER0 || size > PAGE_SIZE)
		return -EINVAL;
	memset(&ca, 0, sizeof(ca));
	if (copy_from_guest(t, &ca, a->a[0], MIN(size, sizeof(ca))))
		return -EFAULT;
	if (ca.set_tid || ca.set_tid_size || ca.cgroup)
		return -EINVAL;
	if (ca.exit_signal & ~CSIGNAL)
		return -EINVAL;
	if ((ca.stack == 0) != (ca.stack_size == 0))
		return -EINVAL;
	struct clone_req r = {
		.flags = ca.flags,
		.stack = ca.stack ? ca.stack + ca.stack_size : 0,
		.parent_tid = ca.parent_tid,
		.child_tid = ca.child_tid,
		.tls = ca.tls,
		.pidfd = ca.pidfd,
		.exit_signal = ca.exit_signal,
	};
	if (r.flags & CSIGNAL)
		return -EINVAL;
	return do_clone(t, &r);
}

/* ---- waiting for children ---- */

static bool
child_matches(struct task *t, struct task *c, int idtype, long id, int options)
{
	if (c->leader != c || c->ppid != t->tgid || c == t)
		return false;
	/* __WCLONE selects children whose exit signal is not SIGCHLD; __WALL takes both */
	if (!(options & __WALL) && ((options & __WCLONE) != 0) != (c->exit_signal != SIGCHLD))
		return false;
	switch (idtype) {
	case P_PID: return c->tgid == id;
	case P_PGID: return c->pgid == id;
	default: return true;
	}
}

struct wait_result {
	int pid;
	int status;   /* wait status */
	bool trapped; /* a ptrace stop (waitid: CLD_TRAPPED) */
	uid_t uid;
	struct rusage ru; /* a dead child's use, with its own reaped children's */
};

/* Finds a waitable child. 0 with *res filled, -EAGAIN if children exist but none is
 * ready, -ECHILD if none match. */
static int
find_waitable(struct task *t, int idtype, long id, int options, struct wait_result *res)
{
	struct task *c, *tmp;
	bool any = false;
	/* tracees first: their stops and exits, whether they are children or not */
	int err = ptrace_wait(t, idtype, id, options, &res->pid, &res->status, &res->uid);

	if (err == 0) {
		res->trapped = WIFSTOPPED(res->status);
		return 0;
	}
	any = err == -EAGAIN;
	HASH_ITER(hh, sentry.tasks, c, tmp) {
		if (!child_matches(t, c, idtype, id, options))
			continue;
		any = true;
		if (c->state == TASK_ZOMBIE && ptrace_hides_zombie(c))
			continue; /* its tracer collects its exit first */
		if (c->state == TASK_ZOMBIE && (options & WEXITED)) {
			res->pid = c->tgid;
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
			res->pid = c->tgid;
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
			res->pid = c->tgid;
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
	return SYSRET_BLOCK;
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
	long r = do_wait(t, idtype, id, options | (nonblock ? WNOHANG : 0), &res);
	if (r < 0)
		return r;
	if (r == 1 && nonblock && !(options & WNOHANG))
		return -EAGAIN;
	memset(&si, 0, sizeof(si));
	if (r == 0) {
		si.si_signo = SIGCHLD;
		si.si_pid = res.pid;
		si.si_uid = res.uid;
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
