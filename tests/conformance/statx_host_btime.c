/* statx STATX_BTIME of files that are the host's (read-only in the sandbox): the mask says
 * the birth time is known when the host's filesystem keeps one (ext4, xfs, btrfs), also
 * when it is 0, and it is the same by path, by fd, and for a symlink itself. Rust's
 * Metadata::created() and Node's birthtime read it. */
#include <linux/stat.h>
#include "cf.h"

static int
le(struct statx_timestamp a, struct statx_timestamp b)
{
	return a.tv_sec < b.tv_sec || (a.tv_sec == b.tv_sec && a.tv_nsec <= b.tv_nsec);
}

static int
same(struct statx_timestamp a, struct statx_timestamp b)
{
	return a.tv_sec == b.tv_sec && a.tv_nsec == b.tv_nsec;
}

static void
check(const char *path)
{
	struct statx a = {0}, b = {0}, s = {0};
	char label[128];
	int fd = open(path, O_PATH | O_NOFOLLOW);

	if (statx(AT_FDCWD, path, AT_SYMLINK_NOFOLLOW, STATX_BASIC_STATS | STATX_BTIME, &a) < 0 ||
	    fd < 0 || statx(fd, "", AT_EMPTY_PATH, STATX_BTIME, &b) < 0) {
		printf("%s: %s\n", path, en(errno));
		return;
	}
	snprintf(label, sizeof(label), "%s: btime in mask", path);
	YN(label, a.stx_mask & STATX_BTIME);
	snprintf(label, sizeof(label), "%s: btime by fd in mask", path);
	YN(label, b.stx_mask & STATX_BTIME);
	snprintf(label, sizeof(label), "%s: same btime by fd", path);
	YN(label, same(a.stx_btime, b.stx_btime));
	snprintf(label, sizeof(label), "%s: btime <= ctime", path);
	YN(label, le(a.stx_btime, a.stx_ctime));
	/* not asked for: no birth time given */
	statx(AT_FDCWD, path, AT_SYMLINK_NOFOLLOW, STATX_BASIC_STATS, &s);
	snprintf(label, sizeof(label), "%s: btime unasked", path);
	YN(label, s.stx_mask & STATX_BTIME);
	close(fd);
}

int
main(void)
{
	check("/");
	check("/usr");
	check("/usr/bin");
	check("/etc/passwd");
	check("/bin/sh");
	check("/proc/self/exe");
	return 0;
}
