/*
 * st_blksize and FIGETBSZ give the filesystem's block size (s_blocksize): 1024 on proc
 * and devpts, a page on tmpfs, sysfs and the pipe and socket pseudo filesystems. glibc's
 * stdio sizes a FILE's buffer by st_blksize, so programs read /proc 1K at a time (and
 * valgrind counts those buffers in its heap summary of ls).
 */
#include "cf.h"

#include <linux/fs.h>
#include <pty.h>
#include <sys/ioctl.h>
#include <sys/socket.h>

static void
show(const char *label, const char *path)
{
	struct stat st, lst;
	int fd, bsz = -1;

	if (stat(path, &st) || lstat(path, &lst)) {
		printf("%s: -1 %s\n", label, en(errno));
		return;
	}
	fd = open(path, O_RDONLY | O_NONBLOCK | O_NOCTTY);
	if (fd >= 0 && ioctl(fd, FIGETBSZ, &bsz) < 0)
		bsz = -errno;
	if (fd >= 0)
		close(fd);
	printf("%s: st_blksize %ld lstat %ld FIGETBSZ %d\n", label, (long)st.st_blksize,
	       (long)lst.st_blksize, bsz);
}

static void
show_fd(const char *label, int fd)
{
	struct stat st;
	int bsz = -1;

	if (fstat(fd, &st) || ioctl(fd, FIGETBSZ, &bsz) < 0) {
		printf("%s: -1 %s\n", label, en(errno));
		return;
	}
	printf("%s: st_blksize %ld FIGETBSZ %d\n", label, (long)st.st_blksize, bsz);
}

int
main(void)
{
	int p[2], sv[2], master, slave;

	setvbuf(stdout, NULL, _IOLBF, 0);
	show("/proc", "/proc");
	show("/proc/self", "/proc/self");
	show("/proc/filesystems", "/proc/filesystems");
	show("/proc/self/status", "/proc/self/status");
	show("/proc/self/fd", "/proc/self/fd");
	show("/proc/sys/kernel/ostype", "/proc/sys/kernel/ostype");
	show("/sys/kernel", "/sys/kernel");
	show("/dev/shm", "/dev/shm");
	show("/dev/pts", "/dev/pts");
	if (openpty(&master, &slave, NULL, NULL, NULL) == 0) {
		show_fd("pty slave", slave);
		close(master);
		close(slave);
	}
	if (pipe(p) == 0) {
		show_fd("pipe", p[0]);
		close(p[0]);
		close(p[1]);
	}
	if (socketpair(AF_UNIX, SOCK_STREAM, 0, sv) == 0) {
		show_fd("socket", sv[0]);
		close(sv[0]);
		close(sv[1]);
	}
	/* stdio's buffer follows st_blksize: one read of the file's size or of the block */
	FILE *f = fopen("/proc/self/status", "r");
	char line[256];
	if (f && fgets(line, sizeof(line), f)) {
		long off = lseek(fileno(f), 0, SEEK_CUR);
		printf("first fgets read: %ld\n", off);
	}
	if (f)
		fclose(f);
	return 0;
}
