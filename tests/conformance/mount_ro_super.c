/* A new filesystem mounted MS_RDONLY is read-only itself (mountinfo's super options "ro",
 * statmount's sb_flags); MS_REMOUNT changes the filesystem and the mount, MS_REMOUNT |
 * MS_BIND only the mount, so a bind-remount to rw of a read-only filesystem still gives
 * EROFS. Run as root; natively in a mount namespace of its own. */
#include <sched.h>
#include <sys/mount.h>
#include "cf.h"
#include "cf_mount.h"

/* mountinfo's fields after the mount point of "rob", and whether a file can be made. */
static void
show(const char *what)
{
	char line[2048];
	FILE *f = fopen("/proc/self/mountinfo", "r");

	while (f && fgets(line, sizeof(line), f)) {
		char mp[1024];
		int off = 0;

		if (sscanf(line, "%*d %*d %*s %*s %1023s %n", mp, &off) != 1 || !off)
			continue;
		size_t n = strlen(mp);
		if (n >= 4 && !strcmp(mp + n - 4, "/rob"))
			printf("%s: %s", what, line + off);
	}
	if (f)
		fclose(f);
	int fd = open("rob/f", O_CREAT | O_WRONLY, 0644);
	printf("  create: %s\n", fd < 0 ? en(errno) : "ok");
	if (fd >= 0)
		close(fd);
	unlink("rob/f");
}

int
main(void)
{
	cf_init();
	if (!cf_own_mounts())
		return 0;
	mkdir("rob", 0755);
	R("mount ro", mount("x", "rob", "tmpfs", MS_RDONLY, NULL));
	show("new ro");
	R("remount rw", mount(NULL, "rob", NULL, MS_REMOUNT, NULL));
	show("remount rw");
	R("bind remount ro", mount(NULL, "rob", NULL, MS_REMOUNT | MS_BIND | MS_RDONLY, NULL));
	show("bind ro");
	R("remount ro", mount(NULL, "rob", NULL, MS_REMOUNT | MS_RDONLY, NULL));
	show("remount ro");
	R("bind remount rw", mount(NULL, "rob", NULL, MS_REMOUNT | MS_BIND, NULL));
	show("bind rw");
	R("remount rw", mount(NULL, "rob", NULL, MS_REMOUNT, NULL));
	show("remount rw");
	R("umount", umount("rob"));
	return 0;
}
