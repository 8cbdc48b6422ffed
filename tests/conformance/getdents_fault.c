/* getdents64 into a buffer whose end is unmapped: the records that fit before the fault
 * come back and the rest are read by the next call (none lost, none repeated); a fault
 * on the first record is EFAULT and loses nothing; counts above INT_MAX are EINVAL;
 * /proc directories seek to their end. */
#include <sys/mman.h>
#include "cf.h"

static int
count_all(int fd, char *buf, size_t claimed, int *calls)
{
	int n = 0;
	long r;

	*calls = 0;
	while ((r = syscall(SYS_getdents64, fd, buf, claimed)) > 0) {
		(*calls)++;
		for (long off = 0; off < r;) {
			unsigned short reclen;

			memcpy(&reclen, buf + off + 16, sizeof(reclen));
			n++;
			off += reclen;
		}
	}
	return r < 0 ? -1 : n;
}

int
main(void)
{
	char name[64];
	int calls;

	cf_init();
	mkdir("d", 0755);
	for (int i = 0; i < 100; i++) {
		snprintf(name, sizeof(name), "d/entry-with-a-longish-name-%03d", i);
		close(open(name, O_CREAT | O_WRONLY, 0644));
	}
	char *map = mmap(NULL, 8192, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	mprotect(map + 4096, 4096, PROT_NONE);
	char *buf = map + 4096 - 256; /* 256 usable bytes, a page claimed */

	int fd = open("d", O_RDONLY | O_DIRECTORY);
	int n = count_all(fd, buf, 4096, &calls);
	printf("entries through a 256-byte window: %d\n", n);
	YN("took several calls", calls > 1);
	close(fd);

	fd = open("d", O_RDONLY | O_DIRECTORY);
	R("first record faults", syscall(SYS_getdents64, fd, map + 4096 - 8, 4096));
	n = count_all(fd, map, 4096, &calls);
	printf("entries after the fault: %d\n", n);
	close(fd);
	fd = open("d", O_RDONLY | O_DIRECTORY);
	R("count INT_MAX+1", syscall(SYS_getdents64, fd, map, 0x80000000u));
	R("count UINT_MAX", syscall(SYS_getdents64, fd, map, 0xffffffffu));
	R("old getdents count INT_MAX+1", syscall(SYS_getdents, fd, map, 0x80000000u));
	close(fd);

	fd = open("/proc/self", O_RDONLY | O_DIRECTORY);
	R("lseek /proc/self SEEK_END", lseek(fd, 0, SEEK_END));
	YN("getdents after SEEK_END", syscall(SYS_getdents64, fd, map, 4096) >= 0);
	close(fd);
	return 0;
}
