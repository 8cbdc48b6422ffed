/* open_tree_attr (Linux 6.15): open_tree whose clone gets mount_setattr's attributes before
 * the fd is returned (with AT_RECURSIVE, the mounts below too), the original mounts left
 * as they were; its checks: a size without a struct, the struct's size, a change of nothing,
 * bad attributes (no fd made), a path that does not resolve. Run as root; natively in a
 * mount namespace of its own. */
#include "cf.h"
#include <stdint.h>
#include <sys/statvfs.h>

#ifndef SYS_open_tree_attr
#define SYS_open_tree_attr 467
#endif
#ifndef OPEN_TREE_CLONE
#define OPEN_TREE_CLONE 1
#endif
#ifndef MOUNT_ATTR_RDONLY
#define MOUNT_ATTR_RDONLY 0x1
#define MOUNT_ATTR_NOSUID 0x2
#define MOUNT_ATTR_NOEXEC 0x8
#endif
#ifndef AT_RECURSIVE
#define AT_RECURSIVE 0x8000
#endif

struct attr {
	uint64_t set, clr, prop, userns_fd;
};

static long
ota(const char *path, unsigned flags, struct attr *a, size_t size)
{
	return syscall(SYS_open_tree_attr, AT_FDCWD, path, flags, a, size);
}

/* statvfs letters of an fd (r s x for rdonly nosuid noexec; four buffers in turn: up to
 * four calls may be arguments of one printf) */
static const char *
fd_flags(int fd, const char *sub)
{
	static char buf[4][8];
	static int turn;
	char *out = buf[turn++ & 3];
	struct statvfs s;
	int f = sub ? openat(fd, sub, O_RDONLY | O_DIRECTORY) : fd;

	if (f < 0 || fstatvfs(f, &s) < 0) {
		snprintf(out, 8, "%s", en(errno));
	} else {
		snprintf(out, 8, "%s%s%s", s.f_flag & ST_RDONLY ? "r" : "-",
			 s.f_flag & ST_NOSUID ? "s" : "-", s.f_flag & ST_NOEXEC ? "x" : "-");
	}
	if (sub && f >= 0)
		close(f);
	return out;
}

static const char *
path_flags(const char *path)
{
	int fd = open(path, O_RDONLY | O_DIRECTORY);
	const char *r = fd_flags(fd, NULL);

	if (fd >= 0)
		close(fd);
	return r;
}

/* Whether a failed call left a descriptor behind: the lowest free one is the same. */
static int
lowest_fd(void)
{
	int fd = dup(0);

	close(fd);
	return fd;
}

int
main(void)
{
	cf_init();
	if (!cf_private_mounts())
		return 0;
	mkdir("m", 0755);
	R("mount m", mount("m", "m", "tmpfs", 0, "mode=0755"));
	mkdir("m/sub", 0755);
	mkdir("m/dir", 0755);
	R("mount m/sub", mount("sub", "m/sub", "tmpfs", 0, "mode=0755"));
	mkdir("t", 0755);

	struct attr ro = { MOUNT_ATTR_RDONLY, 0, 0, 0 };
	int fd = ota("m", OPEN_TREE_CLONE, &ro, sizeof(ro));
	printf("clone ro: %s\n", fd >= 0 ? "fd" : en(errno));
	printf("clone: %s, its sub: %s, m: %s\n", fd_flags(fd, NULL), fd_flags(fd, "sub"),
	       path_flags("m"));
	R("move_mount to t", syscall(SYS_move_mount, fd, "", AT_FDCWD, "t", 0x4 /* F_EMPTY_PATH */));
	printf("t: %s, m: %s\n", path_flags("t"), path_flags("m"));
	close(fd);

	struct attr nx = { MOUNT_ATTR_NOEXEC | MOUNT_ATTR_NOSUID, 0, 0, 0 };
	fd = ota("m", OPEN_TREE_CLONE | AT_RECURSIVE, &nx, sizeof(nx));
	printf("recursive clone: %s %s, its sub: %s; m/sub: %s\n", fd >= 0 ? "fd" : en(errno),
	       fd_flags(fd, NULL), fd_flags(fd, "sub"), path_flags("m/sub"));
	close(fd);
	fd = ota("m", OPEN_TREE_CLONE, &nx, sizeof(nx));
	printf("clone without sub: %s, its sub: %s\n", fd_flags(fd, NULL), fd_flags(fd, "sub"));
	close(fd);

	fd = ota("m", OPEN_TREE_CLONE, NULL, 0);
	printf("no attr: %s %s\n", fd >= 0 ? "fd" : en(errno), fd_flags(fd, NULL));
	close(fd);
	struct attr none = { 0 };
	fd = ota("m", OPEN_TREE_CLONE, &none, sizeof(none));
	printf("empty attr: %s %s\n", fd >= 0 ? "fd" : en(errno), fd_flags(fd, NULL));
	close(fd);
	fd = ota("m", 0, NULL, 0);
	printf("no clone, no attr: %s %s\n", fd >= 0 ? "fd" : en(errno), fd_flags(fd, NULL));
	close(fd);

	int low = lowest_fd();
	R("size without struct", ota("m", OPEN_TREE_CLONE, NULL, sizeof(ro)));
	R("size 8", ota("m", OPEN_TREE_CLONE, &ro, 8));
	R("size 0 with struct", ota("m", OPEN_TREE_CLONE, &ro, 0));
	R("size page+1", ota("m", OPEN_TREE_CLONE, &ro, 4097));
	R("size 8, missing path", ota("nope", OPEN_TREE_CLONE, &ro, 8));
	R("struct fault", ota("m", OPEN_TREE_CLONE, (struct attr *)8, sizeof(ro)));
	struct attr bad = { 1ULL << 40, 0, 0, 0 };
	R("unknown attribute", ota("m", OPEN_TREE_CLONE, &bad, sizeof(bad)));
	struct attr badprop = { 0, 0, 3, 0 };
	R("bad propagation", ota("m", OPEN_TREE_CLONE, &badprop, sizeof(badprop)));
	R("bad flags", ota("m", OPEN_TREE_CLONE | 0x2, &ro, sizeof(ro)));
	R("recursive without clone", ota("m", AT_RECURSIVE, &ro, sizeof(ro)));
	printf("no descriptor left behind: %s\n", lowest_fd() == low ? "yes" : "no");

	/* a directory inside a mount: its clone is a mount of its own, the original is not */
	fd = ota("m/dir", OPEN_TREE_CLONE, &ro, sizeof(ro));
	printf("clone of a directory: %s %s\n", fd >= 0 ? "fd" : en(errno), fd_flags(fd, NULL));
	if (fd >= 0)
		close(fd);
	R("no clone, a directory", ota("m/dir", 0, &ro, sizeof(ro)));
	fd = ota("m", 0, &ro, sizeof(ro));
	printf("no clone, ro: %s; m: %s\n", fd >= 0 ? "fd" : en(errno), path_flags("m"));
	if (fd >= 0)
		close(fd);
	umount2("t", MNT_DETACH);
	umount2("m/sub", MNT_DETACH);
	umount2("m", MNT_DETACH);
	cf_cleanup();
	return 0;
}
