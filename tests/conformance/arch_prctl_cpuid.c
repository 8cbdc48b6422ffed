/*
 * ARCH_GET_CPUID / ARCH_SET_CPUID, and /proc/cpuinfo's "cpuid_fault" flag, which programs
 * read to learn whether ARCH_SET_CPUID can work (it is ENODEV where the CPU cannot fault
 * CPUID). Printed as relations, so machines with and without faulting print the same.
 */
#include "cf.h"
#include <asm/prctl.h>
#include <cpuid.h>
#include <signal.h>
#include <sys/wait.h>

static int
flag_listed(const char *flag)
{
	static char buf[1 << 20];
	char *line;
	size_t len = 0;
	ssize_t r;
	int fd = open("/proc/cpuinfo", O_RDONLY);

	while (fd >= 0 && (r = read(fd, buf + len, sizeof(buf) - 1 - len)) > 0)
		len += r;
	buf[len] = '\0';
	close(fd);
	line = strstr(buf, "\nflags\t\t: ");
	if (!line)
		return -1;
	line = strchr(line, ':') + 1;
	line[strcspn(line, "\n")] = ' ';
	line[strcspn(line, "\n") + 1] = '\0';
	char want[64];
	snprintf(want, sizeof(want), " %s ", flag);
	return strstr(line, want) != NULL;
}

static long
ap(int code, unsigned long arg)
{
	return syscall(SYS_arch_prctl, code, arg);
}

/* In a child: CPUID with faulting on is SIGSEGV. */
static int
cpuid_signal(void)
{
	pid_t pid = fork();
	int st;

	if (pid == 0) {
		unsigned a, b, c, d;

		ap(ARCH_SET_CPUID, 0);
		__cpuid(0, a, b, c, d);
		_exit(a > 0 ? 0 : 1);
	}
	waitpid(pid, &st, 0);
	return WIFSIGNALED(st) ? WTERMSIG(st) : 0;
}

int
main(void)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	errno = 0;
	long on = ap(ARCH_SET_CPUID, 1);
	int e = errno;
	int listed = flag_listed("cpuid_fault");

	YN("set 1 ok or ENODEV", on == 0 || e == ENODEV);
	YN("cpuid_fault listed iff set works", listed == (on == 0));
	R("get", ap(ARCH_GET_CPUID, 0));
	if (on == 0) {
		R("set 0", ap(ARCH_SET_CPUID, 0));
		R("get after set 0", ap(ARCH_GET_CPUID, 0));
		R("set 1 again", ap(ARCH_SET_CPUID, 1));
		R("get after set 1", ap(ARCH_GET_CPUID, 0));
		YN("cpuid faults with SIGSEGV", cpuid_signal() == SIGSEGV);
	} else {
		printf("set 0: 0\nget after set 0: 0\nset 1 again: 0\nget after set 1: 1\n");
		printf("cpuid faults with SIGSEGV: yes\n");
	}
	R("bad code", ap(0x1fff, 0));
	return 0;
}
