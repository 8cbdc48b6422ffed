/*
 * mlock, mlock2(MLOCK_ONFAULT), munlock, mlockall and munlockall as /proc/self/status
 * (VmLck) and smaps (Locked) show them; 16 MiB locks (above a host's usual 8 MiB
 * RLIMIT_MEMLOCK; root has CAP_IPC_LOCK); ranges with holes fail with ENOMEM; a locked
 * page is resident (mincore). Ranges that wrap past the top (stress-ng's mlock stressor):
 * EINVAL; a length whose page rounding wraps to 0 locks nothing and succeeds.
 */
#include <sys/mman.h>
#include <sys/syscall.h>

#include "cf.h"

static long
vmlck(void)
{
	FILE *f = fopen("/proc/self/status", "r");
	char line[256];
	long v = -1;

	while (f && fgets(line, sizeof(line), f))
		if (sscanf(line, "VmLck: %ld", &v) == 1)
			break;
	if (f)
		fclose(f);
	return v;
}

/* The Locked: line of the smaps entry that starts at p. */
static long
smaps_locked(void *p)
{
	FILE *f = fopen("/proc/self/smaps", "r");
	char line[256];
	unsigned long lo, hi;
	long v = -1;
	int in = 0;

	while (f && fgets(line, sizeof(line), f)) {
		if (sscanf(line, "%lx-%lx ", &lo, &hi) == 2 && strchr(line, '-') < strchr(line, ' '))
			in = lo == (unsigned long)p;
		else if (in && sscanf(line, "Locked: %ld", &v) == 1)
			break;
	}
	if (f)
		fclose(f);
	return v;
}

int
main(void)
{
	const size_t pg = 4096, big = 16 << 20;
	long base;
	unsigned char vec[4];

	setvbuf(stdout, NULL, _IOLBF, 0);
	base = vmlck();
	char *p = mmap(NULL, big, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	OK("mlock 16 MiB", mlock(p, big));
	printf("VmLck grew by %ld kB\n", vmlck() - base);
	printf("smaps Locked %ld kB\n", smaps_locked(p));
	OK("munlock the middle", munlock(p + pg, big - 2 * pg));
	printf("VmLck grew by %ld kB\n", vmlck() - base);
	printf("smaps Locked of the first %ld kB\n", smaps_locked(p));
	OK("munlock all of it", munlock(p, big));
	printf("VmLck grew by %ld kB\n", vmlck() - base);

	char *q = mmap(NULL, 4 * pg, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	munmap(q + 2 * pg, pg);
	OK("mlock over a hole", mlock(q, 4 * pg));
	printf("VmLck grew by %ld kB\n", vmlck() - base);
	OK("munlock over a hole", munlock(q, 4 * pg));
	OK("mlock unaligned start", mlock(q + 100, pg));
	printf("VmLck grew by %ld kB\n", vmlck() - base);
	OK("mincore", mincore(q, 2 * pg, vec));
	printf("resident: %d %d\n", vec[0] & 1, vec[1] & 1);
	munlock(q, 2 * pg);

	char *r = mmap(NULL, 2 * pg, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	OK("mlock2 ONFAULT", syscall(SYS_mlock2, r, 2 * pg, MLOCK_ONFAULT));
	printf("VmLck grew by %ld kB\n", vmlck() - base);
	R("mlock2 bad flag", syscall(SYS_mlock2, r, pg, 2));
	OK("munlock", munlock(r, 2 * pg));

	OK("mlockall(MCL_FUTURE)", mlockall(MCL_FUTURE));
	long before = vmlck();
	char *s = mmap(NULL, 3 * pg, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	printf("new mapping locked: %ld kB\n", vmlck() - before);
	OK("munlockall", munlockall());
	printf("VmLck after munlockall %ld\n", vmlck());
	OK("mlockall(MCL_CURRENT)", mlockall(MCL_CURRENT));
	YN("everything locked", vmlck() > 0);
	munmap(s, 3 * pg);
	OK("munlockall", munlockall());
	printf("VmLck after munlockall %ld\n", vmlck());
	R("mlock at the last byte", mlock((void *)-1L, pg));
	R("munlock at the last byte", munlock((void *)-1L, pg));
	R("mlock of the last page and beyond", mlock((void *)-pg, 2 * pg));
	R("mlock2 of the last page and beyond", syscall(SYS_mlock2, -pg, 2 * pg, 0));
	R("mlock(0, ULONG_MAX)", mlock(NULL, -1UL));
	R("munlock(0, ULONG_MAX)", munlock(NULL, -1UL));
	R("mlockall(0)", mlockall(0));
	R("mlockall(MCL_ONFAULT)", mlockall(MCL_ONFAULT));
	return 0;
}
