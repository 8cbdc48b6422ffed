/* fcntl record locks: F_GETLK/F_SETLK/F_SETLKW across processes (conflicts, the holder's
 * pid, split and merge, SEEK_CUR/SEEK_END, negative lengths, release on close of any
 * descriptor and on exit, EDEADLK, EINTR), threads sharing the owner, and OFD locks. */
#include <pthread.h>
#include <signal.h>
#include <sys/wait.h>

#include "cf.h"

static int fd;
static pid_t parent;

static void
on_alarm(int sig)
{
	(void)sig;
}

static struct flock
lk(short type, short whence, off_t start, off_t len)
{
	struct flock fl = { .l_type = type, .l_whence = whence, .l_start = start, .l_len = len };
	return fl;
}

static const char *
tname(short t)
{
	return t == F_RDLCK ? "F_RDLCK" : t == F_WRLCK ? "F_WRLCK" : t == F_UNLCK ? "F_UNLCK" : "?";
}

static const char *
who(pid_t pid)
{
	if (pid == parent)
		return "parent";
	if (pid == getpid())
		return "self";
	if (pid == -1)
		return "-1";
	return "other";
}

/* F_GETLK for [start, start+len) as a write lock, from descriptor d. */
static void
getlk(const char *label, int d, int cmd, short type, off_t start, off_t len)
{
	struct flock fl = lk(type, SEEK_SET, start, len);

	if (fcntl(d, cmd, &fl) < 0) {
		printf("%s: -1 %s\n", label, en(errno));
		return;
	}
	if (fl.l_type == F_UNLCK)
		printf("%s: F_UNLCK\n", label);
	else
		printf("%s: %s start %ld len %ld whence %d holder %s\n", label, tname(fl.l_type),
		       (long)fl.l_start, (long)fl.l_len, fl.l_whence, who(fl.l_pid));
}

static int
setlk(int d, int cmd, short type, short whence, off_t start, off_t len)
{
	struct flock fl = lk(type, whence, start, len);
	return fcntl(d, cmd, &fl);
}

static void
in_child(void (*fn)(void))
{
	pid_t p = fork();

	if (p == 0) {
		fn();
		fflush(stdout);
		_exit(0);
	}
	waitpid(p, NULL, 0);
}

static void
child_probe_basic(void)
{
	getlk("child GETLK [5,6)", fd, F_GETLK, F_WRLCK, 5, 1);
	getlk("child GETLK [0,EOF)", fd, F_GETLK, F_RDLCK, 0, 0);
	getlk("child GETLK [10,20)", fd, F_GETLK, F_WRLCK, 10, 10);
	R("child SETLK F_RDLCK [5,6)", setlk(fd, F_SETLK, F_RDLCK, SEEK_SET, 5, 1));
	R("child SETLK F_WRLCK [10,15)", setlk(fd, F_SETLK, F_WRLCK, SEEK_SET, 10, 5));
}

static void
child_probe_split(void)
{
	getlk("child GETLK [3,4) after unlock", fd, F_GETLK, F_WRLCK, 3, 1);
	getlk("child GETLK [0,1)", fd, F_GETLK, F_WRLCK, 0, 1);
	getlk("child GETLK [2,6)", fd, F_GETLK, F_WRLCK, 2, 4);
}

static void
child_probe_merge(void)
{
	getlk("child GETLK [0,1) after merge", fd, F_GETLK, F_WRLCK, 0, 1);
}

static void
child_probe_downgrade(void)
{
	getlk("child GETLK read [0,10)", fd, F_GETLK, F_RDLCK, 0, 10);
	getlk("child GETLK write [0,10)", fd, F_GETLK, F_WRLCK, 0, 10);
	R("child SETLK F_RDLCK [0,10)", setlk(fd, F_SETLK, F_RDLCK, SEEK_SET, 0, 10));
	R("child SETLK F_WRLCK [0,10)", setlk(fd, F_SETLK, F_WRLCK, SEEK_SET, 0, 10));
}

static void
child_probe_whence(void)
{
	getlk("child GETLK [40,45)", fd, F_GETLK, F_WRLCK, 40, 5);
	getlk("child GETLK [99,100)", fd, F_GETLK, F_WRLCK, 99, 1);
	getlk("child GETLK [15,20)", fd, F_GETLK, F_WRLCK, 15, 5);
	getlk("child GETLK [200,EOF)", fd, F_GETLK, F_WRLCK, 200, 0);
	getlk("child GETLK [60,61)", fd, F_GETLK, F_WRLCK, 60, 1);
}

static void
child_probe_empty(void)
{
	getlk("child GETLK [0,EOF)", fd, F_GETLK, F_WRLCK, 0, 0);
}

static void
child_lock_and_exit(void)
{
	R("child SETLK F_WRLCK [0,EOF)", setlk(fd, F_SETLK, F_WRLCK, SEEK_SET, 0, 0));
}

static void
blocking(void)
{
	int pfd[2];
	char c;

	R("parent SETLK F_WRLCK [0,10)", setlk(fd, F_SETLK, F_WRLCK, SEEK_SET, 0, 10));
	pipe(pfd);
	pid_t p = fork();
	if (p == 0) {
		close(pfd[1]);
		int r = setlk(fd, F_SETLKW, F_WRLCK, SEEK_SET, 5, 1);
		int e = errno;
		fcntl(pfd[0], F_SETFL, O_NONBLOCK);
		ssize_t n = read(pfd[0], &c, 1);
		printf("child SETLKW: %d%s%s, after the parent's unlock: %s\n", r, r ? " " : "",
		       r ? en(e) : "", n == 1 ? "yes" : "no");
		getlk("child sees parent's [0,5)", fd, F_GETLK, F_WRLCK, 0, 10);
		fflush(stdout);
		_exit(0);
	}
	close(pfd[0]);
	usleep(100000);
	write(pfd[1], "x", 1);
	int r = setlk(fd, F_SETLK, F_UNLCK, SEEK_SET, 5, 1);
	waitpid(p, NULL, 0); /* print after the child's lines */
	R("parent unlock [5,6)", r);
	close(pfd[1]);
	setlk(fd, F_SETLK, F_UNLCK, SEEK_SET, 0, 0);
}

/* Parent holds byte 0, child byte 1; each then waits for the other's byte. One of them
 * gets EDEADLK (which one depends on timing), releases its byte, and the other goes on. */
static void
deadlock(void)
{
	int pa[2], pb[2], status;
	char c;

	pipe(pa);
	pipe(pb);
	R("parent lock byte 0", setlk(fd, F_SETLK, F_WRLCK, SEEK_SET, 0, 1));
	pid_t p = fork();
	if (p == 0) {
		int r, e;
		setlk(fd, F_SETLK, F_WRLCK, SEEK_SET, 1, 1);
		write(pa[1], "r", 1);
		r = setlk(fd, F_SETLKW, F_WRLCK, SEEK_SET, 0, 1);
		e = errno;
		if (r < 0)
			setlk(fd, F_SETLK, F_UNLCK, SEEK_SET, 1, 1);
		_exit(r < 0 ? (e == EDEADLK ? 10 : 11) : 0);
	}
	read(pa[0], &c, 1);
	usleep(100000);
	int r = setlk(fd, F_SETLKW, F_WRLCK, SEEK_SET, 1, 1);
	int e = errno;
	if (r < 0)
		setlk(fd, F_SETLK, F_UNLCK, SEEK_SET, 0, 1);
	waitpid(p, &status, 0);
	int child = WEXITSTATUS(status);
	YN("exactly one got EDEADLK", (r < 0 && e == EDEADLK && child == 0) ||
					   (r == 0 && child == 10));
	setlk(fd, F_SETLK, F_UNLCK, SEEK_SET, 0, 0);
}

static void
interrupted(void)
{
	struct sigaction sa = { .sa_handler = on_alarm }; /* no SA_RESTART */

	setlk(fd, F_SETLK, F_WRLCK, SEEK_SET, 0, 1);
	pid_t p = fork();
	if (p == 0) {
		sigaction(SIGALRM, &sa, NULL);
		alarm(1);
		R("child SETLKW interrupted", setlk(fd, F_SETLKW, F_WRLCK, SEEK_SET, 0, 1));
		fflush(stdout);
		_exit(0);
	}
	waitpid(p, NULL, 0);
	setlk(fd, F_SETLK, F_UNLCK, SEEK_SET, 0, 0);
}

static void *
thread_fn(void *arg)
{
	(void)arg;
	R("thread SETLK F_WRLCK over the main thread's lock", setlk(fd, F_SETLK, F_WRLCK, SEEK_SET, 0, 10));
	getlk("thread GETLK", fd, F_GETLK, F_WRLCK, 0, 10);
	return NULL;
}

static void
child_after_thread(void)
{
	getlk("child GETLK after thread", fd, F_GETLK, F_RDLCK, 0, 20);
}

static volatile int waiter_done;

static void *
thread_wait(void *arg)
{
	(void)arg;
	int r = setlk(fd, F_SETLKW, F_WRLCK, SEEK_SET, 0, 1);
	waiter_done = 1;
	return (void *)(long)r;
}

/* A thread waits for another process's lock while the main thread goes on. */
static void
thread_waits_for_child(void)
{
	int go[2], ready[2];
	char c;
	void *ret;
	pthread_t th;

	pipe(go);
	pipe(ready);
	pid_t p = fork();
	if (p == 0) {
		setlk(fd, F_SETLK, F_WRLCK, SEEK_SET, 0, 1);
		write(ready[1], "r", 1);
		read(go[0], &c, 1);
		_exit(0); /* exiting drops the lock */
	}
	read(ready[0], &c, 1);
	pthread_create(&th, NULL, thread_wait, NULL);
	usleep(100000);
	YN("the thread waits", !waiter_done);
	getlk("main thread meanwhile", fd, F_GETLK, F_WRLCK, 0, 1);
	write(go[1], "g", 1);
	pthread_join(th, &ret);
	waitpid(p, NULL, 0);
	printf("thread F_SETLKW after the child exited: %ld\n", (long)ret);
	setlk(fd, F_SETLK, F_UNLCK, SEEK_SET, 0, 0);
}

static void
ofd(void)
{
	int a = open("f", O_RDWR), b = open("f", O_RDWR);
	struct flock fl;

	R("OFD SETLK F_WRLCK on a", setlk(a, F_OFD_SETLK, F_WRLCK, SEEK_SET, 0, 10));
	R("OFD SETLK F_WRLCK on b (same process)", setlk(b, F_OFD_SETLK, F_WRLCK, SEEK_SET, 5, 1));
	getlk("OFD GETLK from b", b, F_OFD_GETLK, F_WRLCK, 0, 1);
	getlk("POSIX GETLK from this process", b, F_GETLK, F_RDLCK, 0, 1);
	R("POSIX SETLK over the OFD lock", setlk(b, F_SETLK, F_RDLCK, SEEK_SET, 0, 1));
	R("POSIX SETLK [20,30)", setlk(b, F_SETLK, F_WRLCK, SEEK_SET, 20, 10));
	R("OFD SETLK over the POSIX lock", setlk(a, F_OFD_SETLK, F_RDLCK, SEEK_SET, 25, 1));
	getlk("OFD GETLK sees the POSIX lock", a, F_OFD_GETLK, F_WRLCK, 25, 1);
	getlk("OFD GETLK own lock", a, F_OFD_GETLK, F_WRLCK, 0, 1);
	getlk("OFD GETLK with F_UNLCK", b, F_OFD_GETLK, F_UNLCK, 0, 1);
	getlk("OFD GETLK with F_UNLCK finds its own", a, F_OFD_GETLK, F_UNLCK, 0, 1);
	fl = lk(F_WRLCK, SEEK_SET, 0, 1);
	fl.l_pid = 1;
	R("OFD SETLK with l_pid set", fcntl(a, F_OFD_SETLK, &fl));
	R("OFD GETLK with l_pid set", fcntl(a, F_OFD_GETLK, &fl));
	int d = dup(a);
	R("OFD lock through a dup", setlk(d, F_OFD_SETLK, F_WRLCK, SEEK_SET, 0, 5));
	int other = open("f", O_RDONLY);
	close(other); /* closing another description keeps OFD locks */
	getlk("after closing another descriptor", b, F_OFD_GETLK, F_WRLCK, 0, 1);
	close(a);
	getlk("after closing a (dup remains)", b, F_OFD_GETLK, F_WRLCK, 0, 1);
	close(d);
	getlk("after the last close", b, F_OFD_GETLK, F_WRLCK, 0, 1);
	/* a POSIX lock went with closing a, d, other: any descriptor of the file */
	getlk("POSIX lock after those closes", fd, F_OFD_GETLK, F_WRLCK, 20, 1);
	close(b);
}

int
main(void)
{
	char buf[100];

	cf_init();
	parent = getpid();
	memset(buf, 'x', sizeof(buf));
	cf_write_file("f", buf, sizeof(buf));
	fd = open("f", O_RDWR);

	/* argument checks */
	struct flock fl = lk(F_WRLCK, 7, 0, 1);
	R("bad whence", fcntl(fd, F_SETLK, &fl));
	fl = lk(42, SEEK_SET, 0, 1);
	R("bad type", fcntl(fd, F_SETLK, &fl));
	R("GETLK F_UNLCK", ({ fl = lk(F_UNLCK, SEEK_SET, 0, 1); fcntl(fd, F_GETLK, &fl); }));
	R("negative start", setlk(fd, F_SETLK, F_WRLCK, SEEK_SET, -1, 1));
	R("negative length past 0", setlk(fd, F_SETLK, F_WRLCK, SEEK_SET, 2, -5));
	R("bad pointer", fcntl(fd, F_SETLK, (struct flock *)cf_unmapped()));
	int ro = open("f", O_RDONLY), wo = open("f", O_WRONLY);
	R("F_WRLCK on O_RDONLY", setlk(ro, F_SETLK, F_WRLCK, SEEK_SET, 0, 1));
	R("F_RDLCK on O_WRONLY", setlk(wo, F_SETLK, F_RDLCK, SEEK_SET, 0, 1));
	R("F_UNLCK on O_RDONLY", setlk(ro, F_SETLK, F_UNLCK, SEEK_SET, 0, 1));
	R("overflow", setlk(fd, F_SETLK, F_WRLCK, SEEK_END, 0x7fffffffffffffffL, 1));

	/* conflicts with another process */
	R("SETLK F_WRLCK [0,10)", setlk(fd, F_SETLK, F_WRLCK, SEEK_SET, 0, 10));
	getlk("own lock does not conflict", fd, F_GETLK, F_WRLCK, 0, 10);
	in_child(child_probe_basic);

	R("unlock [3,4)", setlk(fd, F_SETLK, F_UNLCK, SEEK_SET, 3, 1));
	in_child(child_probe_split);
	R("relock [3,4)", setlk(fd, F_SETLK, F_WRLCK, SEEK_SET, 3, 1));
	in_child(child_probe_merge);
	R("downgrade [0,10) to F_RDLCK", setlk(fd, F_SETLK, F_RDLCK, SEEK_SET, 0, 10));
	in_child(child_probe_downgrade);
	R("unlock all", setlk(fd, F_SETLK, F_UNLCK, SEEK_SET, 0, 0));

	lseek(fd, 50, SEEK_SET);
	R("SEEK_CUR -10 len 5", setlk(fd, F_SETLK, F_WRLCK, SEEK_CUR, -10, 5));
	R("SEEK_END -1 len 1", setlk(fd, F_SETLK, F_WRLCK, SEEK_END, -1, 1));
	R("start 20 len -5", setlk(fd, F_SETLK, F_WRLCK, SEEK_SET, 20, -5));
	R("start 200 len 0 (to EOF)", setlk(fd, F_SETLK, F_WRLCK, SEEK_SET, 200, 0));
	R("read lock [60,61)", setlk(fd, F_SETLK, F_RDLCK, SEEK_SET, 60, 1));
	in_child(child_probe_whence);

	/* closing any descriptor of the file drops the process's locks */
	int other = open("f", O_RDONLY);
	close(other);
	in_child(child_probe_empty);
	R("lock again", setlk(fd, F_SETLK, F_WRLCK, SEEK_SET, 0, 0));
	int d = dup(fd);
	close(d);
	in_child(child_probe_empty);
	R("lock again", setlk(fd, F_SETLK, F_WRLCK, SEEK_SET, 0, 0));
	d = dup(fd);
	dup2(ro, d); /* dup2 closes what d was: the file, so the locks go */
	in_child(child_probe_empty);
	close(d);

	/* released when the holder exits */
	in_child(child_lock_and_exit);
	getlk("after the child exited", fd, F_GETLK, F_WRLCK, 0, 0);

	blocking();
	deadlock();
	interrupted();

	R("main thread lock [0,10)", setlk(fd, F_SETLK, F_WRLCK, SEEK_SET, 0, 10));
	pthread_t th;
	pthread_create(&th, NULL, thread_fn, NULL);
	pthread_join(th, NULL);
	in_child(child_after_thread);
	setlk(fd, F_SETLK, F_UNLCK, SEEK_SET, 0, 0);

	thread_waits_for_child();
	ofd();
	return 0;
}
