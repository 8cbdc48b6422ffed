/* A memfd (tmpfs) file may be as large as Linux's MAX_LFS_FILESIZE (INT64_MAX): ftruncate to
 * it, sparse writes near the end, reads and writes whose end would pass INT64_MAX. */
#include "cf.h"
#include <stdint.h>
#include <sys/mman.h>

int
main(void)
{
	char buf[16] = { 0 };
	struct stat st;
	int fd;

	setvbuf(stdout, NULL, _IONBF, 0);
	fd = FD("memfd_create", memfd_create("huge", 0));
	R("ftruncate INT64_MAX", ftruncate(fd, INT64_MAX));
	R("fstat", fstat(fd, &st));
	YN("size is INT64_MAX", st.st_size == INT64_MAX);
	R("pread at INT64_MAX", pread(fd, buf, sizeof(buf), INT64_MAX));
	R("pread at INT64_MAX-4", pread(fd, buf, sizeof(buf), INT64_MAX - 4));
	R("pread 4 at INT64_MAX-4", pread(fd, buf, 4, INT64_MAX - 4));
	R("pwrite 2 at INT64_MAX-1", pwrite(fd, "ab", 2, INT64_MAX - 1));
	R("pwrite 2 at INT64_MAX-8192", pwrite(fd, "ab", 2, INT64_MAX - 8192));
	R("pread 2 at INT64_MAX-8192", pread(fd, buf, 2, INT64_MAX - 8192));
	printf("data: %.2s\n", buf);
	R("lseek SEEK_END", lseek(fd, 0, SEEK_END) == INT64_MAX);
	R("lseek SEEK_END +1", lseek(fd, 1, SEEK_END));
	R("ftruncate 1 TiB << 4", ftruncate(fd, (off_t)1 << 44));
	R("pwrite past 8 TiB", pwrite(fd, "cd", 2, ((off_t)1 << 43) + 10));
	R("pread past 8 TiB", pread(fd, buf, 2, ((off_t)1 << 43) + 10));
	printf("data: %.2s\n", buf);
	R("ftruncate 0", ftruncate(fd, 0));
	R("fallocate to INT64_MAX", fallocate(fd, FALLOC_FL_KEEP_SIZE | FALLOC_FL_PUNCH_HOLE, 0,
					      INT64_MAX));
	return 0;
}
