/* /proc/PID/limits: Linux's table of the process's resource limits (names, soft and hard
 * values or "unlimited", units), after setrlimit, and a child's own after it changes one. */
#include "cf.h"
#include <sys/resource.h>
#include <sys/wait.h>

static void
dump(const char *label, const char *path)
{
	char buf[4096];
	int fd = open(path, O_RDONLY);
	ssize_t n = fd >= 0 ? read(fd, buf, sizeof(buf) - 1) : -1;

	if (fd < 0) {
		printf("%s: open %s\n", label, en(errno));
		return;
	}
	close(fd);
	buf[n > 0 ? n : 0] = 0;
	printf("%s:\n%s", label, buf);
}

int
main(void)
{
	struct rlimit r = { 100, 200 };
	char path[64];
	int p[2], st;

	setvbuf(stdout, NULL, _IONBF, 0);
	setrlimit(RLIMIT_NOFILE, &r);
	r.rlim_cur = 4 << 20;
	r.rlim_max = RLIM_INFINITY;
	setrlimit(RLIMIT_STACK, &r);
	r.rlim_cur = 0;
	setrlimit(RLIMIT_CORE, &r);
	r.rlim_cur = 1 << 30;
	r.rlim_max = 1 << 30;
	setrlimit(RLIMIT_FSIZE, &r);
	dump("self", "/proc/self/limits");
	pipe(p);
	pid_t c = fork();
	if (c == 0) {
		struct rlimit n = { 50, 60 };
		char x;

		setrlimit(RLIMIT_NOFILE, &n);
		close(p[1]);
		read(p[0], &x, 1);
		_exit(0);
	}
	close(p[0]);
	/* poll the child's file until its own limit shows (it is then waiting for us) */
	snprintf(path, sizeof(path), "/proc/%d/limits", c);
	for (int i = 0; i < 1000; i++) {
		char buf[4096];
		int fd = open(path, O_RDONLY);
		ssize_t n = read(fd, buf, sizeof(buf) - 1);

		close(fd);
		buf[n > 0 ? n : 0] = 0;
		if (strstr(buf, "Max open files            50 "))
			break;
		usleep(1000);
	}
	dump("child", path);
	write(p[1], "x", 1);
	waitpid(c, &st, 0);
	dump("missing pid", "/proc/999999/limits");
	return 0;
}
