/*
 * execve/execveat: the loader builds the new image in a fresh stub; only when that
 * succeeded does the old address space go away (so a failed exec returns to the caller).
 */
#include <fcntl.h>
#include <signal.h>
#include <string.h>
#include <sys/personality.h>
#include <sys/syscall.h>

#include "fs/vfs.h"
#include "loader/loader.h"
#include "platform/platform.h"
#include "sentry/ns.h"
#include "sentry/ptrace.h"
#include "syscalls/internal.h"

#define EXEC_ARG_MAX (2UL << 20)   /* argv + envp bytes, as the loader enforces */
#define EXEC_STRV_MAX (1UL << 20)  /* pointers per vector */

static void
free_strv(char **v)
{
	for (size_t i = 0; v && v[i]; i++)
		free(v[i]);
	free(v);
}

/* Guest memory read a page at a time: argv and envp strings usually sit together (on the
 * caller's stack), so most come from a page already read. */
struct page_reader {
	unsigned long base;             /* guest page held; 0: none */
	char data[PAGE_SIZE];
};

/* The bytes at guest address a up to the end of its page, or NULL if that page does not
 * read (pages are read whole: one that reads at all reads from its start). */
static const char *
page_at(struct task *t, struct page_reader *pr, unsigned long a, size_t *len)
{
	unsigned long base = PAGE_DOWN(a);

	if (!base)
		return NULL;
	if (pr->base != base) {
		pr->base = 0;
		if (copy_from_guest(t, pr->data, base, PAGE_SIZE) < 0)
			return NULL;
		pr->base = base;
	}
	*len = PAGE_SIZE - (a - base);
	return pr->data + (a - base);
}

/* A guest string of at most max bytes (NUL included) into a new buffer: its length, or
 * -EFAULT / -ENAMETOOLONG. */
static long
strdup_from_guest(struct task *t, struct page_reader *pr, unsigned long p, size_t max, char **out)
{
	size_t len;
	const char *b = page_at(t, pr, p, &len);

	if (b) {
		const char *nul = memchr(b, '\0', MIN(len, max));
		if (nul) {
			*out = xstrndup(b, nul - b);
			return nul - b;
		}
	}
	/* Across pages (or the page would not read whole): the long way. */
	static char buf[32 * PAGE_SIZE + 1];
	long n = strncpy_from_guest(t, buf, p, MIN(max, sizeof(buf)));
	if (n >= 0)
		*out = xstrndup(buf, n);
	return n;
}

/* Copies a NULL-terminated vector of guest strings; *budget bounds the total bytes. */
static int
copy_strv(struct task *t, unsigned long uv, char ***out, size_t *budget)
{
	size_t n = 0, cap = 16;
	char **v = xcalloc(cap, sizeof(*v));
	struct page_reader *ptrs = xmalloc(sizeof(*ptrs)), *strs = xmalloc(sizeof(*strs));
	int err = 0;

	ptrs->base = strs->base = 0;
	for (; uv; n++) {
		unsigned long p, a = uv + n * sizeof(p);
		size_t len;
		if (n >= EXEC_STRV_MAX) {
			err = -E2BIG;
			break;
		}
		const char *b = a % sizeof(p) ? NULL : page_at(t, ptrs, a, &len);
		if (b)
			memcpy(&p, b, sizeof(p));
		else if (copy_from_guest(t, &p, a, sizeof(p))) {
			err = -EFAULT;
			break;
		}
		if (!p)
			break;
		if (n + 1 >= cap) {
			cap *= 2;
			char **nv = realloc(v, cap * sizeof(*v));
			if (!nv) {
				err = -ENOMEM;
				break;
			}
			v = nv;
		}
		char *s;
		long slen = strdup_from_guest(t, strs, p, MIN(*budget, 32 * PAGE_SIZE) + 1, &s);
		if (slen < 0) {
			err = slen == -ENAMETOOLONG ? -E2BIG : (int)slen;
			break;
		}
		*budget -= MIN(*budget, (size_t)slen + 1 + sizeof(p));
		v[n] = s;
		v[n + 1] = NULL;
	}
	free(ptrs);
	free(strs);
	if (err) {
		free_strv(v);
		return err;
	}
	v[n] = NULL;
	*out = v;
	return 0;
}

/* The calling thread's own attributes go on in the leader's slot, as the caller's task does
 * in Linux (de_thread): its credentials, scheduling, CPU affinity, memory policy, root and
 * cwd, and its per-thread prctl settings. (Its personality is taken by the caller of
 * become_leader; its parent stays the leader's.) */
static void
take_thread_attrs(struct task *l, struct task *t)
{
	gid_t *groups = l->groups;

	l->uid = t->uid, l->euid = t->euid, l->suid = t->suid, l->fsuid = t->fsuid;
	l->gid = t->gid, l->egid = t->egid, l->sgid = t->sgid, l->fsgid = t->fsgid;
	l->groups = t->groups, l->ngroups = t->ngroups;
	t->groups = groups; /* (freed with t) */
	l->cap_eff = t->cap_eff, l->cap_prm = t->cap_prm, l->cap_inh = t->cap_inh;
	l->cap_bnd = t->cap_bnd, l->cap_amb = t->cap_amb;
	l->keepcaps = t->keepcaps, l->securebits = t->securebits;
	l->no_new_privs = t->no_new_privs;
	l->nice = t->nice, l->ioprio = t->ioprio;
	l->sched_policy = t->sched_policy, l->sched_prio = t->sched_prio;
	l->sched_reset = t->sched_reset;
	l->dl_runtime = t->dl_runtime, l->dl_deadline = t->dl_deadline, l->dl_period = t->dl_period;
	memcpy(l->cpus, t->cpus, sizeof(l->cpus));
	l->cpus_set = t->cpus_set;
	l->mpol_mode = t->mpol_mode, l->mpol_nodes = t->mpol_nodes;
	l->timer_slack = t->timer_slack, l->timer_slack_dfl = t->timer_slack_dfl;
	l->mce_kill = t->mce_kill, l->io_flusher = t->io_flusher;
	memcpy(l->spec_ctrl, t->spec_ctrl, sizeof(l->spec_ctrl));
	l->pdeath_sig = t->pdeath_sig;
	if (l->fs != t->fs) { /* a thread that unshared CLONE_FS */
		vfs_ctx_put(l->fs);
		l->fs = t->fs;
		t->fs = NULL;
	}
}

/*
 * A thread other than the leader called execve: as on Linux it takes over the leader's
 * identity (pid). The leader's task keeps its place (parent, children, zombie bookkeeping)
 * and receives the new image; the calling thread's task goes away.
 */
static struct task *
become_leader(struct task *t)
{
	struct task *l = t->leader;

	if (l->ctx) {
		plat_set_owner(l->ctx, NULL); /* its host thread dies with the old process */
		plat_release(l->ctx);
		l->ctx = NULL;
	}
	mm_put(l->mm);
	l->mm = t->mm;
	t->mm = NULL;
	l->ctx = t->ctx;
	t->ctx = NULL;
	if (l->fdt != t->fdt) {
		fdt_put(l->fdt);
		l->fdt = t->fdt;
		t->fdt = NULL;
	}
	if (l->seccomp != t->seccomp || l->seccomp_mode != t->seccomp_mode) {
		/* the calling thread's seccomp filters go on, as on Linux */
		seccomp_put(l->seccomp);
		l->seccomp = seccomp_get(t->seccomp);
		l->seccomp_mode = t->seccomp_mode;
	}
	if (l->landlock != t->landlock) { /* its Landlock domain too (part of its cred) */
		landlock_put(l->landlock);
		l->landlock = landlock_get(t->landlock);
	}
	take_thread_attrs(l, t);
	{ /* and its keyrings (its session; exec drops the thread and process ones) */
		struct task_keys *k = l->keys;
		l->keys = t->keys;
		t->keys = k;
	}
	for (int i = 0; i < 2; i++) { /* and its time namespaces (timens_exec: it may enter one) */
		struct ns_common **a = i ? &l->timens : &l->ns[NS_TIME];
		struct ns_common **b = i ? &t->timens : &t->ns[NS_TIME];
		struct ns_common *x = *a;
		*a = *b;
		*b = x;
	}
	/* The leader's slot goes on with the new image (its old host thread dies silently);
	 * if it had exited before, it is back. t's slot goes with task_exit. */
	if (l->exited)
		l->live_threads++;
	l->exited = false;
	l->exit_called = false;
	task_set_state(l, TASK_RUNNING);
	ptrace_exec_gone(t);
	task_exit(t, 0);
	return l;
}

/*
 * Signals across execve: handlers go back to SIG_DFL, ignored signals stay ignored and the
 * mask stays (the new stub starts with everything default: it is told). In the same stop
 * the stub's own break becomes the guest's (ld_host_brk).
 */
void
exec_signals_brk(struct task *t, unsigned long sigmask, const struct ld_result *res)
{
	struct { unsigned long handler, flags, restorer, mask; } ign[2] = {
		{ (unsigned long)SIG_IGN, 0, 0, 0 }, { SIG_TRAP_IGN, 0, 0, 0 } };
	struct plat_call calls[PLAT_BATCH_MAX - 1];
	int n = 0;

	if (sigmask)
		plat_set_sigmask(t->ctx, sigmask);
	for (int sig = 1; sig <= 64; sig++) {
		unsigned long *h = &t->leader->sig_handlers[sig - 1];
		t->leader->sig_flags[sig - 1] = 0;
		if (*h != (unsigned long)SIG_IGN) {
			*h = (unsigned long)SIG_DFL;
			continue;
		}
		if (n < (int)ARRAY_SIZE(calls))
			calls[n++] = (struct plat_call){ .nr = __NR_rt_sigaction,
							 .a = { sig, PLAT_STUB_SCRATCH +
								 (sig == SIGTRAP ? sizeof(ign[0]) : 0), 0, 8 } };
	}
	if (n && copy_to_guest(t, PLAT_STUB_SCRATCH, ign, sizeof(ign)))
		n = 0;
	ld_host_brk(t, res, calls, n);
}

/*
 * Pending signals survive execve (the caller's own and its process's), but live in the old
 * stub's kernel: they are taken from there (in the order the host hands them out: the
 * thread's own set, then the process's, each by number, queued real-time ones in order)
 * and queued again in the new stub. Where the first set ends shows as a step down in that
 * order (or a repeated standard signal); when none shows, both sets would be handed out in
 * the same order, and all go to the process's set.
 */
#define EXEC_PENDING_MAX 256

struct exec_pending {
	int n;
	siginfo_t si[EXEC_PENDING_MAX];
};

static void
exec_take_pending(struct task *t, struct plat_ctx *old, struct exec_pending *p)
{
	struct plat_ctx *cur = t->ctx;

	p->n = 0;
	if (plat_signals_queued(old) == 0 && !plat_pending_signal(old))
		return; /* the common case: nothing to take, and no injection to learn it */
	t->ctx = old; /* the injected calls (and scratch copies) go to the old stub */
	while (p->n < EXEC_PENDING_MAX) {
		siginfo_t si;
		/* An unblocked one stops the stub as the injection starts (the host delivers
		 * it first): the platform holds it then, and it is taken from there. */
		int sig = plat_take_held_signal(old, &si);
		if (!sig && !(sig = sig_dequeue(t, ~0UL, &si)))
			sig = plat_take_held_signal(old, &si);
		if (sig <= 0)
			break;
		si.si_signo = sig;
		p->si[p->n++] = si;
	}
	t->ctx = cur;
}

static void
exec_requeue_pending(struct task *t, const struct exec_pending *p)
{
	int split = p->n;

	for (int i = 1; i < p->n && split == p->n; i++) {
		int a = p->si[i - 1].si_signo, b = p->si[i].si_signo;
		if (b < a || (b == a && b < SIGRTMIN))
			split = i;
	}
	if (split == p->n)
		split = 0;
	for (int i = 0; i < p->n; i++) {
		int sig = p->si[i].si_signo;
		if (i < split)
			plat_send_signal(t->ctx, sig, &p->si[i]);
		else
			plat_send_signal_process(t->ctx, sig, &p->si[i]);
	}
}

static long
do_execve(struct task *t, char *path, const char *comm, unsigned long uargv,
	  unsigned long uenvp)
{
	char **argv = NULL, **envp = NULL;
	size_t budget = EXEC_ARG_MAX;
	struct task *caller = t;
	struct plat_ctx *old_ctx = t->ctx, *new_ctx = NULL;
	struct mm *old_mm = t->mm;
	struct ld_result res;
	struct rusage old_ru;
	struct exec_pending *pending = NULL;
	int err;

	/* What the old image used, which its stub takes along (the new stub counts from 0):
	 * a lone thread's stub is reaped at the point of no return, with its rusage; others are
	 * asked now. */
	bool lone = t == t->leader && t->live_threads == 1;
	long old_sandbox = 0;
	/* As on Linux, a program that cannot be found fails before argv and envp are read,
	 * and (shells search PATH this way) before a stub is made for the new image. */
	struct stat st;
	err = vfs_statat(t, NULL, path, 0, &st);
	if (!err && !S_ISREG(st.st_mode))
		err = -EACCES;
	if (err)
		return err;
	memset(&old_ru, 0, sizeof(old_ru));
	if (!lone && task_rusage_image(t, &old_ru)) /* (its ru_nvcsw already without the stops) */
		memset(&old_ru, 0, sizeof(old_ru));
	err = copy_strv(t, uargv, &argv, &budget);
	if (!err)
		err = copy_strv(t, uenvp, &envp, &budget);
	if (!err)
		err = plat_new_as(&new_ctx);
	if (err)
		goto out;
	memset(&res, 0, sizeof(res));
	t->ctx = new_ctx;
	t->mm = mm_new();
	t->mm->replacing = old_mm; /* its charge is credited while the new image is built */
	t->mm->mdwe = mm_mdwe_inherited(old_mm); /* (before the image is mapped, as Linux) */
	t->mm->merge_any = old_mm->merge_any; /* (Linux ksm_execve) */
	/* /proc/self/exe must still name the old image while the new one is looked up */
	if (old_mm->exe_path)
		t->mm->exe_path = xstrdup(old_mm->exe_path);
	t->mm->exe_where = vfs_where_dup(old_mm->exe_where);
	err = ld_exec(t, path, argv, envp, &res);
	t->mm->replacing = NULL;
	if (err) {
		plat_release(new_ctx);
		mm_put(t->mm);
		t->ctx = old_ctx;
		t->mm = old_mm;
		goto out;
	}
	/* Point of no return: the old image is gone, with every other thread of the process
	 * (their exits arrive as events and free their tasks). The blocked-signal mask goes
	 * on with the calling thread, as on Linux. */
	unsigned long sigmask = 0;
	plat_get_sigmask(old_ctx, &sigmask);
	pending = xmalloc(sizeof(*pending));
	exec_take_pending(t, old_ctx, pending);
	plat_set_owner(old_ctx, NULL);
	if (lone) /* and the old stub's death: its last switch, which an image never makes */
		old_sandbox = (long)plat_switches(old_ctx) + 1 - (long)t->waited_calls +
			      t->nvcsw_gone;
	if (!lone)
		plat_release(old_ctx);
	else if (plat_release_reaped(old_ctx, &old_ru))
		memset(&old_ru, 0, sizeof(old_ru));
	ipc_mm_drop(t, old_mm);
	mm_put(old_mm);
	task_rusage_exec(t->leader, &old_ru, old_sandbox);
	unsigned int personality = t->personality;
	int caller_tid = t->tid;
	bool leader_exited = t->leader->exited;
	if (t != t->leader)
		t = become_leader(t);
	/* Linux: the calling thread's personality goes on without READ_IMPLIES_EXEC
	 * (x86-64's SET_PERSONALITY), SECBIT_KEEP_CAPS is cleared, the image is dumpable;
	 * coredump_filter stays. */
	t->personality = personality & ~(unsigned int)READ_IMPLIES_EXEC;
	t->keepcaps = false;
	/* the image's effective ids (set-user-ID...); the saved and filesystem ids follow
	 * the effective ones at every exec (Linux cap_bprm_creds_from_file) */
	/* an exec that changes the effective uid, or gives an effective gid outside the
	 * caller's groups, cancels the ambient set (Linux cap_bprm_creds_from_file's
	 * id_changed, since 6.15: a non-set-id program keeps it whatever the ids) */
	if (res.euid != t->euid || !task_in_group(t, res.egid))
		t->cap_amb = 0;
	t->euid = t->suid = t->fsuid = res.euid;
	t->egid = t->sgid = t->fsgid = res.egid;
	task_caps_exec(t);
	keys_exec(t);
	/* suid_dumpable 0 for a program run as another, or one the caller may not read */
	t->dumpable = res.secure || res.unreadable ? 0 : 1;
	t->did_exec = true;
	t->waited_calls = 0; /* the new stub's counts start from 0 */
	task_apply_cpus(t); /* the affinity survives execve */
	spec_ctrl_exec(t); /* and so do the speculation controls */
	task_apply_rlimits_new_stub(t); /* and so does RLIMIT_CPU (the new stub's count starts at 0) */
	if (t->mm->merge_any) /* and PR_SET_MEMORY_MERGE, in the new stub's mm */
		plat_inject(t->ctx, __NR_prctl, PR_SET_MEMORY_MERGE, 1, 0, 0, 0, 0);
	t->ctid_pending = false; /* the new image sets its own */
	t->robust_head = 0;      /* and its own robust list */
	t->sud_on = false;       /* syscall user dispatch ends */
	plat_set_owner(new_ctx, t);
	t->leader->advice_traced = false; /* a new stub, without the filter */
	if (seccomp_exec(t))
		log_debug("execve of task %d: its seccomp filters could not be enforced", t->tid);
	if (timens_exec(t)) { /* (Linux: a fatal signal past the point of no return) */
		log_warn("execve of task %d: its time namespace's clocks failed; killed", t->tid);
		plat_kill(t->ctx);
	}
	if (t == sentry.init)
		init_host_pid = plat_host_pid(new_ctx);
	/* a table shared with other processes (CLONE_FILES) becomes the new image's own first
	 * (Linux's unshare_files): their close-on-exec descriptors stay open for them */
	if (t->fdt->refs > 1) {
		struct fdtable *shared = t->fdt;
		t->fdt = fdt_copy(shared);
		fdt_put(shared);
	}
	fdt_close_on_exec(t->fdt);
	timers_exec(t->leader);
	exec_signals_brk(t, sigmask, &res);
	exec_requeue_pending(t, pending);
	if (comm)
		snprintf(t->comm, sizeof(t->comm), "%s", comm);
	else
		task_set_comm(t, path);
	task_vfork_release(t);
	err = plat_set_regs(t->ctx, &res.regs);
	if (err) {
		plat_kill(t->ctx);
		err = sysret(SYSRET_EXITED);
		goto out;
	}
	if (t != caller) {
		/* the caller's task is gone: the image goes on under the leader's task (after
		 * the stops a tracer of the leader sees) */
		if (!ptrace_exec_leader(t, caller_tid, leader_exited))
			plat_resume(t->ctx, 0);
		err = sysret(SYSRET_EXITED);
		goto out;
	}
	ptrace_exec(t, caller->tid);
	err = sysret(SYSRET_DONE);
out:
	free(pending);
	free_strv(argv);
	free_strv(envp);
	return err;
}

SYSCALL(execve)
{
	_cleanup_free_ char *path = NULL;
	int err = path_from_guest(t, a->a[0], &path);

	if (err)
		return err;
	return do_execve(t, path, NULL, a->a[1], a->a[2]);
}

/* Whether path names a file that starts with "#!" (a script for binfmt_script). */
static bool
is_script(struct task *t, const char *path)
{
	struct file *f;
	char head[2];

	if (vfs_openat(t, NULL, path, O_RDONLY | O_CLOEXEC, 0, &f) < 0)
		return false;
	bool script = file_pread(f, head, 2, 0) == 2 && head[0] == '#' && head[1] == '!';
	file_put(f);
	return script;
}

SYSCALL(execveat)
{
	_cleanup_free_ char *path = NULL;
	int flags = (int)a->a[4], err;
	char *full;
	struct file *dirf = NULL;

	if (flags & ~(AT_EMPTY_PATH | AT_SYMLINK_NOFOLLOW))
		return -EINVAL;
	path = xmalloc(PATH_MAX);
	long n = strncpy_from_guest(t, path, a->a[1], PATH_MAX);
	if (n < 0)
		return n;
	if (n == 0 && !(flags & AT_EMPTY_PATH))
		return -ENOENT;
	if (path[0] != '/' || n == 0) {
		err = sys_dirfd(t, a->a[0], &dirf);
		if (err)
			return err;
	}
	/* AT_SYMLINK_NOFOLLOW: a symbolic link as the last component is ELOOP */
	struct stat lst;
	if ((flags & AT_SYMLINK_NOFOLLOW) && n > 0 &&
	    vfs_statat(t, dirf, path, AT_SYMLINK_NOFOLLOW, &lst) == 0 && S_ISLNK(lst.st_mode))
		return -ELOOP;
	if (!dirf || (path[0] == '/' && n > 0))
		return do_execve(t, path, NULL, a->a[2], a->a[3]);
	/* Relative to a descriptor, the program's name is Linux's "/dev/fd/N" or
	 * "/dev/fd/N/PATH" (AT_EXECFN, and a script's name for its interpreter), which opens
	 * the same file through the descriptor's magic link. A script cannot be reached that
	 * way once a close-on-exec descriptor is gone: Linux fails such an exec with ENOENT. */
	int fd = (int)a->a[0];
	full = xmalloc(PATH_MAX);
	if (snprintf(full, PATH_MAX, n > 0 ? "/dev/fd/%d/%s" : "/dev/fd/%d", fd, path) >= PATH_MAX) {
		free(full);
		return -ENAMETOOLONG;
	}
	if (t->fdt->cloexec[fd] && is_script(t, full)) {
		free(full);
		return -ENOENT;
	}
	/* Linux (6.14 on) names the process after the file's own entry when the descriptor is
	 * the program itself (a memfd: "memfd:NAME"), copied now: a close-on-exec descriptor
	 * is gone before the comm is set. */
	char comm[sizeof(t->comm)];
	snprintf(comm, sizeof(comm), "%s", vfs_file_name(dirf));
	long r = do_execve(t, full, n == 0 ? comm : NULL, a->a[2], a->a[3]);
	free(full);
	return r;
}
