/*
 * devpts instances: each mount of devpts has its own pty numbers and its own ptmx (Linux
 * >= 4.7), with its options (mode, ptmxmode, max; newinstance accepted); a pty of one
 * instance is not in another; /dev/ptmx keeps using the instance at /dev/pts.
 */
#include "cf.h"
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/sysmacros.h>

static int
new_pty(const char *ptmx, int *n)
{
	int m = open(ptmx, O_RDWR | O_NOCTTY);
	int unlock = 0;

	if (m >= 0 && (ioctl(m, TIOCGPTN, n) < 0 || ioctl(m, TIOCSPTLCK, &unlock) < 0)) {
		close(m);
		return -1;
	}
	return m;
}

/* The super options of the mount at dir (mountinfo's last field). */
static void
super_opts(const char *label, const char *dir)
{
	char line[1024], *p;
	FILE *f = fopen("/proc/self/mountinfo", "r");

	while (f && fgets(line, sizeof(line), f)) {
		char mp[256];
		if (sscanf(line, "%*d %*d %*s %*s %255s", mp) == 1 && !strcmp(mp, dir) &&
		    (p = strstr(line, " - "))) {
			p = strrchr(p, ' ');
			printf("%s: %s", label, p + 1);
		}
	}
	if (f)
		fclose(f);
}

int
main(void)
{
	char a[64], b[64], path[96];
	struct stat st;
	int n = -1, n2 = -1;

	setvbuf(stdout, NULL, _IONBF, 0);
	cf_init();
	if (!cf_private_mounts())
		return 0;
	snprintf(a, sizeof(a), "%s/a", cf_dir);
	snprintf(b, sizeof(b), "%s/b", cf_dir);
	mkdir(a, 0755);
	mkdir(b, 0755);
	R("mount devpts a", mount("pts_a", a, "devpts", 0, "newinstance,mode=0620,ptmxmode=0666"));
	R("mount devpts b", mount("pts_b", b, "devpts", 0, "max=1"));
	R("mount devpts, bad option", mount("pts_c", b, "devpts", 0, "bogus=1"));
	R("mount devpts, bad mode", mount("pts_c", b, "devpts", 0, "mode=99x"));
	super_opts("a's options", a);
	super_opts("b's options", b);

	snprintf(path, sizeof(path), "%s/ptmx", a);
	R("stat a/ptmx", stat(path, &st));
	printf("  ptmx mode %04o rdev %u:%u\n", st.st_mode & 07777, major(st.st_rdev),
	       minor(st.st_rdev));
	int m = FD("open a/ptmx", new_pty(path, &n));
	printf("  first pty of a: %d\n", n);
	snprintf(path, sizeof(path), "%s/%d", a, n);
	R("stat a's pty", stat(path, &st));
	printf("  pty mode %04o major %u\n", st.st_mode & 07777, major(st.st_rdev));
	int s = FD("open a's pty", open(path, O_RDWR | O_NOCTTY));
	snprintf(path, sizeof(path), "%s/%d", b, n);
	R("a's pty in b", open(path, O_RDWR | O_NOCTTY));

	snprintf(path, sizeof(path), "%s/ptmx", b);
	int m2 = FD("open b/ptmx", new_pty(path, &n2));
	printf("  first pty of b: %d\n", n2);
	R("b past max=1", new_pty(path, &n2));
	if (m2 >= 0)
		close(m2);
	int m3 = FD("b again once freed", new_pty(path, &n2));
	if (m3 >= 0)
		close(m3);

	/* data through a's pair */
	if (m >= 0 && s >= 0) {
		char buf[16] = { 0 };
		R("write master", write(m, "hi\n", 3));
		R("read slave", read(s, buf, sizeof(buf) - 1));
		printf("  got %s", buf);
		int peer = FD("TIOCGPTPEER", ioctl(m, TIOCGPTPEER, O_RDWR | O_NOCTTY));
		if (peer >= 0 && fstat(peer, &st) == 0)
			printf("  peer major %u, same pty %s\n", major(st.st_rdev),
			       minor(st.st_rdev) == (unsigned)n ? "yes" : "no");
	}
	/* /dev/ptmx still makes ptys in /dev/pts */
	int dm = FD("open /dev/ptmx", new_pty("/dev/ptmx", &n2));
	if (dm >= 0) {
		snprintf(path, sizeof(path), "/dev/pts/%d", n2);
		R("its pty in /dev/pts", access(path, F_OK));
	}
	R("umount b", umount(b));
	return 0;
}
