/* splice between a file and a pipe (both directions, with and without offsets), between
 * two pipes, SPLICE_F_NONBLOCK, end of file / no writers, and the argument errors. */
#include "cf.h"

int
main(void)
{
	char buf[64];
	int p[2], q[2], fd, out;
	loff_t off;

	cf_init();
	cf_write_file("src", "0123456789abcdef", 16);
	fd = open("src", O_RDONLY);
	out = open("dst", O_RDWR | O_CREAT | O_TRUNC, 0644);
	R("pipe", pipe(p));
	R("pipe", pipe(q));

	R("file -> pipe", splice(fd, NULL, p[1], NULL, 4, 0));
	R("file position", lseek(fd, 0, SEEK_CUR));
	off = 10;
	R("file@10 -> pipe", splice(fd, &off, p[1], NULL, 100, 0));
	printf("offset after: %ld, position: %ld\n", (long)off, (long)lseek(fd, 0, SEEK_CUR));
	R("pipe -> pipe", splice(p[0], NULL, q[1], NULL, 3, 0));
	R("pipe -> file", splice(p[0], NULL, out, NULL, 100, 0));
	off = 20;
	R("pipe -> file@20", splice(q[0], NULL, out, &off, 100, 0));
	printf("out offset: %ld, out position: %ld\n", (long)off, (long)lseek(out, 0, SEEK_CUR));
	memset(buf, 0, sizeof(buf));
	R("pread dst", pread(out, buf, sizeof(buf), 0));
	for (int i = 0; i < 23; i++)
		putchar(buf[i] ? buf[i] : '.');
	putchar('\n');

	R("empty pipe, SPLICE_F_NONBLOCK", splice(p[0], NULL, out, NULL, 10, SPLICE_F_NONBLOCK));
	fcntl(p[0], F_SETFL, O_NONBLOCK);
	R("empty pipe, O_NONBLOCK", splice(p[0], NULL, out, NULL, 10, 0));
	R("len 0", splice(fd, NULL, p[1], NULL, 0, 0));
	R("file -> pipe again", splice(fd, NULL, p[1], NULL, 10, 0));

	R("no pipe", splice(fd, NULL, out, NULL, 10, 0));
	off = 0;
	R("offset on the pipe side", splice(p[0], &off, out, NULL, 10, 0));
	R("same pipe", splice(p[0], NULL, p[1], NULL, 10, 0));
	R("bad flags", splice(fd, NULL, p[1], NULL, 10, 0x100));
	R("bad fd", splice(99, NULL, p[1], NULL, 10, 0));
	R("write-only input", splice(p[1], NULL, q[1], NULL, 10, 0));
	off = -1;
	R("negative offset", splice(fd, &off, p[1], NULL, 10, 0));
	int app = open("app", O_WRONLY | O_CREAT | O_APPEND, 0644);
	write(q[1], "x", 1);
	R("O_APPEND output", splice(q[0], NULL, app, NULL, 10, 0));
	R("bad offset pointer", splice(fd, (loff_t *)8, p[1], NULL, 10, 0));
	close(q[1]);
	R("no writers left, data", splice(q[0], NULL, out, NULL, 10, 0));
	R("no writers left, empty", splice(q[0], NULL, out, NULL, 10, 0));
	return 0;
}
