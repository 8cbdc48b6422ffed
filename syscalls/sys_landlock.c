/*
 * Landlock's syscalls (Linux 5.13+): landlock_create_ruleset, landlock_add_rule,
 * landlock_restrict_self, in Linux's order of checks. The rules themselves and their
 * enforcement are fs/landlock.c's.
 *
 * ABI 7 is claimed: every filesystem right (execute ... refer, truncate, ioctl_dev), TCP
 * bind/connect by port, the scopes (abstract unix sockets, signals) are enforced; the
 * audit flags of restrict_self are accepted and change nothing, as on a Linux built
 * without CONFIG_AUDIT (the sandbox has no Linux audit to log denials to). Not ABI 8:
 * no LANDLOCK_RESTRICT_SELF_TSYNC.
 */
#include <stdint.h>

#include "fs/vfs.h"
#include "syscalls/internal.h"

#define LL_ABI 7
/* Errata fixed (Linux security/landlock/errata/): 1 (ABI 4), only TCP sockets are
 * governed by the network rights; 2 (ABI 6), threads of a process may always signal one
 * another; 3 (ABI 1), a directory moved out of a bind mount's subtree is walked up from
 * the mount's root (fs/landlock.c walk_up). */
#define LL_ERRATA 7

#define CREATE_VERSION 1u
#define CREATE_ERRATA 2u
#define RULE_PATH_BENEATH 1
#define RULE_NET_PORT 2
#define RESTRICT_LOG_SAME_EXEC_OFF 1u
#define RESTRICT_LOG_NEW_EXEC_ON 2u
#define RESTRICT_LOG_SUBDOMAINS_OFF 4u
#define RESTRICT_ALL 7u
#define SCOPE_ALL (LL_SCOPE_ABSTRACT_UNIX | LL_SCOPE_SIGNAL)

/* struct landlock_ruleset_attr: handled_access_fs, handled_access_net, scoped */
struct ll_ruleset_attr {
	uint64_t fs, net, scoped;
};

struct ll_path_attr {
	uint64_t access;
	int32_t fd;
} __attribute__((packed));

struct ll_port_attr {
	uint64_t access, port;
};

SYSCALL(landlock_create_ruleset)
{
	unsigned long uattr = a->a[0], size = a->a[1];
	uint32_t flags = (uint32_t)a->a[2];
	struct ll_ruleset_attr r = { 0 };
	struct file *f;
	int err;

	if (flags) {
		if (uattr || size)
			return -EINVAL;
		if (flags == CREATE_VERSION)
			return LL_ABI;
		if (flags == CREATE_ERRATA)
			return LL_ERRATA;
		return -EINVAL;
	}
	/* Linux copy_min_struct_from_user: at least handled_access_fs, at most a page */
	if (!uattr)
		return -EFAULT;
	if (size < sizeof(r.fs))
		return -EINVAL;
	if (size > PAGE_SIZE)
		return -E2BIG;
	err = sys_copy_struct(t, &r, sizeof(r), uattr, size);
	if (err)
		return err;
	if ((r.fs | LL_FS_ALL) != LL_FS_ALL)
		return -EINVAL;
	if ((r.net | (LL_NET_BIND_TCP | LL_NET_CONNECT_TCP)) != (LL_NET_BIND_TCP | LL_NET_CONNECT_TCP))
		return -EINVAL;
	if ((r.scoped | SCOPE_ALL) != SCOPE_ALL)
		return -EINVAL;
	err = landlock_ruleset_new(r.fs, r.net, r.scoped, &f);
	if (err)
		return err;
	return sys_install(t, f, true);
}

static long
add_path_rule(struct task *t, struct file *rf, unsigned long uattr)
{
	struct ll_path_attr p;

	if (copy_from_guest(t, &p, uattr, sizeof(p)) < 0)
		return -EFAULT;
	/* (an O_PATH descriptor names the hierarchy as well as any other) */
	return landlock_add_path_rule(rf, p.access, sys_fd(t, p.fd));
}

static long
add_port_rule(struct task *t, struct file *rf, unsigned long uattr)
{
	struct ll_port_attr p;

	if (copy_from_guest(t, &p, uattr, sizeof(p)) < 0)
		return -EFAULT;
	return landlock_add_port_rule(rf, p.access, p.port);
}

SYSCALL(landlock_add_rule)
{
	struct file *rf;
	int err;

	if ((uint32_t)a->a[3])
		return -EINVAL;
	rf = sys_fd_io(t, (int)a->a[0]);
	if (!rf)
		return -EBADF;
	err = landlock_ruleset_check(rf, true);
	if (err)
		return err;
	switch ((int)a->a[1]) {
	case RULE_PATH_BENEATH:
		return add_path_rule(t, rf, a->a[2]);
	case RULE_NET_PORT:
		return add_port_rule(t, rf, a->a[2]);
	default:
		return -EINVAL;
	}
}

/* As seccomp's filters: no_new_privs or CAP_SYS_ADMIN, so that a program run with more
 * privilege cannot be misled by a domain its unprivileged parent chose. */
SYSCALL(landlock_restrict_self)
{
	struct file *rf;
	int err;

	uint32_t flags = (uint32_t)a->a[1];

	if (!t->no_new_privs && !task_capable(t, CAP_SYS_ADMIN))
		return -EPERM;
	if ((flags | RESTRICT_ALL) != RESTRICT_ALL)
		return -EINVAL;
	/* the log flags alone (subdomains off, with fd -1) change only what would be logged */
	if ((int)a->a[0] == -1 && flags == RESTRICT_LOG_SUBDOMAINS_OFF)
		return 0;
	rf = sys_fd_io(t, (int)a->a[0]);
	if (!rf)
		return -EBADF;
	err = landlock_ruleset_check(rf, false);
	if (err)
		return err;
	return landlock_restrict(t, rf);
}
