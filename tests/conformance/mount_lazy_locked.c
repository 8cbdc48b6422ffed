/* A lazy umount of a whole tree that propagated into a less privileged mount namespace:
 * the mounts below its root stay locked to it, so what they covered stays hidden through a
 * descriptor opened inside the tree; in the privileged namespace the same umount
 * disconnects them and uncovers it. Run as root; natively in a mount namespace of its own. */
#include "cf.h"
#include <sched.h>
#include <sys/mount.h>
#include <sys/socket.h>
#include <sys/wait.h>

static void
write_str(const char *path, const char *s)
{
	int fd = open(path, O_WRONLY);

	if (fd >= 0) {
		if (write(fd, s, strlen(s)) < 0)
			perror(path);
		close(fd);
	}
}

/* Lazily unmounts top (a mount whose child at "in" covers a file "in/f"; first the child
 * alone when try_child), then looks for the file through a descriptor of top's root
 * opened before. */
static void
detach_and_look(const char *who, const char *top, const char *in, int try_child)
{
	char path[512], rel[256];
	struct stat root, up;

	snprintf(path, sizeof(path), "%s/%s", top, in);
	snprintf(rel, sizeof(rel), "%s/f", in);
	printf("%s: ", who);
	if (try_child)
		R("umount the child alone", umount2(path, MNT_DETACH));
	int dfd = open(top, O_RDONLY | O_DIRECTORY);
	R("umount the tree", umount2(top, MNT_DETACH));
	int fd = FD("openat the covered file", openat(dfd, rel, O_RDONLY));
	if (fd >= 0)
		close(fd);
	R("fstatat the mount point", fstatat(dfd, in, &root, 0));
	/* the unmounted tree's root is its own parent; its child's is that root */
	R("fstat the root", fstat(dfd, &root));
	R("fstatat ..", fstatat(dfd, "..", &up, 0));
	YN(".. of the unmounted root is itself", root.st_ino == up.st_ino && root.st_dev == up.st_dev);
	snprintf(path, sizeof(path), "%s/..", in);
	R("fstatat in/..", fstatat(dfd, path, &up, 0));
	YN("in/.. is the unmounted root", root.st_ino == up.st_ino && root.st_dev == up.st_dev);
	close(dfd);
}

int
main(void)
{
	int sk[2];
	char c;

	cf_init();
	if (!cf_private_mounts())
		return 0;
	mkdir("base", 0755);
	R("mount base", mount("base", "base", "tmpfs", 0, "mode=0755"));
	R("base shared", mount(NULL, "base", NULL, MS_SHARED, NULL));
	mkdir("src", 0755);
	mkdir("base/a", 0755);
	mkdir("base/b", 0755);
	R("tmpfs on src", mount("s", "src", "tmpfs", 0, "mode=0755"));
	R("src private", mount(NULL, "src", NULL, MS_PRIVATE, NULL));
	mkdir("src/in", 0755);
	cf_write_file("src/in/f", "x", 1);
	R("tmpfs on src/in", mount("i", "src/in", "tmpfs", 0, "mode=0755"));

	R("socketpair", socketpair(AF_UNIX, SOCK_STREAM, 0, sk));
	pid_t pid = fork();
	if (pid == 0) {
		close(sk[0]);
		if (unshare(CLONE_NEWUSER | CLONE_NEWNS) < 0)
			_exit(1);
		write_str("/proc/self/setgroups", "deny");
		write_str("/proc/self/uid_map", "0 0 1");
		write_str("/proc/self/gid_map", "0 0 1");
		if (write(sk[1], "r", 1) != 1 || read(sk[1], &c, 1) != 1)
			_exit(1);
		detach_and_look("new userns", "base/a", "in", 1);
		fflush(stdout);
		_exit(0);
	}
	close(sk[1]);
	if (read(sk[0], &c, 1) != 1)
		return 1;
	/* the copy made here propagates into the child's namespace (base is shared) */
	R("rbind src on base/a", mount("src", "base/a", NULL, MS_BIND | MS_REC, NULL));
	if (write(sk[0], "g", 1) != 1)
		return 1;
	int status;
	waitpid(pid, &status, 0);
	printf("child exit %d\n", WIFEXITED(status) ? WEXITSTATUS(status) : -1);

	/* the same in the namespace that made the mounts: nothing is locked */
	R("rbind src on base/b", mount("src", "base/b", NULL, MS_BIND | MS_REC, NULL));
	detach_and_look("same ns", "base/b", "in", 0);
	R("umount src/in", umount("src/in"));
	R("umount src", umount("src"));
	R("umount base", umount2("base", MNT_DETACH));
	return 0;
}
