/*
 * FIFREEZE and FITHAW on files whose filesystems cannot be frozen (a pipe, /proc, /dev/null:
 * nothing here may freeze a real filesystem natively): EOPNOTSUPP and EINVAL (not frozen),
 * for any file type, without reading the argument; an O_PATH descriptor: EBADF; without
 * CAP_SYS_ADMIN: EPERM before anything else.
 */
#include "cf.h"
#include <linux/capability.h>
#include <linux/fs.h>
#include <sys/ioctl.h>
#include <sys/syscall.h>

static void
both(const char *what, int fd)
{
	char label[96];
	int v = 0;

	errno = 0;
	int r = ioctl(fd, FIFREEZE, &v);
	printf("%s: FIFREEZE: %d %s\n", what, r, r ? en(errno) : "");
	if (r == 0) /* (never expected: thaw at once) */
		ioctl(fd, FITHAW, &v);
	snprintf(label, sizeof(label), "%s: FITHAW", what);
	R(label, ioctl(fd, FITHAW, &v));
	snprintf(label, sizeof(label), "%s: FITHAW, bad argument", what);
	R(label, ioctl(fd, FITHAW, (void *)8));
}

int
main(void)
{
	int p[2];

	if (pipe(p))
		return 1;
	int proc = FD("open /proc/self/status", open("/proc/self/status", O_RDONLY));
	int null = FD("open /dev/null", open("/dev/null", O_RDWR));
	int opath = FD("open /proc/self/status O_PATH", open("/proc/self/status", O_PATH));
	both("pipe", p[0]);
	both("/proc/self/status", proc);
	both("/dev/null", null);
	R("O_PATH: FITHAW", ioctl(opath, FITHAW, 0));
	R("bad fd: FITHAW", ioctl(-1, FITHAW, 0));

	struct __user_cap_header_struct h = { _LINUX_CAPABILITY_VERSION_3, 0 };
	struct __user_cap_data_struct d[2];
	OK("capget", syscall(SYS_capget, &h, d));
	d[CAP_SYS_ADMIN / 32].effective &= ~(1U << (CAP_SYS_ADMIN % 32));
	OK("capset without CAP_SYS_ADMIN", syscall(SYS_capset, &h, d));
	both("pipe without CAP_SYS_ADMIN", p[0]);
	both("/dev/null without CAP_SYS_ADMIN", null);
	return 0;
}
