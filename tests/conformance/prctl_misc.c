/*
 * Smaller prctl options: PR_GET/SET_TIMING (statistical only), PR_TASK_PERF_EVENTS_DISABLE
 * and _ENABLE, PR_MCE_KILL / PR_MCE_KILL_GET (argument checks, the policy read back, kept
 * by a forked child and across execve, and left set by a SET with a bad policy) and
 * PR_GET_AUXV (the buffer's size, the vector /proc/self/auxv shows, short and bad buffers).
 */
#include "cf.h"
#include <sys/prctl.h>
#include <sys/wait.h>

#ifndef PR_GET_AUXV
#define PR_GET_AUXV 0x41555856
#endif

static void
auxv(void)
{
	unsigned long buf[128], proc[128];
	int fd = open("/proc/self/auxv", O_RDONLY);
	ssize_t n = read(fd, proc, sizeof(proc));
	long r;

	close(fd);
	R("get_auxv NULL 0", prctl(PR_GET_AUXV, 0, 0, 0, 0));
	memset(buf, 0xff, sizeof(buf));
	r = prctl(PR_GET_AUXV, buf, sizeof(buf), 0, 0);
	R("get_auxv whole", r);
	YN("auxv as /proc/self/auxv", n > 0 && n <= r && !memcmp(buf, proc, (size_t)n));
	YN("zero after AT_NULL", r > n && buf[n / 8] == 0 && buf[r / 8 - 1] == 0);
	YN("untouched past the size", buf[r / 8] == ~0UL);
	memset(buf, 0xff, sizeof(buf));
	R("get_auxv 12 bytes", prctl(PR_GET_AUXV, buf, 12, 0, 0));
	YN("12 bytes copied", buf[0] == proc[0] && (buf[1] & 0xffffffff) == (proc[1] & 0xffffffff) &&
				      (buf[1] >> 32) == 0xffffffff);
	R("get_auxv bad pointer", prctl(PR_GET_AUXV, 8, 16, 0, 0));
	R("get_auxv arg4", prctl(PR_GET_AUXV, buf, sizeof(buf), 1, 0));
	R("get_auxv arg5", prctl(PR_GET_AUXV, buf, sizeof(buf), 0, 1));
}

/* the policy a forked child sees, and then the program it executes (argv[1] set) */
static void
mce_kill_inherited(const char *self)
{
	int st = 0;
	pid_t pid = fork();

	if (pid == 0) {
		R("child: mce_kill_get", prctl(PR_MCE_KILL_GET, 0, 0, 0, 0));
		execl("/proc/self/exe", self, "exec", (char *)NULL);
		_exit(1);
	}
	waitpid(pid, &st, 0);
	R("child status", st);
}

int
main(int argc, char **argv)
{
	setvbuf(stdout, NULL, _IONBF, 0);
	if (argc > 1)
		return !printf("after execve: mce_kill_get: %d\n", prctl(PR_MCE_KILL_GET, 0, 0, 0, 0));
	R("get_timing", prctl(PR_GET_TIMING, 0, 0, 0, 0));
	R("set_timing statistical", prctl(PR_SET_TIMING, PR_TIMING_STATISTICAL, 0, 0, 0));
	R("set_timing timestamp", prctl(PR_SET_TIMING, PR_TIMING_TIMESTAMP, 0, 0, 0));
	R("perf events disable", prctl(PR_TASK_PERF_EVENTS_DISABLE, 0, 0, 0, 0));
	R("perf events enable", prctl(PR_TASK_PERF_EVENTS_ENABLE, 0, 0, 0, 0));

	R("mce_kill_get", prctl(PR_MCE_KILL_GET, 0, 0, 0, 0));
	R("mce_kill_get arg2", prctl(PR_MCE_KILL_GET, 1, 0, 0, 0));
	R("mce_kill set early", prctl(PR_MCE_KILL, PR_MCE_KILL_SET, PR_MCE_KILL_EARLY, 0, 0));
	R("mce_kill_get", prctl(PR_MCE_KILL_GET, 0, 0, 0, 0));
	R("mce_kill set late", prctl(PR_MCE_KILL, PR_MCE_KILL_SET, PR_MCE_KILL_LATE, 0, 0));
	R("mce_kill_get", prctl(PR_MCE_KILL_GET, 0, 0, 0, 0));
	R("mce_kill set default", prctl(PR_MCE_KILL, PR_MCE_KILL_SET, PR_MCE_KILL_DEFAULT, 0, 0));
	R("mce_kill_get", prctl(PR_MCE_KILL_GET, 0, 0, 0, 0));
	R("mce_kill set policy 7", prctl(PR_MCE_KILL, PR_MCE_KILL_SET, 7, 0, 0));
	R("mce_kill_get", prctl(PR_MCE_KILL_GET, 0, 0, 0, 0));
	R("mce_kill clear arg3", prctl(PR_MCE_KILL, PR_MCE_KILL_CLEAR, 1, 0, 0));
	R("mce_kill clear", prctl(PR_MCE_KILL, PR_MCE_KILL_CLEAR, 0, 0, 0));
	R("mce_kill_get", prctl(PR_MCE_KILL_GET, 0, 0, 0, 0));
	R("mce_kill op 5", prctl(PR_MCE_KILL, 5, 0, 0, 0));
	R("mce_kill arg4", prctl(PR_MCE_KILL, PR_MCE_KILL_SET, PR_MCE_KILL_EARLY, 1, 0));
	R("mce_kill_get", prctl(PR_MCE_KILL_GET, 0, 0, 0, 0));
	R("mce_kill set early", prctl(PR_MCE_KILL, PR_MCE_KILL_SET, PR_MCE_KILL_EARLY, 0, 0));
	mce_kill_inherited(argv[0]);
	auxv();
	return 0;
}
