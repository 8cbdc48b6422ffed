/* syslog(2): the kernel log's size and reads as root, argument checks in Linux's order
 * (privilege first, then the action, then the buffer), and EPERM for an unprivileged
 * caller (kernel.dmesg_restrict is set on Debian). Contents differ from host to sandbox,
 * so only their shape is printed. */
#include "cf.h"
#include <sys/wait.h>

static long
klog(int type, void *buf, long len)
{
	return syscall(SYS_syslog, type, buf, len);
}

int
main(void)
{
	char b[4096];
	long r;

	YN("size buffer positive", klog(10, NULL, 0) > 0);
	r = klog(3, b, sizeof(b));
	YN("read all succeeds", r >= 0);
	YN("read all gives whole lines", r == 0 || b[r - 1] == '\n');
	YN("read all lines start with a level", r == 0 || b[0] == '<');
	R("read all, no buffer", klog(3, NULL, 10));
	R("read all, negative length", klog(3, b, -1));
	R("read all, zero length", klog(3, b, 0));
	R("read all, too small for a line", klog(3, b, 8));
	R("console level 0", klog(8, NULL, 0));
	R("console level 9", klog(8, NULL, 9));
	R("open", klog(1, NULL, 0));
	R("close", klog(0, NULL, 0));
	R("unknown action", klog(99, NULL, 0));
	YN("unread size not negative", klog(9, NULL, 0) >= 0);
	fflush(stdout);
	pid_t c = fork();
	if (c == 0) {
		if (setuid(1000) < 0)
			_exit(2);
		R("unprivileged size buffer", klog(10, NULL, 0));
		R("unprivileged read all", klog(3, b, sizeof(b)));
		R("unprivileged unknown action", klog(99, NULL, 0));
		fflush(stdout);
		_exit(0);
	}
	int st;
	waitpid(c, &st, 0);
	R("child", WEXITSTATUS(st));
	return 0;
}
