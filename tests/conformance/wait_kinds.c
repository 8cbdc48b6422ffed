/* wait's less common cases: children of a parent ignoring SIGCHLD (or with SA_NOCLDWAIT)
 * leave no zombie; waitid without WEXITED does not count an exited child; __WNOTHREAD
 * sees only the calling thread's children; a child that died traced by its parent is
 * waited for with __WCLONE. */
#include "cf.h"
#include <pthread.h>
#include <signal.h>
#include <sys/ptrace.h>
#include <sys/wait.h>

static volatile int handled;
static pid_t thread_child;
static int gate[2], done_pipe[2];

static void
on_chld(int sig)
{
	(void)sig;
	handled++;
}

static void *
thr(void *arg)
{
	char c;
	int st;
	(void)arg;
	thread_child = fork();
	if (thread_child == 0)
		_exit(7);
	write(done_pipe[1], "r", 1);
	read(gate[0], &c, 1); /* the main thread has tried */
	R("thread waits for its own child, __WNOTHREAD",
	  waitpid(thread_child, &st, __WNOTHREAD) == thread_child ? WEXITSTATUS(st) : -1);
	return NULL;
}

int
main(void)
{
	struct sigaction sa = { .sa_handler = SIG_IGN };
	siginfo_t si;
	int st;

	/* SIG_IGN: the child is gone once it ended; wait blocks until then, then ECHILD */
	sigaction(SIGCHLD, &sa, NULL);
	pid_t c = fork();
	if (c == 0)
		_exit(1);
	R("SIG_IGN: wait", wait(&st));
	R("SIG_IGN: waitid", waitid(P_ALL, 0, &si, WEXITED | WNOHANG));

	/* SA_NOCLDWAIT with a handler: no zombie either, but the signal comes */
	sa.sa_handler = on_chld;
	sa.sa_flags = SA_NOCLDWAIT | SA_RESTART;
	sigaction(SIGCHLD, &sa, NULL);
	c = fork();
	if (c == 0)
		_exit(2);
	R("SA_NOCLDWAIT: wait", wait(&st));
	YN("SA_NOCLDWAIT: SIGCHLD handled", handled == 1);

	sa.sa_handler = SIG_DFL;
	sa.sa_flags = 0;
	sigaction(SIGCHLD, &sa, NULL);

	/* waitid(WSTOPPED) only: an exited child is no child to wait for */
	int p[2];
	pipe(p);
	c = fork();
	if (c == 0) {
		close(p[0]);
		_exit(3);
	}
	close(p[1]);
	char x;
	read(p[0], &x, 1); /* EOF: the child is ending */
	close(p[0]);
	/* (the child may not be a zombie yet: then the wait lasts until it is) */
	R("waitid WSTOPPED, exited child", waitid(P_ALL, 0, &si, WSTOPPED));
	R("waitid WEXITED after it", waitid(P_PID, c, &si, WEXITED) == 0 ? si.si_status : -1);

	/* __WNOTHREAD */
	pipe(gate);
	pipe(done_pipe);
	pthread_t th;
	pthread_create(&th, NULL, thr, NULL);
	read(done_pipe[0], &x, 1);
	R("main thread, __WNOTHREAD", waitpid(thread_child, &st, __WNOTHREAD));
	R("main thread, __WNOTHREAD|WNOHANG any", waitpid(-1, &st, __WNOTHREAD | WNOHANG));
	write(gate[1], "x", 1);
	pthread_join(th, NULL);

	/* a child that died traced by its parent: __WCLONE takes it */
	pipe(p);
	c = fork();
	if (c == 0) {
		close(p[0]);
		ptrace(PTRACE_TRACEME, 0, NULL, NULL);
		close(p[1]);
		_exit(4);
	}
	close(p[1]);
	read(p[0], &x, 1);
	int r = wait4(c, &st, __WCLONE, NULL);
	YN("traced child, __WCLONE", r == c && WIFEXITED(st) && WEXITSTATUS(st) == 4);
	R("nothing left", waitpid(-1, &st, WNOHANG));
	return 0;
}
