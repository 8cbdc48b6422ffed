/*
 * execve from a thread other than the leader, all traced with PTRACE_O_TRACECLONE and
 * PTRACE_O_TRACEEXIT (and PTRACE_O_TRACEEXEC or not): the leader stops first in
 * PTRACE_EVENT_EXIT with status 0 (the exec ends it; the thread in execve waits, a child
 * with nothing to report), and once let go the new image,
 * which has the leader's pid, reports PTRACE_EVENT_EXEC with the old thread id (or a
 * SIGTRAP stop); its registers are readable. SIGKILL then leaves it in PTRACE_EVENT_EXIT
 * (status SIGKILL) before it dies of it.
 */
#include "cf.h"
#include <pthread.h>
#include <signal.h>
#include <stdbool.h>
#include <stddef.h>
#include <sys/ptrace.h>
#include <sys/user.h>
#include <sys/wait.h>

static void *
exec_thread(void *arg)
{
	char *argv[] = { "/proc/self/exe", "image", NULL };
	(void)arg;
	execve(argv[0], argv, NULL);
	_exit(3);
}

static void
child(void)
{
	ptrace(PTRACE_TRACEME, 0, 0, 0);
	raise(SIGSTOP);
	pthread_t th;
	pthread_create(&th, NULL, exec_thread, NULL);
	pthread_join(th, NULL);
	_exit(4);
}

static void
run(bool trace_exec)
{
	int st;
	unsigned long msg = 0;
	pid_t pid = fork();
	if (pid == 0)
		child();
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
	printf("-- with PTRACE_O_TRACEEXEC\n");
	run(true);
	printf("-- without\n");
	run(false);
	return 0;
}
