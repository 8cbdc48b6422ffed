/* Path resolution edge cases: trailing slashes, ".", "..", "//", empty, ENAMETOOLONG, ENOTDIR. */
#include <limits.h>
#include "cf.h"

int
main(void)
{
	struct stat st;
	char big[PATH_MAX + 100];

	cf_init();
	mkdir("d", 0755);
	cf_write_file("d/f", "x", 1);
	cf_write_file("f", "x", 1);
	symlink("d", "ld");
	symlink("f", "lf");
	R("stat d/", stat("d/", &st));
	R("stat d//", stat("d//", &st));
	R("stat d/.", stat("d/.", &st));
	R("stat d/..", stat("d/..", &st));
	R("stat d/./f", stat("d/./f", &st));
	R("stat d/../d/f", stat("d/../d/f", &st));
	R("stat d//f", stat("d//f", &st));
	R("stat f/", stat("f/", &st));
	R("stat f/.", stat("f/.", &st));
	R("stat f/..", stat("f/..", &st));
	R("stat d/f/", stat("d/f/", &st));
	R("stat ld/", stat("ld/", &st));
	R("lstat ld/ (follows)", lstat("ld/", &st));
	YN("lstat ld/ is dir", S_ISDIR(st.st_mode));
	R("stat lf/", stat("lf/", &st));
	R("stat empty", stat("", &st));
	R("stat missing/x", stat("missing/x", &st));
	R("stat f/x", stat("f/x", &st));
	R("stat /..", stat("/..", &st));
	R("stat /../../..", stat("/../../..", &st));
	R("stat ///", stat("///", &st));
	R("stat .", stat(".", &st));
	R("stat ..", stat("..", &st));
	memset(big, 'a', 256);
	big[256] = 0;
	R("component 256 bytes", stat(big, &st));
	R("open component 256 O_CREAT", open(big, O_CREAT | O_WRONLY, 0644));
	big[255] = 0;
	int fd = open(big, O_CREAT | O_WRONLY, 0644);
	YN("component 255 bytes creatable", fd >= 0);
	close(fd);
	unlink(big);
	for (int i = 0; i < PATH_MAX + 50; i += 2) {
		big[i] = 'd';
		big[i + 1] = '/';
	}
	big[PATH_MAX + 50] = 0;
	R("path > PATH_MAX", stat(big, &st));
	/* exactly PATH_MAX bytes without NUL fits no buffer */
	memset(big, '/', PATH_MAX);
	big[PATH_MAX] = 0;
	R("PATH_MAX slashes", stat(big, &st));
	big[PATH_MAX - 1] = 0;
	R("PATH_MAX-1 slashes", stat(big, &st));
	R("mkdir d/../e/", mkdir("d/../e/", 0755));
	R("rmdir e/.", rmdir("e/."));
	R("rmdir e/..", rmdir("e/.."));
	R("open \".\" O_WRONLY", open(".", O_WRONLY));
	R("mkdir d/new/.", mkdir("d/new/.", 0755));
	R("mkdir d/new/..", mkdir("d/new/..", 0755));
	R("stat /dev/null/", stat("/dev/null/", &st));
	return 0;
}
