/* /proc/self/fd: entries 0-2 exist, an opened file appears with its path, closes vanish. */
#include <dirent.h>
#include "cf.h"

int
main(void)
{
	char p[64], b[4096];
	struct stat st;

	cf_init();
	for (int i = 0; i < 3; i++) {
		snprintf(p, sizeof(p), "/proc/self/fd/%d", i);
		printf("fd %d exists: %s\n", i, lstat(p, &st) == 0 ? "yes" : "no");
	}
	cf_write_file("myfile", "x", 1);
	int fd = open("myfile", O_RDONLY);
	snprintf(p, sizeof(p), "/proc/self/fd/%d", fd);
	ssize_t n = readlink(p, b, sizeof(b) - 1);
	if (n > 0) {
		b[n] = 0;
		size_t dl = strlen(cf_dir);
		YN("link is scratch dir + /myfile", strncmp(b, cf_dir, dl) == 0 && strcmp(b + dl, "/myfile") == 0);
	} else {
		printf("readlink fd: %s\n", en(errno));
	}
	lstat(p, &st);
	YN("fd entry is a symlink", S_ISLNK(st.st_mode));
	stat(p, &st);
	YN("following gives the file", S_ISREG(st.st_mode) && st.st_size == 1);
	int fd2 = open(p, O_RDONLY);
	char c = 0;
	read(fd2, &c, 1);
	printf("reopen via /proc/self/fd reads: %c\n", c);
	close(fd2);
	unlink("myfile");
	n = readlink(p, b, sizeof(b) - 1);
	if (n > 0) {
		b[n] = 0;
		YN("unlinked file shows (deleted)", strstr(b, " (deleted)") != NULL);
	}
	close(fd);
	printf("after close exists: %s\n", lstat(p, &st) == 0 ? "yes" : "no");
	int nul = open("/dev/null", O_RDONLY);
	snprintf(p, sizeof(p), "/proc/self/fd/%d", nul);
	n = readlink(p, b, sizeof(b) - 1);
	b[n > 0 ? n : 0] = 0;
	printf("/dev/null link: %s\n", b);
	/* the listing contains our fd and "." ".." */
	DIR *d = opendir("/proc/self/fd");
	int seen = 0, dots = 0;
	struct dirent *e;
	snprintf(p, sizeof(p), "%d", nul);
	while ((e = readdir(d))) {
		if (!strcmp(e->d_name, p))
			seen = 1;
		if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
			dots++;
	}
	closedir(d);
	YN("listing has /dev/null fd", seen);
	R("listing dot entries", dots);
	R("readlink fd 9999", readlink("/proc/self/fd/9999", b, sizeof(b)));
	return 0;
}
