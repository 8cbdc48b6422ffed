/* mount(2)/umount2(2) of in-memory filesystems and bind mounts (natively in a private
 * mount namespace): options, EBUSY, MNT_DETACH, read-only and remount, noexec, noatime,
 * mountinfo's root and options, errors. Run as root. */
#include <linux/capability.h>
#include <stdbool.h>
#include <sched.h>
#include <sys/eventfd.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/statfs.h>
#include <sys/statvfs.h>
#include <sys/sysmacros.h>
#include <sys/wait.h>
#include "cf.h"

static void
info_line2(const char *suffix, bool details)
{
	char line[1024];
	FILE *f = fopen("/proc/self/mountinfo", "r");
	int found = 0;

	while (f && fgets(line, sizeof(line), f)) {
		char root[512], mp[512];
		if (sscanf(line, "%*d %*d %*s %511s %511s", root, mp) != 2)
			continue;
		size_t n = strlen(mp), s = strlen(suffix);
		if (n < s || strcmp(mp + n - s, suffix))
			continue;
		found++;
		if (!details)
			continue;
		char *dash = strstr(line, " - ");
		char *sup = dash ? strrchr(dash, ' ') : NULL;
		printf("mountinfo %s: root %s super %s", suffix, root, sup ? sup + 1 : "?\n");
	}
	if (f)
		fclose(f);
	printf("mountinfo %s: %d line(s)\n", suffix, found);
}

/* The optional fields of the (top) mount at suffix: which of shared, master, unbindable. */
static void
prop_line(const char *suffix, const char *label)
{
	char line[2048];

	if (cf_mountinfo(suffix, line, sizeof(line)))
		printf("%s: shared %d master %d unbindable %d\n", label, !!strstr(line, " shared:"),
		       !!strstr(line, " master:"), !!strstr(line, " unbindable"));
}

static void
info_line(const char *suffix)
{
	info_line2(suffix, true);
}

int
main(void)
{
	struct stat st, st2;
	struct statfs sf;
	char buf[64];

	cf_init();
	if (geteuid() != 0) {
		printf("not root: nothing to check\n");
		return 0;
	}
	/* natively: a mount namespace of our own, so nothing reaches the host's tree */
	if (unshare(CLONE_NEWNS) == 0)
		mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL);
	mkdir("m", 0755);
	mkdir("a", 0755);
	mkdir("b", 0755);
	mkdir("a/sub", 0755);
	close(open("a/sub/x", O_CREAT | O_WRONLY, 0644));

	R("mount unknown type", mount("", "m", "foobar-fs", 0, ""));
	R("mount on missing target", mount("", "nope", "tmpfs", 0, ""));
	R("mount bad option", mount("", "m", "tmpfs", 0, "colour=blue"));
	R("mount bad mode", mount("", "m", "tmpfs", 0, "mode=9"));
	stat("m", &st);
	R("mount tmpfs mode=0700,size=1m", mount("", "m", "tmpfs", 0, "mode=0700,size=1m"));
	stat("m", &st2);
	printf("mode %o\n", st2.st_mode);
	YN("new device", st.st_dev != st2.st_dev);
	statfs("m", &sf);
	printf("statfs type %lx blocks %ld\n", (long)sf.f_type, (long)sf.f_blocks);
	info_line("/m");
	int fd = FD("create in the mount", open("m/f", O_CREAT | O_RDWR, 0644));
	R("write", write(fd, "hello", 5));
	R("umount while open", umount("m"));
	R("umount2 bad flags", umount2("m", 0x100));
	R("umount2 EXPIRE|DETACH", umount2("m", MNT_EXPIRE | MNT_DETACH));
	R("umount a plain directory", umount("a"));
	R("rmdir the mount point", rmdir("m"));
	close(fd);
	fd = open("m", O_RDONLY | O_DIRECTORY);
	R("umount while a directory is open", umount("m"));
	close(fd);
	R("umount", umount("m"));
	R("file gone with it", stat("m/f", &st));

	/* lazy unmount: open files keep working */
	R("mount again", mount("none", "m", "tmpfs", 0, NULL));
	cf_write_file("m/g", "lazy", 4);
	fd = open("m/g", O_RDONLY);
	R("umount2 MNT_DETACH", umount2("m", MNT_DETACH));
	R("read after detach", read(fd, buf, sizeof(buf)));
	R("gone from the path", access("m/g", F_OK));
	close(fd);

	/* read-only, remount */
	R("mount ro", mount("", "m", "tmpfs", MS_RDONLY, ""));
	FD("create on ro", open("m/h", O_CREAT | O_WRONLY, 0644));
	R("mkdir on ro", mkdir("m/d", 0755));
	R("remount rw", mount("", "m", "", MS_REMOUNT, ""));
	fd = FD("create after remount", open("m/h", O_CREAT | O_WRONLY, 0644));
	close(fd);
	R("remount a non-root", mount("", "a/sub", "", MS_REMOUNT, ""));
	R("umount", umount("m"));

	/* bind mounts */
	R("bind a/sub on b", mount("a/sub", "b", NULL, MS_BIND, NULL));
	R("tmpfs on a", mount("", "a", "tmpfs", 0, "mode=0755"));
	mkdir("a/in", 0700);
	R("bind a/in on m", mount("a/in", "m", NULL, MS_BIND, NULL));
	info_line("/m");
	R("umount m", umount("m"));
	R("umount a", umount("a"));
	R("b/x through the bind", access("b/x", F_OK));
	stat("a/sub", &st);
	stat("b", &st2);
	YN("same directory", st.st_ino == st2.st_ino && st.st_dev == st2.st_dev);
	R("bind a file on a dir", mount("a/sub/x", "m", NULL, MS_BIND, NULL));
	R("read-only bind remount", mount("", "b", NULL, MS_REMOUNT | MS_BIND | MS_RDONLY, NULL));
	FD("create through ro bind", open("b/y", O_CREAT | O_WRONLY, 0644));
	fd = FD("create in the original", open("a/sub/y", O_CREAT | O_WRONLY, 0644));
	close(fd);
	R("umount b", umount("b"));
	R("two propagation flags", mount("", "a", NULL, MS_SHARED | MS_PRIVATE, NULL));

	/* stacked mounts and "." */
	R("mount 1", mount("", "m", "tmpfs", 0, "mode=0711"));
	R("mount 2 on top", mount("", "m", "tmpfs", 0, "mode=0755"));
	stat("m", &st);
	printf("top mode %o\n", st.st_mode & 07777);
	R("chdir m", chdir("m"));
	R("umount2 . detach", umount2(".", MNT_DETACH));
	R("chdir back", chdir(cf_dir));
	stat("m", &st);
	printf("now mode %o\n", st.st_mode & 07777);
	R("umount the first", umount("m"));

	int ws;
	pid_t c;

	/* nr_inodes: the root counts; ENOSPC past it; statfs's inode counts */
	R("mount nr_inodes=4", mount("", "m", "tmpfs", 0, "nr_inodes=4"));
	statfs("m", &sf);
	printf("files %ld free %ld\n", (long)sf.f_files, (long)sf.f_ffree);
	{
		char nm[32];
		int k;
		for (k = 0; k < 6; k++) {
			snprintf(nm, sizeof(nm), "m/f%d", k);
			int c = open(nm, O_CREAT | O_WRONLY, 0644);
			if (c < 0)
				break;
			close(c);
		}
		printf("created %d, then %s\n", k, en(errno));
		R("mkdir when full", mkdir("m/d", 0755));
		R("symlink when full", symlink("x", "m/l"));
		R("hard link when full", link("m/f0", "m/h"));
		statfs("m", &sf);
		printf("files %ld free %ld\n", (long)sf.f_files, (long)sf.f_ffree);
		R("unlink one", unlink("m/f0"));
		R("mkdir after", mkdir("m/d", 0755));
	}
	info_line("/m");
	R("umount", umount("m"));

	/* noexec and noatime */
	R("mount noexec,noatime", mount("", "m", "tmpfs", MS_NOEXEC | MS_NOATIME, ""));
	cf_write_file("m/e", "#!/bin/sh\nexit 0\n", 17);
	chmod("m/e", 0755);
	fd = open("m/e", O_RDONLY);
	void *p = mmap(NULL, 4096, PROT_READ | PROT_EXEC, MAP_PRIVATE, fd, 0);
	printf("mmap PROT_EXEC: %s\n", p == MAP_FAILED ? en(errno) : "ok");
	p = mmap(NULL, 4096, PROT_READ, MAP_PRIVATE, fd, 0);
	printf("mmap PROT_READ: %s\n", p == MAP_FAILED ? en(errno) : "ok");
	if (p != MAP_FAILED) {
		R("mprotect PROT_EXEC on noexec", mprotect(p, 4096, PROT_READ | PROT_EXEC));
		R("mprotect PROT_READ|PROT_WRITE", mprotect(p, 4096, PROT_READ | PROT_WRITE));
		munmap(p, 4096);
	}
	struct timespec old[2] = { { 1000, 0 }, { 1000, 0 } };
	futimens(fd, old);
	read(fd, buf, 4);
	fstat(fd, &st);
	printf("atime after read on noatime: %ld\n", (long)st.st_atime);
	close(fd);
	c = fork();
	if (c == 0) {
		char *argv[] = { "e", NULL };
		execv("m/e", argv);
		printf("execve on noexec: %s\n", en(errno));
		fflush(stdout);
		_exit(0);
	}
	waitpid(c, &ws, 0);
	R("umount", umount("m"));

	/* strictatime wins over noatime */
	R("mount noatime,strictatime", mount("", "m", "tmpfs", MS_NOATIME | MS_STRICTATIME, ""));
	cf_write_file("m/s", "data", 4);
	fd = open("m/s", O_RDONLY);
	futimens(fd, old);
	read(fd, buf, 4);
	fstat(fd, &st);
	YN("atime updated on strictatime", st.st_atime > 1000);
	close(fd);
	R("umount", umount("m"));

	/* recursive binds of a tree into itself double it; each copies only what was there */
	R("self bind a", mount("a", "a", NULL, MS_BIND, NULL));
	mkdir("a/in2", 0755);
	for (int i = 0; i < 4; i++)
		R("rbind a on a/in2", mount("a", "a/in2", NULL, MS_BIND | MS_REC, NULL));
	info_line2("/in2", false);
	R("detach a", umount2("a", MNT_DETACH));
	info_line2("/in2", false);
	/* a pseudo file (an eventfd through /proc/self/fd) is no mount point */
	int efd = eventfd(0, 0);
	snprintf(buf, sizeof(buf), "/proc/self/fd/%d", efd);
	int r = mount("x", buf, "tmpfs", 0, NULL);
	YN("mount on an eventfd: EINVAL or ENOENT", r < 0 && (errno == EINVAL || errno == ENOENT));

	/* propagation types as mountinfo shows them (ids may differ: only which) */
	R("mount for propagation", mount("", "m", "tmpfs", 0, ""));
	prop_line("/m", "private");
	R("make shared", mount("", "m", NULL, MS_SHARED, NULL));
	prop_line("/m", "shared");
	mkdir("m/sub", 0755);
	R("mount under a shared one", mount("", "m/sub", "tmpfs", 0, ""));
	prop_line("/m/sub", "child of shared");
	R("bind the shared one", mount("m", "b", NULL, MS_BIND, NULL));
	prop_line("/b", "bind of shared");
	R("make b a slave", mount("", "b", NULL, MS_SLAVE, NULL));
	prop_line("/b", "slave");
	R("make m unbindable", mount("", "m", NULL, MS_UNBINDABLE, NULL));
	prop_line("/m", "unbindable");
	R("bind an unbindable mount", mount("m", "a", NULL, MS_BIND, NULL));
	R("make b private", mount("", "b", NULL, MS_PRIVATE, NULL));
	prop_line("/b", "private again");
	R("umount b", umount("b"));
	R("umount m/sub", umount("m/sub"));
	R("umount m", umount("m"));

	/* statfs flags; /proc/mounts in a chroot lists only what the root reaches */
	R("mount noatime,nodev", mount("", "m", "tmpfs", MS_NOATIME | MS_NODEV, ""));
	statfs("m", &sf);
	printf("statfs noatime %d nodev %d relatime %d\n", !!(sf.f_flags & ST_NOATIME),
	       !!(sf.f_flags & ST_NODEV), !!(sf.f_flags & ST_RELATIME));
	mkdir("m/inner", 0755);
	R("mount inner", mount("", "m/inner", "tmpfs", 0, ""));
	c = fork();
	if (c == 0) {
		int proc = open("/proc", O_RDONLY | O_DIRECTORY);
		chroot("m");
		FILE *f = fdopen(openat(proc, "self/mountinfo", O_RDONLY), "r");
		int lines = 0;
		char line[1024];
		while (f && fgets(line, sizeof(line), f))
			lines++;
		printf("mountinfo lines in the chroot: %d\n", lines);
		fflush(stdout);
		_exit(0);
	}
	waitpid(c, &ws, 0);
	R("umount inner", umount("m/inner"));
	R("umount", umount("m"));

	/* device nodes: with CAP_MKNOD on tmpfs; no driver behind 240:0 (ENXIO) */
	R("mount for devices", mount("", "m", "tmpfs", 0, ""));
	info_line("/m");
	R("mknod null 1:3", mknod("m/null", S_IFCHR | 0666, makedev(1, 3)));
	fd = FD("open it for writing", open("m/null", O_WRONLY));
	R("write to it", write(fd, "abc", 3));
	close(fd);
	R("mknod char 240:0", mknod("m/c", S_IFCHR | 0666, makedev(240, 0)));
	R("mknod block 240:1", mknod("m/b", S_IFBLK | 0600, makedev(240, 1)));
	stat("m/c", &st);
	printf("char: %s rdev %u:%u\n", S_ISCHR(st.st_mode) ? "yes" : "no", major(st.st_rdev),
	       minor(st.st_rdev));
	FD("open it", open("m/c", O_RDWR));
	c = fork();
	if (c == 0) {
		struct __user_cap_header_struct h = { _LINUX_CAPABILITY_VERSION_3, 0 };
		struct __user_cap_data_struct d[2];
		syscall(SYS_capget, &h, d);
		d[0].effective &= ~(1u << CAP_MKNOD);
		syscall(SYS_capset, &h, d);
		R("mknod without CAP_MKNOD", mknod("m/c2", S_IFCHR | 0666, makedev(240, 0)));
		R("mkfifo without CAP_MKNOD", mknod("m/p", S_IFIFO | 0666, 0));
		fflush(stdout);
		_exit(0);
	}
	waitpid(c, &ws, 0);
	R("umount", umount("m"));

	/* size limit */
	R("mount size=8k", mount("", "m", "tmpfs", 0, "size=8k"));
	fd = open("m/big", O_CREAT | O_WRONLY, 0644);
	static char page[16384];
	R("write 16k into 8k", write(fd, page, sizeof(page)));
	R("write more", write(fd, page, 1));
	close(fd);
	R("umount", umount("m"));

	/* without CAP_SYS_ADMIN */
	c = fork();
	if (c == 0) {
		struct __user_cap_header_struct h = { _LINUX_CAPABILITY_VERSION_3, 0 };
		struct __user_cap_data_struct d[2];
		syscall(SYS_capget, &h, d);
		d[0].effective &= ~(1u << CAP_SYS_ADMIN);
		syscall(SYS_capset, &h, d);
		R("mount without CAP_SYS_ADMIN", mount("", "m", "tmpfs", 0, ""));
		R("mount missing target without CAP_SYS_ADMIN", mount("", "nope", "tmpfs", 0, ""));
		fflush(stdout);
		_exit(0);
	}
	waitpid(c, &ws, 0);
	return 0;
}
