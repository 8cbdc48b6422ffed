/* A thread pinned with sched_setaffinity runs on that CPU: sched_getcpu (the vDSO or
 * rseq's cpu_id) names it, in a forked child too and after execve; putting the full mask
 * back succeeds. (The sandbox's own placement of its threads must give way.) */
#include "cf.h"
#include <sched.h>
#include <sys/wait.h>

int
main(int argc, char **argv)
{
	cpu_set_t orig, one;

	if (argc > 1) {
		printf("  after execve on the pinned cpu: %s\n",
		       sched_getcpu() == atoi(argv[1]) ? "yes" : "no");
		return 0;
	}
	R("sched_getaffinity", sched_getaffinity(0, sizeof(orig), &orig) < 0 ? -1 : 0);
	for (int i = 0; i < CPU_SETSIZE; i++) {
		if (!CPU_ISSET(i, &orig))
			continue;
		CPU_ZERO(&one);
		CPU_SET(i, &one);
		if (sched_setaffinity(0, sizeof(one), &one) < 0) {
			printf("pin to cpu: %s\n", strerror(errno));
			continue;
		}
		int agree = 1;
		for (int k = 0; k < 2000; k++)
			agree &= sched_getcpu() == i;
		printf("pinned: sched_getcpu agrees %s\n", agree ? "yes" : "no");
		fflush(stdout);
		pid_t c = fork();
		if (c == 0) {
			char arg[16];
			printf("  child on the pinned cpu: %s\n", sched_getcpu() == i ? "yes" : "no");
			fflush(stdout);
			snprintf(arg, sizeof(arg), "%d", i);
			execl("/proc/self/exe", "sched_getcpu_pin", arg, (char *)NULL);
			_exit(1);
		}
		int st;
		waitpid(c, &st, 0);
		printf("  child status %d\n", WEXITSTATUS(st));
	}
	R("full mask back", sched_setaffinity(0, sizeof(orig), &orig));
	return 0;
}
