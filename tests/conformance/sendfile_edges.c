/* sendfile and splice at their limits: a count negative as ssize_t, offsets the count takes
 * past the largest one (EINVAL), a file sent into itself (it grows as it is read), and a
 * splice from a pipe into a file at RLIMIT_FSIZE (EFBIG, SIGXFSZ, the data stays in the pipe). */
#include "cf.h"
#include <signal.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/sendfile.h>

int
main(void)
{
	char buf[4096];
	off_t off;
	loff_t lo;
	struct stat st;

	cf_init();
	cf_write_file("in", "0123456789", 10);
	int in = open("in", O_RDONLY), out = open("out", O_WRONLY | O_CREAT | O_TRUNC, 0644);
	R("sendfile count -1", sendfile(out, in, NULL, (size_t)-1));
	off = 0;
	R("sendfile count -1 with offset", sendfile(out, in, &off, (size_t)-1));
	off = 0x7ffffffffffffffeLL;
	R("sendfile offset + count overflows", sendfile(out, in, &off, 3));
	off = -1;
	R("sendfile negative offset", sendfile(out, in, &off, 3));
	off = 0;
	R("sendfile count 2^62", sendfile(out, in, &off, 1UL << 62));
	R("sendfile offset after", off);

	/* into itself: every byte written is there to read next */
	int m = memfd_create("self", 0);
	write(m, "x", 1);
	off = 0;
	R("sendfile to itself", sendfile(m, m, &off, 65536));
	fstat(m, &st);
	R("its size", st.st_size);
	R("offset after", off);
	close(m);

	/* splice: offsets */
	int p[2];
	pipe(p);
	memset(buf, 'a', sizeof(buf));
	write(p[1], buf, sizeof(buf));
	m = memfd_create("ovf", 0);
	lo = 0x7ffffffffffffffeLL;
	R("splice out offset + len overflows", splice(p[0], NULL, m, &lo, 3, 0));
	lo = 0x7ffffffffffffffeLL;
	R("splice in offset + len overflows", splice(in, &lo, p[1], NULL, 3, 0));

	/* splice into a file at RLIMIT_FSIZE */
	int f = open("big", O_RDWR | O_CREAT | O_TRUNC, 0644);
	ftruncate(f, 1 << 20);
	lseek(f, 0, SEEK_END);
	sigset_t set;
	sigemptyset(&set);
	sigaddset(&set, SIGXFSZ);
	sigprocmask(SIG_BLOCK, &set, NULL);
	struct rlimit rl = { 1 << 20, 1 << 20 };
	setrlimit(RLIMIT_FSIZE, &rl);
	R("splice at RLIMIT_FSIZE", splice(p[0], NULL, f, NULL, 3 * 4096, 0));
	sigset_t pend;
	sigpending(&pend);
	YN("SIGXFSZ pending", sigismember(&pend, SIGXFSZ));
	fcntl(p[0], F_SETFL, O_NONBLOCK);
	R("the pipe still holds", read(p[0], buf, sizeof(buf)));
	write(p[1], buf, 100);
	lseek(f, (1 << 20) - 10, SEEK_SET);
	R("splice crossing RLIMIT_FSIZE", splice(p[0], NULL, f, NULL, 100, 0));
	R("the pipe still holds after", read(p[0], buf, sizeof(buf)));
	fstat(f, &st);
	R("file size", st.st_size);
	return 0;
}
