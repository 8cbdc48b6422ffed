/* rename/link/unlink/rmdir/mkdir/mknod edge cases: errno ordering, RENAME_* flags, directory
 * nlink counts, hard links of one inode, trailing slashes, "." and "..". */
#include <linux/fs.h>
#include <sys/sysmacros.h>
#include "cf.h"

static long
ren2(const char *a, const char *b, unsigned flags)
{
	return syscall(SYS_renameat2, AT_FDCWD, a, AT_FDCWD, b, flags);
}

static void
nl(const char *label, const char *p)
{
	struct stat st;
	if (lstat(p, &st) < 0)
		printf("%s nlink: %s\n", label, en(errno));
	else
		printf("%s nlink: %lu\n", label, (unsigned long)st.st_nlink);
}

int
main(void)
{
	struct stat st, st2;

	cf_init();
	mkdir("a", 0755);
	mkdir("b", 0755);
	mkdir("full", 0755);
	cf_write_file("full/x", "x", 1);
	cf_write_file("f", "f", 1);
	cf_write_file("g", "g", 1);
	symlink("f", "lf");
	nl("new dir", "a");
	nl("cwd before", ".");
	mkdir("a/s1", 0755);
	mkdir("a/s2", 0755);
	nl("a with 2 subdirs", "a");
	rmdir("a/s2");
	nl("a after rmdir", "a");
	R("rename a/s1 b/s1", rename("a/s1", "b/s1"));
	nl("a after move out", "a");
	nl("b after move in", "b");
	R("rename b/s1 over a (nonempty? no: a empty)", rename("b/s1", "a"));
	nl("b after dir over dir", "b");
	R("stat a", stat("a", &st));
	mkdir("a2", 0755);
	mkdir("a2/in", 0755);
	R("rename dir over nonempty", rename("b", "full"));
	R("rename dir over nonempty a2", rename("b", "a2"));
	R("rename dir over file", rename("b", "f"));
	R("rename file over dir", rename("f", "b"));
	R("rename into own subdir", rename("a2", "a2/in/x"));
	R("rename dir to itself/sub", rename("a2", "a2/new"));
	R("rename to itself", rename("f", "f"));
	R("rename dir to itself", rename("b", "b"));
	R("rename . x", rename(".", "x"));
	R("rename .. x", rename("..", "x"));
	R("rename b .", rename("b", "."));
	R("rename b/. c", rename("b/.", "c"));
	R("rename missing", rename("missing", "x"));
	R("rename missing over file", rename("missing", "f"));
	R("rename into missing dir", rename("f", "nodir/f"));
	R("rename into file", rename("f", "g/f"));
	R("rename f/ g", rename("f/", "g"));
	R("rename f g/", rename("f", "g/"));
	R("rename f newname/", rename("f", "newname/"));
	R("rename b newname/", rename("b", "bb/"));
	R("rename bb/ b/", rename("bb/", "b/"));
	R("rename lf/ x", rename("lf/", "x"));
	link("f", "hf");
	R("rename hard links same inode", rename("f", "hf"));
	YN("both still exist", access("f", F_OK) == 0 && access("hf", F_OK) == 0);
	nl("f", "f");
	R("RENAME_NOREPLACE existing", ren2("f", "g", RENAME_NOREPLACE));
	R("RENAME_NOREPLACE new", ren2("hf", "hf2", RENAME_NOREPLACE));
	R("RENAME_NOREPLACE same", ren2("f", "f", RENAME_NOREPLACE));
	R("RENAME_EXCHANGE missing", ren2("f", "missing", RENAME_EXCHANGE));
	R("RENAME_EXCHANGE f g", ren2("f", "g", RENAME_EXCHANGE));
	{
		char b1[4] = {0};
		int fd = open("f", O_RDONLY);
		read(fd, b1, 3);
		close(fd);
		printf("f now: %s\n", b1);
	}
	R("RENAME_EXCHANGE file dir", ren2("f", "b", RENAME_EXCHANGE));
	YN("f is dir", stat("f", &st) == 0 && S_ISDIR(st.st_mode));
	R("RENAME_EXCHANGE back", ren2("f", "b", RENAME_EXCHANGE));
	R("RENAME_EXCHANGE dir into own sub", ren2("a2", "a2/in", RENAME_EXCHANGE));
	R("RENAME_EXCHANGE|NOREPLACE", ren2("f", "g", RENAME_EXCHANGE | RENAME_NOREPLACE));
	R("RENAME_WHITEOUT|EXCHANGE", ren2("f", "g", RENAME_WHITEOUT | RENAME_EXCHANGE));
	R("renameat2 bad flag", ren2("f", "g", 0x100));
	R("RENAME_EXCHANGE same", ren2("f", "f", RENAME_EXCHANGE));
	R("rename /proc to cwd EXDEV", rename("/proc/self", "x"));
	R("rename cwd file to /dev/shm-ish", rename("g", "/proc/x"));
	/* link */
	R("link dir", link("b", "blink"));
	R("link existing", link("f", "g"));
	R("link missing", link("missing", "x"));
	R("link trailing slash new", link("f", "newl/"));
	R("link f/ x", link("f/", "x"));
	R("link into missing dir", link("f", "nodir/x"));
	R("link symlink (no follow)", link("lf", "lf2"));
	R("lstat lf2 is link", lstat("lf2", &st) == 0 && S_ISLNK(st.st_mode));
	R("linkat follow", linkat(AT_FDCWD, "lf", AT_FDCWD, "lf3", AT_SYMLINK_FOLLOW));
	R("lstat lf3 is reg", lstat("lf3", &st) == 0 && S_ISREG(st.st_mode));
	nl("f after links", "f");
	/* unlink / rmdir */
	R("unlink dir", unlink("b"));
	R("unlink f/", unlink("f/"));
	R("unlink lf/", unlink("lf/"));
	R("unlink missing", unlink("missing"));
	R("unlink .", unlink("."));
	R("unlink empty", unlink(""));
	R("rmdir file", rmdir("f"));
	R("rmdir .", rmdir("."));
	R("rmdir ..", rmdir(".."));
	R("rmdir b/.", rmdir("b/."));
	R("rmdir b/..", rmdir("b/.."));
	R("rmdir nonempty", rmdir("full"));
	R("rmdir symlink to dir", (symlink("b", "lb"), rmdir("lb")));
	R("rmdir lb/", rmdir("lb/"));
	R("rmdir b/ (trailing)", rmdir("b/"));
	R("rmdir b again", rmdir("b"));
	R("unlinkat AT_REMOVEDIR file", unlinkat(AT_FDCWD, "f", AT_REMOVEDIR));
	R("unlinkat bad flag", unlinkat(AT_FDCWD, "f", 1));
	/* mkdir */
	R("mkdir trailing slash", mkdir("m1/", 0755));
	R("mkdir trailing slashes", mkdir("m2///", 0755));
	R("mkdir existing file", mkdir("f", 0755));
	R("mkdir existing file/", mkdir("f/", 0755));
	R("mkdir on symlink", mkdir("lf", 0755));
	R("mkdir on dangling symlink", (symlink("nowhere", "dl"), mkdir("dl", 0755)));
	R("mkdir .", mkdir(".", 0755));
	R("mkdir ..", mkdir("..", 0755));
	R("mkdir missing/x", mkdir("missing/x", 0755));
	R("mkdir f/x", mkdir("f/x", 0755));
	R("mkdir empty", mkdir("", 0755));
	mkdir("m3", 07777);
	stat("m3", &st);
	printf("mkdir 07777 mode: %o\n", st.st_mode & 07777);
	/* mknod */
	R("mknod fifo", mknod("fifo", S_IFIFO | 0644, 0));
	R("mknod reg", mknod("reg", S_IFREG | 0644, 0));
	R("mknod default type", mknod("reg0", 0644, 0));
	stat("reg0", &st);
	YN("reg0 is reg", S_ISREG(st.st_mode));
	R("mknod sock", mknod("sock", S_IFSOCK | 0644, 0));
	R("mknod dir", mknod("dirn", S_IFDIR | 0755, 0));
	R("mknod bad type", mknod("bad", 0170000 | 0644, 0));
	R("mknod existing", mknod("f", S_IFIFO | 0644, 0));
	R("mknod trailing slash", mknod("fifo2/", S_IFIFO | 0644, 0));
	/* symlink */
	R("symlink empty target", symlink("", "es"));
	R("symlink existing", symlink("x", "f"));
	R("symlink trailing slash", symlink("x", "sl/"));
	R("readlink file", readlink("f", (char[8]){0}, 8));
	{
		char b1[8];
		R("readlink size 0", readlink("lf", b1, 0));
		R("readlink size 1", readlink("lf", b1, 1));
	}
	/* dir inode numbers */
	stat(".", &st);
	stat("m3/..", &st2);
	YN("m3/.. is .", st.st_ino == st2.st_ino);
	stat("m3/.", &st2);
	stat("m3", &st);
	YN("m3/. is m3", st.st_ino == st2.st_ino);
	return 0;
}
