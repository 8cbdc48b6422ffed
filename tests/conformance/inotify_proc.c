/* inotify watches on /proc files outside the pid directories: /proc/filesystems and
 * /proc/sys/kernel/ostype (reads) and /proc/sys/net/ipv4/tcp_sack (a write back of its
 * value) report their opens, reads, writes and closes through later lookups. */
#include "cf.h"
#include <sys/inotify.h>

static void
drain(int in, const char *label)
{
	char buf[4096] __attribute__((aligned(8)));
	ssize_t n = read(in, buf, sizeof(buf));

	printf("%s:", label);
	if (n < 0)
		printf(" %s", en(errno));
	for (ssize_t off = 0; off < n;) {
		struct inotify_event *e = (struct inotify_event *)(buf + off);
		printf(" wd%d:%#x", e->wd, e->mask);
		off += sizeof(*e) + e->len;
	}
	printf("\n");
}

static void
read_one(const char *path)
{
	char c;
	int fd = open(path, O_RDONLY);

	R("read", read(fd, &c, 1));
	close(fd);
}

int
main(void)
{
	char val[32] = { 0 };
	int in, fd;

	setvbuf(stdout, NULL, _IONBF, 0);
	in = FD("inotify_init1", inotify_init1(IN_NONBLOCK));
	R("watch filesystems", inotify_add_watch(in, "/proc/filesystems", IN_ALL_EVENTS));
	R("watch ostype", inotify_add_watch(in, "/proc/sys/kernel/ostype", IN_ALL_EVENTS));
	read_one("/proc/filesystems");
	drain(in, "filesystems events");
	read_one("/proc/sys/kernel/ostype");
	drain(in, "ostype events");
	read_one("/proc/filesystems");
	read_one("/proc/sys/kernel/ostype");
	drain(in, "both");
	R("watch tcp_sack", inotify_add_watch(in, "/proc/sys/net/ipv4/tcp_sack", IN_MODIFY));
	fd = open("/proc/sys/net/ipv4/tcp_sack", O_RDWR);
	R("read tcp_sack", read(fd, val, sizeof(val) - 1));
	R("write it back", pwrite(fd, val, strlen(val), 0));
	close(fd);
	drain(in, "tcp_sack events");
	R("rm_watch 1", inotify_rm_watch(in, 1));
	read_one("/proc/filesystems");
	drain(in, "after rm_watch");
	drain(in, "nothing more");
	return 0;
}
