/* KSM: /sys/kernel/mm/ksm is there (programs look for it before MADV_MERGEABLE) and
 * madvise(MADV_MERGEABLE / MADV_UNMERGEABLE) is accepted. */
#include "cf.h"
#include <sys/mman.h>

int
main(void)
{
	OK("access ksm dir", access("/sys/kernel/mm/ksm", F_OK));
	OK("access ksm run", access("/sys/kernel/mm/ksm/run", R_OK));
	OK("access pages_shared", access("/sys/kernel/mm/ksm/pages_shared", R_OK));
	char *p = mmap(NULL, 8 * 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	OK("MADV_MERGEABLE", madvise(p, 8 * 4096, MADV_MERGEABLE));
	OK("MADV_UNMERGEABLE", madvise(p, 8 * 4096, MADV_UNMERGEABLE));
	return 0;
}
