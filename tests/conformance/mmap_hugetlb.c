/*
 * mmap with MAP_HUGETLB where the hugetlb pools are empty (HugePages_Total 0, as the
 * sandbox's /proc/meminfo says and as most hosts have them; on a host with a pool the
 * native results differ). PostgreSQL's huge_pages=try maps its main shared memory
 * MAP_SHARED|MAP_ANONYMOUS|MAP_HUGETLB and falls back to normal pages on failure; with
 * huge_pages=on it reports the errno ("Cannot allocate memory"). Linux's ksys_mmap_pgoff:
 * a huge page size the machine lacks is EINVAL, a file not on hugetlbfs is EINVAL, then
 * the anonymous hugetlbfs file's reservation fails (ENOMEM) unless MAP_NORESERVE, which
 * maps and leaves the fault to find no page (SIGBUS). A MAP_FIXED address that is not
 * huge-page aligned is EINVAL before the reservation.
 */
#include "cf.h"
#include <signal.h>
#include <sys/mman.h>
#include <sys/wait.h>

#define M2 (2UL << 20)

static void
map(const char *label, size_t len, int flags, int fd, void *addr)
{
	errno = 0;
	void *p = mmap(addr, len, PROT_READ | PROT_WRITE, flags, fd, 0);

	if (p == MAP_FAILED) {
		printf("%s: %s\n", label, en(errno));
		return;
	}
	printf("%s: mapped\n", label);
	munmap(p, len);
}

/* The pools are empty: a MAP_NORESERVE mapping maps, and its first touch finds no page. */
static void
touch_noreserve(const char *label, int type)
{
	pid_t pid = fork();
	int st;

	if (pid == 0) {
		char *p = mmap(NULL, M2, PROT_READ | PROT_WRITE,
			       type | MAP_ANONYMOUS | MAP_HUGETLB | MAP_NORESERVE, -1, 0);
		if (p == MAP_FAILED) {
			printf("%s: %s\n", label, en(errno));
			fflush(stdout);
			_exit(0);
		}
		printf("%s: mapped\n", label);
		char line[512], name[256] = "";
		FILE *maps = fopen("/proc/self/maps", "r");
		while (maps && fgets(line, sizeof(line), maps))
			if (strtoul(line, NULL, 16) == (unsigned long)p)
				sscanf(line, "%*s %*s %*s %*s %*s %255[^\n]", name);
		printf("%s in maps: %s\n", label, name);
		printf("%s on a huge page: %s\n", label, (unsigned long)p & (M2 - 1) ? "no" : "yes");
		fflush(stdout);
		p[0] = 1;
		_exit(1);
	}
	waitpid(pid, &st, 0);
	printf("%s touched: %s\n", label, WIFSIGNALED(st) ? strsignal(WTERMSIG(st)) :
	       WEXITSTATUS(st) ? "written" : "-");
}

int
main(void)
{
	int sa = MAP_SHARED | MAP_ANONYMOUS, pa = MAP_PRIVATE | MAP_ANONYMOUS;

	cf_init();
	map("shared anonymous (PostgreSQL)", 16 * M2, sa | MAP_HUGETLB, -1, NULL);
	map("private anonymous", M2, pa | MAP_HUGETLB, -1, NULL);
	map("one page, rounded up", 4096, sa | MAP_HUGETLB, -1, NULL);
	map("size 2M", M2, sa | MAP_HUGETLB | 21 << MAP_HUGE_SHIFT, -1, NULL);
	map("size 1 << 63", M2, sa | MAP_HUGETLB | 63 << MAP_HUGE_SHIFT, -1, NULL);
	map("size 4K", M2, pa | MAP_HUGETLB | 12 << MAP_HUGE_SHIFT, -1, NULL);
	map("length 0", 0, sa | MAP_HUGETLB, -1, NULL);
	map("length -1", -1UL, sa | MAP_HUGETLB, -1, NULL);
	map("length -4096", -4096UL, pa | MAP_HUGETLB, -1, NULL);
	map("length -4096, MAP_NORESERVE", -4096UL, pa | MAP_HUGETLB | MAP_NORESERVE, -1, NULL);
	map("bad type", M2, MAP_ANONYMOUS | MAP_HUGETLB, -1, NULL);
	map("MAP_SHARED_VALIDATE", M2, MAP_SHARED_VALIDATE | MAP_ANONYMOUS | MAP_HUGETLB, -1, NULL);
	map("MAP_LOCKED", M2, pa | MAP_HUGETLB | MAP_LOCKED, -1, NULL);

	/* a fixed address: one huge-page aligned inside a reserved range, one not; the failed
	 * MAP_FIXED leaves its range unmapped (mmap_region clears it before reserving) */
	char *r = mmap(NULL, 4 * M2, PROT_NONE, pa, -1, 0);
	char *al = (char *)(((unsigned long)r + M2 - 1) & ~(M2 - 1));
	map("fixed noreplace, over a mapping", M2, sa | MAP_HUGETLB | MAP_FIXED_NOREPLACE, -1, al);
	map("fixed, aligned", M2, pa | MAP_HUGETLB | MAP_FIXED, -1, al);
	YN("range still mapped", msync(al, 4096, MS_ASYNC) == 0);
	YN("next page still mapped", msync(al + M2, 4096, MS_ASYNC) == 0);
	map("fixed, not aligned", M2, pa | MAP_HUGETLB | MAP_FIXED, -1, al + 4096);
	map("fixed noreplace, not aligned", M2, sa | MAP_HUGETLB | MAP_FIXED_NOREPLACE, -1,
	    al + 4096);
	map("fixed noreserve", M2, MAP_SHARED_VALIDATE | MAP_ANONYMOUS | MAP_HUGETLB |
	    MAP_NORESERVE | MAP_FIXED, -1, al);
	munmap(r, 4 * M2);

	/* a file not on hugetlbfs */
	int fd = open("f", O_RDWR | O_CREAT, 0600);
	ftruncate(fd, M2);
	map("regular file shared", M2, MAP_SHARED | MAP_HUGETLB, fd, NULL);
	map("regular file private", M2, MAP_PRIVATE | MAP_HUGETLB, fd, NULL);
	map("bad fd", M2, MAP_SHARED | MAP_HUGETLB, 999, NULL);
	close(fd);
	fd = open("/dev/zero", O_RDWR);
	map("/dev/zero", M2, MAP_SHARED | MAP_HUGETLB, fd, NULL);
	close(fd);

	touch_noreserve("private, MAP_NORESERVE", MAP_PRIVATE);
	touch_noreserve("shared, MAP_NORESERVE", MAP_SHARED);
	return 0;
}
