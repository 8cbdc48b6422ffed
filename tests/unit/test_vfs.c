/* Unit tests for the VFS (fs/): path walk, tmpfs, hostfs via a real gofer, devfs, procfs.
 * TAP output; exit 0 when every test passes. */
#include <dirent.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/wait.h>
#include <unistd.h>

#include "tests/unit/tap.h"
#include "fs/gofer.h"
#include "fs/vfs.h"
#include "sentry/sentry.h"


#define EQ(a, b, desc)                                                                  \
	do {                                                                            \
		long _a = (long)(a), _b = (long)(b);                                   \
		ok(_a == _b, "%s (got %ld, want %ld)", desc, _a, _b);                  \
	} while (0)

static struct task *root_t, *user_t;
static bool have_host;
static char host_dir[] = "/tmp/vfs-host-XXXXXX";
static char rw_dir[] = "/tmp/vfs-rw-XXXXXX";

/* ---- helpers ---- */

static int
open_(struct task *t, const char *path, int flags, mode_t mode, struct file **f)
{
	return vfs_openat(t, NULL, path, flags, mode, f);
}

static int
put_file(struct task *t, const char *path, const char *data)
{
	struct file *f;
	int err = open_(t, path, O_WRONLY | O_CREAT | O_TRUNC, 0644, &f);

	if (err)
		return err;
	err = file_write(f, data, strlen(data)) == (ssize_t)strlen(data) ? 0 : -EIO;
	file_put(f);
	return err;
}

/* Reads up to n-1 bytes of path into buf; returns the length or -errno. */
static long
get_file(struct task *t, const char *path, char *buf, size_t n)
{
	struct file *f;
	long r, total = 0;
	int err = open_(t, path, O_RDONLY, 0, &f);

	if (err)
		return err;
	while ((size_t)total < n - 1 && (r = file_read(f, buf + total, n - 1 - total)) > 0)
		total += r;
	buf[total] = '\0';
	file_put(f);
	return total;
}

static int
err_of(struct task *t, const char *path, int flags)
{
	struct file *f = NULL;
	int err = open_(t, path, flags, 0644, &f);

	if (!err)
		file_put(f);
	return err;
}

static int
stat_(struct task *t, const char *path, int flags, struct stat *st)
{
	return vfs_statat(t, NULL, path, flags, st);
}

/* Names in a directory, via getdents64 with a small buffer. */
static int
list_dir(struct task *t, const char *path, char names[][64], int max, size_t bufsz)
{
	struct file *f;
	char buf[4096];
	int n = 0;
	ssize_t r;

	if (open_(t, path, O_RDONLY | O_DIRECTORY, 0, &f))
		return -1;
	while ((r = file_getdents64(f, buf, bufsz)) > 0) {
		for (ssize_t off = 0; off < r;) {
			struct dirent64 *de = (struct dirent64 *)(buf + off);

			if (n < max)
				snprintf(names[n++], 64, "%.63s", de->d_name);
			off += de->d_reclen;
		}
	}
	file_put(f);
	return n;
}

static bool
has_name(char names[][64], int n, const char *name)
{
	for (int i = 0; i < n; i++)
		if (!strcmp(names[i], name))
			return true;
	return false;
}

/* ---- setup ---- */

#define SPARSE_SIZE ((off_t)1 << 40)
#define BIG_SIZE (4 << 20)
static bool have_sparse;

/* cu/: a file with three host names, a 1 TiB sparse file, a 4 MiB one of data. */
static void
host_copyup_tree(void)
{
	char p[PATH_MAX], q[PATH_MAX];
	_cleanup_free_ char *big = xmalloc(BIG_SIZE);
	int fd;

	snprintf(p, sizeof(p), "%s/cu", host_dir);
	mkdir(p, 0755);
	snprintf(p, sizeof(p), "%s/cu/l1", host_dir);
	fd = open(p, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	if (fd < 0 || write(fd, "link\n", 5) != 5)
		exit(1);
	close(fd);
	snprintf(q, sizeof(q), "%s/cu/l2", host_dir);
	if (link(p, q) < 0)
		exit(1);
	snprintf(q, sizeof(q), "%s/cu/l3", host_dir);
	if (link(p, q) < 0)
		exit(1);
	snprintf(p, sizeof(p), "%s/cu/sparse", host_dir);
	fd = open(p, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	have_sparse = fd >= 0 && ftruncate(fd, SPARSE_SIZE) == 0 &&
		      pwrite(fd, "head", 4, 0) == 4 &&
		      pwrite(fd, "mid", 3, SPARSE_SIZE / 2) == 3 &&
		      pwrite(fd, "tail", 4, SPARSE_SIZE - 4) == 4;
	close(fd);
	if (!have_sparse)
		unlink(p);
	snprintf(p, sizeof(p), "%s/cu/big", host_dir);
	fd = open(p, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	memset(big, 'b', BIG_SIZE);
	if (fd < 0 || write(fd, big, BIG_SIZE) != BIG_SIZE)
		exit(1);
	close(fd);
}

static void
host_tree(void)
{
	char p[PATH_MAX];
	FILE *f;

	if (!mkdtemp(host_dir)) {
		perror("mkdtemp");
		exit(1);
	}
	chmod(host_dir, 0755);
	snprintf(p, sizeof(p), "%s/hello.txt", host_dir);
	f = fopen(p, "w");
	fputs("hello host\n", f);
	fclose(f);
	snprintf(p, sizeof(p), "%s/sub", host_dir);
	mkdir(p, 0755);
	snprintf(p, sizeof(p), "%s/sub/a.txt", host_dir);
	f = fopen(p, "w");
	fputs("AAA", f);
	fclose(f);
	snprintf(p, sizeof(p), "%s/rel_link", host_dir);
	symlink("hello.txt", p);
	snprintf(p, sizeof(p), "%s/sub/abs_link", host_dir);
	symlink("/hello.txt", p);
	snprintf(p, sizeof(p), "%s/sub/up_link", host_dir);
	symlink("../sub/a.txt", p);
	host_copyup_tree();
	snprintf(p, sizeof(p), "%s/many", host_dir);
	mkdir(p, 0755);
	for (int i = 0; i < 20; i++) {
		snprintf(p, sizeof(p), "%s/many/g%02d", host_dir, i);
		f = fopen(p, "w");
		fputs("g", f);
		fclose(f);
	}
}

static void
cleanup_host(void)
{
	char cmd[PATH_MAX + 16];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s' '%s'", host_dir, rw_dir);
	if (system(cmd) != 0)
		fprintf(stderr, "cleanup failed\n");
}

static pid_t gofer_pid = -1;

static void
setup(void)
{
	struct vfs_mount_spec specs[7];
	int n = 0, sock, err;

	host_tree();
	if (!mkdtemp(rw_dir))
		exit(1);
	struct gofer_mount gm[2] = { { .host_path = host_dir, .writable = false },
				     { .host_path = rw_dir, .writable = true } };

	err = gofer_start(gm, 2, &sock, &gofer_pid);
	if (err == 0) {
		gofer_client_init(sock);
		have_host = true;
		specs[n++] = (struct vfs_mount_spec){ .guest_path = "/", .host_path = host_dir,
						      .gofer_mount = 0, .readonly = true };
		specs[n++] = (struct vfs_mount_spec){ .guest_path = "/ovl", .host_path = host_dir,
						      .gofer_mount = 0, .overlay = true };
		specs[n++] = (struct vfs_mount_spec){ .guest_path = "/rw", .host_path = rw_dir,
						      .gofer_mount = 1 };
	} else {
		printf("# gofer_start: %s; hostfs tests skipped\n", strerror(-err));
		specs[n++] = (struct vfs_mount_spec){ .guest_path = "/" };
	}
	specs[n++] = (struct vfs_mount_spec){ .guest_path = "/tmp" };
	specs[n++] = (struct vfs_mount_spec){ .guest_path = "/ro", .readonly = true };
	specs[n++] = (struct vfs_mount_spec){ .guest_path = "/deep/mount/point" };
	specs[n++] = (struct vfs_mount_spec){ .guest_path = "/tmp/mnt" };
	EQ(vfs_init(specs, n), 0, "vfs_init with hostfs root, tmpfs mounts");

	root_t = task_new();
	root_t->fs = vfs_ctx_new();
	root_t->fdt = fdt_new();
	snprintf(root_t->comm, sizeof(root_t->comm), "roottask");
	user_t = task_new();
	user_t->fs = vfs_ctx_new();
	user_t->fdt = fdt_new();
	user_t->uid = user_t->euid = user_t->suid = user_t->fsuid = 1000;
	user_t->gid = user_t->egid = user_t->sgid = user_t->fsgid = 1000;
	task_caps_init(user_t); /* not root: no capabilities */
	snprintf(user_t->comm, sizeof(user_t->comm), "usertask");
}

/* ---- tests ---- */

static void
test_basic_io(void)
{
	struct file *f;
	struct stat st;
	char buf[64];

	EQ(vfs_mkdirat(NULL, NULL, "/tmp/a", 0755), 0, "mkdir /tmp/a");
	EQ(vfs_mkdirat(NULL, NULL, "/tmp/a", 0755), -EEXIST, "mkdir existing -> EEXIST");
	EQ(put_file(NULL, "/tmp/a/f", "hello world"), 0, "create and write /tmp/a/f");
	EQ(get_file(NULL, "/tmp/a/f", buf, sizeof(buf)), 11, "read back length");
	ok(!strcmp(buf, "hello world"), "read back content");
	EQ(stat_(NULL, "/tmp/a/f", 0, &st), 0, "stat file");
	EQ(st.st_size, 11, "st_size");
	EQ(st.st_blksize, 4096, "st_blksize 4096");
	EQ(st.st_blocks, 8, "st_blocks one page");
	EQ(st.st_nlink, 1, "st_nlink 1");
	ok(S_ISREG(st.st_mode) && (st.st_mode & 07777) == 0644, "mode 0644 regular");
	EQ(open_(NULL, "/tmp/a/f", O_RDWR, 0, &f), 0, "open rw");
	EQ(file_pread(f, buf, 5, 6), 5, "pread 5 at 6");
	ok(!memcmp(buf, "world", 5), "pread content");
	EQ(file_lseek(f, 0, SEEK_END), 11, "lseek end");
	EQ(file_write(f, "!", 1), 1, "write at end");
	EQ(file_lseek(f, -1, SEEK_CUR), 11, "lseek cur -1");
	EQ(file_lseek(f, -100, SEEK_CUR), -EINVAL, "lseek before 0 -> EINVAL");
	EQ(file_getdents64(f, buf, sizeof(buf)), -ENOTDIR, "getdents on file -> ENOTDIR");
	file_put(f);

	/* sparse */
	EQ(open_(NULL, "/tmp/a/sparse", O_RDWR | O_CREAT, 0600, &f), 0, "create sparse");
	EQ(file_pwrite(f, "X", 1, 100000), 1, "pwrite at 100000");
	EQ(file_pread(f, buf, 4, 50000), 4, "read hole");
	ok(!memcmp(buf, "\0\0\0\0", 4), "hole reads zeros");
	EQ(file_stat(f, &st), 0, "fstat sparse");
	EQ(st.st_size, 100001, "sparse size");
	EQ(st.st_blocks, 8, "sparse blocks: one page");
	EQ(file_truncate(f, 10), 0, "ftruncate shrink");
	EQ(file_pread(f, buf, 64, 0), 10, "read after shrink");
	EQ(file_truncate(f, 20), 0, "ftruncate grow");
	EQ(file_pread(f, buf, 64, 0), 20, "read after grow");
	ok(buf[15] == 0, "grown part reads zero");
	file_put(f);

	/* O_TRUNC, O_APPEND */
	EQ(put_file(NULL, "/tmp/a/t", "0123456789"), 0, "write t");
	EQ(open_(NULL, "/tmp/a/t", O_WRONLY | O_APPEND, 0, &f), 0, "open O_APPEND");
	EQ(file_write(f, "ab", 2), 2, "append write");
	EQ(file_pwrite(f, "cd", 2, 0), 2, "pwrite with O_APPEND appends (Linux)");
	file_put(f);
	EQ(get_file(NULL, "/tmp/a/t", buf, sizeof(buf)), 14, "appended size");
	ok(!strcmp(buf, "0123456789abcd"), "appended content");
	EQ(open_(NULL, "/tmp/a/t", O_WRONLY | O_TRUNC, 0, &f), 0, "open O_TRUNC");
	EQ(file_stat(f, &st), 0, "fstat");
	EQ(st.st_size, 0, "O_TRUNC empties");
	EQ(file_read(f, buf, 1), -EBADF, "read on O_WRONLY -> EBADF");
	file_put(f);
	EQ(open_(NULL, "/tmp/a/t", O_RDONLY, 0, &f), 0, "open O_RDONLY");
	EQ(file_write(f, "x", 1), -EBADF, "write on O_RDONLY -> EBADF");
	EQ(file_truncate(f, 0), -EINVAL, "ftruncate on O_RDONLY -> EINVAL");
	file_put(f);
}

static void
test_walk(void)
{
	struct stat st, st2;
	struct file *d, *f;
	char name[300], *longp;

	EQ(stat_(NULL, "/tmp/a/../a/./f", 0, &st), 0, "dot and dotdot");
	EQ(stat_(NULL, "//tmp///a//f", 0, &st), 0, "repeated slashes");
	EQ(stat_(NULL, "/../../..", 0, &st), 0, "/.. stays at root");
	EQ(stat_(NULL, "/", 0, &st2), 0, "stat /");
	ok(st.st_ino == st2.st_ino && st.st_dev == st2.st_dev, "/.. is /");
	EQ(stat_(NULL, "/tmp/..", 0, &st), 0, "/tmp/.. crosses the mount up");
	ok(st.st_ino == st2.st_ino && st.st_dev == st2.st_dev, "/tmp/.. is /");
	EQ(stat_(NULL, "/tmp", 0, &st), 0, "stat /tmp");
	ok(st.st_dev != st2.st_dev, "/tmp is another filesystem");
	ok((st.st_mode & 07777) == 01777, "tmpfs root mode 1777");
	EQ(stat_(NULL, "/deep/mount/point", 0, &st), 0, "deep synthetic mount point");
	EQ(stat_(NULL, "/ro", 0, &st), 0, "synthetic /ro");

	EQ(stat_(NULL, "/tmp/a/f/x", 0, &st), -ENOTDIR, "file in the middle -> ENOTDIR");
	EQ(stat_(NULL, "/tmp/a/f/", 0, &st), -ENOTDIR, "trailing slash on file -> ENOTDIR");
	EQ(stat_(NULL, "/tmp/a/f/.", 0, &st), -ENOTDIR, "file/. -> ENOTDIR");
	EQ(stat_(NULL, "/tmp/a/", 0, &st), 0, "trailing slash on dir");
	EQ(stat_(NULL, "/tmp/nope/x", 0, &st), -ENOENT, "missing middle -> ENOENT");
	EQ(stat_(NULL, "", 0, &st), -ENOENT, "empty path -> ENOENT");
	EQ(vfs_statat(NULL, NULL, "", AT_EMPTY_PATH, &st), 0, "AT_EMPTY_PATH with cwd");
	EQ(vfs_statat(NULL, NULL, "/", 0x8000000, &st), -EINVAL, "bad at_flags -> EINVAL");

	memset(name, 'x', 256);
	name[0] = '/';
	name[257] = '\0';
	memset(name + 1, 'n', 256);
	EQ(stat_(NULL, name, 0, &st), -ENAMETOOLONG, "component of 256 -> ENAMETOOLONG");
	name[256] = '\0';
	EQ(stat_(NULL, name, 0, &st), -ENOENT, "component of 255 -> ENOENT");
	longp = malloc(PATH_MAX + 1);
	memset(longp, '/', PATH_MAX);
	longp[PATH_MAX] = '\0';
	EQ(stat_(NULL, longp, 0, &st), -ENAMETOOLONG, "path of PATH_MAX -> ENAMETOOLONG");
	longp[PATH_MAX - 1] = '\0';
	EQ(stat_(NULL, longp, 0, &st), 0, "path of PATH_MAX-1 slashes is /");
	free(longp);

	/* relative to dirf */
	EQ(open_(NULL, "/tmp/a", O_RDONLY | O_DIRECTORY, 0, &d), 0, "open dir");
	EQ(vfs_statat(NULL, d, "f", 0, &st), 0, "statat relative to dirf");
	EQ(vfs_statat(NULL, d, "", AT_EMPTY_PATH, &st), 0, "AT_EMPTY_PATH on dirf");
	ok(S_ISDIR(st.st_mode), "AT_EMPTY_PATH gives dirf itself");
	EQ(vfs_statat(NULL, d, "", 0, &st), -ENOENT, "empty path without flag -> ENOENT");
	EQ(open_(NULL, "/tmp/a/f", O_RDONLY, 0, &f), 0, "open file");
	EQ(vfs_statat(NULL, f, "x", 0, &st), -ENOTDIR, "dirf not a directory -> ENOTDIR");
	EQ(vfs_statat(NULL, f, "/tmp", 0, &st), 0, "absolute path ignores dirf");
	file_put(f);
	EQ(err_of(NULL, "/tmp/a", O_WRONLY), -EISDIR, "open dir for write -> EISDIR");
	EQ(err_of(NULL, "/tmp/a", O_RDONLY | O_TRUNC), -EISDIR, "O_TRUNC on dir -> EISDIR");
	EQ(err_of(NULL, "/tmp/a/f", O_RDONLY | O_DIRECTORY), -ENOTDIR, "O_DIRECTORY on file");
	EQ(err_of(NULL, "/tmp/a", O_RDONLY | O_CREAT), -EISDIR, "O_CREAT on dir -> EISDIR");
	EQ(err_of(NULL, "/tmp/a/new/", O_RDWR | O_CREAT), -EISDIR, "O_CREAT name/ -> EISDIR");
	EQ(err_of(NULL, "/tmp/a/f", O_RDWR | O_CREAT | O_EXCL), -EEXIST, "O_EXCL existing");
	file_put(d);

	/* chdir / getcwd / chroot */
	char cwd[PATH_MAX];

	EQ(vfs_chdir(root_t, NULL, "/tmp/a"), 0, "chdir /tmp/a");
	EQ(vfs_getcwd(root_t, cwd, sizeof(cwd)), 7, "getcwd length incl NUL");
	ok(!strcmp(cwd, "/tmp/a"), "getcwd /tmp/a (%s)", cwd);
	EQ(vfs_getcwd(root_t, cwd, 3), -ERANGE, "getcwd small buffer -> ERANGE");
	EQ(vfs_statat(root_t, NULL, "f", 0, &st), 0, "relative to cwd");
	EQ(vfs_chdir(root_t, NULL, "f"), -ENOTDIR, "chdir to file -> ENOTDIR");
	EQ(vfs_chdir(root_t, NULL, ".."), 0, "chdir ..");
	EQ(vfs_getcwd(root_t, cwd, sizeof(cwd)), 5, "getcwd /tmp");
	struct task *ct = task_new();

	ct->fs = vfs_ctx_new();
	EQ(vfs_chroot(ct, "/tmp"), 0, "chroot /tmp");
	EQ(vfs_statat(ct, NULL, "/a/f", 0, &st), 0, "absolute path inside chroot");
	EQ(vfs_statat(ct, NULL, "/../../a/f", 0, &st), 0, ".. at chroot root stays");
	EQ(vfs_chdir(ct, NULL, "/a"), 0, "chdir inside chroot");
	EQ(vfs_getcwd(ct, cwd, sizeof(cwd)), 3, "getcwd relative to chroot");
	ok(!strcmp(cwd, "/a"), "getcwd is /a (%s)", cwd);
	EQ(vfs_chroot(user_t, "/tmp"), -EPERM, "chroot as non-root -> EPERM");
}

static void
test_symlinks(void)
{
	struct stat st, st2;
	char buf[128], p[64];
	struct file *f;

	EQ(vfs_symlinkat(NULL, "f", NULL, "/tmp/a/rel"), 0, "symlink relative");
	EQ(vfs_symlinkat(NULL, "/tmp/a/f", NULL, "/tmp/a/abs"), 0, "symlink absolute");
	EQ(vfs_symlinkat(NULL, "rel", NULL, "/tmp/a/nested"), 0, "symlink to symlink");
	EQ(vfs_symlinkat(NULL, "../a", NULL, "/tmp/a/dirlink"), 0, "symlink to dir");
	EQ(vfs_symlinkat(NULL, "loop2", NULL, "/tmp/a/loop1"), 0, "loop1");
	EQ(vfs_symlinkat(NULL, "loop1", NULL, "/tmp/a/loop2"), 0, "loop2");
	EQ(vfs_symlinkat(NULL, "missing", NULL, "/tmp/a/dangling"), 0, "dangling");
	EQ(vfs_symlinkat(NULL, "", NULL, "/tmp/a/empty"), -ENOENT, "empty target -> ENOENT");
	EQ(vfs_symlinkat(NULL, "x", NULL, "/tmp/a/f"), -EEXIST, "symlink over file -> EEXIST");
	EQ(stat_(NULL, "/tmp/a/f", 0, &st2), 0, "stat target");
	EQ(stat_(NULL, "/tmp/a/rel", 0, &st), 0, "follow relative");
	ok(st.st_ino == st2.st_ino, "relative link reaches f");
	EQ(stat_(NULL, "/tmp/a/abs", 0, &st), 0, "follow absolute");
	ok(st.st_ino == st2.st_ino, "absolute link reaches f");
	EQ(stat_(NULL, "/tmp/a/nested", 0, &st), 0, "follow nested");
	ok(st.st_ino == st2.st_ino, "nested link reaches f");
	EQ(stat_(NULL, "/tmp/a/dirlink/dirlink/dirlink/f", 0, &st), 0, "links in the middle");
	EQ(stat_(NULL, "/tmp/a/nested", AT_SYMLINK_NOFOLLOW, &st), 0, "lstat link");
	ok(S_ISLNK(st.st_mode) && st.st_size == 3, "lstat gives the link (size %ld)",
	   (long)st.st_size);
	EQ(stat_(NULL, "/tmp/a/loop1", 0, &st), -ELOOP, "loop -> ELOOP");
	EQ(stat_(NULL, "/tmp/a/dangling", 0, &st), -ENOENT, "dangling -> ENOENT");
	EQ(vfs_readlinkat(NULL, NULL, "/tmp/a/abs", buf, sizeof(buf)), 8, "readlink length");
	ok(!memcmp(buf, "/tmp/a/f", 8), "readlink content");
	EQ(vfs_readlinkat(NULL, NULL, "/tmp/a/abs", buf, 3), 3, "readlink truncates");
	EQ(vfs_readlinkat(NULL, NULL, "/tmp/a/f", buf, sizeof(buf)), -EINVAL,
	   "readlink of file -> EINVAL");
	EQ(err_of(NULL, "/tmp/a/rel", O_RDONLY | O_NOFOLLOW), -ELOOP, "O_NOFOLLOW -> ELOOP");
	EQ(open_(NULL, "/tmp/a/rel", O_PATH | O_NOFOLLOW | O_CLOEXEC, 0, &f), 0,
	   "O_PATH|O_NOFOLLOW ok");
	EQ(file_get_flags(f), O_PATH | O_NOFOLLOW, "F_GETFL of O_PATH as Linux");
	EQ(file_read(f, buf, 1), -EBADF, "read on O_PATH -> EBADF");
	EQ(vfs_readlinkat(NULL, f, "", buf, sizeof(buf)), 1, "readlinkat(fd, \"\")");
	file_put(f);
	EQ(err_of(NULL, "/tmp/a/rel", O_RDWR | O_CREAT | O_EXCL), -EEXIST,
	   "O_CREAT|O_EXCL on symlink -> EEXIST");
	EQ(err_of(NULL, "/tmp/a/dangling", O_RDWR | O_CREAT | O_EXCL), -EEXIST,
	   "O_CREAT|O_EXCL on dangling symlink -> EEXIST");
	EQ(err_of(NULL, "/tmp/a/dangling", O_RDWR | O_CREAT), 0,
	   "O_CREAT through dangling link creates target");
	EQ(stat_(NULL, "/tmp/a/missing", 0, &st), 0, "target created");
	EQ(stat_(NULL, "/tmp/a/rel/", 0, &st), -ENOTDIR, "link-to-file/ -> ENOTDIR");
	EQ(stat_(NULL, "/tmp/a/dirlink/", AT_SYMLINK_NOFOLLOW, &st), 0, "link-to-dir/ follows");
	ok(S_ISDIR(st.st_mode), "trailing slash follows the final link");

	/* chains: 40 links are fine, 41 are not */
	vfs_mkdirat(NULL, NULL, "/tmp/chain", 0755);
	put_file(NULL, "/tmp/chain/l0", "end");
	for (int i = 1; i <= 41; i++) {
		char tgt[16];

		snprintf(tgt, sizeof(tgt), "l%d", i - 1);
		snprintf(p, sizeof(p), "/tmp/chain/l%d", i);
		vfs_symlinkat(NULL, tgt, NULL, p);
	}
	EQ(stat_(NULL, "/tmp/chain/l40", 0, &st), 0, "40 links followed");
	EQ(stat_(NULL, "/tmp/chain/l41", 0, &st), -ELOOP, "41 links -> ELOOP");
}

static void
test_dirs_and_names(void)
{
	struct file *f;
	struct stat st;
	char buf[64];

	EQ(vfs_mkdirat(NULL, NULL, "/tmp/d/", 0700), 0, "mkdir with trailing slash");
	EQ(vfs_mkdirat(NULL, NULL, "/tmp/d/x/y", 0700), -ENOENT, "mkdir missing parent");
	EQ(vfs_mkdirat(NULL, NULL, "/", 0700), -EEXIST, "mkdir / -> EEXIST");
	EQ(vfs_mkdirat(NULL, NULL, "/tmp/d/.", 0700), -EEXIST, "mkdir . -> EEXIST");
	EQ(vfs_mknodat(NULL, NULL, "/tmp/d/f/", S_IFREG | 0600, 0), -ENOENT,
	   "mknod name/ -> ENOENT");
	EQ(vfs_mknodat(user_t, NULL, "/tmp/d/chr", S_IFCHR | 0600, 0x103), -EPERM,
	   "mknod chr without CAP_MKNOD -> EPERM");
	EQ(vfs_mknodat(NULL, NULL, "/tmp/d/chr", S_IFCHR | 0600, 0x103), 0,
	   "mknod chr with CAP_MKNOD");
	EQ(err_of(NULL, "/tmp/d/chr", O_RDONLY), -EACCES, "open it on the nodev /tmp: EACCES");
	EQ(vfs_unlinkat(NULL, NULL, "/tmp/d/chr", 0), 0, "unlink chr");
	EQ(vfs_mknodat(NULL, NULL, "/tmp/d/fifo", S_IFIFO | 0600, 0), 0, "mknod fifo");
	EQ(stat_(NULL, "/tmp/d/fifo", 0, &st), 0, "stat fifo");
	ok(S_ISFIFO(st.st_mode), "fifo type");
	EQ(stat_(NULL, "/tmp/d", 0, &st), 0, "stat dir");
	EQ(st.st_nlink, 2, "empty dir nlink 2");
	vfs_mkdirat(NULL, NULL, "/tmp/d/sub", 0700);
	EQ(stat_(NULL, "/tmp/d", 0, &st), 0, "stat dir");
	EQ(st.st_nlink, 3, "subdir adds a link");
	EQ(vfs_unlinkat(NULL, NULL, "/tmp/d", AT_REMOVEDIR), -ENOTEMPTY, "rmdir non-empty");
	EQ(vfs_unlinkat(NULL, NULL, "/tmp/d/sub", 0), -EISDIR, "unlink dir -> EISDIR");
	EQ(vfs_unlinkat(NULL, NULL, "/tmp/d/fifo", AT_REMOVEDIR), -ENOTDIR, "rmdir file");
	EQ(vfs_unlinkat(NULL, NULL, "/tmp/d/sub/.", AT_REMOVEDIR), -EINVAL, "rmdir . -> EINVAL");
	EQ(vfs_unlinkat(NULL, NULL, "/tmp/d/sub/..", AT_REMOVEDIR), -ENOTEMPTY,
	   "rmdir .. -> ENOTEMPTY");
	EQ(vfs_unlinkat(NULL, NULL, "/tmp/d/fifo/", 0), -ENOTDIR, "unlink file/ -> ENOTDIR");
	EQ(vfs_unlinkat(NULL, NULL, "/tmp/d/sub", AT_REMOVEDIR), 0, "rmdir");
	EQ(vfs_unlinkat(NULL, NULL, "/tmp/d/sub", AT_REMOVEDIR), -ENOENT, "rmdir again");
	EQ(vfs_unlinkat(NULL, NULL, "/tmp/mnt", AT_REMOVEDIR), -EBUSY, "rmdir mount point -> EBUSY");
	EQ(vfs_renameat2(NULL, NULL, "/tmp/mnt", NULL, "/tmp/mnt2", 0), -EBUSY,
	   "rename mount point -> EBUSY");
	EQ(vfs_unlinkat(NULL, NULL, "/tmp", AT_REMOVEDIR), -EROFS, "rmdir in ro root -> EROFS");
	EQ(vfs_unlinkat(NULL, NULL, "/tmp/d", 0x1000), -EINVAL, "bad unlink flag -> EINVAL");

	/* unlink an open file */
	put_file(NULL, "/tmp/d/gone", "still here");
	EQ(open_(NULL, "/tmp/d/gone", O_RDWR, 0, &f), 0, "open before unlink");
	EQ(vfs_unlinkat(NULL, NULL, "/tmp/d/gone", 0), 0, "unlink open file");
	EQ(stat_(NULL, "/tmp/d/gone", 0, &st), -ENOENT, "name is gone");
	EQ(file_pread(f, buf, sizeof(buf), 0), 10, "open file still readable");
	EQ(file_stat(f, &st), 0, "fstat unlinked");
	EQ(st.st_nlink, 0, "nlink 0 after unlink");
	EQ(file_path(f, buf, sizeof(buf)), (long)strlen("/tmp/d/gone (deleted)"),
	   "path length with (deleted)");
	ok(!strcmp(buf, "/tmp/d/gone (deleted)"), "file_path: %s", buf);
	EQ(vfs_linkat(NULL, f, "", NULL, "/tmp/d/back", AT_EMPTY_PATH), -ENOENT,
	   "link of an unlinked file -> ENOENT");
	file_put(f);

	/* hard links */
	put_file(NULL, "/tmp/d/h1", "shared");
	EQ(vfs_linkat(NULL, NULL, "/tmp/d/h1", NULL, "/tmp/d/h2", 0), 0, "link");
	EQ(vfs_linkat(NULL, NULL, "/tmp/d/h1", NULL, "/tmp/d/h2", 0), -EEXIST, "link exists");
	EQ(vfs_linkat(NULL, NULL, "/tmp/d", NULL, "/tmp/d2", 0), -EPERM, "link dir -> EPERM");
	EQ(vfs_linkat(NULL, NULL, "/tmp/d/h1", NULL, "/ro/h", 0), -EROFS,
	   "link into read-only mount -> EROFS");
	EQ(stat_(NULL, "/tmp/d/h2", 0, &st), 0, "stat link");
	EQ(st.st_nlink, 2, "nlink 2");
	EQ(vfs_unlinkat(NULL, NULL, "/tmp/d/h1", 0), 0, "unlink first name");
	EQ(get_file(NULL, "/tmp/d/h2", buf, sizeof(buf)), 6, "data via second name");
	EQ(stat_(NULL, "/tmp/d/h2", 0, &st), 0, "stat");
	EQ(st.st_nlink, 1, "nlink back to 1");

	/* rmdir of cwd leaves getcwd -ENOENT */
	struct task *t = task_new();
	char cwd[64];

	t->fs = vfs_ctx_new();
	vfs_mkdirat(NULL, NULL, "/tmp/cwdgone", 0755);
	vfs_chdir(t, NULL, "/tmp/cwdgone");
	EQ(vfs_unlinkat(NULL, NULL, "/tmp/cwdgone", AT_REMOVEDIR), 0, "rmdir a cwd");
	EQ(vfs_getcwd(t, cwd, sizeof(cwd)), -ENOENT, "getcwd of removed dir -> ENOENT");
	EQ(vfs_mkdirat(t, NULL, "x", 0755), -ENOENT, "create in removed dir -> ENOENT");
	EQ(vfs_statat(t, NULL, "..", 0, &st), 0, ".. from removed dir works");
}

static void
test_rename(void)
{
	struct stat st, st2;
	char buf[64];

	vfs_mkdirat(NULL, NULL, "/tmp/r", 0755);
	vfs_mkdirat(NULL, NULL, "/tmp/r/d1", 0755);
	vfs_mkdirat(NULL, NULL, "/tmp/r/d1/inner", 0755);
	vfs_mkdirat(NULL, NULL, "/tmp/r/d2", 0755);
	put_file(NULL, "/tmp/r/f1", "one");
	put_file(NULL, "/tmp/r/f2", "two");
	EQ(vfs_renameat2(NULL, NULL, "/tmp/r/f1", NULL, "/tmp/r/f3", 0), 0, "rename file");
	EQ(stat_(NULL, "/tmp/r/f1", 0, &st), -ENOENT, "old name gone");
	EQ(get_file(NULL, "/tmp/r/f3", buf, sizeof(buf)), 3, "new name readable");
	EQ(vfs_renameat2(NULL, NULL, "/tmp/r/f3", NULL, "/tmp/r/f2", 0), 0, "rename replaces");
	EQ(get_file(NULL, "/tmp/r/f2", buf, sizeof(buf)), 3, "replaced");
	ok(!strcmp(buf, "one"), "replaced content");
	put_file(NULL, "/tmp/r/f4", "four");
	EQ(vfs_renameat2(NULL, NULL, "/tmp/r/f4", NULL, "/tmp/r/f2", RENAME_NOREPLACE), -EEXIST,
	   "RENAME_NOREPLACE -> EEXIST");
	EQ(stat_(NULL, "/tmp/r/f2", 0, &st), 0, "stat f2");
	EQ(stat_(NULL, "/tmp/r/f4", 0, &st2), 0, "stat f4");
	EQ(vfs_renameat2(NULL, NULL, "/tmp/r/f4", NULL, "/tmp/r/f2", RENAME_EXCHANGE), 0,
	   "RENAME_EXCHANGE");
	EQ(get_file(NULL, "/tmp/r/f2", buf, sizeof(buf)), 4, "exchanged f2");
	ok(!strcmp(buf, "four"), "f2 has four");
	EQ(get_file(NULL, "/tmp/r/f4", buf, sizeof(buf)), 3, "exchanged f4");
	EQ(vfs_renameat2(NULL, NULL, "/tmp/r/f4", NULL, "/tmp/r/none", RENAME_EXCHANGE), -ENOENT,
	   "RENAME_EXCHANGE with missing target -> ENOENT");
	EQ(vfs_renameat2(NULL, NULL, "/tmp/r/d1", NULL, "/tmp/r/d1/inner/x", 0), -EINVAL,
	   "dir into itself -> EINVAL");
	EQ(vfs_renameat2(NULL, NULL, "/tmp/r/d1", NULL, "/tmp/r/d1", 0), 0, "rename onto itself");
	EQ(vfs_renameat2(NULL, NULL, "/tmp/r/d2", NULL, "/tmp/r/d1", 0), -ENOTEMPTY,
	   "dir over non-empty dir -> ENOTEMPTY");
	EQ(vfs_renameat2(NULL, NULL, "/tmp/r/f2", NULL, "/tmp/r/d2", 0), -EISDIR,
	   "file over dir -> EISDIR");
	EQ(vfs_renameat2(NULL, NULL, "/tmp/r/d2", NULL, "/tmp/r/f2", 0), -ENOTDIR,
	   "dir over file -> ENOTDIR");
	EQ(vfs_renameat2(NULL, NULL, "/tmp/r/f2/", NULL, "/tmp/r/f9", 0), -ENOTDIR,
	   "file with trailing slash -> ENOTDIR");
	EQ(vfs_renameat2(NULL, NULL, "/tmp/r/d1/inner", NULL, "/tmp/r/d2/moved", 0), 0,
	   "move dir to another parent");
	EQ(stat_(NULL, "/tmp/r/d2/moved/..", 0, &st), 0, "stat moved/..");
	EQ(stat_(NULL, "/tmp/r/d2", 0, &st2), 0, "stat d2");
	ok(st.st_ino == st2.st_ino, ".. follows the move");
	EQ(st2.st_nlink, 3, "new parent nlink 3");
	EQ(stat_(NULL, "/tmp/r/d1", 0, &st), 0, "stat d1");
	EQ(st.st_nlink, 2, "old parent nlink 2");
	EQ(vfs_renameat2(NULL, NULL, "/tmp/r/d1", NULL, "/tmp/r/d2/moved", 0), 0,
	   "dir over empty dir");
	EQ(vfs_renameat2(NULL, NULL, "/tmp/r/f2", NULL, "/ro/f2", 0), -EXDEV, "cross mount EXDEV");
	EQ(vfs_renameat2(NULL, NULL, "/tmp/r/.", NULL, "/tmp/r/z", 0), -EBUSY, "rename . EBUSY");
	EQ(vfs_renameat2(NULL, NULL, "/tmp/r/f2", NULL, "/tmp/r/z", 0x80), -EINVAL, "bad flags");
	EQ(vfs_renameat2(NULL, NULL, "/tmp/r/f2", NULL, "/tmp/r/z",
			 RENAME_EXCHANGE | RENAME_NOREPLACE), -EINVAL, "EXCHANGE|NOREPLACE");
}

static void
test_getdents(void)
{
	char names[64][64], buf[512], p[64];
	struct file *f;
	int n, seen[40] = { 0 }, dup = 0, total = 0;
	ssize_t r;

	vfs_mkdirat(NULL, NULL, "/tmp/g", 0755);
	for (int i = 0; i < 20; i++) {
		snprintf(p, sizeof(p), "/tmp/g/f%02d", i);
		put_file(NULL, p, "x");
	}
	n = list_dir(NULL, "/tmp/g", names, 64, 64);
	EQ(n, 22, "20 entries plus . and .. (small buffer)");
	ok(!strcmp(names[0], ".") && !strcmp(names[1], ".."), ". and .. first");
	EQ(open_(NULL, "/tmp/g", O_RDONLY | O_DIRECTORY, 0, &f), 0, "open dir");
	EQ(file_getdents64(f, buf, 10), -EINVAL, "buffer too small -> EINVAL");
	r = file_getdents64(f, buf, 130); /* ., .., f00, f01 at most */
	ok(r > 0, "first chunk");
	for (ssize_t off = 0; off < r;) {
		struct dirent64 *de = (struct dirent64 *)(buf + off);
		int i;

		if (sscanf(de->d_name, "f%d", &i) == 1)
			seen[i]++, total++;
		off += de->d_reclen;
	}
	/* remove some not yet seen, and some seen; add new ones */
	vfs_unlinkat(NULL, NULL, "/tmp/g/f00", 0);
	vfs_unlinkat(NULL, NULL, "/tmp/g/f10", 0);
	vfs_unlinkat(NULL, NULL, "/tmp/g/f11", 0);
	put_file(NULL, "/tmp/g/f30", "x");
	vfs_renameat2(NULL, NULL, "/tmp/g/f12", NULL, "/tmp/g/f31", 0);
	while ((r = file_getdents64(f, buf, sizeof(buf))) > 0) {
		for (ssize_t off = 0; off < r;) {
			struct dirent64 *de = (struct dirent64 *)(buf + off);
			int i;

			if (sscanf(de->d_name, "f%d", &i) == 1) {
				if (seen[i]++)
					dup++;
				total++;
			}
			ok(de->d_type == DT_REG || de->d_name[0] == '.', "d_type of %s", de->d_name);
			off += de->d_reclen;
		}
	}
	EQ(dup, 0, "no entry returned twice across changes");
	ok(!seen[10] && !seen[11], "entries removed before being reached are skipped");
	ok(seen[30] && seen[31], "entries added during iteration appear once");
	for (int i = 13; i < 20; i++)
		if (!seen[i])
			dup = -1;
	EQ(dup, 0, "untouched entries all seen");
	EQ(file_lseek(f, 0, SEEK_SET), 0, "rewind");
	n = 0;
	while ((r = file_getdents64(f, buf, sizeof(buf))) > 0)
		for (ssize_t off = 0; off < r; n++)
			off += ((struct dirent64 *)(buf + off))->d_reclen;
	EQ(n, 2 + 20 - 3 + 1, "full listing after rewind");
	file_put(f);
}

static void
test_readonly_and_perms(void)
{
	struct stat st;
	struct file *f;

	EQ(err_of(NULL, "/ro/x", O_WRONLY | O_CREAT), -EROFS, "create on ro mount -> EROFS");
	EQ(vfs_mkdirat(NULL, NULL, "/ro/d", 0755), -EROFS, "mkdir on ro -> EROFS");
	EQ(vfs_mkdirat(NULL, NULL, "/ro", 0755), -EEXIST, "EEXIST wins over EROFS");
	EQ(vfs_unlinkat(NULL, NULL, "/ro/none", 0), -EROFS, "unlink on ro -> EROFS first");
	EQ(vfs_chmodat(NULL, NULL, "/ro", 0700, 0), -EROFS, "chmod on ro -> EROFS");
	EQ(vfs_utimensat(NULL, NULL, "/ro", NULL, 0), -EROFS, "utimens on ro -> EROFS");
	EQ(vfs_accessat(NULL, NULL, "/ro", W_OK, 0), -EROFS, "access W_OK on ro -> EROFS");
	EQ(vfs_accessat(NULL, NULL, "/ro", R_OK | X_OK, 0), 0, "access R_OK on ro");
	EQ(open_(NULL, "/ro", O_RDONLY | O_DIRECTORY, 0, &f), 0, "read-only dir opens");
	file_put(f);

	/* permissions, euid 1000 */
	EQ(put_file(NULL, "/tmp/secret", "s"), 0, "root file");
	EQ(vfs_chmodat(NULL, NULL, "/tmp/secret", 0600, 0), 0, "chmod 600");
	EQ(err_of(user_t, "/tmp/secret", O_RDONLY), -EACCES, "user read 0600 root file -> EACCES");
	EQ(err_of(root_t, "/tmp/secret", O_RDWR), 0, "root bypasses rw");
	EQ(vfs_accessat(root_t, NULL, "/tmp/secret", X_OK, 0), -EACCES,
	   "root X_OK needs an x bit");
	EQ(vfs_chmodat(user_t, NULL, "/tmp/secret", 0777, 0), -EPERM, "chmod by non-owner -> EPERM");
	EQ(vfs_chownat(user_t, NULL, "/tmp/secret", 1000, -1, 0), -EPERM, "chown by user -> EPERM");
	EQ(vfs_chownat(root_t, NULL, "/tmp/secret", 1000, 1000, 0), 0, "chown by root");
	EQ(err_of(user_t, "/tmp/secret", O_RDWR), 0, "owner can now open");
	EQ(vfs_chmodat(user_t, NULL, "/tmp/secret", 0604, 0), 0, "owner chmod");
	EQ(vfs_chownat(user_t, NULL, "/tmp/secret", -1, 1000, 0), 0, "owner chgrp to own group");
	EQ(vfs_chownat(user_t, NULL, "/tmp/secret", -1, 0, 0), -EPERM, "chgrp to other -> EPERM");

	EQ(vfs_mkdirat(NULL, NULL, "/tmp/closed", 0700), 0, "mkdir 0700 as root");
	put_file(NULL, "/tmp/closed/in", "x");
	EQ(stat_(user_t, "/tmp/closed/in", 0, &st), -EACCES, "no search permission -> EACCES");
	EQ(vfs_mkdirat(user_t, NULL, "/tmp/closed/x", 0755), -EACCES, "mkdir without w -> EACCES");
	EQ(vfs_chmodat(NULL, NULL, "/tmp/closed", 0711, 0), 0, "chmod 711");
	EQ(stat_(user_t, "/tmp/closed/in", 0, &st), 0, "x allows search");
	EQ(vfs_mkdirat(user_t, NULL, "/tmp/closed/x", 0755), -EACCES, "x without w: no create");
	EQ(vfs_unlinkat(user_t, NULL, "/tmp/closed/in", 0), -EACCES, "unlink without w");

	/* umask and ownership of new files */
	EQ(vfs_umask(user_t->fs, 027), 022, "umask returns old");
	EQ(err_of(user_t, "/tmp/umasked", O_WRONLY | O_CREAT), 0, "user creates in /tmp");
	EQ(stat_(user_t, "/tmp/umasked", 0, &st), 0, "stat new file");
	EQ(st.st_mode & 0777, 0640, "umask applied to O_CREAT");
	EQ(st.st_uid, 1000, "owner is euid");
	EQ(vfs_mkdirat(user_t, NULL, "/tmp/udir", 0777), 0, "user mkdir");
	EQ(stat_(user_t, "/tmp/udir", 0, &st), 0, "stat");
	EQ(st.st_mode & 0777, 0750, "umask applied to mkdir");
	vfs_umask(user_t->fs, 022);
	/* sticky /tmp */
	EQ(vfs_unlinkat(user_t, NULL, "/tmp/secret", 0), 0, "owner may delete in sticky /tmp");
	put_file(NULL, "/tmp/rootowned", "x");
	EQ(vfs_unlinkat(user_t, NULL, "/tmp/rootowned", 0), -EPERM, "sticky /tmp -> EPERM");
	struct timespec ts[2] = { { 1, 0 }, { 2, 0 } };

	EQ(vfs_utimensat(user_t, NULL, "/tmp/umasked", ts, 0), 0, "owner sets times");
	EQ(stat_(NULL, "/tmp/umasked", 0, &st), 0, "stat");
	ok(st.st_atim.tv_sec == 1 && st.st_mtim.tv_sec == 2, "times set");
	EQ(vfs_utimensat(user_t, NULL, "/tmp/rootowned", ts, 0), -EPERM, "non-owner times EPERM");
	EQ(vfs_truncate(user_t, "/tmp/rootowned", 0), -EACCES, "truncate without w -> EACCES");
	EQ(vfs_truncate(NULL, "/tmp/rootowned", 5), 0, "truncate");
	EQ(stat_(NULL, "/tmp/rootowned", 0, &st), 0, "stat");
	EQ(st.st_size, 5, "truncated size");
	EQ(vfs_truncate(NULL, "/tmp", 5), -EISDIR, "truncate dir -> EISDIR");
}

static void
test_devfs(void)
{
	char buf[64];
	struct file *f;
	struct stat st;

	EQ(open_(user_t, "/dev/null", O_RDWR, 0, &f), 0, "open /dev/null");
	EQ(file_write(f, "abc", 3), 3, "write null");
	EQ(file_read(f, buf, 3), 0, "read null EOF");
	EQ(file_stat(f, &st), 0, "stat null");
	ok(S_ISCHR(st.st_mode) && st.st_rdev == makedev(1, 3), "null is chr 1:3");
	file_put(f);
	EQ(open_(NULL, "/dev/zero", O_RDONLY, 0, &f), 0, "open zero");
	memset(buf, 1, sizeof(buf));
	EQ(file_read(f, buf, 16), 16, "read zero");
	ok(buf[0] == 0 && buf[15] == 0, "zeros");
	file_put(f);
	EQ(open_(NULL, "/dev/full", O_WRONLY, 0, &f), 0, "open full");
	EQ(file_write(f, "x", 1), -ENOSPC, "write full -> ENOSPC");
	file_put(f);
	EQ(open_(NULL, "/dev/urandom", O_RDONLY, 0, &f), 0, "open urandom");
	EQ(file_read(f, buf, 32), 32, "read urandom");
	file_put(f);
	EQ(vfs_readlinkat(NULL, NULL, "/dev/stdin", buf, sizeof(buf)), 15, "/dev/stdin link");
	ok(!memcmp(buf, "/proc/self/fd/0", 15), "stdin -> /proc/self/fd/0");
	EQ(stat_(NULL, "/dev/shm", 0, &st), 0, "/dev/shm exists");
	ok((st.st_mode & 07777) == 01777, "/dev/shm 1777");
	EQ(put_file(user_t, "/dev/shm/x", "y"), 0, "user writes /dev/shm");
	EQ(stat_(NULL, "/dev/pts", 0, &st), 0, "/dev/pts exists");
	EQ(get_file(NULL, "/sys/devices/system/cpu/online", buf, sizeof(buf)) > 0, 1, "sysfs online");
	ok(buf[0] == '0' && buf[strlen(buf) - 1] == '\n', "online is a range (%.*s)",
	   (int)strlen(buf) - 1, buf);
	EQ(err_of(NULL, "/sys/devices/system/cpu/online", O_WRONLY), -EROFS, "sysfs read-only");
}

/* task_next walks every task in increasing tid order, as one task after another goes. */
static bool
tasks_in_order(void)
{
	int n = 0, last = 0;

	for (struct task *t = task_next(NULL); t; t = task_next(t)) {
		if (t->tid <= last)
			return false;
		last = t->tid;
		n++;
	}
	return n == task_count();
}

static void
test_task_order(void)
{
	struct task *t[6];

	for (int i = 0; i < 6; i++)
		t[i] = task_new();
	ok(tasks_in_order(), "task_next: every task, tids increasing");
	task_reap(t[2]);
	task_reap(t[0]);
	ok(tasks_in_order(), "task_next: the same after two went");
	ok(task_next(t[1]) == t[3], "task_next: past one that went");
	task_reap(t[5]);
	ok(task_next(t[4]) == NULL, "task_next: none after the last");
	for (int i = 1; i < 5; i++)
		if (i != 2)
			task_reap(t[i]);
	ok(tasks_in_order(), "task_next: the same after all went");
}

static void
test_procfs(void)
{
	char buf[4096], p[64], names[64][64];
	struct file *f, *pf;
	struct stat st;
	int fd, n;

	snprintf(p, sizeof(p), "%d", user_t->tgid);
	EQ(vfs_readlinkat(user_t, NULL, "/proc/self", buf, sizeof(buf)), (long)strlen(p),
	   "readlink /proc/self");
	ok(!memcmp(buf, p, strlen(p)), "/proc/self is the caller's tgid");
	EQ(get_file(user_t, "/proc/self/status", buf, sizeof(buf)) > 0, 1, "read status");
	snprintf(p, sizeof(p), "\nPid:\t%d\n", user_t->tid);
	ok(strstr(buf, p) && strstr(buf, "Name:\tusertask") && strstr(buf, "Uid:\t1000"),
	   "status has Name, Pid, Uid");
	EQ(get_file(user_t, "/proc/self/stat", buf, sizeof(buf)) > 0, 1, "read stat");
	n = 0;
	for (char *s = buf; *s; s++)
		n += *s == ' ';
	EQ(n + 1, 52, "stat has 52 fields");
	EQ(get_file(user_t, "/proc/self/comm", buf, sizeof(buf)), 9, "comm");
	EQ(err_of(user_t, "/proc/self/status", O_WRONLY), -EACCES, "procfs write -> EACCES");
	/* root may open it (Linux: the write then says EINVAL) */
	EQ(err_of(root_t, "/proc/self/status", O_WRONLY), 0, "procfs write open as root");
	EQ(get_file(NULL, "/proc/cpuinfo", buf, sizeof(buf)) > 0, 1, "cpuinfo");
	ok(strstr(buf, "processor\t: 0") != NULL, "cpuinfo has processor 0");
	EQ(get_file(NULL, "/proc/meminfo", buf, sizeof(buf)) > 0, 1, "meminfo");
	ok(strstr(buf, "MemTotal:") != NULL, "meminfo has MemTotal");
	EQ(get_file(NULL, "/proc/sys/kernel/ostype", buf, sizeof(buf)), 6, "ostype");
	ok(!strcmp(buf, "Linux\n"), "ostype Linux");
	EQ(get_file(NULL, "/proc/uptime", buf, sizeof(buf)) > 0, 1, "uptime");
	EQ(get_file(root_t, "/proc/mounts", buf, sizeof(buf)) > 0, 1, "/proc/mounts via self");
	ok(strstr(buf, " /tmp tmpfs rw") && strstr(buf, " /proc proc "), "mounts lists /tmp, /proc");
	EQ(get_file(user_t, "/proc/self/mountinfo", buf, sizeof(buf)) > 0, 1, "mountinfo");
	EQ(vfs_mounts_text(buf, sizeof(buf)) > 0, 1, "vfs_mounts_text");
	EQ(vfs_mounts_text(buf, 4), -ERANGE, "vfs_mounts_text small -> ERANGE");

	/* fd links */
	EQ(open_(user_t, "/tmp/a/f", O_RDONLY, 0, &pf), 0, "open file for fd table");
	fd = fdt_install(user_t->fdt, pf, 3, false);
	EQ(fd, 3, "installed at 3");
	snprintf(p, sizeof(p), "/proc/%d/fd/3", user_t->tgid);
	EQ(vfs_readlinkat(user_t, NULL, p, buf, sizeof(buf)), 8, "readlink fd/3");
	ok(!memcmp(buf, "/tmp/a/f", 8), "fd/3 -> /tmp/a/f");
	EQ(stat_(user_t, "/proc/self/fd/3", 0, &st), 0, "stat through magic link");
	EQ(file_stat(pf, (struct stat[]){ 0 }), 0, "fstat");
	EQ(open_(user_t, "/proc/self/fd/3", O_RDONLY, 0, &f), 0, "open through fd link");
	EQ(file_read(f, buf, 5), 5, "read through reopened fd");
	file_put(f);
	EQ(stat_(root_t, p, AT_SYMLINK_NOFOLLOW, &st), 0, "lstat fd link by root");
	EQ(vfs_readlinkat(root_t, NULL, p, buf, sizeof(buf)), 8, "root may read others' fd");
	snprintf(p, sizeof(p), "/proc/%d/fd/3", user_t->tgid);
	struct task *other = task_new();

	other->fs = vfs_ctx_new();
	other->euid = other->uid = other->fsuid = 2000;
	task_caps_init(other);
	EQ(vfs_readlinkat(other, NULL, p, buf, sizeof(buf)), -EACCES, "other uid -> EACCES");
	n = list_dir(user_t, "/proc/self/fd", names, 64, 4096);
	ok(n == 3 && has_name(names, n, "3"), "fd dir lists 3 (n=%d)", n);
	EQ(get_file(user_t, "/proc/self/fdinfo/3", buf, sizeof(buf)) > 0, 1, "fdinfo");
	ok(!strncmp(buf, "pos:\t0", 6), "fdinfo pos");
	EQ(vfs_chdir(user_t, NULL, "/tmp/a"), 0, "user chdir");
	EQ(vfs_readlinkat(user_t, NULL, "/proc/self/cwd", buf, sizeof(buf)), 6, "cwd link");
	EQ(stat_(user_t, "/proc/self/cwd/f", 0, &st), 0, "walk through cwd magic link");
	EQ(stat_(user_t, "/proc/self/fd/99", 0, &st), -ENOENT, "missing fd -> ENOENT");
	n = list_dir(NULL, "/proc", names, 64, 4096);
	snprintf(p, sizeof(p), "%d", user_t->tgid);
	ok(has_name(names, n, p) && has_name(names, n, "self") && has_name(names, n, "cpuinfo"),
	   "/proc lists pids and files");
	n = list_dir(user_t, "/proc/self/task", names, 64, 4096);
	snprintf(p, sizeof(p), "%d", user_t->tid);
	ok(has_name(names, n, p), "task dir lists the thread");
	snprintf(p, sizeof(p), "/proc/self/task/%d/comm", user_t->tid);
	EQ(get_file(user_t, p, buf, sizeof(buf)), 9, "task/<tid>/comm");
	EQ(stat_(NULL, "/proc/99999/status", 0, &st), -ENOENT, "missing pid -> ENOENT");
	EQ(stat_(NULL, "/proc/self", 0, &st), -ENOENT, "/proc/self without a task -> ENOENT");
	EQ(stat_(user_t, "/proc/nonexistent", 0, &st), -ENOENT, "unknown name -> ENOENT");
	EQ(fdt_close(user_t->fdt, 3), 0, "close fd 3");
	file_put(pf);
}

static void
test_hostfs(void)
{
	char buf[256], names[32][64];
	struct stat st;
	struct file *f;
	int n;

	if (!have_host) {
		printf("# hostfs tests skipped (no gofer)\n");
		return;
	}
	EQ(get_file(NULL, "/hello.txt", buf, sizeof(buf)), 11, "read host file");
	ok(!strcmp(buf, "hello host\n"), "host content");
	EQ(get_file(NULL, "/rel_link", buf, sizeof(buf)), 11, "host relative symlink");
	EQ(get_file(NULL, "/sub/abs_link", buf, sizeof(buf)), 11, "host absolute symlink");
	EQ(get_file(NULL, "/sub/up_link", buf, sizeof(buf)), 3, "host ../ symlink");
	EQ(vfs_readlinkat(NULL, NULL, "/sub/abs_link", buf, sizeof(buf)), 10, "host readlink");
	EQ(stat_(NULL, "/sub/a.txt", 0, &st), 0, "host stat");
	EQ(st.st_size, 3, "host size");
	EQ(stat_(NULL, "/nothing", 0, &st), -ENOENT, "host missing");
	EQ(stat_(NULL, "/nothing", 0, &st), -ENOENT, "host missing (cached)");
	EQ(stat_(NULL, "/hello.txt/x", 0, &st), -ENOTDIR, "host file in the middle");
	EQ(err_of(NULL, "/hello.txt", O_WRONLY), -EROFS, "host write -> EROFS");
	EQ(err_of(NULL, "/newfile", O_WRONLY | O_CREAT), -EROFS, "host create -> EROFS");
	EQ(vfs_mkdirat(NULL, NULL, "/newdir", 0755), -EROFS, "host mkdir -> EROFS");
	EQ(vfs_unlinkat(NULL, NULL, "/hello.txt", 0), -EROFS, "host unlink -> EROFS");
	EQ(vfs_renameat2(NULL, NULL, "/hello.txt", NULL, "/x", 0), -EROFS, "host rename -> EROFS");
	EQ(vfs_chmodat(NULL, NULL, "/hello.txt", 0600, 0), -EROFS, "host chmod -> EROFS");
	EQ(open_(NULL, "/hello.txt", O_RDONLY, 0, &f), 0, "open host");
	EQ(file_lseek(f, 6, SEEK_SET), 6, "host lseek");
	EQ(file_read(f, buf, 4), 4, "host read after lseek");
	ok(!memcmp(buf, "host", 4), "host read content");
	EQ(file_pread(f, buf, 5, 0), 5, "host pread");
	EQ(file_lseek(f, 0, SEEK_CUR), 10, "pread does not move the offset");
	EQ(file_lseek(f, 0, SEEK_END), 11, "host SEEK_END");
	file_put(f);
	n = list_dir(NULL, "/sub", names, 32, 4096);
	ok(n == 5 && has_name(names, n, "a.txt") && has_name(names, n, "abs_link"),
	   "host getdents (n=%d)", n);
	n = list_dir(NULL, "/", names, 32, 4096);
	ok(has_name(names, n, "hello.txt") && has_name(names, n, "sub"), "host root listing");
	char path[64];

	EQ(open_(NULL, "/sub/a.txt", O_RDONLY, 0, &f), 0, "open host sub file");
	EQ(file_path(f, path, sizeof(path)), 10, "file_path length");
	ok(!strcmp(path, "/sub/a.txt"), "host file path %s", path);
	file_put(f);
}

/* Counts g<N> names in a getdents64 buffer into seen[]; returns how many were seen twice. */
static int
count_g(char *buf, ssize_t r, int *seen, off_t *last_off, int *last)
{
	int dup = 0;

	for (ssize_t off = 0; off < r;) {
		struct dirent64 *de = (struct dirent64 *)(buf + off);
		int i;

		if (sscanf(de->d_name, "g%d", &i) == 1 && i < 40) {
			dup += seen[i]++ > 0;
			*last = i;
		}
		*last_off = de->d_off;
		off += de->d_reclen;
	}
	return dup;
}

/* A merged directory (host entries plus memory ones) read while it changes. */
static void
test_overlay_getdents(void)
{
	int seen[40] = { 0 }, again[40] = { 0 }, first[40] = { 0 }, pick[4], np = 0;
	int dup = 0, last = -1;
	char buf[512], p[64];
	off_t off, mark;
	struct file *f;
	ssize_t r;

	EQ(open_(NULL, "/ovl/many", O_RDONLY | O_DIRECTORY, 0, &f), 0, "open merged dir");
	r = file_getdents64(f, buf, 130);
	ok(r > 0, "first chunk of a merged dir");
	dup += count_g(buf, r, seen, &mark, &last);
	memcpy(first, seen, sizeof(first));
	for (int i = 0; i < 20 && np < 4; i++) /* host order is the host's: pick unseen ones */
		if (!seen[i])
			pick[np++] = i;
	snprintf(p, sizeof(p), "/ovl/many/g%02d", pick[0]);
	vfs_unlinkat(NULL, NULL, p, 0);
	snprintf(p, sizeof(p), "/ovl/many/g%02d", pick[1]);
	vfs_unlinkat(NULL, NULL, p, 0);
	put_file(NULL, "/ovl/many/g30", "x");
	snprintf(p, sizeof(p), "/ovl/many/g%02d", pick[2]);
	vfs_renameat2(NULL, NULL, p, NULL, "/ovl/many/g31", 0);
	snprintf(p, sizeof(p), "/ovl/many/g%02d", pick[3]);
	put_file(NULL, p, "rewritten"); /* copied up: listed once, where it was */
	while ((r = file_getdents64(f, buf, sizeof(buf))) > 0)
		dup += count_g(buf, r, seen, &off, &last);
	EQ(dup, 0, "merged dir: no entry twice across changes");
	ok(!seen[pick[0]] && !seen[pick[1]] && !seen[pick[2]] && seen[30] == 1 &&
	   seen[31] == 1 && seen[pick[3]] == 1, "removed entries skipped, added ones once");
	dup = 0;
	for (int i = 0; i < 20; i++)
		dup += i != pick[0] && i != pick[1] && i != pick[2] && seen[i] != 1;
	EQ(dup, 0, "untouched host entries all seen once");
	EQ(file_lseek(f, mark, SEEK_SET), mark, "seek back to a returned offset");
	r = file_getdents64(f, buf, sizeof(buf));
	count_g(buf, r, again, &off, &last);
	dup = 0;
	for (int i = 0; i < 40; i++)
		dup += first[i] && again[i];
	ok(r > 0 && dup == 0, "resumes after that entry (telldir/seekdir)");
	EQ(file_lseek(f, 0, SEEK_SET), 0, "rewind merged dir");
	memset(again, 0, sizeof(again));
	dup = 0;
	while ((r = file_getdents64(f, buf, sizeof(buf))) > 0)
		dup += count_g(buf, r, again, &off, &last);
	ok(dup == 0 && !again[pick[0]] && !again[pick[2]] && again[30] && again[31],
	   "full listing again");
	file_put(f);
}

/* A host file's contents as the host sees them (never changed by the overlay). */
static long
host_file(const char *rel, char *buf, size_t n)
{
	char p[PATH_MAX];
	FILE *f;
	size_t r;

	snprintf(p, sizeof(p), "%s/%s", host_dir, rel);
	f = fopen(p, "r");
	if (!f)
		return -errno;
	r = fread(buf, 1, n - 1, f);
	buf[r] = '\0';
	fclose(f);
	return r;
}

static int
count_name(char names[][64], int n, const char *name)
{
	int c = 0;

	for (int i = 0; i < n; i++)
		c += !strcmp(names[i], name);
	return c;
}

static ino_t
ino_of(const char *path)
{
	struct stat st;

	return stat_(NULL, path, AT_SYMLINK_NOFOLLOW, &st) ? 0 : st.st_ino;
}

static nlink_t
nlink_of(const char *path)
{
	struct stat st;

	return stat_(NULL, path, AT_SYMLINK_NOFOLLOW, &st) ? 0 : st.st_nlink;
}

/* The birth time statx reports for path (opened O_PATH), or false when none. */
static bool
btime_of(const char *path, struct timespec *ts)
{
	struct vfs_xstat x;
	struct file *f;

	if (open_(NULL, path, O_PATH | O_NOFOLLOW, 0, &f))
		return false;
	file_xstat(f, &x);
	file_put(f);
	*ts = x.btime;
	return x.has_btime;
}

/* Host hard links stay one file through copy-up (overlayfs index=on). */
static void
test_overlay_links(void)
{
	char buf[64], p[PATH_MAX];
	struct stat hst;
	struct file *f;

	ok(ino_of("/ovl/cu/l1") && ino_of("/ovl/cu/l1") == ino_of("/ovl/cu/l2"),
	   "two host names, one inode");
	EQ(nlink_of("/ovl/cu/l2"), 3, "host link count");
	EQ(open_(NULL, "/ovl/cu/l1", O_WRONLY | O_APPEND, 0, &f), 0, "copy-up through l1");
	EQ(file_write(f, "more\n", 5), 5, "write through l1");
	file_put(f);
	EQ(get_file(NULL, "/ovl/cu/l2", buf, sizeof(buf)), 10, "l2 sees the write");
	ok(!strcmp(buf, "link\nmore\n"), "l2 content");
	EQ(vfs_chmodat(NULL, NULL, "/ovl/cu/l2", 0600, 0), 0, "chmod through l2");
	EQ(vfs_unlinkat(NULL, NULL, "/ovl/cu/l1", 0), 0, "unlink l1");
	EQ(nlink_of("/ovl/cu/l2"), 2, "one name fewer");
	/* l3 was never looked up: it finds the copy, not the host file */
	EQ(get_file(NULL, "/ovl/cu/l3", buf, sizeof(buf)), 10, "l3 sees the write too");
	struct stat st;
	EQ(stat_(NULL, "/ovl/cu/l3", 0, &st), 0, "stat l3");
	ok(st.st_nlink == 2 && (st.st_mode & 07777) == 0600 && st.st_ino == ino_of("/ovl/cu/l2"),
	   "l3: link count, mode and inode of the shared file");
	EQ(vfs_linkat(NULL, NULL, "/ovl/cu/l3", NULL, "/ovl/cu/l4", 0), 0, "link l3 to l4");
	EQ(nlink_of("/ovl/cu/l2"), 3, "link adds a name");
	EQ(vfs_renameat2(NULL, NULL, "/ovl/cu/l2", NULL, "/ovl/cu/l3", 0), 0,
	   "rename onto another name of the same file");
	EQ(nlink_of("/ovl/cu/l2"), 3, "is a no-op");
	EQ(vfs_unlinkat(NULL, NULL, "/ovl/cu/l2", 0), 0, "unlink l2");
	EQ(vfs_unlinkat(NULL, NULL, "/ovl/cu/l3", 0), 0, "unlink l3");
	EQ(nlink_of("/ovl/cu/l4"), 1, "one name left");
	EQ(vfs_unlinkat(NULL, NULL, "/ovl/cu/l4", 0), 0, "unlink the last name");
	EQ(stat_(NULL, "/ovl/cu/l3", 0, &st), -ENOENT, "whited out");
	snprintf(p, sizeof(p), "%s/cu/l1", host_dir);
	ok(stat(p, &hst) == 0 && hst.st_nlink == 3 && hst.st_size == 5 &&
	   (hst.st_mode & 07777) == 0644, "host file and its links untouched");
}

/* Copy-up copies only data ranges, and what does not fit fails cleanly. */
static void
test_overlay_copyup_limits(void)
{
	unsigned long before, limit;
	char buf[64];
	struct stat st;
	struct file *f;

	if (!limit_report)
		limits_init(0, 0);
	before = limit_report->mem_charged;
	limit = limit_report->mem_limit;
	limit_report->mem_limit = before + (1 << 20);
	EQ(open_(NULL, "/ovl/cu/big", O_WRONLY, 0, &f), -ENOSPC, "copy-up past --memory");
	EQ(limit_report->mem_charged, before, "its memory given back");
	EQ(stat_(NULL, "/ovl/cu/big", 0, &st), 0, "stat after the failed copy-up");
	EQ(st.st_size, BIG_SIZE, "size as on the host");
	EQ(get_file(NULL, "/ovl/cu/big", buf, sizeof(buf)), sizeof(buf) - 1, "still readable");
	ok(buf[0] == 'b' && buf[62] == 'b', "host contents");
	EQ(vfs_truncate(NULL, "/ovl/cu/big", 5000), 0, "truncate copies up what fits");
	EQ(get_file(NULL, "/ovl/cu/big", buf, sizeof(buf)), sizeof(buf) - 1, "read truncated");
	EQ(limit_report->mem_charged, before + 8192, "two pages charged");
	if (have_sparse) {
		EQ(open_(NULL, "/ovl/cu/sparse", O_RDWR, 0, &f), 0, "copy-up of 1 TiB sparse");
		EQ(file_pwrite(f, "HE", 2, 0), 2, "write it");
		EQ(file_pread(f, buf, 4, 0), 4, "read its head");
		ok(!memcmp(buf, "HEad", 4), "head");
		EQ(file_pread(f, buf, 3, SPARSE_SIZE / 2), 3, "read its middle");
		ok(!memcmp(buf, "mid", 3), "middle");
		EQ(file_pread(f, buf, 8, SPARSE_SIZE - 4), 4, "read its tail");
		ok(!memcmp(buf, "tail", 4), "tail");
		EQ(file_lseek(f, 4096, SEEK_DATA), SPARSE_SIZE / 2, "holes stay holes");
		EQ(file_stat(f, &st), 0, "fstat");
		ok(st.st_size == SPARSE_SIZE && st.st_blocks <= 3 * 8, "size %ld, blocks %ld",
		   (long)st.st_size, (long)st.st_blocks);
		file_put(f);
	} else {
		printf("# no sparse host file: sparse copy-up skipped\n");
	}
	limit_report->mem_limit = limit;
}

static void
test_overlay(void)
{
	char buf[256], names[64][64];
	struct stat st, st2;
	struct file *f, *ro;
	int n;

	if (!have_host) {
		printf("# overlay tests skipped (no gofer)\n");
		return;
	}
	/* the birth time: the host file's, then the copy's (Linux: the upper file's) */
	struct timespec bt0, bt1, now;
	struct statx hx;
	char hp[PATH_MAX];

	snprintf(hp, sizeof(hp), "%s/hello.txt", host_dir);
	bool hk = statx(AT_FDCWD, hp, 0, STATX_BTIME, &hx) == 0 && (hx.stx_mask & STATX_BTIME);
	ok(btime_of("/ovl/hello.txt", &bt0) == hk &&
	   (!hk || (bt0.tv_sec == hx.stx_btime.tv_sec && bt0.tv_nsec == (long)hx.stx_btime.tv_nsec)),
	   "a host file's birth time is the host's (known: %d)", hk);
	clock_gettime(CLOCK_REALTIME, &now); /* the host file was made before */
	/* copy-up on open for writing keeps the inode; the host file is untouched */
	EQ(stat_(NULL, "/ovl/hello.txt", 0, &st), 0, "overlay stat host file");
	EQ(open_(NULL, "/ovl/hello.txt", O_RDONLY, 0, &ro), 0, "open read-only before copy-up");
	EQ(open_(NULL, "/ovl/hello.txt", O_WRONLY | O_APPEND, 0, &f), 0, "open for append");
	EQ(stat_(NULL, "/ovl/hello.txt", 0, &st2), 0, "stat after copy-up");
	ok(st.st_ino == st2.st_ino && st.st_mode == st2.st_mode && st.st_uid == st2.st_uid &&
	   st.st_mtim.tv_sec == st2.st_mtim.tv_sec && st.st_mtim.tv_nsec == st2.st_mtim.tv_nsec &&
	   st2.st_size == 11, "copy-up keeps ino, mode, owner, mtime and size");
	ok(btime_of("/ovl/hello.txt", &bt1) && (bt1.tv_sec > now.tv_sec ||
	   (bt1.tv_sec == now.tv_sec && bt1.tv_nsec >= now.tv_nsec)),
	   "the copy's birth time is when it was made");
	EQ(file_write(f, "more\n", 5), 5, "write appends in memory");
	file_put(f);
	EQ(get_file(NULL, "/ovl/hello.txt", buf, sizeof(buf)), 16, "guest sees its write");
	ok(!strcmp(buf, "hello host\nmore\n"), "copied-up content");
	EQ(host_file("hello.txt", buf, sizeof(buf)), 11, "host file unchanged");
	EQ(file_pread(ro, buf, 64, 0), 11, "an earlier read-only open still reads the host file");
	file_put(ro);
	EQ(get_file(NULL, "/hello.txt", buf, sizeof(buf)), 11, "read-only mount of the same dir");
	EQ(open_(NULL, "/ovl/hello.txt", O_RDWR, 0, &f), 0, "reopen copied-up file");
	ok(file_mmap_fd(f, true) >= 0, "copied-up file can be mapped shared");
	file_put(f);

	/* O_TRUNC, truncate, chmod */
	EQ(open_(NULL, "/ovl/sub/a.txt", O_WRONLY | O_TRUNC, 0, &f), 0, "O_TRUNC on a host file");
	EQ(file_write(f, "new", 3), 3, "write after O_TRUNC");
	file_put(f);
	EQ(get_file(NULL, "/ovl/sub/a.txt", buf, sizeof(buf)), 3, "truncated and rewritten");
	ok(!strcmp(buf, "new"), "content after O_TRUNC");
	EQ(host_file("sub/a.txt", buf, sizeof(buf)), 3, "host a.txt unchanged");
	ok(!strcmp(buf, "AAA"), "host a.txt content");
	EQ(vfs_chmodat(NULL, NULL, "/ovl/rel_link", 0600, 0), 0, "chmod through a host symlink");
	EQ(stat_(NULL, "/ovl/hello.txt", 0, &st), 0, "stat chmodded");
	EQ(st.st_mode & 07777, 0600, "mode changed in the overlay");

	/* new names, whiteouts, merged listings */
	EQ(put_file(NULL, "/ovl/created.txt", "c"), 0, "create in a host directory");
	EQ(vfs_mkdirat(NULL, NULL, "/ovl/newdir", 0755), 0, "mkdir in a host directory");
	EQ(vfs_symlinkat(NULL, "created.txt", NULL, "/ovl/newlink"), 0, "symlink in a host dir");
	EQ(vfs_unlinkat(NULL, NULL, "/ovl/rel_link", 0), 0, "unlink a host symlink");
	EQ(stat_(NULL, "/ovl/rel_link", AT_SYMLINK_NOFOLLOW, &st), -ENOENT, "whiteout hides it");
	EQ(stat_(NULL, "/rel_link", AT_SYMLINK_NOFOLLOW, &st), 0, "still on the host");
	n = list_dir(NULL, "/ovl", names, 64, 100);
	ok(count_name(names, n, "hello.txt") == 1 && count_name(names, n, "created.txt") == 1 &&
	   count_name(names, n, "newdir") == 1 && count_name(names, n, "sub") == 1 &&
	   count_name(names, n, "rel_link") == 0 && count_name(names, n, ".") == 1 && n == 9,
	   "merged listing, small buffer (n=%d)", n);
	EQ(vfs_symlinkat(NULL, "sub", NULL, "/ovl/rel_link"), 0, "re-create a whited-out name");
	EQ(vfs_readlinkat(NULL, NULL, "/ovl/rel_link", buf, sizeof(buf)), 3, "new object there");
	n = list_dir(NULL, "/ovl", names, 64, 4096);
	EQ(count_name(names, n, "rel_link"), 1, "re-created name listed once");

	/* rmdir of a host directory */
	EQ(vfs_unlinkat(NULL, NULL, "/ovl/sub", AT_REMOVEDIR), -ENOTEMPTY, "host dir not empty");
	EQ(vfs_unlinkat(NULL, NULL, "/ovl/sub/a.txt", 0), 0, "unlink copied-up file");
	EQ(vfs_unlinkat(NULL, NULL, "/ovl/sub/abs_link", 0), 0, "unlink host symlink");
	EQ(vfs_unlinkat(NULL, NULL, "/ovl/sub", AT_REMOVEDIR), -ENOTEMPTY, "one host entry left");
	EQ(vfs_renameat2(NULL, NULL, "/ovl/sub", NULL, "/ovl/newdir/sub2", 0), 0,
	   "rename of a host directory");
	EQ(stat_(NULL, "/ovl/sub", 0, &st), -ENOENT, "old name whited out");
	n = list_dir(NULL, "/ovl/newdir/sub2", names, 64, 4096);
	ok(n == 3 && count_name(names, n, "up_link") == 1, "moved directory lists its host entry");
	EQ(vfs_readlinkat(NULL, NULL, "/ovl/newdir/sub2/up_link", buf, sizeof(buf)), 12,
	   "host entry read through the moved directory");
	EQ(vfs_renameat2(NULL, NULL, "/ovl/newdir/sub2/up_link", NULL, "/ovl/moved", 0), 0,
	   "rename a host symlink out");
	EQ(vfs_readlinkat(NULL, NULL, "/ovl/moved", buf, sizeof(buf)), 12, "moved symlink target");
	EQ(vfs_unlinkat(NULL, NULL, "/ovl/newdir/sub2", AT_REMOVEDIR), 0, "rmdir once empty");
	EQ(vfs_mkdirat(NULL, NULL, "/ovl/sub", 0700), 0, "mkdir over the whiteout");
	n = list_dir(NULL, "/ovl/sub", names, 64, 4096);
	EQ(n, 2, "the new directory is opaque");
	EQ(stat_(NULL, "/ovl/sub/a.txt", 0, &st), -ENOENT, "host file not visible in it");
	EQ(stat_(NULL, "/sub/a.txt", 0, &st), 0, "host tree still there");

	/* links and renames of host files */
	EQ(vfs_linkat(NULL, NULL, "/ovl/hello.txt", NULL, "/ovl/newdir/hl", 0), 0, "link host file");
	EQ(stat_(NULL, "/ovl/newdir/hl", 0, &st), 0, "stat link");
	EQ(st.st_nlink, 2, "two names");
	EQ(vfs_renameat2(NULL, NULL, "/ovl/created.txt", NULL, "/ovl/hello.txt", 0), 0,
	   "rename a new file over a host file");
	EQ(get_file(NULL, "/ovl/hello.txt", buf, sizeof(buf)), 1, "replaced");
	EQ(get_file(NULL, "/ovl/newdir/hl", buf, sizeof(buf)), 16, "the other name keeps it");
	EQ(stat_(NULL, "/ovl/created.txt", 0, &st), -ENOENT, "old name gone");
	n = list_dir(NULL, "/ovl", names, 64, 4096);
	ok(count_name(names, n, "hello.txt") == 1 && count_name(names, n, "created.txt") == 0,
	   "listing after rename");
	test_overlay_getdents();
	test_overlay_links();
	test_overlay_copyup_limits();
	EQ(host_file("hello.txt", buf, sizeof(buf)), 11, "host hello.txt unchanged at the end");
	EQ(host_file("sub/a.txt", buf, sizeof(buf)), 3, "host sub/a.txt unchanged at the end");
}

/* A writable host mount: every change lands on the host. */
static void
test_rw(void)
{
	struct timespec ts[2] = { { 1000000000, 0 }, { 1000000001, 0 } };
	char buf[64], p[PATH_MAX];
	struct stat st, hst;
	struct file *f;

	if (!have_host) {
		printf("# rw tests skipped (no gofer)\n");
		return;
	}
	EQ(put_file(NULL, "/rw/new", "hello"), 0, "create and write on a rw mount");
	snprintf(p, sizeof(p), "%s/new", rw_dir);
	EQ(stat(p, &hst), 0, "host stat");
	EQ(hst.st_size, 5, "host size");
	EQ(open_(NULL, "/rw/new", O_WRONLY | O_APPEND, 0, &f), 0, "open for append");
	EQ(file_write(f, " world", 6), 6, "append");
	EQ(file_stat(f, &st), 0, "fstat");
	EQ(st.st_size, 11, "size seen after the write");
	file_put(f);
	EQ(stat_(NULL, "/rw/new", 0, &st), 0, "stat by path");
	EQ(st.st_size, 11, "path stat sees the new size");
	EQ(vfs_mkdirat(NULL, NULL, "/rw/d", 0750), 0, "mkdir");
	EQ(put_file(NULL, "/rw/d/x", "x"), 0, "file in it");
	EQ(vfs_renameat2(NULL, NULL, "/rw/d", NULL, "/rw/e", 0), 0, "rename the directory");
	EQ(get_file(NULL, "/rw/e/x", buf, sizeof(buf)), 1, "read through the new name");
	snprintf(p, sizeof(p), "%s/e/x", rw_dir);
	EQ(stat(p, &hst), 0, "moved on the host");
	EQ(vfs_symlinkat(NULL, "e/x", NULL, "/rw/l"), 0, "symlink");
	EQ(get_file(NULL, "/rw/l", buf, sizeof(buf)), 1, "through the symlink");
	EQ(vfs_linkat(NULL, NULL, "/rw/new", NULL, "/rw/hard", 0), 0, "hard link");
	EQ(stat_(NULL, "/rw/hard", 0, &st), 0, "stat link");
	EQ(st.st_nlink, 2, "nlink 2");
	EQ(vfs_chmodat(NULL, NULL, "/rw/new", 0600, 0), 0, "chmod");
	EQ(vfs_truncate(NULL, "/rw/new", 2), 0, "truncate");
	EQ(vfs_utimensat(NULL, NULL, "/rw/new", ts, 0), 0, "utimensat");
	snprintf(p, sizeof(p), "%s/new", rw_dir);
	EQ(stat(p, &hst), 0, "host stat after changes");
	ok((hst.st_mode & 07777) == 0600 && hst.st_size == 2 && hst.st_mtime == 1000000001,
	   "chmod, truncate and utimensat on the host");
	EQ(vfs_chownat(NULL, NULL, "/rw/new", hst.st_uid + 1, -1, 0), -EPERM, "chown away -> EPERM");
	EQ(vfs_unlinkat(NULL, NULL, "/rw/e", AT_REMOVEDIR), -ENOTEMPTY, "rmdir non-empty");
	EQ(vfs_unlinkat(NULL, NULL, "/rw/e/x", 0), 0, "unlink");
	EQ(vfs_unlinkat(NULL, NULL, "/rw/e", AT_REMOVEDIR), 0, "rmdir");
	snprintf(p, sizeof(p), "%s/e", rw_dir);
	EQ(stat(p, &hst), -1, "gone from the host");
	EQ(vfs_mknodat(NULL, NULL, "/rw/fifo", S_IFIFO | 0600, 0), 0, "mkfifo");
	/* a unix socket's name (bind): a socket file that nothing on the host listens on */
	EQ(vfs_mknodat(NULL, NULL, "/rw/sock", S_IFSOCK | 0600, 0), 0, "socket name on the host");
	snprintf(p, sizeof(p), "%s/sock", rw_dir);
	ok(lstat(p, &hst) == 0 && S_ISSOCK(hst.st_mode), "the host has a socket file");
	EQ(vfs_mknodat(NULL, NULL, "/rw/dev", S_IFCHR | 0600, makedev(1, 3)), -EPERM,
	   "no device nodes on the host");
}

static void
test_hostfd(void)
{
	int p[2], r;
	struct file *rf, *wf;
	char buf[64]; /* "pipe:[INODE]": the host's inode numbers pass 10^8 on a busy machine */
	struct stat st;
	int arg = 0;

	if (pipe(p) < 0)
		return;
	rf = file_from_host_fd(p[0], O_RDONLY);
	wf = file_from_host_fd(p[1], O_WRONLY);
	EQ(file_poll(rf, POLLIN), 0, "empty pipe not readable");
	EQ(file_wait_fd(rf), p[0], "wait fd is the host fd");
	EQ(file_write(wf, "ping", 4), 4, "host write");
	ok(file_poll(rf, POLLIN) & POLLIN, "pipe readable");
	EQ(file_ioctl(rf, FIONREAD, &arg), 0, "FIONREAD forwarded");
	EQ(arg, 4, "FIONREAD value");
	EQ(file_read(rf, buf, sizeof(buf)), 4, "host read");
	EQ(file_ioctl(rf, TIOCSTI, buf), -ENOTTY, "TIOCSTI refused");
	EQ(file_ioctl_argsize(TIOCSTI), -ENOTTY, "argsize of TIOCSTI");
	EQ(file_ioctl_argsize(TCGETS), 36, "argsize of TCGETS");
	EQ(file_ioctl(rf, TCGETS, buf), -ENOTTY, "TCGETS on a pipe -> ENOTTY");
	EQ(file_stat(rf, &st), 0, "fstat host fd");
	ok(S_ISFIFO(st.st_mode), "host fd is a fifo");
	r = file_path(rf, buf, sizeof(buf));
	ok(r > 0 && !strncmp(buf, "pipe:[", 6), "pipe path %s", buf);
	EQ(file_lseek(rf, 0, SEEK_SET), -ESPIPE, "lseek pipe -> ESPIPE");
	EQ(fdt_install_at(root_t->fdt, 5, rf, false), 5, "install pipe at fd 5");
	EQ(vfs_readlinkat(root_t, NULL, "/proc/self/fd/5", buf, sizeof(buf)), r, "fd/5 link");
	EQ(err_of(user_t, "/proc/1/fd/5", O_RDONLY), -EACCES, "other user cannot reopen");
	struct file *again;

	EQ(open_(root_t, "/proc/self/fd/5", O_RDONLY, 0, &again), 0, "reopen pipe via /proc");
	EQ(file_write(wf, "pong", 4), 4, "write more");
	EQ(file_read(again, buf, sizeof(buf)), 4, "read through the reopened pipe");
	ok(file_get_flags(again) == (O_RDONLY | 0100000), "reopened flags %o",
	   file_get_flags(again));
	file_put(again);
	fdt_close(root_t->fdt, 5);
	file_put(rf);
	signal(SIGPIPE, SIG_IGN);
	EQ(file_write(wf, "x", 1), -EPIPE, "write to closed pipe -> EPIPE");
	file_put(wf);
}

/* fork and unshare(CLONE_FILES) copy a descriptor table: past its first 64 slots the copy
 * may not outgrow fs.nr_open, lowered since the descriptors were opened (Linux dup_fd's
 * EMFILE). fs.nr_open here is the sentry's, not the host's. */
static void
test_fd_copy_room(void)
{
	struct fdtable *fdt = fdt_new();
	struct file *f;
	char old[32];

	EQ(open_(root_t, "/dev/null", O_RDONLY, 0, &f), 0, "open /dev/null");
	ok(get_file(root_t, "/proc/sys/fs/nr_open", old, sizeof(old)) > 0, "read nr_open");
	EQ(fdt_install_at(fdt, 63, f, false), 63, "fd 63");
	EQ(put_file(root_t, "/proc/sys/fs/nr_open", "64"), 0, "nr_open 64");
	EQ(fdt_copy_room(fdt), 0, "a table of one word copies");
	EQ(put_file(root_t, "/proc/sys/fs/nr_open", old), 0, "nr_open back");
	EQ(fdt_install_at(fdt, 65, f, false), 65, "fd 65");
	EQ(fdt_copy_room(fdt), 0, "two words, nr_open as it was");
	EQ(put_file(root_t, "/proc/sys/fs/nr_open", "64"), 0, "nr_open 64 again");
	EQ(fdt_copy_room(fdt), -EMFILE, "two words past nr_open 64 -> EMFILE");
	EQ(put_file(root_t, "/proc/sys/fs/nr_open", "65"), 0, "nr_open 65");
	EQ(fdt_copy_room(fdt), 0, "nr_open 65 rounds up to two words");
	EQ(put_file(root_t, "/proc/sys/fs/nr_open", old), 0, "nr_open restored");
	fdt_put(fdt);
	file_put(f);
}

int
main(void)
{
	setup();
	test_basic_io();
	test_walk();
	test_symlinks();
	test_dirs_and_names();
	test_rename();
	test_getdents();
	test_readonly_and_perms();
	test_devfs();
	test_procfs();
	test_task_order();
	test_fd_copy_room();
	test_hostfs();
	test_overlay();
	test_rw();
	test_hostfd();
	printf("1..%d\n", ntest);
	if (gofer_pid > 0) {
		kill(gofer_pid, SIGKILL);
		waitpid(gofer_pid, NULL, 0);
	}
	cleanup_host();
	return nfail ? 1 : 0;
}
