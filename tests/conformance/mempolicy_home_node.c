/*
 * set_mempolicy_home_node (Linux 5.17): its checks (start alignment, flags, an online
 * node) and the policies it accepts: every mapping in the range with a policy must have
 * MPOL_BIND or MPOL_PREFERRED_MANY (else EOPNOTSUPP); mappings without one and holes are
 * skipped. The sandbox has one node, as most machines.
 */
#include "cf.h"
#include <sys/mman.h>

#ifndef SYS_set_mempolicy_home_node
#define SYS_set_mempolicy_home_node 450
#endif
#define MPOL_PREFERRED_ 1
#define MPOL_BIND_ 2
#define MPOL_INTERLEAVE_ 3
#define MPOL_PREFERRED_MANY_ 5

static long
home(void *p, size_t len, unsigned long node, unsigned long flags)
{
	return syscall(SYS_set_mempolicy_home_node, p, len, node, flags);
}

int
main(void)
{
	unsigned long one = 1;
	size_t pg = (size_t)sysconf(_SC_PAGESIZE);
	char *p = mmap(NULL, 4 * pg, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	R("no policy", home(p, 4 * pg, 0, 0));
	R("unaligned", home(p + 1, pg, 0, 0));
	R("flags", home(p, pg, 0, 1));
	R("node 1024", home(p, pg, 1024, 0));
	R("node 63 (offline)", home(p, pg, 63, 0));
	R("zero length", home(p, 0, 0, 0));
	R("wrapping length", home(p, (size_t)-pg, 0, 0));
	R("mbind bind", syscall(SYS_mbind, p, pg, MPOL_BIND_, &one, 64, 0));
	R("bind", home(p, pg, 0, 0));
	R("mbind preferred-many", syscall(SYS_mbind, p + pg, pg, MPOL_PREFERRED_MANY_, &one, 64, 0));
	R("bind and preferred-many", home(p, 2 * pg, 0, 0));
	R("mbind interleave", syscall(SYS_mbind, p + 2 * pg, pg, MPOL_INTERLEAVE_, &one, 64, 0));
	R("over an interleave", home(p, 3 * pg, 0, 0));
	R("mbind preferred", syscall(SYS_mbind, p + 3 * pg, pg, MPOL_PREFERRED_, &one, 64, 0));
	R("preferred alone", home(p + 3 * pg, pg, 0, 0));
	munmap(p + 2 * pg, 2 * pg);
	R("over a hole", home(p, 8 * pg, 0, 0));
	return 0;
}
