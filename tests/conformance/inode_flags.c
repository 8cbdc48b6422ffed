/* Inode flags on tmpfs: FS_IOC_GETFLAGS / SETFLAGS, FS_IOC_FSGETXATTR / FSSETXATTR and
 * file_getattr / file_setattr (Linux 6.17): which flags tmpfs keeps and which it refuses,
 * the argument errors, objects without flags (FIFOs, symlinks, /proc), inheritance by new
 * objects, the enforcement of immutable and append-only (open, truncate, chmod, chown,
 * utimes, xattrs, link, rename, unlink, fallocate, F_SETFL, directories), noatime, and who
 * may change them (owner, CAP_LINUX_IMMUTABLE, read-only mounts). Run as root; natively in
 * a mount namespace of its own, on a tmpfs it mounts. */
#include <linux/fs.h>
#include <sched.h>
#include <stdint.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <sys/xattr.h>
#include <utime.h>
#include <linux/capability.h>
#include "cf.h"
#include "cf_mount.h"

struct fattr {
	uint64_t xflags;
	uint32_t extsize, nextents, projid, cowextsize;
};

static long
getattr_(int dfd, const char *path, void *a, size_t n, unsigned at)
{
	return syscall(468, dfd, path, a, n, at);
}

static long
setattr_(const char *path, uint64_t xflags, unsigned at)
{
	struct fattr a = { .xflags = xflags };

	return syscall(469, AT_FDCWD, path, &a, sizeof(a), at);
}

static unsigned
flags_of(const char *path)
{
	struct fattr a = { 0 };

	if (getattr_(AT_FDCWD, path, &a, sizeof(a), AT_SYMLINK_NOFOLLOW))
		return 0xdead;
	return (unsigned)a.xflags;
}

/* Which single FS_*_FL bits SETFLAGS takes on fd (each set, read back, cleared); the
 * errors other than EOPNOTSUPP. */
static void
sweep_flags(const char *what, int fd)
{
	printf("%s flags taken:", what);
	for (int b = 0; b < 32; b++) {
		int fl = 1 << b, got = -1;

		if (ioctl(fd, FS_IOC_SETFLAGS, &fl) == 0) {
			ioctl(fd, FS_IOC_GETFLAGS, &got);
			printf(" %d->%#x", b, got);
			fl = 0;
			ioctl(fd, FS_IOC_SETFLAGS, &fl);
		} else if (errno != EOPNOTSUPP) {
			printf(" %d:%s", b, en(errno));
		}
	}
	printf("\n");
}

static void
sweep_xflags(const char *what, int fd)
{
	printf("%s xflags taken:", what);
	for (int b = 0; b < 32; b++) {
		struct fsxattr fx = { .fsx_xflags = 1U << b };

		if (ioctl(fd, FS_IOC_FSSETXATTR, &fx) == 0) {
			ioctl(fd, FS_IOC_FSGETXATTR, &fx);
			printf(" %d->%#x", b, fx.fsx_xflags);
			fx.fsx_xflags = 0;
			ioctl(fd, FS_IOC_FSSETXATTR, &fx);
		} else if (errno != EOPNOTSUPP) {
			printf(" %d:%s", b, en(errno));
		}
	}
	printf("\n");
	struct fsxattr fx = { .fsx_extsize = 4096 };
	R("xset extsize", ioctl(fd, FS_IOC_FSSETXATTR, &fx));
	fx = (struct fsxattr){ .fsx_projid = 1 };
	R("xset projid", ioctl(fd, FS_IOC_FSSETXATTR, &fx));
	fx = (struct fsxattr){ .fsx_cowextsize = 1 };
	R("xset cowextsize", ioctl(fd, FS_IOC_FSSETXATTR, &fx));
	fx = (struct fsxattr){ .fsx_nextents = 7 };
	R("xset nextents (ignored)", ioctl(fd, FS_IOC_FSSETXATTR, &fx));
	fx = (struct fsxattr){ .fsx_pad = { 1 } };
	R("xset pad (ignored)", ioctl(fd, FS_IOC_FSSETXATTR, &fx));
}

static void
call_errors(int fd)
{
	struct fattr a;
	unsigned char big[64];

	memset(&a, 0xff, sizeof(a));
	R("file_getattr", getattr_(AT_FDCWD, "f", &a, sizeof(a), 0));
	printf("xflags %#llx extsize %u nextents %u projid %u cowextsize %u\n",
	       (unsigned long long)a.xflags, a.extsize, a.nextents, a.projid, a.cowextsize);
	R("size 16", getattr_(AT_FDCWD, "f", &a, 16, 0));
	R("size 4097", getattr_(AT_FDCWD, "f", &a, 4097, 0));
	R("at flags 1", getattr_(AT_FDCWD, "f", &a, sizeof(a), 1));
	R("at flags AT_SYMLINK_FOLLOW", getattr_(AT_FDCWD, "f", &a, sizeof(a), AT_SYMLINK_FOLLOW));
	R("empty path", getattr_(fd, "", &a, sizeof(a), 0));
	R("empty path AT_EMPTY_PATH", getattr_(fd, "", &a, sizeof(a), AT_EMPTY_PATH));
	R("NULL path AT_EMPTY_PATH", getattr_(fd, NULL, &a, sizeof(a), AT_EMPTY_PATH));
	R("NULL path", getattr_(fd, NULL, &a, sizeof(a), 0));
	R("bad dirfd", getattr_(999, "", &a, sizeof(a), AT_EMPTY_PATH));
	R("missing", getattr_(AT_FDCWD, "nope", &a, sizeof(a), 0));
	R("NULL struct", getattr_(AT_FDCWD, "f", NULL, sizeof(a), 0));
	memset(big, 0xee, sizeof(big));
	R("size 32", getattr_(AT_FDCWD, "f", big, 32, 0));
	YN("size 32: tail zeroed", big[24] == 0 && big[31] == 0 && big[32] == 0xee);
	R("symlink nofollow", getattr_(AT_FDCWD, "l", &a, sizeof(a), AT_SYMLINK_NOFOLLOW));
	R("symlink followed", getattr_(AT_FDCWD, "l", &a, sizeof(a), 0));
	R("fifo", getattr_(AT_FDCWD, "p", &a, sizeof(a), 0));
	R("directory", getattr_(AT_FDCWD, "d", &a, sizeof(a), 0));
	R("/proc/self/stat", getattr_(AT_FDCWD, "/proc/self/stat", &a, sizeof(a), 0));
	R("set bad xflag 1<<40", setattr_("f", 1ULL << 40, 0));
	R("set undefined xflag 0x4", setattr_("f", 0x4, 0));
	R("set xflag 0x20000", setattr_("f", 0x20000, 0));
	R("set realtime", setattr_("f", 0x1, 0));
	R("set sync", setattr_("f", 0x20, 0));
	R("set prealloc (read-only bit)", setattr_("f", 0x2, 0));
	R("set extszinherit on a file", setattr_("f", 0x1000, 0));
	R("set extszinherit on a dir", setattr_("d", 0x1000, 0));
	R("set fifo", setattr_("p", 0x8, 0));
	R("set symlink", setattr_("l", 0x8, AT_SYMLINK_NOFOLLOW));
	struct fattr s = { .projid = 3 };
	R("set projid", syscall(469, AT_FDCWD, "f", &s, sizeof(s), 0));
	s = (struct fattr){ .nextents = 3 };
	R("set nextents (ignored)", syscall(469, AT_FDCWD, "f", &s, sizeof(s), 0));
	unsigned char tail[40] = { 0 };
	tail[32] = 1;
	R("set size 40 nonzero tail", syscall(469, AT_FDCWD, "f", tail, 40, 0));
	R("set size 16", syscall(469, AT_FDCWD, "f", &s, 16, 0));
	R("set flags 1", syscall(469, AT_FDCWD, "f", &s, sizeof(s), 1));
	int fl = 0;
	int pfd = open("p", O_RDWR);
	R("GETFLAGS fifo", ioctl(pfd, FS_IOC_GETFLAGS, &fl));
	close(pfd);
	int ofd = open("f", O_PATH);
	R("GETFLAGS O_PATH", ioctl(ofd, FS_IOC_GETFLAGS, &fl));
	close(ofd);
	int proc = open("/proc/self/stat", O_RDONLY);
	R("GETFLAGS /proc file", ioctl(proc, FS_IOC_GETFLAGS, &fl));
	close(proc);
}

static void
append_only(int rw)
{
	struct utimbuf ut = { 1, 1 };
	struct stat st;

	R("set append", setattr_("f", 0x10, 0));
	printf("file_getattr: %#x\n", flags_of("f"));
	struct statx sx;
	R("statx", statx(AT_FDCWD, "f", 0, 0, &sx));
	printf("statx attributes %#llx of %#llx\n", (unsigned long long)sx.stx_attributes & 0x7c,
	       (unsigned long long)sx.stx_attributes_mask & 0x7c);
	int fl = -1;
	R("GETFLAGS", ioctl(rw, FS_IOC_GETFLAGS, &fl));
	printf("flags %#x\n", fl);
	R("write, earlier fd", write(rw, "x", 1));
	R("pwrite, earlier fd", pwrite(rw, "x", 1, 0));
	R("ftruncate", ftruncate(rw, 1));
	R("open O_WRONLY", open("f", O_WRONLY) < 0 ? -1 : 0);
	R("open O_RDWR", open("f", O_RDWR) < 0 ? -1 : 0);
	int afd = open("f", O_WRONLY | O_APPEND);
	YN("open O_APPEND", afd >= 0);
	R("open O_APPEND|O_TRUNC", open("f", O_WRONLY | O_APPEND | O_TRUNC) < 0 ? -1 : 0);
	R("open O_RDONLY|O_TRUNC", open("f", O_RDONLY | O_TRUNC) < 0 ? -1 : 0);
	R("write O_APPEND", write(afd, "y", 1));
	R("pwrite O_APPEND", pwrite(afd, "z", 1, 0));
	struct iovec iov = { "w", 1 };
	R("pwritev2 RWF_APPEND, earlier fd", pwritev2(rw, &iov, 1, 0, RWF_APPEND));
	R("pwritev2 RWF_NOAPPEND", pwritev2(afd, &iov, 1, 0, 0x20));
	R("F_SETFL without O_APPEND", fcntl(afd, F_SETFL, 0));
	R("F_SETFL keeping O_APPEND", fcntl(afd, F_SETFL, O_APPEND | O_NONBLOCK));
	R("fallocate", fallocate(afd, 0, 0, 100));
	R("fallocate KEEP_SIZE", fallocate(afd, FALLOC_FL_KEEP_SIZE, 0, 100));
	R("fallocate PUNCH_HOLE", fallocate(afd, FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE, 0, 1));
	R("truncate", truncate("f", 0));
	R("chmod", chmod("f", 0600));
	R("chown", chown("f", 0, 0));
	R("chown -1 -1", chown("f", -1, -1));
	R("utime NULL", utime("f", NULL));
	R("utime times", utime("f", &ut));
	struct timespec nowomit[2] = { { 0, UTIME_NOW }, { 0, UTIME_OMIT } };
	R("utimensat NOW OMIT", utimensat(AT_FDCWD, "f", nowomit, 0));
	R("setxattr", setxattr("f", "user.a", "1", 1, 0));
	R("removexattr", removexattr("f", "user.a"));
	R("link", link("f", "f2"));
	R("rename", rename("f", "f3"));
	R("rename onto", rename("g", "f"));
	R("unlink", unlink("f"));
	R("access W_OK", access("f", W_OK));
	stat("f", &st);
	R("size", st.st_size);
	close(afd);
}

static void
immutable(int rw)
{
	struct utimbuf ut = { 1, 1 };

	R("set immutable", setattr_("f", 0x8, 0));
	R("write, earlier fd", write(rw, "x", 1));
	R("ftruncate, earlier fd", ftruncate(rw, 1));
	R("fallocate, earlier fd", fallocate(rw, FALLOC_FL_KEEP_SIZE, 0, 10));
	R("open O_WRONLY", open("f", O_WRONLY) < 0 ? -1 : 0);
	R("open O_APPEND", open("f", O_WRONLY | O_APPEND) < 0 ? -1 : 0);
	R("open O_RDONLY|O_TRUNC", open("f", O_RDONLY | O_TRUNC) < 0 ? -1 : 0);
	int r = open("f", O_RDONLY);
	YN("open O_RDONLY", r >= 0);
	R("truncate", truncate("f", 0));
	R("chmod", chmod("f", 0600));
	R("chown", chown("f", 0, 0));
	R("utime NULL", utime("f", NULL));
	R("utime times", utime("f", &ut));
	R("setxattr", setxattr("f", "user.a", "1", 1, 0));
	R("set ACL", setxattr("f", "system.posix_acl_access", "\x02\0\0\0\x01\0\x06\0\xff\xff\xff\xff\x04\0\x04\0\xff\xff\xff\xff\x20\0\x04\0\xff\xff\xff\xff", 28, 0));
	R("link", link("f", "f2"));
	R("rename", rename("f", "f3"));
	R("unlink", unlink("f"));
	R("access W_OK", access("f", W_OK));
	R("access R_OK", access("f", R_OK));
	/* SETFLAGS needs no write access to the file: a read-only descriptor will do */
	int fl = FS_IMMUTABLE_FL | FS_NODUMP_FL;
	R("SETFLAGS via O_RDONLY fd", ioctl(r, FS_IOC_SETFLAGS, &fl));
	printf("file_getattr: %#x\n", flags_of("f"));
	struct statx sx;
	R("statx", statx(AT_FDCWD, "f", 0, 0, &sx));
	printf("statx attributes %#llx\n", (unsigned long long)sx.stx_attributes & 0x7c);
	fl = 0;
	R("clear via O_RDONLY fd", ioctl(r, FS_IOC_SETFLAGS, &fl));
	close(r);
}

static void
directories(void)
{
	struct stat st;

	mkdir("dd", 0755);
	cf_write_file("dd/old", "x", 1);
	R("dir immutable", setattr_("dd", 0x8, 0));
	R("create in it", open("dd/n", O_CREAT | O_WRONLY, 0644) < 0 ? -1 : 0);
	R("mkdir in it", mkdir("dd/m", 0755));
	R("unlink in it", unlink("dd/old"));
	R("write to a file in it", cf_write_file("dd/old", "y", 1));
	R("dir append", setattr_("dd", 0x10, 0));
	int fd = open("dd/n", O_CREAT | O_WRONLY, 0644);
	YN("create in append dir", fd >= 0);
	close(fd);
	R("unlink in append dir", unlink("dd/n"));
	R("rename within append dir", rename("dd/n", "dd/n2"));
	R("rename out of append dir", rename("dd/n", "moved"));
	R("rename into append dir", rename("g", "dd/g"));
	R("rmdir append dir", rmdir("dd"));
	R("dir nodump|noatime", setattr_("dd", 0xc0, 0));
	R("dir nodump|noatime again", setattr_("dd", 0xc0, 0));
	fd = open("dd/n3", O_CREAT | O_WRONLY, 0644);
	close(fd);
	printf("new file inherits: %#x\n", flags_of("dd/n3"));
	mkdir("dd/sub", 0755);
	printf("new dir inherits: %#x\n", flags_of("dd/sub"));
	symlink("x", "dd/ln");
	R("new symlink", getattr_(AT_FDCWD, "dd/ln", &st, 24, AT_SYMLINK_NOFOLLOW));
	/* noatime: reading leaves atime alone */
	struct utimbuf old = { 1000, 1000 };
	cf_write_file("dd/n3", "data", 4);
	utime("dd/n3", &old);
	char buf[8];
	fd = open("dd/n3", O_RDONLY);
	R("read noatime file", read(fd, buf, sizeof(buf)));
	close(fd);
	stat("dd/n3", &st);
	YN("atime kept", st.st_atime == 1000);
	R("clear", setattr_("dd/n3", 0, 0));
	fd = open("dd/n3", O_RDONLY);
	R("read", read(fd, buf, sizeof(buf)));
	close(fd);
	stat("dd/n3", &st);
	YN("atime updated", st.st_atime != 1000);
	setattr_("dd", 0, 0);
}

/* In a child without CAP_LINUX_IMMUTABLE (and then as another user): what it may change. */
static void
privileges(void)
{
	pid_t pid = fork();

	if (pid == 0) {
		struct __user_cap_header_struct h = { _LINUX_CAPABILITY_VERSION_3, 0 };
		struct __user_cap_data_struct d[2];

		syscall(SYS_capget, &h, d);
		d[0].effective &= ~(1U << CAP_LINUX_IMMUTABLE);
		R("drop CAP_LINUX_IMMUTABLE", syscall(SYS_capset, &h, d));
		R("set immutable", setattr_("f", 0x8, 0));
		R("set append", setattr_("f", 0x10, 0));
		R("set nodump", setattr_("f", 0x80, 0));
		R("set nodump again", setattr_("f", 0x80, 0));
		R("clear nodump", setattr_("f", 0, 0));
		fflush(stdout);
		R("setresuid 1000", setresuid(1000, 1000, 1000));
		R("not the owner", setattr_("f", 0x80, 0));
		int fl = -1, fd = open("f", O_RDONLY);
		R("GETFLAGS, not the owner", ioctl(fd, FS_IOC_GETFLAGS, &fl));
		fflush(stdout);
		_exit(0);
	}
	waitpid(pid, NULL, 0);
	R("set immutable, then", setattr_("f", 0x8, 0));
	pid = fork();
	if (pid == 0) {
		struct __user_cap_header_struct h = { _LINUX_CAPABILITY_VERSION_3, 0 };
		struct __user_cap_data_struct d[2];

		syscall(SYS_capget, &h, d);
		d[0].effective &= ~(1U << CAP_LINUX_IMMUTABLE);
		syscall(SYS_capset, &h, d);
		R("clear immutable without the cap", setattr_("f", 0, 0));
		R("add nodump keeping immutable", setattr_("f", 0x88, 0));
		fflush(stdout);
		_exit(0);
	}
	waitpid(pid, NULL, 0);
	printf("flags now: %#x\n", flags_of("f"));
	R("clear", setattr_("f", 0, 0));
}

int
main(void)
{
	cf_init();
	if (!cf_own_mounts())
		return 0;
	mkdir("t", 0755);
	R("mount tmpfs", mount("t", "t", "tmpfs", 0, "mode=0755"));
	R("chdir", chdir("t"));
	int fd = open("f", O_RDWR | O_CREAT, 0644);
	write(fd, "abc", 3);
	symlink("f", "l");
	mkfifo("p", 0644);
	mkdir("d", 0755);
	mkdir("g", 0755);
	int fl = -1;
	R("GETFLAGS", ioctl(fd, FS_IOC_GETFLAGS, &fl));
	printf("flags %#x\n", fl);
	sweep_flags("file", fd);
	int dfd = open("d", O_RDONLY | O_DIRECTORY);
	sweep_flags("dir", dfd);
	sweep_xflags("file", fd);
	sweep_xflags("dir", dfd);
	close(dfd);
	call_errors(fd);
	privileges();
	append_only(fd);
	R("clear append", setattr_("f", 0, 0));
	immutable(fd);
	R("clear immutable", setattr_("f", 0, 0));
	directories();
	close(fd);
	fd = open("f", O_RDONLY); /* no writer left: the remount may go read-only */
	R("remount read-only", mount(NULL, ".", NULL, MS_REMOUNT | MS_BIND | MS_RDONLY, NULL));
	R("SETFLAGS read-only mount", ioctl(fd, FS_IOC_SETFLAGS, &fl));
	R("file_setattr read-only mount", setattr_("f", 0x80, 0));
	R("file_getattr read-only mount", flags_of("f"));
	close(fd);
	R("chdir ..", chdir(".."));
	R("umount", umount("t"));
	return 0;
}
