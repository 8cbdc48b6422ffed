/* pipe/pipe2: data flow, EOF after the write end closes, EPIPE, O_NONBLOCK EAGAIN. */
#include "cf.h"
#include <signal.h>

int
main(void)
{
	int p[2];
	char b[16] = {0};
	signal(SIGPIPE, SIG_IGN);
	R("pipe", pipe(p));
	R("write", write(p[1], "hello", 5));
	R("read", read(p[0], b, sizeof(b)));
	printf("data: %s\n", b);
	close(p[1]);
	R("read at EOF", read(p[0], b, sizeof(b)));
	close(p[0]);
	R("pipe2 O_NONBLOCK", pipe2(p, O_NONBLOCK | O_CLOEXEC));
	R("read empty nonblocking", read(p[0], b, sizeof(b)));
	R("FD_CLOEXEC", fcntl(p[0], F_GETFD));
	close(p[0]);
	R("write without reader", write(p[1], "x", 1));
	R("lseek on pipe", lseek(p[1], 0, SEEK_SET));
	R("pipe bad array", syscall(SYS_pipe, (void *)1));
	return 0;
}
