/* clone3's own argument checks (size, unknown flags, exit_signal with CLONE_PARENT or
 * CLONE_THREAD, CLONE_CLEAR_SIGHAND with CLONE_SIGHAND, a stack without a size, trailing
 * bytes of a larger struct) and CLONE_CLEAR_SIGHAND: the child's handlers are back to
 * SIG_DFL, ignored signals stay ignored, the parent keeps its own. */
#include "cf.h"
#include <linux/sched.h>
#include <signal.h>
#include <sys/wait.h>

static long
clone3_(void *ca, size_t size)
{
	return syscall(SYS_clone3, ca, size);
}

static void
on_sig(int sig)
{
	(void)sig;
}

/* A child that reports its view of the dispositions in its exit status. */
static void
check_child(void)
{
	struct sigaction sa;
	int bits = 0;

	sigaction(SIGUSR1, NULL, &sa);
	bits |= sa.sa_handler == SIG_DFL ? 1 : 0;
	bits |= (sa.sa_flags & SA_RESTART) ? 0 : 2;
	sigaction(SIGUSR2, NULL, &sa);
	bits |= sa.sa_handler == SIG_IGN ? 4 : 0;
	sigaction(SIGTERM, NULL, &sa);
	bits |= sa.sa_handler == SIG_DFL ? 8 : 0;
	_exit(bits);
}

static void
try(const char *label, struct clone_args *ca, size_t size)
{
	errno = 0;
	long c = clone3_(ca, size);
	int e = errno;
	if (c == 0)
		_exit(0);
	if (c > 0) {
		waitpid(c, NULL, __WALL);
		printf("%s: child\n", label);
	} else {
		printf("%s: -1 %s\n", label, en(e));
	}
}

int
main(void)
{
	struct clone_args ca;
	struct sigaction sa = { .sa_handler = on_sig, .sa_flags = SA_RESTART };
	int st;

	memset(&ca, 0, sizeof(ca));
	ca.exit_signal = SIGCHLD;
	try("size 0", &ca, 0);
	try("size VER0-1", &ca, CLONE_ARGS_SIZE_VER0 - 1);
	try("size > page", &ca, 4097);

	/* a larger struct: zero tail accepted, a nonzero one is E2BIG */
	unsigned char big[sizeof(ca) + 16];
	memset(big, 0, sizeof(big));
	memcpy(big, &ca, sizeof(ca));
	try("larger, zero tail", (struct clone_args *)big, sizeof(big));
	big[sizeof(ca) + 3] = 1;
	try("larger, nonzero tail", (struct clone_args *)big, sizeof(big));

	ca.flags = 1ULL << 63;
	try("flag bit 63", &ca, sizeof(ca));
	ca.flags = 1ULL << 40;
	try("flag bit 40", &ca, sizeof(ca));
	ca.flags = CLONE_DETACHED;
	try("CLONE_DETACHED", &ca, sizeof(ca));
	ca.flags = SIGCHLD;
	try("signal in flags", &ca, sizeof(ca));
	ca.flags = CLONE_PARENT;
	try("CLONE_PARENT with exit_signal", &ca, sizeof(ca));
	ca.flags = CLONE_THREAD | CLONE_SIGHAND | CLONE_VM;
	try("CLONE_THREAD with exit_signal", &ca, sizeof(ca));
	ca.flags = CLONE_CLEAR_SIGHAND | CLONE_SIGHAND | CLONE_VM;
	try("CLEAR_SIGHAND|SIGHAND", &ca, sizeof(ca));
	ca.flags = 0;
	ca.exit_signal = 65;
	try("exit_signal 65", &ca, sizeof(ca));
	ca.exit_signal = (1ULL << 32) | SIGCHLD;
	try("exit_signal high bits", &ca, sizeof(ca));
	ca.exit_signal = SIGCHLD;
	ca.stack_size = 4096;
	try("stack_size without stack", &ca, sizeof(ca));
	ca.stack_size = 0;
	ca.stack = 4096;
	try("stack without stack_size", &ca, sizeof(ca));
	ca.stack = 0;
	ca.set_tid_size = 1;
	try("set_tid_size without set_tid", &ca, sizeof(ca));
	ca.set_tid_size = 0;
	pid_t want = 1000;
	ca.set_tid = (unsigned long)&want;
	try("set_tid without size", &ca, sizeof(ca));
	/* Linux copies the pids first (EFAULT), and alloc_pid checks each (0, negative:
	 * EINVAL) and that there are no more than levels of pid namespaces (strace's clone3
	 * test asks for 32) */
	ca.set_tid = 8;
	ca.set_tid_size = 1;
	try("set_tid bad pointer", &ca, sizeof(ca));
	pid_t bad[32] = { 0 };
	ca.set_tid = (unsigned long)bad;
	try("set_tid pid 0", &ca, sizeof(ca));
	bad[0] = -5;
	try("set_tid pid -5", &ca, sizeof(ca));
	for (int i = 0; i < 32; i++)
		bad[i] = 1000 + i;
	ca.set_tid_size = 32;
	try("set_tid 32 levels", &ca, sizeof(ca));
	ca.set_tid_size = 0;
	ca.set_tid = 0;
	/* CLONE_INTO_CGROUP: the descriptor must be a cgroup2 directory's (EBADF) */
	ca.flags = CLONE_INTO_CGROUP;
	ca.cgroup = 999;
	try("CLONE_INTO_CGROUP, fd not open", &ca, sizeof(ca));
	ca.cgroup = open("/dev/null", O_RDONLY);
	try("CLONE_INTO_CGROUP, /dev/null", &ca, sizeof(ca));
	close((int)ca.cgroup);
	ca.cgroup = open("/", O_RDONLY | O_DIRECTORY);
	try("CLONE_INTO_CGROUP, /", &ca, sizeof(ca));
	close((int)ca.cgroup);
	ca.cgroup = 0;
	ca.flags = 0;
	R("bad pointer", clone3_((void *)8, sizeof(ca)));

	/* CLONE_CLEAR_SIGHAND */
	sigaction(SIGUSR1, &sa, NULL);
	signal(SIGUSR2, SIG_IGN);
	ca.flags = CLONE_CLEAR_SIGHAND;
	long c = clone3_(&ca, sizeof(ca));
	if (c == 0)
		check_child();
	R("CLONE_CLEAR_SIGHAND", c > 0);
	waitpid(c, &st, 0);
	R("  child: USR1 dfl(1) no flags(2) USR2 ign(4) TERM dfl(8)", WIFEXITED(st) ? WEXITSTATUS(st) : -1);
	/* a signal the child would have handled now kills it */
	c = clone3_(&ca, sizeof(ca));
	if (c == 0) {
		raise(SIGUSR1);
		_exit(0);
	}
	waitpid(c, &st, 0);
	R("  child killed by SIGUSR1", WIFSIGNALED(st) ? WTERMSIG(st) : -1);
	sigaction(SIGUSR1, NULL, &sa);
	YN("  parent keeps its handler", sa.sa_handler == on_sig && (sa.sa_flags & SA_RESTART));
	sigaction(SIGUSR2, NULL, &sa);
	YN("  parent keeps SIG_IGN", sa.sa_handler == SIG_IGN);
	/* without the flag the child inherits the handler */
	ca.flags = 0;
	c = clone3_(&ca, sizeof(ca));
	if (c == 0)
		check_child();
	waitpid(c, &st, 0);
	R("without the flag", WIFEXITED(st) ? WEXITSTATUS(st) : -1);
	return 0;
}
