/* fallocate on /dev/shm (tmpfs): a large reservation (its blocks counted at once, read as
 * zeros, a hole to SEEK_DATA), then writes into reserved pages, a second fallocate making
 * them data, partial and whole hole punches, a truncate through them, and a shared mapping
 * of the file afterwards. */
#include "cf.h"
#include <sys/mman.h>

#define MB (1024L * 1024)

static void
st(const char *label, int fd)
{
	struct stat s;
	fstat(fd, &s);
	printf("%s: size %ld blocks %ld\n", label, (long)s.st_size, (long)s.st_blocks);
}

int
main(void)
{
	char path[64];
	snprintf(path, sizeof(path), "/dev/shm/cf_falloc_%d", getpid());
	int fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0600);
	unlink(path);
	if (fd < 0) {
		printf("open: %s\n", en(errno));
		return 0;
	}
	OK("fallocate 256 MiB", fallocate(fd, 0, 0, 256 * MB));
	st("reserved", fd);
	R("SEEK_DATA 0", lseek(fd, 0, SEEK_DATA));
	R("SEEK_HOLE 0", lseek(fd, 0, SEEK_HOLE));
	char buf[8192];
	memset(buf, 1, sizeof(buf));
	R("read in the middle", pread(fd, buf, 100, 100 * MB + 3));
	printf("zeros: %d\n", buf[0] == 0 && buf[99] == 0);

	R("write into a reserved page", pwrite(fd, "hello", 5, 10 * MB + 4090));
	st("after the write", fd);
	R("SEEK_DATA 0", lseek(fd, 0, SEEK_DATA));
	R("SEEK_HOLE there", lseek(fd, 10 * MB, SEEK_HOLE));
	R("read it back", pread(fd, buf, 8, 10 * MB + 4088));
	printf("bytes: %d %d %.5s %d\n", buf[0], buf[1], buf + 2, buf[7]);

	OK("fallocate again (keep size)", fallocate(fd, FALLOC_FL_KEEP_SIZE, 0, 2 * 4096));
	R("SEEK_DATA 0 now", lseek(fd, 0, SEEK_DATA));
	R("SEEK_HOLE 0 now", lseek(fd, 0, SEEK_HOLE));

	OK("punch partial pages", fallocate(fd, FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE,
					   10 * MB + 4092, 10));
	R("read after the punch", pread(fd, buf, 8, 10 * MB + 4088));
	printf("bytes: %d %d %d %d %d\n", buf[2], buf[3], buf[4], buf[5], buf[6]);
	OK("punch 128 MiB", fallocate(fd, FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE, 128 * MB,
				       128 * MB));
	st("after the big punch", fd);
	OK("truncate inside a reserved page", ftruncate(fd, 64 * MB + 100));
	st("after truncate", fd);
	OK("grow again", ftruncate(fd, 65 * MB));
	R("read past the old end", pread(fd, buf, 16, 64 * MB + 96));
	printf("zeros: %d\n", buf[0] == 0 && buf[15] == 0);

	char *m = mmap(NULL, 65 * MB, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	printf("mmap: %s\n", m == MAP_FAILED ? en(errno) : "ok");
	if (m != MAP_FAILED) {
		printf("mapped: %.5s %d\n", m + 10 * MB + 4090, m[30 * MB]);
		m[30 * MB] = 7;
		char c = 0;
		pread(fd, &c, 1, 30 * MB);
		printf("write through the mapping: %d\n", c);
	}
	OK("fallocate past the tmpfs limit", fallocate(fd, 0, 0, 1L << 50));
	return 0;
}
