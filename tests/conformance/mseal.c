/* mseal: its argument checks (flags, alignment, a wrapping length, unmapped pages), and
 * what a sealed mapping refuses with EPERM while the records stay as they were: munmap,
 * mprotect (even to the same protection; the unsealed part before it still changes),
 * mmap MAP_FIXED over it, mremap of it, madvise(MADV_DONTNEED, MADV_DONTFORK) of it
 * read-only, brk below it; a fork inherits the seal; smaps shows "sl". */
#include "cf.h"
#include <sys/mman.h>
#include <sys/wait.h>

#define PG 4096UL

static long
ms(void *p, size_t len, unsigned long flags)
{
	return syscall(462, p, len, flags);
}

/* The permissions /proc/self/maps shows for the mapping holding addr ("none" if none). */
static const char *
perms(void *addr, char out[5])
{
	unsigned long s, e, a = (unsigned long)addr;
	char line[512], p[5];
	FILE *m = fopen("/proc/self/maps", "r");

	strcpy(out, "none");
	while (m && fgets(line, sizeof(line), m))
		if (sscanf(line, "%lx-%lx %4s", &s, &e, p) == 3 && s <= a && a < e)
			strcpy(out, p);
	if (m)
		fclose(m);
	return out;
}

/* Whether the smaps entry of the mapping holding addr lists VmFlags "sl". */
static int
smaps_sealed(void *addr)
{
	unsigned long s, e, a = (unsigned long)addr;
	char line[512];
	int in = 0, found = 0;
	FILE *m = fopen("/proc/self/smaps", "r");

	while (m && fgets(line, sizeof(line), m)) {
		if (sscanf(line, "%lx-%lx ", &s, &e) == 2 && strchr(line, '-') < strchr(line, ' '))
			in = s <= a && a < e;
		else if (in && !strncmp(line, "VmFlags:", 8))
			found = strstr(line, " sl") != NULL;
	}
	if (m)
		fclose(m);
	return found;
}

int
main(void)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	char p0[5], p2[5];
	char *m = mmap(NULL, 8 * PG, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	memset(m, 1, 8 * PG);
	munmap(m + 6 * PG, PG); /* a hole at page 6 */
	R("flags 1", ms(m, PG, 1));
	R("unaligned", ms(m + 1, PG, 0));
	R("length wrapping to 0", ms(m, -PG + 2, 0));
	R("length 0", ms(m, 0, 0));
	R("over the hole", ms(m + 5 * PG, 2 * PG, 0));
	R("from the hole", ms(m + 6 * PG, PG, 0));
	YN("page 5 still unsealed", munmap(m + 5 * PG, PG) == 0);

	R("seal pages 2-3", ms(m + 2 * PG, 2 * PG, 0));
	R("seal them again", ms(m + 2 * PG, 2 * PG, 0));
	YN("smaps: sl on page 2", smaps_sealed(m + 2 * PG));
	YN("smaps: no sl on page 0", !smaps_sealed(m));
	R("munmap over it", munmap(m, 4 * PG));
	printf("page 0 after: %s\n", perms(m, p0));
	R("munmap of page 3", munmap(m + 3 * PG, PG));
	R("munmap of page 4 beside it", munmap(m + 4 * PG, PG));
	R("mprotect same prot", mprotect(m + 2 * PG, PG, PROT_READ | PROT_WRITE));
	R("mprotect pages 0-3 read-only", mprotect(m, 4 * PG, PROT_READ));
	printf("page 0 after: %s, page 2 after: %s\n", perms(m, p0), perms(m + 2 * PG, p2));
	R("mmap MAP_FIXED over it",
	  (long)mmap(m + 3 * PG, PG, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0));
	R("mremap it", (long)mremap(m + 2 * PG, PG, 4 * PG, MREMAP_MAYMOVE));
	R("mremap shrink it", (long)mremap(m + 2 * PG, 2 * PG, PG, 0));
	R("madvise DONTNEED (writable)", madvise(m + 2 * PG, PG, MADV_DONTNEED));
	YN("data kept", m[2 * PG] == 1 && m[3 * PG] == 1);

	char *ro = mmap(NULL, 2 * PG, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	R("seal a read-only mapping", ms(ro, 2 * PG, 0));
	R("madvise DONTNEED (read-only)", madvise(ro, PG, MADV_DONTNEED));
	R("madvise WILLNEED (read-only)", madvise(ro, PG, MADV_WILLNEED));
	R("madvise DONTFORK (read-only)", madvise(ro, PG, MADV_DONTFORK));

	pid_t pid = fork();
	if (pid == 0) {
		int a = munmap(m + 2 * PG, PG) < 0 && errno == EPERM;
		int b = mprotect(ro, PG, PROT_NONE) < 0 && errno == EPERM;
		char p[5];
		int c = strcmp(perms(ro, p), "r--p") == 0; /* the refused DONTFORK left it */
		_exit(a && b && c ? 0 : 1);
	}
	int st;
	waitpid(pid, &st, 0);
	YN("fork: the child's copy is sealed", WIFEXITED(st) && WEXITSTATUS(st) == 0);

	/* brk: seal the top page of a grown heap, then shrink below it */
	char *b0 = sbrk(0), *top = (char *)(((unsigned long)b0 + 3 * PG) & ~(PG - 1));
	if (brk(top + PG) == 0) {
		R("seal the heap's top page", ms(top, PG, 0));
		R("brk below it", brk(top - PG));
		YN("break unchanged", sbrk(0) == top + PG);
	}
	return 0;
}
