/*
 * Capability sets of tasks, with Linux's rules (security/commoncap.c) for what set*uid
 * and execve do to them. The sandbox has no file capabilities and no ambient set.
 */
#include "sentry/sentry.h"

bool
task_capable(const struct task *t, int cap)
{
	if (!t)
		return true;
	if (cap < 0 || cap > CAP_LAST_CAP_)
		return false;
	return (t->cap_eff >> cap) & 1;
}

void
task_caps_init(struct task *t)
{
	t->cap_bnd = CAPS_ALL;
	t->cap_inh = 0;
	t->cap_prm = t->cap_eff = t->euid == 0 ? CAPS_ALL : 0;
	t->keepcaps = false;
}

/* The capabilities Linux ties to the filesystem uid (CAP_FS_MASK). */
#define CAPS_FS ((1ULL << 0) | (1ULL << 1) | (1ULL << 2) | (1ULL << 3) | (1ULL << 4) | \
		 (1ULL << 9) | (1ULL << 27) | (1ULL << 32))

void
task_caps_setuid(struct task *t, uid_t old_r, uid_t old_e, uid_t old_s)
{
	bool was_root = old_r == 0 || old_e == 0 || old_s == 0;
	bool is_root = t->uid == 0 || t->euid == 0 || t->suid == 0;

	if (was_root && !is_root) {
		if (!t->keepcaps)
			t->cap_prm = 0;
		t->cap_eff = 0;
	}
	if (old_e == 0 && t->euid != 0)
		t->cap_eff = 0;
	if (old_e != 0 && t->euid == 0)
		t->cap_eff = t->cap_prm;
	/* the filesystem uid follows the effective one */
	if (old_e == 0 && t->euid != 0)
		t->cap_eff &= ~CAPS_FS;
	else if (old_e != 0 && t->euid == 0)
		t->cap_eff |= t->cap_prm & CAPS_FS;
}

/* setfsuid: the filesystem capabilities follow a filesystem uid that becomes or stops
 * being root */
void
task_caps_setfsuid(struct task *t, uid_t old_fs)
{
	if (old_fs == 0 && t->fsuid != 0)
		t->cap_eff &= ~CAPS_FS;
	else if (old_fs != 0 && t->fsuid == 0)
		t->cap_eff |= t->cap_prm & CAPS_FS;
}

void
task_caps_exec(struct task *t)
{
	if (t->uid == 0 || t->euid == 0) {
		t->cap_prm = t->cap_bnd | t->cap_inh;
		t->cap_eff = t->euid == 0 ? t->cap_prm : 0;
	} else {
		t->cap_prm = t->cap_eff = 0;
	}
	t->cap_prm &= CAPS_ALL;
	t->cap_eff &= CAPS_ALL;
	t->keepcaps = false;
}
