/* tee (copies a pipe's bytes into another pipe, leaving them) and vmsplice (writev/readv on
 * a pipe end): results, contents, errors, SPLICE_F_NONBLOCK, a tee that waits for data. */
#include <sys/uio.h>
#include <sys/wait.h>
#include "cf.h"

int
main(void)
{
	char buf[64] = { 0 };
	int p[2], q[2], e[2];

	cf_init();
	pipe(p);
	pipe(q);
	pipe(e);
	cf_write_file("f", "abc", 3);
	int fd = open("f", O_RDONLY);
	write(p[1], "hello", 5);
	R("tee 3 of 5", tee(p[0], q[1], 3, 0));
	R("read q", read(q[0], buf, sizeof buf));
	printf("q has: %s\n", buf);
	memset(buf, 0, sizeof buf);
	R("read p (all still there)", read(p[0], buf, sizeof buf));
	printf("p has: %s\n", buf);
	R("tee len 0", tee(p[0], q[1], 0, 0));
	R("tee empty NONBLOCK", tee(p[0], q[1], 10, SPLICE_F_NONBLOCK));
	R("tee from a file", tee(fd, q[1], 1, 0));
	R("tee into a file", tee(p[0], fd, 1, 0));
	R("tee same pipe", tee(p[0], p[1], 1, 0));
	R("tee wrong ends", tee(p[1], q[0], 1, 0));
	R("tee bad flags", tee(p[0], q[1], 1, 0x100));
	R("tee bad fd", tee(99, q[1], 1, 0));
	close(e[1]);
	R("tee from a pipe without writers", tee(e[0], q[1], 1, 0));
	/* a tee that waits for data written by a child */
	pid_t pid = fork();
	if (pid == 0) {
		usleep(100000);
		write(p[1], "late", 4);
		_exit(0);
	}
	R("tee waits for data", tee(p[0], q[1], 10, 0));
	waitpid(pid, NULL, 0);
	memset(buf, 0, sizeof buf);
	read(q[0], buf, sizeof buf);
	printf("q got: %s\n", buf);
	read(p[0], buf, sizeof buf);
	/* vmsplice */
	struct iovec v[2] = { { "ab", 2 }, { "cde", 3 } };
	R("vmsplice into write end", vmsplice(p[1], v, 2, 0));
	char r1[3] = { 0 }, r2[3] = { 0 };
	struct iovec w[2] = { { r1, 2 }, { r2, 3 } };
	R("vmsplice from read end", vmsplice(p[0], w, 2, 0));
	printf("got: %.2s %.3s\n", r1, r2);
	R("vmsplice empty NONBLOCK", vmsplice(p[0], w, 2, SPLICE_F_NONBLOCK));
	R("vmsplice file", vmsplice(fd, v, 1, 0));
	R("vmsplice bad flags", vmsplice(p[1], v, 1, 0x100));
	R("vmsplice bad iovec", vmsplice(p[1], cf_unmapped(), 1, 0));
	R("vmsplice 0 segments", vmsplice(p[1], v, 0, 0));
	return 0;
}
