/*
 * setxattrat, getxattrat, listxattrat, removexattrat (Linux 6.13): the xattr calls with a
 * directory fd and AT_ flags; the value of set/get travels in a struct xattr_args of a
 * given size (VER0 16 bytes; a larger one's tail must be zero). Checked: relative paths,
 * AT_SYMLINK_NOFOLLOW, AT_EMPTY_PATH with "" and NULL (on a regular fd, an O_PATH fd, the
 * cwd), the order of the argument checks, small buffers, and that the plain calls see
 * what these set.
 */
/* args: */
#include "cf.h"
#include <stdint.h>
#include <sys/xattr.h>

#ifndef SYS_setxattrat
#define SYS_setxattrat 463
#define SYS_getxattrat 464
#define SYS_listxattrat 465
#define SYS_removexattrat 466
#endif

struct xargs {
	uint64_t value;
	uint32_t size;
	uint32_t flags;
};

static long
set_at(int dfd, const char *path, unsigned at, const char *name, const char *val, int flags,
       size_t usize)
{
	struct { struct xargs a; char tail[16]; } big = { { (uintptr_t)val, val ? strlen(val) : 0,
							   (uint32_t)flags }, { 0 } };

	return syscall(SYS_setxattrat, dfd, path, at, name, &big, usize);
}

static long
get_at(int dfd, const char *path, unsigned at, const char *name, char *buf, size_t size,
       uint32_t flags, size_t usize)
{
	struct xargs a = { (uintptr_t)buf, (uint32_t)size, flags };

	return syscall(SYS_getxattrat, dfd, path, at, name, &a, usize);
}

/* "label: N value" or the error */
static void
show_get(const char *label, int dfd, const char *path, unsigned at, const char *name)
{
	char buf[64] = "";
	long r = get_at(dfd, path, at, name, buf, sizeof(buf) - 1, 0, sizeof(struct xargs));

	if (r < 0)
		printf("%s: -1 %s\n", label, en(errno));
	else
		printf("%s: %ld %.*s\n", label, r, (int)r, buf);
}

static void
show_list(const char *label, int dfd, const char *path, unsigned at, size_t size)
{
	char buf[256];
	long r = syscall(SYS_listxattrat, dfd, path, at, size ? buf : NULL, size);

	if (r < 0) {
		printf("%s: -1 %s\n", label, en(errno));
		return;
	}
	printf("%s: %ld", label, r);
	/* only our user.* names: the order is the filesystem's */
	for (long i = 0; size && i < r; i += (long)strlen(buf + i) + 1)
		if (!strncmp(buf + i, "user.", 5))
			printf(" %s", buf + i);
	printf("\n");
}

int
main(void)
{
	cf_init();
	if (mkdir("d", 0755) || close(open("d/f", O_CREAT | O_WRONLY, 0644)) ||
	    symlink("f", "d/l")) {
		perror("setup");
		return 1;
	}
	int d = open("d", O_RDONLY | O_DIRECTORY), f = open("d/f", O_RDWR);
	int op = open("d/f", O_PATH), lp = open("d/l", O_PATH | O_NOFOLLOW);
	size_t v0 = sizeof(struct xargs);

	R("set rel", set_at(d, "f", 0, "user.a", "one", 0, v0));
	show_get("get rel", d, "f", 0, "user.a");
	show_get("get via link", d, "l", 0, "user.a");
	R("get plain", getxattr("d/f", "user.a", NULL, 0));
	R("set create exists", set_at(d, "f", 0, "user.a", "x", XATTR_CREATE, v0));
	R("set replace absent", set_at(d, "f", 0, "user.b", "x", XATTR_REPLACE, v0));
	R("set big usize", set_at(d, "f", 0, "user.b", "two", 0, v0 + 16));
	show_get("get b", d, "f", 0, "user.b");
	R("set empty value", set_at(d, "f", 0, "user.e", NULL, 0, v0));
	show_get("get empty value", d, "f", 0, "user.e");
	show_list("list rel", d, "f", 0, 256);
	show_list("list size only", d, "f", 0, 0);
	show_list("list too small", d, "f", 0, 3);
	R("get too small", get_at(d, "f", 0, "user.a", (char[2]){ 0 }, 2, 0, v0));
	R("get size 0", get_at(d, "f", 0, "user.a", NULL, 0, 0, v0));
	R("get absent", get_at(d, "f", 0, "user.zz", (char[8]){ 0 }, 8, 0, v0));

	/* symlinks: user xattrs are not allowed on them */
	R("set nofollow link", set_at(d, "l", AT_SYMLINK_NOFOLLOW, "user.c", "x", 0, v0));
	show_get("get nofollow link", d, "l", AT_SYMLINK_NOFOLLOW, "user.a");
	show_list("list nofollow link", d, "l", AT_SYMLINK_NOFOLLOW, 256);
	R("remove nofollow link", syscall(SYS_removexattrat, d, "l", AT_SYMLINK_NOFOLLOW, "user.a"));

	/* AT_EMPTY_PATH: the fd itself */
	show_get("get fd empty", f, "", AT_EMPTY_PATH, "user.a");
	show_get("get fd null", f, NULL, AT_EMPTY_PATH, "user.a");
	show_get("get fd empty no flag", f, "", 0, "user.a");
	show_get("get fd null no flag", f, NULL, 0, "user.a");
	show_get("get O_PATH empty", op, "", AT_EMPTY_PATH, "user.a");
	R("set O_PATH empty", set_at(op, "", AT_EMPTY_PATH, "user.o", "x", 0, v0));
	show_get("get O_PATH link empty", lp, "", AT_EMPTY_PATH, "user.a");
	show_get("get cwd empty", AT_FDCWD, "", AT_EMPTY_PATH, "user.a");
	show_get("get bad fd empty", 999, "", AT_EMPTY_PATH, "user.a");
	show_get("get bad fd rel", 999, "f", 0, "user.a");
	show_get("get bad fd abs", 999, "/nonexistent-xattrat", 0, "user.a");
	show_get("get file as dirfd", f, "x", 0, "user.a");
	show_list("list fd empty", f, "", AT_EMPTY_PATH, 256);
	show_list("list O_PATH empty", op, "", AT_EMPTY_PATH, 256);
	R("remove fd null", syscall(SYS_removexattrat, f, NULL, AT_EMPTY_PATH, "user.e"));
	R("remove again", syscall(SYS_removexattrat, f, NULL, AT_EMPTY_PATH, "user.e"));
	R("remove O_PATH", syscall(SYS_removexattrat, op, "", AT_EMPTY_PATH, "user.b"));

	/* the order of the checks */
	R("set bad at flags", set_at(d, "f", 0x8000, "user.a", "x", 0, v0));
	R("set bad flags", set_at(d, "f", 0, "user.a", "x", 4, v0));
	R("set usize 8", set_at(d, "f", 0, "user.a", "x", 0, 8));
	R("set usize 0", set_at(d, "f", 0, "user.a", "x", 0, 0));
	R("set usize page+1", set_at(d, "f", 0, "user.a", "x", 0, 4097));
	R("set args NULL", syscall(SYS_setxattrat, d, "f", 0, "user.a", NULL, v0));
	R("set bad at flags and usize", set_at(d, "f", 0x8000, "user.a", "x", 0, 8));
	R("set bad at flags, usize page+1", set_at(d, "f", 0x8000, "user.a", "x", 0, 4097));
	R("set bad at flags and name", set_at(d, "f", 0x8000, "", "x", 0, v0));
	R("set bad at flags and flags", set_at(d, "f", 0x8000, "user.a", "x", 4, v0));
	R("set name empty", set_at(d, "f", 0, "", "x", 0, v0));
	R("set name no dot", set_at(d, "f", 0, "user", "x", 0, v0));
	R("set bad name and path", set_at(d, "nope", 0, "", "x", 0, v0));
	R("set missing", set_at(d, "nope", 0, "user.a", "x", 0, v0));
	R("set value fault", ({ struct xargs a = { 8, 4, 0 };
		syscall(SYS_setxattrat, d, "f", 0, "user.a", &a, v0); }));
	R("set value too big", ({ struct xargs a = { (uintptr_t)"x", 65537, 0 };
		syscall(SYS_setxattrat, d, "f", 0, "user.a", &a, v0); }));
	{
		struct { struct xargs a; uint64_t more; } t = { { (uintptr_t)"x", 1, 0 }, 1 };
		R("set nonzero tail", syscall(SYS_setxattrat, d, "f", 0, "user.a", &t, sizeof(t)));
	}
	R("get args flags", get_at(d, "f", 0, "user.a", NULL, 0, 1, v0));
	R("get bad at flags", get_at(d, "f", 0x8000, "user.a", NULL, 0, 0, v0));
	R("get bad at flags, usize page+1", get_at(d, "f", 0x8000, "user.a", NULL, 0, 0, 4097));
	R("get bad at flags and name", get_at(d, "f", 0x8000, "", NULL, 0, 0, v0));
	R("get name empty, missing", get_at(d, "nope", 0, "", NULL, 0, 0, v0));
	R("list bad at flags, missing", syscall(SYS_listxattrat, d, "nope", 0x8000, NULL, 0));
	R("remove bad at flags and name", syscall(SYS_removexattrat, d, "f", 0x8000, ""));
	R("get usize 15", get_at(d, "f", 0, "user.a", NULL, 0, 0, 15));
	R("get usize page+1", get_at(d, "f", 0, "user.a", NULL, 0, 0, 4097));
	R("get name empty", get_at(d, "f", 0, "", NULL, 0, 0, v0));
	R("get buffer fault", get_at(d, "f", 0, "user.a", (char *)8, 16, 0, v0));
	R("list bad at flags", syscall(SYS_listxattrat, d, "f", 0x8000, NULL, 0));
	R("list buffer fault", syscall(SYS_listxattrat, d, "f", 0, (char *)8, 64));
	R("list missing", syscall(SYS_listxattrat, d, "nope", 0, NULL, 0));
	R("remove bad at flags", syscall(SYS_removexattrat, d, "f", 0x8000, "user.a"));
	R("remove name empty", syscall(SYS_removexattrat, d, "f", 0, ""));
	R("remove rel", syscall(SYS_removexattrat, d, "f", 0, "user.a"));
	R("plain get after remove", getxattr("d/f", "user.a", NULL, 0));
	show_list("list at end", d, "f", 0, 256);
	cf_cleanup();
	return 0;
}
