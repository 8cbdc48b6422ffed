/* brk at its edges: a mapping above the break (Linux keeps a page free below it), a heap
 * the program unmapped itself, access past the break, a forked child's own break. */
#include "cf.h"
#include <signal.h>
#include <sys/mman.h>
#include <sys/wait.h>

static char outbuf[1 << 16];

static long
rbrk(unsigned long want)
{
	return syscall(SYS_brk, want);
}

/* Does touching p kill a child with SIGSEGV? */
static const char *
touch(volatile char *p)
{
	int st;
	pid_t pid = fork();

	if (pid == 0) {
		*p = 1;
		_exit(0);
	}
	if (pid < 0 || waitpid(pid, &st, 0) != pid)
		return "fork failed";
	if (WIFSIGNALED(st))
		return WTERMSIG(st) == SIGSEGV ? "SIGSEGV" : "other signal";
	return "no fault";
}

int
main(void)
{
	setvbuf(stdout, outbuf, _IOFBF, sizeof(outbuf)); /* no malloc: the break is ours */
	const unsigned long pg = 4096;
	unsigned long b0 = (unsigned long)rbrk(0);
	unsigned long cur = (b0 + pg - 1) & ~(pg - 1);
	long r;

	r = rbrk(cur + 2 * pg);
	R("grow two pages (offset)", r - (long)cur);
	memset((void *)cur, 7, 2 * pg);
	YN("grown pages writable", ((char *)cur)[2 * pg - 1] == 7);
	printf("past the break: %s\n", touch((char *)cur + 2 * pg));
	printf("inside the break: %s\n", touch((char *)cur + pg));

	/* a mapping 16 pages above: the break may come up to one page below it */
	void *m = mmap((void *)(cur + 16 * pg), pg, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS |
		       MAP_FIXED_NOREPLACE, -1, 0);
	YN("mapping placed", m == (void *)(cur + 16 * pg));
	R("grow onto the mapping (offset)", rbrk(cur + 17 * pg) - (long)cur);
	R("grow up to it (offset)", rbrk(cur + 16 * pg) - (long)cur);
	R("grow to a page below it (offset)", rbrk(cur + 15 * pg) - (long)cur);
	R("grow within the page (offset)", rbrk(cur + 15 * pg + 100) - (long)cur);
	R("back to the page (offset)", rbrk(cur + 15 * pg) - (long)cur);

	/* a forked child moves its own break only */
	pid_t pid = fork();
	if (pid == 0) {
		long c = rbrk(cur + 4 * pg);
		_exit(c == (long)(cur + 4 * pg) ? 0 : 1);
	}
	int st = 0;
	waitpid(pid, &st, 0);
	YN("child shrank its break", WIFEXITED(st) && WEXITSTATUS(st) == 0);
	R("parent's break unchanged (offset)", rbrk(0) - (long)cur);
	((char *)cur)[15 * pg - 1] = 3;
	YN("parent's heap intact", ((char *)cur)[pg] == 7);

	/* the program unmaps its heap itself: a shrink finds nothing to unmap and fails */
	OK("munmap the heap", munmap((void *)cur, 15 * pg));
	R("shrink over nothing (offset)", rbrk(cur + pg) - (long)cur);
	R("grow past the mapping? (offset)", rbrk(cur + 20 * pg) - (long)cur);
	OK("munmap the mapping", munmap(m, pg));
	R("grow again (offset)", rbrk(cur + 20 * pg) - (long)cur);
	YN("regrown pages zeroed", ((char *)cur)[16 * pg] == 0);
	R("shrink (offset)", rbrk(cur + 18 * pg) - (long)cur);
	printf("after the shrink: %s\n", touch((char *)cur + 18 * pg));
	R("below the start", rbrk(b0 - pg) == rbrk(0));
	return 0;
}
