/*
 * RLIMIT_CPU: a process that spins past its soft limit gets SIGXCPU (its default action
 * ends it), one that ignores SIGXCPU is killed at the hard limit, and a child inherits the
 * limit across fork and exec (the CPU clock of the exec'd image goes on).
 */
#include "cf.h"
#include <signal.h>
#include <sys/resource.h>
#include <sys/wait.h>

static void
spin(void)
{
	for (volatile unsigned long x = 0;; x++)
		;
}

static void
report(const char *label, pid_t p)
{
	int st = 0;

	if (waitpid(p, &st, 0) != p) {
		printf("%s: waitpid %s\n", label, en(errno));
		return;
	}
	if (WIFSIGNALED(st))
		printf("%s: killed by %s\n", label, sigabbrev_np(WTERMSIG(st)));
	else
		printf("%s: exit %d\n", label, WEXITSTATUS(st));
}

int
main(int argc, char **argv)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (argc > 1 && !strcmp(argv[1], "spin"))
		spin();

	struct rlimit l = { 1, 2 }, got;
	pid_t p = fork();
	if (p == 0) {
		setrlimit(RLIMIT_CPU, &l);
		spin();
	}
	report("soft limit", p);

	p = fork();
	if (p == 0) {
		signal(SIGXCPU, SIG_IGN);
		setrlimit(RLIMIT_CPU, &l);
		spin();
	}
	report("hard limit, SIGXCPU ignored", p);

	p = fork();
	if (p == 0) {
		setrlimit(RLIMIT_CPU, &l);
		pid_t q = fork();
		if (q == 0) {
			getrlimit(RLIMIT_CPU, &got);
			printf("inherited: %ld %ld\n", (long)got.rlim_cur, (long)got.rlim_max);
			execl("/proc/self/exe", argv[0], "spin", (char *)NULL);
			_exit(99);
		}
		report("grandchild after exec", q);
		_exit(0);
	}
	report("child", p);
	return 0;
}
