/* Following a symlink updates the link's atime (relatime: an atime older than its
 * mtime), as readlink does; open(O_DIRECT) of a directory is EINVAL. */
#include "cf.h"

static long
link_atime(const char *p)
{
	struct stat st;

	return lstat(p, &st) < 0 ? -1 : (long)st.st_atime;
}

int
main(void)
{
	struct timespec old[2] = { { 1000, 0 }, { 1000, 0 } };

	cf_init();
	close(open("target", O_CREAT | O_WRONLY, 0644));
	OK("symlink", symlink("target", "link"));
	OK("set the link's times to 1000", utimensat(AT_FDCWD, "link", old, AT_SYMLINK_NOFOLLOW));
	printf("atime before: %ld\n", link_atime("link"));
	int fd = FD("open through the link", open("link", O_RDONLY));
	close(fd);
	YN("atime moved on after following", link_atime("link") > 1000);
	OK("set the link's times to 1000 again", utimensat(AT_FDCWD, "link", old, AT_SYMLINK_NOFOLLOW));
	struct stat st;
	OK("stat through the link", stat("link", &st));
	YN("atime moved on after stat", link_atime("link") > 1000);
	OK("set the link's times to 1000 again", utimensat(AT_FDCWD, "link", old, AT_SYMLINK_NOFOLLOW));
	OK("lstat", lstat("link", &st));
	YN("lstat left it", link_atime("link") == 1000);

	OK("mkdir", mkdir("d", 0755));
	FD("open dir O_DIRECT", open("d", O_RDONLY | O_DIRECT));
	FD("open dir O_DIRECT|O_PATH", open("d", O_PATH | O_DIRECT));
	FD("open dir O_RDWR|O_DIRECT", open("d", O_RDWR | O_DIRECT));
	return 0;
}
