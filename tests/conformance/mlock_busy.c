/* Locked mappings as msync(MS_INVALIDATE) sees them (EBUSY while any page of the range is
 * locked): mlock, mlock2, MAP_LOCKED, mlockall(MCL_FUTURE), undone by munlock and
 * munlockall, not inherited by a fork child; mlock of a PROT_NONE page locks it but fails
 * with ENOMEM (it cannot be faulted in), MLOCK_ONFAULT does not. Run as root. */
#include "cf.h"
#include <sys/mman.h>
#include <sys/wait.h>

#define PG 4096

static void
busy(const char *label, void *p)
{
	char l[128];

	snprintf(l, sizeof(l), "%s: msync(MS_ASYNC|MS_INVALIDATE)", label);
	OK(l, msync(p, PG, MS_ASYNC | MS_INVALIDATE));
}

static void *
page(int prot, int flags)
{
	return mmap(NULL, PG, prot, MAP_PRIVATE | MAP_ANONYMOUS | flags, -1, 0);
}

int
main(void)
{
	char *p = page(PROT_READ | PROT_WRITE, 0);
	busy("plain", p);
	OK("mlock", mlock(p, PG));
	busy("locked", p);
	OK("msync(MS_SYNC|MS_INVALIDATE)", msync(p, PG, MS_SYNC | MS_INVALIDATE));
	OK("msync(MS_ASYNC)", msync(p, PG, MS_ASYNC));
	OK("msync(MS_ASYNC|MS_SYNC|MS_INVALIDATE)", msync(p, PG, MS_ASYNC | MS_SYNC | MS_INVALIDATE));
	OK("msync(0x100|MS_INVALIDATE)", msync(p, PG, 0x100 | MS_INVALIDATE));
	OK("msync(MS_INVALIDATE) of 0 bytes", msync(p, 0, MS_INVALIDATE));
	OK("msync(MS_INVALIDATE) from the page before", msync(p - PG, 2 * PG, MS_INVALIDATE));
	fflush(stdout);
	pid_t c = fork();
	if (c == 0) {
		busy("fork child", p);
		fflush(stdout);
		_exit(0);
	}
	waitpid(c, NULL, 0);
	OK("munlock", munlock(p, PG));
	busy("unlocked", p);

	char *n = page(PROT_NONE, 0);
	OK("mlock PROT_NONE", mlock(n, PG));
	busy("PROT_NONE after mlock", n);
	OK("munlock PROT_NONE", munlock(n, PG));
	OK("mlock2 ONFAULT PROT_NONE", syscall(SYS_mlock2, n, PG, MLOCK_ONFAULT));
	busy("PROT_NONE after mlock2 ONFAULT", n);
	munlock(n, PG);

	char *m = page(PROT_READ | PROT_WRITE, MAP_LOCKED);
	busy("MAP_LOCKED", m);
	OK("munlock MAP_LOCKED", munlock(m, PG));
	busy("MAP_LOCKED after munlock", m);
	OK("mlock again", mlock(m, PG));
	OK("munlockall", munlockall());
	busy("after munlockall", m);

	OK("mlockall(MCL_FUTURE)", mlockall(MCL_FUTURE));
	char *f = page(PROT_READ | PROT_WRITE, 0);
	busy("mapped after MCL_FUTURE", f);
	busy("mapped before MCL_FUTURE", p);
	fflush(stdout);
	c = fork();
	if (c == 0) {
		busy("fork child: inherited mapping", f);
		busy("fork child: its own new mapping", page(PROT_READ | PROT_WRITE, 0));
		fflush(stdout);
		_exit(0);
	}
	waitpid(c, NULL, 0);
	OK("munlockall", munlockall());
	busy("after munlockall", f);
	busy("mapped after munlockall", page(PROT_READ | PROT_WRITE, 0));
	return 0;
}
