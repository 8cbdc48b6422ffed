/* POSIX ACLs on tmpfs (system.posix_acl_access / system.posix_acl_default): the xattr
 * format and its checks, the mode an access ACL sets, chmod, default ACL inheritance
 * (which replaces the umask), and permission checks for other users. Run as root; natively
 * in a mount namespace of its own on a fresh tmpfs. */
#include <grp.h>
#include <sched.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/mount.h>
#include <sys/wait.h>
#include <sys/xattr.h>
#include "cf.h"

#define ACC "system.posix_acl_access"
#define DEF "system.posix_acl_default"
enum { UO = 1, U = 2, GO = 4, G = 8, M = 0x10, O = 0x20 };
#define UNDEF 0xffffffffu

struct ent {
	uint16_t tag, perm;
	uint32_t id;
};

/* Builds an ACL blob from n entries (tag, perm, id triples); returns its size. */
static size_t
acl(char *buf, int n, const struct ent *e)
{
	uint32_t v = 2;

	memcpy(buf, &v, 4);
	memcpy(buf + 4, e, n * sizeof(*e));
	return 4 + n * sizeof(*e);
}

static void
show_acl(const char *label, const char *path, const char *name)
{
	unsigned char buf[512];
	ssize_t n = getxattr(path, name, buf, sizeof(buf));

	if (n < 0) {
		printf("%s: -1 %s\n", label, en(errno));
		return;
	}
	printf("%s: %zd bytes:", label, n);
	for (ssize_t k = 4; k + 8 <= n; k += 8) {
		struct ent e;

		memcpy(&e, buf + k, 8);
		printf(" %x/%o/%d", e.tag, e.perm, e.id == UNDEF ? -1 : (int)e.id);
	}
	printf("\n");
}

static void
show_mode(const char *label, const char *path)
{
	struct stat st;

	if (stat(path, &st))
		printf("%s: -1 %s\n", label, en(errno));
	else
		printf("%s: %o\n", label, st.st_mode & 07777);
}

/* In a child as uid/gid 65534: open path with flags. */
static void
as_nobody(const char *label, const char *path, int flags, bool group)
{
	pid_t p = fork();

	if (p == 0) {
		if (group) {
			setgroups(0, NULL);
			setgid(65534);
		}
		setuid(65534);
		errno = 0;
		int fd = open(path, flags);
		printf("%s: %s\n", label, fd >= 0 ? "ok" : en(errno));
		fflush(stdout);
		_exit(0);
	}
	waitpid(p, NULL, 0);
}

int
main(void)
{
	char b[256];
	size_t n;

	cf_init();
	if (geteuid() != 0) {
		printf("not root: nothing to check\n");
		return 0;
	}
	chmod(cf_dir, 0755); /* other users reach t/ */
	if (unshare(CLONE_NEWNS) == 0)
		mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL);
	mkdir("t", 0755);
	if (mount("none", "t", "tmpfs", 0, "mode=0755")) {
		printf("mount tmpfs: %s\n", en(errno));
		return 0;
	}
	close(open("t/f", O_CREAT | O_RDWR, 0644));
	mkdir("t/d", 0755);
	symlink("f", "t/l");

	show_acl("no ACL", "t/f", ACC);
	n = acl(b, 6, (struct ent[]){ { UO, 6, UNDEF }, { U, 4, 0 }, { GO, 4, UNDEF },
				     { G, 6, 0 }, { M, 7, UNDEF }, { O, 4, UNDEF } });
	OK("set access ACL", setxattr("t/f", ACC, b, n, 0));
	show_acl("get access ACL", "t/f", ACC);
	R("size query", getxattr("t/f", ACC, NULL, 0));
	R("small buffer", getxattr("t/f", ACC, b, 8));
	show_mode("mode from ACL (mask as group)", "t/f");
	char list[256];
	ssize_t ln = listxattr("t/f", list, sizeof(list));
	YN("listed", ln > 0 && memmem(list, ln, ACC, sizeof(ACC)) != NULL);

	OK("chmod 0460", chmod("t/f", 0460));
	show_acl("ACL after chmod", "t/f", ACC);
	show_mode("mode after chmod", "t/f");

	OK("remove access ACL", removexattr("t/f", ACC));
	show_acl("after remove", "t/f", ACC);
	OK("remove again", removexattr("t/f", ACC));

	n = acl(b, 3, (struct ent[]){ { UO, 7, 5 }, { GO, 5, UNDEF }, { O, 4, UNDEF } });
	OK("set minimal ACL", setxattr("t/f", ACC, b, n, 0));
	show_mode("mode from minimal ACL", "t/f");
	show_acl("minimal ACL not kept", "t/f", ACC);

	/* the format */
	R("one byte", setxattr("t/f", ACC, b, 1, 0));
	uint32_t bad = 3;
	memcpy(b, &bad, 4);
	R("version 3", setxattr("t/f", ACC, b, n, 0));
	n = acl(b, 3, (struct ent[]){ { UO, 7, 5 }, { GO, 5, UNDEF }, { O, 4, UNDEF } });
	R("partial entry", setxattr("t/f", ACC, b, n - 1, 0));
	n = acl(b, 3, (struct ent[]){ { UO, 8, UNDEF }, { GO, 5, UNDEF }, { O, 4, UNDEF } });
	R("perm 010", setxattr("t/f", ACC, b, n, 0));
	n = acl(b, 3, (struct ent[]){ { GO, 5, UNDEF }, { UO, 7, UNDEF }, { O, 4, UNDEF } });
	R("out of order", setxattr("t/f", ACC, b, n, 0));
	n = acl(b, 4, (struct ent[]){ { UO, 7, UNDEF }, { U, 4, 7 }, { GO, 5, UNDEF }, { O, 4, UNDEF } });
	R("named user without mask", setxattr("t/f", ACC, b, n, 0));
	n = acl(b, 4, (struct ent[]){ { UO, 7, UNDEF }, { GO, 5, UNDEF }, { O, 4, UNDEF }, { O, 4, UNDEF } });
	R("two OTHER", setxattr("t/f", ACC, b, n, 0));
	n = acl(b, 3, (struct ent[]){ { UO, 7, UNDEF }, { 0x40, 5, UNDEF }, { O, 4, UNDEF } });
	R("unknown tag", setxattr("t/f", ACC, b, n, 0));
	n = acl(b, 5, (struct ent[]){ { UO, 7, UNDEF }, { U, 4, UNDEF }, { GO, 5, UNDEF }, { M, 7, UNDEF }, { O, 4, UNDEF } });
	R("named user -1", setxattr("t/f", ACC, b, n, 0));
	n = acl(b, 0, NULL);
	R("header only: removal", setxattr("t/f", ACC, b, n, 0));
	R("other system. name", setxattr("t/f", "system.foo", b, n, 0));

	/* symlinks and default ACLs on files */
	n = acl(b, 5, (struct ent[]){ { UO, 6, UNDEF }, { U, 4, 0 }, { GO, 4, UNDEF }, { M, 4, UNDEF }, { O, 4, UNDEF } });
	OK("set through a symlink", setxattr("t/l", ACC, b, n, 0));
	R("lsetxattr on a symlink", lsetxattr("t/l", ACC, b, n, 0));
	R("lgetxattr on a symlink", lgetxattr("t/l", ACC, NULL, 0));
	R("lremovexattr on a symlink", lremovexattr("t/l", ACC));
	R("default ACL on a file", setxattr("t/f", DEF, b, n, 0));
	OK("remove default ACL of a file", removexattr("t/f", DEF));

	/* inheritance: the default ACL replaces the umask */
	n = acl(b, 5, (struct ent[]){ { UO, 7, UNDEF }, { U, 5, 0 }, { GO, 5, UNDEF }, { M, 5, UNDEF }, { O, 5, UNDEF } });
	OK("set default ACL", setxattr("t/d", DEF, b, n, 0));
	show_acl("get default ACL", "t/d", DEF);
	show_acl("dir access ACL", "t/d", ACC);
	umask(077);
	close(open("t/d/c", O_CREAT | O_RDWR, 0666));
	show_mode("child file mode", "t/d/c");
	show_acl("child file access ACL", "t/d/c", ACC);
	show_acl("child file default ACL", "t/d/c", DEF);
	mkdir("t/d/cd", 0777);
	show_mode("child dir mode", "t/d/cd");
	show_acl("child dir access ACL", "t/d/cd", ACC);
	show_acl("child dir default ACL", "t/d/cd", DEF);
	symlink("c", "t/d/cl");
	R("child symlink ACL", lgetxattr("t/d/cl", ACC, NULL, 0));
	mkdir("t/e", 0777);
	show_mode("umask without a default ACL", "t/e");
	umask(022);
	OK("empty value removes the default ACL", setxattr("t/d", DEF, "", 0, 0));
	show_acl("default ACL gone", "t/d", DEF);

	/* permission checks */
	close(open("t/p", O_CREAT | O_RDWR, 0600));
	as_nobody("nobody reads 0600", "t/p", O_RDONLY, false);
	n = acl(b, 5, (struct ent[]){ { UO, 6, UNDEF }, { U, 7, 65534 }, { GO, 0, UNDEF }, { M, 4, UNDEF }, { O, 0, UNDEF } });
	OK("grant nobody rwx, mask r", setxattr("t/p", ACC, b, n, 0));
	show_mode("mode", "t/p");
	as_nobody("nobody reads", "t/p", O_RDONLY, false);
	as_nobody("nobody writes", "t/p", O_WRONLY, false);
	n = acl(b, 5, (struct ent[]){ { UO, 6, UNDEF }, { GO, 0, UNDEF }, { G, 6, 65534 }, { M, 4, UNDEF }, { O, 0, UNDEF } });
	OK("grant group nobody rw, mask r", setxattr("t/p", ACC, b, n, 0));
	as_nobody("group nobody reads", "t/p", O_RDONLY, true);
	as_nobody("group nobody writes", "t/p", O_WRONLY, true);
	as_nobody("other user reads", "t/p", O_RDONLY, false);
	OK("chmod 0666", chmod("t/p", 0666));
	pid_t p = fork();
	if (p == 0) {
		setuid(65534);
		R("non-owner sets an ACL", setxattr("t/p", ACC, b, n, 0));
		R("non-owner removes a file's default ACL", removexattr("t/p", DEF));
		fflush(stdout);
		_exit(0);
	}
	waitpid(p, NULL, 0);

	/* set-group-ID: kept for a member of the group, dropped otherwise (no CAP_FSETID) */
	OK("chown nobody", chown("t/p", 65534, 65534));
	OK("chmod g+s", chmod("t/p", 02750));
	p = fork();
	if (p == 0) {
		setuid(65534); /* the owner now, not privileged, not in group 65534 */
		n = acl(b, 5, (struct ent[]){ { UO, 6, UNDEF }, { U, 4, 0 }, { GO, 4, UNDEF }, { M, 4, UNDEF }, { O, 4, UNDEF } });
		OK("owner sets an ACL", setxattr("t/p", ACC, b, n, 0));
		show_mode("set-group-ID after the owner sets an ACL", "t/p");
		fflush(stdout);
		_exit(0);
	}
	waitpid(p, NULL, 0);
	OK("chown root group", chown("t/p", 65534, 0));
	OK("chmod g+s", chmod("t/p", 02750));
	p = fork();
	if (p == 0) {
		setgroups(0, NULL);
		setgid(65534);
		setuid(65534);
		OK("owner removes the ACL", removexattr("t/p", ACC));
		show_mode("set-group-ID after the owner removes the ACL", "t/p");
		fflush(stdout);
		_exit(0);
	}
	waitpid(p, NULL, 0);
	umount2("t", MNT_DETACH);
	return 0;
}
