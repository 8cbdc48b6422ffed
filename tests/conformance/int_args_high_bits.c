/* Arguments the kernel declares int or unsigned int (or takes as one: mbind's mode) take
 * the low 32 bits of their register: garbage in the upper half (strace's tests fill it)
 * changes nothing. */
#include "cf.h"
#include <sys/mman.h>

#define HI 0xbadc0ded00000000UL

int
main(void)
{
	/* struct sched_attr (56 bytes): size and policy first, the runtime at byte 24 */
	uint32_t at[14];

	memset(at, 0, sizeof(at));
	R("sched_getattr, flags 0 with high bits",
	  syscall(SYS_sched_getattr, HI, at, HI | sizeof(at), HI));
	printf("  size %u policy %u\n", at[0], at[1]);
	at[6] = at[7] = 0;
	R("sched_setattr, flags 0 with high bits", syscall(SYS_sched_setattr, HI, at, HI));
	R("sched_getattr, flags 1", syscall(SYS_sched_getattr, 0, at, sizeof(at), 1));

	char *p = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	R("mlock2, flags MLOCK_ONFAULT with high bits",
	  syscall(SYS_mlock2, p, 4096, HI | MLOCK_ONFAULT));
	R("mlock2, flags 2", syscall(SYS_mlock2, p, 4096, 2));
	munlock(p, 4096);
	R("mbind MPOL_DEFAULT, flags 0 with high bits",
	  syscall(SYS_mbind, p, 4096, HI, NULL, 0, HI));
	R("mbind, flags 0x100", syscall(SYS_mbind, p, 4096, 0, NULL, 0, 0x100));
	R("set_mempolicy MPOL_DEFAULT with high bits", syscall(SYS_set_mempolicy, HI, NULL, 0));
	R("set_mempolicy mode 77", syscall(SYS_set_mempolicy, 77, NULL, 0));

	int pfd = (int)syscall(SYS_pidfd_open, getpid(), 0);
	FD("pidfd_getfd, flags 0 with high bits", syscall(SYS_pidfd_getfd, pfd, 1, HI));
	R("pidfd_getfd, flags 1", syscall(SYS_pidfd_getfd, pfd, 1, 1));
	return 0;
}
