/*
 * madvise on locked memory: the advice that would drop, free, page out or guard locked pages
 * is EINVAL (after applying to the mappings before the first locked one); the rest works,
 * MADV_DONTNEED_LOCKED too. Locks made by mlock, mlock2(MLOCK_ONFAULT), mlockall (current
 * and future) and MAP_LOCKED; not inherited by a fork's child; undone by munlock; gone after
 * execve. The sandbox keeps locks in its own records (the host's stub holds none).
 */
#include "cf.h"
#include <sys/mman.h>
#include <sys/wait.h>

#ifndef MADV_COLD
#define MADV_COLD 20
#endif
#ifndef MADV_PAGEOUT
#define MADV_PAGEOUT 21
#endif
#ifndef MADV_DONTNEED_LOCKED
#define MADV_DONTNEED_LOCKED 24
#endif
#ifndef MADV_GUARD_INSTALL
#define MADV_GUARD_INSTALL 102
#endif

#define PG 4096

static const struct { int adv; const char *name; } advs[] = {
	{ MADV_NORMAL, "normal" }, { MADV_RANDOM, "random" }, { MADV_SEQUENTIAL, "sequential" },
	{ MADV_WILLNEED, "willneed" }, { MADV_DONTNEED, "dontneed" }, { MADV_FREE, "free" },
	{ MADV_REMOVE, "remove" }, { MADV_DONTFORK, "dontfork" }, { MADV_DOFORK, "dofork" },
	{ MADV_COLD, "cold" }, { MADV_PAGEOUT, "pageout" },
	{ MADV_DONTNEED_LOCKED, "dontneed_locked" }, { MADV_GUARD_INSTALL, "guard_install" },
};

/* Three pages, the middle one locked as how says; every advice over all three; for the
 * ones that drop pages, whether the first (unlocked) page was dropped. */
static void
sweep(const char *how, int type)
{
	char label[128];

	for (size_t i = 0; i < sizeof(advs) / sizeof(advs[0]); i++) {
		char *p = mmap(NULL, 3 * PG, PROT_READ | PROT_WRITE, type | MAP_ANONYMOUS, -1, 0);
		p[0] = 1, p[PG] = 2, p[2 * PG] = 3;
		if (!strcmp(how, "mlock"))
			mlock(p + PG, PG);
		else if (!strcmp(how, "onfault"))
			syscall(SYS_mlock2, p + PG, PG, MLOCK_ONFAULT);
		snprintf(label, sizeof(label), "%s %s %s", how, type == MAP_SHARED ? "shared" : "private",
			 advs[i].name);
		R(label, madvise(p, 3 * PG, advs[i].adv));
		if (advs[i].adv == MADV_DONTNEED && type == MAP_PRIVATE) {
			snprintf(label, sizeof(label), "%s: first page dropped, locked kept", how);
			YN(label, p[0] == 0 && p[PG] == 2);
		}
		munmap(p, 3 * PG);
	}
}

int
main(int argc, char **argv)
{
	setvbuf(stdout, NULL, _IONBF, 0);
	if (argc > 1) { /* after execve: a mapping made locked before is gone, a new one unlocked */
		char *p = mmap(NULL, PG, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		R("after exec: dontneed", madvise(p, PG, MADV_DONTNEED));
		return 0;
	}
	sweep("none", MAP_PRIVATE);
	sweep("mlock", MAP_PRIVATE);
	sweep("mlock", MAP_SHARED);
	sweep("onfault", MAP_PRIVATE);

	char *m = mmap(NULL, 2 * PG, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS | MAP_LOCKED, -1, 0);
	R("MAP_LOCKED dontneed", madvise(m, 2 * PG, MADV_DONTNEED));
	R("MAP_LOCKED pageout", madvise(m, 2 * PG, MADV_PAGEOUT));
	R("munlock", munlock(m, PG));
	R("first page unlocked: dontneed", madvise(m, PG, MADV_DONTNEED));
	R("second still locked: dontneed", madvise(m + PG, PG, MADV_DONTNEED));
	R("both: dontneed", madvise(m, 2 * PG, MADV_DONTNEED));

	/* a fork's child has no locks; its parent keeps them */
	pid_t c = fork();
	if (c == 0) {
		printf("child: dontneed %d\n", madvise(m, 2 * PG, MADV_DONTNEED));
		_exit(0);
	}
	waitpid(c, NULL, 0);
	R("parent after fork: dontneed", madvise(m + PG, PG, MADV_DONTNEED));

	/* mlockall: current mappings, then future ones */
	R("mlockall current", mlockall(MCL_CURRENT));
	char *q = mmap(NULL, PG, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	R("new mapping, current only: dontneed", madvise(q, PG, MADV_DONTNEED));
	R("old mapping under mlockall: dontneed", madvise(m, PG, MADV_DONTNEED));
	R("mlockall future", mlockall(MCL_CURRENT | MCL_FUTURE));
	char *f = mmap(NULL, PG, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	R("new mapping, future: dontneed", madvise(f, PG, MADV_DONTNEED));
	R("new mapping, future: dontneed_locked", madvise(f, PG, MADV_DONTNEED_LOCKED));
	R("munlockall", munlockall());
	R("after munlockall: dontneed", madvise(f, PG, MADV_DONTNEED));
	R("lock again", mlock(f, PG));
	fflush(stdout);
	execl("/proc/self/exe", argv[0], "exec", (char *)NULL);
	printf("execl: %s\n", en(errno));
	return 1;
}
