/* A directory tree deeper than PATH_MAX, reached only through directory fds (each call's
 * own path stays short, as `rm -rf`, git and gnulib's tests make them): files made, written,
 * read, renamed, linked, chmod-ed, listed and removed at the bottom; getcwd and a /proc fd
 * link there (ENAMETOOLONG), a path string longer than PATH_MAX (ENAMETOOLONG); the tree
 * removed from the bottom up. Runs in its scratch directory (tests/security/rw_conformance.sh
 * also runs it in a --rw host directory). */
#include "cf.h"
#include <dirent.h>
#include <sys/stat.h>

#define LEVELS 60
#define NAMELEN 230

static char name[NAMELEN + 1];

static int
count_entries(int dfd)
{
	int fd = openat(dfd, ".", O_RDONLY | O_DIRECTORY);
	DIR *d = fd >= 0 ? fdopendir(fd) : NULL;
	struct dirent *e;
	int n = 0;

	if (!d)
		return -1;
	while ((e = readdir(d)))
		if (strcmp(e->d_name, ".") && strcmp(e->d_name, ".."))
			n++;
	closedir(d);
	return n;
}

int
main(void)
{
	int fds[LEVELS + 1], lvl;
	char buf[256];
	struct stat st;

	cf_init();
	memset(name, 'n', NAMELEN);
	fds[0] = open(".", O_RDONLY | O_DIRECTORY);
	for (lvl = 1; lvl <= LEVELS; lvl++) {
		if (mkdirat(fds[lvl - 1], name, 0755) < 0) {
			printf("mkdirat at level %d: %s\n", lvl, en(errno));
			break;
		}
		fds[lvl] = openat(fds[lvl - 1], name, O_RDONLY | O_DIRECTORY);
		if (fds[lvl] < 0) {
			printf("openat at level %d: %s\n", lvl, en(errno));
			break;
		}
	}
	printf("levels made: %d (%d bytes below the start)\n", lvl - 1, (lvl - 1) * (NAMELEN + 1));
	int b = fds[lvl - 1];

	/* files at the bottom */
	int fd = FD("openat O_CREAT", openat(b, "f", O_CREAT | O_RDWR | O_EXCL, 0640));
	R("write", write(fd, "deep data\n", 10));
	R("pread", pread(fd, buf, sizeof(buf), 0));
	close(fd);
	OK("fstatat", fstatat(b, "f", &st, 0));
	printf("  size %lld mode %o\n", (long long)st.st_size, st.st_mode & 07777);
	OK("fchmodat", fchmodat(b, "f", 0600, 0));
	OK("fstatat", fstatat(b, "f", &st, AT_SYMLINK_NOFOLLOW));
	printf("  mode %o\n", st.st_mode & 07777);
	OK("renameat", renameat(b, "f", b, "g"));
	OK("linkat", linkat(b, "g", b, "h", 0));
	OK("fstatat h", fstatat(b, "h", &st, 0));
	printf("  nlink %d\n", (int)st.st_nlink);
	OK("symlinkat", symlinkat("g", b, "l"));
	ssize_t n = readlinkat(b, "l", buf, sizeof(buf) - 1);
	printf("readlinkat: %s\n", n < 0 ? en(errno) : (buf[n] = 0, buf));
	fd = FD("openat through the symlink", openat(b, "l", O_RDONLY));
	memset(buf, 0, sizeof(buf));
	R("read", read(fd, buf, sizeof(buf)));
	printf("  %s", buf);
	close(fd);
	OK("utimensat", utimensat(b, "g", (struct timespec[]){ { 1000, 0 }, { 2000, 0 } }, 0));
	OK("fstatat g", fstatat(b, "g", &st, 0));
	printf("  mtime %lld\n", (long long)st.st_mtime);
	OK("mkdirat sub", mkdirat(b, "sub", 0700));
	OK("renameat into sub", renameat(b, "h", b, "sub/h"));
	/* a rename across levels far apart: both ends deeper than PATH_MAX from the start */
	OK("renameat across levels", renameat(b, "sub/h", fds[lvl - 40 > 0 ? lvl - 40 : 0], "up"));
	OK("fstatat up", fstatat(fds[lvl - 40 > 0 ? lvl - 40 : 0], "up", &st, 0));
	printf("  nlink %d size %lld\n", (int)st.st_nlink, (long long)st.st_size);
	printf("entries at the bottom: %d\n", count_entries(b));

	/* getcwd there, and the fd's /proc link: the path does not fit */
	if (fchdir(b) == 0) {
		static char big[65536];
		long r = syscall(SYS_getcwd, big, sizeof(big));
		printf("getcwd: %s\n", r < 0 ? en(errno) : "fits");
		OK("fstatat . from the cwd", fstatat(AT_FDCWD, "g", &st, 0));
		if (chdir(cf_dir) < 0)
			printf("chdir back: %s\n", en(errno));
	}
	snprintf(buf, sizeof(buf), "/proc/self/fd/%d", b);
	static char link[65536];
	n = readlink(buf, link, sizeof(link));
	printf("readlink of its /proc fd link: %s\n", n < 0 ? en(errno) : "fits");

	/* a path string longer than PATH_MAX */
	static char longp[PATH_MAX + NAMELEN + 2];
	longp[0] = 0;
	while (strlen(longp) + NAMELEN + 1 < sizeof(longp) - 1) {
		strcat(longp, name);
		strcat(longp, "/");
	}
	printf("open of a %zu-byte path: %s\n", strlen(longp),
	       open(longp, O_RDONLY) < 0 ? en(errno) : "opened");

	/* taken down from the bottom */
	OK("unlinkat g", unlinkat(b, "g", 0));
	OK("unlinkat l", unlinkat(b, "l", 0));
	OK("unlinkat sub", unlinkat(b, "sub", AT_REMOVEDIR));
	OK("unlinkat up", unlinkat(fds[lvl - 40 > 0 ? lvl - 40 : 0], "up", 0));
	int bad = 0;
	for (int i = lvl - 1; i >= 1; i--) {
		close(fds[i]);
		if (unlinkat(fds[i - 1], name, AT_REMOVEDIR) < 0 && !bad++)
			printf("unlinkat at level %d: %s\n", i, en(errno));
	}
	printf("taken down, entries left: %d\n", count_entries(fds[0]));
	return 0;
}
