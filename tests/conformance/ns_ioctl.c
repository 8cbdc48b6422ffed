/* nsfs ioctls on /proc/self/ns files: NS_GET_NSTYPE gives each file's CLONE_NEW* kind (a
 * new UTS namespace's too), NS_GET_USERNS a close-on-exec descriptor of the owning user
 * namespace (the same file /proc/self/ns/user names; EPERM on the initial user namespace
 * itself), NS_GET_PARENT is EPERM for the initial pid and user namespaces and EINVAL for
 * the other kinds, NS_GET_OWNER_UID only answers for a user namespace; unknown ones
 * ENOTTY. Run as root. */
#include "cf.h"
#include <linux/nsfs.h>
#include <sched.h>
#include <sys/ioctl.h>

int
main(void)
{
	static const char *kinds[] = { "uts", "ipc", "mnt", "net", "pid", "cgroup", "user", "time" };
	struct stat u, g;
	char label[64], path[64];

	cf_init();
	if (geteuid() != 0) {
		printf("not root: nothing to check\n");
		return 0;
	}
	stat("/proc/self/ns/user", &u);
	for (size_t k = 0; k < sizeof(kinds) / sizeof(kinds[0]); k++) {
		snprintf(path, sizeof(path), "/proc/self/ns/%s", kinds[k]);
		int fd = open(path, O_RDONLY);
		snprintf(label, sizeof(label), "%s NS_GET_NSTYPE", kinds[k]);
		R(label, ioctl(fd, NS_GET_NSTYPE));
		snprintf(label, sizeof(label), "%s NS_GET_PARENT", kinds[k]);
		R(label, ioctl(fd, NS_GET_PARENT));
		uid_t owner = 12345;
		snprintf(label, sizeof(label), "%s NS_GET_OWNER_UID", kinds[k]);
		R(label, ioctl(fd, NS_GET_OWNER_UID, &owner));
		printf("owner %u\n", owner);
		int ufd = ioctl(fd, NS_GET_USERNS);
		snprintf(label, sizeof(label), "%s NS_GET_USERNS", kinds[k]);
		if (ufd < 0) {
			printf("%s: -1 %s\n", label, en(errno));
		} else {
			fstat(ufd, &g);
			YN(label, g.st_ino == u.st_ino && g.st_dev == u.st_dev);
			R("cloexec", fcntl(ufd, F_GETFD));
			close(ufd);
		}
		snprintf(label, sizeof(label), "%s unknown ioctl", kinds[k]);
		R(label, ioctl(fd, _IO(0xb7, 0x7f)));
		close(fd);
	}
	if (unshare(CLONE_NEWUTS) == 0) {
		int fd = open("/proc/self/ns/uts", O_RDONLY);
		R("new uts NS_GET_NSTYPE", ioctl(fd, NS_GET_NSTYPE));
		int ufd = ioctl(fd, NS_GET_USERNS);
		fstat(ufd, &g);
		YN("new uts NS_GET_USERNS", ufd >= 0 && g.st_ino == u.st_ino);
	}
	return 0;
}
