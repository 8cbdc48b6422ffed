/*
 * execve from a thread after the leader has exited on its own (SYS_exit, the process
 * lives on), traced with PTRACE_O_TRACEEXIT and PTRACE_O_TRACEEXEC: the leader's
 * PTRACE_EVENT_EXIT came at its exit, and the exec makes no second one (Linux de_thread
 * only releases the zombie): the next stop of the pid is PTRACE_EVENT_EXEC with the
 * thread's id (strace's threads-execve test prints "<pid changed to ...>" from it).
 */
#include "cf.h"
#include <pthread.h>
#include <signal.h>
#include <sys/ptrace.h>
#include <sys/wait.h>

static char self[4096];

static void *
exec_thread(void *arg)
{
	/* (not /proc/self/exe: the leader, a zombie now, has no exe link) */
	char *argv[] = { self, "image", NULL };
	(void)arg;
	execve(argv[0], argv, NULL);
	_exit(3);
}

int
main(int argc, char **argv)
{
	if (argc > 1)
		_exit(7); /* the new image */
	setvbuf(stdout, NULL, _IONBF, 0);
	if (readlink("/proc/self/exe", self, sizeof(self) - 1) < 0)
		return 1;
	int st;
	unsigned long msg = 0;
	pid_t pid = fork();
	if (pid == 0) {
		ptrace(PTRACE_TRACEME, 0, 0, 0);
		raise(SIGSTOP);
		pthread_t th;
		pthread_create(&th, NULL, exec_thread, NULL);
		syscall(SYS_exit, 42);
	}
	waitpid(pid, &st, 0);
	cf_show_wait("first", st);
	OK("setoptions", ptrace(PTRACE_SETOPTIONS, pid, 0,
				PTRACE_O_TRACECLONE | PTRACE_O_TRACEEXIT | PTRACE_O_TRACEEXEC));
	ptrace(PTRACE_CONT, pid, 0, 0);
	waitpid(pid, &st, 0);
	cf_show_wait("clone", st);
	ptrace(PTRACE_GETEVENTMSG, pid, 0, &msg);
	pid_t tid = (pid_t)msg;
	R("thread's first stop", waitpid(tid, &st, __WALL) == tid);
	cf_show_wait("thread", st);
	/* the leader exits while the thread is held */
	ptrace(PTRACE_CONT, pid, 0, 0);
	R("leader", waitpid(pid, &st, 0) == pid);
	cf_show_wait("leader", st);
	ptrace(PTRACE_GETEVENTMSG, pid, 0, &msg);
	printf("leader's exit status: %#lx\n", msg);
	ptrace(PTRACE_CONT, pid, 0, 0);
	R("leader gone quietly", waitpid(pid, &st, WNOHANG));
	/* now the thread runs its execve */
	ptrace(PTRACE_CONT, tid, 0, 0);
	R("image", waitpid(pid, &st, 0) == pid);
	cf_show_wait("image", st);
	msg = 0;
	ptrace(PTRACE_GETEVENTMSG, pid, 0, &msg);
	YN("exec message is the thread's id", (pid_t)msg == tid);
	ptrace(PTRACE_CONT, pid, 0, 0);
	R("image's exit event", waitpid(pid, &st, 0) == pid);
	cf_show_wait("image's exit event", st);
	ptrace(PTRACE_CONT, pid, 0, 0);
	R("end", waitpid(pid, &st, 0) == pid);
	cf_show_wait("end", st);
	return 0;
}
