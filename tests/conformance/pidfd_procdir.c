/* pidfd_send_signal takes a /proc/<pid> directory as a pidfd (Linux: tgid_pidfd_to_pid):
 * the signal arrives; a /proc/<pid>/task/<tid> directory, another /proc directory or a plain
 * file is EBADF; the directory of a process that is gone gives ESRCH. */
#include "cf.h"
#include <signal.h>
#include <sys/wait.h>

static volatile int got;

static void
on_usr1(int sig)
{
	got++;
}

static long
psig(int fd, int sig)
{
	return syscall(SYS_pidfd_send_signal, fd, sig, NULL, 0);
}

int
main(void)
{
	struct sigaction sa = { .sa_handler = on_usr1 };
	char path[64];
	int self, task, other, file, st;
	pid_t p;

	sigaction(SIGUSR1, &sa, NULL);
	self = open("/proc/self", O_RDONLY | O_DIRECTORY);
	R("signal 0 via /proc/self", psig(self, 0));
	R("SIGUSR1 via /proc/self", psig(self, SIGUSR1));
	printf("handler ran %d\n", got);
	snprintf(path, sizeof(path), "/proc/self/task/%d", (int)getpid());
	task = open(path, O_RDONLY | O_DIRECTORY);
	R("task dir", psig(task, 0));
	other = open("/proc/self/fd", O_RDONLY | O_DIRECTORY);
	R("fd dir", psig(other, 0));
	file = open("/proc/self/status", O_RDONLY);
	R("status file", psig(file, 0));
	R("bad fd", psig(-1, 0));
	R("read the dir", read(self, path, 1));
	p = fork();
	if (p == 0) {
		pause();
		_exit(0);
	}
	snprintf(path, sizeof(path), "/proc/%d", (int)p);
	other = open(path, O_RDONLY | O_DIRECTORY);
	R("SIGTERM to child dir", psig(other, SIGTERM));
	waitpid(p, &st, 0);
	printf("child signaled %d\n", WIFSIGNALED(st) ? WTERMSIG(st) : -1);
	R("reaped child dir", psig(other, 0));
	return 0;
}
