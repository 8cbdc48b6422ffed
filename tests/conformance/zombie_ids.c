/*
 * A child that has exited but is not yet reaped (waitid WNOWAIT) keeps its pid, process
 * group and session until its parent reaps it: getpgid, getsid, kill and setpgid find
 * it. Its /proc/PID/status has no Umask line (a zombie has no fs_struct) and none of the
 * lines Linux prints only for a task that still has its mm (Vm*, CoreDumping,
 * THP_enabled, untag_mask). After the reap every id call fails with ESRCH.
 */
#include "cf.h"
#include <signal.h>
#include <sys/wait.h>

/* The names of the lines of /proc/PID/status, in order, on one line. */
static void
status_names(pid_t pid)
{
	char path[64], line[512];

	snprintf(path, sizeof(path), "/proc/%d/status", pid);
	FILE *f = fopen(path, "r");
	if (!f) {
		printf("status: %s\n", en(errno));
		return;
	}
	printf("status:");
	while (fgets(line, sizeof(line), f)) {
		char *c = strchr(line, ':');
		if (c)
			*c = 0;
		printf(" %s", line);
	}
	printf("\n");
	fclose(f);
}

int
main(void)
{
	setvbuf(stdout, NULL, _IONBF, 0);
	pid_t pid = fork();
	if (pid == 0) {
		setpgid(0, 0);
		_exit(3);
	}
	setpgid(pid, pid); /* (whichever of the two runs first) */
	siginfo_t si;
	OK("waitid WNOWAIT", waitid(P_PID, pid, &si, WEXITED | WNOWAIT));
	YN("zombie getpgid is its own group", getpgid(pid) == pid);
	YN("zombie getsid is ours", getsid(pid) == getsid(0));
	OK("zombie kill 0", kill(pid, 0));
	OK("zombie killpg 0", kill(-pid, 0));
	OK("zombie setpgid into its own group", setpgid(pid, pid));
	status_names(pid);
	int st;
	YN("reaped", waitpid(pid, &st, 0) == pid && WIFEXITED(st) && WEXITSTATUS(st) == 3);
	R("reaped getpgid", getpgid(pid));
	R("reaped getsid", getsid(pid));
	R("reaped kill 0", kill(pid, 0));
	R("reaped setpgid", setpgid(pid, pid));
	return 0;
}
