/* pivot_root(2) in a chroot at a tmpfs mount (natively in a private mount namespace):
 * errors (ENOTDIR, EBUSY, EINVAL, EPERM; EINVAL for a shared new root) and the swap
 * itself: the new root's files at "/", the old root below put_old, cwd "/" and ".." at the
 * root. Run as root. */
#include <linux/capability.h>
#include <sched.h>
#include <sys/mount.h>
#include <sys/wait.h>
#include "cf.h"

static int
pivot(const char *n, const char *o)
{
	return syscall(SYS_pivot_root, n, o);
}

static void
child(void)
{
	char buf[256];
	struct stat a, b;

	OK("chroot r", chroot("r"));
	OK("chdir /", chdir("/"));
	R("new root is a file", pivot("/file", "/n/old"));
	R("put_old is a file", pivot("/n", "/file"));
	R("new root missing", pivot("/missing", "/n/old"));
	R("new root is the current root", pivot("/", "/n/old"));
	R("put_old on the current root mount", pivot("/n", "/plain"));
	R("new root not a mount point", pivot("/n/sub", "/n/sub"));
	R("put_old outside the new root", pivot("/n", "/o2"));
	R("pivot_root", pivot("/n", "/n/old"));
	OK("chdir / again", chdir("/"));
	R("stat /inner", stat("/inner", &a));
	R("stat the old path", stat("/n/inner", &a));
	R("old root's file below put_old", stat("/old/file", &a));
	R("getcwd", getcwd(buf, sizeof(buf)) ? 0 : -1);
	printf("cwd %s\n", buf);
	stat(".", &a);
	stat("..", &b);
	YN(". and .. the same", a.st_ino == b.st_ino && a.st_dev == b.st_dev);
	R("detach the old root", umount2("/old", MNT_DETACH));
	R("old root gone", stat("/old/file", &a));
}

/* r/n is shared: put_old's mount (r/n itself) would propagate the change */
static void
shared_new_root(void)
{
	OK("chroot r", chroot("r"));
	R("pivot_root with a shared new root", pivot("/n", "/n/old"));
}

static void
nocap(void)
{
	struct __user_cap_header_struct h = { _LINUX_CAPABILITY_VERSION_3, 0 };
	struct __user_cap_data_struct d[2];

	syscall(SYS_capget, &h, d);
	d[0].effective &= ~(1u << CAP_SYS_ADMIN);
	syscall(SYS_capset, &h, d);
	R("pivot_root without CAP_SYS_ADMIN", pivot("r/n", "r/n/old"));
}

static void
run(const char *name, void (*fn)(void))
{
	int st;
	pid_t p = fork();

	if (p == 0) {
		fn();
		fflush(stdout);
		_exit(0);
	}
	waitpid(p, &st, 0);
	printf("%s: exit %d\n", name, WIFEXITED(st) ? WEXITSTATUS(st) : -1);
}

int
main(void)
{
	cf_init();
	if (geteuid() != 0) {
		printf("not root: nothing to check\n");
		return 0;
	}
	if (unshare(CLONE_NEWNS) == 0)
		mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL);
	mkdir("r", 0755);
	R("mount r", mount("", "r", "tmpfs", 0, "mode=0755"));
	mkdir("r/n", 0755);
	mkdir("r/plain", 0755);
	close(open("r/file", O_CREAT | O_WRONLY, 0644));
	R("mount r/n", mount("", "r/n", "tmpfs", 0, "mode=0755"));
	mkdir("r/n/old", 0755);
	mkdir("r/n/sub", 0755);
	mkdir("r/o2", 0755);
	R("mount r/o2", mount("", "r/o2", "tmpfs", 0, "mode=0755"));
	close(open("r/n/inner", O_CREAT | O_WRONLY, 0644));
	run("nocap", nocap);
	R("make r/n shared", mount(NULL, "r/n", NULL, MS_SHARED, NULL));
	run("shared", shared_new_root);
	R("make r/n private", mount(NULL, "r/n", NULL, MS_PRIVATE, NULL));
	run("pivot", child);
	R("umount r/n", umount("r/n"));
	R("umount r", umount("r"));
	return 0;
}
