/*
 * /proc/PID files about the process itself: io (a thread's read and write calls),
 * task/TID/children, ns/ links, uid_map/gid_map/setgroups, and a per-process file opened
 * while the process lived and read after it was reaped (ESRCH; the id maps still read).
 */
#include <pthread.h>
#include <sys/wait.h>

#include "cf.h"

static char *
slurp(const char *path, char *buf, size_t size)
{
	int fd = open(path, O_RDONLY);
	ssize_t n;

	if (fd < 0) {
		snprintf(buf, size, "open: %s", en(errno));
		return buf;
	}
	n = read(fd, buf, size - 1);
	close(fd);
	buf[n > 0 ? n : 0] = '\0';
	if (n < 0)
		snprintf(buf, size, "read: %s", en(errno));
	return buf;
}

static long
io_field(const char *name)
{
	char buf[1024], path[64], *p;

	snprintf(path, sizeof(path), "/proc/self/task/%ld/io", (long)syscall(SYS_gettid));
	slurp(path, buf, sizeof(buf));
	p = strstr(buf, name);
	return p ? atol(p + strlen(name)) : -1;
}

static void *
idle(void *arg)
{
	int *fds = arg;
	char c;

	read(fds[0], &c, 1);
	return NULL;
}

static long
links(const char *path)
{
	struct stat st;

	return stat(path, &st) ? -1 : (long)st.st_nlink;
}

int
main(void)
{
	char buf[4096], path[128];
	int st;

	setvbuf(stdout, NULL, _IOLBF, 0);
	cf_init();
	long w0 = io_field("syscw:"), r0 = io_field("syscr:");
	long wc0 = io_field("wchar:");
	for (int i = 0; i < 10; i++)
		cf_write_file("f", "abc", 3);
	int fd = open("f", O_RDONLY);
	for (int i = 0; i < 4; i++)
		pread(fd, buf, 2, 0);
	close(fd);
	printf("syscw +%ld wchar +%ld syscr +%ld\n", io_field("syscw:") - w0, io_field("wchar:") - wc0,
	       io_field("syscr:") - r0 - 1 /* the read of io itself */);
	slurp("/proc/self/io", buf, sizeof(buf));
	YN("io fields", strstr(buf, "rchar: ") == buf && strstr(buf, "\ncancelled_write_bytes: "));

	snprintf(path, sizeof(path), "/proc/%d/task/%d/children", getpid(), getpid());
	R("children exists", access(path, F_OK));
	R("no children in /proc/PID", access("/proc/self/children", F_OK));
	printf("children before: [%s]\n", slurp(path, buf, sizeof(buf)));
	int p2[2];
	pipe(p2);
	pid_t pid = fork();
	if (pid == 0) {
		char c;
		close(p2[1]);
		read(p2[0], &c, 1);
		_exit(0);
	}
	char want[32];
	snprintf(want, sizeof(want), "%d ", pid);
	YN("children lists the child", !strcmp(slurp(path, buf, sizeof(buf)), want));

	ssize_t n = readlink("/proc/self/ns/pid", buf, sizeof(buf) - 1);
	buf[n > 0 ? n : 0] = '\0';
	YN("ns/pid link", n > 0 && !strncmp(buf, "pid:[", 5) && buf[n - 1] == ']');
	n = readlink("/proc/self/ns/net", buf, sizeof(buf) - 1);
	buf[n > 0 ? n : 0] = '\0';
	YN("ns/net link", n > 0 && !strncmp(buf, "net:[", 5));
	struct stat sb;
	R("lstat ns/user", lstat("/proc/self/ns/user", &sb));
	YN("a link", S_ISLNK(sb.st_mode));
	R("ns/bogus", readlink("/proc/self/ns/bogus", buf, sizeof(buf)));

	printf("uid_map: %s", slurp("/proc/self/uid_map", buf, sizeof(buf)));
	printf("gid_map: %s", slurp("/proc/self/gid_map", buf, sizeof(buf)));
	printf("setgroups: %s", slurp("/proc/self/setgroups", buf, sizeof(buf)));

	/* files opened while the child lives, read after it is reaped */
	snprintf(path, sizeof(path), "/proc/%d", pid);
	int dfd = open(path, O_RDONLY | O_DIRECTORY);
	int adj = openat(dfd, "oom_score_adj", O_RDONLY);
	int cdf = openat(dfd, "coredump_filter", O_RDONLY);
	int um = openat(dfd, "uid_map", O_RDONLY);
	close(p2[1]);
	waitpid(pid, &st, 0);
	R("oom_score_adj after reap", read(adj, buf, 1));
	R("coredump_filter after reap", read(cdf, buf, 1));
	R("uid_map after reap", read(um, buf, 1));
	R("ns/pid after reap", readlinkat(dfd, "ns/pid", buf, sizeof(buf)));
	R("getdents after reap", syscall(SYS_getdents64, dfd, buf, sizeof(buf)));
	R("exe after reap", readlinkat(dfd, "exe", buf, sizeof(buf)));

	/* a zombie: its cmdline and maps read empty, opened before or after it died */
	int zp[2];
	pipe(zp);
	pid = fork();
	if (pid == 0) {
		char c;
		close(zp[1]);
		read(zp[0], &c, 1);
		_exit(0);
	}
	snprintf(path, sizeof(path), "/proc/%d/cmdline", pid);
	int before = open(path, O_RDONLY);
	close(zp[1]);
	siginfo_t si;
	waitid(P_PID, pid, &si, WEXITED | WNOWAIT);
	R("zombie cmdline opened before", read(before, buf, sizeof(buf)));
	R("zombie cmdline opened after", read(open(path, O_RDONLY), buf, sizeof(buf)));
	snprintf(path, sizeof(path), "/proc/%d/maps", pid);
	R("zombie maps", read(open(path, O_RDONLY), buf, sizeof(buf)));
	snprintf(path, sizeof(path), "/proc/%d/exe", pid);
	R("zombie exe", readlink(path, buf, sizeof(buf)));
	waitpid(pid, &st, 0);

	struct stat rs;
	stat("/proc", &rs);
	R("/proc inode", rs.st_ino);
	long l0 = links("/proc/self/task");
	int tp[2];
	pipe(tp);
	pthread_t th;
	pthread_create(&th, NULL, idle, tp);
	R("task dir links grow by one", links("/proc/self/task") - l0);
	write(tp[1], "x", 1);
	pthread_join(th, NULL);
	int td = open("/proc/self/task", O_RDONLY | O_DIRECTORY);
	R("seek end of task dir", lseek(td, 0, SEEK_END));
	close(td);

	if (geteuid() == 0) {
		pid = fork();
		if (pid == 0) {
			char mp[64];
			snprintf(mp, sizeof(mp), "/proc/%d/maps", getppid());
			setresuid(65534, 65534, 65534);
			R("other user's maps", open(mp, O_RDONLY));
			snprintf(mp, sizeof(mp), "/proc/%d/smaps", getppid());
			R("other user's smaps", open(mp, O_RDONLY));
			_exit(0);
		}
		waitpid(pid, &st, 0);
	}
	return 0;
}
