/* O_TMPFILE: an unnamed file in a directory, linkat giving it a name (AT_EMPTY_PATH and
 * /proc/self/fd with AT_SYMLINK_FOLLOW), O_EXCL forbidding that, and the errors. */
#include <dirent.h>
#include <sys/wait.h>

#include "cf.h"

static int
entries(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	int n = 0;

	while ((e = readdir(d)))
		n += e->d_name[0] != '.';
	closedir(d);
	return n;
}

static void
show_stat(const char *label, int fd)
{
	struct stat st;

	if (fstat(fd, &st) < 0) {
		printf("%s: -1 %s\n", label, en(errno));
		return;
	}
	printf("%s: regular %s, mode %o, nlink %ld, size %ld\n", label,
	       S_ISREG(st.st_mode) ? "yes" : "no", st.st_mode & 07777, (long)st.st_nlink,
	       (long)st.st_size);
}

int
main(void)
{
	char buf[64], path[64];
	struct stat st;

	cf_init();
	mkdir("d", 0755);
	int fd = FD("O_TMPFILE|O_RDWR", open("d", O_TMPFILE | O_RDWR, 0640));
	show_stat("fstat", fd);
	printf("F_GETFL: %o\n", fcntl(fd, F_GETFL));
	R("write", write(fd, "tmpdata", 7));
	R("pread", pread(fd, buf, sizeof(buf), 0));
	R("entries in d", entries("d"));
	snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	ssize_t n = readlink(path, buf, sizeof(buf) - 1);
	buf[n > 0 ? n : 0] = '\0';
	YN("/proc/self/fd names it (deleted)", n > 0 && strstr(buf, " (deleted)") && strstr(buf, "/d/"));
	R("linkat AT_EMPTY_PATH", linkat(fd, "", AT_FDCWD, "d/named", AT_EMPTY_PATH));
	show_stat("fstat after linkat", fd);
	R("entries in d", entries("d"));
	stat("d/named", &st);
	printf("named: size %ld, mode %o\n", (long)st.st_size, st.st_mode & 07777);
	R("linkat again (a second name)", linkat(fd, "", AT_FDCWD, "d/again", AT_EMPTY_PATH));
	R("linkat onto an existing name", linkat(fd, "", AT_FDCWD, "d/named", AT_EMPTY_PATH));
	close(fd);

	fd = FD("O_TMPFILE|O_WRONLY", open("d", O_TMPFILE | O_WRONLY, 0600));
	snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	R("linkat through /proc/self/fd, AT_SYMLINK_FOLLOW", linkat(AT_FDCWD, path, AT_FDCWD, "d/viaproc", AT_SYMLINK_FOLLOW));
	R("read on O_WRONLY", read(fd, buf, 1));
	close(fd);

	fd = FD("O_TMPFILE|O_EXCL", open("d", O_TMPFILE | O_EXCL | O_RDWR, 0600));
	R("linkat with O_EXCL", linkat(fd, "", AT_FDCWD, "d/excl", AT_EMPTY_PATH));
	snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	R("linkat with O_EXCL through /proc", linkat(AT_FDCWD, path, AT_FDCWD, "d/excl", AT_SYMLINK_FOLLOW));
	close(fd);

	fd = open("d/named", O_RDWR);
	unlink("d/named");
	unlink("d/again");
	R("linkat of an unlinked ordinary file", linkat(fd, "", AT_FDCWD, "d/back", AT_EMPTY_PATH));
	close(fd);

	R("O_TMPFILE|O_RDONLY", open("d", O_TMPFILE | O_RDONLY, 0600));
	R("O_TMPFILE|O_CREAT", open("d", O_TMPFILE | O_CREAT | O_RDWR, 0600));
	R("without O_DIRECTORY", open("d", 020000000 | O_RDWR, 0600));
	R("on a file", open("d/viaproc", O_TMPFILE | O_RDWR, 0600));
	R("missing directory", open("nope", O_TMPFILE | O_RDWR, 0600));
	symlink("d", "dlink");
	R("through a symlink", ({ int f = open("dlink", O_TMPFILE | O_RDWR, 0600); if (f >= 0) close(f); f < 0 ? f : 0; }));
	R("through a symlink, O_NOFOLLOW", open("dlink", O_TMPFILE | O_NOFOLLOW | O_RDWR, 0600));
	fd = open("d", O_TMPFILE | O_RDWR, 07777);
	show_stat("mode 07777 under umask 022", fd);
	close(fd);
	umask(0);
	fd = open("d", O_TMPFILE | O_RDWR, 0);
	show_stat("mode 0, written anyway", fd);
	R("write", write(fd, "x", 1));
	close(fd);
	umask(022);

	mkdir("ro", 0555);
	fflush(stdout);
	pid_t p = fork();
	if (p == 0) {
		if (setuid(65534) == 0)
			R("unprivileged, read-only directory", open("ro", O_TMPFILE | O_RDWR, 0600));
		else
			R("unprivileged, read-only directory", (errno = EACCES, -1));
		fflush(stdout);
		_exit(0);
	}
	waitpid(p, NULL, 0);
	R("entries in d at the end", entries("d"));
	return 0;
}
