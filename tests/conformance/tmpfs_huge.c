/* tmpfs files are sparse up to Linux's MAX_LFS_FILESIZE (2^63 - 1): truncation there,
 * reads and writes at the edge (EINVAL for a range past it, EFBIG at it), seeking, and
 * the blocks such a file uses. */
#include <stdint.h>
#include <sys/mman.h>
#include "cf.h"

int
main(void)
{
	char buf[16] = "abcdefgh";
	struct stat st;
	int fd = memfd_create("huge", 0);

	cf_init();
	R("ftruncate 2^43 + 1", ftruncate(fd, (1LL << 43) + 1));
	R("ftruncate INT64_MAX", ftruncate(fd, INT64_MAX));
	fstat(fd, &st);
	printf("size %lld blocks %lld\n", (long long)st.st_size, (long long)st.st_blocks);
	R("pread past the edge", pread(fd, buf, sizeof(buf), INT64_MAX));
	R("pread at 2^50", pread(fd, buf, 8, 1LL << 50));
	R("pwrite at INT64_MAX", pwrite(fd, buf, 1, INT64_MAX));
	R("pwrite 2 bytes at INT64_MAX - 1", pwrite(fd, buf, 2, INT64_MAX - 1));
	R("pwrite at 2^50", pwrite(fd, "xyz", 3, 1LL << 50));
	memset(buf, 0, sizeof(buf));
	R("pread it back", pread(fd, buf, 3, 1LL << 50));
	printf("read %s\n", buf);
	fstat(fd, &st);
	printf("blocks after one page written %lld\n", (long long)st.st_blocks);
	R("lseek SEEK_END", lseek(fd, 0, SEEK_END));
	R("lseek SEEK_DATA 0", lseek(fd, 0, SEEK_DATA));
	R("lseek SEEK_HOLE 2^50", lseek(fd, 1LL << 50, SEEK_HOLE));
	R("fallocate past the edge", fallocate(fd, 0, INT64_MAX - 10, 100));
	R("ftruncate back to 0", ftruncate(fd, 0));
	fstat(fd, &st);
	printf("size %lld blocks %lld\n", (long long)st.st_size, (long long)st.st_blocks);
	return 0;
}
