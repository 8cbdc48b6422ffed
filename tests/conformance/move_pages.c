/* move_pages(2) on a one-node machine: status of touched pages (node 0), an unmapped
 * address (-EFAULT in its status), moves to node 0, and the argument checks. */
#include "cf.h"
#include <sys/mman.h>

#ifndef MPOL_MF_MOVE
#define MPOL_MF_MOVE (1 << 1)
#endif

static long
move_pages(int pid, unsigned long count, void **pages, const int *nodes, int *status, int flags)
{
	return syscall(SYS_move_pages, pid, count, pages, nodes, status, flags);
}

int
main(void)
{
	long ps = sysconf(_SC_PAGESIZE);
	char *m = mmap(NULL, 3 * ps, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	memset(m, 1, 3 * ps);
	munmap(m + 2 * ps, ps); /* the third page: no mapping */
	void *pages[3] = { m, m + ps, m + 2 * ps };
	int status[3] = { 99, 99, 99 }, nodes[3] = { 0, 0, 0 };

	R("query", move_pages(0, 3, pages, NULL, status, 0));
	printf("status: %d %d %s\n", status[0], status[1], status[2] == -EFAULT ? "-EFAULT" : "?");
	status[0] = status[1] = status[2] = 99;
	R("move to node 0", move_pages(0, 3, pages, nodes, status, MPOL_MF_MOVE));
	printf("status: %d %d %s\n", status[0], status[1], status[2] == -EFAULT ? "-EFAULT" : "?");
	R("own pid", move_pages(getpid(), 2, pages, NULL, status, 0));
	R("bad flags", move_pages(0, 1, pages, NULL, status, 1 << 5));
	nodes[0] = -1;
	R("node -1", move_pages(0, 1, pages, nodes, status, MPOL_MF_MOVE));
	nodes[0] = 5000;
	R("node 5000", move_pages(0, 1, pages, nodes, status, MPOL_MF_MOVE));
	R("bad pages pointer", move_pages(0, 1, (void **)8, NULL, status, 0));
	R("bad status pointer", move_pages(0, 1, pages, NULL, (int *)8, 0));
	R("no such pid", move_pages(999999, 1, pages, NULL, status, 0));
	R("zero pages", move_pages(0, 0, NULL, NULL, NULL, 0));
	return 0;
}
