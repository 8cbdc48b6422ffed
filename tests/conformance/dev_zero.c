/* /dev/zero: reads fill zeros, writes are discarded (without reading the buffer, as
 * /dev/null's: an unreadable one succeeds), mmap of /dev/zero is zero-filled. */
#include <sys/mman.h>
#include <sys/uio.h>
#include "cf.h"

int
main(void)
{
	static unsigned char b[100000];

	int fd = FD("open /dev/zero", open("/dev/zero", O_RDWR));
	memset(b, 0xaa, sizeof(b));
	R("read 100000", read(fd, b, sizeof(b)));
	int nz = 0;
	for (size_t i = 0; i < sizeof(b); i++)
		nz += b[i] != 0;
	R("nonzero bytes", nz);
	R("read 0", read(fd, b, 0));
	R("write 7", write(fd, "discard", 7));
	void *bad = cf_unmapped();
	R("write unmapped buffer", write(fd, bad, 4096));
	R("pwrite unmapped buffer", pwrite(fd, bad, 100, 5));
	struct iovec iov[2] = { { "ok", 2 }, { bad, 50 } };
	R("writev unmapped segment", writev(fd, iov, 2));
	R("lseek", lseek(fd, 1234, SEEK_SET));
	unsigned char *p = mmap(NULL, 8192, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0);
	YN("mmap /dev/zero", p != MAP_FAILED);
	if (p != MAP_FAILED) {
		YN("mapping is zero", p[0] == 0 && p[8191] == 0);
		p[10] = 5;
		YN("mapping writable", p[10] == 5);
		munmap(p, 8192);
	}
	close(fd);
	return 0;
}
