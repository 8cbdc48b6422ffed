/*
 * smaps' VmFlags of a mapping follow the advice and locks it was given: MADV_DONTDUMP
 * (dd) and MADV_DODUMP, MADV_DONTFORK (dc) and MADV_DOFORK, mlock (lo) and munlock, on
 * part of a mapping too (which splits it as Linux does), in Linux's order of the flags.
 */
#include "cf.h"
#include <sys/mman.h>

/* The VmFlags of the mapping that holds addr. */
static void
flags_of(const char *label, void *addr)
{
	char line[512], flags[512] = "(none)";
	FILE *f = fopen("/proc/self/smaps", "r");
	unsigned long a = (unsigned long)addr;
	int in = 0;

	while (f && fgets(line, sizeof(line), f)) {
		unsigned long lo, hi;
		char c;
		if (sscanf(line, "%lx-%lx %c", &lo, &hi, &c) == 3 && line[strcspn(line, "-")] == '-' &&
		    strncmp(line, "VmFlags", 7)) {
			in = a >= lo && a < hi;
			continue;
		}
		if (in && !strncmp(line, "VmFlags:", 8)) {
			snprintf(flags, sizeof(flags), "%s", line + 8);
			flags[strcspn(flags, "\n")] = '\0';
		}
	}
	if (f)
		fclose(f);
	printf("%s:%s\n", label, flags);
}

int
main(void)
{
	cf_init();
	size_t pg = (size_t)sysconf(_SC_PAGESIZE), len = 4 * pg;
	char *m = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	m[0] = 1;
	flags_of("plain", m);
	OK("MADV_DONTDUMP", madvise(m, len, MADV_DONTDUMP));
	flags_of("dontdump", m);
	OK("MADV_DODUMP on the second page", madvise(m + pg, pg, MADV_DODUMP));
	flags_of("first page", m);
	flags_of("second page", m + pg);
	OK("MADV_DODUMP", madvise(m, len, MADV_DODUMP));
	flags_of("dodump", m);
	OK("MADV_DONTFORK", madvise(m, len, MADV_DONTFORK));
	flags_of("dontfork", m);
	OK("MADV_DOFORK", madvise(m, len, MADV_DOFORK));
	OK("mlock", mlock(m, len));
	flags_of("locked", m);
	OK("munlock", munlock(m, len));
	flags_of("unlocked", m);
	munmap(m, len);
	cf_cleanup();
	return 0;
}
