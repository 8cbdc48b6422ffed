/*
 * Children of a process that ignores SIGCHLD, or set SA_NOCLDWAIT, are reaped as they
 * exit: wait blocks until they are gone and then fails with ECHILD, no zombie is left,
 * and their usage does not reach RUSAGE_CHILDREN. With SA_NOCLDWAIT a handler still runs.
 */
#include <signal.h>
#include <sys/resource.h>
#include <sys/wait.h>

#include "cf.h"

static volatile int handled;

static void
on_chld(int sig)
{
	(void)sig;
	handled++;
}

static pid_t
spawn(int code)
{
	pid_t pid = fork();

	if (pid == 0) {
		volatile char big[256 * 1024];
		for (size_t i = 0; i < sizeof(big); i += 4096)
			big[i] = 1;
		_exit(code);
	}
	return pid;
}

int
main(void)
{
	struct sigaction sa = { 0 };
	struct rusage ru;
	int st;

	setvbuf(stdout, NULL, _IOLBF, 0);
	pid_t pid = fork();
	if (pid == 0) {
		sa.sa_handler = SIG_IGN;
		sigaction(SIGCHLD, &sa, NULL);
		pid_t c = spawn(3);
		R("waitpid ignored", waitpid(c, &st, 0));
		R("kill reaped child", kill(c, 0));
		R("wait any", wait(&st));
		getrusage(RUSAGE_CHILDREN, &ru);
		YN("children maxrss 0", ru.ru_maxrss == 0);
		_exit(0);
	}
	waitpid(pid, &st, 0);
	R("first part status", WEXITSTATUS(st));

	pid = fork();
	if (pid == 0) {
		sa.sa_handler = on_chld;
		sa.sa_flags = SA_NOCLDWAIT;
		sigaction(SIGCHLD, &sa, NULL);
		pid_t c = spawn(4);
		int r;
		do
			r = waitpid(c, &st, 0);
		while (r < 0 && errno == EINTR);
		printf("waitpid nocldwait: %d %s\n", r, r < 0 ? en(errno) : "");
		while (!handled)
			usleep(1000);
		YN("handler ran", handled == 1);
		_exit(0);
	}
	waitpid(pid, &st, 0);
	R("second part status", WEXITSTATUS(st));

	/* back to default: a zombie waits for its parent */
	pid = spawn(5);
	usleep(10000);
	R("zombie still there", kill(pid, 0));
	R("wait default", waitpid(pid, &st, 0) == pid ? WEXITSTATUS(st) : -1);
	return 0;
}
