/* /proc/self/fd links carry the access mode in their permission bits (lsof and ls -l
 * /proc/PID/fd read it): r-x reading, -wx writing, rwx both, none for O_PATH; a reused
 * descriptor number shows its new mode. */
#include "cf.h"

static void
show(const char *label, int fd)
{
	char p[64];
	struct stat st;

	snprintf(p, sizeof(p), "/proc/self/fd/%d", fd);
	if (lstat(p, &st) < 0)
		printf("%s: lstat %s\n", label, en(errno));
	else
		printf("%s: %s %03o\n", label, S_ISLNK(st.st_mode) ? "link" : "not a link",
		       st.st_mode & 07777);
}

int
main(void)
{
	int p[2];

	cf_init();
	cf_write_file("f", "x", 1);
	int r = open("f", O_RDONLY), w = open("f", O_WRONLY), rw = open("f", O_RDWR);
	int pa = open("f", O_PATH), dir = open(".", O_RDONLY | O_DIRECTORY);

	show("O_RDONLY", r);
	show("O_WRONLY", w);
	show("O_RDWR", rw);
	show("O_PATH", pa);
	show("directory", dir);
	pipe(p);
	show("pipe read end", p[0]);
	show("pipe write end", p[1]);
	int nul = open("/dev/null", O_WRONLY | O_APPEND);
	show("/dev/null write-only", nul);
	dup2(w, r);
	show("read slot after dup2 of a write-only fd", r);
	close(r);
	r = open("f", O_RDONLY);
	show("reopened read-only", r);
	return 0;
}
