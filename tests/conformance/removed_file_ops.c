/*
 * Calls on the descriptor of a file whose name was removed act on the open file (Linux
 * works on the inode, not a name): fchmod, fchown, futimens, utimensat(fd, NULL), the
 * fd xattr calls, fstatfs, fsync, fdatasync, ftruncate, fallocate. Through a read-write
 * descriptor, a read-only one and a directory's. tests/security/rw_conformance.sh runs it
 * in a --rw directory too, where the sandbox's host files are changed by the gofer.
 */
#include "cf.h"
#include <fcntl.h>
#include <sys/statfs.h>
#include <sys/xattr.h>

static void
attrs(const char *what, int fd)
{
	struct stat st;

	if (fstat(fd, &st) < 0) {
		printf("%s fstat: %s\n", what, en(errno));
		return;
	}
	printf("%s: mode %o nlink %ld size %ld\n", what, st.st_mode & 07777, (long)st.st_nlink,
	       (long)st.st_size);
}

static void
ops(const char *name, int fd, int reg)
{
	struct timespec ts[2] = { { 1000000000, 5 }, { 1100000000, 7 } };
	struct stat st;
	struct statfs sf;
	char v[64], list[256];
	char label[128];

#define L(s) (snprintf(label, sizeof(label), "%s %s", name, s), label)
	OK(L("fchmod 0640"), fchmod(fd, 0640));
	OK(L("fchown to itself"), fchown(fd, getuid(), getgid()));
	OK(L("futimens"), futimens(fd, ts));
	fstat(fd, &st);
	printf("%s times: %ld.%ld %ld.%ld\n", name, (long)st.st_atim.tv_sec,
	       st.st_atim.tv_nsec, (long)st.st_mtim.tv_sec, st.st_mtim.tv_nsec);
	OK(L("utimensat(fd, NULL)"), syscall(SYS_utimensat, fd, NULL, ts, 0));
	OK(L("futimens now"), futimens(fd, NULL));
	OK(L("fsetxattr"), fsetxattr(fd, "user.k", "val", 3, 0));
	OK(L("fsetxattr create again"), fsetxattr(fd, "user.k", "v2", 2, XATTR_CREATE));
	R(L("fgetxattr"), fgetxattr(fd, "user.k", v, sizeof(v)));
	R(L("fgetxattr size"), fgetxattr(fd, "user.k", NULL, 0));
	R(L("fgetxattr missing"), fgetxattr(fd, "user.none", v, sizeof(v)));
	R(L("flistxattr"), flistxattr(fd, list, sizeof(list)));
	OK(L("fremovexattr"), fremovexattr(fd, "user.k"));
	R(L("fremovexattr again"), fremovexattr(fd, "user.k"));
	R(L("flistxattr after"), flistxattr(fd, list, sizeof(list)));
	OK(L("fstatfs"), fstatfs(fd, &sf));
	OK(L("fsync"), fsync(fd));
	OK(L("fdatasync"), fdatasync(fd));
	if (reg) {
		OK(L("ftruncate 100"), ftruncate(fd, 100));
		R(L("fallocate"), posix_fallocate(fd, 0, 200) == 0 ? 0 : -1);
		/* the call itself (posix_fallocate writes the blocks where it fails) */
		R(L("fallocate(2) 300"), fallocate(fd, 0, 0, 300));
		R(L("fallocate(2) keep size"), fallocate(fd, FALLOC_FL_KEEP_SIZE, 0, 8192));
		R(L("fallocate(2) punch"), fallocate(fd, FALLOC_FL_KEEP_SIZE | FALLOC_FL_PUNCH_HOLE,
						   0, 2));
		char head[3] = { 0 };
		R(L("pread after punch"), pread(fd, head, 3, 0));
		printf("%s head: %d %d %d\n", name, head[0], head[1], head[2]);
	} else {
		R(L("fallocate(2) read-only"), fallocate(fd, 0, 0, 300));
	}
	attrs(name, fd);
#undef L
}

int
main(void)
{
	cf_init();
	cf_write_file("f", "hello", 5);
	int rw = FD("open f rw", open("f", O_RDWR));
	int ro = FD("open f ro", open("f", O_RDONLY));
	OK("unlink f", unlink("f"));
	ops("rw", rw, 1);
	ops("ro", ro, 0);
	attrs("ro after", ro);
	char b[16];
	R("pread ro", pread(ro, b, sizeof(b), 0));
	close(rw);
	close(ro);

	mkdir("d", 0755);
	int d = FD("open d", open("d", O_RDONLY | O_DIRECTORY));
	OK("rmdir d", rmdir("d"));
	OK("d fchmod", fchmod(d, 0700));
	OK("d futimens now", futimens(d, NULL));
	OK("d fstatfs", ({ struct statfs sf; fstatfs(d, &sf); }));
	OK("d fsync", fsync(d));
	R("d fsetxattr", fsetxattr(d, "user.k", "v", 1, 0));
	R("d flistxattr", flistxattr(d, NULL, 0));
	struct stat st;
	fstat(d, &st);
	printf("d: mode %o nlink %ld\n", st.st_mode & 07777, (long)st.st_nlink);
	close(d);

	/* a name taken again by another file: the descriptor still reaches its own */
	cf_write_file("g", "one", 3);
	int g = FD("open g", open("g", O_RDWR));
	OK("unlink g", unlink("g"));
	cf_write_file("g", "second file", 11);
	OK("fchmod old g 0600", fchmod(g, 0600));
	OK("fsetxattr old g", fsetxattr(g, "user.old", "1", 1, 0));
	stat("g", &st);
	printf("new g: mode %o size %ld\n", st.st_mode & 07777, (long)st.st_size);
	R("new g getxattr user.old", getxattr("g", "user.old", b, sizeof(b)));
	attrs("old g", g);
	close(g);
	return 0;
}
