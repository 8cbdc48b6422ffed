/* utimensat and futimesat with a null path change the descriptor's own file, which Linux
 * takes with fdget: an O_PATH descriptor is EBADF there (flags are checked first:
 * EINVAL), while an empty path with AT_EMPTY_PATH reaches the file through it. */
#include "cf.h"
#include <sys/time.h>

int
main(void)
{
	struct timespec ts[2] = { { 10, 0 }, { 20, 0 } };
	struct timespec omit[2] = { { 0, UTIME_OMIT }, { 0, UTIME_OMIT } };
	struct timeval tv[2] = { { 10, 0 }, { 20, 0 } };
	struct stat st;

	cf_init();
	close(open("f", O_CREAT | O_WRONLY, 0644));
	int p = open("f", O_PATH);
	int rw = open("f", O_RDWR);

	R("futimesat O_PATH null path", syscall(SYS_futimesat, p, NULL, tv));
	R("futimesat O_PATH null path, null times", syscall(SYS_futimesat, p, NULL, NULL));
	R("utimensat O_PATH null path", syscall(SYS_utimensat, p, NULL, ts, 0));
	R("utimensat O_PATH null path, null times", syscall(SYS_utimensat, p, NULL, NULL, 0));
	R("utimensat O_PATH null path, both omitted", syscall(SYS_utimensat, p, NULL, omit, 0));
	R("utimensat O_PATH null path, nofollow", syscall(SYS_utimensat, p, NULL, ts, AT_SYMLINK_NOFOLLOW));
	R("futimens O_PATH", futimens(p, ts));
	R("utimensat O_PATH empty path", syscall(SYS_utimensat, p, "", ts, AT_EMPTY_PATH));
	stat("f", &st);
	printf("mtime %ld\n", (long)st.st_mtime);
	R("futimesat rw null path", syscall(SYS_futimesat, rw, NULL, tv));
	R("utimensat rw null path", syscall(SYS_utimensat, rw, NULL, ts, 0));
	close(rw);
	R("utimensat closed null path", syscall(SYS_utimensat, rw, NULL, ts, 0));
	return 0;
}
