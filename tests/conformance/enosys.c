/* Unknown or unsupported syscall numbers fail with ENOSYS; the caller survives, also with
 * numbers of no ABI that have bit 30 set (-2, past x32's table; x32's own calls are killed:
 * tests/security/escapes.sh). */
#include "cf.h"

int
main(void)
{
	R("syscall(1000)", syscall(1000));
	R("syscall(500)", syscall(500));
	R("syscall(99999)", syscall(99999));
	R("syscall(-1)", syscall(-1));
	R("syscall(-2)", syscall(-2));
	R("syscall(0x40000400)", syscall(0x40000400));
	R("syscall(0x50000000)", syscall(0x50000000));
	R("syscall(0x7fffffff)", syscall(0x7fffffff));
	R("syscall(0x80000000)", syscall(0x80000000L));
	R("syscall(1000, args)", syscall(1000, 1, 2, 3, 4, 5, 6));
	R("afs_syscall (183)", syscall(183));
	R("tuxcall (184)", syscall(184));
	R("security (185)", syscall(185));
	R("vserver (236)", syscall(236));
	R("getpmsg (181)", syscall(181));
	R("putpmsg (182)", syscall(182));
	R("create_module (174)", syscall(174));
	R("get_kernel_syms (177)", syscall(177));
	R("query_module (178)", syscall(178));
	R("nfsservctl (180)", syscall(180));
	R("lookup_dcookie (212), gone since 6.10", syscall(212, 0, NULL, 0));
	R("_sysctl (156), gone since 5.5", syscall(156, NULL));
	R("getpid still works", syscall(SYS_getpid) > 0);
	return 0;
}
