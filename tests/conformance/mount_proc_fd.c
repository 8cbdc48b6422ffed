/* Nothing is mounted on a /proc/PID/fd or fdinfo entry (Linux marks them dont_mount):
 * mount --bind, MS_MOVE and move_mount onto an O_PATH|O_NOFOLLOW descriptor of such an
 * entry are ENOENT, while onto the file an fd entry names (followed) they work. Natively in
 * a private mount namespace; run as root. (LTP mount08.) */
#include <sched.h>
#include <sys/mount.h>
#include "cf.h"

int
main(void)
{
	char path[64], fdpath[64];
	int fd, pfd, ifd;

	cf_init();
	if (unshare(CLONE_NEWNS) || mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL)) {
		printf("setup: %s\n", en(errno));
		return 1;
	}
	close(open("foo", O_CREAT | O_WRONLY, 0644));
	close(open("bar", O_CREAT | O_WRONLY, 0644));
	fd = open("foo", O_RDONLY);
	snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	pfd = open(path, O_PATH | O_NOFOLLOW);
	snprintf(fdpath, sizeof(fdpath), "/proc/self/fd/%d", pfd);
	R("bind onto fd entry", mount("bar", fdpath, NULL, MS_BIND, NULL));
	snprintf(fdpath, sizeof(fdpath), "/proc/self/fdinfo/%d", fd);
	R("bind onto fdinfo entry", mount("bar", fdpath, NULL, MS_BIND, NULL));
	R("mount tmpfs onto fdinfo dir", mount("none", "/proc/self/fdinfo", "tmpfs", 0, NULL) ? -1 : 0);
	R("bind onto file named by fd", mount("bar", path, NULL, MS_BIND, NULL));
	R("umount it", umount2("foo", 0));
	/* a (file) mount moved onto the entry */
	close(open("baz", O_CREAT | O_WRONLY, 0644));
	R("bind bar on baz", mount("bar", "baz", NULL, MS_BIND, NULL));
	snprintf(fdpath, sizeof(fdpath), "/proc/self/fd/%d", pfd);
	R("move onto fd entry", mount("baz", fdpath, NULL, MS_MOVE, NULL));
	ifd = syscall(SYS_open_tree, AT_FDCWD, "bar", 1 /* OPEN_TREE_CLONE */);
	YN("open_tree", ifd >= 0);
	R("move_mount onto fd entry", syscall(SYS_move_mount, ifd, "", AT_FDCWD, fdpath,
					      4 /* MOVE_MOUNT_F_EMPTY_PATH */));
	R("umount baz", umount2("baz", 0));
	return 0;
}
