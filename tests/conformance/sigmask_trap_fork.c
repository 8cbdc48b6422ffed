/* A blocked SIGTRAP is inherited by fork and vfork children like any other blocked signal
 * (the sandbox runs the clone with SIGTRAP unblocked; the child must still get the
 * parent's mask), and survives their execve. */
#include "cf.h"
#include <signal.h>
#include <sys/wait.h>

static void
show(const char *what)
{
	sigset_t m;

	sigprocmask(SIG_SETMASK, NULL, &m);
	printf("%s: TRAP blocked %d, USR1 blocked %d\n", what, sigismember(&m, SIGTRAP),
	       sigismember(&m, SIGUSR1));
	fflush(stdout);
}

int
main(int argc, char **argv)
{
	if (argc > 1) {
		show("after execve");
		return 0;
	}
	sigset_t s;
	sigemptyset(&s);
	sigaddset(&s, SIGTRAP);
	sigaddset(&s, SIGUSR1);
	sigprocmask(SIG_BLOCK, &s, NULL);
	show("parent");
	pid_t c = fork();
	if (c == 0) {
		show("fork child");
		execl("/proc/self/exe", "x", "image", NULL);
		_exit(9);
	}
	waitpid(c, NULL, 0);
	show("parent after fork");
	c = vfork();
	if (c == 0) {
		show("vfork child");
		_exit(0);
	}
	waitpid(c, NULL, 0);
	return 0;
}
