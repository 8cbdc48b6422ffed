/* sendfile from a pipe: a pipe has no splice_read, so Linux refuses it with EINVAL (also
 * empty, also for a count of 0, also into a pipe) and nothing is taken from it; Go's
 * TCPConn.ReadFrom tries sendfile first and copies by hand after EINVAL (an EAGAIN instead
 * made it wait for the socket forever). splice from the same pipe works. */
#include "cf.h"
#include <sys/sendfile.h>
#include <sys/socket.h>

int
main(void)
{
	int p[2], sv[2], q[2], f;
	char buf[16];

	cf_init();
	if (pipe2(p, O_NONBLOCK) < 0 || socketpair(AF_UNIX, SOCK_STREAM, 0, sv) < 0 || pipe(q) < 0)
		return 1;
	f = open("file", O_RDWR | O_CREAT, 0644);
	R("empty pipe to socket", sendfile(sv[0], p[0], NULL, 4096));
	R("empty pipe, count 0", sendfile(sv[0], p[0], NULL, 0));
	write(p[1], "abc", 3);
	R("pipe with data to socket", sendfile(sv[0], p[0], NULL, 4096));
	R("pipe to file", sendfile(f, p[0], NULL, 4096));
	R("pipe to pipe", sendfile(q[1], p[0], NULL, 4096));
	R("the pipe still holds", read(p[0], buf, sizeof(buf)));
	write(p[1], "de", 2);
	R("splice pipe to socket", splice(p[0], NULL, sv[0], NULL, 4096, 0));
	R("the socket got", read(sv[1], buf, sizeof(buf)));
	close(p[1]);
	R("pipe without writers", sendfile(sv[0], p[0], NULL, 4096));
	write(f, "xyz", 3);
	lseek(f, 0, SEEK_SET);
	R("file to socket", sendfile(sv[0], f, NULL, 4096));
	return 0;
}
