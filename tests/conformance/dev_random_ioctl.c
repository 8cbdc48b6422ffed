/* The random driver's ioctls on /dev/urandom and /dev/random, and the entropy files in
 * /proc/sys/kernel/random (Linux >= 5.18: a seeded pool always counts 256 bits). */
#include "cf.h"
#include <linux/random.h>
#include <sys/ioctl.h>
#include <sys/wait.h>

static void
proc_value(const char *name)
{
	char path[128], buf[32] = "";
	snprintf(path, sizeof(path), "/proc/sys/kernel/random/%s", name);
	int fd = open(path, O_RDONLY);
	ssize_t n = fd >= 0 ? read(fd, buf, sizeof(buf) - 1) : -1;
	if (fd >= 0)
		close(fd);
	printf("%s: %s", name, n > 0 ? buf : "unreadable\n");
}

int
main(void)
{
	int fd = open("/dev/urandom", O_RDONLY), cnt = -1, add = 8;
	R("RNDGETENTCNT", ioctl(fd, RNDGETENTCNT, &cnt));
	printf("count: %d\n", cnt);
	R("RNDGETENTCNT bad pointer", ioctl(fd, RNDGETENTCNT, (int *)8));
	R("unknown random ioctl", ioctl(fd, _IO('R', 0x30)));
	/* (no root-only calls natively: they would act on the host's pool) */
	proc_value("entropy_avail");
	proc_value("poolsize");
	fflush(stdout);
	pid_t pid = fork();
	if (pid == 0) {
		if (setuid(65534) < 0)
			_exit(1);
		R("RNDADDTOENTCNT (nobody)", ioctl(fd, RNDADDTOENTCNT, &add));
		R("RNDGETENTCNT (nobody)", ioctl(fd, RNDGETENTCNT, &cnt));
		R("RNDZAPENTCNT (nobody)", ioctl(open("/dev/random", O_RDONLY), RNDZAPENTCNT));
		R("RNDCLEARPOOL (nobody)", ioctl(fd, RNDCLEARPOOL));
		fflush(stdout);
		_exit(0);
	}
	waitpid(pid, NULL, 0);
	int null = open("/dev/null", O_RDONLY);
	R("RNDGETENTCNT on /dev/null", ioctl(null, RNDGETENTCNT, &cnt));
	return 0;
}
