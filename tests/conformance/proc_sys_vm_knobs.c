/* /proc/sys/vm's writeback, swap and OOM knobs and memory reserves (and
 * kernel.panic_on_oops), which sysctl -a, monitoring agents, database start-up checks and
 * LTP's memory tests read: present, 0644, one number. The
 * values are the host's to tune, so only out-of-range writes are made (they change
 * nothing): each is EINVAL, as Linux's proc_dointvec_minmax / proc_doulongvec_minmax. */
#include "cf.h"

static void
number(const char *path)
{
	char buf[256] = "", *end;
	struct stat st;
	int fd = open(path, O_RDONLY);

	if (fd < 0) {
		printf("%s: %s\n", path, en(errno));
		return;
	}
	ssize_t n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	buf[n > 0 ? n : 0] = '\0';
	strtol(buf, &end, 10);
	stat(path, &st);
	printf("%s: mode %o numeric+newline %s\n", path, st.st_mode & 07777,
	       end != buf && !strcmp(end, "\n") ? "yes" : "no");
}

static void
bad_write(const char *path, const char *text)
{
	int fd = open(path, O_WRONLY);

	if (fd < 0) {
		printf("%s: open %s\n", path, en(errno));
		return;
	}
	errno = 0;
	ssize_t r = write(fd, text, strlen(text));
	printf("write %s < %s: %s\n", path, text, r < 0 ? en(errno) : "ok");
	close(fd);
}

int
main(void)
{
	static const char *const knobs[] = {
		"swappiness", "dirty_ratio", "dirty_background_ratio", "dirty_bytes",
		"dirty_background_bytes", "dirty_expire_centisecs", "dirty_writeback_centisecs",
		"overcommit_ratio", "overcommit_kbytes", "panic_on_oom",
		"oom_kill_allocating_task", "oom_dump_tasks", "vfs_cache_pressure", "page-cluster",
		"stat_interval", "laptop_mode", "min_free_kbytes", "admin_reserve_kbytes",
		"user_reserve_kbytes",
	};
	char p[128];

	for (size_t i = 0; i < sizeof(knobs) / sizeof(knobs[0]); i++) {
		snprintf(p, sizeof(p), "/proc/sys/vm/%s", knobs[i]);
		number(p);
	}
	number("/proc/sys/kernel/panic_on_oops");
	bad_write("/proc/sys/vm/swappiness", "201");
	bad_write("/proc/sys/vm/swappiness", "-1");
	bad_write("/proc/sys/vm/dirty_ratio", "101");
	bad_write("/proc/sys/vm/dirty_background_ratio", "x");
	bad_write("/proc/sys/vm/dirty_bytes", "4096"); /* below two pages */
	bad_write("/proc/sys/vm/dirty_background_bytes", "-5");
	bad_write("/proc/sys/vm/panic_on_oom", "3");
	bad_write("/proc/sys/vm/page-cluster", "32");
	bad_write("/proc/sys/vm/min_free_kbytes", "-1");
	bad_write("/proc/sys/vm/admin_reserve_kbytes", "x");
	return 0;
}
