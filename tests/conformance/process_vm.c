/* process_vm_readv / process_vm_writev between a parent and its child: data both ways,
 * several iovecs on each side, a partial transfer stopped by an unmapped page, errors. */
#include "cf.h"
#include <limits.h>
#include <sys/mman.h>
#include <sys/uio.h>
#include <sys/wait.h>

static char data[64] = "parent's";

int
main(void)
{
	setvbuf(stdout, NULL, _IONBF, 0);
	int to[2], from[2];
	if (pipe(to) < 0 || pipe(from) < 0)
		return 1;
	char *hole = mmap(NULL, 8192, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	munmap(hole + 4096, 4096);
	memcpy(hole + 4096 - 6, "edge!", 6);
	pid_t pid = fork();
	if (pid == 0) {
		char c;
		strcpy(data, "child's data here");
		write(from[1], "r", 1);
		read(to[0], &c, 1); /* the parent wrote into data meanwhile */
		printf("child sees: %s\n", data);
		_exit(0);
	}
	char c, a[8], b[32];
	read(from[0], &c, 1);
	struct iovec l[2] = { { a, 7 }, { b, sizeof(b) } };
	struct iovec r[2] = { { data, 8 }, { data + 8, 9 } };
	memset(a, 0, sizeof(a));
	memset(b, 0, sizeof(b));
	R("readv 2+2", process_vm_readv(pid, l, 2, r, 2, 0));
	printf("read: '%s' '%s'\n", a, b);
	struct iovec w = { "written by the parent", 22 };
	struct iovec rw = { data, 22 };
	R("writev", process_vm_writev(pid, &w, 1, &rw, 1, 0));
	struct iovec edge = { hole + 4096 - 6, 100 };
	struct iovec lb = { b, sizeof(b) };
	R("readv across an unmapped page", process_vm_readv(pid, &lb, 1, &edge, 1, 0));
	struct iovec gone = { hole + 4096, 8 };
	R("readv of an unmapped page", process_vm_readv(pid, &lb, 1, &gone, 1, 0));
	R("flags", process_vm_readv(pid, &lb, 1, r, 1, 1));
	R("too many iovecs", process_vm_readv(pid, &lb, IOV_MAX + 1, r, 1, 0));
	R("bad local iovec array", process_vm_readv(pid, (void *)8, 1, r, 1, 0));
	struct iovec bad = { (void *)8, 8 };
	R("bad local buffer", process_vm_readv(pid, &bad, 1, r, 1, 0));
	struct iovec none = { b, 0 };
	R("nothing to move, no such pid", process_vm_readv(999999, &none, 1, r, 1, 0));
	R("no such pid", process_vm_readv(999999, &lb, 1, r, 1, 0));
	R("itself", process_vm_readv(getpid(), &lb, 1, r, 1, 0));
	write(to[1], "w", 1);
	int st;
	waitpid(pid, &st, 0);
	R("after its exit", process_vm_readv(pid, &lb, 1, r, 1, 0));
	return 0;
}
