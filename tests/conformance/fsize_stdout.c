/* RLIMIT_FSIZE on an inherited descriptor: with stdout redirected to a regular file (as the
 * harness runs us), a write crossing the limit is shortened, one at the limit fails with
 * EFBIG and raises SIGXFSZ, pwrite counts from its own offset; raising the limit again
 * lets writes through. Stdout that is not a regular file is left alone. */
#include "cf.h"
#include <signal.h>
#include <sys/resource.h>

static volatile sig_atomic_t xfsz;

static void
on_xfsz(int sig)
{
	(void)sig;
	xfsz++;
}

int
main(void)
{
	struct stat st;
	struct rlimit r, old;
	long w1, w2, w3, w4;
	int e2, e3;

	if (fstat(1, &st) < 0 || !S_ISREG(st.st_mode)) {
		printf("stdout is not a regular file\n");
		return 0;
	}
	signal(SIGXFSZ, on_xfsz);
	printf("header line\n");
	fflush(stdout);
	off_t at = lseek(1, 0, SEEK_CUR);
	getrlimit(RLIMIT_FSIZE, &old);
	r.rlim_cur = at + 10;
	r.rlim_max = old.rlim_max;
	setrlimit(RLIMIT_FSIZE, &r);
	w1 = write(1, "0123456789abcdef\n", 17);
	errno = 0;
	w2 = write(1, "more\n", 5);
	e2 = errno;
	errno = 0;
	w3 = pwrite(1, "zz", 2, at + 20);
	e3 = errno;
	w4 = pwrite(1, "AB", 2, 0); /* below the limit: allowed */
	int sigs = xfsz;
	setrlimit(RLIMIT_FSIZE, &old);
	printf("\ncrossing write: %ld\n", w1);
	printf("write at the limit: %ld %s\n", w2, w2 < 0 ? en(e2) : "");
	printf("pwrite past the limit: %ld %s\n", w3, w3 < 0 ? en(e3) : "");
	printf("pwrite below: %ld\n", w4);
	printf("SIGXFSZ: %d\n", sigs);
	return 0;
}
