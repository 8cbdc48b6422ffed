/*
 * /proc/PID/fdinfo/N's lines of each kind of file beyond pos/flags/mnt_id/ino (Linux's
 * show_fdinfo): eventfd's count (hex, 16 wide), id and semaphore flag; epoll's line per
 * watched fd (events with EPOLLERR|EPOLLHUP, data, the file's pos); signalfd's mask;
 * timerfd's clock, unread ticks, settime flags, value and interval; pidfd's Pid and NSpid
 * (-1 once reaped); the locks set through the file (flock first, then POSIX and OFD).
 * Numbers that differ between runs (inode and device numbers, the
 * eventfd's system-wide id, pids, time left) are shown as what they say.
 */
#include "cf.h"
#include <signal.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/file.h>
#include <sys/signalfd.h>
#include <sys/timerfd.h>
#include <sys/wait.h>

static int
by_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static void
show(const char *label, int fd, pid_t pid)
{
	char p[64], b[4096], pidstr[16];
	snprintf(p, sizeof p, "/proc/self/fdinfo/%d", fd);
	snprintf(pidstr, sizeof pidstr, "%d", pid);
	ssize_t n = cf_read_text(p, b, sizeof b);
	if (n < 0) {
		printf("%s: %s\n", label, en(errno));
		return;
	}
	printf("%s:\n", label);
	/* epoll's lines come in the kernel's order (by file address): sorted here */
	char *tfd[16];
	int ntfd = 0;
	for (char *l = strtok(b, "\n"); l; l = strtok(NULL, "\n"))
		if (!strncmp(l, "tfd: ", 5) && ntfd < 16)
			tfd[ntfd++] = l;
	qsort(tfd, ntfd, sizeof(tfd[0]), by_str);
	for (int i = 0; i < ntfd; i++) {
		char *v = strstr(tfd[i], " ino:");
		if (v)
			*v = 0; /* ino and sdev: the kernel's own */
		printf("  %s ino: sdev:\n", tfd[i]);
	}
	for (char *l = b; l < b + n; l += strlen(l) + 1) {
		if (!*l || !strncmp(l, "mnt_id:", 7) || !strncmp(l, "ino:", 4))
			continue;
		if (!strncmp(l, "eventfd-id: ", 12)) {
			printf("  eventfd-id: a number %d\n", atoi(l + 12) >= 0);
		} else if (!strncmp(l, "tfd: ", 5)) {
			continue;
		} else if (!strncmp(l, "lock:\t", 6)) {
			int id, lpid;
			char kind[16], type[16], rest[64];
			if (sscanf(l, "lock:\t%d: %15s ADVISORY %15s %d %*s %63[^\n]", &id, kind, type,
				   &lpid, rest) == 5)
				printf("  lock: %d: %s %s %s (the file) %s\n", id, kind, type,
				       lpid == getpid() ? "self" : lpid == -1 ? "-1" : "other", rest);
			else
				printf("  %s ?\n", l);
		} else if (!strncmp(l, "it_value: (", 11)) {
			long long s = atoll(l + 11);
			printf("  it_value: %s\n", s == 0 ? "0" : s >= 97 && s <= 99 ? "97-99 s" : "?");
		} else if ((!strncmp(l, "Pid:\t", 5) || !strncmp(l, "NSpid:\t", 7)) &&
			   !strcmp(strchr(l, '\t') + 1, pidstr)) {
			printf("  %.*s\tthe child's pid\n", (int)(strchr(l, '\t') - l), l);
		} else {
			printf("  %s\n", l);
		}
	}
}

int
main(void)
{
	cf_init();
	setvbuf(stdout, NULL, _IOLBF, 0);
	int e1 = eventfd(5, EFD_NONBLOCK);
	show("eventfd 5", e1, 0);
	int e2 = eventfd(0, EFD_SEMAPHORE | EFD_CLOEXEC);
	uint64_t v = 0x123456789;
	write(e2, &v, sizeof v);
	show("eventfd semaphore after a write", e2, 0);

	int ep = epoll_create1(EPOLL_CLOEXEC);
	struct epoll_event ev = { .events = EPOLLIN, .data.u64 = 0xabcdef0123ULL };
	epoll_ctl(ep, EPOLL_CTL_ADD, e1, &ev);
	int fd = open("f", O_RDWR | O_CREAT, 0644);
	write(fd, "hello", 5);
	ev.events = EPOLLOUT | EPOLLET | EPOLLRDHUP;
	ev.data.u64 = 7;
	epoll_ctl(ep, EPOLL_CTL_ADD, e2, &ev);
	show("epoll with two", ep, 0);
	ev.events = EPOLLIN | EPOLLONESHOT;
	epoll_ctl(ep, EPOLL_CTL_MOD, e1, &ev);
	struct epoll_event out[4];
	printf("epoll_wait: %d\n", epoll_wait(ep, out, 4, 0));
	show("epoll after a oneshot fired", ep, 0);

	sigset_t m;
	sigemptyset(&m);
	sigaddset(&m, SIGUSR1);
	sigaddset(&m, SIGTERM);
	sigaddset(&m, SIGRTMIN + 3);
	int sf = signalfd(-1, &m, SFD_NONBLOCK);
	show("signalfd", sf, 0);
	sigaddset(&m, SIGKILL);
	signalfd(sf, &m, 0);
	show("signalfd with SIGKILL asked for", sf, 0);

	int tf = timerfd_create(CLOCK_MONOTONIC, 0);
	show("timerfd unarmed", tf, 0);
	struct itimerspec its = { .it_interval = { 2, 500 }, .it_value = { 99, 0 } };
	timerfd_settime(tf, 0, &its, NULL);
	show("timerfd armed", tf, 0);
	int tf2 = timerfd_create(CLOCK_REALTIME, TFD_NONBLOCK);
	struct timespec now;
	clock_gettime(CLOCK_REALTIME, &now);
	its.it_value.tv_sec = now.tv_sec - 10; /* long past: one tick */
	its.it_interval.tv_sec = 0;
	its.it_interval.tv_nsec = 0;
	timerfd_settime(tf2, TFD_TIMER_ABSTIME | TFD_TIMER_CANCEL_ON_SET, &its, NULL);
	show("timerfd absolute, expired", tf2, 0);

	/* locks: those set through this open file, by this process (POSIX) or the file */
	int lk = open("locked", O_RDWR | O_CREAT, 0644);
	struct flock fl = { .l_type = F_WRLCK, .l_whence = SEEK_SET, .l_start = 0, .l_len = 10 };
	fcntl(lk, F_SETLK, &fl);
	fl.l_type = F_RDLCK;
	fl.l_start = 100;
	fl.l_len = 0;
	fcntl(lk, F_SETLK, &fl);
	flock(lk, LOCK_SH);
	show("file with two POSIX locks and a flock", lk, 0);
	int lkdup = dup(lk);
	show("its dup", lkdup, 0);
	int lk2 = open("locked", O_RDWR);
	show("the same file opened again", lk2, 0);
	fl.l_type = F_WRLCK;
	fl.l_start = 50;
	fl.l_len = 5;
	fl.l_pid = 0;
	fcntl(lk2, F_OFD_SETLK, &fl);
	show("that one with an OFD lock", lk2, 0);

	pid_t pid = fork();
	if (pid == 0) {
		pause();
		_exit(0);
	}
	int pf = syscall(SYS_pidfd_open, pid, 0);
	show("pidfd", pf, pid);
	kill(pid, SIGKILL);
	usleep(100000);
	show("pidfd of a zombie", pf, pid);
	waitpid(pid, NULL, 0);
	show("pidfd reaped", pf, pid);
	return 0;
}
