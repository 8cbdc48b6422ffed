/* move_mount(MOVE_MOUNT_BENEATH): an anonymous tree goes under the top mount of a stack,
 * which then sits on its root (what each shows, the order and sources in mountinfo, the
 * unmounts uncovering it in turn), and the cases Linux refuses (EINVAL): with
 * MOVE_MOUNT_SET_GROUP, a target that is not a mount's root, the caller's root. Run as
 * root; natively in a mount namespace of its own (every mount private). */
#include "cf.h"
#include <sys/mount.h>

#ifndef MOVE_MOUNT_BENEATH
#define MOVE_MOUNT_BENEATH 0x200
#endif
#define MOVE_MOUNT_SET_GROUP_ 0x100

static long
mm(int from, const char *fp, int to, const char *tp, unsigned flags)
{
	return syscall(SYS_move_mount, from, fp, to, tp, flags);
}

/* The sources of the mounts at mount points ending in suffix, in mountinfo's order. */
static void
sources(const char *suffix)
{
	char line[2048], mp[1024], src[256];
	FILE *f = fopen("/proc/self/mountinfo", "r");

	printf("at %s:", suffix);
	while (f && fgets(line, sizeof(line), f)) {
		char *dash = strstr(line, " - ");
		size_t n, s = strlen(suffix);
		if (!dash || sscanf(line, "%*d %*d %*s %*s %1023s", mp) != 1 ||
		    sscanf(dash + 3, "%*s %255s", src) != 1)
			continue;
		n = strlen(mp);
		if (n >= s && !strcmp(mp + n - s, suffix))
			printf(" %s", src);
	}
	if (f)
		fclose(f);
	printf("\n");
}

int
main(void)
{
	cf_init();
	if (!cf_private_mounts())
		return 0;
	mkdir("a", 0755);
	mkdir("b", 0755);
	R("mount top on b", mount("top", "b", "tmpfs", 0, "mode=0755"));
	R("mount under on a", mount("under", "a", "tmpfs", 0, "mode=0755"));
	close(open("b/B", O_CREAT | O_WRONLY, 0644));
	close(open("a/A", O_CREAT | O_WRONLY, 0644));
	mkdir("b/dir", 0755);
	int tree = syscall(SYS_open_tree, AT_FDCWD, "a", OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC);
	int b = open("b", O_PATH);
	int dir = open("b/dir", O_PATH);
	int root = open("/", O_PATH);

	R("with SET_GROUP", mm(tree, "", b, "", MOVE_MOUNT_BENEATH | MOVE_MOUNT_SET_GROUP_ |
					       MOVE_MOUNT_F_EMPTY_PATH | MOVE_MOUNT_T_EMPTY_PATH));
	R("under a plain directory", mm(tree, "", dir, "", MOVE_MOUNT_BENEATH |
					MOVE_MOUNT_F_EMPTY_PATH | MOVE_MOUNT_T_EMPTY_PATH));
	R("under the root", mm(tree, "", root, "", MOVE_MOUNT_BENEATH | MOVE_MOUNT_F_EMPTY_PATH |
						   MOVE_MOUNT_T_EMPTY_PATH));
	R("beneath b", mm(tree, "", b, "", MOVE_MOUNT_BENEATH | MOVE_MOUNT_F_EMPTY_PATH |
					       MOVE_MOUNT_T_EMPTY_PATH));
	close(tree);
	close(b);
	close(dir);
	sources("/b");
	R("b/B", access("b/B", F_OK));
	R("b/A", access("b/A", F_OK));
	R("a/A", access("a/A", F_OK));
	R("umount b", umount("b"));
	sources("/b");
	R("b/A now", access("b/A", F_OK));
	R("b/B now", access("b/B", F_OK));
	R("umount b again", umount("b"));
	R("umount a", umount("a"));
	sources("/b");

	/* a mount right under "/" (Linux: its parent is "/", not the namespace's rootfs) */
	R("mount on /mnt", mount("mnt", "/mnt", "tmpfs", 0, "mode=0755"));
	tree = syscall(SYS_open_tree, AT_FDCWD, "/mnt", OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC);
	int mnt = open("/mnt", O_PATH);
	R("beneath /mnt", mm(tree, "", mnt, "", MOVE_MOUNT_BENEATH | MOVE_MOUNT_F_EMPTY_PATH |
						   MOVE_MOUNT_T_EMPTY_PATH));
	close(tree);
	close(mnt);
	R("umount /mnt", umount("/mnt"));
	R("umount /mnt again", umount("/mnt"));
	return 0;
}
