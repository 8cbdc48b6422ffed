/* prlimit64 on a child (prlimit(1), `prlimit --pid`), with the permission cases: reading and
 * setting a child's limits, which the child then sees as its own (its parent's stay);
 * EINVAL for a bad resource or soft above hard, ESRCH for no such pid; a child whose ids
 * differ from its parent's gets EPERM on the parent; the parent may act on that child only
 * with CAP_SYS_RESOURCE. */
#include "cf.h"
#include <signal.h>
#include <stdbool.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/wait.h>

static long
prl(pid_t pid, int res, const struct rlimit *nl, struct rlimit *old)
{
	return syscall(SYS_prlimit64, pid, res, nl, old);
}

static void
show(const char *label, const struct rlimit *r)
{
	printf("%s: cur=%lld max=%lld\n", label, (long long)r->rlim_cur, (long long)r->rlim_max);
}

int
main(void)
{
	int go[2], back[2];
	struct rlimit r, mine;

	setvbuf(stdout, NULL, _IOLBF, 0);
	if (pipe(go) || pipe(back))
		return 1;
	struct rlimit start = { 512, 4096 };
	setrlimit(RLIMIT_NOFILE, &start);
	getrlimit(RLIMIT_NOFILE, &mine);
	pid_t c = fork();
	if (c == 0) {
		char b;
		if (read(go[0], &b, 1) != 1)
			_exit(1);
		getrlimit(RLIMIT_NOFILE, &r);
		getrlimit(RLIMIT_CORE, &mine);
		if (write(back[1], &r, sizeof(r)) < 0 || write(back[1], &mine, sizeof(mine)) < 0)
			_exit(1);
		/* now a different user, no capabilities: the parent's limits are not ours */
		if (setresgid(1000, 1000, 1000) || setresuid(1000, 1000, 1000))
			_exit(2);
		errno = 0;
		long e = prl(getppid(), RLIMIT_NOFILE, NULL, &r);
		int err = e < 0 ? errno : 0;
		if (write(back[1], &err, sizeof(err)) < 0)
			_exit(1);
		pause();
		_exit(0);
	}
	R("read child", prl(c, RLIMIT_NOFILE, NULL, &r));
	show("child nofile (inherited)", &r);
	struct rlimit nl = { 100, 200 }, core = { 0, 1 << 20 };
	R("set child nofile", prl(c, RLIMIT_NOFILE, &nl, &r));
	show("old", &r);
	R("set child core", prl(c, RLIMIT_CORE, &core, NULL));
	R("read child again", prl(c, RLIMIT_NOFILE, NULL, &r));
	show("child nofile now", &r);
	struct rlimit bad = { 10, 5 };
	R("soft above hard", prl(c, RLIMIT_NOFILE, &bad, NULL));
	R("bad resource", prl(c, 99, NULL, &r));
	R("no such pid", prl(999999, RLIMIT_NOFILE, NULL, &r));
	getrlimit(RLIMIT_NOFILE, &r);
	show("parent nofile unchanged", &r);
	if (write(go[1], "x", 1) != 1)
		return 1;
	if (read(back[0], &r, sizeof(r)) != sizeof(r))
		return 1;
	show("child sees nofile", &r);
	if (read(back[0], &r, sizeof(r)) != sizeof(r))
		return 1;
	show("child sees core", &r);
	int err;
	if (read(back[0], &err, sizeof(err)) != sizeof(err))
		return 1;
	printf("other user reads parent: %s\n", err ? en(err) : "ok");
	/* the now-foreign child: only with CAP_SYS_RESOURCE (which a container's root may
	 * lack: the relation is printed, not the result) */
	struct { unsigned int version; int pid; } hdr = { 0x20080522, 0 };
	struct { unsigned int eff, perm, inh; } caps[2];
	if (syscall(SYS_capget, &hdr, caps))
		return 1;
	bool has = caps[0].eff & (1u << 24); /* CAP_SYS_RESOURCE */
	long fr = prl(c, RLIMIT_NOFILE, NULL, &r);
	YN("foreign child readable (with the values set) iff CAP_SYS_RESOURCE",
	   (fr == 0) == has && (fr != 0 || (r.rlim_cur == 100 && r.rlim_max == 200)));
	kill(c, SIGKILL);
	int st;
	waitpid(c, &st, 0);
	return 0;
}
