/*
 * ioctl(PIDFD_GET_INFO): a live child's ids and credentials, its zombie's (no exit
 * information before it is reaped), and once reaped only PIDFD_INFO_EXIT with its wait
 * status (ESRCH without asking for it); sizes from the first version's 64 bytes on
 * (a larger struct gets zeros past the kernel's), smaller ENOTTY, NULL EINVAL; not a pidfd:
 * ENOTTY. (The cgroup id bit is left out: it names host cgroups.)
 */
#include "cf.h"
#include <stdint.h>
#include <sys/ioctl.h>
#include <sys/wait.h>

struct info {
	uint64_t mask, cgroupid;
	uint32_t pid, tgid, ppid, ruid, rgid, euid, egid, suid, sgid, fsuid, fsgid;
	int32_t exit_code;
	uint32_t coredump_mask, spare1;
	char more[56];
};

#define GET_INFO(size) _IOC(_IOC_READ | _IOC_WRITE, 0xFF, 11, (size))
#define INFO_PID 1
#define INFO_CREDS 2
#define INFO_CGROUPID 4
#define INFO_EXIT 8

static pid_t child;

static void
show(const char *label, int pidfd, uint64_t mask, size_t size)
{
	struct info in;

	memset(&in, 0xa5, sizeof(in));
	in.mask = mask;
	if (ioctl(pidfd, GET_INFO(size), &in) < 0) {
		printf("%s: %s\n", label, en(errno));
		return;
	}
	printf("%s: mask %#llx", label, (unsigned long long)(in.mask & ~(uint64_t)INFO_CGROUPID));
	if (in.mask & INFO_PID)
		printf(" pid %s tgid %s ppid %s", in.pid == (uint32_t)child ? "child" : "other",
		       in.tgid == (uint32_t)child ? "child" : "other",
		       in.ppid == (uint32_t)getpid() ? "us" : "other");
	if (in.mask & INFO_CREDS)
		printf(" uids %u %u %u %u gids %u %u %u %u", in.ruid, in.euid, in.suid, in.fsuid,
		       in.rgid, in.egid, in.sgid, in.fsgid);
	if (in.mask & INFO_EXIT)
		printf(" exit_code %#x", in.exit_code);
	if (size > 72) {
		int zero = 1;
		for (size_t i = 0; i < size - 72; i++)
			zero &= in.more[i] == 0;
		printf(" tail zeroed %s", zero ? "yes" : "no");
	} else if (size == 64) {
		printf(" past 64 untouched %s", in.coredump_mask == 0xa5a5a5a5 ? "yes" : "no");
	}
	printf("\n");
}

int
main(void)
{
	int p[2], ready[2], pidfd, st;
	char c;

	setvbuf(stdout, NULL, _IONBF, 0);
	if (pipe(p) < 0 || pipe(ready) < 0)
		return 1;
	child = fork();
	if (child == 0) {
		if (setresgid(7, 8, 9) < 0 || setresuid(3, 4, 5) < 0)
			_exit(1);
		close(p[1]);
		write(ready[1], "r", 1); /* its ids are set */
		read(p[0], &c, 1);
		_exit(42);
	}
	close(p[0]);
	close(ready[1]);
	pidfd = syscall(SYS_pidfd_open, child, 0);
	R("child ready", read(ready[0], &c, 1));
	show("running, EXIT asked", pidfd, INFO_EXIT, 72);
	show("running, size 64", pidfd, 0, 64);
	show("running, size 128", pidfd, 0, 128);
	show("size 32", pidfd, 0, 32);
	R("NULL argument", ioctl(pidfd, GET_INFO(72), NULL));
	R("a pipe", ioctl(p[1], GET_INFO(72), &st));
	close(p[1]);
	siginfo_t si;
	waitid(P_PID, child, &si, WEXITED | WNOWAIT);
	show("zombie", pidfd, INFO_EXIT, 72);
	waitpid(child, &st, 0);
	printf("status %#x\n", st);
	show("reaped, EXIT asked", pidfd, INFO_EXIT, 72);
	show("reaped, nothing asked", pidfd, 0, 72);
	return 0;
}
