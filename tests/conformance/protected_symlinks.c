/* fs.protected_symlinks (on, as distributions set it): in a sticky world-writable
 * directory, a symlink that is a path's last component is followed only by its owner or
 * when it belongs to the directory's owner; root is refused too (EACCES). A symlink
 * within the path, or in a directory that is not sticky, is followed. Needs root. */
#include "cf.h"

static void
try_open(const char *label, const char *path)
{
	int fd = open(path, O_RDONLY);

	printf("%s: %s\n", label, fd >= 0 ? "ok" : en(errno));
	if (fd >= 0)
		close(fd);
}

int
main(void)
{
	char buf[8];

	if (geteuid() != 0) {
		printf("not root\n");
		return 0;
	}
	cf_init();
	chmod(".", 0755); /* (uid 1000 walks it below) */
	mkdir("sticky", 01777);
	chmod("sticky", 01777);
	mkdir("plain", 0777);
	chmod("plain", 0777);
	mkdir("dir", 0755);
	close(open("target", O_CREAT | O_WRONLY, 0644));
	chmod("target", 0644);
	symlink("../target", "sticky/theirs");
	lchown("sticky/theirs", 1000, 1000);
	symlink("../target", "sticky/mine");
	symlink("../dir", "sticky/theirs_dir");
	lchown("sticky/theirs_dir", 1000, 1000);
	symlink("../target", "plain/theirs");
	lchown("plain/theirs", 1000, 1000);

	try_open("root follows uid 1000's link in a sticky dir", "sticky/theirs");
	try_open("root follows its own link there", "sticky/mine");
	try_open("uid 1000's link to a dir, within a path", "sticky/theirs_dir/.");
	try_open("uid 1000's link in a plain 0777 dir", "plain/theirs");
	printf("readlink: %s\n", readlink("sticky/theirs", buf, sizeof(buf)) > 0 ? "ok" : en(errno));
	printf("O_NOFOLLOW|O_PATH: %s\n",
	       open("sticky/theirs", O_PATH | O_NOFOLLOW) >= 0 ? "ok" : en(errno));
	/* the directory owned by uid 1000 too: its owner's links are followed */
	chown("sticky", 1000, 1000);
	try_open("the sticky dir's owner's link", "sticky/theirs");
	chown("sticky", 0, 0);
	if (seteuid(1000) == 0) {
		try_open("uid 1000 follows its own link", "sticky/theirs");
		try_open("uid 1000 follows root's link (the dir is root's)", "sticky/mine");
		seteuid(0);
	}
	char v[8] = "";
	int fd = open("/proc/sys/fs/protected_symlinks", O_RDONLY);
	if (fd >= 0 && read(fd, v, sizeof(v) - 1) > 0)
		printf("protected_symlinks: %s", v);
	cf_cleanup();
	return 0;
}
