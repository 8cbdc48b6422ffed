/*
 * execve from a thread other than the leader, all traced with PTRACE_O_TRACECLONE and
 * PTRACE_O_TRACEEXIT (and PTRACE_O_TRACEEXEC or not): the leader stops first in
 * PTRACE_EVENT_EXIT with status 0 (the exec ends it; the thread in execve waits, a child
 * with nothing to report), and once let go the new image,
 * which has the leader's pid, reports PTRACE_EVENT_EXEC with the old thread id (or a
 * SIGTRAP stop); its registers are readable. SIGKILL then leaves it in PTRACE_EVENT_EXIT
 * (status SIGKILL) before it dies of it.
 * When the leader has exited on its own first (SYS_exit, the process living on), its
 * PTRACE_EVENT_EXIT came then and the exec makes no second one: the next stop of the pid
 * is the exec's (strace's threads-execve test prints "<pid changed to ...>" from it).
 */
#include "cf.h"
#include <pthread.h>
#include <signal.h>
#include <stdbool.h>
#include <stddef.h>
#include <sys/ptrace.h>
#include <sys/user.h>
#include <sys/wait.h>

static char self[4096];

static void *
exec_thread(void *arg)
{
	/* (not /proc/self/exe: a leader that exited has no exe link) */
	char *argv[] = { self, "image", NULL };
	(void)arg;
	execve(argv[0], argv, NULL);
	_exit(3);
}

static void
child(bool leader_exits)
{
	ptrace(PTRACE_TRACEME, 0, 0, 0);
	raise(SIGSTOP);
	pthread_t th;
	pthread_create(&th, NULL, exec_thread, NULL);
	if (leader_exits)
		syscall(SYS_exit, 42);
	pthread_join(th, NULL);
	_exit(4);
}

static void
run(bool trace_exec, bool leader_exits)
{
	int st;
	unsigned long msg = 0;
	pid_t pid = fork();
	if (pid == 0)
		child(leader_exits);
	waitpid(pid, &st, 0);
	cf_show_wait("first", st);
	long opts = PTRACE_O_TRACECLONE | PTRACE_O_TRACEEXIT | (trace_exec ? PTRACE_O_TRACEEXEC : 0);
	OK("setoptions", ptrace(PTRACE_SETOPTIONS, pid, 0, opts));
	ptrace(PTRACE_CONT, pid, 0, 0);
	waitpid(pid, &st, 0);
	cf_show_wait("clone", st);
	ptrace(PTRACE_GETEVENTMSG, pid, 0, &msg);
	pid_t tid = (pid_t)msg;
	R("thread's first stop", waitpid(tid, &st, __WALL) == tid);
	cf_show_wait("thread", st);
	if (leader_exits) {
		/* the leader exits while the thread is held; then the thread runs execve */
		ptrace(PTRACE_CONT, pid, 0, 0);
		R("leader", waitpid(pid, &st, 0) == pid);
		cf_show_wait("leader", st);
		ptrace(PTRACE_GETEVENTMSG, pid, 0, &msg);
		printf("leader's exit status: %#lx\n", msg);
		ptrace(PTRACE_CONT, pid, 0, 0);
		R("leader gone quietly", waitpid(pid, &st, WNOHANG));
		ptrace(PTRACE_CONT, tid, 0, 0);
	} else {
		ptrace(PTRACE_CONT, pid, 0, 0);
		ptrace(PTRACE_CONT, tid, 0, 0);
		R("leader", waitpid(pid, &st, 0) == pid);
		cf_show_wait("leader", st);
		/* the thread waits in execve for the leader's end: there, not waitable */
		R("thread meanwhile", waitpid(tid, &st, __WALL | WNOHANG));
		msg = 99;
		OK("eventmsg", ptrace(PTRACE_GETEVENTMSG, pid, 0, &msg));
		printf("leader's exit status: %#lx\n", msg);
		ptrace(PTRACE_CONT, pid, 0, 0);
	}
	R("image", waitpid(pid, &st, 0) == pid);
	cf_show_wait("image", st);
	if (trace_exec) {
		ptrace(PTRACE_GETEVENTMSG, pid, 0, &msg);
		YN("exec message is the thread's id", (pid_t)msg == tid);
	}
	struct user_regs_struct r;
	OK("getregs", ptrace(PTRACE_GETREGS, pid, 0, &r));
	printf("cs: %#llx\n", (unsigned long long)r.cs);
	OK("kill", kill(pid, SIGKILL));
	R("killed", waitpid(pid, &st, 0) == pid);
	cf_show_wait("killed", st);
	OK("eventmsg", ptrace(PTRACE_GETEVENTMSG, pid, 0, &msg));
	printf("exit status: %#lx\n", msg);
	ptrace(PTRACE_CONT, pid, 0, 0);
	R("end", waitpid(pid, &st, 0) == pid);
	cf_show_wait("end", st);
}

int
main(int argc, char **argv)
{
	if (argc > 1) { /* the new image: the tracer kills it */
		for (;;)
			pause();
	}
	setvbuf(stdout, NULL, _IONBF, 0);
	if (readlink("/proc/self/exe", self, sizeof(self) - 1) < 0)
		return 1;
	printf("-- with PTRACE_O_TRACEEXEC\n");
	run(true, false);
	printf("-- without\n");
	run(false, false);
	printf("-- the leader exited first\n");
	run(true, true);
	return 0;
}
