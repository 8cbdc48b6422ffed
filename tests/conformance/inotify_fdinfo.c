/*
 * /proc/self/fdinfo of an inotify descriptor: one "inotify wd:... ino:... sdev:... mask:..."
 * line per watch, with the watch's mask and flags, the inode's number (hex) and the
 * device as the kernel encodes it (major << 20 | minor), as st_dev says.
 */
#include <sys/inotify.h>
#include <sys/sysmacros.h>

#include "cf.h"

int
main(void)
{
	char path[64], buf[4096];
	struct stat a, b;
	int fd, f, n;

	cf_init();
	mkdir("d", 0755);
	cf_write_file("file", "x", 1);
	fd = inotify_init1(IN_NONBLOCK);
	inotify_add_watch(fd, "d", IN_CREATE | IN_ONESHOT);
	inotify_add_watch(fd, "file", IN_MODIFY | IN_EXCL_UNLINK);
	stat("d", &a);
	stat("file", &b);
	snprintf(path, sizeof(path), "/proc/self/fdinfo/%d", fd);
	f = open(path, O_RDONLY);
	n = read(f, buf, sizeof(buf) - 1);
	buf[n > 0 ? n : 0] = '\0';
	int lines = 0;
	for (char *l = strstr(buf, "inotify wd:"); l; l = strstr(l + 1, "inotify wd:")) {
		int wd;
		unsigned long ino;
		unsigned sdev, mask;
		if (sscanf(l, "inotify wd:%x ino:%lx sdev:%x mask:%x", &wd, &ino, &sdev, &mask) != 4) {
			printf("unparsed line\n");
			continue;
		}
		struct stat *s = ino == a.st_ino ? &a : ino == b.st_ino ? &b : NULL;
		printf("wd %d mask %x inode %s dev matches %s\n", wd, mask,
		       s == &a ? "d" : s == &b ? "file" : "?",
		       s && sdev == ((major(s->st_dev) << 20) | minor(s->st_dev)) ? "yes" : "no");
		lines++;
	}
	printf("watch lines: %d\n", lines);
	YN("ignored_mask shown", strstr(buf, "ignored_mask:0") != NULL);
	return 0;
}
