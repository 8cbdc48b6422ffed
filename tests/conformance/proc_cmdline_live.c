/* args: one "two three" four */
/* /proc/PID/cmdline is read from the process's memory when it is read, as Linux's
 * get_mm_cmdline does: an argument changed in place shows; a title written over the whole
 * argument area with NUL padding (PostgreSQL's setproctitle) shows as written; one that
 * overwrites the area's last NUL (setproctitle(3) in libbsd, nginx, sshd) reads from the
 * start up to its first NUL, also past the area into the environment. Other processes see
 * the same. (The sentry once showed the arguments of the exec whatever came after: ps
 * listed every PostgreSQL child as "postgres -D ...".) */
#include <stdbool.h>
#include <sys/wait.h>

#include "cf.h"

static char *area;
static size_t area_len;

/* The file's bytes, NULs shown as '|'; argv[0] (a path) is left out when asked; quiet:
 * only whether it runs past the argument area (the environment differs by machine). */
static void
show_how(const char *label, const char *path, bool skip_first, bool quiet)
{
	char buf[8192];
	int fd = open(path, O_RDONLY);
	ssize_t n = fd < 0 ? -1 : read(fd, buf, sizeof(buf));

	if (fd >= 0)
		close(fd);
	if (n < 0) {
		printf("%s: %s\n", label, en(errno));
		return;
	}
	if (quiet) {
		printf("%s: beyond the argument area: %s\n", label, (size_t)n > area_len ? "yes" : "no");
		return;
	}
	size_t from = skip_first ? strnlen(buf, n) : 0;
	printf("%s: %zd bytes, beyond the argument area: %s, \"", label, n,
	       (size_t)n > area_len ? "yes" : "no");
	for (ssize_t i = from; i < n && i < 200; i++)
		putchar(buf[i] ? buf[i] : '|');
	printf("\"\n");
}

static void
show(const char *label, const char *path, bool skip_first)
{
	show_how(label, path, skip_first, false);
}

static void
from_child(const char *label)
{
	char path[64];
	pid_t parent = getpid();

	fflush(stdout);
	if (fork() == 0) {
		snprintf(path, sizeof(path), "/proc/%d/cmdline", (int)parent);
		show(label, path, false);
		fflush(stdout);
		_exit(0);
	}
	wait(NULL);
}

int
main(int argc, char **argv)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	area = argv[0];
	area_len = (size_t)(argv[argc - 1] + strlen(argv[argc - 1]) + 1 - area);

	show("as started", "/proc/self/cmdline", true);
	memcpy(argv[1], "ONE", 3);
	show("argv[1] changed in place", "/proc/self/cmdline", true);

	/* PostgreSQL: the title, then NULs to the end of the area */
	memset(area, 0, area_len);
	strcpy(area, "postgres: checkpointer");
	show("title padded with NULs", "/proc/self/cmdline", false);
	from_child("  seen by a child");

	/* setproctitle(3): the area's last NUL overwritten */
	memset(area, 'x', area_len);
	strcpy(area, "title: short");
	show("title, last byte not NUL", "/proc/self/cmdline", false);
	from_child("  seen by a child");

	/* no NUL left in the area: the text runs on into the environment strings */
	memset(area, 'y', area_len);
	show_how("no NUL in the area", "/proc/self/cmdline", false, true);
	return 0;
}
