/* arch_prctl ARCH_MAP_VDSO_*: with the vDSO mapped (every process has it), a second one is
 * EEXIST (Linux map_vdso_once); an unknown code is EINVAL. */
#include "cf.h"
#include <asm/prctl.h>

int
main(void)
{
	unsigned long at = 0x100000000UL;

	R("ARCH_MAP_VDSO_64", syscall(SYS_arch_prctl, ARCH_MAP_VDSO_64, at));
	R("ARCH_MAP_VDSO_32", syscall(SYS_arch_prctl, ARCH_MAP_VDSO_32, at));
	R("ARCH_MAP_VDSO_64 at 0", syscall(SYS_arch_prctl, ARCH_MAP_VDSO_64, 0));
	R("unknown code 0x2010", syscall(SYS_arch_prctl, 0x2010, 0));
	return 0;
}
