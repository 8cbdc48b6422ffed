/*
 * Landlock's syscalls (Linux 5.13+): landlock_create_ruleset, landlock_add_rule,
 * landlock_restrict_self, in Linux's order of checks. The rules themselves and their
 * enforcement are fs/landlock.c's.
 *
 * ABI 5 is claimed: every filesystem right (execute ... refer, truncate, ioctl_dev) and
 * TCP bind/connect by port are enforced. Scopes (ABI 6: abstract unix sockets, signals)
 * and the audit flags of restrict_self (ABI 7) are not offered: their fields and flags
 * are unknown, as on a Linux of ABI 5.
 */
#include <stdint.h>

#include "fs/vfs.h"
#include "syscalls/internal.h"

#define LL_ABI 5
/* Erratum 1 (ABI 4): only TCP sockets are governed by the network rights, which is
 * what this implementation does (landlock_tcp's callers). */
#define LL_ERRATA 1

#define CREATE_VERSION 1u
#define CREATE_ERRATA 2u
#define RULE_PATH_BENEATH 1
#define RULE_NET_PORT 2

/* struct landlock_ruleset_attr as ABI 5 knows it: handled_access_fs, handled_access_net */
struct ll_ruleset_attr {
	uint64_t fs, net;
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
	err = landlock_ruleset_new(r.fs, r.net, 0, &f);
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

	if (!t->no_new_privs && !task_capable(t, CAP_SYS_ADMIN))
		return -EPERM;
	if ((uint32_t)a->a[1])
		return -EINVAL;
	rf = sys_fd_io(t, (int)a->a[0]);
	if (!rf)
		return -EBADF;
	err = landlock_ruleset_check(rf, false);
	if (err)
		return err;
	return landlock_restrict(t, rf);
}
