/* /proc/locks lists the locks held (lslocks reads it): POSIX, OFD and flock locks with
 * their type, owner pid (-1 for OFD), dev:ino as stat shows it and range; a split range
 * shows as two, a released lock goes, a child's lock carries its pid. /proc/swaps: the
 * header line. Only lines about this program's files are looked at (the host has others);
 * they are printed sorted, since Linux's per-CPU lists order them by the CPU that took
 * them. */
#include <stdbool.h>
#include <sys/file.h>
#include <sys/sysmacros.h>
#include <sys/wait.h>

#include "cf.h"

#define NFILES 4
static const char *names[NFILES] = { "a", "b", "c", "d" };
static struct stat st[NFILES];
static pid_t child;

static int
cmp_str(const void *x, const void *y)
{
	return strcmp(*(char *const *)x, *(char *const *)y);
}

/* "KIND ADVISORY TYPE PID DEV:INO START END" with PID as self/child/-1 and DEV:INO as
 * the file's name (or "dev?" when the dev part is not stat's). */
static char *
describe(const char *line, long *id)
{
	char kind[16], adv[16], type[16], start[32], end[32], who[16];
	unsigned maj, min;
	unsigned long ino;
	int pid;

	if (sscanf(line, "%ld: %15s %15s %15s %d %x:%x:%lu %31s %31s", id, kind, adv, type,
		   &pid, &maj, &min, &ino, start, end) != 10)
		return NULL;
	for (int i = 0; i < NFILES; i++) {
		if (st[i].st_ino != ino)
			continue;
		char *out;
		bool dev_ok = makedev(maj, min) == st[i].st_dev;
		snprintf(who, sizeof(who), "%s", pid == getpid() ? "self" : pid == child ? "child" :
			 pid == -1 ? "-1" : "other");
		if (asprintf(&out, "%s %s %s %s %s %s %s", kind, adv, type, who,
			     dev_ok ? names[i] : "dev?", start, end) < 0)
			return NULL;
		return out;
	}
	return NULL;
}

static void
show(const char *label)
{
	FILE *f = fopen("/proc/locks", "r");
	char line[256], *rows[64];
	long id, last = 0;
	int n = 0;
	bool increasing = true;

	printf("%s:\n", label);
	if (!f) {
		printf("  open: %s\n", en(errno));
		return;
	}
	while (fgets(line, sizeof(line), f) && n < 64) {
		char *d = describe(line, &id);
		if (!d)
			continue;
		increasing &= id > last;
		last = id;
		rows[n++] = d;
	}
	fclose(f);
	qsort(rows, n, sizeof(*rows), cmp_str);
	for (int i = 0; i < n; i++) {
		printf("  %s\n", rows[i]);
		free(rows[i]);
	}
	YN("  ids increase", increasing);
}

static int
ofd_lock(int fd, short type, off_t start, off_t len)
{
	struct flock fl = { .l_type = type, .l_whence = SEEK_SET, .l_start = start, .l_len = len };

	return fcntl(fd, F_OFD_SETLK, &fl);
}

static int
posix_lock(int fd, short type, off_t start, off_t len)
{
	struct flock fl = { .l_type = type, .l_whence = SEEK_SET, .l_start = start, .l_len = len };

	return fcntl(fd, F_SETLK, &fl);
}

int
main(void)
{
	int fd[NFILES], p[2], q[2];
	char c;

	cf_init();
	for (int i = 0; i < NFILES; i++) {
		fd[i] = open(names[i], O_RDWR | O_CREAT, 0644);
		fstat(fd[i], &st[i]);
	}
	show("none");
	OK("posix read 5+10", posix_lock(fd[0], F_RDLCK, 5, 10));
	OK("posix write 100+", posix_lock(fd[0], F_WRLCK, 100, 0));
	OK("flock sh", flock(fd[1], LOCK_SH));
	OK("ofd read 3+4", ofd_lock(fd[2], F_RDLCK, 3, 4));
	OK("ofd write 20+1", ofd_lock(fd[2], F_WRLCK, 20, 1));
	show("four kinds");
	OK("posix unlock 8+2", posix_lock(fd[0], F_UNLCK, 8, 2));
	OK("flock ex (conversion)", flock(fd[1], LOCK_EX));
	show("split and converted");

	if (pipe(p) < 0 || pipe(q) < 0)
		return 1;
	child = fork();
	if (child == 0) {
		int d = open("d", O_RDWR);
		flock(d, LOCK_EX);
		posix_lock(d, F_WRLCK, 0, 1);
		write(p[1], "x", 1);
		read(q[0], &c, 1); /* (the parent's byte, once it has looked) */
		_exit(0);
	}
	read(p[0], &c, 1);
	show("child's locks");
	write(q[1], "y", 1);
	waitpid(child, NULL, 0);
	close(fd[0]);
	OK("flock un", flock(fd[1], LOCK_UN));
	show("after close, unlock and the child's exit");

	FILE *s = fopen("/proc/swaps", "r");
	char line[256] = "";
	if (s && fgets(line, sizeof(line), s))
		printf("swaps header: %s", line);
	else
		printf("swaps: %s\n", en(errno));
	if (s)
		fclose(s);
	return 0;
}
