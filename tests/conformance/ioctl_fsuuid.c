/*
 * FS_IOC_GETFSUUID: a 16-byte UUID for files on filesystems that have one (the scratch
 * directory's, memfd's tmpfs, /dev, /sys), the same for two files of one filesystem;
 * ENOTTY for the pseudo ones (pipes, sockets, eventfd, /proc, /dev/pts); EFAULT for a bad
 * address.
 */
#include "cf.h"
#include <sys/eventfd.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/socket.h>

struct fsuuid2_ {
	unsigned char len;
	unsigned char uuid[16];
};
#define FS_IOC_GETFSUUID_ _IOR(0x15, 0, struct fsuuid2_)

static struct fsuuid2_ last;

static void
ask(const char *what, int fd)
{
	memset(&last, 0, sizeof(last));
	errno = 0;
	int r = ioctl(fd, FS_IOC_GETFSUUID_, &last);
	printf("%s: %d %s len %d\n", what, r, r ? en(errno) : "", last.len);
}

int
main(void)
{
	int p[2];
	struct fsuuid2_ a;

	cf_init();
	if (pipe(p))
		return 1;
	ask("pipe", p[0]);
	ask("socket", socket(AF_UNIX, SOCK_STREAM, 0));
	ask("eventfd", eventfd(0, 0));
	ask("memfd", memfd_create("u", 0));
	ask("/proc/self/status", open("/proc/self/status", O_RDONLY));
	ask("/dev/pts/ptmx", open("/dev/pts/ptmx", O_RDONLY));
	ask("/dev/null", open("/dev/null", O_RDONLY));
	ask("/sys/kernel", open("/sys/kernel", O_RDONLY));
	ask("scratch file a", open("a", O_CREAT | O_RDWR, 0600));
	a = last;
	ask("scratch file b", open("b", O_CREAT | O_RDWR, 0600));
	YN("a and b: same uuid", !memcmp(&a, &last, sizeof(a)));
	R("bad address", ioctl(open("a", O_RDONLY), FS_IOC_GETFSUUID_, (void *)8));
	return 0;
}
