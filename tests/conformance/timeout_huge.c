/*
 * Timeouts and timer values too large for 64-bit nanoseconds: Linux saturates them
 * (timespec64_to_ktime gives KTIME_MAX from KTIME_SEC_MAX seconds on, ktime_add_safe and
 * timespec64_add_safe clamp a deadline), so the call waits "forever" and the timer never
 * fires. Each call runs in a child; a call still waiting after 300 ms is "blocked" (an
 * overflowed value returned or fired at once). coreutils' `timeout 9223372036854775808`
 * timed out at once inside.
 */
#include "cf.h"
#include <limits.h>
#include <linux/futex.h>
#include <mqueue.h>
#include <poll.h>
#include <signal.h>
#include <sys/epoll.h>
#include <sys/select.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/timerfd.h>
#include <sys/wait.h>
#include <time.h>

static const struct timespec huge = { LLONG_MAX, 999999999 };
static const struct timespec big = { LLONG_MAX / 1000000000 + 1, 0 }; /* just past ktime */

/* Runs fn in a child; "blocked" if it has neither returned nor died after 300 ms. */
static void
check(const char *label, long (*fn)(void))
{
	int p[2];

	if (pipe(p) < 0)
		return;
	pid_t pid = fork();
	if (pid == 0) {
		close(p[0]);
		errno = 0;
		long r = fn();
		char msg[64];
		int n = snprintf(msg, sizeof(msg), "returned %ld %s", r, r < 0 ? en(errno) : "");
		if (write(p[1], msg, n) < 0)
			_exit(2);
		_exit(0);
	}
	close(p[1]);
	struct pollfd pf = { p[0], POLLIN, 0 };
	int r = poll(&pf, 1, 300);
	char buf[64] = "";
	if (r > 0) {
		ssize_t n = read(p[0], buf, sizeof(buf) - 1);
		buf[n > 0 ? n : 0] = 0;
	}
	kill(pid, SIGKILL);
	int st;
	waitpid(pid, &st, 0);
	close(p[0]);
	if (r == 0)
		printf("%s: blocked\n", label);
	else if (buf[0])
		printf("%s: %s\n", label, buf);
	else
		printf("%s: died of %s\n", label,
		       WIFSIGNALED(st) && WTERMSIG(st) != SIGKILL ? strsignal(WTERMSIG(st)) : "?");
}

static long t_nanosleep(void) { return nanosleep(&huge, NULL); }
static long t_nanosleep_big(void) { return nanosleep(&big, NULL); }
static long
t_clock_nanosleep_abs(void)
{
	int e = clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &huge, NULL);
	errno = e;
	return e ? -1 : 0;
}
static long
t_clock_nanosleep_rt(void)
{
	int e = clock_nanosleep(CLOCK_REALTIME, 0, &huge, NULL);
	errno = e;
	return e ? -1 : 0;
}
static long
t_ppoll(void)
{
	struct pollfd pf = { 0, 0, 0 };
	return ppoll(&pf, 1, &huge, NULL);
}
static long
t_pselect(void)
{
	return pselect(0, NULL, NULL, NULL, &huge, NULL);
}
static long
t_select(void)
{
	struct timeval tv = { LLONG_MAX, 999999 };
	return select(0, NULL, NULL, NULL, &tv);
}
static long
t_futex(void)
{
	static int word;
	return syscall(SYS_futex, &word, FUTEX_WAIT, 0, &huge, NULL, 0);
}
static long
t_futex_abs(void)
{
	static int word;
	return syscall(SYS_futex, &word, FUTEX_WAIT_BITSET, 0, &huge, NULL, FUTEX_BITSET_MATCH_ANY);
}
static long
t_sigtimedwait(void)
{
	sigset_t s;
	sigemptyset(&s);
	sigaddset(&s, SIGUSR1);
	sigprocmask(SIG_BLOCK, &s, NULL);
	return sigtimedwait(&s, NULL, &huge);
}
static long
t_epoll(void)
{
	int ep = epoll_create1(0);
	struct epoll_event ev;
	return syscall(SYS_epoll_pwait2, ep, &ev, 1, &huge, NULL, 8);
}
static long
t_timerfd(void)
{
	int fd = timerfd_create(CLOCK_MONOTONIC, 0);
	struct itimerspec its = { { 0, 0 }, huge };
	uint64_t n;
	if (timerfd_settime(fd, 0, &its, NULL) < 0)
		return -1;
	return read(fd, &n, sizeof(n));
}
static long
t_timerfd_big(void)
{
	int fd = timerfd_create(CLOCK_REALTIME, 0);
	struct itimerspec its = { big, big };
	uint64_t n;
	if (timerfd_settime(fd, 0, &its, NULL) < 0)
		return -1;
	return read(fd, &n, sizeof(n));
}
static long
wait_signal(int sig)
{
	sigset_t s;
	sigemptyset(&s);
	sigaddset(&s, sig);
	sigprocmask(SIG_BLOCK, &s, NULL);
	int got;
	return sigwait(&s, &got) ? -1 : got;
}
static long
t_timer(void)
{
	timer_t id;
	struct sigevent sev = { .sigev_notify = SIGEV_SIGNAL, .sigev_signo = SIGALRM };
	struct itimerspec its = { { 0, 0 }, huge };
	sigset_t s;
	sigemptyset(&s);
	sigaddset(&s, SIGALRM);
	sigprocmask(SIG_BLOCK, &s, NULL);
	if (timer_create(CLOCK_REALTIME, &sev, &id) < 0 || timer_settime(id, 0, &its, NULL) < 0)
		return -1;
	return wait_signal(SIGALRM);
}
static long
t_timer_abs_interval(void)
{
	timer_t id;
	struct sigevent sev = { .sigev_notify = SIGEV_SIGNAL, .sigev_signo = SIGALRM };
	struct itimerspec its = { huge, huge };
	sigset_t s;
	sigemptyset(&s);
	sigaddset(&s, SIGALRM);
	sigprocmask(SIG_BLOCK, &s, NULL);
	if (timer_create(CLOCK_MONOTONIC, &sev, &id) < 0 ||
	    timer_settime(id, TIMER_ABSTIME, &its, NULL) < 0)
		return -1;
	return wait_signal(SIGALRM);
}
static long
t_setitimer(void)
{
	struct itimerval v = { { 0, 0 }, { LLONG_MAX, 999999 } };
	sigset_t s;
	sigemptyset(&s);
	sigaddset(&s, SIGALRM);
	sigprocmask(SIG_BLOCK, &s, NULL);
	if (setitimer(ITIMER_REAL, &v, NULL) < 0)
		return -1;
	return wait_signal(SIGALRM);
}
static long
t_alarm(void)
{
	sigset_t s;
	sigemptyset(&s);
	sigaddset(&s, SIGALRM);
	sigprocmask(SIG_BLOCK, &s, NULL);
	alarm(UINT_MAX);
	return wait_signal(SIGALRM);
}
static long
t_rcvtimeo(void)
{
	int sv[2];
	struct timeval tv = { LLONG_MAX, 0 };
	char c;
	if (socketpair(AF_UNIX, SOCK_STREAM, 0, sv) < 0 ||
	    setsockopt(sv[0], SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv)) < 0)
		return -1;
	return read(sv[0], &c, 1);
}
static long
t_mq(void)
{
	struct mq_attr at = { .mq_maxmsg = 1, .mq_msgsize = 8 };
	char name[64], buf[8];
	snprintf(name, sizeof(name), "/cf_timeout_huge_%d", (int)getpid());
	mqd_t q = mq_open(name, O_CREAT | O_RDWR, 0600, &at);
	if (q == (mqd_t)-1)
		return -1;
	mq_unlink(name);
	return mq_timedreceive(q, buf, sizeof(buf), NULL, &huge);
}

int
main(void)
{
	setvbuf(stdout, NULL, _IONBF, 0);
	check("nanosleep", t_nanosleep);
	check("nanosleep past ktime", t_nanosleep_big);
	check("clock_nanosleep abstime", t_clock_nanosleep_abs);
	check("clock_nanosleep realtime", t_clock_nanosleep_rt);
	check("ppoll", t_ppoll);
	check("pselect", t_pselect);
	check("select", t_select);
	check("futex wait", t_futex);
	check("futex wait_bitset abs", t_futex_abs);
	check("sigtimedwait", t_sigtimedwait);
	check("epoll_pwait2", t_epoll);
	check("timerfd", t_timerfd);
	check("timerfd past ktime", t_timerfd_big);
	check("timer_settime", t_timer);
	check("timer_settime abs interval", t_timer_abs_interval);
	check("setitimer", t_setitimer);
	check("alarm", t_alarm);
	check("SO_RCVTIMEO", t_rcvtimeo);
	check("mq_timedreceive", t_mq);
	return 0;
}
