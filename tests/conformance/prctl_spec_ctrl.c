/*
 * PR_GET/SET_SPECULATION_CTRL: each control's state (what the CPU and the kernel's
 * mitigations allow: the same on both sides of one machine), unknown controls (ENODEV),
 * the argument checks, and what a disable or enable gives (ENXIO or EPERM where the
 * mitigation is not under prctl control), in this thread, a forked child and an executed
 * image.
 */
#include "cf.h"
#include <sys/prctl.h>
#include <sys/wait.h>

static void
show(const char *who)
{
	static const char *const names[] = { "store bypass", "indirect branch", "L1D flush",
					     "control 3" };
	char label[96];

	for (int i = 0; i < 4; i++) {
		snprintf(label, sizeof(label), "%s: get %s", who, names[i]);
		R(label, prctl(PR_GET_SPECULATION_CTRL, i, 0, 0, 0));
	}
}

int
main(int argc, char **argv)
{
	int st = -1;

	if (argc > 1) {
		show("exec");
		return 0;
	}
	show("start");
	R("get, arg3", prctl(PR_GET_SPECULATION_CTRL, 0, 1, 0, 0));
	R("get, arg5", prctl(PR_GET_SPECULATION_CTRL, 0, 0, 0, 1));
	R("set, arg4", prctl(PR_SET_SPECULATION_CTRL, 0, PR_SPEC_DISABLE, 1, 0));
	R("set control 3", prctl(PR_SET_SPECULATION_CTRL, 3, PR_SPEC_DISABLE, 0, 0));
	R("set store bypass 0", prctl(PR_SET_SPECULATION_CTRL, 0, 0, 0, 0));
	R("set store bypass 3", prctl(PR_SET_SPECULATION_CTRL, 0, 3, 0, 0));
	R("set store bypass disable", prctl(PR_SET_SPECULATION_CTRL, 0, PR_SPEC_DISABLE, 0, 0));
	R("set store bypass enable", prctl(PR_SET_SPECULATION_CTRL, 0, PR_SPEC_ENABLE, 0, 0));
	R("set store bypass disable-noexec",
	  prctl(PR_SET_SPECULATION_CTRL, 0, PR_SPEC_DISABLE_NOEXEC, 0, 0));
	R("set indirect branch disable", prctl(PR_SET_SPECULATION_CTRL, 1, PR_SPEC_DISABLE, 0, 0));
	R("set L1D flush enable", prctl(PR_SET_SPECULATION_CTRL, 2, PR_SPEC_ENABLE, 0, 0));
	show("after sets");
	fflush(stdout);
	pid_t pid = fork();
	if (pid == 0) {
		show("fork child");
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
