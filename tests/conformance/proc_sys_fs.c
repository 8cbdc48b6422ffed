/*
 * More /proc/sys files: kernel/tainted, version, printk, core_pattern; fs/pipe-max-size and
 * the pipe page limits; fs/file-nr; fs/dir-notify-enable (stress-ng's dnotify stressor needs it);
 * fs/inotify/* and fs/mqueue/*; net/ipv4/conf/{all,default,lo}/tag.
 * Present, mode, Linux's format; values only where a host does not tune them (version must
 * equal uname's). A pipe grows to pipe-max-size. Nothing is written.
 */
#include <ctype.h>
#include <stdbool.h>
#include <linux/capability.h>
#include <sys/syscall.h>
#include <sys/utsname.h>

#include "cf.h"

static char *
slurp(const char *path, char *buf, size_t size)
{
	int fd = open(path, O_RDONLY);
	ssize_t n;

	if (fd < 0)
		return NULL;
	n = read(fd, buf, size - 1);
	close(fd);
	buf[n > 0 ? n : 0] = '\0';
	return buf;
}

/* Prints the file's mode and how many tab-separated numbers it holds before its newline. */
static long
numbers(const char *path)
{
	char buf[256], *s = buf, *end;
	struct stat st;
	int count = 0;
	long first = -1;

	if (!slurp(path, buf, sizeof(buf))) {
		printf("%s: %s\n", path, en(errno));
		return -1;
	}
	stat(path, &st);
	for (;;) {
		long v = strtol(s, &end, 10);
		if (end == s)
			break;
		if (!count)
			first = v;
		count++;
		s = end;
		if (*s != '\t')
			break;
		s++;
	}
	printf("%s: mode %o numbers %d ends with newline %s\n", path, st.st_mode & 07777, count,
	       !strcmp(s, "\n") ? "yes" : "no");
	return first;
}

int
main(void)
{
	char buf[512];
	struct utsname u;
	int p[2];

	setvbuf(stdout, NULL, _IOLBF, 0);
	numbers("/proc/sys/kernel/tainted");
	numbers("/proc/sys/kernel/printk");
	numbers("/proc/sys/kernel/core_uses_pid");
	numbers("/proc/sys/kernel/threads-max");
	numbers("/proc/sys/kernel/panic");
	long maxsz = numbers("/proc/sys/fs/pipe-max-size");
	numbers("/proc/sys/fs/pipe-user-pages-soft");
	numbers("/proc/sys/fs/pipe-user-pages-hard");
	numbers("/proc/sys/fs/nr_open");
	long fmax = numbers("/proc/sys/fs/file-max");
	/* open files, 0, file-max (the count moves with the host's other work natively) */
	long fnr = numbers("/proc/sys/fs/file-nr");
	if (slurp("/proc/sys/fs/file-nr", buf, sizeof(buf))) {
		long nr = -1, zero = -1, max = -1;
		sscanf(buf, "%ld %ld %ld", &nr, &zero, &max);
		YN("file-nr: some open, 0, file-max", nr > 0 && fnr > 0 && zero == 0 && max == fmax);
	}
	YN("dir-notify-enable is on", numbers("/proc/sys/fs/dir-notify-enable") == 1);
	numbers("/proc/sys/fs/inotify/max_queued_events");
	numbers("/proc/sys/fs/inotify/max_user_instances");
	numbers("/proc/sys/fs/inotify/max_user_watches");
	numbers("/proc/sys/fs/mqueue/queues_max");
	numbers("/proc/sys/fs/mqueue/msg_max");
	numbers("/proc/sys/fs/mqueue/msgsize_max");
	numbers("/proc/sys/fs/mqueue/msg_default");
	numbers("/proc/sys/fs/mqueue/msgsize_default");
	numbers("/proc/sys/net/ipv4/conf/all/tag");
	numbers("/proc/sys/net/ipv4/conf/default/tag");
	numbers("/proc/sys/net/ipv4/conf/lo/tag");

	uname(&u);
	snprintf(buf, sizeof(buf), "%s\n", u.version);
	char v[512];
	YN("kernel/version is uname's version", slurp("/proc/sys/kernel/version", v, sizeof(v)) &&
						 !strcmp(v, buf));
	YN("core_pattern one line", slurp("/proc/sys/kernel/core_pattern", v, sizeof(v)) &&
					    strchr(v, '\n') == v + strlen(v) - 1);
	if (pipe(p) == 0 && maxsz > 0) {
		int r = fcntl(p[1], F_SETPIPE_SZ, (int)maxsz);
		YN("pipe grows to pipe-max-size", r == maxsz);
		YN("F_GETPIPE_SZ says so", fcntl(p[1], F_GETPIPE_SZ) == maxsz);
		/* without CAP_SYS_RESOURCE (even as root) not beyond it */
		struct __user_cap_header_struct h = { _LINUX_CAPABILITY_VERSION_3, 0 };
		struct __user_cap_data_struct d[2];
		syscall(SYS_capget, &h, d);
		d[0].effective &= ~(1u << CAP_SYS_RESOURCE);
		OK("drop CAP_SYS_RESOURCE", syscall(SYS_capset, &h, d));
		R("F_SETPIPE_SZ beyond pipe-max-size", fcntl(p[1], F_SETPIPE_SZ, (int)maxsz * 2));
	}
	return 0;
}
