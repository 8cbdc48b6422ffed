/* Mount namespaces: unshare(CLONE_NEWNS) copies the mount tree (a shared mount's copy is
 * its peer: mounts and unmounts propagate both ways until one side turns private; a
 * private mount's copy is independent), /proc/self/mountinfo shows each namespace's own,
 * setns(CLONE_NEWNS) joins another's (root and cwd at its root, EINVAL while the fs context
 * is shared), and pivot_root at a new namespace's root swaps it. Run as root; natively the
 * whole test runs in a private namespace of its own. */
#include "cf.h"
#include <sched.h>
#include <signal.h>
#include <sys/mount.h>
#include <sys/wait.h>

static int to_child[2], to_parent[2];

static void
say(int fd, const char *s)
{
	write(fd, s, strlen(s) + 1);
}

static void
hear(int fd)
{
	char c;
	while (read(fd, &c, 1) == 1 && c)
		;
}

/* Is path a mount point (a different device than its parent)? */
static int
mounted(const char *path)
{
	char up[512];
	struct stat a, b;

	snprintf(up, sizeof(up), "%s/..", path);
	if (stat(path, &a) || stat(up, &b))
		return 0;
	return a.st_dev != b.st_dev;
}

/* The peer group of the mount at a mount point ending in suffix (0: none, -1: absent). */
static int
group_of(const char *suffix)
{
	char line[2048];

	if (!cf_mountinfo(suffix, line, sizeof(line)))
		return -1;
	char *p = strstr(line, " shared:");
	return p ? atoi(p + 8) : 0;
}

static int
count_lines(const char *path)
{
	char line[2048];
	int n = 0;
	FILE *f = fopen(path, "r");

	while (f && fgets(line, sizeof(line), f))
		n += strstr(line, cf_dir) != NULL;
	if (f)
		fclose(f);
	return n;
}

static void
copy_child(int group)
{
	R("child unshare CLONE_NEWNS", unshare(CLONE_NEWNS));
	YN("child: base a peer of the parent's", group_of("/base") == group && group > 0);
	YN("child: private mount copied", mounted("priv"));
	R("child: mount on base/y", mount("y", "base/y", "tmpfs", 0, NULL));
	R("child: mount on priv/z", mount("z", "priv/z", "tmpfs", 0, NULL));
	R("child: umount priv", umount2("priv", MNT_DETACH));
	say(to_parent[1], "mounted");
	hear(to_child[0]);
	YN("child: parent's base/x propagated", mounted("base/x"));
	R("child: base private", mount(NULL, "base", NULL, MS_PRIVATE, NULL));
	R("child: umount base/x", umount("base/x"));
	say(to_parent[1], "unmounted");
	hear(to_child[0]);
	YN("child: parent's base/w not propagated", !mounted("base/w"));
	printf("child: lines under the test dir %d\n", count_lines("/proc/self/mountinfo"));
	say(to_parent[1], "done");
	hear(to_child[0]); /* the parent joins us meanwhile */
}

static void
pivot_child(void)
{
	char buf[256];
	struct stat st;

	R("pivot: unshare", unshare(CLONE_NEWNS));
	R("pivot: / private", mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL));
	mkdir("newroot", 0755);
	R("pivot: tmpfs newroot", mount("nr", "newroot", "tmpfs", 0, NULL));
	mkdir("newroot/old", 0755);
	mkdir("newroot/etc", 0755);
	R("pivot: chdir newroot", chdir("newroot"));
	R("pivot_root . old", syscall(SYS_pivot_root, ".", "old"));
	R("pivot: chdir /", chdir("/"));
	R("pivot: stat /etc", stat("/etc", &st));
	R("pivot: old root below /old", stat("/old/proc", &st));
	R("pivot: getcwd", getcwd(buf, sizeof(buf)) ? 0 : -1);
	printf("pivot: cwd %s\n", buf);
	R("pivot: umount /old", umount2("/old", MNT_DETACH));
	R("pivot: old gone", stat("/old/proc", &st));
	R("pivot: mount proc", mount("proc", "/etc", "proc", 0, NULL));
	int fd = open("/etc/self/mountinfo", O_RDONLY);
	ssize_t n = read(fd, buf, sizeof(buf) - 1);
	buf[n > 0 ? n : 0] = 0;
	int lines = 0;
	for (char *p = buf; *p; p++)
		lines += *p == '\n';
	printf("pivot: mountinfo lines %d\n", lines);
	YN("pivot: first is the new root", strstr(buf, " / / ") != NULL);
}

int
main(void)
{
	int st;
	char buf[256];

	cf_init();
	setvbuf(stdout, NULL, _IONBF, 0);
	if (geteuid() != 0) {
		printf("not root: nothing to check\n");
		return 0;
	}
	int rootns = open("/proc/self/ns/mnt", O_RDONLY);
	/* our own namespace first: nothing of this reaches the one we started in */
	if (unshare(CLONE_NEWNS) < 0) {
		printf("unshare: %s\n", en(errno));
		return 0;
	}
	mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL);
	mkdir("base", 0755);
	mkdir("priv", 0755);
	R("tmpfs base", mount("base", "base", "tmpfs", 0, NULL));
	R("base shared", mount(NULL, "base", NULL, MS_SHARED, NULL));
	R("tmpfs priv", mount("priv", "priv", "tmpfs", 0, NULL));
	mkdir("base/x", 0755);
	mkdir("base/y", 0755);
	mkdir("base/w", 0755);
	mkdir("priv/z", 0755);
	int group = group_of("/base");
	pipe(to_child);
	pipe(to_parent);
	int mine = open("/proc/self/ns/mnt", O_RDONLY);
	pid_t c = fork();
	if (c == 0) {
		copy_child(group);
		_exit(0);
	}
	hear(to_parent[0]);
	YN("child's base/y propagated here", mounted("base/y"));
	YN("child's priv/z not here", !mounted("priv/z"));
	YN("priv still mounted here", mounted("priv"));
	int mi = open("/proc/self/mountinfo", O_RDONLY);
	static char info[65536];
	R("mount on base/x", mount("x", "base/x", "tmpfs", 0, NULL));
	lseek(mi, 0, SEEK_SET);
	ssize_t got = read(mi, info, sizeof(info) - 1);
	info[got > 0 ? got : 0] = 0;
	YN("mountinfo opened before, read from 0: has base/x", strstr(info, "/base/x ") != NULL);
	close(mi);
	say(to_child[1], "go");
	hear(to_parent[0]);
	YN("base/x still here", mounted("base/x"));
	R("mount on base/w", mount("w", "base/w", "tmpfs", 0, NULL));
	say(to_child[1], "go");
	hear(to_parent[0]);
	printf("lines under the test dir %d\n", count_lines("/proc/self/mountinfo"));
	snprintf(buf, sizeof(buf), "/proc/%d/mountinfo", c);
	printf("child's lines %d\n", count_lines(buf));

	/* join the child's namespace from a grandchild: root and cwd go to its root */
	snprintf(buf, sizeof(buf), "/proc/%d/ns/mnt", c);
	int cfd = open(buf, O_RDONLY);
	pid_t g = fork();
	if (g == 0) {
		R("setns child's mnt", setns(cfd, CLONE_NEWNS));
		printf("cwd after: %s\n", getcwd(buf, sizeof(buf)) ? buf : "?");
		R("chdir back", chdir(cf_dir));
		YN("sees no priv", !mounted("priv"));
		YN("sees base/y", mounted("base/y"));
		R("setns ours again", setns(mine, CLONE_NEWNS));
		R("chdir back again", chdir(cf_dir));
		YN("sees priv", mounted("priv"));
		_exit(0);
	}
	waitpid(g, &st, 0);
	g = syscall(SYS_clone, CLONE_FS | SIGCHLD, 0, 0, 0, 0);
	if (g == 0) {
		R("setns sharing the fs context", setns(cfd, CLONE_NEWNS));
		_exit(0);
	}
	waitpid(g, &st, 0);
	R("clone CLONE_NEWNS|CLONE_FS", syscall(SYS_clone, CLONE_NEWNS | CLONE_FS | SIGCHLD, 0, 0, 0, 0));
	say(to_child[1], "go");
	waitpid(c, &st, 0);

	g = syscall(SYS_clone, CLONE_NEWNS | SIGCHLD, 0, 0, 0, 0);
	if (g == 0) {
		YN("clone child: priv copied", mounted("priv"));
		R("clone child: umount priv", umount2("priv", MNT_DETACH));
		_exit(0);
	}
	waitpid(g, &st, 0);
	YN("priv still here", mounted("priv"));
	g = fork();
	if (g == 0) {
		pivot_child();
		_exit(0);
	}
	waitpid(g, &st, 0);
	YN("our root unchanged", access("/proc/self", F_OK) == 0);
	umount2("base", MNT_DETACH);
	umount2("priv", MNT_DETACH);
	close(rootns);
	return 0;
}
