/* truncate and ftruncate past RLIMIT_FSIZE: EFBIG and SIGXFSZ when growing beyond the
 * limit; growing up to it and shrinking below a file already past it succeed. */
#include <signal.h>
#include <sys/resource.h>
#include "cf.h"

static int
pending_xfsz(void)
{
	sigset_t s;

	sigpending(&s);
	if (!sigismember(&s, SIGXFSZ))
		return 0;
	int sig;
	sigset_t w;
	sigemptyset(&w);
	sigaddset(&w, SIGXFSZ);
	sigwait(&w, &sig);
	return 1;
}

int
main(void)
{
	sigset_t m;
	struct rlimit rl = { 1024, RLIM_INFINITY };

	cf_init();
	sigemptyset(&m);
	sigaddset(&m, SIGXFSZ);
	sigprocmask(SIG_BLOCK, &m, NULL);
	int fd = open("f", O_CREAT | O_RDWR, 0644);
	R("ftruncate 4096 before the limit", ftruncate(fd, 4096));
	R("setrlimit FSIZE 1024", setrlimit(RLIMIT_FSIZE, &rl));
	R("truncate 1025", truncate("f", 8192));
	printf("SIGXFSZ: %d\n", pending_xfsz());
	R("ftruncate 8192", ftruncate(fd, 8192));
	printf("SIGXFSZ: %d\n", pending_xfsz());
	R("ftruncate shrink to 2048 (still above)", ftruncate(fd, 2048));
	printf("SIGXFSZ: %d\n", pending_xfsz());
	R("truncate 1024", truncate("f", 1024));
	R("ftruncate 1025", ftruncate(fd, 1025));
	printf("SIGXFSZ: %d\n", pending_xfsz());
	R("truncate 1000", truncate("f", 1000));
	R("truncate 1024 again", truncate("f", 1024));
	printf("SIGXFSZ: %d\n", pending_xfsz());
	struct stat st;
	fstat(fd, &st);
	printf("size %ld\n", (long)st.st_size);
	return 0;
}
