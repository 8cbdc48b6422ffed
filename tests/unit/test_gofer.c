/* Unit tests for the gofer (fs/gofer.c, fs/gofer_client.c). TAP output. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <limits.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "tests/unit/tap.h"
#include "fs/gofer.h"
#include "fs/gofer_proto.h"


static char ro_dir[] = "/tmp/gofer-ro-XXXXXX";
static char rw_dir[] = "/tmp/gofer-rw-XXXXXX";
static char one_file[PATH_MAX]; /* mount 2: a file mount's root, in ro_dir */

static void
mkfile(const char *dir, const char *name, const char *content)
{
	char p[PATH_MAX];
	FILE *f;

	snprintf(p, sizeof(p), "%s/%s", dir, name);
	f = fopen(p, "w");
	if (!f) {
		perror(p);
		exit(1);
	}
	fputs(content, f);
	fclose(f);
}

static void
make_tree(void)
{
	char p[PATH_MAX];

	if (!mkdtemp(ro_dir) || !mkdtemp(rw_dir)) {
		perror("mkdtemp");
		exit(1);
	}
	mkfile(ro_dir, "file", "hello\n");
	snprintf(p, sizeof(p), "%s/dir", ro_dir);
	mkdir(p, 0755);
	snprintf(p, sizeof(p), "%s/dir/nested", ro_dir);
	mkdir(p, 0755);
	mkfile(ro_dir, "dir/nested/inner", "inner\n");
	snprintf(p, sizeof(p), "%s/passwd", ro_dir);
	symlink("/etc/passwd", p);
	snprintf(p, sizeof(p), "%s/up", ro_dir);
	symlink("../..", p);
	snprintf(p, sizeof(p), "%s/linkdir", ro_dir);
	symlink("dir", p);
	snprintf(p, sizeof(p), "%s/fifo", ro_dir);
	mkfifo(p, 0644);
	mkfile(ro_dir, "single", "single\n");
	snprintf(one_file, sizeof(one_file), "%s/single", ro_dir);
}

static int
rm_one(const char *p, const struct stat *st, int flag, struct FTW *ftw)
{
	remove(p);
	return 0;
}

static void
cleanup(void)
{
	nftw(ro_dir, rm_one, 16, FTW_DEPTH | FTW_PHYS);
	nftw(rw_dir, rm_one, 16, FTW_DEPTH | FTW_PHYS);
}

static int
proc_status_has(pid_t pid, const char *line)
{
	char p[64], buf[256];
	FILE *f;
	int found = 0;

	snprintf(p, sizeof(p), "/proc/%d/status", (int)pid);
	f = fopen(p, "r");
	if (!f)
		return 0;
	while (fgets(buf, sizeof(buf), f))
		if (strncmp(buf, line, strlen(line)) == 0)
			found = 1;
	fclose(f);
	return found;
}

static int
count_fds(pid_t pid)
{
	char p[64];
	struct dirent *de;
	DIR *d;
	int n = 0;

	snprintf(p, sizeof(p), "/proc/%d/fd", (int)pid);
	d = opendir(p);
	if (!d)
		return -1;
	while ((de = readdir(d)))
		if (de->d_name[0] != '.')
			n++;
	closedir(d);
	return n;
}

/* Sends raw bytes (optionally with an fd), returns the reply's err (or 1 on a bad reply). */
static int
raw_call(int sock, const void *buf, size_t len, int pass_fd)
{
	union {
		char b[CMSG_SPACE(sizeof(int))];
		struct cmsghdr align;
	} u;
	char rbuf[GOFER_MAX_REPLY];
	struct iovec iov = { .iov_base = (void *)buf, .iov_len = len };
	struct msghdr msg = { .msg_iov = &iov, .msg_iovlen = 1 };
	struct gofer_reply rp;
	ssize_t r;

	if (pass_fd >= 0) {
		struct cmsghdr *c;

		memset(&u, 0, sizeof(u));
		msg.msg_control = u.b;
		msg.msg_controllen = sizeof(u.b);
		c = CMSG_FIRSTHDR(&msg);
		c->cmsg_level = SOL_SOCKET;
		c->cmsg_type = SCM_RIGHTS;
		c->cmsg_len = CMSG_LEN(sizeof(int));
		memcpy(CMSG_DATA(c), &pass_fd, sizeof(int));
	}
	if (sendmsg(sock, &msg, MSG_NOSIGNAL) < 0)
		return 1;
	memset(&msg, 0, sizeof(msg));
	iov.iov_base = rbuf;
	iov.iov_len = sizeof(rbuf);
	msg.msg_iov = &iov;
	msg.msg_iovlen = 1;
	msg.msg_control = u.b;
	msg.msg_controllen = sizeof(u.b);
	r = recvmsg(sock, &msg, MSG_CMSG_CLOEXEC);
	if (r != (ssize_t)sizeof(rp) || msg.msg_controllen != 0)
		return 1;
	memcpy(&rp, rbuf, sizeof(rp));
	return rp.data_len ? 1 : rp.err;
}

static size_t
mkreq(char *buf, uint32_t magic, uint32_t op, uint32_t mount, uint32_t path_len,
      const char *path, size_t path_bytes)
{
	struct gofer_req h = { .magic = magic, .op = op, .mount = mount, .path_len = path_len };

	memcpy(buf, &h, sizeof(h));
	memcpy(buf + sizeof(h), path, path_bytes);
	return sizeof(h) + path_bytes;
}

/* The host's /proc/config.gz, the one fixed file outside the roots: the same bytes as a
 * read here, or ENOENT on a host without one. */
static void
test_kconfig(void)
{
	static char want[1 << 20], got[1 << 20];
	int hfd = open("/proc/config.gz", O_RDONLY | O_CLOEXEC);
	int fd = gofer_host_file(GOFER_HOST_CONFIG_GZ);
	ssize_t wn = 0, gn = 0, r;

	if (hfd < 0) {
		ok(fd == -ENOENT, "KCONFIG without a host config -> ENOENT (r=%d)", fd);
		ok(gofer_host_file(GOFER_HOST_CONFIG_GZ) == -ENOENT, "and again");
		return;
	}
	while ((r = read(hfd, want + wn, sizeof(want) - wn)) > 0)
		wn += r;
	close(hfd);
	ok(fd >= 0, "KCONFIG gives a descriptor (r=%d)", fd);
	while (fd >= 0 && (r = read(fd, got + gn, sizeof(got) - gn)) > 0)
		gn += r;
	ok(gn == wn && wn > 0 && !memcmp(want, got, wn), "KCONFIG reads the host's bytes");
	if (fd >= 0)
		close(fd);
}

/* The host's /proc/cpuinfo through the same request; other files are not to be had. */
static void
test_cpuinfo(void)
{
	char buf[4096];
	int fd = gofer_host_file(GOFER_HOST_CPUINFO);
	ssize_t n = fd >= 0 ? read(fd, buf, sizeof(buf) - 1) : -1;

	ok(fd >= 0 && n > 10 && !memcmp(buf, "processor", 9), "KCONFIG cpuinfo: the host's text (r=%d)", fd);
	if (fd >= 0)
		close(fd);
	ok(gofer_host_file(GOFER_HOST_CPU_VULNS) == -EINVAL && gofer_host_file(-1) == -EINVAL,
	   "KCONFIG other files -> EINVAL");
}

/* A host sysfs directory's one-line attributes (GOFER_HOST_CPU_VULNS, GOFER_HOST_THP) as
 * "name mode text" lines: each line is the host file's mode and text; other directories
 * are not to be had. */
static void
test_host_dir(void)
{
	static const struct { int which; unsigned cpu, index; const char *dir; } dirs[] = {
		{ GOFER_HOST_CPU_VULNS, 0, 0, "/sys/devices/system/cpu/vulnerabilities" },
		{ GOFER_HOST_THP, 0, 0, "/sys/kernel/mm/transparent_hugepage" },
		{ GOFER_HOST_CPU_SMT, 0, 0, "/sys/devices/system/cpu/smt" },
		{ GOFER_HOST_CPU_TOPOLOGY, 0, 0, "/sys/devices/system/cpu/cpu0/topology" },
		{ GOFER_HOST_CPU_CACHE, 0, 0, "/sys/devices/system/cpu/cpu0/cache/index0" },
	};
	char buf[PATH_MAX];

	for (size_t i = 0; i < sizeof(dirs) / sizeof(dirs[0]); i++) {
		int n = gofer_host_dir(dirs[i].which, dirs[i].cpu, dirs[i].index, buf, sizeof(buf));
		int lines = 0, same = 0;
		struct stat st;

		if (stat(dirs[i].dir, &st) < 0) {
			ok(n == -ENOENT, "host dir %s absent -> ENOENT (r=%d)", dirs[i].dir, n);
			continue;
		}
		for (char *line = buf, *nl; n > 0 && (nl = strchr(line, '\n')); line = nl + 1) {
			char name[128], path[512], want[512];
			unsigned mode;
			int off = 0;

			*nl = '\0';
			lines++;
			if (sscanf(line, "%127s %o %n", name, &mode, &off) < 2 || !off)
				continue;
			snprintf(path, sizeof(path), "%s/%s", dirs[i].dir, name);
			int fd = open(path, O_RDONLY | O_CLOEXEC);
			ssize_t r = fd >= 0 ? read(fd, want, sizeof(want) - 1) : -1;
			if (fd >= 0)
				close(fd);
			if (r <= 0 || stat(path, &st) < 0)
				continue;
			want[r - 1] = '\0';
			same += (st.st_mode & 0777) == mode && (mode & 0444) == 0444 &&
				!strcmp(want, line + off);
		}
		ok(n > 0 && lines > 0 && same == lines, "host dir %s: %d lines, %d as the host's",
		   dirs[i].dir, lines, same);
	}
	ok(gofer_host_dir(GOFER_HOST_CPUINFO, 0, 0, buf, sizeof(buf)) == -EINVAL &&
	   gofer_host_dir(GOFER_HOST_CPU_CACHE + 1, 0, 0, buf, sizeof(buf)) == -EINVAL &&
	   gofer_host_dir(GOFER_HOST_THP, 0, 0, buf, 0) == -EINVAL &&
	   gofer_host_dir(GOFER_HOST_CPU_TOPOLOGY, 8192, 0, buf, sizeof(buf)) == -EINVAL &&
	   gofer_host_dir(GOFER_HOST_CPU_CACHE, 0, 32, buf, sizeof(buf)) == -EINVAL,
	   "host dir: other ones -> EINVAL");
	ok(gofer_host_dir(GOFER_HOST_CPU_TOPOLOGY, 8191, 0, buf, sizeof(buf)) == -ENOENT,
	   "host dir: a CPU the host lacks -> ENOENT");
}

static void
test_stat_and_open(void)
{
	char host[PATH_MAX], buf[64];
	struct stat st, hst;
	ssize_t n;
	int fd, r;

	snprintf(host, sizeof(host), "%s/file", ro_dir);
	lstat(host, &hst);
	r = gofer_lstat(0, "file", &st);
	ok(r == 0 && S_ISREG(st.st_mode) && st.st_size == 6 && st.st_ino == hst.st_ino,
	   "lstat regular file (r=%d)", r);
	struct statx hx;
	struct timespec bt;
	bool hk = statx(AT_FDCWD, host, AT_SYMLINK_NOFOLLOW, STATX_BTIME, &hx) == 0 &&
		  (hx.stx_mask & STATX_BTIME);
	ok(gofer_st_btime(&st, &bt) == hk && (!hk || (bt.tv_sec == hx.stx_btime.tv_sec &&
						    bt.tv_nsec == (long)hx.stx_btime.tv_nsec)),
	   "lstat carries the host's birth time (known: %d)", hk);
	r = gofer_lstat(0, "dir/nested", &st);
	ok(r == 0 && S_ISDIR(st.st_mode), "lstat nested dir (r=%d)", r);
	r = gofer_lstat(0, "passwd", &st);
	ok(r == 0 && S_ISLNK(st.st_mode), "lstat symlink gives the link (r=%d)", r);
	lstat(ro_dir, &hst);
	r = gofer_lstat(0, "", &st);
	ok(r == 0 && S_ISDIR(st.st_mode) && st.st_ino == hst.st_ino, "lstat \"\" is the root");
	r = gofer_lstat(0, "./file", &st);
	ok(r == 0 && S_ISREG(st.st_mode), "a \".\" component is harmless (r=%d)", r);
	ok(gofer_lstat(0, "missing", &st) == -ENOENT, "lstat missing -> ENOENT");
	ok(gofer_lstat(0, "file/x", &st) == -ENOTDIR, "lstat through a file -> ENOTDIR");

	fd = gofer_open(0, "file", O_RDONLY, 0, &st);
	n = fd >= 0 ? read(fd, buf, sizeof(buf)) : -1;
	ok(fd >= 0 && n == 6 && memcmp(buf, "hello\n", 6) == 0 && S_ISREG(st.st_mode),
	   "open and read a file (fd=%d)", fd);
	ok(fd >= 0 && (fcntl(fd, F_GETFD) & FD_CLOEXEC), "received fd is close-on-exec");
	if (fd >= 0)
		close(fd);
	fd = gofer_open(0, "dir", O_RDONLY | O_DIRECTORY, 0, &st);
	ok(fd >= 0 && S_ISDIR(st.st_mode), "open a directory (fd=%d)", fd);
	if (fd >= 0)
		close(fd);
	fd = gofer_open(0, "", O_RDONLY | O_DIRECTORY, 0, NULL);
	ok(fd >= 0, "open the root \"\" (fd=%d)", fd);
	if (fd >= 0)
		close(fd);
	ok(gofer_open(0, "file", O_RDONLY | O_DIRECTORY, 0, NULL) == -ENOTDIR,
	   "O_DIRECTORY on a file -> ENOTDIR");
}

static void
test_readlink(void)
{
	char buf[PATH_MAX];
	int r;

	r = gofer_readlink(0, "passwd", buf, sizeof(buf));
	ok(r == 11 && memcmp(buf, "/etc/passwd", 11) == 0, "readlink (r=%d)", r);
	r = gofer_readlink(0, "up", buf, 3);
	ok(r == 3 && memcmp(buf, "../", 3) == 0, "readlink truncates to the buffer (r=%d)", r);
	ok(gofer_readlink(0, "file", buf, sizeof(buf)) == -EINVAL, "readlink of a file -> EINVAL");
	ok(gofer_readlink(0, "missing", buf, sizeof(buf)) == -ENOENT, "readlink missing -> ENOENT");
}

static void
test_walk(void)
{
	char target[PATH_MAX], deep[PATH_MAX] = "";
	struct stat st[GOFER_WALK_MAX], hst;
	int errs[GOFER_WALK_MAX], r;

	r = gofer_walk(0, "dir/nested/inner", 0, GOFER_WALK_MAX, errs, st, target, sizeof(target));
	snprintf(deep, sizeof(deep), "%s/dir/nested/inner", ro_dir);
	lstat(deep, &hst);
	ok(r == 3 && !errs[0] && !errs[1] && !errs[2] && S_ISDIR(st[0].st_mode) &&
	   S_ISDIR(st[1].st_mode) && S_ISREG(st[2].st_mode) && st[2].st_ino == hst.st_ino &&
	   !target[0], "walk: a stat for each prefix (r=%d)", r);
	r = gofer_walk(0, "dir/nested/inner", 1, GOFER_WALK_MAX, errs, st, target, sizeof(target));
	ok(r == 2 && S_ISDIR(st[0].st_mode) && S_ISREG(st[1].st_mode),
	   "walk: from the second component on (r=%d)", r);
	r = gofer_walk(0, "dir/nested/inner", 0, 2, errs, st, target, sizeof(target));
	ok(r == 2 && S_ISDIR(st[1].st_mode), "walk: at most max prefixes (r=%d)", r);
	r = gofer_walk(0, "dir/missing/x", 0, GOFER_WALK_MAX, errs, st, target, sizeof(target));
	ok(r == 2 && !errs[0] && errs[1] == -ENOENT, "walk: stops after a missing one (r=%d)", r);
	r = gofer_walk(0, "file/x/y", 0, GOFER_WALK_MAX, errs, st, target, sizeof(target));
	ok(r == 1 && !errs[0] && S_ISREG(st[0].st_mode), "walk: stops after a file (r=%d)", r);
	r = gofer_walk(0, "linkdir/nested", 0, GOFER_WALK_MAX, errs, st, target, sizeof(target));
	ok(r == 1 && S_ISLNK(st[0].st_mode) && !strcmp(target, "dir"),
	   "walk: stops at a symlink, with its target (r=%d, \"%s\")", r, target);
	r = gofer_walk(0, "linkdir", 0, GOFER_WALK_MAX, errs, st, target, 3);
	ok(r == 1 && S_ISLNK(st[0].st_mode) && !target[0],
	   "walk: a target too long for the buffer is left out (r=%d)", r);
	r = gofer_walk(0, "up/x", 0, GOFER_WALK_MAX, errs, st, target, sizeof(target));
	ok(r == 1 && S_ISLNK(st[0].st_mode) && !strcmp(target, "../.."),
	   "walk: never follows a symlink out (r=%d)", r);
	r = gofer_walk(0, "dir/nested", 0, GOFER_WALK_MAX + 1, errs, st, target, sizeof(target));
	ok(r == 2, "walk: max above GOFER_WALK_MAX is capped (r=%d)", r);
	ok(gofer_walk(0, "dir", 1, 1, errs, st, target, sizeof(target)) == -EINVAL,
	   "walk: first past the last component -> EINVAL");
	ok(gofer_walk(0, "", 0, 1, errs, st, target, sizeof(target)) == -EINVAL,
	   "walk: of the root -> EINVAL");
	ok(gofer_walk(0, "dir/../file", 0, 4, errs, st, target, sizeof(target)) == -EINVAL,
	   "walk: a \"..\" component -> EINVAL");
}

/* Paths below a root longer than PATH_MAX: opened a piece at a time, still beneath the
 * root and never through a symlink; one past GOFER_PATH_MAX is refused. Taken down through
 * the gofer too (nftw cannot reach that deep by path). */
static void
test_deep(void)
{
	static char deep[GOFER_PATH_MAX + 300], host[PATH_MAX];
	char name[201];
	size_t lens[64];
	struct stat st;
	int n = 0, err = 0;

	memset(name, 'd', 200);
	name[200] = '\0';
	deep[0] = '\0';
	while (strlen(deep) + 202 < 9000 && !err) {
		if (deep[0])
			strcat(deep, "/");
		strcat(deep, name);
		lens[n++] = strlen(deep);
		err = gofer_mkdir(1, deep, 0755, (uid_t)-1, (gid_t)-1, &st);
		if (n == 25 && !err) { /* a symlink out, beside the chain at this depth */
			strcat(deep, "/esc");
			err = gofer_symlink(1, "/etc", deep, (uid_t)-1, (gid_t)-1, &st);
			deep[lens[n - 1]] = '\0';
		}
	}
	ok(!err && strlen(deep) > PATH_MAX, "deep: %d directories, %zu bytes (err %d)", n,
	   strlen(deep), err);
	strcat(deep, "/f");
	ok(gofer_mknod(1, deep, S_IFREG | 0600, (uid_t)-1, (gid_t)-1, &st) == 0 &&
	   gofer_lstat(1, deep, &st) == 0 && S_ISREG(st.st_mode),
	   "deep: a file made and found at the bottom");
	ok(gofer_unlink(1, deep, 0) == 0, "deep: and removed");
	deep[lens[24]] = '\0';
	strcat(deep, "/esc/passwd");
	err = gofer_lstat(1, deep, &st);
	ok(err == -ELOOP || err == -EXDEV, "deep: no way through a symlink past PATH_MAX (%d)", err);
	strcat(deep, "/x");
	deep[lens[24]] = '\0';
	strcat(deep, "/esc");
	ok(gofer_unlink(1, deep, 0) == 0, "deep: the symlink removed");
	memset(deep, 'a', GOFER_PATH_MAX + 10);
	for (size_t i = 200; i < GOFER_PATH_MAX + 10; i += 201)
		deep[i] = '/';
	deep[GOFER_PATH_MAX + 10] = '\0';
	ok(gofer_lstat(1, deep, &st) == -ENAMETOOLONG, "deep: past GOFER_PATH_MAX -> ENAMETOOLONG");
	/* down from the bottom */
	memset(deep, 0, sizeof(deep));
	for (int i = 0; i < n; i++) {
		if (i)
			strcat(deep, "/");
		strcat(deep, name);
	}
	err = 0;
	for (int i = n - 1; i >= 0 && !err; i--) {
		deep[lens[i]] = '\0';
		err = gofer_unlink(1, deep, AT_REMOVEDIR);
	}
	snprintf(host, sizeof(host), "%s/%s", rw_dir, name);
	ok(!err && lstat(host, &st) < 0 && errno == ENOENT, "deep: taken down (err %d)", err);
}

static void
test_refusals(void)
{
	struct stat st;
	int r;

	r = gofer_open(0, "linkdir/nested/inner", O_RDONLY, 0, NULL);
	ok(r == -ELOOP, "open through a symlinked middle component -> ELOOP (r=%d)", r);
	r = gofer_lstat(0, "linkdir/nested", &st);
	ok(r == -ELOOP, "lstat through a symlinked middle component -> ELOOP (r=%d)", r);
	ok(gofer_open(0, "passwd", O_RDONLY, 0, NULL) == -ELOOP, "open of a symlink -> ELOOP");
	ok(gofer_open(0, "up", O_RDONLY, 0, NULL) == -ELOOP, "open of ../.. symlink -> ELOOP");
	ok(gofer_lstat(0, "..", &st) == -EINVAL, "\"..\" refused");
	ok(gofer_open(0, "dir/../file", O_RDONLY, 0, NULL) == -EINVAL, "\"dir/../file\" refused");
	ok(gofer_lstat(0, "/etc/passwd", &st) == -EINVAL, "absolute path refused");
	ok(gofer_lstat(0, "dir//nested", &st) == -EINVAL, "empty component refused");
	ok(gofer_lstat(0, "dir/", &st) == -EINVAL, "trailing slash refused");
	r = gofer_open(0, "fifo", O_RDONLY, 0, NULL);
	ok(r == -EACCES, "open of a fifo refused without hanging (r=%d)", r);
	r = gofer_open(0, "fifo", O_WRONLY, 0, NULL);
	ok(r == -EROFS, "write-open of a fifo on a read-only mount -> EROFS (r=%d)", r);
	ok(gofer_lstat(0, "fifo", &st) == 0 && S_ISFIFO(st.st_mode), "lstat of a fifo works");
	ok(gofer_open(0, "file", O_RDONLY | O_PATH, 0, NULL) == -EINVAL, "O_PATH refused");
	ok(gofer_open(0, "file", O_RDONLY | O_ASYNC, 0, NULL) == -EINVAL, "O_ASYNC refused");
	ok(gofer_open(0, "file", O_ACCMODE, 0, NULL) == -EINVAL, "access mode 3 refused");
	ok(gofer_lstat(7, "file", &st) == -EINVAL, "mount index out of range refused");
	ok(gofer_lstat(-1, "file", &st) == -EINVAL, "negative mount index refused");
}

static void
test_write_flags(void)
{
	static const struct {
		int flags;
		const char *name;
	} wf[] = {
		{ O_WRONLY, "O_WRONLY" }, { O_RDWR, "O_RDWR" },
		{ O_RDONLY | O_CREAT, "O_CREAT" }, { O_RDONLY | O_TRUNC, "O_TRUNC" },
		{ O_RDONLY | O_APPEND, "O_APPEND" }, { O_TMPFILE | O_RDWR, "O_TMPFILE" },
	};
	char host[PATH_MAX], buf[16];
	struct stat st, hst;
	size_t i;
	int fd, hfd;
	ssize_t n = -1;

	for (i = 0; i < sizeof(wf) / sizeof(wf[0]); i++) {
		int r = gofer_open(0, wf[i].flags & O_TMPFILE ? "dir" : "file", wf[i].flags, 0644,
				   NULL);
		ok(r == -EROFS, "%s on a read-only mount -> EROFS (r=%d)", wf[i].name, r);
	}
	fd = gofer_open(1, "new", O_WRONLY | O_CREAT | O_EXCL, 0640, &st);
	ok(fd >= 0 && S_ISREG(st.st_mode) && (st.st_mode & 07777) == 0640,
	   "O_CREAT on a writable mount (fd=%d)", fd);
	if (fd >= 0) {
		ok(write(fd, "data", 4) == 4, "write through the gofer fd");
		close(fd);
	}
	snprintf(host, sizeof(host), "%s/new", rw_dir);
	hfd = open(host, O_RDONLY);
	if (hfd >= 0) {
		n = read(hfd, buf, sizeof(buf));
		fstat(hfd, &hst);
		close(hfd);
	}
	ok(hfd >= 0 && n == 4 && memcmp(buf, "data", 4) == 0 && hst.st_ino == st.st_ino,
	   "created file appears on the host");
	ok(gofer_open(1, "new", O_WRONLY | O_CREAT | O_EXCL, 0640, NULL) == -EEXIST,
	   "O_EXCL on an existing file -> EEXIST");
	fd = gofer_open(1, "new", O_RDWR | O_TRUNC, 0, &st);
	ok(fd >= 0 && st.st_size == 0, "O_TRUNC on a writable mount (fd=%d)", fd);
	if (fd >= 0)
		close(fd);
	fd = gofer_open(1, "", O_TMPFILE | O_RDWR, 0600, &st);
	ok(fd >= 0 && S_ISREG(st.st_mode), "O_TMPFILE on a writable mount (fd=%d)", fd);
	if (fd >= 0)
		close(fd);
	ok(gofer_open(1, "nodir/x", O_WRONLY | O_CREAT, 0600, NULL) == -ENOENT,
	   "O_CREAT in a missing directory -> ENOENT");
}

static int
host_lstat(const char *dir, const char *rel, struct stat *st)
{
	char p[PATH_MAX];

	snprintf(p, sizeof(p), "%s/%s", dir, rel);
	return lstat(p, st) < 0 ? -errno : 0;
}

/* New objects get the owners asked for (the guest's) where the gofer may chown: as root. */
static void
test_new_owners(void)
{
	struct stat st, hst;
	int r;

	if (geteuid() != 0) {
		ok(1, "# skip new objects' owners: not root");
		return;
	}
	r = gofer_mkdir(1, "o", 0755, 1234, 2345, &st);
	ok(r == 0 && st.st_uid == 1234 && st.st_gid == 2345 && host_lstat(rw_dir, "o", &hst) == 0 &&
	   hst.st_uid == 1234 && hst.st_gid == 2345, "mkdir with owners (r=%d)", r);
	r = gofer_mknod(1, "o/f", S_IFREG | 06755, 1234, -1, &st);
	ok(r == 0 && st.st_uid == 1234 && st.st_gid == getegid() && (st.st_mode & 07777) == 06755,
	   "mknod with an owner keeps set-user-ID and set-group-ID (r=%d, mode %o)", r,
	   st.st_mode & 07777);
	r = gofer_symlink(1, "f", "o/l", 1234, 2345, &st);
	ok(r == 0 && S_ISLNK(st.st_mode) && st.st_uid == 1234 && st.st_gid == 2345,
	   "symlink with owners (r=%d)", r);
	ok(gofer_unlink(1, "o/l", 0) == 0 && gofer_unlink(1, "o/f", 0) == 0 &&
	   gofer_unlink(1, "o", AT_REMOVEDIR) == 0, "owned objects removed");
}

static void
test_changes(void)
{
	struct timespec ts[2] = { { 1000000000, 5 }, { 1350000000, 7 } };
	char buf[64], outside[PATH_MAX], link[PATH_MAX];
	struct stat st, hst, before;
	int r;

	ok(gofer_mkdir(0, "newdir", 0755, -1, -1, &st) == -EROFS,
	   "mkdir on a read-only mount -> EROFS");
	ok(gofer_unlink(0, "file", 0) == -EROFS, "unlink on a read-only mount -> EROFS");
	ok(host_lstat(ro_dir, "file", &hst) == 0, "read-only host file still there");
	r = gofer_mkdir(1, "d", 0750, -1, -1, &st);
	ok(r == 0 && S_ISDIR(st.st_mode) && (st.st_mode & 07777) == 0750 &&
	   host_lstat(rw_dir, "d", &hst) == 0 && hst.st_ino == st.st_ino, "mkdir (r=%d)", r);
	ok(gofer_mkdir(1, "d", 0750, -1, -1, NULL) == -EEXIST, "mkdir existing -> EEXIST");
	r = gofer_mknod(1, "d/f", S_IFREG | 0640, -1, -1, &st);
	ok(r == 0 && S_ISREG(st.st_mode) && (st.st_mode & 07777) == 0640, "mknod a file (r=%d)", r);
	r = gofer_mknod(1, "d/p", S_IFIFO | 0600, -1, -1, &st);
	ok(r == 0 && S_ISFIFO(st.st_mode), "mknod a fifo (r=%d)", r);
	ok(gofer_mknod(1, "d/c", S_IFCHR | 0600, -1, -1, NULL) == -EINVAL, "mknod a device -> EINVAL");
	r = gofer_symlink(1, "../../etc/passwd", "d/l", -1, -1, &st);
	ok(r == 0 && S_ISLNK(st.st_mode) && gofer_readlink(1, "d/l", buf, sizeof(buf)) == 16,
	   "symlink with any target text (r=%d)", r);
	ok(gofer_symlink(1, "", "d/l2", -1, -1, NULL) == -EINVAL, "empty symlink target -> EINVAL");
	test_new_owners();
	r = gofer_link(1, "d/f", "d/f2", &st);
	ok(r == 0 && st.st_nlink == 2, "link (r=%d)", r);
	ok(gofer_rename(1, "d/f2", "d/f3", 0) == 0 && host_lstat(rw_dir, "d/f3", &hst) == 0 &&
	   host_lstat(rw_dir, "d/f2", &hst) == -ENOENT, "rename");
	ok(gofer_rename(1, "d/f3", "d/f", RENAME_NOREPLACE) == -EEXIST, "RENAME_NOREPLACE -> EEXIST");
	ok(gofer_rename(1, "d/f3", "d/p", RENAME_EXCHANGE) == 0 &&
	   host_lstat(rw_dir, "d/f3", &hst) == 0 && S_ISFIFO(hst.st_mode), "RENAME_EXCHANGE");
	ok(gofer_rename(1, "d/f3", "d/p", RENAME_EXCHANGE | RENAME_NOREPLACE) == -EINVAL,
	   "both rename flags -> EINVAL");
	r = gofer_truncate(1, "d/f", 100, &st);
	ok(r == 0 && st.st_size == 100 && host_lstat(rw_dir, "d/f", &hst) == 0 &&
	   hst.st_size == 100, "truncate (r=%d)", r);
	ok(gofer_truncate(1, "d/f", -1, NULL) == -EINVAL, "negative length -> EINVAL");
	ok(gofer_truncate(1, "d", 0, NULL) == -EISDIR, "truncate a directory -> EISDIR");
	r = gofer_chmod(1, "d/f", 04711, &st);
	ok(r == 0 && (st.st_mode & 07777) == 04711, "chmod (r=%d)", r);
	r = gofer_utimens(1, "d/f", ts, &st);
	ok(r == 0 && st.st_atim.tv_sec == 1000000000 && st.st_mtim.tv_nsec == 7, "utimens (r=%d)", r);
	/* (the times were once taken for owners: the file became uid 1000000000, gid 5) */
	r = host_lstat(rw_dir, "d/f", &hst);
	ok(r == 0 && hst.st_uid == getuid() && hst.st_gid == getgid(),
	   "utimens keeps the owners (%u:%u)", hst.st_uid, hst.st_gid);
	ts[0].tv_nsec = 2000000000;
	ok(gofer_utimens(1, "d/f", ts, NULL) == -EINVAL, "bad nanoseconds -> EINVAL");
	ok(gofer_unlink(1, "d", AT_REMOVEDIR) == -ENOTEMPTY, "rmdir a full directory -> ENOTEMPTY");
	ok(gofer_unlink(1, "d/f", 0) == 0 && gofer_unlink(1, "d/f3", 0) == 0 &&
	   gofer_unlink(1, "d/p", 0) == 0 && gofer_unlink(1, "d/l", 0) == 0, "unlink");
	ok(gofer_unlink(1, "d", AT_REMOVEDIR) == 0 && host_lstat(rw_dir, "d", &hst) == -ENOENT,
	   "rmdir");
	ok(gofer_unlink(1, "", 0) == -EINVAL, "unlink of the root -> EINVAL");
	ok(gofer_mkdir(1, "x/.", 0700, -1, -1, NULL) == -EINVAL, "last component \".\" -> EINVAL");
	ok(gofer_rename(1, "new", "../new", 0) == -EINVAL, "rename to \"..\" -> EINVAL");

	/* a symlink inside the writable mount pointing out: nothing follows it */
	snprintf(outside, sizeof(outside), "%s/dir", ro_dir);
	ok(host_lstat(ro_dir, "dir", &before) == 0, "outside directory");
	snprintf(link, sizeof(link), "%s/out", rw_dir);
	ok(symlink(outside, link) == 0, "a symlink to outside the writable mount");
	ok(gofer_mkdir(1, "out/x", 0777, -1, -1, NULL) == -ELOOP, "mkdir through a symlink -> ELOOP");
	ok(gofer_mknod(1, "out/x", S_IFREG | 0600, -1, -1, NULL) == -ELOOP, "create through a symlink");
	ok(gofer_rename(1, "new", "out/new", 0) == -ELOOP, "rename through a symlink -> ELOOP");
	ok(gofer_link(1, "new", "out/new", NULL) == -ELOOP, "link through a symlink -> ELOOP");
	ok(gofer_symlink(1, "x", "out/x", -1, -1, NULL) == -ELOOP, "symlink through a symlink -> ELOOP");
	ok(gofer_unlink(1, "out/nested", AT_REMOVEDIR) == -ELOOP, "rmdir through a symlink");
	ok(gofer_chmod(1, "out", 0777, NULL) == -EOPNOTSUPP, "chmod of a symlink -> EOPNOTSUPP");
	ok(gofer_truncate(1, "out", 0, NULL) == -ELOOP, "truncate of a symlink -> ELOOP");
	ts[0].tv_nsec = UTIME_OMIT;
	ok(gofer_utimens(1, "out", ts, &st) == 0 && S_ISLNK(st.st_mode), "utimens of the link itself");
	ok(host_lstat(ro_dir, "dir", &hst) == 0 && hst.st_mode == before.st_mode &&
	   hst.st_mtim.tv_sec == before.st_mtim.tv_sec && hst.st_mtim.tv_nsec == before.st_mtim.tv_nsec &&
	   host_lstat(ro_dir, "dir/x", &hst) == -ENOENT, "the outside directory is untouched");
	ok(gofer_unlink(1, "out", 0) == 0 && host_lstat(ro_dir, "dir", &hst) == 0,
	   "unlink removes only the link");
}

/* on_fd: the object of a passed host fd, also once its name is gone; only fds of files
 * beneath the mount's root, changes only on writable mounts. */
static void
test_on_fd(void)
{
	struct timespec ts[2] = { { 1000000000, 5 }, { 1350000000, 7 } };
	struct stat st, hst;
	char v[8];
	int fd, other, p[2], r;

	fd = gofer_open(1, "g", O_RDWR | O_CREAT, 0600, &st);
	ok(fd >= 0 && gofer_unlink(1, "g", 0) == 0, "open, then remove the name");
	gofer_by_fd(fd);
	r = gofer_chmod(1, "", 0640, &st);
	ok(r == 0 && (st.st_mode & 07777) == 0640 && fstat(fd, &hst) == 0 &&
	   (hst.st_mode & 07777) == 0640 && hst.st_nlink == 0, "chmod of a removed file (r=%d)", r);
	gofer_by_fd(fd);
	r = gofer_utimens(1, "", ts, &st);
	ok(r == 0 && fstat(fd, &hst) == 0 && hst.st_mtim.tv_sec == 1350000000,
	   "utimens of a removed file (r=%d)", r);
	gofer_by_fd(fd);
	r = gofer_setxattr(1, "", "user.k", "v", 1, 0, &st);
	gofer_by_fd(fd);
	ok(r == -EOPNOTSUPP || (r == 0 && gofer_getxattr(1, "", "user.k", v, sizeof(v)) == 1),
	   "xattrs of a removed file (r=%d)", r);
	gofer_by_fd(fd);
	ok(gofer_chmod(0, "", 0600, NULL) == -EROFS, "on a read-only mount -> EROFS");
	gofer_by_fd(fd);
	ok(gofer_lstat(1, "", &st) == -EINVAL, "an op without on_fd -> EINVAL, not sent");
	ok(gofer_lstat(0, "file", &st) == 0, "the next call is by name again");
	other = open("/etc/passwd", O_RDONLY | O_CLOEXEC);
	gofer_by_fd(other);
	ok(gofer_chmod(1, "", 0777, NULL) == -EPERM && fstat(other, &hst) == 0 &&
	   (hst.st_mode & 0777) != 0777, "a file outside the root -> EPERM");
	close(other);
	other = gofer_open(0, "file", O_RDONLY, 0, &st);
	gofer_by_fd(other);
	ok(gofer_listxattr(1, "", v, sizeof(v)) == -EPERM, "a file of another mount -> EPERM");
	close(other);
	ok(pipe2(p, O_CLOEXEC) == 0, "pipe");
	gofer_by_fd(p[0]);
	ok(gofer_chmod(1, "", 0600, NULL) == -EPERM, "a pipe -> EPERM");
	close(p[0]);
	close(p[1]);
	close(fd);
}

static void
test_malformed(int sock, pid_t pid)
{
	char buf[GOFER_MAX_REQ + 256];
	struct stat st;
	size_t len;
	int fds_before, devnull;

	ok(raw_call(sock, "abc", 3, -1) == -EINVAL, "short header -> EINVAL");
	len = mkreq(buf, 0xdeadbeef, GOFER_OP_LSTAT, 0, 4, "file", 4);
	ok(raw_call(sock, buf, len, -1) == -EINVAL, "bad magic -> EINVAL");
	len = mkreq(buf, GOFER_MAGIC, 99, 0, 4, "file", 4);
	ok(raw_call(sock, buf, len, -1) == -EINVAL, "bad op -> EINVAL");
	len = mkreq(buf, GOFER_MAGIC, GOFER_OP_LSTAT, 0, 5, "file", 4);
	ok(raw_call(sock, buf, len, -1) == -EINVAL, "path_len longer than the data -> EINVAL");
	len = mkreq(buf, GOFER_MAGIC, GOFER_OP_LSTAT, 0, 2, "file", 4);
	ok(raw_call(sock, buf, len, -1) == -EINVAL, "path_len shorter than the data -> EINVAL");
	len = mkreq(buf, GOFER_MAGIC, GOFER_OP_LSTAT, 0, 0xffffffffu, "file", 4);
	ok(raw_call(sock, buf, len, -1) == -EINVAL, "path_len 0xffffffff -> EINVAL");
	len = mkreq(buf, GOFER_MAGIC, GOFER_OP_LSTAT, 0, 6, "fi\0le2", 6);
	ok(raw_call(sock, buf, len, -1) == -EINVAL, "embedded NUL -> EINVAL");
	len = mkreq(buf, GOFER_MAGIC, GOFER_OP_LSTAT, 0xffffffffu, 4, "file", 4);
	ok(raw_call(sock, buf, len, -1) == -EINVAL, "huge mount index -> EINVAL");
	len = mkreq(buf, GOFER_MAGIC, GOFER_OP_LSTAT, 3, 4, "file", 4);
	ok(raw_call(sock, buf, len, -1) == -EINVAL, "mount index == n -> EINVAL");
	memset(buf + sizeof(struct gofer_req), 'a', sizeof(buf) - sizeof(struct gofer_req));
	len = mkreq(buf, GOFER_MAGIC, GOFER_OP_LSTAT, 0, GOFER_PATH_MAX, "a", 1);
	ok(raw_call(sock, buf, sizeof(struct gofer_req) + GOFER_PATH_MAX, -1) == -EINVAL,
	   "path_len GOFER_PATH_MAX -> EINVAL");
	ok(raw_call(sock, buf, sizeof(buf), -1) == -EINVAL, "oversized message -> EINVAL");
	len = mkreq(buf, GOFER_MAGIC, GOFER_OP_KCONFIG, 0, 4, "file", 4);
	ok(raw_call(sock, buf, len, -1) == -EINVAL, "KCONFIG with a path -> EINVAL");
	len = mkreq(buf, GOFER_MAGIC, GOFER_OP_KCONFIG, 1, 0, "", 0);
	ok(raw_call(sock, buf, len, -1) == -EINVAL, "KCONFIG of mount 1 -> EINVAL");
	len = mkreq(buf, GOFER_MAGIC, GOFER_OP_KCONFIG, 0, 0, "", 0);
	((struct gofer_req *)buf)->arg[0] = GOFER_HOST_CPU_CACHE + 1;
	ok(raw_call(sock, buf, len, -1) == -EINVAL, "KCONFIG of no known place -> EINVAL");
	((struct gofer_req *)buf)->arg[0] = GOFER_HOST_CPU_VULNS;
	((struct gofer_req *)buf)->arg[1] = 1;
	ok(raw_call(sock, buf, len, -1) == -EINVAL, "KCONFIG of a CPU where none counts -> EINVAL");
	((struct gofer_req *)buf)->arg[0] = GOFER_HOST_CPU_TOPOLOGY;
	((struct gofer_req *)buf)->arg[1] = -1;
	ok(raw_call(sock, buf, len, -1) == -EINVAL, "KCONFIG of CPU -1 -> EINVAL");
	((struct gofer_req *)buf)->arg[1] = 0;
	((struct gofer_req *)buf)->arg[2] = 1;
	ok(raw_call(sock, buf, len, -1) == -EINVAL, "KCONFIG of a topology's index -> EINVAL");
	((struct gofer_req *)buf)->arg[0] = GOFER_HOST_CPU_CACHE;
	((struct gofer_req *)buf)->arg[2] = 32;
	ok(raw_call(sock, buf, len, -1) == -EINVAL, "KCONFIG of cache index 32 -> EINVAL");
	len = mkreq(buf, GOFER_MAGIC, GOFER_OP_KCONFIG, 0, 0, "", 0);
	((struct gofer_req *)buf)->flags = O_RDWR;
	ok(raw_call(sock, buf, len, -1) == -EINVAL, "KCONFIG with flags -> EINVAL");
	len = mkreq(buf, GOFER_MAGIC, GOFER_OP_WALK, 0, 3, "dir", 3);
	((struct gofer_req *)buf)->arg[1] = 0;
	ok(raw_call(sock, buf, len, -1) == -EINVAL, "WALK of at most 0 -> EINVAL");
	((struct gofer_req *)buf)->arg[1] = GOFER_WALK_MAX + 1;
	ok(raw_call(sock, buf, len, -1) == -EINVAL, "WALK of more than GOFER_WALK_MAX -> EINVAL");
	((struct gofer_req *)buf)->arg[1] = 1;
	((struct gofer_req *)buf)->arg[0] = -1;
	ok(raw_call(sock, buf, len, -1) == -EINVAL, "WALK from component -1 -> EINVAL");
	((struct gofer_req *)buf)->arg[0] = 0;
	((struct gofer_req *)buf)->arg[2] = 1;
	ok(raw_call(sock, buf, len, -1) == -EINVAL, "WALK with arg[2] -> EINVAL");
	len = mkreq(buf, GOFER_MAGIC, GOFER_OP_LSTAT, 0, 4, "file", 4);
	((struct gofer_req *)buf)->flags = O_RDWR;
	ok(raw_call(sock, buf, len, -1) == -EINVAL, "flags on LSTAT -> EINVAL");
	len = mkreq(buf, GOFER_MAGIC, GOFER_OP_OPEN, 0, 4, "file", 4);
	((struct gofer_req *)buf)->mode = 0170644;
	ok(raw_call(sock, buf, len, -1) == -EINVAL, "mode with file-type bits -> EINVAL");
	len = mkreq(buf, GOFER_MAGIC, GOFER_OP_LSTAT, 0, 2, "file", 4);
	((struct gofer_req *)buf)->path2_len = 2;
	ok(raw_call(sock, buf, len, -1) == -EINVAL, "a second path on LSTAT -> EINVAL");
	len = mkreq(buf, GOFER_MAGIC, GOFER_OP_SYMLINK, 1, 1, "l\0x", 3);
	((struct gofer_req *)buf)->path2_len = 2;
	ok(raw_call(sock, buf, len, -1) == -EINVAL, "NUL in a symlink target -> EINVAL");
	len = mkreq(buf, GOFER_MAGIC, GOFER_OP_MKDIR, 1, 3, "new", 3);
	((struct gofer_req *)buf)->arg[0] = UINT32_MAX;
	ok(raw_call(sock, buf, len, -1) == -EINVAL, "MKDIR owner (uid_t)-1 as an id -> EINVAL");
	((struct gofer_req *)buf)->arg[0] = -1;
	((struct gofer_req *)buf)->arg[1] = -2;
	ok(raw_call(sock, buf, len, -1) == -EINVAL, "MKDIR group -2 -> EINVAL");
	((struct gofer_req *)buf)->arg[1] = -1;
	((struct gofer_req *)buf)->arg[2] = 1;
	ok(raw_call(sock, buf, len, -1) == -EINVAL, "MKDIR with arg[2] -> EINVAL");
	len = mkreq(buf, GOFER_MAGIC, GOFER_OP_RENAME, 1, 1, "aa", 2);
	((struct gofer_req *)buf)->path2_len = 2;
	ok(raw_call(sock, buf, len, -1) == -EINVAL, "lengths beyond the message -> EINVAL");
	len = mkreq(buf, GOFER_MAGIC, GOFER_OP_LSTAT, 0, 4, "file", 4);
	((struct gofer_req *)buf)->on_fd = 1;
	ok(raw_call(sock, buf, len, -1) == -EINVAL, "on_fd on LSTAT -> EINVAL");
	len = mkreq(buf, GOFER_MAGIC, GOFER_OP_CHMOD, 1, 0, "", 0);
	((struct gofer_req *)buf)->on_fd = 2;
	ok(raw_call(sock, buf, len, -1) == -EINVAL, "on_fd 2 -> EINVAL");
	((struct gofer_req *)buf)->on_fd = 1;
	ok(raw_call(sock, buf, len, -1) == -EBADF, "on_fd without an fd -> EBADF");
	len = mkreq(buf, GOFER_MAGIC, GOFER_OP_CHMOD, 1, 3, "new", 3);
	((struct gofer_req *)buf)->on_fd = 1;
	ok(raw_call(sock, buf, len, -1) == -EINVAL, "on_fd with a path -> EINVAL");
	len = mkreq(buf, GOFER_MAGIC, GOFER_OP_LSTAT, 0, 4, "file", 4);
	((struct gofer_req *)buf)->arg[2] = 1;
	ok(raw_call(sock, buf, len, -1) == -EINVAL, "arg on LSTAT -> EINVAL");
	len = mkreq(buf, GOFER_MAGIC, GOFER_OP_UNLINK, 1, 4, "file", 4);
	((struct gofer_req *)buf)->flags = 0x1000;
	ok(raw_call(sock, buf, len, -1) == -EINVAL, "bad unlink flags -> EINVAL");
	len = mkreq(buf, GOFER_MAGIC, GOFER_OP_TRUNCATE, 1, 4, "file", 4);
	((struct gofer_req *)buf)->arg[0] = -5;
	ok(raw_call(sock, buf, len, -1) == -EINVAL, "negative truncate length -> EINVAL");
	len = mkreq(buf, GOFER_MAGIC, GOFER_OP_LSTAT, 0, 4, "file", 4);
	ok(raw_call(sock, buf, len, -1) == 0, "a well-formed raw LSTAT works");

	fds_before = count_fds(pid);
	devnull = open("/dev/null", O_RDONLY | O_CLOEXEC);
	ok(raw_call(sock, buf, len, devnull) == 0, "request carrying an fd is answered");
	close(devnull);
	/* (the gofer closes a passed fd after its reply: give it the moment) */
	int fds_after = count_fds(pid);
	for (int i = 0; i < 200 && fds_after != fds_before; i++) {
		usleep(5000);
		fds_after = count_fds(pid);
	}
	ok(fds_before == 5 && fds_after == fds_before,
	   "gofer holds only stderr, socket, roots and drops passed fds (%d)", fds_before);
	ok(gofer_lstat(0, "file", &st) == 0, "gofer still serves after malformed input");
}

static void
test_start_errors(void)
{
	struct gofer_mount bad[] = { { "/nonexistent-gofer-root", false } };
	struct gofer_mount rel[] = { { "relative", false } };
	int sock = -1, r;
	pid_t pid;

	r = gofer_start(bad, 1, &sock, &pid);
	ok(r == -ENOENT && sock == -1, "missing mount root -> ENOENT (r=%d)", r);
	r = gofer_start(rel, 1, &sock, &pid);
	ok(r == -EINVAL, "relative mount root -> EINVAL (r=%d)", r);
}

/* A file mount: the root is one host file (path ""), with nothing beneath it. */
static void
test_file_root(void)
{
	struct stat st;
	char buf[16];
	int fd;

	ok(gofer_lstat(2, "", &st) == 0 && S_ISREG(st.st_mode) && st.st_size == 7,
	   "file root: its lstat is the file's");
	fd = gofer_open(2, "", O_RDONLY, 0, &st);
	ok(fd >= 0 && read(fd, buf, sizeof(buf)) == 7 && !memcmp(buf, "single\n", 7),
	   "file root: opened and read");
	if (fd >= 0)
		close(fd);
	fd = gofer_open(2, "", O_WRONLY | O_TRUNC, 0, &st);
	ok(fd >= 0 && st.st_size == 0 && write(fd, "abc", 3) == 3, "file root: O_TRUNC and write");
	if (fd >= 0)
		close(fd);
	ok(gofer_truncate(2, "", 2, &st) == 0 && st.st_size == 2, "file root: truncate");
	ok(gofer_chmod(2, "", 0600, &st) == 0 && (st.st_mode & 07777) == 0600, "file root: chmod");
	ok(gofer_open(2, "", O_RDONLY | O_DIRECTORY, 0, &st) == -ENOTDIR,
	   "file root: O_DIRECTORY -> ENOTDIR");
	ok(gofer_lstat(2, "x", &st) == -ENOTDIR, "file root: nothing beneath it");
	ok(gofer_mkdir(2, "x", 0755, -1, -1, &st) == -ENOTDIR, "file root: no mkdir beneath it");
	ok(gofer_unlink(2, "", 0) == -EINVAL, "file root: the root has no name to unlink");
}

static int
wait_exit(pid_t pid, int *status)
{
	int i;

	for (i = 0; i < 200; i++) {
		struct timespec ts = { 0, 10 * 1000 * 1000 };
		pid_t r = waitpid(pid, status, WNOHANG);

		if (r == pid)
			return 0;
		nanosleep(&ts, NULL);
	}
	return -1;
}

int
main(void)
{
	struct gofer_mount mounts[3];
	int sock = -1, status = 0, r;
	pid_t pid = -1;

	printf("1..193\n");
	alarm(30); /* a hang is a failure */
	make_tree();
	mounts[0] = (struct gofer_mount){ ro_dir, false };
	mounts[1] = (struct gofer_mount){ rw_dir, true };
	mounts[2] = (struct gofer_mount){ one_file, true };
	r = gofer_start(mounts, 3, &sock, &pid);
	ok(r == 0 && sock >= 0 && pid > 0, "gofer_start (r=%d)", r);
	if (r) {
		cleanup();
		return 1;
	}
	ok(fcntl(sock, F_GETFD) & FD_CLOEXEC, "sentry end is close-on-exec");
	ok(proc_status_has(pid, "Seccomp:\t2"), "gofer runs under a seccomp filter");
	ok(proc_status_has(pid, "NoNewPrivs:\t1"), "gofer has no_new_privs");
	gofer_client_init(sock);

	test_stat_and_open();
	test_readlink();
	test_walk();
	test_deep();
	test_refusals();
	test_write_flags();
	test_changes();
	test_on_fd();
	test_file_root();
	test_kconfig();
	test_cpuinfo();
	test_host_dir();
	test_malformed(sock, pid);
	test_start_errors();
	ok(kill(pid, 0) == 0, "gofer is still alive");

	close(sock);
	ok(wait_exit(pid, &status) == 0 && WIFEXITED(status) && WEXITSTATUS(status) == 0,
	   "gofer exits 0 when the socket closes (status %#x)", status);
	ok(gofer_lstat(0, "file", NULL) == -EIO, "calls after the gofer is gone -> EIO");
	cleanup();
	if (ntest != 193)
		printf("# planned 193, ran %d\n", ntest);
	return nfail || ntest != 193 ? 1 : 0;
}
