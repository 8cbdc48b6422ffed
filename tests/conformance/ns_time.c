/* Time namespaces: unshare(CLONE_NEWTIME) makes one for the caller's children only
 * (/proc/self/ns/time_for_children changes, ns/time does not); /proc/self/timens_offsets
 * reads and takes its offsets (bad clock or nanoseconds EINVAL, out of range ERANGE, EACCES
 * once a process lives in it); inside, CLOCK_MONOTONIC(_COARSE, _RAW) and CLOCK_BOOTTIME
 * read plus the offsets, through the vDSO and the raw call alike, REALTIME unshifted;
 * sysinfo and /proc/uptime add the boottime offset; a fork's child, an exec'd image
 * and the children of either live in it; setns joins it. Run as root. */
#include "cf.h"
#include <sched.h>
#include <stdbool.h>
#include <sys/syscall.h>
#include <signal.h>
#include <linux/sched.h>
#include <sys/sysinfo.h>
#include <sys/timerfd.h>
#include <sys/wait.h>
#include <time.h>

#define MONO_OFF 315360000L   /* ten years */
#define BOOT_OFF 630720000L

static void
show_offsets(const char *label)
{
	char buf[256];
	int fd = open("/proc/self/timens_offsets", O_RDONLY);
	ssize_t r = fd >= 0 ? read(fd, buf, sizeof(buf) - 1) : -1;

	buf[r > 0 ? r : 0] = 0;
	printf("%s:\n%s", label, buf);
	if (fd >= 0)
		close(fd);
}

static long
write_offsets(const char *text)
{
	int fd = open("/proc/self/timens_offsets", O_WRONLY);
	long r = fd >= 0 ? write(fd, text, strlen(text)) : -1;
	int e = errno;

	if (fd >= 0)
		close(fd);
	errno = e;
	return r;
}

static long long
ns_of(struct timespec ts)
{
	return ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

static long long
now(clockid_t c, bool raw)
{
	struct timespec ts = { 0, 0 };

	if (raw)
		syscall(SYS_clock_gettime, c, &ts);
	else
		clock_gettime(c, &ts);
	return ns_of(ts);
}

/* Each clock read here (vDSO and raw call) lies between before + off and after + off, as
 * the initial namespace reads them around it. */
static const struct {
	clockid_t c;
	const char *name;
	long off;
} clocks[] = {
	{ CLOCK_MONOTONIC, "monotonic", MONO_OFF }, { CLOCK_MONOTONIC_COARSE, "coarse", MONO_OFF },
	{ CLOCK_MONOTONIC_RAW, "raw", MONO_OFF }, { CLOCK_BOOTTIME, "boottime", BOOT_OFF },
	{ CLOCK_REALTIME, "realtime", 0 },
};
#define NCLOCKS (sizeof(clocks) / sizeof(clocks[0]))

struct reading {
	long long v[NCLOCKS][2];
};

static void
read_all(struct reading *r)
{
	for (size_t i = 0; i < NCLOCKS; i++) {
		r->v[i][0] = now(clocks[i].c, false);
		r->v[i][1] = now(clocks[i].c, true);
	}
}

/* Reads the clocks in a child (its readings through a pipe), the parent's around them. */
static void
check_child(const char *label, bool shifted, void (*enter)(void))
{
	struct reading before, in, after;
	int p[2];

	if (pipe(p))
		return;
	read_all(&before);
	pid_t pid = fork();
	if (pid == 0) {
		if (enter)
			enter();
		read_all(&in);
		if (write(p[1], &in, sizeof(in)) != sizeof(in))
			_exit(1);
		_exit(0);
	}
	waitpid(pid, NULL, 0);
	read_all(&after);
	bool got = read(p[0], &in, sizeof(in)) == sizeof(in);
	close(p[0]);
	close(p[1]);
	for (size_t i = 0; i < NCLOCKS; i++)
		for (int raw = 0; raw < 2; raw++) {
			long long off = shifted ? clocks[i].off * 1000000000LL : 0;
			char l[96];
			snprintf(l, sizeof(l), "%s %s%s in range", label, clocks[i].name,
				 raw ? " (syscall)" : "");
			YN(l, got && in.v[i][raw] >= before.v[i][raw] + off &&
				      in.v[i][raw] <= after.v[i][raw] + off);
		}
}

static unsigned long
ino_of(const char *path)
{
	struct stat st;

	return stat(path, &st) ? 0 : st.st_ino;
}

static int ns_fd = -1;

static void
join(void)
{
	if (setns(ns_fd, CLONE_NEWTIME))
		_exit(2);
}

/* Absolute deadlines are on the namespace's clocks: a sleep, a timerfd and a POSIX timer
 * 1 ms ahead end (or have at most 1 s left) as on Linux, not ten years later. */
static void
check_deadlines(void)
{
	struct timespec ts;
	struct itimerspec its = { { 0, 0 }, { 0, 0 } }, cur;
	unsigned long long n = 0;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	long long deadline = ns_of(ts) + 1000000;
	ts = (struct timespec){ deadline / 1000000000LL, deadline % 1000000000LL };
	R("abs sleep", clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &ts, NULL));
	YN("abs sleep past its deadline", now(CLOCK_MONOTONIC, false) >= deadline);
	R("abs sleep (syscall)", syscall(SYS_clock_nanosleep, CLOCK_BOOTTIME, TIMER_ABSTIME, &ts,
					 NULL));
	int fd = timerfd_create(CLOCK_BOOTTIME, 0);
	clock_gettime(CLOCK_BOOTTIME, &its.it_value);
	its.it_value.tv_nsec = 0;
	its.it_value.tv_sec += 1;
	R("timerfd abs", timerfd_settime(fd, TFD_TIMER_ABSTIME, &its, NULL));
	R("timerfd gettime", timerfd_gettime(fd, &cur));
	YN("timerfd at most 1 s left", cur.it_value.tv_sec == 0);
	YN("timerfd fires", read(fd, &n, sizeof(n)) == sizeof(n) && n == 1);
	close(fd);
	struct sigevent ev = { .sigev_notify = SIGEV_NONE };
	timer_t id;
	R("timer_create", timer_create(CLOCK_MONOTONIC, &ev, &id));
	clock_gettime(CLOCK_MONOTONIC, &its.it_value);
	its.it_value.tv_sec += 1;
	R("timer abs", timer_settime(id, TIMER_ABSTIME, &its, NULL));
	R("timer gettime", timer_gettime(id, &cur));
	YN("timer at most 1 s left", cur.it_value.tv_sec == 0 && cur.it_value.tv_nsec > 0);
	/* a deadline below the offset has passed */
	its.it_value = (struct timespec){ 1, 0 };
	R("abs sleep below the offset", clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME,
							 &its.it_value, NULL));
}

/* clone3(CLONE_NEWTIME): the child lives in a new namespace with its parent's offsets. */
static void
check_clone3(void)
{
	struct clone_args ca = { .flags = CLONE_NEWTIME, .exit_signal = SIGCHLD };
	unsigned long mine = ino_of("/proc/self/ns/time");
	int p[2];
	char buf[4] = "";

	if (pipe(p))
		return;
	long pid = syscall(SYS_clone3, &ca, sizeof(ca));
	if (pid == 0) {
		char c = ino_of("/proc/self/ns/time") != mine ? 'y' : 'n';
		char d = now(CLOCK_BOOTTIME, false) >= BOOT_OFF * 1000000000LL ? 'y' : 'n';
		char e = write_offsets("monotonic 1 0") < 0 && errno == EACCES ? 'y' : 'n';
		char out[3] = { c, d, e };
		_exit(write(p[1], out, 3) == 3 ? 0 : 1);
	}
	YN("clone3", pid > 0);
	waitpid((pid_t)pid, NULL, 0);
	bool got = read(p[0], buf, 3) == 3;
	YN("clone3: a new namespace", got && buf[0] == 'y');
	YN("clone3: the offsets copied", got && buf[1] == 'y');
	YN("clone3: entered (frozen)", got && buf[2] == 'y');
	close(p[0]);
	close(p[1]);
}

/* After the exec: this image lives in the namespace (the offsets are frozen). */
static int
stage2(void)
{
	struct sysinfo si;
	char buf[64] = "";
	int fd = open("/proc/uptime", O_RDONLY);
	long r = fd >= 0 ? read(fd, buf, sizeof(buf) - 1) : -1;

	YN("exec: ns/time is ns/time_for_children",
	   ino_of("/proc/self/ns/time") == ino_of("/proc/self/ns/time_for_children"));
	YN("exec: monotonic shifted", now(CLOCK_MONOTONIC, false) >= MONO_OFF * 1000000000LL);
	YN("exec: boottime shifted", now(CLOCK_BOOTTIME, true) >= BOOT_OFF * 1000000000LL);
	R("exec: sysinfo", sysinfo(&si));
	YN("exec: sysinfo uptime shifted", si.uptime >= BOOT_OFF);
	YN("exec: /proc/uptime shifted", r > 0 && atol(buf) >= BOOT_OFF);
	R("exec: write offsets now", write_offsets("monotonic 1 0"));
	check_child("exec: child", false, NULL); /* the same namespace as its parent's */
	check_deadlines();
	check_clone3();
	return 0;
}

int
main(int argc, char **argv)
{
	if (argc > 1 && !strcmp(argv[1], "stage2"))
		return stage2();
	cf_init();
	show_offsets("initial offsets");
	R("write to the initial namespace", write_offsets("monotonic 1 0"));
	unsigned long before = ino_of("/proc/self/ns/time");
	int init_fd = open("/proc/self/ns/time", O_RDONLY);
	R("unshare", unshare(CLONE_NEWTIME));
	YN("ns/time unchanged", ino_of("/proc/self/ns/time") == before);
	YN("ns/time_for_children new", ino_of("/proc/self/ns/time_for_children") != before);
	show_offsets("new namespace's offsets");
	R("bad clock", write_offsets("realtime 1 0"));
	R("bad nanoseconds", write_offsets("monotonic 1 1000000000"));
	R("no nanoseconds", write_offsets("monotonic 1"));
	R("past KTIME_SEC_MAX", write_offsets("monotonic 9223372037 0"));
	R("clock below 0", write_offsets("boottime -9000000000 0"));
	char text[96];
	R("write one", write_offsets("monotonic 12 5") == 15 ? 0 : -1);
	show_offsets("one set");
	snprintf(text, sizeof(text), "1 %ld 0\n7 %ld 0\n", MONO_OFF, BOOT_OFF);
	R("write both (by number)", write_offsets(text) == (long)strlen(text) ? 0 : -1);
	show_offsets("offsets set");
	/* the caller's own clocks: unshifted (the host has not been up for ten years) */
	YN("caller's monotonic unshifted", now(CLOCK_MONOTONIC, false) < MONO_OFF * 1000000000LL);
	YN("caller's boottime unshifted", now(CLOCK_BOOTTIME, true) < MONO_OFF * 1000000000LL);
	check_child("child", true, NULL);
	R("write after a child entered", write_offsets("monotonic 1 0"));
	ns_fd = open("/proc/self/ns/time_for_children", O_RDONLY);
	YN("ns fd", ns_fd >= 0);
	/* a setns'd process: first back in the initial namespace for children */
	R("setns back to the initial one", setns(init_fd, CLONE_NEWTIME));
	YN("ns/time back", ino_of("/proc/self/ns/time") == before);
	check_child("initial again", false, NULL);
	check_child("setns", true, join);
	R("setns other kind", setns(ns_fd, CLONE_NEWUTS));
	R("setns into it", setns(ns_fd, CLONE_NEWTIME));
	fflush(stdout);
	execl("/proc/self/exe", argv[0], "stage2", (char *)NULL);
	printf("exec: %s\n", en(errno));
	return 1;
}
