/* nsfs's NS_GET_USERNS and NS_GET_PARENT hand out a user namespace only in the caller's
 * scope (Linux ns_get_owner: the caller's own user namespace or one below it): in a new
 * user namespace, its own file's owner (the parent) and the owner of the namespaces it
 * kept (made in the parent) are EPERM, a network namespace it makes is owned by it; from
 * outside, the child's user namespace is below ours and owns its network namespace. The sandbox
 * gave out user namespaces above the caller instead (util-linux's lsns ioctl_ns test).
 * Run as root. */
#include "cf.h"
#include <linux/nsfs.h>
#include <sched.h>
#include <signal.h>
#include <sys/ioctl.h>
#include <sys/wait.h>

/* "label: same as PATH" when NS ioctl req on fd gives the namespace PATH names */
static void
owner_is(const char *label, int fd, unsigned long req, const char *path)
{
	struct stat want, got;
	int o = ioctl(fd, req);

	if (o < 0) {
		printf("%s: -1 %s\n", label, en(errno));
		return;
	}
	fstat(o, &got);
	printf("%s: %s\n", label, stat(path, &want) == 0 && want.st_ino == got.st_ino ?
				   "the expected one" : "another");
	close(o);
}

static int
ns_fd(const char *kind)
{
	char path[64];

	snprintf(path, sizeof(path), "/proc/self/ns/%s", kind);
	return open(path, O_RDONLY);
}

int
main(void)
{
	int p[2], q[2];

	cf_init();
	if (geteuid() != 0) {
		printf("not root: nothing to check\n");
		return 0;
	}
	if (pipe(p) < 0 || pipe(q) < 0)
		return 1;
	pid_t pid = fork();
	if (pid == 0) {
		char c;
		if (unshare(CLONE_NEWUSER) < 0) {
			printf("unshare user: %s\n", en(errno));
			_exit(0);
		}
		int u = ns_fd("user"), pd = ns_fd("pid"), n = ns_fd("net");
		owner_is("own user NS_GET_USERNS", u, NS_GET_USERNS, "/proc/self/ns/user");
		owner_is("own user NS_GET_PARENT", u, NS_GET_PARENT, "/proc/self/ns/user");
		owner_is("kept pid NS_GET_USERNS", pd, NS_GET_USERNS, "/proc/self/ns/user");
		owner_is("kept net NS_GET_USERNS", n, NS_GET_USERNS, "/proc/self/ns/user");
		if (unshare(CLONE_NEWNET) < 0)
			printf("unshare net: %s\n", en(errno));
		int n2 = ns_fd("net");
		owner_is("new net NS_GET_USERNS", n2, NS_GET_USERNS, "/proc/self/ns/user");
		fflush(stdout);
		if (write(p[1], "x", 1) < 0 || read(q[0], &c, 1) < 0)
			_exit(1);
		_exit(0);
	}
	char c, path[64];
	if (read(p[0], &c, 1) != 1) {
		waitpid(pid, NULL, 0);
		return 0;
	}
	/* from outside: the child's user namespace is below ours */
	snprintf(path, sizeof(path), "/proc/%d/ns/user", (int)pid);
	int cu = open(path, O_RDONLY);
	owner_is("child user NS_GET_USERNS", cu, NS_GET_USERNS, "/proc/self/ns/user");
	owner_is("child user NS_GET_PARENT", cu, NS_GET_PARENT, "/proc/self/ns/user");
	snprintf(path, sizeof(path), "/proc/%d/ns/net", (int)pid);
	int cn = open(path, O_RDONLY);
	char upath[64];
	snprintf(upath, sizeof(upath), "/proc/%d/ns/user", (int)pid);
	owner_is("child net NS_GET_USERNS", cn, NS_GET_USERNS, upath);
	if (write(q[1], "x", 1) < 0)
		return 1;
	waitpid(pid, NULL, 0);
	return 0;
}
