/* fs.nr_open: /proc/sys/fs/nr_open is there (its default), and RLIMIT_NOFILE may not be
 * raised past it (EPERM, before any capability question). Nothing is written to it: natively
 * it is the host's. */
#include "cf.h"
#include <sys/resource.h>

int
main(void)
{
	char buf[32] = { 0 };
	struct rlimit rl;
	struct stat st;
	long nr = 0;

	setvbuf(stdout, NULL, _IONBF, 0);
	R("stat /proc/sys/fs", stat("/proc/sys/fs", &st));
	YN("a directory", S_ISDIR(st.st_mode));
	int fd = open("/proc/sys/fs/nr_open", O_RDONLY);
	R("read nr_open", read(fd, buf, sizeof(buf) - 1));
	printf("nr_open: %s", buf);
	R("fstat", fstat(fd, &st));
	printf("mode %o\n", st.st_mode);
	nr = atol(buf);
	getrlimit(RLIMIT_NOFILE, &rl);
	rl.rlim_max = rl.rlim_cur = (rlim_t)nr + 1;
	R("RLIMIT_NOFILE above nr_open", setrlimit(RLIMIT_NOFILE, &rl));
	R("write not a number", write(open("/proc/sys/fs/nr_open", O_WRONLY), "x", 1));
	return 0;
}
