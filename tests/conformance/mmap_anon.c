/* Anonymous mmap/munmap: zero fill, alignment errors, MAP_FIXED, EFAULT after unmap. */
#include <sys/mman.h>
#include "cf.h"

int
main(void)
{
	long pg = sysconf(_SC_PAGESIZE);
	cf_init();
	int sink = open("sink", O_WRONLY | O_CREAT, 0644);
	printf("page size: %ld\n", pg);
	unsigned char *p = mmap(NULL, 4 * pg, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	YN("mmap 4 pages", p != MAP_FAILED);
	YN("page aligned", ((unsigned long)p % pg) == 0);
	YN("zero filled", p[0] == 0 && p[4 * pg - 1] == 0);
	memset(p, 7, 4 * pg);
	YN("writable", p[2 * pg] == 7);
	R("munmap middle page", munmap(p + pg, pg));
	R("write() from unmapped page", write(sink, p + pg, 10));
	R("read() into unmapped page", read(open("/dev/zero", O_RDONLY), p + pg, 10));
	void *q = mmap(p + pg, pg, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
	YN("MAP_FIXED into the hole", q == p + pg);
	YN("new page is zero", p[pg] == 0 && p[0] == 7);
	q = mmap(p, pg, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
	printf("MAP_FIXED_NOREPLACE over mapping: %s\n", q == MAP_FAILED ? en(errno) : "mapped");
	R("munmap all", munmap(p, 4 * pg));
	R("munmap again (ok)", munmap(p, 4 * pg));
	R("munmap unaligned", munmap(p + 1, pg));
	R("munmap len 0", munmap(p, 0));
	errno = 0;
	q = mmap(NULL, 0, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	printf("mmap len 0: %s\n", q == MAP_FAILED ? en(errno) : "mapped");
	q = mmap(NULL, pg, PROT_READ, MAP_ANONYMOUS, -1, 0);
	printf("mmap no SHARED/PRIVATE: %s\n", q == MAP_FAILED ? en(errno) : "mapped");
	q = mmap((void *)(pg + 1), pg, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
	printf("mmap MAP_FIXED unaligned: %s\n", q == MAP_FAILED ? en(errno) : "mapped");
	q = mmap(NULL, (size_t)1 << 62, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	printf("mmap 2^62 bytes: %s\n", q == MAP_FAILED ? en(errno) : "mapped");
	q = mmap(NULL, pg, PROT_READ, MAP_PRIVATE, 9999, 0);
	printf("mmap bad fd: %s\n", q == MAP_FAILED ? en(errno) : "mapped");
	q = mmap(NULL, 64 << 20, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	YN("64MiB PROT_NONE reservation", q != MAP_FAILED);
	munmap(q, 64 << 20);
	q = mmap(NULL, 3 * pg, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	YN("MAP_SHARED|MAP_ANONYMOUS", q != MAP_FAILED);
	((char *)q)[0] = 1;
	munmap(q, 3 * pg);
	unsigned char vec[4];
	p = mmap(NULL, 4 * pg, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	munmap(p + 2 * pg, pg);
	R("mincore over hole", mincore(p, 4 * pg, vec));
	R("madvise DONTNEED", madvise(p, pg, MADV_DONTNEED));
	R("madvise bad advice", madvise(p, pg, 12345));
	return 0;
}
