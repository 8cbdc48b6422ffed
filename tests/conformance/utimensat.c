/* utimensat/futimens/utimes: explicit values, UTIME_NOW/UTIME_OMIT, relations to writes. */
#include <sys/time.h>
#include <time.h>
#include "cf.h"

static struct stat
st_of(const char *p)
{
	struct stat st;
	memset(&st, 0, sizeof(st));
	lstat(p, &st);
	return st;
}

int
main(void)
{
	struct timespec ts[2];
	struct stat st, st2;

	cf_init();
	cf_write_file("f", "x", 1);
	ts[0] = (struct timespec){ 1000000000, 123456789 };
	ts[1] = (struct timespec){ 1200000000, 987654321 };
	R("utimensat explicit", utimensat(AT_FDCWD, "f", ts, 0));
	st = st_of("f");
	printf("atime: %ld.%09ld\n", (long)st.st_atim.tv_sec, st.st_atim.tv_nsec);
	printf("mtime: %ld.%09ld\n", (long)st.st_mtim.tv_sec, st.st_mtim.tv_nsec);
	ts[0] = (struct timespec){ 0, UTIME_OMIT };
	ts[1] = (struct timespec){ 5, 0 };
	R("utimensat OMIT atime", utimensat(AT_FDCWD, "f", ts, 0));
	st = st_of("f");
	printf("atime kept: %ld.%09ld\n", (long)st.st_atim.tv_sec, st.st_atim.tv_nsec);
	printf("mtime: %ld.%09ld\n", (long)st.st_mtim.tv_sec, st.st_mtim.tv_nsec);
	ts[0] = (struct timespec){ 0, UTIME_NOW };
	ts[1] = (struct timespec){ 0, UTIME_NOW };
	R("utimensat NOW", utimensat(AT_FDCWD, "f", ts, 0));
	st = st_of("f");
	YN("mtime now recent", st.st_mtim.tv_sec > 1600000000);
	R("utimensat NULL", utimensat(AT_FDCWD, "f", NULL, 0));
	ts[0] = (struct timespec){ 0, 1000000000 };
	R("utimensat bad nsec", utimensat(AT_FDCWD, "f", ts, 0));
	ts[0] = (struct timespec){ 0, -1 };
	R("utimensat negative nsec", utimensat(AT_FDCWD, "f", ts, 0));
	/* the file is found before the times are checked (Linux vfs_utimes) */
	R("utimensat bad nsec, missing file", utimensat(AT_FDCWD, "missing", ts, 0));
	R("utimensat bad nsec, bad fd", syscall(SYS_utimensat, -1, NULL, ts, 0));
	R("utimensat bad nsec, fd and flags", syscall(SYS_utimensat, -1, NULL, ts, AT_SYMLINK_NOFOLLOW));
	R("utimensat bad nsec, bad flags", utimensat(AT_FDCWD, "missing", ts, 0x10000));
	R("utimensat missing", utimensat(AT_FDCWD, "missing", NULL, 0));
	R("utimensat bad flags", utimensat(AT_FDCWD, "f", NULL, 0x1));

	ts[0] = (struct timespec){ 1000, 0 };
	ts[1] = (struct timespec){ 1000, 0 };
	utimensat(AT_FDCWD, "f", ts, 0);
	st = st_of("f");
	int fd = open("f", O_WRONLY | O_APPEND);
	write(fd, "more", 4);
	st2 = st_of("f");
	YN("write advances mtime", st2.st_mtim.tv_sec > st.st_mtim.tv_sec);
	YN("write advances ctime", st2.st_ctim.tv_sec >= st.st_ctim.tv_sec);
	YN("write keeps atime", st2.st_atim.tv_sec == 1000);
	ts[1] = (struct timespec){ 2000, 0 };
	ts[0] = (struct timespec){ 0, UTIME_OMIT };
	R("futimens", futimens(fd, ts));
	st = st_of("f");
	printf("mtime via futimens: %ld\n", (long)st.st_mtim.tv_sec);
	close(fd);

	symlink("f", "lnk");
	ts[0] = (struct timespec){ 3000, 0 };
	ts[1] = (struct timespec){ 3000, 0 };
	R("utimensat AT_SYMLINK_NOFOLLOW", utimensat(AT_FDCWD, "lnk", ts, AT_SYMLINK_NOFOLLOW));
	printf("link mtime: %ld target mtime: %ld\n", (long)st_of("lnk").st_mtim.tv_sec,
	       (long)st_of("f").st_mtim.tv_sec);
	struct timeval tv[2] = { { 4000, 5 }, { 4000, 6 } };
	R("utimes", utimes("f", tv));
	st = st_of("f");
	printf("utimes mtime: %ld.%09ld\n", (long)st.st_mtim.tv_sec, st.st_mtim.tv_nsec);
	mkdir("d", 0755);
	ts[1] = (struct timespec){ 7000, 0 };
	ts[0] = ts[1];
	utimensat(AT_FDCWD, "d", ts, 0);
	cf_write_file("d/new", "", 0);
	YN("creating entry advances dir mtime", st_of("d").st_mtim.tv_sec > 7000);
	return 0;
}
