/* clone's CLONE_PIDFD (legacy clone and clone3: where the fd goes, close-on-exec, not in
 * the child's table, the flag conflicts, a bad pointer fails the whole clone), thread pidfds
 * (PIDFD_THREAD: readable when that thread exits, signals go to that thread) and
 * pidfd_send_signal's scopes (PIDFD_SIGNAL_THREAD_GROUP, PIDFD_SIGNAL_PROCESS_GROUP). */
#include "cf.h"
#include <linux/sched.h>
#include <poll.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <sys/wait.h>

#ifndef P_PIDFD
#define P_PIDFD 3
#endif
#ifndef PIDFD_THREAD
#define PIDFD_THREAD O_EXCL
#endif
#define SCOPE_THREAD 1U
#define SCOPE_THREAD_GROUP 2U
#define SCOPE_PROCESS_GROUP 4U

static int
readable(int fd)
{
	struct pollfd p = { .fd = fd, .events = POLLIN };
	int r = poll(&p, 1, 0);
	return r < 0 ? -1 : r ? p.revents : 0;
}

static int
wait_readable(int fd)
{
	struct pollfd p = { .fd = fd, .events = POLLIN };
	int r = poll(&p, 1, 10000);
	return r < 0 ? -1 : r ? p.revents : 0;
}

static long
clone3_(struct clone_args *ca)
{
	return syscall(SYS_clone3, ca, sizeof(*ca));
}

static long
clone_legacy(unsigned long flags, void *ptid)
{
	/* fork-like: no new stack, so the child returns here as 0 */
	return syscall(SYS_clone, flags, 0, ptid, 0, 0);
}

static volatile pid_t thread_tid;
static volatile pid_t handler_tid;
static int gate[2];

static void
on_usr1(int sig)
{
	(void)sig;
	handler_tid = gettid();
}

static void *
thr(void *arg)
{
	char c;
	(void)arg;
	thread_tid = gettid();
	read(gate[0], &c, 1);
	return NULL;
}

int
main(void)
{
	siginfo_t si;
	int pidfd = -1, p[2];

	/* clone3: the pidfd in the parent only, close-on-exec */
	pipe(p);
	struct clone_args ca = { .flags = CLONE_PIDFD, .pidfd = (unsigned long)&pidfd,
				 .exit_signal = SIGCHLD };
	long c = clone3_(&ca);
	if (c == 0) {
		char x;
		/* the parent's new fd number must not be open here */
		x = fcntl(pidfd, F_GETFD) < 0 && errno == EBADF ? 'y' : 'n';
		write(p[1], &x, 1);
		_exit(5);
	}
	close(p[1]); /* (a failed clone must not leave the read below waiting) */
	R("clone3 pidfd", c > 0);
	YN("  fd returned", pidfd >= 0);
	R("  F_GETFD", fcntl(pidfd, F_GETFD));
	R("  F_GETFL", fcntl(pidfd, F_GETFL) & (O_ACCMODE | O_NONBLOCK | O_EXCL));
	char x = 0;
	read(p[0], &x, 1);
	YN("  not in the child's table", x == 'y');
	R("  readable once exited", wait_readable(pidfd) & POLLIN);
	memset(&si, 0, sizeof(si));
	R("  waitid P_PIDFD", waitid(P_PIDFD, pidfd, &si, WEXITED));
	R("  status", si.si_status);
	YN("  pid", si.si_pid == c);
	close(pidfd);

	/* legacy clone: the pidfd goes to the parent_tid word */
	pidfd = -1;
	c = clone_legacy(CLONE_PIDFD | SIGCHLD, &pidfd);
	if (c == 0)
		_exit(6);
	R("clone pidfd", c > 0);
	YN("  fd returned", pidfd >= 0);
	R("  waitid P_PIDFD", waitid(P_PIDFD, pidfd, &si, WEXITED));
	R("  status", si.si_status);
	close(pidfd);
	R("clone PIDFD|PARENT_SETTID", clone_legacy(CLONE_PIDFD | CLONE_PARENT_SETTID | SIGCHLD, &pidfd));
	R("clone PIDFD|DETACHED", clone_legacy(CLONE_PIDFD | CLONE_DETACHED | SIGCHLD, &pidfd));
	int tid = 0;
	struct clone_args same = { .flags = CLONE_PIDFD | CLONE_PARENT_SETTID,
				   .pidfd = (unsigned long)&tid, .parent_tid = (unsigned long)&tid,
				   .exit_signal = SIGCHLD };
	R("clone3 pidfd == parent_tid", clone3_(&same));
	/* a pidfd pointer that faults: no child at all */
	struct clone_args bad = { .flags = CLONE_PIDFD, .pidfd = 8, .exit_signal = SIGCHLD };
	errno = 0;
	c = clone3_(&bad);
	if (c == 0)
		_exit(0);
	int e = errno;
	R("clone3 bad pidfd pointer", (errno = e, c));
	R("  no child made", waitpid(-1, NULL, WNOHANG));

	/* thread pidfds */
	pipe(gate);
	signal(SIGUSR1, on_usr1);
	pthread_t th;
	pthread_create(&th, NULL, thr, NULL);
	while (!thread_tid)
		usleep(1000);
	int tfd = FD("PIDFD_THREAD", (int)syscall(SYS_pidfd_open, thread_tid, PIDFD_THREAD));
	R("  F_GETFL", fcntl(tfd, F_GETFL) & (O_ACCMODE | O_NONBLOCK | O_EXCL));
	R("  running thread not readable", readable(tfd));
	int self = FD("own thread", (int)syscall(SYS_pidfd_open, gettid(), PIDFD_THREAD));
	R("  own thread not readable", readable(self));
	R("  signal through it", syscall(SYS_pidfd_send_signal, tfd, SIGUSR1, NULL, 0));
	for (int i = 0; i < 10000 && !handler_tid; i++)
		usleep(100);
	YN("  taken by that thread", handler_tid == thread_tid);
	handler_tid = 0;
	R("  scope THREAD_GROUP", syscall(SYS_pidfd_send_signal, tfd, 0, NULL, SCOPE_THREAD_GROUP));
	int pfd = FD("process pidfd", (int)syscall(SYS_pidfd_open, getpid(), 0));
	R("  scope THREAD (the leader)", syscall(SYS_pidfd_send_signal, pfd, SIGUSR1, NULL, SCOPE_THREAD));
	YN("  taken by the main thread", handler_tid == gettid());
	write(gate[1], "x", 1);
	pthread_join(th, NULL);
	R("  exited thread readable", wait_readable(tfd) & (POLLIN | POLLRDNORM | POLLHUP));
	R("  signal to an exited thread", syscall(SYS_pidfd_send_signal, tfd, 0, NULL, 0));
	R("  open an exited thread", syscall(SYS_pidfd_open, thread_tid, PIDFD_THREAD));
	R("  waitid on a thread pidfd", waitid(P_PIDFD, tfd, &si, WEXITED | WNOHANG));

	/* PIDFD_SIGNAL_PROCESS_GROUP: both members of a group */
	pid_t a = fork();
	if (a == 0) {
		setpgid(0, 0);
		for (;;)
			pause();
	}
	setpgid(a, a);
	pid_t b = fork();
	if (b == 0) {
		setpgid(0, a);
		for (;;)
			pause();
	}
	setpgid(b, a);
	int afd = FD("group leader's pidfd", (int)syscall(SYS_pidfd_open, a, 0));
	R("  to the process group", syscall(SYS_pidfd_send_signal, afd, SIGTERM, NULL, SCOPE_PROCESS_GROUP));
	int st;
	R("  leader", waitpid(a, &st, 0) == a && WIFSIGNALED(st) ? WTERMSIG(st) : -1);
	R("  member", waitpid(b, &st, 0) == b && WIFSIGNALED(st) ? WTERMSIG(st) : -1);
	return 0;
}
