/*
 * Operations on open files that must not depend on the name: a shared writable mapping of
 * a file already mapped through a read-only descriptor (CPython's test_mmap does this), and
 * ftruncate, posix_fallocate, xattrs and reopening of a removed file, also once its name is
 * taken by another (tempfile's TemporaryFile). tests/security/rw_conformance.sh runs it in
 * a --rw directory too.
 */
#include "cf.h"
#include <sys/mman.h>
#include <sys/xattr.h>

static void
mappings(void)
{
	char buf[4096];
	int fd = open("m", O_RDWR | O_CREAT | O_TRUNC, 0600);

	memset(buf, 'a', sizeof(buf));
	R("write m", write(fd, buf, sizeof(buf)));
	close(fd);
	int ro = FD("open m read-only", open("m", O_RDONLY));
	char *m1 = mmap(NULL, 4096, PROT_READ, MAP_SHARED, ro, 0);
	YN("shared read-only mapping", m1 != MAP_FAILED);
	int rw = FD("open m read-write", open("m", O_RDWR));
	char *m2 = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, rw, 0);
	YN("then a shared writable mapping", m2 != MAP_FAILED);
	if (m2 != MAP_FAILED) {
		memcpy(m2, "zz", 2);
		OK("msync", msync(m2, 4096, MS_SYNC));
		R("pread", pread(ro, buf, 2, 0));
		YN("the file has the mapping's write", !memcmp(buf, "zz", 2));
		YN("the read-only mapping sees it", m1 != MAP_FAILED && !memcmp(m1, "zz", 2));
		munmap(m2, 4096);
	}
	/* a private writable mapping through the read-only descriptor is still fine */
	char *m3 = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE, ro, 0);
	YN("private writable mapping of the read-only fd", m3 != MAP_FAILED);
	if (m3 != MAP_FAILED)
		munmap(m3, 4096);
	/* and a shared writable one of it is EACCES, whatever was mapped before */
	errno = 0;
	char *m4 = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, ro, 0);
	printf("shared writable mapping of the read-only fd: %s\n",
	       m4 == MAP_FAILED ? en(errno) : "mapped");
	if (m1 != MAP_FAILED)
		munmap(m1, 4096);
	close(ro);
	close(rw);
}

static void
truncate_removed(void)
{
	struct stat st;
	char buf[32] = { 0 };
	int fd = FD("create t", open("t", O_RDWR | O_CREAT | O_TRUNC, 0600));

	R("write t", write(fd, "hello", 5));
	OK("unlink t", unlink("t"));
	OK("ftruncate removed t to 20", ftruncate(fd, 20));
	OK("fstat", fstat(fd, &st));
	R("size", st.st_size);
	R("pread", pread(fd, buf, sizeof(buf), 0));
	YN("data kept, then zeros", !memcmp(buf, "hello\0\0\0", 8));
	/* the name again, for another file: ftruncate of the old one leaves it alone */
	int other = FD("create t again", open("t", O_RDWR | O_CREAT | O_EXCL, 0600));
	R("write new t", write(other, "0123456789", 10));
	OK("ftruncate removed t to 2", ftruncate(fd, 2));
	OK("fstat removed t", fstat(fd, &st));
	R("removed t size", st.st_size);
	OK("stat new t", stat("t", &st));
	R("new t size", st.st_size);
	/* posix_fallocate of the removed file (glibc writes zeros where fallocate cannot) */
	R("posix_fallocate removed t", posix_fallocate(fd, 0, 64));
	OK("fstat removed t", fstat(fd, &st));
	R("removed t size", st.st_size);
	OK("stat new t", stat("t", &st));
	R("new t size", st.st_size);
	/* an attribute set through the removed file's fd never lands on the new file (the
	 * call's result is not printed: in a --rw directory it is ENOENT, a known gap) */
	(void)fsetxattr(fd, "user.cf", "1", 1, 0);
	YN("new t has the removed file's attribute", getxattr("t", "user.cf", NULL, 0) >= 0);
	OK("ftruncate new t to 4", ftruncate(other, 4));
	OK("stat new t", stat("t", &st));
	R("new t size", st.st_size);
	close(other);
	close(fd);
}

/* Reopening a removed file through /proc never gives the file its name is now (whether
 * it opens is not printed: in a --rw directory it is ENOENT, a known gap). */
static void
reopen_removed(void)
{
	char proc[64], got[4] = { 0 };
	int fd = open("r", O_RDWR | O_CREAT | O_TRUNC, 0600);

	R("write r", write(fd, "old", 3));
	OK("unlink r", unlink("r"));
	int other = FD("create r again", open("r", O_RDWR | O_CREAT | O_EXCL, 0600));
	R("write new r", write(other, "0123", 4));
	close(other);
	snprintf(proc, sizeof(proc), "/proc/self/fd/%d", fd);
	int re = open(proc, O_RDONLY);
	if (re >= 0) {
		(void)pread(re, got, sizeof(got), 0);
		close(re);
	}
	YN("reopened removed r reads the new file", re >= 0 && !memcmp(got, "0123", 4));
	close(fd);
}

int
main(void)
{
	cf_init();
	mappings();
	truncate_removed();
	reopen_removed();
	return 0;
}
