/*
 * PR_SET_THP_DISABLE / PR_GET_THP_DISABLE: argument checks, the value read back (with
 * PR_THP_DISABLE_EXCEPT_ADVISED too), /proc/self/status's THP_enabled, and the setting
 * kept by a forked child and across execve.
 */
#include "cf.h"
#include <sys/prctl.h>
#include <sys/wait.h>

static void
status_line(const char *label)
{
	char buf[8192], *p;
	int fd = open("/proc/self/status", O_RDONLY);
	ssize_t n = read(fd, buf, sizeof(buf) - 1);

	close(fd);
	buf[n > 0 ? n : 0] = '\0';
	p = strstr(buf, "THP_enabled:");
	printf("%s: %.*s\n", label, p ? (int)strcspn(p, "\n") : 4, p ? p : "none");
}

int
main(int argc, char **argv)
{
	pid_t pid;
	int st;

	setvbuf(stdout, NULL, _IONBF, 0);
	if (argc > 1) {
		R("after execve: get", prctl(PR_GET_THP_DISABLE, 0, 0, 0, 0));
		status_line("after execve");
		return 0;
	}
	R("get", prctl(PR_GET_THP_DISABLE, 0, 0, 0, 0));
	R("get with arg2 1", prctl(PR_GET_THP_DISABLE, 1, 0, 0, 0));
	R("get with arg5 1", prctl(PR_GET_THP_DISABLE, 0, 0, 0, 1));
	R("set 0 with flags 1", prctl(PR_SET_THP_DISABLE, 0, 1, 0, 0));
	R("set 0 with flags 2", prctl(PR_SET_THP_DISABLE, 0, 2, 0, 0));
	R("set 1 with flags 4", prctl(PR_SET_THP_DISABLE, 1, 4, 0, 0));
	R("set 1 with arg4 1", prctl(PR_SET_THP_DISABLE, 1, 0, 1, 0));
	R("set 1 except advised", prctl(PR_SET_THP_DISABLE, 1, 2, 0, 0));
	R("get", prctl(PR_GET_THP_DISABLE, 0, 0, 0, 0));
	status_line("except advised");
	R("set 7", prctl(PR_SET_THP_DISABLE, 7, 0, 0, 0));
	R("get", prctl(PR_GET_THP_DISABLE, 0, 0, 0, 0));
	status_line("disabled");
	pid = fork();
	if (pid == 0) {
		R("child: get", prctl(PR_GET_THP_DISABLE, 0, 0, 0, 0));
		execl("/proc/self/exe", argv[0], "exec", (char *)NULL);
		_exit(1);
	}
	waitpid(pid, &st, 0);
	R("set 0", prctl(PR_SET_THP_DISABLE, 0, 0, 0, 0));
	R("get", prctl(PR_GET_THP_DISABLE, 0, 0, 0, 0));
	status_line("enabled");
	return 0;
}
