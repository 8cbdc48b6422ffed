/*
 * Paths of files in mounts that are no longer attached (Linux d_path's "detached" case):
 * a descriptor and a working directory in a lazily unmounted tmpfs, and a descriptor
 * opened in a mount namespace that has since ended (its last task moved on: every mount
 * of it goes). Their /proc/self/fd links start at the unmounted mount's root; getcwd
 * there fails (the kernel's "(unreachable)" path, which glibc refuses). Run as root; in a
 * mount namespace of its own.
 */
#include "cf.h"
#include "cf_mount.h"
#include <sys/wait.h>

static void
fd_link(const char *label, int fd)
{
	char p[64], t[512];

	snprintf(p, sizeof(p), "/proc/self/fd/%d", fd);
	ssize_t n = readlink(p, t, sizeof(t) - 1);
	t[n > 0 ? n : 0] = '\0';
	printf("%s: %s\n", label, n > 0 ? t : en(errno));
}

static void
lazy(void)
{
	char cwd[512];

	mkdir("lz", 0755);
	OK("mount", mount("tmpfs", "lz", "tmpfs", 0, "mode=755"));
	mkdir("lz/sub", 0755);
	int fd = open("lz/sub/file", O_RDWR | O_CREAT, 0644);
	if (fd < 0 || ftruncate(fd, 4096)) {
		printf("file: %s\n", en(errno));
		return;
	}
	int back = open(".", O_RDONLY | O_DIRECTORY);
	OK("chdir into it", chdir("lz/sub"));
	OK("lazy umount", umount2("..", MNT_DETACH));
	fd_link("fd after", fd);
	R("getcwd after", getcwd(cwd, sizeof(cwd)) ? 0 : -1);
	OK("back", fchdir(back));
	close(fd);
	close(back);
}

static void
ended_namespace(void)
{
	int sk[2];

	if (socketpair(AF_UNIX, SOCK_STREAM, 0, sk))
		return;
	pid_t p = fork();
	if (p == 0) {
		/* a namespace whose only task this is; the file opened there goes to the
		 * parent, then the child moves to another namespace */
		if (unshare(CLONE_NEWNS) || mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL))
			_exit(1);
		mkdir("ns", 0755);
		if (mount("tmpfs", "ns", "tmpfs", 0, "mode=755"))
			_exit(2);
		int fd = open("ns/held", O_RDWR | O_CREAT, 0644);
		char p[64], t[512];
		snprintf(p, sizeof(p), "/proc/self/fd/%d", fd);
		ssize_t n = readlink(p, t, sizeof(t) - 1);
		t[n > 0 ? n : 0] = '\0';
		YN("in its namespace: the whole path", n > 8 && !strcmp(t + n - 8, "/ns/held"));
		if (unshare(CLONE_NEWNS))
			_exit(3);
		fd_link("the namespace ended", fd);
		_exit(0);
	}
	int st;
	waitpid(p, &st, 0);
	printf("child: %d\n", WIFEXITED(st) ? WEXITSTATUS(st) : -1);
	close(sk[0]);
	close(sk[1]);
}

int
main(void)
{
	cf_init();
	setvbuf(stdout, NULL, _IONBF, 0);
	if (!cf_own_mounts())
		return 0;
	lazy();
	ended_namespace();
	cf_cleanup();
	return 0;
}
