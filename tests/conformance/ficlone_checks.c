/*
 * FICLONE and FICLONERANGE are answered by Linux's do_vfs_ioctl for every kind of file,
 * with vfs_clone_file_range's checks before the filesystem's own answer: the source
 * descriptor (EBADF; only its low 32 bits count), one filesystem for both (EXDEV),
 * directories (EISDIR), other non-regular files (EINVAL), a source not open for reading
 * or a destination not open for writing or appending (EBADF); FICLONERANGE's argument is
 * read first (EFAULT). Whether the filesystem then shares blocks depends on it (tmpfs
 * and ext4 do not): that last answer is not printed.
 */
#include <linux/fs.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include "cf.h"

int
main(void)
{
	int p[2], sv[2];

	setvbuf(stdout, NULL, _IOLBF, 0);
	cf_init();
	cf_write_file("src", "hello world", 11);
	int s = open("src", O_RDONLY);
	int d = open("dst", O_RDWR | O_CREAT, 0644);
	int dir = open(".", O_RDONLY | O_DIRECTORY);
	int ro = open("dst", O_RDONLY);
	int ap = open("dst", O_WRONLY | O_APPEND);
	int wo = open("src", O_WRONLY);
	int path = open("src", O_PATH);
	int null = open("/dev/null", O_RDONLY);
	if (pipe(p) || socketpair(AF_UNIX, SOCK_STREAM, 0, sv))
		return 1;

	R("bad source fd", ioctl(d, FICLONE, 999));
	R("negative source fd", ioctl(d, FICLONE, -1L));
	R("O_PATH source", ioctl(d, FICLONE, path));
	R("source high bits dropped (dir dest)", ioctl(dir, FICLONE, (unsigned long)s | (1UL << 32)));
	R("directory destination", ioctl(dir, FICLONE, s));
	R("directory source", ioctl(d, FICLONE, dir));
	R("read-only destination", ioctl(ro, FICLONE, s));
	R("append destination", ioctl(ap, FICLONE, s));
	R("write-only source", ioctl(d, FICLONE, wo));
	R("pipe to pipe", ioctl(p[1], FICLONE, p[0]));
	R("socket to socket", ioctl(sv[0], FICLONE, sv[1]));
	R("regular file to pipe", ioctl(p[1], FICLONE, s));
	R("pipe to regular file", ioctl(d, FICLONE, p[0]));
	R("/dev/null to regular file", ioctl(d, FICLONE, null));

	struct file_clone_range cr = { .src_fd = 999, .src_length = 3 };
	R("range: bad source fd", ioctl(d, FICLONERANGE, &cr));
	cr.src_fd = dir;
	R("range: directory source", ioctl(d, FICLONERANGE, &cr));
	cr.src_fd = s;
	R("range: read-only destination", ioctl(ro, FICLONERANGE, &cr));
	R("range: pipe destination", ioctl(p[1], FICLONERANGE, &cr));
	R("range: unmapped argument", ioctl(d, FICLONERANGE, cf_unmapped()));
	R("range: NULL argument", ioctl(d, FICLONERANGE, NULL));
	return 0;
}
