/* SECCOMP_RET_TRACE with a ptrace tracer (PTRACE_O_TRACESECCOMP): a PTRACE_EVENT_SECCOMP
 * stop with the filter's data as the event message and in PTRACE_GET_SYSCALL_INFO (op
 * SECCOMP), rax -ENOSYS there; the tracer lets the call run, changes it into another call
 * (the filters run again on it: TRACE then allows, ERRNO fails it), or skips it (orig_rax
 * -1, its rax the result); with PTRACE_SYSCALL the entry stop comes before the seccomp stop
 * and an exit stop after it; without the option, or untraced, the call fails with ENOSYS. */
#include "cf.h"
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <signal.h>
#include <stdbool.h>
#include <stddef.h>
#include <sys/prctl.h>
#include <sys/ptrace.h>
#include <sys/user.h>
#include <sys/wait.h>

#define TRACE_DATA(nr, data) \
	BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, (nr), 0, 1), \
	BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_TRACE | (data))

static void
install(void)
{
	struct sock_filter f[] = {
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr)),
		TRACE_DATA(__NR_getppid, 0x42),
		TRACE_DATA(__NR_getuid, 0x43),
		TRACE_DATA(__NR_geteuid, 0x44),
		TRACE_DATA(__NR_getgid, 0x45),
		TRACE_DATA(__NR_getegid, 0x46),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, __NR_getpgrp, 0, 1),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | EACCES),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
	};
	struct sock_fprog prog = { sizeof(f) / sizeof(f[0]), f };
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) || prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &prog))
		_exit(90);
}

/* the traced child: each call's result as the child saw it (written to the pipe) */
static void
tracee(int out, bool traceme)
{
	if (traceme) {
		ptrace(PTRACE_TRACEME, 0, 0, 0);
		raise(SIGSTOP);
	}
	install();
	char line[256];
	errno = 0;
	long ppid = syscall(__NR_getppid);
	int n = snprintf(line, sizeof(line), "child getppid ok=%s\n",
			 ppid == getpid() ? "self?" : ppid > 0 ? "yes" : en(errno));
	errno = 0;
	long uid = syscall(__NR_getuid); /* becomes getpid */
	n += snprintf(line + n, sizeof(line) - n, "child getuid->getpid is-pid=%s\n",
		      uid == getpid() ? "yes" : uid < 0 ? en(errno) : "no");
	errno = 0;
	long e = syscall(__NR_geteuid); /* skipped: 77 */
	n += snprintf(line + n, sizeof(line) - n, "child geteuid skipped: %ld %s\n", e,
		      e < 0 ? en(errno) : "");
	errno = 0;
	long g = syscall(__NR_getgid); /* becomes getpgrp: the filter's EACCES */
	n += snprintf(line + n, sizeof(line) - n, "child getgid->getpgrp: %d %s\n", g < 0 ? -1 : 0,
		      g < 0 ? en(errno) : "");
	errno = 0;
	long eg = syscall(__NR_getegid); /* resumed with PTRACE_SYSCALL: an exit stop */
	n += snprintf(line + n, sizeof(line) - n, "child getegid: %s\n",
		      eg == (long)getegid() ? "same" : en(errno));
	if (write(out, line, (size_t)n) < 0)
		_exit(91);
	_exit(0);
}

static const char *
stop_name(int st)
{
	static char buf[64];
	if (WIFEXITED(st))
		snprintf(buf, sizeof(buf), "exit %d", WEXITSTATUS(st));
	else if (WIFSIGNALED(st))
		snprintf(buf, sizeof(buf), "killed %d", WTERMSIG(st));
	else if (st >> 8 == (SIGTRAP | PTRACE_EVENT_SECCOMP << 8))
		snprintf(buf, sizeof(buf), "seccomp-stop");
	else if (WSTOPSIG(st) == (SIGTRAP | 0x80))
		snprintf(buf, sizeof(buf), "syscall-stop");
	else
		snprintf(buf, sizeof(buf), "stop %d", WSTOPSIG(st));
	return buf;
}

static const char *
call_name(long nr)
{
	switch (nr) {
	case __NR_getppid: return "getppid";
	case __NR_getuid: return "getuid";
	case __NR_geteuid: return "geteuid";
	case __NR_getgid: return "getgid";
	case __NR_getegid: return "getegid";
	case __NR_getpid: return "getpid";
	case __NR_getpgrp: return "getpgrp";
	case __NR_write: return "write";
	case __NR_exit: return "exit";
	case __NR_exit_group: return "exit_group";
	default: return "other";
	}
}

static void
traced_run(void)
{
	int p[2];
	if (pipe(p))
		return;
	pid_t c = fork();
	if (c == 0) {
		close(p[0]);
		tracee(p[1], true);
	}
	close(p[1]);
	int st;
	waitpid(c, &st, 0);
	printf("first: %s\n", stop_name(st));
	OK("setoptions", ptrace(PTRACE_SETOPTIONS, c, 0,
				PTRACE_O_TRACESECCOMP | PTRACE_O_TRACESYSGOOD | PTRACE_O_EXITKILL));
	int req = PTRACE_CONT;
	for (int i = 0; i < 40; i++) {
		if (ptrace(req, c, 0, 0) < 0) {
			printf("resume: %s\n", en(errno));
			break;
		}
		req = PTRACE_CONT;
		if (waitpid(c, &st, 0) < 0 || WIFEXITED(st) || WIFSIGNALED(st))
			break;
		struct user_regs_struct r;
		ptrace(PTRACE_GETREGS, c, 0, &r);
		unsigned long msg = 0;
		ptrace(PTRACE_GETEVENTMSG, c, 0, &msg);
		struct __ptrace_syscall_info info;
		memset(&info, 0, sizeof(info));
		long isz = ptrace(PTRACE_GET_SYSCALL_INFO, c, sizeof(info), &info);
		if (st >> 8 == (SIGTRAP | PTRACE_EVENT_SECCOMP << 8)) {
			printf("%s %s msg=%#lx rax=%s info op=%d size=%ld nr=%s data=%#x\n",
			       stop_name(st), call_name((long)r.orig_rax), msg,
			       (long)r.rax == -ENOSYS ? "-ENOSYS" : "other", info.op, isz,
			       call_name((long)info.seccomp.nr), info.seccomp.ret_data);
			if (r.orig_rax == __NR_getuid) {
				r.orig_rax = __NR_getpid;
				ptrace(PTRACE_SETREGS, c, 0, &r);
			} else if (r.orig_rax == __NR_geteuid) {
				r.orig_rax = -1;
				r.rax = 77;
				ptrace(PTRACE_SETREGS, c, 0, &r);
			} else if (r.orig_rax == __NR_getgid) {
				r.orig_rax = __NR_getpgrp;
				ptrace(PTRACE_SETREGS, c, 0, &r);
			} else if (r.orig_rax == __NR_getegid) {
				req = PTRACE_SYSCALL;
			}
		} else if (WSTOPSIG(st) == (SIGTRAP | 0x80)) {
			printf("%s %s op=%d\n", stop_name(st), call_name((long)r.orig_rax), info.op);
		} else {
			printf("%s\n", stop_name(st));
		}
	}
	char buf[512];
	ssize_t n = read(p[0], buf, sizeof(buf) - 1);
	buf[n > 0 ? n : 0] = 0;
	fputs(buf, stdout);
	close(p[0]);
	printf("end: %s\n", stop_name(st));
	if (!WIFEXITED(st) && !WIFSIGNALED(st)) {
		kill(c, SIGKILL);
		waitpid(c, &st, 0);
	}
}

/* PTRACE_SYSCALL throughout: entry stop, seccomp stop, exit stop of one call */
static void
order_run(void)
{
	pid_t c = fork();
	if (c == 0) {
		ptrace(PTRACE_TRACEME, 0, 0, 0);
		raise(SIGSTOP);
		install();
		syscall(__NR_getppid);
		_exit(0);
	}
	int st;
	waitpid(c, &st, 0);
	ptrace(PTRACE_SETOPTIONS, c, 0, PTRACE_O_TRACESECCOMP | PTRACE_O_TRACESYSGOOD |
	       PTRACE_O_EXITKILL);
	bool seen = false;
	int after = 0;
	for (int i = 0; i < 200 && after < 3; i++) {
		if (ptrace(PTRACE_SYSCALL, c, 0, 0) < 0 || waitpid(c, &st, 0) < 0 ||
		    WIFEXITED(st) || WIFSIGNALED(st))
			break;
		struct user_regs_struct r;
		ptrace(PTRACE_GETREGS, c, 0, &r);
		if (r.orig_rax == __NR_getppid)
			seen = true;
		if (seen) {
			printf("order: %s %s\n", stop_name(st), call_name((long)r.orig_rax));
			after++;
		}
	}
	kill(c, SIGKILL);
	waitpid(c, &st, 0);
}

/* traced without the option, and untraced: ENOSYS */
static void
enosys_run(bool traced)
{
	int p[2];
	if (pipe(p))
		return;
	pid_t c = fork();
	if (c == 0) {
		close(p[0]);
		if (traced) {
			ptrace(PTRACE_TRACEME, 0, 0, 0);
			raise(SIGSTOP);
		}
		install();
		errno = 0;
		long r = syscall(__NR_getppid);
		char line[64];
		int n = snprintf(line, sizeof(line), "%s getppid: %ld %s\n",
				 traced ? "no-option" : "untraced", r, r < 0 ? en(errno) : "");
		if (write(p[1], line, (size_t)n) < 0)
			_exit(91);
		_exit(0);
	}
	close(p[1]);
	int st;
	if (traced) {
		waitpid(c, &st, 0);
		ptrace(PTRACE_SETOPTIONS, c, 0, PTRACE_O_EXITKILL);
		ptrace(PTRACE_CONT, c, 0, 0);
	}
	waitpid(c, &st, 0);
	char buf[128];
	ssize_t n = read(p[0], buf, sizeof(buf) - 1);
	buf[n > 0 ? n : 0] = 0;
	fputs(buf, stdout);
	printf("end: %s\n", stop_name(st));
	close(p[0]);
}

int
main(void)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	traced_run();
	order_run();
	enosys_run(true);
	enosys_run(false);
	return 0;
}
