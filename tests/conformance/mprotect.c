/* mprotect: permission changes seen by syscalls (EFAULT), alignment and range errors. */
#include <sys/mman.h>
#include "cf.h"

int
main(void)
{
	long pg = sysconf(_SC_PAGESIZE);
	cf_init();
	int nul = open("sink", O_WRONLY | O_CREAT, 0644);
	int zero = open("/dev/zero", O_RDONLY);
	char *p = mmap(NULL, 3 * pg, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	memset(p, 'a', 3 * pg);
	R("mprotect RO", mprotect(p, pg, PROT_READ));
	R("write() from RO page", write(nul, p, 16));
	R("read() into RO page", read(zero, p, 16));
	YN("RO page still readable", p[0] == 'a');
	R("mprotect NONE", mprotect(p + pg, pg, PROT_NONE));
	R("write() from PROT_NONE page", write(nul, p + pg, 16));
	R("read() into PROT_NONE page", read(zero, p + pg, 16));
	R("mprotect RW again", mprotect(p + pg, pg, PROT_READ | PROT_WRITE));
	YN("contents kept", p[pg] == 'a');
	R("read() into RW page", read(zero, p + pg, 16));
	YN("zeroed by read", p[pg] == 0);
	R("mprotect unaligned", mprotect(p + 1, pg, PROT_READ));
	R("mprotect bad prot", mprotect(p, pg, 0x100));
	R("mprotect len 0", mprotect(p, 0, PROT_READ));
	munmap(p + 2 * pg, pg);
	R("mprotect over unmapped", mprotect(p, 3 * pg, PROT_READ));
	R("mprotect PROT_EXEC", mprotect(p, pg, PROT_READ | PROT_EXEC));
	R("mprotect GROWSDOWN on non-stack", mprotect(p, pg, PROT_READ | PROT_GROWSDOWN));
	return 0;
}
