/* /proc/PID/fdinfo of a pidfd: the Pid and NSpid lines (Linux pidfd_show_fdinfo) for a
 * live process, a zombie (still its pid) and a reaped one (-1). strace -yy reads them to
 * print <pid:N>. */
#include "cf.h"
#include <signal.h>
#include <sys/wait.h>

/* The value of field name in fdinfo of fd: "same" when it is pid, else the text. */
static void
show(const char *label, int fd, const char *name, pid_t pid)
{
	char path[64], buf[4096], want[32], key[32];

	snprintf(path, sizeof(path), "/proc/self/fdinfo/%d", fd);
	int f = open(path, O_RDONLY);
	ssize_t n = read(f, buf, sizeof(buf) - 1);
	close(f);
	buf[n > 0 ? n : 0] = 0;
	snprintf(key, sizeof(key), "\n%s:", name);
	char *l = strstr(buf, key);
	if (!l) {
		printf("%s %s: missing\n", label, name);
		return;
	}
	l += strlen(key);
	l[strcspn(l, "\n")] = 0;
	snprintf(want, sizeof(want), "\t%d", pid);
	printf("%s %s: %s\n", label, name, strcmp(l, want) ? l : "same as the pid");
}

int
main(void)
{
	pid_t c = fork();
	if (c == 0) {
		pause();
		_exit(0);
	}
	int fd = (int)syscall(SYS_pidfd_open, c, 0);
	show("live", fd, "Pid", c);
	show("live", fd, "NSpid", c);
	int self = (int)syscall(SYS_pidfd_open, getpid(), 0);
	show("self", self, "Pid", getpid());
	kill(c, SIGKILL);
	siginfo_t si;
	waitid(P_PID, c, &si, WEXITED | WNOWAIT);
	show("zombie", fd, "Pid", c);
	waitpid(c, NULL, 0);
	show("reaped", fd, "Pid", c);
	show("reaped", fd, "NSpid", c);
	return 0;
}
