/* /proc/PID/ns links followed: they lead to namespace files (regular, 0444, inode number = the
 * id in the link text, one file for pid and pid_for_children), which open read-only and read
 * as EINVAL; opening one for writing is EPERM, and nothing lies below one. setns with one:
 * into one's own namespaces (0 or the matching kind), the user namespace EINVAL, a wrong
 * kind EINVAL; joining the mount namespace moves root and cwd to its root. Run as root. */
#include "cf.h"
#include <sched.h>
#include <sys/mman.h>
#include <sys/stat.h>
int
main(void)
{
	struct stat a, b, l;
	char buf[64];
	R("access pid", access("/proc/self/ns/pid", F_OK));
	R("access R_OK", access("/proc/self/ns/uts", R_OK));
	R("stat pid", stat("/proc/self/ns/pid", &a));
	R("stat pid_for_children", stat("/proc/self/ns/pid_for_children", &b));
	R("lstat", lstat("/proc/self/ns/pid", &l));
	YN("lnk", S_ISLNK(l.st_mode));
	YN("reg", S_ISREG(a.st_mode));
	printf("mode %o\n", a.st_mode);
	YN("same ino", a.st_ino == b.st_ino && a.st_dev == b.st_dev);
	ssize_t n = readlink("/proc/self/ns/pid", buf, sizeof buf - 1); buf[n>0?n:0]=0;
	unsigned long id = 0; sscanf(buf, "pid:[%lu]", &id);
	YN("ino is id", id == a.st_ino);
	int fd = FD("open", open("/proc/self/ns/pid", O_RDONLY));
	R("read", read(fd, buf, 4));
	R("lseek", lseek(fd, 1, SEEK_SET));
	R("fsync", fsync(fd));
	YN("mmap ENODEV", mmap(NULL, 4096, PROT_READ, MAP_SHARED, fd, 0) == MAP_FAILED &&
			      errno == ENODEV);
	R("fstat", fstat(fd, &b));
	YN("fstat same", a.st_ino == b.st_ino);
	n = readlink("/proc/self/fd/3", buf, sizeof buf - 1); buf[n>0?n:0]=0;
	printf("fd link %s\n", buf);
	R("open wr", open("/proc/self/ns/net", O_WRONLY));
	R("opendir", open("/proc/self/ns/net", O_DIRECTORY));
	R("stat ns/net/x", stat("/proc/self/ns/net/x", &a));

	static const char *kinds[] = { "uts", "ipc", "net", "pid", "cgroup", "user", "mnt" };
	for (size_t k = 0; k < sizeof(kinds) / sizeof(kinds[0]); k++) {
		char path[64], label[64];
		snprintf(path, sizeof(path), "/proc/self/ns/%s", kinds[k]);
		int nfd = open(path, O_RDONLY);
		snprintf(label, sizeof(label), "setns %s 0", kinds[k]);
		R(label, setns(nfd, 0));
		close(nfd);
	}
	int ufd = open("/proc/self/ns/uts", O_RDONLY);
	R("setns uts as CLONE_NEWUTS", setns(ufd, CLONE_NEWUTS));
	R("setns uts as CLONE_NEWIPC", setns(ufd, CLONE_NEWIPC));
	close(ufd);
	R("setns a plain file", setns(0, 0));
	/* the mount namespace's root: chdir somewhere, join, cwd is / again */
	int mfd = open("/proc/self/ns/mnt", O_RDONLY);
	chdir("/proc");
	R("setns mnt CLONE_NEWNS", setns(mfd, CLONE_NEWNS));
	printf("cwd after: %s\n", getcwd(buf, sizeof(buf)) ? buf : "?");
	return 0;
}
