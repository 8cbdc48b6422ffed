/* ioctl: FIONREAD on files and /dev/null, FIONBIO/FIOCLEX, unknown requests. */
#include <sys/ioctl.h>
#include "cf.h"

int
main(void)
{
	int n;

	cf_init();
	cf_write_file("f", "0123456789", 10);
	int fd = open("f", O_RDONLY);
	n = -1;
	R("FIONREAD file", ioctl(fd, FIONREAD, &n));
	printf("FIONREAD file value: %d\n", n);
	lseek(fd, 4, SEEK_SET);
	n = -1;
	ioctl(fd, FIONREAD, &n);
	printf("FIONREAD after seek 4: %d\n", n);
	int nul = open("/dev/null", O_RDONLY);
	n = -1;
	R("FIONREAD /dev/null", ioctl(nul, FIONREAD, &n));
	R("FIONREAD bad fd", ioctl(9999, FIONREAD, &n));
	R("FIONREAD bad pointer", ioctl(fd, FIONREAD, (void *)1));
	int on = 1;
	R("FIONBIO on", ioctl(fd, FIONBIO, &on));
	YN("O_NONBLOCK set", fcntl(fd, F_GETFL) & O_NONBLOCK);
	on = 0;
	ioctl(fd, FIONBIO, &on);
	YN("O_NONBLOCK cleared", !(fcntl(fd, F_GETFL) & O_NONBLOCK));
	R("FIOCLEX", ioctl(fd, FIOCLEX));
	R("FD_CLOEXEC after FIOCLEX", fcntl(fd, F_GETFD));
	R("FIONCLEX", ioctl(fd, FIONCLEX));
	R("FD_CLOEXEC after FIONCLEX", fcntl(fd, F_GETFD));
	R("unknown request on file", ioctl(fd, 0x12345678, &n));
	R("unknown request on /dev/null", ioctl(nul, 0x12345678, &n));
	mkdir("d", 0755);
	int dfd = open("d", O_RDONLY);
	R("FIONREAD dir", ioctl(dfd, FIONREAD, &n));
	return 0;
}
