/* user.* extended attributes only (what every writable filesystem here keeps, host
 * directories too): set/get/list/remove, flags, sizes, ERANGE, symlinks and FIFOs, fds. */
#include <sys/xattr.h>
#include "cf.h"

static void
list(const char *label, const char *p)
{
	char b[1024], *names[32];
	ssize_t n = listxattr(p, b, sizeof b);
	int k = 0;

	if (n < 0) {
		printf("%s: %s\n", label, en(errno));
		return;
	}
	for (ssize_t i = 0; i < n && k < 32; i += strlen(b + i) + 1)
		if (!strncmp(b + i, "user.", 5))
			names[k++] = b + i;
	for (int i = 0; i < k; i++)
		for (int j = i + 1; j < k; j++)
			if (strcmp(names[i], names[j]) > 0) {
				char *x = names[i];
				names[i] = names[j];
				names[j] = x;
			}
	printf("%s:", label);
	for (int i = 0; i < k; i++)
		printf(" %s", names[i]);
	printf("\n");
}

int
main(void)
{
	char buf[4096];
	cf_init();
	cf_write_file("f", "x", 1);
	mkdir("d", 0755);
	symlink("f", "l");
	mkfifo("p", 0644);
	R("set user.a", setxattr("f", "user.a", "v1", 2, 0));
	R("size query", getxattr("f", "user.a", NULL, 0));
	R("get", getxattr("f", "user.a", buf, sizeof buf));
	R("get small buffer", getxattr("f", "user.a", buf, 1));
	R("XATTR_CREATE existing", setxattr("f", "user.a", "v", 1, XATTR_CREATE));
	R("XATTR_REPLACE missing", setxattr("f", "user.b", "v", 1, XATTR_REPLACE));
	R("XATTR_REPLACE existing", setxattr("f", "user.a", "value2", 6, XATTR_REPLACE));
	R("get replaced", getxattr("f", "user.a", buf, sizeof buf));
	R("empty value", setxattr("f", "user.e", "", 0, 0));
	R("get empty", getxattr("f", "user.e", buf, sizeof buf));
	memset(buf, 7, 1000);
	R("1000-byte value", setxattr("f", "user.big", buf, 1000, 0));
	R("get it", getxattr("f", "user.big", buf, sizeof buf));
	R("binary value with NUL", setxattr("f", "user.bin", "a\0b", 3, 0));
	R("get binary", getxattr("f", "user.bin", buf, sizeof buf));
	printf("binary ok: %s\n", !memcmp(buf, "a\0b", 3) ? "yes" : "no");
	list("list f", "f");
	R("list size", listxattr("f", NULL, 0) > 0 ? 0 : -1);
	R("list too small", listxattr("f", buf, 3));
	R("get missing", getxattr("f", "user.zz", buf, sizeof buf));
	R("remove missing", removexattr("f", "user.zz"));
	R("remove user.e", removexattr("f", "user.e"));
	list("list after remove", "f");
	R("bare prefix", setxattr("f", "user.", "v", 1, 0));
	R("bad flags", setxattr("f", "user.c", "v", 1, 4));
	R("set on dir", setxattr("d", "user.d", "dv", 2, 0));
	R("get on dir", getxattr("d", "user.d", buf, sizeof buf));
	R("set on fifo", setxattr("p", "user.p", "v", 1, 0));
	R("get on fifo", getxattr("p", "user.p", buf, sizeof buf));
	R("lset on symlink", lsetxattr("l", "user.l", "v", 1, 0));
	R("lget on symlink", lgetxattr("l", "user.l", buf, sizeof buf));
	R("get through symlink", getxattr("l", "user.a", buf, sizeof buf));
	int fd = open("f", O_RDONLY);
	R("fget", fgetxattr(fd, "user.a", buf, sizeof buf));
	R("fset on O_RDONLY", fsetxattr(fd, "user.fd", "1", 1, 0));
	R("fremove", fremovexattr(fd, "user.fd"));
	close(fd);
	R("rename keeps them", (rename("f", "g"), getxattr("g", "user.a", buf, sizeof buf)));
	link("g", "h");
	R("hard link shares them", getxattr("h", "user.a", buf, sizeof buf));
	R("get on missing file", getxattr("nope", "user.a", buf, sizeof buf));
	return 0;
}
