/*
 * Capability sets of tasks, with Linux's rules (security/commoncap.c) for what set*uid
 * and execve do to them, with the ambient set and the securebits. The sandbox has no file
 * capabilities.
 */
#include "fs/vfs.h"
#include "sentry/ns.h"
#include "sentry/oci.h"
#include "sentry/sentry.h"

/* Linux's capability numbers by name (linux/capability.h), as the OCI spec and docker's
 * profiles name them ("CAP_..."). */
static const char *const cap_names[] = {
	"CHOWN", "DAC_OVERRIDE", "DAC_READ_SEARCH", "FOWNER", "FSETID", "KILL", "SETGID",
	"SETUID", "SETPCAP", "LINUX_IMMUTABLE", "NET_BIND_SERVICE", "NET_BROADCAST", "NET_ADMIN",
	"NET_RAW", "IPC_LOCK", "IPC_OWNER", "SYS_MODULE", "SYS_RAWIO", "SYS_CHROOT", "SYS_PTRACE",
	"SYS_PACCT", "SYS_ADMIN", "SYS_BOOT", "SYS_NICE", "SYS_RESOURCE", "SYS_TIME",
	"SYS_TTY_CONFIG", "MKNOD", "LEASE", "AUDIT_WRITE", "AUDIT_CONTROL", "SETFCAP",
	"MAC_OVERRIDE", "MAC_ADMIN", "SYSLOG", "WAKE_ALARM", "BLOCK_SUSPEND", "AUDIT_READ",
	"PERFMON", "BPF", "CHECKPOINT_RESTORE",
};

int
cap_by_name(const char *name)
{
	if (strncmp(name, "CAP_", 4))
		return -1;
	for (size_t c = 0; c < ARRAY_SIZE(cap_names); c++)
		if (!strcmp(name + 4, cap_names[c]))
			return (int)c;
	return -1;
}

bool
task_capable(const struct task *t, int cap)
{
	if (!t)
		return true;
	if (cap < 0 || cap > CAP_LAST_CAP_)
		return false;
	/* the initial user namespace's: a task in a new one has none there */
	if (t->ns[NS_USER] && !userns_is_initial(t))
		return false;
	return task_note_priv(t, (t->cap_eff >> cap) & 1);
}

bool
task_capable_wrt_ids(const struct task *t, long kuid, long kgid, int cap)
{
	if (!t || !t->ns[NS_USER] || userns_is_initial(t))
		return task_capable(t, cap);
	if ((kuid >= 0 && !userns_maps_uid(t, (unsigned int)kuid)) ||
	    (kgid >= 0 && !userns_maps_gid(t, (unsigned int)kgid)))
		return false;
	return task_ns_capable(t, ns_of(t, NS_USER), cap);
}

/*
 * Linux __ptrace_may_access with commoncap's cap_ptrace_access_check. Without
 * CAP_SYS_PTRACE in the target's user namespace the caller needs the target's real,
 * effective and saved ids to all be its own, a dumpable target, and, in the same user
 * namespace, every capability the target holds. fscreds compares fsuid, fsgid and the
 * effective set (PTRACE_MODE_FSCREDS, /proc) instead of the real ids and the permitted
 * set. Linux asks for the dumpable check in the user namespace the target's mm was made
 * in; the sentry keeps none per mm and asks the target's own (they differ only after a
 * target unshares its user namespace).
 */
bool
task_ptrace_may_access(const struct task *caller, const struct task *target, bool fscreds)
{
	if (!caller || caller->tgid == target->tgid)
		return true;
	struct ns_common *tns = ns_of(target, NS_USER);
	const struct task *l = target->leader ? target->leader : target;
	uid_t uid = fscreds ? caller->fsuid : caller->uid;
	gid_t gid = fscreds ? caller->fsgid : caller->gid;
	bool ids = uid == target->uid && uid == target->euid && uid == target->suid &&
		   gid == target->gid && gid == target->egid && gid == target->sgid;
	uint64_t caps = fscreds ? caller->cap_eff : caller->cap_prm;
	bool subset = ns_of(caller, NS_USER) == tns && !(target->cap_prm & ~caps);

	/* (the capability asked only where the plain rules refuse, as Linux: a use of it
	 * shows in the caller's /proc/PID/stat flags) */
	if ((!ids || l->dumpable != 1 || !subset) && !task_ns_capable(caller, tns, CAP_SYS_PTRACE))
		return false;
	/* then the security modules' say (Linux security_ptrace_access_check): Landlock */
	return landlock_ptrace_ok(caller->landlock, target->landlock);
}

void
task_caps_init(struct task *t)
{
	t->cap_bnd = CAPS_ALL;
	t->cap_inh = 0;
	t->cap_prm = t->cap_eff = t->euid == 0 ? CAPS_ALL : 0;
	t->cap_amb = 0;
	t->securebits = 0;
	t->keepcaps = false;
}

void
oci_apply_caps(struct task *t, const uint64_t caps[OCI_CAP_SETS])
{
	t->cap_bnd = caps[OCI_CAP_BND] & CAPS_ALL;
	t->cap_prm = caps[OCI_CAP_PRM] & CAPS_ALL;
	t->cap_inh = caps[OCI_CAP_INH] & CAPS_ALL;
	t->cap_eff = caps[OCI_CAP_EFF] & t->cap_prm;
	t->cap_amb = caps[OCI_CAP_AMB] & t->cap_prm & t->cap_inh;
}

int
oci_chdir(struct task *t, const char *cwd)
{
	uid_t fsuid = t->fsuid;
	gid_t fsgid = t->fsgid;
	uint64_t eff = t->cap_eff;

	/* as the container's root with every capability first, as runc's init does before it
	 * takes the process's user and capabilities... */
	t->fsuid = 0;
	t->fsgid = 0;
	t->cap_eff = CAPS_ALL;
	int err = vfs_chdir(t, NULL, cwd);
	t->fsuid = fsuid;
	t->fsgid = fsgid;
	t->cap_eff = eff;
	/* ...and then as the process, for a directory only its user may enter */
	if (err == -EACCES || err == -EPERM)
		err = vfs_chdir(t, NULL, cwd);
	return err;
}

/* The kernel uid of root in t's user namespace (Linux make_kuid(ns, 0)); -1 when its map
 * has no 0 (then nobody is root there). */
static uid_t
root_uid(const struct task *t)
{
	if (!t->ns[NS_USER])
		return 0;
	long k = userns_uid_in(t, 0);
	return k < 0 ? (uid_t)-1 : (uid_t)k;
}

/* The capabilities Linux ties to the filesystem uid (CAP_FS_MASK). */
#define CAPS_FS ((1ULL << 0) | (1ULL << 1) | (1ULL << 2) | (1ULL << 3) | (1ULL << 4) | \
		 (1ULL << 9) | (1ULL << 27) | (1ULL << 32))

void
task_caps_setuid(struct task *t, uid_t old_r, uid_t old_e, uid_t old_s)
{
	uid_t R = root_uid(t);
	bool was_root = old_r == R || old_e == R || old_s == R;
	bool is_root = t->uid == R || t->euid == R || t->suid == R;

	if (t->securebits & SECBIT_NO_SETUID_FIXUP_)
		return;
	if (was_root && !is_root) {
		if (!t->keepcaps)
			t->cap_prm = 0;
		t->cap_eff = 0;
		t->cap_amb = 0; /* whatever keepcaps says */
	}
	if (old_e == R && t->euid != R)
		t->cap_eff = 0;
	if (old_e != R && t->euid == R)
		t->cap_eff = t->cap_prm;
	/* the filesystem uid follows the effective one */
	if (old_e == R && t->euid != R)
		t->cap_eff &= ~CAPS_FS;
	else if (old_e != R && t->euid == R)
		t->cap_eff |= t->cap_prm & CAPS_FS;
}

/* setfsuid: the filesystem capabilities follow a filesystem uid that becomes or stops
 * being root */
void
task_caps_setfsuid(struct task *t, uid_t old_fs)
{
	uid_t R = root_uid(t);
	if (old_fs == R && t->fsuid != R)
		t->cap_eff &= ~CAPS_FS;
	else if (old_fs != R && t->fsuid == R)
		t->cap_eff |= t->cap_prm & CAPS_FS;
}

void
task_caps_exec(struct task *t)
{
	uid_t R = root_uid(t);
	bool root = !(t->securebits & SECBIT_NOROOT_) && (t->uid == R || t->euid == R);

	/* pP' = root ? (bounding | inheritable) : 0, then | ambient; pE' = pP' when the
	 * effective uid is root, else the ambient set (no file capabilities here) */
	t->cap_amb &= t->cap_prm & t->cap_inh;
	t->cap_prm = (root ? t->cap_bnd | t->cap_inh : 0) | t->cap_amb;
	t->cap_eff = root && t->euid == R ? t->cap_prm : t->cap_amb;
	t->cap_prm &= CAPS_ALL;
	t->cap_eff &= CAPS_ALL;
	t->keepcaps = false;
}

/* prctl PR_CAP_AMBIENT (Linux cap_task_prctl). */
long
task_caps_ambient(struct task *t, unsigned long op, unsigned long cap, unsigned long a4,
		  unsigned long a5)
{
	if (op == PR_CAP_AMBIENT_CLEAR_ALL_) {
		if (cap || a4 || a5)
			return -EINVAL;
		t->cap_amb = 0;
		return 0;
	}
	if (cap > CAP_LAST_CAP_ || a4 || a5)
		return -EINVAL;
	uint64_t bit = 1ULL << cap;
	switch (op) {
	case PR_CAP_AMBIENT_IS_SET_:
		return (t->cap_amb & bit) != 0;
	case PR_CAP_AMBIENT_RAISE_:
		if (!(t->cap_prm & bit) || !(t->cap_inh & bit) ||
		    (t->securebits & SECBIT_NO_CAP_AMBIENT_RAISE_))
			return -EPERM;
		t->cap_amb |= bit;
		return 0;
	case PR_CAP_AMBIENT_LOWER_:
		t->cap_amb &= ~bit;
		return 0;
	default:
		return -EINVAL;
	}
}

/* prctl PR_SET_SECUREBITS: locked bits stay, only known bits, CAP_SETPCAP needed. */
long
task_set_securebits(struct task *t, unsigned long bits)
{
	unsigned long old = t->securebits | (t->keepcaps ? SECBIT_KEEP_CAPS_ : 0);

	if ((((old & SECURE_ALL_LOCKS_) >> 1) & (old ^ bits)) || (old & SECURE_ALL_LOCKS_ & ~bits) ||
	    (bits & ~(SECURE_ALL_LOCKS_ | SECURE_ALL_BITS_)) || !task_capable(t, CAP_SETPCAP))
		return -EPERM;
	t->keepcaps = (bits & SECBIT_KEEP_CAPS_) != 0;
	t->securebits = (unsigned int)(bits & ~(unsigned long)SECBIT_KEEP_CAPS_);
	return 0;
}
