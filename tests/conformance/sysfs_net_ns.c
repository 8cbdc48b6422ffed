/* /sys/class/net shows the interfaces of the network namespace the sysfs was mounted in
 * (Linux tags a sysfs with its mounter's): a sysfs mounted after unshare(CLONE_NEWNET)
 * has that namespace's lo, down at first (its carrier, dormant and testing read EINVAL),
 * and follows it when it comes up and its MTU changes, even in a file opened before;
 * /sys, mounted in the first namespace, still shows that one's lo, which is up. */
#include "cf.h"
#include "cf_mount.h"
#include <dirent.h>
#include <net/if.h>
#include <sys/ioctl.h>
#include <sys/socket.h>

static void
show_lo(const char *when)
{
	static const char *const attrs[] = { "flags", "mtu", "operstate", "carrier", "dormant",
					     "testing", "speed", "duplex", "ifindex", "type" };
	char label[64], path[128];

	for (size_t i = 0; i < sizeof(attrs) / sizeof(attrs[0]); i++) {
		snprintf(label, sizeof(label), "%s %s", when, attrs[i]);
		snprintf(path, sizeof(path), "sys/class/net/lo/%s", attrs[i]);
		cf_show_file(label, path);
	}
}

int
main(void)
{
	cf_init();
	if (!cf_own_mounts())
		return 0;
	OK("unshare net", unshare(CLONE_NEWNET));
	OK("mkdir", mkdir("sys", 0755));
	OK("mount sysfs", mount("sysfs", "sys", "sysfs", MS_RDONLY, NULL));
	DIR *d = opendir("sys/class/net");
	int n = 0, lo = 0;
	for (struct dirent *e; d && (e = readdir(d));) {
		if (e->d_name[0] == '.')
			continue;
		n++;
		lo += !strcmp(e->d_name, "lo");
	}
	if (d)
		closedir(d);
	printf("class/net entries: %d, lo: %d\n", n, lo);
	int early = open("sys/class/net/lo/mtu", O_RDONLY);
	show_lo("new");

	int s = socket(AF_INET, SOCK_DGRAM, 0);
	struct ifreq ifr = { 0 };
	strcpy(ifr.ifr_name, "lo");
	OK("SIOCGIFFLAGS", ioctl(s, SIOCGIFFLAGS, &ifr));
	ifr.ifr_flags |= IFF_UP;
	OK("SIOCSIFFLAGS up", ioctl(s, SIOCSIFFLAGS, &ifr));
	ifr.ifr_mtu = 1500;
	OK("SIOCSIFMTU", ioctl(s, SIOCSIFMTU, &ifr));
	show_lo("up");
	char buf[32] = "";
	ssize_t r = pread(early, buf, sizeof(buf) - 1, 0);
	printf("opened before: %zd %s", r, r > 0 ? buf : "\n");
	R("lseek end", lseek(early, 0, SEEK_END));
	close(early);
	OK("SIOCGIFFLAGS again", ioctl(s, SIOCGIFFLAGS, &ifr)); /* the MTU shares the union */
	ifr.ifr_flags &= ~IFF_UP;
	OK("SIOCSIFFLAGS down", ioctl(s, SIOCSIFFLAGS, &ifr));
	cf_show_file("down operstate", "sys/class/net/lo/operstate");
	cf_show_file("down carrier", "sys/class/net/lo/carrier");
	close(s);

	cf_show_file("first namespace's lo operstate", "/sys/class/net/lo/operstate");
	cf_show_file("first namespace's lo flags", "/sys/class/net/lo/flags");
	OK("write mtu", open("sys/class/net/lo/mtu", O_WRONLY));
	OK("umount", umount("sys"));
	return 0;
}
