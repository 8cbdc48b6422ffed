/* fs.protected_regular and fs.protected_fifos: an O_CREAT open that finds a file in a sticky
 * directory, the file owned by neither the caller nor the directory's owner (root too), in
 * a world-writable (1777) and a group-writable (1775) directory; the owner, the directory's
 * owner, O_EXCL and a directory without the sticky bit. The sandbox starts with the host's
 * values, so what is refused follows them in both runs. Run as root. */
#include "cf.h"
#include <sys/fsuid.h>

static void
try(const char *label, const char *path, int flags)
{
	int fd = open(path, flags, 0644);

	printf("%s: %s\n", label, fd >= 0 ? "ok" : en(errno));
	if (fd >= 0)
		close(fd);
}

static void
made(const char *path, mode_t kind, uid_t uid)
{
	int r = kind == S_IFREG ? cf_write_file(path, "x", 1) : mkfifo(path, 0666);
	if (r < 0 || chown(path, uid, uid) < 0)
		printf("making %s: %s\n", path, en(errno));
}

static void
dir(const char *name, mode_t mode)
{
	char p[64];

	mkdir(name, 0755);
	chmod(name, mode);
	snprintf(p, sizeof(p), "%s/other", name);
	made(p, S_IFREG, 1234);
	snprintf(p, sizeof(p), "%s/fifo", name);
	made(p, S_IFIFO, 1234);
	snprintf(p, sizeof(p), "%s/dirowner", name);
	made(p, S_IFREG, 0);
}

int
main(void)
{
	char v[16];

	cf_init();
	if (geteuid() != 0) {
		printf("not root: nothing to check\n");
		return 0;
	}
	chmod(cf_dir, 0755); /* (for the files' owner) */
	cf_read_text("/proc/sys/fs/protected_regular", v, sizeof(v));
	printf("protected_regular: %s", v);
	cf_read_text("/proc/sys/fs/protected_fifos", v, sizeof(v));
	printf("protected_fifos: %s", v);
	dir("world", 01777);
	dir("group", 01775);
	dir("plain", 0777);
	const char *dirs[] = { "world", "group", "plain" };
	for (int k = 0; k < 3; k++) {
		char p[64], l[96];
		const char *names[] = { "other", "fifo", "dirowner" };
		for (int n = 0; n < 3; n++) {
			snprintf(p, sizeof(p), "%s/%s", dirs[k], names[n]);
			snprintf(l, sizeof(l), "%s O_CREAT", p);
			try(l, p, O_RDWR | O_CREAT | O_NONBLOCK);
		}
		snprintf(p, sizeof(p), "%s/other", dirs[k]);
		snprintf(l, sizeof(l), "%s O_CREAT|O_EXCL", p);
		try(l, p, O_RDWR | O_CREAT | O_EXCL);
		snprintf(l, sizeof(l), "%s without O_CREAT", p);
		try(l, p, O_RDWR);
		snprintf(l, sizeof(l), "%s O_CREAT|O_TRUNC", p);
		try(l, p, O_WRONLY | O_CREAT | O_TRUNC);
		/* as the file's owner */
		setfsuid(1234);
		snprintf(l, sizeof(l), "%s O_CREAT by its owner", p);
		try(l, p, O_RDONLY | O_CREAT);
		setfsuid(0);
		/* a new name: created */
		snprintf(p, sizeof(p), "%s/new", dirs[k]);
		snprintf(l, sizeof(l), "%s O_CREAT", p);
		try(l, p, O_RDWR | O_CREAT);
	}
	/* the directory owned by the file's owner */
	chown("world", 1234, 1234);
	try("world/other in a directory its owner owns", "world/other", O_RDWR | O_CREAT);
	return 0;
}
