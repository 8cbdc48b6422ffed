/*
 * ENOMEM from the address-space limits a program sets itself: RLIMIT_AS bounds everything
 * mapped (mmap, mremap, brk), RLIMIT_DATA the private writable part (mmap, mprotect, brk),
 * and failed calls leave the address space as it was. Limits are set relative to the
 * program's own VmSize and VmData, so the two sides need not have equal layouts.
 */
#include <sys/mman.h>
#include <sys/resource.h>
#include "cf.h"

#define MB (1UL << 20)

static void
try_map(const char *label, size_t len, int prot, int flags)
{
	errno = 0;
	void *p = mmap(NULL, len, prot, flags | MAP_ANONYMOUS, -1, 0);
	printf("%s: %s\n", label, p == MAP_FAILED ? en(errno) : "ok");
	if (p != MAP_FAILED)
		munmap(p, len);
}

int
main(void)
{
	struct rlimit old, lim;

	/* RLIMIT_AS: 64 MiB above what is mapped now. */
	getrlimit(RLIMIT_AS, &old);
	unsigned long size = cf_status_kb("VmSize") * 1024UL;
	lim.rlim_cur = size + 64 * MB;
	lim.rlim_max = old.rlim_max;
	OK("setrlimit AS", setrlimit(RLIMIT_AS, &lim));
	try_map("AS: mmap 128M PROT_NONE", 128 * MB, PROT_NONE, MAP_PRIVATE);
	try_map("AS: mmap 128M shared", 128 * MB, PROT_READ | PROT_WRITE, MAP_SHARED);
	try_map("AS: mmap 16M", 16 * MB, PROT_READ | PROT_WRITE, MAP_PRIVATE);
	long vm_before = cf_status_kb("VmSize");
	char *p = mmap(NULL, MB, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	p[0] = 7;
	errno = 0;
	char *q = mremap(p, MB, 256 * MB, MREMAP_MAYMOVE);
	printf("AS: mremap to 256M: %s\n", q == MAP_FAILED ? en(errno) : "ok");
	printf("AS: mapping intact after: %s\n", p[0] == 7 ? "yes" : "no");
	munmap(q == MAP_FAILED ? p : q, q == MAP_FAILED ? MB : 256 * MB);
	printf("AS: VmSize back where it was: %s\n", cf_status_kb("VmSize") == vm_before ? "yes" : "no");
	void *b0 = sbrk(0);
	errno = 0;
	void *b = sbrk(128 * MB);
	printf("AS: sbrk 128M: %s, break unchanged: %s\n", b == (void *)-1 ? en(errno) : "ok",
	       sbrk(0) == b0 ? "yes" : "no");
	OK("setrlimit AS back", setrlimit(RLIMIT_AS, &old));
	try_map("AS restored: mmap 128M PROT_NONE", 128 * MB, PROT_NONE, MAP_PRIVATE);

	/* RLIMIT_DATA: 32 MiB above the private writable memory now. */
	getrlimit(RLIMIT_DATA, &old);
	unsigned long data = cf_status_kb("VmData") * 1024UL;
	lim.rlim_cur = data + 32 * MB;
	lim.rlim_max = old.rlim_max;
	OK("setrlimit DATA", setrlimit(RLIMIT_DATA, &lim));
	try_map("DATA: mmap 64M rw", 64 * MB, PROT_READ | PROT_WRITE, MAP_PRIVATE);
	try_map("DATA: mmap 64M rw NORESERVE", 64 * MB, PROT_READ | PROT_WRITE,
		MAP_PRIVATE | MAP_NORESERVE);
	try_map("DATA: mmap 64M read-only", 64 * MB, PROT_READ, MAP_PRIVATE);
	try_map("DATA: mmap 64M shared rw", 64 * MB, PROT_READ | PROT_WRITE, MAP_SHARED);
	try_map("DATA: mmap 16M rw", 16 * MB, PROT_READ | PROT_WRITE, MAP_PRIVATE);
	p = mmap(NULL, 64 * MB, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	R("DATA: mprotect 64M to rw", mprotect(p, 64 * MB, PROT_READ | PROT_WRITE));
	R("DATA: mprotect 1M of it to rw", mprotect(p, MB, PROT_READ | PROT_WRITE));
	munmap(p, 64 * MB);
	b0 = sbrk(0);
	errno = 0;
	b = sbrk(64 * MB);
	printf("DATA: sbrk 64M: %s, break unchanged: %s\n", b == (void *)-1 ? en(errno) : "ok",
	       sbrk(0) == b0 ? "yes" : "no");
	OK("setrlimit DATA back", setrlimit(RLIMIT_DATA, &old));
	try_map("DATA restored: mmap 64M rw", 64 * MB, PROT_READ | PROT_WRITE, MAP_PRIVATE);
	return 0;
}
