/* Cgroup namespaces (unshare -C; bwrap --unshare-all and container runtimes make them):
 * /proc/PID/cgroup as a path from the reader's namespace root ("/.." above it), one inherited
 * by a fork and by clone(CLONE_NEWCGROUP), the nsfs link, a cgroup2 mount made inside
 * (rooted at the namespace's cgroup) and mountinfo's root field for mounts made outside,
 * setns back, CAP_SYS_ADMIN, and a user namespace's owner mounting cgroup2 in a namespace of
 * its own. Natively the cgroups are made below this process's cgroup of the unified
 * hierarchy (mounted again in a private mount namespace), so nothing printed depends on
 * where the test runs. Run as root. */
#include "cf.h"
#include "cf_mount.h"
#include "cf_cgroup.h"
#include <dirent.h>
#include <signal.h>
#include <sys/wait.h>
#include <linux/capability.h>

static char self_path[512]; /* this process's cgroup, as the initial namespace names it */

/* This process's line of /proc/PID/cgroup for the unified hierarchy (after "0::"). */
static void
cgroup_of(const char *pid, char *out, size_t n)
{
	char path[64], line[700];

	snprintf(path, sizeof(path), "/proc/%s/cgroup", pid);
	out[0] = 0;
	FILE *f = fopen(path, "r");
	while (f && fgets(line, sizeof(line), f))
		if (!strncmp(line, "0::", 3)) {
			line[strcspn(line, "\n")] = 0;
			snprintf(out, n, "%s", line + 3);
		}
	if (f)
		fclose(f);
}

static void
print_cgroup(const char *label, const char *pid)
{
	char c[700];

	cgroup_of(pid, c, sizeof(c));
	printf("%s: %s\n", label, c);
}

static int
move_self(const char *dir)
{
	char p[700], pid[16];

	snprintf(p, sizeof(p), "%s/cgroup.procs", dir);
	snprintf(pid, sizeof(pid), "%d", getpid());
	int fd = open(p, O_WRONLY);
	int r = fd < 0 ? -1 : (int)write(fd, pid, strlen(pid));
	int e = errno;
	if (fd >= 0)
		close(fd);
	errno = e;
	return r < 0 ? -1 : 0;
}

/* The root field of the mountinfo line whose mount point ends in suffix. */
static void
mount_root(const char *label, const char *suffix)
{
	char line[1024], root[600] = "?", point[600];
	FILE *f = fopen("/proc/self/mountinfo", "r");

	while (f && fgets(line, sizeof(line), f)) {
		if (sscanf(line, "%*d %*d %*s %599s %599s", root, point) != 2)
			continue;
		size_t a = strlen(point), b = strlen(suffix);
		if (a >= b && !strcmp(point + a - b, suffix))
			break;
		snprintf(root, sizeof(root), "?");
	}
	if (f)
		fclose(f);
	printf("%s: %s\n", label, root);
}

/* "/.." once per component of path ("/" has none) */
static void
ups(const char *path, char *out, size_t n)
{
	out[0] = 0;
	for (const char *c = path; *c; c++)
		if (*c == '/' && c[1])
			strncat(out, "/..", n - strlen(out) - 1);
}

static void
inside(void)
{
	char link0[64] = "", link1[64] = "", a[720], want[700];
	int init_ns = open("/proc/self/ns/cgroup", O_RDONLY);

	snprintf(a, sizeof(a), "%s/a", cg);
	OK("move into a", move_self(a));
	readlink("/proc/self/ns/cgroup", link0, sizeof(link0) - 1);
	OK("unshare(CLONE_NEWCGROUP)", unshare(CLONE_NEWCGROUP));
	readlink("/proc/self/ns/cgroup", link1, sizeof(link1) - 1);
	YN("a new nsfs link", strcmp(link0, link1) != 0 && !strncmp(link1, "cgroup:[", 8));
	print_cgroup("own, at the root", "self");
	/* the test's parent stays in the cgroup the test started in, two levels up */
	char ppid[16];
	snprintf(ppid, sizeof(ppid), "%d", getppid());
	print_cgroup("the parent's", ppid);

	char sub[760];
	snprintf(sub, sizeof(sub), "%s/sub", a);
	OK("mkdir a/sub", mkdir(sub, 0755));
	fflush(stdout);
	int go[2];
	pipe(go);
	pid_t c = fork();
	if (c == 0) {
		char x;
		read(go[0], &x, 1);
		_exit(0);
	}
	char cpid[16];
	snprintf(cpid, sizeof(cpid), "%d", c);
	print_cgroup("a child, inherited", cpid);
	/* moved below, by its parent inside the namespace */
	char p[800], num[16];
	snprintf(p, sizeof(p), "%s/cgroup.procs", sub);
	snprintf(num, sizeof(num), "%d", c);
	int fd = open(p, O_WRONLY);
	OK("move the child into a/sub", fd < 0 ? -1 : write(fd, num, strlen(num)));
	if (fd >= 0)
		close(fd);
	print_cgroup("the child, below", cpid);
	write(go[1], "x", 1);
	waitpid(c, NULL, 0);

	/* cgroup2 mounted inside: rooted at a */
	mkdir("inner", 0755);
	OK("mount cgroup2 inside", mount("none", "inner", "cgroup2", 0, NULL));
	struct stat st;
	YN("inner/sub exists", stat("inner/sub", &st) == 0);
	YN("inner/a absent", stat("inner/a", &st) < 0);
	char ids[64] = "";
	cf_read_text("inner/cgroup.procs", ids, sizeof(ids));
	YN("inner/cgroup.procs lists this process", atoi(ids) == getpid());
	mount_root("the inner mount's root", "/inner");
	/* the mount made outside, at the hierarchy's root */
	ups(self_path, want, sizeof(want));
	strncat(want, "/../..", sizeof(want) - strlen(want) - 1);
	char line[1024], root[600] = "?", point[600];
	FILE *f = fopen("/proc/self/mountinfo", "r");
	while (f && fgets(line, sizeof(line), f))
		if (sscanf(line, "%*d %*d %*s %599s %599s", root, point) == 2 &&
		    strlen(point) > 3 && !strcmp(point + strlen(point) - 3, "/cg"))
			break;
	if (f)
		fclose(f);
	YN("the outer mount's root: /.. per level", !strcmp(root, want));

	OK("umount inner", umount("inner"));
	OK("setns back", setns(init_ns, CLONE_NEWCGROUP));
	cgroup_of("self", want, sizeof(want));
	snprintf(p, sizeof(p), "%s/%s/a", strcmp(self_path, "/") ? self_path : "",
		 strrchr(cg, '/') + 1);
	YN("own path back in full", !strcmp(want, p));
	OK("rmdir a/sub", rmdir(sub));
	OK("move back", move_self(cg));
}

static void
cloned(void)
{
	pid_t c = (pid_t)syscall(SYS_clone, CLONE_NEWCGROUP | SIGCHLD, 0, 0, 0, 0);
	if (c == 0) {
		char own[700];
		cgroup_of("self", own, sizeof(own));
		printf("clone(CLONE_NEWCGROUP) child: %s\n", own);
		fflush(stdout);
		_exit(0);
	}
	if (c < 0)
		printf("clone(CLONE_NEWCGROUP): %s\n", en(errno));
	waitpid(c, NULL, 0);
}

static void
unprivileged(void)
{
	struct __user_cap_header_struct h = { _LINUX_CAPABILITY_VERSION_3, 0 };
	struct __user_cap_data_struct d[2];

	syscall(SYS_capget, &h, d);
	d[0].effective &= ~(1u << CAP_SYS_ADMIN);
	syscall(SYS_capset, &h, d);
	OK("unshare without CAP_SYS_ADMIN", unshare(CLONE_NEWCGROUP));
}

static void
userns_owner(void)
{
	OK("unshare user+mount+cgroup", unshare(CLONE_NEWUSER | CLONE_NEWNS | CLONE_NEWCGROUP));
	mkdir("userns_cg", 0755);
	OK("mount cgroup2 as the user namespace's owner", mount("none", "userns_cg", "cgroup2",
								 0, NULL));
	struct stat st;
	YN("it shows the interface files", stat("userns_cg/cgroup.procs", &st) == 0);
	umount("userns_cg");
}

int
main(void)
{
	cf_init();
	if (!cf_own_mounts())
		return 0;
	cg_setup("ns");
	cgroup_of("self", self_path, sizeof(self_path));
	char a[700];
	OK("mkdir", mkdir(cg, 0755));
	snprintf(a, sizeof(a), "%s/a", cg);
	OK("mkdir a", mkdir(a, 0755));
	cf_in_child("inside", inside);
	cf_in_child("cloned", cloned);
	cf_in_child("unprivileged", unprivileged);
	cf_in_child("userns_owner", userns_owner);
	OK("rmdir a", rmdir(a));
	OK("rmdir", rmdir(cg));
	return 0;
}
