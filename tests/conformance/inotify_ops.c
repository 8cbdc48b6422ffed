/* inotify: the events of each kind of file operation on a watched directory and watched
 * files, one operation at a time (copy_file_range, sendfile, splice, truncate, fallocate,
 * xattrs, utimensat, link, rename over an existing file, unlink of an open file, rmdir,
 * exchange, O_TMPFILE + linkat, mmap writes). */
#include <sys/inotify.h>
#include <sys/mman.h>
#include <sys/sendfile.h>
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
	{ IN_MOVE_SELF, "MOVE_SELF" }, { IN_Q_OVERFLOW, "Q_OVERFLOW" },
	{ IN_IGNORED, "IGNORED" }, { IN_ISDIR, "ISDIR" },
};
static int in, wdir, wa, wb;

static const char *
who(int wd)
{
	return wd == wdir ? "dir" : wd == wa ? "a" : wd == wb ? "b" : "?";
}

static void
drain(const char *label)
{
	char buf[65536] __attribute__((aligned(8)));
	ssize_t n;

	printf("%s:", label);
	while ((n = read(in, buf, sizeof(buf))) > 0)
		for (char *p = buf; p < buf + n; p += sizeof(struct inotify_event) + ((struct inotify_event *)p)->len) {
			struct inotify_event *ev = (void *)p;
			printf(" %s:", who(ev->wd));
			for (size_t i = 0; i < sizeof(bits) / sizeof(bits[0]); i++)
				if (ev->mask & bits[i].bit)
					printf("%s%s", bits[i].name, (ev->mask & ~(bits[i].bit | (bits[i].bit - 1))) ? "|" : "");
			if (ev->len)
				printf("(%s)", ev->name[0] == '#' ? "#ino" : ev->name); /* O_TMPFILE: "#" and its inode number */
		}
	printf("\n");
}

static void
watch_ab(void)
{
	wa = inotify_add_watch(in, "d/a", IN_ALL_EVENTS);
	wb = inotify_add_watch(in, "d/b", IN_ALL_EVENTS);
}

int
main(void)
{
	int fa, fb, fd;

	cf_init();
	mkdir("d", 0755);
	cf_write_file("d/a", "0123456789", 10);
	cf_write_file("d/b", "", 0);
	in = inotify_init1(IN_NONBLOCK);
	wdir = inotify_add_watch(in, "d", IN_ALL_EVENTS);
	watch_ab();
	drain("setup");
	fa = open("d/a", O_RDONLY);
	fb = open("d/b", O_WRONLY);
	drain("open both");
	loff_t o = 0;
	copy_file_range(fa, &o, fb, NULL, 4, 0);
	drain("copy_file_range");
	off_t so = 0;
	sendfile(fb, fa, &so, 3);
	drain("sendfile");
	{
		int p[2];
		pipe(p);
		loff_t io = 0;
		splice(fa, &io, p[1], NULL, 2, 0);
		drain("splice file->pipe");
		splice(p[0], NULL, fb, NULL, 2, 0);
		drain("splice pipe->file");
		close(p[0]);
		close(p[1]);
	}
	ftruncate(fb, 1);
	drain("ftruncate");
	truncate("d/b", 0);
	drain("truncate");
	fallocate(fb, 0, 0, 100);
	drain("fallocate");
	fallocate(fb, FALLOC_FL_KEEP_SIZE | FALLOC_FL_PUNCH_HOLE, 0, 10);
	drain("punch hole");
	close(fb);
	close(fa);
	drain("close both");
	setxattr("d/a", "user.x", "1", 1, 0);
	drain("setxattr");
	removexattr("d/a", "user.x");
	drain("removexattr");
	utimensat(AT_FDCWD, "d/a", NULL, 0);
	drain("utimensat NULL");
	struct timespec ts[2] = { { 0, UTIME_NOW }, { 0, UTIME_OMIT } };
	utimensat(AT_FDCWD, "d/a", ts, 0);
	drain("utimensat atime only");
	chmod("d/a", 0600);
	drain("chmod");
	chown("d/a", -1, -1);
	drain("chown -1 -1");
	link("d/a", "d/a2");
	drain("link");
	unlink("d/a2");
	drain("unlink a link");
	rename("d/b", "d/a");
	drain("rename b over a");
	inotify_rm_watch(in, wb);
	drain("rm watch of b (now a)");
	cf_write_file("d/b", "", 0);
	watch_ab();
	drain("rewatch");
	syscall(SYS_renameat2, AT_FDCWD, "d/a", AT_FDCWD, "d/b", 2 /* RENAME_EXCHANGE */);
	drain("exchange a b");
	fd = open("d/a", O_RDWR);
	unlink("d/a");
	drain("unlink open a");
	write(fd, "x", 1);
	drain("write unlinked");
	close(fd);
	drain("close unlinked");
	mkdir("d/sub", 0755);
	int ws = inotify_add_watch(in, "d/sub", IN_ALL_EVENTS);
	drain("mkdir sub");
	rmdir("d/sub");
	printf("rmdir sub (sub wd %s):", ws > 0 ? "ok" : "bad");
	drain("");
	fd = open("d", O_TMPFILE | O_RDWR, 0600);
	drain("O_TMPFILE");
	write(fd, "t", 1);
	drain("write tmpfile");
	linkat(fd, "", AT_FDCWD, "d/t", AT_EMPTY_PATH);
	drain("linkat tmpfile");
	close(fd);
	drain("close tmpfile");
	fd = open("d/t", O_RDWR);
	char *m = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	drain("open+mmap");
	m[0] = 'M';
	msync(m, 4096, MS_SYNC);
	drain("mmap write+msync");
	munmap(m, 4096);
	close(fd);
	drain("munmap+close");
	fd = open("d/t", O_WRONLY | O_APPEND);
	write(fd, "", 0);
	drain("write 0 bytes");
	close(fd);
	drain("close");
	fd = open("d", O_RDONLY);
	char buf[4096];
	syscall(SYS_getdents64, fd, buf, sizeof buf);
	drain("getdents");
	close(fd);
	drain("close dir");
	return 0;
}
