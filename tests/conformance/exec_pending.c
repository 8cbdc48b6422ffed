/*
 * Pending signals across execve (execve(2), signal(7)): the blocked mask and every pending
 * signal stay (queued real-time ones with their values, in order, and each siginfo), handled
 * signals go back to SIG_DFL, ignored ones stay ignored, the alternate stack is gone. Once
 * from the main thread, once from a second thread (the process's pending set survives).
 */
#include "cf.h"
#include <pthread.h>
#include <signal.h>

static void on_sig(int s) { (void)s; }

static const char *
code(int c)
{
	return c == SI_USER ? "SI_USER" : c == SI_QUEUE ? "SI_QUEUE" : c == SI_TKILL ? "SI_TKILL" :
	       "other";
}

static int
after(void)
{
	sigset_t p, m;
	struct sigaction sa;
	stack_t ss;

	sigpending(&p);
	sigprocmask(SIG_SETMASK, NULL, &m);
	printf("pending USR1 %d USR2 %d RTMIN %d TERM %d\n", sigismember(&p, SIGUSR1),
	       sigismember(&p, SIGUSR2), sigismember(&p, SIGRTMIN), sigismember(&p, SIGTERM));
	printf("blocked USR1 %d USR2 %d RTMIN %d\n", sigismember(&m, SIGUSR1),
	       sigismember(&m, SIGUSR2), sigismember(&m, SIGRTMIN));
	sigaction(SIGUSR1, NULL, &sa);
	printf("USR1 %s\n", sa.sa_handler == SIG_DFL ? "default" : "not default");
	sigaction(SIGUSR2, NULL, &sa);
	printf("USR2 %s\n", sa.sa_handler == SIG_IGN ? "ignored" : "not ignored");
	sigaltstack(NULL, &ss);
	printf("altstack disabled: %s\n", ss.ss_flags & SS_DISABLE ? "yes" : "no");
	struct timespec zero = { 0, 0 };
	siginfo_t si;
	int sig;
	while ((sig = sigtimedwait(&m, &si, &zero)) > 0)
		printf("took %d %s pid self %s value %d\n", sig, code(si.si_code),
		       si.si_pid == getpid() ? "yes" : "no",
		       si.si_code == SI_QUEUE ? si.si_value.sival_int : 0);
	printf("then: %s\n", en(errno));
	return 0;
}

static void
prepare(void)
{
	sigset_t m;
	sigemptyset(&m);
	sigaddset(&m, SIGUSR1);
	sigaddset(&m, SIGUSR2);
	sigaddset(&m, SIGRTMIN);
	sigprocmask(SIG_BLOCK, &m, NULL);
	signal(SIGUSR1, on_sig);
	signal(SIGUSR2, SIG_IGN);
	static char stack[65536];
	stack_t ss = { .ss_sp = stack, .ss_size = sizeof(stack) };
	sigaltstack(&ss, NULL);
	kill(getpid(), SIGUSR1);
	sigqueue(getpid(), SIGRTMIN, (union sigval){ .sival_int = 5 });
	sigqueue(getpid(), SIGRTMIN, (union sigval){ .sival_int = 6 });
	raise(SIGUSR2); /* this thread's own, ignored but blocked: it stays */
}

static char *self;

static void *
exec_thread(void *arg)
{
	(void)arg;
	execl(self, self, "after", (char *)NULL);
	printf("execl: %s\n", en(errno));
	return NULL;
}

int
main(int argc, char **argv)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (argc > 1 && !strcmp(argv[1], "after"))
		return after();
	self = argv[0];
	if (argc > 1 && !strcmp(argv[1], "thread")) {
		printf("from a second thread:\n");
		sigset_t m;
		sigemptyset(&m);
		sigaddset(&m, SIGUSR1);
		sigaddset(&m, SIGRTMIN);
		sigprocmask(SIG_BLOCK, &m, NULL);
		signal(SIGUSR1, on_sig);
		signal(SIGUSR2, SIG_IGN);
		kill(getpid(), SIGUSR1); /* the process's: stays */
		sigqueue(getpid(), SIGRTMIN, (union sigval){ .sival_int = 9 });
		sigaddset(&m, SIGUSR2);
		pthread_t th;
		pthread_create(&th, NULL, exec_thread, NULL);
		pthread_join(th, NULL);
		return 1;
	}
	printf("from the main thread:\n");
	pid_t c = fork();
	if (c == 0) {
		prepare();
		execl(self, self, "after", (char *)NULL);
		_exit(1);
	}
	int st;
	waitpid(c, &st, 0);
	c = fork();
	if (c == 0) {
		execl(self, self, "thread", (char *)NULL);
		_exit(1);
	}
	waitpid(c, &st, 0);
	printf("exit %d\n", WIFEXITED(st) ? WEXITSTATUS(st) : -1);
	return 0;
}
