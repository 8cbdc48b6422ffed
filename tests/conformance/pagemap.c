/* /proc/self/pagemap: a present bit for the pages touched in an anonymous mapping and for
 * a populated shared file mapping (which is file-backed, bit 61), none in an untouched
 * range, 0 for a hole; positions and sizes that are not multiples of 8 (EINVAL). */
#include "cf.h"
#include <stdint.h>
#include <sys/mman.h>

static int pm;

static uint64_t
entry(void *addr)
{
	uint64_t e = 0;
	off_t off = (off_t)((uintptr_t)addr / 4096 * 8);
	if (pread(pm, &e, 8, off) != 8)
		return ~0ULL;
	return e;
}

static void
show(const char *label, char *base, int pages, uint64_t bit)
{
	printf("%s:", label);
	for (int i = 0; i < pages; i++)
		printf(" %d", (entry(base + i * 4096) & bit) != 0);
	printf("\n");
}

int
main(void)
{
	cf_init();
	pm = open("/proc/self/pagemap", O_RDONLY);
	printf("open: %s\n", pm >= 0 ? "ok" : en(errno));
	if (pm < 0)
		return 0;
	char *a = mmap(NULL, 8 * 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	a[0] = 1;
	a[2 * 4096] = 1;
	a[5 * 4096 + 17] = 1;
	show("anon present", a, 8, 1ULL << 63);
	show("anon file bit", a, 8, 1ULL << 61);
	madvise(a, 8 * 4096, MADV_DONTNEED);
	show("after MADV_DONTNEED", a, 8, 1ULL << 63);

	char *hole = cf_unmapped();
	printf("hole entry zero: %d\n", entry(hole) == 0);

	int fd = open("f", O_RDWR | O_CREAT, 0600);
	ftruncate(fd, 4 * 4096);
	char *s = mmap(NULL, 4 * 4096, PROT_READ, MAP_SHARED | MAP_POPULATE, fd, 0);
	show("shared file present", s, 4, 1ULL << 63);
	show("shared file bit", s, 4, 1ULL << 61);

	/* a range of entries in one read */
	uint64_t v[8];
	ssize_t n = pread(pm, v, sizeof(v), (off_t)((uintptr_t)a / 4096 * 8));
	printf("read of 8 entries: %zd\n", n);
	a[3 * 4096] = 2;
	n = pread(pm, v, sizeof(v), (off_t)((uintptr_t)a / 4096 * 8));
	printf("entry 3 present now: %d\n", n == 64 && (v[3] >> 63) == 1);

	R("misaligned position", pread(pm, v, 8, 4));
	R("misaligned size", pread(pm, v, 5, 0));
	printf("zero size: %zd\n", pread(pm, v, 0, 0));
	printf("past the user range: %zd\n", pread(pm, v, 8, (off_t)(0x800000000000UL / 4096 * 8)));
	return 0;
}
