/*
 * signalfd and sigtimedwait: the siginfo they report (kill's SI_USER, tkill's SI_TKILL,
 * sigqueue's value, SIGCHLD's CLD_EXITED and status, each with the sender's pid and uid);
 * reads take several signals, standard signals coalesce and realtime ones queue; poll and
 * epoll readiness; a blocking read woken by another process; the mask can be changed;
 * argument errors. sigtimedwait: timeouts, EINVAL, EINTR by a handled signal.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/signalfd.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static const char *
code_name(int code)
{
	switch (code) {
	case SI_USER: return "SI_USER";
	case SI_TKILL: return "SI_TKILL";
	case SI_QUEUE: return "SI_QUEUE";
	case SI_KERNEL: return "SI_KERNEL";
	case CLD_EXITED: return "CLD_EXITED";
	case CLD_KILLED: return "CLD_KILLED";
	default: return "other";
	}
}

static void
show(const char *label, const struct signalfd_siginfo *s, int sig, pid_t pid)
{
	printf("%s: signo %s, %s, pid %s, uid %s\n", label, (int)s->ssi_signo == sig ? "ok" : "wrong",
	       code_name(s->ssi_code), (pid_t)s->ssi_pid == pid ? "match" : "mismatch",
	       s->ssi_uid == getuid() ? "match" : "mismatch");
}

static void
result(const char *label, long r)
{
	printf("%s: %ld %s\n", label, r, r < 0 ? strerrorname_np(errno) : "");
}

static volatile sig_atomic_t handled;

static void
on_usr2(int sig)
{
	handled = sig;
}

int
main(void)
{
	struct signalfd_siginfo s[4];
	pid_t me = getpid();
	sigset_t mask;

	sigemptyset(&mask);
	sigaddset(&mask, SIGUSR1);
	sigaddset(&mask, SIGCHLD);
	sigaddset(&mask, SIGRTMIN);
	sigprocmask(SIG_BLOCK, &mask, NULL);

	errno = 0;
	result("bad flags", signalfd(-1, &mask, 0x4000));
	errno = 0;
	result("bad size", syscall(SYS_signalfd4, -1, &mask, 4, 0));
	errno = 0;
	result("not a signalfd", signalfd(1, &mask, 0));
	errno = 0;
	result("bad fd", signalfd(99, &mask, 0));
	errno = 0;
	result("bad mask pointer", syscall(SYS_signalfd4, -1, (void *)8, 8, 0));

	int fd = signalfd(-1, &mask, SFD_NONBLOCK | SFD_CLOEXEC);
	printf("signalfd: %s\n", fd >= 0 ? "ok" : strerrorname_np(errno));
	printf("cloexec: %s\n", fcntl(fd, F_GETFD) & FD_CLOEXEC ? "yes" : "no");
	errno = 0;
	result("read empty", read(fd, s, sizeof(s)));
	errno = 0;
	result("read short buffer", read(fd, s, sizeof(s[0]) - 1));
	errno = 0;
	result("write", write(fd, s, sizeof(s[0])));
	struct pollfd p = { .fd = fd, .events = POLLIN };
	printf("poll empty: %d\n", poll(&p, 1, 0));

	kill(me, SIGUSR1);
	kill(me, SIGUSR1); /* a standard signal pending once */
	p.revents = 0;
	int n = poll(&p, 1, 0);
	printf("poll after kill: %d revents %#x\n", n, p.revents);
	printf("read one: %zd\n", read(fd, s, sizeof(s)));
	show("kill self", &s[0], SIGUSR1, me);
	errno = 0;
	result("coalesced", read(fd, s, sizeof(s)));

	syscall(SYS_tgkill, me, syscall(SYS_gettid), SIGUSR1);
	sigqueue(me, SIGRTMIN, (union sigval){ .sival_int = 5 });
	sigqueue(me, SIGRTMIN, (union sigval){ .sival_int = 6 });
	printf("read three: %zd\n", read(fd, s, sizeof(s)) / (ssize_t)sizeof(s[0]));
	show("tgkill self", &s[0], SIGUSR1, me);
	show("sigqueue 1", &s[1], SIGRTMIN, me);
	show("sigqueue 2", &s[2], SIGRTMIN, me);
	printf("values %d %d\n", s[1].ssi_int, s[2].ssi_int);

	/* from a child: kill, then its exit */
	pid_t c = fork();
	if (c == 0) {
		kill(getppid(), SIGUSR1);
		_exit(3);
	}
	waitpid(c, NULL, 0);
	printf("read two: %zd\n", read(fd, s, sizeof(s)) / (ssize_t)sizeof(s[0]));
	show("kill from child", &s[0], SIGUSR1, c); /* the lower number first */
	show("SIGCHLD", &s[1], SIGCHLD, c);
	printf("SIGCHLD status %d\n", s[1].ssi_status);

	/* a blocking read (another descriptor of the same kind) woken by a child's signal */
	int bfd = signalfd(-1, &mask, 0);
	c = fork();
	if (c == 0) {
		usleep(100000);
		kill(getppid(), SIGUSR1);
		_exit(0);
	}
	printf("blocking read: %zd\n", read(bfd, s, sizeof(s[0])));
	show("blocking read", &s[0], SIGUSR1, c);
	waitpid(c, NULL, 0);
	read(fd, s, sizeof(s)); /* its SIGCHLD */

	/* epoll */
	int ep = epoll_create1(0);
	struct epoll_event ev = { .events = EPOLLIN, .data.u32 = 7 }, out;
	epoll_ctl(ep, EPOLL_CTL_ADD, fd, &ev);
	printf("epoll empty: %d\n", epoll_wait(ep, &out, 1, 0));
	kill(me, SIGUSR1);
	n = epoll_wait(ep, &out, 1, 0);
	printf("epoll ready: %d data %u\n", n, out.data.u32);
	read(fd, s, sizeof(s));

	/* a new mask: SIGUSR1 no more */
	sigset_t only_rt;
	sigemptyset(&only_rt);
	sigaddset(&only_rt, SIGRTMIN);
	printf("change mask: %s\n", signalfd(fd, &only_rt, 0) == fd ? "same fd" : "other");
	kill(me, SIGUSR1);
	errno = 0;
	result("read other signal", read(fd, s, sizeof(s)));

	/* sigtimedwait takes the one left */
	siginfo_t si;
	struct timespec zero = { 0, 0 }, shortly = { 0, 50000000 }, bad = { 0, 1000000000 };
	result("sigtimedwait", sigtimedwait(&mask, &si, &zero));
	printf("sigtimedwait: %s pid %s\n", code_name(si.si_code), si.si_pid == me ? "match" : "mismatch");
	errno = 0;
	result("sigtimedwait nothing", sigtimedwait(&mask, &si, &zero));
	errno = 0;
	result("sigtimedwait timeout", sigtimedwait(&mask, &si, &shortly));
	errno = 0;
	result("sigtimedwait bad timeout", sigtimedwait(&mask, &si, &bad));
	errno = 0;
	result("sigtimedwait bad size", syscall(SYS_rt_sigtimedwait, &mask, &si, &zero, 4));

	/* interrupted by a handled signal outside the set */
	struct sigaction sa = { .sa_handler = on_usr2 };
	sigemptyset(&sa.sa_mask);
	sigaction(SIGUSR2, &sa, NULL);
	c = fork();
	if (c == 0) {
		usleep(100000);
		kill(getppid(), SIGUSR2);
		for (;;)
			pause();
	}
	errno = 0;
	result("sigwaitinfo interrupted", sigwaitinfo(&mask, &si));
	printf("handler ran: %s\n", handled == SIGUSR2 ? "yes" : "no");
	kill(c, SIGKILL);
	waitpid(c, NULL, 0);
	result("its SIGCHLD", sigwaitinfo(&mask, &si));
	printf("its SIGCHLD: %s status %d\n", code_name(si.si_code), si.si_status);
	/* and woken by a signal in the set from another process */
	c = fork();
	if (c == 0) {
		usleep(100000);
		sigqueue(getppid(), SIGRTMIN, (union sigval){ .sival_int = 9 });
		_exit(0);
	}
	result("sigwaitinfo woken", sigwaitinfo(&only_rt, &si) == SIGRTMIN);
	printf("sigwaitinfo woken: %s value %d pid %s\n", code_name(si.si_code), si.si_value.sival_int,
	       si.si_pid == c ? "match" : "mismatch");
	waitpid(c, NULL, 0);
	return 0;
}
