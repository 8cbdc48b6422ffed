/*
 * The LSM syscalls (Linux 6.8): lsm_list_modules, lsm_get_self_attr, lsm_set_self_attr.
 * The sandbox's kernel has one security module, the capability one (its rules are the
 * sentry's capability checks); it keeps no process attributes (no "current", "exec" or
 * similar of SELinux, AppArmor or Smack), so reading or setting one is EOPNOTSUPP, as
 * on a Linux whose modules provide none.
 */
#include <stdint.h>

#include "syscalls/internal.h"

#define LSM_ID_CAPABILITY_ 100
#define LSM_ATTR_UNDEF_ 0
#define LSM_ID_UNDEF_ 0
#define LSM_FLAG_SINGLE_ 1

struct lsm_ctx_ {
	uint64_t id, flags, len, ctx_len;
};

static const uint64_t lsm_ids[] = { LSM_ID_CAPABILITY_ };

/* Linux's order: flags, the size read, the needed size written back, E2BIG, the ids. */
SYSCALL(lsm_list_modules)
{
	uint32_t usize, total = sizeof(lsm_ids);

	if ((uint32_t)a->a[2])
		return -EINVAL;
	if (copy_from_guest(t, &usize, a->a[1], sizeof(usize)) < 0 ||
	    copy_to_guest(t, a->a[1], &total, sizeof(total)) < 0)
		return -EFAULT;
	if (usize < total)
		return -E2BIG;
	if (copy_to_guest(t, a->a[0], lsm_ids, sizeof(lsm_ids)) < 0)
		return -EFAULT;
	return ARRAY_SIZE(lsm_ids);
}

/* Linux security_getselfattr: no module answers, so after the checks the size written back
 * is 0 and the result EOPNOTSUPP. */
SYSCALL(lsm_get_self_attr)
{
	unsigned long uctx = a->a[1], usize = a->a[2];
	uint32_t flags = a->a[3], left, total = 0;
	struct lsm_ctx_ c = { 0 };

	if ((uint32_t)a->a[0] == LSM_ATTR_UNDEF_ || !usize)
		return -EINVAL;
	if (copy_from_guest(t, &left, usize, sizeof(left)) < 0)
		return -EFAULT;
	if (flags) {
		if (flags != LSM_FLAG_SINGLE_)
			return -EINVAL;
		if (uctx && copy_from_guest(t, &c, uctx, sizeof(c)) < 0)
			return -EFAULT;
		if (c.id == LSM_ID_UNDEF_)
			return -EINVAL;
	}
	if (copy_to_guest(t, usize, &total, sizeof(total)) < 0)
		return -EFAULT;
	return -EOPNOTSUPP;
}

/* Linux security_setselfattr: the context's sizes checked, then no module takes it. */
SYSCALL(lsm_set_self_attr)
{
	uint32_t size = a->a[2];
	struct lsm_ctx_ c;

	if ((uint32_t)a->a[3])
		return -EINVAL;
	if (size < sizeof(c))
		return -EINVAL;
	if (size > PAGE_SIZE)
		return -E2BIG;
	if (copy_from_guest(t, &c, a->a[1], sizeof(c)) < 0)
		return -EFAULT;
	for (uint32_t off = sizeof(c); off < size; off += PAGE_SIZE) {
		char rest[PAGE_SIZE];

		if (copy_from_guest(t, rest, a->a[1] + off, MIN(size - off, PAGE_SIZE)) < 0)
			return -EFAULT; /* (memdup_user reads it all) */
	}
	if (size < c.len || c.ctx_len > UINT64_MAX - sizeof(c) || c.len < c.ctx_len + sizeof(c))
		return -EINVAL;
	return -EOPNOTSUPP;
}
