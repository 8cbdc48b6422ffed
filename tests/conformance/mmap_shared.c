/* MAP_SHARED file mappings: stores reach the file, writes reach the mapping, msync. */
#include <sys/mman.h>
#include "cf.h"

int
main(void)
{
	long pg = sysconf(_SC_PAGESIZE);
	char buf[16] = {0};

	cf_init();
	int fd = open("f", O_RDWR | O_CREAT, 0644);
	ftruncate(fd, 2 * pg);
	char *p = mmap(NULL, 2 * pg, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	YN("mmap shared", p != MAP_FAILED);
	memcpy(p, "through-map", 11);
	pread(fd, buf, 11, 0);
	printf("read after store: %s\n", buf);
	pwrite(fd, "WRITE", 5, pg);
	printf("mapping after pwrite: %.5s\n", p + pg);
	R("msync", msync(p, 2 * pg, MS_SYNC));
	R("msync bad flags", msync(p, pg, MS_SYNC | MS_ASYNC));
	R("msync unaligned", msync(p + 1, pg, MS_SYNC));
	munmap(p, 2 * pg);
	close(fd);
	fd = open("f", O_RDONLY);
	memset(buf, 0, sizeof(buf));
	read(fd, buf, 11);
	printf("after munmap+reopen: %s\n", buf);
	struct stat st;
	fstat(fd, &st);
	R("size unchanged", st.st_size);
	close(fd);
	return 0;
}
