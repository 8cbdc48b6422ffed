/* O_PATH descriptors: no I/O, fstat/fchdir/openat work, F_GETFL shows O_PATH, symlinks. */
#include "cf.h"

int
main(void)
{
	char b[8];
	struct stat st;

	cf_init();
	cf_write_file("f", "abc", 3);
	mkdir("d", 0755);
	cf_write_file("d/g", "g", 1);
	symlink("f", "lnk");
	int fd = FD("open O_PATH file", open("f", O_PATH));
	R("read O_PATH", read(fd, b, 1));
	R("write O_PATH", write(fd, "x", 1));
	R("fstat O_PATH", fstat(fd, &st));
	R("fstat size", st.st_size);
	printf("F_GETFL: %o\n", fcntl(fd, F_GETFL));
	R("fchmod O_PATH", fchmod(fd, 0600));
	R("ftruncate O_PATH", ftruncate(fd, 0));
	R("lseek O_PATH", lseek(fd, 0, SEEK_SET));
	R("fstatat AT_EMPTY_PATH", fstatat(fd, "", &st, AT_EMPTY_PATH));
	int fd2 = FD("dup O_PATH", dup(fd));
	printf("dup F_GETFL: %o\n", fcntl(fd2, F_GETFL));
	R("close O_PATH", close(fd));
	int dfd = FD("open O_PATH dir", open("d", O_PATH | O_DIRECTORY));
	int g = FD("openat via O_PATH dir", openat(dfd, "g", O_RDONLY));
	R("read g", read(g, b, sizeof(b)));
	R("getdents on O_PATH dir", syscall(SYS_getdents64, dfd, b, sizeof(b)));
	R("fchdir O_PATH dir", fchdir(dfd));
	R("access g after fchdir", access("g", F_OK));
	chdir(cf_dir);
	int lfd = FD("open symlink O_PATH|O_NOFOLLOW", open("lnk", O_PATH | O_NOFOLLOW));
	R("fstat symlink O_PATH", fstat(lfd, &st));
	YN("is symlink", S_ISLNK(st.st_mode));
	char t[16] = {0};
	R("readlinkat empty path", readlinkat(lfd, "", t, sizeof(t)));
	printf("target: %s\n", t);
	FD("open missing O_PATH", open("missing", O_PATH));
	FD("open O_PATH|O_CREAT", open("newp", O_PATH | O_CREAT, 0644));
	R("created?", access("newp", F_OK));
	int nfd = FD("O_PATH /dev/null", open("/dev/null", O_PATH));
	R("write O_PATH /dev/null", write(nfd, "x", 1));
	return 0;
}
