/* For conformance programs that mount (include after cf.h). */
#pragma once
#include <sched.h>
#include <stdbool.h>
#include <sys/mount.h>

/* After cf_init: false when not root (it says so: nothing to check); else the program is
 * in a mount namespace of its own, where its mounts propagate nowhere. */
static __attribute__((unused)) bool
cf_own_mounts(void)
{
	if (geteuid() != 0) {
		printf("not root: nothing to check\n");
		return false;
	}
	if (unshare(CLONE_NEWNS) == 0)
		mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL);
	return true;
}
