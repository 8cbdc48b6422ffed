/*
 * With no descriptor free below RLIMIT_NOFILE, open and mq_open fail with EMFILE before
 * they look at the path (Linux takes the descriptor first: get_unused_fd_flags), so
 * O_CREAT makes no file and no queue, and EMFILE comes before EEXIST, ENOENT and a bad
 * dirfd's EBADF. (LTP mq_open01: a queue its EMFILE case left behind failed the next.)
 */
#include "cf.h"
#include <mqueue.h>
#include <sys/resource.h>

int
main(void)
{
	struct rlimit old, lim;

	cf_init();
	close(open("exists", O_CREAT | O_WRONLY, 0600));
	mq_unlink("/cf_emfile_q");
	getrlimit(RLIMIT_NOFILE, &old);
	int lowest = dup(0);
	close(lowest);
	lim = old;
	lim.rlim_cur = (rlim_t)lowest; /* every descriptor below it is taken */
	OK("setrlimit", setrlimit(RLIMIT_NOFILE, &lim));
	int r1 = open("made", O_CREAT | O_WRONLY, 0600), e1 = errno;
	int r2 = open("exists", O_CREAT | O_EXCL | O_WRONLY, 0600), e2 = errno;
	int r3 = open("missing", O_RDONLY), e3 = errno;
	int r4 = openat(9999, "missing", O_RDONLY), e4 = errno;
	int r5 = (int)mq_open("/cf_emfile_q", O_CREAT | O_RDWR, 0600, NULL), e5 = errno;
	setrlimit(RLIMIT_NOFILE, &old);
	printf("open O_CREAT: %d %s\n", r1, r1 < 0 ? en(e1) : "");
	printf("open O_CREAT|O_EXCL of one there: %d %s\n", r2, r2 < 0 ? en(e2) : "");
	printf("open a missing one: %d %s\n", r3, r3 < 0 ? en(e3) : "");
	printf("openat a bad dirfd: %d %s\n", r4, r4 < 0 ? en(e4) : "");
	printf("mq_open O_CREAT: %d %s\n", r5, r5 < 0 ? en(e5) : "");
	YN("file made", access("made", F_OK) == 0);
	mqd_t q = mq_open("/cf_emfile_q", O_RDONLY);
	printf("queue made: %s\n", q >= 0 ? "yes" : en(errno));
	if (q >= 0) {
		mq_close(q);
		mq_unlink("/cf_emfile_q");
	}
	return 0;
}
