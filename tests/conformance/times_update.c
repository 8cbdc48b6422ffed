/* Which operations change atime/mtime/ctime of a file and of its directory (Linux rules), utimensat
 * UTIME_NOW/UTIME_OMIT/symlinks/flags, statx masks. Relations only ("changed: yes/no"). */
#include <sys/time.h>
#include <sys/xattr.h>
#include <time.h>
#include <sys/mman.h>
#include "cf.h"

static struct stat s0;

static void
snap(const char *p)
{
	lstat(p, &s0);
}

static int
tslt(struct timespec a, struct timespec b)
{
	return a.tv_sec < b.tv_sec || (a.tv_sec == b.tv_sec && a.tv_nsec < b.tv_nsec);
}

static void
pause_tick(void)
{
	struct timespec ts = { 0, 20 * 1000 * 1000 };
	nanosleep(&ts, NULL);
}

static void
changed(const char *label, const char *p)
{
	struct stat s1;
	if (lstat(p, &s1) < 0) {
		printf("%s: %s\n", label, en(errno));
		return;
	}
	printf("%s: m=%s c=%s\n", label, tslt(s0.st_mtim, s1.st_mtim) ? "new" : "same",
	       tslt(s0.st_ctim, s1.st_ctim) ? "new" : "same");
}

int
main(void)
{
	int fd;
	struct timespec ts[2];
	struct stat st;

	cf_init();
	cf_write_file("f", "hello", 5);
	mkdir("d", 0755);
	cf_write_file("d/x", "x", 1);
	symlink("f", "lf");

#define DIRCASE(label, op) do { snap("d"); pause_tick(); op; changed(label " (dir)", "d"); } while (0)
#define FILECASE(label, path, op) do { snap(path); pause_tick(); op; changed(label, path); } while (0)
	DIRCASE("create in dir", cf_write_file("d/y", "y", 1));
	DIRCASE("unlink in dir", unlink("d/y"));
	DIRCASE("mkdir in dir", mkdir("d/sub", 0755));
	DIRCASE("rmdir in dir", rmdir("d/sub"));
	DIRCASE("rename within dir", rename("d/x", "d/x2"));
	DIRCASE("rename out of dir", rename("d/x2", "x2"));
	DIRCASE("rename into dir", rename("x2", "d/x"));
	DIRCASE("link into dir", link("f", "d/hl"));
	DIRCASE("symlink in dir", symlink("t", "d/sl"));
	DIRCASE("write to child", cf_write_file("d/x", "zz", 2));
	DIRCASE("chmod child", chmod("d/x", 0600));
	DIRCASE("open existing child", close(open("d/x", O_RDONLY)));
	DIRCASE("failed create (exists, O_EXCL)", open("d/x", O_CREAT | O_EXCL | O_WRONLY, 0644));
	DIRCASE("chmod dir itself", chmod("d", 0755));
	FILECASE("write", "f", (fd = open("f", O_WRONLY), write(fd, "a", 1), close(fd)));
	FILECASE("write 0 bytes", "f", (fd = open("f", O_WRONLY), write(fd, "a", 0), close(fd)));
	FILECASE("pwrite", "f", (fd = open("f", O_WRONLY), pwrite(fd, "a", 1, 3), close(fd)));
	FILECASE("truncate same size", "f", truncate("f", 5));
	FILECASE("truncate grow", "f", truncate("f", 10));
	FILECASE("ftruncate shrink", "f", (fd = open("f", O_WRONLY), ftruncate(fd, 4), close(fd)));
	FILECASE("open O_TRUNC", "f", close(open("f", O_WRONLY | O_TRUNC)));
	FILECASE("open O_TRUNC empty", "f", close(open("f", O_WRONLY | O_TRUNC)));
	cf_write_file("f", "hello", 5);
	FILECASE("chmod", "f", chmod("f", 0600));
	FILECASE("chmod same mode", "f", chmod("f", 0600));
	FILECASE("chown same", "f", chown("f", getuid(), getgid()));
	FILECASE("chown -1 -1", "f", chown("f", -1, -1));
	FILECASE("link", "f", link("f", "f2"));
	FILECASE("unlink other link", "f", unlink("f2"));
	FILECASE("rename file", "f", rename("f", "f3"));
	rename("f3", "f");
	FILECASE("setxattr", "f", setxattr("f", "user.a", "1", 1, 0));
	FILECASE("read", "f", (fd = open("f", O_RDONLY), read(fd, (char[8]){0}, 8), close(fd)));
	FILECASE("fallocate grow", "f", (fd = open("f", O_RDWR), fallocate(fd, 0, 0, 100), close(fd)));
	FILECASE("fallocate keep size", "f", (fd = open("f", O_RDWR), fallocate(fd, FALLOC_FL_KEEP_SIZE, 0, 8192), close(fd)));
	FILECASE("utimes NULL", "f", utimensat(AT_FDCWD, "f", NULL, 0));
	FILECASE("symlink target via lchown", "lf", lchown("lf", -1, -1));

	/* utimensat */
	ts[0].tv_sec = 1000; ts[0].tv_nsec = 5;
	ts[1].tv_sec = 2000; ts[1].tv_nsec = 7;
	R("utimensat set", utimensat(AT_FDCWD, "f", ts, 0));
	stat("f", &st);
	printf("times: a=%ld.%ld m=%ld.%ld\n", (long)st.st_atim.tv_sec, st.st_atim.tv_nsec,
	       (long)st.st_mtim.tv_sec, st.st_mtim.tv_nsec);
	ts[0].tv_nsec = UTIME_OMIT;
	ts[1].tv_sec = 3000; ts[1].tv_nsec = 0;
	R("utimensat omit atime", utimensat(AT_FDCWD, "f", ts, 0));
	stat("f", &st);
	printf("times: a=%ld m=%ld\n", (long)st.st_atim.tv_sec, (long)st.st_mtim.tv_sec);
	ts[0].tv_nsec = UTIME_OMIT;
	ts[1].tv_nsec = UTIME_OMIT;
	snap("f");
	pause_tick();
	R("utimensat both omit", utimensat(AT_FDCWD, "f", ts, 0));
	changed("both omit ctime", "f");
	ts[0].tv_nsec = UTIME_NOW;
	ts[1].tv_nsec = UTIME_OMIT;
	R("utimensat now/omit", utimensat(AT_FDCWD, "f", ts, 0));
	stat("f", &st);
	YN("atime now-ish", st.st_atim.tv_sec > 1000000000 && st.st_mtim.tv_sec == 3000);
	ts[0].tv_sec = 0; ts[0].tv_nsec = 1000000000;
	R("utimensat nsec 1e9", utimensat(AT_FDCWD, "f", ts, 0));
	ts[0].tv_nsec = -1;
	R("utimensat nsec -1", utimensat(AT_FDCWD, "f", ts, 0));
	ts[0].tv_sec = -5; ts[0].tv_nsec = 0;
	ts[1].tv_sec = -7; ts[1].tv_nsec = 0;
	R("utimensat negative secs", utimensat(AT_FDCWD, "f", ts, 0));
	stat("f", &st);
	printf("negative: a=%ld m=%ld\n", (long)st.st_atim.tv_sec, (long)st.st_mtim.tv_sec);
	ts[0].tv_sec = 111; ts[0].tv_nsec = 0;
	ts[1].tv_sec = 222; ts[1].tv_nsec = 0;
	R("utimensat symlink nofollow", utimensat(AT_FDCWD, "lf", ts, AT_SYMLINK_NOFOLLOW));
	lstat("lf", &st);
	printf("link times: a=%ld m=%ld\n", (long)st.st_atim.tv_sec, (long)st.st_mtim.tv_sec);
	stat("f", &st);
	YN("target untouched", st.st_mtim.tv_sec != 222);
	R("utimensat bad flag", utimensat(AT_FDCWD, "f", ts, 0x1));
	R("utimensat missing", utimensat(AT_FDCWD, "missing", ts, 0));
	R("utimensat empty path", utimensat(AT_FDCWD, "", ts, 0));
	fd = open("f", O_RDONLY);
	R("utimensat AT_EMPTY_PATH fd", utimensat(fd, "", ts, AT_EMPTY_PATH));
	R("futimens on rdonly fd", futimens(fd, ts));
	R("utimensat(fd, NULL)", syscall(SYS_utimensat, fd, NULL, ts, 0));
	R("utimensat(AT_FDCWD, NULL)", syscall(SYS_utimensat, AT_FDCWD, NULL, ts, 0));
	R("utimensat(fd, NULL, NOFOLLOW)", syscall(SYS_utimensat, fd, NULL, ts, AT_SYMLINK_NOFOLLOW));
	close(fd);
	{
		struct timeval tv[2] = { { 5, 999999 }, { 6, 1000000 } };
		R("utimes usec 1e6", utimes("f", tv));
		tv[1].tv_usec = 10;
		R("utimes ok", utimes("f", tv));
		stat("f", &st);
		printf("utimes: a=%ld.%ld m=%ld.%ld\n", (long)st.st_atim.tv_sec, st.st_atim.tv_nsec,
		       (long)st.st_mtim.tv_sec, st.st_mtim.tv_nsec);
		R("futimesat", syscall(SYS_futimesat, AT_FDCWD, "f", tv));
		struct utimbuf { long a, m; } ub = { 77, 88 };
		R("utime", syscall(SYS_utime, "f", &ub));
		stat("f", &st);
		printf("utime: a=%ld m=%ld\n", (long)st.st_atim.tv_sec, (long)st.st_mtim.tv_sec);
	}
	/* statx */
	{
		struct statx sx;
		R("statx basic", statx(AT_FDCWD, "f", 0, STATX_BASIC_STATS, &sx));
		printf("mask has basic: %s\n", (sx.stx_mask & STATX_BASIC_STATS) == STATX_BASIC_STATS ? "yes" : "no");
		printf("size %llu nlink %u mode %o\n", (unsigned long long)sx.stx_size, sx.stx_nlink, sx.stx_mode);
		R("statx reserved mask", statx(AT_FDCWD, "f", 0, 0x80000000U, &sx));
		R("statx bad flag", statx(AT_FDCWD, "f", 0x40000000, STATX_BASIC_STATS, &sx));
		R("statx sync both", statx(AT_FDCWD, "f", AT_STATX_FORCE_SYNC | AT_STATX_DONT_SYNC, STATX_BASIC_STATS, &sx));
		R("statx nofollow", statx(AT_FDCWD, "lf", AT_SYMLINK_NOFOLLOW, STATX_TYPE, &sx));
		printf("lf type lnk: %s\n", S_ISLNK(sx.stx_mode) ? "yes" : "no");
		fd = open("f", O_RDONLY);
		R("statx empty path", statx(fd, "", AT_EMPTY_PATH, STATX_SIZE, &sx));
		printf("size %llu\n", (unsigned long long)sx.stx_size);
		R("statx empty no flag", statx(fd, "", 0, STATX_SIZE, &sx));
		R("statx NULL path", syscall(SYS_statx, fd, NULL, AT_EMPTY_PATH, STATX_SIZE, &sx));
		close(fd);
		R("statx mask 0", statx(AT_FDCWD, "f", 0, 0, &sx));
		R("statx dir", statx(AT_FDCWD, "d", 0, STATX_ALL, &sx));
		printf("dir is dir: %s\n", S_ISDIR(sx.stx_mode) ? "yes" : "no");
	}
	/* fstatat */
	R("fstatat bad flag", fstatat(AT_FDCWD, "f", &st, 0x2));
	R("fstatat AT_EMPTY_PATH cwd", fstatat(AT_FDCWD, "", &st, AT_EMPTY_PATH));
	YN("cwd is dir", S_ISDIR(st.st_mode));
	R("fstatat bad dirfd", fstatat(99, "f", &st, 0));
	R("fstatat bad dirfd abs", fstatat(99, "/", &st, 0));
	fd = open("f", O_RDONLY);
	R("fstatat file as dirfd", fstatat(fd, "x", &st, 0));
	close(fd);
	return 0;
}
