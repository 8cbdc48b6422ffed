/* A pid namespace's init ignores the default-action signals it sends itself, SIGKILL
 * included (Linux sig_task_ignored: the sender is in its namespace, nothing is forced);
 * an exit is the only way out. */
#define _GNU_SOURCE
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <sys/wait.h>
#include <unistd.h>
int main(void){
	if (unshare(CLONE_NEWPID) < 0) { printf("no pid namespace: skipped\n"); return 0; }
	pid_t p = fork();
	if (p == 0) {
		printf("child is pid %d\n", getpid()); fflush(stdout);
		kill(getpid(), SIGTERM); printf("after its own SIGTERM: alive\n"); fflush(stdout);
		kill(getpid(), SIGKILL); printf("after its own SIGKILL: alive\n"); fflush(stdout);
		raise(SIGINT); printf("after raise(SIGINT): alive\n"); fflush(stdout);
		_exit(3);
	}
	int st; waitpid(p, &st, 0);
	printf("init status: %s %d\n", WIFEXITED(st) ? "exit" : "signal", WIFEXITED(st) ? WEXITSTATUS(st) : WTERMSIG(st));
	return 0;
}
