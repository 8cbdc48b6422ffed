/* isatty/TCGETS on files and devices: ENOTTY (stdio redirected by the harness). */
#include <sys/ioctl.h>
#include <termios.h>
#include "cf.h"

int
main(void)
{
	struct termios t;

	cf_init();
	cf_write_file("f", "x", 1);
	int fd = open("f", O_RDONLY);
	errno = 0;
	int r = isatty(fd);
	printf("isatty file: %d %s\n", r, en(errno));
	R("TCGETS file", ioctl(fd, TCGETS, &t));
	int nul = open("/dev/null", O_RDWR);
	errno = 0;
	r = isatty(nul);
	printf("isatty /dev/null: %d %s\n", r, en(errno));
	R("TCGETS /dev/zero", ioctl(open("/dev/zero", O_RDONLY), TCGETS, &t));
	errno = 0;
	r = isatty(9999);
	printf("isatty bad fd: %d %s\n", r, en(errno));
	errno = 0;
	r = isatty(1);
	printf("isatty stdout (redirected): %d\n", r);
	mkdir("d", 0755);
	R("TCGETS dir", ioctl(open("d", O_RDONLY), TCGETS, &t));
	char name[64];
	printf("ttyname_r file: %s\n", en(ttyname_r(fd, name, sizeof(name))));
	return 0;
}
