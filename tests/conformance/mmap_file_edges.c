/* File mappings: MAP_SHARED writes seen by read and writes seen through the mapping,
 * MAP_PRIVATE copy-on-write, SIGBUS past EOF, truncate while mapped, MADV_DONTNEED on a
 * private file mapping re-reading the file, mremap of file mappings, msync flags, mincore,
 * mlock, mapping with the wrong open mode. */
#include <setjmp.h>
#include <signal.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/mman.h>
#include "cf.h"

static void
mapfd(const char *label, int fd)
{
	errno = 0;
	void *p = mmap(NULL, 4096, PROT_READ, MAP_PRIVATE, fd, 0);
	printf("map %s: %s\n", label, p == MAP_FAILED ? en(errno) : "ok");
	if (p != MAP_FAILED)
		munmap(p, 4096);
	close(fd);
}

int
main(void)
{
	long pg = sysconf(_SC_PAGESIZE);
	char buf[64];
	int fd;
	char *p, *q;

	cf_init();
	fd = open("f", O_RDWR | O_CREAT, 0644);
	ftruncate(fd, pg * 2);
	pwrite(fd, "hello", 5, 0);
	p = mmap(NULL, pg * 2, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	YN("map shared", p != MAP_FAILED);
	printf("mapped sees file: %.5s\n", p);
	memcpy(p + 10, "MAPPED", 6);
	pread(fd, buf, 6, 10);
	printf("read sees map: %.6s\n", buf);
	pwrite(fd, "WRITE", 5, 20);
	printf("map sees write: %.5s\n", p + 20);
	q = mmap(NULL, pg, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0);
	printf("private sees: %.5s\n", q);
	q[0] = 'P';
	pread(fd, buf, 1, 0);
	printf("file after private write: %c\n", buf[0]);
	printf("shared after private write: %c\n", p[0]);
	pwrite(fd, "Z", 1, 1);
	printf("private after file write (cow page): %c\n", q[1]);
	R("MADV_DONTNEED private", madvise(q, pg, MADV_DONTNEED));
	printf("private after DONTNEED: %.5s\n", q);
	R("msync MS_SYNC", msync(p, pg, MS_SYNC));
	R("msync MS_ASYNC", msync(p, pg, MS_ASYNC));
	R("msync MS_INVALIDATE", msync(p, pg, MS_INVALIDATE));
	R("msync SYNC|ASYNC", msync(p, pg, MS_SYNC | MS_ASYNC));
	R("msync bad flag", msync(p, pg, 8));
	R("msync unaligned", msync(p + 1, pg, MS_SYNC));
	R("msync unmapped", msync(cf_unmapped(), pg, MS_SYNC));
	R("msync len 0", msync(p, 0, MS_SYNC));
	{
		unsigned char vec[4];
		R("mincore", mincore(p, pg * 2, vec));
		printf("mincore resident: %d %d\n", vec[0] & 1, vec[1] & 1);
		R("mincore unaligned", mincore(p + 1, pg, vec));
		R("mincore unmapped", mincore(cf_unmapped(), pg, vec));
		R("mincore bad vec", mincore(p, pg, cf_unmapped()));
	}
	R("mlock", mlock(p, pg));
	R("munlock", munlock(p, pg));
	/* truncate while mapped: the second page goes away */
	ftruncate(fd, pg);
	printf("touch page 2 after shrink: %s\n", cf_touch(p + pg + 1, 0));
	printf("touch page 1 after shrink: %s\n", cf_touch(p + 1, 0));
	ftruncate(fd, pg * 2);
	printf("page 2 after regrow: %s", cf_touch(p + pg + 1, 0));
	printf(" value %d\n", p[pg + 1]);
	/* mapping past EOF */
	char *r = mmap(NULL, pg * 4, PROT_READ, MAP_SHARED, fd, 0);
	printf("touch past EOF page: %s\n", cf_touch(r + pg * 3, 0));
	printf("touch tail of last page: %s\n", cf_touch(r + pg * 2 - 1, 0));
	ftruncate(fd, pg + 10);
	printf("bytes past size in last page are zero: %d\n", r[pg + 20]);
	munmap(r, pg * 4);
	/* mremap */
	char *m = mremap(p, pg * 2, pg * 4, MREMAP_MAYMOVE);
	YN("mremap grow", m != MAP_FAILED);
	if (m != MAP_FAILED) {
		printf("mremap keeps content: %.6s\n", m + 10);
		ftruncate(fd, pg * 4);
		m[pg * 3] = 'G';
		pread(fd, buf, 1, pg * 3);
		printf("grown part shared: %c\n", buf[0]);
		p = m;
	}
	char *m2 = mremap(p, pg * 4, pg, 0);
	YN("mremap shrink in place", m2 == p);
	R("mremap DONTUNMAP shared", (long)mremap(p, pg, pg, MREMAP_MAYMOVE | MREMAP_DONTUNMAP) == -1 ? -1 : 0);
	R("mremap FIXED without MAYMOVE", (long)mremap(p, pg, pg, MREMAP_FIXED, p + pg * 8) == -1 ? -1 : 0);
	R("mremap bad flags", (long)mremap(p, pg, pg, 0x80) == -1 ? -1 : 0);
	R("mremap unaligned", (long)mremap(p + 1, pg, pg, 0) == -1 ? -1 : 0);
	R("mremap new_len 0", (long)mremap(p, pg, 0, MREMAP_MAYMOVE) == -1 ? -1 : 0);
	munmap(p, pg);
	/* private anon DONTUNMAP works */
	char *an = mmap(NULL, pg, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	an[0] = 'A';
	char *an2 = mremap(an, pg, pg, MREMAP_MAYMOVE | MREMAP_DONTUNMAP);
	YN("DONTUNMAP anon moved", an2 != MAP_FAILED && an2 != an);
	if (an2 != MAP_FAILED) {
		printf("new has data: %c old is zero: %d\n", an2[0], an[0]);
	}
	/* open mode vs prot */
	int ro = open("f", O_RDONLY);
	R("shared write map of O_RDONLY", (long)mmap(NULL, pg, PROT_READ | PROT_WRITE, MAP_SHARED, ro, 0) == -1 ? -1 : 0);
	R("private write map of O_RDONLY", (long)mmap(NULL, pg, PROT_READ | PROT_WRITE, MAP_PRIVATE, ro, 0) == -1 ? -1 : 0);
	char *rm = mmap(NULL, pg, PROT_READ, MAP_SHARED, ro, 0);
	R("mprotect write on ro shared", mprotect(rm, pg, PROT_READ | PROT_WRITE));
	int wo = open("f", O_WRONLY);
	R("map O_WRONLY", (long)mmap(NULL, pg, PROT_READ, MAP_SHARED, wo, 0) == -1 ? -1 : 0);
	int ap = open("f", O_RDWR | O_APPEND);
	R("shared write map of O_APPEND", (long)mmap(NULL, pg, PROT_READ | PROT_WRITE, MAP_SHARED, ap, 0) == -1 ? -1 : 0);
	int dfd = open(".", O_RDONLY);
	R("map dir", (long)mmap(NULL, pg, PROT_READ, MAP_SHARED, dfd, 0) == -1 ? -1 : 0);
	R("map unaligned offset", (long)mmap(NULL, pg, PROT_READ, MAP_SHARED, ro, 1) == -1 ? -1 : 0);
	R("map negative offset", (long)mmap(NULL, pg, PROT_READ, MAP_SHARED, ro, -pg) == -1 ? -1 : 0);
	R("map len 0", (long)mmap(NULL, 0, PROT_READ, MAP_SHARED, ro, 0) == -1 ? -1 : 0);
	R("map O_PATH", ({ int op = open("f", O_PATH); (long)mmap(NULL, pg, PROT_READ, MAP_SHARED, op, 0) == -1 ? -1 : 0; }));
	R("MAP_SHARED_VALIDATE bad flag", (long)mmap(NULL, pg, PROT_READ, MAP_SHARED_VALIDATE | 0x80000, ro, 0) == -1 ? -1 : 0);
	R("map pipe", ({ int pp[2]; pipe(pp); (long)mmap(NULL, pg, PROT_READ, MAP_SHARED, pp[0], 0) == -1 ? -1 : 0; }));
	mapfd("eventfd", eventfd(0, 0));
	mapfd("epoll", epoll_create1(0));
	mapfd("/dev/null", open("/dev/null", O_RDONLY));
	mapfd("/dev/zero", open("/dev/zero", O_RDONLY));
	mapfd("/dev/urandom", open("/dev/urandom", O_RDONLY));
	mapfd("/proc/self/maps", open("/proc/self/maps", O_RDONLY));
	mapfd("/proc/self/status", open("/proc/self/status", O_RDONLY));
	mapfd("/etc/passwd", open("/etc/passwd", O_RDONLY));
	/* a mapping keeps the file alive after unlink and close */
	int u = open("u", O_RDWR | O_CREAT, 0644);
	ftruncate(u, pg);
	char *um = mmap(NULL, pg, PROT_READ | PROT_WRITE, MAP_SHARED, u, 0);
	close(u);
	unlink("u");
	um[0] = 'k';
	printf("unlinked mapping works: %c\n", um[0]);
	return 0;
}
