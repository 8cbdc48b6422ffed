/*
 * FIGETBSZ answers for every open file, not only regular files and directories: Linux's
 * do_vfs_ioctl gives the filesystem's block size (a page on pipefs, sockfs, the anonymous
 * inodes' and devtmpfs) before the file's own ioctl is asked.
 */
#include "cf.h"
#include <sys/eventfd.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <linux/fs.h>

static void
bsz(const char *label, int fd)
{
	int v = -1;
	int r = ioctl(fd, FIGETBSZ, &v);

	if (r < 0)
		printf("%s: -1 %s\n", label, en(errno));
	else
		printf("%s: %d size %d\n", label, r, v);
}

int
main(void)
{
	int p[2], s[2];

	cf_init();
	R("pipe", pipe(p));
	R("socketpair", socketpair(AF_UNIX, SOCK_STREAM, 0, s));
	bsz("pipe read end", p[0]);
	bsz("pipe write end", p[1]);
	bsz("unix socket", s[0]);
	bsz("/dev/null", open("/dev/null", O_RDONLY));
	bsz("eventfd", eventfd(0, 0));
	bsz("no descriptor", -1);
	R("pipe bad pointer", ioctl(p[0], FIGETBSZ, (void *)8));
	return 0;
}
