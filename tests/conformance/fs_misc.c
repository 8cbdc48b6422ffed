/* Assorted file-system calls: reopening through /proc/self/fd (modes, deleted files, O_PATH
 * fds), fchmodat/fchownat flags, chmod of symlinks, getcwd buffers, readlink of /proc links,
 * hard link counts through unlink of open files, fsync/fdatasync/syncfs/sync_file_range. */
#include <linux/fs.h>
#include <sys/ioctl.h>
#include <sys/xattr.h>
#include "cf.h"

int
main(void)
{
	char buf[4096], p[64];
	struct stat st;
	int fd, fd2;

	cf_init();
	cf_write_file("f", "hello", 5);
	symlink("f", "lf");
	mkdir("d", 0755);
	/* reopen through /proc/self/fd */
	fd = open("f", O_RDONLY);
	snprintf(p, sizeof p, "/proc/self/fd/%d", fd);
	fd2 = open(p, O_WRONLY);
	R("reopen rdonly fd as wronly", fd2 >= 0 ? write(fd2, "J", 1) : -1);
	close(fd2);
	fd2 = open(p, O_RDONLY);
	R("reopen has own offset", (lseek(fd, 3, SEEK_SET), lseek(fd2, 0, SEEK_CUR)));
	close(fd2);
	unlink("f");
	fd2 = open(p, O_RDWR);
	R("reopen deleted file", fd2 >= 0 ? read(fd2, buf, 5) : -1);
	R("fstat deleted nlink", (fstat(fd2, &st), (long)st.st_nlink));
	R("linkat deleted via proc", linkat(AT_FDCWD, p, AT_FDCWD, "back", AT_SYMLINK_FOLLOW));
	R("linkat deleted AT_EMPTY_PATH", linkat(fd, "", AT_FDCWD, "back2", AT_EMPTY_PATH));
	close(fd2);
	close(fd);
	R("readlink of closed fd link", readlink(p, buf, sizeof buf));
	cf_write_file("f", "hello", 5);
	fd = open("f", O_PATH);
	snprintf(p, sizeof p, "/proc/self/fd/%d", fd);
	fd2 = open(p, O_RDONLY);
	R("reopen O_PATH fd", fd2 >= 0 ? read(fd2, buf, 5) : -1);
	close(fd2);
	R("fstatat O_PATH AT_EMPTY_PATH", fstatat(fd, "", &st, AT_EMPTY_PATH));
	R("fchdir O_PATH file", fchdir(fd));
	R("fchownat O_PATH AT_EMPTY_PATH", fchownat(fd, "", -1, -1, AT_EMPTY_PATH));
	R("fgetxattr O_PATH", fgetxattr(fd, "user.x", buf, 10));
	R("fsync O_PATH", fsync(fd));
	R("ioctl O_PATH", ioctl(fd, FIONREAD, &fd2));
	close(fd);
	fd = open("d", O_PATH);
	R("fchdir O_PATH dir", fchdir(fd));
	R("getcwd after", getcwd(buf, sizeof buf) ? 0 : -1);
	YN("cwd is d", strcmp(cf_base(buf), "d") == 0);
	chdir(cf_dir);
	R("openat O_PATH dirfd", ({ int f3 = openat(fd, "..", O_RDONLY); if (f3 >= 0) close(f3); f3 >= 0 ? 0 : -1; }));
	close(fd);
	/* symlink chmod/chown */
	R("fchmodat NOFOLLOW on symlink", fchmodat(AT_FDCWD, "lf", 0600, AT_SYMLINK_NOFOLLOW));
	R("fchmodat NOFOLLOW on file", fchmodat(AT_FDCWD, "f", 0600, AT_SYMLINK_NOFOLLOW));
	R("fchmodat bad flag", fchmodat(AT_FDCWD, "f", 0600, 0x1));
	R("fchownat NOFOLLOW symlink", fchownat(AT_FDCWD, "lf", 0, 0, AT_SYMLINK_NOFOLLOW));
	R("fchownat bad flag", fchownat(AT_FDCWD, "f", 0, 0, 0x1));
	R("fchownat empty no flag", fchownat(AT_FDCWD, "", 0, 0, 0));
	R("lchown", lchown("lf", -1, -1));
	lstat("lf", &st);
	printf("symlink mode: %o\n", st.st_mode & 07777);
	/* getcwd */
	R("getcwd size 0", getcwd(buf, 0) ? 0 : -1);
	R("getcwd size 1", syscall(SYS_getcwd, buf, 1));
	R("getcwd exact", syscall(SYS_getcwd, buf, strlen(cf_dir) + 1));
	R("getcwd one short", syscall(SYS_getcwd, buf, strlen(cf_dir)));
	R("getcwd bad buf", syscall(SYS_getcwd, cf_unmapped(), 100));
	/* readlink /proc */
	R("readlink /proc/self/cwd", readlink("/proc/self/cwd", buf, sizeof buf));
	fd = open("f", O_RDONLY);
	snprintf(p, sizeof p, "/proc/self/fd/%d", fd);
	R("readlink fd link len", readlink(p, buf, sizeof buf));
	R("readlink fd small buf", readlink(p, buf, 3));
	unlink("f");
	long n = readlink(p, buf, sizeof buf);
	buf[n > 0 ? n : 0] = 0;
	YN("deleted suffix", n > 10 && strstr(buf, " (deleted)") != NULL);
	close(fd);
	/* sync family */
	fd = open("g", O_RDWR | O_CREAT, 0644);
	R("fsync", fsync(fd));
	R("fdatasync", fdatasync(fd));
	R("syncfs", syncfs(fd));
	R("sync_file_range", sync_file_range(fd, 0, 0, SYNC_FILE_RANGE_WRITE));
	R("sync_file_range bad flag", sync_file_range(fd, 0, 0, 8));
	R("sync_file_range neg", sync_file_range(fd, -1, 0, 0));
	R("fsync bad fd", fsync(999));
	{
		int pp[2];
		pipe(pp);
		R("fsync pipe", fsync(pp[0]));
		R("sync_file_range pipe", sync_file_range(pp[0], 0, 0, 0));
		R("syncfs pipe", syncfs(pp[0]));
		R("fdatasync pipe", fdatasync(pp[0]));
	}
	R("fsync dir", ({ int d = open(".", O_RDONLY); long r = fsync(d); close(d); r; }));
	R("fsync rdonly", ({ int d = open("g", O_RDONLY); long r = fsync(d); close(d); r; }));
	/* posix_fadvise / readahead */
	R("fadvise", posix_fadvise(fd, 0, 0, POSIX_FADV_SEQUENTIAL));
	R("fadvise bad advice", posix_fadvise(fd, 0, 0, 99));
	R("fadvise neg len", posix_fadvise(fd, 0, -1, POSIX_FADV_NORMAL));
	R("readahead", readahead(fd, 0, 4096));
	close(fd);
	/* FS_IOC_GETFLAGS and friends */
	fd = open("g", O_RDONLY);
	int fl = 0;
	R("FS_IOC_GETFLAGS", ioctl(fd, FS_IOC_GETFLAGS, &fl) < 0 ? -1 : 0);
	R("FIONREAD on file", ioctl(fd, FIONREAD, &fl));
	R("FIGETBSZ", ioctl(fd, FIGETBSZ, &fl) < 0 ? -1 : 0);
	close(fd);
	/* open with O_CREAT of a name in a dir that is removed */
	mkdir("gone", 0755);
	fd = open("gone", O_RDONLY);
	rmdir("gone");
	R("symlinkat in removed dir", symlinkat("x", fd, "s"));
	R("mknodat in removed dir", mknodat(fd, "n", S_IFIFO | 0644, 0));
	R("linkat into removed dir", linkat(AT_FDCWD, "g", fd, "l", 0));
	R("renameat into removed dir", renameat(AT_FDCWD, "g", fd, "r"));
	close(fd);
	return 0;
}
