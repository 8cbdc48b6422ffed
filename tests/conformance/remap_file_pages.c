/* remap_file_pages, which Linux (since 4.0) emulates with a new mapping of the same file:
 * pages of a shared file mapping (and of shared anonymous memory) show other pages of the
 * object, writes land at the new offset, /proc/self/maps shows it; the EINVAL cases. */
#include "cf.h"
#include <sys/mman.h>

#define PG 4096

static void
show(const char *label, const char *m, int pages)
{
	printf("%s: ", label);
	for (int i = 0; i < pages; i++)
		putchar(m[i * PG]);
	putchar('\n');
}

/* The offset /proc/self/maps shows for the mapping at addr. */
static void
maps_offset(const char *label, void *addr)
{
	FILE *f = fopen("/proc/self/maps", "r");
	char line[512];
	while (f && fgets(line, sizeof(line), f)) {
		unsigned long lo, hi, off;
		if (sscanf(line, "%lx-%lx %*s %lx", &lo, &hi, &off) == 3 && lo == (unsigned long)addr) {
			printf("%s: offset %#lx, %lu pages\n", label, off, (hi - lo) / PG);
			fclose(f);
			return;
		}
	}
	printf("%s: none\n", label);
	if (f)
		fclose(f);
}

int
main(void)
{
	cf_init();
	int fd = open("f", O_RDWR | O_CREAT, 0600);
	for (int i = 0; i < 4; i++) {
		char page[PG];
		memset(page, 'A' + i, PG);
		write(fd, page, PG);
	}
	char *m = mmap(NULL, 4 * PG, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	show("before", m, 4);
	OK("first page to file page 3", remap_file_pages(m, PG, 0, 3, 0));
	show("after", m, 4);
	maps_offset("first page", m);
	OK("pages 1-2 to file pages 0-1", remap_file_pages(m + PG, 2 * PG, 0, 0, 0));
	show("after", m, 4);
	m[0] = 'x';
	char c = 0;
	pread(fd, &c, 1, 3 * PG);
	printf("write through the first page lands at file page 3: %c\n", c);
	OK("whole range back in order", remap_file_pages(m, 4 * PG, 0, 0, 0));
	show("in order", m, 4);
	maps_offset("whole", m);
	OK("unaligned start and size", remap_file_pages(m + 10, PG + 10, 0, 2, 0));
	show("after", m, 4);

	OK("prot not 0", remap_file_pages(m, PG, PROT_READ, 1, 0));
	OK("size 0", remap_file_pages(m, 0, 0, 1, 0));
	OK("past the mapping", remap_file_pages(m + 3 * PG, 2 * PG, 0, 1, 0));
	char *p = mmap(NULL, 2 * PG, PROT_READ, MAP_PRIVATE, fd, 0);
	OK("private mapping", remap_file_pages(p, PG, 0, 1, 0));
	char *a = mmap(NULL, 2 * PG, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	OK("private anonymous", remap_file_pages(a, PG, 0, 1, 0));
	OK("unmapped", remap_file_pages(cf_unmapped(), PG, 0, 1, 0));
	OK("pgoff wraps", remap_file_pages(m, 2 * PG, 0, ~0UL, 0));

	char *s = mmap(NULL, 2 * PG, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	s[0] = 'a';
	s[PG] = 'b';
	OK("shared anonymous", remap_file_pages(s, PG, 0, 1, 0));
	show("shared anonymous", s, 2);
	return 0;
}
