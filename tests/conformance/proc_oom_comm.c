/* Writable /proc/PID files: comm (a thread of the caller's own process: the first 15 bytes
 * as written, a newline included; another process's is EINVAL), oom_score_adj and oom_adj
 * (ranges, spaces and a newline allowed, garbage EINVAL, the scaled oom_adj view, inherited
 * by a child, raised freely; lowering is not tried: it needs CAP_SYS_RESOURCE), and the
 * read-only neighbours whose text is fixed (personality, sessionid, cgroup's presence). */
#include "cf.h"
#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>

static int wflags = O_WRONLY;

static void
wr(const char *label, const char *path, const char *text, size_t n)
{
	int fd = open(path, wflags);

	if (fd < 0) {
		printf("%s: open %s\n", label, en(errno));
		return;
	}
	errno = 0;
	long r = write(fd, text, n);
	printf("%s: %ld %s\n", label, r, r < 0 ? en(errno) : "");
	close(fd);
}

static void
rd(const char *label, const char *path)
{
	char buf[256];
	int fd = open(path, O_RDONLY);
	ssize_t n = fd >= 0 ? read(fd, buf, sizeof(buf) - 1) : -1;

	if (fd < 0) {
		printf("%s: open %s\n", label, en(errno));
		return;
	}
	close(fd);
	buf[n > 0 ? n : 0] = 0;
	printf("%s: [", label);
	for (char *p = buf; *p; p++)
		if (*p == '\n')
			printf("\\n");
		else
			putchar(*p);
	printf("]\n");
}

int
main(void)
{
	int st;

	setvbuf(stdout, NULL, _IONBF, 0);
	wr("comm write", "/proc/self/comm", "renamed\n", 8);
	rd("comm", "/proc/self/comm");
	wr("comm long", "/proc/self/comm", "12345678901234567890", 20);
	rd("comm", "/proc/self/comm");
	char name[16] = { 0 };
	prctl(PR_GET_NAME, name);
	printf("PR_GET_NAME: %s\n", name);
	pid_t c = fork();
	if (c == 0) {
		pause();
		_exit(0);
	}
	char p[64];
	snprintf(p, sizeof(p), "/proc/%d/comm", c);
	wr("another process's comm", p, "x", 1);
	kill(c, SIGKILL);
	waitpid(c, &st, 0);
	rd("oom_score_adj start", "/proc/self/oom_score_adj");
	wr("oom_score_adj 500", "/proc/self/oom_score_adj", "500\n", 4);
	rd("oom_score_adj", "/proc/self/oom_score_adj");
	rd("oom_adj", "/proc/self/oom_adj");
	wr("oom_score_adj 1001", "/proc/self/oom_score_adj", "1001", 4);
	wr("oom_score_adj garbage", "/proc/self/oom_score_adj", "x", 1);
	wr("oom_score_adj spaces", "/proc/self/oom_score_adj", " 700 \n", 6);
	rd("oom_score_adj", "/proc/self/oom_score_adj");
	wr("oom_adj 16", "/proc/self/oom_adj", "16", 2);
	wr("oom_adj 15", "/proc/self/oom_adj", "15", 2);
	rd("oom_score_adj after oom_adj 15", "/proc/self/oom_score_adj");
	rd("oom_adj", "/proc/self/oom_adj");
	c = fork();
	if (c == 0) {
		rd("child's oom_score_adj", "/proc/self/oom_score_adj");
		_exit(0);
	}
	waitpid(c, &st, 0);
	wflags = O_WRONLY | O_CREAT | O_TRUNC; /* as a shell's > */
	wr("comm with O_TRUNC", "/proc/self/comm", "shell", 5);
	rd("comm", "/proc/self/comm");
	wr("status with O_TRUNC", "/proc/self/status", "x", 1);
	wflags = O_WRONLY;
	rd("personality", "/proc/self/personality");
	rd("sessionid", "/proc/self/sessionid");
	struct stat sb;
	printf("cgroup exists: %s\n", stat("/proc/self/cgroup", &sb) == 0 ? "yes" : "no");
	printf("oom_score exists: %s\n", stat("/proc/self/oom_score", &sb) == 0 ? "yes" : "no");
	wr("write oom_score", "/proc/self/oom_score", "1", 1);
	return 0;
}
