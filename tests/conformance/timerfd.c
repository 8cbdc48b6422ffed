/* timerfd: create/settime/gettime errors, one-shot and periodic expirations read as a
 * count, absolute times (past and future, both clocks), disarming, the old value,
 * TFD_IOC_SET_TICKS, non-blocking reads, poll/select/epoll readiness, a blocking read
 * woken by the expiry, and a timerfd shared with a forked child. */
#include "cf.h"
#include <poll.h>
#include <stdint.h>
#include <sys/epoll.h>
#include <sys/ioctl.h>
#include <sys/select.h>
#include <sys/timerfd.h>
#include <sys/wait.h>

#ifndef TFD_IOC_SET_TICKS
#define TFD_IOC_SET_TICKS _IOW('T', 0, uint64_t)
#endif

static struct itimerspec
its(long long value_ms, long long interval_ms)
{
	struct itimerspec v = {
		.it_value = { value_ms / 1000, (value_ms % 1000) * 1000000 },
		.it_interval = { interval_ms / 1000, (interval_ms % 1000) * 1000000 },
	};
	return v;
}

static int
readable(int fd, int ms)
{
	struct pollfd p = { .fd = fd, .events = POLLIN };
	int r = poll(&p, 1, ms);
	return r < 0 ? -1 : r ? p.revents : 0;
}

static long long
ticks(int fd)
{
	uint64_t v = 0;
	ssize_t r = read(fd, &v, sizeof(v));
	return r < 0 ? -1 : r != sizeof(v) ? -2 : (long long)v;
}

int
main(void)
{
	struct itimerspec v, old;
	uint64_t u;

	R("bad clock", timerfd_create(99, 0));
	R("CPU clock", timerfd_create(CLOCK_PROCESS_CPUTIME_ID, 0));
	R("bad flags", timerfd_create(CLOCK_MONOTONIC, 1));
	int fd = FD("monotonic", timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK | TFD_CLOEXEC));
	R("  F_GETFD", fcntl(fd, F_GETFD));
	R("  F_GETFL", fcntl(fd, F_GETFL) & (O_ACCMODE | O_NONBLOCK));
	R("  read unarmed", ticks(fd));
	R("  short read buffer", read(fd, &u, 4));
	R("  write", write(fd, &u, sizeof(u)));
	R("  lseek", lseek(fd, 0, SEEK_CUR));
	R("  gettime unarmed", timerfd_gettime(fd, &v));
	R("    value", v.it_value.tv_sec + v.it_value.tv_nsec);
	R("    interval", v.it_interval.tv_sec + v.it_interval.tv_nsec);

	v = its(100, 0);
	R("settime bad flags", timerfd_settime(fd, 4, &v, NULL));
	v.it_value.tv_nsec = 1000000000;
	R("settime nsec 1e9", timerfd_settime(fd, 0, &v, NULL));
	v = its(100, 0);
	v.it_interval.tv_sec = -1;
	R("settime negative interval", timerfd_settime(fd, 0, &v, NULL));
	v = its(100, 0);
	R("settime bad pointer", timerfd_settime(fd, 0, (void *)8, NULL));
	R("settime bad old pointer", timerfd_settime(fd, 0, &v, (void *)8));
	int p[2];
	pipe(p);
	R("settime on a pipe", timerfd_settime(p[0], 0, &v, NULL));
	R("gettime on a pipe", timerfd_gettime(p[0], &v));
	R("settime bad fd", timerfd_settime(99, 0, &v, NULL));
	R("gettime bad fd", timerfd_gettime(99, &v));
	R("gettime bad pointer", timerfd_gettime(fd, (void *)8));

	/* one shot, 60 ms */
	v = its(60, 0);
	R("one shot", timerfd_settime(fd, 0, &v, &old));
	R("  old value (after the failed sets: armed)", old.it_value.tv_sec > 0 || old.it_value.tv_nsec > 0);
	R("  not readable yet", readable(fd, 0));
	R("  read before expiry", ticks(fd));
	R("  gettime", timerfd_gettime(fd, &v));
	YN("    left in (0, 60 ms]", v.it_value.tv_sec == 0 && v.it_value.tv_nsec > 0 &&
				      v.it_value.tv_nsec <= 60000000);
	R("  readable after expiry", readable(fd, 5000));
	R("  ticks", ticks(fd));
	R("  read again", ticks(fd));
	R("  gettime after", timerfd_gettime(fd, &v));
	R("    value", v.it_value.tv_sec + v.it_value.tv_nsec);

	/* periodic: 10 ms, ~5 periods */
	v = its(10, 10);
	R("periodic", timerfd_settime(fd, 0, &v, NULL));
	usleep(55000);
	long long n = ticks(fd);
	YN("  ticks after 55 ms >= 4", n >= 4);
	R("  gettime", timerfd_gettime(fd, &v));
	R("    interval ns", v.it_interval.tv_nsec);
	YN("    left <= interval", v.it_value.tv_sec == 0 && v.it_value.tv_nsec <= 10000000);
	R("  TFD_IOC_SET_TICKS 0", ioctl(fd, TFD_IOC_SET_TICKS, &(uint64_t){ 0 }));
	v = its(0, 0);
	R("disarm", timerfd_settime(fd, 0, &v, &old));
	R("  old interval ns", old.it_interval.tv_nsec);
	R("  gettime", timerfd_gettime(fd, &v));
	R("    value", v.it_value.tv_sec + v.it_value.tv_nsec);
	R("  TFD_IOC_SET_TICKS 7", ioctl(fd, TFD_IOC_SET_TICKS, &(uint64_t){ 7 }));
	R("  readable", readable(fd, 0));
	R("  ticks", ticks(fd));
	R("  unknown ioctl", ioctl(fd, TFD_IOC_SET_TICKS + 1, &u));

	/* absolute: in the past (readable at once), then 30 ms ahead on each clock */
	struct timespec now;
	clock_gettime(CLOCK_MONOTONIC, &now);
	v = its(0, 0);
	v.it_value.tv_sec = now.tv_sec - 1;
	v.it_value.tv_nsec = now.tv_nsec;
	R("absolute, past", timerfd_settime(fd, TFD_TIMER_ABSTIME, &v, NULL));
	R("  readable", readable(fd, 0));
	R("  ticks", ticks(fd));
	int rt = FD("realtime, blocking", timerfd_create(CLOCK_REALTIME, 0));
	clock_gettime(CLOCK_REALTIME, &now);
	v = its(0, 0);
	v.it_value = now;
	v.it_value.tv_nsec += 30000000;
	if (v.it_value.tv_nsec >= 1000000000) {
		v.it_value.tv_nsec -= 1000000000;
		v.it_value.tv_sec++;
	}
	R("  absolute, ahead", timerfd_settime(rt, TFD_TIMER_ABSTIME | TFD_TIMER_CANCEL_ON_SET, &v, NULL));
	R("  blocking read", ticks(rt));
	int bt = FD("boottime", timerfd_create(CLOCK_BOOTTIME, 0));
	v = its(20, 0);
	R("  relative", timerfd_settime(bt, 0, &v, NULL));
	R("  blocking read", ticks(bt));

	/* select and epoll */
	v = its(20, 0);
	timerfd_settime(fd, 0, &v, NULL);
	fd_set rs;
	FD_ZERO(&rs);
	FD_SET(fd, &rs);
	struct timeval tv = { 5, 0 };
	R("select", select(fd + 1, &rs, NULL, NULL, &tv));
	YN("  set", FD_ISSET(fd, &rs));
	R("  ticks", ticks(fd));
	int ep = epoll_create1(0);
	struct epoll_event ev = { .events = EPOLLIN, .data.u32 = 42 }, out;
	epoll_ctl(ep, EPOLL_CTL_ADD, fd, &ev);
	R("epoll_wait unarmed", epoll_wait(ep, &out, 1, 0));
	v = its(20, 0);
	timerfd_settime(fd, 0, &v, NULL);
	R("epoll_wait", epoll_wait(ep, &out, 1, 5000));
	R("  data", out.data.u32);
	R("  events", out.events);
	R("  ticks", ticks(fd));
	R("epoll_wait after read", epoll_wait(ep, &out, 1, 0));
	/* edge-triggered on a periodic timer that is not read: one event (Linux moves an
	 * expired timer on only when it is read) */
	ev.events = EPOLLIN | EPOLLET;
	epoll_ctl(ep, EPOLL_CTL_MOD, fd, &ev);
	v = its(20, 20);
	timerfd_settime(fd, 0, &v, NULL);
	int events = 0;
	for (int i = 0; i < 5; i++)
		events += epoll_wait(ep, &out, 1, 50);
	R("edge-triggered events in 250 ms", events);
	YN("  ticks >= 5", ticks(fd) >= 5);
	v = its(0, 0);
	timerfd_settime(fd, 0, &v, NULL);

	/* shared with a child: it blocks reading until the parent arms the timer */
	int blocking = FD("shared", timerfd_create(CLOCK_MONOTONIC, 0));
	pid_t c = fork();
	if (c == 0)
		_exit((int)ticks(blocking));
	usleep(20000);
	v = its(20, 0);
	timerfd_settime(blocking, 0, &v, NULL);
	int st;
	waitpid(c, &st, 0);
	R("  child read", WIFEXITED(st) ? WEXITSTATUS(st) : -1);
	R("  parent read after", readable(blocking, 0));
	return 0;
}
