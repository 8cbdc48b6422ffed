/* PTRACE_SYSCALL with TRACESYSGOOD: entry and exit stops of every call the tracee makes
 * (emulated and native ones alike), PTRACE_GET_SYSCALL_INFO, changing the call at entry
 * (another number, or -1 to skip it with the tracer's result), the result at exit;
 * PTRACE_EVENT_FORK / EXEC / EXIT stops, their messages, the new child's first stop. */
#include "cf.h"
#include <signal.h>
#include <stdbool.h>
#include <stddef.h>
#include <sched.h>
#include <sys/ptrace.h>
#include <sys/user.h>
#include <sys/wait.h>

static void
show(const char *what, int st)
{
	if (WIFSTOPPED(st))
		printf("%s: stopped %#x event %d\n", what, WSTOPSIG(st), st >> 16);
	else if (WIFEXITED(st))
		printf("%s: exited %d\n", what, WEXITSTATUS(st));
	else if (WIFSIGNALED(st))
		printf("%s: killed %s\n", what, sigabbrev_np(WTERMSIG(st)));
}

/* The calls the child makes after its SIGSTOP, in order. */
static void
child_calls(void)
{
	char buf[64];
	int fd = open("/dev/null", O_WRONLY);
	write(fd, "x", 1);
	close(fd);
	syscall(SYS_sched_yield);          /* runs natively in the stub */
	long skipped = syscall(SYS_getppid); /* skipped by the tracer: 1234 */
	long swapped = syscall(SYS_getuid);  /* turned into getpid */
	long res = syscall(SYS_getgid);      /* its result changed at exit: 4321 */
	int n = snprintf(buf, sizeof(buf), "%ld %s %ld\n", skipped,
			 swapped == getpid() ? "pid" : "not pid", res);
	syscall(SYS_write, 1, buf, n);
	syscall(SYS_exit_group, 7);
}

int
main(int argc, char **argv)
{
	setvbuf(stdout, NULL, _IONBF, 0);
	if (argc > 1)
		return 9; /* the exec'd image */
	int st;
	struct user_regs_struct r;
	struct __ptrace_syscall_info info;
	unsigned long msg;

	pid_t pid = fork();
	if (pid == 0) {
		ptrace(PTRACE_TRACEME, 0, 0, 0);
		raise(SIGSTOP);
		child_calls();
	}
	waitpid(pid, &st, 0);
	show("first", st);
	R("setoptions", ptrace(PTRACE_SETOPTIONS, pid, 0,
			       PTRACE_O_TRACESYSGOOD | PTRACE_O_TRACEEXIT));
	R("bad option", ptrace(PTRACE_SETOPTIONS, pid, 0, 1L << 30));
	R("setoptions again", ptrace(PTRACE_SETOPTIONS, pid, 0,
				     PTRACE_O_TRACESYSGOOD | PTRACE_O_TRACEEXIT));
	bool entry = true;
	for (int i = 0; i < 200; i++) {
		ptrace(PTRACE_SYSCALL, pid, 0, 0);
		if (waitpid(pid, &st, 0) != pid)
			break;
		if (!WIFSTOPPED(st)) {
			show("end", st);
			break;
		}
		if (st >> 16) {
			ptrace(PTRACE_GETEVENTMSG, pid, 0, &msg);
			printf("event %d msg %#lx\n", st >> 16, msg);
			continue;
		}
		if (WSTOPSIG(st) != (SIGTRAP | 0x80)) {
			printf("signal %s\n", sigabbrev_np(WSTOPSIG(st)));
			continue;
		}
		ptrace(PTRACE_GETREGS, pid, 0, &r);
		long n = ptrace(PTRACE_GET_SYSCALL_INFO, pid, sizeof(info), &info);
		ptrace(PTRACE_GETEVENTMSG, pid, 0, &msg);
		if (entry) {
			printf("entry %lld info %ld op %d nr %lld msg %lu rax %lld\n", r.orig_rax, n,
			       info.op, (long long)info.entry.nr, msg, r.rax);
			if (r.orig_rax == SYS_getppid) {
				r.orig_rax = -1;
				r.rax = 1234;
				ptrace(PTRACE_SETREGS, pid, 0, &r);
			} else if (r.orig_rax == SYS_getuid) {
				R("poke orig_rax", ptrace(PTRACE_POKEUSER, pid,
						  offsetof(struct user_regs_struct, orig_rax),
						  SYS_getpid));
			}
		} else {
			bool fd = r.orig_rax == SYS_open || r.orig_rax == SYS_openat;
			long rv = (long)r.rax;
			if (r.orig_rax == SYS_getpid || r.orig_rax == SYS_getuid)
				rv = rv > 0; /* a pid: only that it is one */
			printf("exit %lld info %ld op %d rval %s msg %lu\n", r.orig_rax, n, info.op,
			       fd ? (info.exit.rval >= 0 ? "fd" : "err") : (rv == r.rax ? "same" : "pid"),
			       msg);
			if (!fd && rv == (long)r.rax)
				printf("  rax %ld is_error %d\n", rv, info.exit.is_error);
			if (r.orig_rax == SYS_getgid) {
				r.rax = 4321;
				ptrace(PTRACE_SETREGS, pid, 0, &r);
			}
		}
		entry = !entry;
	}

	/* events: fork, exec, exit */
	pid = fork();
	if (pid == 0) {
		ptrace(PTRACE_TRACEME, 0, 0, 0);
		raise(SIGSTOP);
		pid_t c = fork();
		if (c == 0)
			_exit(5);
		int s;
		waitpid(c, &s, 0);
		execl("/proc/self/exe", argv[0], "exec", (char *)NULL);
		_exit(99);
	}
	waitpid(pid, &st, 0);
	show("events first", st);
	R("setoptions", ptrace(PTRACE_SETOPTIONS, pid, 0,
			       PTRACE_O_TRACEFORK | PTRACE_O_TRACEEXEC | PTRACE_O_TRACEEXIT));
	R("cont", ptrace(PTRACE_CONT, pid, 0, 0));
	waitpid(pid, &st, 0);
	show("fork event", st);
	ptrace(PTRACE_GETEVENTMSG, pid, 0, &msg);
	pid_t gc = (pid_t)msg;
	R("new child's first stop", waitpid(gc, &st, __WALL) == gc);
	show("new child", st);
	R("cont child", ptrace(PTRACE_CONT, gc, 0, 0));
	R("wait new child's exit event", waitpid(gc, &st, __WALL) == gc);
	show("new child", st);
	ptrace(PTRACE_GETEVENTMSG, gc, 0, &msg);
	printf("exit event msg %#lx\n", msg);
	R("cont child", ptrace(PTRACE_CONT, gc, 0, 0));
	R("wait new child", waitpid(gc, &st, __WALL) == gc);
	show("new child end", st);
	/* the rest: its SIGCHLD, the exec event, the exit event, the end */
	int sig = 0;
	for (int i = 0; i < 10; i++) {
		ptrace(PTRACE_CONT, pid, 0, sig);
		sig = 0;
		if (waitpid(pid, &st, 0) != pid || !WIFSTOPPED(st)) {
			show("end", st);
			break;
		}
		if (!(st >> 16)) {
			printf("signal %s\n", sigabbrev_np(WSTOPSIG(st)));
			sig = WSTOPSIG(st);
			continue;
		}
		ptrace(PTRACE_GETEVENTMSG, pid, 0, &msg);
		if ((st >> 16) == PTRACE_EVENT_EXEC)
			printf("exec event, msg is its pid: %s\n", (pid_t)msg == pid ? "yes" : "no");
		else
			printf("event %d msg %#lx\n", st >> 16, msg);
	}
	R("no more", waitpid(-1, &st, __WALL));

	/* vfork: the parent's event comes before it waits for the child; VFORK_DONE after */
	pid = fork();
	if (pid == 0) {
		ptrace(PTRACE_TRACEME, 0, 0, 0);
		raise(SIGSTOP);
		pid_t c = vfork();
		if (c == 0)
			_exit(6);
		int s;
		waitpid(c, &s, 0);
		_exit(WEXITSTATUS(s) + 10);
	}
	waitpid(pid, &st, 0);
	R("setoptions", ptrace(PTRACE_SETOPTIONS, pid, 0,
			       PTRACE_O_TRACEVFORK | PTRACE_O_TRACEVFORKDONE));
	R("cont", ptrace(PTRACE_CONT, pid, 0, 0));
	R("vfork event first", waitpid(pid, &st, 0) == pid);
	show("parent", st);
	ptrace(PTRACE_GETEVENTMSG, pid, 0, &msg);
	gc = (pid_t)msg;
	R("cont parent", ptrace(PTRACE_CONT, pid, 0, 0));
	R("child's stop", waitpid(gc, &st, __WALL) == gc);
	show("vfork child", st);
	R("cont child", ptrace(PTRACE_CONT, gc, 0, 0));
	R("child's end", waitpid(gc, &st, __WALL) == gc);
	show("vfork child", st);
	R("vfork done", waitpid(pid, &st, 0) == pid);
	show("parent", st);
	ptrace(PTRACE_GETEVENTMSG, pid, 0, &msg);
	printf("vfork done msg is the child: %s\n", (pid_t)msg == gc ? "yes" : "no");
	/* then the vfork's exit stop, and the wait4's two: each shows its call in orig_rax
	 * (the SIGCHLD between them is let go by; its stop's registers are not compared) */
	for (int i = 0; i < 3; i++) {
		struct user_regs_struct vr;
		R("syscall", ptrace(PTRACE_SYSCALL, pid, 0, 0));
		waitpid(pid, &st, 0);
		show("syscall stop", st);
		if (WIFSTOPPED(st) && WSTOPSIG(st) != SIGTRAP) {
			i--;
			continue;
		}
		ptrace(PTRACE_GETREGS, pid, 0, &vr);
		printf("orig_rax %s, rax is the child: %s\n",
		       vr.orig_rax == SYS_vfork ? "vfork" : vr.orig_rax == SYS_wait4 ? "wait4" : "other",
		       (pid_t)vr.rax == gc ? "yes" : "no");
	}
	sig = 0;
	for (int i = 0; i < 10; i++) {
		ptrace(PTRACE_CONT, pid, 0, sig);
		sig = 0;
		if (waitpid(pid, &st, 0) != pid || !WIFSTOPPED(st)) {
			show("end", st);
			break;
		}
		printf("signal %s\n", sigabbrev_np(WSTOPSIG(st)));
		sig = WSTOPSIG(st);
	}
	/* a fatal signal: its delivery stop, then PTRACE_EVENT_EXIT, then the death */
	pid = fork();
	if (pid == 0) {
		ptrace(PTRACE_TRACEME, 0, 0, 0);
		raise(SIGSTOP);
		*(volatile int *)8 = 1;
		_exit(0);
	}
	waitpid(pid, &st, 0);
	R("setoptions", ptrace(PTRACE_SETOPTIONS, pid, 0, PTRACE_O_TRACEEXIT));
	R("cont", ptrace(PTRACE_CONT, pid, 0, 0));
	waitpid(pid, &st, 0);
	show("fault", st);
	R("cont with it", ptrace(PTRACE_CONT, pid, 0, SIGSEGV));
	waitpid(pid, &st, 0);
	show("exit event", st);
	ptrace(PTRACE_GETEVENTMSG, pid, 0, &msg);
	printf("exit event msg: signal %s\n", sigabbrev_np((int)(msg & 0x7f)));
	R("cont", ptrace(PTRACE_CONT, pid, 0, 0));
	waitpid(pid, &st, 0);
	show("end", st);
	return 0;
}
