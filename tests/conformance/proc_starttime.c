/*
 * Start times (proc(5)): /proc/PID/stat field 22 is when the task began, in clock ticks
 * since boot; a process forked later starts later, a thread has its own, execve keeps it.
 * /proc/uptime has two decimals and is at least any start time; sysinfo's uptime counts a
 * started second whole.
 */
/* args: */
#include "cf.h"
#include <pthread.h>
#include <sys/sysinfo.h>
#include <sys/wait.h>

/* The start of the file at path in buf, NUL-terminated; its length, or -1. */
static ssize_t
slurp(const char *path, char *buf, size_t size)
{
	int fd = open(path, O_RDONLY);
	ssize_t n = fd < 0 ? -1 : read(fd, buf, size - 1);

	if (fd >= 0)
		close(fd);
	buf[n > 0 ? n : 0] = 0;
	return n;
}

static long long
start_of(const char *path)
{
	char buf[1024];

	if (slurp(path, buf, sizeof(buf)) <= 0)
		return -1;
	char *p = strrchr(buf, ')');
	long long v = -1;
	/* after ") ": fields 3..; the start time is field 22 */
	for (int field = 3; p && field <= 22; field++) {
		p = strchr(p + 1, ' ');
		if (p && field == 22)
			v = atoll(p + 1);
	}
	return v;
}

static double
uptime(int *two_decimals)
{
	char buf[128];

	slurp("/proc/uptime", buf, sizeof(buf));
	char *dot = strchr(buf, '.');
	*two_decimals = dot && dot[1] >= '0' && dot[1] <= '9' && dot[2] >= '0' && dot[2] <= '9' &&
			dot[3] == ' ';
	return atof(buf);
}

static void *
thread_main(void *arg)
{
	char path[64];

	snprintf(path, sizeof(path), "/proc/self/task/%d/stat", (int)gettid());
	*(long long *)arg = start_of(path);
	return NULL;
}

int
main(int argc, char **argv)
{
	long hz = sysconf(_SC_CLK_TCK);

	if (argc > 2) { /* the exec'd image: its start time as the parent saw it before */
		YN("exec keeps the start time", start_of("/proc/self/stat") == atoll(argv[2]));
		return 0;
	}
	setvbuf(stdout, NULL, _IONBF, 0);
	long long me = start_of("/proc/self/stat");
	YN("own start time read", me >= 0);
	usleep(300 * 1000);
	long long th = -1;
	pthread_t tid;
	pthread_create(&tid, NULL, thread_main, &th);
	pthread_join(tid, NULL);
	YN("a later thread starts >= 0.25 s later", th - me >= hz / 4);
	YN("the process keeps its own", start_of("/proc/self/stat") == me);
	int pfd[2];
	if (pipe(pfd))
		return 1;
	pid_t c = fork();
	if (c == 0) {
		long long s = start_of("/proc/self/stat");
		(void)!write(pfd[1], &s, sizeof(s));
		char arg[32];
		snprintf(arg, sizeof(arg), "%lld", s);
		execl("/proc/self/exe", argv[0], "exec", arg, (char *)NULL);
		_exit(127);
	}
	long long cs = -1;
	(void)!read(pfd[0], &cs, sizeof(cs));
	int st;
	waitpid(c, &st, 0);
	YN("a later child starts >= 0.25 s later", cs - me >= hz / 4);
	int two;
	double up = uptime(&two);
	YN("/proc/uptime has two decimals", two);
	YN("/proc/uptime is at least the child's start", up * hz + 1 >= (double)cs);
	struct sysinfo si;
	sysinfo(&si);
	YN("sysinfo uptime is /proc/uptime rounded up (within a second)",
	   si.uptime >= (long)up && si.uptime <= (long)up + 2);
	/* /proc/stat's btime is when boot was by the wall clock: it stays put, and with the
	 * uptime it makes the time now */
	long long b1 = -1, b2 = -1;
	char sbuf[8192];
	for (int i = 0; i < 2; i++) {
		slurp("/proc/stat", sbuf, sizeof(sbuf));
		char *bt = strstr(sbuf, "\nbtime ");
		*(i ? &b2 : &b1) = bt ? atoll(bt + 7) : -1;
		if (!i)
			usleep(600 * 1000);
	}
	YN("btime stays put", b1 > 0 && b1 == b2);
	up = uptime(&two);
	long long now = (long long)time(NULL);
	YN("btime + uptime is now (within 2 s)", b1 + (long long)up >= now - 2 &&
	   b1 + (long long)up <= now + 2);
	printf("child: %s %d\n", WIFEXITED(st) ? "exit" : "signal", WIFEXITED(st) ? WEXITSTATUS(st) : 0);
	return 0;
}
