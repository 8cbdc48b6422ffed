/* POSIX message queues: mq_open flags and attribute limits, priorities, O_NONBLOCK,
 * timeouts, EMSGSIZE, EBADF by access mode, blocking across processes, poll, mq_notify
 * with SIGEV_SIGNAL, mq_getsetattr, mq_unlink while open, permissions. */
#include "cf.h"
#include <mqueue.h>
#include <poll.h>
#include <sys/stat.h>
#include <signal.h>
#include <sys/wait.h>
#include <time.h>

static char name[64], name2[64];

static void
cleanup(void)
{
	mq_unlink(name);
	mq_unlink(name2);
}

static void
attrs(const char *label, mqd_t q)
{
	struct mq_attr at;
	if (mq_getattr(q, &at) < 0) {
		printf("%s: -1 %s\n", label, en(errno));
		return;
	}
	printf("%s: flags %#lx maxmsg %ld msgsize %ld curmsgs %ld\n", label, at.mq_flags,
	       at.mq_maxmsg, at.mq_msgsize, at.mq_curmsgs);
}

static void
rcv(const char *label, mqd_t q, size_t len)
{
	char buf[9000];
	unsigned prio = 99;
	errno = 0;
	ssize_t n = mq_receive(q, buf, len, &prio);
	if (n < 0)
		printf("%s: -1 %s\n", label, en(errno));
	else
		printf("%s: %zd prio %u \"%.*s\"\n", label, n, prio, (int)n, buf);
}

static short
pollev(mqd_t q)
{
	struct pollfd p = { q, POLLIN | POLLOUT, 0 };
	poll(&p, 1, 0);
	return p.revents;
}

/* Until pid sleeps in its call, and a little longer. */
static void
wait_sleeping(pid_t pid)
{
	cf_wait_sleeping(pid);
	usleep(10000);
}

static volatile sig_atomic_t got_sig, got_code, got_val;

static void
on_usr1(int s, siginfo_t *si, void *uc)
{
	(void)uc;
	got_sig = s;
	got_code = si->si_code;
	got_val = si->si_value.sival_int;
}

int
main(void)
{
	struct mq_attr at = { 0 };
	int st;

	cf_init();
	/* a name of this run's own (the queue namespace is the host's when run natively) */
	snprintf(name, sizeof(name), "/cf_%s", cf_dir + 5);
	snprintf(name2, sizeof(name2), "/cf2_%s", cf_dir + 5);
	atexit(cleanup);

	R("open missing", mq_open(name, O_RDWR));
	R("unlink missing", mq_unlink(name));
	at.mq_maxmsg = 0;
	at.mq_msgsize = 16;
	R("maxmsg 0", mq_open(name, O_RDWR | O_CREAT, 0600, &at));
	at.mq_maxmsg = 4;
	at.mq_msgsize = -1;
	R("msgsize -1", mq_open(name, O_RDWR | O_CREAT, 0600, &at));
	at.mq_msgsize = 16;
	mqd_t q = FD("create", mq_open(name, O_RDWR | O_CREAT | O_EXCL, 0640, &at));
	R("bad accmode existing", mq_open(name, O_ACCMODE));
	/* created with O_ACCMODE: Linux makes it, the descriptor neither sends nor receives */
	mqd_t q3 = FD("create accmode 3", mq_open(name2, O_ACCMODE | O_CREAT, 0600, &at));
	R("send on accmode 3", mq_send(q3, "x", 1, 0));
	rcv("receive on accmode 3", q3, 16);
	close(q3);
	mq_unlink(name2);
	R("EXCL again", mq_open(name, O_RDWR | O_CREAT | O_EXCL, 0600, &at));
	attrs("attrs", q);
	R("F_GETFD cloexec", fcntl(q, F_GETFD));
	printf("poll empty %#x\n", pollev(q));

	R("send big", mq_send(q, "0123456789abcdefg", 17, 0));
	R("send prio max", mq_send(q, "x", 1, 32768));
	R("send 1", mq_send(q, "low", 3, 1));
	R("send 5", mq_send(q, "high", 4, 5));
	R("send 1b", mq_send(q, "low2", 4, 1));
	R("send 3", mq_send(q, "mid", 3, 3));
	attrs("full", q);
	printf("poll full %#x\n", pollev(q));
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	ts.tv_nsec += 30 * 1000 * 1000;
	if (ts.tv_nsec >= 1000000000L) {
		ts.tv_sec++;
		ts.tv_nsec -= 1000000000L;
	}
	R("send timeout", mq_timedsend(q, "t", 1, 0, &ts));
	struct timespec bad = { 0, 2000000000L };
	R("send bad timeout", mq_timedsend(q, "t", 1, 0, &bad));
	rcv("small buffer", q, 15);
	rcv("r1", q, 16);
	rcv("r2", q, 16);
	rcv("r3", q, 16);
	rcv("r4", q, 16);
	printf("poll drained %#x\n", pollev(q));
	struct timespec past = { 1, 0 };
	R("receive past timeout", mq_timedreceive(q, (char[16]){ 0 }, 16, NULL, &past));

	/* O_NONBLOCK through mq_setattr */
	struct mq_attr nb = { .mq_flags = O_NONBLOCK }, old;
	OK("setattr", mq_setattr(q, &nb, &old));
	printf("old flags %#lx\n", old.mq_flags);
	attrs("nonblock", q);
	rcv("empty nonblock", q, 16);
	nb.mq_flags = 0;
	mq_setattr(q, &nb, NULL);

	/* access modes */
	mqd_t ro = FD("open ro", mq_open(name, O_RDONLY));
	mqd_t wo = FD("open wo", mq_open(name, O_WRONLY | O_NONBLOCK));
	R("send on ro", mq_send(ro, "x", 1, 0));
	rcv("receive on wo", wo, 16);
	R("send on wo", mq_send(wo, "via wo", 6, 2));
	rcv("receive on ro", ro, 16);
	attrs("wo attrs", wo);
	R("send bad fd", mq_send(12345, "x", 1, 0));
	R("send on pipe", ({ int p[2]; pipe(p); mq_send(p[0], "x", 1, 0); }));

	/* a receiver waiting in another process */
	pid_t c = fork();
	if (c == 0) {
		char buf[16];
		ssize_t n = mq_receive(ro, buf, 16, NULL);
		_exit(n == 5 && !memcmp(buf, "later", 5) ? 10 : 11);
	}
	usleep(30000);
	mq_send(q, "later", 5, 0);
	waitpid(c, &st, 0);
	printf("receiver: %d\n", WEXITSTATUS(st));

	/* a stop and continue restart a waiting mq_receive */
	c = fork();
	if (c == 0) {
		char buf[16];
		_exit(mq_receive(ro, buf, 16, NULL) == 4 ? 10 : errno);
	}
	cf_stop_cont(c);
	mq_send(q, "cont", 4, 0);
	waitpid(c, &st, 0);
	printf("mq_receive after stop/cont: %d\n", WEXITSTATUS(st));

	/* mq_notify: a signal when a message arrives in the empty queue, once */
	struct sigaction sa = { .sa_sigaction = on_usr1, .sa_flags = SA_SIGINFO };
	sigaction(SIGUSR1, &sa, NULL);
	struct sigevent ev = { .sigev_notify = SIGEV_SIGNAL, .sigev_signo = SIGUSR1 };
	ev.sigev_value.sival_int = 42;
	OK("notify", mq_notify(q, &ev));
	c = fork();
	if (c == 0)
		_exit(mq_notify(q, &ev) < 0 ? errno : 0);
	waitpid(c, &st, 0);
	printf("notify from other: %s\n", en(WEXITSTATUS(st)));
	c = fork();
	if (c == 0)
		_exit(mq_send(q, "n", 1, 0) < 0 ? 1 : 0);
	waitpid(c, &st, 0);
	for (int i = 0; i < 1000 && !got_sig; i++)
		usleep(1000);
	printf("signal %d code SI_MESGQ %d value %d\n", got_sig, got_code == SI_MESGQ, got_val);
	got_sig = 0;
	rcv("notified msg", q, 16);
	mq_send(q, "again", 5, 0);
	usleep(20000);
	printf("second signal %d\n", got_sig);
	rcv("again", q, 16);
	OK("notify again", mq_notify(q, &ev));
	/* a receiver waiting gets the message: no notification, which stays registered */
	c = fork();
	if (c == 0) {
		char buf[16];
		_exit(mq_receive(ro, buf, 16, NULL) == 4 ? 10 : 11);
	}
	wait_sleeping(c);
	mq_send(q, "wait", 4, 0);
	waitpid(c, &st, 0);
	usleep(20000);
	printf("receiver %d, signal with a receiver waiting %d\n", WEXITSTATUS(st), got_sig);
	c = fork();
	if (c == 0)
		_exit(mq_notify(q, &ev) < 0 ? errno : 0);
	waitpid(c, &st, 0);
	printf("still registered: %s\n", en(WEXITSTATUS(st)));
	/* closing any descriptor of the queue ends the process's registration */
	close(dup(q));
	c = fork();
	if (c == 0)
		_exit(mq_notify(q, &ev) < 0 ? errno : 0);
	waitpid(c, &st, 0);
	printf("after close of a dup: %s\n", en(WEXITSTATUS(st)));
	OK("notify once more", mq_notify(q, &ev));
	OK("notify off", mq_notify(q, NULL));
	ev.sigev_signo = 100;
	R("notify bad signo", mq_notify(q, &ev));
	ev.sigev_notify = 99;
	R("notify bad kind", mq_notify(q, &ev));

	/* read: the status line */
	char line[128] = "";
	ssize_t n = read(q, line, sizeof(line) - 1);
	printf("read %zd: %s", n, line);

	/* permissions: 0640 */
	c = fork();
	if (c == 0) {
		if (setresgid(65534, 65534, 65534) || setresuid(65534, 65534, 65534))
			_exit(3);
		R("other open ro", mq_open(name, O_RDONLY));
		R("other unlink (raw)", syscall(SYS_mq_unlink, name + 1));
		R("other unlink (glibc)", mq_unlink(name));
		at.mq_maxmsg = 11;
		at.mq_msgsize = 16;
		R("other maxmsg 11", mq_open(name2, O_RDWR | O_CREAT, 0600, &at));
		_exit(0);
	}
	waitpid(c, &st, 0);

	/* the descriptor: a regular file of the mqueue filesystem, named /NAME */
	struct stat sb;
	fstat(q, &sb);
	printf("fstat mode %o size %ld nlink %ld\n", sb.st_mode, (long)sb.st_size, (long)sb.st_nlink);
	char link[128] = "", fdp[64];
	snprintf(fdp, sizeof(fdp), "/proc/self/fd/%d", q);
	readlink(fdp, link, sizeof(link) - 1);
	YN("fd link is the name", !strcmp(link, name));
	OK("F_SETFL O_NONBLOCK", fcntl(q, F_SETFL, O_NONBLOCK));
	attrs("after F_SETFL", q);
	rcv("empty after F_SETFL", q, 16);
	fcntl(q, F_SETFL, 0);

	/* unlink while open: the name goes, the queue stays usable */
	OK("unlink", mq_unlink(name));
	fstat(q, &sb);
	printf("nlink after unlink %ld\n", (long)sb.st_nlink);
	R("open after unlink", mq_open(name, O_RDWR));
	R("send after unlink", mq_send(q, "still", 5, 0));
	rcv("recv after unlink", q, 16);
	mqd_t q2 = FD("default attrs", mq_open(name2, O_RDWR | O_CREAT | O_EXCL, 0600, NULL));
	attrs("defaults", q2);
	R("name with slash", mq_open("/a/b", O_RDWR | O_CREAT, 0600, NULL));
	R("empty name", syscall(SYS_mq_open, "", O_RDWR, 0, NULL));
	R("name efault", syscall(SYS_mq_open, (void *)8, O_RDWR, 0, NULL));
	OK("unlink 2", mq_unlink(name2));
	return 0;
}
