/* open/openat2 edge cases: RESOLVE_* flags, O_TMPFILE + linkat, dangling symlinks with O_CREAT|O_EXCL,
 * O_NOFOLLOW, O_DIRECTORY, trailing slashes, ENAMETOOLONG, O_TRUNC on O_RDONLY, O_APPEND + pwrite. */
#include <linux/openat2.h>
#include "cf.h"

static long
oa2(int dfd, const char *p, unsigned long long flags, unsigned long long mode, unsigned long long resolve)
{
	struct open_how h = { .flags = flags, .mode = mode, .resolve = resolve };
	return syscall(SYS_openat2, dfd, p, &h, sizeof(h));
}

static void
fdclose(const char *label, long fd)
{
	if (fd < 0)
		printf("%s: -1 %s\n", label, en(errno));
	else {
		printf("%s: ok\n", label);
		close(fd);
	}
}

int
main(void)
{
	char buf[8192];
	struct stat st;
	int fd, d;

	cf_init();
	cf_write_file("f", "hello", 5);
	mkdir("d", 0755);
	mkdir("d/sub", 0755);
	cf_write_file("d/sub/x", "x", 1);
	symlink("f", "lf");
	symlink("nothere", "dangle");
	symlink("/tmp", "abs");
	symlink("../f", "d/up");
	symlink("sub", "d/lsub");
	d = open("d", O_RDONLY | O_DIRECTORY);

	/* openat2 */
	errno = 0;
	fdclose("openat2 plain", oa2(AT_FDCWD, "f", O_RDONLY, 0, 0));
	fdclose("openat2 mode without creat", oa2(AT_FDCWD, "f", O_RDONLY, 0644, 0));
	fdclose("openat2 unknown flag", oa2(AT_FDCWD, "f", O_RDONLY | (1ULL << 40), 0, 0));
	fdclose("openat2 bad resolve", oa2(AT_FDCWD, "f", O_RDONLY, 0, 1ULL << 30));
	fdclose("openat2 mode high bits", oa2(AT_FDCWD, "new1", O_RDONLY | O_CREAT, 010000000, 0));
	{
		struct open_how h = { .flags = O_RDONLY };
		errno = 0;
		fdclose("openat2 small size", syscall(SYS_openat2, AT_FDCWD, "f", &h, 8));
		char big[64] = {0};
		memcpy(big, &h, sizeof(h));
		fdclose("openat2 big size zero tail", syscall(SYS_openat2, AT_FDCWD, "f", big, sizeof(big)));
		big[40] = 1;
		fdclose("openat2 big size nonzero tail", syscall(SYS_openat2, AT_FDCWD, "f", big, sizeof(big)));
	}
	fdclose("RESOLVE_NO_SYMLINKS lf", oa2(AT_FDCWD, "lf", O_RDONLY, 0, RESOLVE_NO_SYMLINKS));
	fdclose("RESOLVE_NO_SYMLINKS lf O_PATH|O_NOFOLLOW", oa2(AT_FDCWD, "lf", O_PATH | O_NOFOLLOW, 0, RESOLVE_NO_SYMLINKS));
	fdclose("RESOLVE_NO_SYMLINKS d/lsub/x", oa2(AT_FDCWD, "d/lsub/x", O_RDONLY, 0, RESOLVE_NO_SYMLINKS));
	fdclose("RESOLVE_BENEATH sub/x", oa2(d, "sub/x", O_RDONLY, 0, RESOLVE_BENEATH));
	fdclose("RESOLVE_BENEATH ..", oa2(d, "../f", O_RDONLY, 0, RESOLVE_BENEATH));
	fdclose("RESOLVE_BENEATH sub/..", oa2(d, "sub/../sub/x", O_RDONLY, 0, RESOLVE_BENEATH));
	fdclose("RESOLVE_BENEATH abs path", oa2(d, "/tmp", O_RDONLY, 0, RESOLVE_BENEATH));
	fdclose("RESOLVE_BENEATH up link", oa2(d, "up", O_RDONLY, 0, RESOLVE_BENEATH));
	fdclose("RESOLVE_BENEATH lsub/x", oa2(d, "lsub/x", O_RDONLY, 0, RESOLVE_BENEATH));
	fdclose("RESOLVE_IN_ROOT ..", oa2(d, "../../../sub/x", O_RDONLY, 0, RESOLVE_IN_ROOT));
	fdclose("RESOLVE_IN_ROOT up link", oa2(d, "up", O_RDONLY, 0, RESOLVE_IN_ROOT));
	fdclose("RESOLVE_IN_ROOT abs", oa2(d, "/sub/x", O_RDONLY, 0, RESOLVE_IN_ROOT));
	fdclose("RESOLVE_BENEATH|IN_ROOT", oa2(d, "sub", O_RDONLY, 0, RESOLVE_BENEATH | RESOLVE_IN_ROOT));
	fdclose("RESOLVE_NO_MAGICLINKS /proc/self/cwd", oa2(AT_FDCWD, "/proc/self/cwd", O_RDONLY, 0, RESOLVE_NO_MAGICLINKS));
	fdclose("RESOLVE_NO_MAGICLINKS abs", oa2(AT_FDCWD, "abs", O_RDONLY, 0, RESOLVE_NO_MAGICLINKS));
	fdclose("RESOLVE_NO_MAGICLINKS /proc/self/exe", oa2(AT_FDCWD, "/proc/self/exe", O_RDONLY, 0, RESOLVE_NO_MAGICLINKS));
	fdclose("/proc/self/exe", oa2(AT_FDCWD, "/proc/self/exe", O_RDONLY, 0, 0));
	fdclose("O_NOFOLLOW /proc/self/exe", open("/proc/self/exe", O_RDONLY | O_NOFOLLOW));
	fdclose("RESOLVE_NO_XDEV /tmp from cwd", oa2(AT_FDCWD, "f", O_RDONLY, 0, RESOLVE_NO_XDEV));
	fdclose("RESOLVE_NO_XDEV /proc", oa2(AT_FDCWD, "/proc/self", O_RDONLY, 0, RESOLVE_NO_XDEV));
	fdclose("openat2 O_CREAT|O_DIRECTORY", oa2(AT_FDCWD, "nd", O_CREAT | O_DIRECTORY, 0644, 0));

	/* O_CREAT on symlinks */
	fdclose("O_CREAT|O_EXCL dangling", open("dangle", O_WRONLY | O_CREAT | O_EXCL, 0644));
	YN("dangle target created", access("nothere", F_OK) == 0);
	fdclose("O_CREAT dangling", open("dangle", O_WRONLY | O_CREAT, 0644));
	YN("dangle target created now", access("nothere", F_OK) == 0);
	unlink("nothere");
	fdclose("O_CREAT|O_NOFOLLOW dangling", open("dangle", O_WRONLY | O_CREAT | O_NOFOLLOW, 0644));
	fdclose("O_NOFOLLOW lf", open("lf", O_RDONLY | O_NOFOLLOW));
	fdclose("O_NOFOLLOW|O_PATH lf", open("lf", O_PATH | O_NOFOLLOW));
	fdclose("O_NOFOLLOW d/lsub/x (not last)", open("d/lsub/x", O_RDONLY | O_NOFOLLOW));
	fdclose("O_DIRECTORY on file", open("f", O_RDONLY | O_DIRECTORY));
	fdclose("O_DIRECTORY on lf", open("lf", O_RDONLY | O_DIRECTORY));
	fdclose("O_DIRECTORY on d/lsub", open("d/lsub", O_RDONLY | O_DIRECTORY));
	fdclose("O_DIRECTORY|O_NOFOLLOW on d/lsub", open("d/lsub", O_RDONLY | O_DIRECTORY | O_NOFOLLOW));
	fdclose("O_WRONLY on dir", open("d", O_WRONLY));
	fdclose("O_RDWR on dir", open("d", O_RDWR));
	fdclose("O_CREAT on dir", open("d", O_RDONLY | O_CREAT, 0644));
	fdclose("O_CREAT|O_EXCL on dir", open("d", O_RDONLY | O_CREAT | O_EXCL, 0644));
	fdclose("O_CREAT|O_DIRECTORY new", open("newdir", O_RDONLY | O_CREAT | O_DIRECTORY, 0644));
	YN("newdir exists", access("newdir", F_OK) == 0);
	fdclose("O_CREAT|O_DIRECTORY existing dir", open("d", O_RDONLY | O_CREAT | O_DIRECTORY, 0644));
	fdclose("O_CREAT trailing slash new", open("nf/", O_WRONLY | O_CREAT, 0644));
	fdclose("O_CREAT trailing slash existing file", open("f/", O_WRONLY | O_CREAT, 0644));
	fdclose("open f/ rdonly", open("f/", O_RDONLY));
	fdclose("open f/. rdonly", open("f/.", O_RDONLY));
	fdclose("open d/ rdonly", open("d/", O_RDONLY));
	fdclose("open lf/ rdonly", open("lf/", O_RDONLY));
	fdclose("open d/lsub/ rdonly", open("d/lsub/", O_RDONLY));
	fdclose("open dangle/ creat", open("dangle/", O_RDONLY | O_CREAT, 0644));
	fdclose("open empty path", open("", O_RDONLY));
	fdclose("open f/x", open("f/x", O_RDONLY));
	fdclose("open f/x creat", open("f/x", O_RDONLY | O_CREAT, 0644));
	fdclose("open missing/x creat", open("missing/x", O_RDONLY | O_CREAT, 0644));

	/* O_TRUNC on O_RDONLY truncates (Linux does) */
	fd = open("f", O_RDONLY | O_TRUNC);
	fstat(fd, &st);
	printf("O_RDONLY|O_TRUNC size: %ld\n", (long)st.st_size);
	close(fd);
	cf_write_file("f", "hello", 5);
	/* O_APPEND + pwrite appends anyway */
	fd = open("f", O_WRONLY | O_APPEND);
	R("pwrite append at 0", pwrite(fd, "AB", 2, 0));
	R("offset after pwrite", lseek(fd, 0, SEEK_CUR));
	fstat(fd, &st);
	printf("size after pwrite append: %ld\n", (long)st.st_size);
	close(fd);
	fd = open("f", O_RDONLY);
	memset(buf, 0, 16);
	read(fd, buf, 15);
	printf("content: %s\n", buf);
	close(fd);
	/* O_APPEND toggled by fcntl */
	fd = open("f", O_WRONLY);
	R("F_SETFL O_APPEND", fcntl(fd, F_SETFL, O_APPEND));
	R("write after setfl", write(fd, "Z", 1));
	R("off", lseek(fd, 0, SEEK_CUR));
	R("getfl has append", (fcntl(fd, F_GETFL) & O_APPEND) != 0);
	close(fd);

	/* name lengths */
	memset(buf, 'a', 255);
	buf[255] = 0;
	fdclose("create name 255", open(buf, O_WRONLY | O_CREAT, 0644));
	unlink(buf);
	memset(buf, 'a', 256);
	buf[256] = 0;
	fdclose("create name 256", open(buf, O_WRONLY | O_CREAT, 0644));
	fdclose("open name 256", open(buf, O_RDONLY));
	R("mkdir name 256", mkdir(buf, 0755));
	R("stat name 256", stat(buf, &st));
	R("unlink name 256", unlink(buf));
	R("rmdir name 256", rmdir(buf));
	R("symlink target 256 ok", symlink(buf, "longlink"));
	R("rename to name 256", rename("f", buf));
	R("link to name 256", link("f", buf));
	{
		char *p = buf;
		for (int i = 0; i < 2100; i++) {
			*p++ = '.';
			*p++ = '/';
		}
		*p = 0;
		R("stat path 4200", stat(buf, &st));
		buf[4094] = 0;
		R("stat path 4094 (trailing ./.)", stat(buf, &st));
		buf[4095] = 0;
		buf[4094] = '.';
		R("stat path 4095", stat(buf, &st));
		buf[4096] = 0;
		buf[4095] = '/';
		R("stat path 4096", stat(buf, &st));
	}
	/* O_TMPFILE */
	fd = open(".", O_TMPFILE | O_RDWR, 0600);
	if (fd < 0) {
		printf("O_TMPFILE: %s\n", en(errno));
	} else {
		printf("O_TMPFILE: ok\n");
		write(fd, "tmp", 3);
		fstat(fd, &st);
		printf("tmpfile nlink %lu mode %o\n", (unsigned long)st.st_nlink, st.st_mode & 07777);
		R("linkat AT_EMPTY_PATH", linkat(fd, "", AT_FDCWD, "named", AT_EMPTY_PATH));
		char pp[64];
		snprintf(pp, sizeof pp, "/proc/self/fd/%d", fd);
		R("linkat via /proc/self/fd", linkat(AT_FDCWD, pp, AT_FDCWD, "named2", AT_SYMLINK_FOLLOW));
		fstat(fd, &st);
		printf("tmpfile nlink after %lu\n", (unsigned long)st.st_nlink);
		stat("named", &st);
		printf("named size %ld\n", (long)st.st_size);
		close(fd);
	}
	fd = open(".", O_TMPFILE | O_RDWR | O_EXCL, 0600);
	if (fd >= 0) {
		R("linkat O_EXCL tmpfile", linkat(fd, "", AT_FDCWD, "named3", AT_EMPTY_PATH));
		close(fd);
	}
	fdclose("O_TMPFILE rdonly", open(".", O_TMPFILE | O_RDONLY, 0600));
	fdclose("O_TMPFILE on file", open("named", O_TMPFILE | O_RDWR, 0600));
	fdclose("O_TMPFILE missing dir", open("nodir", O_TMPFILE | O_RDWR, 0600));
	fdclose("O_TMPFILE|O_CREAT", open(".", O_TMPFILE | O_CREAT | O_RDWR, 0600));
	/* linkat AT_EMPTY_PATH of a normal file */
	fd = open("named", O_RDONLY);
	R("linkat AT_EMPTY_PATH normal", linkat(fd, "", AT_FDCWD, "named4", AT_EMPTY_PATH));
	R("linkat empty without flag", linkat(fd, "", AT_FDCWD, "named5", 0));
	close(fd);
	R("linkat bad flag", linkat(AT_FDCWD, "named", AT_FDCWD, "named6", 0x10000));
	/* O_PATH fds */
	fd = open("named", O_PATH);
	R("read O_PATH", read(fd, buf, 1));
	R("fstat O_PATH", fstat(fd, &st));
	R("fchmod O_PATH", fchmod(fd, 0600));
	R("fgetxattr O_PATH", fgetxattr(fd, "user.x", buf, 10));
	close(fd);
	/* O_NOATIME as owner */
	fdclose("O_NOATIME owner", open("named", O_RDONLY | O_NOATIME));
	/* creat mode honoring umask and weird mode bits */
	umask(027);
	fd = open("um", O_CREAT | O_WRONLY, 07777);
	fstat(fd, &st);
	printf("um mode %o\n", st.st_mode & 07777);
	close(fd);
	umask(022);
	close(d);
	return 0;
}
