/*
 * The ioctls Linux's do_vfs_ioctl answers before the file's own: FIGETBSZ for every open file,
 * not only regular files and directories (the filesystem's block size: a page on pipefs,
 * sockfs, the anonymous inodes' and devtmpfs), and FIOQSIZE (the bytes allocated, as
 * st_blocks counts them) for regular files and directories, ENOTTY for the rest.
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

static void
qsize(const char *label, int fd)
{
	long long v = -1;
	struct stat st;
	int r = ioctl(fd, FIOQSIZE, &v);

	if (r < 0) {
		printf("%s: FIOQSIZE -1 %s\n", label, en(errno));
		return;
	}
	fstat(fd, &st);
	printf("%s: FIOQSIZE %d, st_blocks * 512: %s\n", label, r,
	       v == (long long)st.st_blocks * 512 ? "yes" : "no");
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
	int f = open("f", O_RDWR | O_CREAT, 0600);
	char buf[10000] = { 1 };
	R("write", write(f, buf, sizeof(buf)));
	R("fsync", fsync(f));
	qsize("regular file", f);
	qsize("directory", open(".", O_RDONLY | O_DIRECTORY));
	qsize("pipe", p[0]);
	qsize("unix socket", s[0]);
	qsize("/dev/null", open("/dev/null", O_RDONLY));
	R("regular file bad pointer", ioctl(f, FIOQSIZE, (void *)8));
	return 0;
}
