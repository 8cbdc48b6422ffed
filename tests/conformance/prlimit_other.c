/*
 * prlimit64 on another process (prlimit --pid, what a supervisor does): reading and
 * setting its limits, which the process then sees as its own; a zombie's; the order of
 * Linux's checks (EFAULT for the new limit first, then ESRCH, then EINVAL; an EFAULT for
 * the old one after the new one is set).
 */
#include "cf.h"

#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/wait.h>

static long
pl(pid_t pid, int res, const void *nl, void *old)
{
	return syscall(SYS_prlimit64, pid, res, nl, old);
}

int
main(void)
{
	struct rlimit mine, r, n = { 64, 128 };
	int go[2], back[2];

	setvbuf(stdout, NULL, _IOLBF, 0);
	if (pipe(go) || pipe(back))
		return 1;
	getrlimit(RLIMIT_NOFILE, &mine);
	pid_t c = fork();
	if (c == 0) {
		char b;
		struct rlimit own;
		read(go[0], &b, 1);
		getrlimit(RLIMIT_NOFILE, &own);
		write(back[1], &own, sizeof(own));
		_exit(0);
	}
	R("get other", pl(c, RLIMIT_NOFILE, NULL, &r));
	YN("other's is the parent's", r.rlim_cur == mine.rlim_cur && r.rlim_max == mine.rlim_max);
	R("set other", pl(c, RLIMIT_NOFILE, &n, NULL));
	R("get other again", pl(c, RLIMIT_NOFILE, NULL, &r));
	printf("other's now: %lu %lu\n", (unsigned long)r.rlim_cur, (unsigned long)r.rlim_max);
	getrlimit(RLIMIT_NOFILE, &r);
	YN("own unchanged", r.rlim_cur == mine.rlim_cur && r.rlim_max == mine.rlim_max);
	write(go[1], "x", 1);
	if (read(back[0], &r, sizeof(r)) == sizeof(r))
		printf("other sees: %lu %lu\n", (unsigned long)r.rlim_cur, (unsigned long)r.rlim_max);

	/* the checks, in Linux's order */
	R("bad new, no such pid", pl(999999, RLIMIT_NOFILE, (void *)8, NULL));
	R("no such pid, bad resource", pl(999999, 99, NULL, &r));
	R("pid -1", pl(-1, RLIMIT_NOFILE, NULL, &r));
	R("bad resource", pl(c, 99, NULL, &r));
	struct rlimit inv = { 20, 10 };
	R("cur above max", pl(c, RLIMIT_NOFILE, &inv, NULL));
	struct rlimit m = { 32, 128 };
	R("bad old", pl(c, RLIMIT_NOFILE, &m, (void *)8));
	R("get after bad old", pl(c, RLIMIT_NOFILE, NULL, &r));
	printf("set anyway: %lu\n", (unsigned long)r.rlim_cur);
	R("self bad old", pl(0, RLIMIT_CORE, NULL, (void *)8));
	R("getrlimit bad resource bad ptr", syscall(SYS_getrlimit, 99, (void *)8));
	R("setrlimit bad ptr bad resource", syscall(SYS_setrlimit, 99, (void *)8));
	R("setrlimit bad resource", syscall(SYS_setrlimit, 99, &m));

	/* a zombie keeps its limits until it is reaped */
	for (int i = 0; i < 1000 && cf_proc_state(c) != 'Z'; i++)
		usleep(10000);
	R("zombie get", pl(c, RLIMIT_NOFILE, NULL, &r));
	printf("zombie's: %lu\n", (unsigned long)r.rlim_cur);
	R("zombie set", pl(c, RLIMIT_NOFILE, &n, NULL));
	waitpid(c, NULL, 0);
	R("reaped", pl(c, RLIMIT_NOFILE, NULL, &r));
	return 0;
}
