/* cgroup.freeze (natively: cgroup2 mounted again in a private mount namespace): a process
 * whose two threads compute without system calls, one asleep in nanosleep and one waiting on a pipe
 * stop when their cgroup freezes (cgroup.events says frozen 1 once they all have) and go
 * on when it thaws, none seeing anything of it (no stop for waitpid's WUNTRACED, the
 * sleep and the read finish as they would, a signal sent meanwhile is handled after the
 * thaw); a new cgroup below a frozen one is frozen;
 * cgroup.kill ends frozen processes. Run as root. */
#include "cf.h"
#include "cf_mount.h"
#include "cf_cgroup.h"
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <sys/mman.h>
#include <sys/wait.h>

/* Waits (a bounded number of cgroup.events changes) until it says "frozen want". */
static bool
wait_frozen(int want)
{
	char p[700], buf[128], line[16];
	snprintf(p, sizeof(p), "%s/cgroup.events", cg);
	snprintf(line, sizeof(line), "frozen %d\n", want);
	int fd = open(p, O_RDONLY);
	for (int i = 0; i < 100; i++) {
		ssize_t n = pread(fd, buf, sizeof(buf) - 1, 0);
		buf[n > 0 ? n : 0] = 0;
		if (strstr(buf, line)) {
			close(fd);
			return true;
		}
		struct pollfd pfd = { .fd = fd, .events = POLLPRI };
		poll(&pfd, 1, 1000);
	}
	close(fd);
	return false;
}

static volatile unsigned long *count;

static void *
spin_thread(void *arg)
{
	for (;;)
		count[1]++;
	return arg;
}

static volatile int got;

static void
on_usr1(int sig)
{
	got = sig;
	count[2]++;
}

static void
move(pid_t pid)
{
	char num[32];
	snprintf(num, sizeof(num), "%d", pid);
	if (put("cgroup.procs", num) < 0)
		printf("move %s\n", en(errno));
}

int
main(void)
{
	cf_init();
	if (!cf_own_mounts())
		return 0;
	cg_setup("cffrz");
	OK("mkdir", mkdir(cg, 0755));
	show("freeze", cg, "cgroup.freeze");
	OK("freeze 2", put("cgroup.freeze", "2"));
	OK("freeze -1", put("cgroup.freeze", "-1"));
	OK("freeze x", put("cgroup.freeze", "x"));

	count = mmap(NULL, 4096, PROT_READ | PROT_WRITE,
					     MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	pid_t spin = fork();
	if (spin == 0) {
		struct sigaction sa = { .sa_handler = on_usr1, .sa_flags = SA_RESTART };
		sigaction(SIGUSR1, &sa, NULL);
		pthread_t th;
		pthread_create(&th, NULL, spin_thread, NULL);
		for (;;)
			count[0]++;
	}
	int p[2], ready[2];
	pipe(p);
	pipe(ready);
	pid_t reader = fork();
	if (reader == 0) {
		char c;
		struct sigaction sa = { .sa_handler = on_usr1, .sa_flags = SA_RESTART };
		sigaction(SIGUSR1, &sa, NULL);
		write(ready[1], "r", 1); /* its handler is in place */
		close(p[1]);
		ssize_t n = read(p[0], &c, 1);
		_exit(n == 1 && c == 'x' ? (got == SIGUSR1 ? 3 : 7) : 4);
	}
	close(p[0]);
	char r;
	read(ready[0], &r, 1);
	pid_t sleeper = fork();
	if (sleeper == 0) {
		struct timespec ts = { 0, 200 * 1000 * 1000 };
		_exit(nanosleep(&ts, NULL) == 0 ? 5 : 6);
	}
	move(spin);
	move(reader);
	move(sleeper);
	while (count[0] == 0 || count[1] == 0)
		sched_yield();
	OK("freeze 1", put("cgroup.freeze", "1\n"));
	show("freeze now", cg, "cgroup.freeze");
	YN("frozen", wait_frozen(1));
	unsigned long c1 = count[0], c2 = count[1];
	struct timespec ts = { 0, 300 * 1000 * 1000 };
	nanosleep(&ts, NULL); /* the sleeper's time passes while frozen */
	YN("stopped computing", count[0] == c1 && count[1] == c2);
	int status;
	R("no stop seen", waitpid(-1, &status, WNOHANG | WUNTRACED));
	write(p[1], "x", 1); /* the reader has data, but is frozen */
	nanosleep(&ts, NULL);
	kill(reader, SIGUSR1); /* handled after the thaw */
	kill(spin, SIGUSR1);
	char sub[700];
	snprintf(sub, sizeof(sub), "%s/sub", cg);
	OK("mkdir below", mkdir(sub, 0755));
	show("below events", sub, "cgroup.events");
	show("below freeze", sub, "cgroup.freeze");
	OK("rmdir below", rmdir(sub));
	R("reader still", waitpid(reader, &status, WNOHANG));
	YN("no handler ran", count[2] == 0);
	OK("thaw", put("cgroup.freeze", "0"));
	YN("thawed", wait_frozen(0));
	R("reader", waitpid(reader, &status, 0) == reader);
	printf("reader status %d\n", WEXITSTATUS(status));
	R("sleeper", waitpid(sleeper, &status, 0) == sleeper);
	printf("sleeper status %d\n", WEXITSTATUS(status));
	bool went_on = false;
	for (int i = 0; i < 100 && !went_on; i++) {
		went_on = count[0] != c1 && count[1] != c2;
		struct timespec t = { 0, 100 * 1000 * 1000 };
		if (!went_on)
			nanosleep(&t, NULL);
	}
	YN("computing again", went_on);
	for (int i = 0; i < 100 && count[2] < 2; i++) {
		struct timespec t = { 0, 100 * 1000 * 1000 };
		nanosleep(&t, NULL);
	}
	R("handlers run", (long)count[2]);
	char text[256];
	int fd = open(strcat(strcpy(text, cg), "/cgroup.stat.local"), O_RDONLY);
	ssize_t n = read(fd, text, sizeof(text) - 1);
	text[n > 0 ? n : 0] = 0;
	close(fd);
	YN("frozen_usec counted", strncmp(text, "frozen_usec 0\n", 14) != 0);

	OK("freeze again", put("cgroup.freeze", "1"));
	YN("frozen again", wait_frozen(1));
	OK("kill", put("cgroup.kill", "1"));
	R("spinner", waitpid(spin, &status, 0) == spin);
	YN("killed", WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL);
	OK("rmdir", rmdir(cg));
	umount("cg");
	return 0;
}
