/* statfs/fstatfs sizes: a plausible total (more than 1 GiB: the disk natively, the memory budget
 * in the sandbox, half the host's RAM by default), used grows into view after a write, free and
 * available never exceed the total, the same total on every call and through fstatfs. */
#include "cf.h"
#include <sys/statfs.h>
#include <sys/statvfs.h>

int
main(void)
{
	struct statfs a, b, c;
	struct statvfs v;
	static char buf[1 << 20];

	cf_init();
	R("statfs /", statfs("/", &a));
	YN("/ total > 1 GiB", (unsigned long long)a.f_blocks * a.f_bsize > (1ULL << 30));
	YN("/ bfree <= blocks", a.f_bfree <= a.f_blocks);
	YN("/ bavail <= bfree", a.f_bavail <= a.f_bfree);
	R("statfs .", statfs(".", &a));
	YN(". total > 1 GiB", (unsigned long long)a.f_blocks * a.f_bsize > (1ULL << 30));
	memset(buf, 'x', sizeof(buf));
	int fd = FD("create", open("f", O_CREAT | O_RDWR | O_TRUNC, 0600));
	for (int i = 0; i < 4; i++)
		R("write 1 MiB", write(fd, buf, sizeof(buf)));
	R("fsync", fsync(fd));
	R("statfs . after writing", statfs(".", &b));
	R("fstatfs", fstatfs(fd, &c));
	YN("used > 0", b.f_blocks > b.f_bfree);
	YN("same total", a.f_blocks == b.f_blocks && b.f_blocks == c.f_blocks);
	YN("same block size", a.f_bsize == b.f_bsize && b.f_bsize == c.f_bsize);
	YN("same type", b.f_type == c.f_type);
	YN("bavail <= bfree <= blocks", b.f_bavail <= b.f_bfree && b.f_bfree <= b.f_blocks);
	R("fstatvfs", fstatvfs(fd, &v));
	YN("statvfs total as statfs", v.f_blocks == c.f_blocks && v.f_frsize == (unsigned long)c.f_frsize);
	YN("statvfs used > 0", v.f_blocks > v.f_bfree);
	close(fd);
	R("unlink", unlink("f"));
	return 0;
}
