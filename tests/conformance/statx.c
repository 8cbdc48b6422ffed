/* statx: basic mask, mode/size/nlink, AT_SYMLINK_NOFOLLOW, AT_EMPTY_PATH, bad flags. */
#include <linux/stat.h>
#include "cf.h"

static void
show(const char *label, long r, const struct statx *sx)
{
	if (r < 0) {
		printf("%s: -1 %s\n", label, en(errno));
		return;
	}
	printf("%s: basic=%s mode=%06o nlink=%u", label,
	       (sx->stx_mask & STATX_BASIC_STATS) == STATX_BASIC_STATS ? "all" : "partial",
	       sx->stx_mode, sx->stx_nlink);
	if (!S_ISDIR(sx->stx_mode))
		printf(" size=%llu", (unsigned long long)sx->stx_size);
	printf("\n");
}

int
main(void)
{
	struct statx sx = {0};
	long r;

	cf_init();
	cf_write_file("f", "0123456789abcdef", 16);
	mkdir("d", 0700);
	symlink("f", "lnk");
	r = statx(AT_FDCWD, "f", 0, STATX_BASIC_STATS, &sx); show("statx f", r, &sx);
	r = statx(AT_FDCWD, "d", 0, STATX_BASIC_STATS, &sx); show("statx d", r, &sx);
	r = statx(AT_FDCWD, "lnk", 0, STATX_BASIC_STATS, &sx); show("statx lnk", r, &sx);
	r = statx(AT_FDCWD, "lnk", AT_SYMLINK_NOFOLLOW, STATX_BASIC_STATS, &sx); show("statx lnk nofollow", r, &sx);
	r = statx(AT_FDCWD, "missing", 0, STATX_BASIC_STATS, &sx); show("statx missing", r, &sx);
	int fd = open("f", O_RDONLY);
	r = statx(fd, "", AT_EMPTY_PATH, STATX_BASIC_STATS, &sx); show("statx AT_EMPTY_PATH", r, &sx);
	r = statx(fd, "", 0, STATX_BASIC_STATS, &sx); show("statx empty no flag", r, &sx);
	r = statx(AT_FDCWD, "f", 0x80000000, STATX_BASIC_STATS, &sx); show("statx bad flags", r, &sx);
	r = statx(AT_FDCWD, "f", 0, 0x80000000U, &sx); show("statx reserved mask", r, &sx);
	r = statx(AT_FDCWD, "f", AT_STATX_FORCE_SYNC | AT_STATX_DONT_SYNC, STATX_BASIC_STATS, &sx);
	show("statx both sync flags", r, &sx);
	r = statx(AT_FDCWD, "f", 0, STATX_SIZE, &sx);
	YN("statx size-only has size", r == 0 && (sx.stx_mask & STATX_SIZE));
	r = statx(AT_FDCWD, "/dev/null", 0, STATX_BASIC_STATS, &sx);
	printf("statx /dev/null rdev: %u,%u\n", sx.stx_rdev_major, sx.stx_rdev_minor);
	r = syscall(SYS_statx, AT_FDCWD, "f", 0, STATX_BASIC_STATS, (void *)1);
	printf("statx bad buffer: %ld %s\n", r, r < 0 ? en(errno) : "");
	return 0;
}
