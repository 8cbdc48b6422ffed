/*
 * PR_SET/GET_MEMORY_MERGE (KSM for the whole address space): the argument checks, any
 * nonzero value sets it, a forked child and an executed image keep it. PR_SET/GET_IO_FLUSHER
 * need CAP_SYS_RESOURCE (in the initial namespace) before anything else: checked with it
 * dropped from the effective set (natively the caller may not have it at all).
 */
#include "cf.h"
#include <linux/capability.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>

#ifndef PR_SET_MEMORY_MERGE
#define PR_SET_MEMORY_MERGE 67
#define PR_GET_MEMORY_MERGE 68
#endif

static void
drop_effective(int cap)
{
	struct __user_cap_header_struct h = { _LINUX_CAPABILITY_VERSION_3, 0 };
	struct __user_cap_data_struct d[2];

	OK("capget", syscall(SYS_capget, &h, d));
	d[cap / 32].effective &= ~(1U << (cap % 32));
	OK("capset", syscall(SYS_capset, &h, d));
}

int
main(int argc, char **argv)
{
	int st = -1;

	if (argc > 1) {
		R("exec: merge get", prctl(PR_GET_MEMORY_MERGE, 0, 0, 0, 0));
		return 0;
	}
	R("merge get", prctl(PR_GET_MEMORY_MERGE, 0, 0, 0, 0));
	R("merge get, arg2", prctl(PR_GET_MEMORY_MERGE, 1, 0, 0, 0));
	R("merge get, arg5", prctl(PR_GET_MEMORY_MERGE, 0, 0, 0, 1));
	R("merge set, arg3", prctl(PR_SET_MEMORY_MERGE, 1, 1, 0, 0));
	R("merge get", prctl(PR_GET_MEMORY_MERGE, 0, 0, 0, 0));
	R("merge set 5", prctl(PR_SET_MEMORY_MERGE, 5, 0, 0, 0));
	R("merge get", prctl(PR_GET_MEMORY_MERGE, 0, 0, 0, 0));
	R("merge set 0", prctl(PR_SET_MEMORY_MERGE, 0, 0, 0, 0));
	R("merge get", prctl(PR_GET_MEMORY_MERGE, 0, 0, 0, 0));
	R("merge set 1", prctl(PR_SET_MEMORY_MERGE, 1, 0, 0, 0));
	R("merge set 1 again", prctl(PR_SET_MEMORY_MERGE, 1, 0, 0, 0));
	fflush(stdout);
	pid_t pid = fork();
	if (pid == 0) {
		R("fork child: merge get", prctl(PR_GET_MEMORY_MERGE, 0, 0, 0, 0));
		fflush(stdout);
		_exit(0);
	}
	waitpid(pid, &st, 0);
	R("fork child status", st);

	drop_effective(CAP_SYS_RESOURCE);
	R("io flusher set 1", prctl(PR_SET_IO_FLUSHER, 1, 0, 0, 0));
	R("io flusher set 2", prctl(PR_SET_IO_FLUSHER, 2, 0, 0, 0));
	R("io flusher get", prctl(PR_GET_IO_FLUSHER, 0, 0, 0, 0));
	R("io flusher get, arg2", prctl(PR_GET_IO_FLUSHER, 1, 0, 0, 0));
	fflush(stdout);
	execl("/proc/self/exe", argv[0], "exec", (char *)NULL);
	printf("execl: %s\n", en(errno));
	return 1;
}
