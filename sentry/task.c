/* Tasks: virtual pids, lifecycle, command lines for /proc. */
#include <elf.h>
#include <fcntl.h>
#include <stdarg.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>

#include "fs/tty.h"
#include "fs/vfs.h"
#include "platform/platform.h"
#include "sentry/exec_ctl.h"
#include "sentry/ptrace.h"
#include "sentry/ns.h"
#include "sentry/sentry.h"
#include "syscalls/syscalls.h"

volatile pid_t init_host_pid;
volatile unsigned long host_signals_pending;
volatile unsigned long host_group_signals;

struct sentry sentry = {
	.next_pid = 1,
	.max_tasks = SANDBOX_DEFAULT_TASKS,
	/* unlimited until startup reads the real limits (unit tests never do) */
	.rlim = { [0 ... RLIM_NLIMITS - 1] = { RLIM_INFINITY, RLIM_INFINITY } },
	.opts = { .audit_fd = -1, .trace_fd = -1 },
};

struct task *
task_new(void)
{
	struct task *t = xcalloc(1, sizeof(*t));

	t->tid = t->tgid = sentry.next_pid++;
	t->pgid = t->sid = t->tgid;
	task_set_state(t, TASK_RUNNING);
	t->leader = t;
	t->live_threads = 1;
	t->exit_signal = SIGCHLD;
	t->start_ns = vfs_boot_ns();
	t->dumpable = 1;
	t->coredump_filter = 0x33; /* Linux's default: anonymous, ELF headers */
	t->loginuid = sentry.host_loginuid; /* replaced by a fork's, its parent's */
	t->sessionid = sentry.host_sessionid;
	task_caps_init(t); /* uid 0: every capability, until its ids are set */
	HASH_ADD_INT(sentry.tasks, tid, t);
	cgroup_task_new(t);
	return t;
}

struct task *
task_lookup(int tid)
{
	struct task *t = NULL;

	HASH_FIND_INT(sentry.tasks, &tid, t);
	return t;
}

struct task *
task_next(struct task *prev)
{
	/* Smallest tid greater than prev's. Tids are given in increasing order as tasks are
	 * added, and the hash keeps the order of adding, so it is the next in the hash while
	 * prev is in it (a walk of every task, as /proc/PID/stat's thread count is, costs n
	 * steps, not n squared); else a scan. */
	int after = prev ? prev->tid : 0;
	struct task *best = NULL, *t, *tmp;

	if (!prev)
		return sentry.tasks;
	if (task_lookup(after) == prev)
		return prev->hh.next;
	HASH_ITER(hh, sentry.tasks, t, tmp) {
		if (t->tid > after && (!best || t->tid < best->tid))
			best = t;
	}
	return best;
}

pid_t
plat_host_pid_of(struct task *t)
{
	return t && t->ctx ? plat_host_pid(t->ctx) : -1;
}

/* After an execve: Linux's comm is the last component of the path the program was named by
 * (kbasename of bprm->filename: a script's own name, not its interpreter's; "exec -a" does
 * not change it). */
void
task_set_comm(struct task *t, const char *path)
{
	const char *slash = strrchr(path, '/');

	snprintf(t->comm, sizeof(t->comm), "%s", slash ? slash + 1 : path);
}

static void
release_resources(struct task *t)
{
	if (t->ctx) {
		plat_release(t->ctx);
		t->ctx = NULL;
	}
	task_unwait(t); /* before the puts below: they may wake queues t sleeps on */
	if (t->wait_file) {
		file_put(t->wait_file);
		t->wait_file = NULL;
	}
	fdt_put(t->fdt);
	t->fdt = NULL;
	vfs_ctx_put(t->fs);
	t->fs = NULL;
	ns_task_exit(t);
	cgroup_task_exit(t);
	ipc_mm_drop(t, t->mm);
	mm_native_done(t);
	mm_put(t->mm);
	t->mm = NULL;
}

static void
task_free(struct task *t)
{
	task_unwait(t);
	runq_remove(t);
	cgroup_task_free(t);
	HASH_DEL(sentry.tasks, t);
	task_set_state(t, TASK_ZOMBIE); /* (out of the count of blocked ones) */
	pidns_task_free(t);
	vfs_pidfd_exited(t->tid, t->exit_status);
	free(t->groups);
	seccomp_put(t->seccomp);
	landlock_put(t->landlock);
	keys_task_free(t);
	free(t);
}

void
task_vfork_release(struct task *t)
{
	if (!t->vfork_child)
		return;
	t->vfork_child = false;
	waitq_wake(&t->vfork_wq);
}

/* Where the orphans of a dying process go: the nearest living ancestor in its pid
 * namespace that asked for them (PR_SET_CHILD_SUBREAPER), else that namespace's pid 1
 * (Linux find_new_reaper). NULL: none (its pid 1 dies). */
static struct task *
new_reaper(struct task *dying)
{
	struct task *init = pidns_reaper_of(dying);

	for (int depth = 0, pid = dying->ppid; pid && depth < 4096; depth++) {
		struct task *a = task_lookup(pid);
		if (!a || a == init || task_pid_ns(a) != task_pid_ns(dying))
			break;
		if (a->child_subreaper && a->state != TASK_ZOMBIE && !a->exited)
			return a;
		pid = a->ppid;
	}
	return init && init != dying ? init : NULL;
}

/* The whole thread group is gone: the process becomes a zombie for its parent. */
static void
process_died(struct task *leader)
{
	struct task *c, *tmp, *reaper = new_reaper(leader);
	bool zombies_moved = false;

	tty_process_exit(leader); /* a session leader's terminal hangs up its foreground */
	if (pidns_is_child_init(leader))
		pidns_init_died(leader); /* the rest of its namespace is killed */

	/* Orphans go to the nearest subreaper, or pid 1, which reaps them. */
	HASH_ITER(hh, sentry.tasks, c, tmp) {
		if (c->ppid == leader->tgid && c != leader && c->leader == c) {
			if (c->pdeath_sig && c->state != TASK_ZOMBIE) {
				siginfo_t si; /* kill()-like, from the parent that died */
				sig_info_from(&si, c->pdeath_sig, SI_USER, leader);
				sig_fixup_uid(&si, leader, c);
				task_send_signal(c, c->pdeath_sig, &si, true);
			}
			c->ppid = reaper ? reaper->tgid : 0;
			c->parent_tid = reaper ? reaper->tid : 0;
			task_orphan_pgrp(c, leader);
			zombies_moved |= c->state == TASK_ZOMBIE;
			if (!reaper && c->state == TASK_ZOMBIE && leader != sentry.init)
				task_reap(c); /* a dead namespace init's: nobody waits for it */
		}
	}
	if (zombies_moved && reaper)
		waitq_wake(&reaper->child_wq);
	task_orphan_pgrp(leader, leader);
	timers_exit(leader);
	ipc_process_exit(leader);
	task_set_state(leader, TASK_ZOMBIE);
	vfs_pidfd_wake();
	if (!leader->ppid && leader != sentry.init && exec_ctl_process_died(leader))
		return; /* `sandbox exec`'s: reported and reaped */
	/* A tracer that is not its parent collects it first; its parent hears of it then
	 * (Linux: do_notify_parent from wait_task_zombie or the tracer's exit) */
	if (ptrace_hides_zombie(leader))
		return;
	task_notify_parent_exit(leader);
}

/* A process's end for its parent: its wait wakes, its exit signal, or nothing to wait for
 * when SIGCHLD is ignored (Linux do_notify_parent with autoreap). */
void
task_notify_parent_exit(struct task *leader)
{
	struct task *parent = leader->ppid ? task_lookup(leader->ppid) : NULL;
	if (parent && parent->state != TASK_ZOMBIE) {
		/* A parent that ignores SIGCHLD or set SA_NOCLDWAIT leaves no zombie to wait
		 * for (and no use in its RUSAGE_CHILDREN); SIG_IGN also sends nothing (Linux's
		 * do_notify_parent). */
		unsigned long h = parent->leader->sig_handlers[SIGCHLD - 1];
		bool autoreap = leader->exit_signal == SIGCHLD &&
				(h == (unsigned long)SIG_IGN ||
				 (parent->leader->sig_flags[SIGCHLD - 1] & SA_NOCLDWAIT));
		waitq_wake(&parent->child_wq);
		/* (no exit signal: the parent's threads are all gone) */
		if (leader->exit_signal && !(autoreap && h == (unsigned long)SIG_IGN)) {
			siginfo_t si;
			sig_info_exit(&si, leader->exit_signal, leader);
			/* (do_notify_parent: straight into the parent's view) */
			si.si_uid = userns_uid_out(parent, si.si_uid);
			task_send_signal(parent, leader->exit_signal, &si, true);
		}
		if (autoreap)
			task_reap(leader);
	} else if (!parent && leader != sentry.init && task_pid_ns(leader) != task_pid_ns(NULL)) {
		/* an orphan of a pid namespace whose init died: nobody is left to wait for it
		 * (Linux's dying init reaps them) */
		task_reap(leader);
	}
}

/* Linux forget_original_parent for one thread of a process that lives on: the processes
 * it forked go to another of its threads, and get their PR_SET_PDEATHSIG signal. */
static void
thread_orphans(struct task *t)
{
	struct task *c, *tmp, *heir = NULL;

	HASH_ITER(hh, sentry.tasks, c, tmp)
		if (c->tgid == t->tgid && c != t && c->ctx && c->state != TASK_ZOMBIE) {
			heir = c;
			break;
		}
	if (!heir)
		return; /* the last thread: process_died does the rest */
	HASH_ITER(hh, sentry.tasks, c, tmp) {
		if (c->leader != c || c->ppid != t->tgid || c->parent_tid != t->tid)
			continue;
		c->parent_tid = heir->tid;
		if (c->pdeath_sig && c->state != TASK_ZOMBIE) {
			siginfo_t si;
			sig_info_from(&si, c->pdeath_sig, SI_USER, t->leader);
			sig_fixup_uid(&si, t->leader, c);
			task_send_signal(c, c->pdeath_sig, &si, true);
		}
	}
}

/* Called when the task's host thread is gone: release what it held. */
void
task_exit(struct task *t, int wait_status)
{
	struct task *leader = t->leader;
	bool ran = t->ctx != NULL; /* (not a thread whose image an execve took over) */

	void (*cancel)(struct task *) = t->wait_cancel;

	t->wait_cancel = NULL;
	if (cancel) /* a blocked call's kept state (a lock request, a FIFO open) */
		cancel(t);
	if (ran)
		futex_task_gone(t);
	ptrace_exit(t, wait_status);
	task_unwait(t);
	task_vfork_release(t);
	task_rusage_thread_gone(t);
	release_resources(t);
	leader->live_threads--;
	if (ran && (t != leader || leader->live_threads > 0))
		thread_orphans(t);
	if (t != leader) {
		/* A thread other than the leader disappears at once. */
		if (WIFEXITED(wait_status) || WIFSIGNALED(wait_status))
			leader->exit_status = wait_status;
		t->exit_status = wait_status;
		task_free(t);
	} else {
		t->exited = true;
		t->exit_status = wait_status;
		task_set_state(t, TASK_ZOMBIE);
	}
	if (leader->live_threads == 0 && leader->exited) {
		process_died(leader);
		return;
	}
	if (t == leader)
		task_set_state(t, TASK_BLOCKED); /* a leader whose threads live on: not waitable yet */
	task_group_stop_check(leader); /* a stop may wait for no other thread now */
	vfs_pidfd_wake(); /* a thread's pidfd (PIDFD_THREAD) */
}

/* The clone failed (the host thread or process was never made, or died before its first
 * stop, as when its process was exiting): the task goes as if it had never been; its
 * leader counts one live thread less (init_child counted it). */
void
task_discard(struct task *t)
{
	if (t != t->leader)
		t->leader->live_threads--;
	release_resources(t);
	task_free(t);
}

void
task_reap(struct task *t)
{
	task_free(t);
	vfs_pidfd_wake();
}

int
task_count(void)
{
	return HASH_COUNT(sentry.tasks);
}

/* Bytes in the UTF-8 sequence at p (RFC 3629: no overlong forms, surrogates or code
 * points past U+10FFFF), or 0 if it is not one. */
static int
utf8_seq_len(const unsigned char *p)
{
	unsigned char lo = 0x80, hi = 0xbf;
	int len;

	if (*p < 0x80)
		return 1;
	if (*p >= 0xc2 && *p <= 0xdf)
		len = 2;
	else if (*p >= 0xe0 && *p <= 0xef)
		len = 3;
	else if (*p >= 0xf0 && *p <= 0xf4)
		len = 4;
	else
		return 0;
	if (*p == 0xe0)
		lo = 0xa0;
	else if (*p == 0xed)
		hi = 0x9f;
	else if (*p == 0xf0)
		lo = 0x90;
	else if (*p == 0xf4)
		hi = 0x8f;
	for (int i = 1; i < len; i++, lo = 0x80, hi = 0xbf)
		if (p[i] < lo || p[i] > hi)
			return 0;
	return len;
}

/* s as the contents of a JSON string: quotes, backslashes and control characters escaped,
 * valid UTF-8 kept, each byte that is not part of it as U+FFFD (JSON is UTF-8: a path or
 * comm with other bytes would make the whole line unreadable). Whole pieces only: a
 * sequence or escape that does not fit ends the text. */
static const char *
json_escape(const char *s, char *buf, size_t n)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t o = 0;

	while (p && *p) {
		char piece[8];
		int len = utf8_seq_len(p), k;

		if (*p == '"' || *p == '\\')
			k = snprintf(piece, sizeof(piece), "\\%c", *p);
		else if (*p < 0x20)
			k = snprintf(piece, sizeof(piece), "\\u%04x", *p);
		else if (len)
			memcpy(piece, p, len), k = len;
		else
			k = snprintf(piece, sizeof(piece), "\\ufffd"), len = 1;
		if (o + k >= n)
			break;
		memcpy(buf + o, piece, k);
		o += k;
		p += len ? len : 1;
	}
	if (n)
		buf[o] = '\0';
	return buf;
}

void
audit_denied(struct task *t, long nr, const char *name, int err, const char *why,
	     const char *args)
{
	char line[3072], esc[256], why_esc[1024], args_esc[1024] = "";
	struct timespec ts;

	sentry.denials++;
	if (sentry.denials_shared)
		*sentry.denials_shared = sentry.denials;
	if (sentry.opts.audit_fd < 0)
		return;
	clock_gettime(CLOCK_REALTIME, &ts);
	if (args)
		json_escape(args, args_esc, sizeof(args_esc));
	int n = snprintf(line, sizeof(line),
			 "{\"time\":%lld.%03ld,\"pid\":%d,\"tid\":%d,\"comm\":\"%s\",\"syscall\":\"%s\","
			 "\"nr\":%ld,%s%s%s\"errno\":\"%s\",\"reason\":\"%s\"}\n",
			 (long long)ts.tv_sec, ts.tv_nsec / 1000000, t ? t->tgid : 0, t ? t->tid : 0,
			 t ? json_escape(t->comm, esc, sizeof(esc)) : "", name ? name : "unknown", nr,
			 args ? "\"args\":\"" : "", args_esc, args ? "\"," : "",
			 !err ? "" : strerrorname_np(err) ? strerrorname_np(err) : "?",
			 json_escape(why ? why : "", why_esc, sizeof(why_esc)));
	write_all(sentry.opts.audit_fd, line, MIN(n, (int)sizeof(line) - 1));
}

/* The signals whose default action dumps core (Linux SIG_KERNEL_COREDUMP_MASK). */
static bool
core_signal(int sig)
{
	return sig == SIGQUIT || sig == SIGILL || sig == SIGTRAP || sig == SIGABRT ||
	       sig == SIGBUS || sig == SIGFPE || sig == SIGSEGV || sig == SIGXCPU ||
	       sig == SIGXFSZ || sig == SIGSYS;
}

/* Appends the text of printf's format to a core name (cut at its end). */
static void __attribute__((format(printf, 4, 5)))
core_name_add(char *name, size_t *len, size_t size, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	int n = vsnprintf(name + *len, size - *len, fmt, ap);
	va_end(ap);
	if (n > 0)
		*len = MIN(*len + (size_t)n, size - 1);
}

/* s with '/' as '!' (Linux cn_esc_printf), so a name stays one path component */
static void
core_name_esc(char *name, size_t *len, size_t size, const char *s)
{
	size_t from = *len;

	core_name_add(name, len, size, "%s", s);
	for (size_t i = from; i < *len; i++)
		if (name[i] == '/')
			name[i] = '!';
}

/* Linux format_corename: core_pattern with its specifiers filled in for t (ids as t's pid
 * namespace and user namespace see them, %P and %I as the sandbox's), and ".PID" when
 * core_uses_pid asks for it and the pattern has no %p. false: a pipe pattern, which
 * the sandbox does not run (no core). */
static bool
core_name(struct task *t, int sig, char *name, size_t size)
{
	const char *p = vfs_core_pattern();
	struct task *l = t->leader;
	size_t len = 0;
	bool pid_in = false;
	char exe[PATH_MAX];

	name[0] = '\0';
	if (p[0] == '|')
		return false;
	for (; *p && len < size - 1; p++) {
		if (*p != '%' || !p[1]) {
			name[len++] = *p;
			name[len] = '\0';
			continue;
		}
		switch (*++p) {
		case '%': core_name_add(name, &len, size, "%%"); break;
		case 'p': pid_in = true; core_name_add(name, &len, size, "%d", task_vnr(t, t->tgid)); break;
		case 'P': core_name_add(name, &len, size, "%d", t->tgid); break;
		case 'i': core_name_add(name, &len, size, "%d", task_vnr(t, t->tid)); break;
		case 'I': core_name_add(name, &len, size, "%d", t->tid); break;
		case 'u': core_name_add(name, &len, size, "%u", userns_uid_out(t, t->uid)); break;
		case 'g': core_name_add(name, &len, size, "%u", userns_gid_out(t, t->gid)); break;
		case 'd': core_name_add(name, &len, size, "%d", l->dumpable); break;
		case 's': core_name_add(name, &len, size, "%d", sig); break;
		case 't': core_name_add(name, &len, size, "%lld", (long long)time(NULL)); break;
		case 'h': core_name_esc(name, &len, size, uts_ns_of(t)->hostname); break;
		case 'e': core_name_esc(name, &len, size, t->comm); break;
		case 'E': /* (the executable's name now, as /proc/PID/exe) */
			core_name_esc(name, &len, size, !t->mm || !t->mm->exe_path ? "" :
				      vfs_where_name(t->mm->exe_where, t->mm->exe_path, exe,
						     sizeof(exe)));
			break;
		case 'c': core_name_add(name, &len, size, "%lu", (unsigned long)l->rlim[RLIMIT_CORE].rlim_cur);
			break;
		case 'C': core_name_add(name, &len, size, "%d", 0); break; /* (its CPU: one node) */
		default: break; /* Linux drops an unknown one */
		}
	}
	if (!pid_in && vfs_core_uses_pid())
		core_name_add(name, &len, size, ".%d", task_vnr(t, t->tgid));
	return name[0] != '\0';
}

/* The core file named by core_pattern (relative to t's working directory, or from its
 * root), made anew as Linux's do_coredump does (an old one is removed first;
 * O_EXCL|O_NOFOLLOW, mode 0600, a regular file): 0, or -errno. */
int
core_file_open(struct task *t, int sig, struct file **out)
{
	struct file *f = NULL;
	struct stat st;
	char name[256];

	if (!core_name(t, sig, name, sizeof(name)))
		return -EPERM;
	vfs_unlinkat(t, NULL, name, 0);
	int err = vfs_openat(t, NULL, name, O_CREAT | O_EXCL | O_WRONLY | O_NOFOLLOW, 0600, &f);
	if (err)
		return err;
	if (file_stat(f, &st) || !S_ISREG(st.st_mode) || st.st_nlink != 1) {
		file_put(f);
		return -EPERM;
	}
	*out = f;
	return 0;
}

/* Would the default action of sig dump core? */
bool
task_core_signal(int sig)
{
	return core_signal(sig);
}

/*
 * A thread of t's process was killed by sig: the wait status it leaves, with WCOREDUMP
 * when a core was dumped (task_dump_core, while the thread was stopped for the signal) or
 * is dumped now: the process is dumpable, RLIMIT_CORE is at least a page, and "core" could
 * be made (core_file_open). Dumped now, when the process is gone (a kill the sandbox made,
 * no signal stop first), the file holds an ELF core header only (no notes or memory).
 * The process dumps once: its other threads take the first one's result.
 */
int
task_core_status(struct task *t, int status)
{
	struct task *l = t->leader;
	int sig = WTERMSIG(status);

	if (!WIFSIGNALED(status) || WCOREDUMP(status) || !core_signal(sig))
		return status;
	if (l->core_sig)
		return l->core_sig == sig ? status | 0x80 : status;
	if (!l->dumpable || l->rlim[RLIMIT_CORE].rlim_cur < PAGE_SIZE || !t->fs)
		return status;
	struct file *f = NULL;
	if (core_file_open(t, sig, &f))
		return status;
	bool ok = true;
	Elf64_Ehdr eh = {
		.e_ident = { ELFMAG0, ELFMAG1, ELFMAG2, ELFMAG3, ELFCLASS64, ELFDATA2LSB, EV_CURRENT,
			     ELFOSABI_NONE },
		.e_type = ET_CORE,
		.e_machine = EM_X86_64,
		.e_version = EV_CURRENT,
		.e_ehsize = sizeof(Elf64_Ehdr),
		.e_phentsize = sizeof(Elf64_Phdr),
	};
	ok = ok && file_write(f, &eh, sizeof(eh)) == (ssize_t)sizeof(eh);
	file_put(f);
	if (!ok)
		return status;
	l->core_sig = sig;
	return status | 0x80;
}
