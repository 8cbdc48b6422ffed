/*
 * process_madvise (Linux 6.13+): on the caller's own memory any advice, each range as
 * madvise takes it (DONTNEED really drops the pages), the bytes of the ranges done or the
 * first one's error; flags, the iovec and the pidfd checked first. Another process's
 * memory needs ptrace read access (EACCES), takes only the hints that change nothing
 * (cold, pageout, willneed: else EINVAL) and needs CAP_SYS_NICE (EPERM); a process that
 * ended is ESRCH.
 */
#include "cf.h"
#include <signal.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/uio.h>
#include <sys/wait.h>

#define PG 4096

static long
pm(int fd, struct iovec *v, size_t n, int advice, unsigned int flags)
{
	return syscall(SYS_process_madvise, fd, v, n, advice, flags);
}

static int
pidfd(pid_t pid)
{
	return (int)syscall(SYS_pidfd_open, pid, 0);
}

static pid_t
idle_child(void)
{
	pid_t c = fork();

	if (c == 0) {
		pause();
		_exit(0);
	}
	return c;
}

static void
unprivileged(int rootfd, int rootchild, struct iovec *v)
{
	setresuid(65534, 65534, 65534);
	R("unprivileged: the root parent", pm(rootfd, v, 1, MADV_COLD, 0));
	R("unprivileged: a root child", pm(rootchild, v, 1, MADV_COLD, 0));
	int me = pidfd(getpid());
	R("unprivileged: itself", pm(me, v, 1, MADV_COLD, 0));
	prctl(PR_SET_DUMPABLE, 1); /* (setresuid made it undumpable: no access to its child) */
	pid_t e = idle_child();
	int efd = pidfd(e);
	R("unprivileged: own child, COLD", pm(efd, v, 1, MADV_COLD, 0));
	R("unprivileged: own child, DONTNEED", pm(efd, v, 1, MADV_DONTNEED, 0));
	kill(e, SIGKILL);
	waitpid(e, NULL, 0);
	R("unprivileged: reaped child", pm(efd, v, 1, MADV_COLD, 0));
}

int
main(void)
{
	setvbuf(stdout, NULL, _IONBF, 0);
	char *m = mmap(NULL, 8 * PG, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	munmap(m + 4 * PG, PG);
	memset(m, 'x', PG);
	int self = pidfd(getpid());
	struct iovec v[2] = { { m, PG }, { m + PG, 2 * PG } };
	struct iovec hole[2] = { { m, PG }, { m + 3 * PG, 2 * PG } };
	struct iovec unaligned = { m + 1, PG }, zero[2] = { { m, 0 }, { m, PG } };

	R("own DONTNEED", pm(self, v, 2, MADV_DONTNEED, 0));
	YN("its pages dropped", m[0] == 0);
	R("own COLD", pm(self, v, 1, MADV_COLD, 0));
	R("own WILLNEED", pm(self, v, 2, MADV_WILLNEED, 0));
	R("own bad advice", pm(self, v, 1, 12345, 0));
	R("flags", pm(self, v, 1, MADV_COLD, 1));
	R("own, second range over a hole", pm(self, hole, 2, MADV_DONTNEED, 0));
	R("own, a hole only", pm(self, hole + 1, 1, MADV_DONTNEED, 0));
	R("own unaligned", pm(self, &unaligned, 1, MADV_COLD, 0));
	R("own, empty range first", pm(self, zero, 2, MADV_COLD, 0));
	R("1025 ranges", pm(self, v, 1025, MADV_COLD, 0));
	R("no ranges", pm(self, v, 0, MADV_COLD, 0));
	R("iovec unreadable", pm(self, (struct iovec *)8, 1, MADV_COLD, 0));
	struct iovec kern = { (void *)0xffff800000000000UL, PG };
	R("kernel range", pm(self, &kern, 1, MADV_COLD, 0));
	R("bad fd", pm(999, v, 1, MADV_COLD, 0));
	R("not a pidfd", pm(1, v, 1, MADV_COLD, 0));

	pid_t c = idle_child();
	int cfd = pidfd(c);
	R("child COLD", pm(cfd, v, 1, MADV_COLD, 0));
	R("child PAGEOUT", pm(cfd, v, 2, MADV_PAGEOUT, 0));
	R("child DONTNEED", pm(cfd, v, 1, MADV_DONTNEED, 0));
	R("child, second range over a hole", pm(cfd, hole, 2, MADV_COLD, 0));
	R("child unaligned", pm(cfd, &unaligned, 1, MADV_COLD, 0));
	pid_t d = fork();
	if (d == 0) {
		unprivileged(self, cfd, v);
		_exit(0);
	}
	waitpid(d, NULL, 0);
	kill(c, SIGKILL);
	siginfo_t si;
	waitid(P_PID, c, &si, WEXITED | WNOWAIT);
	R("zombie child", pm(cfd, v, 1, MADV_COLD, 0));
	waitpid(c, NULL, 0);
	R("reaped child", pm(cfd, v, 1, MADV_COLD, 0));
	return 0;
}
