/* stat/fstat/lstat: stable fields only (type, mode, size, nlink, rdev of devices). */
#include <sys/sysmacros.h>
#include "cf.h"

static void
show(const char *label, int r, const struct stat *st)
{
	if (r < 0) {
		printf("%s: -1 %s\n", label, en(errno));
		return;
	}
	const char *t = S_ISREG(st->st_mode) ? "reg" : S_ISDIR(st->st_mode) ? "dir" :
		S_ISLNK(st->st_mode) ? "lnk" : S_ISCHR(st->st_mode) ? "chr" :
		S_ISFIFO(st->st_mode) ? "fifo" : "other";
	printf("%s: type=%s mode=%04o", label, t, st->st_mode & 07777);
	if (strcmp(label, "stat /") != 0)	/* the root's link count depends on the mounts */
		printf(" nlink=%lu", (unsigned long)st->st_nlink);
	if (!S_ISDIR(st->st_mode))
		printf(" size=%lld", (long long)st->st_size);
	printf("\n");
}

int
main(void)
{
	struct stat st = {0}, st2 = {0};
	int r;

	cf_init();
	cf_write_file("f", "hello world", 11);
	mkdir("d", 0750);
	mkdir("d/s1", 0755);
	mkdir("d/s2", 0755);
	symlink("f", "lnk");
	symlink("a-target-name", "dangling");
	link("f", "f2");

	r = stat("f", &st); show("stat f", r, &st);
	r = stat("d", &st); show("stat d", r, &st);
	r = stat("d/s1", &st); show("stat d/s1", r, &st);
	r = stat("lnk", &st); show("stat lnk", r, &st);
	r = lstat("lnk", &st); show("lstat lnk", r, &st);
	r = lstat("dangling", &st); show("lstat dangling", r, &st);
	r = stat("dangling", &st); show("stat dangling", r, &st);
	r = stat("missing", &st); show("stat missing", r, &st);
	r = stat("f/x", &st); show("stat f/x", r, &st);
	r = stat("", &st); show("stat empty", r, &st);
	int fd = open("f", O_RDONLY);
	r = fstat(fd, &st); show("fstat f", r, &st);
	stat("f", &st2);
	YN("fstat ino == stat ino", st.st_ino == st2.st_ino && st.st_dev == st2.st_dev);
	stat("f2", &st2);
	YN("hard link same ino", st.st_ino == st2.st_ino);
	YN("uid is geteuid", st.st_uid == geteuid());
	YN("gid is getegid", st.st_gid == getegid());
	close(fd);
	R("fstat closed", fstat(fd, &st));
	r = stat("/dev/null", &st); show("stat /dev/null", r, &st);
	printf("/dev/null rdev: %u,%u\n", major(st.st_rdev), minor(st.st_rdev));
	r = stat("/dev/zero", &st); show("stat /dev/zero", r, &st);
	printf("/dev/zero rdev: %u,%u\n", major(st.st_rdev), minor(st.st_rdev));
	r = stat("/", &st); show("stat /", r, &st);
	r = stat("/usr/bin/busybox", &st); show("stat /usr/bin/busybox", r, &st);
	r = lstat("/bin", &st); show("lstat /bin", r, &st);
	r = stat("/etc/os-release", &st);
	YN("/etc/os-release size>0", r == 0 && st.st_size > 0);
	YN("st_blksize>0", st.st_blksize > 0);
	return 0;
}
