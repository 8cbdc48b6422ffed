/*
 * NUMA memory policy: set_mempolicy, get_mempolicy, mbind, move_pages, migrate_pages. The
 * sandbox shows one memory
 * node (node 0), so a policy changes nothing about where memory comes from; the calls
 * check their arguments as Linux's mm/mempolicy.c does and remember what was set: the
 * thread's policy in its task (inherited, kept across execve), a range's in its mapping
 * records.
 */
#include <errno.h>
#include <string.h>

#include "sentry/ns.h"
#include "syscalls/internal.h"

enum {
	MPOL_DEFAULT_, MPOL_PREFERRED_, MPOL_BIND_, MPOL_INTERLEAVE_, MPOL_LOCAL_,
	MPOL_PREFERRED_MANY_, MPOL_WEIGHTED_INTERLEAVE_, MPOL_MAX_,
};
#define MPOL_F_NUMA_BALANCING_ (1 << 13)
#define MPOL_F_RELATIVE_NODES_ (1 << 14)
#define MPOL_F_STATIC_NODES_ (1 << 15)
#define MPOL_MODE_FLAGS_ (MPOL_F_STATIC_NODES_ | MPOL_F_RELATIVE_NODES_ | MPOL_F_NUMA_BALANCING_)
#define MPOL_F_NODE_ (1 << 0)
#define MPOL_F_ADDR_ (1 << 1)
#define MPOL_F_MEMS_ALLOWED_ (1 << 2)
#define MPOL_MF_STRICT_ (1 << 0)
#define MPOL_MF_MOVE_ (1 << 1)
#define MPOL_MF_MOVE_ALL_ (1 << 2)
#define MPOL_MF_VALID_ (MPOL_MF_STRICT_ | MPOL_MF_MOVE_ | MPOL_MF_MOVE_ALL_)
#define MAX_NODE_BITS 1024 /* Linux's MAX_NUMNODES on x86-64 distribution kernels */
#define NODES_HERE 1UL     /* the nodes the sandbox has: node 0 */

/* Linux sanitize_mpol_flags: mode below MPOL_MAX, not both node flags, NUMA balancing
 * only with MPOL_BIND or MPOL_PREFERRED_MANY. */
static int
mpol_split(long arg, int *mode, int *flags)
{
	*flags = (int)(arg & MPOL_MODE_FLAGS_);
	*mode = (int)(arg & ~(long)MPOL_MODE_FLAGS_);
	if ((unsigned long)*mode >= MPOL_MAX_ || arg < 0 || arg > 0xffff)
		return -EINVAL;
	if ((*flags & MPOL_F_STATIC_NODES_) && (*flags & MPOL_F_RELATIVE_NODES_))
		return -EINVAL;
	if ((*flags & MPOL_F_NUMA_BALANCING_) && *mode != MPOL_BIND_ && *mode != MPOL_PREFERRED_MANY_)
		return -EINVAL;
	return 0;
}

/* Linux get_nodes: maxnode - 1 bits from the guest; none when that is 0 or the pointer is
 * NULL; more than a page of bits is EINVAL, and so are set bits past MAX_NODE_BITS. Only
 * nodes 0..63 are kept one by one (a higher one counts as node 63: none exists). */
static int
mpol_get_nodes(struct task *t, unsigned long uptr, unsigned long maxnode, unsigned long *nodes)
{
	unsigned long words[MAX_NODE_BITS / 64], bits = maxnode - 1;

	*nodes = 0;
	if (bits == 0 || !uptr)
		return 0;
	if (bits > PAGE_SIZE * 8)
		return -EINVAL;
	unsigned long n = (bits + 63) / 64;
	for (unsigned long i = 0; i < n; i++) {
		unsigned long w;
		if (copy_from_guest(t, &w, uptr + i * 8, 8))
			return -EFAULT;
		if (i == n - 1 && bits % 64)
			w &= (1UL << (bits % 64)) - 1;
		if (i >= ARRAY_SIZE(words)) {
			if (w)
				return -EINVAL;
			continue;
		}
		words[i] = w;
	}
	*nodes = words[0];
	for (unsigned long i = 1; i < MIN(n, ARRAY_SIZE(words)); i++)
		if (words[i]) /* nodes 64 and up: none exists here; kept as node 63, which neither does */
			*nodes |= 1UL << 63;
	return 0;
}

/* Linux mpol_new and mpol_set_nodemask: the policy a mode and node set make, as
 * get_mempolicy shows it (an empty MPOL_PREFERRED is MPOL_LOCAL), or -EINVAL. */
static int
mpol_make(int mode, int flags, unsigned long nodes, bool have_mask)
{
	if (mode == MPOL_DEFAULT_)
		return have_mask && nodes ? -EINVAL : MPOL_DEFAULT_;
	if (mode == MPOL_PREFERRED_ && !nodes) {
		if (flags & (MPOL_F_STATIC_NODES_ | MPOL_F_RELATIVE_NODES_))
			return -EINVAL;
		return MPOL_LOCAL_;
	}
	if (mode == MPOL_LOCAL_) {
		if (nodes || (flags & (MPOL_F_STATIC_NODES_ | MPOL_F_RELATIVE_NODES_)))
			return -EINVAL;
		return MPOL_LOCAL_ | flags;
	}
	if (!nodes)
		return -EINVAL;
	/* the nodes that exist: given ones (static), or mapped onto them (relative) */
	if (!(flags & MPOL_F_RELATIVE_NODES_) && !(nodes & NODES_HERE))
		return -EINVAL;
	return mode | flags;
}

SYSCALL(set_mempolicy)
{
	int mode, flags, err;
	unsigned long nodes;

	/* (the mode is an int: the register's upper half does not count) */
	if ((err = mpol_split((int)a->a[0], &mode, &flags)) < 0)
		return err;
	if ((err = mpol_get_nodes(t, a->a[1], a->a[2], &nodes)) < 0)
		return err;
	int pol = mpol_make(mode, flags, nodes, a->a[1] != 0);
	if (pol < 0)
		return pol;
	t->mpol_mode = (unsigned short)pol;
	t->mpol_nodes = nodes;
	return 0;
}

/* The node mask a policy reports: as given with a node flag, else the nodes it uses. */
static unsigned long
mpol_nodemask(int pol, unsigned long given)
{
	int mode = pol & ~MPOL_MODE_FLAGS_;

	if (pol & (MPOL_F_STATIC_NODES_ | MPOL_F_RELATIVE_NODES_))
		return given;
	if (mode == MPOL_DEFAULT_ || mode == MPOL_LOCAL_)
		return 0;
	return NODES_HERE;
}

SYSCALL(get_mempolicy)
{
	unsigned long upol = a->a[0], umask = a->a[1], maxnode = a->a[2], addr = a->a[3];
	unsigned long flags = a->a[4], nodes;
	int pol;

	if (umask && maxnode < 1) /* fewer bits than the nodes there are */
		return -EINVAL;
	if (flags & ~(unsigned long)(MPOL_F_NODE_ | MPOL_F_ADDR_ | MPOL_F_MEMS_ALLOWED_))
		return -EINVAL;
	if (flags & MPOL_F_MEMS_ALLOWED_) {
		if (flags & (MPOL_F_NODE_ | MPOL_F_ADDR_))
			return -EINVAL;
		pol = 0;
		nodes = NODES_HERE;
	} else {
		int vpol = -1;
		if (flags & MPOL_F_ADDR_) {
			vpol = mm_get_mpol(t->mm, addr);
			if (vpol < 0)
				return vpol;
		} else if (addr) {
			return -EINVAL;
		}
		int cur = vpol >= 0 ? vpol : t->mpol_mode;
		nodes = mpol_nodemask(cur, vpol >= 0 ? NODES_HERE : t->mpol_nodes);
		if (flags & MPOL_F_NODE_) {
			if (flags & MPOL_F_ADDR_)
				pol = 0; /* the node the page at addr is on */
			else if ((t->mpol_mode & ~MPOL_MODE_FLAGS_) == MPOL_INTERLEAVE_ ||
				 (t->mpol_mode & ~MPOL_MODE_FLAGS_) == MPOL_WEIGHTED_INTERLEAVE_)
				pol = 0; /* the next node it interleaves on */
			else
				return -EINVAL;
		} else {
			pol = cur;
		}
	}
	if (upol && copy_to_guest(t, upol, &pol, sizeof(pol)))
		return -EFAULT;
	if (umask) {
		/* Linux copy_nodes_to_user: maxnode - 1 bits, rounded up to longs; past the
		 * kernel's own node bits the rest is zeroed, more than a page is EINVAL */
		unsigned long bytes = ((maxnode - 1) + 63) / 64 * 8;
		unsigned long zero = 0;
		if (bytes > 8 && bytes > PAGE_SIZE)
			return -EINVAL;
		for (unsigned long off = 8; off < bytes; off += 8)
			if (copy_to_guest(t, umask + off, &zero, 8))
				return -EFAULT;
		if (bytes && copy_to_guest(t, umask, &nodes, 8))
			return -EFAULT;
	}
	return 0;
}

/* A range's end: the start page-aligned, the length rounded up to pages without wrapping
 * (EINVAL otherwise, as Linux's mbind and set_mempolicy_home_node check them). */
static int
mpol_range(unsigned long start, unsigned long len, unsigned long *end)
{
	if (start & (PAGE_SIZE - 1))
		return -EINVAL;
	*end = start + PAGE_UP(len);
	return *end < start || PAGE_UP(len) < len ? -EINVAL : 0;
}

SYSCALL(mbind)
{
	unsigned long start = a->a[0], len = a->a[1], nodes;
	unsigned int flags = (unsigned int)a->a[5];
	int mode, mflags, err;

	/* (Linux kernel_mbind: the mode taken as an int, the flags an unsigned int) */
	if ((err = mpol_split((int)a->a[2], &mode, &mflags)) < 0)
		return err;
	if ((err = mpol_get_nodes(t, a->a[3], a->a[4], &nodes)) < 0)
		return err;
	if (flags & ~(unsigned long)MPOL_MF_VALID_)
		return -EINVAL;
	if ((flags & MPOL_MF_MOVE_ALL_) && !task_capable(t, CAP_SYS_NICE))
		return -EPERM;
	unsigned long end;
	if ((err = mpol_range(start, len, &end)) < 0)
		return err;
	if (end == start)
		return 0;
	int pol = mpol_make(mode, mflags, nodes, a->a[3] != 0);
	if (pol < 0)
		return pol;
	mm_sync_below_stack(t, start, end);
	return mm_set_mpol(t->mm, start, end, (unsigned short)pol);
}

/* Linux's set_mempolicy_home_node: the node allocations of a range's MPOL_BIND or
 * MPOL_PREFERRED_MANY policy prefer. With one node (0) that changes nothing; the checks
 * stay: the start page-aligned, flags 0, a node that is online, every mapping in the
 * range with a policy having one of those two (EOPNOTSUPP), holes and mappings without a
 * policy skipped (ENOENT when no mapping has one). */
SYSCALL(set_mempolicy_home_node)
{
	unsigned long start = a->a[0], len = a->a[1], node = a->a[2], flags = a->a[3];

	if (flags)
		return -EINVAL;
	if (node >= MAX_NODE_BITS || !(NODES_HERE & (node < 64 ? 1UL << node : 0)))
		return -EINVAL;
	unsigned long end;
	int err = mpol_range(start, len, &end);
	if (err < 0 || end == start)
		return err;
	err = -ENOENT; /* (no mapping in the range has a policy) */
	for (int i = 0; i < t->mm->nvmas; i++) {
		const struct vma *v = &t->mm->vmas[i];
		if (v->end <= start || v->start >= end || (v->flags & VMA_RESERVED))
			continue;
		int mode = v->mpol & ~MPOL_MODE_FLAGS_;
		if (mode == MPOL_DEFAULT_)
			continue;
		if (mode != MPOL_BIND_ && mode != MPOL_PREFERRED_MANY_)
			return -EOPNOTSUPP;
		err = 0;
	}
	return err;
}

/* Linux do_pages_move / do_pages_stat with one node: every mapped page is on node 0 already,
 * so a move to node 0 succeeds where it is and a query says 0; an address outside every
 * mapping gets -EFAULT in its status. A target node other than 0 fails the call (ENODEV).
 * Not kept: Linux's -ENOENT for a mapped page never touched (here it says 0). */
SYSCALL(move_pages)
{
	unsigned long count = a->a[1], upages = a->a[2], unodes = a->a[3], ustatus = a->a[4];
	unsigned long flags = a->a[5];
	int pid = (int)a->a[0];
	struct task *c = t;

	if (flags & ~(unsigned long)(MPOL_MF_MOVE_ | MPOL_MF_MOVE_ALL_))
		return -EINVAL;
	if ((flags & MPOL_MF_MOVE_ALL_) && !task_capable(t, CAP_SYS_NICE))
		return -EPERM;
	if (pid) {
		c = task_lookup_vnr(t, pid);
		if (!c || c->state == TASK_ZOMBIE || !c->mm)
			return -ESRCH;
		if (c->tgid != t->tgid && !task_ptrace_may_access(t, c, false))
			return -EPERM;
	}
	for (unsigned long i = 0; i < count; i++) {
		unsigned long page;
		int status, node = 0;

		if (copy_from_guest(t, &page, upages + i * 8, sizeof(page)))
			return -EFAULT;
		if (unodes) {
			if (copy_from_guest(t, &node, unodes + i * 4, sizeof(node)))
				return -EFAULT;
			if (node != 0)
				return -ENODEV; /* out of range or without memory alike */
		}
		status = mm_get_mpol(c->mm, page & ~(PAGE_SIZE - 1)) < 0 ? -EFAULT : 0;
		if (copy_to_guest(t, ustatus + i * 4, &status, sizeof(status)))
			return -EFAULT;
	}
	return 0;
}

/* Linux kernel_migrate_pages: both masks, the target (0: the caller) and the right to
 * look at it, the new nodes within what the target may use (else CAP_SYS_NICE) and what
 * the caller may use (none left: EINVAL). With node 0 alone nothing ever moves: 0 pages
 * left behind. */
SYSCALL(migrate_pages)
{
	unsigned long maxnode = a->a[1], old, new;
	int pid = (int)a->a[0];
	int err = mpol_get_nodes(t, a->a[2], maxnode, &old);

	if (!err)
		err = mpol_get_nodes(t, a->a[3], maxnode, &new);
	if (err)
		return err;
	struct task *c = pid ? task_lookup_vnr(t, pid) : t;
	if (!c)
		return -ESRCH;
	if (c->tgid != t->tgid && !task_ptrace_may_access(t, c, false))
		return -EPERM;
	if ((new & ~NODES_HERE) && !task_capable(t, CAP_SYS_NICE))
		return -EPERM;
	/* a zombie not yet reaped is found, but has no memory left to move */
	if (!(new & NODES_HERE) || !c->mm || c->state == TASK_ZOMBIE)
		return -EINVAL;
	(void)old;
	return 0;
}
