/* A tmpfs mounted with size= counts the pages of its files that mappings touch (Linux
 * shmem_fault allocates and charges them): statfs and st_blocks see them, a write that
 * needs more pages than are left is short then ENOSPC, and truncating or unlinking the
 * mapped file gives them back. Run as root. */
#include <sys/mman.h>
#include <sys/statfs.h>
#include "cf.h"
#include "cf_mount.h"

#define PG 4096L

static void
used(const char *label)
{
	struct statfs sf;

	if (statfs("m", &sf) < 0) {
		R(label, -1);
		return;
	}
	printf("%s: blocks %ld used %ld\n", label, (long)sf.f_blocks,
	       (long)(sf.f_blocks - sf.f_bfree));
}

int
main(void)
{
	static char buf[16 * PG];

	cf_init();
	if (!cf_own_mounts())
		return 0;
	mkdir("m", 0755);
	R("mount size=16 pages", mount("t", "m", "tmpfs", 0, "size=64k"));
	used("empty");

	int fd = FD("open f", open("m/f", O_CREAT | O_RDWR, 0600));
	R("ftruncate 8 pages", ftruncate(fd, 8 * PG));
	used("sparse 8 pages");
	char *p = mmap(NULL, 8 * PG, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	YN("mmap shared", p != MAP_FAILED);
	if (p == MAP_FAILED)
		return 1;
	used("mapped, untouched");
	p[0] = 1, p[2 * PG + 5] = 2, p[5 * PG] = 3;
	used("3 pages written through the mapping");
	cf_show_blocks("f", fd);
	volatile char c = p[7 * PG];
	(void)c;
	used("and 1 page read");
	cf_show_blocks("f", fd);

	/* 12 pages are left: a 14-page write to another file stops there */
	int g = FD("open g", open("m/g", O_CREAT | O_RDWR, 0600));
	memset(buf, 'x', sizeof(buf));
	R("write 14 pages", write(g, buf, 14 * PG));
	R("write 1 more", write(g, buf, PG));
	used("full");
	R("write into f's hole page 1", pwrite(fd, buf, 10, PG));
	R("overwrite f's page 2", pwrite(fd, buf, 10, 2 * PG + 100));
	R("unlink g", unlink("m/g"));
	close(g);
	used("g unlinked");

	R("write f's hole page 1", pwrite(fd, buf, 10, PG));
	used("page 1 written");
	R("ftruncate 3 pages", ftruncate(fd, 3 * PG));
	used("truncated to 3 pages");
	cf_show_blocks("f", fd);
	printf("data kept: %d %d %c\n", p[0], p[2 * PG + 5], p[PG]);
	R("munmap", munmap(p, 8 * PG));
	close(fd);
	used("closed");
	R("unlink f", unlink("m/f"));
	used("unlinked");
	R("umount", umount("m"));
	return 0;
}
