/* kill() with a thread's id signals its process; SIGCONT may be sent to any process of
 * the sender's session even without the permission other signals need. */
#include "cf.h"
#include <pthread.h>
#include <signal.h>
#include <sys/wait.h>

static volatile pid_t thread_tid;
static volatile int got;
static int gate[2];

static void
on_usr1(int sig)
{
	(void)sig;
	got++;
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
	int st;

	signal(SIGUSR1, on_usr1);
	pipe(gate);
	pthread_t th;
	pthread_create(&th, NULL, thr, NULL);
	while (!thread_tid)
		usleep(1000);
	R("kill(thread tid, 0)", kill(thread_tid, 0));
	R("kill(thread tid, SIGUSR1)", kill(thread_tid, SIGUSR1));
	for (int i = 0; i < 5000 && !got; i++)
		usleep(1000);
	YN("  delivered", got == 1);
	write(gate[1], "x", 1);
	pthread_join(th, NULL);

	int go[2];
	pipe(go);
	pid_t stopped = fork();
	if (stopped == 0) {
		char c;
		raise(SIGSTOP);
		read(go[0], &c, 1); /* (exits only once its continue was seen) */
		_exit(3);
	}
	setpgid(stopped, stopped);
	R("child stopped", waitpid(stopped, &st, WUNTRACED) == stopped && WIFSTOPPED(st));
	pid_t other = fork();
	if (other == 0) {
		int dropped = setresgid(65534, 65534, 65534) == 0 &&
			      setresuid(65534, 65534, 65534) == 0;
		int term = kill(stopped, SIGTERM) < 0 ? errno : 0;
		int cont = kill(stopped, SIGCONT) < 0 ? errno : 0;
		/* unprivileged: SIGTERM is EPERM, SIGCONT goes through */
		_exit(dropped ? (term == EPERM) * 2 + (cont == 0) : 4 + (cont == 0));
	}
	R("other child's verdict", waitpid(other, &st, 0) == other ? WEXITSTATUS(st) : -1);
	R("stopped child continued", waitpid(stopped, &st, WCONTINUED) == stopped && WIFCONTINUED(st));
	write(go[1], "x", 1);
	R("and exited", waitpid(stopped, &st, 0) == stopped && WIFEXITED(st) ? WEXITSTATUS(st) : -1);
	return 0;
}
