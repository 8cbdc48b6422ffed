/* The mount API of descriptors: fsopen, fsconfig, fsmount, fspick, move_mount and
 * open_tree on tmpfs, with their errors, detached trees, and reconfiguration. Run as
 * root; natively in a mount namespace of its own. */
#include <sched.h>
#include <stdbool.h>
#include <sys/mount.h>
#include <sys/statfs.h>
#include <sys/statvfs.h>
#include "cf.h"

#ifndef FSCONFIG_CMD_CREATE_EXCL
#define FSCONFIG_CMD_CREATE_EXCL 8
#endif

static int
s_fsopen(const char *fs, unsigned flags)
{
	return syscall(SYS_fsopen, fs, flags);
}

static int
s_fsconfig(int fd, unsigned cmd, const char *key, const void *val, int aux)
{
	return syscall(SYS_fsconfig, fd, cmd, key, val, aux);
}

static int
s_fsmount(int fd, unsigned flags, unsigned attr)
{
	return syscall(SYS_fsmount, fd, flags, attr);
}

static int
s_move_mount(int fd1, const char *p1, int fd2, const char *p2, unsigned flags)
{
	return syscall(SYS_move_mount, fd1, p1, fd2, p2, flags);
}

static int
s_open_tree(int fd, const char *p, unsigned flags)
{
	return syscall(SYS_open_tree, fd, p, flags);
}

static int
s_fspick(int fd, const char *p, unsigned flags)
{
	return syscall(SYS_fspick, fd, p, flags);
}

/* A created tmpfs context, and a detached mount of it. */
static int
new_tmpfs(const char *source, int *fsfd_out)
{
	int fsfd = s_fsopen("tmpfs", FSOPEN_CLOEXEC);

	if (source)
		s_fsconfig(fsfd, FSCONFIG_SET_STRING, "source", source, 0);
	s_fsconfig(fsfd, FSCONFIG_CMD_CREATE, NULL, NULL, 0);
	int m = s_fsmount(fsfd, FSMOUNT_CLOEXEC, 0);
	if (fsfd_out)
		*fsfd_out = fsfd;
	else
		close(fsfd);
	return m;
}

/* files: print f_files (only where nr_inodes set it: the default depends on memory) */
static void
statfs_line(const char *label, int fd, bool files)
{
	struct statfs sf;

	if (fstatfs(fd, &sf)) {
		printf("%s: -1 %s\n", label, en(errno));
		return;
	}
	printf("%s: type %lx files %ld rdonly %d nodev %d noexec %d nosuid %d\n", label,
	       (long)sf.f_type, files ? (long)sf.f_files : 0L, !!(sf.f_flags & ST_RDONLY),
	       !!(sf.f_flags & ST_NODEV), !!(sf.f_flags & ST_NOEXEC), !!(sf.f_flags & ST_NOSUID));
}

int
main(void)
{
	struct stat st;
	int fsfd, m, m2, fd;

	cf_init();
	if (geteuid() != 0) {
		printf("not root: nothing to check\n");
		return 0;
	}
	if (unshare(CLONE_NEWNS) == 0)
		mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL);
	mkdir("a", 0755);
	mkdir("b", 0755);
	mkdir("c", 0755);
	symlink("a", "lnk");

	/* fsopen */
	R("fsopen bad flags", s_fsopen("tmpfs", 2));
	R("fsopen unknown type", s_fsopen("no-such-fs", 0));
	R("fsopen bad name", s_fsopen((char *)8, 0));
	fsfd = FD("fsopen tmpfs", s_fsopen("tmpfs", FSOPEN_CLOEXEC));
	R("fcntl FD_CLOEXEC", fcntl(fsfd, F_GETFD));
	char buf[64];
	R("read the log", read(fsfd, buf, sizeof(buf)));

	/* string limits: a page for the type, 256 bytes for keys and values (with the NUL) */
	static char longs[5000];
	memset(longs, 'a', sizeof(longs) - 1);
	longs[4095] = 0;
	R("fsopen name of 4095", s_fsopen(longs, 0));
	longs[4095] = 'a';
	longs[4096] = 0;
	R("fsopen name of 4096", s_fsopen(longs, 0));
	longs[255] = 0;
	R("source of 255", s_fsconfig(fsfd, FSCONFIG_SET_STRING, "source", longs, 0));
	int fsfd2 = s_fsopen("tmpfs", 0);
	longs[255] = 'a';
	longs[256] = 0;
	R("source of 256", s_fsconfig(fsfd2, FSCONFIG_SET_STRING, "source", longs, 0));
	R("key of 256", s_fsconfig(fsfd2, FSCONFIG_SET_FLAG, longs, NULL, 0));
	close(fsfd2);
	close(fsfd);
	fsfd = s_fsopen("tmpfs", FSOPEN_CLOEXEC);

	/* fsconfig */
	R("fsconfig negative fd", s_fsconfig(-1, FSCONFIG_SET_FLAG, "ro", NULL, 0));
	R("fsconfig bad fd", s_fsconfig(999, FSCONFIG_SET_FLAG, "ro", NULL, 0));
	R("fsconfig not a context", s_fsconfig(1, FSCONFIG_SET_FLAG, "ro", NULL, 0));
	R("fsconfig bad cmd", s_fsconfig(fsfd, 99, NULL, NULL, 0));
	R("flag with a value", s_fsconfig(fsfd, FSCONFIG_SET_FLAG, "ro", "x", 0));
	R("string without a value", s_fsconfig(fsfd, FSCONFIG_SET_STRING, "mode", NULL, 0));
	R("create with a key", s_fsconfig(fsfd, FSCONFIG_CMD_CREATE, "x", NULL, 0));
	R("unknown parameter", s_fsconfig(fsfd, FSCONFIG_SET_STRING, "colour", "blue", 0));
	R("mode as a flag", s_fsconfig(fsfd, FSCONFIG_SET_FLAG, "mode", NULL, 0));
	R("bad mode", s_fsconfig(fsfd, FSCONFIG_SET_STRING, "mode", "9", 0));
	R("source as a flag", s_fsconfig(fsfd, FSCONFIG_SET_FLAG, "source", NULL, 0));
	R("source", s_fsconfig(fsfd, FSCONFIG_SET_STRING, "source", "src", 0));
	R("source again", s_fsconfig(fsfd, FSCONFIG_SET_STRING, "source", "src2", 0));
	R("mode 0710", s_fsconfig(fsfd, FSCONFIG_SET_STRING, "mode", "0710", 0));
	R("nr_inodes", s_fsconfig(fsfd, FSCONFIG_SET_STRING, "nr_inodes", "4321", 0));
	R("ro", s_fsconfig(fsfd, FSCONFIG_SET_FLAG, "ro", NULL, 0));
	R("fsmount before create", s_fsmount(fsfd, 0, 0));
	R("create", s_fsconfig(fsfd, FSCONFIG_CMD_CREATE, NULL, NULL, 0));
	R("create again", s_fsconfig(fsfd, FSCONFIG_CMD_CREATE, NULL, NULL, 0));
	R("set after create", s_fsconfig(fsfd, FSCONFIG_SET_FLAG, "rw", NULL, 0));
	R("reconfigure before mount", s_fsconfig(fsfd, FSCONFIG_CMD_RECONFIGURE, NULL, NULL, 0));

	/* fsmount */
	R("fsmount bad flags", s_fsmount(fsfd, 2, 0));
	R("fsmount bad attr", s_fsmount(fsfd, 0, 0x40000));
	R("fsmount bad atime", s_fsmount(fsfd, 0, 0x30));
	R("fsmount not a context", s_fsmount(1, 0, 0));
	m = FD("fsmount nodev,noexec", s_fsmount(fsfd, FSMOUNT_CLOEXEC, MOUNT_ATTR_NODEV | MOUNT_ATTR_NOEXEC));
	R("fsmount again", s_fsmount(fsfd, 0, 0));
	statfs_line("statfs of the mount fd", m, true);
	R("fstat mode", fstat(m, &st) ? -1 : (long)(st.st_mode & 07777));
	R("F_GETFL has O_PATH", (fcntl(m, F_GETFL) & O_PATH) != 0);
	R("mkdirat on read-only", mkdirat(m, "x", 0755));
	R("read the mount fd", read(m, buf, 1));

	/* reconfigure through the context */
	R("rw", s_fsconfig(fsfd, FSCONFIG_SET_FLAG, "rw", NULL, 0));
	R("nr_inodes 999", s_fsconfig(fsfd, FSCONFIG_SET_STRING, "nr_inodes", "999", 0));
	R("reconfigure", s_fsconfig(fsfd, FSCONFIG_CMD_RECONFIGURE, NULL, NULL, 0));
	statfs_line("statfs after reconfigure", m, true);
	R("mkdirat after reconfigure", mkdirat(m, "x", 0755));
	R("reconfigure again", s_fsconfig(fsfd, FSCONFIG_CMD_RECONFIGURE, NULL, NULL, 0));
	close(fsfd);

	/* move_mount */
	R("move_mount bad flags", s_move_mount(m, "", AT_FDCWD, "a", 0x1000));
	R("move_mount without F_EMPTY_PATH", s_move_mount(m, "", AT_FDCWD, "a", 0));
	R("move_mount a subdirectory", s_move_mount(m, "x", AT_FDCWD, "a", 0));
	R("move_mount attach", s_move_mount(m, "", AT_FDCWD, "a", MOVE_MOUNT_F_EMPTY_PATH));
	R("seen at a/x", stat("a/x", &st));
	R("move_mount again from the fd", s_move_mount(m, "", AT_FDCWD, "b", MOVE_MOUNT_F_EMPTY_PATH));
	close(m);
	R("still attached after close", stat("a/x", &st));
	R("move_mount a to b", s_move_mount(AT_FDCWD, "a", AT_FDCWD, "b", 0));
	R("gone from a", stat("a/x", &st));
	R("at b", stat("b/x", &st));
	R("move_mount into itself", s_move_mount(AT_FDCWD, "b", AT_FDCWD, "b/x", 0));
	R("move_mount a plain directory", s_move_mount(AT_FDCWD, "c", AT_FDCWD, "a", 0));
	R("move_mount via a symlink, no follow", s_move_mount(AT_FDCWD, "b", AT_FDCWD, "lnk", 0));
	R("move_mount via a symlink, followed", s_move_mount(AT_FDCWD, "b", AT_FDCWD, "lnk", MOVE_MOUNT_T_SYMLINKS));
	R("at a again", stat("a/x", &st));
	R("umount a", umount("a"));

	/* a detached tree with a submount */
	m = new_tmpfs("one", NULL);
	m2 = new_tmpfs("two", NULL);
	R("mkdirat sub", mkdirat(m, "sub", 0755));
	R("move_mount onto a detached tree", s_move_mount(m2, "", m, "sub", MOVE_MOUNT_F_EMPTY_PATH));
	close(m2);
	fd = openat(m, "sub/marker", O_CREAT | O_RDWR, 0644);
	R("create in the submount", fd < 0 ? -1 : 0);
	close(fd);
	R("move_mount a detached submount", s_move_mount(m, "sub", AT_FDCWD, "a", 0));
	R("move_mount into its own tree", s_move_mount(m, "", m, "sub", MOVE_MOUNT_F_EMPTY_PATH));
	int t1 = FD("open_tree clone", s_open_tree(m, "", AT_EMPTY_PATH | OPEN_TREE_CLONE));
	R("clone: sub", faccessat(t1, "sub", F_OK, 0));
	R("clone: sub/marker", faccessat(t1, "sub/marker", F_OK, 0));
	int t2 = FD("open_tree clone recursive", s_open_tree(m, "", AT_EMPTY_PATH | OPEN_TREE_CLONE | AT_RECURSIVE));
	R("recursive clone: sub/marker", faccessat(t2, "sub/marker", F_OK, 0));
	R("attach the recursive clone", s_move_mount(t2, "", AT_FDCWD, "c", MOVE_MOUNT_F_EMPTY_PATH));
	close(t2);
	R("c/sub/marker", access("c/sub/marker", F_OK));
	R("umount c busy", umount("c"));
	R("umount c/sub", umount("c/sub"));
	R("umount c", umount("c"));
	close(t1);
	close(m);

	/* open_tree */
	R("open_tree bad flags", s_open_tree(AT_FDCWD, "a", 1u << 30));
	R("open_tree AT_RECURSIVE alone", s_open_tree(AT_FDCWD, "a", AT_RECURSIVE));
	fd = FD("open_tree plain", s_open_tree(AT_FDCWD, "a", OPEN_TREE_CLOEXEC));
	R("fstat is a directory", fstat(fd, &st) ? -1 : S_ISDIR(st.st_mode));
	R("F_GETFD", fcntl(fd, F_GETFD));
	close(fd);
	R("open_tree missing", s_open_tree(AT_FDCWD, "nope", 0));
	R("open_tree \"\" without AT_EMPTY_PATH", s_open_tree(AT_FDCWD, "", 0));
	m = new_tmpfs(NULL, NULL);
	R("attach", s_move_mount(m, "", AT_FDCWD, "a", MOVE_MOUNT_F_EMPTY_PATH));
	R("umount2 MNT_DETACH", umount2("a", MNT_DETACH));
	R("clone an unmounted mount", s_open_tree(m, "", AT_EMPTY_PATH | OPEN_TREE_CLONE));
	close(m);

	/* MOVE_MOUNT_SET_GROUP: a private mount joins another's peer group */
	R("tmpfs on a", mount("g", "a", "tmpfs", 0, NULL));
	mkdir("a/in", 0755);
	R("bind a/in on c", mount("a/in", "c", NULL, MS_BIND, NULL));
	R("set group from a private mount", s_move_mount(AT_FDCWD, "a", AT_FDCWD, "c", MOVE_MOUNT_SET_GROUP));
	R("a shared", mount(NULL, "a", NULL, MS_SHARED, NULL));
	R("set group to a non-root", s_move_mount(AT_FDCWD, "a", AT_FDCWD, "a/in", MOVE_MOUNT_SET_GROUP));
	R("set group from a narrower mount", s_move_mount(AT_FDCWD, "c", AT_FDCWD, "a", MOVE_MOUNT_SET_GROUP));
	R("set group a -> c", s_move_mount(AT_FDCWD, "a", AT_FDCWD, "c", MOVE_MOUNT_SET_GROUP));
	R("set group again (c is shared now)", s_move_mount(AT_FDCWD, "a", AT_FDCWD, "c", MOVE_MOUNT_SET_GROUP));
	mkdir("a/in/x", 0755);
	R("tmpfs on a/in/x", mount("h", "a/in/x", "tmpfs", 0, NULL));
	R("propagated to c/x", stat("c/x", &st) == 0 && st.st_dev != 0 ? 0 : -1);
	{
		struct stat s1, s2;
		stat("a/in/x", &s1);
		stat("c/x", &s2);
		YN("the same filesystem at c/x", s1.st_dev == s2.st_dev);
	}
	R("umount a/in/x", umount("a/in/x"));
	R("umount c", umount2("c", MNT_DETACH));
	R("umount a", umount2("a", MNT_DETACH));

	/* fspick: reconfigure a mounted tmpfs */
	R("mount tmpfs on b", mount("x", "b", "tmpfs", 0, NULL));
	R("fspick a non-root", s_fspick(AT_FDCWD, "a", 0));
	R("fspick bad flags", s_fspick(AT_FDCWD, "b", 0x10));
	fsfd = FD("fspick", s_fspick(AT_FDCWD, "b", FSPICK_CLOEXEC));
	R("create on a picked context", s_fsconfig(fsfd, FSCONFIG_CMD_CREATE, NULL, NULL, 0));
	R("ro", s_fsconfig(fsfd, FSCONFIG_SET_FLAG, "ro", NULL, 0));
	R("reconfigure", s_fsconfig(fsfd, FSCONFIG_CMD_RECONFIGURE, NULL, NULL, 0));
	fd = open("b", O_RDONLY | O_DIRECTORY);
	statfs_line("statfs of b", fd, false);
	R("mkdir on b", mkdir("b/y", 0755));
	close(fd);
	close(fsfd);
	R("umount b", umount("b"));
	return 0;
}
