/* Private mappings of a file that was never mapped shared: pages wholly past the end of the
 * file raise SIGBUS (read and write, also after a truncate that follows a copy-on-write),
 * the tail of the last page reads as zeros, untouched pages follow later writes to the
 * file, MADV_DONTNEED drops the private copy, mremap growth shows the file's pages, and a
 * write(2) from a page past the end is EFAULT. */
#include "cf.h"
#include <setjmp.h>
#include <signal.h>
#include <sys/mman.h>

static int
mkfile(const char *name, long len, char c)
{
	int fd = open(name, O_RDWR | O_CREAT | O_TRUNC, 0644);
	char *buf = malloc(len);

	memset(buf, c, len);
	if (fd < 0 || write(fd, buf, len) != len)
		printf("%s: setup failed\n", name);
	free(buf);
	return fd;
}

int
main(void)
{
	long pg = sysconf(_SC_PAGESIZE);
	int fd, pfd[2];
	char *p;

	cf_init();

	/* a file of half a page mapped for three pages */
	fd = mkfile("half", pg / 2, 'a');
	p = mmap(NULL, 3 * pg, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0);
	YN("map private", p != MAP_FAILED);
	printf("first byte: %c\n", p[0]);
	printf("past EOF in last page: %d\n", p[pg / 2 + 1]);
	printf("read page 1: %s\n", cf_touch(p + pg, 0));
	printf("write page 2: %s\n", cf_touch(p + 2 * pg, 1));
	printf("write page 0 tail: %s\n", cf_touch(p + pg - 1, 1));
	pipe(pfd);
	R("write(pipe) from page 1", write(pfd[1], p + pg, 16));
	R("write(pipe) from page 0", write(pfd[1], p, 16));
	close(pfd[0]);
	close(pfd[1]);
	/* the file grows: the pages are there now */
	R("ftruncate grow", ftruncate(fd, 2 * pg));
	printf("read page 1 after grow: %s\n", cf_touch(p + pg, 0));
	printf("page 1 value: %d\n", p[pg]);
	munmap(p, 3 * pg);
	close(fd);

	/* untouched private pages follow the file; touched ones keep their copy */
	fd = mkfile("two", 2 * pg, 'b');
	p = mmap(NULL, 2 * pg, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0);
	p[0] = 'X';
	pwrite(fd, "Y", 1, 0);
	pwrite(fd, "Z", 1, pg);
	printf("cow page after file write: %c\n", p[0]);
	printf("clean page after file write: %c\n", p[pg]);
	R("MADV_DONTNEED", madvise(p, pg, MADV_DONTNEED));
	printf("after DONTNEED: %c\n", p[0]);
	/* truncate after the copy: the copied page is past the end now */
	p[pg] = 'Q';
	R("ftruncate 0", ftruncate(fd, 0));
	printf("cow page past EOF: %s\n", cf_touch(p + pg, 0));
	printf("clean page past EOF: %s\n", cf_touch(p, 0));
	munmap(p, 2 * pg);
	close(fd);

	/* mremap growth shows the file's pages beyond the old end */
	fd = mkfile("four", 4 * pg, 'c');
	p = mmap(NULL, pg, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0);
	p[0] = 'M';
	char *q = mremap(p, pg, 3 * pg, MREMAP_MAYMOVE);
	YN("mremap grow", q != MAP_FAILED);
	if (q != MAP_FAILED) {
		printf("kept copy: %c\n", q[0]);
		printf("new pages: %c %c\n", q[pg], q[2 * pg]);
		munmap(q, 3 * pg);
	}
	close(fd);

	/* a mapping that starts past the end */
	fd = mkfile("small", 16, 'd');
	p = mmap(NULL, pg, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 2 * pg);
	YN("map past EOF", p != MAP_FAILED);
	if (p != MAP_FAILED) {
		printf("write there: %s\n", cf_touch(p, 1));
		munmap(p, pg);
	}
	close(fd);
	return 0;
}
