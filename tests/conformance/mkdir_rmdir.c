/* mkdir/rmdir: EEXIST, ENOENT, ENOTEMPTY, ENOTDIR, EINVAL for ".", nlink of parents. */
#include "cf.h"

static long
nlink(const char *p)
{
	struct stat st;
	return stat(p, &st) < 0 ? -1 : (long)st.st_nlink;
}

int
main(void)
{
	struct stat st;

	cf_init();
	R("mkdir d", mkdir("d", 0755));
	R("mkdir d again", mkdir("d", 0755));
	R("nlink d", nlink("d"));
	R("mkdir d/a", mkdir("d/a", 0700));
	R("mkdir d/b/", mkdir("d/b/", 0700));
	R("nlink d with 2 subdirs", nlink("d"));
	stat("d/a", &st);
	printf("mode d/a: %o\n", st.st_mode & 07777);
	umask(077);
	mkdir("d/c", 0777);
	stat("d/c", &st);
	printf("mode d/c under umask 077: %o\n", st.st_mode & 07777);
	umask(022);
	mkdir("d/s", 07777);
	stat("d/s", &st);
	printf("mode d/s 07777: %o\n", st.st_mode & 07777);
	R("mkdir missing/x", mkdir("missing/x", 0755));
	cf_write_file("f", "x", 1);
	R("mkdir f/x", mkdir("f/x", 0755));
	R("mkdir over file", mkdir("f", 0755));
	R("mkdir empty", mkdir("", 0755));
	R("mkdir .", mkdir(".", 0755));
	cf_write_file("d/a/file", "y", 1);
	R("rmdir nonempty", rmdir("d/a"));
	R("rmdir file", rmdir("f"));
	R("rmdir missing", rmdir("missing"));
	R("rmdir .", rmdir("d/a/."));
	R("rmdir ..", rmdir("d/a/.."));
	unlink("d/a/file");
	R("rmdir now empty", rmdir("d/a"));
	R("rmdir again", rmdir("d/a"));
	R("nlink d after rmdir", nlink("d"));
	R("rmdir trailing slash", rmdir("d/b/"));
	symlink("d/c", "lnk");
	R("rmdir symlink to dir", rmdir("lnk"));
	R("mkdirat AT_FDCWD", mkdirat(AT_FDCWD, "e", 0755));
	R("rmdir cwd via path", rmdir(cf_dir));
	R("rmdir /", rmdir("/"));
	return 0;
}
