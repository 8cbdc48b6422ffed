/* Extended attributes: set/get/list/remove on paths, links and descriptors; flags,
 * namespaces, size queries, ERANGE/E2BIG/ENODATA, files that cannot have user.*, and a
 * child with dropped privileges (trusted.* hidden, security.* read-only, sticky dirs). */
#include <sys/wait.h>
#include <sys/xattr.h>

#include "cf.h"

/* Prints the names listxattr returns, sorted (filesystems order them differently). */
static void
show_list(const char *label, ssize_t n, char *buf)
{
	char *names[64];
	int k = 0;

	if (n < 0) {
		printf("%s: -1 %s\n", label, en(errno));
		return;
	}
	for (char *p = buf; p < buf + n && k < 64; p += strlen(p) + 1)
		names[k++] = p;
	for (int i = 1; i < k; i++)
		for (int j = i; j > 0 && strcmp(names[j - 1], names[j]) > 0; j--) {
			char *tmp = names[j];
			names[j] = names[j - 1];
			names[j - 1] = tmp;
		}
	printf("%s: %zd [", label, n);
	for (int i = 0; i < k; i++)
		printf("%s%s", i ? " " : "", names[i]);
	printf("]\n");
}

static void
show_get(const char *label, ssize_t n, const char *buf)
{
	if (n < 0)
		printf("%s: -1 %s\n", label, en(errno));
	else
		printf("%s: %zd \"%.*s\"\n", label, n, (int)n, buf);
}

static void
unprivileged(void)
{
	char buf[256];
	int r = setgid(65534) == 0 && setuid(65534) == 0;

	printf("child dropped privileges: %s\n", r ? "yes" : "no");
	R("child set user.* without write permission", setxattr("f", "user.c", "v", 1, 0));
	show_get("child get user.a", getxattr("f", "user.a", buf, sizeof(buf)), buf);
	R("child set trusted.*", setxattr("f", "trusted.t", "v", 1, 0));
	show_get("child get trusted.t", getxattr("f", "trusted.t", buf, sizeof(buf)), buf);
	R("child set security.*", setxattr("f", "security.s", "v", 1, 0));
	show_get("child get security.s", getxattr("f", "security.s", buf, sizeof(buf)), buf);
	R("child remove security.s", removexattr("f", "security.s"));
	show_list("child list", listxattr("f", buf, sizeof(buf)), buf);
	R("child set user.* on a sticky dir of another", setxattr("sticky", "user.x", "v", 1, 0));
	R("child set user.* in a file it may write", setxattr("open", "user.x", "v", 1, 0));
	show_get("child get it back", getxattr("open", "user.x", buf, sizeof(buf)), buf);
}

int
main(void)
{
	char buf[256], big[300];
	static char huge[65537];

	cf_init();
	cf_write_file("f", "data", 4);

	R("set user.a", setxattr("f", "user.a", "v1", 2, 0));
	R("query size", getxattr("f", "user.a", NULL, 0));
	show_get("get", getxattr("f", "user.a", buf, sizeof(buf)), buf);
	R("get into 1 byte", getxattr("f", "user.a", buf, 1));
	R("XATTR_CREATE existing", setxattr("f", "user.a", "v2", 2, XATTR_CREATE));
	R("XATTR_REPLACE missing", setxattr("f", "user.b", "v2", 2, XATTR_REPLACE));
	R("XATTR_REPLACE existing", setxattr("f", "user.a", "value2", 6, XATTR_REPLACE));
	show_get("get replaced", getxattr("f", "user.a", buf, sizeof(buf)), buf);
	R("XATTR_CREATE new", setxattr("f", "user.b", "", 0, XATTR_CREATE));
	R("empty value size", getxattr("f", "user.b", buf, sizeof(buf)));
	R("bad flags", setxattr("f", "user.c", "v", 1, 4));
	R("empty name", setxattr("f", "", "v", 1, 0));
	memset(big, 'n', sizeof(big));
	memcpy(big, "user.", 5);
	big[255] = '\0';
	R("name of 255 bytes", setxattr("f", big, "v", 1, 0));
	R("get it", getxattr("f", big, buf, sizeof(buf)));
	R("remove it", removexattr("f", big));
	big[255] = 'n';
	big[256] = '\0';
	R("name of 256 bytes", setxattr("f", big, "v", 1, 0));
	R("get with a 256-byte name", getxattr("f", big, buf, sizeof(buf)));
	R("value of 64 KiB + 1", setxattr("f", "user.h", huge, sizeof(huge), 0));
	R("unknown namespace", setxattr("f", "foo.bar", "v", 1, 0));
	R("bare prefix", setxattr("f", "user.", "v", 1, 0));
	R("get unknown namespace", getxattr("f", "foo.bar", buf, sizeof(buf)));
	R("get missing", getxattr("f", "user.zz", buf, sizeof(buf)));
	R("set bad value pointer", setxattr("f", "user.c", cf_unmapped(), 4, 0));
	R("set bad name pointer", setxattr("f", cf_unmapped(), "v", 1, 0));
	R("get bad buffer", getxattr("f", "user.a", cf_unmapped(), 64));
	R("missing file", setxattr("nope", "user.a", "v", 1, 0));
	R("get missing file", getxattr("nope", "user.a", buf, sizeof(buf)));

	R("list size", listxattr("f", NULL, 0));
	show_list("list", listxattr("f", buf, sizeof(buf)), buf);
	R("list into 3 bytes", listxattr("f", buf, 3));
	R("remove user.b", removexattr("f", "user.b"));
	R("remove user.b again", removexattr("f", "user.b"));
	R("remove unknown namespace", removexattr("f", "foo.bar"));
	show_list("list after remove", listxattr("f", buf, sizeof(buf)), buf);

	symlink("f", "link");
	show_get("get through a link", getxattr("link", "user.a", buf, sizeof(buf)), buf);
	R("lset user.* on a link", lsetxattr("link", "user.x", "v", 1, 0));
	R("lget user.* on a link", lgetxattr("link", "user.a", buf, sizeof(buf)));
	show_list("llist on a link", llistxattr("link", buf, sizeof(buf)), buf);
	R("lremove user.* on a link", lremovexattr("link", "user.a"));
	R("set through a dangling link", setxattr(({ symlink("gone", "dangling"); "dangling"; }), "user.a", "v", 1, 0));
	mkfifo("fifo", 0644);
	R("set user.* on a fifo", setxattr("fifo", "user.x", "v", 1, 0));
	R("get user.* on a fifo", getxattr("fifo", "user.x", buf, sizeof(buf)));
	mkdir("dir", 0755);
	R("set user.* on a directory", setxattr("dir", "user.d", "dir", 3, 0));
	show_get("get on a directory", getxattr("dir/", "user.d", buf, sizeof(buf)), buf);

	int fd = open("f", O_RDONLY);
	R("fset on a read-only descriptor", fsetxattr(fd, "user.fd", "x", 1, 0));
	show_get("fget", fgetxattr(fd, "user.fd", buf, sizeof(buf)), buf);
	show_list("flist", flistxattr(fd, buf, sizeof(buf)), buf);
	R("fremove", fremovexattr(fd, "user.fd"));
	R("fget bad fd", fgetxattr(9999, "user.a", buf, sizeof(buf)));
	R("flist bad fd", flistxattr(9999, buf, sizeof(buf)));
	int op = open("f", O_PATH);
	R("fget on O_PATH", fgetxattr(op, "user.a", buf, sizeof(buf)));
	int pfd[2];
	pipe(pfd);
	R("fget on a pipe", fgetxattr(pfd[0], "user.a", buf, sizeof(buf)));
	R("fset on a pipe", fsetxattr(pfd[0], "user.a", "v", 1, 0));
	R("flist on a pipe", flistxattr(pfd[0], buf, sizeof(buf)));
	R("get on /proc/self/status", getxattr("/proc/self/status", "user.a", buf, sizeof(buf)));
	R("list on /proc/self/status", listxattr("/proc/self/status", buf, sizeof(buf)));

	/* privileged namespaces (results depend on who runs the test: the same both ways) */
	int root = geteuid() == 0;
	R("set trusted.t", setxattr("f", "trusted.t", "tv", 2, 0));
	R("set security.s", setxattr("f", "security.s", "sv", 2, 0));
	show_get("get security.s", getxattr("f", "security.s", buf, sizeof(buf)), buf);
	show_list("list with privileged names", listxattr("f", buf, sizeof(buf)), buf);
	printf("privileged: %s\n", root ? "yes" : "no");

	cf_write_file("open", "", 0);
	chmod("open", 0666);
	chmod(".", 0777);
	mkdir("sticky", 01777);
	fflush(stdout);
	pid_t p = fork();
	if (p == 0) {
		unprivileged();
		fflush(stdout);
		_exit(0);
	}
	waitpid(p, NULL, 0);
	return 0;
}
