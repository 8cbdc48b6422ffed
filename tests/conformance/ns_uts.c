/* UTS namespaces: unshare(CLONE_NEWUTS) gives the caller names of its own (uname,
 * /proc/sys/kernel/hostname and domainname follow; earlier children keep the old ones,
 * later ones inherit the new), a new /proc/self/ns/uts (link text and st_ino agree, equal
 * for tasks sharing it); clone(CLONE_NEWUTS) does the same for the child; setns back by
 * an nsfs file or by a pidfd; without CAP_SYS_ADMIN all of it is EPERM. Run as root. */
#include "cf.h"
#include <sched.h>
#include <signal.h>
#include <sys/utsname.h>
#include <sys/wait.h>

static void
link_of(const char *path, char *buf, size_t n)
{
	ssize_t r = readlink(path, buf, n - 1);
	buf[r > 0 ? r : 0] = 0;
}

static void
read_file(const char *path, char *buf, size_t n)
{
	int fd = open(path, O_RDONLY);
	ssize_t r = fd >= 0 ? read(fd, buf, n - 1) : -1;
	buf[r > 0 ? r : 0] = 0;
	if (r > 0 && buf[r - 1] == '\n')
		buf[r - 1] = 0;
	if (fd >= 0)
		close(fd);
}

static char *
nodename(void)
{
	static struct utsname u;
	uname(&u);
	return u.nodename;
}

/* A child that waits on a pipe, then reports its host name. */
static int
waiter(int gate[2], int out[2])
{
	pid_t p = fork();
	if (p == 0) {
		char c, name[65];
		read(gate[0], &c, 1);
		snprintf(name, sizeof(name), "%s", nodename());
		write(out[1], name, strlen(name) + 1);
		_exit(0);
	}
	return p;
}

static int
child_fn(void *arg)
{
	int *p = arg;
	sethostname("ns-clone-child", 14);
	char c;
	write(p[1], "r", 1);
	read(p[2], &c, 1); /* until the parent looked */
	return 0;
}

int
main(void)
{
	char orig[65], l1[64], l2[64], buf[128];
	struct stat a, b;
	int st;

	cf_init();
	setvbuf(stdout, NULL, _IONBF, 0);
	if (geteuid() != 0) {
		printf("not root: nothing to check\n");
		return 0;
	}
	snprintf(orig, sizeof(orig), "%s", nodename());
	link_of("/proc/self/ns/uts", l1, sizeof(l1));
	stat("/proc/self/ns/uts", &a);
	unsigned long id = 0;
	sscanf(l1, "uts:[%lu]", &id);
	YN("link id is st_ino", id == a.st_ino);
	int gate[2], out[2];
	pipe(gate);
	pipe(out);
	pid_t before = waiter(gate, out);
	snprintf(buf, sizeof(buf), "/proc/%d/ns/uts", before);
	link_of(buf, l2, sizeof(l2));
	YN("child's link is ours", !strcmp(l1, l2));
	int oldfd = open("/proc/self/ns/uts", O_RDONLY);

	int r = unshare(CLONE_NEWUTS);
	R("unshare CLONE_NEWUTS", r);
	if (r < 0)
		return 0; /* (never touch the host's names) */
	link_of("/proc/self/ns/uts", l2, sizeof(l2));
	stat("/proc/self/ns/uts", &b);
	YN("new link", strcmp(l1, l2) != 0);
	YN("new st_ino", a.st_ino != b.st_ino);
	sscanf(l2, "uts:[%lu]", &id);
	YN("new link id is st_ino", id == b.st_ino);
	YN("name kept", !strcmp(nodename(), orig));
	R("sethostname", sethostname("ns-test-host", 12));
	R("setdomainname", setdomainname("ns-test-domain", 14));
	printf("uname: %s\n", nodename());
	read_file("/proc/sys/kernel/hostname", buf, sizeof(buf));
	printf("proc hostname: %s\n", buf);
	read_file("/proc/sys/kernel/domainname", buf, sizeof(buf));
	printf("proc domainname: %s\n", buf);
	int fd = open("/proc/sys/kernel/hostname", O_WRONLY);
	R("write proc hostname", write(fd, "ns-proc-host\n", 13));
	close(fd);
	printf("uname after write: %s\n", nodename());

	write(gate[1], "x", 1);
	read(out[0], buf, sizeof(buf));
	YN("earlier child keeps the old name", !strcmp(buf, orig));
	waitpid(before, &st, 0);
	pid_t after = waiter(gate, out);
	write(gate[1], "x", 1);
	read(out[0], buf, sizeof(buf));
	printf("later child: %s\n", buf);
	waitpid(after, &st, 0);

	/* back by the nsfs file, then into a clone(CLONE_NEWUTS) child's by its pidfd */
	R("setns uts", setns(oldfd, CLONE_NEWUTS));
	YN("name back", !strcmp(nodename(), orig));
	link_of("/proc/self/ns/uts", l2, sizeof(l2));
	YN("link back", !strcmp(l1, l2));
	int p[4];
	pipe(p);
	pipe(p + 2);
	int q[3] = { p[0], p[1], p[2] };
	static char stack[65536];
	pid_t c = clone(child_fn, stack + sizeof(stack), CLONE_NEWUTS | SIGCHLD, q);
	R("clone CLONE_NEWUTS", c > 0 ? 0 : -1);
	read(p[0], buf, 1);
	YN("parent's name unchanged", !strcmp(nodename(), orig));
	snprintf(buf, sizeof(buf), "/proc/%d/ns/uts", c);
	link_of(buf, l2, sizeof(l2));
	YN("child's link differs", strcmp(l1, l2) != 0);
	int pfd = syscall(SYS_pidfd_open, c, 0);
	R("setns pidfd CLONE_NEWUTS", setns(pfd, CLONE_NEWUTS));
	printf("joined: %s\n", nodename());
	R("setns pidfd CLONE_NEWUTS|CLONE_NEWIPC", setns(pfd, CLONE_NEWUTS | CLONE_NEWIPC));
	R("setns pidfd 0", setns(pfd, 0));
	write(p[3], "x", 1);
	waitpid(c, &st, 0);
	R("setns uts back", setns(oldfd, 0));
	YN("name back again", !strcmp(nodename(), orig));
	R("setns uts as CLONE_NEWIPC", setns(oldfd, CLONE_NEWIPC));

	/* without privilege */
	pid_t u = fork();
	if (u == 0) {
		setresuid(65534, 65534, 65534);
		R("unprivileged unshare", unshare(CLONE_NEWUTS));
		R("unprivileged setns", setns(oldfd, CLONE_NEWUTS));
		R("unprivileged clone", syscall(SYS_clone, CLONE_NEWUTS | SIGCHLD, 0, 0, 0, 0));
		_exit(0);
	}
	waitpid(u, &st, 0);
	return 0;
}
