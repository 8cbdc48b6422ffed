/* remap_file_pages on a System V shm attach: fine while the segment exists or another
 * attach keeps a removed one; on the last attach of a removed segment Linux's emulation
 * closes the old mapping first, the segment goes, and the call fails (EINVAL) with the
 * range left unmapped. (LTP shmctl05 loops until it fails.) */
#include <sys/ipc.h>
#include <sys/mman.h>
#include <sys/shm.h>
#include "cf.h"

static long
remap(void *addr, size_t len)
{
	return syscall(SYS_remap_file_pages, addr, len, 0, 0, 0);
}

/* Whether addr is still mapped (mincore says ENOMEM for a hole). */
static const char *
mapped(void *addr)
{
	unsigned char vec[2];

	return mincore(addr, 4096, vec) ? en(errno) : "mapped";
}

int
main(void)
{
	cf_init();
	int id = shmget(IPC_PRIVATE, 8192, IPC_CREAT | 0600);
	char *a = shmat(id, NULL, 0), *b;

	YN("attached", a != (void *)-1);
	R("remap, segment there", remap(a, 4096));
	R("IPC_RMID", shmctl(id, IPC_RMID, NULL));
	R("remap of one page of two, removed", remap(a, 4096));
	printf("  first page: %s, second: %s\n", mapped(a), mapped(a + 4096));
	R("shmdt", shmdt(a));

	id = shmget(IPC_PRIVATE, 4096, IPC_CREAT | 0600);
	a = shmat(id, NULL, 0);
	b = shmat(id, NULL, 0);
	a[0] = 'x';
	R("IPC_RMID (two attaches)", shmctl(id, IPC_RMID, NULL));
	R("remap, another attach left", remap(a, 4096));
	printf("  a: %s, reads %c\n", mapped(a), a[0]);
	R("shmdt other", shmdt(b));
	R("remap, last attach of removed segment", remap(a, 4096));
	printf("  a: %s\n", mapped(a));
	R("shmdt after", shmdt(a));
	R("shmctl IPC_STAT of it", shmctl(id, IPC_STAT, &(struct shmid_ds){ 0 }));
	return 0;
}
