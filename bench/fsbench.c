/*
 * Filesystem workloads in a fresh directory under $FSBENCH_DIR (default /tmp; the
 * sandbox's /tmp is its own tmpfs):
 *   fsbench rw MB          write MB MiB in 1 MiB writes, fsync, then read them back
 *   fsbench files N        create (open O_CREAT + close) N files, stat each, unlink each
 *   fsbench readdir N      N files made untimed, then every entry read 10 times
 *   fsbench openread N     open, read 4 KiB, close of one file, N times
 * Prints "key=value" pairs (times in ms, rates in MB/s, per-call costs in us); the
 * directory is removed afterwards. Exit status 1 if any step fails.
 */
#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "bench.h"

#define CHUNK (1 << 20)

static char dir[64];

static int
fail(const char *what)
{
	perror(what);
	return 1;
}

static void
name(char *buf, size_t n, int i)
{
	snprintf(buf, n, "%s/f%06d", dir, i);
}

static int
rw(long mb)
{
	char *buf = malloc(CHUNK), path[128];
	double t0, t1, t2;
	int fd;

	if (!buf)
		return fail("malloc");
	memset(buf, 'x', CHUNK);
	snprintf(path, sizeof(path), "%s/data", dir);
	fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0644);
	if (fd < 0)
		return fail("open");
	t0 = now_ms();
	for (long i = 0; i < mb; i++)
		if (write(fd, buf, CHUNK) != CHUNK)
			return fail("write");
	if (fsync(fd) < 0)
		return fail("fsync");
	t1 = now_ms();
	if (lseek(fd, 0, SEEK_SET) < 0)
		return fail("lseek");
	for (long i = 0; i < mb; i++)
		if (read(fd, buf, CHUNK) != CHUNK)
			return fail("read");
	t2 = now_ms();
	close(fd);
	unlink(path);
	printf("fsbench write_ms=%.1f read_ms=%.1f write_mbs=%.0f read_mbs=%.0f\n", t1 - t0, t2 - t1,
	       mb / ((t1 - t0) / 1e3), mb / ((t2 - t1) / 1e3));
	free(buf);
	return 0;
}

static int
files(int n)
{
	char path[128];
	struct stat st;
	double t0 = now_ms(), t1, t2, t3;

	for (int i = 0; i < n; i++) {
		name(path, sizeof(path), i);
		int fd = open(path, O_WRONLY | O_CREAT | O_EXCL, 0644);
		if (fd < 0)
			return fail("create");
		close(fd);
	}
	t1 = now_ms();
	for (int i = 0; i < n; i++) {
		name(path, sizeof(path), i);
		if (stat(path, &st) < 0)
			return fail("stat");
	}
	t2 = now_ms();
	for (int i = 0; i < n; i++) {
		name(path, sizeof(path), i);
		if (unlink(path) < 0)
			return fail("unlink");
	}
	t3 = now_ms();
	printf("fsbench total_ms=%.1f create_ms=%.1f stat_ms=%.1f unlink_ms=%.1f\n", t3 - t0, t1 - t0,
	       t2 - t1, t3 - t2);
	return 0;
}

static int
readdir_n(int n)
{
	char path[128];
	double t0;
	long seen = 0;

	for (int i = 0; i < n; i++) {
		name(path, sizeof(path), i);
		int fd = open(path, O_WRONLY | O_CREAT, 0644);
		if (fd < 0)
			return fail("create");
		close(fd);
	}
	t0 = now_ms();
	for (int pass = 0; pass < 10; pass++) {
		DIR *d = opendir(dir);
		if (!d)
			return fail("opendir");
		while (readdir(d))
			seen++;
		closedir(d);
	}
	double t = now_ms() - t0;
	if (seen != 10L * (n + 2)) {
		fprintf(stderr, "readdir: saw %ld entries, want %ld\n", seen, 10L * (n + 2));
		return 1;
	}
	printf("fsbench total_ms=%.1f per_pass_ms=%.2f\n", t, t / 10);
	for (int i = 0; i < n; i++) {
		name(path, sizeof(path), i);
		unlink(path);
	}
	return 0;
}

static int
openread(int n)
{
	char path[128], buf[4096];
	double t0;
	int fd;

	snprintf(path, sizeof(path), "%s/small", dir);
	memset(buf, 'y', sizeof(buf));
	fd = open(path, O_WRONLY | O_CREAT, 0644);
	if (fd < 0 || write(fd, buf, sizeof(buf)) != sizeof(buf))
		return fail("setup");
	close(fd);
	t0 = now_ms();
	for (int i = 0; i < n; i++) {
		fd = open(path, O_RDONLY);
		if (fd < 0 || read(fd, buf, sizeof(buf)) != sizeof(buf))
			return fail("open/read");
		close(fd);
	}
	double t = now_ms() - t0;
	printf("fsbench total_ms=%.1f per_iter_us=%.2f\n", t, t * 1e3 / n);
	unlink(path);
	return 0;
}

int
main(int argc, char **argv)
{
	int r;

	if (argc != 3) {
		fprintf(stderr, "usage: fsbench rw|files|readdir|openread N\n");
		return 2;
	}
	const char *base = getenv("FSBENCH_DIR");

	snprintf(dir, sizeof(dir), "%s/fsbenchXXXXXX", base && base[0] ? base : "/tmp");
	if (!mkdtemp(dir))
		return fail("mkdtemp");
	long n = atol(argv[2]);
	if (!strcmp(argv[1], "rw"))
		r = rw(n);
	else if (!strcmp(argv[1], "files"))
		r = files((int)n);
	else if (!strcmp(argv[1], "readdir"))
		r = readdir_n((int)n);
	else if (!strcmp(argv[1], "openread"))
		r = openread((int)n);
	else
		r = 2;
	rmdir(dir);
	return r;
}
