/* Processes and identity: ids, exit, uname, limits, prctl, scheduling queries. */
#include <asm/prctl.h>
#include <linux/capability.h>
#include <sys/ioctl.h>
#include <linux/kcmp.h>
#include <linux/reboot.h>
#include <sched.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/sysinfo.h>
#include <linux/seccomp.h>
#include <sys/syscall.h>
#include <sys/times.h>
#include <sys/utsname.h>
#include <sys/wait.h>

#include "fs/tty.h"
#include "fs/vfs.h"
#include "platform/platform.h"
#include "sentry/ns.h"
#include "syscalls/internal.h"

#define NGROUPS_MAX_ 65536 /* Linux NGROUPS_MAX */

/* pids as the caller's pid namespace sees them (a parent outside it: 0) */
SYSCALL(getpid) { return task_vnr(t, t->tgid); }
SYSCALL(gettid) { return task_vnr(t, t->tid); }
SYSCALL(getppid) { return task_vnr(t, t->ppid); }
/* Ids go out and come in through the caller's user namespace (sentry/userns.c). */
SYSCALL(getuid) { return userns_uid_out(t, t->uid); }
SYSCALL(geteuid) { return userns_uid_out(t, t->euid); }
SYSCALL(getgid) { return userns_gid_out(t, t->gid); }
SYSCALL(getegid) { return userns_gid_out(t, t->egid); }
SYSCALL(getpgrp) { return task_vnr(t, t->pgid); }

static int
put_ids(struct task *t, const struct sysargs *a, unsigned r, unsigned e, unsigned s)
{
	unsigned ids[3] = { r, e, s };
	for (int i = 0; i < 3; i++)
		if (copy_to_guest(t, a->a[i], &ids[i], sizeof(ids[i])))
			return -EFAULT;
	return 0;
}

SYSCALL(getresuid)
{
	return put_ids(t, a, userns_uid_out(t, t->uid), userns_uid_out(t, t->euid),
		       userns_uid_out(t, t->suid));
}

SYSCALL(getresgid)
{
	return put_ids(t, a, userns_gid_out(t, t->gid), userns_gid_out(t, t->egid),
		       userns_gid_out(t, t->sgid));
}

SYSCALL(getgroups)
{
	int size = (int)a->a[0];
	if (size < 0)
		return -EINVAL;
	if (size == 0)
		return t->ngroups;
	if (size < t->ngroups)
		return -EINVAL;
	_cleanup_free_ gid_t *out = t->ngroups ? xmalloc(t->ngroups * sizeof(gid_t)) : NULL;
	for (int i = 0; i < t->ngroups; i++)
		out[i] = userns_gid_out(t, t->groups[i]);
	if (t->ngroups && copy_to_guest(t, a->a[1], out, t->ngroups * sizeof(gid_t)))
		return -EFAULT;
	return t->ngroups;
}

/* Linux's set*id calls: the filesystem id becomes the (new) effective one */
static void
set_fsid(struct task *t, const unsigned *e)
{
	if (e == &t->euid)
		t->fsuid = *e;
	else
		t->fsgid = *e;
}

/* Identity changes: only what an unprivileged Linux process could do (each new id one of
 * the current three), or anything with cap (CAP_SETUID / CAP_SETGID). -1 keeps an id. */
/* The kernel id of id (a uid with CAP_SETUID, else a gid) in t's user namespace; -1 and
 * 0xffffffff stay as they are (no change); an id the namespace does not map is -EINVAL. */
static long
id_in(struct task *t, long id, int cap)
{
	if (id == -1 || (unsigned)id == 0xffffffffu)
		return id;
	if (id < 0 || id > 0xfffffffe)
		return -EINVAL - 0x100000000L;
	long k = cap == CAP_SETUID ? userns_uid_in(t, (unsigned)id) : userns_gid_in(t, (unsigned)id);
	return k < 0 ? -EINVAL - 0x100000000L : k;
}

/* CAP_SETUID / CAP_SETGID in t's own user namespace. */
static bool
setid_capable(struct task *t, int cap)
{
	return task_ns_capable(t, ns_of(t, NS_USER), cap);
}

static long
set_id(struct task *t, unsigned *r, unsigned *e, unsigned *s, long nr, long ne, long ns, int cap)
{
	bool priv = setid_capable(t, cap);
	long want[3] = { id_in(t, nr, cap), id_in(t, ne, cap), id_in(t, ns, cap) };
	unsigned cur[3] = { *r, *e, *s };

	for (int i = 0; i < 3; i++) {
		if (want[i] == -1 || (unsigned)want[i] == 0xffffffffu)
			continue;
		if (want[i] < 0 || want[i] > 0xfffffffe)
			return -EINVAL;
		if (!priv && want[i] != cur[0] && want[i] != cur[1] && want[i] != cur[2])
			return -EPERM;
	}
	for (int i = 0; i < 3; i++) {
		if (want[i] == -1 || (unsigned)want[i] == 0xffffffffu)
			continue;
		unsigned *dst = i == 0 ? r : i == 1 ? e : s;
		*dst = want[i];
	}
	/* Linux commit_creds: a new effective id makes the process not dumpable
	 * (fs.suid_dumpable is 0) */
	if (*e != cur[1])
		t->leader->dumpable = 0;
	set_fsid(t, e);
	return 0;
}

static long
set_uids(struct task *t, long nr, long ne, long ns)
{
	uid_t r = t->uid, e = t->euid, s = t->suid;
	long err = set_id(t, &t->uid, &t->euid, &t->suid, nr, ne, ns, CAP_SETUID);

	if (!err)
		task_caps_setuid(t, r, e, s);
	return err;
}

/* setreuid/setregid: unprivileged, the real id may become the effective one and the
 * effective id any of the three; the saved id follows the new effective id when the real
 * one is set or the effective one set to other than the old real id. */
static long
set_re(struct task *t, unsigned *r, unsigned *e, unsigned *s, long nr, long ne, int cap)
{
	bool priv = setid_capable(t, cap);

	nr = id_in(t, nr, cap);
	ne = id_in(t, ne, cap);
	bool set_r = nr != -1 && (unsigned)nr != 0xffffffffu;
	bool set_e = ne != -1 && (unsigned)ne != 0xffffffffu;

	if ((set_r && (nr < 0 || nr > 0xfffffffe)) || (set_e && (ne < 0 || ne > 0xfffffffe)))
		return -EINVAL;
	if (!priv && set_r && (unsigned)nr != *r && (unsigned)nr != *e)
		return -EPERM;
	if (!priv && set_e && (unsigned)ne != *r && (unsigned)ne != *e && (unsigned)ne != *s)
		return -EPERM;
	unsigned old_r = *r;
	if (set_r)
		*r = nr;
	if (set_e)
		*e = ne;
	if (set_r || (set_e && (unsigned)ne != old_r))
		*s = *e;
	set_fsid(t, e);
	return 0;
}

/* Ids are unsigned 32-bit: (uid_t)-1 alone means "unchanged"; 4294967294 is an id. */
SYSCALL(setresuid) { return set_uids(t, (unsigned)a->a[0], (unsigned)a->a[1], (unsigned)a->a[2]); }
SYSCALL(setresgid) { return set_id(t, &t->gid, &t->egid, &t->sgid, (unsigned)a->a[0], (unsigned)a->a[1], (unsigned)a->a[2], CAP_SETGID); }

SYSCALL(setreuid)
{
	uid_t r = t->uid, e = t->euid, s = t->suid;
	long err = set_re(t, &t->uid, &t->euid, &t->suid, (unsigned)a->a[0], (unsigned)a->a[1], CAP_SETUID);

	if (!err)
		task_caps_setuid(t, r, e, s);
	return err;
}

SYSCALL(setregid) { return set_re(t, &t->gid, &t->egid, &t->sgid, (unsigned)a->a[0], (unsigned)a->a[1], CAP_SETGID); }

/* setuid/setgid: -1 is no id here (EINVAL); with the capability all three ids change,
 * else only the effective one, to the real or saved id. */
SYSCALL(setuid)
{
	unsigned id = (unsigned)a->a[0];

	if (id == (unsigned)-1)
		return -EINVAL;
	long k = userns_uid_in(t, id);
	if (k < 0)
		return -EINVAL;
	if (setid_capable(t, CAP_SETUID))
		return set_uids(t, id, id, id);
	if ((uid_t)k != t->uid && (uid_t)k != t->suid)
		return -EPERM;
	return set_uids(t, -1, id, -1);
}

SYSCALL(setgid)
{
	unsigned id = (unsigned)a->a[0];

	if (id == (unsigned)-1)
		return -EINVAL;
	long k = userns_gid_in(t, id);
	if (k < 0)
		return -EINVAL;
	if (setid_capable(t, CAP_SETGID))
		return set_id(t, &t->gid, &t->egid, &t->sgid, id, id, id, CAP_SETGID);
	if ((gid_t)k != t->gid && (gid_t)k != t->sgid)
		return -EPERM;
	return set_id(t, &t->gid, &t->egid, &t->sgid, -1, id, -1, CAP_SETGID);
}

/*
 * setfsuid/setfsgid (Linux __sys_setfsuid): the old id is returned whatever happens; the
 * new one is taken if it is the real, effective, saved or current filesystem id, or with
 * CAP_SETUID / CAP_SETGID; -1 changes nothing. A root filesystem uid gives the filesystem
 * capabilities, leaving it takes them (cap_task_fix_setuid); a change makes the process
 * not dumpable.
 */
SYSCALL(setfsuid)
{
	uid_t old = t->fsuid, ret = userns_uid_out(t, old);
	long k = userns_uid_in(t, (uid_t)a->a[0]);

	if ((uid_t)a->a[0] == (uid_t)-1 || k < 0 || (uid_t)k == old)
		return ret;
	uid_t id = (uid_t)k;
	if (id != t->uid && id != t->euid && id != t->suid && !setid_capable(t, CAP_SETUID))
		return ret;
	t->fsuid = id;
	task_caps_setfsuid(t, old);
	t->leader->dumpable = 0;
	return ret;
}

SYSCALL(setfsgid)
{
	gid_t old = t->fsgid, ret = userns_gid_out(t, old);
	long k = userns_gid_in(t, (gid_t)a->a[0]);

	if ((gid_t)a->a[0] == (gid_t)-1 || k < 0 || (gid_t)k == old)
		return ret;
	gid_t id = (gid_t)k;
	if (id != t->gid && id != t->egid && id != t->sgid && !setid_capable(t, CAP_SETGID))
		return ret;
	t->fsgid = id;
	t->leader->dumpable = 0;
	return ret;
}

static int
gid_cmp(const void *x, const void *y)
{
	gid_t a = *(const gid_t *)x, b = *(const gid_t *)y;

	return a < b ? -1 : a > b;
}

/* The calling thread's supplementary groups (glibc tells every thread); kept sorted, as
 * Linux keeps them, so getgroups returns them in ascending order. */
SYSCALL(setgroups)
{
	int n = (int)a->a[0];
	gid_t *g = NULL;

	/* Linux may_setgroups: CAP_SETGID in the caller's user namespace, whose gid map
	 * is written and which allows setgroups */
	if (!setid_capable(t, CAP_SETGID) || !userns_may_setgroups(t))
		return -EPERM;
	if (n < 0 || n > NGROUPS_MAX_)
		return -EINVAL;
	if (n) {
		g = xmalloc(n * sizeof(gid_t));
		if (copy_from_guest(t, g, a->a[1], n * sizeof(gid_t))) {
			free(g);
			return -EFAULT;
		}
		for (int i = 0; i < n; i++) {
			long k = userns_gid_in(t, g[i]);
			if (k < 0) {
				free(g);
				return -EINVAL;
			}
			g[i] = (gid_t)k;
		}
		qsort(g, n, sizeof(gid_t), gid_cmp);
	}
	free(t->groups);
	t->groups = g;
	t->ngroups = n;
	return 0;
}

/* (a zombie keeps its group and session until it is reaped, as in Linux) */
SYSCALL(getpgid)
{
	int pid = (int)a->a[0];
	struct task *p = pid == 0 ? t : task_lookup_vnr(t, pid);
	return p ? task_vnr(t, p->pgid) : -ESRCH;
}

SYSCALL(getsid)
{
	int pid = (int)a->a[0];
	struct task *p = pid == 0 ? t : task_lookup_vnr(t, pid);
	return p ? task_vnr(t, p->sid) : -ESRCH;
}

/* Sets the group of every thread of process p. */
static void
set_pgid(struct task *p, int pgid, int sid)
{
	struct task *q, *tmp;

	HASH_ITER(hh, sentry.tasks, q, tmp) {
		if (q->tgid == p->tgid) {
			q->pgid = pgid;
			q->sid = sid;
		}
	}
}

/* Linux setpgid: the caller or a child of it (not yet exec'd: not checked) in the same
 * session, never a session leader, into a group of that session. */
SYSCALL(setpgid)
{
	int pid = (int)a->a[0], pgid = (int)a->a[1];
	struct task *p, *q, *tmp, *me = t->leader;

	if (pgid < 0)
		return -EINVAL;
	p = pid ? task_lookup_vnr(t, pid) : me;
	if (!p)
		return -ESRCH;
	pid = p->tid; /* numbers from here on are sandbox-wide */
	if (!pgid)
		pgid = pid;
	else if (!(pgid = pidns_global(task_pid_ns(t), pgid)))
		pgid = -1; /* no such group in the caller's namespace: EPERM below */
	if (p->leader != p)
		return -EINVAL;
	if (p->ppid == me->tgid && p != me) {
		if (p->sid != me->sid)
			return -EPERM;
		if (p->did_exec)
			return -EACCES; /* a child that ran execve keeps its group */
	} else if (p != me) {
		return -ESRCH;
	}
	if (p->sid == p->tgid)
		return -EPERM; /* a session leader cannot change its group */
	if (pgid != pid) {
		bool found = false;

		HASH_ITER(hh, sentry.tasks, q, tmp)
			if (q->pgid == pgid && q->sid == me->sid)
				found = true;
		if (!found)
			return -EPERM;
	}
	set_pgid(p, pgid, p->sid);
	return 0;
}

SYSCALL(setsid)
{
	struct task *p, *tmp, *me = t->leader;

	HASH_ITER(hh, sentry.tasks, p, tmp)
		if (p->pgid == me->tgid)
			return -EPERM; /* already a group leader, or the group exists */
	set_pgid(me, me->tgid, me->tgid);
	tty_setsid(t);
	return task_vnr(t, me->tgid);
}

/* exit/exit_group: record nothing special; the host ends the stub and the loop reaps it. */
SYSCALL(exit_group)
{
	futex_exit(t, true);
	return sysret(SYSRET_NATIVE);
}

/* Linux kernel/reboot.c: privilege first, then the magic numbers; what follows is the
 * pid namespace's (pidns_reboot). The machine itself is not the guest's to restart. */
SYSCALL(reboot)
{
	unsigned int magic1 = (unsigned int)a->a[0], magic2 = (unsigned int)a->a[1];

	if (!pidns_reboot_capable(t))
		return -EPERM;
	if (magic1 != LINUX_REBOOT_MAGIC1 ||
	    (magic2 != LINUX_REBOOT_MAGIC2 && magic2 != LINUX_REBOOT_MAGIC2A &&
	     magic2 != LINUX_REBOOT_MAGIC2B && magic2 != LINUX_REBOOT_MAGIC2C))
		return -EINVAL;
	int r = pidns_reboot(t, (unsigned int)a->a[2]);
	if (r == 0) {
		audit_call(t, a, "reboot", EPERM, "denied by policy");
		return -EPERM;
	}
	return r < 0 ? r : 0; /* (1: the caller is being killed; nobody sees the result) */
}

SYSCALL(exit)
{
	futex_exit(t, false);
	t->exit_called = true;
	return sysret(SYSRET_NATIVE);
}

SYSCALL(uname)
{
	struct utsname u = sentry.uts;
	struct uts_ns *ns = uts_ns_of(t);

	snprintf(u.nodename, sizeof(u.nodename), "%s", ns->hostname);
	snprintf(u.domainname, sizeof(u.domainname), "%s", ns->domainname);
	return copy_to_guest(t, a->a[0], &u, sizeof(u)) ? -EFAULT : 0;
}

/* syslog(2) over the sandbox's own kernel log: a few lines the sentry wrote at start (the
 * host's log is not the guest's business). As on a host with kernel.dmesg_restrict set
 * (Debian's default), every action needs privilege, checked before the action itself. */
#define KLOG_BUF_LEN (128 * 1024) /* CONFIG_LOG_BUF_SHIFT 17 */

static struct {
	char text[512];
	size_t len, cleared, read; /* READ_ALL starts at cleared, READ at read */
	bool made;
} klog;

static void
klog_make(void)
{
	if (klog.made)
		return;
	klog.made = true;
	klog.len = (size_t)snprintf(klog.text, sizeof(klog.text),
		"<5>[    0.000000] Linux version %s (sandbox sentry) %s\n"
		"<6>[    0.000000] Command line: sandbox\n"
		"<6>[    0.000000] sandbox: system calls are served by the sentry\n",
		sentry.uts.release, sentry.uts.version);
	klog.len = MIN(klog.len, sizeof(klog.text) - 1);
}

SYSCALL(syslog)
{
	int type = (int)a->a[0], len = (int)a->a[2];
	unsigned long buf = a->a[1];
	size_t from, n;

	if (t->euid != 0)
		return -EPERM;
	klog_make();
	switch (type) {
	case 0: /* SYSLOG_ACTION_CLOSE */
	case 1: /* OPEN */
	case 6: /* CONSOLE_OFF */
	case 7: /* CONSOLE_ON */
		return 0;
	case 8: /* CONSOLE_LEVEL */
		return len < 1 || len > 8 ? -EINVAL : 0;
	case 5: /* CLEAR */
		klog.cleared = klog.len;
		return 0;
	case 9: /* SIZE_UNREAD */
		return (long)(klog.len - klog.read);
	case 10: /* SIZE_BUFFER */
		return KLOG_BUF_LEN;
	case 2: /* READ */
	case 3: /* READ_ALL */
	case 4: /* READ_CLEAR */
		break;
	default:
		return -EINVAL;
	}
	if (!buf || len < 0)
		return -EINVAL;
	if (len == 0)
		return 0;
	from = type == 2 ? klog.read : klog.cleared;
	n = klog.len - from;
	if (type != 2 && n > (size_t)len) {
		/* the newest whole lines that fit */
		from = klog.len - (size_t)len;
		while (from < klog.len && from > 0 && klog.text[from - 1] != '\n')
			from++;
		n = klog.len - from;
	}
	n = MIN(n, (size_t)len);
	if (type == 2 && n == 0)
		return 0; /* nothing unread: Linux would wait for a new message, which never comes */
	if (copy_to_guest(t, buf, klog.text + from, n))
		return -EFAULT;
	if (type == 2)
		klog.read += n;
	if (type == 4)
		klog.cleared = klog.len;
	return (long)n;
}

/* sethostname/setdomainname: the names of the caller's UTS namespace (sentry/ns.c). */
static long
set_uts_name(struct task *t, const struct sysargs *a, bool domain)
{
	char *to = domain ? uts_ns_of(t)->domainname : uts_ns_of(t)->hostname;
	size_t len = a->a[1];
	char name[65];

	if (!task_capable_in(t, NS_UTS, CAP_SYS_ADMIN))
		return -EPERM;
	if (len > 64)
		return -EINVAL;
	if (copy_from_guest(t, name, a->a[0], len))
		return -EFAULT;
	name[len] = '\0';
	memcpy(to, name, len + 1);
	return 0;
}

SYSCALL(sethostname)
{
	long r = set_uts_name(t, a, false);

	if (r == 0)
		procfs_uts_changed(false);
	return r;
}

SYSCALL(setdomainname)
{
	long r = set_uts_name(t, a, true);

	if (r == 0)
		procfs_uts_changed(true);
	return r;
}

/* Has the image the kernel's vDSO or its data pages mapped (Linux map_vdso_once)? */
static bool
vdso_mapped(struct task *t)
{
	for (int i = 0; t->mm && i < t->mm->nvmas; i++) {
		const struct vma *v = &t->mm->vmas[i];
		if (v->name && (!strcmp(v->name->path, "[vdso]") ||
				!strncmp(v->name->path, "[vvar", 5)))
			return true;
	}
	return false;
}

SYSCALL(arch_prctl)
{
	switch (a->a[0]) {
	/* a second vDSO: EEXIST while one is mapped, as Linux; one mapped again after the
	 * guest unmapped it (CRIU's restore) is not supported: the host would choose where */
	case ARCH_MAP_VDSO_X32:
	case ARCH_MAP_VDSO_32:
	case ARCH_MAP_VDSO_64:
		return vdso_mapped(t) ? -EEXIST : -EINVAL;
	case ARCH_SET_FS:
	case ARCH_GET_FS:
	case ARCH_SET_GS:
	case ARCH_GET_GS:
	case ARCH_GET_CPUID:
	case ARCH_SET_CPUID:
	/* the dynamic XSTATE features (AMX): the permission is the host process's, whose
	 * kernel saves the state and builds the signal frames (checking the threads'
	 * sigaltstacks, which are its own too); a fork there inherits it, and execve's new
	 * stub starts without it, as Linux's execve resets it (fpu_flush_thread) */
	case ARCH_GET_XCOMP_SUPP:
	case ARCH_GET_XCOMP_PERM:
	case ARCH_REQ_XCOMP_PERM:
	case ARCH_GET_XCOMP_GUEST_PERM:
	case ARCH_REQ_XCOMP_GUEST_PERM:
		return sysret(SYSRET_NATIVE);
	default:
		return -EINVAL;
	}
}

/* The kernel keeps clear_child_tid for thread exit; the guest sees its virtual tid. Its
 * clearing and futex wake at thread exit matter only to another thread (or a process
 * sharing the memory): while there is none, the address waits in the task for the first
 * clone that makes one (task_ctid_apply), and the call needs no injection. */
SYSCALL(set_tid_address)
{
	if (t == t->leader && t->live_threads == 1 && t->mm && t->mm->refs == 1) {
		t->ctid_pending = true;
		t->ctid_addr = a->a[0];
		return task_vnr(t, t->tid);
	}
	long r = plat_inject(t->ctx, __NR_set_tid_address, a->a[0], 0, 0, 0, 0, 0);
	return r < 0 ? r : task_vnr(t, t->tid);
}

int
task_ctid_apply(struct task *t)
{
	if (!t->ctid_pending)
		return 0;
	t->ctid_pending = false;
	long r = plat_inject(t->ctx, __NR_set_tid_address, t->ctid_addr, 0, 0, 0, 0, 0);
	return r < 0 ? (int)r : 0;
}

static bool
pid_is_self(struct task *t, long pid)
{
	return pid == 0 || (int)pid == task_vnr(t, t->tgid) || (int)pid == task_vnr(t, t->tid);
}

/* For the calls that act on one thread (affinity, capabilities): the process id names the
 * main thread, not the caller, as Linux's find_task_by_vpid. */
static bool
tid_is_self(struct task *t, long pid)
{
	return pid == 0 || (int)pid == task_vnr(t, t->tid);
}

/* The guest's RLIMIT_STACK on its stub's host process, whose kernel grows the initial stack
 * (mm.c: STACK_MAP_FLAGS) and stops it there with SIGSEGV, as Linux: the soft limit, never
 * past the hard one the stubs have (only the guest's own setrlimit raises that). other: p's
 * stub is not stopped for the sentry (a prlimit64 from another process). */
static void
apply_stack_rlimit(struct task *p, bool other)
{
	const struct rlimit *l = &p->leader->rlim[RLIMIT_STACK];
	unsigned long max = sentry.host_stack.rlim_max, cur = MIN(l->rlim_cur, max);

	if (!p->ctx)
		return;
	int err = other ? plat_set_rlimit_other(p->ctx, RLIMIT_STACK, cur, max)
			: plat_set_rlimit(p->ctx, RLIMIT_STACK, cur, max);
	if (err)
		log_debug("RLIMIT_STACK of task %d on the host: %s", p->tid, strerror(-err));
}

/* A guest changed RLIMIT_SIGPENDING: from then on stubs get theirs on the host too. */
static bool sigpending_set;

/* Linux do_prlimit for the process of thread p, by the caller t: nl (if set) replaces its
 * limit of res, old (if set) gets the limit it had. */
static long
do_prlimit(struct task *t, struct task *p, int res, const struct rlimit *nl, struct rlimit *old)
{
	if (res < 0 || res >= RLIM_NLIMITS)
		return -EINVAL;
	struct rlimit *cur = &p->leader->rlim[res];
	if (nl) {
		if (nl->rlim_cur > nl->rlim_max)
			return -EINVAL;
		if (res == RLIMIT_NOFILE && nl->rlim_max > (rlim_t)procfs_nr_open())
			return -EPERM;
		if (nl->rlim_max > cur->rlim_max && !task_capable(t, CAP_SYS_RESOURCE))
			return -EPERM;
	}
	if (old)
		*old = *cur;
	if (!nl)
		return 0;
	*cur = *nl; /* per process, as Linux */
	if (res == RLIMIT_SIGPENDING)
		sigpending_set = true;
	if (p->leader == t->leader) {
		sentry.rlim[res] = *nl;
		if (res == RLIMIT_NOFILE)
			fdt_set_max_fds(nl->rlim_cur);
		if (res == RLIMIT_CPU || res == RLIMIT_SIGPENDING)
			task_apply_rlimits(t);
		if (res == RLIMIT_STACK)
			apply_stack_rlimit(t, false);
	} else if (res == RLIMIT_STACK) {
		apply_stack_rlimit(p, true);
	} else if ((res == RLIMIT_CPU || res == RLIMIT_SIGPENDING) && p->ctx) {
		int err = plat_set_rlimit_other(p->ctx, res, nl->rlim_cur, nl->rlim_max);
		if (err)
			log_debug("prlimit of task %d on the host: %s", p->tid, strerror(-err));
	}
	return 0;
}

/* The limits the stub's host kernel enforces for the guest: RLIMIT_CPU (SIGXCPU at the
 * soft limit and every second after, SIGKILL at the hard one), for the whole process as
 * Linux counts it; the sandbox's own --cpu-time fence stays below. RLIMIT_SIGPENDING once
 * a guest set one: signals are queued by the stubs' host kernel, which counts them per
 * user and refuses a real-time one past the receiver's limit (EAGAIN) as Linux does. */
void
task_apply_rlimits(struct task *t)
{
	const struct rlimit *l = &t->leader->rlim[RLIMIT_CPU];

	if (!t->ctx)
		return;
	plat_set_rlimit(t->ctx, RLIMIT_CPU, l->rlim_cur, l->rlim_max);
	l = &t->leader->rlim[RLIMIT_SIGPENDING];
	if (sigpending_set)
		plat_set_rlimit(t->ctx, RLIMIT_SIGPENDING, l->rlim_cur, l->rlim_max);
}

void
task_apply_rlimits_new_stub(struct task *t)
{
	const struct rlimit *l = &t->leader->rlim[RLIMIT_CPU];

	if (sigpending_set || l->rlim_cur != RLIM_INFINITY || l->rlim_max != RLIM_INFINITY)
		task_apply_rlimits(t);
	if (t->ctx && MIN(t->leader->rlim[RLIMIT_STACK].rlim_cur, sentry.host_stack.rlim_max) !=
		      sentry.host_stack.rlim_cur)
		apply_stack_rlimit(t, false);
}

/* Linux check_prlimit_permission: another thread's process limits are for a caller whose
 * real uid and gid are all of the target's ids, or with CAP_SYS_RESOURCE in the target's
 * user namespace. */
static bool
prlimit_allowed(struct task *t, struct task *p)
{
	if (p == t)
		return true;
	if (t->uid == p->uid && t->uid == p->euid && t->uid == p->suid && t->gid == p->gid &&
	    t->gid == p->egid && t->gid == p->sgid)
		return true;
	return task_ns_capable(t, ns_of(p, NS_USER), CAP_SYS_RESOURCE);
}

/* Linux's order: the new limit is read, the target found and checked, the limit set, then
 * the old one written (an EFAULT there leaves the new one set). A zombie not yet reaped
 * still has its limits. */
SYSCALL(prlimit64)
{
	struct rlimit nl, old;
	struct task *p = pid_is_self(t, a->a[0]) ? t : task_lookup_vnr(t, (int)a->a[0]);

	if (a->a[2] && copy_from_guest(t, &nl, a->a[2], sizeof(nl)))
		return -EFAULT;
	if (!p || (int)a->a[0] < 0)
		return -ESRCH;
	if (!prlimit_allowed(t, p))
		return -EPERM;
	long r = do_prlimit(t, p, (int)a->a[1], a->a[2] ? &nl : NULL, a->a[3] ? &old : NULL);
	if (r == 0 && a->a[3] && copy_to_guest(t, a->a[3], &old, sizeof(old)))
		return -EFAULT;
	return r;
}

SYSCALL(getrlimit)
{
	struct rlimit old;
	long r = do_prlimit(t, t, (int)a->a[0], NULL, &old);

	if (r == 0 && copy_to_guest(t, a->a[1], &old, sizeof(old)))
		return -EFAULT;
	return r;
}

SYSCALL(setrlimit)
{
	struct rlimit nl;

	if (copy_from_guest(t, &nl, a->a[1], sizeof(nl)))
		return -EFAULT;
	return do_prlimit(t, t, (int)a->a[0], &nl, NULL);
}

/* Queries about the caller only: run them in the stub after checking the pid. */
SYSCALL(self_native)
{
	return pid_is_self(t, a->a[0]) ? sysret(SYSRET_NATIVE) : -ESRCH;
}

/* The CPUs the guest may use: those of the sandbox's caller, recorded before the sandbox
 * pinned its stubs to one (sentry/main.c); NULL if unknown. */
static const unsigned long *
guest_cpus(void)
{
	for (size_t i = 0; i < ARRAY_SIZE(sentry.guest_cpus); i++)
		if (sentry.guest_cpus[i])
			return sentry.guest_cpus;
	return NULL;
}

/* The thread a sched_*affinity pid names (0: the caller), or NULL; a zombie not yet reaped
 * still answers, as Linux finds it by pid until then. */
static struct task *
affinity_target(struct task *t, unsigned long pid)
{
	return tid_is_self(t, pid) ? t : task_lookup_vnr(t, (int)pid);
}

/* The kernel checks the size and says how much it copies; the mask is the thread's own
 * after sched_setaffinity, else every CPU the guest may use (never the pin). */
SYSCALL(sched_getaffinity)
{
	struct task *p = affinity_target(t, a->a[0]);

	/* Linux checks the size before it looks the pid up: the host's checks, on the
	 * caller, with no buffer (EFAULT once they pass) */
	if (!p) {
		long r = plat_inject(t->ctx, a->nr, 0, a->a[1], 0, 0, 0, 0);
		return r == -EFAULT ? -ESRCH : r;
	}
	/* The size checks are the host's (in the caller's stub), once: its answer to a buffer
	 * larger than its mask is the mask's size, which then serves every call with a buffer
	 * at least that large (a multiple of 8, as Linux wants). */
	static long mask_size;
	unsigned long len = (unsigned int)a->a[1];
	const unsigned long *cpus = p->cpus_set ? p->cpus : guest_cpus();
	long r;
	if (cpus && mask_size && mask_size <= (long)sizeof(t->cpus) &&
	    len >= (unsigned long)mask_size && !(len & 7)) {
		r = mask_size; /* (all of it written below) */
	} else {
		r = plat_inject(t->ctx, a->nr, 0, a->a[1], a->a[2], 0, 0, 0);
		if (r > 0 && (unsigned long)r < len)
			mask_size = r;
	}
	if (r > 0 && cpus &&
	    copy_to_guest(t, a->a[2], cpus, MIN((size_t)r, sizeof(t->cpus))))
		return -EFAULT;
	return r;
}

/* Kept in the sentry (the host pinning of the stubs is the sandbox's): the guest's mask
 * within the CPUs it may use, EINVAL if none is left, as Linux's cpuset check. */
SYSCALL(sched_setaffinity)
{
	unsigned long want[ARRAY_SIZE(t->cpus)] = { 0 };
	const unsigned long *allowed = guest_cpus();
	size_t len = MIN((size_t)a->a[1], sizeof(want));
	bool any = false;
	struct task *p;

	/* Linux's order: the mask is read, then the pid looked up, then the caller checked
	 * (check_same_owner, else CAP_SYS_NICE over the target: euid 0 without it is not
	 * enough) */
	if (copy_from_guest(t, want, a->a[2], len))
		return -EFAULT;
	p = affinity_target(t, a->a[0]);
	if (!p)
		return -ESRCH;
	if (t->euid != p->uid && t->euid != p->euid &&
	    !task_ns_capable(t, ns_of(p, NS_USER), CAP_SYS_NICE))
		return -EPERM;
	for (size_t i = 0; i < ARRAY_SIZE(want); i++) {
		if (allowed)
			want[i] &= allowed[i];
		any |= want[i] != 0;
	}
	if (!any)
		return -EINVAL;
	memcpy(p->cpus, want, sizeof(want));
	p->cpus_set = true;
	task_apply_cpus(p);
	return 0;
}

/* A thread the guest restricted to fewer CPUs than it may use runs on those on the host
 * (sched_getcpu and rseq's cpu_id must name one of them); else the sandbox places it. */
void
task_apply_cpus(struct task *t)
{
	const unsigned long *allowed = guest_cpus();
	bool all = !t->cpus_set || !allowed || !memcmp(t->cpus, allowed, sizeof(t->cpus));

	if (!t->ctx)
		return;
	plat_set_cpus(t->ctx, all ? NULL : t->cpus, ARRAY_SIZE(t->cpus));
}
/* Scheduling policies are the sentry's, per thread like nice: the guest sees what it set
 * (ps, chrt, /proc/PID/stat), and the host threads keep the sandbox's own policy (a guest
 * must not take the host's CPUs with SCHED_FIFO). */

/* The thread a sched_* pid names (0: the caller): a negative pid is EINVAL, a missing one
 * ESRCH; a zombie still answers, as on Linux until it is reaped. */
static long
sched_target(struct task *t, long pid, struct task **out)
{
	if ((int)pid < 0)
		return -EINVAL;
	*out = (int)pid == 0 ? t : task_lookup_vnr(t, (int)pid);
	return *out ? 0 : -ESRCH;
}

#ifndef SCHED_DEADLINE
#define SCHED_DEADLINE 6
#endif
#define SCHED_FLAG_RESET_ON_FORK_ 0x01
#define SCHED_FLAG_KEEP_POLICY_ 0x08
#define SCHED_FLAG_KEEP_PARAMS_ 0x10
#define SCHED_FLAG_ALL_ 0x7f
#define SCHED_ATTR_SIZE_VER0_ 48

struct sched_attr_ {
	uint32_t size;
	uint32_t sched_policy;
	uint64_t sched_flags;
	int32_t sched_nice;
	uint32_t sched_priority;
	uint64_t sched_runtime;
	uint64_t sched_deadline;
	uint64_t sched_period;
	uint32_t sched_util_min;
	uint32_t sched_util_max;
};

static bool
policy_rt(int policy)
{
	return policy == SCHED_FIFO || policy == SCHED_RR;
}

/* Linux fair_policy: the policies whose nice value sched_setattr sets (not SCHED_IDLE) */
static bool
policy_fair(int policy)
{
	return policy == SCHED_OTHER || policy == SCHED_BATCH;
}

/* Linux __sched_setscheduler for thread p: policy (-1: keep p's) with rt priority prio and,
 * for the fair policies when set_nice, nice. Root may do anything; others only their own
 * threads, real-time within RLIMIT_RTPRIO, never a lower nice than RLIMIT_NICE allows, and
 * not out of SCHED_IDLE. SCHED_DEADLINE needs its parameters: EINVAL here (as Linux for
 * sched_setscheduler), sched_setattr takes them (sched_set_deadline). */
static long
sched_set(struct task *t, struct task *p, int policy, bool reset, unsigned long prio,
	  bool set_nice, int nice)
{
	if (policy < 0)
		policy = p->sched_policy;
	if (policy != SCHED_OTHER && policy != SCHED_FIFO && policy != SCHED_RR &&
	    policy != SCHED_BATCH && policy != SCHED_IDLE && policy != SCHED_DEADLINE)
		return -EINVAL;
	if (prio > 99 || policy_rt(policy) != (prio != 0))
		return -EINVAL;
	if (policy == SCHED_DEADLINE) /* (sched_setscheduler has no deadline parameters) */
		return -EINVAL;
	if (t->euid != 0) { /* Linux user_check_sched_setscheduler, the target's limits */
		unsigned long rtprio = p->leader->rlim[RLIMIT_RTPRIO].rlim_cur;
		unsigned long rnice = p->leader->rlim[RLIMIT_NICE].rlim_cur;

		if (policy_rt(policy) && ((policy != p->sched_policy && !rtprio) ||
					  (prio > (unsigned long)p->sched_prio && prio > rtprio)))
			return -EPERM;
		if (set_nice && policy_fair(policy) && nice < p->nice &&
		    (unsigned long)(20 - MAX(-20, nice)) > rnice)
			return -EPERM;
		if (p->sched_policy == SCHED_IDLE && policy != SCHED_IDLE &&
		    (unsigned long)(20 - p->nice) > rnice)
			return -EPERM;
		if (t->euid != p->uid && t->euid != p->euid)
			return -EPERM;
		if (p->sched_reset && !reset)
			return -EPERM;
	}
	p->sched_policy = policy;
	p->sched_prio = (int)prio;
	p->sched_reset = reset;
	if (set_nice && policy_fair(policy))
		p->nice = MAX(-20, MIN(19, nice));
	return 0;
}

SYSCALL(sched_setscheduler)
{
	struct sched_param sp;
	struct task *p;
	long policy = (int)a->a[1];

	if (!a->a[2] || (int)a->a[0] < 0)
		return -EINVAL;
	if (copy_from_guest(t, &sp, a->a[2], sizeof(sp)))
		return -EFAULT;
	long r = sched_target(t, a->a[0], &p);
	if (r < 0)
		return r;
	if (policy < 0)
		return -EINVAL;
	return sched_set(t, p, (int)(policy & ~SCHED_RESET_ON_FORK), policy & SCHED_RESET_ON_FORK,
			 (unsigned)sp.sched_priority, false, 0);
}

SYSCALL(sched_setparam)
{
	struct sched_param sp;
	struct task *p;

	if (!a->a[1] || (int)a->a[0] < 0)
		return -EINVAL;
	if (copy_from_guest(t, &sp, a->a[1], sizeof(sp)))
		return -EFAULT;
	long r = sched_target(t, a->a[0], &p);
	if (r < 0)
		return r;
	return sched_set(t, p, -1, p->sched_reset, (unsigned)sp.sched_priority, false, 0);
}

SYSCALL(sched_getscheduler)
{
	struct task *p;
	long r = sched_target(t, a->a[0], &p);

	return r < 0 ? r : p->sched_policy | (p->sched_reset ? SCHED_RESET_ON_FORK : 0);
}

SYSCALL(sched_getparam)
{
	struct task *p;
	struct sched_param sp = { 0 };

	if (!a->a[1] || (int)a->a[0] < 0)
		return -EINVAL;
	long r = sched_target(t, a->a[0], &p);
	if (r < 0)
		return r;
	sp.sched_priority = p->sched_prio;
	return copy_to_guest(t, a->a[1], &sp, sizeof(sp)) ? -EFAULT : 0;
}

/* SCHED_RR's slice is 100 ms and SCHED_FIFO has none; the fair policies get what the host
 * says for the caller's stub (all its threads are SCHED_OTHER). */
SYSCALL(sched_rr_get_interval)
{
	struct task *p;
	long r = sched_target(t, a->a[0], &p);

	if (r < 0)
		return r;
	if (p->sched_policy == SCHED_DEADLINE) { /* its class has no slice to tell: 0 */
		struct timespec zero = { 0, 0 };
		return copy_to_guest(t, a->a[1], &zero, sizeof(zero)) ? -EFAULT : 0;
	}
	if (!policy_rt(p->sched_policy))
		return plat_inject(t->ctx, a->nr, 0, a->a[1], 0, 0, 0, 0);
	struct timespec ts = { 0, p->sched_policy == SCHED_RR ? 100000000 : 0 };
	return copy_to_guest(t, a->a[1], &ts, sizeof(ts)) ? -EFAULT : 0;
}

/* The fair scheduler's base slice as Linux reports it in sched_runtime: 0.7 ms scaled by
 * 1 + log2 of the CPUs (at most 8). */
static uint64_t
fair_slice_ns(void)
{
	const unsigned long *cpus = guest_cpus();
	int n = 0, l = 0;

	for (size_t i = 0; cpus && i < ARRAY_SIZE(sentry.guest_cpus); i++)
		n += __builtin_popcountl(cpus[i]);
	n = MIN(MAX(n, 1), 8);
	while (n >>= 1)
		l++;
	return 700000ull * (1 + l);
}

/* Linux copies min(size, its own) bytes, says that size in size, and zeroes the rest. */
SYSCALL(sched_getattr)
{
	struct sched_attr_ k = { .size = sizeof(k) };
	unsigned long usize = (unsigned)a->a[2];
	struct task *p;
	char zero[256] = { 0 };

	/* (size and flags are unsigned int: the upper halves of the registers do not count) */
	if (!a->a[1] || (int)a->a[0] < 0 || usize < SCHED_ATTR_SIZE_VER0_ || usize > PAGE_SIZE ||
	    (unsigned int)a->a[3])
		return -EINVAL;
	long r = sched_target(t, a->a[0], &p);
	if (r < 0)
		return r;
	k.sched_policy = p->sched_policy;
	k.sched_flags = p->sched_reset ? SCHED_FLAG_RESET_ON_FORK_ : 0;
	if (p->sched_policy == SCHED_DEADLINE) {
		k.sched_runtime = p->dl_runtime;
		k.sched_deadline = p->dl_deadline;
		k.sched_period = p->dl_period;
	} else if (policy_rt(p->sched_policy)) {
		k.sched_priority = p->sched_prio;
	} else {
		k.sched_nice = p->nice;
		k.sched_runtime = fair_slice_ns();
	}
	k.size = MIN(usize, sizeof(k));
	if (copy_to_guest(t, a->a[1], &k, k.size))
		return -EFAULT;
	for (unsigned long off = sizeof(k); off < usize; off += sizeof(zero))
		if (copy_to_guest(t, a->a[1] + off, zero, MIN(sizeof(zero), usize - off)))
			return -EFAULT;
	return 0;
}

/* Linux sched_dl_overflow: the deadline threads' bandwidth (runtime / period, 20-bit fixed
 * point) stays within sched_rt_runtime_us / sched_rt_period_us (95%) of every CPU the
 * guest has. */
static bool
deadline_fits(struct task *p, unsigned long long runtime, unsigned long long period)
{
	const unsigned long *cpus = guest_cpus();
	unsigned long long cap, sum = (runtime << 20) / period;
	int n = 0;

	for (size_t i = 0; cpus && i < ARRAY_SIZE(sentry.guest_cpus); i++)
		n += __builtin_popcountl(cpus[i]);
	cap = (unsigned long long)MAX(n, 1) * ((950000ULL << 20) / 1000000);
	for (struct task *x = task_next(NULL); x; x = task_next(x))
		if (x != p && x->state != TASK_ZOMBIE && x->sched_policy == SCHED_DEADLINE)
			sum += (x->dl_runtime << 20) / x->dl_period;
	return sum <= cap;
}

/* sched_setattr to SCHED_DEADLINE (Linux __checkparam_dl, then __sched_setscheduler): kept
 * in the sentry like the other policies (the host thread keeps the sandbox's own). */
static long
sched_set_deadline(struct task *t, struct task *p, const struct sched_attr_ *k)
{
	unsigned long long period = k->sched_period ? k->sched_period : k->sched_deadline;

	/* a deadline, a runtime of at least 1024 ns within it, a period (if any) not shorter
	 * than it and between sched_deadline_period_min_us (100) and _max_us (2^22), no top
	 * bits, no static priority */
	if (!k->sched_deadline || k->sched_runtime < 1024 ||
	    (k->sched_deadline & (1ULL << 63)) || (k->sched_period & (1ULL << 63)) ||
	    (k->sched_period && k->sched_period < k->sched_deadline) ||
	    k->sched_runtime > k->sched_deadline || k->sched_priority ||
	    period < 100000ULL || period > (1ULL << 22) * 1000)
		return -EINVAL;
	if (!task_capable(t, CAP_SYS_NICE))
		return -EPERM; /* user_check_sched_setscheduler: no deadline without privilege */
	if (!deadline_fits(p, k->sched_runtime, period))
		return -EBUSY;
	p->sched_policy = SCHED_DEADLINE;
	p->sched_prio = 0;
	p->sched_reset = k->sched_flags & SCHED_FLAG_RESET_ON_FORK_;
	p->dl_runtime = k->sched_runtime;
	p->dl_deadline = k->sched_deadline;
	p->dl_period = period;
	return 0;
}

/* Linux sched_copy_attr: size 0 is the first version's, one past a page or below the first
 * version is E2BIG (the kernel's size written back), bytes past the kernel's must be zero. */
SYSCALL(sched_setattr)
{
	struct sched_attr_ k = { 0 };
	uint32_t usize;
	struct task *p;

	if (!a->a[1] || (int)a->a[0] < 0 || (unsigned int)a->a[2])
		return -EINVAL;
	if (copy_from_guest(t, &usize, a->a[1], sizeof(usize)))
		return -EFAULT;
	if (!usize)
		usize = SCHED_ATTR_SIZE_VER0_;
	if (usize < SCHED_ATTR_SIZE_VER0_ || usize > PAGE_SIZE)
		goto e2big;
	long r = sys_copy_struct(t, &k, sizeof(k), a->a[1], usize);
	if (r == -E2BIG)
		goto e2big;
	if (r)
		return r;
	r = sched_target(t, a->a[0], &p);
	if (r < 0)
		return r;
	if (k.sched_flags & ~(uint64_t)SCHED_FLAG_ALL_)
		return -EINVAL;
	if (k.sched_policy > INT32_MAX)
		return -EINVAL;
	int policy = k.sched_flags & SCHED_FLAG_KEEP_POLICY_ ? -1 : (int)k.sched_policy;
	if (policy == SCHED_DEADLINE)
		return sched_set_deadline(t, p, &k);
	bool fair = !policy_rt(policy < 0 ? p->sched_policy : policy);
	unsigned long prio = k.sched_flags & SCHED_FLAG_KEEP_PARAMS_ ? (unsigned)p->sched_prio :
			     k.sched_priority;
	return sched_set(t, p, policy, k.sched_flags & SCHED_FLAG_RESET_ON_FORK_, prio, fair,
			 MAX(-20, MIN(19, k.sched_nice)));
e2big:
	usize = sizeof(k);
	return copy_to_guest(t, a->a[1], &usize, sizeof(usize)) ? -EFAULT : -E2BIG;
}

/* I/O priorities (ioprio_set/ioprio_get), per thread and inherited like Linux's; kept in
 * the sentry, whose in-memory files have no I/O scheduler to give them to. */
#define IOPRIO_CLASS_(v) (((v) >> 13) & 7)

/* (a zombie still counts until it is reaped, as on Linux; its I/O context is gone) */
static bool
ioprio_match(struct task *p, int which, unsigned who)
{
	if (which == 1)
		return (unsigned)p->tid == who;
	if (which == 2)
		return (unsigned)p->pgid == who;
	return p->uid == who;
}

/* A thread or process group number as the caller's pid namespace gives it (Linux
 * find_task_by_vpid, find_vpid): sandbox-wide, or one no task has (-1). */
static unsigned
who_global(struct task *t, unsigned who)
{
	int g = (int)who > 0 ? pidns_global(task_pid_ns(t), (int)who) : -1;

	return g > 0 ? (unsigned)g : (unsigned)-1;
}

static long
ioprio_who(struct task *t, const struct sysargs *a, unsigned *who)
{
	int which = (int)a->a[0];

	*who = (unsigned)a->a[1];
	if (which < 1 || which > 3)
		return -EINVAL;
	if (*who == 0)
		*who = which == 1 ? (unsigned)t->tid : which == 2 ? (unsigned)t->pgid : t->uid;
	else if (which != 3)
		*who = who_global(t, *who);
	return which;
}

SYSCALL(ioprio_set)
{
	struct task *p, *tmp;
	unsigned who;
	long which = ioprio_who(t, a, &who), err = -ESRCH;
	int prio = (int)a->a[2];

	if (which < 0)
		return which;
	/* Linux ioprio_check_cap: the level is the low 3 bits (the bits above it are hints) */
	switch (IOPRIO_CLASS_(prio)) {
	case 1: /* real time: CAP_SYS_ADMIN or CAP_SYS_NICE */
		if (!task_capable(t, CAP_SYS_NICE) && !task_capable(t, CAP_SYS_ADMIN))
			return -EPERM;
		break;
	case 2:
	case 3:
		break;
	case 0:
		if (prio & 7)
			return -EINVAL;
		break;
	default:
		return -EINVAL;
	}
	prio &= 0xffff;
	HASH_ITER(hh, sentry.tasks, p, tmp) {
		if (!ioprio_match(p, (int)which, who))
			continue;
		/* Linux set_task_ioprio: the target's real uid is the caller's real or
		 * effective one, or CAP_SYS_NICE */
		if (p->uid != t->euid && p->uid != t->uid && !task_capable(t, CAP_SYS_NICE)) {
			err = -EPERM;
			continue;
		}
		/* (a zombie's is not kept: Linux's has no I/O context left to take it) */
		if (p->state != TASK_ZOMBIE) {
			p->ioprio = prio;
			if (!p->io_ctx)
				p->io_ctx = kcmp_new_ctx();
		}
		err = err == -ESRCH ? 0 : err;
	}
	return err;
}

/* The priority a thread's I/O gets (Linux get_task_ioprio, since 6.0): its own, else one
 * from its scheduling: idle for SCHED_IDLE, real time for the real-time policies, else best
 * effort, at level (nice + 20) / 5. */
static long
ioprio_effective(const struct task *p)
{
	int prio = p->state == TASK_ZOMBIE ? 0 : p->ioprio;
	int pol = p->sched_policy, class = 2;

	if (IOPRIO_CLASS_(prio))
		return prio;
	if (pol == SCHED_IDLE)
		class = 3;
	else if (pol == SCHED_FIFO || pol == SCHED_RR || pol == SCHED_DEADLINE)
		class = 1;
	return (class << 13) | ((p->nice + 20) / 5);
}

/* One thread: the priority it set (0 if none). Several (a process group, a user): the
 * best of what their I/O gets. */
SYSCALL(ioprio_get)
{
	struct task *p, *tmp;
	unsigned who;
	long which = ioprio_who(t, a, &who), best = -ESRCH;

	if (which < 0)
		return which;
	HASH_ITER(hh, sentry.tasks, p, tmp) {
		if (!ioprio_match(p, (int)which, who))
			continue;
		if (which == 1)
			return p->state == TASK_ZOMBIE ? 0 : p->ioprio;
		long prio = ioprio_effective(p);
		best = best == -ESRCH ? prio : MIN(best, prio);
	}
	return best;
}

/* Does task p fall under getpriority/setpriority's (which, who)? who 0 is the caller's
 * own thread, process group or user already put in *who by prio_who. */
static bool
prio_match(struct task *p, int which, unsigned who)
{
	/* (a zombie still counts until it is reaped, as on Linux) */
	if (which == PRIO_PROCESS)
		return (unsigned)p->tid == who;
	if (which == PRIO_PGRP)
		return (unsigned)p->pgid == who;
	return p->uid == who;
}

static long
prio_who(struct task *t, const struct sysargs *a, unsigned *who)
{
	int which = (int)a->a[0];

	*who = (unsigned)a->a[1];
	if (which < PRIO_PROCESS || which > PRIO_USER)
		return -EINVAL;
	if (*who == 0)
		*who = which == PRIO_PROCESS ? (unsigned)t->tid :
		       which == PRIO_PGRP ? (unsigned)t->pgid : t->euid;
	else if (which != PRIO_USER)
		*who = who_global(t, *who);
	return which;
}

/* The highest priority (lowest nice) of the matching threads, as 20 - nice. */
SYSCALL(getpriority)
{
	struct task *p, *tmp;
	unsigned who;
	long which = prio_who(t, a, &who), best = -ESRCH;

	if (which < 0)
		return which;
	HASH_ITER(hh, sentry.tasks, p, tmp)
		if (prio_match(p, which, who) && 20 - p->nice > best)
			best = 20 - p->nice;
	return best;
}

/* Linux set_one_prio: another user's threads need root (EPERM), a lower nice than a
 * thread has needs root or RLIMIT_NICE (EACCES). */
SYSCALL(setpriority)
{
	struct task *p, *tmp;
	unsigned who;
	long which = prio_who(t, a, &who), err = -ESRCH;
	int nice = (int)a->a[2];
	unsigned long rlim_nice = sentry.rlim[RLIMIT_NICE].rlim_cur;

	if (which < 0)
		return which;
	nice = MAX(-20, MIN(19, nice));
	HASH_ITER(hh, sentry.tasks, p, tmp) {
		if (!prio_match(p, which, who))
			continue;
		if (p->uid != t->euid && p->euid != t->euid && !task_capable(t, CAP_SYS_NICE))
			err = -EPERM;
		else if (nice < p->nice && !task_capable(t, CAP_SYS_NICE) &&
			 (rlim_nice == RLIM_INFINITY ? false : 20 - nice > (long)rlim_nice))
			err = -EACCES;
		else {
			p->nice = nice;
			err = err == -ESRCH ? 0 : err;
		}
	}
	return err;
}

SYSCALL(seccomp)
{
	return seccomp_syscall(t, (unsigned int)a->a[0], (unsigned int)a->a[1], a->a[2]);
}

/* Linux: any value is taken (0xffffffff only asks) and the old one returned. The sentry
 * keeps it for the thread and its children; none of its flags changes behaviour here. */
SYSCALL(personality)
{
	unsigned int p = a->a[0], old = t->personality;

	if (p != 0xffffffff)
		t->personality = p;
	/* unsigned, as Linux returns it: sign-extended, a guest's persona could read as an
	 * error or as one of the sentry's own SYSRET_ values */
	return (long)old;
}

#ifndef PR_GET_AUXV
#define PR_GET_AUXV 0x41555856
#endif
enum { MCE_KILL_SET = 1, MCE_KILL_EARLY = 2 };
#define FUTEX_HASH_MAX_SLOTS (1UL << 16) /* 64-byte buckets: 4 MiB */

/* PR_MCE_KILL: the thread's policy for memory corruption machine checks (Linux checks the
 * arguments; no guest sees a machine check through the sandbox, the policy is kept). */
static long
prctl_mce_kill(struct task *t, const struct sysargs *a)
{
	if (a->a[3] | a->a[4])
		return -EINVAL;
	if (a->a[1] == PR_MCE_KILL_CLEAR) {
		if (a->a[2])
			return -EINVAL;
		t->mce_kill = 0;
		return 0;
	}
	if (a->a[1] != PR_MCE_KILL_SET)
		return -EINVAL;
	t->mce_kill |= MCE_KILL_SET; /* before the policy's check, as Linux: kept on EINVAL */
	if (a->a[2] == PR_MCE_KILL_EARLY)
		t->mce_kill |= MCE_KILL_EARLY;
	else if (a->a[2] == PR_MCE_KILL_LATE)
		t->mce_kill &= (unsigned char)~MCE_KILL_EARLY;
	else if (a->a[2] == PR_MCE_KILL_DEFAULT)
		t->mce_kill = 0;
	else
		return -EINVAL;
	return 0;
}

/* PR_GET_AUXV: up to len bytes of the auxiliary vector the image started with, from a
 * buffer of Linux's saved_auxv size (AT_VECTOR_SIZE longs, zero after AT_NULL); returns
 * that size. */
static long
prctl_get_auxv(struct task *t, const struct sysargs *a)
{
	unsigned long saved[MM_SAVED_AUXV] = { 0 };
	size_t n = sizeof(saved) < a->a[2] ? sizeof(saved) : a->a[2];

	if (a->a[3] || a->a[4])
		return -EINVAL;
	if (t->mm && t->mm->auxv)
		memcpy(saved, t->mm->auxv,
		       t->mm->auxv_len < sizeof(saved) ? t->mm->auxv_len : sizeof(saved));
	if (n && copy_to_guest(t, a->a[1], saved, n))
		return -EFAULT;
	return sizeof(saved);
}

/* PR_SET_MDWE: memory-deny-write-execute for the address space (enforced by mmap and
 * mprotect, sentry/mm.c); once set, only the same bits may be set again (Linux). */
static long
prctl_set_mdwe(struct task *t, const struct sysargs *a)
{
	unsigned long bits = a->a[1];

	if (a->a[2] | a->a[3] | a->a[4])
		return -EINVAL;
	if (bits & ~(PR_MDWE_REFUSE_EXEC_GAIN | PR_MDWE_NO_INHERIT))
		return -EINVAL;
	if ((bits & PR_MDWE_NO_INHERIT) && !(bits & PR_MDWE_REFUSE_EXEC_GAIN))
		return -EINVAL;
	if (t->mm->mdwe && t->mm->mdwe != bits)
		return -EPERM;
	t->mm->mdwe = (unsigned char)bits;
	return 0;
}

/* PR_SET_SPECULATION_CTRL: the CPU's speculation controls of the guest's thread are its
 * host thread's: the host checks and sets them there (and a clone there inherits them);
 * the setting is kept for an execve's new stub (spec_ctrl_exec). */
static long
prctl_spec_set(struct task *t, const struct sysargs *a)
{
	long r = plat_inject(t->ctx, __NR_prctl, PR_SET_SPECULATION_CTRL, a->a[1], a->a[2],
			     a->a[3], a->a[4], 0);

	if (!r && a->a[1] < sizeof(t->spec_ctrl))
		t->spec_ctrl[a->a[1]] = (unsigned char)a->a[2];
	return r;
}

void
spec_ctrl_exec(struct task *t)
{
	/* Linux drops a store-bypass disable made with PR_SPEC_DISABLE_NOEXEC at execve
	 * (arch_setup_new_exec): the new stub starts without it */
	if (t->spec_ctrl[PR_SPEC_STORE_BYPASS] == PR_SPEC_DISABLE_NOEXEC)
		t->spec_ctrl[PR_SPEC_STORE_BYPASS] = 0;
	for (unsigned long i = 0; i < sizeof(t->spec_ctrl); i++)
		if (t->spec_ctrl[i])
			plat_inject(t->ctx, __NR_prctl, PR_SET_SPECULATION_CTRL, i, t->spec_ctrl[i],
				    0, 0, 0);
}

SYSCALL(prctl)
{
	char name[16];

	switch (a->a[0]) {
	case PR_SET_NAME:
		if (strncpy_from_guest(t, name, a->a[1], sizeof(name)) < 0) {
			if (copy_from_guest(t, name, a->a[1], 1))
				return -EFAULT;
			name[15] = '\0';
		}
		memcpy(t->comm, name, sizeof(name));
		t->comm[15] = '\0';
		return 0;
	case PR_GET_NAME:
		/* the name and zeros to 16 bytes (Linux's __get_task_comm pads): never what
		 * an older, longer name left after the NUL */
		memset(name, 0, sizeof(name));
		memcpy(name, t->comm, strnlen(t->comm, sizeof(name) - 1));
		return copy_to_guest(t, a->a[1], name, sizeof(name)) ? -EFAULT : 0;
	case PR_GET_DUMPABLE:
		return t->leader->dumpable;
	case PR_SET_DUMPABLE: /* SUID_DUMP_DISABLE or SUID_DUMP_USER; SUID_DUMP_ROOT: EINVAL */
		if (a->a[1] > 1)
			return -EINVAL;
		t->leader->dumpable = (int)a->a[1];
		return 0;
	case PR_GET_KEEPCAPS:
		return t->keepcaps;
	case PR_SET_KEEPCAPS:
		if (a->a[1] > 1)
			return -EINVAL;
		if (t->securebits & (SECBIT_KEEP_CAPS_ << 1)) /* SECBIT_KEEP_CAPS_LOCKED */
			return -EPERM;
		t->keepcaps = a->a[1];
		return 0;
	case PR_GET_SECUREBITS:
		return t->securebits | (t->keepcaps ? SECBIT_KEEP_CAPS_ : 0);
	case PR_SET_SECUREBITS:
		return task_set_securebits(t, a->a[1]);
	case PR_CAP_AMBIENT:
		return task_caps_ambient(t, a->a[1], a->a[2], a->a[3], a->a[4]);
	case PR_SET_PDEATHSIG:
		if (a->a[1] > 64)
			return -EINVAL;
		t->pdeath_sig = a->a[1];
		return 0;
	case PR_GET_PDEATHSIG:
		return copy_to_guest(t, a->a[1], &t->pdeath_sig, sizeof(int)) ? -EFAULT : 0;
	case PR_SET_NO_NEW_PRIVS:
		if (a->a[1] != 1 || a->a[2] || a->a[3] || a->a[4])
			return -EINVAL;
		t->no_new_privs = true;
		return 0;
	case PR_GET_NO_NEW_PRIVS:
		if (a->a[1] || a->a[2] || a->a[3] || a->a[4])
			return -EINVAL;
		return t->no_new_privs;
	case PR_GET_TID_ADDRESS: /* the thread's clear_child_tid: the host's, unless still pending */
		if (t->ctid_pending)
			return copy_to_guest(t, a->a[1], &t->ctid_addr, sizeof(t->ctid_addr)) ? -EFAULT : 0;
		return plat_inject(t->ctx, __NR_prctl, PR_GET_TID_ADDRESS, a->a[1], 0, 0, 0, 0);
	case PR_SET_SYSCALL_USER_DISPATCH:
		return sud_set(t, a->a[1], a->a[2], a->a[3], a->a[4]);
	case PR_GET_SECCOMP:
		return t->seccomp_mode;
	case PR_SET_SECCOMP:
		if (a->a[1] == SECCOMP_MODE_STRICT)
			return seccomp_syscall(t, SECCOMP_SET_MODE_STRICT, 0, 0);
		if (a->a[1] == SECCOMP_MODE_FILTER)
			return seccomp_syscall(t, SECCOMP_SET_MODE_FILTER, 0, a->a[2]);
		return -EINVAL;
	case PR_CAPBSET_READ:
		return a->a[1] <= CAP_LAST_CAP_ ? (long)((t->cap_bnd >> a->a[1]) & 1) : -EINVAL;
	case PR_CAPBSET_DROP:
		if (!task_capable(t, CAP_SETPCAP))
			return -EPERM;
		if (a->a[1] > CAP_LAST_CAP_)
			return -EINVAL;
		t->cap_bnd &= ~(1ULL << a->a[1]);
		return 0;
	case PR_SET_CHILD_SUBREAPER:
		t->leader->child_subreaper = a->a[1] != 0;
		return 0;
	case PR_SET_VMA: /* anonymous mapping names are not kept: EINVAL for every option, as
			  * from a kernel without CONFIG_ANON_VMA_NAME (the host's, whose
			  * config.gz the guest reads); a 0 told callers a name was set */
		return -EINVAL;
	case PR_SET_THP_DISABLE: /* kept per process (the host's pages are not the guest's
				  * business); flags: PR_THP_DISABLE_EXCEPT_ADVISED (2) only,
				  * and only when disabling */
		if (a->a[3] || a->a[4] || (a->a[2] & ~2UL) || (!a->a[1] && a->a[2]))
			return -EINVAL;
		t->leader->thp_disable = a->a[1] ? (unsigned char)(1 | a->a[2]) : 0;
		return 0;
	case PR_SET_TIMERSLACK: /* kept per thread; real-time threads keep theirs (Linux) */
		if (t->sched_policy == SCHED_FIFO || t->sched_policy == SCHED_RR)
			return 0;
		t->timer_slack = a->a[1] ? a->a[1] : t->timer_slack_dfl ? t->timer_slack_dfl : 50000;
		return 0;
	case PR_SET_TSC: /* the stub thread's own flag: rdtsc then faults there (SIGSEGV) */
		if (a->a[1] != PR_TSC_ENABLE && a->a[1] != PR_TSC_SIGSEGV)
			return -EINVAL;
		return sysret(SYSRET_NATIVE);
	case PR_GET_TSC:
		return sysret(SYSRET_NATIVE);
	case PR_GET_CHILD_SUBREAPER: {
		int on = t->leader->child_subreaper;
		return copy_to_guest(t, a->a[1], &on, sizeof(on)) ? -EFAULT : 0;
	}
	case PR_GET_TIMERSLACK:
		/* as Linux: the stored unsigned long as the result, whatever it reads as (0: a
		 * task made elsewhere than sentry_init's first: the default) */
		return t->timer_slack ? (long)t->timer_slack : 50000;
	case PR_GET_THP_DISABLE:
		if (a->a[1] || a->a[2] || a->a[3] || a->a[4])
			return -EINVAL;
		return t->leader->thp_disable;
	case PR_SET_MM:
		return prctl_set_mm(t, a);
	case PR_GET_TIMING: /* only statistical process timing exists (Linux) */
		return PR_TIMING_STATISTICAL;
	case PR_SET_TIMING:
		return a->a[1] == PR_TIMING_STATISTICAL ? 0 : -EINVAL;
	case PR_TASK_PERF_EVENTS_DISABLE: /* no perf events here: nothing to switch */
	case PR_TASK_PERF_EVENTS_ENABLE:
		return 0;
	case PR_MCE_KILL:
		return prctl_mce_kill(t, a);
	case PR_MCE_KILL_GET:
		if (a->a[1] | a->a[2] | a->a[3] | a->a[4])
			return -EINVAL;
		if (!(t->mce_kill & MCE_KILL_SET))
			return PR_MCE_KILL_DEFAULT;
		return t->mce_kill & MCE_KILL_EARLY ? PR_MCE_KILL_EARLY : PR_MCE_KILL_LATE;
	case PR_GET_AUXV:
		return prctl_get_auxv(t, a);
	case PR_SET_MDWE:
		return prctl_set_mdwe(t, a);
	case PR_GET_MDWE:
		return a->a[1] | a->a[2] | a->a[3] | a->a[4] ? -EINVAL : (long)t->mm->mdwe;
	case PR_SET_IO_FLUSHER: /* the initial namespace's CAP_SYS_RESOURCE first (Linux) */
		if (!task_capable(t, CAP_SYS_RESOURCE))
			return -EPERM;
		if (a->a[2] | a->a[3] | a->a[4] || a->a[1] > 1)
			return -EINVAL;
		t->io_flusher = a->a[1] == 1;
		return 0;
	case PR_GET_IO_FLUSHER:
		if (!task_capable(t, CAP_SYS_RESOURCE))
			return -EPERM;
		return a->a[1] | a->a[2] | a->a[3] | a->a[4] ? -EINVAL : t->io_flusher;
	case PR_GET_SPECULATION_CTRL: /* the host thread's (prctl_spec_set) */
		return sysret(SYSRET_NATIVE);
	case PR_SET_SPECULATION_CTRL:
		return prctl_spec_set(t, a);
	case PR_FUTEX_HASH: /* the private futex hash of the mm, whose futexes the host
			     * runs (syscalls/sys_futex.c): the stub's. Its buckets are host
			     * kernel memory outside the guests' budget: a size past
			     * FUTEX_HASH_MAX_SLOTS is refused as a failed allocation. */
		if (a->a[1] == 1 /* PR_FUTEX_HASH_SET_SLOTS */ && !a->a[3] &&
		    a->a[2] > FUTEX_HASH_MAX_SLOTS && !(a->a[2] & (a->a[2] - 1)))
			return -ENOMEM;
		return sysret(SYSRET_NATIVE);
	case PR_SET_MEMORY_MERGE: { /* KSM for the whole mm: the host does it, in the stub */
		if (a->a[2] | a->a[3] | a->a[4])
			return -EINVAL;
		long r = plat_inject(t->ctx, __NR_prctl, PR_SET_MEMORY_MERGE, a->a[1], 0, 0, 0, 0);
		if (!r)
			t->mm->merge_any = a->a[1] != 0;
		return r;
	}
	case PR_GET_MEMORY_MERGE:
		return a->a[1] | a->a[2] | a->a[3] | a->a[4] ? -EINVAL : t->mm->merge_any;
	case PR_TIMER_CREATE_RESTORE_IDS: /* per process: timer_create's ids (sentry/timer.c) */
		if (a->a[2] | a->a[3] | a->a[4])
			return -EINVAL;
		if (a->a[1] == PR_TIMER_CREATE_RESTORE_IDS_GET)
			return t->leader->timer_restore_ids;
		if (a->a[1] > PR_TIMER_CREATE_RESTORE_IDS_ON)
			return -EINVAL;
		t->leader->timer_restore_ids = a->a[1] == PR_TIMER_CREATE_RESTORE_IDS_ON;
		return 0;
	default:
		return -EINVAL;
	}
}

/* capget/capset's header: an unknown version is EINVAL, with the preferred one written
 * back (Linux cap_validate_magic). */
static long
cap_header(struct task *t, unsigned long addr, struct __user_cap_header_struct *h)
{
	if (copy_from_guest(t, h, addr, sizeof(*h)))
		return -EFAULT;
	if (h->version != _LINUX_CAPABILITY_VERSION_3 && h->version != _LINUX_CAPABILITY_VERSION_2 &&
	    h->version != _LINUX_CAPABILITY_VERSION_1) {
		h->version = _LINUX_CAPABILITY_VERSION_3;
		return copy_to_guest(t, addr, h, sizeof(*h)) ? -EFAULT : -EINVAL;
	}
	return 0;
}

SYSCALL(capget)
{
	struct __user_cap_header_struct h;
	struct __user_cap_data_struct d[2];
	long err = cap_header(t, a->a[0], &h);

	if (err)
		return err;
	if (h.pid < 0)
		return -EINVAL;
	/* (a zombie still has its credentials until it is reaped) */
	struct task *p = !tid_is_self(t, h.pid) ? task_lookup_vnr(t, h.pid) : t;
	if (!p)
		return -ESRCH;
	if (!a->a[1])
		return 0;
	memset(d, 0, sizeof(d));
	d[0].effective = (uint32_t)p->cap_eff, d[1].effective = p->cap_eff >> 32;
	d[0].permitted = (uint32_t)p->cap_prm, d[1].permitted = p->cap_prm >> 32;
	d[0].inheritable = (uint32_t)p->cap_inh, d[1].inheritable = p->cap_inh >> 32;
	int n = h.version == _LINUX_CAPABILITY_VERSION_1 ? 1 : 2;
	return copy_to_guest(t, a->a[1], d, n * sizeof(d[0])) ? -EFAULT : 0;
}

/* Linux cap_capset: the caller's own sets only; permitted may only shrink, inheritable
 * stays within the old inheritable and (without CAP_SETPCAP) permitted sets and within
 * the bounding set, effective within the new permitted set. */
SYSCALL(capset)
{
	struct __user_cap_header_struct h;
	struct __user_cap_data_struct d[2];
	long err = cap_header(t, a->a[0], &h);

	if (err)
		return err;
	if (!tid_is_self(t, h.pid))
		return -EPERM;
	int n = h.version == _LINUX_CAPABILITY_VERSION_1 ? 1 : 2;
	memset(d, 0, sizeof(d));
	if (copy_from_guest(t, d, a->a[1], n * sizeof(d[0])))
		return -EFAULT;
	uint64_t eff = d[0].effective | (uint64_t)d[1].effective << 32;
	uint64_t prm = d[0].permitted | (uint64_t)d[1].permitted << 32;
	uint64_t inh = d[0].inheritable | (uint64_t)d[1].inheritable << 32;
	eff &= CAPS_ALL, prm &= CAPS_ALL, inh &= CAPS_ALL;
	if (!task_capable(t, CAP_SETPCAP) && (inh & ~(t->cap_inh | t->cap_prm)))
		return -EPERM;
	if (inh & ~(t->cap_inh | t->cap_bnd))
		return -EPERM;
	if (prm & ~t->cap_prm)
		return -EPERM;
	if (eff & ~prm)
		return -EPERM;
	t->cap_eff = eff, t->cap_prm = prm, t->cap_inh = inh;
	t->cap_amb &= prm & inh; /* ambient stays within permitted and inheritable */
	return 0;
}

/*
 * Sends sig from t to target (a task, already found) with info: for the target's process
 * (kill, rt_sigqueueinfo) or its thread alone (process false: tkill, tgkill,
 * rt_tgsigqueueinfo). Linux's rules that matter here: permission by uid unless root;
 * zombies accept and ignore signals; the pid-namespace init (pid 1) only gets signals from
 * other processes that it has a handler for.
 */
static long
send_signal_info(struct task *t, struct task *target, int sig, const siginfo_t *info,
		 bool process)
{
	/* (SIGCONT needs no permission within the sender's session, nor any signal within
	 * its own process) */
	if (t->euid != 0 && t->euid != target->uid && t->uid != target->uid &&
	    t->euid != target->suid && t->uid != target->suid && t->tgid != target->tgid &&
	    !(sig == SIGCONT && target->leader && t->leader->sid == target->leader->sid))
		return -EPERM;
	/* Landlock's signal scope (Linux hook_task_kill), never between a process's threads */
	if (t->tgid != target->tgid && landlock_scoped(t, target->landlock, LL_SCOPE_SIGNAL))
		return -EPERM;
	if (sig == 0 || target->state == TASK_ZOMBIE || (!process && !target->ctx))
		return 0;
	/* Pid 1, a pid-namespace init, ignores what other processes send it with the default
	 * action: stops here, the rest when delivered (loop.c), so that a blocked one can
	 * still be taken by sigwaitinfo or a signalfd. */
	/* Its own signals too (Linux sig_task_ignored: the sender is in its namespace), but
	 * for the first program of `sandbox run`, which natively is no init. */
	bool self = t->tgid == target->tgid;
	if (pidns_is_init(target->leader) && (!self || target->tgid != 1 || sentry.init_unkillable) &&
	    (task_pid_ns(target) == task_pid_ns(NULL) || task_vnr(target, t->tgid))) {
		if (sig == SIGKILL || sig == SIGSTOP)
			return 0;
		if ((sig == SIGTSTP || sig == SIGTTIN || sig == SIGTTOU) &&
		    task_sig_handler(target, sig) == (unsigned long)SIG_DFL &&
		    !task_sig_blocked(target, sig))
			return 0;
		/* one waiting in the sentry may not get to the loop's check: the host could
		 * end it with the default action while it sits in the call */
		if (target->state == TASK_BLOCKED &&
		    task_sig_handler(target, sig) == (unsigned long)SIG_DFL &&
		    !task_sig_blocked(target, sig))
			return 0;
	}
	if (sig == SIGCONT)
		task_group_continue(target->leader);
	if (sig == SIGSTOP || sig == SIGTSTP || sig == SIGTTIN || sig == SIGTTOU)
		target->leader->stop_pending = true;
	siginfo_t si = *info;

	sig_fixup_uid(&si, t, target);
	long err = task_send_signal(target, sig, &si, process);
	return err == -ESRCH ? 0 : err; /* its threads are gone: an exiting process */
}

/* kill(2) and tkill(2): SI_USER / SI_TKILL with the caller's pid and real uid. */
static long
send_signal(struct task *t, struct task *target, int sig, bool process)
{
	siginfo_t si;

	sig_info_from(&si, sig, process ? SI_USER : SI_TKILL, t);
	return send_signal_info(t, target, sig, &si, process);
}

/* rt_sigqueueinfo / rt_tgsigqueueinfo: a signal with the caller's siginfo as it is
 * (sigqueue's value, pid and uid), to any process or thread the caller may signal. As on
 * Linux, si_code >= 0 or SI_TKILL (forged kernel or kill() origins) only to the calling
 * thread itself (rt_sigqueueinfo: a pid equal to the caller's tid; any thread's id names
 * its process). */
static long
queue_signal(struct task *t, struct task *target, int sig, unsigned long uinfo, bool process)
{
	siginfo_t info;

	if (sig < 0 || sig > 64)
		return -EINVAL;
	if (copy_from_guest(t, &info, uinfo, sizeof(info)))
		return -EFAULT;
	if (!target)
		return -ESRCH;
	if ((info.si_code >= 0 || info.si_code == SI_TKILL) && target != t)
		return -EPERM;
	info.si_signo = sig;
	return send_signal_info(t, process ? target->leader : target, sig, &info, process);
}

/* ---- pidfds ---- */

#ifndef PIDFD_NONBLOCK
#define PIDFD_NONBLOCK O_NONBLOCK
#endif
#ifndef PIDFD_THREAD
#define PIDFD_THREAD O_EXCL
#endif
#define PIDFD_SIGNAL_THREAD (1U << 0)
#define PIDFD_SIGNAL_THREAD_GROUP (1U << 1)
#define PIDFD_SIGNAL_PROCESS_GROUP (1U << 2)

/* A process's pidfd, or with PIDFD_THREAD a thread's own (always close-on-exec). */
SYSCALL(pidfd_open)
{
	int pid = (int)a->a[0];
	unsigned int flags = (unsigned int)a->a[1];
	struct file *f;

	if (flags & ~(PIDFD_NONBLOCK | PIDFD_THREAD))
		return -EINVAL;
	if (pid <= 0)
		return -EINVAL;
	struct task *p = task_lookup_vnr(t, pid);
	bool thread = flags & PIDFD_THREAD;
	if (!p)
		return -ESRCH;
	if (!thread && p->leader != p)
		return -ENOENT; /* Linux 6.9 on (EINVAL before) */
	int err = vfs_pidfd(p->tid, thread, flags & PIDFD_NONBLOCK, &f);
	if (err)
		return err;
	long fd = fdt_install(t->fdt, f, 0, true);
	file_put(f);
	return fd;
}

/*
 * A duplicate of another process's descriptor (close-on-exec), as Linux's pidfd_getfd: the
 * caller needs ptrace access to it (task_ptrace_may_access); a
 * process that ended is ESRCH already as a zombie.
 */
SYSCALL(pidfd_getfd)
{
	int targetfd = (int)a->a[1];

	if ((unsigned int)a->a[2]) /* (an unsigned int: the register's upper half aside) */
		return -EINVAL;
	int pid = vfs_pidfd_pid(sys_fd(t, (int)a->a[0]));
	if (pid < 0)
		return pid;
	struct task *p = task_lookup(pid);
	if (!p || p->state == TASK_ZOMBIE)
		return -ESRCH;
	if (!task_ptrace_may_access(t, p, false))
		return -EPERM;
	struct file *f = p->fdt && targetfd >= 0 ? fdt_get(p->fdt, targetfd) : NULL;
	if (!f)
		return -EBADF;
	return fdt_install(t->fdt, f, 0, true);
}

/* The ids kcmp compares for what the sentry keeps no object of (I/O contexts, undo lists). */
unsigned long
kcmp_new_ctx(void)
{
	static unsigned long next;
	return ++next;
}

/* Linux's kcmp_ptr: 0 equal, else 1 or 2 by the order of the two values */
static long
kcmp_order(const void *x, const void *y)
{
	uintptr_t a = (uintptr_t)x, b = (uintptr_t)y;
	return (a < b) | ((a > b) << 1);
}

/*
 * kcmp(pid1, pid2, type, idx1, idx2): whether two tasks share a resource, in Linux's
 * order of checks (ESRCH, EPERM, then the type's own). A zombie has no files, mm or fs
 * any more (NULL, as on Linux). CLONE_SIGHAND without CLONE_THREAD is not modelled: the
 * handler table compared is the process's.
 */
SYSCALL(kcmp)
{
	struct task *p1 = task_lookup_vnr(t, (int)a->a[0]), *p2 = task_lookup_vnr(t, (int)a->a[1]);
	int type = (int)a->a[2];
	unsigned long i1 = a->a[3], i2 = a->a[4];

	if ((int)a->a[0] <= 0 || (int)a->a[1] <= 0 || !p1 || !p2)
		return -ESRCH;
	if (!task_ptrace_may_access(t, p1, false) || !task_ptrace_may_access(t, p2, false))
		return -EPERM;
	bool z1 = p1->state == TASK_ZOMBIE, z2 = p2->state == TASK_ZOMBIE;
	switch (type) {
	case KCMP_FILE: {
		struct file *f1 = p1->fdt && i1 <= INT_MAX ? fdt_get(p1->fdt, (int)i1) : NULL;
		struct file *f2 = p2->fdt && i2 <= INT_MAX ? fdt_get(p2->fdt, (int)i2) : NULL;
		if (!f1 || !f2)
			return -EBADF;
		return kcmp_order(f1, f2);
	}
	case KCMP_VM:
		return kcmp_order(p1->mm, p2->mm);
	case KCMP_FILES:
		return kcmp_order(p1->fdt, p2->fdt);
	case KCMP_FS:
		return kcmp_order(p1->fs, p2->fs);
	case KCMP_SIGHAND:
		return kcmp_order(z1 ? NULL : p1->leader, z2 ? NULL : p2->leader);
	case KCMP_IO:
		return kcmp_order((void *)p1->io_ctx, (void *)p2->io_ctx);
	case KCMP_SYSVSEM:
		return kcmp_order((void *)p1->semundo_ctx, (void *)p2->semundo_ctx);
	case KCMP_EPOLL_TFD: {
		struct { uint32_t efd, tfd, toff; } slot;
		if (copy_from_guest(t, &slot, i2, sizeof(slot)))
			return -EFAULT;
		struct file *f1 = p1->fdt && i1 <= INT_MAX ? fdt_get(p1->fdt, (int)i1) : NULL;
		if (!f1)
			return -EBADF;
		struct file *ep = p2->fdt && slot.efd <= INT_MAX ? fdt_get(p2->fdt, (int)slot.efd) : NULL;
		if (!ep)
			return -EBADF;
		if (!file_is_epoll(ep))
			return -EINVAL;
		struct file *tf = vfs_epoll_target(ep, (int)slot.tfd, slot.toff);
		if (!tf)
			return -ENOENT;
		return kcmp_order(f1, tf);
	}
	default:
		return -EINVAL;
	}
}

/*
 * unshare: the fd table and fs context become private copies; the thread, handler and
 * address-space flags only check that nothing is shared (Linux's check_unshare_flags:
 * EINVAL otherwise). New UTS, IPC, mount, user, network and pid namespaces are the sentry's
 * own objects (sentry/ns.c, pidns.c; CAP_SYS_ADMIN but for a user namespace; a new pid
 * namespace is for the caller's later children), as are time namespaces (sentry/timens.c:
 * also for the children) and cgroup namespaces (fs/cgroupfs.c: rooted at the caller's
 * cgroup).
 */
SYSCALL(unshare)
{
	unsigned long all = CLONE_NEWNS | CLONE_NEWUTS | CLONE_NEWIPC | CLONE_NEWNET |
			    CLONE_NEWPID | CLONE_NEWCGROUP | CLONE_NEWUSER | CLONE_NEWTIME;
	unsigned long f = (unsigned int)a->a[0];

	if (f & CLONE_NEWUSER)
		f |= CLONE_THREAD | CLONE_FS;
	if (f & CLONE_VM)
		f |= CLONE_SIGHAND;
	if (f & CLONE_SIGHAND)
		f |= CLONE_THREAD;
	if (f & CLONE_NEWNS)
		f |= CLONE_FS;
	if (f & ~(CLONE_THREAD | CLONE_FS | CLONE_SIGHAND | CLONE_VM | CLONE_FILES |
		  CLONE_SYSVSEM | all))
		return -EINVAL;
	if ((f & (CLONE_THREAD | CLONE_SIGHAND | CLONE_VM)) && t->leader->live_threads > 1)
		return -EINVAL;
	if ((f & (CLONE_SIGHAND | CLONE_VM)) && t->mm->refs > 1)
		return -EINVAL;
	if (f & all & ~NS_CLONE_FLAGS)
		return -EPERM;
	long err = ns_may_create(t, f);
	if (err)
		return err;
	if ((f & CLONE_FILES) && t->fdt->refs > 1) {
		struct fdtable *old = t->fdt;
		if ((err = fdt_copy_room(old)))
			return err;
		t->fdt = fdt_copy(old);
		fdt_put(old);
	}
	if (f & CLONE_FS) {
		struct fs_context *old = t->fs;
		t->fs = vfs_ctx_copy(old);
		vfs_ctx_put(old);
	}
	return (f & NS_CLONE_FLAGS) ? ns_unshare(t, f & NS_CLONE_FLAGS) : 0;
}

/* setns by a namespace file (/proc/PID/ns/KIND): a UTS, IPC, mount, user, network, pid,
 * time or cgroup namespace object is joined (sentry/ns.c; mounts move root and cwd; one's
 * own user namespace is EINVAL). */
static long
setns_file(struct task *t, struct file *f, int kind, int flags)
{
	if (flags && flags != kind)
		return -EINVAL;
	struct ns_common *ns = procfs_ns_object(f);
	if (ns)
		return ns_install(t, ns);
	return task_capable(t, CAP_SYS_ADMIN) ? 0 : -EPERM;
}

/*
 * setns by pidfd: the user, UTS, IPC, mount, network, pid, time and cgroup namespaces of the
 * process it names are joined (all that flags asks for, or none; re-entering one's own user
 * namespace is EINVAL). Any other descriptor is EINVAL.
 */
SYSCALL(setns)
{
	unsigned long all = CLONE_NEWNS | CLONE_NEWUTS | CLONE_NEWIPC | CLONE_NEWNET |
			    CLONE_NEWPID | CLONE_NEWCGROUP | CLONE_NEWUSER | CLONE_NEWTIME;
	int flags = (int)a->a[1];
	struct file *f = sys_fd(t, (int)a->a[0]);

	if (!f)
		return -EBADF;
	int kind = procfs_ns_type(f);
	if (kind > 0)
		return setns_file(t, f, kind, flags);
	int pid = vfs_pidfd_pid(f);
	if (pid < 0)
		return -EINVAL;
	if (!flags || ((unsigned long)(unsigned int)flags & ~all))
		return -EINVAL;
	struct task *p = task_lookup(pid);
	if (!p || p->state == TASK_ZOMBIE || !p->fdt)
		return -ESRCH;
	if (!task_ptrace_may_access(t, p, false))
		return -EPERM;
	if ((flags & ~NS_CLONE_FLAGS) && !task_capable(t, CAP_SYS_ADMIN))
		return -EPERM;
	return ns_install_from(t, p, (unsigned long)(unsigned int)flags & NS_CLONE_FLAGS);
}

/* A signal to every process of group pgid, or (all) to every process but init and the
 * caller's: 0 if one took it, else the first error (-ESRCH: nobody there). info NULL:
 * kill()'s siginfo. */
static long
signal_each(struct task *t, bool all, int pgid, int sig, const siginfo_t *info)
{
	struct task *p, *tmp;
	long err = -ESRCH;
	int sent = 0;

	HASH_ITER(hh, sentry.tasks, p, tmp) {
		if (p->leader != p)
			continue;
		/* kill(-1): what the caller's namespace shows, but its init and the caller */
		if (all ? (task_vnr(t, p->tgid) <= 1 || p->tgid == t->tgid) : p->pgid != pgid)
			continue;
		long r = info ? send_signal_info(t, p, sig, info, true) : send_signal(t, p, sig, true);
		if (r == 0)
			sent++;
		else if (err == -ESRCH)
			err = r;
	}
	return sent ? 0 : err;
}

/* A signal to the process a pidfd names: kill()'s siginfo, or the caller's own under
 * rt_sigqueueinfo's rules (forged kernel or kill() origins only to itself). */
SYSCALL(pidfd_send_signal)
{
	int sig = (int)a->a[1];
	unsigned int flags = (unsigned int)a->a[3];
	siginfo_t info;

	if (flags & ~(PIDFD_SIGNAL_THREAD | PIDFD_SIGNAL_THREAD_GROUP | PIDFD_SIGNAL_PROCESS_GROUP))
		return -EINVAL;
	if (flags & (flags - 1))
		return -EINVAL; /* at most one scope */
	bool thread_fd = false;
	struct file *pf = sys_fd(t, a->a[0]);
	int pid = vfs_pidfd_target(pf, &thread_fd);
	if (pid < 0)
		pid = procfs_pid_dir(pf); /* Linux takes a /proc/<pid> directory too */
	if (pid < 0)
		return pid;
	struct task *p = task_lookup(pid);
	/* the scope: the flag's, else the pidfd's own (a thread's pidfd: that thread) */
	bool process = flags ? !(flags & PIDFD_SIGNAL_THREAD) : !thread_fd;
	if (p && !thread_fd && p->leader != p)
		p = NULL;
	if (p && (flags & PIDFD_SIGNAL_THREAD_GROUP))
		p = p->leader;
	if (a->a[2]) {
		if (copy_from_guest(t, &info, a->a[2], sizeof(info)))
			return -EFAULT;
		if (info.si_signo != sig)
			return -EINVAL;
		if (p != t && (info.si_code >= 0 || info.si_code == SI_TKILL))
			return -EPERM;
	}
	if (!p)
		return -ESRCH;
	if (sig < 0 || sig > 64)
		return -EINVAL;
	if (flags & PIDFD_SIGNAL_PROCESS_GROUP)
		return signal_each(t, false, p->pgid, sig, a->a[2] ? &info : NULL);
	if (!a->a[2])
		return send_signal(t, p, sig, process);
	return send_signal_info(t, p, sig, &info, process);
}

/* ioctl PIDFD_GET_INFO (Linux fs/pidfs.c pidfd_info): the ids and credentials of the task
 * a pidfd names while it exists (a zombie too), and with PIDFD_INFO_EXIT, once it was
 * reaped, its wait status. Any size from the first version's (64 bytes) on (smaller:
 * ENOTTY): what the caller's struct has room for, zero past the kernel's. No cgroup id (no cgroups here). */
#define PIDFD_INFO_PID_ 1ULL
#define PIDFD_INFO_CREDS_ 2ULL
#define PIDFD_INFO_EXIT_ 8ULL
#define PIDFD_INFO_SIZE_VER0_ 64

struct pidfd_info_ {
	uint64_t mask, cgroupid;
	uint32_t pid, tgid, ppid, ruid, rgid, euid, egid, suid, sgid, fsuid, fsgid;
	int32_t exit_code;
	uint32_t coredump_mask, spare1;
};

long
pidfd_get_info(struct task *t, struct file *f, unsigned int cmd, unsigned long uarg)
{
	size_t usize = _IOC_SIZE(cmd);
	struct pidfd_info_ k = { 0 };
	char zero[256] = { 0 };
	uint64_t mask;
	bool thread;
	int pid = vfs_pidfd_target(f, &thread), status;

	if (pid < 0 || usize < PIDFD_INFO_SIZE_VER0_)
		return -ENOTTY; /* (pidfs_ioctl_valid: smaller than the first version) */
	if (!uarg)
		return -EINVAL;
	if (!vfs_pidfd_visible(f, t))
		return -EREMOTE; /* Linux 6.18.14+: a task outside the caller's pid namespace */
	if (copy_from_guest(t, &mask, uarg, sizeof(mask)))
		return -EFAULT;
	if ((mask & PIDFD_INFO_EXIT_) && vfs_pidfd_exit_info(f, &status) == 0) {
		k.mask |= PIDFD_INFO_EXIT_;
		k.exit_code = status;
	}
	struct task *p = task_lookup(pid);
	if (p && !thread && p->leader != p)
		p = NULL;
	if (!p) { /* reaped: only what it left */
		if (!(mask & PIDFD_INFO_EXIT_))
			return -ESRCH;
	} else {
		k.ruid = p->uid, k.euid = p->euid, k.suid = p->suid, k.fsuid = p->fsuid;
		k.rgid = p->gid, k.egid = p->egid, k.sgid = p->sgid, k.fsgid = p->fsgid;
		k.mask |= PIDFD_INFO_CREDS_;
		k.ppid = (uint32_t)task_vnr(t, p->ppid);
		k.tgid = (uint32_t)task_vnr(t, p->tgid);
		k.pid = (uint32_t)task_vnr(t, p->tid);
		k.mask |= PIDFD_INFO_PID_;
	}
	if (copy_to_guest(t, uarg, &k, MIN(usize, sizeof(k))))
		return -EFAULT;
	for (size_t off = sizeof(k); off < usize; off += sizeof(zero))
		if (copy_to_guest(t, uarg + off, zero, MIN(sizeof(zero), usize - off)))
			return -EFAULT;
	return 0;
}

SYSCALL(rt_sigqueueinfo)
{
	struct task *p = task_lookup_vnr(t, (int)a->a[0]);

	/* a thread's id names its process too (Linux's kill_pid_info) */
	return queue_signal(t, p && p->leader ? p : NULL, (int)a->a[1], a->a[2], true);
}

SYSCALL(rt_tgsigqueueinfo)
{
	int tgid = (int)a->a[0], tid = (int)a->a[1];
	struct task *p = tid > 0 && tgid > 0 ? task_lookup_vnr(t, tid) : NULL;

	if (tid <= 0 || tgid <= 0)
		return -EINVAL;
	return queue_signal(t, p && task_vnr(t, p->tgid) == tgid ? p : NULL, (int)a->a[2], a->a[3], false);
}

/* kill(2): pid > 0 one process, 0 the caller's group, -1 everyone but init and the
 * caller, < -1 the group -pid. */
SYSCALL(kill)
{
	int pid = (int)a->a[0], sig = (int)a->a[1];

	if (sig < 0 || sig > 64)
		return -EINVAL;
	if (pid == INT32_MIN)
		return -ESRCH;
	if (pid > 0) {
		/* a thread's id names its process too (Linux's kill_pid_info) */
		struct task *p = task_lookup_vnr(t, pid);
		if (!p || !p->leader)
			return -ESRCH;
		return send_signal(t, p->leader, sig, true);
	}
	return signal_each(t, pid == -1, pid == 0 ? t->pgid : pidns_global(task_pid_ns(t), -pid),
			   sig, NULL);
}

SYSCALL(tkill)
{
	int tid = (int)a->a[0], sig = (int)a->a[1];
	if (tid <= 0 || sig < 0 || sig > 64)
		return -EINVAL;
	struct task *p = task_lookup_vnr(t, tid);
	return p ? send_signal(t, p, sig, false) : -ESRCH;
}

SYSCALL(tgkill)
{
	int tgid = (int)a->a[0], tid = (int)a->a[1], sig = (int)a->a[2];
	if (tgid <= 0 || tid <= 0 || sig < 0 || sig > 64)
		return -EINVAL;
	struct task *p = task_lookup_vnr(t, tid);
	return p && task_vnr(t, p->tgid) == tgid ? send_signal(t, p, sig, false) : -ESRCH;
}

SYSCALL(getcpu) { return sysret(SYSRET_NATIVE); }
/* What the sandbox's /proc says too: the uptime of CLOCK_BOOTTIME, the sandbox's own load
 * (as /proc/loadavg), memory as --memory leaves it, no swap, the guest's process count.
 * Never the host's sysinfo. */
SYSCALL(sysinfo)
{
	struct sysinfo si;
	unsigned long total, free;

	memset(&si, 0, sizeof(si));
	/* seconds, a started one counted whole (Linux do_sysinfo) */
	long long up = timens_boot_ns(t, vfs_boot_ns());
	si.uptime = up / 1000000000LL + (up % 1000000000LL > 0);
	vfs_memory_facts(&total, &free);
	si.totalram = total;
	si.freeram = free;
	si.procs = (unsigned short)MIN(task_count(), 0xffff);
	unsigned long avg[3];
	vfs_loadavg(avg);
	for (int i = 0; i < 3; i++) /* 16 bits of fraction (SI_LOAD_SHIFT) */
		si.loads[i] = avg[i] << (SI_LOAD_SHIFT - 11);
	si.mem_unit = 1;
	return copy_to_guest(t, a->a[0], &si, sizeof(si)) ? -EFAULT : 0;
}
/* The stub's own times come from the host (plus those of the images execve replaced); its
 * children are the sentry's there, so their CPU time is what the sentry recorded when the
 * guest reaped them. */
SYSCALL(times)
{
	struct tms tm;
	long ticks = sysconf(_SC_CLK_TCK), r;
	const struct rusage *ex = &t->leader->ru_exec;

	r = plat_inject(t->ctx, __NR_times, PLAT_STUB_SCRATCH, 0, 0, 0, 0, 0);
	if (r < 0 || !a->a[0])
		return r;
	if (copy_from_guest(t, &tm, PLAT_STUB_SCRATCH, sizeof(tm)))
		return -EFAULT;
	tm.tms_utime += (ex->ru_utime.tv_sec * 1000000L + ex->ru_utime.tv_usec) * ticks / 1000000;
	tm.tms_stime += (ex->ru_stime.tv_sec * 1000000L + ex->ru_stime.tv_usec) * ticks / 1000000;
	tm.tms_cutime = t->leader->child_user_us * ticks / 1000000;
	tm.tms_cstime = t->leader->child_sys_us * ticks / 1000000;
	return copy_to_guest(t, a->a[0], &tm, sizeof(tm)) ? -EFAULT : r;
}

/* RUSAGE_THREAD: the stub thread's own count. RUSAGE_SELF: the stub's, with what the images
 * execve replaced used. RUSAGE_CHILDREN: the reaped children's, from their stubs' counts. */
SYSCALL(getrusage)
{
	int who = (int)a->a[0];
	struct rusage ru;

	if (who != RUSAGE_SELF && who != RUSAGE_CHILDREN && who != RUSAGE_THREAD)
		return -EINVAL;
	/* (never natively: the host's ru_nvcsw counts the sandbox's stops) */
	if (who == RUSAGE_CHILDREN) {
		ru = t->leader->ru_children;
	} else if (who == RUSAGE_THREAD) {
		int err = task_rusage_thread(t, &ru);
		if (err)
			return err;
	} else {
		int err = task_rusage_self(t, &ru);
		if (err)
			return err;
	}
	return copy_to_guest(t, a->a[1], &ru, sizeof(ru)) ? -EFAULT : 0;
}
