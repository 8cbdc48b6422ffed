/*
 * A touch to "now" gives atime, mtime and ctime one time (Linux notify_change takes a
 * single current_time for all three): find -used 0 and make-like tools compare them.
 * The sandbox took ctime from a second clock read, a few hundred ns later.
 */
#include "cf.h"
#include <sys/time.h>
#include <time.h>

static void
show(const char *label)
{
	struct stat st;

	if (stat("f", &st) < 0) {
		printf("%s: stat %s\n", label, en(errno));
		return;
	}
	printf("%s: atime==mtime %s, mtime==ctime %s\n", label,
	       st.st_atim.tv_sec == st.st_mtim.tv_sec && st.st_atim.tv_nsec == st.st_mtim.tv_nsec
		       ? "yes" : "no",
	       st.st_mtim.tv_sec == st.st_ctim.tv_sec && st.st_mtim.tv_nsec == st.st_ctim.tv_nsec
		       ? "yes" : "no");
}

int
main(void)
{
	struct timespec now2[2] = { { 0, UTIME_NOW }, { 0, UTIME_NOW } };
	struct timespec past[2] = { { 1000, 0 }, { 2000, 0 } };

	cf_init();
	int fd = open("f", O_CREAT | O_WRONLY, 0644);
	for (int round = 0; round < 3; round++) {
		OK("utimensat past", utimensat(AT_FDCWD, "f", past, 0));
		OK("utimensat NULL", utimensat(AT_FDCWD, "f", NULL, 0));
		show("after utimensat NULL");
		OK("utimensat past", utimensat(AT_FDCWD, "f", past, 0));
		OK("utimensat NOW NOW", utimensat(AT_FDCWD, "f", now2, 0));
		show("after UTIME_NOW");
		OK("utimensat past", utimensat(AT_FDCWD, "f", past, 0));
		OK("futimens NULL", futimens(fd, NULL));
		show("after futimens");
		OK("utimensat past", utimensat(AT_FDCWD, "f", past, 0));
		OK("utimes NULL", utimes("f", NULL));
		show("after utimes");
	}
	close(fd);
	return 0;
}
