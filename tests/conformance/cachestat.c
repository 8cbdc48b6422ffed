/* cachestat: its checks in Linux's order (EBADF, the range EFAULT, EPERM without write
 * access or ownership, flags EINVAL, the result EFAULT), the pages of a memfd (shmem on
 * Linux, the sentry's tmpfs here) over ranges, holes, fallocated pages, a truncation and a
 * shared mapping's touches; nothing for pipes and directories; the running executable's
 * own pages are cached. */
#include "cf.h"
#include <stdint.h>
#include <linux/falloc.h>
#include <sys/mman.h>
#include <sys/wait.h>

#define PG 4096UL

struct range {
	uint64_t off, len;
};

struct cstat {
	uint64_t cache, dirty, writeback, evicted, recently_evicted;
};

static struct cstat cs;

static long
cstat(int fd, uint64_t off, uint64_t len)
{
	struct range r = { off, len };

	memset(&cs, 0xff, sizeof(cs));
	return syscall(451, fd, &r, &cs, 0);
}

static void
show(const char *what, int fd, uint64_t off, uint64_t len)
{
	long r = cstat(fd, off, len);

	if (r < 0)
		printf("%s: -1 %s\n", what, en(errno));
	else
		printf("%s: cache %llu dirty %llu writeback %llu evicted %llu recent %llu\n", what,
		       (unsigned long long)cs.cache, (unsigned long long)cs.dirty,
		       (unsigned long long)cs.writeback, (unsigned long long)cs.evicted,
		       (unsigned long long)cs.recently_evicted);
}

int
main(void)
{
	static char page[PG];
	struct range r = { 0, 0 };

	cf_init();
	memset(page, 'a', sizeof(page));
	int fd = memfd_create("cs", 0);
	R("bad fd", syscall(451, 99, &r, &cs, 0));
	R("bad range", syscall(451, fd, (void *)8, &cs, 0));
	R("flags 1", syscall(451, fd, &r, &cs, 1));
	R("bad result", syscall(451, fd, &r, (void *)8, 0));
	int opath = open(".", O_PATH);
	R("O_PATH fd", syscall(451, opath, &r, &cs, 0));

	ftruncate(fd, 16 * PG);
	show("holes only", fd, 0, 0);
	pwrite(fd, page, PG, 0);
	pwrite(fd, page, PG, 3 * PG);
	pwrite(fd, page, 10, 5 * PG + 100);
	show("three written", fd, 0, 0);
	show("pages 1-3", fd, PG, 3 * PG);
	show("one byte of page 3", fd, 3 * PG + 5, 1);
	show("from page 4 on", fd, 4 * PG, 0);
	show("past the end", fd, 100 * PG, 0);
	show("range wrapping", fd, 2 * PG, UINT64_MAX);
	R("fallocate pages 8-9", fallocate(fd, 0, 8 * PG, 2 * PG));
	show("with fallocated pages", fd, 0, 0);
	R("fallocate past the end, keep size", fallocate(fd, FALLOC_FL_KEEP_SIZE, 20 * PG, PG));
	show("and one past the end", fd, 0, 0);
	R("truncate to 4 pages", ftruncate(fd, 4 * PG));
	show("after truncation", fd, 0, 0);

	int fd2 = memfd_create("cs2", 0);
	ftruncate(fd2, 8 * PG);
	char *m = mmap(NULL, 8 * PG, PROT_READ | PROT_WRITE, MAP_SHARED, fd2, 0);
	m[2 * PG] = 1;
	m[6 * PG] = 1;
	show("shared mapping, two pages touched", fd2, 0, 0);
	pwrite(fd2, page, PG, 7 * PG);
	show("and one written", fd2, 0, 0);

	int p[2];
	pipe(p);
	show("pipe", p[0], 0, 0);
	int dir = open(".", O_RDONLY | O_DIRECTORY);
	show("directory", dir, 0, 0);

	/* read-only, not the owner, no CAP_FOWNER: EPERM; opened for writing: allowed */
	int ro = open("ro", O_RDWR | O_CREAT, 0644), rofd = open("ro", O_RDONLY);
	pid_t pid = fork();
	if (pid == 0) {
		if (setgid(65534) < 0 || setuid(65534) < 0)
			_exit(2);
		int a = cstat(rofd, 0, 0) < 0 && errno == EPERM;
		int b = cstat(ro, 0, 0) == 0;
		_exit(a && b ? 0 : 1);
	}
	int st;
	waitpid(pid, &st, 0);
	YN("unprivileged: read-only EPERM, read-write allowed",
	   geteuid() != 0 || (WIFEXITED(st) && WEXITSTATUS(st) == 0));

	int exe = open("/proc/self/exe", O_RDONLY);
	YN("own executable: some pages cached", cstat(exe, 0, 0) == 0 && cs.cache > 0);
	return 0;
}
