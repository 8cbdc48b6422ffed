/* mount_setattr: its checks in Linux's order (flags, size, a change of nothing is 0 before
 * the path is looked up, propagation and atime fields, a mount's root only), attributes
 * set and cleared as statvfs and mountinfo show them, AT_RECURSIVE reaching the mounts
 * below, the atime mode replaced only through MOUNT_ATTR__ATIME, propagation types, and an
 * anonymous tree from open_tree. Run as root; natively in a mount namespace of its own. */
#include "cf.h"
#include <stdint.h>
#include <sys/statvfs.h>

#ifndef MOUNT_ATTR_SIZE_VER0
#define MOUNT_ATTR_SIZE_VER0 32
#endif

struct attr {
	uint64_t set, clr, prop, userns_fd;
};

static long
msa(int dfd, const char *path, unsigned flags, struct attr *a, size_t size)
{
	return syscall(SYS_mount_setattr, dfd, path, flags, a, size);
}

static long
msa_set(const char *path, unsigned flags, uint64_t set, uint64_t clr, uint64_t prop)
{
	struct attr a = { set, clr, prop, 0 };

	return msa(AT_FDCWD, path, flags, &a, sizeof(a));
}

/* statvfs's ST_* flags of path that mount_setattr changes, as letters (two buffers in
 * turn: two calls may be arguments of one printf). */
static const char *
vfs_flags(const char *path)
{
	static char buf[2][16];
	static int turn;
	char *out = buf[turn++ & 1];
	struct statvfs s;

	if (statvfs(path, &s) < 0)
		return "?";
	snprintf(out, sizeof(buf[0]), "%s%s%s%s%s", s.f_flag & ST_RDONLY ? "r" : "-",
		 s.f_flag & ST_NOSUID ? "s" : "-", s.f_flag & ST_NODEV ? "d" : "-",
		 s.f_flag & ST_NOEXEC ? "x" : "-",
		 s.f_flag & ST_NOATIME ? "A" : s.f_flag & ST_RELATIME ? "R" : "S");
	return out;
}

/* The propagation of the mount at a mount point ending in suffix (two buffers in turn). */
static const char *
prop_of(const char *suffix)
{
	static char buf[2][16];
	static int turn;
	char *out = buf[turn++ & 1], line[2048];

	if (!cf_mountinfo(suffix, line, sizeof(line)))
		return "missing";
	strcpy(out, strstr(line, " shared:") ? "shared" :
		    strstr(line, " master:") ? "slave" :
		    strstr(line, " unbindable") ? "unbindable" : "private");
	return out;
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
	printf("m: %s, m/sub: %s\n", vfs_flags("m"), vfs_flags("m/sub"));

	struct attr a = { MOUNT_ATTR_RDONLY, 0, 0, 0 };
	R("bad flags", msa(AT_FDCWD, "m", 0x1, &a, sizeof(a)));
	R("size too big", msa(AT_FDCWD, "m", 0, &a, 8192));
	R("size too small", msa(AT_FDCWD, "m", 0, &a, 16));
	R("bad struct", msa(AT_FDCWD, "m", 0, (void *)8, sizeof(a)));
	R("nothing to change, missing path", msa_set("nowhere", 0, 0, 0, 0));
	R("missing path", msa_set("nowhere", 0, MOUNT_ATTR_NOSUID, 0, 0));
	R("not a mount root", msa_set("m/dir", 0, MOUNT_ATTR_NOSUID, 0, 0));
	R("two propagation types", msa_set("m", 0, 0, 0, MS_SHARED | MS_PRIVATE));
	R("unknown propagation", msa_set("m", 0, 0, 0, MS_RDONLY));
	R("unknown attribute", msa_set("m", 0, 1u << 30, 0, 0));
	R("atime set without clr", msa_set("m", 0, MOUNT_ATTR_NOATIME, 0, 0));
	R("atime clr partly", msa_set("m", 0, MOUNT_ATTR_NOATIME, MOUNT_ATTR_NOATIME, 0));
	R("atime set bad mode", msa_set("m", 0, 0x30, MOUNT_ATTR__ATIME, 0));
	unsigned char big[64] = { 0 };
	memcpy(big, &a, sizeof(a));
	big[40] = 1;
	R("longer struct, nonzero tail", msa(AT_FDCWD, "m", 0, (void *)big, sizeof(big)));
	printf("m: %s\n", vfs_flags("m"));

	R("rdonly nosuid on m", msa_set("m", 0, MOUNT_ATTR_RDONLY | MOUNT_ATTR_NOSUID, 0, 0));
	printf("m: %s, m/sub: %s\n", vfs_flags("m"), vfs_flags("m/sub"));
	R("longer struct, zero tail", msa(AT_FDCWD, "m", 0, (void *)(big[40] = 0, big),
					   sizeof(big)));
	R("nodev noexec recursive", msa_set("m", AT_RECURSIVE, MOUNT_ATTR_NODEV |
					    MOUNT_ATTR_NOEXEC, 0, 0));
	printf("m: %s, m/sub: %s\n", vfs_flags("m"), vfs_flags("m/sub"));
	R("clear rdonly", msa_set("m", 0, 0, MOUNT_ATTR_RDONLY, 0));
	printf("m: %s\n", vfs_flags("m"));
	R("noatime", msa_set("m", 0, MOUNT_ATTR_NOATIME, MOUNT_ATTR__ATIME, 0));
	printf("m: %s\n", vfs_flags("m"));
	R("strictatime", msa_set("m", 0, MOUNT_ATTR_STRICTATIME, MOUNT_ATTR__ATIME, 0));
	printf("m: %s\n", vfs_flags("m"));
	R("relatime, noexec cleared recursive", msa_set("m", AT_RECURSIVE, MOUNT_ATTR_RELATIME,
							 MOUNT_ATTR__ATIME | MOUNT_ATTR_NOEXEC, 0));
	printf("m: %s, m/sub: %s\n", vfs_flags("m"), vfs_flags("m/sub"));

	printf("m/sub: %s\n", prop_of("/m/sub"));
	R("shared recursive", msa_set("m", AT_RECURSIVE, 0, 0, MS_SHARED));
	printf("m: %s, m/sub: %s\n", prop_of("/m"), prop_of("/m/sub"));
	mkdir("b", 0755);
	R("bind m on b", mount("m", "b", NULL, MS_BIND, NULL));
	R("b slave", msa_set("b", 0, 0, 0, MS_SLAVE));
	printf("b: %s\n", prop_of("/b"));
	R("b unbindable", msa_set("b", 0, 0, 0, MS_UNBINDABLE));
	printf("b: %s\n", prop_of("/b"));
	R("umount b", umount("b"));
	R("m private", msa_set("m", 0, 0, 0, MS_PRIVATE));
	printf("m: %s, m/sub: %s\n", prop_of("/m"), prop_of("/m/sub"));

	int fd = open("m", O_PATH);
	R("through a descriptor, empty path", msa_set("", 0, MOUNT_ATTR_NOSUID, 0, 0) < 0 &&
	  syscall(SYS_mount_setattr, fd, "", AT_EMPTY_PATH,
		  &(struct attr){ 0, MOUNT_ATTR_NOSUID, 0, 0 }, sizeof(struct attr)) == 0 ? 0 : -1);
	printf("m: %s\n", vfs_flags("m"));
	close(fd);

	int tree = syscall(SYS_open_tree, AT_FDCWD, "m", OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC);
	R("open_tree clone", tree >= 0 ? 0 : -1);
	R("rdonly on the detached copy", syscall(SYS_mount_setattr, tree, "", AT_EMPTY_PATH,
						 &(struct attr){ MOUNT_ATTR_RDONLY, 0, 0, 0 },
						 sizeof(struct attr)));
	printf("m: %s\n", vfs_flags("m"));
	close(tree);
	R("umount m/sub", umount("m/sub"));
	R("umount m", umount("m"));
	return 0;
}
