/*
 * A seccomp filter's SECCOMP_RET_TRACE with a tracer that asked for
 * PTRACE_O_TRACESECCOMP (strace --seccomp-bpf): the call stops in PTRACE_EVENT_SECCOMP
 * after its syscall-entry stop (Linux 4.8 on), with the filter's data as event message
 * and PTRACE_GET_SYSCALL_INFO's seccomp op; the tracer may skip it (orig_rax -1, its rax
 * the result) or change it, which the filters then see again. Without the option the
 * call fails with ENOSYS.
 */
#include "cf.h"

#include <linux/filter.h>
#include <linux/seccomp.h>
#include <signal.h>
#include <stddef.h>
#include <sys/prctl.h>
#include <sys/ptrace.h>
#include <sys/syscall.h>
#include <sys/user.h>
#include <sys/wait.h>

static int go[2];

/* gettid and getppid are traced (data 7 and 9), getuid fails with EPERM */
static void
child(void)
{
	static struct sock_filter f[] = {
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr)),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, __NR_gettid, 0, 1),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_TRACE | 7),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, __NR_getppid, 0, 1),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_TRACE | 9),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, __NR_getuid, 0, 1),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | EPERM),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
	};
	struct sock_fprog p = { sizeof(f) / sizeof(f[0]), f };
	char line[128];

	char byte;

	prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0);
	if (prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &p))
		_exit(2);
	read(go[0], &byte, 1); /* traced by now: the SIGSTOP is a signal-delivery stop */
	kill(getpid(), SIGSTOP);
	/* each result as a line on stdout, written after the calls */
	long a = syscall(__NR_gettid);     /* skipped: 42 */
	long b = syscall(__NR_gettid);     /* changed to getuid: EPERM by the filter */
	long c = syscall(__NR_getppid);    /* runs */
	long d = syscall(__NR_gettid);     /* changed to getpid: runs */
	int n = snprintf(line, sizeof(line), "child: %ld %ld ppid-ok %d pid-ok %d\n", a, b,
			 c == getppid(), d == getpid());
	write(1, line, n);
	_exit(0);
}

static int
wait_stop(pid_t p, const char *label)
{
	int st = 0;

	if (waitpid(p, &st, 0) != p || !WIFSTOPPED(st)) {
		printf("%s: %s %d\n", label, WIFEXITED(st) ? "exited" : "?", WEXITSTATUS(st));
		return -1;
	}
	return st;
}

/* Runs to the next seccomp stop through the entry stop before it. */
static int
to_seccomp_stop(pid_t p, struct user_regs_struct *r)
{
	int st;

	ptrace(PTRACE_SYSCALL, p, 0, 0);
	st = wait_stop(p, "entry");
	if (st < 0)
		return -1;
	ptrace(PTRACE_GETREGS, p, 0, r);
	printf("stop: sig %s event %d nr %lld\n", WSTOPSIG(st) == (SIGTRAP | 0x80) ? "TRAP|0x80" :
	       "other", st >> 16, (long long)r->orig_rax);
	ptrace(PTRACE_SYSCALL, p, 0, 0);
	st = wait_stop(p, "seccomp");
	if (st < 0)
		return -1;
	unsigned long msg = 0;
	struct __ptrace_syscall_info info;
	memset(&info, 0, sizeof(info));
	ptrace(PTRACE_GETEVENTMSG, p, 0, &msg);
	long n = ptrace(PTRACE_GET_SYSCALL_INFO, p, sizeof(info), &info);
	ptrace(PTRACE_GETREGS, p, 0, r);
	printf("stop: sig %d event %d nr %lld rax %lld msg %lu info %ld op %d nr %llu data %u\n",
	       WSTOPSIG(st), st >> 16, (long long)r->orig_rax, (long long)r->rax, msg, n,
	       info.op, (unsigned long long)info.seccomp.nr, info.seccomp.ret_data);
	return 0;
}

/* Past the call's exit stop. */
static void
finish_call(pid_t p)
{
	struct user_regs_struct r;

	ptrace(PTRACE_SYSCALL, p, 0, 0);
	if (wait_stop(p, "exit") < 0)
		return;
	ptrace(PTRACE_GETREGS, p, 0, &r);
	printf("exit stop: nr %lld\n", (long long)r.orig_rax);
}

int
main(void)
{
	struct user_regs_struct r;
	int st;

	setvbuf(stdout, NULL, _IOLBF, 0);
	if (pipe(go))
		return 1;
	pid_t p = fork();
	if (p == 0)
		child();
	OK("seize", ptrace(PTRACE_SEIZE, p, 0, PTRACE_O_TRACESYSGOOD | PTRACE_O_TRACESECCOMP));
	write(go[1], "x", 1);
	if (wait_stop(p, "sigstop") < 0)
		return 1;
	/* 1: skipped with 42 */
	if (to_seccomp_stop(p, &r))
		return 1;
	r.orig_rax = -1;
	r.rax = 42;
	ptrace(PTRACE_SETREGS, p, 0, &r);
	finish_call(p);
	/* 2: changed to getuid, which the filter fails */
	if (to_seccomp_stop(p, &r))
		return 1;
	r.orig_rax = __NR_getuid;
	ptrace(PTRACE_SETREGS, p, 0, &r);
	finish_call(p);
	/* 3: getppid runs as is */
	if (to_seccomp_stop(p, &r))
		return 1;
	finish_call(p);
	/* 4: changed to getpid */
	if (to_seccomp_stop(p, &r))
		return 1;
	r.orig_rax = __NR_getpid;
	ptrace(PTRACE_SETREGS, p, 0, &r);
	finish_call(p);
	ptrace(PTRACE_DETACH, p, 0, 0);
	waitpid(p, &st, 0);
	printf("child exit %d\n", WEXITSTATUS(st));

	/* without PTRACE_O_TRACESECCOMP: ENOSYS, no stop */
	p = fork();
	if (p == 0) {
		static struct sock_filter f[] = {
			BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr)),
			BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, __NR_getpid, 0, 1),
			BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_TRACE),
			BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
		};
		struct sock_fprog pr = { 4, f };
		prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0);
		prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &pr);
		long ret = syscall(__NR_getpid);
		_exit(ret < 0 && errno == ENOSYS ? 5 : 6);
	}
	waitpid(p, &st, 0);
	printf("untraced: exit %d\n", WEXITSTATUS(st));
	return 0;
}
