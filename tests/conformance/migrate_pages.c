/* migrate_pages on a machine with one memory node: node 0 to node 0 moves nothing (0),
 * a node that does not exist is EINVAL, then the target and argument errors (ESRCH,
 * EINVAL for a huge mask size, EFAULT) and EPERM for another user's process. */
#include "cf.h"
#include <sys/mman.h>
#include <sys/wait.h>

static long
mp(long pid, unsigned long maxnode, const void *old, const void *new)
{
	return syscall(SYS_migrate_pages, pid, maxnode, old, new);
}

int
main(void)
{
	setvbuf(stdout, NULL, _IONBF, 0);
	unsigned long zero = 1, one = 2, both = 3, none = 0;

	R("node 0 to node 0", mp(0, 64, &zero, &zero));
	R("own pid", mp(getpid(), 64, &zero, &zero));
	R("to node 1", mp(0, 64, &zero, &one));
	R("to nodes 0 and 1", mp(0, 64, &zero, &both));
	R("to no node", mp(0, 64, &zero, &none));
	R("from no node", mp(0, 64, &none, &zero));
	R("null masks, maxnode 0", mp(0, 0, NULL, NULL));
	R("masks, maxnode 0", mp(0, 0, &zero, &zero));
	R("maxnode 1 (no bits)", mp(0, 1, &zero, &zero));
	R("pid -1", mp(-1, 64, &zero, &zero));
	R("unused pid", mp(4000000, 64, &zero, &zero));
	R("maxnode -1", mp(0, -1UL, &zero, &zero));
	R("bad old", mp(0, 64, (void *)-1, &zero));
	R("bad new", mp(0, 64, &zero, (void *)-1));
	void *p = mmap(NULL, 4096, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	R("PROT_NONE masks", mp(0, 64, p, p));
	unsigned long big[32] = { 1 };
	big[20] = 1; /* node 1280: past the kernel's node count */
	R("a node past the limit", mp(0, 32 * 64, big, big));

	pid_t parent = getpid();
	pid_t c = fork();
	if (c == 0) {
		if (setuid(65534) < 0)
			_exit(2);
		R("another user's process", mp(parent, 64, &zero, &zero));
		_exit(0);
	}
	waitpid(c, NULL, 0);
	return 0;
}
