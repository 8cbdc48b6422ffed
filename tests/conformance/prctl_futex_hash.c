/*
 * PR_FUTEX_HASH (Linux 6.16): a process's private futex hash. None until a second thread
 * (then the default size), the size set (a power of two, not 1; no flags), 0 for the
 * global hash, after which it may not change (EBUSY); a forked child and an executed image
 * start without one. Futexes still work with each size.
 */
#include "cf.h"
#include <linux/futex.h>
#include <pthread.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>

#ifndef PR_FUTEX_HASH
#define PR_FUTEX_HASH 78
#endif
#define SET 1
#define GET 2

static void *
thread(void *arg)
{
	return arg;
}

/* a private futex wake with nobody waiting, and a wait on a changed word */
static void
use(const char *label)
{
	int word = 1;
	char l[64];

	snprintf(l, sizeof(l), "%s: wake", label);
	R(l, syscall(SYS_futex, &word, FUTEX_WAKE_PRIVATE, 1, NULL, NULL, 0));
	snprintf(l, sizeof(l), "%s: wait, word changed", label);
	R(l, syscall(SYS_futex, &word, FUTEX_WAIT_PRIVATE, 0, NULL, NULL, 0));
}

int
main(int argc, char **argv)
{
	pthread_t th;
	int st = -1;

	if (argc > 1) {
		R("exec: get", prctl(PR_FUTEX_HASH, GET, 0, 0, 0));
		return 0;
	}
	R("get", prctl(PR_FUTEX_HASH, GET, 0, 0, 0));
	R("get, arg3", prctl(PR_FUTEX_HASH, GET, 1, 0, 0));
	pthread_create(&th, NULL, thread, NULL);
	pthread_join(th, NULL);
	R("get after a thread", prctl(PR_FUTEX_HASH, GET, 0, 0, 0));
	R("set 3", prctl(PR_FUTEX_HASH, SET, 3, 0, 0));
	R("set 1", prctl(PR_FUTEX_HASH, SET, 1, 0, 0));
	R("set 8, arg4", prctl(PR_FUTEX_HASH, SET, 8, 1, 0));
	R("set 8", prctl(PR_FUTEX_HASH, SET, 8, 0, 0));
	R("get", prctl(PR_FUTEX_HASH, GET, 0, 0, 0));
	use("8 slots");
	R("set 4096", prctl(PR_FUTEX_HASH, SET, 4096, 0, 0));
	R("get", prctl(PR_FUTEX_HASH, GET, 0, 0, 0));
	use("4096 slots");
	R("set 0", prctl(PR_FUTEX_HASH, SET, 0, 0, 0));
	R("get", prctl(PR_FUTEX_HASH, GET, 0, 0, 0));
	use("global hash");
	R("set 64", prctl(PR_FUTEX_HASH, SET, 64, 0, 0));
	R("op 3", prctl(PR_FUTEX_HASH, 3, 0, 0, 0));
	fflush(stdout);
	pid_t pid = fork();
	if (pid == 0) {
		R("fork child: get", prctl(PR_FUTEX_HASH, GET, 0, 0, 0));
		fflush(stdout);
		_exit(0);
	}
	waitpid(pid, &st, 0);
	R("fork child status", st);
	fflush(stdout);
	execl("/proc/self/exe", argv[0], "exec", (char *)NULL);
	printf("execl: %s\n", en(errno));
	return 1;
}
