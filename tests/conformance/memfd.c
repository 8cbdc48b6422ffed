/* memfd_create: flags and name checks, the file (mode, size, /proc/self/fd link, reopen
 * through it, shared mappings), and seals (F_GET_SEALS/F_ADD_SEALS and what they refuse). */
#include "cf.h"
#include <sys/mman.h>

int
main(void)
{
	char buf[64], name[300];
	struct stat st;
	int fd, fd2, sfd;

	setvbuf(stdout, NULL, _IONBF, 0);
	memset(name, 'n', sizeof(name));
	name[249] = 0;
	FD("name of 249", memfd_create(name, 0));
	name[249] = 'n';
	name[250] = 0;
	FD("name of 250", memfd_create(name, 0));
	FD("bad flags", memfd_create("x", 0x100));
	FD("hugetlb size without MFD_HUGETLB", memfd_create("x", 21 << 26));
	FD("bad name pointer", syscall(SYS_memfd_create, (void *)8, 0));
	fd = FD("memfd_create", memfd_create("test", MFD_CLOEXEC));
	R("F_GETFD", fcntl(fd, F_GETFD));
	R("F_GETFL & O_ACCMODE", fcntl(fd, F_GETFL) & O_ACCMODE);
	snprintf(buf, sizeof(buf), "/proc/self/fd/%d", fd);
	ssize_t n = readlink(buf, name, sizeof(name) - 1);
	name[n > 0 ? n : 0] = 0;
	printf("link: %s\n", name);
	R("write", write(fd, "hello", 5));
	R("fstat", fstat(fd, &st));
	printf("mode %o size %ld nlink %ld\n", st.st_mode, (long)st.st_size, (long)st.st_nlink);
	R("ftruncate", ftruncate(fd, 8192));
	char *m = mmap(NULL, 8192, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	printf("mmap: %s\n", m == MAP_FAILED ? en(errno) : "ok");
	if (m != MAP_FAILED) {
		memcpy(m + 1, "ELL", 3);
		munmap(m, 8192);
	}
	fd2 = FD("reopen via /proc", open(buf, O_RDONLY));
	memset(buf, 0, sizeof(buf));
	R("read reopened", read(fd2, buf, 5));
	printf("data: %s\n", buf);
	R("F_GET_SEALS, no sealing", fcntl(fd, F_GET_SEALS));
	R("F_ADD_SEALS, no sealing", fcntl(fd, F_ADD_SEALS, F_SEAL_WRITE));
	int tf = open("/proc/self/exe", O_RDONLY);
	R("F_GET_SEALS regular file", fcntl(tf, F_GET_SEALS));

	sfd = FD("sealable", memfd_create("sealed", MFD_ALLOW_SEALING));
	R("F_GET_SEALS", fcntl(sfd, F_GET_SEALS));
	R("write", write(sfd, "0123456789", 10));
	R("F_ADD_SEALS bad", fcntl(sfd, F_ADD_SEALS, 0x100));
	R("F_ADD_SEALS SHRINK", fcntl(sfd, F_ADD_SEALS, F_SEAL_SHRINK));
	R("ftruncate smaller", ftruncate(sfd, 5));
	R("ftruncate larger", ftruncate(sfd, 20));
	R("F_ADD_SEALS GROW", fcntl(sfd, F_ADD_SEALS, F_SEAL_GROW));
	R("ftruncate larger", ftruncate(sfd, 30));
	R("pwrite inside", pwrite(sfd, "ab", 2, 0));
	R("pwrite across the end", pwrite(sfd, "abcdef", 6, 17));
	R("pwrite past the end", pwrite(sfd, "ab", 2, 20));
	R("fallocate past the end", fallocate(sfd, 0, 0, 100));
	R("fallocate keep size", fallocate(sfd, FALLOC_FL_KEEP_SIZE, 0, 100));
	R("F_ADD_SEALS WRITE", fcntl(sfd, F_ADD_SEALS, F_SEAL_WRITE));
	R("F_GET_SEALS", fcntl(sfd, F_GET_SEALS));
	R("write sealed", pwrite(sfd, "x", 1, 0));
	m = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, sfd, 0);
	printf("mmap shared writable: %s\n", m == MAP_FAILED ? en(errno) : "ok");
	m = mmap(NULL, 4096, PROT_READ, MAP_SHARED, sfd, 0);
	printf("mmap shared read-only: %s\n", m == MAP_FAILED ? en(errno) : "ok");
	m = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE, sfd, 0);
	printf("mmap private writable: %s\n", m == MAP_FAILED ? en(errno) : "ok");
	memset(buf, 0, sizeof(buf));
	R("pread", pread(sfd, buf, 20, 0));
	printf("data: %.20s\n", buf);
	R("F_ADD_SEALS SEAL", fcntl(sfd, F_ADD_SEALS, F_SEAL_SEAL));
	R("F_ADD_SEALS after SEAL", fcntl(sfd, F_ADD_SEALS, F_SEAL_SHRINK));
	R("F_GET_SEALS", fcntl(sfd, F_GET_SEALS));
	snprintf(buf, sizeof(buf), "/proc/self/fd/%d", sfd);
	int ro = open(buf, O_RDONLY);
	/* F_SEAL_GROW: Linux writes page by page, so a write running past the end keeps what
	 * lands in the pages before the first one that would grow the file */
	static char page[8192];
	int g = memfd_create("g", MFD_ALLOW_SEALING), h = memfd_create("h", MFD_ALLOW_SEALING);
	R("ftruncate 2 pages", ftruncate(g, 8192));
	R("F_ADD_SEALS GROW, 2 pages", fcntl(g, F_ADD_SEALS, F_SEAL_GROW));
	R("pwrite from 3/4 page past the end", pwrite(g, page, 8192, 3072));
	R("pwrite from the last page past the end", pwrite(g, page, 4096, 6144));
	R("pwrite at the end", pwrite(g, page, 1, 8192));
	R("ftruncate 3/4 page", ftruncate(h, 3072));
	R("F_ADD_SEALS GROW, 3/4 page", fcntl(h, F_ADD_SEALS, F_SEAL_GROW));
	R("pwrite across the end, one page", pwrite(h, page, 2048, 2048));
	R("pwrite up to the end", pwrite(h, page, 1024, 2048));
	R("pwrite from 0 past the end", pwrite(h, page, 8192, 0));
	R("size", lseek(g, 0, SEEK_END) + lseek(h, 0, SEEK_END));
	int s2 = memfd_create("s2", MFD_ALLOW_SEALING);
	snprintf(buf, sizeof(buf), "/proc/self/fd/%d", s2);
	ro = open(buf, O_RDONLY);
	R("F_ADD_SEALS read-only fd", fcntl(ro, F_ADD_SEALS, F_SEAL_GROW));
	return 0;
}
