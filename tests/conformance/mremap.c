/* mremap: grow in place or move, shrink, contents preserved, flag errors. */
#include <sys/mman.h>
#include "cf.h"

int
main(void)
{
	long pg = sysconf(_SC_PAGESIZE);
	cf_init();
	char *p = mmap(NULL, 2 * pg, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	strcpy(p, "first");
	strcpy(p + pg, "second");
	char *q = mremap(p, 2 * pg, 64 * pg, MREMAP_MAYMOVE);
	YN("grow MAYMOVE", q != MAP_FAILED);
	YN("contents kept", !strcmp(q, "first") && !strcmp(q + pg, "second"));
	YN("new area zero", q[63 * pg] == 0);
	q[63 * pg] = 1;
	char *r = mremap(q, 64 * pg, pg, 0);
	YN("shrink in place", r == q);
	YN("shrink kept data", !strcmp(r, "first"));
	R("write() from released tail", write(open("sink", O_WRONLY | O_CREAT, 0644), q + pg, 4));
	char *s = mremap(r, pg, 2 * pg, MREMAP_MAYMOVE | MREMAP_FIXED, q + 32 * pg);
	printf("MREMAP_FIXED without target mapping: %s\n", s == MAP_FAILED ? en(errno) : (s == q + 32 * pg ? "moved" : "elsewhere"));
	char *t = mremap(s, 2 * pg, pg, 12345);
	printf("bad flags: %s\n", t == MAP_FAILED ? en(errno) : "ok");
	t = mremap(s + 1, pg, 2 * pg, MREMAP_MAYMOVE);
	printf("unaligned old: %s\n", t == MAP_FAILED ? en(errno) : "ok");
	t = mremap(s, pg, 0, MREMAP_MAYMOVE);
	printf("new size 0: %s\n", t == MAP_FAILED ? en(errno) : "ok");
	t = mremap(s, 2 * pg, 4 * pg, MREMAP_FIXED);
	printf("FIXED without MAYMOVE: %s\n", t == MAP_FAILED ? en(errno) : "ok");
	munmap(s, 2 * pg);
	t = mremap(s, pg, 2 * pg, MREMAP_MAYMOVE);
	printf("remap unmapped: %s\n", t == MAP_FAILED ? en(errno) : "ok");
	return 0;
}
