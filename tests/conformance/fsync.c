/* fsync/fdatasync/sync/syncfs: success on files and dirs, EBADF, EINVAL on special files. */
#include "cf.h"

int
main(void)
{
	cf_init();
	int fd = open("f", O_RDWR | O_CREAT, 0644);
	write(fd, "data", 4);
	R("fsync file", fsync(fd));
	R("fdatasync file", fdatasync(fd));
	R("syncfs", syncfs(fd));
	sync();
	printf("sync: done\n");
	close(fd);
	R("fsync closed", fsync(fd));
	R("fdatasync bad fd", fdatasync(9999));
	int dfd = open(".", O_RDONLY);
	R("fsync dir", fsync(dfd));
	fd = open("f", O_RDONLY);
	R("fsync read-only fd", fsync(fd));
	int nul = open("/dev/null", O_WRONLY);
	R("fsync /dev/null", fsync(nul));
	return 0;
}
