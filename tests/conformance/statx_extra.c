/* statx beyond stat: STATX_BTIME on new files (btime <= mtime), STATX_MNT_ID (same mount,
 * another mount), STATX_ATTR_MOUNT_ROOT, AT_EMPTY_PATH with a NULL path, symlinks. */
#include "cf.h"

static struct statx
sx(int dfd, const char *p, int fl, unsigned mask)
{
	struct statx s;
	memset(&s, 0, sizeof s);
	if (statx(dfd, p, fl, mask, &s) < 0)
		printf("statx %s: %s\n", p ? p : "(null)", en(errno));
	return s;
}

static int
le(struct statx_timestamp a, struct statx_timestamp b)
{
	return a.tv_sec < b.tv_sec || (a.tv_sec == b.tv_sec && a.tv_nsec <= b.tv_nsec);
}

int
main(void)
{
	cf_init();
	cf_write_file("f", "abc", 3);
	mkdir("d", 0755);
	symlink("f", "l");
	struct statx f = sx(AT_FDCWD, "f", 0, STATX_BASIC_STATS | STATX_BTIME);
	YN("f: basic stats", (f.stx_mask & STATX_BASIC_STATS) == STATX_BASIC_STATS);
	YN("f: btime in mask", f.stx_mask & STATX_BTIME);
	YN("f: btime <= mtime", le(f.stx_btime, f.stx_mtime));
	YN("f: btime set", f.stx_btime.tv_sec > 0);
	struct statx f0 = sx(AT_FDCWD, "f", 0, 0);
	printf("mask 0: %x\n", f0.stx_mask & ~0x4000U);
	printf("mask TYPE|BTIME: %x\n", sx(AT_FDCWD, "f", 0, STATX_TYPE | STATX_BTIME).stx_mask);
	printf("mask MTIME: %x\n", sx(AT_FDCWD, "f", 0, STATX_MTIME).stx_mask);
	YN("mask 0: mnt id", (f0.stx_mask & STATX_MNT_ID) != 0);
	struct statx d = sx(AT_FDCWD, "d", 0, STATX_ALL | STATX_MNT_ID);
	struct statx l = sx(AT_FDCWD, "l", AT_SYMLINK_NOFOLLOW, STATX_ALL | STATX_MNT_ID);
	YN("l: is link", S_ISLNK(l.stx_mode));
	YN("l: size 1", l.stx_size == 1);
	YN("same mount id f d l", f0.stx_mnt_id == d.stx_mnt_id && d.stx_mnt_id == l.stx_mnt_id);
	struct statx pr = sx(AT_FDCWD, "/proc", 0, STATX_MNT_ID);
	struct statx ps = sx(AT_FDCWD, "/proc/self/status", 0, STATX_MNT_ID);
	YN("/proc other mount", pr.stx_mnt_id != d.stx_mnt_id);
	YN("/proc/self/status same as /proc", pr.stx_mnt_id == ps.stx_mnt_id);
	YN("/proc is mount root", (pr.stx_attributes & STATX_ATTR_MOUNT_ROOT) != 0);
	YN("/proc/self/status not mount root", (ps.stx_attributes & STATX_ATTR_MOUNT_ROOT) == 0);
	YN("mount root in attributes_mask", (ps.stx_attributes_mask & STATX_ATTR_MOUNT_ROOT) != 0);
	struct statx r = sx(AT_FDCWD, "/", 0, STATX_MNT_ID);
	YN("/ is mount root", (r.stx_attributes & STATX_ATTR_MOUNT_ROOT) != 0);
	YN("d not mount root", (d.stx_attributes & STATX_ATTR_MOUNT_ROOT) == 0);
	int fd = open("f", O_RDONLY);
	struct statx e = sx(fd, NULL, AT_EMPTY_PATH, STATX_BASIC_STATS);
	YN("NULL path AT_EMPTY_PATH is f", e.stx_ino == f.stx_ino);
	struct statx e2 = sx(fd, "", AT_EMPTY_PATH, STATX_BASIC_STATS | STATX_BTIME);
	YN("empty path same btime", e2.stx_btime.tv_sec == f.stx_btime.tv_sec &&
				    e2.stx_btime.tv_nsec == f.stx_btime.tv_nsec);
	close(fd);
	struct statx c = sx(AT_FDCWD, NULL, AT_EMPTY_PATH, STATX_BASIC_STATS);
	struct statx dot = sx(AT_FDCWD, ".", 0, STATX_BASIC_STATS);
	YN("AT_FDCWD NULL is cwd", c.stx_ino == dot.stx_ino);
	/* a FIFO is not opened */
	mkfifo("p", 0644);
	struct statx p = sx(AT_FDCWD, "p", 0, STATX_BASIC_STATS);
	YN("fifo type", S_ISFIFO(p.stx_mode));
	/* search permission still applies; read permission does not */
	chmod("f", 0);
	struct statx z = sx(AT_FDCWD, "f", 0, STATX_BASIC_STATS);
	YN("mode 0 file statx ok", (z.stx_mode & 07777) == 0);
	/* rename keeps btime, rewrite keeps btime */
	chmod("f", 0644);
	rename("f", "g");
	struct statx g = sx(AT_FDCWD, "g", 0, STATX_BTIME);
	YN("rename keeps btime", g.stx_btime.tv_sec == f.stx_btime.tv_sec && g.stx_btime.tv_nsec == f.stx_btime.tv_nsec);
	return 0;
}
