/* A memfd far larger than any memory, made sparse with ftruncate and mapped shared, costs
 * only the pages that are touched, as ZGC's heap (a memfd of -Xmx, committed piece by
 * piece) and .NET's double mapping use it: Linux's shmem charges such a file block by
 * block, never by its size. Its filesystem is the internal one of memfds and System V
 * segments, which has no size: statfs says 0 blocks and 0 inodes (ZGC then reports no
 * limit, where a number would make it warn and cap the heap). */
#include "cf.h"
#include <linux/falloc.h>
#include <sys/mman.h>
#include <sys/statfs.h>

#define PG 4096L
#define BIG (1L << 40) /* 1 TiB */

int
main(void)
{
	struct statfs sf;

	cf_init();
	int fd = FD("memfd_create", memfd_create("java_heap", MFD_CLOEXEC));
	R("fstatfs", fstatfs(fd, &sf));
	printf("f_type %lx bsize %ld blocks %ld bfree %ld bavail %ld files %ld ffree %ld namelen %ld flags %lx\n",
	       (long)sf.f_type, (long)sf.f_bsize, (long)sf.f_blocks, (long)sf.f_bfree,
	       (long)sf.f_bavail, (long)sf.f_files, (long)sf.f_ffree, (long)sf.f_namelen,
	       (long)sf.f_flags);

	R("ftruncate 1 TiB", ftruncate(fd, BIG));
	cf_show_blocks("sparse", fd);
	/* three views of the same pages, as ZGC maps its heap */
	char *v[3];
	for (int k = 0; k < 3; k++) {
		v[k] = mmap(NULL, 8 * PG, PROT_READ | PROT_WRITE, MAP_SHARED, fd, BIG / 2);
		YN("mmap 8 pages in the middle", v[k] != MAP_FAILED);
		if (v[k] == MAP_FAILED)
			return 1;
	}
	char *whole = mmap(NULL, BIG, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_NORESERVE, fd, 0);
	YN("mmap all of it", whole != MAP_FAILED);
	v[0][0] = 'a', v[1][3 * PG] = 'b';
	YN("views agree", v[2][0] == 'a' && v[0][3 * PG] == 'b');
	cf_show_blocks("2 pages touched", fd);
	if (whole != MAP_FAILED) {
		whole[BIG - 1] = 'z';
		YN("whole view sees the others", whole[BIG / 2] == 'a');
		cf_show_blocks("and the last page", fd);
		R("munmap all", munmap(whole, BIG));
	}
	char c;
	R("pread the last byte", pread(fd, &c, 1, BIG - 1));
	YN("it is z", c == 'z');
	R("pwrite a page at 3/4", pwrite(fd, "x", 1, BIG / 4 * 3));
	cf_show_blocks("4 pages", fd);
	R("fallocate punch the middle", fallocate(fd, FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE, BIG / 2, 8 * PG));
	YN("views read zeros", v[0][0] == 0 && v[2][3 * PG] == 0);
	R("ftruncate to 1 MiB", ftruncate(fd, 1 << 20));
	cf_show_blocks("truncated", fd);
	for (int k = 0; k < 3; k++)
		munmap(v[k], 8 * PG);
	close(fd);
	return 0;
}
