/* inotify: the events the VFS generates for a watched directory and file, their order,
 * names and padding, coalescing, move cookies, watch flags, removal (IN_IGNORED), reads
 * that are too small, FIONREAD, and the errors of the three calls. */
#include <dirent.h>
#include <sys/inotify.h>
#include <sys/ioctl.h>
#include <sys/time.h>
#include <sys/xattr.h>

#include "cf.h"

static const struct {
	unsigned bit;
	const char *name;
} bits[] = {
	{ IN_ACCESS, "ACCESS" }, { IN_MODIFY, "MODIFY" }, { IN_ATTRIB, "ATTRIB" },
	{ IN_CLOSE_WRITE, "CLOSE_WRITE" }, { IN_CLOSE_NOWRITE, "CLOSE_NOWRITE" },
	{ IN_OPEN, "OPEN" }, { IN_MOVED_FROM, "MOVED_FROM" }, { IN_MOVED_TO, "MOVED_TO" },
	{ IN_CREATE, "CREATE" }, { IN_DELETE, "DELETE" }, { IN_DELETE_SELF, "DELETE_SELF" },
	{ IN_MOVE_SELF, "MOVE_SELF" }, { IN_UNMOUNT, "UNMOUNT" }, { IN_Q_OVERFLOW, "Q_OVERFLOW" },
	{ IN_IGNORED, "IGNORED" }, { IN_ISDIR, "ISDIR" },
};

static uint32_t last_cookie;

static void
print_event(const struct inotify_event *ev)
{
	char m[256] = "";

	for (size_t i = 0; i < sizeof(bits) / sizeof(bits[0]); i++)
		if (ev->mask & bits[i].bit)
			snprintf(m + strlen(m), sizeof(m) - strlen(m), "%s%s", m[0] ? "|" : "", bits[i].name);
	printf("  wd %d %s", ev->wd, m);
	if (ev->len)
		printf(" \"%s\" len %u", ev->name, ev->len);
	if (ev->mask & IN_MOVED_FROM)
		last_cookie = ev->cookie;
	if (ev->cookie)
		printf(" cookie %s", (ev->mask & IN_MOVED_TO) && ev->cookie == last_cookie ? "matches" : "set");
	printf("\n");
}

/* Reads and prints every queued event (fd is non-blocking). */
static void
drain(const char *label, int fd)
{
	char buf[65536] __attribute__((aligned(8)));
	ssize_t n;

	printf("%s:\n", label);
	while ((n = read(fd, buf, sizeof(buf))) > 0)
		for (char *p = buf; p < buf + n; p += sizeof(struct inotify_event) + ((struct inotify_event *)p)->len)
			print_event((struct inotify_event *)p);
	if (n < 0 && errno != EAGAIN)
		printf("  read: %s\n", en(errno));
}

/* Like drain, but prints only which events each watch got, not their order: kernels differ
 * in the order of IN_OPEN and IN_MODIFY for open(O_TRUNC) (6.1 truncates first). */
static void
drain_set(const char *label, int fd)
{
	char buf[65536] __attribute__((aligned(8)));
	uint32_t masks[8] = { 0 };
	ssize_t n;

	printf("%s (unordered):\n", label);
	while ((n = read(fd, buf, sizeof(buf))) > 0)
		for (char *p = buf; p < buf + n; p += sizeof(struct inotify_event) + ((struct inotify_event *)p)->len) {
			struct inotify_event *ev = (struct inotify_event *)p;
			if (ev->wd >= 0 && ev->wd < 8)
				masks[ev->wd] |= ev->mask;
		}
	for (int wd = 0; wd < 8; wd++)
		if (masks[wd]) {
			struct inotify_event ev = { .wd = wd, .mask = masks[wd] };
			print_event(&ev);
		}
}

static void
errors(void)
{
	int in = inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
	int plain = open("f", O_RDONLY);

	R("init1 bad flag", inotify_init1(1));
	printf("F_GETFL: %o\n", fcntl(in, F_GETFL));
	R("F_GETFD", fcntl(in, F_GETFD));
	int in0 = inotify_init();
	printf("inotify_init F_GETFL: %o\n", fcntl(in0, F_GETFL));
	close(in0);
	R("add bad fd", inotify_add_watch(9999, "f", IN_ALL_EVENTS));
	R("add non-inotify fd", inotify_add_watch(plain, "f", IN_ALL_EVENTS));
	R("add mask 0", inotify_add_watch(in, "f", 0));
	R("add unknown bits only", inotify_add_watch(in, "f", 0x00100000));
	R("add MASK_CREATE, no events", inotify_add_watch(in, "f", IN_MASK_CREATE));
	R("add missing", inotify_add_watch(in, "missing", IN_ALL_EVENTS));
	R("add ONLYDIR on a file", inotify_add_watch(in, "f", IN_ONLYDIR | IN_OPEN));
	R("add MASK_ADD|MASK_CREATE", inotify_add_watch(in, "f", IN_MASK_ADD | IN_MASK_CREATE | IN_OPEN));
	R("add f", inotify_add_watch(in, "f", IN_OPEN));
	R("add f again (same wd)", inotify_add_watch(in, "f", IN_CLOSE));
	link("f", "f2");
	R("add hard link (same wd)", inotify_add_watch(in, "f2", IN_CLOSE));
	R("add MASK_CREATE existing", inotify_add_watch(in, "f", IN_MASK_CREATE | IN_OPEN));
	R("add d", inotify_add_watch(in, "d", IN_ONLYDIR | IN_CREATE));
	R("add with only DONT_FOLLOW", inotify_add_watch(in, "d", IN_DONT_FOLLOW));
	R("rm bad wd", inotify_rm_watch(in, 42));
	R("rm negative wd", inotify_rm_watch(in, -1));
	R("rm non-inotify fd", inotify_rm_watch(plain, 1));
	R("rm f", inotify_rm_watch(in, 1));
	R("rm f again", inotify_rm_watch(in, 1));
	R("add f (a new wd)", inotify_add_watch(in, "f", IN_OPEN));
	drain("after rm", in);
	unlink("f2");
	close(plain);
	close(in);
}

static void
dir_events(void)
{
	int in = inotify_init1(IN_NONBLOCK);
	char buf[16];
	int fd;

	R("watch d", inotify_add_watch(in, "d", IN_ALL_EVENTS));
	fd = open("d/a", O_CREAT | O_WRONLY, 0644);
	write(fd, "xy", 2);
	write(fd, "z", 1);
	close(fd);
	drain("create, write twice, close", in);
	fd = open("d/a", O_RDONLY);
	read(fd, buf, 1);
	read(fd, buf, 1);
	pread(fd, buf, 1, 0);
	read(fd, buf, sizeof(buf)); /* end of file: 1 byte, then 0 */
	read(fd, buf, sizeof(buf));
	close(fd);
	drain("open, reads, close", in);
	fd = open("d/a", O_WRONLY | O_TRUNC);
	close(fd);
	drain_set("open O_TRUNC", in);
	fd = open("d/a", O_RDWR | O_APPEND);
	write(fd, "1", 1);
	ftruncate(fd, 0);
	fallocate(fd, 0, 0, 100);
	close(fd);
	drain("write, ftruncate, fallocate", in);
	chmod("d/a", 0600);
	chown("d/a", -1, -1);
	chown("d/a", getuid(), -1);
	truncate("d/a", 5);
	utimensat(AT_FDCWD, "d/a", NULL, 0);
	struct timespec ts[2] = { { 0, UTIME_OMIT }, { 0, UTIME_NOW } };
	utimensat(AT_FDCWD, "d/a", ts, 0);
	ts[0].tv_nsec = UTIME_NOW;
	ts[1].tv_nsec = UTIME_OMIT;
	utimensat(AT_FDCWD, "d/a", ts, 0);
	drain("chmod, chown, truncate, utimensat x3", in);
	setxattr("d/a", "user.k", "v", 1, 0);
	drain("setxattr", in);
	removexattr("d/a", "user.k");
	removexattr("d/a", "user.k"); /* fails: no event */
	drain("removexattr", in);
	mkdir("d/sub", 0755);
	symlink("a", "d/sym");
	link("d/a", "d/hard");
	mknod("d/fifo", S_IFIFO | 0644, 0);
	drain("mkdir, symlink, link, mkfifo", in);
	rename("d/a", "d/b");
	rename("d/sub", "d/sub2");
	rename("d/b", "d/hard"); /* replaces another name of the same file: nothing happens */
	rename("d/hard", "d/c");
	drain("renames", in);
	unlink("d/c");
	unlink("d/b");
	rmdir("d/sub2");
	unlink("d/sym");
	unlink("d/fifo");
	drain("unlink, rmdir", in);
	DIR *dir = opendir("d");
	while (readdir(dir))
		;
	closedir(dir);
	int op = open("d", O_PATH);
	close(op);
	drain("opendir, readdir, closedir, O_PATH open", in);
	stat("d", &(struct stat){ 0 });
	access("d", R_OK);
	drain("stat, access: nothing", in);
	close(in);
}

static void
file_events(void)
{
	int in = inotify_init1(IN_NONBLOCK);
	int fd;

	cf_write_file("d/f", "data", 4);
	R("watch d", inotify_add_watch(in, "d", IN_ALL_EVENTS));
	R("watch d/f", inotify_add_watch(in, "d/f", IN_ALL_EVENTS));
	fd = open("d/f", O_RDWR);
	write(fd, "x", 1);
	close(fd);
	chmod("d/f", 0644);
	drain("both watched: open, write, close, chmod", in);
	link("d/f", "d/g");
	rename("d/f", "d/h");
	drain("link, rename", in);
	unlink("d/g");
	drain("unlink one of two names", in);
	fd = open("d/h", O_RDONLY);
	unlink("d/h");
	drain("unlink the last name while open", in);
	close(fd);
	drain("close the last descriptor", in);
	cf_write_file("d/v", "v", 1);
	cf_write_file("d/w", "w", 1);
	R("watch d/w", inotify_add_watch(in, "d/w", IN_ALL_EVENTS));
	rename("d/v", "d/w");
	drain("rename over a watched file", in);
	unlink("d/w");
	mkdir("d/x", 0755);
	R("watch d/x", inotify_add_watch(in, "d/x", IN_ALL_EVENTS));
	rmdir("d/x");
	drain("rmdir a watched directory", in);
	close(in);
}

static void
flags(void)
{
	int in = inotify_init1(IN_NONBLOCK);
	int fd;

	cf_write_file("d/o", "o", 1);
	R("watch oneshot", inotify_add_watch(in, "d/o", IN_OPEN | IN_CLOSE | IN_ONESHOT));
	close(open("d/o", O_RDONLY));
	close(open("d/o", O_RDONLY));
	drain("oneshot", in);
	R("watch d/o IN_OPEN", inotify_add_watch(in, "d/o", IN_OPEN));
	R("replace with IN_CLOSE_NOWRITE", inotify_add_watch(in, "d/o", IN_CLOSE_NOWRITE));
	close(open("d/o", O_RDONLY));
	drain("replaced mask", in);
	R("add IN_OPEN with MASK_ADD", inotify_add_watch(in, "d/o", IN_OPEN | IN_MASK_ADD));
	close(open("d/o", O_RDONLY));
	drain("added mask", in);
	symlink("o", "d/l");
	R("watch link, DONT_FOLLOW", inotify_add_watch(in, "d/l", IN_ATTRIB | IN_DONT_FOLLOW));
	R("watch link, followed (d/o)", inotify_add_watch(in, "d/l", IN_ATTRIB | IN_OPEN | IN_MASK_ADD));
	utimensat(AT_FDCWD, "d/l", NULL, AT_SYMLINK_NOFOLLOW);
	drain("utimensat on the link itself", in);
	close(in);

	in = inotify_init1(IN_NONBLOCK);
	R("watch d EXCL_UNLINK", inotify_add_watch(in, "d", IN_MODIFY | IN_CLOSE_WRITE | IN_EXCL_UNLINK));
	fd = open("d/o", O_WRONLY);
	unlink("d/o");
	write(fd, "x", 1);
	close(fd);
	drain("write after unlink, IN_EXCL_UNLINK", in);
	close(in);
	in = inotify_init1(IN_NONBLOCK);
	R("watch d", inotify_add_watch(in, "d", IN_MODIFY | IN_CLOSE_WRITE));
	cf_write_file("d/o", "o", 1);
	drain("create", in);
	fd = open("d/o", O_WRONLY);
	unlink("d/o");
	write(fd, "x", 1);
	close(fd);
	drain("write after unlink", in);
	close(in);
}

static void
moves(void)
{
	int in = inotify_init1(IN_NONBLOCK);

	mkdir("m1", 0755);
	mkdir("m2", 0755);
	mkdir("m1/sub", 0755);
	cf_write_file("m1/x", "x", 1);
	cf_write_file("m2/y", "y", 1);
	R("watch m1", inotify_add_watch(in, "m1", IN_ALL_EVENTS));
	R("watch m2", inotify_add_watch(in, "m2", IN_ALL_EVENTS));
	R("watch m1/sub", inotify_add_watch(in, "m1/sub", IN_ALL_EVENTS));
	R("watch m2/y", inotify_add_watch(in, "m2/y", IN_ALL_EVENTS));
	rename("m1/sub", "m2/sub");
	drain("directory moved across", in);
	syscall(SYS_renameat2, AT_FDCWD, "m1/x", AT_FDCWD, "m2/y", 2 /* RENAME_EXCHANGE */);
	drain("exchange", in);
	rename("m2/sub", "m2/sub"); /* onto itself: nothing */
	rename("m2", "m3");
	drain("rename of a watched directory's name", in);
	close(open("m3/y", O_RDONLY));
	drain("events keep the watch after its directory moved", in);
	close(in);
}

static void
reading(void)
{
	int in = inotify_init1(IN_NONBLOCK);
	char buf[4096] __attribute__((aligned(8)));
	int avail = -1;

	R("watch d", inotify_add_watch(in, "d", IN_CREATE));
	R("read empty", read(in, buf, sizeof(buf)));
	R("FIONREAD empty", (ioctl(in, FIONREAD, &avail), avail));
	close(open("d/a", O_CREAT | O_RDONLY, 0644));
	close(open("d/0123456789abcdef", O_CREAT | O_RDONLY, 0644));
	close(open("d/0123456789abcde", O_CREAT | O_RDONLY, 0644));
	R("FIONREAD", (ioctl(in, FIONREAD, &avail), avail));
	R("read too small", read(in, buf, sizeof(struct inotify_event) + 1));
	R("read exactly one", read(in, buf, sizeof(struct inotify_event) + 16));
	R("read one and a half", read(in, buf, 2 * sizeof(struct inotify_event) + 32 + 8));
	R("read the rest", read(in, buf, sizeof(buf)));
	R("read bad buffer", ({ close(open("d/b", O_CREAT | O_RDONLY, 0644)); read(in, cf_unmapped(), 4096); }));
	R("lseek", lseek(in, 0, SEEK_SET));
	R("write", write(in, "x", 1));
	close(in);
	unlink("d/a");
	unlink("d/b");
	unlink("d/0123456789abcdef");
	unlink("d/0123456789abcde");
}

static void
overflow(void)
{
	int in = inotify_init1(IN_NONBLOCK);
	char buf[65536] __attribute__((aligned(8)));
	long events = 0, last_mask = 0, last_wd = 0;
	ssize_t n;

	cf_write_file("d/q", "q", 1);
	inotify_add_watch(in, "d/q", IN_OPEN | IN_CLOSE);
	for (int i = 0; i < 8300; i++)
		close(open("d/q", O_RDONLY));
	while ((n = read(in, buf, sizeof(buf))) > 0) {
		for (char *p = buf; p < buf + n; p += sizeof(struct inotify_event) + ((struct inotify_event *)p)->len) {
			events++;
			last_mask = ((struct inotify_event *)p)->mask;
			last_wd = ((struct inotify_event *)p)->wd;
		}
	}
	printf("queued events: %ld, last IN_Q_OVERFLOW: %s, wd %ld\n", events,
	       last_mask == IN_Q_OVERFLOW ? "yes" : "no", last_wd);
	unlink("d/q");
	close(in);
}

int
main(void)
{
	cf_init();
	mkdir("d", 0755);
	cf_write_file("f", "f", 1);
	errors();
	dir_events();
	file_events();
	flags();
	moves();
	reading();
	overflow();
	return 0;
}
