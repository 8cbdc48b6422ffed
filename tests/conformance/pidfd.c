/* pidfds: pidfd_open of a child, poll readable once it exited, waitid(P_PIDFD), signals through
 * pidfd_send_signal, the errors (bad flags, missing pid, a thread, not a pidfd). */
#include "cf.h"
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <sys/wait.h>

#ifndef P_PIDFD
#define P_PIDFD 3
#endif

static int
pidfd_open_(pid_t pid, unsigned flags)
{
	return (int)syscall(SYS_pidfd_open, pid, flags);
}

static int
send_(int fd, int sig, siginfo_t *info, unsigned flags)
{
	return (int)syscall(SYS_pidfd_send_signal, fd, sig, info, flags);
}

static volatile pid_t thread_tid;
static volatile int stop_thread;

static void *
thr(void *arg)
{
	(void)arg;
	thread_tid = gettid();
	while (!stop_thread)
		usleep(1000);
	return NULL;
}

static int
readable(int fd, int ms)
{
	struct pollfd p = { .fd = fd, .events = POLLIN };
	int r = poll(&p, 1, ms);
	return r < 0 ? -1 : r ? p.revents : 0;
}

int
main(void)
{
	siginfo_t si;
	int p[2];

	R("bad flags", pidfd_open_(getpid(), 1));
	R("pid 0", pidfd_open_(0, 0));
	R("pid -1", pidfd_open_(-1, 0));
	R("missing pid", pidfd_open_(999999, 0));
	int self = FD("own process", pidfd_open_(getpid(), 0));
	R("F_GETFD cloexec", fcntl(self, F_GETFD) & FD_CLOEXEC);
	R("F_GETFL", fcntl(self, F_GETFL) & (O_ACCMODE | O_NONBLOCK));
	char b[8];
	R("read", read(self, b, sizeof(b)));
	R("own process not readable", readable(self, 0));
	R("signal 0 to itself", send_(self, 0, NULL, 0));
	R("bad send flags", send_(self, 0, NULL, 8));
	R("two scopes", send_(self, 0, NULL, 3));
	R("bad signal", send_(self, 65, NULL, 0));
	R("not a pidfd", send_(0, 0, NULL, 0));
	R("closed fd", send_(99, 0, NULL, 0));
	memset(&si, 0, sizeof(si));
	si.si_signo = SIGUSR1;
	si.si_code = SI_QUEUE;
	R("info with another signal", send_(self, SIGUSR2, &si, 0));
	signal(SIGUSR1, SIG_IGN);
	R("queued info to itself", send_(self, SIGUSR1, &si, 0));
	R("bad info pointer", send_(self, SIGUSR1, (void *)8, 0));

	pthread_t th;
	pthread_create(&th, NULL, thr, NULL);
	while (!thread_tid)
		usleep(1000);
	R("a thread's tid", pidfd_open_(thread_tid, 0));
	stop_thread = 1;
	pthread_join(th, NULL);

	/* a child that waits for us, then exits 7 */
	pipe(p);
	pid_t c = fork();
	if (c == 0) {
		char x;
		close(p[1]);
		read(p[0], &x, 1);
		_exit(7);
	}
	close(p[0]);
	int fd = FD("child", pidfd_open_(c, 0));
	int nb = FD("child nonblocking", pidfd_open_(c, O_NONBLOCK));
	R("nonblocking F_GETFL", fcntl(nb, F_GETFL) & (O_ACCMODE | O_NONBLOCK));
	R("running child not readable", readable(fd, 0));
	memset(&si, 0, sizeof(si));
	R("waitid WNOHANG running", waitid(P_PIDFD, fd, &si, WEXITED | WNOHANG));
	R("  si_pid 0", si.si_pid);
	R("waitid nonblocking pidfd", waitid(P_PIDFD, nb, &si, WEXITED));
	R("waitid not a pidfd", waitid(P_PIDFD, 0, &si, WEXITED));
	R("waitid negative fd", waitid(P_PIDFD, -1, &si, WEXITED));
	close(p[1]);
	R("exited child readable", readable(fd, 10000) & (POLLIN | POLLHUP));
	R("nonblocking readable", readable(nb, 0) & (POLLIN | POLLHUP));
	memset(&si, 0, sizeof(si));
	R("waitid WNOWAIT", waitid(P_PIDFD, fd, &si, WEXITED | WNOWAIT));
	R("  code", si.si_code == CLD_EXITED);
	R("  status", si.si_status);
	YN("  pid", si.si_pid == c);
	R("signal to a zombie", send_(fd, SIGTERM, NULL, 0));
	R("waitid", waitid(P_PIDFD, fd, &si, WEXITED));
	R("  status", si.si_status);
	R("reaped child readable", readable(fd, 0));
	R("waitid again", waitid(P_PIDFD, fd, &si, WEXITED));
	R("signal to a reaped child", send_(fd, 0, NULL, 0));
	R("open reaped pid", pidfd_open_(c, 0));

	/* a child killed through its pidfd */
	c = fork();
	if (c == 0) {
		for (;;)
			pause();
	}
	fd = FD("sleeper", pidfd_open_(c, 0));
	memset(&si, 0, sizeof(si));
	si.si_signo = SIGKILL;
	si.si_code = SI_USER;
	R("forged SI_USER to another", send_(fd, SIGKILL, &si, 0));
	R("SIGKILL", send_(fd, SIGKILL, NULL, 0));
	R("readable", readable(fd, 10000) & (POLLIN | POLLHUP));
	memset(&si, 0, sizeof(si));
	R("waitid", waitid(P_PIDFD, fd, &si, WEXITED));
	R("  code", si.si_code == CLD_KILLED);
	R("  signal", si.si_status);
	return 0;
}
